//! A transaction's inserts, each statement prepared once per connection.

use super::{Tx, devices, events, get, handouts, people};
use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use crate::store::Inserts;
use crate::store::devices::DeviceFields;
use crate::store::events::{NewEvent, Stamps};
use crate::store::handouts::NewHandout;
use crate::store::people::{PersonFields, name_key};

pub(super) struct Prepared<'t, 'c> {
    tx: &'t Tx<'c>,
}

impl<'t, 'c> Prepared<'t, 'c> {
    pub(super) fn prepare(tx: &'t Tx<'c>) -> Result<Self> {
        for sql in [
            devices::INSERT,
            handouts::OPEN,
            events::APPEND,
            people::INSERT,
        ] {
            tx.prepared(sql)?;
        }
        Ok(Prepared { tx })
    }
}

impl Inserts for Prepared<'_, '_> {
    fn device(
        &mut self,
        fields: &DeviceFields,
        status: Status,
        since: &str,
        now: &str,
    ) -> Result<DeviceId> {
        let row = self.tx.row(
            devices::INSERT,
            &[
                &fields.serial,
                &fields.asset_tag,
                &fields.kind,
                &fields.make,
                &fields.model,
                &fields.purchased,
                &status.as_str(),
                &since,
                &now,
            ],
        )?;
        Ok(DeviceId(get(&row, 0)?))
    }

    fn handout(&mut self, handout: &NewHandout<'_>, at: &str) -> Result<HandoutId> {
        let row = self.tx.row(
            handouts::OPEN,
            &[
                &handout.device_id.0,
                &handout.person_id.0,
                &at,
                &handout.by,
                &handout.due_back,
                &handout.note,
                &handout.follows.map(|h| h.0),
                &handout.own_due_back,
            ],
        )?;
        Ok(HandoutId(get(&row, 0)?))
    }

    fn event(&mut self, event: &NewEvent<'_>, stamps: Stamps<'_>, details: &str) -> Result<i64> {
        let row = self.tx.row(
            events::APPEND,
            &[
                &stamps.at,
                &stamps.now,
                &event.actor,
                &event.action.as_str(),
                &event.device.map(|d| d.0),
                &event.person.map(|p| p.0),
                &event.handout.map(|h| h.0),
                &event.status_after.map(Status::as_str),
                &details,
            ],
        )?;
        get(&row, 0)
    }

    fn person(&mut self, fields: &PersonFields, now: &str) -> Result<PersonId> {
        let row = self.tx.row(
            people::INSERT,
            &[
                &fields.employee_no,
                &fields.name,
                &name_key(&fields.name),
                &fields.email,
                &fields.department,
                &fields.end_date,
                &now,
            ],
        )?;
        Ok(PersonId(get(&row, 0)?))
    }
}

//! The import's inserts, each prepared once for a whole file.

use super::{devices, events, handouts, people};
use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use crate::store::bulk::RowInserts;
use crate::store::devices::DeviceFields;
use crate::store::events::{NewEvent, Stamps};
use crate::store::handouts::NewHandout;
use crate::store::people::PersonFields;
use rusqlite::{Connection, Statement};

pub(super) struct Prepared<'c> {
    device: Statement<'c>,
    handout: Statement<'c>,
    event: Statement<'c>,
    person: Statement<'c>,
}

impl<'c> Prepared<'c> {
    pub(super) fn prepare(conn: &'c Connection) -> Result<Self> {
        Ok(Prepared {
            device: conn.prepare(devices::INSERT)?,
            handout: conn.prepare(handouts::OPEN)?,
            event: conn.prepare(events::APPEND)?,
            person: conn.prepare(people::INSERT)?,
        })
    }
}

impl RowInserts for Prepared<'_> {
    fn device(
        &mut self,
        fields: &DeviceFields,
        status: Status,
        since: &str,
        now: &str,
    ) -> Result<DeviceId> {
        devices::insert_with(&mut self.device, fields, status, since, now)
    }

    fn handout(&mut self, handout: &NewHandout<'_>, at: &str) -> Result<HandoutId> {
        handouts::open_with(&mut self.handout, handout, at)
    }

    fn event(&mut self, event: &NewEvent<'_>, stamps: Stamps<'_>, details: &str) -> Result<i64> {
        events::append_with(&mut self.event, event, stamps, details)
    }

    fn person(&mut self, fields: &PersonFields, now: &str) -> Result<PersonId> {
        people::insert_with(&mut self.person, fields, now)
    }
}

//! A transaction's inserts, each statement prepared once for it (from the connection's
//! cache, so a desk's next operation finds it prepared too).

use super::{devices, events, handouts, people};
use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use crate::store::Inserts;
use crate::store::devices::DeviceFields;
use crate::store::events::{NewEvent, Stamps};
use crate::store::handouts::NewHandout;
use crate::store::people::PersonFields;
use rusqlite::{CachedStatement, Connection};

pub(super) struct Prepared<'c> {
    device: CachedStatement<'c>,
    handout: CachedStatement<'c>,
    event: CachedStatement<'c>,
    person: CachedStatement<'c>,
}

impl<'c> Prepared<'c> {
    pub(super) fn prepare(conn: &'c Connection) -> Result<Self> {
        Ok(Prepared {
            device: conn.prepare_cached(devices::INSERT)?,
            handout: conn.prepare_cached(handouts::OPEN)?,
            event: conn.prepare_cached(events::APPEND)?,
            person: conn.prepare_cached(people::INSERT)?,
        })
    }
}

impl Inserts for Prepared<'_> {
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

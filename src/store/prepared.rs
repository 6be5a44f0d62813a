//! The inserts an import makes for every row, prepared once for the whole file.
//!
//! Fetching a statement from the connection's cache hashes its SQL on the way out and again
//! on the way back: four statements a row, a few percent of a large import. These are the
//! same statements and the same functions as the single inserts, only held.

use super::devices::{self, DeviceFields};
use super::events::{self, NewEvent, Stamps};
use super::handouts::{self, NewHandout};
use super::people::{self, PersonFields};
use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use rusqlite::{Connection, Statement};

pub struct RowInserts<'c> {
    device: Statement<'c>,
    handout: Statement<'c>,
    event: Statement<'c>,
    person: Statement<'c>,
}

impl<'c> RowInserts<'c> {
    pub fn prepare(conn: &'c Connection) -> Result<Self> {
        Ok(RowInserts {
            device: conn.prepare(devices::INSERT)?,
            handout: conn.prepare(handouts::OPEN)?,
            event: conn.prepare(events::APPEND)?,
            person: conn.prepare(people::INSERT)?,
        })
    }

    /// [`devices::insert`], with `since` and `now` as stored.
    pub fn device(
        &mut self,
        fields: &DeviceFields,
        status: Status,
        since: &str,
        now: &str,
    ) -> Result<DeviceId> {
        devices::insert_with(&mut self.device, fields, status, since, now)
    }

    /// [`handouts::open`], with `at` as stored.
    pub fn handout(&mut self, handout: &NewHandout<'_>, at: &str) -> Result<HandoutId> {
        handouts::open_with(&mut self.handout, handout, at)
    }

    /// [`events::append`], with the details as JSON text.
    pub fn event(
        &mut self,
        event: &NewEvent<'_>,
        stamps: Stamps<'_>,
        details: &str,
    ) -> Result<i64> {
        events::append_with(&mut self.event, event, stamps, details)
    }

    /// [`people::insert`], with `now` as stored.
    pub fn person(&mut self, fields: &PersonFields, now: &str) -> Result<PersonId> {
        people::insert_with(&mut self.person, fields, now)
    }
}

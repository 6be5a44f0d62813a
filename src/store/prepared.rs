//! The inserts an import makes for every row, prepared once for the whole file.
//!
//! Fetching a statement from the connection's cache hashes its SQL on the way out and again
//! on the way back: four statements a row, a few percent of a large import. These are the
//! same statements and the same functions as the single inserts, only held.

use super::devices::{self, DeviceFields};
use super::events::{self, NewEvent};
use super::handouts::{self, NewHandout};
use super::people::{self, PersonFields};
use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use chrono::{DateTime, Utc};
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

    /// [`devices::insert`].
    pub fn device(
        &mut self,
        fields: &DeviceFields,
        status: Status,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<DeviceId> {
        devices::insert_with(&mut self.device, fields, status, since, now)
    }

    /// [`handouts::open`].
    pub fn handout(&mut self, handout: &NewHandout<'_>) -> Result<HandoutId> {
        handouts::open_with(&mut self.handout, handout)
    }

    /// [`events::append_text`].
    pub fn event(
        &mut self,
        event: &NewEvent<'_>,
        now: (DateTime<Utc>, &str),
        details: &str,
    ) -> Result<i64> {
        events::append_with(&mut self.event, event, now, details)
    }

    /// [`people::insert`].
    pub fn person(&mut self, fields: &PersonFields, now: DateTime<Utc>) -> Result<PersonId> {
        people::insert_with(&mut self.person, fields, now)
    }
}

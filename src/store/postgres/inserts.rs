//! A transaction's inserts: a prepared `INSERT … RETURNING id` each for an operation, and
//! for a bulk load rows held back and written by `COPY` ([`super::pending`]).

use super::pending::{Pending, Table};
use super::{Tx, devices, events, get, handouts, people, unreadable};
use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use crate::store::Inserts;
use crate::store::devices::DeviceFields;
use crate::store::events::{NewEvent, Stamps};
use crate::store::handouts::NewHandout;
use crate::store::people::{PersonFields, language_to_sql, name_key};

pub(super) struct Prepared<'t, 'c> {
    tx: &'t Tx<'c>,
}

impl<'t, 'c> Prepared<'t, 'c> {
    /// Each insert is prepared when first used (and kept for the connection): a command
    /// adds a handout and an event, and preparing the other two would cost a round trip each.
    pub(super) fn prepare(tx: &'t Tx<'c>) -> Result<Self> {
        Ok(Prepared { tx })
    }

    /// Holds a new row of `table` back, its id taken from the table's sequence; `fields`
    /// writes the rest of it. `None` outside a bulk load, or when the load stopped holding
    /// rows back.
    fn hold(
        &self,
        table: Table,
        fields: impl FnOnce(&mut super::pending::RowWriter<'_>),
    ) -> Result<Option<i64>> {
        let Some(pending) = self.tx.pending.as_ref().filter(|p| p.borrow().holding()) else {
            return Ok(None);
        };
        // The borrow ends before `more_ids` borrows again.
        let in_hand = pending.borrow_mut().next_id(table);
        let id = match in_hand {
            Some(id) => id,
            None => self.more_ids(pending, table)?,
        };
        let full = {
            let mut pending = pending.borrow_mut();
            fields(pending.row(table).int(Some(id)));
            pending.is_full()
        };
        if full {
            self.tx.send_pending()?;
        }
        Ok(Some(id))
    }

    /// Takes a block of ids from the sequence (straight through the connection: the held rows
    /// need not be written for it) and returns the first.
    fn more_ids(&self, pending: &std::cell::RefCell<Pending>, table: Table) -> Result<i64> {
        let size = pending.borrow().next_block(table);
        let row = self
            .tx
            .transaction()
            .query_one(&table.ids_sql(), &[&size])?;
        let last: i64 = get(&row, 0)?;
        let mut pending = pending.borrow_mut();
        pending.add_block(table, size, last);
        pending
            .next_id(table)
            .ok_or_else(|| unreadable("a sequence that handed out no ids"))
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
        let held = self.hold(Table::Device, |row| {
            row.field(Some(&fields.serial))
                .field(fields.asset_tag.as_deref())
                .field(Some(&fields.kind))
                .field(fields.make.as_deref())
                .field(fields.model.as_deref())
                .date(fields.purchased)
                .field(Some(status.as_str()))
                .field(Some(since))
                .field(Some(now));
        })?;
        if let Some(id) = held {
            self.tx
                .wrote_device(&fields.serial, fields.asset_tag.as_deref(), id)?;
            return Ok(DeviceId(id));
        }
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
        let id = get(&row, 0)?;
        self.tx
            .wrote_device(&fields.serial, fields.asset_tag.as_deref(), id)?;
        Ok(DeviceId(id))
    }

    fn handout(&mut self, handout: &NewHandout<'_>, at: &str) -> Result<HandoutId> {
        let held = self.hold(Table::Handout, |row| {
            row.int(Some(handout.device_id.0))
                .int(Some(handout.person_id.0))
                .field(Some(at))
                .field(Some(handout.by))
                .date(handout.due_back)
                .field(handout.note)
                .int(handout.follows.map(|h| h.0))
                .date(handout.own_due_back);
        })?;
        if let Some(id) = held {
            return Ok(HandoutId(id));
        }
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
        let held = self.hold(Table::Event, |row| {
            row.field(Some(stamps.at))
                .field(Some(stamps.now))
                .field(Some(event.actor))
                .field(Some(event.action.as_str()))
                .int(event.device.map(|d| d.0))
                .int(event.person.map(|p| p.0))
                .int(event.handout.map(|h| h.0))
                .field(event.status_after.map(Status::as_str))
                .field(Some(details));
        })?;
        if let Some(id) = held {
            return Ok(id);
        }
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
        let key = name_key(&fields.name);
        let held = self.hold(Table::Person, |row| {
            row.field(fields.employee_no.as_deref())
                .field(Some(&fields.name))
                .field(Some(&key))
                .field(fields.email.as_deref())
                .field(fields.department.as_deref())
                .date(fields.end_date)
                .field(Some(now))
                .field(fields.username.as_deref())
                .int(fields.manager.map(|m| m.0))
                .field(fields.language.map(language_to_sql));
        })?;
        if let Some(id) = held {
            return Ok(PersonId(id));
        }
        let row = self.tx.row(
            people::INSERT,
            &[
                &fields.employee_no,
                &fields.name,
                &key,
                &fields.email,
                &fields.department,
                &fields.end_date,
                &now,
                &fields.username,
                &fields.manager.map(|m| m.0),
                &fields.language.map(language_to_sql),
            ],
        )?;
        Ok(PersonId(get(&row, 0)?))
    }
}

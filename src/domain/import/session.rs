//! The writer's state for one file ([`Session`]): the transaction, what the file has
//! written so far (people by key, the handouts it opened, the Bloom filter of keys in a bulk
//! load), the prepared inserts and the summary; and the writing of an event that names the
//! file and the row's line. Matching ([`super::matching`]) and applying
//! ([`super::apply`]) are its other methods.

use super::OnConflict;
use super::summary::{ImportSummary, RowError, RowReason};
use crate::domain::Ctx;
use crate::domain::known_keys::{KeyHash, KnownKeys};
use crate::error::{Error, Result};
use crate::import::Row;
use crate::model::{Action, DeviceId, EventDetails, HandoutId, ImportRef, PersonId, Status};
use crate::store::Transaction;
use crate::store::events::{NewEvent, Stamps};
use crate::store::{self, StoreError, StoreErrorKind, bulk::RowInserts, people::PersonFields};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// What one file's import carries from row to row.
pub(super) struct Session<'a> {
    pub(super) tx: &'a dyn Transaction,
    pub(super) ctx: &'a Ctx<'a>,
    pub(super) on_conflict: OnConflict,
    /// `{"file": …, "line": …}` goes in every event.
    pub(super) file: String,
    /// People seen in this file, by [`PersonCells::cache_key`]. Only the id: a list of a
    /// million rows names a third of a million people, and their fields would not fit the
    /// memory an import may take; they are read back by id when needed.
    /// Hashed with foldhash rather than SipHash: no one chooses these keys to collide.
    ///
    /// [`PersonCells::cache_key`]: super::cells::PersonCells::cache_key
    pub(super) people: HashMap<Box<str>, PersonId, foldhash::fast::RandomState>,
    /// The person of the previous row with their stored fields: a list's rows for one person
    /// usually follow each other, and then need no look-up at all.
    pub(super) last_person: Option<(String, PersonId, PersonFields)>,
    /// [`PersonCells::cache_key`] of the current row, in a buffer kept from row to row.
    ///
    /// [`PersonCells::cache_key`]: super::cells::PersonCells::cache_key
    pub(super) key: String,
    /// The handouts this file opened, with the line that opened each, in id order (ids only
    /// grow): whether a device's open handout is one of them, and from which line, is a
    /// binary search. Sixteen bytes a handout, where a map by device took three times that.
    pub(super) handed_out_here: Vec<(HandoutId, u64)>,
    /// In a bulk load, the keys the register may hold: rows with new keys skip their
    /// look-ups. `None` looks everything up.
    pub(super) known: Option<KnownKeys>,
    /// The inserts every row makes, prepared once (a `RefCell` as events are written from
    /// methods that only read the session).
    pub(super) inserts: RefCell<Box<dyn RowInserts + 'a>>,
    /// `ctx.now` as stored, formatted once for every event.
    pub(super) now_text: String,
    /// The JSON text of the event being written, in a buffer kept from event to event.
    pub(super) json: RefCell<Vec<u8>>,
    pub(super) summary: ImportSummary,
}

impl<'a> Session<'a> {
    /// The session of one file's import in `tx`; `known` is the bulk load's filter.
    pub(super) fn new(
        tx: &'a dyn Transaction,
        ctx: &'a Ctx<'a>,
        on_conflict: OnConflict,
        file: String,
        known: Option<KnownKeys>,
        summary: ImportSummary,
    ) -> Result<Session<'a>> {
        Ok(Session {
            tx,
            ctx,
            on_conflict,
            file,
            people: HashMap::default(),
            last_person: None,
            key: String::new(),
            handed_out_here: Vec::new(),
            known,
            inserts: RefCell::new(tx.bulk().row_inserts()?),
            now_text: store::moment_to_sql(ctx.now),
            json: RefCell::new(Vec::with_capacity(256)),
            summary,
        })
    }
}

impl Session<'_> {
    /// Writes an event that names this file and the row's line.
    pub(super) fn record<'s>(&'s self, line: u64, event: NewEvent<'s>) -> Result<()> {
        let at = if event.at == self.ctx.now {
            Cow::Borrowed(self.now_text.as_str())
        } else {
            Cow::Owned(store::moment_to_sql(event.at))
        };
        self.record_at(line, event, &at)
    }

    /// [`Session::record`] with `event.at` as stored. The details are written straight to
    /// JSON text, into a buffer kept from event to event: the common events of an import,
    /// hundreds of thousands of them, allocate nothing for their details.
    pub(super) fn record_at<'s>(
        &'s self,
        line: u64,
        mut event: NewEvent<'s>,
        at: &str,
    ) -> Result<()> {
        event.details.import = Some(self.import_ref(line));
        let mut json = self.json.borrow_mut();
        json.clear();
        // Writing these details into memory cannot fail; were it to, it is a store error
        // (the value could not become SQL), never a refused row.
        event
            .details
            .write_to(&mut json)
            .map_err(|e| StoreError::new(StoreErrorKind::Other, e))?;
        let text = std::str::from_utf8(&json).expect("serde_json writes UTF-8");
        self.record_text(&event, at, text)
    }

    /// An event's moments as stored, `at` being its own: the moment of the import is
    /// formatted once for all of them.
    pub(super) fn stamps<'s>(&'s self, at: &'s str) -> Stamps<'s> {
        Stamps {
            at,
            now: &self.now_text,
        }
    }

    /// Writes an event with its details already JSON text (`event.details` is not read).
    pub(super) fn record_text(&self, event: &NewEvent<'_>, at: &str, details: &str) -> Result<()> {
        self.inserts
            .borrow_mut()
            .event(event, self.stamps(at), details)?;
        Ok(())
    }

    /// Notes a refused row for the summary and the rejects file; an error that is not about
    /// the row (the register cannot be written, say) ends the import.
    pub(super) fn refuse_row(&mut self, row: &Row, error: Error) -> Result<()> {
        let reason = match error {
            Error::HeldElsewhere(held) => RowReason::HeldElsewhere(*held),
            Error::Unknown(unknown) => RowReason::Problem(unknown.to_string()),
            Error::Move(refusal) => RowReason::Problem(refusal.to_string()),
            Error::Ambiguous(ambiguous) => RowReason::Problem(ambiguous.to_string()),
            Error::Refusal(refusal) => RowReason::Problem(refusal.to_string()),
            Error::InvalidInput(message) | Error::Refused(message) => RowReason::Problem(message),
            other => return Err(other),
        };
        self.summary.errors.push(RowError {
            line: row.line,
            reason,
            raw: row.raw().clone(),
        });
        Ok(())
    }

    pub(super) fn import_ref(&self, line: u64) -> ImportRef<'_> {
        ImportRef {
            file: &self.file,
            line,
        }
    }

    /// An event about a person or a device alone, happening now.
    pub(super) fn now_event<'e>(
        &'e self,
        action: Action,
        device: Option<DeviceId>,
        person: Option<PersonId>,
        status_after: Option<Status>,
        details: EventDetails<'e>,
    ) -> NewEvent<'e> {
        NewEvent {
            at: self.ctx.now,
            actor: self.ctx.actor,
            action,
            device,
            person,
            handout: None,
            status_after,
            details,
        }
    }

    /// Whether a look-up of the value whose key this is may find anything; always true
    /// outside a bulk load.
    pub(super) fn may_hold(&self, key: Option<KeyHash>) -> bool {
        match (&self.known, key) {
            (Some(known), Some(key)) => known.may_hold(key),
            _ => true,
        }
    }

    /// Remembers keys just written, for the rows after this one.
    pub(super) fn now_holds(&mut self, key: Option<KeyHash>) {
        if let (Some(known), Some(key)) = (self.known.as_mut(), key) {
            known.add(key);
        }
    }
}

//! The writer's state for one file ([`Session`]): the transaction, what the file has
//! written so far (people by key, the handouts it opened, the Bloom filter of keys in a bulk
//! load), the prepared inserts and the summary; and the writing of an event that names the
//! file and the row's line. Matching ([`super::matching`]) and applying
//! ([`super::apply`]) are its other methods.

use super::OnConflict;
use super::summary::{ImportSummary, RowError, RowReason};
use crate::domain::Ctx;
use crate::domain::known_keys::{KeyHash, KnownKeys};
use crate::domain::writes::{Origin, Writes};
use crate::error::{Error, Result};
use crate::import::Row;
use crate::model::{HandoutId, ImportRef, PersonId};
use crate::store::Transaction;
use crate::store::people::PersonFields;
use std::collections::HashMap;

/// What one file's import carries from row to row.
pub(super) struct Session<'a> {
    /// The one write path every row goes through, as every operation at the desk does.
    pub(super) writes: Writes<'a>,
    pub(super) on_conflict: OnConflict,
    /// Apply the list's dates to the handouts the register has with other ones.
    pub(super) correct_dates: bool,
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
    pub(super) summary: ImportSummary,
    /// The managers the rows name: the person, the reference, the line. They are looked up
    /// once the whole file is in, as a list names managers further down it.
    pub(super) managers: Vec<(PersonId, String, u64)>,
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
            writes: Writes::new(tx, ctx)?,
            on_conflict,
            correct_dates: false,
            file,
            people: HashMap::default(),
            last_person: None,
            key: String::new(),
            handed_out_here: Vec::new(),
            known,
            summary,
            managers: Vec::new(),
        })
    }
}

impl Session<'_> {
    /// Notes a refused row for the summary and the rejects file; an error that is not about
    /// the row (the register cannot be written, say) ends the import.
    pub(super) fn refuse_row(&mut self, row: &Row, error: Error) -> Result<()> {
        let reason = match error {
            Error::HeldElsewhere(held) => RowReason::HeldElsewhere(*held),
            Error::Unknown(unknown) => RowReason::Unknown(unknown),
            Error::Move(refusal) => RowReason::Move(refusal),
            Error::Ambiguous(ambiguous) => RowReason::Ambiguous(ambiguous),
            Error::Refusal(refusal) => RowReason::Refusal(refusal),
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

    /// Where a row's changes come from, as their events record it.
    /// Notes the manager a row names for its person, once for the rows of one person that
    /// follow each other (a handout list repeats the person on each of their devices).
    pub(super) fn wants_manager(&mut self, person: PersonId, manager: &str, line: u64) {
        if self
            .managers
            .last()
            .is_some_and(|(last, named, _)| *last == person && named == manager)
        {
            return;
        }
        self.managers.push((person, manager.to_string(), line));
    }

    pub(super) fn origin(&self, line: u64) -> Origin<'_> {
        Some(ImportRef {
            file: &self.file,
            line,
        })
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

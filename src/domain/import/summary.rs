//! What an import found and did: the summary the command line renders, and the refused
//! rows with their cells for the rejects file.

use crate::error::Result;
use crate::import::{
    Columns, FileEncoding, ImportReader, ListKind, ReadNotes, RejectsWriter, RowPlace,
};
use chrono::NaiveDate;
use std::time::Duration;

/// A refused row: where and why, with its cells for the rejects file.
#[derive(Debug, Clone)]
pub struct RowError {
    pub line: u64,
    pub reason: RowReason,
    pub(super) raw: csv::StringRecord,
}

/// Why a row was refused. Its `Display` is the domain's sentence, which names no command or
/// flag; a front end words the typed reasons its own way (the command line names the flag
/// that would import the row).
#[derive(Debug, Clone, PartialEq)]
pub enum RowReason {
    /// The row hands out a device that someone else holds in the register.
    HeldElsewhere(HeldElsewhere),
    /// The row names a person or device the register does not know.
    Unknown(crate::domain::unknown::Unknown),
    /// The row names several people (or a device and a person) at once.
    Ambiguous(crate::domain::ambiguous::Ambiguous),
    /// The rules do not allow the move the row records.
    Move(crate::domain::rules::MoveRefusal),
    /// Something else was in the way (a number that belongs to someone else …).
    Refusal(crate::refusal::Refusal),
    /// A cell that cannot be read: `file:line: column "Serienr": why`.
    Problem(String),
}

impl std::fmt::Display for RowReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowReason::HeldElsewhere(held) => held.fmt(f),
            RowReason::Unknown(unknown) => unknown.fmt(f),
            RowReason::Ambiguous(ambiguous) => ambiguous.fmt(f),
            RowReason::Move(refusal) => refusal.fmt(f),
            RowReason::Refusal(refusal) => refusal.fmt(f),
            RowReason::Problem(message) => f.write_str(message),
        }
    }
}

/// A row handing out a device the register says someone else holds, when the import was
/// not asked to transfer it ([`super::OnConflict::Refuse`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldElsewhere {
    /// The row and its serial-number column.
    pub place: RowPlace,
    pub serial: String,
    /// [`crate::model::Person::label`] of the holder.
    pub holder: String,
    /// The local day the holder's handout began.
    pub since: NaiveDate,
}

impl std::fmt::Display for HeldElsewhere {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} is held by {} since {} in the register",
            self.place, self.serial, self.holder, self.since
        )
    }
}

/// What an import found and did.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub file: String,
    pub kind: ListKind,
    pub encoding: FileEncoding,
    pub delimiter: u8,
    pub columns: Columns,
    pub rows: u64,
    pub blank_rows: u64,
    /// What the reading read past or read differently: the sheet, title lines, totals,
    /// notes, lines re-decoded as Windows-1252, cells filled down.
    pub notes: ReadNotes,
    pub people_created: u64,
    pub people_updated: u64,
    pub devices_created: u64,
    pub devices_updated: u64,
    pub handouts_opened: u64,
    /// Handouts recorded as a return from one holder and a handout to another.
    pub transfers: u64,
    /// Rows that repeat a handout the register (or the file) already has.
    pub duplicates: u64,
    /// Handouts opened from rows with no date, so recorded as of the import.
    pub undated_handouts: u64,
    /// Handouts the register had with another date than the list's, corrected to the
    /// list's (`correct_dates`).
    pub dates_corrected: u64,
    /// Handouts the register has with another date than the list's, left as they are.
    pub dates_differ: u64,
    pub errors: Vec<RowError>,
    /// "Maria Olsson (4471): department, end_date", one per person changed.
    pub person_changes: Vec<String>,
    /// Managers the list names whom the register does not know: left as they were.
    pub unknown_managers: Vec<crate::domain::people::UnknownManager>,
    /// Rows written to the rejects file.
    pub rejected: u64,
    pub committed: bool,
    pub elapsed: Duration,
}

impl ImportSummary {
    /// The summary of `reader`'s file (named `file`) before any row is read.
    pub(super) fn nothing_yet(file: String, reader: &ImportReader) -> ImportSummary {
        ImportSummary {
            file,
            kind: reader.kind(),
            encoding: reader.encoding(),
            delimiter: reader.delimiter(),
            columns: reader.columns().clone(),
            rows: 0,
            blank_rows: 0,
            notes: ReadNotes::default(),
            people_created: 0,
            people_updated: 0,
            devices_created: 0,
            devices_updated: 0,
            handouts_opened: 0,
            transfers: 0,
            duplicates: 0,
            undated_handouts: 0,
            dates_corrected: 0,
            dates_differ: 0,
            errors: Vec::new(),
            person_changes: Vec::new(),
            unknown_managers: Vec::new(),
            rejected: 0,
            committed: false,
            elapsed: Duration::ZERO,
        }
    }

    /// Writes the refused rows to the rejects file, each reason in `words`, and counts them.
    pub(super) fn write_rejects(
        &mut self,
        writer: &mut RejectsWriter,
        words: fn(&RowReason) -> String,
    ) -> Result<()> {
        // A wide list's row is refused once per device in it, and written once: the
        // reasons of one line together.
        let mut errors = self.errors.iter().peekable();
        while let Some(error) = errors.next() {
            let mut reason = words(&error.reason);
            while let Some(next) = errors.next_if(|next| next.line == error.line) {
                reason.push_str("; ");
                reason.push_str(&words(&next.reason));
            }
            writer.write(&error.raw, &reason)?;
        }
        self.rejected = writer.count();
        Ok(())
    }

    /// Whether the import changed (or, in a dry run, would change) anything.
    pub fn changed_anything(&self) -> bool {
        self.people_created
            + self.people_updated
            + self.devices_created
            + self.devices_updated
            + self.handouts_opened
            + self.transfers
            + self.dates_corrected
            > 0
    }
}

//! What an import found and did: the summary the command line renders, and the refused
//! rows with their cells for the rejects file.

use crate::error::Result;
use crate::import::{Columns, FileEncoding, ImportReader, ListKind, ReadNotes, RejectsWriter};
use std::time::Duration;

/// A refused row: where and why, with its cells for the rejects file.
#[derive(Debug, Clone)]
pub struct RowError {
    pub line: u64,
    /// `file:line: column "Serienr": why`.
    pub message: String,
    pub(super) raw: csv::StringRecord,
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
    pub errors: Vec<RowError>,
    /// "Maria Olsson (4471): department, end_date", one per person changed.
    pub person_changes: Vec<String>,
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
            errors: Vec::new(),
            person_changes: Vec::new(),
            rejected: 0,
            committed: false,
            elapsed: Duration::ZERO,
        }
    }

    /// Writes the refused rows to the rejects file and counts them.
    pub(super) fn write_rejects(&mut self, writer: &mut RejectsWriter) -> Result<()> {
        for error in &self.errors {
            writer.write(&error.raw, &error.message)?;
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
            > 0
    }
}

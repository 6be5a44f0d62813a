//! `import`: the lists people already keep, brought into the register in one transaction
//! per file.
//!
//! Each row is first checked against the register as it stands (people and devices matched,
//! conflicts found) and only then written, so a refused row never leaves half of itself
//! behind. By default one refused row refuses the whole file; with `skip_invalid` the valid
//! rows go in and the refused ones are written to a rejects file. Importing the same file
//! twice changes nothing the second time.
//!
//! Two threads share the work: one reads the file and does everything a row needs without
//! the register (cells checked, a new device's fields, its handout event's details, the keys
//! for the bulk load's filter), a few batches ahead of the other, which holds the transaction
//! and applies the rows in order.
//!
//! How the parts fit, in the order a row meets them:
//!
//! - [`cells`]: on the reading thread, a row's cells read and checked ([`cells::RowCells`]:
//!   the person, the device and the handout it names, the keys it is looked up by) and,
//!   for the usual row (a new device handed out), its handout event's details written
//!   ahead (an [`crate::model::EventDetails`], as every event's, written straight to text).
//! - [`pipeline`]: the reading thread sends rows in batches of [`pipeline::ROWS_PER_BATCH`]
//!   over a bounded channel, a few batches ahead; the writer sends each batch back emptied,
//!   so that the reader frees and refills it.
//! - [`session`]: the writer's state for the file: the transaction, the people and handouts
//!   the file has written so far, the prepared inserts, the Bloom filter, the summary.
//! - [`matching`]: the writer finds the person and the device a row means and decides what
//!   its handout does (hand out, repeat, transfer, refuse), all before the first write.
//! - [`apply`]: then writes the person, the device, the handout and their events.
//! - [`bulk`]: a large list beside the register is bulk-loaded: the store drops the
//!   deferrable indexes inside the transaction and builds them again just before the
//!   commit, and a Bloom filter of the register's keys ([`crate::domain::known_keys`]) lets
//!   most new rows skip their look-ups.
//! - [`summary`]: what the import found and did, and the refused rows for the rejects file.

mod apply;
mod bulk;
mod cells;
mod matching;
mod pipeline;
mod session;
mod summary;

pub use bulk::BULK_MIN_BYTES;
pub use summary::{HeldElsewhere, ImportSummary, RowError, RowReason};

use super::Register;
use crate::error::Result;
use crate::import::{ImportReader, ImportSource, ReadOptions};
use bulk::BulkLoad;
use cells::ReadContext;
use session::Session;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to do with a device that the register says someone else holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnConflict {
    /// The row is an error that names the holder.
    #[default]
    Refuse,
    /// Record a return from the holder and a handout to the row's person.
    Transfer,
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub read: ReadOptions,
    pub on_conflict: OnConflict,
    /// Import the valid rows and write the refused ones to `rejects`.
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    /// Do everything but commit.
    pub dry_run: bool,
    /// A row repeating a handout the register has with another date corrects the
    /// handout's date to the row's, with a `corrected` event naming the file and line.
    pub correct_dates: bool,
    /// How the rejects file words a refused row's reason; `None` is the reason's own
    /// `Display`, which names no command or flag.
    pub reject_words: Option<fn(&RowReason) -> String>,
    /// The file size from which the import builds the register's secondary indexes once at
    /// the end instead of row by row; `None` is [`BULK_MIN_BYTES`]. Tests lower it.
    pub bulk_min_bytes: Option<u64>,
}

impl Register {
    /// Imports one file. Returns the summary; `committed` says whether the register changed.
    /// `progress` is called with the number of rows read, every few thousand rows.
    pub fn import(
        &mut self,
        source: ImportSource,
        options: &ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary> {
        let started = Instant::now();
        let file = file_name(source.name());
        let file_bytes = source.len();
        let mut reader = ImportReader::from_source(source, &options.read)?;
        let mut rejects = match (&options.rejects, options.skip_invalid) {
            (Some(target), true) => Some(reader.rejects_writer(target)?),
            _ => None,
        };
        let summary = ImportSummary::nothing_yet(file.clone(), &reader);
        let min_bytes = options.bulk_min_bytes.unwrap_or(BULK_MIN_BYTES);
        let mut summary = self.write_bulk_if(|tx, ctx| {
            let kind = reader.kind();
            let bulk = BulkLoad::begin(tx, kind, file_bytes, min_bytes)?;
            // The reading thread writes the file's name into events too.
            let reader_file = file.clone();
            let mut session = Session::new(
                tx,
                ctx,
                options.on_conflict,
                file.clone(),
                bulk.known,
                summary.clone(),
            )?;
            session.correct_dates = options.correct_dates;
            let context = ReadContext {
                kind,
                now: ctx.now,
                zone: ctx.zone,
                file: &reader_file,
            };
            pipeline::run(&mut session, &mut reader, context, progress)?;
            let unknown_managers = crate::domain::people::assign_managers(
                &session.writes,
                &session.managers,
                Some(&session.file),
            )?;
            let mut summary = session.summary;
            summary.unknown_managers = unknown_managers;
            let read = reader.summary();
            summary.rows = read.rows;
            summary.blank_rows = read.blank_rows;
            summary.notes = reader.notes();
            if let Some(writer) = &mut rejects {
                let words = options.reject_words.unwrap_or(|reason| reason.to_string());
                summary.write_rejects(writer, words)?;
            }
            let commit = !options.dry_run && (summary.errors.is_empty() || options.skip_invalid);
            summary.committed = commit;
            // Without a commit the rollback brings the dropped indexes back with the rest.
            if let Some(deferred) = bulk.deferred.filter(|_| commit) {
                tx.bulk().rebuild_indexes(deferred)?;
            }
            Ok((summary, commit))
        })?;
        if let Some(writer) = rejects {
            writer.finish()?;
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }
}

/// The file's name as events and messages give it.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests;

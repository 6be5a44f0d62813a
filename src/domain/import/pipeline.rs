//! The reading thread and the batches it sends the writer. Reading a row and checking its
//! cells needs no register, so it runs on a thread of its own a few batches ahead of the
//! writer, which holds the transaction; batches go over a bounded channel and come back
//! emptied, to be refilled.

use super::cells::{ReadContext, RowCells};
use super::session::Session;
use crate::error::{Error, Result};
use crate::import::{ImportReader, Row};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// A row as the reading thread hands it over: the row, and its cells or why the row is
/// refused (every error in a row's cells is about that row).
type ReadRow = (Row, std::result::Result<RowCells, String>);

/// Rows go from the reading thread to the writing one in batches of this many: a channel
/// message a row would cost more than some rows' work.
pub(super) const ROWS_PER_BATCH: usize = 256;

/// Batches in flight: enough that neither thread waits on the other's hiccups, few enough
/// that the rows in flight take a few MiB at most.
const BATCHES_IN_FLIGHT: usize = 8;

/// The reading thread: reads rows and their cells and sends them in batches until the file
/// ends, it cannot be read (the error is sent last), or the writer has stopped listening.
/// The writer sends the batches it is done with back, to be emptied here: memory is freed
/// fastest by the thread that took it, and the writer has enough to do.
fn read_rows(
    rows: &mut impl Iterator<Item = Result<Row>>,
    context: ReadContext<'_>,
    to_writer: &SyncSender<Result<Vec<ReadRow>>>,
    spent: &Receiver<Vec<ReadRow>>,
) {
    loop {
        let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
        for mut done in spent.try_iter() {
            done.clear();
            batch = done;
        }
        let mut failure = None;
        for row in rows.by_ref().take(ROWS_PER_BATCH) {
            match row {
                // A wide list's row is a row per device: each its own handout, or refusal.
                Ok(row) if row.is_wide() => {
                    for row in row.device_rows() {
                        let cells = RowCells::read(&row, context).map_err(|e| e.to_string());
                        batch.push((row, cells));
                    }
                }
                Ok(row) => {
                    let cells = RowCells::read(&row, context).map_err(|e| e.to_string());
                    batch.push((row, cells));
                }
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        let last = failure.is_some() || batch.len() < ROWS_PER_BATCH;
        if !batch.is_empty() && to_writer.send(Ok(batch)).is_err() {
            return;
        }
        if let Some(error) = failure {
            // The writer may have stopped already; then nobody needs this error.
            let _ = to_writer.send(Err(error));
        }
        if last {
            return;
        }
    }
}

/// Reads `reader`'s rows on a thread of its own and applies them in order in `session`,
/// calling `progress` every 4096 rows. Ends with the file, or with the first error that is
/// not about a row (one that is goes in the summary).
pub(super) fn run(
    session: &mut Session<'_>,
    reader: &mut ImportReader,
    context: ReadContext<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    std::thread::scope(|scope| -> Result<()> {
        let (to_writer, from_reader) = sync_channel(BATCHES_IN_FLIGHT);
        let (to_reader, spent) = channel();
        scope.spawn(move || read_rows(reader, context, &to_writer, &spent));
        let mut read: u64 = 0;
        for batch in from_reader {
            let batch = batch?;
            for (row, cells) in &batch {
                read += 1;
                let imported = match cells {
                    Ok(cells) => session.import_row(row, cells),
                    Err(refused) => Err(Error::InvalidInput(refused.clone())),
                };
                if let Err(error) = imported {
                    session.refuse_row(row, error)?;
                }
                if read.is_multiple_of(4096) {
                    progress(read);
                }
            }
            // The reader may be done: then this batch is simply dropped here.
            let _ = to_reader.send(batch);
        }
        Ok(())
    })
}

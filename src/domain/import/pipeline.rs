//! The reading thread and the batches it sends the writer. Reading a row and checking its
//! cells needs no register, so it runs on a thread of its own a few batches ahead of the
//! writer, which holds the transaction; batches go over a bounded channel and come back
//! emptied, to be refilled.

use super::cells::{ReadContext, RowCells};
use crate::error::Result;
use crate::import::Row;
use std::sync::mpsc::{Receiver, SyncSender};

/// A row as the reading thread hands it over: the row, and its cells or why the row is
/// refused (every error in a row's cells is about that row).
pub(super) type ReadRow = (Row, std::result::Result<RowCells, String>);

/// Rows go from the reading thread to the writing one in batches of this many: a channel
/// message a row would cost more than some rows' work.
pub(super) const ROWS_PER_BATCH: usize = 256;

/// Batches in flight: enough that neither thread waits on the other's hiccups, few enough
/// that the rows in flight take a few MiB at most.
pub(super) const BATCHES_IN_FLIGHT: usize = 8;

/// The reading thread: reads rows and their cells and sends them in batches until the file
/// ends, it cannot be read (the error is sent last), or the writer has stopped listening.
/// The writer sends the batches it is done with back, to be emptied here: memory is freed
/// fastest by the thread that took it, and the writer has enough to do.
pub(super) fn read_rows(
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

//! A bulk load's `COPY`s, run on a thread of their own so that the load goes on making its
//! next rows while the server writes the last ones. Without it the two took turns: on a
//! million-row import the process spent 9 of its 60 s making rows while the server waited,
//! and the server 51 s writing them while the process waited.
//!
//! One batch is written while the next is made; the load waits for the one before only when
//! the next is ready ([`Copier::send`]). Every other statement waits until the copier is done
//! ([`Copier::wait`]), so no query misses a row the load has added, and the rows go in the
//! order they were made, parents before the rows that refer to them.

use crate::error::{Error, Result};
use crate::store::{StoreError, StoreErrorKind};
use std::cell::Cell;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A batch of held rows: each table's `COPY` statement and its rows in COPY's text format.
pub(super) type Batch = Vec<(&'static str, String)>;

/// The load's end of the copier thread.
pub(super) struct Copier {
    batches: SyncSender<Batch>,
    written: Receiver<Result<()>>,
    /// Batches sent whose outcome has not been received yet (at most one).
    in_flight: Cell<usize>,
}

/// The copier thread's end: the batches to write, and where each one's outcome goes.
pub(super) struct CopierThread {
    batches: Receiver<Batch>,
    written: SyncSender<Result<()>>,
}

/// Both ends of a new copier.
pub(super) fn copier() -> (Copier, CopierThread) {
    let (to_copier, batches) = sync_channel(1);
    let (to_load, written) = sync_channel(1);
    let load_end = Copier {
        batches: to_copier,
        written,
        in_flight: Cell::new(0),
    };
    (
        load_end,
        CopierThread {
            batches,
            written: to_load,
        },
    )
}

impl Copier {
    /// Hands `batch` to the copier, once the batch before it is written.
    pub(super) fn send(&self, batch: Batch) -> Result<()> {
        self.wait()?;
        self.batches.send(batch).map_err(|_| stopped())?;
        self.in_flight.set(1);
        Ok(())
    }

    /// Waits until every batch sent is written; the first that failed is the error.
    pub(super) fn wait(&self) -> Result<()> {
        while self.in_flight.get() > 0 {
            let outcome = self.written.recv().map_err(|_| stopped())?;
            self.in_flight.set(self.in_flight.get() - 1);
            outcome?;
        }
        Ok(())
    }
}

impl CopierThread {
    /// Writes each batch that comes through `transaction`, until the load drops its end. A
    /// batch that fails leaves the transaction aborted: the load learns why when it waits,
    /// and every later statement fails until it rolls back.
    pub(super) fn run<T>(
        self,
        transaction: &Mutex<T>,
        copy: impl Fn(&mut T, &str, &[u8]) -> Result<u64>,
    ) {
        for batch in self.batches {
            let outcome = batch.iter().try_for_each(|(sql, data)| {
                copy(&mut locked(transaction), sql, data.as_bytes()).map(drop)
            });
            if self.written.send(outcome).is_err() {
                return;
            }
        }
    }
}

fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The copier thread ended without saying why: only a panic there does that.
fn stopped() -> Error {
    Error::Store(StoreError::new(
        StoreErrorKind::Other,
        "the thread writing the import's rows stopped unexpectedly",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_written_in_order_and_a_failure_reaches_the_load() {
        let table = Mutex::new(Vec::<String>::new());
        let (load, thread) = copier();
        std::thread::scope(|scope| {
            scope.spawn(|| {
                thread.run(&table, |rows: &mut Vec<String>, sql, data| {
                    if data == b"bad" {
                        return Err(Error::Refused("bad row".into()));
                    }
                    rows.push(format!("{sql}:{}", String::from_utf8_lossy(data)));
                    Ok(1)
                })
            });
            load.send(vec![("a", "1".into()), ("b", "2".into())])
                .unwrap();
            load.send(vec![("a", "3".into())]).unwrap();
            load.wait().unwrap();
            assert_eq!(*locked(&table), ["a:1", "b:2", "a:3"]);
            load.send(vec![("a", "bad".into())]).unwrap();
            assert!(load.wait().is_err());
            drop(load);
        });
    }
}

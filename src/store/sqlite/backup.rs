//! Copies of a live register, made with SQLite's online backup API while others keep
//! writing. A copy is written beside its destination under a temporary name and only put in
//! place once it is whole, so a destination never holds half a backup.

use crate::error::{Error, Result};
use crate::refusal::Refusal;
use crate::store::maintenance::PlaceableCopy;
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A finished copy under its temporary name. Dropping it without [`PartialCopy::place`]
/// removes it.
#[derive(Debug)]
pub struct PartialCopy {
    temporary: PathBuf,
    destination: PathBuf,
    placed: bool,
}

/// Copies the register `conn` has open to a temporary file beside `destination` (mode 0600:
/// it holds personal data). All pages are copied in one step, inside one read transaction,
/// so the copy is the register as it was at one moment, whatever others write meanwhile;
/// in WAL mode the writers do not wait for it.
pub(super) fn copy_beside(conn: &Connection, destination: &Path) -> Result<PartialCopy> {
    let name = destination
        .file_name()
        .ok_or_else(|| Refusal::NotAFileName {
            path: destination.to_path_buf(),
        })?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".partial-{}", std::process::id()));
    let temporary = destination.with_file_name(temporary_name);
    crate::files::create_new(&temporary)?;
    let copy = PartialCopy {
        temporary,
        destination: destination.to_path_buf(),
        placed: false,
    };
    let mut target = Connection::open(&copy.temporary)?;
    {
        let backup = Backup::new(conn, &mut target)?;
        // -1: every page in one step, so the copy is one moment of the register.
        let deadline = Instant::now() + super::BUSY_TIMEOUT;
        while backup.step(-1)? != StepResult::Done {
            if Instant::now() > deadline {
                return Err(Refusal::StayedLocked {
                    waited: super::BUSY_TIMEOUT,
                }
                .into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    // A backup is one self-contained file: no write-ahead log to copy along with it.
    target.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?;
    target.close().map_err(|(_, e)| e)?;
    Ok(copy)
}

impl PlaceableCopy for PartialCopy {
    fn path(&self) -> &Path {
        &self.temporary
    }

    /// Without `overwrite` the check and the placing are one step (a hard link fails if
    /// the name is taken). With it, the destination is replaced in one rename, and any
    /// `-wal`/`-shm` files left beside it by an earlier database of that name are removed:
    /// SQLite would otherwise read them as part of the copy.
    fn place(mut self: Box<Self>, overwrite: bool) -> Result<()> {
        if overwrite {
            for suffix in ["-wal", "-shm"] {
                let mut side = self.destination.clone().into_os_string();
                side.push(suffix);
                match std::fs::remove_file(&side) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(side, e));
                    }
                    _ => {}
                }
            }
            std::fs::rename(&self.temporary, &self.destination)
                .map_err(|e| Error::io(&self.destination, e))?;
            self.placed = true;
            return Ok(());
        }
        match std::fs::hard_link(&self.temporary, &self.destination) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(Error::Exists(self.destination.clone()))
            }
            // Some file systems (network shares, FAT) have no hard links.
            Err(_) if !self.destination.exists() => {
                std::fs::rename(&self.temporary, &self.destination)
                    .map_err(|e| Error::io(&self.destination, e))?;
                self.placed = true;
                Ok(())
            }
            Err(_) => Err(Error::Exists(self.destination.clone())),
        }
    }
}

impl Drop for PartialCopy {
    fn drop(&mut self) {
        if !self.placed {
            // Best effort: a leftover temporary file is visible and harmless.
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

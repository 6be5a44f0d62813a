//! Moving a whole register to another store (`handback copy`): from an SQLite file to a
//! PostgreSQL database or back, people, devices, handouts, the full audit trail, settings
//! and accounts, ids and all, into a target that holds nothing yet. The copy is then
//! verified: the same number of rows in every table, `check` passing on the target, and
//! the same export from both.

use super::{CheckReport, Register};
use crate::error::{Error, Result};
use crate::refusal::Refusal;
use crate::store::copying::{Cell, TABLES};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Rows written to the target in one go.
const BATCH: usize = 5_000;

/// What a copy did, and what verifying it found.
#[derive(Debug, Clone, Serialize)]
pub struct CopyOutcome {
    pub from: PathBuf,
    pub to: PathBuf,
    /// Each table and how many rows it holds on both sides.
    pub tables: Vec<CopiedTable>,
    /// `check` on the target.
    pub check: CheckReport,
    /// Whether people, devices, handouts and events export the same from both.
    pub same_export: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CopiedTable {
    pub table: &'static str,
    pub rows: i64,
}

impl Register {
    /// Copies this register into a new one at `target` (a file that does not exist yet, or
    /// an empty database), and verifies the copy. A target that holds anything is refused.
    pub fn copy_to(&self, target: &Path) -> Result<CopyOutcome> {
        let (mut copy, created_file) = self.empty_target(target)?;
        let written = self.read(|source| {
            copy.write_bulk_if(|destination, _| {
                for table in TABLES {
                    // A new register starts with its default settings: the source's replace them.
                    destination.copying().clear(table)?;
                    let mut batch: Vec<Vec<Cell>> = Vec::with_capacity(BATCH);
                    source.copying().for_each_row(table, &mut |row| {
                        batch.push(row);
                        if batch.len() == BATCH {
                            destination.copying().write_rows(table, &batch)?;
                            batch.clear();
                        }
                        Ok(())
                    })?;
                    destination.copying().write_rows(table, &batch)?;
                }
                destination.copying().continue_ids()?;
                Ok(((), true))
            })
        });
        if let Err(error) = written {
            drop(copy);
            if let Some(file) = created_file {
                remove_register_file(&file);
            }
            return Err(error);
        }
        let copy = Register::open(target, self.actor(), None)?;
        self.verify(copy)
    }

    /// The register at `target`, new or empty, and the file this created, if it did.
    fn empty_target(&self, target: &Path) -> Result<(Register, Option<PathBuf>)> {
        let shown = |register: &Register| register.path().to_path_buf();
        let on_server = crate::store::server_address(target).is_some();
        if !on_server && target.exists() {
            return Err(Error::Exists(target.to_path_buf()));
        }
        match Register::create(target, self.actor(), self.zone()) {
            Ok(register) => Ok((register, (!on_server).then(|| target.to_path_buf()))),
            // A database that holds a register already may take the copy only while empty.
            Err(Error::Exists(_)) if on_server => {
                let register = Register::open(target, self.actor(), None)?;
                let rows = register.read(|tx| {
                    TABLES
                        .iter()
                        .filter(|table| table.name != "setting")
                        .map(|table| tx.copying().row_count(table))
                        .sum::<Result<i64>>()
                })?;
                if rows > 0 {
                    return Err(Refusal::TargetHoldsData {
                        location: shown(&register),
                        rows,
                    }
                    .into());
                }
                Ok((register, None))
            }
            Err(other) => Err(other),
        }
    }

    /// Counts, `check` and the export of both registers.
    fn verify(&self, copy: Register) -> Result<CopyOutcome> {
        let counts = |register: &Register| {
            register.read(|tx| {
                TABLES
                    .iter()
                    .map(|table| {
                        Ok(CopiedTable {
                            table: table.name,
                            rows: tx.copying().row_count(table)?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            })
        };
        let (here, there) = (counts(self)?, counts(&copy)?);
        for (source, target) in here.iter().zip(&there) {
            if source.rows != target.rows {
                return Err(Refusal::CopyDiffers {
                    what: format!(
                        "{} holds {} rows here and {} in the copy",
                        source.table, source.rows, target.rows
                    ),
                }
                .into());
            }
        }
        Ok(CopyOutcome {
            from: self.path().to_path_buf(),
            to: copy.path().to_path_buf(),
            tables: there,
            check: copy.check()?,
            same_export: export_digest(self)? == export_digest(&copy)?,
        })
    }
}

/// A digest of everything `export` writes of a register: people, devices, handouts, events.
fn export_digest(register: &Register) -> Result<Vec<u8>> {
    let mut digest = Sha256::new();
    let mut add = |value: serde_json::Result<String>| -> Result<()> {
        let line = value.map_err(|e| {
            Error::Store(crate::store::StoreError::new(
                crate::store::StoreErrorKind::Other,
                e,
            ))
        })?;
        digest.update(line.as_bytes());
        digest.update(b"\n");
        Ok(())
    };
    register.export_people(|person| add(serde_json::to_string(&person)))?;
    register.export_devices(|device| add(serde_json::to_string(&device)))?;
    register.export_handouts(|handout| add(serde_json::to_string(&handout)))?;
    register.export_events(|event| add(serde_json::to_string(&event)))?;
    Ok(digest.finalize().to_vec())
}

/// Removes a register file a failed copy created, with the journal files beside it.
fn remove_register_file(file: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
}

//! `handback backup`: a consistent copy of a register that others keep writing, checked
//! before it is put in place.

use super::{CheckReport, Register};
use crate::error::{Error, Result};
use crate::refusal::Refusal;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupOutcome {
    pub path: PathBuf,
    /// The check of the copy (clean, or the backup would have been refused).
    pub report: CheckReport,
}

impl Register {
    /// Copies the register to `to`, checks the copy, and only then puts it in place. An
    /// existing `to` is refused unless `overwrite`; the register itself always is.
    pub fn backup(&self, to: &Path, overwrite: bool) -> Result<BackupOutcome> {
        if to.exists() {
            if same_file(to, self.path()) {
                return Err(Refusal::BackupIsTheRegister {
                    path: to.to_path_buf(),
                }
                .into());
            }
            if !overwrite {
                return Err(Error::Exists(to.to_path_buf()));
            }
        }
        if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty())
            && !folder.is_dir()
        {
            return Err(Refusal::NoSuchFolder {
                folder: folder.to_path_buf(),
            }
            .into());
        }
        let copy = self.store().copy_beside(to)?;
        let report = Register::open_read_only(copy.path(), "backup", Some(self.zone()))?.check()?;
        if !report.is_ok() {
            return Err(Error::CheckFailed(format!(
                "{report}the copy was not kept; restore the register from an earlier backup"
            )));
        }
        copy.place(overwrite)?;
        Ok(BackupOutcome {
            path: to.to_path_buf(),
            report,
        })
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

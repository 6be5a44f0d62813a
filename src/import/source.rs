//! Where a list comes from: a file on disk, or bytes from anywhere else (an upload), with
//! the name that messages and the register's events give it.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

/// A source that can be read more than once from its start (encoding, delimiter, rows).
pub trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// A list to import.
pub struct ImportSource {
    name: PathBuf,
    len: u64,
    reader: Box<dyn ReadSeek>,
}

impl ImportSource {
    /// A list file. A path that is missing, a folder or unreadable is invalid input (exit
    /// 65, as `--help` promises).
    pub fn file(path: &Path) -> Result<ImportSource> {
        let shown = path.display();
        let unreadable = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => Error::invalid(format!(
                "{shown} does not exist: give the path of a list to import"
            )),
            _ => Error::invalid(format!("{shown} cannot be read: {e}")),
        };
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        if metadata.is_dir() {
            return Err(Error::invalid(format!(
                "{shown} is a folder: give the path of a list file to import"
            )));
        }
        let file = File::open(path).map_err(unreadable)?;
        Ok(ImportSource {
            name: path.to_path_buf(),
            len: metadata.len(),
            reader: Box::new(BufReader::new(file)),
        })
    }

    /// A list already in memory (an upload), called `name` in messages and events.
    pub fn bytes(name: &str, bytes: Vec<u8>) -> ImportSource {
        ImportSource {
            name: PathBuf::from(name),
            len: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            reader: Box::new(Cursor::new(bytes)),
        }
    }

    /// The name messages give the list: its path, or an upload's file name.
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn into_parts(self) -> (PathBuf, Box<dyn ReadSeek>) {
        (self.name, self.reader)
    }
}

//! The one place handback creates files. What it writes (the register, backups, documents,
//! rejects files) holds personal data: names, e-mail addresses, who holds what. So every
//! file is readable and writable by its owner only (mode 0600 on Unix), an existing file it
//! replaces included.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Creates `path`, or empties it if it exists, with mode 0600. A file that cannot be made
/// private is left as it was, not emptied; a device or pipe (`--out /dev/stdout`) is written
/// to as it is.
pub fn create(path: &Path) -> Result<File> {
    let file = open(path, OpenOptions::new().write(true).create(true))?;
    let is_file = file.metadata().map_err(|e| Error::io(path, e))?.is_file();
    if is_file {
        make_private(&file, path)?;
        file.set_len(0).map_err(|e| Error::io(path, e))?;
    }
    Ok(file)
}

/// Creates `path`, which must not exist yet, with mode 0600.
pub fn create_new(path: &Path) -> Result<File> {
    let file = open(path, OpenOptions::new().write(true).create_new(true))?;
    make_private(&file, path)?;
    Ok(file)
}

/// Writes `bytes` to `path` (created or replaced, mode 0600).
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = create(path)?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| Error::io(path, e))
}

fn open(path: &Path, options: &mut OpenOptions) -> Result<File> {
    if path.is_dir() {
        return Err(Error::invalid(format!(
            "{} is a folder: give the name of a file to write",
            path.display()
        )));
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    options.open(path).map_err(|e| Error::io(path, e))
}

/// The mode given to `open` applies to a new file only (and the umask may narrow it); a file
/// being replaced is made private too.
fn make_private(file: &File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (file, path);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_and_replaced_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.html");
        write(&new, b"<p>x</p>").unwrap();
        assert_eq!(mode(&new), 0o600);
        let old = dir.path().join("old.csv");
        std::fs::write(&old, "a,b\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&old, b"c,d\n").unwrap();
        assert_eq!(
            (mode(&old), std::fs::read(&old).unwrap()),
            (0o600, b"c,d\n".to_vec())
        );
        assert!(create_new(&old).is_err());
        let err = write(dir.path(), b"").unwrap_err();
        assert_eq!(err.exit_code(), 65, "{err}");
    }

    /// `--out /dev/null` (or a terminal, or a pipe) is written to, never chmodded.
    #[test]
    fn a_device_is_written_to_as_it_is() {
        let null = Path::new("/dev/null");
        let before = mode(null);
        write(null, b"x").unwrap();
        assert_eq!(mode(null), before);
    }
}

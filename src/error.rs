//! The library's one error type and the exit code each kind of error maps to.
//!
//! The exit codes are part of handback's interface (scripts depend on them):
//! 0 ok, 1 refused or failed, 2 usage (clap's own, and the `clap::Error`s the command line
//! raises after parsing), 65 invalid input data.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit status for input data that cannot be used (BSD's `EX_DATAERR`).
pub const EXIT_INVALID_DATA: u8 = 65;
/// Exit status for a refusal or a failure.
pub const EXIT_REFUSED: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A refusal worded where it was raised: the command line's own (`init` over an existing
    /// file, …) and an import row's problem. The domain and the store raise
    /// [`Error::Refusal`] instead.
    #[error("{0}")]
    Refused(String),

    /// What was in the way of an operation of the domain or the store, with its facts; a
    /// front end words it. It knows its exit code (65 for unusable input, else 1).
    #[error("{0}")]
    Refusal(crate::refusal::Refusal),

    /// A person, device or department reference matched nothing; it names the nearest.
    #[error("{0}")]
    Unknown(crate::domain::unknown::Unknown),

    /// A move the rules of the register do not allow, with its facts.
    #[error("{0}")]
    Move(crate::domain::rules::MoveRefusal),

    /// A handout's own due date before the day it is handed out.
    #[error(
        "the due date {due} is before the handout ({handed_out}): a device is due back on or \
         after the day it is handed out"
    )]
    DueBeforeHandout {
        due: chrono::NaiveDate,
        handed_out: chrono::NaiveDate,
    },

    /// A person who cannot be erased (yet).
    #[error("{0}")]
    Forget(crate::domain::ForgetRefusal),

    /// A file that would be replaced, which only an explicit request may do.
    #[error("{} exists already: give a new file name", .0.display())]
    Exists(PathBuf),

    /// A final step that must be confirmed (recycling a device that could be reused).
    #[error("{0}")]
    Unconfirmed(crate::refusal::Unconfirmed),

    /// A reference that names more than one person, or both a device and a person; it
    /// lists them.
    #[error("{0}")]
    Ambiguous(crate::domain::ambiguous::Ambiguous),

    /// An import row naming a device that someone else holds in the register, when the
    /// import was not asked to transfer it.
    #[error("{0}")]
    HeldElsewhere(Box<crate::domain::HeldElsewhere>),

    /// A value given on the command line or in a file cannot be used (bad date, empty serial…),
    /// as the parsers of `validate`, `zone`, `files` and `import` word it.
    #[error("{0}")]
    InvalidInput(String),

    /// A whole input file was refused; the report lists every problem, one per line.
    #[error("{summary}\n{details}")]
    InvalidFile { summary: String, details: String },

    /// No register file at the path; each front end says how to create one or choose
    /// another.
    #[error("no register at {}", .0.display())]
    NoRegister(PathBuf),

    /// A register that can be read here but not changed: the file, or (with `folder`) the
    /// folder its journal files must be created in, is read-only.
    #[error("{}", read_only(path, folder.as_deref()))]
    ReadOnly {
        path: PathBuf,
        folder: Option<PathBuf>,
    },

    /// The register's own time-zone setting names no zone handback knows; a front end says
    /// how to work in another one.
    #[error("the register's time zone setting {0:?} is not a zone handback knows")]
    UnknownZoneSetting(String),

    #[error("{} is not a handback register ({reason}); it was left untouched", path.display())]
    NotARegister { path: PathBuf, reason: String },

    #[error(
        "{} was written by a newer handback (schema version {found}; this handback knows up to {supported}); upgrade handback to open it",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// The register is damaged; `handback check` lists how.
    #[error("the register failed its checks:\n{0}")]
    CheckFailed(String),

    /// The io error is the source, so the message gains it once, as a cause.
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("the register could not be read or written")]
    Store(#[from] crate::store::StoreError),
}

impl From<crate::refusal::Refusal> for Error {
    fn from(refusal: crate::refusal::Refusal) -> Self {
        Error::Refusal(refusal)
    }
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::InvalidInput(_)
            | Error::InvalidFile { .. }
            | Error::DueBeforeHandout { .. }
            | Error::HeldElsewhere(_) => EXIT_INVALID_DATA,
            Error::Refusal(refusal) => refusal.exit_code(),
            _ => EXIT_REFUSED,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused(message.into())
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Why a register cannot be changed here, and what would let it be.
fn read_only(path: &std::path::Path, folder: Option<&std::path::Path>) -> String {
    match folder {
        Some(folder) => format!(
            "the register {} can be read but not changed here: its folder {} is read-only to \
             you, and SQLite must create its journal files ({}-wal, -shm) beside the register \
             to change it; ask for write access to the folder, or copy the register to one you \
             may write",
            path.display(),
            folder.display(),
            path.file_name()
                .map_or("register".into(), |n| n.to_string_lossy()),
        ),
        None => format!(
            "the register {} is read-only here (a read-only file system, or no permission to \
             write it): it can be read but not changed; copy it somewhere writable, or ask for \
             write access",
            path.display()
        ),
    }
}

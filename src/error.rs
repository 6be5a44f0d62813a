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
    /// A rule of the register is in the way (device held by someone else, nothing to return…).
    #[error("{0}")]
    Refused(String),

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
    Unconfirmed(String),

    /// A name matched several people; the message lists their numbers.
    #[error("{0}")]
    Ambiguous(String),

    /// A value given on the command line or in a file cannot be used (bad date, empty serial…).
    #[error("{0}")]
    InvalidInput(String),

    /// A whole input file was refused; the report lists every problem, one per line.
    #[error("{summary}\n{details}")]
    InvalidFile { summary: String, details: String },

    #[error(
        "no register at {}: run `handback init --db {}` to create one, or point --db or HANDBACK_DB at an existing register",
        .0.display(), .0.display()
    )]
    NoRegister(PathBuf),

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

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::InvalidInput(_) | Error::InvalidFile { .. } | Error::DueBeforeHandout { .. } => {
                EXIT_INVALID_DATA
            }
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

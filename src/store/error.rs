//! The store's own error: what kind of failure it was, for the domain and the front ends
//! to act on (wait and retry when busy; restore from a backup when corrupt), with the
//! database library's error kept as the source.

use std::fmt;

/// What went wrong in the store, as far as anyone above it needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// Another writer held the register longer than the store waits.
    Busy,
    /// A write broke a rule of the schema (a unique key, a reference).
    Constraint,
    /// The database broke the transaction off to keep it apart from a concurrent one (a
    /// serialization failure or a deadlock): run again, it succeeds. The store does so itself
    /// for an operation; an import that meets it is rolled back whole.
    Conflict,
    /// The register's file or data is damaged.
    Corrupt,
    Other,
}

/// A failure of the store, with the library's error as its source.
#[derive(Debug)]
pub struct StoreError {
    pub kind: StoreErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl StoreError {
    pub fn new(
        kind: StoreErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        StoreError {
            kind,
            source: source.into(),
        }
    }
}

/// Shows the library's own message: the front end already says that the register could
/// not be read or written, and the message says why.
impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

/// The source's own cause, so that a chain of causes names each once.
impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.source()
    }
}

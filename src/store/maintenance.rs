//! Looking after the register itself: the checks `check` runs, and copies for backups.

use crate::error::Result;
use crate::model::PersonId;
use std::path::Path;

/// A row whose reference points at nothing (`PRAGMA foreign_key_check`).
#[derive(Debug, Clone, PartialEq)]
pub struct DanglingReference {
    pub table: String,
    pub rowid: Option<i64>,
    pub parent: String,
}
/// An event whose details are not a JSON object, with the serial of its device if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableEvent {
    pub id: i64,
    pub serial: Option<String>,
}
/// What the register says about one device now, and what its history says.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFacts {
    pub serial: String,
    /// The status column as written (a damaged file may hold any text).
    pub status: String,
    pub open_handouts: i64,
    /// The holder of the (first) open handout.
    pub holder: Option<PersonId>,
    /// `status_after` of the device's last event that has one.
    pub last_status: Option<String>,
    /// The last event that changed who holds the device: its action (as written: a damaged
    /// file may hold any text) and person.
    pub last_custody: Option<(String, Option<PersonId>)>,
}
/// How much the register holds, for the summary of a clean check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub people: i64,
    pub devices: i64,
    pub open_handouts: i64,
    pub events: i64,
}

pub trait Maintenance {
    /// The lines of `PRAGMA integrity_check`; empty when SQLite finds nothing wrong.
    fn integrity(&self) -> Result<Vec<String>>;

    fn foreign_keys(&self) -> Result<Vec<DanglingReference>>;

    /// Events whose details are not a JSON object. The schema leaves this to `check` (see
    /// migrations/0003): validating every event as it is written cost an import a few percent.
    fn unreadable_events(&self) -> Result<Vec<UnreadableEvent>>;

    fn device_facts(&self) -> Result<Vec<DeviceFacts>>;

    fn counts(&self) -> Result<Counts>;
}

/// A finished copy of the register under a temporary name. Dropping it without
/// [`PlaceableCopy::place`] removes it.
pub trait PlaceableCopy {
    /// Where the copy is now, to check it before it is placed.
    fn path(&self) -> &Path;

    /// Puts the copy at its destination. Without `overwrite` an existing destination is
    /// refused.
    fn place(self: Box<Self>, overwrite: bool) -> Result<()>;
}

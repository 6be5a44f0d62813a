//! The store seam: what the domain asks of a register's storage, and nothing about how it
//! is kept. A [`Store`] owns its connections and serves a whole process (the command line,
//! or a server with many desks at once); each operation gets one [`Transaction`], whose
//! accessors reach one aggregate each (people, devices, handouts, events, follow-up,
//! maintenance, bulk loading, settings). SQLite ([`sqlite`]) is the one implementation
//! today; a second database is a second implementation of these traits, and the domain
//! above does not change.
//!
//! Nothing outside this folder names the database library: CI checks it.

pub mod accounts;
pub mod bulk;
pub mod copying;
pub mod devices;
pub mod error;
pub mod events;
pub mod followup;
pub mod handouts;
pub mod maintenance;
pub mod notices;
pub mod people;
pub mod postgres;
pub mod settings;
pub mod sqlite;
mod words;

pub use error::{StoreError, StoreErrorKind};

use crate::error::Result;
use crate::model::{DeviceId, HandoutId, PersonId, Status};
use devices::DeviceFields;
use events::{NewEvent, Stamps};
use handouts::NewHandout;
use people::PersonFields;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Creates a new register at `location`, a file path or a `postgres://` address (an empty
/// database), in `time_zone` (an IANA name).
pub fn create(location: &Path, time_zone: &str) -> Result<Arc<dyn Store>> {
    Ok(match server_address(location) {
        Some(url) => Arc::new(postgres::PostgresStore::create(url, time_zone)?),
        None => Arc::new(sqlite::SqliteStore::create(location, time_zone)?),
    })
}

/// Opens the register at `location` (see [`create`]), bringing an older schema up to date.
pub fn open(location: &Path) -> Result<Arc<dyn Store>> {
    Ok(match server_address(location) {
        Some(url) => Arc::new(postgres::PostgresStore::open(url)?),
        None => Arc::new(sqlite::SqliteStore::open(location)?),
    })
}

/// Opens the register at `location` to look at it only, changing nothing.
pub fn open_read_only(location: &Path) -> Result<Arc<dyn Store>> {
    Ok(match server_address(location) {
        Some(url) => Arc::new(postgres::PostgresStore::open_read_only(url)?),
        None => Arc::new(sqlite::SqliteStore::open_read_only(location)?),
    })
}

/// The `postgres://` address a location is, if it is one rather than a file.
pub fn server_address(location: &Path) -> Option<&str> {
    location
        .to_str()
        .filter(|text| postgres::is_postgres_url(text))
}

/// A query run in one snapshot.
pub type Query<'a> = Box<dyn FnOnce(&dyn Transaction) -> Result<()> + 'a>;

/// An operation run in one write transaction; it says whether to commit. A store may run a
/// [`Load::Operation`] more than once: when the database broke the transaction off to keep
/// it apart from a concurrent one ([`StoreErrorKind::Conflict`]), it is rolled back and run
/// again. A [`Load::Bulk`] write is never run twice: an import reads its file as it goes.
pub type Operation<'a> = &'a mut dyn FnMut(&dyn Transaction) -> Result<bool>;

/// Storage for one register, shared by every request of a process.
pub trait Store: Send + Sync {
    /// Runs `query` against one consistent snapshot: a `show` or a report never mixes the
    /// state before and after another technician's change.
    fn read(&self, query: Query<'_>) -> Result<()>;

    /// Runs `operation` in one write transaction, holding the register's write lock from
    /// its start, so that two technicians never both read a state and then both write.
    /// Commits when `operation` returns `Ok(true)`; rolls back on `Ok(false)` (a dry run)
    /// or an error.
    fn write(&self, load: Load, operation: Operation<'_>) -> Result<()>;

    /// What this process may do with the register.
    fn access(&self) -> &Access;

    /// Where the register is, for messages.
    fn location(&self) -> &Path;

    /// The schema version of the register.
    fn schema_version(&self) -> Result<i64>;

    /// A consistent copy of the register, under a temporary name beside `destination`, to
    /// be checked before it is put in place.
    fn copy_beside(&self, destination: &Path) -> Result<Box<dyn maintenance::PlaceableCopy>>;

    /// Leaves no trace of removed data anywhere in the register's storage; false when a
    /// reader kept part of it from being rewritten now (a later write does it).
    fn scrub(&self) -> Result<bool>;
}

/// How much a write changes, for a store to size its caches by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// One operation: a few rows.
    Operation,
    /// A bulk load (an import): up to millions of rows at scattered places.
    Bulk,
}

/// One transaction's view of the register, one accessor per aggregate.
pub trait Transaction {
    fn people(&self) -> &dyn people::People;
    fn devices(&self) -> &dyn devices::Devices;
    fn handouts(&self) -> &dyn handouts::Handouts;
    fn events(&self) -> &dyn events::Events;
    fn followup(&self) -> &dyn followup::FollowUp;
    fn maintenance(&self) -> &dyn maintenance::Maintenance;
    fn bulk(&self) -> &dyn bulk::Bulk;
    fn settings(&self) -> &dyn settings::Settings;
    fn accounts(&self) -> &dyn accounts::Accounts;
    fn copying(&self) -> &dyn copying::Copying;
    fn notices(&self) -> &dyn notices::Notices;
    /// The inserts every write makes, prepared for this transaction.
    fn inserts(&self) -> Result<Box<dyn Inserts + '_>>;
}

/// The aggregate accessors of [`Transaction`] for a store whose one transaction type
/// implements every aggregate trait itself, as both stores' do: each returns `self`.
macro_rules! every_aggregate_is_self {
    () => {
        fn people(&self) -> &dyn $crate::store::people::People {
            self
        }
        fn devices(&self) -> &dyn $crate::store::devices::Devices {
            self
        }
        fn handouts(&self) -> &dyn $crate::store::handouts::Handouts {
            self
        }
        fn events(&self) -> &dyn $crate::store::events::Events {
            self
        }
        fn followup(&self) -> &dyn $crate::store::followup::FollowUp {
            self
        }
        fn maintenance(&self) -> &dyn $crate::store::maintenance::Maintenance {
            self
        }
        fn bulk(&self) -> &dyn $crate::store::bulk::Bulk {
            self
        }
        fn settings(&self) -> &dyn $crate::store::settings::Settings {
            self
        }
        fn accounts(&self) -> &dyn $crate::store::accounts::Accounts {
            self
        }
        fn copying(&self) -> &dyn $crate::store::copying::Copying {
            self
        }
        fn notices(&self) -> &dyn $crate::store::notices::Notices {
            self
        }
    };
}
use every_aggregate_is_self;

/// The inserts of a transaction, each statement prepared once for it, with moments already
/// in their stored text form ([`moment_to_sql`]): an import writes a million rows through
/// them, and a row's moment is formatted once for its device, its handout and its event.
pub trait Inserts {
    fn device(
        &mut self,
        fields: &DeviceFields,
        status: Status,
        since: &str,
        now: &str,
    ) -> Result<DeviceId>;
    fn handout(&mut self, handout: &NewHandout<'_>, at: &str) -> Result<HandoutId>;
    /// An event, with its details as JSON text.
    fn event(&mut self, event: &NewEvent<'_>, stamps: Stamps<'_>, details: &str) -> Result<i64>;
    fn person(&mut self, fields: &PersonFields, now: &str) -> Result<PersonId>;
}

/// What this process may do with a register it can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    /// The register cannot be written: a read-only file system or mount, or no permission.
    ReadOnlyFile,
    /// The register can be written but the folder it is in (named here) cannot, as on
    /// shared folders set up read-only: SQLite creates its journal files (`-wal`, `-shm`,
    /// `-journal`) beside the register to change it, so nothing can be changed.
    ReadOnlyFolder(PathBuf),
}

/// UTC moments are stored as `YYYY-MM-DDTHH:MM:SSZ`, which sorts as text.
pub fn moment_to_sql(moment: chrono::DateTime<chrono::Utc>) -> String {
    moment.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

//! The SQLite store: register files, their migrations, and the SQL of every aggregate.
//! One writer connection and a pool of read-only readers (WAL lets them read while it
//! writes), each behind a lock, so one [`SqliteStore`] serves a whole process.

mod accounts;
mod backup;
mod bulk;
mod check;
mod copying;
mod devices;
mod events;
mod file;
mod followup;
mod handouts;
mod notices;
mod people;
mod prepared;
#[cfg(test)]
mod query_plans;
mod settings;
#[cfg(test)]
pub(crate) mod testing;

use super::{
    Access, Inserts, Load, Operation, Query, Store, StoreError, StoreErrorKind, Transaction,
    moment_to_sql,
};
use crate::error::{Error, Result};
use crate::store::maintenance::PlaceableCopy;
use chrono::{DateTime, NaiveDate, Utc};
use file::{create, open, open_inspecting, open_unwritable, schema_version};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The whole current schema: what a new register is created from.
pub const SCHEMA: &str = include_str!("../../../schema.sql");

/// The road from each older schema version to the next, in order: `MIGRATIONS[n]` takes a
/// register from version n to n + 1 (version 0 is an empty file). Append only; never edit a
/// shipped migration.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/0001_initial.sql"),
    include_str!("../../../migrations/0002_returns_covering_index.sql"),
    include_str!("../../../migrations/0003_leaner_writes.sql"),
    include_str!("../../../migrations/0004_own_due_back.sql"),
    include_str!("../../../migrations/0005_missing_as_of.sql"),
    include_str!("../../../migrations/0006_settings.sql"),
    include_str!("../../../migrations/0007_accounts.sql"),
    include_str!("../../../migrations/0008_setting_event.sql"),
    include_str!("../../../migrations/0009_directory.sql"),
];

/// The schema version this handback writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Marks a SQLite file as a handback register ("HBK1"), so handback never mistakes another
/// program's database for one, or writes into it.
pub const APPLICATION_ID: i64 = 0x4842_4B31;

/// How long a writer waits for another technician's transaction before giving up. Write
/// transactions are short, so this is only reached when something is badly stuck.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The page size of a new register, in bytes. Twice SQLite's default: a large import fills
/// B-trees of hundreds of thousands of entries at scattered places, and bigger pages make
/// them shallower and split them half as often (10 % faster at 100 000 rows). Registers
/// made before keep their own page size; nothing else depends on it.
pub const PAGE_SIZE: i64 = 8192;

/// A register in an SQLite file: one writer and a pool of readers.
pub struct SqliteStore {
    path: PathBuf,
    access: Access,
    /// `None` when the register cannot be changed here.
    writer: Option<Mutex<Connection>>,
    /// Readers not in use; another is opened when all are busy.
    readers: Mutex<Vec<Connection>>,
    readers_are: Readers,
}

/// Readers close before the writer: the last connection to close checkpoints the
/// write-ahead log into the register and removes it, and only the writer can. Were a reader
/// last, the log would stay beside the register, as large as everything written since (a
/// large import: the whole register again), and every later process would read through it.
impl Drop for SqliteStore {
    fn drop(&mut self) {
        match self.readers.get_mut() {
            Ok(readers) => readers.clear(),
            Err(poisoned) => poisoned.into_inner().clear(),
        }
        self.writer = None;
    }
}

/// How a reader connection is opened, as the register was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Readers {
    /// Read-only connections beside a writer, through the write-ahead log.
    BesideWriter,
    /// A register this process cannot change ([`open_unwritable`]).
    Unwritable,
    /// A register looked at only, never changed, not even checkpointed on close.
    Inspecting,
}

impl SqliteStore {
    /// Creates a new register file (mode 0600 on Unix: it holds personal data) with the
    /// whole schema and its time zone (an IANA name), in one transaction. Refuses to touch
    /// an existing file.
    pub fn create(path: &Path, time_zone: &str) -> Result<SqliteStore> {
        let writer = create(path, time_zone)?;
        Ok(SqliteStore::around(
            path,
            Access::ReadWrite,
            Some(writer),
            Vec::new(),
            Readers::BesideWriter,
        ))
    }

    /// Opens an existing register, upgrading an older schema in one transaction. A missing
    /// file is an error, never an empty register: a typo in a path must not look like one.
    /// A register this process may not change is opened for reading, and says why in its
    /// [`Access`].
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let (conn, access) = open(path)?;
        Ok(
            if access == Access::ReadWrite && !conn.is_readonly(rusqlite::MAIN_DB)? {
                SqliteStore::around(path, access, Some(conn), Vec::new(), Readers::BesideWriter)
            } else {
                let access = match access {
                    Access::ReadWrite => Access::ReadOnlyFile,
                    other => other,
                };
                SqliteStore::around(path, access, None, vec![conn], Readers::Unwritable)
            },
        )
    }

    /// Opens a register for reading only, changing nothing in the file: no journal mode
    /// switch, no upgrade, no checkpoint when it closes. `check` uses it, so that looking
    /// at a damaged register (or at a file that is no register at all) never makes it worse.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        let conn = open_inspecting(path)?;
        Ok(SqliteStore::around(
            path,
            Access::ReadOnlyFile,
            None,
            vec![conn],
            Readers::Inspecting,
        ))
    }

    fn around(
        path: &Path,
        access: Access,
        writer: Option<Connection>,
        readers: Vec<Connection>,
        readers_are: Readers,
    ) -> SqliteStore {
        SqliteStore {
            path: path.to_path_buf(),
            access,
            writer: writer.map(Mutex::new),
            readers: Mutex::new(readers),
            readers_are,
        }
    }

    fn open_reader(&self) -> Result<Connection> {
        match self.readers_are {
            Readers::BesideWriter => {
                let conn = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                file::settle(&conn)?;
                conn.pragma_update(None, "mmap_size", READER_MMAP_BYTES)?;
                Ok(conn)
            }
            Readers::Unwritable => open_unwritable(&self.path),
            Readers::Inspecting => open_inspecting(&self.path),
        }
    }

    /// An idle reader, or a new one.
    fn reader(&self) -> Result<Connection> {
        match locked(&self.readers)?.pop() {
            Some(conn) => Ok(conn),
            None => self.open_reader(),
        }
    }

    fn writer(&self) -> Result<MutexGuard<'_, Connection>> {
        match &self.writer {
            Some(writer) => locked(writer),
            None => Err(StoreError::new(
                StoreErrorKind::Other,
                "the register is open for reading only",
            )
            .into()),
        }
    }
}

/// A lock another thread panicked while holding still guards a connection SQLite keeps
/// consistent (its transaction was rolled back): carry on with it.
fn locked<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>> {
    Ok(mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

impl Store for SqliteStore {
    fn read(&self, query: Query<'_>) -> Result<()> {
        let conn = self.reader()?;
        let result = (|| {
            let snapshot = conn.unchecked_transaction()?;
            query(&Tx { conn: &snapshot })?;
            // Only reads happened: rolling back ends the snapshot, and unlike a commit it
            // does not fail on a damaged file that `check` is reporting on.
            snapshot.finish()?;
            Ok(())
        })();
        locked(&self.readers)?.push(conn);
        result
    }

    fn write(&self, load: Load, operation: Operation<'_>) -> Result<()> {
        let mut conn = self.writer()?;
        let bulk = match load {
            Load::Operation => None,
            Load::Bulk => Some(bulk::Loading::begin(&conn, BULK_CACHE_KIB)?),
        };
        let result = (|| {
            // Taken up front (`BEGIN IMMEDIATE`): the busy timeout makes a second writer
            // wait for the first instead of failing.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let loaded = match &bulk {
                Some(_) => Some(bulk::LoadedRows::mark(&tx)?),
                None => None,
            };
            if operation(&Tx { conn: &tx })? {
                if let Some(loaded) = loaded {
                    loaded.verify_references(&tx)?;
                }
                tx.commit()?;
            }
            Ok(())
        })();
        if let Some(bulk) = bulk {
            bulk.end(&conn)?;
        }
        result
    }

    fn access(&self) -> &Access {
        &self.access
    }

    fn location(&self) -> &Path {
        &self.path
    }

    fn schema_version(&self) -> Result<i64> {
        let conn = self.reader()?;
        let version = schema_version(&conn);
        locked(&self.readers)?.push(conn);
        version
    }

    fn copy_beside(&self, destination: &Path) -> Result<Box<dyn PlaceableCopy>> {
        let conn = self.reader()?;
        let copy = backup::copy_beside(&conn, destination);
        locked(&self.readers)?.push(conn);
        Ok(Box::new(copy?))
    }

    /// VACUUM rewrites the whole database without free space (secure delete only covers
    /// what this handback removed; a register written by an older one may hold old values
    /// in free pages), and a truncating checkpoint moves the write-ahead log into the file
    /// and empties it, old page images and all.
    fn scrub(&self) -> Result<bool> {
        let conn = self.writer()?;
        conn.execute_batch("VACUUM")?;
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(busy == 0)
    }
}

/// One transaction on one connection: every aggregate's SQL runs through it.
pub(crate) struct Tx<'c> {
    conn: &'c Connection,
}

impl Transaction for Tx<'_> {
    super::every_aggregate_is_self!();
    fn inserts(&self) -> Result<Box<dyn Inserts + '_>> {
        Ok(Box::new(prepared::Prepared::prepare(self.conn)?))
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        let kind = match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreErrorKind::Busy
            }
            Some(rusqlite::ErrorCode::ConstraintViolation) => StoreErrorKind::Constraint,
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreErrorKind::Corrupt
            }
            _ => StoreErrorKind::Other,
        };
        StoreError::new(kind, error)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::Store(error.into())
    }
}

/// The page cache a bulk write such as an import works with, in KiB. SQLite's default (2 MiB)
/// is far smaller than the indexes a large list touches at random (serial numbers arrive in
/// no order), and every page that falls out of it is read back from the write-ahead log.
/// This is an upper bound, not an allocation: a small import uses what it needs.
const BULK_CACHE_KIB: i64 = 32 * 1024;

/// Sets the page cache of a connection, in KiB; returns the previous setting (in SQLite's
/// units: negative KiB or positive pages) to put back.
pub(crate) fn set_cache_size_kib(conn: &Connection, kib: i64) -> Result<i64> {
    let previous: i64 = conn.pragma_query_value(None, "cache_size", |row| row.get(0))?;
    conn.pragma_update(None, "cache_size", -kib)?;
    Ok(previous)
}

/// How many prepared statements each connection keeps: every hot statement of an
/// operation or an import row stays prepared.
const STATEMENT_CACHE: usize = 64;
/// A reader beside the writer (many of them in `handback serve`) reads the register through
/// a memory map of up to this much of the file rather than copying each page it needs into
/// its own page cache: a look-up in a large register then costs no system calls. Measured
/// under wrk on the 1 000 000-handout register: a fifth more device look-ups a second and a
/// p99 lower by a third. SQLite checks the file's size before touching the map, so a file
/// that shrinks (VACUUM) is read correctly.
const READER_MMAP_BYTES: i64 = 1 << 30;

pub fn moment_from_sql(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|m| m.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })
}

pub fn date_to_sql(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn date_from_sql(text: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

/// Runs a query expected to return at most one row.
pub(crate) fn optional<T>(result: rusqlite::Result<T>) -> Result<Option<T>> {
    Ok(result.optional()?)
}

/// A text column borrowed from its row (NULL is `None`), for a scan that looks at every
/// row and keeps few.
pub(crate) fn text_at<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    Ok(row.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })?)
}

/// Every schema object with its SQL, by name: what tests compare to see a schema unchanged.
#[cfg(test)]
pub(crate) fn schema_rows(conn: &Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every road to the current version must end in the same schema.
    #[test]
    fn migrations_reach_the_same_schema_as_schema_sql() {
        let fresh = Connection::open_in_memory().unwrap();
        fresh.execute_batch(SCHEMA).unwrap();
        let migrated = Connection::open_in_memory().unwrap();
        for migration in MIGRATIONS {
            migrated.execute_batch(migration).unwrap();
        }
        let normalise = |rows: Vec<(String, String)>| -> Vec<(String, String)> {
            rows.into_iter()
                .map(|(name, sql)| (name, sql.split_whitespace().collect::<Vec<_>>().join(" ")))
                .collect()
        };
        assert_eq!(
            normalise(schema_rows(&fresh)),
            normalise(schema_rows(&migrated))
        );
    }

    #[test]
    fn a_newer_register_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let conn = create(&path, "Europe/Stockholm").unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = open(&path).unwrap_err();
        assert!(matches!(err, Error::NewerSchema { .. }), "{err}");
    }

    #[test]
    fn an_older_register_is_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        drop(conn);
        let (conn, _) = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
    }

    /// Steps of the program SQLite compiles for `sql`.
    fn opcodes(conn: &Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
        stmt.query_map([rusqlite::types::Null], |row| row.get::<_, String>(1))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_register_with_rows_is_upgraded_in_place_and_its_checks_still_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        for migration in &MIGRATIONS[..2] {
            conn.execute_batch(migration).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO device (serial, kind, status, status_since, created_at)
             VALUES ('OLD-1', 'laptop', 'in_stock', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             INSERT INTO event (at, recorded_at, actor, action, device_id, status_after)
             VALUES ('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'x', 'device_added', 1,
                     'in_stock');",
        )
        .unwrap();
        let insert = "INSERT INTO device (serial, kind, status, status_since, created_at)
                      VALUES ('NEW-1', 'laptop', ?1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')";
        assert!(opcodes(&conn, insert).contains(&"OpenEphemeral".to_string()));
        // Another technician's connection, open before the upgrade.
        let other = Connection::open(&path).unwrap();
        drop(conn);

        let (conn, _) = open(&path).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        assert!(!opcodes(&conn, insert).contains(&"OpenEphemeral".to_string()));
        assert!(!opcodes(&other, insert).contains(&"OpenEphemeral".to_string()));
        let serials: i64 = conn
            .query_row(
                "SELECT count(*) FROM device WHERE serial = 'OLD-1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(serials, 1);
        assert!(conn.execute(insert, ["borrowed"]).is_err());
        assert!(conn.execute(insert, ["in_stock"]).is_ok());
        assert!(
            conn.execute(
                "UPDATE handout SET returned_at = 'x', end_reason = 'mislaid' WHERE id = 1",
                []
            )
            .is_ok_and(|n| n == 0)
        );
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
    }

    /// Migration 0004 gives each handout already written its own due date where it can only
    /// have been its own: a due date other than the holder's last working day.
    #[test]
    fn an_upgrade_keeps_each_handouts_own_due_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        for migration in &MIGRATIONS[..3] {
            conn.execute_batch(migration).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(
            "INSERT INTO person (id, name, name_key, end_date, created_at)
             VALUES (1, 'A B', 'a b', '2027-01-31', '2025-01-01T00:00:00Z');
             INSERT INTO device (id, serial, kind, status, status_since, created_at) VALUES
                (1, 'S1', 'laptop', 'handed_out', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
                (2, 'S2', 'phone', 'handed_out', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
                (3, 'S3', 'dock', 'handed_out', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
             INSERT INTO handout (device_id, person_id, handed_out_at, handed_out_by, due_back)
             VALUES (1, 1, '2025-01-01T00:00:00Z', 'x', '2027-01-31'),
                    (2, 1, '2025-01-01T00:00:00Z', 'x', '2026-12-15'),
                    (3, 1, '2025-01-01T00:00:00Z', 'x', NULL);",
        )
        .unwrap();
        drop(conn);
        let (conn, _) = open(&path).unwrap();
        let own: Vec<Option<String>> = conn
            .prepare("SELECT own_due_back FROM handout ORDER BY device_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(own, [None, Some("2026-12-15".to_string()), None]);
    }

    #[test]
    fn a_foreign_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        assert!(matches!(open(&path), Err(Error::NotARegister { .. })));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}

//! The PostgreSQL store: the same register as [`super::sqlite`], on a database server, for
//! organisations whose register many sites share and whose server team keeps the database
//! (replication, backups, monitoring). It implements the same traits, so the domain above
//! does not know which store it runs on.
//!
//! Connections come from a small pool: a read runs in a `REPEATABLE READ READ ONLY`
//! transaction (one snapshot, as on SQLite); a write in a `READ COMMITTED` transaction that
//! first takes the register's write lock, a transaction-scoped advisory lock, so writers
//! take turns exactly as SQLite's one writer does and every writer sees what the one before
//! it committed. A transaction the server breaks off all the same (a deadlock with some
//! other program's session, a serialization failure, a connection lost before the commit)
//! is rolled back and run again, never shown to the user.

mod accounts;
mod bulk;
mod check;
mod connect;
mod copier;
mod copying;
mod devices;
mod events;
mod followup;
mod handouts;
mod inserts;
mod notices;
mod pending;
mod people;
mod schema;
mod settings;
mod written;

pub use connect::is_postgres_url;

use super::maintenance::PlaceableCopy;
use super::{
    Access, Inserts, Load, Operation, Query, Store, StoreError, StoreErrorKind, Transaction,
};
use crate::error::{Error, Result};
use crate::refusal::Refusal;
use postgres::types::ToSql;
use postgres::{Client, IsolationLevel, Row, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The whole current schema: what a new register is created from.
pub const SCHEMA: &str = include_str!("../../../schema-postgres.sql");

/// The road from each older schema version to the next (`MIGRATIONS[n]` takes a database
/// from version n to n + 1; version 0 is an empty database). Append only.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_initial.sql"),
    include_str!("../../../migrations/postgres/0002_setting_event.sql"),
    include_str!("../../../migrations/postgres/0003_directory.sql"),
];

/// The schema version this handback writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock every write transaction takes first ("HBK1", as the SQLite register's
/// application id): one writer at a time per register, across every process and site.
const WRITE_LOCK: i64 = 0x4842_4B31;

/// How many times a transaction the server broke off is run before the error is shown.
const ATTEMPTS: u32 = 5;

/// How many rows a scan over a whole table fetches at a time: a trail of millions of events
/// is streamed, never held.
const BATCH_ROWS: i32 = 2000;

/// The planner's statistics of the tables a load just grew, before the next look-up reads
/// them (autovacuum gets there later): measured on the million-row register, `device show`
/// took 87 ms right after the import and 12 ms once analysed. From a sample of 3 000 rows a
/// table (statistics target 10) rather than the server's 30 000: on that register 0.1 s
/// instead of 2.4 s, and every look-up in `bench/run` planned as fast. The statistics say
/// how many rows a key matches, which a sample that size tells well; the next ANALYZE,
/// autovacuum's or a server team's, takes the server's own target.
const ANALYZE_AFTER_LOAD: &str = "BEGIN; SET LOCAL default_statistics_target = 10; \
    ANALYZE person, device, handout, event; COMMIT";

/// A register in a PostgreSQL database.
pub struct PostgresStore {
    config: postgres::Config,
    /// The address without its password, for messages.
    shown_as: PathBuf,
    idle: Mutex<Vec<Conn>>,
    access: Access,
}

/// Each connection runs a small runtime of its own, which must not be dropped on a thread
/// that drives another (a server shutting down drops its store there): the idle ones are
/// closed on a thread of their own.
impl Drop for PostgresStore {
    fn drop(&mut self) {
        let idle = std::mem::take(&mut *locked(&self.idle));
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

/// A connection and the statements prepared on it.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl PostgresStore {
    /// Creates the register's schema in an empty database, with its time zone. Refuses a
    /// database that already holds tables: a register is never mixed with anything else.
    pub fn create(url: &str, time_zone: &str) -> Result<PostgresStore> {
        let store = PostgresStore::connecting(url)?;
        let mut conn = store.connection()?;
        schema::create(&mut conn.client, &store.shown_as, time_zone)?;
        store.put_back(conn);
        Ok(store)
    }

    /// Opens an existing register, upgrading an older schema in one transaction. A database
    /// without handback's schema is refused, never filled.
    pub fn open(url: &str) -> Result<PostgresStore> {
        let store = PostgresStore::connecting(url)?;
        let mut conn = store.connection()?;
        schema::open(&mut conn.client, &store.shown_as)?;
        store.put_back(conn);
        Ok(store)
    }

    /// Opens a register to look at it only (`check`): no upgrade, and every transaction
    /// read-only.
    pub fn open_read_only(url: &str) -> Result<PostgresStore> {
        let mut store = PostgresStore::connecting(url)?;
        let mut conn = store.connection()?;
        schema::identify_at_once(&mut conn.client, &store.shown_as)?;
        store.put_back(conn);
        store.access = Access::ReadOnlyFile;
        Ok(store)
    }

    fn connecting(url: &str) -> Result<PostgresStore> {
        let (config, shown_as) = connect::config(url)?;
        Ok(PostgresStore {
            config,
            shown_as: PathBuf::from(shown_as),
            idle: Mutex::new(Vec::new()),
            access: Access::ReadWrite,
        })
    }

    /// An idle connection, or a new one.
    fn connection(&self) -> Result<Conn> {
        if let Some(conn) = locked(&self.idle).pop()
            && !conn.client.is_closed()
        {
            return Ok(conn);
        }
        let client = self
            .config
            .connect(postgres::NoTls)
            .map_err(|e| connect::unreachable(&self.shown_as, e))?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
        })
    }

    fn put_back(&self, conn: Conn) {
        if !conn.client.is_closed() {
            locked(&self.idle).push(conn);
        }
    }

    /// Runs one write transaction: the write lock first, then `operation`.
    fn write_once(&self, conn: &mut Conn, load: Load, operation: Operation<'_>) -> Result<()> {
        let Conn { client, statements } = conn;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()?;
        schema::take_write_lock(&mut tx)?;
        let tx = Tx::new(tx, statements, load == Load::Bulk);
        let proceed = match load {
            Load::Bulk => tx.with_copier(operation)?,
            Load::Operation => operation(&tx)?,
        };
        if !proceed {
            return Ok(());
        }
        tx.write_pending()?;
        tx.into_inner().commit().map_err(committing)?;
        if load == Load::Bulk {
            client.batch_execute(ANALYZE_AFTER_LOAD)?;
        }
        Ok(())
    }
}

/// A commit that failed because the connection went may or may not have been recorded:
/// never run again, and said so.
fn committing(error: postgres::Error) -> Error {
    if error.is_closed() {
        return Error::Store(StoreError::new(
            StoreErrorKind::Other,
            format!(
                "the connection to the database was lost while committing ({error}): \
                 whether the change was recorded is not known; look before doing it again"
            ),
        ));
    }
    error.into()
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Store for PostgresStore {
    fn read(&self, query: Query<'_>) -> Result<()> {
        let mut conn = self.connection()?;
        let result = (|| {
            let Conn { client, statements } = &mut conn;
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let tx = Tx::new(tx, statements, false);
            query(&tx)?;
            tx.into_inner().rollback()?;
            Ok(())
        })();
        self.put_back(conn);
        result
    }

    fn write(&self, load: Load, operation: Operation<'_>) -> Result<()> {
        if self.access != Access::ReadWrite {
            return Err(StoreError::new(
                StoreErrorKind::Other,
                "the register is open for reading only",
            )
            .into());
        }
        let mut attempt = 1;
        loop {
            let mut conn = self.connection()?;
            let result = self.write_once(&mut conn, load, &mut *operation);
            self.put_back(conn);
            match result {
                Err(Error::Store(error))
                    if error.kind == StoreErrorKind::Conflict
                        && load == Load::Operation
                        && attempt < ATTEMPTS =>
                {
                    attempt += 1;
                    // Apart a little, so two transactions that deadlocked do not meet again.
                    std::thread::sleep(std::time::Duration::from_millis(
                        5 * u64::from(attempt * attempt),
                    ));
                }
                other => return other,
            }
        }
    }

    fn access(&self) -> &Access {
        &self.access
    }

    fn location(&self) -> &Path {
        &self.shown_as
    }

    fn schema_version(&self) -> Result<i64> {
        let mut conn = self.connection()?;
        let version = schema::version(&mut conn.client);
        self.put_back(conn);
        version?.ok_or_else(|| Error::NotARegister {
            path: self.shown_as.clone(),
            reason: "it holds no handback schema".into(),
        })
    }

    fn copy_beside(&self, _destination: &Path) -> Result<Box<dyn PlaceableCopy>> {
        Err(Refusal::BackupOfServerRegister {
            location: self.shown_as.display().to_string(),
        }
        .into())
    }

    /// The server keeps no copy of an erased value in the table once VACUUM has reclaimed
    /// its old row versions; a plain VACUUM of the person table does that without locking
    /// out readers.
    fn scrub(&self) -> Result<bool> {
        let mut conn = self.connection()?;
        // One statement each: VACUUM cannot run inside the transaction a batch would be.
        let result = ["VACUUM person", "VACUUM event"]
            .into_iter()
            .try_for_each(|sql| conn.client.batch_execute(sql))
            .map_err(Error::from);
        self.put_back(conn);
        result.map(|()| true)
    }
}

/// One transaction: every aggregate's SQL runs through it, each statement prepared once per
/// connection.
pub(crate) struct Tx<'c> {
    /// Behind a lock only for a bulk load's copier thread ([`copier`]), which takes turns
    /// with the load's own statements.
    tx: Mutex<postgres::Transaction<'c>>,
    statements: RefCell<&'c mut HashMap<String, Statement>>,
    /// A bulk load's new rows, held back to be written by `COPY` ([`pending`]).
    pending: Option<RefCell<pending::Pending>>,
    /// While a bulk load runs, the thread that writes the rows it held back.
    copier: RefCell<Option<copier::Copier>>,
    /// While a first load has the unique indexes of serials and asset tags down, the keys it
    /// wrote.
    written: RefCell<Option<written::WrittenKeys>>,
}

/// Ends the copier thread when the load is done with it, however it ends: the thread stops
/// once the load's end of it goes, and the scope it runs in waits for that.
struct StopCopier<'t, 'c>(&'t Tx<'c>);

impl Drop for StopCopier<'_, '_> {
    fn drop(&mut self) {
        self.0.copier.borrow_mut().take();
    }
}

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl<'c> Tx<'c> {
    fn new(
        tx: postgres::Transaction<'c>,
        statements: &'c mut HashMap<String, Statement>,
        bulk: bool,
    ) -> Self {
        Tx {
            tx: Mutex::new(tx),
            statements: RefCell::new(statements),
            pending: bulk.then(RefCell::default),
            copier: RefCell::new(None),
            written: RefCell::new(None),
        }
    }

    /// Runs a bulk load's `operation` with a thread of its own writing the rows it holds
    /// back, and waits until they are all written.
    fn with_copier(&self, operation: Operation<'_>) -> Result<bool> {
        let (load_end, thread_end) = copier::copier();
        std::thread::scope(|scope| {
            let transaction = &self.tx;
            scope.spawn(move || thread_end.run(transaction, copy_rows));
            *self.copier.borrow_mut() = Some(load_end);
            let _stop = StopCopier(self);
            let proceed = operation(self)?;
            if proceed {
                self.write_pending()?;
            }
            Ok(proceed)
        })
    }

    /// Notes that `device` has `serial` and `tag` now, while their indexes are down; makes
    /// the tags' index again, over the rows written so far, when they cannot be kept.
    fn wrote_device(&self, serial: &str, tag: Option<&str>, device: i64) -> Result<()> {
        let make = self
            .written
            .borrow_mut()
            .as_mut()
            .and_then(|keys| keys.add(serial, tag, device));
        match make {
            Some(make) => self.batch(&make),
            None => Ok(()),
        }
    }

    /// What the load's written keys say of a key, by `look`; the table's index says when no
    /// load keeps them.
    fn written_key(
        &self,
        look: impl Fn(&written::WrittenKeys) -> written::Written,
    ) -> written::Written {
        match self.written.borrow().as_ref() {
            Some(keys) => look(keys),
            None => written::Written::AskTheTable,
        }
    }

    /// The transaction, to run a statement on; the caller has written the held rows
    /// ([`Tx::write_pending`]) if the statement must see them.
    fn transaction(&self) -> MutexGuard<'_, postgres::Transaction<'c>> {
        locked(&self.tx)
    }

    /// Hands the rows a bulk load holds back to the copier (waiting for the batch before
    /// them only), or writes them here if there is none.
    fn send_pending(&self) -> Result<()> {
        let Some(pending) = &self.pending else {
            return Ok(());
        };
        if pending.borrow().is_empty() {
            return Ok(());
        }
        let batch = pending.borrow_mut().take();
        match self.copier.borrow().as_ref() {
            Some(copier) => copier.send(batch),
            None => batch.iter().try_for_each(|(sql, data)| {
                copy_rows(&mut self.transaction(), sql, data.as_bytes()).map(drop)
            }),
        }
    }

    /// Writes the rows a bulk load holds back, parents first, and waits until they are in.
    fn write_pending(&self) -> Result<()> {
        self.send_pending()?;
        match self.copier.borrow().as_ref() {
            Some(copier) => copier.wait(),
            None => Ok(()),
        }
    }

    fn into_inner(self) -> postgres::Transaction<'c> {
        self.tx
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The statement for `sql`, prepared on this connection once. Rows a bulk load holds
    /// back are written first, so that no statement misses them.
    fn prepared(&self, sql: &str) -> Result<Statement> {
        self.write_pending()?;
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.transaction().prepare(sql)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    fn rows(&self, sql: &str, params: Params<'_>) -> Result<Vec<Row>> {
        let statement = self.prepared(sql)?;
        Ok(self.transaction().query(&statement, params)?)
    }

    fn row(&self, sql: &str, params: Params<'_>) -> Result<Row> {
        let statement = self.prepared(sql)?;
        Ok(self.transaction().query_one(&statement, params)?)
    }

    fn optional_row(&self, sql: &str, params: Params<'_>) -> Result<Option<Row>> {
        let statement = self.prepared(sql)?;
        Ok(self.transaction().query_opt(&statement, params)?)
    }

    fn execute(&self, sql: &str, params: Params<'_>) -> Result<u64> {
        let statement = self.prepared(sql)?;
        Ok(self.transaction().execute(&statement, params)?)
    }

    /// Statements without parameters, sent at once; rows a bulk load holds back are
    /// written first.
    fn batch(&self, sql: &str) -> Result<()> {
        self.write_pending()?;
        Ok(self.transaction().batch_execute(sql)?)
    }

    /// `COPY … FROM STDIN` of rows in COPY's text format, after the held rows.
    fn copy_in(&self, sql: &str, data: &[u8]) -> Result<u64> {
        self.write_pending()?;
        copy_rows(&mut self.transaction(), sql, data)
    }

    /// Calls `visit` with every row of a query, fetched a batch at a time through a portal,
    /// so a scan of millions of rows holds one batch; `visit` may use the transaction
    /// between rows.
    fn each(
        &self,
        sql: &str,
        params: Params<'_>,
        visit: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let statement = self.prepared(sql)?;
        let portal = self.transaction().bind(&statement, params)?;
        loop {
            let rows = self.transaction().query_portal(&portal, BATCH_ROWS)?;
            for row in &rows {
                visit(row)?;
            }
            if rows.len() < BATCH_ROWS as usize {
                return Ok(());
            }
        }
    }
}

/// `COPY … FROM STDIN` of rows in COPY's text format, in `tx`.
fn copy_rows(tx: &mut postgres::Transaction<'_>, sql: &str, data: &[u8]) -> Result<u64> {
    use std::io::Write;
    let mut writer = tx.copy_in(sql)?;
    writer
        .write_all(data)
        .map_err(|e| StoreError::new(StoreErrorKind::Other, e))?;
    Ok(writer.finish()?)
}

impl Transaction for Tx<'_> {
    super::every_aggregate_is_self!();
    fn inserts(&self) -> Result<Box<dyn Inserts + '_>> {
        Ok(Box::new(inserts::Prepared::prepare(self)?))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> Self {
        use postgres::error::SqlState;
        let kind = match error.code() {
            Some(code)
                if *code == SqlState::T_R_SERIALIZATION_FAILURE
                    || *code == SqlState::T_R_DEADLOCK_DETECTED =>
            {
                StoreErrorKind::Conflict
            }
            Some(code) if *code == SqlState::LOCK_NOT_AVAILABLE => StoreErrorKind::Busy,
            Some(code) if code.code().starts_with("23") => StoreErrorKind::Constraint,
            Some(code)
                if *code == SqlState::DATA_CORRUPTED || *code == SqlState::INDEX_CORRUPTED =>
            {
                StoreErrorKind::Corrupt
            }
            // The connection went (a server restart, a fail-over) before the commit was
            // sent: nothing was written, and a new connection can run it again.
            None if error.is_closed() => StoreErrorKind::Conflict,
            _ => StoreErrorKind::Other,
        };
        StoreError::new(kind, error)
    }
}

impl From<postgres::Error> for Error {
    fn from(error: postgres::Error) -> Self {
        Error::Store(error.into())
    }
}

/// A value the store read that the model has no word for (a damaged row).
fn unreadable(what: impl Into<String>) -> Error {
    Error::Store(StoreError::new(StoreErrorKind::Corrupt, what.into()))
}

/// Column `index` of a row, as `T`; a column of another type is an error, never a panic.
fn get<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, index: usize) -> Result<T> {
    Ok(row.try_get(index)?)
}

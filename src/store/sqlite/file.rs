//! Register files: creating one, opening one as this process may (to change it, to read
//! it only, or to look at it without touching it), telling a register from any other file,
//! and bringing an older one up to date.

use super::{APPLICATION_ID, BUSY_TIMEOUT, MIGRATIONS, PAGE_SIZE, SCHEMA, SCHEMA_VERSION};
use super::{STATEMENT_CACHE, Tx};
use crate::error::{Error, Result};
use crate::store::Access;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// Creates a new register file (mode 0600 on Unix: it holds personal data) with the whole
/// schema and its time zone (an IANA name), in one transaction. Refuses to touch an
/// existing file.
pub(super) fn create(path: &Path, time_zone: &str) -> Result<Connection> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    crate::files::create_new(path)?;
    let mut conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    // Before anything is written: the page size is fixed when the file is first written.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    configure(&conn)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(SCHEMA)?;
    crate::store::settings::Settings::set_time_zone(&Tx { conn: &tx }, time_zone)?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(conn)
}

/// Whether this process may write the register file and create files beside it.
pub(super) fn access_of(path: &Path) -> Access {
    if !writable(path) {
        return Access::ReadOnlyFile;
    }
    // SQLite puts its journal files beside the file a symbolic link leads to.
    let real = std::fs::canonicalize(path).unwrap_or(path.to_path_buf());
    let path = real.as_path();
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if folder_writable(folder) {
        Access::ReadWrite
    } else {
        Access::ReadOnlyFolder(std::fs::canonicalize(folder).unwrap_or(folder.to_path_buf()))
    }
}

/// Opens an existing register, upgrading an older schema in one transaction. A missing file
/// is an error, never an empty register: a typo in a path must not look like one. A
/// register this process may not change is opened for reading, and says why in its
/// [`Access`].
pub(super) fn open(path: &Path) -> Result<(Connection, Access)> {
    existing_file(path)?;
    let access = access_of(path);
    if access != Access::ReadWrite {
        let conn = open_unwritable(path)?;
        refuse_newer(&conn, path)?;
        if schema_version(&conn)? < SCHEMA_VERSION {
            let folder = match access {
                Access::ReadOnlyFolder(folder) => Some(folder),
                _ => None,
            };
            return Err(crate::refusal::Refusal::OlderRegisterUnwritable {
                path: path.to_path_buf(),
                folder,
            }
            .into());
        }
        return Ok((conn, access));
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_a_register(path, e))?;
    identify(&conn, path)?;
    configure(&conn)?;
    upgrade(&mut conn, path)?;
    Ok((conn, access))
}

/// Whether this process may write the register file (a read-only file system, a read-only
/// mount of a backup, or missing permission say no).
fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// Whether this process may create files in `folder`, asked of the kernel (`faccessat`
/// with the effective ids) rather than by creating one.
#[cfg(unix)]
fn folder_writable(folder: &Path) -> bool {
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    accessat(
        CWD,
        folder,
        Access::WRITE_OK | Access::EXEC_OK,
        AtFlags::EACCESS,
    )
    .is_ok()
}

#[cfg(not(unix))]
fn folder_writable(_folder: &Path) -> bool {
    true
}

/// A register that cannot be changed here cannot always host the WAL's shared-memory file
/// beside it, so SQLite could not even read it the usual way. When a writer elsewhere has
/// the register open (its `-wal` and `-shm` files are there), SQLite reads through them;
/// otherwise the file is opened `immutable`, read as it stands without locks or side
/// files. Writes are refused by the domain.
pub(super) fn open_unwritable(path: &Path) -> Result<Connection> {
    let beside = |suffix: &str| {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        Path::new(&side).exists()
    };
    let conn = if beside("-wal") && beside("-shm") {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    } else {
        // SQLite URIs give `?` and `#` meaning and decode `%`: escape those in the path.
        let escaped = path
            .to_string_lossy()
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        Connection::open_with_flags(
            format!("file:{escaped}?immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }
    .map_err(|e| not_a_register(path, e))?;
    settle(&conn)?;
    identify(&conn, path)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

pub(super) fn refuse_newer(conn: &Connection, path: &Path) -> Result<()> {
    let found = schema_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Opens a register for reading only, changing nothing in the file: no journal mode switch,
/// no upgrade, no checkpoint when it closes. `handback check` uses it, so that looking at a
/// damaged register (or at a file that is no register at all) never makes it worse.
pub(super) fn open_inspecting(path: &Path) -> Result<Connection> {
    existing_file(path)?;
    if access_of(path) != Access::ReadWrite {
        let conn = open_unwritable(path)?;
        refuse_newer(&conn, path)?;
        return Ok(conn);
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_a_register(path, e))?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    settle(&conn)?;
    identify(&conn, path)?;
    refuse_newer(&conn, path)?;
    Ok(conn)
}

/// The register file must exist and be a file with something in it: SQLite would take a
/// missing or empty file for a new, empty database.
pub(super) fn existing_file(path: &Path) -> Result<()> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NoRegister(path.to_path_buf()),
        _ => Error::io(path, e),
    })?;
    let reason = if metadata.is_dir() {
        "it is a directory; give the path of the register file"
    } else if metadata.len() == 0 {
        "it is an empty file"
    } else {
        return Ok(());
    };
    Err(Error::NotARegister {
        path: path.to_path_buf(),
        reason: reason.into(),
    })
}

/// Checks the file is a handback register before anything writes to it.
pub(super) fn identify(conn: &Connection, path: &Path) -> Result<()> {
    let application_id: i64 = conn
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(|e| not_a_register(path, e))?;
    if application_id != APPLICATION_ID {
        return Err(Error::NotARegister {
            path: path.to_path_buf(),
            reason: "it is an SQLite database of some other program".into(),
        });
    }
    Ok(())
}

pub(super) fn not_a_register(path: &Path, error: rusqlite::Error) -> Error {
    Error::NotARegister {
        path: path.to_path_buf(),
        reason: match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => "it is not an SQLite database".into(),
            _ => error.to_string(),
        },
    }
}

/// WAL lets technicians read while one writes; the busy timeout makes a second writer wait
/// its turn instead of failing with "database is locked". Secure delete overwrites what a
/// change removes (an erased person's name, an old e-mail address) instead of leaving it in
/// free space in the file.
pub(super) fn configure(conn: &Connection) -> Result<()> {
    settle(conn)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // A read-only register (a backup on a DVD, a read-only mount) can still be read.
    if !conn.is_readonly(rusqlite::MAIN_DB)? {
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "DELETE")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "secure_delete", true)?;
    }
    Ok(())
}

/// What every connection gets, writer or reader. The busy timeout makes a connection wait
/// for another's lock instead of failing. The query planner's stability guarantee keeps
/// each statement's plan whatever values are bound to it: without it SQLite re-plans a
/// statement such as `WHERE person_id = ?1 ORDER BY id` every time a new person is bound,
/// which cost the person page over 40 % of its time; handback's plans never depend on the
/// values (no `LIKE ?`, no statistics).
pub(super) fn settle(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

pub(super) fn upgrade(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found < 0 {
        return Err(Error::NotARegister {
            path: path.to_path_buf(),
            reason: format!("its schema version {found} is not one handback writes"),
        });
    }
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have upgraded it while this one waited for the lock.
    let found: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for migration in MIGRATIONS.iter().skip(usize::try_from(found).unwrap_or(0)) {
        tx.execute_batch(migration)?;
    }
    // A migration may rewrite a definition in place (0003), which SQLite does not count as
    // a change of schema: a new cookie makes every other connection read the schema again.
    let cookie: i64 = tx.pragma_query_value(None, "schema_version", |row| row.get(0))?;
    tx.pragma_update(None, "schema_version", cookie + 1)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// The schema version of an open register.
pub(super) fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

//! The register's schema in a database: creating it in an empty one, telling a register
//! from any other database, and bringing an older one up to date, each in one transaction.

use super::{MIGRATIONS, SCHEMA, SCHEMA_VERSION, WRITE_LOCK};
use crate::error::{Error, Result};
use postgres::{Client, GenericClient, SimpleQueryMessage};
use std::path::Path;

/// Takes the register's write lock inside the caller's transaction: one round trip, as a
/// simple query (a prepared one would cost a second, and a command at a site far from the
/// server pays each).
pub(super) fn take_write_lock(tx: &mut impl GenericClient) -> Result<()> {
    Ok(tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"))?)
}

/// The version `handback_schema` records, in one round trip: `None` when it cannot tell
/// (no such table, no row, any error), and the caller then looks closer with [`identify`].
/// Outside a transaction only: a failed statement would abort the caller's.
fn version_at_once(client: &mut Client) -> Option<i64> {
    let messages = client
        .simple_query("SELECT version FROM handback_schema")
        .ok()?;
    messages.iter().find_map(|message| match message {
        SimpleQueryMessage::Row(row) => row.get(0)?.parse().ok(),
        _ => None,
    })
}

/// [`identify`], in one round trip for a register this handback can read.
pub(super) fn identify_at_once(client: &mut Client, shown_as: &Path) -> Result<i64> {
    match version_at_once(client) {
        Some(found) if found <= SCHEMA_VERSION => Ok(found),
        _ => identify(client, shown_as),
    }
}

/// The version `handback_schema` records; `None` in a database without the table.
pub(super) fn version(client: &mut impl GenericClient) -> Result<Option<i64>> {
    let table: Option<String> = client
        .query_one("SELECT to_regclass('handback_schema')::text", &[])?
        .get(0);
    if table.is_none() {
        return Ok(None);
    }
    let row = client.query_opt("SELECT version FROM handback_schema", &[])?;
    Ok(Some(row.map_or(0, |row| i64::from(row.get::<_, i32>(0)))))
}

/// Creates the schema and sets the time zone, in one transaction; an empty database only.
pub(super) fn create(client: &mut Client, shown_as: &Path, time_zone: &str) -> Result<()> {
    let mut tx = client.transaction()?;
    take_write_lock(&mut tx)?;
    if version(&mut tx)?.is_some() {
        return Err(Error::Exists(shown_as.to_path_buf()));
    }
    let tables = other_tables(&mut tx)?;
    if tables > 0 {
        return Err(foreign(shown_as, tables));
    }
    tx.batch_execute(SCHEMA)?;
    record_version(&mut tx)?;
    tx.execute(
        "UPDATE setting SET value = $1 WHERE key = 'time_zone'",
        &[&time_zone],
    )?;
    tx.commit()?;
    Ok(())
}

/// Refuses a database that holds no register, or one newer than this handback.
pub(super) fn identify(client: &mut impl GenericClient, shown_as: &Path) -> Result<i64> {
    let Some(found) = version(client)? else {
        let tables = other_tables(client)?;
        if tables == 0 {
            // An empty database is where a register is yet to be created.
            return Err(Error::NoRegister(shown_as.to_path_buf()));
        }
        return Err(foreign(shown_as, tables));
    };
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: shown_as.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(found)
}

/// A database that holds something other than a register: never written to.
fn foreign(shown_as: &Path, tables: i64) -> Error {
    Error::NotARegister {
        path: shown_as.to_path_buf(),
        reason: format!(
            "it holds {tables} tables of something else; give handback a database of its own"
        ),
    }
}

/// How many tables the database's current schema holds.
fn other_tables(client: &mut impl GenericClient) -> Result<i64> {
    Ok(client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
            &[],
        )?
        .get(0))
}

/// Opens a register, running the migrations it lacks under the write lock.
pub(super) fn open(client: &mut Client, shown_as: &Path) -> Result<()> {
    if identify_at_once(client, shown_as)? == SCHEMA_VERSION {
        return Ok(());
    }
    let mut tx = client.transaction()?;
    take_write_lock(&mut tx)?;
    // Another process may have upgraded it while this one waited for the lock.
    let found = identify(&mut tx, shown_as)?;
    for migration in MIGRATIONS.iter().skip(usize::try_from(found).unwrap_or(0)) {
        tx.batch_execute(migration)?;
    }
    record_version(&mut tx)?;
    tx.commit()?;
    Ok(())
}

fn record_version(tx: &mut impl GenericClient) -> Result<()> {
    let version = i32::try_from(SCHEMA_VERSION).expect("a handful of migrations");
    tx.execute(
        "INSERT INTO handback_schema (version) VALUES ($1)
         ON CONFLICT (only_row) DO UPDATE SET version = excluded.version",
        &[&version],
    )?;
    Ok(())
}

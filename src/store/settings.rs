//! SQL for the `setting` table: the register's own settings, as key and value.

use super::optional;
use crate::error::Result;
use rusqlite::{Connection, params};

const TIME_ZONE: &str = "time_zone";

/// The IANA name of the register's time zone, as stored; `None` in a register that has
/// none (migration 0006 gives every register one).
pub fn time_zone(conn: &Connection) -> Result<Option<String>> {
    optional(conn.query_row(
        "SELECT value FROM setting WHERE key = ?1",
        [TIME_ZONE],
        |row| row.get(0),
    ))
}

pub fn set_time_zone(conn: &Connection, name: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![TIME_ZONE, name],
    )?;
    Ok(())
}

//! SQL for the `setting` table: the register's own settings, as key and value.

use super::Tx;
use super::optional;
use crate::error::Result;
use crate::store::settings::Settings;
use rusqlite::params;

const TIME_ZONE: &str = "time_zone";

impl Settings for Tx<'_> {
    fn time_zone(&self) -> Result<Option<String>> {
        optional(self.conn.query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [TIME_ZONE],
            |row| row.get(0),
        ))
    }

    fn set_time_zone(&self, name: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![TIME_ZONE, name],
        )?;
        Ok(())
    }
}

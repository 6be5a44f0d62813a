//! SQL for the `setting` table: the register's own settings, as key and value, and for
//! `setting_event`, the trail of their changes.

use super::Tx;
use super::optional;
use crate::error::Result;
use crate::store::settings::{SettingChange, Settings};
use rusqlite::params;

const TIME_ZONE: &str = "time_zone";

impl Settings for Tx<'_> {
    fn time_zone(&self) -> Result<Option<String>> {
        self.get(TIME_ZONE)
    }

    fn set_time_zone(&self, name: &str) -> Result<()> {
        self.set(TIME_ZONE, name)
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        optional(
            self.conn
                .query_row("SELECT value FROM setting WHERE key = ?1", [key], |row| {
                    row.get(0)
                }),
        )
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn unset(&self, key: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM setting WHERE key = ?1", [key])?
            > 0)
    }

    fn list(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM setting ORDER BY key")?;
        let rows = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn record_change(&self, change: &SettingChange<'_>) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting_event (at, actor, key, value) VALUES (?1, ?2, ?3, ?4)",
            params![change.at, change.actor, change.key, change.value],
        )?;
        Ok(())
    }
}

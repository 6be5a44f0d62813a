//! SQL for the `setting` table: the register's own settings, as key and value, and for
//! `setting_event`, the trail of their changes.

use super::{Tx, get};
use crate::error::Result;
use crate::store::settings::{SettingChange, Settings};

const TIME_ZONE: &str = "time_zone";

impl Settings for Tx<'_> {
    fn time_zone(&self) -> Result<Option<String>> {
        self.get(TIME_ZONE)
    }

    fn set_time_zone(&self, name: &str) -> Result<()> {
        self.set(TIME_ZONE, name)
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        self.optional_row("SELECT value FROM setting WHERE key = $1", &[&key])?
            .map(|row| get(&row, 0))
            .transpose()
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT INTO setting (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    fn unset(&self, key: &str) -> Result<bool> {
        Ok(self.execute("DELETE FROM setting WHERE key = $1", &[&key])? > 0)
    }

    fn list(&self) -> Result<Vec<(String, String)>> {
        self.rows(
            "SELECT key, value FROM setting ORDER BY key COLLATE \"C\"",
            &[],
        )?
        .iter()
        .map(|row| Ok((get(row, 0)?, get(row, 1)?)))
        .collect()
    }

    fn record_change(&self, change: &SettingChange<'_>) -> Result<()> {
        self.execute(
            "INSERT INTO setting_event (at, actor, key, value)
             VALUES ($1::text::timestamptz, $2, $3, $4)",
            &[&change.at, &change.actor, &change.key, &change.value],
        )?;
        Ok(())
    }
}

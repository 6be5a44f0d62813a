//! SQL for the `setting` table: the register's own settings, as key and value.

use super::{Tx, get};
use crate::error::Result;
use crate::store::settings::Settings;

const TIME_ZONE: &str = "time_zone";

impl Settings for Tx<'_> {
    fn time_zone(&self) -> Result<Option<String>> {
        self.optional_row("SELECT value FROM setting WHERE key = $1", &[&TIME_ZONE])?
            .map(|row| get(&row, 0))
            .transpose()
    }

    fn set_time_zone(&self, name: &str) -> Result<()> {
        self.execute(
            "INSERT INTO setting (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&TIME_ZONE, &name],
        )?;
        Ok(())
    }
}

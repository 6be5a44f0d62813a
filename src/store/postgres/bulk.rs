//! Bulk loading on PostgreSQL: the keys the register holds, streamed for the import's filter.
//! Indexes are never dropped for a load here: `DROP INDEX` locks its table against every
//! reader until the transaction ends, and on a server many desks read while one imports.

use super::{Tx, get};
use crate::error::Result;
use crate::store::bulk::{Bulk, DeferredIndexes, KeyColumn};

impl Bulk for Tx<'_> {
    fn event_count(&self) -> Result<u64> {
        let max: i64 = get(&self.row("SELECT coalesce(max(id), 0) FROM event", &[])?, 0)?;
        Ok(max.unsigned_abs())
    }

    fn for_each_key(&self, visit: &mut dyn FnMut(KeyColumn, &str)) -> Result<()> {
        self.each("SELECT serial, asset_tag FROM device", &[], &mut |row| {
            visit(KeyColumn::Serial, get(row, 0)?);
            if let Some(tag) = get::<Option<&str>>(row, 1)? {
                visit(KeyColumn::AssetTag, tag);
            }
            Ok(())
        })?;
        self.each(
            "SELECT employee_no, email, name_key FROM person",
            &[],
            &mut |row| {
                let number: Option<&str> = get(row, 0)?;
                if let Some(number) = number {
                    visit(KeyColumn::EmployeeNo, number);
                }
                if let Some(email) = get::<Option<&str>>(row, 1)? {
                    visit(KeyColumn::Email, email);
                }
                let name_key: &str = get(row, 2)?;
                visit(KeyColumn::NameKey, name_key);
                if number.is_none() {
                    visit(KeyColumn::NameKeyWithoutNumber, name_key);
                }
                Ok(())
            },
        )
    }

    fn key_count(&self) -> Result<u64> {
        let count: i64 = get(
            &self.row(
                "SELECT 2 * (SELECT count(*) FROM device) + 3 * (SELECT count(*) FROM person)",
                &[],
            )?,
            0,
        )?;
        Ok(count.unsigned_abs())
    }

    fn lookups_are_round_trips(&self) -> bool {
        true
    }

    fn defer_indexes(&self, _stock_list: bool) -> Result<DeferredIndexes> {
        Ok(DeferredIndexes::default())
    }

    fn rebuild_indexes(&self, _deferred: DeferredIndexes) -> Result<()> {
        Ok(())
    }
}

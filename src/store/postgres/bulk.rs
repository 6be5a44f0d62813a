//! Bulk loading on PostgreSQL: the keys the register holds, streamed for the import's filter,
//! and for the first load into an empty register the deferrable indexes, the foreign keys of
//! the tables it fills and the uniqueness of serials and asset tags ([`super::written`])
//! taken away and made again before the commit.
//!
//! Only into an empty register: `DROP INDEX` and dropping a constraint lock the table against
//! every reader until the transaction ends, and on a server many desks read while one
//! imports. A register that holds nothing yet has nothing for them to read (they wait, and
//! then see the whole list), while the load gains most there: measured on 100 000 rows, the
//! server spent 3.4 s in `COPY` with every index and a foreign-key check per reference, 1.7 s
//! with them taken away, and 0.4 s making them again. A foreign key made again checks every
//! row at once, in one join, as a bulk load's references are best checked.
//!
//! Like every write, the load holds the register's write lock, so no other handback writes
//! meanwhile; the tables' own locks keep out anyone else.

use super::written::WrittenKeys;
use super::{Tx, get};
use crate::error::Result;
use crate::store::bulk::{Bulk, DEFERRABLE_INDEXES, DEVICES_IN_STOCK, DeferredIndexes, KeyColumn};

/// The deferrable indexes of the current schema, each with the statement that makes it.
const INDEXES: &str = "SELECT c.relname::text, pg_get_indexdef(c.oid)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'i' AND n.nspname = current_schema() AND c.relname = ANY($1)
    ORDER BY c.oid";

/// The constraints a first load checks at the end, each with its table and definition: the
/// foreign keys of the tables it fills, and the serials' uniqueness (see [`super::written`]).
const CONSTRAINTS: &str = "SELECT conrelid::regclass::text, conname::text,
        pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE (contype = 'f'
           AND conrelid IN ('person'::regclass, 'handout'::regclass, 'event'::regclass))
       OR (contype = 'u' AND conrelid = 'device'::regclass AND conname = 'device_serial_key')
    ORDER BY oid";

/// The unique constraint of serials and the unique index of asset tags, which a first load
/// takes away while its written keys ([`super::written`]) answer look-ups.
const SERIALS: &str = "device_serial_key";
const ASSET_TAGS: &str = "device_asset_tag";

/// The sort memory the index builds and the foreign keys' checks may take, for this
/// transaction only: a million-row index is sorted in memory rather than in temporary files.
const REBUILD_MEMORY: &str = "SET LOCAL maintenance_work_mem = '256MB'";

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

    fn defer_indexes(&self, stock_list: bool) -> Result<DeferredIndexes> {
        if self.event_count()? > 0 {
            return Ok(DeferredIndexes::default());
        }
        let mut names = DEFERRABLE_INDEXES.to_vec();
        names.push(ASSET_TAGS);
        if stock_list {
            names.push(DEVICES_IN_STOCK);
        }
        let mut drops = Vec::new();
        let mut makes = Vec::new();
        // Taken away with the serials' constraint only, for the load's written keys keep the
        // tags beside the serials; they make it again, at the end or when they cannot say.
        let mut tag_index = None;
        for row in self.rows(INDEXES, &[&names])? {
            let name: String = get(&row, 0)?;
            let (drop, make) = (format!("DROP INDEX \"{name}\""), get::<String>(&row, 1)?);
            if name == ASSET_TAGS {
                tag_index = Some((drop, make));
            } else {
                drops.push(drop);
                makes.push(make);
            }
        }
        for row in self.rows(CONSTRAINTS, &[])? {
            let (table, name): (String, String) = (get(&row, 0)?, get(&row, 1)?);
            if name == SERIALS {
                let make_tag_index = tag_index.take().map(|(drop, make)| {
                    drops.push(drop);
                    make
                });
                *self.written.borrow_mut() = Some(WrittenKeys::new(make_tag_index));
            }
            drops.push(format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""));
            let definition: String = get(&row, 2)?;
            makes.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
            ));
        }
        self.batch(&drops.join(";\n"))?;
        Ok(DeferredIndexes(makes))
    }

    fn rebuild_indexes(&self, deferred: DeferredIndexes) -> Result<()> {
        let written = self.written.borrow_mut().take();
        let mut makes = deferred.0;
        makes.extend(written.and_then(|mut keys| keys.take_tag_index()));
        if makes.is_empty() {
            return Ok(());
        }
        self.batch(&format!("{REBUILD_MEMORY};\n{}", makes.join(";\n")))
    }
}

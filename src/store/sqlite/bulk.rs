//! Bulk loading: a large import writes its rows with the secondary indexes that none of its
//! own per-row look-ups need taken away, and builds them again, once and in order, just
//! before it commits. Building an index from sorted keys is far cheaper than keeping it up
//! to date through a hundred thousand inserts at scattered places.
//!
//! SQLite's DDL is transactional: the indexes are dropped and created inside the import's
//! own transaction, so a refused file, a dry run or a killed process rolls the drop back
//! with everything else, and other technicians reading meanwhile (WAL) see the register as
//! it was, indexes and all. The definitions are read back from `sqlite_master` before the
//! drop, so they are exactly what `schema.sql` and the migrations made.
//!
//! A bulk load also checks references once, in one pass over the handouts and events it
//! added, just before it commits ([`LoadedRows`]), instead of SQLite's foreign-key checks on
//! every insert (which cost some 6 % of a 100 000-row import's instructions). No write of
//! the register deletes a row or changes a reference, so the rows a load adds are the only
//! ones whose references it can break.
//!
//! Never deferred: the unique indexes that are invariants (serial, asset tag, employee
//! number, e-mail, one open handout per device) and every index an import row's queries
//! search (`person_name_key`, `handout_open_per_person`); partial indexes only for the
//! lists whose rows enter them ([`DEVICES_IN_STOCK`]). `query_plans` checks that the
//! import's queries still find their rows through an index with these dropped.

use super::{Tx, set_cache_size_kib};
use crate::error::Result;
use crate::store::bulk::{Bulk, DEFERRABLE_INDEXES, DEVICES_IN_STOCK, DeferredIndexes, KeyColumn};
use crate::store::{StoreError, StoreErrorKind};
use rusqlite::{Connection, OptionalExtension};

/// The connection's settings for a bulk load, put back when it ends. Both can only change
/// outside a transaction.
pub(super) struct Loading {
    previous_cache: i64,
}

impl Loading {
    pub(super) fn begin(conn: &Connection, cache_kib: i64) -> Result<Loading> {
        let previous_cache = set_cache_size_kib(conn, cache_kib)?;
        conn.pragma_update(None, "foreign_keys", false)?;
        Ok(Loading { previous_cache })
    }

    pub(super) fn end(self, conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "cache_size", self.previous_cache)?;
        Ok(())
    }
}

/// Where a bulk load's own handouts and events begin: ids only grow, so its rows are the
/// ones above the largest id it found.
pub(super) struct LoadedRows {
    handouts_after: i64,
    events_after: i64,
}

/// The first handout added by the load that names a device, person or handout the register
/// does not hold.
const DANGLING_HANDOUT: &str = "SELECT id FROM handout WHERE id > ?1
    AND (device_id NOT IN (SELECT id FROM device) OR person_id NOT IN (SELECT id FROM person)
        OR (follows_id IS NOT NULL AND follows_id NOT IN (SELECT id FROM handout)))
    LIMIT 1";

/// The same for the load's events. A NULL is tested apart: `NULL NOT IN` an empty table is
/// true.
const DANGLING_EVENT: &str = "SELECT id FROM event WHERE id > ?1
    AND ((device_id IS NOT NULL AND device_id NOT IN (SELECT id FROM device))
        OR (person_id IS NOT NULL AND person_id NOT IN (SELECT id FROM person))
        OR (handout_id IS NOT NULL AND handout_id NOT IN (SELECT id FROM handout)))
    LIMIT 1";

impl LoadedRows {
    pub(super) fn mark(conn: &Connection) -> Result<LoadedRows> {
        let largest = |table: &str| -> Result<i64> {
            let sql = format!("SELECT coalesce(max(id), 0) FROM {table}");
            Ok(conn.query_row(&sql, [], |row| row.get(0))?)
        };
        Ok(LoadedRows {
            handouts_after: largest("handout")?,
            events_after: largest("event")?,
        })
    }

    /// Refuses the load, as SQLite's own checks would have refused its insert, when one of
    /// its rows refers to nothing.
    pub(super) fn verify_references(&self, conn: &Connection) -> Result<()> {
        for (table, sql, after) in [
            ("handout", DANGLING_HANDOUT, self.handouts_after),
            ("event", DANGLING_EVENT, self.events_after),
        ] {
            let dangling: Option<i64> =
                conn.query_row(sql, [after], |row| row.get(0)).optional()?;
            if let Some(id) = dangling {
                let message = format!(
                    "FOREIGN KEY constraint failed: {table} {id} refers to a row that does not exist"
                );
                return Err(StoreError::new(StoreErrorKind::Constraint, message).into());
            }
        }
        Ok(())
    }
}

/// A text column read in place, without a copy.
fn text<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(column)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, e.into())
    })
}

/// The page cache the index builds work with, in KiB. SQLite's sorter takes as much memory
/// again as the page cache before it spills to temporary files, and the builds read each
/// table once from one end to the other, so a small cache costs them little and keeps the
/// import's peak memory down.
pub const REBUILD_CACHE_KIB: i64 = 16 * 1024;

impl Bulk for Tx<'_> {
    fn event_count(&self) -> Result<u64> {
        let max: Option<i64> = self
            .conn
            .query_row("SELECT max(id) FROM event", [], |row| row.get(0))?;
        Ok(max.map_or(0, |m| m.unsigned_abs()))
    }

    fn for_each_key(&self, visit: &mut dyn FnMut(KeyColumn, &str)) -> Result<()> {
        let mut devices = self.conn.prepare("SELECT serial, asset_tag FROM device")?;
        let mut rows = devices.query([])?;
        while let Some(row) = rows.next()? {
            visit(KeyColumn::Serial, text(row, 0)?.unwrap_or_default());
            if let Some(tag) = text(row, 1)? {
                visit(KeyColumn::AssetTag, tag);
            }
        }
        let mut people = self
            .conn
            .prepare("SELECT employee_no, email, name_key FROM person")?;
        let mut rows = people.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(number) = text(row, 0)? {
                visit(KeyColumn::EmployeeNo, number);
            }
            if let Some(email) = text(row, 1)? {
                visit(KeyColumn::Email, email);
            }
            let name_key = text(row, 2)?.unwrap_or_default();
            visit(KeyColumn::NameKey, name_key);
            if text(row, 0)?.is_none() {
                visit(KeyColumn::NameKeyWithoutNumber, name_key);
            }
        }
        Ok(())
    }

    fn lookups_are_round_trips(&self) -> bool {
        false
    }

    fn key_count(&self) -> Result<u64> {
        let count: i64 = self.conn.query_row(
            "SELECT 2 * (SELECT count(*) FROM device) + 3 * (SELECT count(*) FROM person)",
            [],
            |row| row.get(0),
        )?;
        Ok(count.unsigned_abs())
    }

    fn defer_indexes(&self, stock_list: bool) -> Result<DeferredIndexes> {
        let also: &[&str] = if stock_list { &[DEVICES_IN_STOCK] } else { &[] };
        let found: Vec<(String, String)> = {
            let mut stmt = self.conn.prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid",
            )?;
            stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut deferred = Vec::new();
        for (name, sql) in found {
            if DEFERRABLE_INDEXES.contains(&name.as_str()) || also.contains(&name.as_str()) {
                self.conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                deferred.push(sql);
            }
        }
        Ok(DeferredIndexes(deferred))
    }

    fn rebuild_indexes(&self, deferred: DeferredIndexes) -> Result<()> {
        if deferred.0.is_empty() {
            return Ok(());
        }
        self.conn
            .pragma_update(None, "cache_size", -REBUILD_CACHE_KIB)?;
        // The rows' pages still in the cache are written out now, between statements. Pushed
        // out of the smaller cache during a `CREATE INDEX`, each would first be copied to the
        // statement's journal, to undo that statement alone: 25 MB of a 100 000-row import.
        self.conn.cache_flush()?;
        for sql in deferred.0 {
            self.conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::schema_rows as schema;
    use rusqlite::Connection;

    #[test]
    fn every_deferrable_index_exists_and_none_is_unique() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::SCHEMA).unwrap();
        for name in DEFERRABLE_INDEXES.iter().chain(&[DEVICES_IN_STOCK]) {
            let unique: i64 = conn
                .query_row(
                    "SELECT \"unique\" FROM pragma_index_list(
                        (SELECT tbl_name FROM sqlite_master WHERE name = ?1)) WHERE name = ?1",
                    [name],
                    |row| row.get(0),
                )
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(unique, 0, "{name} is unique: an invariant, never deferred");
        }
    }

    #[test]
    fn a_bulk_load_that_leaves_a_reference_dangling_is_refused_and_rolled_back() {
        use crate::model::{Action, DeviceId};
        use crate::store::events::{NewEvent, Stamps};
        use crate::store::{Load, Store};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.sqlite");
        let store = super::super::SqliteStore::create(&path, "Europe/Stockholm").unwrap();
        let mut event_of_no_device = |tx: &dyn crate::store::Transaction| {
            let event = NewEvent {
                at: chrono::Utc::now(),
                actor: "t",
                action: Action::DeviceEdited,
                device: Some(DeviceId(42)),
                person: None,
                handout: None,
                status_after: None,
                details: Default::default(),
            };
            let now = "2026-01-01T00:00:00Z";
            let stamps = Stamps { at: now, now };
            tx.inserts()?.event(&event, stamps, "{}")?;
            Ok(true)
        };
        let constraint = |err: crate::error::Error| match err {
            crate::error::Error::Store(e) if e.kind == StoreErrorKind::Constraint => e.to_string(),
            other => panic!("{other:?}"),
        };
        let err = store
            .write(Load::Bulk, &mut event_of_no_device)
            .unwrap_err();
        assert!(constraint(err).contains("event 1 refers to a row"));
        let events =
            crate::store::sqlite::testing::texts(&path, "SELECT count(*) || '' FROM event");
        assert_eq!(events, ["0"]);
        // The checks are back on for the next operation, which SQLite refuses itself.
        let err = store
            .write(Load::Operation, &mut event_of_no_device)
            .unwrap_err();
        assert!(constraint(err).contains("FOREIGN KEY"));
    }

    #[test]
    fn deferred_indexes_come_back_exactly_and_a_rollback_keeps_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::SCHEMA).unwrap();
        let before = schema(&conn);

        let tx = conn.transaction().unwrap();
        let deferred = Tx { conn: &tx }.defer_indexes(true).unwrap();
        assert_eq!(deferred.0.len(), DEFERRABLE_INDEXES.len() + 1);
        assert_eq!(
            schema(&tx).len(),
            before.len() - DEFERRABLE_INDEXES.len() - 1
        );
        drop(deferred);
        tx.rollback().unwrap();
        assert_eq!(schema(&conn), before);

        let tx = conn.transaction().unwrap();
        let deferred = Tx { conn: &tx }.defer_indexes(true).unwrap();
        Tx { conn: &tx }.rebuild_indexes(deferred).unwrap();
        tx.commit().unwrap();
        assert_eq!(schema(&conn), before);
    }
}

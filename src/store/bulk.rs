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
//! Never deferred: the unique indexes that are invariants (serial, asset tag, employee
//! number, e-mail, one open handout per device) and every index an import row's queries
//! search (`person_name_key`, `handout_open_per_person`); partial indexes only for the
//! lists whose rows enter them ([`DEVICES_IN_STOCK`]). `query_plans` checks that the
//! import's queries still find their rows through an index with these dropped.

use crate::error::Result;
use rusqlite::Connection;

/// The secondary indexes every large list fills row by row: a bulk load builds them at the
/// end instead.
pub(crate) const DEFERRABLE_INDEXES: &[&str] = &[
    "handout_device",
    "handout_person",
    "event_device",
    "event_person",
    "person_department",
];

/// The partial index of devices nobody holds, which only a stock list's rows enter in
/// numbers: deferred for stock lists alone. Building an index reads its whole table even
/// when no row enters it, while keeping up to date one that a list's rows never enter costs
/// nothing. The other partial indexes are never deferred: an import returns a handout only
/// when it moves a device to someone else, and few people on a list have a last day.
pub(crate) const DEVICES_IN_STOCK: &str = "device_status_kind";

/// About how many events the register holds (the highest id: events are never deleted), to
/// weigh rebuilding the indexes against keeping them up to date.
pub fn event_count(conn: &Connection) -> Result<u64> {
    let max: Option<i64> = conn.query_row("SELECT max(id) FROM event", [], |row| row.get(0))?;
    Ok(max.map_or(0, |m| m.unsigned_abs()))
}

/// A column whose values an import looks people and devices up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyColumn {
    Serial,
    AssetTag,
    EmployeeNo,
    Email,
    /// `person.name_key` (see [`super::people::name_key`]).
    NameKey,
    /// `person.name_key` of someone without an employee number.
    NameKeyWithoutNumber,
}

/// Calls `visit` with every serial, asset tag, employee number, e-mail address and name key
/// in the register, so that a bulk load can tell most new rows from known ones without a
/// look-up each.
pub fn for_each_key(conn: &Connection, mut visit: impl FnMut(KeyColumn, &str)) -> Result<()> {
    let mut devices = conn.prepare("SELECT serial, asset_tag FROM device")?;
    let mut rows = devices.query([])?;
    while let Some(row) = rows.next()? {
        visit(KeyColumn::Serial, text(row, 0)?.unwrap_or_default());
        if let Some(tag) = text(row, 1)? {
            visit(KeyColumn::AssetTag, tag);
        }
    }
    let mut people = conn.prepare("SELECT employee_no, email, name_key FROM person")?;
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

/// A text column read in place, without a copy.
fn text<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> rusqlite::Result<Option<&'r str>> {
    row.get_ref(column)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, e.into())
    })
}

/// How many devices and people the register holds, to size what [`for_each_key`] fills.
pub fn key_count(conn: &Connection) -> Result<u64> {
    let count: i64 = conn.query_row(
        "SELECT 2 * (SELECT count(*) FROM device) + 3 * (SELECT count(*) FROM person)",
        [],
        |row| row.get(0),
    )?;
    Ok(count.unsigned_abs())
}

/// Indexes dropped by [`defer_indexes`]: their `CREATE INDEX` statements, in schema order.
#[derive(Debug, Default)]
#[must_use = "the dropped indexes must be built again before the transaction commits"]
pub struct DeferredIndexes(Vec<String>);

/// Drops the [`DEFERRABLE_INDEXES`] and those in `also` (see [`DEVICES_IN_STOCK`]) that this
/// register has, inside the caller's transaction, and returns what [`rebuild_indexes`] needs to
/// create them again.
pub fn defer_indexes(tx: &Connection, also: &[&str]) -> Result<DeferredIndexes> {
    let found: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid",
        )?;
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut deferred = Vec::new();
    for (name, sql) in found {
        if DEFERRABLE_INDEXES.contains(&name.as_str()) || also.contains(&name.as_str()) {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            deferred.push(sql);
        }
    }
    Ok(DeferredIndexes(deferred))
}

/// The page cache the index builds work with, in KiB. SQLite's sorter takes as much memory
/// again as the page cache before it spills to temporary files, and the builds read each
/// table once from one end to the other, so a small cache costs them little and keeps the
/// import's peak memory down.
pub const REBUILD_CACHE_KIB: i64 = 16 * 1024;

/// Creates the indexes [`defer_indexes`] dropped, from their own definitions, with a page
/// cache of [`REBUILD_CACHE_KIB`] (the caller restores its own afterwards).
pub fn rebuild_indexes(tx: &Connection, deferred: DeferredIndexes) -> Result<()> {
    if deferred.0.is_empty() {
        return Ok(());
    }
    tx.pragma_update(None, "cache_size", -REBUILD_CACHE_KIB)?;
    // The rows' pages still in the cache are written out now, between statements. Pushed
    // out of the smaller cache during a `CREATE INDEX`, each would first be copied to the
    // statement's journal, to undo that statement alone: 25 MB of a 100 000-row import.
    tx.cache_flush()?;
    for sql in deferred.0 {
        tx.execute_batch(&sql)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema_rows as schema;

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
    fn deferred_indexes_come_back_exactly_and_a_rollback_keeps_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::SCHEMA).unwrap();
        let before = schema(&conn);

        let tx = conn.transaction().unwrap();
        let deferred = defer_indexes(&tx, &[DEVICES_IN_STOCK]).unwrap();
        assert_eq!(deferred.0.len(), DEFERRABLE_INDEXES.len() + 1);
        assert_eq!(
            schema(&tx).len(),
            before.len() - DEFERRABLE_INDEXES.len() - 1
        );
        drop(deferred);
        tx.rollback().unwrap();
        assert_eq!(schema(&conn), before);

        let tx = conn.transaction().unwrap();
        let deferred = defer_indexes(&tx, &[DEVICES_IN_STOCK]).unwrap();
        rebuild_indexes(&tx, deferred).unwrap();
        tx.commit().unwrap();
        assert_eq!(schema(&conn), before);
    }
}

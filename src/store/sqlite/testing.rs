//! What tests look at directly in a register file, beneath the seam.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;

fn reader(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Each row `sql` returns, its cells as SQLite holds them (`Integer(1)`, `Text("a")`, `Null`).
pub(crate) fn rows(path: &Path, sql: &str) -> Vec<Vec<String>> {
    let conn = reader(path);
    let mut stmt = conn.prepare(sql).unwrap();
    let columns = stmt.column_count();
    let mut query = stmt.query([]).unwrap();
    let mut rows = Vec::new();
    while let Some(row) = query.next().unwrap() {
        rows.push(
            (0..columns)
                .map(|i| format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap()))
                .collect(),
        );
    }
    rows
}

/// The register's schema, object by object.
pub(crate) fn schema(path: &Path) -> Vec<(String, String)> {
    super::schema_rows(&reader(path))
}

/// The first column of each row `sql` returns, as text.
pub(crate) fn texts(path: &Path, sql: &str) -> Vec<String> {
    let conn = reader(path);
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

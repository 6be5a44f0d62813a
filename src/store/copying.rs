//! Moving a whole register from one store to another (`handback copy`): every table row by
//! row, ids and all, as typed cells, so that SQLite's text moments become PostgreSQL's
//! timestamptz and back without either store knowing the other.

use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};

/// What a column holds, as both stores' schemas agree it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Int,
    Text,
    Moment,
    Date,
    /// JSON text, kept byte for byte.
    Json,
}

/// One value of a row; `None` is NULL.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
    Moment(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Json(Option<String>),
}

/// A table of the register and its columns, in the order they are copied.
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, CellKind)],
    /// What rows are read in: ids only grow, so the order they were written in.
    pub order_by: &'static str,
}

use CellKind::{Date, Int, Json, Moment, Text};

/// Every table of a register, parents before the tables that refer to them.
pub const TABLES: &[Table] = &[
    Table {
        name: "setting",
        columns: &[("key", Text), ("value", Text)],
        order_by: "key",
    },
    Table {
        name: "person",
        columns: &[
            ("id", Int),
            ("employee_no", Text),
            ("name", Text),
            ("name_key", Text),
            ("email", Text),
            ("department", Text),
            ("end_date", Date),
            ("erased_at", Moment),
            ("created_at", Moment),
            ("username", Text),
            ("manager_id", Int),
            ("language", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "device",
        columns: &[
            ("id", Int),
            ("serial", Text),
            ("asset_tag", Text),
            ("kind", Text),
            ("make", Text),
            ("model", Text),
            ("purchased", Date),
            ("status", Text),
            ("status_since", Moment),
            ("created_at", Moment),
        ],
        order_by: "id",
    },
    Table {
        name: "handout",
        columns: &[
            ("id", Int),
            ("device_id", Int),
            ("person_id", Int),
            ("handed_out_at", Moment),
            ("handed_out_by", Text),
            ("due_back", Date),
            ("note", Text),
            ("follows_id", Int),
            ("returned_at", Moment),
            ("returned_by", Text),
            ("end_reason", Text),
            ("return_condition", Text),
            ("return_route", Text),
            ("return_note", Text),
            ("own_due_back", Date),
        ],
        order_by: "id",
    },
    Table {
        name: "event",
        columns: &[
            ("id", Int),
            ("at", Moment),
            ("recorded_at", Moment),
            ("actor", Text),
            ("action", Text),
            ("device_id", Int),
            ("person_id", Int),
            ("handout_id", Int),
            ("status_after", Text),
            ("details", Json),
        ],
        order_by: "id",
    },
    Table {
        name: "notice",
        columns: &[
            ("id", Int),
            ("subject", Text),
            ("kind", Text),
            ("person_id", Int),
            ("recipient", Text),
            ("recipient_id", Int),
            ("planned_on", Date),
            ("at", Moment),
            ("actor", Text),
            ("outcome", Text),
            ("error", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "account",
        columns: &[
            ("id", Int),
            ("login", Text),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("created_at", Moment),
            ("disabled_at", Moment),
        ],
        order_by: "id",
    },
    Table {
        name: "account_department",
        columns: &[("account_id", Int), ("department", Text)],
        order_by: "account_id, department",
    },
    Table {
        name: "api_token",
        columns: &[
            ("id", Int),
            ("account_id", Int),
            ("label", Text),
            ("token_hash", Text),
            ("created_at", Moment),
            ("last_used_at", Moment),
            ("revoked_at", Moment),
        ],
        order_by: "id",
    },
    Table {
        name: "web_session",
        columns: &[
            ("id_hash", Text),
            ("account_id", Int),
            ("csrf", Text),
            ("started_at", Moment),
            ("last_seen_at", Moment),
        ],
        order_by: "id_hash",
    },
    Table {
        name: "setting_event",
        columns: &[
            ("id", Int),
            ("at", Moment),
            ("actor", Text),
            ("key", Text),
            ("value", Text),
        ],
        order_by: "id",
    },
    Table {
        name: "account_event",
        columns: &[
            ("id", Int),
            ("at", Moment),
            ("actor", Text),
            ("action", Text),
            ("login", Text),
            ("client", Text),
            ("details", Json),
        ],
        order_by: "id",
    },
];

/// A store's side of a copy: reading every row of a table, and writing rows into an empty
/// one, in the caller's transaction.
pub trait Copying {
    /// Calls `visit` with every row of `table`, in its order.
    fn for_each_row(
        &self,
        table: &Table,
        visit: &mut dyn FnMut(Vec<Cell>) -> Result<()>,
    ) -> Result<()>;

    /// Writes `rows` into `table` as they are, ids included.
    fn write_rows(&self, table: &Table, rows: &[Vec<Cell>]) -> Result<()>;

    /// Empties a table of the defaults a new register starts with (its settings).
    fn clear(&self, table: &Table) -> Result<()>;

    /// After a copy: the next id each table hands out follows the ones copied in.
    fn continue_ids(&self) -> Result<()>;

    /// How many rows `table` holds.
    fn row_count(&self, table: &Table) -> Result<i64>;
}

/// The columns of a table as a list for SQL.
pub fn column_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table of both schemas is copied, with every column it has.
    #[test]
    fn the_tables_are_the_schemas_tables() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::store::sqlite::SCHEMA).unwrap();
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut copied: Vec<String> = TABLES.iter().map(|t| t.name.to_string()).collect();
        tables.sort();
        copied.sort();
        assert_eq!(tables, copied);
        for table in TABLES {
            let columns: Vec<String> = conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{}')",
                    table.name
                ))
                .unwrap()
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let listed: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
            assert_eq!(columns, listed, "{}", table.name);
        }
    }
}

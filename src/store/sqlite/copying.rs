//! `handback copy` on SQLite: every row of a table as typed cells, and rows written back.

use super::{Tx, date_from_sql, date_to_sql, moment_from_sql};
use crate::error::Result;
use crate::store::copying::{Cell, CellKind, Copying, Table, column_list};
use crate::store::moment_to_sql;
use rusqlite::types::Value;

fn cell_at(row: &rusqlite::Row<'_>, index: usize, kind: CellKind) -> Result<Cell> {
    Ok(match kind {
        CellKind::Int => Cell::Int(row.get(index)?),
        CellKind::Text => Cell::Text(row.get(index)?),
        CellKind::Json => Cell::Json(row.get(index)?),
        CellKind::Moment => Cell::Moment(
            row.get::<_, Option<String>>(index)?
                .as_deref()
                .map(moment_from_sql)
                .transpose()?,
        ),
        CellKind::Date => Cell::Date(date_from_sql(row.get(index)?)?),
    })
}

fn value_of(cell: &Cell) -> Value {
    let text = |text: Option<String>| text.map_or(Value::Null, Value::Text);
    match cell {
        Cell::Int(n) => n.map_or(Value::Null, Value::Integer),
        Cell::Text(t) | Cell::Json(t) => text(t.clone()),
        Cell::Moment(m) => text(m.map(moment_to_sql)),
        Cell::Date(d) => text(d.map(date_to_sql)),
    }
}

impl Copying for Tx<'_> {
    fn for_each_row(
        &self,
        table: &Table,
        visit: &mut dyn FnMut(Vec<Cell>) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            column_list(table),
            table.name,
            table.order_by
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let cells = table
                .columns
                .iter()
                .enumerate()
                .map(|(index, (_, kind))| cell_at(row, index, *kind))
                .collect::<Result<Vec<_>>>()?;
            visit(cells)?;
        }
        Ok(())
    }

    fn write_rows(&self, table: &Table, rows: &[Vec<Cell>]) -> Result<()> {
        let placeholders = (1..=table.columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({placeholders})",
            table.name,
            column_list(table)
        );
        let mut insert = self.conn.prepare_cached(&sql)?;
        for row in rows {
            insert.execute(rusqlite::params_from_iter(row.iter().map(value_of)))?;
        }
        Ok(())
    }

    fn clear(&self, table: &Table) -> Result<()> {
        self.conn
            .execute_batch(&format!("DELETE FROM {}", table.name))?;
        Ok(())
    }

    /// SQLite hands out the next id after the largest by itself.
    fn continue_ids(&self) -> Result<()> {
        Ok(())
    }

    fn row_count(&self, table: &Table) -> Result<i64> {
        Ok(self
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", table.name), [], |row| {
                row.get(0)
            })?)
    }
}

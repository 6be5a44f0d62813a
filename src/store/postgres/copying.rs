//! `handback copy` on PostgreSQL: every row of a table as typed cells, and rows written
//! back with `COPY … FROM STDIN`, the server's fastest way in.

use super::pending::push_escaped;
use super::{Tx, get};
use crate::error::Result;
use crate::store::copying::{Cell, CellKind, Copying, Table, column_list};
use crate::store::moment_to_sql;
use postgres::Row;
use std::fmt::Write;

fn cell_at(row: &Row, index: usize, kind: CellKind) -> Result<Cell> {
    Ok(match kind {
        CellKind::Int => Cell::Int(get(row, index)?),
        CellKind::Text => Cell::Text(get(row, index)?),
        CellKind::Json => Cell::Json(get(row, index)?),
        CellKind::Moment => Cell::Moment(get(row, index)?),
        CellKind::Date => Cell::Date(get(row, index)?),
    })
}

/// The columns to select: JSON read as its text.
fn select_list(table: &Table) -> String {
    table
        .columns
        .iter()
        .map(|(name, kind)| match kind {
            CellKind::Json => format!("{name}::text"),
            _ => (*name).to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value in `COPY`'s text format: `\N` for NULL, the rest escaped.
fn push_copy_text(line: &mut String, cell: &Cell) {
    let text = match cell {
        Cell::Int(Some(n)) => n.to_string(),
        Cell::Text(Some(t)) | Cell::Json(Some(t)) => t.clone(),
        Cell::Moment(Some(m)) => moment_to_sql(*m),
        Cell::Date(Some(d)) => d.format("%Y-%m-%d").to_string(),
        _ => {
            line.push_str("\\N");
            return;
        }
    };
    push_escaped(line, &text);
}

/// The tables whose ids the database hands out.
const WITH_IDS: &[&str] = &[
    "person",
    "device",
    "handout",
    "event",
    "account",
    "api_token",
    "account_event",
    "setting_event",
];

impl Copying for Tx<'_> {
    fn for_each_row(
        &self,
        table: &Table,
        visit: &mut dyn FnMut(Vec<Cell>) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            select_list(table),
            table.name,
            table.order_by
        );
        self.each(&sql, &[], &mut |row| {
            let cells = table
                .columns
                .iter()
                .enumerate()
                .map(|(index, (_, kind))| cell_at(row, index, *kind))
                .collect::<Result<Vec<_>>>()?;
            visit(cells)
        })
    }

    fn write_rows(&self, table: &Table, rows: &[Vec<Cell>]) -> Result<()> {
        let mut data = String::new();
        for row in rows {
            for (index, cell) in row.iter().enumerate() {
                if index > 0 {
                    data.push('\t');
                }
                push_copy_text(&mut data, cell);
            }
            data.push('\n');
        }
        let sql = format!("COPY {} ({}) FROM STDIN", table.name, column_list(table));
        self.copy_in(&sql, data.as_bytes())?;
        Ok(())
    }

    fn clear(&self, table: &Table) -> Result<()> {
        self.execute(&format!("DELETE FROM {}", table.name), &[])?;
        Ok(())
    }

    fn continue_ids(&self) -> Result<()> {
        let mut sql = String::new();
        for table in WITH_IDS {
            let _ = write!(
                sql,
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                               coalesce((SELECT max(id) FROM {table}), 0) + 1, false);"
            );
        }
        self.batch(&sql)?;
        Ok(())
    }

    fn row_count(&self, table: &Table) -> Result<i64> {
        get(
            &self.row(&format!("SELECT count(*) FROM {}", table.name), &[])?,
            0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_as_structure() {
        let mut line = String::new();
        push_copy_text(&mut line, &Cell::Text(Some("a\tb\\c\nd".into())));
        line.push('\t');
        push_copy_text(&mut line, &Cell::Int(None));
        assert_eq!(line, "a\\tb\\\\c\\nd\t\\N");
    }
}

//! Turning typed values into text: tables, CSV and JSON here; the printable documents as
//! HTML and Markdown in `html` and `markdown`, one function per document, with what the two
//! share (the words, facts and tables of each document) built once in `common`. Pure
//! functions of their input, tested by rendering into strings; only the command line writes
//! the result anywhere.

mod common;
pub mod history;
pub mod html;
pub mod markdown;
pub mod records;
pub mod stream;

#[cfg(test)]
mod document_tests;
#[cfg(test)]
mod samples;

use serde::Serialize;
use std::borrow::Cow;

/// A value shown as one row of a table or CSV file.
pub trait Record {
    /// Column headings: the interface's field names, used for CSV and as table headings.
    fn headers() -> &'static [&'static str];
    /// The row's cells. `plain` asks for words a person reads (tables) rather than the
    /// interface words scripts match on (CSV).
    fn cells(&self, plain: bool) -> Vec<String>;
}

/// A table for a terminal or a log.
pub fn table<R: Record>(rows: &[R]) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_HORIZONTAL_ONLY)
        // Wraps long cells to the terminal's width; off a terminal nothing is wrapped.
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(R::headers().iter().map(|h| h.replace('_', " ")));
    for row in rows {
        table.add_row(row.cells(true));
    }
    // A serial, tag, number or date broken over two lines is misread at the desk: those
    // columns keep their width and the free-text columns (names, models, details) wrap.
    for (column, header) in table.column_iter_mut().zip(R::headers()) {
        if keeps_whole(header) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        } else if matches!(*header, "details" | "note") {
            // The sentence-like column gets room to be read, not one word per line.
            column.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(
                comfy_table::Width::Percentage(30),
            ));
        }
    }
    format!("{table}\n")
}

fn keeps_whole(header: &str) -> bool {
    matches!(
        header,
        "serial"
            | "asset_tag"
            | "employee_no"
            | "at"
            | "from"
            | "until"
            | "since"
            | "due_back"
            | "days_overdue"
    ) || header.ends_with("_on")
        || header.ends_with("date")
}

/// A document's title and "Produced … by …" line, for the terminal (table) form of a
/// document.
pub fn document_head(title: &str, header: &crate::docs::DocumentHeader) -> String {
    format!(
        "{title}\n{}\n\n",
        common::produced_line(header.lang, header.produced_at, &header.produced_by)
    )
}

/// A person's name, number, department and last working day in the document's language,
/// for the terminal (table) form of a document.
pub fn person_facts(lang: crate::i18n::Lang, person: &crate::model::Person) -> String {
    let facts = common::person_facts(lang, person);
    let pairs: Vec<(&str, String)> = facts.iter().map(|(k, v)| (*k, v.clone())).collect();
    key_values(&pairs)
}

/// A two-column table of labelled values, for `show` commands.
pub fn key_values(pairs: &[(&str, String)]) -> String {
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::NOTHING);
    for (key, value) in pairs {
        table.add_row(vec![format!("{key}:"), value.clone()]);
    }
    format!("{table}\n")
}

/// CSV with a header row, safe to open in a spreadsheet (see [`neutralise`]).
pub fn csv<R: Record>(rows: &[R], delimiter: u8) -> csv::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    writer.write_record(R::headers())?;
    for row in rows {
        writer.write_record(row.cells(false).iter().map(|c| neutralise(c).into_owned()))?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and some treat a
/// leading tab or carriage return the same way) as a formula. Following OWASP's guidance on
/// CSV injection, such a cell gets a leading `'`, which the importer removes again.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Pretty JSON with a final newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    serde_json::to_string_pretty(value).map(|mut text| {
        text.push('\n');
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Åsa Öberg"), "Åsa Öberg");
    }
}

//! Turning typed values into text: tables, CSV and JSON here; the printable documents as
//! HTML and Markdown in `html` and `markdown`, one function per document, with what the two
//! share (the words, facts and tables of each document) built once in `common`. Pure
//! functions of their input, tested by rendering into strings; only the command line writes
//! the result anywhere.

mod common;
pub mod history;
pub mod html;
pub mod markdown;
pub mod notice;
pub mod records;
pub mod stream;
pub mod xlsx;

#[cfg(test)]
mod document_tests;
#[cfg(test)]
mod samples;

use crate::i18n::Lang;
use crate::zone::Zone;
use serde::Serialize;
use std::borrow::Cow;

/// A value shown as one row of a table or CSV file.
pub trait Record {
    /// Column headings: the interface's field names, used for CSV and (in the table's
    /// language, see [`Lang::word`]) as table headings.
    fn headers() -> &'static [&'static str];
    /// The row's cells as `view` asks for them.
    fn cells(&self, view: View) -> Vec<String>;
}

/// How a row reads: with a language, the words a person reads in a table; without, the
/// interface words scripts match on (CSV). Local days are in `zone`, the register's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub lang: Option<Lang>,
    pub zone: Zone,
}

/// Whether `c` is a character a terminal draws as nothing, or as something other than what
/// it is: soft hyphens, zero-width spaces and joiners, direction marks and overrides, word
/// joiners, byte-order marks, variation selectors, tags (Unicode's format characters and
/// their kin). In a table they shift the columns, or hide text.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// Text for a path or query: everything but letters, digits and `-._~` percent-encoded.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Text for a terminal: without [`is_invisible`] characters.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_invisible) {
        Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Narrower than this, a terminal's reported width is not one a table can wrap to.
const MIN_WRAP_WIDTH: u16 = 20;

/// A table for a terminal or a log, its headings and words in `lang`.
pub fn table<R: Record>(rows: &[R], lang: Lang, zone: Zone) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_HORIZONTAL_ONLY)
        // Wraps long cells to the terminal's width; off a terminal nothing is wrapped.
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(R::headers().iter().map(|h| lang.word(h)));
    // A terminal that reports no size (0 columns, as under `script` or some IDE consoles)
    // would squeeze every column to one letter: print such a table unwrapped.
    if table.width().is_some_and(|width| width < MIN_WRAP_WIDTH) {
        table.set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    }
    for row in rows {
        table.add_row(
            row.cells(View {
                lang: Some(lang),
                zone,
            })
            .iter()
            .map(|cell| terminal(cell).into_owned()),
        );
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
pub fn document_head(
    lang: crate::i18n::Lang,
    title: &str,
    header: &crate::docs::DocumentHeader,
) -> String {
    let head = format!("{title}\n{}\n\n", common::produced_line(lang, header));
    terminal(&head).into_owned()
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
        table.add_row(vec![
            format!("{}:", terminal(key)),
            terminal(value).into_owned(),
        ]);
    }
    format!("{table}\n")
}

/// CSV with a header row, safe to open in a spreadsheet (see [`neutralise`]).
pub fn csv<R: Record>(rows: &[R], delimiter: u8, zone: Zone) -> csv::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    writer.write_record(R::headers())?;
    for row in rows {
        let cells = row.cells(View { lang: None, zone });
        writer.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
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
    fn invisible_characters_never_reach_the_terminal() {
        assert_eq!(
            terminal("Anställnings\u{ad}nummer \u{200b}Åsa\u{200d}\u{feff} \u{202e}Öberg\u{2066}"),
            "Anställningsnummer Åsa Öberg"
        );
        assert!(matches!(terminal("Åsa Öberg"), Cow::Borrowed(_)));
    }

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("-1+2"), "'-1+2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("Åsa Öberg"), "Åsa Öberg");
    }
}

//! The pure file-reading layer of `handback import`: messy CSV lists in, typed rows out.
//!
//! People bring lists saved by Excel (Windows-1252 or UTF-8 with a byte-order mark, `;`),
//! Excel and OpenDocument workbooks themselves, HR exports, Snipe-IT exports (`,`, English
//! headers) and hand-made files. This module turns any of them into one shape, without
//! touching the register:
//!
//! 1. [`decode`] decides the encoding (byte-order mark, else UTF-8 if valid, else
//!    Windows-1252, or `--encoding`) and decodes the file as a stream, never whole.
//! 2. [`sniff`] guesses the delimiter from the first lines and scans the file once for what
//!    makes it unusable (binary content, an unclosed quote, an absurdly long record).
//! 3. [`columns`] maps the headers to [`Field`]s through one alias table (Swedish and
//!    English, case, accents and punctuation ignored) and decides the [`ListKind`].
//! 4. [`reader`] yields [`Row`]s one at a time, each with its line number, raw cells and
//!    trimmed values; [`values`] turns those into dates and statuses, with row errors that
//!    name the line, the column and the value.
//!    A workbook is read by [`sheet`] (calamine) into the same records instead of 1–2.
//! 5. [`rejects`] writes the rows that were refused back out, in the input's own encoding
//!    and delimiter, with an error column, so they can be fixed and imported again.
//!
//! Matching people and devices and writing to the register happen elsewhere, on top of
//! [`ImportReader`]. Nothing here prints.

pub mod columns;
pub mod decode;
pub mod reader;
pub mod rejects;
pub mod sheet;
pub mod sniff;
pub mod source;
pub mod values;

pub use columns::{Column, ColumnOverride, ColumnUse, Columns, Field, IgnoreReason, ListKind};
pub use decode::{FileEncoding, parse_encoding};
pub use reader::{
    ImportReader, ReadNotes, ReadSummary, Row, RowPlace, RowSheet, SkipReason, SkippedLine,
};
pub use rejects::{REJECTS_ERROR_HEADER, RejectsWriter};
pub use sniff::parse_delimiter;
pub use source::{ImportSource, ReadSeek};
pub use values::{
    guard_formula, language_cell, parse_import_date, parse_import_date_time, parse_status,
    strip_formula_guard,
};

/// How to read a file: every `None` means "detect it". Built by the command line from
/// `--encoding`, `--delimiter`, `--map`, `--date-format` and `--kind`, with the `parse_*`
/// helpers of this module so a bad value is refused before the file is opened.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--encoding NAME`: wins over the byte-order mark and the UTF-8 check.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// `--delimiter`: wins over sniffing.
    pub delimiter: Option<u8>,
    /// `--map "HEADER=field"`: win over the alias table.
    pub maps: Vec<ColumnOverride>,
    /// `--date-format`, any number of times: chrono strftime layouts such as `%d/%m/%Y`,
    /// tried before the built-in ones; a value two of them read differently is ambiguous.
    pub date_formats: Vec<String>,
    /// `--kind`: wins over detection from the columns.
    pub kind: Option<ListKind>,
    /// `--sheet NAME`: the sheet of a workbook to read (default: the first that is a list).
    pub sheet: Option<String>,
    /// `--fill-down HEADER`: columns whose empty cells take the value above them.
    pub fill_down: Vec<String>,
}

impl ReadOptions {
    /// Checks `--date-format` now, so a typo is a usage problem rather than one error per
    /// row: the layout must contain a day, month and year and format a date without error.
    pub fn parse_date_format(raw: &str) -> crate::Result<String> {
        values::check_date_format(raw)
    }
}

#[cfg(test)]
mod tests;

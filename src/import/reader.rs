//! The rows of a list, one at a time.
//!
//! [`ImportReader::open`] refuses a file as a whole before the first row is handed out for
//! what its start shows: encoding, binary, the header, the column mapping, the kind of list,
//! and the first data row (a header alone is no list). After that the reader is an iterator
//! of [`Row`]s holding one record at a time, so a list of a million rows costs no more memory
//! than one of ten; the text is checked on the way ([`Checked`]: a NUL, an unclosed quote, an
//! absurdly long record), and a problem ends the iteration with the file's refusal.

use crate::error::{Error, Result};
use crate::import::ReadOptions;
use crate::import::columns::{Columns, Field, ListKind, map_columns};
use crate::import::decode::{DecodingReader, FileEncoding, detect};
use crate::import::rejects::RejectsWriter;
use crate::import::sniff::{Checked, refusal, sniff};
use crate::import::source::{ImportSource, ReadSeek};
use crate::import::values::{parse_import_date_time, parse_status, strip_formula_guard};
use crate::model::{Status, canonical_kind};
use crate::validate::normalize_serial;
use chrono::{NaiveDate, NaiveTime};
use std::io::{Chain, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What every row of one file shares: its columns, its name, the `--date-format`.
#[derive(Debug)]
struct Context {
    file: String,
    columns: Columns,
    date_format: Option<String>,
}

/// Where a field's value lies in a row: the cell, and the bytes of it that are the value.
#[derive(Debug, Clone, Copy)]
struct Span {
    cell: usize,
    start: usize,
    end: usize,
}

/// One record of the list.
///
/// Its cells are one buffer and its values are places in them, not strings of their own: a
/// million-row list made twenty allocations a row, an eighth of the import's work.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based physical line where the record starts (the header is line 1).
    pub line: u64,
    raw: csv::StringRecord,
    values: [Option<Span>; Field::COUNT],
    /// `first_name last_name`, when the file splits the name and the row has no name cell.
    joined_name: Option<String>,
    context: Arc<Context>,
}

impl Row {
    /// The value of `field`: trimmed, the CSV-injection guard removed, `None` when empty.
    /// [`Field::Name`] is `first_name last_name` when the file splits the name and has no
    /// name column (or leaves it empty on this row).
    pub fn get(&self, field: Field) -> Option<&str> {
        if field == Field::Name && self.joined_name.is_some() {
            return self.joined_name.as_deref();
        }
        let span = self.values[field.index()]?;
        Some(&self.raw.get(span.cell)?[span.start..span.end])
    }

    /// The cells as the file has them (unquoted, untrimmed), for the rejects file.
    pub fn raw(&self) -> &csv::StringRecord {
        &self.raw
    }

    /// Whether the row names a person (a handout row without one is a device in stock).
    pub fn has_person(&self) -> bool {
        Field::ALL
            .into_iter()
            .any(|f| f.is_person() && self.get(f).is_some())
    }

    /// The serial, normalised as everywhere in handback (`validate::normalize_serial`).
    pub fn serial(&self) -> Result<Option<String>> {
        self.typed(Field::Serial, normalize_serial)
    }

    /// The kind of device, canonicalised (`Bärbar dator` → `laptop`), unknown words kept.
    pub fn kind(&self) -> Option<String> {
        self.get(Field::Kind).map(canonical_kind)
    }

    /// A date field (`end_date`, `purchased`, `handed_out_on`, `due_back`).
    pub fn date(&self, field: Field) -> Result<Option<NaiveDate>> {
        Ok(self.date_time(field)?.map(|(date, _)| date))
    }

    /// A date field with its time of day, when the cell has one.
    pub fn date_time(&self, field: Field) -> Result<Option<(NaiveDate, Option<NaiveTime>)>> {
        let format = self.context.date_format.as_deref();
        self.typed(field, |value| parse_import_date_time(value, format))
    }

    /// The status column, through the table of Swedish, English and Snipe-IT words.
    pub fn status(&self) -> Result<Option<Status>> {
        self.typed(Field::Status, parse_status)
    }

    /// Applies `parse` to the value of `field`; a refusal names the file, line and column.
    /// For checks made elsewhere (`validate::clean_email`, …) so every row error reads alike.
    pub fn typed<T>(
        &self,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T>,
    ) -> Result<Option<T>> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => parse(value)
                .map(Some)
                .map_err(|e| self.error_at(field, &e.to_string())),
        }
    }

    /// `list.csv:5: column "Slutdatum": <problem>`; without the column when `field` is not
    /// in the file (the joined name, for instance).
    pub fn error_at(&self, field: Field, problem: &str) -> Error {
        Error::invalid(format!("{}: {problem}", self.place(field)))
    }

    /// Where `field`'s value is: the file, the line, and its column when the file has one.
    pub fn place(&self, field: Field) -> RowPlace {
        RowPlace {
            file: self.context.file.clone(),
            line: self.line,
            column: self.context.columns.column_of(field).map(|c| c.label()),
        }
    }
}

/// Where in a list something is: `list.csv:5: column "Slutdatum"`, or `list.csv:5`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPlace {
    pub file: String,
    pub line: u64,
    /// The column's label as messages quote it, when the value has a column.
    pub column: Option<String>,
}

impl std::fmt::Display for RowPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        match &self.column {
            Some(column) => write!(f, ": column {column}"),
            None => Ok(()),
        }
    }
}

/// Counts so far; complete once the iterator has returned `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Data rows handed out.
    pub rows: u64,
    /// Rows skipped as blank: empty lines between rows and rows of bare delimiters (`;;;;`).
    pub blank_rows: u64,
}

/// An open list: what was detected, and its rows as an iterator of `Result<Row>`.
/// After an `Err` the iterator ends.
pub struct ImportReader<R = Box<dyn ReadSeek>> {
    records: Records<R>,
    path: PathBuf,
    encoding: FileEncoding,
    delimiter: u8,
    headers: Vec<String>,
    context: Arc<Context>,
    pending: Option<Row>,
    rows: u64,
    done: bool,
}

impl ImportReader {
    /// Opens a list: refuses it whole (`Error::InvalidFile`, exit 65) when it cannot be
    /// one, or returns the reader positioned at its first data row.
    pub fn from_source(source: ImportSource, options: &ReadOptions) -> Result<Self> {
        let (name, reader) = source.into_parts();
        ImportReader::from_reader(reader, &name, options)
    }

    /// [`ImportReader::from_source`] of a list file (see [`ImportSource::file`]).
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Self> {
        ImportReader::from_source(ImportSource::file(path)?, options)
    }
}

impl<R: Read + Seek> ImportReader<R> {
    /// Like [`ImportReader::open`] for any seekable source (its start is read more than
    /// once: encoding, delimiter, rows). `path` names it in messages.
    pub fn from_reader(mut source: R, path: &Path, options: &ReadOptions) -> Result<Self> {
        let file = path.display().to_string();
        let (encoding, start) = detect(&mut source, path, options.encoding)?;
        let delimiter = sniff(
            DecodingReader::new(&mut source, encoding.encoding),
            path,
            options.delimiter,
        )?;
        source
            .seek(SeekFrom::Start(start))
            .map_err(|e| Error::io(path, e))?;
        let mut records = Records {
            // Only `\n` ends a record (a `\r` before it is trimmed off the last cell), and
            // the text always ends with one: then every record's last line break is its
            // own, and line numbers can be counted exactly (see `Records::read`).
            csv: csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .has_headers(false)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_reader(
                    Checked::new(DecodingReader::new(source, encoding.encoding), delimiter)
                        .chain(FINAL_BREAK),
                ),
            record: csv::ByteRecord::new(),
            next_line: 1,
            blank_rows: 0,
        };

        // The header: the first record that is not blank.
        let (header_line, mut headers) = loop {
            match records.read(path)? {
                None => {
                    return Err(Error::InvalidFile {
                        summary: format!("{file} has no header line: it holds only blank rows"),
                        details: "Export the list again, with its header line and rows."
                            .to_string(),
                    });
                }
                Some((line, cells)) if !is_blank(&cells) => {
                    break (line, cells.iter().map(str::to_string).collect::<Vec<_>>());
                }
                Some(_) => records.blank_rows += 1,
            }
        };
        // A second byte-order mark, or one left by a forced encoding, is not part of a name.
        if let Some(first) = headers.first_mut()
            && let Some(rest) = first.strip_prefix('\u{feff}')
        {
            *first = rest.to_string();
        }
        let columns = map_columns(&headers, &options.maps, options.kind, &file)?;
        let mut reader = ImportReader {
            records,
            path: path.to_path_buf(),
            encoding,
            delimiter,
            headers,
            context: Arc::new(Context {
                file: file.clone(),
                columns,
                date_format: options.date_format.clone(),
            }),
            pending: None,
            rows: 0,
            done: false,
        };
        reader.pending = reader.next_row()?;
        if reader.pending.is_none() {
            return Err(Error::InvalidFile {
                summary: format!(
                    "{file} has a header line (line {header_line}) but no rows: there is nothing to import"
                ),
                details: "Add the rows under the header, or import the file that has them."
                    .to_string(),
            });
        }
        Ok(reader)
    }
}

impl<R: Read> ImportReader<R> {
    /// The encoding the file was read in (and rejects are written in).
    pub fn encoding(&self) -> FileEncoding {
        self.encoding
    }

    /// The delimiter, sniffed or forced.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The header cells as written (a stray byte-order mark removed).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Which header went to which field, and which were ignored and why.
    pub fn columns(&self) -> &Columns {
        &self.context.columns
    }

    /// The kind of list, forced or detected.
    pub fn kind(&self) -> ListKind {
        self.context.columns.kind
    }

    /// Rows handed out and blank rows skipped so far.
    pub fn summary(&self) -> ReadSummary {
        ReadSummary {
            rows: self.rows,
            blank_rows: self.records.blank_rows,
        }
    }

    /// A rejects file in this list's encoding, byte-order mark and delimiter, with its headers.
    pub fn rejects_writer(&self, path: &Path) -> Result<RejectsWriter> {
        RejectsWriter::create(path, self.encoding, self.delimiter, &self.headers)
    }

    /// The next data row, skipping (and counting) blank ones.
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            let Some((line, raw)) = self.records.read(&self.path)? else {
                return Ok(None);
            };
            if is_blank(&raw) {
                self.records.blank_rows += 1;
                continue;
            }
            let (values, joined_name) = values_of(&raw, &self.context.columns);
            return Ok(Some(Row {
                line,
                raw,
                values,
                joined_name,
                context: Arc::clone(&self.context),
            }));
        }
    }
}

impl<R: Read> Iterator for ImportReader<R> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        if self.done {
            return None;
        }
        let row = match self.pending.take() {
            Some(row) => Ok(Some(row)),
            None => self.next_row(),
        };
        match row {
            Ok(Some(row)) => {
                self.rows += 1;
                Some(Ok(row))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Appended to every decoded text; an extra empty line at the end is skipped by csv.
const FINAL_BREAK: &[u8] = b"\n";

/// The csv reader with what line numbering needs.
struct Records<R> {
    csv: csv::Reader<Chain<Checked<DecodingReader<R>>, &'static [u8]>>,
    record: csv::ByteRecord,
    /// Where the next record starts if no empty line comes first.
    next_line: u64,
    blank_rows: u64,
}

impl<R: Read> Records<R> {
    /// The next record with its starting line, or `None` at the end.
    fn read(&mut self, path: &Path) -> Result<Option<(u64, csv::StringRecord)>> {
        let fallback = self.next_line;
        let more = self.csv.read_byte_record(&mut self.record).map_err(|e| {
            let line = e.position().map_or(fallback, |p| p.line());
            match e.into_kind() {
                csv::ErrorKind::Io(io) => refusal(&io, path).unwrap_or_else(|| Error::io(path, io)),
                other => Error::InvalidFile {
                    summary: format!("{}:{line}: the file cannot be read as CSV", path.display()),
                    details: format!("{other:?}"),
                },
            }
        })?;
        if !more {
            return Ok(None);
        }
        let count = self.record.len();
        let mut cells =
            csv::StringRecord::with_capacity(self.record.as_slice().len(), self.record.len());
        let mut breaks: u64 = 0;
        for (i, cell) in self.record.iter().enumerate() {
            let cell = match cell {
                [rest @ .., b'\r'] if i + 1 == count => rest,
                _ => cell,
            };
            breaks += cell.iter().filter(|&&b| b == b'\n').count() as u64;
            cells.push_field(&String::from_utf8_lossy(cell));
        }
        // The parser has now counted every `\n` up to and including this record's final
        // one: the empty lines it skipped before the record, the line breaks inside quoted
        // cells, and the final one. What is left over is the start line.
        let after = self.csv.position().line();
        let line = after.saturating_sub(breaks + 1).max(self.next_line);
        self.blank_rows += line - self.next_line;
        self.next_line = after;
        Ok(Some((line, cells)))
    }
}

/// A row of nothing but white space and delimiters.
fn is_blank(cells: &csv::StringRecord) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Where the trimmed, unguarded value of each field lies; the name joined from its parts if
/// the row has no name of its own.
fn values_of(
    raw: &csv::StringRecord,
    columns: &Columns,
) -> ([Option<Span>; Field::COUNT], Option<String>) {
    let mut values = [None; Field::COUNT];
    for field in Field::ALL {
        let Some(cell) = columns.index_of(field) else {
            continue;
        };
        let Some(text) = raw.get(cell) else { continue };
        let value = strip_formula_guard(text.trim()).trim();
        if !value.is_empty() {
            // `value` is a slice of `text`: its place in it is the distance between them.
            let start = value.as_ptr() as usize - text.as_ptr() as usize;
            values[field.index()] = Some(Span {
                cell,
                start,
                end: start + value.len(),
            });
        }
    }
    let mut joined_name = None;
    if values[Field::Name.index()].is_none() {
        let part = |field: Field| {
            let span: Span = values[field.index()]?;
            Some(&raw[span.cell][span.start..span.end])
        };
        let parts: Vec<&str> = [Field::FirstName, Field::LastName]
            .into_iter()
            .filter_map(part)
            .collect();
        if !parts.is_empty() {
            joined_name = Some(parts.join(" "));
        }
    }
    (values, joined_name)
}

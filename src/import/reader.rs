//! The rows of a list, one at a time.
//!
//! [`ImportReader::open`] refuses a file as a whole before the first row is handed out for
//! what its start shows: encoding, binary, the header, the column mapping, the kind of list,
//! and the first data row (a header alone is no list). After that the reader is an iterator
//! of [`Row`]s holding one record at a time, so a list of a million rows costs no more memory
//! than one of ten; the text is checked on the way ([`Checked`]: a NUL, an unclosed quote, an
//! absurdly long record), and a problem ends the iteration with the file's refusal.
//!
//! A workbook (`.xlsx`, `.xls`, `.ods`, recognised by its first bytes) is read by
//! [`super::sheet`] into the same records, so everything after that is shared.
//!
//! What people put around a list is read past, and said ([`ReadNotes`]): title lines above
//! the header (the header is the first line of the first [`MAX_TITLE_LINES`] + 1 that makes
//! a list; a title line has at most two cells), a total row ("Summa;;;37") anywhere, and
//! note lines (a lone cell outside the identifying columns) after the last row.

use crate::error::{Error, Result};
use crate::import::ReadOptions;
use crate::import::columns::{Columns, Field, ListKind, header_key, map_columns};
use crate::import::decode::{DecodingReader, FileEncoding, detect};
use crate::import::rejects::RejectsWriter;
use crate::import::sheet::{
    CellNote, SheetRecords, WorkbookFormat, column_letters, read_workbook, sniff_workbook,
};
use crate::import::sniff::{Checked, refusal, sniff};
use crate::import::source::{ImportSource, ReadSeek};
use crate::import::values::{parse_import_date_time, parse_status, strip_formula_guard};
use crate::model::{Status, canonical_kind};
use crate::validate::{normalize_serial, shorten};
use chrono::{NaiveDate, NaiveTime};
use std::collections::VecDeque;
use std::io::{Chain, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Lines above the header that may be titles; the header is among the first this many + 1.
pub const MAX_TITLE_LINES: usize = 10;

/// Data rows read ahead to recognise columns by their values.
const SAMPLE_ROWS: usize = 50;

/// Rows that might be trailing notes, held back until a real row or the end shows which.
const MAX_HELD: usize = 16;

/// What every row of one file shares: its columns, its name, the `--date-format`s, and
/// the sheet it comes from.
#[derive(Debug)]
struct Context {
    file: String,
    columns: Columns,
    date_formats: Vec<String>,
    sheet: Option<SheetLayout>,
}

/// Where a workbook's rows are: the sheet's name, and its first used column.
#[derive(Debug, Clone)]
struct SheetLayout {
    name: String,
    first_column: u32,
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
    /// 1-based physical line where the record starts (the header is line 1); in a workbook,
    /// the sheet's row number.
    pub line: u64,
    raw: csv::StringRecord,
    values: [Option<Span>; Field::COUNT],
    /// The whole name when the row's name is made: `first_name last_name` joined, or a
    /// name written last name first ("Sjöberg, Karin") turned around.
    joined_name: Option<String>,
    /// What a workbook did to some of the row's cells (see [`CellNote`]); `None` in CSV.
    notes: Option<Box<[(usize, CellNote)]>>,
    context: Arc<Context>,
}

impl Row {
    /// The value of `field`: trimmed, the CSV-injection guard removed, `None` when empty.
    /// [`Field::Name`] is the whole name, first name first: joined from `first_name` and
    /// `last_name`, or turned around from "Last, First" or a `name_last_first` column.
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

    /// The kind of device, canonicalised (`Bärbar dator` → `laptop`), unknown words kept;
    /// without a kind cell, the kind the serial's column names (`Serienr dator` → laptop).
    pub fn kind(&self) -> Option<String> {
        self.get(Field::Kind)
            .map(canonical_kind)
            .or_else(|| self.serial_column_kind().map(str::to_string))
    }

    /// The kind of device the column of the row's serial names, if it names one.
    pub fn serial_column_kind(&self) -> Option<&str> {
        let span = self.values[Field::Serial.index()]?;
        self.context.columns.columns.get(span.cell)?.kind.as_deref()
    }

    /// Whether the row is of a wide list (a column per device): see [`Row::device_rows`].
    pub fn is_wide(&self) -> bool {
        self.context.columns.is_wide()
    }

    /// A wide list's row with no device in it: a person who holds none of the list's kinds.
    pub fn names_no_device(&self) -> bool {
        self.is_wide()
            && DESCRIBE_DEVICE
                .iter()
                .all(|f| self.values[f.index()].is_none())
    }

    /// A wide list's row as one row per device it holds: the row itself for the device of
    /// [`Field::Serial`]'s column (with the kind, make, model, asset tag, status and
    /// purchase date, which describe that device), then one for each other device column's
    /// filled cell, with that cell as its serial and nothing else of a device. Each is the
    /// same line, person and handout cells. A row with no device at all is itself alone
    /// (see [`Row::names_no_device`]). Of a list of one device a row, the row itself.
    pub fn device_rows(self) -> Vec<Row> {
        let extra = self.context.columns.extra_devices();
        let mut cells: Vec<Span> = Vec::with_capacity(extra.len());
        for &cell in extra {
            if let Some(span) = span_of(&self.raw, cell) {
                cells.push(span);
            }
        }
        let own = DESCRIBE_DEVICE
            .iter()
            .any(|f| self.values[f.index()].is_some());
        let mut rows = Vec::with_capacity(cells.len() + 1);
        for span in cells {
            let mut row = self.clone();
            for field in DESCRIBE_DEVICE {
                row.values[field.index()] = None;
            }
            row.values[Field::Serial.index()] = Some(span);
            rows.push(row);
        }
        if own || rows.is_empty() {
            rows.insert(0, self);
        }
        rows
    }

    /// A date field (`end_date`, `purchased`, `handed_out_on`, `due_back`).
    pub fn date(&self, field: Field) -> Result<Option<NaiveDate>> {
        Ok(self.date_time(field)?.map(|(date, _)| date))
    }

    /// A date field with its time of day, when the cell has one.
    pub fn date_time(&self, field: Field) -> Result<Option<(NaiveDate, Option<NaiveTime>)>> {
        let formats = &self.context.date_formats;
        self.typed(field, |value| parse_import_date_time(value, formats))
    }

    /// The status column, through the table of Swedish, English and Snipe-IT words.
    pub fn status(&self) -> Result<Option<Status>> {
        self.typed(Field::Status, parse_status)
    }

    /// Applies `parse` to the value of `field`; a refusal names the file, line and column.
    /// For checks made elsewhere (`validate::clean_email`, …) so every row error reads alike.
    /// An identifier a spreadsheet has mangled (see [`Row::mangled`]) is refused first.
    pub fn typed<T>(
        &self,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T>,
    ) -> Result<Option<T>> {
        match self.get(field) {
            None => Ok(None),
            Some(value) => {
                if field.is_identifier()
                    && let Some(problem) = self.mangled(field, value)
                {
                    return Err(self.error_at(field, &problem));
                }
                parse(value)
                    .map(Some)
                    .map_err(|e| self.error_at(field, &e.to_string()))
            }
        }
    }

    /// What a spreadsheet did to an identifier, if anything: a workbook's [`CellNote`], or
    /// a value in Excel's scientific form (`3.56789E+14`, as Excel saves a long number to
    /// CSV), whose digits are gone.
    fn mangled(&self, field: Field, value: &str) -> Option<String> {
        let cell = self.values[field.index()]?.cell;
        if let Some(notes) = &self.notes
            && let Some((_, note)) = notes.iter().find(|(c, _)| *c == cell)
        {
            return Some(note.problem());
        }
        is_scientific(value).then(|| {
            format!(
                "{:?} is a number Excel has shown in scientific form, and the digits after \
                 the first six are lost: in Excel, format the column as text (Format Cells → \
                 Text), type the values again as they are written on the devices, and save",
                shorten(value)
            )
        })
    }

    /// `list.csv:5: column "Slutdatum": <problem>`, or in a workbook `list.xlsx, sheet
    /// "Blad1", row 5, column "Slutdatum" (E): <problem>`; without the column when `field`
    /// is not in the file (the joined name, for instance).
    pub fn error_at(&self, field: Field, problem: &str) -> Error {
        Error::invalid(format!("{}: {problem}", self.place(field)))
    }

    /// Where `field`'s value is: the file (and sheet), the line or row, and its column when
    /// the list has one.
    pub fn place(&self, field: Field) -> RowPlace {
        let columns = &self.context.columns;
        // A wide list's row of another device column has its serial in that column.
        let column = match self.values[field.index()] {
            Some(span) => columns.columns.get(span.cell),
            None => columns.column_of(field),
        };
        RowPlace {
            file: self.context.file.clone(),
            line: self.line,
            column: column.map(|c| c.label()),
            sheet: self.context.sheet.as_ref().map(|sheet| RowSheet {
                name: sheet.name.clone(),
                column_letters: column
                    .map(|c| column_letters(c.index + sheet.first_column as usize)),
            }),
        }
    }
}

/// Where in a list something is: `list.csv:5: column "Slutdatum"`, `list.csv:5`, or in a
/// workbook `lista.xlsx, sheet "Blad1", row 5, column "Slutdatum" (E)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPlace {
    pub file: String,
    pub line: u64,
    /// The column's label as messages quote it, when the value has a column.
    pub column: Option<String>,
    /// The sheet, for a workbook.
    pub sheet: Option<RowSheet>,
}

/// The sheet of a workbook a row is on, and the column's letters there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSheet {
    pub name: String,
    pub column_letters: Option<String>,
}

impl std::fmt::Display for RowPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (file, line) = (&self.file, self.line);
        match (&self.sheet, &self.column) {
            (Some(sheet), Some(column)) => write!(
                f,
                "{file}, sheet {:?}, row {line}, column {column} ({})",
                sheet.name,
                sheet.column_letters.as_deref().unwrap_or("?")
            ),
            (Some(sheet), None) => write!(f, "{file}, sheet {:?}, row {line}", sheet.name),
            (None, Some(column)) => write!(f, "{file}:{line}: column {column}"),
            (None, None) => write!(f, "{file}:{line}"),
        }
    }
}

/// `3.56789E+14` or `3,56789E+14`: how Excel shows a number too wide for its column.
fn is_scientific(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['E', 'e']) else {
        return false;
    };
    let Some(exponent) = exponent.strip_prefix('+') else {
        return false;
    };
    let Some((whole, fraction)) = mantissa.split_once(['.', ',']) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && whole.len() <= 2 && digits(fraction) && digits(exponent)
}

/// Counts so far; complete once the iterator has returned `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Data rows handed out.
    pub rows: u64,
    /// Rows skipped as blank: empty lines between rows and rows of bare delimiters (`;;;;`).
    pub blank_rows: u64,
}

/// Why a line that is not blank was not read as a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Above the header: "Utlämnad utrustning Miljöförvaltningen 2024".
    Title,
    /// A sum of the rows: "Summa;;;37".
    Total,
    /// A lone cell after the last row: "Listan uppdaterad 2024-05-01".
    Note,
}

/// A line read past, and its text (its cells joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: u64,
    pub why: SkipReason,
    pub text: String,
}

/// What the reading noticed beyond the rows, for the summary: complete once the iterator
/// has returned `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadNotes {
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// Title lines, total rows and notes read past.
    pub skipped: Vec<SkippedLine>,
    /// Lines of a UTF-8 file that were not UTF-8 and were read as Windows-1252.
    pub redecoded_lines: Vec<u64>,
    /// Cells `--fill-down` filled from the row above.
    pub filled_cells: u64,
}

/// A record as a source yields it.
struct Raw {
    line: u64,
    cells: csv::StringRecord,
    notes: Option<Box<[(usize, CellNote)]>>,
}

/// Where records come from: CSV text, or a workbook's sheet.
// One per file, made once and never moved in a loop: the CSV variant's buffers inline cost
// nothing, and boxing them would put a pointer on the hot path of every record.
#[allow(clippy::large_enum_variant)]
enum Source<R> {
    Csv {
        records: Records<R>,
        /// A mixed file's lines read as Windows-1252.
        redecoded: Option<Arc<Mutex<Vec<u64>>>>,
    },
    Sheet(SheetRecords),
}

impl<R: Read> Source<R> {
    fn read(&mut self, path: &Path) -> Result<Option<Raw>> {
        match self {
            Source::Csv { records, .. } => Ok(records.read(path)?.map(|(line, cells)| Raw {
                line,
                cells,
                notes: None,
            })),
            Source::Sheet(sheet) => {
                Ok(sheet
                    .read()
                    .map(|(line, cells, notes)| Raw { line, cells, notes }))
            }
        }
    }

    /// Empty lines the CSV parser skipped on its own.
    fn skipped_lines(&self) -> u64 {
        match self {
            Source::Csv { records, .. } => records.blank_rows,
            Source::Sheet(_) => 0,
        }
    }
}

/// An open list: what was detected, and its rows as an iterator of `Result<Row>`.
/// After an `Err` the iterator ends.
pub struct ImportReader<R = Box<dyn ReadSeek>> {
    source: Source<R>,
    path: PathBuf,
    encoding: FileEncoding,
    delimiter: u8,
    headers: Vec<String>,
    context: Arc<Context>,
    /// Records read ahead (to recognise columns by their values), to be read first.
    ahead: VecDeque<Raw>,
    /// Rows that might be trailing notes.
    held: VecDeque<Row>,
    /// Rows ready to hand out before reading more.
    ready: VecDeque<Row>,
    /// `--fill-down`: each column, and the last value it had.
    fill: Vec<(usize, Option<String>)>,
    notes: ReadNotes,
    rows: u64,
    blank_rows: u64,
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

/// The header of a list, and what lay above it.
struct Header {
    line: u64,
    cells: Vec<String>,
    columns: Columns,
    titles: Vec<SkippedLine>,
    blank_rows: u64,
}

/// Finds the header: the first record that maps to a list, after at most
/// [`MAX_TITLE_LINES`] title lines (records of one or two cells that do not). When none
/// does, the refusal is the one of the first record that is not a title line (or of the
/// first title line, when all are).
fn find_header<R: Read>(
    source: &mut Source<R>,
    path: &Path,
    options: &ReadOptions,
    file: &str,
) -> Result<Header> {
    let mut titles: Vec<SkippedLine> = Vec::new();
    let mut first_error: Option<Error> = None;
    let mut blank_rows = 0;
    loop {
        let Some(raw) = source.read(path)? else {
            return Err(first_error.unwrap_or_else(|| Error::InvalidFile {
                summary: format!("{file} has no header line: it holds only blank rows"),
                details: "Export the list again, with its header line and rows.".to_string(),
            }));
        };
        if is_blank(&raw.cells) {
            blank_rows += 1;
            continue;
        }
        let mut cells: Vec<String> = raw.cells.iter().map(str::to_string).collect();
        // A second byte-order mark, or one left by a forced encoding, is not part of a name.
        if let Some(first) = cells.first_mut()
            && let Some(rest) = first.strip_prefix('\u{feff}')
        {
            *first = rest.to_string();
        }
        match map_columns(&cells, &options.maps, options.kind, file) {
            Ok(columns) => {
                return Ok(Header {
                    line: raw.line,
                    cells,
                    columns,
                    titles,
                    blank_rows,
                });
            }
            Err(error) => {
                let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
                if filled > 2 || titles.len() >= MAX_TITLE_LINES {
                    return Err(error);
                }
                first_error.get_or_insert(error);
                titles.push(SkippedLine {
                    line: raw.line,
                    why: SkipReason::Title,
                    text: joined(&raw.cells),
                });
            }
        }
    }
}

impl<R: Read + Seek> ImportReader<R> {
    /// Like [`ImportReader::open`] for any seekable source (its start is read more than
    /// once: encoding, delimiter, rows). `path` names it in messages.
    pub fn from_reader(mut source: R, path: &Path, options: &ReadOptions) -> Result<Self> {
        if let Some(format) = sniff_workbook(&mut source, path)? {
            return ImportReader::from_workbook(source, path, options, format);
        }
        let file = path.display().to_string();
        let (encoding, start, mixed) = detect(&mut source, path, options.encoding)?;
        let delimiter = sniff(
            DecodingReader::new(&mut source, encoding.encoding),
            path,
            options.delimiter,
        )?;
        source
            .seek(SeekFrom::Start(start))
            .map_err(|e| Error::io(path, e))?;
        let redecoded = mixed.then(|| Arc::new(Mutex::new(Vec::new())));
        let text = match &redecoded {
            Some(lines) => DecodingReader::mixed(source, Arc::clone(lines)),
            None => DecodingReader::new(source, encoding.encoding),
        };
        let records = Records {
            // Only `\n` ends a record (a `\r` before it is trimmed off the last cell), and
            // the text always ends with one: then every record's last line break is its
            // own, and line numbers can be counted exactly (see `Records::read`).
            csv: csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .has_headers(false)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_reader(Checked::new(text, delimiter).chain(FINAL_BREAK)),
            record: csv::ByteRecord::new(),
            next_line: 1,
            blank_rows: 0,
        };
        ImportReader::start(
            Source::Csv { records, redecoded },
            path,
            (encoding, delimiter),
            options,
            (&file, &file),
            None,
        )
    }

    /// A workbook: the sheet `--sheet` names, or the first that reads as a list. Its
    /// rejects are CSV for Excel (UTF-8 with a byte-order mark, `;`).
    fn from_workbook(
        source: R,
        path: &Path,
        options: &ReadOptions,
        _format: WorkbookFormat,
    ) -> Result<Self> {
        let file = path.display().to_string();
        let sheets = read_workbook(source, path)?;
        let encoding = FileEncoding {
            encoding: encoding_rs::UTF_8,
            bom: true,
        };
        let names = || {
            sheets
                .iter()
                .map(|s| format!("{:?}", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if let Some(wanted) = &options.sheet {
            let Some(index) = sheets
                .iter()
                .position(|s| s.name.trim().eq_ignore_ascii_case(wanted.trim()))
            else {
                return Err(Error::invalid(format!(
                    "--sheet {:?}: {file} has no such sheet; its sheets are {}",
                    shorten(wanted),
                    names()
                )));
            };
            let all_names = names();
            let Some(sheet) = sheets.into_iter().nth(index) else {
                return Err(Error::invalid(format!("{file} has no sheets: {all_names}")));
            };
            return ImportReader::start_sheet(sheet, path, encoding, options, &file);
        }
        let all_names = names();
        let mut first_error = None;
        for sheet in sheets {
            if sheet.is_empty() {
                continue;
            }
            match ImportReader::start_sheet(sheet, path, encoding, options, &file) {
                Ok(reader) => return Ok(reader),
                Err(Error::InvalidFile { summary, details }) => {
                    first_error.get_or_insert(Error::InvalidFile { summary, details });
                }
                // Usage problems (--map naming no column) are the same for every sheet.
                Err(other) => return Err(other),
            }
        }
        Err(first_error.unwrap_or_else(|| Error::InvalidFile {
            summary: format!("{file} has no sheet with a list: its sheets ({all_names}) are empty"),
            details: "Import the workbook that holds the list, or save the list as CSV."
                .to_string(),
        }))
    }

    fn start_sheet(
        sheet: crate::import::sheet::Sheet,
        path: &Path,
        encoding: FileEncoding,
        options: &ReadOptions,
        file: &str,
    ) -> Result<Self> {
        let records = sheet.records();
        let place = SheetLayout {
            name: records.name.clone(),
            first_column: records.first_column,
        };
        let label = format!("{file}, sheet {:?}", place.name);
        ImportReader::start(
            Source::Sheet(records),
            path,
            (encoding, b';'),
            options,
            (&label, file),
            Some(place),
        )
    }
}

impl<R: Read> ImportReader<R> {
    /// The header, the columns read by their values, and the first row: everything that
    /// refuses a file whole before its rows are read.
    /// `label` names the list in refusals of it whole (the file, and its sheet); `file`
    /// names it in row errors, which add the sheet themselves.
    fn start(
        mut source: Source<R>,
        path: &Path,
        (encoding, delimiter): (FileEncoding, u8),
        options: &ReadOptions,
        (label, file): (&str, &str),
        sheet: Option<SheetLayout>,
    ) -> Result<Self> {
        let mut header = find_header(&mut source, path, options, label)?;
        // The first rows, to recognise columns by their values.
        let mut ahead = VecDeque::new();
        let mut samples = 0;
        while samples < SAMPLE_ROWS {
            let Some(raw) = source.read(path)? else { break };
            if !is_blank(&raw.cells) && !is_total(&raw.cells) {
                samples += 1;
            }
            ahead.push_back(raw);
        }
        {
            let sample: Vec<&csv::StringRecord> = ahead
                .iter()
                .map(|r| &r.cells)
                .filter(|c| !is_blank(c) && !is_total(c))
                .collect();
            header
                .columns
                .recognise_by_values(&sample, options.kind, label)?;
        }
        let fill = fill_columns(&header.cells, &options.fill_down, label)?;
        let header_line = header.line;
        let mut reader = ImportReader {
            source,
            path: path.to_path_buf(),
            encoding,
            delimiter,
            headers: header.cells,
            context: Arc::new(Context {
                file: file.to_string(),
                columns: header.columns,
                date_formats: options.date_formats.clone(),
                sheet: sheet.clone(),
            }),
            ahead,
            held: VecDeque::new(),
            ready: VecDeque::new(),
            fill,
            notes: ReadNotes {
                sheet: sheet.map(|s| s.name),
                skipped: header.titles,
                ..ReadNotes::default()
            },
            rows: 0,
            blank_rows: header.blank_rows,
            done: false,
        };
        match reader.next_row()? {
            Some(row) => reader.ready.push_front(row),
            None => {
                let line_word = if reader.context.sheet.is_some() {
                    "row"
                } else {
                    "line"
                };
                return Err(Error::InvalidFile {
                    summary: format!(
                        "{label} has a header {line_word} ({line_word} {header_line}) but no \
                         rows: there is nothing to import"
                    ),
                    details: "Add the rows under the header, or import the file that has them."
                        .to_string(),
                });
            }
        }
        Ok(reader)
    }

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
            blank_rows: self.blank_rows + self.source.skipped_lines(),
        }
    }

    /// What was read past or read differently so far: the sheet, title lines, totals,
    /// notes, re-decoded lines, filled cells.
    pub fn notes(&self) -> ReadNotes {
        let mut notes = self.notes.clone();
        if let Source::Csv {
            redecoded: Some(lines),
            ..
        } = &self.source
            && let Ok(lines) = lines.lock()
        {
            notes.redecoded_lines = lines.clone();
        }
        notes
    }

    /// A rejects file in this list's encoding, byte-order mark and delimiter, with its headers.
    pub fn rejects_writer(&self, path: &Path) -> Result<RejectsWriter> {
        RejectsWriter::create(path, self.encoding, self.delimiter, &self.headers)
    }

    fn read_raw(&mut self) -> Result<Option<Raw>> {
        match self.ahead.pop_front() {
            Some(raw) => Ok(Some(raw)),
            None => self.source.read(&self.path),
        }
    }

    /// The next data row, skipping (and counting) blank ones, and totals and trailing
    /// notes (and saying so).
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Ok(Some(row));
            }
            let Some(raw) = self.read_raw()? else {
                for row in std::mem::take(&mut self.held) {
                    self.notes.skipped.push(SkippedLine {
                        line: row.line,
                        why: SkipReason::Note,
                        text: joined(&row.raw),
                    });
                }
                return Ok(None);
            };
            if is_blank(&raw.cells) {
                self.blank_rows += 1;
                continue;
            }
            if is_total(&raw.cells) {
                self.notes.skipped.push(SkippedLine {
                    line: raw.line,
                    why: SkipReason::Total,
                    text: joined(&raw.cells),
                });
                continue;
            }
            let maybe_note = self.is_lone_note(&raw.cells);
            let row = self.make_row(raw, !maybe_note);
            if maybe_note && self.held.len() < MAX_HELD {
                self.held.push_back(row);
                continue;
            }
            // A row: whatever was held was rows too.
            self.ready.extend(self.held.drain(..));
            self.ready.push_back(row);
        }
    }

    /// A record of one cell, outside the columns that identify a device or a person: a
    /// note, if only notes, totals and blank rows follow it.
    fn is_lone_note(&self, cells: &csv::StringRecord) -> bool {
        let mut filled = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty());
        let (Some((index, _)), None) = (filled.next(), filled.next()) else {
            return false;
        };
        let columns = &self.context.columns;
        ![
            Field::Serial,
            Field::AssetTag,
            Field::EmployeeNo,
            Field::Email,
        ]
        .into_iter()
        .any(|f| columns.index_of(f) == Some(index))
    }

    /// A row of `raw`, its `--fill-down` cells filled (and, if `remember`, remembered).
    fn make_row(&mut self, raw: Raw, remember: bool) -> Row {
        let Raw { line, cells, notes } = raw;
        let cells = if self.fill.is_empty() {
            cells
        } else {
            self.filled(cells, remember)
        };
        let (values, joined_name) = values_of(&cells, &self.context.columns);
        Row {
            line,
            raw: cells,
            values,
            joined_name,
            notes,
            context: Arc::clone(&self.context),
        }
    }

    fn filled(&mut self, cells: csv::StringRecord, remember: bool) -> csv::StringRecord {
        let mut missing = false;
        for (index, last) in &mut self.fill {
            match cells.get(*index).map(str::trim).filter(|c| !c.is_empty()) {
                Some(value) if remember => *last = Some(value.to_string()),
                Some(_) => {}
                None => missing |= last.is_some(),
            }
        }
        if !missing {
            return cells;
        }
        let width = cells
            .len()
            .max(self.fill.iter().map(|(i, _)| i + 1).max().unwrap_or(0));
        let mut out = csv::StringRecord::with_capacity(cells.as_slice().len() + 64, width);
        for index in 0..width {
            let cell = cells.get(index).unwrap_or("");
            let fill = self
                .fill
                .iter()
                .find(|(i, _)| *i == index)
                .and_then(|(_, last)| last.as_deref())
                .filter(|_| cell.trim().is_empty());
            match fill {
                Some(value) => {
                    out.push_field(value);
                    self.notes.filled_cells += 1;
                }
                None => out.push_field(cell),
            }
        }
        out
    }
}

/// `--fill-down HEADER`: the columns, matched like `--map` (exactly, else by key).
fn fill_columns(
    headers: &[String],
    wanted: &[String],
    file: &str,
) -> Result<Vec<(usize, Option<String>)>> {
    wanted
        .iter()
        .map(|name| {
            let exact = headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()));
            exact
                .or_else(|| {
                    let key = header_key(name);
                    headers.iter().position(|h| header_key(h) == key)
                })
                .map(|index| (index, None))
                .ok_or_else(|| {
                    Error::invalid(format!(
                        "--fill-down {:?}: {file} has no such column; its columns are {}",
                        shorten(name),
                        headers
                            .iter()
                            .map(|h| format!("{:?}", shorten(h.trim())))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
        })
        .collect()
}

impl<R: Read> Iterator for ImportReader<R> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        if self.done {
            return None;
        }
        match self.next_row() {
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

/// The non-empty cells of a record, trimmed, joined with `;` (for the summary).
fn joined(cells: &csv::StringRecord) -> String {
    let text = cells
        .iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    shorten(&text).to_string()
}

/// The words a total row starts with (ASCII, compared without case).
const TOTAL_WORDS: [&str; 8] = [
    "summa",
    "totalt",
    "total",
    "totals",
    "delsumma",
    "totalsumma",
    "subtotal",
    "antal",
];

/// A total row: its first cell a word of [`TOTAL_WORDS`] (`Summa`, `Totalt antal:`), every
/// other cell empty or a number ("Summa;;;37", "Totalt;12 st").
fn is_total(cells: &csv::StringRecord) -> bool {
    let mut filled = cells.iter().map(str::trim).filter(|c| !c.is_empty());
    let Some(first) = filled.next() else {
        return false;
    };
    // Compared without allocating: this runs on every row of a million-row list.
    let word = first.trim_end_matches([':', '.', ' ']);
    let starts = TOTAL_WORDS.iter().any(|w| {
        word.get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
            && word
                .get(w.len()..)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':']))
    });
    starts
        && filled.all(|cell| {
            let number = cell
                .trim_end_matches(|c: char| c.is_alphabetic())
                .trim_end();
            !number.is_empty()
                && number
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | ',' | '.' | '-' | '\u{a0}'))
                && number.chars().any(|c| c.is_ascii_digit())
        })
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

/// The fields that describe the device of a row's [`Field::Serial`] column: a wide list's
/// other device columns have a serial (and their column's kind) alone.
const DESCRIBE_DEVICE: [Field; 7] = [
    Field::Serial,
    Field::AssetTag,
    Field::Kind,
    Field::Make,
    Field::Model,
    Field::Status,
    Field::Purchased,
];

/// Where the trimmed, unguarded value of cell `cell` lies, if it is not empty.
fn span_of(raw: &csv::StringRecord, cell: usize) -> Option<Span> {
    let text = raw.get(cell)?;
    let value = strip_formula_guard(text.trim()).trim();
    if value.is_empty() {
        return None;
    }
    // `value` is a slice of `text`: its place in it is the distance between them.
    let start = value.as_ptr() as usize - text.as_ptr() as usize;
    Some(Span {
        cell,
        start,
        end: start + value.len(),
    })
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
        values[field.index()] = span_of(raw, cell);
    }
    let mut joined_name = None;
    let text_of = |span: Option<Span>| span.map(|s: Span| &raw[s.cell][s.start..s.end]);
    if let Some(name) = text_of(values[Field::Name.index()]) {
        // "Sjöberg, Karin": a name written last name first, as many lists do.
        if memchr::memchr(b',', name.as_bytes()).is_some() {
            joined_name = last_name_first(name, false);
        }
    } else if let Some(name) = text_of(values[Field::NameLastFirst.index()]) {
        joined_name = last_name_first(name, true).or_else(|| Some(name.to_string()));
    }
    if joined_name.is_none() && values[Field::Name.index()].is_none() {
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

/// A name written last name first, turned around: "Sjöberg, Karin" → "Karin Sjöberg". A
/// name without a comma is turned around only from a column that says it is written last
/// name first (`reversed`), and only when it is two words ("Sjöberg Karin"): of more words,
/// which are the last name is a guess. `None` when the name is not of that form.
pub(crate) fn last_name_first(name: &str, reversed: bool) -> Option<String> {
    if let Some((last, first)) = name.split_once(',') {
        let (last, first) = (last.trim(), first.trim());
        // Names only: letters, and the spaces, hyphens, apostrophes and dots between them.
        let plain = |s: &str| {
            s.chars().next().is_some_and(char::is_alphabetic)
                && s.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '’'))
        };
        return (plain(last) && plain(first)).then(|| format!("{first} {last}"));
    }
    if !reversed {
        return None;
    }
    let mut words = name.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(last), Some(first), None) => Some(format!("{first} {last}")),
        _ => None,
    }
}

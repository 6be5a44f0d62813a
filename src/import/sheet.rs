//! Excel and OpenDocument workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`), read with
//! calamine into the same records a CSV file gives, so the header mapping, the values and
//! the row checks are the ones CSV has.
//!
//! A workbook is recognised by its first bytes (a ZIP archive or an OLE compound file), not
//! its name. Its cells become text the way a person reads them: a date cell as
//! `YYYY-MM-DD` (with its time if it has one), a whole number without `.0`. A merged cell's
//! value is filled down the rows it covers (in its first column), as a person reads a name
//! merged over three rows of devices. What Excel has already done to an identifier cannot
//! be undone, only pointed out: a number too long for Excel's 15 digits, a fraction, a
//! number that lost the leading zero its neighbours have, or an identifier Excel turned into
//! a date, is a [`CellNote`] the row reports as an error when the cell is read as a serial,
//! employee number or asset tag.

use crate::error::{Error, Result};
use crate::validate::shorten;
use calamine::{Data, Range, Reader, Sheets};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

/// What Excel did to a cell that an identifier cannot survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellNote {
    /// A number Excel keeps to 15 significant digits, or a fraction: the digits are lost.
    Rounded(String),
    /// A whole number shorter than the zero-padded values of its column (`42` among
    /// `0042`, `0107`): Excel dropped its leading zeros.
    LostZeros { value: String, width: usize },
    /// A date cell: Excel turned what was typed (`3-5`, `1/2`) into a date.
    Date(String),
}

impl CellNote {
    /// The problem and how to fix it in Excel.
    pub fn problem(&self) -> String {
        const FIX: &str = "in Excel, format the column as text (Format Cells → Text), type \
                           the values again as they are written on the devices or in the \
                           HR system, and save";
        match self {
            CellNote::Rounded(value) => format!(
                "{:?} is a number in Excel, which keeps only 15 digits, so this identifier \
                 has lost digits: {FIX}",
                shorten(value)
            ),
            CellNote::LostZeros { value, width } => format!(
                "{:?} is a number in Excel and has lost its leading zeros (the column's other \
                 values have {width} digits): {FIX}",
                shorten(value)
            ),
            CellNote::Date(value) => format!(
                "{:?} is a date in Excel, not the identifier that was typed: {FIX}",
                shorten(value)
            ),
        }
    }
}

/// The kind of workbook, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookFormat {
    /// A ZIP archive: `.xlsx`, `.xlsm`, `.xlsb` or `.ods`.
    Zip,
    /// An OLE compound file: Excel 97–2003's `.xls`.
    Ole,
}

/// Whether `source` starts like a workbook; leaves it at its start.
pub(crate) fn sniff_workbook<R: Read + Seek>(
    source: &mut R,
    path: &Path,
) -> Result<Option<WorkbookFormat>> {
    let io = |e| Error::io(path, e);
    source.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut head = [0u8; 8];
    let mut got = 0;
    while got < head.len() {
        match source.read(&mut head[got..]).map_err(io)? {
            0 => break,
            n => got += n,
        }
    }
    source.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(match &head[..got] {
        [b'P', b'K', 3, 4, ..] => Some(WorkbookFormat::Zip),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] => Some(WorkbookFormat::Ole),
        _ => None,
    })
}

/// One sheet of a workbook, its merged cells filled down.
pub struct Sheet {
    pub name: String,
    range: Range<Data>,
    /// Per column, the width of its zero-padded numbers written as text (`0042`), if they
    /// all have one.
    padded_widths: Vec<Option<usize>>,
}

/// Every sheet of a workbook, in the workbook's order. The workbook is read into memory
/// whole (calamine reads a sheet whole anyway; a workbook is compressed).
pub fn read_workbook(mut source: impl Read, path: &Path) -> Result<Vec<Sheet>> {
    let mut bytes = Vec::new();
    source
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    let file = path.display();
    let refuse = |why: String| Error::InvalidFile {
        summary: format!("{file} cannot be read as a workbook: {why}"),
        details: "Open it in Excel or LibreOffice and save it again as .xlsx, or save the \
                  list as CSV and import that."
            .to_string(),
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| refuse(e.to_string()))?;
    let names = workbook.sheet_names();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let Ok(mut range) = workbook.worksheet_range(&name) else {
            // A chart sheet or a macro sheet is not a list: skipped like an empty sheet.
            continue;
        };
        // A sheet whose merged cells cannot be read is read without them.
        let merged = match &mut workbook {
            Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        for region in merged {
            let (top, column) = region.start;
            let (bottom, _) = region.end;
            let Some(value) = range.get_value((top, column)).cloned() else {
                continue;
            };
            if value == Data::Empty {
                continue;
            }
            for row in top.saturating_add(1)..=bottom {
                if range.get_value((row, column)).is_some() {
                    range.set_value((row, column), value.clone());
                }
            }
        }
        let padded_widths = padded_widths(&range);
        sheets.push(Sheet {
            name,
            range,
            padded_widths,
        });
    }
    Ok(sheets)
}

/// Per column: the width shared by every text cell that is digits with a leading zero.
fn padded_widths(range: &Range<Data>) -> Vec<Option<usize>> {
    let mut widths: Vec<Option<Option<usize>>> = vec![None; range.width()];
    for row in range.rows() {
        for (index, cell) in row.iter().enumerate() {
            let Data::String(text) = cell else { continue };
            let text = text.trim();
            if text.len() < 2 || !text.starts_with('0') || !text.bytes().all(|b| b.is_ascii_digit())
            {
                continue;
            }
            widths[index] = match widths[index] {
                None => Some(Some(text.len())),
                Some(Some(w)) if w == text.len() => Some(Some(w)),
                Some(_) => Some(None),
            };
        }
    }
    widths.into_iter().map(Option::flatten).collect()
}

impl Sheet {
    /// Its rows in order, as text cells with their notes.
    pub(crate) fn records(self) -> SheetRecords {
        let (first_row, first_column) = self.range.start().unwrap_or((0, 0));
        SheetRecords {
            name: self.name,
            first_row,
            first_column,
            range: self.range,
            padded_widths: self.padded_widths,
            next: 0,
        }
    }

    /// Whether the sheet has no cells at all.
    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }
}

/// A sheet read row by row.
pub(crate) struct SheetRecords {
    pub(crate) name: String,
    /// The sheet's first used row and column (0-based), where the range starts.
    first_row: u32,
    pub(crate) first_column: u32,
    range: Range<Data>,
    padded_widths: Vec<Option<usize>>,
    next: usize,
}

/// A record of a sheet: its 1-based row number, its cells, and the notes on them.
pub(crate) type SheetRecord = (u64, csv::StringRecord, Option<Box<[(usize, CellNote)]>>);

impl SheetRecords {
    pub(crate) fn read(&mut self) -> Option<SheetRecord> {
        if self.next >= self.range.height() {
            return None;
        }
        let at = self.next;
        let line = u64::from(self.first_row) + at as u64 + 1;
        self.next += 1;
        // Cell by cell: `rows().nth(n)` would walk the sheet from its top for every row.
        let width = self.range.width();
        let row = (0..width).filter_map(|column| self.range.get((at, column)));
        let mut record = csv::StringRecord::with_capacity(64, width);
        let mut notes = Vec::new();
        for (index, cell) in row.enumerate() {
            let (text, note) = cell_text(cell, self.padded_widths.get(index).copied().flatten());
            record.push_field(&text);
            if let Some(note) = note {
                notes.push((index, note));
            }
        }
        Some((
            line,
            record,
            (!notes.is_empty()).then(|| notes.into_boxed_slice()),
        ))
    }
}

/// A cell as text, and what an identifier would suffer from it.
fn cell_text(cell: &Data, padded: Option<usize>) -> (String, Option<CellNote>) {
    match cell {
        Data::Empty => (String::new(), None),
        Data::String(text) => (text.clone(), None),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.to_string(), None),
        Data::Int(i) => whole_number(i.to_string(), padded),
        Data::Float(f) => {
            // 2^53: below it every whole number is exact in an f64.
            if f.fract() == 0.0 && f.abs() < 1e15 {
                whole_number(format!("{}", *f as i64), padded)
            } else {
                let text = f.to_string();
                (text.clone(), Some(CellNote::Rounded(text)))
            }
        }
        Data::DateTime(moment) => {
            let text = match moment.as_datetime() {
                Some(m) if moment.is_duration() => m.time().format("%H:%M:%S").to_string(),
                Some(m) if m.time() == chrono::NaiveTime::MIN => m.date().to_string(),
                Some(m) => m.format("%Y-%m-%d %H:%M:%S").to_string(),
                None => moment.as_f64().to_string(),
            };
            (text.clone(), Some(CellNote::Date(text)))
        }
        Data::DateTimeIso(text) => (text.clone(), Some(CellNote::Date(text.clone()))),
        Data::DurationIso(text) => (text.clone(), None),
        Data::Error(e) => (format!("#{e}"), None),
    }
}

fn whole_number(text: String, padded: Option<usize>) -> (String, Option<CellNote>) {
    let digits = text.trim_start_matches('-').len();
    let note = match padded {
        Some(width) if digits < width => Some(CellNote::LostZeros {
            value: text.clone(),
            width,
        }),
        _ => None,
    };
    (text, note)
}

/// `A`, `B`, … `Z`, `AA`: the letters of a 0-based column.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, "A")]
    #[case(25, "Z")]
    #[case(26, "AA")]
    #[case(27, "AB")]
    #[case(701, "ZZ")]
    #[case(702, "AAA")]
    fn columns_have_letters(#[case] index: usize, #[case] letters: &str) {
        assert_eq!(column_letters(index), letters);
    }

    #[rstest]
    #[case(Data::Float(356789012345678.0), "356789012345678", None)]
    #[case(
        Data::Float(1.2345678901234567e16),
        "12345678901234568",
        Some("Rounded")
    )]
    #[case(Data::Float(12.5), "12.5", Some("Rounded"))]
    #[case(Data::Int(4471), "4471", None)]
    #[case(Data::Float(42.0), "42", Some("LostZeros"))]
    #[case(Data::String("0042".into()), "0042", None)]
    #[case(Data::Empty, "", None)]
    fn cells_become_text(#[case] cell: Data, #[case] text: &str, #[case] note: Option<&str>) {
        let (got, got_note) = cell_text(&cell, Some(4));
        assert_eq!(got, text);
        let kind = got_note.map(|n| match n {
            CellNote::Rounded(_) => "Rounded",
            CellNote::LostZeros { .. } => "LostZeros",
            CellNote::Date(_) => "Date",
        });
        assert_eq!(kind, note);
    }

    #[test]
    fn garbage_that_starts_like_a_zip_is_refused_not_a_panic() {
        let Err(err) = read_workbook(&b"PK\x03\x04 not really"[..], Path::new("x.xlsx")) else {
            panic!("garbage was read as a workbook");
        };
        assert_eq!(err.exit_code(), 65);
        assert!(
            err.to_string().contains("cannot be read as a workbook"),
            "{err}"
        );
    }
}

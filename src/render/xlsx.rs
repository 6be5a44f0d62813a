//! Listings as an Excel workbook (`export … --format xlsx`): one sheet with a bold, frozen
//! header, an autofilter over the rows and columns as wide as their text. Dates are date
//! cells; every other cell is text, so a serial or an employee number (`0042`) stays as
//! written, and no cell is ever a formula. Built in memory (a register's listing is small
//! beside what a workbook holds) and returned as bytes: the command line writes the file.

use super::{Record, View};
use crate::zone::Zone;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Columns no wider than this many characters; text beyond it is still all there.
const MAX_WIDTH: usize = 60;

/// Header words of columns whose cells are dates or moments (`YYYY-MM-DD[ HH:MM[:SS]]`).
fn is_date_column(header: &str) -> bool {
    matches!(
        header,
        "purchased" | "status_since" | "end_date" | "handed_out_on" | "due_back"
    )
}

/// A workbook of rows of `R`, written one [`XlsxSheet::row`] at a time.
pub struct XlsxSheet {
    workbook: Workbook,
    sheet: Worksheet,
    headers: &'static [&'static str],
    widths: Vec<usize>,
    rows: u32,
    zone: Zone,
    date: Format,
    moment: Format,
}

fn failed(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl XlsxSheet {
    /// A workbook whose one sheet is called `name`, with the header of `R`.
    pub fn start<R: Record>(name: &str, zone: Zone) -> std::io::Result<XlsxSheet> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name).map_err(failed)?;
        let bold = Format::new().set_bold();
        let headers = R::headers();
        for (column, header) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, column as u16, *header, &bold)
                .map_err(failed)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        Ok(XlsxSheet {
            workbook: Workbook::new(),
            sheet,
            headers,
            widths: headers.iter().map(|h| h.chars().count() + 3).collect(),
            rows: 0,
            zone,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            moment: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
        })
    }

    pub fn row<R: Record>(&mut self, row: &R) -> std::io::Result<()> {
        let cells = row.cells(View {
            lang: None,
            zone: self.zone,
        });
        let at = self.rows + 1;
        for (column, cell) in cells.iter().enumerate() {
            let date_column = self.headers.get(column).is_some_and(|h| is_date_column(h));
            let index = column as u16;
            match date_column.then(|| date_cell(cell)).flatten() {
                Some((moment, has_time)) => {
                    let format = if has_time { &self.moment } else { &self.date };
                    self.sheet
                        .write_datetime_with_format(at, index, &moment, format)
                        .map_err(failed)?;
                }
                None if cell.is_empty() => {}
                None => {
                    self.sheet
                        .write_string(at, index, cell.as_str())
                        .map_err(failed)?;
                }
            }
            if let Some(width) = self.widths.get_mut(column) {
                *width = (*width).max(cell.chars().count() + 2).min(MAX_WIDTH);
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The workbook's bytes, with the autofilter and the column widths; and the rows.
    pub fn finish(mut self) -> std::io::Result<(Vec<u8>, u64)> {
        let last_column = self.headers.len().saturating_sub(1) as u16;
        self.sheet
            .autofilter(0, 0, self.rows, last_column)
            .map_err(failed)?;
        for (column, width) in self.widths.iter().enumerate() {
            self.sheet
                .set_column_width(column as u16, *width as f64)
                .map_err(failed)?;
        }
        self.workbook.push_worksheet(self.sheet);
        let bytes = self.workbook.save_to_buffer().map_err(failed)?;
        Ok((bytes, u64::from(self.rows)))
    }
}

/// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]` as an Excel date, and whether it has a time.
fn date_cell(text: &str) -> Option<(ExcelDateTime, bool)> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some((excel_date(date)?, false));
    }
    let moment = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())?;
    use chrono::Timelike;
    let time = moment.time();
    let cell = excel_date(moment.date())?
        .and_hms(
            time.hour() as u16,
            time.minute() as u8,
            time.second() as f64,
        )
        .ok()?;
    Some((cell, true))
}

fn excel_date(date: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let year = u16::try_from(date.year()).ok()?;
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Person, PersonId};

    #[test]
    fn a_listing_becomes_a_workbook_that_calamine_reads_back() {
        use calamine::{Data, Reader};
        let mut sheet = XlsxSheet::start::<Person>("people", Zone::DEFAULT).unwrap();
        sheet
            .row(&Person {
                id: PersonId(1),
                employee_no: Some("0042".into()),
                name: "=cmd|' /C calc'!A0".into(),
                email: None,
                department: Some("Gatukontoret".into()),
                end_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 15),
                erased: false,
                username: None,
                manager: None,
                language: None,
            })
            .unwrap();
        let (bytes, rows) = sheet.finish().unwrap();
        assert_eq!(rows, 1);
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("people").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("employee_no".into())));
        assert_eq!(range.get((1, 0)), Some(&Data::String("0042".into())));
        assert_eq!(
            range.get((1, 1)),
            Some(&Data::String("=cmd|' /C calc'!A0".into()))
        );
        match range.get((1, 4)) {
            Some(Data::DateTime(d)) => assert_eq!(
                d.as_datetime().map(|m| m.date()),
                chrono::NaiveDate::from_ymd_opt(2026, 12, 15)
            ),
            other => panic!("the end date is {other:?}"),
        }
    }

    #[test]
    fn dates_and_moments_are_recognised() {
        assert!(matches!(date_cell("2024-02-12"), Some((_, false))));
        assert!(matches!(date_cell("2024-02-12 13:05"), Some((_, true))));
        assert!(date_cell("5ZKQ9X3").is_none());
        assert!(date_cell("").is_none());
    }
}

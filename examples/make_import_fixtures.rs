//! Writes the workbook fixtures of `fixtures/import/` (`cargo run --example
//! make_import_fixtures`): lists as offices keep them in Excel, built cell by cell so what
//! each cell is (text, number, date, merged) is exactly what the tests need. The files are
//! committed; run this again only to change them.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use std::path::Path;

fn main() -> Result<(), XlsxError> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import");
    handouts(&dir.join("excel-handouts.xlsx"))?;
    mangled(&dir.join("excel-mangled.xlsx"))?;
    Ok(())
}

fn date(y: u16, m: u8, d: u8) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(y, m, d)
}

/// A first sheet of instructions (not a list), then the list: a merged title line above
/// the header, a header Excel users write (`Utr. typ`, `Utlämnat datum`,
/// `Organisationsenhet`), date cells, employee numbers as text, a name merged over the rows
/// of the person's devices, a total row and a note under the list.
fn handouts(path: &Path) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let info = book.add_worksheet().set_name("Instruktioner")?;
    info.write_string(0, 0, "Fyll i en rad per utlämnad enhet.")?;
    info.write_string(1, 0, "Kontakt: IT-servicedesk")?;

    let sheet = book.add_worksheet().set_name("Utlämnat")?;
    sheet.merge_range(
        0,
        0,
        0,
        5,
        "Utlämnad utrustning Miljöförvaltningen 2024",
        &bold,
    )?;
    let headers = [
        "Namn",
        "Anst.nr",
        "Organisationsenhet",
        "Utr. typ",
        "Serienr",
        "Utlämnat datum",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    // Karin's name, number and unit are merged over her two rows.
    sheet.merge_range(3, 0, 4, 0, "Sjöberg, Karin", &Format::new())?;
    sheet.merge_range(3, 1, 4, 1, "0042", &Format::new())?;
    sheet.merge_range(3, 2, 4, 2, "Miljöförvaltningen", &Format::new())?;
    sheet.write_string(3, 3, "Bärbar dator")?;
    sheet.write_string(3, 4, "PF3X9K2")?;
    sheet.write_datetime_with_format(3, 5, &date(2024, 3, 5)?, &day)?;
    sheet.write_string(4, 3, "Dockningsstation")?;
    sheet.write_string(4, 4, "DK-7781")?;
    sheet.write_datetime_with_format(4, 5, &date(2024, 3, 5)?, &day)?;
    sheet.write_string(5, 0, "Börje Öst")?;
    sheet.write_string(5, 1, "0107")?;
    sheet.write_string(5, 2, "Miljöförvaltningen")?;
    sheet.write_string(5, 3, "Mobil")?;
    // An IMEI of 15 digits, entered as a number: Excel keeps it exactly.
    sheet.write_number(5, 4, 356789012345678.0)?;
    sheet.write_datetime_with_format(5, 5, &date(2024, 11, 20)?, &day)?;
    sheet.write_string(7, 0, "Summa")?;
    sheet.write_number(7, 4, 3.0)?;
    sheet.write_string(8, 0, "Listan uppdaterad av Ahmed (IT)")?;
    book.save(path)
}

/// What Excel does to identifiers typed into General cells: a 16-digit IMEI rounded, an
/// employee number that lost its leading zeros beside ones that kept them (typed as text),
/// and a serial Excel turned into a date.
fn mangled(path: &Path) -> Result<(), XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Mobiler")?;
    for (c, h) in ["Namn", "Anst.nr", "Typ", "Serienr"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    sheet.write_string(1, 0, "Maria Olsson")?;
    sheet.write_string(1, 1, "0042")?;
    sheet.write_string(1, 2, "Mobil")?;
    sheet.write_number(1, 3, 3567890123456789.0)?;
    sheet.write_string(2, 0, "Per Gustafsson")?;
    sheet.write_number(2, 1, 107.0)?;
    sheet.write_string(2, 2, "Mobil")?;
    sheet.write_string(2, 3, "R52W10ABCDE")?;
    sheet.write_string(3, 0, "Åsa Wikström")?;
    sheet.write_string(3, 1, "0618")?;
    sheet.write_string(3, 2, "Headset")?;
    sheet.write_datetime_with_format(
        3,
        3,
        &date(2024, 3, 5)?,
        &Format::new().set_num_format("d-mmm"),
    )?;
    book.save(path)
}

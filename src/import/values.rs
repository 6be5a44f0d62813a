//! Cell values to typed values: dates, status words, and the CSV-injection guard.
//!
//! Lists write dates as `2024-02-12`, `2024-2-12 13:05`, `20240212`, or with the year last
//! and the day first (`12.2.2024`, `12/02/2024`), as in Sweden and the rest of Europe; a
//! two-digit year is ambiguous and needs `--date-format`, which may be given more than once.
//! Status words come
//! in Swedish, English and Snipe-IT's labels; one table maps them all. These functions
//! return the bare problem; [`super::Row`] adds the line and column.

use crate::error::{Error, Result};
use crate::import::columns::header_key;
use crate::model::{Language, Status};
use crate::validate::{parse_date, shorten};
use chrono::format::{Item, StrftimeItems};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::borrow::Cow;
use std::fmt::Write as _;

/// A language cell: `sv`, `en`, or the language's name (`Svenska`, `English`).
pub fn language_cell(raw: &str) -> Result<Language> {
    Language::parse(raw).ok_or_else(|| {
        Error::invalid(format!(
            "{:?} is not a language handback writes in: use sv (Svenska) or en (English)",
            shorten(raw)
        ))
    })
}

/// A date cell. With `formats` (`--date-format`, chrono strftime, possibly several) those
/// layouts are tried first; a value two of them read as different dates is ambiguous and an
/// error. Then the layouts that mean one date wherever a list comes from: year first
/// (`2024-03-05`, `2024-3-5`, `2024.03.05`, `2024/3/5`), year last, read day first as in
/// Sweden and the rest of Europe (`5.3.2024`, `05/03/2024`, `5-3-2024`), and `20240305`, each
/// with an optional time (` 10:00`, `T10:00:00`, dropped by this function). A two-digit year
/// (`05/03/24`) could be either end and is an error naming the value.
pub fn parse_import_date(raw: &str, formats: &[String]) -> Result<NaiveDate> {
    parse_import_date_time(raw, formats).map(|(date, _)| date)
}

/// Like [`parse_import_date`], keeping the time of day when the cell has one (a hand-out
/// written `2024-02-12 13:05`).
pub fn parse_import_date_time(
    raw: &str,
    formats: &[String],
) -> Result<(NaiveDate, Option<NaiveTime>)> {
    let value = raw.trim();
    if !formats.is_empty() {
        let mut found: Option<((NaiveDate, Option<NaiveTime>), &str)> = None;
        for format in formats {
            // Date-and-time first: parsing as a date alone accepts, and drops, a time.
            let read = NaiveDateTime::parse_from_str(value, format)
                .map(|m| (m.date(), Some(m.time())))
                .or_else(|_| NaiveDate::parse_from_str(value, format).map(|d| (d, None)));
            let Ok(read) = read else { continue };
            match found {
                Some((earlier, other)) if earlier.0 != read.0 => {
                    return Err(Error::invalid(format!(
                        "{:?} is ambiguous: --date-format {other} reads it as {}, \
                         --date-format {format} as {}; give only the layout the list uses",
                        shorten(value),
                        earlier.0,
                        read.0
                    )));
                }
                Some(_) => {}
                None => found = Some((read, format)),
            }
        }
        if let Some((read, _)) = found {
            return Ok(read);
        }
    }
    // The usual cell, `YYYY-MM-DD`, the fast way.
    if value.len() == 10
        && let Ok(date) = parse_date(value)
    {
        return Ok((date, None));
    }
    read_date_time(value).map_err(|why| {
        let expected = if formats.is_empty() {
            "YYYY-MM-DD".to_string()
        } else {
            format!("{}, YYYY-MM-DD", formats.join(", "))
        };
        let why = match why {
            Unreadable::Layout => format!(
                "is not a valid date: expected {expected} (for example 2026-03-31) or a day \
                 first as 31.3.2026 or 31/03/2026"
            ),
            Unreadable::NoSuchDay { day_first: true } => {
                "is not a valid date: there is no such day (dates with the year last are read \
                 day first, DD/MM/YYYY); a list written month first needs --date-format \
                 %m/%d/%Y"
                    .to_string()
            }
            Unreadable::NoSuchDay { day_first: false } => {
                "is not a valid date: there is no such day in the calendar".to_string()
            }
            Unreadable::TwoDigitYear => format!(
                "is ambiguous: with a two-digit year it could be read more than one way; \
                 write the year in full (for example 2026-03-31) or give the layout with \
                 --date-format (such as {})",
                if value.contains('/') {
                    "%d/%m/%y"
                } else {
                    "%d.%m.%y"
                }
            ),
        };
        Error::invalid(format!("{:?} {why}", shorten(value)))
    })
}

/// Why [`read_date_time`] could not read a value.
enum Unreadable {
    Layout,
    NoSuchDay { day_first: bool },
    TwoDigitYear,
}

/// The built-in layouts of [`parse_import_date_time`], after `--date-format`.
fn read_date_time(value: &str) -> std::result::Result<(NaiveDate, Option<NaiveTime>), Unreadable> {
    let (date_part, time_part) = match value.find([' ', 'T']) {
        Some(at) => (&value[..at], Some(value[at + 1..].trim())),
        None => (value, None),
    };
    let time = match time_part {
        None => None,
        Some(time) => Some(read_time(time).ok_or(Unreadable::Layout)?),
    };
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(date_part, "%Y%m%d")
            .map(|d| (d, time))
            .map_err(|_| Unreadable::NoSuchDay { day_first: false });
    }
    let separator = date_part
        .bytes()
        .find(|b| matches!(b, b'-' | b'.' | b'/'))
        .ok_or(Unreadable::Layout)?;
    let mut groups = date_part.split(separator as char);
    let (Some(a), Some(b), Some(c), None) =
        (groups.next(), groups.next(), groups.next(), groups.next())
    else {
        return Err(Unreadable::Layout);
    };
    let number = |group: &str, widths: std::ops::RangeInclusive<usize>| {
        (widths.contains(&group.len()) && group.bytes().all(|b| b.is_ascii_digit()))
            .then(|| group.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day, day_first) = if let (Some(y), Some(m), Some(d)) =
        (number(a, 4..=4), number(b, 1..=2), number(c, 1..=2))
    {
        (y, m, d, false)
    } else if let (Some(d), Some(m), Some(y)) =
        (number(a, 1..=2), number(b, 1..=2), number(c, 4..=4))
    {
        (y, m, d, true)
    } else if number(a, 1..=2).is_some() && number(b, 1..=2).is_some() && number(c, 1..=2).is_some()
    {
        return Err(Unreadable::TwoDigitYear);
    } else {
        return Err(Unreadable::Layout);
    };
    let year = i32::try_from(year).map_err(|_| Unreadable::Layout)?;
    NaiveDate::from_ymd_opt(year, month, day)
        .map(|date| (date, time))
        .ok_or(Unreadable::NoSuchDay { day_first })
}

/// `HH:MM` or `HH:MM:SS`, with or without fractional seconds.
fn read_time(time: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time, f).ok())
}

/// Checks a `--date-format` layout: chrono must understand it, and a date written with it
/// must read back as the same date (so it has a day, a month and a year).
pub(crate) fn check_date_format(raw: &str) -> Result<String> {
    let refuse = |why: &str| {
        Error::invalid(format!(
            "--date-format {:?} {why}: write it in chrono's strftime, for example %d/%m/%Y",
            shorten(raw)
        ))
    };
    if raw.trim().is_empty() || StrftimeItems::new(raw).any(|item| matches!(item, Item::Error)) {
        return Err(refuse("is not a date layout"));
    }
    let probe = NaiveDate::from_ymd_opt(2024, 11, 23)
        .and_then(|d| d.and_hms_opt(13, 45, 0))
        .ok_or_else(|| refuse("cannot be checked"))?;
    let mut written = String::new();
    // Formatting fails (rather than panics) through `write!` for items a date lacks (%z).
    write!(written, "{}", probe.format(raw)).map_err(|_| refuse("asks for a time zone"))?;
    let back = NaiveDate::parse_from_str(&written, raw).ok().or_else(|| {
        NaiveDateTime::parse_from_str(&written, raw)
            .ok()
            .map(|m| m.date())
    });
    if back != Some(probe.date()) {
        return Err(refuse("needs a day, a month and a year"));
    }
    Ok(raw.to_string())
}

/// Every status word lists use, compared without case, accents, spaces or punctuation.
/// Snipe-IT's labels: `Pending` and `Ready to Deploy` are stock; `Un-deployable`, `Broken`,
/// `Out for Repair` and `Out for Diagnostics` are in repair (not usable, still ours);
/// `Archived` is gone for good (recycled); `Lost/Stolen` is lost, since a theft is not
/// known. `kasserad`/`retired` mean decided to scrap, not yet gone: to recycle.
const STATUS_WORDS: &[(&str, Status)] = &[
    ("i lager", Status::InStock),
    ("lager", Status::InStock),
    ("på lager", Status::InStock),
    ("ledig", Status::InStock),
    ("tillgänglig", Status::InStock),
    ("in stock", Status::InStock),
    ("stock", Status::InStock),
    ("available", Status::InStock),
    ("ready to deploy", Status::InStock),
    ("pending", Status::InStock),
    ("utlämnad", Status::HandedOut),
    ("utlånad", Status::HandedOut),
    ("i bruk", Status::HandedOut),
    ("handed out", Status::HandedOut),
    ("deployed", Status::HandedOut),
    ("checked out", Status::HandedOut),
    ("in use", Status::HandedOut),
    ("på reparation", Status::InRepair),
    ("reparation", Status::InRepair),
    ("på service", Status::InRepair),
    ("service", Status::InRepair),
    ("trasig", Status::InRepair),
    ("in repair", Status::InRepair),
    ("repair", Status::InRepair),
    ("broken", Status::InRepair),
    ("out for repair", Status::InRepair),
    ("out for diagnostics", Status::InRepair),
    ("un-deployable", Status::InRepair),
    ("kasserad", Status::ToRecycle),
    ("utrangerad", Status::ToRecycle),
    ("att återvinna", Status::ToRecycle),
    ("ska återvinnas", Status::ToRecycle),
    ("to recycle", Status::ToRecycle),
    ("retired", Status::ToRecycle),
    ("återvunnen", Status::Recycled),
    ("skrotad", Status::Recycled),
    ("recycled", Status::Recycled),
    ("disposed", Status::Recycled),
    ("archived", Status::Recycled),
    ("borttappad", Status::Lost),
    ("förlorad", Status::Lost),
    ("försvunnen", Status::Lost),
    ("saknas", Status::Lost),
    ("lost", Status::Lost),
    ("missing", Status::Lost),
    ("lost/stolen", Status::Lost),
    ("stulen", Status::Stolen),
    ("stolen", Status::Stolen),
];

/// A status cell: the interface words (`in_stock`, …) or any word of the table above.
pub fn parse_status(raw: &str) -> Result<Status> {
    if let Some(status) = Status::parse(raw) {
        return Ok(status);
    }
    let find = |raw: &str| {
        let key = header_key(raw);
        STATUS_WORDS
            .iter()
            .find(|(word, _)| header_key(word) == key && !key.is_empty())
            .map(|(_, status)| *status)
    };
    // Snipe-IT's custom report adds the status's meaning in brackets: "Ready to Deploy (rtd)".
    let bracketed = || {
        let (label, meta) = raw.trim().strip_suffix(')')?.rsplit_once('(')?;
        find(label).or_else(|| find(meta))
    };
    find(raw).or_else(bracketed).ok_or_else(|| {
        Error::invalid(format!(
            "{:?} is not a status handback knows: use i lager, utlämnad, på reparation, \
                 kasserad, återvunnen, borttappad or stulen (or in_stock, handed_out, in_repair, \
                 to_recycle, recycled, lost, stolen)",
            shorten(raw.trim())
        ))
    })
}

/// The characters a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Undoes handback's CSV-injection guard: `'=SUM(A1)` → `=SUM(A1)`. Only a quote followed by
/// a formula character is removed; `'t Hooft` stays as written.
pub fn strip_formula_guard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// handback's CSV-injection guard, as its CSV export applies it: a cell starting with
/// `=` `+` `-` `@`, tab or CR gets a `'` in front. The inverse of [`strip_formula_guard`].
pub fn guard_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn formats(list: &[&str]) -> Vec<String> {
        list.iter().map(|f| f.to_string()).collect()
    }

    #[rstest]
    #[case("2024-02-12", &[], ymd(2024, 2, 12), None)]
    #[case(" 2024-02-29 ", &[], ymd(2024, 2, 29), None)]
    #[case("2024-02-12 13:05", &[], ymd(2024, 2, 12), Some((13, 5, 0)))]
    #[case("2024-02-12 13:05:09", &[], ymd(2024, 2, 12), Some((13, 5, 9)))]
    #[case("2024-02-12T13:05", &[], ymd(2024, 2, 12), Some((13, 5, 0)))]
    #[case("2024-03-05T10:00", &[], ymd(2024, 3, 5), Some((10, 0, 0)))]
    #[case("2024-03-05T10:00:00.000", &[], ymd(2024, 3, 5), Some((10, 0, 0)))]
    #[case("20240212", &[], ymd(2024, 2, 12), None)]
    #[case("2024-3-5", &[], ymd(2024, 3, 5), None)]
    #[case("2024.03.05", &[], ymd(2024, 3, 5), None)]
    #[case("2024/3/5", &[], ymd(2024, 3, 5), None)]
    #[case("5.3.2024", &[], ymd(2024, 3, 5), None)]
    #[case("12.03.2024", &[], ymd(2024, 3, 12), None)]
    #[case("05/03/2024", &[], ymd(2024, 3, 5), None)]
    #[case("5-3-2024", &[], ymd(2024, 3, 5), None)]
    #[case("12/2/2024 8:30", &[], ymd(2024, 2, 12), Some((8, 30, 0)))]
    #[case("12/2/2024", &["%d/%m/%Y"], ymd(2024, 2, 12), None)]
    #[case("02/12/2024", &["%m/%d/%Y"], ymd(2024, 2, 12), None)]
    #[case("12/02/2024 08:30", &["%d/%m/%Y %H:%M"], ymd(2024, 2, 12), Some((8, 30, 0)))]
    #[case("2024-02-12", &["%d/%m/%Y"], ymd(2024, 2, 12), None)]
    #[case("12 feb 2024", &["%d/%m/%Y", "%d %b %Y"], ymd(2024, 2, 12), None)]
    #[case("05/03/24", &["%d/%m/%y"], ymd(2024, 3, 5), None)]
    fn dates_are_read(
        #[case] raw: &str,
        #[case] given: &[&str],
        #[case] date: NaiveDate,
        #[case] time: Option<(u32, u32, u32)>,
    ) {
        let time = time.map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap());
        let given = formats(given);
        assert_eq!(parse_import_date_time(raw, &given).unwrap(), (date, time));
        assert_eq!(parse_import_date(raw, &given).unwrap(), date);
    }

    #[rstest]
    #[case("2024-02-30", &[], "no such day")]
    #[case("igår", &[], "expected YYYY-MM-DD")]
    #[case("2024-13-01", &[], "no such day")]
    #[case("20240230", &[], "no such day")]
    #[case("2024-02-12 25:00", &[], "expected")]
    #[case("31/2/2024", &["%d/%m/%Y"], "no such day")]
    #[case("03/25/2024", &[], "--date-format %m/%d/%Y")]
    #[case("05/03/24", &[], "ambiguous")]
    #[case("5.3.24", &[], "ambiguous")]
    #[case("05/03/2024", &["%d/%m/%Y", "%m/%d/%Y"], "ambiguous")]
    #[case("2024-3", &[], "expected")]
    #[case("1.2.3.4", &[], "expected")]
    #[case("", &[], "expected")]
    fn bad_dates_are_invalid_input(#[case] raw: &str, #[case] given: &[&str], #[case] why: &str) {
        let err = parse_import_date(raw, &formats(given)).unwrap_err();
        assert_eq!(err.exit_code(), 65);
        let message = err.to_string();
        assert!(message.contains(&format!("{:?}", raw.trim())), "{message}");
        assert!(message.contains(why), "{message}");
    }

    #[rstest]
    #[case("%d/%m/%Y", true)]
    #[case("%d.%m.%Y %H:%M", true)]
    #[case("%Y%m%d", true)]
    #[case("%d/%m", false)]
    #[case("%H:%M", false)]
    #[case("%Q", false)]
    #[case("%d/%m/%Y %z", false)]
    #[case("", false)]
    fn date_formats_are_checked(#[case] raw: &str, #[case] ok: bool) {
        assert_eq!(check_date_format(raw).is_ok(), ok, "{raw}");
    }

    #[rstest]
    #[case("i lager", Status::InStock)]
    #[case("Lager", Status::InStock)]
    #[case("in stock", Status::InStock)]
    #[case("in_stock", Status::InStock)]
    #[case("Available", Status::InStock)]
    #[case("Ready to Deploy", Status::InStock)]
    #[case("Pending", Status::InStock)]
    #[case("utlämnad", Status::HandedOut)]
    #[case("UTLÄMNAD", Status::HandedOut)]
    #[case("Deployed", Status::HandedOut)]
    #[case("handed_out", Status::HandedOut)]
    #[case("på reparation", Status::InRepair)]
    #[case("reparation", Status::InRepair)]
    #[case("trasig", Status::InRepair)]
    #[case("in repair", Status::InRepair)]
    #[case("broken", Status::InRepair)]
    #[case("Broken", Status::InRepair)]
    #[case("Un-deployable", Status::InRepair)]
    #[case("Out for Repair", Status::InRepair)]
    #[case("Out for Diagnostics", Status::InRepair)]
    #[case("kasserad", Status::ToRecycle)]
    #[case("retired", Status::ToRecycle)]
    #[case("to_recycle", Status::ToRecycle)]
    #[case("återvunnen", Status::Recycled)]
    #[case("recycled", Status::Recycled)]
    #[case("Archived", Status::Recycled)]
    #[case("borttappad", Status::Lost)]
    #[case("förlorad", Status::Lost)]
    #[case("lost", Status::Lost)]
    #[case("Lost/Stolen", Status::Lost)]
    #[case("stulen", Status::Stolen)]
    #[case("stolen", Status::Stolen)]
    #[case("Ready to Deploy (rtd)", Status::InStock)]
    #[case("Laptop pool (deployed)", Status::HandedOut)]
    fn status_words(#[case] raw: &str, #[case] status: Status) {
        assert_eq!(parse_status(raw).unwrap(), status);
    }

    #[rstest]
    #[case("kanske")]
    #[case("")]
    #[case("---")]
    fn unknown_status_words_are_invalid_input(#[case] raw: &str) {
        assert_eq!(parse_status(raw).unwrap_err().exit_code(), 65);
    }

    #[rstest]
    #[case("'=SUM(A1)", "=SUM(A1)")]
    #[case("'+46701234567", "+46701234567")]
    #[case("'-5", "-5")]
    #[case("'@home", "@home")]
    #[case("'\tx", "\tx")]
    #[case("'t Hooft", "'t Hooft")]
    #[case("'", "'")]
    #[case("=SUM(A1)", "=SUM(A1)")]
    fn the_formula_guard_is_removed(#[case] cell: &str, #[case] value: &str) {
        assert_eq!(strip_formula_guard(cell), value);
    }

    proptest! {
        #[test]
        // A cell that itself starts with the guard (`'=x`) is the one value the guard cannot
        // tell apart from a guarded one; it reads back without its quote.
        fn the_formula_guard_round_trips(
            cell in any::<String>().prop_filter("not already guarded", |c| !c.starts_with('\''))
        ) {
            let guarded = guard_formula(&cell);
            prop_assert_eq!(strip_formula_guard(&guarded), cell.as_str());
        }

        #[test]
        fn value_parsers_never_panic(raw in any::<String>(), format in any::<String>()) {
            let _ = parse_import_date_time(&raw, &[]);
            let _ = parse_import_date_time(&raw, std::slice::from_ref(&format));
            let _ = check_date_format(&format);
            let _ = parse_status(&raw);
        }
    }
}

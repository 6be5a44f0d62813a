//! Cell values to typed values: dates, status words, and the CSV-injection guard.
//!
//! Lists write dates as `2024-02-12`, `2024-02-12 13:05` or `20240212`; anything else
//! (`12/2/2024`) is ambiguous between countries and needs `--date-format`. Status words come
//! in Swedish, English and Snipe-IT's labels; one table maps them all. These functions
//! return the bare problem; [`super::Row`] adds the line and column.

use crate::error::{Error, Result};
use crate::import::columns::header_key;
use crate::model::Status;
use crate::validate::{parse_date, shorten};
use chrono::format::{Item, StrftimeItems};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Date-and-time layouts always accepted besides `YYYY-MM-DD` and `YYYYMMDD`.
const DATE_TIME_FORMATS: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
];

/// A date cell: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (the time is dropped) or `YYYYMMDD`;
/// with `format` (`--date-format`, chrono strftime) that layout is tried first.
pub fn parse_import_date(raw: &str, format: Option<&str>) -> Result<NaiveDate> {
    parse_import_date_time(raw, format).map(|(date, _)| date)
}

/// Like [`parse_import_date`], keeping the time of day when the cell has one (a hand-out
/// written `2024-02-12 13:05`).
pub fn parse_import_date_time(
    raw: &str,
    format: Option<&str>,
) -> Result<(NaiveDate, Option<NaiveTime>)> {
    let value = raw.trim();
    if let Some(format) = format {
        // Date-and-time first: parsing as a date alone accepts, and drops, a time.
        if let Ok(moment) = NaiveDateTime::parse_from_str(value, format) {
            return Ok((moment.date(), Some(moment.time())));
        }
        if let Ok(date) = NaiveDate::parse_from_str(value, format) {
            return Ok((date, None));
        }
    }
    if value.len() == 10 {
        if let Ok(date) = parse_date(value) {
            return Ok((date, None));
        }
    } else if value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(date) = NaiveDate::parse_from_str(value, "%Y%m%d") {
            return Ok((date, None));
        }
    } else if value.len() > 10
        && let Some(moment) = DATE_TIME_FORMATS
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
    {
        return Ok((moment.date(), Some(moment.time())));
    }
    let expected = match format {
        Some(format) => format!("{format}, YYYY-MM-DD"),
        None => "YYYY-MM-DD".to_string(),
    };
    Err(Error::invalid(format!(
        "{:?} is not a valid date: expected {expected} (for example 2026-03-31){}",
        shorten(value),
        if format.is_none() && value.contains('/') {
            "; other layouts need --date-format, such as --date-format %d/%m/%Y"
        } else {
            ""
        }
    )))
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
    let key = header_key(raw);
    STATUS_WORDS
        .iter()
        .find(|(word, _)| header_key(word) == key && !key.is_empty())
        .map(|(_, status)| *status)
        .ok_or_else(|| {
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

    #[rstest]
    #[case("2024-02-12", None, ymd(2024, 2, 12), None)]
    #[case(" 2024-02-29 ", None, ymd(2024, 2, 29), None)]
    #[case("2024-02-12 13:05", None, ymd(2024, 2, 12), Some((13, 5, 0)))]
    #[case("2024-02-12 13:05:09", None, ymd(2024, 2, 12), Some((13, 5, 9)))]
    #[case("2024-02-12T13:05", None, ymd(2024, 2, 12), Some((13, 5, 0)))]
    #[case("20240212", None, ymd(2024, 2, 12), None)]
    #[case("12/2/2024", Some("%d/%m/%Y"), ymd(2024, 2, 12), None)]
    #[case("12/02/2024 08:30", Some("%d/%m/%Y %H:%M"), ymd(2024, 2, 12), Some((8, 30, 0)))]
    #[case("2024-02-12", Some("%d/%m/%Y"), ymd(2024, 2, 12), None)]
    fn dates_are_read(
        #[case] raw: &str,
        #[case] format: Option<&str>,
        #[case] date: NaiveDate,
        #[case] time: Option<(u32, u32, u32)>,
    ) {
        let time = time.map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap());
        assert_eq!(parse_import_date_time(raw, format).unwrap(), (date, time));
        assert_eq!(parse_import_date(raw, format).unwrap(), date);
    }

    #[rstest]
    #[case("2024-02-30", None)]
    #[case("igår", None)]
    #[case("12/2/2024", None)]
    #[case("2024-13-01", None)]
    #[case("20240230", None)]
    #[case("2024-02-12 25:00", None)]
    #[case("31/2/2024", Some("%d/%m/%Y"))]
    #[case("", None)]
    fn bad_dates_are_invalid_input(#[case] raw: &str, #[case] format: Option<&str>) {
        let err = parse_import_date(raw, format).unwrap_err();
        assert_eq!(err.exit_code(), 65);
        assert!(
            err.to_string().contains(&format!("{:?}", raw.trim())),
            "{err}"
        );
    }

    #[test]
    fn slashes_without_a_format_point_at_the_option() {
        let err = parse_import_date("12/2/2024", None).unwrap_err();
        assert!(err.to_string().contains("--date-format"), "{err}");
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
            let _ = parse_import_date_time(&raw, None);
            let _ = parse_import_date_time(&raw, Some(&format));
            let _ = check_date_format(&format);
            let _ = parse_status(&raw);
        }
    }
}

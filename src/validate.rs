//! Parsing and cleaning of the values people type or import: serials, dates, times, names.
//!
//! Pure functions, shared by the command line and the importer, so a value means the same
//! thing whichever way it arrives. Every refusal says which value and what is expected.

use crate::error::{Error, Result};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// Longest serial number accepted. Real ones are under 30 characters.
pub const MAX_SERIAL_LEN: usize = 64;
/// Longest name, e-mail, department, make, model, note… accepted.
pub const MAX_TEXT_LEN: usize = 500;

/// Serials are compared without white space and in upper case: ` c02xk1jh jg5h ` and
/// `C02XK1JHJG5H` are one device.
pub fn normalize_serial(raw: &str) -> Result<String> {
    let serial: String = if raw.is_ascii() {
        // Nearly every serial: byte by byte, the same result without decoding characters.
        let mut bytes = raw.as_bytes().to_vec();
        bytes.retain(|&b| !char::from(b).is_whitespace());
        bytes.make_ascii_uppercase();
        String::from_utf8(bytes).unwrap_or_default()
    } else {
        raw.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect()
    };
    if serial.is_empty() {
        return Err(Error::invalid(
            "the serial number is empty: give the serial printed on the device",
        ));
    }
    if let Some(c) = serial.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "the serial number {:?} contains the control character {c:?}",
            shorten(raw)
        )));
    }
    if serial.chars().count() > MAX_SERIAL_LEN {
        return Err(Error::invalid(format!(
            "the serial number {:?} is longer than {MAX_SERIAL_LEN} characters",
            shorten(raw)
        )));
    }
    Ok(serial)
}

/// Trims a free-text value and refuses control characters and absurd lengths.
/// `field` names the value in the message ("name", "e-mail", …).
pub fn clean_text(field: &str, raw: &str) -> Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Error::invalid(format!("the {field} is empty")));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "the {field} {:?} contains the control character {c:?}",
            shorten(value)
        )));
    }
    let length = value.chars().count();
    if length > MAX_TEXT_LEN {
        return Err(Error::invalid(format!(
            "the {field} is {length} characters long; at most {MAX_TEXT_LEN} are accepted"
        )));
    }
    Ok(value.to_string())
}

/// Like [`clean_text`], but an empty or blank value means "not given".
pub fn clean_optional_text(field: &str, raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => clean_text(field, value).map(Some),
    }
}

/// Note text: like [`clean_text`] but line breaks and tabs are allowed.
pub fn clean_note(raw: &str) -> Result<String> {
    // A note typed over several lines in a spreadsheet cell reads as one line, one space
    // where each line break (CRLF or LF) was.
    let flattened = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    clean_text("note", &flattened)
}

pub fn clean_email(raw: &str) -> Result<String> {
    let email = clean_text("e-mail address", raw)?;
    let mut parts = email.split('@');
    let well_formed = matches!((parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None) if !local.is_empty() && domain.contains('.'))
        && !email.chars().any(char::is_whitespace);
    if !well_formed {
        return Err(Error::invalid(format!(
            "{:?} is not an e-mail address (expected name@example.org)",
            shorten(&email)
        )));
    }
    Ok(email)
}

/// Employee numbers are text: leading zeros matter and are kept.
pub fn clean_employee_no(raw: &str) -> Result<String> {
    let number = clean_text("employee number", raw)?;
    if number.chars().any(char::is_whitespace) || number.chars().count() > 32 {
        return Err(Error::invalid(format!(
            "{:?} is not an employee number (at most 32 characters, no spaces)",
            shorten(&number)
        )));
    }
    Ok(number)
}

/// `YYYY-MM-DD`; an impossible date such as 2024-02-30 is refused.
pub fn parse_date(raw: &str) -> Result<NaiveDate> {
    let value = raw.trim();
    let well_formed = value.len() == 10
        && value.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(Error::invalid(format!(
            "{:?} is not a valid date: expected YYYY-MM-DD, for example 2026-03-31",
            shorten(value)
        )));
    }
    // Parsed once, by chrono's own ISO 8601 reader: an import reads a date or two a row.
    value.parse::<NaiveDate>().map_err(|_| {
        Error::invalid(format!(
            "{value:?} is not a valid date: there is no such day in the calendar"
        ))
    })
}

/// The moment an `--on` value names, in UTC: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM[:SS]`, read
/// as a local time in `zone` by [`local_moment`].
pub fn parse_moment(raw: &str, now: DateTime<Utc>, zone: Zone) -> Result<DateTime<Utc>> {
    let value = raw.trim();
    let (date, time) = if value.len() == 10 {
        (parse_date(value)?, None)
    } else {
        let moment = [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .ok_or_else(|| {
            Error::invalid(format!(
                "{:?} is not a valid date: expected YYYY-MM-DD or YYYY-MM-DD HH:MM",
                shorten(value)
            ))
        })?;
        (moment.date(), Some(moment.time()))
    };
    local_moment(date, time, now, zone)
}

/// A local date (and time of day, when known) in `zone` as a UTC moment. A bare date means
/// midday (or now, if it is today), so the day survives any time-zone shift. A moment in the
/// future is refused: the register records what has happened.
pub fn local_moment(
    date: NaiveDate,
    time: Option<NaiveTime>,
    now: DateTime<Utc>,
    zone: Zone,
) -> Result<DateTime<Utc>> {
    let time = match time {
        Some(time) => time,
        None if date == zone.date_of(now) => return Ok(now),
        None => NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
    };
    let naive = date.and_time(time);
    let moment = zone.moment_of(naive)?;
    if moment > now {
        return Err(Error::invalid(format!(
            "{} is in the future: the register records what has already happened",
            naive.format("%Y-%m-%d %H:%M")
        )));
    }
    Ok(moment)
}

/// A purchase date is a day that has come: a date after `today` is a typo (2052 for 2025)
/// or a delivery date, and is refused naming it.
pub fn purchase_date(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate> {
    if date > today {
        return Err(Error::invalid(format!(
            "the purchase date {date} is in the future (today is {today}): give the day the \
             device was bought"
        )));
    }
    Ok(date)
}

/// Keeps messages readable when someone pastes 10 000 characters into a field.
pub fn shorten(value: &str) -> String {
    const SHOWN: usize = 40;
    if value.chars().count() <= SHOWN {
        value.to_string()
    } else {
        let head: String = value.chars().take(SHOWN).collect();
        format!("{head}…")
    }
}

/// Where a URL's user information is: the byte offset where it starts (after `://`, or at
/// the start of a text without one, a scheme typed wrong) and that of the `@` that ends it,
/// when it has one. The last `@` of the whole text counts, so a password typed with a `/`,
/// `?`, `#` or `@` of its own (not percent-encoded) is taken whole, never shown in part.
pub fn url_user_info(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let at = url[start..].rfind('@')? + start;
    Some((start, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case(" c02xk1jh jg5h ", "C02XK1JHJG5H")]
    #[case("C02XK1JHJG5H", "C02XK1JHJG5H")]
    #[case("\tdx3kq29l0f\u{a0}", "DX3KQ29L0F")]
    #[case("cn-0k1p2q", "CN-0K1P2Q")]
    fn serials_are_normalised(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(normalize_serial(raw).unwrap(), expected);
    }

    #[rstest]
    #[case("")]
    #[case("   ")]
    #[case("AB\u{7}C")]
    fn bad_serials_are_invalid_input(#[case] raw: &str) {
        assert_eq!(normalize_serial(raw).unwrap_err().exit_code(), 65);
    }

    #[rstest]
    #[case("2024-02-29", true)]
    #[case("2024-02-30", false)]
    #[case("2023-02-29", false)]
    #[case("igår", false)]
    #[case("2024-2-3", false)]
    #[case("20240203", false)]
    fn dates(#[case] raw: &str, #[case] valid: bool) {
        assert_eq!(parse_date(raw).is_ok(), valid, "{raw}");
    }

    #[test]
    fn future_moments_are_refused() {
        let now = Utc::now();
        let zone = Zone::DEFAULT;
        assert!(parse_moment("2999-01-01", now, zone).is_err());
        assert!(parse_moment("2020-01-01 08:30", now, zone).is_ok());
        let today = zone.date_of(now).format("%Y-%m-%d").to_string();
        assert_eq!(parse_moment(&today, now, zone).unwrap(), now);
    }

    #[rstest]
    fn a_bare_date_keeps_its_day(
        #[values("Europe/Stockholm", "UTC", "Pacific/Auckland", "America/Los_Angeles")] zone: &str,
    ) {
        let zone = Zone::parse(zone).unwrap();
        let moment = parse_moment("2024-02-12", Utc::now(), zone).unwrap();
        assert_eq!(zone.date_of(moment).to_string(), "2024-02-12");
    }

    #[test]
    fn a_local_time_is_read_in_the_registers_zone() {
        let now = Utc::now();
        let in_stockholm = parse_moment("2024-07-01 09:00", now, Zone::DEFAULT).unwrap();
        assert_eq!(in_stockholm.to_rfc3339(), "2024-07-01T07:00:00+00:00");
        let in_utc = parse_moment("2024-07-01 09:00", now, Zone::UTC).unwrap();
        assert_eq!(in_utc.to_rfc3339(), "2024-07-01T09:00:00+00:00");
    }

    #[test]
    fn emails() {
        assert!(clean_email("asa.oberg@kommun.example").is_ok());
        assert!(clean_email("asa oberg@kommun.example").is_err());
        assert!(clean_email("asa@@kommun.example").is_err());
        assert!(clean_email("asa").is_err());
    }

    #[test]
    fn overlong_text_is_refused() {
        let long = "x".repeat(10_000);
        let err = clean_text("name", &long).unwrap_err();
        assert!(err.to_string().contains("10000 characters"));
    }

    proptest! {
        /// The byte-by-byte way for ASCII serials gives what the character-by-character one does.
        #[test]
        fn ascii_serials_normalise_as_any_other(raw in "[ -~\t\n\x0b\x0c\r]{1,40}") {
            let by_char: String = raw
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect();
            match normalize_serial(&raw) {
                Ok(serial) => prop_assert_eq!(serial, by_char),
                Err(_) => prop_assert!(by_char.is_empty() || by_char.chars().count() > MAX_SERIAL_LEN),
            }
        }

        #[test]
        fn serial_normalisation_never_panics_and_is_idempotent(raw in any::<String>()) {
            if let Ok(serial) = normalize_serial(&raw) {
                prop_assert_eq!(normalize_serial(&serial).unwrap(), serial.clone());
                prop_assert!(!serial.chars().any(char::is_whitespace));
            }
        }

        #[test]
        fn date_and_moment_parsing_never_panic(raw in any::<String>()) {
            let _ = parse_date(&raw);
            let _ = parse_moment(&raw, Utc::now(), Zone::DEFAULT);
        }

        #[test]
        fn text_cleaning_never_panics(raw in any::<String>()) {
            let _ = clean_text("name", &raw);
            let _ = clean_email(&raw);
            let _ = clean_employee_no(&raw);
            let _ = clean_note(&raw);
        }

        #[test]
        fn valid_dates_round_trip(y in 1900i32..2100, m in 1u32..=12, d in 1u32..=31) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            prop_assert_eq!(parse_date(&text).is_ok(), NaiveDate::from_ymd_opt(y, m, d).is_some());
        }
    }
}

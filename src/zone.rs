//! The time zone a register lives in. Every local calendar day and local time handback shows
//! or reads (`--on 2026-06-30`, a list's "2026-06-30 09:15", a due date passed, a document's
//! "Produced 10:05") is in this zone, never the process's own: a server may run in UTC for
//! people in Sweden, and a test must not depend on the machine it runs on.
//!
//! The zone is a setting of the register (`Europe/Stockholm` for a new one), which
//! `HANDBACK_TZ` overrides. Moments are stored in UTC.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(chrono_tz::Tz);

impl Default for Zone {
    fn default() -> Zone {
        Zone::DEFAULT
    }
}

impl Zone {
    /// What a new register is set to: handback was written for a Swedish municipality.
    pub const DEFAULT: Zone = Zone(chrono_tz::Europe::Stockholm);
    pub const UTC: Zone = Zone(chrono_tz::UTC);

    /// An IANA zone name, such as `Europe/Stockholm` or `UTC`.
    pub fn parse(name: &str) -> Result<Zone> {
        name.trim().parse::<chrono_tz::Tz>().map(Zone).map_err(|_| {
            Error::invalid(format!(
                "{:?} is not a time zone: give an IANA name such as Europe/Stockholm or UTC",
                crate::validate::shorten(name.trim())
            ))
        })
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The local calendar day of a moment.
    pub fn date_of(self, moment: DateTime<Utc>) -> NaiveDate {
        moment.with_timezone(&self.0).date_naive()
    }

    /// The local date and time of a moment, to show or export.
    pub fn local_time(self, moment: DateTime<Utc>) -> NaiveDateTime {
        moment.with_timezone(&self.0).naive_local()
    }

    /// The moment a local calendar day begins: the lower bound of "that day" for queries over
    /// stored moments. Where midnight does not exist (a daylight-saving change at midnight),
    /// the day begins at the first hour that does.
    pub fn day_start(self, day: NaiveDate) -> DateTime<Utc> {
        (0..24)
            .filter_map(|hour| NaiveTime::from_hms_opt(hour, 0, 0))
            .find_map(|time| self.0.from_local_datetime(&day.and_time(time)).earliest())
            .map_or_else(
                || day.and_time(NaiveTime::MIN).and_utc(),
                |moment| moment.with_timezone(&Utc),
            )
    }

    /// The moments of the local days `from` to `to`, both included: `[start, end)` for
    /// queries over stored moments. A day past the last date chrono knows is refused.
    pub fn days(self, from: NaiveDate, to: NaiveDate) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
        let end = to
            .checked_add_days(chrono::Days::new(1))
            .map(|after| self.day_start(after))
            .ok_or_else(|| Error::invalid(format!("{to} is the last date handback knows")))?;
        Ok((self.day_start(from), end))
    }

    /// A local date and time as a moment. A time skipped by a daylight-saving change has no
    /// moment; an ambiguous one is read as its earlier moment.
    pub fn moment_of(self, local: NaiveDateTime) -> Result<DateTime<Utc>> {
        self.0
            .from_local_datetime(&local)
            .earliest()
            .map(|moment| moment.with_timezone(&Utc))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "{} does not exist in {} (the clocks skip it)",
                    local.format("%Y-%m-%d %H:%M"),
                    self.name()
                ))
            })
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_moment_falls_on_its_local_day() {
        let stockholm = Zone::DEFAULT;
        // 23:30 UTC on 30 June is 01:30 on 1 July in Stockholm (summer time, UTC+2).
        let moment = at("2026-06-30T23:30:00Z");
        assert_eq!(stockholm.date_of(moment).to_string(), "2026-07-01");
        assert_eq!(Zone::UTC.date_of(moment).to_string(), "2026-06-30");
        let day = "2026-07-01".parse().unwrap();
        assert_eq!(stockholm.day_start(day), at("2026-06-30T22:00:00Z"));
    }

    #[test]
    fn a_skipped_local_time_is_refused_and_an_ambiguous_one_read_early() {
        let stockholm = Zone::DEFAULT;
        // The clocks go from 02:00 to 03:00 on 29 March 2026, and back on 25 October.
        let skipped = "2026-03-29T02:30:00".parse().unwrap();
        let err = stockholm.moment_of(skipped).unwrap_err();
        assert!(err.to_string().contains("Europe/Stockholm"), "{err}");
        let twice = "2026-10-25T02:30:00".parse().unwrap();
        assert_eq!(
            stockholm.moment_of(twice).unwrap(),
            at("2026-10-25T00:30:00Z")
        );
    }

    /// Chile moves its clocks at midnight: 6 September 2026 begins at 01:00 in Santiago.
    #[test]
    fn a_day_whose_midnight_is_skipped_begins_at_its_first_hour() {
        let santiago = Zone::parse("America/Santiago").unwrap();
        let day = "2026-09-06".parse().unwrap();
        let start = santiago.day_start(day);
        assert_eq!(santiago.date_of(start), day);
        assert_eq!(
            santiago.local_time(start).to_string(),
            "2026-09-06 01:00:00"
        );
    }

    #[test]
    fn zones_are_named_as_iana_names() {
        assert_eq!(
            Zone::parse(" Europe/Helsinki ").unwrap().name(),
            "Europe/Helsinki"
        );
        let err = Zone::parse("Sweden/Gothenburg").unwrap_err();
        assert_eq!(err.exit_code(), 65, "{err}");
    }
}

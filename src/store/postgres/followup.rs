//! The follow-up queries of offboarding on PostgreSQL: who leaves when and what they hold,
//! what changed hands on one day, what went missing, and the report's aggregates. The same
//! questions as the SQLite store's, each one statement led by an index.

use super::people::{self, PERSON_COLUMNS};
use super::{Tx, devices::status_from_sql, get, handouts, unreadable};
use crate::docs::{
    HandedOutLine, HandedOverLine, KindCount, MissingRow, ReceiptLine, RouteCounts, TakenBackLine,
};
use crate::error::Result;
use crate::model::{Condition, EndReason, HeldItem, Person, PersonId, Route, Status};
use crate::store::followup::{Departure, FollowUp, Leaving};
use crate::store::words::{end_reasons, status_is};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;
use std::sync::LazyLock;

/// People leaving in a window with what they held now (`$5` NULL) or at moment `$5`.
static PEOPLE_WITH_ITEMS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, h.id, {}
         FROM person p
         LEFT JOIN handout h ON h.person_id = p.id
              AND (($5::timestamptz IS NULL AND h.returned_at IS NULL)
                   OR (h.handed_out_at < $5 AND (h.returned_at IS NULL OR h.returned_at >= $5)))
         LEFT JOIN device d ON d.id = h.device_id
         WHERE p.end_date IS NOT NULL
           AND ($1::date IS NULL OR p.end_date >= $1) AND ($2::date IS NULL OR p.end_date <= $2)
           AND ($3::text IS NULL OR lower(p.department) = lower($3))
           AND (NOT $4 OR h.id IS NOT NULL)
         ORDER BY p.end_date, p.id, h.handed_out_at, h.id",
        people::JOINED_COLUMNS,
        handouts::HELD_ITEM_COLUMNS
    )
});

/// A person from [`people::JOINED_COLUMNS`] at `start` of a `LEFT JOIN` that may have
/// found nobody.
fn optional_person_at(row: &Row, start: usize) -> Result<Option<Person>> {
    match get::<Option<i64>>(row, start)? {
        Some(_) => people::from_row_at(row, start).map(Some),
        None => Ok(None),
    }
}

/// How many columns [`receipt_line_at`] reads.
const RECEIPT_LINE_COLUMNS: usize = 5;

/// A device's kind, make, model, serial and asset tag from column `start` on.
fn receipt_line_at(row: &Row, start: usize) -> Result<ReceiptLine> {
    Ok(ReceiptLine {
        kind: get(row, start)?,
        make: get(row, start + 1)?,
        model: get(row, start + 2)?,
        serial: get(row, start + 3)?,
        asset_tag: get(row, start + 4)?,
    })
}

fn route_from_sql(word: &str) -> Result<Route> {
    match word {
        "reuse" => Ok(Route::Reuse),
        "repair" => Ok(Route::Repair),
        "recycle" => Ok(Route::Recycle),
        other => Err(unreadable(format!("unknown return route {other:?}"))),
    }
}

/// A device's status at `$4` is the one its last written event before then left it in;
/// `event_missing` finds the few devices that were ever lost or stolen.
static MISSING: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT d.serial, d.kind, s.status_after, s.at, {columns},
                d.asset_tag, d.make, d.model, s.details->>'note'
         FROM (SELECT DISTINCT device_id FROM event
               WHERE {left_missing} AND at < $4) w
         JOIN device d ON d.id = w.device_id
         JOIN event s ON s.id = (SELECT x.id FROM event x
                                 WHERE x.device_id = w.device_id
                                   AND x.status_after IS NOT NULL AND x.at < $4
                                 ORDER BY x.id DESC LIMIT 1)
         LEFT JOIN handout h ON h.id = (SELECT last.id FROM handout last
                                         WHERE last.device_id = d.id AND last.handed_out_at < $4
                                         ORDER BY last.handed_out_at DESC, last.id DESC LIMIT 1)
                            AND h.end_reason IN ({ended_missing})
         LEFT JOIN person p ON p.id = h.person_id
         WHERE {still_missing}
           AND ($1::timestamptz IS NULL OR s.at >= $1) AND ($2::timestamptz IS NULL OR s.at < $2)
           AND ($3::text IS NULL OR lower(p.department) = lower($3))
         ORDER BY s.at, d.serial COLLATE \"C\"",
        columns = people::JOINED_COLUMNS,
        left_missing = status_is("status_after", Status::is_missing),
        ended_missing = end_reasons(EndReason::is_missing),
        still_missing = status_is("s.status_after", Status::is_missing),
    )
});

static DEPARTURES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {},
                (SELECT count(*) FROM handout h
                  WHERE h.person_id = p.id AND h.returned_at IS NULL),
                (SELECT max(h.returned_at) FROM handout h WHERE h.person_id = p.id)
         FROM person p
         WHERE p.end_date BETWEEN $1 AND $2
           AND ($3::text IS NULL OR lower(p.department) = lower($3))
         ORDER BY p.end_date, p.id",
        people::JOINED_COLUMNS
    )
});

const ROUTES: &str = "SELECT h.return_route, count(*)
     FROM handout h
     WHERE h.returned_at >= $1 AND h.returned_at < $2 AND h.return_route IS NOT NULL
       AND ($3::text IS NULL OR h.person_id IN
              (SELECT id FROM person WHERE lower(department) = lower($3)))
     GROUP BY h.return_route";

/// Each return in the period with its due date: the earlier of the handout's and the
/// holder's last working day. The month of a return is its local day's, in Rust.
static MONTHLY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT h.returned_at, least(h.due_back, p.end_date)
         FROM handout h JOIN person p ON p.id = h.person_id
         WHERE h.returned_at >= $1 AND h.returned_at < $2
           AND h.end_reason IN ({})
           AND ($3::text IS NULL OR lower(p.department) = lower($3))
           AND (h.due_back IS NOT NULL OR p.end_date IS NOT NULL)",
        end_reasons(EndReason::is_return)
    )
});

/// A count as the report holds it.
fn count_at(row: &Row, index: usize) -> Result<u32> {
    let count: i64 = get(row, index)?;
    u32::try_from(count).map_err(|_| unreadable(format!("a count of {count}")))
}

impl Tx<'_> {
    /// The lines of one of a receipt's queries: `sql` takes the person and the day's bounds
    /// as `$1`, `$2` and `$3`.
    fn lines_of_the_day<T>(
        &self,
        sql: &str,
        person: PersonId,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        line: impl Fn(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, &[&person.0, &start, &end])?
            .iter()
            .map(line)
            .collect()
    }
}

impl FollowUp for Tx<'_> {
    fn people_with_items(&self, leaving: &Leaving<'_>) -> Result<Vec<(Person, Vec<HeldItem>)>> {
        let rows = self.rows(
            &PEOPLE_WITH_ITEMS,
            &[
                &leaving.from,
                &leaving.until,
                &leaving.department,
                &leaving.holding_only,
                &leaving.held_at,
            ],
        )?;
        let mut people: Vec<(Person, Vec<HeldItem>)> = Vec::new();
        for row in &rows {
            let id = PersonId(get(row, 0)?);
            if people.last().is_none_or(|(p, _)| p.id != id) {
                people.push((people::from_row_at(row, 0)?, Vec::new()));
            }
            let handout: Option<i64> = get(row, PERSON_COLUMNS)?;
            if let (Some(_), Some((_, items))) = (handout, people.last_mut()) {
                items.push(handouts::held_item_at(
                    row,
                    PERSON_COLUMNS + 1,
                    leaving.zone,
                )?);
            }
        }
        Ok(people)
    }

    fn handed_out_between(
        &self,
        person: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<HandedOutLine>> {
        // A handout follows the one it continued (a transfer, naming the giver) or the one
        // whose device it replaced (naming that device).
        let sql = format!(
            "SELECT d.kind, d.make, d.model, d.serial, d.asset_tag, {people},
                    od.kind, od.make, od.model, od.serial, od.asset_tag
             FROM handout h JOIN device d ON d.id = h.device_id
             LEFT JOIN handout prev ON prev.id = h.follows_id AND prev.end_reason IN ({hands_on})
             LEFT JOIN person p ON p.id = prev.person_id
             LEFT JOIN handout old ON old.id = h.follows_id
                 AND old.end_reason NOT IN ({hands_on})
             LEFT JOIN device od ON od.id = old.device_id
             WHERE h.person_id = $1 AND h.handed_out_at >= $2 AND h.handed_out_at < $3
             ORDER BY h.handed_out_at, h.id",
            people = people::JOINED_COLUMNS,
            hands_on = end_reasons(EndReason::hands_on),
        );
        let replaced_at = RECEIPT_LINE_COLUMNS + PERSON_COLUMNS;
        self.lines_of_the_day(&sql, person, (start, end), |row| {
            Ok(HandedOutLine {
                device: receipt_line_at(row, 0)?,
                taken_over_from: optional_person_at(row, RECEIPT_LINE_COLUMNS)?,
                replaces: match get::<Option<&str>>(row, replaced_at + 3)? {
                    Some(_) => Some(receipt_line_at(row, replaced_at)?),
                    None => None,
                },
            })
        })
    }

    fn handed_over_between(
        &self,
        person: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<HandedOverLine>> {
        let sql = format!(
            "SELECT d.kind, d.make, d.model, d.serial, d.asset_tag, {}
             FROM handout h JOIN device d ON d.id = h.device_id
             JOIN handout next ON next.follows_id = h.id AND next.device_id = h.device_id
             JOIN person p ON p.id = next.person_id
             WHERE h.person_id = $1 AND h.returned_at >= $2 AND h.returned_at < $3
               AND h.end_reason IN ({})
             ORDER BY h.returned_at, h.id",
            people::JOINED_COLUMNS,
            end_reasons(EndReason::hands_on),
        );
        self.lines_of_the_day(&sql, person, (start, end), |row| {
            Ok(HandedOverLine {
                device: receipt_line_at(row, 0)?,
                handed_over_to: people::from_row_at(row, RECEIPT_LINE_COLUMNS)?,
            })
        })
    }

    fn taken_back_between(
        &self,
        person: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<TakenBackLine>> {
        let sql = "SELECT d.kind, d.make, d.model, d.serial, d.asset_tag,
                    h.return_condition, h.return_route, h.return_note
             FROM handout h JOIN device d ON d.id = h.device_id
             WHERE h.person_id = $1 AND h.returned_at >= $2 AND h.returned_at < $3
               AND h.return_route IS NOT NULL
             ORDER BY h.returned_at, h.id";
        self.lines_of_the_day(sql, person, (start, end), |row| {
            let route = route_from_sql(get(row, 6)?)?;
            let condition: Option<&str> = get(row, 5)?;
            Ok(TakenBackLine {
                device: receipt_line_at(row, 0)?,
                // A replaced device carries no condition; its route says what it was.
                condition: match condition {
                    Some("damaged") => Condition::Damaged,
                    Some("broken") => Condition::Broken,
                    Some(_) => Condition::Ok,
                    None => match route {
                        Route::Reuse => Condition::Ok,
                        Route::Repair => Condition::Damaged,
                        Route::Recycle => Condition::Broken,
                    },
                },
                route,
                note: get(row, 7)?,
            })
        })
    }

    fn missing(
        &self,
        department: Option<&str>,
        (since, until): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        as_of: Option<DateTime<Utc>>,
        zone: Zone,
    ) -> Result<Vec<MissingRow>> {
        // "Now": later than every stored moment, a handout backdated or not.
        let as_of = as_of.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(9999, 12, 31)
                .and_then(|day| day.and_hms_opt(23, 59, 59))
                .map(|moment| moment.and_utc())
                .unwrap_or_default()
        });
        self.rows(&MISSING, &[&since, &until, &department, &as_of])?
            .iter()
            .map(|row| {
                let since: DateTime<Utc> = get(row, 3)?;
                Ok(MissingRow {
                    serial: get(row, 0)?,
                    kind: get(row, 1)?,
                    status: status_from_sql(get(row, 2)?)?,
                    since: zone.date_of(since),
                    last_holder: optional_person_at(row, 4)?.map(|person| person.label()),
                    asset_tag: get(row, 4 + PERSON_COLUMNS)?,
                    make: get(row, 5 + PERSON_COLUMNS)?,
                    model: get(row, 6 + PERSON_COLUMNS)?,
                    note: get(row, 7 + PERSON_COLUMNS)?,
                })
            })
            .collect()
    }

    fn departures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        department: Option<&str>,
    ) -> Result<Vec<Departure>> {
        self.rows(&DEPARTURES, &[&from, &to, &department])?
            .iter()
            .map(|row| {
                Ok(Departure {
                    person: people::from_row_at(row, 0)?,
                    still_held: count_at(row, PERSON_COLUMNS)?,
                    last_return: get(row, PERSON_COLUMNS + 1)?,
                })
            })
            .collect()
    }

    fn routes(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        department: Option<&str>,
    ) -> Result<RouteCounts> {
        let mut counts = RouteCounts::default();
        for row in self.rows(ROUTES, &[&start, &end, &department])? {
            let count = count_at(&row, 1)?;
            match route_from_sql(get(&row, 0)?)? {
                Route::Reuse => counts.reuse = count,
                Route::Repair => counts.repair = count,
                Route::Recycle => counts.recycle = count,
            }
        }
        Ok(counts)
    }

    fn stock_by_kind(&self) -> Result<Vec<KindCount>> {
        self.rows(
            "SELECT kind, count(*) FROM device WHERE status = 'in_stock'
             GROUP BY kind ORDER BY count(*) DESC, kind COLLATE \"C\"",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(KindCount {
                kind: get(row, 0)?,
                count: count_at(row, 1)?,
            })
        })
        .collect()
    }

    fn monthly_returns(
        &self,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        department: Option<&str>,
        zone: Zone,
    ) -> Result<Vec<(String, u32, u32)>> {
        let mut months: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
        for row in self.rows(&MONTHLY, &[&start, &end, &department])? {
            let returned_on = zone.date_of(get(&row, 0)?);
            let due: NaiveDate = get(&row, 1)?;
            let month = months
                .entry(returned_on.format("%Y-%m").to_string())
                .or_default();
            if returned_on <= due {
                month.0 += 1;
            } else {
                month.1 += 1;
            }
        }
        Ok(months
            .into_iter()
            .map(|(month, (on_time, late))| (month, on_time, late))
            .collect())
    }
}

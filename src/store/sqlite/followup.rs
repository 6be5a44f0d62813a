//! The follow-up queries of offboarding: who leaves when and what they hold, who is overdue,
//! what changed hands on one day, and the aggregates of the internal-control report.
//!
//! Each is one statement (a few for the report), led by an index: `person_end_date` for the
//! people leaving in a window, `handout_open_per_person` for what they hold,
//! `handout_returned_report` (covering) for the returns of a period, `device_status_kind`
//! (the devices nobody holds) for stock and missing devices. None loops over people in Rust: a register may hold 25,000 people and a million
//! handouts, and `overdue` and `report` must answer within a second.

use super::Tx;
use super::people::{self, PERSON_COLUMNS};
use super::{date_from_sql, date_to_sql, handouts, moment_from_sql, moment_to_sql};
use crate::docs::{
    HandedOutLine, HandedOverLine, KindCount, MissingRow, ReceiptLine, RouteCounts, TakenBackLine,
};
use crate::error::Result;
use crate::model::{Condition, EndReason, HeldItem, Person, PersonId, Route, Status};
use crate::store::followup::{Departure, FollowUp, Leaving};
use crate::store::words::{end_reasons, status_is};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};
use std::sync::LazyLock;

/// The earliest and latest dates SQL compares with, so an open end still uses the index
/// (`x BETWEEN ?1 AND ?2` can; `?1 IS NULL OR x >= ?1` cannot).
const FIRST_DATE: &str = "0000-01-01";
const LAST_DATE: &str = "9999-12-31";
/// Later than every stored moment: "now", for the queries that can also look back.
const LAST_MOMENT: &str = "9999-12-31T23:59:59Z";

/// What people hold now comes from the open-handout index alone; what they held at a moment
/// (`?5`) from each one's whole history of handouts.
fn people_with_items_sql(at_a_moment: bool) -> String {
    let held = if at_a_moment {
        "h.handed_out_at < ?5 AND (h.returned_at IS NULL OR h.returned_at >= ?5)"
    } else {
        // `?5` is always true here: it keeps the two forms' parameters the same.
        "h.returned_at IS NULL AND ?5 IS NOT NULL"
    };
    format!(
        "SELECT {}, h.id, {}
         FROM person p
         LEFT JOIN handout h ON h.person_id = p.id AND {held}
         LEFT JOIN device d ON d.id = h.device_id
         WHERE p.end_date BETWEEN ?1 AND ?2
           AND (?3 IS NULL OR p.department = ?3 COLLATE NOCASE)
           AND (?4 = 0 OR h.id IS NOT NULL)
         ORDER BY p.end_date, p.id, h.handed_out_at, h.id",
        people::JOINED_COLUMNS,
        handouts::HELD_ITEM_COLUMNS
    )
}

/// A person from [`people::JOINED_COLUMNS`] at `start` of a `LEFT JOIN` that may have
/// found nobody.
fn optional_person_at(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<Option<Person>> {
    match row.get::<_, Option<i64>>(start)? {
        Some(_) => people::from_row_at(row, start).map(Some),
        None => Ok(None),
    }
}

/// The lines of one of a receipt's queries: `sql` takes the person and the day's bounds as
/// `?1`, `?2` and `?3`.
fn lines_of_the_day<T>(
    conn: &Connection,
    sql: &str,
    person: PersonId,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    line: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let lines = stmt
        .query_map(
            params![person.0, moment_to_sql(start), moment_to_sql(end)],
            line,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lines)
}

/// How many columns [`receipt_line_at`] reads.
const RECEIPT_LINE_COLUMNS: usize = 5;

fn receipt_line_at(row: &rusqlite::Row<'_>) -> rusqlite::Result<ReceiptLine> {
    receipt_line_from(row, 0)
}

/// A device's kind, make, model, serial and asset tag from column `start` on.
fn receipt_line_from(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<ReceiptLine> {
    Ok(ReceiptLine {
        kind: row.get(start)?,
        make: row.get(start + 1)?,
        model: row.get(start + 2)?,
        serial: row.get(start + 3)?,
        asset_tag: row.get(start + 4)?,
    })
}

fn route_from_sql(word: &str) -> rusqlite::Result<Route> {
    match word {
        "reuse" => Ok(Route::Reuse),
        "repair" => Ok(Route::Repair),
        "recycle" => Ok(Route::Recycle),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown return route {other:?}").into(),
        )),
    }
}

/// The candidates come from `event_missing`, the few events that left a device lost or
/// stolen; each one's status at `?4` from its own events (`event_device`): the last written
/// of those that happened before then. Written order, not `at`: a device registered today
/// and handed out with an earlier `--on` has its registration dated after the handout,
/// and `check` replays the same order.
pub(crate) fn missing_sql() -> String {
    format!(
        "SELECT d.serial, d.kind, s.status_after, s.at, {columns},
                d.asset_tag, d.make, d.model, json_extract(s.details, '$.note')
         FROM (SELECT DISTINCT device_id FROM event
               WHERE {left_missing} AND at < ?4) w
         JOIN device d ON d.id = w.device_id
         JOIN event s ON s.id = (SELECT x.id FROM event x
                                 WHERE x.device_id = w.device_id
                                   AND x.status_after IS NOT NULL AND x.at < ?4
                                 ORDER BY x.id DESC LIMIT 1)
         LEFT JOIN handout h ON h.id = (SELECT last.id FROM handout last
                                         WHERE last.device_id = d.id AND last.handed_out_at < ?4
                                         ORDER BY last.handed_out_at DESC, last.id DESC LIMIT 1)
                            AND h.end_reason IN ({ended_missing})
         LEFT JOIN person p ON p.id = h.person_id
         WHERE {still_missing}
           AND s.at >= ?1 AND s.at < ?2
           AND (?3 IS NULL OR p.department = ?3 COLLATE NOCASE)
         ORDER BY s.at, d.serial",
        columns = people::JOINED_COLUMNS,
        left_missing = status_is("status_after", Status::is_missing),
        ended_missing = end_reasons(EndReason::is_missing),
        still_missing = status_is("s.status_after", Status::is_missing),
    )
}

fn departures_sql() -> String {
    format!(
        "SELECT {},
                (SELECT count(*) FROM handout h
                  WHERE h.person_id = p.id AND h.returned_at IS NULL),
                (SELECT max(h.returned_at) FROM handout h WHERE h.person_id = p.id)
         FROM person p
         WHERE p.end_date BETWEEN ?1 AND ?2
           AND (?3 IS NULL OR p.department = ?3 COLLATE NOCASE)
         ORDER BY p.end_date, p.id",
        people::JOINED_COLUMNS
    )
}

/// Read from `handout_returned_report` alone; the department's people are looked up once,
/// not per row.
const ROUTES_SQL: &str = "SELECT h.return_route, count(*)
         FROM handout h
         WHERE h.returned_at >= ?1 AND h.returned_at < ?2 AND h.return_route IS NOT NULL
           AND (?3 IS NULL OR h.person_id IN
                  (SELECT id FROM person WHERE department = ?3 COLLATE NOCASE))
         GROUP BY h.return_route";

pub(crate) const STOCK_BY_KIND: &str = "SELECT kind, count(*) FROM device
     WHERE status = 'in_stock' AND status <> 'handed_out'
     GROUP BY kind ORDER BY count(*) DESC, kind";

/// Each return in the period with its due date. The local day of a return is the
/// register's, not SQLite's `'localtime'` (the process's zone): the grouping by month
/// happens in Rust, over the covering `handout_returned_report` index's rows.
static MONTHLY_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT returned_at, due
         FROM (SELECT h.returned_at,
                      min(coalesce(h.due_back, p.end_date), coalesce(p.end_date, h.due_back))
                          AS due
               FROM handout h JOIN person p ON p.id = h.person_id
               WHERE h.returned_at >= ?1 AND h.returned_at < ?2
                 AND h.end_reason IN ({})
                 AND (?3 IS NULL OR p.department = ?3 COLLATE NOCASE))
         WHERE due IS NOT NULL",
        end_reasons(EndReason::is_return)
    )
});

impl FollowUp for Tx<'_> {
    fn people_with_items(&self, leaving: &Leaving<'_>) -> Result<Vec<(Person, Vec<HeldItem>)>> {
        let mut stmt = self
            .conn
            .prepare_cached(&people_with_items_sql(leaving.held_at.is_some()))?;
        let mut rows = stmt.query(params![
            leaving.from.map_or(FIRST_DATE.to_string(), date_to_sql),
            leaving.until.map_or(LAST_DATE.to_string(), date_to_sql),
            leaving.department,
            leaving.holding_only,
            leaving
                .held_at
                .map_or(LAST_MOMENT.to_string(), moment_to_sql),
        ])?;
        let mut people: Vec<(Person, Vec<HeldItem>)> = Vec::new();
        while let Some(row) = rows.next()? {
            let id = PersonId(row.get(0)?);
            if people.last().is_none_or(|(p, _)| p.id != id) {
                people.push((people::from_row_at(row, 0)?, Vec::new()));
            }
            let handout: Option<i64> = row.get(PERSON_COLUMNS)?;
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
             WHERE h.person_id = ?1 AND h.handed_out_at >= ?2 AND h.handed_out_at < ?3
             ORDER BY h.handed_out_at, h.id",
            people = people::JOINED_COLUMNS,
            hands_on = end_reasons(EndReason::hands_on),
        );
        let replaced_at = RECEIPT_LINE_COLUMNS + PERSON_COLUMNS;
        lines_of_the_day(self.conn, &sql, person, (start, end), |row| {
            Ok(HandedOutLine {
                device: receipt_line_at(row)?,
                taken_over_from: optional_person_at(row, RECEIPT_LINE_COLUMNS)?,
                replaces: match row.get::<_, Option<String>>(replaced_at + 3)? {
                    Some(_) => Some(receipt_line_from(row, replaced_at)?),
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
             -- A transfer opens the next handout at the moment it closes this one, so the
             -- device's own index finds it (follows_id has none).
             JOIN handout next ON next.device_id = h.device_id
                 AND next.handed_out_at = h.returned_at AND next.follows_id = h.id
             JOIN person p ON p.id = next.person_id
             WHERE h.person_id = ?1 AND h.returned_at >= ?2 AND h.returned_at < ?3
               AND h.end_reason IN ({})
             ORDER BY h.returned_at, h.id",
            people::JOINED_COLUMNS,
            end_reasons(EndReason::hands_on),
        );
        lines_of_the_day(self.conn, &sql, person, (start, end), |row| {
            Ok(HandedOverLine {
                device: receipt_line_at(row)?,
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
             WHERE h.person_id = ?1 AND h.returned_at >= ?2 AND h.returned_at < ?3
               AND h.return_route IS NOT NULL
             ORDER BY h.returned_at, h.id";
        lines_of_the_day(self.conn, sql, person, (start, end), |row| {
            let route = route_from_sql(&row.get::<_, String>(6)?)?;
            let condition: Option<String> = row.get(5)?;
            Ok(TakenBackLine {
                device: receipt_line_at(row)?,
                // A replaced device carries no condition; its route says what it was.
                condition: match condition.as_deref() {
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
                note: row.get(7)?,
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
        let mut stmt = self.conn.prepare_cached(&missing_sql())?;
        let rows = stmt
            .query_map(
                params![
                    since.map_or(FIRST_DATE.to_string(), moment_to_sql),
                    until.map_or(LAST_DATE.to_string(), moment_to_sql),
                    department,
                    as_of.map_or(LAST_MOMENT.to_string(), moment_to_sql),
                ],
                |row| {
                    let holder: Option<i64> = row.get(4)?;
                    Ok(MissingRow {
                        serial: row.get(0)?,
                        kind: row.get(1)?,
                        status: super::devices::status_from_sql(&row.get::<_, String>(2)?)?,
                        since: zone.date_of(moment_from_sql(&row.get::<_, String>(3)?)?),
                        last_holder: match holder {
                            Some(_) => Some(people::from_row_at(row, 4)?.label()),
                            None => None,
                        },
                        asset_tag: row.get(4 + PERSON_COLUMNS)?,
                        make: row.get(5 + PERSON_COLUMNS)?,
                        model: row.get(6 + PERSON_COLUMNS)?,
                        note: row.get(7 + PERSON_COLUMNS)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn departures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        department: Option<&str>,
    ) -> Result<Vec<Departure>> {
        let mut stmt = self.conn.prepare_cached(&departures_sql())?;
        let rows = stmt
            .query_map(
                params![date_to_sql(from), date_to_sql(to), department],
                |row| {
                    let last: Option<String> = row.get(PERSON_COLUMNS + 1)?;
                    Ok(Departure {
                        person: people::from_row_at(row, 0)?,
                        still_held: row.get(PERSON_COLUMNS)?,
                        last_return: last.as_deref().map(moment_from_sql).transpose()?,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn routes(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        department: Option<&str>,
    ) -> Result<RouteCounts> {
        let mut stmt = self.conn.prepare_cached(ROUTES_SQL)?;
        let mut counts = RouteCounts::default();
        let mut rows = stmt.query(params![
            moment_to_sql(start),
            moment_to_sql(end),
            department
        ])?;
        while let Some(row) = rows.next()? {
            let count: u32 = row.get(1)?;
            match route_from_sql(&row.get::<_, String>(0)?)? {
                Route::Reuse => counts.reuse = count,
                Route::Repair => counts.repair = count,
                Route::Recycle => counts.recycle = count,
            }
        }
        Ok(counts)
    }

    fn stock_by_kind(&self) -> Result<Vec<KindCount>> {
        let mut stmt = self.conn.prepare_cached(STOCK_BY_KIND)?;
        let rows = stmt
            .query_map([], |row| {
                Ok(KindCount {
                    kind: row.get(0)?,
                    count: row.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    fn monthly_returns(
        &self,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        department: Option<&str>,
        zone: Zone,
    ) -> Result<Vec<(String, u32, u32)>> {
        let mut stmt = self.conn.prepare_cached(&MONTHLY_SQL)?;
        let mut rows = stmt.query(params![
            moment_to_sql(start),
            moment_to_sql(end),
            department
        ])?;
        let mut months: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
        while let Some(row) = rows.next()? {
            let returned_on = zone.date_of(moment_from_sql(&row.get::<_, String>(0)?)?);
            let Some(due) = date_from_sql(row.get(1)?)? else {
                continue;
            };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists written from the rules land where the statements had them by hand.
    #[test]
    fn the_statements_list_the_words_their_rules_give() {
        assert!(MONTHLY_SQL.contains("h.end_reason IN ('returned', 'transferred')"));
        let missing = missing_sql();
        assert!(missing.contains("WHERE (status_after = 'lost' OR status_after = 'stolen')"));
        assert!(missing.contains("h.end_reason IN ('lost', 'stolen')"));
        assert!(missing.contains("WHERE (s.status_after = 'lost' OR s.status_after = 'stolen')"));
    }

    /// The report and the overdue list must stay fast on a million handouts: handouts and
    /// devices are reached through an index, never scanned whole. (A department's people
    /// may be listed once from the covering `person_department` index.)
    #[test]
    fn no_query_scans_handouts_or_devices() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::SCHEMA).unwrap();
        for sql in [
            people_with_items_sql(false),
            people_with_items_sql(true),
            missing_sql(),
            departures_sql(),
            ROUTES_SQL.to_string(),
            MONTHLY_SQL.to_string(),
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let unbound = vec![None::<String>; stmt.parameter_count()];
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(unbound), |row| row.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            for step in &plan {
                // `w` is the handful of devices `event_missing` found, not a table.
                assert!(
                    !step.starts_with("SCAN")
                        || step.starts_with("SCAN person USING COVERING")
                        || step == "SCAN w",
                    "{step} in the plan of:\n{sql}\n{plan:#?}"
                );
            }
        }
    }
}

//! SQL for the `event` table, the append-only audit trail.

use super::Tx;
use super::moment_from_sql;
use crate::error::Result;
use crate::model::{Action, DeviceId, Event, PersonId, Status};
use crate::store::events::{Events, NewEvent, Stamps, last_day_set_by_sql};
use rusqlite::{Statement, params};

pub(crate) const APPEND: &str =
    "INSERT INTO event (at, recorded_at, actor, action, device_id, person_id, handout_id,
                        status_after, details)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// `Events::append` with [`APPEND`] prepared by the caller, the moments already formatted, and
/// the details already written as JSON text (`event.details` is not read): an import
/// writes hundreds of thousands of events at one moment, their details into one buffer.
pub(crate) fn append_with(
    append: &mut Statement<'_>,
    event: &NewEvent<'_>,
    stamps: Stamps<'_>,
    details: &str,
) -> Result<i64> {
    let id = append.insert(params![
        stamps.at,
        stamps.now,
        event.actor,
        event.action.as_str(),
        event.device.map(|d| d.0),
        event.person.map(|p| p.0),
        event.handout.map(|h| h.0),
        event.status_after.map(Status::as_str),
        details,
    ])?;
    Ok(id)
}

/// The events' columns with the serial and person they name, followed by the rest of a query.
macro_rules! select_events {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.at, e.recorded_at, e.actor, e.action, d.serial, \
                    p.employee_no, p.name, e.status_after, e.details \
             FROM event e \
             LEFT JOIN device d ON d.id = e.device_id \
             LEFT JOIN person p ON p.id = e.person_id ",
            $rest
        )
    };
}

// The hot look-ups, named so that `query_plans` can check each one uses an index.
pub(crate) const FOR_DEVICE: &str = select_events!("WHERE e.device_id = ?1 ORDER BY e.id");
pub(crate) const FOR_PERSON: &str = select_events!("WHERE e.person_id = ?1 ORDER BY e.id");
const ALL: &str = select_events!("ORDER BY e.id");

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    let status: Option<String> = row.get(8)?;
    let details: String = row.get(9)?;
    Ok(Event {
        id: row.get(0)?,
        at: moment_from_sql(&row.get::<_, String>(1)?)?,
        recorded_at: moment_from_sql(&row.get::<_, String>(2)?)?,
        actor: row.get(3)?,
        action: row.get(4)?,
        serial: row.get(5)?,
        employee_no: row.get(6)?,
        person: row.get(7)?,
        status: status
            .as_deref()
            .map(super::devices::status_from_sql)
            .transpose()?,
        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
    })
}

impl Events for Tx<'_> {
    fn last_day_set_by(&self, person: PersonId) -> Result<Option<Action>> {
        let word: Option<String> = super::optional(
            self.conn
                .prepare_cached(last_day_set_by_sql!("?1", "details"))?
                .query_row([person.0], |row| row.get(0)),
        )?;
        Ok(word.as_deref().and_then(Action::parse))
    }

    fn for_device(&self, device: DeviceId) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(FOR_DEVICE)?;
        let events = stmt
            .query_map([device.0], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    fn for_person(&self, person: PersonId) -> Result<Vec<Event>> {
        let mut stmt = self.conn.prepare_cached(FOR_PERSON)?;
        let events = stmt
            .query_map([person.0], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    fn for_each(&self, visit: &mut dyn FnMut(Event) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(ALL)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(from_row(row)?)?;
        }
        Ok(())
    }
}

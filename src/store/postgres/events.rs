//! SQL for the `event` table, the append-only audit trail.

use super::{Tx, devices::status_from_sql, get};
use crate::error::Result;
use crate::model::{Action, DeviceId, Event, PersonId};
use crate::store::events::{Events, last_day_set_by_sql};
use postgres::Row;

pub(super) const APPEND: &str = "INSERT INTO event (at, recorded_at, actor, action, device_id, \
     person_id, handout_id, status_after, details) \
     VALUES ($1::text::timestamptz, $2::text::timestamptz, $3, $4, $5, $6, $7, $8, \
             $9::text::json) RETURNING id";

/// The events' columns with the serial and person they name, followed by the rest of a query.
macro_rules! select_events {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.at, e.recorded_at, e.actor, e.action, d.serial, \
                    p.employee_no, p.name, e.status_after, e.details::text \
             FROM event e \
             LEFT JOIN device d ON d.id = e.device_id \
             LEFT JOIN person p ON p.id = e.person_id ",
            $rest
        )
    };
}

fn from_row(row: &Row) -> Result<Event> {
    let status: Option<&str> = get(row, 8)?;
    let details: &str = get(row, 9)?;
    Ok(Event {
        id: get(row, 0)?,
        at: get(row, 1)?,
        recorded_at: get(row, 2)?,
        actor: get(row, 3)?,
        action: get(row, 4)?,
        serial: get(row, 5)?,
        employee_no: get(row, 6)?,
        person: get(row, 7)?,
        status: status.map(status_from_sql).transpose()?,
        details: serde_json::from_str(details).unwrap_or(serde_json::Value::Null),
    })
}

impl Events for Tx<'_> {
    fn for_device(&self, device: DeviceId) -> Result<Vec<Event>> {
        self.rows(
            select_events!("WHERE e.device_id = $1 ORDER BY e.id"),
            &[&device.0],
        )?
        .iter()
        .map(from_row)
        .collect()
    }

    fn last_day_set_by(&self, person: PersonId) -> Result<Option<Action>> {
        let word: Option<String> = self
            .optional_row(last_day_set_by_sql!("$1", "details::text"), &[&person.0])?
            .map(|row| get(&row, 0))
            .transpose()?;
        Ok(word.as_deref().and_then(Action::parse))
    }

    fn for_person(&self, person: PersonId) -> Result<Vec<Event>> {
        self.rows(
            select_events!("WHERE e.person_id = $1 ORDER BY e.id"),
            &[&person.0],
        )?
        .iter()
        .map(from_row)
        .collect()
    }

    fn for_each(&self, visit: &mut dyn FnMut(Event) -> Result<()>) -> Result<()> {
        self.each(select_events!("ORDER BY e.id"), &[], &mut |row| {
            visit(from_row(row)?)
        })
    }
}

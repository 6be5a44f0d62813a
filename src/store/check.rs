//! SQL for `handback check`: SQLite's own checks of the file, and the facts about each
//! device that the domain compares with its history.

use crate::error::Result;
use crate::model::{Action, PersonId};
use rusqlite::Connection;

/// The lines of `PRAGMA integrity_check`; empty when SQLite finds nothing wrong.
pub fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

/// A row whose reference points at nothing (`PRAGMA foreign_key_check`).
#[derive(Debug, Clone, PartialEq)]
pub struct DanglingReference {
    pub table: String,
    pub rowid: Option<i64>,
    pub parent: String,
}

pub fn foreign_keys(conn: &Connection) -> Result<Vec<DanglingReference>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt
        .query_map([], |row| {
            Ok(DanglingReference {
                table: row.get(0)?,
                rowid: row.get(1)?,
                parent: row.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// An event whose details are not a JSON object, with the serial of its device if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableEvent {
    pub id: i64,
    pub serial: Option<String>,
}

/// Events whose details are not a JSON object. The schema leaves this to `check` (see
/// migrations/0003): validating every event as it is written cost an import a few percent.
pub fn unreadable_events(conn: &Connection) -> Result<Vec<UnreadableEvent>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, d.serial FROM event e LEFT JOIN device d ON d.id = e.device_id
         WHERE json_valid(e.details) = 0 OR json_type(e.details) <> 'object'
         ORDER BY e.id",
    )?;
    let rows = stmt
        .query_map([], |row| {
            Ok(UnreadableEvent {
                id: row.get(0)?,
                serial: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What the register says about one device now, and what its history says.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFacts {
    pub serial: String,
    /// The status column as written (a damaged file may hold any text).
    pub status: String,
    pub open_handouts: i64,
    /// The holder of the (first) open handout.
    pub holder: Option<PersonId>,
    /// `status_after` of the device's last event that has one.
    pub last_status: Option<String>,
    /// The last event that changed who holds the device: its action (as written: a damaged
    /// file may hold any text) and person.
    pub last_custody: Option<(String, Option<PersonId>)>,
}

pub fn device_facts(conn: &Connection) -> Result<Vec<DeviceFacts>> {
    // The words come from the model's own enum, never from a file: safe to inline.
    let custody = Action::custody_actions()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT d.serial, d.status,
            (SELECT count(*) FROM handout h WHERE h.device_id = d.id AND h.returned_at IS NULL),
            (SELECT h.person_id FROM handout h WHERE h.device_id = d.id AND h.returned_at IS NULL
             ORDER BY h.id LIMIT 1),
            (SELECT e.status_after FROM event e WHERE e.device_id = d.id
             AND e.status_after IS NOT NULL ORDER BY e.id DESC LIMIT 1),
            c.action, c.person_id
         FROM device d
         LEFT JOIN event c ON c.id = (SELECT e.id FROM event e WHERE e.device_id = d.id
             AND e.action IN ({custody}) ORDER BY e.id DESC LIMIT 1)
         ORDER BY d.serial"
    ))?;
    let facts = stmt
        .query_map([], |row| {
            let action: Option<String> = row.get(5)?;
            let person: Option<i64> = row.get(6)?;
            Ok(DeviceFacts {
                serial: row.get(0)?,
                status: row.get(1)?,
                open_handouts: row.get(2)?,
                holder: row.get::<_, Option<i64>>(3)?.map(PersonId),
                last_status: row.get(4)?,
                last_custody: action.map(|a| (a, person.map(PersonId))),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(facts)
}

/// How much the register holds, for the summary of a clean check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub people: i64,
    pub devices: i64,
    pub open_handouts: i64,
    pub events: i64,
}

pub fn counts(conn: &Connection) -> Result<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM device),
                (SELECT count(*) FROM handout WHERE returned_at IS NULL),
                (SELECT count(*) FROM event)",
        [],
        |row| {
            Ok(Counts {
                people: row.get(0)?,
                devices: row.get(1)?,
                open_handouts: row.get(2)?,
                events: row.get(3)?,
            })
        },
    )?)
}

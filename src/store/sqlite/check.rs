//! SQL for `handback check`: SQLite's own checks of the file, and the facts about each
//! device that the domain compares with its history.

use super::Tx;
use crate::error::Result;
use crate::model::{Action, PersonId};
use crate::store::maintenance::{
    Counts, DanglingReference, DeviceFacts, Maintenance, UnreadableEvent,
};

impl Maintenance for Tx<'_> {
    fn integrity(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines.into_iter().filter(|line| line != "ok").collect())
    }

    fn foreign_keys(&self) -> Result<Vec<DanglingReference>> {
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
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

    fn unreadable_events(&self) -> Result<Vec<UnreadableEvent>> {
        let mut stmt = self.conn.prepare(
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

    fn device_facts(&self) -> Result<Vec<DeviceFacts>> {
        // The words come from the model's own enum, never from a file: safe to inline.
        let custody = Action::custody_actions()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare(&format!(
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

    fn counts(&self) -> Result<Counts> {
        Ok(self.conn.query_row(
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
}

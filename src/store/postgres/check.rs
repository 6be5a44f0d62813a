//! SQL for `handback check` on PostgreSQL: that the objects which enforce the register's
//! invariants are all still there (the server keeps its own pages; `pg_amcheck` checks
//! those), that no reference dangles, and the facts about each device that the domain
//! compares with its history.

use super::{Tx, get};
use crate::error::Result;
use crate::model::{Action, PersonId};
use crate::store::maintenance::{
    Counts, DanglingReference, DeviceFacts, Maintenance, UnreadableEvent,
};

/// The indexes and triggers that enforce an invariant (the constraints are part of their
/// tables), each with its table: someone with the rights to drop one could let the register
/// break its rules. A table an older schema does not have yet is not looked for.
const GUARDS: &[(&str, &str, &str)] = &[
    ("index", "handout_open_per_device", "handout"),
    ("index", "device_serial_key", "device"),
    ("index", "device_asset_tag", "device"),
    ("index", "person_employee_no_key", "person"),
    ("index", "person_email", "person"),
    ("trigger", "event_append_only", "event"),
    ("trigger", "event_no_truncate", "event"),
    ("trigger", "account_event_append_only", "account_event"),
    ("trigger", "setting_event_append_only", "setting_event"),
    ("index", "person_username", "person"),
    ("index", "notice_sent_once", "notice"),
    ("trigger", "notice_append_only", "notice"),
];

/// Each reference: the table and column, and the table it points into.
const REFERENCES: &[(&str, &str, &str)] = &[
    ("handout", "device_id", "device"),
    ("handout", "person_id", "person"),
    ("handout", "follows_id", "handout"),
    ("event", "device_id", "device"),
    ("event", "person_id", "person"),
    ("event", "handout_id", "handout"),
    ("person", "manager_id", "person"),
    ("notice", "person_id", "person"),
    ("notice", "recipient_id", "person"),
];

impl Maintenance for Tx<'_> {
    fn integrity(&self) -> Result<Vec<String>> {
        let mut missing = Vec::new();
        for (what, name, table) in GUARDS {
            let sql = match *what {
                "index" => {
                    "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema()
                     AND indexname = $1"
                }
                _ => "SELECT 1 FROM pg_trigger WHERE tgname = $1 AND tgenabled <> 'D'",
            };
            let table_exists = self
                .optional_row("SELECT to_regclass($1)::text", &[table])?
                .map(|row| get::<Option<String>>(&row, 0))
                .transpose()?
                .flatten()
                .is_some();
            if table_exists && self.optional_row(sql, &[name])?.is_none() {
                missing.push(format!(
                    "the {what} {name} on {table} is missing or disabled: the database no \
                     longer enforces the rule it keeps"
                ));
            }
        }
        Ok(missing)
    }

    fn foreign_keys(&self) -> Result<Vec<DanglingReference>> {
        let mut dangling = Vec::new();
        for (table, column, parent) in REFERENCES {
            let sql = format!(
                "SELECT t.id FROM {table} t WHERE t.{column} IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM {parent} x WHERE x.id = t.{column})
                 ORDER BY t.id"
            );
            for row in self.rows(&sql, &[])? {
                dangling.push(DanglingReference {
                    table: table.to_string(),
                    rowid: Some(get(&row, 0)?),
                    parent: parent.to_string(),
                });
            }
        }
        Ok(dangling)
    }

    fn unreadable_events(&self) -> Result<Vec<UnreadableEvent>> {
        self.rows(
            "SELECT e.id, d.serial FROM event e LEFT JOIN device d ON d.id = e.device_id
             WHERE json_typeof(e.details) <> 'object' ORDER BY e.id",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(UnreadableEvent {
                id: get(row, 0)?,
                serial: get(row, 1)?,
            })
        })
        .collect()
    }

    fn device_facts(&self) -> Result<Vec<DeviceFacts>> {
        // The words come from the model's own enum, never from a file: safe to inline.
        let custody = Action::custody_actions()
            .map(|a| format!("'{a}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
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
             ORDER BY d.serial COLLATE \"C\""
        );
        let mut facts = Vec::new();
        self.each(&sql, &[], &mut |row| {
            let action: Option<String> = get(row, 5)?;
            let person: Option<i64> = get(row, 6)?;
            facts.push(DeviceFacts {
                serial: get(row, 0)?,
                status: get(row, 1)?,
                open_handouts: get(row, 2)?,
                holder: get::<Option<i64>>(row, 3)?.map(PersonId),
                last_status: get(row, 4)?,
                last_custody: action.map(|a| (a, person.map(PersonId))),
            });
            Ok(())
        })?;
        Ok(facts)
    }

    fn counts(&self) -> Result<Counts> {
        let row = self.row(
            "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM device),
                    (SELECT count(*) FROM handout WHERE returned_at IS NULL),
                    (SELECT count(*) FROM event)",
            &[],
        )?;
        Ok(Counts {
            people: get(&row, 0)?,
            devices: get(&row, 1)?,
            open_handouts: get(&row, 2)?,
            events: get(&row, 3)?,
        })
    }
}

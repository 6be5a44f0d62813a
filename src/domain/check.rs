//! `handback check`: is the register whole, and does its history add up?
//!
//! SQLite checks the file (`integrity_check`, `foreign_key_check`); then every device's
//! current status and holder are compared with what its audit trail says they should be. A
//! check reads only, inside one read transaction, so it sees one moment of a register that
//! others keep writing, and a damaged file is never made worse by looking at it.

use super::Register;
use crate::error::Result;
use crate::model::{Action, Custody, PersonId, Status};
use crate::store::Transaction;
use crate::store::maintenance::DeviceFacts;
use serde::Serialize;
use std::fmt;

/// What a check found: how much the register holds, and everything wrong with it. JSON:
/// the counts and `problems`, each a sentence.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    pub people: i64,
    pub devices: i64,
    pub held: i64,
    pub events: i64,
    #[serde(serialize_with = "as_sentences")]
    pub problems: Vec<Problem>,
}

fn as_sentences<S: serde::Serializer>(problems: &[Problem], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(problems.iter().map(ToString::to_string))
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// "3 people, 10 devices (4 handed out), 52 events".
    pub fn summary(&self) -> String {
        let plural =
            |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "{}, {} ({} handed out), {}",
            plural(self.people, "person", "people"),
            plural(self.devices, "device", "devices"),
            self.held,
            plural(self.events, "event", "events")
        )
    }
}

/// The problems, one per line.
impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

/// One thing wrong with a register.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A line of SQLite's integrity check: the file itself is damaged.
    Damaged(String),
    /// Part of the check could not run, because that part of the file cannot be read.
    Unreadable { what: &'static str, error: String },
    /// A row refers to a row of another table that does not exist.
    DanglingReference {
        table: String,
        rowid: Option<i64>,
        parent: String,
    },
    /// Marked handed out, but nobody holds it.
    NoHolder { serial: String },
    /// Held by someone while its status says it is elsewhere (in stock, lost, recycled…).
    HeldWhile {
        serial: String,
        status: String,
        holder: String,
    },
    /// An event whose details are not a JSON object: that part of the history cannot be read.
    EventNotJson { id: i64, serial: Option<String> },
    /// More than one open handout: two people hold one device.
    SeveralHolders { serial: String, count: i64 },
    /// The status is not the one its last event left it in.
    StatusNotInHistory {
        serial: String,
        status: String,
        history: Option<String>,
    },
    /// The holder is not the one its last handout, return or loss left it with.
    HolderNotInHistory {
        serial: String,
        holder: Option<String>,
        history: Option<String>,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nobody = |p: &Option<String>| p.clone().unwrap_or_else(|| "nobody".into());
        match self {
            Problem::Damaged(line) => write!(f, "the register is damaged: {line}"),
            Problem::Unreadable { what, error } => write!(f, "cannot check {what}: {error}"),
            Problem::DanglingReference {
                table,
                rowid,
                parent,
            } => match rowid {
                Some(rowid) => write!(f, "{table} row {rowid} refers to a missing {parent}"),
                None => write!(f, "a {table} row refers to a missing {parent}"),
            },
            Problem::NoHolder { serial } => {
                write!(f, "{serial} is handed out, but nobody holds it")
            }
            Problem::HeldWhile {
                serial,
                status,
                holder,
            } => write!(
                f,
                "{serial} is {status}, but it is still handed out to {holder}"
            ),
            Problem::EventNotJson { id, serial } => match serial {
                Some(serial) => write!(f, "event {id} of {serial} has details that are not JSON"),
                None => write!(f, "event {id} has details that are not JSON"),
            },
            Problem::SeveralHolders { serial, count } => write!(
                f,
                "{serial} is handed out {count} times at once; one device has one holder"
            ),
            Problem::StatusNotInHistory {
                serial,
                status,
                history,
            } => match history {
                Some(history) => write!(f, "{serial} is {status}, but its history says {history}"),
                None => write!(f, "{serial} is {status}, but it has no history"),
            },
            Problem::HolderNotInHistory {
                serial,
                holder,
                history,
            } => write!(
                f,
                "{serial} is held by {}, but its history says {}",
                nobody(holder),
                nobody(history)
            ),
        }
    }
}

impl Register {
    /// Checks the file and the register's invariants. Problems are the report's, not
    /// errors: an `Err` means the check itself could not start.
    pub fn check(&self) -> Result<CheckReport> {
        // One snapshot for every query, however busy the register is.
        self.read(|tx| Ok(checked(tx)))
    }
}

fn checked(tx: &dyn Transaction) -> CheckReport {
    let mut report = CheckReport::default();
    match tx.maintenance().integrity() {
        Ok(lines) => report
            .problems
            .extend(lines.into_iter().map(Problem::Damaged)),
        Err(e) => report.problems.push(unreadable("the file", &e)),
    }
    match tx.maintenance().foreign_keys() {
        Ok(rows) => report
            .problems
            .extend(rows.into_iter().map(|r| Problem::DanglingReference {
                table: r.table,
                rowid: r.rowid,
                parent: r.parent,
            })),
        Err(e) => report.problems.push(unreadable("references", &e)),
    }
    match tx.maintenance().device_facts() {
        Ok(facts) => {
            for device in &facts {
                report.problems.extend(device_problems(tx, device));
            }
        }
        Err(e) => report.problems.push(unreadable("devices and history", &e)),
    }
    match tx.maintenance().unreadable_events() {
        Ok(events) => report
            .problems
            .extend(events.into_iter().map(|e| Problem::EventNotJson {
                id: e.id,
                serial: e.serial,
            })),
        Err(e) => report.problems.push(unreadable("the events", &e)),
    }
    match tx.maintenance().counts() {
        Ok(counts) => {
            report.people = counts.people;
            report.devices = counts.devices;
            report.held = counts.open_handouts;
            report.events = counts.events;
        }
        Err(e) => report.problems.push(unreadable("the totals", &e)),
    }
    report
}

fn unreadable(what: &'static str, error: &crate::Error) -> Problem {
    let error = match error {
        crate::Error::Store(e) => e.to_string(),
        other => other.to_string(),
    };
    Problem::Unreadable { what, error }
}

/// Everything wrong with one device: its holder against its status, and both against the
/// history that should have led to them.
fn device_problems(conn: &dyn Transaction, device: &DeviceFacts) -> Vec<Problem> {
    let serial = &device.serial;
    let holder = device.holder.map(|id| label(conn, id));
    let handed_out = device.status == Status::HandedOut.as_str();
    let mut problems = Vec::new();
    if device.open_handouts > 1 {
        problems.push(Problem::SeveralHolders {
            serial: serial.clone(),
            count: device.open_handouts,
        });
    }
    match (&holder, handed_out) {
        (None, true) => problems.push(Problem::NoHolder {
            serial: serial.clone(),
        }),
        (Some(holder), false) => problems.push(Problem::HeldWhile {
            serial: serial.clone(),
            status: device.status.replace('_', " "),
            holder: holder.clone(),
        }),
        _ => {}
    }
    if device.last_status.as_deref() != Some(device.status.as_str()) {
        problems.push(Problem::StatusNotInHistory {
            serial: serial.clone(),
            status: device.status.replace('_', " "),
            history: device.last_status.as_ref().map(|s| s.replace('_', " ")),
        });
    }
    let history_holder = match &device.last_custody {
        Some((action, person))
            if Action::parse(action).map(Action::custody) == Some(Custody::Gives) =>
        {
            *person
        }
        _ => None,
    };
    if history_holder != device.holder {
        problems.push(Problem::HolderNotInHistory {
            serial: serial.clone(),
            holder,
            history: history_holder.map(|id| label(conn, id)),
        });
    }
    problems
}

/// How a report names a person; a person who cannot be read is named by their row.
fn label(conn: &dyn Transaction, id: PersonId) -> String {
    conn.people()
        .get(id)
        .map(|p| p.label())
        .unwrap_or_else(|_| format!("person #{}", id.0))
}

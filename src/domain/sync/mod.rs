//! `sync`: the register's people brought in line with the source of truth, HR's list of
//! current employees ([`roster_from_file`]) or the directory (read by the front end into a
//! [`Roster`]).
//!
//! Someone on the list is added or brought up to date, as `import` does; someone the
//! register has (with an employee number) who is missing from it, or whom it marks as
//! ended, becomes a leaver: their last working day is set, with a `left_by_sync` event that
//! names the source, and their checklist is ready. Nobody is deleted, and someone who comes
//! back has their last day cleared. A list that would make more than a tenth of the
//! register's current people leave at once is refused as probably cut short.
//!
//! All of it runs in one transaction; a dry run does the same work and rolls it back, so
//! that what it reports is exactly what a real run would do.

mod roster;

pub use roster::roster_from_file;

use super::Register;
use super::people::{UnknownManager, assign_managers, changed_fields, ensure_unique_person};
use super::writes::Writes;
use crate::error::{Error, Result};
use crate::model::{Action, ImportRef, Language, LeaveCause, Person, PersonId};
use crate::refusal::Refusal;
use crate::store::people::PersonFields;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One person as the source of truth has them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterEntry {
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub department: Option<String>,
    pub username: Option<String>,
    /// The manager: an employee number, e-mail address or name, as `person` takes.
    pub manager: Option<String>,
    pub language: Option<Language>,
    /// The last working day the source gives, past or planned.
    pub end_date: Option<NaiveDate>,
    /// Why the source says the employment ends, when it does: a status word, a disabled or
    /// expiring account. A last working day alone ends it too ([`LeaveCause::EndedInList`]).
    pub ended: Option<LeaveCause>,
    /// Where the source has them, for messages: `line 12`, or a directory entry's DN.
    pub place: String,
    /// The line of a list (0 for a directory), for the events' `import` reference.
    pub line: u64,
}

impl RosterEntry {
    /// What ends the employment, and on which day, as of `as_of`; `None`: it goes on.
    fn leaving(
        &self,
        current_end: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> Option<(NaiveDate, LeaveCause)> {
        // Ended without a day (or gone now): the day the register has if it is no later,
        // else the sync's.
        let by = |latest: NaiveDate| current_end.filter(|d| *d <= latest).unwrap_or(latest);
        match (self.end_date, self.ended) {
            // A disabled account is gone now, whatever day it was to expire.
            (day, Some(LeaveCause::AccountDisabled)) => Some((
                by(day.map_or(as_of, |d| d.min(as_of))),
                LeaveCause::AccountDisabled,
            )),
            (Some(day), cause) => Some((day, cause.unwrap_or(LeaveCause::EndedInList))),
            (None, Some(cause)) => Some((by(as_of), cause)),
            (None, None) => None,
        }
    }
}

/// Everyone the source of truth lists.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// What was read, for events and messages: a file's name, a directory's URL and base.
    pub source: String,
    /// Whether `source` is a file, whose lines the events name.
    pub is_file: bool,
    pub entries: Vec<RosterEntry>,
    /// Entries without an employee number, by place: nobody can be matched by them.
    pub without_number: Vec<String>,
    /// Values left out as unusable, by place: `cn=…: mail "x@" is not an e-mail address`.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SyncOptions {
    /// The day of the sync; `None`: today.
    pub as_of: Option<NaiveDate>,
    pub dry_run: bool,
    /// Let the sync make more than [`MASS_LEAVE_PERCENT`] of the current people leave.
    pub allow_mass_leave: bool,
}

/// The share (in percent) of the register's current people one sync may make leave at once
/// before it is taken for a list cut short.
pub const MASS_LEAVE_PERCENT: u64 = 10;

/// Someone the sync added, or changed other than their last working day.
#[derive(Debug, Clone, Serialize)]
pub struct PersonChange {
    pub person: Person,
    pub fields: Vec<&'static str>,
}

/// Someone the sync gave a last working day.
#[derive(Debug, Clone, Serialize)]
pub struct Leaver {
    pub person: Person,
    #[serde(with = "crate::model::date")]
    pub last_day: NaiveDate,
    pub cause: LeaveCause,
    /// How many devices they hold: what their checklist lists.
    pub holds: usize,
    /// Whether they were among the current people before the sync: only those count
    /// against [`MASS_LEAVE_PERCENT`].
    #[serde(skip)]
    pub was_current: bool,
}

/// What a sync found and did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct SyncSummary {
    pub source: String,
    #[serde(with = "crate::model::date")]
    pub as_of: NaiveDate,
    /// People in the register, with a number, still working before the sync.
    pub current: u64,
    pub arrived: Vec<PersonChange>,
    pub changed: Vec<PersonChange>,
    pub leaving: Vec<Leaver>,
    /// People who had left and are on the list again: their last day is cleared.
    pub returned: Vec<Person>,
    pub unchanged: u64,
    /// Entries that end before the sync of people the register does not have: not added.
    pub ended_not_added: u64,
    pub without_number: Vec<String>,
    /// Values of the source left out as unusable.
    pub notes: Vec<String>,
    pub unknown_managers: Vec<UnknownManager>,
    /// More than [`MASS_LEAVE_PERCENT`] would leave at once: a real run is refused.
    pub mass_leave: bool,
    pub dry_run: bool,
    pub committed: bool,
}

impl SyncSummary {
    /// The people current before the sync whose last day is already here: the ones that
    /// count against [`MASS_LEAVE_PERCENT`].
    pub fn leaving_at_once(&self) -> usize {
        self.leaving
            .iter()
            .filter(|l| l.was_current && l.last_day <= self.as_of)
            .count()
    }
}

impl Register {
    /// Brings the register's people in line with `roster`, in one transaction.
    pub fn sync(&mut self, roster: &Roster, options: SyncOptions) -> Result<SyncSummary> {
        let as_of = options.as_of.unwrap_or_else(|| self.today());
        refuse_repeated_numbers(roster)?;
        self.write_if(|tx, ctx| {
            let writes = Writes::new(tx, ctx)?;
            let mut summary = apply(&writes, roster, as_of)?;
            summary.dry_run = options.dry_run;
            let at_once = summary.leaving_at_once() as u64;
            summary.mass_leave = at_once * 100 > summary.current * MASS_LEAVE_PERCENT;
            if summary.mass_leave && !options.dry_run && !options.allow_mass_leave {
                return Err(Refusal::MassLeave {
                    leaving: at_once,
                    current: summary.current,
                    percent: MASS_LEAVE_PERCENT,
                }
                .into());
            }
            summary.committed = !options.dry_run;
            Ok((summary, !options.dry_run))
        })
    }
}

/// Two entries with one employee number: which of them is right is HR's to say.
fn refuse_repeated_numbers(roster: &Roster) -> Result<()> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut problems = Vec::new();
    for entry in &roster.entries {
        if let Some(place) = first.insert(&entry.employee_no, &entry.place) {
            problems.push(format!(
                "{}: employee number {} is also at {place}; each person once",
                entry.place, entry.employee_no
            ));
            first.insert(&entry.employee_no, place);
        }
    }
    invalid_entries(roster, problems)
}

fn invalid_entries(roster: &Roster, problems: Vec<String>) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::InvalidFile {
        summary: format!(
            "{}: {} cannot be synced; nothing was changed",
            roster.source,
            match problems.len() {
                1 => "1 entry".to_string(),
                n => format!("{n} entries"),
            }
        ),
        details: problems.join("\n"),
    })
}

/// The sync's writes; the caller decides whether they stay.
fn apply(writes: &Writes<'_>, roster: &Roster, as_of: NaiveDate) -> Result<SyncSummary> {
    let tx = writes.tx;
    let known = tx.people().with_employee_no()?;
    let is_current = |p: &Person| p.end_date.is_none_or(|d| d >= as_of);
    let mut summary = SyncSummary {
        source: roster.source.clone(),
        as_of,
        current: known.iter().filter(|p| is_current(p)).count() as u64,
        arrived: Vec::new(),
        changed: Vec::new(),
        leaving: Vec::new(),
        returned: Vec::new(),
        unchanged: 0,
        ended_not_added: 0,
        without_number: roster.without_number.clone(),
        notes: roster.notes.clone(),
        unknown_managers: Vec::new(),
        mass_leave: false,
        dry_run: false,
        committed: false,
    };
    let by_number: HashMap<&str, &Person> = known
        .iter()
        .filter_map(|p| p.employee_no.as_deref().map(|n| (n, p)))
        .collect();
    let mut managers = Vec::new();
    let mut problems = Vec::new();
    for entry in &roster.entries {
        let origin = roster.is_file.then(|| ImportRef {
            file: &roster.source,
            line: entry.line,
        });
        let outcome = match by_number.get(entry.employee_no.as_str()) {
            Some(person) => update(writes, entry, person, as_of, origin, &roster.source),
            None => arrive(writes, entry, as_of, origin, &roster.source),
        };
        let id = match outcome {
            Ok(Outcome { id, change }) => {
                summary.record(writes, change)?;
                id
            }
            Err(Error::Refusal(refusal)) => {
                problems.push(format!("{}: {refusal}", entry.place));
                continue;
            }
            Err(other) => return Err(other),
        };
        if let (Some(id), Some(manager)) = (id, &entry.manager) {
            managers.push((id, manager.clone(), entry.line));
        }
    }
    invalid_entries(roster, problems)?;
    let listed: std::collections::HashSet<&str> = roster
        .entries
        .iter()
        .map(|e| e.employee_no.as_str())
        .collect();
    for person in known.iter().filter(|p| is_current(p)) {
        let number = person.employee_no.as_deref().unwrap_or_default();
        if listed.contains(number) || person.end_date == Some(as_of) {
            continue;
        }
        writes.record_leave(
            person,
            as_of,
            Some((&roster.source, LeaveCause::NotInSource)),
        )?;
        summary.record(
            writes,
            Change::Left(person.id, as_of, LeaveCause::NotInSource, true),
        )?;
    }
    let file = roster.is_file.then_some(roster.source.as_str());
    summary.unknown_managers = assign_managers(writes, &managers, file)?;
    Ok(summary)
}

/// What one entry did to the register.
enum Change {
    Arrived(PersonId),
    /// New, with a last working day already planned.
    ArrivedLeaving(PersonId, NaiveDate, LeaveCause),
    Changed(PersonId, Vec<&'static str>),
    /// With whether they were current before the sync.
    Left(PersonId, NaiveDate, LeaveCause, bool),
    /// Their fields changed too: both are reported.
    ChangedAndLeft(PersonId, Vec<&'static str>, NaiveDate, LeaveCause, bool),
    Returned(PersonId, Vec<&'static str>),
    Unchanged,
    EndedNotAdded,
}

struct Outcome {
    /// The person the entry is, when they are in the register (now).
    id: Option<PersonId>,
    change: Change,
}

impl SyncSummary {
    fn record(&mut self, writes: &Writes<'_>, change: Change) -> Result<()> {
        let tx = writes.tx;
        let person = |id: PersonId| tx.people().get(id);
        match change {
            Change::Arrived(id) => self.arrived.push(PersonChange {
                person: person(id)?,
                fields: Vec::new(),
            }),
            Change::ArrivedLeaving(id, last_day, cause) => {
                self.record(writes, Change::Arrived(id))?;
                self.record(writes, Change::Left(id, last_day, cause, false))?;
            }
            Change::Changed(id, fields) => self.changed.push(PersonChange {
                person: person(id)?,
                fields,
            }),
            Change::Left(id, last_day, cause, was_current) => {
                self.leaving.push(Leaver {
                    person: person(id)?,
                    last_day,
                    cause,
                    holds: tx.handouts().held_items(id, writes.ctx.zone)?.len(),
                    was_current,
                });
            }
            Change::ChangedAndLeft(id, fields, last_day, cause, was_current) => {
                self.record(writes, Change::Changed(id, fields))?;
                self.record(writes, Change::Left(id, last_day, cause, was_current))?;
            }
            Change::Returned(id, fields) => {
                let fields: Vec<_> = fields.into_iter().filter(|f| *f != "end_date").collect();
                if !fields.is_empty() {
                    self.record(writes, Change::Changed(id, fields))?;
                }
                self.returned.push(person(id)?);
            }
            Change::Unchanged => self.unchanged += 1,
            Change::EndedNotAdded => self.ended_not_added += 1,
        }
        Ok(())
    }
}

/// The fields an entry gives, over what the register has: a value overwrites, an empty
/// one keeps (as `import`); the manager and the last working day are the caller's.
fn merged(entry: &RosterEntry, current: &PersonFields) -> PersonFields {
    PersonFields {
        employee_no: Some(entry.employee_no.clone()),
        name: entry.name.clone(),
        email: entry.email.clone().or(current.email.clone()),
        department: entry.department.clone().or(current.department.clone()),
        end_date: current.end_date,
        username: entry.username.clone().or(current.username.clone()),
        manager: current.manager,
        language: entry.language.or(current.language),
    }
}

fn update(
    writes: &Writes<'_>,
    entry: &RosterEntry,
    person: &Person,
    as_of: NaiveDate,
    origin: Option<ImportRef<'_>>,
    source: &str,
) -> Result<Outcome> {
    let id = Some(person.id);
    let before = PersonFields::from(person);
    let mut after = merged(entry, &before);
    let was_current = person.end_date.is_none_or(|d| d >= as_of);
    let leaving = entry
        .leaving(person.end_date, as_of)
        .filter(|(day, _)| person.end_date != Some(*day));
    // Back on the list after a sync made them a leaver (today's too: a list cut short, then
    // corrected). A last day recorded at the desk, or by an HR list's own column, stays: the
    // list may lag behind it.
    let came_back = entry.leaving(person.end_date, as_of).is_none()
        && person.end_date.is_some_and(|d| d <= as_of)
        && writes.tx.events().last_day_set_by(person.id)? == Some(Action::LeftBySync);
    if came_back {
        after.end_date = None;
    }
    free_username(writes, after.username.as_deref(), person.id, as_of)?;
    ensure_unique_person(writes.tx, &after, id)?;
    let fields = changed_fields(&before, &after);
    if !fields.is_empty() {
        writes.edit_person(person.id, &before, &after, origin)?;
    }
    let change = match (leaving, came_back, fields.is_empty()) {
        (Some((day, cause)), _, empty) => {
            let now = writes.tx.people().get(person.id)?;
            writes.record_leave(&now, day, Some((source, cause)))?;
            if empty {
                Change::Left(person.id, day, cause, was_current)
            } else {
                Change::ChangedAndLeft(person.id, fields, day, cause, was_current)
            }
        }
        (None, true, _) => Change::Returned(person.id, fields),
        (None, false, true) => Change::Unchanged,
        (None, false, false) => Change::Changed(person.id, fields),
    };
    Ok(Outcome { id, change })
}

fn arrive(
    writes: &Writes<'_>,
    entry: &RosterEntry,
    as_of: NaiveDate,
    origin: Option<ImportRef<'_>>,
    source: &str,
) -> Result<Outcome> {
    let leaving = entry.leaving(None, as_of);
    // Someone whose employment is over by the sync's day is not added: the register knows
    // of nothing they hold (and someone erased stays erased).
    if leaving.is_some_and(|(day, _)| day <= as_of) {
        return Ok(Outcome {
            id: None,
            change: Change::EndedNotAdded,
        });
    }
    let fields = merged(entry, &PersonFields::default());
    free_username(writes, fields.username.as_deref(), PersonId(0), as_of)?;
    ensure_unique_person(writes.tx, &fields, None)?;
    let id = writes.add_person(&fields, origin)?;
    let change = match leaving {
        Some((day, cause)) => {
            let person = writes.tx.people().get(id)?;
            writes.record_leave(&person, day, Some((source, cause)))?;
            Change::ArrivedLeaving(id, day, cause)
        }
        None => Change::Arrived(id),
    };
    Ok(Outcome {
        id: Some(id),
        change,
    })
}

/// Takes `username` from someone else who has left, for `own` (`PersonId(0)` for someone
/// new): a directory gives a leaver's old login to a new hire. Someone still working keeps
/// theirs, and the entry is refused as taken.
fn free_username(
    writes: &Writes<'_>,
    username: Option<&str>,
    own: PersonId,
    as_of: NaiveDate,
) -> Result<()> {
    let Some(username) = username else {
        return Ok(());
    };
    let Some(other) = writes.tx.people().by_username(username)? else {
        return Ok(());
    };
    if other.id == own || other.end_date.is_none_or(|d| d >= as_of) {
        return Ok(());
    }
    let before = PersonFields::from(&other);
    let after = PersonFields {
        username: None,
        ..before.clone()
    };
    writes.edit_person(other.id, &before, &after, None)?;
    Ok(())
}

#[cfg(test)]
mod tests;

//! `import`: the lists people already keep, brought into the register in one transaction
//! per file.
//!
//! Each row is first checked against the register as it stands (people and devices matched,
//! conflicts found) and only then written, so a refused row never leaves half of itself
//! behind. By default one refused row refuses the whole file; with `skip_invalid` the valid
//! rows go in and the refused ones are written to a rejects file. Importing the same file
//! twice changes nothing the second time.
//!
//! Two threads share the work: one reads the file and does everything a row needs without
//! the register (cells checked, a new device's fields, its handout event's details, the keys
//! for the bulk load's filter), a few batches ahead of the other, which holds the transaction
//! and applies the rows in order.

mod cells;
mod details;
mod pipeline;

use super::custody::refusal_for;
#[cfg(test)]
use super::devices::device_event_details;
use super::devices::ensure_unique_asset_tag;
use super::known_keys::{KeyHash, KnownKeys};
use super::people::ensure_unique_person;
use super::rules::Move;
use super::{Ctx, Register};
use crate::error::{Error, Result};
use crate::import::{Columns, Field, FileEncoding, ImportReader, ListKind, ReadOptions, Row};
use crate::model::{Action, Device, DeviceId, EndReason, HandoutId, PersonId, Status};
use crate::store::events::{NewEvent, Stamps};
use crate::store::handouts::{Closing, NewHandout};
use crate::store::{self, devices::DeviceFields, people::PersonFields};
use crate::validate::local_date;
use cells::{
    DeviceCells, HandoutCells, NewHandoutDetails, PersonCells, ReadContext, RowCells, RowKeys,
    in_serial_form,
};
use chrono::{DateTime, NaiveDate, Utc};
use details::{DeviceAddedDetails, HandoutDetails, ImportRef, OnlyImport, RegisteredDevice};
#[cfg(test)]
use pipeline::ROWS_PER_BATCH;
use pipeline::{BATCHES_IN_FLIGHT, read_rows};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, sync_channel};
use std::time::{Duration, Instant};

/// What to do with a device that the register says someone else holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnConflict {
    /// The row is an error that names the holder.
    #[default]
    Refuse,
    /// Record a return from the holder and a handout to the row's person.
    Transfer,
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub read: ReadOptions,
    pub on_conflict: OnConflict,
    /// Import the valid rows and write the refused ones to `rejects`.
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    /// Do everything but commit.
    pub dry_run: bool,
    /// The file size from which the import builds the register's secondary indexes once at
    /// the end instead of row by row; `None` is [`BULK_MIN_BYTES`]. Tests lower it.
    pub bulk_min_bytes: Option<u64>,
}

/// Lists of this size and more (some 30 000 rows of a typical export) are bulk-loaded: the
/// secondary indexes no row's look-up needs are dropped inside the import's transaction and
/// created again just before it commits (see [`store::bulk`]).
pub const BULK_MIN_BYTES: u64 = 4 << 20;

/// Whether to bulk-load a file of `file_bytes` into a register of `events` events. Building
/// an index costs the whole table; keeping it up to date costs the new rows. So a list
/// brings the indexes down only when it is large and adds at least about half as many rows
/// as the register has (a list row is about 130 bytes and writes one or two events).
fn bulk_load(file_bytes: u64, min_bytes: u64, events: u64) -> bool {
    file_bytes >= min_bytes && file_bytes / 64 >= events
}

/// The keys of the register, with room for those a file of `file_bytes` may add: a row is
/// some 130 bytes and adds at most two device keys and three person keys.
fn known_keys(tx: &Connection, file_bytes: u64) -> Result<KnownKeys> {
    let room = store::bulk::key_count(tx)? + file_bytes / 130 * 5;
    let mut known = KnownKeys::with_room_for(room);
    store::bulk::for_each_key(tx, |column, value| known.add_stored(column, value))?;
    Ok(known)
}

/// A refused row: where and why, with its cells for the rejects file.
#[derive(Debug, Clone)]
pub struct RowError {
    pub line: u64,
    /// `file:line: column "Serienr": why`.
    pub message: String,
    raw: csv::StringRecord,
}

/// What an import found and did.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    pub file: String,
    pub kind: ListKind,
    pub encoding: FileEncoding,
    pub delimiter: u8,
    pub columns: Columns,
    pub rows: u64,
    pub blank_rows: u64,
    pub people_created: u64,
    pub people_updated: u64,
    pub devices_created: u64,
    pub devices_updated: u64,
    pub handouts_opened: u64,
    /// Handouts recorded as a return from one holder and a handout to another.
    pub transfers: u64,
    /// Rows that repeat a handout the register (or the file) already has.
    pub duplicates: u64,
    /// Handouts opened from rows with no date, so recorded as of the import.
    pub undated_handouts: u64,
    pub errors: Vec<RowError>,
    /// "Maria Olsson (4471): department, end_date", one per person changed.
    pub person_changes: Vec<String>,
    /// Rows written to the rejects file.
    pub rejected: u64,
    pub committed: bool,
    pub elapsed: Duration,
}

impl ImportSummary {
    /// Whether the import changed (or, in a dry run, would change) anything.
    pub fn changed_anything(&self) -> bool {
        self.people_created
            + self.people_updated
            + self.devices_created
            + self.devices_updated
            + self.handouts_opened
            + self.transfers
            > 0
    }
}

/// What one file's import carries from row to row.
struct Session<'a> {
    tx: &'a Connection,
    ctx: &'a Ctx<'a>,
    on_conflict: OnConflict,
    /// `{"file": …, "line": …}` goes in every event.
    file: String,
    /// People seen in this file, by [`PersonCells::cache_key`]. Only the id: a list of a
    /// million rows names a third of a million people, and their fields would not fit the
    /// memory an import may take; they are read back by id when needed.
    /// Hashed with foldhash rather than SipHash: no one chooses these keys to collide.
    people: HashMap<Box<str>, PersonId, foldhash::fast::RandomState>,
    /// The person of the previous row with their stored fields: a list's rows for one person
    /// usually follow each other, and then need no look-up at all.
    last_person: Option<(String, PersonId, PersonFields)>,
    /// [`PersonCells::cache_key`] of the current row, in a buffer kept from row to row.
    key: String,
    /// The handouts this file opened, with the line that opened each, in id order (ids only
    /// grow): whether a device's open handout is one of them, and from which line, is a
    /// binary search. Sixteen bytes a handout, where a map by device took three times that.
    handed_out_here: Vec<(HandoutId, u64)>,
    /// In a bulk load, the keys the register may hold: rows with new keys skip their
    /// look-ups. `None` looks everything up.
    known: Option<KnownKeys>,
    /// The inserts every row makes, prepared once (a `RefCell` as events are written from
    /// methods that only read the session).
    inserts: RefCell<store::prepared::RowInserts<'a>>,
    /// `ctx.now` as stored, formatted once for every event.
    now_text: String,
    /// The JSON text of the event being written, in a buffer kept from event to event.
    json: RefCell<Vec<u8>>,
    summary: ImportSummary,
}

/// The person a row names, found or to be created.
enum PersonPlan {
    /// The previous row's person, whose stored fields the session keeps.
    Previous(PersonId),
    Existing(PersonId, PersonFields),
    New(PersonFields),
}

impl PersonPlan {
    /// The person, if the register has them.
    fn known(&self) -> Option<PersonId> {
        match self {
            PersonPlan::Previous(id) | PersonPlan::Existing(id, _) => Some(*id),
            PersonPlan::New(_) => None,
        }
    }
}

impl Session<'_> {
    /// Writes an event that names this file and the row's line.
    fn record(&self, line: u64, mut event: NewEvent<'_>) -> Result<()> {
        event.details["import"] = json!({ "file": self.file, "line": line });
        let details = event.details.to_string();
        let at = if event.at == self.ctx.now {
            Cow::Borrowed(self.now_text.as_str())
        } else {
            Cow::Owned(store::moment_to_sql(event.at))
        };
        self.inserts
            .borrow_mut()
            .event(&event, self.stamps(&at), &details)?;
        Ok(())
    }

    /// An event's moments as stored, `at` being its own: the moment of the import is
    /// formatted once for all of them.
    fn stamps<'s>(&'s self, at: &'s str) -> Stamps<'s> {
        Stamps {
            at,
            now: &self.now_text,
        }
    }

    /// Writes an event with `details` serialised straight to JSON text: the common events
    /// of an import, hundreds of thousands of them, need no `serde_json::Value` each. `at`
    /// is `event.at` as stored.
    fn record_with(&self, event: &NewEvent<'_>, at: &str, details: &impl Serialize) -> Result<()> {
        let mut json = self.json.borrow_mut();
        json.clear();
        // Writing these structs into memory cannot fail; were it to, it is a store error
        // (the value could not become SQL), never a refused row.
        serde_json::to_writer(&mut *json, details)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let text = std::str::from_utf8(&json).expect("serde_json writes UTF-8");
        self.record_text(event, at, text)
    }

    /// Writes an event with its details already JSON text.
    fn record_text(&self, event: &NewEvent<'_>, at: &str, details: &str) -> Result<()> {
        self.inserts
            .borrow_mut()
            .event(event, self.stamps(at), details)?;
        Ok(())
    }

    /// Notes a refused row for the summary and the rejects file; an error that is not about
    /// the row (the register cannot be written, say) ends the import.
    fn refuse_row(&mut self, row: &Row, error: Error) -> Result<()> {
        match error {
            Error::InvalidInput(message)
            | Error::Refused(message)
            | Error::NotFound(message)
            | Error::Ambiguous(message) => {
                self.summary.errors.push(RowError {
                    line: row.line,
                    message,
                    raw: row.raw().clone(),
                });
                Ok(())
            }
            other => Err(other),
        }
    }

    fn import_ref(&self, line: u64) -> ImportRef<'_> {
        ImportRef {
            file: &self.file,
            line,
        }
    }

    /// An event about a person or a device alone, happening now.
    fn now_event<'e>(
        &'e self,
        action: Action,
        device: Option<DeviceId>,
        person: Option<PersonId>,
        status_after: Option<Status>,
        details: serde_json::Value,
    ) -> NewEvent<'e> {
        NewEvent {
            at: self.ctx.now,
            actor: self.ctx.actor,
            action,
            device,
            person,
            handout: None,
            status_after,
            details,
        }
    }

    /// Whether a look-up of the value whose key this is may find anything; always true
    /// outside a bulk load.
    fn may_hold(&self, key: Option<KeyHash>) -> bool {
        match (&self.known, key) {
            (Some(known), Some(key)) => known.may_hold(key),
            _ => true,
        }
    }

    /// Remembers keys just written, for the rows after this one.
    fn now_holds(&mut self, key: Option<KeyHash>) {
        if let (Some(known), Some(key)) = (self.known.as_mut(), key) {
            known.add(key);
        }
    }

    /// `key` is the serial's (see [`RowKeys`]).
    fn device_by_serial(&self, serial: &str, key: Option<KeyHash>) -> Result<Option<Device>> {
        if !self.may_hold(key) {
            return Ok(None);
        }
        store::devices::by_serial(self.tx, serial)
    }

    /// `key` is the tag's, looked up among serials and tags alike.
    fn device_by_asset_tag(&self, tag: &str, key: Option<KeyHash>) -> Result<Option<Device>> {
        if !self.may_hold(key) {
            return Ok(None);
        }
        store::devices::by_asset_tag(self.tx, tag)
    }

    /// Matches a person by employee number, else e-mail, else a name exactly one person has.
    fn plan_person(
        &mut self,
        row: &Row,
        cells: &PersonCells,
        keys: &RowKeys,
    ) -> Result<PersonPlan> {
        cells.cache_key(&mut self.key);
        if let Some((key, id, _)) = &self.last_person
            && *key == self.key
        {
            return Ok(PersonPlan::Previous(*id));
        }
        if let Some(id) = self.people.get(self.key.as_str()) {
            let person = store::people::get(self.tx, *id)?;
            return Ok(PersonPlan::Existing(*id, PersonFields::from(&person)));
        }
        let tx = self.tx;
        let found = match &cells.employee_no {
            Some(number) if self.may_hold(keys.employee_no) => {
                store::people::by_employee_no(tx, number)?
            }
            _ => None,
        };
        let email = cells
            .email
            .as_ref()
            .filter(|_| found.is_none() && self.may_hold(keys.email));
        let found = match (found, email) {
            (Some(person), _) => Some(person),
            (None, Some(email)) => match store::people::by_email(tx, email)? {
                Some(person) if person.employee_no.is_some() && cells.employee_no.is_some() => {
                    return Err(row.error_at(
                        Field::Email,
                        &format!(
                            "{email} belongs to employee number {}, but the row says {}",
                            person.employee_no.unwrap_or_default(),
                            cells.employee_no.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                other => other,
            },
            (None, None) => None,
        };
        // A row with a number can only mean a namesake registered without one.
        let namesakes = match cells.employee_no {
            Some(_) => keys.name_without_number,
            None => keys.name,
        };
        let name = cells
            .name
            .as_ref()
            .filter(|_| found.is_none() && self.may_hold(namesakes));
        let found = match (found, name, &cells.employee_no) {
            (Some(person), _, _) => Some(person),
            (None, Some(name), number) => {
                // A row with a number can only mean a namesake registered without one.
                let mut named = match number {
                    Some(_) => store::people::by_name_without_number(tx, name)?,
                    None => store::people::by_name(tx, name)?,
                };
                match named.len() {
                    0 => None,
                    1 => Some(named.remove(0)),
                    n => {
                        let numbers: Vec<String> =
                            named.iter().map(crate::model::Person::reference).collect();
                        return Err(row.error_at(
                            Field::Name,
                            &format!(
                                "{n} people are called {name} ({}); add an employee number \
                                 or e-mail column to say which",
                                numbers.join(", ")
                            ),
                        ));
                    }
                }
            }
            (None, None, _) => None,
        };
        match found {
            Some(person) if person.erased => Err(row.error_at(
                Field::EmployeeNo,
                "this person has been erased from the register",
            )),
            Some(person) => Ok(PersonPlan::Existing(person.id, PersonFields::from(&person))),
            None => {
                let name = cells.name.clone().or(cells.email.clone()).ok_or_else(|| {
                    row.error_at(
                        Field::EmployeeNo,
                        "no person has this employee number, and the row has no name to \
                         register them with",
                    )
                })?;
                Ok(PersonPlan::New(PersonFields {
                    employee_no: cells.employee_no.clone(),
                    name,
                    email: cells.email.clone(),
                    department: cells.department.clone(),
                    end_date: cells.end_date,
                }))
            }
        }
    }

    /// Checks a planned person against the register, then writes it. Returns the person and
    /// their last working day.
    fn apply_person(
        &mut self,
        row: &Row,
        cells: &PersonCells,
        keys: &RowKeys,
        plan: PersonPlan,
    ) -> Result<(PersonId, Option<NaiveDate>)> {
        let (id, stored) = match plan {
            PersonPlan::New(fields) => {
                // No uniqueness check here: a new person is planned only when the look-ups by
                // this employee number and e-mail address found nobody (and the schema's
                // unique indexes stand behind that).
                let id = self.inserts.get_mut().person(&fields, &self.now_text)?;
                self.person_holds(&fields, keys);
                let event = self.now_event(Action::PersonAdded, None, Some(id), None, Value::Null);
                let details = OnlyImport {
                    import: self.import_ref(row.line),
                };
                self.record_with(&event, &self.now_text, &details)?;
                self.summary.people_created += 1;
                (id, fields)
            }
            PersonPlan::Previous(id) => {
                // Most rows of a person repeat what the previous one said: nothing to copy.
                let current = match &self.last_person {
                    Some((_, _, stored)) if !cells.would_change(stored) => {
                        return Ok((id, stored.end_date));
                    }
                    Some((_, _, stored)) => stored.clone(),
                    None => PersonFields::from(&store::people::get(self.tx, id)?),
                };
                (id, self.update_person(row, (cells, keys), id, current)?)
            }
            PersonPlan::Existing(id, current) => {
                (id, self.update_person(row, (cells, keys), id, current)?)
            }
        };
        let end_date = stored.end_date;
        // plan_person left this row's key in `self.key`.
        if !self.people.contains_key(self.key.as_str()) {
            self.people.insert(self.key.as_str().into(), id);
        }
        match &mut self.last_person {
            Some((key, last_id, last_stored)) => {
                key.clone_from(&self.key);
                *last_id = id;
                *last_stored = stored;
            }
            None => self.last_person = Some((self.key.clone(), id, stored)),
        }
        Ok((id, end_date))
    }

    /// Brings a known person up to date with the row's cells; returns their fields as stored.
    fn update_person(
        &mut self,
        row: &Row,
        (cells, keys): (&PersonCells, &RowKeys),
        id: PersonId,
        current: PersonFields,
    ) -> Result<PersonFields> {
        let merged = cells.merged_over(&current);
        let changed = super::people::changed_fields(&current, &merged);
        if !changed.is_empty() {
            ensure_unique_person(self.tx, &merged, Some(id))
                .map_err(|e| row.error_at(Field::EmployeeNo, &e.to_string()))?;
            store::people::update(self.tx, id, &merged)?;
            self.person_holds(&merged, keys);
            let due_back_set = super::people::follow_end_date(self.tx, id, merged.end_date)?;
            let details = json!({ "changed": changed, "due_back_set": super::people::changed_serials(&due_back_set) });
            self.record(
                row.line,
                self.now_event(Action::PersonEdited, None, Some(id), None, details),
            )?;
            self.summary.people_updated += 1;
            let label = match &merged.employee_no {
                Some(number) => format!("{} ({number})", merged.name),
                None => merged.name.clone(),
            };
            self.summary
                .person_changes
                .push(format!("{label}: {}", changed.join(", ")));
        }
        Ok(merged)
    }

    /// Remembers the keys of a person just written from the row's cells (the values they
    /// keep from before are known already).
    fn person_holds(&mut self, fields: &PersonFields, keys: &RowKeys) {
        self.now_holds(keys.employee_no);
        self.now_holds(keys.email);
        self.now_holds(keys.name);
        if fields.employee_no.is_none() {
            self.now_holds(keys.name_without_number);
        }
    }

    /// One row of any kind of list, its cells already read. Everything that can refuse the
    /// row is checked before the row's first write.
    fn import_row(&mut self, row: &Row, cells: &RowCells) -> Result<()> {
        let RowCells {
            person: person_cells,
            device: device_cells,
            handout,
            new_handout_details,
            keys,
        } = cells;
        let Some(device_cells) = device_cells else {
            // A list of people: `RowCells::read` made sure the row names someone.
            if let Some(cells) = person_cells {
                let plan = self.plan_person(row, cells, keys)?;
                self.apply_person(row, cells, keys, plan)?;
            }
            return Ok(());
        };
        // A device by its serial; a row without one may still name a known asset tag.
        let device = match (&device_cells.serial, &device_cells.asset_tag) {
            (Some(serial), _) => self.device_by_serial(serial, keys.serial)?,
            (None, Some(tag)) => self.device_by_asset_tag(tag, keys.asset_tag)?,
            (None, None) => None,
        };
        if device.is_none() && device_cells.serial.is_none() {
            return Err(row.error_at(Field::Serial, "the serial number is missing"));
        }
        let merged;
        let fields = match &device {
            None => &device_cells.as_new,
            Some(known) => {
                merged = device_cells.merged_over(Some(known));
                &merged
            }
        };
        // A new device's serial must not be another device's asset tag: a reference to it
        // would find the other one.
        if device.is_none()
            && let Some(other) = self.device_by_asset_tag(&fields.serial, keys.serial)?
        {
            return Err(row.error_at(
                Field::Serial,
                &format!(
                    "{} is the asset tag of {} already; a serial number must not name another device",
                    fields.serial, other.serial
                ),
            ));
        }
        // The serial is the one just looked up (or the found device's own), so only an asset
        // tag the device does not already carry can belong to another device.
        if let Some(tag) = &fields.asset_tag
            && device.as_ref().and_then(|d| d.asset_tag.as_ref()) != Some(tag)
            && self.tag_may_name_a_device(tag, keys)
        {
            ensure_unique_asset_tag(self.tx, tag, device.as_ref().map(|d| d.id))
                .map_err(|e| row.error_at(Field::Serial, &e.to_string()))?;
        }
        let person_plan = match person_cells {
            Some(cells) => Some(self.plan_person(row, cells, keys)?),
            None => None,
        };

        // What the handout will do, decided before anything is written.
        let holding = match (&device, &person_plan) {
            (Some(device), Some(plan)) => self.plan_handout(row, device, plan)?,
            (None, Some(_)) => Holding::HandOut,
            (_, None) => Holding::None,
        };

        let person = match (person_cells, person_plan) {
            (Some(cells), Some(plan)) => Some(self.apply_person(row, cells, keys, plan)?),
            _ => None,
        };
        // The moment of the handout as stored, formatted once for the device's status, the
        // handout and its event.
        let handed_out_at = person
            .and(handout.as_ref())
            .map(|h| store::moment_to_sql(h.at));
        let device_id = self.apply_device(
            row,
            device.as_ref(),
            fields,
            (device_cells, keys),
            handed_out_at.as_deref(),
        )?;
        if let (Some(person), Some(handout), Some(at)) = (person, handout, &handed_out_at) {
            self.apply_handout(
                row,
                device_id,
                person,
                holding,
                (handout, at, new_handout_details.as_ref()),
                device.is_none(),
                fields,
            )?;
        }
        Ok(())
    }

    /// Whether the row's asset tag may be another device's tag or serial (see
    /// [`ensure_unique_asset_tag`]).
    fn tag_may_name_a_device(&self, tag: &str, keys: &RowKeys) -> bool {
        // Most tags are their own serial form already: nothing more to rule out.
        self.may_hold(keys.asset_tag)
            || (!in_serial_form(tag)
                && keys.tag_as_serial.is_some()
                && self.may_hold(keys.tag_as_serial))
    }

    fn plan_handout(&self, row: &Row, device: &Device, plan: &PersonPlan) -> Result<Holding> {
        let open = store::handouts::open_for_device(self.tx, device.id)?;
        let Some(open) = open else {
            return match refusal_for(self.tx, device, Move::HandOut)? {
                None => Ok(Holding::HandOut),
                Some(why) => Err(row.error_at(Field::Serial, &why)),
            };
        };
        if plan.known() == Some(open.person_id) {
            return Ok(Holding::Duplicate);
        }
        if let Ok(at) = self
            .handed_out_here
            .binary_search_by_key(&open.id.0, |(handout, _)| handout.0)
        {
            let line = self.handed_out_here[at].1;
            return Err(row.error_at(
                Field::Serial,
                &format!(
                    "{} is handed to two different people in this file: lines {line} and {}",
                    device.serial, row.line
                ),
            ));
        }
        match self.on_conflict {
            OnConflict::Transfer => Ok(Holding::Transfer(open.id, open.handed_out_at)),
            OnConflict::Refuse => {
                let holder = store::people::get(self.tx, open.person_id)?;
                Err(row.error_at(
                    Field::Serial,
                    &format!(
                        "{} is held by {} since {} in the register; --on-conflict transfer \
                         records a return and a new handout instead",
                        device.serial,
                        holder.label(),
                        local_date(open.handed_out_at)
                    ),
                ))
            }
        }
    }

    /// Registers a new device or brings a known one up to date. `handed_out_at` is when this
    /// row hands it out (as stored), if it does.
    fn apply_device(
        &mut self,
        row: &Row,
        device: Option<&Device>,
        fields: &DeviceFields,
        (cells, keys): (&DeviceCells, &RowKeys),
        handed_out_at: Option<&str>,
    ) -> Result<DeviceId> {
        let handed_out = handed_out_at.is_some();
        let Some(device) = device else {
            // A new device handed out by this row is written handed out since the handout,
            // which then need not update it.
            let (status, since) = match handed_out_at {
                Some(at) => (Status::HandedOut, at),
                None => (
                    cells
                        .status
                        .filter(|s| *s != Status::HandedOut)
                        .unwrap_or(Status::InStock),
                    self.now_text.as_str(),
                ),
            };
            let id = self
                .inserts
                .get_mut()
                .device(fields, status, since, &self.now_text)?;
            self.device_holds(keys);
            self.summary.devices_created += 1;
            if !handed_out {
                // A device handed out by this row is registered by its handout event.
                let details = DeviceAddedDetails::of(fields, self.import_ref(row.line));
                let event = self.now_event(
                    Action::DeviceAdded,
                    Some(id),
                    None,
                    Some(status),
                    Value::Null,
                );
                self.record_with(&event, &self.now_text, &details)?;
            }
            return Ok(id);
        };
        let before = DeviceFields::from(device);
        let changes = super::devices::device_changes(&before, fields);
        let new_status = cells.status.filter(|s| {
            !handed_out
                && *s != device.status
                && *s != Status::HandedOut
                && device.status != Status::HandedOut
        });
        if changes.as_object().is_some_and(|c| !c.is_empty()) || new_status.is_some() {
            store::devices::update(self.tx, device.id, fields)?;
            self.device_holds(keys);
            let mut details = json!({ "changed": changes });
            if let Some(status) = new_status {
                store::devices::set_status(self.tx, device.id, status, self.ctx.now)?;
                details["from"] = json!(device.status.as_str());
            }
            let action = if new_status.is_some() {
                Action::StatusChanged
            } else {
                Action::DeviceEdited
            };
            let event = self.now_event(action, Some(device.id), None, new_status, details);
            self.record(row.line, event)?;
            self.summary.devices_updated += 1;
        }
        Ok(device.id)
    }

    /// Remembers the keys of a device just written from the row's cells (the values it
    /// keeps from before are known already).
    fn device_holds(&mut self, keys: &RowKeys) {
        self.now_holds(keys.serial);
        self.now_holds(keys.asset_tag);
    }

    #[allow(clippy::too_many_arguments)]
    fn apply_handout(
        &mut self,
        row: &Row,
        device: DeviceId,
        (person, end_date): (PersonId, Option<NaiveDate>),
        holding: Holding,
        (cells, cells_at, prepared): (&HandoutCells, &str, Option<&NewHandoutDetails>),
        registered: bool,
        fields: &DeviceFields,
    ) -> Result<()> {
        let (follows, at) = match holding {
            Holding::None => return Ok(()),
            Holding::Duplicate => {
                self.summary.duplicates += 1;
                return Ok(());
            }
            Holding::HandOut => (None, cells.at),
            Holding::Transfer(previous, since) => {
                // The new holder's handout cannot begin before the previous one did.
                let at = cells.at.max(since);
                store::handouts::close(
                    self.tx,
                    previous,
                    &Closing {
                        at,
                        by: self.ctx.actor,
                        reason: EndReason::Transferred,
                        condition: None,
                        route: None,
                        note: None,
                    },
                )?;
                self.summary.transfers += 1;
                (Some(previous), at)
            }
        };
        let due = super::rules::due_back(cells.due, end_date);
        let by = cells.by.as_deref().unwrap_or(self.ctx.actor);
        // `cells_at` is `cells.at` as stored; a transfer may have moved the moment.
        let at_text = if at == cells.at {
            Cow::Borrowed(cells_at)
        } else {
            Cow::Owned(store::moment_to_sql(at))
        };
        let handout = self.inserts.get_mut().handout(
            &NewHandout {
                device_id: device,
                person_id: person,
                at,
                by,
                due_back: due,
                own_due_back: cells.due,
                note: cells.note.as_deref(),
                follows,
            },
            &at_text,
        )?;
        if !registered {
            // A registered device was written handed out since `at` (see apply_device).
            store::devices::set_status(self.tx, device, Status::HandedOut, at)?;
        }
        let event = NewEvent {
            at,
            actor: self.ctx.actor,
            action: if follows.is_some() {
                Action::Transferred
            } else {
                Action::HandedOut
            },
            device: Some(device),
            person: Some(person),
            handout: Some(handout),
            status_after: Some(Status::HandedOut),
            details: Value::Null,
        };
        match prepared.filter(|p| registered && follows.is_none() && p.due_back == due) {
            Some(prepared) => self.record_text(&event, &at_text, &prepared.json)?,
            None => {
                let details = HandoutDetails {
                    due_back: due,
                    from_handout: follows.map(|h| h.0),
                    import: self.import_ref(row.line),
                    note: cells.note.as_deref(),
                    registered: registered.then(|| RegisteredDevice::of(fields)),
                };
                self.record_with(&event, &at_text, &details)?;
            }
        }
        self.handed_out_here.push((handout, row.line));
        if follows.is_none() {
            self.summary.handouts_opened += 1;
        }
        if cells.undated {
            self.summary.undated_handouts += 1;
        }
        Ok(())
    }
}

/// What a handout row does to the device's custody.
#[derive(Debug, Clone, Copy)]
enum Holding {
    None,
    HandOut,
    /// The person already holds it: the same handout again.
    Duplicate,
    /// Someone else holds it (that handout, since then): return and hand out.
    Transfer(crate::model::HandoutId, DateTime<Utc>),
}

impl Register {
    /// Imports one file. Returns the summary; `committed` says whether the register changed.
    /// `progress` is called with the number of rows read, every few thousand rows.
    pub fn import(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary> {
        let started = Instant::now();
        let mut reader = ImportReader::open(path, &options.read)?;
        let mut rejects = match (&options.rejects, options.skip_invalid) {
            (Some(target), true) => Some(reader.rejects_writer(target)?),
            _ => None,
        };
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let kind = reader.kind();
        let summary = ImportSummary {
            file: file.clone(),
            kind,
            encoding: reader.encoding(),
            delimiter: reader.delimiter(),
            columns: reader.columns().clone(),
            rows: 0,
            blank_rows: 0,
            people_created: 0,
            people_updated: 0,
            devices_created: 0,
            devices_updated: 0,
            handouts_opened: 0,
            transfers: 0,
            duplicates: 0,
            undated_handouts: 0,
            errors: Vec::new(),
            person_changes: Vec::new(),
            rejected: 0,
            committed: false,
            elapsed: Duration::ZERO,
        };
        let file_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        let min_bytes = options.bulk_min_bytes.unwrap_or(BULK_MIN_BYTES);
        let previous_cache = store::set_cache_size_kib(self.conn(), store::BULK_CACHE_KIB)?;
        let result = self.write_if(|tx, ctx| {
            let bulk = bulk_load(file_bytes, min_bytes, store::bulk::event_count(tx)?);
            let deferred = if bulk {
                let also: &[&str] = match kind {
                    ListKind::Devices => &[store::bulk::DEVICES_IN_STOCK],
                    ListKind::People | ListKind::Handouts => &[],
                };
                Some(store::bulk::defer_indexes(tx, also)?)
            } else {
                None
            };
            let known = if bulk {
                Some(known_keys(tx, file_bytes)?)
            } else {
                None
            };
            // The reading thread writes the file's name into events too.
            let reader_file = file.clone();
            let mut session = Session {
                tx,
                ctx,
                on_conflict: options.on_conflict,
                file,
                people: HashMap::default(),
                last_person: None,
                key: String::new(),
                handed_out_here: Vec::new(),
                known,
                inserts: RefCell::new(store::prepared::RowInserts::prepare(tx)?),
                now_text: store::moment_to_sql(ctx.now),
                json: RefCell::new(Vec::with_capacity(256)),
                summary,
            };
            // Reading and checking cells needs no register, so it runs on a thread of its
            // own, a few batches ahead of the rows being written.
            std::thread::scope(|scope| -> Result<()> {
                let (to_writer, from_reader) = sync_channel(BATCHES_IN_FLIGHT);
                let (to_reader, spent) = channel();
                let rows = &mut reader;
                let context = ReadContext {
                    kind,
                    now: ctx.now,
                    file: &reader_file,
                };
                scope.spawn(move || read_rows(rows, context, &to_writer, &spent));
                let mut read: u64 = 0;
                for batch in from_reader {
                    let batch = batch?;
                    for (row, cells) in &batch {
                        read += 1;
                        let imported = match cells {
                            Ok(cells) => session.import_row(row, cells),
                            Err(refused) => Err(Error::InvalidInput(refused.clone())),
                        };
                        if let Err(error) = imported {
                            session.refuse_row(row, error)?;
                        }
                        if read.is_multiple_of(4096) {
                            progress(read);
                        }
                    }
                    // The reader may be done: then this batch is simply dropped here.
                    let _ = to_reader.send(batch);
                }
                Ok(())
            })?;
            let mut summary = session.summary;
            let read = reader.summary();
            summary.rows = read.rows;
            summary.blank_rows = read.blank_rows;
            if let Some(writer) = &mut rejects {
                for error in &summary.errors {
                    writer.write(&error.raw, &error.message)?;
                }
                summary.rejected = writer.count();
            }
            let commit = !options.dry_run && (summary.errors.is_empty() || options.skip_invalid);
            summary.committed = commit;
            // Without a commit the rollback brings the dropped indexes back with the rest.
            if let Some(deferred) = deferred.filter(|_| commit) {
                store::bulk::rebuild_indexes(tx, deferred)?;
            }
            Ok((summary, commit))
        });
        store::restore_cache_size(self.conn(), previous_cache)?;
        let mut summary = result?;
        if let Some(writer) = rejects {
            writer.finish()?;
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }
}

#[cfg(test)]
mod tests;

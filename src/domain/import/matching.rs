//! Finding the person and the device a row means, and what its handout will do, before
//! anything is written: a refused row leaves nothing behind. In a bulk load the Bloom filter
//! ([`crate::domain::known_keys`]) rules out most look-ups of keys the register cannot
//! hold.

use super::OnConflict;
use super::cells::{DeviceCells, PersonCells, RowKeys, in_serial_form};
use super::session::Session;
use super::summary::HeldElsewhere;
use crate::domain::custody::refusal_for;
use crate::domain::devices::ensure_unique_asset_tag;
use crate::domain::known_keys::KeyHash;
use crate::domain::rules::Move;
use crate::error::{Error, Result};
use crate::import::{Field, Row};
use crate::model::{Device, Person, PersonId};
use crate::store::{devices::DeviceFields, people::PersonFields};
use chrono::{DateTime, Utc};

/// The person a row names, found or to be created.
pub(super) enum PersonPlan {
    /// The previous row's person, whose stored fields the session keeps.
    Previous(PersonId),
    Existing(PersonId, PersonFields),
    New(PersonFields),
}

impl PersonPlan {
    /// The person, if the register has them.
    pub(super) fn known(&self) -> Option<PersonId> {
        match self {
            PersonPlan::Previous(id) | PersonPlan::Existing(id, _) => Some(*id),
            PersonPlan::New(_) => None,
        }
    }
}

impl Session<'_> {
    /// `key` is the serial's (see [`RowKeys`]).
    fn device_by_serial(&self, serial: &str, key: Option<KeyHash>) -> Result<Option<Device>> {
        if !self.may_hold(key) {
            return Ok(None);
        }
        self.writes.tx.devices().by_serial(serial)
    }

    /// `key` is the tag's, looked up among serials and tags alike.
    fn device_by_asset_tag(&self, tag: &str, key: Option<KeyHash>) -> Result<Option<Device>> {
        if !self.may_hold(key) {
            return Ok(None);
        }
        self.writes.tx.devices().by_asset_tag(tag)
    }

    /// The register's device a row means: by its serial; a row without one may still name
    /// a known asset tag. An error if it names none and has no serial to register one by.
    pub(super) fn find_device(
        &self,
        row: &Row,
        cells: &DeviceCells,
        keys: &RowKeys,
    ) -> Result<Option<Device>> {
        // A device by its serial; a row without one may still name a known asset tag.
        let device = match (&cells.serial, &cells.asset_tag) {
            (Some(serial), _) => self.device_by_serial(serial, keys.serial)?,
            (None, Some(tag)) => self.device_by_asset_tag(tag, keys.asset_tag)?,
            (None, None) => None,
        };
        if device.is_none() && cells.serial.is_none() {
            return Err(row.error_at(Field::Serial, "the serial number is missing"));
        }
        Ok(device)
    }

    /// Checks that the serial and asset tag of `fields`, the device the row writes
    /// (`device` as the register has it, if it does), name no other device.
    pub(super) fn check_device_keys(
        &self,
        row: &Row,
        device: Option<&Device>,
        fields: &DeviceFields,
        keys: &RowKeys,
    ) -> Result<()> {
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
            && device.and_then(|d| d.asset_tag.as_ref()) != Some(tag)
            && self.tag_may_name_a_device(tag, keys)
        {
            ensure_unique_asset_tag(self.writes.tx, tag, device.map(|d| d.id))
                .map_err(|e| row.error_at(Field::Serial, &e.to_string()))?;
        }
        Ok(())
    }

    /// Matches a person by employee number, else e-mail, else a name exactly one person has.
    pub(super) fn plan_person(
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
            let person = self.writes.tx.people().get(*id)?;
            return Ok(PersonPlan::Existing(*id, PersonFields::from(&person)));
        }
        match self.find_person(row, cells, keys)? {
            Some(person) if person.erased => Err(row.error_at(
                Field::EmployeeNo,
                "this person has been erased from the register",
            )),
            Some(person) => Ok(PersonPlan::Existing(person.id, PersonFields::from(&person))),
            None => new_person(row, cells),
        }
    }

    /// The register's person the row means, looked up by employee number, else e-mail
    /// address, else name; a look-up the bulk load's filter rules out is skipped.
    fn find_person(
        &self,
        row: &Row,
        cells: &PersonCells,
        keys: &RowKeys,
    ) -> Result<Option<Person>> {
        if let Some(number) = &cells.employee_no
            && self.may_hold(keys.employee_no)
            && let Some(person) = self.writes.tx.people().by_employee_no(number)?
        {
            return Ok(Some(person));
        }
        if let Some(email) = &cells.email
            && self.may_hold(keys.email)
            && let Some(person) = self.person_by_email(row, cells, email)?
        {
            return Ok(Some(person));
        }
        // A row with a number can only mean a namesake registered without one.
        let namesakes = match cells.employee_no {
            Some(_) => keys.name_without_number,
            None => keys.name,
        };
        match &cells.name {
            Some(name) if self.may_hold(namesakes) => self.person_by_name(row, cells, name),
            _ => Ok(None),
        }
    }

    /// The person with the row's e-mail address; an error if they have another employee
    /// number than the row's.
    fn person_by_email(
        &self,
        row: &Row,
        cells: &PersonCells,
        email: &str,
    ) -> Result<Option<Person>> {
        match self.writes.tx.people().by_email(email)? {
            Some(person) if person.employee_no.is_some() && cells.employee_no.is_some() => Err(row
                .error_at(
                    Field::Email,
                    &format!(
                        "{email} belongs to employee number {}, but the row says {}",
                        person.employee_no.unwrap_or_default(),
                        cells.employee_no.as_deref().unwrap_or_default()
                    ),
                )),
            other => Ok(other),
        }
    }

    /// The one person with the row's name; an error if several have it.
    fn person_by_name(&self, row: &Row, cells: &PersonCells, name: &str) -> Result<Option<Person>> {
        // A row with a number can only mean a namesake registered without one.
        let mut named = match cells.employee_no {
            Some(_) => self.writes.tx.people().by_name_without_number(name)?,
            None => self.writes.tx.people().by_name(name)?,
        };
        match named.len() {
            0 => Ok(None),
            1 => Ok(Some(named.remove(0))),
            n => {
                let numbers: Vec<String> = named.iter().map(Person::reference).collect();
                Err(row.error_at(
                    Field::Name,
                    &format!(
                        "{n} people are called {name} ({}); add an employee number \
                         or e-mail column to say which",
                        numbers.join(", ")
                    ),
                ))
            }
        }
    }

    /// Whether the row's asset tag may be another device's tag or serial (see
    /// [`crate::domain::devices::ensure_unique_asset_tag`]).
    fn tag_may_name_a_device(&self, tag: &str, keys: &RowKeys) -> bool {
        // Most tags are their own serial form already: nothing more to rule out.
        self.may_hold(keys.asset_tag)
            || (!in_serial_form(tag)
                && keys.tag_as_serial.is_some()
                && self.may_hold(keys.tag_as_serial))
    }

    pub(super) fn plan_handout(
        &self,
        row: &Row,
        device: &Device,
        plan: &PersonPlan,
    ) -> Result<Holding> {
        let open = self.writes.tx.handouts().open_for_device(device.id)?;
        let Some(open) = open else {
            return match refusal_for(self.writes.tx, self.writes.ctx.zone, device, Move::HandOut)? {
                None => Ok(Holding::HandOut),
                Some(why) => Err(row.error_at(Field::Serial, &why.to_string())),
            };
        };
        if plan.known() == Some(open.person_id) {
            return Ok(Holding::Duplicate(open.handed_out_at));
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
                let holder = self.writes.tx.people().get(open.person_id)?;
                Err(Error::HeldElsewhere(Box::new(HeldElsewhere {
                    place: row.place(Field::Serial),
                    serial: device.serial.clone(),
                    holder: holder.label(),
                    since: self.writes.ctx.zone.date_of(open.handed_out_at),
                })))
            }
        }
    }
}

/// What a handout row does to the device's custody.
#[derive(Debug, Clone, Copy)]
pub(super) enum Holding {
    None,
    HandOut,
    /// The person already holds it (since then): the same handout again.
    Duplicate(DateTime<Utc>),
    /// Someone else holds it (that handout, since then): return and hand out.
    Transfer(crate::model::HandoutId, DateTime<Utc>),
}

/// A person the register does not have, registered under the row's name or user name or,
/// without either, the user name of their e-mail address (the part before the `@`): a
/// person is never named by their address.
fn new_person(row: &Row, cells: &PersonCells) -> Result<PersonPlan> {
    let from_email = || {
        cells
            .email
            .as_deref()
            .and_then(|email| email.split('@').next())
            .map(str::trim)
            .filter(|user| !user.is_empty())
            .map(str::to_string)
    };
    let name = cells.name.clone().or_else(from_email).ok_or_else(|| {
        row.error_at(
            Field::EmployeeNo,
            "no person has this employee number, and the row has no name to register them \
             with",
        )
    })?;
    Ok(PersonPlan::New(PersonFields {
        employee_no: cells.employee_no.clone(),
        name,
        email: cells.email.clone(),
        department: cells.department.clone(),
        end_date: cells.end_date,
        username: cells.username.clone(),
        manager: None,
        language: cells.language,
    }))
}

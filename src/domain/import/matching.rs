//! Finding the person and the device a row means, and what its handout will do, before
//! anything is written: a refused row leaves nothing behind. In a bulk load the Bloom filter
//! ([`crate::domain::known_keys`]) rules out most look-ups of keys the register cannot
//! hold.

use super::OnConflict;
use super::cells::{PersonCells, RowKeys, in_serial_form};
use super::session::Session;
use crate::domain::custody::refusal_for;
use crate::domain::known_keys::KeyHash;
use crate::domain::rules::Move;
use crate::error::Result;
use crate::import::{Field, Row};
use crate::model::{Device, PersonId};
use crate::store::{self, people::PersonFields};
use crate::validate::local_date;
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
    pub(super) fn device_by_serial(
        &self,
        serial: &str,
        key: Option<KeyHash>,
    ) -> Result<Option<Device>> {
        if !self.may_hold(key) {
            return Ok(None);
        }
        store::devices::by_serial(self.tx, serial)
    }

    /// `key` is the tag's, looked up among serials and tags alike.
    pub(super) fn device_by_asset_tag(
        &self,
        tag: &str,
        key: Option<KeyHash>,
    ) -> Result<Option<Device>> {
        if !self.may_hold(key) {
            return Ok(None);
        }
        store::devices::by_asset_tag(self.tx, tag)
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
    /// Whether the row's asset tag may be another device's tag or serial (see
    /// [`ensure_unique_asset_tag`]).
    pub(super) fn tag_may_name_a_device(&self, tag: &str, keys: &RowKeys) -> bool {
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
}

/// What a handout row does to the device's custody.
#[derive(Debug, Clone, Copy)]
pub(super) enum Holding {
    None,
    HandOut,
    /// The person already holds it: the same handout again.
    Duplicate,
    /// Someone else holds it (that handout, since then): return and hand out.
    Transfer(crate::model::HandoutId, DateTime<Utc>),
}

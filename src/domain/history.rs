//! The chain of custody of a device, or everything that happened to and with a person.

use super::ambiguous::Ambiguous;
use super::{Register, find_device, find_person, search};
use crate::error::{Error, Result};
use crate::model::{CustodySpan, Device, Event, Person};
use crate::refusal::Refusal;
use crate::store::Transaction;
use serde::Serialize;

/// What a history is about.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Device(Device),
    Person(Person),
}

#[derive(Debug, Clone)]
pub struct History {
    pub subject: Subject,
    /// Who held what from when to when, oldest first.
    pub custody: Vec<CustodySpan>,
    /// Everything recorded, in the order it was recorded.
    pub events: Vec<Event>,
}

impl Register {
    /// A reference that names both a device and a person is refused rather than guessed.
    pub fn history(&self, reference: &str) -> Result<History> {
        self.read(|conn| history_in(conn, reference))
    }
}

fn history_in(conn: &dyn Transaction, reference: &str) -> Result<History> {
    if reference.trim().is_empty() {
        return Err(Refusal::NoDeviceOrPersonGiven.into());
    }
    let device = find_device(conn, reference).ok().flatten();
    let person = match find_person(conn, reference) {
        Ok(person) => person,
        Err(Error::Refusal(Refusal::NoPersonGiven)) => None,
        Err(other) if device.is_none() => return Err(other),
        Err(_) => None,
    };
    match (device, person) {
        (Some(device), None) => Ok(History {
            custody: conn.handouts().custody_of_device(device.id)?,
            events: conn.events().for_device(device.id)?,
            subject: Subject::Device(device),
        }),
        (None, Some(person)) => Ok(History {
            custody: conn.handouts().custody_of_person(person.id)?,
            events: conn.events().for_person(person.id)?,
            subject: Subject::Person(person),
        }),
        (Some(device), Some(person)) => Err(Error::Ambiguous(Ambiguous::DeviceAndPerson {
            query: reference.to_string(),
            serial: device.serial,
            person: person.label(),
            person_reference: person.reference(),
        })),
        (None, None) => Err(Error::Unknown(super::unknown::Unknown::DeviceOrPerson {
            query: crate::validate::shorten(reference.trim()),
            nearest: search::suggestions(conn, reference)?,
        })),
    }
}

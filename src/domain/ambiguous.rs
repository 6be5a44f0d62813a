//! A reference that names more than one thing, with what it names. A front end words it:
//! its `Display` is the domain's sentence, which names no command; the command line adds
//! the command that shows a device instead.

use std::fmt;

/// What a reference matched more than one of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ambiguous {
    /// A full name several people have.
    People {
        name: String,
        /// "4471 (Gatukontoret)": each one's reference and department, to give instead.
        candidates: Vec<String>,
    },
    /// `history`: a reference that is both a device's serial number or asset tag and a
    /// person's employee number or name.
    DeviceAndPerson {
        /// As typed.
        query: String,
        serial: String,
        /// [`crate::model::Person::label`].
        person: String,
        /// [`crate::model::Person::reference`]: what names the person alone.
        person_reference: String,
    },
}

impl fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ambiguous::People { name, candidates } => write!(
                f,
                "{} people are called {name}: {}; give one of these instead",
                candidates.len(),
                candidates.join(", ")
            ),
            Ambiguous::DeviceAndPerson {
                query,
                serial,
                person,
                person_reference,
            } => write!(
                f,
                "{query:?} names both the device {serial} and {person}; for the device's \
                 history give its asset tag, for the person's give their e-mail address or \
                 #ID ({person_reference})"
            ),
        }
    }
}

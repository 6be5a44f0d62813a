//! The e-mail notices `notify` sends, as typed data: whom each goes to and what it says. The
//! domain plans them ([`crate::domain::Register::plan_notices`]); [`crate::render::notice`]
//! words them in their reader's language.

use super::{Checklist, Overdue};
use crate::model::{Language, NoticeKind, Person, PersonId, Recipient};
use serde::Serialize;

/// Whom a notice goes to. `email` is `None` when the register has no address for them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addressee {
    #[serde(skip)]
    pub person: Option<PersonId>,
    pub name: String,
    pub email: Option<String>,
    /// The language to write to them in, when the register knows it.
    pub language: Option<Language>,
}

impl Addressee {
    pub(crate) fn of(person: &Person) -> Addressee {
        Addressee {
            person: Some(person.id),
            name: person.name.clone(),
            email: person.email.clone(),
            language: person.language,
        }
    }
}

/// What a notice says, as typed data; the front end words it.
#[derive(Debug, Clone, PartialEq)]
pub enum NoticeContent {
    /// A reminder before the last working day (to the leaver or their manager).
    Leaving {
        checklist: Checklist,
        days_left: u32,
        manager: Option<Person>,
    },
    /// The day after: what is still held.
    StillHeld {
        checklist: Checklist,
        manager: Option<Person>,
    },
    /// The IT desk's weekly list.
    Weekly { overdue: Overdue },
}

/// One notice planned for today.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// What it is about: `leaving:42:2026-12-17:14`, `still_held:42:2026-12-17`,
    /// `weekly:2026-W49`.
    pub subject: String,
    pub kind: NoticeKind,
    pub recipient: Recipient,
    /// `None`: nobody to send it to (no manager, or no IT desk address set).
    pub to: Option<Addressee>,
    pub about_person: Option<PersonId>,
    pub content: NoticeContent,
}

impl Notice {
    /// Where it goes, when it can go anywhere.
    pub fn address(&self) -> Option<&str> {
        self.to.as_ref().and_then(|to| to.email.as_deref())
    }
}

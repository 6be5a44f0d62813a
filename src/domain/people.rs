//! Adding, changing and listing people.

use super::writes::Writes;
use super::{Register, resolve_person, rules};
use crate::error::{Error, Result};
use crate::model::{Event, Holdings, Language, Person, PersonId};
use crate::refusal::{OfErased, Refusal};
use crate::store::Transaction;
use crate::store::people::PersonFields;
use crate::validate::{clean_email, clean_employee_no, clean_optional_text, clean_text};
use chrono::NaiveDate;
use serde::Serialize;

/// A new person, as typed.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub department: Option<String>,
    pub end_date: Option<NaiveDate>,
    /// The login the directory knows them by.
    pub username: Option<String>,
    /// Their manager: an employee number, e-mail address or name, as `person` takes.
    pub manager: Option<String>,
    pub language: Option<Language>,
}

/// Why a person cannot be erased (yet), with the facts the front ends word it from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgetRefusal {
    /// "Name (number)".
    pub person: String,
    /// How the request named them.
    pub reference: String,
    pub why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Erased,
    NoLastDay,
    StillWorking(NaiveDate),
    /// The serials of what they still hold.
    StillHolds(Vec<String>),
}

impl std::fmt::Display for ForgetRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let person = &self.person;
        match &self.why {
            Why::Erased => write!(f, "{person} has been erased already"),
            Why::NoLastDay => write!(
                f,
                "{person} has no last working day in the register; a person can be erased \
                 once they have left"
            ),
            Why::StillWorking(end) => write!(
                f,
                "{person} works here until {end}; a person can be erased once they have left"
            ),
            Why::StillHolds(serials) => {
                let (count, them) = match serials.len() {
                    1 => ("1 item".to_string(), "it"),
                    n => (format!("{n} items"), "them"),
                };
                write!(
                    f,
                    "{person} still holds {count}: {}; take {them} back first",
                    serials.join(", ")
                )
            }
        }
    }
}

/// A person after `person edit`, and the fields that changed (none: nothing did).
#[derive(Debug, Clone, Serialize)]
pub struct PersonEdited {
    pub person: Person,
    pub changed: Vec<&'static str>,
}

/// Changes to a person: `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct PersonEdit {
    pub employee_no: Option<String>,
    pub name: Option<String>,
    pub email: Option<Option<String>>,
    pub department: Option<Option<String>>,
    pub end_date: Option<Option<NaiveDate>>,
    pub username: Option<Option<String>>,
    /// A reference to the manager, as [`PersonInput::manager`].
    pub manager: Option<Option<String>>,
    pub language: Option<Option<Language>>,
}

/// What `person forget` did.
#[derive(Debug, Clone, Serialize)]
pub struct ForgetOutcome {
    /// How the person was named before: said once, on the terminal, and kept out of JSON
    /// (it is what was erased).
    #[serde(skip)]
    pub former: String,
    /// The person as the register shows them now: a pseudonym.
    pub person: Person,
    /// False when another handback process was reading and kept the write-ahead log from
    /// being emptied: old copies of the page stay in it until its next checkpoint.
    pub scrubbed: bool,
}

/// The name an erased person is shown by, in listings and in every device's history.
fn pseudonym(id: PersonId) -> String {
    format!("Raderad person {}", id.0)
}

/// Refuses a number or e-mail address that belongs to someone else.
pub(crate) fn ensure_unique_person(
    conn: &dyn Transaction,
    fields: &PersonFields,
    own: Option<PersonId>,
) -> Result<()> {
    if let Some(number) = &fields.employee_no
        && let Some(other) = conn.people().by_employee_no(number)?
        && Some(other.id) != own
    {
        return Err(Refusal::EmployeeNumberTaken {
            number: number.clone(),
            name: other.name,
        }
        .into());
    }
    if let Some(email) = &fields.email
        && let Some(other) = conn.people().by_email(email)?
        && Some(other.id) != own
    {
        return Err(Refusal::EmailTaken {
            email: email.clone(),
            person: other.label(),
        }
        .into());
    }
    if let Some(username) = &fields.username
        && let Some(other) = conn.people().by_username(username)?
        && Some(other.id) != own
    {
        return Err(Refusal::UsernameTaken {
            username: username.clone(),
            person: other.label(),
        }
        .into());
    }
    Ok(())
}

/// A manager a list named that the register does not know (or the person themselves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownManager {
    /// Where the list names them: its line (0 when it has none, as a directory).
    pub line: u64,
    /// The person whose manager it is.
    pub person: String,
    /// The manager as the list wrote them.
    pub manager: String,
}

/// Gives each person the manager their list names, once every person of the list is in the
/// register (a list names managers further down it). A reference the register cannot
/// resolve to someone else leaves the manager as it was and is returned.
pub(crate) fn assign_managers(
    writes: &Writes<'_>,
    wanted: &[(PersonId, String, u64)],
    file: Option<&str>,
) -> Result<Vec<UnknownManager>> {
    let tx = writes.tx;
    let mut unknown = Vec::new();
    for (id, reference, line) in wanted {
        let person = tx.people().get(*id)?;
        let found = match crate::domain::find_person(tx, reference) {
            Ok(found) => found.filter(|manager| manager.id != *id),
            // Several people of that name: no one is chosen for the list.
            Err(Error::Ambiguous(_)) => None,
            Err(other) => return Err(other),
        };
        let Some(manager) = found else {
            unknown.push(UnknownManager {
                line: *line,
                person: person.label(),
                manager: reference.clone(),
            });
            continue;
        };
        if person.manager != Some(manager.id) {
            let before = PersonFields::from(&person);
            let after = PersonFields {
                manager: Some(manager.id),
                ..before.clone()
            };
            let origin = file.map(|file| crate::model::ImportRef { file, line: *line });
            writes.edit_person(*id, &before, &after, origin)?;
        }
    }
    Ok(unknown)
}

/// The manager a reference names; nobody may manage themselves.
pub(crate) fn resolve_manager(
    conn: &dyn Transaction,
    reference: &str,
    own: Option<PersonId>,
    own_label: &str,
) -> Result<PersonId> {
    let manager = resolve_person(conn, reference)?;
    if Some(manager.id) == own {
        return Err(Refusal::OwnManager {
            person: own_label.to_string(),
        }
        .into());
    }
    Ok(manager.id)
}

impl Register {
    pub fn add_person(&mut self, input: &PersonInput) -> Result<Person> {
        let fields = PersonFields {
            employee_no: Some(clean_employee_no(&input.employee_no)?),
            name: clean_text("name", &input.name)?,
            email: input.email.as_deref().map(clean_email).transpose()?,
            department: clean_optional_text("department", input.department.as_deref())?,
            end_date: input.end_date,
            username: clean_optional_text("user name", input.username.as_deref())?,
            manager: None,
            language: input.language,
        };
        self.write(|tx, ctx| {
            let mut fields = fields.clone();
            if let Some(manager) = &input.manager {
                fields.manager = Some(resolve_manager(tx, manager, None, &fields.name)?);
            }
            ensure_unique_person(tx, &fields, None)?;
            let id = Writes::new(tx, ctx)?.add_person(&fields, None)?;
            tx.people().get(id)
        })
    }

    /// The person after the change and the names of the fields that changed.
    pub fn edit_person(&mut self, reference: &str, edit: &PersonEdit) -> Result<PersonEdited> {
        let employee_no = edit
            .employee_no
            .as_deref()
            .map(clean_employee_no)
            .transpose()?;
        let name = edit
            .name
            .as_deref()
            .map(|n| clean_text("name", n))
            .transpose()?;
        let email = match &edit.email {
            Some(Some(e)) => Some(Some(clean_email(e)?)),
            other => other.clone(),
        };
        let department = match &edit.department {
            Some(d) => Some(clean_optional_text("department", d.as_deref())?),
            None => None,
        };
        let username = match &edit.username {
            Some(u) => Some(clean_optional_text("user name", u.as_deref())?),
            None => None,
        };
        self.write(|tx, ctx| {
            let person = resolve_person(tx, reference)?;
            if person.erased {
                return Err(Refusal::Erased {
                    person: person.label(),
                    wanted: OfErased::Edit,
                }
                .into());
            }
            let before = PersonFields::from(&person);
            let after = PersonFields {
                employee_no: employee_no.clone().or(before.employee_no.clone()),
                name: name.clone().unwrap_or(before.name.clone()),
                email: email.clone().unwrap_or(before.email.clone()),
                department: department.clone().unwrap_or(before.department.clone()),
                end_date: edit.end_date.unwrap_or(before.end_date),
                username: username.clone().unwrap_or(before.username.clone()),
                manager: match &edit.manager {
                    Some(Some(manager)) => Some(resolve_manager(
                        tx,
                        manager,
                        Some(person.id),
                        &person.label(),
                    )?),
                    Some(None) => None,
                    None => before.manager,
                },
                language: edit.language.unwrap_or(before.language),
            };
            ensure_unique_person(tx, &after, Some(person.id))?;
            let (changed, _) =
                Writes::new(tx, ctx)?.edit_person(person.id, &before, &after, None)?;
            Ok(PersonEdited {
                person: tx.people().get(person.id)?,
                changed,
            })
        })
    }

    /// Erases a person who has left and holds nothing: name, e-mail address and employee
    /// number are replaced by a pseudonym everywhere (events refer to people by id, so the
    /// history reads the pseudonym), the erasure is itself an event that holds none of the
    /// erased data, and afterwards no copy of the old values stays in the register's files.
    pub fn forget_person(&mut self, reference: &str, today: NaiveDate) -> Result<ForgetOutcome> {
        let (former, person) = self.write(|tx, ctx| {
            let person = resolve_person(tx, reference)?;
            let label = person.label();
            let refusal = |why: Why| {
                Error::Forget(ForgetRefusal {
                    person: label.clone(),
                    reference: reference.trim().to_string(),
                    why,
                })
            };
            if person.erased {
                return Err(refusal(Why::Erased));
            }
            match person.end_date {
                None => return Err(refusal(Why::NoLastDay)),
                Some(end) if end > today => return Err(refusal(Why::StillWorking(end))),
                Some(_) => {}
            }
            let held = tx.handouts().held_items(person.id, ctx.zone)?;
            if !held.is_empty() {
                let serials = held.into_iter().map(|i| i.serial).collect();
                return Err(refusal(Why::StillHolds(serials)));
            }
            Writes::new(tx, ctx)?.erase_person(person.id, &pseudonym(person.id))?;
            Ok((label, tx.people().get(person.id)?))
        })?;
        let scrubbed = self.store().scrub()?;
        Ok(ForgetOutcome {
            former,
            person,
            scrubbed,
        })
    }

    pub fn list_people(
        &self,
        department: Option<&str>,
        left_before: Option<NaiveDate>,
    ) -> Result<Vec<Person>> {
        self.read(|tx| tx.people().list(department, left_before))
    }

    /// A person and everything they hold: `holdings` and `person show`.
    pub fn holdings(&self, reference: &str) -> Result<Holdings> {
        self.read(|conn| {
            let person = resolve_person(conn, reference)?;
            let items = conn.handouts().held_items(person.id, self.zone())?;
            let manager = person.manager.map(|id| conn.people().get(id)).transpose()?;
            Ok(Holdings {
                person,
                items,
                manager,
            })
        })
    }

    /// What a person holds and everything recorded about them, in one snapshot: a person's
    /// page.
    pub fn holdings_and_events(&self, reference: &str) -> Result<(Holdings, Vec<Event>)> {
        self.read(|conn| {
            let person = resolve_person(conn, reference)?;
            let items = conn.handouts().held_items(person.id, self.zone())?;
            let events = conn.events().for_person(person.id)?;
            let manager = person.manager.map(|id| conn.people().get(id)).transpose()?;
            Ok((
                Holdings {
                    person,
                    items,
                    manager,
                },
                events,
            ))
        })
    }
}

/// A person's last working day is the due date of everything they hold: when it changes
/// (`leave`, `person edit --end-date`, an HR import), each open handout is due on the earlier
/// of its own due date and the new day (see [`rules::due_back`]); with no last day, on its
/// own date again. Returns the handouts whose due date changed, in the order held.
pub(crate) fn follow_end_date(
    tx: &dyn Transaction,
    person: PersonId,
    end_date: Option<NaiveDate>,
) -> Result<Vec<DueChange>> {
    let mut changed = Vec::new();
    for handout in tx.handouts().open_for_person(person)? {
        let due = rules::due_back(handout.own_due_back, end_date);
        if due != handout.due_back {
            tx.handouts().set_due_back(handout.id, due)?;
            changed.push(DueChange {
                serial: tx.devices().get(handout.device_id)?.serial,
                due_back: due,
            });
        }
    }
    Ok(changed)
}

/// A handout whose due date followed its holder's last working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueChange {
    pub serial: String,
    pub due_back: Option<NaiveDate>,
}

/// The serials of `changes`, as an event's `due_back_set` names them.
pub(crate) fn changed_serials(changes: &[DueChange]) -> Vec<&str> {
    changes.iter().map(|c| c.serial.as_str()).collect()
}

pub(crate) fn changed_fields(before: &PersonFields, after: &PersonFields) -> Vec<&'static str> {
    [
        ("employee_no", before.employee_no != after.employee_no),
        ("name", before.name != after.name),
        ("email", before.email != after.email),
        ("department", before.department != after.department),
        ("end_date", before.end_date != after.end_date),
        ("username", before.username != after.username),
        ("manager", before.manager != after.manager),
        ("language", before.language != after.language),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}

//! A row's cells, read and checked without the register: the person, the device and the
//! handout a row names ([`RowCells`]), and the keys it looks them up by ([`RowKeys`]). This
//! is the reading thread's share of a row's work (see [`super::pipeline`]); the writer
//! only matches and applies what it finds here.

use crate::domain::known_keys::{KeyHash, Lookup};
use crate::error::Result;
use crate::import::{Field, ListKind, Row};
use crate::model::{Device, EventDetails, ImportRef, Status};
use crate::store::people::name_key;
use crate::store::{devices::DeviceFields, people::PersonFields};
use crate::validate::{clean_email, clean_employee_no, clean_note, clean_text, local_moment};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};

/// The person a row names, as far as the row says.
#[derive(Debug, Default)]
pub(super) struct PersonCells {
    pub(super) employee_no: Option<String>,
    pub(super) name: Option<String>,
    pub(super) email: Option<String>,
    pub(super) department: Option<String>,
    pub(super) end_date: Option<NaiveDate>,
    pub(super) username: Option<String>,
    /// The manager as the row names them, found once the whole file is in.
    pub(super) manager: Option<String>,
    pub(super) language: Option<crate::model::Language>,
}

impl PersonCells {
    pub(super) fn read(row: &Row) -> Result<Option<PersonCells>> {
        let name = row
            .typed(Field::Name, |n| clean_text("name", n))?
            .or(row.typed(Field::Username, |n| clean_text("user name", n))?);
        let cells = PersonCells {
            employee_no: row.typed(Field::EmployeeNo, clean_employee_no)?,
            email: row.typed(Field::Email, clean_email)?,
            department: row.typed(Field::Department, |d| clean_text("department", d))?,
            end_date: row.date(Field::EndDate)?,
            username: row.typed(Field::Username, |n| clean_text("user name", n))?,
            manager: row.typed(Field::Manager, |m| clean_text("manager", m))?,
            language: row.typed(Field::Language, crate::import::language_cell)?,
            name,
        };
        let names_someone =
            cells.employee_no.is_some() || cells.email.is_some() || cells.name.is_some();
        Ok(names_someone.then_some(cells))
    }

    /// Writes the key a file's repeated rows for one person share into `key` (a buffer
    /// reused from row to row).
    pub(super) fn cache_key(&self, key: &mut String) {
        key.clear();
        match (&self.employee_no, &self.email, &self.name) {
            (Some(number), _, _) => {
                key.push_str("n:");
                key.push_str(number);
            }
            (None, Some(email), _) => {
                key.push_str("e:");
                key.push_str(&email.to_lowercase());
            }
            (None, None, Some(name)) => {
                key.push_str("m:");
                key.push_str(&name_key(name));
            }
            (None, None, None) => {}
        }
    }

    /// Whether [`PersonCells::merged_over`] `current` would differ from it.
    pub(super) fn would_change(&self, current: &PersonFields) -> bool {
        fn differs<T: PartialEq + ?Sized>(cell: Option<&T>, current: Option<&T>) -> bool {
            cell.is_some_and(|cell| Some(cell) != current)
        }
        differs(self.employee_no.as_deref(), current.employee_no.as_deref())
            || differs(self.name.as_deref(), Some(current.name.as_str()))
            || differs(self.email.as_deref(), current.email.as_deref())
            || differs(self.department.as_deref(), current.department.as_deref())
            || differs(self.end_date.as_ref(), current.end_date.as_ref())
            || differs(self.username.as_deref(), current.username.as_deref())
            || differs(self.language.as_ref(), current.language.as_ref())
    }

    /// Non-empty cells overwrite, empty cells keep.
    pub(super) fn merged_over(&self, current: &PersonFields) -> PersonFields {
        PersonFields {
            employee_no: self.employee_no.clone().or(current.employee_no.clone()),
            name: self.name.clone().unwrap_or(current.name.clone()),
            email: self.email.clone().or(current.email.clone()),
            department: self.department.clone().or(current.department.clone()),
            end_date: self.end_date.or(current.end_date),
            username: self.username.clone().or(current.username.clone()),
            manager: current.manager,
            language: self.language.or(current.language),
        }
    }
}

/// The device a row names.
#[derive(Debug)]
pub(super) struct DeviceCells {
    /// `None` only when the row has no serial; it may still name a known asset tag.
    pub(super) serial: Option<String>,
    pub(super) asset_tag: Option<String>,
    pub(super) kind: Option<String>,
    pub(super) make: Option<String>,
    pub(super) model: Option<String>,
    pub(super) purchased: Option<NaiveDate>,
    pub(super) status: Option<Status>,
    /// The device these cells register if the register does not know it: made by the
    /// reading thread, so that the writer need not copy the cells for most rows.
    pub(super) as_new: DeviceFields,
}

impl DeviceCells {
    /// `today` bounds the purchase date.
    pub(super) fn read(row: &Row, today: NaiveDate) -> Result<DeviceCells> {
        let serial = row.serial()?;
        let text = |field, what| row.typed(field, |v| clean_text(what, v));
        let mut cells = DeviceCells {
            serial,
            asset_tag: text(Field::AssetTag, "asset tag")?,
            kind: text(Field::Kind, "kind")?
                .map(|k| crate::model::canonical_kind(&k))
                .or_else(|| row.serial_column_kind().map(str::to_string)),
            make: text(Field::Make, "make")?,
            model: text(Field::Model, "model")?,
            purchased: row
                .date(Field::Purchased)?
                .map(|date| {
                    crate::validate::purchase_date(date, today)
                        .map_err(|e| row.error_at(Field::Purchased, &e.to_string()))
                })
                .transpose()?,
            status: row.status()?,
            as_new: DeviceFields::default(),
        };
        cells.as_new = cells.merged_over(None);
        Ok(cells)
    }

    /// Non-empty cells overwrite, empty cells keep; a new device of no stated kind is `other`.
    pub(super) fn merged_over(&self, current: Option<&Device>) -> DeviceFields {
        DeviceFields {
            serial: current
                .map(|d| d.serial.clone())
                .or(self.serial.clone())
                .unwrap_or_default(),
            asset_tag: self
                .asset_tag
                .clone()
                .or(current.and_then(|d| d.asset_tag.clone())),
            kind: self
                .kind
                .clone()
                .or(current.map(|d| d.kind.clone()))
                .unwrap_or_else(|| "other".into()),
            make: self.make.clone().or(current.and_then(|d| d.make.clone())),
            model: self.model.clone().or(current.and_then(|d| d.model.clone())),
            purchased: self.purchased.or(current.and_then(|d| d.purchased)),
        }
    }
}

/// The handout a row records.
#[derive(Debug)]
pub(super) struct HandoutCells {
    pub(super) at: DateTime<Utc>,
    /// The row had no date: `at` is the moment of the import.
    pub(super) undated: bool,
    /// The row's date had a time of day; without one, the day alone is what it says.
    pub(super) timed: bool,
    pub(super) by: Option<String>,
    pub(super) due: Option<NaiveDate>,
    pub(super) note: Option<String>,
}

impl HandoutCells {
    pub(super) fn read(row: &Row, now: DateTime<Utc>, zone: Zone) -> Result<HandoutCells> {
        let dated = row.date_time(Field::HandedOutOn)?;
        let at = match dated {
            Some((date, time)) => local_moment(date, time, now, zone)
                .map_err(|e| row.error_at(Field::HandedOutOn, &e.to_string()))?,
            None => now,
        };
        Ok(HandoutCells {
            at,
            undated: dated.is_none(),
            timed: dated.is_some_and(|(_, time)| time.is_some()),
            by: row.typed(Field::HandedOutBy, |b| clean_text("technician", b))?,
            due: row.date(Field::DueBack)?,
            note: row.typed(Field::Note, clean_note)?,
        })
    }
}

/// Everything a row says, read and checked without the register: the part of a row's work
/// that the reading thread does while the writing thread applies the rows before it.
#[derive(Debug)]
pub(super) struct RowCells {
    pub(super) person: Option<PersonCells>,
    /// `None` in a list of people.
    pub(super) device: Option<DeviceCells>,
    /// Only with a person and a device.
    pub(super) handout: Option<HandoutCells>,
    /// The details of the handout event for the row's usual fate, a new device handed out,
    /// written by the reading thread: see [`NewHandoutDetails`].
    pub(super) new_handout_details: Option<NewHandoutDetails>,
    pub(super) keys: RowKeys,
}

/// The JSON details of a row's handout event if its device is new to the register, it is
/// a plain handout (not a transfer) and it is due back on `due_back`; the writer checks
/// these and writes its own details when one does not hold.
#[derive(Debug)]
pub(super) struct NewHandoutDetails {
    pub(super) due_back: Option<NaiveDate>,
    pub(super) json: String,
}

/// The keys a row looks people and devices up by and adds to the register, hashed by the
/// reading thread for the bulk load's filter ([`KnownKeys`]). A row only ever writes values
/// of its own cells or keeps those the register has, so its cells' keys are all it adds.
#[derive(Debug, Default)]
pub(super) struct RowKeys {
    pub(super) serial: Option<KeyHash>,
    pub(super) asset_tag: Option<KeyHash>,
    /// The asset tag in serial form, where that differs (see `tag_may_name_a_device`).
    pub(super) tag_as_serial: Option<KeyHash>,
    pub(super) employee_no: Option<KeyHash>,
    pub(super) email: Option<KeyHash>,
    /// The name the person is registered under: the row's name, else its e-mail address.
    pub(super) name: Option<KeyHash>,
    pub(super) name_without_number: Option<KeyHash>,
}

impl RowKeys {
    pub(super) fn of(person: Option<&PersonCells>, device: Option<&DeviceCells>) -> RowKeys {
        let key = |lookup, value: Option<&String>| value.map(|v| KeyHash::of(lookup, v));
        let name = person.and_then(|p| p.name.as_ref().or(p.email.as_ref()));
        let tag = device.and_then(|d| d.asset_tag.as_ref());
        RowKeys {
            serial: key(Lookup::Device, device.and_then(|d| d.serial.as_ref())),
            asset_tag: key(Lookup::Device, tag),
            tag_as_serial: tag
                .filter(|tag| !in_serial_form(tag))
                .and_then(|tag| crate::validate::normalize_serial(tag).ok())
                .map(|serial| KeyHash::of(Lookup::Device, &serial)),
            employee_no: key(
                Lookup::EmployeeNo,
                person.and_then(|p| p.employee_no.as_ref()),
            ),
            email: key(Lookup::Email, person.and_then(|p| p.email.as_ref())),
            name: key(Lookup::Name, name),
            name_without_number: key(Lookup::NameWithoutNumber, name),
        }
    }
}

/// Whether an asset tag is its own serial form already (most are).
pub(super) fn in_serial_form(tag: &str) -> bool {
    tag.is_ascii()
        && !tag
            .bytes()
            .any(|b| b.is_ascii_lowercase() || char::from(b).is_whitespace())
}

/// What the reading thread needs to know of the import.
#[derive(Debug, Clone, Copy)]
pub(super) struct ReadContext<'a> {
    pub(super) kind: ListKind,
    /// Stands in for a missing handout date.
    pub(super) now: DateTime<Utc>,
    /// The register's time zone, which a list's dates and times are read in.
    pub(super) zone: Zone,
    /// The file's name, as events name it.
    pub(super) file: &'a str,
}

impl RowCells {
    /// The cells of one row.
    pub(super) fn read(row: &Row, context: ReadContext<'_>) -> Result<RowCells> {
        let ReadContext {
            kind,
            now,
            zone,
            file,
        } = context;
        let person = match kind {
            ListKind::Devices => None,
            ListKind::People | ListKind::Handouts => PersonCells::read(row)?,
        };
        // A wide list's row with no device: a person who holds none of its kinds.
        if kind == ListKind::People || (person.is_some() && row.names_no_device()) {
            return match person {
                Some(person) => Ok(RowCells {
                    keys: RowKeys::of(Some(&person), None),
                    person: Some(person),
                    device: None,
                    handout: None,
                    new_handout_details: None,
                }),
                None => Err(row.error_at(
                    Field::Name,
                    "the row names nobody: no employee number, e-mail or name",
                )),
            };
        }
        let device = DeviceCells::read(row, zone.date_of(now))?;
        let handout = match &person {
            Some(_) => Some(HandoutCells::read(row, now, zone)?),
            None => None,
        };
        // A person's last day is theirs as the row says it or, if it says none, as the
        // register has it: the writer knows which.
        let new_handout_details = match (&person, &handout) {
            (Some(person), Some(handout)) => {
                let due = crate::domain::rules::due_back(handout.due, person.end_date);
                let details = EventDetails {
                    due_back: due,
                    note: handout.note.as_deref(),
                    registered: Some(crate::domain::devices::registered(&device.as_new)),
                    ..EventDetails::none()
                }
                .imported(ImportRef {
                    file,
                    line: row.line,
                });
                // Were the text to fail, the writer writes its own.
                details.to_text().ok().map(|json| NewHandoutDetails {
                    due_back: due,
                    json,
                })
            }
            _ => None,
        };
        Ok(RowCells {
            keys: RowKeys::of(person.as_ref(), Some(&device)),
            person,
            device: Some(device),
            handout,
            new_handout_details,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The previous row's person is copied only when a row changes them: exactly when
        /// merging the row's cells over them would.
        #[test]
        fn a_row_changes_a_person_exactly_when_merging_it_would(
            cells in proptest::array::uniform5(proptest::option::of("[ab]")),
            current in proptest::array::uniform5(proptest::option::of("[ab]")),
        ) {
            let date = |v: &Option<String>| {
                v.as_ref().map(|v| NaiveDate::from_ymd_opt(2026, 1, if v == "a" { 1 } else { 2 }).unwrap())
            };
            let cells = PersonCells {
                employee_no: cells[0].clone(),
                name: cells[1].clone(),
                email: cells[2].clone(),
                department: cells[3].clone(),
                end_date: date(&cells[4]),
                username: None,
                manager: None,
                language: None,
            };
            let current = PersonFields {
                employee_no: current[0].clone(),
                name: current[1].clone().unwrap_or_default(),
                email: current[2].clone(),
                department: current[3].clone(),
                end_date: date(&current[4]),
                username: None,
                manager: None,
                language: None,
            };
            let merged = cells.merged_over(&current);
            prop_assert_eq!(
                cells.would_change(&current),
                !crate::domain::people::changed_fields(&current, &merged).is_empty()
            );
        }
    }
}

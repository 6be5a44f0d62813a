//! People: the seam's view of the `person` aggregate.

use crate::error::Result;
use crate::model::{Language, Person, PersonId};
use chrono::{DateTime, NaiveDate, Utc};

/// A person's fields as they are written. `None` means "no value".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonFields {
    pub employee_no: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub department: Option<String>,
    pub end_date: Option<NaiveDate>,
    pub username: Option<String>,
    pub manager: Option<PersonId>,
    pub language: Option<Language>,
}
/// What a person is searched by, borrowed from their row.
pub struct SearchKeys<'a> {
    pub id: PersonId,
    pub employee_no: Option<&'a str>,
    pub name: &'a str,
    pub email: Option<&'a str>,
}

pub trait People {
    fn update(&self, id: PersonId, fields: &PersonFields) -> Result<()>;

    /// Replaces a person's name, e-mail address and employee number with a pseudonym and marks
    /// them erased. Department and last working day stay: they say nothing about who it was.
    fn erase(&self, id: PersonId, pseudonym: &str, now: DateTime<Utc>) -> Result<()>;

    fn get(&self, id: PersonId) -> Result<Person>;

    fn by_id(&self, id: PersonId) -> Result<Option<Person>>;

    fn by_employee_no(&self, employee_no: &str) -> Result<Option<Person>>;

    fn by_email(&self, email: &str) -> Result<Option<Person>>;

    /// Everyone with this name (case and spacing ignored), oldest entry first; erased people
    /// have no name.
    fn by_name(&self, name: &str) -> Result<Vec<Person>>;

    /// People of this name registered without an employee number: the only ones a row that has
    /// a number can mean by the name alone. Unlike [`People::by_name`] this stays one index step however
    /// many people share a common name.
    fn by_name_without_number(&self, name: &str) -> Result<Vec<Person>>;

    /// People filtered by department and by a last working day before a date, sorted by
    /// department and name.
    fn list(&self, department: Option<&str>, left_before: Option<NaiveDate>)
    -> Result<Vec<Person>>;

    /// Every department people are in (as written, each once), sorted.
    fn departments(&self) -> Result<Vec<String>>;

    /// Whether anyone is in `department`, compared as the department filters compare it (ASCII
    /// case ignored): the exact spelling through the index first.
    fn department_exists(&self, department: &str) -> Result<bool>;

    /// Calls `each` with the keys a search scores of every person not erased, borrowed from
    /// the row (a search reads them all, and builds a [`Person`] only for the best).
    fn for_each_search_key(&self, each: &mut dyn FnMut(SearchKeys<'_>)) -> Result<()>;

    /// Records a last working day (or clears it).
    fn set_end_date(&self, id: PersonId, end_date: Option<NaiveDate>) -> Result<()>;

    /// The person with this login (case ignored).
    fn by_username(&self, username: &str) -> Result<Option<Person>>;

    /// Everyone not erased who has an employee number: the people a sync from HR or the
    /// directory can match, and so the ones it can find gone.
    fn with_employee_no(&self) -> Result<Vec<Person>>;
}

/// A language as the register stores it.
pub fn language_to_sql(language: Language) -> &'static str {
    language.code()
}

/// A stored language; anything else (the schema allows none) reads as no language.
pub fn language_from_sql(code: Option<&str>) -> Option<Language> {
    code.and_then(Language::parse)
}

/// Names are looked up without regard to case or repeated spaces.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    // Most names are ASCII: lowered in place. The rest need Unicode's rules, final sigma and all.
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        key.to_lowercase()
    }
}

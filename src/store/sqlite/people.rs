//! SQL for the `person` table.

use super::Tx;
use super::{date_from_sql, date_to_sql, moment_to_sql, optional};
use crate::error::Result;
use crate::model::{Person, PersonId};
use crate::store::people::{
    People, PersonFields, SearchKeys, language_from_sql, language_to_sql, name_key,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Row, Statement, params};

impl From<&Person> for PersonFields {
    fn from(person: &Person) -> Self {
        PersonFields {
            employee_no: person.employee_no.clone(),
            name: person.name.clone(),
            email: person.email.clone(),
            department: person.department.clone(),
            end_date: person.end_date,
            username: person.username.clone(),
            manager: person.manager,
            language: person.language,
        }
    }
}

const COLUMNS: &str =
    "id, employee_no, name, email, department, end_date, erased_at, username, manager_id, language";

/// [`COLUMNS`] with the `p.` prefix, for queries that join `person p` with other tables.
pub(crate) const JOINED_COLUMNS: &str = "p.id, p.employee_no, p.name, p.email, p.department, \
     p.end_date, p.erased_at, p.username, p.manager_id, p.language";

/// How many columns [`JOINED_COLUMNS`] has.
pub(crate) const PERSON_COLUMNS: usize = 10;

/// `SELECT` of [`COLUMNS`] followed by the rest of a query, as a `&'static str`.
macro_rules! select_person {
    ($rest:literal) => {
        concat!(
            "SELECT id, employee_no, name, email, department, end_date, erased_at, username, \
             manager_id, language FROM person ",
            $rest
        )
    };
}

// The hot look-ups, named so that `query_plans` can check each one uses an index.
pub(crate) const GET: &str = select_person!("WHERE id = ?1");
pub(crate) const BY_EMPLOYEE_NO: &str = select_person!("WHERE employee_no = ?1");
pub(crate) const BY_EMAIL: &str = select_person!("WHERE email = ?1");
pub(crate) const BY_USERNAME: &str = select_person!("WHERE username = ?1");
pub(crate) const BY_NAME: &str = select_person!("WHERE name_key = ?1 AND erased_at IS NULL");
pub(crate) const BY_NAME_WITHOUT_NUMBER: &str =
    select_person!("WHERE name_key = ?1 AND employee_no IS NULL AND erased_at IS NULL");

fn from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    from_row_at(row, 0)
}

/// A person from the [`PERSON_COLUMNS`] [`COLUMNS`] starting at column `start`.
pub(crate) fn from_row_at(row: &Row<'_>, start: usize) -> rusqlite::Result<Person> {
    Ok(Person {
        id: PersonId(row.get(start)?),
        employee_no: row.get(start + 1)?,
        name: row.get(start + 2)?,
        email: row.get(start + 3)?,
        department: row.get(start + 4)?,
        end_date: date_from_sql(row.get(start + 5)?)?,
        erased: row.get::<_, Option<String>>(start + 6)?.is_some(),
        username: row.get(start + 7)?,
        manager: row.get::<_, Option<i64>>(start + 8)?.map(PersonId),
        language: language_from_sql(row.get_ref(start + 9)?.as_str_or_null()?),
    })
}

pub(crate) const INSERT: &str =
    "INSERT INTO person (employee_no, name, name_key, email, department, end_date, created_at,
        username, manager_id, language)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// `People::insert` with [`INSERT`] prepared by the caller, and `now` already formatted
/// ([`moment_to_sql`]).
pub(crate) fn insert_with(
    insert: &mut Statement<'_>,
    fields: &PersonFields,
    now: &str,
) -> Result<PersonId> {
    let id = insert.insert(params![
        fields.employee_no,
        fields.name,
        name_key(&fields.name),
        fields.email,
        fields.department,
        fields.end_date.map(date_to_sql),
        now,
        fields.username,
        fields.manager.map(|m| m.0),
        fields.language.map(language_to_sql),
    ])?;
    Ok(PersonId(id))
}

/// The people a name query finds, sorted by id here rather than by `ORDER BY id`: SQLite
/// re-prepares a statement with that sort after every insert into `person` in the same
/// connection (measured: once per row of an import, a tenth of its time).
fn named(conn: &Connection, sql: &str, name: &str) -> Result<Vec<Person>> {
    let mut people: Vec<Person> = conn
        .prepare_cached(sql)?
        .query_map([name_key(name)], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    people.sort_unstable_by_key(|p| p.id.0);
    Ok(people)
}

pub(crate) const DEPARTMENT_EXACT: &str = "SELECT 1 FROM person WHERE department = ?1 LIMIT 1";

const SEARCH_KEYS: &str = "SELECT id, employee_no, name, email FROM person WHERE erased_at IS NULL";

impl People for Tx<'_> {
    fn update(&self, id: PersonId, fields: &PersonFields) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE person SET employee_no = ?2, name = ?3, name_key = ?4, email = ?5,
                    department = ?6, end_date = ?7, username = ?8, manager_id = ?9,
                    language = ?10
             WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                fields.employee_no,
                fields.name,
                name_key(&fields.name),
                fields.email,
                fields.department,
                fields.end_date.map(date_to_sql),
                fields.username,
                fields.manager.map(|m| m.0),
                fields.language.map(language_to_sql),
            ])?;
        Ok(())
    }

    fn erase(&self, id: PersonId, pseudonym: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE person SET employee_no = NULL, email = NULL, username = NULL, name = ?2,
                    name_key = ?3, erased_at = ?4
             WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                pseudonym,
                name_key(pseudonym),
                moment_to_sql(now)
            ])?;
        Ok(())
    }

    fn get(&self, id: PersonId) -> Result<Person> {
        Ok(self.conn.prepare_cached(GET)?.query_row([id.0], from_row)?)
    }

    fn by_id(&self, id: PersonId) -> Result<Option<Person>> {
        optional(
            self.conn
                .prepare_cached(&format!("SELECT {COLUMNS} FROM person WHERE id = ?1"))?
                .query_row([id.0], from_row),
        )
    }

    fn by_employee_no(&self, employee_no: &str) -> Result<Option<Person>> {
        optional(
            self.conn
                .prepare_cached(BY_EMPLOYEE_NO)?
                .query_row([employee_no], from_row),
        )
    }

    fn by_email(&self, email: &str) -> Result<Option<Person>> {
        optional(
            self.conn
                .prepare_cached(BY_EMAIL)?
                .query_row([email], from_row),
        )
    }

    fn by_name(&self, name: &str) -> Result<Vec<Person>> {
        named(self.conn, BY_NAME, name)
    }

    fn by_name_without_number(&self, name: &str) -> Result<Vec<Person>> {
        named(self.conn, BY_NAME_WITHOUT_NUMBER, name)
    }

    fn list(
        &self,
        department: Option<&str>,
        left_before: Option<NaiveDate>,
    ) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM person
             WHERE (?1 IS NULL OR department = ?1 COLLATE NOCASE)
               AND (?2 IS NULL OR (end_date < ?2 AND erased_at IS NULL))
             ORDER BY department, name_key, employee_no"
        ))?;
        let people = stmt
            .query_map(params![department, left_before.map(date_to_sql)], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(people)
    }

    fn departments(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT department FROM person WHERE department IS NOT NULL ORDER BY department",
        )?;
        let departments = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(departments)
    }

    fn department_exists(&self, department: &str) -> Result<bool> {
        let exists = |sql: &str| -> Result<bool> {
            Ok(self.conn.prepare_cached(sql)?.exists([department])?)
        };
        Ok(exists(DEPARTMENT_EXACT)?
            || exists("SELECT 1 FROM person WHERE department = ?1 COLLATE NOCASE LIMIT 1")?)
    }

    fn for_each_search_key(&self, each: &mut dyn FnMut(SearchKeys<'_>)) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(SEARCH_KEYS)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(SearchKeys {
                id: PersonId(row.get(0)?),
                employee_no: super::text_at(row, 1)?,
                name: super::text_at(row, 2)?.unwrap_or_default(),
                email: super::text_at(row, 3)?,
            });
        }
        Ok(())
    }

    fn set_end_date(&self, id: PersonId, end_date: Option<NaiveDate>) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE person SET end_date = ?2 WHERE id = ?1")?
            .execute(params![id.0, end_date.map(date_to_sql)])?;
        Ok(())
    }

    fn by_username(&self, username: &str) -> Result<Option<Person>> {
        optional(
            self.conn
                .prepare_cached(BY_USERNAME)?
                .query_row([username], from_row),
        )
    }

    fn with_employee_no(&self) -> Result<Vec<Person>> {
        let mut stmt = self.conn.prepare_cached(select_person!(
            "WHERE employee_no IS NOT NULL AND erased_at IS NULL ORDER BY id"
        ))?;
        let people = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(people)
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;
    use proptest::prelude::*;

    proptest! {
        /// The key is the name's words, single-spaced, in Unicode lower case: the same key
        /// whichever way it is computed, as registers already store it.
        #[test]
        fn a_name_key_is_the_words_in_lower_case(name in "[ \tA-Za-zÅÄÖåäöΣσςİß\u{a0}-]{0,24}") {
            let words: Vec<&str> = name.split_whitespace().collect();
            prop_assert_eq!(name_key(&name), words.join(" ").to_lowercase());
        }
    }
}

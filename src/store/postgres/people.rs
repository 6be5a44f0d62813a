//! SQL for the `person` table.

use super::{Tx, get};
use crate::error::Result;
use crate::model::{Person, PersonId};
use crate::store::people::{
    People, PersonFields, SearchKeys, language_from_sql, language_to_sql, name_key,
};
use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;

/// A person's columns, in the order [`from_row_at`] reads them, for queries that join
/// `person p` with other tables.
pub(super) const JOINED_COLUMNS: &str = "p.id, p.employee_no, p.name, p.email, p.department, \
     p.end_date, p.erased_at, p.username, p.manager_id, p.language";

/// How many columns [`JOINED_COLUMNS`] has.
pub(super) const PERSON_COLUMNS: usize = 10;

macro_rules! select_person {
    ($rest:literal) => {
        concat!(
            "SELECT id, employee_no, name, email, department, end_date, erased_at, username, \
             manager_id, language FROM person ",
            $rest
        )
    };
}

/// A person from the [`PERSON_COLUMNS`] columns starting at column `start`.
pub(super) fn from_row_at(row: &Row, start: usize) -> Result<Person> {
    Ok(Person {
        id: PersonId(get(row, start)?),
        employee_no: get(row, start + 1)?,
        name: get(row, start + 2)?,
        email: get(row, start + 3)?,
        department: get(row, start + 4)?,
        end_date: get(row, start + 5)?,
        erased: get::<Option<DateTime<Utc>>>(row, start + 6)?.is_some(),
        username: get(row, start + 7)?,
        manager: get::<Option<i64>>(row, start + 8)?.map(PersonId),
        language: language_from_sql(get::<Option<&str>>(row, start + 9)?),
    })
}

fn from_rows(rows: Vec<Row>) -> Result<Vec<Person>> {
    rows.iter().map(|row| from_row_at(row, 0)).collect()
}

pub(super) const INSERT: &str = "INSERT INTO person (employee_no, name, name_key, email, \
     department, end_date, created_at, username, manager_id, language) \
     VALUES ($1, $2, $3, $4, $5, $6, $7::text::timestamptz, $8, $9, $10) RETURNING id";

impl People for Tx<'_> {
    fn update(&self, id: PersonId, fields: &PersonFields) -> Result<()> {
        self.execute(
            "UPDATE person SET employee_no = $2, name = $3, name_key = $4, email = $5,
                department = $6, end_date = $7, username = $8, manager_id = $9,
                language = $10
             WHERE id = $1",
            &[
                &id.0,
                &fields.employee_no,
                &fields.name,
                &name_key(&fields.name),
                &fields.email,
                &fields.department,
                &fields.end_date,
                &fields.username,
                &fields.manager.map(|m| m.0),
                &fields.language.map(language_to_sql),
            ],
        )?;
        Ok(())
    }

    fn erase(&self, id: PersonId, pseudonym: &str, now: DateTime<Utc>) -> Result<()> {
        self.execute(
            "UPDATE person SET employee_no = NULL, email = NULL, username = NULL, name = $2,
                name_key = $3, erased_at = $4
             WHERE id = $1",
            &[&id.0, &pseudonym, &name_key(pseudonym), &now],
        )?;
        Ok(())
    }

    fn get(&self, id: PersonId) -> Result<Person> {
        from_row_at(&self.row(select_person!("WHERE id = $1"), &[&id.0])?, 0)
    }

    fn by_id(&self, id: PersonId) -> Result<Option<Person>> {
        self.optional_row(select_person!("WHERE id = $1"), &[&id.0])?
            .map(|row| from_row_at(&row, 0))
            .transpose()
    }

    fn by_employee_no(&self, employee_no: &str) -> Result<Option<Person>> {
        self.optional_row(select_person!("WHERE employee_no = $1"), &[&employee_no])?
            .map(|row| from_row_at(&row, 0))
            .transpose()
    }

    fn by_email(&self, email: &str) -> Result<Option<Person>> {
        self.optional_row(select_person!("WHERE lower(email) = lower($1)"), &[&email])?
            .map(|row| from_row_at(&row, 0))
            .transpose()
    }

    fn by_name(&self, name: &str) -> Result<Vec<Person>> {
        from_rows(self.rows(
            select_person!("WHERE name_key = $1 AND erased_at IS NULL ORDER BY id"),
            &[&name_key(name)],
        )?)
    }

    fn by_name_without_number(&self, name: &str) -> Result<Vec<Person>> {
        from_rows(self.rows(
            select_person!(
                "WHERE name_key = $1 AND employee_no IS NULL AND erased_at IS NULL ORDER BY id"
            ),
            &[&name_key(name)],
        )?)
    }

    fn list(
        &self,
        department: Option<&str>,
        left_before: Option<NaiveDate>,
    ) -> Result<Vec<Person>> {
        // Sorted as SQLite sorts text (by bytes, NULL first), whatever the database's locale.
        from_rows(self.rows(
            select_person!(
                "WHERE ($1::text IS NULL OR lower(department) = lower($1))
                   AND ($2::date IS NULL OR (end_date < $2 AND erased_at IS NULL))
                 ORDER BY department COLLATE \"C\" NULLS FIRST, name_key COLLATE \"C\",
                          employee_no COLLATE \"C\" NULLS FIRST"
            ),
            &[&department, &left_before],
        )?)
    }

    fn departments(&self) -> Result<Vec<String>> {
        self.rows(
            "SELECT DISTINCT department COLLATE \"C\" FROM person WHERE department IS NOT NULL
             ORDER BY 1",
            &[],
        )?
        .iter()
        .map(|row| get(row, 0))
        .collect()
    }

    fn department_exists(&self, department: &str) -> Result<bool> {
        Ok(self
            .optional_row(
                "SELECT 1 FROM person WHERE lower(department) = lower($1) LIMIT 1",
                &[&department],
            )?
            .is_some())
    }

    fn for_each_search_key(&self, each: &mut dyn FnMut(SearchKeys<'_>)) -> Result<()> {
        self.each(
            "SELECT id, employee_no, name, email FROM person WHERE erased_at IS NULL",
            &[],
            &mut |row| {
                each(SearchKeys {
                    id: PersonId(get(row, 0)?),
                    employee_no: get(row, 1)?,
                    name: get(row, 2)?,
                    email: get(row, 3)?,
                });
                Ok(())
            },
        )
    }

    fn set_end_date(&self, id: PersonId, end_date: Option<NaiveDate>) -> Result<()> {
        self.execute(
            "UPDATE person SET end_date = $2 WHERE id = $1",
            &[&id.0, &end_date],
        )?;
        Ok(())
    }

    fn by_username(&self, username: &str) -> Result<Option<Person>> {
        self.optional_row(
            select_person!("WHERE lower(username) = lower($1)"),
            &[&username],
        )?
        .map(|row| from_row_at(&row, 0))
        .transpose()
    }

    fn with_employee_no(&self) -> Result<Vec<Person>> {
        from_rows(self.rows(
            select_person!("WHERE employee_no IS NOT NULL AND erased_at IS NULL ORDER BY id"),
            &[],
        )?)
    }
}

//! SQL for the `person` table.

use super::{Tx, get};
use crate::error::Result;
use crate::model::{Person, PersonId};
use crate::store::people::{People, PersonFields, SearchKeys, name_key};
use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;

/// A person's columns, in the order [`from_row_at`] reads them, for queries that join
/// `person p` with other tables.
pub(super) const JOINED_COLUMNS: &str =
    "p.id, p.employee_no, p.name, p.email, p.department, p.end_date, p.erased_at";

macro_rules! select_person {
    ($rest:literal) => {
        concat!(
            "SELECT id, employee_no, name, email, department, end_date, erased_at FROM person ",
            $rest
        )
    };
}

/// A person from the seven columns starting at column `start`.
pub(super) fn from_row_at(row: &Row, start: usize) -> Result<Person> {
    Ok(Person {
        id: PersonId(get(row, start)?),
        employee_no: get(row, start + 1)?,
        name: get(row, start + 2)?,
        email: get(row, start + 3)?,
        department: get(row, start + 4)?,
        end_date: get(row, start + 5)?,
        erased: get::<Option<DateTime<Utc>>>(row, start + 6)?.is_some(),
    })
}

fn from_rows(rows: Vec<Row>) -> Result<Vec<Person>> {
    rows.iter().map(|row| from_row_at(row, 0)).collect()
}

pub(super) const INSERT: &str = "INSERT INTO person (employee_no, name, name_key, email, \
     department, end_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::text::timestamptz) \
     RETURNING id";

impl People for Tx<'_> {
    fn update(&self, id: PersonId, fields: &PersonFields) -> Result<()> {
        self.execute(
            "UPDATE person SET employee_no = $2, name = $3, name_key = $4, email = $5,
                department = $6, end_date = $7
             WHERE id = $1",
            &[
                &id.0,
                &fields.employee_no,
                &fields.name,
                &name_key(&fields.name),
                &fields.email,
                &fields.department,
                &fields.end_date,
            ],
        )?;
        Ok(())
    }

    fn erase(&self, id: PersonId, pseudonym: &str, now: DateTime<Utc>) -> Result<()> {
        self.execute(
            "UPDATE person SET employee_no = NULL, email = NULL, name = $2, name_key = $3,
                erased_at = $4
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
}

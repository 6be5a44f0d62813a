//! HR's list of current employees, read as `import` reads a list of people, into a
//! [`Roster`]: every row must name its person by employee number, and a row may say the
//! employment has ended (a last working day, or a status such as `Avslutad`).

use super::{Roster, RosterEntry};
use crate::error::Result;
use crate::import::{Field, ImportReader, ImportSource, ListKind, ReadOptions, Row, language_cell};
use crate::model::LeaveCause;
use crate::refusal::Refusal;
use crate::validate::{clean_email, clean_employee_no, clean_text};

/// Words of a status column that end an employment, and words that keep it, compared in
/// lower case.
const ENDED: &[&str] = &[
    "avslutad",
    "avslutat",
    "slutat",
    "upphört",
    "upphörd",
    "avgått",
    "inaktiv",
    "ej aktiv",
    "ended",
    "terminated",
    "inactive",
    "left",
    "former",
    "resigned",
];
const GOING_ON: &[&str] = &[
    "aktiv",
    "anställd",
    "tillsvidare",
    "visstid",
    "tjänstledig",
    "föräldraledig",
    "active",
    "employed",
    "current",
    "on leave",
];

/// Reads `source` as HR's list. A row that cannot be used refuses the whole list, with
/// every such row named (`file:line: …`); rows without an employee number are counted in
/// [`Roster::without_number`] instead, as nobody can be matched by them.
pub fn roster_from_file(source: ImportSource, options: &ReadOptions) -> Result<Roster> {
    let file = super::super::import::file_name(source.name());
    let options = ReadOptions {
        kind: Some(options.kind.unwrap_or(ListKind::People)),
        ..options.clone()
    };
    let reader = ImportReader::from_source(source, &options)?;
    if !reader.columns().has(Field::EmployeeNo) {
        return Err(Refusal::NoEmployeeNumberColumn { file }.into());
    }
    let mut roster = Roster {
        source: file.clone(),
        is_file: true,
        ..Roster::default()
    };
    let mut problems = Vec::new();
    for row in reader {
        let row = row?;
        match entry(&row) {
            Ok(Some(entry)) => roster.entries.push(entry),
            Ok(None) => roster.without_number.push(format!("line {}", row.line)),
            Err(problem) => problems.push(problem.to_string()),
        }
    }
    super::invalid_entries(&roster, problems)?;
    Ok(roster)
}

fn entry(row: &Row) -> Result<Option<RosterEntry>> {
    let Some(employee_no) = row.typed(Field::EmployeeNo, clean_employee_no)? else {
        return Ok(None);
    };
    let name = row
        .typed(Field::Name, |n| clean_text("name", n))?
        .ok_or_else(|| row.error_at(Field::Name, "no name: HR's list names everyone"))?;
    let status = row.get(Field::Employment).or(row.get(Field::Status));
    let ended = match status {
        None => None,
        Some(word) => employment_ended(word)
            .map_err(|problem| row.error_at(Field::Employment, &problem))?
            .then_some(LeaveCause::EndedInList),
    };
    Ok(Some(RosterEntry {
        employee_no,
        name,
        email: row.typed(Field::Email, clean_email)?,
        department: row.typed(Field::Department, |d| clean_text("department", d))?,
        username: row.typed(Field::Username, |u| clean_text("user name", u))?,
        manager: row.typed(Field::Manager, |m| clean_text("manager", m))?,
        language: row.typed(Field::Language, language_cell)?,
        end_date: row.date(Field::EndDate)?,
        ended,
        place: format!("line {}", row.line),
        line: row.line,
    }))
}

/// Whether a status word says the employment has ended.
fn employment_ended(word: &str) -> std::result::Result<bool, String> {
    let word = word.trim().to_lowercase();
    if ENDED.contains(&word.as_str()) {
        Ok(true)
    } else if GOING_ON.contains(&word.as_str()) {
        Ok(false)
    } else {
        Err(format!(
            "{word:?} is not a status of employment handback knows: an ended one is {}; one \
             that goes on is {}",
            ENDED.join(", "),
            GOING_ON.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_end_or_keep_an_employment() {
        assert_eq!(employment_ended("Avslutad"), Ok(true));
        assert_eq!(employment_ended(" INACTIVE "), Ok(true));
        assert_eq!(employment_ended("Aktiv"), Ok(false));
        assert_eq!(employment_ended("Föräldraledig"), Ok(false));
        let unknown = employment_ended("kanske").unwrap_err();
        assert!(
            unknown.contains("\"kanske\"") && unknown.contains("avslutad"),
            "{unknown}"
        );
    }
}

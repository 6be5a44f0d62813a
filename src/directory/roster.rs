//! The directory's people as the sync takes them ([`crate::domain::sync::Roster`]): an
//! account that is disabled, or that expires, is a leaver; one without an employee number
//! cannot be matched and is only counted.

use super::DirectoryPerson;
use crate::domain::sync::{Roster, RosterEntry};
use crate::model::LeaveCause;
use crate::validate::{clean_email, clean_employee_no, clean_text};
use crate::zone::Zone;
use chrono::{Duration, NaiveDate};

/// `people` read from `url` under `base`, as one roster; local days in `zone`.
pub fn roster(url: &str, base: &str, people: Vec<DirectoryPerson>, zone: Zone) -> Roster {
    let mut roster = Roster {
        // An LDAP URL (RFC 4516) of the base: what the `left_by_sync` events name.
        source: format!("{}/{base}", url.trim_end_matches('/')),
        is_file: false,
        ..Roster::default()
    };
    for person in people {
        let dn = person.dn.clone();
        // A directory's values meet the register's rules as a list's do; one that does not
        // is left out, and said so, rather than stopping the sync of everyone else.
        let mut notes = Vec::new();
        let mut clean =
            |what: &str, value: Option<String>, check: &dyn Fn(&str) -> crate::Result<String>| {
                value.and_then(|v| match check(&v) {
                    Ok(v) => Some(v),
                    Err(problem) => {
                        notes.push(format!("{dn}: {what}: {problem}; left out"));
                        None
                    }
                })
            };
        let employee_no = clean("employee number", person.employee_no, &clean_employee_no);
        let name = clean("name", person.name, &|n| clean_text("name", n));
        let email = clean("e-mail", person.email, &clean_email);
        let department = clean("department", person.department, &|d| {
            clean_text("department", d)
        });
        let username = clean("user name", person.username, &|u| {
            clean_text("user name", u)
        });
        let manager = clean("manager", person.manager_employee_no, &clean_employee_no);
        roster.notes.append(&mut notes);
        let Some(employee_no) = employee_no else {
            roster.without_number.push(dn);
            continue;
        };
        let name = name
            .or_else(|| username.clone())
            .unwrap_or_else(|| dn.clone());
        let last_day = person
            .expires
            .map(|expires| last_working_day(expires, zone));
        let (end_date, ended) = match (person.disabled, last_day) {
            // Disabled: gone when the entry last changed, the nearest a directory keeps of
            // when it was disabled, or on the day it expired if that is earlier. The sync
            // takes the sync's day instead of any later one.
            (true, last_day) => {
                let changed = person.changed.map(|moment| zone.date_of(moment));
                let day = [last_day, changed].into_iter().flatten().min();
                (day, Some(LeaveCause::AccountDisabled))
            }
            (false, Some(day)) => (Some(day), Some(LeaveCause::AccountExpires)),
            (false, None) => (None, None),
        };
        roster.entries.push(RosterEntry {
            employee_no,
            name,
            email,
            department,
            username,
            manager,
            language: None,
            end_date,
            ended,
            place: dn,
            line: 0,
        });
    }
    roster
}

/// An account expires at the start of the day after the last one it may be used (that is
/// what Active Directory's "End of: DATE" sets): the last working day is the local day of
/// the moment before.
fn last_working_day(expires: chrono::DateTime<chrono::Utc>, zone: Zone) -> NaiveDate {
    zone.date_of(expires - Duration::seconds(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(number: Option<&str>) -> DirectoryPerson {
        DirectoryPerson {
            dn: "cn=Test,ou=Users,dc=kommun,dc=example".into(),
            employee_no: number.map(str::to_string),
            name: Some("Test Person".into()),
            email: None,
            department: None,
            manager_dn: None,
            manager_employee_no: None,
            username: Some("tperson".into()),
            disabled: false,
            expires: None,
            changed: None,
        }
    }

    #[test]
    fn an_expiry_is_the_day_before_it_in_local_time() {
        // AD's "End of: 30 September 2026" in Stockholm: midnight at the start of 1 October.
        let expires = "2026-09-30T22:00:00Z".parse().unwrap();
        let mut expiring = person(Some("1"));
        expiring.expires = Some(expires);
        let mut disabled = person(Some("2"));
        disabled.disabled = true;
        let roster = roster(
            "ldap://dc1:389/",
            "ou=Users,dc=kommun,dc=example",
            vec![expiring, disabled, person(None)],
            Zone::DEFAULT,
        );
        assert_eq!(
            roster.source,
            "ldap://dc1:389/ou=Users,dc=kommun,dc=example"
        );
        assert_eq!(roster.entries[0].end_date, "2026-09-30".parse().ok());
        assert_eq!(roster.entries[0].ended, Some(LeaveCause::AccountExpires));
        assert_eq!(roster.entries[1].end_date, None);
        assert_eq!(roster.entries[1].ended, Some(LeaveCause::AccountDisabled));
        assert_eq!(
            roster.without_number,
            vec!["cn=Test,ou=Users,dc=kommun,dc=example"]
        );
    }
}

use super::*;
use crate::domain::{Clock, PersonInput};
use crate::zone::Zone;

fn register(dir: &tempfile::TempDir) -> Register {
    let moment = "2026-12-03T09:00:00Z".parse().unwrap();
    Register::create(&dir.path().join("r.sqlite"), "hr-sync", Zone::DEFAULT)
        .unwrap()
        .with_clock(Clock::Fixed(moment))
}

fn entry(number: &str, name: &str) -> RosterEntry {
    RosterEntry {
        employee_no: number.into(),
        name: name.into(),
        place: format!("line {number}"),
        line: 2,
        ..RosterEntry::default()
    }
}

fn roster(entries: Vec<RosterEntry>) -> Roster {
    Roster {
        source: "hr.csv".into(),
        is_file: true,
        entries,
        without_number: Vec::new(),
        notes: Vec::new(),
    }
}

fn add(register: &mut Register, number: &str, name: &str) {
    register
        .add_person(&PersonInput {
            employee_no: number.into(),
            name: name.into(),
            ..PersonInput::default()
        })
        .unwrap();
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn the_missing_leave_the_listed_arrive_and_a_returner_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut register = register(&dir);
    for n in 1..=20 {
        add(&mut register, &n.to_string(), &format!("Person {n}"));
    }
    // Person 20 left by an earlier sync, and Person 19 by a last day recorded at the desk,
    // which a list that lags behind still has: only the sync's is undone.
    let without_20 = (1..=19)
        .map(|n| entry(&n.to_string(), &format!("Person {n}")))
        .collect();
    let earlier = SyncOptions {
        as_of: Some(day("2026-11-01")),
        allow_mass_leave: true,
        ..SyncOptions::default()
    };
    register.sync(&roster(without_20), earlier).unwrap();
    register.leave("19", day("2026-11-30")).unwrap();
    let mut entries: Vec<_> = (2..=20)
        .map(|n| entry(&n.to_string(), &format!("Person {n}")))
        .collect();
    entries.push(entry("21", "Ny Person"));
    let summary = register
        .sync(&roster(entries), SyncOptions::default())
        .unwrap();
    assert!(summary.committed);
    assert_eq!(summary.current, 18);
    assert_eq!(summary.arrived.len(), 1);
    assert_eq!(summary.arrived[0].person.name, "Ny Person");
    assert_eq!(summary.leaving.len(), 1);
    assert_eq!(summary.leaving[0].person.employee_no.as_deref(), Some("1"));
    assert_eq!(summary.leaving[0].last_day, day("2026-12-03"));
    assert_eq!(summary.leaving[0].cause, LeaveCause::NotInSource);
    assert_eq!(summary.returned.len(), 1);
    assert_eq!(register.holdings("20").unwrap().person.end_date, None);
    assert_eq!(
        register.holdings("19").unwrap().person.end_date,
        Some(day("2026-11-30"))
    );
    assert_eq!(
        register.holdings("1").unwrap().person.end_date,
        Some(day("2026-12-03"))
    );
    // A second run finds nothing to do.
    let entries: Vec<_> = (2..=21)
        .map(|n| entry(&n.to_string(), if n == 21 { "Ny Person" } else { "" }))
        .map(|mut e| {
            if e.name.is_empty() {
                e.name = format!("Person {}", e.employee_no);
            }
            e
        })
        .collect();
    let again = register
        .sync(&roster(entries), SyncOptions::default())
        .unwrap();
    assert!(again.arrived.is_empty() && again.leaving.is_empty() && again.changed.is_empty());
    assert_eq!(again.unchanged, 20);
}

#[test]
fn a_first_sync_of_an_empty_register_adds_everyone_and_no_one_already_gone() {
    let dir = tempfile::tempdir().unwrap();
    let mut register = register(&dir);
    let mut disabled = entry("2", "Disabled Account");
    disabled.ended = Some(LeaveCause::AccountDisabled);
    disabled.end_date = Some(day("2027-03-31"));
    let mut planned = entry("3", "Planned Leaver");
    planned.ended = Some(LeaveCause::AccountExpires);
    planned.end_date = Some(day("2027-03-31"));
    let summary = register
        .sync(
            &roster(vec![entry("1", "Working"), disabled, planned]),
            SyncOptions::default(),
        )
        .unwrap();
    assert!(summary.committed && !summary.mass_leave);
    assert_eq!(
        summary.arrived.len(),
        2,
        "the disabled account is not added"
    );
    assert_eq!(summary.ended_not_added, 1);
    assert_eq!(summary.leaving.len(), 1);
    assert_eq!(
        summary.leaving_at_once(),
        0,
        "a planned leaver does not count"
    );
}

#[test]
fn a_list_cut_short_is_refused_unless_allowed_and_a_dry_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut register = register(&dir);
    for n in 1..=10 {
        add(&mut register, &n.to_string(), &format!("Person {n}"));
    }
    let short = || {
        roster(
            (1..=8)
                .map(|n| entry(&n.to_string(), &format!("Person {n}")))
                .collect(),
        )
    };
    let refused = register.sync(&short(), SyncOptions::default()).unwrap_err();
    assert!(
        matches!(
            refused,
            Error::Refusal(Refusal::MassLeave {
                leaving: 2,
                current: 10,
                ..
            })
        ),
        "{refused}"
    );
    let dry = register
        .sync(
            &short(),
            SyncOptions {
                dry_run: true,
                ..SyncOptions::default()
            },
        )
        .unwrap();
    assert!(dry.mass_leave && !dry.committed);
    assert_eq!(dry.leaving.len(), 2);
    assert_eq!(register.holdings("9").unwrap().person.end_date, None);
    let allowed = register
        .sync(
            &short(),
            SyncOptions {
                allow_mass_leave: true,
                ..SyncOptions::default()
            },
        )
        .unwrap();
    assert_eq!(allowed.leaving.len(), 2);
}

#[test]
fn an_entry_marked_ended_leaves_on_its_day_and_managers_are_found_down_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut register = register(&dir);
    let mut leaver = entry("1", "Anna Leaver");
    leaver.ended = Some(LeaveCause::EndedInList);
    leaver.end_date = Some(day("2026-12-18"));
    leaver.manager = Some("2".into());
    let boss = entry("2", "Berit Chef");
    let mut gone = entry("3", "Gone Before");
    gone.end_date = Some(day("2026-10-01"));
    let summary = register
        .sync(&roster(vec![leaver, boss, gone]), SyncOptions::default())
        .unwrap();
    assert_eq!(summary.arrived.len(), 2);
    assert_eq!(summary.ended_not_added, 1);
    assert_eq!(summary.leaving.len(), 1);
    assert_eq!(summary.leaving[0].last_day, day("2026-12-18"));
    assert!(summary.unknown_managers.is_empty());
    let holdings = register.holdings("1").unwrap();
    assert_eq!(
        holdings.manager.map(|m| m.name),
        Some("Berit Chef".to_string())
    );
}

#[test]
fn repeated_numbers_refuse_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut register = register(&dir);
    let mut second = entry("7", "Other");
    second.place = "line 9".into();
    let err = register
        .sync(
            &roster(vec![entry("7", "One"), second]),
            SyncOptions::default(),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("line 9: employee number 7 is also at line 7"),
        "{err}"
    );
}

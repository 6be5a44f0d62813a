//! The desk, tightened: a register only handback has written passes its own check after
//! every command, and the rough edges a first day found stay gone. Each test is named after
//! what it pins.

use crate::common::Scratch;

/// `check` must pass: exit 0 and "ok".
fn assert_checks(s: &Scratch, after: &[&str]) {
    let run = s.run(&["check"]);
    assert_eq!(
        run.code, 0,
        "check failed after {after:?}:\n{}{}",
        run.stdout, run.stderr
    );
}

/// Runs a command that must succeed, then `check`.
fn step(s: &Scratch, args: &[&str]) -> String {
    let out = s.ok(args);
    assert_checks(s, args);
    out
}

fn due_back(s: &Scratch, person: &str) -> Vec<String> {
    s.json(&["holdings", person])["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["due_back"].as_str().unwrap_or("-").to_string())
        .collect()
}

#[test]
fn a_transfer_keeps_the_register_passing_its_check_and_backup_keeps_a_copy() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&["person", "add", "2", "--name", "C D"]);
    s.ok(&["handout", "X1", "--to", "1", "--kind", "laptop"]);
    step(&s, &["transfer", "X1", "--to", "2"]);
    let backup = s.path("backup.sqlite");
    s.ok(&["backup", backup.to_str().unwrap()]);
    assert!(backup.exists(), "backup kept no copy");
}

#[test]
fn an_import_that_transfers_keeps_the_register_passing_its_check() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&["person", "add", "2", "--name", "C D"]);
    s.ok(&["handout", "X1", "--to", "1", "--kind", "laptop"]);
    let list = s.write("list.csv", "Serienummer;Anst.nr\nX1;2\n");
    step(
        &s,
        &[
            "import",
            list.to_str().unwrap(),
            "--on-conflict",
            "transfer",
        ],
    );
    assert_eq!(
        s.json(&["device", "show", "X1"])["holder"]["employee_no"],
        "2"
    );
}

/// A whole day at the desk, with `check` after every command that changes something.
#[test]
fn every_command_leaves_a_register_that_passes_its_check() {
    let s = Scratch::new();
    assert_checks(&s, &["init"]);
    step(&s, &["person", "add", "2044", "--name", "Tove Lund"]);
    step(
        &s,
        &[
            "person",
            "add",
            "2109",
            "--name",
            "Fatima Al-Hassan",
            "--department",
            "Socialtjänsten",
        ],
    );
    step(&s, &["person", "add", "3001", "--name", "Kim Berg"]);
    step(&s, &["person", "edit", "2044", "--department", "Skola"]);
    step(&s, &["device", "add", "L1", "--kind", "laptop"]);
    step(&s, &["device", "add", "P1", "--kind", "phone"]);
    step(&s, &["device", "edit", "P1", "--model", "iPhone 15"]);
    step(&s, &["handout", "L1", "--to", "2044", "--on", "2026-01-10"]);
    step(
        &s,
        &["handout", "P1", "--to", "2044", "--due", "2027-06-30"],
    );
    step(&s, &["handout", "H1", "--to", "2044", "--kind", "headset"]);
    step(&s, &["replace", "L1", "--with", "L2", "--reason", "broken"]);
    step(&s, &["lost", "H1", "--note", "on the bus"]);
    step(&s, &["found", "H1"]);
    step(&s, &["handout", "H1", "--to", "3001"]);
    step(&s, &["leave", "2044", "--on", "2026-06-30"]);
    step(&s, &["transfer", "--all-from", "2044", "--to", "2109"]);
    step(&s, &["transfer", "P1", "--to", "3001"]);
    step(&s, &["return", "H1", "--condition", "damaged"]);
    step(&s, &["repaired", "H1"]);
    step(&s, &["return", "P1", "--condition", "broken"]);
    step(&s, &["recycle", "P1"]);
    step(&s, &["recycle", "L1"]);
    step(&s, &["lost", "H1", "--stolen"]);
    let hr = s.write(
        "hr.csv",
        "Anst.nr;Namn;Slutdatum\n2109;Fatima Al-Hassan;2027-03-31\n4000;Ny Person;\n",
    );
    step(&s, &["import", hr.to_str().unwrap()]);
    let list = s.write(
        "utlamnat.csv",
        "Serienummer;Typ;Anst.nr\nL2;laptop;3001\nS1;monitor;4000\n",
    );
    step(
        &s,
        &[
            "import",
            list.to_str().unwrap(),
            "--on-conflict",
            "transfer",
        ],
    );
    step(&s, &["return", "--all-from", "3001"]);
    step(&s, &["person", "forget", "2044"]);
    let backup = s.path("kopia.sqlite");
    step(&s, &["backup", backup.to_str().unwrap()]);
}

#[test]
fn a_handouts_own_due_date_comes_back_when_the_last_day_moves_or_goes() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&[
        "handout",
        "D1",
        "--to",
        "1",
        "--kind",
        "phone",
        "--due",
        "2027-02-15",
    ]);
    s.ok(&["handout", "D2", "--to", "1", "--kind", "laptop"]);
    s.ok(&["leave", "1", "--on", "2027-03-31"]);
    assert_eq!(due_back(&s, "1"), ["2027-02-15", "2027-03-31"]);
    s.ok(&["leave", "1", "--on", "2027-01-31"]);
    assert_eq!(due_back(&s, "1"), ["2027-01-31", "2027-01-31"]);
    let run = s.run(&["leave", "1", "--on", "2027-03-31"]);
    assert!(
        run.stderr.contains("Due back on 2027-02-15: D1")
            && run.stderr.contains("Due back on 2027-03-31: D2"),
        "each device is named with its own new date:\n{}",
        run.stderr
    );
    assert_eq!(due_back(&s, "1"), ["2027-02-15", "2027-03-31"]);
    s.ok(&["person", "edit", "1", "--end-date", ""]);
    assert_eq!(due_back(&s, "1"), ["2027-02-15", "-"]);
    // A replacement keeps the old device's own date, not the one the last day gave it.
    s.ok(&["leave", "1", "--on", "2027-01-31"]);
    s.ok(&["replace", "D1", "--with", "D3", "--reason", "broken"]);
    s.ok(&["person", "edit", "1", "--end-date", ""]);
    assert_eq!(due_back(&s, "1"), ["-", "2027-02-15"]);
}

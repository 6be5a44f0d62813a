//! The desk, tightened: a register only handback has written passes its own check after
//! every command, and the rough edges a first day found stay gone. Each test is named after
//! what it pins.

use crate::common::{Scratch, fixture};

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
    if s.on_postgres() {
        // The server's register is backed up by the server's own tools.
        s.refused(&["backup", backup.to_str().unwrap()], 1, "pg_dump");
        return;
    }
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
    step(&s, &["device", "add", "M1", "--kind", "monitor"]);
    step(&s, &["route", "M1", "--to", "repair"]);
    step(&s, &["route", "M1", "--to", "reuse"]);
    step(&s, &["recycle", "M1", "--yes"]);
    step(&s, &["handout", "D1", "--to", "3001", "--kind", "dock"]);
    step(
        &s,
        &[
            "replace", "D1", "--with", "D2", "--reason", "broken", "--to", "repair",
        ],
    );
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
    for list in ["inventory-en.csv", "import/snipe-it-export.csv"] {
        step(&s, &["import", &fixture(list)]);
    }
    // The same stock list with other statuses: each change of status is an event.
    let statuses = s.write(
        "lager.csv",
        "serial,kind,status\n5CG1234XYZ,laptop,in repair\nSM-X710-0001,tablet,in stock\n",
    );
    step(&s, &["import", statuses.to_str().unwrap()]);
    step(&s, &["person", "forget", "2044"]);
    // A register on a database server is backed up by the server's tools (pg_dump).
    if !s.on_postgres() {
        let backup = s.path("kopia.sqlite");
        step(&s, &["backup", backup.to_str().unwrap()]);
    }
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

/// Tove Lund leaves and hands everything to Fatima Al-Hassan on 2026-03-20.
fn a_transfer_day() -> Scratch {
    let s = Scratch::new();
    s.ok(&["person", "add", "2044", "--name", "Tove Lund"]);
    s.ok(&["person", "add", "2109", "--name", "Fatima Al-Hassan"]);
    for (serial, kind) in [("PF4KX9ZQ", "laptop"), ("DX3KQ29L0F", "phone")] {
        s.ok(&[
            "handout",
            serial,
            "--to",
            "2044",
            "--kind",
            kind,
            "--on",
            "2026-01-10",
        ]);
    }
    s.ok(&[
        "transfer",
        "--all-from",
        "2044",
        "--to",
        "2109",
        "--on",
        "2026-03-20 14:00",
    ]);
    s
}

fn serials(lines: &serde_json::Value) -> Vec<&str> {
    lines
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["serial"].as_str().expect("serial"))
        .collect()
}

#[test]
fn receipts_list_transfers_on_both_sides() {
    let s = a_transfer_day();
    let leaver = s.json(&["receipt", "2044", "--on", "2026-03-20"]);
    assert_eq!(serials(&leaver["handed_over"]), ["PF4KX9ZQ", "DX3KQ29L0F"]);
    assert_eq!(
        leaver["handed_over"][0]["handed_over_to"]["employee_no"],
        "2109"
    );
    let successor = s.json(&["receipt", "2109", "--on", "2026-03-20"]);
    assert_eq!(
        serials(&successor["handed_out"]),
        ["PF4KX9ZQ", "DX3KQ29L0F"]
    );
    assert_eq!(
        successor["handed_out"][1]["taken_over_from"]["employee_no"],
        "2044"
    );
    for format in ["html", "md", "table"] {
        let leaver = s.ok(&["receipt", "2044", "--on", "2026-03-20", "--format", format]);
        assert!(
            leaver.contains("handed over to Fatima Al-Hassan (2109)"),
            "{format}:\n{leaver}"
        );
        let successor = s.ok(&["receipt", "2109", "--on", "2026-03-20", "--format", format]);
        assert!(
            successor.contains("taken over from Tove Lund (2044)"),
            "{format}:\n{successor}"
        );
    }
    let sv = s.ok(&[
        "receipt",
        "2044",
        "--on",
        "2026-03-20",
        "--format",
        "html",
        "--lang",
        "sv",
    ]);
    assert!(
        sv.contains("överlämnad till Fatima Al-Hassan (2109)"),
        "{sv}"
    );
}

#[test]
fn a_receipt_with_nothing_on_it_says_so_instead_of_offering_signature_lines() {
    let s = a_transfer_day();
    for format in ["html", "md", "table"] {
        let empty = s.ok(&["receipt", "2044", "--on", "2026-03-21", "--format", format]);
        assert!(
            empty.contains("No equipment was handed out, handed over or taken back on 2026-03-21"),
            "{format}:\n{empty}"
        );
        assert!(!empty.contains("Signature"), "{format}:\n{empty}");
    }
}

#[test]
fn transfer_prints_a_summary_and_a_table_not_an_html_document() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&["person", "add", "2", "--name", "C D"]);
    s.ok(&["handout", "X1", "--to", "1", "--kind", "laptop"]);
    let run = s.run(&["transfer", "X1", "--to", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Transferred X1"), "{}", run.stderr);
    assert!(!run.stdout.contains("<html"), "{}", run.stdout);
    assert!(run.stdout.contains("X1"), "{}", run.stdout);
    s.ok(&["handout", "X2", "--to", "1", "--kind", "laptop"]);
    let out = s.path("kvittens.html");
    s.ok(&[
        "transfer",
        "X2",
        "--to",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    let written = std::fs::read_to_string(&out).expect("the receipt");
    assert!(written.starts_with("<!DOCTYPE html>"), "{written}");
    let html = s.ok(&[
        "transfer",
        "--all-from",
        "2",
        "--to",
        "1",
        "--format",
        "html",
    ]);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
}

fn overdue_as_of(s: &Scratch, day: &str) -> (Vec<String>, Vec<String>) {
    let overdue = s.json(&["overdue", "--as-of", day]);
    let held = overdue["people"]
        .as_array()
        .expect("people")
        .iter()
        .flat_map(|p| {
            let number = p["person"]["employee_no"]
                .as_str()
                .unwrap_or("-")
                .to_string();
            p["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(move |i| format!("{number}:{}", i["serial"].as_str().unwrap_or("-")))
        })
        .collect();
    let missing = overdue["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|m| m["serial"].as_str().unwrap_or("-").to_string())
        .collect();
    (held, missing)
}

#[test]
fn overdue_as_of_a_day_shows_the_register_as_it_stood_that_day() {
    let s = Scratch::new();
    s.ok(&[
        "person",
        "add",
        "1",
        "--name",
        "A B",
        "--end-date",
        "2025-06-30",
    ]);
    s.ok(&["person", "add", "2", "--name", "C D"]);
    s.ok(&[
        "handout",
        "L1",
        "--to",
        "1",
        "--kind",
        "laptop",
        "--on",
        "2025-01-10",
    ]);
    s.ok(&["return", "L1", "--on", "2025-09-01"]);
    s.ok(&[
        "handout",
        "P1",
        "--to",
        "2",
        "--kind",
        "phone",
        "--on",
        "2025-01-10",
    ]);
    s.ok(&["lost", "P1", "--on", "2026-02-01"]);
    s.ok(&[
        "handout",
        "T1",
        "--to",
        "2",
        "--kind",
        "tablet",
        "--on",
        "2025-01-10",
    ]);
    s.ok(&["lost", "T1", "--stolen", "--on", "2025-03-01"]);
    s.ok(&["found", "T1", "--on", "2025-05-01"]);

    let nothing: (Vec<String>, Vec<String>) = (vec![], vec![]);
    assert_eq!(
        overdue_as_of(&s, "2020-01-01"),
        nothing,
        "before anything happened"
    );
    assert_eq!(
        overdue_as_of(&s, "2025-04-01"),
        (vec![], vec!["T1".to_string()]),
        "the tablet was missing then"
    );
    assert_eq!(
        overdue_as_of(&s, "2025-08-01"),
        (vec!["1:L1".to_string()], vec![]),
        "the leaver still held the laptop, the tablet had turned up"
    );
    // Registered today, handed out and lost on earlier days: its registration is dated after
    // the loss, and it is missing all the same.
    s.ok(&["device", "add", "B1", "--kind", "phone"]);
    s.ok(&["handout", "B1", "--to", "2", "--on", "2026-01-10"]);
    s.ok(&["lost", "B1", "--on", "2026-02-01"]);
    let today = overdue_as_of(&s, &chrono::Local::now().date_naive().to_string());
    assert_eq!(today, (vec![], vec!["B1".to_string(), "P1".to_string()]));
    // Without --as-of: as things stand now, the same.
    let now = s.json(&["overdue"]);
    assert_eq!(now["missing"][0]["serial"], "B1");
    assert_eq!(now["missing"][1]["serial"], "P1");
    assert_eq!(now["people"], serde_json::json!([]));
}

fn status(s: &Scratch, device: &str) -> String {
    s.json(&["device", "show", device])["status"]
        .as_str()
        .expect("status")
        .to_string()
}

/// One person holding a laptop, L1.
fn one_laptop() -> Scratch {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&["handout", "L1", "--to", "1", "--kind", "laptop"]);
    s
}

#[test]
fn replace_to_overrides_the_route_its_reason_implies() {
    for (route, expected) in [
        ("reuse", "in_stock"),
        ("repair", "in_repair"),
        ("recycle", "to_recycle"),
    ] {
        let s = one_laptop();
        step(
            &s,
            &[
                "replace", "L1", "--with", "L2", "--reason", "broken", "--to", route,
            ],
        );
        assert_eq!(status(&s, "L1"), expected, "--to {route}");
    }
    let s = one_laptop();
    for reason in ["lost", "stolen"] {
        s.refused(
            &[
                "replace", "L1", "--with", "L2", "--reason", reason, "--to", "reuse",
            ],
            2,
            "leave out --to",
        );
    }
}

#[test]
fn a_device_routed_to_recycling_can_still_go_to_repair_or_stock_until_it_is_recycled() {
    let s = one_laptop();
    s.ok(&["return", "L1", "--condition", "broken"]);
    assert_eq!(status(&s, "L1"), "to_recycle");
    step(&s, &["route", "L1", "--to", "repair"]);
    assert_eq!(status(&s, "L1"), "in_repair");
    step(&s, &["route", "L1", "--to", "recycle"]);
    step(&s, &["route", "L1", "--to", "reuse"]);
    assert_eq!(status(&s, "L1"), "in_stock");
    s.refused(&["route", "L1", "--to", "reuse"], 1, "L1 is in stock since");
    step(&s, &["route", "L1", "--to", "recycle"]);
    step(&s, &["recycle", "L1"]);
    s.refused(&["route", "L1", "--to", "reuse"], 1, "recycling is final");
    s.ok(&["handout", "L9", "--to", "1", "--kind", "laptop"]);
    s.refused(&["route", "L9", "--to", "repair"], 1, "held by A B (1)");
    let history = s.json(&["history", "L1"]);
    assert!(
        history
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["action"] == "routed" && e["details"]["from"] == "to_recycle"),
        "{history}"
    );
}

#[test]
fn recycling_a_device_in_stock_asks_for_yes() {
    let s = Scratch::new();
    s.ok(&["device", "add", "M1", "--kind", "monitor"]);
    s.refused(&["recycle", "M1"], 1, "add --yes");
    step(&s, &["recycle", "M1", "--yes"]);
    assert_eq!(status(&s, "M1"), "recycled");
}

#[test]
fn replacing_with_a_device_of_another_kind_warns() {
    let s = one_laptop();
    s.ok(&["device", "add", "P1", "--kind", "phone"]);
    let run = s.run(&["replace", "L1", "--with", "P1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("P1 is a phone and replaces a laptop"),
        "{}",
        run.stderr
    );
    let run = s.run(&["replace", "P1", "--with", "P2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Handed out P2"), "{}", run.stderr);
    assert!(!run.stderr.contains("replaces a"), "{}", run.stderr);
}

#[test]
fn replace_because_lost_or_stolen_gives_the_security_follow_up() {
    for reason in ["lost", "stolen"] {
        let s = one_laptop();
        let run = s.run(&["replace", "L1", "--with", "L2", "--reason", reason]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("Marked L1 {reason}, last held by A B (1)"))
                && run.stderr.contains("information-security officer"),
            "{}",
            run.stderr
        );
        assert_checks(&s, &["replace", reason]);
    }
}

/// `overdue --as-of` looks back; the report's "still outstanding" is what is held now, even
/// for a period in the past.
#[test]
fn the_reports_outstanding_devices_are_those_held_now() {
    let s = Scratch::new();
    s.ok(&[
        "person",
        "add",
        "1",
        "--name",
        "A B",
        "--end-date",
        "2025-06-30",
    ]);
    s.ok(&[
        "handout",
        "L1",
        "--to",
        "1",
        "--kind",
        "laptop",
        "--on",
        "2025-01-10",
    ]);
    s.ok(&[
        "handout",
        "P1",
        "--to",
        "1",
        "--kind",
        "phone",
        "--on",
        "2025-01-10",
    ]);
    s.ok(&["return", "L1", "--on", "2025-09-01"]);
    let report = s.json(&["report", "--from", "2025-01-01", "--to", "2025-07-31"]);
    let outstanding: Vec<&str> = report["outstanding"]
        .as_array()
        .expect("outstanding")
        .iter()
        .map(|row| row["serial"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(outstanding, ["P1"], "{report}");
    let (held, _) = overdue_as_of(&s, "2025-08-01");
    assert_eq!(held, ["1:L1", "1:P1"]);
}

/// The domain says what is wrong with a due date; the command line names the flag.
#[test]
fn a_due_date_before_the_handout_is_invalid_and_names_the_flag() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.refused(
        &[
            "handout",
            "X1",
            "--to",
            "1",
            "--kind",
            "phone",
            "--on",
            "2026-03-10",
            "--due",
            "2026-03-01",
        ],
        65,
        "the due date 2026-03-01 is before the handout (2026-03-10): give a later --due",
    );
}

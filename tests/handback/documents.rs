//! The offboarding documents and checks, driven through the real binary: checklists (one
//! person, a batch, split into files), `leave`, `transfer`, receipts, `overdue` and the
//! report, in every format and both languages, with hostile and Swedish names.
//!
//! Every date is given with `--on`, in the past, so the figures do not depend on today.

use crate::common::{Run, Scratch};
use rstest::rstest;
use serde_json::{Value, json};

const HOSTILE: &str = "<script>alert(1)</script>";

/// Runs with `HANDBACK_LANG` set to `lang`.
fn run_in(s: &Scratch, lang: &str, args: &[&str]) -> Run {
    let output = s
        .command()
        .env("HANDBACK_LANG", lang)
        .args(args)
        .output()
        .expect("run handback");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn ok_in(s: &Scratch, lang: &str, args: &[&str]) -> String {
    let run = run_in(s, lang, args);
    assert_eq!(run.code, 0, "{args:?}:\n{}{}", run.stdout, run.stderr);
    run.stdout
}

fn person(s: &Scratch, number: &str, name: &str, department: &str) {
    s.ok(&[
        "person",
        "add",
        number,
        "--name",
        name,
        "--department",
        department,
    ]);
}

fn hand(s: &Scratch, serial: &str, to: &str, kind: &str, make: &str, on: &str) {
    s.ok(&[
        "handout", serial, "--to", to, "--kind", kind, "--make", make, "--on", on,
    ]);
}

fn serials(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["serial"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Åsa Öberg of Fritidsförvaltningen with three devices; Per with nothing; a hostile name
/// in a hostile department holding a device with a formula for a make.
fn office() -> Scratch {
    let s = Scratch::new();
    person(&s, "1001", "Åsa Öberg", "Fritidsförvaltningen");
    person(&s, "4502", "Per Gustafsson", "Gatukontoret");
    person(&s, "0666", HOSTILE, "| pipes |");
    hand(
        &s,
        "C02XK1JHJG5H",
        "1001",
        "Bärbar dator",
        "Apple",
        "2025-01-10",
    );
    hand(
        &s,
        "DX3KQ29L0F",
        "1001",
        "Mobiltelefon",
        "Apple",
        "2025-01-11",
    );
    hand(&s, "J55-100231", "1001", "Headset", "Jabra", "2025-01-12");
    hand(
        &s,
        "EVIL1",
        "0666",
        "laptop",
        "=cmd|' /C calc'!A0",
        "2025-01-10",
    );
    s
}

#[rstest]
#[case("en", "Departure checklist", "Last working day")]
#[case("sv", "Avgångschecklista", "Sista arbetsdag")]
fn a_checklist_in_html_and_markdown_lists_what_is_held(
    #[case] lang: &str,
    #[case] title: &str,
    #[case] label: &str,
) {
    let s = office();
    for format in ["html", "md", "table"] {
        let text = ok_in(&s, lang, &["checklist", "1001", "--format", format]);
        assert!(text.contains(title), "{format}: {text}");
        assert!(text.contains(label), "{format}: {text}");
        assert!(text.contains("Åsa Öberg"), "{format}: {text}");
        assert!(text.contains("Fritidsförvaltningen"), "{format}: {text}");
        for serial in ["C02XK1JHJG5H", "DX3KQ29L0F", "J55-100231"] {
            assert!(text.contains(serial), "{format}: {serial} missing");
        }
    }
    let html = ok_in(&s, lang, &["checklist", "1001"]);
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "html is the default off a terminal"
    );
    assert!(html.contains(&format!("<html lang=\"{lang}\"")));
}

#[test]
fn checklist_json_is_the_holdings_shape_plus_the_header() {
    let s = office();
    let checklist = s.json(&["checklist", "1001"]);
    let holdings = s.json(&["holdings", "1001"]);
    assert_eq!(checklist["person"], holdings["person"]);
    assert_eq!(checklist["items"], holdings["items"]);
    assert_eq!(checklist["item_count"], 3);
    assert_eq!(checklist["lang"], "en");
    assert_eq!(checklist["produced_by"], "Ahmed (IT)");
    assert_eq!(checklist["return_by"], Value::Null);
}

#[test]
fn checklist_csv_is_the_holdings_csv() {
    let s = office();
    assert_eq!(
        s.ok(&["checklist", "1001", "--format", "csv"]),
        s.ok(&["holdings", "1001", "--format", "csv"])
    );
}

#[rstest]
#[case("en", "No equipment to return")]
#[case("sv", "Ingen utrustning att återlämna")]
fn a_checklist_with_nothing_outstanding_says_so(#[case] lang: &str, #[case] statement: &str) {
    let s = office();
    for format in ["html", "md", "table"] {
        let text = ok_in(&s, lang, &["checklist", "4502", "--format", format]);
        assert!(text.contains(statement), "{format}: {text}");
    }
    assert_eq!(s.json(&["checklist", "4502"])["items"], json!([]));
    assert_eq!(
        s.ok(&["checklist", "4502", "--format", "csv"])
            .lines()
            .count(),
        1,
        "only the header row"
    );
}

#[test]
fn after_a_replacement_the_checklist_lists_the_new_device_not_the_old() {
    let s = office();
    s.ok(&[
        "replace",
        "DX3KQ29L0F",
        "--with",
        "NEWPHONE1",
        "--reason",
        "broken",
        "--on",
        "2025-02-01",
    ]);
    let items = serials(&s.json(&["checklist", "1001"])["items"]);
    assert!(items.contains(&"NEWPHONE1".to_string()), "{items:?}");
    assert!(!items.contains(&"DX3KQ29L0F".to_string()), "{items:?}");
    let html = s.ok(&["checklist", "1001", "--format", "html"]);
    assert!(html.contains("NEWPHONE1") && !html.contains("DX3KQ29L0F"));
}

#[test]
fn out_writes_the_file_and_says_where() {
    let s = office();
    let run = s.run(&["checklist", "1001", "--out", "asa.html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("asa.html"), "{}", run.stderr);
    let html = std::fs::read_to_string(s.path("asa.html")).expect("the file");
    assert!(html.contains("C02XK1JHJG5H"));
}

#[test]
fn hostile_names_are_text_in_every_format() {
    let s = office();
    let html = s.ok(&["checklist", "0666", "--format", "html"]);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let md = s.ok(&["checklist", "0666", "--format", "md"]);
    assert!(!md.contains("<script>"), "{md}");
    assert!(md.contains("\\| pipes \\|"), "{md}");
    let csv = s.ok(&["checklist", "0666", "--format", "csv"]);
    assert!(csv.contains("'=cmd|' /C calc'!A0"), "{csv}");
    let json = s.json(&["checklist", "0666"]);
    assert_eq!(json["person"]["name"], HOSTILE);
    assert_eq!(json["items"][0]["make"], "=cmd|' /C calc'!A0");
    // The same names through the batch, the receipt and the report.
    s.ok(&["leave", "0666", "--on", "2025-03-31"]);
    let batch = s.ok(&[
        "checklist",
        "--leaving-before",
        "2025-12-31",
        "--format",
        "html",
    ]);
    assert!(!batch.contains("<script>alert"));
    let receipt = s.ok(&["receipt", "0666", "--on", "2025-01-10", "--format", "md"]);
    assert!(!receipt.contains("<script>"), "{receipt}");
    let receipt_csv = s.ok(&["receipt", "0666", "--on", "2025-01-10", "--format", "csv"]);
    assert!(receipt_csv.contains("'=cmd"), "{receipt_csv}");
    let report = s.ok(&["report", "--from", "2025-01-01", "--to", "2025-06-30"]);
    assert!(!report.contains("<script>alert"));
    assert!(report.contains("&lt;script&gt;"));
    let overdue = s.ok(&["overdue", "--as-of", "2025-06-30", "--format", "csv"]);
    assert!(overdue.contains("'=cmd"), "{overdue}");
}

#[test]
fn swedish_names_survive_every_format() {
    let s = office();
    s.ok(&["leave", "1001", "--on", "2025-03-31"]);
    for format in ["html", "md", "json", "table"] {
        let text = ok_in(&s, "sv", &["checklist", "1001", "--format", format]);
        assert!(text.contains("Åsa Öberg"), "{format}");
        assert!(text.contains("Fritidsförvaltningen"), "{format}");
    }
    for format in ["html", "md", "json"] {
        let text = ok_in(
            &s,
            "sv",
            &[
                "checklist",
                "--leaving-before",
                "2025-12-31",
                "--format",
                format,
            ],
        );
        assert!(
            text.contains("Åsa Öberg") && text.contains("Fritidsförvaltningen"),
            "{format}"
        );
        let text = ok_in(
            &s,
            "sv",
            &[
                "report",
                "--from",
                "2025-01-01",
                "--to",
                "2025-06-30",
                "--format",
                format,
            ],
        );
        assert!(text.contains("Åsa Öberg"), "report {format}");
    }
    for format in ["csv", "json", "table"] {
        let text = s.ok(&["overdue", "--as-of", "2025-06-30", "--format", format]);
        assert!(
            text.contains("Åsa Öberg") && text.contains("Fritidsförvaltningen"),
            "{format}"
        );
    }
}

/// Two people leaving Gatukontoret in March, one in Fritidsförvaltningen, one in May.
fn leavers() -> Scratch {
    let s = office();
    person(&s, "4471", "Maria Olsson", "Gatukontoret");
    hand(&s, "5ZKQ9X3", "4471", "laptop", "Dell", "2025-01-10");
    hand(&s, "GK-PHONE", "4502", "phone", "Apple", "2025-01-10");
    s.ok(&["leave", "4471", "--on", "2025-03-14"]);
    s.ok(&["leave", "4502", "--on", "2025-03-31"]);
    s.ok(&["leave", "1001", "--on", "2025-03-20"]);
    s.ok(&["leave", "0666", "--on", "2025-05-15"]);
    s
}

#[test]
fn a_batch_has_a_cover_and_a_page_per_person() {
    let s = leavers();
    let html = s.ok(&[
        "checklist",
        "--leaving-after",
        "2025-03-01",
        "--leaving-before",
        "2025-03-31",
        "--department",
        "gatukontoret",
    ]);
    // The cover and one page each; each page after the first starts on a new sheet.
    assert_eq!(html.matches("<section class=\"page\"").count(), 3, "{html}");
    assert!(html.contains(".page + .page { break-before: page;"));
    assert!(html.contains("Number of people: 2"), "{html}");
    // Sorted by department, then family name: Gustafsson before Olsson.
    let per = html.find("Per Gustafsson").unwrap_or(usize::MAX);
    let maria = html.find("Maria Olsson").unwrap_or(0);
    assert!(per < maria, "Gustafsson sorts before Olsson");
    assert!(!html.contains("Åsa Öberg"), "another department");
    let json = s.json(&["checklist", "--leaving-before", "2025-03-31"]);
    let names: Vec<&str> = json["checklists"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["person"]["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    // Inclusive at both ends: 2025-03-31 is in; the one leaving in May is not.
    assert_eq!(names, ["Åsa Öberg", "Per Gustafsson", "Maria Olsson"]);
}

#[test]
fn split_writes_one_file_per_person_named_to_sort() {
    let s = leavers();
    let run = s.run(&[
        "checklist",
        "--leaving-before",
        "2025-12-31",
        "--split",
        "out",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(s.path("out"))
        .expect("the folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Fritidsförvaltningen - Öberg Åsa - 1001.html",
            "Gatukontoret - Gustafsson Per - 4502.html",
            "Gatukontoret - Olsson Maria - 4471.html",
            "_ pipes _ - _script_alert(1)__script_ - 0666.html",
        ]
    );
    let maria = std::fs::read_to_string(s.path("out/Gatukontoret - Olsson Maria - 4471.html"))
        .expect("Maria's checklist");
    assert!(maria.contains("5ZKQ9X3") && !maria.contains("C02XK1JHJG5H"));
    assert_eq!(maria.matches("<section class=\"page\">").count(), 1);
}

#[test]
fn leave_makes_the_last_day_the_due_date_unless_one_is_earlier() {
    let s = Scratch::new();
    person(&s, "4471", "Maria Olsson", "Gatukontoret");
    hand(&s, "LATE1", "4471", "laptop", "Dell", "2025-01-10");
    s.ok(&[
        "handout",
        "EARLY1",
        "--to",
        "4471",
        "--kind",
        "phone",
        "--on",
        "2025-01-10",
        "--due",
        "2025-02-01",
    ]);
    s.ok(&[
        "handout",
        "LATER1",
        "--to",
        "4471",
        "--kind",
        "dock",
        "--on",
        "2025-01-10",
        "--due",
        "2025-12-01",
    ]);
    let run = s.run(&["leave", "4471", "--on", "2025-06-30", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let checklist: Value = serde_json::from_str(&run.stdout).expect("the checklist as JSON");
    assert_eq!(checklist["return_by"], "2025-06-30");
    let due: Vec<(String, Value)> = checklist["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    (
                        i["serial"].as_str().unwrap_or_default().to_string(),
                        i["due_back"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        due,
        [
            ("LATE1".to_string(), json!("2025-06-30")),
            ("EARLY1".to_string(), json!("2025-02-01")),
            ("LATER1".to_string(), json!("2025-06-30")),
        ]
    );
    // One event for the person, naming the changed due dates by serial only.
    let events = s.json(&["history", "4471"]);
    let leave = events
        .as_array()
        .and_then(|e| e.iter().find(|e| e["action"] == "leave_recorded"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        leave["details"],
        json!({"changed": ["end_date"], "due_back_set": ["LATE1", "LATER1"]})
    );
    // A later last working day moves the dates it set, not the handout's own.
    s.ok(&["leave", "4471", "--on", "2025-07-31"]);
    let items = s.json(&["holdings", "4471"])["items"].clone();
    assert_eq!(items[0]["due_back"], "2025-07-31");
    assert_eq!(items[1]["due_back"], "2025-02-01");
}

#[test]
fn overdue_lists_who_is_past_their_last_day_most_overdue_first() {
    let s = leavers();
    s.ok(&["lost", "DX3KQ29L0F", "--on", "2025-03-01"]);
    let overdue = s.json(&["overdue", "--as-of", "2025-04-01"]);
    assert_eq!(overdue["as_of"], "2025-04-01");
    let people: Vec<(String, Value, Vec<String>)> = overdue["people"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p["person"]["name"].as_str().unwrap_or_default().to_string(),
                        p["days_overdue"].clone(),
                        serials(&p["items"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        people,
        [
            (
                "Maria Olsson".to_string(),
                json!(18),
                vec!["5ZKQ9X3".to_string()]
            ),
            (
                "Åsa Öberg".to_string(),
                json!(12),
                vec!["C02XK1JHJG5H".to_string(), "J55-100231".to_string()]
            ),
            (
                "Per Gustafsson".to_string(),
                json!(1),
                vec!["GK-PHONE".to_string()]
            ),
        ]
    );
    assert_eq!(
        overdue["missing"],
        json!([{"serial": "DX3KQ29L0F", "kind": "phone", "status": "lost",
                "since": "2025-03-01", "last_holder": "Åsa Öberg (1001)",
                "asset_tag": null, "make": "Apple", "model": null, "note": null}])
    );
    let csv = s.ok(&[
        "overdue",
        "--as-of",
        "2025-04-01",
        "--format",
        "csv",
        "--department",
        "Gatukontoret",
    ]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.starts_with("employee_no,name,department,end_date,days_overdue,serial,"));
    // Found: no longer missing.
    s.ok(&["found", "DX3KQ29L0F", "--on", "2025-03-05"]);
    assert_eq!(
        s.json(&["overdue", "--as-of", "2025-04-01"])["missing"],
        json!([])
    );
}

#[test]
fn fail_if_any_exits_1_when_someone_is_overdue_and_prints_the_list() {
    let s = leavers();
    let run = s.run(&["overdue", "--as-of", "2025-04-01", "--fail-if-any"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("Maria Olsson"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("3 people past their last working day still hold 5 devices"),
        "{}",
        run.stderr
    );
    // The day after the earliest last working day nobody is overdue yet.
    let run = s.run(&["overdue", "--as-of", "2025-03-14", "--fail-if-any"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Nobody"), "{}", run.stdout);
}

#[test]
fn a_receipt_lists_what_was_handed_out_and_taken_back_that_day() {
    let s = office();
    s.ok(&[
        "return",
        "DX3KQ29L0F",
        "--condition",
        "damaged",
        "--on",
        "2025-02-03 10:00",
    ]);
    s.ok(&[
        "handout",
        "NEWPHONE1",
        "--to",
        "1001",
        "--kind",
        "phone",
        "--on",
        "2025-02-03 10:05",
    ]);
    s.ok(&["return", "J55-100231", "--on", "2025-02-04"]);
    let receipt = s.json(&["receipt", "1001", "--on", "2025-02-03"]);
    assert_eq!(receipt["date"], "2025-02-03");
    assert_eq!(serials(&receipt["handed_out"]), ["NEWPHONE1"]);
    assert_eq!(serials(&receipt["taken_back"]), ["DX3KQ29L0F"]);
    assert_eq!(receipt["taken_back"][0]["condition"], "damaged");
    assert_eq!(receipt["taken_back"][0]["route"], "repair");
    let sv = ok_in(
        &s,
        "sv",
        &["receipt", "1001", "--on", "2025-02-03", "--format", "html"],
    );
    assert!(sv.contains("Kvittens"), "{sv}");
    assert!(
        sv.contains("Namnförtydligande") || sv.contains("Underskrift"),
        "signature lines"
    );
    let csv = s.ok(&["receipt", "1001", "--on", "2025-02-03", "--format", "csv"]);
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "direction,serial,asset_tag,kind,make,model,condition,route,note,other_person",
            "handed_out,NEWPHONE1,,phone,,,,,,",
            "taken_back,DX3KQ29L0F,,phone,Apple,,damaged,repair,,",
        ]
    );
}

#[test]
fn return_all_from_prints_a_receipt_and_keeps_the_confirmations() {
    let s = office();
    let run = s.run(&[
        "return",
        "--all-from",
        "1001",
        "--on",
        "2025-02-10",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("Took back C02XK1JHJG5H"),
        "{}",
        run.stderr
    );
    let receipt: Value = serde_json::from_str(&run.stdout).expect("the receipt");
    assert_eq!(
        serials(&receipt["taken_back"]),
        ["C02XK1JHJG5H", "DX3KQ29L0F", "J55-100231"]
    );
    assert_eq!(receipt["handed_out"], json!([]));
    assert_eq!(receipt["date"], "2025-02-10");
    // Returning named devices prints no receipt.
    hand(&s, "X1", "1001", "dock", "Lenovo", "2025-02-11");
    assert_eq!(s.ok(&["return", "X1", "--on", "2025-02-12"]), "");
}

#[test]
fn transfer_hands_a_leavers_devices_to_the_successor_in_one_step() {
    let s = leavers();
    let run = s.run(&[
        "transfer",
        "--all-from",
        "1001",
        "--to",
        "4502",
        "--on",
        "2025-03-20",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let receipt: Value = serde_json::from_str(&run.stdout).expect("the receipt");
    assert_eq!(receipt["person"]["employee_no"], "4502");
    assert_eq!(
        serials(&receipt["handed_out"]),
        ["C02XK1JHJG5H", "DX3KQ29L0F", "J55-100231"]
    );
    assert_eq!(
        serials(&s.json(&["holdings", "1001"])["items"]),
        Vec::<String>::new()
    );
    assert_eq!(
        serials(&s.json(&["holdings", "4502"])["items"]),
        ["GK-PHONE", "C02XK1JHJG5H", "DX3KQ29L0F", "J55-100231"]
    );
    // The chain of custody: the old handout ended as transferred, the new one follows it.
    assert_eq!(
        s.count(
            "SELECT count(*) FROM handout new JOIN handout old ON new.follows_id = old.id
             WHERE old.end_reason = 'transferred' AND old.return_route IS NULL
               AND new.returned_at IS NULL"
        ),
        3
    );
    let history = s.json(&["history", "C02XK1JHJG5H"]);
    let last = history
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["action"], "transferred");
    assert_eq!(last["employee_no"], "4502");
    assert!(last["details"]["from_handout"].is_number(), "{last}");
    assert_eq!(last["status"], "handed_out");
    assert_eq!(
        s.count("SELECT count(*) FROM event WHERE action = 'transferred'"),
        3,
        "one event per device"
    );
}

#[test]
fn transfer_is_all_or_nothing() {
    let s = leavers();
    // GK-PHONE is Per's, not Åsa's: nothing moves.
    s.refused(
        &[
            "transfer",
            "C02XK1JHJG5H",
            "GK-PHONE",
            "--from",
            "1001",
            "--to",
            "4471",
        ],
        1,
        "GK-PHONE is held by Per Gustafsson (4502), not by Åsa Öberg (1001)",
    );
    s.refused(
        &["transfer", "C02XK1JHJG5H", "--to", "1001"],
        1,
        "held by Åsa Öberg (1001) already",
    );
    s.ok(&["return", "J55-100231", "--on", "2025-03-01"]);
    s.refused(
        &["transfer", "C02XK1JHJG5H", "J55-100231", "--to", "4471"],
        1,
        "nobody holds J55-100231",
    );
}

/// Three people leave in the first half of 2025: Per returns everything in time, Maria five
/// days late, Åsa still holds a headset. A monitor is lost; a keyboard-dock goes to recycling.
fn report_data() -> Scratch {
    let s = Scratch::new();
    person(&s, "1001", "Åsa Öberg", "Fritidsförvaltningen");
    person(&s, "4471", "Maria Olsson", "Gatukontoret");
    person(&s, "4502", "Per Gustafsson", "Gatukontoret");
    hand(&s, "L1", "4502", "laptop", "Dell", "2025-01-10");
    hand(&s, "M1", "4502", "monitor", "Dell", "2025-01-10");
    hand(&s, "P1", "4471", "phone", "Apple", "2025-01-10");
    hand(&s, "K1", "4471", "dock", "Lenovo", "2025-01-10");
    hand(&s, "H1", "1001", "headset", "Jabra", "2025-01-10");
    s.ok(&["leave", "4502", "--on", "2025-03-31"]);
    s.ok(&["leave", "4471", "--on", "2025-04-30"]);
    s.ok(&["leave", "1001", "--on", "2025-05-31"]);
    s.ok(&["lost", "M1", "--on", "2025-02-15"]);
    s.ok(&["return", "L1", "--on", "2025-03-28"]);
    s.ok(&[
        "return",
        "K1",
        "--condition",
        "broken",
        "--on",
        "2025-04-10",
    ]);
    s.ok(&[
        "return",
        "P1",
        "--condition",
        "damaged",
        "--on",
        "2025-05-05",
    ]);
    s
}

#[test]
fn the_report_counts_departures_returns_and_routes() {
    let s = report_data();
    let report = s.json(&["report", "--from", "2025-01-01", "--to", "2025-06-30"]);
    assert_eq!(report["from"], "2025-01-01");
    assert_eq!(report["to"], "2025-06-30");
    assert_eq!(report["departures"]["left"], 3);
    assert_eq!(report["departures"]["returned_on_time"], 1);
    assert_eq!(
        report["departures"]["late"],
        json!([{"person": "Maria Olsson (4471)", "last_working_day": "2025-04-30",
                "returned_all_on": "2025-05-05", "days_late": 5}])
    );
    assert_eq!(
        report["outstanding"],
        json!([{"person": "Åsa Öberg (1001)", "serial": "H1", "kind": "headset",
                "handed_out_on": "2025-01-10", "last_working_day": "2025-05-31",
                "days_overdue": 31, "asset_tag": null, "make": "Jabra", "model": null,
                "note": null}])
    );
    assert_eq!(
        report["missing"],
        json!([{"serial": "M1", "kind": "monitor", "status": "lost", "since": "2025-02-15",
                "last_holder": "Per Gustafsson (4502)", "asset_tag": null,
                "make": report["missing"][0]["make"], "model": null, "note": null}])
    );
    assert_eq!(
        report["routes"],
        json!({"reuse": 1, "repair": 1, "recycle": 1})
    );
    assert_eq!(report["in_stock"], json!([{"kind": "laptop", "count": 1}]));
    let monthly: Vec<(String, Value, Value)> = report["monthly"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    (
                        format!("{}-{:02}", m["year"], m["month"].as_u64().unwrap_or(0)),
                        m["on_time"].clone(),
                        m["late"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        monthly,
        [
            ("2025-01".to_string(), json!(0), json!(0)),
            ("2025-02".to_string(), json!(0), json!(0)),
            ("2025-03".to_string(), json!(1), json!(0)),
            ("2025-04".to_string(), json!(1), json!(0)),
            ("2025-05".to_string(), json!(0), json!(1)),
            ("2025-06".to_string(), json!(0), json!(0)),
        ]
    );
    // One department: only Gatukontoret's people and their devices.
    let report = s.json(&[
        "report",
        "--from",
        "2025-01-01",
        "--to",
        "2025-06-30",
        "--department",
        "Gatukontoret",
    ]);
    assert_eq!(report["departures"]["left"], 2);
    assert_eq!(report["outstanding"], json!([]));
    assert_eq!(
        report["routes"],
        json!({"reuse": 1, "repair": 1, "recycle": 1})
    );
}

#[rstest]
#[case("en", "Follow-up", "Share reused")]
#[case("sv", "Uppföljning", "Andel som återanvänds")]
fn the_report_renders_with_its_charts(
    #[case] lang: &str,
    #[case] title: &str,
    #[case] share: &str,
) {
    let s = report_data();
    let html = ok_in(
        &s,
        lang,
        &["report", "--from", "2025-01-01", "--to", "2025-06-30"],
    );
    assert!(html.contains(title), "{title}");
    assert!(html.contains(share), "{share}");
    assert_eq!(
        html.matches("<svg").count(),
        2,
        "the routes and the monthly chart"
    );
    let md = ok_in(
        &s,
        lang,
        &[
            "report",
            "--from",
            "2025-01-01",
            "--to",
            "2025-06-30",
            "--format",
            "md",
        ],
    );
    assert!(md.contains("Maria Olsson (4471)"));
    // The report is a document: other formats are a usage error.
    let run = s.run(&["report", "--format", "csv"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("html, md, json"), "{}", run.stderr);
}

#[test]
fn checklist_arguments_are_checked() {
    let s = office();
    assert_eq!(s.run(&["checklist"]).code, 2);
    assert_eq!(
        s.run(&["checklist", "1001", "--leaving-before", "2025-12-31"])
            .code,
        2
    );
    assert_eq!(s.run(&["checklist", "1001", "--lang", "de"]).code, 2);
    assert_eq!(
        s.run(&["checklist", "--leaving-before", "2025-02-30"]).code,
        65
    );
}

/// Review finding B4: a plain return asked for a receipt writes one.
#[test]
fn a_plain_return_writes_its_receipt_when_asked() {
    let s = Scratch::new();
    s.ok(&["person", "add", "4471", "--name", "Maria Olsson"]);
    s.ok(&["handout", "F17XYZ123", "--to", "4471", "--kind", "laptop"]);
    let out = s.path("kvittens.html");
    s.ok(&[
        "return",
        "F17XYZ123",
        "--lang",
        "sv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("Kvittens") && html.contains("F17XYZ123"),
        "{html}"
    );
}

/// Characters a terminal draws as nothing; none may reach a table.
const INVISIBLE: [char; 6] = [
    '\u{ad}', '\u{200b}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{202e}',
];

/// Issue 12: with `--lang sv` (or `HANDBACK_LANG=sv`) table headers and status words are
/// Swedish, and no soft hyphen or other invisible character reaches the terminal or shifts
/// a column: every line of a table is as wide as the others (å, ä, ö and the box-drawing
/// characters are one column each).
#[rstest]
#[case::flag(&["--lang", "sv"], "en")]
#[case::environment(&[], "sv")]
fn swedish_tables_are_swedish_and_their_columns_line_up(
    #[case] flag: &[&str],
    #[case] env_lang: &str,
) {
    let s = Scratch::new();
    s.ok(&[
        "person",
        "add",
        "1001",
        "--name",
        "Åsa\u{ad}\u{200b} Öberg\u{2060}",
        "--department",
        "Gatu\u{ad}kontoret",
    ]);
    s.ok(&["person", "add", "4471", "--name", "Maria Olsson"]);
    s.ok(&[
        "device",
        "add",
        "DEV-1",
        "--kind",
        "laptop",
        "--model",
        "Lati\u{ad}tude\u{feff}",
    ]);
    s.ok(&["device", "add", "DEV-2", "--kind", "phone"]);
    s.ok(&["handout", "DEV-1", "--to", "1001"]);
    let in_swedish = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(flag);
        ok_in(&s, env_lang, &all)
    };
    let people = in_swedish(&["person", "list"]);
    let devices = in_swedish(&["device", "list"]);
    for (table, words) in [
        (
            &people,
            &["anställningsnummer", "namn", "avdelning", "Åsa Öberg"][..],
        ),
        (
            &devices,
            &[
                "serienummer",
                "inventarienummer",
                "utlämnad",
                "i lager",
                "Latitude",
            ][..],
        ),
    ] {
        for word in words {
            assert!(table.contains(word), "{word:?} missing:\n{table}");
        }
        let widths: Vec<usize> = table.lines().map(|l| l.chars().count()).collect();
        assert!(
            widths.len() > 3 && widths.iter().all(|&w| w == widths[0]),
            "columns do not line up ({widths:?}):\n{table}"
        );
    }
    for args in [
        &["holdings", "1001"][..],
        &["history", "DEV-1"][..],
        &["device", "show", "DEV-1"][..],
        &["checklist", "1001", "--format", "table"][..],
    ] {
        let out = in_swedish(args);
        assert!(!out.contains(INVISIBLE), "{args:?}: {out:?}");
        assert!(
            !out.contains("handed out"),
            "{args:?}: English words:\n{out}"
        );
    }
    assert!(in_swedish(&["history", "DEV-1"]).contains("enhet registrerad"));
    assert!(in_swedish(&["device", "show", "DEV-1"]).contains("Innehas av"));
    // English stays as it was, and so does the data in CSV.
    let english = ok_in(&s, "en", &["device", "list"]);
    assert!(
        english.contains("serial") && english.contains("handed out"),
        "{english}"
    );
    let csv = ok_in(&s, "sv", &["device", "list", "--format", "csv"]);
    assert!(csv.contains(",handed_out,"), "{csv}");
}

/// Issue 12, item 7: a misspelt department found nobody, and a nightly
/// `overdue --fail-if-any --department Typo` passed for ever.
#[rstest]
#[case::overdue(&["overdue", "--as-of", "2025-04-01", "--fail-if-any", "--department", "Gatukontor"])]
#[case::checklist(&["checklist", "--leaving-before", "2025-12-31", "--department", "Gatukontor"])]
#[case::report(&["report", "--from", "2025-01-01", "--to", "2025-06-30", "--department", "Gatukontor"])]
fn an_unknown_department_is_an_error_not_an_all_clear(#[case] args: &[&str]) {
    let s = leavers();
    let stderr = s.refused(args, 1, "nobody is in the department \"Gatukontor\"");
    assert!(
        stderr.contains("the nearest known departments: Gatukontoret"),
        "{stderr}"
    );
}

#[test]
fn a_department_is_known_in_any_case_and_a_far_one_lists_the_departments() {
    let s = leavers();
    let run = s.run(&[
        "overdue",
        "--as-of",
        "2025-04-01",
        "--fail-if-any",
        "--department",
        "GATUKONTORET",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("Maria Olsson"), "{}", run.stdout);
    s.refused(
        &["overdue", "--department", "Nope"],
        1,
        "the known departments: Fritidsförvaltningen, Gatukontoret, | pipes |",
    );
}

/// Issue 12, item 7: a window that ends before it starts is a usage error, not an empty
/// batch (checklist) or a refusal of the data (report).
#[rstest]
#[case::checklist(
    &["checklist", "--leaving-after", "2025-04-01", "--leaving-before", "2025-03-01"],
    "--leaving-after 2025-04-01 is after --leaving-before 2025-03-01"
)]
#[case::report(
    &["report", "--from", "2025-06-01", "--to", "2025-01-01"],
    "--from 2025-06-01 is after --to 2025-01-01"
)]
fn a_reversed_window_is_a_usage_error(#[case] args: &[&str], #[case] message: &str) {
    let s = leavers();
    let stderr = s.refused(args, 2, message);
    assert!(stderr.contains("Usage: handback "), "{stderr}");
    // One day is a window.
    let mut same_day = args.to_vec();
    let last = same_day.len() - 1;
    same_day[last] = same_day[last - 2];
    s.ok(&same_day);
}

mod paper;
mod printed;

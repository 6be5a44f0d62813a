//! `handback import` of wide lists: one row per person, a column per device.

use crate::common::{Scratch, fixture};
use serde_json::Value;

fn import_json(s: &Scratch, args: &[&str]) -> Value {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let run = s.run(&all);
    assert_eq!(run.code, 0, "{args:?}: {}{}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr))
}

/// Each item a person holds, as (serial, kind).
fn held(s: &Scratch, person: &str) -> Vec<(String, String)> {
    s.json(&["holdings", person])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["serial"].as_str().unwrap().to_string(),
                i["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Each column's header, with its field and kind when it has them.
fn columns(summary: &Value) -> Vec<(String, Option<String>, Option<String>)> {
    summary["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap().to_string(),
                c["field"].as_str().map(str::to_string),
                c["kind"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn column(
    header: &str,
    field: &str,
    kind: Option<&str>,
) -> (String, Option<String>, Option<String>) {
    (
        header.to_string(),
        Some(field.to_string()),
        kind.map(str::to_string),
    )
}

#[test]
fn a_swedish_wide_list_reads_a_device_of_its_kind_from_each_column() {
    let s = Scratch::new();
    let summary = import_json(&s, &[&fixture("import/wide-list-sv.csv")]);
    let summary = &summary[0];
    assert_eq!(summary["kind"], "handouts");
    assert_eq!(summary["encoding"], "windows-1252");
    assert_eq!(summary["rows"], 4);
    assert_eq!(summary["people_created"], 4);
    assert_eq!(summary["devices_created"], 6);
    assert_eq!(summary["handouts_opened"], 6);
    let read = columns(summary);
    for expected in [
        column("Serienr dator", "serial", Some("laptop")),
        column("IMEI telefon", "serial", Some("phone")),
        column("Serienr skärm", "serial", Some("monitor")),
    ] {
        assert!(read.contains(&expected), "{expected:?} in {read:?}");
    }

    assert_eq!(
        held(&s, "4471"),
        pairs(&[
            ("5ZKQ9X3", "laptop"),
            ("356789012345674", "phone"),
            ("CN-0F6K2M", "monitor"),
        ])
    );
    assert_eq!(held(&s, "4502"), pairs(&[("PF3XK2L1", "laptop")]));
    assert_eq!(
        held(&s, "4618"),
        pairs(&[("352099001761481", "phone"), ("CN-0F6K9Q", "monitor")])
    );
    // Börje holds none of the list's devices: he is a person of the register all the same.
    assert_eq!(held(&s, "4620"), pairs(&[]));
    let maria = s.json(&["holdings", "4471"]);
    for item in maria["items"].as_array().unwrap() {
        assert_eq!(item["handed_out_on"], "2024-03-05");
        assert_eq!(item["handed_out_by"], "Ahmed (IT)");
    }
    let phone = s.json(&["device", "show", "356789012345674"]);
    assert_eq!(phone["history"][0]["details"]["import"]["line"], 2);

    let before = s.state();
    let run = s.run(&["import", &fixture("import/wide-list-sv.csv")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("6 already recorded"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing changed"), "{}", run.stderr);
    assert_eq!(before, s.state());
}

#[test]
fn the_text_summary_says_which_column_became_which_kind() {
    let s = Scratch::new();
    let run = s.run(&["import", &fixture("import/wide-list-sv.csv")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "\"Serienr dator\" → serial (laptop)",
        "\"IMEI telefon\" → serial (phone)",
        "\"Serienr skärm\" → serial (monitor)",
        "a column per device: each filled cell of \"Serienr dator\", \"IMEI telefon\", \
         \"Serienr skärm\" is a device of its own",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected:?} in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn an_english_wide_list_and_a_column_headed_by_a_kind_alone() {
    let s = Scratch::new();
    let summary = import_json(&s, &[&fixture("import/wide-list-en.csv")]);
    let read = columns(&summary[0]);
    for expected in [
        column("Laptop S/N", "serial", Some("laptop")),
        column("Phone IMEI", "serial", Some("phone")),
        column("Monitor serial", "serial", Some("monitor")),
        column("Headset", "serial", Some("headset")),
    ] {
        assert!(read.contains(&expected), "{expected:?} in {read:?}");
    }
    let headset = &summary[0]["columns"][5];
    assert_eq!(headset["from_values"], true, "{headset}");
    assert_eq!(summary[0]["devices_created"], 6);
    assert_eq!(
        held(&s, "karin.sjoberg@example.org"),
        pairs(&[
            ("5CG1234XYZ", "laptop"),
            ("356789012345674", "phone"),
            ("J55-100231", "headset"),
        ])
    );
    assert_eq!(
        held(&s, "Omar Haddad"),
        pairs(&[
            ("5CG1234XZA", "laptop"),
            ("CN-0F6K2M", "monitor"),
            ("J55-100232", "headset"),
        ])
    );
}

#[test]
fn a_serial_and_an_imei_column_are_two_devices_the_imei_a_phone() {
    let s = Scratch::new();
    let summary = import_json(&s, &[&fixture("import/serial-and-imei.csv")]);
    assert_eq!(summary[0]["devices_created"], 3);
    assert_eq!(
        held(&s, "4471"),
        pairs(&[("5ZKQ9X3", "laptop"), ("356789012345674", "phone")])
    );
    // The row's type and model describe the device of its first serial column.
    let laptop = s.json(&["device", "show", "5ZKQ9X3"]);
    assert_eq!(laptop["model"], "Latitude 7440");
    let phone = s.json(&["device", "show", "356789012345674"]);
    assert_eq!(phone["model"], Value::Null);
    assert_eq!(held(&s, "4502"), pairs(&[("R52W10ABCDE", "tablet")]));
}

#[test]
fn a_list_whose_serial_columns_would_all_be_ignored_is_refused() {
    let s = Scratch::new();
    let file = fixture("import/wide-serials-of-no-kind.csv");
    let stderr = s.refused(
        &["import", &file],
        65,
        "would import as a list of people and lose its devices",
    );
    for expected in [
        "\"Serienr laddare\", \"Serienummer gammal dator\" hold serial numbers",
        "--map \"Serienr laddare=serial:laptop\"",
        "--kind people",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
    // Asked for the people alone, it imports them and says what it ignored.
    let run = s.run(&["import", &file, "--kind", "people"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("\"Serienr laddare\": ignored (serial numbers, but of no kind"),
        "{}",
        run.stderr
    );
    assert_eq!(s.count("SELECT count(*) FROM person"), 2);
    assert_eq!(s.count("SELECT count(*) FROM device"), 0);
    // Named by hand, they are devices.
    let s = Scratch::new();
    import_json(
        &s,
        &[
            &file,
            "--map",
            "Serienr laddare=serial:other",
            "--map",
            "Serienummer gammal dator=serial:laptop",
        ],
    );
    assert_eq!(
        held(&s, "4471"),
        pairs(&[("CH-88121", "other"), ("5ZKQ9X3", "laptop")])
    );
}

#[test]
fn map_serial_kind_names_a_device_column_by_hand() {
    let s = Scratch::new();
    let file = fixture("import/wide-map.csv");
    // Unmapped, "Lånedator" and "Telefon" say nothing of serial numbers: a list of people.
    let summary = import_json(&s, &[&file, "--dry-run"]);
    assert_eq!(summary[0]["kind"], "people");
    let summary = import_json(
        &s,
        &[
            &file,
            "--map",
            "Lånedator=serial:Bärbar dator",
            "--map",
            "Telefon=serial:mobil",
        ],
    );
    let read = columns(&summary[0]);
    assert!(
        read.contains(&column("Lånedator", "serial", Some("laptop"))),
        "{read:?}"
    );
    assert!(
        read.contains(&column("Telefon", "serial", Some("phone"))),
        "{read:?}"
    );
    assert_eq!(
        held(&s, "4502"),
        pairs(&[("PF3XK2L1", "laptop"), ("352099001761481", "phone")])
    );
}

#[test]
fn map_serial_kind_is_checked() {
    let s = Scratch::new();
    let file = fixture("import/wide-map.csv");
    for (map, says) in [
        ("Namn=name:laptop", "only serial takes a kind"),
        ("Telefon=serial:", "name the kind after the colon"),
    ] {
        s.refused(&["import", &file, "--map", map], 65, says);
    }
    s.refused(
        &[
            "import",
            &file,
            "--map",
            "Lånedator=serial",
            "--map",
            "Telefon=serial",
        ],
        65,
        "HEADER=serial:KIND",
    );
}

#[test]
fn errors_in_a_wide_row_name_the_line_and_the_column_and_the_others_import() {
    let s = Scratch::new();
    let file = fixture("import/wide-list-errors.csv");
    let stderr = s.refused(&["import", &file], 65, "nothing was imported");
    for expected in [
        "wide-list-errors.csv:2: column \"IMEI telefon\": \"3,56789E+14\"",
        "wide-list-errors.csv:4: column \"Serienr dator\": 5ZKQ9X3 is handed to two \
         different people in this file: lines 2 and 4",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }

    let rejects = s.path("rejects.csv");
    s.ok(&[
        "import",
        &file,
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    // Maria's laptop is read; her phone's cell is not, and her row is to be fixed.
    assert_eq!(held(&s, "4471"), pairs(&[("5ZKQ9X3", "laptop")]));
    assert_eq!(
        held(&s, "4502"),
        pairs(&[("PF3XK2L1", "laptop"), ("352099001761481", "phone")])
    );
    let text = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        3,
        "a header and the two rows, once each:\n{text}"
    );
    assert!(lines[1].contains("Maria Olsson;4471"), "{text}");
    assert!(lines[2].contains("Cia Ny;4700"), "{text}");
}

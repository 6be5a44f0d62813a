//! `handback export`: CSV safe for spreadsheets, Excel's Swedish CSV, JSON arrays.

use crate::common::Scratch;

fn office() -> Scratch {
    let s = Scratch::new();
    s.ok(&[
        "person",
        "add",
        "4471",
        "--name",
        "=HYPERLINK(\"http://x\")",
        "--department",
        "Gatukontoret",
    ]);
    s.ok(&[
        "person",
        "add",
        "4618",
        "--name",
        "Åsa Wikström",
        "--department",
        "Fritidsförvaltningen",
    ]);
    s.ok(&[
        "handout",
        "5ZKQ9X3",
        "--to",
        "4618",
        "--kind",
        "Bärbar dator",
        "--make",
        "Dell",
        "--on",
        "2022-10-03",
    ]);
    s
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let s = office();
    let csv = s.ok(&["export", "people"]);
    assert!(
        csv.contains("4471,\"'=HYPERLINK(\"\"http://x\"\")\",,Gatukontoret,"),
        "{csv}"
    );
}

#[test]
fn excel_export_is_utf8_with_a_bom_and_semicolons() {
    let s = office();
    let out = s
        .command()
        .args(["export", "handouts", "--excel"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stdout
            .starts_with("\u{feff}serial;asset_tag;kind;".as_bytes())
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "5ZKQ9X3;;laptop;Dell;;4618;Åsa Wikström;;Fritidsförvaltningen;;2022-10-03 12:00:00;Ahmed (IT);;"
        ),
        "{text}"
    );
}

#[test]
fn json_exports_are_arrays_of_objects() {
    let s = office();
    for table in ["people", "devices", "handouts", "events"] {
        let value: serde_json::Value =
            serde_json::from_str(&s.ok(&["export", table, "--format", "json"])).unwrap();
        let rows = value
            .as_array()
            .unwrap_or_else(|| panic!("{table} is not an array"));
        assert!(
            !rows.is_empty() && rows.iter().all(|r| r.is_object()),
            "{table}"
        );
    }
    let handouts = s.ok(&["export", "handouts", "--format", "json"]);
    assert!(handouts.contains("\"name\":\"Åsa Wikström\""), "{handouts}");
}

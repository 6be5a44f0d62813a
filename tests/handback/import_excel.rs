//! `handback import` of workbooks and of lists shaped the way offices keep them: title
//! lines, totals, merged cells, names last name first, unknown headers, day-first dates,
//! mixed encodings, and identifiers Excel has mangled. One fixture per case.

use crate::common::{Scratch, fixture};
use serde_json::Value;

fn import_json(s: &Scratch, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let run = s.run(&all);
    let summary = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    (run.code, summary)
}

/// `serial → holder name` of the handouts open now, sorted.
fn holdings(s: &Scratch) -> Vec<(String, String, String)> {
    let mut rows: Vec<(String, String, String)> = s
        .json(&["export", "handouts"])
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["serial"].as_str().unwrap().to_string(),
                h["name"].as_str().unwrap().to_string(),
                h["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn skipped(summary: &Value) -> Vec<(u64, String)> {
    summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().unwrap(),
                s["why"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn field_of(summary: &Value, header: &str) -> (Value, bool) {
    let column = summary["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["header"] == header)
        .unwrap_or_else(|| panic!("no column {header}"));
    (column["field"].clone(), column["from_values"] == true)
}

fn triple(serial: &str, name: &str, kind: &str) -> (String, String, String) {
    (serial.into(), name.into(), kind.into())
}

#[test]
fn an_excel_workbook_imports_from_its_first_sheet_that_is_a_list() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/excel-handouts.xlsx")]);
    assert_eq!(code, 0, "{summary}");
    let summary = &summary[0];
    assert_eq!(summary["sheet"], "Utlämnat");
    assert_eq!(summary["rows"], 3);
    // The merged title, the total row and the note under the list are skipped and named.
    assert_eq!(
        skipped(summary),
        vec![(1, "title".into()), (8, "total".into()), (9, "note".into())]
    );
    assert_eq!(field_of(summary, "Utr. typ"), ("kind".into(), true));
    assert_eq!(field_of(summary, "Utlämnat datum").0, "handed_out_on");
    assert_eq!(field_of(summary, "Organisationsenhet").0, "department");
    // Karin's merged name is hers on both rows, turned around; the 15-digit IMEI is exact.
    assert_eq!(
        holdings(&s),
        vec![
            triple("356789012345678", "Börje Öst", "phone"),
            triple("DK-7781", "Karin Sjöberg", "dock"),
            triple("PF3X9K2", "Karin Sjöberg", "laptop"),
        ]
    );
    let handouts = s.json(&["export", "handouts"]);
    let karin = handouts
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["serial"] == "PF3X9K2")
        .unwrap();
    assert_eq!(karin["employee_no"], "0042");
    assert!(
        karin["handed_out_at"]
            .as_str()
            .unwrap()
            .starts_with("2024-03-05"),
        "{karin}"
    );
    assert_eq!(summary["undated_handouts"], 0);
}

#[test]
fn a_sheet_is_chosen_by_name_and_a_missing_one_is_named() {
    let s = Scratch::new();
    let file = fixture("import/excel-handouts.xlsx");
    let stderr = s.refused(&["import", &file, "--sheet", "Blad9"], 65, "no such sheet");
    assert!(
        stderr.contains("\"Instruktioner\", \"Utlämnat\""),
        "{stderr}"
    );
    s.refused(
        &["import", &file, "--sheet", "instruktioner"],
        65,
        "is not a list handback can import",
    );
    let (code, summary) = import_json(&s, &[&file, "--sheet", "utlämnat", "--dry-run"]);
    assert_eq!((code, summary[0]["committed"].clone()), (0, false.into()));
}

#[test]
fn identifiers_excel_has_mangled_are_errors_naming_sheet_row_and_column() {
    let s = Scratch::new();
    let file = fixture("import/excel-mangled.xlsx");
    let stderr = s.refused(&["import", &file], 65, "nothing was imported");
    for expected in [
        "sheet \"Mobiler\", row 2, column \"Serienr\" (D): \"3567890123456789\" is a number in Excel",
        "sheet \"Mobiler\", row 3, column \"Anst.nr\" (B): \"107\" is a number in Excel and has lost its leading zeros",
        "sheet \"Mobiler\", row 4, column \"Serienr\" (D): \"2024-03-05\" is a date in Excel",
        "format the column as text",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in:\n{stderr}");
    }
}

#[test]
fn skip_invalid_writes_a_workbooks_rejects_as_csv_for_excel() {
    let s = Scratch::new();
    let file = fixture("import/excel-mangled.xlsx");
    let rejects = s.path("att-rätta.csv");
    let rejects_arg = rejects.to_str().unwrap();
    let (code, summary) = import_json(&s, &[&file, "--skip-invalid", "--rejects", rejects_arg]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary[0]["rejected"], 3);
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        text.starts_with("\u{feff}Fel;Namn;Anst.nr;Typ;Serienr\r\n"),
        "{text}"
    );
    assert!(
        text.contains("Per Gustafsson;107;Mobil;R52W10ABCDE"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4, "{text}");
}

#[test]
fn an_exported_workbook_imports_back_into_the_same_register() {
    let s = Scratch::new();
    s.ok(&["import", &fixture("utlamnad-utrustning-excel.csv")]);
    s.ok(&["import", &fixture("import/excel-handouts.xlsx")]);
    let out = s.path("handouts.xlsx");
    s.ok(&[
        "export",
        "handouts",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    let before = s.json(&["export", "handouts"]);

    let other = s.path("other.sqlite");
    s.run_on(&other, &["init"]);
    let run = s.run_on(&other, &["import", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = s.run_on(&other, &["export", "handouts", "--format", "json"]);
    let after: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(before, after);
}

#[test]
fn a_workbook_export_needs_a_file() {
    let s = Scratch::new();
    let run = s.run(&["export", "people", "--format", "xlsx"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
}

#[test]
fn title_lines_above_the_header_and_a_total_row_below_are_skipped_and_named() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/title-and-total.csv")]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(
        skipped(&summary[0]),
        vec![
            (1, "title".into()),
            (2, "title".into()),
            (9, "total".into()),
            (10, "note".into())
        ]
    );
    assert_eq!(summary[0]["devices_created"], 3);
    let run = s.run(&[
        "import",
        &fixture("import/title-and-total.csv"),
        "--dry-run",
    ]);
    assert!(
        run.stderr
            .contains("skipped line 9, a total row: \"Summa; 3\""),
        "{}",
        run.stderr
    );
}

#[test]
fn names_written_last_name_first_are_turned_around() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/efternamn-fornamn.csv")]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(
        field_of(&summary[0], "Efternamn, Förnamn").0,
        "name_last_first"
    );
    assert_eq!(summary[0]["no_name_column"], false);
    assert_eq!(
        holdings(&s),
        vec![
            triple("5CG1234XYZ", "Börje Öst", "other"),
            triple("PF3X9K2", "Karin Sjöberg", "other"),
        ]
    );
}

#[test]
fn columns_of_unknown_headers_are_read_by_their_values_and_a_list_without_names_says_so() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/kind-by-values.csv")]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(field_of(&summary[0], "Utr. typ"), ("kind".into(), true));
    assert_eq!(field_of(&summary[0], "Kontakt"), ("email".into(), true));
    assert_eq!(summary[0]["kind"], "handouts");
    assert_eq!(summary[0]["no_name_column"], true);
    let run = s.run(&["import", &fixture("import/kind-by-values.csv"), "--dry-run"]);
    assert!(
        run.stderr.contains("\"Utr. typ\" → kind, from its values"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no name column"), "{}", run.stderr);
    let kinds: Vec<String> = holdings(&s).into_iter().map(|(_, _, k)| k).collect();
    // Nobody is named by their e-mail address: by its user name instead.
    let people = s.json(&["person", "list"]);
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| !n.contains('@')),
        "{names:?}"
    );
    // Sorted by serial: DX3KQ29L0F, J55-100231, PF3X9K2.
    assert_eq!(kinds, vec!["phone", "headset", "laptop"]);
}

#[test]
fn snipe_it_custom_reports_read_the_assignee_as_a_name_not_a_date() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/snipe-it-custom-report.csv")]);
    assert_eq!(code, 0, "{summary}");
    let summary = &summary[0];
    assert_eq!(field_of(summary, "Checked Out").0, "name");
    assert_eq!(field_of(summary, "Type").0, Value::Null);
    assert_eq!(field_of(summary, "Checkout Date").0, "handed_out_on");
    assert_eq!(field_of(summary, "Employee No.").0, "employee_no");
    assert_eq!(
        holdings(&s),
        vec![triple("5CG1234XYZ", "Maria Olsson", "laptop")]
    );
    assert_eq!(summary["devices_created"], 2);
}

#[test]
fn unambiguous_dates_are_read_and_an_ambiguous_one_is_an_error_naming_it() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/dates-day-first.csv")]);
    assert_eq!(code, 0, "{summary}");
    let handouts = s.json(&["export", "handouts"]);
    let mut days: Vec<String> = handouts
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["handed_out_at"].as_str().unwrap()[..10].to_string())
        .collect();
    days.sort();
    assert_eq!(
        days,
        vec!["2024-03-05", "2024-03-05", "2024-03-05", "2024-03-12"]
    );

    let s = Scratch::new();
    let file = fixture("import/dates-ambiguous.csv");
    s.refused(&["import", &file], 65, "\"05/03/24\" is ambiguous");
    // With the layout named, it is read; two layouts that disagree are ambiguous again.
    s.ok(&["import", &file, "--date-format", "%d/%m/%y", "--dry-run"]);
    s.refused(
        &[
            "import",
            &file,
            "--date-format",
            "%d/%m/%y",
            "--date-format",
            "%y/%m/%d",
        ],
        65,
        "ambiguous",
    );
}

#[test]
fn windows_1252_lines_in_a_utf8_file_are_read_as_such_and_listed() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/mixed-encoding.csv")]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary[0]["encoding"], "UTF-8");
    assert_eq!(summary[0]["redecoded_lines"], serde_json::json!([3]));
    let names: Vec<String> = holdings(&s).into_iter().map(|(_, n, _)| n).collect();
    assert!(names.contains(&"Börje Öst".to_string()), "{names:?}");
}

#[test]
fn fill_down_gives_a_persons_rows_their_cells() {
    let s = Scratch::new();
    let file = fixture("import/fill-down.csv");
    // Without it, the rows under a person are devices in stock.
    let (_, summary) = import_json(&s, &[&file, "--dry-run"]);
    assert_eq!(summary[0]["handouts_opened"], 2);
    let (code, summary) = import_json(
        &s,
        &[&file, "--fill-down", "Namn", "--fill-down", "anst nr"],
    );
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary[0]["filled_cells"], 6);
    assert_eq!(
        holdings(&s),
        vec![
            triple("CN-0F7H2K", "Karin Sjöberg", "monitor"),
            triple("DK-7781", "Karin Sjöberg", "dock"),
            triple("DX3KQ29L0F", "Börje Öst", "phone"),
            triple("J55-100231", "Börje Öst", "headset"),
            triple("PF3X9K2", "Karin Sjöberg", "laptop"),
        ]
    );
    s.refused(
        &["import", &file, "--fill-down", "Rum"],
        65,
        "--fill-down \"Rum\"",
    );
}

#[test]
fn a_number_excel_saved_in_scientific_form_is_an_error_saying_how_to_fix_it() {
    let s = Scratch::new();
    let stderr = s.refused(
        &["import", &fixture("import/excel-scientific.csv")],
        65,
        "excel-scientific.csv:2: column \"IMEI\": \"3,56789E+14\"",
    );
    assert!(stderr.contains("format the column as text"), "{stderr}");
}

#[test]
fn broken_workbooks_are_refused_not_panicked_on() {
    let s = Scratch::new();
    let zip = s.write("trasig.xlsx", b"PK\x03\x04garbage that is no archive");
    s.refused(
        &["import", zip.to_str().unwrap()],
        65,
        "cannot be read as a workbook",
    );
    let ole = s.write(
        "trasig.xls",
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 1, 2],
    );
    s.refused(
        &["import", ole.to_str().unwrap()],
        65,
        "cannot be read as a workbook",
    );
}

#[test]
fn a_legacy_excel_file_imports_with_its_merged_cells_and_text_identifiers() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/excel-97-handouts.xls")]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary[0]["sheet"], "Utrustning");
    assert_eq!(skipped(&summary[0]), vec![(1, "title".into())]);
    let handouts = s.json(&["export", "handouts"]);
    let rows: Vec<(&str, &str, &str, &str)> = handouts
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["serial"].as_str().unwrap(),
                h["employee_no"].as_str().unwrap(),
                h["name"].as_str().unwrap(),
                h["handed_out_at"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("5ZKQ9X3", "0471", "Karin Sjöberg", "2022-10-03 12:00:00"),
            // The merged cells above cover the dock's row too.
            ("DK7700123", "0471", "Karin Sjöberg", "2022-10-03 12:00:00"),
            (
                "356789012345678",
                "4502",
                "Börje Öst",
                "2024-02-12 13:05:00"
            ),
        ]
    );
}

#[test]
fn an_opendocument_spreadsheet_imports_like_a_workbook() {
    let s = Scratch::new();
    let (code, summary) = import_json(&s, &[&fixture("import/opendocument-handouts.ods")]);
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary[0]["sheet"], "Utrustning");
    assert_eq!(skipped(&summary[0]), vec![(1, "title".into())]);
    let handouts = s.json(&["export", "handouts"]);
    let moments: Vec<(&str, &str, &str)> = handouts
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["serial"].as_str().unwrap(),
                h["employee_no"].as_str().unwrap(),
                h["handed_out_at"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        moments.contains(&("5ZKQ9X3", "0471", "2022-10-03 12:00:00")),
        "{moments:?}"
    );
    assert!(
        moments.contains(&("356789012345678", "4502", "2024-02-12 13:05:00")),
        "{moments:?}"
    );
}

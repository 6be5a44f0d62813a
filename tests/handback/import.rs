//! `handback import`: the sample lists end to end, and one nasty file for every rule.

use crate::common::{Scratch, fixture};
use serde_json::Value;

/// Windows-1252 bytes of a text, as Excel's plain "CSV" writes it in Sweden.
fn cp1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "{text} is not Windows-1252");
    bytes.into_owned()
}

fn serials(holdings: &Value) -> Vec<String> {
    holdings["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["serial"].as_str().unwrap().to_string())
        .collect()
}

fn import_json(s: &Scratch, args: &[&str]) -> Value {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend(["--format", "json"]);
    let run = s.run(&all);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr))
}

#[test]
fn the_swedish_excel_list_imports_with_everything_in_place() {
    let s = Scratch::new();
    let summary = import_json(&s, &[&fixture("utlamnad-utrustning-excel.csv")]);
    let summary = &summary[0];
    assert_eq!(summary["kind"], "handouts");
    assert_eq!(summary["encoding"], "windows-1252");
    assert_eq!(summary["delimiter"], ";");
    assert_eq!(
        (summary["rows"].as_u64(), summary["blank_rows"].as_u64()),
        (Some(7), Some(1))
    );
    assert_eq!(summary["people_created"], 3);
    assert_eq!(summary["handouts_opened"], 7);
    assert_eq!(summary["undated_handouts"], 0);

    let asa = s.json(&["holdings", "Åsa Wikström"]);
    assert_eq!(asa["person"]["employee_no"], "4618");
    assert_eq!(asa["person"]["department"], "Fritidsförvaltningen");
    assert_eq!(
        serials(&asa),
        ["CZC2481XYZ", "CNC1234ABC"],
        "the spaced, lower-case serial is normalised"
    );
    assert_eq!(asa["items"][1]["kind"], "monitor");
    assert_eq!(asa["items"][0]["handed_out_by"], "Linnea IT");
    let per = s.json(&["holdings", "4502"]);
    // The dock (a bare date, read as midday) was handed out before the tablet (13:05).
    assert_eq!(per["items"][0]["model"], "WD19S; 130W");
    assert_eq!(
        per["items"][1]["handed_out_on"], "2024-02-12",
        "a date with a time keeps its day"
    );
    let maria = s.json(&["holdings", "4471"]);
    assert_eq!(serials(&maria), ["5ZKQ9X3", "DX3KQ29L0F", "J55-100231"]);
    assert_eq!(maria["items"][0]["kind"], "laptop");

    let note = s.json(&["device", "show", "R52W10ABCDE"])["history"][0]["details"].clone();
    assert_eq!(note["note"], "Skal \"Otterbox\" ingår");
    assert_eq!(note["import"]["file"], "utlamnad-utrustning-excel.csv");
    assert_eq!(note["import"]["line"], 5);
}

#[test]
fn the_hr_export_and_the_stock_list_import_too() {
    let s = Scratch::new();
    s.ok(&[
        "import",
        &fixture("hr-export.csv"),
        &fixture("inventory-en.csv"),
    ]);
    let people = s.json(&["person", "list"]);
    assert_eq!(people.as_array().unwrap().len(), 3);
    assert_eq!(
        s.json(&["person", "show", "4618"])["person"]["end_date"],
        "2026-09-30"
    );
    assert_eq!(
        s.json(&["person", "show", "4502"])["person"]["end_date"],
        Value::Null
    );
    let tablet = s.json(&["device", "show", "SM-X710-0001"]);
    assert_eq!(
        (tablet["kind"].as_str(), tablet["status"].as_str()),
        (Some("tablet"), Some("in_repair"))
    );
    assert_eq!(tablet["purchased"], "2024-02-12");
    assert_eq!(
        s.json(&["stock", "--kind", "laptop"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_snipe_it_export_gives_handouts_and_stock() {
    let s = Scratch::new();
    let summary = import_json(&s, &[&fixture("import/snipe-it-export.csv")]);
    assert_eq!(summary[0]["kind"], "handouts");
    let held: u64 = summary[0]["handouts_opened"].as_u64().unwrap();
    let devices = s.json(&["device", "list"]);
    let in_stock = devices
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] != "handed_out")
        .count();
    assert_eq!(held as usize + in_stock, devices.as_array().unwrap().len());
    assert!(
        held > 0 && in_stock > 0,
        "rows without a person are devices in stock"
    );
}

#[test]
fn importing_the_same_file_again_changes_nothing_and_says_so() {
    let s = Scratch::new();
    s.ok(&["import", &fixture("utlamnad-utrustning-excel.csv")]);
    let before = s.state();
    let run = s.run(&["import", &fixture("utlamnad-utrustning-excel.csv")]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("nothing changed"), "{}", run.stderr);
    assert!(run.stderr.contains("7 already recorded"), "{}", run.stderr);
    assert_eq!(before, s.state());
}

#[test]
fn an_updated_hr_export_updates_what_changed_and_keeps_what_is_empty() {
    let s = Scratch::new();
    s.ok(&["import", &fixture("hr-export.csv")]);
    let updated = "\u{feff}Anst.nr;Namn;E-post;Förvaltning;Slutdatum\r\n\
        4471;Maria Olsson;maria.olsson@kommun.example;Kulturförvaltningen;\r\n\
        4502;Per Gustafsson;;Gatukontoret;2027-01-31\r\n";
    let path = s.write("hr-2.csv", updated);
    let run = s.run(&["import", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("changed Maria Olsson (4471): department"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("changed Per Gustafsson (4502): end_date"),
        "{}",
        run.stderr
    );
    let maria = s.json(&["person", "show", "4471"])["person"].clone();
    assert_eq!(maria["department"], "Kulturförvaltningen");
    assert_eq!(
        maria["end_date"], "2026-12-15",
        "an empty cell keeps the value"
    );
    let per = s.json(&["person", "show", "4502"])["person"].clone();
    assert_eq!(per["email"], "per.gustafsson@kommun.example");
    assert_eq!(per["end_date"], "2027-01-31");
}

/// A list with one good row and every kind of bad row.
const MIXED: &str = "Namn;Anst.nr;Serienr;Typ;Utlämnad\n\
    Åsa Öberg;1001;AAA-1;Dator;2024-01-10\n\
    Bo Ek;1002;;Dator;2024-01-10\n\
    Bo Ek;1002;BBB-2;Dator;2024-02-30\n\
    Bo Ek;1002;CCC-3;Dator;igår\n\
    Cia Ny;1003;DDD-4;Mobil;2024-01-10\n\
    Dan Ny;1004;DDD-4;Mobil;2024-01-11\n";

#[test]
fn a_file_with_invalid_rows_changes_nothing_and_lists_every_error() {
    let s = Scratch::new();
    let path = s.write("mixed.csv", MIXED);
    let stderr = s.refused(
        &["import", path.to_str().unwrap()],
        65,
        "nothing was imported",
    );
    for expected in [
        "mixed.csv:3: column \"Serienr\": the serial number is missing",
        "mixed.csv:4: column \"Utlämnad\": \"2024-02-30\"",
        "mixed.csv:5: column \"Utlämnad\": \"igår\"",
        "DDD-4 is handed to two different people in this file: lines 6 and 7",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn skip_invalid_imports_the_valid_rows_and_writes_the_rest_for_fixing() {
    let s = Scratch::new();
    let path = s.write("mixed.csv", cp1252(MIXED));
    let rejects = s.path("rejects.csv");
    s.ok(&[
        "import",
        path.to_str().unwrap(),
        "--skip-invalid",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(serials(&s.json(&["holdings", "1001"])), ["AAA-1"]);
    assert_eq!(serials(&s.json(&["holdings", "1003"])), ["DDD-4"]);
    let bytes = std::fs::read(&rejects).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the rejects keep the input's encoding"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "a header and four refused rows:\n{text}");
    assert!(lines[0].contains("Namn;Anst.nr;Serienr"), "{text}");
    assert!(text.contains("Dan Ny;1004;DDD-4"), "{text}");

    // Fixed by hand and imported again.
    let fixed = text
        .replace("Bo Ek;1002;;Dator", "Bo Ek;1002;EEE-5;Dator")
        .replace("2024-02-30", "2024-02-28")
        .replace("igår", "2024-03-01")
        .replace("Dan Ny;1004;DDD-4", "Dan Ny;1004;FFF-6");
    let fixed_path = s.write("fixed.csv", cp1252(&fixed));
    s.ok(&["import", fixed_path.to_str().unwrap()]);
    assert_eq!(
        serials(&s.json(&["holdings", "1002"])),
        ["EEE-5", "BBB-2", "CCC-3"]
    );
    assert_eq!(serials(&s.json(&["holdings", "Dan Ny"])), ["FFF-6"]);
}

#[test]
fn a_device_held_by_someone_else_is_refused_or_transferred() {
    let s = Scratch::new();
    s.ok(&["person", "add", "9", "--name", "Karin Holm"]);
    s.ok(&[
        "handout",
        "AAA-1",
        "--to",
        "9",
        "--kind",
        "laptop",
        "--on",
        "2023-05-01",
    ]);
    let path = s.write("list.csv", "Namn;Anst.nr;Serienr\nÅsa Öberg;1001;aaa-1\n");
    let stderr = s.refused(
        &["import", path.to_str().unwrap()],
        65,
        "AAA-1 is held by Karin Holm (9) since 2023-05-01",
    );
    assert!(stderr.contains("--on-conflict transfer"), "{stderr}");
    s.ok(&[
        "import",
        path.to_str().unwrap(),
        "--on-conflict",
        "transfer",
    ]);
    assert_eq!(serials(&s.json(&["holdings", "1001"])), ["AAA-1"]);
    assert_eq!(serials(&s.json(&["holdings", "9"])), Vec::<String>::new());
    let history = s.json(&["history", "AAA-1"]);
    assert_eq!(
        history.as_array().unwrap().last().unwrap()["action"],
        "transferred"
    );
}

#[test]
fn a_name_that_several_people_have_is_an_error_not_a_guess() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "Anna Berg"]);
    s.ok(&["person", "add", "2", "--name", "Anna Berg"]);
    let path = s.write("list.csv", "Användare;Serienr\nAnna Berg;X-1\n");
    s.refused(
        &["import", path.to_str().unwrap()],
        65,
        "2 people are called Anna Berg (1, 2)",
    );
}

#[test]
fn people_are_matched_by_number_then_email_then_name() {
    let s = Scratch::new();
    s.ok(&[
        "person",
        "add",
        "1",
        "--name",
        "Anna Berg",
        "--email",
        "anna.berg@kommun.example",
    ]);
    s.ok(&["person", "add", "2", "--name", "Olle Sten"]);
    let path = s.write(
        "list.csv",
        "Full Name,Email,Serial number\n\
         Anna B,ANNA.BERG@kommun.example,X-1\n\
         olle  sten,,X-2\n\
         New Person,new.person@kommun.example,X-3\n",
    );
    let run = s.run(&["import", path.to_str().unwrap()]);
    assert!(
        run.stderr.contains("3 handouts had no date"),
        "{}",
        run.stderr
    );
    assert_eq!(serials(&s.json(&["holdings", "1"])), ["X-1"]);
    assert_eq!(
        s.json(&["holdings", "1"])["person"]["name"],
        "Anna B",
        "a non-empty cell overwrites"
    );
    assert_eq!(serials(&s.json(&["holdings", "2"])), ["X-2"]);
    assert_eq!(
        serials(&s.json(&["holdings", "new.person@kommun.example"])),
        ["X-3"]
    );
}

#[test]
fn files_that_are_not_lists_are_refused_in_one_sentence() {
    let s = Scratch::new();
    let cases: [(&str, &[u8], &str); 6] = [
        ("empty.csv", b"", "empty"),
        (
            "binary.csv",
            b"\x00\x01\x02PK\x03\x04\x00\x00garbage",
            "binary",
        ),
        ("header-only.csv", b"Serienr;Namn\r\n", "no rows"),
        ("no-columns.csv", b"Kostnad;Plats\n12;Hus A\n", "kostnad"),
        (
            "unclosed.csv",
            b"Serienr;Namn\nX-1;\"Anna\nX-2;Bo\n",
            "quote",
        ),
        ("one-column.csv", b"hello world\nfoo\n", "serial"),
    ];
    for (name, bytes, word) in cases {
        let path = s.write(name, bytes);
        let stderr = s.refused(&["import", path.to_str().unwrap()], 65, name);
        assert!(
            stderr.to_lowercase().contains(word),
            "{name}: expected {word:?} in {stderr}"
        );
    }
}

/// The text is checked as the rows are read: a problem after good rows still refuses the
/// whole file, and the rows before it are rolled back with the rest (`refused` checks the
/// register is as it was).
#[test]
fn a_problem_after_good_rows_refuses_the_whole_file() {
    let s = Scratch::new();
    s.refused(
        &["import", &fixture("import/unclosed-quote.csv")],
        65,
        "unclosed-quote.csv:3: a quoted field starts here and is never closed",
    );
}

#[test]
fn other_encodings_delimiters_and_header_words_are_understood() {
    let s = Scratch::new();
    // UTF-16 LE with a byte-order mark, tab-separated, first and last name split.
    let text = "Förnamn\tEfternamn\tPersonalnummer\tS/N\tKategori\r\nÅke\tÖstlund\t77\tq-1\tSurfplatta\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = s.write("utf16.txt", utf16);
    s.ok(&["import", path.to_str().unwrap()]);
    let held = s.json(&["holdings", "77"]);
    assert_eq!(held["person"]["name"], "Åke Östlund");
    assert_eq!(held["items"][0]["kind"], "tablet");

    // Pipes, a Windows-1252 file, a date layout that needs --date-format, and a --map.
    let path = s.write(
        "pipes.csv",
        cp1252("Namn|Nummer|Maskin|Datum\nÄrla Åström|78|M-9|31/12/2023\n"),
    );
    s.ok(&[
        "import",
        path.to_str().unwrap(),
        "--map",
        "Nummer=employee_no",
        "--map",
        "Maskin=serial",
        "--map",
        "Datum=handed_out_on",
        "--date-format",
        "%d/%m/%Y",
    ]);
    let held = s.json(&["holdings", "78"]);
    assert_eq!(held["person"]["name"], "Ärla Åström");
    assert_eq!(held["items"][0]["handed_out_on"], "2023-12-31");
    s.refused(
        &[
            "import",
            path.to_str().unwrap(),
            "--encoding",
            "no-such-encoding",
        ],
        65,
        "no-such-encoding",
    );
}

#[test]
fn personal_identity_numbers_are_never_stored() {
    if crate::common::sqlite_only("reads the register file's bytes") {
        return;
    }
    let s = Scratch::new();
    let path = s.write(
        "pnr.csv",
        "Namn;Personnummer;Anst.nr;Serienr\nÅsa Öberg;19800101-1234;1001;P-1\n",
    );
    let run = s.run(&["import", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("personal identity numbers are never stored"),
        "{}",
        run.stderr
    );
    let bytes = std::fs::read(s.db()).unwrap();
    assert!(
        !bytes.windows(8).any(|w| w == b"19800101"),
        "the number reached the register"
    );
}

#[test]
fn a_dry_run_says_what_would_change_and_commits_nothing() {
    let s = Scratch::new();
    let before = s.state();
    let summary = import_json(
        &s,
        &[&fixture("utlamnad-utrustning-excel.csv"), "--dry-run"],
    );
    assert_eq!(summary[0]["handouts_opened"], 7);
    assert_eq!(summary[0]["committed"], false);
    assert_eq!(before, s.state());
}

#[test]
fn exported_handouts_imported_into_a_new_register_give_the_same_holdings() {
    let s = Scratch::new();
    s.ok(&[
        "import",
        &fixture("hr-export.csv"),
        &fixture("utlamnad-utrustning-excel.csv"),
    ]);
    s.ok(&["person", "add", "5000", "--name", "=cmd|' /C calc'!A0"]);
    s.ok(&["handout", "EVIL-1", "--to", "5000", "--kind", "laptop"]);
    for excel in [false, true] {
        let mut args = vec!["export", "handouts"];
        if excel {
            args.push("--excel");
        }
        let exported = s.command().args(&args).output().unwrap().stdout;
        let copy = Scratch::new();
        let path = copy.write("handouts.csv", exported);
        copy.ok(&["import", path.to_str().unwrap()]);
        for person in ["4471", "4502", "4618", "5000"] {
            assert_eq!(
                copy.json(&["holdings", person]),
                s.json(&["holdings", person]),
                "{person}, excel {excel}"
            );
        }
    }
}

/// A serial that is another device's asset tag would make that device unreachable by its tag.
#[test]
fn an_imported_serial_may_not_be_another_devices_asset_tag() {
    let s = Scratch::new();
    s.ok(&[
        "device",
        "add",
        "5ZKQ9X3",
        "--kind",
        "laptop",
        "--asset-tag",
        "GK-2231",
    ]);
    let path = s.write("list.csv", "Serienr;Typ\nGK-2231;Mobil\n");
    s.refused(
        &["import", path.to_str().unwrap()],
        65,
        "GK-2231 is the asset tag of 5ZKQ9X3 already",
    );
}

/// Issue 12, item 14: a purchase date in the future is refused (65), naming the date and
/// where it is, and the file changes nothing.
#[test]
fn a_purchase_date_in_the_future_refuses_the_file_naming_the_date() {
    let s = Scratch::new();
    let path = s.write(
        "lager.csv",
        "Serienummer;Typ;Inköpt\nAAA-1;laptop;2024-05-02\nBBB-2;laptop;2999-01-01\n",
    );
    let stderr = s.refused(
        &["import", path.to_str().unwrap()],
        65,
        "nothing was imported",
    );
    assert!(
        stderr.contains(
            "lager.csv:3: column \"Inköpt\": the purchase date 2999-01-01 is in the future"
        ),
        "{stderr}"
    );
}

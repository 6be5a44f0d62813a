//! Bad input everywhere: missing, malformed and hostile arguments, and register paths that
//! point at anything but a register. Each is answered with one clear message on stderr and
//! the documented exit code (1 refused, 2 usage, 65 invalid data), never a panic, and
//! nothing changes.

use crate::common::{Run, Scratch};
use rstest::rstest;

const REFUSED: i32 = 1;
const USAGE: i32 = 2;
const INVALID: i32 = 65;

fn desk() -> Scratch {
    let s = Scratch::new();
    s.ok(&["person", "add", "1001", "--name", "Åsa Öberg"]);
    s.ok(&["device", "add", "DEV-1", "--kind", "laptop"]);
    s.ok(&["device", "add", "DEV-2", "--kind", "phone"]);
    s.ok(&["handout", "DEV-2", "--to", "1001"]);
    s
}

/// One message: a single `error:` line, short even when the input was not, and no input
/// control characters echoed raw to the terminal.
fn assert_one_clear_message(args: &[&str], run: &Run) {
    let errors = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .count();
    assert_eq!(
        errors, 1,
        "{args:?}: expected one error line:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.len() < 2_000,
        "{args:?}: {} bytes of message",
        run.stderr.len()
    );
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'),
        "{args:?}: control characters echoed raw:\n{:?}",
        run.stderr
    );
}

#[test]
fn every_bad_argument_gets_one_message_its_exit_code_and_changes_nothing() {
    let s = desk();
    let long = "x".repeat(10_000);
    let long_name = format!("Åsa {}", "Ö".repeat(10_000));
    let corpus: Vec<(Vec<&str>, i32, &str)> = vec![
        // Unknown people and devices.
        (
            vec!["handout", "DEV-1", "--to", "nobody"],
            REFUSED,
            "no person matches",
        ),
        (vec!["holdings", "Ingen Alls"], REFUSED, "no person matches"),
        (vec!["return", "NO-SUCH"], REFUSED, "no device has"),
        (
            vec!["history", &long],
            REFUSED,
            "no device or person matches",
        ),
        (vec!["holdings", &long], REFUSED, "no person matches"),
        (vec!["holdings", "\\0"], REFUSED, "no person matches"),
        (
            vec!["holdings", "1001' OR '1'='1"],
            REFUSED,
            "no person matches",
        ),
        (vec!["device", "show", "%00"], REFUSED, "no device has"),
        // Dates.
        (
            vec!["handout", "DEV-1", "--to", "1001", "--on", "2024-02-30"],
            INVALID,
            "2024-02-30",
        ),
        (
            vec!["handout", "DEV-1", "--to", "1001", "--on", "2999-01-01"],
            INVALID,
            "in the future",
        ),
        (
            vec!["handout", "DEV-1", "--to", "1001", "--due", "tomorrow"],
            INVALID,
            "tomorrow",
        ),
        (
            vec!["person", "list", "--left-before", "31/12/2024"],
            INVALID,
            "31/12/2024",
        ),
        (
            vec![
                "device",
                "add",
                "NEW-1",
                "--kind",
                "laptop",
                "--purchased",
                "2024-13-01",
            ],
            INVALID,
            "2024-13-01",
        ),
        // Empty, long and control-laden values.
        (
            vec!["device", "add", "", "--kind", "laptop"],
            INVALID,
            "serial number is empty",
        ),
        (
            vec!["device", "add", "   ", "--kind", "laptop"],
            INVALID,
            "serial number is empty",
        ),
        (
            vec!["device", "add", "NEW-1", "--kind", ""],
            INVALID,
            "kind is empty",
        ),
        (
            vec!["device", "add", &long, "--kind", "laptop"],
            INVALID,
            "longer than 64 characters",
        ),
        (
            vec!["person", "add", "9", "--name", &long_name],
            INVALID,
            "at most 500",
        ),
        (
            vec!["person", "add", "9", "--name", "   "],
            INVALID,
            "name is empty",
        ),
        (
            vec!["person", "add", "", "--name", "X Y"],
            INVALID,
            "employee number is empty",
        ),
        (
            vec!["person", "add", "9", "--name", "A\u{7}B"],
            INVALID,
            "control character",
        ),
        (
            vec!["person", "add", "9", "--name", "\u{1b}[31mRöd\u{1b}[0m"],
            INVALID,
            "control character",
        ),
        (
            vec![
                "person",
                "add",
                "9",
                "--name",
                "X",
                "--email",
                "not-an-email",
            ],
            INVALID,
            "not an e-mail address",
        ),
        (
            vec!["device", "add", "AB\u{7f}CD", "--kind", "laptop"],
            INVALID,
            "control character",
        ),
        (
            vec![
                "handout",
                "DEV-1",
                "--to",
                "1001",
                "--note",
                "rad1\u{1b}]0;hacked\u{7}",
            ],
            INVALID,
            "control character",
        ),
        (
            vec!["person", "edit", "1001", "--name", ""],
            INVALID,
            "name is empty",
        ),
        (vec!["person", "forget", ""], INVALID, "no person given"),
        (
            vec!["handout", "", "--to", "1001"],
            INVALID,
            "serial number is empty",
        ),
        // Rules.
        (
            vec!["replace", "DEV-2", "--with", "DEV-2"],
            REFUSED,
            "cannot replace itself",
        ),
        (
            vec!["handout", "DEV-2", "--to", "1001"],
            REFUSED,
            "DEV-2 is held by",
        ),
        // Usage.
        (vec!["bogus"], USAGE, "unrecognized subcommand"),
        (vec!["handout", "DEV-1"], USAGE, "--to"),
        (
            vec!["handout", "DEV-1", "--to", "1001", "--frobnicate"],
            USAGE,
            "--frobnicate",
        ),
        (vec!["return"], USAGE, "required"),
        (
            vec!["return", "DEV-2", "--condition", "shiny"],
            USAGE,
            "shiny",
        ),
        (
            vec!["device", "list", "--status", "bogus"],
            USAGE,
            "unknown status",
        ),
        (vec!["check", "extra"], USAGE, "extra"),
        (vec!["backup"], USAGE, "FILE"),
        (vec!["backup", ""], USAGE, "FILE"),
        (vec!["person", "forget"], USAGE, "PERSON"),
    ];
    for (args, code, message) in &corpus {
        s.refused(args, *code, message);
        assert_one_clear_message(args, &s.run(args));
    }
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let s = desk();
    let before = s.state();
    let output = s
        .command()
        .arg("holdings")
        .arg(std::ffi::OsStr::from_bytes(b"\xff\xfe1001"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(USAGE));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid UTF-8"));
    assert_eq!(before, s.state());
}

/// What `--db` can point at besides a register, and what handback says about it.
fn not_a_register(s: &Scratch, what: &str) -> (std::path::PathBuf, &'static str) {
    match what {
        "directory" => {
            let path = s.path("a-folder");
            std::fs::create_dir(&path).unwrap();
            (path, "it is a directory")
        }
        "text" => (
            s.write("list.csv", "serienummer;namn\n5ZKQ9X3;Maria Olsson\n"),
            "it is not an SQLite database",
        ),
        "random" => (
            s.write(
                "noise.bin",
                (0..50_000u32)
                    .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
                    .collect::<Vec<u8>>(),
            ),
            "it is not an SQLite database",
        ),
        "empty" => (s.write("empty.sqlite", ""), "it is an empty file"),
        "other program" => {
            let path = s.path("firefox-places.sqlite");
            rusqlite::Connection::open(&path)
                .unwrap()
                .execute_batch("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);")
                .unwrap();
            (path, "an SQLite database of some other program")
        }
        "missing folder" => (s.path("no/such/folder/register.sqlite"), "no register at"),
        _ => unreachable!("a case of the table below"),
    }
}

#[rstest]
fn a_register_path_that_is_no_register_is_refused_and_left_alone(
    #[values(
        "directory",
        "text",
        "random",
        "empty",
        "other program",
        "missing folder"
    )]
    what: &str,
    #[values(
        &["holdings", "1001"][..],
        &["device", "add", "DEV-9", "--kind", "laptop"][..],
        &["check"][..],
        &["backup", "copy.sqlite"][..],
        &["person", "forget", "1001"][..]
    )]
    args: &[&str],
) {
    let s = Scratch::empty();
    let (path, reason) = not_a_register(&s, what);
    let before = std::fs::read(&path).ok();
    let run = s.run_on(&path, args);
    assert_eq!(run.code, REFUSED, "{what} {args:?}:\n{}", run.stderr);
    assert!(
        run.stderr.contains(reason),
        "{what} {args:?}:\n{}",
        run.stderr
    );
    assert_one_clear_message(args, &run);
    assert_eq!(std::fs::read(&path).ok(), before, "{what} was changed");
    assert!(!s.path("copy.sqlite").exists());
    let sidecars: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-wal") || n.ends_with("-shm") || n.ends_with("-journal"))
        .collect();
    assert!(sidecars.is_empty(), "{what} {args:?} left {sidecars:?}");
}

/// Every command's bad input against the exit codes `--help` documents (1 refused, 2 usage,
/// 65 invalid data): a file that does not exist or a folder where a file belongs, an empty
/// reference, an impossible date, an unknown flag. `a-folder` is a folder in the scratch
/// directory; the desk has 1001 holding DEV-2, and DEV-1 in stock.
#[rstest]
// init
#[case::init_unknown_flag(&["init", "--bogus"], USAGE, "--bogus")]
// person
#[case::person_add_empty_number(&["person", "add", "", "--name", "X Y"], INVALID, "employee number is empty")]
#[case::person_add_impossible_date(&["person", "add", "9", "--name", "X Y", "--end-date", "2025-02-30"], INVALID, "2025-02-30")]
#[case::person_add_without_name(&["person", "add", "9"], USAGE, "--name")]
#[case::person_add_unknown_flag(&["person", "add", "9", "--name", "X Y", "--bogus"], USAGE, "--bogus")]
#[case::person_edit_empty_reference(&["person", "edit", "", "--name", "X Y"], INVALID, "no person given")]
#[case::person_edit_impossible_date(&["person", "edit", "1001", "--end-date", "2025-02-30"], INVALID, "2025-02-30")]
#[case::person_list_impossible_date(&["person", "list", "--left-before", "2025-02-30"], INVALID, "2025-02-30")]
#[case::person_list_unknown_flag(&["person", "list", "--bogus"], USAGE, "--bogus")]
#[case::person_show_empty_reference(&["person", "show", ""], INVALID, "no person given")]
#[case::person_show_unknown_flag(&["person", "show", "1001", "--bogus"], USAGE, "--bogus")]
#[case::person_forget_empty_reference(&["person", "forget", ""], INVALID, "no person given")]
// device
#[case::device_add_empty_serial(&["device", "add", "", "--kind", "laptop"], INVALID, "serial number is empty")]
#[case::device_add_impossible_date(&["device", "add", "NEW-1", "--kind", "laptop", "--purchased", "2025-02-30"], INVALID, "2025-02-30")]
#[case::device_add_future_purchase(&["device", "add", "NEW-1", "--kind", "laptop", "--purchased", "2999-01-01"], INVALID, "the purchase date 2999-01-01 is in the future")]
#[case::device_edit_future_purchase(&["device", "edit", "DEV-1", "--purchased", "2999-01-01"], INVALID, "the purchase date 2999-01-01 is in the future")]
#[case::device_add_unknown_flag(&["device", "add", "NEW-1", "--kind", "laptop", "--bogus"], USAGE, "--bogus")]
#[case::device_edit_empty_reference(&["device", "edit", "", "--kind", "phone"], INVALID, "serial number is empty")]
#[case::device_edit_impossible_date(&["device", "edit", "DEV-1", "--purchased", "2025-02-30"], INVALID, "2025-02-30")]
#[case::device_list_unknown_status(&["device", "list", "--status", "borrowed"], USAGE, "unknown status")]
#[case::device_show_empty_reference(&["device", "show", ""], INVALID, "serial number is empty")]
#[case::device_show_unknown_flag(&["device", "show", "DEV-1", "--bogus"], USAGE, "--bogus")]
// moves
#[case::handout_empty_device(&["handout", "", "--to", "1001"], INVALID, "serial number is empty")]
#[case::handout_empty_person(&["handout", "DEV-1", "--to", ""], INVALID, "no person given")]
#[case::handout_impossible_on(&["handout", "DEV-1", "--to", "1001", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::handout_impossible_due(&["handout", "DEV-1", "--to", "1001", "--due", "2025-02-30"], INVALID, "2025-02-30")]
#[case::handout_unknown_flag(&["handout", "DEV-1", "--to", "1001", "--bogus"], USAGE, "--bogus")]
#[case::return_empty_device(&["return", ""], INVALID, "serial number is empty")]
#[case::return_empty_person(&["return", "--all-from", ""], INVALID, "no person given")]
#[case::return_impossible_date(&["return", "DEV-2", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::return_unknown_flag(&["return", "DEV-2", "--bogus"], USAGE, "--bogus")]
#[case::replace_empty_old(&["replace", "", "--with", "NEW-1"], INVALID, "serial number is empty")]
#[case::replace_empty_new(&["replace", "DEV-2", "--with", ""], INVALID, "serial number is empty")]
#[case::replace_impossible_date(&["replace", "DEV-2", "--with", "NEW-1", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::replace_unknown_flag(&["replace", "DEV-2", "--with", "NEW-1", "--bogus"], USAGE, "--bogus")]
#[case::lost_empty_device(&["lost", ""], INVALID, "serial number is empty")]
#[case::lost_impossible_date(&["lost", "DEV-2", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::repaired_empty_device(&["repaired", ""], INVALID, "serial number is empty")]
#[case::recycle_empty_device(&["recycle", ""], INVALID, "serial number is empty")]
#[case::found_empty_device(&["found", ""], INVALID, "serial number is empty")]
#[case::found_unknown_flag(&["found", "DEV-1", "--bogus"], USAGE, "--bogus")]
#[case::replace_lost_with_a_route(&["replace", "DEV-2", "--with", "NEW-1", "--reason", "lost", "--to", "reuse"], USAGE, "leave out --to")]
#[case::replace_unknown_route(&["replace", "DEV-2", "--with", "NEW-1", "--to", "bin"], USAGE, "bin")]
#[case::find_nothing(&["find", " "], INVALID, "nothing to search for")]
#[case::find_without_text(&["find"], USAGE, "TEXT")]
#[case::find_unknown_format(&["find", "x", "--format", "csv"], USAGE, "csv")]
#[case::device_list_unknown_holder(&["device", "list", "--holder", "Nobody Atall"], REFUSED, "no person matches")]
#[case::device_list_empty_holder(&["device", "list", "--holder", ""], INVALID, "no person given")]
#[case::route_empty_device(&["route", "", "--to", "repair"], INVALID, "serial number is empty")]
#[case::route_without_route(&["route", "DEV-1"], USAGE, "--to")]
#[case::route_unknown_route(&["route", "DEV-1", "--to", "bin"], USAGE, "bin")]
#[case::route_impossible_date(&["route", "DEV-1", "--to", "repair", "--on", "2025-02-30"], INVALID, "2025-02-30")]
// listings
#[case::holdings_empty_reference(&["holdings", ""], INVALID, "no person given")]
#[case::holdings_unknown_flag(&["holdings", "1001", "--bogus"], USAGE, "--bogus")]
#[case::history_empty_reference(&["history", ""], INVALID, "no device or person given")]
#[case::history_blank_reference(&["history", "  "], INVALID, "no device or person given")]
#[case::history_unknown_flag(&["history", "DEV-1", "--bogus"], USAGE, "--bogus")]
#[case::stock_unknown_flag(&["stock", "--bogus"], USAGE, "--bogus")]
// import and export
#[case::import_missing_file(&["import", "no-such-list.csv"], INVALID, "no-such-list.csv does not exist")]
#[case::import_folder(&["import", "a-folder"], INVALID, "a-folder is a folder")]
#[case::import_no_file(&["import"], USAGE, "FILES")]
#[case::import_unknown_flag(&["import", "list.csv", "--bogus"], USAGE, "--bogus")]
#[case::import_rejects_into_a_folder(&["import", "list.csv", "--skip-invalid", "--rejects", "a-folder"], INVALID, "a-folder is a folder")]
#[case::import_unknown_encoding(&["import", "list.csv", "--encoding", "ebcdic"], INVALID, "ebcdic")]
#[case::export_unknown_table(&["export", "secrets"], USAGE, "secrets")]
#[case::export_unknown_flag(&["export", "people", "--bogus"], USAGE, "--bogus")]
// documents
#[case::leave_empty_person(&["leave", "", "--on", "2025-06-30"], INVALID, "no person given")]
#[case::leave_impossible_date(&["leave", "1001", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::leave_without_date(&["leave", "1001"], USAGE, "--on")]
#[case::checklist_empty_person(&["checklist", ""], INVALID, "no person given")]
#[case::checklist_impossible_date(&["checklist", "--leaving-before", "2025-02-30"], INVALID, "2025-02-30")]
#[case::checklist_out_into_a_folder(&["checklist", "1001", "--format", "md", "--out", "a-folder"], INVALID, "a-folder is a folder")]
#[case::checklist_unknown_language(&["checklist", "1001", "--lang", "fi"], USAGE, "fi")]
#[case::transfer_empty_device(&["transfer", "", "--to", "1001"], INVALID, "serial number is empty")]
#[case::transfer_empty_person(&["transfer", "DEV-2", "--to", ""], INVALID, "no person given")]
#[case::transfer_impossible_date(&["transfer", "DEV-2", "--to", "1001", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::receipt_empty_person(&["receipt", ""], INVALID, "no person given")]
#[case::receipt_impossible_date(&["receipt", "1001", "--on", "2025-02-30"], INVALID, "2025-02-30")]
#[case::overdue_impossible_date(&["overdue", "--as-of", "2025-02-30"], INVALID, "2025-02-30")]
#[case::overdue_unknown_flag(&["overdue", "--bogus"], USAGE, "--bogus")]
#[case::report_impossible_from(&["report", "--from", "2025-02-30"], INVALID, "2025-02-30")]
#[case::report_impossible_to(&["report", "--to", "2025-02-30"], INVALID, "2025-02-30")]
// the register itself
#[case::check_extra_argument(&["check", "extra"], USAGE, "extra")]
#[case::check_unknown_flag(&["check", "--bogus"], USAGE, "--bogus")]
#[case::backup_no_file(&["backup"], USAGE, "FILE")]
#[case::backup_missing_folder(&["backup", "no/such/folder/copy.sqlite"], REFUSED, "does not exist")]
#[case::backup_unknown_flag(&["backup", "copy.sqlite", "--bogus"], USAGE, "--bogus")]
fn every_command_answers_bad_input_with_its_documented_exit_code(
    #[case] args: &[&str],
    #[case] code: i32,
    #[case] message: &str,
) {
    let s = desk();
    std::fs::create_dir(s.path("a-folder")).unwrap();
    s.write("list.csv", "serienummer;typ\nNEW-9;laptop\n");
    s.refused(args, code, message);
    assert_one_clear_message(args, &s.run(args));
}

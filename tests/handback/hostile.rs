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

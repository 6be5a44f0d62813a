//! Outcomes as data: every command that changes something and prints no document takes
//! `--format json` and prints what it did on stdout, for scripts; the sentences stay on
//! stderr.

use crate::common::Scratch;
use serde_json::Value;

/// Runs `args` with `--format json`; returns the outcome, checking that stderr still says
/// what was done.
fn outcome(s: &Scratch, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = s.run(&all);
    assert_eq!(run.code, 0, "{all:?}: {}", run.stderr);
    assert!(
        !run.stderr.trim().is_empty(),
        "{all:?} said nothing on stderr"
    );
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{all:?}: {e}\n{}", run.stdout))
}

#[test]
fn every_change_prints_its_outcome_as_json_when_asked() {
    let s = Scratch::new();
    let person = outcome(&s, &["person", "add", "1", "--name", "A B"]);
    assert_eq!(person["employee_no"], "1");
    let edited = outcome(&s, &["person", "edit", "1", "--department", "IT"]);
    assert_eq!(edited["changed"], serde_json::json!(["department"]));
    assert_eq!(edited["person"]["department"], "IT");
    let device = outcome(&s, &["device", "add", "L1", "--kind", "laptop"]);
    assert_eq!(device["status"], "in_stock");
    let edited = outcome(&s, &["device", "edit", "L1", "--model", "T14"]);
    assert_eq!(edited["device"]["model"], "T14");
    assert_eq!(edited["changed"]["model"], serde_json::json!([null, "T14"]));
    let handout = outcome(&s, &["handout", "L1", "--to", "1"]);
    assert_eq!(
        (
            handout["device"]["status"].as_str(),
            handout["registered"].as_bool()
        ),
        (Some("handed_out"), Some(false))
    );
    let replaced = outcome(&s, &["replace", "L1", "--with", "L2", "--reason", "broken"]);
    assert_eq!(replaced["old"]["status"], "to_recycle");
    assert_eq!(replaced["new"]["device"]["serial"], "L2");
    assert_eq!(replaced["person"]["employee_no"], "1");
    let routed = outcome(&s, &["route", "L1", "--to", "repair"]);
    assert_eq!(routed["device"]["status"], "in_repair");
    let repaired = outcome(&s, &["repaired", "L1"]);
    assert_eq!(repaired["device"]["status"], "in_stock");
    let recycled = outcome(&s, &["recycle", "L1", "--yes"]);
    assert_eq!(recycled["device"]["status"], "recycled");
    let lost = outcome(&s, &["lost", "L2", "--stolen"]);
    assert_eq!(lost["former_holder"]["employee_no"], "1");
    let found = outcome(&s, &["found", "L2"]);
    assert_eq!(found["device"]["status"], "in_stock");
    if !s.on_postgres() {
        let backup = s.path("copy.sqlite");
        let backed_up = outcome(&s, &["backup", backup.to_str().unwrap()]);
        assert_eq!(backed_up["report"]["problems"], serde_json::json!([]));
    }
    s.ok(&["person", "edit", "1", "--end-date", "2025-01-31"]);
    let forgotten = outcome(&s, &["person", "forget", "1"]);
    assert!(forgotten["scrubbed"].is_boolean(), "{forgotten}");
    assert!(
        !forgotten.to_string().contains("A B"),
        "the erased name stays out of the JSON: {forgotten}"
    );
}

#[test]
fn without_format_json_a_change_prints_nothing_on_stdout() {
    let s = Scratch::new();
    let run = s.run(&["person", "add", "1", "--name", "A B"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

/// The domain says what is in the way; the command line adds what to run instead.
#[test]
fn a_refused_move_says_what_to_run_instead() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&[
        "handout",
        "L1",
        "--to",
        "1",
        "--kind",
        "laptop",
        "--on",
        "2026-01-10",
    ]);
    s.refused(
        &["handout", "L1", "--to", "1"],
        1,
        "L1 is held by A B (1) since 2026-01-10: return it first (`handback return L1`) or use \
         `handback transfer`",
    );
    s.ok(&["lost", "L1"]);
    s.refused(
        &["handout", "L1", "--to", "1"],
        1,
        "; if it has turned up, record it with `handback found L1` first",
    );
    s.refused(&["return", "L1"], 1, "nobody holds L1 (it is lost since");
}

/// The domain's refusals of `person forget` and `backup` name no flag; the command line adds
/// the command or flag that clears the way.
#[test]
fn refusals_of_forget_and_backup_say_what_to_run() {
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.refused(
        &["person", "forget", "1"],
        1,
        "A B (1) has no last working day in the register; a person can be erased once they \
         have left (`handback person edit 1 --end-date DATE`)",
    );
    s.ok(&["person", "edit", "1", "--end-date", "2025-01-31"]);
    s.ok(&["handout", "L1", "--to", "1", "--kind", "laptop"]);
    s.refused(
        &["person", "forget", "1"],
        1,
        "A B (1) still holds 1 item: L1; take it back first (`handback return --all-from 1`)",
    );
    let copy = s.write("copy.sqlite", "not a register");
    s.refused(
        &["backup", copy.to_str().unwrap()],
        1,
        "exists already: give a new file name, or --force to replace it",
    );
}

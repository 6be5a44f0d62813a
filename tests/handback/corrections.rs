//! `handback correct` and `import --correct-dates`: a handout recorded wrong, set right with
//! an audit event of what was and what is.

use crate::common::{Scratch, fixture};

/// A register with the first list imported: Maria (4471) holds 5ZKQ9X3 since 2024-03-15,
/// Per (4502) PF3XK2L1 since 2024-03-06.
fn imported() -> Scratch {
    let s = Scratch::new();
    s.ok(&["import", &fixture("import/corrections-first.csv")]);
    s
}

fn handed_out_on(s: &Scratch, person: &str) -> Vec<String> {
    s.json(&["holdings", person])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["handed_out_on"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn correct_fixes_the_date_with_an_event_of_what_was_and_what_is() {
    let s = imported();
    let outcome = s.json(&[
        "correct",
        "5ZKQ9X3",
        "--handed-out-on",
        "2024-03-05",
        "--reason",
        "fel datum i listan",
    ]);
    assert_eq!(outcome["corrected"], true);
    assert_eq!(outcome["was"]["handed_out_at"], "2024-03-15T11:00:00Z");
    assert_eq!(outcome["is"]["handed_out_at"], "2024-03-05T11:00:00Z");
    assert_eq!(handed_out_on(&s, "4471"), ["2024-03-05"]);
    let history = s.json(&["device", "show", "5ZKQ9X3"])["history"].clone();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "corrected");
    assert_eq!(
        last["details"]["corrected"]["handed_out_at"],
        serde_json::json!(["2024-03-15T11:00:00Z", "2024-03-05T11:00:00Z"])
    );
    assert_eq!(last["details"]["corrected"]["reason"], "fel datum i listan");
    let check = s.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn correct_fixes_the_holder_and_check_still_adds_up() {
    let s = imported();
    let run = s.run(&[
        "correct",
        "5ZKQ9X3",
        "--to",
        "4502",
        "--reason",
        "registrerad på fel person",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("was handed to Maria Olsson (4471) on 2024-03-15 12:00, is handed to Per Gustafsson (4502)"),
        "{}",
        run.stderr
    );
    assert_eq!(handed_out_on(&s, "4471"), Vec::<String>::new());
    assert_eq!(handed_out_on(&s, "4502"), ["2024-03-06", "2024-03-15"]);
    let check = s.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    // Asked again, there is nothing to correct, and nothing is written.
    let before = s.state();
    let again = s.run(&["correct", "5ZKQ9X3", "--to", "4502", "--reason", "igen"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("nothing to correct"),
        "{}",
        again.stderr
    );
    assert_eq!(before, s.state());
}

#[test]
fn correct_refuses_the_future_a_date_before_the_last_return_and_no_handout() {
    let s = imported();
    s.refused(
        &[
            "correct",
            "5ZKQ9X3",
            "--handed-out-on",
            "2099-01-01",
            "--reason",
            "x",
        ],
        65,
        "in the future",
    );
    s.refused(
        &[
            "correct",
            "5ZKQ9X3",
            "--handed-out-on",
            "2024-03-05",
            "--reason",
            " ",
        ],
        65,
        "no reason given",
    );
    s.ok(&["return", "5ZKQ9X3", "--on", "2024-04-01"]);
    s.refused(
        &[
            "correct",
            "5ZKQ9X3",
            "--handed-out-on",
            "2024-03-05",
            "--reason",
            "x",
        ],
        1,
        "there is no handout to correct",
    );
    s.ok(&["handout", "5ZKQ9X3", "--to", "4502", "--on", "2024-05-01"]);
    s.refused(
        &[
            "correct",
            "5ZKQ9X3",
            "--handed-out-on",
            "2024-03-20",
            "--reason",
            "x",
        ],
        1,
        "has its last recorded change on 2024-04-01",
    );
    s.ok(&[
        "correct",
        "5ZKQ9X3",
        "--handed-out-on",
        "2024-04-02",
        "--reason",
        "x",
    ]);
    let run = s.run(&["correct", "5ZKQ9X3", "--reason", "x"]);
    assert_eq!(run.code, 2, "neither a date nor a person: {}", run.stderr);
}

#[test]
fn import_correct_dates_applies_a_lists_dates_to_what_it_recorded() {
    let s = imported();
    let list = fixture("import/corrections-dates.csv");
    let before = s.state();
    let run = s.run(&["import", &list]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("1 handout already recorded with another date than the list's"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--correct-dates"), "{}", run.stderr);
    assert_eq!(before, s.state(), "without --correct-dates nothing changes");

    let mut args = vec![
        "import",
        list.as_str(),
        "--correct-dates",
        "--format",
        "json",
    ];
    let summary: serde_json::Value = serde_json::from_str(&s.ok(&args)).unwrap();
    assert_eq!(summary[0]["dates_corrected"], 1);
    assert_eq!(handed_out_on(&s, "4471"), ["2024-03-05"]);
    assert_eq!(handed_out_on(&s, "4502"), ["2024-03-06"]);
    let history = s.json(&["device", "show", "5ZKQ9X3"])["history"].clone();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "corrected");
    assert_eq!(last["details"]["import"]["file"], "corrections-dates.csv");
    assert_eq!(last["details"]["import"]["line"], 2);
    let check = s.run(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    // Once corrected, the list is what the register says.
    args.truncate(3);
    let before = s.state();
    let run = s.run(&args);
    assert!(run.stderr.contains("nothing changed"), "{}", run.stderr);
    assert_eq!(before, s.state());
}

//! `handback find` and the "did you mean" of every refusal of an unknown person or device
//! (issue 12, item 8): one search over people and devices, blind to case, accents and
//! spacing, tolerant of a small typo, best first.

use crate::common::Scratch;
use rstest::rstest;
use serde_json::Value;

/// People (two namesakes, one with accents) and devices with tags and models.
fn desk() -> Scratch {
    let s = Scratch::new();
    for (number, name, email, department) in [
        (
            "4471",
            "Björn Ek",
            "bjorn.ek@kommun.example",
            "Gatukontoret",
        ),
        (
            "4480",
            "Björn Ekström",
            "bek@kommun.example",
            "Socialtjänsten",
        ),
        (
            "5001",
            "Maria Olsson",
            "maolss@kommun.example",
            "Gatukontoret",
        ),
        (
            "5002",
            "Maria Olsson",
            "maria.olsson@kommun.example",
            "Fritidsförvaltningen",
        ),
    ] {
        s.ok(&[
            "person",
            "add",
            number,
            "--name",
            name,
            "--email",
            email,
            "--department",
            department,
        ]);
    }
    for (serial, tag, make, model) in [
        ("5ZKQ9X3", "GK-2231", "Dell", "Latitude 7440"),
        ("C02XK1JHJG5H", "GK-1001", "Apple", "MacBook Air"),
        ("DX3KQ29L0F", "SO-0042", "Apple", "iPhone SE"),
    ] {
        s.ok(&[
            "device",
            "add",
            serial,
            "--kind",
            "laptop",
            "--asset-tag",
            tag,
            "--make",
            make,
            "--model",
            model,
        ]);
    }
    s
}

/// `(type, id)` of each hit, best first.
fn hits(s: &Scratch, text: &str) -> Vec<(String, String)> {
    let found = s.json(&["find", text]);
    found
        .as_array()
        .expect("an array")
        .iter()
        .map(|hit| {
            (
                hit["type"].as_str().unwrap_or_default().to_string(),
                hit["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn first(s: &Scratch, text: &str) -> (String, String) {
    hits(s, text)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{text:?} found nothing"))
}

#[rstest]
#[case::name_without_accents("Bjorn Ek", "person", "4471")]
#[case::name_in_capitals_and_spaced("  BJÖRN   EK ", "person", "4471")]
#[case::family_name_first("Ek Björn", "person", "4471")]
#[case::name_with_a_typo("Bjorn Ekstrom", "person", "4480")]
#[case::name_one_letter_wrong("Bjorn Ekstrsm", "person", "4480")]
#[case::employee_number("4480", "person", "4480")]
#[case::email("BJORN.EK@kommun.example", "person", "4471")]
#[case::user_name("maolss", "person", "5001")]
#[case::serial("5zkq 9x3", "device", "5ZKQ9X3")]
#[case::serial_one_character_wrong("5ZKQ9X4", "device", "5ZKQ9X3")]
#[case::serial_one_character_missing("C02XK1JHG5H", "device", "C02XK1JHJG5H")]
#[case::serial_one_character_extra("DX3KQ299L0F", "device", "DX3KQ29L0F")]
#[case::asset_tag("gk-1001", "device", "C02XK1JHJG5H")]
#[case::model("macbook", "device", "C02XK1JHJG5H")]
#[case::model_with_a_typo("Lattitude", "device", "5ZKQ9X3")]
fn find_finds_what_was_meant(#[case] text: &str, #[case] kind: &str, #[case] id: &str) {
    let s = desk();
    assert_eq!(
        first(&s, text),
        (kind.to_string(), id.to_string()),
        "{text:?}"
    );
}

#[test]
fn find_ranks_best_first_and_prints_the_documented_json() {
    let s = desk();
    let found: Value = s.json(&["find", "Björn Ek"]);
    let listed = found.as_array().expect("an array");
    assert_eq!(listed.len(), 2, "{found}");
    assert_eq!(
        listed[0],
        serde_json::json!({"type": "person", "id": "4471",
                           "label": "Björn Ek, Gatukontoret", "score": 1.0})
    );
    assert_eq!(listed[1]["id"], "4480");
    assert!(listed[1]["score"].as_f64() < listed[0]["score"].as_f64());
    let table = s.ok(&["find", "bjorn"]);
    assert!(table.contains("Björn Ekström, Socialtjänsten"), "{table}");
    assert!(hits(&s, "nothing like it").is_empty());
}

#[test]
fn find_without_a_match_says_so_and_takes_only_table_or_json() {
    let s = desk();
    let run = s.run(&["find", "zzzzzz"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("nothing matches"), "{}", run.stderr);
    s.refused(&["find", "ek", "--format", "csv"], 2, "csv");
}

/// Issue 12, item 8: a refusal of an unknown person or device named nobody to try instead.
#[rstest]
#[case::person(&["holdings", "Bjorn Ekk"], "did you mean Björn Ek (4471, Gatukontoret)")]
#[case::handout_to(&["handout", "5ZKQ9X3", "--to", "Bjorn Ekk"], "did you mean Björn Ek (4471")]
#[case::device(&["device", "show", "5ZKQ9X4"], "did you mean 5ZKQ9X3 (Dell Latitude 7440, GK-2231)")]
#[case::return_device(&["return", "C02XK1JHG5H"], "did you mean C02XK1JHJG5H (Apple MacBook Air")]
#[case::handout_without_kind(&["handout", "5ZKQ9X4", "--to", "4471"], "did you mean 5ZKQ9X3")]
#[case::history(&["history", "Bjorn Ekk"], "did you mean 4471 (Björn Ek, Gatukontoret)")]
fn a_no_match_refusal_suggests_the_nearest_matches(#[case] args: &[&str], #[case] hint: &str) {
    let s = desk();
    s.refused(args, 1, hint);
}

#[test]
fn a_refusal_with_nobody_near_suggests_nothing() {
    let s = desk();
    let stderr = s.refused(&["holdings", "Zacharias Quist"], 1, "no person matches");
    assert!(!stderr.contains("did you mean"), "{stderr}");
}

/// Issue 12, item 8: namesakes were listed by number alone.
#[test]
fn several_people_of_one_name_are_listed_with_number_and_department() {
    let s = desk();
    s.refused(
        &["holdings", "maria olsson"],
        1,
        "2 people are called maria olsson: 5001 (Gatukontoret), 5002 (Fritidsförvaltningen); \
         give one of these instead",
    );
}

#[test]
fn an_erased_person_is_not_found() {
    let s = desk();
    s.ok(&["person", "edit", "4480", "--end-date", "2025-01-31"]);
    s.ok(&["person", "forget", "4480"]);
    assert!(!hits(&s, "Bjorn").iter().any(|(_, id)| id == "4480"));
    assert!(hits(&s, "Raderad person").is_empty());
}

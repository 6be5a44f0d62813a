//! `handback config`: the settings the documents print, checked, listed (secrets masked)
//! and every change recorded.

use crate::common::Scratch;

#[test]
fn a_setting_is_set_read_listed_and_removed_with_every_change_recorded() {
    let s = Scratch::new();
    s.ok(&["config", "set", "org.name", "  Gatukontoret, Malmö stad "]);
    assert_eq!(
        s.ok(&["config", "get", "org.name"]),
        "Gatukontoret, Malmö stad\n"
    );
    let list = s.json(&["config", "list"]);
    let keys: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|row| row["key"].as_str())
        .collect();
    for key in [
        "org.name",
        "return.place",
        "return.hours",
        "return.contact",
        "time_zone",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    assert_eq!(list[0]["value"], "Gatukontoret, Malmö stad");
    // Setting the same value again changes nothing and records nothing.
    s.ok(&["config", "set", "org.name", "Gatukontoret, Malmö stad"]);
    s.ok(&["config", "unset", "org.name"]);
    s.refused(&["config", "get", "org.name"], 1, "org.name is not set");
    assert_eq!(
        s.count(
            "SELECT count(*) FROM setting_event WHERE key = 'org.name' AND actor = 'Ahmed (IT)'"
        ),
        2
    );
    assert_eq!(
        s.count("SELECT count(*) FROM setting_event WHERE value IS NULL"),
        1
    );
}

#[test]
fn an_unknown_key_is_a_usage_error_and_a_bad_value_invalid_data() {
    let s = Scratch::new();
    s.refused(&["config", "set", "org.nam", "x"], 2, "use one of org.name");
    s.refused(&["config", "get", "colour"], 2, "not a setting");
    s.refused(&["config", "set"], 2, "required");
    s.refused(
        &["config", "set", "time_zone", "Mars/Olympus"],
        65,
        "not a time zone",
    );
    s.refused(&["config", "set", "return.place", "a\nb"], 65, "one line");
    s.refused(
        &["config", "set", "session_idle_minutes", "0"],
        65,
        "whole minutes",
    );
    s.refused(&["config", "unset", "time_zone"], 1, "cannot be without");
    assert_eq!(s.count("SELECT count(*) FROM setting_event"), 0);
}

#[test]
fn the_time_zone_is_a_setting_like_the_others() {
    let s = Scratch::new();
    assert_eq!(s.ok(&["config", "get", "time_zone"]), "Europe/Stockholm\n");
    s.ok(&["config", "set", "time_zone", "UTC"]);
    assert_eq!(s.ok(&["config", "get", "time_zone"]), "UTC\n");
}

/// A secret stored by a later handback (issue 18's mail settings) is never printed.
#[test]
fn secrets_are_masked_in_the_listing() {
    let s = Scratch::new();
    s.execute(
        "INSERT INTO setting (key, value) VALUES
             ('mail.smtp_url', 'smtp://it:hemligt@mail.example.se:587'),
             ('mail.password', 'hemligt');",
    )
    .expect("store secrets");
    for format in ["table", "json", "csv"] {
        let list = s.ok(&["config", "list", "--format", format]);
        assert!(!list.contains("hemligt"), "{format}: {list}");
        assert!(list.contains("mail.example.se"), "{format}: {list}");
    }
}

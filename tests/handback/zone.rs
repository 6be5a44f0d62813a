//! The register's time zone, not the machine's: a local day or time is read and shown in
//! the zone the register is set to (Europe/Stockholm unless `init --time-zone` says
//! otherwise), which `HANDBACK_TZ` overrides for one run.

use crate::common::Scratch;

/// Runs `args` with the process in `tz` (and `HANDBACK_TZ` when given); must succeed.
fn ok_in(s: &Scratch, tz: &str, handback_tz: Option<&str>, args: &[&str]) -> String {
    let mut command = s.command();
    command.env("TZ", tz).args(args);
    if let Some(zone) = handback_tz {
        command.env("HANDBACK_TZ", zone);
    }
    let output = command.output().expect("run handback");
    assert!(
        output.status.success(),
        "{args:?} in {tz}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn handed_out(s: &Scratch, tz: &str, handback_tz: Option<&str>) -> serde_json::Value {
    let history = ok_in(s, tz, handback_tz, &["history", "X1", "--format", "json"]);
    let events: serde_json::Value = serde_json::from_str(&history).expect("JSON");
    events
        .as_array()
        .and_then(|e| e.iter().find(|e| e["action"] == "handed_out"))
        .cloned()
        .expect("the handout")
}

/// Half past midnight on 1 July in Stockholm is 22:30 UTC on 30 June.
const ON: &str = "2026-07-01 00:30";

#[test]
fn local_times_are_the_registers_whatever_the_machines_zone() {
    for machine in ["UTC", "Pacific/Auckland", "America/Los_Angeles"] {
        let s = Scratch::new();
        ok_in(&s, machine, None, &["person", "add", "1", "--name", "A B"]);
        ok_in(
            &s,
            machine,
            None,
            &["handout", "X1", "--to", "1", "--kind", "phone", "--on", ON],
        );
        assert_eq!(
            handed_out(&s, machine, None)["at"],
            "2026-06-30T22:30:00Z",
            "read in Stockholm on a machine in {machine}"
        );
        let holdings = ok_in(&s, machine, None, &["holdings", "1", "--format", "json"]);
        assert!(
            holdings.contains("\"handed_out_on\": \"2026-07-01\""),
            "shown as Stockholm's day on a machine in {machine}:\n{holdings}"
        );
    }
}

#[test]
fn a_register_made_in_another_zone_reads_in_it() {
    let s = Scratch::empty();
    let out = ok_in(
        &s,
        "Europe/Stockholm",
        None,
        &["init", "--time-zone", "UTC"],
    );
    assert!(out.contains(&s.db().display().to_string()), "{out}");
    ok_in(
        &s,
        "Europe/Stockholm",
        None,
        &["person", "add", "1", "--name", "A B"],
    );
    ok_in(
        &s,
        "Europe/Stockholm",
        None,
        &["handout", "X1", "--to", "1", "--kind", "phone", "--on", ON],
    );
    assert_eq!(
        handed_out(&s, "Europe/Stockholm", None)["at"],
        "2026-07-01T00:30:00Z"
    );
    // Opening it again says which zone it is in, and a different one is refused.
    let run = s.run(&["init"]);
    assert!(run.stderr.contains("time zone UTC"), "{}", run.stderr);
    s.refused(&["init", "--time-zone", "Europe/Oslo"], 1, "time zone UTC");
}

#[test]
fn handback_tz_overrides_the_registers_zone_for_one_run() {
    let s = Scratch::new();
    ok_in(&s, "UTC", None, &["person", "add", "1", "--name", "A B"]);
    ok_in(
        &s,
        "UTC",
        Some("Pacific/Auckland"),
        &["handout", "X1", "--to", "1", "--kind", "phone", "--on", ON],
    );
    // 00:30 in Auckland (UTC+12 in July) is 12:30 UTC the day before.
    assert_eq!(handed_out(&s, "UTC", None)["at"], "2026-06-30T12:30:00Z");
}

#[rstest::rstest]
#[case::init_flag(&["init", "--time-zone", "Mars/Olympus"], None)]
#[case::environment(&["person", "list"], Some("Mars/Olympus"))]
fn an_unknown_time_zone_is_invalid_input(#[case] args: &[&str], #[case] env: Option<&str>) {
    let s = Scratch::new();
    let mut command = s.command();
    if let Some(zone) = env {
        command.env("HANDBACK_TZ", zone);
    }
    let output = command.args(args).output().expect("run handback");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.contains("Mars/Olympus") && stderr.contains("IANA"),
        "{stderr}"
    );
}

/// A setting handback cannot read is named as the register's, and HANDBACK_TZ gets past it.
#[test]
fn a_time_zone_setting_handback_cannot_read_is_refused_and_handback_tz_gets_past_it() {
    let s = Scratch::new();
    s.execute("UPDATE setting SET value = 'Mars/Olympus' WHERE key = 'time_zone'")
        .expect("set a zone nobody knows");
    let run = s.run(&["person", "list"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the register's time zone setting \"Mars/Olympus\"")
            && run.stderr.contains("HANDBACK_TZ"),
        "{}",
        run.stderr
    );
    ok_in(&s, "UTC", Some("Europe/Stockholm"), &["person", "list"]);
}

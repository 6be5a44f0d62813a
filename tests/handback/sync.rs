//! `handback sync hr` and `handback sync ldap`: leavers learned from HR's list and from a
//! real directory (OpenLDAP shaped like Active Directory, `fixtures/directory/`), the 10 %
//! guard, dry runs, managers, and a second run that changes nothing.

use crate::common::Scratch;
use crate::ldap_server::{BASE, SYNC_DN, SYNC_PASSWORD, ldap_server};

/// Twelve people at Gatukontoret, `1001`…`1012`, one of them holding a laptop.
fn register_of_twelve() -> Scratch {
    let s = Scratch::new();
    let mut list = String::from("Anställningsnummer;Namn;Förvaltning;Chef\n");
    for n in 1..=12 {
        let manager = if n == 1 { String::new() } else { "1001".into() };
        list.push_str(&format!("10{n:02};Person {n};Gatukontoret;{manager}\n"));
    }
    s.write("people.csv", &list);
    s.ok(&["import", "people.csv"]);
    s.ok(&["handout", "PF-0001", "--to", "1012", "--kind", "laptop"]);
    s
}

/// HR's list: the twelve but `missing`, with extra lines.
fn hr_list(s: &Scratch, missing: &[u32], extra: &str) -> String {
    let mut list =
        String::from("Anst.nr;Namn;E-post;Förvaltning;Närmaste chef;Anställningsstatus\n");
    for n in (1..=12).filter(|n| !missing.contains(n)) {
        let manager = if n == 1 { "" } else { "1001" };
        list.push_str(&format!(
            "10{n:02};Person {n};person{n}@kommun.example;Gatukontoret;{manager};Aktiv\n"
        ));
    }
    list.push_str(extra);
    s.write("hr.csv", &list).display().to_string()
}

#[test]
fn hr_sync_finds_the_leaver_the_arrival_and_the_one_back_and_a_rerun_changes_nothing() {
    let s = register_of_twelve();
    // An earlier list without Person 5 made them a leaver; Person 6's last day was recorded
    // at the desk, which a list that lags behind still has: only the sync's is undone.
    let earlier = hr_list(&s, &[5], "");
    s.ok(&["sync", "hr", &earlier, "--as-of", "2026-01-31"]);
    s.ok(&["leave", "1006", "--on", "2026-11-30"]);
    let file = hr_list(
        &s,
        &[12],
        "2001;Nils Nyman;nils@kommun.example;Gatukontoret;1001;Aktiv\n",
    );
    let dry = s.run(&["sync", "hr", &file, "--dry-run", "--as-of", "2026-12-03"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains(
            "Person 12 (1012), last working day 2026-12-03 (not on the list), holds 1 item"
        ),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .contains("arrive: 1\n  Nils Nyman (2001), Gatukontoret"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .contains("back again, last working day cleared: 1\n  Person 5 (1005)"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stderr.contains("dry run: nothing was changed"),
        "{}",
        dry.stderr
    );
    assert_eq!(
        s.count("SELECT count(*) FROM person"),
        12,
        "a dry run adds nobody"
    );

    let summary = s.json(&["sync", "hr", &file, "--as-of", "2026-12-03"]);
    assert_eq!(summary["committed"], true);
    assert_eq!(summary["leaving"][0]["person"]["employee_no"], "1012");
    assert_eq!(summary["leaving"][0]["cause"], "not_in_source");
    assert_eq!(summary["leaving"][0]["holds"], 1);
    assert_eq!(summary["arrived"][0]["person"]["name"], "Nils Nyman");
    assert_eq!(summary["returned"][0]["employee_no"], "1005");
    assert_eq!(
        summary["changed"].as_array().map(Vec::len),
        Some(1),
        "Person 5's e-mail address"
    );

    let holdings = s.json(&["person", "show", "1012"]);
    assert_eq!(holdings["person"]["end_date"], "2026-12-03");
    assert_eq!(
        holdings["items"][0]["due_back"], "2026-12-03",
        "the due date follows"
    );
    let nils = s.json(&["person", "show", "2001"]);
    assert_eq!(nils["manager"]["employee_no"], "1001");
    assert_eq!(
        s.json(&["person", "show", "1005"])["person"]["end_date"],
        serde_json::Value::Null
    );
    assert_eq!(
        s.json(&["person", "show", "1006"])["person"]["end_date"],
        "2026-11-30"
    );

    let history = s.json(&["history", "1012"]);
    let left = history
        .as_array()
        .and_then(|events| events.iter().find(|e| e["action"] == "left_by_sync"))
        .unwrap_or_else(|| panic!("no left_by_sync in {history:#}"));
    assert_eq!(left["details"]["source"], "hr.csv");
    assert_eq!(left["details"]["cause"], "not_in_source");

    let again = s.json(&["sync", "hr", &file, "--as-of", "2026-12-03"]);
    for list in ["arrived", "changed", "leaving", "returned"] {
        assert_eq!(
            again[list].as_array().map(Vec::len),
            Some(0),
            "{list}: {again:#}"
        );
    }
    assert_eq!(again["unchanged"], 12);
}

#[test]
fn a_list_cut_short_is_refused_unless_allowed() {
    let s = register_of_twelve();
    let file = hr_list(&s, &[10, 11, 12], "");
    let stderr = s.refused(
        &["sync", "hr", &file],
        1,
        "would make 3 of the register's 12 current people leave at once, more than 10 %",
    );
    assert!(stderr.contains("--allow-mass-leave"), "{stderr}");
    let dry = s.run(&["sync", "hr", &file, "--dry-run"]);
    assert_eq!(dry.code, 0);
    assert!(
        dry.stderr.contains("a real run would be refused"),
        "{}",
        dry.stderr
    );
    let done = s.json(&["sync", "hr", &file, "--allow-mass-leave"]);
    assert_eq!(done["leaving"].as_array().map(Vec::len), Some(3));
}

#[test]
fn an_hr_list_marks_ended_and_planned_leavers_and_names_its_bad_rows() {
    let s = register_of_twelve();
    let mut file = hr_list(&s, &[], "");
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let text = text
        .replace(
            "1003;Person 3;person3@kommun.example;Gatukontoret;1001;Aktiv",
            "1003;Person 3;;Gatukontoret;1001;Avslutad",
        )
        .replace(
            "Anställningsstatus\n",
            "Anställningsstatus;Sista arbetsdag\n",
        )
        .replace(
            "1004;Person 4;person4@kommun.example;Gatukontoret;1001;Aktiv",
            "1004;Person 4;;Gatukontoret;1001;Aktiv;2027-01-15",
        );
    file = s.write("hr.csv", text).display().to_string();
    let summary = s.json(&["sync", "hr", &file, "--as-of", "2026-12-03"]);
    let leaving = summary["leaving"].as_array().cloned().unwrap_or_default();
    let day = |no: &str| {
        leaving
            .iter()
            .find(|l| l["person"]["employee_no"] == no)
            .map(|l| (l["last_day"].clone(), l["cause"].clone()))
    };
    assert_eq!(
        day("1003"),
        Some(("2026-12-03".into(), "ended_in_list".into()))
    );
    assert_eq!(
        day("1004"),
        Some(("2027-01-15".into(), "ended_in_list".into()))
    );

    let bad = s.write(
        "bad.csv",
        "Anst.nr;Namn;Anställningsstatus\n1001;Person 1;kanske\n1001;Person 1;Aktiv\n",
    );
    let stderr = s.refused(
        &["sync", "hr", &bad.display().to_string()],
        65,
        "cannot be synced",
    );
    assert!(
        stderr.contains("bad.csv:2") && stderr.contains("kanske"),
        "{stderr}"
    );
    let numberless = s.write("names.csv", "Namn;E-post\nPerson 1;p@kommun.example\n");
    s.refused(
        &["sync", "hr", &numberless.display().to_string()],
        65,
        "has no column of employee numbers",
    );
}

#[test]
fn the_directory_makes_leavers_of_disabled_expired_and_vanished_accounts() {
    let Some(server) = ldap_server("sync_from_the_directory") else {
        return;
    };
    let s = Scratch::new();
    // Someone the directory has as expired, and someone it does not have: they left.
    s.ok(&["person", "add", "4618", "--name", "Åsa Wikström"]);
    s.ok(&["person", "add", "4999", "--name", "Gammal Anställd"]);
    // Someone whose directory account has been disabled since.
    s.ok(&["person", "add", "4733", "--name", "Börje Öst"]);
    let password = s.write("ldap-password", format!("{SYNC_PASSWORD}\n"));
    let password = password.display().to_string();
    let args = [
        "sync",
        "ldap",
        "--url",
        &server.url,
        "--base",
        BASE,
        "--bind",
        SYNC_DN,
        "--password-file",
        &password,
        "--as-of",
        "2026-12-03",
        "--allow-mass-leave",
    ];
    let summary = s.json(&args);
    let leaving = summary["leaving"].as_array().cloned().unwrap_or_default();
    let left = |no: &str| {
        leaving
            .iter()
            .find(|l| l["person"]["employee_no"] == no)
            .map(|l| {
                (
                    l["last_day"].as_str().unwrap_or("").to_string(),
                    l["cause"].as_str().unwrap_or("").to_string(),
                )
            })
    };
    // Disabled: the day the entry last changed (its modifyTimestamp).
    assert_eq!(
        left("4733"),
        Some(("2025-03-14".into(), "account_disabled".into()))
    );
    assert_eq!(
        left("4618"),
        Some(("2026-09-30".into(), "account_expires".into()))
    );
    assert_eq!(
        left("4655"),
        Some(("2035-06-30".into(), "account_expires".into()))
    );
    assert_eq!(
        left("4999"),
        Some(("2026-12-03".into(), "not_in_source".into()))
    );
    assert_eq!(
        summary["without_number"],
        serde_json::json!(["cn=Jonas Ek,ou=Users,dc=kommun,dc=example"])
    );
    let maria = s.json(&["person", "show", "4471"]);
    assert_eq!(maria["manager"]["employee_no"], "4100");
    assert_eq!(maria["person"]["email"], "maria.olsson@kommun.example");
    assert!(maria["person"]["username"].is_string(), "{maria:#}");
    let history = s.json(&["history", "4733"]);
    assert!(
        history
            .as_array()
            .is_some_and(|events| events.iter().any(|e| {
                e["action"] == "left_by_sync"
                    && e["details"]["source"] == format!("{}/{BASE}", server.url)
            })),
        "{history:#}"
    );
    let again = s.json(&args);
    assert_eq!(
        again["leaving"].as_array().map(Vec::len),
        Some(0),
        "{again:#}"
    );
    assert_eq!(
        again["arrived"].as_array().map(Vec::len),
        Some(0),
        "{again:#}"
    );

    let wrong = s.write("wrong-password", "not-the-password");
    let stderr = s.refused(
        &[
            "sync",
            "ldap",
            "--url",
            &server.url,
            "--base",
            BASE,
            "--bind",
            SYNC_DN,
            "--password-file",
            &wrong.display().to_string(),
        ],
        1,
        "--password-file",
    );
    assert!(!stderr.contains("not-the-password"), "{stderr}");
}

#[test]
fn an_hr_import_sets_managers_user_names_and_languages_and_names_an_unknown_manager() {
    let s = Scratch::new();
    s.write(
        "hr.csv",
        "Anst.nr;Namn;Chef;Användarnamn;Språk\n\
         3001;Anna Anställd;3002;annans;Engelska\n\
         3002;Bo Chef;;boch;sv\n\
         3003;Cilla Okänd;9999;cillok;\n",
    );
    let run = s.run(&["import", "hr.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "line 4: the manager \"9999\" of Cilla Okänd (3003) is nobody else in the register"
        ),
        "{}",
        run.stderr
    );
    let anna = s.json(&["person", "show", "annans"]);
    assert_eq!(anna["person"]["employee_no"], "3001", "found by user name");
    assert_eq!(anna["person"]["language"], "en");
    assert_eq!(anna["manager"]["name"], "Bo Chef");
    let shown = s.ok(&["person", "show", "3001"]);
    assert!(
        shown.contains("Manager:") && shown.contains("Bo Chef (3002)"),
        "{shown}"
    );
    s.refused(
        &["person", "edit", "3002", "--manager", "3002"],
        1,
        "cannot be their own manager",
    );
    s.refused(
        &["person", "edit", "3002", "--username", "ANNANS"],
        1,
        "the user name ANNANS belongs to Anna Anställd (3001) already",
    );
}

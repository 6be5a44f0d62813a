//! `handback notify` against a real SMTP server on loopback (aiosmtpd): who gets what, in
//! which language, with both parts and the serials; a rerun sends nothing; a refused
//! recipient fails the run and is sent on the next; a dry run sends nothing.

use crate::common::Scratch;
use crate::smtp_server::{Received, SmtpOptions, SmtpServer, smtp_server, smtp_server_with};

/// The Monday the tests send on.
const MONDAY: &str = "2026-12-07";
/// Every handout is dated before [`MONDAY`]: one recorded at the clock's time would come
/// after the day the notices are planned for once the clock passes it.
const HANDED_OUT_ON: &str = "2026-11-02";

/// A leaver in 14 days (Swedish, with a manager), one in 3 days without an e-mail address,
/// and one who left yesterday still holding a phone.
fn register(s: &Scratch) {
    s.ok(&[
        "person",
        "add",
        "2001",
        "--name",
        "Berit Chef",
        "--email",
        "berit@kommun.example",
    ]);
    s.ok(&[
        "person",
        "add",
        "1001",
        "--name",
        "Åsa Öberg",
        "--email",
        "asa@kommun.example",
        "--manager",
        "2001",
        "--language",
        "sv",
        "--end-date",
        "2026-12-21",
    ]);
    s.ok(&[
        "person",
        "add",
        "1003",
        "--name",
        "Utan Adress",
        "--end-date",
        "2026-12-10",
    ]);
    s.ok(&[
        "person",
        "add",
        "1004",
        "--name",
        "Kvar Med Telefon",
        "--email",
        "kvar@kommun.example",
        "--manager",
        "2001",
    ]);
    s.ok(&[
        "handout",
        "PF-LAPTOP-1",
        "--to",
        "1001",
        "--kind",
        "laptop",
        "--make",
        "Lenovo",
        "--on",
        HANDED_OUT_ON,
    ]);
    for (serial, person) in [("PHONE-1003", "1003"), ("PHONE-1004", "1004")] {
        s.ok(&[
            "handout",
            serial,
            "--to",
            person,
            "--kind",
            "phone",
            "--on",
            HANDED_OUT_ON,
        ]);
    }
    s.ok(&["leave", "1004", "--on", "2026-12-06"]);
    let tablet = ["LOST-0001", "--to", "2001", "--kind", "tablet"];
    s.ok(&[&["handout"][..], &tablet, &["--on", HANDED_OUT_ON]].concat());
    s.ok(&["lost", "LOST-0001", "--stolen", "--on", "2026-12-02"]);
    s.ok(&["config", "set", "return.place", "IT-service, plan 2"]);
}

fn configure(s: &Scratch, server: &SmtpServer) {
    s.ok(&["config", "set", "mail.smtp_url", &server.url]);
    s.ok(&[
        "config",
        "set",
        "mail.from",
        "IT-service <it@kommun.example>",
    ]);
    s.ok(&["config", "set", "mail.it_desk", "it-desk@kommun.example"]);
}

fn to<'a>(received: &'a [Received], address: &str) -> Vec<&'a Received> {
    received
        .iter()
        .filter(|r| r.to.iter().any(|t| t == address))
        .collect()
}

#[test]
fn the_days_notices_arrive_once_each_in_the_readers_language() {
    let Some(server) = smtp_server("notify_once") else {
        return;
    };
    let s = Scratch::new();
    register(&s);
    configure(&s, &server);

    let dry = s.run(&["notify", "--as-of", MONDAY, "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stderr
            .contains("would send to Åsa Öberg <asa@kommun.example>"),
        "{}",
        dry.stderr
    );
    assert!(server.received().is_empty(), "a dry run sends nothing");

    let run = s.run(&["notify", "--as-of", MONDAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("not reachable: the leaver reminder notice about Utan Adress (1003): Utan Adress has no e-mail address"),
        "{}",
        run.stderr
    );
    let received = server.received();
    // Åsa's reminder, her manager's copy, the still-held notice to the manager and the IT
    // desk, and the IT desk's Monday list.
    assert_eq!(received.len(), 5, "{received:#?}");

    let asa = to(&received, "asa@kommun.example");
    assert_eq!(asa.len(), 1);
    assert_eq!(
        asa[0].subject,
        "Lämna tillbaka din IT-utrustning senast 2026-12-21"
    );
    let text = asa[0].text_part.as_deref().unwrap_or_default();
    let html = asa[0].html_part.as_deref().unwrap_or_default();
    for part in [text, html] {
        assert!(part.contains("PF-LAPTOP-1"), "{part}");
        assert!(part.contains("om 14 dagar"), "{part}");
        assert!(part.contains("IT-service, plan 2"), "{part}");
    }
    assert!(html.contains("<table"), "{html}");
    assert_eq!(asa[0].header("Auto-Submitted"), Some("auto-generated"));
    assert_eq!(asa[0].from, "it@kommun.example");

    let berit = to(&received, "berit@kommun.example");
    let subjects: Vec<&str> = berit.iter().map(|r| r.subject.as_str()).collect();
    assert!(
        subjects.contains(&"Åsa Öberg (1001) leaves on 2026-12-21: equipment to hand back"),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"Not handed back: Kvar Med Telefon (1004) left on 2026-12-06"),
        "{subjects:?}"
    );
    let desk = to(&received, "it-desk@kommun.example");
    assert_eq!(desk.len(), 2, "{desk:#?}");
    assert!(desk.iter().any(|r| {
        r.subject.starts_with("This week: 1 people")
            && r.text_part
                .as_deref()
                .unwrap_or_default()
                .contains("Kvar Med Telefon")
    }));
    assert!(desk.iter().all(|r| {
        r.text_part
            .as_deref()
            .unwrap_or_default()
            .contains("PHONE-1004")
            || r.subject.starts_with("This week")
    }));

    let again = s.run(&["notify", "--as-of", MONDAY]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        server.received().len(),
        5,
        "a rerun the same day sends nothing new"
    );
    assert!(
        again
            .stderr
            .contains("nothing to send for 2026-12-07 (5 sent already)"),
        "{}",
        again.stderr
    );
    assert_eq!(
        s.count("SELECT count(*) FROM notice WHERE outcome = 'sent'"),
        5
    );

    // Three days before: the second reminder, and nothing else new.
    s.ok(&["notify", "--as-of", "2026-12-18"]);
    let received = server.received();
    let asa = to(&received, "asa@kommun.example");
    assert_eq!(asa.len(), 2);
    assert!(
        asa[1]
            .text_part
            .as_deref()
            .unwrap_or_default()
            .contains("om 3 dagar")
    );
}

#[test]
fn a_refused_recipient_fails_the_run_and_is_sent_on_the_next() {
    let options = SmtpOptions {
        reject: vec!["asa@kommun.example".into()],
        ..SmtpOptions::default()
    };
    let (Some(refusing), Some(accepting)) = (
        smtp_server_with("notify_refusing", &options),
        smtp_server("notify_accepting"),
    ) else {
        return;
    };
    let s = Scratch::new();
    register(&s);
    configure(&s, &refusing);
    let run = s.run(&["notify", "--as-of", MONDAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("failed to send to Åsa Öberg <asa@kommun.example>"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tried again on the next run"),
        "{}",
        run.stderr
    );
    assert_eq!(refusing.received().len(), 4);
    assert_eq!(
        s.count("SELECT count(*) FROM notice WHERE outcome = 'failed'"),
        1
    );

    s.ok(&["config", "set", "mail.smtp_url", &accepting.url]);
    s.ok(&["notify", "--as-of", MONDAY]);
    let received = accepting.received();
    assert_eq!(received.len(), 1, "only the failed one: {received:#?}");
    assert_eq!(received[0].to, ["asa@kommun.example"]);
}

#[test]
fn without_a_mail_server_nothing_is_sent_and_the_password_is_never_shown() {
    let s = Scratch::new();
    register(&s);
    s.refused(
        &["notify", "--as-of", MONDAY],
        1,
        "handback config set mail.smtp_url",
    );
    s.ok(&[
        "config",
        "set",
        "mail.smtp_url",
        "smtps://notices:hemligt-lösen@mail.kommun.example",
    ]);
    let list = s.ok(&["config", "list"]);
    assert!(!list.contains("hemligt"), "{list}");
    assert!(
        list.contains("smtps://notices:********@mail.kommun.example"),
        "{list}"
    );
    let json = s.json(&["notify", "--as-of", MONDAY, "--dry-run"]);
    assert_eq!(json["sent"].as_array().map(Vec::len), Some(3), "{json:#}");
    assert_eq!(
        json["unreachable"].as_array().map(Vec::len),
        Some(4),
        "{json:#}"
    );
}

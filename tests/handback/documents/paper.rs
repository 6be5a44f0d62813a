//! The documents as they are read on paper (issue 14): every page names whose it is, serials
//! stay whole, what is owed and by when is on it, and where it came from.
//!
//! The HTML is read as Chromium prints it: the running footer is the text of the `@page`
//! rules' margin boxes, written as CSS escapes, which [`footers`] reads back.

use super::{hand, ok_in, person, report_data};
use crate::common::Scratch;

/// The text of every `@bottom-left` margin box, its CSS escapes read back.
fn footers(html: &str) -> Vec<String> {
    html.split("@bottom-left { content: \"")
        .skip(1)
        .map(|rest| unescape_css(rest.split('"').next().unwrap_or_default()))
        .collect()
}

/// `\e5 ` → `å`: the escapes `css_string` writes.
fn unescape_css(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_hexdigit)).collect();
        chars.next_if_eq(&' ');
        out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
    }
    out
}

/// Marie-Louise von Essen-Hällström, due to leave on 2025-03-31 (in the past), holding a
/// laptop and a phone with a 15-digit IMEI due on a day of its own, with a note; the
/// register's settings for the documents set.
fn leaver() -> Scratch {
    let s = Scratch::new();
    for (key, value) in [
        ("org.name", "Gatukontoret, Malmö stad"),
        ("return.place", "IT-service, plan 2, Stortorget 1"),
        ("return.hours", "vardagar 8–16"),
        ("return.contact", "servicedesk 040-34 10 00"),
    ] {
        s.ok(&["config", "set", key, value]);
    }
    person(
        &s,
        "1001",
        "Marie-Louise von Essen-Hällström",
        "Socialförvaltningen",
    );
    hand(
        &s,
        "CN-0K2W4H-74261-3B5-2ACL",
        "1001",
        "monitor",
        "Dell",
        "2025-01-10",
    );
    s.ok(&[
        "handout",
        "356789104512345",
        "--to",
        "1001",
        "--kind",
        "Mobiltelefon",
        "--on",
        "2025-01-11",
        "--due",
        "2025-03-14",
        "--note",
        "Laddare saknas",
    ]);
    hand(&s, "KB-1", "1001", "Tangentbord", "Logitech", "2025-01-12");
    s.ok(&["leave", "1001", "--on", "2025-03-31"]);
    s
}

#[test]
fn every_page_of_a_checklist_names_the_person_the_document_and_the_organisation() {
    let s = leaver();
    for (lang, kind, page) in [
        (
            "en",
            "Departure checklist",
            "Page \" counter(page) \" of \" counter(pages)",
        ),
        (
            "sv",
            "Avgångschecklista",
            "Sida \" counter(page) \" av \" counter(pages)",
        ),
    ] {
        let html = ok_in(&s, lang, &["checklist", "1001", "--format", "html"]);
        let footer = footers(&html);
        assert_eq!(footer.len(), 1, "{html}");
        let footer = &footer[0];
        assert!(
            footer.starts_with(&format!(
                "Marie-Louise von Essen-Hällström (1001) · {kind} CL-1001-"
            )),
            "{footer}"
        );
        assert!(footer.ends_with(" · Gatukontoret, Malmö stad"), "{footer}");
        // "Page x of y": the printer counts.
        assert!(html.contains(page), "{page}");
        // "Save as PDF" names the file after the person and the day.
        assert!(
            html.contains(&format!(
                "<title>{kind} – Marie-Louise von Essen-Hällström (1001) – "
            )),
            "{html}"
        );
        assert!(
            html.contains("Gatukontoret, Malmö stad"),
            "the head names it too"
        );
        assert_eq!(html.matches("<h1").count(), 1, "one h1");
    }
}

#[test]
fn a_checklist_shows_each_items_own_due_date_its_note_and_an_overdue_notice() {
    let s = leaver();
    let html = ok_in(&s, "sv", &["checklist", "1001", "--format", "html"]);
    // The phone is due on its own, earlier day; the rest on the last working day.
    assert!(html.contains(">2025-03-14</td>"), "{html}");
    assert!(html.contains(">2025-03-31</td>"), "{html}");
    assert!(html.contains("Laddare saknas"), "{html}");
    // Printed long after the phone was due.
    assert!(html.contains("Förfallen sedan "), "{html}");
    assert!(html.contains(" dagar – lämna omgående."), "{html}");
    // Where, when and whom to ask, from the register's settings.
    for value in [
        "IT-service, plan 2, Stortorget 1",
        "vardagar 8–16",
        "servicedesk 040-34 10 00",
    ] {
        assert!(html.contains(value), "{value}");
    }
    // A column to tick, and one to say why not.
    assert!(html.contains("Ej åter\u{ad}lämnad: orsak"), "{html}");
    // Who handed each out stays in the register.
    assert!(!html.contains("Utlämnad av"), "{html}");
    assert!(!html.contains("Ahmed (IT)</td>"), "{html}");
}

#[test]
fn a_checklist_printed_before_anything_is_due_has_no_overdue_notice() {
    let s = Scratch::new();
    person(&s, "2001", "Per Gustafsson", "Gatukontoret");
    hand(&s, "PF4KX9ZQ", "2001", "laptop", "Lenovo", "2025-01-10");
    s.ok(&["leave", "2001", "--on", "2099-12-31"]);
    let html = ok_in(&s, "en", &["checklist", "2001", "--format", "html"]);
    assert!(html.contains(">2099-12-31</td>"), "{html}");
    assert!(!html.contains("Overdue by"), "{html}");
}

#[test]
fn serials_and_asset_tags_are_cells_that_never_break() {
    let s = leaver();
    let html = ok_in(&s, "en", &["checklist", "1001", "--format", "html"]);
    for serial in ["CN-0K2W4H-74261-3B5-2ACL", "356789104512345"] {
        assert!(
            html.contains(&format!(
                "<td class=\"code\" data-label=\"Serial number\">{serial}</td>"
            )),
            "{serial} in {html}"
        );
    }
    let rule = html
        .split("td.code {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .unwrap_or_default();
    assert!(rule.contains("white-space: nowrap"), "{rule}");
    assert!(!rule.contains("overflow-wrap: anywhere"), "{rule}");
}

#[test]
fn english_documents_name_the_kinds_in_english() {
    let s = leaver();
    // A kind as an old register or a list stored it.
    s.execute("UPDATE device SET kind = 'Tangentbord' WHERE serial = 'KB-1'")
        .expect("a Swedish kind word");
    let html = ok_in(&s, "en", &["checklist", "1001", "--format", "html"]);
    assert!(html.contains(">Keyboard</td>"), "{html}");
    assert!(html.contains(">Mobile phone</td>"), "{html}");
    assert!(!html.contains("Tangentbord"), "{html}");
    assert!(!html.contains("Mobiltelefon"), "{html}");
    let sv = ok_in(&s, "sv", &["checklist", "1001", "--format", "html"]);
    assert!(sv.contains(">Tangentbord</td>"), "{sv}");
}

#[test]
fn split_keeps_a_family_names_particle_with_it() {
    let s = leaver();
    s.ok(&[
        "checklist",
        "--leaving-before",
        "2025-12-31",
        "--split",
        "out",
    ]);
    let path = s.path("out/Socialförvaltningen - von Essen-Hällström Marie-Louise - 1001.html");
    assert!(path.exists(), "{}", path.display());
}

#[test]
fn a_batch_names_each_person_on_their_pages_and_marks_who_is_overdue() {
    let s = leaver();
    person(&s, "2001", "Per Gustafsson", "Gatukontoret");
    hand(&s, "PF4KX9ZQ", "2001", "laptop", "Lenovo", "2025-01-10");
    s.ok(&["leave", "2001", "--on", "2099-12-31"]);
    let html = ok_in(&s, "en", &["checklist", "--leaving-before", "2099-12-31"]);
    let footer = footers(&html);
    assert_eq!(footer.len(), 3, "the cover and one named page each");
    assert!(
        footer[0].contains("Departure checklists CLB-"),
        "{footer:?}"
    );
    assert!(
        footer[1].starts_with("Per Gustafsson (2001) · "),
        "{footer:?}"
    );
    assert!(
        footer[2].starts_with("Marie-Louise von Essen-Hällström (1001) · "),
        "{footer:?}"
    );
    assert!(html.contains("@page person-1 {") && html.contains("style=\"page: person-2\""));
    // The cover: one is overdue (in days), the other is not.
    let cover = html.split("</table>").next().unwrap_or_default();
    assert!(cover.contains("data-label=\"Overdue\">–</td>"), "{cover}");
    assert!(cover.contains(" days</td>"), "{cover}");
    // The cover's selection in a few words.
    assert!(
        html.contains("last working day on or before 2099-12-31"),
        "{html}"
    );
    assert_eq!(html.matches("<h1").count(), 1, "the cover's h1 only");
}

/// A replacement, a hand-out and a return on one day, and what is left.
fn receipt_day() -> Scratch {
    let s = Scratch::new();
    person(&s, "3001", "Johanna Wikström-Åkerlund", "Gatukontoret");
    hand(&s, "OLD-PHONE-1", "3001", "phone", "Samsung", "2025-03-03");
    hand(&s, "LAPTOP-1", "3001", "laptop", "Lenovo", "2025-03-03");
    s.ok(&[
        "replace",
        "OLD-PHONE-1",
        "--with",
        "NEW-PHONE-2",
        "--reason",
        "broken",
        "--make",
        "Apple",
        "--on",
        "2025-03-10",
    ]);
    s
}

#[test]
fn a_receipt_names_what_a_replacement_replaces_what_remains_and_when_it_is_a_copy() {
    let s = receipt_day();
    let html = ok_in(
        &s,
        "en",
        &["receipt", "3001", "--on", "2025-03-10", "--format", "html"],
    );
    assert!(
        html.contains("replaces OLD-PHONE-1 (Mobile phone Samsung)"),
        "{html}"
    );
    assert!(html.contains("Still to be returned"), "{html}");
    let remaining = html
        .split_once("Still to be returned")
        .map_or("", |(_, after)| after);
    for serial in ["LAPTOP-1", "NEW-PHONE-2"] {
        assert!(remaining.contains(serial), "{serial} remains: {remaining}");
    }
    assert!(!remaining.contains(">OLD-PHONE-1<"), "{remaining}");
    // Printed after its day.
    assert!(html.contains("COPY – printed "), "{html}");
    assert!(html.contains("The receipt is of 2025-03-10."), "{html}");
    assert!(html.contains("RC-3001-20250310"), "{html}");
    assert!(
        html.contains("<title>Receipt – Johanna Wikström-Åkerlund (3001) – 2025-03-10</title>")
    );
    // The day's receipt printed the same day is no copy.
    s.ok(&["handout", "TODAY-1", "--to", "3001", "--kind", "headset"]);
    let today = ok_in(&s, "en", &["receipt", "3001", "--format", "html"]);
    assert!(!today.contains("COPY – printed"), "{today}");
}

#[test]
fn a_receipts_signing_sentence_says_what_happened() {
    let s = receipt_day();
    let both = ok_in(
        &s,
        "en",
        &["receipt", "3001", "--on", "2025-03-10", "--format", "md"],
    );
    assert!(
        both.contains("The employee has received the equipment handed out"),
        "{both}"
    );
    assert!(both.contains("The IT technician has received the equipment taken back"));
    let out_only = ok_in(
        &s,
        "en",
        &["receipt", "3001", "--on", "2025-03-03", "--format", "md"],
    );
    assert!(out_only.contains("The employee has received the equipment handed out"));
    assert!(
        !out_only.contains("has received the equipment taken back"),
        "nothing came back on 2025-03-03: {out_only}"
    );
    s.ok(&["return", "LAPTOP-1", "--on", "2025-03-12"]);
    let back_only = ok_in(
        &s,
        "sv",
        &["receipt", "3001", "--on", "2025-03-12", "--format", "md"],
    );
    assert!(back_only.contains("IT-teknikern har tagit emot den återlämnade utrustningen"));
    assert!(
        !back_only.contains("Den anställda har tagit emot"),
        "{back_only}"
    );
}

#[test]
fn a_document_names_who_produced_it_by_name_when_the_register_knows_it() {
    let s = leaver();
    s.command()
        .args([
            "user",
            "add",
            "anna",
            "--name",
            "Anna Berg",
            "--role",
            "technician",
        ])
        .arg("--password-stdin")
        .write_stdin("correct horse battery staple\n")
        .assert()
        .success();
    let html = ok_in(
        &s,
        "en",
        &["--as", "anna", "checklist", "1001", "--format", "html"],
    );
    assert!(html.contains(" by Anna Berg (anna)"), "{html}");
    let json = s.json(&["--as", "anna", "checklist", "1001"]);
    assert_eq!(json["produced_by"], "anna");
    assert_eq!(json["produced_by_name"], "Anna Berg");
    assert_eq!(json["organisation"], "Gatukontoret, Malmö stad");
    // Without an account, the name given is used as it is.
    let plain = s.json(&["checklist", "1001"]);
    assert_eq!(plain["produced_by"], "Ahmed (IT)");
}

#[test]
fn the_report_says_what_its_delays_count_and_its_shares_add_up_to_100() {
    let s = report_data();
    let html = ok_in(
        &s,
        "en",
        &["report", "--from", "2025-01-01", "--to", "2025-06-30"],
    );
    assert!(html.contains("Longest delay among those who returned everything (days)"));
    assert!(html.contains("Median delay among those who returned everything (days)"));
    // The longest case still outstanding, beside them.
    assert!(html.contains("31 days: Åsa Öberg (1001), H1"), "{html}");
    // One reuse, one repair, one recycling: 34 + 33 + 33, not 33 + 33 + 33.
    let routes = html
        .split_once("<caption>Returned devices split into")
        .map_or("", |(_, table)| table);
    assert!(routes.contains(">34%</td>"), "{routes}");
    assert_eq!(routes.matches(">33%</td>").count(), 2, "{routes}");
    // One term for days after the last working day, in both tables.
    assert_eq!(
        html.matches(">Days past last working day</th>").count(),
        2,
        "{html}"
    );
    assert!(!html.contains("Days late") && !html.contains("Days overdue"));
    assert!(html.contains("Reviewed by"), "{html}");
    let footer = footers(&html);
    assert!(
        footer[0].starts_with("Period: 2025-01-01 – 2025-06-30 · Follow-up report RP-20250101-"),
        "{footer:?}"
    );
    // The outstanding and missing tables carry asset tag, make and model.
    assert!(html.contains("<td class=\"name\" data-label=\"Make and model\">Jabra</td>"));
}

#[test]
fn the_default_report_period_is_the_twelve_whole_months_before_this_one() {
    let s = report_data();
    let json = s.json(&["report"]);
    assert_eq!(json["default_period"], true);
    let from = json["from"].as_str().unwrap_or_default();
    let to = json["to"].as_str().unwrap_or_default();
    assert!(from.ends_with("-01"), "{from}");
    // The day before the first of a month: the month's last day, not today.
    let to_day: u32 = to[8..].parse().unwrap_or(0);
    assert!(to_day >= 28, "{to}");
    let html = ok_in(&s, "en", &["report"]);
    assert!(html.contains("The period is the twelve whole months before the current one."));
    let asked = s.json(&["report", "--from", "2025-01-01", "--to", "2025-06-30"]);
    assert_eq!(asked["default_period"], false);
}

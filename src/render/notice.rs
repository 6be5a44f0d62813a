//! The e-mail notices of `notify`, each as a subject, a plain-text part and an HTML part in
//! its reader's language: pure functions of the planned [`Notice`].
//!
//! The HTML is plain on purpose (one table, no style sheet a mail program would drop), and
//! written through `maud`, which escapes every value from the register.

use super::common::{self, Table};
use crate::docs::{Checklist, Notice, NoticeContent, Overdue};
use crate::i18n::{Lang, Text};
use crate::model::Recipient;
use maud::{Markup, html};

/// The most people (and lost or stolen devices) the weekly list names; the rest are counted,
/// and are on the web page.
pub const WEEKLY_PEOPLE: usize = 100;

/// A notice ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedNotice {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a notice says, before it is given a form: a greeting, sentences, the items, facts
/// and a link.
struct Body {
    greeting: Option<String>,
    paragraphs: Vec<String>,
    table: Option<Table>,
    lines: Vec<String>,
    facts: Vec<(&'static str, String)>,
    link: Option<String>,
}

/// `notice` in `lang`; links go to `public_url` when the web pages have one.
pub fn notice(notice: &Notice, lang: Lang, public_url: Option<&str>) -> RenderedNotice {
    let link = |path: &str| public_url.map(|url| format!("{}{path}", url.trim_end_matches('/')));
    let (subject, body) = match &notice.content {
        NoticeContent::Leaving {
            checklist,
            days_left,
            ..
        } => leaving(notice.recipient, checklist, *days_left, lang, &link),
        NoticeContent::StillHeld { checklist, .. } => {
            let person = &checklist.person;
            let day = last_day(checklist);
            let subject = lang.fill(Text::NoticeStillHeldSubject, &[&person.label(), &day]);
            let body = Body {
                greeting: None,
                paragraphs: vec![lang.fill(Text::NoticeStillHeldIntro, &[&person.label(), &day])],
                table: Some(common::checklist_items(lang, checklist).without_boxes()),
                lines: Vec::new(),
                facts: Vec::new(),
                link: link(&format!("/people/{}", super::encode(&person.reference()))),
            };
            (subject, body)
        }
        NoticeContent::Weekly { overdue } => weekly(overdue, lang, &link),
    };
    RenderedNotice {
        // A header is one line, whatever a name from the register holds.
        subject: subject
            .split(char::is_control)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        text: text(&body, lang),
        html: markup(&body, lang).into_string(),
    }
}

fn last_day(checklist: &Checklist) -> String {
    checklist
        .return_by()
        .map(common::date)
        .unwrap_or_else(|| common::NO_VALUE.to_string())
}

fn days_left(lang: Lang, days: u32) -> String {
    match days {
        0 => lang.text(Text::DaysLeftToday).to_string(),
        1 => lang.text(Text::DaysLeftOne).to_string(),
        n => lang.fill(Text::DaysLeftMany, &[&n.to_string()]),
    }
}

fn leaving(
    recipient: Recipient,
    checklist: &Checklist,
    days: u32,
    lang: Lang,
    link: &dyn Fn(&str) -> Option<String>,
) -> (String, Body) {
    let person = &checklist.person;
    let day = last_day(checklist);
    let when = days_left(lang, days);
    let items = common::checklist_items(lang, checklist).without_boxes();
    let mut lines = common::return_instruction(lang, checklist);
    // By serial: the mail's table has no row numbers.
    lines.extend(checklist.items.iter().filter_map(|item| {
        let note = item.note.as_deref()?.trim();
        (!note.is_empty()).then(|| format!("{}: {note}", item.serial))
    }));
    let facts = common::return_facts(lang, &checklist.header);
    if recipient == Recipient::Leaver {
        let body = Body {
            greeting: Some(lang.fill(Text::NoticeGreeting, &[&person.name])),
            paragraphs: vec![lang.fill(Text::NoticeLeaverIntro, &[&day, &when])],
            table: Some(items),
            lines,
            facts,
            link: None,
        };
        return (lang.fill(Text::NoticeLeaverSubject, &[&day]), body);
    }
    let body = Body {
        greeting: None,
        paragraphs: vec![lang.fill(Text::NoticeManagerIntro, &[&person.label(), &day, &when])],
        table: Some(items),
        lines,
        facts,
        link: link(&format!("/people/{}", super::encode(&person.reference()))),
    };
    (
        lang.fill(Text::NoticeManagerSubject, &[&person.label(), &day]),
        body,
    )
}

fn weekly(overdue: &Overdue, lang: Lang, link: &dyn Fn(&str) -> Option<String>) -> (String, Body) {
    let people = overdue.people.len().to_string();
    let missing = overdue.missing.len().to_string();
    let mut lines: Vec<String> = overdue
        .people
        .iter()
        .take(WEEKLY_PEOPLE)
        .map(|p| {
            lang.fill(
                Text::NoticeWeeklyPerson,
                &[
                    &p.person.label(),
                    &common::date(p.last_working_day),
                    &p.days_overdue.to_string(),
                    &p.items.len().to_string(),
                ],
            )
        })
        .collect();
    if overdue.people.len() > WEEKLY_PEOPLE {
        let more = (overdue.people.len() - WEEKLY_PEOPLE).to_string();
        lines.push(lang.fill(Text::NoticeMore, &[&more]));
    }
    lines.extend(overdue.missing.iter().take(WEEKLY_PEOPLE).map(|device| {
        lang.fill(
            Text::NoticeMissing,
            &[
                lang.text(Text::Status(device.status)),
                &device.serial,
                &lang.kind(&device.kind),
                &common::date(device.since),
                device.last_holder.as_deref().unwrap_or(common::NO_VALUE),
            ],
        )
    }));
    if overdue.missing.len() > WEEKLY_PEOPLE {
        let more = (overdue.missing.len() - WEEKLY_PEOPLE).to_string();
        lines.push(lang.fill(Text::NoticeMore, &[&more]));
    }
    let body = Body {
        greeting: None,
        paragraphs: vec![lang.fill(
            Text::NoticeWeeklyIntro,
            &[&common::date(overdue.as_of), &people, &missing],
        )],
        table: None,
        lines,
        facts: Vec::new(),
        link: link("/overdue"),
    };
    (lang.fill(Text::NoticeWeeklySubject, &[&people]), body)
}

fn text(body: &Body, lang: Lang) -> String {
    let mut text = String::new();
    if let Some(greeting) = &body.greeting {
        text.push_str(&format!("{greeting}\n\n"));
    }
    for paragraph in &body.paragraphs {
        text.push_str(&format!("{paragraph}\n\n"));
    }
    if let Some(table) = &body.table {
        for row in &table.rows {
            let cells: Vec<String> = table
                .columns
                .iter()
                .zip(row)
                .skip(1)
                .filter(|(_, cell)| cell.as_str() != common::NO_VALUE)
                .map(|((_, head), cell)| format!("{}: {cell}", head.replace('\u{ad}', "")))
                .collect();
            text.push_str(&format!(
                "{}. {}\n",
                row.first().map_or("", |n| n),
                cells.join(", ")
            ));
        }
        text.push('\n');
    }
    for line in &body.lines {
        text.push_str(&format!("{line}\n"));
    }
    if !body.lines.is_empty() {
        text.push('\n');
    }
    for (label, value) in &body.facts {
        text.push_str(&format!("{label}: {value}\n"));
    }
    if !body.facts.is_empty() {
        text.push('\n');
    }
    if let Some(link) = &body.link {
        text.push_str(&format!(
            "{}\n\n",
            lang.fill(Text::NoticeSeeOnline, &[link])
        ));
    }
    text.push_str(&format!("-- \n{}\n", lang.text(Text::NoticeAutomatic)));
    text
}

/// A row of a [`Table`] whose first column is the row's number, without it.
fn numbers_left_out<T>(cells: &[T]) -> &[T] {
    cells.get(1..).unwrap_or_default()
}

fn markup(body: &Body, lang: Lang) -> Markup {
    html! {
        (maud::DOCTYPE)
        html lang=(lang.code()) {
            head { meta charset="utf-8"; }
            body style="font-family: sans-serif; line-height: 1.4" {
                @if let Some(greeting) = &body.greeting { p { (greeting) } }
                @for paragraph in &body.paragraphs { p { (paragraph) } }
                @if let Some(table) = &body.table {
                    // Without the row numbers, which a screen does not need: a phone's width
                    // holds the rest.
                    table style="border-collapse: collapse" {
                        thead { tr { @for (_, head) in numbers_left_out(&table.columns) {
                            th style="text-align: left; border-bottom: 1px solid #888; padding: 4px 6px" { (head) }
                        } } }
                        tbody { @for row in &table.rows { tr { @for cell in numbers_left_out(row) {
                            td style="border-bottom: 1px solid #ddd; padding: 4px 6px" { (cell) }
                        } } } }
                    }
                }
                @if !body.lines.is_empty() {
                    ul { @for line in &body.lines { li { (line) } } }
                }
                @if !body.facts.is_empty() {
                    dl { @for (label, value) in &body.facts { dt { b { (label) } } dd { (value) } } }
                }
                @if let Some(link) = &body.link {
                    p { a href=(link) { (lang.fill(Text::NoticeSeeOnline, &[link])) } }
                }
                p style="color: #555; font-size: small" { (lang.text(Text::NoticeAutomatic)) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::Addressee;
    use crate::model::NoticeKind;
    use crate::render::samples;

    fn reminder(checklist: Checklist, recipient: Recipient) -> Notice {
        Notice {
            subject: "leaving:1:2025-03-31:14".into(),
            kind: NoticeKind::LeaverReminder,
            recipient,
            to: Some(Addressee {
                person: None,
                name: "Åsa".into(),
                email: Some("asa@kommun.example".into()),
                language: None,
            }),
            about_person: None,
            content: NoticeContent::Leaving {
                checklist,
                days_left: 14,
                manager: None,
            },
        }
    }

    #[test]
    fn a_name_from_the_register_is_text_in_every_part() {
        let checklist = samples::checklist_hostile(Lang::Sv).doc;
        let mail = notice(
            &reminder(checklist, Recipient::Manager),
            Lang::Sv,
            Some("https://hb"),
        );
        assert!(!mail.html.contains("<script>"), "{}", mail.html);
        assert!(mail.html.contains("&lt;script&gt;"), "{}", mail.html);
        assert!(!mail.subject.contains('\n'), "{:?}", mail.subject);
        assert!(mail.text.contains("https://hb/people/"), "{}", mail.text);
    }

    #[test]
    fn the_leaver_is_greeted_and_gets_no_link_to_pages_they_cannot_open() {
        let checklist = samples::checklist(Lang::En).doc;
        let serial = checklist.items[0].serial.clone();
        let mail = notice(
            &reminder(checklist, Recipient::Leaver),
            Lang::En,
            Some("https://hb"),
        );
        assert!(mail.text.starts_with("Hello "), "{}", mail.text);
        assert!(mail.text.contains(&serial) && mail.html.contains(&serial));
        assert!(!mail.text.contains("https://hb"), "{}", mail.text);
    }
}

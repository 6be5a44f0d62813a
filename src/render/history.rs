//! A history as a person reads it at the desk: the chain of custody, then everything
//! recorded. Each table names only the other party (the person for a device's history, the
//! device for a person's), so the rows fit a terminal.

use super::records::details_summary;
use super::terminal;
use crate::i18n::Lang;
use crate::model::{CustodySpan, Event};
use crate::zone::Zone;
use chrono::{DateTime, Utc};
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

/// Whose history it is, which decides the other party shown on each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    Device,
    Person,
}

fn local(zone: Zone, moment: DateTime<Utc>) -> String {
    zone.local_time(moment).format("%Y-%m-%d %H:%M").to_string()
}

fn person(employee_no: &Option<String>, name: &Option<String>) -> String {
    match (name, employee_no) {
        (Some(name), Some(no)) => format!("{name} ({no})"),
        (Some(name), None) => name.clone(),
        (None, _) => String::new(),
    }
}

/// A table with `headings` (field-like words, see [`Lang::word`]) in `lang`.
fn new_table(lang: Lang, headings: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headings.iter().map(|h| lang.word(h)));
    table
}

/// A row's cells for a terminal.
fn row(cells: Vec<String>) -> Vec<String> {
    cells
        .into_iter()
        .map(|cell| terminal(&cell).into_owned())
        .collect()
}

/// How a stretch of custody ended: "returned damaged → repair", "replaced → recycle by X"
/// ("utbytt → återvinning ersatt av X").
fn ending(lang: Lang, span: &CustodySpan) -> String {
    let Some(reason) = &span.end_reason else {
        return lang.word("still_held").into_owned();
    };
    let mut words = vec![lang.word(reason).into_owned()];
    words.extend(span.condition.as_deref().map(|c| lang.word(c).into_owned()));
    if let Some(route) = &span.route {
        words.push(format!("→ {}", lang.word(route)));
    }
    if let Some(new) = &span.replaced_by {
        let by = match lang {
            Lang::En => "by".into(),
            Lang::Sv => lang.word("replaced_by"),
        };
        words.push(format!("{by} {new}"));
    }
    words.join(" ")
}

pub fn custody(of: Of, spans: &[CustodySpan], lang: Lang, zone: Zone) -> String {
    let party = if of == Of::Device {
        "held_by"
    } else {
        "device"
    };
    let mut table = new_table(
        lang,
        &[
            party,
            "from",
            "handed_out_by",
            "until",
            "taken_back_by",
            "how_it_ended",
        ],
    );
    for span in spans {
        let who = match of {
            Of::Device => person(&span.employee_no, &Some(span.person.clone())),
            Of::Person => span.serial.clone(),
        };
        table.add_row(row(vec![
            who,
            local(zone, span.handed_out_at),
            span.handed_out_by.clone(),
            span.returned_at
                .map(|at| local(zone, at))
                .unwrap_or_default(),
            span.returned_by.clone().unwrap_or_default(),
            ending(lang, span),
        ]));
    }
    keep_whole(&mut table, &[1, 3]);
    format!("{table}\n")
}

pub fn events(of: Of, events: &[Event], lang: Lang, zone: Zone) -> String {
    let party = if of == Of::Device { "person" } else { "device" };
    let mut table = new_table(lang, &["at", "action", party, "status", "by", "details"]);
    for event in events {
        let other = match of {
            Of::Device => person(&event.employee_no, &event.person),
            Of::Person => event.serial.clone().unwrap_or_default(),
        };
        table.add_row(row(vec![
            local(zone, event.at),
            lang.word(&event.action).into_owned(),
            other,
            event
                .status
                .map(|s| lang.word(s.as_str()).into_owned())
                .unwrap_or_default(),
            event.actor.clone(),
            details_summary(&event.details),
        ]));
    }
    keep_whole(&mut table, &[0]);
    if let Some(details) = table.column_mut(5) {
        details.set_constraint(ColumnConstraint::LowerBoundary(Width::Percentage(35)));
    }
    format!("{table}\n")
}

/// Dates and times are never broken over two lines.
fn keep_whole(table: &mut Table, columns: &[usize]) {
    for index in columns {
        if let Some(column) = table.column_mut(*index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

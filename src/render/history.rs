//! A history as a person reads it at the desk: the chain of custody, then everything
//! recorded. Each table names only the other party (the person for a device's history, the
//! device for a person's), so the rows fit a terminal.

use super::records::details_summary;
use crate::model::{CustodySpan, Event};
use chrono::{DateTime, Local, Utc};
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

/// Whose history it is, which decides the other party shown on each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    Device,
    Person,
}

fn local(moment: DateTime<Utc>) -> String {
    moment
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn person(employee_no: &Option<String>, name: &Option<String>) -> String {
    match (name, employee_no) {
        (Some(name), Some(no)) => format!("{name} ({no})"),
        (Some(name), None) => name.clone(),
        (None, _) => String::new(),
    }
}

fn new_table(headers: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_HORIZONTAL_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.to_vec());
    table
}

/// How a stretch of custody ended: "returned damaged → repair", "replaced → recycle by X".
fn ending(span: &CustodySpan) -> String {
    let Some(reason) = &span.end_reason else {
        return "still held".into();
    };
    let mut words = vec![reason.clone()];
    words.extend(span.condition.clone());
    if let Some(route) = &span.route {
        words.push(format!("→ {route}"));
    }
    if let Some(new) = &span.replaced_by {
        words.push(format!("by {new}"));
    }
    words.join(" ")
}

pub fn custody(of: Of, spans: &[CustodySpan]) -> String {
    let party = if of == Of::Device {
        "held by"
    } else {
        "device"
    };
    let mut table = new_table(&[
        party,
        "from",
        "handed out by",
        "until",
        "taken back by",
        "how it ended",
    ]);
    for span in spans {
        let who = match of {
            Of::Device => person(&span.employee_no, &Some(span.person.clone())),
            Of::Person => span.serial.clone(),
        };
        table.add_row(vec![
            who,
            local(span.handed_out_at),
            span.handed_out_by.clone(),
            span.returned_at.map(local).unwrap_or_default(),
            span.returned_by.clone().unwrap_or_default(),
            ending(span),
        ]);
    }
    keep_whole(&mut table, &[1, 3]);
    format!("{table}\n")
}

pub fn events(of: Of, events: &[Event]) -> String {
    let party = if of == Of::Device { "person" } else { "device" };
    let mut table = new_table(&["at", "action", party, "status", "by", "details"]);
    for event in events {
        let other = match of {
            Of::Device => person(&event.employee_no, &event.person),
            Of::Person => event.serial.clone().unwrap_or_default(),
        };
        table.add_row(vec![
            local(event.at),
            event.action.replace('_', " "),
            other,
            event
                .status
                .map(|s| s.plain().to_string())
                .unwrap_or_default(),
            event.actor.clone(),
            details_summary(&event.details),
        ]);
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

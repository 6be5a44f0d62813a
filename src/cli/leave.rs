//! `handback leave PERSON --on DATE`: record the last working day, then print the checklist.

use super::document::{self, DocArgs};
use super::{Context, output};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use handback::docs::InLang;
use handback::domain::DueChange;
use handback::validate::parse_date;
use std::collections::BTreeMap;

#[derive(Debug, Args)]
#[command(after_help = "\
Everything the person holds becomes due back on that day; a handout due earlier keeps its own
date, and gets it back if the last working day later moves or is cleared. The checklist of
what they hold is printed (HTML unless --format says otherwise).

Example:
  handback leave 4471 --on 2026-06-30 --lang sv --out maria-olsson.html")]
pub struct LeaveArgs {
    /// Employee number, e-mail address or full name
    person: String,
    /// The last working day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    on: String,
    #[command(flatten)]
    doc: DocArgs,
}

/// The changed handouts grouped by their new due date, earliest first.
fn by_due_date(changes: &[DueChange]) -> BTreeMap<Option<NaiveDate>, Vec<&str>> {
    let mut grouped: BTreeMap<_, Vec<&str>> = BTreeMap::new();
    for change in changes {
        grouped
            .entry(change.due_back)
            .or_default()
            .push(&change.serial);
    }
    grouped
}

pub fn run(ctx: &Context, args: LeaveArgs) -> Result<()> {
    let last_day = parse_date(&args.on)?;
    let mut register = ctx.open()?;
    let outcome = register.leave(&args.person, last_day)?;
    let person = outcome.person.label();
    match outcome.previous {
        Some(previous) if previous != last_day => output::done(format!(
            "Recorded {last_day} as the last working day of {person} (was {previous})"
        )),
        Some(_) => output::done(format!(
            "{person}'s last working day was {last_day} already"
        )),
        None => output::done(format!(
            "Recorded {last_day} as the last working day of {person}"
        )),
    }
    for (due, serials) in by_due_date(&outcome.due_dates_set) {
        let due = due.map_or("no date".to_string(), |d| d.to_string());
        output::done(format!("Due back on {due}: {}", serials.join(", ")));
    }
    document::print(&InLang::new(outcome.checklist, ctx.lang()), &args.doc)
}

//! `handback overdue`: everyone past their last working day who still holds something, and
//! the lost and stolen devices not yet found. `--fail-if-any` makes it a scheduled check.

use super::{Context, Format, date, output};
use anyhow::{Result, bail};
use clap::Args;
use handback::render;

#[derive(Debug, Args)]
#[command(after_help = "\
A person is overdue when their last working day is before --as-of and they still hold
something; days overdue count from the last working day to --as-of. A lost or stolen device
stays on the list until it is found.

CSV lists the overdue devices only; JSON and the table also list the missing devices.

For a scheduled check (exit 1 when anyone is overdue; missing devices alone do not fail it):
  handback overdue --fail-if-any --format json > overdue.json || notify-it-desk")]
pub struct OverdueArgs {
    /// Count as of this day, YYYY-MM-DD (default: today)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Only people in this department (and devices last held by them)
    #[arg(long, value_name = "D")]
    department: Option<String>,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Exit 1 when anyone is overdue (the list is printed all the same)
    #[arg(long)]
    fail_if_any: bool,
}

pub fn run(ctx: &Context, args: OverdueArgs) -> Result<()> {
    let register = ctx.open()?;
    let as_of = date(args.as_of.as_deref())?.unwrap_or_else(|| register.today());
    let overdue = register.overdue(as_of, args.department.as_deref())?;
    let (lang, zone) = (ctx.lang(), register.zone());
    match args.format {
        Format::Json => output::data(render::json(&overdue)?)?,
        Format::Csv => output::data(render::csv(&overdue.rows(), b',', zone)?)?,
        Format::Table => {
            let mut text = match overdue.people.len() {
                0 => {
                    format!("Nobody past their last working day holds equipment (as of {as_of}).\n")
                }
                n => format!(
                    "{n} {} past their last working day still {} equipment (as of {as_of}):\n",
                    if n == 1 { "person" } else { "people" },
                    if n == 1 { "holds" } else { "hold" },
                ),
            };
            // A block per person: who, where, since when, then what they hold.
            for entry in &overdue.people {
                let department = entry
                    .person
                    .department
                    .as_deref()
                    .unwrap_or("no department");
                text.push_str(&format!(
                    "\n{}, {department}: last working day {}, {} days overdue\n",
                    entry.person.label(),
                    entry.last_working_day,
                    entry.days_overdue
                ));
                text.push_str(&render::table(&entry.items, lang, zone));
            }
            if !overdue.missing.is_empty() {
                text.push_str("\nLost or stolen, not found:\n");
                text.push_str(&render::table(&overdue.missing, lang, zone));
            }
            output::terminal(&text)?;
        }
    }
    if args.fail_if_any && !overdue.people.is_empty() {
        let items: usize = overdue.people.iter().map(|p| p.items.len()).sum();
        let people = overdue.people.len();
        bail!(
            "{people} {} past their last working day still {} {items} {}",
            if people == 1 { "person" } else { "people" },
            if people == 1 { "holds" } else { "hold" },
            if items == 1 { "device" } else { "devices" },
        );
    }
    Ok(())
}

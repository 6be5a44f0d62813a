//! `handback find TEXT`: one search over people and devices, best first.

use super::{Context, Format, output};
use anyhow::Result;
use clap::{Args, ValueEnum};
use handback::domain::FIND_LIMIT;

/// A search is read by a person or a script; there is no CSV of it.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum FindFormat {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Searches people (name, employee number, e-mail address and the user name before its @) and
devices (serial number, asset tag, model), ignoring case, accents and spacing, and tolerating
a small typo: a character wrong, missing or extra (two in 8 characters or more). The best
matches come first, at most 20; the id is what other commands take.

Examples:
  handback find \"bjorn ek\"
  handback find 5ZKQ9X4 --format json")]
pub struct FindArgs {
    /// What to look for
    text: String,
    /// How to print it: a table for people, JSON for scripts
    #[arg(long, value_enum, default_value_t)]
    format: FindFormat,
}

pub fn run(ctx: &Context, args: FindArgs) -> Result<()> {
    let register = ctx.open()?;
    let hits = register.find(&args.text)?;
    let format = match args.format {
        FindFormat::Table => Format::Table,
        FindFormat::Json => Format::Json,
    };
    if matches!(format, Format::Table) && hits.len() == FIND_LIMIT {
        output::note(format!(
            "the best {FIND_LIMIT} matches; a longer text finds fewer"
        ));
    }
    if matches!(format, Format::Table) && hits.is_empty() {
        output::note(format!(
            "nothing matches {:?}",
            handback::validate::shorten(args.text.trim())
        ));
        return Ok(());
    }
    output::listing(&hits, format, ctx.lang(), register.zone())
}

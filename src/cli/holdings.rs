//! `handback holdings PERSON`: what a person holds.

use super::{Context, Format, output};
use anyhow::Result;
use clap::Args;
use handback::model::Holdings;
use handback::render;

#[derive(Debug, Args)]
pub struct HoldingsArgs {
    /// Employee number, e-mail address or full name
    person: String,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(ctx: &Context, args: HoldingsArgs) -> Result<()> {
    show(&ctx.open()?.holdings(&args.person)?, args.format)
}

/// Shared with `person show`: the person, then their items.
pub fn show(holdings: &Holdings, format: Format) -> Result<()> {
    match format {
        Format::Json => output::data(render::json(holdings)?),
        Format::Csv => output::data(render::csv(&holdings.items, b',')?),
        Format::Table => {
            let count = holdings.items.len();
            let summary = match count {
                0 => "Holds nothing.\n".to_string(),
                1 => "Holds 1 item:\n".to_string(),
                n => format!("Holds {n} items:\n"),
            };
            let mut text = super::person::facts(&holdings.person) + &summary;
            if count > 0 {
                text.push_str(&render::table(&holdings.items));
            }
            output::data(text)
        }
    }
}

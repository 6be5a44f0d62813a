//! `handback holdings PERSON`: what a person holds.

use super::{Context, Format, output};
use anyhow::Result;
use clap::Args;
use handback::i18n::{Lang, Text};
use handback::model::Holdings;
use handback::render;
use handback::zone::Zone;

#[derive(Debug, Args)]
pub struct HoldingsArgs {
    /// Employee number, e-mail address or full name
    person: String,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(ctx: &Context, args: HoldingsArgs) -> Result<()> {
    let register = ctx.open()?;
    let holdings = register.holdings(&args.person)?;
    show(&holdings, args.format, ctx.lang(), register.zone())
}

/// Shared with `person show`: the person, then their items.
pub fn show(holdings: &Holdings, format: Format, lang: Lang, zone: Zone) -> Result<()> {
    match format {
        Format::Json => output::data(render::json(holdings)?),
        Format::Csv => output::data(render::csv(&holdings.items, b',', zone)?),
        Format::Table => {
            let count = holdings.items.len();
            let summary = match count {
                0 => lang.text(Text::HoldsNothing).to_string(),
                1 => lang.text(Text::HoldsOne).to_string(),
                n => lang.fill(Text::HoldsMany, &[&n.to_string()]),
            } + "\n";
            let mut text = super::person::facts(holdings, lang) + &summary;
            if count > 0 {
                text.push_str(&render::table(&holdings.items, lang, zone));
            }
            output::terminal(&text)
        }
    }
}

//! `handback history DEVICE|PERSON`: the chain of custody.

use super::{Context, Format, output};
use anyhow::Result;
use clap::Args;
use handback::domain::Subject;
use handback::render;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Serial number or asset tag, or employee number, e-mail address or full name
    reference: String,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(ctx: &Context, args: HistoryArgs) -> Result<()> {
    let history = ctx.open()?.history(&args.reference)?;
    match args.format {
        Format::Table => {
            let title = match &history.subject {
                Subject::Device(d) => format!("History of {} ({})\n", d.serial, d.description()),
                Subject::Person(p) => format!("History of {}\n", p.label()),
            };
            output::data(title + &render::table(&history.events))
        }
        other => output::listing(&history.events, other),
    }
}

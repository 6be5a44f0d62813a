//! `handback history DEVICE|PERSON`: the chain of custody.

use super::{Context, Format, output};
use anyhow::Result;
use clap::Args;
use handback::domain::Subject;
use handback::i18n::Text;
use handback::render::history::{self, Of};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Serial number or asset tag, or employee number, e-mail address or full name
    reference: String,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(ctx: &Context, args: HistoryArgs) -> Result<()> {
    let register = ctx.open()?;
    let history = register.history(&args.reference)?;
    let (lang, zone) = (ctx.lang(), register.zone());
    match args.format {
        Format::Table => {
            let (title, of) = match &history.subject {
                Subject::Device(d) => (
                    lang.fill(Text::CustodyOfDevice, &[&d.serial, &d.description()]),
                    Of::Device,
                ),
                Subject::Person(p) => (lang.fill(Text::DevicesHeldBy, &[&p.label()]), Of::Person),
            };
            let text = title
                + "\n"
                + &history::custody(of, &history.custody, lang, zone)
                + lang.text(Text::EverythingRecorded)
                + "\n"
                + &history::events(of, &history.events, lang, zone);
            output::terminal(&text)
        }
        // The documented interface: the events, the same rows in JSON and CSV.
        other => output::listing(&history.events, other, lang, zone),
    }
}

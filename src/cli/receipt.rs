//! `handback receipt PERSON [--on DATE]`: the receipt (Kvittens) for what was handed to and
//! taken back from a person on one day, with lines for both to sign.

use super::document::{self, DocArgs};
use super::{Context, date};
use anyhow::Result;
use clap::Args;
use handback::docs::InLang;

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// Employee number, e-mail address or full name
    person: String,
    /// The day, YYYY-MM-DD (local calendar day; default: today)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    #[command(flatten)]
    doc: DocArgs,
}

pub fn run(ctx: &Context, args: ReceiptArgs) -> Result<()> {
    let register = ctx.open()?;
    let day = date(args.on.as_deref())?.unwrap_or_else(|| register.today());
    let receipt = register.receipt(&args.person, day)?;
    document::print(&InLang::new(receipt, ctx.lang()), &args.doc)
}

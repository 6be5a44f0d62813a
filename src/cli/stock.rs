//! `handback stock`: devices waiting for reuse.

use super::{Context, Format, output};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct StockArgs {
    /// Only devices of this kind (laptop, phone, Mobiltelefon, …)
    #[arg(long, value_name = "K")]
    kind: Option<String>,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(ctx: &Context, args: StockArgs) -> Result<()> {
    let register = ctx.open()?;
    let devices = register.stock(args.kind.as_deref())?;
    output::listing(&devices, args.format, ctx.lang(), register.zone())
}

//! `handback stock`: devices waiting for reuse.

use super::{Context, Format, output};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct StockArgs {
    #[arg(long, value_name = "K")]
    kind: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn run(ctx: &Context, args: StockArgs) -> Result<()> {
    let devices = ctx.open()?.stock(args.kind.as_deref())?;
    output::listing(&devices, args.format)
}

//! `handback backup FILE`: a consistent, checked copy of the register, made while others
//! keep working.

use super::output::OutcomeArgs;
use super::{Context, output};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where the copy goes (a new file; mode 0600)
    file: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

pub fn run(ctx: &Context, args: BackupArgs) -> Result<()> {
    let outcome = ctx.open()?.backup(&args.file, args.force)?;
    output::done(format!(
        "Backed up the register to {}; the copy passes its check ({})",
        outcome.path.display(),
        outcome.report.summary()
    ));
    args.outcome.print(&outcome)
}

//! `handback copy --from SOURCE --to TARGET`: a whole register moved to another store, from
//! an SQLite file to a PostgreSQL database or back, and verified.

use super::output::OutcomeArgs;
use super::{Context, output};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "\
SOURCE and TARGET are register files or postgres://USER@HOST[:PORT]/DB addresses. The target
must be a new file or an empty database. Everything is copied: people, devices, handouts,
the whole audit trail, settings, accounts and tokens. The copy is then verified: the same
rows in every table, check passing on the target, and the same export from both.")]
pub struct CopyArgs {
    /// The register to copy [default: the one --db or HANDBACK_DB names]
    #[arg(long, value_name = "SOURCE")]
    from: Option<PathBuf>,
    /// Where the copy goes: a new file or an empty database
    #[arg(long, value_name = "TARGET")]
    to: PathBuf,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

pub fn run(ctx: &Context, args: CopyArgs) -> Result<()> {
    let source = match &args.from {
        Some(path) => ctx.open_at(path)?,
        None => ctx.open()?,
    };
    let outcome = source.copy_to(&args.to)?;
    let rows: Vec<String> = outcome
        .tables
        .iter()
        .filter(|table| table.rows > 0)
        .map(|table| format!("{} {}", table.table, table.rows))
        .collect();
    output::done(format!(
        "Copied the register at {} to {}: {}",
        outcome.from.display(),
        outcome.to.display(),
        rows.join(", ")
    ));
    if !outcome.check.is_ok() || !outcome.same_export {
        anyhow::bail!(
            "the copy at {} is not the same register: {}{}",
            outcome.to.display(),
            outcome.check.summary(),
            if outcome.same_export {
                ""
            } else {
                "; its export differs from the source's"
            }
        );
    }
    output::done(format!(
        "The copy passes its check ({}) and exports the same as its source",
        outcome.check.summary()
    ));
    args.outcome.print(&outcome)
}

//! `handback check`: is the register whole, and does its history add up? Exit 0 with a
//! one-line summary, or 1 with every problem found.

use super::{Context, output};
use anyhow::Result;

pub fn run(ctx: &Context) -> Result<()> {
    // Read-only: checking a damaged file must never change it.
    let register = ctx.open_read_only()?;
    let report = register.check()?;
    if !report.is_ok() {
        let count = report.problems.len();
        return Err(handback::Error::CheckFailed(format!(
            "{report}{count} problem{} found in {}",
            if count == 1 { "" } else { "s" },
            register.path().display()
        ))
        .into());
    }
    output::data(format!("ok: {}\n", report.summary()))
}

//! `handback replace OLD --with NEW`.

use super::moves::{NewDeviceArgs, report_handout};
use super::{Context, moment, output};
use anyhow::Result;
use clap::Args;
use handback::domain::ReplaceRequest;
use handback::model::ReplaceReason;

#[derive(Debug, Args)]
pub struct ReplaceArgs {
    /// The device taken back: serial number or asset tag
    old: String,
    /// The device handed out instead: serial number or asset tag
    #[arg(long = "with", value_name = "NEW")]
    new: String,
    /// broken/worn-out → recycling, lost/stolen → marked so, upgrade → stock for reuse
    #[arg(long, value_enum, default_value_t = ReplaceReason::Upgrade)]
    reason: ReplaceReason,
    /// When it happened: YYYY-MM-DD or "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// A note kept with the replacement (what was wrong with the old device)
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    new_device: NewDeviceArgs,
}

pub fn run(ctx: &Context, args: ReplaceArgs) -> Result<()> {
    let request = ReplaceRequest {
        old: args.old,
        new: args.new,
        reason: args.reason,
        on: moment(args.on.as_deref())?,
        note: args.note,
        new_device: args.new_device.into(),
    };
    let outcome = ctx.open()?.replace(&request)?;
    output::done(format!(
        "Took back {} ({}) from {} ({}): {}",
        outcome.old.serial,
        outcome.old.description(),
        outcome.person.label(),
        request.reason.as_str(),
        outcome.old.status.plain()
    ));
    report_handout(&outcome.new, "Handed out");
    Ok(())
}

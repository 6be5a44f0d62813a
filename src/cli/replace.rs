//! `handback replace OLD --with NEW`.

use super::moves::{NewDeviceArgs, report_handout, report_missing};
use super::output::OutcomeArgs;
use super::{Context, moment, output, usage_error};
use anyhow::Result;
use clap::Args;
use handback::domain::ReplaceRequest;
use handback::model::{ReplaceReason, Route};

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
    /// Where the old device goes, overriding what the reason says (not with lost or stolen)
    #[arg(long = "to", value_enum, value_name = "ROUTE")]
    route: Option<Route>,
    /// When it happened: YYYY-MM-DD or "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// A note kept with the replacement (what was wrong with the old device)
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    new_device: NewDeviceArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

pub fn run(ctx: &Context, args: ReplaceArgs) -> Result<()> {
    if args.route.is_some() && !args.reason.old_device_came_back() {
        return Err(usage_error(
            "replace",
            format!(
                "--to routes a device that came back; with --reason {} it did not: leave out --to",
                args.reason.as_str()
            ),
        ));
    }
    let mut register = ctx.open()?;
    let request = ReplaceRequest {
        old: args.old,
        new: args.new,
        reason: args.reason,
        route: args.route,
        on: moment(&register, args.on.as_deref())?,
        note: args.note,
        new_device: args.new_device.into(),
    };
    let outcome = register.replace(&request)?;
    if request.reason.old_device_came_back() {
        output::done(format!(
            "Took back {} ({}) from {} ({}): {}",
            outcome.old.serial,
            outcome.old.description(),
            outcome.person.label(),
            request.reason.as_str(),
            outcome.old.status.plain()
        ));
    } else {
        report_missing(&outcome.old, Some(&outcome.person));
    }
    if outcome.changes_kind() {
        output::note(format!(
            "{} is a {} and replaces a {}: check that this is the right device",
            outcome.new.device.serial, outcome.new.device.kind, outcome.old.kind
        ));
    }
    report_handout(&outcome.new, "Handed out");
    args.outcome.print(&outcome)
}

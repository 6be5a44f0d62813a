//! `handback handout`, `lost`, and the back-office moves `repaired`, `recycle`, `found`.

use super::output::OutcomeArgs;
use super::{Context, date, moment, output};
use anyhow::Result;
use clap::Args;
use handback::domain::{
    HandoutOutcome, HandoutRequest, NewDeviceInfo, StatusMove, StatusMoveOutcome,
};
use handback::model::{Device, Person, Route};

#[derive(Debug, Args)]
pub struct HandoutArgs {
    /// Serial number or asset tag
    device: String,
    /// Employee number, e-mail address or full name
    #[arg(long, value_name = "PERSON")]
    to: String,
    /// When it happened: YYYY-MM-DD or "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// When it is due back, YYYY-MM-DD (default: the person's last working day, if known)
    #[arg(long, value_name = "DATE")]
    due: Option<String>,
    /// A note kept with the handout (what came with it, what was agreed)
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    new_device: NewDeviceArgs,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

/// Describes a device that is registered in the same step.
#[derive(Debug, Args)]
pub struct NewDeviceArgs {
    /// Kind of a device not yet registered (laptop, phone, Mobiltelefon, …)
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Make of a device not yet registered, e.g. Dell, Apple
    #[arg(long, value_name = "M")]
    make: Option<String>,
    /// Model of a device not yet registered, e.g. "Latitude 7440"
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// Asset tag of a device not yet registered, e.g. GK-2231
    #[arg(long, value_name = "T")]
    asset_tag: Option<String>,
}

impl From<NewDeviceArgs> for NewDeviceInfo {
    fn from(args: NewDeviceArgs) -> Self {
        NewDeviceInfo {
            kind: args.kind,
            make: args.make,
            model: args.model,
            asset_tag: args.asset_tag,
        }
    }
}

#[derive(Debug, Args)]
pub struct LostArgs {
    /// Serial number or asset tag
    device: String,
    /// Stolen rather than lost
    #[arg(long)]
    stolen: bool,
    #[command(flatten)]
    when: When,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
pub struct BackOfficeArgs {
    /// Serial number or asset tag
    device: String,
    #[command(flatten)]
    when: When,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
pub struct RecycleArgs {
    /// Serial number or asset tag
    device: String,
    /// Recycle a device that is in stock and could be reused (recycling is final)
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    when: When,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "\
A device routed to recycling can still go to repair or back to stock until it is recorded
as recycled; a device in repair can be sent to recycling when it cannot be fixed.

Examples:
  handback route 5CG1234XYZ --to repair    # it may be fixable after all
  handback route 5CG1234XYZ --to reuse     # it works: back to stock")]
pub struct RouteArgs {
    /// Serial number or asset tag
    device: String,
    /// reuse → stock, repair, or recycle
    #[arg(long = "to", value_enum, value_name = "ROUTE")]
    route: Route,
    #[command(flatten)]
    when: When,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
struct When {
    /// When it happened: YYYY-MM-DD or "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// A note kept with the event (where it was lost, what was repaired)
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub enum BackOffice {
    Repaired,
    Found,
}

pub fn handout(ctx: &Context, args: HandoutArgs) -> Result<()> {
    let mut register = ctx.open()?;
    let request = HandoutRequest {
        device: args.device,
        to: args.to,
        on: moment(&register, args.on.as_deref())?,
        due: date(args.due.as_deref())?,
        note: args.note,
        new_device: args.new_device.into(),
    };
    let outcome = register.handout(&request)?;
    report_handout(&outcome, "Handed out");
    args.outcome.print(&outcome)
}

/// Says what was handed out, and names the devices waiting in stock when a new one was
/// registered instead of reusing one of them.
pub fn report_handout(outcome: &HandoutOutcome, verb: &str) {
    let device = &outcome.device;
    if let Some(last_day) = outcome.after_last_working_day {
        output::note(format!(
            "{}'s last working day was {last_day}: check that this is the right person",
            outcome.person.label()
        ));
    }
    let registered = if outcome.registered {
        " (newly registered)"
    } else {
        ""
    };
    output::done(format!(
        "{verb} {} ({}){registered} to {}",
        device.serial,
        device.description(),
        outcome.person.label()
    ));
    if !outcome.reuse_candidates.is_empty() {
        let waiting: Vec<String> = outcome
            .reuse_candidates
            .iter()
            .map(|d| format!("{} ({})", d.serial, d.description()))
            .collect();
        output::note(format!(
            "reuse first: {} {} waiting in stock: {}. The handout went ahead.",
            if waiting.len() == 1 { "a" } else { "these" },
            if waiting.len() == 1 {
                format!("{} is", device.kind)
            } else {
                format!("{}s are", device.kind)
            },
            waiting.join(", ")
        ));
    }
}

pub fn lost(ctx: &Context, args: LostArgs) -> Result<()> {
    let wanted = StatusMove::Lost {
        stolen: args.stolen,
    };
    let outcome = move_status(ctx, &args.device, wanted, &args.when)?;
    report_missing(&outcome.device, outcome.former_holder.as_ref());
    args.outcome.print(&outcome)
}

/// What `lost`, and `replace --reason lost|stolen`, say: a device gone with its data is a
/// security follow-up.
pub fn report_missing(device: &Device, former_holder: Option<&Person>) {
    let held_by = former_holder
        .map(|p| format!(", last held by {}", p.label()))
        .unwrap_or_default();
    output::done(format!(
        "Marked {} {}{held_by}. It may hold data: follow it up (report it to the information-security officer).",
        device.serial,
        device.status.plain()
    ));
}

pub fn recycle(ctx: &Context, args: RecycleArgs) -> Result<()> {
    let wanted = StatusMove::Recycle {
        confirmed: args.yes,
    };
    let outcome = move_status(ctx, &args.device, wanted, &args.when)?;
    report_status(&outcome.device);
    args.outcome.print(&outcome)
}

pub fn route(ctx: &Context, args: RouteArgs) -> Result<()> {
    let outcome = move_status(ctx, &args.device, StatusMove::Route(args.route), &args.when)?;
    report_status(&outcome.device);
    args.outcome.print(&outcome)
}

/// Opens the register and makes one status move, dated by `--on` in the register's zone.
fn move_status(
    ctx: &Context,
    device: &str,
    wanted: StatusMove,
    when: &When,
) -> Result<StatusMoveOutcome> {
    let mut register = ctx.open()?;
    let on = moment(&register, when.on.as_deref())?;
    Ok(register.move_status(device, wanted, on, when.note.as_deref())?)
}

fn report_status(device: &Device) {
    output::done(format!(
        "{} is now {}",
        device.serial,
        device.status.plain()
    ));
}

pub fn back_office(ctx: &Context, args: BackOfficeArgs, which: BackOffice) -> Result<()> {
    let wanted = match which {
        BackOffice::Repaired => StatusMove::Repaired,
        BackOffice::Found => StatusMove::Found,
    };
    let outcome = move_status(ctx, &args.device, wanted, &args.when)?;
    report_status(&outcome.device);
    args.outcome.print(&outcome)
}

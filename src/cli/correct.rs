//! `handback correct DEVICE --handed-out-on DATE [--to PERSON] --reason TEXT`: an open
//! handout recorded with the wrong moment or holder, set right, with an audit event.

use super::output::OutcomeArgs;
use super::{Context, moment, output};
use anyhow::Result;
use clap::Args;
use handback::domain::{CorrectionRequest, HandoutRecorded};
use handback::zone::Zone;

#[derive(Debug, Args)]
#[command(after_help = "\
The handout is corrected as it should have been recorded: the holder's list, the device's
history and the receipts show the corrected moment and holder, and the audit trail keeps a
`corrected` event of what was and what is, who corrected it and why. A moment in the future,
or before the device last came back, is refused. To hand a device on to someone else, use
transfer; correct is for a record that was wrong from the start.

Examples:
  handback correct 5ZKQ9X3 --handed-out-on 2024-03-01 --reason \"fel datum i listan\"
  handback correct 5ZKQ9X3 --to 4502 --reason \"registrerad på fel person\"")]
pub struct CorrectArgs {
    /// Serial number or asset tag of a device someone holds
    device: String,
    /// When the handout really began: YYYY-MM-DD or "YYYY-MM-DD HH:MM"
    #[arg(long, value_name = "DATE", required_unless_present = "to")]
    handed_out_on: Option<String>,
    /// Who really holds it: employee number, e-mail address or full name
    #[arg(long, value_name = "PERSON")]
    to: Option<String>,
    /// Why the record is corrected (kept in the audit trail)
    #[arg(long, value_name = "TEXT")]
    reason: String,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

pub fn run(ctx: &Context, args: CorrectArgs) -> Result<()> {
    let mut register = ctx.open()?;
    let request = CorrectionRequest {
        device: args.device,
        handed_out_at: moment(&register, args.handed_out_on.as_deref())?,
        to: args.to,
        reason: args.reason,
    };
    let outcome = register.correct(&request)?;
    let zone = register.zone();
    let serial = &outcome.device.serial;
    if outcome.corrected {
        output::done(format!(
            "Corrected the handout of {serial} ({}): was {}, is {}",
            outcome.device.description(),
            recorded(&outcome.was, zone),
            recorded(&outcome.is, zone),
        ));
    } else {
        output::note(format!(
            "nothing to correct: {serial} is recorded as {} already",
            recorded(&outcome.is, zone)
        ));
    }
    args.outcome.print(&outcome)
}

/// "handed to Maria Olsson (4471) on 2024-03-05 10:00".
fn recorded(record: &HandoutRecorded, zone: Zone) -> String {
    format!(
        "handed to {} on {}",
        record.holder.label(),
        zone.local_time(record.handed_out_at)
            .format("%Y-%m-%d %H:%M")
    )
}

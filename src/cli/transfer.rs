//! `handback transfer DEVICE... --to PERSON` and `handback transfer --all-from PERSON --to
//! PERSON`: a leaver's equipment handed straight to a successor, then the successor's receipt.

use super::document::{self, DocArgs};
use super::{Context, moment, output};
use anyhow::Result;
use clap::Args;
use handback::docs::InLang;
use handback::domain::{TransferRequest, Which};

#[derive(Debug, Args)]
#[command(after_help = "\
All or nothing: one device that cannot be transferred stops the whole transfer. The
successor's receipt follows as a table; --out FILE writes it as a document to print and sign
(HTML unless --format says otherwise).

Examples:
  handback transfer 5ZKQ9X3 DX3KQ29L0F --from 4471 --to 4502
  handback transfer --all-from 4471 --to 4502 --lang sv --out kvittens.html")]
pub struct TransferArgs {
    /// Serial numbers or asset tags
    #[arg(required_unless_present = "all_from", conflicts_with = "all_from")]
    devices: Vec<String>,
    /// Everything this person holds (employee number, e-mail address or full name)
    #[arg(long, value_name = "PERSON")]
    all_from: Option<String>,
    /// Check that every device named is held by this person
    #[arg(long, value_name = "PERSON", conflicts_with = "all_from")]
    from: Option<String>,
    /// The person who takes them over
    #[arg(long, value_name = "PERSON")]
    to: String,
    /// When it happened: YYYY-MM-DD or "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// A note kept with the transfer
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    doc: DocArgs,
}

pub fn run(ctx: &Context, args: TransferArgs) -> Result<()> {
    let mut register = ctx.open()?;
    let which = match args.all_from {
        Some(person) => Which::AllFrom(person),
        None => Which::Devices(args.devices),
    };
    let request = TransferRequest {
        which,
        from: args.from,
        to: args.to,
        on: moment(&register, args.on.as_deref())?,
        note: args.note,
    };
    let outcome = register.transfer(&request)?;
    for moved in &outcome.transferred {
        output::done(format!(
            "Transferred {} ({}) from {} to {}",
            moved.device.serial,
            moved.device.description(),
            moved.from.label(),
            outcome.to.label()
        ));
    }
    let receipt = InLang::new(register.transfer_receipt(&outcome)?, ctx.lang());
    document::print_after_change(&receipt, &args.doc)
}

//! `handback return DEVICE... | --all-from PERSON`; the latter prints a receipt.

use super::document::{self, DocArgs};
use super::{Context, moment, output};
use anyhow::Result;
use clap::Args;
use handback::docs::InLang;
use handback::domain::{ReturnRequest, Which};
use handback::model::{Condition, Route};

#[derive(Debug, Args)]
pub struct ReturnArgs {
    /// Serial numbers or asset tags
    #[arg(required_unless_present = "all_from", conflicts_with = "all_from")]
    devices: Vec<String>,
    /// Everything this person holds (employee number, e-mail address or full name)
    #[arg(long, value_name = "PERSON")]
    all_from: Option<String>,
    /// ok → stock for reuse, damaged → repair, broken → recycling
    #[arg(long, value_enum, default_value_t = Condition::Ok)]
    condition: Condition,
    /// Where it goes, overriding what the condition says
    #[arg(long = "to", value_enum, value_name = "ROUTE")]
    route: Option<Route>,
    /// When it happened: YYYY-MM-DD or "YYYY-MM-DD HH:MM" (default: now)
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// A note kept with the return (what was missing, what the damage was)
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    /// The receipt for what was taken back: printed with --all-from, or when any of
    /// --lang, --format or --out asks for it
    #[command(flatten)]
    receipt: DocArgs,
}

pub fn run(ctx: &Context, args: ReturnArgs) -> Result<()> {
    let all_from = args.all_from.is_some();
    let mut register = ctx.open()?;
    let which = match args.all_from {
        Some(person) => Which::AllFrom(person),
        None => Which::Devices(args.devices),
    };
    let request = ReturnRequest {
        which,
        condition: args.condition,
        route: args.route,
        on: moment(&register, args.on.as_deref())?,
        note: args.note,
    };
    let outcome = register.return_devices(&request)?;
    for returned in &outcome.returned {
        output::done(format!(
            "Took back {} ({}) from {}: {}",
            returned.device.serial,
            returned.device.description(),
            returned.from.label(),
            returned.device.status.plain()
        ));
    }
    // Everything back from one person: the receipt both sign.
    let asked = ctx.lang_given() || args.receipt.format.is_some() || args.receipt.out.is_some();
    if all_from || asked {
        match register.return_receipt(&outcome)? {
            Some(receipt) => {
                let receipt = InLang::new(receipt, ctx.lang());
                document::print_after_change(&receipt, &args.receipt)?
            }
            None => output::note(
                "the devices came from several people, so no single receipt was printed; \
                 `handback receipt PERSON` prints each person's",
            ),
        }
    }
    Ok(())
}

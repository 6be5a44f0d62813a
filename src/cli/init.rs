//! `handback init [--time-zone ZONE]`: create a register and print where it is.

use super::{Context, output};
use anyhow::Result;
use clap::Args;
use handback::domain::Register;
use handback::store;
use handback::zone::Zone;

#[derive(Debug, Args)]
#[command(after_help = "\
Every local calendar day handback shows or reads (--on dates, a list's dates, due dates,
the day a document was produced) is in the register's time zone, whatever machine runs
handback. HANDBACK_TZ overrides it for one run.")]
pub struct InitArgs {
    /// The time zone the register's people live in, an IANA name [default: Europe/Stockholm]
    #[arg(long, value_name = "ZONE")]
    time_zone: Option<String>,
}

pub fn run(ctx: &Context, args: InitArgs) -> Result<()> {
    let zone = args.time_zone.as_deref().map(Zone::parse).transpose()?;
    let path = ctx.register_path()?;
    // A file is created only where none is; a database server's register only in an empty
    // database, which creating it finds out.
    let existing = if store::server_address(&path).is_some() {
        match Register::create(&path, &ctx.actor(), zone.unwrap_or_default()) {
            Ok(register) => return created(&register),
            Err(handback::Error::Exists(_)) => Register::open(&path, &ctx.actor(), None)?,
            Err(other) => return Err(other.into()),
        }
    } else if path.exists() {
        // Opening proves it is a register (and brings an old one up to date).
        Register::open(&path, &ctx.actor(), None)?
    } else {
        return created(&Register::create(
            &path,
            &ctx.actor(),
            zone.unwrap_or_default(),
        )?);
    };
    let shown = existing.path().display();
    if let Some(zone) = zone.filter(|zone| *zone != existing.zone()) {
        return Err(handback::Error::refused(format!(
            "a register exists at {shown} already, in the time zone {}; a register's zone is set \
             when it is created, not {zone} now (HANDBACK_TZ={zone} works in it for one run)",
            existing.zone()
        ))
        .into());
    }
    output::note(format!(
        "a register exists at {shown} already (schema version {}, time zone {}); nothing was \
         changed",
        existing.schema_version()?,
        existing.zone()
    ));
    output::data(format!("{shown}\n"))
}

fn created(register: &Register) -> Result<()> {
    let shown = register.path().display();
    output::done(format!(
        "Created a new register at {shown} (time zone {})",
        register.zone()
    ));
    output::data(format!("{shown}\n"))
}

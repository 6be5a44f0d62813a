//! `handback init [--time-zone ZONE]`: create a register and print where it is.

use super::{Context, output};
use anyhow::Result;
use clap::Args;
use handback::domain::Register;
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
    if path.exists() {
        // Opening proves it is a register (and brings an old one up to date).
        let register = Register::open(&path, &ctx.actor(), None)?;
        if let Some(zone) = zone.filter(|zone| *zone != register.zone()) {
            return Err(handback::Error::refused(format!(
                "a register exists at {} already, in the time zone {}; a register's zone is set \
                 when it is created, not {zone} now (HANDBACK_TZ={zone} works in it for one run)",
                path.display(),
                register.zone()
            ))
            .into());
        }
        output::note(format!(
            "a register exists at {} already (schema version {}, time zone {}); nothing was \
             changed",
            path.display(),
            register.schema_version()?,
            register.zone()
        ));
    } else {
        let zone = zone.unwrap_or_default();
        Register::create(&path, &ctx.actor(), zone)?;
        output::done(format!(
            "Created a new register at {} (time zone {zone})",
            path.display()
        ));
    }
    output::data(format!("{}\n", path.display()))
}

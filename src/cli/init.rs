//! `handback init`: create a register and print where it is.

use super::{Context, output};
use anyhow::Result;
use handback::domain::Register;

pub fn run(ctx: &Context) -> Result<()> {
    let path = ctx.register_path()?;
    if path.exists() {
        // Opening proves it is a register (and brings an old one up to date).
        let register = ctx.open()?;
        output::note(format!(
            "a register exists at {} already (schema version {}); nothing was changed",
            path.display(),
            register.schema_version()?
        ));
    } else {
        Register::create(&path, &ctx.actor())?;
        output::done(format!("Created a new register at {}", path.display()));
    }
    output::data(format!("{}\n", path.display()))
}

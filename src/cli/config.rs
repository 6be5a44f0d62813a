//! `handback config set|get|list|unset`: the register's own settings, the ones its documents
//! print (organisation, where and when to return equipment) and its time zone. Every change
//! is written to the settings' trail; a secret is never printed.

use super::{Context, Format, output};
use anyhow::Result;
use clap::{Args, Subcommand};
use handback::domain::config::{SettingChanged, SettingKey};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Set a setting (checked first; the change is recorded with who made it)
    #[command(after_help = "\
Keys:
  org.name              the organisation named on every document
  register.name         what the documents call this register
  return.place          where equipment is handed back
  return.hours          when equipment can be handed back
  return.contact        whom to ask about handing back
  time_zone             the IANA time zone every local day is in
  session_idle_minutes  minutes a web session lasts without a request

Examples:
  handback config set org.name \"Gatukontoret, Malmö stad\"
  handback config set return.place \"IT-service, plan 2, Stortorget 1\"
  handback config set return.hours \"vardagar 8–16\"
  handback config set return.contact \"servicedesk 040-34 10 00\"")]
    Set(SetArgs),
    /// Print one setting's value (a secret masked); exits 1 when it is not set
    Get(KeyArg),
    /// List every setting, set or not, with what it is for (secrets masked)
    List(ListArgs),
    /// Remove a setting (the documents then leave it out)
    Unset(KeyArg),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The setting: org.name, register.name, return.place, return.hours, return.contact,
    /// time_zone, session_idle_minutes
    #[arg(value_parser = parse_key)]
    key: SettingKey,
    /// Its new value
    value: String,
}

#[derive(Debug, Args)]
pub struct KeyArg {
    /// The setting (`handback config list` shows them all)
    #[arg(value_parser = parse_key)]
    key: SettingKey,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// How to print it: a table for people, JSON or CSV for scripts
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn parse_key(raw: &str) -> Result<SettingKey, String> {
    SettingKey::parse(raw).ok_or_else(|| {
        let known: Vec<&str> = SettingKey::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "{raw:?} is not a setting handback knows: use one of {}",
            known.join(", ")
        )
    })
}

pub fn run(ctx: &Context, command: ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::Set(args) => {
            let changed = ctx.open()?.set_setting(args.key, &args.value)?;
            say(&changed);
            Ok(())
        }
        ConfigCommand::Get(args) => match ctx.open_read_only()?.setting(args.key)? {
            Some(value) => output::data(format!("{value}\n")),
            None => Err(handback::Error::refused(format!(
                "{} is not set (`handback config set {} VALUE` sets it)",
                args.key.as_str(),
                args.key.as_str()
            ))
            .into()),
        },
        ConfigCommand::List(args) => {
            let register = ctx.open_read_only()?;
            output::listing(
                &register.settings()?,
                args.format,
                ctx.lang(),
                register.zone(),
            )
        }
        ConfigCommand::Unset(args) => {
            let changed = ctx.open()?.unset_setting(args.key)?;
            say(&changed);
            Ok(())
        }
    }
}

fn say(changed: &SettingChanged) {
    match (&changed.value, changed.changed) {
        (Some(value), true) => output::done(format!("Set {} to {value}", changed.key)),
        (Some(value), false) => output::note(format!(
            "{} is {value} already: nothing was changed",
            changed.key
        )),
        (None, true) => output::done(format!("Removed {}", changed.key)),
        (None, false) => output::note(format!("{} was not set: nothing was changed", changed.key)),
    }
}

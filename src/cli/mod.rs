//! The command line: parse arguments into typed options, call one domain operation, render
//! the result. The only layer that writes to stdout (data) and stderr (messages).

mod backup;
mod check;
mod checklist;
mod config;
mod copy;
mod correct;
mod device;
mod document;
mod export;
mod find;
mod history;
mod holdings;
pub(crate) mod import;
mod init;
mod leave;
mod moves;
mod notify;
mod output;
mod overdue;
mod person;
mod receipt;
mod refusals;
mod replace;
mod report;
mod ret;
mod stock;
mod sync;
mod transfer;
mod user;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use handback::domain::Register;
use handback::i18n::Lang;
use handback::validate::parse_date;
use handback::zone::Zone;
use std::path::PathBuf;

pub use output::report_error;

const AFTER_HELP: &str = "\
Exit codes:
  0   success
  1   refused or failed (a rule of the register is in the way, or a person, device or
      department is unknown)
  2   usage error (unknown command or flag, a window that ends before it starts)
  65  invalid input data (an impossible date, an empty serial, an unreadable file)

The register file: --db PATH, else $HANDBACK_DB, else a file in your data directory.
The technician recorded on each change: --as NAME, else $HANDBACK_USER, else your login name.
The language of tables and documents: --lang sv|en, else $HANDBACK_LANG, else the locale.";

/// handback: who holds which work device, and getting it back.
#[derive(Debug, Parser)]
#[command(name = "handback", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// The register: a file, or a postgres://USER@HOST[:PORT]/DB address [env: HANDBACK_DB;
    /// default: a file in your data directory]
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    /// Who is doing this (recorded in the audit trail) [env: HANDBACK_USER; default: login name]
    #[arg(long = "as", global = true, value_name = "NAME")]
    actor: Option<String>,

    /// Language of tables and documents: sv or en [env: HANDBACK_LANG; default: the
    /// locale, else en]
    #[arg(long, global = true, value_name = "sv|en", value_parser = document::parse_lang)]
    lang: Option<Lang>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a register and print where it is
    Init(init::InitArgs),
    /// Register, change and list people
    #[command(subcommand)]
    Person(person::PersonCommand),
    /// Register, change and list devices
    #[command(subcommand)]
    Device(device::DeviceCommand),
    /// Hand a device to a person (registering the device on the way if it is new)
    Handout(moves::HandoutArgs),
    /// Take devices back and route them: reuse first, then repair, then recycling
    Return(ret::ReturnArgs),
    /// Take a device back and hand its replacement to the same person, in one step
    Replace(replace::ReplaceArgs),
    /// Mark a device lost (or stolen): it leaves its holder's list and stays a follow-up
    Lost(moves::LostArgs),
    /// A device in repair is fixed: back to stock
    Repaired(moves::BackOfficeArgs),
    /// A device is recycled (final; one in stock, which could be reused, needs --yes)
    Recycle(moves::RecycleArgs),
    /// Send a device nobody holds elsewhere: to stock, repair or recycling
    Route(moves::RouteArgs),
    /// A lost or stolen device has turned up: back to stock
    Found(moves::BackOfficeArgs),
    /// Search people and devices by name, number, e-mail, serial, asset tag or model
    Find(find::FindArgs),
    /// What a person holds
    Holdings(holdings::HoldingsArgs),
    /// The chain of custody of a device, or a person's history
    History(history::HistoryArgs),
    /// Devices waiting in stock for reuse
    Stock(stock::StockArgs),
    /// Import the lists you keep: handouts, HR exports, stock lists, Snipe-IT exports
    Import(import::ImportArgs),
    /// Learn arrivals and leavers from HR's list or the directory (run it daily)
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Write people, devices, open handouts or the audit trail as CSV or JSON
    Export(export::ExportArgs),
    /// Record a person's last working day and print their departure checklist
    Leave(leave::LeaveArgs),
    /// The departure checklist of a person, or of everyone leaving in a window
    Checklist(checklist::ChecklistArgs),
    /// Hand a leaver's devices straight to a successor, and print the successor's receipt
    Transfer(transfer::TransferArgs),
    /// Correct the date or holder of a handout that was recorded wrong, with an audit event
    Correct(correct::CorrectArgs),
    /// The receipt for what was handed to and taken back from a person on one day
    Receipt(receipt::ReceiptArgs),
    /// Everyone past their last working day who still holds equipment (a scheduled check)
    Overdue(overdue::OverdueArgs),
    /// Send the day's e-mail notices: reminders before last working days, what is still
    /// held after them, the weekly overdue list (run it daily)
    Notify(notify::NotifyArgs),
    /// The internal-control follow-up report for a period
    Report(report::ReportArgs),
    /// Check the register: the file, its references, and that its history adds up
    Check,
    /// Copy the register to FILE while others keep working; the copy is checked
    Backup(backup::BackupArgs),
    /// Copy the whole register to another store (SQLite ⇄ PostgreSQL) and verify the copy
    Copy(copy::CopyArgs),
    /// The register's settings: the organisation and return details its documents print
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Accounts that may sign in to `handback serve`
    #[command(subcommand)]
    User(user::UserCommand),
    /// API tokens for scripts
    #[command(subcommand)]
    Token(user::TokenCommand),
    /// Serve the register to browsers and scripts (web pages and the JSON API)
    Serve(crate::web::ServeArgs),
}

/// How listings and `show` commands print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// What every command needs: where the register is and who is working.
pub struct Context {
    db: Option<PathBuf>,
    actor: Option<String>,
    lang: Option<Lang>,
}

impl Context {
    fn register_path(&self) -> Result<PathBuf> {
        if let Some(path) = &self.db {
            return Ok(path.clone());
        }
        if let Some(path) = std::env::var_os("HANDBACK_DB").filter(|p| !p.is_empty()) {
            return Ok(PathBuf::from(path));
        }
        let dirs =
            directories::ProjectDirs::from("se", "handback", "handback").ok_or_else(|| {
                anyhow::anyhow!("cannot find a data directory for the register: give --db PATH")
            })?;
        Ok(dirs.data_dir().join("register.sqlite"))
    }

    /// `--as`, else `HANDBACK_USER`, when given.
    fn named_actor(&self) -> Option<String> {
        self.actor
            .clone()
            .or_else(|| std::env::var("HANDBACK_USER").ok())
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
    }

    fn actor(&self) -> String {
        self.named_actor()
            .unwrap_or_else(|| whoami::username().unwrap_or_else(|_| "unknown".to_string()))
    }

    /// The system's full name for the OS login the actor falls back to, so a document says
    /// who that is rather than only "root".
    fn actor_name(&self) -> Option<String> {
        if self.named_actor().is_some() {
            return None;
        }
        whoami::realname()
            .ok()
            .filter(|name| Some(name) != whoami::username().ok().as_ref())
    }

    /// The language of tables and documents: `--lang`, else `HANDBACK_LANG`, else the
    /// locale, else English.
    pub fn lang(&self) -> Lang {
        self.lang
            .unwrap_or_else(|| Lang::from_env(|k| std::env::var(k).ok()))
    }

    /// Whether `--lang` was given on the command line (not only in the environment).
    pub fn lang_given(&self) -> bool {
        self.lang.is_some()
    }

    /// Opens the register, in `HANDBACK_TZ` when it is set; a missing one is an error,
    /// never created here.
    pub fn open(&self) -> Result<Register> {
        Ok(
            Register::open(&self.register_path()?, &self.actor(), zone_override()?)?
                .with_actor_name(self.actor_name()),
        )
    }

    /// Opens the register at `location` (`copy --from`), as [`Context::open`] opens its own.
    pub fn open_at(&self, location: &std::path::Path) -> Result<Register> {
        Ok(Register::open(location, &self.actor(), zone_override()?)?)
    }

    /// Opens the register to look at it only (see [`Register::open_read_only`]).
    pub fn open_read_only(&self) -> Result<Register> {
        Ok(
            Register::open_read_only(&self.register_path()?, &self.actor(), zone_override()?)?
                .with_actor_name(self.actor_name()),
        )
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let ctx = Context {
        db: cli.db,
        actor: cli.actor,
        lang: cli.lang,
    };
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Person(command) => person::run(&ctx, command),
        Command::Device(command) => device::run(&ctx, command),
        Command::Handout(args) => moves::handout(&ctx, args),
        Command::Return(args) => ret::run(&ctx, args),
        Command::Replace(args) => replace::run(&ctx, args),
        Command::Lost(args) => moves::lost(&ctx, args),
        Command::Repaired(args) => moves::back_office(&ctx, args, moves::BackOffice::Repaired),
        Command::Recycle(args) => moves::recycle(&ctx, args),
        Command::Route(args) => moves::route(&ctx, args),
        Command::Found(args) => moves::back_office(&ctx, args, moves::BackOffice::Found),
        Command::Find(args) => find::run(&ctx, args),
        Command::Holdings(args) => holdings::run(&ctx, args),
        Command::History(args) => history::run(&ctx, args),
        Command::Stock(args) => stock::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Sync(command) => sync::run(&ctx, command),
        Command::Export(args) => export::run(&ctx, args),
        Command::Leave(args) => leave::run(&ctx, args),
        Command::Checklist(args) => checklist::run(&ctx, args),
        Command::Transfer(args) => transfer::run(&ctx, args),
        Command::Correct(args) => correct::run(&ctx, args),
        Command::Receipt(args) => receipt::run(&ctx, args),
        Command::Overdue(args) => overdue::run(&ctx, args),
        Command::Notify(args) => notify::run(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Check => check::run(&ctx),
        Command::Backup(args) => backup::run(&ctx, args),
        Command::Copy(args) => copy::run(&ctx, args),
        Command::Config(command) => config::run(&ctx, command),
        Command::User(command) => user::run_user(&ctx, command),
        Command::Token(command) => user::run_token(&ctx, command),
        Command::Serve(args) => crate::web::run(&ctx, args),
    }
}

/// A usage error found once the arguments are parsed (a window that ends before it
/// starts): worded by clap, with the subcommand's usage line, and exit 2 like clap's own.
fn usage_error(subcommand: &str, message: impl std::fmt::Display) -> anyhow::Error {
    let mut cli = Cli::command();
    // Building gives each subcommand its full name ("handback report") for the usage line.
    cli.build();
    let kind = clap::error::ErrorKind::ArgumentConflict;
    match cli.find_subcommand_mut(subcommand) {
        Some(command) => command.error(kind, message),
        None => cli.error(kind, message),
    }
    .into()
}

/// `HANDBACK_TZ`: the time zone to work in for this run, whatever the register's setting.
fn zone_override() -> handback::Result<Option<Zone>> {
    std::env::var("HANDBACK_TZ")
        .ok()
        .filter(|zone| !zone.trim().is_empty())
        .map(|zone| Zone::parse(&zone))
        .transpose()
}

/// `--on` values: a date or a date and time in the register's time zone, not in the future.
fn moment(
    register: &Register,
    raw: Option<&str>,
) -> handback::Result<Option<chrono::DateTime<chrono::Utc>>> {
    raw.map(|r| register.moment(r)).transpose()
}

/// Date flags (`--due`, `--end-date`, `--purchased`).
fn date(raw: Option<&str>) -> handback::Result<Option<chrono::NaiveDate>> {
    raw.map(parse_date).transpose()
}

/// Date flags of `edit` commands, where an empty value clears the date.
fn date_edit(raw: Option<&str>) -> handback::Result<Option<Option<chrono::NaiveDate>>> {
    raw.map(|r| {
        if r.trim().is_empty() {
            Ok(None)
        } else {
            parse_date(r).map(Some)
        }
    })
    .transpose()
}

/// Text flags of `edit` commands, where an empty value clears the field.
fn text_edit(raw: Option<String>) -> Option<Option<String>> {
    raw.map(|r| Some(r).filter(|r| !r.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument of `command` and its subcommands that `--help` would show without a
    /// description, as "handback person add --name".
    fn undescribed(command: &clap::Command, path: &str, found: &mut Vec<String>) {
        let path = format!("{path} {}", command.get_name()).trim().to_string();
        for arg in command.get_arguments() {
            if arg.is_hide_set() {
                continue;
            }
            let described = arg
                .get_help()
                .or(arg.get_long_help())
                .is_some_and(|help| !help.to_string().trim().is_empty());
            if !described {
                let name = match arg.get_long() {
                    Some(long) => format!("--{long}"),
                    None => arg.get_id().to_string().to_uppercase(),
                };
                found.push(format!("{path} {name}"));
            }
        }
        for sub in command.get_subcommands() {
            undescribed(sub, &path, found);
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// `person add --help` showed no description for --name, --email and --department.
    #[test]
    fn every_flag_and_argument_of_every_command_has_help() {
        let mut command = Cli::command();
        command.build();
        let mut found = Vec::new();
        undescribed(&command, "", &mut found);
        assert!(
            found.is_empty(),
            "arguments without help:\n{}",
            found.join("\n")
        );
    }
}

//! Where output goes: data to stdout, messages to stderr (styled only on a terminal and
//! never when NO_COLOR is set), and the error-to-exit-code mapping.

use super::Format;
use anyhow::Result;
use console::style;
use handback::i18n::Lang;
use handback::render::{self, Record};
use handback::zone::Zone;
use serde::Serialize;
use std::io::Write;

/// How a command that changes something reports what it did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomeFormat {
    /// A line on stderr for each change
    #[default]
    Text,
    /// The outcome as JSON on stdout, for scripts (the lines stay on stderr)
    Json,
}

#[derive(Debug, clap::Args)]
pub struct OutcomeArgs {
    /// text: what was done, on stderr; json: the outcome on stdout as well, for scripts
    #[arg(long, value_enum, default_value_t)]
    pub format: OutcomeFormat,
}

impl OutcomeArgs {
    /// Prints `outcome` as JSON on stdout when asked to.
    pub fn print<T: Serialize>(&self, outcome: &T) -> Result<()> {
        match self.format {
            OutcomeFormat::Text => Ok(()),
            OutcomeFormat::Json => data(render::json(outcome)?),
        }
    }
}

/// Writes data to stdout. A closed pipe (`handback … | head`) surfaces as an io error that
/// [`report_error`] turns into a quiet exit 0.
pub fn data(bytes: impl AsRef<[u8]>) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes.as_ref())?;
    stdout.flush()?;
    Ok(())
}

/// Text for the terminal (tables and what goes around them), without invisible characters
/// that would shift its columns or hide text.
pub fn terminal(text: &str) -> Result<()> {
    data(render::terminal(text).as_bytes())
}

/// A list of records in the chosen format; a table in `lang`, local days in `zone`.
pub fn listing<R: Record + Serialize>(
    rows: &[R],
    format: Format,
    lang: Lang,
    zone: Zone,
) -> Result<()> {
    match format {
        // An empty bordered table reads like a fault; say it in words.
        Format::Table if rows.is_empty() => {
            note("nothing to list");
            Ok(())
        }
        Format::Table => data(render::table(rows, lang, zone)),
        Format::Json => data(render::json(rows)?),
        Format::Csv => data(render::csv(rows, b',', zone)?),
    }
}

/// A message for the person at the keyboard: what was done.
pub fn done(message: impl std::fmt::Display) {
    let message = message.to_string();
    let _ = writeln!(std::io::stderr(), "{}", render::terminal(&message));
}

/// A hint that does not stop the command (reuse first, nothing changed, …).
pub fn note(message: impl std::fmt::Display) {
    let message = message.to_string();
    let _ = writeln!(
        std::io::stderr(),
        "{} {}",
        style("note:").for_stderr().yellow().bold(),
        render::terminal(&message)
    );
}

/// Prints the error and gives the exit code it maps to.
pub fn report_error(error: &anyhow::Error) -> u8 {
    if error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    {
        return 0;
    }
    if let Some(usage) = error.downcast_ref::<clap::Error>() {
        let _ = usage.print();
        return u8::try_from(usage.exit_code()).unwrap_or(2);
    }
    let code = error
        .downcast_ref::<handback::Error>()
        .map_or(handback::error::EXIT_REFUSED, handback::Error::exit_code);
    // The alternate form adds each cause: "PATH: Permission denied (os error 13)".
    let message = match error.downcast_ref::<handback::Error>() {
        Some(handback::Error::Move(refusal)) => super::refusals::move_refusal(refusal),
        Some(handback::Error::Unknown(unknown)) => super::refusals::unknown(unknown),
        Some(handback::Error::Forget(refusal)) => super::refusals::forget(refusal),
        Some(handback::Error::Exists(path)) => super::refusals::exists(path),
        Some(handback::Error::DueBeforeHandout { due, handed_out }) => {
            super::refusals::due_before_handout(*due, *handed_out)
        }
        Some(handback::Error::Ambiguous(ambiguous)) => super::refusals::ambiguous(ambiguous),
        Some(handback::Error::NoRegister(path)) => super::refusals::no_register(path),
        Some(e @ handback::Error::UnknownZoneSetting(_)) => {
            super::refusals::unknown_zone_setting(e)
        }
        Some(handback::Error::HeldElsewhere(held)) => super::refusals::held_elsewhere(held),
        Some(handback::Error::Refusal(refusal)) => super::refusals::refusal(refusal),
        Some(handback::Error::Unconfirmed(unconfirmed)) => {
            super::refusals::unconfirmed(unconfirmed)
        }
        _ => format!("{error:#}"),
    };
    let _ = writeln!(
        std::io::stderr(),
        "{} {}",
        style("error:").for_stderr().red().bold(),
        render::terminal(&message)
    );
    code
}

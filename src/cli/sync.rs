//! `handback sync hr FILE` and `handback sync ldap …`: the register's people brought in line
//! with HR's list or the directory, leavers found by themselves.

use super::import::ReadArgs;
use super::{Context, date, output};
use anyhow::{Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use handback::directory::{self, Bind, LdapQuery};
use handback::domain::sync::{Leaver, PersonChange, Roster, SyncOptions, SyncSummary};
use handback::import::{ImportSource, ListKind};
use handback::model::LeaveCause;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// From HR's list of current employees (CSV or a workbook, as `import` reads): who is
    /// not on it, or is marked as ended, becomes a leaver
    Hr(HrArgs),
    /// From Active Directory or another LDAP directory: a disabled, expired or vanished
    /// account makes a leaver
    Ldap(LdapArgs),
}

#[derive(Debug, Args)]
pub struct HrArgs {
    /// The list: everyone employed, with employee numbers
    file: PathBuf,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    sync: SyncFlags,
}

#[derive(Debug, Args)]
pub struct LdapArgs {
    /// The directory: ldap://HOST[:PORT] or ldaps://HOST[:PORT]
    #[arg(long)]
    url: String,
    /// Where the people are, searched with everything below it (e.g.
    /// ou=Users,dc=kommun,dc=se)
    #[arg(long, value_name = "DN")]
    base: String,
    /// An LDAP filter for the people (default: user accounts in AD, inetOrgPerson elsewhere)
    #[arg(long, value_name = "F")]
    filter: Option<String>,
    /// Bind as this DN (default: anonymously)
    #[arg(long, value_name = "DN", requires = "password_file")]
    bind: Option<String>,
    /// The bind password, alone in this file (never on the command line)
    #[arg(long, value_name = "F", requires = "bind")]
    password_file: Option<PathBuf>,
    /// Read a field from another attribute, e.g. --map employeeID=employee_no (fields:
    /// employee_no, name, email, department, manager, username)
    #[arg(long = "map", value_name = "ATTR=FIELD")]
    maps: Vec<String>,
    #[command(flatten)]
    sync: SyncFlags,
}

#[derive(Debug, Args)]
struct SyncFlags {
    /// List who would arrive, change and leave, and change nothing
    #[arg(long)]
    dry_run: bool,
    /// Go ahead although more than 10 % of the current people would leave at once
    #[arg(long)]
    allow_mass_leave: bool,
    /// The day of the sync: who is not in the source left on it (default: today)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// What was done as text, or as JSON for scripts
    #[arg(long, value_enum, default_value_t)]
    format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
enum SummaryFormat {
    #[default]
    Text,
    Json,
}

pub fn run(ctx: &Context, command: SyncCommand) -> Result<()> {
    match command {
        SyncCommand::Hr(args) => {
            let source = ImportSource::file(&args.file)?;
            let options = args.read.options(Some(ListKind::People))?;
            let roster = handback::domain::sync::roster_from_file(source, &options)?;
            sync(ctx, &roster, &args.sync)
        }
        SyncCommand::Ldap(args) => {
            let mut register = ctx.open()?;
            let query = ldap_query(&args)?;
            let people = directory::read_people(&query)?;
            let roster = directory::roster(&query.url, &query.base, people, register.zone());
            sync_in(&mut register, &roster, &args.sync)
        }
    }
}

fn ldap_query(args: &LdapArgs) -> Result<LdapQuery> {
    let mut query = LdapQuery::new(args.url.trim(), args.base.trim());
    query.filter = args.filter.clone();
    if let (Some(dn), Some(file)) = (&args.bind, &args.password_file) {
        let password = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the bind password from {}", file.display()))?;
        // The file's one line, without the newline an editor adds.
        let password = password.trim_end_matches(['\r', '\n']).to_string();
        query.bind = Some(Bind {
            dn: dn.clone(),
            password,
        });
    }
    query.mappings = args
        .maps
        .iter()
        .map(|m| directory::parse_mapping(m).map_err(|e| handback::Error::invalid(e.to_string())))
        .collect::<handback::Result<_>>()?;
    Ok(query)
}

fn sync(ctx: &Context, roster: &Roster, flags: &SyncFlags) -> Result<()> {
    let mut register = ctx.open()?;
    sync_in(&mut register, roster, flags)
}

fn sync_in(
    register: &mut handback::domain::Register,
    roster: &Roster,
    flags: &SyncFlags,
) -> Result<()> {
    let options = SyncOptions {
        as_of: date(flags.as_of.as_deref())?,
        dry_run: flags.dry_run,
        allow_mass_leave: flags.allow_mass_leave,
    };
    let summary = register.sync(roster, options)?;
    match flags.format {
        SummaryFormat::Json => output::data(handback::render::json(&summary)?)?,
        SummaryFormat::Text => output::terminal(&text(&summary, roster.is_file))?,
    }
    if summary.mass_leave && summary.dry_run {
        output::note(format!(
            "a real run would be refused: {} of the {} current people would leave at once, \
             more than {} %; pass --allow-mass-leave if so many really left",
            summary.leaving_at_once(),
            summary.current,
            handback::domain::sync::MASS_LEAVE_PERCENT
        ));
    }
    output::done(if summary.dry_run {
        "dry run: nothing was changed".to_string()
    } else {
        format!(
            "Synced {}: {} arrived, {} changed, {} leaving, {} back",
            summary.source,
            summary.arrived.len(),
            summary.changed.len(),
            summary.leaving.len(),
            summary.returned.len()
        )
    });
    Ok(())
}

/// The summary a person reads: who arrives, changes, leaves and is back, by name.
fn text(summary: &SyncSummary, from_file: bool) -> String {
    let mut text = format!(
        "{} as of {} ({} current people before)\n",
        summary.source, summary.as_of, summary.current
    );
    let mut section = |title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        text.push_str(&format!("{title}: {}\n", lines.len()));
        for line in lines {
            text.push_str(&format!("  {line}\n"));
        }
    };
    let arrived = |changes: &[PersonChange]| -> Vec<String> {
        changes
            .iter()
            .map(|c| match &c.person.department {
                Some(department) => format!("{}, {department}", c.person.label()),
                None => c.person.label(),
            })
            .collect()
    };
    section("arrive", arrived(&summary.arrived));
    section(
        "change",
        summary
            .changed
            .iter()
            .map(|c| format!("{}: {}", c.person.label(), c.fields.join(", ")))
            .collect(),
    );
    section(
        "leave",
        summary
            .leaving
            .iter()
            .map(|l| leaver(l, from_file))
            .collect(),
    );
    section(
        "back again, last working day cleared",
        summary.returned.iter().map(|p| p.label()).collect(),
    );
    text.push_str(&format!("unchanged: {}\n", summary.unchanged));
    if summary.ended_not_added > 0 {
        text.push_str(&format!(
            "{} ended before the sync and not in the register: not added\n",
            summary.ended_not_added
        ));
    }
    if !summary.without_number.is_empty() {
        text.push_str(&format!(
            "{} without an employee number, so not matched: {}\n",
            summary.without_number.len(),
            summary.without_number.join("; ")
        ));
    }
    for note in &summary.notes {
        text.push_str(&format!("{note}\n"));
    }
    for unknown in &summary.unknown_managers {
        let place = if unknown.line > 0 {
            format!("line {}: ", unknown.line)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{place}the manager {:?} of {} is nobody else in the register; left as it was\n",
            unknown.manager, unknown.person
        ));
    }
    text
}

fn leaver(leaver: &Leaver, from_file: bool) -> String {
    let cause = match (leaver.cause, from_file) {
        (LeaveCause::NotInSource, true) => "not on the list",
        (LeaveCause::NotInSource, false) => "gone from the directory",
        (LeaveCause::EndedInList, _) => "ended in the list",
        (LeaveCause::AccountDisabled, _) => "account disabled",
        (LeaveCause::AccountExpires, _) => "account expires",
    };
    let holds = match leaver.holds {
        0 => "holds nothing".to_string(),
        1 => format!(
            "holds 1 item (handback checklist {})",
            leaver.person.reference()
        ),
        n => format!(
            "holds {n} items (handback checklist {})",
            leaver.person.reference()
        ),
    };
    format!(
        "{}, last working day {} ({cause}), {holds}",
        leaver.person.label(),
        leaver.last_day
    )
}

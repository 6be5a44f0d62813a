//! `handback person add|edit|list|show|forget`.

use super::output::OutcomeArgs;
use super::{Context, Format, date, date_edit, output, text_edit};
use anyhow::Result;
use clap::{Args, Subcommand};
use handback::domain::{PersonEdit, PersonInput};
use handback::i18n::{Lang, Text};
use handback::render;

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Register a person
    Add(AddArgs),
    /// Change a person's details (an empty value clears a field)
    Edit(EditArgs),
    /// List people
    List(ListArgs),
    /// A person's details and what they hold
    Show(ShowArgs),
    /// Erase a person who has left and holds nothing: name, e-mail and number become a
    /// pseudonym; their devices' history stays complete
    Forget(ForgetArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Employee number (kept as text: leading zeros matter)
    number: String,
    /// Full name, as it should appear on checklists and receipts
    #[arg(long)]
    name: String,
    #[command(flatten)]
    details: Details,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
struct Details {
    /// Work e-mail address (also a way to name the person in other commands)
    #[arg(long, value_name = "E")]
    email: Option<String>,
    /// Department or unit, as on the departure checklists (e.g. Gatukontoret)
    #[arg(long, value_name = "D")]
    department: Option<String>,
    /// Last working day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    end_date: Option<String>,
    /// Their manager (employee number, e-mail address or name), told when they leave
    #[arg(long, value_name = "P")]
    manager: Option<String>,
    /// The login the directory knows them by (sAMAccountName, uid)
    #[arg(long, value_name = "U")]
    username: Option<String>,
    /// The language of their notices: sv or en
    #[arg(long, value_name = "sv|en")]
    language: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Employee number, e-mail address or full name
    person: String,
    /// A new full name
    #[arg(long)]
    name: Option<String>,
    /// A new employee number
    #[arg(long, value_name = "NUMBER")]
    number: Option<String>,
    #[command(flatten)]
    details: Details,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only people in this department
    #[arg(long, value_name = "D")]
    department: Option<String>,
    /// Only people whose last working day is before DATE (candidates for erasure)
    #[arg(long, value_name = "DATE")]
    left_before: Option<String>,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Employee number, e-mail address or full name
    person: String,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// Employee number, e-mail address or full name
    person: String,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

pub fn run(ctx: &Context, command: PersonCommand) -> Result<()> {
    match command {
        PersonCommand::Add(args) => {
            let input = PersonInput {
                employee_no: args.number,
                name: args.name,
                email: args.details.email,
                department: args.details.department,
                end_date: date(args.details.end_date.as_deref())?,
                username: args.details.username,
                manager: args.details.manager,
                language: args.details.language.as_deref().map(language).transpose()?,
            };
            let person = ctx.open()?.add_person(&input)?;
            output::done(format!("Added {}", person.label()));
            args.outcome.print(&person)
        }
        PersonCommand::Edit(args) => {
            let edit = PersonEdit {
                employee_no: args.number,
                name: args.name,
                email: text_edit(args.details.email),
                department: text_edit(args.details.department),
                end_date: date_edit(args.details.end_date.as_deref())?,
                username: text_edit(args.details.username),
                manager: text_edit(args.details.manager),
                language: match text_edit(args.details.language) {
                    Some(Some(word)) => Some(Some(language(&word)?)),
                    Some(None) => Some(None),
                    None => None,
                },
            };
            let edited = ctx.open()?.edit_person(&args.person, &edit)?;
            if edited.changed.is_empty() {
                output::note(format!("nothing changed for {}", edited.person.label()));
            } else {
                output::done(format!(
                    "Changed {} of {}",
                    edited.changed.join(", "),
                    edited.person.label()
                ));
            }
            args.outcome.print(&edited)
        }
        PersonCommand::List(args) => {
            let register = ctx.open()?;
            let people = register.list_people(
                args.department.as_deref(),
                date(args.left_before.as_deref())?,
            )?;
            output::listing(&people, args.format, ctx.lang(), register.zone())
        }
        PersonCommand::Show(args) => {
            let register = ctx.open()?;
            let holdings = register.holdings(&args.person)?;
            super::holdings::show(&holdings, args.format, ctx.lang(), register.zone())
        }
        PersonCommand::Forget(args) => {
            let mut register = ctx.open()?;
            let today = register.today();
            let outcome = register.forget_person(&args.person, today)?;
            output::done(format!(
                "Erased {}: the register and every history now show {}",
                outcome.former, outcome.person.name
            ));
            if !outcome.scrubbed {
                output::note(
                    "another handback was reading, so old copies stay in the register's \
                     write-ahead log (its -wal file) until the last handback using the \
                     register closes it",
                );
            }
            args.outcome.print(&outcome)
        }
    }
}

/// Key facts of a person for `show` tables, labelled in `lang`.
pub fn facts(holdings: &handback::model::Holdings, lang: Lang) -> String {
    let person = &holdings.person;
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    let mut facts = vec![
        (lang.text(Text::Name), person.name.clone()),
        (lang.text(Text::EmployeeNo), value(&person.employee_no)),
        (lang.text(Text::Email), value(&person.email)),
        (lang.text(Text::Department), value(&person.department)),
        (
            lang.text(Text::LastWorkingDay),
            person.end_date.map_or("–".into(), |d| d.to_string()),
        ),
    ];
    // What a sync from HR or the directory adds: shown when there is something to show.
    if let Some(manager) = &holdings.manager {
        facts.push((lang.text(Text::Manager), manager.label()));
    }
    if let Some(username) = &person.username {
        facts.push((lang.text(Text::Username), username.clone()));
    }
    if let Some(language) = person.language {
        facts.push((lang.text(Text::Language), language.code().to_string()));
    }
    render::key_values(&facts)
}

/// `--language`: a code or the language's name.
fn language(word: &str) -> handback::Result<handback::model::Language> {
    handback::model::Language::parse(word).ok_or_else(|| {
        handback::Error::invalid(format!(
            "--language {word:?}: use sv (Swedish) or en (English)"
        ))
    })
}

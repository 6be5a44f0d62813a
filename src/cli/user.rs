//! `handback user …` and `handback token …`: who may sign in to `handback serve`, and the
//! API tokens scripts use.

use super::{Context, Format, output};
use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use handback::domain::{MIN_PASSWORD_CHARS, NewAccount};
use handback::model::account::Role;
use std::io::{BufRead, IsTerminal};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account for the web and the API
    #[command(after_help = "\
Roles: admin (everything, accounts included), technician (every register operation),
manager (the people, holdings, checklists and reports of their departments; records last
working days), auditor (reads everything, changes nothing).

Examples:
  handback user add anna --name \"Anna Berg\" --role technician
  handback user add lars --name \"Lars Ek\" --role manager --department Gatukontoret
  printf '%s\\n' \"$PASSWORD\" | handback user add ci --name CI --role admin --password-stdin")]
    Add(AddArgs),
    /// List the accounts
    List(ListArgs),
    /// Disable an account: its sessions end at once, its tokens stop working
    Disable(LoginArg),
    /// Set an account's password (its sessions end)
    Password(PasswordArgs),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token for an account; it is printed once and only its digest is kept
    Add(TokenAddArgs),
    /// List the API tokens (never the tokens themselves)
    List(ListArgs),
    /// Revoke an API token by its id
    Revoke(RevokeArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The login the person signs in with
    login: String,
    /// Their full name
    #[arg(long)]
    name: String,
    /// admin, technician, manager or auditor
    #[arg(long, value_parser = parse_role)]
    role: Role,
    /// A department a manager sees (repeat for several)
    #[arg(long = "department", value_name = "D")]
    departments: Vec<String>,
    /// Read the password from the first line of stdin instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct LoginArg {
    /// The account's login
    login: String,
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// The account's login
    login: String,
    /// Read the password from the first line of stdin instead of prompting
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct TokenAddArgs {
    /// The account the token acts as
    login: String,
    /// What the token is for ("nightly HR sync")
    #[arg(long)]
    label: Option<String>,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The token's id, as `token list` shows it
    id: i64,
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw)
        .ok_or_else(|| format!("{raw:?} is not a role: give admin, technician, manager or auditor"))
}

/// The password: the first line of stdin, or typed twice at a prompt that does not echo.
fn password(from_stdin: bool) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on: give --password-stdin and pipe it in");
    }
    let first = rpassword::prompt_password(format!(
        "Password (at least {MIN_PASSWORD_CHARS} characters): "
    ))?;
    let again = rpassword::prompt_password("The same again: ")?;
    if first != again {
        bail!("the two passwords differ: nothing was changed");
    }
    Ok(first)
}

pub fn run_user(ctx: &Context, command: UserCommand) -> Result<()> {
    let mut register = ctx.open()?;
    match command {
        UserCommand::Add(args) => {
            let password = password(args.password_stdin)?;
            let account = register.add_account(&NewAccount {
                login: &args.login,
                name: &args.name,
                role: args.role,
                departments: &args.departments,
                password: &password,
            })?;
            output::done(format!(
                "added {} ({}, {})",
                account.login, account.name, account.role
            ));
        }
        UserCommand::List(args) => {
            let accounts = register.accounts()?;
            output::listing(&accounts, args.format, ctx.lang(), register.zone())?;
        }
        UserCommand::Disable(args) => {
            let account = register.disable_account(&args.login)?;
            output::done(format!(
                "disabled {}: their sessions have ended and their tokens no longer work",
                account.login
            ));
        }
        UserCommand::Password(args) => {
            let password = password(args.password_stdin)?;
            let account = register.set_password(&args.login, &password)?;
            output::done(format!(
                "set a new password for {}; their sessions have ended",
                account.login
            ));
        }
    }
    Ok(())
}

pub fn run_token(ctx: &Context, command: TokenCommand) -> Result<()> {
    let mut register = ctx.open()?;
    match command {
        TokenCommand::Add(args) => {
            let token = register.add_token(&args.login, args.label.as_deref())?;
            output::data(format!("{}\n", token.token))?;
            output::done(format!(
                "made token {} for {}: it is shown this once; keep it where scripts read \
                 secrets (`token revoke {}` ends it)",
                token.id, token.login, token.id
            ));
        }
        TokenCommand::List(args) => {
            let tokens = register.tokens()?;
            output::listing(&tokens, args.format, ctx.lang(), register.zone())?;
        }
        TokenCommand::Revoke(args) => {
            let token = register.revoke_token(args.id)?;
            output::done(format!("revoked token {} of {}", token.id, token.login));
        }
    }
    Ok(())
}

//! `handback report`: the follow-up figures internal control asks for, for a period.

use super::document::DocArgs;
use super::{Context, date, usage_error};
use anyhow::Result;
use clap::{Args, ValueEnum};
use handback::docs::InLang;
use handback::domain::ReportRequest;
use handback::render::{self, html, markdown};
use std::path::PathBuf;

/// The report is a document; there is no table of it.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum ReportFormat {
    /// A printable A4 document with charts
    #[default]
    Html,
    /// Markdown, for a ticket or a wiki page
    Md,
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Without --from and --to the period is the twelve whole calendar months before the current
one (run on 2026-12-01: 2025-12-01 to 2026-11-30), and the report says so. With --to only,
it starts on the first day of the month eleven months before --to; with --from only, it ends
today. Both ends are inclusive.

Example:
  handback report --from 2025-01-01 --to 2025-12-31 --lang sv --out uppfoljning-2025.html")]
pub struct ReportArgs {
    /// First day of the period, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day of the period, YYYY-MM-DD (default: today when --from is given)
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only people in this department
    #[arg(long, value_name = "D")]
    department: Option<String>,
    /// HTML to print and file, Markdown for a ticket, JSON for other tools
    #[arg(long, value_enum, default_value_t)]
    format: ReportFormat,
    /// Write the report to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: ReportArgs) -> Result<()> {
    let register = ctx.open()?;
    let today = register.today();
    let request = ReportRequest::period(
        date(args.from.as_deref())?,
        date(args.to.as_deref())?,
        today,
        args.department.clone(),
    );
    let (from, to) = (request.from, request.to);
    if from > to {
        return Err(usage_error(
            "report",
            format!("--from {from} is after --to {to}: the period would end before it starts"),
        ));
    }
    let doc = DocArgs {
        format: None,
        out: args.out,
    };
    let report = InLang::new(register.report(&request)?, ctx.lang());
    let text = match args.format {
        ReportFormat::Html => html::report(&report),
        ReportFormat::Md => markdown::report(&report),
        ReportFormat::Json => render::json(&report)?,
    };
    doc.emit(text, "report")
}

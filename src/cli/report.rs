//! `handback report`: the follow-up figures internal control asks for, for a period.

use super::document::DocFormat;
use super::{Context, date};
use anyhow::{Result, bail};
use clap::Args;
use handback::domain::ReportRequest;
use handback::render::{self, html, markdown};

#[derive(Debug, Args)]
#[command(after_help = "\
The period defaults to the last twelve calendar months: from the first day of the month
eleven months back, to today. Both ends are inclusive.

Example:
  handback report --from 2025-01-01 --to 2025-12-31 --lang sv --out uppfoljning-2025.html")]
pub struct ReportArgs {
    /// First day of the period, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day of the period, YYYY-MM-DD (default: today)
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only people in this department
    #[arg(long, value_name = "D")]
    department: Option<String>,
    #[command(flatten)]
    doc: super::document::DocArgs,
}

pub fn run(ctx: &Context, args: ReportArgs) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let to = date(args.to.as_deref())?.unwrap_or(today);
    let mut request = ReportRequest::last_twelve_months(to, args.department.clone());
    if let Some(from) = date(args.from.as_deref())? {
        request.from = from;
    }
    let report = ctx.open()?.report(&request, args.doc.lang())?;
    let text = match args.doc.format.unwrap_or(DocFormat::Html) {
        DocFormat::Html => html::report(&report),
        DocFormat::Md => markdown::report(&report),
        DocFormat::Json => render::json(&report)?,
        other => bail!(
            "the report is a document: use --format html, md or json (not {})",
            other.extension()
        ),
    };
    args.doc.emit(text, "report")
}

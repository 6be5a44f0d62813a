//! `handback import FILE...`: the lists people already keep, one transaction per file.

use super::{Context, output};
use anyhow::Result;
use clap::{Args, ValueEnum};
use handback::domain::{ImportOptions, ImportSummary, OnConflict};
use handback::import::{
    ColumnOverride, ColumnUse, ImportSource, ListKind, ReadOptions, SkipReason, parse_delimiter,
    parse_encoding,
};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Lists: Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods), CSV files
    /// (Excel's `;`, Windows-1252 or UTF-8), HR exports, Snipe-IT exports, …
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// What the file lists (default: detected from its columns)
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    kind: Option<ListKind>,
    /// The file's encoding, e.g. windows-1252, utf-8, utf-16le (default: detected)
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// The delimiter: ';' ',' tab '|' (default: detected)
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// Read a column as a field, e.g. --map "Serie=serial" or --map "Kostnad=ignore"
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    maps: Vec<String>,
    /// How dates are written when the usual forms do not say, e.g. "%m/%d/%Y" (may be
    /// repeated; a date two of them read differently is an error)
    #[arg(long = "date-format", value_name = "FORMAT")]
    date_formats: Vec<String>,
    /// The sheet of a workbook to read (default: the first that is a list)
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Fill this column's empty cells from the row above, for lists that write a person
    /// once over their devices (may be repeated)
    #[arg(long = "fill-down", value_name = "COLUMN")]
    fill_down: Vec<String>,
    /// A device the register says someone else holds: refuse the row, or transfer it
    #[arg(long, value_enum, default_value_t = Conflict::Refuse)]
    on_conflict: Conflict,
    /// Import the valid rows even when some are refused
    #[arg(long)]
    skip_invalid: bool,
    /// Write the refused rows here (with --skip-invalid), in the input's delimiter and encoding
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    rejects: Option<PathBuf>,
    /// Do everything but commit, and say what would change
    #[arg(long)]
    dry_run: bool,
    /// The summary as text (on stderr) or JSON (on stdout)
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Conflict {
    Refuse,
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SummaryFormat {
    Text,
    Json,
}

fn parse_kind(word: &str) -> Result<ListKind, String> {
    word.parse::<ListKind>().map_err(|e| e.to_string())
}

pub fn run(ctx: &Context, args: ImportArgs) -> Result<()> {
    let options = ImportOptions {
        read: ReadOptions {
            encoding: args.encoding.as_deref().map(parse_encoding).transpose()?,
            delimiter: args.delimiter.as_deref().map(parse_delimiter).transpose()?,
            maps: args
                .maps
                .iter()
                .map(|m| ColumnOverride::parse(m))
                .collect::<handback::Result<_>>()?,
            date_formats: args
                .date_formats
                .iter()
                .map(|f| ReadOptions::parse_date_format(f))
                .collect::<handback::Result<_>>()?,
            kind: args.kind,
            sheet: args.sheet,
            fill_down: args.fill_down,
        },
        on_conflict: match args.on_conflict {
            Conflict::Refuse => OnConflict::Refuse,
            Conflict::Transfer => OnConflict::Transfer,
        },
        skip_invalid: args.skip_invalid,
        rejects: args.rejects,
        dry_run: args.dry_run,
        bulk_min_bytes: None,
    };
    let mut register = ctx.open()?;
    let mut summaries = Vec::with_capacity(args.files.len());
    let mut refused = Vec::new();
    for file in &args.files {
        let spinner = progress_spinner(file);
        let result = ImportSource::file(file).and_then(|source| {
            register.import(source, &options, &mut |rows| spinner.set_position(rows))
        });
        spinner.finish_and_clear();
        let summary = result?;
        if args.format == SummaryFormat::Text {
            output::done(describe(&summary, options.dry_run));
        }
        if !summary.errors.is_empty() && !options.skip_invalid {
            refused.push(summary.file.clone());
        }
        summaries.push(summary);
    }
    if args.format == SummaryFormat::Json {
        output::data(handback::render::json(
            &summaries.iter().map(to_json).collect::<Vec<_>>(),
        )?)?;
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(handback::Error::InvalidFile {
            summary: format!(
                "{} refused: nothing was imported from {}",
                if refused.len() == 1 {
                    "a file was"
                } else {
                    "files were"
                },
                refused.join(", ")
            ),
            details: "fix the rows listed above and import again, or use --skip-invalid \
                      --rejects FILE to import the valid rows"
                .into(),
        }
        .into())
    }
}

/// A spinner with the row count, on a terminal only.
fn progress_spinner(file: &std::path::Path) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let spinner = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg}: {pos} rows ({per_sec})")
    {
        spinner.set_style(style);
    }
    spinner.set_message(file.display().to_string());
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".into(),
        other => format!("'{}'", other as char),
    }
}

/// The summary a person reads: what the file was taken to be, how its columns were read,
/// what changed, and every refused row.
fn describe(summary: &ImportSummary, dry_run: bool) -> String {
    let notes = &summary.notes;
    let mut text = match &notes.sheet {
        Some(sheet) => format!(
            "{}: a list of {}, sheet {sheet:?} of a workbook\n",
            summary.file,
            summary.kind.as_str(),
        ),
        None => format!(
            "{}: a list of {}, {}{}, delimiter {}\n",
            summary.file,
            summary.kind.as_str(),
            summary.encoding.name(),
            if summary.encoding.bom {
                " with a byte-order mark"
            } else {
                ""
            },
            delimiter_name(summary.delimiter),
        ),
    };
    let line_word = if notes.sheet.is_some() { "row" } else { "line" };
    if !notes.redecoded_lines.is_empty() {
        text.push_str(&format!(
            "  {} not UTF-8 like the rest of the file, read as Windows-1252: {}; check \
             their names\n",
            plural(notes.redecoded_lines.len(), line_word),
            numbers(&notes.redecoded_lines),
        ));
    }
    for column in &summary.columns.columns {
        let header = column.label();
        let from_values = if column.from_values {
            ", from its values"
        } else {
            ""
        };
        match &column.usage {
            ColumnUse::Field(field) => {
                text.push_str(&format!("  {header} → {field}{from_values}\n"))
            }
            ColumnUse::Ignored(reason) => {
                text.push_str(&format!("  {header}: ignored ({reason}{from_values})\n"))
            }
        }
    }
    if summary.columns.lacks_names() {
        text.push_str(
            "  no name column: people new to the register get their user name or e-mail \
             address as their name; import a list with names (Namn, or Förnamn and \
             Efternamn) to name them\n",
        );
    }
    for skipped in &notes.skipped {
        let why = match skipped.why {
            SkipReason::Title => "a title above the header",
            SkipReason::Total => "a total row",
            SkipReason::Note => "a note after the rows",
        };
        text.push_str(&format!(
            "  skipped {line_word} {}, {why}: {:?}\n",
            skipped.line, skipped.text
        ));
    }
    if notes.filled_cells > 0 {
        text.push_str(&format!(
            "  {} filled from the row above (--fill-down)\n",
            plural(notes.filled_cells as usize, "cell")
        ));
    }
    text.push_str(&format!(
        "  {} rows read, {} blank skipped\n  people: {} created, {} updated\n  devices: {} created, {} updated\n  handouts: {} opened, {} transferred, {} already recorded\n",
        summary.rows,
        summary.blank_rows,
        summary.people_created,
        summary.people_updated,
        summary.devices_created,
        summary.devices_updated,
        summary.handouts_opened,
        summary.transfers,
        summary.duplicates,
    ));
    if summary.undated_handouts > 0 {
        text.push_str(&format!(
            "  {} handouts had no date and were recorded as of now; add a date column \
             (Utlämnad, Checkout date) to keep when they happened\n",
            summary.undated_handouts
        ));
    }
    for change in &summary.person_changes {
        text.push_str(&format!("  changed {change}\n"));
    }
    text.push_str(&format!("  {} errors", summary.errors.len()));
    if summary.rejected > 0 {
        text.push_str(&format!(
            ", {} rows written to the rejects file",
            summary.rejected
        ));
    }
    text.push_str(&format!(", in {:.2} s\n", summary.elapsed.as_secs_f64()));
    for error in &summary.errors {
        text.push_str(&format!("  error: {}\n", error.message));
    }
    let outcome = if dry_run {
        "dry run: nothing was committed"
    } else if !summary.committed {
        "nothing was imported: the file has refused rows"
    } else if !summary.changed_anything() {
        "nothing changed: the register already has all of it"
    } else {
        "imported"
    };
    text.push_str(&format!("  {outcome}"));
    text
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// `3, 7, 12` (the first twenty, then how many more).
fn numbers(list: &[u64]) -> String {
    const SHOWN: usize = 20;
    let mut text = list
        .iter()
        .take(SHOWN)
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > SHOWN {
        text.push_str(&format!(" and {} more", list.len() - SHOWN));
    }
    text
}

fn to_json(summary: &ImportSummary) -> serde_json::Value {
    let columns: Vec<serde_json::Value> = summary
        .columns
        .columns
        .iter()
        .map(|c| match &c.usage {
            ColumnUse::Field(field) => json!({
                "header": c.header, "field": field.as_str(), "from_values": c.from_values
            }),
            ColumnUse::Ignored(reason) => json!({
                "header": c.header, "field": null, "ignored": reason.to_string(),
                "from_values": c.from_values
            }),
        })
        .collect();
    let errors: Vec<serde_json::Value> = summary
        .errors
        .iter()
        .map(|e| json!({"line": e.line, "message": e.message}))
        .collect();
    json!({
        "file": summary.file,
        "kind": summary.kind.as_str(),
        "encoding": summary.encoding.name(),
        "delimiter": (summary.delimiter as char).to_string(),
        "columns": columns,
        "sheet": summary.notes.sheet,
        "rows": summary.rows,
        "blank_rows": summary.blank_rows,
        "skipped": summary.notes.skipped.iter().map(|s| json!({
            "line": s.line,
            "why": match s.why {
                SkipReason::Title => "title",
                SkipReason::Total => "total",
                SkipReason::Note => "note",
            },
            "text": s.text,
        })).collect::<Vec<_>>(),
        "redecoded_lines": summary.notes.redecoded_lines,
        "filled_cells": summary.notes.filled_cells,
        "no_name_column": summary.columns.lacks_names(),
        "people_created": summary.people_created,
        "people_updated": summary.people_updated,
        "devices_created": summary.devices_created,
        "devices_updated": summary.devices_updated,
        "handouts_opened": summary.handouts_opened,
        "transfers": summary.transfers,
        "duplicates": summary.duplicates,
        "undated_handouts": summary.undated_handouts,
        "errors": errors,
        "rejected": summary.rejected,
        "committed": summary.committed,
        "elapsed_seconds": summary.elapsed.as_secs_f64(),
    })
}

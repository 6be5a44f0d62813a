//! `handback import FILE...`: the lists people already keep, one transaction per file.

use super::{Context, output};
use anyhow::Result;
use clap::{Args, ValueEnum};
use handback::domain::{ImportOptions, ImportSummary, OnConflict, RowReason};
use handback::import::{
    ColumnOverride, ColumnUse, ImportSource, ListKind, ReadOptions, SkipReason, parse_delimiter,
    parse_encoding,
};
use serde::Serialize;
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
    #[command(flatten)]
    read: ReadArgs,
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
    /// Correct the date of a handout the register has with another date than the list's
    /// to the list's (each with an audit event naming the file and line)
    #[arg(long)]
    correct_dates: bool,
    /// The summary as text (on stderr) or JSON (on stdout)
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,
}

/// How to read a list: the flags `import` and `sync hr` share.
#[derive(Debug, Args)]
pub struct ReadArgs {
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
}

impl ReadArgs {
    /// The options these flags give, reading a list of `kind` (`None`: detected).
    pub fn options(&self, kind: Option<ListKind>) -> handback::Result<ReadOptions> {
        Ok(ReadOptions {
            encoding: self.encoding.as_deref().map(parse_encoding).transpose()?,
            delimiter: self.delimiter.as_deref().map(parse_delimiter).transpose()?,
            maps: self
                .maps
                .iter()
                .map(|m| ColumnOverride::parse(m))
                .collect::<handback::Result<_>>()?,
            date_formats: self
                .date_formats
                .iter()
                .map(|f| ReadOptions::parse_date_format(f))
                .collect::<handback::Result<_>>()?,
            kind,
            sheet: self.sheet.clone(),
            fill_down: self.fill_down.clone(),
        })
    }
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
        read: args.read.options(args.kind)?,
        on_conflict: match args.on_conflict {
            Conflict::Refuse => OnConflict::Refuse,
            Conflict::Transfer => OnConflict::Transfer,
        },
        skip_invalid: args.skip_invalid,
        rejects: args.rejects,
        dry_run: args.dry_run,
        correct_dates: args.correct_dates,
        reject_words: Some(super::refusals::row_reason),
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
            output::done(
                SummaryView::new(&summary, options.dry_run, super::refusals::row_reason).text(),
            );
        }
        if !summary.errors.is_empty() && !options.skip_invalid {
            refused.push(summary.file.clone());
        }
        summaries.push(summary);
    }
    if args.format == SummaryFormat::Json {
        let views: Vec<SummaryView> = summaries
            .iter()
            .map(|summary| SummaryView::new(summary, options.dry_run, super::refusals::row_reason))
            .collect();
        output::data(handback::render::json(&views)?)?;
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

fn delimiter_name(delimiter: char) -> String {
    match delimiter {
        '\t' => "tab".into(),
        other => format!("'{other}'"),
    }
}

/// One file's summary as this command gives it: `--format json` prints this value
/// serialised, and the text is rendered from it, so the two cannot tell different stories.
/// The JSON fields are in the order they have always been printed in (alphabetical); a field
/// only the text shows is `#[serde(skip)]`.
#[derive(Debug, Serialize)]
pub(crate) struct SummaryView<'a> {
    blank_rows: u64,
    columns: Vec<ColumnView<'a>>,
    committed: bool,
    /// Handouts whose date the list corrected (`--correct-dates`).
    dates_corrected: u64,
    /// Handouts the register has with another date than the list's, left as they are.
    dates_differ: u64,
    delimiter: char,
    devices_created: u64,
    devices_updated: u64,
    duplicates: u64,
    elapsed_seconds: f64,
    encoding: &'static str,
    errors: Vec<ErrorView>,
    file: &'a str,
    /// Cells `--fill-down` filled from the row above.
    filled_cells: u64,
    handouts_opened: u64,
    kind: &'static str,
    /// No column names people: new ones are named by their user name (or their e-mail
    /// address's, the part before the `@`).
    no_name_column: bool,
    people_created: u64,
    people_updated: u64,
    /// Lines of a UTF-8 file that were not, read as Windows-1252.
    redecoded_lines: &'a [u64],
    rejected: u64,
    rows: u64,
    /// The sheet read, for a workbook.
    sheet: Option<&'a str>,
    /// Title lines, total rows and notes read past.
    skipped: Vec<SkippedView<'a>>,
    transfers: u64,
    undated_handouts: u64,
    /// The file began with a byte-order mark.
    #[serde(skip)]
    bom: bool,
    /// A wide list's device columns (more than one), labelled.
    #[serde(skip)]
    wide: Vec<String>,
    /// "Maria Olsson (4471): department, end_date", one per person changed.
    #[serde(skip)]
    person_changes: &'a [String],
    /// Managers the list names whom the register does not know.
    unknown_managers: &'a [handback::domain::UnknownManager],
    #[serde(skip)]
    dry_run: bool,
    #[serde(skip)]
    changed_anything: bool,
}

/// How a column of the file was read.
#[derive(Debug, Serialize)]
struct ColumnView<'a> {
    /// The field it was read as; `None` when it was ignored.
    field: Option<&'static str>,
    /// It was recognised by its values, its header being unknown.
    from_values: bool,
    header: &'a str,
    /// Why it was ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    ignored: Option<String>,
    /// For a column of serial numbers, the kind of device its cells are (`Serienr dator` →
    /// laptop, `IMEI` → phone, or `--map "HEADER=serial:KIND"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    /// The header quoted, or "column 3" when it has none.
    #[serde(skip)]
    label: String,
}

/// A line read past, and why.
#[derive(Debug, Serialize)]
struct SkippedView<'a> {
    line: u64,
    text: &'a str,
    why: &'static str,
}

/// A refused row, worded by this front end.
#[derive(Debug, Serialize)]
struct ErrorView {
    line: u64,
    message: String,
}

impl<'a> SummaryView<'a> {
    /// The view of `summary`, its refused rows worded by `words` (the command line adds its
    /// flags; the web gives the reason's own sentence).
    pub(crate) fn new(
        summary: &'a ImportSummary,
        dry_run: bool,
        words: fn(&RowReason) -> String,
    ) -> Self {
        SummaryView {
            blank_rows: summary.blank_rows,
            columns: summary
                .columns
                .columns
                .iter()
                .map(|column| {
                    let (field, ignored) = match &column.usage {
                        ColumnUse::Field(field) => (Some(field.as_str()), None),
                        ColumnUse::Ignored(reason) => (None, Some(reason.to_string())),
                    };
                    ColumnView {
                        field,
                        from_values: column.from_values,
                        header: &column.header,
                        ignored,
                        kind: column.kind.as_deref().filter(|_| field.is_some()),
                        label: column.label(),
                    }
                })
                .collect(),
            committed: summary.committed,
            dates_corrected: summary.dates_corrected,
            dates_differ: summary.dates_differ,
            delimiter: char::from(summary.delimiter),
            devices_created: summary.devices_created,
            devices_updated: summary.devices_updated,
            duplicates: summary.duplicates,
            elapsed_seconds: summary.elapsed.as_secs_f64(),
            encoding: summary.encoding.name(),
            errors: summary
                .errors
                .iter()
                .map(|e| ErrorView {
                    line: e.line,
                    message: words(&e.reason),
                })
                .collect(),
            file: &summary.file,
            filled_cells: summary.notes.filled_cells,
            handouts_opened: summary.handouts_opened,
            kind: summary.kind.as_str(),
            no_name_column: summary.columns.lacks_names(),
            people_created: summary.people_created,
            people_updated: summary.people_updated,
            redecoded_lines: &summary.notes.redecoded_lines,
            rejected: summary.rejected,
            rows: summary.rows,
            sheet: summary.notes.sheet.as_deref(),
            skipped: summary
                .notes
                .skipped
                .iter()
                .map(|skipped| SkippedView {
                    line: skipped.line,
                    text: &skipped.text,
                    why: match skipped.why {
                        SkipReason::Title => "title",
                        SkipReason::Total => "total",
                        SkipReason::Note => "note",
                    },
                })
                .collect(),
            transfers: summary.transfers,
            undated_handouts: summary.undated_handouts,
            bom: summary.encoding.bom,
            wide: summary
                .columns
                .device_columns()
                .map(|c| c.label())
                .collect(),
            person_changes: &summary.person_changes,
            unknown_managers: &summary.unknown_managers,
            dry_run,
            changed_anything: summary.changed_anything(),
        }
    }

    /// The summary a person reads: what the file was taken to be, how its columns were
    /// read, what changed, and every refused row.
    fn text(&self) -> String {
        let mut text = match self.sheet {
            Some(sheet) => format!(
                "{}: a list of {}, sheet {sheet:?} of a workbook\n",
                self.file, self.kind,
            ),
            None => format!(
                "{}: a list of {}, {}{}, delimiter {}\n",
                self.file,
                self.kind,
                self.encoding,
                if self.bom {
                    " with a byte-order mark"
                } else {
                    ""
                },
                delimiter_name(self.delimiter),
            ),
        };
        let line_word = if self.sheet.is_some() { "row" } else { "line" };
        if !self.redecoded_lines.is_empty() {
            text.push_str(&format!(
                "  {} not UTF-8 like the rest of the file, read as Windows-1252: {}; check \
                 their names\n",
                plural(self.redecoded_lines.len(), line_word),
                numbers(self.redecoded_lines),
            ));
        }
        for column in &self.columns {
            let header = &column.label;
            let from_values = if column.from_values {
                ", from its values"
            } else {
                ""
            };
            let kind = column
                .kind
                .map(|kind| format!(" ({kind})"))
                .unwrap_or_default();
            match (column.field, &column.ignored) {
                (Some(field), _) => {
                    text.push_str(&format!("  {header} → {field}{kind}{from_values}\n"))
                }
                (None, reason) => text.push_str(&format!(
                    "  {header}: ignored ({}{from_values})\n",
                    reason.as_deref().unwrap_or_default()
                )),
            }
        }
        if self.wide.len() > 1 {
            text.push_str(&format!(
                "  a column per device: each filled cell of {} is a device of its own, \
                 handed to the row's person\n",
                self.wide.join(", ")
            ));
        }
        if self.no_name_column {
            text.push_str(
                "  no name column: people new to the register get their user name (the part of \
                 their e-mail address before the @) as their name; import a list with names \
                 (Namn, or Förnamn and Efternamn) to name them\n",
            );
        }
        for skipped in &self.skipped {
            let why = match skipped.why {
                "title" => "a title above the header",
                "total" => "a total row",
                _ => "a note after the rows",
            };
            text.push_str(&format!(
                "  skipped {line_word} {}, {why}: {:?}\n",
                skipped.line, skipped.text
            ));
        }
        if self.filled_cells > 0 {
            text.push_str(&format!(
                "  {} filled from the row above (--fill-down)\n",
                plural(self.filled_cells as usize, "cell")
            ));
        }
        text.push_str(&format!(
            "  {} rows read, {} blank skipped\n  people: {} created, {} updated\n  devices: {} created, {} updated\n  handouts: {} opened, {} transferred, {} already recorded\n",
            self.rows,
            self.blank_rows,
            self.people_created,
            self.people_updated,
            self.devices_created,
            self.devices_updated,
            self.handouts_opened,
            self.transfers,
            self.duplicates,
        ));
        if self.dates_corrected > 0 {
            text.push_str(&format!(
                "  {} recorded with another date corrected to the list's\n",
                plural(self.dates_corrected as usize, "handout")
            ));
        }
        if self.dates_differ > 0 {
            text.push_str(&format!(
                "  {} already recorded with another date than the list's, left as recorded; \
                 --correct-dates applies the list's dates\n",
                plural(self.dates_differ as usize, "handout")
            ));
        }
        if self.undated_handouts > 0 {
            text.push_str(&format!(
                "  {} handouts had no date and were recorded as of now; add a date column \
                 (Utlämnad, Checkout date) to keep when they happened\n",
                self.undated_handouts
            ));
        }
        for change in self.person_changes {
            text.push_str(&format!("  changed {change}\n"));
        }
        for unknown in self.unknown_managers {
            text.push_str(&format!(
                "  line {}: the manager {:?} of {} is nobody else in the register; their \
                 manager is left as it was (import the manager first, or name them by \
                 employee number)\n",
                unknown.line, unknown.manager, unknown.person
            ));
        }
        text.push_str(&format!("  {} errors", self.errors.len()));
        if self.rejected > 0 {
            text.push_str(&format!(
                ", {} rows written to the rejects file",
                self.rejected
            ));
        }
        text.push_str(&format!(", in {:.2} s\n", self.elapsed_seconds));
        for error in &self.errors {
            text.push_str(&format!("  error: {}\n", error.message));
        }
        let outcome = if self.dry_run {
            "dry run: nothing was committed"
        } else if !self.committed {
            "nothing was imported: the file has refused rows"
        } else if !self.changed_anything {
            "nothing changed: the register already has all of it"
        } else {
            "imported"
        };
        text.push_str(&format!("  {outcome}"));
        text
    }
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

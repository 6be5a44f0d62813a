//! `handback export people|devices|handouts|events`: the register out, for spreadsheets,
//! other tools, or a new register (exported handouts import back to the same holdings).

use super::{Context, output};
use anyhow::Result;
use clap::{Args, ValueEnum};
use handback::render::Record;
use handback::render::stream::{RowStream, StreamFormat};
use handback::render::xlsx::XlsxSheet;
use handback::zone::Zone;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Table {
    /// Everyone registered
    People,
    /// Every device, whatever its status
    Devices,
    /// The handouts open now: who holds what
    Handouts,
    /// The whole audit trail
    Events,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
enum ExportFormat {
    #[default]
    Csv,
    Json,
    /// An Excel workbook (needs --out)
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write out
    #[arg(value_enum)]
    table: Table,
    /// CSV for spreadsheets, JSON for other tools, xlsx for Excel itself
    #[arg(long, value_enum, default_value_t)]
    format: ExportFormat,
    /// CSV for Excel with Swedish settings: UTF-8 with a byte-order mark and `;`
    #[arg(long)]
    excel: bool,
    /// Write to this file instead of standard output (needed for --format xlsx)
    #[arg(long, value_name = "FILE", required_if_eq("format", "xlsx"))]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: ExportArgs) -> Result<()> {
    let format = match args.format {
        ExportFormat::Json => Some(StreamFormat::Json),
        ExportFormat::Csv => Some(StreamFormat::Csv { excel: args.excel }),
        ExportFormat::Xlsx => None,
    };
    if args.excel && !matches!(args.format, ExportFormat::Csv) {
        output::note("--excel shapes CSV only; it is not needed for JSON or xlsx");
    }
    let register = ctx.open()?;
    let zone = register.zone();
    let rows = match (format, &args.out) {
        (Some(format), None) => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            export_table(&register, args.table, out, format, zone)?
        }
        (Some(format), Some(path)) => {
            let file = handback::files::create(path)?;
            export_table(
                &register,
                args.table,
                std::io::BufWriter::new(file),
                format,
                zone,
            )?
        }
        (None, out) => {
            let path = out.as_ref().ok_or_else(|| {
                handback::Error::invalid("--format xlsx needs --out FILE: a workbook is a file")
            })?;
            let name = args.table.name();
            let (bytes, rows) = match args.table {
                Table::People => workbook(name, zone, |v| register.export_people(v))?,
                Table::Devices => workbook(name, zone, |v| register.export_devices(v))?,
                Table::Handouts => workbook(name, zone, |v| register.export_handouts(v))?,
                Table::Events => workbook(name, zone, |v| register.export_events(v))?,
            };
            let mut file = handback::files::create(path)?;
            file.write_all(&bytes)
                .and_then(|()| file.flush())
                .map_err(|e| handback::Error::io(path, e))?;
            rows
        }
    };
    match &args.out {
        Some(path) => output::done(format!("Exported {rows} rows to {}", path.display())),
        None => output::done(format!("Exported {rows} rows")),
    }
    Ok(())
}

impl Table {
    /// The sheet's name in a workbook.
    fn name(self) -> &'static str {
        match self {
            Table::People => "people",
            Table::Devices => "devices",
            Table::Handouts => "handouts",
            Table::Events => "events",
        }
    }
}

fn export_table<W: Write>(
    register: &handback::domain::Register,
    table: Table,
    out: W,
    format: StreamFormat,
    zone: Zone,
) -> Result<u64> {
    match table {
        Table::People => export(out, format, zone, |visit| register.export_people(visit)),
        Table::Devices => export(out, format, zone, |visit| register.export_devices(visit)),
        Table::Handouts => export(out, format, zone, |visit| register.export_handouts(visit)),
        Table::Events => export(out, format, zone, |visit| register.export_events(visit)),
    }
}

/// Whatever `source` visits, as a workbook's bytes.
fn workbook<R: Record>(
    name: &str,
    zone: Zone,
    source: impl FnOnce(&mut dyn FnMut(R) -> handback::Result<()>) -> handback::Result<()>,
) -> Result<(Vec<u8>, u64)> {
    let mut sheet = XlsxSheet::start::<R>(name, zone)?;
    feed(source, |row| sheet.row(row))?;
    Ok(sheet.finish()?)
}

/// Streams whatever `source` visits into `out`.
fn export<R: Record + Serialize, W: Write>(
    out: W,
    format: StreamFormat,
    zone: Zone,
    source: impl FnOnce(&mut dyn FnMut(R) -> handback::Result<()>) -> handback::Result<()>,
) -> Result<u64> {
    let mut stream = RowStream::start::<R>(out, format, zone)?;
    feed(source, |row| stream.row(row))?;
    Ok(stream.finish()?)
}

/// Hands each row `source` visits to `write`. A write that fails ends the visit, and its own
/// io error is what comes back: a closed pipe stays one, so it ends the program quietly.
fn feed<R>(
    source: impl FnOnce(&mut dyn FnMut(R) -> handback::Result<()>) -> handback::Result<()>,
    mut write: impl FnMut(&R) -> std::io::Result<()>,
) -> Result<()> {
    let mut failure = None;
    source(&mut |row| {
        write(&row).map_err(|e| {
            let message = e.to_string();
            failure = Some(e);
            handback::Error::refused(message)
        })
    })
    .map_err(|e| match failure.take() {
        Some(io) => anyhow::Error::from(io),
        None => e.into(),
    })
}

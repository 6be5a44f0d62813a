//! `handback export people|devices|handouts|events`: the register out, for spreadsheets,
//! other tools, or a new register (exported handouts import back to the same holdings).

use super::{Context, output};
use anyhow::Result;
use clap::{Args, ValueEnum};
use handback::render::Record;
use handback::render::stream::{RowStream, StreamFormat};
use handback::zone::Zone;
use serde::Serialize;
use std::io::Write;

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
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to write out
    #[arg(value_enum)]
    table: Table,
    /// CSV for spreadsheets, JSON for other tools
    #[arg(long, value_enum, default_value_t)]
    format: ExportFormat,
    /// CSV for Excel with Swedish settings: UTF-8 with a byte-order mark and `;`
    #[arg(long)]
    excel: bool,
}

pub fn run(ctx: &Context, args: ExportArgs) -> Result<()> {
    let format = match args.format {
        ExportFormat::Json => StreamFormat::Json,
        ExportFormat::Csv => StreamFormat::Csv { excel: args.excel },
    };
    if args.excel && matches!(args.format, ExportFormat::Json) {
        output::note("--excel shapes CSV only; the JSON is written as usual");
    }
    let register = ctx.open()?;
    let zone = register.zone();
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let rows = match args.table {
        Table::People => export(out, format, zone, |visit| register.export_people(visit))?,
        Table::Devices => export(out, format, zone, |visit| register.export_devices(visit))?,
        Table::Handouts => export(out, format, zone, |visit| register.export_handouts(visit))?,
        Table::Events => export(out, format, zone, |visit| register.export_events(visit))?,
    };
    output::done(format!("Exported {rows} rows"));
    Ok(())
}

/// Streams whatever `source` visits into `out`.
fn export<R: Record + Serialize, W: Write>(
    out: W,
    format: StreamFormat,
    zone: Zone,
    source: impl FnOnce(&mut dyn FnMut(R) -> handback::Result<()>) -> handback::Result<()>,
) -> Result<u64> {
    let mut stream = RowStream::start::<R>(out, format, zone)?;
    let mut failure = None;
    source(&mut |row| {
        stream.row(&row).map_err(|e| {
            let message = e.to_string();
            failure = Some(e);
            handback::Error::refused(message)
        })
    })
    .map_err(|e| match failure.take() {
        // A closed pipe stays an io error, so it ends the program quietly.
        Some(io) => anyhow::Error::from(io),
        None => e.into(),
    })?;
    Ok(stream.finish()?)
}

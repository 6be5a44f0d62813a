//! `handback device add|edit|list|show`.

use super::output::OutcomeArgs;
use super::{Context, Format, date, date_edit, output, text_edit};
use anyhow::Result;
use clap::{Args, Subcommand};
use handback::domain::{DeviceEdit, DeviceFilter, DeviceInput};
use handback::i18n::{Lang, Text};
use handback::model::{DeviceDetail, Status};
use handback::render;
use handback::zone::Zone;

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Register a device (in stock)
    Add(AddArgs),
    /// Change a device's description (an empty value clears a field)
    Edit(EditArgs),
    /// List devices and who holds them
    List(ListArgs),
    /// A device's details, holder and history
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Serial number (spaces and case are ignored)
    serial: String,
    /// laptop, computer, tablet, phone, headset, monitor, dock, other (Swedish words too)
    #[arg(long)]
    kind: String,
    #[command(flatten)]
    details: Details,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
struct Details {
    /// Make, e.g. Dell, Apple, HP
    #[arg(long, value_name = "M")]
    make: Option<String>,
    /// Model, e.g. "Latitude 7440"
    #[arg(long, value_name = "M")]
    model: Option<String>,
    /// The organisation's own asset tag (inventarienummer), e.g. GK-2231
    #[arg(long, value_name = "T")]
    asset_tag: Option<String>,
    /// Purchase date, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    purchased: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Serial number or asset tag
    device: String,
    /// A new kind: laptop, computer, tablet, phone, headset, monitor, dock, other
    #[arg(long)]
    kind: Option<String>,
    #[command(flatten)]
    details: Details,
    #[command(flatten)]
    outcome: OutcomeArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// in_stock, handed_out, in_repair, to_recycle, recycled, lost, stolen
    #[arg(long, value_name = "S", value_parser = parse_status)]
    status: Option<Status>,
    /// Only devices of this kind (laptop, phone, Mobiltelefon, …)
    #[arg(long, value_name = "K")]
    kind: Option<String>,
    /// Only what this person holds: employee number, e-mail address or full name
    #[arg(long, value_name = "PERSON")]
    holder: Option<String>,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Serial number or asset tag
    device: String,
    /// How to print it: a table for people, JSON or CSV for scripts and spreadsheets
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn parse_status(word: &str) -> Result<Status, String> {
    Status::parse(word).ok_or_else(|| {
        let words: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        format!("unknown status; use one of {}", words.join(", "))
    })
}

pub fn run(ctx: &Context, command: DeviceCommand) -> Result<()> {
    match command {
        DeviceCommand::Add(args) => {
            let input = DeviceInput {
                serial: args.serial,
                kind: args.kind,
                make: args.details.make,
                model: args.details.model,
                asset_tag: args.details.asset_tag,
                purchased: date(args.details.purchased.as_deref())?,
            };
            let device = ctx.open()?.add_device(&input)?;
            output::done(format!(
                "Registered {} ({}), in stock",
                device.serial,
                device.description()
            ));
            args.outcome.print(&device)
        }
        DeviceCommand::Edit(args) => {
            let edit = DeviceEdit {
                kind: args.kind,
                make: text_edit(args.details.make),
                model: text_edit(args.details.model),
                asset_tag: text_edit(args.details.asset_tag),
                purchased: date_edit(args.details.purchased.as_deref())?,
            };
            let edited = ctx.open()?.edit_device(&args.device, &edit)?;
            let device = &edited.device;
            let fields = edited.changed.fields();
            if fields.is_empty() {
                output::note(format!("nothing changed for {}", device.serial));
            } else {
                output::done(format!(
                    "Changed {} of {}",
                    fields.join(", "),
                    device.serial
                ));
            }
            args.outcome.print(&edited)
        }
        DeviceCommand::List(args) => {
            let filter = DeviceFilter {
                status: args.status,
                kind: args.kind,
                holder: args.holder,
            };
            let register = ctx.open()?;
            let devices = register.device_list(&filter)?;
            output::listing(&devices, args.format, ctx.lang(), register.zone())
        }
        DeviceCommand::Show(args) => {
            let register = ctx.open()?;
            let detail = register.device_detail(&args.device)?;
            show(&detail, args.format, ctx.lang(), register.zone())
        }
    }
}

fn show(detail: &DeviceDetail, format: Format, lang: Lang, zone: Zone) -> Result<()> {
    match format {
        Format::Json => output::data(render::json(detail)?),
        Format::Csv => output::data(render::csv(
            std::slice::from_ref(&detail.device),
            b',',
            zone,
        )?),
        Format::Table => {
            let device = &detail.device;
            let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
            let since = zone.date_of(device.status_since);
            let mut text = render::key_values(&[
                (lang.text(Text::ColSerial), device.serial.clone()),
                (lang.text(Text::ColAssetTag), value(&device.asset_tag)),
                (lang.text(Text::ColKind), device.kind.clone()),
                (lang.text(Text::ColMakeModel), device.description()),
                (
                    lang.text(Text::Purchased),
                    device.purchased.map_or("–".into(), |d| d.to_string()),
                ),
                (
                    lang.text(Text::ColStatus),
                    lang.fill(
                        Text::StatusSince,
                        &[&lang.word(device.status.as_str()), &since.to_string()],
                    ),
                ),
                (
                    lang.text(Text::HeldBy),
                    detail.holder.as_ref().map_or("–".into(), |p| p.label()),
                ),
            ]);
            text.push_str(lang.text(Text::HistoryHeading));
            text.push('\n');
            text.push_str(&render::history::events(
                render::history::Of::Device,
                &detail.history,
                lang,
                zone,
            ));
            output::terminal(&text)
        }
    }
}

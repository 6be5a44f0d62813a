//! What the document commands share (`checklist`, `leave`, `transfer`, `receipt`, `return
//! --all-from`, `report`): `--format`, `--out`, and writing the result. Their language is
//! the global `--lang`.
//!
//! The default format is HTML, the document a manager prints and files, except on a
//! terminal without `--out`, where HTML is unreadable and a table is shown instead.

use super::output;
use anyhow::{Context as _, Result};
use clap::{Args, ValueEnum};
use handback::docs::{Checklist, InLang, Receipt};
use handback::i18n::Lang;
use handback::render::{self, html, markdown};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// A printable A4 document
    Html,
    /// Markdown, for a ticket or a wiki page
    Md,
    Csv,
    Json,
    /// For the terminal
    Table,
}

impl DocFormat {
    pub fn extension(self) -> &'static str {
        match self {
            DocFormat::Html => "html",
            DocFormat::Md => "md",
            DocFormat::Csv => "csv",
            DocFormat::Json => "json",
            DocFormat::Table => "txt",
        }
    }
}

#[derive(Debug, Args)]
pub struct DocArgs {
    /// [default: html; table on a terminal without --out]
    #[arg(long, value_enum)]
    pub format: Option<DocFormat>,
    /// Write the document to FILE instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn parse_lang(raw: &str) -> Result<Lang, String> {
    Lang::parse(raw)
        .ok_or_else(|| format!("{raw:?} is not a language handback writes: use sv or en"))
}

impl DocArgs {
    pub fn format(&self) -> DocFormat {
        self.format
            .unwrap_or_else(|| default_format(self.out.as_deref()))
    }

    /// Writes a rendered document to `--out` (saying where on stderr) or to stdout.
    pub fn emit(&self, bytes: impl AsRef<[u8]>, what: &str) -> Result<()> {
        match &self.out {
            Some(path) => write_file(path, bytes.as_ref(), what),
            None => output::data(bytes),
        }
    }
}

/// HTML, except a table on a terminal when nothing is written to a file.
pub fn default_format(out: Option<&Path>) -> DocFormat {
    if out.is_none() && std::io::stdout().is_terminal() {
        DocFormat::Table
    } else {
        DocFormat::Html
    }
}

pub fn write_file(path: &Path, bytes: &[u8], what: &str) -> Result<()> {
    handback::files::write(path, bytes).with_context(|| format!("could not write the {what}"))?;
    output::done(format!("Wrote the {what} to {}", path.display()));
    Ok(())
}

/// A document that renders in every [`DocFormat`].
pub trait Printable {
    /// "checklist", "receipt": how messages name it.
    const WHAT: &'static str;
    fn render(&self, format: DocFormat) -> Result<Vec<u8>>;
}

impl Printable for InLang<Checklist> {
    const WHAT: &'static str = "checklist";

    fn render(&self, format: DocFormat) -> Result<Vec<u8>> {
        Ok(match format {
            DocFormat::Html => html::checklist(self).into_bytes(),
            DocFormat::Md => markdown::checklist(self).into_bytes(),
            DocFormat::Json => render::json(self)?.into_bytes(),
            // The items, as `holdings --format csv` lists them.
            DocFormat::Csv => render::csv(&self.items, b',', self.header.zone)?,
            DocFormat::Table => {
                let lang = self.lang;
                let mut text = render::document_head(lang, self.title(), &self.header);
                text.push_str(&render::person_facts(lang, &self.person));
                if self.items.is_empty() {
                    text.push_str(lang.text(handback::i18n::Text::NothingOutstanding));
                    text.push('\n');
                } else {
                    text.push_str(&render::table(&self.items, lang, self.header.zone));
                }
                text.into_bytes()
            }
        })
    }
}

impl Printable for InLang<Receipt> {
    const WHAT: &'static str = "receipt";

    fn render(&self, format: DocFormat) -> Result<Vec<u8>> {
        Ok(match format {
            DocFormat::Html => html::receipt(self).into_bytes(),
            DocFormat::Md => markdown::receipt(self).into_bytes(),
            DocFormat::Json => render::json(self)?.into_bytes(),
            DocFormat::Csv => render::csv(&self.rows(), b',', self.header.zone)?,
            DocFormat::Table => {
                let lang = self.lang;
                let mut text = render::document_head(lang, self.title(), &self.header);
                text.push_str(&render::person_facts(lang, &self.person));
                text.push_str(&format!(
                    "{}: {}\n",
                    lang.text(handback::i18n::Text::ReceiptDate),
                    self.date
                ));
                if self.is_empty() {
                    text.push_str(&lang.fill(
                        handback::i18n::Text::NothingChangedHands,
                        &[&self.date.to_string()],
                    ));
                    text.push('\n');
                } else {
                    text.push_str(&render::table(&self.rows(), lang, self.header.zone));
                }
                text.into_bytes()
            }
        })
    }
}

/// Renders `doc` as `args` ask and writes it.
pub fn print<D: Printable>(doc: &D, args: &DocArgs) -> Result<()> {
    args.emit(doc.render(args.format())?, D::WHAT)
}

/// For a command that changes something and shows its document after its summary
/// (`transfer`, `return --all-from`): a table, wherever stdout goes, unless `--format` or
/// `--out` asks for the document.
pub fn print_after_change<D: Printable>(doc: &D, args: &DocArgs) -> Result<()> {
    let format = args.format.unwrap_or(match args.out {
        Some(_) => DocFormat::Html,
        None => DocFormat::Table,
    });
    args.emit(doc.render(format)?, D::WHAT)
}

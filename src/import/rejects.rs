//! The rejects file: the rows an import refused, written so they can be fixed and imported
//! again.
//!
//! It is written in the input's own encoding (with its byte-order mark, if it had one) and
//! delimiter, so the spreadsheet that made the list opens it the same way. The reason is in
//! an extra column, [`REJECTS_ERROR_HEADER`], placed FIRST: rows can be longer than the
//! header, and a first column always sits under its header. On import that column is
//! recognised and ignored. Cells are written with handback's CSV-injection guard
//! ([`guard_formula`]), which the reader undoes.

use crate::error::{Error, Result};
use crate::import::decode::FileEncoding;
use crate::import::values::guard_formula;
use encoding_rs::{CoderResult, Encoder, UTF_8, UTF_16BE, UTF_16LE};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The header of the error column (Swedish, like the lists the desk gets).
pub const REJECTS_ERROR_HEADER: &str = "Fel";

/// How text becomes bytes in the input's encoding.
enum Output {
    Utf8,
    Utf16 {
        big_endian: bool,
    },
    /// Any other encoding; characters it lacks become `&#NNNN;`.
    Other(Encoder),
}

/// Writes rejected rows: [`RejectsWriter::write`] each one, then [`RejectsWriter::finish`].
pub struct RejectsWriter<W: Write = BufWriter<File>> {
    out: W,
    path: PathBuf,
    output: Output,
    csv: csv::WriterBuilder,
    encoded: Vec<u8>,
    count: u64,
}

impl RejectsWriter<BufWriter<File>> {
    /// Creates (or replaces) the rejects file `path` and writes its header line.
    pub fn create(
        path: &Path,
        encoding: FileEncoding,
        delimiter: u8,
        headers: &[String],
    ) -> Result<Self> {
        let file = crate::files::create(path)?;
        RejectsWriter::new(BufWriter::new(file), path, encoding, delimiter, headers)
    }
}

impl<W: Write> RejectsWriter<W> {
    /// Writes to any sink; `path` names it in I/O errors.
    pub fn new(
        out: W,
        path: &Path,
        encoding: FileEncoding,
        delimiter: u8,
        headers: &[String],
    ) -> Result<Self> {
        let output = if encoding.encoding == UTF_8 {
            Output::Utf8
        } else if encoding.encoding == UTF_16LE || encoding.encoding == UTF_16BE {
            Output::Utf16 {
                big_endian: encoding.encoding == UTF_16BE,
            }
        } else {
            Output::Other(encoding.encoding.new_encoder())
        };
        let mut writer = RejectsWriter {
            out,
            path: path.to_path_buf(),
            output,
            csv: {
                let mut builder = csv::WriterBuilder::new();
                builder
                    .delimiter(delimiter)
                    .flexible(true)
                    .terminator(csv::Terminator::CRLF);
                builder
            },
            encoded: Vec::new(),
            count: 0,
        };
        if encoding.bom {
            writer.emit("\u{feff}", false)?;
        }
        writer.record(REJECTS_ERROR_HEADER, headers.iter().map(String::as_str))?;
        Ok(writer)
    }

    /// Writes one refused row: its raw cells as read, and why it was refused.
    pub fn write<'a>(
        &mut self,
        raw: impl IntoIterator<Item = &'a str>,
        error: &'a str,
    ) -> Result<()> {
        self.record(error, raw)?;
        self.count += 1;
        Ok(())
    }

    /// Rows written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Flushes everything and returns the sink.
    pub fn finish(mut self) -> Result<W> {
        self.emit("", true)?;
        self.out.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.out)
    }

    fn record<'a>(
        &mut self,
        first: &'a str,
        cells: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        let mut record = vec![guard_formula(first)];
        record.extend(cells.into_iter().map(guard_formula));
        // One small writer per record: rejects are few, and it yields whole records.
        let mut writer = self.csv.from_writer(Vec::new());
        let io = |e: std::io::Error| Error::io(&self.path, e);
        writer
            .write_record(record.iter().map(|c| c.as_bytes()))
            .map_err(|e| io(std::io::Error::other(e)))?;
        let bytes = writer.into_inner().map_err(|e| io(e.into_error()))?;
        // The csv writer only ever saw `&str` cells, so this is UTF-8.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        self.emit(&text, false)
    }

    /// Encodes `text` and writes it; `last` flushes a stateful encoder.
    fn emit(&mut self, text: &str, last: bool) -> Result<()> {
        self.encoded.clear();
        match &mut self.output {
            Output::Utf8 => self.encoded.extend_from_slice(text.as_bytes()),
            Output::Utf16 { big_endian } => {
                for unit in text.encode_utf16() {
                    let bytes = if *big_endian {
                        unit.to_be_bytes()
                    } else {
                        unit.to_le_bytes()
                    };
                    self.encoded.extend_from_slice(&bytes);
                }
            }
            Output::Other(encoder) => {
                let mut rest = text;
                let mut buffer = [0u8; 4096];
                loop {
                    let (result, read, written, _) =
                        encoder.encode_from_utf8(rest, &mut buffer, last);
                    self.encoded.extend_from_slice(&buffer[..written]);
                    rest = &rest[read..];
                    if result == CoderResult::InputEmpty {
                        break;
                    }
                }
            }
        }
        self.out
            .write_all(&self.encoded)
            .map_err(|e| Error::io(&self.path, e))
    }
}

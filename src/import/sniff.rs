//! Which delimiter a file uses, and a check of the whole text for what makes it unusable.
//!
//! Lists arrive with `;` (Excel with Swedish settings), `,` (Snipe-IT, most English tools),
//! tab (copied from a spreadsheet) or `|`. The delimiter is guessed from the header line and
//! the records after it, ignoring delimiters inside quotes.
//!
//! [`Checked`] looks at the text on its way to the `csv` reader: a NUL, an unclosed quote or
//! an absurdly long record ends the reading with an error that refuses the file whole (the
//! import rolls back whatever rows came before). Checked on the way, the file is read once,
//! on the import's reading thread, and no record can grow past [`MAX_RECORD_BYTES`] in
//! memory. It mirrors the `csv` crate's quoting rules: a quote opens a quoted field only at
//! the start of a field, `""` inside one is a quote, and line breaks inside one belong to the
//! value.

use crate::error::{Error, Result};
use crate::validate::shorten;
use std::io::{self, Read};
use std::path::Path;

/// The delimiters sniffing chooses among, in the order that breaks ties.
pub const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// No list of people or devices has a record this long; one this long is an unbalanced quote
/// or not a list. The cap also bounds the memory one row can take.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// How much decoded text the delimiter is sniffed from.
const SAMPLE_BYTES: usize = 64 * 1024;
/// Records after the header that sniffing looks at.
const SAMPLE_RECORDS: usize = 20;

/// Parses `--delimiter`: `;`, `,`, `|`, a tab character, or the words `tab`, `\t`,
/// `semicolon`, `comma`, `pipe`.
pub fn parse_delimiter(raw: &str) -> Result<u8> {
    let delimiter = match raw {
        "\t" => Some(b'\t'),
        _ => match raw.trim().to_lowercase().as_str() {
            ";" | "semicolon" => Some(b';'),
            "," | "comma" => Some(b','),
            "|" | "pipe" => Some(b'|'),
            "tab" | "\\t" => Some(b'\t'),
            _ => None,
        },
    };
    delimiter.ok_or_else(|| {
        Error::invalid(format!(
            "{:?} is not a delimiter handback reads: use ';', ',', '|' or 'tab'",
            shorten(raw)
        ))
    })
}

/// Guesses the delimiter from the start of a file's decoded text. For each candidate it
/// counts delimiters outside quotes per record: the winner is the one whose header count is
/// repeated by the most records, then the one with more columns. A file whose header has
/// none of them is one column wide, and `;` is as good as any.
pub fn sniff_delimiter(sample: &str, complete: bool) -> u8 {
    let mut records = split_records(sample);
    if !complete && records.len() > 1 {
        records.pop(); // probably cut in the middle
    }
    let mut best: Option<((usize, usize), u8)> = None;
    for delimiter in DELIMITERS {
        let mut counts = records
            .iter()
            .filter(|r| !r.trim().is_empty())
            .take(SAMPLE_RECORDS + 1)
            .map(|r| count_outside_quotes(r, delimiter));
        let Some(header) = counts.next() else { break };
        if header == 0 {
            continue;
        }
        let agreeing = counts.filter(|&c| c == header).count();
        let score = (agreeing, header);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, delimiter));
        }
    }
    best.map_or(b';', |(_, delimiter)| delimiter)
}

/// Splits text into records at line breaks outside quotes (any quote toggles, which is
/// close enough for sniffing).
fn split_records(text: &str) -> Vec<&str> {
    let mut records = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                records.push(text[start..i].trim_end_matches('\r'));
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < text.len() {
        records.push(&text[start..]);
    }
    records
}

fn count_outside_quotes(record: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    record
        .bytes()
        .filter(|&b| {
            if b == b'"' {
                in_quotes = !in_quotes;
            }
            b == delimiter && !in_quotes
        })
        .count()
}

/// The csv crate's states, as far as quoting is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// What the scan of a whole file found.
/// Reads the start of the decoded text: refuses an empty or binary file, and settles the
/// delimiter (`forced` wins).
pub(crate) fn sniff(text: impl Read, path: &Path, forced: Option<u8>) -> Result<u8> {
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    text.take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(|e| Error::io(path, e))?;
    let complete = sample.len() < SAMPLE_BYTES;
    let sample_text = String::from_utf8_lossy(&sample);
    let file = path.display();
    if sample_text.trim().is_empty() {
        return Err(refuse(
            format!("{file} is empty: there is nothing to import"),
            "Export the list again, with its header line and at least one row.",
        ));
    }
    if looks_binary(&sample_text) {
        return Err(refuse(
            format!("{file} is not a text file (it holds binary data), so it cannot be a list"),
            "Save the list as CSV (\"CSV UTF-8\" or \"CSV\" in Excel) and import that file; \
             a UTF-16 file without a byte-order mark needs --encoding utf-16le.",
        ));
    }
    Ok(forced.unwrap_or_else(|| sniff_delimiter(&sample_text, complete)))
}

/// The decoded text of a list on its way to the `csv` reader, checked as it passes: see the
/// module documentation. A problem is an `io::Error` carrying a [`Problem`], which
/// [`refusal`] turns into the file's refusal.
pub(crate) struct Checked<R> {
    text: R,
    machine: Machine,
    finished: bool,
}

impl<R: Read> Checked<R> {
    pub(crate) fn new(text: R, delimiter: u8) -> Self {
        Checked {
            text,
            machine: Machine::new(delimiter),
            finished: false,
        }
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let got = self.text.read(buf)?;
        let checked = if got > 0 {
            self.machine.feed(&buf[..got])
        } else if !self.finished {
            self.finished = true;
            self.machine.finish()
        } else {
            Ok(())
        };
        checked.map_err(|problem| io::Error::new(io::ErrorKind::InvalidData, problem))?;
        Ok(got)
    }
}

/// The refusal of `path` if `error` is a problem [`Checked`] found.
pub(crate) fn refusal(error: &io::Error, path: &Path) -> Option<Error> {
    let problem = error.get_ref()?.downcast_ref::<Problem>()?;
    Some(problem.refusal(&path.display()))
}

/// NUL characters, or more than one character in ten a control character or U+FFFD (what
/// Windows-1252 and a failed decode make of binary data).
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut odd = 0usize;
    for c in text.chars() {
        if c == '\0' {
            return true;
        }
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\x0c')) || c == '\u{fffd}' {
            odd += 1;
        }
    }
    odd * 10 > total
}

fn refuse(summary: String, details: &str) -> Error {
    Error::InvalidFile {
        summary,
        details: details.to_string(),
    }
}

/// A problem the check of the text found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
enum Problem {
    #[error("a NUL byte at line {line}")]
    Nul { line: u64 },
    #[error("a quote opened at line {line} is never closed")]
    UnclosedQuote { line: u64 },
    #[error("the record at line {line} is too long")]
    TooLong { line: u64 },
}

impl Problem {
    fn refusal(&self, file: &impl std::fmt::Display) -> Error {
        match *self {
            Problem::Nul { line } => refuse(
                format!(
                    "{file}:{line}: the file holds binary data (a NUL byte), so it cannot be a list"
                ),
                "Save the list as CSV and import that file; a UTF-16 file without a byte-order \
                 mark needs --encoding utf-16le.",
            ),
            Problem::UnclosedQuote { line } => refuse(
                format!("{file}:{line}: a quoted field starts here and is never closed"),
                "Add the missing \" (a quote inside a quoted value is written \"\"), then import again.",
            ),
            Problem::TooLong { line } => refuse(
                format!(
                    "{file}:{line}: the row starting here is longer than {} KiB, which no list row is",
                    MAX_RECORD_BYTES / 1024
                ),
                "Look for an unbalanced quote near that line.",
            ),
        }
    }
}

/// The quoting state machine, fed decoded UTF-8 bytes in chunks.
struct Machine {
    delimiter: u8,
    state: State,
    line: u64,
    record_line: u64,
    quote_line: u64,
    record_bytes: usize,
}

impl Machine {
    fn new(delimiter: u8) -> Self {
        Machine {
            delimiter,
            state: State::StartRecord,
            line: 1,
            record_line: 1,
            quote_line: 1,
            record_bytes: 0,
        }
    }

    /// Takes the text a stretch at a time rather than a byte at a time: quotes are rare, and
    /// until the next one (or a NUL) only the line breaks matter.
    fn feed(&mut self, bytes: &[u8]) -> Result<(), Problem> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let taken = match self.state {
                State::QuoteInQuoted => 0,
                State::InQuoted => {
                    let stretch = &rest[..memchr::memchr2(b'"', 0, rest).unwrap_or(rest.len())];
                    self.line += memchr::memchr_iter(b'\n', stretch).count() as u64;
                    self.count(stretch.len())?;
                    stretch.len()
                }
                State::StartRecord | State::StartField | State::InField => {
                    let stretch = &rest[..memchr::memchr2(b'"', 0, rest).unwrap_or(rest.len())];
                    self.unquoted(stretch)?;
                    stretch.len()
                }
            };
            let Some((&b, after)) = rest[taken..].split_first() else {
                break;
            };
            self.step(b)?;
            self.count(1)?;
            rest = after;
        }
        Ok(())
    }

    /// Text outside quotes with no quote or NUL in it, line by line.
    fn unquoted(&mut self, text: &[u8]) -> Result<(), Problem> {
        let mut start = 0;
        for line_break in memchr::memchr_iter(b'\n', text) {
            self.unquoted_line(&text[start..line_break])?;
            self.step(b'\n')?;
            self.count(1)?;
            start = line_break + 1;
        }
        self.unquoted_line(&text[start..])
    }

    /// Part of a line outside quotes, with no line break, quote or NUL in it: all that
    /// matters is whether it starts a record and whether it ends in a delimiter.
    fn unquoted_line(&mut self, part: &[u8]) -> Result<(), Problem> {
        let Some(&last) = part.last() else {
            return Ok(());
        };
        if self.state == State::StartRecord {
            self.record_line = self.line;
            self.record_bytes = 0;
        }
        self.count(part.len())?;
        self.state = if last == self.delimiter {
            State::StartField
        } else {
            State::InField
        };
        Ok(())
    }

    fn step(&mut self, b: u8) -> Result<(), Problem> {
        if b == 0 {
            return Err(Problem::Nul { line: self.line });
        }
        // Only `\n` ends a record, as the reader configures csv; a `\r` before it is an
        // ordinary byte of the last field.
        let newline = b == b'\n';
        self.state = match self.state {
            State::StartRecord if newline => State::StartRecord,
            State::StartRecord | State::StartField => {
                if self.state == State::StartRecord {
                    self.record_line = self.line;
                    self.record_bytes = 0;
                }
                if b == b'"' {
                    self.quote_line = self.line;
                    State::InQuoted
                } else if b == self.delimiter {
                    State::StartField
                } else if newline {
                    State::StartRecord
                } else {
                    State::InField
                }
            }
            State::InField | State::QuoteInQuoted if b == self.delimiter => State::StartField,
            State::InField | State::QuoteInQuoted if newline => State::StartRecord,
            State::QuoteInQuoted if b == b'"' => State::InQuoted,
            State::InField | State::QuoteInQuoted => State::InField,
            State::InQuoted if b == b'"' => State::QuoteInQuoted,
            State::InQuoted => State::InQuoted,
        };
        if newline {
            self.line += 1;
        }
        Ok(())
    }

    /// Counts `bytes` more of the current record.
    fn count(&mut self, bytes: usize) -> Result<(), Problem> {
        self.record_bytes += bytes;
        if self.record_bytes > MAX_RECORD_BYTES {
            return Err(Problem::TooLong {
                line: self.record_line,
            });
        }
        Ok(())
    }

    fn finish(&self) -> Result<(), Problem> {
        if self.state == State::InQuoted {
            return Err(Problem::UnclosedQuote {
                line: self.quote_line,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Serienr;Namn\nA1;Åsa\nB2;Per\n", b';')]
    #[case("serial,name\nA1,Åsa\n", b',')]
    #[case("serial\tname\nA1\tÅsa\n", b'\t')]
    #[case("serial|name\nA1|Åsa\n", b'|')]
    // Commas inside the values do not fool it.
    #[case("Namn;Modell\nÅsa;\"WD19S, 130W\"\nPer;HP, Elite\n", b';')]
    // Delimiters inside quotes in the header do not count.
    #[case("\"Modell; typ\",Serienr,Namn\nx,y,z\n", b',')]
    // The one that agrees with the data rows wins over the one with more in the header.
    #[case("Namn;Anteckning, kort,lång\nÅsa;x\nPer;y\n", b';')]
    // One column: any delimiter will do.
    #[case("Serienummer\nA1\nB2\n", b';')]
    // A bare-delimiter row at the end agrees too.
    #[case("a;b;c\n1;2;3\n;;\n", b';')]
    #[case("a,b\r\n1,2\r\n", b',')]
    fn delimiters_are_sniffed(#[case] text: &str, #[case] expected: u8) {
        assert_eq!(sniff_delimiter(text, true) as char, expected as char);
    }

    #[rstest]
    #[case(";", b';')]
    #[case(",", b',')]
    #[case("|", b'|')]
    #[case("\t", b'\t')]
    #[case("tab", b'\t')]
    #[case("TAB", b'\t')]
    #[case("\\t", b'\t')]
    #[case("semicolon", b';')]
    fn delimiter_options(#[case] raw: &str, #[case] expected: u8) {
        assert_eq!(parse_delimiter(raw).unwrap(), expected);
    }

    #[rstest]
    #[case("")]
    #[case(":")]
    #[case(";;")]
    #[case("space")]
    fn bad_delimiter_options_are_invalid_input(#[case] raw: &str) {
        assert_eq!(parse_delimiter(raw).unwrap_err().exit_code(), 65);
    }

    /// Feeds `bytes` in the given pieces; the verdict, then the state it ends in.
    fn fed(bytes: &[u8], pieces: &[usize]) -> (Result<(), Problem>, u64, u64) {
        let mut machine = Machine::new(b';');
        let mut rest = bytes;
        let verdict = pieces
            .iter()
            .chain(std::iter::once(&usize::MAX))
            .try_for_each(|&piece| {
                let (now, later) = rest.split_at(piece.min(rest.len()));
                rest = later;
                machine.feed(now)
            })
            .and_then(|()| machine.finish());
        (verdict, machine.line, machine.record_line)
    }

    /// Every byte through [`Machine::step`]: what the stretches must add up to.
    fn stepped(bytes: &[u8]) -> (Result<(), Problem>, u64, u64) {
        let mut machine = Machine::new(b';');
        let verdict = bytes
            .iter()
            .try_for_each(|&b| {
                machine.step(b)?;
                machine.count(1)
            })
            .and_then(|()| machine.finish());
        (verdict, machine.line, machine.record_line)
    }

    proptest::proptest! {
        /// Taking the text a stretch at a time finds what stepping through every byte
        /// finds, wherever the reads happen to split the text.
        #[test]
        fn stretches_find_what_stepping_finds(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"ab;;\"\n\n\r \0".to_vec()), 0..300),
            pieces in proptest::collection::vec(0usize..40, 0..10),
        ) {
            proptest::prop_assert_eq!(fed(&bytes, &pieces), stepped(&bytes));
        }
    }

    #[test]
    fn a_record_too_long_is_found_across_reads() {
        let mut text = b"a;b\n1;".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES));
        let (verdict, _, _) = fed(&text, &[5, 1000, 70_000]);
        assert_eq!(verdict, Err(Problem::TooLong { line: 2 }));
        // Also inside quotes.
        let mut quoted = b"a;b\n1;\"".to_vec();
        quoted.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES));
        assert_eq!(fed(&quoted, &[3]).0, Err(Problem::TooLong { line: 2 }));
        text.truncate(MAX_RECORD_BYTES - 10);
        assert_eq!(fed(&text, &[5, 1000]).0, Ok(()));
    }

    /// What an import does with a text: sniffs its start, then reads it all through
    /// [`Checked`].
    fn scan_text(text: &str) -> Result<u8> {
        let path = Path::new("list.csv");
        let delimiter = sniff(text.as_bytes(), path, None)?;
        let mut checked = Checked::new(text.as_bytes(), delimiter);
        io::copy(&mut checked, &mut io::sink())
            .map_err(|e| refusal(&e, path).unwrap_or_else(|| Error::io(path, e)))?;
        Ok(delimiter)
    }

    #[rstest]
    #[case("a;b\n1;\"2\n3\";4\n")]
    #[case("a;b\n1;\"say \"\"hi\"\"\"\n")]
    #[case("a;b\n1;x\"y\n")] // a quote in the middle of a field is a character
    #[case("a;b\n1;\"x\"y\n")] // text after a closing quote is kept by csv too
    fn well_formed_quoting_passes(#[case] text: &str) {
        assert!(scan_text(text).is_ok(), "{text:?}");
    }

    #[rstest]
    #[case("a;b\n1;2\n3;\"4\n5;6\n", 3)]
    #[case("a;b\n\"1;2\n", 2)]
    #[case("\"a;b\n1;2\n", 1)]
    #[case("a;b\n1;\"x\"\"\n", 2)]
    fn an_unclosed_quote_names_its_line(#[case] text: &str, #[case] line: u64) {
        let err = scan_text(text).unwrap_err();
        assert_eq!(err.exit_code(), 65);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("list.csv:{line}: a quoted field")),
            "{message}"
        );
    }

    #[rstest]
    #[case("", "is empty")]
    #[case(" \r\n\n", "is empty")]
    #[case("a;b\n\0\0\0", "binary")]
    #[case("\u{1}\u{2}\u{3}\u{4}abcdef", "binary")]
    fn unusable_files_are_refused_in_one_sentence(#[case] text: &str, #[case] words: &str) {
        let err = scan_text(text).unwrap_err();
        let summary = err.to_string();
        let first_line = summary.lines().next().unwrap_or_default();
        assert!(first_line.contains(words), "{summary}");
    }

    #[test]
    fn a_nul_far_into_the_file_is_found() {
        let mut text = "a;b\n".to_string();
        text.push_str(&"1;2\n".repeat(50_000));
        text.push('\0');
        let err = scan_text(&text).unwrap_err();
        assert!(err.to_string().contains(":50002:"), "{err}");
    }

    #[test]
    fn an_absurdly_long_record_is_refused() {
        let text = format!("a;b\n1;\"{}\"\n", "x".repeat(MAX_RECORD_BYTES + 10));
        let err = scan_text(&text).unwrap_err();
        assert!(err.to_string().contains("list.csv:2: the row"), "{err}");
    }

    #[test]
    fn the_forced_delimiter_wins() {
        let found = sniff("a,b;c\n1,2;3\n".as_bytes(), Path::new("x"), Some(b'|')).unwrap();
        assert_eq!(found, b'|');
    }
}

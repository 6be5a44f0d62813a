//! Which encoding a file is in, and a streaming decoder to UTF-8.
//!
//! A byte-order mark decides (UTF-8, UTF-16 LE/BE). Without one, a file that is valid UTF-8
//! is read as UTF-8 and anything else as Windows-1252, which is what Excel's plain "CSV"
//! writes with Swedish settings. The UTF-8 check is one pass over the bytes in fixed-size
//! chunks; decoding is a [`Read`] adapter, so a 100 MB list never sits in memory whole.

use crate::error::{Error, Result};
use encoding_rs::{CoderResult, Decoder, Encoding, UTF_8, WINDOWS_1252};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Chunk size of every pass over a file.
const CHUNK: usize = 64 * 1024;

/// The encoding a file was read in, remembered so rejected rows can be written back in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileEncoding {
    pub encoding: &'static Encoding,
    /// The file began with the encoding's byte-order mark.
    pub bom: bool,
}

impl FileEncoding {
    /// The WHATWG name, e.g. `UTF-8`, `windows-1252`, `UTF-16LE`.
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }
}

/// Parses `--encoding NAME`: any label encoding_rs knows (`utf-8`, `windows-1252`, `latin1`,
/// `iso-8859-1`, `utf-16le`, …), case and surrounding spaces ignored.
pub fn parse_encoding(label: &str) -> Result<&'static Encoding> {
    let encoding = Encoding::for_label_no_replacement(label.trim().as_bytes());
    encoding.ok_or_else(|| {
        Error::invalid(format!(
            "{:?} is not an encoding handback knows: try utf-8, windows-1252 or utf-16le",
            crate::validate::shorten(label)
        ))
    })
}

/// Decides the encoding of `source` and leaves it positioned at the first byte after the
/// byte-order mark (if any). `forced` (`--encoding`) wins; a byte-order mark of that same
/// encoding is still skipped. The flag says the file is mixed: UTF-8 with some lines that
/// are not (one pasted from a Windows-1252 file), to be read line by line
/// ([`DecodingReader::mixed`]).
pub(crate) fn detect<R: Read + Seek>(
    source: &mut R,
    path: &Path,
    forced: Option<&'static Encoding>,
) -> Result<(FileEncoding, u64, bool)> {
    let mut mixed = false;
    let io_err = |e| Error::io(path, e);
    source.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut head = [0u8; 3];
    let got = read_up_to(source, &mut head).map_err(io_err)?;
    let bom = Encoding::for_bom(&head[..got]);
    let (file_encoding, skip) = match (forced, bom) {
        (Some(forced), Some((bom_encoding, length))) if forced == bom_encoding => (
            FileEncoding {
                encoding: forced,
                bom: true,
            },
            length,
        ),
        (Some(forced), _) => (
            FileEncoding {
                encoding: forced,
                bom: false,
            },
            0,
        ),
        (None, Some((encoding, length))) => (
            FileEncoding {
                encoding,
                bom: true,
            },
            length,
        ),
        (None, None) => {
            source.seek(SeekFrom::Start(0)).map_err(io_err)?;
            let encoding = if is_utf8(source).map_err(io_err)? {
                UTF_8
            } else {
                source.seek(SeekFrom::Start(0)).map_err(io_err)?;
                mixed = has_utf8_line(source).map_err(io_err)?;
                if mixed { UTF_8 } else { WINDOWS_1252 }
            };
            (
                FileEncoding {
                    encoding,
                    bom: false,
                },
                0,
            )
        }
    };
    let start = skip as u64;
    source.seek(SeekFrom::Start(start)).map_err(io_err)?;
    Ok((file_encoding, start, mixed))
}

/// Whether a file that is not valid UTF-8 as a whole has a line that is UTF-8 beyond
/// ASCII: then it is a UTF-8 file with some lines in another encoding, not a Windows-1252
/// file (whose å, ä and ö are never valid UTF-8 sequences in practice).
fn has_utf8_line(source: &mut impl Read) -> io::Result<bool> {
    let mut lines = BufReader::with_capacity(CHUNK, source);
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line)? == 0 {
            return Ok(false);
        }
        if !line.is_ascii() && std::str::from_utf8(&line).is_ok() {
            return Ok(true);
        }
    }
}

/// Fills `buf` as far as the source allows; short only at end of file.
fn read_up_to(source: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Whether the rest of `source` is valid UTF-8, read chunk by chunk. A sequence cut by a
/// chunk boundary is carried over to the next chunk.
fn is_utf8(source: &mut impl Read) -> io::Result<bool> {
    let mut buf = vec![0u8; CHUNK + 4];
    let mut carried = 0;
    loop {
        let got = read_up_to(source, &mut buf[carried..CHUNK + carried])?;
        let end = carried + got;
        if got == 0 {
            return Ok(carried == 0);
        }
        match std::str::from_utf8(&buf[..end]) {
            Ok(_) => carried = 0,
            // Incomplete sequence at the end of the chunk: keep its (at most 3) bytes.
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..end, 0);
                carried = end - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Decodes a byte stream to UTF-8 as it is read. Malformed input becomes U+FFFD, never an
/// error: a wrongly guessed encoding shows up as odd characters in values, not a crash.
pub(crate) struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
    /// Set for a mixed file: read line by line instead.
    mixed: Option<Mixed>,
}

/// A mixed file's state: each line is UTF-8 if it is valid UTF-8, else Windows-1252, and
/// the numbers of the lines read as Windows-1252 are kept for the summary.
struct Mixed {
    pending: Vec<u8>,
    out: Vec<u8>,
    out_at: usize,
    line: u64,
    eof: bool,
    redecoded: Arc<Mutex<Vec<u64>>>,
}

impl Mixed {
    fn emit(&mut self, line: &[u8]) {
        self.line += 1;
        if std::str::from_utf8(line).is_ok() {
            self.out.extend_from_slice(line);
        } else {
            if let Ok(mut lines) = self.redecoded.lock() {
                lines.push(self.line);
            }
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(line);
            self.out.extend_from_slice(text.as_bytes());
        }
    }
}

impl<R: Read> DecodingReader<R> {
    /// A reader of a mixed file (see [`detect`]), which writes the line numbers it read as
    /// Windows-1252 into `redecoded`.
    pub(crate) fn mixed(inner: R, redecoded: Arc<Mutex<Vec<u64>>>) -> Self {
        let mut reader = DecodingReader::new(inner, UTF_8);
        reader.mixed = Some(Mixed {
            pending: Vec::new(),
            out: Vec::new(),
            out_at: 0,
            line: 0,
            eof: false,
            redecoded,
        });
        reader
    }

    fn read_mixed(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(m) = self.mixed.as_mut() else {
            return Ok(0);
        };
        loop {
            if m.out_at < m.out.len() {
                let n = buf.len().min(m.out.len() - m.out_at);
                buf[..n].copy_from_slice(&m.out[m.out_at..m.out_at + n]);
                m.out_at += n;
                return Ok(n);
            }
            if m.eof || buf.is_empty() {
                return Ok(0);
            }
            m.out.clear();
            m.out_at = 0;
            let got = read_up_to(&mut self.inner, &mut self.input)?;
            if got == 0 {
                m.eof = true;
                let rest = std::mem::take(&mut m.pending);
                if !rest.is_empty() {
                    m.emit(&rest);
                }
                continue;
            }
            let mut chunk = &self.input[..got];
            while let Some(at) = memchr::memchr(b'\n', chunk) {
                m.pending.extend_from_slice(&chunk[..=at]);
                let line = std::mem::take(&mut m.pending);
                m.emit(&line);
                m.pending = line;
                m.pending.clear();
                chunk = &chunk[at + 1..];
            }
            m.pending.extend_from_slice(chunk);
        }
    }
    /// `inner` must be positioned after any byte-order mark; none is looked for here.
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            output: vec![0; CHUNK],
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
            mixed: None,
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.mixed.is_some() {
            return self.read_mixed(buf);
        }
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = read_up_to(&mut self.inner, &mut self.input)?;
                self.eof = self.in_end == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && self.in_start == self.in_end && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};
    use rstest::rstest;
    use std::io::Cursor;

    fn decode_all(bytes: &[u8], forced: Option<&'static Encoding>) -> (FileEncoding, String) {
        let mut source = Cursor::new(bytes.to_vec());
        let (encoding, _, mixed) = detect(&mut source, Path::new("test.csv"), forced).unwrap();
        assert!(!mixed);
        let mut text = String::new();
        DecodingReader::new(source, encoding.encoding)
            .read_to_string(&mut text)
            .unwrap();
        (encoding, text)
    }

    #[rstest]
    #[case(b"\xEF\xBB\xBFNamn;\xC3\x85sa".to_vec(), "UTF-8", true)]
    #[case(b"Namn;\xC3\x85sa".to_vec(), "UTF-8", false)]
    #[case(b"Namn;\xC5sa".to_vec(), "windows-1252", false)]
    #[case(b"\xFF\xFEN\0a\0m\0n\0;\0\xC5\0s\0a\0".to_vec(), "UTF-16LE", true)]
    #[case(b"\xFE\xFF\0N\0a\0m\0n\0;\0\xC5\0s\0a".to_vec(), "UTF-16BE", true)]
    fn the_byte_order_mark_then_utf8_validity_decide(
        #[case] bytes: Vec<u8>,
        #[case] name: &str,
        #[case] bom: bool,
    ) {
        let (encoding, text) = decode_all(&bytes, None);
        assert_eq!(encoding.name(), name);
        assert_eq!(encoding.bom, bom);
        assert_eq!(text, "Namn;Åsa");
    }

    #[test]
    fn an_override_wins_over_detection() {
        // Valid UTF-8, but the user says Windows-1252: "Ã…" is what they asked for.
        let (encoding, text) = decode_all(b"\xC3\x85", Some(WINDOWS_1252));
        assert_eq!(encoding.encoding, WINDOWS_1252);
        assert_eq!(text, "Ã\u{2026}");
        // A byte-order mark of the forced encoding is still skipped.
        let (encoding, text) = decode_all(b"\xFF\xFEa\0", Some(UTF_16LE));
        assert!(encoding.bom);
        assert_eq!(text, "a");
        let (_, text) = decode_all(b"\0a", Some(UTF_16BE));
        assert_eq!(text, "a");
    }

    #[test]
    fn a_sequence_cut_by_a_chunk_boundary_is_still_utf8() {
        let mut bytes = vec![b'a'; CHUNK - 1];
        bytes.extend("åäö".repeat(10).as_bytes());
        let (encoding, text) = decode_all(&bytes, None);
        assert_eq!(encoding.encoding, UTF_8);
        assert!(text.ends_with("åäöåäö"));
        // A truncated sequence at the very end is not UTF-8.
        let (encoding, _) = decode_all(b"abc\xC3", None);
        assert_eq!(encoding.encoding, WINDOWS_1252);
    }

    #[test]
    fn long_windows_1252_files_decode_across_chunks() {
        let line = b"\xC5sa Wikstr\xF6m;FF-0092\r\n";
        let bytes: Vec<u8> = line
            .iter()
            .copied()
            .cycle()
            .take(line.len() * 20_000)
            .collect();
        let (_, text) = decode_all(&bytes, None);
        assert_eq!(text.lines().count(), 20_000);
        assert!(text.lines().all(|l| l == "Åsa Wikström;FF-0092"));
    }

    #[test]
    fn a_utf8_file_with_a_windows_1252_line_is_read_line_by_line() {
        let mut bytes = "Namn;Enhet\nBörje Öst;Gatukontoret\n".as_bytes().to_vec();
        bytes.extend(b"\xC5sa Wikstr\xF6m;Fritid\r\nPer;IT");
        let mut source = Cursor::new(bytes);
        let (encoding, start, mixed) = detect(&mut source, Path::new("x.csv"), None).unwrap();
        assert!(mixed);
        assert_eq!(encoding.encoding, UTF_8);
        assert_eq!(start, 0);
        let lines = Arc::new(Mutex::new(Vec::new()));
        let mut text = String::new();
        DecodingReader::mixed(source, Arc::clone(&lines))
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(
            text,
            "Namn;Enhet\nBörje Öst;Gatukontoret\nÅsa Wikström;Fritid\r\nPer;IT"
        );
        assert_eq!(*lines.lock().unwrap(), vec![3]);
    }

    #[test]
    fn a_windows_1252_file_is_not_mixed() {
        let mut source = Cursor::new(b"Namn\n\xC5sa\nPer\n\xD6st\n".to_vec());
        let (encoding, _, mixed) = detect(&mut source, Path::new("x.csv"), None).unwrap();
        assert!(!mixed);
        assert_eq!(encoding.encoding, WINDOWS_1252);
    }

    #[rstest]
    #[case("utf-8", "UTF-8")]
    #[case(" Windows-1252 ", "windows-1252")]
    #[case("latin1", "windows-1252")]
    #[case("iso-8859-1", "windows-1252")]
    #[case("UTF-16LE", "UTF-16LE")]
    fn encoding_labels(#[case] label: &str, #[case] name: &str) {
        assert_eq!(parse_encoding(label).unwrap().name(), name);
    }

    #[rstest]
    #[case("klingon")]
    #[case("")]
    #[case("replacement")]
    fn unknown_encodings_are_invalid_input(#[case] label: &str) {
        assert_eq!(parse_encoding(label).unwrap_err().exit_code(), 65);
    }
}

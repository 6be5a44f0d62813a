//! Writing long listings row by row: CSV (optionally as Excel's Swedish "CSV UTF-8") or a
//! JSON array, without holding the rows in memory.

use super::{Record, View, neutralise};
use crate::zone::Zone;
use serde::Serialize;
use std::io::Write;

/// The shape of a streamed listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    Json,
    /// `excel`: a UTF-8 byte-order mark and `;`, which Excel with Swedish settings opens
    /// straight into columns with å, ä and ö intact.
    Csv {
        excel: bool,
    },
}

pub struct RowStream<W: Write> {
    csv: Option<csv::Writer<W>>,
    json: Option<W>,
    rows: u64,
    /// The zone of the local days in CSV cells.
    zone: Zone,
}

impl<W: Write> RowStream<W> {
    /// Starts the listing: writes the CSV header (and byte-order mark) or the opening `[`.
    pub fn start<R: Record>(mut out: W, format: StreamFormat, zone: Zone) -> std::io::Result<Self> {
        match format {
            StreamFormat::Json => {
                out.write_all(b"[")?;
                Ok(RowStream {
                    csv: None,
                    json: Some(out),
                    rows: 0,
                    zone,
                })
            }
            StreamFormat::Csv { excel } => {
                if excel {
                    out.write_all("\u{feff}".as_bytes())?;
                }
                let mut writer = csv::WriterBuilder::new()
                    .delimiter(if excel { b';' } else { b',' })
                    .from_writer(out);
                writer.write_record(R::headers())?;
                Ok(RowStream {
                    csv: Some(writer),
                    json: None,
                    rows: 0,
                    zone,
                })
            }
        }
    }

    pub fn row<R: Record + Serialize>(&mut self, row: &R) -> std::io::Result<()> {
        if let Some(writer) = &mut self.csv {
            let cells = row.cells(View {
                lang: None,
                zone: self.zone,
            });
            writer.write_record(cells.iter().map(|c| neutralise(c).into_owned()))?;
        }
        if let Some(out) = &mut self.json {
            out.write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut *out, row)?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Closes the listing and returns how many rows it has.
    pub fn finish(self) -> std::io::Result<u64> {
        if let Some(writer) = self.csv {
            writer.into_inner().map_err(|e| e.into_error())?.flush()?;
        }
        if let Some(mut out) = self.json {
            out.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
            out.flush()?;
        }
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Person, PersonId};

    fn person(name: &str) -> Person {
        Person {
            id: PersonId(1),
            employee_no: Some("0042".into()),
            name: name.into(),
            email: None,
            department: Some("Gatukontoret".into()),
            end_date: None,
            erased: false,
            username: None,
            manager: None,
            language: None,
        }
    }

    fn stream(format: StreamFormat, people: &[Person]) -> String {
        let mut out = Vec::new();
        let mut stream = RowStream::start::<Person>(&mut out, format, Zone::DEFAULT).unwrap();
        for p in people {
            stream.row(p).unwrap();
        }
        assert_eq!(stream.finish().unwrap(), people.len() as u64);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn excel_csv_has_a_bom_semicolons_and_no_formulas() {
        let text = stream(
            StreamFormat::Csv { excel: true },
            &[person("=cmd|' /C calc'!A0")],
        );
        assert!(text.starts_with("\u{feff}employee_no;name;"), "{text}");
        assert!(
            text.contains("0042;'=cmd|' /C calc'!A0;;Gatukontoret;"),
            "{text}"
        );
    }

    #[test]
    fn json_streams_a_valid_array() {
        for people in [
            vec![],
            vec![person("Åsa")],
            vec![person("Åsa"), person("Per")],
        ] {
            let text = stream(StreamFormat::Json, &people);
            let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(parsed.as_array().unwrap().len(), people.len());
        }
    }
}

//! The reader end to end: the sample lists in `fixtures/`, nasty files written here, the
//! rejects round trip, and properties over arbitrary input.

use super::*;
use crate::model::Status;
use chrono::{NaiveDate, NaiveTime};
use encoding_rs::{UTF_8, UTF_16LE, WINDOWS_1252};
use proptest::prelude::*;
use rstest::rstest;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn open(name: &str) -> ImportReader {
    ImportReader::open(&fixture(name), &ReadOptions::default()).unwrap()
}

fn read_bytes(bytes: &[u8], options: &ReadOptions) -> crate::Result<ImportReader<Cursor<Vec<u8>>>> {
    ImportReader::from_reader(Cursor::new(bytes.to_vec()), Path::new("list.csv"), options)
}

fn rows_of<R: std::io::Read>(reader: ImportReader<R>) -> Vec<Row> {
    reader.map(|r| r.unwrap()).collect()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn refusal(bytes: &[u8]) -> String {
    match read_bytes(bytes, &ReadOptions::default()) {
        Ok(_) => panic!("{bytes:?} was accepted"),
        Err(e) => {
            assert_eq!(e.exit_code(), 65, "{e}");
            assert!(matches!(e, crate::Error::InvalidFile { .. }), "{e:?}");
            e.to_string()
        }
    }
}

#[test]
fn the_excel_handout_list() {
    let reader = open("utlamnad-utrustning-excel.csv");
    assert_eq!(reader.encoding().encoding, WINDOWS_1252);
    assert!(!reader.encoding().bom);
    assert_eq!(reader.delimiter(), b';');
    assert_eq!(reader.kind(), ListKind::Handouts);
    assert_eq!(reader.headers()[0], "Användare");
    let mapped: Vec<(&str, Field)> = reader
        .columns()
        .mapped()
        .map(|(c, f)| (c.header.as_str(), f))
        .collect();
    assert_eq!(
        mapped,
        vec![
            ("Användare", Field::Name),
            ("Anst.nr", Field::EmployeeNo),
            ("Enhet", Field::Department),
            ("Typ", Field::Kind),
            ("Fabrikat", Field::Make),
            ("Modell", Field::Model),
            ("Serienr", Field::Serial),
            ("Inv.nr", Field::AssetTag),
            ("Utlämningsdatum", Field::HandedOutOn),
            ("Handläggare", Field::HandedOutBy),
            ("Anteckning", Field::Note),
        ]
    );
    assert_eq!(reader.columns().ignored().count(), 0);

    let mut reader = reader;
    let rows: Vec<Row> = reader.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        vec![2, 3, 4, 5, 6, 7, 8]
    );
    assert_eq!(
        reader.summary(),
        ReadSummary {
            rows: 7,
            blank_rows: 1
        }
    );

    let first = &rows[0];
    assert_eq!(first.get(Field::Name), Some("Maria Olsson"));
    assert_eq!(first.get(Field::Note), Some("Ersättning för stulen"));
    assert_eq!(first.kind().as_deref(), Some("laptop"));
    assert_eq!(
        first.date(Field::HandedOutOn).unwrap(),
        Some(date(2022, 10, 3))
    );
    assert_eq!(rows[1].serial().unwrap().as_deref(), Some("DX3KQ29L0F"));
    assert_eq!(rows[2].get(Field::AssetTag), None);
    assert_eq!(rows[2].get(Field::Note), None);

    let tablet = &rows[3];
    assert_eq!(tablet.get(Field::Note), Some("Skal \"Otterbox\" ingår"));
    assert_eq!(
        tablet.date_time(Field::HandedOutOn).unwrap(),
        Some((date(2024, 2, 12), NaiveTime::from_hms_opt(13, 5, 0)))
    );
    assert_eq!(rows[4].get(Field::Model), Some("WD19S; 130W"));
    assert_eq!(rows[4].kind().as_deref(), Some("dock"));
    assert_eq!(rows[5].get(Field::Name), Some("Åsa Wikström"));
    assert_eq!(rows[5].get(Field::Department), Some("Fritidsförvaltningen"));
    let screen = &rows[6];
    assert_eq!(&screen.raw()[6], " cnc1234abc ");
    assert_eq!(screen.get(Field::Serial), Some("cnc1234abc"));
    assert_eq!(screen.serial().unwrap().as_deref(), Some("CNC1234ABC"));
    assert_eq!(screen.kind().as_deref(), Some("monitor"));
}

#[test]
fn the_hr_export() {
    let reader = open("hr-export.csv");
    assert_eq!(
        reader.encoding(),
        FileEncoding {
            encoding: UTF_8,
            bom: true
        }
    );
    assert_eq!(reader.kind(), ListKind::People);
    assert_eq!(reader.headers()[0], "Anst.nr");
    let rows = rows_of(reader);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].get(Field::EmployeeNo), Some("4471"));
    assert_eq!(
        rows[0].date(Field::EndDate).unwrap(),
        Some(date(2026, 12, 15))
    );
    assert_eq!(rows[1].date(Field::EndDate).unwrap(), None);
    assert_eq!(rows[2].get(Field::Name), Some("Åsa Wikström"));
    assert_eq!(
        rows[2].get(Field::Email),
        Some("asa.wikstrom@kommun.example")
    );
    assert_eq!(rows[2].line, 4);
}

#[test]
fn the_english_inventory() {
    let reader = open("inventory-en.csv");
    assert_eq!(
        reader.encoding(),
        FileEncoding {
            encoding: UTF_8,
            bom: false
        }
    );
    assert_eq!(reader.delimiter(), b',');
    assert_eq!(reader.kind(), ListKind::Devices);
    let rows = rows_of(reader);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].status().unwrap(), Some(Status::InStock));
    assert_eq!(rows[2].status().unwrap(), Some(Status::InRepair));
    assert_eq!(rows[2].get(Field::AssetTag), Some("GK-3003"));
    assert_eq!(
        rows[2].date(Field::Purchased).unwrap(),
        Some(date(2024, 2, 12))
    );
    assert!(!rows[0].has_person());
}

#[test]
fn a_snipe_it_export() {
    let reader = open("import/snipe-it-export.csv");
    assert_eq!(reader.delimiter(), b',');
    assert_eq!(reader.kind(), ListKind::Handouts);
    let ignored: Vec<(&str, String)> = reader
        .columns()
        .ignored()
        .map(|(c, r)| (c.header.as_str(), r.to_string()))
        .collect();
    let names: Vec<&str> = ignored.iter().map(|(h, _)| *h).collect();
    assert_eq!(
        names,
        vec!["Asset Name", "Model Number", "Location", "Purchase Cost"]
    );
    let rows = rows_of(reader);
    assert_eq!(rows.len(), 4);
    let deployed = &rows[0];
    assert_eq!(deployed.get(Field::Name), Some("Åsa Wikström"));
    assert_eq!(deployed.get(Field::Username), Some("asawik"));
    assert_eq!(deployed.get(Field::Model), Some("ThinkPad T14, Gen 4"));
    assert_eq!(deployed.kind().as_deref(), Some("laptop"));
    assert_eq!(deployed.status().unwrap(), Some(Status::HandedOut));
    assert_eq!(
        deployed.date(Field::HandedOutOn).unwrap(),
        Some(date(2023, 9, 1))
    );
    assert_eq!(
        deployed.date(Field::DueBack).unwrap(),
        Some(date(2026, 9, 1))
    );
    // A row with a serial and nobody: a device in stock.
    assert!(!rows[1].has_person());
    assert_eq!(rows[1].status().unwrap(), Some(Status::InStock));
    assert_eq!(rows[1].get(Field::Note), Some("Skärm byttes 2024"));
    assert_eq!(rows[2].status().unwrap(), Some(Status::InRepair));
    assert_eq!(rows[3].status().unwrap(), Some(Status::Lost));
    // handback's CSV-injection guard is undone; the raw cell keeps it.
    assert_eq!(rows[3].get(Field::Note), Some("=cmd|' /C calc'!A0"));
    assert_eq!(&rows[3].raw()[16], "'=cmd|' /C calc'!A0");
}

#[test]
fn split_names_tabs_and_personal_identity_numbers() {
    let reader = open("import/hr-split-names.tsv");
    assert_eq!(reader.delimiter(), b'\t');
    assert_eq!(reader.kind(), ListKind::People);
    assert!(reader.columns().has_personal_identity_numbers());
    let (column, reason) = reader.columns().ignored().next().unwrap();
    assert_eq!(column.header, "Personnummer");
    assert_eq!(
        reason.to_string(),
        "personal identity numbers are never stored"
    );
    let rows = rows_of(reader);
    assert_eq!(rows[0].get(Field::Name), Some("Åsa Wikström"));
    assert_eq!(rows[0].get(Field::FirstName), Some("Åsa"));
    assert_eq!(rows[2].get(Field::Name), Some("Örjan"));
    assert_eq!(
        rows[2].date(Field::EndDate).unwrap(),
        Some(date(2026, 12, 31))
    );
    for row in &rows {
        // The numbers are in the raw cells (for a rejects file) and nowhere else.
        assert!(
            Field::ALL
                .iter()
                .all(|&f| !row.get(f).unwrap_or("").contains("1980"))
        );
    }
}

#[test]
fn utf16_with_a_pipe_and_a_line_break_in_a_quote() {
    let mut reader = open("import/utf16le-pipe.csv");
    assert_eq!(
        reader.encoding(),
        FileEncoding {
            encoding: UTF_16LE,
            bom: true
        }
    );
    assert_eq!(reader.delimiter(), b'|');
    assert_eq!(reader.kind(), ListKind::Handouts);
    let rows: Vec<Row> = reader.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(rows[0].get(Field::Note), Some("Rad ett\r\nrad två"));
    assert_eq!(rows[0].get(Field::Name), Some("Åsa Wikström"));
    assert_eq!(rows[1].line, 4, "the quoted line break is a physical line");
    assert_eq!(rows[1].get(Field::Name), Some("Örjan Ängström"));
    assert_eq!(reader.summary().blank_rows, 0);
}

/// The text is checked on its way to the rows: the problem ends them with the file's refusal
/// (an import then writes nothing, the rows before it included).
#[test]
fn the_unclosed_quote_fixture_is_refused_where_the_quote_opens() {
    let err = ImportReader::open(
        &fixture("import/unclosed-quote.csv"),
        &ReadOptions::default(),
    )
    .and_then(|reader| reader.collect::<crate::error::Result<Vec<Row>>>())
    .err()
    .unwrap();
    let message = err.to_string();
    assert!(
        message.contains("unclosed-quote.csv:3: a quoted field starts here"),
        "{message}"
    );
    assert_eq!(err.exit_code(), 65);
}

#[test]
fn windows_1252_with_swedish_letters_and_a_forced_encoding() {
    let bytes = b"Serienr;Namn\r\nA1;\xC5sa \xC4ngstr\xF6m\r\n";
    let rows = rows_of(read_bytes(bytes, &ReadOptions::default()).unwrap());
    assert_eq!(rows[0].get(Field::Name), Some("Åsa Ängström"));
    // Forcing UTF-8 on it decodes the letters as U+FFFD, but does not fail.
    let options = ReadOptions {
        encoding: Some(UTF_8),
        ..ReadOptions::default()
    };
    let rows = rows_of(read_bytes(bytes, &options).unwrap());
    assert_eq!(
        rows[0].get(Field::Name),
        Some("\u{fffd}sa \u{fffd}ngstr\u{fffd}m")
    );
}

#[test]
fn overrides_for_delimiter_kind_map_and_date_format() {
    let bytes = "Serie,Vem;När\nA1,Åsa;3/2/2024\n".as_bytes();
    let options = ReadOptions {
        delimiter: Some(b';'),
        maps: vec![
            ColumnOverride::parse("Serie,Vem=serial").unwrap(),
            ColumnOverride::parse("När=handed_out_on").unwrap(),
        ],
        date_formats: vec![ReadOptions::parse_date_format("%d/%m/%Y").unwrap()],
        kind: Some(ListKind::Devices),
        ..ReadOptions::default()
    };
    let reader = read_bytes(bytes, &options).unwrap();
    assert_eq!(reader.kind(), ListKind::Devices);
    let rows = rows_of(reader);
    assert_eq!(rows[0].get(Field::Serial), Some("A1,Åsa"));
    assert_eq!(
        rows[0].date(Field::HandedOutOn).unwrap(),
        Some(date(2024, 2, 3))
    );
}

#[test]
fn row_errors_name_the_line_the_column_and_the_value() {
    let bytes = "Serienr;Anst.nr;Slutdatum;Status\nA1;1;2024-02-30;i lager\n\nB2;2;igår;kanske\n";
    let rows = rows_of(read_bytes(bytes.as_bytes(), &ReadOptions::default()).unwrap());
    let err = rows[0].date(Field::EndDate).unwrap_err();
    assert_eq!(err.exit_code(), 65);
    assert!(
        err.to_string()
            .starts_with("list.csv:2: column \"Slutdatum\": \"2024-02-30\" is not a valid date"),
        "{err}"
    );
    assert_eq!(rows[1].line, 4);
    let err = rows[1].date(Field::EndDate).unwrap_err().to_string();
    assert!(
        err.starts_with("list.csv:4: column \"Slutdatum\": \"igår\""),
        "{err}"
    );
    let err = rows[1].status().unwrap_err().to_string();
    assert!(
        err.contains("column \"Status\": \"kanske\" is not a status"),
        "{err}"
    );
    let err = rows[1].typed(Field::EmployeeNo, |_| {
        Err::<(), _>(crate::Error::invalid("no"))
    });
    assert_eq!(
        err.unwrap_err().to_string(),
        "list.csv:4: column \"Anst.nr\": no"
    );
}

#[test]
fn blank_rows_are_skipped_and_counted_and_short_rows_are_fine() {
    let bytes =
        "Serienr;Namn;Modell\r\n;;\r\nA1;Åsa\r\n\r\n   ;  ;\r\nB2\r\nC3;Per;X;extra\r\n;;;;;\r\n";
    let mut reader = read_bytes(bytes.as_bytes(), &ReadOptions::default()).unwrap();
    let rows: Vec<Row> = reader.by_ref().map(|r| r.unwrap()).collect();
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 6, 7]);
    assert_eq!(rows[0].get(Field::Model), None);
    assert_eq!(rows[1].get(Field::Name), None);
    assert_eq!(rows[2].raw().len(), 4);
    assert_eq!(
        reader.summary(),
        ReadSummary {
            rows: 3,
            blank_rows: 4
        }
    );
}

#[rstest]
#[case(b"".to_vec(), "list.csv is empty")]
#[case(b"\r\n\r\n".to_vec(), "list.csv is empty")]
#[case(b"\xEF\xBB\xBF".to_vec(), "list.csv is empty")]
#[case(b";;;\r\n;;;\r\n".to_vec(), "no header line")]
#[case(b"Serienr;Namn\r\n".to_vec(), "header line (line 1) but no rows")]
#[case(b"Serienr;Namn\r\n;;\r\n\r\n".to_vec(), "but no rows")]
#[case(b"\x00\x01\x02\x03PK\x03\x04\x14\x00\x06\x00".to_vec(), "binary")]
#[case(b"Rum;V\xE5ning\r\n1;2\r\n".to_vec(), "not a list handback can import")]
#[case(b"Serienr;Namn\r\nA1;\"\xC5sa\r\n".to_vec(), "list.csv:2: a quoted field starts here and is never closed")]
fn unusable_files_are_refused_with_one_sentence(#[case] bytes: Vec<u8>, #[case] words: &str) {
    let message = refusal(&bytes);
    let summary = message.lines().next().unwrap_or_default();
    assert!(summary.contains(words), "{message}");
}

#[test]
fn a_file_of_random_binary_bytes_is_refused() {
    // A cheap xorshift, so the "random" bytes are the same on every run.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let bytes: Vec<u8> = (0..10_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    assert!(refusal(&bytes).contains("binary"));
}

#[test]
fn a_utf16_file_without_a_byte_order_mark_points_at_the_option() {
    let bytes: Vec<u8> = "Serienr;Namn\r\nA1;Åsa\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(refusal(&bytes).contains("--encoding utf-16le"));
    let options = ReadOptions {
        encoding: Some(UTF_16LE),
        ..ReadOptions::default()
    };
    let rows = rows_of(read_bytes(&bytes, &options).unwrap());
    assert_eq!(rows[0].get(Field::Name), Some("Åsa"));
}

/// Exit 65, as `--help` promises for an unreadable file.
#[rstest]
#[case::missing("/nonexistent/lista.csv", "/nonexistent/lista.csv does not exist")]
#[case::a_folder("/", "/ is a folder")]
fn a_missing_file_or_a_folder_is_invalid_input_naming_it(#[case] path: &str, #[case] says: &str) {
    let err = ImportReader::open(Path::new(path), &ReadOptions::default())
        .err()
        .unwrap();
    assert!(matches!(err, crate::Error::InvalidInput(_)), "{err:?}");
    assert_eq!(err.exit_code(), 65);
    assert!(err.to_string().contains(says), "{err}");
}

/// Writes the rejects of `input` (every row, with a made-up reason) and returns the bytes.
fn rejects_of(input: &[u8]) -> (ImportReader<Cursor<Vec<u8>>>, Vec<u8>) {
    let mut reader = read_bytes(input, &ReadOptions::default()).unwrap();
    let mut writer = RejectsWriter::new(
        Vec::new(),
        Path::new("rejects.csv"),
        reader.encoding(),
        reader.delimiter(),
        reader.headers(),
    )
    .unwrap();
    for row in reader.by_ref() {
        let row = row.unwrap();
        writer
            .write(row.raw(), &format!("rad {} är fel", row.line))
            .unwrap();
    }
    assert!(writer.count() > 0);
    let bytes = writer.finish().unwrap();
    (reader, bytes)
}

#[test]
fn rejects_keep_the_excel_list_in_windows_1252_and_read_back() {
    let input = std::fs::read(fixture("utlamnad-utrustning-excel.csv")).unwrap();
    let (_, bytes) = rejects_of(&input);
    assert!(bytes.starts_with(b"Fel;Anv\xE4ndare;Anst.nr;"), "{bytes:?}");
    let back = read_bytes(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!(back.encoding().encoding, WINDOWS_1252);
    assert_eq!(back.delimiter(), b';');
    let ignored: Vec<String> = back
        .columns()
        .ignored()
        .map(|(_, r)| r.to_string())
        .collect();
    assert_eq!(
        ignored,
        vec!["the error column of an earlier import".to_string()]
    );
    let rows = rows_of(back);
    assert_eq!(rows.len(), 7);
    assert_eq!(&rows[0].raw()[0], "rad 2 är fel");
    assert_eq!(rows[3].get(Field::Note), Some("Skal \"Otterbox\" ingår"));
    assert_eq!(rows[4].get(Field::Model), Some("WD19S; 130W"));
    assert_eq!(rows[5].get(Field::Name), Some("Åsa Wikström"));
}

#[rstest]
#[case("hr-export.csv")]
#[case("import/utf16le-pipe.csv")]
#[case("import/snipe-it-export.csv")]
fn rejects_keep_encoding_bom_and_delimiter(#[case] name: &str) {
    let input = std::fs::read(fixture(name)).unwrap();
    let (original, bytes) = rejects_of(&input);
    let back = read_bytes(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!(back.encoding(), original.encoding());
    assert_eq!(back.delimiter(), original.delimiter());
    let first = read_bytes(&input, &ReadOptions::default()).unwrap();
    let expected: Vec<Vec<Option<String>>> = rows_of(first)
        .iter()
        .map(|r| {
            Field::ALL
                .iter()
                .map(|&f| r.get(f).map(String::from))
                .collect()
        })
        .collect();
    let got: Vec<Vec<Option<String>>> = rows_of(back)
        .iter()
        .map(|r| {
            Field::ALL
                .iter()
                .map(|&f| r.get(f).map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn the_rejects_file_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let reader = open("hr-export.csv");
    let path = dir.path().join("fel.csv");
    let mut writer = reader.rejects_writer(&path).unwrap();
    writer.write(["1", "=2+3"], "line 2: bad").unwrap();
    writer.finish().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text,
        "\u{feff}Fel;Anst.nr;Namn;E-post;Förvaltning;Slutdatum\r\nline 2: bad;1;'=2+3\r\n"
    );
}

#[test]
fn a_million_rows_stream_in_little_memory() {
    // Not a memory measurement (the test harness shares the process), but the shape of one:
    // a big file goes through a reader that holds one record at a time.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "Serienr;Anst.nr;Namn;Anteckning").unwrap();
    let rows = 200_000u64;
    for n in 0..rows {
        write!(file, "SN{n:08};{n};Åsa Wikström;\"rad; {n}\"\r\n").unwrap();
    }
    drop(file);
    let mut reader = ImportReader::open(&path, &ReadOptions::default()).unwrap();
    let mut last = 0;
    for row in reader.by_ref() {
        let row = row.unwrap();
        last = row.line;
    }
    assert_eq!(last, rows + 1);
    assert_eq!(reader.summary().rows, rows);
}

/// A cell value that survives a CSV round trip unchanged once trimmed: no surrounding white
/// space, and no leading `'` (the guard's own marker).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9ÅÄÖåäöé\"';,|\t\n =+@-]{1,12}",
        "[A-Za-z0-9ÅÄÖåäö]{1,8}",
    ]
    .prop_map(|s| {
        let mut cell = s.trim();
        while let Some(rest) = cell.strip_prefix('\'') {
            cell = rest.trim();
        }
        cell.to_string()
    })
}

#[derive(Debug, Clone, Copy)]
enum Flavour {
    Utf8,
    Utf8Bom,
    Windows1252,
    Utf16LeBom,
}

fn encode(text: &str, flavour: Flavour) -> Vec<u8> {
    match flavour {
        Flavour::Utf8 => text.as_bytes().to_vec(),
        Flavour::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Flavour::Windows1252 => WINDOWS_1252.encode(text).0.into_owned(),
        Flavour::Utf16LeBom => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(reader) = read_bytes(&bytes, &ReadOptions::default()) {
            for row in reader.flatten() {
                let _ = row.serial();
                let _ = row.status();
                let _ = row.date(Field::EndDate);
            }
        }
    }

    #[test]
    fn arbitrary_text_with_delimiters_and_quotes_never_panics(
        text in "[Serinmamn;,|\t\"\r\n \u{feff}å0-9]{0,200}",
        delimiter in proptest::option::of(proptest::sample::select(vec![b';', b',', b'\t', b'|'])),
    ) {
        let options = ReadOptions { delimiter, ..ReadOptions::default() };
        let header = format!("Serienr;Namn\n{text}");
        for bytes in [text.as_bytes(), header.as_bytes()] {
            if let Ok(reader) = read_bytes(bytes, &options) {
                for row in reader {
                    let _ = row.map(|r| r.serial());
                }
            }
        }
    }

    #[test]
    fn written_rows_read_back_equal(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 4), 1..12),
        delimiter in proptest::sample::select(vec![b';', b',', b'\t', b'|']),
        flavour in proptest::sample::select(vec![
            Flavour::Utf8, Flavour::Utf8Bom, Flavour::Windows1252, Flavour::Utf16LeBom,
        ]),
    ) {
        // Every row names its serial, so none is blank.
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .enumerate()
            .map(|(n, mut r)| { r[0] = format!("S{n}"); r })
            .collect();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(["Serienr", "Namn", "Modell", "Anteckning"]).unwrap();
        for row in &rows {
            let guarded: Vec<String> =
                row.iter().map(|c| guard_formula(c).into_owned()).collect();
            writer.write_record(&guarded).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let bytes = encode(&text, flavour);
        let reader = read_bytes(&bytes, &ReadOptions::default()).unwrap();
        prop_assert_eq!(reader.delimiter(), delimiter);
        let back = rows_of(reader);
        prop_assert_eq!(back.len(), rows.len());
        for (row, read) in rows.iter().zip(&back) {
            let fields = [Field::Serial, Field::Name, Field::Model, Field::Note];
            for (value, field) in row.iter().zip(fields) {
                // "Sjöberg, Karin" is read as "Karin Sjöberg".
                let turned = (field == Field::Name)
                    .then(|| super::reader::last_name_first(value, false))
                    .flatten();
                let expected = turned
                    .as_deref()
                    .or((!value.is_empty()).then_some(value.as_str()));
                prop_assert_eq!(read.get(field), expected);
            }
        }
    }
}

#[test]
fn title_lines_totals_and_trailing_notes_are_read_past_and_noted() {
    let text = "Utrustning 2024\n\nNamn;Anst.nr;Serienr\nKarin;0042;PF3X9K2\nSumma;;1\nKälla: HR\n";
    let mut reader = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    let rows: Vec<Row> = reader.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 4);
    let notes = reader.notes();
    let skipped: Vec<(u64, SkipReason)> = notes.skipped.iter().map(|s| (s.line, s.why)).collect();
    assert_eq!(
        skipped,
        vec![
            (1, SkipReason::Title),
            (5, SkipReason::Total),
            (6, SkipReason::Note)
        ]
    );
}

#[test]
fn a_lone_cell_followed_by_rows_is_a_row_after_all() {
    // A serial alone is never a note; a name alone is held back, then handed out in order.
    let text = "Namn;Serienr\nKarin;A1\nPer;\nÅsa;B2\n;C3\n";
    let reader = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    let lines: Vec<u64> = rows_of(reader).iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5]);
}

#[test]
fn more_title_lines_than_allowed_refuse_the_file_with_the_first_ones_reason() {
    let mut text = "Titel\n".repeat(reader::MAX_TITLE_LINES + 1);
    text.push_str("Namn;Serienr\nKarin;A1\n");
    let message = refusal(text.as_bytes());
    assert!(
        message.contains("is not a list handback can import"),
        "{message}"
    );
}

#[rstest]
#[case("Namn;Serienr\nSjöberg, Karin;A1\n", "Karin Sjöberg")]
#[case("Namn;Serienr\n\"af Klint, Hilma\";A1\n", "Hilma af Klint")]
#[case("Namn;Serienr\n\"Sjöberg, Karin, Anna\";A1\n", "Sjöberg, Karin, Anna")]
#[case("Namn;Serienr\n\"IT, 3:e vån\";A1\n", "IT, 3:e vån")]
#[case("Efternamn Förnamn;Serienr\nSjöberg Karin;A1\n", "Karin Sjöberg")]
#[case("Efternamn Förnamn;Serienr\nvon Essen Anna;A1\n", "von Essen Anna")]
fn names_written_last_name_first_are_turned_around(#[case] text: &str, #[case] name: &str) {
    let reader = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(rows_of(reader)[0].get(Field::Name), Some(name));
}

#[test]
fn fill_down_fills_empty_cells_from_the_row_above() {
    let text = "Namn;Serienr\nKarin;A1\n;A2\n  ;A3\nPer;B1\n";
    let options = ReadOptions {
        fill_down: vec!["namn".into()],
        ..ReadOptions::default()
    };
    let mut reader = read_bytes(text.as_bytes(), &options).unwrap();
    let names: Vec<String> = reader
        .by_ref()
        .map(|r| r.unwrap().get(Field::Name).unwrap().to_string())
        .collect();
    assert_eq!(names, vec!["Karin", "Karin", "Karin", "Per"]);
    assert_eq!(reader.notes().filled_cells, 2);
}

#[rstest]
#[case("3.56789E+14", true)]
#[case("3,56789E+14", true)]
#[case("1.2E+5", true)]
#[case("356789012345678", false)]
#[case("5CG1234E+1", false)]
#[case("E+14", false)]
#[case("12E45", false)]
fn scientific_serials_are_refused(#[case] serial: &str, #[case] refused: bool) {
    let text = format!("Namn;Serienr\nKarin;{serial}\n");
    let reader = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    let result = rows_of(reader)[0].serial();
    assert_eq!(result.is_err(), refused, "{result:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn arbitrary_workbook_like_bytes_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..300),
        zip in any::<bool>(),
    ) {
        let mut bytes = if zip {
            b"PK\x03\x04".to_vec()
        } else {
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        };
        bytes.extend(tail);
        let _ = ImportReader::from_reader(Cursor::new(bytes), Path::new("x.xlsx"), &ReadOptions::default());
    }
}

#[test]
fn a_wide_row_is_a_row_per_device_each_with_its_column() {
    let text = "Namn;Anst.nr;Modell;Serienr dator;IMEI telefon;Skärm\n\
                Maria;1;Latitude;AAA-1;356789012345674;CN-0F6K2M\n\
                Per;2;;;352099001761481;CN-0F6K9Q\n\
                Åsa;3;;;;\n";
    let reader = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert!(reader.columns().is_wide());
    let rows = rows_of(reader);
    assert_eq!(rows.len(), 3, "physical rows");
    let maria = rows[0].clone().device_rows();
    let read: Vec<(Option<String>, Option<String>, Option<&str>)> = maria
        .iter()
        .map(|r| (r.serial().unwrap(), r.kind(), r.get(Field::Model)))
        .collect();
    assert_eq!(
        read,
        [
            (
                Some("AAA-1".into()),
                Some("laptop".into()),
                Some("Latitude")
            ),
            (Some("356789012345674".into()), Some("phone".into()), None),
            (Some("CN-0F6K2M".into()), Some("monitor".into()), None),
        ]
    );
    assert!(maria.iter().all(|r| r.get(Field::Name) == Some("Maria")));
    assert_eq!(
        maria[1].place(Field::Serial).to_string(),
        "list.csv:2: column \"IMEI telefon\""
    );
    let per = rows[1].clone().device_rows();
    assert_eq!(per.len(), 2, "the empty cells of Per's row are no devices");
    assert_eq!(per[0].serial().unwrap().as_deref(), Some("352099001761481"));
    let asa = rows[2].clone().device_rows();
    assert_eq!(asa.len(), 1);
    assert!(asa[0].names_no_device());
}

#[rstest]
// An HR export's mobile phone numbers are not phones to hand out.
#[case(
    "Namn;Anst.nr;Mobil\nMaria;1;0701234567\nPer;2;+46 70 123 45 68\n",
    ListKind::People
)]
#[case(
    "Namn;Anst.nr;Mobil\nMaria;1;070-1234567\nPer;2;0701234568\n",
    ListKind::People
)]
#[case("Namn;Anst.nr;Dator\nMaria;1;Ja\nPer;2;Nej\n", ListKind::People)]
#[case(
    "Namn;Anst.nr;Dator\nMaria;1;5ZKQ9X3\nPer;2;PF3XK2L1\n",
    ListKind::Handouts
)]
#[case(
    "Namn;Anst.nr;Mobil\nMaria;1;356789012345674\nPer;2;\nÅsa;3;352099001761481\n",
    ListKind::Handouts
)]
fn a_column_headed_by_a_kind_is_devices_only_when_its_values_are_serials(
    #[case] text: &str,
    #[case] kind: ListKind,
) {
    let reader = read_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(reader.kind(), kind, "{text}");
}

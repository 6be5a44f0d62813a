use super::bulk::bulk_load;
use super::pipeline::ROWS_PER_BATCH;
use super::*;
use crate::domain::{Clock, HandoutRequest, NewDeviceInfo, PersonInput};
use crate::error::Error;
use crate::import::ImportSource;
use crate::model::HandoutRecord;
use crate::render::stream::{RowStream, StreamFormat};
use crate::store::sqlite::testing;
use crate::zone::Zone;
use chrono::Utc;
use proptest::prelude::*;
use serde_json::{Value, json};

fn register(dir: &tempfile::TempDir, name: &str) -> Register {
    Register::create(&dir.path().join(name), "proptest", Zone::DEFAULT).unwrap()
}

/// Every row of every table: equal dumps are equal registers.
/// [`dump`]'s rows without the moments (UTC text) that begin with `year`.
fn without_moments(rows: Vec<String>, year: &str) -> Vec<String> {
    let start = format!("Text(\"{year}");
    rows.into_iter()
        .map(|row| {
            row.split('|')
                .filter(|c| !(c.starts_with(&start) && c.ends_with("Z\")")))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn dump(register: &Register) -> Vec<String> {
    let mut rows = Vec::new();
    for table in ["person", "device", "handout", "event"] {
        let sql = format!("SELECT * FROM {table} ORDER BY id");
        for cells in testing::rows(register.path(), &sql) {
            rows.push(format!("{table}: {}", cells.join("|")));
        }
    }
    rows
}

/// Cells that look like the lists people keep, including the awkward ones.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9 åäöÅÄÖ.@-]{1,12}",
        Just("2024-02-30".to_string()),
        Just("2023-05-01".to_string()),
        Just("\"quoted; \"\"cell\"\"\"".to_string()),
        Just("=1+1".to_string()),
        any::<String>(),
    ]
}

fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::subsequence(
        vec![
            "Namn",
            "Anst.nr",
            "Serienr",
            "Typ",
            "Utlämnad",
            "E-post",
            "Slutdatum",
            "Status",
        ],
        1..6,
    );
    (
        header,
        prop::collection::vec(prop::collection::vec(cell(), 0..7), 0..8),
        prop::sample::select(vec![";", ",", "\t", "|"]),
    )
        .prop_map(|(header, rows, delimiter)| {
            let mut text = header.join(delimiter);
            for row in rows {
                text.push_str("\r\n");
                text.push_str(&row.join(delimiter));
            }
            text.into_bytes()
        })
}

/// The schema as `sqlite_master` holds it, name by name.
fn schema(register: &Register) -> Vec<(String, String)> {
    testing::schema(register.path())
}

fn handout_list(rows: usize, bad_line: Option<usize>) -> String {
    let mut text = String::from("Namn;Anst.nr;Enhet;Typ;Serienr;Inv.nr;Utlämnad\r\n");
    for i in 0..rows {
        let date = if Some(i) == bad_line {
            "2024-02-30"
        } else {
            "2024-01-15"
        };
        text.push_str(&format!(
            "Åsa Öberg {p};{n};Enhet {d};Bärbar dator;SN{i:06};INV{i:06};{date}\r\n",
            p = i / 3,
            n = 10_000 + i / 3,
            d = i % 5,
        ));
    }
    text
}

/// The bulk path (forced with a threshold of 0) writes what the row-by-row path writes,
/// leaves the schema exactly as it found it, and a refused file leaves nothing behind.
#[test]
fn a_bulk_import_writes_the_same_register_with_the_same_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, handout_list(300, None)).unwrap();
    let mut simple = register(&dir, "simple.sqlite");
    let mut bulk = register(&dir, "bulk.sqlite");
    let fresh_schema = schema(&bulk);
    let a = simple
        .import(
            ImportSource::file(&path).unwrap(),
            &ImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    let forced = ImportOptions {
        bulk_min_bytes: Some(0),
        ..Default::default()
    };
    let b = bulk
        .import(ImportSource::file(&path).unwrap(), &forced, &mut |_| {})
        .unwrap();
    assert!(a.committed && b.committed, "{:?}", b.errors);
    assert_eq!(
        (a.people_created, a.devices_created, a.handouts_opened),
        (b.people_created, b.devices_created, b.handouts_opened)
    );
    assert_eq!(b.handouts_opened, 300);
    assert_eq!(schema(&bulk), fresh_schema);
    assert!(bulk.check().unwrap().is_ok());
    // The same rows, events and all, but for the moments of writing.
    assert_eq!(
        without_moments(dump(&simple), "20"),
        without_moments(dump(&bulk), "20")
    );

    // A refused file rolls the dropped indexes back with everything else.
    let before = dump(&bulk);
    let refused = dir.path().join("refused.csv");
    std::fs::write(&refused, handout_list(400, Some(350))).unwrap();
    let c = bulk
        .import(ImportSource::file(&refused).unwrap(), &forced, &mut |_| {})
        .unwrap();
    assert!(!c.committed && c.errors.len() == 1, "{:?}", c.errors);
    assert_eq!(schema(&bulk), fresh_schema);
    assert_eq!(before, dump(&bulk));
}

/// The reading thread writes a handout event's details for a new device with the last
/// day the row gives; when the register's last day or a known device decides otherwise,
/// the writer's own details are the ones written.
#[test]
fn prepared_handout_details_are_used_only_where_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let mut register = register(&dir, "register.sqlite");
    let header = "Namn;Anst.nr;Typ;Serienr;Utlämnad;Återlämnas senast;Slutdatum\n";
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        format!("{header}Åsa Öberg;1001;Bärbar dator;SN-1;2025-01-10;;2025-06-30\n"),
    )
    .unwrap();
    let second = dir.path().join("second.csv");
    std::fs::write(
        &second,
        format!(
            "{header}Åsa Öberg;1001;Skärm;SN-2;2025-02-01;2025-12-31;\n\
             Bo Ek;1002;Headset;SN-3;2025-02-02;2025-03-01;\n"
        ),
    )
    .unwrap();
    let options = ImportOptions::default();
    for file in [&first, &second] {
        let summary = register
            .import(ImportSource::file(file).unwrap(), &options, &mut |_| {})
            .unwrap();
        assert!(summary.committed, "{:?}", summary.errors);
    }
    let details: Vec<Value> = testing::texts(
        register.path(),
        "SELECT details FROM event WHERE action = 'handed_out' ORDER BY id",
    )
    .iter()
    .map(|text| serde_json::from_str(text).unwrap())
    .collect();
    let due: Vec<&Value> = details.iter().map(|d| &d["due_back"]).collect();
    // The row's own last day; the register's, earlier than the row's due date; the row's.
    assert_eq!(
        due,
        [
            &json!("2025-06-30"),
            &json!("2025-06-30"),
            &json!("2025-03-01")
        ]
    );
    assert_eq!(
        details[1]["import"],
        json!({ "file": "second.csv", "line": 2 })
    );
    assert_eq!(details[2]["registered"]["kind"], json!("headset"));
}

/// Rows are read on one thread and written on another, in batches: every row arrives
/// once and in order, whatever batch it falls in, also when the file ends exactly at the
/// end of a batch.
#[rstest::rstest]
#[case(1)]
#[case(ROWS_PER_BATCH)]
#[case(3 * ROWS_PER_BATCH + 7)]
fn rows_reach_the_writer_once_and_in_order(#[case] rows: usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut text = handout_list(rows, None);
    // Bad dates at the first row, the last row and on both sides of a batch boundary.
    let bad: Vec<usize> = [0, ROWS_PER_BATCH - 1, ROWS_PER_BATCH, rows - 1]
        .into_iter()
        .filter(|&i| i < rows)
        .collect();
    for &i in &bad {
        text = text.replace(
            &format!("SN{i:06};INV{i:06};2024-01-15"),
            &format!("SN{i:06};INV{i:06};2024-02-30"),
        );
    }
    let path = dir.path().join("list.csv");
    std::fs::write(&path, text).unwrap();
    let mut register = register(&dir, "register.sqlite");
    let options = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let summary = register
        .import(ImportSource::file(&path).unwrap(), &options, &mut |_| {})
        .unwrap();
    let mut expected: Vec<u64> = bad.iter().map(|&i| i as u64 + 2).collect();
    expected.dedup();
    let lines: Vec<u64> = summary.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, expected);
    assert_eq!(summary.rows, rows as u64);
    assert_eq!(summary.handouts_opened, (rows - expected.len()) as u64);
    let serials = testing::texts(register.path(), "SELECT serial FROM device ORDER BY id");
    let written: Vec<String> = (0..rows)
        .filter(|i| !bad.contains(i))
        .map(|i| format!("SN{i:06}"))
        .collect();
    assert_eq!(serials, written);
}

/// Two handout lists for [`a_bulk_import_finds_what_the_register_holds_in_every_spelling`]:
/// the first registers people and devices, the second names them again in other spellings
/// (case, spaces, an asset tag for a serial) beside new ones.
fn lists_in_every_spelling(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let first = dir.join("first.csv");
    std::fs::write(
        &first,
        "Namn;Anst.nr;E-post;Typ;Serienr;Inv.nr;Utlämnad\r\n\
         Åsa Öberg;1001;asa.oberg@kommun.se;Bärbar dator;SN-A;INV-A;2024-01-10\r\n\
         Bo Ek;;;Mobiltelefon;SN-B;;2024-01-11\r\n\
         Cecilia Lund;;cecilia@kommun.se;Skärm;SN-C;INV-C;2024-01-12\r\n\
         Gun Ås;;;Headset;SN-K;;2024-01-13\r\n",
    )
    .unwrap();
    let second = dir.join("second.csv");
    // A long note makes the file large enough beside the register to be bulk-loaded.
    let note = "Laddare och väska ingår. ".repeat(16);
    std::fs::write(
        &second,
        "Namn;Anst.nr;E-post;Typ;Serienr;Inv.nr;Utlämnad;Anteckning\r\n\
         Åsa Öberg;1001;;Bärbar dator;sn-a;;2024-01-10\r\n\
         ;;ASA.OBERG@KOMMUN.SE;Headset;SN-D;;2024-02-01\r\n\
         BO  EK;;;Docka;SN-E;;2024-02-02\r\n\
         Cecilia Lund;;Cecilia@Kommun.se;Skärm;;inv-c;2024-01-12\r\n\
         Dan Berg;2002;;Surfplatta;SN-F;sn-b;2024-02-03\r\n\
         Dan Berg;2002;;Surfplatta;INV-A;;2024-02-03\r\n\
         Dan Berg;2002;;Surfplatta;SN-G;INV-G;2024-02-04\r\n\
         Eva Ny;2003;;Surfplatta;SN-H;inv-g;2024-02-05\r\n\
         Hans Holm;;;Headset;SNL1;;2024-02-07\r\n\
         hans  holm;;hans@kommun.se;Skärm;SN-M;;2024-02-08\r\n\
         Ivan Ek;2005;;Headset;SN-N;snl 1;2024-02-09\r\n\
         HANS HOLM;2006;;Docka;SN-P;;2024-02-10\r\n\
         Jon Berg;;jon@kommun.se;Headset;SN-Q;;2024-02-11\r\n\
         Jon B;2007;JON@KOMMUN.SE;Docka;SN-R;;2024-02-12\r\n\
         Gun Ås;4004;;Docka;SN-J;;2024-02-06;"
            .to_string()
            + &note
            + "\r\n",
    )
    .unwrap();
    (first, second)
}

/// A bulk load skips the look-ups of keys the register cannot hold, so it must find
/// every key that is there in whatever spelling SQL would: it matches, merges and
/// refuses exactly as a row-by-row import does.
#[test]
fn a_bulk_import_finds_what_the_register_holds_in_every_spelling() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = lists_in_every_spelling(dir.path());
    let skip = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let forced = ImportOptions {
        bulk_min_bytes: Some(0),
        ..skip.clone()
    };
    let mut outcomes = Vec::new();
    for (name, options) in [("simple.sqlite", &skip), ("bulk.sqlite", &forced)] {
        let mut register = register(&dir, name);
        let a = register
            .import(ImportSource::file(&first).unwrap(), &skip, &mut |_| {})
            .unwrap();
        assert!(a.committed && a.errors.is_empty(), "{:?}", a.errors);
        let events = register.read(|tx| tx.bulk().event_count()).unwrap();
        let size = std::fs::metadata(&second).unwrap().len();
        assert!(
            bulk_load(size, 0, events),
            "the list is too small to be bulk-loaded"
        );
        let b = register
            .import(ImportSource::file(&second).unwrap(), options, &mut |_| {})
            .unwrap();
        let errors: Vec<String> = b.errors.iter().map(|e| e.reason.to_string()).collect();
        assert!(register.check().unwrap().is_ok());
        outcomes.push((
            (
                b.people_created,
                b.devices_created,
                b.handouts_opened,
                b.duplicates,
            ),
            errors,
            // The rows as written, but for the moments of writing (this year's; the
            // list's own dates are from 2024).
            without_moments(dump(&register), &Utc::now().format("%Y").to_string()),
        ));
    }
    let bulk = outcomes.pop().unwrap();
    let simple = outcomes.pop().unwrap();
    // Three people and nine devices are new; a known device in lower case is already
    // held, and so is one named by its asset tag alone; a number goes to the namesake
    // who had none (twice: once to one this file registered) and to the one person this
    // file registered with that e-mail address in another case, and an e-mail address to
    // the one person this file registered under that name; four rows are refused, for an asset tag that is a serial (twice: once
    // only in serial form, of a serial this file registered), a serial that is an asset
    // tag, and an asset tag this very file gave another device.
    assert_eq!(simple.0, (3, 9, 9, 2), "{:?}", simple.1);
    assert_eq!(simple.1.len(), 4, "{:?}", simple.1);
    assert_eq!(simple.0, bulk.0);
    assert_eq!(simple.1, bulk.1);
    assert_eq!(simple.2, bulk.2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the bytes, the import ends in a summary or a clean error, and a file
    /// that is not committed leaves the register exactly as it was.
    #[test]
    fn no_input_panics_or_leaves_a_partial_import(
        bytes in prop_oneof![prop::collection::vec(any::<u8>(), 0..400), csv_like()],
        skip_invalid in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut register = register(&dir, "r.sqlite");
        register.add_person(&PersonInput { employee_no: "1".into(), name: "Anna Berg".into(), ..Default::default() }).unwrap();
        let path = dir.path().join("list.csv");
        std::fs::write(&path, &bytes).unwrap();
        let before = dump(&register);
        let options = ImportOptions { skip_invalid, ..Default::default() };
        match register.import(ImportSource::file(&path).unwrap(), &options, &mut |_| {}) {
            Ok(summary) if summary.committed => {
                prop_assert!(summary.errors.is_empty() || skip_invalid);
            }
            Ok(_) | Err(_) => prop_assert_eq!(before, dump(&register)),
        }
    }

    /// Any register's handouts, exported and imported into a new register, give the
    /// same holdings.
    #[test]
    fn any_register_survives_export_then_import(
        people in prop::collection::vec(("[A-ZÅÄÖ][a-zåäö]{1,8} [A-ZÅÄÖ][a-zåäö]{1,8}", proptest::option::of("[a-z]{1,8}")), 1..5),
        handouts in prop::collection::vec((0usize..5, "[A-Za-z0-9 ]{1,10}", 0u32..2000), 0..12),
        excel in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut original = register(&dir, "a.sqlite");
        for (i, (name, department)) in people.iter().enumerate() {
            original.add_person(&PersonInput {
                employee_no: format!("0{i}"),
                name: name.clone(),
                department: department.clone(),
                ..Default::default()
            }).unwrap();
        }
        let now = crate::domain::Clock::System.now();
        for (person, serial, days_ago) in &handouts {
            let request = HandoutRequest {
                device: serial.clone(),
                to: format!("0{}", person % people.len()),
                on: Some(now - chrono::Duration::days(i64::from(*days_ago)) - chrono::Duration::hours(1)),
                new_device: NewDeviceInfo { kind: Some("Mobil".into()), ..Default::default() },
                ..Default::default()
            };
            // A repeated or blank serial is refused; the register stays as it was.
            let _ = original.handout(&request);
        }
        let mut exported = Vec::new();
        let mut stream = RowStream::start::<HandoutRecord>(&mut exported, StreamFormat::Csv { excel }, Zone::DEFAULT).unwrap();
        original.export_handouts(|row| stream.row(&row).map_err(|e| Error::invalid(e.to_string()))).unwrap();
        if stream.finish().unwrap() == 0 {
            // Nobody holds anything; a header-only file is rightly refused by the importer.
            return Ok(());
        }
        let path = dir.path().join("handouts.csv");
        std::fs::write(&path, &exported).unwrap();

        let mut copy = register(&dir, "b.sqlite");
        // People without handouts are not in a handouts export, so give the copy them too.
        for (i, (name, _)) in people.iter().enumerate() {
            copy.add_person(&PersonInput { employee_no: format!("0{i}"), name: name.clone(), ..Default::default() }).unwrap();
        }
        let summary = copy.import(ImportSource::file(&path).unwrap(), &ImportOptions::default(), &mut |_| {}).unwrap();
        prop_assert!(summary.errors.is_empty(), "{:?}", summary.errors);
        for i in 0..people.len() {
            let number = format!("0{i}");
            let a = original.holdings(&number).unwrap();
            let b = copy.holdings(&number).unwrap();
            if !a.items.is_empty() {
                prop_assert_eq!(a.person.department, b.person.department);
            }
            prop_assert_eq!(a.items, b.items);
        }
    }
}

/// An upload (a list's bytes and its file name) is imported exactly as the file is: the
/// same rows, the same events, the file named the same in them.
#[test]
fn a_list_in_memory_imports_exactly_like_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    std::fs::write(&path, handout_list(40, None)).unwrap();
    let moment = "2026-05-04T08:00:00Z".parse().unwrap();
    let mut from_file = register(&dir, "file.sqlite").with_clock(Clock::Fixed(moment));
    let mut uploaded = register(&dir, "upload.sqlite").with_clock(Clock::Fixed(moment));
    let options = ImportOptions::default();
    let a = from_file
        .import(ImportSource::file(&path).unwrap(), &options, &mut |_| {})
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let b = uploaded
        .import(
            ImportSource::bytes("list.csv", bytes),
            &options,
            &mut |_| {},
        )
        .unwrap();
    assert!(a.committed && b.committed);
    assert_eq!(a.handouts_opened, 40);
    assert_eq!(dump(&from_file), dump(&uploaded));
}

/// The events a register holds, as the desk and an import both write them: the action, the
/// device, the person, the moment, the status after and the details without the import's
/// file and line.
fn trail(register: &Register) -> Vec<String> {
    let sql = "SELECT e.action, d.serial, p.employee_no, e.at, e.status_after, e.details
               FROM event e LEFT JOIN device d ON d.id = e.device_id
               LEFT JOIN person p ON p.id = e.person_id ORDER BY e.id";
    testing::rows(register.path(), sql)
        .into_iter()
        .map(|mut cells| {
            let details = cells.pop().unwrap();
            let text = details
                .trim_start_matches("Text(\"")
                .trim_end_matches("\")");
            let mut value: Value = serde_json::from_str(&text.replace("\\\"", "\"")).unwrap();
            value.as_object_mut().unwrap().remove("import");
            cells.push(value.to_string());
            cells.join("|")
        })
        .collect()
}

/// One write path: a person added and a new device handed out, a handout to someone else,
/// then a transfer: at the desk and from a list, the same rows and the same events (the
/// list's file and line aside).
#[test]
fn the_desk_and_an_import_write_the_same_events() {
    let dir = tempfile::tempdir().unwrap();
    let moment = "2026-05-04T08:00:00Z".parse().unwrap();
    let mut desk = register(&dir, "desk.sqlite").with_clock(Clock::Fixed(moment));
    for (number, name) in [("1001", "Åsa Öberg"), ("1002", "Björn Ek")] {
        desk.add_person(&PersonInput {
            employee_no: number.into(),
            name: name.into(),
            email: None,
            department: Some("Gatukontoret".into()),
            end_date: None,
            ..PersonInput::default()
        })
        .unwrap();
    }
    let on = desk.moment("2024-01-15").unwrap();
    desk.handout(&HandoutRequest {
        device: "SN1".into(),
        to: "1001".into(),
        on: Some(on),
        new_device: NewDeviceInfo {
            kind: Some("laptop".into()),
            ..NewDeviceInfo::default()
        },
        ..HandoutRequest::default()
    })
    .unwrap();
    desk.transfer(&crate::domain::TransferRequest {
        which: crate::domain::Which::Devices(vec!["SN1".into()]),
        to: "1002".into(),
        from: None,
        on: Some(desk.moment("2024-02-01").unwrap()),
        note: None,
    })
    .unwrap();

    let mut imported = register(&dir, "import.sqlite").with_clock(Clock::Fixed(moment));
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "Namn;Anst.nr;Enhet\r\nÅsa Öberg;1001;Gatukontoret\r\nBjörn Ek;1002;Gatukontoret\r\n",
    )
    .unwrap();
    let first = dir.path().join("first.csv");
    std::fs::write(
        &first,
        "Namn;Anst.nr;Typ;Serienr;Utlämnad\r\nÅsa Öberg;1001;Bärbar dator;SN1;2024-01-15\r\n",
    )
    .unwrap();
    let second = dir.path().join("second.csv");
    std::fs::write(
        &second,
        "Namn;Anst.nr;Enhet;Serienr;Utlämnad\r\nBjörn Ek;1002;Gatukontoret;SN1;2024-02-01\r\n",
    )
    .unwrap();
    let transfer = ImportOptions {
        on_conflict: OnConflict::Transfer,
        ..ImportOptions::default()
    };
    let lists = [
        (&people, ImportOptions::default()),
        (&first, ImportOptions::default()),
        (&second, transfer),
    ];
    for (file, options) in lists {
        let summary = imported
            .import(ImportSource::file(file).unwrap(), &options, &mut |_| {})
            .unwrap();
        assert!(summary.committed, "{:?}", summary.errors);
    }
    let written = trail(&desk);
    let actions: Vec<&str> = written.iter().map(|e| &e[..e.find('|').unwrap()]).collect();
    assert_eq!(
        actions,
        [
            "Text(\"person_added\")",
            "Text(\"person_added\")",
            "Text(\"handed_out\")",
            "Text(\"transferred\")"
        ]
    );
    assert_eq!(written, trail(&imported));
}

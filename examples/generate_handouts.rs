//! Writes a handout list in the shape of a Swedish municipality's Excel export, for the
//! benchmark (`bench/run`): Windows-1252, `;`, CRLF, Swedish headers, three devices a
//! person, unique serials and asset tags, and a last working day (`Slutdatum`) for the one
//! person in twenty who has left and the one in forty who is leaving, so that `overdue` and
//! `report` have real work at scale. The same arguments always give the same file.
//!
//! ```sh
//! cargo run --release --example generate_handouts -- 100000 /tmp/utlamnat-100k.csv
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const HEADER: &str = "Användare;Anst.nr;Enhet;Typ;Fabrikat;Modell;Serienr;Inv.nr;\
                      Utlämningsdatum;Handläggare;Anteckning;Slutdatum";

const FIRST_NAMES: &[&str] = &[
    "Maria",
    "Per",
    "Åsa",
    "Björn",
    "Märta",
    "Örjan",
    "Anna",
    "Lars",
    "Karin",
    "Göran",
    "Eva",
    "Jörgen",
    "Sofia",
    "Håkan",
    "Elin",
    "Mårten",
    "Ingrid",
    "Stefan",
    "Linnéa",
    "Ahmed",
    "Fatima",
    "Jonas",
    "Ulla",
    "Åke",
    "Kristina",
    "Mohammed",
    "Sara",
    "Pär",
    "Helena",
    "Torbjörn",
];

const LAST_NAMES: &[&str] = &[
    "Olsson",
    "Gustafsson",
    "Wikström",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Öberg",
    "Åberg",
    "Lindqvist",
    "Sjögren",
    "Holmström",
    "Bäckström",
    "Ekström",
    "Hägglund",
    "Söderberg",
    "Lundgren",
    "Håkansson",
    "Ali",
    "Hassan",
    "Berglöf",
    "Strömberg",
    "Nordén",
];

/// Department, with the prefix its asset tags carry.
const DEPARTMENTS: &[(&str, &str)] = &[
    ("Gatukontoret", "GK"),
    ("Fritidsförvaltningen", "FF"),
    ("Socialförvaltningen", "SF"),
    ("Barn- och utbildningsförvaltningen", "BU"),
    ("Kommunledningskontoret", "KL"),
    ("Miljö- och hälsoskyddskontoret", "MH"),
    ("Äldreomsorgen", "ÄO"),
    ("Kultur och fritid", "KF"),
    ("Stadsbyggnadskontoret", "SB"),
    ("Vård och omsorg", "VO"),
];

/// Kind, make, model: each person gets a computer, a phone and one more thing.
const COMPUTERS: &[(&str, &str, &str)] = &[
    ("Bärbar dator", "Dell", "Latitude 7440"),
    ("Bärbar dator", "HP", "EliteBook 840 G10"),
    ("Bärbar dator", "Lenovo", "ThinkPad T14 Gen 4"),
    ("Dator", "HP", "ProDesk 400 G9"),
];
const PHONES: &[(&str, &str, &str)] = &[
    ("Mobiltelefon", "Apple", "iPhone SE (2022)"),
    ("Mobiltelefon", "Apple", "iPhone 14"),
    ("Mobiltelefon", "Samsung", "Galaxy A54"),
];
const OTHERS: &[(&str, &str, &str)] = &[
    ("Headset", "Jabra", "Evolve2 55"),
    ("Skärm", "HP", "E24 G5"),
    ("Dockningsstation", "Dell", "WD19S; 130W"),
    ("Surfplatta", "Samsung", "Galaxy Tab S9"),
];

const TECHNICIANS: &[&str] = &[
    "Ahmed (IT)",
    "Linnea IT",
    "Jörgen Servicedesk",
    "Åsa IT-support",
];

const NOTES: &[&str] = &[
    "",
    "",
    "",
    "",
    "Ersättning för stulen",
    "Skal \"Otterbox\" ingår",
    "Lånas ut t.o.m. projektets slut; återlämnas till IT",
    "Laddare och väska medföljer",
];

/// A small, fixed pseudo-random sequence (xorshift64*): the file depends on nothing else.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        // The modulo bias is irrelevant for test data.
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// A CSV cell, quoted when it holds the delimiter or a quote.
fn cell(value: &str) -> String {
    if value.contains([';', '"']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A serial that looks like a manufacturer's and is unique per row: a letter pair, then the
/// row number scattered over eight base-36 digits (multiplying by a number prime to 36 is a
/// one-to-one map modulo 36^8), so serials arrive in no particular order, as in real lists.
fn serial(row: u64, random: u64) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut text = vec![
        DIGITS[(10 + random % 26) as usize],
        DIGITS[(10 + (random >> 8) % 26) as usize],
    ];
    const SPACE: u64 = 36_u64.pow(8);
    let mut rest = row.wrapping_mul(0x9E37_79B5) % SPACE;
    let mut body = Vec::new();
    for _ in 0..8 {
        body.push(DIGITS[(rest % 36) as usize]);
        rest /= 36;
    }
    text.extend(body.iter().rev());
    String::from_utf8_lossy(&text).into_owned()
}

fn write_list(rows: u64, out: &mut impl Write) -> std::io::Result<()> {
    let mut random = Sequence(0x4842_4B31_D1CE_5EED);
    let mut line = String::with_capacity(256);
    let write_line = |line: &str, out: &mut dyn Write| -> std::io::Result<()> {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(line);
        assert!(!unmappable, "every word above is in Windows-1252");
        out.write_all(&bytes)?;
        out.write_all(b"\r\n")
    };
    write_line(HEADER, out)?;
    let first_day = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("a valid date");
    let leavers_from = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a valid date");
    let mut person = (String::new(), 0_u64, 0_usize, String::new());
    for row in 0..rows {
        let person_no = row / 3;
        if row % 3 == 0 {
            let name = format!("{} {}", random.pick(FIRST_NAMES), random.pick(LAST_NAMES));
            let department = (random.next() % DEPARTMENTS.len() as u64) as usize;
            // One person in twenty has left (most of them still holding everything, so
            // `overdue` and `report` have work to do); one in forty leaves in the future.
            let end_date = match random.next() % 40 {
                0 | 1 => (leavers_from + chrono::Days::new(random.next() % 690))
                    .format("%Y-%m-%d")
                    .to_string(),
                2 => (leavers_from + chrono::Days::new(800 + random.next() % 400))
                    .format("%Y-%m-%d")
                    .to_string(),
                _ => String::new(),
            };
            person = (name, 10_000 + person_no, department, end_date);
        }
        let (name, employee_no, department) = (&person.0, person.1, person.2);
        let (department_name, prefix) = DEPARTMENTS[department];
        let (kind, make, model) = match row % 3 {
            0 => random.pick(COMPUTERS),
            1 => random.pick(PHONES),
            _ => random.pick(OTHERS),
        };
        let serial = serial(row, random.next());
        // Some devices carry no asset tag; the others are unique (the row number is in it).
        let asset_tag = if random.next().is_multiple_of(10) {
            String::new()
        } else {
            format!("{prefix}-{row:07}")
        };
        let day = random.next() % (9 * 365);
        let date = (first_day + chrono::Days::new(day)).format("%Y-%m-%d");
        let time = if random.next().is_multiple_of(5) {
            format!(" {:02}:{:02}", 8 + random.next() % 9, random.next() % 60)
        } else {
            String::new()
        };
        let technician = random.pick(TECHNICIANS);
        let note = random.pick(NOTES);
        line.clear();
        line.push_str(&cell(name));
        line.push(';');
        line.push_str(&employee_no.to_string());
        line.push(';');
        line.push_str(&cell(department_name));
        for value in [*kind, *make, *model, &serial, &asset_tag] {
            line.push(';');
            line.push_str(&cell(value));
        }
        line.push(';');
        line.push_str(&date.to_string());
        line.push_str(&time);
        line.push(';');
        line.push_str(&cell(technician));
        line.push(';');
        line.push_str(&cell(note));
        line.push(';');
        line.push_str(&person.3);
        write_line(&line, out)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(rows), Some(path), None) = (
        args.first().and_then(|r| r.parse::<u64>().ok()),
        args.get(1),
        args.get(2),
    ) else {
        eprintln!("usage: generate_handouts ROWS FILE");
        return ExitCode::from(2);
    };
    let written = File::create(path).and_then(|file| {
        let mut out = BufWriter::new(file);
        write_list(rows, &mut out)?;
        out.flush()
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate_handouts: cannot write {path}: {e}");
            ExitCode::FAILURE
        }
    }
}

//! The documents as printed: Debian's headless Chromium prints each to A4 PDF and `pdftotext`
//! reads it back, page by page, the way a manager, an employee signing and an auditor read
//! the paper (issue 14). Skipped, with the reason, when Chromium or poppler-utils is missing
//! outside CI; in CI (`.ci/run` installs both) they must be there.

use super::{ok_in, person};
use crate::common::Scratch;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether Chromium and pdftotext are there; outside CI a missing one skips the test.
fn printer(test: &str) -> bool {
    let pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    if Path::new(CHROMIUM).exists() && pdftotext {
        return true;
    }
    let reason =
        format!("{CHROMIUM} or pdftotext is missing (apt-get install chromium poppler-utils)");
    assert!(
        std::env::var_os("CI").is_none(),
        "in CI the printer must be there: {reason}"
    );
    eprintln!("skipping {test}: {reason}");
    false
}

/// Prints `html` to A4 PDF and returns the text of each page.
fn print(s: &Scratch, name: &str, html: &str) -> Vec<String> {
    let source = s.write(&format!("{name}.html"), html);
    let pdf = s.path(&format!("{name}.pdf"));
    let profile = tempfile::tempdir().expect("a Chromium profile folder");
    let status = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&source)
        .output()
        .expect("run chromium");
    assert!(pdf.exists(), "chromium printed nothing: {status:?}");
    pages(&pdf)
}

fn pages(pdf: &PathBuf) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The long serials of the issue: a 15-digit IMEI and a monitor's serial with dashes.
const SERIALS: [&str; 14] = [
    "356789104512345",
    "CN-0K2W4H-74261-3B5-2ACL",
    "PF4KX9ZQ",
    "ZK1234567",
    "J55-100231",
    "LGK120-0042",
    "LGM185-7781",
    "C920-99812",
    "DMPXQ0KLJF8",
    "5ZKQ9X3",
    "CN-0XYZ12-74261-4C6-1ABC",
    "J40-22991",
    "F17GQ2XYZ0D9",
    "CN0DK9X1",
];

/// `number` leaves in the past holding `count` devices with long models and serials.
fn holder(s: &Scratch, number: &str, name: &str, count: usize, prefix: &str) -> Vec<String> {
    person(s, number, name, "Socialförvaltningen, äldreomsorg");
    let models = [
        ("laptop", "Lenovo", "ThinkPad T14 Gen 4"),
        ("phone", "Samsung", "Galaxy S23 Enterprise Edition"),
        ("monitor", "Dell", "P2422H"),
        ("dock", "Lenovo", "ThinkPad Universal USB-C Dock"),
    ];
    let serials: Vec<String> = SERIALS[..count]
        .iter()
        .map(|serial| format!("{prefix}{serial}"))
        .collect();
    for (i, serial) in serials.iter().enumerate() {
        let (kind, make, model) = models[i % models.len()];
        s.ok(&[
            "handout",
            serial,
            "--to",
            number,
            "--kind",
            kind,
            "--make",
            make,
            "--model",
            model,
            "--asset-tag",
            &format!("INV-{number}-{i}"),
            "--on",
            "2025-01-10",
        ]);
    }
    s.ok(&["leave", number, "--on", "2025-03-31"]);
    serials
}

/// Every page names the person and says "page x of y"; every serial is whole on one line;
/// the signatures are on a page that names the person and carries devices or their count.
#[test]
fn printed_checklists_name_the_person_on_every_page_and_keep_serials_whole() {
    if !printer("printed_checklists") {
        return;
    }
    let s = Scratch::new();
    s.ok(&["config", "set", "org.name", "Gatukontoret, Malmö stad"]);
    let name = "Marie-Louise von Essen-Hällström";
    for (number, count, prefix) in [("1004", 4, ""), ("1008", 8, "B"), ("1009", 9, "C")] {
        let serials = holder(&s, number, name, count, prefix);
        for (lang, page_word, of, signature, counted) in [
            (
                "sv",
                "Sida",
                "av",
                "Underskrift",
                "Antal enheter att återlämna",
            ),
            ("en", "Page", "of", "Signature", "Number of items to return"),
        ] {
            let html = ok_in(&s, lang, &["checklist", number, "--format", "html"]);
            let pages = print(&s, &format!("checklist-{number}-{lang}"), &html);
            let n = pages.len();
            for (i, page) in pages.iter().enumerate() {
                assert!(
                    page.contains(&format!("{name} ({number})")),
                    "{count} devices, {lang}, page {}: no name\n{page}",
                    i + 1
                );
                assert!(
                    page.contains(&format!("{page_word} {} {of} {n}", i + 1)),
                    "{count} devices, {lang}, page {}\n{page}",
                    i + 1
                );
            }
            let text = pages.join("\n");
            for serial in &serials {
                assert!(
                    text.lines().any(|line| line.contains(serial.as_str())),
                    "{serial} is broken over lines ({count} devices, {lang}):\n{text}"
                );
            }
            let signing = pages
                .iter()
                .find(|page| page.contains(signature))
                .expect("a page with the signatures");
            assert!(
                signing.contains(&format!("{counted}: {count}")) && signing.contains(name),
                "the signatures stand alone ({count} devices, {lang}):\n{signing}"
            );
        }
    }
}

/// A receipt for four devices fits one A4 page in both languages.
#[test]
fn a_printed_four_item_receipt_is_one_page() {
    if !printer("a_printed_four_item_receipt") {
        return;
    }
    let s = Scratch::new();
    let serials = holder(&s, "2001", "Johanna Wikström-Åkerlund", 4, "R");
    for lang in ["sv", "en"] {
        let html = ok_in(
            &s,
            lang,
            &["receipt", "2001", "--on", "2025-01-10", "--format", "html"],
        );
        let pages = print(&s, &format!("receipt-{lang}"), &html);
        assert_eq!(
            pages.len(),
            1,
            "{lang}:\n{}",
            pages.join("\n--- page ---\n")
        );
        for serial in &serials {
            assert!(pages[0].contains(serial.as_str()), "{serial}: {}", pages[0]);
        }
    }
}

/// The report's pages carry the period and "page x of y".
#[test]
fn a_printed_report_numbers_its_pages() {
    if !printer("a_printed_report") {
        return;
    }
    let s = Scratch::new();
    holder(&s, "3001", "Åsa Öberg-Ärlemalm", 9, "P");
    let html = ok_in(
        &s,
        "sv",
        &["report", "--from", "2025-01-01", "--to", "2025-06-30"],
    );
    let pages = print(&s, "report", &html);
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Period: 2025-01-01 – 2025-06-30"), "{page}");
        assert!(page.contains(&format!("Sida {} av {n}", i + 1)), "{page}");
    }
}

/// A batch of three people holding 1, 8 and 14 devices, printed double-sided: each starts on
/// an odd page, so sheets can be handed out one person at a time. (Chromium prints no blank
/// page for `break-before: right`; the batch counts its own pages and leaves blank backs.)
#[test]
fn a_printed_batch_starts_every_person_on_an_odd_page() {
    if !printer("a_printed_batch") {
        return;
    }
    let s = Scratch::new();
    holder(&s, "4001", "Karl-Johan Lindqvist", 1, "A");
    holder(&s, "4008", "Per Gustafsson", 8, "B");
    holder(&s, "4014", "Fatima Al-Hassan", 14, "C");
    let html = ok_in(&s, "en", &["checklist", "--leaving-before", "2025-03-31"]);
    let pages = print(&s, "batch", &html);
    for number in ["4001", "4008", "4014"] {
        let first = pages
            .iter()
            .position(|page| {
                page.contains(&format!("({number})")) && page.contains("Departure checklist")
            })
            .expect("the person's first page");
        assert_eq!(first % 2, 0, "{number} starts on page {}", first + 1);
    }
}

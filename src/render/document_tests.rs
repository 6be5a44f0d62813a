//! Tests of both formats over the sample documents: each document says what it must, in each
//! language; register values are escaped; the HTML is self-contained; the Markdown matches
//! the reviewed snapshots in `src/render/snapshots/`.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test render::` rewrites the snapshots; `HANDBACK_SAMPLES_DIR=dir
//! cargo test render::tests::write_samples` writes every sample in both formats to `dir`, to
//! look at with `scripts/look-at-documents`.

use super::samples::{self, HOSTILE_NAME};
use super::{html, markdown};
use crate::docs::{InLang, Receipt};
use crate::i18n::{Lang, Text};
use rstest::rstest;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Html,
    Markdown,
}

/// One rendered document, with the expected text escaped the way its format escapes it.
struct Rendered {
    format: Format,
    text: String,
}

impl Rendered {
    fn escaped(&self, value: &str) -> String {
        match self.format {
            Format::Html => maud::html! { (value) }.into_string(),
            Format::Markdown => markdown::escape(value),
        }
    }

    fn assert_has(&self, value: &str) {
        let escaped = self.escaped(value);
        // Dates kept on one line are wrapped in a span; the sentence reads the same.
        let text = self
            .text
            .replace("<span class=\"date\">", "")
            .replace("</span>", "");
        assert!(
            text.contains(&escaped),
            "{:?} document lacks {escaped:?}:\n{}",
            self.format,
            self.text
        );
    }

    fn assert_lacks(&self, value: &str) {
        assert!(
            !self.text.contains(&self.escaped(value)),
            "{:?} document should not say {value:?}",
            self.format
        );
    }
}

fn render<T>(doc: &T, format: Format, html: fn(&T) -> String, md: fn(&T) -> String) -> Rendered {
    let text = match format {
        Format::Html => html(doc),
        Format::Markdown => md(doc),
    };
    Rendered { format, text }
}

fn assert_signature_block(doc: &Rendered, lang: Lang, counterpart: Text) {
    for key in [
        Text::Employee,
        counterpart,
        Text::Signature,
        Text::Date,
        Text::NameInBlockLetters,
    ] {
        doc.assert_has(lang.text(key));
    }
}

#[rstest]
fn checklist_says_what_it_must(
    #[values(Lang::Sv, Lang::En)] lang: Lang,
    #[values(Format::Html, Format::Markdown)] format: Format,
) {
    let checklist = samples::checklist(lang);
    let doc = render(&checklist, format, html::checklist, markdown::checklist);
    doc.assert_has(lang.text(Text::ChecklistTitle));
    doc.assert_has("Åsa Öberg-Ärlemalm");
    doc.assert_has("1001");
    doc.assert_has("Socialförvaltningen, äldreomsorg");
    doc.assert_has("2025-03-31");
    for item in &checklist.items {
        doc.assert_has(&item.serial);
    }
    doc.assert_has(lang.kind("laptop").as_ref());
    doc.assert_has("Projektor");
    doc.assert_has("Lenovo ThinkPad T14 Gen 4");
    // Each item's own due date: the phone is due before the last working day.
    doc.assert_has("2025-03-10");
    // Who handed each out stays in the register: the paper gives make and model the room.
    doc.assert_lacks("jonas.ek");
    doc.assert_has(&lang.fill(Text::ItemCount, &["5"]));
    doc.assert_has(&lang.fill(Text::ReturnBy, &["2025-03-31"]));
    doc.assert_has(lang.text(Text::LostDevice));
    doc.assert_has(&lang.fill(
        Text::Produced,
        &["2025-03-14 10:05", "Maria Lindqvist (maria.lindqvist)"],
    ));
    assert_signature_block(&doc, lang, Text::ReceivingTechnician);
    doc.assert_lacks(lang.text(Text::NothingOutstanding));
}

#[rstest]
fn empty_checklist_says_nothing_is_outstanding(
    #[values(Lang::Sv, Lang::En)] lang: Lang,
    #[values(Format::Html, Format::Markdown)] format: Format,
) {
    let doc = render(
        &samples::checklist_empty(lang),
        format,
        html::checklist,
        markdown::checklist,
    );
    doc.assert_has(lang.text(Text::ChecklistTitle));
    doc.assert_has("Örjan Åkesson");
    doc.assert_has(lang.text(Text::NothingOutstanding));
    doc.assert_has(lang.text(Text::NothingConfirm));
    assert_signature_block(&doc, lang, Text::ReceivingTechnician);
    doc.assert_lacks(lang.text(Text::ColSerial));
}

#[test]
fn without_a_last_working_day_return_as_soon_as_possible() {
    let mut checklist = samples::checklist(Lang::Sv);
    checklist.person.end_date = None;
    let doc = render(
        &checklist,
        Format::Markdown,
        html::checklist,
        markdown::checklist,
    );
    doc.assert_has("snarast");
    assert!(doc.text.contains("- **Sista arbetsdag:** uppgift saknas"));
}

#[rstest]
fn receipt_says_what_it_must(
    #[values(Lang::Sv, Lang::En)] lang: Lang,
    #[values(Format::Html, Format::Markdown)] format: Format,
) {
    let receipt = samples::receipt(lang);
    let doc = render(&receipt, format, html::receipt, markdown::receipt);
    doc.assert_has(lang.text(Text::ReceiptTitle));
    doc.assert_has("Åsa Öberg-Ärlemalm");
    doc.assert_has("2025-03-14");
    doc.assert_has(lang.text(Text::HandedOutHeading));
    doc.assert_has(lang.text(Text::TakenBackHeading));
    doc.assert_has(lang.text(Text::HandedOverHeading));
    for serial in receipt
        .handed_out
        .iter()
        .map(|l| &l.device)
        .chain(receipt.handed_over.iter().map(|l| &l.device))
        .chain(receipt.taken_back.iter().map(|t| &t.device))
        .map(|l| &l.serial)
    {
        doc.assert_has(serial);
    }
    doc.assert_has(&lang.fill(Text::TakenOverFrom, &["Tove Lund (2044)"]));
    doc.assert_has(&lang.fill(Text::HandedOverTo, &["Fatima Al-Hassan (2109)"]));
    doc.assert_has(lang.text(Text::HandedOverConfirm));
    for key in [
        Text::ConditionDamaged,
        Text::RouteRepair,
        Text::RouteRecycle,
    ] {
        doc.assert_has(lang.text(key));
    }
    doc.assert_has("Sprucken skärm, laddporten glappar");
    doc.assert_has(lang.text(Text::HandedOutConfirm));
    doc.assert_has(lang.text(Text::TakenBackConfirm));
    assert_signature_block(&doc, lang, Text::Technician);
}

/// A receipt with nothing on it says so, and offers nothing to sign.
#[rstest]
fn an_empty_receipt_says_so_and_has_no_signature_lines(
    #[values(Lang::Sv, Lang::En)] lang: Lang,
    #[values(Format::Html, Format::Markdown)] format: Format,
) {
    let sample = samples::receipt(lang);
    let receipt = InLang::new(
        Receipt {
            handed_out: Vec::new(),
            handed_over: Vec::new(),
            taken_back: Vec::new(),
            ..sample.doc
        },
        lang,
    );
    let doc = render(&receipt, format, html::receipt, markdown::receipt);
    doc.assert_has(&lang.fill(Text::NothingChangedHands, &["2025-03-14"]));
    assert!(
        !doc.text.contains(lang.text(Text::SignaturesHeading)),
        "{}",
        doc.text
    );
}

#[rstest]
fn batch_has_a_cover_and_every_checklist(
    #[values(Lang::Sv, Lang::En)] lang: Lang,
    #[values(Format::Html, Format::Markdown)] format: Format,
) {
    let batch = samples::batch(lang);
    let doc = render(
        &batch,
        format,
        html::checklist_batch,
        markdown::checklist_batch,
    );
    doc.assert_has(lang.text(Text::BatchTitle));
    doc.assert_has(&lang.fill(Text::LeavingBetween, &["2025-03-01", "2025-03-31"]));
    doc.assert_has(&lang.fill(Text::PeopleCount, &["3"]));
    doc.assert_has(&lang.fill(Text::TotalItems, &["7"]));
    for checklist in &batch.checklists {
        doc.assert_has(&checklist.person.name);
    }
    let titles = doc
        .text
        .matches(&doc.escaped(lang.text(Text::ChecklistTitle)))
        .count();
    assert_eq!(titles, 3, "one checklist per person");
    doc.assert_has(lang.text(Text::NothingOutstanding));
}

fn lang_blank() -> &'static str {
    Lang::Sv.text(Text::BlankBack)
}

#[test]
fn batch_pages_break_between_people() {
    let html = html::checklist_batch(&samples::batch(Lang::Sv));
    // The cover and three people; the cover and the empty checklist are one page each, so
    // each gets a blank back: everyone starts on an odd page.
    assert_eq!(html.matches(r#"<section class="page"#).count(), 6);
    assert_eq!(html.matches(lang_blank()).count(), 2);
    assert!(html.contains(".page + .page { break-before: page; }"));
    // Printed double-sided, each person starts on a sheet of their own.
    assert!(html.contains(".batch .page + .page { break-before: right; }"));
}

#[rstest]
fn report_says_what_it_must(
    #[values(Lang::Sv, Lang::En)] lang: Lang,
    #[values(Format::Html, Format::Markdown)] format: Format,
) {
    let report = samples::report(lang);
    let doc = render(&report, format, html::report, markdown::report);
    doc.assert_has(lang.text(Text::ReportTitle));
    doc.assert_has(&lang.fill(Text::Period, &["2024-10-01", "2025-03-31"]));
    doc.assert_has(lang.text(Text::AllDepartments));
    doc.assert_has(lang.text(Text::PeopleLeft));
    doc.assert_has("23");
    doc.assert_has("Sara Öst (1077)");
    for row in &report.outstanding {
        doc.assert_has(&row.serial);
    }
    doc.assert_has("DMPXQ0KLJF8");
    doc.assert_has(lang.text(Text::Status(crate::model::Status::Stolen)));
    doc.assert_has(&lang.fill(Text::ReuseShare, &[&lang.percent(63.3)]));
    doc.assert_has("2024-10");
    doc.assert_has(lang.kind("headset").as_ref());
}

#[test]
fn report_html_draws_two_charts_with_escaped_labels() {
    let html = html::report(&samples::report(Lang::Sv));
    assert_eq!(html.matches("<svg ").count(), 2);
    assert!(html.contains("I tid"));
    assert!(html.contains("Återanvändning: 31 (63\u{a0}%)"));
}

#[rstest]
fn empty_report_says_so(#[values(Format::Html, Format::Markdown)] format: Format) {
    let doc = render(
        &samples::report_empty(Lang::Sv),
        format,
        html::report,
        markdown::report,
    );
    doc.assert_has(Lang::Sv.text(Text::NoData));
    doc.assert_has("Avdelning: Miljö & hälsa");
    assert!(!doc.text.contains("<svg"));
}

/// Every HTML document, for the checks that apply to all of them.
fn all_html() -> Vec<(String, String)> {
    all_samples()
        .into_iter()
        .map(|(name, html, _)| (name, html))
        .collect()
}

#[test]
fn html_is_self_contained_printable_and_script_free() {
    for (name, html) in all_html() {
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
        assert!(html.contains(r#"<meta charset="utf-8">"#), "{name}");
        assert!(html.contains("@page { size: A4;"), "{name}");
        let lower = html.to_lowercase();
        for banned in ["<script", "http://", "https://", "<link", "@import", "url("] {
            assert!(!lower.contains(banned), "{name} contains {banned}");
        }
    }
}

#[rstest]
#[case(Lang::Sv, r#"<html lang="sv">"#)]
#[case(Lang::En, r#"<html lang="en">"#)]
fn html_declares_its_language(#[case] lang: Lang, #[case] tag: &str) {
    assert!(html::checklist(&samples::checklist(lang)).contains(tag));
}

#[rstest]
fn hostile_values_are_text_in_html(#[values(Lang::Sv, Lang::En)] lang: Lang) {
    let html = html::checklist(&samples::checklist_hostile(lang));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; | # Bobby"));
    assert!(html.contains("&lt;img src=x&gt;"));
    assert!(!html.contains("<img"));
    assert!(html.contains("IT | &lt;/td&gt;&lt;/tr&gt;"));
    let report = html::report(&samples::report(lang));
    assert!(!report.contains("<script>"));
}

#[rstest]
fn hostile_values_keep_markdown_tables_intact(#[values(Lang::Sv, Lang::En)] lang: Lang) {
    let md = markdown::checklist(&samples::checklist_hostile(lang));
    assert!(!md.contains('<'), "raw < in:\n{md}");
    assert!(md.contains(r"&lt;script&gt;alert(1)&lt;/script&gt; \| # Bobby - Tables"));
    let report = markdown::report(&samples::report(lang));
    for text in [&md, &report] {
        assert_tables_intact(text);
    }
    assert!(!report.contains(HOSTILE_NAME));
}

/// Every line of a table has as many cell borders (unescaped `|`) as its header.
fn assert_tables_intact(md: &str) {
    let borders = |line: &str| {
        line.match_indices('|')
            .filter(|(i, _)| line[..*i].chars().rev().take_while(|&c| c == '\\').count() % 2 == 0)
            .count()
    };
    for table in md.split("\n\n").filter(|block| block.starts_with('|')) {
        let mut lines = table.lines();
        let header = lines.next().map(borders).unwrap_or(0);
        for line in lines {
            assert_eq!(borders(line), header, "broken table row {line:?}");
        }
    }
}

/// Every sample in both formats: (file stem, HTML, Markdown).
fn all_samples() -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    for lang in [Lang::Sv, Lang::En] {
        let code = lang.code();
        let mut add = |name: &str, html: String, md: String| {
            all.push((format!("{name}-{code}"), html, md));
        };
        let c = samples::checklist(lang);
        add("checklist", html::checklist(&c), markdown::checklist(&c));
        let c = samples::checklist_empty(lang);
        add(
            "checklist-empty",
            html::checklist(&c),
            markdown::checklist(&c),
        );
        let c = samples::checklist_hostile(lang);
        add(
            "checklist-hostile",
            html::checklist(&c),
            markdown::checklist(&c),
        );
        let b = samples::batch(lang);
        add(
            "batch",
            html::checklist_batch(&b),
            markdown::checklist_batch(&b),
        );
        let r = samples::receipt(lang);
        add("receipt", html::receipt(&r), markdown::receipt(&r));
        let r = samples::report(lang);
        add("report", html::report(&r), markdown::report(&r));
        let r = samples::report_empty(lang);
        add("report-empty", html::report(&r), markdown::report(&r));
    }
    all
}

#[test]
fn markdown_matches_the_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for (name, _, md) in all_samples() {
        let path = dir.join(format!("{name}.md"));
        // The samples are in Stockholm, whatever the machine's time zone: 10:05 in March.
        let actual = md.clone();
        if update {
            write(&path, &actual);
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == actual => {}
            _ => stale.push(path.display().to_string()),
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (UPDATE_SNAPSHOTS=1 rewrites them; review the diff): {stale:#?}"
    );
}

#[test]
fn write_samples() {
    let Some(dir) = std::env::var_os("HANDBACK_SAMPLES_DIR") else {
        return;
    };
    for (name, html, md) in all_samples() {
        write(&Path::new(&dir).join(format!("{name}.html")), &html);
        write(&Path::new(&dir).join(format!("{name}.md")), &md);
    }
}

fn write(path: &Path, text: &str) {
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text));
    if let Err(e) = written {
        panic!("{}: {e}", path.display());
    }
}

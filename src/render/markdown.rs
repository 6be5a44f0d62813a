//! The documents as Markdown (CommonMark with GitHub tables), for pasting into a ticket or a
//! wiki page.
//!
//! Every value from the register goes through [`escape`]: it cannot end a table cell, start a
//! heading or list, open emphasis, a link or code, or inject HTML.

use super::common::{self, Col, Signatures, Table};
use crate::docs::{Checklist, ChecklistBatch, DocumentHeader, InLang, Receipt, Report};
use crate::i18n::{Lang, Text};

/// A line long enough to sign on. Plain underscores: a run with blanks around it is
/// literal text in CommonMark, not emphasis.
const WRITING_LINE: &str = "______________________________";

pub fn checklist(doc: &InLang<Checklist>) -> String {
    let mut md = Md::default();
    checklist_into(&mut md, &doc.doc, doc.lang);
    md.0
}

/// The cover (selection, counts, one row per person), then each checklist after a rule.
pub fn checklist_batch(doc: &InLang<ChecklistBatch>) -> String {
    let lang = doc.lang;
    let mut md = Md::default();
    md.doc_head(lang, doc.title(), &doc.header, doc.document_no());
    md.para(&format!(
        "{}: {}",
        lang.text(Text::Selection),
        common::selection(lang, &doc.criteria)
    ));
    for line in common::batch_counts(doc) {
        md.para(&line);
    }
    if doc.checklists.is_empty() {
        md.para(lang.text(Text::NobodySelected));
    } else {
        md.table(&common::batch_cover(doc));
    }
    for checklist in &doc.checklists {
        md.raw("---\n\n");
        checklist_into(&mut md, checklist, lang);
    }
    md.0
}

pub fn receipt(doc: &InLang<Receipt>) -> String {
    let lang = doc.lang;
    let mut md = Md::default();
    md.doc_head(lang, doc.title(), &doc.header, doc.document_no());
    if let Some(copy) = common::copy_notice(lang, doc) {
        md.strong_para(&copy);
    }
    let mut facts = common::person_facts(lang, &doc.person);
    facts.push((lang.text(Text::ReceiptDate), common::date(doc.date)));
    md.facts(&facts);
    if doc.is_empty() {
        md.para(&lang.fill(Text::NothingChangedHands, &[&common::date(doc.date)]));
        return md.0;
    }
    md.heading(2, lang.text(Text::HandedOutHeading));
    md.table_or(
        &common::handed_out_table(lang, &doc.handed_out),
        lang.text(Text::NoEquipment),
    );
    if !doc.handed_over.is_empty() {
        md.heading(2, lang.text(Text::HandedOverHeading));
        md.table(&common::handed_over_table(lang, &doc.handed_over));
    }
    md.heading(2, lang.text(Text::TakenBackHeading));
    md.table_or(
        &common::taken_back_table(lang, &doc.taken_back),
        lang.text(Text::NoEquipment),
    );
    md.heading(2, lang.text(Text::StillHeldHeading));
    if doc.still_held.is_empty() {
        md.para(lang.text(Text::NothingStillHeld));
    } else {
        md.para(&common::still_held_intro(lang, doc));
        md.table(&common::still_held_table(lang, doc));
    }
    md.signing(
        &common::receipt_confirmation(lang, doc),
        &common::signatures(lang, Text::Technician),
    );
    md.0
}

pub fn report(doc: &InLang<Report>) -> String {
    let lang = doc.lang;
    let none = lang.text(Text::NoRows);
    let mut md = Md::default();
    md.doc_head(lang, doc.title(), &doc.header, doc.document_no());
    for line in common::report_scope(doc) {
        md.para(&line);
    }
    md.heading(2, lang.text(Text::DeparturesHeading));
    md.facts(&common::departure_facts(doc));
    md.heading(3, lang.text(Text::LateHeading));
    md.table_or(&common::late_table(doc), none);
    md.heading(2, lang.text(Text::OutstandingHeading));
    md.table_or(&common::outstanding_table(doc), none);
    md.heading(2, lang.text(Text::MissingHeading));
    md.table_or(&common::missing_table(doc), none);
    md.heading(2, lang.text(Text::RoutesHeading));
    match common::reuse_share(doc) {
        Some(share) => {
            md.para(&share);
            md.table(&common::routes_table(doc));
        }
        None => md.para(lang.text(Text::NoData)),
    }
    md.heading(2, lang.text(Text::StockHeading));
    md.table_or(&common::stock_table(doc), none);
    md.heading(2, lang.text(Text::MonthlyHeading));
    md.table_or(&common::monthly_table(doc), lang.text(Text::NoData));
    md.heading(2, lang.text(Text::ReviewHeading));
    for label in [Text::ReviewedBy, Text::Date] {
        md.para(&format!("{}: {WRITING_LINE}", lang.text(label)));
    }
    md.0
}

fn checklist_into(md: &mut Md, doc: &Checklist, lang: Lang) {
    md.doc_head(lang, Checklist::title(lang), &doc.header, doc.document_no());
    if let Some(notice) = common::overdue_notice(lang, doc) {
        md.strong_para(&notice);
    }
    md.facts(&common::person_facts(lang, &doc.person));
    if doc.items.is_empty() {
        md.strong_para(lang.text(Text::NothingOutstanding));
    } else {
        md.table(&common::checklist_items(lang, doc));
        let notes = common::item_notes(&doc.items);
        if !notes.is_empty() {
            md.heading(3, lang.text(Text::NotesHeading));
            for note in &notes {
                md.raw(&format!("- {}\n", escape(note)));
            }
            md.raw("\n");
        }
        md.strong_para(&common::item_count_line(lang, doc.items.len()));
        md.heading(2, lang.text(Text::ReturnHeading));
        for line in common::return_instruction(lang, doc) {
            md.para(&line);
        }
        md.facts(&common::return_facts(lang, &doc.header));
        md.strong_para(lang.text(Text::LostDevice));
    }
    md.signing(
        common::checklist_confirmation(lang, doc),
        &common::signatures(lang, Text::ReceivingTechnician),
    );
}

/// A Markdown document being written. Every method escapes the text it is given.
#[derive(Default)]
struct Md(String);

impl Md {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    fn heading(&mut self, level: usize, text: &str) {
        self.raw(&format!("{} {}\n\n", "#".repeat(level), escape(text)));
    }

    fn para(&mut self, text: &str) {
        self.raw(&format!("{}\n\n", escape(text)));
    }

    fn strong_para(&mut self, text: &str) {
        self.raw(&format!("**{}**\n\n", escape(text)));
    }

    fn doc_head(&mut self, lang: Lang, title: &str, header: &DocumentHeader, number: String) {
        self.heading(1, title);
        self.para(&common::produced_line(lang, header));
        self.facts(&common::provenance(lang, header, number));
    }

    fn facts(&mut self, facts: &[(&str, String)]) {
        if facts.is_empty() {
            return;
        }
        for (label, value) in facts {
            self.raw(&format!("- **{}:** {}\n", escape(label), escape(value)));
        }
        self.raw("\n");
    }

    fn table(&mut self, t: &Table) {
        let cells = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        self.raw(&cells(t.columns.iter().map(|(_, h)| escape(h)).collect()));
        self.raw(&cells(
            t.columns
                .iter()
                .map(|(col, _)| match col {
                    Col::Index | Col::Number => "---:".to_string(),
                    Col::Tick => ":---:".to_string(),
                    _ => "---".to_string(),
                })
                .collect(),
        ));
        for row in &t.rows {
            self.raw(&cells(
                t.columns
                    .iter()
                    .zip(row)
                    .map(|((col, _), cell)| match col {
                        Col::Tick => "☐".to_string(),
                        Col::Blank => String::new(),
                        _ => escape(cell),
                    })
                    .collect(),
            ));
        }
        self.raw("\n");
    }

    fn table_or(&mut self, t: &Table, empty: &str) {
        if t.rows.is_empty() {
            self.para(empty);
        } else {
            self.table(t);
        }
    }

    fn signing(&mut self, confirmation: &str, signatures: &Signatures) {
        self.heading(2, signatures.heading);
        self.para(confirmation);
        for role in signatures.roles {
            self.strong_para(role);
            for line in signatures.lines {
                self.raw(&format!("{}: {WRITING_LINE}\n\n", escape(line)));
            }
        }
    }
}

/// Makes `text` safe as inline Markdown anywhere, including a table cell or the start of a
/// line: one line, without soft hyphens; `&`, `<`, `>` as entities (no HTML); backslash before the characters that
/// make emphasis, code, links, strike-through or a cell border; and a leading heading, list,
/// quote or rule marker neutralised.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // A soft hyphen only matters where lines are broken for print.
            '\u{ad}' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    neutralise_start(out)
}

/// `# x`, `- x`, `+ x`, `= x` and `1. x` / `1) x` at the start of a line are blocks;
/// a backslash makes them text.
fn neutralise_start(text: String) -> String {
    if text.starts_with(['#', '-', '+', '=']) {
        return format!("\\{text}");
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Åsa Öberg", "Åsa Öberg")]
    #[case("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    #[case("a | b", r"a \| b")]
    #[case("two\nlines\r\nhere", "two lines  here")]
    #[case("# heading", r"\# heading")]
    #[case("- item", r"\- item")]
    #[case("1. first", r"1\. first")]
    #[case("2025) x", r"2025\) x")]
    #[case("Anna-Karin", "Anna-Karin")]
    #[case(
        "*bold* _it_ `code` [link](x) ~~s~~",
        r"\*bold\* \_it\_ \`code\` \[link\](x) \~\~s\~\~"
    )]
    #[case("AT&T", "AT&amp;T")]
    #[case(r"back\slash", r"back\\slash")]
    #[case("Serie\u{ad}nummer", "Serienummer")]
    fn values_are_escaped(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(escape(raw), expected);
    }

    proptest::proptest! {
        #[test]
        fn an_escaped_value_stays_in_its_cell(raw in ".*") {
            let escaped = escape(&raw);
            proptest::prop_assert!(!escaped.contains('\n'));
            proptest::prop_assert!(!escaped.contains('<'));
            // Every | is preceded by a backslash that is not itself escaped.
            let unescaped_pipe = escaped
                .match_indices('|')
                .any(|(i, _)| escaped[..i].chars().rev().take_while(|&c| c == '\\').count() % 2 == 0);
            proptest::prop_assert!(!unescaped_pipe);
        }
    }
}

//! The documents as one self-contained, printable HTML file each: inline CSS laid out for
//! A4, no scripts, nothing fetched from anywhere, charts as inline SVG.
//!
//! Every page names itself in a running footer (whose it is, the document and its number,
//! the organisation, "Page x of y"): CSS paged media, margin boxes and page counters, which
//! Chromium prints. In a batch each person's pages are a named page with their own footer.
//!
//! Everything is written through `maud`, which escapes every value from the register, so a
//! name like `<script>` prints as text. The only unescaped text is the CSS: this crate's own,
//! and the footers' strings, every character of which but letters, digits and spaces is
//! written as a CSS escape ([`css_string`]).

use super::common::{self, Col, Signatures, Table};
use crate::docs::{Checklist, ChecklistBatch, DocumentHeader, InLang, Receipt, Report};
use crate::i18n::{Lang, Text};
use crate::model::Route;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// A4 with print CSS; on screen the same sheets on a grey desk.
const CSS: &str = include_str!("print.css");

/// Series colours: dark and light enough to tell apart on a black-and-white printer too.
const ON_TIME_COLOUR: &str = "#1f4e79";
const LATE_COLOUR: &str = "#e3a33b";
/// Each route's colour, and the colour of a share written on it (contrast at least 4.5:1).
const ROUTE_COLOURS: [(&str, &str); 3] = [
    ("#2e6b3f", "#fff"),
    ("#e3a33b", "#111"),
    ("#5f5f5f", "#fff"),
];

pub fn checklist(doc: &InLang<Checklist>) -> String {
    let lang = doc.lang;
    let pages = page_rule(lang, None, &common::checklist_footer(lang, doc));
    let title = common::checklist_title(lang, doc);
    document(
        lang,
        &title,
        &pages,
        checklist_page(&doc.doc, lang, 1, Layout::Alone),
    )
}

/// A cover page listing everyone, then each person's checklist starting on a sheet of its
/// own (an odd page), its pages footed with the person's name.
pub fn checklist_batch(doc: &InLang<ChecklistBatch>) -> String {
    let lang = doc.lang;
    let cover_footer = common::footer(
        &common::selection(lang, &doc.criteria),
        doc.title(),
        &doc.document_no(),
        &doc.header,
    );
    let mut pages = page_rule(lang, None, &cover_footer);
    for (i, checklist) in doc.checklists.iter().enumerate() {
        pages.push_str(&page_rule(
            lang,
            Some(&person_page(i)),
            &common::checklist_footer(lang, checklist),
        ));
    }
    let cover_pages = page_chunks(
        doc.checklists.len(),
        COVER_FIRST_PAGE_ROWS,
        COVER_NEXT_PAGE_ROWS,
    );
    let body = html! {
        div.batch {
            section.page {
                (doc_head(lang, doc.title(), &doc.header, doc.document_no()))
                p { strong { (lang.text(Text::Selection)) ": " } (common::selection(lang, &doc.criteria)) }
                @for line in common::batch_counts(doc) { p.count { (line) } }
                @if doc.checklists.is_empty() {
                    p.statement { (lang.text(Text::NobodySelected)) }
                } @else {
                    (paged_table(&common::batch_cover(doc), doc.title(), &cover_pages))
                }
            }
            @if !doc.checklists.is_empty() { (blank_back(lang, cover_pages.len(), None)) }
            @for (i, checklist) in doc.checklists.iter().enumerate() {
                (checklist_page(checklist, lang, 2, Layout::InBatch(&person_page(i))))
            }
        }
    };
    document(lang, &common::batch_title(doc), &pages, body)
}

/// The named page of the `i`th person of a batch.
fn person_page(i: usize) -> String {
    format!("person-{}", i + 1)
}

pub fn receipt(doc: &InLang<Receipt>) -> String {
    let lang = doc.lang;
    let mut facts = common::person_facts(lang, &doc.person);
    facts.push((lang.text(Text::ReceiptDate), common::date(doc.date)));
    let body = html! {
        section.page {
            (doc_head(lang, doc.title(), &doc.header, doc.document_no()))
            @if let Some(copy) = common::copy_notice(lang, doc) {
                p.alert { "⚠ " (copy) }
            }
            (person_fact_list(&facts))
            @if doc.is_empty() {
                p.empty { (lang.fill(Text::NothingChangedHands, &[&common::date(doc.date)])) }
            } @else {
                (receipt_tables(doc))
                div.closing {
                    (still_held(doc))
                    (signing(&common::receipt_confirmation(lang, doc), &common::signatures(lang, Text::Technician), 2))
                }
            }
        }
    };
    let pages = page_rule(lang, None, &common::receipt_footer(doc));
    document(lang, &common::receipt_title(doc), &pages, body)
}

/// What was handed out, handed over and taken back that day.
fn receipt_tables(doc: &InLang<Receipt>) -> Markup {
    let lang = doc.lang;
    let out = lang.text(Text::HandedOutHeading);
    let over = lang.text(Text::HandedOverHeading);
    let back = lang.text(Text::TakenBackHeading);
    html! {
        h2 { (out) }
        @if doc.handed_out.is_empty() {
            p.empty { (lang.text(Text::NoEquipment)) }
        } @else {
            (table(&common::handed_out_table(lang, &doc.handed_out), out))
        }
        @if !doc.handed_over.is_empty() {
            h2 { (over) }
            (table(&common::handed_over_table(lang, &doc.handed_over), over))
        }
        h2 { (back) }
        @if doc.taken_back.is_empty() {
            p.empty { (lang.text(Text::NoEquipment)) }
        } @else {
            (table(&common::taken_back_table(lang, &doc.taken_back), back))
        }
    }
}

/// What the person still holds after that day, to return.
fn still_held(doc: &InLang<Receipt>) -> Markup {
    let lang = doc.lang;
    let heading = lang.text(Text::StillHeldHeading);
    html! {
        h2 { (heading) }
        @if doc.still_held.is_empty() {
            p.empty { (lang.text(Text::NothingStillHeld)) }
        } @else {
            p { (common::still_held_intro(lang, doc)) }
            (table(&common::still_held_table(lang, doc), heading))
        }
    }
}

pub fn report(doc: &InLang<Report>) -> String {
    let lang = doc.lang;
    let none = |t: &Table, caption: &str| table_or_none(lang, t, caption);
    let late = lang.text(Text::LateHeading);
    let outstanding = lang.text(Text::OutstandingHeading);
    let missing = lang.text(Text::MissingHeading);
    let stock = lang.text(Text::StockHeading);
    let body = html! {
        section.page.report {
            (doc_head(lang, doc.title(), &doc.header, doc.document_no()))
            @for line in common::report_scope(doc) { p.count { (line) } }

            div.keep {
                h2 { (lang.text(Text::DeparturesHeading)) }
                (fact_list(&common::departure_facts(doc)))
            }
            h3 { (late) }
            (none(&common::late_table(doc), late))

            h2 { (outstanding) }
            (none(&common::outstanding_table(doc), outstanding))

            h2 { (missing) }
            (none(&common::missing_table(doc), missing))

            div.keep {
                h2 { (lang.text(Text::RoutesHeading)) }
                @if let Some(share) = common::reuse_share(doc) {
                    p.count { (share) }
                    (routes_chart(doc))
                    (table(&common::routes_table(doc), lang.text(Text::RoutesChart)))
                } @else {
                    p.empty { (lang.text(Text::NoData)) }
                }
            }

            h2 { (stock) }
            (none(&common::stock_table(doc), stock))

            div.keep {
                h2 { (lang.text(Text::MonthlyHeading)) }
                @if doc.monthly.is_empty() {
                    p.empty { (lang.text(Text::NoData)) }
                } @else {
                    (monthly_chart(doc))
                    (table(&common::monthly_table(doc), lang.text(Text::MonthlyChart)))
                }
            }
            (review(lang))
        }
    };
    let pages = page_rule(lang, None, &common::report_footer(doc));
    document(lang, &common::report_title(doc), &pages, body)
}

/// Lines for the internal controller who reviews the report.
fn review(lang: Lang) -> Markup {
    html! {
        div.signing {
            h2 { (lang.text(Text::ReviewHeading)) }
            div.signatures {
                @for label in [Text::ReviewedBy, Text::Date] {
                    div { div.line {} p.line-label { (lang.text(label)) } }
                }
            }
        }
    }
}

/// The whole file around the pages; `pages` are the `@page` rules with the footers.
fn document(lang: Lang, title: &str, pages: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) (PreEscaped(pages)) }
            }
            // One main landmark holds the document, as a screen reader expects of a page.
            body { main { (body) } }
        }
    }
    .into_string()
}

/// How a footer looks: margin boxes do not inherit the body's font.
const FOOT: &str = "font-family: system-ui, \"DejaVu Sans\", \"Liberation Sans\", Arial, \
    sans-serif; font-size: 7.5pt; color: #333; vertical-align: top; padding-top: 3mm;";

/// The `@page` rule (of the named page `name`, or every page) with `footer` at the foot's
/// left and "Page x of y" at its right.
fn page_rule(lang: Lang, name: Option<&str>, footer: &str) -> String {
    let (before, rest) = lang.text(Text::PageOf).split_once("{}").unwrap_or(("", ""));
    let (between, after) = rest.split_once("{}").unwrap_or(("", ""));
    format!(
        "@page{name} {{ size: A4; margin: 14mm 15mm 17mm 15mm;\n\
         @bottom-left {{ content: {footer}; {FOOT} }}\n\
         @bottom-right {{ content: {before} counter(page) {between} counter(pages) {after}; \
         {FOOT} white-space: nowrap; }} }}\n",
        name = name.map(|n| format!(" {n}")).unwrap_or_default(),
        footer = css_string(footer),
        before = css_string(before),
        between = css_string(between),
        after = css_string(after),
    )
}

/// `text` as a quoted CSS string that cannot end the string, the rule or the `<style>`
/// element: every character but ASCII letters, digits and spaces is a hex escape; control
/// characters are dropped.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars().filter(|c| !c.is_control()) {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// A heading of `level` (1 to 4): a batch's checklists sit one level under its cover.
fn heading(level: u8, text: &str) -> Markup {
    match level {
        1 => html! { h1 { (text) } },
        2 => html! { h2 { (text) } },
        3 => html! { h3 { (text) } },
        _ => html! { h4 { (text) } },
    }
}

fn doc_head(lang: Lang, title: &str, header: &DocumentHeader, document_no: String) -> Markup {
    head_at(lang, title, header, document_no, 1)
}

fn head_at(
    lang: Lang,
    title: &str,
    header: &DocumentHeader,
    document_no: String,
    level: u8,
) -> Markup {
    html! {
        header.doc-head {
            (heading(level, title))
            p { (common::produced_line(lang, header)) }
            dl.provenance {
                @for (label, value) in common::provenance(lang, header, document_no) {
                    div { dt { (label) ":" } dd { (value) } }
                }
            }
        }
    }
}

/// The sentence with its date kept on one line: a printed "2025-" / "06-30" misreads.
fn unbroken_date(sentence: &str, day: Option<chrono::NaiveDate>) -> Markup {
    let date = day.map(common::date);
    match date
        .as_deref()
        .and_then(|d| sentence.split_once(d).map(|(a, b)| (a, d, b)))
    {
        Some((before, date, after)) => html! { (before) span.date { (date) } (after) },
        None => html! { (sentence) },
    }
}

fn fact_list(facts: &[(&str, String)]) -> Markup {
    html! {
        dl.facts {
            @for (label, value) in facts {
                dt { (label) } dd { (value) }
            }
        }
    }
}

/// A person's facts (and a receipt's date), two to a line.
fn person_fact_list(facts: &[(&str, String)]) -> Markup {
    html! {
        dl.facts.person-facts {
            @for (label, value) in facts {
                dt { (label) } dd { (value) }
            }
        }
    }
}

fn col_class(col: Col) -> &'static str {
    match col {
        Col::Text => "text",
        Col::Name => "name",
        Col::Code => "code",
        Col::Date => "date",
        Col::Index => "idx",
        Col::Number => "num",
        Col::Tick => "tick",
        Col::Blank => "blank",
    }
}

/// A table with its caption (for screen readers: a heading shows it) and column headings
/// that label each cell, which a phone shows beside the value.
fn table(t: &Table, caption: &str) -> Markup {
    html! {
        table {
            caption { (caption) }
            thead { tr { @for (col, heading) in &t.columns { th scope="col" class=(col_class(*col)) { (heading) } } } }
            tbody {
                @for row in &t.rows {
                    tr {
                        @for ((col, heading), cell) in t.columns.iter().zip(row) {
                            td class=(col_class(*col)) data-label=(heading.replace('\u{ad}', "")) {
                                @if *col == Col::Tick { span.box {} } @else { (cell) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn table_or_none(lang: Lang, t: &Table, caption: &str) -> Markup {
    html! {
        @if t.rows.is_empty() { p.empty { (lang.text(Text::NoRows)) } } @else { (table(t, caption)) }
    }
}

/// The confirmation sentence and two columns of signature, date and name lines, kept on one
/// page together; its heading at `level`.
fn signing(confirmation: &str, signatures: &Signatures, level: u8) -> Markup {
    html! {
        div.signing {
            (heading(level.max(2), signatures.heading))
            p { (confirmation) }
            div.signatures {
                @for role in signatures.roles {
                    div {
                        (heading(level.max(2) + 1, role))
                        @for line in signatures.lines {
                            div.line {}
                            p.line-label { (line) }
                        }
                    }
                }
            }
        }
    }
}

/// How many rows of a batch's checklist go on its first page, and on each page after: few
/// enough that they fit even when every row takes three lines.
const FIRST_PAGE_ROWS: usize = 14;
const NEXT_PAGE_ROWS: usize = 18;

/// The same for the rows of a batch's cover, one line each.
const COVER_FIRST_PAGE_ROWS: usize = 30;
const COVER_NEXT_PAGE_ROWS: usize = 40;

/// The row numbers of each page of `rows` rows: `first` on the first page, `next` on each
/// page after.
fn page_chunks(rows: usize, first: usize, next: usize) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    chunks.push(0..rows.min(first));
    let mut start = first;
    while start < rows {
        chunks.push(start..rows.min(start + next));
        start += next;
    }
    chunks
}

/// A table over pages of `chunks` rows each, each page's part under the column headings.
fn paged_table(t: &Table, caption: &str, chunks: &[std::ops::Range<usize>]) -> Markup {
    html! {
        @for (i, chunk) in chunks.iter().enumerate() {
            div.sheet[i > 0] { (table(&t.slice(chunk.clone()), caption)) }
        }
    }
}

/// The blank back of a batch's sheet after `pages` pages, when they are an odd number.
fn blank_back(lang: Lang, pages: usize, style: Option<&str>) -> Markup {
    html! {
        @if pages % 2 == 1 {
            section.page.blank-back style=[style] {
                p.empty { (lang.text(Text::BlankBack)) }
            }
        }
    }
}

/// How a checklist is laid out: alone (its end kept with its last rows), or as one of a
/// batch printed double-sided, where each person must start on a sheet of their own.
/// Chromium prints no blank page for `break-before: right`, so a batch's checklist counts its
/// own pages: its rows in page-sized tables, its end on a page of its own, and a blank back
/// when that makes an odd number.
#[derive(Clone, Copy)]
enum Layout<'a> {
    Alone,
    /// The named page of this person's pages.
    InBatch(&'a str),
}

/// The pages a batch's checklist takes: its tables' pages and its end's, or one for nothing
/// held.
fn batch_pages(doc: &Checklist, table_pages: usize) -> usize {
    if doc.items.is_empty() {
        1
    } else {
        table_pages + 1
    }
}

/// One person's checklist, its title at heading `level` (1 alone, 2 in a batch).
fn checklist_page(doc: &Checklist, lang: Lang, level: u8, layout: Layout<'_>) -> Markup {
    let (style, chunks) = match layout {
        Layout::Alone => (None, page_chunks(doc.items.len(), usize::MAX, usize::MAX)),
        Layout::InBatch(name) => (
            Some(format!("page: {name}")),
            page_chunks(doc.items.len(), FIRST_PAGE_ROWS, NEXT_PAGE_ROWS),
        ),
    };
    let in_batch = style.is_some();
    let items = lang.text(Text::ItemsHeading);
    let sub = level + 1;
    html! {
        section.page style=[&style] {
            (head_at(lang, Checklist::title(lang), &doc.header, doc.document_no(), level))
            @if let Some(notice) = common::overdue_notice(lang, doc) {
                p.alert { "⚠ " (notice) }
            }
            (person_fact_list(&common::person_facts(lang, &doc.person)))
            @if doc.items.is_empty() {
                p.statement { (lang.text(Text::NothingOutstanding)) }
            } @else {
                (heading(sub, items))
                (paged_table(&common::checklist_items(lang, doc), items, &chunks))
            }
            div.closing.sheet[in_batch && !doc.items.is_empty()] {
                @if in_batch && !doc.items.is_empty() {
                    // The end's page of its own names whose it is in the page, not only
                    // in the footer.
                    p.continued { strong { (doc.person.label()) } " – " (lang.text(Text::ChecklistShort)) }
                }
                @let notes = common::item_notes(&doc.items);
                @if !notes.is_empty() {
                    div.notes {
                        (heading(sub + 1, lang.text(Text::NotesHeading)))
                        ul { @for note in &notes { li { (note) } } }
                    }
                }
                @if !doc.items.is_empty() {
                    p.count { (common::item_count_line(lang, doc.items.len())) }
                    (return_notice(doc, lang, sub))
                }
                (signing(
                    common::checklist_confirmation(lang, doc),
                    &common::signatures(lang, Text::ReceivingTechnician),
                    sub,
                ))
            }
        }
        @if in_batch { (blank_back(lang, batch_pages(doc, chunks.len()), style.as_deref())) }
    }
}

/// Where, when and by which day to return everything, and what to do about a lost device.
fn return_notice(doc: &Checklist, lang: Lang, level: u8) -> Markup {
    html! {
        div.notice {
            (heading(level, lang.text(Text::ReturnHeading)))
            @for line in common::return_instruction(lang, doc) {
                p { (unbroken_date(&line, doc.return_by())) }
            }
            @let facts = common::return_facts(lang, &doc.header);
            @if !facts.is_empty() { (fact_list(&facts)) }
            p.warning { (lang.text(Text::LostDevice)) }
        }
    }
}

/// SVG coordinates with one decimal.
fn px(value: f64) -> String {
    format!("{value:.1}")
}

/// The smallest 1-2-5 step that splits `max` into at most five intervals.
fn tick_step(max: u32) -> u32 {
    let mut magnitude = 1;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * magnitude;
            if max <= step * 5 {
                return step;
            }
        }
        magnitude *= 10;
    }
}

/// Returns on time and late as grouped bars per month, with axis, values and legend.
fn monthly_chart(doc: &InLang<Report>) -> Markup {
    let lang = doc.lang;
    let (width, height) = (680.0, 260.0);
    let (left, right, top, bottom) = (44.0, 8.0, 34.0, 30.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = doc
        .monthly
        .iter()
        .map(|m| m.on_time.max(m.late))
        .max()
        .unwrap_or(0)
        .max(1);
    let step = tick_step(max);
    let y_max = f64::from(step * max.div_ceil(step));
    let y = |v: u32| top + plot_h - plot_h * f64::from(v) / y_max;
    let ticks: Vec<u32> = (0..=max.div_ceil(step)).map(|i| i * step).collect();
    let group = plot_w / doc.monthly.len().max(1) as f64;
    let bar = (group * 0.32).min(36.0);
    let label_size = if doc.monthly.len() > 12 { 8 } else { 11 };
    let caption = lang.text(Text::MonthlyChart);
    let series = [
        (lang.text(Text::OnTime), ON_TIME_COLOUR),
        (lang.text(Text::Late), LATE_COLOUR),
    ];
    html! {
        figure.chart {
            svg viewBox={"0 0 " (width) " " (height)}
                role="img" aria-label=(caption) font-family="inherit" font-size="11" {
                title { (caption) }
                @for (i, (name, colour)) in series.iter().enumerate() {
                    rect x=(px(left + i as f64 * 110.0)) y="8" width="12" height="12" fill=(colour) {}
                    text x=(px(left + 17.0 + i as f64 * 110.0)) y="18" { (name) }
                }
                @for tick in &ticks {
                    line x1=(px(left)) x2=(px(width - right)) y1=(px(y(*tick))) y2=(px(y(*tick)))
                        stroke="#d0d0d0" stroke-width="0.75" {}
                    text x=(px(left - 6.0)) y=(px(y(*tick) + 4.0)) text-anchor="end" { (tick) }
                }
                line x1=(px(left)) x2=(px(left)) y1=(px(top)) y2=(px(top + plot_h)) stroke="#333" {}
                line x1=(px(left)) x2=(px(width - right)) y1=(px(top + plot_h)) y2=(px(top + plot_h)) stroke="#333" {}
                @for (i, month) in doc.monthly.iter().enumerate() {
                    @let centre = left + group * (i as f64 + 0.5);
                    @for (j, (value, (name, colour))) in [month.on_time, month.late].into_iter().zip(series).enumerate() {
                        @let x = centre - bar + j as f64 * bar;
                        rect x=(px(x)) y=(px(y(value))) width=(px(bar - 1.0))
                            height=(px(top + plot_h - y(value))) fill=(colour) {
                            title { (month.label()) " – " (name) ": " (value) }
                        }
                        @if value > 0 {
                            text x=(px(x + bar / 2.0)) y=(px(y(value) - 3.0)) text-anchor="middle" font-size="9" { (value) }
                        }
                    }
                    text x=(px(centre)) y=(px(top + plot_h + 16.0)) text-anchor="middle"
                        font-size=(label_size) { (month.label()) }
                }
            }
        }
    }
}

/// Reuse, repair and recycling as one horizontal bar split by share, with a legend.
fn routes_chart(doc: &InLang<Report>) -> Markup {
    let lang = doc.lang;
    let routes = doc.routes;
    let (width, left, bar_w) = (680.0, 4.0, 672.0);
    let caption = lang.text(Text::RoutesChart);
    let mut x = left;
    let segments: Vec<(Route, f64, f64, &str, &str)> = common::ROUTES
        .iter()
        .zip(ROUTE_COLOURS)
        .map(|(&route, (colour, ink))| {
            let share = routes.percent(route).unwrap_or(0.0);
            let start = x;
            x += bar_w * share / 100.0;
            (route, start, bar_w * share / 100.0, colour, ink)
        })
        .collect();
    html! {
        figure.chart {
            svg viewBox={"0 0 " (width) " 78"}
                role="img" aria-label=(caption) font-family="inherit" font-size="11" {
                title { (caption) }
                @for (route, start, w, colour, ink) in &segments {
                    @let share = lang.percent(f64::from(routes.whole_percent(*route).unwrap_or(0)));
                    rect x=(px(*start)) y="4" width=(px(*w)) height="30" fill=(colour) {
                        title { (lang.text((*route).into())) ": " (routes.count(*route)) " (" (share) ")" }
                    }
                    @if *w >= 44.0 {
                        text x=(px(start + w / 2.0)) y="24" text-anchor="middle" fill=(ink)
                            font-weight="600" { (share) }
                    }
                }
                rect x=(px(left)) y="4" width=(px(bar_w)) height="30" fill="none" stroke="#333" stroke-width="0.75" {}
                @for (i, (route, _, _, colour, _)) in segments.iter().enumerate() {
                    @let lx = left + i as f64 * 224.0;
                    rect x=(px(lx)) y="50" width="12" height="12" fill=(colour) {}
                    text x=(px(lx + 17.0)) y="60" {
                        (lang.text((*route).into())) ": " (routes.count(*route))
                        " (" (lang.percent(f64::from(routes.whole_percent(*route).unwrap_or(0)))) ")"
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::samples;

    #[test]
    fn a_footer_string_cannot_end_the_string_the_rule_or_the_style() {
        let hostile = "Å\"; } </style><script>x</script>\\ \n";
        let css = css_string(hostile);
        assert_eq!(css.matches('"').count(), 2, "{css}");
        for banned in ["<", ">", ";", "}", "\n"] {
            assert!(!css.contains(banned), "{banned} in {css}");
        }
        assert!(css.starts_with("\"\\c5 \\22 "), "{css}");
    }

    /// A hostile name reaches the footer of every page, escaped.
    #[test]
    fn a_hostile_name_stays_inside_the_footer() {
        let html = checklist(&samples::checklist_hostile(Lang::Sv));
        assert_eq!(html.matches("</style>").count(), 1);
        assert!(!html.contains("<script"), "{html}");
        let style = html.split("</style>").next().unwrap_or_default();
        assert!(style.contains("@bottom-left { content: \"\\3c script\\3e alert"));
    }
}

//! The documents as one self-contained, printable HTML file each: inline CSS laid out for
//! A4, no scripts, nothing fetched from anywhere, charts as inline SVG.
//!
//! Everything is written through `maud`, which escapes every value from the register, so a
//! name like `<script>` prints as text. The only unescaped text is this file's own CSS.

use super::common::{self, Col, Signatures, Table};
use crate::docs::{Checklist, ChecklistBatch, DocumentHeader, InLang, Receipt, Report};
use crate::i18n::{Lang, Text};
use crate::model::Route;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// A4 with print CSS; on screen the same sheets on a grey desk.
const CSS: &str = r#"
@page { size: A4; margin: 16mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #111; background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 10.5pt; line-height: 1.4;
}
.page { width: 100%; overflow-wrap: break-word; }
.page + .page { break-before: page; page-break-before: always; }
@media screen {
  body { background: #d9dce1; padding: 8mm 0; }
  .page { width: 210mm; min-height: 297mm; margin: 0 auto 8mm; padding: 16mm;
    background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, .25); }
}
.doc-head { border-bottom: 2pt solid #1f3a5f; padding-bottom: 3mm; margin-bottom: 6mm; }
.doc-head h1 { font-size: 17pt; line-height: 1.2; margin: 0 0 1.5mm; color: #1f3a5f; }
.doc-head p { margin: 0; font-size: 9pt; color: #444; }
h2 { font-size: 12pt; margin: 6mm 0 2.5mm; color: #1f3a5f;
  break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 5mm 0 2mm; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2.5mm; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 1.2mm 6mm;
  margin: 0 0 6mm; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.report .facts dd { text-align: right; font-variant-numeric: tabular-nums; }
.report .facts { grid-template-columns: 1fr max-content; max-width: 130mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 3mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #555; padding: 1.4mm 1.6mm; text-align: left;
  vertical-align: top; }
th { background: #e8ecf1; font-weight: 600; font-size: 8.5pt; }
/* Serials and asset tags have no spaces: give them room, and break only a freak one. */
td.code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Consolas,
  monospace; font-size: 8.5pt; width: 27mm; overflow-wrap: anywhere; }
td.date, td.num, td.idx, span.date { white-space: nowrap; }
td.num, th.num, td.idx, th.idx { text-align: right; font-variant-numeric: tabular-nums; }
td.idx, th.idx { width: 8mm; }
td.tick, th.tick { text-align: center; width: 18mm; }
.box { display: inline-block; width: 5mm; height: 5mm; border: 1pt solid #111;
  vertical-align: middle; }
.count { font-weight: 600; }
.statement { border: 1pt solid #1f3a5f; background: #f2f5f9; padding: 4mm;
  font-weight: 600; font-size: 11pt; margin: 4mm 0 6mm; }
.notice { border-left: 2.5pt solid #1f3a5f; padding: 1mm 0 1mm 4mm; margin: 6mm 0; }
.notice h2 { margin-top: 0; }
.warning { font-weight: 600; }
.signing { break-inside: avoid; page-break-inside: avoid; margin-top: 6mm; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 12mm; margin-top: 4mm; }
.signatures h3 { margin: 0 0 1mm; }
.line { border-bottom: 0.75pt solid #111; height: 10mm; }
.line-label { font-size: 8.5pt; color: #444; margin: 0.8mm 0 0; }
.chart { break-inside: avoid; page-break-inside: avoid; margin: 2mm 0 4mm; }
.chart svg { width: 100%; height: auto; display: block; }
.empty { color: #444; font-style: italic; }
"#;

/// Series colours: dark and light enough to tell apart on a black-and-white printer too.
const ON_TIME_COLOUR: &str = "#1f4e79";
const LATE_COLOUR: &str = "#e3a33b";
const ROUTE_COLOURS: [&str; 3] = ["#2e6b3f", "#e3a33b", "#8a8a8a"];

pub fn checklist(doc: &InLang<Checklist>) -> String {
    document(doc.lang, doc.title(), checklist_page(&doc.doc, doc.lang))
}

/// A cover page listing everyone, then one page per person.
pub fn checklist_batch(doc: &InLang<ChecklistBatch>) -> String {
    let lang = doc.lang;
    let body = html! {
        section.page {
            (doc_head(lang, doc.title(), &doc.header))
            p { strong { (lang.text(Text::Selection)) ": " } (common::selection(lang, &doc.criteria)) }
            @for line in common::batch_counts(doc) { p.count { (line) } }
            @if doc.checklists.is_empty() {
                p.statement { (lang.text(Text::NobodySelected)) }
            } @else {
                (table(&common::batch_cover(doc)))
            }
        }
        @for checklist in &doc.checklists { (checklist_page(checklist, lang)) }
    };
    document(lang, doc.title(), body)
}

pub fn receipt(doc: &InLang<Receipt>) -> String {
    let lang = doc.lang;
    let mut facts = common::person_facts(lang, &doc.person);
    facts.push((lang.text(Text::ReceiptDate), common::date(doc.date)));
    let body = html! {
        section.page {
            (doc_head(lang, doc.title(), &doc.header))
            (fact_list(&facts))
            @if doc.is_empty() {
                p.empty { (lang.fill(Text::NothingChangedHands, &[&common::date(doc.date)])) }
            } @else {
                h2 { (lang.text(Text::HandedOutHeading)) }
                @if doc.handed_out.is_empty() {
                    p.empty { (lang.text(Text::NoEquipment)) }
                } @else {
                    (table(&common::handed_out_table(lang, &doc.handed_out)))
                }
                @if !doc.handed_over.is_empty() {
                    h2 { (lang.text(Text::HandedOverHeading)) }
                    (table(&common::handed_over_table(lang, &doc.handed_over)))
                }
                h2 { (lang.text(Text::TakenBackHeading)) }
                @if doc.taken_back.is_empty() {
                    p.empty { (lang.text(Text::NoEquipment)) }
                } @else {
                    (table(&common::taken_back_table(lang, &doc.taken_back)))
                }
                (signing(&common::receipt_confirmation(lang, doc), &common::signatures(lang, Text::Technician)))
            }
        }
    };
    document(lang, doc.title(), body)
}

pub fn report(doc: &InLang<Report>) -> String {
    let lang = doc.lang;
    let body = html! {
        section.page.report {
            (doc_head(lang, doc.title(), &doc.header))
            @for line in common::report_scope(doc) { p.count { (line) } }

            h2 { (lang.text(Text::DeparturesHeading)) }
            (fact_list(&common::departure_facts(doc)))
            h3 { (lang.text(Text::LateHeading)) }
            (table_or_none(lang, &common::late_table(doc)))

            h2 { (lang.text(Text::OutstandingHeading)) }
            (table_or_none(lang, &common::outstanding_table(doc)))

            h2 { (lang.text(Text::MissingHeading)) }
            (table_or_none(lang, &common::missing_table(doc)))

            h2 { (lang.text(Text::RoutesHeading)) }
            @if let Some(share) = common::reuse_share(doc) {
                p.count { (share) }
                (routes_chart(doc))
                (table(&common::routes_table(doc)))
            } @else {
                p.empty { (lang.text(Text::NoData)) }
            }

            h2 { (lang.text(Text::StockHeading)) }
            (table_or_none(lang, &common::stock_table(doc)))

            h2 { (lang.text(Text::MonthlyHeading)) }
            @if doc.monthly.is_empty() {
                p.empty { (lang.text(Text::NoData)) }
            } @else {
                (monthly_chart(doc))
                (table(&common::monthly_table(doc)))
            }
        }
    };
    document(lang, doc.title(), body)
}

/// The whole file around the pages.
fn document(lang: Lang, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body { (body) }
        }
    }
    .into_string()
}

fn doc_head(lang: Lang, title: &str, header: &DocumentHeader) -> Markup {
    html! {
        header.doc-head {
            h1 { (title) }
            p { (common::produced_line(lang, header)) }
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

fn col_class(col: Col) -> &'static str {
    match col {
        Col::Text => "text",
        Col::Code => "code",
        Col::Date => "date",
        Col::Index => "idx",
        Col::Number => "num",
        Col::Tick => "tick",
    }
}

fn table(t: &Table) -> Markup {
    html! {
        table {
            thead { tr { @for (col, heading) in &t.columns { th class=(col_class(*col)) { (heading) } } } }
            tbody {
                @for row in &t.rows {
                    tr {
                        @for ((col, _), cell) in t.columns.iter().zip(row) {
                            td class=(col_class(*col)) {
                                @if *col == Col::Tick { span.box {} } @else { (cell) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn table_or_none(lang: Lang, t: &Table) -> Markup {
    html! {
        @if t.rows.is_empty() { p.empty { (lang.text(Text::NoRows)) } } @else { (table(t)) }
    }
}

/// The confirmation sentence and two columns of signature, date and name lines, kept on one
/// page together.
fn signing(confirmation: &str, signatures: &Signatures) -> Markup {
    html! {
        div.signing {
            h2 { (signatures.heading) }
            p { (confirmation) }
            div.signatures {
                @for role in signatures.roles {
                    div {
                        h3 { (role) }
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

fn checklist_page(doc: &Checklist, lang: Lang) -> Markup {
    html! {
        section.page {
            (doc_head(lang, Checklist::title(lang), &doc.header))
            (fact_list(&common::person_facts(lang, &doc.person)))
            @if doc.items.is_empty() {
                p.statement { (lang.text(Text::NothingOutstanding)) }
            } @else {
                (table(&common::checklist_items(lang, &doc.items)))
                p.count { (common::item_count_line(lang, doc.items.len())) }
                div.notice {
                    h2 { (lang.text(Text::ReturnHeading)) }
                    p { (unbroken_date(&common::return_instruction(lang, doc), doc.return_by())) }
                    p.warning { (lang.text(Text::LostDevice)) }
                }
            }
            (signing(
                common::checklist_confirmation(lang, doc),
                &common::signatures(lang, Text::ReceivingTechnician),
            ))
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
    let segments: Vec<(Route, f64, f64, &str)> = common::ROUTES
        .iter()
        .zip(ROUTE_COLOURS)
        .map(|(&route, colour)| {
            let share = routes.percent(route).unwrap_or(0.0);
            let start = x;
            x += bar_w * share / 100.0;
            (route, start, bar_w * share / 100.0, colour)
        })
        .collect();
    html! {
        figure.chart {
            svg viewBox={"0 0 " (width) " 78"}
                role="img" aria-label=(caption) font-family="inherit" font-size="11" {
                title { (caption) }
                @for (route, start, w, colour) in &segments {
                    @let share = lang.percent(routes.percent(*route).unwrap_or(0.0));
                    rect x=(px(*start)) y="4" width=(px(*w)) height="30" fill=(colour) {
                        title { (lang.text((*route).into())) ": " (routes.count(*route)) " (" (share) ")" }
                    }
                    @if *w >= 44.0 {
                        text x=(px(start + w / 2.0)) y="24" text-anchor="middle" fill="#fff"
                            font-weight="600" { (share) }
                    }
                }
                rect x=(px(left)) y="4" width=(px(bar_w)) height="30" fill="none" stroke="#333" stroke-width="0.75" {}
                @for (i, (route, _, _, colour)) in segments.iter().enumerate() {
                    @let lx = left + i as f64 * 224.0;
                    rect x=(px(lx)) y="50" width="12" height="12" fill=(colour) {}
                    text x=(px(lx + 17.0)) y="60" {
                        (lang.text((*route).into())) ": " (routes.count(*route))
                        " (" (lang.percent(routes.percent(*route).unwrap_or(0.0))) ")"
                    }
                }
            }
        }
    }
}

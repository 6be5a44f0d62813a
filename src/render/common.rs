//! What the HTML and Markdown documents share: the words and tables of each document, built
//! once from the typed document, so the two formats cannot drift apart. Each format only
//! decides how a [`Table`], a fact list or a signature block looks.

use crate::docs::{
    BatchCriteria, Checklist, ChecklistBatch, DocumentHeader, HandedOutLine, HandedOverLine,
    InLang, Receipt, ReceiptLine, Report, TakenBackLine,
};
use crate::i18n::{Lang, Text};
use crate::model::{HeldItem, Person, Route};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};

/// What a table cell is, so each format can set it right (monospace serials, right-aligned
/// numbers, a box to tick).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    /// The row's number in the list.
    Index,
    Text,
    Code,
    Date,
    Number,
    Tick,
}

pub(crate) struct Table {
    pub columns: Vec<(Col, &'static str)>,
    pub rows: Vec<Vec<String>>,
}

/// Shown in a cell the register has no value for.
pub(crate) const NO_VALUE: &str = "–";

/// Documents show calendar dates as YYYY-MM-DD.
pub(crate) fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A moment in the local time of the register's zone.
pub(crate) fn local_time(at: DateTime<Utc>, zone: Zone) -> String {
    zone.local_time(at).format("%Y-%m-%d %H:%M").to_string()
}

fn or_dash(value: Option<&str>) -> String {
    match value {
        Some(v) if !v.trim().is_empty() => v.to_string(),
        _ => NO_VALUE.to_string(),
    }
}

/// "Produced 2025-03-14 10:05 by anna".
pub(crate) fn produced_line(lang: Lang, header: &DocumentHeader) -> String {
    lang.fill(
        Text::Produced,
        &[
            &local_time(header.produced_at, header.zone),
            &header.produced_by,
        ],
    )
}

/// Name, employee number, department and last working day, as label–value pairs.
pub(crate) fn person_facts(lang: Lang, person: &Person) -> Vec<(&'static str, String)> {
    let not_recorded = lang.text(Text::NotRecorded).to_string();
    vec![
        (lang.text(Text::Name), person.name.clone()),
        (
            lang.text(Text::EmployeeNo),
            person.employee_no.clone().unwrap_or(not_recorded.clone()),
        ),
        (
            lang.text(Text::Department),
            person.department.clone().unwrap_or(not_recorded.clone()),
        ),
        (
            lang.text(Text::LastWorkingDay),
            person.end_date.map(date).unwrap_or(not_recorded),
        ),
    ]
}

/// Kind (in the document's language), make and model, serial, asset tag.
fn device_columns(lang: Lang) -> [(Col, &'static str); 4] {
    [
        (Col::Text, lang.text(Text::ColKind)),
        (Col::Text, lang.text(Text::ColMakeModel)),
        (Col::Code, lang.text(Text::ColSerial)),
        (Col::Code, lang.text(Text::ColAssetTag)),
    ]
}

fn device_cells(lang: Lang, line: &ReceiptLine) -> [String; 4] {
    let make_model: Vec<&str> = [line.make.as_deref(), line.model.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    [
        lang.kind(&line.kind).into_owned(),
        or_dash(Some(&make_model.join(" "))),
        line.serial.clone(),
        or_dash(line.asset_tag.as_deref()),
    ]
}

/// Numbers rows from 1 in front of `cells`.
fn numbered(cells: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    cells
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let mut numbered = vec![(i + 1).to_string()];
            numbered.extend(row);
            numbered
        })
        .collect()
}

/// The checklist's items with a box to tick for each.
pub(crate) fn checklist_items(lang: Lang, items: &[HeldItem]) -> Table {
    let mut columns = vec![(Col::Index, lang.text(Text::ColNo))];
    columns.extend(device_columns(lang));
    columns.extend([
        (Col::Date, lang.text(Text::ColHandedOutOn)),
        (Col::Text, lang.text(Text::ColHandedOutBy)),
        (Col::Tick, lang.text(Text::ColReturned)),
    ]);
    let rows = numbered(items.iter().map(|item| {
        let mut row = device_cells(lang, &ReceiptLine::from(item)).to_vec();
        row.extend([
            date(item.handed_out_on),
            item.handed_out_by.clone(),
            String::new(),
        ]);
        row
    }));
    Table { columns, rows }
}

/// Where and by when to return everything.
pub(crate) fn return_instruction(lang: Lang, checklist: &Checklist) -> String {
    match checklist.return_by() {
        Some(day) => lang.fill(Text::ReturnBy, &[&date(day)]),
        None => lang.text(Text::ReturnAsap).to_string(),
    }
}

/// The sentence above the signatures of a checklist.
pub(crate) fn checklist_confirmation(lang: Lang, checklist: &Checklist) -> &'static str {
    if checklist.items.is_empty() {
        lang.text(Text::NothingConfirm)
    } else {
        lang.text(Text::ChecklistConfirm)
    }
}

pub(crate) fn item_count_line(lang: Lang, count: usize) -> String {
    lang.fill(Text::ItemCount, &[&count.to_string()])
}

/// The devices handed out; a note column names where transferred devices came from.
pub(crate) fn handed_out_table(lang: Lang, lines: &[HandedOutLine]) -> Table {
    let notes = lines
        .iter()
        .map(|line| {
            line.taken_over_from
                .as_ref()
                .map(|from| lang.fill(Text::TakenOverFrom, &[&from.label()]))
        })
        .collect();
    device_table(lang, lines.iter().map(|line| &line.device), notes)
}

/// The devices passed straight to a successor, each with who took it over.
pub(crate) fn handed_over_table(lang: Lang, lines: &[HandedOverLine]) -> Table {
    let notes = lines
        .iter()
        .map(|line| Some(lang.fill(Text::HandedOverTo, &[&line.handed_over_to.label()])))
        .collect();
    device_table(lang, lines.iter().map(|line| &line.device), notes)
}

/// Numbered devices, with a note column when any row has a note.
fn device_table<'a>(
    lang: Lang,
    devices: impl Iterator<Item = &'a ReceiptLine>,
    notes: Vec<Option<String>>,
) -> Table {
    let mut columns = vec![(Col::Index, lang.text(Text::ColNo))];
    columns.extend(device_columns(lang));
    let with_notes = notes.iter().any(Option::is_some);
    if with_notes {
        columns.push((Col::Text, lang.text(Text::ColNote)));
    }
    let rows = numbered(devices.zip(notes).map(|(device, note)| {
        let mut row = device_cells(lang, device).to_vec();
        if with_notes {
            row.push(or_dash(note.as_deref()));
        }
        row
    }));
    Table { columns, rows }
}

/// The sentence above a receipt's signatures.
pub(crate) fn receipt_confirmation(lang: Lang, receipt: &Receipt) -> String {
    let mut sentence = lang.text(Text::ReceiptConfirm).to_string();
    if !receipt.handed_over.is_empty() {
        sentence.push(' ');
        sentence.push_str(lang.text(Text::HandedOverConfirm));
    }
    sentence
}

pub(crate) fn taken_back_table(lang: Lang, lines: &[TakenBackLine]) -> Table {
    let mut columns = vec![(Col::Index, lang.text(Text::ColNo))];
    columns.extend(device_columns(lang));
    columns.extend([
        (Col::Text, lang.text(Text::ColCondition)),
        (Col::Text, lang.text(Text::ColRoute)),
        (Col::Text, lang.text(Text::ColNote)),
    ]);
    let rows = numbered(lines.iter().map(|line| {
        let mut row = device_cells(lang, &line.device).to_vec();
        row.extend([
            lang.text(line.condition.into()).to_string(),
            lang.text(line.route.into()).to_string(),
            or_dash(line.note.as_deref()),
        ]);
        row
    }));
    Table { columns, rows }
}

/// The batch's selection in words: "last working day on or after 2025-03-01, department X".
pub(crate) fn selection(lang: Lang, criteria: &BatchCriteria) -> String {
    let mut parts = Vec::new();
    if let Some(day) = criteria.leaving_from {
        parts.push(lang.fill(Text::LeavingFrom, &[&date(day)]));
    }
    if let Some(day) = criteria.leaving_until {
        parts.push(lang.fill(Text::LeavingUntil, &[&date(day)]));
    }
    if let Some(department) = &criteria.department {
        parts.push(lang.fill(Text::SelectionDepartment, &[department]));
    }
    if parts.is_empty() {
        parts.push(lang.text(Text::SelectionEveryone).to_string());
    }
    parts.join(", ")
}

/// The batch's cover: one row per person.
pub(crate) fn batch_cover(batch: &InLang<ChecklistBatch>) -> Table {
    let lang = batch.lang;
    let columns = vec![
        (Col::Index, lang.text(Text::ColNo)),
        (Col::Text, lang.text(Text::Name)),
        (Col::Text, lang.text(Text::EmployeeNo)),
        (Col::Text, lang.text(Text::Department)),
        (Col::Date, lang.text(Text::LastWorkingDay)),
        (Col::Number, lang.text(Text::ColItems)),
    ];
    let rows = numbered(batch.checklists.iter().map(|c| {
        vec![
            c.person.name.clone(),
            or_dash(c.person.employee_no.as_deref()),
            or_dash(c.person.department.as_deref()),
            c.person.end_date.map(date).unwrap_or(NO_VALUE.to_string()),
            c.items.len().to_string(),
        ]
    }));
    Table { columns, rows }
}

pub(crate) fn batch_counts(batch: &InLang<ChecklistBatch>) -> [String; 2] {
    let lang = batch.lang;
    [
        lang.fill(Text::PeopleCount, &[&batch.checklists.len().to_string()]),
        lang.fill(Text::TotalItems, &[&batch.item_count().to_string()]),
    ]
}

pub(crate) fn report_scope(report: &InLang<Report>) -> [String; 2] {
    let lang = report.lang;
    [
        lang.fill(Text::Period, &[&date(report.from), &date(report.to)]),
        match &report.department {
            Some(department) => format!("{}: {department}", lang.text(Text::Department)),
            None => lang.text(Text::AllDepartments).to_string(),
        },
    ]
}

/// The departure figures as label–value pairs.
pub(crate) fn departure_facts(report: &InLang<Report>) -> Vec<(&'static str, String)> {
    let lang = report.lang;
    let d = &report.departures;
    let or_dash_num = |v: Option<String>| v.unwrap_or(NO_VALUE.to_string());
    vec![
        (lang.text(Text::PeopleLeft), d.left.to_string()),
        (
            lang.text(Text::ReturnedOnTime),
            d.returned_on_time.to_string(),
        ),
        (lang.text(Text::ReturnedLate), d.late.len().to_string()),
        (lang.text(Text::StillHolding), d.still_holding().to_string()),
        (
            lang.text(Text::LongestDelay),
            or_dash_num(d.max_days_late().map(|n| n.to_string())),
        ),
        (
            lang.text(Text::MedianDelay),
            or_dash_num(d.median_days_late().map(|n| lang.decimal(n))),
        ),
    ]
}

pub(crate) fn late_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    Table {
        columns: vec![
            (Col::Text, lang.text(Text::ColPerson)),
            (Col::Date, lang.text(Text::LastWorkingDay)),
            (Col::Date, lang.text(Text::ColReturnedAllOn)),
            (Col::Number, lang.text(Text::ColDaysLate)),
        ],
        rows: report
            .departures
            .late
            .iter()
            .map(|l| {
                vec![
                    l.person.clone(),
                    date(l.last_working_day),
                    date(l.returned_all_on),
                    l.days_late.to_string(),
                ]
            })
            .collect(),
    }
}

pub(crate) fn outstanding_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    Table {
        columns: vec![
            (Col::Text, lang.text(Text::ColPerson)),
            (Col::Code, lang.text(Text::ColSerial)),
            (Col::Text, lang.text(Text::ColKind)),
            (Col::Date, lang.text(Text::ColHandedOutOn)),
            (Col::Date, lang.text(Text::LastWorkingDay)),
            (Col::Number, lang.text(Text::ColDaysOverdue)),
        ],
        rows: report
            .outstanding
            .iter()
            .map(|o| {
                vec![
                    o.person.clone(),
                    o.serial.clone(),
                    lang.kind(&o.kind).into_owned(),
                    date(o.handed_out_on),
                    date(o.last_working_day),
                    o.days_overdue.to_string(),
                ]
            })
            .collect(),
    }
}

pub(crate) fn missing_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    Table {
        columns: vec![
            (Col::Code, lang.text(Text::ColSerial)),
            (Col::Text, lang.text(Text::ColKind)),
            (Col::Text, lang.text(Text::ColStatus)),
            (Col::Date, lang.text(Text::ColSince)),
            (Col::Text, lang.text(Text::ColLastHolder)),
        ],
        rows: report
            .missing
            .iter()
            .map(|m| {
                vec![
                    m.serial.clone(),
                    lang.kind(&m.kind).into_owned(),
                    lang.text(Text::Status(m.status)).to_string(),
                    date(m.since),
                    or_dash(m.last_holder.as_deref()),
                ]
            })
            .collect(),
    }
}

/// The routes in the order the documents list them.
pub(crate) const ROUTES: [Route; 3] = [Route::Reuse, Route::Repair, Route::Recycle];

pub(crate) fn routes_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    let routes = &report.routes;
    let mut rows: Vec<Vec<String>> = ROUTES
        .iter()
        .map(|&route| {
            vec![
                lang.text(route.into()).to_string(),
                routes.count(route).to_string(),
                routes
                    .percent(route)
                    .map(|p| lang.percent(p))
                    .unwrap_or(NO_VALUE.to_string()),
            ]
        })
        .collect();
    rows.push(vec![
        lang.text(Text::Total).to_string(),
        routes.total().to_string(),
        String::new(),
    ]);
    Table {
        columns: vec![
            (Col::Text, lang.text(Text::ColRoute)),
            (Col::Number, lang.text(Text::ColCount)),
            (Col::Number, lang.text(Text::ColShare)),
        ],
        rows,
    }
}

/// "Share reused: 63 %", when anything was returned.
pub(crate) fn reuse_share(report: &InLang<Report>) -> Option<String> {
    let lang = report.lang;
    let share = report.routes.percent(Route::Reuse)?;
    Some(lang.fill(Text::ReuseShare, &[&lang.percent(share)]))
}

pub(crate) fn stock_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    Table {
        columns: vec![
            (Col::Text, lang.text(Text::ColKind)),
            (Col::Number, lang.text(Text::ColCount)),
        ],
        rows: report
            .in_stock
            .iter()
            .map(|k| vec![lang.kind(&k.kind).into_owned(), k.count.to_string()])
            .collect(),
    }
}

pub(crate) fn monthly_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    Table {
        columns: vec![
            (Col::Date, lang.text(Text::ColMonth)),
            (Col::Number, lang.text(Text::OnTime)),
            (Col::Number, lang.text(Text::Late)),
        ],
        rows: report
            .monthly
            .iter()
            .map(|m| vec![m.label(), m.on_time.to_string(), m.late.to_string()])
            .collect(),
    }
}

/// The signature block: who signs, and the lines each fills in.
pub(crate) struct Signatures {
    pub heading: &'static str,
    pub roles: [&'static str; 2],
    pub lines: [&'static str; 3],
}

/// The employee signs with `counterpart` (the receiving technician on a checklist, the IT
/// technician on a receipt).
pub(crate) fn signatures(lang: Lang, counterpart: Text) -> Signatures {
    Signatures {
        heading: lang.text(Text::SignaturesHeading),
        roles: [lang.text(Text::Employee), lang.text(counterpart)],
        lines: [
            lang.text(Text::Signature),
            lang.text(Text::Date),
            lang.text(Text::NameInBlockLetters),
        ],
    }
}

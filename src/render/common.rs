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
    /// Free text that must keep room to be read (make and model).
    Name,
    Code,
    Date,
    Number,
    Tick,
    /// Room to write in by hand.
    Blank,
}

pub(crate) struct Table {
    pub columns: Vec<(Col, &'static str)>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The same table without the columns to tick and write in, for reading on a screen.
    pub(crate) fn without_boxes(self) -> Table {
        let keep: Vec<bool> = self
            .columns
            .iter()
            .map(|(col, _)| !matches!(col, Col::Tick | Col::Blank))
            .collect();
        let pick = |cells: Vec<String>| -> Vec<String> {
            cells
                .into_iter()
                .zip(&keep)
                .filter_map(|(cell, keep)| keep.then_some(cell))
                .collect()
        };
        Table {
            columns: self
                .columns
                .into_iter()
                .zip(&keep)
                .filter_map(|(column, keep)| keep.then_some(column))
                .collect(),
            rows: self.rows.into_iter().map(pick).collect(),
        }
    }

    /// The same columns with the rows in `range` only.
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> Table {
        Table {
            columns: self.columns.clone(),
            rows: self.rows.get(range).unwrap_or_default().to_vec(),
        }
    }
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

/// "Produced 2025-03-14 10:05 by Anna Berg (anna)".
pub(crate) fn produced_line(lang: Lang, header: &DocumentHeader) -> String {
    lang.fill(
        Text::Produced,
        &[
            &local_time(header.produced_at, header.zone),
            &header.producer(),
        ],
    )
}

/// "1 day", "62 days".
pub(crate) fn days(lang: Lang, n: u32) -> String {
    match n {
        1 => lang.text(Text::OneDay).to_string(),
        n => lang.fill(Text::ManyDays, &[&n.to_string()]),
    }
}

/// Where a document comes from: organisation and register, when set, and its number.
pub(crate) fn provenance(
    lang: Lang,
    header: &DocumentHeader,
    document_no: String,
) -> Vec<(&'static str, String)> {
    let settings = &header.settings;
    [
        (Text::Organisation, settings.organisation.clone()),
        (Text::RegisterName, settings.register.clone()),
        (Text::DocumentNo, Some(document_no)),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((lang.text(label), value?)))
    .collect()
}

/// A running footer's text: whose page it is, the document and its number, and the
/// organisation ("Åsa Öberg (1001) · Departure checklist CL-1001-… · Gatukontoret").
pub(crate) fn footer(
    whose: &str,
    kind: &str,
    document_no: &str,
    header: &DocumentHeader,
) -> String {
    let mut parts = vec![whose.to_string(), format!("{kind} {document_no}")];
    parts.extend(header.settings.organisation.clone());
    parts.join(" · ")
}

/// "Departure checklist – Åsa Öberg (1001) – 2025-03-14": what "Save as PDF" names the file.
pub(crate) fn checklist_title(lang: Lang, checklist: &Checklist) -> String {
    format!(
        "{} – {} – {}",
        lang.text(Text::ChecklistShort),
        checklist.person.label(),
        date(checklist.header.produced_on())
    )
}

pub(crate) fn checklist_footer(lang: Lang, checklist: &Checklist) -> String {
    footer(
        &checklist.person.label(),
        lang.text(Text::ChecklistShort),
        &checklist.document_no(),
        &checklist.header,
    )
}

pub(crate) fn receipt_title(receipt: &InLang<Receipt>) -> String {
    format!(
        "{} – {} – {}",
        receipt.title(),
        receipt.person.label(),
        date(receipt.date)
    )
}

pub(crate) fn receipt_footer(receipt: &InLang<Receipt>) -> String {
    footer(
        &receipt.person.label(),
        receipt.title(),
        &receipt.document_no(),
        &receipt.header,
    )
}

pub(crate) fn batch_title(batch: &InLang<ChecklistBatch>) -> String {
    format!(
        "{} – {} – {}",
        batch.title(),
        selection(batch.lang, &batch.criteria),
        date(batch.header.produced_on())
    )
}

pub(crate) fn report_title(report: &InLang<Report>) -> String {
    let mut title = format!(
        "{} – {} – {}",
        report.title(),
        date(report.from),
        date(report.to)
    );
    if let Some(department) = &report.department {
        title.push_str(&format!(" – {department}"));
    }
    title
}

pub(crate) fn report_footer(report: &InLang<Report>) -> String {
    let lang = report.lang;
    footer(
        &lang.fill(Text::Period, &[&date(report.from), &date(report.to)]),
        lang.text(Text::ReportShort),
        &report.document_no(),
        &report.header,
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
        (Col::Name, lang.text(Text::ColMakeModel)),
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

/// The checklist's items, each with the day it is due back, a box to tick and room to say
/// why it did not come back. Who handed each out and when stays in the register: the paper
/// gives make and model the room.
pub(crate) fn checklist_items(lang: Lang, checklist: &Checklist) -> Table {
    let mut columns = vec![(Col::Index, lang.text(Text::ColNo))];
    columns.extend(device_columns(lang));
    columns.extend([
        (Col::Date, lang.text(Text::ColDueBack)),
        (Col::Tick, lang.text(Text::ColReturned)),
        (Col::Blank, lang.text(Text::ColNotReturned)),
    ]);
    let rows = numbered(checklist.items.iter().map(|item| {
        let mut row = device_cells(lang, &ReceiptLine::from(item)).to_vec();
        row.extend([
            checklist
                .due_of(item)
                .map(date)
                .unwrap_or(NO_VALUE.to_string()),
            String::new(),
            String::new(),
        ]);
        row
    }));
    Table { columns, rows }
}

/// The notes given when the items were handed out, by their number in the list: "2: laddare
/// saknas".
pub(crate) fn item_notes(items: &[HeldItem]) -> Vec<String> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let note = item.note.as_deref()?.trim();
            (!note.is_empty()).then(|| format!("{}: {note}", i + 1))
        })
        .collect()
}

/// Where and by when to return everything: the last working day, and a word on the
/// devices due earlier.
pub(crate) fn return_instruction(lang: Lang, checklist: &Checklist) -> Vec<String> {
    let Some(day) = checklist.return_by() else {
        return vec![lang.text(Text::ReturnAsap).to_string()];
    };
    let mut lines = vec![lang.fill(Text::ReturnBy, &[&date(day)])];
    if checklist
        .items
        .iter()
        .any(|item| checklist.due_of(item).is_some_and(|due| due < day))
    {
        lines.push(lang.text(Text::OwnDueDates).to_string());
    }
    lines
}

/// Where, when and whom to ask, from the register's settings; what is not set is left out.
pub(crate) fn return_facts(lang: Lang, header: &DocumentHeader) -> Vec<(&'static str, String)> {
    let settings = &header.settings;
    [
        (Text::ReturnPlace, &settings.return_place),
        (Text::ReturnHours, &settings.return_hours),
        (Text::ReturnContact, &settings.return_contact),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some((lang.text(label), value.clone()?)))
    .collect()
}

/// "Overdue by 1 day – hand it back at once.", when printed after something was due.
pub(crate) fn overdue_notice(lang: Lang, checklist: &Checklist) -> Option<String> {
    let late = checklist.days_overdue()?;
    Some(lang.fill(Text::OverdueNotice, &[&days(lang, late)]))
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

/// A device as a note names it: "PF4KX9ZQ (Bärbar dator Lenovo ThinkPad T14)".
fn device_reference(lang: Lang, device: &ReceiptLine) -> String {
    let [kind, make_model, serial, _] = device_cells(lang, device);
    match make_model.as_str() {
        NO_VALUE => format!("{serial} ({kind})"),
        _ => format!("{serial} ({kind} {make_model})"),
    }
}

/// The devices handed out; a note column names where a transferred device came from and
/// which device a replacement replaces.
pub(crate) fn handed_out_table(lang: Lang, lines: &[HandedOutLine]) -> Table {
    let notes = lines
        .iter()
        .map(|line| {
            let from = line
                .taken_over_from
                .as_ref()
                .map(|from| lang.fill(Text::TakenOverFrom, &[&from.label()]));
            let replaces = line
                .replaces
                .as_ref()
                .map(|old| lang.fill(Text::Replaces, &[&device_reference(lang, old)]));
            let notes: Vec<String> = from.into_iter().chain(replaces).collect();
            (!notes.is_empty()).then(|| notes.join("; "))
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

/// The sentence above a receipt's signatures: what each side confirms, for what happened
/// that day only.
pub(crate) fn receipt_confirmation(lang: Lang, receipt: &Receipt) -> String {
    [
        (!receipt.handed_out.is_empty()).then_some(Text::HandedOutConfirm),
        (!receipt.taken_back.is_empty()).then_some(Text::TakenBackConfirm),
        (!receipt.handed_over.is_empty()).then_some(Text::HandedOverConfirm),
    ]
    .into_iter()
    .flatten()
    .map(|key| lang.text(key))
    .collect::<Vec<_>>()
    .join(" ")
}

/// "COPY – printed 2025-06-02. The receipt is of 2025-03-14.", when printed after its day.
pub(crate) fn copy_notice(lang: Lang, receipt: &Receipt) -> Option<String> {
    receipt.is_copy().then(|| {
        lang.fill(
            Text::CopyNotice,
            &[&date(receipt.header.produced_on()), &date(receipt.date)],
        )
    })
}

/// "What Åsa Öberg (1001) still holds according to the register on 2025-03-14:".
pub(crate) fn still_held_intro(lang: Lang, receipt: &Receipt) -> String {
    lang.fill(
        Text::StillHeldIntro,
        &[&receipt.person.label(), &date(receipt.header.produced_on())],
    )
}

/// What the person of a receipt still holds, each with the day it is due back.
pub(crate) fn still_held_table(lang: Lang, receipt: &Receipt) -> Table {
    let mut columns = vec![(Col::Index, lang.text(Text::ColNo))];
    columns.extend(device_columns(lang));
    columns.push((Col::Date, lang.text(Text::ColDueBack)));
    let rows = numbered(receipt.still_held.iter().map(|item| {
        let mut row = device_cells(lang, &ReceiptLine::from(item)).to_vec();
        row.push(
            item.due_back
                .or(receipt.person.end_date)
                .map(date)
                .unwrap_or(NO_VALUE.to_string()),
        );
        row
    }));
    Table { columns, rows }
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
    match (criteria.leaving_from, criteria.leaving_until) {
        (Some(from), Some(until)) => {
            parts.push(lang.fill(Text::LeavingBetween, &[&date(from), &date(until)]));
        }
        (Some(from), None) => parts.push(lang.fill(Text::LeavingFrom, &[&date(from)])),
        (None, Some(until)) => parts.push(lang.fill(Text::LeavingUntil, &[&date(until)])),
        (None, None) => {}
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
        (Col::Text, lang.text(Text::ColOverdue)),
    ];
    let rows = numbered(batch.checklists.iter().map(|c| {
        vec![
            c.person.name.clone(),
            or_dash(c.person.employee_no.as_deref()),
            or_dash(c.person.department.as_deref()),
            c.person.end_date.map(date).unwrap_or(NO_VALUE.to_string()),
            c.items.len().to_string(),
            c.days_overdue()
                .map(|n| days(lang, n))
                .unwrap_or(NO_VALUE.to_string()),
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

/// The period (and, for the default one, what it is) and the department.
pub(crate) fn report_scope(report: &InLang<Report>) -> Vec<String> {
    let lang = report.lang;
    let mut period = lang.fill(Text::Period, &[&date(report.from), &date(report.to)]);
    if report.default_period {
        period.push_str(". ");
        period.push_str(lang.text(Text::DefaultPeriod));
    }
    vec![
        period,
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
        (
            lang.text(Text::LongestOutstanding),
            or_dash_num(report.longest_outstanding().map(|row| {
                lang.fill(
                    Text::LongestOutstandingCase,
                    &[&days(lang, row.days_overdue), &row.person, &row.serial],
                )
            })),
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
            (Col::Number, lang.text(Text::ColDaysPast)),
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
    let mut columns = vec![(Col::Name, lang.text(Text::ColPerson))];
    columns.extend(device_columns(lang));
    columns.extend([
        (Col::Date, lang.text(Text::LastWorkingDay)),
        (Col::Number, lang.text(Text::ColDaysPast)),
        (Col::Text, lang.text(Text::ColNote)),
    ]);
    Table {
        columns,
        rows: report
            .outstanding
            .iter()
            .map(|o| {
                let device = ReceiptLine {
                    kind: o.kind.clone(),
                    make: o.make.clone(),
                    model: o.model.clone(),
                    serial: o.serial.clone(),
                    asset_tag: o.asset_tag.clone(),
                };
                let mut row = vec![o.person.clone()];
                row.extend(device_cells(lang, &device));
                row.extend([
                    date(o.last_working_day),
                    o.days_overdue.to_string(),
                    or_dash(o.note.as_deref()),
                ]);
                row
            })
            .collect(),
    }
}

pub(crate) fn missing_table(report: &InLang<Report>) -> Table {
    let lang = report.lang;
    let mut columns = device_columns(lang).to_vec();
    columns.extend([
        (Col::Text, lang.text(Text::ColStatus)),
        (Col::Date, lang.text(Text::ColSince)),
        (Col::Text, lang.text(Text::ColLastHolder)),
        (Col::Text, lang.text(Text::ColNote)),
    ]);
    Table {
        columns,
        rows: report
            .missing
            .iter()
            .map(|m| {
                let device = ReceiptLine {
                    kind: m.kind.clone(),
                    make: m.make.clone(),
                    model: m.model.clone(),
                    serial: m.serial.clone(),
                    asset_tag: m.asset_tag.clone(),
                };
                let mut row = device_cells(lang, &device).to_vec();
                row.extend([
                    lang.text(Text::Status(m.status)).to_string(),
                    date(m.since),
                    or_dash(m.last_holder.as_deref()),
                    or_dash(m.note.as_deref()),
                ]);
                row
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
                    .whole_percent(route)
                    .map(|p| lang.percent(f64::from(p)))
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
    let share = report.routes.whole_percent(Route::Reuse)?;
    Some(lang.fill(Text::ReuseShare, &[&lang.percent(f64::from(share))]))
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

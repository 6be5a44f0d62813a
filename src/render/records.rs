//! How each typed value reads as a table or CSV row.

use super::{Record, View};
use crate::docs::{MissingRow, Overdue, Receipt, ReceiptLine};
use crate::i18n::{Lang, Text};
use crate::model::{
    Condition, Device, Event, HandoutRecord, HeldItem, Hit, HitKind, ListedDevice, Person, Route,
};

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// An interface word as CSV has it (no language) or as a table shows it.
fn word(lang: Option<Lang>, word: &str) -> String {
    match lang {
        Some(lang) => lang.word(word).into_owned(),
        None => word.to_string(),
    }
}

fn date(value: Option<chrono::NaiveDate>) -> String {
    value.map(|d| d.to_string()).unwrap_or_default()
}

impl Record for crate::model::ShownSetting {
    fn headers() -> &'static [&'static str] {
        &["key", "value", "description"]
    }

    fn cells(&self, _view: View) -> Vec<String> {
        vec![
            self.key.clone(),
            text(&self.value),
            self.description.unwrap_or_default().to_string(),
        ]
    }
}

impl Record for Person {
    fn headers() -> &'static [&'static str] {
        &["employee_no", "name", "email", "department", "end_date"]
    }

    fn cells(&self, _: View) -> Vec<String> {
        vec![
            text(&self.employee_no),
            self.name.clone(),
            text(&self.email),
            text(&self.department),
            date(self.end_date),
        ]
    }
}

/// A device's column names, then any more a listing adds.
macro_rules! device_headers {
    ($($more:literal),*) => {
        &[
            "serial",
            "asset_tag",
            "kind",
            "make",
            "model",
            "purchased",
            "status",
            "status_since",
            $($more),*
        ]
    };
}

impl Record for Device {
    fn headers() -> &'static [&'static str] {
        device_headers!()
    }

    fn cells(&self, View { lang, zone }: View) -> Vec<String> {
        vec![
            self.serial.clone(),
            text(&self.asset_tag),
            self.kind.clone(),
            text(&self.make),
            text(&self.model),
            date(self.purchased),
            word(lang, self.status.as_str()),
            zone.date_of(self.status_since).to_string(),
        ]
    }
}

/// A device's columns and its holder, "Name (number)".
impl Record for ListedDevice {
    fn headers() -> &'static [&'static str] {
        device_headers!("holder")
    }

    fn cells(&self, view: View) -> Vec<String> {
        let mut cells = self.device.cells(view);
        cells.push(self.holder.as_ref().map(Person::label).unwrap_or_default());
        cells
    }
}

impl Record for Hit {
    fn headers() -> &'static [&'static str] {
        &["type", "id", "label", "score"]
    }

    fn cells(&self, View { lang, .. }: View) -> Vec<String> {
        vec![
            word(
                lang,
                match self.kind {
                    HitKind::Person => "person",
                    HitKind::Device => "device",
                },
            ),
            self.id.clone(),
            self.label.clone(),
            format!("{:.2}", self.score),
        ]
    }
}

impl Record for HeldItem {
    fn headers() -> &'static [&'static str] {
        &[
            "serial",
            "asset_tag",
            "kind",
            "make",
            "model",
            "handed_out_on",
            "handed_out_by",
            "due_back",
        ]
    }

    fn cells(&self, _: View) -> Vec<String> {
        vec![
            self.serial.clone(),
            text(&self.asset_tag),
            self.kind.clone(),
            text(&self.make),
            text(&self.model),
            self.handed_out_on.to_string(),
            self.handed_out_by.clone(),
            date(self.due_back),
        ]
    }
}

/// Events as rows of CSV (`history`, `export events`): every field, moments in UTC exactly
/// as in the JSON. Tables of events are drawn by `render::history`.
impl Record for Event {
    fn headers() -> &'static [&'static str] {
        &[
            "id",
            "at",
            "recorded_at",
            "actor",
            "action",
            "serial",
            "employee_no",
            "person",
            "status",
            "details",
        ]
    }

    fn cells(&self, _: View) -> Vec<String> {
        let utc =
            |m: chrono::DateTime<chrono::Utc>| m.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        vec![
            self.id.to_string(),
            utc(self.at),
            utc(self.recorded_at),
            self.actor.clone(),
            self.action.clone(),
            text(&self.serial),
            text(&self.employee_no),
            text(&self.person),
            self.status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            self.details.to_string(),
        ]
    }
}

/// `reason: broken, replaced by: X` from a details object, for tables.
pub(crate) fn details_summary(details: &serde_json::Value) -> String {
    let Some(object) = details.as_object() else {
        return String::new();
    };
    object
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(key, value)| {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::Object(inner) => inner
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| {
                        format!(
                            "{k} {}",
                            v.as_str().map_or_else(|| v.to_string(), str::to_string)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("{}: {shown}", key.replace('_', " "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl Record for HandoutRecord {
    fn headers() -> &'static [&'static str] {
        &[
            "serial",
            "asset_tag",
            "kind",
            "make",
            "model",
            "employee_no",
            "name",
            "email",
            "department",
            "end_date",
            "handed_out_on",
            "handed_out_by",
            "due_back",
            "note",
        ]
    }

    fn cells(&self, _: View) -> Vec<String> {
        vec![
            self.serial.clone(),
            text(&self.asset_tag),
            self.kind.clone(),
            text(&self.make),
            text(&self.model),
            text(&self.employee_no),
            self.name.clone(),
            text(&self.email),
            text(&self.department),
            date(self.end_date),
            self.handed_out_at
                .format(crate::model::local_time::FORMAT)
                .to_string(),
            self.handed_out_by.clone(),
            date(self.due_back),
            text(&self.note),
        ]
    }
}

/// One line of a receipt as a row: a device handed out, handed over or taken back.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptRow<'a> {
    /// `handed_out`, `handed_over` or `taken_back`.
    pub direction: &'static str,
    pub device: &'a ReceiptLine,
    /// Who a transferred device came from (handed out) or went to (handed over).
    pub other_person: Option<&'a Person>,
    pub condition: Option<Condition>,
    pub route: Option<Route>,
    pub note: Option<&'a str>,
}

impl Receipt {
    /// Handed-out lines first, then handed-over and taken-back ones.
    pub fn rows(&self) -> Vec<ReceiptRow<'_>> {
        let handed = self.handed_out.iter().map(|line| ReceiptRow {
            direction: "handed_out",
            device: &line.device,
            other_person: line.taken_over_from.as_ref(),
            condition: None,
            route: None,
            note: None,
        });
        let handed_over = self.handed_over.iter().map(|line| ReceiptRow {
            direction: "handed_over",
            device: &line.device,
            other_person: Some(&line.handed_over_to),
            condition: None,
            route: None,
            note: None,
        });
        let taken = self.taken_back.iter().map(|line| ReceiptRow {
            direction: "taken_back",
            device: &line.device,
            other_person: None,
            condition: Some(line.condition),
            route: Some(line.route),
            note: line.note.as_deref(),
        });
        handed.chain(handed_over).chain(taken).collect()
    }
}

impl Record for ReceiptRow<'_> {
    fn headers() -> &'static [&'static str] {
        &[
            "direction",
            "serial",
            "asset_tag",
            "kind",
            "make",
            "model",
            "condition",
            "route",
            "note",
            "other_person",
        ]
    }

    fn cells(&self, View { lang, .. }: View) -> Vec<String> {
        vec![
            word(lang, self.direction),
            self.device.serial.clone(),
            text(&self.device.asset_tag),
            self.device.kind.clone(),
            text(&self.device.make),
            text(&self.device.model),
            self.condition
                .map(|c| word(lang, c.as_str()))
                .unwrap_or_default(),
            self.route
                .map(|r| word(lang, r.as_str()))
                .unwrap_or_default(),
            self.note.unwrap_or_default().to_string(),
            match (self.other_person, lang) {
                (Some(other), Some(lang)) if self.direction == "handed_out" => {
                    lang.fill(Text::TakenOverFrom, &[&other.label()])
                }
                (Some(other), Some(lang)) => lang.fill(Text::HandedOverTo, &[&other.label()]),
                (Some(other), None) => other.label(),
                (None, _) => String::new(),
            },
        ]
    }
}

/// One device held by someone past their last working day: a row of `overdue`.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueRow<'a> {
    pub person: &'a Person,
    pub days_overdue: u32,
    pub item: &'a HeldItem,
}

impl Overdue {
    /// One row per device, most overdue person first.
    pub fn rows(&self) -> Vec<OverdueRow<'_>> {
        self.people
            .iter()
            .flat_map(|p| {
                p.items.iter().map(|item| OverdueRow {
                    person: &p.person,
                    days_overdue: p.days_overdue,
                    item,
                })
            })
            .collect()
    }
}

impl Record for OverdueRow<'_> {
    fn headers() -> &'static [&'static str] {
        &[
            "employee_no",
            "name",
            "department",
            "end_date",
            "days_overdue",
            "serial",
            "asset_tag",
            "kind",
            "make",
            "model",
            "handed_out_on",
        ]
    }

    fn cells(&self, _: View) -> Vec<String> {
        vec![
            text(&self.person.employee_no),
            self.person.name.clone(),
            text(&self.person.department),
            date(self.person.end_date),
            self.days_overdue.to_string(),
            self.item.serial.clone(),
            text(&self.item.asset_tag),
            self.item.kind.clone(),
            text(&self.item.make),
            text(&self.item.model),
            self.item.handed_out_on.to_string(),
        ]
    }
}

impl Record for MissingRow {
    fn headers() -> &'static [&'static str] {
        &["serial", "kind", "status", "since", "last_holder"]
    }

    fn cells(&self, View { lang, .. }: View) -> Vec<String> {
        vec![
            self.serial.clone(),
            self.kind.clone(),
            word(lang, self.status.as_str()),
            self.since.to_string(),
            text(&self.last_holder),
        ]
    }
}

/// Moments of accounts and tokens as local days and times in the register's zone.
fn local_moment(view: View, moment: Option<chrono::DateTime<chrono::Utc>>) -> String {
    moment
        .map(|m| view.zone.local_time(m).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

impl Record for crate::model::account::Account {
    fn headers() -> &'static [&'static str] {
        &[
            "login",
            "name",
            "role",
            "departments",
            "created",
            "disabled",
        ]
    }

    fn cells(&self, view: View) -> Vec<String> {
        vec![
            self.login.clone(),
            self.name.clone(),
            word(view.lang, self.role.as_str()),
            self.departments.join("; "),
            local_moment(view, Some(self.created_at)),
            local_moment(view, self.disabled_at),
        ]
    }
}

impl Record for crate::model::account::TokenInfo {
    fn headers() -> &'static [&'static str] {
        &["id", "login", "label", "created", "last_used", "revoked"]
    }

    fn cells(&self, view: View) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.login.clone(),
            text(&self.label),
            local_moment(view, Some(self.created_at)),
            local_moment(view, self.last_used_at),
            local_moment(view, self.revoked_at),
        ]
    }
}

//! The printable documents as typed data: what a departure checklist, a receipt, a batch of
//! checklists and the internal-control report contain, independent of how they look.
//!
//! The domain fills these from the register, in no language; a front end puts one [`InLang`]
//! (the reader's), which [`crate::render`] turns into HTML or Markdown and whose `Serialize`
//! form is the `--format json` interface of the same documents.
//! Values derived from the data (item counts, medians, shares) are methods, so a document
//! can never disagree with itself.

mod notice;
pub use notice::{Addressee, Notice, NoticeContent};

use crate::i18n::{Lang, Text};
use crate::model::{Condition, Device, HeldItem, Person, Route, Status, date, opt_date};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Serialize, Serializer};

/// Who produced a document, when, and for which organisation and register. Shared by every
/// document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentHeader {
    /// In UTC; documents show it in the register's time zone.
    pub produced_at: DateTime<Utc>,
    /// The register's time zone, which the document's local days and times are in.
    #[serde(skip)]
    pub zone: Zone,
    /// The user who produced it: the signed-in user, `--as`, `HANDBACK_USER`, or the OS user.
    pub produced_by: String,
    /// Their full name, when the register (their account) or the system knows it.
    pub produced_by_name: Option<String>,
    #[serde(flatten)]
    pub settings: DocumentSettings,
}

impl DocumentHeader {
    /// The local day it was produced on.
    pub fn produced_on(&self) -> NaiveDate {
        self.zone.date_of(self.produced_at)
    }

    /// Who produced it as a document names them: "Anna Berg (anna)", never a bare login
    /// when a name is known.
    pub fn producer(&self) -> String {
        match self.produced_by_name.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() && name != self.produced_by => {
                format!("{name} ({})", self.produced_by)
            }
            _ => self.produced_by.clone(),
        }
    }

    /// `20261203-1042`: the local moment, for document numbers.
    fn stamp(&self) -> String {
        self.zone
            .local_time(self.produced_at)
            .format("%Y%m%d-%H%M")
            .to_string()
    }
}

/// What the documents take from the register's settings; each part is left out when not set.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DocumentSettings {
    /// The organisation: "Gatukontoret, Malmö stad".
    pub organisation: Option<String>,
    /// What the register is called: "IT-utrustning, Gatukontoret".
    pub register: Option<String>,
    /// Where equipment is handed back.
    pub return_place: Option<String>,
    /// When it can be handed back.
    pub return_hours: Option<String>,
    /// Whom to ask.
    pub return_contact: Option<String>,
}

/// `YYYYMMDD`, for document numbers.
fn compact(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// Whole days from `due` to `today`, when `today` is after it.
pub fn days_past(due: NaiveDate, today: NaiveDate) -> Option<u32> {
    let days = (today - due).num_days();
    (days > 0).then(|| u32::try_from(days).unwrap_or(u32::MAX))
}

/// A document and the language it is read in: what the renderers and the JSON take. The
/// domain's documents have no language; the words are chosen here, at render time.
#[derive(Debug, Clone, PartialEq)]
pub struct InLang<D> {
    pub lang: Lang,
    pub doc: D,
}

impl<D> InLang<D> {
    pub fn new(doc: D, lang: Lang) -> InLang<D> {
        InLang { lang, doc }
    }
}

impl<D> std::ops::Deref for InLang<D> {
    type Target = D;

    fn deref(&self) -> &D {
        &self.doc
    }
}

impl<D> std::ops::DerefMut for InLang<D> {
    fn deref_mut(&mut self) -> &mut D {
        &mut self.doc
    }
}

/// `{"lang": …, <the document's fields>}`: the language first, where the header begins.
fn serialize_in_lang<S: Serializer, D: Serialize>(
    lang: Lang,
    doc: &D,
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Json<'a, D> {
        lang: Lang,
        #[serde(flatten)]
        doc: &'a D,
    }
    Json { lang, doc }.serialize(s)
}

/// What one departing person still holds, to be handed over, ticked off and signed.
///
/// JSON: the `holdings` shape (`{"person": {...}, "items": [...]}`) plus `title`, the header
/// fields, `item_count` and `return_by` (the last working day, or null).
#[derive(Debug, Clone, PartialEq)]
pub struct Checklist {
    pub header: DocumentHeader,
    pub person: Person,
    pub items: Vec<HeldItem>,
}

impl Checklist {
    pub fn title(lang: Lang) -> &'static str {
        lang.text(Text::ChecklistTitle)
    }

    /// The date everything is due back: the person's last working day, when known.
    pub fn return_by(&self) -> Option<NaiveDate> {
        self.person.end_date
    }

    /// When `item` is due back: its own date (an earlier `--due`), else the last working day.
    pub fn due_of(&self, item: &HeldItem) -> Option<NaiveDate> {
        item.due_back.or(self.return_by())
    }

    /// Days since the earliest due date of what is held, when the document is printed after
    /// it.
    pub fn days_overdue(&self) -> Option<u32> {
        let earliest = self
            .items
            .iter()
            .filter_map(|item| self.due_of(item))
            .min()?;
        days_past(earliest, self.header.produced_on())
    }

    /// `CL-1001-20261203-1042`: the person and the moment it was produced.
    pub fn document_no(&self) -> String {
        format!("CL-{}-{}", self.person.reference(), self.header.stamp())
    }
}

impl InLang<Checklist> {
    pub fn title(&self) -> &'static str {
        Checklist::title(self.lang)
    }
}

impl Serialize for InLang<Checklist> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InLang::new(&self.doc, self.lang).serialize(s)
    }
}

impl Serialize for InLang<&Checklist> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            title: &'static str,
            lang: Lang,
            #[serde(flatten)]
            header: &'a DocumentHeader,
            person: &'a Person,
            items: &'a [HeldItem],
            item_count: usize,
            #[serde(with = "opt_date")]
            return_by: Option<NaiveDate>,
        }
        Json {
            title: Checklist::title(self.lang),
            lang: self.lang,
            header: &self.header,
            person: &self.person,
            items: &self.items,
            item_count: self.items.len(),
            return_by: self.return_by(),
        }
        .serialize(s)
    }
}

/// A device as a receipt names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceiptLine {
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial: String,
    pub asset_tag: Option<String>,
}

impl From<&HeldItem> for ReceiptLine {
    fn from(item: &HeldItem) -> Self {
        ReceiptLine {
            kind: item.kind.clone(),
            make: item.make.clone(),
            model: item.model.clone(),
            serial: item.serial.clone(),
            asset_tag: item.asset_tag.clone(),
        }
    }
}

impl From<&Device> for ReceiptLine {
    fn from(device: &Device) -> Self {
        ReceiptLine {
            kind: device.kind.clone(),
            make: device.make.clone(),
            model: device.model.clone(),
            serial: device.serial.clone(),
            asset_tag: device.asset_tag.clone(),
        }
    }
}

/// A device taken back: which, in what state, where it went. A separate type from
/// [`ReceiptLine`] so a taken-back line cannot lack its condition or route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TakenBackLine {
    #[serde(flatten)]
    pub device: ReceiptLine,
    pub condition: Condition,
    pub route: Route,
    pub note: Option<String>,
}

/// A device a receipt says was handed out; one that came straight from its previous holder
/// (a transfer) names them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandedOutLine {
    #[serde(flatten)]
    pub device: ReceiptLine,
    pub taken_over_from: Option<Person>,
    /// The device this one replaced (`replace`), which came back or went missing.
    pub replaces: Option<ReceiptLine>,
}

/// A device a receipt says went straight from the person to a successor (a transfer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandedOverLine {
    #[serde(flatten)]
    pub device: ReceiptLine,
    pub handed_over_to: Person,
}

/// Kvittens: everything handed to, handed over by, or taken back from one person on one
/// day, signed by both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receipt {
    #[serde(flatten)]
    pub header: DocumentHeader,
    pub person: Person,
    #[serde(with = "date")]
    pub date: NaiveDate,
    pub handed_out: Vec<HandedOutLine>,
    pub handed_over: Vec<HandedOverLine>,
    pub taken_back: Vec<TakenBackLine>,
    /// What the person still holds when the receipt is produced: what remains to return.
    pub still_held: Vec<HeldItem>,
}

impl InLang<Receipt> {
    pub fn title(&self) -> &'static str {
        self.lang.text(Text::ReceiptTitle)
    }
}

impl Serialize for InLang<Receipt> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_in_lang(self.lang, &self.doc, s)
    }
}

impl Receipt {
    /// Nothing changed hands that day: there is nothing to sign for.
    pub fn is_empty(&self) -> bool {
        self.handed_out.is_empty() && self.handed_over.is_empty() && self.taken_back.is_empty()
    }

    /// Printed after its day: a copy, not the paper signed then.
    pub fn is_copy(&self) -> bool {
        self.header.produced_on() > self.date
    }

    /// `RC-1001-20261203`: the person and the day, the same on every copy.
    pub fn document_no(&self) -> String {
        format!("RC-{}-{}", self.person.reference(), compact(self.date))
    }
}

/// Which departing people a batch covers. Dates are inclusive; `None` leaves that end open.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BatchCriteria {
    #[serde(with = "opt_date")]
    pub leaving_from: Option<NaiveDate>,
    #[serde(with = "opt_date")]
    pub leaving_until: Option<NaiveDate>,
    pub department: Option<String>,
}

/// Checklists for everyone leaving in a period, printed in one go with a cover page.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistBatch {
    pub header: DocumentHeader,
    pub criteria: BatchCriteria,
    pub checklists: Vec<Checklist>,
}

impl InLang<ChecklistBatch> {
    pub fn title(&self) -> &'static str {
        self.lang.text(Text::BatchTitle)
    }
}

/// `{"lang", the header's fields, "criteria", "checklists": [each checklist in the language]}`.
impl Serialize for InLang<ChecklistBatch> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            lang: Lang,
            #[serde(flatten)]
            header: &'a DocumentHeader,
            criteria: &'a BatchCriteria,
            checklists: Vec<InLang<&'a Checklist>>,
        }
        Json {
            lang: self.lang,
            header: &self.header,
            criteria: &self.criteria,
            checklists: self
                .checklists
                .iter()
                .map(|c| InLang::new(c, self.lang))
                .collect(),
        }
        .serialize(s)
    }
}

impl ChecklistBatch {
    pub fn item_count(&self) -> usize {
        self.checklists.iter().map(|c| c.items.len()).sum()
    }

    /// `CLB-20261203-1042`: the moment it was produced.
    pub fn document_no(&self) -> String {
        format!("CLB-{}", self.header.stamp())
    }
}

/// How the people who left in the period did. Everyone who left is in exactly one of:
/// returned everything by the last working day (including those who held nothing), returned
/// everything late (`late`), or still holding something (see [`Departures::still_holding`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Departures {
    /// People whose last working day falls in the period.
    pub left: u32,
    pub returned_on_time: u32,
    pub late: Vec<LateReturn>,
}

impl Departures {
    pub fn still_holding(&self) -> u32 {
        let late = u32::try_from(self.late.len()).unwrap_or(u32::MAX);
        self.left
            .saturating_sub(self.returned_on_time)
            .saturating_sub(late)
    }

    pub fn max_days_late(&self) -> Option<u32> {
        self.late.iter().map(|l| l.days_late).max()
    }

    /// The middle delay; the mean of the two middle ones for an even count.
    pub fn median_days_late(&self) -> Option<f64> {
        let mut days: Vec<u32> = self.late.iter().map(|l| l.days_late).collect();
        days.sort_unstable();
        let mid = days.len() / 2;
        match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(f64::from(days[mid])),
            _ => Some((f64::from(days[mid - 1]) + f64::from(days[mid])) / 2.0),
        }
    }
}

/// Someone who returned everything, but after their last working day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LateReturn {
    /// [`Person::label`]: "Åsa Öberg (1001)".
    pub person: String,
    #[serde(with = "date")]
    pub last_working_day: NaiveDate,
    /// The day the last item came back.
    #[serde(with = "date")]
    pub returned_all_on: NaiveDate,
    pub days_late: u32,
}

/// A device still held by someone whose last working day has passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutstandingRow {
    pub person: String,
    pub serial: String,
    pub asset_tag: Option<String>,
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    /// The handout's note.
    pub note: Option<String>,
    #[serde(with = "date")]
    pub handed_out_on: NaiveDate,
    #[serde(with = "date")]
    pub last_working_day: NaiveDate,
    pub days_overdue: u32,
}

/// A device reported lost or stolen in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissingRow {
    pub serial: String,
    pub kind: String,
    /// [`Status::Lost`] or [`Status::Stolen`].
    pub status: Status,
    #[serde(with = "date")]
    pub since: NaiveDate,
    pub last_holder: Option<String>,
    pub asset_tag: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    /// The note of the report that it was lost or stolen (a police report number).
    pub note: Option<String>,
}

/// `handback overdue`: everyone past their last working day who still holds something, most
/// overdue first, and the lost and stolen devices not yet followed up (still marked so).
///
/// JSON: `{"as_of": "YYYY-MM-DD", "people": [{"person": {...}, "last_working_day": …,
/// "days_overdue": n, "items": [...]}], "missing": [{"serial", "kind", "status", "since",
/// "last_holder"}]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    #[serde(with = "date")]
    pub as_of: NaiveDate,
    pub department: Option<String>,
    pub people: Vec<OverduePerson>,
    pub missing: Vec<MissingRow>,
}

/// One person past their last working day, with what they still hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverduePerson {
    pub person: Person,
    #[serde(with = "date")]
    pub last_working_day: NaiveDate,
    /// Days from the last working day to the `as_of` date.
    pub days_overdue: u32,
    pub items: Vec<HeldItem>,
}

/// Where the devices returned in the period went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RouteCounts {
    pub reuse: u32,
    pub repair: u32,
    pub recycle: u32,
}

impl RouteCounts {
    pub fn total(&self) -> u32 {
        self.reuse + self.repair + self.recycle
    }

    pub fn count(&self, route: Route) -> u32 {
        match route {
            Route::Reuse => self.reuse,
            Route::Repair => self.repair,
            Route::Recycle => self.recycle,
        }
    }

    /// The share of returned devices that went on `route`, in percent; `None` when nothing
    /// was returned.
    pub fn percent(&self, route: Route) -> Option<f64> {
        match self.total() {
            0 => None,
            total => Some(100.0 * f64::from(self.count(route)) / f64::from(total)),
        }
    }

    /// The shares of reuse, repair and recycling in whole percent that add up to 100: each
    /// rounded down, and the points left over given to the largest remainders (Hamilton's
    /// method), so a printed table never adds up to 99 %. `None` when nothing was returned.
    pub fn whole_percents(&self) -> Option<[u32; 3]> {
        let total = u64::from(self.total());
        if total == 0 {
            return None;
        }
        let counts = [self.reuse, self.repair, self.recycle].map(u64::from);
        let mut shares = counts.map(|c| c * 100 / total);
        let mut order = [0, 1, 2];
        // Largest remainder first; the earlier route wins a tie.
        order.sort_by_key(|&i| std::cmp::Reverse(counts[i] * 100 % total));
        let left = 100 - shares.iter().sum::<u64>();
        for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
            shares[i] += 1;
        }
        Some(shares.map(|s| u32::try_from(s).unwrap_or(100)))
    }

    /// [`RouteCounts::whole_percents`] of one route.
    pub fn whole_percent(&self, route: Route) -> Option<u32> {
        let i = match route {
            Route::Reuse => 0,
            Route::Repair => 1,
            Route::Recycle => 2,
        };
        self.whole_percents().map(|shares| shares[i])
    }
}

/// How many devices of one kind wait in stock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: u32,
}

/// Devices returned by departing people in one calendar month, on time (by the holder's last
/// working day) or late.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyReturns {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    pub on_time: u32,
    pub late: u32,
}

impl MonthlyReturns {
    /// `2025-03`.
    pub fn label(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// The follow-up report for internal control over a period, optionally for one department.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub header: DocumentHeader,
    #[serde(with = "date")]
    pub from: NaiveDate,
    #[serde(with = "date")]
    pub to: NaiveDate,
    pub department: Option<String>,
    /// The period is the default one, the twelve whole months before the current one.
    pub default_period: bool,
    pub departures: Departures,
    pub outstanding: Vec<OutstandingRow>,
    pub missing: Vec<MissingRow>,
    pub routes: RouteCounts,
    pub in_stock: Vec<KindCount>,
    /// Oldest month first.
    pub monthly: Vec<MonthlyReturns>,
}

impl InLang<Report> {
    pub fn title(&self) -> &'static str {
        self.lang.text(Text::ReportTitle)
    }
}

impl Report {
    /// The device held longest past its holder's last working day.
    pub fn longest_outstanding(&self) -> Option<&OutstandingRow> {
        self.outstanding.iter().max_by_key(|row| row.days_overdue)
    }

    /// `RP-20251201-20261130`: the period.
    pub fn document_no(&self) -> String {
        format!("RP-{}-{}", compact(self.from), compact(self.to))
    }
}

impl Serialize for InLang<Report> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_in_lang(self.lang, &self.doc, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonId;
    use chrono::TimeZone;
    use rstest::rstest;
    use serde_json::json;

    fn late(days: &[u32]) -> Departures {
        let day = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap_or_default();
        Departures {
            left: 10,
            returned_on_time: 5,
            late: days
                .iter()
                .map(|&days_late| LateReturn {
                    person: "x".into(),
                    last_working_day: day,
                    returned_all_on: day,
                    days_late,
                })
                .collect(),
        }
    }

    #[rstest]
    #[case(&[], None, None, 5)]
    #[case(&[4], Some(4), Some(4.0), 4)]
    #[case(&[9, 1, 4], Some(9), Some(4.0), 2)]
    #[case(&[2, 9, 1, 4], Some(9), Some(3.0), 1)]
    fn departure_figures_are_derived(
        #[case] days: &[u32],
        #[case] max: Option<u32>,
        #[case] median: Option<f64>,
        #[case] still_holding: u32,
    ) {
        let d = late(days);
        assert_eq!(d.max_days_late(), max);
        assert_eq!(d.median_days_late(), median);
        assert_eq!(d.still_holding(), still_holding);
    }

    /// Whole percents by the largest remainder: a printed table adds up to 100.
    #[rstest]
    #[case(1, 1, 1, [34, 33, 33])]
    #[case(2, 1, 0, [67, 33, 0])]
    #[case(31, 6, 12, [63, 12, 25])]
    #[case(1, 0, 0, [100, 0, 0])]
    #[case(1, 2, 4, [14, 29, 57])]
    fn whole_shares_add_up_to_100(
        #[case] reuse: u32,
        #[case] repair: u32,
        #[case] recycle: u32,
        #[case] shares: [u32; 3],
    ) {
        let routes = RouteCounts {
            reuse,
            repair,
            recycle,
        };
        assert_eq!(routes.whole_percents(), Some(shares));
        assert_eq!(shares.iter().sum::<u32>(), 100);
        assert_eq!(RouteCounts::default().whole_percents(), None);
    }

    #[test]
    fn route_shares_are_percentages() {
        let routes = RouteCounts {
            reuse: 3,
            repair: 0,
            recycle: 1,
        };
        assert_eq!(routes.percent(Route::Reuse), Some(75.0));
        assert_eq!(RouteCounts::default().percent(Route::Reuse), None);
    }

    #[test]
    fn checklist_json_is_holdings_plus_header() {
        let checklist = Checklist {
            header: DocumentHeader {
                produced_at: Utc
                    .with_ymd_and_hms(2025, 3, 14, 9, 5, 0)
                    .single()
                    .unwrap_or_default(),
                produced_by: "anna".into(),
                produced_by_name: None,
                zone: Zone::DEFAULT,
                settings: DocumentSettings::default(),
            },
            person: Person {
                id: PersonId(1),
                employee_no: Some("1001".into()),
                name: "Åsa Öberg".into(),
                email: None,
                department: Some("Socialförvaltningen".into()),
                end_date: NaiveDate::from_ymd_opt(2025, 3, 31),
                erased: false,
                username: None,
                manager: None,
                language: None,
            },
            items: vec![],
        };
        let value = serde_json::to_value(InLang::new(checklist, Lang::Sv)).unwrap_or_default();
        assert_eq!(
            value,
            json!({
                "title": "Avgångschecklista – utrustning att återlämna",
                "lang": "sv",
                "produced_at": "2025-03-14T09:05:00Z",
                "produced_by": "anna",
                "produced_by_name": null,
                "organisation": null,
                "register": null,
                "return_place": null,
                "return_hours": null,
                "return_contact": null,
                "person": {
                    "employee_no": "1001",
                    "name": "Åsa Öberg",
                    "email": null,
                    "department": "Socialförvaltningen",
                    "end_date": "2025-03-31",
                    "username": null,
                    "language": null
                },
                "items": [],
                "item_count": 0,
                "return_by": "2025-03-31"
            })
        );
    }

    #[test]
    fn taken_back_lines_serialise_flat_with_interface_words() {
        let line = TakenBackLine {
            device: ReceiptLine {
                kind: "phone".into(),
                make: None,
                model: None,
                serial: "S1".into(),
                asset_tag: None,
            },
            condition: Condition::Damaged,
            route: Route::Repair,
            note: None,
        };
        assert_eq!(
            serde_json::to_value(&line).unwrap_or_default(),
            json!({"kind": "phone", "make": null, "model": null, "serial": "S1",
                   "asset_tag": null, "condition": "damaged", "route": "repair", "note": null})
        );
    }
}

//! The typed values the domain hands to its callers (the CLI today, a web view later).
//!
//! Nothing here knows about terminals or SQL. Serialisation derives give the JSON field
//! names that are handback's documented interface: rename nothing.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use std::fmt;

pub mod account;
mod details;
mod notice;
mod setting;

pub use details::{
    Changed, Corrected, DeviceChanges, EventDetails, ImportRef, LeaveCause, RegisteredDevice,
};
pub use notice::{NoticeKind, Recipient};
pub use setting::ShownSetting;

/// Row id of a person. A newtype so a device id can never be passed where a person's belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HandoutId(pub i64);

/// Where a device is in its life. The snake_case words are the interface (JSON, CSV, `--status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InStock,
    HandedOut,
    InRepair,
    ToRecycle,
    Recycled,
    Lost,
    Stolen,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::InStock,
        Status::HandedOut,
        Status::InRepair,
        Status::ToRecycle,
        Status::Recycled,
        Status::Lost,
        Status::Stolen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::InStock => "in_stock",
            Status::HandedOut => "handed_out",
            Status::InRepair => "in_repair",
            Status::ToRecycle => "to_recycle",
            Status::Recycled => "recycled",
            Status::Lost => "lost",
            Status::Stolen => "stolen",
        }
    }

    /// Plain words for tables, where the snake_case interface word would read badly.
    pub fn plain(self) -> &'static str {
        match self {
            Status::InStock => "in stock",
            Status::HandedOut => "handed out",
            Status::InRepair => "in repair",
            Status::ToRecycle => "to recycle",
            Status::Recycled => "recycled",
            Status::Lost => "lost",
            Status::Stolen => "stolen",
        }
    }

    /// Accepts the interface word, with `-` or a space in place of `_`, in any case.
    pub fn parse(word: &str) -> Option<Status> {
        let wanted = word.trim().to_lowercase().replace(['-', ' '], "_");
        Status::ALL.into_iter().find(|s| s.as_str() == wanted)
    }

    /// A device gone for good or missing is not part of the working stock.
    pub fn is_missing(self) -> bool {
        matches!(self, Status::Lost | Status::Stolen)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The canonical device kinds. Unknown kinds are kept as written (see [`canonical_kind`]).
pub const KINDS: [&str; 11] = [
    "laptop", "computer", "tablet", "phone", "headset", "monitor", "dock", "keyboard", "mouse",
    "webcam", "other",
];

/// The lower-case words that belong to the family name after them ("von Essen", "af
/// Klint", "de la Cruz", "van der Berg").
const NAME_PARTICLES: [&str; 14] = [
    "af", "av", "da", "de", "del", "della", "den", "der", "di", "du", "la", "le", "van", "von",
];

/// Whether `kind` is one of the canonical [`KINDS`].
pub fn is_known_kind(kind: &str) -> bool {
    KINDS.contains(&kind)
}

/// Maps the many words lists use for a kind (Swedish and English, singular and plural, any
/// case) to the canonical word; anything unrecognised is kept as written, trimmed.
pub fn canonical_kind(written: &str) -> String {
    let trimmed = written.trim();
    let key: String = trimmed
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let canonical = match key.as_str() {
        "laptop" | "laptops" | "notebook" | "notebooks" | "barbardator" | "bärbardator"
        | "bärbaradatorer" | "barbaradatorer" | "bärbar" | "lärplatta" => "laptop",
        "computer" | "computers" | "desktop" | "desktops" | "pc" | "dator" | "datorer"
        | "stationärdator" | "stationardator" | "arbetsstation" | "workstation" => "computer",
        "tablet" | "tablets" | "surfplatta" | "surfplattor" | "ipad" | "ipads" | "platta" => {
            "tablet"
        }
        "phone" | "phones" | "mobile" | "mobiles" | "mobilephone" | "mobilephones" | "mobil"
        | "mobiler" | "mobiltelefon" | "mobiltelefoner" | "telefon" | "telefoner"
        | "smartphone" | "smartphones" | "cellphone" => "phone",
        "headset" | "headsets" | "hörlurar" | "horlurar" | "headphones" => "headset",
        "monitor" | "monitors" | "screen" | "screens" | "display" | "displays" | "skärm"
        | "skarm" | "skärmar" | "skarmar" | "bildskärm" | "bildskarm" | "bildskärmar" => {
            "monitor"
        }
        "dock" | "docks" | "dockingstation" | "dockingstations" | "dockningsstation"
        | "dockningsstationer" | "docka" | "dockstation" => "dock",
        "keyboard" | "keyboards" | "tangentbord" => "keyboard",
        "mouse" | "mice" | "mus" | "möss" | "moss" | "datormus" | "datormöss" => "mouse",
        "webcam" | "webcams" | "webbkamera" | "webbkameror" | "webkamera" => "webcam",
        "other" | "övrigt" | "ovrigt" | "annat" | "misc" | "miscellaneous" => "other",
        _ => return trimmed.to_string(),
    };
    canonical.to_string()
}

/// The state a device comes back in (`return --condition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Ok,
    Damaged,
    Broken,
}

impl Condition {
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Ok => "ok",
            Condition::Damaged => "damaged",
            Condition::Broken => "broken",
        }
    }

    /// Reuse first: a device in working order goes back to stock, a damaged one to repair,
    /// and only a broken one to recycling.
    pub fn route(self) -> Route {
        match self {
            Condition::Ok => Route::Reuse,
            Condition::Damaged => Route::Repair,
            Condition::Broken => Route::Recycle,
        }
    }
}

/// Where a returned device goes next (`return --to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Reuse,
    Repair,
    Recycle,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Reuse => "reuse",
            Route::Repair => "repair",
            Route::Recycle => "recycle",
        }
    }

    pub fn status(self) -> Status {
        match self {
            Route::Reuse => Status::InStock,
            Route::Repair => Status::InRepair,
            Route::Recycle => Status::ToRecycle,
        }
    }

    /// The route a device took back, from the status it was left in (none for a device that
    /// was lost or stolen rather than returned).
    pub fn from_status(status: Status) -> Option<Route> {
        [Route::Reuse, Route::Repair, Route::Recycle]
            .into_iter()
            .find(|route| route.status() == status)
    }
}

/// What an audit event records. The snake_case words are what `event.action` stores and
/// what `export events` shows: rename none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    PersonAdded,
    PersonEdited,
    PersonErased,
    LeaveRecorded,
    DeviceAdded,
    DeviceEdited,
    StatusChanged,
    HandedOut,
    Transferred,
    Returned,
    Replaced,
    Lost,
    Stolen,
    Repaired,
    Recycled,
    Found,
    /// A device nobody holds sent elsewhere: stock, repair or recycling (`route`).
    Routed,
    /// An open handout's moment or holder corrected as it should have been recorded
    /// (`correct`); the event names the holder from then on.
    Corrected,
    /// A last working day learned from HR's list or the directory (`sync`).
    LeftBySync,
}

/// What an event does to who holds its device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Custody {
    /// The event's person holds the device from now on (a handout, or a transfer to them).
    Gives,
    /// Nobody holds the device any more (returned, replaced, lost, stolen).
    Ends,
    /// Holding is untouched (registering, editing, back-office moves of a device nobody holds).
    Keeps,
}

impl Action {
    pub const ALL: [Action; 19] = [
        Action::PersonAdded,
        Action::PersonEdited,
        Action::PersonErased,
        Action::LeaveRecorded,
        Action::DeviceAdded,
        Action::DeviceEdited,
        Action::StatusChanged,
        Action::HandedOut,
        Action::Transferred,
        Action::Returned,
        Action::Replaced,
        Action::Lost,
        Action::Stolen,
        Action::Repaired,
        Action::Recycled,
        Action::Found,
        Action::Routed,
        Action::Corrected,
        Action::LeftBySync,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::PersonAdded => "person_added",
            Action::PersonEdited => "person_edited",
            Action::PersonErased => "person_erased",
            Action::LeaveRecorded => "leave_recorded",
            Action::DeviceAdded => "device_added",
            Action::DeviceEdited => "device_edited",
            Action::StatusChanged => "status_changed",
            Action::HandedOut => "handed_out",
            Action::Transferred => "transferred",
            Action::Returned => "returned",
            Action::Replaced => "replaced",
            Action::Lost => "lost",
            Action::Stolen => "stolen",
            Action::Repaired => "repaired",
            Action::Recycled => "recycled",
            Action::Found => "found",
            Action::Routed => "routed",
            Action::Corrected => "corrected",
            Action::LeftBySync => "left_by_sync",
        }
    }

    pub fn parse(word: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == word)
    }

    /// The rule `check` replays a device's history by. `Lost` and `Stolen` end custody when
    /// the device was held; for one in stock they find no custody to end, which is the same.
    pub fn custody(self) -> Custody {
        match self {
            // A correction names the holder the handout should have had all along.
            Action::HandedOut | Action::Transferred | Action::Corrected => Custody::Gives,
            Action::Returned | Action::Replaced | Action::Lost | Action::Stolen => Custody::Ends,
            Action::PersonAdded
            | Action::PersonEdited
            | Action::PersonErased
            | Action::LeaveRecorded
            | Action::LeftBySync
            | Action::DeviceAdded
            | Action::DeviceEdited
            | Action::StatusChanged
            | Action::Repaired
            | Action::Recycled
            | Action::Found
            | Action::Routed => Custody::Keeps,
        }
    }

    /// The actions that change who holds a device.
    pub fn custody_actions() -> impl Iterator<Item = Action> {
        Action::ALL
            .into_iter()
            .filter(|a| a.custody() != Custody::Keeps)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a handout ended, as `handout.end_reason` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    Returned,
    Replaced,
    Transferred,
    Lost,
    Stolen,
}

impl EndReason {
    pub const ALL: [EndReason; 5] = [
        EndReason::Returned,
        EndReason::Replaced,
        EndReason::Transferred,
        EndReason::Lost,
        EndReason::Stolen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Returned => "returned",
            EndReason::Replaced => "replaced",
            EndReason::Transferred => "transferred",
            EndReason::Lost => "lost",
            EndReason::Stolen => "stolen",
        }
    }

    /// The device went straight on to the next holder, whose handout continues this one
    /// (`follows_id`): a transfer. A replacement's new handout follows the old one too, but
    /// of another device.
    pub fn hands_on(self) -> bool {
        match self {
            EndReason::Transferred => true,
            EndReason::Returned | EndReason::Replaced | EndReason::Lost | EndReason::Stolen => {
                false
            }
        }
    }

    /// The device did not come back: it stays a security follow-up.
    pub fn is_missing(self) -> bool {
        match self {
            EndReason::Lost | EndReason::Stolen => true,
            EndReason::Returned | EndReason::Replaced | EndReason::Transferred => false,
        }
    }

    /// What the report counts as a return, on time or late: the holder gave the device
    /// back, or on to a successor. A replacement is an exchange the organisation made, not
    /// a holder giving something back by a date.
    pub fn is_return(self) -> bool {
        match self {
            EndReason::Returned | EndReason::Transferred => true,
            EndReason::Replaced | EndReason::Lost | EndReason::Stolen => false,
        }
    }
}

/// Why a device was replaced (`replace --reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ReplaceReason {
    Broken,
    WornOut,
    Lost,
    Stolen,
    Upgrade,
}

impl ReplaceReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplaceReason::Broken => "broken",
            ReplaceReason::WornOut => "worn-out",
            ReplaceReason::Lost => "lost",
            ReplaceReason::Stolen => "stolen",
            ReplaceReason::Upgrade => "upgrade",
        }
    }

    /// The old device's status once replaced: a lost or stolen one is marked so and stays a
    /// security follow-up; a broken or worn-out one goes to recycling; an upgraded one is
    /// still good and goes back to stock for reuse.
    pub fn old_device_status(self) -> Status {
        match self {
            ReplaceReason::Broken | ReplaceReason::WornOut => Status::ToRecycle,
            ReplaceReason::Lost => Status::Lost,
            ReplaceReason::Stolen => Status::Stolen,
            ReplaceReason::Upgrade => Status::InStock,
        }
    }

    /// A lost or stolen device did not come back: it has no route.
    pub fn old_device_came_back(self) -> bool {
        !self.old_device_status().is_missing()
    }
}

/// The language a person's notices and documents are written in: a fact about them that
/// HR or the directory keeps, which the front ends turn into the words of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Sv,
    En,
}

impl Language {
    /// `sv` or `en`, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    /// A language as lists and directories write it: the code (`sv`, `en-GB`, `sv_SE`) or
    /// its name in either language (`Svenska`, `Swedish`, `Engelska`, `English`).
    pub fn parse(word: &str) -> Option<Language> {
        let word = word.trim().to_lowercase();
        let code = word.split(['-', '_']).next().unwrap_or_default();
        match (word.as_str(), code) {
            ("svenska" | "swedish", _) | (_, "sv") => Some(Language::Sv),
            ("engelska" | "english", _) | (_, "en") => Some(Language::En),
            _ => None,
        }
    }
}

/// A person as the interface shows them: `employee_no`, `name`, `email`, `department`,
/// `end_date`, `username`, `language`. Ids stay inside the library.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    #[serde(skip)]
    pub id: PersonId,
    pub employee_no: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub department: Option<String>,
    #[serde(with = "opt_date")]
    pub end_date: Option<NaiveDate>,
    /// Set once `person forget` has replaced the personal data with a pseudonym.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub erased: bool,
    /// The login the directory knows them by (`sAMAccountName`, `uid`).
    pub username: Option<String>,
    /// Their manager, who is told when they leave.
    #[serde(skip)]
    pub manager: Option<PersonId>,
    /// The language of their notices; `None`: Swedish, the register's own.
    pub language: Option<Language>,
}

impl Person {
    /// "Åsa Öberg (1001)": how messages name a person.
    /// The reference a technician can type back: the employee number, else the e-mail
    /// address, else `#ID` (see [`Person::reference`]).
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.reference())
    }

    /// What names this person unambiguously on the command line. People imported from a
    /// list of names alone have neither number nor e-mail; `#ID` reaches them even when a
    /// namesake arrives later.
    pub fn reference(&self) -> String {
        self.employee_no
            .clone()
            .or_else(|| self.email.clone())
            .unwrap_or_else(|| format!("#{}", self.id.0))
    }

    /// "Olsson Maria" for "Maria Olsson": family name first, the way a department's lists
    /// and folders are sorted. A family name's particles stay with it: "von Essen-Hällström
    /// Marie-Louise". A one-word name stays as it is.
    pub fn sort_name(&self) -> String {
        let words: Vec<&str> = self.name.split_whitespace().collect();
        if words.len() < 2 {
            return words.join(" ");
        }
        // The family name is the last word and the particles right before it, never the
        // first word.
        let mut start = words.len() - 1;
        while start > 1 && NAME_PARTICLES.contains(&words[start - 1]) {
            start -= 1;
        }
        format!("{} {}", words[start..].join(" "), words[..start].join(" "))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    #[serde(skip)]
    pub id: DeviceId,
    pub serial: String,
    pub asset_tag: Option<String>,
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    #[serde(with = "opt_date")]
    pub purchased: Option<NaiveDate>,
    pub status: Status,
    /// When the device entered its current status, in UTC.
    pub status_since: DateTime<Utc>,
}

impl Device {
    /// "Dell Latitude 7440", or the kind when neither make nor model is known.
    pub fn description(&self) -> String {
        let parts: Vec<&str> = [self.make.as_deref(), self.model.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            self.kind.clone()
        } else {
            parts.join(" ")
        }
    }
}

/// One device a person holds. Field names are the `holdings --format json` interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldItem {
    pub serial: String,
    pub asset_tag: Option<String>,
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    #[serde(with = "date")]
    pub handed_out_on: NaiveDate,
    pub handed_out_by: String,
    #[serde(with = "opt_date")]
    pub due_back: Option<NaiveDate>,
    /// The note given when it was handed out ("laddare saknas").
    pub note: Option<String>,
}

/// What a person holds: `{"person": {...}, "items": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdings {
    pub person: Person,
    pub items: Vec<HeldItem>,
    /// The person's manager, when the register knows them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<Person>,
}

/// One open handout with its device and person: a row of `export handouts`, in columns the
/// importer reads back, so an export imported into a new register gives the same holdings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoutRecord {
    pub serial: String,
    pub asset_tag: Option<String>,
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub employee_no: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub department: Option<String>,
    #[serde(with = "opt_date")]
    pub end_date: Option<NaiveDate>,
    /// Local time, to the second: the export keeps the order of a person's handouts.
    #[serde(with = "local_time")]
    pub handed_out_at: NaiveDateTime,
    pub handed_out_by: String,
    #[serde(with = "opt_date")]
    pub due_back: Option<NaiveDate>,
    pub note: Option<String>,
}

/// One stretch of custody: who held a device from when to when, and how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct CustodySpan {
    pub serial: String,
    pub employee_no: Option<String>,
    pub person: String,
    pub handed_out_at: DateTime<Utc>,
    pub handed_out_by: String,
    pub returned_at: Option<DateTime<Utc>>,
    pub returned_by: Option<String>,
    /// returned, replaced, transferred, lost, stolen; `None` while it is still held.
    pub end_reason: Option<String>,
    pub condition: Option<String>,
    /// reuse, repair or recycle.
    pub route: Option<String>,
    /// The device this one was replaced by, for `replaced`.
    pub replaced_by: Option<String>,
}

/// What a `find` hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Person,
    Device,
}

/// One hit of `handback find`: `{"type", "id", "label", "score"}`, the id being what the
/// other commands take (a person's employee number, else their e-mail address or `#ID`; a
/// device's serial).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    #[serde(rename = "type")]
    pub kind: HitKind,
    pub id: String,
    pub label: String,
    /// From just above 0 to 1 (exactly what was typed), best first.
    pub score: f64,
}

/// A device and who holds it: the `device list` interface (a device's fields and `holder`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedDevice {
    #[serde(flatten)]
    pub device: Device,
    pub holder: Option<Person>,
}

/// A device with its holder and history: the `device show` interface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceDetail {
    #[serde(flatten)]
    pub device: Device,
    pub holder: Option<Person>,
    pub history: Vec<Event>,
}

/// One entry of the audit trail, joined with what it refers to so it reads on its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: i64,
    /// When it happened (the `--on` time when one was given), in UTC.
    pub at: DateTime<Utc>,
    /// When it was written down, in UTC.
    pub recorded_at: DateTime<Utc>,
    /// Who did it: `--as`, `HANDBACK_USER`, or the OS user.
    pub actor: String,
    pub action: String,
    pub serial: Option<String>,
    pub employee_no: Option<String>,
    pub person: Option<String>,
    /// The device's status after the event, for events that change one.
    pub status: Option<Status>,
    pub details: serde_json::Value,
}

/// `YYYY-MM-DD` in JSON, as the interface documents.
pub mod date {
    use chrono::NaiveDate;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&date.format("%Y-%m-%d"))
    }
}

/// `YYYY-MM-DD HH:MM:SS` local time, a layout every spreadsheet and the importer read.
pub mod local_time {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    pub const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

    pub fn serialize<S: Serializer>(moment: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&moment.format(FORMAT))
    }
}

pub mod opt_date {
    use chrono::NaiveDate;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => super::date::serialize(d, s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Maria Olsson", "Olsson Maria")]
    #[case("Marie-Louise von Essen-Hällström", "von Essen-Hällström Marie-Louise")]
    #[case("Anna af Klint", "af Klint Anna")]
    #[case("José de la Cruz", "de la Cruz José")]
    #[case("von Trapp", "Trapp von")]
    #[case("Cher", "Cher")]
    fn family_names_keep_their_particles(#[case] name: &str, #[case] sort_name: &str) {
        let person = Person {
            id: PersonId(1),
            employee_no: None,
            name: name.into(),
            email: None,
            department: None,
            end_date: None,
            erased: false,
            username: None,
            manager: None,
            language: None,
        };
        assert_eq!(person.sort_name(), sort_name);
    }

    #[rstest]
    #[case("Bärbar dator", "laptop")]
    #[case("Laptops", "laptop")]
    #[case("Dator", "computer")]
    #[case("Surfplatta", "tablet")]
    #[case("Mobil", "phone")]
    #[case("Mobiltelefon", "phone")]
    #[case("Mobile Phones", "phone")]
    #[case("Skärm", "monitor")]
    #[case("Dockningsstation", "dock")]
    #[case(" headset ", "headset")]
    #[case("Projektor", "Projektor")]
    fn kinds_are_canonicalised(#[case] written: &str, #[case] expected: &str) {
        assert_eq!(canonical_kind(written), expected);
    }

    /// `Action::ALL` is kept by hand: a variant left out of it would not parse, and `check`
    /// would ignore its events. The exhaustive match fails to compile for a new variant until
    /// it is given its place, and the test fails until `ALL` has it there.
    #[test]
    fn every_action_is_in_all_and_its_word_round_trips() {
        fn place(action: Action) -> usize {
            match action {
                Action::PersonAdded => 0,
                Action::PersonEdited => 1,
                Action::PersonErased => 2,
                Action::LeaveRecorded => 3,
                Action::DeviceAdded => 4,
                Action::DeviceEdited => 5,
                Action::StatusChanged => 6,
                Action::HandedOut => 7,
                Action::Transferred => 8,
                Action::Returned => 9,
                Action::Replaced => 10,
                Action::Lost => 11,
                Action::Stolen => 12,
                Action::Repaired => 13,
                Action::Recycled => 14,
                Action::Found => 15,
                Action::Routed => 16,
                Action::Corrected => 17,
                Action::LeftBySync => 18,
            }
        }
        for (i, action) in Action::ALL.into_iter().enumerate() {
            assert_eq!(place(action), i, "{action}");
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert_eq!(
                serde_json::to_value(action).unwrap(),
                serde_json::Value::from(action.as_str())
            );
        }
        assert_eq!(place(Action::LeftBySync) + 1, Action::ALL.len());
    }

    /// As for actions: a new end reason does not compile until it has its place, and the
    /// test fails until `ALL` has it there; the rules the store's SQL is written from are
    /// pinned for each.
    #[test]
    fn every_end_reason_is_in_all_with_its_rules() {
        // (place, hands on, missing, a return)
        fn facts(reason: EndReason) -> (usize, bool, bool, bool) {
            match reason {
                EndReason::Returned => (0, false, false, true),
                EndReason::Replaced => (1, false, false, false),
                EndReason::Transferred => (2, true, false, true),
                EndReason::Lost => (3, false, true, false),
                EndReason::Stolen => (4, false, true, false),
            }
        }
        for (i, reason) in EndReason::ALL.into_iter().enumerate() {
            let (place, hands_on, missing, is_return) = facts(reason);
            assert_eq!(place, i, "{reason:?}");
            assert_eq!(reason.hands_on(), hands_on, "{reason:?}");
            assert_eq!(reason.is_missing(), missing, "{reason:?}");
            assert_eq!(reason.is_return(), is_return, "{reason:?}");
            assert_eq!(
                serde_json::to_value(reason).unwrap(),
                serde_json::Value::from(reason.as_str())
            );
        }
        assert_eq!(facts(EndReason::Stolen).0 + 1, EndReason::ALL.len());
    }

    #[test]
    fn status_words_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
            assert_eq!(Status::parse(status.plain()), Some(status));
        }
        assert_eq!(Status::parse("in-stock"), Some(Status::InStock));
        assert_eq!(Status::parse("broken"), None);
    }
}

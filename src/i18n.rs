//! Every user-facing word of the printed documents, in Swedish and English, in one table.
//!
//! The documents are handed to people who leave, signed and filed by internal control, so
//! their wording is reviewed like code: it lives here and nowhere else. Renderers ask for a
//! [`Text`] key and get the phrase in the document's [`Lang`]; phrases with a `{}` take
//! values through [`Lang::fill`].
//!
//! Long Swedish compounds that head narrow table columns carry a soft hyphen (U+00AD) where
//! they may break, so an A4 table fits without breaking words at random; formats that do not
//! break lines (Markdown, the terminal) drop it.
//!
//! Terminal tables speak the same language: their headings and the words in their cells
//! (statuses, actions, conditions, routes) come from [`Lang::word`].

mod words;

use crate::model::{Condition, Route, Status};
use serde::Serialize;
use std::borrow::Cow;
use words::swedish_word;

/// The language of a document. Serialises as `"sv"` / `"en"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Sv,
    En,
}

impl From<crate::model::Language> for Lang {
    fn from(language: crate::model::Language) -> Lang {
        match language {
            crate::model::Language::Sv => Lang::Sv,
            crate::model::Language::En => Lang::En,
        }
    }
}

impl Lang {
    /// Accepts `sv` or `en`, in any case, with surrounding white space.
    pub fn parse(word: &str) -> Option<Lang> {
        match word.trim().to_ascii_lowercase().as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language to use when none was asked for: `HANDBACK_LANG` when it names one, then
    /// the POSIX locale (the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`; `sv`, `sv_SE.UTF-8`
    /// … mean Swedish), else English. `lookup` reads a variable (`|k| std::env::var(k).ok()`),
    /// injected so the rule can be tested without touching the process environment.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = lookup("HANDBACK_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(&lookup)
            .find(|value| !value.trim().is_empty());
        match locale {
            Some(locale) if locale_language(&locale).eq_ignore_ascii_case("sv") => Lang::Sv,
            _ => Lang::En,
        }
    }

    /// `sv` or `en`, as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The phrase for `key` in this language.
    pub fn text(self, key: Text) -> &'static str {
        let (sv, en) = phrase(key);
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    /// The phrase for `key` with each `{}` replaced, in order, by one of `values`.
    pub fn fill(self, key: Text, values: &[&str]) -> String {
        let mut parts = self.text(key).split("{}");
        let mut out = parts.next().unwrap_or_default().to_string();
        for (i, part) in parts.enumerate() {
            out.push_str(values.get(i).copied().unwrap_or_default());
            out.push_str(part);
        }
        out
    }

    /// A device kind in this language: the canonical kinds are translated, a kind handback
    /// does not know is shown as written.
    pub fn kind<'a>(self, kind: &'a str) -> Cow<'a, str> {
        let key = match kind {
            "laptop" => Text::KindLaptop,
            "computer" => Text::KindComputer,
            "tablet" => Text::KindTablet,
            "phone" => Text::KindPhone,
            "headset" => Text::KindHeadset,
            "monitor" => Text::KindMonitor,
            "dock" => Text::KindDock,
            "keyboard" => Text::KindKeyboard,
            "mouse" => Text::KindMouse,
            "webcam" => Text::KindWebcam,
            "other" => Text::KindOther,
            // A kind stored as a list wrote it ("Tangentbord", "Mobil") reads as its
            // canonical kind, so an English document does not show the Swedish word.
            _ => {
                let canonical = crate::model::canonical_kind(kind);
                return match canonical.as_str() {
                    known if known != kind && crate::model::is_known_kind(known) => {
                        Cow::Owned(self.kind(known).into_owned())
                    }
                    _ => Cow::Borrowed(kind),
                };
            }
        };
        Cow::Borrowed(self.text(key))
    }

    /// A word of a terminal table: a column's field name (`employee_no`) or an interface
    /// word in a cell (`in_stock`, `handed_out`, `damaged`, `reuse`). English shows the
    /// interface word itself, with spaces for underscores, as scripts' users know it;
    /// Swedish has its own. A word the table does not know is shown as in English.
    pub fn word(self, word: &str) -> Cow<'static, str> {
        match (self, swedish_word(word)) {
            (Lang::Sv, Some(swedish)) => Cow::Borrowed(swedish),
            _ => Cow::Owned(word.replace('_', " ")),
        }
    }

    /// A number with at most one decimal, with the language's decimal mark (3,5 / 3.5).
    pub fn decimal(self, value: f64) -> String {
        let rounded = (value * 10.0).round() / 10.0;
        let text = if rounded.fract() == 0.0 {
            format!("{rounded:.0}")
        } else {
            format!("{rounded:.1}")
        };
        match self {
            Lang::Sv => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A percentage, rounded to a whole number, written as the language writes it
    /// (Swedish puts a space before the sign).
    pub fn percent(self, value: f64) -> String {
        let whole = format!("{:.0}", value.round());
        match self {
            Lang::Sv => format!("{whole}\u{a0}%"),
            Lang::En => format!("{whole}%"),
        }
    }
}

/// `sv` from `sv_SE.UTF-8`, `sv-FI`, `sv@euro`…
fn locale_language(locale: &str) -> &str {
    let locale = locale.trim();
    let end = locale.find(['_', '-', '.', '@']).unwrap_or(locale.len());
    &locale[..end]
}

/// The key of one phrase of the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Text {
    // Titles
    ChecklistTitle,
    BatchTitle,
    ReceiptTitle,
    ReportTitle,
    /// The report's name in a footer: "Follow-up report".
    ReportShort,
    /// The checklist's name in a footer: "Departure checklist".
    ChecklistShort,
    /// "Produced {time} by {who}".
    Produced,
    // Every page's footer and the head's provenance
    /// "Page {x} of {y}": the counters are filled in by the printer.
    PageOf,
    DocumentNo,
    Organisation,
    RegisterName,
    /// "COPY – printed {day}; the receipt is of {day}".
    CopyNotice,
    // The person
    Name,
    EmployeeNo,
    Department,
    LastWorkingDay,
    Manager,
    Username,
    Language,
    NotRecorded,
    Email,
    Purchased,
    HeldBy,
    /// "{status} since {date}".
    StatusSince,
    // The terminal's lines around its tables
    HoldsNothing,
    HoldsOne,
    /// "Holds {n} items:".
    HoldsMany,
    HistoryHeading,
    /// "Chain of custody of {serial} ({description})".
    CustodyOfDevice,
    /// "Devices held by {person}".
    DevicesHeldBy,
    EverythingRecorded,
    // Device columns
    ColNo,
    ColKind,
    ColMakeModel,
    ColSerial,
    ColAssetTag,
    ColReturned,
    ColDueBack,
    ColNotReturned,
    ColCondition,
    ColRoute,
    ColNote,
    // Checklist
    ItemsHeading,
    NotesHeading,
    /// The back of a batch's sheet left blank, so the next person starts on a sheet of their
    /// own.
    BlankBack,
    ItemCount,
    ReturnHeading,
    ReturnBy,
    /// Below [`Text::ReturnBy`] when a device has an earlier date of its own.
    OwnDueDates,
    ReturnAsap,
    ReturnPlace,
    ReturnHours,
    ReturnContact,
    NoticeLeaverSubject,
    NoticeLeaverIntro,
    NoticeManagerSubject,
    NoticeManagerIntro,
    NoticeStillHeldSubject,
    NoticeStillHeldIntro,
    NoticeWeeklySubject,
    NoticeWeeklyIntro,
    NoticeWeeklyPerson,
    NoticeMore,
    NoticeMissing,
    NoticeSeeOnline,
    NoticeAutomatic,
    NoticeGreeting,
    DaysLeftToday,
    DaysLeftOne,
    DaysLeftMany,
    /// "Overdue by {days} – return at once".
    OverdueNotice,
    OneDay,
    /// "{n} days".
    ManyDays,
    LostDevice,
    NothingOutstanding,
    ChecklistConfirm,
    NothingConfirm,
    // Signatures
    SignaturesHeading,
    Employee,
    ReceivingTechnician,
    Technician,
    Signature,
    Date,
    NameInBlockLetters,
    // Receipt
    ReceiptDate,
    HandedOutHeading,
    TakenBackHeading,
    HandedOverHeading,
    TakenOverFrom,
    HandedOverTo,
    NothingChangedHands,
    NoEquipment,
    HandedOutConfirm,
    TakenBackConfirm,
    HandedOverConfirm,
    /// "replaces {device}".
    Replaces,
    StillHeldHeading,
    /// "What {person} holds according to the register on {day}:".
    StillHeldIntro,
    NothingStillHeld,
    // Batch
    Selection,
    LeavingFrom,
    LeavingUntil,
    /// "last working day {from} – {until}".
    LeavingBetween,
    SelectionDepartment,
    SelectionEveryone,
    PeopleCount,
    TotalItems,
    ColPerson,
    ColItems,
    ColOverdue,
    NobodySelected,
    // Report
    Period,
    /// The report's default period, said on its cover.
    DefaultPeriod,
    AllDepartments,
    DeparturesHeading,
    PeopleLeft,
    ReturnedOnTime,
    ReturnedLate,
    StillHolding,
    LongestDelay,
    MedianDelay,
    LongestOutstanding,
    /// "{days} days: {person}, {device}".
    LongestOutstandingCase,
    LateHeading,
    ColReturnedAllOn,
    /// Days after the last working day: one term for late returns and what is outstanding.
    ColDaysPast,
    OutstandingHeading,
    MissingHeading,
    ColStatus,
    ColSince,
    ColLastHolder,
    RoutesHeading,
    ReuseShare,
    ColCount,
    ColShare,
    StockHeading,
    MonthlyHeading,
    ColMonth,
    OnTime,
    Late,
    Total,
    NoRows,
    NoData,
    ReviewHeading,
    ReviewedBy,
    /// Chart alt text: "Returns on time and late, by month".
    MonthlyChart,
    RoutesChart,
    // Kinds, statuses, conditions, routes
    KindLaptop,
    KindComputer,
    KindTablet,
    KindPhone,
    KindHeadset,
    KindMonitor,
    KindDock,
    KindKeyboard,
    KindMouse,
    KindWebcam,
    KindOther,
    Status(Status),
    ConditionOk,
    ConditionDamaged,
    ConditionBroken,
    RouteReuse,
    RouteRepair,
    RouteRecycle,
}

/// The table: (Swedish, English) for every key.
fn phrase(key: Text) -> (&'static str, &'static str) {
    match key {
        Text::ChecklistTitle => (
            "Avgångschecklista – utrustning att återlämna",
            "Departure checklist – equipment to return",
        ),
        Text::BatchTitle => ("Avgångschecklistor", "Departure checklists"),
        Text::ReceiptTitle => ("Kvittens", "Receipt"),
        Text::ReportTitle => (
            "Uppföljning av återlämnad utrustning",
            "Follow-up of returned equipment",
        ),
        Text::ReportShort => ("Uppföljningsrapport", "Follow-up report"),
        Text::ChecklistShort => ("Avgångschecklista", "Departure checklist"),
        Text::Produced => ("Framtagen {} av {}", "Produced {} by {}"),
        Text::PageOf => ("Sida {} av {}", "Page {} of {}"),
        Text::DocumentNo => ("Dokumentnummer", "Document number"),
        Text::Organisation => ("Organisation", "Organisation"),
        Text::RegisterName => ("Register", "Register"),
        Text::CopyNotice => (
            "KOPIA – utskriven {}. Kvittensen gäller {}.",
            "COPY – printed {}. The receipt is of {}.",
        ),

        Text::Name => ("Namn", "Name"),
        Text::EmployeeNo => ("Anställnings\u{ad}nummer", "Employee number"),
        Text::Department => ("Avdelning", "Department"),
        Text::LastWorkingDay => ("Sista arbetsdag", "Last working day"),
        Text::NotRecorded => ("uppgift saknas", "not recorded"),
        Text::Email => ("E-post", "E-mail"),
        Text::Manager => ("Chef", "Manager"),
        Text::Username => ("Användarnamn", "User name"),
        Text::Language => ("Språk", "Language"),
        Text::Purchased => ("Inköpt", "Purchased"),
        Text::HeldBy => ("Innehas av", "Held by"),
        Text::StatusSince => ("{} sedan {}", "{} since {}"),
        Text::HoldsNothing => ("Har ingen utrustning.", "Holds nothing."),
        Text::HoldsOne => ("Har 1 enhet:", "Holds 1 item:"),
        Text::HoldsMany => ("Har {} enheter:", "Holds {} items:"),
        Text::HistoryHeading => ("Historik:", "History:"),
        Text::CustodyOfDevice => ("Innehavare av {} ({})", "Chain of custody of {} ({})"),
        Text::DevicesHeldBy => ("Enheter som {} har haft", "Devices held by {}"),
        Text::EverythingRecorded => (
            "Allt som har registrerats, i ordning:",
            "Everything recorded, in order:",
        ),

        Text::ColNo => ("Nr", "No."),
        Text::ColKind => ("Typ", "Kind"),
        Text::ColMakeModel => ("Fabrikat och modell", "Make and model"),
        Text::ColSerial => ("Serie\u{ad}nummer", "Serial number"),
        Text::ColAssetTag => ("Inventarie\u{ad}nummer", "Asset tag"),
        Text::ColReturned => ("Åter\u{ad}lämnad", "Returned"),
        Text::ColDueBack => ("Åter senast", "Due back"),
        Text::ColNotReturned => ("Ej åter\u{ad}lämnad: orsak", "Not returned: why"),
        Text::ColCondition => ("Skick", "Condition"),
        Text::ColRoute => ("Vidare hantering", "Next step"),
        Text::ColNote => ("Anteckning", "Note"),

        Text::ItemsHeading => ("Utrustning att återlämna", "Equipment to return"),
        Text::NotesHeading => ("Anteckningar vid utlämningen", "Notes from the hand-out"),
        Text::BlankBack => ("Avsiktligt tom sida.", "This page is intentionally blank."),
        Text::ItemCount => (
            "Antal enheter att återlämna: {}",
            "Number of items to return: {}",
        ),
        Text::ReturnHeading => ("Återlämning", "Returning the equipment"),
        Text::ReturnBy => (
            "Lämna tillbaka all utrustning ovan till IT-service senast sista arbetsdagen, {}.",
            "Hand back all the equipment above to IT service by the last working day, {}.",
        ),
        Text::OwnDueDates => (
            "En enhet med ett tidigare datum under ”Åter senast” lämnas senast det datumet.",
            "A device with an earlier date under “Due back” is due back by that date.",
        ),
        Text::ReturnAsap => (
            "Lämna tillbaka all utrustning ovan till IT-service snarast.",
            "Hand back all the equipment above to IT service as soon as possible.",
        ),
        Text::ReturnPlace => ("Var", "Where"),
        Text::ReturnHours => ("När", "When"),
        Text::ReturnContact => ("Kontakt", "Contact"),
        Text::NoticeLeaverSubject => (
            "Lämna tillbaka din IT-utrustning senast {}",
            "Please hand back your IT equipment by {}",
        ),
        Text::NoticeLeaverIntro => (
            "Din sista arbetsdag är {} ({}). Lämna tillbaka utrustningen nedan till IT senast \
             den dagen.",
            "Your last working day is {} ({}). Please hand back the equipment below to IT by \
             then.",
        ),
        Text::NoticeManagerSubject => (
            "{} slutar {}: utrustning att lämna tillbaka",
            "{} leaves on {}: equipment to hand back",
        ),
        Text::NoticeManagerIntro => (
            "{} har sista arbetsdag {} ({}) och har fortfarande utrustningen nedan. Se till att \
             den lämnas tillbaka till IT.",
            "{} has their last working day on {} ({}) and still holds the equipment below. \
             Please see that it is handed back to IT.",
        ),
        Text::NoticeStillHeldSubject => (
            "Inte återlämnat: {} slutade {}",
            "Not handed back: {} left on {}",
        ),
        Text::NoticeStillHeldIntro => (
            "{} hade sista arbetsdag {} och har ännu inte lämnat tillbaka utrustningen nedan.",
            "{} had their last working day on {} and has not handed back the equipment below.",
        ),
        Text::NoticeWeeklySubject => (
            "Veckans lista: {} personer har utrustning kvar efter sista arbetsdag",
            "This week: {} people still hold equipment after their last working day",
        ),
        Text::NoticeWeeklyIntro => (
            "Per {}: {} personer har utrustning kvar efter sista arbetsdag, och {} enheter är \
             förlorade eller stulna utan uppföljning.",
            "As of {}: {} people still hold equipment after their last working day, and {} \
             devices are lost or stolen without follow-up.",
        ),
        Text::NoticeWeeklyPerson => (
            "{}: sista arbetsdag {}, {} dagar sedan, {} enheter",
            "{}: last working day {}, {} days ago, {} items",
        ),
        Text::NoticeMore => ("… och {} till.", "… and {} more."),
        Text::NoticeMissing => (
            "{} {} ({}) sedan {}, senast hos {}",
            "{} {} ({}) since {}, last held by {}",
        ),
        Text::NoticeSeeOnline => ("Se i handback: {}", "See it in handback: {}"),
        Text::NoticeAutomatic => (
            "Det här meddelandet skickades automatiskt av handback.",
            "This message was sent automatically by handback.",
        ),
        Text::NoticeGreeting => ("Hej {}!", "Hello {},"),
        Text::DaysLeftToday => ("i dag", "today"),
        Text::DaysLeftOne => ("i morgon", "tomorrow"),
        Text::DaysLeftMany => ("om {} dagar", "in {} days"),
        Text::OverdueNotice => (
            "Förfallen sedan {} – lämna omgående.",
            "Overdue by {} – hand it back at once.",
        ),
        Text::OneDay => ("1 dag", "1 day"),
        Text::ManyDays => ("{} dagar", "{} days"),
        Text::LostDevice => (
            "Har en enhet kommit bort eller blivit stulen? Anmäl det genast till IT-service, eftersom enheten kan innehålla data.",
            "If a device has been lost or stolen, report it at once to IT service: it may hold data.",
        ),
        Text::NothingOutstanding => (
            "Ingen utrustning att återlämna: registret visar ingen utlånad utrustning.",
            "No equipment to return: the register shows nothing on loan.",
        ),
        Text::ChecklistConfirm => (
            "Genom underskrifterna intygas att den utrustning som är markerad ovan har återlämnats.",
            "By signing, both confirm that the equipment ticked above has been returned.",
        ),
        Text::NothingConfirm => (
            "Genom underskrifterna intygas att den anställda inte har någon utrustning kvar att återlämna.",
            "By signing, both confirm that the employee has no equipment left to return.",
        ),

        Text::SignaturesHeading => ("Underskrifter", "Signatures"),
        Text::Employee => ("Anställd", "Employee"),
        Text::ReceivingTechnician => ("Mottagande tekniker", "Receiving technician"),
        Text::Technician => ("IT-tekniker", "IT technician"),
        Text::Signature => ("Underskrift", "Signature"),
        Text::Date => ("Datum", "Date"),
        Text::NameInBlockLetters => ("Namnförtydligande", "Name in block letters"),

        Text::ReceiptDate => ("Datum för överlämnandet", "Date of hand-over"),
        Text::HandedOutHeading => ("Utlämnad utrustning", "Equipment handed out"),
        Text::TakenBackHeading => ("Återlämnad utrustning", "Equipment taken back"),
        Text::HandedOverHeading => (
            "Utrustning överlämnad direkt till en efterträdare",
            "Equipment handed straight to a successor",
        ),
        Text::TakenOverFrom => ("övertagen från {}", "taken over from {}"),
        Text::HandedOverTo => ("överlämnad till {}", "handed over to {}"),
        Text::NothingChangedHands => (
            "Ingen utrustning lämnades ut, överlämnades eller togs tillbaka {}: det finns inget att kvittera.",
            "No equipment was handed out, handed over or taken back on {}: there is nothing to sign for.",
        ),
        Text::NoEquipment => ("Ingen.", "None."),
        Text::HandedOutConfirm => (
            "Den anställda har tagit emot den utlämnade utrustningen som anges ovan.",
            "The employee has received the equipment handed out, as listed above.",
        ),
        Text::TakenBackConfirm => (
            "IT-teknikern har tagit emot den återlämnade utrustningen som anges ovan.",
            "The IT technician has received the equipment taken back, as listed above.",
        ),

        Text::HandedOverConfirm => (
            "Den överlämnade utrustningen gick direkt till den som anges, som kvitterar den på sin egen kvittens.",
            "The equipment handed over went straight to the person named, who signs for it on their own receipt.",
        ),
        Text::Replaces => ("ersätter {}", "replaces {}"),
        Text::StillHeldHeading => ("Kvar att lämna tillbaka", "Still to be returned"),
        Text::StillHeldIntro => (
            "Det här har {} kvar enligt registret {}:",
            "What {} still holds according to the register on {}:",
        ),
        Text::NothingStillHeld => (
            "Inget: registret visar ingen utrustning kvar att lämna tillbaka.",
            "Nothing: the register shows no equipment left to return.",
        ),

        Text::Selection => ("Urval", "Selection"),
        Text::LeavingFrom => (
            "sista arbetsdag från och med {}",
            "last working day on or after {}",
        ),
        Text::LeavingUntil => (
            "sista arbetsdag till och med {}",
            "last working day on or before {}",
        ),
        Text::LeavingBetween => ("sista arbetsdag {} – {}", "last working day {} – {}"),
        Text::SelectionDepartment => ("avdelning {}", "department {}"),
        Text::SelectionEveryone => (
            "alla som har en sista arbetsdag",
            "everyone with a last working day",
        ),
        Text::PeopleCount => ("Antal personer: {}", "Number of people: {}"),
        Text::TotalItems => (
            "Antal enheter att återlämna totalt: {}",
            "Total number of items to return: {}",
        ),
        Text::ColPerson => ("Person", "Person"),
        Text::ColItems => ("Enheter", "Items"),
        Text::ColOverdue => ("Försenad", "Overdue"),
        Text::NobodySelected => (
            "Ingen person matchar urvalet.",
            "No one matches the selection.",
        ),

        Text::Period => ("Period: {} – {}", "Period: {} – {}"),
        Text::DefaultPeriod => (
            "Perioden är de tolv hela månaderna före innevarande månad.",
            "The period is the twelve whole months before the current one.",
        ),
        Text::AllDepartments => ("Alla avdelningar", "All departments"),
        Text::DeparturesHeading => ("Avgångar", "Departures"),
        Text::PeopleLeft => ("Personer som har slutat", "People who left"),
        Text::ReturnedOnTime => (
            "Lämnade tillbaka allt senast sista arbetsdagen",
            "Returned everything by their last working day",
        ),
        Text::ReturnedLate => (
            "Lämnade tillbaka allt, men för sent",
            "Returned everything, but late",
        ),
        Text::StillHolding => ("Har fortfarande utrustning kvar", "Still hold equipment"),
        Text::LongestDelay => (
            "Längsta försening bland dem som lämnat tillbaka allt (dagar)",
            "Longest delay among those who returned everything (days)",
        ),
        Text::MedianDelay => (
            "Medianförsening bland dem som lämnat tillbaka allt (dagar)",
            "Median delay among those who returned everything (days)",
        ),
        Text::LongestOutstanding => (
            "Längst kvar efter sista arbetsdagen, ännu inte återlämnad",
            "Held longest past the last working day, not yet returned",
        ),
        Text::LongestOutstandingCase => ("{}: {}, {}", "{}: {}, {}"),
        Text::LateHeading => ("Sena återlämningar", "Late returns"),
        Text::ColReturnedAllOn => ("Allt återlämnat", "Everything returned on"),
        Text::ColDaysPast => ("Dagar efter sista arbetsdag", "Days past last working day"),
        Text::OutstandingHeading => (
            "Utrustning som ännu inte har återlämnats",
            "Equipment not yet returned",
        ),
        Text::MissingHeading => ("Förlorade och stulna enheter", "Lost and stolen devices"),
        Text::ColStatus => ("Status", "Status"),
        Text::ColSince => ("Sedan", "Since"),
        Text::ColLastHolder => ("Senaste innehavare", "Last holder"),
        Text::RoutesHeading => (
            "Återlämnade enheter: återanvändning, reparation och återvinning",
            "Returned devices: reuse, repair and recycling",
        ),
        Text::ReuseShare => ("Andel som återanvänds: {}", "Share reused: {}"),
        Text::ColCount => ("Antal", "Count"),
        Text::ColShare => ("Andel", "Share"),
        Text::StockHeading => ("Enheter i lager per typ", "Devices in stock by kind"),
        Text::MonthlyHeading => ("Återlämningar per månad", "Returns by month"),
        Text::ColMonth => ("Månad", "Month"),
        Text::OnTime => ("I tid", "On time"),
        Text::Late => ("För sent", "Late"),
        Text::Total => ("Totalt", "Total"),
        Text::NoRows => ("Inga.", "None."),
        Text::NoData => ("Inga uppgifter för perioden.", "No data for the period."),
        Text::ReviewHeading => ("Granskning", "Review"),
        Text::ReviewedBy => ("Granskad av", "Reviewed by"),
        Text::MonthlyChart => (
            "Återlämningar i tid och för sent, per månad",
            "Returns on time and late, by month",
        ),
        Text::RoutesChart => (
            "Återlämnade enheter fördelade på återanvändning, reparation och återvinning",
            "Returned devices split into reuse, repair and recycling",
        ),

        Text::KindLaptop => ("Bärbar dator", "Laptop"),
        Text::KindComputer => ("Dator", "Computer"),
        Text::KindTablet => ("Surfplatta", "Tablet"),
        Text::KindPhone => ("Mobiltelefon", "Mobile phone"),
        Text::KindHeadset => ("Headset", "Headset"),
        Text::KindMonitor => ("Skärm", "Monitor"),
        Text::KindDock => ("Docknings\u{ad}station", "Docking station"),
        Text::KindKeyboard => ("Tangentbord", "Keyboard"),
        Text::KindMouse => ("Mus", "Mouse"),
        Text::KindWebcam => ("Webbkamera", "Webcam"),
        Text::KindOther => ("Övrigt", "Other"),
        Text::Status(status) => match status {
            Status::InStock => ("I lager", "In stock"),
            Status::HandedOut => ("Utlämnad", "Handed out"),
            Status::InRepair => ("På reparation", "In repair"),
            Status::ToRecycle => ("Till återvinning", "To recycle"),
            Status::Recycled => ("Återvunnen", "Recycled"),
            Status::Lost => ("Borttappad", "Lost"),
            Status::Stolen => ("Stulen", "Stolen"),
        },
        Text::ConditionOk => ("Utan anmärkning", "OK"),
        Text::ConditionDamaged => ("Skadad", "Damaged"),
        Text::ConditionBroken => ("Trasig", "Broken"),
        Text::RouteReuse => ("Återanvändning", "Reuse"),
        Text::RouteRepair => ("Reparation", "Repair"),
        Text::RouteRecycle => ("Återvinning", "Recycling"),
    }
}

impl From<Condition> for Text {
    fn from(condition: Condition) -> Text {
        match condition {
            Condition::Ok => Text::ConditionOk,
            Condition::Damaged => Text::ConditionDamaged,
            Condition::Broken => Text::ConditionBroken,
        }
    }
}

impl From<Route> for Text {
    fn from(route: Route) -> Text {
        match route {
            Route::Reuse => Text::RouteReuse,
            Route::Repair => Text::RouteRepair,
            Route::Recycle => Text::RouteRecycle,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KINDS;
    use rstest::rstest;

    #[rstest]
    #[case(&[], Lang::En)]
    #[case(&[("HANDBACK_LANG", "sv")], Lang::Sv)]
    #[case(&[("HANDBACK_LANG", " EN "), ("LANG", "sv_SE.UTF-8")], Lang::En)]
    #[case(&[("HANDBACK_LANG", "fi"), ("LANG", "sv_SE.UTF-8")], Lang::Sv)]
    #[case(&[("HANDBACK_LANG", "sv"), ("LC_ALL", "en_GB.UTF-8")], Lang::Sv)]
    #[case(&[("LANG", "sv_SE.UTF-8")], Lang::Sv)]
    #[case(&[("LANG", "sv_FI")], Lang::Sv)]
    #[case(&[("LANG", "sv")], Lang::Sv)]
    #[case(&[("LC_MESSAGES", "sv_SE@euro")], Lang::Sv)]
    #[case(&[("LC_ALL", "C"), ("LANG", "sv_SE.UTF-8")], Lang::En)]
    #[case(&[("LC_ALL", ""), ("LANG", "sv_SE.UTF-8")], Lang::Sv)]
    #[case(&[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "sv_SE.UTF-8")], Lang::En)]
    #[case(&[("LANG", "svenska")], Lang::En)]
    #[case(&[("LANG", "de_DE.UTF-8")], Lang::En)]
    fn language_comes_from_the_environment(#[case] vars: &[(&str, &str)], #[case] expected: Lang) {
        let lookup = |key: &str| {
            vars.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::from_env(lookup), expected);
    }

    #[rstest]
    #[case("sv", Some(Lang::Sv))]
    #[case("EN", Some(Lang::En))]
    #[case("sv_SE", None)]
    #[case("", None)]
    fn parse_takes_the_two_codes(#[case] word: &str, #[case] expected: Option<Lang>) {
        assert_eq!(Lang::parse(word), expected);
    }

    #[test]
    fn every_canonical_kind_is_translated_and_unknown_kinds_kept() {
        for kind in KINDS {
            assert_ne!(Lang::Sv.kind(kind), kind, "{kind} has no Swedish name");
        }
        assert_eq!(Lang::Sv.kind("laptop"), "Bärbar dator");
        assert_eq!(Lang::En.kind("dock"), "Docking station");
        assert_eq!(Lang::Sv.kind("Projektor"), "Projektor");
    }

    #[rstest]
    #[case(Lang::En, "employee_no", "employee no")]
    #[case(Lang::Sv, "employee_no", "anställningsnummer")]
    #[case(Lang::En, "in_stock", "in stock")]
    #[case(Lang::Sv, "in_stock", "i lager")]
    #[case(Lang::Sv, "no_such_word", "no such word")]
    fn table_words_are_translated_and_unknown_ones_kept(
        #[case] lang: Lang,
        #[case] word: &str,
        #[case] expected: &str,
    ) {
        assert_eq!(lang.word(word), expected);
    }

    /// Every status a table can show has its Swedish word.
    #[test]
    fn every_status_has_a_swedish_table_word() {
        for status in Status::ALL {
            assert!(swedish_word(status.as_str()).is_some(), "{status:?}");
        }
    }

    #[test]
    fn fill_replaces_placeholders_in_order() {
        assert_eq!(
            Lang::Sv.fill(Text::Produced, &["2025-03-14 10:05", "anna"]),
            "Framtagen 2025-03-14 10:05 av anna"
        );
        assert_eq!(Lang::En.fill(Text::Period, &["a"]), "Period: a – ");
    }

    #[rstest]
    #[case(Lang::Sv, 3.5, "3,5")]
    #[case(Lang::En, 3.5, "3.5")]
    #[case(Lang::Sv, 4.0, "4")]
    #[case(Lang::En, 2.04, "2")]
    fn decimals_use_the_language_mark(#[case] lang: Lang, #[case] n: f64, #[case] text: &str) {
        assert_eq!(lang.decimal(n), text);
    }

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(Lang::Sv.percent(62.5), "63\u{a0}%");
        assert_eq!(Lang::En.percent(62.4), "62%");
    }
}

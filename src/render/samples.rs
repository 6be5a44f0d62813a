//! Sample documents for the renderers' tests: realistic Swedish data, an empty checklist, a
//! hostile name, a batch, a receipt and a report, in both languages.

use crate::docs::{
    BatchCriteria, Checklist, ChecklistBatch, Departures, DocumentHeader, DocumentSettings,
    HandedOutLine, HandedOverLine, InLang, KindCount, LateReturn, MissingRow, MonthlyReturns,
    OutstandingRow, Receipt, ReceiptLine, Report, RouteCounts, TakenBackLine,
};
use crate::i18n::Lang;
use crate::model::{Condition, HeldItem, Person, PersonId, Route, Status};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub const HOSTILE_NAME: &str = "<script>alert(1)</script> | # Bobby\n- Tables";

/// 2025-03-14 09:05 UTC, when every sample was "produced".
pub fn produced_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 5, 0)
        .single()
        .unwrap_or_default()
}

/// A date in the samples; the literals are all valid.
fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn header() -> DocumentHeader {
    DocumentHeader {
        produced_at: produced_at(),
        produced_by: "maria.lindqvist".into(),
        produced_by_name: Some("Maria Lindqvist".into()),
        zone: Zone::DEFAULT,
        settings: DocumentSettings {
            organisation: Some("Socialförvaltningen, Malmö stad".into()),
            register: Some("IT-utrustning".into()),
            return_place: Some("IT-service, plan 2, Stortorget 1".into()),
            return_hours: Some("vardagar 8–16".into()),
            return_contact: Some("servicedesk 040-34 10 00".into()),
        },
    }
}

fn person(no: &str, name: &str, department: &str, end_date: Option<NaiveDate>) -> Person {
    Person {
        id: PersonId(1),
        employee_no: Some(no.into()),
        name: name.into(),
        email: None,
        department: Some(department.into()),
        end_date,
        erased: false,
        username: None,
        manager: None,
        language: None,
    }
}

fn item(kind: &str, make: &str, model: &str, serial: &str, tag: Option<&str>) -> HeldItem {
    HeldItem {
        serial: serial.into(),
        asset_tag: tag.map(Into::into),
        kind: kind.into(),
        make: Some(make.into()).filter(|m: &String| !m.is_empty()),
        model: Some(model.into()).filter(|m: &String| !m.is_empty()),
        handed_out_on: day(2022, 8, 15),
        handed_out_by: "jonas.ek".into(),
        due_back: None,
        note: None,
    }
}

fn items() -> Vec<HeldItem> {
    vec![
        item(
            "laptop",
            "Lenovo",
            "ThinkPad T14 Gen 4",
            "PF4KX9ZQ",
            Some("INV-004711"),
        ),
        HeldItem {
            // Due before the last working day, and past due when the samples are produced.
            due_back: Some(day(2025, 3, 10)),
            note: Some("Laddare saknas".into()),
            ..item(
                "phone",
                "Apple",
                "iPhone 13",
                "356789104512345",
                Some("INV-005120"),
            )
        },
        item(
            "monitor",
            "Dell",
            "P2422H",
            "CN-0K2W4H-74261-3B5-2ACL",
            None,
        ),
        item(
            "dock",
            "Lenovo",
            "ThinkPad Universal USB-C Dock",
            "ZK1234567",
            Some("INV-004712"),
        ),
        item("Projektor", "Epson", "", "X5KL002233", None),
    ]
}

fn checklist_doc() -> Checklist {
    Checklist {
        header: header(),
        person: person(
            "1001",
            "Åsa Öberg-Ärlemalm",
            "Socialförvaltningen, äldreomsorg",
            Some(day(2025, 3, 31)),
        ),
        items: items(),
    }
}

/// Nothing held, and no last working day recorded.
fn checklist_empty_doc() -> Checklist {
    let mut person = person("1002", "Örjan Åkesson", "Kultur och fritid", None);
    person.email = Some("orjan.akesson@example.se".into());
    Checklist {
        header: header(),
        person,
        items: Vec::new(),
    }
}

fn checklist_hostile_doc() -> Checklist {
    let mut hostile = item(
        "<b>laptop</b>",
        "Evil | Corp",
        "<img src=x>",
        "SER|<I>AL",
        None,
    );
    hostile.handed_out_by = "**admin**".into();
    Checklist {
        header: header(),
        person: person(
            "1003",
            HOSTILE_NAME,
            "IT | </td></tr>",
            Some(day(2025, 4, 1)),
        ),
        items: vec![hostile],
    }
}

fn batch_doc() -> ChecklistBatch {
    let mut second = checklist_doc();
    second.person = person(
        "2040",
        "Mikael Johansson",
        "Barn- och utbildningsförvaltningen",
        Some(day(2025, 3, 21)),
    );
    second.items.truncate(2);
    let mut empty = checklist_empty_doc();
    empty.person.end_date = Some(day(2025, 3, 28));
    ChecklistBatch {
        header: header(),
        criteria: BatchCriteria {
            leaving_from: Some(day(2025, 3, 1)),
            leaving_until: Some(day(2025, 3, 31)),
            department: None,
        },
        checklists: vec![checklist_doc(), second, empty],
    }
}

fn receipt_doc() -> Receipt {
    let lines: Vec<ReceiptLine> = items().iter().map(ReceiptLine::from).collect();
    let taken_back = [
        (Condition::Ok, Route::Reuse, None),
        (
            Condition::Damaged,
            Route::Repair,
            Some("Sprucken skärm, laddporten glappar"),
        ),
        (Condition::Broken, Route::Recycle, None),
    ]
    .into_iter()
    .zip(&lines)
    .map(|((condition, route, note), device)| TakenBackLine {
        device: device.clone(),
        condition,
        route,
        note: note.map(Into::into),
    })
    .collect();
    Receipt {
        header: header(),
        person: person(
            "1001",
            "Åsa Öberg-Ärlemalm",
            "Socialförvaltningen, äldreomsorg",
            Some(day(2025, 3, 31)),
        ),
        date: day(2025, 3, 14),
        handed_out: lines[3..]
            .iter()
            .enumerate()
            .map(|(i, device)| HandedOutLine {
                device: device.clone(),
                // The first came straight from a leaver.
                taken_over_from: (i == 0).then(|| {
                    person(
                        "2044",
                        "Tove Lund",
                        "Socialförvaltningen, äldreomsorg",
                        None,
                    )
                }),
                // The second replaces a broken phone.
                replaces: (i == 1).then(|| ReceiptLine {
                    kind: "phone".into(),
                    make: Some("Samsung".into()),
                    model: Some("Galaxy A52".into()),
                    serial: "R58R31ABCDE".into(),
                    asset_tag: None,
                }),
            })
            .collect(),
        handed_over: vec![HandedOverLine {
            device: ReceiptLine {
                kind: "dock".into(),
                make: Some("Dell".into()),
                model: Some("WD19S".into()),
                serial: "CN0DK9X1".into(),
                asset_tag: None,
            },
            handed_over_to: person("2109", "Fatima Al-Hassan", "Gatukontoret", None),
        }],
        taken_back,
        // What was handed out that day, still held.
        still_held: items()[3..].to_vec(),
    }
}

fn report_doc() -> Report {
    let late = |person: &str, last: NaiveDate, back: NaiveDate, days_late: u32| LateReturn {
        person: person.into(),
        last_working_day: last,
        returned_all_on: back,
        days_late,
    };
    let monthly = [
        (10, 4, 1),
        (11, 6, 2),
        (12, 3, 3),
        (1, 9, 1),
        (2, 7, 0),
        (3, 5, 4),
    ]
    .into_iter()
    .map(|(month, on_time, late)| MonthlyReturns {
        year: if month >= 10 { 2024 } else { 2025 },
        month,
        on_time,
        late,
    })
    .collect();
    Report {
        header: header(),
        from: day(2024, 10, 1),
        to: day(2025, 3, 31),
        department: None,
        default_period: false,
        departures: Departures {
            left: 23,
            returned_on_time: 17,
            late: vec![
                late(
                    "Kalle Änglund (1050)",
                    day(2024, 11, 29),
                    day(2024, 12, 4),
                    5,
                ),
                late("Sara Öst (1077)", day(2025, 1, 31), day(2025, 2, 14), 14),
                late("Lars Ek (1102)", day(2025, 2, 28), day(2025, 3, 3), 3),
            ],
        },
        outstanding: vec![
            OutstandingRow {
                person: "Åsa Öberg-Ärlemalm (1001)".into(),
                serial: "PF4KX9ZQ".into(),
                asset_tag: Some("INV-004711".into()),
                kind: "laptop".into(),
                make: Some("Lenovo".into()),
                model: Some("ThinkPad T14 Gen 4".into()),
                note: None,
                handed_out_on: day(2022, 8, 15),
                last_working_day: day(2025, 2, 28),
                days_overdue: 14,
            },
            OutstandingRow {
                person: HOSTILE_NAME.into(),
                serial: "F17GQ2XYZ0D9".into(),
                asset_tag: None,
                kind: "phone".into(),
                make: Some("Apple".into()),
                model: Some("iPhone 13".into()),
                note: Some("Lånad till hemarbete".into()),
                handed_out_on: day(2023, 1, 9),
                last_working_day: day(2025, 1, 31),
                days_overdue: 42,
            },
        ],
        missing: vec![MissingRow {
            serial: "DMPXQ0KLJF8".into(),
            kind: "tablet".into(),
            status: Status::Stolen,
            since: day(2025, 2, 3),
            last_holder: Some("Per Hägg (1210)".into()),
            asset_tag: Some("INV-003301".into()),
            make: Some("Apple".into()),
            model: Some("iPad 9".into()),
            note: Some("Polisanmälan 5000-K123456-25".into()),
        }],
        routes: RouteCounts {
            reuse: 31,
            repair: 6,
            recycle: 12,
        },
        in_stock: vec![
            KindCount {
                kind: "laptop".into(),
                count: 14,
            },
            KindCount {
                kind: "phone".into(),
                count: 9,
            },
            KindCount {
                kind: "headset".into(),
                count: 22,
            },
        ],
        monthly,
    }
}

/// The same report with nothing in it, to check the empty states.
fn report_empty_doc() -> Report {
    Report {
        departures: Departures::default(),
        outstanding: Vec::new(),
        missing: Vec::new(),
        routes: RouteCounts::default(),
        in_stock: Vec::new(),
        monthly: Vec::new(),
        department: Some("Miljö & hälsa".into()),
        ..report_doc()
    }
}

pub fn checklist(lang: Lang) -> InLang<Checklist> {
    InLang::new(checklist_doc(), lang)
}

pub fn checklist_empty(lang: Lang) -> InLang<Checklist> {
    InLang::new(checklist_empty_doc(), lang)
}

pub fn checklist_hostile(lang: Lang) -> InLang<Checklist> {
    InLang::new(checklist_hostile_doc(), lang)
}

pub fn batch(lang: Lang) -> InLang<ChecklistBatch> {
    InLang::new(batch_doc(), lang)
}

pub fn receipt(lang: Lang) -> InLang<Receipt> {
    InLang::new(receipt_doc(), lang)
}

pub fn report(lang: Lang) -> InLang<Report> {
    InLang::new(report_doc(), lang)
}

pub fn report_empty(lang: Lang) -> InLang<Report> {
    InLang::new(report_empty_doc(), lang)
}

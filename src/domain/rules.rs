//! Which moves a device's status allows, and what a refusal says.
//!
//! Pure: the operations look up the device and its holder, ask here, and only then write.
//! A refusal names what is in the way and what to do instead.

use crate::model::{Device, Person, Route, Status};
use crate::zone::Zone;
use chrono::NaiveDate;

/// Something a technician wants to do with a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    HandOut,
    Return,
    MarkLost,
    Repaired,
    Recycle,
    Found,
    /// Send a device nobody holds to stock, repair or recycling (`route --to`).
    Route(Route),
}

/// When a handout is due back: the earlier of its own due date and its holder's last
/// working day. Everything a leaver holds is due by that day at the latest; when the day
/// moves or goes, a handout's own date comes back.
pub fn due_back(own: Option<NaiveDate>, last_day: Option<NaiveDate>) -> Option<NaiveDate> {
    match (own, last_day) {
        (Some(own), Some(last_day)) => Some(own.min(last_day)),
        (own, last_day) => own.or(last_day),
    }
}

/// The person holding a device, and since when.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    pub person: &'a Person,
    pub since: NaiveDate,
}

/// `None` when the move is allowed; otherwise the sentence that says why not.
pub fn refusal(
    device: &Device,
    wanted: Move,
    holder: Option<Holder<'_>>,
    zone: Zone,
) -> Option<String> {
    use Status::*;
    let serial = &device.serial;
    let since = zone.date_of(device.status_since);
    let allowed = match wanted {
        Move::HandOut => device.status == InStock,
        Move::Return => device.status == HandedOut,
        Move::MarkLost => matches!(device.status, HandedOut | InStock | InRepair | ToRecycle),
        Move::Repaired => device.status == InRepair,
        Move::Recycle => matches!(device.status, InStock | InRepair | ToRecycle),
        Move::Found => device.status.is_missing(),
        // Anything not yet recycled can change its mind, but a move must move.
        Move::Route(route) => {
            matches!(device.status, InStock | InRepair | ToRecycle)
                && device.status != route.status()
        }
    };
    if allowed {
        return None;
    }
    let held =
        |h: Holder<'_>| format!("{serial} is held by {} since {}", h.person.label(), h.since);
    Some(match (wanted, device.status, holder) {
        (Move::HandOut, HandedOut, Some(h)) => {
            format!(
                "{}: return it first (`handback return {serial}`) or use `handback transfer`",
                held(h)
            )
        }
        (Move::Recycle, HandedOut, Some(h)) => {
            format!(
                "{}: take it back first (`handback return {serial} --to recycle`)",
                held(h)
            )
        }
        (Move::MarkLost, Lost | Stolen, _) => {
            format!(
                "{serial} is already marked {} since {since}",
                device.status.plain()
            )
        }
        (Move::HandOut | Move::Recycle | Move::Repaired, Lost | Stolen, _) => format!(
            "{serial} is {} since {since}; if it has turned up, record it with `handback found {serial}` first",
            device.status.plain()
        ),
        (Move::HandOut, InRepair, _) => format!(
            "{serial} is in repair since {since}; when it is fixed, run `handback repaired {serial}` first"
        ),
        (Move::HandOut, ToRecycle | Recycled, _) => format!(
            "{serial} is {} since {since} and cannot be handed out",
            device.status.plain()
        ),
        (Move::Return, _, _) => format!(
            "nobody holds {serial} (it is {} since {since}), so there is nothing to return",
            device.status.plain()
        ),
        (Move::Found, _, _) => format!(
            "{serial} is not lost or stolen (it is {}), so it cannot be found",
            device.status.plain()
        ),
        (Move::Recycle, Recycled, _) => format!("{serial} was recycled on {since} already"),
        (Move::Route(route), status, _) if status == route.status() => {
            format!("{serial} is {} since {since} already", status.plain())
        }
        (Move::Route(_), HandedOut, Some(h)) => {
            format!(
                "{}: take it back first (`handback return {serial} --to …`)",
                held(h)
            )
        }
        (Move::Route(_), Recycled, _) => {
            format!("{serial} was recycled on {since}: recycling is final")
        }
        (_, status, _) => format!(
            "{serial} is {} since {since}, which does not allow this",
            status.plain()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DeviceId, PersonId};
    use chrono::{TimeZone, Utc};
    use rstest::rstest;

    fn device(status: Status) -> Device {
        Device {
            id: DeviceId(1),
            serial: "C02XK1JHJG5H".into(),
            asset_tag: None,
            kind: "laptop".into(),
            make: None,
            model: None,
            purchased: None,
            status,
            status_since: Utc.with_ymd_and_hms(2025, 1, 10, 11, 0, 0).unwrap(),
        }
    }

    fn person() -> Person {
        Person {
            id: PersonId(1),
            employee_no: Some("1001".into()),
            name: "Åsa Öberg".into(),
            email: None,
            department: None,
            end_date: None,
            erased: false,
        }
    }

    #[rstest]
    #[case(Move::HandOut, Status::InStock, true)]
    #[case(Move::HandOut, Status::HandedOut, false)]
    #[case(Move::HandOut, Status::InRepair, false)]
    #[case(Move::HandOut, Status::ToRecycle, false)]
    #[case(Move::HandOut, Status::Recycled, false)]
    #[case(Move::HandOut, Status::Lost, false)]
    #[case(Move::HandOut, Status::Stolen, false)]
    #[case(Move::Return, Status::HandedOut, true)]
    #[case(Move::Return, Status::InStock, false)]
    #[case(Move::Return, Status::Lost, false)]
    #[case(Move::MarkLost, Status::HandedOut, true)]
    #[case(Move::MarkLost, Status::InStock, true)]
    #[case(Move::MarkLost, Status::Lost, false)]
    #[case(Move::MarkLost, Status::Recycled, false)]
    #[case(Move::Repaired, Status::InRepair, true)]
    #[case(Move::Repaired, Status::InStock, false)]
    #[case(Move::Recycle, Status::ToRecycle, true)]
    #[case(Move::Recycle, Status::InStock, true)]
    #[case(Move::Recycle, Status::HandedOut, false)]
    #[case(Move::Recycle, Status::Recycled, false)]
    #[case(Move::Recycle, Status::Stolen, false)]
    #[case(Move::Found, Status::Lost, true)]
    #[case(Move::Found, Status::Stolen, true)]
    #[case(Move::Found, Status::InStock, false)]
    #[case(Move::Route(Route::Repair), Status::ToRecycle, true)]
    #[case(Move::Route(Route::Reuse), Status::ToRecycle, true)]
    #[case(Move::Route(Route::Recycle), Status::InRepair, true)]
    #[case(Move::Route(Route::Repair), Status::InStock, true)]
    #[case(Move::Route(Route::Reuse), Status::InStock, false)]
    #[case(Move::Route(Route::Reuse), Status::Recycled, false)]
    #[case(Move::Route(Route::Reuse), Status::HandedOut, false)]
    #[case(Move::Route(Route::Reuse), Status::Lost, false)]
    fn moves(#[case] wanted: Move, #[case] status: Status, #[case] allowed: bool) {
        let owner = person();
        let holder = Holder {
            person: &owner,
            since: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
        };
        let refusal = refusal(&device(status), wanted, Some(holder), Zone::DEFAULT);
        assert_eq!(refusal.is_none(), allowed, "{refusal:?}");
        if let Some(message) = refusal {
            assert!(message.contains("C02XK1JHJG5H"), "{message}");
        }
    }

    #[test]
    fn a_held_device_names_its_holder() {
        let owner = person();
        let holder = Holder {
            person: &owner,
            since: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
        };
        let message = refusal(
            &device(Status::HandedOut),
            Move::HandOut,
            Some(holder),
            Zone::DEFAULT,
        )
        .unwrap();
        assert!(
            message.starts_with("C02XK1JHJG5H is held by Åsa Öberg (1001) since 2025-01-10"),
            "{message}"
        );
    }
}

//! Which moves a device's status allows, and what a refusal says.
//!
//! Pure: the operations look up the device and its holder, ask here, and only then write.
//! A refusal names what is in the way; each front end adds what to do instead.

use crate::model::{Device, Person, Route, Status};
use crate::zone::Zone;
use chrono::NaiveDate;
use std::fmt;

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

/// What stands in the way of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obstacle {
    /// Someone holds the device: it must come back first.
    Held,
    /// The device is lost or stolen: it must be found first.
    Missing,
    /// The device is in repair: it must be repaired first.
    InRepair,
    /// Routed to recycling or recycled: it is not handed out again.
    GoingToRecycling,
    /// Lost or stolen already.
    AlreadyMissing,
    /// Nobody holds it: there is nothing to return.
    NotHeld,
    /// It is not lost or stolen: there is nothing to find.
    NotMissing,
    /// Recycled already.
    AlreadyRecycled,
    /// It is where the move would send it already.
    AlreadyThere,
    /// Recycling is final.
    Recycled,
    /// Any other status the move does not start from.
    Status,
}

/// A move the rules do not allow, with the facts a front end words it from (the command
/// line adds what to run instead). Its `Display` is the sentence without any command.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRefusal {
    pub wanted: Move,
    pub obstacle: Obstacle,
    pub serial: String,
    pub status: Status,
    /// The day the device's status last changed.
    pub since: NaiveDate,
    /// Who holds it, as "Name (number)", and since when.
    pub holder: Option<(String, NaiveDate)>,
}

impl fmt::Display for MoveRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let MoveRefusal {
            serial,
            since,
            status,
            ..
        } = self;
        let status = status.plain();
        match (self.obstacle, &self.holder) {
            (Obstacle::Held, Some((holder, held_since))) => {
                write!(f, "{serial} is held by {holder} since {held_since}")
            }
            (Obstacle::AlreadyMissing, _) => {
                write!(f, "{serial} is already marked {status} since {since}")
            }
            (Obstacle::Missing | Obstacle::InRepair, _) => {
                write!(f, "{serial} is {status} since {since}")
            }
            (Obstacle::GoingToRecycling, _) => {
                write!(
                    f,
                    "{serial} is {status} since {since} and cannot be handed out"
                )
            }
            (Obstacle::NotHeld, _) => write!(
                f,
                "nobody holds {serial} (it is {status} since {since}), so there is nothing to \
                 return"
            ),
            (Obstacle::NotMissing, _) => write!(
                f,
                "{serial} is not lost or stolen (it is {status}), so it cannot be found"
            ),
            (Obstacle::AlreadyRecycled, _) => {
                write!(f, "{serial} was recycled on {since} already")
            }
            (Obstacle::AlreadyThere, _) => write!(f, "{serial} is {status} since {since} already"),
            (Obstacle::Recycled, _) => {
                write!(f, "{serial} was recycled on {since}: recycling is final")
            }
            (Obstacle::Held | Obstacle::Status, _) => write!(
                f,
                "{serial} is {status} since {since}, which does not allow this"
            ),
        }
    }
}

/// `None` when the move is allowed; otherwise what is in the way.
pub fn refusal(
    device: &Device,
    wanted: Move,
    holder: Option<Holder<'_>>,
    zone: Zone,
) -> Option<MoveRefusal> {
    use Status::*;
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
    let obstacle = match (wanted, device.status) {
        (Move::HandOut | Move::Recycle | Move::Route(_), HandedOut) if holder.is_some() => {
            Obstacle::Held
        }
        (Move::MarkLost, Lost | Stolen) => Obstacle::AlreadyMissing,
        (Move::HandOut | Move::Recycle | Move::Repaired, Lost | Stolen) => Obstacle::Missing,
        (Move::HandOut, InRepair) => Obstacle::InRepair,
        (Move::HandOut, ToRecycle | Recycled) => Obstacle::GoingToRecycling,
        (Move::Return, _) => Obstacle::NotHeld,
        (Move::Found, _) => Obstacle::NotMissing,
        (Move::Recycle, Recycled) => Obstacle::AlreadyRecycled,
        (Move::Route(route), status) if status == route.status() => Obstacle::AlreadyThere,
        (Move::Route(_), Recycled) => Obstacle::Recycled,
        _ => Obstacle::Status,
    };
    Some(MoveRefusal {
        wanted,
        obstacle,
        serial: device.serial.clone(),
        status: device.status,
        since: zone.date_of(device.status_since),
        holder: holder.map(|h| (h.person.label(), h.since)),
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
            username: None,
            manager: None,
            language: None,
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
        if let Some(refusal) = refusal {
            let message = refusal.to_string();
            assert!(message.contains("C02XK1JHJG5H"), "{message}");
            assert!(
                !message.contains("handback"),
                "no command in the domain: {message}"
            );
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
        assert_eq!(message.obstacle, Obstacle::Held);
        assert_eq!(
            message.to_string(),
            "C02XK1JHJG5H is held by Åsa Öberg (1001) since 2025-01-10"
        );
    }
}

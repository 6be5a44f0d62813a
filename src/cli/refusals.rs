//! How the command line words a refusal: the domain's sentence, then what to run instead.
//! The domain names no command; the commands to suggest are this front end's own.

use chrono::NaiveDate;
use handback::domain::ambiguous::Ambiguous;
use handback::domain::rules::{Move, MoveRefusal, Obstacle};
use handback::domain::unknown::Unknown;
use handback::domain::{ForgetRefusal, HeldElsewhere, RowReason, Why};
use handback::refusal::{Refusal, Unconfirmed};
use std::path::Path;

/// The refusal, and the command that would clear the way where there is one.
pub fn move_refusal(refusal: &MoveRefusal) -> String {
    let serial = &refusal.serial;
    match (refusal.obstacle, refusal.wanted) {
        (Obstacle::Held, Move::HandOut) => format!(
            "{refusal}: return it first (`handback return {serial}`) or use `handback transfer`"
        ),
        (Obstacle::Held, Move::Recycle) => {
            format!("{refusal}: take it back first (`handback return {serial} --to recycle`)")
        }
        (Obstacle::Held, _) => {
            format!("{refusal}: take it back first (`handback return {serial} --to …`)")
        }
        (Obstacle::Missing, _) => format!(
            "{refusal}; if it has turned up, record it with `handback found {serial}` first"
        ),
        (Obstacle::InRepair, _) => {
            format!("{refusal}; when it is fixed, run `handback repaired {serial}` first")
        }
        _ => refusal.to_string(),
    }
}

/// What matched nothing, where to look, and how to add it.
pub fn unknown(unknown: &Unknown) -> String {
    let dym = unknown.did_you_mean();
    match unknown {
        Unknown::Person { .. } => format!(
            "{} (`handback find` searches, `handback person list` shows who is registered; \
             `handback person add` adds someone){dym}",
            unknown.head()
        ),
        Unknown::Device {
            registrable: false, ..
        } => format!(
            "{} (`handback find` searches; `handback device add` registers one){dym}",
            unknown.head()
        ),
        Unknown::Device { query, .. } => format!(
            "no device has the serial number or asset tag {query:?}; give --kind (and --make, \
             --model) to register it in the same step{dym}"
        ),
        Unknown::DeviceOrPerson { .. } => {
            format!("{} (`handback find` searches){dym}", unknown.head())
        }
        Unknown::Department { more, .. } if *more > 0 => {
            format!("{} (`handback person list` shows them)", unknown.head())
        }
        Unknown::Department { .. } => unknown.to_string(),
    }
}

/// Why someone cannot be erased yet, and what to run first.
pub fn forget(refusal: &ForgetRefusal) -> String {
    let reference = &refusal.reference;
    match refusal.why {
        Why::NoLastDay => format!("{refusal} (`handback person edit {reference} --end-date DATE`)"),
        Why::StillHolds(_) => format!("{refusal} (`handback return --all-from {reference}`)"),
        _ => refusal.to_string(),
    }
}

/// A refusal of the domain or the store. None needs a command to clear it today, so each is
/// the library's sentence; the arms are listed so that a new refusal is worded here on
/// purpose.
pub fn refusal(refusal: &Refusal) -> String {
    use Refusal::*;
    match refusal {
        NoPersonGiven
        | NoDeviceGiven
        | NoDeviceOrPersonGiven
        | NothingToSearchFor
        | SerialRegistered { .. }
        | SerialIsAnAssetTag { .. }
        | AssetTagTaken { .. }
        | AssetTagIsASerial { .. }
        | EmployeeNumberTaken { .. }
        | EmailTaken { .. }
        | UsernameTaken { .. }
        | OwnManager { .. }
        | Erased { .. }
        | HoldsNothing { .. }
        | BeforeLastChange { .. }
        | NotHandedOut { .. }
        | CorrectedIntoTheFuture { .. }
        | CorrectedPastDue { .. }
        | NoReasonGiven
        | HeldAlready { .. }
        | HeldByAnother { .. }
        | ReplacesItself { .. }
        | DidNotComeBack { .. }
        | PeriodReversed { .. }
        | BadSetting { .. }
        | RequiredSetting { .. }
        | BackupIsTheRegister { .. }
        | TargetHoldsData { .. }
        | CopyDiffers { .. }
        | NoSuchFolder { .. }
        | NotAFileName { .. }
        | StayedLocked { .. }
        | OlderRegisterUnwritable { .. }
        | LoginTaken { .. }
        | PasswordTooShort { .. }
        | BadCredentials
        | TooManyAttempts { .. } => refusal.to_string(),
        NoSuchAccount { .. } => format!("{refusal} (`handback user list` shows them)"),
        NoSuchToken { .. } => format!("{refusal} (`handback token list` shows them)"),
        NoLoginGiven => format!("{refusal}: give LOGIN and --name"),
        BackupOfServerRegister { location } => format!(
            "{refusal}: pg_dump --format=custom --file=handback.dump '{location}' \
             (pg_restore puts it back)"
        ),
        ManagerWithoutDepartment { .. } => format!("{refusal} with --department"),
        NoEmployeeNumberColumn { .. } => {
            format!("{refusal}; name the column with --map \"HEADER=employee_no\"")
        }
        MassLeave { .. } => format!(
            "{refusal}; check the list, or pass --allow-mass-leave if so many really left \
             (--dry-run lists them)"
        ),
    }
}

/// A final step not confirmed, and the flag that confirms it.
pub fn unconfirmed(unconfirmed: &Unconfirmed) -> String {
    match unconfirmed {
        Unconfirmed::RecycleReusable { .. } => {
            format!("{unconfirmed}: add --yes to recycle it anyway, or hand it out again")
        }
    }
}

/// A file that exists already, and the flag that replaces it.
pub fn exists(path: &Path) -> String {
    format!(
        "{} exists already: give a new file name, or --force to replace it",
        path.display()
    )
}

/// A due date before the handout, and the flag that sets it.
pub fn due_before_handout(due: NaiveDate, handed_out: NaiveDate) -> String {
    format!("the due date {due} is before the handout ({handed_out}): give a later --due")
}

/// A reference naming several things, and (for a device) the command that shows it alone.
pub fn ambiguous(ambiguous: &Ambiguous) -> String {
    match ambiguous {
        Ambiguous::DeviceAndPerson {
            query,
            serial,
            person,
            person_reference,
        } => format!(
            "{query:?} names both the device {serial} and {person}; for the device's history \
             give its asset tag or use `handback device show`, for the person's give their \
             e-mail address or #ID ({person_reference})"
        ),
        Ambiguous::People { .. } => ambiguous.to_string(),
    }
}

/// No register where one was looked for: how to create one, or point at another.
pub fn no_register(path: &Path) -> String {
    let path = path.display();
    format!(
        "no register at {path}: run `handback init --db {path}` to create one, or point --db \
         or HANDBACK_DB at an existing register"
    )
}

/// A register whose zone setting handback cannot read: the setting that works around it.
pub fn unknown_zone_setting(error: &handback::Error) -> String {
    format!("{error}; set HANDBACK_TZ to an IANA zone name to work in that zone")
}

/// An import row whose device someone else holds, and the flag that transfers it.
pub fn held_elsewhere(held: &HeldElsewhere) -> String {
    format!("{held}; --on-conflict transfer records a return and a new handout instead")
}

/// Why an import refused a row, as the summary, its JSON and the rejects file give it.
pub fn row_reason(reason: &RowReason) -> String {
    match reason {
        RowReason::HeldElsewhere(held) => held_elsewhere(held),
        // In a row's line of the summary the sentence alone: the row is fixed in the list.
        RowReason::Unknown(_)
        | RowReason::Ambiguous(_)
        | RowReason::Move(_)
        | RowReason::Refusal(_)
        | RowReason::Problem(_) => reason.to_string(),
    }
}

//! The register's refusals: what was in the way of an operation, with its facts (who, which
//! device, which days, which file). The domain and the store return them; each front end
//! words them. Their `Display` is the library's own sentence, which names no command, flag
//! or setting; the command line adds what to run (`src/cli/refusals.rs`), a web view its
//! links, an API the `kind` they serialise with.
//!
//! Here, not in `domain`, because the store refuses too (a backup path, a locked register)
//! and calls go one way: the store never names the domain.

use crate::error::{EXIT_INVALID_DATA, EXIT_REFUSED};
use crate::model::Status;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// What was in the way. People are named by [`crate::model::Person::label`] ("Maria Olsson
/// (4471)"), devices by serial number unless a field says otherwise; days are local days in
/// the register's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Refusal {
    /// An empty person reference.
    NoPersonGiven,
    /// A return or transfer naming no device.
    NoDeviceGiven,
    /// `history` with an empty reference.
    NoDeviceOrPersonGiven,
    /// A search for nothing (only spaces or marks).
    NothingToSearchFor,

    /// A new or edited device's serial number another device has.
    SerialRegistered {
        serial: String,
        /// [`crate::model::Device::description`] of the device that has it.
        device: String,
        status: Status,
    },
    /// A serial number that is another device's asset tag.
    SerialIsAnAssetTag {
        serial: String,
        /// The serial number of the device whose tag it is.
        of: String,
    },
    /// An asset tag another device has.
    AssetTagTaken {
        tag: String,
        /// The serial number of the device that has it.
        of: String,
    },
    /// An asset tag that is another device's serial number.
    AssetTagIsASerial {
        tag: String,
        /// [`crate::model::Device::description`] of the device whose serial it is.
        device: String,
    },
    /// An employee number someone else has.
    EmployeeNumberTaken {
        number: String,
        /// The name of the person who has it.
        name: String,
    },
    /// An e-mail address someone else has.
    EmailTaken {
        email: String,
        person: String,
    },
    UsernameTaken {
        username: String,
        person: String,
    },
    /// A person named as their own manager.
    OwnManager {
        person: String,
    },
    /// HR's list has no column of employee numbers, which a sync matches people by.
    NoEmployeeNumberColumn {
        file: String,
    },
    /// A sync that would make too many of the current people leave at once.
    MassLeave {
        leaving: u64,
        current: u64,
        percent: u64,
    },

    /// Something wanted of a person who has been erased.
    Erased {
        person: String,
        wanted: OfErased,
    },
    /// Returning everything a person holds, when they hold nothing.
    HoldsNothing {
        person: String,
    },

    /// A move dated before the device's last recorded change.
    BeforeLastChange {
        serial: String,
        /// The day of the last recorded change.
        last: NaiveDate,
        /// The day the move was dated.
        at: NaiveDate,
    },
    /// A correction of the handout of a device nobody holds.
    NotHandedOut {
        serial: String,
        status: Status,
    },
    /// A correction dated after now: the register records what has happened.
    CorrectedIntoTheFuture {
        serial: String,
        at: NaiveDate,
    },
    /// A correction that would begin a handout after the due date it was given.
    CorrectedPastDue {
        serial: String,
        due: NaiveDate,
        at: NaiveDate,
    },
    /// A correction without a reason (the audit trail says why a record was changed).
    NoReasonGiven,
    /// A transfer to the person who holds the device already.
    HeldAlready {
        serial: String,
        holder: String,
    },
    /// A transfer from someone who does not hold the device.
    HeldByAnother {
        serial: String,
        holder: String,
        /// Who the transfer said holds it.
        named: String,
    },
    /// A replacement naming the device it replaces.
    ReplacesItself {
        serial: String,
    },
    /// A replaced device that did not come back (lost, stolen), given somewhere to go.
    DidNotComeBack {
        serial: String,
        /// The status the replacement gives it.
        status: Status,
    },

    /// A report whose period starts after it ends.
    PeriodReversed {
        from: NaiveDate,
        to: NaiveDate,
    },

    /// A setting's value that cannot be stored (the value shortened for the message).
    BadSetting {
        key: &'static str,
        value: String,
        problem: SettingProblem,
    },
    /// Removing a setting the register cannot be without.
    RequiredSetting {
        key: &'static str,
    },

    /// A backup written over the register itself.
    BackupIsTheRegister {
        path: PathBuf,
    },
    /// A backup into a folder that does not exist.
    NoSuchFolder {
        folder: PathBuf,
    },
    /// A backup path that names no file.
    NotAFileName {
        path: PathBuf,
    },
    /// A copy into a register that already holds people, devices or history.
    TargetHoldsData {
        location: PathBuf,
        rows: i64,
    },
    /// A copy whose target turned out different from its source.
    CopyDiffers {
        what: String,
    },
    /// A backup of a register kept on a database server, which its own tools back up.
    BackupOfServerRegister {
        location: String,
    },
    /// A backup that could not read the register for as long as it waits.
    StayedLocked {
        #[serde(rename = "waited_seconds", serialize_with = "seconds")]
        waited: Duration,
    },

    /// A register of an older schema that cannot be brought up to date here.
    OlderRegisterUnwritable {
        path: PathBuf,
        /// The read-only folder it is in; `None`: a read-only file system.
        folder: Option<PathBuf>,
    },

    /// A new account whose login another account has.
    LoginTaken {
        login: String,
    },
    /// An account login that names no account.
    NoSuchAccount {
        login: String,
    },
    /// A token id that names no live token.
    NoSuchToken {
        id: i64,
    },
    /// An empty login or name for an account.
    NoLoginGiven,
    /// A password shorter than the rule.
    PasswordTooShort {
        minimum: usize,
    },
    /// A manager who would see no department.
    ManagerWithoutDepartment {
        login: String,
    },
    /// A login or password that does not open an enabled account; which of them is never
    /// said.
    BadCredentials,
    /// Too many failed sign-ins for a login or from one address; wait and try again.
    TooManyAttempts {
        #[serde(rename = "retry_after_seconds", serialize_with = "seconds")]
        retry_after: Duration,
    },
}

/// What is wrong with a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingProblem {
    Empty,
    NotOneLine,
    TooLong {
        max_chars: usize,
    },
    NotMinutes {
        max: u32,
    },
    /// Not an e-mail address.
    NotAnAddress,
    /// Not a URL of one of these schemes.
    NotAUrl {
        schemes: &'static [&'static str],
    },
    /// Not a list of whole days before a day.
    NotDays {
        max: u32,
    },
    NotAWeekday,
}

/// What cannot be done with an erased person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfErased {
    HandOut,
    RecordLastDay,
    Edit,
}

/// A final step that is taken only when confirmed; a front end says how to confirm it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unconfirmed {
    /// Recycling a device in stock, which could be reused.
    RecycleReusable { serial: String },
}

impl Refusal {
    /// Input that cannot be used (65) or a rule in the way (1): see [`crate::error`].
    pub fn exit_code(&self) -> u8 {
        use Refusal::*;
        match self {
            NoPersonGiven
            | NoDeviceGiven
            | NoDeviceOrPersonGiven
            | NothingToSearchFor
            | DidNotComeBack { .. }
            | PeriodReversed { .. }
            | BadSetting { .. }
            | NoReasonGiven
            | NotAFileName { .. }
            | NoLoginGiven
            | PasswordTooShort { .. }
            | ManagerWithoutDepartment { .. }
            | NoEmployeeNumberColumn { .. } => EXIT_INVALID_DATA,
            SerialRegistered { .. }
            | SerialIsAnAssetTag { .. }
            | AssetTagTaken { .. }
            | AssetTagIsASerial { .. }
            | EmployeeNumberTaken { .. }
            | EmailTaken { .. }
            | UsernameTaken { .. }
            | OwnManager { .. }
            | MassLeave { .. }
            | Erased { .. }
            | HoldsNothing { .. }
            | BeforeLastChange { .. }
            | NotHandedOut { .. }
            | CorrectedIntoTheFuture { .. }
            | CorrectedPastDue { .. }
            | HeldAlready { .. }
            | HeldByAnother { .. }
            | ReplacesItself { .. }
            | BackupIsTheRegister { .. }
            | NoSuchFolder { .. }
            | StayedLocked { .. }
            | BackupOfServerRegister { .. }
            | TargetHoldsData { .. }
            | CopyDiffers { .. }
            | OlderRegisterUnwritable { .. }
            | LoginTaken { .. }
            | NoSuchAccount { .. }
            | NoSuchToken { .. }
            | BadCredentials
            | RequiredSetting { .. }
            | TooManyAttempts { .. } => EXIT_REFUSED,
        }
    }
}

fn seconds<S: serde::Serializer>(waited: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(waited.as_secs())
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Refusal::*;
        match self {
            NoPersonGiven => f.write_str(
                "no person given: name them by employee number, e-mail address or full name",
            ),
            NoDeviceGiven => {
                f.write_str("no device given: name at least one serial number or asset tag")
            }
            NoDeviceOrPersonGiven => f.write_str(
                "no device or person given: give a serial number, an asset tag, an employee \
                 number, an e-mail address or a full name",
            ),
            NothingToSearchFor => f.write_str(
                "nothing to search for: give a name, number, e-mail address, serial, asset tag \
                 or model",
            ),
            SerialRegistered {
                serial,
                device,
                status,
            } => write!(
                f,
                "a device with serial number {serial} is registered already ({device}, {})",
                status.plain()
            ),
            SerialIsAnAssetTag { serial, of } => write!(
                f,
                "{serial} is the asset tag of {of} already; a serial number must not name \
                 another device"
            ),
            AssetTagTaken { tag, of } => write!(f, "the asset tag {tag} belongs to {of} already"),
            AssetTagIsASerial { tag, device } => write!(
                f,
                "{tag} is the serial number of another device ({device}); an asset tag must \
                 not name another device"
            ),
            EmployeeNumberTaken { number, name } => {
                write!(f, "employee number {number} belongs to {name} already")
            }
            EmailTaken { email, person } => {
                write!(f, "the e-mail address {email} belongs to {person} already")
            }
            UsernameTaken { username, person } => {
                write!(f, "the user name {username} belongs to {person} already")
            }
            NoEmployeeNumberColumn { file } => write!(
                f,
                "{file} has no column of employee numbers (Anställningsnummer, Employee \
                 number): a sync matches people by their number"
            ),
            MassLeave {
                leaving,
                current,
                percent,
            } => write!(
                f,
                "this sync would make {leaving} of the register's {current} current people \
                 leave at once, more than {percent} %: what it read is probably cut short, \
                 so nothing was changed"
            ),
            OwnManager { person } => write!(
                f,
                "{person} cannot be their own manager: name the person they report to"
            ),
            Erased { person, wanted } => match wanted {
                OfErased::HandOut => write!(
                    f,
                    "{person} has been erased from the register and cannot be handed anything"
                ),
                OfErased::RecordLastDay => write!(
                    f,
                    "{person} has been erased from the register; their last working day cannot \
                     be recorded"
                ),
                OfErased::Edit => {
                    write!(f, "{person} has been erased; their data cannot be edited")
                }
            },
            HoldsNothing { person } => write!(f, "{person} holds nothing"),
            BeforeLastChange { serial, last, at } => write!(
                f,
                "{serial} has its last recorded change on {last}; a move cannot be dated before \
                 that ({at})"
            ),
            NotHandedOut { serial, status } => write!(
                f,
                "{serial} is {} and nobody holds it: there is no handout to correct",
                status.plain()
            ),
            CorrectedIntoTheFuture { serial, at } => write!(
                f,
                "{at} is in the future: {serial}'s handout can only be corrected to a moment \
                 that has come"
            ),
            CorrectedPastDue { serial, due, at } => write!(
                f,
                "{serial} was handed out to be back by {due}; its handout cannot have begun \
                 after that ({at})"
            ),
            NoReasonGiven => f.write_str(
                "no reason given: say why the record is corrected (it is kept in the audit trail)",
            ),
            HeldAlready { serial, holder } => write!(
                f,
                "{serial} is held by {holder} already: there is nothing to transfer"
            ),
            HeldByAnother {
                serial,
                holder,
                named,
            } => write!(
                f,
                "{serial} is held by {holder}, not by {named}: nothing was transferred"
            ),
            ReplacesItself { serial } => write!(
                f,
                "{serial} cannot replace itself: give the serial of the new device"
            ),
            DidNotComeBack { serial, status } => write!(
                f,
                "{serial} is {} and did not come back, so it cannot be routed anywhere",
                status.plain()
            ),
            PeriodReversed { from, to } => {
                write!(f, "the period starts ({from}) after it ends ({to})")
            }
            BadSetting {
                key,
                value,
                problem,
            } => {
                write!(f, "{key} cannot be {value:?}: ")?;
                match problem {
                    SettingProblem::Empty => f.write_str("give some text, or remove the setting"),
                    SettingProblem::NotOneLine => {
                        f.write_str("it must be one line, without control characters")
                    }
                    SettingProblem::TooLong { max_chars } => {
                        write!(f, "a document prints at most {max_chars} characters of it")
                    }
                    SettingProblem::NotMinutes { max } => {
                        write!(f, "give whole minutes from 1 to {max}")
                    }
                    SettingProblem::NotAnAddress => f.write_str(
                        "give an e-mail address, alone (it@kommun.se) or with a name \
                         (IT-service <it@kommun.se>)",
                    ),
                    SettingProblem::NotAUrl { schemes } => write!(
                        f,
                        "give a URL that starts with {}",
                        schemes
                            .iter()
                            .map(|s| format!("{s}://"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    SettingProblem::NotDays { max } => write!(
                        f,
                        "give whole days from 1 to {max}, separated by commas (14,3)"
                    ),
                    SettingProblem::NotAWeekday => {
                        f.write_str("give a day of the week: monday … sunday, or måndag … söndag")
                    }
                }
            }
            RequiredSetting { key } => write!(
                f,
                "the register cannot be without its {key}: set another value instead"
            ),
            BackupIsTheRegister { path } => write!(
                f,
                "{} is the register itself: give another file name for the backup",
                path.display()
            ),
            NoSuchFolder { folder } => write!(
                f,
                "the folder {} does not exist: create it first, or give a backup path in an \
                 existing folder",
                folder.display()
            ),
            NotAFileName { path } => write!(f, "{} is not a file name", path.display()),
            TargetHoldsData { location, rows } => write!(
                f,
                "the register at {} holds {rows} rows already: a copy goes only into a new file \
                 or an empty database",
                location.display()
            ),
            CopyDiffers { what } => write!(f, "the copy differs from its source: {what}"),
            BackupOfServerRegister { location } => write!(
                f,
                "the register at {location} is kept by a PostgreSQL server, which backs it up \
                 with its own tools"
            ),
            StayedLocked { waited } => write!(
                f,
                "the register stayed locked for {} seconds; try the backup again",
                waited.as_secs()
            ),
            OlderRegisterUnwritable { path, folder } => {
                let why = match folder {
                    Some(folder) => {
                        format!(
                            "in the folder {}, which is read-only here",
                            folder.display()
                        )
                    }
                    None => "on a read-only file system".to_string(),
                };
                write!(
                    f,
                    "{} is an older register {why}, so it cannot be brought up to date; copy it \
                     somewhere writable and open the copy",
                    path.display()
                )
            }
            LoginTaken { login } => write!(f, "an account with the login {login:?} exists already"),
            NoSuchAccount { login } => write!(f, "no account has the login {login:?}"),
            NoSuchToken { id } => write!(f, "no live API token has the id {id}"),
            NoLoginGiven => f.write_str("an account needs a login and a name"),
            PasswordTooShort { minimum } => write!(
                f,
                "the password is too short: give at least {minimum} characters (a phrase of a \
                 few words is easiest to remember)"
            ),
            ManagerWithoutDepartment { login } => write!(
                f,
                "the manager {login:?} would see no department: name at least one of theirs"
            ),
            BadCredentials => f.write_str("the login or the password is wrong"),
            TooManyAttempts { retry_after } => write!(
                f,
                "too many failed sign-ins: try again in {} seconds",
                retry_after.as_secs().max(1)
            ),
        }
    }
}

impl fmt::Display for Unconfirmed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unconfirmed::RecycleReusable { serial } => write!(
                f,
                "{serial} is in stock and could be reused; recycling is final"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_serialises_as_its_kind_and_facts() {
        let refusal = Refusal::PeriodReversed {
            from: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(),
        };
        assert_eq!(
            serde_json::to_value(&refusal).unwrap(),
            serde_json::json!({"kind": "period_reversed", "from": "2025-03-01", "to": "2025-02-01"})
        );
        assert_eq!(refusal.exit_code(), EXIT_INVALID_DATA);
        let locked = Refusal::StayedLocked {
            waited: Duration::from_secs(30),
        };
        assert_eq!(
            serde_json::to_value(&locked).unwrap(),
            serde_json::json!({"kind": "stayed_locked", "waited_seconds": 30})
        );
        assert_eq!(locked.exit_code(), EXIT_REFUSED);
    }
}

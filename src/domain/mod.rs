//! The register's rules: one function per operation, each in one transaction that also
//! writes its audit events. Operations return typed values and never print, so the same
//! calls can serve the command line today and a web view later.

mod accounts;
pub mod ambiguous;
mod backup;
mod check;
pub mod config;
mod copy;
pub(crate) mod corrections;
mod custody;
mod devices;
mod export;
#[cfg(test)]
mod front_end_words;
mod history;
mod import;
mod known_keys;
mod notify;
mod offboarding;
mod people;
mod report;
pub mod rules;
mod search;
pub mod sync;
pub mod unknown;
mod writes;

pub use accounts::{MIN_PASSWORD_CHARS, NewAccount, NewToken, Session, random_id};
pub use backup::BackupOutcome;
pub use check::{CheckReport, Problem};
pub use copy::{CopiedTable, CopyOutcome};
pub use corrections::{CorrectionOutcome, CorrectionRequest, HandoutRecorded};
pub use custody::{
    HandoutOutcome, HandoutRequest, NewDeviceInfo, ReplaceOutcome, ReplaceRequest, ReturnOutcome,
    ReturnRequest, Returned, StatusMove, StatusMoveOutcome, TransferOutcome, TransferRequest,
    Which,
};
pub use devices::{DeviceEdit, DeviceEdited, DeviceFilter, DeviceInput};
pub use history::{History, Subject};
pub use import::{HeldElsewhere, ImportOptions, ImportSummary, OnConflict, RowError, RowReason};
pub use notify::{MailSettings, NoticePlan};
pub use offboarding::LeaveOutcome;
pub use people::{
    DueChange, ForgetOutcome, ForgetRefusal, PersonEdit, PersonEdited, PersonInput, UnknownManager,
    Why,
};
pub use report::ReportRequest;
pub use search::{FIND_LIMIT, fold};

use crate::error::{Error, Result};
use crate::model::{Device, Person, PersonId};
use crate::store::Transaction;
use crate::store::{self, Load, Store};
use crate::zone::Zone;
use ambiguous::Ambiguous;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use std::path::Path;
use std::sync::Arc;
use unknown::Unknown;

/// An open register and who is working in it. Cheap to clone: every clone shares the
/// store, so a server gives each request its own actor over one store.
#[derive(Clone)]
pub struct Register {
    store: Arc<dyn Store>,
    actor: String,
    /// The actor's full name when the caller knows it and the register may not (the system's
    /// name for an OS login); an account's name comes first.
    actor_name: Option<String>,
    zone: Zone,
    clock: Clock,
}

/// Where "now" comes from: the system clock, or a fixed moment (tests, and any caller that
/// must replay a day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current moment, to the second: stored moments have whole seconds, and comparing
    /// a fresh moment with a stored one must not depend on the fraction thrown away.
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now().trunc_subsecs(0),
            Clock::Fixed(moment) => moment.trunc_subsecs(0),
        }
    }
}

/// What every write needs besides the transaction: who, the moment it is written, and the
/// register's time zone for local days.
pub(crate) struct Ctx<'a> {
    pub actor: &'a str,
    pub now: DateTime<Utc>,
    pub zone: Zone,
}

impl Register {
    /// Creates a new register file in `zone`. Refuses an existing path.
    pub fn create(path: &Path, actor: &str, zone: Zone) -> Result<Register> {
        let store = store::create(path, zone.name())?;
        Ok(Register::over(store, actor, zone))
    }

    /// Opens an existing register; a missing file is an error, never a new register. It
    /// works in `zone` when one is given (`HANDBACK_TZ`), else in the register's own.
    pub fn open(path: &Path, actor: &str, zone: Option<Zone>) -> Result<Register> {
        let store = store::open(path)?;
        let zone = match zone {
            Some(zone) => zone,
            None => stored_zone(store.as_ref())?,
        };
        Ok(Register::over(store, actor, zone))
    }

    /// Opens a register to look at it only: nothing in the file changes, not even its
    /// journal mode. For `handback check`, which must not touch a damaged file.
    pub fn open_read_only(path: &Path, actor: &str, zone: Option<Zone>) -> Result<Register> {
        let store = store::open_read_only(path)?;
        // A damaged register is still checked: its zone is only needed to show local days.
        let zone = zone.unwrap_or_else(|| stored_zone(store.as_ref()).unwrap_or_default());
        Ok(Register::over(store, actor, zone))
    }

    /// A register over a store that is already open, for `actor`, in `zone`.
    pub fn over(store: Arc<dyn Store>, actor: &str, zone: Zone) -> Register {
        Register {
            store,
            actor: actor.to_string(),
            actor_name: None,
            zone,
            clock: Clock::System,
        }
    }

    /// The same register for another actor: each request of a server acts as its signed-in
    /// user over the one store.
    pub fn acting_as(&self, actor: &str) -> Register {
        Register {
            actor: actor.to_string(),
            actor_name: None,
            ..self.clone()
        }
    }

    /// Names the actor on documents when the register has no account for them.
    pub fn with_actor_name(mut self, name: Option<String>) -> Register {
        self.actor_name = name.filter(|n| !n.trim().is_empty());
        self
    }

    /// Takes "now" from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Register {
        self.clock = clock;
        self
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// Who is working in the register.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's local calendar day, in the register's time zone.
    pub fn today(&self) -> NaiveDate {
        self.zone.date_of(self.now())
    }

    /// An `--on` value (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM`) as a moment, read in the
    /// register's time zone; a moment in the future is refused.
    pub fn moment(&self, raw: &str) -> Result<DateTime<Utc>> {
        crate::validate::parse_moment(raw, self.now(), self.zone)
    }

    pub fn path(&self) -> &Path {
        self.store.location()
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.store.schema_version()
    }

    /// Runs `operation` in one write transaction, which holds the register's write lock
    /// from its start (see [`Store::write`]). Nothing is written unless it returns Ok.
    pub(crate) fn write<T>(
        &mut self,
        operation: impl FnMut(&dyn Transaction, &Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut operation = operation;
        self.write_if(|tx, ctx| operation(tx, ctx).map(|result| (result, true)))
    }

    /// Like [`Register::write`], but `operation` also says whether to commit: a dry run or
    /// a refused import rolls back what it wrote.
    pub(crate) fn write_if<T>(
        &mut self,
        operation: impl FnMut(&dyn Transaction, &Ctx<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        self.write_as(Load::Operation, operation)
    }

    /// [`Register::write_if`] for a bulk load such as a large import.
    pub(crate) fn write_bulk_if<T>(
        &mut self,
        operation: impl FnMut(&dyn Transaction, &Ctx<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        self.write_as(Load::Bulk, operation)
    }

    fn write_as<T>(
        &mut self,
        load: Load,
        operation: impl FnMut(&dyn Transaction, &Ctx<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        self.refuse_unwritable()?;
        let mut outcome = None;
        let mut operation = operation;
        self.store.write(load, &mut |tx| {
            // Now is when the write lock is held: a write that waited for another desk's is
            // dated after it, never before what that desk recorded.
            let ctx = Ctx {
                actor: &self.actor,
                now: self.clock.now(),
                zone: self.zone,
            };
            let (result, commit) = operation(tx, &ctx)?;
            outcome = Some(result);
            Ok(commit)
        })?;
        outcome.ok_or_else(not_run)
    }

    fn refuse_unwritable(&self) -> Result<()> {
        let folder = match self.store.access() {
            store::Access::ReadWrite => return Ok(()),
            store::Access::ReadOnlyFolder(folder) => Some(folder.clone()),
            store::Access::ReadOnlyFile => None,
        };
        Err(Error::ReadOnly {
            path: self.path().to_path_buf(),
            folder,
        })
    }

    /// Runs several queries as one snapshot, so a `show` or a report never mixes the state
    /// before and after another technician's change.
    pub(crate) fn read<T>(&self, query: impl FnOnce(&dyn Transaction) -> Result<T>) -> Result<T> {
        let mut outcome = None;
        self.store.read(Box::new(|tx| {
            outcome = Some(query(tx)?);
            Ok(())
        }))?;
        outcome.ok_or_else(not_run)
    }

    pub(crate) fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}

/// A store that returned Ok without running the operation it was given.
fn not_run() -> Error {
    Error::Store(store::StoreError::new(
        store::StoreErrorKind::Other,
        "the store did not run the operation",
    ))
}

/// The register's time zone, as its setting names it; the default for a register without
/// one.
fn stored_zone(store: &dyn Store) -> Result<Zone> {
    let mut name = None;
    store.read(Box::new(|tx| {
        name = tx.settings().time_zone()?;
        Ok(())
    }))?;
    match name {
        Some(name) => Zone::parse(&name)
            .map_err(|_| Error::UnknownZoneSetting(crate::validate::shorten(&name))),
        None => Ok(Zone::DEFAULT),
    }
}

/// How many near matches a "no person / no device matches" refusal suggests.
const SUGGESTIONS: usize = 3;

/// A person by employee number, e-mail address, or a full name exactly one person has;
/// a refusal that names the nearest people otherwise.
pub(crate) fn resolve_person(conn: &dyn Transaction, reference: &str) -> Result<Person> {
    match find_person(conn, reference)? {
        Some(person) => Ok(person),
        None => Err(Error::Unknown(Unknown::Person {
            query: crate::validate::shorten(reference.trim()),
            nearest: person_suggestions(conn, reference)?,
        })),
    }
}

/// [`resolve_person`] without the search for suggestions when nobody matches: `None`.
pub(crate) fn find_person(conn: &dyn Transaction, reference: &str) -> Result<Option<Person>> {
    let wanted = reference.trim();
    if wanted.is_empty() {
        return Err(crate::refusal::Refusal::NoPersonGiven.into());
    }
    if let Some(person) = conn.people().by_employee_no(wanted)? {
        return Ok(Some(person));
    }
    // `#17`: the register's own id, which every person has (see `Person::reference`).
    if let Some(id) = wanted.strip_prefix('#').and_then(|n| n.parse::<i64>().ok())
        && let Some(person) = conn.people().by_id(PersonId(id))?
    {
        return Ok(Some(person));
    }
    if wanted.contains('@')
        && let Some(person) = conn.people().by_email(wanted)?
    {
        return Ok(Some(person));
    }
    // A login (`asawik`) is one word; a name with a space in it cannot be one.
    if !wanted.contains(char::is_whitespace)
        && let Some(person) = conn.people().by_username(wanted)?
    {
        return Ok(Some(person));
    }
    let mut named = conn.people().by_name(wanted)?;
    match named.len() {
        0 => Ok(None),
        1 => Ok(Some(named.remove(0))),
        _ => {
            let candidates: Vec<String> = named.iter().map(reference_and_department).collect();
            Err(Error::Ambiguous(Ambiguous::People {
                name: crate::validate::shorten(wanted),
                candidates,
            }))
        }
    }
}

/// "4471 (Gatukontoret)": what tells namesakes apart.
fn reference_and_department(person: &Person) -> String {
    format!(
        "{} ({})",
        person.reference(),
        person.department.as_deref().unwrap_or("no department")
    )
}

/// "Björn Ek (4471, Gatukontoret)" for each of the people nearest to `typed`.
pub(crate) fn person_suggestions(conn: &dyn Transaction, typed: &str) -> Result<Vec<String>> {
    Ok(search::people(conn, typed, SUGGESTIONS)?
        .iter()
        .map(|(person, _)| match &person.department {
            Some(department) => format!("{} ({}, {department})", person.name, person.reference()),
            None => person.label(),
        })
        .collect())
}

/// "5ZKQ9X3 (Dell Latitude 7440)" for each of the devices nearest to `typed`.
pub(crate) fn device_suggestions(conn: &dyn Transaction, typed: &str) -> Result<Vec<String>> {
    Ok(search::devices(conn, typed, SUGGESTIONS)?
        .iter()
        .map(|(device, _)| format!("{} ({})", device.serial, search::device_label(device)))
        .collect())
}

/// A device by serial number (normalised) or asset tag; `None` when neither matches.
pub(crate) fn find_device(conn: &dyn Transaction, reference: &str) -> Result<Option<Device>> {
    let serial = crate::validate::normalize_serial(reference)?;
    if let Some(device) = conn.devices().by_serial(&serial)? {
        return Ok(Some(device));
    }
    conn.devices().by_asset_tag(reference.trim())
}

/// [`find_device`], or a refusal that names the nearest devices.
pub(crate) fn resolve_device(conn: &dyn Transaction, reference: &str) -> Result<Device> {
    match find_device(conn, reference)? {
        Some(device) => Ok(device),
        None => Err(Error::Unknown(Unknown::Device {
            query: crate::validate::shorten(reference.trim()),
            nearest: device_suggestions(conn, reference)?,
            registrable: false,
        })),
    }
}

/// Nothing to check without a department; with one, somebody must be in it: a filter by a
/// misspelt department would find nobody and pass for an all-clear. The refusal names the
/// nearest departments the register knows.
pub(crate) fn ensure_department_known(
    conn: &dyn Transaction,
    department: Option<&str>,
) -> Result<()> {
    let Some(department) = department else {
        return Ok(());
    };
    if conn.people().department_exists(department)? {
        return Ok(());
    }
    let known = conn.people().departments()?;
    let nearest = search::nearest(department, &known, SUGGESTIONS);
    // With none spelt close, some of the departments there are.
    let listed: Vec<String> = if nearest.is_empty() {
        known.iter().take(5).cloned().collect()
    } else {
        Vec::new()
    };
    Err(Error::Unknown(Unknown::Department {
        query: crate::validate::shorten(department),
        more: if listed.is_empty() {
            0
        } else {
            known.len() - listed.len()
        },
        nearest: nearest.into_iter().map(str::to_string).collect(),
        known: listed,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;
    use crate::store::{devices::DeviceFields, people::PersonFields};
    use proptest::prelude::*;

    /// A register with two people of one name and a device with an asset tag.
    fn register() -> (tempfile::TempDir, Register) {
        let dir = tempfile::tempdir().unwrap();
        let mut register =
            Register::create(&dir.path().join("r.sqlite"), "test", Zone::DEFAULT).unwrap();
        register
            .write(|tx, ctx| {
                let w = writes::Writes::new(tx, ctx)?;
                for (number, email) in [("1001", Some("asa@kommun.example")), ("1002", None)] {
                    let person = PersonFields {
                        employee_no: Some(number.into()),
                        name: "Åsa Öberg".into(),
                        email: email.map(Into::into),
                        ..PersonFields::default()
                    };
                    w.add_person(&person, None)?;
                }
                let device = DeviceFields {
                    serial: "C02XK1JHJG5H".into(),
                    asset_tag: Some("GK-1001".into()),
                    kind: "laptop".into(),
                    make: None,
                    model: None,
                    purchased: None,
                };
                w.register_device(&device, Status::InStock, &w.stamp(ctx.now), None)?;
                Ok(())
            })
            .unwrap();
        (dir, register)
    }

    /// A clean answer: found, or a refusal a person can act on; never a failure of the
    /// register itself.
    fn clean<T>(result: &Result<T>) -> bool {
        matches!(
            result,
            Ok(_)
                | Err(Error::Unknown(_)
                    | Error::Ambiguous(_)
                    | Error::InvalidInput(_)
                    | Error::Refusal(crate::refusal::Refusal::NoPersonGiven))
        )
    }

    proptest! {
        #[test]
        fn any_person_reference_gets_a_clean_answer(reference in any::<String>()) {
            let (_dir, register) = register();
            let result = register.read(|tx| resolve_person(tx, &reference));
            prop_assert!(clean(&result), "{:?}", result.err());
            if let Err(e) = result {
                prop_assert!(e.to_string().chars().count() < 400, "{e}");
            }
        }

        #[test]
        fn any_device_reference_gets_a_clean_answer(reference in any::<String>()) {
            let (_dir, register) = register();
            prop_assert!(clean(&register.read(|tx| find_device(tx, &reference))));
            let result = register.read(|tx| resolve_device(tx, &reference));
            prop_assert!(clean(&result), "{:?}", result.err());
        }

        #[test]
        fn references_that_look_like_ours_get_a_clean_answer(
            reference in "[ \\t]*(1001|1002|asa@KOMMUN\\.example|åsa +öberg|gk-1001|c02x k1jh jg5h|%|_|'|\"|\\\\)[ \\t\\x00-\\x1f]*",
        ) {
            let (_dir, register) = register();
            prop_assert!(clean(&register.read(|tx| resolve_person(tx, &reference))));
            prop_assert!(clean(&register.read(|tx| resolve_device(tx, &reference))));
        }
    }

    /// "Now" and "today" come from the register's clock and zone, so a test (or a replay)
    /// can fix them: 23:30 UTC on 30 June is already 1 July in Stockholm.
    #[test]
    fn the_clock_and_the_zone_decide_now_and_today() {
        let dir = tempfile::tempdir().unwrap();
        let moment: DateTime<Utc> = "2026-06-30T23:30:00Z".parse().unwrap();
        let mut register = Register::create(&dir.path().join("r.sqlite"), "test", Zone::DEFAULT)
            .unwrap()
            .with_clock(Clock::Fixed(moment));
        assert_eq!(register.today().to_string(), "2026-07-01");
        register
            .add_person(&PersonInput {
                employee_no: "1".into(),
                name: "A B".into(),
                email: None,
                department: None,
                end_date: None,
                ..PersonInput::default()
            })
            .unwrap();
        let mut recorded = Vec::new();
        register
            .export_events(|event| {
                recorded.push((event.at, event.recorded_at));
                Ok(())
            })
            .unwrap();
        assert_eq!(recorded, [(moment, moment)]);
        assert!(
            register.moment("2026-07-02").is_err(),
            "tomorrow is in the future"
        );
    }

    /// One register serves a whole server process: its clones share one store, and
    /// writes from many threads at once are all kept.
    #[test]
    fn one_store_serves_many_threads_at_once() {
        fn shared<T: Send + Sync>(_: &T) {}
        let (_dir, register) = register();
        shared(&register);
        std::thread::scope(|scope| {
            for thread in 0..4 {
                let mut desk = register.clone();
                scope.spawn(move || {
                    for n in 0..10 {
                        desk.add_person(&PersonInput {
                            employee_no: format!("{thread}-{n}"),
                            name: format!("Person {thread} {n}"),
                            email: None,
                            department: None,
                            end_date: None,
                            ..PersonInput::default()
                        })
                        .unwrap();
                        desk.list_people(None, None).unwrap();
                    }
                });
            }
        });
        assert_eq!(register.list_people(None, None).unwrap().len(), 2 + 40);
    }

    #[test]
    fn references_resolve_as_documented() {
        let (_dir, register) = register();
        assert_eq!(
            register
                .read(|tx| resolve_person(tx, " 1002 "))
                .unwrap()
                .employee_no
                .as_deref(),
            Some("1002")
        );
        assert!(
            register
                .read(|tx| resolve_person(tx, "ASA@kommun.example"))
                .is_ok()
        );
        assert!(matches!(
            register.read(|tx| resolve_person(tx, "åsa  ÖBERG")),
            Err(Error::Ambiguous(_))
        ));
        assert!(register.read(|tx| resolve_device(tx, "gk-1001")).is_ok());
        assert!(
            register
                .read(|tx| resolve_device(tx, " c02x k1jh jg5h"))
                .is_ok()
        );
    }
}

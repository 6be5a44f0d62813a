//! Who holds what: handing out, taking back, replacing, losing, and the back-office moves
//! (repaired, recycled, found). Each operation is one transaction with one event per device.

use super::devices::register_device;
use super::rules::{self, Holder, Move};
use super::writes::{Opening, Stamp, Writes};
use super::{Register, find_device, resolve_device, resolve_person};
use crate::error::{Error, Result};
use crate::model::{
    Action, Condition, Device, EndReason, EventDetails, HandoutId, Person, ReplaceReason, Route,
    Status,
};
use crate::refusal::{OfErased, Refusal, Unconfirmed};
use crate::store::Transaction;
use crate::store::{
    devices::DeviceFields,
    events::NewEvent,
    handouts::{Closing, OpenHandout},
};
use crate::validate::clean_note;
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// How many devices in stock a reuse hint names at most.
const REUSE_HINT_LIMIT: u32 = 5;

/// Describes a device that is registered in the same step as it is handed out.
#[derive(Debug, Clone, Default)]
pub struct NewDeviceInfo {
    pub kind: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub asset_tag: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct HandoutRequest {
    pub device: String,
    pub to: String,
    pub on: Option<DateTime<Utc>>,
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
    pub new_device: NewDeviceInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandoutOutcome {
    pub device: Device,
    pub person: Person,
    /// The device was not in the register and was registered by this handout.
    pub registered: bool,
    /// Devices of the same kind that were waiting in stock when a new one was registered:
    /// reuse first.
    pub reuse_candidates: Vec<Device>,
    /// The person's last working day, when it was before the day of the handout: worth a
    /// second look (the handout went ahead).
    pub after_last_working_day: Option<NaiveDate>,
}

/// Which devices a return or transfer is about.
#[derive(Debug, Clone)]
pub enum Which {
    Devices(Vec<String>),
    AllFrom(String),
}

#[derive(Debug, Clone)]
pub struct ReturnRequest {
    pub which: Which,
    pub condition: Condition,
    pub route: Option<Route>,
    pub on: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Returned {
    pub device: Device,
    pub from: Person,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnOutcome {
    pub returned: Vec<Returned>,
    /// When it happened, and how: what a receipt for the return says.
    pub at: DateTime<Utc>,
    pub condition: Condition,
    pub route: Route,
    pub note: Option<String>,
}

/// `transfer`: a leaver's devices handed straight to a successor.
#[derive(Debug, Clone)]
pub struct TransferRequest {
    pub which: Which,
    /// With `Which::Devices`: each device must be held by this person.
    pub from: Option<String>,
    pub to: String,
    pub on: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransferOutcome {
    pub to: Person,
    /// Each device with the person it came from.
    pub transferred: Vec<Returned>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ReplaceRequest {
    pub old: String,
    pub new: String,
    pub reason: ReplaceReason,
    /// Where the old device goes, overriding what the reason says (not for a lost or
    /// stolen one, which did not come back).
    pub route: Option<Route>,
    pub on: Option<DateTime<Utc>>,
    pub note: Option<String>,
    pub new_device: NewDeviceInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplaceOutcome {
    pub person: Person,
    pub old: Device,
    pub new: HandoutOutcome,
}

impl ReplaceOutcome {
    /// The new device is of another kind than the old one: worth a second look.
    pub fn changes_kind(&self) -> bool {
        self.old.kind != self.new.device.kind
    }
}

/// The back-office moves that change a device's status without handing it to anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMove {
    Lost {
        stolen: bool,
    },
    Repaired,
    /// Final: a device in stock, which could be reused, is recycled only when `confirmed`.
    Recycle {
        confirmed: bool,
    },
    Found,
    /// A device nobody holds sent to stock, repair or recycling.
    Route(Route),
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusMoveOutcome {
    pub device: Device,
    /// Who held the device when it was lost or stolen.
    pub former_holder: Option<Person>,
}

/// A device's holder, for the rules' messages.
fn holder_of(conn: &dyn Transaction, device: &Device) -> Result<Option<(Person, OpenHandout)>> {
    conn.handouts()
        .open_for_device(device.id)?
        .map(|open| Ok((conn.people().get(open.person_id)?, open)))
        .transpose()
}

/// What the rules say against `wanted`, with the holder named; `None` when it is allowed.
pub(crate) fn refusal_for(
    conn: &dyn Transaction,
    zone: Zone,
    device: &Device,
    wanted: Move,
) -> Result<Option<rules::MoveRefusal>> {
    let holder = holder_of(conn, device)?;
    let holder = holder.as_ref().map(|(person, open)| Holder {
        person,
        since: zone.date_of(open.handed_out_at),
    });
    Ok(rules::refusal(device, wanted, holder, zone))
}

fn check(conn: &dyn Transaction, zone: Zone, device: &Device, wanted: Move) -> Result<()> {
    match refusal_for(conn, zone, device, wanted)? {
        Some(refusal) => Err(Error::Move(refusal)),
        None => Ok(()),
    }
}

/// A backdated move must not reach behind what the register already knows of the device.
fn ensure_not_before(
    zone: Zone,
    device: &Device,
    at: DateTime<Utc>,
    known_since: DateTime<Utc>,
) -> Result<()> {
    if at < known_since {
        return Err(Refusal::BeforeLastChange {
            serial: device.serial.clone(),
            last: zone.date_of(known_since),
            at: zone.date_of(at),
        }
        .into());
    }
    Ok(())
}

fn note(raw: Option<&str>) -> Result<Option<String>> {
    raw.map(clean_note).transpose()
}

/// What a handout needs once its device and person are known.
struct HandOut<'a> {
    /// `HandedOut`, or `Transferred` for a device passed on.
    action: Action,
    person: &'a Person,
    at: DateTime<Utc>,
    due: Option<NaiveDate>,
    note: Option<&'a str>,
    follows: Option<HandoutId>,
    /// What the event says besides the due date, the note and a registered device's
    /// fields (the handout it continues, the device it replaces).
    details: EventDetails<'a>,
}

/// The device a handout is of, once it may be handed out: a known one in stock, or a new
/// one registered (handed out) on the way.
struct ReadyDevice {
    id: crate::model::DeviceId,
    /// The fields of a device registered on the way, which the handout's event records.
    registered: Option<DeviceFields>,
    /// Devices of the new one's kind waiting in stock: reuse first.
    reuse_candidates: Vec<Device>,
}

fn device_to_hand_out(
    w: &Writes<'_>,
    device_ref: &str,
    info: &NewDeviceInfo,
    at: &Stamp<'_>,
) -> Result<ReadyDevice> {
    let (tx, ctx) = (w.tx, w.ctx);
    if let Some(device) = find_device(tx, device_ref)? {
        check(tx, ctx.zone, &device, Move::HandOut)?;
        if let Some(last) = tx.handouts().last_returned_at(device.id)? {
            ensure_not_before(ctx.zone, &device, at.at, last)?;
        }
        return Ok(ReadyDevice {
            id: device.id,
            registered: None,
            reuse_candidates: Vec::new(),
        });
    }
    let Some(kind) = info.kind.clone() else {
        return Err(Error::Unknown(super::unknown::Unknown::Device {
            query: crate::validate::shorten(device_ref.trim()),
            nearest: super::device_suggestions(tx, device_ref)?,
            registrable: true,
        }));
    };
    let fields = super::DeviceInput {
        serial: device_ref.to_string(),
        kind,
        make: info.make.clone(),
        model: info.model.clone(),
        asset_tag: info.asset_tag.clone(),
        purchased: None,
    }
    .fields(ctx.zone.date_of(ctx.now))?;
    let reuse_candidates = tx.devices().list(
        Some(Status::InStock),
        Some(&fields.kind),
        Some(REUSE_HINT_LIMIT),
    )?;
    Ok(ReadyDevice {
        id: register_device(w, &fields, Status::HandedOut, at)?,
        registered: Some(fields),
        reuse_candidates,
    })
}

/// Hands a device (registering it first if it is new) to a person, and writes its event.
fn hand_out(
    w: &Writes<'_>,
    device_ref: &str,
    info: &NewDeviceInfo,
    handout: HandOut<'_>,
) -> Result<HandoutOutcome> {
    let (tx, ctx) = (w.tx, w.ctx);
    let person = handout.person;
    if person.erased {
        return Err(Refusal::Erased {
            person: person.label(),
            wanted: OfErased::HandOut,
        }
        .into());
    }
    let at = w.stamp(handout.at);
    let ReadyDevice {
        id: device_id,
        registered: registered_fields,
        reuse_candidates,
    } = device_to_hand_out(w, device_ref, info, &at)?;
    w.open_handout(
        Opening {
            action: handout.action,
            device: device_id,
            person: person.id,
            last_working_day: person.end_date,
            at: &at,
            by: ctx.actor,
            own_due: handout.due,
            note: handout.note,
            follows: handout.follows,
            registered: registered_fields.as_ref(),
            details: handout.details,
        },
        None,
        None,
    )?;
    let handed_on = ctx.zone.date_of(handout.at);
    Ok(HandoutOutcome {
        device: tx.devices().get(device_id)?,
        person: person.clone(),
        registered: registered_fields.is_some(),
        reuse_candidates,
        after_last_working_day: person.end_date.filter(|day| *day < handed_on),
    })
}

/// How a device's open handout ends.
struct Ending<'a> {
    status: Status,
    at: DateTime<Utc>,
    reason: EndReason,
    condition: Option<Condition>,
    route: Option<Route>,
    note: Option<&'a str>,
}

/// Ends a device's open handout and moves the device to the ending's status, without an
/// event: the caller writes the one event the whole step gets.
fn close_held(w: &Writes<'_>, device: &Device, ending: &Ending<'_>) -> Result<(Person, HandoutId)> {
    let ctx = w.ctx;
    let Some((person, open)) = holder_of(w.tx, device)? else {
        // The rules allow the move only for a handed-out device, which always has a holder;
        // reaching here means the register contradicts itself.
        return Err(match rules::refusal(device, Move::Return, None, ctx.zone) {
            Some(refusal) => Error::Move(refusal),
            None => Error::CheckFailed(format!(
                "{} is marked handed out but nobody holds it",
                device.serial
            )),
        });
    };
    ensure_not_before(ctx.zone, device, ending.at, open.handed_out_at)?;
    w.close_handout(
        open.id,
        &Closing {
            at: ending.at,
            by: ctx.actor,
            reason: ending.reason,
            condition: ending.condition.map(Condition::as_str),
            route: ending.route.map(Route::as_str),
            note: ending.note,
        },
        Some((device.id, ending.status)),
    )?;
    Ok((person, open.id))
}

/// Ends a device's open handout and moves it to `status`, writing its event.
#[allow(clippy::too_many_arguments)]
fn take_back(
    w: &Writes<'_>,
    device: &Device,
    status: Status,
    at: DateTime<Utc>,
    closing: (EndReason, Option<Condition>),
    action: Action,
    details: EventDetails<'_>,
) -> Result<Person> {
    let (person, handout_id) = close_held(
        w,
        device,
        &Ending {
            status,
            at,
            reason: closing.0,
            condition: closing.1,
            route: Route::from_status(status),
            note: details.note,
        },
    )?;
    let event = NewEvent {
        at,
        actor: w.ctx.actor,
        action,
        device: Some(device.id),
        person: Some(person.id),
        handout: Some(handout_id),
        status_after: Some(status),
        details,
    };
    w.event(event, &w.stamp(at).text, None)?;
    Ok(person)
}

impl Register {
    pub fn handout(&mut self, request: &HandoutRequest) -> Result<HandoutOutcome> {
        let note = note(request.note.as_deref())?;
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let at = request.on.unwrap_or(ctx.now);
            if let Some(due) = request.due.filter(|due| *due < ctx.zone.date_of(at)) {
                return Err(Error::DueBeforeHandout {
                    due,
                    handed_out: ctx.zone.date_of(at),
                });
            }
            let person = resolve_person(tx, &request.to)?;
            hand_out(
                &w,
                &request.device,
                &request.new_device,
                HandOut {
                    action: Action::HandedOut,
                    person: &person,
                    at: request.on.unwrap_or(ctx.now),
                    due: request.due,
                    note: note.as_deref(),
                    follows: None,
                    details: EventDetails::none(),
                },
            )
        })
    }

    /// Takes devices back, all or none: one refused device refuses the whole return.
    pub fn return_devices(&mut self, request: &ReturnRequest) -> Result<ReturnOutcome> {
        let note = note(request.note.as_deref())?;
        let route = request.route.unwrap_or(request.condition.route());
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let at = request.on.unwrap_or(ctx.now);
            let devices = devices_of(tx, &request.which)?;
            let mut returned = Vec::with_capacity(devices.len());
            for device in devices {
                check(tx, ctx.zone, &device, Move::Return)?;
                let details = EventDetails {
                    condition: Some(request.condition),
                    note: note.as_deref(),
                    route: Some(route),
                    ..EventDetails::none()
                };
                let from = take_back(
                    &w,
                    &device,
                    route.status(),
                    at,
                    (EndReason::Returned, Some(request.condition)),
                    Action::Returned,
                    details,
                )?;
                returned.push(Returned {
                    device: tx.devices().get(device.id)?,
                    from,
                });
            }
            Ok(ReturnOutcome {
                returned,
                at,
                condition: request.condition,
                route,
                note: note.clone(),
            })
        })
    }

    /// Hands devices straight from one holder to another, all or none: for each device the
    /// old handout ends as `transferred` and a new one, linked to it (`follows_id`), starts.
    /// Each device gets one event, `transferred`, about the new holder; its details name the
    /// handout it continues (`from_handout`), never a person.
    pub fn transfer(&mut self, request: &TransferRequest) -> Result<TransferOutcome> {
        let note = note(request.note.as_deref())?;
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let at = request.on.unwrap_or(ctx.now);
            let to = resolve_person(tx, &request.to)?;
            let from = request
                .from
                .as_deref()
                .map(|p| resolve_person(tx, p))
                .transpose()?;
            let devices = devices_of(tx, &request.which)?;
            let mut transferred = Vec::with_capacity(devices.len());
            for device in devices {
                check(tx, ctx.zone, &device, Move::Return)?;
                if let Some((holder, _)) = holder_of(tx, &device)? {
                    if holder.id == to.id {
                        return Err(Refusal::HeldAlready {
                            serial: device.serial.clone(),
                            holder: to.label(),
                        }
                        .into());
                    }
                    if let Some(from) = from.as_ref().filter(|f| f.id != holder.id) {
                        return Err(Refusal::HeldByAnother {
                            serial: device.serial.clone(),
                            holder: holder.label(),
                            named: from.label(),
                        }
                        .into());
                    }
                }
                // In stock for the instant between the two handouts, so the handout's own
                // rules apply; the closed handout records no route (it never came back).
                let (previous, old_id) = close_held(
                    &w,
                    &device,
                    &Ending {
                        status: Status::InStock,
                        at,
                        reason: EndReason::Transferred,
                        condition: None,
                        route: None,
                        note: note.as_deref(),
                    },
                )?;
                let handed = hand_out(
                    &w,
                    &device.serial,
                    &NewDeviceInfo::default(),
                    HandOut {
                        action: Action::Transferred,
                        person: &to,
                        at,
                        // Due by the successor's own last working day, if any: the
                        // leaver's dates were theirs.
                        due: None,
                        note: note.as_deref(),
                        follows: Some(old_id),
                        details: EventDetails {
                            from_handout: Some(old_id),
                            ..EventDetails::none()
                        },
                    },
                )?;
                transferred.push(Returned {
                    device: handed.device,
                    from: previous,
                });
            }
            Ok(TransferOutcome {
                to,
                transferred,
                at,
            })
        })
    }

    /// Takes the old device back and hands the new one to the same person, in one step.
    pub fn replace(&mut self, request: &ReplaceRequest) -> Result<ReplaceOutcome> {
        let note = note(request.note.as_deref())?;
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let at = request.on.unwrap_or(ctx.now);
            let old = resolve_device(tx, &request.old)?;
            check(tx, ctx.zone, &old, Move::Return)?;
            let old_handout = tx.handouts().open_for_device(old.id)?;
            let new_serial = find_device(tx, &request.new)?
                .map(|d| d.serial)
                .unwrap_or(crate::validate::normalize_serial(&request.new)?);
            if new_serial == old.serial {
                return Err(Refusal::ReplacesItself {
                    serial: old.serial.clone(),
                }
                .into());
            }
            let old_status = match request.route {
                Some(_) if !request.reason.old_device_came_back() => {
                    return Err(Refusal::DidNotComeBack {
                        serial: old.serial.clone(),
                        status: request.reason.old_device_status(),
                    }
                    .into());
                }
                Some(route) => route.status(),
                None => request.reason.old_device_status(),
            };
            let details = EventDetails {
                note: note.as_deref(),
                reason: Some(request.reason),
                replaced_by: Some(&new_serial),
                route: request.route,
                ..EventDetails::none()
            };
            let end_reason = match old_status {
                Status::Lost => EndReason::Lost,
                Status::Stolen => EndReason::Stolen,
                _ => EndReason::Replaced,
            };
            let person = take_back(
                &w,
                &old,
                old_status,
                at,
                (end_reason, None),
                Action::Replaced,
                details,
            )?;
            // The new device inherits the old one's kind unless told otherwise.
            let info = NewDeviceInfo {
                kind: request.new_device.kind.clone().or(Some(old.kind.clone())),
                ..request.new_device.clone()
            };
            let new = hand_out(
                &w,
                &request.new,
                &info,
                HandOut {
                    action: Action::HandedOut,
                    person: &person,
                    at,
                    due: old_handout.as_ref().and_then(|h| h.own_due_back),
                    note: note.as_deref(),
                    follows: old_handout.map(|h| h.id),
                    details: EventDetails {
                        reason: Some(request.reason),
                        replaces: Some(&old.serial),
                        ..EventDetails::none()
                    },
                },
            )?;
            Ok(ReplaceOutcome {
                person,
                old: tx.devices().get(old.id)?,
                new,
            })
        })
    }

    /// lost, repaired, recycle, found.
    pub fn move_status(
        &mut self,
        reference: &str,
        wanted: StatusMove,
        on: Option<DateTime<Utc>>,
        note_text: Option<&str>,
    ) -> Result<StatusMoveOutcome> {
        let note = note(note_text)?;
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let at = on.unwrap_or(ctx.now);
            let device = resolve_device(tx, reference)?;
            let (rule, status, action) = match wanted {
                StatusMove::Lost { stolen: false } => (Move::MarkLost, Status::Lost, Action::Lost),
                StatusMove::Lost { stolen: true } => {
                    (Move::MarkLost, Status::Stolen, Action::Stolen)
                }
                StatusMove::Repaired => (Move::Repaired, Status::InStock, Action::Repaired),
                StatusMove::Recycle { .. } => (Move::Recycle, Status::Recycled, Action::Recycled),
                StatusMove::Found => (Move::Found, Status::InStock, Action::Found),
                StatusMove::Route(route) => (Move::Route(route), route.status(), Action::Routed),
            };
            check(tx, ctx.zone, &device, rule)?;
            if wanted == (StatusMove::Recycle { confirmed: false })
                && device.status == Status::InStock
            {
                return Err(Error::Unconfirmed(Unconfirmed::RecycleReusable {
                    serial: device.serial.clone(),
                }));
            }
            ensure_not_before(ctx.zone, &device, at, device.status_since)?;
            let details = EventDetails::status_move(device.status, note.as_deref());
            let former_holder = if device.status == Status::HandedOut {
                // A lost device leaves its holder's list; the event keeps who held it. Only
                // a loss may end a handout (the rules refuse the other moves for it).
                let reason = if status == Status::Stolen {
                    EndReason::Stolen
                } else {
                    EndReason::Lost
                };
                Some(take_back(
                    &w,
                    &device,
                    status,
                    at,
                    (reason, None),
                    action,
                    details,
                )?)
            } else {
                w.move_device(device.id, (status, &w.stamp(at)), action, details)?;
                None
            };
            Ok(StatusMoveOutcome {
                device: tx.devices().get(device.id)?,
                former_holder,
            })
        })
    }
}

/// The devices a request names, each once, in the order given; or all a person holds.
fn devices_of(conn: &dyn Transaction, which: &Which) -> Result<Vec<Device>> {
    match which {
        Which::Devices(references) => {
            if references.is_empty() {
                return Err(Refusal::NoDeviceGiven.into());
            }
            let mut devices: Vec<Device> = Vec::with_capacity(references.len());
            for reference in references {
                let device = resolve_device(conn, reference)?;
                if !devices.iter().any(|d| d.id == device.id) {
                    devices.push(device);
                }
            }
            Ok(devices)
        }
        Which::AllFrom(person) => {
            let person = resolve_person(conn, person)?;
            let held = conn.handouts().open_for_person(person.id)?;
            if held.is_empty() {
                return Err(Refusal::HoldsNothing {
                    person: person.label(),
                }
                .into());
            }
            held.iter()
                .map(|h| conn.devices().get(h.device_id))
                .collect()
        }
    }
}

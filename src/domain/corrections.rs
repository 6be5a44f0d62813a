//! `correct`: an open handout recorded with the wrong moment or holder (a list's typo, a
//! handout entered on the wrong person), set right as it should have been recorded. The
//! handout is rewritten in place, since it always was the corrected one's; the audit trail
//! keeps what was and what is, who corrected it and why, in a `corrected` event.

use super::writes::{Origin, Stamp, Writes};
use super::{Register, resolve_device, resolve_person};
use crate::error::Result;
use crate::model::{Device, Person};
use crate::refusal::{OfErased, Refusal};
use crate::store::Transaction;
use crate::store::handouts::OpenHandout;
use crate::validate::clean_note;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// What `correct` is asked to set right; `None` keeps what is recorded.
#[derive(Debug, Clone, Default)]
pub struct CorrectionRequest {
    /// Serial number or asset tag.
    pub device: String,
    /// The moment the handout really began.
    pub handed_out_at: Option<DateTime<Utc>>,
    /// The person who really holds the device.
    pub to: Option<String>,
    /// Why: kept in the audit trail.
    pub reason: String,
}

/// A handout's record: who held the device from when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoutRecorded {
    pub holder: Person,
    pub handed_out_at: DateTime<Utc>,
    pub due_back: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionOutcome {
    pub device: Device,
    pub was: HandoutRecorded,
    pub is: HandoutRecorded,
    /// Whether anything was corrected: asking for what is recorded already changes nothing.
    pub corrected: bool,
    pub reason: String,
}

impl Register {
    /// Corrects the moment and/or the holder of a device's open handout, with an event of
    /// what was and what is. Refused for a device nobody holds, a moment in the future or
    /// before the device last came back, a due date of the handout's own that the new
    /// moment passes, and an erased person.
    pub fn correct(&mut self, request: &CorrectionRequest) -> Result<CorrectionOutcome> {
        if request.reason.trim().is_empty() {
            return Err(Refusal::NoReasonGiven.into());
        }
        let reason = clean_note(&request.reason)?;
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let device = resolve_device(tx, &request.device)?;
            let to = request
                .to
                .as_deref()
                .map(|p| resolve_person(tx, p))
                .transpose()?;
            correct_open_handout(&w, &device, request.handed_out_at, to, &reason, None)
        })
    }
}

/// Corrects `device`'s open handout to `at` (or its recorded moment) and `to` (or its
/// recorded holder); `origin` is the imported row that asks, if one does.
pub(crate) fn correct_open_handout(
    w: &Writes<'_>,
    device: &Device,
    at: Option<DateTime<Utc>>,
    to: Option<Person>,
    reason: &str,
    origin: Origin<'_>,
) -> Result<CorrectionOutcome> {
    let (tx, ctx) = (w.tx, w.ctx);
    let Some(open) = tx.handouts().open_for_device(device.id)? else {
        return Err(Refusal::NotHandedOut {
            serial: device.serial.clone(),
            status: device.status,
        }
        .into());
    };
    let holder = tx.people().get(open.person_id)?;
    let was = HandoutRecorded {
        holder: holder.clone(),
        handed_out_at: open.handed_out_at,
        due_back: open.due_back,
    };
    let at = at.unwrap_or(open.handed_out_at);
    let to = to.unwrap_or(holder);
    check_correction(tx, ctx.zone, device, &open, at, &to, ctx.now)?;
    let changed = at != open.handed_out_at || to.id != open.person_id;
    let due_back = if changed {
        w.correct_handout(&open, (to.id, to.end_date), &Stamp::of(at), reason, origin)?
    } else {
        open.due_back
    };
    Ok(CorrectionOutcome {
        device: tx.devices().get(device.id)?,
        was,
        is: HandoutRecorded {
            holder: to,
            handed_out_at: at,
            due_back,
        },
        corrected: changed,
        reason: reason.to_string(),
    })
}

/// What the rules say against correcting `open` to `at` and `to`.
fn check_correction(
    tx: &dyn Transaction,
    zone: crate::zone::Zone,
    device: &Device,
    open: &OpenHandout,
    at: DateTime<Utc>,
    to: &Person,
    now: DateTime<Utc>,
) -> Result<()> {
    if at > now {
        return Err(Refusal::CorrectedIntoTheFuture {
            serial: device.serial.clone(),
            at: zone.date_of(at),
        }
        .into());
    }
    // The device's previous custody change: the handout before this one ended then.
    if let Some(last) = tx.handouts().last_returned_at(device.id)?
        && at < last
    {
        return Err(Refusal::BeforeLastChange {
            serial: device.serial.clone(),
            last: zone.date_of(last),
            at: zone.date_of(at),
        }
        .into());
    }
    if let Some(due) = open.own_due_back.filter(|due| *due < zone.date_of(at)) {
        return Err(Refusal::CorrectedPastDue {
            serial: device.serial.clone(),
            due,
            at: zone.date_of(at),
        }
        .into());
    }
    if to.erased && to.id != open.person_id {
        return Err(Refusal::Erased {
            person: to.label(),
            wanted: OfErased::HandOut,
        }
        .into());
    }
    Ok(())
}

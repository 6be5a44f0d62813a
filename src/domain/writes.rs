//! The one write path. Every change to people, devices and handouts, whether a technician
//! makes it at the desk or a row of an imported list does, is written by these primitives:
//! each writes its rows and its event together, so the two can never record the same change
//! differently. An operation or an import row only decides, beforehand, what to write.
//!
//! The primitives write through inserts the store prepares once per transaction (an import
//! writes a million rows through the same four statements), format "now" once, and write
//! each event's details into one buffer kept from event to event.

use super::Ctx;
use super::devices::{device_changes, registered};
use super::people::{DueChange, changed_fields, changed_serials, follow_end_date};
use super::rules;
use crate::error::Result;
use crate::model::{
    Action, Corrected, Device, DeviceChanges, DeviceId, EventDetails, HandoutId, ImportRef,
    PersonId, Status,
};
use crate::store::devices::DeviceFields;
use crate::store::events::{NewEvent, Stamps};
use crate::store::handouts::{Closing, Correction, NewHandout, OpenHandout};
use crate::store::people::PersonFields;
use crate::store::{self, Inserts, StoreError, StoreErrorKind, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use std::borrow::Cow;
use std::cell::RefCell;

/// One transaction's writer.
pub(crate) struct Writes<'t> {
    pub(crate) tx: &'t dyn Transaction,
    pub(crate) ctx: &'t Ctx<'t>,
    /// `ctx.now` as stored, formatted once for every row and event.
    now_text: String,
    inserts: RefCell<Box<dyn Inserts + 't>>,
    /// The JSON text of the event being written.
    json: RefCell<Vec<u8>>,
}

/// A moment with its stored text, formatted once for every row that records it (a handout,
/// its device's status, its event).
#[derive(Debug, Clone)]
pub(crate) struct Stamp<'a> {
    pub at: DateTime<Utc>,
    pub text: Cow<'a, str>,
}

/// Where a change comes from, as its event records it: `None` for the desk, or the file
/// and line of the imported row.
pub(crate) type Origin<'a> = Option<ImportRef<'a>>;

/// A handout about to begin.
pub(crate) struct Opening<'a> {
    /// `HandedOut`, or `Transferred` for a device passed straight on.
    pub action: Action,
    pub device: DeviceId,
    pub person: PersonId,
    /// The holder's last working day, which the due date never passes.
    pub last_working_day: Option<NaiveDate>,
    pub at: &'a Stamp<'a>,
    /// Who handed it out (an import's list may name someone else than the importer).
    pub by: &'a str,
    /// The handout's own due date, before the last working day is applied.
    pub own_due: Option<NaiveDate>,
    pub note: Option<&'a str>,
    pub follows: Option<HandoutId>,
    /// The fields of a device registered for this handout, already written handed out
    /// since `at`; its event records them.
    pub registered: Option<&'a DeviceFields>,
    /// What else the event says (the handout it continues, the device it replaces).
    pub details: EventDetails<'a>,
}

impl Stamp<'static> {
    /// `at`, formatted now.
    pub(crate) fn of(at: DateTime<Utc>) -> Stamp<'static> {
        Stamp {
            at,
            text: Cow::Owned(store::moment_to_sql(at)),
        }
    }
}

impl<'t> Writes<'t> {
    pub(crate) fn new(tx: &'t dyn Transaction, ctx: &'t Ctx<'t>) -> Result<Writes<'t>> {
        Ok(Writes {
            tx,
            ctx,
            now_text: store::moment_to_sql(ctx.now),
            inserts: RefCell::new(tx.inserts()?),
            json: RefCell::new(Vec::with_capacity(256)),
        })
    }

    /// `at` with its stored text; "now"'s was formatted once.
    pub(crate) fn stamp(&self, at: DateTime<Utc>) -> Stamp<'_> {
        Stamp {
            at,
            text: if at == self.ctx.now {
                Cow::Borrowed(&self.now_text)
            } else {
                Cow::Owned(store::moment_to_sql(at))
            },
        }
    }

    /// Writes an event dated `at` (its stored text), `origin` added to its details.
    pub(crate) fn event<'e>(
        &self,
        mut event: NewEvent<'e>,
        at: &str,
        origin: Origin<'e>,
    ) -> Result<()> {
        if origin.is_some() {
            event.details.import = origin;
        }
        let mut json = self.json.borrow_mut();
        json.clear();
        // Writing details into memory cannot fail; were it to, it is a store error (the value
        // could not become SQL), never a refusal.
        event
            .details
            .write_to(&mut json)
            .map_err(|e| StoreError::new(StoreErrorKind::Other, e))?;
        let text =
            std::str::from_utf8(&json).map_err(|e| StoreError::new(StoreErrorKind::Other, e))?;
        self.event_written(&event, at, text)
    }

    /// Writes an event whose details are already JSON text (`event.details` is not read).
    pub(crate) fn event_written(
        &self,
        event: &NewEvent<'_>,
        at: &str,
        details: &str,
    ) -> Result<()> {
        let stamps = Stamps {
            at,
            now: &self.now_text,
        };
        self.inserts.borrow_mut().event(event, stamps, details)?;
        Ok(())
    }

    /// An event about a person or a device alone, happening now.
    pub(crate) fn now_event<'e>(
        &self,
        action: Action,
        (device, person): (Option<DeviceId>, Option<PersonId>),
        status_after: Option<Status>,
        details: EventDetails<'e>,
    ) -> NewEvent<'e>
    where
        't: 'e,
    {
        NewEvent {
            at: self.ctx.now,
            actor: self.ctx.actor,
            action,
            device,
            person,
            handout: None,
            status_after,
            details,
        }
    }

    /// Registers a person. Their number and e-mail address must be free (see
    /// [`super::people::ensure_unique_person`]).
    pub(crate) fn add_person(&self, fields: &PersonFields, origin: Origin<'_>) -> Result<PersonId> {
        let id = self.inserts.borrow_mut().person(fields, &self.now_text)?;
        let event = self.now_event(
            Action::PersonAdded,
            (None, Some(id)),
            None,
            EventDetails::none(),
        );
        self.event(event, &self.now_text, origin)?;
        Ok(id)
    }

    /// Brings a person from `before` to `after` and their open handouts' due dates with
    /// their last working day. Returns the names of the fields that changed (none: nothing
    /// was written) and the handouts whose due date followed.
    pub(crate) fn edit_person(
        &self,
        id: PersonId,
        before: &PersonFields,
        after: &PersonFields,
        origin: Origin<'_>,
    ) -> Result<(Vec<&'static str>, Vec<DueChange>)> {
        let changed = changed_fields(before, after);
        if changed.is_empty() {
            return Ok((changed, Vec::new()));
        }
        self.tx.people().update(id, after)?;
        let due_back_set = follow_end_date(self.tx, id, after.end_date)?;
        // Only the names of the fields: the values are personal data, which lives in the
        // person table alone so that it can be erased.
        let serials = changed_serials(&due_back_set);
        let details = EventDetails::person_changed(&changed, &serials);
        let event = self.now_event(Action::PersonEdited, (None, Some(id)), None, details);
        self.event(event, &self.now_text, origin)?;
        Ok((changed, due_back_set))
    }

    /// Registers a device in `status` since `since`. One handed out on the way is
    /// registered by its handout's event ([`Writes::open_handout`]); any other gets a
    /// `device_added` event of its own. Its serial and asset tag must be free.
    pub(crate) fn register_device(
        &self,
        fields: &DeviceFields,
        status: Status,
        since: &Stamp<'_>,
        origin: Origin<'_>,
    ) -> Result<DeviceId> {
        let id = self
            .inserts
            .borrow_mut()
            .device(fields, status, &since.text, &self.now_text)?;
        if status != Status::HandedOut {
            let event = self.now_event(
                Action::DeviceAdded,
                (Some(id), None),
                Some(status),
                EventDetails::device_added(registered(fields)),
            );
            self.event(event, &self.now_text, origin)?;
        }
        Ok(id)
    }

    /// Brings a device's fields to `after` and, with `new_status`, moves it there now.
    /// Returns what changed; nothing is written when nothing does.
    pub(crate) fn edit_device(
        &self,
        device: &Device,
        after: &DeviceFields,
        new_status: Option<Status>,
        origin: Origin<'_>,
    ) -> Result<Option<DeviceChanges>> {
        let changes = device_changes(&DeviceFields::from(device), after);
        if changes.is_empty() && new_status.is_none() {
            return Ok(None);
        }
        self.tx.devices().update(device.id, after)?;
        if let Some(status) = new_status {
            self.tx
                .devices()
                .set_status(device.id, status, self.ctx.now)?;
        }
        let action = match new_status {
            Some(_) => Action::StatusChanged,
            None => Action::DeviceEdited,
        };
        let details = EventDetails {
            from: new_status.map(|_| device.status),
            ..EventDetails::device_changed(&changes)
        };
        let event = self.now_event(action, (Some(device.id), None), new_status, details);
        self.event(event, &self.now_text, origin)?;
        Ok(Some(changes))
    }

    /// Opens a handout and hands its device out, with its event. `written` is the event's
    /// details already written as JSON text for these very facts (an import's reading
    /// thread writes the usual row's ahead). Returns the handout and its due date.
    pub(crate) fn open_handout(
        &self,
        opening: Opening<'_>,
        origin: Origin<'_>,
        written: Option<&str>,
    ) -> Result<(HandoutId, Option<NaiveDate>)> {
        let due = rules::due_back(opening.own_due, opening.last_working_day);
        let at = opening.at;
        let handout = self.inserts.borrow_mut().handout(
            &NewHandout {
                device_id: opening.device,
                person_id: opening.person,
                at: at.at,
                by: opening.by,
                due_back: due,
                own_due_back: opening.own_due,
                note: opening.note,
                follows: opening.follows,
            },
            &at.text,
        )?;
        if opening.registered.is_none() {
            self.tx
                .devices()
                .set_status(opening.device, Status::HandedOut, at.at)?;
        }
        let mut event = NewEvent {
            at: at.at,
            actor: self.ctx.actor,
            action: opening.action,
            device: Some(opening.device),
            person: Some(opening.person),
            handout: Some(handout),
            status_after: Some(Status::HandedOut),
            details: EventDetails::none(),
        };
        match written {
            Some(text) => self.event_written(&event, &at.text, text)?,
            None => {
                event.details = EventDetails {
                    due_back: due,
                    note: opening.note,
                    registered: opening.registered.map(registered),
                    ..opening.details
                };
                self.event(event, &at.text, origin)?;
            }
        }
        Ok((handout, due))
    }

    /// Rewrites an open handout as it should have been recorded: to `person` (whose last
    /// working day the due date follows) from `at`, the device handed out since then, with
    /// a `corrected` event, dated now, of what was and what is and why. The caller has
    /// checked that something changes and that the rules allow it.
    pub(crate) fn correct_handout(
        &self,
        open: &OpenHandout,
        (person, last_working_day): (PersonId, Option<NaiveDate>),
        at: &Stamp<'_>,
        reason: &str,
        origin: Origin<'_>,
    ) -> Result<Option<NaiveDate>> {
        let due_back = rules::due_back(open.own_due_back, last_working_day);
        self.tx.handouts().correct(
            open.id,
            &Correction {
                person,
                at: at.at,
                due_back,
            },
        )?;
        self.tx
            .devices()
            .set_status(open.device_id, Status::HandedOut, at.at)?;
        let corrected = Corrected {
            handed_out_at: (open.handed_out_at != at.at).then(|| {
                [
                    store::moment_to_sql(open.handed_out_at),
                    at.text.to_string(),
                ]
            }),
            holder: (open.person_id != person).then_some([open.person_id.0, person.0]),
            reason,
        };
        let event = NewEvent {
            at: self.ctx.now,
            actor: self.ctx.actor,
            action: Action::Corrected,
            device: Some(open.device_id),
            person: Some(person),
            handout: Some(open.id),
            status_after: Some(Status::HandedOut),
            details: EventDetails {
                corrected: Some(corrected),
                due_back: due_back.filter(|_| due_back != open.due_back),
                ..EventDetails::none()
            },
        };
        self.event(event, &self.now_text, origin)?;
        Ok(due_back)
    }

    /// Ends a handout and, with `moved`, moves its device to that status, without an
    /// event: the step that ends it writes the one event it gets (a return, a loss, the
    /// next holder's handout).
    pub(crate) fn close_handout(
        &self,
        handout: HandoutId,
        closing: &Closing<'_>,
        moved: Option<(DeviceId, Status)>,
    ) -> Result<()> {
        self.tx.handouts().close(handout, closing)?;
        if let Some((device, status)) = moved {
            self.tx.devices().set_status(device, status, closing.at)?;
        }
        Ok(())
    }

    /// Moves a device nobody holds to `status` at `at`, with its event (`action`: lost,
    /// found, repaired …).
    pub(crate) fn move_device(
        &self,
        device: DeviceId,
        (status, at): (Status, &Stamp<'_>),
        action: Action,
        details: EventDetails<'_>,
    ) -> Result<()> {
        self.tx.devices().set_status(device, status, at.at)?;
        let event = NewEvent {
            at: at.at,
            actor: self.ctx.actor,
            action,
            device: Some(device),
            person: None,
            handout: None,
            status_after: Some(status),
            details,
        };
        self.event(event, &at.text, None)
    }

    /// Records a person's last working day (`leave`) and brings their handouts' due dates
    /// with it; the event names what changed, and there is none when nothing did.
    pub(crate) fn record_leave(
        &self,
        person: &crate::model::Person,
        last_day: NaiveDate,
        learned: Option<(&str, crate::model::LeaveCause)>,
    ) -> Result<Vec<DueChange>> {
        self.tx.people().set_end_date(person.id, Some(last_day))?;
        let due_dates_set = follow_end_date(self.tx, person.id, Some(last_day))?;
        let changed: Vec<&str> = if person.end_date == Some(last_day) {
            Vec::new()
        } else {
            vec!["end_date"]
        };
        if !changed.is_empty() || !due_dates_set.is_empty() {
            let serials = changed_serials(&due_dates_set);
            let (action, details) = match learned {
                None => (
                    Action::LeaveRecorded,
                    EventDetails::person_changed(&changed, &serials),
                ),
                Some((source, cause)) => (
                    Action::LeftBySync,
                    EventDetails::left_by_sync(source, cause, &changed, &serials),
                ),
            };
            let event = self.now_event(action, (None, Some(person.id)), None, details);
            self.event(event, &self.now_text, None)?;
        }
        Ok(due_dates_set)
    }

    /// Replaces a person's name, number and e-mail address with `pseudonym`, with an event
    /// that holds none of them.
    pub(crate) fn erase_person(&self, person: PersonId, pseudonym: &str) -> Result<()> {
        self.tx.people().erase(person, pseudonym, self.ctx.now)?;
        let event = self.now_event(
            Action::PersonErased,
            (None, Some(person)),
            None,
            EventDetails::none(),
        );
        self.event(event, &self.now_text, None)
    }
}

//! Handouts: who holds what, since when, and how each handout ended.

use crate::error::Result;
use crate::model::{
    CustodySpan, DeviceId, EndReason, HandoutId, HandoutRecord, HeldItem, PersonId,
};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};

/// An open handout, as the rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenHandout {
    pub id: HandoutId,
    pub device_id: DeviceId,
    pub person_id: PersonId,
    pub handed_out_at: DateTime<Utc>,
    pub due_back: Option<NaiveDate>,
    /// The due date the handout was given itself, whatever the holder's last working day.
    pub own_due_back: Option<NaiveDate>,
}
pub struct NewHandout<'a> {
    pub device_id: DeviceId,
    pub person_id: PersonId,
    pub at: DateTime<Utc>,
    pub by: &'a str,
    /// When it is due back: the earlier of `own_due_back` and the last working day.
    pub due_back: Option<NaiveDate>,
    pub own_due_back: Option<NaiveDate>,
    pub note: Option<&'a str>,
    pub follows: Option<HandoutId>,
}
/// An open handout as it should have been recorded (`correct`): its holder, its moment,
/// and its due date for that holder.
pub struct Correction {
    pub person: PersonId,
    pub at: DateTime<Utc>,
    pub due_back: Option<NaiveDate>,
}

pub struct Closing<'a> {
    pub at: DateTime<Utc>,
    pub by: &'a str,
    pub reason: EndReason,
    pub condition: Option<&'a str>,
    /// reuse, repair or recycle.
    pub route: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub trait Handouts {
    fn close(&self, id: HandoutId, closing: &Closing<'_>) -> Result<()>;

    fn set_due_back(&self, id: HandoutId, due_back: Option<NaiveDate>) -> Result<()>;

    /// Rewrites an open handout's holder, moment and due date as they should have been
    /// recorded; a closed handout is left as it is.
    fn correct(&self, id: HandoutId, correction: &Correction) -> Result<()>;

    fn open_for_device(&self, device: DeviceId) -> Result<Option<OpenHandout>>;

    fn open_for_person(&self, person: PersonId) -> Result<Vec<OpenHandout>>;

    /// What a person holds, oldest handout first, each dated by its local day in `zone`.
    fn held_items(&self, person: PersonId, zone: Zone) -> Result<Vec<HeldItem>>;

    /// When the device last came back, if it ever did.
    fn last_returned_at(&self, device: DeviceId) -> Result<Option<DateTime<Utc>>>;

    /// Every open handout with its device and person, in handout order, one at a time; moments
    /// in local time in `zone`.
    fn for_each_open(
        &self,
        zone: Zone,
        visit: &mut dyn FnMut(HandoutRecord) -> Result<()>,
    ) -> Result<()>;

    /// Who held a device, oldest first.
    fn custody_of_device(&self, device: DeviceId) -> Result<Vec<CustodySpan>>;

    /// Every device a person has held, oldest first.
    fn custody_of_person(&self, person: PersonId) -> Result<Vec<CustodySpan>>;
}

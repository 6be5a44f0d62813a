//! The audit trail: appended to, never changed.

use crate::error::Result;
use crate::model::{Action, DeviceId, Event, EventDetails, HandoutId, PersonId, Status};
use chrono::{DateTime, Utc};

/// An event as it is written. `details` never holds a person's name, e-mail or number:
/// people are referred to by `person`, so erasing them erases them everywhere.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: Action,
    pub device: Option<DeviceId>,
    pub person: Option<PersonId>,
    pub handout: Option<HandoutId>,
    pub status_after: Option<Status>,
    pub details: EventDetails<'a>,
}
/// An event's moments as stored ([`crate::store::moment_to_sql`]): when it happened (`event.at`) and
/// when it was written down.
#[derive(Debug, Clone, Copy)]
pub struct Stamps<'a> {
    pub at: &'a str,
    pub now: &'a str,
}

pub trait Events {
    /// A device's events in the order they were recorded, which is the order they happened in:
    /// a backdated handout can carry an earlier `at` than the registration before it.
    fn for_device(&self, device: DeviceId) -> Result<Vec<Event>>;

    /// A person's events in the order they were recorded.
    fn for_person(&self, person: PersonId) -> Result<Vec<Event>>;

    /// Every event in the order it was recorded, one at a time: the trail can be millions long.
    fn for_each(&self, visit: &mut dyn FnMut(Event) -> Result<()>) -> Result<()>;

    /// The action of the last event that set or changed a person's last working day
    /// (`leave_recorded`, `left_by_sync`, or a `person_edited` of `end_date`).
    fn last_day_set_by(&self, person: PersonId) -> Result<Option<Action>>;
}

/// Events that set a last working day, newest first: what [`Events::last_day_set_by`] runs,
/// the same on both stores but for how the details are read as text.
macro_rules! last_day_set_by_sql {
    ($param:literal, $details:literal) => {
        concat!(
            "SELECT action FROM event WHERE person_id = ",
            $param,
            " AND (action IN ('leave_recorded', 'left_by_sync')
                    OR (action = 'person_edited' AND ",
            $details,
            " LIKE '%\"end_date\"%'))
             ORDER BY id DESC LIMIT 1"
        )
    };
}
pub(crate) use last_day_set_by_sql;

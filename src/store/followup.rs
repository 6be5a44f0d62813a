//! The follow-up's questions: leavers and what they hold, receipts of a day, what went
//! missing, and the report's figures.

use crate::docs::{
    HandedOutLine, HandedOverLine, KindCount, MissingRow, RouteCounts, TakenBackLine,
};
use crate::error::Result;
use crate::model::{HeldItem, Person, PersonId};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};

/// Which people [`FollowUp::people_with_items`] returns.
#[derive(Debug, Clone, Default)]
pub struct Leaving<'a> {
    /// Last working day on or after this date.
    pub from: Option<NaiveDate>,
    /// Last working day on or before this date.
    pub until: Option<NaiveDate>,
    /// Department, compared without regard to case.
    pub department: Option<&'a str>,
    /// Only people who still hold something.
    pub holding_only: bool,
    /// What each person held at this moment; `None` for now.
    pub held_at: Option<DateTime<Utc>>,
    /// The zone whose local days date each handout.
    pub zone: Zone,
}
/// A person who left in the report's period, with how many devices they hold now and when
/// the last of their handouts ended.
#[derive(Debug, Clone)]
pub struct Departure {
    pub person: Person,
    pub still_held: u32,
    pub last_return: Option<DateTime<Utc>>,
}

pub trait FollowUp {
    /// The people whose last working day falls in a window, each with what they held at
    /// `held_at` (oldest handout first); earliest last working day first.
    fn people_with_items(&self, leaving: &Leaving<'_>) -> Result<Vec<(Person, Vec<HeldItem>)>>;

    /// The devices handed out to a person in `[start, end)`, in the order handed out; one
    /// transferred to them names the person it came from.
    fn handed_out_between(
        &self,
        person: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<HandedOutLine>>;

    /// The devices a person handed straight to someone else in `[start, end)` (transfers), with
    /// who took each over, in the order handed over.
    fn handed_over_between(
        &self,
        person: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<HandedOverLine>>;

    /// The devices taken back from a person in `[start, end)` and routed somewhere (returned,
    /// or the old device of a replacement), in the order taken back. Devices lost, stolen or
    /// transferred to someone else were not taken back and are not listed.
    fn taken_back_between(
        &self,
        person: PersonId,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<TakenBackLine>>;

    /// Devices that were lost or stolen at `as_of` (now, when `None`) and not found by then,
    /// that went missing in `[since, until)` when given; the last holder is named when the
    /// device was lost from a handout. With a department, only devices last held by someone in
    /// it. A device's status at a moment is the one its last event before then left it in.
    fn missing(
        &self,
        department: Option<&str>,
        window: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
        as_of: Option<DateTime<Utc>>,
        zone: Zone,
    ) -> Result<Vec<MissingRow>>;

    /// Everyone whose last working day is in `[from, to]`, earliest first.
    fn departures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        department: Option<&str>,
    ) -> Result<Vec<Departure>>;

    /// Where the devices that came back in `[start, end)` went.
    fn routes(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        department: Option<&str>,
    ) -> Result<RouteCounts>;

    /// Devices waiting in stock, by kind, most first.
    fn stock_by_kind(&self) -> Result<Vec<KindCount>>;

    /// Returns in `[start, end)` that had a due date, by calendar month (`YYYY-MM`) in `zone`:
    /// how many came back on or before it, and how many after, earliest month first. The due
    /// date is the earlier of the handout's `due_back` and the holder's last working day; a
    /// return is a handout that ended as `returned` or `transferred` (handed straight to a
    /// successor).
    fn monthly_returns(
        &self,
        period: (DateTime<Utc>, DateTime<Utc>),
        department: Option<&str>,
        zone: Zone,
    ) -> Result<Vec<(String, u32, u32)>>;
}

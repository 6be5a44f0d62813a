//! When someone leaves: recording the last working day, the departure checklist (one person,
//! or everyone leaving in a window), the overdue list a scheduled check runs, and the
//! receipts both sides sign. Reads are single joined queries (see `store::followup`); the
//! one write, `leave`, is one transaction with one event.

use super::writes::Writes;
use super::{Register, ReturnOutcome, TransferOutcome, ensure_department_known, resolve_person};
use crate::docs::{
    BatchCriteria, Checklist, ChecklistBatch, DocumentHeader, HandedOutLine, Overdue,
    OverduePerson, Receipt, ReceiptLine, TakenBackLine,
};
use crate::error::Result;
use crate::model::{HeldItem, Person};
use crate::refusal::{OfErased, Refusal};
use crate::store::Transaction;
use crate::store::followup::Leaving;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

/// What `leave` changed.
#[derive(Debug, Clone, Serialize)]
pub struct LeaveOutcome {
    pub person: Person,
    /// The previous last working day, if one was recorded.
    pub previous: Option<NaiveDate>,
    /// The handouts whose due date changed: most to the last working day, those with an
    /// earlier date of their own to that.
    pub due_dates_set: Vec<super::DueChange>,
    /// The departure checklist: everything the person holds, to go through with them and
    /// sign (the command's document, not part of the outcome's JSON).
    #[serde(skip)]
    pub checklist: Checklist,
}

impl Register {
    /// The header every document gets: now, who is working (by name when their account
    /// has one), and the register's settings the documents print. A document's language is
    /// its reader's, chosen where it is rendered.
    pub(crate) fn header_in(&self, tx: &dyn Transaction) -> Result<DocumentHeader> {
        let account_name = tx.accounts().by_login(&self.actor)?.map(|a| a.name);
        Ok(DocumentHeader {
            produced_at: self.now(),
            zone: self.zone(),
            produced_by: self.actor.clone(),
            produced_by_name: account_name.or_else(|| self.actor_name.clone()),
            settings: super::config::document_settings(tx)?,
        })
    }

    /// Everything a person still holds, as a departure checklist.
    pub fn checklist(&self, reference: &str) -> Result<Checklist> {
        let holdings = self.holdings(reference)?;
        Ok(Checklist {
            header: self.read(|tx| self.header_in(tx))?,
            person: holdings.person,
            items: holdings.items,
        })
    }

    /// The receipt for what a return took back, when it all came from one person.
    pub fn return_receipt(&self, outcome: &ReturnOutcome) -> Result<Option<Receipt>> {
        let Some(person) = single_person(outcome.returned.iter().map(|r| &r.from)) else {
            return Ok(None);
        };
        self.read(|tx| {
            let header = self.header_in(tx)?;
            let still_held = tx.handouts().held_items(person.id, self.zone())?;
            Ok(Some(outcome.receipt(header, person, still_held)))
        })
    }

    /// The receipt the receiving person of a transfer signs.
    pub fn transfer_receipt(&self, outcome: &TransferOutcome) -> Result<Receipt> {
        self.read(|tx| {
            let header = self.header_in(tx)?;
            let still_held = tx.handouts().held_items(outcome.to.id, self.zone())?;
            Ok(outcome.receipt(header, still_held))
        })
    }

    /// The checklists of everyone whose last working day is within the criteria (both ends
    /// inclusive), sorted by department, then family name: the order a manager files them in.
    pub fn checklist_batch(&self, criteria: BatchCriteria) -> Result<ChecklistBatch> {
        let (header, mut people) = self.read(|tx| {
            ensure_department_known(tx, criteria.department.as_deref())?;
            let header = self.header_in(tx)?;
            let people = tx.followup().people_with_items(&Leaving {
                from: criteria.leaving_from,
                until: criteria.leaving_until,
                department: criteria.department.as_deref(),
                holding_only: false,
                held_at: None,
                zone: self.zone(),
            })?;
            Ok((header, people))
        })?;
        people.sort_by_cached_key(|(p, _)| {
            (
                p.department.as_deref().map(str::to_lowercase),
                p.sort_name().to_lowercase(),
                p.employee_no.clone(),
            )
        });
        let checklists = people
            .into_iter()
            .map(|(person, items)| Checklist {
                header: header.clone(),
                person,
                items,
            })
            .collect();
        Ok(ChecklistBatch {
            header,
            criteria,
            checklists,
        })
    }

    /// Records a person's last working day, and makes it the due date of everything they
    /// hold: each handout is due on the earlier of its own due date and that day. One
    /// transaction, one event (`leave_recorded`) naming the changed field and the serials
    /// whose due date changed.
    pub fn leave(&mut self, reference: &str, last_day: NaiveDate) -> Result<LeaveOutcome> {
        let header = self.read(|tx| self.header_in(tx))?;
        self.write(|tx, ctx| {
            let person = resolve_person(tx, reference)?;
            if person.erased {
                return Err(Refusal::Erased {
                    person: person.label(),
                    wanted: OfErased::RecordLastDay,
                }
                .into());
            }
            let previous = person.end_date;
            let due_dates_set = Writes::new(tx, ctx)?.record_leave(&person, last_day, None)?;
            let person = tx.people().get(person.id)?;
            Ok(LeaveOutcome {
                checklist: Checklist {
                    header: header.clone(),
                    items: tx.handouts().held_items(person.id, ctx.zone)?,
                    person: person.clone(),
                },
                person,
                previous,
                due_dates_set,
            })
        })
    }

    /// Everyone whose last working day is before `as_of` and who still held something at the
    /// end of that day, most overdue first; and every device lost or stolen by then and not
    /// found (with a department: those last held by someone in it). A day before today is
    /// shown as it stood then; today and later, as things stand now.
    pub fn overdue(&self, as_of: NaiveDate, department: Option<&str>) -> Result<Overdue> {
        self.read(|tx| self.overdue_in(tx, as_of, department))
    }

    pub(crate) fn overdue_in(
        &self,
        tx: &dyn Transaction,
        as_of: NaiveDate,
        department: Option<&str>,
    ) -> Result<Overdue> {
        ensure_department_known(tx, department)?;
        // The end of the day, when it is over; otherwise now, which every query shows
        // without a moment (an event written this second is included).
        let end_of_day = as_of
            .checked_add_days(Days::new(1))
            .map(|day| self.zone().day_start(day))
            .filter(|end| *end <= self.now());
        Ok(Overdue {
            as_of,
            department: department.map(str::to_string),
            people: self.overdue_people(tx, as_of, department, end_of_day)?,
            missing: tx
                .followup()
                .missing(department, (None, None), end_of_day, self.zone())?,
        })
    }

    /// Everyone whose last working day is before `as_of` and who held something at
    /// `held_at` (now, when `None`), with the days from their last working day to `as_of`.
    pub(crate) fn overdue_people(
        &self,
        tx: &dyn Transaction,
        as_of: NaiveDate,
        department: Option<&str>,
        held_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<OverduePerson>> {
        let Some(until) = as_of.checked_sub_days(Days::new(1)) else {
            return Ok(Vec::new());
        };
        let people = tx.followup().people_with_items(&Leaving {
            from: None,
            until: Some(until),
            department,
            holding_only: true,
            held_at,
            zone: self.zone(),
        })?;
        Ok(people
            .into_iter()
            .filter_map(|(person, items)| {
                let last_day = person.end_date?;
                let days = (as_of - last_day).num_days();
                Some(OverduePerson {
                    days_overdue: u32::try_from(days).unwrap_or(u32::MAX),
                    last_working_day: last_day,
                    person,
                    items,
                })
            })
            .collect())
    }

    /// Kvittens: everything handed to or taken back from a person on one local calendar day.
    pub fn receipt(&self, reference: &str, day: NaiveDate) -> Result<Receipt> {
        let (start, end) = self.zone().days(day, day)?;
        self.read(|conn| {
            let person = resolve_person(conn, reference)?;
            Ok(Receipt {
                header: self.header_in(conn)?,
                handed_out: conn.followup().handed_out_between(person.id, start, end)?,
                handed_over: conn.followup().handed_over_between(person.id, start, end)?,
                taken_back: conn.followup().taken_back_between(person.id, start, end)?,
                still_held: conn.handouts().held_items(person.id, self.zone())?,
                person,
                date: day,
            })
        })
    }
}

impl ReturnOutcome {
    /// The receipt for what this return took back from `person`, who still holds
    /// `still_held`.
    fn receipt(
        &self,
        header: DocumentHeader,
        person: Person,
        still_held: Vec<HeldItem>,
    ) -> Receipt {
        Receipt {
            date: header.zone.date_of(self.at),
            header,
            person,
            still_held,
            handed_out: Vec::new(),
            handed_over: Vec::new(),
            taken_back: self
                .returned
                .iter()
                .map(|r| TakenBackLine {
                    device: ReceiptLine::from(&r.device),
                    condition: self.condition,
                    route: self.route,
                    note: self.note.clone(),
                })
                .collect(),
        }
    }
}

impl TransferOutcome {
    /// The receipt the receiving person signs for what they took over, and from whom; they
    /// now hold `still_held`.
    fn receipt(&self, header: DocumentHeader, still_held: Vec<HeldItem>) -> Receipt {
        Receipt {
            date: header.zone.date_of(self.at),
            header,
            still_held,
            person: self.to.clone(),
            handed_out: self
                .transferred
                .iter()
                .map(|t| HandedOutLine {
                    device: ReceiptLine::from(&t.device),
                    taken_over_from: Some(t.from.clone()),
                    replaces: None,
                })
                .collect(),
            handed_over: Vec::new(),
            taken_back: Vec::new(),
        }
    }
}

/// The one person all of `people` are, if they are one.
fn single_person<'a>(mut people: impl Iterator<Item = &'a Person>) -> Option<Person> {
    let first = people.next()?;
    people.all(|p| p.id == first.id).then(|| first.clone())
}

//! Writing a row: the person, the device, the handout (or transfer) and their events, once
//! [`super::matching`] has found nothing in the way. [`Session::import_row`] is a row's
//! whole journey through the writer.

use super::cells::{DeviceCells, HandoutCells, NewHandoutDetails, PersonCells, RowCells, RowKeys};
use super::matching::{Holding, PersonPlan};
use super::session::Session;
use crate::domain::people::ensure_unique_person;
use crate::domain::writes::{Opening, Stamp};
use crate::error::Result;
use crate::import::{Field, Row};
use crate::model::{
    Action, Device, DeviceId, EndReason, EventDetails, HandoutId, PersonId, Status,
};
use crate::store::handouts::Closing;
use crate::store::{devices::DeviceFields, people::PersonFields};
use chrono::{DateTime, NaiveDate, Utc};

impl Session<'_> {
    /// Checks a planned person against the register, then writes it. Returns the person and
    /// their last working day.
    pub(super) fn apply_person(
        &mut self,
        row: &Row,
        cells: &PersonCells,
        keys: &RowKeys,
        plan: PersonPlan,
    ) -> Result<(PersonId, Option<NaiveDate>)> {
        let (id, stored) = match plan {
            PersonPlan::New(fields) => {
                // No uniqueness check here: a new person is planned only when the look-ups by
                // this employee number and e-mail address found nobody (and the schema's
                // unique indexes stand behind that).
                let id = self.writes.add_person(&fields, self.origin(row.line))?;
                self.person_holds(&fields, keys);
                self.summary.people_created += 1;
                (id, fields)
            }
            PersonPlan::Previous(id) => {
                // Most rows of a person repeat what the previous one said: nothing to copy.
                let current = match &self.last_person {
                    Some((_, _, stored)) if !cells.would_change(stored) => {
                        let end_date = stored.end_date;
                        if let Some(manager) = &cells.manager {
                            self.wants_manager(id, manager, row.line);
                        }
                        return Ok((id, end_date));
                    }
                    Some((_, _, stored)) => stored.clone(),
                    None => PersonFields::from(&self.writes.tx.people().get(id)?),
                };
                (id, self.update_person(row, (cells, keys), id, current)?)
            }
            PersonPlan::Existing(id, current) => {
                (id, self.update_person(row, (cells, keys), id, current)?)
            }
        };
        let end_date = stored.end_date;
        if let Some(manager) = &cells.manager {
            self.wants_manager(id, manager, row.line);
        }
        // plan_person left this row's key in `self.key`.
        if !self.people.contains_key(self.key.as_str()) {
            self.people.insert(self.key.as_str().into(), id);
        }
        match &mut self.last_person {
            Some((key, last_id, last_stored)) => {
                key.clone_from(&self.key);
                *last_id = id;
                *last_stored = stored;
            }
            None => self.last_person = Some((self.key.clone(), id, stored)),
        }
        Ok((id, end_date))
    }

    /// Brings a known person up to date with the row's cells; returns their fields as stored.
    pub(super) fn update_person(
        &mut self,
        row: &Row,
        (cells, keys): (&PersonCells, &RowKeys),
        id: PersonId,
        current: PersonFields,
    ) -> Result<PersonFields> {
        let merged = cells.merged_over(&current);
        if merged != current {
            ensure_unique_person(self.writes.tx, &merged, Some(id))
                .map_err(|e| row.error_at(Field::EmployeeNo, &e.to_string()))?;
            let (changed, _) =
                self.writes
                    .edit_person(id, &current, &merged, self.origin(row.line))?;
            self.person_holds(&merged, keys);
            self.summary.people_updated += 1;
            let label = match &merged.employee_no {
                Some(number) => format!("{} ({number})", merged.name),
                None => merged.name.clone(),
            };
            self.summary
                .person_changes
                .push(format!("{label}: {}", changed.join(", ")));
        }
        Ok(merged)
    }

    /// Remembers the keys of a person just written from the row's cells (the values they
    /// keep from before are known already).
    pub(super) fn person_holds(&mut self, fields: &PersonFields, keys: &RowKeys) {
        self.now_holds(keys.employee_no);
        self.now_holds(keys.email);
        self.now_holds(keys.name);
        if fields.employee_no.is_none() {
            self.now_holds(keys.name_without_number);
        }
    }

    /// One row of any kind of list, its cells already read. Everything that can refuse the
    /// row is checked before the row's first write.
    pub(super) fn import_row(&mut self, row: &Row, cells: &RowCells) -> Result<()> {
        let RowCells {
            person: person_cells,
            device: device_cells,
            handout,
            new_handout_details,
            keys,
        } = cells;
        let Some(device_cells) = device_cells else {
            // A list of people: `RowCells::read` made sure the row names someone.
            if let Some(cells) = person_cells {
                let plan = self.plan_person(row, cells, keys)?;
                self.apply_person(row, cells, keys, plan)?;
            }
            return Ok(());
        };
        let device = self.find_device(row, device_cells, keys)?;
        let merged;
        let fields = match &device {
            None => &device_cells.as_new,
            Some(known) => {
                merged = device_cells.merged_over(Some(known));
                &merged
            }
        };
        self.check_device_keys(row, device.as_ref(), fields, keys)?;
        let person_plan = match person_cells {
            Some(cells) => Some(self.plan_person(row, cells, keys)?),
            None => None,
        };

        // What the handout will do, decided before anything is written.
        let holding = match (&device, &person_plan) {
            (Some(device), Some(plan)) => self.plan_handout(row, device, plan)?,
            (None, Some(_)) => Holding::HandOut,
            (_, None) => Holding::None,
        };

        let person = match (person_cells, person_plan) {
            (Some(cells), Some(plan)) => Some(self.apply_person(row, cells, keys, plan)?),
            _ => None,
        };
        // The moment of the handout as stored, formatted once for the device's status, the
        // handout and its event.
        let handed_out_at = person.and(handout.as_ref()).map(|h| Stamp::of(h.at));
        let device_id = self.apply_device(
            row,
            device.as_ref(),
            fields,
            (device_cells, keys),
            handed_out_at.as_ref(),
        )?;
        if let (Some(person), Some(handout), Some(at)) = (person, handout, &handed_out_at) {
            self.apply_handout(
                row,
                device_id,
                person,
                holding,
                (handout, at, new_handout_details.as_ref()),
                device.is_none(),
                fields,
            )?;
        }
        Ok(())
    }

    /// Registers a new device or brings a known one up to date. `handed_out_at` is when this
    /// row hands it out (as stored), if it does.
    pub(super) fn apply_device(
        &mut self,
        row: &Row,
        device: Option<&Device>,
        fields: &DeviceFields,
        (cells, keys): (&DeviceCells, &RowKeys),
        handed_out_at: Option<&Stamp<'_>>,
    ) -> Result<DeviceId> {
        let handed_out = handed_out_at.is_some();
        let Some(device) = device else {
            // A new device handed out by this row is written handed out since the handout,
            // which then need not update it, and is registered by its handout's event.
            let now = self.writes.stamp(self.writes.ctx.now);
            let (status, since) = match handed_out_at {
                Some(at) => (Status::HandedOut, at),
                None => (
                    cells
                        .status
                        .filter(|s| *s != Status::HandedOut)
                        .unwrap_or(Status::InStock),
                    &now,
                ),
            };
            let id = self
                .writes
                .register_device(fields, status, since, self.origin(row.line))?;
            self.device_holds(keys);
            self.summary.devices_created += 1;
            return Ok(id);
        };
        let new_status = cells.status.filter(|s| {
            !handed_out
                && *s != device.status
                && *s != Status::HandedOut
                && device.status != Status::HandedOut
        });
        let origin = self.origin(row.line);
        if self
            .writes
            .edit_device(device, fields, new_status, origin)?
            .is_some()
        {
            self.device_holds(keys);
            self.summary.devices_updated += 1;
        }
        Ok(device.id)
    }

    /// Remembers the keys of a device just written from the row's cells (the values it
    /// keeps from before are known already).
    pub(super) fn device_holds(&mut self, keys: &RowKeys) {
        self.now_holds(keys.serial);
        self.now_holds(keys.asset_tag);
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply_handout(
        &mut self,
        row: &Row,
        device: DeviceId,
        (person, end_date): (PersonId, Option<NaiveDate>),
        holding: Holding,
        (cells, cells_at, prepared): (&HandoutCells, &Stamp<'_>, Option<&NewHandoutDetails>),
        registered: bool,
        fields: &DeviceFields,
    ) -> Result<()> {
        let zone = self.writes.ctx.zone;
        if let Holding::Duplicate(since) = holding
            && !cells.undated
            && (if cells.timed {
                since != cells.at
            } else {
                zone.date_of(since) != zone.date_of(cells.at)
            })
        {
            // The list dates a handout the register has with another moment.
            if self.correct_dates {
                let device = self.writes.tx.devices().get(device)?;
                let reason = "the date the list gives";
                crate::domain::corrections::correct_open_handout(
                    &self.writes,
                    &device,
                    Some(cells.at),
                    None,
                    reason,
                    self.origin(row.line),
                )
                .map_err(|e| match e {
                    crate::Error::Refusal(refusal) => {
                        row.error_at(Field::HandedOutOn, &refusal.to_string())
                    }
                    other => other,
                })?;
                self.summary.dates_corrected += 1;
            } else {
                self.summary.dates_differ += 1;
            }
        }
        let Some((follows, at)) = self.begin_handout(holding, cells.at)? else {
            return Ok(());
        };
        let due = crate::domain::rules::due_back(cells.due, end_date);
        // `cells_at` is `cells.at` as stored; a transfer may have moved the moment.
        let moved;
        let at = if at == cells.at {
            cells_at
        } else {
            moved = Stamp::of(at);
            &moved
        };
        // The reading thread wrote the usual row's event ahead: a new device, handed out
        // with the due date the row itself gives.
        let written = prepared
            .filter(|p| registered && follows.is_none() && p.due_back == due)
            .map(|p| p.json.as_str());
        let (handout, _) = self.writes.open_handout(
            Opening {
                action: if follows.is_some() {
                    Action::Transferred
                } else {
                    Action::HandedOut
                },
                device,
                person,
                last_working_day: end_date,
                at,
                by: cells.by.as_deref().unwrap_or(self.writes.ctx.actor),
                own_due: cells.due,
                note: cells.note.as_deref(),
                follows,
                registered: registered.then_some(fields),
                details: EventDetails {
                    from_handout: follows,
                    ..EventDetails::none()
                },
            },
            self.origin(row.line),
            written,
        )?;
        self.handed_out_here.push((handout, row.line));
        if follows.is_none() {
            self.summary.handouts_opened += 1;
        }
        if cells.undated {
            self.summary.undated_handouts += 1;
        }
        Ok(())
    }

    /// Where a row's handout begins: `None` when `holding` opens none (no handout, or the
    /// same one again), else the handout it follows (which a transfer closes here) and the
    /// moment it begins, `at` unless the previous handout began later.
    fn begin_handout(
        &mut self,
        holding: Holding,
        at: DateTime<Utc>,
    ) -> Result<Option<(Option<HandoutId>, DateTime<Utc>)>> {
        match holding {
            Holding::None => Ok(None),
            Holding::Duplicate(_) => {
                self.summary.duplicates += 1;
                Ok(None)
            }
            Holding::HandOut => Ok(Some((None, at))),
            Holding::Transfer(previous, since) => {
                // The new holder's handout cannot begin before the previous one did.
                let at = at.max(since);
                // The device stays handed out: to the row's person, from the same moment.
                self.writes.close_handout(
                    previous,
                    &Closing {
                        at,
                        by: self.writes.ctx.actor,
                        reason: EndReason::Transferred,
                        condition: None,
                        route: None,
                        note: None,
                    },
                    None,
                )?;
                self.summary.transfers += 1;
                Ok(Some((Some(previous), at)))
            }
        }
    }
}

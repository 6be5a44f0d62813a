//! SQL for the `handout` table: who held which device from when to when.

use super::{Tx, get};
use crate::error::Result;
use crate::model::{
    CustodySpan, DeviceId, EndReason, HandoutId, HandoutRecord, HeldItem, PersonId,
};
use crate::store::handouts::{Closing, Correction, Handouts, OpenHandout};
use crate::store::words::end_reasons;
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use postgres::Row;
use std::sync::LazyLock;

pub(super) const OPEN: &str = "INSERT INTO handout (device_id, person_id, handed_out_at, \
     handed_out_by, due_back, note, follows_id, own_due_back) \
     VALUES ($1, $2, $3::text::timestamptz, $4, $5, $6, $7, $8) RETURNING id";

const OPEN_COLUMNS: &str = "SELECT id, device_id, person_id, handed_out_at, due_back, \
     own_due_back FROM handout";

fn open_from_row(row: &Row) -> Result<OpenHandout> {
    Ok(OpenHandout {
        id: HandoutId(get(row, 0)?),
        device_id: DeviceId(get(row, 1)?),
        person_id: PersonId(get(row, 2)?),
        handed_out_at: get(row, 3)?,
        due_back: get(row, 4)?,
        own_due_back: get(row, 5)?,
    })
}

/// The columns [`held_item_at`] reads, for queries joining `handout h` and `device d`.
pub(super) const HELD_ITEM_COLUMNS: &str = "d.serial, d.asset_tag, d.kind, d.make, d.model,
                h.handed_out_at, h.handed_out_by, h.due_back, h.note";

/// A held item from the nine [`HELD_ITEM_COLUMNS`] starting at column `start`.
pub(super) fn held_item_at(row: &Row, start: usize, zone: Zone) -> Result<HeldItem> {
    let at: DateTime<Utc> = get(row, start + 5)?;
    Ok(HeldItem {
        serial: get(row, start)?,
        asset_tag: get(row, start + 1)?,
        kind: get(row, start + 2)?,
        make: get(row, start + 3)?,
        model: get(row, start + 4)?,
        handed_out_on: zone.date_of(at),
        handed_out_by: get(row, start + 6)?,
        due_back: get(row, start + 7)?,
        note: get(row, start + 8)?,
    })
}

/// The stretches of custody, with the device that replaced one (the next handout that
/// follows it, unless the device was handed on).
static CUSTODY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT d.serial, p.employee_no, p.name, h.handed_out_at, h.handed_out_by,
        h.returned_at, h.returned_by, h.end_reason, h.return_condition, h.return_route,
        (SELECT nd.serial FROM handout n JOIN device nd ON nd.id = n.device_id
         WHERE n.follows_id = h.id AND h.end_reason NOT IN ({}) LIMIT 1)
     FROM handout h
     JOIN device d ON d.id = h.device_id
     JOIN person p ON p.id = h.person_id",
        end_reasons(EndReason::hands_on)
    )
});

fn custody_from_row(row: &Row) -> Result<CustodySpan> {
    Ok(CustodySpan {
        serial: get(row, 0)?,
        employee_no: get(row, 1)?,
        person: get(row, 2)?,
        handed_out_at: get(row, 3)?,
        handed_out_by: get(row, 4)?,
        returned_at: get(row, 5)?,
        returned_by: get(row, 6)?,
        end_reason: get(row, 7)?,
        condition: get(row, 8)?,
        route: get(row, 9)?,
        replaced_by: get(row, 10)?,
    })
}

impl Tx<'_> {
    fn custody(&self, column: &str, id: i64) -> Result<Vec<CustodySpan>> {
        let sql = format!(
            "{} WHERE h.{column} = $1 ORDER BY h.handed_out_at, h.id",
            *CUSTODY
        );
        self.rows(&sql, &[&id])?
            .iter()
            .map(custody_from_row)
            .collect()
    }
}

impl Handouts for Tx<'_> {
    fn close(&self, id: HandoutId, closing: &Closing<'_>) -> Result<()> {
        self.execute(
            "UPDATE handout SET returned_at = $2, returned_by = $3, end_reason = $4,
                return_condition = $5, return_route = $6, return_note = $7
             WHERE id = $1 AND returned_at IS NULL",
            &[
                &id.0,
                &closing.at,
                &closing.by,
                &closing.reason.as_str(),
                &closing.condition,
                &closing.route,
                &closing.note,
            ],
        )?;
        Ok(())
    }

    fn set_due_back(&self, id: HandoutId, due_back: Option<NaiveDate>) -> Result<()> {
        self.execute(
            "UPDATE handout SET due_back = $2 WHERE id = $1",
            &[&id.0, &due_back],
        )?;
        Ok(())
    }

    fn correct(&self, id: HandoutId, correction: &Correction) -> Result<()> {
        self.execute(
            "UPDATE handout SET person_id = $2, handed_out_at = $3, due_back = $4
             WHERE id = $1 AND returned_at IS NULL",
            &[
                &id.0,
                &correction.person.0,
                &correction.at,
                &correction.due_back,
            ],
        )?;
        Ok(())
    }

    fn open_for_device(&self, device: DeviceId) -> Result<Option<OpenHandout>> {
        let sql = format!("{OPEN_COLUMNS} WHERE device_id = $1 AND returned_at IS NULL");
        self.optional_row(&sql, &[&device.0])?
            .map(|row| open_from_row(&row))
            .transpose()
    }

    fn open_for_person(&self, person: PersonId) -> Result<Vec<OpenHandout>> {
        let sql = format!(
            "{OPEN_COLUMNS} WHERE person_id = $1 AND returned_at IS NULL ORDER BY handed_out_at, id"
        );
        self.rows(&sql, &[&person.0])?
            .iter()
            .map(open_from_row)
            .collect()
    }

    fn held_items(&self, person: PersonId, zone: Zone) -> Result<Vec<HeldItem>> {
        let sql = format!(
            "SELECT {HELD_ITEM_COLUMNS}
             FROM handout h JOIN device d ON d.id = h.device_id
             WHERE h.person_id = $1 AND h.returned_at IS NULL
             ORDER BY h.handed_out_at, h.id"
        );
        self.rows(&sql, &[&person.0])?
            .iter()
            .map(|row| held_item_at(row, 0, zone))
            .collect()
    }

    fn last_returned_at(&self, device: DeviceId) -> Result<Option<DateTime<Utc>>> {
        get(
            &self.row(
                "SELECT max(returned_at) FROM handout WHERE device_id = $1",
                &[&device.0],
            )?,
            0,
        )
    }

    fn for_each_open(
        &self,
        zone: Zone,
        visit: &mut dyn FnMut(HandoutRecord) -> Result<()>,
    ) -> Result<()> {
        self.each(
            "SELECT d.serial, d.asset_tag, d.kind, d.make, d.model, p.employee_no, p.name,
                    p.email, p.department, p.end_date, h.handed_out_at, h.handed_out_by,
                    h.due_back, h.note
             FROM handout h
             JOIN device d ON d.id = h.device_id
             JOIN person p ON p.id = h.person_id
             WHERE h.returned_at IS NULL
             ORDER BY h.id",
            &[],
            &mut |row| {
                visit(HandoutRecord {
                    serial: get(row, 0)?,
                    asset_tag: get(row, 1)?,
                    kind: get(row, 2)?,
                    make: get(row, 3)?,
                    model: get(row, 4)?,
                    employee_no: get(row, 5)?,
                    name: get(row, 6)?,
                    email: get(row, 7)?,
                    department: get(row, 8)?,
                    end_date: get(row, 9)?,
                    handed_out_at: zone.local_time(get(row, 10)?),
                    handed_out_by: get(row, 11)?,
                    due_back: get(row, 12)?,
                    note: get(row, 13)?,
                })
            },
        )
    }

    fn custody_of_device(&self, device: DeviceId) -> Result<Vec<CustodySpan>> {
        self.custody("device_id", device.0)
    }

    fn custody_of_person(&self, person: PersonId) -> Result<Vec<CustodySpan>> {
        self.custody("person_id", person.0)
    }
}

//! SQL for the `handout` table: who held which device from when to when.

use super::Tx;
use super::{date_from_sql, date_to_sql, moment_from_sql, moment_to_sql, optional};
use crate::error::Result;
use crate::model::{
    CustodySpan, DeviceId, EndReason, HandoutId, HandoutRecord, HeldItem, PersonId,
};
use crate::store::handouts::{Closing, Correction, Handouts, NewHandout, OpenHandout};
use crate::zone::Zone;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Statement, params};

pub(crate) const OPEN: &str =
    "INSERT INTO handout (device_id, person_id, handed_out_at, handed_out_by, due_back, note,
                          follows_id, own_due_back)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// `Handouts::open` with [`OPEN`] prepared by the caller, and `at` already formatted: the
/// [`moment_to_sql`] of `handout.at`.
pub(crate) fn open_with(
    open: &mut Statement<'_>,
    handout: &NewHandout<'_>,
    at: &str,
) -> Result<HandoutId> {
    let id = open.insert(params![
        handout.device_id.0,
        handout.person_id.0,
        at,
        handout.by,
        handout.due_back.map(date_to_sql),
        handout.note,
        handout.follows.map(|h| h.0),
        handout.own_due_back.map(date_to_sql),
    ])?;
    Ok(HandoutId(id))
}

fn open_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OpenHandout> {
    Ok(OpenHandout {
        id: HandoutId(row.get(0)?),
        device_id: DeviceId(row.get(1)?),
        person_id: PersonId(row.get(2)?),
        handed_out_at: moment_from_sql(&row.get::<_, String>(3)?)?,
        due_back: date_from_sql(row.get(4)?)?,
        own_due_back: date_from_sql(row.get(5)?)?,
    })
}

// The hot look-ups, named so that `query_plans` can check each one uses an index.
pub(crate) const OPEN_FOR_DEVICE: &str = "SELECT id, device_id, person_id, handed_out_at, \
     due_back, own_due_back FROM handout WHERE device_id = ?1 AND returned_at IS NULL";
pub(crate) const OPEN_FOR_PERSON: &str = "SELECT id, device_id, person_id, handed_out_at, \
     due_back, own_due_back FROM handout WHERE person_id = ?1 AND returned_at IS NULL \
     ORDER BY handed_out_at, id";
pub(crate) const HELD_ITEMS: &str = "SELECT d.serial, d.asset_tag, d.kind, d.make, d.model,
                h.handed_out_at, h.handed_out_by, h.due_back, h.note
         FROM handout h JOIN device d ON d.id = h.device_id
         WHERE h.person_id = ?1 AND h.returned_at IS NULL
         ORDER BY h.handed_out_at, h.id";
pub(crate) const LAST_RETURNED_AT: &str =
    "SELECT max(returned_at) FROM handout WHERE device_id = ?1";
pub(crate) const CLOSE: &str = "UPDATE handout SET returned_at = ?2, returned_by = ?3, \
     end_reason = ?4, return_condition = ?5, return_route = ?6, return_note = ?7 \
     WHERE id = ?1 AND returned_at IS NULL";

/// The columns [`held_item_at`] reads, for queries joining `handout h` and `device d`.
pub(crate) const HELD_ITEM_COLUMNS: &str = "d.serial, d.asset_tag, d.kind, d.make, d.model,
                h.handed_out_at, h.handed_out_by, h.due_back, h.note";

/// A held item from the nine [`HELD_ITEM_COLUMNS`] starting at column `start`.
pub(crate) fn held_item_at(
    row: &rusqlite::Row<'_>,
    start: usize,
    zone: Zone,
) -> rusqlite::Result<HeldItem> {
    let at = moment_from_sql(&row.get::<_, String>(start + 5)?)?;
    Ok(HeldItem {
        serial: row.get(start)?,
        asset_tag: row.get(start + 1)?,
        kind: row.get(start + 2)?,
        make: row.get(start + 3)?,
        model: row.get(start + 4)?,
        handed_out_on: zone.date_of(at),
        handed_out_by: row.get(start + 6)?,
        due_back: date_from_sql(row.get(start + 7)?)?,
        note: row.get(start + 8)?,
    })
}

/// The stretches of custody, with the device that replaced one (the next handout that
/// follows it, unless the device was handed on).
static CUSTODY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT d.serial, p.employee_no, p.name, h.handed_out_at, h.handed_out_by,
        h.returned_at, h.returned_by, h.end_reason, h.return_condition, h.return_route,
        (SELECT nd.serial FROM handout n JOIN device nd ON nd.id = n.device_id
         WHERE n.follows_id = h.id AND h.end_reason NOT IN ({}))
     FROM handout h
     JOIN device d ON d.id = h.device_id
     JOIN person p ON p.id = h.person_id",
        crate::store::words::end_reasons(EndReason::hands_on)
    )
});

fn custody_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<CustodySpan> {
    Ok(CustodySpan {
        serial: row.get(0)?,
        employee_no: row.get(1)?,
        person: row.get(2)?,
        handed_out_at: moment_from_sql(&row.get::<_, String>(3)?)?,
        handed_out_by: row.get(4)?,
        returned_at: row
            .get::<_, Option<String>>(5)?
            .as_deref()
            .map(moment_from_sql)
            .transpose()?,
        returned_by: row.get(6)?,
        end_reason: row.get(7)?,
        condition: row.get(8)?,
        route: row.get(9)?,
        replaced_by: row.get(10)?,
    })
}

impl Handouts for Tx<'_> {
    fn close(&self, id: HandoutId, closing: &Closing<'_>) -> Result<()> {
        self.conn.prepare_cached(CLOSE)?.execute(params![
            id.0,
            moment_to_sql(closing.at),
            closing.by,
            closing.reason.as_str(),
            closing.condition,
            closing.route,
            closing.note,
        ])?;
        Ok(())
    }

    fn set_due_back(&self, id: HandoutId, due_back: Option<NaiveDate>) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE handout SET due_back = ?2 WHERE id = ?1")?
            .execute(params![id.0, due_back.map(date_to_sql)])?;
        Ok(())
    }

    fn correct(&self, id: HandoutId, correction: &Correction) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE handout SET person_id = ?2, handed_out_at = ?3, due_back = ?4
                 WHERE id = ?1 AND returned_at IS NULL",
            )?
            .execute(params![
                id.0,
                correction.person.0,
                moment_to_sql(correction.at),
                correction.due_back.map(date_to_sql)
            ])?;
        Ok(())
    }

    fn open_for_device(&self, device: DeviceId) -> Result<Option<OpenHandout>> {
        optional(
            self.conn
                .prepare_cached(OPEN_FOR_DEVICE)?
                .query_row([device.0], open_from_row),
        )
    }

    fn open_for_person(&self, person: PersonId) -> Result<Vec<OpenHandout>> {
        let mut stmt = self.conn.prepare_cached(OPEN_FOR_PERSON)?;
        let handouts = stmt
            .query_map([person.0], open_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(handouts)
    }

    fn held_items(&self, person: PersonId, zone: Zone) -> Result<Vec<HeldItem>> {
        let mut stmt = self.conn.prepare_cached(HELD_ITEMS)?;
        let items = stmt
            .query_map([person.0], |row| held_item_at(row, 0, zone))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    fn last_returned_at(&self, device: DeviceId) -> Result<Option<DateTime<Utc>>> {
        let last: Option<String> = self
            .conn
            .prepare_cached(LAST_RETURNED_AT)?
            .query_row([device.0], |row| row.get(0))?;
        last.as_deref()
            .map(moment_from_sql)
            .transpose()
            .map_err(Into::into)
    }

    fn for_each_open(
        &self,
        zone: Zone,
        visit: &mut dyn FnMut(HandoutRecord) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT d.serial, d.asset_tag, d.kind, d.make, d.model, p.employee_no, p.name, p.email,
                    p.department, p.end_date, h.handed_out_at, h.handed_out_by, h.due_back, h.note
             FROM handout h
             JOIN device d ON d.id = h.device_id
             JOIN person p ON p.id = h.person_id
             WHERE h.returned_at IS NULL
             ORDER BY h.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(HandoutRecord {
                serial: row.get(0)?,
                asset_tag: row.get(1)?,
                kind: row.get(2)?,
                make: row.get(3)?,
                model: row.get(4)?,
                employee_no: row.get(5)?,
                name: row.get(6)?,
                email: row.get(7)?,
                department: row.get(8)?,
                end_date: date_from_sql(row.get(9)?)?,
                handed_out_at: zone.local_time(moment_from_sql(&row.get::<_, String>(10)?)?),
                handed_out_by: row.get(11)?,
                due_back: date_from_sql(row.get(12)?)?,
                note: row.get(13)?,
            })?;
        }
        Ok(())
    }

    fn custody_of_device(&self, device: DeviceId) -> Result<Vec<CustodySpan>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{} WHERE h.device_id = ?1 ORDER BY h.handed_out_at, h.id",
            *CUSTODY
        ))?;
        let spans = stmt
            .query_map([device.0], custody_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(spans)
    }

    fn custody_of_person(&self, person: PersonId) -> Result<Vec<CustodySpan>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{} WHERE h.person_id = ?1 ORDER BY h.handed_out_at, h.id",
            *CUSTODY
        ))?;
        let spans = stmt
            .query_map([person.0], custody_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(spans)
    }
}

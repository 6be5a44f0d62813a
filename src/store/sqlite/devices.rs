//! SQL for the `device` table.

use super::Tx;
use super::{date_from_sql, date_to_sql, moment_from_sql, moment_to_sql, optional};
use crate::error::Result;
use crate::model::{Device, DeviceId, ListedDevice, PersonId, Status};
use crate::store::devices::{DeviceFields, Devices, SearchKeys};
use chrono::{DateTime, Utc};
use rusqlite::{Row, Statement, params};

impl From<&Device> for DeviceFields {
    fn from(device: &Device) -> Self {
        DeviceFields {
            serial: device.serial.clone(),
            asset_tag: device.asset_tag.clone(),
            kind: device.kind.clone(),
            make: device.make.clone(),
            model: device.model.clone(),
            purchased: device.purchased,
        }
    }
}

/// `SELECT` of a device's columns (in the order `from_row` reads them) followed by the rest
/// of a query, as a `&'static str`.
macro_rules! select_device {
    ($($rest:expr),+) => {
        concat!(
            "SELECT id, serial, asset_tag, kind, make, model, purchased, status, status_since \
             FROM device ",
            $($rest),+
        )
    };
}

// The hot look-ups, named so that `query_plans` can check each one uses an index.
pub(crate) const GET: &str = select_device!("WHERE id = ?1");
pub(crate) const BY_SERIAL: &str = select_device!("WHERE serial = ?1");
pub(crate) const BY_ASSET_TAG: &str = select_device!("WHERE asset_tag = ?1");
pub(crate) const SET_STATUS: &str =
    "UPDATE device SET status = ?2, status_since = ?3 WHERE id = ?1";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Device> {
    let status: String = row.get(7)?;
    Ok(Device {
        id: DeviceId(row.get(0)?),
        serial: row.get(1)?,
        asset_tag: row.get(2)?,
        kind: row.get(3)?,
        make: row.get(4)?,
        model: row.get(5)?,
        purchased: date_from_sql(row.get(6)?)?,
        status: status_from_sql(&status)?,
        status_since: moment_from_sql(&row.get::<_, String>(8)?)?,
    })
}

pub fn status_from_sql(word: &str) -> rusqlite::Result<Status> {
    Status::parse(word).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown device status {word:?}").into(),
        )
    })
}

pub(crate) const INSERT: &str =
    "INSERT INTO device (serial, asset_tag, kind, make, model, purchased, status, status_since,
                         created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// `Devices::insert` with [`INSERT`] prepared by the caller, and the moments already formatted
/// ([`moment_to_sql`]): an import row stores one moment in several rows.
pub(crate) fn insert_with(
    insert: &mut Statement<'_>,
    fields: &DeviceFields,
    status: Status,
    since: &str,
    now: &str,
) -> Result<DeviceId> {
    let id = insert.insert(params![
        fields.serial,
        fields.asset_tag,
        fields.kind,
        fields.make,
        fields.model,
        fields.purchased.map(date_to_sql),
        status.as_str(),
        since,
        now,
    ])?;
    Ok(DeviceId(id))
}

/// `list`'s statements: ?1 is the status, ?2 the kind, ?3 the limit (-1 for none).
macro_rules! list_devices {
    ($where:literal) => {
        select_device!(
            $where,
            " ORDER BY status, kind, status_since, serial LIMIT ?3"
        )
    };
}
// `device_status_kind` holds only devices that are not handed out, and SQLite uses it only
// for a query that says so.
pub(crate) const LIST_BY_STATUS_AND_KIND: &str =
    list_devices!("WHERE status = ?1 AND kind = ?2 AND status <> 'handed_out'");
pub(crate) const LIST_BY_STATUS: &str =
    list_devices!("WHERE status = ?1 AND ?2 IS NULL AND status <> 'handed_out'");
const LIST_HANDED_OUT: &str = list_devices!("WHERE status = ?1 AND (?2 IS NULL OR kind = ?2)");
const LIST_BY_KIND: &str = list_devices!("WHERE ?1 IS NULL AND kind = ?2");
const LIST_ALL: &str = list_devices!("WHERE ?1 IS NULL AND ?2 IS NULL");

/// The device's columns (as `from_row` reads them), then its holder's (or NULLs).
macro_rules! select_listed {
    ($from:literal, $where:literal) => {
        concat!(
            "SELECT d.id, d.serial, d.asset_tag, d.kind, d.make, d.model, d.purchased, d.status,
                    d.status_since,
                    p.id, p.employee_no, p.name, p.email, p.department, p.end_date, p.erased_at,
                    p.username, p.manager_id, p.language ",
            $from,
            " WHERE (?1 IS NULL OR d.status = ?1) AND (?2 IS NULL OR d.kind = ?2) ",
            $where,
            " ORDER BY d.status, d.kind, d.status_since, d.serial"
        )
    };
}
const LIST_WITH_HOLDERS: &str = select_listed!(
    "FROM device d
     LEFT JOIN handout h ON h.device_id = d.id AND h.returned_at IS NULL
     LEFT JOIN person p ON p.id = h.person_id",
    "AND ?3 IS NULL"
);
// From the holder's open handouts (`handout_open_per_person`), not a scan of every device.
pub(crate) const LIST_HELD_BY: &str = select_listed!(
    "FROM handout h JOIN device d ON d.id = h.device_id JOIN person p ON p.id = h.person_id",
    "AND h.person_id = ?3 AND h.returned_at IS NULL"
);

impl Devices for Tx<'_> {
    fn update(&self, id: DeviceId, fields: &DeviceFields) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE device SET serial = ?2, asset_tag = ?3, kind = ?4, make = ?5, model = ?6,
                    purchased = ?7
             WHERE id = ?1",
            )?
            .execute(params![
                id.0,
                fields.serial,
                fields.asset_tag,
                fields.kind,
                fields.make,
                fields.model,
                fields.purchased.map(date_to_sql),
            ])?;
        Ok(())
    }

    fn set_status(&self, id: DeviceId, status: Status, since: DateTime<Utc>) -> Result<()> {
        self.conn.prepare_cached(SET_STATUS)?.execute(params![
            id.0,
            status.as_str(),
            moment_to_sql(since)
        ])?;
        Ok(())
    }

    fn get(&self, id: DeviceId) -> Result<Device> {
        Ok(self.conn.prepare_cached(GET)?.query_row([id.0], from_row)?)
    }

    fn by_serial(&self, serial: &str) -> Result<Option<Device>> {
        optional(
            self.conn
                .prepare_cached(BY_SERIAL)?
                .query_row([serial], from_row),
        )
    }

    fn by_asset_tag(&self, asset_tag: &str) -> Result<Option<Device>> {
        optional(
            self.conn
                .prepare_cached(BY_ASSET_TAG)?
                .query_row([asset_tag], from_row),
        )
    }

    fn list(
        &self,
        status: Option<Status>,
        kind: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Vec<Device>> {
        // One statement per combination of filters, not `(?1 IS NULL OR status = ?1)`: SQLite
        // cannot search an index with that, and then every handout's "devices waiting for
        // reuse" check read the whole device table (130 ms on a register of a million).
        let sql = match (status, kind.is_some()) {
            // Most devices are handed out: those are read from the table itself.
            (Some(Status::HandedOut), _) => LIST_HANDED_OUT,
            (Some(_), true) => LIST_BY_STATUS_AND_KIND,
            (Some(_), false) => LIST_BY_STATUS,
            (None, true) => LIST_BY_KIND,
            (None, false) => LIST_ALL,
        };
        let devices = self
            .conn
            .prepare_cached(sql)?
            .query_map(
                params![
                    status.map(Status::as_str),
                    kind,
                    limit.map_or(-1, i64::from)
                ],
                from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(devices)
    }

    fn for_each_search_key(&self, each: &mut dyn FnMut(SearchKeys<'_>)) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, serial, asset_tag, make, model FROM device")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(SearchKeys {
                id: DeviceId(row.get(0)?),
                serial: super::text_at(row, 1)?.unwrap_or_default(),
                asset_tag: super::text_at(row, 2)?,
                make: super::text_at(row, 3)?,
                model: super::text_at(row, 4)?,
            });
        }
        Ok(())
    }

    fn list_with_holders(
        &self,
        status: Option<Status>,
        kind: Option<&str>,
        holder: Option<PersonId>,
    ) -> Result<Vec<ListedDevice>> {
        let sql = match (holder, status) {
            (Some(_), _) => LIST_HELD_BY,
            // Nobody holds a device in any other status: those come from `device_status_kind`
            // through `list`, not from a scan of every device.
            (None, Some(status)) if status != Status::HandedOut => {
                return Ok(self
                    .list(Some(status), kind, None)?
                    .into_iter()
                    .map(|device| ListedDevice {
                        device,
                        holder: None,
                    })
                    .collect());
            }
            (None, _) => LIST_WITH_HOLDERS,
        };
        let devices = self
            .conn
            .prepare_cached(sql)?
            .query_map(
                params![status.map(Status::as_str), kind, holder.map(|p| p.0)],
                |row| {
                    let holder = match row.get::<_, Option<i64>>(9)? {
                        Some(_) => Some(super::people::from_row_at(row, 9)?),
                        None => None,
                    };
                    Ok(ListedDevice {
                        device: from_row(row)?,
                        holder,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(devices)
    }
}

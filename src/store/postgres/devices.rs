//! SQL for the `device` table.

use super::written::Written;
use super::{Tx, get, people, unreadable};
use crate::error::Result;
use crate::model::{Device, DeviceId, ListedDevice, PersonId, Status};
use crate::store::devices::{DeviceFields, Devices, SearchKeys};
use chrono::{DateTime, Utc};
use postgres::Row;

macro_rules! select_device {
    ($($rest:expr),+) => {
        concat!(
            "SELECT d.id, d.serial, d.asset_tag, d.kind, d.make, d.model, d.purchased, \
             d.status, d.status_since FROM device d ",
            $($rest),+
        )
    };
}

/// The order devices are listed in, as SQLite sorts text (by bytes).
const LISTED_ORDER: &str = " ORDER BY d.status COLLATE \"C\", d.kind COLLATE \"C\", \
     d.status_since, d.serial COLLATE \"C\"";

fn from_row(row: &Row) -> Result<Device> {
    Ok(Device {
        id: DeviceId(get(row, 0)?),
        serial: get(row, 1)?,
        asset_tag: get(row, 2)?,
        kind: get(row, 3)?,
        make: get(row, 4)?,
        model: get(row, 5)?,
        purchased: get(row, 6)?,
        status: status_from_sql(get(row, 7)?)?,
        status_since: get(row, 8)?,
    })
}

pub(super) fn status_from_sql(word: &str) -> Result<Status> {
    Status::parse(word).ok_or_else(|| unreadable(format!("unknown device status {word:?}")))
}

pub(super) const INSERT: &str = "INSERT INTO device (serial, asset_tag, kind, make, model, \
     purchased, status, status_since, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::timestamptz, $9::text::timestamptz) \
     RETURNING id";

impl Devices for Tx<'_> {
    fn update(&self, id: DeviceId, fields: &DeviceFields) -> Result<()> {
        self.execute(
            "UPDATE device SET serial = $2, asset_tag = $3, kind = $4, make = $5, model = $6,
                purchased = $7
             WHERE id = $1",
            &[
                &id.0,
                &fields.serial,
                &fields.asset_tag,
                &fields.kind,
                &fields.make,
                &fields.model,
                &fields.purchased,
            ],
        )?;
        self.wrote_device(&fields.serial, fields.asset_tag.as_deref(), id.0)
    }

    fn set_status(&self, id: DeviceId, status: Status, since: DateTime<Utc>) -> Result<()> {
        self.execute(
            "UPDATE device SET status = $2, status_since = $3 WHERE id = $1",
            &[&id.0, &status.as_str(), &since],
        )?;
        Ok(())
    }

    fn get(&self, id: DeviceId) -> Result<Device> {
        from_row(&self.row(select_device!("WHERE d.id = $1"), &[&id.0])?)
    }

    fn by_serial(&self, serial: &str) -> Result<Option<Device>> {
        // While a first load has the index of serials down, the serials it wrote say.
        match self.written_key(|keys| keys.serial(serial)) {
            Written::Nowhere => return Ok(None),
            Written::Perhaps(id) => {
                let device = self.get(DeviceId(id))?;
                if device.serial == serial {
                    return Ok(Some(device));
                }
                // Another serial with the same hash, or one the device had: the table says.
            }
            Written::AmongThese(_) | Written::AskTheTable => {}
        }
        self.optional_row(select_device!("WHERE d.serial = $1"), &[&serial])?
            .map(|row| from_row(&row))
            .transpose()
    }

    fn by_asset_tag(&self, asset_tag: &str) -> Result<Option<Device>> {
        // As for serials; the server's `lower()` compares, on the few rows the key names.
        match self.written_key(|keys| keys.tag(asset_tag)) {
            Written::Nowhere => return Ok(None),
            Written::AmongThese(ids) => {
                return self
                    .optional_row(
                        select_device!("WHERE d.id = ANY($1) AND lower(d.asset_tag) = lower($2)"),
                        &[&ids, &asset_tag],
                    )?
                    .map(|row| from_row(&row))
                    .transpose();
            }
            Written::Perhaps(_) | Written::AskTheTable => {}
        }
        self.optional_row(
            select_device!("WHERE lower(d.asset_tag) = lower($1)"),
            &[&asset_tag],
        )?
        .map(|row| from_row(&row))
        .transpose()
    }

    fn list(
        &self,
        status: Option<Status>,
        kind: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Vec<Device>> {
        // The planner picks `device_status_kind` for the statuses nobody holds by itself:
        // the partial index's condition follows from `status = $1` with a value bound.
        let sql = format!(
            "{} WHERE ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.kind = $2)
             {LISTED_ORDER} LIMIT $3",
            select_device!("")
        );
        self.rows(
            &sql,
            &[&status.map(Status::as_str), &kind, &limit.map(i64::from)],
        )?
        .iter()
        .map(from_row)
        .collect()
    }

    fn for_each_search_key(&self, each: &mut dyn FnMut(SearchKeys<'_>)) -> Result<()> {
        self.each(
            "SELECT id, serial, asset_tag, make, model FROM device",
            &[],
            &mut |row| {
                each(SearchKeys {
                    id: DeviceId(get(row, 0)?),
                    serial: get(row, 1)?,
                    asset_tag: get(row, 2)?,
                    make: get(row, 3)?,
                    model: get(row, 4)?,
                });
                Ok(())
            },
        )
    }

    fn list_with_holders(
        &self,
        status: Option<Status>,
        kind: Option<&str>,
        holder: Option<PersonId>,
    ) -> Result<Vec<ListedDevice>> {
        let from = match holder {
            // From the holder's open handouts, not a scan of every device.
            Some(_) => {
                "FROM handout h JOIN device d ON d.id = h.device_id
                 JOIN person p ON p.id = h.person_id
                 WHERE h.person_id = $3 AND h.returned_at IS NULL"
            }
            None => {
                "FROM device d
                 LEFT JOIN handout h ON h.device_id = d.id AND h.returned_at IS NULL
                 LEFT JOIN person p ON p.id = h.person_id
                 WHERE $3::bigint IS NULL"
            }
        };
        let sql = format!(
            "SELECT d.id, d.serial, d.asset_tag, d.kind, d.make, d.model, d.purchased, d.status,
                    d.status_since, {people} {from}
               AND ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.kind = $2)
             {LISTED_ORDER}",
            people = people::JOINED_COLUMNS,
        );
        self.rows(
            &sql,
            &[&status.map(Status::as_str), &kind, &holder.map(|p| p.0)],
        )?
        .iter()
        .map(|row| {
            let holder = match get::<Option<i64>>(row, 9)? {
                Some(_) => Some(people::from_row_at(row, 9)?),
                None => None,
            };
            Ok(ListedDevice {
                device: from_row(row)?,
                holder,
            })
        })
        .collect()
    }
}

//! Registering, describing and listing devices.

use super::writes::{Stamp, Writes};
use super::{Register, resolve_device, resolve_person};
use crate::error::Result;
use crate::model::{
    Device, DeviceChanges, DeviceDetail, DeviceId, ListedDevice, RegisteredDevice, Status,
    canonical_kind,
};
use crate::refusal::Refusal;
use crate::store::{Transaction, devices::DeviceFields};
use crate::validate::{clean_optional_text, clean_text, normalize_serial};
use chrono::NaiveDate;
use serde::Serialize;

/// Which devices `device list` shows: every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct DeviceFilter {
    pub status: Option<Status>,
    /// A kind in any of the words [`canonical_kind`] knows.
    pub kind: Option<String>,
    /// The person holding them, as any command names a person.
    pub holder: Option<String>,
}

/// A new device, as typed.
#[derive(Debug, Clone, Default)]
pub struct DeviceInput {
    pub serial: String,
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub asset_tag: Option<String>,
    pub purchased: Option<NaiveDate>,
}

/// Changes to a device's description: `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct DeviceEdit {
    pub kind: Option<String>,
    pub make: Option<Option<String>>,
    pub model: Option<Option<String>>,
    pub asset_tag: Option<Option<String>>,
    pub purchased: Option<Option<NaiveDate>>,
}

/// A device after `device edit`, and what changed: `{"field": [before, after]}`.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceEdited {
    pub device: Device,
    pub changed: DeviceChanges,
}

impl DeviceInput {
    /// Validated and normalised fields, ready to store; a purchase date may not be after
    /// `today`.
    pub(crate) fn fields(&self, today: NaiveDate) -> Result<DeviceFields> {
        Ok(DeviceFields {
            serial: normalize_serial(&self.serial)?,
            asset_tag: clean_optional_text("asset tag", self.asset_tag.as_deref())?,
            kind: canonical_kind(&clean_text("kind", &self.kind)?),
            make: clean_optional_text("make", self.make.as_deref())?,
            model: clean_optional_text("model", self.model.as_deref())?,
            purchased: self
                .purchased
                .map(|date| crate::validate::purchase_date(date, today))
                .transpose()?,
        })
    }
}

/// Refuses a serial or asset tag another device already has. A device is named by serial
/// or asset tag, so one device's serial may not be another's asset tag either: the
/// reference would find the wrong one.
pub(crate) fn ensure_unique_device(
    conn: &dyn Transaction,
    fields: &DeviceFields,
    own: Option<DeviceId>,
) -> Result<()> {
    if let Some(other) = conn.devices().by_serial(&fields.serial)?
        && Some(other.id) != own
    {
        return Err(Refusal::SerialRegistered {
            serial: other.serial.clone(),
            device: other.description(),
            status: other.status,
        }
        .into());
    }
    if let Some(other) = conn.devices().by_asset_tag(&fields.serial)?
        && Some(other.id) != own
    {
        return Err(Refusal::SerialIsAnAssetTag {
            serial: fields.serial.clone(),
            of: other.serial,
        }
        .into());
    }
    match &fields.asset_tag {
        Some(tag) => ensure_unique_asset_tag(conn, tag, own),
        None => Ok(()),
    }
}

/// Refuses an asset tag another device already has, as its tag or as its serial.
pub(crate) fn ensure_unique_asset_tag(
    conn: &dyn Transaction,
    tag: &str,
    own: Option<DeviceId>,
) -> Result<()> {
    if let Some(other) = conn.devices().by_asset_tag(tag)?
        && Some(other.id) != own
    {
        return Err(Refusal::AssetTagTaken {
            tag: tag.to_string(),
            of: other.serial,
        }
        .into());
    }
    if let Ok(tag_as_serial) = crate::validate::normalize_serial(tag)
        && let Some(other) = conn.devices().by_serial(&tag_as_serial)?
        && Some(other.id) != own
    {
        return Err(Refusal::AssetTagIsASerial {
            tag: tag.to_string(),
            device: other.description(),
        }
        .into());
    }
    Ok(())
}

/// Registers a device in the given status and writes its event; shared by `device add` and
/// the operations that register a device on the way (`handout`, `replace`, import).
pub(crate) fn register_device(
    w: &Writes<'_>,
    fields: &DeviceFields,
    status: Status,
    since: &Stamp<'_>,
) -> Result<DeviceId> {
    ensure_unique_device(w.tx, fields, None)?;
    w.register_device(fields, status, since, None)
}

/// A device's fields as the event that registers it records them.
pub(crate) fn registered(fields: &DeviceFields) -> RegisteredDevice<'_> {
    RegisteredDevice {
        asset_tag: fields.asset_tag.as_deref(),
        kind: &fields.kind,
        make: fields.make.as_deref(),
        model: fields.model.as_deref(),
    }
}

impl Register {
    pub fn add_device(&mut self, input: &DeviceInput) -> Result<Device> {
        let fields = input.fields(self.today())?;
        self.write(|tx, ctx| {
            let w = Writes::new(tx, ctx)?;
            let id = register_device(&w, &fields, Status::InStock, &w.stamp(ctx.now))?;
            tx.devices().get(id)
        })
    }

    /// The device after the change and what changed, field by field.
    pub fn edit_device(&mut self, reference: &str, edit: &DeviceEdit) -> Result<DeviceEdited> {
        let kind = edit
            .kind
            .as_deref()
            .map(|k| clean_text("kind", k).map(|k| canonical_kind(&k)))
            .transpose()?;
        let optional =
            |field: &str, value: &Option<Option<String>>| -> Result<Option<Option<String>>> {
                value
                    .as_ref()
                    .map(|v| clean_optional_text(field, v.as_deref()))
                    .transpose()
            };
        let make = optional("make", &edit.make)?;
        let model = optional("model", &edit.model)?;
        let asset_tag = optional("asset tag", &edit.asset_tag)?;
        if let Some(Some(date)) = edit.purchased {
            crate::validate::purchase_date(date, self.today())?;
        }
        self.write(|tx, ctx| {
            let device = resolve_device(tx, reference)?;
            let before = DeviceFields::from(&device);
            let after = DeviceFields {
                serial: device.serial.clone(),
                asset_tag: asset_tag.clone().unwrap_or(before.asset_tag.clone()),
                kind: kind.clone().unwrap_or(before.kind.clone()),
                make: make.clone().unwrap_or(before.make.clone()),
                model: model.clone().unwrap_or(before.model.clone()),
                purchased: edit.purchased.unwrap_or(before.purchased),
            };
            ensure_unique_device(tx, &after, Some(device.id))?;
            let Some(changes) = Writes::new(tx, ctx)?.edit_device(&device, &after, None, None)?
            else {
                return Ok(DeviceEdited {
                    device,
                    changed: DeviceChanges::default(),
                });
            };
            Ok(DeviceEdited {
                device: tx.devices().get(device.id)?,
                changed: changes,
            })
        })
    }

    pub fn list_devices(&self, status: Option<Status>, kind: Option<&str>) -> Result<Vec<Device>> {
        let kind = kind.map(canonical_kind);
        self.read(|tx| tx.devices().list(status, kind.as_deref(), None))
    }

    /// Devices with their holders, filtered, in status, kind and waiting order.
    pub fn device_list(&self, filter: &DeviceFilter) -> Result<Vec<ListedDevice>> {
        self.read(|conn| {
            let holder = filter
                .holder
                .as_deref()
                .map(|reference| resolve_person(conn, reference))
                .transpose()?;
            let kind = filter.kind.as_deref().map(canonical_kind);
            conn.devices()
                .list_with_holders(filter.status, kind.as_deref(), holder.map(|p| p.id))
        })
    }

    /// Devices waiting in stock for reuse, longest waiting first.
    pub fn stock(&self, kind: Option<&str>) -> Result<Vec<Device>> {
        self.list_devices(Some(Status::InStock), kind)
    }

    pub fn device_detail(&self, reference: &str) -> Result<DeviceDetail> {
        self.read(|conn| {
            let device = resolve_device(conn, reference)?;
            let holder = conn
                .handouts()
                .open_for_device(device.id)?
                .map(|h| conn.people().get(h.person_id))
                .transpose()?;
            let history = conn.events().for_device(device.id)?;
            Ok(DeviceDetail {
                device,
                holder,
                history,
            })
        })
    }
}

/// Each field that differs, `[before, after]`.
pub(crate) fn device_changes(before: &DeviceFields, after: &DeviceFields) -> DeviceChanges {
    fn pair<T: PartialEq + Clone>(before: &T, after: &T) -> Option<[T; 2]> {
        (before != after).then(|| [before.clone(), after.clone()])
    }
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    DeviceChanges {
        asset_tag: pair(&before.asset_tag, &after.asset_tag),
        kind: pair(&before.kind, &after.kind),
        make: pair(&before.make, &after.make),
        model: pair(&before.model, &after.model),
        purchased: (before.purchased != after.purchased)
            .then(|| [date(before.purchased), date(after.purchased)]),
    }
}

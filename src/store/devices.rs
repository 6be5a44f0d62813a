//! Devices: the seam's view of the `device` aggregate.

use crate::error::Result;
use crate::model::{Device, DeviceId, ListedDevice, PersonId, Status};
use chrono::{DateTime, NaiveDate, Utc};

/// A device's descriptive fields as they are written (status is changed separately).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceFields {
    pub serial: String,
    pub asset_tag: Option<String>,
    pub kind: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub purchased: Option<NaiveDate>,
}
/// What a device is searched by, borrowed from its row.
pub struct SearchKeys<'a> {
    pub id: DeviceId,
    pub serial: &'a str,
    pub asset_tag: Option<&'a str>,
    pub make: Option<&'a str>,
    pub model: Option<&'a str>,
}

pub trait Devices {
    fn update(&self, id: DeviceId, fields: &DeviceFields) -> Result<()>;

    fn set_status(&self, id: DeviceId, status: Status, since: DateTime<Utc>) -> Result<()>;

    fn get(&self, id: DeviceId) -> Result<Device>;

    /// `serial` must already be normalised.
    fn by_serial(&self, serial: &str) -> Result<Option<Device>>;

    fn by_asset_tag(&self, asset_tag: &str) -> Result<Option<Device>>;

    /// Devices filtered by status and kind, longest in their status first.
    fn list(
        &self,
        status: Option<Status>,
        kind: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Vec<Device>>;

    /// Calls `each` with the keys a search scores of every device, borrowed from the row (a
    /// search reads them all, and builds a [`Device`] only for the best).
    fn for_each_search_key(&self, each: &mut dyn FnMut(SearchKeys<'_>)) -> Result<()>;

    /// `device list`: devices with their holders, filtered by status, kind and holder, in the
    /// order of [`Devices::list`]. ?1 is the status, ?2 the kind, ?3 the holder's id (NULL for any).
    fn list_with_holders(
        &self,
        status: Option<Status>,
        kind: Option<&str>,
        holder: Option<PersonId>,
    ) -> Result<Vec<ListedDevice>>;
}

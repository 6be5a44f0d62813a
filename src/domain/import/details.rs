//! The details of the events an import writes, serialised straight to JSON text: the
//! common events of an import, hundreds of thousands of them, need no `serde_json::Value`
//! each. Each struct writes the text the operations' `serde_json::Value` details write,
//! byte for byte.

use crate::store::devices::DeviceFields;
use chrono::NaiveDate;
use serde::Serialize;

/// `"import": {"file": …, "line": …}`, in every event an import writes.
#[derive(Serialize)]
pub(super) struct ImportRef<'a> {
    pub(super) file: &'a str,
    pub(super) line: u64,
}

/// The details of a `person_added` event.
#[derive(Serialize)]
pub(super) struct OnlyImport<'a> {
    pub(super) import: ImportRef<'a>,
}

/// A device's fields as [`device_event_details`] writes them. The fields of these structs
/// are in alphabetical order, as a `serde_json::Value` writes its keys, so the text is the
/// same byte for byte.
#[derive(Serialize)]
pub(super) struct RegisteredDevice<'a> {
    pub(super) asset_tag: Option<&'a str>,
    pub(super) kind: &'a str,
    pub(super) make: Option<&'a str>,
    pub(super) model: Option<&'a str>,
}

impl<'a> RegisteredDevice<'a> {
    pub(super) fn of(fields: &'a DeviceFields) -> Self {
        RegisteredDevice {
            asset_tag: fields.asset_tag.as_deref(),
            kind: &fields.kind,
            make: fields.make.as_deref(),
            model: fields.model.as_deref(),
        }
    }
}

/// The details of a `device_added` event: the device's fields and the import.
#[derive(Serialize)]
pub(super) struct DeviceAddedDetails<'a> {
    pub(super) asset_tag: Option<&'a str>,
    pub(super) import: ImportRef<'a>,
    pub(super) kind: &'a str,
    pub(super) make: Option<&'a str>,
    pub(super) model: Option<&'a str>,
}

impl<'a> DeviceAddedDetails<'a> {
    pub(super) fn of(fields: &'a DeviceFields, import: ImportRef<'a>) -> Self {
        DeviceAddedDetails {
            asset_tag: fields.asset_tag.as_deref(),
            import,
            kind: &fields.kind,
            make: fields.make.as_deref(),
            model: fields.model.as_deref(),
        }
    }
}

/// The details of a `handed_out` or `transferred` event.
#[derive(Serialize)]
pub(super) struct HandoutDetails<'a> {
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_text")]
    pub(super) due_back: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) from_handout: Option<i64>,
    pub(super) import: ImportRef<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) registered: Option<RegisteredDevice<'a>>,
}

/// A date as its `to_string()`, without the string.
pub(super) fn date_text<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

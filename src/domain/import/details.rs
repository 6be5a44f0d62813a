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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::devices::device_event_details;
    use serde_json::json;

    /// The details written without a `serde_json::Value` are the very text the `Value`
    /// wrote before.
    #[test]
    fn event_details_are_the_same_text_as_from_a_value() {
        let fields = DeviceFields {
            serial: "SN1".into(),
            asset_tag: Some("INV \"1\"".into()),
            kind: "laptop".into(),
            make: None,
            model: Some("Latitude 5440".into()),
            purchased: None,
        };
        let import = |line| ImportRef {
            file: "utlämnat; \\ \"2024\".csv",
            line,
        };
        let file = import(0).file;
        let mut old = device_event_details(&fields);
        old["import"] = json!({ "file": file, "line": 7 });
        let new = DeviceAddedDetails::of(&fields, import(7));
        assert_eq!(serde_json::to_string(&new).unwrap(), old.to_string());

        let old = json!({ "import": { "file": file, "line": 8 } });
        let new = OnlyImport { import: import(8) };
        assert_eq!(serde_json::to_string(&new).unwrap(), old.to_string());

        let due = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
        for (registered, due, follows, note) in [
            (true, Some(due), Some(41), Some("laddare\nsaknas")),
            (false, None, None, None),
            (true, None, None, None),
            (false, Some(due), Some(3), None),
        ] {
            let mut old = json!({});
            if let Some(previous) = follows {
                old["from_handout"] = json!(previous);
            }
            if registered {
                old["registered"] = device_event_details(&fields);
            }
            if let Some(due) = due {
                old["due_back"] = json!(due.to_string());
            }
            if let Some(note) = note {
                old["note"] = json!(note);
            }
            old["import"] = json!({ "file": file, "line": 9 });
            let new = HandoutDetails {
                due_back: due,
                from_handout: follows,
                import: import(9),
                note,
                registered: registered.then(|| RegisteredDevice::of(&fields)),
            };
            assert_eq!(serde_json::to_string(&new).unwrap(), old.to_string());
        }
    }
}

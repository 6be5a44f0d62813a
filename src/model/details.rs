//! The details of an audit event (`event.details`): one typed value that every operation
//! and the import fill in, written straight to JSON text.
//!
//! The stored text is what `export events` and `device show` give back, and what registers
//! written by earlier versions hold: its keys are in alphabetical order and a key with
//! nothing to say is left out (a registered device's unknown make, say, is `null`, as it
//! always was). That order is this file's, not the serialiser's: serde writes a struct's
//! fields in the order they are declared, and they are declared alphabetically here
//! (`tests::keys_are_in_alphabetical_order` holds it). No `serde_json::Value` is built on
//! the way, which matters to an import writing a million events.

use super::{Condition, HandoutId, ReplaceReason, Route, Status};
use chrono::NaiveDate;
use serde::Serialize;

/// What an event's details may say. Each kind of event sets its own few fields (see the
/// constructors and `tests::each_kind_of_event_writes_its_text`); the rest stay `None` and
/// are not written.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventDetails<'a> {
    /// `device_added`: the device's asset tag, `null` when it has none (see
    /// [`EventDetails::device_added`], which sets it with `kind`, `make` and `model`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_tag: Option<Option<&'a str>>,
    /// `person_edited`, `leave_recorded`: the names of the fields that changed;
    /// `device_edited`, `status_changed`: each changed field's value before and after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed: Option<Changed<'a>>,
    /// `returned`: the state the device came back in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// `corrected`: what the handout's record was and is, and why it was corrected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<Corrected<'a>>,
    /// `handed_out`, `transferred`: when the device is due back.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_text")]
    pub due_back: Option<NaiveDate>,
    /// `person_edited`, `leave_recorded`: the serials whose due date followed the person's
    /// last working day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_back_set: Option<&'a [&'a str]>,
    /// A status move (`lost`, `found`, `routed`, …, and the import's `status_changed`): the
    /// status the device left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Status>,
    /// `transferred`: the handout this one continues.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "handout_id")]
    pub from_handout: Option<HandoutId>,
    /// Every event an import writes: the file and the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportRef<'a>>,
    /// `device_added`, with `asset_tag`, `make` and `model`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Option<&'a str>>,
    /// The note given with a handout, a return, a replacement or a status move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    /// `replaced`, and the `handed_out` of the replacement: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReplaceReason>,
    /// `handed_out` of a device registered on the way: its fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered: Option<RegisteredDevice<'a>>,
    /// `replaced`: the serial of the new device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<&'a str>,
    /// The `handed_out` of a replacement: the serial of the old device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<&'a str>,
    /// `returned`, `replaced`: where the device went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
    /// `left_by_sync`: the list or directory the sync read, and what in it made a leaver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<LeaveCause>,
}

/// What in HR's list or the directory made someone a leaver (`left_by_sync`). The
/// snake_case words are the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveCause {
    /// In the register, and no longer in the list or directory.
    NotInSource,
    /// The list gives a last working day, or says the employment has ended.
    EndedInList,
    /// The directory account is disabled.
    AccountDisabled,
    /// The directory account expires (or has expired).
    AccountExpires,
}

impl LeaveCause {
    pub fn as_str(self) -> &'static str {
        match self {
            LeaveCause::NotInSource => "not_in_source",
            LeaveCause::EndedInList => "ended_in_list",
            LeaveCause::AccountDisabled => "account_disabled",
            LeaveCause::AccountExpires => "account_expires",
        }
    }
}

impl<'a> EventDetails<'a> {
    /// Nothing to say (`{}`): a person added or erased, a handout of a known device.
    pub fn none() -> Self {
        EventDetails::default()
    }

    /// `device_added`: the new device's fields, each written even when unknown (`null`).
    pub fn device_added(device: RegisteredDevice<'a>) -> Self {
        EventDetails {
            asset_tag: Some(device.asset_tag),
            kind: Some(device.kind),
            make: Some(device.make),
            model: Some(device.model),
            ..EventDetails::default()
        }
    }

    /// `person_edited`, `leave_recorded`: which fields changed, and whose due dates followed.
    pub fn person_changed(fields: &'a [&'a str], due_back_set: &'a [&'a str]) -> Self {
        EventDetails {
            changed: Some(Changed::Fields(fields)),
            due_back_set: Some(due_back_set),
            ..EventDetails::default()
        }
    }

    /// `device_edited`: each changed field, before and after.
    pub fn device_changed(changes: &'a DeviceChanges) -> Self {
        EventDetails {
            changed: Some(Changed::Values(changes)),
            ..EventDetails::default()
        }
    }

    /// A status move: where the device came from, and the note.
    pub fn status_move(from: Status, note: Option<&'a str>) -> Self {
        EventDetails {
            from: Some(from),
            note,
            ..EventDetails::default()
        }
    }

    /// `left_by_sync`: the last working day learned from `source`, and whose due dates
    /// followed it.
    pub fn left_by_sync(
        source: &'a str,
        cause: LeaveCause,
        fields: &'a [&'a str],
        due_back_set: &'a [&'a str],
    ) -> Self {
        EventDetails {
            source: Some(source),
            cause: Some(cause),
            ..EventDetails::person_changed(fields, due_back_set)
        }
    }

    /// These details with the import's file and line.
    pub fn imported(self, import: ImportRef<'a>) -> Self {
        EventDetails {
            import: Some(import),
            ..self
        }
    }

    /// The JSON text as stored. Only strings, numbers and words, written into memory: it
    /// does not fail, but the store says so if it ever did.
    pub fn to_text(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }

    /// Appends the JSON text as stored to `buffer`, which an import keeps from event to
    /// event.
    pub fn write_to(&self, buffer: &mut Vec<u8>) -> serde_json::Result<()> {
        serde_json::to_writer(buffer, self)
    }
}

/// A handout's record corrected: each corrected value `[was, is]`, and the reason given.
/// The holders by their ids: a person's name and numbers live in the person table alone.
/// Alphabetical, as [`EventDetails`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Corrected<'a> {
    /// The moment the handout began, as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handed_out_at: Option<[String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<[i64; 2]>,
    pub reason: &'a str,
}

/// What changed in an edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Changed<'a> {
    /// A person's fields, by name alone: the values are personal data, which lives in the
    /// person table only, so that it can be erased.
    Fields(&'a [&'a str]),
    /// A device's fields, each `[before, after]`.
    Values(&'a DeviceChanges),
}

/// A device's fields that an edit changed, each `[before, after]` (`null` for a value not
/// known): `{"model": ["Latitude 7440", "Latitude 5440"]}`. Also what `device edit`
/// answers with. Alphabetical, as [`EventDetails`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_tag: Option<[Option<String>; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<[String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<[Option<String>; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<[Option<String>; 2]>,
    /// As `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchased: Option<[Option<String>; 2]>,
}

impl DeviceChanges {
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// The names of the fields that changed, in alphabetical order.
    pub fn fields(&self) -> Vec<&'static str> {
        [
            ("asset_tag", self.asset_tag.is_some()),
            ("kind", self.kind.is_some()),
            ("make", self.make.is_some()),
            ("model", self.model.is_some()),
            ("purchased", self.purchased.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect()
    }
}

/// `"import": {"file": …, "line": …}`, in every event an import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportRef<'a> {
    pub file: &'a str,
    pub line: u64,
}

/// A device's fields as its registration records them, `null` for those not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RegisteredDevice<'a> {
    pub asset_tag: Option<&'a str>,
    pub kind: &'a str,
    pub make: Option<&'a str>,
    pub model: Option<&'a str>,
}

/// A date as its `to_string()` (`YYYY-MM-DD`), without the string.
fn date_text<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.collect_str(date),
        None => s.serialize_none(),
    }
}

fn handout_id<S: serde::Serializer>(id: &Option<HandoutId>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_i64(id.0),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const DEVICE: RegisteredDevice<'static> = RegisteredDevice {
        asset_tag: Some("INV \"1\""),
        kind: "laptop",
        make: None,
        model: Some("Latitude 5440"),
    };

    const IMPORT: ImportRef<'static> = ImportRef {
        file: "utlämnat; \\ \"2024\".csv",
        line: 7,
    };

    /// An object's keys in the order the text has them, whatever a `Value` would do.
    struct KeysInOrder(Vec<String>);

    impl<'de> serde::Deserialize<'de> for KeysInOrder {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Keys;
            impl<'de> serde::de::Visitor<'de> for Keys {
                type Value = KeysInOrder;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<M: serde::de::MapAccess<'de>>(
                    self,
                    mut map: M,
                ) -> Result<KeysInOrder, M::Error> {
                    let mut keys = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        keys.push(key);
                    }
                    Ok(KeysInOrder(keys))
                }
            }
            d.deserialize_map(Keys)
        }
    }

    fn due() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    /// Every field set at once: the keys come out in alphabetical order, as registers
    /// written by earlier versions (through a `serde_json::Value`, whose map is sorted)
    /// have them, and as a `Value` of this text still writes them.
    #[test]
    fn keys_are_in_alphabetical_order() {
        let changes = DeviceChanges {
            asset_tag: Some([None, Some("T".into())]),
            kind: Some(["phone".into(), "tablet".into()]),
            make: Some([Some("A".into()), None]),
            model: Some([None, None]),
            purchased: Some([Some("2024-01-01".into()), Some("2024-02-02".into())]),
        };
        let all = EventDetails {
            changed: Some(Changed::Values(&changes)),
            condition: Some(Condition::Damaged),
            corrected: Some(Corrected {
                handed_out_at: Some(["a".into(), "b".into()]),
                holder: Some([1, 2]),
                reason: "r",
            }),
            due_back: Some(due()),
            due_back_set: Some(&["S1"]),
            from: Some(Status::InRepair),
            from_handout: Some(HandoutId(41)),
            import: Some(IMPORT),
            note: Some("n"),
            reason: Some(ReplaceReason::WornOut),
            registered: Some(DEVICE),
            replaced_by: Some("NEW"),
            replaces: Some("OLD"),
            route: Some(Route::Repair),
            ..EventDetails::device_added(DEVICE)
        };
        let text = all.to_text().unwrap();
        let KeysInOrder(keys) = serde_json::from_str(&text).unwrap();
        assert_eq!(keys.len(), 18, "every field is set: {text}");
        assert!(keys.is_sorted(), "{keys:?}");
        // And so a `Value`, which sorts its keys at every depth, writes the same text.
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value.to_string(), text);
        assert_eq!(
            serde_json::to_string(&changes).unwrap(),
            r#"{"asset_tag":[null,"T"],"kind":["phone","tablet"],"make":["A",null],"model":[null,null],"purchased":["2024-01-01","2024-02-02"]}"#
        );
    }

    /// The text each kind of event stores, pinned: these are the bytes registers hold.
    #[rstest]
    #[case::nothing(EventDetails::none(), "{}")]
    #[case::person_added_by_an_import(
        EventDetails::none().imported(IMPORT),
        r#"{"import":{"file":"utlämnat; \\ \"2024\".csv","line":7}}"#
    )]
    #[case::person_edited(
        EventDetails::person_changed(&["department", "end_date"], &["SN1", "SN2"]),
        r#"{"changed":["department","end_date"],"due_back_set":["SN1","SN2"]}"#
    )]
    #[case::leave_recorded_again(
        EventDetails::person_changed(&[], &[]),
        r#"{"changed":[],"due_back_set":[]}"#
    )]
    #[case::device_added(
        EventDetails::device_added(DEVICE),
        r#"{"asset_tag":"INV \"1\"","kind":"laptop","make":null,"model":"Latitude 5440"}"#
    )]
    #[case::device_added_by_an_import(
        EventDetails::device_added(DEVICE).imported(IMPORT),
        r#"{"asset_tag":"INV \"1\"","import":{"file":"utlämnat; \\ \"2024\".csv","line":7},"kind":"laptop","make":null,"model":"Latitude 5440"}"#
    )]
    #[case::handed_out(
        EventDetails { due_back: Some(due()), note: Some("laddare\nsaknas"), ..EventDetails::none() },
        r#"{"due_back":"2025-03-01","note":"laddare\nsaknas"}"#
    )]
    #[case::handed_out_registered(
        EventDetails { registered: Some(DEVICE), ..EventDetails::none() },
        r#"{"registered":{"asset_tag":"INV \"1\"","kind":"laptop","make":null,"model":"Latitude 5440"}}"#
    )]
    #[case::handed_out_by_an_import(
        EventDetails { due_back: Some(due()), note: Some("n"), registered: Some(DEVICE), import: Some(IMPORT), ..EventDetails::none() },
        r#"{"due_back":"2025-03-01","import":{"file":"utlämnat; \\ \"2024\".csv","line":7},"note":"n","registered":{"asset_tag":"INV \"1\"","kind":"laptop","make":null,"model":"Latitude 5440"}}"#
    )]
    #[case::handed_out_replacing(
        EventDetails { due_back: Some(due()), reason: Some(ReplaceReason::WornOut), registered: Some(DEVICE), replaces: Some("OLD"), ..EventDetails::none() },
        r#"{"due_back":"2025-03-01","reason":"worn-out","registered":{"asset_tag":"INV \"1\"","kind":"laptop","make":null,"model":"Latitude 5440"},"replaces":"OLD"}"#
    )]
    #[case::transferred(
        EventDetails { from_handout: Some(HandoutId(3)), note: Some("över"), ..EventDetails::none() },
        r#"{"from_handout":3,"note":"över"}"#
    )]
    #[case::transferred_by_an_import(
        EventDetails { due_back: Some(due()), from_handout: Some(HandoutId(3)), import: Some(IMPORT), ..EventDetails::none() },
        r#"{"due_back":"2025-03-01","from_handout":3,"import":{"file":"utlämnat; \\ \"2024\".csv","line":7}}"#
    )]
    #[case::returned(
        EventDetails { condition: Some(Condition::Ok), note: Some("n"), route: Some(Route::Recycle), ..EventDetails::none() },
        r#"{"condition":"ok","note":"n","route":"recycle"}"#
    )]
    #[case::replaced(
        EventDetails { note: Some("n"), reason: Some(ReplaceReason::Upgrade), replaced_by: Some("NEW"), route: Some(Route::Repair), ..EventDetails::none() },
        r#"{"note":"n","reason":"upgrade","replaced_by":"NEW","route":"repair"}"#
    )]
    #[case::lost(
        EventDetails::status_move(Status::HandedOut, Some("tåget")),
        r#"{"from":"handed_out","note":"tåget"}"#
    )]
    #[case::corrected(
        EventDetails {
            corrected: Some(Corrected {
                handed_out_at: Some(["2024-03-05T11:00:00Z".into(), "2024-03-01T11:00:00Z".into()]),
                holder: Some([3, 4]),
                reason: "fel datum i listan",
            }),
            ..EventDetails::none()
        },
        r#"{"corrected":{"handed_out_at":["2024-03-05T11:00:00Z","2024-03-01T11:00:00Z"],"holder":[3,4],"reason":"fel datum i listan"}}"#
    )]
    #[case::recycled(
        EventDetails::status_move(Status::ToRecycle, None),
        r#"{"from":"to_recycle"}"#
    )]
    fn each_kind_of_event_writes_its_text(#[case] details: EventDetails<'_>, #[case] text: &str) {
        assert_eq!(details.to_text().unwrap(), text);
        // The same text a `serde_json::Value` of it writes, keys sorted.
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(value.to_string(), text);
    }

    #[test]
    fn device_changes_write_their_text() {
        let edited = DeviceChanges {
            kind: Some(["phone".into(), "tablet".into()]),
            make: Some([None, Some("Apple".into())]),
            ..DeviceChanges::default()
        };
        assert_eq!(edited.fields(), ["kind", "make"]);
        assert_eq!(
            EventDetails::device_changed(&edited).to_text().unwrap(),
            r#"{"changed":{"kind":["phone","tablet"],"make":[null,"Apple"]}}"#
        );
        let status_changed = EventDetails {
            from: Some(Status::InStock),
            ..EventDetails::device_changed(&edited).imported(IMPORT)
        };
        assert_eq!(
            status_changed.to_text().unwrap(),
            r#"{"changed":{"kind":["phone","tablet"],"make":[null,"Apple"]},"from":"in_stock","import":{"file":"utlämnat; \\ \"2024\".csv","line":7}}"#
        );
        assert!(DeviceChanges::default().is_empty());
        assert_eq!(
            EventDetails::device_changed(&DeviceChanges::default())
                .to_text()
                .unwrap(),
            r#"{"changed":{}}"#
        );
    }
}

//! The serials and asset tags a first load wrote, while their unique indexes are down.
//!
//! Every new device's serial and asset tag went into those indexes one at a time, in no
//! order (they are random), which made the device table the costliest of a large import:
//! measured on 100 000 rows, `COPY device` took 1.4 s with both, 0.7 s without the serials'
//! and 0.4 s without either. A first load builds them once at the end instead
//! ([`super::bulk`]), sorted, and checks every key unique there. Meanwhile a look-up by
//! either (a device the file names again, or a key the import's filter could not rule out)
//! would read the whole table, so the keys written are kept here, by hash: the register was
//! empty when the load began, so a key not here is on no device, and one that is names the
//! device to read by its id and compare.
//!
//! Asset tags compare without case, by the server's `lower()`, which follows the
//! database's locale and collation provider: no fold here is sure to match it. So tags are
//! kept by a key `lower()` cannot change ([`tag_key`]), under which every tag `lower()` finds
//! equal has the same key, and the server compares the few devices that share one.

use foldhash::fast::FixedState;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Keys by hash, each with its device's id: sixteen bytes a device, where the keys
/// themselves would take three times that.
type ByHash = HashMap<u64, i64, FixedState>;

/// Devices whose tags share a key beyond which the tags' index is made again: the server
/// compares them all on each look-up, and a list whose tags are mostly letters (names of
/// rooms, say) would make that a scan.
const MOST_SHARING_A_KEY: usize = 64;

pub(super) struct WrittenKeys {
    serials: ByHash,
    /// `None` once the asset tags' index is back (or was never taken away).
    tags: Option<WrittenTags>,
}

struct WrittenTags {
    /// The first device with each [`tag_key`], by its hash.
    first: ByHash,
    /// The devices after the first whose tags share a key.
    more: HashMap<u64, Vec<i64>, FixedState>,
    /// The statement that makes the tags' index again.
    make_index: String,
}

/// What [`WrittenKeys`] says of a key.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Written {
    /// No device has it.
    Nowhere,
    /// The device with this id may have it: two serials may share a hash, and a device's
    /// serial may have changed since, so the device's own serial says.
    Perhaps(i64),
    /// Only these devices may have the tag: the server compares their tags with it.
    AmongThese(Vec<i64>),
    /// Not kept here: the table's index says.
    AskTheTable,
}

impl WrittenKeys {
    /// Keeps serials, and asset tags too when their index was taken away (`make_tag_index`
    /// makes it again).
    pub(super) fn new(make_tag_index: Option<String>) -> WrittenKeys {
        WrittenKeys {
            serials: ByHash::default(),
            tags: make_tag_index.map(|make_index| WrittenTags {
                first: ByHash::default(),
                more: HashMap::default(),
                make_index,
            }),
        }
    }

    /// Notes that `device` has `serial` and `tag` now. Returns the statement that makes the
    /// tags' index again when too many tags share this one's key to keep them here.
    #[must_use = "the tags' index must be made again when the statement is given"]
    pub(super) fn add(&mut self, serial: &str, tag: Option<&str>, device: i64) -> Option<String> {
        self.serials.insert(hash(serial), device);
        let (Some(tags), Some(tag)) = (&mut self.tags, tag) else {
            return None;
        };
        let key = hash(&tag_key(tag));
        let Some(first) = tags.first.get(&key) else {
            tags.first.insert(key, device);
            return None;
        };
        if *first == device {
            return None;
        }
        let more = tags.more.entry(key).or_default();
        if !more.contains(&device) {
            more.push(device);
        }
        if more.len() < MOST_SHARING_A_KEY {
            return None;
        }
        self.tags.take().map(|tags| tags.make_index)
    }

    pub(super) fn serial(&self, serial: &str) -> Written {
        match self.serials.get(&hash(serial)) {
            Some(device) => Written::Perhaps(*device),
            None => Written::Nowhere,
        }
    }

    pub(super) fn tag(&self, tag: &str) -> Written {
        let Some(tags) = &self.tags else {
            return Written::AskTheTable;
        };
        let key = hash(&tag_key(tag));
        let Some(first) = tags.first.get(&key) else {
            return Written::Nowhere;
        };
        let mut devices = vec![*first];
        devices.extend(tags.more.get(&key).into_iter().flatten());
        Written::AmongThese(devices)
    }

    /// The statement that makes the asset tags' index again, if it is still away: at the
    /// end of the load.
    pub(super) fn take_tag_index(&mut self) -> Option<String> {
        self.tags.take().map(|tags| tags.make_index)
    }
}

/// A tag's key, the same for every tag `lower()` finds equal to it, in any locale and with
/// any collation provider: ASCII digits, punctuation and spaces as they are (`lower()`
/// changes none of them, and makes none of them out of anything else), and each run of
/// anything else as one `*` (a letter may become another, or two: `İ` becomes `i̇` in ICU).
fn tag_key(tag: &str) -> String {
    let mut key = String::with_capacity(tag.len());
    for c in tag.chars() {
        if c.is_ascii() && !c.is_ascii_alphabetic() {
            key.push(c);
        } else if !key.ends_with('*') {
            key.push('*');
        }
    }
    key
}

fn hash(key: &str) -> u64 {
    FixedState::default().hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_written_names_its_device_and_one_never_written_none() {
        let mut written = WrittenKeys::new(Some("CREATE UNIQUE INDEX …".into()));
        assert_eq!(written.add("AF00000000", Some("IT-0001"), 7), None);
        assert_eq!(written.add("SI017WDRQT", None, 8), None);
        assert_eq!(written.serial("AF00000000"), Written::Perhaps(7));
        assert_eq!(written.serial("SI017WDRQT"), Written::Perhaps(8));
        assert_eq!(written.serial("af00000000"), Written::Nowhere);
        assert_eq!(written.tag("it-0001"), Written::AmongThese(vec![7]));
        assert_eq!(written.tag("IT-0002"), Written::Nowhere);
    }

    #[test]
    fn tags_that_may_be_equal_share_a_key_and_the_server_tells_them_apart() {
        for (a, b) in [
            ("IT-0001", "it-0001"),
            ("ÄO-12", "äo-12"),
            ("ÄO-12", "FF-12"),
            ("İX 7", "i\u{307}x 7"),
            ("\u{212A}-1", "k-1"),
            ("Rum Ⅳ:2", "rum ⅳ:2"),
        ] {
            assert_eq!(tag_key(a), tag_key(b), "{a} {b}");
        }
        assert_ne!(tag_key("IT-0001"), tag_key("IT-0002"));
        assert_ne!(tag_key("IT-0001"), tag_key("IT 0001"));
        let mut written = WrittenKeys::new(Some("make it".into()));
        assert_eq!(written.add("A1", Some("ÄO-12"), 1), None);
        assert_eq!(written.add("A2", Some("FF-12"), 2), None);
        assert_eq!(written.tag("äo-12"), Written::AmongThese(vec![1, 2]));
    }

    #[test]
    fn too_many_tags_sharing_a_key_bring_the_index_back() {
        let mut written = WrittenKeys::new(Some("make it".into()));
        let mut made = None;
        for device in 0..=MOST_SHARING_A_KEY as i64 {
            made = made.or(written.add(
                &format!("S{device}"),
                Some(&format!("Rum {}", "x".repeat(device as usize + 1))),
                device,
            ));
            if made.is_some() {
                assert_eq!(device, MOST_SHARING_A_KEY as i64);
            }
        }
        assert_eq!(made.as_deref(), Some("make it"));
        assert_eq!(written.tag("Rum 1"), Written::AskTheTable);
        assert_eq!(written.take_tag_index(), None);
        assert_eq!(written.serial("S3"), Written::Perhaps(3));
    }

    #[test]
    fn without_the_tags_index_taken_away_only_serials_are_kept() {
        let mut written = WrittenKeys::new(None);
        assert_eq!(written.add("AF00000000", Some("IT-0001"), 7), None);
        assert_eq!(written.tag("IT-0001"), Written::AskTheTable);
        assert_eq!(written.take_tag_index(), None);
    }
}

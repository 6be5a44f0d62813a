//! The serials a first load wrote, while the unique index of serials is down.
//!
//! Every new device's serial went into that index one at a time, in no order (serials are
//! random), which made the device table the costliest of a large import: measured on
//! 100 000 rows, `COPY device` took 1.4 s with it and 0.7 s without. A first load builds
//! it once at the end instead ([`super::bulk`]), sorted, and checks every serial unique
//! there. Meanwhile a look-up by serial (a serial the file repeats, or one the import's
//! filter could not rule out) would read the whole table, so the serials written are kept
//! here, by hash: the register was empty when the load began, so a serial not here is in
//! no device, and one that is here names the device to read by its id.

use foldhash::fast::FixedState;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Each serial written, by its hash, with its device's id: sixteen bytes a device, where
/// the serials themselves would take three times that.
#[derive(Default)]
pub(super) struct WrittenSerials(HashMap<u64, i64, FixedState>);

/// What [`WrittenSerials`] says of a serial.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Written {
    /// No device has it.
    Nowhere,
    /// The device with this id may have it: two serials may share a hash, and a device's
    /// serial may have changed since, so the device's own serial says.
    Perhaps(i64),
}

impl WrittenSerials {
    pub(super) fn add(&mut self, serial: &str, device: i64) {
        self.0.insert(hash(serial), device);
    }

    pub(super) fn find(&self, serial: &str) -> Written {
        match self.0.get(&hash(serial)) {
            Some(device) => Written::Perhaps(*device),
            None => Written::Nowhere,
        }
    }
}

fn hash(serial: &str) -> u64 {
    FixedState::default().hash_one(serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serial_written_names_its_device_and_one_never_written_none() {
        let mut written = WrittenSerials::default();
        written.add("AF00000000", 7);
        written.add("SI017WDRQT", 8);
        assert_eq!(written.find("AF00000000"), Written::Perhaps(7));
        assert_eq!(written.find("SI017WDRQT"), Written::Perhaps(8));
        assert_eq!(written.find("af00000000"), Written::Nowhere);
        assert_eq!(written.find(""), Written::Nowhere);
    }
}

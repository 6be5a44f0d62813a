//! Which serials, asset tags, employee numbers, e-mail addresses and names a register may
//! already hold, kept in memory while a large list is bulk-loaded.
//!
//! Most rows of a large list name a device and often a person the register has never seen,
//! and finding that out took four device look-ups and up to three person look-ups a row: a
//! fifth of the import. A Bloom filter answers "certainly not there" from memory (a few bytes
//! a key), so only the rows it cannot rule out are looked up. It never says "not there" of a
//! key that is: every key is folded so that the values SQL would find equal (an asset tag
//! in another case, `COLLATE NOCASE`) fold to the same text.

use crate::store::bulk::KeyColumn;
use crate::store::people::name_key;
use fastbloom::BloomFilter;
use foldhash::fast::FixedState;
use std::hash::BuildHasher;

/// A look-up a row may need, by the value it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lookup {
    /// A serial or an asset tag: one is checked against the other, so they share one space.
    Device,
    EmployeeNo,
    Email,
    /// A person's name, compared by [`name_key`].
    Name,
    /// The name of someone without an employee number: the only namesakes a row with a
    /// number looks for.
    NameWithoutNumber,
}

impl Lookup {
    fn of(column: KeyColumn) -> Lookup {
        match column {
            KeyColumn::Serial | KeyColumn::AssetTag => Lookup::Device,
            KeyColumn::EmployeeNo => Lookup::EmployeeNo,
            KeyColumn::Email => Lookup::Email,
            KeyColumn::NameKey => Lookup::Name,
            KeyColumn::NameKeyWithoutNumber => Lookup::NameWithoutNumber,
        }
    }
}

/// A key folded and hashed, ready to test or add: computed where a row is read (the
/// reading thread), so that the writer only looks at the filter's bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHash(u64);

impl KeyHash {
    /// The key of `value` for `lookup` (a name as written, not its key).
    pub fn of(lookup: Lookup, value: &str) -> KeyHash {
        let mut folded = match lookup {
            Lookup::Name | Lookup::NameWithoutNumber => name_key(value),
            _ => value.to_string(),
        };
        // ASCII upper case covers SQL's `NOCASE` (asset tags, e-mail addresses) and changes
        // nothing that compares exactly; names are compared by their key.
        folded.make_ascii_uppercase();
        KeyHash::of_folded(lookup, &folded)
    }

    fn of_folded(lookup: Lookup, folded: &str) -> KeyHash {
        // With foldhash rather than the default SipHash: no one chooses these keys to
        // collide. A fixed seed, as the keys are hashed on one thread and tested on another.
        KeyHash(FixedState::with_seed(0).hash_one((lookup, folded)))
    }
}

/// The keys a register may hold; see the module documentation.
pub struct KnownKeys {
    filter: BloomFilter,
}

/// One in a hundred keys that are not there is looked up anyway.
const FALSE_POSITIVES: f64 = 0.01;

impl KnownKeys {
    /// Room for about `expected` keys; more still work, with more needless look-ups.
    pub fn with_room_for(expected: u64) -> KnownKeys {
        let expected = usize::try_from(expected.max(1)).unwrap_or(usize::MAX);
        KnownKeys {
            filter: BloomFilter::with_false_pos(FALSE_POSITIVES).expected_items(expected),
        }
    }

    pub fn add(&mut self, key: KeyHash) {
        self.filter.insert_hash(key.0);
    }

    /// Adds a key from the register's columns ([`crate::store::bulk::for_each_key`]).
    pub fn add_stored(&mut self, column: KeyColumn, value: &str) {
        let key = match column {
            // Already a name key: folding it again would not change it, but costs.
            KeyColumn::NameKey | KeyColumn::NameKeyWithoutNumber => {
                KeyHash::of_folded(Lookup::of(column), &value.to_ascii_uppercase())
            }
            _ => KeyHash::of(Lookup::of(column), value),
        };
        self.add(key);
    }

    /// False when no key the register holds can match: the look-up would find nothing.
    /// True when one might.
    pub fn may_hold(&self, key: KeyHash) -> bool {
        self.filter.contains_hash(key.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_equal_to_sql_are_found_in_every_spelling() {
        let mut keys = KnownKeys::with_room_for(10);
        keys.add(KeyHash::of(Lookup::Device, "INV-0042"));
        keys.add(KeyHash::of(Lookup::Email, "Asa.Oberg@Kommun.se"));
        keys.add(KeyHash::of(Lookup::Name, "Åsa  Öberg"));
        keys.add_stored(KeyColumn::NameKey, &name_key("Maria Olsson"));
        assert!(keys.may_hold(KeyHash::of(Lookup::Device, "inv-0042")));
        assert!(keys.may_hold(KeyHash::of(Lookup::Email, "asa.oberg@kommun.se")));
        assert!(keys.may_hold(KeyHash::of(Lookup::Name, "åsa öberg")));
        assert!(keys.may_hold(KeyHash::of(Lookup::Name, " MARIA   olsson ")));
        // A serial is another lookup's key only where the lookup says so.
        assert!(!keys.may_hold(KeyHash::of(Lookup::EmployeeNo, "INV-0042")));
    }

    #[test]
    fn an_empty_register_holds_nothing() {
        let keys = KnownKeys::with_room_for(0);
        assert!(!keys.may_hold(KeyHash::of(Lookup::Device, "C02XK1JHJG5H")));
        assert!(!keys.may_hold(KeyHash::of(Lookup::Name, "Åsa Öberg")));
    }

    proptest! {
        /// Never a false "not there", however many keys and however small the filter.
        #[test]
        fn every_added_key_is_held(
            values in proptest::collection::vec("[a-zA-Z0-9åäöÅÄÖ@. -]{1,20}", 1..200),
            room in 1u64..50,
        ) {
            let mut keys = KnownKeys::with_room_for(room);
            for value in &values {
                keys.add(KeyHash::of(Lookup::Device, value));
                keys.add(KeyHash::of(Lookup::Name, value));
            }
            for value in &values {
                let device = KeyHash::of(Lookup::Device, &value.to_ascii_lowercase());
                prop_assert!(keys.may_hold(device));
                prop_assert!(keys.may_hold(KeyHash::of(Lookup::Name, &value.to_uppercase())));
            }
        }
    }
}

//! The bulk-load decision and the register's keys, as the domain sees them. Whether a list
//! is large enough, beside the register, to write with the deferrable indexes dropped and
//! rebuilt at the end (the store does the dropping: [`store::bulk`]), and the Bloom filter
//! of the keys the register holds, which lets most new rows skip their look-ups.

use crate::domain::known_keys::KnownKeys;
use crate::error::Result;
use crate::import::ListKind;
use crate::store::Transaction;
use crate::store::bulk::DeferredIndexes;

/// Lists of this size and more (some 30 000 rows of a typical export) are bulk-loaded: the
/// secondary indexes no row's look-up needs are dropped inside the import's transaction and
/// created again just before it commits (see [`store::bulk`]).
pub const BULK_MIN_BYTES: u64 = 4 << 20;

/// Whether to bulk-load a file of `file_bytes` into a register of `events` events. Building
/// an index costs the whole table; keeping it up to date costs the new rows. So a list
/// brings the indexes down only when it is large and adds at least about half as many rows
/// as the register has (a list row is about 130 bytes and writes one or two events).
pub(super) fn bulk_load(file_bytes: u64, min_bytes: u64, events: u64) -> bool {
    file_bytes >= min_bytes && file_bytes / 64 >= events
}

/// Whether reading the register's `keys` up front costs less than the look-ups of a file of
/// `file_bytes` would, when each look-up is a round trip to a server: a row (some 130 bytes)
/// looks up its person and device in a few of them, some hundred times what reading one key
/// costs in a stream.
fn key_filter_pays(file_bytes: u64, keys: u64) -> bool {
    file_bytes / 130 * 100 >= keys
}

/// The keys of the register, with room for those a file of `file_bytes` may add: a row is
/// some 130 bytes and adds at most two device keys and three person keys.
pub(super) fn known_keys(tx: &dyn Transaction, file_bytes: u64) -> Result<KnownKeys> {
    let room = tx.bulk().key_count()? + file_bytes / 130 * 5;
    let mut known = KnownKeys::with_room_for(room);
    tx.bulk()
        .for_each_key(&mut |column, value| known.add_stored(column, value))?;
    Ok(known)
}

/// What a bulk load changes for one import; both `None` when the list is not bulk-loaded.
pub(super) struct BulkLoad {
    /// The indexes dropped, to build again before the commit.
    pub(super) deferred: Option<DeferredIndexes>,
    /// The keys the register holds, for rows to skip the look-ups they cannot need.
    pub(super) known: Option<KnownKeys>,
}

impl BulkLoad {
    /// Decides whether a `kind` list of `file_bytes` is bulk-loaded and, if it is, drops
    /// the deferrable indexes inside `tx` and gathers the register's keys.
    pub(super) fn begin(
        tx: &dyn Transaction,
        kind: ListKind,
        file_bytes: u64,
        min_bytes: u64,
    ) -> Result<BulkLoad> {
        if !bulk_load(file_bytes, min_bytes, tx.bulk().event_count()?) {
            // On a server the filter pays for itself long before the indexes are worth
            // rebuilding (which a server never does: see `store::postgres::bulk`).
            let filter = tx.bulk().lookups_are_round_trips()
                && key_filter_pays(file_bytes, tx.bulk().key_count()?);
            return Ok(BulkLoad {
                deferred: None,
                known: filter.then(|| known_keys(tx, file_bytes)).transpose()?,
            });
        }
        let deferred = tx.bulk().defer_indexes(kind == ListKind::Devices)?;
        Ok(BulkLoad {
            deferred: Some(deferred),
            known: Some(known_keys(tx, file_bytes)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_loading_is_for_large_lists_into_smaller_registers() {
        assert!(!bulk_load(BULK_MIN_BYTES - 1, BULK_MIN_BYTES, 0));
        assert!(bulk_load(BULK_MIN_BYTES, BULK_MIN_BYTES, 0));
        assert!(bulk_load(64_000_000, BULK_MIN_BYTES, 1_000_000));
        assert!(!bulk_load(64_000_000, BULK_MIN_BYTES, 1_000_001));
    }

    #[test]
    fn on_a_server_the_filter_pays_for_a_list_of_a_hundredth_of_the_keys() {
        // 10 000 rows into an empty register, and into one of three million keys.
        assert!(key_filter_pays(1_300_000, 0));
        assert!(!key_filter_pays(1_300_000, 3_000_000));
        assert!(key_filter_pays(1_300_000, 1_000_000));
    }
}

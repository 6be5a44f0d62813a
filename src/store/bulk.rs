//! Bulk loading, for large imports: what the register already holds, to tell new rows
//! from known ones without a look-up each, and indexes built once at the end.

use crate::error::Result;

/// A column whose values an import looks people and devices up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyColumn {
    Serial,
    AssetTag,
    EmployeeNo,
    Email,
    /// `person.name_key` (see [`crate::store::people::name_key`]).
    NameKey,
    /// `person.name_key` of someone without an employee number.
    NameKeyWithoutNumber,
}

/// The secondary indexes every large list fills row by row: a bulk load builds them at the
/// end instead.
pub const DEFERRABLE_INDEXES: &[&str] = &[
    "handout_device",
    "handout_person",
    "event_device",
    "event_person",
    "person_department",
];

/// The partial index of devices nobody holds, which only a stock list's rows enter in
/// numbers: deferred for stock lists alone. Building an index reads its whole table even
/// when no row enters it, while keeping up to date one that a list's rows never enter costs
/// nothing. The other partial indexes are never deferred: an import returns a handout only
/// when it moves a device to someone else, and few people on a list have a last day.
pub const DEVICES_IN_STOCK: &str = "device_status_kind";

/// What [`Bulk::defer_indexes`] dropped: the statements that make it again, in the order they
/// run (indexes in schema order; on PostgreSQL the foreign keys after them).
#[derive(Debug, Default)]
#[must_use = "the dropped indexes must be built again before the transaction commits"]
pub struct DeferredIndexes(pub(in crate::store) Vec<String>);

pub trait Bulk {
    /// About how many events the register holds (the highest id: events are never deleted), to
    /// weigh rebuilding the indexes against keeping them up to date.
    fn event_count(&self) -> Result<u64>;

    /// Calls `visit` with every serial, asset tag, employee number, e-mail address and name key
    /// in the register, so that a bulk load can tell most new rows from known ones without a
    /// look-up each.
    fn for_each_key(&self, visit: &mut dyn FnMut(KeyColumn, &str)) -> Result<()>;

    /// How many devices and people the register holds, to size what [`Bulk::for_each_key`] fills.
    fn key_count(&self) -> Result<u64>;

    /// Whether a look-up costs a round trip to a server, which makes the register's keys
    /// worth reading up front for far smaller lists than when it costs a few microseconds
    /// in the process.
    fn lookups_are_round_trips(&self) -> bool;

    /// Drops the secondary indexes a large list fills row by row (and, for a `stock_list`,
    /// the index of devices in stock), inside the caller's transaction, and returns what
    /// [`Bulk::rebuild_indexes`] needs to create them again. A store may drop less, or
    /// nothing, where dropping would keep others out (see `store::postgres::bulk`).
    fn defer_indexes(&self, stock_list: bool) -> Result<DeferredIndexes>;

    /// Creates the indexes [`Bulk::defer_indexes`] dropped, from their own definitions, with a
    /// smaller page cache (the caller restores its own afterwards).
    fn rebuild_indexes(&self, deferred: DeferredIndexes) -> Result<()>;
}

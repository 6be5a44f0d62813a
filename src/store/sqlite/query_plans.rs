//! Every hot query finds its rows through an index: looking up one person or device costs
//! the same in a register of a million handouts as in one of ten thousand. `bench/run`
//! measures that; this test keeps it from regressing without timing anything.

use super::{SCHEMA, devices, events, followup, handouts, people};
use crate::store::bulk::Bulk;
use rusqlite::Connection;

/// The look-ups of one person's holdings and history beyond those an import's rows make
/// ([`IMPORT_ROW_QUERIES`]); together they are every hot query.
const LOOKUP_QUERIES: &[(&str, &str)] = &[
    // A handout of a new device names the devices of its kind waiting for reuse.
    (
        "devices::list (stock of a kind)",
        devices::LIST_BY_STATUS_AND_KIND,
    ),
    ("devices::list (by status)", devices::LIST_BY_STATUS),
    (
        "devices::list_with_holders (held by)",
        devices::LIST_HELD_BY,
    ),
    ("followup::stock_by_kind", followup::STOCK_BY_KIND),
    ("handouts::held_items", handouts::HELD_ITEMS),
    ("handouts::last_returned_at", handouts::LAST_RETURNED_AT),
    ("events::for_device", events::FOR_DEVICE),
    ("events::for_person", events::FOR_PERSON),
];

/// The plan's steps, e.g. `SEARCH h USING INDEX handout_open_per_person (person_id=?)`.
fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    // The plan does not depend on the values: bind NULL to every parameter.
    let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
    stmt.query_map(rusqlite::params_from_iter(nulls), |row| {
        row.get::<_, String>(3)
    })
    .unwrap()
    .collect::<rusqlite::Result<Vec<_>>>()
    .unwrap()
}

/// A full scan of a table: `SCAN handout` (or of its alias, `SCAN h`), as opposed to a scan
/// of an index or a `SEARCH`.
fn is_full_scan(step: &str) -> bool {
    step.starts_with("SCAN ") && !step.contains(" INDEX ")
}

/// `name: step` for every full table scan in the plans of `queries`.
fn full_scans<'a>(
    conn: &Connection,
    queries: impl Iterator<Item = &'a (&'a str, &'a str)>,
) -> Vec<String> {
    let mut scans = Vec::new();
    for (name, sql) in queries {
        let steps = plan(conn, sql);
        assert!(!steps.is_empty(), "{name}: no plan");
        for step in steps.iter().filter(|s| is_full_scan(s)) {
            scans.push(format!("{name}: {step}"));
        }
    }
    scans
}

#[test]
fn every_hot_query_uses_an_index() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let scans = full_scans(&conn, IMPORT_ROW_QUERIES.iter().chain(LOOKUP_QUERIES));
    assert!(scans.is_empty(), "full table scans:\n{}", scans.join("\n"));
}

/// The follow-up's lost and stolen devices come from the index of the events that left a
/// device missing, not from the whole audit trail.
#[test]
fn missing_devices_are_read_from_the_index_of_events_that_left_them_missing() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let steps = plan(&conn, &followup::missing_sql());
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("SEARCH event USING INDEX event_missing")),
        "{steps:?}"
    );
}

#[test]
fn a_full_scan_is_recognised() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let steps = plan(&conn, "SELECT * FROM handout h WHERE h.note = ?1");
    assert!(steps.iter().any(|s| is_full_scan(s)), "{steps:?}");
    let steps = plan(&conn, handouts::OPEN_FOR_DEVICE);
    assert!(!steps.iter().any(|s| is_full_scan(s)), "{steps:?}");
}

/// What an import's rows look up, also while `bulk` has its deferrable indexes dropped:
/// matching people and devices, the uniqueness checks, the open handouts of a device or a
/// person. The same functions serve the command line's look-ups.
const IMPORT_ROW_QUERIES: &[(&str, &str)] = &[
    ("people::get", people::GET),
    ("people::by_employee_no", people::BY_EMPLOYEE_NO),
    ("people::by_email", people::BY_EMAIL),
    ("people::by_username", people::BY_USERNAME),
    ("people::by_name", people::BY_NAME),
    (
        "people::by_name_without_number",
        people::BY_NAME_WITHOUT_NUMBER,
    ),
    ("devices::get", devices::GET),
    ("devices::by_serial", devices::BY_SERIAL),
    ("devices::by_asset_tag", devices::BY_ASSET_TAG),
    ("devices::set_status", devices::SET_STATUS),
    ("handouts::open_for_device", handouts::OPEN_FOR_DEVICE),
    ("handouts::open_for_person", handouts::OPEN_FOR_PERSON),
    ("handouts::close", handouts::CLOSE),
];

#[test]
fn an_import_row_uses_an_index_while_the_deferrable_ones_are_dropped() {
    let mut conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let tx = conn.transaction().unwrap();
    let deferred = super::Tx { conn: &tx }.defer_indexes(true).unwrap();
    let scans = full_scans(&tx, IMPORT_ROW_QUERIES.iter());
    super::Tx { conn: &tx }.rebuild_indexes(deferred).unwrap();
    assert!(scans.is_empty(), "full table scans:\n{}", scans.join("\n"));
}

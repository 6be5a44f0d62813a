//! A bulk load's new rows, held back and written with `COPY … FROM STDIN` a few thousand at a
//! time instead of one `INSERT` round trip each: an import of a million handouts writes some
//! four million rows. Ids come from the tables' own sequences, a block at a time, so the
//! domain still learns each row's id as it adds it. A block is taken in one step, the
//! sequence moved on past it (`setval`), which is safe because every write holds the
//! register's write lock: no other handback takes ids meanwhile, and anyone else's insert
//! would meet the primary key rather than share an id. Taking them one `nextval` each cost
//! 0.6 s of a 100 000-row import.
//!
//! Held rows are written before anything else runs in the transaction (every statement goes
//! through [`super::Tx::prepared`], which writes them first), and before the commit, so a
//! query never misses a row the load has added. They are written parents first (people,
//! devices, handouts, events), so every reference points at a row already there.

use std::ops::Range;

/// How many rows a table holds back before they are all written.
pub(super) const FLUSH_ROWS: usize = 20_000;

/// How many ids are taken from a sequence at first; each block after is twice the last, up
/// to [`LARGEST_ID_BLOCK`], so a large load takes few and a small one leaves few unused
/// (an id a load did not use is never used: a gap, as a rolled-back insert leaves).
const FIRST_ID_BLOCK: i64 = 2_000;
const LARGEST_ID_BLOCK: i64 = 256_000;

/// The tables a load adds rows to, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Person,
    Device,
    Handout,
    Event,
}

impl Table {
    const ALL: [Table; 4] = [Table::Person, Table::Device, Table::Handout, Table::Event];

    fn name(self) -> &'static str {
        match self {
            Table::Person => "person",
            Table::Device => "device",
            Table::Handout => "handout",
            Table::Event => "event",
        }
    }

    fn copy_sql(self) -> &'static str {
        match self {
            Table::Person => {
                "COPY person (id, employee_no, name, name_key, email, department, end_date, \
                 created_at, username, manager_id, language) FROM STDIN"
            }
            Table::Device => {
                "COPY device (id, serial, asset_tag, kind, make, model, purchased, status, \
                 status_since, created_at) FROM STDIN"
            }
            Table::Handout => {
                "COPY handout (id, device_id, person_id, handed_out_at, handed_out_by, due_back, \
                 note, follows_id, own_due_back) FROM STDIN"
            }
            Table::Event => {
                "COPY event (id, at, recorded_at, actor, action, device_id, person_id, \
                 handout_id, status_after, details) FROM STDIN"
            }
        }
    }

    /// The statement that takes a block of `$1` ids from the table's sequence and returns
    /// the last of them.
    pub(super) fn ids_sql(self) -> String {
        let sequence = format!("pg_get_serial_sequence('{}', 'id')", self.name());
        format!("SELECT setval({sequence}, nextval({sequence}) + $1 - 1)")
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One table's held rows, in COPY's text format.
#[derive(Default)]
struct Held {
    data: String,
    rows: usize,
    /// The ids taken and not yet given to a row.
    ids: Range<i64>,
    /// The size of the last block of ids taken; 0 before the first.
    last_block: i64,
}

/// Every table's held rows.
#[derive(Default)]
pub(super) struct Pending {
    tables: [Held; 4],
    /// How many times a few rows only were written because a statement came: a load that
    /// looks up nearly every row (a list the register mostly knows) gains nothing by holding
    /// rows back, and writes them one `INSERT` each instead once this passes
    /// [`SMALL_WRITES`].
    small_writes: u32,
}

/// Rows written at once below which a write counts as small.
const SMALL_WRITE_ROWS: usize = 100;
/// Small writes after which rows are no longer held back.
const SMALL_WRITES: u32 = 20;

/// A row being written into a table's held text, field by field.
pub(super) struct RowWriter<'p> {
    data: &'p mut String,
    first: bool,
}

impl RowWriter<'_> {
    /// A field; `None` is NULL.
    pub(super) fn field(&mut self, value: Option<&str>) -> &mut Self {
        if !self.first {
            self.data.push('\t');
        }
        self.first = false;
        match value {
            None => self.data.push_str("\\N"),
            Some(text) => push_escaped(self.data, text),
        }
        self
    }

    pub(super) fn int(&mut self, value: Option<i64>) -> &mut Self {
        self.field(value.map(|n| n.to_string()).as_deref())
    }

    pub(super) fn date(&mut self, value: Option<chrono::NaiveDate>) -> &mut Self {
        self.field(value.map(|d| d.format("%Y-%m-%d").to_string()).as_deref())
    }
}

impl Drop for RowWriter<'_> {
    fn drop(&mut self) {
        self.data.push('\n');
    }
}

/// Text as COPY's text format reads it: backslash, tab, newline and carriage return escaped.
pub(super) fn push_escaped(out: &mut String, text: &str) {
    // Searched for bytewise, many at a time: an event's details run to hundreds of
    // characters, and `str::contains` with a set of characters took a tenth of a large
    // import's time in the process, one character at a time.
    let bytes = text.as_bytes();
    if memchr::memchr3(b'\\', b'\t', b'\n', bytes).is_none()
        && memchr::memchr(b'\r', bytes).is_none()
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

impl Pending {
    /// The next id of `table`, if one is in hand; else the caller fetches a block
    /// ([`Table::ids_sql`]) and gives it with [`Pending::add_block`].
    pub(super) fn next_id(&mut self, table: Table) -> Option<i64> {
        self.tables[table.index()].ids.next()
    }

    /// How many ids to take for `table` next.
    pub(super) fn next_block(&self, table: Table) -> i64 {
        let last = self.tables[table.index()].last_block;
        (last * 2).clamp(FIRST_ID_BLOCK, LARGEST_ID_BLOCK)
    }

    /// A block of `size` ids was taken for `table`, the last of them `last`: they are
    /// handed out next (taken when those in hand ran out).
    pub(super) fn add_block(&mut self, table: Table, size: i64, last: i64) {
        let held = &mut self.tables[table.index()];
        held.ids = last - size + 1..last + 1;
        held.last_block = size;
    }

    /// A new row of `table`: its fields are written through the writer, in the order of the
    /// table's `COPY` column list.
    pub(super) fn row(&mut self, table: Table) -> RowWriter<'_> {
        let held = &mut self.tables[table.index()];
        held.rows += 1;
        RowWriter {
            data: &mut held.data,
            first: true,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.tables.iter().all(|held| held.rows == 0)
    }

    /// Whether a table holds enough rows back to write them all now.
    pub(super) fn is_full(&self) -> bool {
        self.tables.iter().any(|held| held.rows >= FLUSH_ROWS)
    }

    /// Whether new rows are still held back (see [`Pending::small_writes`]).
    pub(super) fn holding(&self) -> bool {
        self.small_writes < SMALL_WRITES
    }

    /// Takes the held rows, parents first: each table's `COPY` statement and its text.
    pub(super) fn take(&mut self) -> Vec<(&'static str, String)> {
        let rows: usize = self.tables.iter().map(|held| held.rows).sum();
        if rows < SMALL_WRITE_ROWS {
            self.small_writes += 1;
        }
        Table::ALL
            .into_iter()
            .filter_map(|table| {
                let held = &mut self.tables[table.index()];
                if held.rows == 0 {
                    return None;
                }
                held.rows = 0;
                Some((table.copy_sql(), std::mem::take(&mut held.data)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_held_as_copy_text_and_taken_parents_first() {
        let mut pending = Pending::default();
        pending
            .row(Table::Event)
            .int(Some(7))
            .field(Some("a\tb\\c"));
        pending
            .row(Table::Person)
            .int(Some(1))
            .field(None)
            .date(None);
        assert!(!pending.is_empty());
        let taken = pending.take();
        assert_eq!(taken.len(), 2);
        assert!(taken[0].0.starts_with("COPY person"));
        assert_eq!(taken[0].1, "1\t\\N\t\\N\n");
        assert_eq!(taken[1].1, "7\ta\\tb\\\\c\n");
        assert!(pending.is_empty());
    }

    #[test]
    fn every_character_copy_reads_specially_is_escaped_and_the_rest_kept() {
        for (text, escaped) in [
            ("Skärm 27\"", "Skärm 27\""),
            ("a\rb\nc", "a\\rb\\nc"),
            ("\\ och\tflik", "\\\\ och\\tflik"),
            ("", ""),
        ] {
            let mut out = String::new();
            push_escaped(&mut out, text);
            assert_eq!(out, escaped, "{text:?}");
        }
    }

    #[test]
    fn blocks_of_ids_grow_to_the_largest_and_are_handed_out_in_order() {
        let mut pending = Pending::default();
        assert_eq!(pending.next_block(Table::Event), FIRST_ID_BLOCK);
        pending.add_block(Table::Event, 3, 12);
        assert_eq!(pending.next_id(Table::Event), Some(10));
        assert_eq!(pending.next_id(Table::Event), Some(11));
        assert_eq!(pending.next_id(Table::Event), Some(12));
        assert_eq!(pending.next_id(Table::Event), None);
        assert_eq!(pending.next_id(Table::Person), None);
        pending.add_block(Table::Event, FIRST_ID_BLOCK * 4, 1_000_000);
        assert_eq!(pending.next_block(Table::Event), FIRST_ID_BLOCK * 8);
        pending.add_block(Table::Event, LARGEST_ID_BLOCK, 2_000_000);
        assert_eq!(pending.next_block(Table::Event), LARGEST_ID_BLOCK);
    }

    #[test]
    fn a_load_that_writes_a_few_rows_at_a_time_stops_holding_them() {
        let mut pending = Pending::default();
        for _ in 0..SMALL_WRITES {
            assert!(pending.holding());
            pending.row(Table::Device).int(Some(1));
            pending.take();
        }
        assert!(!pending.holding());
    }
}

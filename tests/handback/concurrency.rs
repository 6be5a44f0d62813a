//! Several technicians at once: eight handback processes (32 on PostgreSQL, the store for many
//! sites) hand out, take back, replace and transfer devices from one shared pool in one
//! register. No command may fail with "database is locked" or a serialization failure, no
//! change may be lost, and no device may end up with two holders.

use crate::common::Scratch;
use std::collections::HashMap;
use std::time::Instant;

/// Commands all workers run together.
const COMMANDS: usize = 2000;

/// Processes writing at once: 8 on one file, 32 on a database server.
fn workers(s: &Scratch) -> usize {
    if s.on_postgres() { 32 } else { 8 }
}
const DEVICES: usize = 10;
const PEOPLE: usize = 5;

/// A tiny deterministic generator (xorshift64*): each worker's sequence of commands is the
/// same on every run, only their interleaving differs.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> XorShift {
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

fn serial(i: usize) -> String {
    format!("POOL-{i:02}")
}

fn person(i: usize) -> String {
    format!("70{i:02}")
}

/// What one worker saw: how many events its successful commands wrote, and what it was
/// refused.
#[derive(Default)]
struct Tally {
    events: i64,
    succeeded: usize,
    refused: usize,
    handouts: i64,
}

fn worker(s: &Scratch, seed: u64, commands: usize) -> Tally {
    let mut rng = XorShift::new(seed);
    let mut tally = Tally::default();
    for _ in 0..commands {
        let device = serial(rng.below(DEVICES));
        let (args, events, handouts): (Vec<String>, i64, i64) = match rng.below(4) {
            0 => (
                vec![
                    "handout".into(),
                    device,
                    "--to".into(),
                    person(rng.below(PEOPLE)),
                ],
                1,
                1,
            ),
            1 => (vec!["return".into(), device], 1, 0),
            // Ends one handout and opens another, with one event.
            2 => (
                vec![
                    "transfer".into(),
                    device,
                    "--to".into(),
                    person(rng.below(PEOPLE)),
                ],
                1,
                1,
            ),
            _ => (
                vec![
                    "replace".into(),
                    device,
                    "--with".into(),
                    serial(rng.below(DEVICES)),
                ],
                2,
                1,
            ),
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = s.run(&args);
        match run.code {
            0 => {
                tally.succeeded += 1;
                tally.events += events;
                tally.handouts += handouts;
            }
            1 => {
                let lower = run.stderr.to_lowercase();
                assert!(
                    !lower.contains("locked") && !lower.contains("busy"),
                    "{args:?} hit a lock instead of waiting its turn:\n{}",
                    run.stderr
                );
                assert!(
                    run.stderr.contains("POOL-"),
                    "{args:?} was refused without naming the device:\n{}",
                    run.stderr
                );
                tally.refused += 1;
            }
            code => panic!("{args:?} exited {code}:\n{}", run.stderr),
        }
    }
    tally
}

#[test]
fn technicians_at_once_lose_nothing_and_never_share_a_device() {
    let s = Scratch::new();
    for i in 0..PEOPLE {
        s.ok(&[
            "person",
            "add",
            &person(i),
            "--name",
            &format!("Tekniker {i}"),
        ]);
    }
    for i in 0..DEVICES {
        s.ok(&["device", "add", &serial(i), "--kind", "laptop"]);
    }
    let events_before = s.count("SELECT count(*) FROM event");

    let (workers, commands) = (workers(&s), COMMANDS / workers(&s));
    let started = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|w| {
                let s = &s;
                scope.spawn(move || worker(s, w as u64 + 1, commands))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a worker thread"))
            .collect()
    });
    let elapsed = started.elapsed();
    let succeeded: usize = tallies.iter().map(|t| t.succeeded).sum();
    let refused: usize = tallies.iter().map(|t| t.refused).sum();
    let events: i64 = tallies.iter().map(|t| t.events).sum();
    let handouts: i64 = tallies.iter().map(|t| t.handouts).sum();
    eprintln!(
        "{workers} processes × {commands} commands in {elapsed:.1?}: {succeeded} changes, \
         {refused} refusals, {:.0} commands/s",
        (workers * commands) as f64 / elapsed.as_secs_f64()
    );
    assert!(
        succeeded > workers,
        "the workload should mostly change things"
    );

    // No update lost: one event per device changed by each successful command.
    assert_eq!(
        s.count("SELECT count(*) FROM event") - events_before,
        events
    );
    assert_eq!(s.count("SELECT count(*) FROM handout"), handouts);

    // Nobody shares a device, and the holder and status follow from the history.
    assert_eq!(
        s.count(
            "SELECT count(*) FROM (SELECT device_id FROM handout WHERE returned_at IS NULL
             GROUP BY device_id HAVING count(*) > 1) AS shared"
        ),
        0
    );
    // Rows as `a|b|c` text, the same query on either store.
    let rows = |sql: &str| -> Vec<Vec<String>> {
        s.texts(sql)
            .iter()
            .map(|row| row.split('|').map(str::to_string).collect())
            .collect()
    };
    let mut replayed: HashMap<String, (String, String)> = HashMap::new();
    for row in rows(
        "SELECT CAST(device_id AS TEXT) || '|' || action || '|'
                || coalesce(CAST(person_id AS TEXT), '') || '|' || coalesce(status_after, '')
         FROM event WHERE device_id IS NOT NULL ORDER BY id",
    ) {
        let entry = replayed.entry(row[0].clone()).or_default();
        entry.0 = match row[1].as_str() {
            "handed_out" | "transferred" => row[2].clone(),
            _ => String::new(),
        };
        if !row[3].is_empty() {
            entry.1 = row[3].clone();
        }
    }
    for row in rows(
        "SELECT CAST(d.id AS TEXT) || '|' || d.status || '|'
                || coalesce(CAST(h.person_id AS TEXT), '')
         FROM device d LEFT JOIN handout h ON h.device_id = d.id AND h.returned_at IS NULL",
    ) {
        let (device, status, holder) = (&row[0], &row[1], &row[2]);
        let (replayed_holder, replayed_status) = &replayed[device];
        assert_eq!(status, replayed_status, "device {device}: status");
        assert_eq!(holder, replayed_holder, "device {device}: holder");
        assert_eq!(
            status == "handed_out",
            !holder.is_empty(),
            "device {device}: handed out exactly when someone holds it"
        );
    }
    // handback's own check agrees.
    s.ok(&["check"]);
}

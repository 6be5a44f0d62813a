//! Keeping the register safe: `check` finds every kind of damage and names the device,
//! never touching the file it looks at; `backup` makes a checked, private copy while others
//! write; `person forget` leaves no trace of the erased values in the register's files.

use crate::common::Scratch;
use rstest::rstest;
use std::path::Path;

/// Two people holding one device each, and one device in stock.
fn desk() -> Scratch {
    let s = Scratch::new();
    s.ok(&["person", "add", "1001", "--name", "Åsa Öberg"]);
    s.ok(&["person", "add", "4471", "--name", "Maria Olsson"]);
    s.ok(&["device", "add", "HELD-A", "--kind", "laptop"]);
    s.ok(&["device", "add", "HELD-B", "--kind", "phone"]);
    s.ok(&["device", "add", "SPARE-C", "--kind", "laptop"]);
    s.ok(&["handout", "HELD-A", "--to", "1001"]);
    s.ok(&["handout", "HELD-B", "--to", "4471"]);
    s
}

#[test]
fn a_sound_register_passes_its_check_with_a_summary() {
    let s = desk();
    s.ok(&["return", "HELD-B"]);
    s.ok(&["lost", "SPARE-C"]);
    let out = s.ok(&["check"]);
    assert_eq!(
        out, "ok: 2 people, 3 devices (1 handed out), 9 events\n",
        "{out}"
    );
}

#[rstest]
#[case::handed_out_but_nobody_holds_it(
    "UPDATE handout SET returned_at = '2099-01-01T00:00:00Z', end_reason = 'returned'
     WHERE device_id = (SELECT id FROM device WHERE serial = 'HELD-A')",
    "HELD-A is handed out, but nobody holds it"
)]
#[case::held_while_lost(
    "UPDATE device SET status = 'lost' WHERE serial = 'HELD-A'",
    "HELD-A is lost, but it is still handed out to Åsa Öberg (1001)"
)]
#[case::held_while_recycled(
    "UPDATE device SET status = 'recycled' WHERE serial = 'HELD-B'",
    "HELD-B is recycled, but it is still handed out to Maria Olsson (4471)"
)]
#[case::held_while_in_stock(
    "INSERT INTO handout (device_id, person_id, handed_out_at, handed_out_by)
     SELECT d.id, p.id, '2025-01-01T00:00:00Z', 'x' FROM device d, person p
     WHERE d.serial = 'SPARE-C' AND p.employee_no = '4471'",
    "SPARE-C is in stock, but it is still handed out to Maria Olsson (4471)"
)]
#[case::two_holders(
    "DROP INDEX handout_open_per_device;
     INSERT INTO handout (device_id, person_id, handed_out_at, handed_out_by)
     SELECT d.id, p.id, '2025-01-01T00:00:00Z', 'x' FROM device d, person p
     WHERE d.serial = 'HELD-A' AND p.employee_no = '4471'",
    "HELD-A is handed out 2 times at once"
)]
#[case::status_not_in_history(
    "UPDATE device SET status = 'in_repair' WHERE serial = 'SPARE-C'",
    "SPARE-C is in repair, but its history says in stock"
)]
#[case::holder_not_in_history(
    "UPDATE handout SET person_id = (SELECT id FROM person WHERE employee_no = '4471')
     WHERE device_id = (SELECT id FROM device WHERE serial = 'HELD-A')",
    "HELD-A is held by Maria Olsson (4471), but its history says Åsa Öberg (1001)"
)]
#[case::history_deleted(
    "DROP TRIGGER event_no_delete;
     DELETE FROM event WHERE id = (SELECT max(id) FROM event
         WHERE device_id = (SELECT id FROM device WHERE serial = 'HELD-B'))",
    "HELD-B is held by Maria Olsson (4471), but its history says nobody"
)]
#[case::holder_missing(
    "PRAGMA foreign_keys = OFF;
     UPDATE handout SET person_id = 999
     WHERE device_id = (SELECT id FROM device WHERE serial = 'HELD-B')",
    "HELD-B is held by person #999, but its history says Maria Olsson (4471)"
)]
#[case::dangling_reference(
    "PRAGMA foreign_keys = OFF;
     INSERT INTO event (at, recorded_at, actor, action, device_id, details)
     VALUES ('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'x', 'device_edited', 999, '{}')",
    "refers to a missing device"
)]
#[case::event_details_not_json(
    "INSERT INTO event (at, recorded_at, actor, action, device_id, details)
     SELECT '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'x', 'device_edited', id, '{\"changed\":'
     FROM device WHERE serial = 'SPARE-C'",
    "of SPARE-C has details that are not JSON"
)]
fn check_reports_each_kind_of_damage_and_changes_nothing(
    #[case] damage: &str,
    #[case] expected: &str,
) {
    if crate::common::sqlite_only("damages the file with plain SQLite") {
        return;
    }
    let s = desk();
    s.sql().execute_batch(damage).expect("damage the register");
    let before = std::fs::read(s.db()).unwrap();
    let stderr = s.refused(&["check"], 1, expected);
    assert!(
        stderr.contains("the register failed its checks"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(s.db()).unwrap(),
        before,
        "check wrote to the file"
    );
}

/// Overwrites one page of the file with zeros, as a failing disk might.
fn zero_page(db: &Path, page: u64, page_size: u64) {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    file.seek(SeekFrom::Start((page - 1) * page_size)).unwrap();
    file.write_all(&vec![0; usize::try_from(page_size).unwrap()])
        .unwrap();
}

#[rstest]
#[case::a_table(3)]
#[case::an_index(8)]
fn a_damaged_file_is_reported_not_panicked_on_and_left_as_it_is(#[case] page: u64) {
    if crate::common::sqlite_only("zeroes a page of the file") {
        return;
    }
    let s = desk();
    // A new register has handback's page size (store::PAGE_SIZE), not SQLite's default.
    let page_size = s.count("PRAGMA page_size");
    assert_eq!(page_size, 8192);
    assert!(s.count("PRAGMA page_count") > 8);
    zero_page(&s.db(), page, u64::try_from(page_size).unwrap());
    let before = std::fs::read(s.db()).unwrap();
    let run = s.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("the register is damaged") || run.stderr.contains("cannot check"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(s.db()).unwrap(), before);
}

#[rstest]
#[case::text("notes.txt", b"Inventering 2024\nlaptop;1001\n".to_vec(), "it is not an SQLite database")]
#[case::random_bytes("noise.bin", (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect(), "it is not an SQLite database")]
#[case::empty("empty.sqlite", Vec::new(), "it is an empty file")]
fn check_says_what_is_not_a_register_and_leaves_it_alone(
    #[case] name: &str,
    #[case] bytes: Vec<u8>,
    #[case] reason: &str,
) {
    let s = Scratch::empty();
    let path = s.write(name, &bytes);
    let run = s.run(&["check", "--db", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is not a handback register"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(reason), "{}", run.stderr);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn check_leaves_another_programs_database_alone() {
    let s = Scratch::empty();
    let path = s.path("other.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let run = s.run(&["check", "--db", path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("an SQLite database of some other program"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_backup_taken_while_others_write_is_whole_private_and_checked() {
    if crate::common::sqlite_only(
        "a backup is a copy of the file (pg_dump backs up a server's register)",
    ) {
        return;
    }
    let s = desk();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let writes = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut writes = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                s.ok(&["return", "HELD-A"]);
                s.ok(&["handout", "HELD-A", "--to", "4471"]);
                writes += 2;
            }
            writes
        });
        let backups: Vec<_> = (0..5)
            .map(|n| {
                let backup = s.path(&format!("backup-{n}.sqlite"));
                s.run(&["backup", backup.to_str().unwrap()])
            })
            .collect();
        // Stop the writer before any assertion can end this thread.
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for run in backups {
            assert_eq!(run.code, 0, "{}", run.stderr);
        }
        writer.join().unwrap()
    });
    assert!(writes > 0, "the writer kept writing during the backups");
    for n in 0..5 {
        let backup = s.path(&format!("backup-{n}.sqlite"));
        let out = s.ok(&["check", "--db", backup.to_str().unwrap()]);
        assert!(out.starts_with("ok: 2 people, 3 devices"), "{out}");
        #[cfg(unix)]
        assert_eq!(mode(&backup), 0o600);
        // One self-contained file: nothing beside it to copy along.
        assert!(!s.path(&format!("backup-{n}.sqlite-wal")).exists());
    }
    let leftovers: Vec<_> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_backup_never_overwrites_without_force_and_never_the_register() {
    if crate::common::sqlite_only("a backup is a copy of the file") {
        return;
    }
    let s = desk();
    let backup = s.write("backup.sqlite", "yesterday's backup");
    let name = backup.to_str().unwrap();
    s.refused(&["backup", name], 1, "exists already");
    assert_eq!(std::fs::read(&backup).unwrap(), b"yesterday's backup");
    s.write("backup.sqlite-wal", "a stale log of an older file");
    s.ok(&["backup", name, "--force"]);
    assert!(!s.path("backup.sqlite-wal").exists());
    assert!(s.ok(&["check", "--db", name]).starts_with("ok:"));

    let db = s.db();
    let register = db.to_str().unwrap();
    s.refused(
        &["backup", register, "--force"],
        1,
        "is the register itself",
    );
    let missing = s.path("no/such/folder/backup.sqlite");
    s.refused(&["backup", missing.to_str().unwrap()], 1, "no/such/folder");
}

#[test]
fn a_restored_backup_is_a_working_register() {
    if crate::common::sqlite_only("a backup is a copy of the file") {
        return;
    }
    let s = desk();
    let backup = s.path("backup.sqlite");
    s.ok(&["backup", backup.to_str().unwrap()]);
    s.ok(&["return", "HELD-A"]);
    // Restore: writers stopped, copy over the register, remove its -wal and -shm.
    std::fs::copy(&backup, s.db()).unwrap();
    for side in ["register.sqlite-wal", "register.sqlite-shm"] {
        let _ = std::fs::remove_file(s.path(side));
    }
    s.ok(&["check"]);
    let holdings = s.json(&["holdings", "1001"]);
    assert_eq!(holdings["items"][0]["serial"], "HELD-A");
    s.ok(&["return", "HELD-A"]);
}

/// Someone whose every personal value is distinctive enough to be found in raw bytes.
const NAME: &str = "Zebulon Quixotefjärd";
const EMAIL: &str = "zq.unik-7731@kommun.example";
const NUMBER: &str = "E-99173";

/// Registers the leaver, hands them a device, and renames them twice: once through a plain
/// SQL connection without secure delete, as an older handback would have, so that old values
/// lie in the file's free space.
fn add_leaver(s: &Scratch) {
    s.ok(&[
        "person",
        "add",
        NUMBER,
        "--name",
        NAME,
        "--email",
        EMAIL,
        "--department",
        "Kulturförvaltningen",
    ]);
    s.ok(&["handout", "SPARE-C", "--to", NUMBER]);
    s.execute(&format!(
        "UPDATE person SET name = 'Zebulon QUIXOTEFJÄRD' WHERE employee_no = '{NUMBER}'"
    ))
    .unwrap();
    s.ok(&[
        "person",
        "edit",
        NUMBER,
        "--name",
        "Zebulon  QUIXOTEFJÄRD-X",
    ]);
    s.ok(&["person", "edit", "zebulon quixotefjärd-x", "--name", NAME]);
}

fn leaver() -> Scratch {
    let s = desk();
    add_leaver(&s);
    s
}

fn register_bytes(s: &Scratch) -> Vec<u8> {
    let mut bytes = std::fs::read(s.db()).unwrap();
    for side in ["register.sqlite-wal", "register.sqlite-journal"] {
        if let Ok(more) = std::fs::read(s.path(side)) {
            bytes.extend(more);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn a_person_who_has_left_is_forgotten_without_a_trace_and_the_history_stays() {
    if crate::common::sqlite_only("reads the register file's bytes") {
        return;
    }
    let s = desk();
    // Someone keeps the register open all along, as a technician would: the write-ahead
    // log is then never removed, and collects every version of every page changed.
    let reader = s.sql();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM person", [], |row| row.get(0))
        .unwrap();
    add_leaver(&s);
    s.ok(&["return", "SPARE-C"]);
    s.ok(&["person", "edit", NUMBER, "--end-date", "2025-01-31"]);
    let before = register_bytes(&s);
    for value in [NAME, EMAIL, NUMBER, "QUIXOTEFJÄRD"] {
        assert!(
            contains(&before, value),
            "the test looks for {value:?}, which is there"
        );
    }
    assert!(s.path("register.sqlite-wal").exists());

    let run = s.run(&["person", "forget", EMAIL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Raderad person"), "{}", run.stderr);

    let after = register_bytes(&s);
    for value in [NAME, &NAME.to_lowercase(), EMAIL, NUMBER, "QUIXOTEFJÄRD"] {
        assert!(!contains(&after, value), "{value:?} is still in the files");
    }
    // The history is complete and shows the pseudonym; the erasure is an event of its own.
    let history = s.json(&["history", "SPARE-C"]);
    let events = history.as_array().unwrap();
    assert_eq!(events.len(), 3, "{history:#}");
    assert!(
        events[1]["person"]
            .as_str()
            .unwrap()
            .starts_with("Raderad person")
    );
    assert!(events[1]["employee_no"].is_null());
    assert_eq!(
        s.count(
            "SELECT count(*) FROM event WHERE action = 'person_erased' AND details = '{}'
             AND person_id IS NOT NULL"
        ),
        1
    );
    s.refused(&["holdings", NUMBER], 1, "no person matches");
    s.refused(&["holdings", NAME], 1, "no person matches");
    s.ok(&["check"]);
    drop(reader);
}

#[test]
fn a_person_is_only_forgotten_once_they_have_left_and_hold_nothing() {
    let s = leaver();
    s.refused(
        &["person", "forget", NUMBER],
        1,
        "has no last working day in the register",
    );
    s.ok(&["person", "edit", NUMBER, "--end-date", "2099-06-30"]);
    s.refused(
        &["person", "forget", NUMBER],
        1,
        "works here until 2099-06-30",
    );
    s.ok(&["person", "edit", NUMBER, "--end-date", "2025-01-31"]);
    s.refused(
        &["person", "forget", NUMBER],
        1,
        "still holds 1 item: SPARE-C; take it back first",
    );
    s.ok(&["return", "SPARE-C"]);
    s.ok(&["person", "forget", NUMBER]);
    s.refused(
        &["person", "forget", "Raderad person 3"],
        1,
        "no person matches",
    );
}

#[test]
fn people_who_left_before_a_date_are_listed() {
    let s = desk();
    s.ok(&["person", "edit", "1001", "--end-date", "2024-06-30"]);
    s.ok(&[
        "person",
        "add",
        "5000",
        "--name",
        "Kim Berg",
        "--end-date",
        "2025-03-01",
    ]);
    let listed = |date: &str| -> Vec<String> {
        s.json(&["person", "list", "--left-before", date])
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["employee_no"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed("2024-06-30"), Vec::<String>::new());
    assert_eq!(listed("2024-07-01"), ["1001"]);
    assert_eq!(listed("2030-01-01"), ["5000", "1001"], "sorted by name");
    s.refused(
        &["person", "list", "--left-before", "2024-02-30"],
        65,
        "2024-02-30",
    );
}

/// A register on a read-only file system (a backup on a read-only mount) can be read and
/// checked; every change is refused in one sentence, and nothing is written. Needs a real
/// read-only mount, so it runs where the tests may mount a tmpfs (root with CAP_SYS_ADMIN,
/// as in CI) and says so where they may not.
#[cfg(target_os = "linux")]
#[test]
fn a_register_on_a_read_only_file_system_is_read_but_never_written() {
    use std::process::Command as Shell;
    let s = crate::common::Scratch::empty();
    let mount = s.path("ro");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Shell::new("mount")
        .args(["-t", "tmpfs", "tmpfs", mount.to_str().unwrap()])
        .status()
        .is_ok_and(|status| status.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        return;
    }
    let db = mount.join("register.sqlite");
    let db = db.to_str().unwrap();
    let on = |args: &[&str]| s.run_on(std::path::Path::new(db), args);
    assert_eq!(on(&["init"]).code, 0);
    assert_eq!(
        on(&["person", "add", "1001", "--name", "Åsa Öberg"]).code,
        0
    );
    let remounted = Shell::new("mount")
        .args(["-o", "remount,ro", mount.to_str().unwrap()])
        .status()
        .is_ok_and(|status| status.success());
    let result = std::panic::catch_unwind(|| {
        assert!(remounted, "could not remount read-only");
        let before = std::fs::read(db).unwrap();
        let listed = on(&["person", "list", "--format", "csv"]);
        assert_eq!(listed.code, 0, "{}", listed.stderr);
        assert!(
            listed.stdout.contains("1001,Åsa Öberg"),
            "{}",
            listed.stdout
        );
        assert_eq!(on(&["check"]).code, 0);
        let refused = on(&["person", "add", "1002", "--name", "Per Gustafsson"]);
        assert_eq!(refused.code, 1);
        assert!(
            refused.stderr.contains("is read-only here"),
            "{}",
            refused.stderr
        );
        assert_eq!(refused.stderr.lines().count(), 1, "{}", refused.stderr);
        assert_eq!(before, std::fs::read(db).unwrap());
    });
    let _ = Shell::new("umount").arg(&mount).status();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// A writable register in a folder the user may not write, a common set-up of shared
/// folders: SQLite cannot create its journal files beside it. Reads, `check` and `backup`
/// work; a change is refused in one sentence that names the folder and why, and nothing is
/// written. Runs handback as `nobody` through `setpriv`, which needs root (as in CI), and
/// says so where it cannot.
#[cfg(target_os = "linux")]
#[test]
fn a_register_in_a_read_only_folder_is_read_and_changes_are_refused_in_one_sentence() {
    if crate::common::sqlite_only("a register file in a read-only folder") {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command as Shell;
    const NOBODY: u32 = 65534;
    let s = desk();
    let shared = s.path("shared");
    std::fs::create_dir(&shared).unwrap();
    let db = shared.join("it.sqlite");
    s.ok(&["backup", db.to_str().unwrap()]);
    // The folder stays root's (0755); the register becomes nobody's, who may write it.
    for folder in [s.dir.path(), &shared] {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    if std::os::unix::fs::chown(&db, Some(NOBODY), Some(NOBODY)).is_err() {
        eprintln!("skipped: cannot give the register to nobody (needs root)");
        return;
    }
    let as_nobody = |args: &[&str]| {
        let output = Shell::new("setpriv")
            .args([
                &format!("--reuid={NOBODY}"),
                &format!("--regid={NOBODY}"),
                "--clear-groups",
            ])
            .arg(assert_cmd::cargo::cargo_bin("handback"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("HANDBACK_DB")
            .env("HANDBACK_USER", "Ahmed (IT)")
            .env("HANDBACK_LANG", "en")
            .env("NO_COLOR", "1")
            .current_dir(&shared)
            .output();
        output.ok().map(|o| {
            (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
    };
    match as_nobody(&["--version"]) {
        Some((0, _, _)) => {}
        other => {
            eprintln!("skipped: cannot run handback as nobody through setpriv: {other:?}");
            return;
        }
    }
    let listing = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&shared)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = std::fs::read(&db).unwrap();

    let (code, out, err) = as_nobody(&["holdings", "1001", "--format", "csv"]).unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("HELD-A"), "{out}");
    let (code, out, err) = as_nobody(&["check"]).unwrap();
    assert_eq!(
        (code, out.starts_with("ok: 2 people")),
        (0, true),
        "{out}{err}"
    );
    let (code, out, err) = as_nobody(&["history", "HELD-B", "--format", "json"]).unwrap();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"handed_out\""), "{out}");

    for change in [
        &["person", "add", "1002", "--name", "Per Gustafsson"][..],
        &["return", "HELD-A"][..],
        &["handout", "SPARE-C", "--to", "1001"][..],
    ] {
        let (code, _, err) = as_nobody(change).unwrap();
        assert_eq!(code, 1, "{change:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{change:?}: one sentence:\n{err}");
        assert!(
            err.contains(&format!("its folder {} is read-only", shared.display()))
                && err.contains("SQLite must create its journal files"),
            "{change:?}: {err}"
        );
    }
    assert_eq!(
        before,
        std::fs::read(&db).unwrap(),
        "the register was written"
    );
    assert_eq!(
        listing(),
        ["it.sqlite"],
        "files were left beside the register"
    );
}

/// Issue 12, item 14: every document handback writes holds personal data, so it is created
/// with mode 0600 like the register, and a file it replaces becomes 0600 too.
#[cfg(unix)]
#[test]
fn documents_handback_writes_are_private_like_the_register() {
    let s = desk();
    s.ok(&["person", "edit", "1001", "--end-date", "2025-01-31"]);
    let list = s.write("lista.csv", "Serienummer;Typ\nNEW-1;laptop\n;laptop\n");
    let stale = s.write("old.html", "an older checklist");
    std::fs::set_permissions(&stale, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let path = |name: &str| s.path(name).to_str().unwrap().to_string();
    for args in [
        vec![
            "checklist",
            "1001",
            "--format",
            "html",
            "--out",
            &path("c.html"),
        ],
        vec![
            "checklist",
            "1001",
            "--format",
            "md",
            "--out",
            &path("c.md"),
        ],
        vec![
            "checklist",
            "1001",
            "--format",
            "csv",
            "--out",
            &path("c.csv"),
        ],
        vec![
            "checklist",
            "1001",
            "--format",
            "html",
            "--out",
            &path("old.html"),
        ],
        vec![
            "checklist",
            "--leaving-before",
            "2025-12-31",
            "--split",
            &path("split"),
        ],
        vec!["receipt", "1001", "--format", "md", "--out", &path("r.md")],
        vec!["report", "--format", "md", "--out", &path("report.md")],
        vec![
            "import",
            list.to_str().unwrap(),
            "--skip-invalid",
            "--rejects",
            &path("rejects.csv"),
        ],
    ] {
        s.ok(&args);
    }
    let split: Vec<_> = std::fs::read_dir(s.path("split"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(split.len(), 1, "{split:?}");
    for file in [
        "c.html",
        "c.md",
        "c.csv",
        "old.html",
        "r.md",
        "report.md",
        "rejects.csv",
    ]
    .map(|name| s.path(name))
    .into_iter()
    .chain(split)
    {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_ne!(std::fs::read(&stale).unwrap(), b"an older checklist");
}

/// Issue 12, item 14: `scripts/quickstart` echoes each command shell-quoted, so a line can
/// be pasted back into a shell and runs the same command.
#[test]
fn quickstart_echoes_its_commands_so_they_can_be_pasted() {
    let script =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/quickstart"))
            .unwrap();
    let start = script.find("step() {").expect("quickstart defines step()");
    let end = start + script[start..].find("\n}\n").expect("the end of step()") + 3;
    let step = &script[start..end];
    let args = [
        "checklist",
        "Maria Olsson",
        "it's",
        "a;b",
        "$HOME",
        "Bärbar dator",
        "*",
    ];
    let echoed = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("{step}\nhandback=true\nstep \"$@\""))
        .arg("bash")
        .args(args)
        .output()
        .expect("run bash");
    let stderr = String::from_utf8(echoed.stderr).unwrap();
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("$ handback "))
        .unwrap_or_else(|| panic!("no command echoed: {stderr:?}"));
    // Pasted into a shell: the words it gives are the words run.
    let pasted = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("printf '%s\\n' {line}"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run bash");
    let words: Vec<String> = String::from_utf8(pasted.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(words, args, "echoed as {line:?}");
}

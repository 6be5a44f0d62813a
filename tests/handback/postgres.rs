//! The PostgreSQL store's own promises, on a real server (`HANDBACK_TEST_PG`): its migrations
//! reach exactly its schema, the database itself refuses what breaks an invariant, a
//! database holding something else is never taken over, and a backup points at `pg_dump`.
//! The rest of the suite runs on PostgreSQL too when the variable is set.

use crate::common::{Scratch, ThrowAwayDatabase, postgres_server};
use handback::store::postgres::{MIGRATIONS, SCHEMA};

/// The server, or `None` with the reason printed (the suite's SQLite pass; `.ci/run` runs
/// the PostgreSQL pass with the variable set, where a missing server fails).
fn server() -> Option<String> {
    let server = postgres_server();
    if server.is_none() {
        eprintln!("skipped: HANDBACK_TEST_PG is not set (the PostgreSQL pass of .ci/run sets it)");
    }
    server
}

/// Everything that makes up a schema, as text: tables' columns, constraints, indexes,
/// triggers and functions.
fn catalog(client: &mut postgres::Client) -> Vec<String> {
    let queries = [
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
                || ' default=' || coalesce(column_default, '') || ' identity=' || is_identity
         FROM information_schema.columns WHERE table_schema = current_schema()",
        "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid)
         FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()",
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
        "SELECT proname || ' ' || prosrc FROM pg_proc
         WHERE pronamespace = current_schema()::regnamespace",
    ];
    let mut lines: Vec<String> = queries
        .iter()
        .flat_map(|sql| client.query(*sql, &[]).expect(sql))
        .map(|row| row.get::<_, String>(0))
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_migrations_reach_exactly_the_schema() {
    let Some(server) = server() else { return };
    let fresh = ThrowAwayDatabase::create(&server);
    fresh
        .client()
        .batch_execute(SCHEMA)
        .expect("schema-postgres.sql");
    let migrated = ThrowAwayDatabase::create(&server);
    let mut client = migrated.client();
    for migration in MIGRATIONS {
        client.batch_execute(migration).expect("a migration");
    }
    let (fresh, migrated) = (catalog(&mut fresh.client()), catalog(&mut client));
    assert!(fresh.len() > 50, "{fresh:#?}");
    assert_eq!(fresh, migrated);
}

#[test]
fn the_database_refuses_what_breaks_an_invariant() {
    let Some(_) = server() else { return };
    let s = Scratch::new();
    s.ok(&["person", "add", "1001", "--name", "Anna Berg"]);
    s.ok(&[
        "handout",
        "SN-1",
        "--to",
        "1001",
        "--kind",
        "laptop",
        "--asset-tag",
        "IT-1",
    ]);
    let url = s.db().display().to_string();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let refused = |client: &mut postgres::Client, sql: &str| {
        let error = client.batch_execute(sql).expect_err(sql);
        error
            .as_db_error()
            .expect("refused by the server")
            .message()
            .to_string()
    };
    let message = refused(&mut client, "UPDATE event SET actor = 'someone else'");
    assert!(message.contains("append-only"), "{message}");
    let message = refused(&mut client, "DELETE FROM event");
    assert!(message.contains("append-only"), "{message}");
    assert!(refused(&mut client, "TRUNCATE event CASCADE").contains("append-only"));
    let second_open = "INSERT INTO handout (device_id, person_id, handed_out_at, handed_out_by)
         SELECT device_id, person_id, now(), 'x' FROM handout";
    assert!(refused(&mut client, second_open).contains("handout_open_per_device"));
    let same_tag = "INSERT INTO device (serial, asset_tag, kind, status, status_since, created_at)
         VALUES ('SN-2', 'it-1', 'laptop', 'in_stock', now(), now())";
    assert!(refused(&mut client, same_tag).contains("device_asset_tag"));
    let bad_status = "UPDATE device SET status = 'borrowed'";
    assert!(refused(&mut client, bad_status).contains("check constraint"));
    s.ok(&["check"]);
}

#[test]
fn a_database_holding_something_else_is_never_taken_over() {
    let Some(server) = server() else { return };
    let other = ThrowAwayDatabase::create(&server);
    other
        .client()
        .batch_execute("CREATE TABLE payroll (id int)")
        .unwrap();
    let s = Scratch::empty();
    let run = s.run_on(std::path::Path::new(&other.url), &["init"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 tables of something else"),
        "{}",
        run.stderr
    );
    let run = s.run_on(std::path::Path::new(&other.url), &["holdings", "x"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("tables of something else"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_twice_changes_nothing_and_backup_points_at_pg_dump() {
    let Some(_) = server() else { return };
    let s = Scratch::new();
    let again = s.run(&["init"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stderr.contains("already"), "{}", again.stderr);
    let run = s.run(&["backup", &s.path("copy.sqlite").display().to_string()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("pg_dump --format=custom"),
        "{}",
        run.stderr
    );
    assert!(!s.path("copy.sqlite").exists());
}

#[test]
fn a_password_never_appears_in_what_handback_prints() {
    let Some(server) = server() else { return };
    let database = ThrowAwayDatabase::create(&server);
    let with_password = database
        .url
        .replacen("://postgres@", "://postgres:hunter2@", 1);
    let s = Scratch::empty();
    let run = s.run_on(std::path::Path::new(&with_password), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"));
    assert!(
        run.stdout.contains("postgres://postgres@"),
        "{}",
        run.stdout
    );
}

/// A register moved from a file to a database and back is the same register: every row,
/// the audit trail and the accounts, and the ids go on where they left off.
#[test]
fn copy_moves_a_register_to_postgresql_and_back_and_refuses_a_target_with_data() {
    let Some(server) = server() else { return };
    let s = Scratch::empty();
    let file = s.path("register.sqlite");
    let on_file = |args: &[&str]| {
        let run = s.run_on(&file, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        run.stdout
    };
    on_file(&["init"]);
    on_file(&[
        "import",
        &crate::common::fixture("hr-export.csv"),
        &crate::common::fixture("utlamnad-utrustning-excel.csv"),
    ]);
    on_file(&[
        "replace",
        "5ZKQ9X3",
        "--with",
        "5CG1234XYZ",
        "--reason",
        "broken",
    ]);
    on_file(&["leave", "4471", "--on", "2026-12-15"]);
    let database = ThrowAwayDatabase::create(&server);
    let url = database.url.clone();

    let copied = s.run_on(&file, &["copy", "--to", &url]);
    assert_eq!(copied.code, 0, "{}", copied.stderr);
    assert!(
        copied.stderr.contains("exports the same as its source"),
        "{}",
        copied.stderr
    );
    let back = s.path("back.sqlite");
    let back_run = s.run_on(
        &file,
        &["copy", "--from", &url, "--to", back.to_str().unwrap()],
    );
    assert_eq!(back_run.code, 0, "{}", back_run.stderr);
    for what in ["people", "devices", "handouts", "events"] {
        let export =
            |db: &std::path::Path| s.run_on(db, &["export", what, "--format", "json"]).stdout;
        let original = export(&file);
        assert!(original.len() > 10, "{what}: {original}");
        assert_eq!(
            original,
            export(std::path::Path::new(&url)),
            "{what} on PostgreSQL"
        );
        assert_eq!(original, export(&back), "{what} back on SQLite");
    }
    // Ids go on after the copied ones.
    let next = s.run_on(
        std::path::Path::new(&url),
        &["handout", "NEW-1", "--to", "4471", "--kind", "phone"],
    );
    assert_eq!(next.code, 0, "{}", next.stderr);
    let check = s.run_on(std::path::Path::new(&url), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let again = s.run_on(&file, &["copy", "--to", &url]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(again.stderr.contains("rows already"), "{}", again.stderr);
    let onto_file = s.run_on(
        std::path::Path::new(&url),
        &["copy", "--to", back.to_str().unwrap()],
    );
    assert_eq!(onto_file.code, 1, "{}", onto_file.stderr);
    assert!(
        onto_file.stderr.contains("exists already"),
        "{}",
        onto_file.stderr
    );
}

/// A deadlock the server breaks by aborting handback's transaction is run again inside
/// handback: the technician sees the change made, never the deadlock. Another program holds a
/// device's row and then asks for the register's write lock while handback, holding that
/// lock, waits for the row; the server aborts the transaction that waited first, handback's.
#[test]
fn a_deadlock_is_run_again_never_shown() {
    let Some(_) = server() else { return };
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&["handout", "DL-1", "--to", "1", "--kind", "laptop"]);
    let url = s.db().display().to_string();
    let connect = || postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let deadlocks = |client: &mut postgres::Client| -> i64 {
        client
            .query_one(
                "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let mut watcher = connect();
    let before = deadlocks(&mut watcher);

    let mut other = connect();
    other
        .batch_execute("BEGIN; UPDATE device SET model = model WHERE serial = 'DL-1'")
        .unwrap();
    let returning = std::process::Command::new(assert_cmd::cargo::cargo_bin("handback"))
        .args(["--db", &url, "return", "DL-1"])
        .env("HANDBACK_USER", "Ahmed (IT)")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Until handback holds the write lock and waits for the row: this handback, in this
    // test's database, not another test's waiting elsewhere on the same server.
    let waiting = "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                   WHERE a.application_name = 'handback' AND NOT l.granted
                     AND a.datname = current_database()";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while watcher.query_one(waiting, &[]).unwrap().get::<_, i64>(0) == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "handback never waited for the row"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    other
        .batch_execute("SELECT pg_advisory_xact_lock(1212304177); COMMIT")
        .expect("the other program is not the one aborted");
    let output = returning.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    // A backend reports its statistics with a delay, longer on a busy machine.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while deadlocks(&mut watcher) == before && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        deadlocks(&mut watcher),
        before + 1,
        "one deadlock, broken by aborting handback"
    );
    assert_eq!(
        s.count("SELECT count(*) FROM event WHERE action = 'returned'"),
        1
    );
    s.ok(&["check"]);
}

/// `check` on PostgreSQL finds a guard someone took away (a disabled append-only trigger, a
/// dropped unique index) and a device whose status its history does not explain.
#[test]
fn check_finds_a_guard_taken_away_and_a_history_that_does_not_add_up() {
    let Some(_) = server() else { return };
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "A B"]);
    s.ok(&["handout", "CK-1", "--to", "1", "--kind", "laptop"]);
    s.ok(&["check"]);
    s.execute(
        "ALTER TABLE event DISABLE TRIGGER event_append_only;
         DROP INDEX handout_open_per_device;
         UPDATE device SET status = 'lost' WHERE serial = 'CK-1';",
    )
    .unwrap();
    let run = s.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "the trigger event_append_only on event is missing or disabled",
        "the index handout_open_per_device on handout is missing",
        "CK-1 is lost, but it is still handed out",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
}

/// A handout list large enough to be bulk-loaded (over 4 MiB): `rows` people with a laptop
/// each, and on `bad_line` a row whose date cannot be read.
fn large_handout_list(rows: usize, bad_line: Option<usize>) -> String {
    let mut list =
        String::from("Användare;Anst.nr;Enhet;Typ;Serienr;Inv.nr;Utlämningsdatum;Anteckning\n");
    for n in 0..rows {
        let date = if bad_line == Some(n + 2) {
            "förra veckan"
        } else {
            "2024-03-01"
        };
        list.push_str(&format!(
            "Person Nummer {n};{};Avdelning {};Laptop;SN{n:08};IT-{n:07};{date};\
             en anteckning som gör raden lika lång som i en verklig lista\n",
            100_000 + n,
            n % 40,
        ));
    }
    list
}

/// The first load into an empty register takes the deferrable indexes and the foreign keys
/// away and makes them again: whether the file is taken or refused, the register ends with
/// exactly its schema, and a refused one with nothing written.
#[test]
fn a_first_bulk_load_leaves_exactly_the_schema_whether_taken_or_refused() {
    let Some(server) = server() else { return };
    let fresh = ThrowAwayDatabase::create(&server);
    fresh.client().batch_execute(SCHEMA).unwrap();
    let expected = catalog(&mut fresh.client());
    let s = Scratch::new();
    let url = s.db().display().to_string();
    let refused = s.write("refused.csv", large_handout_list(40_000, Some(30_000)));
    assert!(std::fs::metadata(&refused).unwrap().len() > 4 << 20);
    let run = s.run(&["import", refused.to_str().unwrap()]);
    assert_eq!(run.code, 65, "{}", run.stderr);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    assert_eq!(catalog(&mut client), expected);
    assert_eq!(s.count("SELECT count(*) FROM device"), 0);

    let taken = s.write("taken.csv", large_handout_list(40_000, None));
    s.ok(&["import", taken.to_str().unwrap()]);
    assert_eq!(catalog(&mut client), expected);
    assert_eq!(s.count("SELECT count(*) FROM handout"), 40_000);
    s.ok(&["check"]);
    // The references are checked again: a handout of a device that is not there is refused.
    let dangling = client
        .batch_execute(
            "INSERT INTO handout (device_id, person_id, handed_out_at, handed_out_by)
             VALUES (999999999, 1, now(), 'x')",
        )
        .expect_err("a dangling reference");
    let message = dangling
        .as_db_error()
        .expect("refused by the server")
        .message();
    assert!(message.contains("foreign key"), "{message}");
}

/// While a first load has the unique indexes of serials and asset tags down, a key the file
/// names again is found among those it wrote: the same person's row again is the same
/// handout, another person's is refused with both lines, and an asset tag in other case
/// (outside ASCII too) is another device's, exactly as with the indexes there.
#[test]
fn a_first_bulk_load_finds_the_keys_it_wrote_itself() {
    let Some(_server) = server() else { return };
    let s = Scratch::new();
    let mut list = large_handout_list(40_000, None);
    let mut again = String::new();
    for n in (0..40_000).step_by(100) {
        again.push_str(&format!(
            "Person Nummer {n};{};Avdelning {};Laptop;SN{n:08};IT-{n:07};2024-03-01;igen\n",
            100_000 + n,
            n % 40,
        ));
    }
    list.push_str(&again);
    // Another person's row for a device of the file; a new device with another's asset tag
    // in other case; a tag outside ASCII once, then again in other case.
    let conflict = s.write(
        "conflict.csv",
        format!(
            "{list}Någon Annan;99999;Avdelning 1;Laptop;SN00000042;;2024-03-01;\n\
             Ny Person;99998;Avdelning 1;Laptop;NY-1;it-0000043;2024-03-01;\n\
             Ny Person;99998;Avdelning 1;Laptop;NY-2;ÄO-7;2024-03-01;\n\
             Ny Person;99998;Avdelning 1;Laptop;NY-3;äo-7;2024-03-01;\n"
        ),
    );
    let run = s.run(&["import", conflict.to_str().unwrap()]);
    assert_eq!(run.code, 65, "{}", run.stderr);
    for refused in [
        "40402: column \"Serienr\": SN00000042 is handed to two different people in this file: lines 44 and 40402",
        "40403: column \"Serienr\": the asset tag it-0000043 belongs to SN00000043 already",
        "40405: column \"Serienr\": the asset tag äo-7 belongs to NY-2 already",
    ] {
        assert!(run.stderr.contains(refused), "{refused}: {}", run.stderr);
    }
    assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
    assert_eq!(s.count("SELECT count(*) FROM device"), 0);

    let repeated = s.write("repeated.csv", list);
    let taken = s.run(&["import", repeated.to_str().unwrap()]);
    assert_eq!(taken.code, 0, "{}", taken.stderr);
    assert!(
        taken
            .stderr
            .contains("handouts: 40000 opened, 0 transferred, 400 already recorded"),
        "{}",
        taken.stderr
    );
    assert_eq!(s.count("SELECT count(*) FROM device"), 40_000);
    s.ok(&["check"]);
}

/// Asset tags of letters alone (names of rooms) all share one key in the written keys: past a
/// few dozen, the first load makes the tags' index again at once and asks the table, and
/// does not make it a second time at the end.
#[test]
fn a_first_bulk_load_of_tags_without_digits_makes_their_index_once() {
    let Some(server) = server() else { return };
    let fresh = ThrowAwayDatabase::create(&server);
    fresh.client().batch_execute(SCHEMA).unwrap();
    let expected = catalog(&mut fresh.client());
    let s = Scratch::new();
    let letters = |mut n: usize| {
        let mut word = String::new();
        loop {
            word.push(char::from(b'A' + (n % 26) as u8));
            n /= 26;
            if n == 0 {
                return word;
            }
        }
    };
    let list: String = large_handout_list(40_000, None)
        .lines()
        .enumerate()
        .map(|(n, line)| match n {
            0 => format!("{line}\n"),
            _ => {
                let tag = format!("IT-{:07}", n - 1);
                format!("{}\n", line.replace(&tag, &format!("Rum {}", letters(n))))
            }
        })
        .collect();
    let rooms = s.write(
        "rooms.csv",
        list + "Ny Person;99998;Avdelning 1;Laptop;NY-1;rum b;2024-03-01;\n",
    );
    s.refused(
        &["import", rooms.to_str().unwrap()],
        65,
        "the asset tag rum b belongs to SN00000000 already",
    );
    let mut client =
        postgres::Client::connect(&s.db().display().to_string(), postgres::NoTls).unwrap();
    assert_eq!(catalog(&mut client), expected);
    let list = std::fs::read_to_string(&rooms).unwrap();
    let taken = s.write(
        "taken.csv",
        list.lines().take(40_001).collect::<Vec<_>>().join("\n"),
    );
    s.ok(&["import", taken.to_str().unwrap()]);
    assert_eq!(catalog(&mut client), expected);
    assert_eq!(
        s.count("SELECT count(*) FROM device WHERE asset_tag LIKE 'Rum %'"),
        40_000
    );
    s.ok(&["check"]);
}

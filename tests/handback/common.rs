//! A scratch folder per test with its own register, and helpers to run the real binary.
//!
//! The suite runs on either store: with `HANDBACK_TEST_PG` set to a PostgreSQL server's
//! address (`postgres://user@host:port/db`, a user that may create databases), each test's
//! register is a database of its own on that server, created for it and dropped after;
//! otherwise it is a file in the test's scratch folder. A test about the SQLite file itself
//! says so with [`sqlite_only`].

#![allow(dead_code)] // each test module uses a different part of this toolbox

use assert_cmd::Command;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub struct Scratch {
    pub dir: tempfile::TempDir,
    /// The test's own database, when the suite runs on PostgreSQL.
    database: Option<ThrowAwayDatabase>,
}

/// The PostgreSQL server the suite runs on, if any (`HANDBACK_TEST_PG`).
pub fn postgres_server() -> Option<String> {
    std::env::var("HANDBACK_TEST_PG")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Whether this test's subject is the SQLite file itself (its bytes, its journal, its
/// permissions): true when the suite runs on PostgreSQL, with the reason printed, and the
/// test returns.
pub fn sqlite_only(why: &str) -> bool {
    if postgres_server().is_some() {
        eprintln!("not run on PostgreSQL: {why}");
        return true;
    }
    false
}

/// A database created on the test server for one test, dropped when the test ends.
pub struct ThrowAwayDatabase {
    server: String,
    name: String,
    pub url: String,
}

impl ThrowAwayDatabase {
    pub fn create(server: &str) -> ThrowAwayDatabase {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "handback_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(server, postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect to the test server {server}: {e}"));
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin
                .batch_execute(&sql)
                .unwrap_or_else(|e| panic!("{sql} on the test server: {e}"));
        }
        let url = match server.rfind('/') {
            Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &server[..slash]),
            _ => format!("{server}/{name}"),
        };
        ThrowAwayDatabase {
            server: server.to_string(),
            name,
            url,
        }
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test database")
    }
}

impl Drop for ThrowAwayDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The output of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Scratch {
    /// A scratch folder with a new, empty register.
    pub fn new() -> Scratch {
        let scratch = Scratch::empty();
        scratch.ok(&["init"]);
        scratch
    }

    /// A scratch folder with no register.
    pub fn empty() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("a temporary folder"),
            database: postgres_server().map(|server| ThrowAwayDatabase::create(&server)),
        }
    }

    /// The register: a file in the scratch folder, or the test's database.
    pub fn db(&self) -> PathBuf {
        match &self.database {
            Some(database) => PathBuf::from(&database.url),
            None => self.dir.path().join("register.sqlite"),
        }
    }

    /// Whether the register is on PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.database.is_some()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write a scratch file");
        path
    }

    /// The binary, with a clean environment: the register of this scratch folder, a fixed
    /// technician, no colour, English.
    pub fn command(&self) -> Command {
        self.command_on(&self.db())
    }

    /// The binary, as [`Scratch::command`], on another register file.
    pub fn command_on(&self, db: &Path) -> Command {
        let mut command = Command::cargo_bin("handback").expect("the handback binary");
        command
            .env_remove("HANDBACK_DB")
            .env("HANDBACK_USER", "Ahmed (IT)")
            .env("HANDBACK_LANG", "en")
            .env("NO_COLOR", "1")
            .env("TZ", "Europe/Stockholm")
            .arg("--db")
            .arg(db)
            .current_dir(self.dir.path());
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_on(&self.db(), args)
    }

    /// Runs the binary on another register file; panics if it panicked.
    pub fn run_on(&self, db: &Path, args: &[&str]) -> Run {
        let output = self
            .command_on(db)
            .args(args)
            .output()
            .expect("run handback");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "handback panicked on {args:?}:\n{}",
            run.stderr
        );
        run
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(
            run.code, 0,
            "{args:?} failed:\n{}{}",
            run.stdout, run.stderr
        );
        run.stdout
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut with_format = args.to_vec();
        with_format.extend(["--format", "json"]);
        let stdout = self.ok(&with_format);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{stdout}"))
    }

    /// Runs a command that must fail with `code` and a message containing `message`, and
    /// checks that it changed nothing in the register. Returns stderr.
    pub fn refused(&self, args: &[&str], code: i32, message: &str) -> String {
        let before = self.state();
        let run = self.run(args);
        assert_eq!(
            run.code, code,
            "{args:?}: stdout {}\nstderr {}",
            run.stdout, run.stderr
        );
        assert!(
            run.stderr.contains(message),
            "{args:?}: expected {message:?} in:\n{}",
            run.stderr
        );
        assert_eq!(before, self.state(), "{args:?} changed the register");
        run.stderr
    }

    /// Every row of every table, as text: two equal states are the same register.
    pub fn state(&self) -> String {
        dump(&self.db())
    }

    /// Plain SQL on the register file, bypassing handback (SQLite only).
    pub fn sql(&self) -> Connection {
        assert!(!self.on_postgres(), "plain SQLite on a PostgreSQL register");
        Connection::open(self.db()).expect("open the register with plain SQL")
    }

    /// Runs plain SQL on the register, bypassing handback, whichever store it is on: the
    /// error's text when the database refuses it.
    pub fn execute(&self, sql: &str) -> Result<(), String> {
        match &self.database {
            Some(database) => database.client().batch_execute(sql).map_err(|e| {
                e.as_db_error()
                    .map_or(e.to_string(), |db| db.message().to_string())
            }),
            None => self.sql().execute_batch(sql).map_err(|e| e.to_string()),
        }
    }

    /// The first column of every row of a query, as text (NULL as an empty string).
    pub fn texts(&self, sql: &str) -> Vec<String> {
        match &self.database {
            Some(database) => database
                .client()
                .query(sql, &[])
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .iter()
                .map(|row| row.get::<_, Option<String>>(0).unwrap_or_default())
                .collect(),
            None => {
                let conn = self.sql();
                let mut stmt = conn.prepare(sql).expect(sql);
                stmt.query_map([], |row| {
                    Ok(match row.get::<_, rusqlite::types::Value>(0)? {
                        rusqlite::types::Value::Text(text) => text,
                        rusqlite::types::Value::Integer(n) => n.to_string(),
                        rusqlite::types::Value::Null => String::new(),
                        other => format!("{other:?}"),
                    })
                })
                .expect(sql)
                .collect::<rusqlite::Result<_>>()
                .expect(sql)
            }
        }
    }

    /// A number from plain SQL on the register, whichever store it is on.
    pub fn count(&self, sql: &str) -> i64 {
        match &self.database {
            Some(database) => database
                .client()
                .query_one(&format!("SELECT ({sql})::bigint"), &[])
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .get(0),
            None => self.sql().query_row(sql, [], |row| row.get(0)).expect(sql),
        }
    }
}

pub fn dump(db: &Path) -> String {
    if let Some(url) = db.to_str().filter(|d| d.starts_with("postgres://")) {
        return dump_database(url);
    }
    if !db.exists() {
        return String::from("(no register)");
    }
    let conn = Connection::open(db).expect("open the register");
    let mut out = String::new();
    for table in ["person", "device", "handout", "event"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
            .expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .expect("query");
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.expect("row").join(" | ")));
        }
    }
    out
}

/// A path to a file in `fixtures/`.
pub fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// [`dump`] of a register on PostgreSQL: every row as JSON, table by table.
fn dump_database(url: &str) -> String {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let mut out = String::new();
    for table in ["person", "device", "handout", "event"] {
        let sql = format!("SELECT row_to_json(t)::text FROM {table} t ORDER BY id");
        // A database without a register yet has no tables.
        let Ok(rows) = client.query(&sql, &[]) else {
            return String::from("(no register)");
        };
        for row in rows {
            out.push_str(&format!("{table}: {}\n", row.get::<_, String>(0)));
        }
    }
    out
}

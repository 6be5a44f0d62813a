//! A scratch folder per test with its own register, and helpers to run the real binary.

#![allow(dead_code)] // each test module uses a different part of this toolbox

use assert_cmd::Command;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub struct Scratch {
    pub dir: tempfile::TempDir,
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
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("register.sqlite")
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

    /// Plain SQL on the register, bypassing handback.
    pub fn sql(&self) -> Connection {
        Connection::open(self.db()).expect("open the register with plain SQL")
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.sql().query_row(sql, [], |row| row.get(0)).expect(sql)
    }
}

pub fn dump(db: &Path) -> String {
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

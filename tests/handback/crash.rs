//! A technician's machine dies in the middle of a large import: the register must be exactly
//! as it was before, and still open and pass its checks.

use crate::common::Scratch;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// A handout list of `rows` rows in the shape of the Swedish Excel exports.
fn large_list(rows: usize) -> String {
    let mut text = String::from(
        "Användare;Anst.nr;Enhet;Typ;Fabrikat;Modell;Serienr;Inv.nr;Utlämningsdatum\r\n",
    );
    for i in 0..rows {
        let person = i / 3;
        let _ = write!(
            text,
            "Åsa Öberg {person};{};Förvaltning {};Bärbar dator;Dell;Latitude;SN{i:08};INV{i:08};2024-01-{:02}\r\n",
            10_000 + person,
            person % 17,
            1 + i % 28
        );
    }
    text
}

#[cfg(unix)]
#[test]
fn a_killed_import_leaves_the_register_as_it_was() {
    if crate::common::sqlite_only("watches SQLite's write-ahead log to kill the import midway") {
        return;
    }
    let s = Scratch::new();
    s.ok(&["person", "add", "1", "--name", "Karin Holm"]);
    s.ok(&["handout", "KEEP-1", "--to", "1", "--kind", "laptop"]);
    let before = s.state();
    let list = s.write("large.csv", large_list(60_000));

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("handback"))
        .args([
            "--db",
            s.db().to_str().unwrap(),
            "import",
            list.to_str().unwrap(),
        ])
        .env("HANDBACK_USER", "crash test")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the import");

    // Wait until the import's transaction is visibly writing (its pages spill into the WAL),
    // so the kill lands in the middle of it rather than before or after.
    let wal = s.path("register.sqlite-wal");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut killed_midway = false;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("poll the import") {
            panic!(
                "the import finished ({status}) before it could be killed: make the file larger"
            );
        }
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 512 * 1024 {
            // SIGKILL: no destructor, no rollback, no chance to tidy up.
            child.kill().expect("kill the import");
            killed_midway = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.wait();
    assert!(killed_midway, "the import never started writing");

    assert_eq!(before, s.state(), "the killed import left something behind");
    let checked = s.ok(&["check"]);
    assert!(checked.starts_with("ok:"), "{checked}");
    let after = s.json(&["holdings", "1"]);
    assert_eq!(after["items"][0]["serial"], "KEEP-1");
    s.ok(&["handout", "NEW-1", "--to", "1", "--kind", "phone"]);
}

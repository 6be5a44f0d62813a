//! A real OpenLDAP server for a test: `scripts/ldap-server` in a scratch folder, on a free
//! loopback port, seeded with `fixtures/directory/people.ldif` (and whatever LDIF a test
//! adds), stopped when the [`LdapServer`] is dropped.
//!
//! Without Debian's slapd the tests skip with a reason, except in CI (`CI` set), where a
//! missing server fails the run.
//!
//! ```ignore
//! let Some(server) = ldap_server("my_test") else { return };
//! let query = LdapQuery::new(&server.url, USERS);
//! ```

#![allow(dead_code)] // the CLI tests of `handback sync ldap` use other parts than directory.rs

use std::path::{Path, PathBuf};
use std::process::Command;

const SLAPD: &str = "/usr/sbin/slapd";

/// The fixture's suffix, and the two places its people are.
pub const BASE: &str = "dc=kommun,dc=example";
pub const USERS: &str = "ou=Users,dc=kommun,dc=example";
pub const LEDNING: &str = "ou=Ledning,dc=kommun,dc=example";

/// The account a sync binds as; the server's limits (1 000 entries a search unless paged)
/// apply to it, as they do to anonymous reads.
pub const SYNC_DN: &str = "cn=handback-sync,ou=Service,dc=kommun,dc=example";
pub const SYNC_PASSWORD: &str = "sync-secret";
/// The rootdn: no limits apply to it.
pub const ROOT_DN: &str = "cn=admin,dc=kommun,dc=example";
pub const ROOT_PASSWORD: &str = "admin-secret";

/// A running server; it stops when dropped, and its folder goes with it.
pub struct LdapServer {
    /// `ldap://127.0.0.1:PORT`
    pub url: String,
    pub port: u16,
    /// The server's folder: configuration, database, `slapd.log`.
    pub dir: tempfile::TempDir,
}

/// The fixture's directory, or `None` (with the reason printed) when slapd is missing
/// outside CI.
pub fn ldap_server(test: &str) -> Option<LdapServer> {
    ldap_server_with(test, &[])
}

/// [`ldap_server`], seeded with these LDIF texts after the fixture.
pub fn ldap_server_with(test: &str, ldifs: &[&str]) -> Option<LdapServer> {
    if !Path::new(SLAPD).exists() {
        let reason = format!("{SLAPD} is missing (apt-get install slapd ldap-utils)");
        assert!(
            std::env::var_os("CI").is_none(),
            "in CI the LDAP server must be there: {reason}"
        );
        eprintln!("skipping {test}: {reason}");
        return None;
    }
    let dir = tempfile::tempdir().expect("a folder for the LDAP server");
    let mut seeds: Vec<PathBuf> = Vec::new();
    for (n, ldif) in ldifs.iter().enumerate() {
        let path = dir.path().join(format!("seed-{n}.ldif"));
        std::fs::write(&path, ldif).expect("write a seed LDIF");
        seeds.push(path);
    }
    // A free port can be taken between asking and slapd binding it (the suite runs tests in
    // parallel); then the script fails, and another port is tried.
    let mut last = String::new();
    for _ in 0..5 {
        let port = free_port();
        let output = Command::new(script())
            .arg("start")
            .arg(dir.path().join("server"))
            .arg(port.to_string())
            .args(&seeds)
            .output()
            .expect("run scripts/ldap-server");
        if output.status.success() {
            let url = String::from_utf8_lossy(&output.stdout).trim().to_string();
            assert_eq!(url, format!("ldap://127.0.0.1:{port}"));
            return Some(LdapServer { url, port, dir });
        }
        last = String::from_utf8_lossy(&output.stderr).into_owned();
        // Start afresh: the database of the failed try is seeded already, which is fine,
        // but its pid file is not ours.
        let _ = std::fs::remove_file(dir.path().join("server/slapd.pid"));
    }
    panic!("scripts/ldap-server start failed five times:\n{last}");
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/ldap-server")
}

/// A port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl LdapServer {
    /// slapd's `stats` log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server/slapd.log")).unwrap_or_default()
    }

    /// How many search operations (a paged search makes one a page) the server has had
    /// with this base.
    pub fn searches_of(&self, base: &str) -> usize {
        let wanted = format!("SRCH base=\"{base}\"");
        self.log()
            .lines()
            .filter(|line| line.contains(&wanted))
            .count()
    }
}

impl Drop for LdapServer {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .arg(self.dir.path().join("server"))
            .output();
    }
}

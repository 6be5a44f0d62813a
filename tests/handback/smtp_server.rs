//! A real mail server for a test: `scripts/smtp-server` (Debian's python3-aiosmtpd) in a
//! scratch folder, on a free loopback port, keeping every message it accepts, stopped when
//! the [`SmtpServer`] is dropped. [`SmtpServer::received`] reads them back, parsed by
//! `mail-parser`, so a test sees what a mail client would: decoded subject, both parts.
//!
//! Without aiosmtpd (or, for TLS, openssl) the tests skip with a reason, except in CI (`CI`
//! set), where a missing server fails the run.
//!
//! ```ignore
//! let Some(server) = smtp_server("my_test") else { return };
//! Postman::connect(&server.url, FROM)?.send(&mail)?;
//! let mails = server.received();
//!
//! let Some(server) = smtp_server_with("my_test", &SmtpOptions {
//!     login: true, tls: Tls::StartTls, ..SmtpOptions::default()
//! }) else { return };
//! let url = server.url_for(USER, PASSWORD);  // smtp://USER:PASSWORD@127.0.0.1:PORT?tls=required&ca=…
//! ```

#![allow(dead_code)] // the tests of `handback notify` use other parts than mail.rs

use mail_parser::MimeHeaders;
use std::path::{Path, PathBuf};
use std::process::Command;

const PYTHON: &str = "/usr/bin/python3";

/// The login the server takes when [`SmtpOptions::login`] is set.
pub const USER: &str = "handback";
pub const PASSWORD: &str = "brev-lösen:1";

/// How the server encrypts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tls {
    /// Plain SMTP.
    #[default]
    None,
    /// STARTTLS offered, and required before AUTH and MAIL.
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

#[derive(Clone, Debug, Default)]
pub struct SmtpOptions {
    /// Require AUTH as [`USER`] with [`PASSWORD`].
    pub login: bool,
    pub tls: Tls,
    /// Addresses answered 550 at RCPT TO.
    pub reject: Vec<String>,
}

/// A running server; it stops when dropped, and its folder goes with it.
pub struct SmtpServer {
    /// `smtp://127.0.0.1:PORT` (`smtps://` with [`Tls::Implicit`]), without login or TLS
    /// settings: see [`SmtpServer::url_for`].
    pub url: String,
    pub port: u16,
    pub options: SmtpOptions,
    /// The CA that signed the server's certificate, with TLS.
    pub ca: Option<PathBuf>,
    /// The server's folder: `mail/NNNN.eml` + `NNNN.json`, `smtp.log`, the certificates.
    pub dir: tempfile::TempDir,
}

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The envelope: MAIL FROM and the RCPT TOs the server accepted.
    pub from: String,
    pub to: Vec<String>,
    /// Who logged in for it, and whether the session was encrypted.
    pub login: Option<String>,
    pub tls: bool,
    /// Decoded.
    pub subject: String,
    /// The `text/plain` and `text/html` parts, decoded; `None` when there is no part of
    /// that type (the reader's conversions from the other part are not taken).
    pub text_part: Option<String>,
    pub html_part: Option<String>,
    /// The `To` header's addresses.
    pub to_header: Vec<String>,
    /// Every header, name and raw value (unfolded, not decoded), in order.
    pub headers: Vec<(String, String)>,
    /// The message as received.
    pub raw: String,
}

impl Received {
    /// The first header of that name (any case), its raw value trimmed.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
    }
}

/// A plain server, or `None` (with the reason printed) when aiosmtpd is missing outside CI.
pub fn smtp_server(test: &str) -> Option<SmtpServer> {
    smtp_server_with(test, &SmtpOptions::default())
}

/// The whole reason a part is missing, or `None` when it is there.
fn missing(options: &SmtpOptions) -> Option<String> {
    let aiosmtpd = Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !aiosmtpd {
        return Some(format!(
            "{PYTHON} has no aiosmtpd (apt-get install python3-aiosmtpd)"
        ));
    }
    let openssl = Command::new("openssl").arg("version").output().is_ok();
    if options.tls != Tls::None && !openssl {
        return Some("openssl is missing (apt-get install openssl)".to_string());
    }
    None
}

/// A server as `options` say, or `None` (with the reason printed) when a part is missing
/// outside CI.
pub fn smtp_server_with(test: &str, options: &SmtpOptions) -> Option<SmtpServer> {
    if let Some(reason) = missing(options) {
        assert!(
            std::env::var_os("CI").is_none(),
            "in CI the mail server must be there: {reason}"
        );
        eprintln!("skipping {test}: {reason}");
        return None;
    }
    let dir = tempfile::tempdir().expect("a folder for the mail server");
    let server_dir = dir.path().join("server");
    let mut args: Vec<String> = Vec::new();
    if options.login {
        args.extend(["--auth".to_string(), format!("{USER}:{PASSWORD}")]);
    }
    let mut ca = None;
    if options.tls != Tls::None {
        let certs = dir.path().join("certs");
        let output = Command::new(script())
            .arg("certs")
            .arg(&certs)
            .output()
            .expect("run scripts/smtp-server certs");
        assert!(
            output.status.success(),
            "scripts/smtp-server certs: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let flag = match options.tls {
            Tls::StartTls => "--starttls",
            _ => "--smtps",
        };
        args.push(flag.to_string());
        args.push(certs.join("cert.pem").display().to_string());
        args.push(certs.join("key.pem").display().to_string());
        ca = Some(certs.join("ca.pem"));
    }
    for address in &options.reject {
        args.extend(["--reject".to_string(), address.clone()]);
    }
    // A free port can be taken between asking and the server binding it (the suite runs
    // tests in parallel); then the script fails, and another port is tried.
    let mut last = String::new();
    for _ in 0..5 {
        let port = free_port();
        let output = Command::new(script())
            .arg("start")
            .arg(&server_dir)
            .arg(port.to_string())
            .args(&args)
            .output()
            .expect("run scripts/smtp-server");
        if output.status.success() {
            let url = String::from_utf8_lossy(&output.stdout).trim().to_string();
            let scheme = if options.tls == Tls::Implicit {
                "smtps"
            } else {
                "smtp"
            };
            assert_eq!(url, format!("{scheme}://127.0.0.1:{port}"));
            return Some(SmtpServer {
                url,
                port,
                options: options.clone(),
                ca,
                dir,
            });
        }
        last = String::from_utf8_lossy(&output.stderr).into_owned();
        let _ = std::fs::remove_file(server_dir.join("smtp.pid"));
    }
    panic!("scripts/smtp-server start failed five times:\n{last}");
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/smtp-server")
}

/// A port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// `text` percent-encoded for the user or password of a URL.
pub fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl SmtpServer {
    /// The URL to send through as `user` with `password` (both percent-encoded here), with
    /// `?tls=required` for STARTTLS and `ca=` the server's CA whenever it speaks TLS.
    pub fn url_for(&self, user: &str, password: &str) -> String {
        let scheme = if self.options.tls == Tls::Implicit {
            "smtps"
        } else {
            "smtp"
        };
        let mut settings: Vec<String> = Vec::new();
        if self.options.tls == Tls::StartTls {
            settings.push("tls=required".to_string());
        }
        if let Some(ca) = &self.ca {
            settings.push(format!("ca={}", ca.display()));
        }
        let query = if settings.is_empty() {
            String::new()
        } else {
            format!("?{}", settings.join("&"))
        };
        format!(
            "{scheme}://{}:{}@127.0.0.1:{}{query}",
            url_encoded(user),
            url_encoded(password),
            self.port
        )
    }

    /// [`SmtpServer::url`] with the TLS settings of [`SmtpServer::url_for`], no login.
    pub fn url_without_login(&self) -> String {
        let with = self.url_for("x", "y");
        with.replacen("x:y@", "", 1)
    }

    /// Every message accepted so far, in the order received.
    pub fn received(&self) -> Vec<Received> {
        let folder = self.dir.path().join("server/mail");
        let mut names: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok().map(|e| e.path()))
                    .filter(|path| path.extension().is_some_and(|e| e == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names.iter().map(|path| read_received(path)).collect()
    }

    /// The server's log (aiosmtpd's warnings; it logs no sessions).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server/smtp.log")).unwrap_or_default()
    }
}

fn read_received(eml: &Path) -> Received {
    let raw = std::fs::read(eml).unwrap_or_else(|e| panic!("read {}: {e}", eml.display()));
    let sidecar = eml.with_extension("json");
    let envelope: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&sidecar).unwrap_or_else(|e| panic!("read {}: {e}", sidecar.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", sidecar.display()));
    let strings = |value: &serde_json::Value| -> Vec<String> {
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .unwrap_or_else(|| panic!("{} is not a message", eml.display()));
    let part_of_type = |subtype: &str| {
        message
            .parts
            .iter()
            .find(|part| part.is_content_type("text", subtype))
            .and_then(|part| part.text_contents().map(str::to_string))
    };
    Received {
        from: envelope["from"].as_str().unwrap_or_default().to_string(),
        to: strings(&envelope["to"]),
        login: envelope["login"].as_str().map(str::to_string),
        tls: envelope["tls"].as_bool().unwrap_or(false),
        subject: message.subject().unwrap_or_default().to_string(),
        text_part: part_of_type("plain"),
        html_part: part_of_type("html"),
        to_header: message
            .to()
            .map(|to| {
                to.iter()
                    .filter_map(|a| a.address().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        headers: message
            .headers_raw()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        raw: String::from_utf8_lossy(&raw).into_owned(),
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = Command::new(script())
            .arg("stop")
            .arg(self.dir.path().join("server"))
            .output();
    }
}

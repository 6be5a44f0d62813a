//! `handback serve` driven over HTTP: the real binary on a free loopback port, its real
//! register, accounts made with `handback user add` and `handback token add`.

use crate::common::Scratch;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";

/// A running server; stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    agent: ureq::Agent,
}

/// One answer: status, headers and body.
pub struct Answer {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl Server {
    pub fn start(scratch: &Scratch) -> Server {
        Server::start_with(scratch, &[])
    }

    /// The server with more `serve` flags.
    pub fn start_with(scratch: &Scratch, flags: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin!("handback"))
            .env_remove("HANDBACK_DB")
            .env("HANDBACK_LANG", "en")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(scratch.db())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(flags)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start handback serve");
        let mut stderr = BufReader::new(child.stderr.take().expect("its stderr"));
        let mut line = String::new();
        let base = loop {
            line.clear();
            if stderr.read_line(&mut line).expect("read its stderr") == 0 {
                panic!("handback serve stopped before it listened");
            }
            if let Some(address) = line.trim().strip_prefix("listening on ") {
                break address.to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while stderr.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Server { child, base, agent }
    }

    fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
        let mut response = response.expect("the server answers");
        Answer {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// A GET with these headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Server::answer(request.call())
    }

    /// A POST of `body` with these headers.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut request = self.agent.post(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Server::answer(request.send(body))
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        terminate(self.child.id());
        let status = self.child.wait().expect("wait for the server");
        std::mem::forget(self);
        status
    }
}

fn terminate(pid: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
}

impl Drop for Server {
    fn drop(&mut self) {
        terminate(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An account, signed up from the command line.
pub fn account(scratch: &Scratch, login: &str, role: &str, departments: &[&str]) {
    let mut args = vec![
        "user",
        "add",
        login,
        "--name",
        login,
        "--role",
        role,
        "--password-stdin",
    ];
    for department in departments {
        args.extend(["--department", department]);
    }
    scratch
        .command()
        .args(&args)
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
}

/// A new API token for `login`, as the `Authorization` header's value.
pub fn bearer(scratch: &Scratch, login: &str) -> String {
    format!("Bearer {}", scratch.ok(&["token", "add", login]).trim())
}

/// A register with two departments: Karin (4471, Gatukontoret) holds LAP-1, Olle (5000,
/// Miljöförvaltningen) holds LAP-2; PHONE-9 is in stock. Accounts for every role.
pub fn two_departments() -> Scratch {
    let scratch = Scratch::new();
    scratch.ok(&[
        "person",
        "add",
        "4471",
        "--name",
        "Karin Sjöberg",
        "--department",
        "Gatukontoret",
    ]);
    scratch.ok(&[
        "person",
        "add",
        "5000",
        "--name",
        "Olle Ek",
        "--department",
        "Miljöförvaltningen",
    ]);
    scratch.ok(&["handout", "LAP-1", "--to", "4471", "--kind", "laptop"]);
    scratch.ok(&["handout", "LAP-2", "--to", "5000", "--kind", "laptop"]);
    scratch.ok(&["device", "add", "PHONE-9", "--kind", "phone"]);
    account(&scratch, "admin", "admin", &[]);
    account(&scratch, "tech", "technician", &[]);
    account(&scratch, "boss", "manager", &["Gatukontoret"]);
    account(&scratch, "audit", "auditor", &[]);
    scratch
}

/// Signs in through the form; the session cookie and the CSRF token of the page.
pub fn sign_in(server: &Server, login: &str) -> (String, String) {
    let answer = server.post(
        "/login",
        &[("content-type", "application/x-www-form-urlencoded")],
        &format!("login={login}&password={}", PASSWORD.replace(' ', "+")),
    );
    assert_eq!(answer.status, 303, "{}", answer.body);
    let cookie = answer
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let home = server.get("/", &[("cookie", &cookie)]);
    let csrf = home
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page's CSRF token")
        .to_string();
    (cookie, csrf)
}

/// Every route, with a body its POSTs take.
const API_ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/api/find?q=karin", ""),
    ("GET", "/api/people/4471/holdings", ""),
    ("GET", "/api/devices/LAP-1", ""),
    ("GET", "/api/devices/LAP-1/history", ""),
    ("GET", "/api/stock", ""),
    ("GET", "/api/overdue", ""),
    (
        "POST",
        "/api/handouts",
        r#"{"device":"PHONE-9","to":"4471"}"#,
    ),
    ("POST", "/api/returns", r#"{"device":"LAP-1"}"#),
    (
        "POST",
        "/api/transfers",
        r#"{"devices":["LAP-1"],"to":"5000"}"#,
    ),
    (
        "POST",
        "/api/replacements",
        r#"{"device":"LAP-1","with":"LAP-3","reason":"upgrade","kind":"laptop"}"#,
    ),
    ("POST", "/api/lost", r#"{"device":"LAP-1"}"#),
    ("POST", "/api/found", r#"{"device":"LAP-1"}"#),
    (
        "POST",
        "/api/leavers",
        r#"{"person":"4471","on":"2026-12-31"}"#,
    ),
];

const PAGES: &[&str] = &["/", "/people/4471", "/devices/LAP-1"];

fn call(server: &Server, method: &str, path: &str, body: &str, auth: &[(&str, &str)]) -> Answer {
    match method {
        "GET" => server.get(path, auth),
        _ => server.post(path, auth, body),
    }
}

#[test]
fn healthz_answers_ok_and_every_answer_carries_the_security_headers() {
    let scratch = Scratch::new();
    let server = Server::start(&scratch);
    let health = server.get("/healthz", &[]);
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    for answer in [
        health,
        server.get("/login", &[]),
        server.get("/api/stock", &[]),
    ] {
        assert_eq!(
            answer.header("content-security-policy"),
            "default-src 'self'"
        );
        assert_eq!(answer.header("x-content-type-options"), "nosniff");
        assert_eq!(answer.header("referrer-policy"), "same-origin");
        assert_eq!(answer.header("x-frame-options"), "DENY");
    }
    let css = server.get("/assets/handback.css", &[]);
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
}

#[test]
fn every_route_refuses_anonymous_callers_and_bad_tokens() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    for (method, path, body) in API_ROUTES {
        for auth in [&[][..], &[("authorization", "Bearer hb_not_a_token")][..]] {
            let answer = call(&server, method, path, body, auth);
            assert_eq!(answer.status, 401, "{method} {path}: {}", answer.body);
            assert_eq!(answer.json()["kind"], "unauthenticated");
        }
    }
    for path in PAGES {
        let answer = server.get(path, &[]);
        assert_eq!(answer.status, 303, "{path}");
        assert_eq!(answer.header("location"), "/login");
    }
    // Nothing changed.
    assert_eq!(
        scratch.count("SELECT count(*) FROM event WHERE actor <> 'Ahmed (IT)'"),
        0
    );
}

#[test]
fn each_role_may_do_only_what_it_is_given() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let auditor = bearer(&scratch, "audit");
    let manager = bearer(&scratch, "boss");
    for (method, path, body) in API_ROUTES {
        let answer = call(&server, method, path, body, &[("authorization", &auditor)]);
        let expected = if *method == "GET" { 200 } else { 403 };
        assert_eq!(
            answer.status, expected,
            "auditor {method} {path}: {}",
            answer.body
        );
        let answer = call(&server, method, path, body, &[("authorization", &manager)]);
        let expected = match (*method, *path) {
            ("GET", "/api/stock") => 403,
            ("GET", _) | ("POST", "/api/leavers") => 200,
            _ => 403,
        };
        assert_eq!(
            answer.status, expected,
            "manager {method} {path}: {}",
            answer.body
        );
        if expected == 403 {
            assert_eq!(answer.json()["kind"], "forbidden");
        }
    }
    // The pages, as each role (pages take a token too).
    let technician = bearer(&scratch, "tech");
    let pages: &[(&str, [u16; 3])] = &[
        // (path, [technician, manager, auditor])
        ("/", [200, 200, 200]),
        ("/handout", [200, 403, 403]),
        ("/stock", [200, 403, 200]),
        ("/leavers", [200, 200, 200]),
        ("/overdue", [200, 200, 200]),
        ("/report", [200, 200, 200]),
        ("/import", [200, 403, 403]),
        ("/users", [403, 403, 403]),
        ("/people/4471", [200, 200, 200]),
        ("/devices/LAP-1", [200, 200, 200]),
        ("/people/4471/receipt", [200, 403, 403]),
    ];
    for (path, expected) in pages {
        for (token, status) in [&technician, &manager, &auditor].into_iter().zip(expected) {
            let answer = server.get(path, &[("authorization", token)]);
            assert_eq!(answer.status, *status, "{path}");
        }
    }
    assert_eq!(
        scratch.count("SELECT count(*) FROM event WHERE actor = 'audit'"),
        0
    );
}

#[test]
fn a_manager_never_learns_of_people_or_devices_outside_their_departments() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let manager = bearer(&scratch, "boss");
    let auth = [("authorization", manager.as_str())];
    for path in [
        "/api/people/5000/holdings",
        "/api/devices/LAP-2",
        "/api/devices/LAP-2/history",
        "/api/devices/PHONE-9",
        "/api/people/nobody/holdings",
        "/api/devices/NO-SUCH",
    ] {
        let answer = server.get(path, &auth);
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert!(
            !answer.body.contains("Olle"),
            "{path} names Olle: {}",
            answer.body
        );
    }
    let leaver = server.post(
        "/api/leavers",
        &auth,
        r#"{"person":"5000","on":"2026-12-31"}"#,
    );
    assert_eq!(leaver.status, 404, "{}", leaver.body);
    let overdue = server.get(
        "/api/overdue?department=Milj%C3%B6f%C3%B6rvaltningen",
        &auth,
    );
    assert_eq!(overdue.status, 404, "{}", overdue.body);
    let found = server.get("/api/find?q=ek", &auth).json();
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .all(|hit| hit["id"] != "5000"),
        "{found}"
    );
    let own = server.get("/api/people/4471/holdings", &auth).json();
    assert_eq!(own["items"][0]["serial"], "LAP-1");

    let (cookie, _) = sign_in(&server, "boss");
    for path in ["/people/5000", "/devices/LAP-2"] {
        let page = server.get(path, &[("cookie", &cookie)]);
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("Olle"));
    }
    assert!(
        server
            .get("/people/4471", &[("cookie", &cookie)])
            .body
            .contains("LAP-1")
    );
}

#[test]
fn a_session_signs_in_with_a_password_and_its_changes_need_the_csrf_token() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let wrong = server.post("/login", &form, "login=tech&password=wrong+password");
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("The login or the password is wrong."));

    let answer = server.post("/login", &form, "login=tech&password=correct+horse+battery");
    assert_eq!(answer.status, 303);
    assert_eq!(answer.header("location"), "/");
    let cookie = answer.header("set-cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(flag), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "no TLS here: {cookie}");
    let (cookie, csrf) = sign_in(&server, "tech");
    let handout = r#"{"device":"PHONE-9","to":"4471"}"#;
    let refused = server.post("/api/handouts", &[("cookie", &cookie)], handout);
    assert_eq!(refused.status, 403);
    assert_eq!(refused.json()["kind"], "csrf");
    let done = server.post(
        "/api/handouts",
        &[("cookie", &cookie), ("x-csrf-token", &csrf)],
        handout,
    );
    assert_eq!(done.status, 201, "{}", done.body);
    assert_eq!(
        scratch.count("SELECT count(*) FROM event WHERE actor = 'tech' AND action = 'handed_out'"),
        1
    );

    // Signing out ends the session.
    let out = server.post(
        "/logout",
        &[
            ("cookie", &cookie),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        &format!("csrf={csrf}"),
    );
    assert_eq!(out.status, 303, "{}", out.body);
    assert_eq!(server.get("/", &[("cookie", &cookie)]).status, 303);
    let events = scratch.count(
        "SELECT count(*) FROM account_event WHERE login = 'tech'
         AND action IN ('signed_in', 'sign_in_failed', 'signed_out')",
    );
    assert_eq!(events, 4, "a failed sign-in, two sign-ins and a sign-out");
    // No secret in the trail.
    let trail = scratch
        .texts("SELECT CAST(details AS TEXT) || coalesce(client, '') FROM account_event")
        .join(" ");
    assert!(!trail.contains(&csrf) && !trail.contains(PASSWORD));
}

#[test]
fn failed_sign_ins_are_throttled_per_login() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    for _ in 0..5 {
        assert_eq!(
            server
                .post("/login", &form, "login=tech&password=guess+guess+guess")
                .status,
            401
        );
    }
    let throttled = server.post("/login", &form, "login=tech&password=correct+horse+battery");
    assert_eq!(throttled.status, 429);
}

#[test]
fn a_disabled_account_loses_its_sessions_and_tokens_at_once() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let token = bearer(&scratch, "tech");
    let (cookie, _) = sign_in(&server, "tech");
    assert_eq!(
        server
            .get("/api/stock", &[("authorization", &token)])
            .status,
        200
    );
    scratch.ok(&["user", "disable", "tech"]);
    assert_eq!(
        server
            .get("/api/stock", &[("authorization", &token)])
            .status,
        401
    );
    assert_eq!(server.get("/", &[("cookie", &cookie)]).status, 303);
}

#[test]
fn api_failures_answer_with_their_status_and_kind() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let token = bearer(&scratch, "tech");
    let auth = [("authorization", token.as_str())];
    let cases: &[(&str, &str, u16, &str)] = &[
        ("/api/handouts", r#"{"device":"#, 400, "malformed_request"),
        (
            "/api/handouts",
            r#"{"device":"X","to":"4471","colour":"red"}"#,
            400,
            "malformed_request",
        ),
        (
            "/api/handouts",
            r#"{"device":"LAP-2","to":"4471"}"#,
            409,
            "move_refused",
        ),
        (
            "/api/handouts",
            r#"{"device":"NEW-1","to":"nobody"}"#,
            404,
            "not_found",
        ),
        (
            "/api/handouts",
            r#"{"device":"PHONE-9","to":"4471","due":"2026-02-30"}"#,
            422,
            "invalid_input",
        ),
        (
            "/api/leavers",
            r#"{"person":"4471","on":"31/31/2026"}"#,
            422,
            "invalid_input",
        ),
        (
            "/api/replacements",
            r#"{"device":"LAP-1","with":"LAP-1","reason":"upgrade"}"#,
            409,
            "replaces_itself",
        ),
        (
            "/api/transfers",
            r#"{"to":"5000"}"#,
            400,
            "malformed_request",
        ),
    ];
    for (path, body, status, kind) in cases {
        let answer = server.post(path, &auth, body);
        assert_eq!(answer.status, *status, "{path} {body}: {}", answer.body);
        let json = answer.json();
        assert_eq!(json["kind"], *kind, "{path} {body}: {json}");
        assert!(json["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    // One byte over the limit: the server reads it all, so it answers instead of closing
    // the connection on a client still writing.
    assert_eq!(
        oversized_body(&server, "/api/handouts", &token, (1 << 20) + 1),
        413
    );
    let unknown = server.get("/api/nothing-here", &auth);
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["kind"], "not_found");
}

/// The status of a POST of `length` bytes.
fn oversized_body(server: &Server, path: &str, auth: &str, length: usize) -> u16 {
    use std::io::{Read, Write};
    let address = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: {auth}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
    .unwrap();
    stream.write_all(&vec![b' '; length]).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).expect("a status line");
    String::from_utf8_lossy(&head[9..12]).parse().unwrap_or(0)
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let scratch = Scratch::new();
    let server = Server::start(&scratch);
    assert_eq!(server.get("/healthz", &[]).status, 200);
    let status = server.stop();
    assert!(status.success(), "{status:?}");
}

/// Clients at once, and how long they keep at it.
const CLIENTS: usize = 32;
const SECONDS: u64 = 20;

/// 32 clients mix reads and changes through the API: nothing but rule refusals, the
/// register passes its check afterwards, and it holds one event per successful change.
#[test]
fn thirty_two_clients_at_once_leave_a_register_that_adds_up() {
    let scratch = Scratch::new();
    for i in 0..8 {
        scratch.ok(&[
            "person",
            "add",
            &format!("80{i:02}"),
            "--name",
            &format!("Person {i}"),
        ]);
    }
    for i in 0..16 {
        scratch.ok(&["device", "add", &format!("POOL-{i:02}"), "--kind", "laptop"]);
    }
    account(&scratch, "tech", "technician", &[]);
    let token = bearer(&scratch, "tech");
    let before = scratch.count("SELECT count(*) FROM event");
    let server = Server::start(&scratch);
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let outcomes: Vec<(u64, u64, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let (server, token) = (&server, token.as_str());
                scope.spawn(move || {
                    let auth = [("authorization", token)];
                    let (mut changes, mut refusals, mut unexpected) = (0u64, 0u64, Vec::new());
                    let mut n = client;
                    while Instant::now() < deadline {
                        n = n.wrapping_mul(2_654_435_761).wrapping_add(12_345) % 1_000_003;
                        // The operation, the device and the person from different digits
                        // of `n`, so that every device meets every operation.
                        let device = format!("POOL-{:02}", (n / 4) % 16);
                        let person = format!("80{:02}", (n / 64) % 8);
                        let (answer, change) = match n % 4 {
                            0 => (
                                server.post(
                                    "/api/handouts",
                                    &auth,
                                    &json!({"device": device, "to": person}).to_string(),
                                ),
                                true,
                            ),
                            1 => (
                                server.post(
                                    "/api/returns",
                                    &auth,
                                    &json!({"device": device}).to_string(),
                                ),
                                true,
                            ),
                            2 => (server.get(&format!("/api/devices/{device}"), &auth), false),
                            _ => (
                                server.get(&format!("/api/people/{person}/holdings"), &auth),
                                false,
                            ),
                        };
                        match answer.status {
                            200 | 201 if change => changes += 1,
                            200 => {}
                            409 => refusals += 1,
                            other => unexpected.push(format!("{other}: {}", answer.body)),
                        }
                    }
                    (changes, refusals, unexpected)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    drop(server);
    let changes: u64 = outcomes.iter().map(|o| o.0).sum();
    let refusals: u64 = outcomes.iter().map(|o| o.1).sum();
    eprintln!("{CLIENTS} clients for {SECONDS} s: {changes} changes, {refusals} rule refusals");
    let unexpected: Vec<&String> = outcomes.iter().flat_map(|o| &o.2).collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    assert!(changes > 0);
    let added = scratch.count("SELECT count(*) FROM event") - before;
    assert_eq!(
        added,
        i64::try_from(changes).unwrap(),
        "one event per successful change"
    );
    scratch.ok(&["check"]);
}

/// A multipart form with a CSRF token and one file.
fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "handback-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Server {
    /// A POST of raw bytes.
    pub fn post_bytes(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut request = self.agent.post(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Server::answer(request.send(body))
    }
}

#[test]
fn an_upload_is_checked_first_and_imported_only_when_confirmed() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let (cookie, csrf) = sign_in(&server, "tech");
    let list = std::fs::read(crate::common::fixture("utlamnad-utrustning-excel.csv")).unwrap();
    let people_before = scratch.count("SELECT count(*) FROM person");
    let (content_type, body) = multipart(&csrf, "C:\\Lists\\utlamnad.csv", &list);
    let checked = server.post_bytes(
        "/import",
        &[("cookie", &cookie), ("content-type", &content_type)],
        &body,
    );
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert!(
        checked.body.contains("Nothing was imported yet"),
        "{}",
        checked.body
    );
    assert!(checked.body.contains("utlamnad.csv"));
    assert_eq!(scratch.count("SELECT count(*) FROM person"), people_before);
    let upload = checked
        .body
        .split("name=\"upload\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the confirmation form")
        .to_string();
    let form = [
        ("cookie", cookie.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let imported = server.post(
        "/import/confirm",
        &form,
        &format!("csrf={csrf}&upload={upload}"),
    );
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert!(imported.body.contains("Imported."), "{}", imported.body);
    assert!(scratch.count("SELECT count(*) FROM person") > people_before);
    assert!(scratch.count("SELECT count(*) FROM event WHERE actor = 'tech'") > 0);
    // An upload is imported once.
    let again = server.post(
        "/import/confirm",
        &form,
        &format!("csrf={csrf}&upload={upload}"),
    );
    assert_eq!(again.status, 404);
    // Without the CSRF token, nothing is read.
    let (content_type, body) = multipart("forged", "x.csv", &list);
    let forged = server.post_bytes(
        "/import",
        &[("cookie", &cookie), ("content-type", &content_type)],
        &body,
    );
    assert_eq!(forged.status, 403);
}

#[test]
fn the_import_api_answers_the_summary_the_command_line_prints() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let token = bearer(&scratch, "tech");
    let list = std::fs::read(crate::common::fixture("utlamnad-utrustning-excel.csv")).unwrap();
    let auth = [("authorization", token.as_str())];
    let dry = server.post_bytes("/api/imports?name=lista.csv&dry_run=true", &auth, &list);
    assert_eq!(dry.status, 200, "{}", dry.body);
    let dry = dry.json();
    assert_eq!(
        (dry["file"].as_str(), dry["committed"].as_bool()),
        (Some("lista.csv"), Some(false))
    );
    let cli = scratch.json(&[
        "import",
        &crate::common::fixture("utlamnad-utrustning-excel.csv"),
        "--dry-run",
    ]);
    for field in [
        "rows",
        "people_created",
        "devices_created",
        "handouts_opened",
        "kind",
        "encoding",
    ] {
        assert_eq!(dry[field], cli[0][field], "{field}");
    }
    let real = server
        .post_bytes("/api/imports?name=lista.csv", &auth, &list)
        .json();
    assert_eq!(real["committed"], true);
    let auditor = bearer(&scratch, "audit");
    let refused = server.post_bytes(
        "/api/imports?name=x.csv",
        &[("authorization", &auditor)],
        &list,
    );
    assert_eq!(refused.status, 403);
}

#[test]
fn documents_come_as_the_command_line_writes_them() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let manager = bearer(&scratch, "boss");
    let auth = [("authorization", manager.as_str())];
    let html = server.get("/api/people/4471/checklist?lang=sv&format=html", &auth);
    assert_eq!(html.status, 200);
    let cli = scratch.ok(&["--lang", "sv", "checklist", "4471", "--format", "html"]);
    let strip = |text: &str| {
        text.lines()
            .filter(|l| !l.contains("2026-") && !l.contains("Ahmed") && !l.contains("boss"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&html.body).lines().count(),
        strip(&cli).lines().count()
    );
    let policy = html.header("content-security-policy");
    assert!(
        policy.starts_with("default-src 'self'; style-src 'self' 'sha256-"),
        "{policy}"
    );
    assert!(!policy.contains("unsafe"), "{policy}");
    for (format, content_type) in [
        ("json", "application/json"),
        ("md", "text/markdown"),
        ("csv", "text/csv"),
    ] {
        let doc = server.get(
            &format!("/api/people/4471/checklist?format={format}"),
            &auth,
        );
        assert_eq!(doc.status, 200, "{format}");
        assert!(
            doc.header("content-type").starts_with(content_type),
            "{format}"
        );
        assert!(doc.body.contains("LAP-1"), "{format}: {}", doc.body);
    }
    assert_eq!(
        server
            .get("/api/people/4471/checklist?format=pdf", &auth)
            .status,
        400
    );
    assert_eq!(server.get("/api/people/5000/checklist", &auth).status, 404);
    let report = server.get("/api/report?from=2026-01-01&to=2026-12-31", &auth);
    assert_eq!(report.status, 200, "{}", report.body);
    assert_eq!(
        report.json()["department"],
        "Gatukontoret",
        "a manager's report is their department's"
    );
    let other = server.get("/api/report?department=Milj%C3%B6f%C3%B6rvaltningen", &auth);
    assert_eq!(other.status, 404);
    let reversed = server.get("/api/report?from=2026-12-31&to=2026-01-01", &auth);
    assert_eq!(reversed.status, 422);
}

#[test]
fn an_admin_adds_and_disables_accounts_in_the_browser_form() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let (cookie, csrf) = sign_in(&server, "admin");
    let form = [
        ("cookie", cookie.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let added = server.post(
        "/users",
        &form,
        &format!("csrf={csrf}&login=eva&name=Eva+Lind&role=manager&departments=Gatukontoret&password=correct+horse+battery"),
    );
    assert_eq!(
        (added.status, added.header("location")),
        (303, "/users?done=account-added")
    );
    let listed = server.get("/users?done=account-added", &[("cookie", &cookie)]);
    assert!(listed.body.contains("Eva Lind") && listed.body.contains("Account added."));
    let eva = sign_in(&server, "eva");
    let disabled = server.post("/users/eva/disable", &form, &format!("csrf={csrf}"));
    assert_eq!(disabled.status, 303);
    assert_eq!(
        server.get("/", &[("cookie", &eva.0)]).status,
        303,
        "eva's session ended"
    );
    // A technician may not open the accounts.
    let (tech, _) = sign_in(&server, "tech");
    assert_eq!(server.get("/users", &[("cookie", &tech)]).status, 403);
}

#[test]
fn pages_speak_the_language_the_user_chooses() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    assert!(
        server
            .get("/login", &[("accept-language", "sv-SE,sv;q=0.9")])
            .body
            .contains("Logga in")
    );
    let chosen = server.get("/lang/sv?back=/login", &[]);
    assert_eq!((chosen.status, chosen.header("location")), (303, "/login"));
    let cookie = chosen
        .header("set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = server.get("/login", &[("cookie", &cookie), ("accept-language", "en")]);
    assert!(page.body.contains("Logga in") && page.body.contains("lang=\"sv\""));
    let elsewhere = server.get("/lang/en?back=//evil.example", &[]);
    assert_eq!(elsewhere.header("location"), "/");
}

#[test]
fn with_a_certificate_the_server_speaks_https_and_its_cookie_is_secure() {
    let scratch = two_departments();
    let (cert, key) = (scratch.path("cert.pem"), scratch.path("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status();
    if !made.is_ok_and(|s| s.success()) || Command::new("curl").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl and curl are needed in CI"
        );
        eprintln!("skipping the TLS test: openssl or curl is missing");
        return;
    }
    let server = Server::start_with(
        &scratch,
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    assert!(server.base.starts_with("https://"), "{}", server.base);
    let curl = |args: &[&str]| {
        let out = Command::new("curl")
            .args(["-sk", "-i"])
            .args(args)
            .output()
            .expect("curl");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(curl(&[&format!("{}/healthz", server.base)]).ends_with("ok"));
    let login = curl(&[
        "-X",
        "POST",
        "-d",
        "login=tech&password=correct+horse+battery",
        &format!("{}/login", server.base),
    ]);
    let cookie = login
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie"))
        .unwrap_or("");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{login}"
    );
}

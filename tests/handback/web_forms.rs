//! The pages' forms over HTTP: a refused form comes back with its status, what was typed,
//! and the problem at its field; the accessibility statement is there for anyone.

use crate::web::{Server, sign_in, two_departments};

const FORM: &str = "application/x-www-form-urlencoded";

#[test]
fn a_refused_form_keeps_what_was_typed_and_marks_the_field() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let (cookie, csrf) = sign_in(&server, "tech");
    let headers = [("cookie", cookie.as_str()), ("content-type", FORM)];
    let refused = server.post(
        "/handout",
        &headers,
        &format!("csrf={csrf}&serials=LAP-2&to=4471&kind=&due=&note=a+%3Cnote%3E"),
    );
    assert_eq!(refused.status, 409, "{}", refused.body);
    for expected in [
        r#"class="error-summary""#,
        r##"href="#handout-serials""##,
        r#"aria-invalid="true" aria-describedby="handout-serials-error">LAP-2</textarea>"#,
        r#"value="4471""#,
        r#"value="a &lt;note&gt;""#,
    ] {
        assert!(
            refused.body.contains(expected),
            "{expected}: {}",
            refused.body
        );
    }
    let impossible = server.get("/leavers?from=2026-02-30", &[("cookie", &cookie)]);
    assert_eq!(impossible.status, 422, "{}", impossible.body);
    assert!(impossible.body.contains(r#"value="2026-02-30""#));
    assert!(impossible.body.contains(r#"id="window-from-error""#));

    let (admin, admin_csrf) = sign_in(&server, "admin");
    let short = server.post(
        "/users",
        &[("cookie", admin.as_str()), ("content-type", FORM)],
        &format!("csrf={admin_csrf}&login=eva&name=Eva+Lind&role=auditor&password=short"),
    );
    assert_eq!(short.status, 422, "{}", short.body);
    assert!(short.body.contains(r#"value="Eva Lind""#));
    assert!(
        short.body.contains(r#"id="account-password-error""#),
        "{}",
        short.body
    );
    assert!(
        short.body.contains(r#"<option value="auditor" selected>"#),
        "{}",
        short.body
    );
    assert!(
        !short.body.contains(r#"value="short""#),
        "a password is never sent back"
    );
    let wrong = server.post(
        "/login",
        &[("content-type", FORM)],
        "login=tech&password=nope",
    );
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains(r#"value="tech""#) && !wrong.body.contains("nope"));
}

#[test]
fn the_accessibility_statement_is_there_for_anyone_and_every_page_links_to_it() {
    let scratch = two_departments();
    let server = Server::start_with(
        &scratch,
        &["--accessibility-contact", "tillganglighet@kommun.example"],
    );
    let english = server.get("/tillganglighet", &[]);
    assert_eq!(english.status, 200);
    for expected in [
        "Accessibility statement",
        "DIGG",
        "tillganglighet@kommun.example",
        "2018:1937",
    ] {
        assert!(english.body.contains(expected), "{expected}");
    }
    let swedish = server.get("/tillganglighet", &[("accept-language", "sv-SE,sv")]);
    assert!(swedish.body.contains("<html lang=\"sv\""));
    assert!(swedish.body.contains("Tillgänglighetsredogörelse"));
    assert!(swedish.body.contains("Myndigheten för digital förvaltning"));
    let (cookie, _) = sign_in(&server, "boss");
    for path in ["/login", "/", "/people/4471", "/overdue"] {
        let page = server.get(path, &[("cookie", &cookie)]);
        assert!(
            page.body.contains(r#"<a href="/tillganglighet">"#),
            "{path}"
        );
        assert!(
            page.body.contains(r##"<a class="skip" href="#main">"##),
            "{path}"
        );
    }
}

#[test]
fn no_form_input_answers_with_a_server_error() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let (cookie, csrf) = sign_in(&server, "tech");
    let headers = [("cookie", cookie.as_str()), ("content-type", FORM)];
    let long = "x".repeat(5000);
    let posts = [
        ("/handout", "serials=%00%FF%FE&to=%C3".to_string()),
        ("/handout", String::new()),
        (
            "/handout",
            "serials=LAP-1+LAP-1+PHONE-9&to=4471&due=0000-00-00".to_string(),
        ),
        (
            "/devices/LAP-1/replace",
            "with=&reason=nonsense".to_string(),
        ),
        ("/devices/LAP-1/replace", format!("with={long}&kind={long}")),
        ("/devices/LAP-1/bogus", String::new()),
        (
            "/devices/NO-SUCH/return",
            "condition=melted&to=moon".to_string(),
        ),
        ("/people/4471/leave", "on=9999-99-99".to_string()),
        ("/people/4471/transfer", format!("to={long}")),
        ("/people/nobody/handout", "serials=PHONE-9".to_string()),
        ("/users", "login=&name=&role=king&password=x".to_string()),
    ];
    for (path, body) in posts {
        let answer = server.post(path, &headers, &format!("csrf={csrf}&{body}"));
        assert!(
            (200..500).contains(&answer.status),
            "POST {path} {body}: {}",
            answer.status
        );
    }
    for path in [
        "/leavers?from=%FF",
        "/overdue?as_of=x&department=%00",
        "/report?from=x&to=y",
        "/people/4471/receipt?day=-1",
        "/?q=%00%00",
        "/tillganglighet?x=%FF",
    ] {
        let answer = server.get(path, &[("cookie", &cookie)]);
        assert!(
            (200..500).contains(&answer.status),
            "GET {path}: {}",
            answer.status
        );
    }
}

use super::*;
use rstest::rstest;

const FROM: &str = "IT-service <it@kommun.example>";

fn postman(url: &str) -> Postman {
    Postman::connect(url, FROM).unwrap_or_else(|e| panic!("{url}: {e}"))
}

#[rstest]
#[case(
    "smtp://mail.kommun.example",
    "smtp://mail.kommun.example",
    25,
    Security::None
)]
#[case(
    "smtp://mail.kommun.example:2525",
    "smtp://mail.kommun.example",
    2525,
    Security::None
)]
#[case(
    "smtp://mail.kommun.example?tls=none",
    "smtp://mail.kommun.example",
    25,
    Security::None
)]
#[case(
    "smtp://mail.kommun.example?tls=required",
    "smtp://mail.kommun.example",
    587,
    Security::StartTls
)]
#[case(
    "smtp://mail.kommun.example:25?tls=opportunistic",
    "smtp://mail.kommun.example",
    25,
    Security::Opportunistic
)]
#[case(
    "smtps://mail.kommun.example",
    "smtps://mail.kommun.example",
    465,
    Security::Implicit
)]
#[case(
    "smtps://handback:s%40cret@mail.kommun.example",
    "smtps://handback@mail.kommun.example",
    465,
    Security::Implicit
)]
#[case(
    "smtp://u:p@127.0.0.1:2525",
    "smtp://u@127.0.0.1",
    2525,
    Security::None
)]
#[case("smtp://[::1]:2525", "smtp://[::1]", 2525, Security::None)]
fn the_url_forms(
    #[case] url: &str,
    #[case] shown_host: &str,
    #[case] port: u16,
    #[case] security: Security,
) {
    let postman = postman(url);
    assert_eq!(postman.port, port);
    assert_eq!(postman.security, security);
    assert_eq!(postman.server(), format!("{shown_host}:{port}"));
}

#[test]
fn user_and_password_are_percent_decoded() {
    let postman = postman("smtps://it%40kommun.example:p%C3%A5ss%3Aw%2Fo@mail.kommun.example");
    let (user, credentials) = postman.credentials.clone().expect("credentials");
    assert_eq!(user, "it@kommun.example");
    assert_eq!(
        credentials,
        Credentials::new("it@kommun.example".to_string(), "påss:w/o".to_string())
    );
    assert_eq!(
        postman.server(),
        "smtps://it%40kommun.example@mail.kommun.example:465"
    );
}

#[rstest]
#[case("mail.kommun.example", "relative URL")]
#[case("http://mail.kommun.example", "http:// is not smtp://")]
#[case("smtp://", "no host")]
#[case("smtp://mail.kommun.example?tls=yes", "tls=yes is not required")]
#[case("smtps://mail.kommun.example?tls=required", "tls= is for smtp://")]
#[case("smtp://mail.kommun.example?verify=no", "?verify= is not a setting")]
#[case("smtp://mail.kommun.example/relay", "/relay after the host")]
#[case("smtp://handback@mail.kommun.example?tls=required", "has no password")]
fn urls_that_are_refused(#[case] url: &str, #[case] reason: &str) {
    let error = Postman::connect(url, FROM).expect_err(url);
    assert!(matches!(error, MailError::BadUrl { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(reason), "{message}");
    assert!(message.contains("check mail.smtp_url"), "{message}");
}

#[rstest]
#[case("smtp://u:secret@mail.kommun.example")]
#[case("smtp://u:secret@mail.kommun.example?tls=opportunistic")]
fn a_password_is_not_sent_unencrypted_off_this_machine(#[case] url: &str) {
    let error = Postman::connect(url, FROM).expect_err(url);
    assert!(matches!(error, MailError::Unencrypted { .. }), "{error:?}");
    assert!(!error.to_string().contains("secret"), "{error}");
    // To a relay on this machine it may be.
    postman("smtp://u:secret@localhost:2525");
    postman("smtp://u:secret@mail.kommun.example?tls=required");
}

#[rstest]
#[case("smtp://handback:hemligt-lösen@127.0.0.1:2525")]
#[case("smtp://handback:hemligt-l%C3%B6sen@mail.kommun.example?tls=required")]
#[case("smtps://handback:hemligt-lösen@mail.kommun.example:465/?tls=wrong")]
#[case("smtps://handback:hemligt-lösen@mail.kommun.example:465/ x")]
#[case("smtp//handback:hemligt-lösen@mail.kommun.example")]
fn the_password_is_in_no_message_nor_debug(#[case] url: &str) {
    let shown = match Postman::connect(url, FROM) {
        Ok(postman) => format!("{postman:?} {}", postman.server()),
        Err(error) => format!("{error} {error:?}"),
    };
    assert!(!shown.contains("hemligt"), "{shown}");
}

#[rstest]
#[case("smtp://u:p@h:25/x?y", "smtp://u@h:25/x?y")]
#[case("smtp://u@h", "smtp://u@h")]
#[case("smtp://h", "smtp://h")]
#[case("smtps://u:p:q@h?a=@", "smtps://u@")]
#[case("smtp://u:p?ss@h:25", "smtp://u@h:25")]
#[case("smtp://u:p@@h", "smtp://u@h")]
#[case("not a url", "not a url")]
#[case("smtp://u:pa/ss@h:25", "smtp://u@h:25")]
#[case("smtp//u:p@h", "smtp//u@h")]
fn shown_urls(#[case] url: &str, #[case] shown: &str) {
    assert_eq!(shown_url(url), shown);
}

#[rstest]
#[case("it@kommun.example")]
#[case("IT-service <it@kommun.example>")]
#[case("\"IT-service, Kommunen\" <it@kommun.example>")]
#[case("Åsa Öberg <it@kommun.example>")]
fn senders(#[case] from: &str) {
    Postman::connect("smtp://127.0.0.1", from).unwrap_or_else(|e| panic!("{from}: {e}"));
}

#[rstest]
#[case("it.kommun.example")]
#[case("IT-service <it@kommun.example")]
#[case("")]
fn senders_that_are_refused(#[case] from: &str) {
    let error = Postman::connect("smtp://127.0.0.1", from).expect_err(from);
    assert!(
        matches!(
            error,
            MailError::BadAddress {
                role: Role::Sender,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("check mail.from"), "{error}");
}

fn mail() -> Mail {
    Mail {
        to: vec![Mailbox::new(Some("Börje Öst"), "borje.ost@kommun.example")],
        subject: "Återlämning av utrustning före din sista dag".to_string(),
        text: "Hej Börje!\n\nLämna in: LAP-0042, TEL-0007.\n".to_string(),
        html: "<p>Hej Börje!</p><ul><li>LAP-0042</li><li>TEL-0007</li></ul>".to_string(),
    }
}

#[test]
fn the_message_has_both_parts_and_the_headers_of_a_notice() {
    let bytes = postman("smtp://127.0.0.1").format(&mail()).expect("format");
    // Every non-ASCII character is encoded: any server takes it.
    assert!(bytes.is_ascii());
    let text = String::from_utf8(bytes).expect("ASCII");
    for wanted in [
        "Auto-Submitted: auto-generated\r\n",
        "Message-ID: <",
        "Date: ",
        "From: IT-service <it@kommun.example>\r\n",
        "Content-Type: multipart/alternative;",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Type: text/html; charset=utf-8",
        "MIME-Version: 1.0",
    ] {
        assert!(text.contains(wanted), "no {wanted:?} in\n{text}");
    }
    assert!(!text.contains("Återlämning"), "{text}");
}

#[test]
fn a_mail_needs_a_recipient_with_an_address() {
    let postman = postman("smtp://127.0.0.1");
    let mut nobody = mail();
    nobody.to.clear();
    assert!(matches!(
        postman.format(&nobody),
        Err(MailError::NoRecipient { .. })
    ));
    let mut wrong = mail();
    wrong
        .to
        .push(Mailbox::new(None, "karin.sjoberg(at)kommun.example"));
    let error = postman.format(&wrong).expect_err("a bad address");
    assert!(
        matches!(&error, MailError::BadAddress { address, role: Role::Recipient, .. }
            if address == "karin.sjoberg(at)kommun.example"),
        "{error:?}"
    );
}

#[test]
fn a_missing_ca_file_says_which() {
    let error = Postman::connect("smtps://mail.kommun.example?ca=/nonexistent/ca.pem", FROM)
        .expect_err("no such file");
    assert!(matches!(error, MailError::BadCa { .. }), "{error:?}");
    assert!(error.to_string().contains("/nonexistent/ca.pem"), "{error}");
    let dir = tempfile::tempdir().expect("a folder");
    let not_pem = dir.path().join("ca.pem");
    std::fs::write(&not_pem, "hello").expect("write");
    let url = format!("smtps://mail.kommun.example?ca={}", not_pem.display());
    let error = Postman::connect(&url, FROM).expect_err("no certificate");
    assert!(error.to_string().contains("no PEM certificate"), "{error}");
}

#[rstest]
#[case("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
#[case(".a\r\nb\r\n..c\r\n.\r\n", "..a\r\nb\r\n...c\r\n..\r\n.\r\n")]
#[case("no line end", "no line end\r\n.\r\n")]
#[case("", ".\r\n")]
fn the_message_is_dot_stuffed(#[case] body: &str, #[case] sent: &str) {
    assert_eq!(DataLines(body).to_string(), sent);
}

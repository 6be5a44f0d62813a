//! The mail sending of `handback notify` against a real SMTP server on loopback
//! (`scripts/smtp-server`): what arrives (envelope, headers, both parts, Swedish letters),
//! logging in, STARTTLS and implicit TLS with the organisation's own CA, and each way a send
//! goes wrong, the password never in a message.

use crate::smtp_server::{
    PASSWORD, SmtpOptions, Tls, USER, free_port, smtp_server, smtp_server_with,
};
use handback::mail::{Mail, MailError, Mailbox, Postman, Step};
use std::time::{Duration, Instant};

const FROM: &str = "IT-service <it@kommun.example>";

fn checklist() -> Mail {
    Mail {
        to: vec![
            Mailbox::new(Some("Börje Öst"), "borje.ost@kommun.example"),
            Mailbox::new(None, "annika.lindqvist@kommun.example"),
        ],
        subject: "Återlämning av utrustning före din sista dag, 30 september".to_string(),
        text: "Hej Börje!\n\nLämna in följande senast fredag:\n- LAP-0042 bärbar dator\n\
               - TEL-0007 mobiltelefon\n.\n.laddare medföljer\n\nVänliga hälsningar\nIT-service\n"
            .to_string(),
        html: "<p>Hej Börje!</p><p>Lämna in följande senast fredag:</p>\
               <ul><li>LAP-0042 bärbar dator</li><li>TEL-0007 mobiltelefon</li></ul>"
            .to_string(),
    }
}

fn one_to(address: &str) -> Mail {
    Mail {
        to: vec![Mailbox::new(None, address)],
        ..checklist()
    }
}

fn send(url: &str, mail: &Mail) -> Result<(), MailError> {
    Postman::connect(url, FROM)
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .send(mail)
}

#[test]
fn a_notice_arrives_with_both_parts_and_its_swedish_intact() {
    let Some(server) = smtp_server("a_notice_arrives_with_both_parts_and_its_swedish_intact")
    else {
        return;
    };
    send(&server.url, &checklist()).unwrap_or_else(|e| panic!("send: {e}"));
    let mails = server.received();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert_eq!(mail.from, "it@kommun.example");
    assert_eq!(
        mail.to,
        [
            "borje.ost@kommun.example",
            "annika.lindqvist@kommun.example"
        ]
    );
    assert_eq!(mail.to_header, mail.to);
    assert_eq!(
        mail.subject,
        "Återlämning av utrustning före din sista dag, 30 september"
    );
    let text = mail.text_part.as_deref().expect("a text/plain part");
    let html = mail.html_part.as_deref().expect("a text/html part");
    let text = text.replace("\r\n", "\n");
    assert_eq!(text, checklist().text);
    assert_eq!(html, checklist().html);
    // Lines that begin with a dot survive the SMTP transfer (dot-stuffed on the way).
    assert!(text.contains("\n.\n.laddare medföljer\n"), "{text}");
    for serial in ["LAP-0042", "TEL-0007"] {
        assert!(text.contains(serial) && html.contains(serial), "{serial}");
    }
    assert!(
        mail.header("Content-Type")
            .is_some_and(|t| t.starts_with("multipart/alternative")),
        "{:?}",
        mail.header("Content-Type")
    );
    assert_eq!(mail.header("Auto-Submitted"), Some("auto-generated"));
    assert!(mail.header("Message-ID").is_some_and(|id| id.contains('@')));
    assert!(mail.header("Date").is_some());
    assert!(
        mail.header("From")
            .is_some_and(|f| f.contains("<it@kommun.example>"))
    );
    // The To header names Börje; encoded on the wire, so any server takes it.
    assert!(mail.raw.is_ascii());
    assert!(!mail.tls && mail.login.is_none());

    // A second mail is a second message: nothing is kept between sends.
    send(&server.url, &one_to("it-desk@kommun.example")).unwrap_or_else(|e| panic!("{e}"));
    let mails = server.received();
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].to, ["it-desk@kommun.example"]);
    assert_ne!(mails[0].header("Message-ID"), mails[1].header("Message-ID"));
}

#[test]
fn a_login_is_taken_and_a_wrong_password_named_without_it() {
    let options = SmtpOptions {
        login: true,
        ..SmtpOptions::default()
    };
    let Some(server) = smtp_server_with("a_login_is_taken", &options) else {
        return;
    };
    send(&server.url_for(USER, PASSWORD), &checklist()).unwrap_or_else(|e| panic!("{e}"));
    let mails = server.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].login.as_deref(), Some(USER));

    let wrong = "fel-lösenord-123";
    let error = send(&server.url_for(USER, wrong), &checklist()).expect_err("a wrong password");
    let MailError::Auth {
        server: shown,
        user,
        code,
        ..
    } = &error
    else {
        panic!("not an Auth error: {error:?}");
    };
    assert_eq!(shown, &format!("smtp://{USER}@127.0.0.1:{}", server.port));
    assert_eq!(user, USER);
    assert_eq!(*code, 535);
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    for secret in [wrong, "fel-l%C3%B6senord-123", "lösenord"] {
        assert!(!display.contains(secret), "{display}");
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(
        display.contains("refused the login as handback"),
        "{display}"
    );
    assert!(display.contains("check the user and password in mail.smtp_url"));

    // Without a login the server takes no mail: refused at the sender, saying so.
    let error = send(&server.url, &checklist()).expect_err("no login");
    assert!(
        matches!(
            &error,
            MailError::Refused {
                step: Step::Sender(_),
                code: 530,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.received().len(), 1);
}

#[test]
fn starttls_is_required_and_then_the_login_is_encrypted() {
    let options = SmtpOptions {
        login: true,
        tls: Tls::StartTls,
        ..SmtpOptions::default()
    };
    let Some(server) = smtp_server_with("starttls_is_required", &options) else {
        return;
    };
    let url = server.url_for(USER, PASSWORD);
    assert!(url.contains("?tls=required&ca="), "{url}");
    send(&url, &checklist()).unwrap_or_else(|e| panic!("{url}: {e}"));
    let mails = server.received();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].tls, "not encrypted: {:?}", mails[0]);
    assert_eq!(mails[0].login.as_deref(), Some(USER));
    assert!(mails[0].subject.starts_with("Återlämning"));

    // Without the organisation's CA the certificate is not trusted: say what to add.
    let untrusted = url.split("&ca=").next().expect("the URL").to_string();
    let error = send(&untrusted, &checklist()).expect_err("an unknown CA");
    assert!(matches!(error, MailError::Tls { .. }), "{error:?}");
    assert!(error.to_string().contains("?ca=/path/ca.pem"), "{error}");
    assert!(!format!("{error} {error:?}").contains("lösen"));

    // Unencrypted the server offers no login; off loopback handback would not even try.
    let plain = format!("smtp://{USER}:x@127.0.0.1:{}", server.port);
    let error = send(&plain, &checklist()).expect_err("no login offered");
    assert!(
        matches!(
            error,
            MailError::NoLogin {
                encrypted: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("?tls=required"), "{error}");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn implicit_tls_with_a_login() {
    let options = SmtpOptions {
        login: true,
        tls: Tls::Implicit,
        ..SmtpOptions::default()
    };
    let Some(server) = smtp_server_with("implicit_tls_with_a_login", &options) else {
        return;
    };
    let url = server.url_for(USER, PASSWORD);
    assert!(url.starts_with("smtps://"), "{url}");
    send(&url, &checklist()).unwrap_or_else(|e| panic!("{url}: {e}"));
    let mails = server.received();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].tls && mails[0].login.as_deref() == Some(USER));
}

#[test]
fn starttls_required_of_a_server_without_it() {
    let Some(server) = smtp_server("starttls_required_of_a_server_without_it") else {
        return;
    };
    let url = format!("{}?tls=required", server.url);
    let error = send(&url, &checklist()).expect_err("no STARTTLS");
    assert!(matches!(error, MailError::NoStartTls { .. }), "{error:?}");
    assert!(server.received().is_empty());
}

#[test]
fn a_refused_recipient_is_named_and_nobody_gets_the_mail() {
    let options = SmtpOptions {
        reject: vec!["annika.lindqvist@kommun.example".to_string()],
        ..SmtpOptions::default()
    };
    let Some(server) = smtp_server_with("a_refused_recipient", &options) else {
        return;
    };
    let error = send(&server.url, &checklist()).expect_err("a refused recipient");
    let MailError::Refused {
        step, code, text, ..
    } = &error
    else {
        panic!("not Refused: {error:?}");
    };
    assert_eq!(
        step,
        &Step::Recipient("annika.lindqvist@kommun.example".to_string())
    );
    assert_eq!(*code, 550);
    assert!(text.contains("User unknown"), "{text}");
    let message = error.to_string();
    assert_eq!(
        message,
        format!(
            "the mail server at smtp://127.0.0.1:{} refused the recipient \
             annika.lindqvist@kommun.example: 550 5.1.1 <annika.lindqvist@kommun.example>: \
             Recipient address rejected: User unknown; check the recipient's address (nobody \
             got the mail)",
            server.port
        )
    );
    assert!(server.received().is_empty(), "{:#?}", server.received());
}

#[test]
fn a_closed_port_fails_at_once() {
    let port = free_port();
    let started = Instant::now();
    let error = send(&format!("smtp://127.0.0.1:{port}"), &checklist()).expect_err("closed");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(error, MailError::Connect { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "cannot connect to the mail server at smtp://127.0.0.1:{port}:"
        )),
        "{message}"
    );
    assert!(message.contains("check mail.smtp_url"), "{message}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    // It takes the connection and says nothing: a hung relay.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("its address").port();
    let postman = Postman::connect_with_timeout(
        &format!("smtp://127.0.0.1:{port}"),
        FROM,
        Duration::from_millis(500),
    )
    .expect("a postman");
    let started = Instant::now();
    let error = postman.send(&checklist()).expect_err("no greeting");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(
            error,
            MailError::TimedOut {
                doing: "connecting",
                ..
            }
        ),
        "{error:?}"
    );
    drop(listener);
}

#[test]
fn time_per_send_on_loopback() {
    let Some(server) = smtp_server("time_per_send_on_loopback") else {
        return;
    };
    let postman = Postman::connect(&server.url, FROM).expect("a postman");
    const SENDS: u32 = 20;
    let started = Instant::now();
    for n in 0..SENDS {
        postman
            .send(&one_to(&format!("person{n}@kommun.example")))
            .unwrap_or_else(|e| panic!("send {n}: {e}"));
    }
    let each = started.elapsed() / SENDS;
    eprintln!("time per send on loopback (a connection each): {each:?}");
    assert_eq!(server.received().len(), SENDS as usize);
    assert!(each < Duration::from_secs(1), "{each:?} a send");
}

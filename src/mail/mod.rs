//! Sending e-mail notices over SMTP (`handback notify`: a leaver's checklist, their manager's
//! and the IT desk's notices). This module knows nothing of the register: it sends a [`Mail`]
//! (a plain-text part and an HTML alternative, UTF-8) from one sender through one server.
//!
//! The server is `mail.smtp_url`:
//!
//! | URL | what |
//! |---|---|
//! | `smtp://HOST[:PORT]` | unencrypted, port 25 by default; STARTTLS is not tried |
//! | `smtp://HOST[:PORT]?tls=required` | STARTTLS, and no mail unless it succeeds (port 587 by default) |
//! | `smtp://HOST[:PORT]?tls=opportunistic` | STARTTLS when the server offers it, else unencrypted (port 587 by default) |
//! | `smtps://HOST[:PORT]` | TLS from the first byte (implicit TLS), port 465 by default |
//! | `smtp[s]://USER:PASSWORD@HOST…` | AUTH PLAIN or LOGIN; percent-encode `@ : / ? # %` in USER and PASSWORD (`it%40kommun.example`) |
//! | `…?ca=/path/ca.pem` | trust this CA too (PEM, one or more certificates): for a mail server whose certificate comes from the organisation's own CA |
//!
//! The server's certificate is checked against the system's root certificates (and `ca`),
//! and its name against HOST. A password is sent only encrypted, except to a server on
//! loopback (a local relay): over `smtp://` to any other host it is refused before
//! connecting. Each step (connecting, each answer) may take [`DEFAULT_TIMEOUT`], so a dead
//! server does not hang a cron job.
//!
//! No message, `Debug` output or error of this module contains the password: a server is
//! shown as `smtp://USER@HOST:PORT` ([`shown_url`]).
//!
//! Each mail is one connection, and one transaction: a recipient the server refuses fails
//! the whole mail (nobody gets it), with [`MailError::Refused`] naming the address. Every
//! mail carries `Date`, `Message-ID` and `Auto-Submitted: auto-generated` (RFC 3834: an
//! automatic notice, which well-behaved auto-responders do not answer).

use lettre::Address;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox as LettreMailbox, Message, MultiPart, header};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail as MailCommand, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// How long one step (connecting, the TLS handshake, each answer of the server) may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The SMTP ports by convention: plain relay, submission (STARTTLS), submissions (TLS).
const SMTP_PORT: u16 = 25;
const SUBMISSION_PORT: u16 = 587;
const SUBMISSIONS_PORT: u16 = 465;

/// Someone mail goes to: `Name <address>`, or the bare address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    pub fn new(name: Option<&str>, address: &str) -> Mailbox {
        Mailbox {
            name: name.map(str::to_string),
            address: address.to_string(),
        }
    }
}

/// One notice: the same text as plain text and as HTML (multipart/alternative).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: Vec<Mailbox>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How a connection is encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: never encrypted.
    None,
    /// `smtp://…?tls=opportunistic`: STARTTLS if offered.
    Opportunistic,
    /// `smtp://…?tls=required`: STARTTLS, or nothing is sent.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

/// Sends mail from one sender through one server. Its `Debug` never shows the password.
#[derive(Clone)]
pub struct Postman {
    /// `smtp://USER@HOST:PORT`, for messages: never the password.
    server: String,
    host: String,
    port: u16,
    security: Security,
    tls: Option<TlsParameters>,
    credentials: Option<(String, Credentials)>,
    from: LettreMailbox,
    timeout: Duration,
}

impl fmt::Debug for Postman {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Postman")
            .field("server", &self.server)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// What went wrong sending mail, and what to do about it. No message and no `Debug` output
/// has the password in it: `server` is always [`shown_url`]'s form.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(
        "{url} is not a mail server's address ({reason}): write smtp://HOST[:PORT], \
         smtp://HOST:587?tls=required or smtps://HOST[:PORT], with USER:PASSWORD@ before HOST \
         to log in; check mail.smtp_url"
    )]
    BadUrl { url: String, reason: String },

    #[error("cannot read the CA certificate {path} named in mail.smtp_url ({cause}): {hint}")]
    BadCa {
        path: PathBuf,
        cause: String,
        hint: &'static str,
    },

    #[error(
        "{server} would get the password unencrypted: use smtps:// or ?tls=required in \
         mail.smtp_url (only a server on this machine may be sent it in the clear)"
    )]
    Unencrypted { server: String },

    #[error("{address} is not an e-mail address ({why}){hint}", hint = .role.hint())]
    BadAddress {
        address: String,
        why: String,
        role: Role,
    },

    #[error("the mail \"{subject}\" has no recipient: give it at least one")]
    NoRecipient { subject: String },

    #[error(
        "cannot connect to the mail server at {server}: {cause}; check mail.smtp_url (the \
         host, the port, smtp:// or smtps://) and that the server can be reached from here"
    )]
    Connect { server: String, cause: String },

    #[error(
        "the mail server at {server} did not answer within {} s while {doing}: try again \
         later, or check the server", .timeout.as_secs()
    )]
    TimedOut {
        server: String,
        doing: &'static str,
        timeout: Duration,
    },

    #[error(
        "the encrypted connection to the mail server at {server} failed: {cause}; if the \
         server's certificate comes from your organisation's own CA, add ?ca=/path/ca.pem to \
         mail.smtp_url; if the server speaks no TLS on this port, check smtps:// against \
         smtp://…?tls=required"
    )]
    Tls { server: String, cause: String },

    #[error(
        "the mail server at {server} does not offer STARTTLS, which ?tls=required in \
         mail.smtp_url asks for: use smtps:// if it speaks TLS on another port, or ask its \
         administrators"
    )]
    NoStartTls { server: String },

    #[error(
        "the mail server at {server} offers no login handback can use (it speaks AUTH \
         PLAIN and LOGIN){hint}",
        hint = if *.encrypted { "; ask the server's administrators" } else {
            "; many servers offer a login only once encrypted: add ?tls=required to \
             mail.smtp_url, or use smtps://"
        }
    )]
    NoLogin { server: String, encrypted: bool },

    #[error(
        "the mail server at {server} refused the login as {user}: {code} {text}; check the \
         user and password in mail.smtp_url"
    )]
    Auth {
        server: String,
        user: String,
        code: u16,
        text: String,
    },

    #[error(
        "the mail server at {server} refused {step}: {code} {text}{hint}",
        hint = .step.hint(*.code)
    )]
    Refused {
        server: String,
        step: Step,
        code: u16,
        text: String,
    },

    #[error(
        "the mail server at {server} takes no non-ASCII address (no SMTPUTF8), and {address} \
         is one: use its ASCII form"
    )]
    NotAscii { server: String, address: String },

    #[error("sending mail through {server} failed while {doing}: {cause}")]
    Failed {
        server: String,
        doing: &'static str,
        cause: String,
    },
}

/// Whose address is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `mail.from`.
    Sender,
    /// A recipient of a mail.
    Recipient,
}

impl MailError {
    /// What went wrong in a few words, without an address or the server's own text (which
    /// repeats the address): what the register's append-only trail of notices keeps, which
    /// must not hold an address an erasure could not reach.
    pub fn summary(&self) -> String {
        match self {
            MailError::BadUrl { .. } => "mail.smtp_url unusable".into(),
            MailError::BadCa { .. } => "CA certificate unreadable".into(),
            MailError::Unencrypted { .. } => "login would be unencrypted".into(),
            MailError::BadAddress { role, .. } => format!("{} not an address", role.word()),
            MailError::NoRecipient { .. } => "no recipient".into(),
            MailError::Connect { .. } => "cannot connect".into(),
            MailError::TimedOut { doing, .. } => format!("timed out while {doing}"),
            MailError::Tls { .. } => "TLS failed".into(),
            MailError::NoStartTls { .. } => "no STARTTLS".into(),
            MailError::NoLogin { .. } => "no usable login".into(),
            MailError::Auth { code, .. } => format!("login refused: {code}"),
            MailError::Refused { step, code, .. } => format!("{} refused: {code}", step.word()),
            MailError::NotAscii { .. } => "non-ASCII address".into(),
            MailError::Failed { doing, .. } => format!("failed while {doing}"),
        }
    }
}

impl Role {
    fn word(self) -> &'static str {
        match self {
            Role::Sender => "sender",
            Role::Recipient => "recipient",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Role::Sender => {
                ": check mail.from (IT-service <it@kommun.example>, or the bare address)"
            }
            Role::Recipient => ": correct the person's e-mail address",
        }
    }
}

/// The step of a transaction that the server refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Its greeting or the answer to EHLO: it takes no mail from here now.
    Greeting,
    /// MAIL FROM.
    Sender(String),
    /// RCPT TO.
    Recipient(String),
    /// DATA, or the message itself.
    Message,
}

impl Step {
    /// The step without its address.
    fn word(&self) -> &'static str {
        match self {
            Step::Greeting => "connection",
            Step::Sender(_) => "sender",
            Step::Recipient(_) => "recipient",
            Step::Message => "message",
        }
    }

    fn hint(&self, code: u16) -> &'static str {
        if (400..500).contains(&code) {
            return "; the server says to try again later";
        }
        match self {
            Step::Greeting => "; ask the server's administrators whether it takes mail from here",
            Step::Sender(_) => "; check mail.from, and that the server lets this sender send",
            Step::Recipient(_) => "; check the recipient's address (nobody got the mail)",
            Step::Message => "; ask the server's administrators why it refuses the message",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Greeting => f.write_str("the connection"),
            Step::Sender(address) => write!(f, "the sender {address}"),
            Step::Recipient(address) => write!(f, "the recipient {address}"),
            Step::Message => f.write_str("the message"),
        }
    }
}

/// The URL as shown in messages and listings: the password left out
/// (`smtp://USER@HOST:PORT?…`). Works on any text, a URL or not, so even one that does not
/// parse is shown without its password.
pub fn shown_url(url: &str) -> String {
    match crate::validate::url_user_info(url) {
        Some((start, at)) => {
            let user = url[start..at].split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..start], &url[at..])
        }
        None => url.to_string(),
    }
}

impl Postman {
    /// A postman for `smtp_url` (see the module's table) sending as `from`
    /// (`IT-service <it@kommun.example>` or a bare address), with [`DEFAULT_TIMEOUT`].
    /// Nothing is connected to until [`Postman::send`].
    pub fn connect(smtp_url: &str, from: &str) -> Result<Postman, MailError> {
        Postman::connect_with_timeout(smtp_url, from, DEFAULT_TIMEOUT)
    }

    /// [`Postman::connect`] with another timeout for each step.
    pub fn connect_with_timeout(
        smtp_url: &str,
        from: &str,
        timeout: Duration,
    ) -> Result<Postman, MailError> {
        let shown = shown_url(smtp_url);
        let bad = |reason: String| MailError::BadUrl {
            url: shown.clone(),
            reason,
        };
        let url = url::Url::parse(smtp_url.trim()).map_err(|e| bad(e.to_string()))?;
        let host = match url.host() {
            Some(url::Host::Domain(name)) if !name.is_empty() => name.to_string(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            // The brackets are the URL's; the socket address and the certificate want none.
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(bad("no host".to_string())),
        };
        let mut tls_mode: Option<String> = None;
        let mut ca: Option<PathBuf> = None;
        for (key, value) in url.query_pairs() {
            match &*key {
                "tls" => tls_mode = Some(value.into_owned()),
                "ca" => ca = Some(PathBuf::from(value.into_owned())),
                other => {
                    return Err(bad(format!(
                        "?{other}= is not a setting of the URL: the settings are tls= and ca="
                    )));
                }
            }
        }
        let security = match (url.scheme(), tls_mode.as_deref()) {
            ("smtp", None | Some("none")) => Security::None,
            ("smtp", Some("required")) => Security::StartTls,
            ("smtp", Some("opportunistic")) => Security::Opportunistic,
            ("smtps", None) => Security::Implicit,
            ("smtps", Some(_)) => {
                return Err(bad(
                    "smtps:// is encrypted from the start: tls= is for smtp://".to_string(),
                ));
            }
            ("smtp", Some(other)) => {
                return Err(bad(format!(
                    "tls={other} is not required, opportunistic or none"
                )));
            }
            (other, _) => return Err(bad(format!("{other}:// is not smtp:// or smtps://"))),
        };
        if !matches!(url.path(), "" | "/") {
            return Err(bad(format!(
                "{} after the host means nothing to a mail server",
                url.path()
            )));
        }
        let port = url.port().unwrap_or(match security {
            Security::None => SMTP_PORT,
            Security::StartTls | Security::Opportunistic => SUBMISSION_PORT,
            Security::Implicit => SUBMISSIONS_PORT,
        });
        let decode = |text: &str, what: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| bad(format!("the {what} is not UTF-8 once percent-decoded")))
        };
        let credentials = match url.password() {
            Some(password) => {
                let user = decode(url.username(), "user")?;
                let password = decode(password, "password")?;
                Some((user.clone(), Credentials::new(user, password)))
            }
            None if !url.username().is_empty() => {
                return Err(bad(format!(
                    "{}@ has no password: write USER:PASSWORD@",
                    url.username()
                )));
            }
            None => None,
        };
        let user_part = match &credentials {
            Some((_, _)) => format!("{}@", url.username()),
            None => String::new(),
        };
        let host_part = match url.host() {
            Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
            _ => host.clone(),
        };
        let server = format!("{}://{user_part}{host_part}:{port}", url.scheme());

        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let encrypted = matches!(security, Security::Implicit | Security::StartTls);
        if credentials.is_some() && !encrypted && !loopback {
            return Err(MailError::Unencrypted { server });
        }

        let tls = match security {
            Security::None => None,
            _ => Some(tls_parameters(&host, ca.as_deref(), &server)?),
        };
        let from = parse_mailbox(from, Role::Sender)?;
        Ok(Postman {
            server,
            host,
            port,
            security,
            tls,
            credentials,
            from,
            timeout,
        })
    }

    /// The server, as messages show it: `smtp://USER@HOST:PORT`, never the password.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The message as it is sent, headers and both parts: what [`Postman::send`] would
    /// transfer, for a dry run or a look. Its `Date` and `Message-ID` are new each call.
    pub fn format(&self, mail: &Mail) -> Result<Vec<u8>, MailError> {
        Ok(self.message(mail)?.formatted())
    }

    /// Sends `mail`: one connection, one transaction, nothing sent to anyone if the server
    /// refuses any recipient.
    pub fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        let envelope = message.envelope().clone();
        let body = message.formatted();
        let mut conn = self.open()?;
        match self.transfer(&mut conn, &envelope, &body) {
            Ok(()) => {
                // The server has the message (it answered 250); a failed goodbye loses nothing.
                let _ = conn.quit();
                Ok(())
            }
            Err(error) => {
                conn.abort();
                Err(error)
            }
        }
    }

    fn message(&self, mail: &Mail) -> Result<Message, MailError> {
        if mail.to.is_empty() {
            return Err(MailError::NoRecipient {
                subject: mail.subject.clone(),
            });
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(mail.subject.clone())
            .message_id(None)
            .header(AutoSubmitted);
        for to in &mail.to {
            let address = parse_address(&to.address, Role::Recipient)?;
            let name = to.name.as_ref().map(|n| n.trim().to_string());
            builder = builder.to(LettreMailbox::new(name.filter(|n| !n.is_empty()), address));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| MailError::Failed {
                server: self.server.clone(),
                doing: "composing the message",
                cause: e.to_string(),
            })
    }

    /// Connected, greeted, encrypted as asked and logged in.
    fn open(&self) -> Result<SmtpConnection, MailError> {
        let hello = ClientId::default();
        let wrapper = match self.security {
            Security::Implicit => self.tls.as_ref(),
            _ => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host.as_str(), self.port),
            Some(self.timeout),
            &hello,
            wrapper,
            None,
        )
        .map_err(|e| self.connect_error(e, wrapper.is_some()))?;

        if let Some(tls) = &self.tls {
            let offered = conn.server_info().supports_feature(Extension::StartTls);
            let wanted = match self.security {
                Security::StartTls => {
                    if !offered {
                        conn.abort();
                        return Err(MailError::NoStartTls {
                            server: self.server.clone(),
                        });
                    }
                    true
                }
                Security::Opportunistic => offered,
                Security::None | Security::Implicit => false,
            };
            if wanted && let Err(error) = conn.starttls(tls, &hello) {
                conn.abort();
                return Err(self.step_error(error, "starting TLS", Step::Greeting, true));
            }
        }

        if let Some((user, credentials)) = &self.credentials {
            const MECHANISMS: [Mechanism; 2] = [Mechanism::Plain, Mechanism::Login];
            if conn.server_info().get_auth_mechanism(&MECHANISMS).is_none() {
                let encrypted = conn.is_encrypted();
                conn.abort();
                return Err(MailError::NoLogin {
                    server: self.server.clone(),
                    encrypted,
                });
            }
            if let Err(error) = conn.auth(&MECHANISMS, credentials) {
                conn.abort();
                return Err(match error.status() {
                    Some(code) => MailError::Auth {
                        server: self.server.clone(),
                        user: user.clone(),
                        code: code.into(),
                        text: server_text(&error),
                    },
                    None => self.step_error(error, "logging in", Step::Greeting, false),
                });
            }
        }
        Ok(conn)
    }

    /// MAIL FROM, RCPT TO each, DATA and the message.
    fn transfer(
        &self,
        conn: &mut SmtpConnection,
        envelope: &lettre::address::Envelope,
        body: &[u8],
    ) -> Result<(), MailError> {
        let mut options = Vec::new();
        let non_ascii = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .find(|address| !AsRef::<str>::as_ref(*address).is_ascii());
        if let Some(address) = non_ascii {
            if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
                return Err(MailError::NotAscii {
                    server: self.server.clone(),
                    address: address.to_string(),
                });
            }
            options.push(MailParameter::SmtpUtfEight);
        }
        // lettre encodes the parts as quoted-printable or base64, so the body is ASCII; should
        // that change, 8BITMIME says so to the server.
        if !body.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let from = envelope.from().cloned();
        let sender = from.as_ref().map_or(String::new(), |a| a.to_string());
        conn.command(MailCommand::new(from, options))
            .map_err(|e| self.step_error(e, "giving the sender", Step::Sender(sender), false))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), Vec::new()))
                .map_err(|e| {
                    self.step_error(
                        e,
                        "giving a recipient",
                        Step::Recipient(to.to_string()),
                        false,
                    )
                })?;
        }
        conn.command(Data)
            .map_err(|e| self.step_error(e, "starting the message", Step::Message, false))?;
        let sent = match std::str::from_utf8(body) {
            Ok(text) => conn.command(DataLines(text)),
            Err(_) => conn.message(body),
        };
        sent.map_err(|e| self.step_error(e, "sending the message", Step::Message, false))?;
        Ok(())
    }

    fn connect_error(&self, error: lettre::transport::smtp::Error, tls: bool) -> MailError {
        if error.status().is_some() {
            return self.step_error(error, "connecting", Step::Greeting, tls);
        }
        if timed_out(&error) {
            return MailError::TimedOut {
                server: self.server.clone(),
                doing: "connecting",
                timeout: self.timeout,
            };
        }
        if error.is_tls() || (tls && tls_failure(&error)) {
            return MailError::Tls {
                server: self.server.clone(),
                cause: cause(&error),
            };
        }
        MailError::Connect {
            server: self.server.clone(),
            cause: cause(&error),
        }
    }

    /// An error of one step as what it means: the server's refusal, a timeout, a TLS failure
    /// (`tls`: the connection is, or is becoming, encrypted) or another failure.
    fn step_error(
        &self,
        error: lettre::transport::smtp::Error,
        doing: &'static str,
        step: Step,
        tls: bool,
    ) -> MailError {
        if let Some(code) = error.status() {
            return MailError::Refused {
                server: self.server.clone(),
                step,
                code: code.into(),
                text: server_text(&error),
            };
        }
        if timed_out(&error) {
            return MailError::TimedOut {
                server: self.server.clone(),
                doing,
                timeout: self.timeout,
            };
        }
        if error.is_tls() || (tls && tls_failure(&error)) {
            return MailError::Tls {
                server: self.server.clone(),
                cause: cause(&error),
            };
        }
        MailError::Failed {
            server: self.server.clone(),
            doing,
            cause: cause(&error),
        }
    }
}

/// The message and the line ending it, dot-stuffed (RFC 5321, 4.5.2), for one write.
/// lettre's own `SmtpConnection::message` writes the final `.` apart from the message, and
/// the two small writes meet Nagle's algorithm and the server's delayed ACK: 40 ms a mail
/// on loopback instead of 3.
struct DataLines<'a>(&'a str);

impl fmt::Display for DataLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.0.split_inclusive('\n') {
            if line.starts_with('.') {
                f.write_str(".")?;
            }
            f.write_str(line)?;
        }
        if !self.0.is_empty() && !self.0.ends_with("\r\n") {
            f.write_str("\r\n")?;
        }
        f.write_str(".\r\n")
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834).
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

fn tls_parameters(
    host: &str,
    ca: Option<&std::path::Path>,
    server: &str,
) -> Result<TlsParameters, MailError> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(path) = ca {
        let pem = std::fs::read(path).map_err(|e| MailError::BadCa {
            path: path.to_path_buf(),
            cause: e.to_string(),
            hint: "check the path after ?ca= (an absolute path, readable by whoever sends)",
        })?;
        let certificate = Certificate::from_pem(&pem)
            .ok()
            .filter(|_| pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----"))
            .ok_or_else(|| MailError::BadCa {
                path: path.to_path_buf(),
                cause: "no PEM certificate in it".to_string(),
                hint: "give the CA's certificate in PEM form (-----BEGIN CERTIFICATE-----)",
            })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build().map_err(|e| MailError::Tls {
        server: server.to_string(),
        cause: cause(&e),
    })
}

fn parse_address(text: &str, role: Role) -> Result<Address, MailError> {
    text.trim()
        .parse::<Address>()
        .map_err(|error| MailError::BadAddress {
            address: text.to_string(),
            why: address_problem(&error),
            role,
        })
}

/// `Name <address>` or a bare address.
fn parse_mailbox(text: &str, role: Role) -> Result<LettreMailbox, MailError> {
    let text = text.trim();
    if !text.contains('<') {
        return Ok(LettreMailbox::new(None, parse_address(text, role)?));
    }
    text.parse::<LettreMailbox>()
        .map_err(|error| MailError::BadAddress {
            address: text.to_string(),
            why: address_problem(&error),
            role,
        })
}

fn address_problem(error: &lettre::address::AddressError) -> String {
    use lettre::address::AddressError;
    match error {
        AddressError::MissingParts => "it needs a name, an @ and a domain".to_string(),
        AddressError::Unbalanced => "the < and > do not match".to_string(),
        AddressError::InvalidUser => "the part before the @ is not valid".to_string(),
        AddressError::InvalidDomain => "the part after the @ is not a domain".to_string(),
        AddressError::InvalidInput => "it is not Name <address> or an address".to_string(),
        other => other.to_string(),
    }
}

/// The server's words after the code (lettre keeps them as the error's source).
fn server_text(error: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    error
        .source()
        .map(|source| source.to_string())
        .unwrap_or_default()
}

/// What went wrong underneath: the innermost error's words.
fn cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut deepest: &dyn std::error::Error = error;
    while let Some(source) = deepest.source() {
        deepest = source;
    }
    deepest.to_string()
}

fn io_errors<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a std::io::Error> {
    std::iter::successors(Some(error), |e| e.source())
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
}

/// A connect that timed out (`TimedOut`), or a read or write past the socket's timeout
/// (`WouldBlock` on Unix).
fn timed_out(error: &lettre::transport::smtp::Error) -> bool {
    io_errors(error).any(|io| {
        matches!(
            io.kind(),
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
        )
    })
}

/// rustls reports a failed handshake (a certificate it does not trust, a name that does not
/// match, a server that speaks no TLS) as `InvalidData` from the stream.
fn tls_failure(error: &lettre::transport::smtp::Error) -> bool {
    io_errors(error).any(|io| io.kind() == std::io::ErrorKind::InvalidData)
}

#[cfg(test)]
mod tests;

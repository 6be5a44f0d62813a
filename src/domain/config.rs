//! The register's settings as `config` reads and changes them: a closed set of keys, each
//! with what its value may be, checked before it is stored; every change is written to the
//! settings' trail in the same transaction. The documents read theirs through
//! [`Register::document_settings`].
//!
//! A key whose value holds a secret (a password, or a URL with one in it) is never shown in
//! full: [`shown_value`] masks it wherever settings are listed or read back.

use super::Register;
use crate::docs::DocumentSettings;
use crate::error::{Error, Result};
use crate::model::ShownSetting;
use crate::refusal::{Refusal, SettingProblem};
use crate::store::Transaction;
use crate::store::moment_to_sql;
use crate::store::settings::SettingChange;
use crate::zone::Zone;
use serde::Serialize;

/// A setting of the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingKey {
    /// The organisation the documents are from: "Gatukontoret, Malmö stad".
    OrgName,
    /// What this register is called on the documents: "IT-utrustning, Gatukontoret".
    RegisterName,
    /// Where equipment is handed back: "IT-service, plan 2, Stortorget 1".
    ReturnPlace,
    /// When it is open: "vardagar 8–16".
    ReturnHours,
    /// Whom to ask: "servicedesk 040-34 10 00, it@example.se".
    ReturnContact,
    /// The IANA zone every local day is in.
    TimeZone,
    /// How long a web session lasts without a request.
    SessionIdleMinutes,
    /// The mail server notices go through: `smtp://`, `smtps://`, with a login.
    MailSmtpUrl,
    /// Who notices are from: "IT-service <it@kommun.se>".
    MailFrom,
    /// The IT desk's address: what is still held, and the weekly overdue list.
    MailItDesk,
    /// How many days before a last working day its reminders go out: "14,3".
    NotifyDaysBefore,
    /// The day of the week the IT desk gets the overdue list.
    NotifyWeeklyOn,
    /// Where the web pages are, for the links in notices.
    ServerPublicUrl,
}

/// What a setting's value may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    /// One line of text a document prints.
    Line,
    Zone,
    /// Whole minutes, 1 to a week.
    Minutes,
    /// An e-mail address, alone or with a name.
    Address,
    /// A URL of one of these schemes.
    Url(&'static [&'static str]),
    /// Whole days before a day, separated by commas.
    Days,
    Weekday,
}

/// The longest line of text a document prints from a setting.
const MAX_LINE_CHARS: usize = 200;
const MAX_MINUTES: u32 = 7 * 24 * 60;

/// Shown instead of a secret.
pub const MASK: &str = "********";

impl SettingKey {
    pub const ALL: [SettingKey; 13] = [
        SettingKey::OrgName,
        SettingKey::RegisterName,
        SettingKey::ReturnPlace,
        SettingKey::ReturnHours,
        SettingKey::ReturnContact,
        SettingKey::TimeZone,
        SettingKey::SessionIdleMinutes,
        SettingKey::MailSmtpUrl,
        SettingKey::MailFrom,
        SettingKey::MailItDesk,
        SettingKey::NotifyDaysBefore,
        SettingKey::NotifyWeeklyOn,
        SettingKey::ServerPublicUrl,
    ];

    /// The key as stored and typed.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingKey::OrgName => "org.name",
            SettingKey::RegisterName => "register.name",
            SettingKey::ReturnPlace => "return.place",
            SettingKey::ReturnHours => "return.hours",
            SettingKey::ReturnContact => "return.contact",
            SettingKey::TimeZone => "time_zone",
            SettingKey::SessionIdleMinutes => "session_idle_minutes",
            SettingKey::MailSmtpUrl => "mail.smtp_url",
            SettingKey::MailFrom => "mail.from",
            SettingKey::MailItDesk => "mail.it_desk",
            SettingKey::NotifyDaysBefore => "notify.days_before",
            SettingKey::NotifyWeeklyOn => "notify.weekly_on",
            SettingKey::ServerPublicUrl => "server.public_url",
        }
    }

    pub fn parse(word: &str) -> Option<SettingKey> {
        let word = word.trim();
        SettingKey::ALL
            .into_iter()
            .find(|key| key.as_str().eq_ignore_ascii_case(word))
    }

    /// What the setting is for, as `config list` explains it.
    pub fn description(self) -> &'static str {
        match self {
            SettingKey::OrgName => "the organisation named on every document",
            SettingKey::RegisterName => "what the documents call this register",
            SettingKey::ReturnPlace => "where equipment is handed back",
            SettingKey::ReturnHours => "when equipment can be handed back",
            SettingKey::ReturnContact => "whom to ask about handing back",
            SettingKey::TimeZone => "the IANA time zone every local day is in",
            SettingKey::SessionIdleMinutes => "minutes a web session lasts without a request",
            SettingKey::MailSmtpUrl => "the mail server notices go through (smtp:// or smtps://)",
            SettingKey::MailFrom => "who notices are from",
            SettingKey::MailItDesk => "the IT desk's address for notices",
            SettingKey::NotifyDaysBefore => {
                "days before a last working day that reminders go out (default 14,3)"
            }
            SettingKey::NotifyWeeklyOn => {
                "the weekday the IT desk gets the overdue list (default monday)"
            }
            SettingKey::ServerPublicUrl => "where the web pages are, for links in notices",
        }
    }

    fn value_kind(self) -> ValueKind {
        match self {
            SettingKey::TimeZone => ValueKind::Zone,
            SettingKey::SessionIdleMinutes => ValueKind::Minutes,
            SettingKey::MailSmtpUrl => ValueKind::Url(&["smtp", "smtps"]),
            SettingKey::ServerPublicUrl => ValueKind::Url(&["https", "http"]),
            SettingKey::MailFrom | SettingKey::MailItDesk => ValueKind::Address,
            SettingKey::NotifyDaysBefore => ValueKind::Days,
            SettingKey::NotifyWeeklyOn => ValueKind::Weekday,
            _ => ValueKind::Line,
        }
    }

    /// Whether the register may be without it.
    fn required(self) -> bool {
        self == SettingKey::TimeZone
    }

    /// The value as stored, or why it cannot be.
    pub fn check(self, raw: &str) -> Result<String> {
        let value = raw.trim();
        let refuse = |problem: SettingProblem| -> Error {
            Refusal::BadSetting {
                key: self.as_str(),
                // A URL typed wrong may still hold a password.
                value: crate::validate::shorten(&shown_value(self.as_str(), value)),
                problem,
            }
            .into()
        };
        match self.value_kind() {
            ValueKind::Line => {
                if value.is_empty() {
                    return Err(refuse(SettingProblem::Empty));
                }
                if value.chars().any(char::is_control) {
                    return Err(refuse(SettingProblem::NotOneLine));
                }
                if value.chars().count() > MAX_LINE_CHARS {
                    return Err(refuse(SettingProblem::TooLong {
                        max_chars: MAX_LINE_CHARS,
                    }));
                }
                Ok(value.to_string())
            }
            ValueKind::Zone => Zone::parse(value).map(|zone| zone.name().to_string()),
            ValueKind::Minutes => match value.parse::<u32>() {
                Ok(minutes) if (1..=MAX_MINUTES).contains(&minutes) => Ok(minutes.to_string()),
                _ => Err(refuse(SettingProblem::NotMinutes { max: MAX_MINUTES })),
            },
            ValueKind::Address => mail_address(value)
                .map(|_| value.to_string())
                .ok_or_else(|| refuse(SettingProblem::NotAnAddress)),
            ValueKind::Url(schemes) => {
                let (scheme, rest) = value.split_once("://").unwrap_or_default();
                let known = schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme));
                if known && !rest.is_empty() && !value.contains(char::is_whitespace) {
                    Ok(value.to_string())
                } else {
                    Err(refuse(SettingProblem::NotAUrl { schemes }))
                }
            }
            ValueKind::Days => parse_days(value)
                .map(|days| {
                    days.iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .ok_or_else(|| {
                    refuse(SettingProblem::NotDays {
                        max: MAX_DAYS_BEFORE,
                    })
                }),
            ValueKind::Weekday => parse_weekday(value)
                .map(|day| weekday_word(day).to_string())
                .ok_or_else(|| refuse(SettingProblem::NotAWeekday)),
        }
    }
}

/// The most days before a last working day a reminder may go out.
const MAX_DAYS_BEFORE: u32 = 365;

/// The address of `mail.from` or `mail.it_desk`: `it@kommun.se`, or the part in `<…>` of
/// `IT-service <it@kommun.se>`; `None` when it is not one.
pub(crate) fn mail_address(value: &str) -> Option<&str> {
    let value = value.trim();
    let address = match (value.rfind('<'), value.strip_suffix('>')) {
        (Some(open), Some(inner)) => inner.get(open + 1..)?.trim(),
        (None, None) => value,
        _ => return None,
    };
    let (local, domain) = address.split_once('@')?;
    let plain = |part: &str| {
        !part.is_empty() && !part.contains(|c: char| c.is_whitespace() || "<>@,;\"".contains(c))
    };
    (plain(local) && plain(domain) && domain.contains('.')).then_some(address)
}

/// `14,3` (any order, repeats once): the days, largest first.
pub(crate) fn parse_days(value: &str) -> Option<Vec<u32>> {
    let mut days = value
        .split(',')
        .map(|d| {
            d.trim()
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=MAX_DAYS_BEFORE).contains(d))
        })
        .collect::<Option<Vec<u32>>>()?;
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    Some(days)
}

/// A day of the week in English or Swedish, whole or in its first three letters.
pub(crate) fn parse_weekday(value: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    let word = value.trim().to_lowercase();
    let days = [
        (Mon, "monday", "måndag"),
        (Tue, "tuesday", "tisdag"),
        (Wed, "wednesday", "onsdag"),
        (Thu, "thursday", "torsdag"),
        (Fri, "friday", "fredag"),
        (Sat, "saturday", "lördag"),
        (Sun, "sunday", "söndag"),
    ];
    days.into_iter()
        .find(|(_, en, sv)| {
            word == *en
                || word == *sv
                || (word.chars().count() == 3 && (en.starts_with(&word) || sv.starts_with(&word)))
        })
        .map(|(day, _, _)| day)
}

/// How a weekday is stored: its English name.
fn weekday_word(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "monday",
        Tue => "tuesday",
        Wed => "wednesday",
        Thu => "thursday",
        Fri => "friday",
        Sat => "saturday",
        Sun => "sunday",
    }
}

/// Whether a key's value is a secret: its name says password, secret or token.
fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["password", "passwd", "secret", "token"]
        .iter()
        .any(|word| key.contains(word))
}

/// A value as it may be shown: a secret key's value masked whole, and the password of a
/// URL (`smtp://user:pass@host`) masked in any value.
pub fn shown_value(key: &str, value: &str) -> String {
    if is_secret_key(key) {
        return MASK.to_string();
    }
    if !value.contains("://") {
        return value.to_string();
    }
    match crate::validate::url_user_info(value) {
        Some((start, at)) => match value[start..at].split_once(':') {
            Some((user, _password)) => format!("{}{user}:{MASK}{}", &value[..start], &value[at..]),
            None => value.to_string(),
        },
        None => value.to_string(),
    }
}

/// What a setting change did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingChanged {
    pub key: &'static str,
    /// The value as shown (masked when a secret); `None` when removed.
    pub value: Option<String>,
    /// False when it already had that value, or had none to remove: nothing was written.
    pub changed: bool,
}

/// What the documents take from the settings.
pub(crate) fn document_settings(tx: &dyn Transaction) -> Result<DocumentSettings> {
    let get = |key: SettingKey| tx.settings().get(key.as_str());
    Ok(DocumentSettings {
        organisation: get(SettingKey::OrgName)?,
        register: get(SettingKey::RegisterName)?,
        return_place: get(SettingKey::ReturnPlace)?,
        return_hours: get(SettingKey::ReturnHours)?,
        return_contact: get(SettingKey::ReturnContact)?,
    })
}

impl Register {
    /// A setting's value as it may be shown.
    pub fn setting(&self, key: SettingKey) -> Result<Option<String>> {
        let value = self.read(|tx| tx.settings().get(key.as_str()))?;
        Ok(value.map(|v| shown_value(key.as_str(), &v)))
    }

    /// Every known setting, set or not, then any other key the register holds.
    pub fn settings(&self) -> Result<Vec<ShownSetting>> {
        let stored = self.read(|tx| tx.settings().list())?;
        let mut shown: Vec<ShownSetting> = SettingKey::ALL
            .iter()
            .map(|key| ShownSetting {
                key: key.as_str().to_string(),
                value: stored
                    .iter()
                    .find(|(k, _)| k == key.as_str())
                    .map(|(k, v)| shown_value(k, v)),
                description: Some(key.description()),
            })
            .collect();
        shown.extend(
            stored
                .iter()
                .filter(|(k, _)| SettingKey::parse(k).is_none())
                .map(|(k, v)| ShownSetting {
                    key: k.clone(),
                    value: Some(shown_value(k, v)),
                    description: None,
                }),
        );
        Ok(shown)
    }

    /// Sets `key` to `raw` once it is checked ([`SettingKey::check`]), and writes the change
    /// to the settings' trail.
    pub fn set_setting(&mut self, key: SettingKey, raw: &str) -> Result<SettingChanged> {
        let value = key.check(raw)?;
        self.write(|tx, ctx| {
            let before = tx.settings().get(key.as_str())?;
            let shown = shown_value(key.as_str(), &value);
            let changed = before.as_deref() != Some(value.as_str());
            if changed {
                tx.settings().set(key.as_str(), &value)?;
                tx.settings().record_change(&SettingChange {
                    at: &moment_to_sql(ctx.now),
                    actor: ctx.actor,
                    key: key.as_str(),
                    value: Some(&shown),
                })?;
            }
            Ok(SettingChanged {
                key: key.as_str(),
                value: Some(shown),
                changed,
            })
        })
    }

    /// Removes `key`, writing the change to the settings' trail; a setting the register
    /// cannot be without (its time zone) is refused.
    pub fn unset_setting(&mut self, key: SettingKey) -> Result<SettingChanged> {
        if key.required() {
            return Err(Refusal::RequiredSetting { key: key.as_str() }.into());
        }
        self.write(|tx, ctx| {
            let changed = tx.settings().unset(key.as_str())?;
            if changed {
                tx.settings().record_change(&SettingChange {
                    at: &moment_to_sql(ctx.now),
                    actor: ctx.actor,
                    key: key.as_str(),
                    value: None,
                })?;
            }
            Ok(SettingChanged {
                key: key.as_str(),
                value: None,
                changed,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("org.name", "Gatukontoret", "Gatukontoret")]
    #[case("mail.smtp_password", "hemligt", MASK)]
    #[case("api_token", "abc", MASK)]
    #[case(
        "mail.smtp_url",
        "smtp://it:hemligt@mail.example.se:587/x",
        "smtp://it:********@mail.example.se:587/x"
    )]
    #[case("mail.smtp_url", "smtp://mail.example.se", "smtp://mail.example.se")]
    #[case(
        "mail.smtp_url",
        "smtp://it@mail.example.se",
        "smtp://it@mail.example.se"
    )]
    #[case(
        "mail.smtp_url",
        "smtp://it:p/ss?w@mail.example.se",
        "smtp://it:********@mail.example.se"
    )]
    #[case(
        "return.contact",
        "tel: 040-123, it@kommun.se",
        "tel: 040-123, it@kommun.se"
    )]
    fn secrets_are_never_shown(#[case] key: &str, #[case] value: &str, #[case] shown: &str) {
        assert_eq!(shown_value(key, value), shown);
    }

    #[test]
    fn a_url_refused_does_not_repeat_its_password() {
        let refused = SettingKey::MailSmtpUrl
            .check("smpt://it:Hemligt1@mail.example.se")
            .unwrap_err()
            .to_string();
        assert!(!refused.contains("Hemligt1"), "{refused}");
    }

    #[rstest]
    #[case(SettingKey::OrgName, "  Gatukontoret ", Some("Gatukontoret"))]
    #[case(SettingKey::OrgName, "", None)]
    #[case(SettingKey::OrgName, "a\nb", None)]
    #[case(SettingKey::TimeZone, "UTC", Some("UTC"))]
    #[case(SettingKey::TimeZone, "Mars/Olympus", None)]
    #[case(SettingKey::SessionIdleMinutes, "30", Some("30"))]
    #[case(SettingKey::SessionIdleMinutes, "0", None)]
    #[case(SettingKey::SessionIdleMinutes, "many", None)]
    fn values_are_checked(
        #[case] key: SettingKey,
        #[case] raw: &str,
        #[case] stored: Option<&str>,
    ) {
        assert_eq!(key.check(raw).ok().as_deref(), stored);
    }

    #[test]
    fn every_key_reads_back_as_itself() {
        for key in SettingKey::ALL {
            assert_eq!(SettingKey::parse(key.as_str()), Some(key));
        }
        assert_eq!(SettingKey::parse("ORG.NAME"), Some(SettingKey::OrgName));
        assert_eq!(SettingKey::parse("org.nam"), None);
    }
}

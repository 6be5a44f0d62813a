//! Reading people from a directory: Active Directory, or any LDAP server (`handback sync
//! ldap`). This module knows nothing of the register: it returns the directory's people as
//! [`DirectoryPerson`]s, and the domain compares them with the register.
//!
//! What is read from each entry, unless a mapping (`--map ATTR=field`) says otherwise:
//!
//! | field | attributes, the first one present wins |
//! |---|---|
//! | employee number | `employeeNumber`, `employeeID` |
//! | name | `displayName`, else `givenName` + " " + `sn`, else `cn` |
//! | e-mail | `mail` |
//! | department | `department` (AD's name of it; inetOrgPerson's `departmentNumber` is usually a code, so it is read only when mapped) |
//! | manager | `manager`: a DN, resolved to that entry's employee number |
//! | username | `sAMAccountName`, `uid` |
//!
//! A mapping replaces the attributes of its field; several mappings to one field are tried in
//! the order given. Whether an account is disabled (`userAccountControl` bit 0x2), when it
//! expires (`accountExpires`) and when it last changed (`whenChanged`, else
//! `modifyTimestamp`) are always read from AD's attributes.
//!
//! Entries without an employee number are returned too, with `employee_no: None`: the caller
//! reports them (a consultant, a function account) rather than losing them silently.

mod ldap;
mod roster;

pub use ldap::read_people;
pub use roster::roster;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// People, in Active Directory and in OpenLDAP: AD's user accounts (`objectCategory=person`
/// leaves out contacts, and computers, which are `objectClass=user` too), or anything that is
/// an `inetOrgPerson` (most other directories). OpenLDAP knows neither `objectCategory` nor
/// `user`, so there the first half is undefined and only the second counts.
pub const DEFAULT_FILTER: &str =
    "(|(&(objectCategory=person)(objectClass=user))(objectClass=inetOrgPerson))";

/// Entries asked for per page. Active Directory returns at most 1 000 (its MaxPageSize),
/// whatever is asked.
pub const DEFAULT_PAGE_SIZE: i32 = 500;

/// How long one step (connecting, binding, each answer of a search) may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how to read the directory.
#[derive(Clone, Debug)]
pub struct LdapQuery {
    /// `ldap://HOST[:PORT]` or `ldaps://HOST[:PORT]`.
    pub url: String,
    /// The DN searched under (the whole subtree).
    pub base: String,
    /// An RFC 4515 filter; `None` is [`DEFAULT_FILTER`].
    pub filter: Option<String>,
    /// A simple bind; `None` reads anonymously.
    pub bind: Option<Bind>,
    /// `--map ATTR=field`, in the order given (see [`parse_mapping`]).
    pub mappings: Vec<(String, Field)>,
    /// Entries asked for per page of the paged search (RFC 2696).
    pub page_size: i32,
    /// See [`DEFAULT_TIMEOUT`].
    pub timeout: Duration,
}

impl LdapQuery {
    /// A query of `base` at `url` with the defaults: anonymous, [`DEFAULT_FILTER`], no
    /// mappings, [`DEFAULT_PAGE_SIZE`], [`DEFAULT_TIMEOUT`].
    pub fn new(url: impl Into<String>, base: impl Into<String>) -> LdapQuery {
        LdapQuery {
            url: url.into(),
            base: base.into(),
            filter: None,
            bind: None,
            mappings: Vec::new(),
            page_size: DEFAULT_PAGE_SIZE,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The filter searched with.
    pub fn filter(&self) -> &str {
        self.filter.as_deref().unwrap_or(DEFAULT_FILTER)
    }
}

/// Who to bind as. Its `Debug` never shows the password.
#[derive(Clone)]
pub struct Bind {
    pub dn: String,
    pub password: String,
}

impl fmt::Debug for Bind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bind")
            .field("dn", &self.dn)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// A field of [`DirectoryPerson`] that `--map ATTR=field` can feed from another attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    EmployeeNo,
    Name,
    Email,
    Department,
    Manager,
    Username,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::EmployeeNo,
        Field::Name,
        Field::Email,
        Field::Department,
        Field::Manager,
        Field::Username,
    ];

    /// The word `--map` takes.
    pub fn word(self) -> &'static str {
        match self {
            Field::EmployeeNo => "employee_no",
            Field::Name => "name",
            Field::Email => "email",
            Field::Department => "department",
            Field::Manager => "manager",
            Field::Username => "username",
        }
    }

    /// The attributes read for the field when nothing is mapped to it, the first one present
    /// winning. The name's `givenName` + `sn` and `cn` fallbacks are [`person_name`]'s.
    pub fn default_attributes(self) -> &'static [&'static str] {
        match self {
            Field::EmployeeNo => &["employeeNumber", "employeeID"],
            Field::Name => &["displayName"],
            Field::Email => &["mail"],
            Field::Department => &["department"],
            Field::Manager => &["manager"],
            Field::Username => &["sAMAccountName", "uid"],
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl FromStr for Field {
    type Err = MappingError;

    fn from_str(word: &str) -> Result<Field, MappingError> {
        let wanted = word.trim().to_lowercase().replace('-', "_");
        Field::ALL
            .into_iter()
            .find(|field| field.word() == wanted)
            .ok_or_else(|| MappingError::UnknownField(word.trim().to_string()))
    }
}

/// A `--map` that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error(
        "`{0}` is not a field a directory attribute can feed: the fields are employee_no, \
         name, email, department, manager and username"
    )]
    UnknownField(String),
    #[error("`{0}` is not ATTR=field: write e.g. --map employeeID=employee_no")]
    NoEquals(String),
    #[error(
        "`{0}` is not an LDAP attribute name: a name is a letter followed by letters, digits \
         and hyphens (physicalDeliveryOfficeName), or an OID (2.5.4.11)"
    )]
    BadAttribute(String),
}

/// `ATTR=field`, as `--map` takes it: `employeeID=employee_no`.
pub fn parse_mapping(text: &str) -> Result<(String, Field), MappingError> {
    let (attribute, field) = text
        .split_once('=')
        .ok_or_else(|| MappingError::NoEquals(text.to_string()))?;
    let attribute = attribute.trim();
    let descriptor = attribute
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && attribute
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    let oid = !attribute.is_empty()
        && attribute
            .split('.')
            .all(|arc| !arc.is_empty() && arc.chars().all(|c| c.is_ascii_digit()));
    if !descriptor && !oid {
        return Err(MappingError::BadAttribute(attribute.to_string()));
    }
    Ok((attribute.to_string(), field.parse()?))
}

/// One person as the directory has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectoryPerson {
    /// The entry's DN, as the directory wrote it.
    pub dn: String,
    pub employee_no: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub department: Option<String>,
    /// The manager's DN, as this entry names it.
    pub manager_dn: Option<String>,
    /// The manager's employee number: the manager DN's entry, among those read or else read
    /// on its own. `None` when there is no manager, the DN names no entry, or that entry has
    /// no employee number.
    pub manager_employee_no: Option<String>,
    pub username: Option<String>,
    /// `userAccountControl` has bit 0x2 (ACCOUNTDISABLE) set.
    pub disabled: bool,
    /// When the account expires (`accountExpires`); `None` for never (0 or
    /// 0x7FFFFFFFFFFFFFFF), for no attribute, and for a value that is not a FILETIME. AD's
    /// "account expires: end of 30 September" is stored as the following midnight, local
    /// time, in UTC.
    pub expires: Option<DateTime<Utc>>,
    /// When the entry last changed (`whenChanged`, else `modifyTimestamp`): the nearest date
    /// a directory has for when an account was disabled.
    pub changed: Option<DateTime<Utc>>,
}

/// What is wrong with reading a directory, and what to do about it. No message and no
/// `Debug` output has the password in it.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error(
        "{url} is not a directory's address ({reason}): write ldap://HOST[:PORT] or ldaps://HOST[:PORT]"
    )]
    BadUrl { url: String, reason: String },

    #[error(
        "binding to {url} would send the password unencrypted: use ldaps://, as only a \
         directory on this machine may be sent it in the clear"
    )]
    Unencrypted { url: String },

    #[error(
        "cannot connect to the directory at {url}: {cause}; check --url (the host, the port, \
         ldap:// or ldaps://) and that the server can be reached from here"
    )]
    Connect { url: String, cause: String },

    #[error(
        "the directory at {url} refused the bind as {dn}: invalid credentials{server}; check \
         --bind and --password-file",
        server = server_says(.text)
    )]
    BindRefused {
        url: String,
        dn: String,
        text: String,
    },

    #[error(
        "the password for {dn} is empty: a directory takes a bind with an empty password as \
         anonymous, so it is not sent; put the password in --password-file"
    )]
    EmptyPassword { dn: String },

    #[error(
        "the base {base} is not in the directory at {url}{nearest}: check --base",
        nearest = match .matched.as_deref() {
            Some(dn) if !dn.is_empty() => format!(" (the nearest entry above it that is: {dn})"),
            _ => String::new(),
        }
    )]
    BaseNotFound {
        url: String,
        base: String,
        matched: Option<String>,
    },

    #[error(
        "the filter {filter} is not an LDAP search filter: write it as RFC 4515 does, in \
         brackets, e.g. --filter '(&(objectClass=user)(department=IT*))'"
    )]
    BadFilter { filter: String },

    #[error(
        "the directory at {url} did not answer within {} s while {doing}: try again, or \
         check the server", .timeout.as_secs()
    )]
    TimedOut {
        url: String,
        doing: &'static str,
        timeout: Duration,
    },

    #[error(
        "the directory at {url} refused {doing}: {text} (LDAP result {code}){hint}",
        text = if .text.is_empty() { "no reason given" } else { .text.as_str() },
        hint = refusal_hint(*.code)
    )]
    Refused {
        url: String,
        doing: &'static str,
        code: u32,
        text: String,
    },

    #[error("reading the directory at {url} failed while {doing}: {cause}")]
    Failed {
        url: String,
        doing: &'static str,
        cause: String,
    },

    #[error(
        "the page size {0} is not a number of entries: give 1 or more (Active Directory \
         returns at most 1 000 a page)"
    )]
    BadPageSize(i32),
}

fn server_says(text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else {
        format!(" (the server says: {})", text.trim())
    }
}

/// What to do about an LDAP result code, for the ones a sync meets.
fn refusal_hint(code: u32) -> &'static str {
    match code {
        // AD answers an anonymous search with operationsError ("a successful bind must be
        // completed").
        1 => "; bind with --bind and --password-file",
        4 => "; the server limits even a paged search: narrow --base or --filter",
        8 | 13 => "; the server wants an encrypted connection: use ldaps://",
        // OpenLDAP refuses a page larger than its limit (AD silently returns smaller ones).
        11 => "; the server has an administrative limit: ask for smaller pages",
        10 => "; the base is in another directory (a referral): give that server's --url",
        50 => "; the bind account may not read there: ask the directory's administrators",
        _ => "",
    }
}

/// A Windows FILETIME (100-nanosecond ticks since 1601-01-01 UTC) as a time; `None` for
/// AD's "never" (0 and `i64::MAX`), before 1601 and past what a `DateTime` holds.
pub fn filetime_to_utc(ticks: i64) -> Option<DateTime<Utc>> {
    /// Seconds from 1601-01-01 to 1970-01-01.
    const EPOCH_DIFFERENCE: i64 = 11_644_473_600;
    const TICKS_PER_SECOND: i64 = 10_000_000;
    if ticks <= 0 || ticks == i64::MAX {
        return None;
    }
    let seconds = ticks / TICKS_PER_SECOND - EPOCH_DIFFERENCE;
    // Below 10^7 ticks, times 100: below 10^9, so it fits and is a valid nanosecond count.
    let nanos = (ticks % TICKS_PER_SECOND) as u32 * 100;
    DateTime::from_timestamp(seconds, nanos)
}

/// `accountExpires` as text: see [`filetime_to_utc`]; `None` for what is not a number.
pub fn account_expires(value: &str) -> Option<DateTime<Utc>> {
    value.trim().parse::<i64>().ok().and_then(filetime_to_utc)
}

/// Whether `userAccountControl` says the account is disabled (bit 0x2, ACCOUNTDISABLE).
/// AD writes the flags as a signed 32-bit decimal; what is not a number is not disabled.
pub fn uac_disabled(value: &str) -> bool {
    const ACCOUNTDISABLE: i64 = 0x2;
    value
        .trim()
        .parse::<i64>()
        .is_ok_and(|flags| flags & ACCOUNTDISABLE != 0)
}

/// An LDAP GeneralizedTime (`20250314101500Z`, AD's `20250314101500.0Z`, or with an offset
/// `+0100`); `None` for anything else, including the rare forms without seconds.
pub fn generalized_time(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let digits = value.get(..14)?;
    let local = NaiveDateTime::parse_from_str(digits, "%Y%m%d%H%M%S").ok()?;
    let mut rest = &value[14..];
    if let Some(fraction) = rest.strip_prefix(['.', ',']) {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        rest = &fraction[end..];
    }
    if rest == "Z" {
        return Some(Utc.from_utc_datetime(&local));
    }
    let sign = match rest.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let offset = rest.get(1..)?;
    if offset.len() != 4 || !offset.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = offset[..2].parse().ok()?;
    let minutes: i64 = offset[2..].parse().ok()?;
    let utc = local - chrono::Duration::minutes(sign * (hours * 60 + minutes));
    Some(Utc.from_utc_datetime(&utc))
}

/// The default name: `displayName`, else `givenName` + " " + `sn` (either alone if only one
/// is there), else `cn`.
pub fn person_name(
    display_name: Option<&str>,
    given_name: Option<&str>,
    surname: Option<&str>,
    common_name: Option<&str>,
) -> Option<String> {
    fn present(value: Option<&str>) -> Option<&str> {
        value.map(str::trim).filter(|v| !v.is_empty())
    }
    if let Some(name) = present(display_name) {
        return Some(name.to_string());
    }
    match (present(given_name), present(surname)) {
        (Some(given), Some(surname)) => Some(format!("{given} {surname}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (None, None) => present(common_name).map(str::to_string),
    }
}

/// A DN in a form two spellings of one entry share: attribute types and values lower-cased,
/// spaces around the separators dropped (`CN=Lars Nyström, OU=Users` and
/// `cn=lars nyström,ou=users` are one). Escapes are kept as written; the directory's own
/// spelling of a DN is what is compared, so that is enough.
pub fn normalize_dn(dn: &str) -> String {
    let mut rdns = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in dn.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' || c == ';' {
            rdns.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    rdns.push(current);
    rdns.iter()
        .map(|rdn| {
            rdn.split('+')
                .map(|part| match part.split_once('=') {
                    Some((kind, value)) => format!(
                        "{}={}",
                        kind.trim().to_lowercase(),
                        value.trim().to_lowercase()
                    ),
                    None => part.trim().to_lowercase(),
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Which attributes feed which field, after the mappings.
#[derive(Clone, Debug)]
struct Sources {
    fields: HashMap<Field, Vec<String>>,
    /// Whether the name is read the default way (with the `givenName` + `sn` and `cn`
    /// fallbacks) rather than from mapped attributes.
    default_name: bool,
}

/// Always read, whatever is mapped.
const ACCOUNT_ATTRIBUTES: [&str; 4] = [
    "userAccountControl",
    "accountExpires",
    "whenChanged",
    "modifyTimestamp",
];
const NAME_FALLBACKS: [&str; 3] = ["givenName", "sn", "cn"];

impl Sources {
    fn new(mappings: &[(String, Field)]) -> Sources {
        let mut fields: HashMap<Field, Vec<String>> = HashMap::new();
        for (attribute, field) in mappings {
            fields.entry(*field).or_default().push(attribute.clone());
        }
        let default_name = !fields.contains_key(&Field::Name);
        for field in Field::ALL {
            fields.entry(field).or_insert_with(|| {
                field
                    .default_attributes()
                    .iter()
                    .map(|a| a.to_string())
                    .collect()
            });
        }
        Sources {
            fields,
            default_name,
        }
    }

    fn of(&self, field: Field) -> &[String] {
        self.fields.get(&field).map_or(&[], Vec::as_slice)
    }

    /// Every attribute to ask the directory for.
    fn attributes(&self) -> Vec<String> {
        let mut wanted: Vec<String> = Vec::new();
        let fallbacks = if self.default_name {
            &NAME_FALLBACKS[..]
        } else {
            &[]
        };
        let all = Field::ALL
            .iter()
            .flat_map(|field| self.of(*field).iter().map(String::as_str))
            .chain(fallbacks.iter().copied())
            .chain(ACCOUNT_ATTRIBUTES);
        for attribute in all {
            if !wanted.iter().any(|w| w.eq_ignore_ascii_case(attribute)) {
                wanted.push(attribute.to_string());
            }
        }
        wanted
    }
}

/// An entry's attributes, looked up by name regardless of case (servers answer with their
/// schema's spelling, not the one asked for).
#[derive(Clone, Debug, Default)]
struct Attributes(HashMap<String, Vec<String>>);

impl Attributes {
    fn new(attributes: HashMap<String, Vec<String>>) -> Attributes {
        Attributes(
            attributes
                .into_iter()
                .map(|(name, values)| (name.to_lowercase(), values))
                .collect(),
        )
    }

    /// The first non-blank value of the first of `names` that has one, trimmed.
    fn first<S: AsRef<str>>(&self, names: &[S]) -> Option<String> {
        names.iter().find_map(|name| {
            self.0
                .get(&name.as_ref().to_lowercase())?
                .iter()
                .map(|value| value.trim())
                .find(|value| !value.is_empty())
                .map(str::to_string)
        })
    }
}

/// One entry as a person, its manager not yet resolved.
fn person_from(dn: String, attributes: &Attributes, sources: &Sources) -> DirectoryPerson {
    let name = if sources.default_name {
        person_name(
            attributes.first(sources.of(Field::Name)).as_deref(),
            attributes.first(&["givenName"]).as_deref(),
            attributes.first(&["sn"]).as_deref(),
            attributes.first(&["cn"]).as_deref(),
        )
    } else {
        attributes.first(sources.of(Field::Name))
    };
    DirectoryPerson {
        dn,
        employee_no: attributes.first(sources.of(Field::EmployeeNo)),
        name,
        email: attributes.first(sources.of(Field::Email)),
        department: attributes.first(sources.of(Field::Department)),
        manager_dn: attributes.first(sources.of(Field::Manager)),
        manager_employee_no: None,
        username: attributes.first(sources.of(Field::Username)),
        disabled: attributes
            .first(&["userAccountControl"])
            .is_some_and(|uac| uac_disabled(&uac)),
        expires: attributes
            .first(&["accountExpires"])
            .and_then(|value| account_expires(&value)),
        changed: attributes
            .first(&["whenChanged"])
            .and_then(|value| generalized_time(&value))
            .or_else(|| {
                attributes
                    .first(&["modifyTimestamp"])
                    .and_then(|value| generalized_time(&value))
            }),
    }
}

#[cfg(test)]
mod tests;

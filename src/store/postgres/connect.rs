//! Where the server is and how to sign in to it: a `postgres://` address (or libpq's
//! `key=value` form), with the password from the address, `PGPASSWORD`, or the password
//! file libpq reads (`PGPASSFILE`, else `~/.pgpass`), so a password need never be written
//! on a command line.

use crate::error::{Error, Result};
use crate::store::{StoreError, StoreErrorKind};
use postgres::config::Host;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Whether a `--db` value names a PostgreSQL database rather than a register file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The connection settings for `url`, and the address to show in messages (no password).
pub(super) fn config(url: &str) -> Result<(postgres::Config, String)> {
    let mut config = postgres::Config::from_str(url).map_err(|e| Error::NotARegister {
        path: url_without_password(url).into(),
        reason: format!("it is not a PostgreSQL address that handback can read ({e})"),
    })?;
    if config.get_user().is_none()
        && let Ok(user) = std::env::var("PGUSER").or_else(|_| std::env::var("USER"))
    {
        config.user(&user);
    }
    if config.get_hosts().is_empty() {
        config.host(&std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into()));
    }
    if config.get_dbname().is_none()
        && let Some(user) = config.get_user().map(str::to_string)
    {
        config.dbname(&user);
    }
    if config.get_password().is_none()
        && let Some(password) = std::env::var("PGPASSWORD")
            .ok()
            .or_else(|| from_password_file(&config))
    {
        config.password(password);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.application_name("handback");
    let shown = shown(&config);
    Ok((config, shown))
}

/// `postgres://user@host:port/db`: where the register is, for messages and for the
/// commands handback suggests.
fn shown(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{host}:{port}/{}",
        config.get_user().unwrap_or_default(),
        config.get_dbname().unwrap_or_default()
    )
}

/// An address with any `:password@` taken out, for a message about an address that could
/// not be read.
fn url_without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// The password libpq would use from its password file: the first line whose host, port,
/// database and user match (`*` matches anything; `\` escapes `:` and `\`).
fn from_password_file(config: &postgres::Config) -> Option<String> {
    let path = match std::env::var_os("PGPASSFILE") {
        Some(path) => std::path::PathBuf::from(path),
        None => directories::BaseDirs::new()?.home_dir().join(".pgpass"),
    };
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(password_file_fields)
        .find(|fields| {
            fields.len() == 5
                && fields[..4]
                    .iter()
                    .zip(wanted)
                    .all(|(field, value)| field == "*" || field == value)
        })
        .map(|mut fields| fields.remove(4))
}

fn password_file_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field at least").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field at least").push(c),
        }
    }
    fields
}

/// A server that could not be reached or refused the sign-in, said with where it is.
pub(super) fn unreachable(shown_as: &Path, error: postgres::Error) -> Error {
    Error::Store(StoreError::new(
        StoreErrorKind::Other,
        format!("cannot connect to {}: {error}", shown_as.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_shown_without_its_password() {
        let (config, shown) = config("postgres://hb:secret@db.example:6543/register").unwrap();
        assert_eq!(shown, "postgres://hb@db.example:6543/register");
        assert_eq!(config.get_password(), Some(&b"secret"[..]));
        assert_eq!(
            url_without_password("postgres://hb:s3@x@h/db"),
            "postgres://hb@h/db"
        );
    }

    #[test]
    fn the_password_file_is_read_as_libpq_reads_it() {
        assert_eq!(
            password_file_fields(r"db\:1:5432:*:hb:pa\:ss:word"),
            ["db:1", "5432", "*", "hb", "pa:ss:word"]
        );
    }

    #[test]
    fn only_postgres_addresses_are_taken_for_servers() {
        assert!(is_postgres_url("postgres://h/db"));
        assert!(is_postgres_url("postgresql://h/db"));
        assert!(!is_postgres_url("register.sqlite"));
        assert!(!is_postgres_url("./postgres://x"));
    }
}

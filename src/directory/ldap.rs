//! The conversation with the server: connect, bind, one paged subtree search, and a base
//! search for each manager outside what it found. Synchronous (`ldap3::LdapConn` runs its
//! own single-threaded runtime): from async code, call it on a blocking thread.

use super::{Attributes, DirectoryError, DirectoryPerson, LdapQuery, Sources, normalize_dn};
use ldap3::adapters::PagedResults;
use ldap3::{LdapConn, LdapConnSettings, LdapError, LdapResult, Scope, SearchEntry};
use std::collections::HashMap;

/// LDAP result codes this module tells apart (RFC 4511, appendix A).
const NO_SUCH_OBJECT: u32 = 32;
const INVALID_CREDENTIALS: u32 = 49;

/// Every person under `query.base` matching its filter, in the order the directory returns
/// them, with their managers resolved. The search is paged (RFC 2696, `query.page_size` a
/// page), so Active Directory's 1 000 entries a search are no limit.
pub fn read_people(query: &LdapQuery) -> Result<Vec<DirectoryPerson>, DirectoryError> {
    if query.page_size < 1 {
        return Err(DirectoryError::BadPageSize(query.page_size));
    }
    let sources = Sources::new(&query.mappings);
    let attributes = sources.attributes();
    let mut conn = connect(query)?;
    if let Some(bind) = &query.bind {
        if !encrypted_or_local(&query.url) {
            return Err(DirectoryError::Unencrypted {
                url: query.url.clone(),
            });
        }
        if bind.password.is_empty() {
            return Err(DirectoryError::EmptyPassword {
                dn: bind.dn.clone(),
            });
        }
        let bound = conn
            .simple_bind(&bind.dn, &bind.password)
            .and_then(LdapResult::success);
        if let Err(error) = bound {
            return Err(match error {
                LdapError::LdapResult { result } if result.rc == INVALID_CREDENTIALS => {
                    DirectoryError::BindRefused {
                        url: query.url.clone(),
                        dn: bind.dn.clone(),
                        text: result.text,
                    }
                }
                other => failure(query, "the bind", other),
            });
        }
    }

    let entries = search(&mut conn, query, &attributes)?;
    let mut people: Vec<DirectoryPerson> = Vec::with_capacity(entries.len());
    // Normalised DN → employee number, for resolving managers; `None` for a DN read and
    // found to have none (or to be no entry), so it is not asked for again.
    let mut numbers: HashMap<String, Option<String>> = HashMap::with_capacity(entries.len());
    for entry in entries {
        let person = super::person_from(entry.dn, &Attributes::new(entry.attrs), &sources);
        numbers.insert(normalize_dn(&person.dn), person.employee_no.clone());
        people.push(person);
    }
    for person in &mut people {
        let Some(manager) = &person.manager_dn else {
            continue;
        };
        let key = normalize_dn(manager);
        if !numbers.contains_key(&key) {
            let number = read_one(&mut conn, query, manager, &sources)?;
            numbers.insert(key.clone(), number);
        }
        person.manager_employee_no = numbers.get(&key).cloned().flatten();
    }
    // The answers are all in; a failed goodbye changes none of them.
    let _ = conn.unbind();
    Ok(people)
}

fn connect(query: &LdapQuery) -> Result<LdapConn, DirectoryError> {
    let settings = LdapConnSettings::new().set_conn_timeout(query.timeout);
    let mut conn = LdapConn::with_settings(settings, &query.url).map_err(|error| match error {
        LdapError::UrlParsing { source } => DirectoryError::BadUrl {
            url: query.url.clone(),
            reason: source.to_string(),
        },
        LdapError::UnknownScheme(scheme) => DirectoryError::BadUrl {
            url: query.url.clone(),
            reason: format!("{scheme}:// is not ldap:// or ldaps://"),
        },
        LdapError::Timeout { .. } => DirectoryError::TimedOut {
            url: query.url.clone(),
            doing: "connecting",
            timeout: query.timeout,
        },
        other => DirectoryError::Connect {
            url: query.url.clone(),
            cause: other.to_string(),
        },
    })?;
    conn.with_timeout(query.timeout);
    Ok(conn)
}

/// The paged subtree search: every entry, page after page.
fn search(
    conn: &mut LdapConn,
    query: &LdapQuery,
    attributes: &[String],
) -> Result<Vec<SearchEntry>, DirectoryError> {
    let fail = |error: LdapError| match error {
        LdapError::LdapResult { result } if result.rc == NO_SUCH_OBJECT => {
            DirectoryError::BaseNotFound {
                url: query.url.clone(),
                base: query.base.clone(),
                matched: Some(result.matched).filter(|m| !m.is_empty()),
            }
        }
        other => failure(query, "the search", other),
    };
    let mut stream = conn
        .streaming_search_with(
            PagedResults::new(query.page_size),
            &query.base,
            Scope::Subtree,
            query.filter(),
            attributes.to_vec(),
        )
        .map_err(fail)?;
    let mut entries = Vec::new();
    loop {
        match stream.next() {
            Ok(Some(entry)) => {
                // Continuation references (AD's ForestDnsZones and the like under a domain's
                // root) and intermediate responses are not entries.
                if !entry.is_ref() && !entry.is_intermediate() {
                    entries.push(SearchEntry::construct(entry));
                }
            }
            Ok(None) => break,
            Err(error) => return Err(fail(error)),
        }
    }
    stream.result().success().map_err(fail)?;
    Ok(entries)
}

/// A manager outside the search (another OU, or left out by the filter): that one entry's
/// employee number, `None` when there is no such entry, it may not be read, or it has none.
fn read_one(
    conn: &mut LdapConn,
    query: &LdapQuery,
    dn: &str,
    sources: &Sources,
) -> Result<Option<String>, DirectoryError> {
    let wanted: Vec<String> = sources.of(super::Field::EmployeeNo).to_vec();
    let found = match conn.search(dn, Scope::Base, "(objectClass=*)", wanted) {
        Ok(found) => found,
        Err(error) => return Err(failure(query, "reading a manager's entry", error)),
    };
    let (entries, result) = (found.0, found.1);
    if result.rc != 0 {
        // No such entry (a manager who has left), no right to read it, a malformed DN in
        // the attribute: the manager is unknown, which the caller reports.
        return Ok(None);
    }
    Ok(entries
        .into_iter()
        .find(|entry| !entry.is_ref() && !entry.is_intermediate())
        .and_then(|entry| {
            Attributes::new(SearchEntry::construct(entry).attrs)
                .first(sources.of(super::Field::EmployeeNo))
        }))
}

/// An ldap3 error as what it means for this query.
fn failure(query: &LdapQuery, doing: &'static str, error: LdapError) -> DirectoryError {
    match error {
        LdapError::FilterParsing => DirectoryError::BadFilter {
            filter: query.filter().to_string(),
        },
        LdapError::Timeout { .. } => DirectoryError::TimedOut {
            url: query.url.clone(),
            doing,
            timeout: query.timeout,
        },
        LdapError::LdapResult { result } => DirectoryError::Refused {
            url: query.url.clone(),
            doing,
            code: result.rc,
            text: result.text,
        },
        other => DirectoryError::Failed {
            url: query.url.clone(),
            doing,
            cause: other.to_string(),
        },
    }
}

/// Whether a bind to `url` keeps its password to itself: `ldaps://`, or a directory on
/// this machine (loopback, or a Unix socket's `ldapi://`).
fn encrypted_or_local(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    if url.starts_with("ldaps://") || url.starts_with("ldapi://") {
        return true;
    }
    let authority = url
        .strip_prefix("ldap://")
        .unwrap_or_default()
        .split(['/', '?'])
        .next()
        .unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::encrypted_or_local;

    #[test]
    fn a_password_goes_only_over_tls_or_to_this_machine() {
        assert!(encrypted_or_local("ldaps://dc1.kommun.se"));
        assert!(encrypted_or_local("ldap://127.0.0.1:55389"));
        assert!(encrypted_or_local("ldap://[::1]:389/"));
        assert!(encrypted_or_local("LDAP://localhost"));
        assert!(!encrypted_or_local("ldap://dc1.kommun.se"));
        assert!(!encrypted_or_local("ldap://127.0.0.1.evil.example"));
    }
}

//! Who a request acts as: an API token (`Authorization: Bearer …`) or a session cookie, and
//! the CSRF check for changes made with a cookie. Sign-ins are throttled per login and per
//! client address.

use super::Lane;
use super::failure::Failure;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use handback::domain::{Register, Session};
use handback::model::account::{Permission, Principal, Role};
use handback::refusal::Refusal;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "handback_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A request's signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The session, when the caller came with a cookie rather than a token.
    pub session: Option<Session>,
    pub client: IpAddr,
}

impl Caller {
    /// Refuses what the caller may not do: what the role does not allow, and a change
    /// made with a cookie without the session's CSRF token.
    pub fn permits(&self, wanted: &Wants) -> Result<(), Failure> {
        match wanted {
            Wants::Read(what) => self.require(*what),
            Wants::Change(what, csrf) => {
                self.require(*what)?;
                self.check_csrf(csrf.as_deref())
            }
        }
    }

    /// Refuses what the caller's role may not do.
    pub fn require(&self, what: Permission) -> Result<(), Failure> {
        if self.principal.may(what) {
            Ok(())
        } else {
            Err(Failure::forbidden())
        }
    }

    /// Whether the caller only sees some departments: what they may not see is "not found".
    pub fn confined(&self) -> bool {
        self.principal.role == Role::Manager
    }

    /// For a change made with a session cookie: the session's CSRF token must come with it
    /// (a header from scripts, a form field from pages). Token callers need none.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), Failure> {
        match &self.session {
            None => Ok(()),
            Some(session) if given.is_some_and(|g| constant_time_eq(g, &session.csrf)) => Ok(()),
            Some(_) => Err(Failure::bad_csrf()),
        }
    }

    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |s| s.csrf.as_str())
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn client_of(parts: &Parts) -> IpAddr {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip())
}

/// The bearer token of a request, if it sent one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// What a request presents to say who it is, read from its headers without touching the
/// register: the register is asked on the blocking pool, in the same trip as the request's
/// own work.
#[derive(Debug, Clone)]
pub struct Credentials {
    presented: Option<Presented>,
    client: IpAddr,
}

#[derive(Debug, Clone)]
enum Presented {
    Token(String),
    Session(String),
}

impl Credentials {
    pub fn of(parts: &Parts) -> Credentials {
        let presented = match bearer(&parts.headers) {
            Some(token) => Some(Presented::Token(token.to_string())),
            None => CookieJar::from_headers(&parts.headers)
                .get(SESSION_COOKIE)
                .map(|c| Presented::Session(c.value().to_string())),
        };
        Credentials {
            presented,
            client: client_of(parts),
        }
    }

    /// Who they open: `Ok(None)` when none were presented, a 401 when they open nothing.
    pub fn caller(&self, register: &mut Register) -> Result<Option<Caller>, Failure> {
        let client = self.client;
        match &self.presented {
            None => Ok(None),
            Some(Presented::Token(token)) => match register.token_principal(token)? {
                Some(principal) => Ok(Some(Caller {
                    principal,
                    session: None,
                    client,
                })),
                None => Err(Failure::unauthenticated()),
            },
            Some(Presented::Session(id)) => Ok(register.session(id)?.map(|session| Caller {
                principal: session.principal.clone(),
                session: Some(session),
                client,
            })),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Credentials {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Credentials::of(parts))
    }
}

/// What a request wants to do: read, or change with the CSRF token a cookie's change must
/// carry (the `X-CSRF-Token` header, or a form's `csrf` field).
pub enum Wants {
    Read(Permission),
    Change(Permission, Option<String>),
}

impl Wants {
    /// The blocking pool's lane the work takes.
    pub fn lane(&self) -> Lane {
        match self {
            Wants::Read(_) => Lane::Read,
            Wants::Change(..) => Lane::Change,
        }
    }
}

/// Who `credentials` open, if they may do what is `wanted`: 401 without credentials, 403
/// when the role may not or the CSRF token is missing.
pub fn admitted(
    register: &mut Register,
    credentials: &Credentials,
    wanted: &Wants,
) -> Result<Caller, Failure> {
    let caller = credentials
        .caller(register)?
        .ok_or_else(Failure::unauthenticated)?;
    caller.permits(wanted)?;
    Ok(caller)
}

/// A domain result as `caller` may see its failure.
pub trait SeenBy<T> {
    fn seen_by(self, caller: &Caller) -> Result<T, Failure>;
}

impl<T> SeenBy<T> for handback::Result<T> {
    fn seen_by(self, caller: &Caller) -> Result<T, Failure> {
        self.map_err(|e| Failure::from_error_for(&e, caller.confined()))
    }
}

/// The session cookie for a new session.
pub fn session_cookie(session: &Session, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, session.id.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build()
}

/// The cookie that removes the session cookie.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build((SESSION_COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build();
    cookie.make_removal();
    cookie
}

/// How many failed sign-ins a login may have in [`WINDOW`], and a client address.
const PER_LOGIN: usize = 5;
const PER_CLIENT: usize = 20;
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins of the last [`WINDOW`], per login and per client address. Kept in the
/// process: it slows down guessing; the account events keep the record.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    by_login: HashMap<String, Vec<Instant>>,
    by_client: HashMap<IpAddr, Vec<Instant>>,
}

impl Throttle {
    /// Refuses a sign-in while its login or its address has failed too often.
    pub fn check(&self, login: &str, client: IpAddr) -> Result<(), Refusal> {
        let mut failures = self.lock();
        let now = Instant::now();
        let login_wait = wait(failures.by_login.get_mut(&key(login)), PER_LOGIN, now);
        let client_wait = wait(failures.by_client.get_mut(&client), PER_CLIENT, now);
        match login_wait.max(client_wait) {
            Some(retry_after) => Err(Refusal::TooManyAttempts { retry_after }),
            None => Ok(()),
        }
    }

    pub fn failed(&self, login: &str, client: IpAddr) {
        let mut failures = self.lock();
        let now = Instant::now();
        failures.by_login.entry(key(login)).or_default().push(now);
        failures.by_client.entry(client).or_default().push(now);
    }

    pub fn succeeded(&self, login: &str) {
        self.lock().by_login.remove(&key(login));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// How long until one of `times` leaves the window, when `limit` of them are in it.
fn wait(times: Option<&mut Vec<Instant>>, limit: usize, now: Instant) -> Option<Duration> {
    let times = times?;
    times.retain(|t| now.duration_since(*t) < WINDOW);
    if times.len() < limit {
        return None;
    }
    let oldest = times.iter().min()?;
    Some(WINDOW.saturating_sub(now.duration_since(*oldest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_is_throttled_after_five_failures_and_freed_by_a_success() {
        let throttle = Throttle::default();
        let client = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..PER_LOGIN {
            assert!(throttle.check("Anna", client).is_ok());
            throttle.failed("anna", client);
        }
        assert!(matches!(
            throttle.check("anna ", IpAddr::from([10, 0, 0, 2])),
            Err(Refusal::TooManyAttempts { .. })
        ));
        throttle.succeeded("anna");
        assert!(throttle.check("anna", client).is_ok());
    }

    #[test]
    fn an_address_is_throttled_across_logins() {
        let throttle = Throttle::default();
        let client = IpAddr::from([10, 0, 0, 3]);
        for n in 0..PER_CLIENT {
            throttle.failed(&format!("user{n}"), client);
        }
        assert!(throttle.check("someone", client).is_err());
        assert!(
            throttle
                .check("someone", IpAddr::from([10, 0, 0, 4]))
                .is_ok()
        );
    }

    #[test]
    fn bearer_tokens_are_read_whatever_the_scheme_case() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "bearer hb_123".parse().unwrap());
        assert_eq!(bearer(&headers), Some("hb_123"));
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(bearer(&headers), None);
    }
}

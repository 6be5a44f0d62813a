//! Accounts for the web and the API: adding and disabling them, passwords, API tokens,
//! signing in and web sessions. Every change writes an account event in its transaction.
//!
//! Secrets never reach the store: passwords are kept as argon2id hashes, and API tokens and
//! session ids, which are long random strings, as their SHA-256 digests.

use super::Register;
use crate::error::{Error, Result};
use crate::model::account::{Account, AccountAction, Principal, Role, TokenInfo};
use crate::refusal::Refusal;
use crate::store::accounts::{AccountEvent, NewAccount as StoredAccount};
use crate::store::moment_to_sql;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// How long a session or a token may go unseen before its last-seen moment is written
/// again: a busy page or script does not write the register on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// An account to add.
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub departments: &'a [String],
    pub password: &'a str,
}

/// A new API token: the token itself is in this value only, never stored.
#[derive(Debug, Serialize)]
pub struct NewToken {
    pub id: i64,
    pub login: String,
    pub label: Option<String>,
    pub token: String,
}

/// A signed-in session: its id goes in the cookie, its CSRF token in every form.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub csrf: String,
    pub principal: Principal,
}

/// A random secret of 32 bytes as hexadecimal text, behind a prefix that says what it is.
fn secret(prefix: &str) -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        failure(format!(
            "the system's random numbers could not be read: {e}"
        ))
    })?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// A random id of 64 hexadecimal digits, for what a front end keeps for a while (an upload
/// waiting for its confirmation).
pub fn random_id() -> Result<String> {
    secret("")
}

/// A failure of the machine, not of the request: no random numbers, no hash.
fn failure(message: String) -> Error {
    Error::Store(crate::store::StoreError::new(
        crate::store::StoreErrorKind::Other,
        message,
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the store keeps of a token or session id.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Refusal::PasswordTooShort {
            minimum: MIN_PASSWORD_CHARS,
        }
        .into());
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| failure(format!("the password could not be hashed: {e}")))
}

/// Whether `password` matches a stored hash; a damaged hash matches nothing.
fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when the login names no account, so that a wrong login takes
/// as long as a wrong password and the time taken does not tell which logins exist.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

fn no_such_account(login: &str) -> Error {
    Refusal::NoSuchAccount {
        login: login.to_string(),
    }
    .into()
}

impl Register {
    pub fn add_account(&mut self, new: &NewAccount<'_>) -> Result<Account> {
        let login = new.login.trim();
        let name = new.name.trim();
        if login.is_empty() || name.is_empty() {
            return Err(Refusal::NoLoginGiven.into());
        }
        let departments: Vec<String> = new
            .departments
            .iter()
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .collect();
        if new.role == Role::Manager && departments.is_empty() {
            return Err(Refusal::ManagerWithoutDepartment {
                login: login.to_string(),
            }
            .into());
        }
        let password_hash = hash_password(new.password)?;
        self.write(|tx, ctx| {
            let now = moment_to_sql(ctx.now);
            let stored = StoredAccount {
                login,
                name,
                role: new.role,
                departments: &departments,
                password_hash: &password_hash,
            };
            if tx.accounts().add(&stored, &now)?.is_none() {
                return Err(Refusal::LoginTaken {
                    login: login.to_string(),
                }
                .into());
            }
            let details = serde_json::json!({ "role": new.role, "departments": departments });
            record_account_change(
                tx,
                ctx,
                AccountAction::AccountAdded,
                login,
                &details.to_string(),
            )?;
            tx.accounts()
                .by_login(login)?
                .ok_or_else(|| no_such_account(login))
        })
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.read(|tx| tx.accounts().list())
    }

    /// Disables an account: its sessions end at once and its tokens stop working.
    pub fn disable_account(&mut self, login: &str) -> Result<Account> {
        self.write(|tx, ctx| {
            let account = tx
                .accounts()
                .by_login(login.trim())?
                .ok_or_else(|| no_such_account(login))?;
            let now = moment_to_sql(ctx.now);
            tx.accounts().disable(account.id, &now)?;
            record_account_change(
                tx,
                ctx,
                AccountAction::AccountDisabled,
                &account.login,
                "{}",
            )?;
            tx.accounts()
                .by_login(&account.login)?
                .ok_or_else(|| no_such_account(login))
        })
    }

    /// Sets a new password; the account's sessions end.
    pub fn set_password(&mut self, login: &str, password: &str) -> Result<Account> {
        let hash = hash_password(password)?;
        self.write(|tx, ctx| {
            let account = tx
                .accounts()
                .by_login(login.trim())?
                .ok_or_else(|| no_such_account(login))?;
            tx.accounts().set_password_hash(account.id, &hash)?;
            record_account_change(
                tx,
                ctx,
                AccountAction::PasswordChanged,
                &account.login,
                "{}",
            )?;
            Ok(account)
        })
    }

    pub fn add_token(&mut self, login: &str, label: Option<&str>) -> Result<NewToken> {
        let token = secret("hb_")?;
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        self.write(|tx, ctx| {
            let account = tx
                .accounts()
                .by_login(login.trim())?
                .ok_or_else(|| no_such_account(login))?;
            let now = moment_to_sql(ctx.now);
            let id = tx
                .accounts()
                .add_token(account.id, label, &digest(&token), &now)?;
            let details = serde_json::json!({ "token": id, "label": label });
            record_account_change(
                tx,
                ctx,
                AccountAction::TokenAdded,
                &account.login,
                &details.to_string(),
            )?;
            Ok(NewToken {
                id,
                login: account.login,
                label: label.map(str::to_string),
                token: token.clone(),
            })
        })
    }

    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        self.read(|tx| tx.accounts().tokens())
    }

    pub fn revoke_token(&mut self, id: i64) -> Result<TokenInfo> {
        self.write(|tx, ctx| {
            let now = moment_to_sql(ctx.now);
            if !tx.accounts().revoke_token(id, &now)? {
                return Err(Refusal::NoSuchToken { id }.into());
            }
            let token = tx
                .accounts()
                .tokens()?
                .into_iter()
                .find(|t| t.id == id)
                .ok_or(Refusal::NoSuchToken { id })?;
            let details = serde_json::json!({ "token": id });
            record_account_change(
                tx,
                ctx,
                AccountAction::TokenRevoked,
                &token.login,
                &details.to_string(),
            )?;
            Ok(token)
        })
    }

    /// The account an API token acts for, if the token is live and its account enabled.
    /// Its last use is written down, at most once a minute.
    pub fn token_principal(&mut self, token: &str) -> Result<Option<Principal>> {
        let digest = digest(token);
        let Some((principal, last_used)) =
            self.read(|tx| tx.accounts().token_principal(&digest))?
        else {
            return Ok(None);
        };
        if is_stale(last_used.as_deref(), self.now()) {
            self.write(|tx, ctx| tx.accounts().touch_token(&digest, &moment_to_sql(ctx.now)))?;
        }
        Ok(Some(principal))
    }

    /// Signs in with a password: a new session, and an account event either way. The
    /// refusal never says whether the login or the password was wrong.
    pub fn sign_in(&mut self, login: &str, password: &str, client: &str) -> Result<Session> {
        let login = login.trim();
        let credentials = self.read(|tx| tx.accounts().credentials(login))?;
        let opened = match &credentials {
            Some(found) if !found.disabled => found
                .password_hash
                .as_deref()
                .is_some_and(|hash| password_matches(password, hash)),
            _ => {
                password_matches(password, decoy_hash());
                false
            }
        };
        let session = match (opened, credentials) {
            (true, Some(found)) => Some(Session {
                id: secret("")?,
                csrf: secret("")?,
                principal: found.principal,
            }),
            _ => None,
        };
        self.write(|tx, ctx| {
            let now = moment_to_sql(ctx.now);
            let action = match &session {
                Some(session) => {
                    tx.accounts().start_session(
                        &digest(&session.id),
                        session.principal.account_id,
                        &session.csrf,
                        &now,
                    )?;
                    AccountAction::SignedIn
                }
                None => AccountAction::SignInFailed,
            };
            tx.accounts().record(
                &AccountEvent {
                    action,
                    login: Some(login),
                    client: Some(client),
                    details: "{}",
                },
                login,
                &now,
            )
        })?;
        session.ok_or_else(|| Refusal::BadCredentials.into())
    }

    /// The live session with this id: `None` when there is none, its account is disabled,
    /// or it has been idle longer than the register's setting (it is ended then).
    pub fn session(&mut self, id: &str) -> Result<Option<Session>> {
        let digest = digest(id);
        let (row, idle_minutes) = self.read(|tx| {
            Ok((
                tx.accounts().session(&digest)?,
                tx.accounts().session_idle_minutes()?,
            ))
        })?;
        let Some(row) = row else {
            return Ok(None);
        };
        let now = self.now();
        if now - moment(Some(&row.last_seen_at)) > Duration::minutes(idle_minutes) {
            self.write(|tx, _| tx.accounts().end_session(&digest))?;
            return Ok(None);
        }
        if is_stale(Some(&row.last_seen_at), now) {
            self.write(|tx, ctx| {
                tx.accounts()
                    .touch_session(&digest, &moment_to_sql(ctx.now))
            })?;
        }
        Ok(Some(Session {
            id: id.to_string(),
            csrf: row.csrf,
            principal: row.principal,
        }))
    }

    pub fn sign_out(&mut self, session: &Session, client: &str) -> Result<()> {
        let digest = digest(&session.id);
        self.write(|tx, ctx| {
            let now = moment_to_sql(ctx.now);
            tx.accounts().end_session(&digest)?;
            tx.accounts().record(
                &AccountEvent {
                    action: AccountAction::SignedOut,
                    login: Some(&session.principal.login),
                    client: Some(client),
                    details: "{}",
                },
                &session.principal.login,
                &now,
            )
        })
    }
}

/// A stored moment; one that cannot be read counts as long ago.
fn moment(stored: Option<&str>) -> DateTime<Utc> {
    stored
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .map_or(DateTime::<Utc>::MIN_UTC, |m| m.with_timezone(&Utc))
}

/// Whether a last-seen or last-used moment is old enough to be written again.
fn is_stale(stored: Option<&str>, now: DateTime<Utc>) -> bool {
    now - moment(stored) >= TOUCH_EVERY
}

/// An account event for a change to the account `login`, made by the operation's actor.
fn record_account_change(
    tx: &dyn crate::store::Transaction,
    ctx: &super::Ctx<'_>,
    action: AccountAction,
    login: &str,
    details: &str,
) -> Result<()> {
    tx.accounts().record(
        &AccountEvent {
            action,
            login: Some(login),
            client: None,
            details,
        },
        ctx.actor,
        &moment_to_sql(ctx.now),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Clock;
    use crate::store::sqlite::testing::texts;
    use crate::zone::Zone;

    fn register() -> (tempfile::TempDir, Register) {
        let dir = tempfile::tempdir().unwrap();
        let register = Register::create(&dir.path().join("r.sqlite"), "desk", Zone::DEFAULT)
            .unwrap()
            .with_clock(Clock::Fixed("2026-12-01T09:00:00Z".parse().unwrap()));
        (dir, register)
    }

    fn add(register: &mut Register, login: &str, role: Role, departments: &[&str]) -> Account {
        let departments: Vec<String> = departments.iter().map(|d| d.to_string()).collect();
        register
            .add_account(&NewAccount {
                login,
                name: "Anna Berg",
                role,
                departments: &departments,
                password: "correct horse battery",
            })
            .unwrap()
    }

    #[test]
    fn a_password_opens_a_session_that_the_id_finds_again() {
        let (_dir, mut register) = register();
        add(&mut register, "anna", Role::Manager, &["Gatukontoret"]);
        let session = register
            .sign_in("anna", "correct horse battery", "127.0.0.1")
            .unwrap();
        let found = register.session(&session.id).unwrap().unwrap();
        assert_eq!(found.principal.departments, ["Gatukontoret"]);
        assert_eq!(found.csrf, session.csrf);
        assert!(register.session("not a session").unwrap().is_none());
    }

    #[test]
    fn a_wrong_password_or_login_is_refused_alike_and_recorded() {
        let (_dir, mut register) = register();
        add(&mut register, "anna", Role::Technician, &[]);
        for (login, password) in [("anna", "wrong password"), ("nobody", "correct horse")] {
            let refused = register.sign_in(login, password, "10.0.0.9").unwrap_err();
            assert!(matches!(refused, Error::Refusal(Refusal::BadCredentials)));
        }
        let failed = texts(
            register.path(),
            "SELECT count(*) || '' FROM account_event WHERE action = 'sign_in_failed'",
        );
        assert_eq!(failed, ["2"]);
    }

    #[test]
    fn a_session_ends_after_the_idle_time_and_when_the_account_is_disabled() {
        let (_dir, mut register) = register();
        add(&mut register, "anna", Role::Auditor, &[]);
        let session = register
            .sign_in("anna", "correct horse battery", "127.0.0.1")
            .unwrap();
        let mut later = register
            .clone()
            .with_clock(Clock::Fixed("2026-12-01T16:59:00Z".parse().unwrap()));
        assert!(later.session(&session.id).unwrap().is_some());
        let mut much_later = register
            .clone()
            .with_clock(Clock::Fixed("2026-12-02T01:00:00Z".parse().unwrap()));
        assert!(much_later.session(&session.id).unwrap().is_none());

        let again = register
            .sign_in("anna", "correct horse battery", "127.0.0.1")
            .unwrap();
        register.disable_account("anna").unwrap();
        assert!(register.session(&again.id).unwrap().is_none());
        assert!(
            register
                .sign_in("anna", "correct horse battery", "127.0.0.1")
                .is_err()
        );
    }

    #[test]
    fn a_token_works_until_revoked_and_only_its_digest_is_stored() {
        let (_dir, mut register) = register();
        add(&mut register, "script", Role::Technician, &[]);
        let token = register.add_token("script", Some("nightly")).unwrap();
        assert!(token.token.starts_with("hb_") && token.token.len() == 67);
        let principal = register.token_principal(&token.token).unwrap().unwrap();
        assert_eq!(principal.login, "script");
        let stored = texts(register.path(), "SELECT token_hash FROM api_token");
        assert_eq!(stored, [digest(&token.token)]);
        register.revoke_token(token.id).unwrap();
        assert!(register.token_principal(&token.token).unwrap().is_none());
        assert!(register.revoke_token(token.id).is_err());
        let used = &register.tokens().unwrap()[0];
        assert_eq!(
            used.last_used_at,
            Some("2026-12-01T09:00:00Z".parse().unwrap())
        );
    }

    #[test]
    fn accounts_are_refused_without_what_they_need() {
        let (_dir, mut register) = register();
        let refusal = |result: Result<Account>| match result.unwrap_err() {
            Error::Refusal(refusal) => refusal,
            other => panic!("{other}"),
        };
        let none: Vec<String> = Vec::new();
        let mut new = NewAccount {
            login: "boss",
            name: "Boss",
            role: Role::Manager,
            departments: &none,
            password: "correct horse battery",
        };
        assert!(matches!(
            refusal(register.add_account(&new)),
            Refusal::ManagerWithoutDepartment { .. }
        ));
        new.role = Role::Admin;
        new.password = "short";
        assert!(matches!(
            refusal(register.add_account(&new)),
            Refusal::PasswordTooShort { .. }
        ));
        new.password = "correct horse battery";
        register.add_account(&new).unwrap();
        assert!(matches!(
            refusal(register.add_account(&new)),
            Refusal::LoginTaken { .. }
        ));
    }
}

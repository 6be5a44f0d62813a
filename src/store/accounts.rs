//! Accounts, API tokens and web sessions: who may sign in, and the trail of who did.

use crate::error::Result;
use crate::model::account::{Account, AccountAction, Principal, Role, TokenInfo};

/// A new account; its password is already hashed.
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub departments: &'a [String],
    pub password_hash: &'a str,
}

/// An account's password hash, for signing in.
pub struct Credentials {
    pub principal: Principal,
    pub password_hash: Option<String>,
    pub disabled: bool,
}

/// A web session found by its id's digest.
pub struct SessionRow {
    pub principal: Principal,
    pub csrf: String,
    pub last_seen_at: String,
}

/// One entry of the accounts' audit trail.
pub struct AccountEvent<'a> {
    pub action: AccountAction,
    pub login: Option<&'a str>,
    pub client: Option<&'a str>,
    pub details: &'a str,
}

pub trait Accounts {
    /// Adds an account; `None` when the login is taken.
    fn add(&self, account: &NewAccount<'_>, now: &str) -> Result<Option<i64>>;
    fn list(&self) -> Result<Vec<Account>>;
    fn by_login(&self, login: &str) -> Result<Option<Account>>;
    fn credentials(&self, login: &str) -> Result<Option<Credentials>>;
    /// Disables an account and ends its sessions.
    fn disable(&self, account_id: i64, now: &str) -> Result<()>;
    fn set_password_hash(&self, account_id: i64, hash: &str) -> Result<()>;

    fn add_token(
        &self,
        account_id: i64,
        label: Option<&str>,
        digest: &str,
        now: &str,
    ) -> Result<i64>;
    fn tokens(&self) -> Result<Vec<TokenInfo>>;
    /// Revokes a token; false when there is no live token with that id.
    fn revoke_token(&self, id: i64, now: &str) -> Result<bool>;
    /// The enabled account a live token belongs to, and when the token was last used.
    fn token_principal(&self, digest: &str) -> Result<Option<(Principal, Option<String>)>>;
    fn touch_token(&self, digest: &str, now: &str) -> Result<()>;

    fn start_session(&self, digest: &str, account_id: i64, csrf: &str, now: &str) -> Result<()>;
    /// The session of an enabled account with this digest.
    fn session(&self, digest: &str) -> Result<Option<SessionRow>>;
    fn touch_session(&self, digest: &str, now: &str) -> Result<()>;
    fn end_session(&self, digest: &str) -> Result<()>;
    /// Ends every session last seen before `idle_since`.
    fn end_sessions_idle_since(&self, idle_since: &str) -> Result<u64>;

    fn record(&self, event: &AccountEvent<'_>, actor: &str, now: &str) -> Result<()>;
    /// The session idle time in minutes, a setting of the register.
    fn session_idle_minutes(&self) -> Result<i64>;
}

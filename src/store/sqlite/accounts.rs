//! SQL for accounts, API tokens, web sessions and the accounts' audit trail.

use super::{Tx, moment_from_sql, optional};
use crate::error::Result;
use crate::model::account::{Account, Principal, Role, TokenInfo};
use crate::store::accounts::{AccountEvent, Accounts, Credentials, NewAccount, SessionRow};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

/// The session idle time a register without the setting gets: eight hours.
const DEFAULT_IDLE_MINUTES: i64 = 8 * 60;

fn role_from_sql(word: String) -> rusqlite::Result<Role> {
    Role::parse(&word).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown role {word:?}").into(),
        )
    })
}

fn optional_moment(text: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    text.as_deref().map(moment_from_sql).transpose()
}

impl Tx<'_> {
    fn departments_of(&self, account_id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT department FROM account_department WHERE account_id = ?1 ORDER BY department",
        )?;
        let departments = stmt
            .query_map([account_id], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(departments)
    }

    /// The principal of the enabled account `account_id`.
    fn principal(&self, account_id: i64) -> Result<Option<Principal>> {
        let found = optional(self.conn.query_row(
            "SELECT login, name, role FROM account WHERE id = ?1 AND disabled_at IS NULL",
            [account_id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    role_from_sql(row.get(2)?)?,
                ))
            },
        ))?;
        let Some((login, name, role)) = found else {
            return Ok(None);
        };
        Ok(Some(Principal {
            account_id,
            login,
            name,
            role,
            departments: self.departments_of(account_id)?,
        }))
    }
}

const ACCOUNT_COLUMNS: &str = "id, login, name, role, created_at, disabled_at";

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: row.get(0)?,
        login: row.get(1)?,
        name: row.get(2)?,
        role: role_from_sql(row.get(3)?)?,
        departments: Vec::new(),
        created_at: moment_from_sql(&row.get::<_, String>(4)?)?,
        disabled_at: optional_moment(row.get(5)?)?,
    })
}

impl Accounts for Tx<'_> {
    fn add(&self, account: &NewAccount<'_>, now: &str) -> Result<Option<i64>> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO account (login, name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (login) DO NOTHING RETURNING id",
            )?
            .query_row(
                params![
                    account.login,
                    account.name,
                    account.role.as_str(),
                    account.password_hash,
                    now
                ],
                |row| row.get::<_, i64>(0),
            )
            .optional()?;
        let Some(id) = inserted else {
            return Ok(None);
        };
        let mut department = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO account_department (account_id, department) VALUES (?1, ?2)",
        )?;
        for name in account.departments {
            department.execute(params![id, name])?;
        }
        Ok(Some(id))
    }

    fn list(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY login"
        ))?;
        let mut accounts: Vec<Account> = stmt
            .query_map([], account_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        for account in &mut accounts {
            account.departments = self.departments_of(account.id)?;
        }
        Ok(accounts)
    }

    fn by_login(&self, login: &str) -> Result<Option<Account>> {
        let found = optional(self.conn.query_row(
            &format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE login = ?1"),
            [login],
            account_from_row,
        ))?;
        let Some(mut account) = found else {
            return Ok(None);
        };
        account.departments = self.departments_of(account.id)?;
        Ok(Some(account))
    }

    fn credentials(&self, login: &str) -> Result<Option<Credentials>> {
        let found = optional(self.conn.query_row(
            "SELECT id, name, role, password_hash, disabled_at IS NOT NULL
             FROM account WHERE login = ?1",
            [login],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    role_from_sql(row.get(2)?)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, bool>(4)?,
                ))
            },
        ))?;
        let Some((account_id, name, role, password_hash, disabled)) = found else {
            return Ok(None);
        };
        Ok(Some(Credentials {
            principal: Principal {
                account_id,
                login: login.to_string(),
                name,
                role,
                departments: self.departments_of(account_id)?,
            },
            password_hash,
            disabled,
        }))
    }

    fn disable(&self, account_id: i64, now: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE account SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL",
            params![account_id, now],
        )?;
        self.conn.execute(
            "DELETE FROM web_session WHERE account_id = ?1",
            [account_id],
        )?;
        Ok(())
    }

    fn set_password_hash(&self, account_id: i64, hash: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE account SET password_hash = ?2 WHERE id = ?1",
            params![account_id, hash],
        )?;
        // A new password ends the sessions the old one opened.
        self.conn.execute(
            "DELETE FROM web_session WHERE account_id = ?1",
            [account_id],
        )?;
        Ok(())
    }

    fn add_token(
        &self,
        account_id: i64,
        label: Option<&str>,
        digest: &str,
        now: &str,
    ) -> Result<i64> {
        Ok(self.conn.query_row(
            "INSERT INTO api_token (account_id, label, token_hash, created_at)
             VALUES (?1, ?2, ?3, ?4) RETURNING id",
            params![account_id, label, digest, now],
            |row| row.get(0),
        )?)
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, a.login, t.label, t.created_at, t.last_used_at, t.revoked_at
             FROM api_token t JOIN account a ON a.id = t.account_id ORDER BY t.id",
        )?;
        let tokens = stmt
            .query_map([], |row| {
                Ok(TokenInfo {
                    id: row.get(0)?,
                    login: row.get(1)?,
                    label: row.get(2)?,
                    created_at: moment_from_sql(&row.get::<_, String>(3)?)?,
                    last_used_at: optional_moment(row.get(4)?)?,
                    revoked_at: optional_moment(row.get(5)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tokens)
    }

    fn revoke_token(&self, id: i64, now: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, now],
        )?;
        Ok(changed == 1)
    }

    fn token_principal(&self, digest: &str) -> Result<Option<(Principal, Option<String>)>> {
        let found: Option<(i64, Option<String>)> = optional(
            self.conn
                .prepare_cached(
                    "SELECT account_id, last_used_at FROM api_token
                     WHERE token_hash = ?1 AND revoked_at IS NULL",
                )?
                .query_row([digest], |row| Ok((row.get(0)?, row.get(1)?))),
        )?;
        let Some((account_id, last_used)) = found else {
            return Ok(None);
        };
        Ok(self.principal(account_id)?.map(|p| (p, last_used)))
    }

    fn touch_token(&self, digest: &str, now: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE api_token SET last_used_at = ?2 WHERE token_hash = ?1")?
            .execute(params![digest, now])?;
        Ok(())
    }

    fn start_session(&self, digest: &str, account_id: i64, csrf: &str, now: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO web_session (id_hash, account_id, csrf, started_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![digest, account_id, csrf, now],
        )?;
        Ok(())
    }

    fn session(&self, digest: &str) -> Result<Option<SessionRow>> {
        let found: Option<(i64, String, String)> = optional(
            self.conn
                .prepare_cached(
                    "SELECT account_id, csrf, last_seen_at FROM web_session WHERE id_hash = ?1",
                )?
                .query_row([digest], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))),
        )?;
        let Some((account_id, csrf, last_seen_at)) = found else {
            return Ok(None);
        };
        Ok(self.principal(account_id)?.map(|principal| SessionRow {
            principal,
            csrf,
            last_seen_at,
        }))
    }

    fn touch_session(&self, digest: &str, now: &str) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE web_session SET last_seen_at = ?2 WHERE id_hash = ?1")?
            .execute(params![digest, now])?;
        Ok(())
    }

    fn end_session(&self, digest: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM web_session WHERE id_hash = ?1", [digest])?;
        Ok(())
    }

    fn end_sessions_idle_since(&self, idle_since: &str) -> Result<u64> {
        let ended = self.conn.execute(
            "DELETE FROM web_session WHERE last_seen_at < ?1",
            [idle_since],
        )?;
        Ok(ended as u64)
    }

    fn record(&self, event: &AccountEvent<'_>, actor: &str, now: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO account_event (at, actor, action, login, client, details)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                now,
                actor,
                event.action.as_str(),
                event.login,
                event.client,
                event.details
            ])?;
        Ok(())
    }

    fn session_idle_minutes(&self) -> Result<i64> {
        let value: Option<String> = optional(self.conn.query_row(
            "SELECT value FROM setting WHERE key = 'session_idle_minutes'",
            [],
            |row| row.get(0),
        ))?;
        Ok(value
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|minutes| *minutes > 0)
            .unwrap_or(DEFAULT_IDLE_MINUTES))
    }
}

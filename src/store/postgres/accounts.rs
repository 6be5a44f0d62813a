//! SQL for accounts, API tokens and web sessions, and the accounts' own audit trail.
//! Moments come in as the seam's stored text ([`crate::store::moment_to_sql`]) and are
//! kept as timestamptz.

use super::{Tx, get, unreadable};
use crate::error::Result;
use crate::model::account::{Account, Principal, Role, TokenInfo};
use crate::store::accounts::{AccountEvent, Accounts, Credentials, NewAccount, SessionRow};
use crate::store::moment_to_sql;
use chrono::{DateTime, Utc};
use postgres::Row;

/// Eight hours, when the setting is missing or unreadable.
const DEFAULT_IDLE_MINUTES: i64 = 8 * 60;

fn role_from_sql(word: &str) -> Result<Role> {
    Role::parse(word).ok_or_else(|| unreadable(format!("unknown role {word:?}")))
}

const ACCOUNT_COLUMNS: &str = "id, login, name, role, created_at, disabled_at";

fn account_from_row(row: &Row) -> Result<Account> {
    Ok(Account {
        id: get(row, 0)?,
        login: get(row, 1)?,
        name: get(row, 2)?,
        role: role_from_sql(get(row, 3)?)?,
        departments: Vec::new(),
        created_at: get(row, 4)?,
        disabled_at: get(row, 5)?,
    })
}

impl Tx<'_> {
    fn departments_of(&self, account_id: i64) -> Result<Vec<String>> {
        self.rows(
            "SELECT department FROM account_department WHERE account_id = $1
             ORDER BY department COLLATE \"C\"",
            &[&account_id],
        )?
        .iter()
        .map(|row| get(row, 0))
        .collect()
    }

    fn principal(&self, account_id: i64) -> Result<Option<Principal>> {
        let Some(row) = self.optional_row(
            "SELECT login, name, role FROM account WHERE id = $1 AND disabled_at IS NULL",
            &[&account_id],
        )?
        else {
            return Ok(None);
        };
        Ok(Some(Principal {
            account_id,
            login: get(&row, 0)?,
            name: get(&row, 1)?,
            role: role_from_sql(get(&row, 2)?)?,
            departments: self.departments_of(account_id)?,
        }))
    }
}

impl Accounts for Tx<'_> {
    fn add(&self, account: &NewAccount<'_>, now: &str) -> Result<Option<i64>> {
        let Some(row) = self.optional_row(
            "INSERT INTO account (login, name, role, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5::text::timestamptz)
             ON CONFLICT (login) DO NOTHING RETURNING id",
            &[
                &account.login,
                &account.name,
                &account.role.as_str(),
                &account.password_hash,
                &now,
            ],
        )?
        else {
            return Ok(None);
        };
        let id: i64 = get(&row, 0)?;
        for name in account.departments {
            self.execute(
                "INSERT INTO account_department (account_id, department) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&id, name],
            )?;
        }
        Ok(Some(id))
    }

    fn list(&self) -> Result<Vec<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY login COLLATE \"C\"");
        let mut accounts = self
            .rows(&sql, &[])?
            .iter()
            .map(account_from_row)
            .collect::<Result<Vec<_>>>()?;
        for account in &mut accounts {
            account.departments = self.departments_of(account.id)?;
        }
        Ok(accounts)
    }

    fn by_login(&self, login: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE login = $1");
        let Some(row) = self.optional_row(&sql, &[&login])? else {
            return Ok(None);
        };
        let mut account = account_from_row(&row)?;
        account.departments = self.departments_of(account.id)?;
        Ok(Some(account))
    }

    fn credentials(&self, login: &str) -> Result<Option<Credentials>> {
        let Some(row) = self.optional_row(
            "SELECT id, name, role, password_hash, disabled_at IS NOT NULL
             FROM account WHERE login = $1",
            &[&login],
        )?
        else {
            return Ok(None);
        };
        let account_id: i64 = get(&row, 0)?;
        Ok(Some(Credentials {
            principal: Principal {
                account_id,
                login: login.to_string(),
                name: get(&row, 1)?,
                role: role_from_sql(get(&row, 2)?)?,
                departments: self.departments_of(account_id)?,
            },
            password_hash: get(&row, 3)?,
            disabled: get(&row, 4)?,
        }))
    }

    fn disable(&self, account_id: i64, now: &str) -> Result<()> {
        self.execute(
            "UPDATE account SET disabled_at = $2::text::timestamptz
             WHERE id = $1 AND disabled_at IS NULL",
            &[&account_id, &now],
        )?;
        self.execute(
            "DELETE FROM web_session WHERE account_id = $1",
            &[&account_id],
        )?;
        Ok(())
    }

    fn set_password_hash(&self, account_id: i64, hash: &str) -> Result<()> {
        self.execute(
            "UPDATE account SET password_hash = $2 WHERE id = $1",
            &[&account_id, &hash],
        )?;
        self.execute(
            "DELETE FROM web_session WHERE account_id = $1",
            &[&account_id],
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
        get(
            &self.row(
                "INSERT INTO api_token (account_id, label, token_hash, created_at)
                 VALUES ($1, $2, $3, $4::text::timestamptz) RETURNING id",
                &[&account_id, &label, &digest, &now],
            )?,
            0,
        )
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        self.rows(
            "SELECT t.id, a.login, t.label, t.created_at, t.last_used_at, t.revoked_at
             FROM api_token t JOIN account a ON a.id = t.account_id ORDER BY t.id",
            &[],
        )?
        .iter()
        .map(|row| {
            Ok(TokenInfo {
                id: get(row, 0)?,
                login: get(row, 1)?,
                label: get(row, 2)?,
                created_at: get(row, 3)?,
                last_used_at: get(row, 4)?,
                revoked_at: get(row, 5)?,
            })
        })
        .collect()
    }

    fn revoke_token(&self, id: i64, now: &str) -> Result<bool> {
        let changed = self.execute(
            "UPDATE api_token SET revoked_at = $2::text::timestamptz
             WHERE id = $1 AND revoked_at IS NULL",
            &[&id, &now],
        )?;
        Ok(changed == 1)
    }

    fn token_principal(&self, digest: &str) -> Result<Option<(Principal, Option<String>)>> {
        let Some(row) = self.optional_row(
            "SELECT account_id, last_used_at FROM api_token
             WHERE token_hash = $1 AND revoked_at IS NULL",
            &[&digest],
        )?
        else {
            return Ok(None);
        };
        let last_used: Option<DateTime<Utc>> = get(&row, 1)?;
        Ok(self
            .principal(get(&row, 0)?)?
            .map(|p| (p, last_used.map(moment_to_sql))))
    }

    fn touch_token(&self, digest: &str, now: &str) -> Result<()> {
        self.execute(
            "UPDATE api_token SET last_used_at = $2::text::timestamptz WHERE token_hash = $1",
            &[&digest, &now],
        )?;
        Ok(())
    }

    fn start_session(&self, digest: &str, account_id: i64, csrf: &str, now: &str) -> Result<()> {
        self.execute(
            "INSERT INTO web_session (id_hash, account_id, csrf, started_at, last_seen_at)
             VALUES ($1, $2, $3, $4::text::timestamptz, $4::text::timestamptz)",
            &[&digest, &account_id, &csrf, &now],
        )?;
        Ok(())
    }

    fn session(&self, digest: &str) -> Result<Option<SessionRow>> {
        let Some(row) = self.optional_row(
            "SELECT account_id, csrf, last_seen_at FROM web_session WHERE id_hash = $1",
            &[&digest],
        )?
        else {
            return Ok(None);
        };
        let csrf: String = get(&row, 1)?;
        let last_seen: DateTime<Utc> = get(&row, 2)?;
        Ok(self.principal(get(&row, 0)?)?.map(|principal| SessionRow {
            principal,
            csrf,
            last_seen_at: moment_to_sql(last_seen),
        }))
    }

    fn touch_session(&self, digest: &str, now: &str) -> Result<()> {
        self.execute(
            "UPDATE web_session SET last_seen_at = $2::text::timestamptz WHERE id_hash = $1",
            &[&digest, &now],
        )?;
        Ok(())
    }

    fn end_session(&self, digest: &str) -> Result<()> {
        self.execute("DELETE FROM web_session WHERE id_hash = $1", &[&digest])?;
        Ok(())
    }

    fn end_sessions_idle_since(&self, idle_since: &str) -> Result<u64> {
        self.execute(
            "DELETE FROM web_session WHERE last_seen_at < $1::text::timestamptz",
            &[&idle_since],
        )
    }

    fn record(&self, event: &AccountEvent<'_>, actor: &str, now: &str) -> Result<()> {
        self.execute(
            "INSERT INTO account_event (at, actor, action, login, client, details)
             VALUES ($1::text::timestamptz, $2, $3, $4, $5, $6::text::json)",
            &[
                &now,
                &actor,
                &event.action.as_str(),
                &event.login,
                &event.client,
                &event.details,
            ],
        )?;
        Ok(())
    }

    fn session_idle_minutes(&self) -> Result<i64> {
        let value: Option<String> = self
            .optional_row(
                "SELECT value FROM setting WHERE key = 'session_idle_minutes'",
                &[],
            )?
            .map(|row| get(&row, 0))
            .transpose()?;
        Ok(value
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|minutes| *minutes > 0)
            .unwrap_or(DEFAULT_IDLE_MINUTES))
    }
}

//! Who may sign in to the web and the API, and what each role may do there.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::fmt;

/// What an account may do. The snake_case words are the interface (`user add --role`, JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, accounts included.
    Admin,
    /// Every register operation, in every department.
    Technician,
    /// Reads the people, holdings and documents of their own departments and records their
    /// people's last working days; no device operations.
    Manager,
    /// Reads everything, history and exports included; changes nothing.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Technician, Role::Manager, Role::Auditor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Technician => "technician",
            Role::Manager => "manager",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(word: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(word.trim()))
    }

    /// Whether the role may do `what` at all; which people a manager sees is
    /// [`Principal::sees_department`].
    pub fn may(self, what: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Technician => matches!(what, Read | ReadAll | Operate | RecordLeave),
            Role::Manager => matches!(what, Read | RecordLeave),
            Role::Auditor => matches!(what, Read | ReadAll),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a request asks to do, as the roles are defined by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// People, holdings, checklists, the overdue list and the report (a manager: their
    /// departments only).
    Read,
    /// What is not a department's: stock, devices nobody holds, the whole history, exports.
    ReadAll,
    /// Hand out, take back, transfer, replace, mark lost, found, import.
    Operate,
    /// Record a person's last working day.
    RecordLeave,
    /// Add, disable and change accounts and tokens.
    ManageAccounts,
}

/// An account as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    /// The departments a manager sees; empty for the other roles.
    pub departments: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// Who a request acts as: a signed-in account, or the account of an API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub account_id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub departments: Vec<String>,
}

impl Principal {
    pub fn may(&self, what: Permission) -> bool {
        self.role.may(what)
    }

    /// Whether this principal sees a person of `department`: a manager only their own
    /// (compared without regard to case), everyone else all.
    pub fn sees_department(&self, department: Option<&str>) -> bool {
        if self.role != Role::Manager {
            return true;
        }
        department.is_some_and(|department| {
            self.departments
                .iter()
                .any(|own| own.trim().to_lowercase() == department.trim().to_lowercase())
        })
    }
}

/// An API token as listed: never the token itself, which is shown once when it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub login: String,
    pub label: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What an account event records; the words are what `account_event.action` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountAction {
    SignedIn,
    SignInFailed,
    SignedOut,
    AccountAdded,
    AccountDisabled,
    PasswordChanged,
    TokenAdded,
    TokenRevoked,
}

impl AccountAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountAction::SignedIn => "signed_in",
            AccountAction::SignInFailed => "sign_in_failed",
            AccountAction::SignedOut => "signed_out",
            AccountAction::AccountAdded => "account_added",
            AccountAction::AccountDisabled => "account_disabled",
            AccountAction::PasswordChanged => "password_changed",
            AccountAction::TokenAdded => "token_added",
            AccountAction::TokenRevoked => "token_revoked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manager_of(departments: &[&str]) -> Principal {
        Principal {
            account_id: 1,
            login: "m".into(),
            name: "M".into(),
            role: Role::Manager,
            departments: departments.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn a_manager_sees_their_own_departments_only() {
        let manager = manager_of(&["Miljöförvaltningen"]);
        assert!(manager.sees_department(Some("miljöförvaltningen ")));
        assert!(!manager.sees_department(Some("Gatukontoret")));
        assert!(!manager.sees_department(None));
    }

    #[test]
    fn roles_grant_what_the_issue_lists() {
        assert!(Role::Admin.may(Permission::ManageAccounts));
        assert!(!Role::Technician.may(Permission::ManageAccounts));
        assert!(Role::Technician.may(Permission::Operate));
        assert!(!Role::Manager.may(Permission::Operate));
        assert!(Role::Manager.may(Permission::RecordLeave));
        assert!(!Role::Manager.may(Permission::ReadAll));
        assert!(Role::Auditor.may(Permission::ReadAll));
        assert!(!Role::Auditor.may(Permission::Operate));
        assert!(!Role::Auditor.may(Permission::RecordLeave));
    }

    #[test]
    fn roles_read_back_from_their_words() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Manager"), Some(Role::Manager));
        assert_eq!(Role::parse("boss"), None);
    }
}

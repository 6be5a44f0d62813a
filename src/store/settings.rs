//! The register's own settings: text values under text keys. Which keys there are, and what
//! their values mean, is the domain's (`domain::config`); the store keeps them and the trail
//! of their changes.

use crate::error::Result;

/// One change of a setting, for the settings' audit trail.
pub struct SettingChange<'a> {
    /// When, as stored ([`crate::store::moment_to_sql`]).
    pub at: &'a str,
    pub actor: &'a str,
    pub key: &'a str,
    /// The new value as the trail may show it (a secret's is masked); `None` when removed.
    pub value: Option<&'a str>,
}

pub trait Settings {
    /// The IANA name of the register's time zone, as stored; `None` in a register that has
    /// none (migration 0006 gives every register one).
    fn time_zone(&self) -> Result<Option<String>>;

    fn set_time_zone(&self, name: &str) -> Result<()>;

    /// The value stored under `key`.
    fn get(&self, key: &str) -> Result<Option<String>>;

    /// Stores `value` under `key`, replacing any value it had.
    fn set(&self, key: &str, value: &str) -> Result<()>;

    /// Removes `key`; false when it had no value.
    fn unset(&self, key: &str) -> Result<bool>;

    /// Every stored setting, by key.
    fn list(&self) -> Result<Vec<(String, String)>>;

    /// Appends a change to the settings' audit trail.
    fn record_change(&self, change: &SettingChange<'_>) -> Result<()>;
}

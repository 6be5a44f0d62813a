//! A setting of the register as `config list` shows it.

use serde::Serialize;

/// One setting as the settings' listing shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownSetting {
    pub key: String,
    /// Masked when it is a secret; `None` when not set.
    pub value: Option<String>,
    /// What it is for; `None` for a key this handback does not know (a newer one's).
    pub description: Option<&'static str>,
}

//! The register's own settings.

use crate::error::Result;

pub trait Settings {
    /// The IANA name of the register's time zone, as stored; `None` in a register that has
    /// none (migration 0006 gives every register one).
    fn time_zone(&self) -> Result<Option<String>>;

    fn set_time_zone(&self, name: &str) -> Result<()>;
}

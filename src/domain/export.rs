//! Reading the register out whole, for `export`: one row at a time, so a trail of millions
//! of events never has to fit in memory.

use super::Register;
use crate::error::Result;
use crate::model::{Device, Event, HandoutRecord, Person};
use crate::store;

impl Register {
    pub fn export_people(&self, visit: impl FnMut(Person) -> Result<()>) -> Result<()> {
        store::people::list(self.conn(), None, None)?
            .into_iter()
            .try_for_each(visit)
    }

    pub fn export_devices(&self, visit: impl FnMut(Device) -> Result<()>) -> Result<()> {
        store::devices::list(self.conn(), None, None, None)?
            .into_iter()
            .try_for_each(visit)
    }

    /// The handouts open now: who holds what.
    pub fn export_handouts(&self, visit: impl FnMut(HandoutRecord) -> Result<()>) -> Result<()> {
        store::handouts::for_each_open(self.conn(), self.zone(), visit)
    }

    pub fn export_events(&self, visit: impl FnMut(Event) -> Result<()>) -> Result<()> {
        store::events::for_each(self.conn(), visit)
    }
}

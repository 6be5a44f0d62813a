//! Reading the register out whole, for `export`: one row at a time, so a trail of millions
//! of events never has to fit in memory.

use super::Register;
use crate::error::Result;
use crate::model::{Device, Event, HandoutRecord, Person};

impl Register {
    pub fn export_people(&self, visit: impl FnMut(Person) -> Result<()>) -> Result<()> {
        self.read(|tx| tx.people().list(None, None))?
            .into_iter()
            .try_for_each(visit)
    }

    pub fn export_devices(&self, visit: impl FnMut(Device) -> Result<()>) -> Result<()> {
        self.read(|tx| tx.devices().list(None, None, None))?
            .into_iter()
            .try_for_each(visit)
    }

    /// The handouts open now: who holds what.
    pub fn export_handouts(
        &self,
        mut visit: impl FnMut(HandoutRecord) -> Result<()>,
    ) -> Result<()> {
        self.read(|tx| tx.handouts().for_each_open(self.zone(), &mut visit))
    }

    pub fn export_events(&self, mut visit: impl FnMut(Event) -> Result<()>) -> Result<()> {
        self.read(|tx| tx.events().for_each(&mut visit))
    }
}

//! SQL for the `notice` table: the notices `notify` has sent or tried to.

use super::{Tx, get};
use crate::error::Result;
use crate::model::Recipient;
use crate::store::notices::{NewNotice, Notices};

impl Notices for Tx<'_> {
    fn sent_since(&self, day: chrono::NaiveDate) -> Result<Vec<(String, Recipient)>> {
        let mut sent = Vec::new();
        for row in self.rows(
            "SELECT subject, recipient FROM notice WHERE outcome = 'sent' AND planned_on >= $1",
            &[&day],
        )? {
            let recipient: String = get(&row, 1)?;
            // The schema allows no other word.
            if let Some(recipient) = Recipient::parse(&recipient) {
                sent.push((get(&row, 0)?, recipient));
            }
        }
        Ok(sent)
    }

    fn record(&self, notice: &NewNotice<'_>) -> Result<bool> {
        let outcome = if notice.error.is_none() {
            "sent"
        } else {
            "failed"
        };
        let written = self.execute(
            "INSERT INTO notice (subject, kind, person_id, recipient, recipient_id, planned_on,
                at, actor, outcome, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT DO NOTHING",
            &[
                &notice.subject,
                &notice.kind.as_str(),
                &notice.person.map(|p| p.0),
                &notice.recipient.as_str(),
                &notice.recipient_id.map(|p| p.0),
                &notice.planned_on,
                &notice.at,
                &notice.actor,
                &outcome,
                &notice.error,
            ],
        )?;
        Ok(written > 0)
    }
}

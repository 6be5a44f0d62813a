//! SQL for the `notice` table: the notices `notify` has sent or tried to.

use super::Tx;
use super::{date_to_sql, moment_to_sql};
use crate::error::Result;
use crate::model::Recipient;
use crate::store::notices::{NewNotice, Notices};
use rusqlite::params;

impl Notices for Tx<'_> {
    fn sent_since(&self, day: chrono::NaiveDate) -> Result<Vec<(String, Recipient)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT subject, recipient FROM notice WHERE outcome = 'sent' AND planned_on >= ?1",
        )?;
        let rows = stmt.query_map([date_to_sql(day)], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut sent = Vec::new();
        for row in rows {
            let (subject, recipient) = row?;
            // The schema allows no other word.
            if let Some(recipient) = Recipient::parse(&recipient) {
                sent.push((subject, recipient));
            }
        }
        Ok(sent)
    }

    fn record(&self, notice: &NewNotice<'_>) -> Result<bool> {
        let written = self
            .conn
            .prepare_cached(
                "INSERT INTO notice (subject, kind, person_id, recipient, recipient_id, planned_on,
                at, actor, outcome, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                notice.subject,
                notice.kind.as_str(),
                notice.person.map(|p| p.0),
                notice.recipient.as_str(),
                notice.recipient_id.map(|p| p.0),
                date_to_sql(notice.planned_on),
                moment_to_sql(notice.at),
                notice.actor,
                if notice.error.is_none() {
                    "sent"
                } else {
                    "failed"
                },
                notice.error,
            ])?;
        Ok(written > 0)
    }
}

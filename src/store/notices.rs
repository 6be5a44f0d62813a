//! The notices `notify` has sent (or tried to): the register's record that none is sent
//! twice. Each attempt is a row; a sent one is unique per subject and recipient.

use crate::error::Result;
use crate::model::{NoticeKind, PersonId, Recipient};
use chrono::{DateTime, NaiveDate, Utc};

/// One attempt at a notice.
pub struct NewNotice<'a> {
    /// What the notice is about: `leaving:42:2026-12-17:14`.
    pub subject: &'a str,
    pub kind: NoticeKind,
    /// The person it is about, if any.
    pub person: Option<PersonId>,
    pub recipient: Recipient,
    /// The person it went to (the leaver, their manager); `None` for the IT desk.
    pub recipient_id: Option<PersonId>,
    pub planned_on: NaiveDate,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    /// `None`: the mail server took it; else why it did not.
    pub error: Option<&'a str>,
}

pub trait Notices {
    /// The subjects and recipients of the notices sent on or after `day`.
    fn sent_since(&self, day: NaiveDate) -> Result<Vec<(String, Recipient)>>;

    /// Records an attempt. Returns false when the notice had been recorded as sent already
    /// (another run sent it meanwhile): nothing is written then.
    fn record(&self, notice: &NewNotice<'_>) -> Result<bool>;
}

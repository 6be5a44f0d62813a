//! The words of `notify`: what a notice is about and whom it is for. The snake_case words
//! are the interface (the `notice` table, JSON).

use serde::Serialize;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// To a leaver, days before their last working day: their checklist.
    LeaverReminder,
    /// To a leaver's manager, on the same days: who is leaving and what they hold.
    ManagerReminder,
    /// The day after a last working day, when something is still held: what is outstanding.
    StillHeld,
    /// Weekly, to the IT desk: the overdue list and what went missing.
    WeeklyOverdue,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::LeaverReminder => "leaver_reminder",
            NoticeKind::ManagerReminder => "manager_reminder",
            NoticeKind::StillHeld => "still_held",
            NoticeKind::WeeklyOverdue => "weekly_overdue",
        }
    }
}

/// Whom a notice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Leaver,
    Manager,
    ItDesk,
}

impl Recipient {
    pub const ALL: [Recipient; 3] = [Recipient::Leaver, Recipient::Manager, Recipient::ItDesk];

    pub fn as_str(self) -> &'static str {
        match self {
            Recipient::Leaver => "leaver",
            Recipient::Manager => "manager",
            Recipient::ItDesk => "it_desk",
        }
    }

    pub fn parse(word: &str) -> Option<Recipient> {
        Recipient::ALL.into_iter().find(|r| r.as_str() == word)
    }
}

//! `notify`: who is told what today, so that the routine runs itself.
//!
//! - To a leaver, on each of the days before their last working day that
//!   `notify.days_before` names (14 and 3 unless set): their checklist.
//! - To their manager, on the same days: who is leaving and what they hold.
//! - The day after the last working day, when something is still held: to the manager and
//!   the IT desk (`mail.it_desk`), what is outstanding.
//! - Weekly, on `notify.weekly_on` (Monday unless set), to the IT desk: the overdue list and
//!   the devices lost or stolen without follow-up.
//!
//! Only leavers who hold something are reminded: the notices are about handing back.
//!
//! Every notice has a subject (`leaving:42:2026-12-17:14`) and a recipient; once the mail
//! server has taken one, the register records it ([`Register::record_notice`]) and no later
//! run plans it again. A run that was missed is caught up: the reminder whose day has come
//! goes out (never two at once), a still-held notice waits up to [`STILL_HELD_DAYS`] days,
//! and the weekly list goes out on any later day of its week. The domain plans and
//! records; a front end renders each notice in its reader's language and sends it.

use super::Register;
use super::config::{SettingKey, parse_days, parse_weekday};
use crate::docs::{Addressee, Checklist, Notice, NoticeContent, Overdue};
use crate::error::Result;
use crate::model::{NoticeKind, Person, Recipient};
use crate::store::Transaction;
use crate::store::followup::Leaving;
use crate::store::notices::NewNotice;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::HashSet;

/// The reminders' days before a last working day when `notify.days_before` is not set.
pub const DEFAULT_DAYS_BEFORE: [u32; 2] = [14, 3];
/// How many days after a last working day the still-held notice may still go out, when a
/// run was missed.
pub const STILL_HELD_DAYS: u64 = 7;

/// Everything `notify` would send today.
#[derive(Debug, Clone)]
pub struct NoticePlan {
    pub as_of: NaiveDate,
    pub notices: Vec<Notice>,
    /// Notices already sent, not planned again.
    pub already_sent: usize,
    /// `server.public_url`, for the links.
    pub public_url: Option<String>,
}

/// What the mail settings say, the secrets included: for the sender only, never shown.
#[derive(Debug, Clone, Default)]
pub struct MailSettings {
    pub smtp_url: Option<String>,
    pub from: Option<String>,
}

impl Register {
    /// The mail server and sender `notify` sends with.
    pub fn mail_settings(&self) -> Result<MailSettings> {
        self.read(|tx| {
            Ok(MailSettings {
                smtp_url: tx.settings().get(SettingKey::MailSmtpUrl.as_str())?,
                from: tx.settings().get(SettingKey::MailFrom.as_str())?,
            })
        })
    }

    /// The notices due on `as_of` that have not been sent, in one snapshot.
    pub fn plan_notices(&self, as_of: NaiveDate) -> Result<NoticePlan> {
        self.read(|tx| {
            let setting = |key: SettingKey| tx.settings().get(key.as_str());
            let days_before = setting(SettingKey::NotifyDaysBefore)?
                .and_then(|v| parse_days(&v))
                .unwrap_or_else(|| DEFAULT_DAYS_BEFORE.to_vec());
            let weekly_on = setting(SettingKey::NotifyWeeklyOn)?
                .and_then(|v| parse_weekday(&v))
                .unwrap_or(Weekday::Mon);
            let it_desk = setting(SettingKey::MailItDesk)?.map(|address| Addressee {
                person: None,
                name: "IT".to_string(),
                email: super::config::mail_address(&address).map(str::to_string),
                language: None,
            });
            let longest = u64::from(days_before.iter().copied().max().unwrap_or(0));
            let since = as_of
                .checked_sub_days(Days::new(longest.max(STILL_HELD_DAYS) + 1))
                .unwrap_or(as_of);
            let sent: HashSet<(String, Recipient)> =
                tx.notices().sent_since(since)?.into_iter().collect();
            let mut planner = Planner {
                tx,
                as_of,
                header: self.header_in(tx)?,
                notices: Vec::new(),
                sent: &sent,
                already_sent: 0,
            };
            planner.reminders(&days_before, self.zone())?;
            planner.still_held(it_desk.as_ref(), self.zone())?;
            if as_of.weekday().num_days_from_monday() >= weekly_on.num_days_from_monday() {
                let overdue = self.overdue_in(tx, as_of, None)?;
                planner.weekly(it_desk.as_ref(), overdue);
            }
            Ok(NoticePlan {
                as_of,
                already_sent: planner.already_sent,
                notices: planner.notices,
                public_url: setting(SettingKey::ServerPublicUrl)?,
            })
        })
    }

    /// Records that `notice` was sent (`error` is `None`) or that sending it failed, as of
    /// `as_of`. Returns false when another run had recorded it as sent already.
    pub fn record_notice(
        &mut self,
        notice: &Notice,
        as_of: NaiveDate,
        error: Option<&str>,
    ) -> Result<bool> {
        self.write(|tx, ctx| {
            tx.notices().record(&NewNotice {
                subject: &notice.subject,
                kind: notice.kind,
                person: notice.about_person,
                recipient: notice.recipient,
                recipient_id: notice.to.as_ref().and_then(|to| to.person),
                planned_on: as_of,
                at: ctx.now,
                actor: ctx.actor,
                error,
            })
        })
    }
}

struct Planner<'a> {
    tx: &'a dyn Transaction,
    as_of: NaiveDate,
    header: crate::docs::DocumentHeader,
    notices: Vec<Notice>,
    sent: &'a HashSet<(String, Recipient)>,
    already_sent: usize,
}

impl Planner<'_> {
    /// Plans `notice` unless it has been sent.
    fn plan(&mut self, notice: Notice) {
        if self
            .sent
            .contains(&(notice.subject.clone(), notice.recipient))
        {
            self.already_sent += 1;
        } else {
            self.notices.push(notice);
        }
    }

    /// Everyone whose last working day is in `[from, until]` and who holds something now,
    /// with what they hold: the people the notices are about.
    fn holding_leavers(
        &self,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        zone: crate::zone::Zone,
    ) -> Result<Vec<(Person, Vec<crate::model::HeldItem>)>> {
        self.tx.followup().people_with_items(&Leaving {
            from,
            until,
            department: None,
            holding_only: true,
            held_at: None,
            zone,
        })
    }

    fn manager_of(&self, person: &Person) -> Result<Option<Person>> {
        person
            .manager
            .map(|id| self.tx.people().get(id))
            .transpose()
    }

    /// The reminder whose day has come for everyone leaving within the longest lead: the
    /// one with the fewest days that still covers the days left.
    fn reminders(&mut self, days_before: &[u32], zone: crate::zone::Zone) -> Result<()> {
        let Some(&longest) = days_before.iter().max() else {
            return Ok(());
        };
        let until = self.as_of.checked_add_days(Days::new(u64::from(longest)));
        let leavers = self.holding_leavers(Some(self.as_of), until, zone)?;
        for (person, items) in leavers {
            let Some(last_day) = person.end_date else {
                continue;
            };
            let days_left = u32::try_from((last_day - self.as_of).num_days()).unwrap_or(0);
            let Some(&lead) = days_before.iter().filter(|d| **d >= days_left).min() else {
                continue;
            };
            let subject = format!("leaving:{}:{last_day}:{lead}", person.id.0);
            let manager = self.manager_of(&person)?;
            let checklist = Checklist {
                header: self.header.clone(),
                person: person.clone(),
                items,
            };
            let content = NoticeContent::Leaving {
                checklist,
                days_left,
                manager: manager.clone(),
            };
            self.plan(Notice {
                subject: subject.clone(),
                kind: NoticeKind::LeaverReminder,
                recipient: Recipient::Leaver,
                to: Some(Addressee::of(&person)),
                about_person: Some(person.id),
                content: content.clone(),
            });
            self.plan(Notice {
                subject,
                kind: NoticeKind::ManagerReminder,
                recipient: Recipient::Manager,
                to: manager.as_ref().map(Addressee::of),
                about_person: Some(person.id),
                content,
            });
        }
        Ok(())
    }

    /// What is still held by those whose last working day was in the last
    /// [`STILL_HELD_DAYS`] days: to their manager and the IT desk.
    fn still_held(&mut self, it_desk: Option<&Addressee>, zone: crate::zone::Zone) -> Result<()> {
        let (Some(from), Some(until)) = (
            self.as_of.checked_sub_days(Days::new(STILL_HELD_DAYS)),
            self.as_of.checked_sub_days(Days::new(1)),
        ) else {
            return Ok(());
        };
        let leavers = self.holding_leavers(Some(from), Some(until), zone)?;
        for (person, items) in leavers {
            let Some(last_day) = person.end_date else {
                continue;
            };
            let subject = format!("still_held:{}:{last_day}", person.id.0);
            let manager = self.manager_of(&person)?;
            let content = NoticeContent::StillHeld {
                checklist: Checklist {
                    header: self.header.clone(),
                    person: person.clone(),
                    items,
                },
                manager: manager.clone(),
            };
            self.plan(Notice {
                subject: subject.clone(),
                kind: NoticeKind::StillHeld,
                recipient: Recipient::Manager,
                to: manager.as_ref().map(Addressee::of),
                about_person: Some(person.id),
                content: content.clone(),
            });
            self.plan(Notice {
                subject,
                kind: NoticeKind::StillHeld,
                recipient: Recipient::ItDesk,
                to: it_desk.cloned(),
                about_person: Some(person.id),
                content,
            });
        }
        Ok(())
    }

    /// The IT desk's list of the week, when there is anything on it.
    fn weekly(&mut self, it_desk: Option<&Addressee>, overdue: Overdue) {
        if overdue.people.is_empty() && overdue.missing.is_empty() {
            return;
        }
        let week = self.as_of.iso_week();
        self.plan(Notice {
            subject: format!("weekly:{}-W{:02}", week.year(), week.week()),
            kind: NoticeKind::WeeklyOverdue,
            recipient: Recipient::ItDesk,
            to: it_desk.cloned(),
            about_person: None,
            content: NoticeContent::Weekly { overdue },
        });
    }
}

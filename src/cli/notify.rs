//! `handback notify [--as-of DATE] [--dry-run]`: the day's e-mail notices, meant to run
//! daily from cron or a systemd timer. Each notice is rendered in its reader's language,
//! sent, and recorded in the register, so a rerun the same day sends nothing new; a failed
//! send is reported and tried again on the next run.

use super::{Context, date, output};
use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use handback::docs::{Notice, NoticeContent};
use handback::i18n::Lang;
use handback::mail::{Mail, Mailbox, Postman};
use handback::model::Recipient;
use handback::render::notice::{RenderedNotice, notice as render_notice};
use serde::Serialize;

#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The day to send for (default: today): a missed day can be caught up
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Print who would get what, and send nothing
    #[arg(long)]
    dry_run: bool,
    /// What was sent, as text (on stderr) or JSON (on stdout)
    #[arg(long, value_enum, default_value_t)]
    format: NotifyFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
enum NotifyFormat {
    #[default]
    Text,
    Json,
}

/// One notice as this command reports it.
#[derive(Debug, Serialize)]
struct NoticeLine {
    kind: &'static str,
    recipient: &'static str,
    /// Whom it goes to, and where; no address: not reachable.
    to: Option<String>,
    address: Option<String>,
    /// The person it is about, when it is about one.
    about: Option<String>,
    subject: String,
    /// Why it could not be sent, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct NotifySummary {
    as_of: String,
    dry_run: bool,
    sent: Vec<NoticeLine>,
    failed: Vec<NoticeLine>,
    unreachable: Vec<NoticeLine>,
    already_sent: usize,
}

pub fn run(ctx: &Context, args: NotifyArgs) -> Result<()> {
    let mut register = ctx.open()?;
    let as_of = date(args.as_of.as_deref())?.unwrap_or_else(|| register.today());
    let plan = register.plan_notices(as_of)?;
    let mut summary = NotifySummary {
        as_of: as_of.to_string(),
        dry_run: args.dry_run,
        already_sent: plan.already_sent,
        ..NotifySummary::default()
    };
    let rendered: Vec<(&Notice, RenderedNotice)> = plan
        .notices
        .iter()
        .map(|notice| {
            let lang = reader_language(notice, ctx.lang());
            (
                notice,
                render_notice(notice, lang, plan.public_url.as_deref()),
            )
        })
        .collect();
    let postman = if args.dry_run || rendered.iter().all(|(n, _)| n.address().is_none()) {
        None
    } else {
        Some(postman(&register)?)
    };
    for (notice, mail) in &rendered {
        let mut line = line(notice, mail);
        if notice.address().is_none() {
            summary.unreachable.push(line);
            continue;
        }
        let Some(postman) = &postman else {
            summary.sent.push(line);
            continue;
        };
        let sent = postman.send(&mail_of(notice, mail));
        // The trail keeps what went wrong without the address in it; stderr says it all.
        let trail = sent.as_ref().err().map(handback::mail::MailError::summary);
        let recorded = register.record_notice(notice, as_of, trail.as_deref());
        line.error = sent.err().map(|e| e.to_string());
        if let Err(error) = recorded {
            // Sent but not recorded: the next run would send it again, so say so, and go
            // on with the rest.
            line.error = Some(format!(
                "{}the notice could not be recorded ({error}), so the next run sends it again",
                line.error.map(|e| format!("{e}; ")).unwrap_or_default()
            ));
        }
        if line.error.is_some() {
            summary.failed.push(line);
        } else {
            summary.sent.push(line);
        }
    }
    report(&summary, args.format)?;
    if !summary.failed.is_empty() {
        bail!(
            "{} of {} notices could not be sent (above); they are tried again on the next run",
            summary.failed.len(),
            summary.failed.len() + summary.sent.len()
        );
    }
    Ok(())
}

/// The mail server of the register's settings.
fn postman(register: &handback::domain::Register) -> Result<Postman> {
    let settings = register.mail_settings()?;
    let Some(url) = settings.smtp_url else {
        bail!(
            "no mail server is set: handback config set mail.smtp_url smtp://HOST[:PORT] \
             (or smtps://, with USER:PASSWORD@ to log in), and mail.from"
        );
    };
    let Some(from) = settings.from else {
        bail!("no sender is set: handback config set mail.from \"IT-service <it@kommun.se>\"");
    };
    Ok(Postman::connect(&url, &from)?)
}

/// The recipient's language when the register knows it, else the command's.
fn reader_language(notice: &Notice, fallback: Lang) -> Lang {
    notice
        .to
        .as_ref()
        .and_then(|to| to.language)
        .map(Lang::from)
        .unwrap_or(fallback)
}

fn mail_of(notice: &Notice, rendered: &RenderedNotice) -> Mail {
    let to = notice.to.as_ref();
    Mail {
        to: vec![Mailbox {
            name: to
                .map(|to| to.name.clone())
                .filter(|_| notice.recipient != Recipient::ItDesk),
            address: notice.address().unwrap_or_default().to_string(),
        }],
        subject: rendered.subject.clone(),
        text: rendered.text.clone(),
        html: rendered.html.clone(),
    }
}

fn line(notice: &Notice, rendered: &RenderedNotice) -> NoticeLine {
    let about = match &notice.content {
        NoticeContent::Leaving { checklist, .. } | NoticeContent::StillHeld { checklist, .. } => {
            Some(checklist.person.label())
        }
        NoticeContent::Weekly { .. } => None,
    };
    NoticeLine {
        kind: notice.kind.as_str(),
        recipient: notice.recipient.as_str(),
        to: notice.to.as_ref().map(|to| to.name.clone()),
        address: notice.address().map(str::to_string),
        about,
        subject: rendered.subject.clone(),
        error: None,
    }
}

fn report(summary: &NotifySummary, format: NotifyFormat) -> Result<()> {
    if format == NotifyFormat::Json {
        return output::data(handback::render::json(summary)?);
    }
    let verb = if summary.dry_run {
        "would send"
    } else {
        "sent"
    };
    for line in &summary.sent {
        output::done(format!(
            "{verb} to {} <{}>: {}",
            line.to.as_deref().unwrap_or_default(),
            line.address.as_deref().unwrap_or_default(),
            line.subject
        ));
    }
    for line in &summary.failed {
        output::done(format!(
            "failed to send to {} <{}>: {}: {}",
            line.to.as_deref().unwrap_or_default(),
            line.address.as_deref().unwrap_or_default(),
            line.subject,
            line.error.as_deref().unwrap_or_default()
        ));
    }
    for line in &summary.unreachable {
        let why = match (line.recipient, &line.to) {
            ("manager", None) => "has no manager in the register".to_string(),
            ("it_desk", None) => {
                "no IT desk address is set (handback config set mail.it_desk ADDRESS)".to_string()
            }
            (_, Some(name)) => format!("{name} has no e-mail address in the register"),
            (_, None) => "nobody to send it to".to_string(),
        };
        let about = line
            .about
            .as_deref()
            .map(|a| format!(" about {a}"))
            .unwrap_or_default();
        output::note(format!(
            "not reachable: the {} notice{about}: {why}",
            line.kind.replace('_', " ")
        ));
    }
    let nothing = summary.sent.is_empty() && summary.failed.is_empty();
    if nothing {
        output::done(format!(
            "nothing to send for {}{}",
            summary.as_of,
            match summary.already_sent {
                0 => String::new(),
                n => format!(" ({n} sent already)"),
            }
        ));
    } else if summary.dry_run {
        output::done("dry run: nothing was sent");
    }
    Ok(())
}

//! The follow-up pages managers live in: `/leavers` (last working days in a window, one
//! batch of checklists to print), `/overdue` and `/report`. A manager sees their own
//! departments only.

use super::App;
use super::auth::{Caller, Credentials, Wants};
use super::layout::{self, encode, lang_of, page};
use super::pages::page_as;
use super::scope;
use super::words::say;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, NaiveDate};
use handback::docs::{BatchCriteria, ChecklistBatch, InLang};
use handback::domain::{Register, ReportRequest};
use handback::i18n::Lang;
use handback::model::account::Permission;
use handback::render::html as documents;
use handback::validate::parse_date;
use maud::{Markup, html};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/leavers", get(leavers))
        .route("/leavers/checklists", get(leaver_checklists))
        .route("/overdue", get(overdue))
        .route("/report", get(report))
}

/// A window of days and a department, as the follow-up forms send them.
#[derive(Deserialize, Default)]
pub struct Window {
    from: Option<String>,
    to: Option<String>,
    department: Option<String>,
}

fn day(raw: &Option<String>) -> handback::Result<Option<NaiveDate>> {
    raw.as_deref()
        .filter(|r| !r.trim().is_empty())
        .map(parse_date)
        .transpose()
}

impl Window {
    fn department(&self) -> Option<String> {
        self.department.clone().filter(|d| !d.trim().is_empty())
    }

    /// The window's first and last day: thirty days from today unless the form says.
    fn days(&self, today: NaiveDate) -> handback::Result<(NaiveDate, NaiveDate)> {
        Ok((
            day(&self.from)?.unwrap_or(today),
            day(&self.to)?.unwrap_or(today + Duration::days(30)),
        ))
    }

    fn query(&self, from: NaiveDate, to: NaiveDate) -> String {
        format!(
            "from={from}&to={to}&department={}",
            encode(&self.department().unwrap_or_default())
        )
    }
}

/// The window's leavers the caller may see, with their checklists.
fn leaving(
    register: &Register,
    caller: &Caller,
    from: NaiveDate,
    to: NaiveDate,
    department: Option<String>,
) -> handback::Result<ChecklistBatch> {
    let mut batch = register.checklist_batch(BatchCriteria {
        leaving_from: Some(from),
        leaving_until: Some(to),
        department,
    })?;
    batch
        .checklists
        .retain(|checklist| scope::sees_person(caller, &checklist.person));
    Ok(batch)
}

fn window_form(
    lang: Lang,
    action: &str,
    from: NaiveDate,
    to: NaiveDate,
    department: &str,
) -> Markup {
    html! {
        form method="get" action=(action) {
            label { (say(lang, "From")) " " input name="from" type="date" value=(from.to_string()); }
            label { (say(lang, "To")) " " input name="to" type="date" value=(to.to_string()); }
            label { (say(lang, "Department")) " " input name="department" value=(department); }
            button { (say(lang, "Show")) }
        }
    }
}

/// Whether the caller may see the department the window asks for (a manager: their own).
fn sees_department(caller: &Caller, window: &Window) -> bool {
    window
        .department()
        .is_none_or(|department| caller.principal.sees_department(Some(&department)))
}

async fn leavers(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(window): Query<Window>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let asked = Window {
        from: window.from.clone(),
        to: window.to.clone(),
        department: window.department(),
    };
    let wanted = Wants::Read(Permission::Read);
    let (found, caller) = page_as(
        &app,
        credentials,
        lang,
        "/leavers",
        wanted,
        move |register, seen| {
            if !sees_department(seen, &asked) {
                return Ok(None);
            }
            let (from, to) = asked.days(register.today())?;
            Ok(Some((
                leaving(&register, seen, from, to, asked.department())?,
                from,
                to,
            )))
        },
    )
    .await?;
    let Some((batch, from, to)) = found else {
        return Ok(layout::not_found_page(lang, Some(&caller)));
    };
    let query = window.query(from, to);
    let body = html! {
        h1 { (say(lang, "Leavers")) }
        (window_form(lang, "/leavers", from, to, &window.department().unwrap_or_default()))
        @if batch.checklists.is_empty() {
            p { (say(lang, "Nobody leaves in that window.")) }
        } @else {
            p { a href=(format!("/leavers/checklists?{query}")) { (say(lang, "Print every checklist")) } }
            table {
                tr { th { (say(lang, "Name")) } th { (say(lang, "Department")) } th { (say(lang, "Last working day")) } th { (say(lang, "Items")) } }
                @for checklist in &batch.checklists {
                    @let person = &checklist.person;
                    tr {
                        td { a href=(format!("/people/{}", encode(&person.reference()))) { (person.name) } }
                        td { (person.department.as_deref().unwrap_or("")) }
                        td.day { (person.end_date.map(|d| d.to_string()).unwrap_or_default()) }
                        td { (checklist.items.len()) }
                    }
                }
            }
        }
    };
    Ok(
        Html(page(lang, say(lang, "Leavers"), Some(&caller), "/leavers", body).into_string())
            .into_response(),
    )
}

async fn leaver_checklists(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(window): Query<Window>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let wanted = Wants::Read(Permission::Read);
    let (batch, caller) = page_as(
        &app,
        credentials,
        lang,
        "/leavers",
        wanted,
        move |register, seen| {
            if !sees_department(seen, &window) {
                return Ok(None);
            }
            let (from, to) = window.days(register.today())?;
            leaving(&register, seen, from, to, window.department()).map(Some)
        },
    )
    .await?;
    Ok(match batch {
        Some(batch) => layout::document(documents::checklist_batch(&InLang::new(batch, lang))),
        None => layout::not_found_page(lang, Some(&caller)),
    })
}

#[derive(Deserialize)]
pub struct OverdueQuery {
    as_of: Option<String>,
    department: Option<String>,
}

async fn overdue(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(query): Query<OverdueQuery>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let window = Window {
        department: query.department,
        ..Window::default()
    };
    let (department, shown) = (window.department(), window.department().unwrap_or_default());
    let wanted = Wants::Read(Permission::Read);
    let (overdue, caller) = page_as(
        &app,
        credentials,
        lang,
        "/overdue",
        wanted,
        move |register, seen| {
            if !sees_department(seen, &window) {
                return Ok(None);
            }
            let as_of = day(&query.as_of)?.unwrap_or(register.today());
            let mut overdue = register.overdue(as_of, department.as_deref())?;
            overdue
                .people
                .retain(|row| scope::sees_person(seen, &row.person));
            if seen.confined() {
                overdue.missing.clear();
            }
            Ok(Some(overdue))
        },
    )
    .await?;
    let Some(overdue) = overdue else {
        return Ok(layout::not_found_page(lang, Some(&caller)));
    };
    let body = html! {
        h1 { (say(lang, "Overdue")) }
        form method="get" action="/overdue" {
            label { (say(lang, "As of")) " " input name="as_of" type="date" value=(overdue.as_of.to_string()); }
            label { (say(lang, "Department")) " " input name="department" value=(shown); }
            button { (say(lang, "Show")) }
        }
        @if overdue.people.is_empty() { p { (say(lang, "Nobody is overdue.")) } } @else {
            table {
                tr { th { (say(lang, "Name")) } th { (say(lang, "Department")) } th { (say(lang, "Last working day")) } th { (say(lang, "Days overdue")) } th { (say(lang, "Devices")) } }
                @for row in &overdue.people {
                    tr {
                        td { a href=(format!("/people/{}", encode(&row.person.reference()))) { (row.person.name) } }
                        td { (row.person.department.as_deref().unwrap_or("")) }
                        td.day { (row.last_working_day.to_string()) }
                        td { (row.days_overdue) }
                        td.serial { @for item in &row.items { a href=(format!("/devices/{}", encode(&item.serial))) { (item.serial) } " " } }
                    }
                }
            }
        }
        @if !overdue.missing.is_empty() {
            h2 { (say(lang, "Missing devices")) }
            table {
                @for row in &overdue.missing {
                    tr {
                        td.serial { a href=(format!("/devices/{}", encode(&row.serial))) { (row.serial) } }
                        td { (lang.kind(&row.kind)) }
                        td { (lang.word(row.status.as_str())) }
                        td.day { (row.since.to_string()) }
                        td { (row.last_holder.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    Ok(
        Html(page(lang, say(lang, "Overdue"), Some(&caller), "/overdue", body).into_string())
            .into_response(),
    )
}

/// `/report`: the form; with `from` given, the report itself, as the CLI prints it.
async fn report(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(window): Query<Window>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let asked = window.department();
    let wanted = Wants::Read(Permission::Read);
    let (found, caller) = page_as(
        &app,
        credentials,
        lang,
        "/report",
        wanted,
        move |register, seen| {
            let Ok(department) = scope::report_department(seen, asked) else {
                return Ok(None);
            };
            if window.from.is_none() {
                return Ok(Some((department, None)));
            }
            let request = ReportRequest::period(
                day(&window.from)?,
                day(&window.to)?,
                register.today(),
                department.clone(),
            );
            Ok(Some((department, Some(register.report(&request)?))))
        },
    )
    .await?;
    let Some((department, report)) = found else {
        return Ok(layout::not_found_page(lang, Some(&caller)));
    };
    if let Some(report) = report {
        return Ok(layout::document(documents::report(&InLang::new(
            report, lang,
        ))));
    }
    let default = ReportRequest::last_twelve_months(app.register.today(), department.clone());
    let body = html! {
        h1 { (say(lang, "Report")) }
        (window_form(lang, "/report", default.from, default.to, &department.unwrap_or_default()))
    };
    Ok(
        Html(page(lang, say(lang, "Report"), Some(&caller), "/report", body).into_string())
            .into_response(),
    )
}

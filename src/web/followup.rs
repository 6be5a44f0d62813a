//! The follow-up pages managers live in: `/leavers` (last working days in a window, one
//! batch of checklists to print), `/overdue` and `/report`. A manager sees their own
//! departments only.

use super::App;
use super::auth::{Caller, Credentials, Wants};
use super::failure::Failure;
use super::forms::{self, Control, Field, Form, Refused};
use super::layout::{self, data_table, encode, lang_of, page};
use super::pages::{Turned, page_as, run_as};
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

    /// The window as it was typed, to fill its form in again.
    fn typed(&self) -> Vec<(String, String)> {
        let fields = [
            ("from", &self.from),
            ("to", &self.to),
            ("department", &self.department),
        ];
        fields
            .into_iter()
            .map(|(name, value)| (name.to_string(), value.clone().unwrap_or_default()))
            .collect()
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
    action: &'static str,
    (from, to): (String, String),
    department: &str,
    refused: Option<&Refused>,
) -> Markup {
    let form = Form::new("window", lang, refused);
    html! {
        form #window method="get" action=(action) {
            (form.field(Field::new("from", "From", Control::Date).given(from)))
            (form.field(Field::new("to", "To", Control::Date).given(to)))
            (form.field(Field::new("department", "Department", Control::Text).given(department)))
            button { (say(lang, "Show")) }
        }
    }
}

/// A follow-up page whose form was refused (an impossible date): the form again, as
/// typed, and why.
fn refused_window(
    lang: Lang,
    caller: &Caller,
    (title, path): (&'static str, &'static str),
    failure: Failure,
    typed: Vec<(String, String)>,
    form: impl Fn(Option<&Refused>) -> Markup,
) -> Response {
    let fields = ["from", "to", "as_of", "department"];
    let refused = Refused::new("window", &fields, failure, typed);
    let body = html! {
        h1 { (say(lang, title)) }
        (forms::summary(lang, Some(&refused)))
        (form(Some(&refused)))
    };
    forms::answer(
        Some(&refused),
        page(lang, say(lang, title), Some(caller), path, body),
    )
}

/// A follow-up page's work, admitted: what it found and the caller, or the answer to give.
async fn window_as<T: Send + 'static>(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    (title, path): (&'static str, &'static str),
    typed: Vec<(String, String)>,
    form: impl Fn(Option<&Refused>) -> Markup,
    work: impl FnOnce(Register, &Caller) -> handback::Result<T> + Send + 'static,
) -> Result<(T, Caller), Response> {
    match run_as(app, credentials, Wants::Read(Permission::Read), work).await {
        Ok(done) => Ok(done),
        Err(Turned::Refused(failure, caller))
            if failure.status.is_client_error() && failure.status != 404 =>
        {
            Err(refused_window(
                lang,
                &caller,
                (title, path),
                failure,
                typed,
                form,
            ))
        }
        Err(turned) => Err(turned.page(lang, path)),
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
    let department = window.department().unwrap_or_default();
    let again = |refused: Option<&Refused>| {
        window_form(lang, "/leavers", Default::default(), &department, refused)
    };
    let (found, caller) = window_as(
        &app,
        credentials,
        lang,
        ("Leavers", "/leavers"),
        window.typed(),
        again,
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
        (window_form(lang, "/leavers", (from.to_string(), to.to_string()), &department, None))
        @if batch.checklists.is_empty() {
            p { (say(lang, "Nobody leaves in that window.")) }
        } @else {
            p { a href=(format!("/leavers/checklists?{query}")) { (say(lang, "Print every checklist")) } }
            (data_table(lang, "Last working days in the window", &["Name", "Department", "Last working day", "Items"], html! { @for checklist in &batch.checklists {
                    @let person = &checklist.person;
                    tr {
                        td { a href=(format!("/people/{}", encode(&person.reference()))) { (person.name) } }
                        td { (person.department.as_deref().unwrap_or("")) }
                        td.day { (person.end_date.map(|d| d.to_string()).unwrap_or_default()) }
                        td { (checklist.items.len()) }
                    }
                } }))
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

/// The overdue page's form: the day to count from and the department.
fn overdue_form(lang: Lang, as_of: String, department: &str, refused: Option<&Refused>) -> Markup {
    let form = Form::new("window", lang, refused);
    html! {
        form #window method="get" action="/overdue" {
            (form.field(Field::new("as_of", "As of", Control::Date).given(as_of)))
            (form.field(Field::new("department", "Department", Control::Text).given(department)))
            button { (say(lang, "Show")) }
        }
    }
}

async fn overdue(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(query): Query<OverdueQuery>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let window = Window {
        department: query.department.clone(),
        ..Window::default()
    };
    let (department, shown) = (window.department(), window.department().unwrap_or_default());
    let typed = vec![
        ("as_of".to_string(), query.as_of.clone().unwrap_or_default()),
        ("department".to_string(), shown.clone()),
    ];
    let again = |refused: Option<&Refused>| overdue_form(lang, String::new(), &shown, refused);
    let (overdue, caller) = window_as(
        &app,
        credentials,
        lang,
        ("Overdue", "/overdue"),
        typed,
        again,
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
        (overdue_form(lang, overdue.as_of.to_string(), &shown, None))
        (overdue_tables(lang, &overdue))
    };
    Ok(
        Html(page(lang, say(lang, "Overdue"), Some(&caller), "/overdue", body).into_string())
            .into_response(),
    )
}

/// Who still holds devices after their last working day, and the devices missing.
fn overdue_tables(lang: Lang, overdue: &handback::docs::Overdue) -> Markup {
    html! {
        @if overdue.people.is_empty() { p { (say(lang, "Nobody is overdue.")) } } @else {
            (data_table(lang, "People who still hold devices after their last working day",
                    &["Name", "Department", "Last working day", "Days overdue", "Devices"], html! { @for row in &overdue.people {
                    tr {
                        td { a href=(format!("/people/{}", encode(&row.person.reference()))) { (row.person.name) } }
                        td { (row.person.department.as_deref().unwrap_or("")) }
                        td.day { (row.last_working_day.to_string()) }
                        td { (row.days_overdue) }
                        td.serial { @for item in &row.items { a href=(format!("/devices/{}", encode(&item.serial))) { (item.serial) } " " } }
                    }
                } }))
        }
        @if !overdue.missing.is_empty() {
            h2 { (say(lang, "Missing devices")) }
            (data_table(lang, "Devices lost, stolen or not back", &["Serial", "Kind", "Status", "Since", "Last holder"], html! { @for row in &overdue.missing {
                    tr {
                        td.serial { a href=(format!("/devices/{}", encode(&row.serial))) { (row.serial) } }
                        td { (lang.kind(&row.kind)) }
                        td { (lang.word(row.status.as_str())) }
                        td.day { (row.since.to_string()) }
                        td { (row.last_holder.as_deref().unwrap_or("")) }
                    }
                } }))
        }
    }
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
    let shown = asked.clone().unwrap_or_default();
    let typed = window.typed();
    let again = |refused: Option<&Refused>| {
        window_form(lang, "/report", Default::default(), &shown, refused)
    };
    let (found, caller) = window_as(
        &app,
        credentials,
        lang,
        ("Report", "/report"),
        typed,
        again,
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
    let default = ReportRequest::twelve_whole_months(app.register.today(), department.clone());
    let body = html! {
        h1 { (say(lang, "Report")) }
        (window_form(lang, "/report", (default.from.to_string(), default.to.to_string()), &department.unwrap_or_default(), None))
    };
    Ok(
        Html(page(lang, say(lang, "Report"), Some(&caller), "/report", body).into_string())
            .into_response(),
    )
}

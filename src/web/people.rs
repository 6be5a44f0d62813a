//! `/people/{who}`: a person's facts, holdings and history, and what may be done for them:
//! technicians hand out, take back everything, transfer to a successor and print a
//! receipt; managers record the last working day and print the departure checklist.

use super::App;
use super::auth::{Caller, Credentials, Wants};
use super::layout::{self, done_redirect, encode, lang_of, page};
use super::pages::{Done, done_note, page_as};
use super::scope;
use super::words::say;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use handback::docs::InLang;
use handback::domain::{
    HandoutRequest, NewDeviceInfo, Register, ReturnRequest, TransferRequest, Which,
};
use handback::i18n::Lang;
use handback::model::account::Permission;
use handback::model::{Condition, Event, Holdings, Route};
use handback::render::html as documents;
use handback::validate::parse_date;
use maud::{Markup, html};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/people/{who}", get(person))
        .route("/people/{who}/handout", post(hand_out))
        .route("/people/{who}/return-all", post(take_back_all))
        .route("/people/{who}/transfer", post(transfer))
        .route("/people/{who}/leave", post(leave))
        .route("/people/{who}/checklist", get(checklist))
        .route("/people/{who}/receipt", get(receipt))
}

fn person_path(who: &str) -> String {
    format!("/people/{}", encode(who))
}

/// The person `who` names, if the caller may see them: `None` is "not found".
fn visible(register: &Register, caller: &Caller, who: &str) -> handback::Result<Option<Holdings>> {
    let holdings = register.holdings(who)?;
    Ok(scope::sees_person(caller, &holdings.person).then_some(holdings))
}

async fn person(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let here = person_path(&who);
    let (found, caller) = page_as(
        &app,
        credentials,
        lang,
        &here,
        Wants::Read(Permission::Read),
        move |register, seen| {
            let (holdings, events) = register.holdings_and_events(&who)?;
            Ok(scope::sees_person(seen, &holdings.person).then_some((holdings, events)))
        },
    )
    .await?;
    let Some((holdings, events)) = found else {
        return Ok(layout::not_found_page(lang, Some(&caller)));
    };
    let person = &holdings.person;
    let reference = person.reference();
    let body = html! {
        h1 { (person.name) }
        (done_note(lang, &done))
        dl {
            @if let Some(number) = &person.employee_no { dt { (say(lang, "Employee number")) } dd { (number) } }
            @if let Some(email) = &person.email { dt { (say(lang, "E-mail")) } dd { (email) } }
            @if let Some(department) = &person.department { dt { (say(lang, "Department")) } dd { (department) } }
            @if let Some(day) = person.end_date { dt { (say(lang, "Last working day")) } dd { (day.to_string()) } }
        }
        h2 { (say(lang, "Holds")) }
        (held_items(lang, &holdings))
        (actions(lang, &caller, &reference, app.register.today()))
        h2 { (say(lang, "History")) }
        (history_table(&events, app.register.zone()))
    };
    Ok(Html(page(lang, &person.name, Some(&caller), &here, body).into_string()).into_response())
}

fn held_items(lang: Lang, holdings: &Holdings) -> Markup {
    html! {
        @if holdings.items.is_empty() {
            p { (say(lang, "Holds nothing.")) }
        } @else {
            table {
                tr {
                    th { (say(lang, "Serial")) } th { (say(lang, "Kind")) } th { (say(lang, "Model")) }
                    th { (say(lang, "Since")) } th { (say(lang, "Due back")) }
                }
                @for item in &holdings.items {
                    tr {
                        td.serial { a href=(format!("/devices/{}", encode(&item.serial))) { (item.serial) } }
                        td { (lang.kind(&item.kind)) }
                        td { (item.make.as_deref().unwrap_or("")) " " (item.model.as_deref().unwrap_or("")) }
                        td.day { (item.handed_out_on.to_string()) }
                        td.day { (item.due_back.map(|d| d.to_string()).unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

/// The person's events, newest last, as the command line's history lists them.
fn history_table(events: &[Event], zone: handback::zone::Zone) -> Markup {
    html! {
        table {
            @for event in events {
                tr {
                    td.day { (zone.date_of(event.at).to_string()) }
                    td { (event.action.replace('_', " ")) }
                    td.serial { (event.serial.as_deref().unwrap_or("")) }
                    td { (event.actor) }
                }
            }
        }
    }
}

/// The forms the caller's role may use for this person.
fn actions(lang: Lang, caller: &Caller, who: &str, today: chrono::NaiveDate) -> Markup {
    let path = person_path(who);
    let csrf = caller.csrf();
    html! {
        @if caller.principal.may(Permission::Operate) {
            fieldset {
                legend { (say(lang, "Hand out")) }
                form method="post" action=(format!("{path}/handout")) {
                    input type="hidden" name="csrf" value=(csrf);
                    label { (say(lang, "Serials, one per line or separated by spaces (a scanner's Enter adds a line)")) br;
                        textarea name="serials" required {} }
                    br;
                    label { (say(lang, "Kind, for a device not yet registered")) " " input name="kind" size="12"; }
                    label { (say(lang, "Due back")) " " input name="due" type="date"; }
                    label { (say(lang, "Note")) " " input name="note"; }
                    button { (say(lang, "Hand out")) }
                }
            }
            fieldset {
                legend { (say(lang, "Take back everything")) }
                form method="post" action=(format!("{path}/return-all")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (condition_fields(lang))
                    button { (say(lang, "Take back")) }
                }
            }
            fieldset {
                legend { (say(lang, "Transfer everything to a successor")) }
                form method="post" action=(format!("{path}/transfer")) {
                    input type="hidden" name="csrf" value=(csrf);
                    label { (say(lang, "Successor")) " " input name="to" required; }
                    button { (say(lang, "Transfer")) }
                }
            }
            fieldset {
                legend { (say(lang, "Receipt")) }
                form method="get" action=(format!("{path}/receipt")) {
                    label { (say(lang, "Day")) " " input name="day" type="date" value=(today.to_string()); }
                    button { (say(lang, "Receipt")) }
                }
            }
        }
        @if caller.principal.may(Permission::RecordLeave) {
            fieldset {
                legend { (say(lang, "Record last working day")) }
                form method="post" action=(format!("{path}/leave")) {
                    input type="hidden" name="csrf" value=(csrf);
                    label { (say(lang, "Last working day")) " " input name="on" type="date" required; }
                    button { (say(lang, "Record")) }
                }
                p { a href=(format!("{path}/checklist")) { (say(lang, "Print checklist")) } }
            }
        }
    }
}

/// The condition and destination of devices taken back.
pub fn condition_fields(lang: Lang) -> Markup {
    html! {
        label { (say(lang, "Condition")) " "
            select name="condition" {
                @for condition in ["ok", "damaged", "broken"] { option value=(condition) { (say(lang, condition)) } }
            }
        }
        label { (say(lang, "Send to")) " "
            select name="to" {
                option value="" { (say(lang, "as the condition says")) }
                @for route in ["reuse", "repair", "recycle"] { option value=(route) { (say(lang, route)) } }
            }
        }
    }
}

/// A form field that is empty or missing is not given.
fn given(field: Option<String>) -> Option<String> {
    field.filter(|value| !value.trim().is_empty())
}

pub fn parse_condition(raw: Option<&str>) -> handback::Result<Condition> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(Condition::Ok),
        Some(word) => <Condition as clap::ValueEnum>::from_str(word, true)
            .map_err(|_| handback::Error::invalid(format!("{word:?} is not a condition"))),
    }
}

pub fn parse_route(raw: Option<&str>) -> handback::Result<Option<Route>> {
    raw.map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|word| {
            <Route as clap::ValueEnum>::from_str(word, true)
                .map_err(|_| handback::Error::invalid(format!("{word:?} is not a destination")))
        })
        .transpose()
}

#[derive(Deserialize)]
pub struct HandoutForm {
    csrf: Option<String>,
    serials: String,
    kind: Option<String>,
    due: Option<String>,
    note: Option<String>,
}

/// Serials as a scanner or a person types them: one per line, or separated by spaces or
/// commas.
pub fn serials(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Hands out each serial to `to`, one after the other; the first refusal stops the rest
/// and names which were handed out before it.
pub fn hand_out_each(
    register: &mut Register,
    serials: &[String],
    to: &str,
    kind: Option<String>,
    due: Option<&str>,
    note: Option<String>,
) -> handback::Result<()> {
    if serials.is_empty() {
        return Err(handback::refusal::Refusal::NoDeviceGiven.into());
    }
    let due = due.map(parse_date).transpose()?;
    let mut done: Vec<&str> = Vec::new();
    for serial in serials {
        let request = HandoutRequest {
            device: serial.clone(),
            to: to.to_string(),
            on: None,
            due,
            note: note.clone(),
            new_device: NewDeviceInfo {
                kind: kind.clone(),
                ..NewDeviceInfo::default()
            },
        };
        if let Err(error) = register.handout(&request) {
            if done.is_empty() {
                return Err(error);
            }
            return Err(handback::Error::refused(format!(
                "handed out {}; {serial}: {error}",
                done.join(", ")
            )));
        }
        done.push(serial);
    }
    Ok(())
}

async fn hand_out(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Form(form): Form<HandoutForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = person_path(&who);
    page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Change(Permission::Operate, form.csrf.clone()),
        move |mut register, _seen| {
            hand_out_each(
                &mut register,
                &serials(&form.serials),
                &who,
                given(form.kind),
                given(form.due).as_deref(),
                given(form.note),
            )
        },
    )
    .await?;
    Ok(done_redirect(&back, "handed-out"))
}

#[derive(Deserialize)]
pub struct ReturnForm {
    csrf: Option<String>,
    condition: Option<String>,
    to: Option<String>,
}

async fn take_back_all(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Form(form): Form<ReturnForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = person_path(&who);
    page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Change(Permission::Operate, form.csrf.clone()),
        move |mut register, _seen| {
            let request = ReturnRequest {
                which: Which::AllFrom(who),
                condition: parse_condition(form.condition.as_deref())?,
                route: parse_route(form.to.as_deref())?,
                on: None,
                note: None,
            };
            register.return_devices(&request)
        },
    )
    .await?;
    Ok(done_redirect(&back, "taken-back"))
}

#[derive(Deserialize)]
pub struct TransferForm {
    csrf: Option<String>,
    to: String,
}

async fn transfer(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Form(form): Form<TransferForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = person_path(&who);
    page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Change(Permission::Operate, form.csrf.clone()),
        move |mut register, _seen| {
            let request = TransferRequest {
                which: Which::AllFrom(who),
                from: None,
                to: form.to,
                on: None,
                note: None,
            };
            register.transfer(&request)
        },
    )
    .await?;
    Ok(done_redirect(&back, "transferred"))
}

#[derive(Deserialize)]
pub struct LeaveForm {
    csrf: Option<String>,
    on: String,
}

async fn leave(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Form(form): Form<LeaveForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = person_path(&who);
    let (recorded, caller) = page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Change(Permission::RecordLeave, form.csrf.clone()),
        move |mut register, seen| {
            if visible(&register, seen, &who)?.is_none() {
                return Ok(false);
            }
            register.leave(&who, parse_date(&form.on)?)?;
            Ok(true)
        },
    )
    .await?;
    if !recorded {
        return Ok(layout::not_found_page(lang, Some(&caller)));
    }
    Ok(done_redirect(&back, "leave"))
}

async fn checklist(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = person_path(&who);
    let (checklist, caller) = page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Read(Permission::Read),
        move |register, seen| {
            if visible(&register, seen, &who)?.is_none() {
                return Ok(None);
            }
            register.checklist(&who).map(Some)
        },
    )
    .await?;
    Ok(match checklist {
        Some(checklist) => layout::document(documents::checklist(&InLang::new(checklist, lang))),
        None => layout::not_found_page(lang, Some(&caller)),
    })
}

#[derive(Deserialize)]
pub struct ReceiptQuery {
    day: Option<String>,
}

async fn receipt(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Query(query): Query<ReceiptQuery>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = person_path(&who);
    let (receipt, _caller) = page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Read(Permission::Operate),
        move |register, _seen| {
            let day = match given(query.day) {
                Some(raw) => parse_date(&raw)?,
                None => register.today(),
            };
            register.receipt(&who, day)
        },
    )
    .await?;
    Ok(layout::document(documents::receipt(&InLang::new(
        receipt, lang,
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_read_as_a_scanner_types_them() {
        assert_eq!(serials("5ZKQ9X4\r\nPF3A1B2C\n\n"), ["5ZKQ9X4", "PF3A1B2C"]);
        assert_eq!(serials("A1, B2; C3 D4"), ["A1", "B2", "C3", "D4"]);
        assert!(serials("  \n ").is_empty());
    }
}

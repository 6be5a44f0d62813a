//! `/people/{who}`: a person's facts, holdings and history, and what may be done for them:
//! technicians hand out, take back everything, transfer to a successor and print a
//! receipt; managers record the last working day and print the departure checklist.

use super::App;
use super::auth::{Caller, Credentials, Wants};
use super::failure::Failure;
use super::forms::{self, Control, Field, Form, Refused, Sent};
use super::layout::{self, data_table, done_redirect, encode, lang_of, page};
use super::pages::{Done, done_note, form_as, page_as};
use super::scope;
use super::words::say;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
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
    person_page(&app, credentials, lang_of(&headers), who, &done, None).await
}

/// The person's page; with `refused`, the form that was refused, filled in as it was sent.
async fn person_page(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    who: String,
    done: &Done,
    refused: Option<Refused>,
) -> Result<Response, Response> {
    let here = person_path(&who);
    let (found, caller) = page_as(
        app,
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
    let refused = refused.as_ref();
    let body = html! {
        h1 { (person.name) }
        (forms::summary(lang, refused))
        (done_note(lang, done))
        dl {
            @if let Some(number) = &person.employee_no { dt { (say(lang, "Employee number")) } dd { (number) } }
            @if let Some(email) = &person.email { dt { (say(lang, "E-mail")) } dd { (email) } }
            @if let Some(department) = &person.department { dt { (say(lang, "Department")) } dd { (department) } }
            @if let Some(day) = person.end_date { dt { (say(lang, "Last working day")) } dd { (day.to_string()) } }
            @if let Some(manager) = &holdings.manager { dt { (say(lang, "Manager")) } dd { (manager.label()) } }
            @if let Some(username) = &person.username { dt { (say(lang, "User name")) } dd { (username) } }
        }
        h2 { (say(lang, "Holds")) }
        (held_items(lang, &holdings))
        (actions(lang, &caller, &reference, app.register.today(), refused))
        h2 { (say(lang, "History")) }
        (history_table(lang, &events, app.register.zone()))
    };
    Ok(forms::answer(
        refused,
        page(lang, &person.name, Some(&caller), &here, body),
    ))
}

fn held_items(lang: Lang, holdings: &Holdings) -> Markup {
    html! {
        @if holdings.items.is_empty() {
            p { (say(lang, "Holds nothing.")) }
        } @else {
            (data_table(lang, "Devices held, with the day each was handed out", &["Serial", "Kind", "Model", "Since", "Due back"], html! { @for item in &holdings.items {
                    tr {
                        td.serial { a href=(format!("/devices/{}", encode(&item.serial))) { (item.serial) } }
                        td { (lang.kind(&item.kind)) }
                        td { (item.make.as_deref().unwrap_or("")) " " (item.model.as_deref().unwrap_or("")) }
                        td.day { (item.handed_out_on.to_string()) }
                        td.day { (item.due_back.map(|d| d.to_string()).unwrap_or_default()) }
                    }
                } }))
        }
    }
}

/// The person's events, newest last, as the command line's history lists them.
fn history_table(lang: Lang, events: &[Event], zone: handback::zone::Zone) -> Markup {
    html! {
        (data_table(lang, "The person's events, oldest first", &["Day", "Event", "Serial", "By"], html! { @for event in events {
                tr {
                    td.day { (zone.date_of(event.at).to_string()) }
                    td lang="en" { (event.action.replace('_', " ")) }
                    td.serial { (event.serial.as_deref().unwrap_or("")) }
                    td { (event.actor) }
                }
            } }))
    }
}

/// The fields of a hand-out form, in order.
pub const HANDOUT_FIELDS: &[&str] = &["serials", "to", "kind", "due", "note"];

/// A hand-out's fields; on the hand-out page itself, the person too, and the serials take
/// the focus (a scanner types at once).
pub fn handout_fields(form: Form, on_own_page: bool) -> Markup {
    let serials = Field::new(
        "serials",
        "Serials, one per line or separated by spaces (a scanner's Enter adds a line)",
        Control::Lines,
    )
    .required();
    html! {
        (form.field(if on_own_page { serials.autofocus() } else { serials }))
        @if on_own_page { (form.field(Field::new("to", "Hand out to", Control::Text).required())) }
        (form.field(Field::new("kind", "Kind, for a device not yet registered", Control::Text)))
        (form.field(Field::new("due", "Due back", Control::Date)))
        (form.field(Field::new("note", "Note", Control::Text)))
    }
}

/// The forms the caller's role may use for this person; `refused`, the one refused.
fn actions(
    lang: Lang,
    caller: &Caller,
    who: &str,
    today: chrono::NaiveDate,
    refused: Option<&Refused>,
) -> Markup {
    let path = person_path(who);
    let csrf = caller.csrf();
    let form = |id: &'static str| Form::new(id, lang, refused);
    html! {
        @if caller.principal.may(Permission::Operate) {
            fieldset {
                legend { (say(lang, "Hand out")) }
                form #handout method="post" action=(format!("{path}/handout")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (handout_fields(form("handout"), false))
                    button { (say(lang, "Hand out")) }
                }
            }
            fieldset {
                legend { (say(lang, "Take back everything")) }
                form #return-all method="post" action=(format!("{path}/return-all")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (condition_fields(form("return-all")))
                    button { (say(lang, "Take back")) }
                }
            }
            fieldset {
                legend { (say(lang, "Transfer everything to a successor")) }
                form #transfer method="post" action=(format!("{path}/transfer")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (form("transfer").field(Field::new("to", "Successor", Control::Text).required()))
                    button { (say(lang, "Transfer")) }
                }
            }
            fieldset {
                legend { (say(lang, "Receipt")) }
                form #receipt method="get" action=(format!("{path}/receipt")) {
                    (form("receipt").field(Field::new("day", "Day", Control::Date).given(today.to_string())))
                    button { (say(lang, "Receipt")) }
                }
            }
        }
        @if caller.principal.may(Permission::RecordLeave) {
            fieldset {
                legend { (say(lang, "Record last working day")) }
                form #leave method="post" action=(format!("{path}/leave")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (form("leave").field(Field::new("on", "Last working day", Control::Date).required()))
                    button { (say(lang, "Record")) }
                }
                p { a href=(format!("{path}/checklist")) { (say(lang, "Print checklist")) } }
            }
        }
    }
}

const CONDITIONS: &[(&str, &str)] = &[("ok", "ok"), ("damaged", "damaged"), ("broken", "broken")];
const ROUTES: &[(&str, &str)] = &[
    ("", "as the condition says"),
    ("reuse", "reuse"),
    ("repair", "repair"),
    ("recycle", "recycle"),
];

/// The condition and destination of devices taken back.
pub fn condition_fields(form: Form) -> Markup {
    html! {
        (form.field(Field::new("condition", "Condition", Control::Choice(CONDITIONS.to_vec()))))
        (form.field(Field::new("to", "Send to", Control::Choice(ROUTES.to_vec()))))
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

/// After a form of the person's page: back to it saying what was done (`key`), or the
/// page again with the form as it was sent and why it was refused.
async fn after(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    who: String,
    done: Result<(), Failure>,
    key: &str,
    refuse: impl FnOnce(Failure) -> Refused,
) -> Result<Response, Response> {
    match done {
        Ok(()) => Ok(done_redirect(&person_path(&who), key)),
        Err(failure) => {
            let refused = Some(refuse(failure));
            person_page(app, credentials, lang, who, &Done::default(), refused).await
        }
    }
}

async fn hand_out(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Sent { form, typed }: Sent<HandoutForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let (back, to) = (person_path(&who), who.clone());
    let wanted = Wants::Change(Permission::Operate, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        &back,
        wanted,
        move |mut register, _| {
            hand_out_each(
                &mut register,
                &serials(&form.serials),
                &to,
                given(form.kind),
                given(form.due).as_deref(),
                given(form.note),
            )
        },
    )
    .await?;
    after(
        &app,
        credentials,
        lang,
        who,
        done.map(|_| ()),
        "handed-out",
        |failure| Refused::new("handout", HANDOUT_FIELDS, failure, typed),
    )
    .await
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
    Sent { form, typed }: Sent<ReturnForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let (back, from) = (person_path(&who), who.clone());
    let wanted = Wants::Change(Permission::Operate, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        &back,
        wanted,
        move |mut register, _| {
            let request = ReturnRequest {
                which: Which::AllFrom(from),
                condition: parse_condition(form.condition.as_deref())?,
                route: parse_route(form.to.as_deref())?,
                on: None,
                note: None,
            };
            register.return_devices(&request)
        },
    )
    .await?;
    after(
        &app,
        credentials,
        lang,
        who,
        done.map(|_| ()),
        "taken-back",
        |failure| Refused::new("return-all", &["condition", "to"], failure, typed),
    )
    .await
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
    Sent { form, typed }: Sent<TransferForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let (back, from) = (person_path(&who), who.clone());
    let wanted = Wants::Change(Permission::Operate, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        &back,
        wanted,
        move |mut register, _| {
            let request = TransferRequest {
                which: Which::AllFrom(from),
                from: None,
                to: form.to,
                on: None,
                note: None,
            };
            register.transfer(&request)
        },
    )
    .await?;
    after(
        &app,
        credentials,
        lang,
        who,
        done.map(|_| ()),
        "transferred",
        |failure| Refused::new("transfer", &["to"], failure, typed),
    )
    .await
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
    Sent { form, typed }: Sent<LeaveForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let (back, leaver) = (person_path(&who), who.clone());
    let wanted = Wants::Change(Permission::RecordLeave, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        &back,
        wanted,
        move |mut register, seen| {
            if visible(&register, seen, &leaver)?.is_none() {
                return Ok(false);
            }
            register.leave(&leaver, parse_date(&form.on)?)?;
            Ok(true)
        },
    )
    .await?;
    if let Ok((false, caller)) = &done {
        return Ok(layout::not_found_page(lang, Some(caller)));
    }
    after(
        &app,
        credentials,
        lang,
        who,
        done.map(|_| ()),
        "leave",
        |failure| Refused::new("leave", &["on"], failure, typed),
    )
    .await
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
    let (back, holder) = (person_path(&who), who.clone());
    let typed = vec![("day".to_string(), query.day.clone().unwrap_or_default())];
    let wanted = Wants::Read(Permission::Operate);
    let made = form_as(
        &app,
        credentials.clone(),
        lang,
        &back,
        wanted,
        move |register, _| {
            let day = match given(query.day) {
                Some(raw) => parse_date(&raw)?,
                None => register.today(),
            };
            register.receipt(&holder, day)
        },
    )
    .await?;
    match made {
        Ok((receipt, _)) => Ok(layout::document(documents::receipt(&InLang::new(
            receipt, lang,
        )))),
        Err(failure) => {
            let refused = Refused::new("receipt", &["day"], failure, typed);
            person_page(
                &app,
                credentials,
                lang,
                who,
                &Done::default(),
                Some(refused),
            )
            .await
        }
    }
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

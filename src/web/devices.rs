//! `/devices/{serial}`: a device's facts, holder and chain of custody, and the desk's moves
//! (take back with its condition, replace, lost or stolen, found, repaired, recycle);
//! `/handout`, several serials to one person in one go; `/stock`.

use super::App;
use super::auth::{Credentials, Wants};
use super::forms::{self, Control, Field, Form, Refused, Sent};
use super::layout::{self, data_table, done_redirect, encode, lang_of, page};
use super::pages::{Done, done_note, form_as, page_as};
use super::people::{
    HANDOUT_FIELDS, condition_fields, hand_out_each, handout_fields, parse_condition, parse_route,
    serials,
};
use super::scope;
use super::words::say;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use handback::domain::Register;
use handback::domain::{NewDeviceInfo, ReplaceRequest, ReturnRequest, StatusMove, Which};
use handback::i18n::Lang;
use handback::model::account::Permission;
use handback::model::{DeviceDetail, ReplaceReason, Status};
use maud::{Markup, html};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/devices/{serial}", get(device))
        .route("/devices/{serial}/{action}", post(move_device))
        .route("/handout", get(handout_page).post(handout))
        .route("/stock", get(stock))
}

fn device_path(serial: &str) -> String {
    format!("/devices/{}", encode(serial))
}

async fn device(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(serial): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    device_page(&app, credentials, lang_of(&headers), serial, &done, None).await
}

/// The device's page; with `refused`, the move that was refused, filled in as it was sent.
async fn device_page(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    serial: String,
    done: &Done,
    refused: Option<Refused>,
) -> Result<Response, Response> {
    let here = device_path(&serial);
    let (detail, caller) = page_as(
        app,
        credentials,
        lang,
        &here,
        Wants::Read(Permission::Read),
        move |register, _seen| register.device_detail(&serial),
    )
    .await?;
    if !scope::sees_device(&caller, &detail) {
        return Ok(layout::not_found_page(lang, Some(&caller)));
    }
    let zone = app.register.zone();
    let device = &detail.device;
    let body = html! {
        h1.serial { (device.serial) }
        (forms::summary(lang, refused.as_ref()))
        (done_note(lang, done))
        dl {
            dt { (say(lang, "Kind")) } dd { (lang.kind(&device.kind)) }
            dt { (say(lang, "Model")) } dd { (device.description()) }
            dt { (say(lang, "Status")) } dd { (lang.word(device.status.as_str())) " (" (zone.date_of(device.status_since).to_string()) ")" }
            @if let Some(holder) = &detail.holder {
                dt { (say(lang, "Holder")) }
                dd { a href=(format!("/people/{}", encode(&holder.reference()))) { (holder.label()) } }
            }
        }
        @if caller.principal.may(Permission::Operate) { (moves(lang, caller.csrf(), &detail, refused.as_ref())) }
        h2 { (say(lang, "History")) }
        (data_table(lang, "The device's events, oldest first", &["Day", "Event", "Person", "By"], html! { @for event in &detail.history {
                tr {
                    td.day { (zone.date_of(event.at).to_string()) }
                    td lang="en" { (event.action.replace('_', " ")) }
                    td { (event.person.as_deref().unwrap_or("")) }
                    td { (event.actor) }
                }
            } }))
    };
    Ok(forms::answer(
        refused.as_ref(),
        page(lang, &device.serial, Some(&caller), &here, body),
    ))
}

const REASONS: &[(&str, &str)] = &[
    ("broken", "broken device"),
    ("worn-out", "worn out"),
    ("lost", "lost"),
    ("stolen", "stolen"),
    ("upgrade", "upgrade"),
];

/// The moves the device's status allows, each a form; `refused`, the one that was refused.
fn moves(lang: Lang, csrf: &str, detail: &DeviceDetail, refused: Option<&Refused>) -> Markup {
    let path = device_path(&detail.device.serial);
    let status = detail.device.status;
    let form = |action: &'static str,
                legend: &'static str,
                fields: &dyn Fn(Form) -> Markup,
                button: &'static str| {
        let filled = Form::new(action, lang, refused);
        html! {
            fieldset {
                legend { (say(lang, legend)) }
                form id=(action) method="post" action=(format!("{path}/{action}")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (fields(filled))
                    button { (say(lang, button)) }
                }
            }
        }
    };
    let nothing = |_: Form| html! {};
    html! {
        @if status == Status::InStock {
            (form("handout", "Hand out", &|f: Form| f.field(Field::new("person", "Hand out to", Control::Text).required()), "Hand out"))
        }
        @if detail.holder.is_some() {
            (form("return", "Take back", &|f: Form| condition_fields(f), "Take back"))
            (form("replace", "Replace", &|f: Form| html! {
                (f.field(Field::new("with", "New serial", Control::Text).required()))
                (f.field(Field::new("reason", "Reason", Control::Choice(REASONS.to_vec()))))
                (f.field(Field::new("kind", "Kind, for a device not yet registered", Control::Text)))
            }, "Replace"))
        }
        @if !matches!(status, Status::Lost | Status::Stolen | Status::Recycled) {
            (form("lost", "Mark lost", &|f: Form| f.field(Field::new("stolen", "It was stolen", Control::Tick)), "Mark lost"))
        }
        @if matches!(status, Status::Lost | Status::Stolen) {
            (form("found", "Found", &nothing, "Found"))
        }
        @if status == Status::InRepair {
            (form("repaired", "Repaired", &nothing, "Repaired"))
        }
        @if detail.holder.is_none() && !matches!(status, Status::Recycled | Status::Lost | Status::Stolen) {
            (form("recycle", "Recycle", &|f: Form| html! {
                @if status == Status::InStock {
                    (f.field(Field::new("confirmed", "Recycle it although it could be reused", Control::Tick)))
                }
            }, "Recycle"))
        }
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    csrf: Option<String>,
    condition: Option<String>,
    to: Option<String>,
    with: Option<String>,
    reason: Option<String>,
    kind: Option<String>,
    stolen: Option<String>,
    confirmed: Option<String>,
    person: Option<String>,
}

/// The form of each move, by the last part of its path, with its fields.
fn move_form(action: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match action {
        "handout" => ("handout", &["person"]),
        "return" => ("return", &["condition", "to"]),
        "replace" => ("replace", &["with", "reason", "kind"]),
        "lost" => ("lost", &["stolen"]),
        "found" => ("found", &[]),
        "repaired" => ("repaired", &[]),
        "recycle" => ("recycle", &["confirmed"]),
        _ => return None,
    })
}

/// One of the device page's moves, by the last part of its path; refused, the page again
/// with the move's form as it was sent.
async fn move_device(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path((serial, action)): Path<(String, String)>,
    Sent { form, typed }: Sent<MoveForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = device_path(&serial);
    let form_of = move_form(&action);
    let moved = serial.clone();
    let wanted = Wants::Change(Permission::Operate, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        &back,
        wanted,
        move |mut register, _| apply_move(&mut register, moved, &action, form),
    )
    .await?;
    match (done, form_of) {
        (Ok((Some(key), _)), _) => Ok(done_redirect(&back, key)),
        (Ok((None, caller)), _) => Ok(layout::not_found_page(lang, Some(&caller))),
        (Err(failure), Some((id, fields))) => {
            let refused = Refused::new(id, fields, failure, typed);
            device_page(
                &app,
                credentials,
                lang,
                serial,
                &Done::default(),
                Some(refused),
            )
            .await
        }
        (Err(failure), None) => Ok(failure.into_response()),
    }
}

/// Does the move `action` names; `None` when there is no such move.
fn apply_move(
    register: &mut Register,
    moved: String,
    action: &str,
    form: MoveForm,
) -> handback::Result<Option<&'static str>> {
    let ticked = |field: &Option<String>| field.as_deref() == Some("true");
    let (stolen, confirmed) = (ticked(&form.stolen), ticked(&form.confirmed));
    let outcome = match action {
        "handout" => {
            let to = form.person.unwrap_or_default();
            hand_out_each(register, &[moved], &to, None, None, None)?;
            "handed-out"
        }
        "return" => {
            register.return_devices(&ReturnRequest {
                which: Which::Devices(vec![moved]),
                condition: parse_condition(form.condition.as_deref())?,
                route: parse_route(form.to.as_deref())?,
                on: None,
                note: None,
            })?;
            "taken-back"
        }
        "replace" => {
            let reason = form.reason.as_deref().unwrap_or("upgrade");
            let reason = <ReplaceReason as clap::ValueEnum>::from_str(reason, true)
                .map_err(|_| handback::Error::invalid(format!("{reason:?} is not a reason")))?;
            register.replace(&ReplaceRequest {
                old: moved,
                new: form.with.unwrap_or_default(),
                reason,
                route: None,
                on: None,
                note: None,
                new_device: NewDeviceInfo {
                    kind: form.kind.filter(|k| !k.trim().is_empty()),
                    ..NewDeviceInfo::default()
                },
            })?;
            "replaced"
        }
        other => {
            let (wanted, key) = match other {
                "lost" => (StatusMove::Lost { stolen }, "lost"),
                "found" => (StatusMove::Found, "in-stock"),
                "repaired" => (StatusMove::Repaired, "in-stock"),
                "recycle" => (StatusMove::Recycle { confirmed }, "recycled"),
                _ => return Ok(None),
            };
            register.move_status(&moved, wanted, None, None)?;
            key
        }
    };
    Ok(Some(outcome))
}

async fn handout_page(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    show_handout(&app, credentials, lang_of(&headers), &done, None).await
}

/// The hand-out page; with `refused`, its form as it was sent and why it was refused.
async fn show_handout(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    done: &Done,
    refused: Option<Refused>,
) -> Result<Response, Response> {
    let wanted = Wants::Read(Permission::Operate);
    let ((), caller) = page_as(app, credentials, lang, "/", wanted, |_, _| Ok(())).await?;
    let form = Form::new("handout", lang, refused.as_ref());
    let body = html! {
        h1 { (say(lang, "Hand out")) }
        (forms::summary(lang, refused.as_ref()))
        (done_note(lang, done))
        form #handout method="post" action="/handout" {
            input type="hidden" name="csrf" value=(caller.csrf());
            (handout_fields(form, true))
            button { (say(lang, "Hand out")) }
        }
    };
    Ok(forms::answer(
        refused.as_ref(),
        page(lang, say(lang, "Hand out"), Some(&caller), "/handout", body),
    ))
}

#[derive(Deserialize)]
pub struct HandoutForm {
    csrf: Option<String>,
    serials: String,
    to: String,
    kind: Option<String>,
    due: Option<String>,
    note: Option<String>,
}

async fn handout(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Sent { form, typed }: Sent<HandoutForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let given = |field: Option<String>| field.filter(|v| !v.trim().is_empty());
    let wanted = Wants::Change(Permission::Operate, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        "/handout",
        wanted,
        move |mut register, _| {
            hand_out_each(
                &mut register,
                &serials(&form.serials),
                &form.to,
                given(form.kind),
                given(form.due).as_deref(),
                given(form.note),
            )
        },
    )
    .await?;
    match done {
        Ok(_) => Ok(done_redirect("/handout", "handed-out")),
        Err(failure) => {
            let refused = Refused::new("handout", HANDOUT_FIELDS, failure, typed);
            show_handout(&app, credentials, lang, &Done::default(), Some(refused)).await
        }
    }
}

#[derive(Deserialize)]
pub struct StockQuery {
    kind: Option<String>,
}

async fn stock(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(query): Query<StockQuery>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let kind = query.kind.filter(|k| !k.trim().is_empty());
    let shown = kind.clone();
    let (devices, caller) = page_as(
        &app,
        credentials,
        lang,
        "/stock",
        Wants::Read(Permission::ReadAll),
        move |register, _seen| register.stock(kind.as_deref()),
    )
    .await?;
    let zone = app.register.zone();
    let body = html! {
        h1 { (say(lang, "Stock")) }
        form #stock method="get" action="/stock" {
            (Form::new("stock", lang, None).field(Field::new("kind", "Kind", Control::Text).given(shown.unwrap_or_default())))
            button { (say(lang, "Show")) }
        }
        @if devices.is_empty() { p { (say(lang, "Nothing in stock.")) } } @else {
            (data_table(lang, "Devices in stock, waiting for reuse", &["Serial", "Kind", "Model", "Since"], html! { @for device in &devices {
                    tr {
                        td.serial { a href=(device_path(&device.serial)) { (device.serial) } }
                        td { (lang.kind(&device.kind)) }
                        td { (device.description()) }
                        td.day { (zone.date_of(device.status_since).to_string()) }
                    }
                } }))
        }
    };
    Ok(
        Html(page(lang, say(lang, "Stock"), Some(&caller), "/stock", body).into_string())
            .into_response(),
    )
}

//! `/devices/{serial}`: a device's facts, holder and chain of custody, and the desk's moves
//! (take back with its condition, replace, lost or stolen, found, repaired, recycle);
//! `/handout`, several serials to one person in one go; `/stock`.

use super::App;
use super::auth::{Credentials, Wants};
use super::layout::{self, done_redirect, encode, lang_of, page};
use super::pages::{Done, done_note, page_as};
use super::people::{condition_fields, hand_out_each, parse_condition, parse_route, serials};
use super::scope;
use super::words::say;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
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
    let lang = lang_of(&headers);
    let here = device_path(&serial);
    let (detail, caller) = page_as(
        &app,
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
        (done_note(lang, &done))
        dl {
            dt { (say(lang, "Kind")) } dd { (lang.kind(&device.kind)) }
            dt { (say(lang, "Model")) } dd { (device.description()) }
            dt { (say(lang, "Status")) } dd { (lang.word(device.status.as_str())) " (" (zone.date_of(device.status_since).to_string()) ")" }
            @if let Some(holder) = &detail.holder {
                dt { (say(lang, "Holder")) }
                dd { a href=(format!("/people/{}", encode(&holder.reference()))) { (holder.label()) } }
            }
        }
        @if caller.principal.may(Permission::Operate) { (moves(lang, caller.csrf(), &detail)) }
        h2 { (say(lang, "History")) }
        table {
            @for event in &detail.history {
                tr {
                    td.day { (zone.date_of(event.at).to_string()) }
                    td { (event.action.replace('_', " ")) }
                    td { (event.person.as_deref().unwrap_or("")) }
                    td { (event.actor) }
                }
            }
        }
    };
    Ok(Html(page(lang, &device.serial, Some(&caller), &here, body).into_string()).into_response())
}

/// The moves the device's status allows, each a form.
fn moves(lang: Lang, csrf: &str, detail: &DeviceDetail) -> Markup {
    let path = device_path(&detail.device.serial);
    let status = detail.device.status;
    let form = |action: &str, legend: &'static str, fields: Markup, button: &'static str| {
        html! {
            fieldset {
                legend { (say(lang, legend)) }
                form method="post" action=(format!("{path}/{action}")) {
                    input type="hidden" name="csrf" value=(csrf);
                    (fields)
                    button { (say(lang, button)) }
                }
            }
        }
    };
    html! {
        @if status == Status::InStock {
            (form("handout", "Hand out", html! {
                label { (say(lang, "Hand out to")) " " input name="person" required; }
            }, "Hand out"))
        }
        @if detail.holder.is_some() {
            (form("return", "Take back", condition_fields(lang), "Take back"))
            (form("replace", "Replace", html! {
                label { (say(lang, "New serial")) " " input name="with" required; }
                label { (say(lang, "Reason")) " " select name="reason" {
                    @for (value, label) in [("broken", "broken device"), ("worn-out", "worn out"), ("lost", "lost"), ("stolen", "stolen"), ("upgrade", "upgrade")] {
                        option value=(value) { (say(lang, label)) }
                    }
                } }
                label { (say(lang, "Kind, for a device not yet registered")) " " input name="kind" size="12"; }
            }, "Replace"))
        }
        @if !matches!(status, Status::Lost | Status::Stolen | Status::Recycled) {
            (form("lost", "Mark lost", html! {
                label { input type="checkbox" name="stolen" value="true"; " " (say(lang, "It was stolen")) }
            }, "Mark lost"))
        }
        @if matches!(status, Status::Lost | Status::Stolen) {
            (form("found", "Found", html! {}, "Found"))
        }
        @if status == Status::InRepair {
            (form("repaired", "Repaired", html! {}, "Repaired"))
        }
        @if detail.holder.is_none() && !matches!(status, Status::Recycled | Status::Lost | Status::Stolen) {
            (form("recycle", "Recycle", html! {
                @if status == Status::InStock {
                    label { input type="checkbox" name="confirmed" value="true"; " " (say(lang, "Recycle it although it could be reused")) }
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

/// One of the device page's moves, by the last part of its path.
async fn move_device(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path((serial, action)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let back = device_path(&serial);
    let ticked = |field: &Option<String>| field.as_deref() == Some("true");
    let (stolen, confirmed) = (ticked(&form.stolen), ticked(&form.confirmed));
    let moved = serial.clone();
    let (done, caller) = page_as(
        &app,
        credentials,
        lang,
        &back,
        Wants::Change(Permission::Operate, form.csrf.clone()),
        move |mut register, _seen| {
            let outcome = match action.as_str() {
                "handout" => {
                    let to = form.person.unwrap_or_default();
                    hand_out_each(&mut register, &[moved], &to, None, None, None)?;
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
                        .map_err(|_| {
                            handback::Error::invalid(format!("{reason:?} is not a reason"))
                        })?;
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
        },
    )
    .await?;
    Ok(match done {
        Some(key) => done_redirect(&back, key),
        None => layout::not_found_page(lang, Some(&caller)),
    })
}

async fn handout_page(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let wanted = Wants::Read(Permission::Operate);
    let ((), caller) = page_as(&app, credentials, lang, "/", wanted, |_, _| Ok(())).await?;
    let body = html! {
        h1 { (say(lang, "Hand out")) }
        (done_note(lang, &done))
        form method="post" action="/handout" {
            input type="hidden" name="csrf" value=(caller.csrf());
            p { label { (say(lang, "Serials, one per line or separated by spaces (a scanner's Enter adds a line)")) br;
                textarea name="serials" required autofocus {} } }
            p { label { (say(lang, "Hand out to")) br; input name="to" required; } }
            p {
                label { (say(lang, "Kind, for a device not yet registered")) " " input name="kind" size="12"; }
                label { (say(lang, "Due back")) " " input name="due" type="date"; }
                label { (say(lang, "Note")) " " input name="note"; }
            }
            button { (say(lang, "Hand out")) }
        }
    };
    Ok(
        Html(page(lang, say(lang, "Hand out"), Some(&caller), "/handout", body).into_string())
            .into_response(),
    )
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
    Form(form): Form<HandoutForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let given = |field: Option<String>| field.filter(|v| !v.trim().is_empty());
    page_as(
        &app,
        credentials,
        lang,
        "/handout",
        Wants::Change(Permission::Operate, form.csrf.clone()),
        move |mut register, _seen| {
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
    Ok(done_redirect("/handout", "handed-out"))
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
        form method="get" action="/stock" {
            label { (say(lang, "Kind")) " " input name="kind" value=(shown.unwrap_or_default()); }
            button { (say(lang, "Show")) }
        }
        @if devices.is_empty() { p { (say(lang, "Nothing in stock.")) } } @else {
            table {
                tr { th { (say(lang, "Serial")) } th { (say(lang, "Kind")) } th { (say(lang, "Model")) } th { (say(lang, "Since")) } }
                @for device in &devices {
                    tr {
                        td.serial { a href=(device_path(&device.serial)) { (device.serial) } }
                        td { (lang.kind(&device.kind)) }
                        td { (device.description()) }
                        td.day { (zone.date_of(device.status_since).to_string()) }
                    }
                }
            }
        }
    };
    Ok(
        Html(page(lang, say(lang, "Stock"), Some(&caller), "/stock", body).into_string())
            .into_response(),
    )
}

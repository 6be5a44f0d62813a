//! The JSON API under `/api`: the same documents as the command line's `--format json` for
//! the same question, and the register's operations as `POST`s.

use super::App;
use super::auth::{CSRF_HEADER, Caller, Credentials, SeenBy, Wants};
use super::failure::Failure;
use super::scope;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use handback::docs::InLang;
use handback::domain::{
    HandoutRequest, NewDeviceInfo, ReplaceRequest, ReturnRequest, StatusMove, TransferRequest,
    Which,
};
use handback::domain::{Register, ReportRequest};
use handback::i18n::Lang;
use handback::model::account::Permission;
use handback::model::{Condition, ReplaceReason, Route};
use handback::render::html as documents;
use handback::validate::parse_date;
use serde::Deserialize;
use serde::de::DeserializeOwned;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/find", get(find))
        .route("/people/{who}/holdings", get(holdings))
        .route("/people/{who}/checklist", get(checklist))
        .route("/report", get(report))
        .route("/devices/{serial}", get(device))
        .route("/devices/{serial}/history", get(device_history))
        .route("/stock", get(stock))
        .route("/overdue", get(overdue))
        .route("/handouts", post(handout))
        .route("/returns", post(take_back))
        .route("/transfers", post(transfer))
        .route("/replacements", post(replacement))
        .route("/lost", post(lost))
        .route("/found", post(found))
        .route("/leavers", post(leaver))
        .fallback(|| async { Failure::not_found("route") })
}

/// A JSON answer.
pub fn json<T: serde::Serialize>(status: StatusCode, value: &T) -> Response {
    match handback::render::json(value) {
        Ok(body) => (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(error) => Failure::internal(error.to_string()).into_response(),
    }
}

/// A request body as `T`: anything else is a 400 that says what is wrong.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, Failure> {
    serde_json::from_slice(bytes).map_err(|e| {
        Failure::malformed(format!(
            "the request body is not what this route takes: {e}"
        ))
    })
}

/// Admits the request and runs a read or a change as its caller, in one trip to the
/// blocking pool, answering a failure as the caller may see it.
pub async fn as_caller<T: Send + 'static>(
    app: &App,
    credentials: Credentials,
    wanted: Wants,
    work: impl FnOnce(Register, &Caller) -> handback::Result<T> + Send + 'static,
) -> Result<T, Failure> {
    app.admitted(credentials, wanted, move |register, caller| {
        work(register, caller).seen_by(caller)
    })
    .await
}

/// The CSRF token a change made with a session cookie carries as a header.
pub fn csrf_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[derive(Deserialize)]
struct FindQuery {
    q: Option<String>,
}

async fn find(
    State(app): State<App>,
    credentials: Credentials,
    Query(query): Query<FindQuery>,
) -> Result<Response, Failure> {
    let text = query.q.unwrap_or_default();
    let hits = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            let hits = register.find(&text)?;
            Ok(scope::visible_hits(&register, seen, hits))
        },
    )
    .await?;
    Ok(json(StatusCode::OK, &hits))
}

async fn holdings(
    State(app): State<App>,
    credentials: Credentials,
    Path(who): Path<String>,
) -> Result<Response, Failure> {
    let holdings = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            let holdings = register.holdings(&who)?;
            Ok(scope::sees_person(seen, &holdings.person).then_some(holdings))
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("person"))?;
    Ok(json(StatusCode::OK, &holdings))
}

#[derive(Deserialize)]
struct DocumentQuery {
    lang: Option<String>,
    format: Option<String>,
}

/// A document's language: `?lang=`, else the browser's.
fn document_lang(raw: Option<&str>, headers: &HeaderMap) -> Result<Lang, Failure> {
    match raw.filter(|r| !r.trim().is_empty()) {
        Some(raw) => Lang::parse(raw).ok_or_else(|| {
            Failure::malformed(format!(
                "{raw:?} is not a language handback writes: use sv or en"
            ))
        }),
        None => Ok(super::layout::lang_of(headers)),
    }
}

/// A document in one of the formats the command line writes it in.
fn document(
    format: &str,
    html: impl FnOnce() -> String,
    other: impl FnOnce(&str) -> Result<(String, &'static str), Failure>,
) -> Result<Response, Failure> {
    match format {
        "html" => Ok(super::layout::document(html())),
        _ => {
            let (body, content_type) = other(format)?;
            Ok(([(axum::http::header::CONTENT_TYPE, content_type)], body).into_response())
        }
    }
}

async fn checklist(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(who): Path<String>,
    Query(query): Query<DocumentQuery>,
) -> Result<Response, Failure> {
    let lang = document_lang(query.lang.as_deref(), &headers)?;
    let checklist = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            if !scope::person_visible(&register, seen, &who)? {
                return Ok(None);
            }
            register.checklist(&who).map(Some)
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("person"))?;
    let doc = InLang::new(checklist, lang);
    let format = query.format.unwrap_or_else(|| "json".to_string());
    document(
        &format,
        || documents::checklist(&doc),
        |format| match format {
            "json" => Ok((rendered(handback::render::json(&doc))?, "application/json")),
            "md" => Ok((
                handback::render::markdown::checklist(&doc),
                "text/markdown; charset=utf-8",
            )),
            "csv" => {
                let bytes = handback::render::csv(&doc.items, b',', doc.header.zone)
                    .map_err(|e| Failure::internal(e.to_string()))?;
                Ok((
                    String::from_utf8_lossy(&bytes).into_owned(),
                    "text/csv; charset=utf-8",
                ))
            }
            other => Err(Failure::malformed(format!(
                "{other:?} is not a format of the checklist: use json, html, md or csv"
            ))),
        },
    )
}

fn rendered<E: std::fmt::Display>(result: Result<String, E>) -> Result<String, Failure> {
    result.map_err(|e| Failure::internal(e.to_string()))
}

#[derive(Deserialize)]
struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
    department: Option<String>,
    lang: Option<String>,
    format: Option<String>,
}

async fn report(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> Result<Response, Failure> {
    let lang = document_lang(query.lang.as_deref(), &headers)?;
    let report = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            let Ok(department) = scope::report_department(seen, query.department) else {
                return Ok(None);
            };
            let day = |raw: Option<String>| {
                raw.filter(|r| !r.trim().is_empty())
                    .map(|r| parse_date(&r))
                    .transpose()
            };
            let request = ReportRequest::period(
                day(query.from)?,
                day(query.to)?,
                register.today(),
                department,
            );
            register.report(&request).map(Some)
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("department"))?;
    let doc = InLang::new(report, lang);
    let format = query.format.unwrap_or_else(|| "json".to_string());
    document(
        &format,
        || documents::report(&doc),
        |format| match format {
            "json" => Ok((rendered(handback::render::json(&doc))?, "application/json")),
            other => Err(Failure::malformed(format!(
                "{other:?} is not a format of the report: use json or html"
            ))),
        },
    )
}

async fn device(
    State(app): State<App>,
    credentials: Credentials,
    Path(serial): Path<String>,
) -> Result<Response, Failure> {
    let detail = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            scope::device_visible(&register, seen, &serial)?
                .then(|| register.device_detail(&serial))
                .transpose()
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("device"))?;
    Ok(json(StatusCode::OK, &detail))
}

async fn device_history(
    State(app): State<App>,
    credentials: Credentials,
    Path(serial): Path<String>,
) -> Result<Response, Failure> {
    let history = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            if !scope::device_visible(&register, seen, &serial)? {
                return Ok(None);
            }
            // The serial must name a device: the history of a person is another route.
            let device = register.device_detail(&serial)?.device;
            // The command line's `history --format json`: the events.
            register.history(&device.serial).map(|h| Some(h.events))
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("device"))?;
    Ok(json(StatusCode::OK, &history))
}

async fn stock(State(app): State<App>, credentials: Credentials) -> Result<Response, Failure> {
    let devices = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::ReadAll),
        move |register, _| register.stock(None),
    )
    .await?;
    Ok(json(StatusCode::OK, &devices))
}

#[derive(Deserialize)]
struct OverdueQuery {
    as_of: Option<String>,
    department: Option<String>,
}

async fn overdue(
    State(app): State<App>,
    credentials: Credentials,
    Query(query): Query<OverdueQuery>,
) -> Result<Response, Failure> {
    let department = query.department.filter(|d| !d.trim().is_empty());
    let overdue = as_caller(
        &app,
        credentials,
        Wants::Read(Permission::Read),
        move |register, seen| {
            if department
                .as_deref()
                .is_some_and(|d| !seen.principal.sees_department(Some(d)))
            {
                return Ok(None);
            }
            let as_of = match query.as_of.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(raw) => parse_date(raw)?,
                None => register.today(),
            };
            let mut overdue = register.overdue(as_of, department.as_deref())?;
            if seen.confined() {
                overdue
                    .people
                    .retain(|row| scope::sees_person(seen, &row.person));
                // Lost and stolen devices are no department's: they are the IT desk's to follow.
                overdue.missing.clear();
            }
            Ok(Some(overdue))
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("department"))?;
    Ok(json(StatusCode::OK, &overdue))
}

/// `on` and `due` of a request, read in the register's zone.
fn moment(
    register: &Register,
    raw: Option<&str>,
) -> handback::Result<Option<chrono::DateTime<chrono::Utc>>> {
    raw.filter(|r| !r.trim().is_empty())
        .map(|r| register.moment(r))
        .transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoutBody {
    device: String,
    to: String,
    on: Option<String>,
    due: Option<String>,
    note: Option<String>,
    kind: Option<String>,
    make: Option<String>,
    model: Option<String>,
    asset_tag: Option<String>,
}

async fn handout(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: HandoutBody = body(&bytes)?;
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| {
            let request = HandoutRequest {
                device: request.device,
                to: request.to,
                on: moment(&register, request.on.as_deref())?,
                due: request.due.as_deref().map(parse_date).transpose()?,
                note: request.note,
                new_device: NewDeviceInfo {
                    kind: request.kind,
                    make: request.make,
                    model: request.model,
                    asset_tag: request.asset_tag,
                },
            };
            register.handout(&request)
        },
    )
    .await?;
    Ok(json(StatusCode::CREATED, &outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReturnBody {
    device: String,
    condition: Option<Condition>,
    to: Option<Route>,
    on: Option<String>,
    note: Option<String>,
}

async fn take_back(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: ReturnBody = body(&bytes)?;
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| {
            let request = ReturnRequest {
                which: Which::Devices(vec![request.device]),
                condition: request.condition.unwrap_or(Condition::Ok),
                route: request.to,
                on: moment(&register, request.on.as_deref())?,
                note: request.note,
            };
            register.return_devices(&request)
        },
    )
    .await?;
    Ok(json(StatusCode::OK, &outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferBody {
    devices: Option<Vec<String>>,
    all_from: Option<String>,
    from: Option<String>,
    to: String,
    on: Option<String>,
    note: Option<String>,
}

async fn transfer(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: TransferBody = body(&bytes)?;
    let which = match (request.devices, request.all_from) {
        (Some(devices), None) => Which::Devices(devices),
        (None, Some(person)) => Which::AllFrom(person),
        _ => {
            return Err(Failure::malformed(
                "give either \"devices\" (a list of serials) or \"all_from\" (a person)",
            ));
        }
    };
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| {
            let request = TransferRequest {
                which,
                from: request.from,
                to: request.to,
                on: moment(&register, request.on.as_deref())?,
                note: request.note,
            };
            register.transfer(&request)
        },
    )
    .await?;
    Ok(json(StatusCode::OK, &outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplacementBody {
    device: String,
    with: String,
    reason: String,
    to: Option<Route>,
    on: Option<String>,
    note: Option<String>,
    kind: Option<String>,
    make: Option<String>,
    model: Option<String>,
    asset_tag: Option<String>,
}

async fn replacement(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: ReplacementBody = body(&bytes)?;
    let reason = <ReplaceReason as clap::ValueEnum>::from_str(request.reason.trim(), true)
        .map_err(|_| {
            Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!(
                    "{:?} is not a reason: give broken, worn-out, lost, stolen or upgrade",
                    request.reason
                ),
            )
        })?;
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| {
            let request = ReplaceRequest {
                old: request.device,
                new: request.with,
                reason,
                route: request.to,
                on: moment(&register, request.on.as_deref())?,
                note: request.note,
                new_device: NewDeviceInfo {
                    kind: request.kind,
                    make: request.make,
                    model: request.model,
                    asset_tag: request.asset_tag,
                },
            };
            register.replace(&request)
        },
    )
    .await?;
    Ok(json(StatusCode::OK, &outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LostBody {
    device: String,
    #[serde(default)]
    stolen: bool,
    on: Option<String>,
    note: Option<String>,
}

async fn lost(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: LostBody = body(&bytes)?;
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| {
            let on = moment(&register, request.on.as_deref())?;
            register.move_status(
                &request.device,
                StatusMove::Lost {
                    stolen: request.stolen,
                },
                on,
                request.note.as_deref(),
            )
        },
    )
    .await?;
    Ok(json(StatusCode::OK, &outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FoundBody {
    device: String,
    on: Option<String>,
    note: Option<String>,
}

async fn found(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: FoundBody = body(&bytes)?;
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| {
            let on = moment(&register, request.on.as_deref())?;
            register.move_status(
                &request.device,
                StatusMove::Found,
                on,
                request.note.as_deref(),
            )
        },
    )
    .await?;
    Ok(json(StatusCode::OK, &outcome))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaverBody {
    person: String,
    on: String,
}

async fn leaver(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let request: LeaverBody = body(&bytes)?;
    let outcome = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::RecordLeave, csrf_of(&headers)),
        move |mut register, seen| {
            if !scope::person_visible(&register, seen, &request.person)? {
                return Ok(None);
            }
            let last_day = parse_date(&request.on)?;
            register.leave(&request.person, last_day).map(Some)
        },
    )
    .await?
    .ok_or_else(|| Failure::not_found("person"))?;
    Ok(json(StatusCode::OK, &outcome))
}

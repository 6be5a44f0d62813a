//! Imports from the browser and the API. The page uploads a file, shows what a dry run of
//! it would do (how its columns were read, its errors with line numbers) and imports it
//! only when confirmed; the upload waits in memory in between. `POST /api/imports` takes
//! the file as the body and answers the summary the command line's `--format json` gives.

use super::App;
use super::api::{as_caller, csrf_of, json};
use super::auth::{Caller, Credentials, Wants};
use super::failure::Failure;
use super::forms::{self, Control, Field, Form, Refused};
use super::layout::{self, data_table, lang_of, page};
use super::pages::{Turned, page_as, run_as};
use super::words::say;
use crate::cli::import::SummaryView;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Form as Posted, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use handback::domain::{ImportOptions, Register};
use handback::i18n::Lang;
use handback::import::ImportSource;
use handback::model::account::Permission;
use maud::html;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an upload waits for its confirmation.
const UPLOAD_KEPT: Duration = Duration::from_secs(30 * 60);
/// Uploads waiting at once, over all users: the oldest goes when another comes.
const UPLOADS_KEPT: usize = 16;

pub fn routes(upload_limit: usize) -> Router<App> {
    Router::new()
        .route("/import", get(import_page).post(upload))
        .route("/import/confirm", post(confirm))
        .layer(DefaultBodyLimit::max(upload_limit))
}

pub fn api_routes(upload_limit: usize) -> Router<App> {
    Router::new()
        .route("/imports", post(api_import))
        .layer(DefaultBodyLimit::max(upload_limit))
}

/// Uploads waiting for their confirmation, by a random id.
#[derive(Default)]
pub struct Uploads {
    waiting: Mutex<HashMap<String, Upload>>,
}

struct Upload {
    login: String,
    name: String,
    bytes: Vec<u8>,
    at: Instant,
}

impl Uploads {
    fn keep(&self, login: &str, name: String, bytes: Vec<u8>) -> handback::Result<String> {
        let id = handback::domain::random_id()?;
        let mut waiting = self.lock();
        waiting.retain(|_, upload| upload.at.elapsed() < UPLOAD_KEPT);
        while waiting.len() >= UPLOADS_KEPT {
            let Some(oldest) = waiting
                .iter()
                .min_by_key(|(_, upload)| upload.at)
                .map(|(id, _)| id.clone())
            else {
                break;
            };
            waiting.remove(&oldest);
        }
        waiting.insert(
            id.clone(),
            Upload {
                login: login.to_string(),
                name,
                bytes,
                at: Instant::now(),
            },
        );
        Ok(id)
    }

    /// The upload `id` of `login`, taken out: it is imported once.
    fn take(&self, login: &str, id: &str) -> Option<(String, Vec<u8>)> {
        let mut waiting = self.lock();
        let upload = waiting.remove(id)?;
        if upload.login != login || upload.at.elapsed() >= UPLOAD_KEPT {
            return None;
        }
        Some((upload.name, upload.bytes))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Upload>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The name an upload is known by in messages and events: its file name only, never a
/// path the client chose.
pub fn upload_name(raw: Option<&str>) -> String {
    raw.and_then(|name| name.rsplit(['/', '\\']).next())
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("upload.csv")
        .to_string()
}

/// Imports `bytes` as `name`; the summary as the command line's JSON has it.
fn import(
    register: &mut Register,
    name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> handback::Result<Value> {
    let options = ImportOptions {
        dry_run,
        ..ImportOptions::default()
    };
    let summary = register.import(ImportSource::bytes(name, bytes), &options, &mut |_| {})?;
    serde_json::to_value(SummaryView::new(&summary, dry_run, |reason| {
        reason.to_string()
    }))
    .map_err(|e| handback::Error::invalid(format!("the summary could not be written: {e}")))
}

#[derive(Deserialize)]
pub struct ImportQuery {
    name: Option<String>,
    dry_run: Option<bool>,
}

async fn api_import(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(query): Query<ImportQuery>,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let name = upload_name(query.name.as_deref());
    let dry_run = query.dry_run.unwrap_or(false);
    let summary = as_caller(
        &app,
        credentials,
        Wants::Change(Permission::Operate, csrf_of(&headers)),
        move |mut register, _| import(&mut register, &name, bytes.to_vec(), dry_run),
    )
    .await?;
    Ok(json(StatusCode::OK, &summary))
}

/// The import page: the upload form; with `refused`, why the file was refused.
fn upload_page(lang: Lang, caller: &Caller, refused: Option<&Refused>) -> Response {
    let form = Form::new("import", lang, refused);
    let file = Control::File(".csv,.txt,.xlsx,.xlsm,.xls,.ods");
    let body = html! {
        h1 { (say(lang, "Import")) }
        (forms::summary(lang, refused))
        form #import method="post" action="/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(caller.csrf());
            (form.field(Field::new("file", "List file (CSV, Excel or OpenDocument)", file).required()))
            button { (say(lang, "Check the file")) }
        }
    };
    forms::answer(
        refused,
        page(lang, say(lang, "Import"), Some(caller), "/import", body),
    )
}

async fn import_page(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let wanted = Wants::Read(Permission::Operate);
    let ((), caller) = page_as(&app, credentials, lang, "/", wanted, |_, _| Ok(())).await?;
    Ok(upload_page(lang, &caller, None))
}

/// The uploaded form: its CSRF token, and the file with its name.
async fn read_upload(
    mut multipart: Multipart,
) -> Result<(Option<String>, String, Vec<u8>), Failure> {
    let (mut csrf, mut file) = (None, None);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        Failure::new(e.status(), "malformed_request", e.body_text())
    };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(unreadable)?),
            Some("file") => {
                let name = upload_name(field.file_name());
                file = Some((name, field.bytes().await.map_err(unreadable)?.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| Failure::malformed("the form has no file"))?;
    Ok((csrf, name, bytes))
}

async fn upload(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let (csrf, name, bytes) = read_upload(multipart)
        .await
        .map_err(IntoResponse::into_response)?;
    let uploads = app.uploads.clone();
    let wanted = Wants::Change(Permission::Operate, csrf);
    let typed = vec![("file".to_string(), name.clone())];
    let checked = run_as(&app, credentials, wanted, move |mut register, caller| {
        let summary = import(&mut register, &name, bytes.clone(), true)?;
        Ok((summary, uploads.keep(&caller.principal.login, name, bytes)?))
    })
    .await;
    match checked {
        Ok(((summary, id), caller)) => Ok(summary_page(lang, &caller, &summary, Some(&id))),
        Err(Turned::Refused(failure, caller)) => {
            let refused = Refused::new("import", &["file"], failure, typed);
            Ok(upload_page(lang, &caller, Some(&refused)))
        }
        Err(turned) => Err(turned.page(lang, "/import")),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    csrf: Option<String>,
    upload: String,
}

async fn confirm(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Posted(form): Posted<ConfirmForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let uploads = app.uploads.clone();
    let wanted = Wants::Change(Permission::Operate, form.csrf);
    let (summary, caller) = page_as(
        &app,
        credentials,
        lang,
        "/import",
        wanted,
        move |mut register, caller| match uploads.take(&caller.principal.login, &form.upload) {
            Some((name, bytes)) => import(&mut register, &name, bytes, false).map(Some),
            None => Ok(None),
        },
    )
    .await?;
    Ok(match summary {
        Some(summary) => summary_page(lang, &caller, &summary, None),
        None => layout::not_found_page(lang, Some(&caller)),
    })
}

/// What the import did or would do; with `upload`, the button that imports it.
fn summary_page(lang: Lang, caller: &Caller, summary: &Value, upload: Option<&str>) -> Response {
    let count = |field: &str| summary[field].as_u64().unwrap_or(0);
    let errors = summary["errors"].as_array().cloned().unwrap_or_default();
    let committed = summary["committed"].as_bool().unwrap_or(false);
    let outcome = match (upload, committed) {
        (Some(_), _) => "Nothing was imported yet: this is what the file would do.",
        (None, true) => "Imported.",
        (None, false) => "Nothing was imported: the file has refused rows.",
    };
    let body = html! {
        h1 { (say(lang, "Import")) ": " (summary["file"].as_str().unwrap_or("")) }
        p.done role="status" { (say(lang, outcome)) }
        (data_table(lang, "How the file's columns were read", &["Column in the file", "Read as"], html! { @for column in summary["columns"].as_array().into_iter().flatten() {
                tr {
                    td { (column["header"].as_str().unwrap_or("")) }
                    td { (column["field"].as_str().or(column["ignored"].as_str()).unwrap_or("")) }
                }
            } }))
        ul {
            li { (say(lang, "Rows")) ": " (count("rows")) }
            li { (say(lang, "People, new + updated")) ": " (count("people_created")) " + " (count("people_updated")) }
            li { (say(lang, "Devices, new + updated")) ": " (count("devices_created")) " + " (count("devices_updated")) }
            li { (say(lang, "Hand-outs")) ": " (count("handouts_opened")) ", " (say(lang, "transfers")) ": " (count("transfers")) ", " (say(lang, "already recorded")) ": " (count("duplicates")) }
        }
        @if !errors.is_empty() {
            (data_table(lang, "Refused rows", &["Line", "Problem"], html! { @for error in &errors {
                    tr { td { (error["line"].as_u64().unwrap_or(0)) } td lang="en" { (error["message"].as_str().unwrap_or("")) } }
                } }))
        }
        @if let Some(id) = upload {
            @if errors.is_empty() {
                form method="post" action="/import/confirm" {
                    input type="hidden" name="csrf" value=(caller.csrf());
                    input type="hidden" name="upload" value=(id);
                    button { (say(lang, "Import it")) }
                }
            }
        }
        p { a href="/import" { (say(lang, "Back")) } }
    };
    Html(page(lang, say(lang, "Import"), Some(caller), "/import", body).into_string())
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_named_by_its_file_name_alone() {
        assert_eq!(upload_name(Some("../../etc/lista.csv")), "lista.csv");
        assert_eq!(
            upload_name(Some("C:\\Users\\x\\Utlämnat.xlsx")),
            "Utlämnat.xlsx"
        );
        assert_eq!(upload_name(Some("  ")), "upload.csv");
        assert_eq!(upload_name(None), "upload.csv");
    }

    #[test]
    fn an_upload_is_taken_once_and_only_by_who_uploaded_it() {
        let uploads = Uploads::default();
        let id = uploads.keep("anna", "a.csv".into(), b"x".to_vec()).unwrap();
        assert!(uploads.take("lars", &id).is_none());
        let id = uploads.keep("anna", "a.csv".into(), b"x".to_vec()).unwrap();
        assert_eq!(uploads.take("anna", &id).unwrap().0, "a.csv");
        assert!(uploads.take("anna", &id).is_none());
    }
}

//! The pages: server-rendered HTML that works without JavaScript, in Swedish or English.
//! Every form that changes something carries the session's CSRF token. This module holds
//! signing in and out and the search; `people`, `devices`, `followup`, `imports` and
//! `users` hold the rest.

use super::auth::{self, Caller, Credentials, SeenBy, Wants, removal_cookie, session_cookie};
use super::failure::Failure;
use super::forms::{self, Control, Field, Form, Refused};
use super::layout::{self, encode, lang_of, page};
use super::words::say;
use super::{App, Lane};
use super::{devices, followup, people, scope, users};
use axum::Router;
use axum::extract::{Form as Posted, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use handback::domain::Register;
use handback::i18n::Lang;
use handback::model::account::Permission;
use handback::model::{Hit, HitKind};
use maud::{Markup, html};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/", get(home))
        .route("/assets/handback.css", get(layout::stylesheet))
        .route("/lang/{code}", get(layout::choose_lang))
        .route("/tillganglighet", get(super::statement::statement))
        .merge(people::routes())
        .merge(devices::routes())
        .merge(followup::routes())
        .merge(users::routes())
}

/// Where a form returns to, and what it did (`?done=`).
#[derive(Deserialize, Default)]
pub struct Done {
    pub done: Option<String>,
}

/// The sentence a page shows for what its form did.
pub fn done_note(lang: Lang, done: &Done) -> Markup {
    html! {
        @if let Some(sentence) = layout::done_sentence(lang, done.done.as_deref()) {
            p.done role="status" { (sentence) }
        }
    }
}

/// Why a page's request was not done: an answer to give as it is (sign in first), the
/// caller may not (the role, the CSRF token), or the work was refused, which a form's page
/// shows next to the form.
pub enum Turned {
    Away(Response),
    Denied(Failure, Caller),
    Refused(Failure, Caller),
}

impl Turned {
    /// The page that says why.
    pub fn page(self, lang: Lang, back: &str) -> Response {
        match self {
            Turned::Away(answer) => answer,
            Turned::Denied(failure, caller) | Turned::Refused(failure, caller) => {
                layout::refused_page(lang, &caller, back, failure)
            }
        }
    }
}

/// Admits a request and runs its work as the caller, in one trip to the blocking pool; the
/// caller comes back with the result, for the page's frame. Without a session the browser
/// goes to the sign-in page.
pub async fn run_as<T: Send + 'static>(
    app: &App,
    credentials: Credentials,
    wanted: Wants,
    work: impl FnOnce(Register, &Caller) -> handback::Result<T> + Send + 'static,
) -> Result<(T, Caller), Turned> {
    let served = app
        .on_pool(wanted.lane(), move |mut register| {
            let caller = match credentials.caller(&mut register) {
                Ok(Some(caller)) => caller,
                Ok(None) | Err(_) => return Err((Failure::unauthenticated(), None, false)),
            };
            if let Err(failure) = caller.permits(&wanted) {
                return Err((failure, Some(caller), false));
            }
            match work(register.acting_as(&caller.principal.login), &caller).seen_by(&caller) {
                Ok(done) => Ok((done, caller)),
                Err(failure) => Err((failure, Some(caller), true)),
            }
        })
        .await;
    match served {
        Ok(Ok(done)) => Ok(done),
        Ok(Err((_, None, _))) => Err(Turned::Away(Redirect::to("/login").into_response())),
        Ok(Err((failure, Some(caller), true))) => Err(Turned::Refused(failure, caller)),
        Ok(Err((failure, Some(caller), false))) => Err(Turned::Denied(failure, caller)),
        Err(stopped) => Err(Turned::Away(stopped.into_response())),
    }
}

/// As [`run_as`], with a refusal answered by the page that says why.
pub async fn page_as<T: Send + 'static>(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    back: &str,
    wanted: Wants,
    work: impl FnOnce(Register, &Caller) -> handback::Result<T> + Send + 'static,
) -> Result<(T, Caller), Response> {
    run_as(app, credentials, wanted, work)
        .await
        .map_err(|turned| turned.page(lang, back))
}

/// As [`run_as`] for a form's change: what was done, or the refusal to show next to the
/// form; any other answer is the page that says why.
pub async fn form_as<T: Send + 'static>(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    back: &str,
    wanted: Wants,
    work: impl FnOnce(Register, &Caller) -> handback::Result<T> + Send + 'static,
) -> Result<Result<(T, Caller), Failure>, Response> {
    match run_as(app, credentials, wanted, work).await {
        Ok(done) => Ok(Ok(done)),
        Err(Turned::Refused(failure, _)) => Ok(Err(failure)),
        Err(turned) => Err(turned.page(lang, back)),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
}

/// The sign-in form; after a refused sign-in, the login typed and why.
fn login_form(lang: Lang, refused: Option<&Refused>) -> Markup {
    let form = Form::new("login", lang, refused);
    page(
        lang,
        say(lang, "Sign in"),
        None,
        "/login",
        html! {
            h1 { (say(lang, "Sign in")) }
            (forms::summary(lang, refused))
            form #login method="post" action="/login" {
                (form.field(Field::new("login", "Login", Control::Text).required().autofocus().autocomplete("username")))
                (form.field(Field::new("password", "Password", Control::Password).required().autocomplete("current-password")))
                button { (say(lang, "Sign in")) }
            }
        },
    )
}

/// A refused sign-in: the form again, with the login typed and `problem` at it.
fn refused_sign_in(lang: Lang, status: StatusCode, login: String, problem: &str) -> Response {
    let failure = Failure::new(status, "refused", problem);
    let typed = vec![("login".to_string(), login)];
    let refused = Refused::new("login", &["login", "password"], failure, typed)
        .at("login")
        .worded_in(lang);
    forms::answer(Some(&refused), login_form(lang, Some(&refused)))
}

async fn login_page(headers: HeaderMap) -> Html<String> {
    Html(login_form(lang_of(&headers), None).into_string())
}

/// Signs in: 303 to `/` with a new session cookie, or the form again with why not. The
/// form has no CSRF token of its own: there is no session yet, and the cookie is
/// `SameSite=Strict`, so another site cannot sign a browser in.
async fn login(
    State(app): State<App>,
    headers: HeaderMap,
    ClientAddress(client): ClientAddress,
    jar: CookieJar,
    Posted(form): Posted<LoginForm>,
) -> Response {
    let lang = lang_of(&headers);
    if app.throttle.check(&form.login, client).is_err() {
        let problem = say(
            lang,
            "Too many failed sign-ins: wait a while and try again.",
        );
        return refused_sign_in(lang, StatusCode::TOO_MANY_REQUESTS, form.login, problem);
    }
    let login = form.login.clone();
    let client_text = client.to_string();
    let signed_in = app
        .on_pool(Lane::SignIn, move |register| {
            let mut register = register.acting_as(&form.login);
            register.sign_in(&form.login, &form.password, &client_text)
        })
        .await;
    let signed_in = match signed_in {
        Ok(signed_in) => signed_in,
        Err(stopped) => return stopped.into_response(),
    };
    match signed_in {
        Ok(session) => {
            app.throttle.succeeded(&login);
            let jar = jar.add(session_cookie(&session, app.secure_cookies));
            (jar, Redirect::to("/")).into_response()
        }
        Err(handback::Error::Refusal(handback::refusal::Refusal::BadCredentials)) => {
            app.throttle.failed(&login, client);
            let problem = say(lang, "The login or the password is wrong.");
            refused_sign_in(lang, StatusCode::UNAUTHORIZED, login, problem)
        }
        Err(error) => Failure::from_error(&error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    jar: CookieJar,
    Posted(form): Posted<CsrfForm>,
) -> Result<Response, Response> {
    let wanted = Wants::Change(Permission::Read, form.csrf);
    page_as(
        &app,
        credentials,
        lang_of(&headers),
        "/",
        wanted,
        |mut register, caller| match &caller.session {
            Some(session) => register.sign_out(session, &caller.client.to_string()),
            None => Ok(()),
        },
    )
    .await?;
    let jar = jar.add(removal_cookie(app.secure_cookies));
    Ok((jar, Redirect::to("/login")).into_response())
}

/// The client's address, for the throttle and the account events.
pub struct ClientAddress(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(auth::client_of(parts)))
    }
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

fn hit_path(hit: &Hit) -> String {
    match hit.kind {
        HitKind::Device => format!("/devices/{}", encode(&hit.id)),
        HitKind::Person => format!("/people/{}", encode(&hit.id)),
    }
}

/// What a hit's link says: its label, with the serial or number it goes by when the label
/// does not name it (two laptops are told apart by their serials).
fn hit_text(hit: &Hit) -> String {
    if hit.label.contains(&hit.id) {
        hit.label.clone()
    } else {
        format!("{} ({})", hit.label, hit.id)
    }
}

/// The search box. A scanner types a serial and Enter: a device or person that matches
/// exactly what was typed opens at once.
async fn home(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(query): Query<SearchQuery>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let text = query.q.unwrap_or_default();
    let typed = text.clone();
    let wanted = Wants::Read(Permission::Read);
    let (hits, caller) = page_as(
        &app,
        credentials,
        lang,
        "/",
        wanted,
        move |register, seen| {
            if typed.trim().is_empty() {
                return Ok(Vec::new());
            }
            let hits = register.find(&typed)?;
            Ok(scope::visible_hits(&register, seen, hits))
        },
    )
    .await?;
    if let Some(exact) = hits.iter().find(|hit| hit.score >= 1.0)
        && hits.iter().filter(|hit| hit.score >= 1.0).count() == 1
    {
        return Ok(Redirect::to(&hit_path(exact)).into_response());
    }
    let body = html! {
        h1 { (say(lang, "Search the register")) }
        form method="get" action="/" role="search" {
            label for="q" { (say(lang, "Name, number, e-mail, serial or asset tag")) }
            br;
            input #q type="search" name="q" value=(text) autofocus;
            " " button { (say(lang, "Search")) }
        }
        @if !text.trim().is_empty() && hits.is_empty() { p role="status" { (say(lang, "Nothing matches.")) } }
        @if !hits.is_empty() {
            h2 { (say(lang, "Results")) }
            ul {
                @for hit in &hits {
                    li { a href=(hit_path(hit)) { (hit_text(hit)) } }
                }
            }
        }
    };
    let here = format!("/?q={}", encode(&text));
    Ok(Html(page(lang, "handback", Some(&caller), &here, body).into_string()).into_response())
}

/// Any path no route serves: JSON under `/api`, a page elsewhere.
pub async fn not_found(headers: HeaderMap) -> Response {
    layout::not_found_page(lang_of(&headers), None)
}

//! The pages: server-rendered HTML that works without JavaScript, in Swedish or English
//! (the browser's `Accept-Language`). Every form that changes something carries the
//! session's CSRF token.

use super::App;
use super::auth::{self, Caller, removal_cookie, session_cookie};
use super::failure::Failure;
use axum::Router;
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use handback::model::account::Permission;
use handback::model::{DeviceDetail, Holdings};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/", get(home))
        .route("/people/{who}", get(person))
        .route("/devices/{serial}", get(device))
        .route("/assets/handback.css", get(stylesheet))
}

/// The pages' one stylesheet, served from the binary: the content security policy allows
/// no inline style and nothing from elsewhere.
async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// The language of a page: Swedish when the browser puts it before English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tongue {
    Sv,
    En,
}

fn tongue(headers: &HeaderMap) -> Tongue {
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let position = |code: &str| {
        accepted
            .split(',')
            .position(|part| part.trim().to_ascii_lowercase().starts_with(code))
    };
    match (position("sv"), position("en")) {
        (Some(sv), Some(en)) if sv < en => Tongue::Sv,
        (Some(_), None) => Tongue::Sv,
        _ => Tongue::En,
    }
}

/// The words of the pages, in both languages.
fn say(tongue: Tongue, english: &'static str) -> &'static str {
    if tongue == Tongue::En {
        return english;
    }
    match english {
        "Sign in" => "Logga in",
        "Sign out" => "Logga ut",
        "Login" => "Användarnamn",
        "Password" => "Lösenord",
        "Search" => "Sök",
        "Name, number, e-mail, serial or asset tag" => {
            "Namn, nummer, e-post, serienummer eller inventarienummer"
        }
        "Nothing matches." => "Inget matchar.",
        "Holds" => "Innehar",
        "Holds nothing." => "Innehar ingenting.",
        "Department" => "Enhet",
        "Employee number" => "Anställningsnummer",
        "E-mail" => "E-post",
        "Last working day" => "Sista arbetsdag",
        "Serial" => "Serienummer",
        "Kind" => "Typ",
        "Model" => "Modell",
        "Status" => "Status",
        "Holder" => "Innehavare",
        "Since" => "Sedan",
        "History" => "Historik",
        "Not found" => "Hittades inte",
        "The login or the password is wrong." => "Användarnamnet eller lösenordet är fel.",
        "Too many failed sign-ins: wait a while and try again." => {
            "För många misslyckade inloggningar: vänta en stund och försök igen."
        }
        other => other,
    }
}

fn page(tongue: Tongue, title: &str, caller: Option<&Caller>, body: Markup) -> Markup {
    let lang = if tongue == Tongue::Sv { "sv" } else { "en" };
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · handback" }
                link rel="stylesheet" href="/assets/handback.css";
            }
            body {
                header {
                    a href="/" { "handback" }
                    @if let Some(caller) = caller {
                        form method="post" action="/logout" class="out" {
                            span { (caller.principal.name) " (" (caller.principal.role) ")" }
                            input type="hidden" name="csrf" value=(caller.csrf());
                            button { (say(tongue, "Sign out")) }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

const STYLE: &str = "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a}
header{display:flex;justify-content:space-between;align-items:center;padding:.6rem 1rem;
background:#17324d;color:#fff;flex-wrap:wrap;gap:.5rem}header a{color:#fff;font-weight:600;
text-decoration:none}.out span{margin-right:.6rem}main{padding:1rem;max-width:60rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #ddd;vertical-align:top}.serial{font-family:ui-monospace,monospace;
white-space:nowrap}input[type=search]{width:100%;max-width:30rem;font-size:1.1rem;padding:.4rem}
.error{color:#a00}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{font-weight:600}";

/// A page's caller: without a session the browser goes to the sign-in page.
pub struct PageCaller(pub Caller);

impl FromRequestParts<App> for PageCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        match auth::resolve(parts, app).await {
            Ok(Some(caller)) => Ok(PageCaller(caller)),
            Ok(None) | Err(_) => Err(Redirect::to("/login").into_response()),
        }
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
}

fn login_form(tongue: Tongue, problem: Option<&str>) -> Markup {
    page(
        tongue,
        say(tongue, "Sign in"),
        None,
        html! {
            h1 { (say(tongue, "Sign in")) }
            @if let Some(problem) = problem { p.error { (problem) } }
            form method="post" action="/login" {
                p { label { (say(tongue, "Login")) br; input name="login" autocomplete="username" required autofocus; } }
                p { label { (say(tongue, "Password")) br; input name="password" type="password" autocomplete="current-password" required; } }
                button { (say(tongue, "Sign in")) }
            }
        },
    )
}

async fn login_page(headers: HeaderMap) -> Html<String> {
    Html(login_form(tongue(&headers), None).into_string())
}

/// Signs in: 303 to `/` with a new session cookie, or the form again with why not. The
/// form has no CSRF token of its own: there is no session yet, and the cookie is
/// `SameSite=Strict`, so another site cannot sign a browser in.
async fn login(
    State(app): State<App>,
    headers: HeaderMap,
    parts: ClientAddress,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let tongue = tongue(&headers);
    let client = parts.0;
    if app.throttle.check(&form.login, client).is_err() {
        let problem = say(
            tongue,
            "Too many failed sign-ins: wait a while and try again.",
        );
        return (
            StatusCode::TOO_MANY_REQUESTS,
            Html(login_form(tongue, Some(problem)).into_string()),
        )
            .into_response();
    }
    let login = form.login.clone();
    let client_text = client.to_string();
    let signed_in = app
        .blocking(&login, move |mut register| {
            register.sign_in(&form.login, &form.password, &client_text)
        })
        .await;
    match signed_in {
        Ok(session) => {
            app.throttle.succeeded(&login);
            let jar = jar.add(session_cookie(&session, app.secure_cookies));
            (jar, Redirect::to("/")).into_response()
        }
        Err(handback::Error::Refusal(handback::refusal::Refusal::BadCredentials)) => {
            app.throttle.failed(&login, client);
            let problem = say(tongue, "The login or the password is wrong.");
            (
                StatusCode::UNAUTHORIZED,
                Html(login_form(tongue, Some(problem)).into_string()),
            )
                .into_response()
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
    PageCaller(caller): PageCaller,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, Failure> {
    caller.check_csrf(form.csrf.as_deref())?;
    if let Some(session) = caller.session.clone() {
        let client = caller.client.to_string();
        app.blocking(&caller.principal.login, move |mut register| {
            register.sign_out(&session, &client)
        })
        .await?;
    }
    let jar = jar.add(removal_cookie(app.secure_cookies));
    Ok((jar, Redirect::to("/login")).into_response())
}

/// The client's address, for the throttle and the account events.
pub struct ClientAddress(std::net::IpAddr);

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

/// The search box. A scanner types a serial and Enter: one device that matches exactly
/// opens its page at once.
async fn home(
    State(app): State<App>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Query(query): Query<SearchQuery>,
) -> Result<Response, Failure> {
    let tongue = tongue(&headers);
    let text = query.q.unwrap_or_default();
    let hits = if text.trim().is_empty() {
        Vec::new()
    } else {
        search(&app, &caller, text.clone()).await?
    };
    if let [hit] = hits.as_slice()
        && hit.score >= 1.0
    {
        let place = match hit.kind {
            handback::model::HitKind::Device => format!("/devices/{}", encode(&hit.id)),
            handback::model::HitKind::Person => format!("/people/{}", encode(&hit.id)),
        };
        return Ok(Redirect::to(&place).into_response());
    }
    let body = html! {
        form method="get" action="/" {
            input type="search" name="q" value=(text) autofocus
                placeholder=(say(tongue, "Name, number, e-mail, serial or asset tag"));
            " " button { (say(tongue, "Search")) }
        }
        @if !text.trim().is_empty() && hits.is_empty() { p { (say(tongue, "Nothing matches.")) } }
        @if !hits.is_empty() {
            ul {
                @for hit in &hits {
                    @let place = match hit.kind {
                        handback::model::HitKind::Device => format!("/devices/{}", encode(&hit.id)),
                        handback::model::HitKind::Person => format!("/people/{}", encode(&hit.id)),
                    };
                    li { a href=(place) { (hit.label) } }
                }
            }
        }
    };
    Ok(Html(page(tongue, "handback", Some(&caller), body).into_string()).into_response())
}

/// The hits the caller may see.
async fn search(
    app: &App,
    caller: &Caller,
    text: String,
) -> Result<Vec<handback::model::Hit>, Failure> {
    caller.require(Permission::Read)?;
    let seen = caller.clone();
    let confined = caller.confined();
    app.blocking(&caller.principal.login, move |register| {
        let hits = register.find(&text)?;
        Ok(hits
            .into_iter()
            .filter(|hit| {
                !confined
                    || match hit.kind {
                        handback::model::HitKind::Person => {
                            register.holdings(&hit.id).is_ok_and(|h| {
                                seen.principal
                                    .sees_department(h.person.department.as_deref())
                            })
                        }
                        handback::model::HitKind::Device => register
                            .device_detail(&hit.id)
                            .is_ok_and(|d| visible_holder(&seen, &d)),
                    }
            })
            .collect())
    })
    .await
    .map_err(|e| Failure::from_error_for(&e, confined))
}

fn visible_holder(caller: &Caller, detail: &DeviceDetail) -> bool {
    !caller.confined()
        || detail.holder.as_ref().is_some_and(|holder| {
            caller
                .principal
                .sees_department(holder.department.as_deref())
        })
}

/// Text for a path or query: everything but letters, digits and `-._~` percent-encoded.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

async fn person(
    State(app): State<App>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(who): Path<String>,
) -> Result<Response, Failure> {
    let tongue = tongue(&headers);
    caller.require(Permission::Read)?;
    let seen = caller.clone();
    let holdings: Option<Holdings> = app
        .blocking(&caller.principal.login, move |register| {
            let holdings = register.holdings(&who)?;
            Ok(seen
                .principal
                .sees_department(holdings.person.department.as_deref())
                .then_some(holdings))
        })
        .await
        .map_err(|e| Failure::from_error_for(&e, caller.confined()))
        .ok()
        .flatten();
    let Some(holdings) = holdings else {
        return Ok(not_found_page(tongue, Some(&caller)));
    };
    let person = &holdings.person;
    let body = html! {
        h1 { (person.name) }
        dl {
            @if let Some(number) = &person.employee_no { dt { (say(tongue, "Employee number")) } dd { (number) } }
            @if let Some(email) = &person.email { dt { (say(tongue, "E-mail")) } dd { (email) } }
            @if let Some(department) = &person.department { dt { (say(tongue, "Department")) } dd { (department) } }
            @if let Some(day) = person.end_date { dt { (say(tongue, "Last working day")) } dd { (day.to_string()) } }
        }
        h2 { (say(tongue, "Holds")) }
        @if holdings.items.is_empty() {
            p { (say(tongue, "Holds nothing.")) }
        } @else {
            table {
                tr { th { (say(tongue, "Serial")) } th { (say(tongue, "Kind")) } th { (say(tongue, "Model")) } th { (say(tongue, "Since")) } }
                @for item in &holdings.items {
                    tr {
                        td.serial { a href=(format!("/devices/{}", encode(&item.serial))) { (item.serial) } }
                        td { (item.kind) }
                        td { (item.make.as_deref().unwrap_or("")) " " (item.model.as_deref().unwrap_or("")) }
                        td { (item.handed_out_on.to_string()) }
                    }
                }
            }
        }
    };
    Ok(Html(page(tongue, &person.name, Some(&caller), body).into_string()).into_response())
}

async fn device(
    State(app): State<App>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(serial): Path<String>,
) -> Result<Response, Failure> {
    let tongue = tongue(&headers);
    caller.require(Permission::Read)?;
    let detail = app
        .blocking(&caller.principal.login, move |register| {
            register.device_detail(&serial)
        })
        .await
        .ok()
        .filter(|detail| visible_holder(&caller, detail));
    let Some(detail) = detail else {
        return Ok(not_found_page(tongue, Some(&caller)));
    };
    let zone = app.register.zone();
    let device = &detail.device;
    let body = html! {
        h1.serial { (device.serial) }
        dl {
            dt { (say(tongue, "Kind")) } dd { (device.kind) }
            dt { (say(tongue, "Model")) } dd { (device.description()) }
            dt { (say(tongue, "Status")) } dd { (device.status.plain()) " (" (zone.date_of(device.status_since).to_string()) ")" }
            @if let Some(holder) = &detail.holder {
                dt { (say(tongue, "Holder")) }
                dd { a href=(format!("/people/{}", encode(&holder.reference()))) { (holder.label()) } }
            }
        }
        h2 { (say(tongue, "History")) }
        table {
            @for event in &detail.history {
                tr {
                    td { (zone.date_of(event.at).to_string()) }
                    td { (event.action.replace('_', " ")) }
                    td { (event.person.as_deref().unwrap_or("")) }
                    td { (event.actor) }
                }
            }
        }
    };
    Ok(Html(page(tongue, &device.serial, Some(&caller), body).into_string()).into_response())
}

fn not_found_page(tongue: Tongue, caller: Option<&Caller>) -> Response {
    let body = html! { h1 { (say(tongue, "Not found")) } p { a href="/" { "handback" } } };
    (
        StatusCode::NOT_FOUND,
        Html(page(tongue, say(tongue, "Not found"), caller, body).into_string()),
    )
        .into_response()
}

/// Any path no route serves.
pub async fn not_found(headers: HeaderMap) -> Response {
    not_found_page(tongue(&headers), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_is_chosen_when_the_browser_prefers_it() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            "sv-SE,sv;q=0.9,en;q=0.8".parse().unwrap(),
        );
        assert_eq!(tongue(&headers), Tongue::Sv);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            "en-GB,en;q=0.9,sv;q=0.5".parse().unwrap(),
        );
        assert_eq!(tongue(&headers), Tongue::En);
        assert_eq!(tongue(&HeaderMap::new()), Tongue::En);
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode("5ZK Q/9"), "5ZK%20Q%2F9");
        assert_eq!(encode("Åsa"), "%C3%85sa");
    }
}

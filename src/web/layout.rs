//! What every page shares: the frame with its navigation, the stylesheet, the language,
//! the answer to a refused form, and paths built from values.

use super::auth::Caller;
use super::failure::Failure;
use super::words::say;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use handback::i18n::Lang;
use handback::model::account::Permission;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

const LANG_COOKIE: &str = "handback_lang";

/// The language of a page: the one the user chose (a cookie), else Swedish when the
/// browser puts it before English, else English.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    if let Some(chosen) = jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
        return chosen;
    }
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
        (Some(sv), Some(en)) if sv < en => Lang::Sv,
        (Some(_), None) => Lang::Sv,
        _ => Lang::En,
    }
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /lang/{sv|en}?back=PATH`: remembers the choice and goes back to the page.
pub async fn choose_lang(
    axum::extract::Path(code): axum::extract::Path<String>,
    Query(back): Query<Back>,
    jar: CookieJar,
) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Strict)
        .permanent()
        .build();
    (
        jar.add(cookie),
        Redirect::to(&local_path(back.back.as_deref())),
    )
        .into_response()
}

/// A path on this site to go back to: never another site (`//host`, `https://…`).
pub fn local_path(raw: Option<&str>) -> String {
    match raw {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// One page: a link past the header to the content, the header with what the caller may
/// open, `body` as the page's main content, and the footer with the accessibility
/// statement.
pub fn page(lang: Lang, title: &str, caller: Option<&Caller>, here: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · handback" }
                link rel="stylesheet" href="/assets/handback.css";
            }
            body {
                a.skip href="#main" { (say(lang, "Skip to content")) }
                header {
                    a.brand href="/" { "handback" }
                    @if let Some(caller) = caller {
                        nav aria-label=(say(lang, "Main menu")) { @for (path, label) in navigation(caller) {
                            a href=(path) aria-current=[(path == here).then_some("page")] { (say(lang, label)) }
                        } }
                    }
                    div.who {
                        @let back = encode(here);
                        a href=(format!("/lang/sv?back={back}")) lang="sv" hreflang="sv" { "Svenska" }
                        " · "
                        a href=(format!("/lang/en?back={back}")) lang="en" hreflang="en" { "English" }
                        @if let Some(caller) = caller {
                            form method="post" action="/logout" {
                                span { (caller.principal.name) " (" span lang="en" { (caller.principal.role) } ")" }
                                input type="hidden" name="csrf" value=(caller.csrf());
                                button { (say(lang, "Sign out")) }
                            }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer {
                    a href="/tillganglighet" { (say(lang, "Accessibility statement")) }
                }
            }
        }
    }
}

/// A table of data: its caption saying what it lists, its column names, and `rows`. On a
/// narrow screen it scrolls within itself, in a region that takes the keyboard's focus so
/// that it scrolls without a mouse too.
pub fn data_table(
    lang: Lang,
    caption: &'static str,
    columns: &[&'static str],
    rows: Markup,
) -> Markup {
    html! {
        div.scroll role="region" aria-label=(say(lang, caption)) tabindex="0" {
            table {
                caption { (say(lang, caption)) }
                thead { tr { @for column in columns { th scope="col" { (say(lang, column)) } } } }
                tbody { (rows) }
            }
        }
    }
}

/// The pages a caller's role may open, in the order the header lists them.
fn navigation(caller: &Caller) -> Vec<(&'static str, &'static str)> {
    let mut links = vec![("/", "Search")];
    if caller.principal.may(Permission::Operate) {
        links.push(("/handout", "Hand out"));
    }
    if caller.principal.may(Permission::ReadAll) {
        links.push(("/stock", "Stock"));
    }
    links.extend([
        ("/leavers", "Leavers"),
        ("/overdue", "Overdue"),
        ("/report", "Report"),
    ]);
    if caller.principal.may(Permission::Operate) {
        links.push(("/import", "Import"));
    }
    if caller.principal.may(Permission::ManageAccounts) {
        links.push(("/users", "Accounts"));
    }
    links
}

/// Colours are chosen for a contrast of at least 4.5:1 (links #0b4f8a and the muted
/// #4a4a4a on white, white on the header's #17324d); the focus outline is 3 px, dark blue on
/// light, yellow on the dark header. Nothing is wider than a phone's 320 px: tables scroll
/// within themselves, long words wrap.
pub const STYLE: &str = "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
a{color:#0b4f8a}a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid #0b4f8a;outline-offset:2px}
header :focus-visible,.skip:focus-visible{outline-color:#ffdd00}
.skip{position:absolute;left:.5rem;top:-10rem;background:#17324d;color:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{top:.5rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1rem;
background:#17324d;color:#fff;flex-wrap:wrap;gap:.5rem}header a{color:#fff}
header nav a{text-decoration:none;padding:.1rem 0}header nav a[aria-current=page]{text-decoration:underline;
text-underline-offset:.3rem;text-decoration-thickness:3px}
.brand{font-weight:700;text-decoration:none}nav{display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.who{display:flex;gap:.4rem;align-items:center;flex-wrap:wrap}.who form{display:inline;margin-left:.6rem}
.who form>span{margin-right:.4rem}
main{display:block;padding:1rem;max-width:64rem;overflow-wrap:anywhere}main:focus{outline:none}
footer{padding:1rem;border-top:1px solid #ccc;margin-top:2rem}
table{border-collapse:collapse;width:100%}.scroll{overflow-x:auto;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.3rem 0;color:#4a4a4a}
td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
.serial{font-family:ui-monospace,monospace}td.serial,.day,th{white-space:nowrap}
table{overflow-wrap:normal}
input,select,textarea,button{font:inherit;max-width:100%;box-sizing:border-box}
input[type=search]{width:30rem;font-size:1.1rem;padding:.4rem}
textarea{width:30rem;min-height:6rem;font-family:ui-monospace,monospace}
input,select,textarea{border:1px solid #595959;padding:.25rem .4rem}
.field{margin:.5rem 0}.field>label{display:block;font-weight:600}.field.tick>label{display:inline;font-weight:400}
[aria-invalid=true]{border:3px solid #a00}
.field-error,.error{color:#a00;font-weight:600;margin:.2rem 0}.done{color:#065f2c;font-weight:600}
.error-summary{border:4px solid #a00;padding:.5rem 1rem;margin:1rem 0}.error-summary:focus{outline:3px solid #0b4f8a}
.error-summary h2{margin:.2rem 0;font-size:1.2rem}.error-summary a{color:#a00;font-weight:600}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
fieldset{border:1px solid #595959;margin:1rem 0;padding:.5rem 1rem;min-width:0}legend{font-weight:600}
button{padding:.3rem .8rem}
@media (max-width:40rem){td,th{padding:.25rem}main{padding:.6rem}
dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}caption{max-width:calc(100vw - 1.5rem);position:sticky;left:0}}
@media print{header,form,fieldset,footer,.skip{display:none}}";

/// The pages' one stylesheet, served from the binary: the content security policy allows
/// no inline style and nothing from elsewhere.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// A document the CLI writes too (checklist, receipt, report), as printable HTML. It
/// carries its own style, as a file written by the CLI must: the content security policy
/// allows exactly those style blocks, by their digest, and still nothing else.
pub fn document(html: String) -> Response {
    let policy = format!(
        "default-src 'self'; style-src 'self'{}",
        style_digests(&html)
    );
    match HeaderValue::from_str(&policy) {
        Ok(policy) => ([(header::CONTENT_SECURITY_POLICY, policy)], Html(html)).into_response(),
        Err(_) => Html(html).into_response(),
    }
}

/// ` 'sha256-…'` for each `<style>` block of a document.
fn style_digests(html: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut digests = String::new();
    for block in html.split("<style>").skip(1) {
        if let Some((css, _)) = block.split_once("</style>") {
            let digest = sha2::Sha256::digest(css.as_bytes());
            let encoded = base64::engine::general_purpose::STANDARD.encode(digest);
            digests.push_str(&format!(" 'sha256-{encoded}'"));
        }
    }
    digests
}

pub use handback::render::encode;

/// A page that says what was not found, without saying whether it exists.
pub fn not_found_page(lang: Lang, caller: Option<&Caller>) -> Response {
    let body = html! { h1 { (say(lang, "Not found")) } p { a href="/" { (say(lang, "Back")) } } };
    (
        StatusCode::NOT_FOUND,
        Html(page(lang, say(lang, "Not found"), caller, "/", body).into_string()),
    )
        .into_response()
}

/// A form that was refused: why, with the status the API gives the same refusal.
pub fn refused_page(lang: Lang, caller: &Caller, back: &str, failure: Failure) -> Response {
    if failure.status == StatusCode::NOT_FOUND {
        return not_found_page(lang, Some(caller));
    }
    let body = html! {
        h1 { (say(lang, "Refused")) }
        p.error role="alert" lang="en" { (failure.message) }
        p { a href=(local_path(Some(back))) { (say(lang, "Back")) } }
    };
    (
        failure.status,
        Html(page(lang, say(lang, "Refused"), Some(caller), back, body).into_string()),
    )
        .into_response()
}

/// What a form did, for the page it returns to (`?done=KEY`): a fixed sentence, never text
/// from the request.
pub fn done_sentence(lang: Lang, key: Option<&str>) -> Option<&'static str> {
    let english = match key? {
        "handed-out" => "Handed out.",
        "taken-back" => "Taken back.",
        "transferred" => "Transferred.",
        "replaced" => "Replaced.",
        "lost" => "Marked lost.",
        "in-stock" => "Back in stock.",
        "recycled" => "Recycled.",
        "leave" => "Last working day recorded.",
        "account-added" => "Account added.",
        "account-disabled" => "Account disabled.",
        _ => "Done.",
    };
    Some(say(lang, english))
}

/// Back to `path`, saying what was done.
pub fn done_redirect(path: &str, key: &str) -> Response {
    Redirect::to(&format!("{path}?done={key}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_is_chosen_when_the_browser_prefers_it_or_the_user_chose_it() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            "sv-SE,sv;q=0.9,en;q=0.8".parse().unwrap(),
        );
        assert_eq!(lang_of(&headers), Lang::Sv);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            "en-GB,en;q=0.9,sv;q=0.5".parse().unwrap(),
        );
        assert_eq!(lang_of(&headers), Lang::En);
        headers.insert(header::COOKIE, "handback_lang=sv".parse().unwrap());
        assert_eq!(lang_of(&headers), Lang::Sv);
        assert_eq!(lang_of(&HeaderMap::new()), Lang::En);
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode("5ZK Q/9"), "5ZK%20Q%2F9");
        assert_eq!(encode("Åsa"), "%C3%85sa");
    }

    #[test]
    fn a_document_s_style_blocks_are_allowed_by_their_digest() {
        // The digest of `p{}` (`printf 'p{}' | openssl dgst -sha256 -binary | base64`).
        assert_eq!(
            style_digests("<html><style>p{}</style></html>"),
            " 'sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y='"
        );
        assert_eq!(style_digests("<p>no style</p>"), "");
    }

    #[test]
    fn going_back_never_leaves_the_site() {
        assert_eq!(local_path(Some("/people/4471")), "/people/4471");
        for outside in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "people",
        ] {
            assert_eq!(local_path(Some(outside)), "/", "{outside}");
        }
    }
}

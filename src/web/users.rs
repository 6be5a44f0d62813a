//! `/users`: the accounts, for admins: add one, disable one.

use super::App;
use super::auth::{Credentials, Wants};
use super::layout::{done_redirect, encode, lang_of, page};
use super::pages::{Done, done_note, page_as};
use super::words::say;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use handback::domain::NewAccount;
use handback::model::account::{Permission, Role};
use maud::html;
use serde::Deserialize;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/users", get(accounts).post(add))
        .route("/users/{login}/disable", post(disable))
}

async fn accounts(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Query(done): Query<Done>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let (accounts, caller) = page_as(
        &app,
        credentials,
        lang,
        "/users",
        Wants::Read(Permission::ManageAccounts),
        move |register, _seen| register.accounts(),
    )
    .await?;
    let csrf = caller.csrf();
    let body = html! {
        h1 { (say(lang, "Accounts")) }
        (done_note(lang, &done))
        table {
            tr { th { (say(lang, "Login")) } th { (say(lang, "Name")) } th { (say(lang, "Role")) } th { (say(lang, "Departments")) } th {} }
            @for account in &accounts {
                tr {
                    td { (account.login) }
                    td { (account.name) }
                    td { (account.role) }
                    td { (account.departments.join(", ")) }
                    td {
                        @if account.disabled_at.is_some() { (say(lang, "disabled")) } @else {
                            form method="post" action=(format!("/users/{}/disable", encode(&account.login))) {
                                input type="hidden" name="csrf" value=(csrf);
                                button { (say(lang, "Disable")) }
                            }
                        }
                    }
                }
            }
        }
        fieldset {
            legend { (say(lang, "Add account")) }
            form method="post" action="/users" {
                input type="hidden" name="csrf" value=(csrf);
                label { (say(lang, "Login")) " " input name="login" required; }
                label { (say(lang, "Name")) " " input name="name" required; }
                label { (say(lang, "Role")) " " select name="role" {
                    @for role in Role::ALL { option value=(role.as_str()) { (role.as_str()) } }
                } }
                label { (say(lang, "Departments")) " " input name="departments" placeholder="Gatukontoret, Miljöförvaltningen"; }
                label { (say(lang, "Password")) " " input name="password" type="password" required autocomplete="new-password"; }
                button { (say(lang, "Add account")) }
            }
        }
    };
    Ok(
        Html(page(lang, say(lang, "Accounts"), Some(&caller), "/users", body).into_string())
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct AddForm {
    csrf: Option<String>,
    login: String,
    name: String,
    role: String,
    departments: Option<String>,
    password: String,
}

async fn add(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    page_as(
        &app,
        credentials,
        lang,
        "/users",
        Wants::Change(Permission::ManageAccounts, form.csrf.clone()),
        move |mut register, _seen| {
            let role = Role::parse(&form.role).ok_or_else(|| {
                handback::Error::invalid(format!("{:?} is not a role", form.role))
            })?;
            let departments: Vec<String> = form
                .departments
                .unwrap_or_default()
                .split(',')
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect();
            register.add_account(&NewAccount {
                login: &form.login,
                name: &form.name,
                role,
                departments: &departments,
                password: &form.password,
            })
        },
    )
    .await?;
    Ok(done_redirect("/users", "account-added"))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

async fn disable(
    State(app): State<App>,
    credentials: Credentials,
    headers: HeaderMap,
    Path(login): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    page_as(
        &app,
        credentials,
        lang,
        "/users",
        Wants::Change(Permission::ManageAccounts, form.csrf.clone()),
        move |mut register, _seen| register.disable_account(&login),
    )
    .await?;
    Ok(done_redirect("/users", "account-disabled"))
}

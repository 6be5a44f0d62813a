//! `/users`: the accounts, for admins: add one, disable one.

use super::App;
use super::auth::{Credentials, Wants};
use super::forms::{self, Control, Field, Form, Refused, Sent};
use super::layout::{data_table, done_redirect, encode, lang_of, page};
use super::pages::{Done, done_note, form_as, page_as};
use super::words::say;
use axum::Router;
use axum::extract::{Form as Posted, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use handback::domain::NewAccount;
use handback::i18n::Lang;
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
    accounts_page(&app, credentials, lang_of(&headers), &done, None).await
}

/// The accounts; with `refused`, the new account's form as it was sent.
async fn accounts_page(
    app: &App,
    credentials: Credentials,
    lang: Lang,
    done: &Done,
    refused: Option<Refused>,
) -> Result<Response, Response> {
    let (accounts, caller) = page_as(
        app,
        credentials,
        lang,
        "/users",
        Wants::Read(Permission::ManageAccounts),
        move |register, _seen| register.accounts(),
    )
    .await?;
    let csrf = caller.csrf();
    let form = Form::new("account", lang, refused.as_ref());
    let body = html! {
        h1 { (say(lang, "Accounts")) }
        (forms::summary(lang, refused.as_ref()))
        (done_note(lang, done))
        (data_table(lang, "Every account, disabled ones too", &["Login", "Name", "Role", "Departments", "Status"], html! { @for account in &accounts {
                tr {
                    td { (account.login) }
                    td { (account.name) }
                    td lang="en" { (account.role) }
                    td { (account.departments.join(", ")) }
                    td {
                        @if account.disabled_at.is_some() { (say(lang, "disabled")) } @else {
                            form method="post" action=(format!("/users/{}/disable", encode(&account.login))) {
                                input type="hidden" name="csrf" value=(csrf);
                                button aria-label=(format!("{} {}", say(lang, "Disable"), account.login)) { (say(lang, "Disable")) }
                            }
                        }
                    }
                }
            } }))
        fieldset {
            legend { (say(lang, "Add account")) }
            form #account method="post" action="/users" {
                input type="hidden" name="csrf" value=(csrf);
                (form.field(Field::new("login", "Login", Control::Text).required().autocomplete("off")))
                (form.field(Field::new("name", "Name", Control::Text).required()))
                (form.field(Field::new("role", "Role", Control::Choice(Role::ALL.iter().map(|role| (role.as_str(), role.as_str())).collect()))))
                (form.field(Field::new("departments", "Departments, separated by commas", Control::Text)))
                (form.field(Field::new("password", "Password, at least 10 characters", Control::Password).required().autocomplete("new-password")))
                button { (say(lang, "Add account")) }
            }
        }
    };
    Ok(forms::answer(
        refused.as_ref(),
        page(lang, say(lang, "Accounts"), Some(&caller), "/users", body),
    ))
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
    Sent { form, typed }: Sent<AddForm>,
) -> Result<Response, Response> {
    let lang = lang_of(&headers);
    let wanted = Wants::Change(Permission::ManageAccounts, form.csrf.clone());
    let done = form_as(
        &app,
        credentials.clone(),
        lang,
        "/users",
        wanted,
        move |mut register, _| {
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
    match done {
        Ok(_) => Ok(done_redirect("/users", "account-added")),
        Err(failure) => {
            let fields = &["login", "name", "role", "departments", "password"];
            let refused = Refused::new("account", fields, failure, typed);
            accounts_page(&app, credentials, lang, &Done::default(), Some(refused)).await
        }
    }
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
    Posted(form): Posted<CsrfForm>,
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

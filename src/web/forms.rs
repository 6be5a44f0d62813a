//! Forms that say what went wrong, and where: every field has its label; a refused form
//! comes back with what was typed, the problem next to the field it belongs to
//! (`aria-invalid`, `aria-describedby`), and summarised at the top of the page with a link
//! to that field.

use super::failure::Failure;
use super::words::say;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use handback::i18n::Lang;
use maud::{Markup, html};
use serde::de::DeserializeOwned;

/// A form's fields as its struct reads them, and every value as it was typed, to fill the
/// form in again if it is refused. Rejects what axum's `Form` rejects, alike.
pub struct Sent<T> {
    pub form: T,
    pub typed: Vec<(String, String)>,
}

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for Sent<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(IntoResponse::into_response)?;
        let again = |bytes: &axum::body::Bytes| {
            Request::from_parts(parts.clone(), axum::body::Body::from(bytes.clone()))
        };
        let axum::Form(form) = axum::Form::<T>::from_request(again(&bytes), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let axum::Form(typed) =
            axum::Form::<Vec<(String, String)>>::from_request(again(&bytes), state)
                .await
                .map_err(IntoResponse::into_response)?;
        Ok(Sent { form, typed })
    }
}

/// A form that was refused: which one, why, the field the problem belongs to, and what
/// was typed in it.
pub struct Refused {
    pub form: &'static str,
    pub status: StatusCode,
    pub message: String,
    /// The message's language: the library's sentences are English.
    message_lang: Lang,
    /// The field the problem names, if the message names what was typed in one.
    field: Option<&'static str>,
    /// The form's first field, where the summary leads when no field is named (the form
    /// itself when it has none).
    first: Option<&'static str>,
    typed: Vec<(String, String)>,
}

impl Refused {
    /// `failure` of form `form`, whose fields are `fields`, in order: the problem belongs to
    /// the first field whose typed value the message names, else to the first field its
    /// kind names (`password_too_short`: the password), else to a form's only field.
    pub fn new(
        form: &'static str,
        fields: &[&'static str],
        failure: Failure,
        typed: Vec<(String, String)>,
    ) -> Refused {
        let named = |name: &&&str| {
            typed
                .iter()
                .filter(|(field, _)| field == **name)
                .flat_map(|(_, value)| value.split(|c: char| c.is_whitespace() || c == ','))
                .any(|word| word.chars().count() > 1 && failure.message.contains(word))
        };
        Refused {
            form,
            status: failure.status,
            field: fields
                .iter()
                .find(named)
                .copied()
                .or_else(|| {
                    let words: Vec<&str> = failure.kind.split('_').collect();
                    fields.iter().find(|name| words.contains(name)).copied()
                })
                .or(match fields {
                    [only] => Some(*only),
                    _ => None,
                }),
            first: fields.first().copied(),
            message: failure.message,
            message_lang: Lang::En,
            typed,
        }
    }

    /// The refusal, its message in `lang` (a page's own words, not the library's).
    pub fn worded_in(self, lang: Lang) -> Refused {
        Refused {
            message_lang: lang,
            ..self
        }
    }

    /// The refusal, with its problem next to `field`.
    pub fn at(self, field: &'static str) -> Refused {
        Refused {
            field: Some(field),
            ..self
        }
    }

    /// The id of the field the summary leads to.
    fn target(&self) -> String {
        match self.field.or(self.first) {
            Some(field) => field_id(self.form, field),
            None => self.form.to_string(),
        }
    }

    fn typed(&self, name: &str) -> Option<&str> {
        self.typed
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A page with a form: 200, or the status of the form's refusal, which the API gives the
/// same refusal.
pub fn answer(refused: Option<&Refused>, page: Markup) -> Response {
    let status = refused.map_or(StatusCode::OK, |refused| refused.status);
    (status, axum::response::Html(page.into_string())).into_response()
}

/// The summary at the top of a page whose form was refused: it takes the focus, and links
/// to the field.
pub fn summary(lang: Lang, refused: Option<&Refused>) -> Markup {
    html! {
        @if let Some(refused) = refused {
            div.error-summary role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (say(lang, "There is a problem")) }
                ul { li {
                    a href=(format!("#{}", refused.target())) lang=(refused.message_lang.code()) {
                        (refused.message)
                    }
                } }
            }
        }
    }
}

fn field_id(form: &str, name: &str) -> String {
    format!("{form}-{name}")
}

/// What kind of control a field is.
pub enum Control {
    Text,
    Date,
    Password,
    Lines,
    Choice(Vec<(&'static str, &'static str)>),
    Tick,
    /// A file to upload, of the kinds named (`accept`); a browser never fills one in again.
    File(&'static str),
}

/// One field: its name, its label, its control and what is given before anything is typed.
pub struct Field {
    name: &'static str,
    label: &'static str,
    control: Control,
    required: bool,
    autofocus: bool,
    autocomplete: Option<&'static str>,
    given: String,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, control: Control) -> Field {
        Field {
            name,
            label,
            control,
            required: false,
            autofocus: false,
            autocomplete: None,
            given: String::new(),
        }
    }

    pub fn required(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }

    pub fn autofocus(self) -> Field {
        Field {
            autofocus: true,
            ..self
        }
    }

    pub fn autocomplete(self, value: &'static str) -> Field {
        Field {
            autocomplete: Some(value),
            ..self
        }
    }

    /// The value shown before anything is typed.
    pub fn given(self, value: impl Into<String>) -> Field {
        Field {
            given: value.into(),
            ..self
        }
    }
}

/// One form of a page, drawn with what was typed in it if it was refused.
#[derive(Clone, Copy)]
pub struct Form<'a> {
    id: &'static str,
    lang: Lang,
    refused: Option<&'a Refused>,
}

impl<'a> Form<'a> {
    pub fn new(id: &'static str, lang: Lang, refused: Option<&'a Refused>) -> Form<'a> {
        Form {
            id,
            lang,
            refused: refused.filter(|refused| refused.form == id),
        }
    }

    /// The field with its label, its value, and its problem next to it.
    pub fn field(&self, field: Field) -> Markup {
        let lang = self.lang;
        let id = field_id(self.id, field.name);
        let typed = self.refused.and_then(|refused| refused.typed(field.name));
        let value = match typed {
            // A password is never sent back.
            _ if matches!(field.control, Control::Password) => String::new(),
            Some(typed) => typed.to_string(),
            None if self.refused.is_some() && matches!(field.control, Control::Tick) => {
                String::new()
            }
            None => field.given.clone(),
        };
        let problem = self
            .refused
            .filter(|refused| refused.field == Some(field.name));
        let error_id = problem.map(|_| format!("{id}-error"));
        let invalid = problem.map(|_| "true");
        // The page's error summary takes the focus when a form was refused.
        let autofocus = field.autofocus && self.refused.is_none();
        let label = say(lang, field.label);
        html! {
            @if let Control::Tick = field.control {
                div.field.tick {
                    input type="checkbox" id=(id) name=(field.name) value="true"
                        checked[value == "true"] aria-invalid=[invalid] aria-describedby=[&error_id];
                    " " label for=(id) { (label) }
                    (self.problem(problem, error_id.as_deref()))
                }
            } @else {
                div.field {
                    label for=(id) { (label) }
                    (self.problem(problem, error_id.as_deref()))
                    @match &field.control {
                        Control::Lines => {
                            textarea id=(id) name=(field.name) required[field.required] autofocus[autofocus]
                                aria-invalid=[invalid] aria-describedby=[&error_id] { (value) }
                        }
                        Control::Choice(options) => {
                            select id=(id) name=(field.name) aria-invalid=[invalid] aria-describedby=[&error_id] {
                                @for (option, shown) in options {
                                    option value=(option) selected[*option == value] { (say(lang, shown)) }
                                }
                            }
                        }
                        Control::File(accept) => {
                            input id=(id) name=(field.name) type="file" accept=(accept) required[field.required]
                                aria-invalid=[invalid] aria-describedby=[&error_id];
                        }
                        // A tick box is drawn above, its label after it.
                        Control::Text | Control::Date | Control::Password | Control::Tick => {
                            input id=(id) name=(field.name) type=(input_type(&field.control)) value=(value)
                                required[field.required] autofocus[autofocus] autocomplete=[field.autocomplete]
                                aria-invalid=[invalid] aria-describedby=[&error_id];
                        }
                    }
                }
            }
        }
    }

    fn problem(&self, problem: Option<&Refused>, id: Option<&str>) -> Markup {
        html! {
            @if let (Some(problem), Some(id)) = (problem, id) {
                p.field-error id=(id) {
                    span.visually-hidden { (say(self.lang, "Error:")) " " }
                    span lang=(problem.message_lang.code()) { (problem.message) }
                }
            }
        }
    }
}

fn input_type(control: &Control) -> &'static str {
    match control {
        Control::Date => "date",
        Control::Password => "password",
        _ => "text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_problem_belongs_to_the_field_whose_value_it_names() {
        let failure = Failure::new(
            StatusCode::CONFLICT,
            "held_by_another",
            "LAP-2 is held by Olle Ek",
        );
        let sent = typed(&[("serials", "PHONE-9\r\nLAP-2"), ("to", "4471")]);
        let refused = Refused::new("handout", &["serials", "to"], failure, sent);
        assert_eq!(refused.field, Some("serials"));
        let failure = Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "password_too_short",
            "the password is too short",
        );
        let refused = Refused::new("account", &["login", "password"], failure, typed(&[]));
        assert_eq!(refused.field, Some("password"));
        let failure = Failure::new(StatusCode::NOT_FOUND, "not_found", "no such person");
        let refused = Refused::new("handout", &["serials", "to"], failure, typed(&[]));
        assert_eq!(
            (refused.field, refused.target().as_str()),
            (None, "handout-serials")
        );
    }

    #[test]
    fn a_refused_field_is_marked_and_keeps_what_was_typed() {
        let failure = Failure::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            "2026-02-30 is not a date",
        );
        let sent = typed(&[("due", "2026-02-30"), ("note", "<b>")]);
        let refused = Refused::new("handout", &["due", "note"], failure, sent);
        let form = Form::new("handout", Lang::En, Some(&refused));
        let due = form
            .field(Field::new("due", "Due back", Control::Date))
            .into_string();
        assert!(due.contains(r#"aria-invalid="true""#), "{due}");
        assert!(
            due.contains(r#"aria-describedby="handout-due-error""#),
            "{due}"
        );
        assert!(due.contains(r#"value="2026-02-30""#), "{due}");
        let note = form
            .field(Field::new("note", "Note", Control::Text))
            .into_string();
        assert!(note.contains(r#"value="&lt;b&gt;""#), "{note}");
        assert!(!note.contains("aria-invalid"), "{note}");
        let other = Form::new("transfer", Lang::En, Some(&refused));
        let to = other
            .field(Field::new("to", "Successor", Control::Text).given("x"))
            .into_string();
        assert!(
            to.contains(r#"value="x""#) && !to.contains("aria-invalid"),
            "{to}"
        );
    }
}

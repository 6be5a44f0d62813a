//! How a request that did not succeed answers: the status code the web interface lists for
//! it, and `{"error": "<one sentence>", "kind": "<snake_case kind>"}`.
//!
//! The sentence is the library's own, which names no command or flag. A manager is never
//! told about people or devices outside their departments: what they may not see is "not
//! found", with no nearest matches.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use handback::Error;
use handback::refusal::Refusal;
use handback::store::StoreErrorKind;
use serde::Serialize;
use std::borrow::Cow;

/// A request that did not succeed.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub kind: Cow<'static, str>,
    pub message: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    kind: &'a str,
}

impl Failure {
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Failure {
        Failure {
            status,
            kind: Cow::Borrowed(kind),
            message: message.into(),
        }
    }

    pub fn malformed(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, "malformed_request", message)
    }

    pub fn unauthenticated() -> Failure {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in, or send an API token as `Authorization: Bearer TOKEN`",
        )
    }

    pub fn forbidden() -> Failure {
        Failure::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role may not do this",
        )
    }

    pub fn bad_csrf() -> Failure {
        Failure::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the request lacks this session's CSRF token (the X-CSRF-Token header or the form's csrf field); reload the page and try again",
        )
    }

    /// A person or device that does not exist, or that the caller may not see.
    pub fn not_found(what: &str) -> Failure {
        Failure::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    pub fn internal(message: impl Into<String>) -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// A library error as the web answers it.
    pub fn from_error(error: &Error) -> Failure {
        let message = error.to_string();
        let (status, kind) = match error {
            Error::Refusal(refusal) => {
                return Failure {
                    status: refusal_status(refusal),
                    kind: Cow::Owned(refusal_kind(refusal)),
                    message,
                };
            }
            Error::Unknown(_) => (StatusCode::NOT_FOUND, "not_found"),
            Error::Move(_) => (StatusCode::CONFLICT, "move_refused"),
            Error::Ambiguous(_) => (StatusCode::CONFLICT, "ambiguous"),
            Error::Unconfirmed(_) => (StatusCode::CONFLICT, "unconfirmed"),
            Error::Forget(_) => (StatusCode::CONFLICT, "forget_refused"),
            Error::HeldElsewhere(_) => (StatusCode::CONFLICT, "held_elsewhere"),
            Error::Refused(_) => (StatusCode::CONFLICT, "refused"),
            Error::Exists(_) => (StatusCode::CONFLICT, "exists"),
            Error::DueBeforeHandout { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "due_before_handout")
            }
            Error::InvalidInput(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input"),
            Error::InvalidFile { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_file"),
            Error::ReadOnly { .. } => (StatusCode::SERVICE_UNAVAILABLE, "read_only"),
            Error::Store(store) if store.kind == StoreErrorKind::Busy => {
                (StatusCode::SERVICE_UNAVAILABLE, "busy")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Failure::new(status, kind, message)
    }

    /// Like [`Failure::from_error`], but for a caller who must not learn what exists
    /// outside their departments: an unknown reference names no nearest matches.
    pub fn from_error_for(error: &Error, confined: bool) -> Failure {
        match error {
            Error::Unknown(_) | Error::Ambiguous(_) if confined => {
                Failure::not_found("person or device")
            }
            _ => Failure::from_error(error),
        }
    }
}

fn refusal_status(refusal: &Refusal) -> StatusCode {
    use Refusal::*;
    match refusal {
        BadCredentials => StatusCode::UNAUTHORIZED,
        TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        NoSuchAccount { .. } | NoSuchToken { .. } => StatusCode::NOT_FOUND,
        StayedLocked { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ if refusal.exit_code() == handback::error::EXIT_INVALID_DATA => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::CONFLICT,
    }
}

/// The refusal's `kind`, as it serialises: the one list of kinds is the enum's.
fn refusal_kind(refusal: &Refusal) -> String {
    serde_json::to_value(refusal)
        .ok()
        .and_then(|value| value.get("kind")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "refused".to_string())
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::from_error(&error)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Body {
            error: &self.message,
            kind: &self.kind,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_answer_with_their_kind_and_status() {
        let cases = [
            (Refusal::NoPersonGiven, "no_person_given", 422),
            (
                Refusal::HoldsNothing { person: "x".into() },
                "holds_nothing",
                409,
            ),
            (Refusal::BadCredentials, "bad_credentials", 401),
            (Refusal::NoSuchToken { id: 3 }, "no_such_token", 404),
            (
                Refusal::TooManyAttempts {
                    retry_after: std::time::Duration::from_secs(5),
                },
                "too_many_attempts",
                429,
            ),
        ];
        for (refusal, kind, status) in cases {
            let failure = Failure::from_error(&Error::Refusal(refusal));
            assert_eq!(
                (failure.kind.as_ref(), failure.status.as_u16()),
                (kind, status)
            );
        }
    }
}

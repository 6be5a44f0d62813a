//! The domain's words as every store's SQL lists them (`check`'s list of the actions that change
//! custody is written the same way, from [`crate::model::Action::custody_actions`]): `end_reason IN ('lost', 'stolen')` is written
//! from the rule ([`EndReason::is_missing`]), never by hand, so a new variant is in every
//! list its rules put it in.
//!
//! The words come from the model's own enums (`as_str`), never from a file: inlining them
//! in SQL is safe, and it keeps the statements constant, as the query planner and the
//! partial indexes want.

use crate::model::{EndReason, Status};

/// `'a', 'b'`, the words for an SQL `IN (…)` list (empty when none).
fn list<T: Copy>(all: &[T], rule: impl Fn(T) -> bool, word: impl Fn(T) -> &'static str) -> String {
    all.iter()
        .copied()
        .filter(|w| rule(*w))
        .map(|w| {
            let word = word(w);
            debug_assert!(!word.contains('\''), "{word}");
            format!("'{word}'")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The end reasons `rule` holds for, as an SQL list.
pub(crate) fn end_reasons(rule: fn(EndReason) -> bool) -> String {
    list(&EndReason::ALL, rule, EndReason::as_str)
}

/// `(column = 'a' OR column = 'b')` for the statuses `rule` holds for (`FALSE` for none).
/// This form, not `IN (…)`: SQLite uses a partial index only for a condition that says
/// what the index's own `WHERE` says (`event_missing`'s is written so).
pub(crate) fn status_is(column: &str, rule: fn(Status) -> bool) -> String {
    let terms: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| rule(*s))
        .map(|s| format!("{column} = '{}'", s.as_str()))
        .collect();
    if terms.is_empty() {
        "FALSE".to_string()
    } else {
        format!("({})", terms.join(" OR "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists the store's SQL is written with today. A new variant changes one of these
    /// on purpose: see that the query using it still says what it should (and, for
    /// `status_after`, that the `event_missing` index still covers it).
    #[test]
    fn the_lists_are_written_from_the_rules() {
        assert_eq!(end_reasons(EndReason::hands_on), "'transferred'");
        assert_eq!(end_reasons(EndReason::is_missing), "'lost', 'stolen'");
        assert_eq!(
            end_reasons(EndReason::is_return),
            "'returned', 'transferred'"
        );
        assert_eq!(
            status_is("e.status_after", Status::is_missing),
            "(e.status_after = 'lost' OR e.status_after = 'stolen')"
        );
        assert_eq!(status_is("status", |_| false), "FALSE");
        assert_eq!(end_reasons(|_| false), "");
    }
}

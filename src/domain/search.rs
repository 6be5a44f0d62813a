//! Finding what a technician means from what they typed: the nearest departments of an
//! unknown one are scored here.
//!
//! Text is compared folded (lower case, accents removed, no white space: "Björn  Ek" and
//! "bjorn ek" are one key), and a key matches a query when it is the query, begins with it,
//! contains it, or is within a few typos of it (characters wrong, missing or extra:
//! Levenshtein distance, a query of 4 characters or more tolerating one, of 8 or more two).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// `text` folded for comparison: lower case, accents removed, no white space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    fold_into(text, &mut folded);
    folded
}

/// [`fold`] into a buffer the caller reuses (cleared first): a scan of a register folds
/// hundreds of thousands of keys.
pub(crate) fn fold_into(text: &str, folded: &mut String) {
    folded.clear();
    for c in text.chars() {
        if c.is_ascii() {
            if !c.is_ascii_whitespace() {
                folded.push(c.to_ascii_lowercase());
            }
        } else if !c.is_whitespace() {
            fold_letter(c, folded);
        }
    }
}

/// A letter without its accents, in lower case. Letters that Unicode does not write as a
/// base letter and an accent (ø, æ, ß, ł…) get the spelling people type without them.
fn fold_letter(c: char, folded: &mut String) {
    let spelled = match c {
        'ø' | 'Ø' => "o",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' | 'ẞ' => "ss",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => "",
    };
    if !spelled.is_empty() {
        folded.push_str(spelled);
        return;
    }
    decompose_canonical(c, |part| {
        if !is_combining_mark(part) {
            folded.extend(part.to_lowercase());
        }
    });
}

/// How many typos a query of `len` characters tolerates: none in a short one (where one
/// typo turns "4471" into half the register), one from 4 characters, two from 8.
fn tolerated_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// What was typed, folded once.
#[derive(Debug, Clone)]
pub(crate) struct Query {
    folded: String,
    len: usize,
    typos: usize,
}

/// How a key relates to the thing it names: the whole of a name, serial or address, or a
/// part of one (a word of a name), whose matches count for less.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Whole,
    Part,
}

impl Query {
    /// `None` when nothing is left once folded (only spaces).
    pub fn new(typed: &str) -> Option<Query> {
        let folded = fold(typed);
        let len = folded.chars().count();
        (len > 0).then(|| Query {
            typos: tolerated_typos(len),
            folded,
            len,
        })
    }

    /// How well an already folded key matches, from just above 0 to 1 (the key is the
    /// query); `None` when it does not. Exact beats a beginning, a beginning beats a
    /// containing, and those beat typos; within each, the more of the key the query covers,
    /// the better.
    pub fn score(&self, key: &str, kind: Key) -> Option<f64> {
        if key.is_empty() {
            return None;
        }
        let key_len = key.chars().count();
        let coverage = self.len as f64 / key_len.max(self.len) as f64;
        let score = if key == self.folded {
            1.0
        } else if key.starts_with(&self.folded) {
            0.75 + 0.2 * coverage
        } else if self.len >= 3 && key.contains(&self.folded) {
            0.55 + 0.2 * coverage
        } else if self.typos > 0 && key_len.abs_diff(self.len) <= self.typos {
            let distance = strsim::levenshtein(&self.folded, key);
            if distance > self.typos {
                return None;
            }
            0.5 * (1.0 - distance as f64 / key_len.max(self.len) as f64)
        } else {
            return None;
        };
        Some(match kind {
            Key::Whole => score,
            // A word of a name that is the query ranks with a name that begins with it.
            Key::Part => score * 0.7,
        })
    }

    /// The best score of any of `keys` (raw text, folded here into `buffer`).
    fn best<'a>(
        &self,
        keys: impl IntoIterator<Item = (&'a str, Key)>,
        buffer: &mut String,
    ) -> Option<f64> {
        let mut best: Option<f64> = None;
        for (key, kind) in keys {
            fold_into(key, buffer);
            if let Some(score) = self.score(buffer, kind) {
                best = Some(best.map_or(score, |b| b.max(score)));
            }
        }
        best
    }
}

/// Scored candidates, best first (ties by the order given), at most `limit`.
fn best_first<T>(mut scored: Vec<(T, f64)>, limit: usize) -> Vec<(T, f64)> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(limit);
    scored
}

/// The words of `known` nearest to `typed`, best first, at most `limit`: for a list small
/// enough to hold (departments, kinds).
pub(crate) fn nearest<'a>(typed: &str, known: &'a [String], limit: usize) -> Vec<&'a str> {
    let Some(query) = Query::new(typed) else {
        return Vec::new();
    };
    let mut buffer = String::new();
    let scored = known
        .iter()
        .filter_map(|word| {
            let words = word.split_whitespace().map(|w| (w, Key::Part));
            let score = query.best(
                std::iter::once((word.as_str(), Key::Whole)).chain(words),
                &mut buffer,
            )?;
            Some((word.as_str(), score))
        })
        .collect();
    best_first(scored, limit)
        .into_iter()
        .map(|(word, _)| word)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case("Björn Ek", "bjornek")]
    #[case("  ÅSA\tÖBERG ", "asaoberg")]
    #[case("Linnéa", "linnea")]
    #[case("Søren Ærø", "sorenaero")]
    #[case("Straße", "strasse")]
    #[case("C02X K1JH JG5H", "c02xk1jhjg5h")]
    #[case("GK-2231", "gk-2231")]
    fn folding_ignores_case_accents_and_spacing(#[case] typed: &str, #[case] folded: &str) {
        assert_eq!(fold(typed), folded);
    }

    #[rstest]
    #[case("Bjorn Ek", "Björn Ek")]
    #[case("bjorn", "Björn Ek")]
    #[case("5ZKQ9X4", "5ZKQ9X3")] // one wrong
    #[case("5ZKQX3", "5ZKQ9X3")] // one missing
    #[case("5ZKQ99X3", "5ZKQ9X3")] // one extra
    #[case("C02XK1JHJG5", "C02XK1JHJG5H")]
    #[case("latitude", "Latitude 7440")]
    fn a_key_is_found_despite_a_small_typo(#[case] typed: &str, #[case] key: &str) {
        let query = Query::new(typed).unwrap();
        assert!(
            query.score(&fold(key), Key::Whole).is_some(),
            "{typed} / {key}"
        );
    }

    #[rstest]
    #[case("4471", "4482")] // two typos in four characters
    #[case("ek", "ok")] // a short query tolerates none
    #[case("Maria", "Mario Olsson")]
    fn a_key_too_far_from_the_query_is_not_found(#[case] typed: &str, #[case] key: &str) {
        let query = Query::new(typed).unwrap();
        assert_eq!(query.score(&fold(key), Key::Whole), None, "{typed} / {key}");
    }

    #[test]
    fn exact_beats_a_beginning_beats_a_containing_beats_a_typo() {
        let query = Query::new("Björn Ek").unwrap();
        let score = |key: &str| query.score(&fold(key), Key::Whole).unwrap();
        let exact = score("bjorn ek");
        let beginning = score("Björn Ekström");
        let containing = score("Anna-Björn Ekberg");
        let typo = score("Björn Eck");
        assert!(exact > beginning && beginning > containing && containing > typo);
        assert_eq!(exact, 1.0);
    }

    #[test]
    fn the_nearest_departments_come_first() {
        let known: Vec<String> = ["Gatukontoret", "Fritidsförvaltningen", "Socialtjänsten"]
            .map(String::from)
            .into();
        assert_eq!(nearest("Gatukontor", &known, 3), ["Gatukontoret"]);
        assert_eq!(nearest("fritids", &known, 3), ["Fritidsförvaltningen"]);
        assert_eq!(nearest("socialtjanst", &known, 3), ["Socialtjänsten"]);
        assert!(nearest("Nope", &known, 3).is_empty());
    }

    proptest! {
        #[test]
        fn folding_is_idempotent_and_blind_to_case_and_spaces(
            text in "[ a-zA-Z0-9åäöÅÄÖéÉüÜøØß\t-]{0,20}",
        ) {
            let folded = fold(&text);
            prop_assert_eq!(fold(&folded), folded.clone());
            prop_assert_eq!(fold(&text.to_uppercase()), folded.clone());
            let spaced: String = text.chars().flat_map(|c| [c, ' ']).collect();
            prop_assert_eq!(fold(&spaced), folded.clone());
            prop_assert!(!folded.chars().any(char::is_whitespace));
        }

        #[test]
        fn a_key_finds_itself_best(key in "[a-zA-Z0-9åäöÅÄÖ -]{1,20}") {
            if let Some(query) = Query::new(&key) {
                prop_assert_eq!(query.score(&fold(&key), Key::Whole), Some(1.0));
            }
        }

    }
}

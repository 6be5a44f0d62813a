//! Finding what a technician means from what they typed: `handback find`, the "did you mean"
//! of every "no person / no device matches" refusal, and the nearest departments of an
//! unknown one all score candidates here, one way.
//!
//! Text is compared folded (lower case, accents removed, no white space: "Björn  Ek" and
//! "bjorn ek" are one key), and a key matches a query when it is the query, begins with it,
//! contains it, or is within a few typos of it (characters wrong, missing or extra:
//! Levenshtein distance, a query of 4 characters or more tolerating one, of 8 or more two).
//!
//! A search reads every person's and device's keys once (the store hands them over
//! borrowed, without building a row). Every key a query matches holds one of the query's
//! [`Query::pieces`] (a pigeonhole argument: k edits cannot touch k + 1 separate pieces), so
//! a key that holds none is passed over after a substring test, and the edit distance is
//! computed for few; a model is scored once however many devices share it.

use super::Register;
use crate::error::Result;
use crate::model::{Device, Hit, HitKind, Person};
use crate::store::Transaction;
use crate::store::{devices::SearchKeys as DeviceKeys, people::SearchKeys as PersonKeys};
use std::collections::HashMap;
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
    // Serials, numbers and most tags: copied and lowered in place.
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_whitespace())
    {
        folded.push_str(text);
        folded.make_ascii_lowercase();
        return;
    }
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
#[derive(Debug)]
pub(crate) struct Query {
    folded: String,
    len: usize,
    typos: usize,
    /// A searcher for each piece, built once: a search tests a million keys.
    finders: Vec<memchr::memmem::Finder<'static>>,
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
        if len == 0 {
            return None;
        }
        let typos = tolerated_typos(len);
        let chars: Vec<char> = folded.chars().collect();
        let count = typos + 1;
        let pieces: Vec<String> = (0..count)
            .map(|i| {
                chars[i * len / count..(i + 1) * len / count]
                    .iter()
                    .collect()
            })
            .collect();
        let finders = pieces
            .iter()
            .map(|piece| memchr::memmem::Finder::new(piece.as_bytes()).into_owned())
            .collect();
        Some(Query {
            folded,
            len,
            typos,
            finders,
        })
    }

    /// Pieces of the folded query, one more than the typos it tolerates: every key it
    /// matches contains at least one of them.
    #[cfg(test)]
    fn pieces(&self) -> Vec<String> {
        self.finders
            .iter()
            .map(|finder| String::from_utf8_lossy(finder.needle()).into_owned())
            .collect()
    }

    /// Whether a folded key can match at all: it holds one of the [`Query::pieces`].
    fn may_match(&self, key: &str) -> bool {
        self.finders
            .iter()
            .any(|finder| finder.find(key.as_bytes()).is_some())
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
        let mut best = Best::default();
        for (key, kind) in keys {
            fold_into(key, buffer);
            best.consider(self, buffer, kind);
        }
        best.0
    }

    /// How well a person matches: their name (whole, family name first, and each word),
    /// employee number, e-mail address and its part before the `@` (the user name most
    /// organisations give it).
    fn person(&self, keys: &PersonKeys<'_>, folded: &mut Buffers) -> Option<f64> {
        let mut best = Best::default();
        fold_into(keys.name, &mut folded.whole);
        // Each word is a part of the folded name: none can match when the name holds no piece.
        if self.may_match(&folded.whole) {
            best.consider(self, &folded.whole, Key::Whole);
            for word in keys.name.split_whitespace() {
                fold_into(word, &mut folded.part);
                best.consider(self, &folded.part, Key::Part);
            }
        }
        let mut words = keys.name.split_whitespace();
        if let Some(family) = words.next_back()
            && let Some(given) = words.next()
        {
            // "Olsson Maria": family name first, as lists are sorted. A piece may straddle
            // the two names, so this is a key of its own.
            fold_into(family, &mut folded.whole);
            fold_into(given, &mut folded.part);
            folded.whole.push_str(&folded.part);
            for word in words {
                fold_into(word, &mut folded.part);
                folded.whole.push_str(&folded.part);
            }
            best.consider(self, &folded.whole, Key::Whole);
        }
        for key in [keys.employee_no, keys.email].into_iter().flatten() {
            fold_into(key, &mut folded.whole);
            best.consider(self, &folded.whole, Key::Whole);
        }
        if let Some((user, _)) = keys.email.and_then(|e| e.split_once('@')) {
            fold_into(user, &mut folded.whole);
            best.consider(self, &folded.whole, Key::Whole);
        }
        best.0
    }

    /// How well a device's serial and asset tag match.
    fn device(&self, keys: &DeviceKeys<'_>, folded: &mut Buffers) -> Option<f64> {
        let mut best = Best::default();
        for key in [Some(keys.serial), keys.asset_tag].into_iter().flatten() {
            fold_into(key, &mut folded.whole);
            best.consider(self, &folded.whole, Key::Whole);
        }
        best.0
    }

    /// How well a model matches: alone, after its make, and each word of it.
    fn model(&self, make: Option<&str>, model: &str, folded: &mut Buffers) -> Option<f64> {
        let mut best = Best::default();
        fold_into(model, &mut folded.whole);
        best.consider(self, &folded.whole, Key::Whole);
        if let Some(make) = make {
            fold_into(make, &mut folded.part);
            folded.part.push_str(&folded.whole);
            best.consider(self, &folded.part, Key::Whole);
        }
        for word in model.split_whitespace() {
            fold_into(word, &mut folded.part);
            best.consider(self, &folded.part, Key::Part);
        }
        best.0
    }
}

/// The higher of two scores, either of which may be missing.
fn better(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The best score of a candidate's keys so far.
#[derive(Default)]
struct Best(Option<f64>);

impl Best {
    fn consider(&mut self, query: &Query, folded_key: &str, kind: Key) {
        if query.may_match(folded_key)
            && let Some(score) = query.score(folded_key, kind)
        {
            self.0 = better(self.0, Some(score));
        }
    }
}

/// Buffers for folding one candidate's keys after another's, without allocating.
#[derive(Default)]
struct Buffers {
    whole: String,
    part: String,
}

/// Scored candidates, best first (ties by the order given), at most `limit`.
fn best_first<T>(mut scored: Vec<(T, f64)>, limit: usize) -> Vec<(T, f64)> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(limit);
    scored
}

/// The people `typed` matches (erased people match nothing), best first, at most `limit`.
pub(crate) fn people(
    conn: &dyn Transaction,
    typed: &str,
    limit: usize,
) -> Result<Vec<(Person, f64)>> {
    let Some(query) = Query::new(typed) else {
        return Ok(Vec::new());
    };
    let mut folded = Buffers::default();
    let mut scored = Vec::new();
    conn.people().for_each_search_key(&mut |keys| {
        if let Some(score) = query.person(&keys, &mut folded) {
            scored.push((keys.id, score));
        }
    })?;
    best_first(scored, limit)
        .into_iter()
        .map(|(id, score)| Ok((conn.people().get(id)?, score)))
        .collect()
}

/// The devices `typed` matches, best first, at most `limit`.
pub(crate) fn devices(
    conn: &dyn Transaction,
    typed: &str,
    limit: usize,
) -> Result<Vec<(Device, f64)>> {
    let Some(query) = Query::new(typed) else {
        return Ok(Vec::new());
    };
    let mut folded = Buffers::default();
    // A register has a million devices and a few hundred models: each model is scored once,
    // looked up by "make\0model" in a buffer of its own.
    let mut models: HashMap<String, Option<f64>, foldhash::fast::RandomState> = HashMap::default();
    let mut model_key = String::new();
    let mut scored = Vec::new();
    conn.devices().for_each_search_key(&mut |keys| {
        let mut score = query.device(&keys, &mut folded);
        if let Some(model) = keys.model {
            model_key.clear();
            model_key.push_str(keys.make.unwrap_or_default());
            model_key.push('\0');
            model_key.push_str(model);
            let model_score = match models.get(model_key.as_str()) {
                Some(known) => *known,
                None => {
                    let known = query.model(keys.make, model, &mut folded);
                    models.insert(model_key.clone(), known);
                    known
                }
            };
            score = better(score, model_score);
        }
        if let Some(score) = score {
            scored.push((keys.id, score));
        }
    })?;
    best_first(scored, limit)
        .into_iter()
        .map(|(id, score)| Ok((conn.devices().get(id)?, score)))
        .collect()
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

/// How many people and devices a `find` lists at most.
pub const FIND_LIMIT: usize = 20;

impl Register {
    /// One search over people (name, employee number, e-mail address) and devices (serial,
    /// asset tag, model), ignoring case, accents and spacing and tolerating small typos;
    /// the best [`FIND_LIMIT`] hits, best first.
    pub fn find(&self, typed: &str) -> Result<Vec<Hit>> {
        if fold(typed).is_empty() {
            return Err(crate::refusal::Refusal::NothingToSearchFor.into());
        }
        self.read(|conn| find(conn, typed))
    }
}

/// "Dell Latitude 7440, GK-2231": a device as a hit or a suggestion describes it.
pub(crate) fn device_label(device: &Device) -> String {
    match &device.asset_tag {
        Some(tag) => format!("{}, {tag}", device.description()),
        None => device.description(),
    }
}

fn find(conn: &dyn Transaction, typed: &str) -> Result<Vec<Hit>> {
    let people = people(conn, typed, FIND_LIMIT)?
        .into_iter()
        .map(|(p, score)| Hit {
            kind: HitKind::Person,
            id: p.reference(),
            label: match &p.department {
                Some(department) => format!("{}, {department}", p.name),
                None => p.name.clone(),
            },
            score: round(score),
        });
    let devices = devices(conn, typed, FIND_LIMIT)?
        .into_iter()
        .map(|(d, score)| Hit {
            kind: HitKind::Device,
            label: device_label(&d),
            id: d.serial,
            score: round(score),
        });
    let mut hits: Vec<Hit> = people.chain(devices).collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    hits.truncate(FIND_LIMIT);
    Ok(hits)
}

/// "4471 (Björn Ek, Gatukontoret)", "5ZKQ9X3 (Dell Latitude 7440)": the people and devices
/// nearest to `typed`, for a refusal of a reference that can be either.
pub(crate) fn suggestions(conn: &dyn Transaction, typed: &str) -> Result<Vec<String>> {
    let mut hits = find(conn, typed)?;
    hits.truncate(super::SUGGESTIONS);
    Ok(hits
        .iter()
        .map(|hit| format!("{} ({})", hit.id, hit.label))
        .collect())
}

/// Scores to three decimals: enough to rank by, and stable to compare in a script.
fn round(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
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

    /// One edit of a key: a character replaced, removed or added at `at`.
    fn edit(key: &str, at: usize, how: u8, with: char) -> String {
        let mut chars: Vec<char> = key.chars().collect();
        let at = at % (chars.len() + 1);
        match how % 3 {
            0 if at < chars.len() => chars[at] = with,
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ => chars.insert(at, with),
        }
        chars.into_iter().collect()
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

        /// The store's pre-filter may skip a key only when it holds none of the pieces:
        /// every key a query matches must hold one.
        #[test]
        fn a_key_one_edit_away_is_found_and_holds_a_piece(
            key in "[A-Z0-9]{4,16}",
            at in 0usize..20,
            how in 0u8..3,
            with in "[A-Z0-9]",
        ) {
            let typed = edit(&key, at, how, with.chars().next().unwrap());
            prop_assume!(typed.chars().count() >= 4);
            let query = Query::new(&typed).unwrap();
            let folded = fold(&key);
            let score = query.score(&folded, Key::Whole);
            prop_assert!(score.is_some(), "{typed} did not find {key}");
            prop_assert!(score.unwrap() > 0.0 && score.unwrap() <= 1.0);
            prop_assert!(query.pieces().iter().any(|p| folded.contains(p.as_str())));
        }

        #[test]
        fn every_match_holds_a_piece(
            typed in "[a-c]{1,10}",
            key in "[a-c]{1,12}",
        ) {
            let query = Query::new(&typed).unwrap();
            if query.score(&key, Key::Whole).is_some() {
                prop_assert!(query.pieces().iter().any(|p| key.contains(p.as_str())));
            }
        }
    }
}

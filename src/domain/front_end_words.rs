//! The domain and the store name no command, flag or setting of the command line: each front
//! end words their typed refusals itself. These tests read every string literal under
//! `src/domain`, `src/store` and in `src/refusal.rs` and fail on one that names a `handback`
//! command (the variants of the command line's `Command` enum), a `--flag` or a `HANDBACK_`
//! setting; they fail on a refusal the domain or the store words as prose rather than as a
//! typed `Refusal`; and they fail on domain code that names the reader's language (`Lang`,
//! `i18n`).

use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// A string literal: the file, the line it starts on, and the text it stands for.
#[derive(Debug)]
struct Literal {
    file: PathBuf,
    line: usize,
    text: String,
}

/// The string literals of Rust `source`, outside comments and attributes (doc comments
/// included), with the text they stand for; those in macro calls (`format!`) too.
fn literals(file: &Path, source: &str) -> Vec<Literal> {
    let syntax = syn::parse_file(source).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut strings = Strings {
        file,
        found: Vec::new(),
    };
    strings.visit_file(&syntax);
    strings.found
}

struct Strings<'a> {
    file: &'a Path,
    found: Vec<Literal>,
}

impl Strings<'_> {
    fn push(&mut self, literal: &syn::LitStr) {
        self.found.push(Literal {
            file: self.file.to_path_buf(),
            line: literal.span().start().line,
            text: literal.value(),
        });
    }

    /// A macro's arguments are tokens, not syntax: their string literals are found here.
    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(group) => self.tokens(group.stream()),
                proc_macro2::TokenTree::Literal(literal) => {
                    let token = proc_macro2::TokenTree::Literal(literal);
                    if let Ok(string) = syn::parse2::<syn::LitStr>(token.into()) {
                        self.push(&string);
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for Strings<'_> {
    fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
        self.push(literal);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
    }

    /// Doc comments and other attributes are documentation, not messages.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
}

/// The command line's commands, as typed: the variants of `Command` in `src/cli/mod.rs`.
fn commands(cli: &str) -> Vec<String> {
    let start = cli
        .find("enum Command {")
        .expect("src/cli/mod.rs has the Command enum");
    let body = &cli[start..];
    let body = &body[..body.find("\n}").expect("the Command enum ends")];
    body.lines()
        .map(str::trim)
        .filter(|l| l.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|l| {
            l.chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase()
        })
        .collect()
}

/// What in `text` is the command line's own, if anything.
fn front_end_word(text: &str, commands: &[String]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, pair) in chars.windows(3).enumerate() {
        if pair[0] == '-' && pair[1] == '-' && pair[2].is_ascii_lowercase() {
            let flag: String = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
                .collect();
            return Some(flag);
        }
    }
    if let Some(at) = text.find("HANDBACK_") {
        return Some(
            text[at..]
                .chars()
                .take_while(|c| !c.is_whitespace())
                .collect(),
        );
    }
    for command in commands {
        for named in [format!("handback {command}"), format!("`{command}")] {
            if let Some(at) = text.find(&named) {
                let after = text[at + named.len()..].chars().next();
                if after.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-') {
                    return Some(named);
                }
            }
        }
    }
    None
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a source folder entry").path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

fn source(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn no_domain_or_store_string_names_a_command_flag_or_setting() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let commands = commands(&source(&src.join("cli/mod.rs")));
    assert!(
        ["init", "handout", "return", "import", "backup"]
            .iter()
            .all(|c| commands.iter().any(|known| known == c)),
        "the commands were not read: {commands:?}"
    );
    let mut files = Vec::new();
    rust_files(&src.join("domain"), &mut files);
    rust_files(&src.join("store"), &mut files);
    // The domain's and the store's refusals are worded there.
    files.push(src.join("refusal.rs"));
    // This file names what it looks for.
    files.retain(|f| !f.ends_with("domain/front_end_words.rs"));
    assert!(files.len() > 20, "the sources were not found: {files:?}");
    let offending: Vec<String> = files
        .iter()
        .flat_map(|file| literals(file, &source(file)))
        .filter_map(|literal| {
            front_end_word(&literal.text, &commands).map(|word| {
                format!(
                    "{}:{}: {word} in {:?}",
                    literal.file.display(),
                    literal.line,
                    literal.text
                )
            })
        })
        .collect();
    assert!(
        offending.is_empty(),
        "the domain and the store leave the command line's words to it (src/cli/refusals.rs):\n{}",
        offending.join("\n")
    );
}

/// The domain and the store refuse with a typed `Refusal` carrying its facts, never a sentence
/// of their own (`Error::refused`, `Error::invalid`): a front end could only print it.
#[test]
fn no_domain_or_store_refusal_is_prose() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("domain"), &mut files);
    rust_files(&src.join("store"), &mut files);
    // This file names what it looks for; the import's tests turn a writer's error into one.
    files.retain(|f| {
        !f.ends_with("domain/front_end_words.rs") && !f.ends_with("domain/import/tests.rs")
    });
    let prose: Vec<String> = files
        .iter()
        .flat_map(|file| {
            source(file)
                .lines()
                .enumerate()
                .filter(|(_, line)| !line.trim_start().starts_with("//"))
                .filter(|(_, line)| {
                    ["Error::refused(", "Error::invalid("]
                        .iter()
                        .any(|call| line.contains(call))
                })
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        prose.is_empty(),
        "a refusal of the domain or the store is a crate::refusal::Refusal:\n{}",
        prose.join("\n")
    );
}

/// The domain returns documents in no language: the words are chosen where they are
/// rendered, so no domain call takes (or names) the reader's language.
#[test]
fn the_domain_takes_no_language() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain"),
        &mut files,
    );
    let naming: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("domain/front_end_words.rs"))
        .flat_map(|file| {
            source(file)
                .lines()
                .enumerate()
                .filter(|(_, line)| !line.trim_start().starts_with("//"))
                // A person's `Language` is a fact about them; `Lang` is the reader's.
                .filter(|(_, line)| {
                    line.contains("i18n")
                        || line
                            .split(|c: char| !c.is_alphanumeric() && c != '_')
                            .any(|word| word == "Lang")
                })
                .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(naming.is_empty(), "{}", naming.join("\n"));
}

/// The scan sees what it is for, and not what it is not: a test that could not fail would
/// pass for a clean domain.
#[test]
fn the_scan_finds_commands_flags_and_settings_in_literals_only() {
    let commands = vec![
        "init".to_string(),
        "device".to_string(),
        "return".to_string(),
    ];
    let code = r####"fn sample() {
        // "handback init" in a comment is documentation, not a message.
        /// `--on-conflict transfer` in a doc comment too.
        let quote = '"';
        fn f<'a>(x: &'a str) {}
        let a = "no register: run `handback init` \
                 first";
        let b = "held; --on-conflict transfer records it";
        let c = r#"set HANDBACK_TZ"#;
        let d = "use `return` to take it back";
        let e = "a zone handback knows, -- not a flag, x-y";
        let f = "run handback \
                 device show";
    }"####;
    let found: Vec<(usize, Option<String>)> = literals(Path::new("x.rs"), code)
        .iter()
        .map(|l| (l.line, front_end_word(&l.text, &commands)))
        .collect();
    assert_eq!(
        found,
        [
            (6, Some("handback init".to_string())),
            (8, Some("--on-conflict".to_string())),
            (9, Some("HANDBACK_TZ".to_string())),
            (10, Some("`return".to_string())),
            (11, None),
            (12, Some("handback device".to_string())),
        ]
    );
}

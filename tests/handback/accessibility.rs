//! Every page, as the roles that see it, checked in Debian's Chromium with axe-core's
//! WCAG 2.1 A and AA rules; a hand-out and a return done with the keyboard alone; the main
//! pages at 320 px wide and at 200 % zoom, with screenshots to look at.
//!
//! axe-core comes from npm (`npm install --prefix "$HOME/.cache/handback-axe" axe-core`, as
//! `.ci/run` does); `HANDBACK_AXE` names another `axe.min.js`. Without it, or without the
//! browser, the tests skip with the reason, except in CI (`CI` set), where they fail.

use crate::browser::{Browser, Step, browser, runtime, walk};
use crate::common::{Scratch, fixture};
use crate::web::{Server, two_departments};
use fantoccini::key::Key;
use serde_json::Value;
use std::path::PathBuf;

/// The rule sets checked: WCAG 2.0 and 2.1, levels A and AA.
const AXE_RULES: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";
/// axe-core's best practices for what issue 17 asks of the structure besides: one `h1`,
/// headings in order, the content in landmarks, a working skip link, no empty table
/// header. Checked on top of the WCAG rules.
const AXE_STRUCTURE: &str = "{ 'page-has-heading-one': { enabled: true },
    'heading-order': { enabled: true }, 'landmark-one-main': { enabled: true },
    'region': { enabled: true }, 'skip-link': { enabled: true },
    'empty-table-header': { enabled: true } }";

/// axe-core's script, or `None` (with the reason printed) when it is missing outside CI.
fn axe_source(test: &str) -> Option<String> {
    let path = std::env::var_os("HANDBACK_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/handback-axe/node_modules/axe-core/axe.min.js")
        });
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(error) => {
            let reason = format!(
                "axe-core is missing at {} ({error}): npm install --prefix \"$HOME/.cache/handback-axe\" axe-core, or set HANDBACK_AXE to its axe.min.js",
                path.display()
            );
            assert!(
                std::env::var_os("CI").is_none(),
                "in CI axe-core must be there: {reason}"
            );
            eprintln!("skipping {test}: {reason}");
            None
        }
    }
}

/// The pages' violations, each a paragraph: page, rule, impact, help, the elements.
#[derive(Default)]
struct Findings {
    pages: Vec<String>,
    violations: Vec<String>,
}

impl Findings {
    /// Runs axe on the page the browser is at, named `name` in the findings.
    async fn check(&mut self, browser: &Browser, axe: &str, name: &str) -> Step {
        browser.find("body").await?;
        browser
            .client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .map_err(|e| format!("inject axe-core into {name}: {e}"))?;
        let script = format!(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {{ runOnly: {{ type: 'tag', values: {AXE_RULES} }},
                                  rules: {AXE_STRUCTURE}, resultTypes: ['violations'] }})
               .then(r => done(r.violations.map(v => ({{
                   id: v.id, impact: v.impact, help: v.help,
                   tags: v.tags.filter(t => /^wcag[0-9]|^best-practice$/.test(t)).join(' '),
                   nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)
               }}))))
               .catch(e => done([{{ id: 'axe-failed', impact: 'critical', help: String(e), nodes: [] }}]));"
        );
        let found = browser
            .client
            .execute_async(&script, vec![])
            .await
            .map_err(|e| format!("run axe-core on {name}: {e}"))?;
        self.pages.push(name.to_string());
        for violation in found.as_array().into_iter().flatten() {
            self.violations.push(describe(name, violation));
        }
        Ok(())
    }

    /// Opens `path` and checks it, as `role` sees it.
    async fn visit(&mut self, browser: &Browser, axe: &str, path: &str, role: &str) -> Step {
        browser.open(path).await?;
        self.check(browser, axe, &format!("{path} as {role}")).await
    }

    fn verdict(&self) -> Step {
        eprintln!(
            "axe-core checked {} pages: {}",
            self.pages.len(),
            self.pages.join(", ")
        );
        if self.violations.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{} violations of WCAG 2.1 A/AA or of the structure rules:\n{}",
            self.violations.len(),
            self.violations.join("\n")
        ))
    }
}

fn describe(page: &str, violation: &Value) -> String {
    let text = |field: &str| violation[field].as_str().unwrap_or("").to_string();
    let nodes: Vec<String> = violation["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str())
        .map(|n| format!("      {}", n.replace('\n', " ")))
        .collect();
    format!(
        "  {page}: {} ({}, {}): {}\n{}",
        text("id"),
        text("impact"),
        text("tags"),
        text("help"),
        nodes.join("\n")
    )
}

/// The check can fail: an unlabelled field added to a page is a violation it reports.
async fn probe(browser: &Browser, axe: &str) -> Step {
    browser.open("/login").await?;
    browser
        .client
        .execute(
            "document.body.append(document.createElement('input'));",
            vec![],
        )
        .await
        .map_err(|e| format!("add an unlabelled field: {e}"))?;
    let mut probe = Findings::default();
    probe.check(browser, axe, "probe").await?;
    if probe.violations.iter().any(|v| v.contains(": label (")) {
        return Ok(());
    }
    Err(format!(
        "axe-core missed an unlabelled field: is it running? {:?}",
        probe.violations
    ))
}

/// The register the checks walk: two departments, a device in stock, a leaver.
fn register() -> Scratch {
    let scratch = two_departments();
    scratch.ok(&["leave", "4471", "--on", "2026-11-30"]);
    scratch
}

/// The pages anyone sees: signing in (and a refused sign-in), a page that is not there,
/// the accessibility statement.
async fn anyones_pages(browser: &Browser, axe: &str, f: &mut Findings) -> Step {
    f.visit(browser, axe, "/login", "anyone").await?;
    browser.fill("input[name=login]", "tech").await?;
    browser
        .fill("input[name=password]", "wrong password")
        .await?;
    browser.click("form[action='/login'] button").await?;
    browser.expect_text("wrong").await?;
    f.check(browser, axe, "/login (refused)").await?;
    browser.shot("axe-login-refused").await;
    f.visit(browser, axe, "/no-such-page", "anyone").await?;
    f.visit(browser, axe, "/tillganglighet", "anyone").await?;
    browser.open("/lang/sv?back=/tillganglighet").await?;
    f.check(browser, axe, "/tillganglighet (Swedish)").await?;
    browser.shot("axe-statement-sv").await;
    browser.open("/lang/en?back=/login").await
}

/// Every page a technician opens, in English, in Swedish, and three at a phone's width
/// (where tables scroll within regions the keyboard can reach).
async fn technicians_pages(browser: &Browser, axe: &str, f: &mut Findings) -> Step {
    browser.sign_in("tech").await?;
    let pages = [
        "/",
        "/?q=LAP",
        "/?q=zzqqxx",
        "/people/4471",
        "/people/5000",
        "/devices/LAP-1",
        "/devices/PHONE-9",
        "/handout",
        "/stock",
        "/leavers?from=2026-11-01&to=2026-12-31",
        "/overdue?as_of=2026-12-15",
        "/report",
        "/import",
        "/leavers?from=2026-02-30",
        "/overdue?as_of=2026-13-01",
        "/report?from=2026-12-31&to=2026-01-01",
        "/people/4471/receipt?day=2026-02-30",
    ];
    for path in pages {
        f.visit(browser, axe, path, "technician").await?;
    }
    browser.open("/lang/sv?back=/people/4471").await?;
    f.check(browser, axe, "/people/4471 (Swedish)").await?;
    browser.shot("axe-person-sv").await;
    browser.open("/lang/en?back=/").await?;
    resize(browser, 320, 800).await?;
    for path in [
        "/people/4471",
        "/overdue?as_of=2026-12-15",
        "/devices/LAP-1",
    ] {
        f.visit(browser, axe, path, "technician, 320 px wide")
            .await?;
    }
    resize(browser, 1280, 900).await
}

async fn resize(browser: &Browser, width: u32, height: u32) -> Step {
    browser
        .client
        .set_window_size(width, height)
        .await
        .map_err(|e| format!("resize the window to {width}×{height}: {e}"))
}

/// Submits the form `form` (a CSS selector) with `fields` filled in, and waits for `shown`.
async fn submit(browser: &Browser, form: &str, fields: &[(&str, &str)], shown: &str) -> Step {
    for (field, value) in fields {
        browser
            .fill(&format!("{form} [name={field}]"), value)
            .await?;
    }
    browser.click(&format!("{form} button")).await?;
    browser.expect_text(shown).await
}

/// A technician's refused forms: each page again, with what was typed and why.
async fn technicians_refusals(
    browser: &Browser,
    axe: &str,
    f: &mut Findings,
    files: (&str, &str),
) -> Step {
    browser.open("/handout").await?;
    let held = [("serials", "LAP-2"), ("to", "4471")];
    submit(browser, "form#handout", &held, "LAP-2 is held").await?;
    f.check(browser, axe, "/handout (refused: held by another)")
        .await?;
    browser.shot("axe-handout-refused").await;
    if !browser.focused(".error-summary").await?.0 {
        return Err("the refused hand-out's summary does not have the focus".into());
    }
    // An impossible date, typed where no date picker checks it.
    browser.open("/people/4471").await?;
    browser
        .set_type("form#handout input[name=due]", "text")
        .await?;
    let impossible = [("serials", "PHONE-9"), ("due", "2026-02-30")];
    submit(browser, "form#handout", &impossible, "no such day").await?;
    f.check(
        browser,
        axe,
        "/people/4471 hand-out (refused: invalid date)",
    )
    .await?;
    browser.shot("axe-person-invalid-date").await;
    browser.open("/people/4471").await?;
    submit(
        browser,
        "form#transfer",
        &[("to", "nobody-such")],
        "There is a problem",
    )
    .await?;
    f.check(
        browser,
        axe,
        "/people/4471 transfer (refused: unknown successor)",
    )
    .await?;
    browser.open("/devices/LAP-1").await?;
    submit(
        browser,
        "form#replace",
        &[("with", "LAP-2")],
        "There is a problem",
    )
    .await?;
    f.check(browser, axe, "/devices/LAP-1 replace (refused)")
        .await?;
    browser.open("/devices/PHONE-9").await?;
    submit(
        browser,
        "form#handout",
        &[("person", "nobody-such")],
        "There is a problem",
    )
    .await?;
    f.check(
        browser,
        axe,
        "/devices/PHONE-9 hand-out (refused: unknown person)",
    )
    .await?;
    submit(browser, "form#recycle", &[], "There is a problem").await?;
    f.check(
        browser,
        axe,
        "/devices/PHONE-9 recycle (refused: not confirmed)",
    )
    .await?;
    browser.shot("axe-device-recycle-refused").await;
    let (errors, unreadable) = files;
    for (file, shown, name) in [
        (
            errors,
            "wide-list-errors.csv",
            "/import (dry run with refused rows)",
        ),
        (
            unreadable,
            "There is a problem",
            "/import (refused: a file it cannot read)",
        ),
    ] {
        browser.open("/import").await?;
        browser
            .find("input[type=file]")
            .await?
            .send_keys(file)
            .await
            .map_err(|e| format!("choose the file: {e}"))?;
        browser.click("form[action='/import'] button").await?;
        browser.expect_text(shown).await?;
        f.check(browser, axe, name).await?;
    }
    Ok(())
}

/// A manager's, an auditor's and an admin's pages, the refused ones too.
async fn other_roles_pages(browser: &Browser, axe: &str, f: &mut Findings) -> Step {
    let sign_in_as = |login: &'static str| async move {
        browser
            .client
            .delete_all_cookies()
            .await
            .map_err(|e| e.to_string())?;
        browser.sign_in(login).await
    };
    sign_in_as("boss").await?;
    for path in ["/", "/people/4471", "/leavers", "/overdue", "/report"] {
        f.visit(browser, axe, path, "manager").await?;
    }
    browser.open("/people/4471").await?;
    browser
        .set_type("form#leave input[name=on]", "text")
        .await?;
    submit(
        browser,
        "form#leave",
        &[("on", "31/11/2026")],
        "There is a problem",
    )
    .await?;
    f.check(
        browser,
        axe,
        "/people/4471 last day (refused: invalid date) as manager",
    )
    .await?;
    sign_in_as("audit").await?;
    for path in ["/stock", "/devices/LAP-1", "/people/5000"] {
        f.visit(browser, axe, path, "auditor").await?;
    }
    sign_in_as("admin").await?;
    f.visit(browser, axe, "/users", "admin").await?;
    let short = [
        ("login", "eva"),
        ("name", "Eva Lind"),
        ("password", "short"),
    ];
    submit(browser, "form#account", &short, "Eva Lind").await?;
    f.check(browser, axe, "/users (refused: password too short)")
        .await?;
    browser.shot("axe-users-refused").await;
    Ok(())
}

#[test]
fn every_page_passes_axe_as_the_roles_that_see_it() {
    let test = "every_page_passes_axe_as_the_roles_that_see_it";
    let Some(axe) = axe_source(test) else {
        return;
    };
    let scratch = register();
    let server = Server::start(&scratch);
    let errors = fixture("import/wide-list-errors.csv");
    let unreadable = scratch.write("unreadable.xlsx", "not a workbook");
    let unreadable = unreadable.display().to_string();
    runtime().block_on(async {
        let Some(browser) = browser(test, &server).await else {
            return;
        };
        let mut findings = Findings::default();
        walk(&browser, "axe-pages", async {
            let (axe, f) = (axe.as_str(), &mut findings);
            probe(&browser, axe).await?;
            anyones_pages(&browser, axe, f).await?;
            technicians_pages(&browser, axe, f).await?;
            technicians_refusals(&browser, axe, f, (&errors, &unreadable)).await?;
            other_roles_pages(&browser, axe, f).await?;
            f.verdict()
        })
        .await;
    });
}

/// The printable documents the server serves, checked as the pages are.
#[test]
fn every_document_passes_axe() {
    let test = "every_document_passes_axe";
    let Some(axe) = axe_source(test) else {
        return;
    };
    let scratch = register();
    let server = Server::start(&scratch);
    runtime().block_on(async {
        let Some(browser) = browser(test, &server).await else {
            return;
        };
        let mut findings = Findings::default();
        walk(&browser, "axe-documents", async {
            let (axe, f) = (axe.as_str(), &mut findings);
            browser.sign_in("tech").await?;
            for path in [
                "/people/4471/checklist",
                "/people/4471/receipt?day=2026-12-01",
                "/leavers/checklists?from=2026-11-01&to=2026-12-31",
                "/report?from=2026-01-01&to=2026-12-31",
            ] {
                f.visit(&browser, axe, path, "technician").await?;
            }
            browser.open("/lang/sv?back=/people/4471/checklist").await?;
            f.check(&browser, axe, "/people/4471/checklist (Swedish)")
                .await?;
            f.verdict()
        })
        .await;
    });
}

impl Browser {
    /// Presses each key in turn, as a person at the keyboard does.
    async fn keys(&self, keys: &[char]) -> Step {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_string());
        for key in keys {
            actions = actions
                .then(KeyAction::Down { value: *key })
                .then(KeyAction::Up { value: *key });
        }
        self.client
            .perform_actions(actions)
            .await
            .map_err(|e| format!("press {keys:?}: {e}"))
    }

    async fn type_text(&self, text: &str) -> Step {
        self.keys(&text.chars().collect::<Vec<_>>()).await
    }

    /// Whether the focused element matches `css`, and how its focus shows: the outline's
    /// style and width.
    async fn focused(&self, css: &str) -> Result<(bool, String), String> {
        let seen = self
            .client
            .execute(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.matches(arguments[0]), s.outlineStyle + ' ' + s.outlineWidth,
                         e.outerHTML.slice(0, 120)];",
                vec![css.into()],
            )
            .await
            .map_err(|e| format!("ask what has the focus: {e}"))?;
        let outline = seen[1].as_str().unwrap_or("").to_string();
        if !outline.starts_with("solid 3px") {
            return Err(format!("the focus does not show on {}: {outline}", seen[2]));
        }
        Ok((seen[0].as_bool().unwrap_or(false), outline))
    }

    /// Tabs forward until `css` has the focus, each stop showing its focus clearly.
    async fn tab_to(&self, css: &str) -> Step {
        for _ in 0..40 {
            self.keys(&[Key::Tab.into()]).await?;
            if self.focused(css).await?.0 {
                return Ok(());
            }
        }
        Err(format!("40 presses of Tab did not reach {css}"))
    }
}

#[test]
fn a_hand_out_and_a_return_with_the_keyboard_alone() {
    let test = "a_hand_out_and_a_return_with_the_keyboard_alone";
    let scratch = register();
    let server = Server::start(&scratch);
    let ran = runtime().block_on(async {
        let Some(browser) = browser(test, &server).await else {
            return false;
        };
        walk(&browser, "keyboard", async {
            let enter: char = Key::Enter.into();
            browser.open("/login").await?;
            // The login field has the focus; Tab to the password, Enter signs in.
            browser.type_text("tech").await?;
            browser.keys(&[Key::Tab.into()]).await?;
            browser.type_text("correct horse battery").await?;
            browser.keys(&[enter]).await?;
            browser.expect_path("/").await?;
            // The search box has the focus: a scanner's serial and Enter open the device.
            browser.find("input[name=q]").await?;
            browser.type_text("PHONE-9").await?;
            browser.keys(&[enter]).await?;
            browser.expect_path("/devices/PHONE-9").await?;
            browser.find("#handout-person").await?;
            // The first Tab reaches the skip link; Enter goes past the header.
            browser.tab_to("a.skip").await?;
            browser.keys(&[enter]).await?;
            browser.tab_to("#handout-person").await?;
            browser.type_text("4471").await?;
            browser.keys(&[enter]).await?;
            browser.expect_text("Handed out.").await?;
            browser.shot("keyboard-1-handed-out").await;
            // Back, damaged: the condition's list moves with the arrow keys.
            browser.tab_to("#return-condition").await?;
            browser.keys(&[Key::Down.into()]).await?;
            browser.tab_to("form#return button").await?;
            browser.shot("keyboard-2-return-focused").await;
            browser.keys(&[enter]).await?;
            browser.expect_text("Taken back.").await?;
            browser.expect_text("in repair").await?;
            Ok(())
        })
        .await;
        true
    });
    if !ran {
        return;
    }
    let actions = scratch
        .texts("SELECT action FROM event WHERE actor = 'tech' ORDER BY id")
        .join(" ");
    assert_eq!(actions, "handed_out returned");
}

/// Whether the page is wider than its window (it would scroll sideways), and by how much.
async fn wider_than_window(browser: &Browser) -> Result<Option<String>, String> {
    let seen = browser
        .client
        .execute(
            "const d = document.documentElement;
             return [d.scrollWidth, d.clientWidth];",
            vec![],
        )
        .await
        .map_err(|e| format!("measure the page: {e}"))?;
    let (wide, window) = (
        seen[0].as_f64().unwrap_or(0.0),
        seen[1].as_f64().unwrap_or(0.0),
    );
    Ok((wide > window + 1.0).then(|| format!("{wide} px wide in a window of {window} px")))
}

#[test]
fn the_main_pages_reflow_at_320_px_and_at_200_percent_zoom() {
    let test = "the_main_pages_reflow_at_320_px_and_at_200_percent_zoom";
    let scratch = register();
    let server = Server::start(&scratch);
    runtime().block_on(async {
        let Some(browser) = browser(test, &server).await else {
            return;
        };
        walk(&browser, "reflow", async {
            browser.sign_in("tech").await?;
            let pages = [
                ("search", "/?q=LAP"),
                ("person", "/people/4471"),
                ("device", "/devices/LAP-1"),
                ("handout", "/handout"),
                ("overdue", "/overdue?as_of=2026-12-15"),
                ("leavers", "/leavers?from=2026-11-01&to=2026-12-31"),
                ("statement", "/tillganglighet"),
            ];
            let mut lost = Vec::new();
            for (width, zoom, label) in [(320, "1", "320px"), (1280, "2", "zoom-200")] {
                browser
                    .client
                    .set_window_size(width, 900)
                    .await
                    .map_err(|e| e.to_string())?;
                for (name, path) in pages {
                    browser.open(path).await?;
                    browser.find("main").await?;
                    browser
                        .client
                        .execute(
                            "document.documentElement.style.zoom = arguments[0];",
                            vec![zoom.into()],
                        )
                        .await
                        .map_err(|e| e.to_string())?;
                    browser.shot(&format!("{label}-{name}")).await;
                    if let Some(how) = wider_than_window(&browser).await? {
                        lost.push(format!("{path} at {label}: {how}"));
                    }
                }
            }
            if lost.is_empty() {
                Ok(())
            } else {
                Err(format!("pages scroll sideways: {}", lost.join("; ")))
            }
        })
        .await;
    });
}

//! The pages in a real browser: Debian's Chromium driven through chromedriver (WebDriver)
//! against the real server. A technician's day and a manager's offboarding, with a
//! screenshot of each step in `target/browser-screenshots/` (and of the step that failed).
//!
//! Without chromedriver the tests skip with a reason, except in CI (`CI` set), where a
//! missing browser fails the run.

use crate::common::Scratch;
use crate::web::{Server, account, two_departments};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A browser session; chromedriver stops with it.
pub struct Browser {
    driver: Child,
    pub client: Client,
    pub shots: PathBuf,
    base: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Starts chromedriver and a headless Chromium; `None` (with the reason printed) when
/// they are missing outside CI.
pub async fn browser(test: &str, server: &Server) -> Option<Browser> {
    if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        let reason = format!(
            "{CHROMEDRIVER} or {CHROMIUM} is missing (apt-get install chromium chromium-driver)"
        );
        assert!(
            std::env::var_os("CI").is_none(),
            "in CI the browser must be there: {reason}"
        );
        eprintln!("skipping {test}: {reason}");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900", "--lang=en-GB"],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("..")
        .join("browser-screenshots");
    std::fs::create_dir_all(&shots).expect("the screenshot folder");
    Some(Browser {
        driver,
        client,
        shots,
        base: server.base.clone(),
    })
}

pub type Step = Result<(), String>;

impl Browser {
    pub async fn open(&self, path: &str) -> Step {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .map_err(|e| format!("open {path}: {e}"))
    }

    pub async fn fill(&self, css: &str, text: &str) -> Step {
        let field = self.find(css).await?;
        field
            .clear()
            .await
            .map_err(|e| format!("clear {css}: {e}"))?;
        field
            .send_keys(text)
            .await
            .map_err(|e| format!("type into {css}: {e}"))
    }

    /// Sets a field's value as a date picker would.
    pub async fn set(&self, css: &str, value: &str) -> Step {
        let field = self.find(css).await?;
        let element = serde_json::to_value(field).map_err(|e| e.to_string())?;
        self.client
            .execute(
                "arguments[0].value = arguments[1];",
                vec![element, value.into()],
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("set {css}: {e}"))
    }

    /// Changes a field's type, as an older browser without a date picker would show it.
    pub async fn set_type(&self, css: &str, kind: &str) -> Step {
        let field = self.find(css).await?;
        let element = serde_json::to_value(field).map_err(|e| e.to_string())?;
        self.client
            .execute(
                "arguments[0].type = arguments[1];",
                vec![element, kind.into()],
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("set the type of {css}: {e}"))
    }

    /// Waits for the element: after a click the next page may still be arriving.
    pub async fn find(&self, css: &str) -> Result<fantoccini::elements::Element, String> {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("find {css}: {e}"))
    }

    pub async fn click(&self, css: &str) -> Step {
        self.find(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))
    }

    pub async fn page(&self) -> Result<String, String> {
        self.client.source().await.map_err(|e| e.to_string())
    }

    pub async fn path(&self) -> Result<String, String> {
        let url = self.client.current_url().await.map_err(|e| e.to_string())?;
        Ok(url.path().to_string())
    }

    /// Waits until the page holds `text`: a form's answer may still be loading.
    pub async fn expect_text(&self, text: &str) -> Step {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.page().await?.contains(text) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the page lacks {text:?}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the browser is at `path`.
    pub async fn expect_path(&self, path: &str) -> Step {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let at = self.path().await?;
            if at == path {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("the browser is at {at}, not {path}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn shot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(self.shots.join(format!("{name}.png")), png);
        }
    }

    /// A desktop screenshot and a phone-width one, for looking at the page.
    async fn shots_at_both_widths(&self, name: &str) {
        self.shot(name).await;
        if self.client.set_window_size(390, 844).await.is_ok() {
            self.shot(&format!("{name}-phone")).await;
        }
        let _ = self.client.set_window_size(1280, 900).await;
    }

    pub async fn sign_in(&self, login: &str) -> Step {
        self.open("/login").await?;
        self.fill("input[name=login]", login).await?;
        self.fill("input[name=password]", "correct horse battery")
            .await?;
        self.click("form[action='/login'] button").await?;
        // A click need not wait for the page it leads to, and checking the password takes
        // a while in a debug build: wait for the search page rather than look once.
        self.expect_path("/")
            .await
            .map_err(|at| format!("signing in as {login} did not reach the search page: {at}"))
    }
}

/// Runs `steps`, then ends the browser session (killing chromedriver would leave Chromium
/// running); on failure, a screenshot named after the test first, then the panic.
pub async fn walk(browser: &Browser, test: &str, steps: impl std::future::Future<Output = Step>) {
    let walked = steps.await;
    if walked.is_err() {
        browser.shot(&format!("{test}-failed")).await;
    }
    let _ = browser.client.clone().close().await;
    if let Err(failure) = walked {
        panic!(
            "{test}: {failure} (screenshot in {})",
            browser.shots.display()
        );
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn a_technicians_day_in_the_browser() {
    let scratch = Scratch::new();
    scratch.ok(&[
        "person",
        "add",
        "4471",
        "--name",
        "Karin Sjöberg",
        "--department",
        "Gatukontoret",
    ]);
    scratch.ok(&[
        "device",
        "add",
        "5ZKQ9X4",
        "--kind",
        "laptop",
        "--make",
        "Dell",
        "--model",
        "Latitude 7440",
    ]);
    scratch.ok(&["device", "add", "PF3A1B2C", "--kind", "phone"]);
    account(&scratch, "tech", "technician", &[]);
    let server = Server::start(&scratch);
    let ran = runtime().block_on(async {
        let Some(browser) = browser("a_technicians_day_in_the_browser", &server).await else {
            return false;
        };
        walk(&browser, "technician", async {
            browser.sign_in("tech").await?;
            browser.shot("technician-1-search").await;
            // A scanner types the serial and Enter: the device's page opens.
            browser.fill("input[name=q]", "5ZKQ9X4\n").await?;
            browser.expect_path("/devices/5ZKQ9X4").await?;
            browser
                .fill("form[action$='/handout'] input[name=person]", "4471")
                .await?;
            browser.click("form[action$='/handout'] button").await?;
            browser.expect_text("Handed out.").await?;
            browser.expect_text("Karin Sjöberg").await?;
            browser
                .shots_at_both_widths("technician-2-handed-out")
                .await;
            // Back with damage: it goes to repair.
            browser
                .find("form[action$='/return'] select[name=condition] option[value=damaged]")
                .await?
                .click()
                .await
                .map_err(|e| e.to_string())?;
            browser.click("form[action$='/return'] button").await?;
            browser.expect_text("Taken back.").await?;
            browser.expect_text("in repair").await?;
            // The phone handed out from the hand-out page, then replaced.
            browser.open("/handout").await?;
            browser.fill("textarea[name=serials]", "PF3A1B2C").await?;
            browser.fill("input[name=to]", "4471").await?;
            browser.click("form[action='/handout'] button").await?;
            browser.expect_text("Handed out.").await?;
            browser.open("/devices/PF3A1B2C").await?;
            browser
                .fill("form[action$='/replace'] input[name=with]", "PHONE-NEW-1")
                .await?;
            browser
                .fill("form[action$='/replace'] input[name=kind]", "phone")
                .await?;
            browser.click("form[action$='/replace'] button").await?;
            browser.expect_text("Replaced.").await?;
            browser.open("/people/4471").await?;
            browser.expect_text("PHONE-NEW-1").await?;
            browser.shots_at_both_widths("technician-3-person").await;
            browser.open("/stock").await?;
            browser.shot("technician-4-stock").await;
            browser.open("/import").await?;
            browser.shot("technician-5-import").await;
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
    assert_eq!(
        actions,
        "handed_out returned handed_out replaced handed_out"
    );
    scratch.ok(&["check"]);
}

#[test]
fn a_managers_offboarding_in_the_browser() {
    let scratch = two_departments();
    let server = Server::start(&scratch);
    let ran = runtime().block_on(async {
        let Some(browser) = browser("a_managers_offboarding_in_the_browser", &server).await else {
            return false;
        };
        walk(&browser, "manager", async {
            browser.sign_in("boss").await?;
            browser.open("/people/4471").await?;
            if browser
                .page()
                .await?
                .contains("form method=\"post\" action=\"/people/4471/handout\"")
            {
                return Err("a manager is offered a hand-out form".into());
            }
            browser
                .set("form[action$='/leave'] input[name=on]", "2026-11-30")
                .await?;
            browser.click("form[action$='/leave'] button").await?;
            browser.expect_text("Last working day recorded.").await?;
            browser.shots_at_both_widths("manager-1-person").await;
            browser.click("a[href$='/checklist']").await?;
            browser.expect_text("LAP-1").await?;
            browser.expect_text("Karin Sjöberg").await?;
            browser.shot("manager-2-checklist").await;
            browser.open("/overdue?as_of=2026-12-15").await?;
            browser.expect_text("Karin Sjöberg").await?;
            let overdue = browser.page().await?;
            if overdue.contains("Olle") {
                return Err("the overdue list shows another department's people".into());
            }
            browser.shots_at_both_widths("manager-3-overdue").await;
            browser
                .open("/leavers?from=2026-11-01&to=2026-12-31")
                .await?;
            browser.expect_text("Karin Sjöberg").await?;
            browser.shots_at_both_widths("manager-4-leavers").await;
            browser.open("/report").await?;
            browser.shot("manager-5-report-form").await;
            browser.open("/people/5000").await?;
            browser.expect_text("Not found").await?;
            Ok(())
        })
        .await;
        true
    });
    if !ran {
        return;
    }
    assert_eq!(
        scratch
            .count("SELECT count(*) FROM event WHERE actor = 'boss' AND action = 'leave_recorded'"),
        1
    );
}

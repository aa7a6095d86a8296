//! A real browser for the tests: Debian's Chromium, headless, driven through
//! chromedriver with the `fantoccini` WebDriver client. Without chromedriver a
//! test says plainly that it did not run; under CI (`CI` set) a missing
//! chromedriver is a failure. Also: screenshots written as artifacts
//! (`target/screenshots/`) and the axe-core accessibility check.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct WebDriver {
    driver: Child,
    client: Option<Client>,
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl WebDriver {
    /// A headless Chromium whose preferred language is `lang`; `None` (with a
    /// plain message) when chromedriver is not installed, outside CI.
    pub async fn start(lang: &str) -> Option<WebDriver> {
        let path = std::env::var("RINGDESK_CHROMEDRIVER")
            .unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        if !std::path::Path::new(&path).exists() {
            if std::env::var_os("CI").is_some() {
                panic!("{path} is missing in CI: the browser tests must run (apt-get install chromium chromium-driver)");
            }
            eprintln!("NOT RUN in a browser: install chromium and chromium-driver (or set RINGDESK_CHROMEDRIVER)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let binary =
            std::env::var("RINGDESK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     format!("--lang={lang}"), "--window-size=1280,900"],
            "prefs": {"intl.accept_languages": lang}
        }});
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver takes a moment to listen.
        let mut last = None;
        for _ in 0..100 {
            match builder.connect(&url).await {
                Ok(client) => {
                    return Some(WebDriver {
                        driver,
                        client: Some(client),
                    })
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no WebDriver session: {last:?}");
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open")
    }

    pub async fn open(&self, url: &str) {
        self.client().goto(url).await.unwrap();
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("element {css}: {e}"))
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Waits (up to 10 s) until the page shows `css`, as a user waits for a
    /// page: navigation after a click is asynchronous.
    pub async fn wait_for(&self, css: &str) {
        for _ in 0..100 {
            if self.client().find(Locator::Css(css)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {css}");
    }

    /// Whether the page shows `css` now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client().find(Locator::Css(css)).await.is_ok()
    }

    /// Waits (up to 10 s) until the page no longer shows `css`.
    pub async fn wait_gone(&self, css: &str) {
        for _ in 0..100 {
            if !self.exists(css).await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page still shows {css}");
    }

    /// Waits (up to 10 s) until `css`'s text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(e) = self.client().find(Locator::Css(css)).await {
                last = e.text().await.unwrap_or_default();
                if last.contains(text) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never said {text:?} (last: {last:?})");
    }

    /// An attribute of `css`.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.unwrap()
    }

    /// How many elements match `css`.
    pub async fn count(&self, css: &str) -> usize {
        self.client()
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .len()
    }

    /// A real double click with the mouse (pointer actions).
    pub async fn double_click(&self, css: &str) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let element = self.find(css).await;
        let mouse = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement {
                element,
                duration: None,
                x: 0.0,
                y: 0.0,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.client().perform_actions(mouse).await.unwrap();
    }

    /// Presses keys (WebDriver key codes, e.g. `"\u{e007}"` Enter, `"\u{e004}"` Tab) on
    /// the focused element, as a person at the keyboard does.
    pub async fn press(&self, keys: &str) {
        let e = self.client().active_element().await.unwrap();
        e.send_keys(keys).await.unwrap();
    }

    /// Moves the keyboard focus to `css`.
    pub async fn focus(&self, css: &str) {
        self.client()
            .execute(
                "document.querySelector(arguments[0]).focus()",
                vec![json!(css)],
            )
            .await
            .unwrap();
    }

    /// Whether the focused element matches `css`.
    pub async fn focused_is(&self, css: &str) -> bool {
        self.client()
            .execute(
                "return !!document.activeElement && document.activeElement.matches(arguments[0])",
                vec![json!(css)],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap_or(false)
    }

    pub async fn url(&self) -> String {
        self.client().current_url().await.unwrap().to_string()
    }

    pub async fn title(&self) -> String {
        self.client().title().await.unwrap()
    }

    /// Resizes the browser window (the page's viewport follows).
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.client().set_window_size(width, height).await.unwrap();
    }

    /// The viewport's width and how far the page is wider than it (0: no
    /// sideways scrolling).
    pub async fn sideways_overflow(&self) -> (i64, i64) {
        let v = self
            .client()
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .unwrap();
        (v[0].as_i64().unwrap(), v[1].as_i64().unwrap())
    }

    /// Saves the page as `target/screenshots/<name>.png` (a test artifact).
    pub async fn screenshot(&self, name: &str) -> std::path::PathBuf {
        let png = self.client().screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// The page's accessibility violations of impact `serious` or
    /// `critical`, by axe-core (`RINGDESK_AXE`: the path of `axe.min.js`,
    /// which `.ci/run` installs from the npm registry into a temporary
    /// folder). `None` when axe-core is not there, outside CI.
    pub async fn serious_accessibility_violations(&self) -> Option<Vec<String>> {
        let path = match std::env::var("RINGDESK_AXE") {
            Ok(p) if std::path::Path::new(&p).exists() => p,
            _ if std::env::var_os("CI").is_some() => {
                panic!("RINGDESK_AXE is not set in CI: the accessibility check must run")
            }
            _ => {
                eprintln!(
                    "NOT RUN: the accessibility check (set RINGDESK_AXE to axe-core's axe.min.js)"
                );
                return None;
            }
        };
        let axe = std::fs::read_to_string(path).unwrap();
        self.client().execute(&axe, vec![]).await.unwrap();
        let result = self
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(r => done(r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));",
                vec![],
            )
            .await
            .unwrap();
        Some(
            result
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
        )
    }

    /// Ends the browser session.
    pub async fn close(mut self) {
        if let Some(c) = self.client.take() {
            c.close().await.unwrap();
        }
    }
}

//! The pages in a real browser: Debian's Chromium, headless, driven through
//! chromedriver's WebDriver protocol (plain HTTP, so reqwest is the client).
//! Without chromedriver the test says plainly that it did not run; under CI
//! (`CI` set) a missing chromedriver is a failure.

use crate::helpers::TestApp;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};

both_databases!(
    an_employee_signs_in_and_out_in_a_real_browser_r_t3,
    a_company_signs_up_on_the_page_and_switches_to_portuguese_r_u7_r_u6,
    an_employee_completes_a_task_from_my_tasks_r_a3,
);

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct WebDriver {
    driver: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl WebDriver {
    /// `None` (with a plain message) when chromedriver is not installed, outside CI.
    async fn start(lang: &str) -> Option<WebDriver> {
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
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/status")).send().await {
                if r.json::<Value>()
                    .await
                    .map(|v| v["value"]["ready"] == true)
                    .unwrap_or(false)
                {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let binary =
            std::env::var("RINGDESK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary,
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", format!("--lang={lang}")],
            "prefs": {"intl.accept_languages": lang}
        }}}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("a WebDriver session: {r}"))
            .to_owned();
        Some(WebDriver {
            driver,
            base,
            session,
            http,
        })
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = self.http.request(method.parse().unwrap(), url);
        let req = if method == "GET" {
            req
        } else {
            req.json(&body)
        };
        let r: Value = req.send().await.unwrap().json().await.unwrap();
        assert!(
            r["value"]["error"].is_null(),
            "WebDriver {method} {path}: {r}"
        );
        r["value"].clone()
    }

    async fn open(&self, url: &str) {
        self.call("POST", "/url", json!({"url": url})).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .call(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("element {css}: {v}"))
            .to_owned()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        self.call("POST", &format!("/element/{e}/clear"), json!({}))
            .await;
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let e = self.find(css).await;
        self.call("POST", &format!("/element/{e}/click"), json!({}))
            .await;
    }

    async fn text_of(&self, css: &str) -> String {
        let e = self.find(css).await;
        self.call("GET", &format!("/element/{e}/text"), json!({}))
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Waits (up to 10 s) until the page shows `css`: navigation after a click is asynchronous.
    async fn wait_for(&self, css: &str) {
        for _ in 0..100 {
            let url = format!("{}/session/{}/element", self.base, self.session);
            let r: Value = self
                .http
                .post(url)
                .json(&json!({"using": "css selector", "value": css}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if r["value"][ELEMENT].is_string() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the page never showed {css}");
    }

    async fn url(&self) -> String {
        self.call("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn title(&self) -> String {
        self.call("GET", "/title", json!({}))
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }
}

async fn an_employee_signs_in_and_out_in_a_real_browser_r_t3(app: TestApp) {
    let Some(b) = WebDriver::start("ru").await else {
        return;
    };
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    let email = owner["email"].as_str().unwrap();
    // Signed out, the home page leads to the sign-in page, in the browser's language.
    b.open(&app.url("/")).await;
    assert!(b.url().await.ends_with("/sign-in"));
    assert_eq!(b.title().await, "Вход в Ringdesk");
    // A wrong password: the page says so and no session starts.
    b.type_into("#email", email).await;
    b.type_into("#password", "not the password").await;
    b.click("button[type=submit]").await;
    b.wait_for(".error").await;
    assert_eq!(b.text_of(".error").await, "Неверная эл. почта или пароль.");
    assert!(b.url().await.ends_with("/sign-in"));
    // The right one: the form's CSRF token and cookie carry it through, and the
    // signed-in page shows who is signed in (in the company's language, en).
    b.type_into("#email", email).await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    assert!(b.url().await.ends_with('/'), "{}", b.url().await);
    assert_eq!(b.text_of("#employee").await, "Olena");
    assert_eq!(b.text_of("#company").await, "Acme Repairs");
    assert!(b.text_of("#permissions").await.contains("Manage settings"));
    // Sign out with the page's button: back to the sign-in page, and / is closed again.
    b.click("form[action='/sign-out'] button").await;
    b.wait_for("#password").await;
    assert!(b.url().await.ends_with("/sign-in"));
    b.open(&app.url("/")).await;
    assert!(b.url().await.ends_with("/sign-in"));
    b.call("DELETE", "", json!({})).await;
}

async fn a_company_signs_up_on_the_page_and_switches_to_portuguese_r_u7_r_u6(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    // From the sign-in page's link to the sign-up form (R-U7's fields).
    b.open(&app.url("/sign-in")).await;
    b.click("#sign-up-link").await;
    b.wait_for("#company_name").await;
    b.type_into("#company_name", "Browser Repairs").await;
    b.click("#country option[value='PT']").await;
    b.click("#time_zone option[value='Europe/Lisbon']").await;
    b.click("#locale option[value='en']").await;
    b.type_into("#owner_name", "Rui").await;
    let email = format!("browser-{}@example.com", crate::helpers::unique());
    b.type_into("#email", &email).await;
    b.type_into("#password", "a long secret").await;
    b.click("form[action='/sign-up'] button[type=submit]").await;
    // Signed in at once, on home.
    b.wait_for("#employee").await;
    assert!(b.url().await.ends_with('/'), "{}", b.url().await);
    assert_eq!(b.text_of("#employee").await, "Rui");
    assert_eq!(b.text_of("#company-name").await, "Browser Repairs");
    assert_eq!(b.text_of("nav a[href='/tasks']").await, "Tasks");
    // The language switch: the nav speaks Portuguese, and keeps to it.
    b.click("#language option[value='pt']").await;
    b.click("#language-switch button").await;
    b.wait_for("html[lang='pt'] nav").await;
    assert_eq!(b.text_of("nav a[href='/tasks']").await, "Tarefas");
    assert_eq!(b.text_of("nav a[href='/']").await, "Início");
    b.open(&app.url("/tasks")).await;
    assert_eq!(b.title().await, "As minhas tarefas");
    b.call("DELETE", "", json!({})).await;
}

async fn an_employee_completes_a_task_from_my_tasks_r_a3(app: TestApp) {
    let r = app
        .post(
            "/api/v1/tasks",
            &json!({"title": "Call Maria back", "assignee_ids": [app.owner_id]}),
        )
        .await;
    let task: Value = r.json().await.unwrap();
    let id = task[0]["id"].as_i64().unwrap();
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.open(&app.url("/sign-in")).await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    b.click("nav a[href='/tasks']").await;
    b.wait_for(&format!("#task-{id}")).await;
    b.click(&format!("form[action='/tasks/{id}/complete'] button"))
        .await;
    b.wait_for("#flash").await;
    assert_eq!(b.text_of("#flash").await, "The task is done.");
    b.wait_for(&format!("form[action='/tasks/{id}/reopen']"))
        .await;
    let t = app.get_json(&format!("/api/v1/tasks/{id}")).await;
    assert_eq!(t["status"], "done");
    b.call("DELETE", "", json!({})).await;
}

//! `spawn_app`: a server on port 0 over a fresh database, and a client for it.

use reqwest::{Response, StatusCode};
use ringdesk_domain::signup::SignupPolicy;
use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::Store;
use ringdesk_web::{AppState, Application};
use serde_json::{json, Value};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub store: Store,
    pub token: String,
    pub company_id: i64,
    pub owner_id: i64,
    /// The database this server runs on.
    pub db_url: String,
    _dir: Option<TempDir>,
}

/// A directory removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir =
            std::env::temp_dir().join(format!("ringdesk-test-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}", dir.join("ringdesk.db").display());
        Self::start(&url, Some(TempDir(dir))).await
    }

    /// `None` (and a plain message) when PostgreSQL is not configured; in CI
    /// (`CI` set) a missing configuration fails the test instead.
    pub async fn postgres() -> Option<TestApp> {
        match std::env::var(POSTGRES_URL_VAR) {
            Ok(admin) => {
                let url = fresh_postgres_database(&admin)
                    .await
                    .expect("creating a PostgreSQL test database");
                Some(Self::start(&url, None).await)
            }
            Err(_) if std::env::var_os("CI").is_some() => {
                panic!("{POSTGRES_URL_VAR} is not set in CI: the PostgreSQL tests must run")
            }
            Err(_) => {
                eprintln!("NOT RUN on PostgreSQL: set {POSTGRES_URL_VAR} to run this test there");
                None
            }
        }
    }

    async fn start(url: &str, dir: Option<TempDir>) -> TestApp {
        let store = Store::connect(url)
            .await
            .expect("opening the test database");
        // Sign-up is open here: many tests sign up several companies (R-X3a's
        // other policies have tests of their own in `signup.rs`).
        let base = serve(store.clone(), Some(SignupPolicy::Open)).await;
        // The automation runs as `serve` runs it; tests may also call
        // `store.run_due_jobs(later)` to act as if time had passed.
        std::mem::forget(store.start_automation(std::time::Duration::from_millis(100)));
        let http = reqwest::Client::new();
        let mut t = TestApp {
            base,
            http,
            store,
            token: String::new(),
            company_id: 0,
            owner_id: 0,
            db_url: url.to_owned(),
            _dir: dir,
        };
        let out = t.signup("UA", "Europe/Kyiv", "en").await;
        t.token = out["api_token"].as_str().unwrap().to_owned();
        t.company_id = out["company_id"].as_i64().unwrap();
        t.owner_id = out["owner_id"].as_i64().unwrap();
        t
    }

    /// Signs up another company; returns the 201 body.
    pub async fn signup(&self, country: &str, tz: &str, locale: &str) -> Value {
        self.signup_as(
            country,
            tz,
            locale,
            &format!("owner-{}@example.com", unique()),
        )
        .await
    }

    /// Signs up another company whose owner has this e-mail (password `correct horse`).
    pub async fn signup_as(&self, country: &str, tz: &str, locale: &str, email: &str) -> Value {
        let r = self
            .post_anon(
                "/api/v1/signup",
                &json!({
                    "company": {"name": "Acme Repairs", "country": country, "time_zone": tz, "locale": locale},
                    "owner": {"name": "Olena", "email": email, "password": "correct horse"}
                }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    /// Adds an employee with these permissions through the owner's token;
    /// returns (id, e-mail); the password is `employee pass 1`.
    pub async fn add_employee(&self, permissions: &[&str], extensions: &[&str]) -> (i64, String) {
        let email = format!("emp-{}@example.com", unique());
        let r = self
            .post(
                "/api/v1/employees",
                &json!({"name": "Taras", "email": email, "password": "employee pass 1",
                        "permissions": permissions, "extensions": extensions}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "adding an employee");
        let body: Value = r.json().await.unwrap();
        (body["id"].as_i64().unwrap(), email)
    }

    /// A browser signed in as the company's owner (the tests' one sign-in step).
    pub async fn owner_browser(&self) -> Browser {
        let owner = self
            .get_json(&format!("/api/v1/employees/{}", self.owner_id))
            .await;
        let mut b = self.browser();
        let r = b
            .sign_in(owner["email"].as_str().unwrap(), "correct horse")
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the owner signs in");
        b
    }

    /// A browser for this server (no cookies yet).
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// An API token of the employee `email` with `permissions`, made as they
    /// would make it: signed in, through the API.
    pub async fn token_of(&self, email: &str, password: &str, permissions: &[&str]) -> String {
        let mut b = self.browser();
        let r = b.sign_in(email, password).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "signing in {email}");
        let r = b
            .api(
                "POST",
                "/api/v1/api-tokens",
                Some(json!({"name": "test", "permissions": permissions})),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "creating a token");
        let body: Value = r.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// A token of a new company in `country` (for number-reading tests).
    pub async fn company_token(&self, country: &str) -> String {
        self.signup(country, "Europe/Kyiv", "en").await["api_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Another node on this server's database: its own store (and caches)
    /// and its own server; returns its base URL.
    pub async fn other_node(&self) -> String {
        let store = Store::connect(&self.db_url)
            .await
            .expect("opening the database again");
        serve(store, Some(SignupPolicy::Open)).await
    }

    /// A new, empty database of the same kind as this one (no company yet).
    pub async fn empty_database(&self) -> (Store, Option<TempDir>) {
        if self.db_url.starts_with("sqlite:") {
            let dir = std::env::temp_dir().join(format!(
                "ringdesk-test-{}-{}",
                std::process::id(),
                unique()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let url = format!("sqlite://{}", dir.join("ringdesk.db").display());
            (Store::connect(&url).await.unwrap(), Some(TempDir(dir)))
        } else {
            let admin = std::env::var(POSTGRES_URL_VAR).unwrap();
            let url = fresh_postgres_database(&admin).await.unwrap();
            (Store::connect(&url).await.unwrap(), None)
        }
    }

    pub async fn post_anon(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.post_as(&self.token, path, body).await
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.http
            .patch(self.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_as(&self.token, path).await
    }

    pub async fn get_as(&self, token: &str, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    pub async fn event(&self, body: Value) -> Response {
        self.post("/api/v1/telephony/events", &body).await
    }

    pub async fn events_stored(&self) -> i64 {
        self.store.count_events(self.company_id).await.unwrap()
    }

    /// The call with this provider call id, as the API shows it.
    pub async fn call_by_external(&self, external: &str) -> Value {
        let list = self
            .get_json(&format!("/api/v1/calls?external_id={external}"))
            .await;
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "one call with external id {external}");
        self.get_json(&format!("/api/v1/calls/{}", list[0]["id"]))
            .await
    }
}

/// Serves `store` on port 0 with the sign-up `policy` (`None`: the default,
/// as `Application::build` has it); returns the base URL.
pub async fn serve(store: Store, policy: Option<SignupPolicy>) -> String {
    let addr = "127.0.0.1:0".parse().unwrap();
    let app = match policy {
        Some(signup) => Application::build_with(
            AppState {
                store,
                secure_cookies: false,
                signup,
                outbound: Default::default(),
                twilio_api: ringdesk_telephony::twilio::API_BASE.to_owned(),
            },
            addr,
        )
        .await
        .unwrap(),
        None => Application::build(store, addr).await.unwrap(),
    };
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    base
}

/// A call event of R-X4 at `2026-06-19T13:00:00Z + secs`.
pub fn ev(event_id: &str, call_id: &str, state: &str, secs: i64, from: &str) -> Value {
    let at = jiff::Timestamp::from_second(1_781_874_000 + secs).unwrap();
    json!({"event_id": event_id, "call_id": call_id, "direction": "inbound", "state": state, "at": at.to_string(), "from": from, "to": "+380441234567"})
}

/// Asserts an R-X2 error body with `status`, whose message mentions `needle`.
pub async fn assert_error(r: Response, status: StatusCode, needle: &str) -> Value {
    assert_eq!(r.status(), status);
    let body: Value = r.json().await.unwrap();
    let msg = body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an R-X2 error body, got {body}"));
    assert!(body["error"]["code"].is_string(), "error code in {body}");
    assert!(
        msg.contains(needle),
        "message {msg:?} should mention {needle:?}"
    );
    body
}

pub fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    t ^ (N.fetch_add(1, Ordering::Relaxed) << 48)
}

/// Runs each named behaviour test on SQLite and on PostgreSQL.
macro_rules! both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(crate::helpers::TestApp::sqlite().await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = crate::helpers::TestApp::postgres().await {
                        super::$name(app).await
                    }
                }
            )*
        }
    };
}

/// A browser: keeps cookies, does not follow redirects, sends `Origin` on
/// posts as a browser does, and sends the CSRF token the pages give it.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: std::collections::BTreeMap<String, String>,
    /// The `Set-Cookie` headers of the last response.
    pub last_set_cookies: Vec<String>,
    pub csrf: Option<String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Default::default(),
            last_set_cookies: vec![],
            csrf: None,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, r: &Response) {
        self.last_set_cookies = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for c in self.last_set_cookies.clone() {
            let first = c.split(';').next().unwrap();
            let (k, v) = first.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        self.absorb(&r);
        r
    }

    /// GETs a page and remembers the CSRF token its form carries.
    pub async fn page(&mut self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        let html = r.text().await.unwrap();
        self.csrf = csrf_in(&html);
        html
    }

    pub async fn post_form(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> Response {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(fields);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        self.absorb(&r);
        r
    }

    /// Opens the sign-in page and sends the form as a browser would.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        self.page("/sign-in").await;
        let csrf = self.csrf.clone().expect("a csrf_token in the sign-in form");
        let origin = self.base.clone();
        let r = self
            .post_form(
                "/sign-in",
                &[
                    ("email", email),
                    ("password", password),
                    ("csrf_token", &csrf),
                ],
                Some(&origin),
            )
            .await;
        if r.status() == StatusCode::SEE_OTHER {
            // The signed-in pages carry the session's token.
            let set = self.last_set_cookies.clone();
            let me = self.get("/api/v1/me").await;
            self.last_set_cookies = set;
            let me: Value = me.json().await.unwrap();
            self.csrf = me["csrf_token"].as_str().map(str::to_owned);
        }
        r
    }

    /// An API call with the session cookie (and its CSRF header on changes).
    pub async fn api(&mut self, method: &str, path: &str, body: Option<Value>) -> Response {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .header("cookie", self.cookie_header());
        if method != "GET" {
            if let Some(t) = &self.csrf {
                req = req.header("x-csrf-token", t);
            }
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        self.absorb(&r);
        r
    }
}

/// The value of the hidden `csrf_token` field in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find(r#"name="csrf_token" value=""#)? + r#"name="csrf_token" value=""#.len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// A stand-in for a shop's phone system: answers `status` to every request
/// and hands each one (headers, body) to the test.
pub type Requests = tokio::sync::mpsc::Receiver<(Vec<(String, String)>, Vec<u8>)>;

pub async fn stand_in_pbx(status: u16) -> (String, Requests) {
    stand_in(status, "").await
}

/// A stand-in HTTP server answering `status` with `answer` as its body; its
/// `/dial` URL, and each request (headers, body) as it came.
pub async fn stand_in(status: u16, answer: &'static str) -> (String, Requests) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/dial", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head, then as much body as Content-Length says.
            let (head, body_start) = loop {
                let n = sock.read(&mut chunk).await.unwrap();
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
                if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break (String::from_utf8_lossy(&buf[..p]).into_owned(), p + 4);
                }
            };
            let headers: Vec<(String, String)> = head
                .lines()
                .skip(1)
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect();
            let len: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .map_or(0, |(_, v)| v.parse().unwrap());
            while buf.len() < body_start + len {
                let n = sock.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            let body = buf[body_start..body_start + len].to_vec();
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                answer.len()
            );
            sock.write_all(answer.as_bytes()).await.unwrap();
            let _ = tx.send((headers, body)).await;
        }
    });
    (url, rx)
}

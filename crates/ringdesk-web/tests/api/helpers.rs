//! `spawn_app`: a server on port 0 over a fresh database, and a client for it.

use reqwest::{Response, StatusCode};
use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::Store;
use ringdesk_web::Application;
use serde_json::{json, Value};

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub store: Store,
    pub token: String,
    pub company_id: i64,
    pub owner_id: i64,
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
        let app = Application::build(store.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        let http = reqwest::Client::new();
        let mut t = TestApp {
            base,
            http,
            store,
            token: String::new(),
            company_id: 0,
            owner_id: 0,
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
        let r = self
            .post_anon(
                "/api/v1/signup",
                &json!({
                    "company": {"name": "Acme Repairs", "country": country, "time_zone": tz, "locale": locale},
                    "owner": {"name": "Olena", "email": format!("owner-{}@example.com", unique()), "password": "correct horse"}
                }),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
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

//! Issue 9: a list page costs a constant number of queries, whatever its
//! length: the children of the page's rows (a client's phones, branches and
//! contacts; a lead's calls; a task's assignees; an employee's extensions) are
//! read in one query per kind, not one per row.
//!
//! The count is of sqlx's own statement events (`sqlx::query` target), taken
//! by a subscriber for the whole process. This file is a test binary of its
//! own with one test, and its server runs without the automation runner, so
//! nothing else issues queries while a page is measured.

use reqwest::StatusCode;
use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::Store;
use ringdesk_web::Application;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

/// Counts every statement sqlx runs.
struct CountQueries(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

struct Server {
    base: String,
    http: reqwest::Client,
    token: String,
    owner_id: i64,
    queries: Arc<AtomicUsize>,
}

impl Server {
    async fn start(url: &str, queries: Arc<AtomicUsize>) -> Server {
        let store = Store::connect(url).await.expect("opening the database");
        let app = Application::build(store, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let base = format!("http://{}", app.local_addr());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        let http = reqwest::Client::new();
        let r = http
            .post(format!("{base}/api/v1/signup"))
            .json(&json!({
                "company": {"name": "Acme Repairs", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"},
                "owner": {"name": "Olena", "email": "owner@example.com", "password": "correct horse"}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        Server {
            base,
            http,
            token: body["api_token"].as_str().unwrap().to_owned(),
            owner_id: body["owner_id"].as_i64().unwrap(),
            queries,
        }
    }

    async fn post(&self, path: &str, body: Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "POST {path}");
    }

    async fn get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.json().await.unwrap()
    }

    /// The queries one GET of `path` costs, and how many items it listed. The
    /// same page is read once before, so that a pooled connection and the
    /// token are at hand in both measurements alike.
    async fn cost(&self, path: &str) -> (usize, usize) {
        self.get(path).await;
        // The least of three reads: a token's last use is written at most once
        // a minute and the token cache expires now and then, which a slow
        // machine can land inside one read; neither depends on the page's length.
        let mut cost = usize::MAX;
        let mut page = Value::Null;
        for _ in 0..3 {
            let before = self.queries.load(Ordering::SeqCst);
            page = self.get(path).await;
            cost = cost.min(self.queries.load(Ordering::SeqCst) - before);
        }
        let items = page
            .as_array()
            .or_else(|| page["items"].as_array())
            .map_or(0, Vec::len);
        (cost, items)
    }
}

async fn check(url: &str, queries: Arc<AtomicUsize>) {
    let s = Server::start(url, queries).await;
    for i in 0..30 {
        s.post(
            "/api/v1/clients",
            json!({"name": format!("Client {i}"),
                   "phones": [{"number": format!("067 100 {:02} {:02}", i, i)}, {"number": format!("050 200 {:02} {:02}", i, i), "kind": "mobile"}],
                   "branches": [{"name": "Workshop", "phone": format!("044 300 {:02} {:02}", i, i)}],
                   "contacts": [{"name": "Manager", "mobile": format!("063 400 {:02} {:02}", i, i)}]}),
        )
        .await;
        s.post(
            "/api/v1/leads",
            json!({"client_name": format!("Lead {i}"), "phone": format!("067 500 {:02} {:02}", i, i)}),
        )
        .await;
        s.post(
            "/api/v1/tasks",
            json!({"title": format!("Task {i}"), "assignee_ids": [s.owner_id]}),
        )
        .await;
    }
    for path in ["/api/v1/clients", "/api/v1/leads", "/api/v1/tasks"] {
        let (short, short_items) = s.cost(&format!("{path}?limit=3")).await;
        let (long, long_items) = s.cost(&format!("{path}?limit=30")).await;
        assert_eq!((short_items, long_items), (3, 30), "{path}: page lengths");
        assert!(short > 0, "{path}: no query was counted");
        assert_eq!(
            short, long,
            "{path}: a page of 3 cost {short} queries, a page of 30 cost {long}"
        );
    }
    let (few, few_items) = s.cost("/api/v1/employees").await;
    for i in 0..10 {
        s.post(
            "/api/v1/employees",
            json!({"name": "Taras", "email": format!("emp-{i}@example.com"), "password": "employee pass 1",
                   "permissions": [], "extensions": [format!("2{i:02}"), format!("3{i:02}")]}),
        )
        .await;
    }
    let (many, many_items) = s.cost("/api/v1/employees").await;
    assert_eq!(many_items, few_items + 10);
    assert_eq!(
        few, many,
        "employees: {few_items} cost {few} queries, {many_items} cost {many}"
    );
}

#[tokio::test]
async fn a_list_page_costs_the_same_number_of_queries_whatever_its_length() {
    let queries = Arc::new(AtomicUsize::new(0));
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(CountQueries(queries.clone())),
    )
    .expect("the only subscriber of this test binary");

    let dir = std::env::temp_dir().join(format!("ringdesk-query-count-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    check(
        &format!("sqlite://{}", dir.join("ringdesk.db").display()),
        queries.clone(),
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);

    match std::env::var(POSTGRES_URL_VAR) {
        Ok(admin) => {
            let url = fresh_postgres_database(&admin).await.unwrap();
            check(&url, queries).await;
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{POSTGRES_URL_VAR} is not set in CI: the PostgreSQL half must run")
        }
        Err(_) => eprintln!("NOT RUN on PostgreSQL: set {POSTGRES_URL_VAR} to run it there"),
    }
}

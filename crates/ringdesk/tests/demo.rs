//! `ringdesk demo` and `ringdesk simulate` as a user runs them (R-X1, issue 12
//! item 9): the built binary, real servers on port 0, fresh SQLite files.
//!
//! The browser test is here, not in ringdesk-web's `tests/api/`, because only
//! this crate's tests have the built binary (`CARGO_BIN_EXE_ringdesk`), and
//! the issue asks for `ringdesk demo` itself running. It reuses the suite's
//! WebDriver helper by path (`#[path]`) instead of copying it, so both suites
//! drive Chromium the same way and fail the same way in CI without it.

#[path = "../../ringdesk-web/tests/api/webdriver.rs"]
#[expect(dead_code, reason = "the shared helper has more than this test uses")]
mod webdriver;

use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::{CallFilter, Store};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long a started binary may take to say what it must; generous, for a busy CI machine.
const PATIENCE: Duration = Duration::from_secs(120);

fn ringdesk() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ringdesk"));
    c.env_remove("RINGDESK_CONFIG")
        .env_remove("RINGDESK_DATABASE_URL")
        .env_remove("RINGDESK_LISTEN")
        .env("NO_COLOR", "1");
    c
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = ringdesk().args(args).output().expect("running ringdesk");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A running `ringdesk` whose standard output is read line by line; killed when dropped.
struct Running {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = ringdesk()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting ringdesk");
        let out = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The first line (seen or coming) that contains `text`.
    fn line_with(&mut self, text: &str) -> String {
        if let Some(l) = self.seen.iter().find(|l| l.contains(text)) {
            return l.clone();
        }
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if l.contains(text) {
                        return l;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "ringdesk never printed {text:?}; it printed {:?}",
            self.seen
        );
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `http://ADDR` that follows `marker` in `line`.
fn address_after(line: &str, marker: &str) -> String {
    let at = line
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {line}"))
        + marker.len();
    let rest: String = line[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '\u{1b}')
        .collect();
    format!("http://{rest}")
}

/// The value after `name:` in `line` (up to the next space).
fn value_after(line: &str, name: &str) -> String {
    let at = line
        .find(name)
        .unwrap_or_else(|| panic!("{name} in {line}"))
        + name.len();
    line[at..].split_whitespace().next().unwrap().to_owned()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ringdesk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The calls stored in `db` for the company of `email`.
async fn stored_calls(db: &str, email: &str) -> Vec<ringdesk_store::Call> {
    let store = Store::connect(db).await.unwrap();
    let account = store.sign_in_account(email).await.unwrap().unwrap();
    let filter = CallFilter {
        limit: 1000,
        ..Default::default()
    };
    let calls = store.calls(account.company_id, &filter).await.unwrap();
    store.close().await;
    calls
}

async fn password_signs_in(db: &str, email: &str, password: &str) -> bool {
    let store = Store::connect(db).await.unwrap();
    let account = store.sign_in_account(email).await.unwrap().unwrap();
    let ok = ringdesk_app::credentials::verify_password(
        password.to_owned().into(),
        Some(account.password_hash),
    )
    .await
    .unwrap();
    store.close().await;
    ok
}

/// A started demo: its address and the operator's and owner's sign-ins.
struct Demo {
    /// Held so that the demo runs until this is dropped.
    _process: Running,
    url: String,
    operator: (String, String),
    owner: (String, String),
}

/// `ringdesk demo` on `db` with the traffic of seed 1 at `rate` calls a minute.
fn start_demo(db: &str, rate: &str) -> Demo {
    let mut running = Running::start(&[
        "demo",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        db,
        "--seed",
        "1",
        "--rate",
        rate,
    ]);
    let url = address_after(&running.line_with("Open http://"), "Open http://");
    let sign_in = |line: String, who: &str| {
        (
            value_after(&line, &format!("{who}:")),
            value_after(&line, "password:"),
        )
    };
    let operator = sign_in(running.line_with("operator:"), "operator");
    let owner = sign_in(running.line_with("owner:"), "owner");
    Demo {
        _process: running,
        url,
        operator,
        owner,
    }
}

/// A fresh SQLite file in `dir`, and a fresh PostgreSQL database when
/// `RINGDESK_TEST_POSTGRES_URL` names a server (required under CI).
async fn databases(dir: &std::path::Path) -> Vec<String> {
    let mut dbs = vec![format!("sqlite://{}", dir.join("ringdesk.db").display())];
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(admin) => dbs.push(fresh_postgres_database(&admin).await.unwrap()),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{POSTGRES_URL_VAR} is not set in CI: the PostgreSQL half must run")
        }
        Err(_) => eprintln!("NOT RUN on PostgreSQL: set {POSTGRES_URL_VAR} to run it there"),
    }
    dbs
}

#[tokio::test]
async fn demo_loads_a_company_prints_the_sign_ins_and_calls_start_at_once_r_x1() {
    let dir = temp_dir("demo");
    for db in databases(&dir).await {
        demo_on(&db).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

async fn demo_on(db: &str) {
    let db = db.to_owned();
    let demo = start_demo(&db, "4");
    assert!(demo.url.starts_with("http://127.0.0.1:"), "{}", demo.url);
    let health = reqwest::get(format!("{}/healthz", demo.url)).await.unwrap();
    assert!(health.status().is_success());
    assert!(password_signs_in(&db, &demo.operator.0, &demo.operator.1).await);
    assert!(password_signs_in(&db, &demo.owner.0, &demo.owner.1).await);

    // The first call is made at once; wait until the server has stored it.
    let deadline = Instant::now() + PATIENCE;
    let calls = loop {
        let calls = stored_calls(&db, &demo.owner.0).await;
        if !calls.is_empty() || Instant::now() > deadline {
            break calls;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(!calls.is_empty(), "no simulated call arrived");
    let first = calls.last().unwrap();
    assert!(
        first.client_id.is_some(),
        "the first caller is a client: {first:?}"
    );
    assert!(
        first.operator_id.is_some(),
        "it rings an operator: {first:?}"
    );

    // A second demo refuses the database that now holds a company, saying why.
    let (ok, _, err) = run(&["demo", "--listen", "127.0.0.1:0", "--database-url", &db]);
    assert!(!ok && err.contains("already holds a company"), "{err}");
    let (ok, out, _) = run(&["demo", "--help"]);
    assert!(
        ok && out.contains("--rate") && out.contains("--database-url"),
        "{out}"
    );
    drop(demo);
}

#[tokio::test]
async fn simulate_sends_calls_through_the_webhook_and_the_server_stores_them_r_x4() {
    let dir = temp_dir("simulate");
    for db in databases(&dir).await {
        simulate_on(&db).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

async fn simulate_on(db: &str) {
    let db = db.to_owned();
    let (ok, out, err) = ringdesk()
        .args([
            "company",
            "create",
            "--database-url",
            &db,
            "--name",
            "Acme",
            "--country",
            "UA",
            "--time-zone",
            "Europe/Kyiv",
            "--owner-name",
            "Olena",
            "--owner-email",
            "olena@example.com",
            "--owner-password",
            "correct horse",
        ])
        .output()
        .map(|o| {
            (
                o.status.success(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
        .unwrap();
    assert!(ok, "{err}");
    let token = value_after(&out, "api_token:");
    let mut server = Running::start(&["serve", "--listen", "127.0.0.1:0", "--database-url", &db]);
    let url = address_after(
        &server.line_with("listening on http://"),
        "listening on http://",
    );

    // Clear errors: a bad URL, a refused token, a company whose country cannot be told.
    let (ok, _, err) = run(&[
        "simulate",
        "--url",
        "localhost:1",
        "--token",
        &token,
        "--duration",
        "1s",
    ]);
    assert!(!ok && err.contains("--url"), "{err}");
    let (ok, _, err) = run(&[
        "simulate",
        "--url",
        &url,
        "--token",
        "rd_wrong",
        "--duration",
        "1s",
    ]);
    assert!(!ok && err.contains("401"), "{err}");
    let (ok, _, err) = run(&[
        "simulate",
        "--url",
        &url,
        "--token",
        &token,
        "--duration",
        "1s",
    ]);
    assert!(!ok && err.contains("--country"), "{err}");

    let (ok, out, err) = run(&[
        "simulate",
        "--url",
        &url,
        "--token",
        &token,
        "--rate",
        "120",
        "--duration",
        "3s",
        "--speed",
        "30",
        "--seed",
        "7",
        "--country",
        "UA",
    ]);
    assert!(ok, "{err}");
    let calls: usize = value_after(&out, "calls:").parse().unwrap();
    let events = out.lines().find(|l| l.starts_with("events:")).expect(&out);
    let count = |what: &str| -> usize {
        let at = events.find(what).expect(events);
        events[..at]
            .split_whitespace()
            .last()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(calls >= 1, "{out}");
    assert!(count(" accepted") >= calls, "{out}");
    assert_eq!(count(" rejected"), 0, "{out}");
    let stored = stored_calls(&db, "olena@example.com").await;
    assert_eq!(
        stored.len(),
        calls,
        "every simulated call is stored once: {out}"
    );
    assert!(
        stored.iter().all(|c| c.ended_at.is_some()),
        "every call finished: {stored:?}"
    );
    drop(server);
}

/// Issue 12's "done when": `ringdesk demo` running, an operator signs in in
/// headless Chromium and sees a simulated call in the call bar (R-U1, R-X1).
#[tokio::test]
async fn an_operator_signed_in_to_the_demo_sees_a_simulated_call_in_the_call_bar_r_x1_r_u1() {
    let dir = temp_dir("demo-browser");
    let db = format!("sqlite://{}", dir.join("demo.db").display());
    // Calls seldom after the first, so that the bar shows the demo's opening call.
    let demo = start_demo(&db, "0.2");
    let Some(b) = webdriver::WebDriver::start("en").await else {
        return;
    };
    b.open(&format!("{}/sign-in", demo.url)).await;
    b.type_into("#email", &demo.operator.0).await;
    b.type_into("#password", &demo.operator.1).await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    b.wait_for("#call-bar .call-item").await;
    let caller = b.text_of("#call-bar .call-item .call-client").await;
    assert!(
        !caller.is_empty() && !caller.chars().any(|c| c.is_ascii_digit()),
        "the caller is one of the demo's clients, by name: {caller:?}"
    );
    b.screenshot("demo-call-bar").await;
    b.close().await;
    drop(demo);
    let _ = std::fs::remove_dir_all(&dir);
}

//! The live stream (R-X7) in a real browser (headless Chromium): after the
//! server restarts, the page's stream resumes with `Last-Event-ID` and shows
//! what was committed while it was down; with two servers on one database, a
//! change posted to one reaches a browser connected to the other.

use crate::helpers::{ev, TestApp};
use crate::webdriver::WebDriver;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::net::SocketAddr;

both_databases!(
    a_pages_stream_resumes_after_a_server_restart_with_nothing_missed_r_x7,
    a_call_posted_to_one_server_reaches_a_browser_on_the_other_r_x7_r_u1,
);

/// A server of this test's own on `addr` (port 0: any), over the app's store.
async fn start(
    app: &TestApp,
    addr: SocketAddr,
) -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    // The port may take a moment to be free again after a stop.
    let mut last = None;
    for _ in 0..50 {
        match ringdesk_web::Application::build(app.store.clone(), addr).await {
            Ok(server) => {
                let at = server.local_addr();
                let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
                let task = tokio::spawn(async move {
                    server
                        .run_until_stopped(async move {
                            let _ = stopped.await;
                        })
                        .await
                        .unwrap();
                });
                return (at, stop, task);
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("cannot listen on {addr}: {last:?}");
}

async fn sign_in(app: &TestApp, b: &WebDriver, base: &str) {
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.open(&format!("{base}/sign-in")).await;
    b.wait_for("#password").await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
}

async fn lead(app: &TestApp, name: &str) -> i64 {
    let r = app
        .post("/api/v1/leads", &json!({"client_name": name}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn notice(id: i64) -> String {
    format!("#live-notices li[data-kind='lead'][data-id='{id}']")
}

async fn a_pages_stream_resumes_after_a_server_restart_with_nothing_missed_r_x7(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let (addr, stop, task) = start(&app, "127.0.0.1:0".parse().unwrap()).await;
    let base = format!("http://{addr}");
    sign_in(&app, &b, &base).await;
    // Live before the restart: a new lead shows as a notice.
    let before = lead(&app, "Before the restart").await;
    b.wait_for(&notice(before)).await;
    // The server stops (its streams end); two leads are made meanwhile
    // through the other server on the same database.
    stop.send(()).unwrap();
    task.await.unwrap();
    let during = [
        lead(&app, "While it was down 1").await,
        lead(&app, "While it was down 2").await,
    ];
    // The same address again: the browser reconnects by itself with the last
    // id it got, and the stream replays what it missed.
    let (_, stop, task) = start(&app, addr).await;
    for id in during {
        b.wait_for(&notice(id)).await;
    }
    assert_eq!(b.count(&notice(before)).await, 1, "nothing twice");
    // And it is live again.
    let after = lead(&app, "After the restart").await;
    b.wait_for(&notice(after)).await;
    b.screenshot(&format!(
        "live-resumed-{}",
        if app.db_url.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        }
    ))
    .await;
    b.close().await;
    stop.send(()).unwrap();
    task.await.unwrap();
}

async fn a_call_posted_to_one_server_reaches_a_browser_on_the_other_r_x7_r_u1(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    // Its own store and server: on PostgreSQL the commit on the first
    // reaches it through NOTIFY; on SQLite through its poll of the outbox.
    let other = app.other_node().await;
    sign_in(&app, &b, &other).await;
    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Oksana Two-Nodes", "phones": [{"number": "+380679990011"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app
        .event(ev(
            "two-nodes-1",
            "two-nodes",
            "ringing",
            0,
            "+380679990011",
        ))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let id = app.call_by_external("two-nodes").await["id"]
        .as_i64()
        .unwrap();
    b.wait_for_text(&format!("#call-{id} .call-client"), "Oksana Two-Nodes")
        .await;
    b.close().await;
}

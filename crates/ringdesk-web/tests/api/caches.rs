//! Issue 9: a cache cannot outlive a change. Two nodes share one database;
//! what is revoked through one is refused by the other within 30 seconds
//! (on PostgreSQL at once, through NOTIFY; on SQLite when the entry's short
//! time to live runs out).

use crate::helpers::{ev, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

both_databases!(
    a_webhook_secret_revoked_through_one_node_is_refused_by_another_within_30_seconds_r_i1,
    a_token_revoked_through_one_node_is_refused_by_another_within_30_seconds_r_t5,
);

/// Polls `probe` until it answers `want`, for at most 30 s; returns the last answer.
async fn within_30_seconds<F, Fut>(want: StatusCode, mut probe: F) -> StatusCode
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = StatusCode>,
{
    let start = Instant::now();
    let mut n = 0;
    loop {
        n += 1;
        let got = probe(n).await;
        if got == want || start.elapsed() > Duration::from_secs(30) {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn signed_event(app: &TestApp, base: &str, secret: &str, event_id: &str) -> StatusCode {
    let body = ev(event_id, "c-nodes", "ringing", 0, "0671234567").to_string();
    let now = jiff::Timestamp::now().as_second();
    let msg = format!("msg-{event_id}");
    let signature = ringdesk_web::signature::sign(secret, &msg, now, body.as_bytes()).unwrap();
    app.http
        .post(format!("{base}/api/v1/telephony/events"))
        .bearer_auth(&app.token)
        .header("webhook-id", msg)
        .header("webhook-timestamp", now.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

async fn a_webhook_secret_revoked_through_one_node_is_refused_by_another_within_30_seconds_r_i1(
    app: TestApp,
) {
    let b = app.other_node().await;
    let new_secret = || async {
        let s: Value = app
            .post("/api/v1/settings/webhook-signing/secrets", &json!({}))
            .await
            .json()
            .await
            .unwrap();
        (
            s["id"].as_i64().unwrap(),
            s["secret"].as_str().unwrap().to_owned(),
        )
    };
    let (old_id, old) = new_secret().await;
    let (_, kept) = new_secret().await;
    let r = app
        .http
        .put(app.url("/api/v1/settings/webhook-signing"))
        .bearer_auth(&app.token)
        .json(&json!({"required": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Node B requires the signature too (within the bound), and takes the old secret:
    // its context is now cached.
    let unsigned = within_30_seconds(StatusCode::UNAUTHORIZED, |n| {
        let body = ev(&format!("u-{n}"), "c-nodes", "ringing", 0, "0671234567");
        let (http, url, token) = (
            app.http.clone(),
            format!("{b}/api/v1/telephony/events"),
            app.token.clone(),
        );
        async move {
            http.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }
    })
    .await;
    assert_eq!(unsigned, StatusCode::UNAUTHORIZED, "B requires signatures");
    assert_eq!(
        signed_event(&app, &b, &old, "b-0").await,
        StatusCode::ACCEPTED
    );

    // Revoked through node A …
    let r = app
        .http
        .delete(app.url(&format!(
            "/api/v1/settings/webhook-signing/secrets/{old_id}"
        )))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // … refused by node B.
    let got = within_30_seconds(StatusCode::UNAUTHORIZED, |n| {
        let (app, b, old) = (&app, b.clone(), old.clone());
        async move { signed_event(app, &b, &old, &format!("b-old-{n}")).await }
    })
    .await;
    assert_eq!(
        got,
        StatusCode::UNAUTHORIZED,
        "node B still takes the revoked secret"
    );
    // The secret still live signs on B.
    assert_eq!(
        signed_event(&app, &b, &kept, "b-kept").await,
        StatusCode::ACCEPTED
    );
}

async fn a_token_revoked_through_one_node_is_refused_by_another_within_30_seconds_r_t5(
    app: TestApp,
) {
    let b = app.other_node().await;
    let created: Value = app
        .post(
            "/api/v1/api-tokens",
            &json!({"name": "pbx", "permissions": ["view_clients"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    let on_b = |token: String| {
        let (http, url) = (app.http.clone(), format!("{b}/api/v1/clients"));
        async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Node B has authenticated (and cached) the token.
    assert_eq!(on_b(token.clone()).await, StatusCode::OK);
    let r = app
        .http
        .delete(app.url(&format!("/api/v1/api-tokens/{}", created["id"])))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "revoking: {}", r.status());
    let got = within_30_seconds(StatusCode::UNAUTHORIZED, |_| on_b(token.clone())).await;
    assert_eq!(
        got,
        StatusCode::UNAUTHORIZED,
        "node B still takes the revoked token"
    );
    // The owner's token is untouched on B.
    assert_eq!(on_b(app.token.clone()).await, StatusCode::OK);
}

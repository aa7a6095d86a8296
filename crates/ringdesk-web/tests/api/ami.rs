//! Asterisk Manager Interface (issue 12 item 2; R-I3, R-X8): a fake AMI
//! server replays transcripts written from AMI's documentation
//! (`ringdesk-telephony/tests/ami/*.txt`); the supervisor that `serve` runs
//! connects to it, and each scenario must end with the same call as the
//! generic webhook gives for the same call, posted to a second company.

use crate::helpers::*;
use reqwest::StatusCode;
use ringdesk_telephony::ami::supervisor::{Supervisor, SupervisorConfig};
use ringdesk_telephony::ami::testing::{segments, transcript, FakeAmi};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

const USER: &str = "ringdesk";
const SECRET: &str = "s3cret-ami";
const LID: &str = "1781874000.1";
const CUSTOMER: &str = "+380671234567";
const DID: &str = "+380441234567";

/// A supervisor polling every 100 ms with a 1 s lease (tests' timing).
fn supervisor(app: &TestApp, node: &str) -> Supervisor {
    supervisor_on(app.store.clone(), node)
}

fn supervisor_on(store: ringdesk_store::Store, node: &str) -> Supervisor {
    Supervisor::start(
        store,
        SupervisorConfig {
            node: node.to_owned(),
            poll: Duration::from_millis(100),
            lease: Duration::from_secs(1),
            outbound_allowed: Arc::new(|_| true),
        },
    )
}

/// Waits (20 s at most) until `done` holds of what `probe` returns.
async fn eventually<T, F, Fut>(what: &str, mut probe: F, done: impl Fn(&T) -> bool) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
    T: std::fmt::Debug,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let v = probe().await;
        if done(&v) {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: still {v:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Two employees with extensions 201 and 202; returns id → extension.
async fn staff(app: &TestApp, token: &str) -> BTreeMap<i64, String> {
    let mut out = BTreeMap::new();
    for ext in ["201", "202"] {
        let r = app
            .post_as(
                token,
                "/api/v1/employees",
                &json!({"name": format!("Operator {ext}"), "email": format!("op{ext}-{}@example.com", unique()),
                        "password": "employee pass 1", "permissions": [], "extensions": [ext]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        out.insert(body["id"].as_i64().unwrap(), ext.to_owned());
    }
    out
}

async fn enable_ami(app: &TestApp, port: u16, secret: &str) {
    let r = app
        .http
        .put(app.url("/api/v1/settings/integrations/ami"))
        .bearer_auth(&app.token)
        .json(&json!({"enabled": true, "host": "127.0.0.1", "port": port, "username": USER, "secret": secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// The call with this external id in the company of `token`, once it exists.
async fn call_of(app: &TestApp, token: &str, external: &str) -> Option<Value> {
    let list: Value = app
        .get_as(token, &format!("/api/v1/calls?external_id={external}"))
        .await
        .json()
        .await
        .unwrap();
    let id = list.as_array()?.first()?["id"].as_i64()?;
    let call: Value = app
        .get_as(token, &format!("/api/v1/calls/{id}"))
        .await
        .json()
        .await
        .unwrap();
    Some(call)
}

/// What two companies' calls must share: everything but ids, with the
/// operator as their extension.
fn comparable(call: &Value, staff: &BTreeMap<i64, String>) -> Value {
    let mut c = call.clone();
    let o = c.as_object_mut().unwrap();
    for k in [
        "id",
        "external_id",
        "client_id",
        "recovered_by_call_id",
        "automation",
    ] {
        o.remove(k);
    }
    for e in o["timeline"].as_array_mut().unwrap() {
        let e = e.as_object_mut().unwrap();
        for k in ["event_id", "received_at", "operator_id"] {
            e.remove(k);
        }
    }
    let op = o
        .remove("operator_id")
        .and_then(|v| v.as_i64())
        .map(|id| staff[&id].clone());
    o.insert("operator".into(), json!(op));
    c
}

/// A generic event (R-X4) at 13:00:00Z + `secs`.
fn generic(
    id: &str,
    call: &str,
    state: &str,
    secs: i64,
    operator: Option<&str>,
    queue: Option<&str>,
) -> Value {
    let mut e = ev(id, call, state, secs, CUSTOMER);
    e["to"] = json!(DID);
    if let Some(op) = operator {
        e["operator"] = json!(op);
    }
    if let Some(q) = queue {
        e["queue"] = json!(q);
    }
    e
}

fn ended(call: &Option<Value>) -> bool {
    call.as_ref()
        .is_some_and(|c| c["times"]["ended"].is_string())
}

/// Replays `name` to company A through AMI, posts `events` to company B
/// through the webhook, and compares the two calls; returns A's call.
async fn same_as_webhook(app: &TestApp, name: &str, external: &str, events: Vec<Value>) -> Value {
    let a_staff = staff(app, &app.token).await;
    let fake = FakeAmi::start(USER, SECRET, transcript(name)).await;
    enable_ami(app, fake.port(), SECRET).await;
    let sup = supervisor(app, "node-a");
    let ours = eventually(name, || call_of(app, &app.token, external), ended)
        .await
        .unwrap();
    assert_eq!(
        fake.segments_sent(),
        segments(transcript(name)).len(),
        "{name}: every segment sent"
    );
    sup.stop().await;

    let b = app.signup("UA", "Europe/Kyiv", "en").await;
    let b_token = b["api_token"].as_str().unwrap().to_owned();
    let b_staff = staff(app, &b_token).await;
    for e in events {
        let r = app.post_as(&b_token, "/api/v1/telephony/events", &e).await;
        assert!(r.status().is_success(), "{name}: generic event {e} refused");
    }
    let theirs = call_of(app, &b_token, external)
        .await
        .expect("the generic call");
    assert_eq!(
        comparable(&ours, &a_staff),
        comparable(&theirs, &b_staff),
        "{name}: AMI and webhook differ"
    );
    ours
}

async fn an_answered_call_is_the_webhooks_answered_call_r_i3(app: TestApp) {
    let c = same_as_webhook(
        &app,
        "answered",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "answered", 10, Some("201"), None),
            generic("g3", LID, "completed", 70, None, None),
        ],
    )
    .await;
    assert_eq!(c["state"], "completed");
    assert_eq!(c["talk_seconds"], 60);
}

async fn a_call_the_caller_gave_up_on_is_cancelled_and_missed_r_i3(app: TestApp) {
    let c = same_as_webhook(
        &app,
        "cancelled",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "cancelled", 8, None, None),
        ],
    )
    .await;
    assert_eq!(c["state"], "cancelled");
    assert_eq!(c["missed"], true);
}

async fn an_unanswered_ring_group_is_no_answer_from_dialend_not_the_hangup_cause_r_i3(
    app: TestApp,
) {
    let c = same_as_webhook(
        &app,
        "ring_group",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "no_answer", 22, None, None),
        ],
    )
    .await;
    assert_eq!(c["state"], "no_answer");
}

async fn a_queue_call_waits_from_join_to_agent_connect_r_i3(app: TestApp) {
    let c = same_as_webhook(
        &app,
        "queue_answered",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "queued", 2, None, Some("support")),
            generic("g3", LID, "answered", 15, Some("201"), None),
            generic("g4", LID, "completed", 75, None, None),
        ],
    )
    .await;
    assert_eq!(c["queue"], "support");
    assert_eq!(c["state"], "completed");
}

async fn a_caller_abandoning_the_queue_is_a_cancelled_missed_call_r_i3(app: TestApp) {
    let c = same_as_webhook(
        &app,
        "queue_abandoned",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "queued", 2, None, Some("support")),
            generic("g3", LID, "cancelled", 30, None, None),
        ],
    )
    .await;
    assert_eq!(c["missed"], true);
}

async fn a_transferred_call_ends_with_the_second_operator_r_i3_r_c5(app: TestApp) {
    let c = same_as_webhook(
        &app,
        "transfer",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "answered", 5, Some("201"), None),
            generic("g3", LID, "answered", 40, Some("202"), None),
            generic("g4", LID, "completed", 100, None, None),
        ],
    )
    .await;
    assert_eq!(c["state"], "completed");
}

async fn an_extension_dialling_out_is_outbound_manual_r_i3(app: TestApp) {
    let out = |id: &str, state: &str, secs: i64, op: Option<&str>| {
        let mut e = generic(id, "1781874000.7", state, secs, op, None);
        e["direction"] = json!("outbound_manual");
        e["from"] = json!("201");
        e["to"] = json!("0441112233");
        e
    };
    let c = same_as_webhook(
        &app,
        "outbound",
        "1781874000.7",
        vec![
            out("g1", "ringing", 0, Some("201")),
            out("g2", "answered", 8, Some("201")),
            out("g3", "completed", 60, None),
        ],
    )
    .await;
    assert_eq!(c["direction"], "outbound_manual");
}

async fn a_drop_mid_call_then_core_show_channels_still_listing_it_keeps_one_call_and_records_a_gap_r_i3(
    app: TestApp,
) {
    let c = same_as_webhook(
        &app,
        "drop_still_up",
        LID,
        vec![
            generic("g1", LID, "ringing", 0, None, None),
            generic("g2", LID, "answered", 10, Some("201"), None),
            generic("g3", LID, "completed", 90, None, None),
        ],
    )
    .await;
    assert_eq!(c["talk_seconds"], 80);
    let gaps = app.get_json("/api/v1/integrations/ami/gaps").await;
    assert_eq!(gaps.as_array().unwrap().len(), 1, "one outage: {gaps}");
    assert_eq!(
        app.get_json("/api/v1/calls")
            .await
            .as_array()
            .unwrap()
            .len(),
        1,
        "never a second call"
    );
}

async fn a_call_gone_after_the_reconnect_is_closed_and_the_outage_is_a_gap_r_i3(app: TestApp) {
    let a_staff = staff(&app, &app.token).await;
    let fake = FakeAmi::start(USER, SECRET, transcript("drop_gone")).await;
    enable_ami(&app, fake.port(), SECRET).await;
    let sup = supervisor(&app, "node-a");
    let ours = eventually("drop_gone", || call_of(&app, &app.token, LID), ended)
        .await
        .unwrap();
    sup.stop().await;
    // Closed when the connection was lost: answered by 201, completed.
    let c = comparable(&ours, &a_staff);
    assert_eq!(c["state"], "completed");
    assert_eq!(c["operator"], "201");
    assert_eq!(c["times"]["answered"], "2026-06-19T13:00:10Z");
    let gaps = app.get_json("/api/v1/integrations/ami/gaps").await;
    let gaps = gaps.as_array().unwrap();
    assert_eq!(gaps.len(), 1);
    assert!(gaps[0]["from"].as_str() <= gaps[0]["to"].as_str());
    // The calls page says so.
    let mut b = app.owner_browser().await;
    let html = b.page("/calls").await;
    assert!(
        html.contains("No data from the PBX between"),
        "the gap line on /calls"
    );
}

async fn a_refused_login_is_reported_and_not_retried_at_once_r_i3(app: TestApp) {
    let fake = FakeAmi::start(USER, SECRET, transcript("answered")).await;
    enable_ami(&app, fake.port(), "wrong secret").await;
    let sup = supervisor(&app, "node-a");
    let s = eventually(
        "login refused",
        || app.get_json("/api/v1/settings/integrations/ami"),
        |s: &Value| s["status"]["state"] == "login_refused",
    )
    .await;
    assert!(s["status"]["detail"]
        .as_str()
        .unwrap()
        .contains("Authentication failed"));
    assert_eq!(s["secret_set"], true);
    assert!(s.get("secret").is_none(), "the secret is write-only (R-X8)");
    // The next attempt waits for the longest back-off (60 s), not 100 ms.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(fake.logins(), 1);
    sup.stop().await;
    assert!(app
        .get_json("/api/v1/calls")
        .await
        .as_array()
        .unwrap()
        .is_empty());
}

async fn the_settings_keep_the_secret_write_only_and_name_bad_fields_r_x8(app: TestApp) {
    let put = |body: Value| {
        let app = &app;
        async move {
            app.http
                .put(app.url("/api/v1/settings/integrations/ami"))
                .bearer_auth(&app.token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let s = app.get_json("/api/v1/settings/integrations/ami").await;
    assert_eq!(s["enabled"], false);
    assert_eq!(s["secret_set"], false);
    assert_eq!(s["port"], 5038);
    // Enabling without a secret: 409 naming it.
    let r =
        put(json!({"enabled": true, "host": "pbx.example.com", "port": 5038, "username": "crm"}))
            .await;
    assert_error(r, StatusCode::CONFLICT, "secret").await;
    let r = put(json!({"enabled": false, "host": "pbx example", "port": 5038, "username": "crm"}))
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "host").await;
    let r = put(json!({"enabled": false, "host": "pbx", "port": 70000, "username": "crm"})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "port").await;
    let r = put(json!({"enabled": false, "host": "pbx", "port": 5038, "username": "crm", "channel_template": "PJSIP/201"})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "channel_template").await;
    let r = put(json!({"enabled": true, "host": "pbx", "port": 5038, "username": "crm", "secret": "abc", "internal_contexts": ["from-internal", "bad context"]})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "internal_contexts[1]").await;
    let r = put(json!({"enabled": true, "host": "pbx", "port": 5038, "username": "crm", "secret": "abc", "auth_type": "plain"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(!body.contains("abc"), "the secret is never shown: {body}");
    // Left out, the secret is kept.
    let r = put(json!({"enabled": true, "host": "pbx2", "port": 5039, "username": "crm"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let s: Value = r.json().await.unwrap();
    assert_eq!(s["secret_set"], true);
    assert_eq!(s["auth_type"], "plain");
    assert_eq!(s["host"], "pbx2");
    // An employee without manage_settings may not.
    let (_, email) = app.add_employee(&[], &["205"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    assert_eq!(
        app.get_as(&token, "/api/v1/settings/integrations/ami")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(&token, "/api/v1/integrations/ami/gaps")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // The page shows the fields, never the secret, and saves like the API.
    let mut b = app.owner_browser().await;
    let html = b.page("/settings/integrations/ami").await;
    assert!(html.contains("pbx2") && !html.contains("abc"));
    assert!(b
        .page("/settings")
        .await
        .contains("/settings/integrations/ami"));
}

async fn two_supervisors_never_both_hold_a_company_and_one_takes_over_r_i3(app: TestApp) {
    let fake = FakeAmi::start(USER, SECRET, transcript("answered")).await;
    enable_ami(&app, fake.port(), SECRET).await;
    // Two nodes: each its own Store on the same database.
    let second = ringdesk_store::Store::connect(&app.db_url).await.unwrap();
    let third = ringdesk_store::Store::connect(&app.db_url).await.unwrap();
    let a = supervisor(&app, "node-a");
    let b = supervisor_on(second, "node-b");
    eventually("a first connection", || async { fake.open() }, |n| *n == 1).await;
    // Several renewals later, still one connection.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(fake.max_open(), 1, "both nodes held the company at once");
    let first = fake.connections();
    // The holder stops: the other takes over.
    let holder = app
        .store
        .ami_lease_holder(app.company_id)
        .await
        .unwrap()
        .unwrap()
        .0;
    let (stopped, still) = if holder == "node-a" { (a, b) } else { (b, a) };
    stopped.stop().await;
    eventually(
        "the take-over",
        || async { (fake.connections(), fake.open()) },
        |(c, o)| *c > first && *o == 1,
    )
    .await;
    let new_holder = app
        .store
        .ami_lease_holder(app.company_id)
        .await
        .unwrap()
        .unwrap()
        .0;
    assert_ne!(new_holder, holder);
    // The new holder dies without giving its lease up: a third node takes
    // over once the lease has run out.
    still.abort();
    let c = supervisor_on(third, "node-c");
    let before = fake.connections();
    eventually(
        "the take-over after the lease ran out",
        || async { (fake.connections(), fake.open()) },
        |(n, o)| *n > before && *o == 1,
    )
    .await;
    assert_eq!(fake.max_open(), 1, "never two connections for one company");
    c.stop().await;
}

async fn click_to_call_originates_the_employees_extension_then_the_number_r_i5(app: TestApp) {
    use ringdesk_telephony::ami::supervisor::click_to_call;
    let fake = FakeAmi::start(USER, SECRET, transcript("outbound")).await;
    let allow_all: ringdesk_telephony::ami::supervisor::OutboundCheck = Arc::new(|_| true);
    // Not enabled yet: refused, nothing sent.
    assert!(
        click_to_call(&app.store, app.company_id, "201", "0441112233", &allow_all)
            .await
            .is_err()
    );
    enable_ami(&app, fake.port(), SECRET).await;
    click_to_call(&app.store, app.company_id, "201", "0441112233", &allow_all)
        .await
        .unwrap();
    let actions = fake.actions();
    let o = actions
        .iter()
        .find(|a| a.get("Action") == Some("Originate"))
        .expect("an Originate");
    assert_eq!(o.get("Channel"), Some("PJSIP/201"));
    assert_eq!(o.get("Exten"), Some("0441112233"));
    assert_eq!(o.get("Context"), Some("from-internal"));
    // Logged in with the MD5 challenge: the secret never crossed the wire.
    assert!(actions.iter().all(|a| a.get("Secret").is_none()));
    assert!(actions.iter().any(|a| a.get("Action") == Some("Challenge")));
    // An installation that does not allow the host: refused before connecting.
    let deny: ringdesk_telephony::ami::supervisor::OutboundCheck = Arc::new(|_| false);
    let before = fake.connections();
    assert!(
        click_to_call(&app.store, app.company_id, "201", "0441112233", &deny)
            .await
            .is_err()
    );
    assert_eq!(fake.connections(), before);
}

both_databases!(
    click_to_call_originates_the_employees_extension_then_the_number_r_i5,
    an_answered_call_is_the_webhooks_answered_call_r_i3,
    a_call_the_caller_gave_up_on_is_cancelled_and_missed_r_i3,
    an_unanswered_ring_group_is_no_answer_from_dialend_not_the_hangup_cause_r_i3,
    a_queue_call_waits_from_join_to_agent_connect_r_i3,
    a_caller_abandoning_the_queue_is_a_cancelled_missed_call_r_i3,
    a_transferred_call_ends_with_the_second_operator_r_i3_r_c5,
    an_extension_dialling_out_is_outbound_manual_r_i3,
    a_drop_mid_call_then_core_show_channels_still_listing_it_keeps_one_call_and_records_a_gap_r_i3,
    a_call_gone_after_the_reconnect_is_closed_and_the_outage_is_a_gap_r_i3,
    a_refused_login_is_reported_and_not_retried_at_once_r_i3,
    the_settings_keep_the_secret_write_only_and_name_bad_fields_r_x8,
    two_supervisors_never_both_hold_a_company_and_one_takes_over_r_i3,
);

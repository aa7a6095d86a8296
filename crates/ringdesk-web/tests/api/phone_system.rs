//! Issue 12's shared connector parts: the ignore list and internal calls
//! (R-P7), the webhook inbox and its replay, and click to call through the
//! generic integration's signed outgoing webhook (R-I5, R-X8).

use crate::helpers::*;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn put(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.http
        .put(app.url(path))
        .bearer_auth(&app.token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Every rule on, no settle time: anything a customer call would make, this makes.
async fn all_rules_on(app: &TestApp) {
    let types = app.get_json("/api/v1/lead-types").await;
    let t = types[0]["id"].as_i64().unwrap();
    let r = put(
        app,
        "/api/v1/settings/telephony",
        json!({
            "missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]},
            "answered_call_lead": {"enabled": true, "lead_type_id": t},
            "missed_call_lead": {"enabled": true, "lead_type_id": t},
            "settle_seconds": 0
        }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

async fn post_call(app: &TestApp, call: &str, from: &str, to: &str, states: &[&str]) {
    for (i, state) in states.iter().enumerate() {
        let at = Timestamp::from_second(1_781_874_000 + i as i64).unwrap();
        let r = app
            .event(
                json!({"event_id": format!("{call}-{i}"), "call_id": call, "direction": "inbound",
                "state": state, "at": at.to_string(), "from": from, "to": to}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{call} {state}");
    }
}

/// The call once every due job has run, with its tasks and leads.
async fn settled(app: &TestApp, call: &str) -> (Value, usize, usize) {
    app.store
        .run_due_jobs(Timestamp::now() + SignedDuration::from_secs(60))
        .await
        .unwrap();
    let c = app.call_by_external(call).await;
    let id = c["id"].as_i64().unwrap();
    let tasks = app.get_json(&format!("/api/v1/tasks?call_id={id}")).await;
    let leads = app.get_json(&format!("/api/v1/leads?call_id={id}")).await;
    (
        c,
        tasks.as_array().unwrap().len(),
        leads.as_array().unwrap().len(),
    )
}

fn reasons(call: &Value) -> Vec<(String, String, String)> {
    call["automation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["rule"].as_str().unwrap().to_owned(),
                a["outcome"].as_str().unwrap().to_owned(),
                a["reason"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

async fn the_ignore_list_is_read_exactly_and_names_a_bad_entry_r_p7(app: TestApp) {
    let r = put(
        &app,
        "/api/v1/settings/ignored-numbers",
        json!({"numbers": ["044 123 4567", "+380441234567", "+380 67 000 11 22"]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    // The same number in two forms is one entry (R-P2).
    assert_eq!(
        body["normalised"],
        json!(["+380441234567", "+380670001122"])
    );
    assert_eq!(
        body["numbers"],
        json!(["044 123 4567", "+380 67 000 11 22"])
    );
    assert_eq!(app.get_json("/api/v1/settings/ignored-numbers").await, body);
    let bad = put(
        &app,
        "/api/v1/settings/ignored-numbers",
        json!({"numbers": ["+380441234567", "anonymous"]}),
    )
    .await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "numbers[1]").await;
    // Nothing already stored was lost.
    assert_eq!(app.get_json("/api/v1/settings/ignored-numbers").await, body);
    // An employee without manage_settings may not read it.
    let (_, email) = app.add_employee(&[], &["205"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    let r = app.get_as(&token, "/api/v1/settings/ignored-numbers").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn a_call_from_or_to_an_ignored_number_is_recorded_but_makes_no_lead_or_task_r_p7(
    app: TestApp,
) {
    all_rules_on(&app).await;
    let r = put(
        &app,
        "/api/v1/settings/ignored-numbers",
        json!({"numbers": ["0671112233"]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Missed, from the ignored number in another form.
    post_call(
        &app,
        "ign-1",
        "+380 67 111 22 33",
        "+380441234567",
        &["ringing", "no_answer"],
    )
    .await;
    let (call, tasks, leads) = settled(&app, "ign-1").await;
    assert_eq!((tasks, leads), (0, 0));
    assert_eq!(call["missed"], true, "still recorded as it was");
    assert_eq!(call["client_id"], Value::Null);
    for (rule, outcome, reason) in reasons(&call) {
        assert_eq!(outcome, "skipped", "{rule}");
        assert_eq!(reason, "the number is on the ignore list", "{rule}");
    }
    assert_eq!(reasons(&call).len(), 3);
    // Answered, to the ignored number (the other end).
    post_call(
        &app,
        "ign-2",
        "+380501234567",
        "0671112233",
        &["ringing", "answered", "completed"],
    )
    .await;
    let (call, tasks, leads) = settled(&app, "ign-2").await;
    assert_eq!((tasks, leads), (0, 0));
    assert!(reasons(&call)
        .iter()
        .any(|(r, o, why)| r == "answered_call_lead"
            && o == "skipped"
            && why.contains("ignore list")));
    // A customer call still makes its work.
    post_call(
        &app,
        "cust-1",
        "+380501234567",
        "+380441234567",
        &["ringing", "no_answer"],
    )
    .await;
    let (_, tasks, leads) = settled(&app, "cust-1").await;
    assert_eq!((tasks, leads), (1, 1));
}

async fn a_call_between_two_extensions_is_internal_and_makes_no_lead_or_task_r_p7(app: TestApp) {
    all_rules_on(&app).await;
    app.add_employee(&[], &["201"]).await;
    app.add_employee(&[], &["202"]).await;
    post_call(&app, "int-1", "201", "202", &["ringing", "cancelled"]).await;
    let (call, tasks, leads) = settled(&app, "int-1").await;
    assert_eq!((tasks, leads), (0, 0));
    assert_eq!(reasons(&call).len(), 3);
    for (rule, _, reason) in reasons(&call) {
        assert_eq!(
            reason, "internal call between the company's extensions",
            "{rule}"
        );
    }
    // One end outside the company: a customer call.
    post_call(
        &app,
        "ext-1",
        "+380501234567",
        "201",
        &["ringing", "cancelled"],
    )
    .await;
    let (_, tasks, leads) = settled(&app, "ext-1").await;
    assert_eq!((tasks, leads), (1, 1));
}

/// The inbox, once the background writer has kept what was sent.
async fn inbox(app: &TestApp, want: usize) -> Vec<Value> {
    for _ in 0..100 {
        let list = app.get_json("/api/v1/integrations/inbox").await;
        let list = list.as_array().unwrap().clone();
        if list.len() >= want {
            return list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the inbox never held {want} deliveries");
}

async fn every_delivery_is_kept_with_what_came_of_it_and_a_replay_changes_nothing_twice(
    app: TestApp,
) {
    let start = Timestamp::now();
    let e = ev("in-1", "inbox-call", "ringing", 0, "+380671234567");
    assert_eq!(app.event(e.clone()).await.status(), StatusCode::ACCEPTED);
    assert_eq!(app.event(e).await.status(), StatusCode::OK);
    let r = app
        .post_raw("/api/v1/telephony/events", "{\"event_id\": \"x\"")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let batch =
        json!([ev("in-2", "inbox-call", "answered", 5, "+380671234567"), {"event_id": "bad"}]);
    assert_eq!(app.event(batch).await.status(), StatusCode::OK);
    // A token that does not authenticate keeps nothing (no company is known).
    let r = app
        .post_as("rd_nope", "/api/v1/telephony/events", &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let list = inbox(&app, 4).await;
    assert_eq!(list.len(), 4, "{list:#?}");
    // Newest first.
    assert_eq!(list[0]["status"], 200);
    assert_eq!(
        list[0]["result"],
        "batch of 2: 1 accepted, 0 duplicate, 1 rejected"
    );
    assert_eq!(list[1]["status"], 400);
    assert!(
        list[1]["result"]
            .as_str()
            .unwrap()
            .starts_with("invalid_json"),
        "{}",
        list[1]
    );
    assert_eq!(
        list[2]["result"].as_str().unwrap().split(':').next(),
        Some("duplicate")
    );
    assert_eq!(list[3]["status"], 202);
    assert_eq!(list[3]["connector"], "generic");
    assert_eq!(list[3]["authenticated"], true);
    assert!(list[3]["body"].as_str().unwrap().contains("\"in-1\""));
    assert_eq!(list[3]["headers"]["content-type"], "application/json");
    assert!(
        list[3]["headers"].get("authorization").is_none(),
        "never the token"
    );
    let older = app
        .get_json(&format!(
            "/api/v1/integrations/inbox?before_id={}&limit=1",
            list[1]["id"]
        ))
        .await;
    assert_eq!(older[0]["id"], list[2]["id"]);
    let r = app.get("/api/v1/integrations/inbox?connector=fax").await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "connector").await;

    // Replaying the range re-applies what authenticated: all of it is already
    // stored, so nothing changes.
    let before = app.events_stored().await;
    let out = ringdesk_web::inbox::replay(
        &app.store,
        app.company_id,
        start,
        Timestamp::now() + SignedDuration::from_secs(1),
    )
    .await
    .unwrap();
    assert_eq!(
        (out.replayed, out.refused, out.skipped_unauthenticated),
        (3, 1, 0),
        "{out:#?}"
    );
    assert_eq!(app.events_stored().await, before);
    let call = app.call_by_external("inbox-call").await;
    assert_eq!(call["state"], "answered");
}

async fn deliveries_refused_for_their_signature_are_kept_but_never_replayed(app: TestApp) {
    let secret: Value = app
        .post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(secret["secret"].is_string(), "{secret}");
    let r = put(
        &app,
        "/api/v1/settings/webhook-signing",
        json!({"required": true}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let start = Timestamp::now();
    let r = app
        .event(ev("sig-1", "sig-call", "ringing", 0, "+380671234567"))
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let list = inbox(&app, 1).await;
    assert_eq!(list[0]["authenticated"], false);
    assert_eq!(list[0]["status"], 401);
    let out = ringdesk_web::inbox::replay(
        &app.store,
        app.company_id,
        start,
        Timestamp::now() + SignedDuration::from_secs(1),
    )
    .await
    .unwrap();
    assert_eq!((out.replayed, out.skipped_unauthenticated), (0, 1));
    assert_eq!(app.events_stored().await, 0);
}

async fn the_phone_system_settings_are_checked_and_kept(app: TestApp) {
    let s = app.get_json("/api/v1/settings/phone-system").await;
    assert_eq!(
        s,
        json!({"inbox_retention_days": 14, "click_to_call_url": null})
    );
    let r = put(
        &app,
        "/api/v1/settings/phone-system",
        json!({"inbox_retention_days": 0, "click_to_call_url": null}),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "inbox_retention_days").await;
    let r = put(
        &app,
        "/api/v1/settings/phone-system",
        json!({"inbox_retention_days": 30, "click_to_call_url": "ftp://pbx/dial"}),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "click_to_call_url").await;
    let ok =
        json!({"inbox_retention_days": 30, "click_to_call_url": "https://pbx.example.com/dial"});
    let r = put(&app, "/api/v1/settings/phone-system", ok.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get_json("/api/v1/settings/phone-system").await, ok);
}

async fn click_to_call_asks_the_phone_system_with_a_signed_request_r_i5(app: TestApp) {
    let (emp, email) = app.add_employee(&[], &["204"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    let c2c = |token: String, body: Value| {
        let app = &app;
        async move {
            app.http
                .post(app.url("/api/v1/click-to-call"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    // Nothing set up yet: say what to do.
    let r = c2c(token.clone(), json!({"number": "067 123 45 67"})).await;
    assert_error(r, StatusCode::CONFLICT, "Settings > Phone system").await;
    let (url, mut requests) = stand_in_pbx(200).await;
    let r = put(
        &app,
        "/api/v1/settings/phone-system",
        json!({"inbox_retention_days": 14, "click_to_call_url": url}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = c2c(token.clone(), json!({"number": "067 123 45 67"})).await;
    assert_error(r, StatusCode::CONFLICT, "webhook secret").await;
    let secret: Value = app
        .post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = secret["secret"].as_str().unwrap().to_owned();
    let r = c2c(token.clone(), json!({"number": "nobody"})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "number").await;
    // The owner has no extension.
    let r = c2c(app.token.clone(), json!({"number": "0671234567"})).await;
    assert_error(r, StatusCode::CONFLICT, "extension").await;

    let r = c2c(
        token.clone(),
        json!({"number": "067 123 45 67", "client_id": 77}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let out: Value = r.json().await.unwrap();
    assert_eq!(
        out,
        json!({"via": "webhook", "number": "+380671234567", "extension": "204"})
    );
    let (headers, body) = requests.recv().await.unwrap();
    let h = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    ringdesk_web::signature::verify(
        &ringdesk_web::signature::SignedRequest {
            id: h("webhook-id"),
            timestamp: h("webhook-timestamp"),
            signature: h("webhook-signature"),
            body: &body,
        },
        &[secret.as_str()],
        Timestamp::now().as_second(),
    )
    .expect("the request is signed with the company's webhook secret");
    let sent: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(sent["type"], "click_to_call");
    assert_eq!(sent["extension"], "204");
    assert_eq!(sent["number"], "+380671234567");
    assert_eq!(sent["employee_id"], emp);
    assert_eq!(sent["client_id"], 77);
    assert_eq!(Some(sent["id"].as_str().unwrap()), h("webhook-id"));

    // A phone system that refuses: 502 naming it.
    let (url, _requests) = stand_in_pbx(503).await;
    put(
        &app,
        "/api/v1/settings/phone-system",
        json!({"inbox_retention_days": 14, "click_to_call_url": url}),
    )
    .await;
    let r = c2c(token.clone(), json!({"number": "0671234567"})).await;
    assert_error(r, StatusCode::BAD_GATEWAY, "503").await;
    // The call the phone system then makes arrives as any other (R-I5).
    let r = app
        .event(json!({"event_id": "c2c-1", "call_id": "c2c-call", "direction": "outbound_manual",
            "state": "ringing", "at": Timestamp::now().to_string(), "from": "204", "to": "+380671234567", "operator": "204"}))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let call = app.call_by_external("c2c-call").await;
    assert_eq!(call["operator_id"], emp);
    assert_eq!(call["customer_number"], "+380671234567");
}

async fn a_hosted_service_refuses_to_post_to_private_addresses_r_x8(app: TestApp) {
    // The same database served as a hosted service (sign-up open → private
    // addresses refused unless listed).
    let addr = "127.0.0.1:0".parse().unwrap();
    let hosted = ringdesk_web::Application::build_with(
        ringdesk_web::AppState {
            store: app.store.clone(),
            secure_cookies: false,
            signup: ringdesk_domain::signup::SignupPolicy::Open,
            outbound: ringdesk_domain::outbound::OutboundPolicy::parse::<&str>(&[], true).unwrap(),
            twilio_api: ringdesk_telephony::twilio::API_BASE.to_owned(),
        },
        addr,
    )
    .await
    .unwrap();
    let base = format!("http://{}", hosted.local_addr());
    tokio::spawn(hosted.run_until_stopped(std::future::pending()));
    let (_, email) = app.add_employee(&[], &["204"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    let (url, _requests) = stand_in_pbx(200).await;
    put(
        &app,
        "/api/v1/settings/phone-system",
        json!({"inbox_retention_days": 14, "click_to_call_url": url}),
    )
    .await;
    app.post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await;
    let r = app
        .http
        .post(format!("{base}/api/v1/click-to-call"))
        .bearer_auth(&token)
        .json(&json!({"number": "0671234567"}))
        .send()
        .await
        .unwrap();
    let body = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "outbound_allow").await;
    assert_eq!(body["error"]["code"], "outbound_refused");
}

async fn click_to_call_goes_through_twilio_when_it_is_connected_r_i5(app: TestApp) {
    // Twilio's API stands in on this machine.
    let (url, mut requests) =
        stand_in(201, r#"{"sid": "CA0000000000000000000000000000c2c1"}"#).await;
    let twilio_api = url.trim_end_matches("/dial").to_owned();
    let served = ringdesk_web::Application::build_with(
        ringdesk_web::AppState {
            store: app.store.clone(),
            secure_cookies: false,
            signup: ringdesk_domain::signup::SignupPolicy::Open,
            outbound: Default::default(),
            twilio_api,
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let base = format!("http://{}", served.local_addr());
    tokio::spawn(served.run_until_stopped(std::future::pending()));
    let public_url = format!(
        "{}/api/v1/integrations/twilio/{}/status",
        app.base, app.company_id
    );
    let r = put(
        &app,
        "/api/v1/settings/integrations/twilio",
        json!({"enabled": true, "auth_token": "twilio-secret", "public_url": public_url,
               "account_sid": "AC0123456789abcdef0123456789abcdef", "caller_id": "+380441234567"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let (_, email) = app.add_employee(&[], &["alice"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    let r = app
        .http
        .post(format!("{base}/api/v1/click-to-call"))
        .bearer_auth(&token)
        .json(&json!({"number": "067 123 45 67"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "{}",
        r.text().await.unwrap()
    );
    let out: Value = r.json().await.unwrap();
    assert_eq!(out["via"], "twilio");
    let (headers, body) = requests.recv().await.unwrap();
    let auth = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .unwrap()
        .1
        .clone();
    assert!(auth.starts_with("Basic "), "{auth}");
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    // The employee's phone rings first (a Twilio Client identity), from the company's number.
    assert_eq!(field("To").as_deref(), Some("client:alice"));
    assert_eq!(field("From").as_deref(), Some("+380441234567"));
    assert!(
        field("Twiml").unwrap_or_default().contains("+380671234567"),
        "{form:?}"
    );
    assert!(
        field("StatusCallback")
            .unwrap_or_default()
            .starts_with(&public_url),
        "{form:?}"
    );
}

both_databases!(
    click_to_call_goes_through_twilio_when_it_is_connected_r_i5,
    the_ignore_list_is_read_exactly_and_names_a_bad_entry_r_p7,
    a_call_from_or_to_an_ignored_number_is_recorded_but_makes_no_lead_or_task_r_p7,
    a_call_between_two_extensions_is_internal_and_makes_no_lead_or_task_r_p7,
    every_delivery_is_kept_with_what_came_of_it_and_a_replay_changes_nothing_twice,
    deliveries_refused_for_their_signature_are_kept_but_never_replayed,
    the_phone_system_settings_are_checked_and_kept,
    click_to_call_asks_the_phone_system_with_a_signed_request_r_i5,
    a_hosted_service_refuses_to_post_to_private_addresses_r_x8,
);

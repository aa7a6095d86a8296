//! Tenant isolation (R-T1): company A's credentials on company B's ids, over
//! every route and method of the router's own route table; and, on
//! PostgreSQL, the second wall of row-level security.

use crate::helpers::{ev, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(company_a_reaches_nothing_of_company_b_on_any_route_r_t1);

/// Company B's records, with names that can be searched for in any answer.
struct CompanyB {
    token: String,
    company_id: i64,
    employee_id: i64,
    client_id: i64,
    call_id: i64,
    token_id: i64,
    secret_id: i64,
    lead_type_id: i64,
    order_id: i64,
    lead_id: i64,
    task_id: i64,
    notification_id: i64,
    lead_status_id: i64,
    order_status_id: i64,
    ad_campaign_id: i64,
    location_id: i64,
    quote_id: i64,
    /// Strings that must never appear in an answer to A.
    marks: Vec<String>,
}

async fn company_b(app: &TestApp) -> CompanyB {
    let b = app.signup("UA", "Europe/Kyiv", "en").await;
    let token = b["api_token"].as_str().unwrap().to_owned();
    let emp: Value = app
        .post_as(&token, "/api/v1/employees", &json!({"name": "Bohdana Secretova", "email": "bohdana.b@example.com", "password": "long enough 1", "permissions": ["view_clients"], "extensions": ["777"]}))
        .await
        .json()
        .await
        .unwrap();
    let client: Value = app
        .post_as(&token, "/api/v1/clients", &json!({"name": "Zakhar Hiddenko", "phones": [{"number": "0509998877", "kind": "mobile"}]}))
        .await
        .json()
        .await
        .unwrap();
    let mut e = ev("b-evt-1", "b-call-secret", "answered", 0, "0509998877");
    e["operator"] = json!("777");
    assert_eq!(
        app.post_as(&token, "/api/v1/telephony/events", &e)
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let calls: Value = app
        .get_as(&token, "/api/v1/calls")
        .await
        .json()
        .await
        .unwrap();
    let t: Value = app
        .post_as(
            &token,
            "/api/v1/api-tokens",
            &json!({"name": "B's PBX token", "permissions": ["post_call_events"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let s: Value = app
        .post_as(
            &token,
            "/api/v1/settings/webhook-signing/secrets",
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let types: Value = app
        .get_as(&token, "/api/v1/lead-types")
        .await
        .json()
        .await
        .unwrap();
    let b_emp = emp["id"].as_i64().unwrap();
    let b_client = client["id"].as_i64().unwrap();
    let order: Value = app
        .post_as(&token, "/api/v1/orders", &json!({"client_id": b_client}))
        .await
        .json()
        .await
        .unwrap();
    let lead: Value = app
        .post_as(
            &token,
            "/api/v1/leads",
            &json!({"client_name": "Yaryna Concealed", "phone": "0501112233", "manager_id": b_emp}),
        )
        .await
        .json()
        .await
        .unwrap();
    // B's automation makes a task (missed call) and a notification (answered call's lead).
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&token)
        .json(&json!({"missed_call_task": {"enabled": true, "assignee_ids": [b_emp], "mode": "shared"},
                      "answered_call_lead": {"enabled": true, "lead_type_id": types[0]["id"], "notify_ids": [b_emp],
                                             "even_if_open_order": true, "even_if_open_lead": true},
                      "missed_call_lead": {"enabled": false}, "settle_seconds": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    for (i, state) in ["ringing", "cancelled"].iter().enumerate() {
        let r = app
            .post_as(
                &token,
                "/api/v1/telephony/events",
                &ev(
                    &format!("b-m-{i}"),
                    "b-missed",
                    state,
                    i as i64,
                    "0509998877",
                ),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    let r = app
        .post_as(
            &token,
            "/api/v1/telephony/events",
            &ev("b-a-1", "b-answered", "answered", 0, "0509998877"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    app.store
        .run_due_jobs(jiff::Timestamp::now() + jiff::SignedDuration::from_secs(10))
        .await
        .unwrap();
    let tasks: Value = app
        .get_as(&token, "/api/v1/tasks")
        .await
        .json()
        .await
        .unwrap();
    let notes: Value = app
        .get_as(
            &token,
            &format!("/api/v1/notifications?employee_id={b_emp}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let lead_statuses: Value = app
        .get_as(&token, "/api/v1/lead-statuses")
        .await
        .json()
        .await
        .unwrap();
    let order_statuses: Value = app
        .get_as(&token, "/api/v1/order-statuses")
        .await
        .json()
        .await
        .unwrap();
    let campaign: Value = app
        .post_as(
            &token,
            "/api/v1/ad-campaigns",
            &json!({"name": "B's secret campaign"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let location: Value = app
        .post_as(
            &token,
            "/api/v1/locations",
            &json!({"name": "B's hidden workshop"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let quote: Value = app
        .post_as(
            &token,
            "/api/v1/quotes",
            &json!({"channel": "email", "contact": "quote.b@example.com", "client_id": b_client}),
        )
        .await
        .json()
        .await
        .unwrap();
    CompanyB {
        company_id: b["company_id"].as_i64().unwrap(),
        lead_status_id: lead_statuses[1]["id"].as_i64().unwrap(),
        order_status_id: order_statuses[1]["id"].as_i64().unwrap(),
        ad_campaign_id: campaign["id"].as_i64().expect("B's campaign"),
        location_id: location["id"].as_i64().expect("B's location"),
        quote_id: quote["id"].as_i64().expect("B's quote"),
        order_id: order["id"].as_i64().unwrap(),
        lead_id: lead["id"].as_i64().unwrap(),
        task_id: tasks[0]["id"].as_i64().expect("B has a task"),
        notification_id: notes[0]["id"].as_i64().expect("B has a notification"),
        employee_id: emp["id"].as_i64().unwrap(),
        client_id: client["id"].as_i64().unwrap(),
        call_id: calls[0]["id"].as_i64().unwrap(),
        token_id: t["id"].as_i64().unwrap(),
        secret_id: s["id"].as_i64().unwrap(),
        lead_type_id: types[0]["id"].as_i64().unwrap(),
        marks: vec![
            "Bohdana".into(),
            "bohdana.b@example.com".into(),
            "Zakhar".into(),
            "Yaryna".into(),
            "secret campaign".into(),
            "hidden workshop".into(),
            "quote.b@example.com".into(),
            "501112233".into(),
            "509998877".into(),
            "b-call-secret".into(),
            "B's PBX token".into(),
            t["prefix"].as_str().unwrap().to_owned(),
            s["secret"].as_str().unwrap().to_owned(),
        ],
        token,
    }
}

/// Everything company B can read of itself, without the fields that change by reading.
async fn snapshot(app: &TestApp, b: &CompanyB) -> Value {
    let mut all = serde_json::Map::new();
    for path in [
        "/api/v1/employees",
        "/api/v1/clients",
        "/api/v1/calls",
        "/api/v1/api-tokens",
        "/api/v1/settings/telephony",
        "/api/v1/settings/webhook-signing",
        "/api/v1/settings/integrations/twilio",
        "/api/v1/lead-statuses",
        "/api/v1/order-statuses",
        "/api/v1/lead-types",
        "/api/v1/audit-log",
        "/api/v1/orders",
        "/api/v1/leads",
        "/api/v1/tasks",
        "/api/v1/quotes",
        "/api/v1/ad-campaigns",
        "/api/v1/locations",
        "/api/v1/settings/numbering",
        "/api/v1/settings/lead-status-transfers",
        &format!("/api/v1/leads/{}/history", b.lead_id),
        &format!("/api/v1/clients/{}/history", b.client_id),
        &format!("/api/v1/notifications?employee_id={}", b.employee_id),
        &format!("/api/v1/calls/{}", b.call_id),
        &format!("/api/v1/clients/{}", b.client_id),
    ] {
        let mut v: Value = app.get_as(&b.token, path).await.json().await.unwrap();
        strip(&mut v);
        all.insert(path.to_owned(), v);
    }
    Value::Object(all)
}

fn strip(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("last_used_at");
            m.values_mut().for_each(strip);
        }
        Value::Array(a) => a.iter_mut().for_each(strip),
        _ => {}
    }
}

/// What A sends to a route: the path with B's ids, a query naming B's ids,
/// and a body naming B's ids. `true` when the request names one of B's ids.
fn request_for(method: &str, path: &str, b: &CompanyB) -> (String, Value, bool) {
    let mut names_b = false;
    let mut url = path.to_owned();
    if url.contains("{company_id}") {
        // Twilio's status callback of company B (B has no Twilio: 404).
        names_b = true;
        url = url.replace("{company_id}", &b.company_id.to_string());
    }
    if url.contains("{id}") {
        names_b = true;
        let id = if url.starts_with("/api/v1/employees") || url.starts_with("/settings/employees") {
            b.employee_id
        } else if url.starts_with("/api/v1/clients") || url.starts_with("/clients") {
            b.client_id
        } else if url.starts_with("/api/v1/calls")
            || url.starts_with("/calls")
            || url.starts_with("/call-bar")
        {
            b.call_id
        } else if url.starts_with("/live-notice") {
            url = url.replace("{kind}", "lead");
            b.lead_id
        } else if url.starts_with("/api/v1/api-tokens") || url.starts_with("/settings/tokens") {
            b.token_id
        } else if url.starts_with("/api/v1/settings/webhook-signing/secrets")
            || url.starts_with("/settings/webhook-signing/secrets")
        {
            b.secret_id
        } else if url.starts_with("/api/v1/orders") || url.starts_with("/orders/") {
            b.order_id
        } else if url.starts_with("/api/v1/lead-statuses")
            || url.starts_with("/settings/lead-statuses")
        {
            b.lead_status_id
        } else if url.starts_with("/api/v1/order-statuses")
            || url.starts_with("/settings/order-statuses")
        {
            b.order_status_id
        } else if url.starts_with("/api/v1/lead-types") || url.starts_with("/settings/lead-types") {
            b.lead_type_id
        } else if url.starts_with("/api/v1/ad-campaigns")
            || url.starts_with("/settings/ad-campaigns")
        {
            b.ad_campaign_id
        } else if url.starts_with("/api/v1/locations") || url.starts_with("/settings/locations") {
            b.location_id
        } else if url.starts_with("/api/v1/quotes") || url.starts_with("/quotes") {
            b.quote_id
        } else if url.starts_with("/api/v1/leads") || url.starts_with("/leads/") {
            b.lead_id
        } else if url.starts_with("/api/v1/tasks") || url.starts_with("/tasks") {
            b.task_id
        } else if url.starts_with("/api/v1/notifications") || url.starts_with("/notifications/") {
            b.notification_id
        } else {
            panic!("a route with an id the walk does not know: {path}; teach request_for its id")
        };
        url = url.replace("{id}", &id.to_string());
    }
    let query = match (method, path) {
        // The page as the API: filtered by B's ids (A's own walk call echoes B's number).
        ("GET", "/api/v1/calls") | ("GET", "/calls") => {
            format!("?client_id={}&operator_id={}", b.client_id, b.employee_id)
        }
        ("GET", "/api/v1/clients/lookup") => "?phone=0509998877".to_owned(),
        ("GET", "/api/v1/api-tokens") => format!("?employee_id={}", b.employee_id),
        ("GET", "/api/v1/audit-log") => format!("?before_id={}", i64::MAX),
        ("GET", "/api/v1/orders") => format!("?client_id={}", b.client_id),
        ("GET", "/api/v1/leads") => format!("?client_id={}&call_id={}", b.client_id, b.call_id),
        ("GET", "/api/v1/tasks") => format!(
            "?call_id={}&assignee_id={}&lead_id={}",
            b.call_id, b.employee_id, b.lead_id
        ),
        ("GET", "/api/v1/quotes") => format!("?client_id={}", b.client_id),
        ("GET", "/api/v1/notifications") => {
            names_b = true;
            format!("?employee_id={}", b.employee_id)
        }
        _ => String::new(),
    };
    let body = match (method, path) {
        ("PUT", "/api/v1/settings/telephony") => {
            names_b = true;
            json!({
                "missed_call_task": {"enabled": true, "assignee_ids": [b.employee_id], "mode": "shared"},
                "answered_call_lead": {"enabled": true, "lead_type_id": b.lead_type_id, "manager_id": b.employee_id},
                "missed_call_lead": {"enabled": false}
            })
        }
        ("POST", "/api/v1/telephony/events") => {
            let mut e = ev("a-walk-1", "a-walk-call", "ringing", 0, "0509998877");
            e["operator"] = json!("bohdana.b@example.com");
            e
        }
        ("POST", "/api/v1/orders") => {
            names_b = true;
            json!({"client_id": b.client_id})
        }
        ("POST", "/api/v1/leads") => {
            names_b = true;
            json!({"client_name": "A caller", "manager_id": b.employee_id, "ad_campaign_id": b.ad_campaign_id})
        }
        ("POST", "/api/v1/tasks") => {
            names_b = true;
            json!({"title": "A task", "lead_id": b.lead_id, "assignee_ids": [b.employee_id]})
        }
        ("POST", "/api/v1/quotes") => {
            names_b = true;
            json!({"channel": "email", "contact": "a@example.com", "client_id": b.client_id})
        }
        ("POST", "/api/v1/lead-types") => {
            names_b = true;
            json!({"name": "A type", "initial_status_id": b.lead_status_id})
        }
        ("PUT", "/api/v1/settings/lead-status-transfers") => {
            names_b = true;
            json!({"rules": [{"from_status_id": b.lead_status_id, "to_status_ids": [b.lead_status_id]}]})
        }
        ("POST", "/api/v1/lead-statuses") | ("POST", "/api/v1/order-statuses") => {
            json!({"name": "A status", "group": "new"})
        }
        ("POST", "/api/v1/ad-campaigns") | ("POST", "/api/v1/locations") => {
            json!({"name": format!("A item {}", crate::helpers::unique())})
        }
        ("PUT", "/api/v1/settings/numbering") => {
            json!({"lead": "A-{N}", "order": "{N}", "quote": "Q{N}"})
        }
        ("PUT", "/api/v1/me/notification-settings") => {
            json!({"new_lead": true, "lead_assigned": true, "lead_overdue": true})
        }
        (_, p) if p.contains("/link-lead") => json!({"lead_id": b.lead_id}),
        (_, p) if p.contains("/lead-types/") => {
            json!({"name": "Renamed by A", "initial_status_id": b.lead_status_id})
        }
        (_, p)
            if p.contains("-statuses/")
                || p.contains("/ad-campaigns/")
                || p.contains("/locations/") =>
        {
            json!({"name": "Renamed by A"})
        }
        (_, p) if p.contains("/leads/") && p.ends_with("/client") => {
            json!({"name": "A client", "phones": []})
        }
        (_, p) if p.starts_with("/api/v1/quotes/") && p.ends_with("/items") => {
            json!({"items": [{"description": "A line", "quantity": "1", "unit_price": "1"}]})
        }
        (_, p) if p.contains("/complete") || p.contains("/read") => {
            json!({"employee_id": b.employee_id})
        }
        (_, p) if p.contains("/orders/") || p.contains("/leads/") => json!({"status_id": 1}),
        ("POST", "/api/v1/employees") => {
            json!({"name": "A person", "email": format!("a-walk-{}@example.com", crate::helpers::unique()), "password": "long enough 1"})
        }
        ("POST", "/api/v1/clients") => json!({"name": "A client", "phones": []}),
        ("POST", "/api/v1/api-tokens") => json!({"name": "A token", "permissions": []}),
        ("POST", "/api/v1/signup") => {
            json!({"company": {"name": "C", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"}, "owner": {"name": "C", "email": format!("c-{}@example.com", crate::helpers::unique()), "password": "long enough 1"}})
        }
        ("PUT", "/api/v1/settings/webhook-signing") => json!({"required": false}),
        (_, p) if p.contains("/employees/") => {
            json!({"name": "Renamed by A", "permissions": ["view_clients"]})
        }
        (_, p) if p.contains("/clients/") => json!({"name": "Renamed by A"}),
        _ => json!({}),
    };
    (format!("{url}{query}"), body, names_b)
}

async fn company_a_reaches_nothing_of_company_b_on_any_route_r_t1(app: TestApp) {
    let b = company_b(&app).await;
    let before = snapshot(&app, &b).await;

    // The router's own table, checked first against the OpenAPI document.
    let (_, _, table) = ringdesk_web::routes();
    let doc = app.get_json("/api/v1/openapi.json").await;
    let mut documented: Vec<String> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for m in ops.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", m.to_uppercase()));
        }
    }
    documented.sort();
    let mut api: Vec<String> = table
        .iter()
        .filter(|(_, p)| p.starts_with("/api/") && p != "/api/v1/openapi.json")
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    api.sort();
    assert_eq!(
        api, documented,
        "every API route of the router is in the OpenAPI document, and no other"
    );

    // A's two credentials: the owner's token, and the owner signed in in a browser.
    let owner_email = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut browser = app.browser();
    assert_eq!(
        browser
            .sign_in(&owner_email, "correct horse")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let mut walked = 0;
    let mut leaks = Vec::new();
    // Signing out ends the walk's session: it goes last, so the pages before it are walked signed in.
    let walk: Vec<&(String, String)> = table
        .iter()
        .filter(|(_, p)| p != "/sign-out")
        .chain(table.iter().filter(|(_, p)| p == "/sign-out"))
        .collect();
    for credential in ["token", "session"] {
        for (method, path) in walk.iter().map(|r| (&r.0, &r.1)) {
            let (url, body, names_b) = request_for(method, path, &b);
            let mut req = app.http.request(method.parse().unwrap(), app.url(&url));
            if credential == "token" {
                req = req.bearer_auth(&app.token);
            } else {
                req = req.header(
                    "cookie",
                    format!("rd_session={}", browser.cookies["rd_session"]),
                );
                if let Some(t) = &browser.csrf {
                    req = req.header("x-csrf-token", t);
                }
            }
            if method != "GET" && path != "/sign-out" {
                req = req.json(&body);
            }
            if path == "/api/v1/live" {
                // The live stream never ends: replayed from its start (R-X7),
                // what it sends in a few seconds is checked like any body.
                req = req.header("last-event-id", "0");
            }
            let r = req.send().await.unwrap();
            walked += 1;
            let status = r.status();
            let text = if path == "/api/v1/live" {
                let sent = read_for(r, std::time::Duration::from_secs(3)).await;
                assert!(
                    sent.contains("event: call"),
                    "A's stream replays A's calls: {sent}"
                );
                // A's own walk call echoes what A sent in it (B's number and
                // e-mail, matching nothing of B's, asserted below); every other
                // event must hold nothing of B's.
                sent.split("\n\n")
                    .filter(|e| !e.contains(r#""external_id":"a-walk-call""#))
                    .collect::<Vec<_>>()
                    .join("\n\n")
            } else {
                r.text().await.unwrap()
            };
            // A's own walk call (A's event, from B's number) rings on A's call
            // bar and fills A's quote form (R-U1, R-U2, R-M7): A's data, echoed
            // as the stream echoes it; nothing else of these pages may hold B's.
            let text = if ["/call-bar", "/quotes/new", "/quotes/from-call"].contains(&path.as_str())
            {
                text.replace("509998877", "")
            } else {
                text
            };
            // A's webhook inbox keeps A's own deliveries as A sent them (the
            // walk's events carry B's number and e-mail); only a delivery to
            // A's own webhook, with A's token, gets in.
            let text = if [
                "/api/v1/integrations/inbox",
                "/settings/phone-system",
                "/settings/phone-system/inbox",
            ]
            .contains(&path.as_str())
            {
                text.replace("509998877", "")
                    .replace("bohdana.b@example.com", "")
            } else {
                text
            };
            for mark in &b.marks {
                if text.contains(mark.as_str()) {
                    leaks.push(format!("{credential} {method} {url}: {mark}"));
                }
            }
            if names_b {
                let ok = status == StatusCode::NOT_FOUND
                    || status == StatusCode::FORBIDDEN
                    || (status.is_client_error()
                        && [
                            b.employee_id,
                            b.client_id,
                            b.call_id,
                            b.token_id,
                            b.secret_id,
                            b.lead_type_id,
                            b.order_id,
                            b.lead_id,
                            b.task_id,
                            b.notification_id,
                            b.lead_status_id,
                            b.order_status_id,
                            b.ad_campaign_id,
                            b.location_id,
                            b.quote_id,
                        ]
                        .iter()
                        .any(|id| text.contains(&id.to_string())));
                assert!(ok, "{credential} {method} {url} answered {status}: {text}");
            }
            // A list filtered by B's ids is empty.
            let filtered_lists = [
                "/api/v1/calls",
                "/api/v1/api-tokens",
                "/api/v1/orders",
                "/api/v1/leads",
                "/api/v1/tasks",
            ];
            if method == "GET" && filtered_lists.contains(&path.as_str()) {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v, json!([]), "{credential} {url}");
            }
            if path == "/api/v1/clients/lookup" {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["match"], "none", "{credential} {url}");
            }
        }
        if credential == "token" {
            // The session walk signed the browser out at /sign-out; sign in again for it.
        }
    }
    // The event A posted naming B's employee was not routed to B's employee.
    let a_call = app.call_by_external("a-walk-call").await;
    assert_eq!(a_call["operator_id"], Value::Null);
    assert_eq!(
        a_call["client_id"],
        Value::Null,
        "B's client does not identify A's caller"
    );

    let after = snapshot(&app, &b).await;
    assert_eq!(before, after, "nothing of company B changed");
    println!(
        "cross-tenant walk: {} routes × methods, {walked} requests, {} leaks",
        table.len(),
        leaks.len()
    );
    assert!(leaks.is_empty(), "leaked: {leaks:#?}");
    assert!(walked >= 2 * 29, "walked {walked}");
}

/// What a streaming response sends within `time`.
async fn read_for(r: reqwest::Response, time: std::time::Duration) -> String {
    use futures::StreamExt;
    let mut body = r.bytes_stream();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(time, async {
        while let Some(Ok(chunk)) = body.next().await {
            out.extend_from_slice(&chunk);
        }
    })
    .await;
    String::from_utf8_lossy(&out).into_owned()
}

/// Only routes added through `Routes` are in the table: no `.route(` elsewhere.
#[test]
fn every_route_is_added_through_the_route_table() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(src)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                let n = text.matches(".route(").count();
                let allowed = if p.ends_with("lib.rs") { 2 } else { 0 };
                if n != allowed {
                    offenders.push(format!("{}: {n}", p.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "routes added outside `Routes`: {offenders:?}"
    );
}

// ----- PostgreSQL: row-level security -------------------------------------------

async fn as_app_role(app: &TestApp) -> sqlx::PgConnection {
    use sqlx::{Connection, Executor};
    let mut c = sqlx::PgConnection::connect(&app.db_url).await.unwrap();
    c.execute("set role ringdesk_app").await.unwrap();
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_query_without_the_company_set_returns_nothing_r_t1() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let b = company_b(&app).await;
    let mut c = as_app_role(&app).await;
    for table in [
        "company",
        "employee",
        "client",
        "client_phone",
        "call",
        "call_event",
        "api_token",
        "audit_entry",
        "webhook_secret",
        "lead_status",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
            .fetch_one(&mut c)
            .await
            .unwrap();
        assert_eq!(n, 0, "{table} without a company");
    }
    // The role is no superuser, cannot bypass row-level security and owns no table.
    let (sup, bypass): (bool, bool) = sqlx::query_as(
        "select rolsuper, rolbypassrls from pg_roles where rolname = 'ringdesk_app'",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert!(!sup && !bypass);
    let owned: i64 = sqlx::query_scalar("select count(*) from pg_tables where schemaname = 'public' and tableowner = 'ringdesk_app'")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(owned, 0);
    // Acting for A, the role sees A's rows only, and cannot write B's.
    let mut tx = sqlx::Connection::begin(&mut c).await.unwrap();
    sqlx::query("select set_config('ringdesk.company_id', $1, true)")
        .bind(app.company_id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let companies: Vec<i64> = sqlx::query_scalar("select company_id from employee")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert!(
        !companies.is_empty() && companies.iter().all(|c| *c == app.company_id),
        "{companies:?}"
    );
    let n: i64 = sqlx::query_scalar("select count(*) from client where client_id = $1")
        .bind(b.client_id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let updated = sqlx::query("update client set name = 'x' where client_id = $1")
        .bind(b.client_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(updated.rows_affected(), 0);
    let b_company: i64 = app.company_id + 1;
    let insert =
        sqlx::query("insert into client (company_id, name, created_at) values ($1, 'intruder', 0)")
            .bind(b_company)
            .execute(&mut *tx)
            .await;
    assert!(
        insert.is_err(),
        "WITH CHECK refuses a row of another company"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_table_with_a_company_id_has_forced_row_level_security_and_a_policy_r_t1() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(&app.db_url).await.unwrap();
    let rows: Vec<(String, bool, bool, i64)> = sqlx::query_as(
        "select cl.relname::text, cl.relrowsecurity, cl.relforcerowsecurity, \
                (select count(*) from pg_policy p where p.polrelid = cl.oid) \
         from pg_class cl join pg_namespace n on n.oid = cl.relnamespace \
         where n.nspname = 'public' and cl.relkind = 'r' \
           and exists (select 1 from information_schema.columns col \
                       where col.table_schema = 'public' and col.table_name = cl.relname and col.column_name = 'company_id') \
         order by 1",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert!(rows.len() >= 15, "{rows:?}");
    let bad: Vec<_> = rows
        .iter()
        .filter(|(_, on, forced, policies)| !on || !forced || *policies == 0)
        .collect();
    assert!(bad.is_empty(), "tables without row-level security: {bad:?}");
    // Every policy both filters (USING) and checks writes (WITH CHECK), except the read-only lookups.
    let weak: Vec<(String, String)> = sqlx::query_as(
        "select c.relname::text, p.polname::text from pg_policy p join pg_class c on c.oid = p.polrelid \
         where p.polqual is null or (p.polcmd <> 'r' and p.polwithcheck is null)",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert!(weak.is_empty(), "{weak:?}");
}

//! Bad input gets a 4xx with R-X2's body naming the problem, and nothing
//! stored changes (R-I4, R-X2, R-X4). Also: the OpenAPI document matches the router.

use crate::helpers::{assert_error, ev, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    every_bad_event_is_refused_naming_the_problem_and_stores_nothing_r_i4,
    an_oversized_body_or_batch_is_refused_whole_with_413_r_x4,
    a_wrong_or_missing_token_is_401_and_stores_nothing_r_t5,
    bad_signups_clients_and_employees_name_the_field_and_store_nothing_r_x2,
    another_companys_calls_and_clients_are_not_found_r_t1,
    the_openapi_document_lists_exactly_the_routes_the_server_has_r_x2,
);

async fn every_bad_event_is_refused_naming_the_problem_and_stores_nothing_r_i4(app: TestApp) {
    app.event(ev("ok-1", "c-1", "ringing", 0, "+380671234567"))
        .await;
    let before = app.call_by_external("c-1").await;
    let good = ev("bad-1", "c-1", "answered", 5, "+380671234567");
    let with = |k: &str, v: Value| {
        let mut e = good.clone();
        e[k] = v;
        e
    };
    let without = |k: &str| {
        let mut e = good.clone();
        e.as_object_mut().unwrap().remove(k);
        e
    };
    let cases: Vec<(Value, StatusCode, &str)> = vec![
        (
            with("state", json!("exploded")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "state",
        ),
        (
            with("direction", json!("sideways")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "direction",
        ),
        (
            with("at", json!("yesterday")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "at",
        ),
        (
            with("at", json!(12345)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "at",
        ),
        (
            with("event_id", json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "event_id",
        ),
        (
            with("call_id", json!({"x": 1})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "call_id",
        ),
        (
            with("queue", json!(true)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "queue",
        ),
        (
            with("colour", json!("red")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "colour",
        ),
        (
            without("event_id"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "event_id",
        ),
        (
            without("call_id"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "call_id",
        ),
        (without("state"), StatusCode::UNPROCESSABLE_ENTITY, "state"),
        (
            without("direction"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "direction",
        ),
        (without("at"), StatusCode::UNPROCESSABLE_ENTITY, "at"),
        (
            json!("just a string"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "object",
        ),
    ];
    for (body, status, needle) in cases {
        let r = app.event(body.clone()).await;
        assert_error(r, status, needle).await;
    }
    for raw in ["{\"event_id\": ", "not json at all", ""] {
        let r = app.post_raw("/api/v1/telephony/events", raw).await;
        assert_error(r, StatusCode::BAD_REQUEST, "JSON").await;
    }
    assert_eq!(app.events_stored().await, 1);
    assert_eq!(app.call_by_external("c-1").await, before);
}

async fn an_oversized_body_or_batch_is_refused_whole_with_413_r_x4(app: TestApp) {
    let batch: Vec<Value> = (0..1001)
        .map(|i| ev(&format!("big-{i}"), "c-big", "ringing", i, "+380671234567"))
        .collect();
    assert_error(
        app.post("/api/v1/telephony/events", &json!(batch)).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "1000",
    )
    .await;
    let mut huge = ev("huge", "c-big", "ringing", 0, "+380671234567");
    huge["queue"] = json!("q".repeat(1_100_000));
    assert_error(
        app.event(huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "1 MiB",
    )
    .await;
    assert_eq!(app.events_stored().await, 0);
    // A full batch of 1,000 is fine.
    let full: Vec<Value> = (0..1000)
        .map(|i| {
            ev(
                &format!("full-{i}"),
                &format!("c-full-{}", i / 4),
                "ringing",
                i,
                "+380671234567",
            )
        })
        .collect();
    let r = app.post("/api/v1/telephony/events", &json!(full)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.events_stored().await, 1000);
}

async fn a_wrong_or_missing_token_is_401_and_stores_nothing_r_t5(app: TestApp) {
    let body = ev("t-1", "c-t", "ringing", 0, "+380671234567");
    let r = app
        .http
        .post(app.url("/api/v1/telephony/events"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "Authorization").await;
    let r = app
        .post_as("rd_not-a-real-token", "/api/v1/telephony/events", &body)
        .await;
    assert_error(r, StatusCode::UNAUTHORIZED, "token").await;
    let r = app
        .http
        .post(app.url("/api/v1/telephony/events"))
        .header("authorization", "Basic abc")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "Bearer").await;
    assert_eq!(app.events_stored().await, 0);
}

async fn bad_signups_clients_and_employees_name_the_field_and_store_nothing_r_x2(app: TestApp) {
    let signup = |company: Value, owner: Value| json!({"company": company, "owner": owner});
    let company = json!({"name": "X", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"});
    let owner = json!({"name": "O", "email": "o@example.com", "password": "long enough"});
    let bad = [
        (
            signup(
                json!({"name": "X", "country": "ZZ", "time_zone": "Europe/Kyiv", "locale": "en"}),
                owner.clone(),
            ),
            "company.country",
        ),
        (
            signup(
                json!({"name": "X", "country": "UA", "time_zone": "Mars/Base", "locale": "en"}),
                owner.clone(),
            ),
            "company.time_zone",
        ),
        (
            signup(
                json!({"name": "X", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "de"}),
                owner.clone(),
            ),
            "company.locale",
        ),
        (
            signup(
                json!({"name": " ", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"}),
                owner.clone(),
            ),
            "company.name",
        ),
        (
            signup(
                company.clone(),
                json!({"name": "O", "email": "not-an-email", "password": "long enough"}),
            ),
            "owner.email",
        ),
        (
            signup(
                company.clone(),
                json!({"name": "O", "email": "o@example.com", "password": "short"}),
            ),
            "owner.password",
        ),
        (json!({"company": company.clone()}), "owner"),
    ];
    for (body, field) in bad {
        assert_error(
            app.post_anon("/api/v1/signup", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    // The e-mail of an existing account is taken.
    let taken = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await["email"]
        .clone();
    let r = app
        .post_anon(
            "/api/v1/signup",
            &signup(
                company,
                json!({"name": "O", "email": taken, "password": "long enough"}),
            ),
        )
        .await;
    assert_error(r, StatusCode::CONFLICT, "email").await;

    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": "C", "phones": [{"number": "no digits here"}]}),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "phones[0].number").await;
    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": "C", "phones": [{"number": "0671234567", "kind": "fax"}]}),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "phones[0].kind").await;
    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": "C", "contacts": [{"name": ""}]}),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "contacts[0].name").await;
    let r = app.post("/api/v1/clients", &json!({"phones": []})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "name").await;
    assert_eq!(app.get_json("/api/v1/clients").await, json!([]));

    let e = json!({"name": "E", "email": "e@example.com", "password": "password1", "permissions": ["fly"]});
    assert_error(
        app.post("/api/v1/employees", &e).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "fly",
    )
    .await;
    let e = json!({"name": "E", "email": "e@example.com", "password": "password1", "extensions": ["2 01"]});
    assert_error(
        app.post("/api/v1/employees", &e).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "extensions[0]",
    )
    .await;
    let ok = json!({"name": "E", "email": "e@example.com", "password": "password1", "extensions": ["201"]});
    assert_eq!(
        app.post("/api/v1/employees", &ok).await.status(),
        StatusCode::CREATED
    );
    let dup = json!({"name": "F", "email": "f@example.com", "password": "password1", "extensions": ["201"]});
    assert_error(
        app.post("/api/v1/employees", &dup).await,
        StatusCode::CONFLICT,
        "extensions",
    )
    .await;
    assert_eq!(
        app.get_json("/api/v1/employees")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_error(
        app.get("/api/v1/calls?state=flying").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "state",
    )
    .await;
    assert_error(
        app.get("/api/v1/calls?limit=5000").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "limit",
    )
    .await;
}

async fn another_companys_calls_and_clients_are_not_found_r_t1(app: TestApp) {
    let other = app.company_token("UA").await;
    let client: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Mine", "phones": [{"number": "0671234567"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let call: Value = app
        .event(ev("iso-1", "c-iso", "ringing", 0, "0671234567"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        app.get_as(&other, &format!("/api/v1/clients/{}", client["id"]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(&other, &format!("/api/v1/calls/{}", call["call_id"]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(&other, "/api/v1/calls")
            .await
            .json::<Value>()
            .await
            .unwrap(),
        json!([])
    );
    assert_eq!(
        app.get_as(&other, &format!("/api/v1/employees/{}", app.owner_id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The same provider call id and event id in another company are that company's own.
    let r = app
        .post_as(
            &other,
            "/api/v1/telephony/events",
            &ev("iso-1", "c-iso", "ringing", 0, "0671234567"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(app.events_stored().await, 1);
}

async fn the_openapi_document_lists_exactly_the_routes_the_server_has_r_x2(app: TestApp) {
    let doc = app.get_json("/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented: Vec<String> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let expected = [
        "DELETE /api/v1/api-tokens/{id}",
        "DELETE /api/v1/settings/webhook-signing/secrets/{id}",
        "GET /api/v1/ad-campaigns",
        "GET /api/v1/api-tokens",
        "GET /api/v1/audit-log",
        "GET /api/v1/calls",
        "GET /api/v1/calls/missed-cases",
        "GET /api/v1/calls/recent",
        "GET /api/v1/calls/{id}",
        "GET /api/v1/clients",
        "GET /api/v1/clients/lookup",
        "GET /api/v1/clients/{id}",
        "GET /api/v1/clients/{id}/history",
        "GET /api/v1/dashboard",
        "GET /api/v1/employees",
        "GET /api/v1/employees/{id}",
        "GET /api/v1/integrations/ami/gaps",
        "GET /api/v1/integrations/inbox",
        "GET /api/v1/jobs",
        "GET /api/v1/lead-statuses",
        "GET /api/v1/lead-types",
        "GET /api/v1/leads",
        "GET /api/v1/leads/{id}",
        "GET /api/v1/leads/{id}/history",
        "GET /api/v1/live",
        "GET /api/v1/locations",
        "GET /api/v1/me",
        "GET /api/v1/me/notification-settings",
        "GET /api/v1/notifications",
        "GET /api/v1/order-statuses",
        "GET /api/v1/orders",
        "GET /api/v1/orders/{id}",
        "GET /api/v1/quotes",
        "GET /api/v1/quotes/{id}",
        "GET /api/v1/settings/ignored-numbers",
        "GET /api/v1/settings/integrations/ami",
        "GET /api/v1/settings/integrations/twilio",
        "GET /api/v1/settings/lead-status-transfers",
        "GET /api/v1/settings/lines",
        "GET /api/v1/settings/numbering",
        "GET /api/v1/settings/phone-system",
        "GET /api/v1/settings/telephony",
        "GET /api/v1/settings/webhook-signing",
        "GET /api/v1/tasks",
        "GET /api/v1/tasks/{id}",
        "PATCH /api/v1/ad-campaigns/{id}",
        "PATCH /api/v1/clients/{id}",
        "PATCH /api/v1/employees/{id}",
        "PATCH /api/v1/lead-statuses/{id}",
        "PATCH /api/v1/lead-types/{id}",
        "PATCH /api/v1/leads/{id}",
        "PATCH /api/v1/locations/{id}",
        "PATCH /api/v1/order-statuses/{id}",
        "PATCH /api/v1/orders/{id}",
        "POST /api/v1/ad-campaigns",
        "POST /api/v1/api-tokens",
        "POST /api/v1/calls/{id}/quote",
        "POST /api/v1/click-to-call",
        "POST /api/v1/clients",
        "POST /api/v1/employees",
        "POST /api/v1/integrations/twilio/{company_id}/status",
        "POST /api/v1/lead-statuses",
        "POST /api/v1/lead-types",
        "POST /api/v1/leads",
        "POST /api/v1/leads/{id}/client",
        "POST /api/v1/locations",
        "POST /api/v1/notifications/{id}/read",
        "POST /api/v1/order-statuses",
        "POST /api/v1/orders",
        "POST /api/v1/orders/{id}/link-lead",
        "POST /api/v1/quotes",
        "POST /api/v1/quotes/{id}/convert",
        "POST /api/v1/settings/telephony/preview",
        "POST /api/v1/settings/webhook-signing/secrets",
        "POST /api/v1/signup",
        "POST /api/v1/tasks",
        "POST /api/v1/tasks/{id}/complete",
        "POST /api/v1/tasks/{id}/reopen",
        "POST /api/v1/telephony/events",
        "PUT /api/v1/calls/{id}/client",
        "PUT /api/v1/me/notification-settings",
        "PUT /api/v1/quotes/{id}/items",
        "PUT /api/v1/settings/ignored-numbers",
        "PUT /api/v1/settings/integrations/ami",
        "PUT /api/v1/settings/integrations/twilio",
        "PUT /api/v1/settings/lead-status-transfers",
        "PUT /api/v1/settings/lines",
        "PUT /api/v1/settings/numbering",
        "PUT /api/v1/settings/phone-system",
        "PUT /api/v1/settings/telephony",
        "PUT /api/v1/settings/webhook-signing",
    ];
    assert_eq!(documented, expected);
    // The router's own route table has exactly these API routes too.
    let (_, _, table) = ringdesk_web::routes();
    let mut api: Vec<String> = table
        .iter()
        .filter(|(_, p)| p.starts_with("/api/v1/") && p != "/api/v1/openapi.json")
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    api.sort();
    assert_eq!(api, expected);
    // Every documented route answers something other than "no such route".
    for route in &documented {
        let (method, path) = route.split_once(' ').unwrap();
        let path = path.replace("{id}", "1");
        let req = app
            .http
            .request(method.parse().unwrap(), app.url(&path))
            .bearer_auth(&app.token)
            .json(&json!({}));
        let body: Value = req
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap_or(Value::Null);
        assert_ne!(body["error"]["message"], "no such route", "{route}");
    }
}

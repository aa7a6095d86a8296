//! The API contract of issue 10: input is either read exactly or refused with
//! R-X2's body naming the problem, and nothing stored changes (R-I4, R-X2,
//! R-X4). Each test here failed before the one JSON reader (`json.rs`) and the
//! `Path`/`Query` extractors (`extract.rs`); NUL only ever failed on PostgreSQL.

use crate::helpers::{assert_error, ev, TestApp};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

both_databases!(
    a_nul_character_is_refused_with_422_naming_the_field_in_every_body_and_query_r_i4,
    control_characters_are_refused_in_names_and_ids_while_free_text_keeps_line_breaks_and_tabs_r_i4,
    bytes_after_the_json_value_are_refused_so_back_to_back_events_are_never_half_read_r_i4,
    a_numeric_event_id_is_kept_exactly_as_sent_or_refused_never_rounded_r_x4,
    an_array_where_an_object_is_expected_is_refused_and_changes_nothing_r_i4,
    a_repeated_key_is_refused_in_events_and_in_every_other_body_r_i4,
    path_query_and_method_errors_answer_r_x2_json_with_the_right_status_r_x2,
    a_sign_in_with_nul_in_the_email_is_an_unreadable_form_not_a_500_r_i4,
    the_openapi_document_states_the_answers_and_limits_the_server_enforces_r_x2,
    a_whole_number_written_as_1_0_is_read_as_an_integer_r_i4,
);

async fn count(app: &TestApp, path: &str) -> usize {
    app.get_json(path).await.as_array().unwrap().len()
}

async fn put_raw(app: &TestApp, path: &str, body: &'static str) -> Response {
    app.http
        .put(app.url(path))
        .bearer_auth(&app.token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Asserts R-X2's body with `status` and a JSON content type, whose message mentions `needle`.
async fn assert_json_error(r: Response, status: StatusCode, needle: &str) -> Value {
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "R-X2 JSON, got content type {content_type:?}"
    );
    assert_error(r, status, needle).await
}

async fn a_nul_character_is_refused_with_422_naming_the_field_in_every_body_and_query_r_i4(
    app: TestApp,
) {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let clients = count(&app, "/api/v1/clients").await;
    let employees = count(&app, "/api/v1/employees").await;
    let leads = count(&app, "/api/v1/leads").await;
    let quotes = count(&app, "/api/v1/quotes").await;
    let campaigns = count(&app, "/api/v1/ad-campaigns").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/api/v1/clients",
            json!({"name": "Ac\u{0}me"}),
            "name: contains the NUL",
        ),
        (
            "/api/v1/clients",
            json!({"name": "Acme", "phones": [{"number": "+380671234567\u{0}"}]}),
            "phones[0].number: contains the NUL",
        ),
        (
            "/api/v1/telephony/events",
            ev("nul-1", "c-\u{0}1", "ringing", 0, "+380671234567"),
            "call_id: contains the NUL",
        ),
        (
            "/api/v1/employees",
            json!({"name": "Ann\u{0}", "email": "ann.nul@example.com", "password": "password1"}),
            "name: contains the NUL",
        ),
        (
            "/api/v1/employees",
            json!({"name": "Ann", "email": "ann.nul@example.com", "password": "pass\u{0}word1"}),
            "password: contains the NUL",
        ),
        (
            "/api/v1/leads",
            json!({"client_name": "Petro", "description": "broken\u{0}screen"}),
            "description: contains the NUL",
        ),
        (
            "/api/v1/quotes",
            json!({"channel": "email", "contact": "a@example.com\u{0}"}),
            "contact: contains the NUL",
        ),
        (
            "/api/v1/ad-campaigns",
            json!({"name": "Spring\u{0}"}),
            "name: contains the NUL",
        ),
    ];
    for (path, body, needle) in cases {
        assert_json_error(app.post(path, &body).await, unprocessable, needle).await;
    }
    // In a batch, the event with NUL is rejected alone and the others are stored (R-X4).
    let r = app
        .post(
            "/api/v1/telephony/events",
            &json!([
                ev("nul-2", "c-nul", "ringing", 0, "+380671234567"),
                ev("nul-3", "c-nul", "answered\u{0}", 5, "+380671234567"),
            ]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let results: Value = r.json().await.unwrap();
    assert_eq!(results[0]["status"], "accepted", "{results}");
    assert_eq!(results[1]["status"], "rejected", "{results}");
    assert!(
        results[1]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("state: contains the NUL"),
        "{results}"
    );
    assert_json_error(
        app.get("/api/v1/calls?external_id=x%00y").await,
        unprocessable,
        "external_id",
    )
    .await;
    assert_eq!(count(&app, "/api/v1/clients").await, clients);
    assert_eq!(count(&app, "/api/v1/employees").await, employees);
    assert_eq!(count(&app, "/api/v1/leads").await, leads);
    assert_eq!(count(&app, "/api/v1/quotes").await, quotes);
    assert_eq!(count(&app, "/api/v1/ad-campaigns").await, campaigns);
    assert_eq!(app.events_stored().await, 1);
}

async fn control_characters_are_refused_in_names_and_ids_while_free_text_keeps_line_breaks_and_tabs_r_i4(
    app: TestApp,
) {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let clients = count(&app, "/api/v1/clients").await;
    assert_json_error(
        app.post("/api/v1/clients", &json!({"name": "\u{2}}b\u{7}"}))
            .await,
        unprocessable,
        "name: contains the control character U+0002",
    )
    .await;
    assert_json_error(
        app.post("/api/v1/clients", &json!({"name": "Two\nlines"}))
            .await,
        unprocessable,
        "U+000A",
    )
    .await;
    assert_json_error(
        app.event(ev("ctl-1\u{7}", "c-ctl", "ringing", 0, "+380671234567"))
            .await,
        unprocessable,
        "event_id: contains the control character U+0007",
    )
    .await;
    assert_json_error(
        app.event(ev("ctl-2", "c-ctl", "ringing", 0, "+38067\t1234567"))
            .await,
        unprocessable,
        "from: ",
    )
    .await;
    assert_eq!(count(&app, "/api/v1/clients").await, clients);
    assert_eq!(app.events_stored().await, 0);
    // Free text: line breaks and tabs are kept as sent, other controls are not.
    let text = "Screen cracked\r\nBattery:\tswollen";
    let r = app
        .post(
            "/api/v1/leads",
            &json!({"client_name": "Petro", "description": text}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let lead: Value = r.json().await.unwrap();
    let read = app.get_json(&format!("/api/v1/leads/{}", lead["id"])).await;
    assert_eq!(read["description"], text);
    assert_json_error(
        app.post(
            "/api/v1/leads",
            &json!({"client_name": "Petro", "description": "bell\u{7}"}),
        )
        .await,
        unprocessable,
        "description: contains the control character U+0007",
    )
    .await;
}

async fn bytes_after_the_json_value_are_refused_so_back_to_back_events_are_never_half_read_r_i4(
    app: TestApp,
) {
    let clients = count(&app, "/api/v1/clients").await;
    assert_json_error(
        app.post_raw("/api/v1/clients", r#"{"name": "Acme"} xyz"#)
            .await,
        StatusCode::BAD_REQUEST,
        "exactly one JSON value",
    )
    .await;
    assert_eq!(count(&app, "/api/v1/clients").await, clients);
    let one = ev("b2b-1", "c-b2b", "ringing", 0, "+380671234567");
    let two = ev("b2b-2", "c-b2b", "answered", 5, "+380671234567");
    assert_json_error(
        app.post_raw("/api/v1/telephony/events", format!("{one}{two}"))
            .await,
        StatusCode::BAD_REQUEST,
        "one array",
    )
    .await;
    assert_eq!(app.events_stored().await, 0, "neither event is half-read");
    // Sent as R-X4 says, one array, both are stored.
    let r = app
        .post_raw("/api/v1/telephony/events", format!("[{one},{two}]\n"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.events_stored().await, 2);
}

async fn a_numeric_event_id_is_kept_exactly_as_sent_or_refused_never_rounded_r_x4(app: TestApp) {
    let event = |id: &str| {
        let mut e = ev("placeholder", "c-num", "ringing", 0, "+380671234567");
        e.as_object_mut().unwrap().remove("event_id");
        let text = e.to_string();
        format!("{{\"event_id\": {id}, {}", &text[1..])
    };
    for id in [
        "1718362345.10",
        "1718362345.1",
        "123456789012345678901234567890",
    ] {
        assert_json_error(
            app.post_raw("/api/v1/telephony/events", event(id)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "event_id: a number here must be a whole number",
        )
        .await;
    }
    assert_eq!(app.events_stored().await, 0);
    // A whole number is kept exactly as written.
    let r = app
        .post_raw("/api/v1/telephony/events", event("1718362345"))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let call = app.call_by_external("c-num").await;
    assert_eq!(call["timeline"][0]["event_id"], "1718362345");
    // JSON has one number type: 1e3 is the whole number 1000 (as JSON Schema
    // reads it), and is kept as that integer.
    let r = app.post_raw("/api/v1/telephony/events", event("1e3")).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let timeline = app.call_by_external("c-num").await["timeline"].clone();
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event_id"] == "1000"),
        "{timeline}"
    );
    // As text, 1718362345.10 and 1718362345.1 are two events, not one.
    for (i, id) in ["\"1718362345.10\"", "\"1718362345.1\""].iter().enumerate() {
        let mut e: Value = serde_json::from_str(&event(id)).unwrap();
        e["state"] = json!(["queued", "answered"][i]);
        let r = app.event(e).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{id} is a new event");
    }
    assert_eq!(app.events_stored().await, 4);
}

async fn an_array_where_an_object_is_expected_is_refused_and_changes_nothing_r_i4(app: TestApp) {
    let clients = count(&app, "/api/v1/clients").await;
    assert_json_error(
        app.post_raw("/api/v1/clients", r#"["Arr"]"#).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "body: must be a JSON object, not an array",
    )
    .await;
    assert_json_error(
        app.post_raw(
            "/api/v1/clients",
            r#"{"name": "Acme", "phones": [["+380671234567", "mobile"]]}"#,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "phones[0]: must be a JSON object",
    )
    .await;
    assert_eq!(count(&app, "/api/v1/clients").await, clients);
    // Change one setting, so that a reset to the defaults would show.
    let mut settings = app.get_json("/api/v1/settings/telephony").await;
    settings["settle_seconds"] = json!(0);
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_json_error(
        put_raw(&app, "/api/v1/settings/telephony", "[]").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "body: must be a JSON object, not an array",
    )
    .await;
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, settings);
}

async fn a_repeated_key_is_refused_in_events_and_in_every_other_body_r_i4(app: TestApp) {
    let e = ev("dup-1", "c-dup", "ringing", 0, "+380671234567").to_string();
    let doubled = format!("{}, \"state\": \"answered\"}}", &e[..e.len() - 1]);
    assert_json_error(
        app.post_raw("/api/v1/telephony/events", doubled).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        r#"the key "state" appears more than once"#,
    )
    .await;
    assert_eq!(app.events_stored().await, 0);
    let clients = count(&app, "/api/v1/clients").await;
    assert_json_error(
        app.post_raw("/api/v1/clients", r#"{"name": "A", "name": "B"}"#)
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        r#"the key "name" appears more than once"#,
    )
    .await;
    assert_json_error(
        app.post_raw(
            "/api/v1/clients",
            r#"{"name": "A", "phones": [{"number": "+380671234567", "number": "+380671234568"}]}"#,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        r#"phones[0]: the key "number" appears more than once"#,
    )
    .await;
    assert_eq!(count(&app, "/api/v1/clients").await, clients);
}

async fn path_query_and_method_errors_answer_r_x2_json_with_the_right_status_r_x2(app: TestApp) {
    for path in [
        "/api/v1/clients/abc",
        "/api/v1/clients/9223372036854775808",
        "/api/v1/calls/1.5",
        "/api/v1/leads/%00",
    ] {
        assert_json_error(app.get(path).await, StatusCode::NOT_FOUND, "not an id").await;
    }
    assert_json_error(
        app.get("/api/v1/no-such-thing").await,
        StatusCode::NOT_FOUND,
        "no such route",
    )
    .await;
    assert_json_error(
        app.get("/api/v1/calls?recovered=null").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "recovered: ",
    )
    .await;
    assert_json_error(
        app.get("/api/v1/clients?limit=9223372036854775808").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "limit: ",
    )
    .await;
    assert_json_error(
        app.get("/api/v1/calls?limit=ten").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "limit: ",
    )
    .await;
    assert_json_error(
        app.get("/api/v1/calls?external_id=%zz").await,
        StatusCode::BAD_REQUEST,
        "external_id",
    )
    .await;
    assert_json_error(
        app.get("/api/v1/calls?external_id=%FF").await,
        StatusCode::BAD_REQUEST,
        "not UTF-8",
    )
    .await;
    let r = app
        .http
        .delete(app.url("/api/v1/clients"))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    let allow = r
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        allow.contains("GET") && allow.contains("POST"),
        "Allow: {allow:?}"
    );
    assert_json_error(r, StatusCode::METHOD_NOT_ALLOWED, "DELETE").await;
}

async fn a_sign_in_with_nul_in_the_email_is_an_unreadable_form_not_a_500_r_i4(app: TestApp) {
    let mut browser = app.browser();
    let r = browser
        .sign_in("owner\u{0}@example.com", "correct horse")
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !browser.cookies.contains_key("rd_session"),
        "{:?}",
        browser.cookies
    );
}

// ----- the document says what the server does (issue 10's mismatches) -----------------------

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

async fn the_openapi_document_states_the_answers_and_limits_the_server_enforces_r_x2(app: TestApp) {
    let doc = app.get_json("/api/v1/openapi.json").await;
    let mut secured = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let answers = op["responses"].as_object().unwrap();
            let what = format!("{method} {path}");
            if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
                secured += 1;
                assert!(answers.contains_key("401"), "{what} documents 401");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(answers.contains_key(status), "{what} documents {status}");
                }
            }
            if path.contains("{id}") {
                assert!(answers.contains_key("404"), "{what} documents 404");
            }
        }
    }
    assert!(secured > 60, "every authenticated operation was looked at");
    // The status bodies are what the server reads, not the work order's.
    let lead_status = schema(&doc, "LeadStatusIn");
    assert_eq!(lead_status["required"], json!(["name", "group"]));
    assert_eq!(
        lead_status["properties"]["group"]["enum"],
        json!(["new", "in_progress", "won", "lost"])
    );
    let body = &doc["paths"]["/api/v1/lead-statuses"]["post"]["requestBody"];
    assert_eq!(
        body["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/LeadStatusIn"
    );
    // Lookup's phone is required; a page size is 1-200.
    let lookup = &doc["paths"]["/api/v1/clients/lookup"]["get"]["parameters"][0];
    assert_eq!(
        (lookup["name"].as_str(), lookup["required"].as_bool()),
        (Some("phone"), Some(true))
    );
    let limit = doc["paths"]["/api/v1/clients"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(
        (
            limit["schema"]["minimum"].as_i64(),
            limit["schema"]["maximum"].as_i64()
        ),
        (Some(1), Some(200))
    );
    // The telephony settings are not a bare object: the three rule blocks are required.
    assert_eq!(
        schema(&doc, "TelephonySettingsPut")["required"],
        json!(["missed_call_task", "answered_call_lead", "missed_call_lead"])
    );
    // Enums the server enforces.
    let event = schema(&doc, "EventIn");
    assert_eq!(
        event["properties"]["direction"]["enum"],
        json!(["inbound", "outbound_manual", "outbound_auto"])
    );
    assert_eq!(event["additionalProperties"], json!(false));
    let employee = schema(&doc, "EmployeeIn");
    assert!(employee["properties"]["permissions"]["items"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("view_all_calls")));
    assert_eq!(employee["properties"]["password"]["minLength"], 8);
    // Request examples are the README walk-through's bodies.
    let example = &doc["paths"]["/api/v1/clients"]["post"]["requestBody"]["content"]
        ["application/json"]["example"];
    assert_eq!(example["name"], "Ivan Petrenko");
    assert_eq!(example["phones"][0]["number"], "067 123 45 67");
    // 409 where a PATCH can collide with another record's name or e-mail.
    for path in [
        "/api/v1/ad-campaigns/{id}",
        "/api/v1/locations/{id}",
        "/api/v1/employees/{id}",
    ] {
        assert!(
            doc["paths"][path]["patch"]["responses"]
                .get("409")
                .is_some(),
            "{path}"
        );
    }
}

async fn a_whole_number_written_as_1_0_is_read_as_an_integer_r_i4(app: TestApp) {
    // JSON Schema counts 1.0 as an integer; so does the server now.
    let owner = app.owner_id;
    let body = format!(r#"{{"title": "Call back", "assignee_ids": [{owner}.0]}}"#);
    let r = app.post_raw("/api/v1/tasks", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let tasks: Value = r.json().await.unwrap();
    assert_eq!(tasks[0]["assignee_ids"], json!([owner]));
    assert_json_error(
        app.post_raw(
            "/api/v1/tasks",
            r#"{"title": "Call back", "assignee_ids": [1.5]}"#,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "assignee_ids",
    )
    .await;
}

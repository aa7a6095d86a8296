//! Twilio (issue 12 item 1, R-I2, R-X8): the settings, `X-Twilio-Signature`
//! over real HTTP (Twilio's documented vector, tampered bodies, wrong URLs,
//! the port variants, the JSON variant), every status, out-of-order and
//! repeated callbacks, parent and child legs — and for each scenario the
//! call ends exactly as the generic webhook (R-X4) makes the same call.

use crate::helpers::*;
use reqwest::{Response, StatusCode};
use ringdesk_telephony::twilio::{body_hash, compute_signature};
use serde_json::{json, Value};

both_databases!(
    twilio_deliveries_are_kept_in_the_inbox_and_replayed_through_the_same_mapping,
    settings_keep_the_auth_token_write_only_and_validate_public_url_r_x8,
    twilios_documented_signature_verifies_over_http_and_tampering_is_refused_r_i2,
    the_signature_is_checked_with_and_without_the_port_r_i2,
    the_json_variant_is_signed_with_body_sha256_r_i2,
    a_company_without_enabled_twilio_answers_404_r_x8,
    every_status_of_a_parent_leg_ends_the_call_as_the_generic_webhook_does_r_i2,
    an_inbound_call_no_operator_answered_is_missed_like_the_generic_call_r_c4,
    the_answering_child_leg_names_the_operator_like_the_generic_call_r_c5,
    out_of_order_and_repeated_callbacks_give_the_same_call_r_c3,
    a_changed_callback_under_the_same_sequence_number_is_409_r_x4,
    a_click_to_call_call_arrives_as_outbound_manual_to_the_customer_r_i5,
    the_settings_page_shows_the_callback_url_and_saves_r_x8,
);

const TOKEN: &str = "tw-auth-token-0123456789";
const T0: i64 = 1_795_000_000; // 2026-11-18

/// Enables Twilio for the app's company with `public_url`.
async fn enable(app: &TestApp, public_url: &str) {
    let r = app
        .http
        .put(app.url("/api/v1/settings/integrations/twilio"))
        .bearer_auth(&app.token)
        .json(&json!({"enabled": true, "auth_token": TOKEN, "public_url": public_url}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "enabling Twilio");
}

fn status_path(company_id: i64) -> String {
    format!("/api/v1/integrations/twilio/{company_id}/status")
}

/// The public URL of the app's own callback (as Twilio would be told it).
fn own_url(app: &TestApp) -> String {
    app.url(&status_path(app.company_id))
}

fn form(params: &[(&str, String)]) -> Vec<(String, String)> {
    params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// Posts `params` to the app's callback (with `query`), signed over
/// `signed_url` with `token`, as Twilio does.
async fn post_signed(
    app: &TestApp,
    query: &str,
    params: &[(String, String)],
    signed_url: &str,
    token: &str,
) -> Response {
    let sig = compute_signature(token, signed_url, params);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    app.http
        .post(format!("{}{query}", own_url(app)))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-twilio-signature", sig)
        .body(body)
        .send()
        .await
        .unwrap()
}

/// One callback to the app's own URL, correctly signed; returns the outcome header.
async fn callback(app: &TestApp, params: &[(&str, String)]) -> String {
    let params = form(params);
    let r = post_signed(app, "", &params, &own_url(app), TOKEN).await;
    assert_eq!(r.status(), StatusCode::OK, "callback {params:?}");
    assert_eq!(r.headers()["content-type"], "text/xml", "Twilio gets TwiML");
    let outcome = r.headers()["ringdesk-outcome"].to_str().unwrap().to_owned();
    assert!(r.text().await.unwrap().contains("<Response/>"));
    outcome
}

fn rfc2822(secs: i64) -> String {
    let t = jiff::Timestamp::from_second(T0 + secs).unwrap();
    jiff::fmt::rfc2822::to_string(&t.to_zoned(jiff::tz::TimeZone::UTC)).unwrap()
}

fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(T0 + secs).unwrap().to_string()
}

const CUSTOMER: &str = "+14155550100";
const LINE: &str = "+14155550199";

/// A parent leg's callback.
fn parent(
    sid: &str,
    direction: &str,
    status: &str,
    seq: u32,
    secs: i64,
) -> Vec<(&'static str, String)> {
    vec![
        ("AccountSid", "AC0123456789abcdef0123456789abcdef".into()),
        ("CallSid", sid.into()),
        ("CallStatus", status.into()),
        ("Direction", direction.into()),
        ("From", CUSTOMER.into()),
        ("To", LINE.into()),
        ("Caller", CUSTOMER.into()),
        ("Called", LINE.into()),
        ("Timestamp", rfc2822(secs)),
        ("SequenceNumber", seq.to_string()),
        ("CallbackSource", "call-progress-events".into()),
    ]
}

/// A `<Dial>` child leg's callback: it rang `to`.
fn child(
    sid: &str,
    parent_sid: &str,
    to: &str,
    status: &str,
    seq: u32,
    secs: i64,
) -> Vec<(&'static str, String)> {
    vec![
        ("AccountSid", "AC0123456789abcdef0123456789abcdef".into()),
        ("CallSid", sid.into()),
        ("ParentCallSid", parent_sid.into()),
        ("CallStatus", status.into()),
        ("Direction", "outbound-dial".into()),
        ("From", CUSTOMER.into()),
        ("To", to.into()),
        ("Called", to.into()),
        ("Timestamp", rfc2822(secs)),
        ("SequenceNumber", seq.to_string()),
        ("CallbackSource", "call-progress-events".into()),
    ]
}

/// A second company fed through the generic webhook, with the same operators.
struct Generic {
    token: String,
}

async fn generic_company(app: &TestApp, operators: &[&str]) -> Generic {
    let out = app.signup("UA", "Europe/Kyiv", "en").await;
    let token = out["api_token"].as_str().unwrap().to_owned();
    for ext in operators {
        let r = app
            .post_as(
                &token,
                "/api/v1/employees",
                &json!({"name": format!("Operator {ext}"), "email": format!("op-{}@example.com", unique()),
                        "password": "employee pass 1", "permissions": [], "extensions": [ext]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    Generic { token }
}

/// Adds operators (by extension) to the app's own company.
async fn operators(app: &TestApp, exts: &[&str]) {
    for ext in exts {
        let r = app
            .post(
                "/api/v1/employees",
                &json!({"name": format!("Operator {ext}"), "email": format!("op-{}@example.com", unique()),
                        "password": "employee pass 1", "permissions": [], "extensions": [ext]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
}

/// A generic event (R-X4).
#[allow(clippy::too_many_arguments)]
fn generic(
    event_id: &str,
    call_id: &str,
    direction: &str,
    state: &str,
    secs: i64,
    from: &str,
    to: &str,
    operator: Option<&str>,
) -> Value {
    let mut e = json!({"event_id": event_id, "call_id": call_id, "direction": direction, "state": state,
                       "at": rfc3339(secs), "from": from, "to": to});
    if let Some(op) = operator {
        e["operator"] = json!(op);
    }
    e
}

async fn post_generic(app: &TestApp, g: &Generic, events: Vec<Value>) {
    let r = app
        .post_as(&g.token, "/api/v1/telephony/events", &Value::Array(events))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let results: Value = r.json().await.unwrap();
    for x in results.as_array().unwrap() {
        assert_ne!(x["status"], "rejected", "{x}");
    }
}

async fn call_as(app: &TestApp, token: &str, external: &str) -> Value {
    let list: Value = app
        .get_as(token, &format!("/api/v1/calls?external_id={external}"))
        .await
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "one call {external}");
    app.get_as(token, &format!("/api/v1/calls/{}", list[0]["id"]))
        .await
        .json()
        .await
        .unwrap()
}

/// The operator's extension, or null.
async fn operator_ext(app: &TestApp, token: &str, call: &Value) -> Value {
    match call["operator_id"].as_i64() {
        None => Value::Null,
        Some(id) => {
            let e: Value = app
                .get_as(token, &format!("/api/v1/employees/{id}"))
                .await
                .json()
                .await
                .unwrap();
            e["extensions"][0].clone()
        }
    }
}

/// What must be equal between the Twilio call and the generic one.
async fn outcome_of(app: &TestApp, token: &str, external: &str) -> Value {
    let c = call_as(app, token, external).await;
    json!({
        "direction": c["direction"], "state": c["state"], "missed": c["missed"],
        "from": c["from"], "to": c["to"], "customer_number": c["customer_number"],
        "times": c["times"], "wait_seconds": c["wait_seconds"], "ring_seconds": c["ring_seconds"],
        "talk_seconds": c["talk_seconds"], "total_seconds": c["total_seconds"],
        "operator": operator_ext(app, token, &c).await, "operator_unmatched": c["operator_unmatched"],
        "recording_url": c["recording_url"], "client_match": c["client_match"],
    })
}

async fn assert_same_call(app: &TestApp, g: &Generic, external: &str) -> Value {
    let twilio = outcome_of(app, &app.token, external).await;
    let generic = outcome_of(app, &g.token, external).await;
    assert_eq!(
        twilio, generic,
        "the Twilio call and the generic call of {external}"
    );
    twilio
}

async fn settings_keep_the_auth_token_write_only_and_validate_public_url_r_x8(app: TestApp) {
    let path = "/api/v1/settings/integrations/twilio";
    let before = app.get_json(path).await;
    assert_eq!(before["enabled"], false);
    assert_eq!(before["auth_token_set"], false);
    assert_eq!(before["public_url"], Value::Null);
    assert_eq!(before["callback_path"], status_path(app.company_id));

    let put = |body: Value| {
        let app = &app;
        async move {
            app.http
                .put(app.url(path))
                .bearer_auth(&app.token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    // Enabling needs a token; public_url must be an absolute http(s) URL.
    assert_error(
        put(json!({"enabled": true, "public_url": own_url(&app)})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "auth_token",
    )
    .await;
    for bad in [
        "crm.example.com/status",
        "ftp://crm.example.com/x",
        "https:///x",
        "https://crm.example.com/a b",
    ] {
        assert_error(
            put(json!({"enabled": false, "auth_token": TOKEN, "public_url": bad})).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "public_url",
        )
        .await;
    }
    assert_error(
        put(json!({"enabled": false, "public_url": own_url(&app), "account_sid": "XX1"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "account_sid",
    )
    .await;
    assert_error(
        put(json!({"enabled": false, "public_url": own_url(&app), "caller_id": "0441234567"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "caller_id",
    )
    .await;

    let r = put(
        json!({"enabled": true, "auth_token": TOKEN, "public_url": own_url(&app),
                       "account_sid": "AC0123456789abcdef0123456789abcdef", "caller_id": LINE}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(!text.contains(TOKEN), "the token is never shown: {text}");
    let got = app.get_json(path).await;
    assert!(!got.to_string().contains(TOKEN));
    assert_eq!(got["enabled"], true);
    assert_eq!(got["auth_token_set"], true);
    assert_eq!(got["public_url"], own_url(&app));
    assert_eq!(got["caller_id"], LINE);

    // A PUT without the token keeps it: callbacks signed with it still verify.
    let r = put(json!({"enabled": true, "public_url": own_url(&app)})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let got: Value = r.json().await.unwrap();
    assert_eq!(got["auth_token_set"], true);
    assert_eq!(got["account_sid"], Value::Null);
    let outcome = callback(&app, &parent("CAkeep", "inbound", "ringing", 0, 0)).await;
    assert_eq!(outcome, "accepted");

    // Audited, without the token.
    let audit = app.get_json("/api/v1/audit-log").await.to_string();
    assert!(audit.contains("settings:twilio"), "{audit}");
    assert!(!audit.contains(TOKEN));

    // Only with manage_settings.
    let (_, email) = app.add_employee(&["view_all_calls"], &["301"]).await;
    let token = app
        .token_of(&email, "employee pass 1", &["view_all_calls"])
        .await;
    let r = app.get_as(&token, path).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn twilios_documented_signature_verifies_over_http_and_tampering_is_refused_r_i2(
    app: TestApp,
) {
    // Twilio's own example: auth token 12345, the URL
    // https://mycompany.com/myapp.php?foo=1&bar=2 and these parameters sign to
    // RSOYDt4T1cUTdK1PDd93/VVr8B8=. Configured as the public URL, with the
    // request carrying the same query, it verifies: the answer is about the
    // callback's content (422: not a status callback), not the signature.
    let r = app
        .http
        .put(app.url("/api/v1/settings/integrations/twilio"))
        .bearer_auth(&app.token)
        .json(&json!({"enabled": true, "auth_token": "12345", "public_url": "https://mycompany.com/myapp.php?foo=1&bar=2"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
    let send = |query: &'static str, body: String, sig: &'static str| {
        let app = &app;
        async move {
            app.http
                .post(format!("{}?{query}", own_url(app)))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-twilio-signature", sig)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let documented = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    assert_error(
        send("foo=1&bar=2", body.to_owned(), documented).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "CallStatus",
    )
    .await;
    // The parameters in another order sign the same.
    let reordered = "To=%2B18005551212&From=%2B14158675309&Digits=1234&Caller=%2B14158675309&CallSid=CA1234567890ABCDE";
    assert_eq!(
        send("foo=1&bar=2", reordered.to_owned(), documented)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A tampered body, an added parameter, another query: refused, naming public_url.
    for (query, body) in [
        ("foo=1&bar=2", body.replace("1234", "9999")),
        ("foo=1&bar=2", format!("{body}&CallStatus=completed")),
        ("foo=1&bar=3", body.to_owned()),
        ("foo=1", body.to_owned()),
    ] {
        let r = send(query, body, documented).await;
        let e = assert_error(
            r,
            StatusCode::FORBIDDEN,
            "X-Twilio-Signature does not match public_url",
        )
        .await;
        assert_eq!(e["error"]["code"], "bad_signature");
    }
    // No signature at all.
    let r = app
        .http
        .post(format!("{}?foo=1&bar=2", own_url(&app)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let e = assert_error(r, StatusCode::UNAUTHORIZED, "X-Twilio-Signature is missing").await;
    assert_eq!(e["error"]["code"], "missing_signature");

    // A real callback signed over another URL, or with another token.
    enable(&app, &own_url(&app)).await;
    let params = form(&parent("CAwrong", "inbound", "ringing", 0, 0));
    let other_url = own_url(&app).replace("/status", "/status2");
    let r = post_signed(&app, "", &params, &other_url, TOKEN).await;
    assert_error(r, StatusCode::FORBIDDEN, "public_url").await;
    let r = post_signed(&app, "", &params, &own_url(&app), "another-token").await;
    assert_error(r, StatusCode::FORBIDDEN, "auth_token").await;
    assert_eq!(
        app.events_stored().await,
        0,
        "nothing refused was stored (R-I4)"
    );
}

async fn the_signature_is_checked_with_and_without_the_port_r_i2(app: TestApp) {
    let path = status_path(app.company_id);
    let params = |sid: &str| form(&parent(sid, "inbound", "ringing", 0, 0));
    // public_url without a port: Twilio may sign with :443 added, or not.
    enable(&app, &format!("https://crm.example.com{path}")).await;
    for (i, signed) in [
        format!("https://crm.example.com{path}"),
        format!("https://crm.example.com:443{path}"),
    ]
    .iter()
    .enumerate()
    {
        let r = post_signed(&app, "", &params(&format!("CAport{i}")), signed, TOKEN).await;
        assert_eq!(r.status(), StatusCode::OK, "signed over {signed}");
    }
    // :80 is not https's port; another port is another URL.
    for signed in [
        format!("https://crm.example.com:80{path}"),
        format!("https://crm.example.com:8443{path}"),
        format!("http://crm.example.com{path}"),
    ] {
        let r = post_signed(&app, "", &params("CAportX"), &signed, TOKEN).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "signed over {signed}");
    }
    // public_url with its port: signatures without it verify too.
    enable(&app, &format!("https://crm.example.com:443{path}")).await;
    let r = post_signed(
        &app,
        "",
        &params("CAport2"),
        &format!("https://crm.example.com{path}"),
        TOKEN,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // http: the default port is 80.
    enable(&app, &format!("http://crm.example.com{path}")).await;
    let r = post_signed(
        &app,
        "",
        &params("CAport3"),
        &format!("http://crm.example.com:80{path}"),
        TOKEN,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = post_signed(
        &app,
        "",
        &params("CAport4"),
        &format!("http://crm.example.com:443{path}"),
        TOKEN,
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.events_stored().await, 4);
}

async fn the_json_variant_is_signed_with_body_sha256_r_i2(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    let body = json!({"CallSid": "CAjson", "CallStatus": "ringing", "Direction": "inbound",
                      "From": CUSTOMER, "To": LINE, "Timestamp": rfc2822(0), "SequenceNumber": 0})
    .to_string();
    let query = format!("?bodySHA256={}", body_hash(body.as_bytes()));
    // Signed over the URL with its query, and no parameters.
    let sig = compute_signature(TOKEN, &format!("{}{query}", own_url(&app)), &[]);
    let send = |query: String, body: String| {
        let app = &app;
        let sig = sig.clone();
        async move {
            app.http
                .post(format!("{}{query}", own_url(app)))
                .header("content-type", "application/json")
                .header("x-twilio-signature", sig)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let tampered = body.replace("ringing", "busy");
    assert_error(
        send(query.clone(), tampered).await,
        StatusCode::FORBIDDEN,
        "bodySHA256 does not match",
    )
    .await;
    assert_error(
        send(String::new(), body.clone()).await,
        StatusCode::FORBIDDEN,
        "bodySHA256",
    )
    .await;
    let r = send(query.clone(), body.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["ringdesk-outcome"], "accepted");
    let call = app.call_by_external("CAjson").await;
    assert_eq!(call["state"], "ringing");
    assert_eq!(call["from"], CUSTOMER);
    let r = send(query, body).await;
    assert_eq!(r.headers()["ringdesk-outcome"], "duplicate");
}

async fn a_company_without_enabled_twilio_answers_404_r_x8(app: TestApp) {
    let params = form(&parent("CA404", "inbound", "ringing", 0, 0));
    let r = post_signed(&app, "", &params, &own_url(&app), TOKEN).await;
    assert_error(r, StatusCode::NOT_FOUND, "no enabled Twilio").await;
    enable(&app, &own_url(&app)).await;
    let r = app
        .http
        .put(app.url("/api/v1/settings/integrations/twilio"))
        .bearer_auth(&app.token)
        .json(&json!({"enabled": false, "public_url": own_url(&app)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = post_signed(&app, "", &params, &own_url(&app), TOKEN).await;
    assert_error(r, StatusCode::NOT_FOUND, "no enabled Twilio").await;
    // Another company's path, an unknown one, one that is no number.
    let other = app.signup("UA", "Europe/Kyiv", "en").await["company_id"]
        .as_i64()
        .unwrap();
    for path in [
        status_path(other),
        status_path(999_999_999),
        "/api/v1/integrations/twilio/abc/status".into(),
    ] {
        let r = app
            .http
            .post(app.url(&path))
            .body("CallSid=CA1")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.events_stored().await, 0);
}

async fn every_status_of_a_parent_leg_ends_the_call_as_the_generic_webhook_does_r_i2(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    let g = generic_company(&app, &[]).await;
    let statuses = [
        ("queued", "queued"),
        ("initiated", "ringing"),
        ("ringing", "ringing"),
        ("completed", "completed"),
        ("busy", "busy"),
        ("no-answer", "no_answer"),
        ("canceled", "cancelled"),
        ("failed", "failed"),
    ];
    for (direction, generic_direction) in
        [("inbound", "inbound"), ("outbound-api", "outbound_manual")]
    {
        for (status, state) in statuses {
            // Each call: ringing, then this status.
            let sid = format!("CA-{direction}-{status}");
            assert_eq!(
                callback(&app, &parent(&sid, direction, "ringing", 0, 0)).await,
                "accepted"
            );
            assert_eq!(
                callback(&app, &parent(&sid, direction, status, 1, 30)).await,
                "accepted"
            );
            let (from, to) = (CUSTOMER, LINE);
            post_generic(
                &app,
                &g,
                vec![
                    generic(
                        &format!("{sid}-0"),
                        &sid,
                        generic_direction,
                        "ringing",
                        0,
                        from,
                        to,
                        None,
                    ),
                    generic(
                        &format!("{sid}-1"),
                        &sid,
                        generic_direction,
                        state,
                        30,
                        from,
                        to,
                        None,
                    ),
                ],
            )
            .await;
            let got = assert_same_call(&app, &g, &sid).await;
            assert_eq!(got["direction"], generic_direction);
            let inbound_missed =
                direction == "inbound" && !matches!(status, "queued" | "initiated" | "ringing");
            assert_eq!(got["missed"], inbound_missed, "{sid}: {got}");
        }
        // in-progress: an outbound-api leg was answered by the customer …
        let sid = format!("CA-{direction}-answered");
        callback(&app, &parent(&sid, direction, "ringing", 0, 0)).await;
        let outcome = callback(&app, &parent(&sid, direction, "in-progress", 1, 5)).await;
        callback(&app, &parent(&sid, direction, "completed", 2, 65)).await;
        let mut events = vec![generic(
            &format!("{sid}-0"),
            &sid,
            generic_direction,
            "ringing",
            0,
            CUSTOMER,
            LINE,
            None,
        )];
        if direction == "outbound-api" {
            assert_eq!(outcome, "accepted");
            events.push(generic(
                &format!("{sid}-1"),
                &sid,
                generic_direction,
                "answered",
                5,
                CUSTOMER,
                LINE,
                None,
            ));
        } else {
            // … but an inbound parent leg is in progress as soon as Twilio runs
            // the TwiML: no person answered, nothing is recorded.
            assert_eq!(outcome, "ignored");
        }
        events.push(generic(
            &format!("{sid}-2"),
            &sid,
            generic_direction,
            "completed",
            65,
            CUSTOMER,
            LINE,
            None,
        ));
        post_generic(&app, &g, events).await;
        let got = assert_same_call(&app, &g, &sid).await;
        if direction == "outbound-api" {
            assert_eq!(
                (got["state"].as_str(), got["talk_seconds"].as_i64()),
                (Some("completed"), Some(60))
            );
        } else {
            assert_eq!(
                (got["state"].as_str(), got["missed"].as_bool()),
                (Some("no_answer"), Some(true))
            );
        }
    }
}

async fn an_inbound_call_no_operator_answered_is_missed_like_the_generic_call_r_c4(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    operators(&app, &["anna", "201"]).await;
    let g = generic_company(&app, &["anna", "201"]).await;
    // The caller rings; Twilio answers to run <Dial>; two operators ring
    // (a Client and a SIP phone), neither answers; the caller hangs up.
    let calls = [
        parent("CAmiss", "inbound", "ringing", 0, 0),
        parent("CAmiss", "inbound", "in-progress", 1, 1),
        child("CAm1", "CAmiss", "client:anna", "initiated", 0, 1),
        child("CAm1", "CAmiss", "client:anna", "ringing", 1, 2),
        child(
            "CAm2",
            "CAmiss",
            "sip:201@acme.sip.twilio.com",
            "ringing",
            0,
            3,
        ),
        child("CAm1", "CAmiss", "client:anna", "no-answer", 2, 25),
        child(
            "CAm2",
            "CAmiss",
            "sip:201@acme.sip.twilio.com",
            "busy",
            1,
            26,
        ),
        parent("CAmiss", "inbound", "completed", 2, 30),
    ];
    let mut outcomes = Vec::new();
    for c in &calls {
        outcomes.push(callback(&app, c).await);
    }
    assert_eq!(
        outcomes,
        [
            "accepted", "ignored", "accepted", "accepted", "accepted", "ignored", "ignored",
            "accepted"
        ]
    );
    post_generic(
        &app,
        &g,
        vec![
            generic(
                "g1", "CAmiss", "inbound", "ringing", 0, CUSTOMER, LINE, None,
            ),
            generic(
                "g2",
                "CAmiss",
                "inbound",
                "ringing",
                1,
                CUSTOMER,
                "",
                Some("anna"),
            ),
            generic(
                "g3",
                "CAmiss",
                "inbound",
                "ringing",
                2,
                CUSTOMER,
                "",
                Some("anna"),
            ),
            generic(
                "g4",
                "CAmiss",
                "inbound",
                "ringing",
                3,
                CUSTOMER,
                "",
                Some("201"),
            ),
            generic(
                "g5",
                "CAmiss",
                "inbound",
                "completed",
                30,
                CUSTOMER,
                LINE,
                None,
            ),
        ],
    )
    .await;
    let got = assert_same_call(&app, &g, "CAmiss").await;
    assert_eq!(got["state"], "no_answer");
    assert_eq!(got["missed"], true);
    assert_eq!(got["to"], LINE);
    assert_eq!(got["times"]["answered"], Value::Null);
    assert_eq!(got["times"]["ended"], rfc3339(30));
}

async fn the_answering_child_leg_names_the_operator_like_the_generic_call_r_c5(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    operators(&app, &["anna", "201", "+14155550123"]).await;
    let g = generic_company(&app, &["anna", "201", "+14155550123"]).await;
    // A ring group of three: a Client, a SIP phone and a mobile; the SIP
    // phone answers, the others are cancelled; then the call completes.
    let calls = [
        parent("CAans", "inbound", "ringing", 0, 0),
        child("CAa1", "CAans", "client:anna", "ringing", 0, 1),
        child(
            "CAa2",
            "CAans",
            "sip:201@acme.sip.twilio.com",
            "ringing",
            0,
            1,
        ),
        child("CAa3", "CAans", "+14155550123", "ringing", 0, 2),
        child(
            "CAa2",
            "CAans",
            "sip:201@acme.sip.twilio.com",
            "in-progress",
            1,
            8,
        ),
        child("CAa1", "CAans", "client:anna", "canceled", 1, 8),
        child("CAa3", "CAans", "+14155550123", "canceled", 1, 8),
        child(
            "CAa2",
            "CAans",
            "sip:201@acme.sip.twilio.com",
            "completed",
            2,
            98,
        ),
        {
            let mut p = parent("CAans", "inbound", "completed", 1, 99);
            p.push((
                "RecordingUrl",
                "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1".into(),
            ));
            p
        },
    ];
    for c in &calls {
        callback(&app, c).await;
    }
    post_generic(
        &app,
        &g,
        vec![
            generic("g1", "CAans", "inbound", "ringing", 0, CUSTOMER, LINE, None),
            generic(
                "g2",
                "CAans",
                "inbound",
                "ringing",
                1,
                CUSTOMER,
                "",
                Some("anna"),
            ),
            generic(
                "g3",
                "CAans",
                "inbound",
                "ringing",
                1,
                CUSTOMER,
                "",
                Some("201"),
            ),
            generic(
                "g4",
                "CAans",
                "inbound",
                "ringing",
                2,
                CUSTOMER,
                "",
                Some("+14155550123"),
            ),
            generic(
                "g5",
                "CAans",
                "inbound",
                "answered",
                8,
                CUSTOMER,
                "",
                Some("201"),
            ),
            {
                let mut e = generic(
                    "g6",
                    "CAans",
                    "inbound",
                    "completed",
                    99,
                    CUSTOMER,
                    LINE,
                    None,
                );
                e["recording_url"] =
                    json!("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1");
                e
            },
        ],
    )
    .await;
    let got = assert_same_call(&app, &g, "CAans").await;
    assert_eq!(got["state"], "completed");
    assert_eq!(got["missed"], false);
    assert_eq!(got["operator"], "201");
    assert_eq!(got["times"]["answered"], rfc3339(8));
    assert_eq!(got["talk_seconds"], 91);
}

async fn out_of_order_and_repeated_callbacks_give_the_same_call_r_c3(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    operators(&app, &["anna"]).await;
    let g = generic_company(&app, &["anna"]).await;
    let mut calls = vec![
        parent("CAooo", "inbound", "ringing", 0, 0),
        child("CAo1", "CAooo", "client:anna", "ringing", 0, 2),
        child("CAo1", "CAooo", "client:anna", "in-progress", 1, 6),
        child("CAo1", "CAooo", "client:anna", "completed", 2, 40),
        parent("CAooo", "inbound", "completed", 1, 41),
    ];
    // Last first, each twice: the repeat is a duplicate or changes nothing.
    calls.reverse();
    for c in &calls {
        let first = callback(&app, c).await;
        let again = callback(&app, c).await;
        match first.as_str() {
            "accepted" => assert_eq!(again, "duplicate"),
            "ignored" => assert_eq!(again, "ignored"),
            other => panic!("first delivery {other}"),
        }
    }
    assert_eq!(app.events_stored().await, 4);
    // The generic events in order.
    post_generic(
        &app,
        &g,
        vec![
            generic("g1", "CAooo", "inbound", "ringing", 0, CUSTOMER, LINE, None),
            generic(
                "g2",
                "CAooo",
                "inbound",
                "ringing",
                2,
                CUSTOMER,
                "",
                Some("anna"),
            ),
            generic(
                "g3",
                "CAooo",
                "inbound",
                "answered",
                6,
                CUSTOMER,
                "",
                Some("anna"),
            ),
            generic(
                "g4",
                "CAooo",
                "inbound",
                "completed",
                41,
                CUSTOMER,
                LINE,
                None,
            ),
        ],
    )
    .await;
    let got = assert_same_call(&app, &g, "CAooo").await;
    assert_eq!(got["state"], "completed");
    assert_eq!(got["operator"], "anna");
    assert_eq!(got["wait_seconds"], 6);
}

async fn a_changed_callback_under_the_same_sequence_number_is_409_r_x4(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    assert_eq!(
        callback(&app, &parent("CAconf", "inbound", "ringing", 0, 0)).await,
        "accepted"
    );
    let changed = form(&parent("CAconf", "inbound", "busy", 0, 10));
    let r = post_signed(&app, "", &changed, &own_url(&app), TOKEN).await;
    let e = assert_error(r, StatusCode::CONFLICT, "twilio:CAconf:0").await;
    assert_eq!(e["error"]["code"], "event_conflict");
    // Unreadable parameters are 422 naming them (after the signature).
    let bad = form(&parent("CAconf", "inbound", "exploded", 5, 10));
    assert_error(
        post_signed(&app, "", &bad, &own_url(&app), TOKEN).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "CallStatus",
    )
    .await;
    let mut nul = form(&parent("CAnul", "inbound", "ringing", 0, 0));
    nul[4].1 = "+1415\u{0}555".into();
    assert_error(
        post_signed(&app, "", &nul, &own_url(&app), TOKEN).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "From",
    )
    .await;
    assert_eq!(app.call_by_external("CAconf").await["state"], "ringing");
    assert_eq!(app.events_stored().await, 1);
}

async fn a_click_to_call_call_arrives_as_outbound_manual_to_the_customer_r_i5(app: TestApp) {
    enable(&app, &own_url(&app)).await;
    operators(&app, &["anna"]).await;
    let g = generic_company(&app, &["anna"]).await;
    // The status callback URL Ringdesk gives Twilio for a call it starts.
    let cb = ringdesk_telephony::twilio::click_callback_url(&own_url(&app), CUSTOMER, "anna");
    let query = &cb[own_url(&app).len()..];
    let leg = |mut p: Vec<(&'static str, String)>| {
        // The employee's leg goes from the company's number to the employee.
        for (k, v) in p.iter_mut() {
            match *k {
                "From" | "Caller" => *v = LINE.into(),
                "To" | "Called" if v.as_str() == LINE => *v = "client:anna".into(),
                _ => {}
            }
        }
        form(&p)
    };
    let legs = [
        leg(parent("CAc2c", "outbound-api", "initiated", 0, 0)),
        leg(parent("CAc2c", "outbound-api", "ringing", 1, 1)),
        leg(parent("CAc2c", "outbound-api", "in-progress", 2, 4)),
        leg(child("CAc2d", "CAc2c", CUSTOMER, "initiated", 0, 4)),
        leg(child("CAc2d", "CAc2c", CUSTOMER, "ringing", 1, 5)),
        leg(child("CAc2d", "CAc2c", CUSTOMER, "in-progress", 2, 12)),
        leg(child("CAc2d", "CAc2c", CUSTOMER, "completed", 3, 72)),
        leg(parent("CAc2c", "outbound-api", "completed", 3, 72)),
    ];
    let mut outcomes = Vec::new();
    for p in &legs {
        let r = post_signed(&app, query, p, &cb, TOKEN).await;
        assert_eq!(r.status(), StatusCode::OK);
        outcomes.push(r.headers()["ringdesk-outcome"].to_str().unwrap().to_owned());
    }
    assert_eq!(
        outcomes[2], "ignored",
        "the employee picking up is not the customer answering"
    );
    let ev = |id: &str, state: &str, secs: i64| {
        generic(
            id,
            "CAc2c",
            "outbound_manual",
            state,
            secs,
            LINE,
            CUSTOMER,
            Some("anna"),
        )
    };
    post_generic(
        &app,
        &g,
        vec![
            ev("g1", "ringing", 0),
            ev("g2", "ringing", 1),
            ev("g3", "ringing", 4),
            ev("g4", "ringing", 5),
            ev("g5", "answered", 12),
            ev("g6", "completed", 72),
            ev("g7", "completed", 72),
        ],
    )
    .await;
    let got = assert_same_call(&app, &g, "CAc2c").await;
    assert_eq!(got["direction"], "outbound_manual");
    assert_eq!(got["customer_number"], CUSTOMER);
    assert_eq!(got["operator"], "anna");
    assert_eq!(got["state"], "completed");
    assert_eq!(got["missed"], false);
}

/// Sends the page's form as a browser does: its fields, the CSRF token, the Origin.
async fn send_form(b: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Response {
    let csrf = b.csrf.clone().expect("a CSRF token from the page");
    let mut all = fields.to_vec();
    all.push(("csrf_token", &csrf));
    let origin = b.base.clone();
    b.post_form(path, &all, Some(&origin)).await
}

async fn the_settings_page_shows_the_callback_url_and_saves_r_x8(app: TestApp) {
    let mut b = app.owner_browser().await;
    let html = b.page("/settings").await;
    assert!(
        html.contains("/settings/integrations/twilio"),
        "linked from the settings index"
    );
    let html = b.page("/settings/integrations/twilio").await;
    assert!(
        html.contains(&status_path(app.company_id)),
        "the callback URL to paste"
    );
    assert!(html.contains("No auth token is set yet."));
    let r = send_form(
        &mut b,
        "/settings/integrations/twilio",
        &[
            ("enabled", "on"),
            ("auth_token", ""),
            ("public_url", "not a url"),
            ("account_sid", ""),
            ("caller_id", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("public_url"));
    let url = own_url(&app);
    b.page("/settings/integrations/twilio").await;
    let r = send_form(
        &mut b,
        "/settings/integrations/twilio",
        &[
            ("enabled", "on"),
            ("auth_token", TOKEN),
            ("public_url", url.as_str()),
            ("account_sid", ""),
            ("caller_id", LINE),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = b.page("/settings/integrations/twilio?m=saved").await;
    assert!(html.contains("An auth token is set."));
    assert!(!html.contains(TOKEN), "the token is never shown");
    let got = app.get_json("/api/v1/settings/integrations/twilio").await;
    assert_eq!(
        (got["enabled"].as_bool(), got["caller_id"].as_str()),
        (Some(true), Some(LINE))
    );
    assert_eq!(
        callback(&app, &parent("CApage", "inbound", "ringing", 0, 0)).await,
        "accepted"
    );
}

/// Issue 12 item 4: every callback is kept in the webhook inbox (a forged one
/// as not authenticated), and a replay of the range re-applies the
/// authenticated ones through the same mapping: nothing is doubled.
async fn twilio_deliveries_are_kept_in_the_inbox_and_replayed_through_the_same_mapping(
    app: TestApp,
) {
    enable(&app, &own_url(&app)).await;
    let start = jiff::Timestamp::now();
    assert_eq!(
        callback(&app, &parent("CAinbox1", "inbound", "ringing", 0, 0)).await,
        "accepted"
    );
    let forged = form(&parent("CAinbox1", "inbound", "completed", 1, 9));
    let r = post_signed(&app, "", &forged, &own_url(&app), "not the token").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut list = Vec::new();
    for _ in 0..100 {
        list = app
            .get_json("/api/v1/integrations/inbox?connector=twilio")
            .await
            .as_array()
            .unwrap()
            .clone();
        if list.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(list.len(), 2, "{list:#?}");
    assert_eq!(list[0]["authenticated"], false);
    assert_eq!(list[0]["status"], 403);
    assert_eq!(list[1]["authenticated"], true);
    assert!(list[1]["result"]
        .as_str()
        .unwrap()
        .starts_with("accepted: call "));
    assert!(list[1]["headers"]["x-twilio-signature"].is_string());
    assert!(list[1]["body"]
        .as_str()
        .unwrap()
        .contains("CallSid=CAinbox1"));
    let before = app.events_stored().await;
    let out = ringdesk_web::inbox::replay(
        &app.store,
        app.company_id,
        start,
        jiff::Timestamp::now() + jiff::SignedDuration::from_secs(1),
    )
    .await
    .unwrap();
    assert_eq!(
        (out.replayed, out.skipped_unauthenticated),
        (1, 1),
        "{out:#?}"
    );
    assert!(out.lines[0].contains("duplicate"), "{out:#?}");
    assert_eq!(app.events_stored().await, before);
}

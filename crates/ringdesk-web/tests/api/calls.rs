//! Call ingestion and the call lifecycle through the webhook (R-X4, R-C2…R-C5, R-P3, R-P6).

use crate::helpers::{assert_error, ev, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    recent_calls_are_the_employees_own_last_five_newest_first_r_c8,
    the_first_callback_recovers_every_missed_call_from_that_number_before_it_r_c7,
    a_callback_that_arrives_before_the_missed_calls_end_still_recovers_it_r_c7,
    ringing_then_cancelled_inbound_is_missed_r_c4,
    ringing_answered_completed_is_not_missed_and_has_times_r_c2,
    a_completed_that_was_never_answered_ends_no_answer_and_is_missed_r_c3,
    a_late_answered_corrects_an_ended_unanswered_call_to_completed_r_c3,
    fifty_concurrent_deliveries_of_one_event_store_one_event_and_one_call_r_x4,
    concurrent_events_of_many_calls_all_land_once_r_x4,
    a_repeat_answers_200_and_a_changed_repeat_409_changing_nothing_r_x4,
    a_batch_stores_its_valid_events_and_rejects_the_invalid_ones_r_x4,
    the_caller_is_identified_on_the_first_event_by_from_inbound_and_to_outbound_r_p3,
    a_withheld_number_identifies_nobody_r_p6,
    two_clients_on_the_callers_number_give_many_and_no_automatic_client_r_p3,
    an_extension_routes_the_call_and_a_transfer_changes_the_operator_r_c5,
    calls_are_filtered_by_state_direction_missed_operator_client_and_period,
    edit_contact_through_the_api_relinks_the_call_audited_and_checked_r_c6,
);

async fn ringing_then_cancelled_inbound_is_missed_r_c4(app: TestApp) {
    assert_eq!(
        app.event(ev("a1", "c-miss", "ringing", 0, "+380671234567"))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        app.event(ev("a2", "c-miss", "cancelled", 9, "+380671234567"))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let c = app.call_by_external("c-miss").await;
    assert_eq!(c["state"], "cancelled");
    assert_eq!(c["missed"], true);
    assert_eq!(c["times"]["ended"], "2026-06-19T13:00:09Z");
    assert_eq!(c["timeline"].as_array().unwrap().len(), 2);
}

async fn ringing_answered_completed_is_not_missed_and_has_times_r_c2(app: TestApp) {
    for (id, st, s) in [
        ("b1", "queued", 0),
        ("b2", "ringing", 2),
        ("b3", "answered", 12),
        ("b4", "completed", 72),
    ] {
        assert_eq!(
            app.event(ev(id, "c-ok", st, s, "+380671234567"))
                .await
                .status(),
            StatusCode::ACCEPTED
        );
    }
    let c = app.call_by_external("c-ok").await;
    assert_eq!(c["state"], "completed");
    assert_eq!(c["missed"], false);
    assert_eq!(c["wait_seconds"], 12);
    assert_eq!(c["ring_seconds"], 10);
    assert_eq!(c["talk_seconds"], 60);
    assert_eq!(c["total_seconds"], 72);
    assert_eq!(c["times"]["queued"], "2026-06-19T13:00:00Z");
    assert_eq!(c["times"]["answered"], "2026-06-19T13:00:12Z");
}

async fn a_completed_that_was_never_answered_ends_no_answer_and_is_missed_r_c3(app: TestApp) {
    app.event(ev("c1", "c-na", "ringing", 0, "+380671234567"))
        .await;
    app.event(ev("c2", "c-na", "completed", 30, "+380671234567"))
        .await;
    let c = app.call_by_external("c-na").await;
    assert_eq!(c["state"], "no_answer");
    assert_eq!(c["missed"], true);
}

async fn a_late_answered_corrects_an_ended_unanswered_call_to_completed_r_c3(app: TestApp) {
    // Out of order: the end first, then ringing, then the answer that happened before the end.
    app.event(ev("d3", "c-late", "no_answer", 40, "+380671234567"))
        .await;
    assert_eq!(app.call_by_external("c-late").await["missed"], true);
    app.event(ev("d1", "c-late", "ringing", 0, "+380671234567"))
        .await;
    app.event(ev("d2", "c-late", "answered", 5, "+380671234567"))
        .await;
    let c = app.call_by_external("c-late").await;
    assert_eq!(c["state"], "completed");
    assert_eq!(c["missed"], false);
    assert_eq!(c["talk_seconds"], 35);
    // An ended call never rings again.
    app.event(ev("d4", "c-late", "ringing", 50, "+380671234567"))
        .await;
    assert_eq!(app.call_by_external("c-late").await["state"], "completed");
}

async fn fifty_concurrent_deliveries_of_one_event_store_one_event_and_one_call_r_x4(app: TestApp) {
    let body = ev("same-1", "c-storm", "ringing", 0, "+380671234567");
    let sends = (0..50).map(|_| app.event(body.clone()));
    let answers = futures::future::join_all(sends).await;
    let codes: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == 202).count(),
        1,
        "exactly one delivery stores it: {codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == 200).count(),
        49,
        "the others are repeats: {codes:?}"
    );
    assert_eq!(app.events_stored().await, 1);
    let calls = app.get_json("/api/v1/calls?external_id=c-storm").await;
    assert_eq!(calls.as_array().unwrap().len(), 1);
    let all = app.get_json("/api/v1/calls").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
}

async fn concurrent_events_of_many_calls_all_land_once_r_x4(app: TestApp) {
    let mut sends = Vec::new();
    for call in 0..20 {
        for (k, st) in ["ringing", "answered", "completed"].into_iter().enumerate() {
            let body = ev(
                &format!("m-{call}-{k}"),
                &format!("mc-{call}"),
                st,
                k as i64 * 10,
                "+380671234567",
            );
            // Every event twice, all at once.
            sends.push(app.event(body.clone()));
            sends.push(app.event(body));
        }
    }
    let answers = futures::future::join_all(sends).await;
    assert!(answers
        .iter()
        .all(|r| r.status() == StatusCode::ACCEPTED || r.status() == StatusCode::OK));
    assert_eq!(app.events_stored().await, 60);
    let calls = app.get_json("/api/v1/calls?limit=200").await;
    let calls = calls.as_array().unwrap();
    assert_eq!(calls.len(), 20);
    assert!(
        calls
            .iter()
            .all(|c| c["state"] == "completed" && c["talk_seconds"] == 10),
        "{calls:?}"
    );
}

async fn a_repeat_answers_200_and_a_changed_repeat_409_changing_nothing_r_x4(app: TestApp) {
    let first = app
        .event(ev("r1", "c-rep", "ringing", 0, "+380671234567"))
        .await;
    assert_eq!(first.status(), StatusCode::ACCEPTED);
    let first: Value = first.json().await.unwrap();
    let again = app
        .event(ev("r1", "c-rep", "ringing", 0, "+380671234567"))
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let before = app.call_by_external("c-rep").await;
    let changed = app
        .event(ev("r1", "c-rep", "answered", 0, "+380671234567"))
        .await;
    crate::helpers::assert_error(changed, StatusCode::CONFLICT, "r1").await;
    // The same id sent for another call: refused too, and no call is made for it.
    let other = app
        .event(ev("r1", "c-other", "ringing", 0, "+380671234567"))
        .await;
    assert_eq!(other.status(), StatusCode::CONFLICT);
    assert_eq!(app.call_by_external("c-rep").await, before);
    assert_eq!(
        app.get_json("/api/v1/calls?external_id=c-other").await,
        json!([])
    );
    assert_eq!(app.events_stored().await, 1);
}

async fn a_batch_stores_its_valid_events_and_rejects_the_invalid_ones_r_x4(app: TestApp) {
    app.event(ev("x0", "c-b", "ringing", 0, "+380671234567"))
        .await;
    let batch = json!([
        ev("x1", "c-b", "answered", 5, "+380671234567"),
        {"event_id": "x2", "call_id": "c-b", "direction": "inbound", "state": "exploded", "at": "2026-06-19T13:00:06Z"},
        ev("x0", "c-b", "ringing", 0, "+380671234567"),
        ev("x0", "c-b", "busy", 0, "+380671234567"),
        ev("x3", "c-b", "completed", 65, "+380671234567"),
    ]);
    let r = app.post("/api/v1/telephony/events", &batch).await;
    assert_eq!(r.status(), StatusCode::OK);
    let results: Value = r.json().await.unwrap();
    let statuses: Vec<&str> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["accepted", "rejected", "duplicate", "rejected", "accepted"]
    );
    assert!(results[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("state"));
    assert!(results[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("x0"));
    assert_eq!(results[0]["call_id"], results[4]["call_id"]);
    assert_eq!(app.events_stored().await, 3);
    assert_eq!(app.call_by_external("c-b").await["talk_seconds"], 60);
}

async fn the_caller_is_identified_on_the_first_event_by_from_inbound_and_to_outbound_r_p3(
    app: TestApp,
) {
    let client: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Bohdan", "phones": [{"number": "067 123 45 67", "kind": "mobile"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.event(ev("i1", "c-in", "ringing", 0, "0671234567"))
        .await;
    let c = app.call_by_external("c-in").await;
    assert_eq!(c["client_id"], client["id"]);
    assert_eq!(c["client_match"], "one");
    assert_eq!(c["customer_number"], "+380671234567");
    let mut out = ev("o1", "c-out", "ringing", 0, "201");
    out["direction"] = json!("outbound_manual");
    out["to"] = json!("80671234567");
    app.event(out).await;
    let c = app.call_by_external("c-out").await;
    assert_eq!(c["client_id"], client["id"]);
    assert_eq!(c["direction"], "outbound_manual");
}

async fn a_withheld_number_identifies_nobody_r_p6(app: TestApp) {
    // A client saved with a junk "number" must not match a withheld caller either.
    app.post(
        "/api/v1/clients",
        &json!({"name": "Anon Ltd", "phones": [{"number": "0"}]}),
    )
    .await;
    for (i, from) in ["anonymous", "", "Restricted", "private", "unknown"]
        .into_iter()
        .enumerate()
    {
        app.event(ev(&format!("w{i}"), &format!("c-w{i}"), "ringing", 0, from))
            .await;
        let c = app.call_by_external(&format!("c-w{i}")).await;
        assert_eq!(c["client_match"], "none", "{from:?}");
        assert_eq!(c["client_id"], Value::Null);
        assert_eq!(c["customer_number"], Value::Null);
    }
}

async fn two_clients_on_the_callers_number_give_many_and_no_automatic_client_r_p3(app: TestApp) {
    app.post(
        "/api/v1/clients",
        &json!({"name": "First", "phones": [{"number": "+380671234567"}]}),
    )
    .await;
    app.post(
        "/api/v1/clients",
        &json!({"name": "Second", "phones": [{"number": "067 123 45 67"}]}),
    )
    .await;
    app.event(ev("m1", "c-many", "ringing", 0, "+380671234567"))
        .await;
    let c = app.call_by_external("c-many").await;
    assert_eq!(c["client_match"], "many");
    assert_eq!(c["client_id"], Value::Null);
}

async fn an_extension_routes_the_call_and_a_transfer_changes_the_operator_r_c5(app: TestApp) {
    let ann: Value = app
        .post("/api/v1/employees", &json!({"name": "Ann", "email": "ann.op@example.com", "password": "password1", "extensions": ["201"]}))
        .await
        .json()
        .await
        .unwrap();
    let ben: Value = app
        .post("/api/v1/employees", &json!({"name": "Ben", "email": "ben.op@example.com", "password": "password1", "extensions": ["202", "sip-ben"]}))
        .await
        .json()
        .await
        .unwrap();
    let with_op = |id: &str, st: &str, s: i64, op: &str| {
        let mut e = ev(id, "c-tr", st, s, "+380671234567");
        e["operator"] = json!(op);
        e
    };
    app.event(with_op("t1", "ringing", 0, "201")).await;
    app.event(with_op("t2", "answered", 3, "201")).await;
    assert_eq!(app.call_by_external("c-tr").await["operator_id"], ann["id"]);
    app.event(with_op("t3", "answered", 40, "sip-ben")).await;
    app.event(ev("t4", "c-tr", "completed", 90, "+380671234567"))
        .await;
    let c = app.call_by_external("c-tr").await;
    assert_eq!(c["operator_id"], ben["id"]);
    assert_eq!(c["times"]["answered"], "2026-06-19T13:00:03Z");
    let ops: Vec<&Value> = c["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["operator_id"])
        .filter(|o| !o.is_null())
        .collect();
    assert!(
        ops.contains(&&ann["id"]) && ops.contains(&&ben["id"]),
        "both operators stay in the timeline"
    );
    // An operator named by e-mail routes too.
    let mut e = ev("t5", "c-mail", "ringing", 0, "+380671234567");
    e["operator"] = json!("Ann.Op@example.com");
    app.event(e).await;
    assert_eq!(
        app.call_by_external("c-mail").await["operator_id"],
        ann["id"]
    );
}

async fn calls_are_filtered_by_state_direction_missed_operator_client_and_period(app: TestApp) {
    let client: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "K", "phones": [{"number": "+380501112233"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.event(ev("f1", "c-f1", "ringing", 0, "+380501112233"))
        .await;
    app.event(ev("f2", "c-f1", "cancelled", 5, "+380501112233"))
        .await;
    app.event(ev("f3", "c-f2", "ringing", 7200, "+380671234567"))
        .await;
    let mut out = ev("f4", "c-f3", "ringing", 100, "201");
    out["direction"] = json!("outbound_auto");
    app.event(out).await;
    let ids = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["external_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(app.get_json("/api/v1/calls?missed=true").await),
        ["c-f1"]
    );
    assert_eq!(
        ids(app
            .get_json("/api/v1/calls?state=ringing&direction=inbound")
            .await),
        ["c-f2"]
    );
    assert_eq!(
        ids(app.get_json("/api/v1/calls?direction=outbound_auto").await),
        ["c-f3"]
    );
    assert_eq!(
        ids(app
            .get_json(&format!("/api/v1/calls?client_id={}", client["id"]))
            .await),
        ["c-f1"]
    );
    assert_eq!(
        ids(app
            .get_json("/api/v1/calls?from=2026-06-19T13:30:00Z")
            .await),
        ["c-f2"]
    );
    assert_eq!(
        ids(app
            .get_json("/api/v1/calls?to=2026-06-19T13:01:00Z&direction=inbound")
            .await),
        ["c-f1"]
    );
    assert_eq!(
        ids(app
            .get_json(&format!("/api/v1/calls?operator_id={}", app.owner_id))
            .await),
        Vec::<String>::new()
    );
    assert_eq!(ids(app.get_json("/api/v1/calls?limit=1").await).len(), 1);
}

// ----- R-C7: recovery of missed calls ------------------------------------------------------

/// Posts a call's events: `(state, seconds)` pairs, inbound from `number` or
/// outbound to it.
async fn call_with(
    app: &TestApp,
    external: &str,
    number: &str,
    outbound: bool,
    steps: &[(&str, i64)],
) {
    for (i, (state, secs)) in steps.iter().enumerate() {
        let mut e = ev(&format!("{external}-{i}"), external, state, *secs, number);
        if outbound {
            e["direction"] = json!("outbound_manual");
            e["from"] = json!("201");
            e["to"] = json!(number);
        }
        assert_eq!(
            app.event(e).await.status(),
            StatusCode::ACCEPTED,
            "{external} {state}"
        );
    }
}

async fn the_first_callback_recovers_every_missed_call_from_that_number_before_it_r_c7(
    app: TestApp,
) {
    let n = "0671230001";
    call_with(
        &app,
        "rc-m1",
        n,
        false,
        &[("ringing", 0), ("no_answer", 10)],
    )
    .await;
    call_with(
        &app,
        "rc-m2",
        n,
        false,
        &[("ringing", 90), ("cancelled", 100)],
    )
    .await;
    // Another number's missed call is not this callback's business.
    call_with(
        &app,
        "rc-other",
        "0671230002",
        false,
        &[("ringing", 0), ("no_answer", 10)],
    )
    .await;
    // The callback, unanswered: by default it recovers all the same (R-C7).
    call_with(
        &app,
        "rc-cb",
        n,
        true,
        &[("ringing", 400), ("no_answer", 430)],
    )
    .await;
    // A second callback recovers nothing more; a miss after the callback waits for the next.
    call_with(
        &app,
        "rc-cb2",
        n,
        true,
        &[("ringing", 500), ("completed", 530)],
    )
    .await;
    call_with(
        &app,
        "rc-m3",
        n,
        false,
        &[("ringing", 900), ("no_answer", 1000)],
    )
    .await;

    let cb = app.call_by_external("rc-cb").await["id"].clone();
    for (external, seconds) in [("rc-m1", 390), ("rc-m2", 300)] {
        let c = app.call_by_external(external).await;
        assert_eq!(c["recovered"], true, "{external}");
        assert_eq!(
            c["recovered_by_call_id"], cb,
            "{external}: the first callback"
        );
        assert_eq!(c["recovery_seconds"], seconds, "{external}");
    }
    for external in ["rc-m3", "rc-other"] {
        let c = app.call_by_external(external).await;
        assert_eq!(c["recovered"], false, "{external}");
        assert_eq!(c["recovered_by_call_id"], Value::Null, "{external}");
    }
    let waiting = app
        .get_json("/api/v1/calls?missed=true&recovered=false")
        .await;
    let mut externals: Vec<&str> = waiting
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["external_id"].as_str().unwrap())
        .collect();
    externals.sort();
    assert_eq!(externals, ["rc-m3", "rc-other"]);
}

async fn a_callback_that_arrives_before_the_missed_calls_end_still_recovers_it_r_c7(app: TestApp) {
    let n = "0671230003";
    // The missed call starts ringing; the callback's events (a minute later)
    // arrive before the missed call's end does.
    call_with(&app, "oo-m", n, false, &[("ringing", 0)]).await;
    call_with(
        &app,
        "oo-cb",
        n,
        true,
        &[("ringing", 60), ("answered", 65), ("completed", 90)],
    )
    .await;
    assert_eq!(
        app.call_by_external("oo-m").await["recovered"],
        false,
        "not missed yet"
    );
    let end = ev("oo-m-9", "oo-m", "no_answer", 30, n);
    assert_eq!(app.event(end).await.status(), StatusCode::ACCEPTED);
    let c = app.call_by_external("oo-m").await;
    assert_eq!(c["missed"], true);
    assert_eq!(c["recovered"], true);
    assert_eq!(
        c["recovered_by_call_id"],
        app.call_by_external("oo-cb").await["id"]
    );
    assert_eq!(c["recovery_seconds"], 30);
}

// ----- R-C8: recent calls -------------------------------------------------------------------

async fn recent_calls_are_the_employees_own_last_five_newest_first_r_c8(app: TestApp) {
    let (_, email_a) = app.add_employee(&[], &["101"]).await;
    let (_, email_b) = app.add_employee(&[], &["102"]).await;
    let token_a = app.token_of(&email_a, "employee pass 1", &[]).await;
    let token_b = app.token_of(&email_b, "employee pass 1", &[]).await;
    let answered_by = |external: String, operator: &'static str, secs: i64| {
        let app = &app;
        async move {
            for (i, state) in ["ringing", "answered", "completed"].iter().enumerate() {
                let mut e = ev(
                    &format!("{external}-{i}"),
                    &external,
                    state,
                    secs + i as i64,
                    "0671239999",
                );
                e["operator"] = json!(operator);
                assert_eq!(app.event(e).await.status(), StatusCode::ACCEPTED);
            }
        }
    };
    for i in 0..6 {
        answered_by(format!("ra-{i}"), "101", i * 100).await;
    }
    answered_by("rb-0".to_owned(), "102", 50).await;
    let recent: Value = app
        .get_as(&token_a, "/api/v1/calls/recent")
        .await
        .json()
        .await
        .unwrap();
    let externals: Vec<&str> = recent
        .as_array()
        .unwrap_or_else(|| panic!("{recent}"))
        .iter()
        .map(|c| c["external_id"].as_str().unwrap())
        .collect();
    assert_eq!(externals, ["ra-5", "ra-4", "ra-3", "ra-2", "ra-1"]);
    let recent_b: Value = app
        .get_as(&token_b, "/api/v1/calls/recent")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(recent_b.as_array().unwrap().len(), 1);
    assert_eq!(recent_b[0]["external_id"], "rb-0");
    assert_eq!(recent_b[0]["state"], "completed");
}

async fn edit_contact_through_the_api_relinks_the_call_audited_and_checked_r_c6(app: TestApp) {
    let mut ids = vec![];
    for name in ["First", "Second"] {
        let c: Value = app
            .post(
                "/api/v1/clients",
                &json!({"name": name, "phones": [{"number": "+380671234567"}]}),
            )
            .await
            .json()
            .await
            .unwrap();
        ids.push(c["id"].as_i64().unwrap());
    }
    app.event(ev("rl1", "c-relink", "ringing", 0, "+380671234567"))
        .await;
    let call = app.call_by_external("c-relink").await;
    let id = call["id"].as_i64().unwrap();
    assert_eq!(call["client_match"], "many");
    let put = |token: String, path: String, body: Value| {
        let http = app.http.clone();
        let url = app.url(&path);
        async move {
            http.put(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let path = format!("/api/v1/calls/{id}/client");
    // The operator picks the second match: the call shows it from then on.
    let r = put(
        app.token.clone(),
        path.clone(),
        json!({"client_id": ids[1]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let out: Value = r.json().await.unwrap();
    assert_eq!(out["client_id"], json!(ids[1]));
    assert_eq!(out["client_match"], "one");
    let call = app.get_json(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(call["client_id"], json!(ids[1]), "{call}");
    // Recorded: who changed it, from what to what.
    let log = app.get_json("/api/v1/audit-log").await.to_string();
    assert!(log.contains("call.contact_changed"), "{log}");
    assert!(log.contains(&format!("client none -> {}", ids[1])), "{log}");
    // A client that does not exist (or is another company's) is 404, and the link stays.
    let r = put(
        app.token.clone(),
        path.clone(),
        json!({"client_id": 999_999}),
    )
    .await;
    assert_error(r, StatusCode::NOT_FOUND, "client").await;
    let r = put(app.token.clone(), path.clone(), json!({"client": 1})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let call = app.get_json(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(call["client_id"], json!(ids[1]));
    // An employee without view_clients may not re-link.
    let (_, email) = app.add_employee(&[], &["301"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    let r = put(token, path, json!({"client_id": ids[0]})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

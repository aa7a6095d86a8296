//! Business hours and the callback SLA (issue 13 item 4): the settings of
//! `GET|PUT /api/v1/settings/telephony` (R-X6), each missed call's
//! `sla_deadline_at` and `within_sla` counted in business time only, and the
//! breach job's notifications (R-L6's table) to the operator and the managers.
//! The company is in Europe/Kyiv (UTC+2 in January); the calls are in January
//! 2027, so their jobs fall due only when a test runs them.

use crate::helpers::{assert_error, TestApp};
use jiff::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_sla_settings_start_at_their_defaults_and_are_saved_as_sent,
    invalid_business_hours_and_sla_settings_are_refused_naming_the_field,
    a_friday_1750_miss_called_back_monday_0915_is_within_a_30_minute_sla,
    a_callback_at_0925_is_a_breach_and_the_job_tells_the_operator_and_managers_once,
    a_call_recovered_late_before_the_job_ran_is_a_breach_told_once,
    a_missed_call_proved_answered_later_has_no_sla_and_tells_nobody_r_c3a,
    without_an_sla_a_missed_call_has_no_deadline,
    a_callback_whose_events_arrive_before_the_misses_end_gives_the_same_outcome_r_c3,
);

const CALLER: &str = "+380671234567";
const LINE: &str = "+380441234567";

async fn put_settings(app: &TestApp, body: &Value) -> reqwest::Response {
    app.http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The current settings with these fields replaced, saved.
async fn set(app: &TestApp, fields: Value) {
    let mut s = app.get_json("/api/v1/settings/telephony").await;
    for (k, v) in fields.as_object().unwrap() {
        s[k] = v.clone();
    }
    let r = put_settings(app, &s).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

/// An instant given as Kyiv local time in January (UTC+2).
fn kyiv(local: &str) -> Timestamp {
    format!("{local}:00+02:00").parse().unwrap()
}

async fn send(app: &TestApp, events: Value) {
    let r = app.event(events).await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

/// An inbound call from CALLER to `operator` that rang and ended unanswered at `end`.
async fn missed_call(app: &TestApp, external: &str, operator: &str, end: &str) -> Value {
    let end = kyiv(end);
    let start = end - jiff::SignedDuration::from_secs(30);
    let ev = |state: &str, at: Timestamp| {
        let mut e = json!({"event_id": format!("{external}-{state}"), "call_id": external,
            "direction": "inbound", "state": state, "at": at.to_string(), "from": CALLER, "to": LINE});
        if !operator.is_empty() {
            e["operator"] = json!(operator);
        }
        e
    };
    send(app, json!([ev("ringing", start), ev("no_answer", end)])).await;
    app.call_by_external(external).await
}

/// An outbound call to CALLER that started at `start` (unanswered: it still recovers, R-C7).
async fn callback(app: &TestApp, external: &str, start: &str) {
    let start = kyiv(start);
    let ev = |state: &str, at: Timestamp| {
        json!({"event_id": format!("{external}-{state}"), "call_id": external, "direction": "outbound_manual",
               "state": state, "at": at.to_string(), "from": LINE, "to": CALLER})
    };
    let end = start + jiff::SignedDuration::from_secs(20);
    send(app, json!([ev("ringing", start), ev("no_answer", end)])).await;
}

/// The breach notifications an employee has.
async fn breaches(app: &TestApp, employee_id: i64) -> Vec<Value> {
    let list = app
        .get_json(&format!("/api/v1/notifications?employee_id={employee_id}"))
        .await;
    list.as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "callback_sla_breached")
        .cloned()
        .collect()
}

async fn run_jobs_at(app: &TestApp, at: Timestamp) {
    app.store.run_due_jobs(at).await.unwrap();
}

async fn the_sla_settings_start_at_their_defaults_and_are_saved_as_sent(app: TestApp) {
    let s = app.get_json("/api/v1/settings/telephony").await;
    let office = json!([["09:00", "18:00"]]);
    assert_eq!(
        s["business_hours"],
        json!({"mon": office, "tue": office, "wed": office, "thu": office, "fri": office,
               "sat": [], "sun": []})
    );
    assert_eq!(s["callback_sla_minutes"], 0);
    assert_eq!(s["service_level_seconds"], 20);

    let mut wanted = s.clone();
    wanted["business_hours"] = json!({"mon": [["08:00", "12:00"], ["13:00", "17:30"]],
        "sat": [["10:00", "24:00"]]});
    wanted["callback_sla_minutes"] = json!(30);
    wanted["service_level_seconds"] = json!(15);
    let r = put_settings(&app, &wanted).await;
    assert_eq!(r.status(), StatusCode::OK);
    // The object is the whole week: the days left out are closed.
    let mut stored = wanted.clone();
    stored["business_hours"] = json!({"mon": [["08:00", "12:00"], ["13:00", "17:30"]],
        "tue": [], "wed": [], "thu": [], "fri": [], "sat": [["10:00", "24:00"]], "sun": []});
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, stored);

    // A PUT without them (or with null) keeps them.
    let mut without = stored.clone();
    let o = without.as_object_mut().unwrap();
    o.remove("business_hours");
    o.remove("callback_sla_minutes");
    o.insert("service_level_seconds".into(), Value::Null);
    assert_eq!(put_settings(&app, &without).await.status(), StatusCode::OK);
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, stored);
}

async fn invalid_business_hours_and_sla_settings_are_refused_naming_the_field(app: TestApp) {
    let before = app.get_json("/api/v1/settings/telephony").await;
    let with = |field: &str, v: Value| {
        let mut s = before.clone();
        s[field] = v;
        s
    };
    let hours = |v: Value| with("business_hours", v);
    let cases = [
        (
            hours(json!({"mon": [["09:00", "13:00"], ["12:00", "18:00"]]})),
            "business_hours.mon[1]",
        ),
        (
            hours(json!({"tue": [["13:00", "18:00"], ["09:00", "12:00"]]})),
            "business_hours.tue[1]",
        ),
        (
            hours(json!({"wed": [["9:00", "18:00"]]})),
            "business_hours.wed[0]",
        ),
        (
            hours(json!({"wed": [["18:00", "09:00"]]})),
            "business_hours.wed[0]",
        ),
        (
            hours(json!({"wed": [["24:00", "24:00"]]})),
            "business_hours.wed[0]",
        ),
        (hours(json!({"thu": [["09:00"]]})), "business_hours.thu[0]"),
        (
            hours(json!({"fri": [["09:00\u{0007}", "18:00"]]})),
            "business_hours.fri[0]",
        ),
        (
            hours(
                json!({"sat": [["01:00", "02:00"], ["03:00", "04:00"], ["05:00", "06:00"],
                ["07:00", "08:00"], ["09:00", "10:00"]]}),
            ),
            "business_hours.sat[4]",
        ),
        (hours(json!({"monday": []})), "business_hours.monday"),
        (hours(json!({"sun": null})), "business_hours.sun"),
        (hours(json!([["09:00", "18:00"]])), "business_hours"),
        (
            with("callback_sla_minutes", json!(-1)),
            "callback_sla_minutes",
        ),
        (
            with("callback_sla_minutes", json!(44_641)),
            "callback_sla_minutes",
        ),
        (
            with("service_level_seconds", json!(0)),
            "service_level_seconds",
        ),
        (
            with("service_level_seconds", json!(3601)),
            "service_level_seconds",
        ),
    ];
    for (body, field) in cases {
        assert_error(
            put_settings(&app, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);
}

async fn a_friday_1750_miss_called_back_monday_0915_is_within_a_30_minute_sla(app: TestApp) {
    set(&app, json!({"callback_sla_minutes": 30})).await;
    let missed = missed_call(&app, "sla-in-1", "", "2027-01-15T17:50").await;
    assert_eq!(missed["missed"], true);
    // 10 business minutes on Friday, 20 on Monday: 09:20 Kyiv.
    assert_eq!(missed["sla_deadline_at"], "2027-01-18T07:20:00Z");
    assert_eq!(missed["within_sla"], Value::Null, "pending");

    callback(&app, "sla-in-cb", "2027-01-18T09:15").await;
    let missed = app.call_by_external("sla-in-1").await;
    assert_eq!(missed["recovered"], true);
    assert_eq!(missed["within_sla"], true, "25 business minutes");

    // The breach job finds it called back in time: nobody is told.
    run_jobs_at(&app, kyiv("2027-01-18T09:21")).await;
    run_jobs_at(&app, kyiv("2027-01-18T09:21")).await;
    assert!(breaches(&app, app.owner_id).await.is_empty());
    assert_eq!(app.call_by_external("sla-in-1").await["within_sla"], true);
    let one = app
        .get_json(&format!("/api/v1/calls/{}", missed["id"]))
        .await;
    assert_eq!(one["within_sla"], true);
    assert_eq!(one["sla_deadline_at"], "2027-01-18T07:20:00Z");
}

async fn a_callback_at_0925_is_a_breach_and_the_job_tells_the_operator_and_managers_once(
    app: TestApp,
) {
    set(&app, json!({"callback_sla_minutes": 30})).await;
    let (operator, _) = app.add_employee(&[], &["201"]).await;
    let (manager, _) = app.add_employee(&["view_all_calls"], &[]).await;
    let (bystander, _) = app.add_employee(&["view_clients"], &[]).await;
    let missed = missed_call(&app, "sla-out-1", "201", "2027-01-15T17:50").await;
    assert_eq!(missed["operator_id"], operator);

    // Twice, as two passes of the runner (or two nodes) would.
    run_jobs_at(&app, kyiv("2027-01-18T09:20")).await;
    run_jobs_at(&app, kyiv("2027-01-18T09:21")).await;
    assert_eq!(app.call_by_external("sla-out-1").await["within_sla"], false);
    for who in [operator, manager, app.owner_id] {
        let told = breaches(&app, who).await;
        assert_eq!(told.len(), 1, "employee {who}: {told:?}");
        assert_eq!(told[0]["call_id"], missed["id"]);
        let title = told[0]["title"].as_str().unwrap();
        assert!(
            title.starts_with("Missed call not called back in time"),
            "{title}"
        );
        assert!(title.contains(CALLER), "{title}");
    }
    assert!(breaches(&app, bystander).await.is_empty());

    // The late callback recovers the call; it stays a breach, told once.
    callback(&app, "sla-out-cb", "2027-01-18T09:25").await;
    let after = app.call_by_external("sla-out-1").await;
    assert_eq!(after["recovered"], true);
    assert_eq!(after["within_sla"], false);
    run_jobs_at(&app, kyiv("2027-01-18T10:00")).await;
    assert_eq!(breaches(&app, operator).await.len(), 1);
}

async fn a_call_recovered_late_before_the_job_ran_is_a_breach_told_once(app: TestApp) {
    set(&app, json!({"callback_sla_minutes": 30})).await;
    let (manager, _) = app.add_employee(&["view_all_calls"], &[]).await;
    missed_call(&app, "sla-late-1", "", "2027-01-15T17:50").await;
    callback(&app, "sla-late-cb", "2027-01-18T09:25").await;
    let missed = app.call_by_external("sla-late-1").await;
    assert_eq!(missed["recovered"], true);
    assert_eq!(
        missed["within_sla"], false,
        "called back 35 business minutes later"
    );
    run_jobs_at(&app, kyiv("2027-01-18T09:30")).await;
    run_jobs_at(&app, kyiv("2027-01-18T09:31")).await;
    // No operator: the managers (the owner among them) are told, once.
    assert_eq!(breaches(&app, manager).await.len(), 1);
    assert_eq!(breaches(&app, app.owner_id).await.len(), 1);
}

async fn a_missed_call_proved_answered_later_has_no_sla_and_tells_nobody_r_c3a(app: TestApp) {
    set(&app, json!({"callback_sla_minutes": 30})).await;
    let missed = missed_call(&app, "sla-answered", "", "2027-01-15T17:50").await;
    assert_eq!(missed["sla_deadline_at"], "2027-01-18T07:20:00Z");
    let answered = kyiv("2027-01-15T17:49");
    send(
        &app,
        json!({"event_id": "sla-answered-late", "call_id": "sla-answered", "direction": "inbound",
               "state": "answered", "at": answered.to_string(), "from": CALLER, "to": LINE}),
    )
    .await;
    let call = app.call_by_external("sla-answered").await;
    assert_eq!(call["missed"], false);
    assert_eq!(call["sla_deadline_at"], Value::Null);
    assert_eq!(call["within_sla"], Value::Null);
    run_jobs_at(&app, kyiv("2027-01-18T10:00")).await;
    assert!(breaches(&app, app.owner_id).await.is_empty());
}

async fn without_an_sla_a_missed_call_has_no_deadline(app: TestApp) {
    let missed = missed_call(&app, "sla-none", "", "2027-01-15T17:50").await;
    assert_eq!(missed["missed"], true);
    assert_eq!(missed["sla_deadline_at"], Value::Null);
    assert_eq!(missed["within_sla"], Value::Null);
    run_jobs_at(&app, kyiv("2027-01-25T10:00")).await;
    assert!(breaches(&app, app.owner_id).await.is_empty());
}

async fn a_callback_whose_events_arrive_before_the_misses_end_gives_the_same_outcome_r_c3(
    app: TestApp,
) {
    set(&app, json!({"callback_sla_minutes": 30})).await;
    // The missed call rings; the callback's events come in; only then its end.
    let ring = kyiv("2027-01-15T17:49");
    send(
        &app,
        json!({"event_id": "sla-ooo-ring", "call_id": "sla-ooo", "direction": "inbound",
               "state": "ringing", "at": ring.to_string(), "from": CALLER, "to": LINE}),
    )
    .await;
    callback(&app, "sla-ooo-cb", "2027-01-18T09:15").await;
    let end = kyiv("2027-01-15T17:50");
    send(
        &app,
        json!({"event_id": "sla-ooo-end", "call_id": "sla-ooo", "direction": "inbound",
               "state": "no_answer", "at": end.to_string(), "from": CALLER, "to": LINE}),
    )
    .await;
    let missed = app.call_by_external("sla-ooo").await;
    assert_eq!(missed["recovered"], true);
    assert_eq!(missed["sla_deadline_at"], "2027-01-18T07:20:00Z");
    assert_eq!(missed["within_sla"], true);
    run_jobs_at(&app, kyiv("2027-01-18T09:30")).await;
    assert!(breaches(&app, app.owner_id).await.is_empty());
}

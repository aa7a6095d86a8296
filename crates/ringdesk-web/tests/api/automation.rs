//! Telephony automation through the HTTP API (SPEC §4 R-A1…R-A6, §5
//! R-L1…R-L6, R-C3a, R-C3b): a task for every missed call, a lead for every
//! answered or missed call, and why, for every call.

use crate::helpers::{assert_error, ev, TestApp};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_automation_preview_counts_what_the_rules_would_make_of_the_last_week_and_writes_nothing,
    an_unknown_caller_gets_a_lead_unknown_client_on_every_call_r_l3_r_l4,
    texts_written_into_records_are_in_the_company_language_r_a1_r_l4,
    a_known_client_with_an_open_order_gets_no_lead_when_even_if_open_order_is_off_r_l2,
    with_both_options_on_and_both_open_exactly_one_lead_is_made_r_l2,
    a_missed_call_task_links_to_the_open_order_before_the_open_lead_r_a5,
    the_missed_call_task_links_to_the_lead_made_from_the_same_call_r_a5,
    of_several_clients_on_one_number_the_newest_is_used_r_p4,
    each_with_three_assignees_makes_three_tasks_authored_by_the_first_r_a2_r_a3,
    deactivated_assignees_are_skipped_and_with_none_left_the_owner_gets_the_task_r_a2,
    a_shared_task_completed_by_one_leaves_the_others_lists_r_a3,
    due_dates_count_from_the_miss_in_the_company_zone_r_a4,
    a_one_day_offset_keeps_the_wall_clock_across_daylight_saving_r_a4,
    missed_call_rules_wait_for_the_settle_time_and_use_the_settings_then_in_force_r_c3a,
    an_answer_arriving_after_the_end_cancels_what_the_missed_call_rules_made_r_c3a,
    an_answer_arriving_within_the_settle_time_prevents_the_missed_call_rules_r_c3a,
    a_silent_call_is_closed_failed_and_handled_as_missed_r_c3b,
    the_reuse_option_links_an_unknown_callers_later_calls_to_their_open_lead_r_l3,
    a_known_clients_later_call_joins_their_most_recent_open_lead_r_l3,
    the_manager_and_notified_employees_get_a_notification_they_can_mark_read_r_l6,
    jobs_survive_a_restart_and_run_once_across_nodes_r_a6,
    fifty_concurrent_deliveries_of_a_missed_calls_final_event_make_one_set_of_tasks_and_one_lead_r_a6_r_l6,
    every_call_says_why_each_rule_did_or_did_not_act_r_x5,
    many_concurrent_calls_each_get_their_lead_with_distinct_numbers_r_l6,
);

async fn many_concurrent_calls_each_get_their_lead_with_distinct_numbers_r_l6(app: TestApp) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        json!({"answered_call_lead": {"enabled": true, "lead_type_id": t},
               "missed_call_lead": {"enabled": true, "lead_type_id": t}, "settle_seconds": 0}),
    )
    .await;
    // 40 calls, half answered and half missed, all their events at once.
    let mut sends = Vec::new();
    for c in 0..40 {
        let states: &[&str] = if c % 2 == 0 {
            &["ringing", "answered", "completed"]
        } else {
            &["ringing", "cancelled"]
        };
        for (i, state) in states.iter().enumerate() {
            let body = ev(
                &format!("mc-{c}-{i}"),
                &format!("mc-{c}"),
                state,
                i as i64,
                &format!("06711{c:05}"),
            );
            let (http, url, token) = (
                app.http.clone(),
                app.url("/api/v1/telephony/events"),
                app.token.clone(),
            );
            sends.push(tokio::spawn(async move {
                http.post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }));
        }
    }
    for s in sends {
        assert_eq!(s.await.unwrap(), StatusCode::ACCEPTED);
    }
    settle(&app).await;
    // Events of one call race each other here, so an answered call may first look
    // missed (its end before its answer): if the missed-call lead was made in
    // between, the answer cancels it (R-C3a). Every call ends with exactly one
    // live lead, and every number is distinct, with no gaps.
    let statuses = get(&app, &app.token, "/api/v1/lead-statuses").await;
    let cancelled = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "cancelled")
        .unwrap()["id"]
        .clone();
    let leads = get(&app, &app.token, "/api/v1/leads?limit=200").await;
    let leads = leads.as_array().unwrap();
    let live: Vec<&Value> = leads
        .iter()
        .filter(|l| l["status_id"] != cancelled)
        .collect();
    assert_eq!(live.len(), 40, "one live lead per call");
    let mut calls: Vec<i64> = live
        .iter()
        .map(|l| l["call_id"].as_i64().unwrap())
        .collect();
    calls.sort();
    calls.dedup();
    assert_eq!(calls.len(), 40);
    let mut numbers: Vec<i64> = leads
        .iter()
        .map(|l| l["number"].as_str().unwrap().parse().unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=leads.len() as i64).collect::<Vec<i64>>());
    assert_eq!(
        live.iter()
            .filter(|l| l["source"] == "call_answered")
            .count(),
        20
    );
    for l in leads.iter().filter(|l| l["status_id"] == cancelled) {
        assert_eq!(
            l["source"], "call_missed",
            "only a missed-call lead is ever cancelled"
        );
    }
}

// ----- helpers -------------------------------------------------------------------

/// PUTs the settings; the rule blocks `v` leaves out are sent switched off
/// (R-X6 requires all three).
async fn put_settings(app: &TestApp, token: &str, mut v: Value) {
    for block in ["missed_call_task", "answered_call_lead", "missed_call_lead"] {
        v.as_object_mut()
            .unwrap()
            .entry(block)
            .or_insert(json!({"enabled": false}));
    }
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(token)
        .json(&v)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

async fn lead_type(app: &TestApp, token: &str) -> i64 {
    let types: Value = app
        .get_as(token, "/api/v1/lead-types")
        .await
        .json()
        .await
        .unwrap();
    types[0]["id"].as_i64().unwrap()
}

/// Posts a call's events in order, `at` one second apart.
async fn call_events(app: &TestApp, token: &str, external: &str, from: &str, states: &[&str]) {
    for (i, state) in states.iter().enumerate() {
        let r = app
            .post_as(
                token,
                "/api/v1/telephony/events",
                &ev(&format!("{external}-{i}"), external, state, i as i64, from),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{external} {state}");
    }
}

/// Posts a missed call (ringing, then `end`), lets the settle time pass, and
/// returns the call and its tasks.
async fn missed_call(app: &TestApp, external: &str, from: &str, end: &str) -> (Value, Value) {
    call_events(app, &app.token, external, from, &["ringing", end]).await;
    settle(app).await;
    let call = call_as(app, &app.token, external).await;
    let tasks = get(
        app,
        &app.token,
        &format!("/api/v1/tasks?call_id={}", call["id"]),
    )
    .await;
    (call, tasks)
}

/// As if the settle time (and a bit) had passed: run the jobs due then.
async fn settle(app: &TestApp) {
    app.store
        .run_due_jobs(Timestamp::now() + SignedDuration::from_secs(60))
        .await
        .unwrap();
}

/// The call as the API shows it, once the jobs due now have run (as the
/// runner would within its tick: the answered-call lead, R-L5).
async fn call_as(app: &TestApp, token: &str, external: &str) -> Value {
    app.store.run_due_jobs(Timestamp::now()).await.unwrap();
    let list: Value = app
        .get_as(token, &format!("/api/v1/calls?external_id={external}"))
        .await
        .json()
        .await
        .unwrap();
    let id = list[0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("call {external}"));
    app.get_as(token, &format!("/api/v1/calls/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

fn rule<'a>(call: &'a Value, name: &str) -> &'a Value {
    call["automation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["rule"] == name)
        .unwrap_or_else(|| panic!("{name} in {call}"))
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get_as(token, path).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    r.json().await.unwrap()
}

async fn client(app: &TestApp, name: &str, number: &str) -> i64 {
    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": name, "phones": [{"number": number, "kind": "mobile"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn order(app: &TestApp, client_id: i64) -> i64 {
    let r = app
        .post("/api/v1/orders", &json!({"client_id": client_id}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn hand_lead(app: &TestApp, client_id: i64) -> i64 {
    let r = app
        .post("/api/v1/leads", &json!({"client_id": client_id}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn answered_lead_on(type_id: i64, extra: Value) -> Value {
    let mut block = json!({"enabled": true, "lead_type_id": type_id});
    block
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"answered_call_lead": block})
}

// ----- §5: leads ----------------------------------------------------------------------

async fn an_unknown_caller_gets_a_lead_unknown_client_on_every_call_r_l3_r_l4(app: TestApp) {
    let t = lead_type(&app, &app.token).await;
    put_settings(&app, &app.token, answered_lead_on(t, json!({}))).await;
    call_events(
        &app,
        &app.token,
        "u-1",
        "0671112233",
        &["ringing", "answered", "completed"],
    )
    .await;
    call_events(
        &app,
        &app.token,
        "u-2",
        "0671112233",
        &["ringing", "answered"],
    )
    .await;
    for ext in ["u-1", "u-2"] {
        let c = call_as(&app, &app.token, ext).await;
        let a = rule(&c, "answered_call_lead");
        assert_eq!(a["outcome"], "created", "{a}");
        let lead = get(&app, &app.token, &format!("/api/v1/leads/{}", a["lead_id"])).await;
        assert_eq!(lead["client_name"], "Unknown client");
        assert_eq!(lead["client_id"], Value::Null);
        assert_eq!(lead["phone"], "+380671112233");
        assert_eq!(lead["source"], "call_answered");
        assert_eq!(lead["call_id"], c["id"]);
        assert_eq!(
            lead["description"],
            Value::Null,
            "only missed-call leads say 'Missed call'"
        );
        assert_eq!(lead["type_id"], t);
        let statuses = get(&app, &app.token, "/api/v1/lead-statuses").await;
        assert_eq!(
            lead["status_id"], statuses[0]["id"],
            "the type's initial status"
        );
        let by_call = get(
            &app,
            &app.token,
            &format!("/api/v1/leads?call_id={}", c["id"]),
        )
        .await;
        assert_eq!(by_call.as_array().unwrap().len(), 1);
    }
    assert_eq!(
        get(&app, &app.token, "/api/v1/leads")
            .await
            .as_array()
            .unwrap()
            .len(),
        2,
        "a lead on every call"
    );
}

async fn texts_written_into_records_are_in_the_company_language_r_a1_r_l4(app: TestApp) {
    for (locale, unknown, missed_title, description, call_back) in [
        (
            "ru",
            "Неизвестный клиент",
            "Пропущенный звонок",
            "Пропущенный",
            "Перезвонить: +380671112233",
        ),
        (
            "pt",
            "Cliente desconhecido",
            "Chamada perdida",
            "Não atendida",
            "Ligar de volta: +380671112233",
        ),
        (
            "es",
            "Cliente desconocido",
            "Llamada perdida",
            "Llamada perdida",
            "Devolver la llamada: +380671112233",
        ),
    ] {
        let b = app.signup("UA", "Europe/Kyiv", locale).await;
        let token = b["api_token"].as_str().unwrap().to_owned();
        let t = lead_type(&app, &token).await;
        put_settings(
            &app,
            &token,
            json!({"missed_call_task": {"enabled": true, "assignee_ids": [b["owner_id"]]},
                   "missed_call_lead": {"enabled": true, "lead_type_id": t}, "settle_seconds": 0}),
        )
        .await;
        call_events(
            &app,
            &token,
            "loc-1",
            "0671112233",
            &["ringing", "no_answer"],
        )
        .await;
        settle(&app).await;
        let c = call_as(&app, &token, "loc-1").await;
        let lead = get(
            &app,
            &token,
            &format!("/api/v1/leads/{}", rule(&c, "missed_call_lead")["lead_id"]),
        )
        .await;
        assert_eq!(lead["client_name"], unknown);
        assert_eq!(lead["description"], description);
        assert_eq!(lead["source"], "call_missed");
        let tasks = get(&app, &token, &format!("/api/v1/tasks?call_id={}", c["id"])).await;
        assert_eq!(tasks[0]["title"], missed_title);
        // Issue 13 item 3: the task says whom to call back.
        assert_eq!(tasks[0]["description"], call_back);
    }
}

async fn a_known_client_with_an_open_order_gets_no_lead_when_even_if_open_order_is_off_r_l2(
    app: TestApp,
) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        answered_lead_on(
            t,
            json!({"even_if_open_order": false, "even_if_open_lead": true}),
        ),
    )
    .await;
    let c = client(&app, "Ivan", "0671234567").await;
    order(&app, c).await;
    call_events(
        &app,
        &app.token,
        "o-1",
        "+380671234567",
        &["ringing", "answered"],
    )
    .await;
    let call = call_as(&app, &app.token, "o-1").await;
    let a = rule(&call, "answered_call_lead");
    assert_eq!(a["outcome"], "skipped");
    assert_eq!(a["reason"], "client has an open work order");
    assert_eq!(a["reason_key"], "client_has_open_order");
    assert!(get(&app, &app.token, "/api/v1/leads")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // Once the order is closed, the next call makes a lead for the client.
    let closed = get(&app, &app.token, "/api/v1/order-statuses")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"] == "closed_success")
        .unwrap()["id"]
        .clone();
    let orders = get(&app, &app.token, "/api/v1/orders").await;
    let r = app
        .patch(
            &format!("/api/v1/orders/{}", orders[0]["id"]),
            &json!({"status_id": closed}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    call_events(
        &app,
        &app.token,
        "o-2",
        "+380671234567",
        &["ringing", "answered"],
    )
    .await;
    let call = call_as(&app, &app.token, "o-2").await;
    let lead = get(
        &app,
        &app.token,
        &format!(
            "/api/v1/leads/{}",
            rule(&call, "answered_call_lead")["lead_id"]
        ),
    )
    .await;
    assert_eq!(lead["client_id"], c);
    assert_eq!(lead["client_name"], "Ivan");
}

async fn with_both_options_on_and_both_open_exactly_one_lead_is_made_r_l2(app: TestApp) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        answered_lead_on(
            t,
            json!({"even_if_open_order": true, "even_if_open_lead": true}),
        ),
    )
    .await;
    let c = client(&app, "Ivan", "0671234567").await;
    order(&app, c).await;
    hand_lead(&app, c).await;
    call_events(
        &app,
        &app.token,
        "b-1",
        "0671234567",
        &["ringing", "answered", "completed"],
    )
    .await;
    let call = call_as(&app, &app.token, "b-1").await;
    assert_eq!(rule(&call, "answered_call_lead")["outcome"], "created");
    let made = get(
        &app,
        &app.token,
        &format!("/api/v1/leads?call_id={}", call["id"]),
    )
    .await;
    assert_eq!(made.as_array().unwrap().len(), 1, "one lead, never two");
    assert_eq!(
        get(&app, &app.token, "/api/v1/leads")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

// ----- §4: tasks -------------------------------------------------------------------------

async fn a_missed_call_task_links_to_the_open_order_before_the_open_lead_r_a5(app: TestApp) {
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id], "link_order": true, "link_lead": true}, "settle_seconds": 0}),
    )
    .await;
    let c = client(&app, "Ivan", "0671234567").await;
    let o = order(&app, c).await;
    hand_lead(&app, c).await;
    let (_, tasks) = missed_call(&app, "l-1", "0671234567", "cancelled").await;
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    assert_eq!(tasks[0]["order_id"], o);
    assert_eq!(tasks[0]["lead_id"], Value::Null);
    // With order linking off, the open lead is used.
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id], "link_order": false, "link_lead": true}, "settle_seconds": 0}),
    )
    .await;
    let (_, tasks) = missed_call(&app, "l-2", "0671234567", "cancelled").await;
    assert!(tasks[0]["lead_id"].is_i64());
    assert_eq!(tasks[0]["order_id"], Value::Null);
}

async fn the_missed_call_task_links_to_the_lead_made_from_the_same_call_r_a5(app: TestApp) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id], "link_lead": true},
               "missed_call_lead": {"enabled": true, "lead_type_id": t}, "settle_seconds": 0}),
    )
    .await;
    call_events(&app, &app.token, "s-1", "0679990000", &["ringing", "busy"]).await;
    settle(&app).await;
    let c = call_as(&app, &app.token, "s-1").await;
    let lead_id = rule(&c, "missed_call_lead")["lead_id"].clone();
    assert!(lead_id.is_i64());
    let tasks = get(
        &app,
        &app.token,
        &format!("/api/v1/tasks?call_id={}", c["id"]),
    )
    .await;
    assert_eq!(tasks[0]["lead_id"], lead_id);
}

async fn of_several_clients_on_one_number_the_newest_is_used_r_p4(app: TestApp) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_lead": {"enabled": true, "lead_type_id": t}, "settle_seconds": 0}),
    )
    .await;
    client(&app, "Older", "0671234567").await;
    let newer = client(&app, "Newer", "067 123 45 67").await;
    call_events(
        &app,
        &app.token,
        "n-1",
        "+380671234567",
        &["ringing", "cancelled"],
    )
    .await;
    settle(&app).await;
    let c = call_as(&app, &app.token, "n-1").await;
    assert_eq!(c["client_match"], "many");
    let lead = get(
        &app,
        &app.token,
        &format!("/api/v1/leads/{}", rule(&c, "missed_call_lead")["lead_id"]),
    )
    .await;
    assert_eq!(lead["client_id"], newer);
    assert_eq!(lead["client_name"], "Newer");
}

async fn each_with_three_assignees_makes_three_tasks_authored_by_the_first_r_a2_r_a3(app: TestApp) {
    let (a, _) = app.add_employee(&[], &[]).await;
    let (b, _) = app.add_employee(&[], &[]).await;
    let (c, _) = app.add_employee(&[], &[]).await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [b, a, c], "mode": "each"}, "settle_seconds": 0}),
    )
    .await;
    client(&app, "Ivan Franko", "067 111 22 33").await;
    let (call, tasks) = missed_call(&app, "e-1", "0671112233", "cancelled").await;
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    let mut assignees: Vec<i64> = tasks
        .iter()
        .map(|t| t["assignee_ids"][0].as_i64().unwrap())
        .collect();
    assignees.sort();
    let mut expected = vec![a, b, c];
    expected.sort();
    assert_eq!(assignees, expected);
    for t in tasks {
        assert_eq!(t["author_id"], b, "the first assignee is the author");
        assert_eq!(t["mode"], "each");
        assert_eq!(t["title"], "Missed call");
        // Issue 13 item 3: whom to call back, the number and the client.
        assert_eq!(t["description"], "Call back: +380671112233 · Ivan Franko");
        assert_eq!(t["status"], "open");
        assert_eq!(t["assignee_ids"].as_array().unwrap().len(), 1);
    }
    let mut ids: Vec<i64> = rule(&call, "missed_call_task")["task_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    ids.sort();
    let mut listed: Vec<i64> = tasks.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    listed.sort();
    assert_eq!(ids, listed);
}

async fn deactivated_assignees_are_skipped_and_with_none_left_the_owner_gets_the_task_r_a2(
    app: TestApp,
) {
    let (a, _) = app.add_employee(&[], &[]).await;
    let (b, _) = app.add_employee(&[], &[]).await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [a, b]}, "settle_seconds": 0}),
    )
    .await;
    app.patch(&format!("/api/v1/employees/{a}"), &json!({"active": false}))
        .await;
    let (c, tasks) = missed_call(&app, "d-1", "0671112233", "cancelled").await;
    assert_eq!(tasks[0]["assignee_ids"], json!([b]));
    assert_eq!(tasks[0]["author_id"], b);
    assert_eq!(
        rule(&c, "missed_call_task")["notes"],
        json!(["assignee deactivated, skipped"])
    );
    app.patch(&format!("/api/v1/employees/{b}"), &json!({"active": false}))
        .await;
    let (c, tasks) = missed_call(&app, "d-2", "0671112233", "cancelled").await;
    assert_eq!(tasks[0]["assignee_ids"], json!([app.owner_id]));
    let notes = rule(&c, "missed_call_task")["notes"].to_string();
    assert!(notes.contains("given to the owner"), "{notes}");
}

async fn a_shared_task_completed_by_one_leaves_the_others_lists_r_a3(app: TestApp) {
    let (a, a_email) = app.add_employee(&[], &[]).await;
    let (b, _) = app.add_employee(&[], &[]).await;
    let (c, _) = app.add_employee(&[], &[]).await;
    put_settings(&app, &app.token, json!({"missed_call_task": {"enabled": true, "assignee_ids": [a, b], "mode": "shared"}, "settle_seconds": 0})).await;
    call_events(
        &app,
        &app.token,
        "sh-1",
        "0671112233",
        &["ringing", "cancelled"],
    )
    .await;
    settle(&app).await;
    let list_of = |e: i64| format!("/api/v1/tasks?assignee_id={e}");
    let tasks = get(&app, &app.token, &list_of(a)).await;
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    assert_eq!(
        get(&app, &app.token, &list_of(b))
            .await
            .as_array()
            .unwrap()
            .len(),
        1,
        "one task for everyone"
    );
    let id = tasks[0]["id"].as_i64().unwrap();
    // Someone who is not an assignee cannot complete it.
    let r = app
        .post(
            &format!("/api/v1/tasks/{id}/complete"),
            &json!({"employee_id": c}),
        )
        .await;
    crate::helpers::assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "not an assignee").await;
    // A completes it, signed in.
    let mut browser = app.browser();
    browser.sign_in(&a_email, "employee pass 1").await;
    let r = browser
        .api("POST", &format!("/api/v1/tasks/{id}/complete"), None)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["completed_by"], a);
    assert_eq!(done["assignee_ids"], json!([a]));
    assert!(
        get(&app, &app.token, &list_of(b))
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "gone from B's list"
    );
    assert_eq!(
        get(&app, &app.token, &list_of(a)).await[0]["status"],
        "done",
        "stays with A"
    );
    let r = app
        .post(
            &format!("/api/v1/tasks/{id}/complete"),
            &json!({"employee_id": a}),
        )
        .await;
    crate::helpers::assert_error(r, StatusCode::CONFLICT, "already done").await;
}

/// The due date of the task for a call missed at `ended` (ringing 20 s before), with this offset.
async fn due_date_of_a_call_missed_at(
    app: &TestApp,
    due_in: Value,
    ended: &str,
    end_state: &str,
) -> Value {
    put_settings(
        app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id], "due_in": due_in}, "settle_seconds": 0}),
    )
    .await;
    let ended: Timestamp = ended.parse().unwrap();
    let rang = ended - SignedDuration::from_secs(20);
    for (i, (state, at)) in [("ringing", rang), (end_state, ended)].iter().enumerate() {
        let mut e = ev(&format!("due-{i}"), "due-1", state, 0, "0671112233");
        e["at"] = json!(at.to_string());
        assert_eq!(app.event(e).await.status(), StatusCode::ACCEPTED);
    }
    settle(app).await;
    let c = call_as(app, &app.token, "due-1").await;
    let tasks = get(
        app,
        &app.token,
        &format!("/api/v1/tasks?call_id={}", c["id"]),
    )
    .await;
    tasks[0]["due_at"].clone()
}

async fn due_dates_count_from_the_miss_in_the_company_zone_r_a4(app: TestApp) {
    // The seed's example: missed 2023-06-19 13:00 (Kyiv, UTC+3) → due 15:00.
    let due = due_date_of_a_call_missed_at(
        &app,
        json!({"days": 0, "hours": 2, "minutes": 0}),
        "2023-06-19T10:00:00Z",
        "cancelled",
    )
    .await;
    assert_eq!(due, "2023-06-19T12:00:00Z");
}

async fn a_one_day_offset_keeps_the_wall_clock_across_daylight_saving_r_a4(app: TestApp) {
    // Missed Saturday 2024-03-30 12:00 in Kyiv (UTC+2); clocks go forward that night:
    // due Sunday 12:00 Kyiv, which is UTC+3.
    let due = due_date_of_a_call_missed_at(
        &app,
        json!({"days": 1, "hours": 0, "minutes": 0}),
        "2024-03-30T10:00:00Z",
        "no_answer",
    )
    .await;
    assert_eq!(due, "2024-03-31T09:00:00Z");
}

// ----- R-C3a, R-C3b -----------------------------------------------------------------------------

async fn missed_call_rules_wait_for_the_settle_time_and_use_the_settings_then_in_force_r_c3a(
    app: TestApp,
) {
    put_settings(&app, &app.token, json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]}, "settle_seconds": 5})).await;
    call_events(
        &app,
        &app.token,
        "w-1",
        "0671112233",
        &["ringing", "cancelled"],
    )
    .await;
    let c = call_as(&app, &app.token, "w-1").await;
    let a = rule(&c, "missed_call_task");
    assert_eq!(a["outcome"], "pending");
    assert_eq!(a["reason"], "waiting for the settle time");
    assert!(get(&app, &app.token, "/api/v1/tasks")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // Nothing is due yet one second later.
    app.store
        .run_due_jobs(Timestamp::now() + SignedDuration::from_secs(1))
        .await
        .unwrap();
    assert!(get(&app, &app.token, "/api/v1/tasks")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    settle(&app).await;
    let c = call_as(&app, &app.token, "w-1").await;
    assert_eq!(rule(&c, "missed_call_task")["outcome"], "created");
    assert_eq!(
        get(&app, &app.token, "/api/v1/tasks")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The settings in force when the job runs decide: switched off meanwhile, no task.
    call_events(
        &app,
        &app.token,
        "w-2",
        "0671112233",
        &["ringing", "cancelled"],
    )
    .await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": false}}),
    )
    .await;
    settle(&app).await;
    let c = call_as(&app, &app.token, "w-2").await;
    let a = rule(&c, "missed_call_task");
    assert_eq!(a["outcome"], "skipped");
    assert_eq!(a["reason"], "rule off");
}

async fn an_answer_arriving_after_the_end_cancels_what_the_missed_call_rules_made_r_c3a(
    app: TestApp,
) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]},
               "missed_call_lead": {"enabled": true, "lead_type_id": t},
               "answered_call_lead": {"enabled": true, "lead_type_id": t}, "settle_seconds": 0}),
    )
    .await;
    call_events(
        &app,
        &app.token,
        "late-1",
        "0671112233",
        &["ringing", "no_answer"],
    )
    .await;
    settle(&app).await;
    let c = call_as(&app, &app.token, "late-1").await;
    assert!(c["missed"].as_bool().unwrap());
    let missed_lead = rule(&c, "missed_call_lead")["lead_id"].clone();
    let task_id = rule(&c, "missed_call_task")["task_ids"][0].clone();
    // The answer, delayed by the phone system, arrives after the end.
    let r = app
        .event(ev("late-1-late", "late-1", "answered", 0, "0671112233"))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let c = call_as(&app, &app.token, "late-1").await;
    assert_eq!(c["state"], "completed");
    assert_eq!(c["missed"], false);
    let a = rule(&c, "missed_call_task");
    assert_eq!(a["outcome"], "cancelled");
    assert_eq!(a["reason"], "call was answered");
    let task = get(&app, &app.token, &format!("/api/v1/tasks/{task_id}")).await;
    assert_eq!(task["status"], "cancelled");
    assert_eq!(task["cancel_reason"], "call was answered");
    assert_eq!(rule(&c, "missed_call_lead")["outcome"], "cancelled");
    let lead = get(&app, &app.token, &format!("/api/v1/leads/{missed_lead}")).await;
    let statuses = get(&app, &app.token, "/api/v1/lead-statuses").await;
    let cancelled = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "cancelled")
        .unwrap();
    assert_eq!(lead["status_id"], cancelled["id"]);
    assert_eq!(cancelled["group"], "lost");
    // And the answered-call rule applies.
    let a = rule(&c, "answered_call_lead");
    assert_eq!(a["outcome"], "created", "{a}");
    assert_ne!(a["lead_id"], missed_lead);
}

async fn an_answer_arriving_within_the_settle_time_prevents_the_missed_call_rules_r_c3a(
    app: TestApp,
) {
    put_settings(&app, &app.token, json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]}, "settle_seconds": 5})).await;
    call_events(
        &app,
        &app.token,
        "in-1",
        "0671112233",
        &["ringing", "cancelled"],
    )
    .await;
    let r = app
        .event(ev("in-1-late", "in-1", "answered", 0, "0671112233"))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    settle(&app).await;
    let c = call_as(&app, &app.token, "in-1").await;
    let a = rule(&c, "missed_call_task");
    assert_eq!(a["outcome"], "skipped");
    assert_eq!(a["reason"], "call was answered");
    assert!(get(&app, &app.token, "/api/v1/tasks")
        .await
        .as_array()
        .unwrap()
        .is_empty());
}

async fn a_silent_call_is_closed_failed_and_handled_as_missed_r_c3b(app: TestApp) {
    put_settings(&app, &app.token, json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]}, "stale_call_hours": 4, "settle_seconds": 0})).await;
    call_events(&app, &app.token, "st-1", "0671112233", &["ringing"]).await;
    call_events(
        &app,
        &app.token,
        "st-2",
        "0671112234",
        &["ringing", "answered"],
    )
    .await;
    // Three hours on: still open.
    app.store
        .run_due_jobs(Timestamp::now() + SignedDuration::from_hours(3))
        .await
        .unwrap();
    assert_eq!(call_as(&app, &app.token, "st-1").await["state"], "ringing");
    // Five hours on: closed failed; the unanswered one is missed and gets its task.
    let later = Timestamp::now() + SignedDuration::from_hours(5);
    app.store.run_due_jobs(later).await.unwrap();
    app.store
        .run_due_jobs(later + SignedDuration::from_secs(10))
        .await
        .unwrap();
    let c = call_as(&app, &app.token, "st-1").await;
    assert_eq!(c["state"], "failed");
    assert_eq!(c["missed"], true);
    assert!(c["times"]["ended"].is_string());
    assert_eq!(rule(&c, "missed_call_task")["outcome"], "created");
    let answered = call_as(&app, &app.token, "st-2").await;
    assert_eq!(answered["state"], "failed");
    assert_eq!(answered["missed"], false);
    assert_eq!(
        rule(&answered, "missed_call_task")["reason"],
        "call was answered"
    );
    // A real end event arriving later still wins.
    let r = app
        .event(ev("st-1-end", "st-1", "cancelled", 30, "0671112233"))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(
        call_as(&app, &app.token, "st-1").await["state"],
        "cancelled"
    );
    assert_eq!(
        get(&app, &app.token, "/api/v1/tasks")
            .await
            .as_array()
            .unwrap()
            .len(),
        1,
        "still one task"
    );
}

async fn the_reuse_option_links_an_unknown_callers_later_calls_to_their_open_lead_r_l3(
    app: TestApp,
) {
    let t = lead_type(&app, &app.token).await;
    let mut s = answered_lead_on(t, json!({}));
    s["reuse_unknown_caller_lead"] = json!(true);
    put_settings(&app, &app.token, s).await;
    call_events(
        &app,
        &app.token,
        "r-1",
        "0671112233",
        &["ringing", "answered"],
    )
    .await;
    call_events(
        &app,
        &app.token,
        "r-2",
        "0671112233",
        &["ringing", "answered"],
    )
    .await;
    let first = call_as(&app, &app.token, "r-1").await;
    let second = call_as(&app, &app.token, "r-2").await;
    let lead_id = rule(&first, "answered_call_lead")["lead_id"].clone();
    let a = rule(&second, "answered_call_lead");
    assert_eq!(a["outcome"], "skipped");
    assert_eq!(a["reason_key"], "reused_callers_open_lead");
    assert_eq!(a["lead_id"], lead_id);
    let lead = get(&app, &app.token, &format!("/api/v1/leads/{lead_id}")).await;
    assert_eq!(lead["call_ids"], json!([first["id"], second["id"]]));
    assert_eq!(
        get(&app, &app.token, "/api/v1/leads")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn a_known_clients_later_call_joins_their_most_recent_open_lead_r_l3(app: TestApp) {
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        answered_lead_on(t, json!({"even_if_open_lead": false})),
    )
    .await;
    let c = client(&app, "Ivan", "0671234567").await;
    hand_lead(&app, c).await;
    let newest = hand_lead(&app, c).await;
    call_events(
        &app,
        &app.token,
        "k-1",
        "0671234567",
        &["ringing", "answered"],
    )
    .await;
    let call = call_as(&app, &app.token, "k-1").await;
    let a = rule(&call, "answered_call_lead");
    assert_eq!(a["reason"], "client has an open lead");
    assert_eq!(a["lead_id"], newest);
    let lead = get(&app, &app.token, &format!("/api/v1/leads/{newest}")).await;
    assert_eq!(
        lead["call_ids"],
        json!([call["id"]]),
        "the lead's history shows the call"
    );
    let by_call = get(
        &app,
        &app.token,
        &format!("/api/v1/leads?call_id={}", call["id"]),
    )
    .await;
    assert_eq!(by_call[0]["id"], newest);
}

async fn the_manager_and_notified_employees_get_a_notification_they_can_mark_read_r_l6(
    app: TestApp,
) {
    let (m, m_email) = app.add_employee(&[], &[]).await;
    let (n, _) = app.add_employee(&[], &[]).await;
    let (gone, _) = app.add_employee(&[], &[]).await;
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        answered_lead_on(t, json!({"manager_id": m, "notify_ids": [n, m, gone]})),
    )
    .await;
    app.patch(
        &format!("/api/v1/employees/{gone}"),
        &json!({"active": false}),
    )
    .await;
    call_events(
        &app,
        &app.token,
        "no-1",
        "0671112233",
        &["ringing", "answered"],
    )
    .await;
    let c = call_as(&app, &app.token, "no-1").await;
    let lead_id = rule(&c, "answered_call_lead")["lead_id"].clone();
    let lead = get(&app, &app.token, &format!("/api/v1/leads/{lead_id}")).await;
    assert_eq!(lead["manager_id"], m);
    let of = |e: i64| format!("/api/v1/notifications?employee_id={e}");
    let mine = get(&app, &app.token, &of(m)).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "the manager once");
    assert_eq!(mine[0]["kind"], "lead_assigned");
    assert_eq!(mine[0]["lead_id"], lead_id);
    let theirs = get(&app, &app.token, &of(n)).await;
    assert_eq!(theirs[0]["kind"], "new_lead");
    assert_eq!(theirs[0]["title"], "New lead from a call");
    assert!(get(&app, &app.token, &of(gone))
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // The manager reads theirs, signed in.
    let mut b = app.browser();
    b.sign_in(&m_email, "employee pass 1").await;
    let own: Value = b
        .api("GET", "/api/v1/notifications?unread=true", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.as_array().unwrap().len(), 1);
    let r = b
        .api(
            "POST",
            &format!("/api/v1/notifications/{}/read", own[0]["id"]),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let own: Value = b
        .api("GET", "/api/v1/notifications?unread=true", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(own.as_array().unwrap().is_empty());
    // Someone else's notification is not theirs to read.
    let r = b
        .api(
            "POST",
            &format!("/api/v1/notifications/{}/read", theirs[0]["id"]),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn jobs_survive_a_restart_and_run_once_across_nodes_r_a6(app: TestApp) {
    put_settings(&app, &app.token, json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]}, "settle_seconds": 5})).await;
    call_events(
        &app,
        &app.token,
        "rs-1",
        "0671112233",
        &["ringing", "cancelled"],
    )
    .await;
    // Another process opens the same database, as after a restart, and two nodes run the jobs at once.
    let other = ringdesk_store::Store::connect(&app.db_url).await.unwrap();
    let later = Timestamp::now() + SignedDuration::from_secs(30);
    let (a, b) = tokio::join!(other.run_due_jobs(later), app.store.run_due_jobs(later));
    a.unwrap();
    b.unwrap();
    let c = call_as(&app, &app.token, "rs-1").await;
    assert_eq!(rule(&c, "missed_call_task")["outcome"], "created");
    assert_eq!(
        get(&app, &app.token, "/api/v1/tasks")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn fifty_concurrent_deliveries_of_a_missed_calls_final_event_make_one_set_of_tasks_and_one_lead_r_a6_r_l6(
    app: TestApp,
) {
    let (a, _) = app.add_employee(&[], &[]).await;
    let t = lead_type(&app, &app.token).await;
    put_settings(
        &app,
        &app.token,
        json!({"missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id, a], "mode": "each"},
               "missed_call_lead": {"enabled": true, "lead_type_id": t}, "settle_seconds": 0}),
    )
    .await;
    call_events(&app, &app.token, "c50", "0671112233", &["ringing"]).await;
    let other = ringdesk_store::Store::connect(&app.db_url).await.unwrap();
    let end = ev("c50-end", "c50", "cancelled", 5, "0671112233");
    let mut sends = Vec::new();
    for _ in 0..50 {
        let (http, url, token, body) = (
            app.http.clone(),
            app.url("/api/v1/telephony/events"),
            app.token.clone(),
            end.clone(),
        );
        sends.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    // Meanwhile two nodes keep running due jobs.
    let runners: Vec<_> = [app.store.clone(), other.clone()]
        .into_iter()
        .map(|s| {
            tokio::spawn(async move {
                for _ in 0..20 {
                    s.run_due_jobs(Timestamp::now() + SignedDuration::from_secs(1))
                        .await
                        .unwrap();
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            })
        })
        .collect();
    let mut accepted = 0;
    for s in sends {
        match s.await.unwrap() {
            StatusCode::ACCEPTED => accepted += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
    }
    for r in runners {
        r.await.unwrap();
    }
    settle(&app).await;
    assert_eq!(accepted, 1);
    let c = call_as(&app, &app.token, "c50").await;
    let tasks = get(
        &app,
        &app.token,
        &format!("/api/v1/tasks?call_id={}", c["id"]),
    )
    .await;
    assert_eq!(
        tasks.as_array().unwrap().len(),
        2,
        "one set of tasks: one per assignee"
    );
    let leads = get(
        &app,
        &app.token,
        &format!("/api/v1/leads?call_id={}", c["id"]),
    )
    .await;
    assert_eq!(leads.as_array().unwrap().len(), 1, "one lead");
    assert_eq!(
        get(&app, &app.token, "/api/v1/leads")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn every_call_says_why_each_rule_did_or_did_not_act_r_x5(app: TestApp) {
    // All rules off: each says so once the call has ended.
    call_events(
        &app,
        &app.token,
        "y-1",
        "0671112233",
        &["ringing", "cancelled"],
    )
    .await;
    settle(&app).await;
    let c = call_as(&app, &app.token, "y-1").await;
    let rules: Vec<&str> = c["automation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        ["missed_call_task", "answered_call_lead", "missed_call_lead"]
    );
    assert_eq!(rule(&c, "missed_call_task")["reason"], "rule off");
    assert_eq!(rule(&c, "missed_call_lead")["reason"], "rule off");
    assert_eq!(
        rule(&c, "answered_call_lead")["reason"],
        "call was not answered"
    );
    // A call in progress: pending.
    call_events(&app, &app.token, "y-2", "0671112233", &["ringing"]).await;
    let c = call_as(&app, &app.token, "y-2").await;
    for a in c["automation"].as_array().unwrap() {
        assert_eq!(a["outcome"], "pending", "{a}");
        assert_eq!(a["reason"], "call still in progress");
    }
    // An outbound call: no lead, and no task, with the reason.
    let mut e = ev("y-3-0", "y-3", "answered", 0, "+380441234567");
    e["direction"] = json!("outbound_manual");
    e["to"] = json!("0671112233");
    app.event(e).await;
    let mut e = ev("y-3-1", "y-3", "completed", 60, "+380441234567");
    e["direction"] = json!("outbound_manual");
    e["to"] = json!("0671112233");
    app.event(e).await;
    let c = call_as(&app, &app.token, "y-3").await;
    assert_eq!(
        rule(&c, "answered_call_lead")["reason_key"],
        "outbound_call"
    );
    assert_eq!(rule(&c, "missed_call_task")["outcome"], "skipped");
    assert_eq!(
        rule(&c, "missed_call_task")["reason_key"],
        "call_was_answered"
    );
}

// ----- issue 11: the settings page's automation preview --------------------------------------

/// Posts a call's events `minutes_ago` minutes before now, one second apart.
async fn recent_call(app: &TestApp, external: &str, from: &str, states: &[&str], minutes_ago: i64) {
    let start = Timestamp::now() - SignedDuration::from_mins(minutes_ago);
    for (i, state) in states.iter().enumerate() {
        let at = start + SignedDuration::from_secs(i as i64);
        let mut e = ev(&format!("{external}-{i}"), external, state, 0, from);
        e["at"] = json!(at.to_string());
        let r = app.post("/api/v1/telephony/events", &e).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{external} {state}");
    }
}

async fn the_automation_preview_counts_what_the_rules_would_make_of_the_last_week_and_writes_nothing(
    app: TestApp,
) {
    let type_id = lead_type(&app, &app.token).await;
    recent_call(
        &app,
        "pv-missed",
        "0671110001",
        &["ringing", "no_answer"],
        60,
    )
    .await;
    recent_call(
        &app,
        "pv-answered",
        "0671110002",
        &["ringing", "answered", "completed"],
        120,
    )
    .await;
    // Ten days ago: outside the preview's week.
    recent_call(
        &app,
        "pv-old",
        "0671110003",
        &["ringing", "no_answer"],
        10 * 24 * 60,
    )
    .await;
    let before = app.get_json("/api/v1/settings/telephony").await;
    let proposed = json!({
        "missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]},
        "missed_call_lead": {"enabled": true, "lead_type_id": type_id},
        "answered_call_lead": {"enabled": true, "lead_type_id": type_id},
    });
    let r = app
        .post("/api/v1/settings/telephony/preview", &proposed)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["days"], 7);
    assert_eq!(p["calls_seen"], 2, "{p}");
    assert_eq!(
        (p["tasks"].as_i64(), p["leads"].as_i64()),
        (Some(1), Some(2)),
        "{p}"
    );
    let missed = app.call_by_external("pv-missed").await["id"].clone();
    let answered = app.call_by_external("pv-answered").await["id"].clone();
    let calls = p["calls"].as_array().unwrap();
    let of = |id: &Value| calls.iter().find(|c| &c["call_id"] == id).unwrap().clone();
    assert_eq!(of(&missed)["tasks"], 1);
    assert_eq!(of(&missed)["lead_rules"], json!(["missed_call_lead"]));
    assert_eq!(of(&answered)["tasks"], 0);
    assert_eq!(of(&answered)["lead_rules"], json!(["answered_call_lead"]));

    // Nothing was written: no task, no lead, the settings as they were.
    app.store.run_due_jobs(Timestamp::now()).await.unwrap();
    assert_eq!(app.get_json("/api/v1/tasks").await, json!([]));
    assert_eq!(app.get_json("/api/v1/leads").await, json!([]));
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);

    // Settings that could not be saved cannot be previewed either (R-X6).
    let bad = json!({
        "missed_call_task": {"enabled": true, "assignee_ids": [987654]},
        "missed_call_lead": {"enabled": false},
        "answered_call_lead": {"enabled": false},
    });
    assert_error(
        app.post("/api/v1/settings/telephony/preview", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "assignee_ids",
    )
    .await;
}

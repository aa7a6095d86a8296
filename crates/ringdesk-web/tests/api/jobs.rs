//! The job runner (issue 9): one runner for every kind of job; a failing job
//! never stops the others, is retried with back-off and ends failed, visible
//! to its company (`GET /api/v1/jobs`); several PostgreSQL nodes share the
//! work without running a job twice; finished jobs are pruned.

use crate::helpers::{assert_error, ev, TestApp};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use ringdesk_domain::jobs::RETRY;
use serde_json::{json, Value};

both_databases!(
    a_job_that_always_fails_does_not_stop_the_others_and_ends_failed_and_visible,
    a_poison_lead_deadline_does_not_stop_missed_call_tasks_r_a1_r_m4,
    finished_jobs_are_pruned_after_their_retention_and_pending_ones_never,
    the_job_list_is_for_managers_of_settings_and_names_a_bad_status,
);

/// The missed-call task rule on (for the owner), the lead rules off, and a
/// settle time long enough that only the `now` a test passes makes jobs due.
async fn task_rule_on(app: &TestApp) {
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(&json!({
            "missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]},
            "answered_call_lead": {"enabled": false},
            "missed_call_lead": {"enabled": false},
            "settle_seconds": 600
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

/// Posts a call's events in order, `at` one second apart; returns its id.
async fn call(app: &TestApp, external: &str, states: &[&str]) -> i64 {
    for (i, state) in states.iter().enumerate() {
        let r = app
            .event(ev(
                &format!("{external}-{i}"),
                external,
                state,
                i as i64,
                "0671112233",
            ))
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{external} {state}");
    }
    app.call_by_external(external).await["id"].as_i64().unwrap()
}

async fn jobs(app: &TestApp, status: &str) -> Vec<Value> {
    app.get_json(&format!("/api/v1/jobs?status={status}&limit=200"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The job of `kind` on this call or lead, whatever its status.
async fn job(app: &TestApp, kind: &str, key: &str, id: i64) -> Value {
    let all = app.get_json("/api/v1/jobs?limit=200").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|j| j["kind"] == kind && j[key] == id)
        .unwrap_or_else(|| panic!("a {kind} job of {key} {id} in {all}"))
        .clone()
}

async fn tasks_of_call(app: &TestApp, call_id: i64) -> usize {
    app.get_json(&format!("/api/v1/tasks?call_id={call_id}"))
        .await
        .as_array()
        .unwrap()
        .len()
}

async fn a_job_that_always_fails_does_not_stop_the_others_and_ends_failed_and_visible(
    app: TestApp,
) {
    task_rule_on(&app).await;
    // A call still ringing has a stale-call check due in an hour: damage it.
    let ringing = call(&app, "poison-1", &["ringing"]).await;
    let poison = job(&app, "stale_check", "call_id", ringing).await;
    assert_eq!(poison["status"], "pending");
    ringdesk_store::testing::break_job_row(
        &app.store,
        app.company_id,
        poison["id"].as_i64().unwrap(),
    )
    .await
    .unwrap();
    let missed = call(&app, "fine-1", &["ringing", "cancelled"]).await;
    assert_eq!(tasks_of_call(&app, missed).await, 0, "settle time not over");

    // Two hours on, both are due; the poison fails, the missed-call task is
    // made in the same pass.
    let t = Timestamp::now() + SignedDuration::from_hours(2);
    app.store.run_due_jobs(t).await.unwrap();
    assert_eq!(tasks_of_call(&app, missed).await, 1);
    assert_eq!(
        job(&app, "missed_call_task", "call_id", missed).await["status"],
        "done"
    );
    let failing = jobs(&app, "pending")
        .await
        .into_iter()
        .find(|j| j["id"] == poison["id"])
        .expect("still pending after its first failure");
    assert_eq!(failing["attempts"], 1);
    assert!(
        failing["last_error"]
            .as_str()
            .unwrap()
            .contains("must name its call"),
        "{failing}"
    );
    // Retried with back-off: the next attempt 30 s after the failure.
    let retry_at: Timestamp = failing["run_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        retry_at.as_millisecond() / 1000,
        (t + SignedDuration::from_secs(30)).as_millisecond() / 1000
    );

    // Each later pass (a day apart, past any back-off) tries it once more,
    // until the last allowed attempt fails it.
    for day in 1..RETRY.max_attempts {
        app.store
            .run_due_jobs(t + SignedDuration::from_hours(24 * i64::from(day)))
            .await
            .unwrap();
    }
    let failed = jobs(&app, "failed").await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    let f = &failed[0];
    assert_eq!(f["id"], poison["id"]);
    assert_eq!(f["kind"], "stale_check");
    assert_eq!(f["attempts"], i64::from(RETRY.max_attempts));
    assert!(f["last_error"]
        .as_str()
        .unwrap()
        .contains("must name its call"));
    assert!(f["finished_at"].is_string());
    // Failed is final: later passes leave it alone.
    app.store
        .run_due_jobs(t + SignedDuration::from_hours(24 * 20))
        .await
        .unwrap();
    assert_eq!(
        jobs(&app, "failed").await[0]["attempts"],
        i64::from(RETRY.max_attempts)
    );
}

async fn a_poison_lead_deadline_does_not_stop_missed_call_tasks_r_a1_r_m4(app: TestApp) {
    task_rule_on(&app).await;
    let due = Timestamp::now() + SignedDuration::from_secs(300);
    let r = app
        .post(
            "/api/v1/leads",
            &json!({"client_name": "Poison", "due_at": due.to_string()}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let lead: Value = r.json().await.unwrap();
    let deadline = job(
        &app,
        "lead_deadline",
        "lead_id",
        lead["id"].as_i64().unwrap(),
    )
    .await;
    ringdesk_store::testing::break_job_row(
        &app.store,
        app.company_id,
        deadline["id"].as_i64().unwrap(),
    )
    .await
    .unwrap();
    let missed = call(&app, "pm-1", &["ringing", "no_answer"]).await;

    let t = Timestamp::now() + SignedDuration::from_secs(20 * 60);
    app.store.run_due_jobs(t).await.unwrap();
    // Before the single runner, the failing deadline aborted the pass before
    // any call job ran, on every tick.
    assert_eq!(tasks_of_call(&app, missed).await, 1);
    let c = app.call_by_external("pm-1").await;
    let rule = c["automation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["rule"] == "missed_call_task")
        .unwrap()
        .clone();
    assert_eq!(rule["outcome"], "created");
    let d = jobs(&app, "pending")
        .await
        .into_iter()
        .find(|j| j["id"] == deadline["id"])
        .unwrap();
    assert_eq!(d["attempts"], 1);
    assert!(d["last_error"]
        .as_str()
        .unwrap()
        .contains("must name its lead"));
}

async fn finished_jobs_are_pruned_after_their_retention_and_pending_ones_never(app: TestApp) {
    task_rule_on(&app).await;
    let missed = call(&app, "pr-1", &["ringing", "cancelled"]).await;
    let ringing = call(&app, "pr-2", &["ringing"]).await;
    let poison = job(&app, "stale_check", "call_id", ringing).await;
    ringdesk_store::testing::break_job_row(
        &app.store,
        app.company_id,
        poison["id"].as_i64().unwrap(),
    )
    .await
    .unwrap();
    // A deadline a year away stays pending throughout.
    let far = Timestamp::now() + SignedDuration::from_hours(24 * 365);
    let r = app
        .post(
            "/api/v1/leads",
            &json!({"client_name": "Far", "due_at": far.to_string()}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // The missed call's jobs are done at t; the poison fails at t + 7 days.
    let t = Timestamp::now() + SignedDuration::from_hours(2);
    for day in 0..RETRY.max_attempts {
        app.store
            .run_due_jobs(t + SignedDuration::from_hours(24 * i64::from(day)))
            .await
            .unwrap();
    }
    let done = jobs(&app, "done").await;
    assert!(
        done.iter()
            .any(|j| j["call_id"] == missed && j["kind"] == "missed_call_task"),
        "{done:?}"
    );
    assert_eq!(jobs(&app, "failed").await.len(), 1);
    let day = |n: i64| t + SignedDuration::from_hours(24 * n);

    // Within the week nothing goes.
    app.store.prune_jobs(day(6)).await.unwrap();
    assert_eq!(jobs(&app, "done").await.len(), done.len());
    // After it the done jobs go; the failed one is kept for a month.
    assert!(app.store.prune_jobs(day(8)).await.unwrap() >= done.len() as u64);
    assert_eq!(jobs(&app, "done").await, Vec::<Value>::new());
    assert_eq!(jobs(&app, "failed").await.len(), 1);
    // A month after it failed, the failed one goes too; the pending deadline stays.
    app.store.prune_jobs(day(7 + 31)).await.unwrap();
    assert_eq!(jobs(&app, "failed").await, Vec::<Value>::new());
    let pending = jobs(&app, "pending").await;
    assert!(
        pending.iter().any(|j| j["kind"] == "lead_deadline"),
        "{pending:?}"
    );
}

async fn the_job_list_is_for_managers_of_settings_and_names_a_bad_status(app: TestApp) {
    let (_, email) = app.add_employee(&["view_clients"], &[]).await;
    let token = app
        .token_of(&email, "employee pass 1", &["view_clients"])
        .await;
    let r = app.get_as(&token, "/api/v1/jobs").await;
    assert_error(r, StatusCode::FORBIDDEN, "manage_settings").await;
    let (_, email) = app.add_employee(&["manage_settings"], &[]).await;
    let token = app
        .token_of(&email, "employee pass 1", &["manage_settings"])
        .await;
    let r = app.get_as(&token, "/api/v1/jobs?status=pending").await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.get("/api/v1/jobs?status=running").await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "status").await;
}

/// Two nodes on one PostgreSQL database run the due jobs at once: they share
/// them (`FOR UPDATE SKIP LOCKED`) and none runs twice (R-A6).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_two_nodes_share_the_due_jobs_and_run_none_twice_r_a6() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    task_rule_on(&app).await;
    let mut calls = Vec::new();
    for i in 0..50 {
        calls.push(call(&app, &format!("n2-{i}"), &["ringing", "cancelled"]).await);
    }
    let other = ringdesk_store::Store::connect(&app.db_url).await.unwrap();
    let t = Timestamp::now() + SignedDuration::from_secs(20 * 60);
    let drain = |s: ringdesk_store::Store| async move {
        let mut ran = 0;
        loop {
            let n = s.run_due_jobs(t).await.unwrap();
            if n == 0 {
                return ran;
            }
            ran += n;
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(drain(app.store.clone())),
        tokio::spawn(drain(other.clone()))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    println!("two nodes: A ran {a} jobs, B ran {b}");
    // Each call's two missed-call jobs ran exactly once, on one node or the other.
    assert_eq!(a + b, 100, "node A ran {a}, node B ran {b}");
    assert_eq!(app.store.run_due_jobs(t).await.unwrap(), 0);
    let tasks = app.get_json("/api/v1/tasks?limit=200").await;
    assert_eq!(
        tasks.as_array().unwrap().len(),
        50,
        "one task per missed call"
    );
    for c in &calls {
        assert_eq!(tasks_of_call(&app, *c).await, 1, "call {c}");
    }
    let done = jobs(&app, "done").await;
    for kind in ["missed_call_task", "missed_call_lead"] {
        let of_kind: Vec<&Value> = done.iter().filter(|j| j["kind"] == kind).collect();
        assert_eq!(of_kind.len(), 50, "{kind}");
        assert!(
            of_kind.iter().all(|j| j["attempts"] == 1),
            "each {kind} job ran once: {of_kind:?}"
        );
    }
    other.close().await;
}

/// R-L5: the answered-call lead's job is due at once, so its commit wakes
/// every node's runner (`NOTIFY ringdesk_jobs`) instead of waiting for a poll.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_job_due_now_wakes_the_runners_r_l5() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let types = app.get_json("/api/v1/lead-types").await;
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(&json!({
            "missed_call_task": {"enabled": false},
            "answered_call_lead": {"enabled": true, "lead_type_id": types[0]["id"]},
            "missed_call_lead": {"enabled": false}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let mut listener = sqlx::postgres::PgListener::connect(&app.db_url)
        .await
        .unwrap();
    listener.listen("ringdesk_jobs").await.unwrap();
    call(&app, "wake-1", &["ringing", "answered"]).await;
    let woken = tokio::time::timeout(std::time::Duration::from_secs(10), listener.recv())
        .await
        .expect("a notification once the answered event committed")
        .unwrap();
    assert_eq!(woken.channel(), "ringdesk_jobs");
}

//! The live stream `GET /api/v1/live` (R-X7, issue 11): Server-Sent Events
//! read from the committed outbox, only what the employee may see (R-C5,
//! R-T1), resumable with `Last-Event-ID`, reaching streams on other nodes.

use crate::helpers::{ev, TestApp};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// How long a test waits for an event that must come (never a speed check).
const WAIT: Duration = Duration::from_secs(10);

/// One Server-Sent Event as the stream sent it.
#[derive(Debug, Clone)]
struct Sse {
    id: i64,
    event: String,
    data: Value,
}

/// An open `GET /api/v1/live`, read with reqwest's streaming body.
struct Stream {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buf: String,
}

impl Stream {
    async fn open(base: &str, token: &str, last_event_id: Option<i64>) -> Stream {
        let mut req = reqwest::Client::new()
            .get(format!("{base}/api/v1/live"))
            .bearer_auth(token);
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Stream {
            body: Box::pin(r.bytes_stream()),
            buf: String::new(),
        }
    }

    /// The next event (comments skipped); panics after [`WAIT`].
    async fn next(&mut self) -> Sse {
        tokio::time::timeout(WAIT, self.read())
            .await
            .expect("an event within the wait")
    }

    async fn read(&mut self) -> Sse {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (None, None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().parse().expect("a numeric id"));
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
                if let (Some(id), Some(event)) = (id, event) {
                    return Sse {
                        id,
                        event,
                        data: serde_json::from_str(&data).expect("JSON data"),
                    };
                }
                continue; // a keep-alive comment
            }
            let chunk = self
                .body
                .next()
                .await
                .expect("the stream stays open")
                .unwrap();
            self.buf.push_str(
                &String::from_utf8(chunk.to_vec())
                    .unwrap()
                    .replace("\r\n", "\n"),
            );
        }
    }

    /// The next `call` event whose call has this external id; every event
    /// before it is returned too, to assert what did not arrive.
    async fn until_call(&mut self, external_id: &str) -> (Sse, Vec<Sse>) {
        let mut before = Vec::new();
        loop {
            let e = self.next().await;
            if e.event == "call" && e.data["external_id"] == external_id {
                return (e, before);
            }
            before.push(e);
        }
    }
}

async fn accepted(app: &TestApp, token: &str, body: Value) {
    let r = app.post_as(token, "/api/v1/telephony/events", &body).await;
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "{}",
        r.text().await.unwrap()
    );
}

async fn an_employees_stream_receives_a_call_event_with_the_calls_data_r_x7(app: TestApp) {
    let client: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Bohdan", "phones": [{"number": "067 123 45 67", "kind": "mobile"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let (operator, _) = app.add_employee(&[], &["201"]).await;
    let mut stream = Stream::open(&app.base, &app.token, None).await;

    let mut e = ev("live-1", "live-call-1", "ringing", 0, "0671234567");
    e["operator"] = json!("201");
    accepted(&app, &app.token, e).await;

    let got = stream.next().await;
    assert_eq!(got.event, "call");
    let call = app.call_by_external("live-call-1").await;
    let d = &got.data;
    assert_eq!(d["id"], call["id"]);
    assert_eq!(d["external_id"], "live-call-1");
    assert_eq!(d["state"], "ringing");
    assert_eq!(d["direction"], "inbound");
    assert_eq!(d["from"], "0671234567");
    assert_eq!(d["to"], "+380441234567");
    assert_eq!(d["client_id"], client["id"]);
    assert_eq!(d["operator_id"], json!(operator));
    assert_eq!(
        d["client_name"], "Bohdan",
        "the owner may see clients (R-T3)"
    );
    // The call as GET /api/v1/calls/{id} shows it (without its timeline).
    for (k, v) in d.as_object().unwrap() {
        if k != "client_name" {
            assert_eq!(&call[k], v, "{k}");
        }
    }

    // A later change of the call comes as a new event with a higher id.
    accepted(
        &app,
        &app.token,
        ev("live-2", "live-call-1", "answered", 5, "0671234567"),
    )
    .await;
    let next = stream.next().await;
    assert_eq!(
        (next.event.as_str(), &next.data["state"]),
        ("call", &json!("answered"))
    );
    assert!(
        next.id > got.id,
        "ids increase: {} then {}",
        got.id,
        next.id
    );
}

async fn an_operator_without_view_all_calls_does_not_receive_another_operators_call_r_c5(
    app: TestApp,
) {
    let (me, my_email) = app.add_employee(&[], &["201"]).await;
    app.add_employee(&[], &["202"]).await;
    let my_token = app.token_of(&my_email, "employee pass 1", &[]).await;
    let mut stream = Stream::open(&app.base, &my_token, None).await;

    let mut theirs = ev("op-1", "their-call", "ringing", 0, "0671234567");
    theirs["operator"] = json!("202");
    accepted(&app, &app.token, theirs).await;
    let mut unrouted = ev("op-2", "nobodys-call", "ringing", 1, "0671234567");
    unrouted.as_object_mut().unwrap().remove("operator");
    accepted(&app, &app.token, unrouted).await;
    let mut mine = ev("op-3", "my-call", "ringing", 2, "0671234568");
    mine["operator"] = json!("201");
    accepted(&app, &app.token, mine).await;

    // Events come in order: anything about the other calls would come first.
    let (got, before) = stream.until_call("my-call").await;
    assert_eq!(got.data["operator_id"], json!(me));
    assert!(
        before.iter().all(|e| e.event != "call"),
        "no other call reached an operator without view_all_calls: {before:?}"
    );
    assert_eq!(
        got.data["client_name"],
        Value::Null,
        "no view_clients, no name"
    );
}

async fn a_reconnect_with_last_event_id_gets_exactly_the_missed_events_r_x7(app: TestApp) {
    let mut stream = Stream::open(&app.base, &app.token, None).await;
    accepted(
        &app,
        &app.token,
        ev("rc-1", "rc-call-1", "ringing", 0, "0671234567"),
    )
    .await;
    let seen = stream.next().await;
    assert_eq!(seen.data["external_id"], "rc-call-1");
    drop(stream);

    // Missed while disconnected.
    accepted(
        &app,
        &app.token,
        ev("rc-2", "rc-call-2", "ringing", 1, "0671234568"),
    )
    .await;
    accepted(
        &app,
        &app.token,
        ev("rc-3", "rc-call-3", "ringing", 2, "0671234569"),
    )
    .await;

    let mut again = Stream::open(&app.base, &app.token, Some(seen.id)).await;
    let first = again.next().await;
    let second = again.next().await;
    assert_eq!(first.data["external_id"], "rc-call-2");
    assert_eq!(second.data["external_id"], "rc-call-3");
    assert!(seen.id < first.id && first.id < second.id);
    // Then it goes on live, with nothing repeated in between.
    accepted(
        &app,
        &app.token,
        ev("rc-4", "rc-call-4", "ringing", 3, "0671234560"),
    )
    .await;
    let live = again.next().await;
    assert_eq!(live.data["external_id"], "rc-call-4");
    assert!(live.id > second.id);

    // From the start: every event of the company, in order, once each.
    let mut all = Stream::open(&app.base, &app.token, Some(0)).await;
    let mut calls = Vec::new();
    for _ in 0..4 {
        calls.push(all.next().await.data["external_id"].clone());
    }
    assert_eq!(
        calls,
        json!(["rc-call-1", "rc-call-2", "rc-call-3", "rc-call-4"])
            .as_array()
            .unwrap()
            .clone()
    );

    // A Last-Event-ID that is no event id is refused, naming it (R-I4).
    let r = app
        .http
        .get(app.url("/api/v1/live"))
        .bearer_auth(&app.token)
        .header("last-event-id", "yesterday")
        .send()
        .await
        .unwrap();
    crate::helpers::assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "Last-Event-ID").await;
}

async fn events_of_another_company_never_arrive_r_t1(app: TestApp) {
    let b = app.signup("UA", "Europe/Kyiv", "en").await;
    let b_token = b["api_token"].as_str().unwrap().to_owned();
    let mut stream = Stream::open(&app.base, &app.token, None).await;
    let mut b_stream = Stream::open(&app.base, &b_token, None).await;

    accepted(
        &app,
        &b_token,
        ev("t-1", "b-call", "ringing", 0, "0671234567"),
    )
    .await;
    let r = app
        .post_as(
            &b_token,
            "/api/v1/tasks",
            &json!({"title": "B's task", "assignee_ids": [b["owner_id"]]}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    accepted(
        &app,
        &app.token,
        ev("t-2", "a-call", "ringing", 1, "0671234567"),
    )
    .await;

    let (_, before) = stream.until_call("a-call").await;
    assert!(
        before.is_empty(),
        "nothing of company B reached A: {before:?}"
    );
    // B's stream had B's own events.
    let (_, b_before) = b_stream.until_call("b-call").await;
    assert!(b_before.is_empty());
    assert_eq!(b_stream.next().await.data["title"], "B's task");

    // Replayed from the start, A's stream holds A's events only.
    let mut replay = Stream::open(&app.base, &app.token, Some(0)).await;
    let first = replay.next().await;
    assert_eq!(first.data["external_id"], "a-call");
}

async fn an_event_posted_to_another_node_reaches_a_stream_on_this_node_r_x7(app: TestApp) {
    // On PostgreSQL the other node's commit wakes this node's streams through
    // NOTIFY; on SQLite (one file, two processes' worth of stores) the poll
    // finds it. Either way the event arrives.
    let other = app.other_node().await;
    let mut stream = Stream::open(&app.base, &app.token, None).await;
    let r = app
        .http
        .post(format!("{other}/api/v1/telephony/events"))
        .bearer_auth(&app.token)
        .json(&ev("n-1", "node-b-call", "ringing", 0, "0671234567"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let (got, _) = stream.until_call("node-b-call").await;
    assert_eq!(got.data["state"], "ringing");

    // And the other way round: a stream on node B hears of node A's events.
    let mut on_b = Stream::open(&other, &app.token, None).await;
    accepted(
        &app,
        &app.token,
        ev("n-2", "node-a-call", "ringing", 1, "0671234567"),
    )
    .await;
    let (got, _) = on_b.until_call("node-a-call").await;
    assert_eq!(got.data["state"], "ringing");
}

async fn a_rolled_back_change_publishes_nothing_r_x7(app: TestApp) {
    use ringdesk_store::testing::{damage_value, RawValue};
    let mut stream = Stream::open(&app.base, &app.token, None).await;
    accepted(
        &app,
        &app.token,
        ev("rb-1", "rb-call", "ringing", 0, "0671234567"),
    )
    .await;
    assert_eq!(stream.next().await.data["state"], "ringing");

    // Damaged settings make the answer's automation fail after the call was
    // re-derived (and its live event written): the whole ingest rolls back.
    let settings = app.get_json("/api/v1/settings/telephony").await;
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(&settings)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    damage_value(
        &app.store,
        app.company_id,
        ("telephony_settings", "settings", "company_id"),
        app.company_id,
        RawValue::Text("{not json"),
    )
    .await
    .unwrap();
    let r = app
        .event(ev("rb-2", "rb-call", "answered", 5, "0671234567"))
        .await;
    assert!(
        r.status().is_server_error(),
        "the ingest failed: {}",
        r.status()
    );
    assert_eq!(app.call_by_external("rb-call").await["state"], "ringing");

    // The next event on the stream is the next committed change, not the answer.
    accepted(
        &app,
        &app.token,
        ev("rb-3", "rb-other", "ringing", 6, "0671234568"),
    )
    .await;
    let (_, before) = stream.until_call("rb-other").await;
    assert!(
        before.is_empty(),
        "the rolled-back answer was published: {before:?}"
    );
}

async fn a_notification_reaches_only_its_employee_and_leads_and_tasks_reach_the_company_r_l6(
    app: TestApp,
) {
    let (x, x_email) = app.add_employee(&[], &[]).await;
    let (y, y_email) = app.add_employee(&[], &[]).await;
    let x_token = app.token_of(&x_email, "employee pass 1", &[]).await;
    let y_token = app.token_of(&y_email, "employee pass 1", &[]).await;
    let mut xs = Stream::open(&app.base, &x_token, None).await;
    let mut ys = Stream::open(&app.base, &y_token, None).await;

    let r = app
        .post(
            "/api/v1/leads",
            &json!({"client_name": "Petro", "manager_id": x}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let lead: Value = r.json().await.unwrap();
    let r = app
        .post(
            "/api/v1/tasks",
            &json!({"title": "Call Petro back", "assignee_ids": [y]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let task: Value = r.json().await.unwrap();
    let task = if task.is_array() {
        task[0].clone()
    } else {
        task
    };

    // X, the manager: the lead, then their lead_assigned notification (R-L6).
    let mut x_events = Vec::new();
    while x_events.iter().all(|e: &Sse| e.event != "task") {
        x_events.push(xs.next().await);
    }
    let lead_event = x_events
        .iter()
        .find(|e| e.event == "lead")
        .expect("a lead event");
    assert_eq!(lead_event.data["id"], lead["id"]);
    assert_eq!(lead_event.data["manager_id"], json!(x));
    let note = x_events
        .iter()
        .find(|e| e.event == "notification")
        .expect("X's notification");
    assert_eq!(note.data["employee_id"], json!(x));
    assert_eq!(note.data["lead_id"], lead["id"]);

    // Y: the lead and the task as the API shows them, and none of X's notifications.
    let mut y_events = Vec::new();
    while y_events.iter().all(|e: &Sse| e.event != "task") {
        y_events.push(ys.next().await);
    }
    assert!(y_events
        .iter()
        .any(|e| e.event == "lead" && e.data["id"] == lead["id"]));
    let task_event = y_events.last().unwrap();
    assert_eq!(task_event.data["id"], task["id"]);
    assert_eq!(task_event.data["assignee_ids"], json!([y]));
    assert!(
        y_events
            .iter()
            .filter(|e| e.event == "notification")
            .all(|e| e.data["employee_id"] == json!(y)),
        "a notification only to its employee: {y_events:?}"
    );
}

async fn open_streams_end_when_the_server_shuts_down_so_it_stops_promptly(app: TestApp) {
    let server =
        ringdesk_web::Application::build(app.store.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
    let base = format!("http://{}", server.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let mut stream = Stream::open(&base, &app.token, None).await;
    stop.send(()).unwrap();
    tokio::time::timeout(WAIT, running)
        .await
        .expect("the server stopped although a live stream was open")
        .unwrap()
        .unwrap();
    let end = tokio::time::timeout(WAIT, async {
        loop {
            match stream.body.next().await {
                Some(Ok(_)) => continue,
                other => return other.is_none(),
            }
        }
    })
    .await
    .expect("the stream ended");
    assert!(end, "the stream ended cleanly");
}

async fn live_events_past_their_retention_are_pruned_and_not_replayed_r_x7(app: TestApp) {
    accepted(
        &app,
        &app.token,
        ev("p-1", "old-call", "ringing", 0, "0671234567"),
    )
    .await;
    let later = jiff::Timestamp::now()
        + ringdesk_store::live::RETENTION
        + jiff::SignedDuration::from_secs(60);
    assert!(app.store.prune_live(later).await.unwrap() >= 1);
    accepted(
        &app,
        &app.token,
        ev("p-2", "new-call", "ringing", 1, "0671234568"),
    )
    .await;
    let mut stream = Stream::open(&app.base, &app.token, Some(0)).await;
    assert_eq!(stream.next().await.data["external_id"], "new-call");
}

both_databases!(
    an_employees_stream_receives_a_call_event_with_the_calls_data_r_x7,
    an_operator_without_view_all_calls_does_not_receive_another_operators_call_r_c5,
    a_reconnect_with_last_event_id_gets_exactly_the_missed_events_r_x7,
    events_of_another_company_never_arrive_r_t1,
    an_event_posted_to_another_node_reaches_a_stream_on_this_node_r_x7,
    a_rolled_back_change_publishes_nothing_r_x7,
    a_notification_reaches_only_its_employee_and_leads_and_tasks_reach_the_company_r_l6,
    open_streams_end_when_the_server_shuts_down_so_it_stops_promptly,
    live_events_past_their_retention_are_pruned_and_not_replayed_r_x7,
    concurrent_writers_events_arrive_once_each_in_increasing_order_and_replay_matches_r_x7,
);

/// Commit order under load: 8 writers create 200 leads at once. A stream
/// open throughout gets each lead's event exactly once, ids strictly
/// increasing; a second stream that reconnects from the 50th event's id gets
/// exactly the same events after it, in the same order.
async fn concurrent_writers_events_arrive_once_each_in_increasing_order_and_replay_matches_r_x7(
    app: TestApp,
) {
    let mut stream = Stream::open(&app.base, &app.token, None).await;
    let mut writers = vec![];
    for w in 0..8 {
        let (base, token) = (app.base.clone(), app.token.clone());
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut ids = vec![];
            for i in 0..25 {
                let r = http
                    .post(format!("{base}/api/v1/leads"))
                    .bearer_auth(&token)
                    .json(&json!({"client_name": format!("Writer {w} lead {i}")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::CREATED);
                let v: Value = r.json().await.unwrap();
                ids.push(v["id"].as_i64().unwrap());
            }
            ids
        }));
    }
    let mut created = std::collections::BTreeSet::new();
    for w in writers {
        created.extend(w.await.unwrap());
    }
    assert_eq!(created.len(), 200);
    let mut got: Vec<Sse> = vec![];
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < created.len() {
        let e = stream.next().await;
        if e.event == "lead" {
            let id = e.data["id"].as_i64().unwrap();
            assert!(seen.insert(id), "lead {id} arrived twice");
            assert!(created.contains(&id), "lead {id} was not created here");
        }
        got.push(e);
    }
    assert!(
        got.windows(2).all(|w| w[0].id < w[1].id),
        "ids not strictly increasing: {:?}",
        got.iter().map(|e| e.id).collect::<Vec<_>>()
    );
    let from = got[49].id;
    let mut replay = Stream::open(&app.base, &app.token, Some(from)).await;
    for expected in &got[50..] {
        let e = replay.next().await;
        assert_eq!((e.id, &e.event), (expected.id, &expected.event));
        assert_eq!(e.data["id"], expected.data["id"]);
    }
}

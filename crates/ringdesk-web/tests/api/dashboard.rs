//! `GET /api/v1/dashboard` (R-U4, issue 13) against a small day of calls
//! whose figures are worked out by hand below from SPEC R-U4's definitions,
//! on SQLite and PostgreSQL; and the company's lines (`/settings/lines`).

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_dashboard_gives_r_u4s_figures_for_a_hand_counted_day,
    a_period_with_partial_hours_counts_exactly_the_calls_inside_it_r_u4,
    the_dashboard_needs_view_all_calls_and_a_readable_period,
    lines_are_named_and_checked_r_u4,
    the_dashboard_page_shows_the_figures_and_draws_its_charts_r_u4,
    a_callers_missed_calls_are_one_case_until_they_are_reached_issue_13_item_3,
);

const L1: &str = "+380441234567";
const L2: &str = "+380441111111";

/// One call's events: (state, at, operator).
async fn call(
    app: &TestApp,
    id: &str,
    direction: &str,
    from: &str,
    to: &str,
    queue: Option<&str>,
    events: &[(&str, &str, Option<&str>)],
) {
    for (i, (state, at, op)) in events.iter().enumerate() {
        let mut e = json!({"event_id": format!("{id}-{i}"), "call_id": id, "direction": direction,
            "state": state, "at": at, "from": from, "to": to});
        if let Some(op) = op {
            e["operator"] = json!(op);
        }
        if let Some(q) = queue {
            e["queue"] = json!(q);
        }
        let r = app.event(e).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{id} {state}");
    }
}

/// The hand-counted day (2026-06-19; Kyiv is UTC+3, so 10:00Z is 13:00 local).
/// Returns the two operators' ids (extensions 201 and 202).
async fn a_day_of_calls(app: &TestApp) -> (i64, i64) {
    let (a, _) = app.add_employee(&[], &["201"]).await;
    let (b, _) = app.add_employee(&[], &["202"]).await;
    // c1: queue "repairs", answered by 201 after 10 s, talked 120 s.
    call(
        app,
        "c1",
        "inbound",
        "+380671111111",
        L1,
        Some("repairs"),
        &[
            ("ringing", "2026-06-19T10:00:00Z", None),
            ("answered", "2026-06-19T10:00:10Z", Some("201")),
            ("completed", "2026-06-19T10:02:10Z", Some("201")),
        ],
    )
    .await;
    // c2: answered by 202 after 30 s, talked 60 s.
    call(
        app,
        "c2",
        "inbound",
        "+380672222222",
        L1,
        None,
        &[
            ("ringing", "2026-06-19T10:10:00Z", None),
            ("answered", "2026-06-19T10:10:30Z", Some("202")),
            ("completed", "2026-06-19T10:11:30Z", Some("202")),
        ],
    )
    .await;
    // c5, the callback for c3, arrives before c3 has ended (out of order):
    // 201 calls back at 13:00Z, talks 180 s.
    call(
        app,
        "c5",
        "outbound_manual",
        "201",
        "+380673333333",
        None,
        &[
            ("ringing", "2026-06-19T13:00:00Z", Some("201")),
            ("answered", "2026-06-19T13:00:05Z", Some("201")),
            ("completed", "2026-06-19T13:03:05Z", Some("201")),
        ],
    )
    .await;
    // c3: queue "repairs", the caller gives up after 45 s: abandoned and missed;
    // recovered by c5 (13:00:00 − 11:00:45 = 7,155 s).
    call(
        app,
        "c3",
        "inbound",
        "+380673333333",
        L1,
        Some("repairs"),
        &[
            ("ringing", "2026-06-19T11:00:00Z", None),
            ("cancelled", "2026-06-19T11:00:45Z", None),
        ],
    )
    .await;
    // c4: rings 201 for 20 s, no answer: missed (not abandoned), not recovered.
    call(
        app,
        "c4",
        "inbound",
        "+380674444444",
        L2,
        None,
        &[
            ("ringing", "2026-06-19T12:00:00Z", Some("201")),
            ("no_answer", "2026-06-19T12:00:20Z", Some("201")),
        ],
    )
    .await;
    // c6: answered by 201 after 5 s, talked 30 s.
    call(
        app,
        "c6",
        "inbound",
        "+380675555555",
        L2,
        None,
        &[
            ("ringing", "2026-06-19T14:00:00Z", None),
            ("answered", "2026-06-19T14:00:05Z", Some("201")),
            ("completed", "2026-06-19T14:00:35Z", Some("201")),
        ],
    )
    .await;
    // An internal call is not a customer's (R-P7): left out of every figure.
    call(
        app,
        "internal",
        "inbound",
        "202",
        "201",
        None,
        &[
            ("ringing", "2026-06-19T15:00:00Z", Some("201")),
            ("answered", "2026-06-19T15:00:02Z", Some("201")),
            ("completed", "2026-06-19T15:01:00Z", Some("201")),
        ],
    )
    .await;
    (a, b)
}

fn find<'a>(list: &'a Value, key: &str, value: Value) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

async fn the_dashboard_gives_r_u4s_figures_for_a_hand_counted_day(app: TestApp) {
    let (a, b) = a_day_of_calls(&app).await;
    let d = app
        .get_json("/api/v1/dashboard?from=2026-06-19&to=2026-06-20")
        .await;
    assert_eq!(
        d["from"], "2026-06-18T21:00:00Z",
        "the day starts at local midnight"
    );
    assert_eq!(d["to"], "2026-06-19T21:00:00Z");
    assert_eq!(d["time_zone"], "Europe/Kyiv");
    // Offered: c1, c2, c3, c4, c6. Answered: c1, c2, c6. Abandoned: c3.
    // Missed: c3, c4; c3 recovered.
    assert_eq!(d["offered"], 5);
    assert_eq!(d["answered"], 3);
    assert_eq!(d["abandoned"], 1);
    assert_eq!(d["missed"], 2);
    assert_eq!(d["missed_recovered"], 1);
    // Speed of answer 10, 30, 5: average 15; nearest rank ⌈0.9·3⌉ = 3rd of [5, 10, 30].
    assert_eq!(d["average_speed_of_answer_seconds"], 15.0);
    assert_eq!(d["p90_speed_of_answer_seconds"], 30);
    assert_eq!(d["average_time_to_abandon_seconds"], 45.0);
    assert_eq!(d["abandonment_rate"], 0.2);
    // Within T = 20 s: 10 and 5 → 2 of 5 offered.
    assert_eq!(d["service_level_seconds"], 20);
    assert_eq!(d["service_level"], 0.4);

    let inbound = find(&d["by_direction"], "direction", json!("inbound"));
    assert_eq!(inbound["calls"], 5);
    assert_eq!(inbound["average_talk_seconds"], 70.0, "(120 + 60 + 30) / 3");
    let out = find(&d["by_direction"], "direction", json!("outbound_manual"));
    assert_eq!(
        (out["calls"].clone(), out["answered"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(out["average_talk_seconds"], 180.0);

    // Local hours: c1, c2 at 13; c3 at 14; c4 at 15; c5 at 16; c6 at 17.
    let hours = d["by_hour"].as_array().unwrap();
    assert_eq!(hours.len(), 24);
    let h = |n: usize| &hours[n];
    assert_eq!(
        (h(13)["offered"].clone(), h(13)["answered"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(
        (h(14)["abandoned"].clone(), h(14)["missed"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(h(15)["missed"], 1);
    assert_eq!(
        (h(16)["outbound"].clone(), h(16)["offered"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(h(17)["answered"], 1);
    assert_eq!(h(18)["offered"], 0, "the internal call is left out");
    assert_eq!(
        d["by_day"],
        json!([{"day": "2026-06-19", "offered": 5, "answered": 3, "missed": 2, "abandoned": 1, "outbound": 1}])
    );

    // 201 answered c1 and c6, missed c4, called back c3 (7,155 s), talked 120, 30 and 180 s.
    let op_a = find(&d["operators"], "employee_id", json!(a));
    assert_eq!(op_a["answered"], 2);
    assert_eq!(op_a["missed"], 1);
    assert_eq!(op_a["outbound"], 1);
    assert_eq!(op_a["average_talk_seconds"], 110.0);
    assert_eq!(op_a["callbacks"], 1);
    assert_eq!(op_a["recovered_calls"], 1);
    assert_eq!(op_a["average_recovery_seconds"], 7155.0);
    let op_b = find(&d["operators"], "employee_id", json!(b));
    assert_eq!(
        (
            op_b["answered"].clone(),
            op_b["missed"].clone(),
            op_b["callbacks"].clone()
        ),
        (json!(1), json!(0), json!(0))
    );
    assert_eq!(op_b["average_talk_seconds"], 60.0);

    let q = find(&d["queues"], "queue", json!("repairs"));
    assert_eq!(
        [&q["offered"], &q["answered"], &q["missed"], &q["abandoned"]],
        [&json!(2), &json!(1), &json!(1), &json!(1)]
    );
    assert_eq!(q["average_speed_of_answer_seconds"], 10.0);

    let l1 = find(&d["lines"], "number", json!(L1));
    assert_eq!(
        [&l1["offered"], &l1["answered"], &l1["missed"]],
        [&json!(3), &json!(2), &json!(1)]
    );
    let l2 = find(&d["lines"], "number", json!(L2));
    assert_eq!(
        [&l2["offered"], &l2["answered"], &l2["missed"]],
        [&json!(2), &json!(1), &json!(1)]
    );
    assert_eq!(d["quote_conversion"]["answered_inbound_calls"], 3);

    // The same day asked for with instants gives the same figures.
    let again = app
        .get_json("/api/v1/dashboard?from=2026-06-18T21:00:00Z&to=2026-06-19T21:00:00Z")
        .await;
    assert_eq!(again, d);
}

async fn a_period_with_partial_hours_counts_exactly_the_calls_inside_it_r_u4(app: TestApp) {
    a_day_of_calls(&app).await;
    // 10:05Z–13:30Z: c2 (10:10), c3 (11:00), c4 (12:00), c5 (13:00); not c1 (10:00) or c6 (14:00).
    // The hours 10 and 13 are partial: their calls are counted one by one.
    let d = app
        .get_json("/api/v1/dashboard?from=2026-06-19T10:05:00Z&to=2026-06-19T13:30:00Z")
        .await;
    assert_eq!(d["offered"], 3);
    assert_eq!(d["answered"], 1);
    assert_eq!(d["missed"], 2);
    assert_eq!(d["p90_speed_of_answer_seconds"], 30);
    assert_eq!(
        find(&d["by_direction"], "direction", json!("outbound_manual"))["calls"],
        1
    );
    // Offsets other than Z read the same instant.
    let same = app
        .get_json(
            "/api/v1/dashboard?from=2026-06-19T13:05:00%2B03:00&to=2026-06-19T16:30:00%2B03:00",
        )
        .await;
    assert_eq!(same["offered"], 3);
}

async fn the_dashboard_needs_view_all_calls_and_a_readable_period(app: TestApp) {
    let (_, email) = app.add_employee(&[], &["205"]).await;
    let token = app.token_of(&email, "employee pass 1", &[]).await;
    let r = app.get_as(&token, "/api/v1/dashboard").await;
    assert_error(r, StatusCode::FORBIDDEN, "view_all_calls").await;
    // The default period: the last seven days up to the end of today.
    let d = app.get_json("/api/v1/dashboard").await;
    assert_eq!(d["by_day"].as_array().unwrap().len(), 7);
    for (query, says) in [
        ("from=2026-06-20&to=2026-06-19", "after from"),
        ("from=2026-02-30&to=2026-03-02", "not a day that exists"),
        ("from=2026-06-19%2013:00:00Z", "RFC 3339"),
        ("from=2020-01-01&to=2026-01-01", "at most 400 days"),
    ] {
        let r = app.get(&format!("/api/v1/dashboard?{query}")).await;
        assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, says).await;
    }
}

async fn lines_are_named_and_checked_r_u4(app: TestApp) {
    let campaign: Value = app
        .post("/api/v1/ad-campaigns", &json!({"name": "Google Ads"}))
        .await
        .json()
        .await
        .unwrap();
    let put = |body: Value| {
        let app = &app;
        async move {
            app.http
                .put(app.url("/api/v1/settings/lines"))
                .bearer_auth(&app.token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = put(
        json!([{"number": "044 123 45 67", "name": "Main line", "ad_campaign_id": campaign["id"]}]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let lines: Value = r.json().await.unwrap();
    assert_eq!(
        lines,
        json!([{"number": "044 123 45 67", "normalised": L1, "name": "Main line", "ad_campaign_id": campaign["id"]}])
    );
    let r = put(json!([{"number": "044 123 45 67", "name": "x", "ad_campaign_id": 999_999}])).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "ad_campaign_id").await;
    let r = put(
        json!([{"number": "0441234567", "name": "a"}, {"number": "+380441234567", "name": "b"}]),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "[1].number").await;
    let r = put(json!([{"number": "nobody", "name": "a"}])).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "[0].number").await;
    // Nothing refused changed what was stored.
    assert_eq!(app.get_json("/api/v1/settings/lines").await, lines);
    // The dashboard names the line and its campaign.
    call(
        &app,
        "l1",
        "inbound",
        "+380671111111",
        L1,
        None,
        &[
            ("ringing", "2026-06-19T10:00:00Z", None),
            ("no_answer", "2026-06-19T10:00:30Z", None),
        ],
    )
    .await;
    let d = app
        .get_json("/api/v1/dashboard?from=2026-06-19&to=2026-06-20")
        .await;
    let l = find(&d["lines"], "number", json!(L1));
    assert_eq!(l["name"], "Main line");
    assert_eq!(l["ad_campaign_id"], campaign["id"]);
    assert_eq!(l["missed"], 1);
}

async fn the_dashboard_page_shows_the_figures_and_draws_its_charts_r_u4(app: TestApp) {
    a_day_of_calls(&app).await;
    let mut b = app.owner_browser().await;
    let home = b.page("/").await;
    assert!(
        home.contains(r#"href="/dashboard""#),
        "every page links to it"
    );
    // The page's `to` is the last day shown (inclusive).
    let html = b.page("/dashboard?from=2026-06-19&to=2026-06-19").await;
    for (tile, value) in [
        ("dash-offered", "5"),
        ("dash-answered", "3"),
        ("dash-missed", "2"),
        ("dash-abandoned", "1"),
        ("dash-recovered", "1"),
        ("dash-p90", "30 s"),
        ("dash-abandonment", "20.0 %"),
    ] {
        let at = html
            .find(&format!(r#"id="{tile}""#))
            .unwrap_or_else(|| panic!("tile {tile}"));
        let rest = &html[at..];
        let shown = rest
            .split("<strong class=\"tile-value\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert_eq!(shown, value, "{tile}");
    }
    assert!(html.contains("40.0 % (within 20 s)"), "the service level");
    // Two charts drawn as SVG by the server, each titled and described.
    assert_eq!(html.matches("<svg ").count(), 2);
    assert!(html.contains(r#"<svg id="chart-days""#));
    assert!(html.contains(r#"role="img""#));
    assert!(
        html.contains("06-19: Answered 3, Missed 2, Abandoned 1, Outbound 1"),
        "the chart's description"
    );
    assert!(html.contains(r#"<rect class="series-0""#));
    assert!(html.contains("<td>repairs</td>"));
    // In Russian.
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    b.post_form(
        "/language",
        &[
            ("csrf_token", &csrf),
            ("locale", "ru"),
            ("back", "/dashboard"),
        ],
        Some(&origin),
    )
    .await;
    let html = b.page("/dashboard?from=2026-06-19&to=2026-06-19").await;
    assert!(html.contains("Панель колл-центра"));
    // A period that cannot be: said beside the form, the last seven days shown.
    let r = b.get("/dashboard?from=2026-06-20&to=2026-06-10").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(r#"id="period-error""#));
    // Without view_all_calls: refused, said plainly.
    let (_, email) = app.add_employee(&[], &["206"]).await;
    let mut e = app.browser();
    e.sign_in(&email, "employee pass 1").await;
    let r = e.get("/dashboard").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Issue 13 item 3: repeat misses from one number are one case; an
/// unanswered callback recovers them (R-C7) but leaves the case open; the
/// caller getting through closes it; the next miss opens another.
async fn a_callers_missed_calls_are_one_case_until_they_are_reached_issue_13_item_3(app: TestApp) {
    const N: &str = "+380671111111";
    call(
        &app,
        "m1",
        "inbound",
        N,
        L1,
        None,
        &[
            ("ringing", "2026-06-19T10:00:00Z", None),
            ("no_answer", "2026-06-19T10:00:20Z", None),
        ],
    )
    .await;
    call(
        &app,
        "m2",
        "inbound",
        N,
        L1,
        None,
        &[
            ("ringing", "2026-06-19T10:10:00Z", None),
            ("cancelled", "2026-06-19T10:10:15Z", None),
        ],
    )
    .await;
    // A callback nobody answers.
    call(
        &app,
        "cb",
        "outbound_manual",
        "201",
        N,
        None,
        &[
            ("ringing", "2026-06-19T10:20:00Z", None),
            ("no_answer", "2026-06-19T10:20:30Z", None),
        ],
    )
    .await;
    let m1 = app.call_by_external("m1").await;
    assert_eq!(
        m1["recovered"], true,
        "R-C7: an unanswered callback recovers"
    );
    let cases = app.get_json("/api/v1/calls/missed-cases").await;
    assert_eq!(cases.as_array().unwrap().len(), 1);
    assert_eq!(cases[0]["number"], N);
    assert_eq!(cases[0]["missed_count"], 2);
    assert_eq!(cases[0]["open"], true, "but the caller was not reached");
    // The caller gets through at 10:30: reached 29 min 40 s after the first miss ended.
    call(
        &app,
        "in",
        "inbound",
        N,
        L1,
        None,
        &[
            ("ringing", "2026-06-19T10:30:00Z", None),
            ("answered", "2026-06-19T10:30:05Z", None),
            ("completed", "2026-06-19T10:31:00Z", None),
        ],
    )
    .await;
    // A new miss at 10:40 opens the next case.
    call(
        &app,
        "m3",
        "inbound",
        N,
        L1,
        None,
        &[
            ("ringing", "2026-06-19T10:40:00Z", None),
            ("no_answer", "2026-06-19T10:40:20Z", None),
        ],
    )
    .await;
    let cases = app.get_json("/api/v1/calls/missed-cases").await;
    assert_eq!(cases.as_array().unwrap().len(), 2);
    assert_eq!(cases[0]["open"], true);
    assert_eq!(cases[0]["missed_count"], 1);
    assert_eq!(cases[1]["open"], false);
    assert_eq!(cases[1]["missed_count"], 2);
    assert_eq!(
        cases[1]["reached_by_call_id"],
        app.call_by_external("in").await["id"]
    );
    assert_eq!(cases[1]["seconds_to_reach"], 29 * 60 + 40);
    let open = app.get_json("/api/v1/calls/missed-cases?open=true").await;
    assert_eq!(open.as_array().unwrap().len(), 1);
    let r = app.get("/api/v1/calls/missed-cases?limit=0").await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "limit").await;
    // The page: one line per case, a Call button on the open one.
    let mut b = app.owner_browser().await;
    let html = b.page("/calls/missed").await;
    let m3 = app.call_by_external("m3").await["id"].clone();
    assert!(html.contains(&format!(
        r#"id="case-{}" data-open="false" data-count="2""#,
        m1["id"]
    )));
    assert!(html.contains(&format!(
        r#"id="case-{m3}" data-open="true" data-count="1""#
    )));
    assert!(html.contains("2 times"));
    assert!(html.contains("29 min"));
    // The calls list says how long each callback took (R-C7): m1 ended 10:00:20, called back 10:20:00.
    let list = b.page("/calls?missed=true").await;
    assert!(list.contains("after 19 min"), "{list}");
    let html = b.page("/calls/missed?open=1").await;
    assert!(!html.contains(&format!(r#"id="case-{}""#, m1["id"])));
    assert!(html.contains(r#"class="inline c2c""#));
}

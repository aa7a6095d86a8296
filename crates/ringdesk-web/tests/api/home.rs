//! The home page ("what needs me now"), the first-run checklist and the
//! notifications page (issue 11), through the pages as a browser uses them.

use crate::helpers::{ev, Browser, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    home_shows_what_needs_me_now_r_a3_r_c4_r_m4_r_l6,
    home_shows_only_the_missed_calls_one_may_see_r_c5,
    the_first_run_checklist_hands_out_a_phone_system_token_that_works,
    notifications_page_marks_read_and_keeps_my_choices_r_l6,
    the_missed_calls_widget_turns_green_after_a_callback_and_hides_it_without_recovered_r_u3_r_c8,
);

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut b = app.browser();
    let r = b.sign_in(email, password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    b
}

async fn owner(app: &TestApp) -> Browser {
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    sign_in(app, owner["email"].as_str().unwrap(), "correct horse").await
}

async fn created(app: &TestApp, path: &str, body: Value) -> Value {
    let r = app.post(path, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "POST {path}");
    let v: Value = r.json().await.unwrap();
    // A task is made once per assignee: the answer is the list.
    match v {
        Value::Array(mut list) => list.remove(0),
        v => v,
    }
}

/// An inbound call from `from` that rang and was given up: missed (R-C4).
async fn missed_call(app: &TestApp, call: &str, from: &str, operator: Option<&str>) -> i64 {
    let mut ring = ev(&format!("{call}-1"), call, "ringing", 0, from);
    let mut end = ev(&format!("{call}-2"), call, "cancelled", 20, from);
    if let Some(o) = operator {
        ring["operator"] = json!(o);
        end["operator"] = json!(o);
    }
    for e in [ring, end] {
        let r = app.event(e).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    let c = app.call_by_external(call).await;
    assert_eq!(c["missed"], true, "{c}");
    c["id"].as_i64().unwrap()
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle} is not on the page"))
}

async fn home_shows_what_needs_me_now_r_a3_r_c4_r_m4_r_l6(app: TestApp) {
    let (taras, taras_email) = app.add_employee(&[], &["201"]).await;
    // My open tasks, overdue first (R-A3); another's task is not mine.
    let later = created(
        &app,
        "/api/v1/tasks",
        json!({"title": "Order the screen", "assignee_ids": [app.owner_id], "due_at": "2099-01-01T10:00:00Z"}),
    )
    .await;
    let overdue = created(
        &app,
        "/api/v1/tasks",
        json!({"title": "Call Petro back", "assignee_ids": [app.owner_id], "due_at": "2020-01-01T10:00:00Z"}),
    )
    .await;
    let theirs = created(
        &app,
        "/api/v1/tasks",
        json!({"title": "Taras's errand", "assignee_ids": [taras]}),
    )
    .await;
    // A missed call nobody called back yet.
    let call = missed_call(&app, "home-missed-1", "+380671112233", None).await;
    // My new leads: an urgent one and an overdue one (R-M4); a lead of Taras's is not mine.
    let urgent = created(
        &app,
        "/api/v1/leads",
        json!({"client_name": "Urgent Ivan", "urgent": true, "manager_id": app.owner_id}),
    )
    .await;
    let late = created(
        &app,
        "/api/v1/leads",
        json!({"client_name": "Late Lesia", "due_at": "2020-01-01T10:00:00Z", "manager_id": app.owner_id}),
    )
    .await;
    let taras_lead = created(
        &app,
        "/api/v1/leads",
        json!({"client_name": "Someone for Taras", "manager_id": taras}),
    )
    .await;

    let mut b = owner(&app).await;
    let html = b.page("/").await;
    let tasks = position(&html, r#"id="my-tasks""#);
    let first = position(&html, &format!(r#"id="home-task-{}""#, overdue["id"]));
    let second = position(&html, &format!(r#"id="home-task-{}""#, later["id"]));
    assert!(tasks < first && first < second, "overdue first");
    assert!(!html.contains(&format!(r#"id="home-task-{}""#, theirs["id"])));
    assert!(html.contains(&format!(r#"id="home-call-{call}""#)));
    assert!(html.contains("+380671112233"));
    assert!(html.contains(&format!(r#"href="/calls/{call}""#)));
    let urgent_at = position(&html, &format!(r#"id="home-lead-{}""#, urgent["id"]));
    let late_at = position(&html, &format!(r#"id="home-lead-{}""#, late["id"]));
    assert!(html[urgent_at..].contains(r#"class="badge urgent""#));
    assert!(html[late_at..].contains(r#"class="badge overdue""#));
    assert!(!html.contains(&format!(r#"id="home-lead-{}""#, taras_lead["id"])));
    // The rest of the page links to the full lists (R-U7).
    for href in [
        "/calls",
        "/clients",
        "/leads",
        "/orders",
        "/quotes",
        "/tasks",
        "/settings",
    ] {
        assert!(html.contains(&format!(r#"href="{href}""#)), "{href}");
    }

    // Taras was made the manager of a lead by someone else: a notification (R-L6),
    // unread on his home page; marking it read there takes it off.
    let notes = app
        .get_json(&format!(
            "/api/v1/notifications?employee_id={taras}&unread=true"
        ))
        .await;
    let note = notes
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["lead_id"] == taras_lead["id"])
        .expect("a notification for Taras")
        .clone();
    let mut t = sign_in(&app, &taras_email, "employee pass 1").await;
    let html = t.page("/").await;
    let id = note["id"].as_i64().unwrap();
    assert!(html.contains(&format!(r#"id="home-notification-{id}""#)));
    assert!(html.contains(note["title"].as_str().unwrap()));
    // Taras has no manage_settings: no checklist for him.
    assert!(!html.contains(r#"id="first-run""#));
    let csrf = t.csrf.clone().unwrap();
    let origin = t.base.clone();
    let r = t
        .post_form(
            &format!("/notifications/{id}/read"),
            &[("csrf_token", &csrf), ("back", "/")],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
    let html = t.page("/").await;
    assert!(!html.contains(&format!(r#"id="home-notification-{id}""#)));
}

async fn home_shows_only_the_missed_calls_one_may_see_r_c5(app: TestApp) {
    let (_, mine_email) = app.add_employee(&[], &["301"]).await;
    let (_, boss_email) = app.add_employee(&["view_all_calls"], &["302"]).await;
    let to_301 = missed_call(&app, "r-c5-a", "+380671110001", Some("301")).await;
    let to_302 = missed_call(&app, "r-c5-b", "+380671110002", Some("302")).await;
    let mut mine = sign_in(&app, &mine_email, "employee pass 1").await;
    let html = mine.page("/").await;
    assert!(html.contains(&format!(r#"id="home-call-{to_301}""#)));
    assert!(!html.contains(&format!(r#"id="home-call-{to_302}""#)));
    let mut boss = sign_in(&app, &boss_email, "employee pass 1").await;
    let html = boss.page("/").await;
    assert!(html.contains(&format!(r#"id="home-call-{to_301}""#)));
    assert!(html.contains(&format!(r#"id="home-call-{to_302}""#)));
    // Called back (R-C7): it no longer waits (green; gone "without recovered", R-U3).
    let mut back = ev("r-c5-cb", "r-c5-cb", "answered", 60, "+380441234567");
    back["direction"] = json!("outbound_manual");
    back["to"] = json!("+380671110001");
    assert_eq!(app.event(back).await.status(), StatusCode::ACCEPTED);
    let html = boss.page("/").await;
    assert!(html.contains(&format!(r#"id="home-call-{to_301}" data-recovered="true""#)));
    let html = boss.page("/?missed=waiting").await;
    assert!(!html.contains(&format!(r#"id="home-call-{to_301}""#)));
}

async fn the_first_run_checklist_hands_out_a_phone_system_token_that_works(app: TestApp) {
    // A company of its own, fresh: every step to do.
    let email = format!("first-run-{}@example.com", crate::helpers::unique());
    app.signup_as("UA", "Europe/Kyiv", "en", &email).await;
    let mut b = sign_in(&app, &email, "correct horse").await;
    let html = b.page("/").await;
    assert!(html.contains(r#"id="first-run""#));
    for step in ["employees", "phone-system", "automation", "clients"] {
        assert!(
            html.contains(&format!(r#"id="step-{step}" data-done="false""#)),
            "{step}"
        );
    }
    let hook = format!("{}/api/v1/telephony/events", app.base);
    assert!(html.contains(&format!(r#"value="{hook}""#)), "{html}");
    // The token is made on request, shown once, with only post_call_events.
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    let r = b
        .post_form("/home/phone-token", &[("csrf_token", &csrf)], Some(&origin))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let token = html
        .split(r#"id="phone-token" type="text" readonly value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the token on the page")
        .to_owned();
    assert!(token.starts_with("rd_"), "{token}");
    assert!(html.contains(&format!("Authorization: Bearer {token}")));
    let tokens: Value = b
        .api("GET", "/api/v1/api-tokens", None)
        .await
        .json()
        .await
        .unwrap();
    let made = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Phone system")
        .expect("the token, named in the company's language");
    assert_eq!(made["permissions"], json!(["post_call_events"]));
    // The phone system posts with it; the step is done.
    let r = app
        .post_as(
            &token,
            "/api/v1/telephony/events",
            &ev("fr-1", "fr-1", "ringing", 0, "+380671234567"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    // It may do nothing else.
    assert_eq!(
        app.get_as(&token, "/api/v1/clients").await.status(),
        StatusCode::FORBIDDEN
    );
    let html = b.page("/").await;
    assert!(html.contains(r#"id="step-phone-system" data-done="true""#));
    assert!(html.contains(r#"id="step-clients" data-done="false""#));
}

async fn notifications_page_marks_read_and_keeps_my_choices_r_l6(app: TestApp) {
    let (taras, email) = app.add_employee(&[], &[]).await;
    let lead = created(
        &app,
        "/api/v1/leads",
        json!({"client_name": "For Taras", "manager_id": taras}),
    )
    .await;
    let mut t = sign_in(&app, &email, "employee pass 1").await;
    let html = t.page("/notifications").await;
    let notes = app
        .get_json(&format!("/api/v1/notifications?employee_id={taras}"))
        .await;
    let note = &notes.as_array().unwrap()[0];
    let id = note["id"].as_i64().unwrap();
    assert_eq!(note["lead_id"], lead["id"]);
    assert!(html.contains(&format!(r#"<tr id="notification-{id}" data-read="false">"#)));
    assert!(html.contains(&format!(r#"href="/leads/{}""#, lead["id"])));
    // That link lands on the lead's page (its form).
    let r = t.get(&format!("/leads/{}", lead["id"])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/leads/{}/edit", lead["id"]).as_str()
    );
    let csrf = t.csrf.clone().unwrap();
    let origin = t.base.clone();
    let r = t
        .post_form(
            &format!("/notifications/{id}/read"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(r.headers()["location"], "/notifications?m=read");
    let html = t.page("/notifications?m=read").await;
    assert!(html.contains(&format!(r#"<tr id="notification-{id}" data-read="true">"#)));
    // The choices: unticked boxes are switched off, as the API then shows.
    let r = t
        .post_form(
            "/notifications/settings",
            &[("csrf_token", &csrf), ("lead_overdue", "on")],
            Some(&origin),
        )
        .await;
    assert_eq!(r.headers()["location"], "/notifications?m=saved");
    let prefs: Value = t
        .api("GET", "/api/v1/me/notification-settings", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        prefs,
        json!({"new_lead": false, "lead_assigned": false, "lead_overdue": true})
    );
    let html = t.page("/notifications?m=saved").await;
    assert!(html.contains(r#"id="flash""#));
    assert!(html.contains(r#"id="lead_overdue" name="lead_overdue" value="on" checked"#));
    assert!(!html.contains(r#"id="new_lead" name="new_lead" value="on" checked"#));
    // Another employee's notification cannot be marked read by me.
    let owner_note_id = id;
    let mut o = owner(&app).await;
    let csrf = o.csrf.clone().unwrap();
    let r = o
        .post_form(
            &format!("/notifications/{owner_note_id}/read"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// R-U3: a missed call shows with a red dot, its client and operator; a
/// callback posted through the API turns it green; "without recovered"
/// leaves it out. R-C8: the callback is among my recent calls, linked to the
/// client's card with its quote form.
async fn the_missed_calls_widget_turns_green_after_a_callback_and_hides_it_without_recovered_r_u3_r_c8(
    app: TestApp,
) {
    app.patch(
        &format!("/api/v1/employees/{}", app.owner_id),
        &json!({"extensions": ["201"]}),
    )
    .await;
    let client = created(
        &app,
        "/api/v1/clients",
        json!({"name": "Ivan Franko", "phones": [{"number": "+380671112233", "kind": "mobile"}]}),
    )
    .await;
    let call = missed_call(&app, "w-1", "+380671112233", Some("201")).await;
    let mut b = owner(&app).await;
    let html = b.page("/").await;
    let row = &html[position(&html, &format!(r#"id="home-call-{call}""#))..];
    let row = &row[..row.find("</li>").unwrap()];
    assert!(row.contains(r#"data-recovered="false""#));
    assert!(row.contains(r#"class="dot waiting""#), "a red dot: {row}");
    assert!(row.contains("Waiting for a callback"));
    assert!(row.contains(&format!(r#"href="/clients/{}""#, client["id"])));
    assert!(row.contains("Ivan Franko"));
    assert!(
        row.contains(r#"class="inline c2c""#),
        "a Call button while it waits"
    );
    assert!(html.contains(r#"id="missed-toggle" href="/?missed=waiting" aria-pressed="false""#));

    // The owner calls back through the phone system; its events come in through the API.
    for (i, state) in ["ringing", "answered", "completed"].iter().enumerate() {
        let at = jiff::Timestamp::from_second(1_781_874_100 + i as i64 * 10).unwrap();
        let r = app
            .event(json!({"event_id": format!("cb-{i}"), "call_id": "cb", "direction": "outbound_manual",
                "state": state, "at": at.to_string(), "from": "201", "to": "+380671112233", "operator": "201"}))
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    let html = b.page("/").await;
    let row = &html[position(&html, &format!(r#"id="home-call-{call}""#))..];
    let row = &row[..row.find("</li>").unwrap()];
    assert!(row.contains(r#"data-recovered="true""#));
    assert!(
        row.contains(r#"class="dot recovered""#),
        "a green dot: {row}"
    );
    assert!(!row.contains("c2c"), "no Call button once called back");
    // My recent calls: the callback, to the client's card and its quote form.
    let callback = app.call_by_external("cb").await;
    let recent = &html[position(&html, r#"id="recent-calls""#)..];
    assert!(recent.contains(&format!(r#"id="recent-call-{}""#, callback["id"])));
    assert!(recent.contains(&format!(r#"href="/clients/{}#quote-form""#, client["id"])));
    // Without recovered: it is gone; the toggle says it is on.
    let html = b.page("/?missed=waiting").await;
    assert!(!html.contains(&format!(r#"id="home-call-{call}""#)));
    assert!(html.contains(r#"id="missed-toggle" href="/" aria-pressed="true""#));
    assert!(html.contains("Nobody is waiting for a callback."));
}

//! The work pages in a real browser (headless Chromium, `webdriver.rs`):
//! a lead created and edited on its form with a refused status change shown
//! (R-M1, R-M2), a call's automation record (R-X5), and axe-core's check of
//! each work page (R-U6), with screenshots; a client called from their page
//! (R-I5).

use crate::helpers::{ev, TestApp};
use crate::webdriver::WebDriver;
use crate::work::ok;
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    a_lead_is_created_and_edited_and_a_refused_status_change_is_shown_r_m1_r_m2,
    a_calls_page_shows_why_each_automation_rule_acted_r_x5,
    the_work_pages_have_no_serious_accessibility_violations_r_u6,
    a_client_is_called_from_their_page_r_i5,
    a_missed_call_turns_green_in_the_widget_after_a_callback_r_u3,
);

async fn signed_in(app: &TestApp) -> Option<WebDriver> {
    let b = WebDriver::start("en").await?;
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.open(&app.url("/sign-in")).await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    Some(b)
}

fn status_by(list: &Value, group: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"] == group)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn a_lead_is_created_and_edited_and_a_refused_status_change_is_shown_r_m1_r_m2(app: TestApp) {
    let st = app.get_json("/api/v1/lead-statuses").await;
    let (new, in_progress, lost) = (
        status_by(&st, "new"),
        status_by(&st, "in_progress"),
        status_by(&st, "lost"),
    );
    ok(
        &app,
        "PUT",
        "/api/v1/settings/lead-status-transfers",
        json!({"rules": [{"from_status_id": new, "to_status_ids": [in_progress]}]}),
    )
    .await;
    let Some(b) = signed_in(&app).await else {
        return;
    };
    b.open(&app.url("/leads")).await;
    b.click("#new-lead").await;
    b.wait_for("#lead-form").await;
    b.type_into("#client_name", "Browser Bianca").await;
    b.type_into("#phone", "0679998877").await;
    b.type_into("#description", "Wants a quote").await;
    b.click("#lead-form button[type=submit]").await;
    b.wait_for("#flash").await;
    assert_eq!(b.text_of("#flash").await, "The lead was created.");
    let url = b.url().await;
    let id: i64 = url
        .split("/leads/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["client_name"], "Browser Bianca");
    assert_eq!(lead["description"], "Wants a quote");
    assert_eq!(lead["manager_id"], app.owner_id, "the creator, preselected");
    // Edit: a new name, and a status the transfer rules refuse.
    b.type_into("#client_name", "Bianca Browser").await;
    b.click(&format!("#status_id option[value='{lost}']")).await;
    b.click("#lead-form button[type=submit]").await;
    b.wait_for("#status_id-error").await;
    let reason = b.text_of("#status_id-error").await;
    assert!(
        reason.contains("cannot move to") && reason.contains("transfer rules"),
        "{reason}"
    );
    assert_eq!(
        b.find("#client_name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Bianca Browser"),
        "the input kept"
    );
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["status_id"], new, "nothing changed");
    assert_eq!(lead["client_name"], "Browser Bianca");
    // An allowed change is saved.
    b.click(&format!("#status_id option[value='{in_progress}']"))
        .await;
    b.click("#lead-form button[type=submit]").await;
    b.wait_for("#flash").await;
    assert_eq!(b.text_of("#flash").await, "The lead was saved.");
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["status_id"], in_progress);
    assert_eq!(lead["client_name"], "Bianca Browser");
    // The list shows it.
    b.click(".back a").await;
    b.wait_for(&format!("#lead-{id}")).await;
    assert!(b
        .text_of(&format!("#lead-{id}"))
        .await
        .contains("Bianca Browser"));
    b.close().await;
}

async fn missed_call(app: &TestApp, external: &str) -> Value {
    for (i, state) in ["ringing", "no_answer"].iter().enumerate() {
        let r = app
            .event(ev(
                &format!("{external}-{i}"),
                external,
                state,
                i as i64,
                "0674445566",
            ))
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    app.store
        .run_due_jobs(jiff::Timestamp::now() + jiff::SignedDuration::from_secs(60))
        .await
        .unwrap();
    app.call_by_external(external).await
}

async fn a_calls_page_shows_why_each_automation_rule_acted_r_x5(app: TestApp) {
    let c = missed_call(&app, "bw-1").await;
    let id = c["id"].as_i64().unwrap();
    let Some(b) = signed_in(&app).await else {
        return;
    };
    b.open(&app.url("/calls")).await;
    b.wait_for(&format!("#call-{id}")).await;
    b.click(&format!("#call-{id} a[href='/calls/{id}']")).await;
    b.wait_for("#call-automation").await;
    let task = b.text_of("#rule-missed_call_task").await;
    assert!(
        task.contains("Task for a missed call")
            && task.contains("not made")
            && task.contains("the rule is switched off"),
        "{task}"
    );
    let lead = b.text_of("#rule-answered_call_lead").await;
    assert!(lead.contains("the call was not answered"), "{lead}");
    assert!(b.text_of("#call-timeline").await.contains("No answer"));
    b.close().await;
}

/// /calls, a call's page, /leads, the lead forms and /orders, checked by
/// axe-core (no serious or critical violation) and saved as screenshots.
async fn the_work_pages_have_no_serious_accessibility_violations_r_u6(app: TestApp) {
    let c = missed_call(&app, "ax-1").await;
    let past = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(3)).to_string();
    let lead = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Axe Anna", "phone": "0674445566", "urgent": true, "due_at": past}),
    )
    .await;
    let order = ok(
        &app,
        "POST",
        "/api/v1/orders",
        json!({"phone": "0674445566"}),
    )
    .await;
    let Some(b) = signed_in(&app).await else {
        return;
    };
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let pages = [
        ("calls", "/calls".to_owned()),
        ("call", format!("/calls/{}", c["id"])),
        ("leads", "/leads".to_owned()),
        ("lead-new", "/leads/new".to_owned()),
        ("lead-edit", format!("/leads/{}/edit", lead["id"])),
        ("orders", "/orders".to_owned()),
        ("order", format!("/orders/{}", order["id"])),
        ("dashboard", "/dashboard".to_owned()),
    ];
    for (name, path) in &pages {
        b.open(&app.url(path)).await;
        b.wait_for("main h1").await;
        b.screenshot(&format!("work-{name}-{db}")).await;
        if let Some(violations) = b.serious_accessibility_violations().await {
            assert!(violations.is_empty(), "{name}: {violations:#?}");
        }
    }
    // On a phone's screen, with content in them: no sideways scrolling.
    b.set_window_size(375, 812).await;
    for (name, path) in &pages {
        b.open(&app.url(path)).await;
        b.wait_for("main h1").await;
        let (_, overflow) = b.sideways_overflow().await;
        b.screenshot(&format!("work-{name}-375px-{db}")).await;
        assert_eq!(
            overflow, 0,
            "{path} scrolls sideways at 375 px by {overflow} px"
        );
    }
    b.close().await;
}

/// R-I5 from a page: the owner presses "Call" beside a client's number; the
/// phone system (a local stand-in) is asked to ring extension 201 and dial
/// the client, and the client's page says so, with no serious accessibility
/// violation in the notice.
async fn a_client_is_called_from_their_page_r_i5(app: TestApp) {
    let r = app
        .patch(
            &format!("/api/v1/employees/{}", app.owner_id),
            &json!({"extensions": ["201"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (url, mut requests) = crate::helpers::stand_in_pbx(200).await;
    ok(
        &app,
        "PUT",
        "/api/v1/settings/phone-system",
        json!({"inbox_retention_days": 14, "click_to_call_url": url}),
    )
    .await;
    ok(
        &app,
        "POST",
        "/api/v1/settings/webhook-signing/secrets",
        json!({}),
    )
    .await;
    let client = ok(
        &app,
        "POST",
        "/api/v1/clients",
        json!({"name": "Ivan Franko", "phones": [{"number": "067 123 45 67", "kind": "mobile"}]}),
    )
    .await;
    let Some(b) = signed_in(&app).await else {
        return;
    };
    b.open(&app.url(&format!("/clients/{}", client["id"])))
        .await;
    b.click("#client-phones form.c2c button").await;
    b.wait_for("#c2c-flash").await;
    assert_eq!(
        b.text_of("#c2c-flash").await,
        "Your extension 201 is ringing: pick it up and the phone system dials +380671234567."
    );
    assert!(b
        .url()
        .await
        .contains(&format!("/clients/{}?c2c=ok", client["id"])));
    let (_, body) = requests.recv().await.unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(sent["number"], "+380671234567");
    assert_eq!(sent["client_id"], client["id"]);
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    b.screenshot(&format!("click-to-call-{db}")).await;
    if let Some(violations) = b.serious_accessibility_violations().await {
        assert!(violations.is_empty(), "{violations:#?}");
    }
    b.close().await;
}

/// R-U3 in a real browser: home's widget shows a missed call with a red dot;
/// a callback posted through the API turns it green once the page reloads;
/// "without recovered" leaves it out.
async fn a_missed_call_turns_green_in_the_widget_after_a_callback_r_u3(app: TestApp) {
    let c = missed_call(&app, "green-1").await;
    let Some(b) = signed_in(&app).await else {
        return;
    };
    let row = format!("#home-call-{}", c["id"]);
    b.open(&app.url("/")).await;
    b.wait_for(&row).await;
    assert!(b.exists(&format!("{row} .dot.waiting")).await);
    let number = c["from"].as_str().unwrap().to_owned();
    for (i, state) in ["ringing", "answered", "completed"].iter().enumerate() {
        // Minutes after the miss (ev's times), well inside the recovery window (R-C7).
        let at = jiff::Timestamp::from_second(1_781_874_300 + i as i64)
            .unwrap()
            .to_string();
        ok(
            &app,
            "POST",
            "/api/v1/telephony/events",
            json!({"event_id": format!("green-cb-{i}"), "call_id": "green-cb", "direction": "outbound_manual",
                "state": state, "at": at, "from": "100", "to": number}),
        )
        .await;
    }
    b.open(&app.url("/")).await;
    b.wait_for(&format!("{row} .dot.recovered")).await;
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    b.screenshot(&format!("missed-widget-{db}")).await;
    b.click("#missed-toggle").await;
    b.wait_for("#missed-toggle[aria-pressed=true]").await;
    assert!(!b.exists(&row).await);
    b.close().await;
}

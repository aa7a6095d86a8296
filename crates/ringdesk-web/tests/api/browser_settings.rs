//! The settings pages in a real browser (headless Chromium, `webdriver.rs`):
//! Telephony > Automation saved, a bad value's note beside its field (R-U5),
//! the preview's counts (issue 11 item 8); axe-core and screenshots of the
//! settings pages (R-U6).

use crate::helpers::{ev, TestApp};
use crate::webdriver::WebDriver;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;

both_databases!(
    the_owner_saves_the_automation_and_sees_a_bad_value_noted_and_the_preview_r_u5,
    the_settings_pages_have_no_serious_accessibility_violations_r_u6,
    every_settings_page_fits_a_375_px_phone_screen_without_sideways_scrolling,
);

async fn sign_in_owner(app: &TestApp, b: &WebDriver) {
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.open(&app.url("/sign-in")).await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
}

async fn the_owner_saves_the_automation_and_sees_a_bad_value_noted_and_the_preview_r_u5(
    app: TestApp,
) {
    // A missed call an hour ago, for the preview.
    let at = Timestamp::now() - SignedDuration::from_mins(60);
    for (i, state) in ["ringing", "no_answer"].iter().enumerate() {
        let mut e = ev(&format!("bs-{i}"), "bs-call", state, 0, "0671110009");
        e["at"] = json!((at + SignedDuration::from_secs(i as i64)).to_string());
        let r = app.post("/api/v1/telephony/events", &e).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    sign_in_owner(&app, &b).await;
    b.open(&app.url("/settings")).await;
    b.click("a[href='/settings/telephony']").await;
    b.wait_for("#automation").await;
    // Switch the missed-call task rule on for the owner, due in 2 hours.
    let owner = app.owner_id;
    b.click("#missed_call_task-enabled").await;
    b.click(&format!("#missed_call_task-assignee_ids-{owner}"))
        .await;
    let hours = b.find("#missed_call_task-due_in-hours").await;
    hours.clear().await.unwrap();
    hours.send_keys("2").await.unwrap();
    // A bad value: the recovery window of 0 days.
    let window = b.find("#recovery_window_days").await;
    window.clear().await.unwrap();
    window.send_keys("0").await.unwrap();
    b.click("#save").await;
    b.wait_for("#recovery_window_days-error").await;
    assert_eq!(
        b.text_of("#recovery_window_days-error").await,
        "Enter a whole number from 1 to 365."
    );
    // Nothing saved; what was typed is kept.
    let saved = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(saved["missed_call_task"]["enabled"], false);
    assert_eq!(
        b.find("#recovery_window_days")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("0")
    );
    assert!(b
        .find("#missed_call_task-enabled")
        .await
        .is_selected()
        .await
        .unwrap());
    // Fixed: the preview counts what the last week's calls would have made.
    let window = b.find("#recovery_window_days").await;
    window.clear().await.unwrap();
    window.send_keys("14").await.unwrap();
    b.click("#preview").await;
    b.wait_for("#preview-summary").await;
    assert_eq!(
        b.text_of("#preview-summary").await,
        "With these settings, the last 7 days' calls would have made 1 task and 0 leads (1 call looked at). Nothing was saved."
    );
    let call = app.call_by_external("bs-call").await["id"].clone();
    b.wait_for(&format!("#preview-calls tr[data-call='{call}']"))
        .await;
    assert_eq!(
        app.get_json("/api/v1/settings/telephony").await["missed_call_task"]["enabled"],
        false,
        "the preview saves nothing"
    );
    // Save for real.
    b.click("#save").await;
    b.wait_for("#flash").await;
    assert_eq!(b.text_of("#flash").await, "The settings are saved.");
    let saved = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(saved["missed_call_task"]["enabled"], true);
    assert_eq!(saved["missed_call_task"]["assignee_ids"], json!([owner]));
    assert_eq!(saved["missed_call_task"]["due_in"]["hours"], 2);
    assert_eq!(saved["recovery_window_days"], 14);
    b.close().await;
}

/// The settings pages, signed in as the owner, checked by axe-core: no
/// violation of impact serious or critical; each saved as a screenshot.
async fn the_settings_pages_have_no_serious_accessibility_violations_r_u6(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let check = |name: &'static str| {
        let b = &b;
        async move {
            b.screenshot(&format!("{name}-{db}")).await;
            if let Some(violations) = b.serious_accessibility_violations().await {
                assert!(violations.is_empty(), "{name}: {violations:#?}");
            }
        }
    };
    app.add_employee(&["view_clients"], &["201", "202"]).await;
    let lead_type = app.get_json("/api/v1/lead-types").await[0]["id"].clone();
    sign_in_owner(&app, &b).await;
    for (name, path, ready) in [
        ("settings", "/settings", "#settings-sections"),
        ("settings-automation", "/settings/telephony", "#automation"),
        ("settings-employees", "/settings/employees", "#employees"),
        (
            "settings-employee-new",
            "/settings/employees/new",
            "#employee-form",
        ),
        (
            "settings-employee",
            &format!("/settings/employees/{}", app.owner_id),
            "#employee-form",
        ),
        ("settings-tokens", "/settings/tokens", "#token-form"),
        ("settings-lists", "/settings/lists", "#numbering-form"),
        (
            "settings-lead-types",
            "/settings/lead-types",
            "#new-lead-type",
        ),
        (
            "settings-lead-type",
            &format!("/settings/lead-types/{lead_type}"),
            "#lead-type-form",
        ),
        (
            "settings-statuses",
            "/settings/statuses",
            "#lead-status-form",
        ),
        (
            "settings-transfers",
            "/settings/lead-transfers",
            "#transfers",
        ),
        (
            "settings-webhook-signing",
            "/settings/webhook-signing",
            "#signing-form",
        ),
        (
            "settings-twilio",
            "/settings/integrations/twilio",
            "#twilio-form",
        ),
        ("settings-audit", "/settings/audit", "#audit"),
    ] {
        b.open(&app.url(path)).await;
        b.wait_for(ready).await;
        check(name).await;
    }
    // The automation page with its notes and a preview.
    b.open(&app.url("/settings/telephony")).await;
    b.wait_for("#automation").await;
    let window = b.find("#stale_call_hours").await;
    window.clear().await.unwrap();
    window.send_keys("0").await.unwrap();
    b.click("#save").await;
    b.wait_for("#stale_call_hours-error").await;
    check("settings-automation-error").await;
    let window = b.find("#stale_call_hours").await;
    window.clear().await.unwrap();
    window.send_keys("4").await.unwrap();
    b.click("#preview").await;
    b.wait_for("#preview-summary").await;
    check("settings-automation-preview").await;
    // A lead type's form field at fault, noted beside its row (R-M2).
    b.open(&app.url(&format!("/settings/lead-types/{lead_type}")))
        .await;
    b.wait_for("#lead-type-form").await;
    b.type_into("#key_0", "Bad Key").await;
    b.type_into("#label_0", "Bad").await;
    b.click("#save").await;
    b.wait_for("#key_0-error").await;
    check("settings-lead-type-error").await;
    // A new token, shown once.
    b.open(&app.url("/settings/tokens")).await;
    b.type_into("#token-name", "PBX").await;
    b.click("#token-form button[type=submit]").await;
    b.wait_for("#new-token").await;
    check("settings-token-new").await;
    b.close().await;
}

/// Issue 11's "usable on a phone's screen": each settings page at 375 px,
/// no sideways scrolling; a screenshot of each.
async fn every_settings_page_fits_a_375_px_phone_screen_without_sideways_scrolling(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    app.add_employee(
        &["view_clients", "view_all_calls"],
        &["201", "sip:long.login@pbx.example.com"],
    )
    .await;
    // More lead statuses with long names, so the transfer matrix is wider
    // than the screen (it scrolls inside its own box) and a type with fields.
    for name in [
        "Waiting for the spare parts",
        "Technician on the way",
        "Call back later",
    ] {
        let r = app
            .post(
                "/api/v1/lead-statuses",
                &json!({"name": name, "group": "in_progress"}),
            )
            .await;
        assert!(r.status().is_success());
    }
    let lead_type = app.get_json("/api/v1/lead-types").await[0]["id"].clone();
    let r = app
        .patch(
            &format!("/api/v1/lead-types/{lead_type}"),
            &json!({"fields": [{"key": "device_model_and_serial_number", "label": "Device model and serial number", "kind": "choice", "options": ["A rather long option name", "B"]}]}),
        )
        .await;
    assert!(r.status().is_success());
    b.set_window_size(375, 812).await;
    sign_in_owner(&app, &b).await;
    // A token, so the tokens table has a row.
    b.open(&app.url("/settings/tokens")).await;
    b.type_into("#token-name", "Main office PBX").await;
    b.click("#token-form button[type=submit]").await;
    b.wait_for("#new-token").await;
    for (name, path) in [
        ("settings", "/settings"),
        ("settings-automation", "/settings/telephony"),
        ("settings-employees", "/settings/employees"),
        (
            "settings-employee",
            &format!("/settings/employees/{}", app.owner_id),
        ),
        ("settings-tokens", "/settings/tokens"),
        ("settings-webhook-signing", "/settings/webhook-signing"),
        ("settings-twilio", "/settings/integrations/twilio"),
        ("settings-lists", "/settings/lists"),
        ("settings-lead-types", "/settings/lead-types"),
        (
            "settings-lead-type",
            &format!("/settings/lead-types/{lead_type}"),
        ),
        ("settings-statuses", "/settings/statuses"),
        ("settings-transfers", "/settings/lead-transfers"),
        ("settings-audit", "/settings/audit"),
    ] {
        b.open(&app.url(path)).await;
        b.wait_for("main h1").await;
        let (_, overflow) = b.sideways_overflow().await;
        b.screenshot(&format!("{name}-375px-{db}")).await;
        assert_eq!(
            overflow, 0,
            "{path} scrolls sideways at 375 px by {overflow} px"
        );
    }
    b.close().await;
}

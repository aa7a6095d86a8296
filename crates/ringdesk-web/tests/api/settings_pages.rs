//! The settings pages of issue 11 over plain HTTP, with `Browser` (cookies,
//! CSRF tokens, no redirects): who may open them (R-T3), Telephony >
//! Automation saving, refusing a bad value beside its field (R-U5, R-X6),
//! its preview writing nothing (issue 11 item 8), employees, webhook signing
//! and API tokens shown once (R-X8, R-T5), the audit log.

use crate::helpers::{ev, Browser, TestApp};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    settings_pages_give_the_apis_refusal_to_who_lacks_the_right_r_t3,
    the_automation_form_saves_each_rules_options_and_shows_them_r_u5_r_x6,
    a_bad_automation_value_is_noted_beside_its_field_and_nothing_is_saved_r_u5,
    the_automation_preview_counts_the_last_weeks_calls_and_writes_nothing,
    employees_are_added_edited_and_their_password_reset_ends_their_sessions_r_t3_r_t4,
    api_tokens_and_signing_secrets_are_shown_once_and_revoked_r_x8_r_t5,
    the_audit_log_is_the_owners_and_pages_r_t3,
    numbering_templates_ad_campaigns_and_locations_are_kept_on_their_page_r_m3,
    business_hours_and_the_callback_sla_are_set_on_the_telephony_page_issue_13,
    a_bad_business_hours_interval_is_noted_beside_its_day_and_nothing_is_saved_issue_13,
);

pub(crate) async fn signed_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut b = app.browser();
    let r = b.sign_in(email, password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signing in {email}");
    b
}

/// Sends a page's form as a browser does: its fields, the CSRF token, the Origin.
pub(crate) async fn send(
    b: &mut Browser,
    path: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    let csrf = b.csrf.clone().expect("a CSRF token from a page");
    let mut all: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    all.push(("csrf_token", &csrf));
    let origin = b.base.clone();
    b.post_form(path, &all, Some(&origin)).await
}

pub(crate) fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The automation form as the page sends it with every rule off and the
/// defaults in the number fields.
fn automation_form() -> Vec<(String, String)> {
    fields(&[
        ("missed_call_task.mode", "shared"),
        ("missed_call_task.due_in.days", "0"),
        ("missed_call_task.due_in.hours", "0"),
        ("missed_call_task.due_in.minutes", "0"),
        ("answered_call_lead.lead_type_id", ""),
        ("answered_call_lead.manager_id", ""),
        ("missed_call_lead.lead_type_id", ""),
        ("missed_call_lead.manager_id", ""),
        ("recovery_window_days", "7"),
        ("settle_seconds", "5"),
        ("stale_call_hours", "4"),
    ])
}

/// `form` with `name` set to `value` (replacing it, or added).
fn with(mut form: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    match form.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => form.push((name.to_owned(), value.to_owned())),
    }
    form
}

/// The automation form with issue 13's fields: Monday 09:00–13:00 and
/// 14:00–24:00 (a time input's 00:00 end), Friday 10:00–16:00, a 30-minute
/// callback SLA and a 25-second service level.
fn sla_form() -> Vec<(String, String)> {
    let mut form = automation_form();
    for (k, v) in [
        ("business_hours.mon.0.start", "09:00"),
        ("business_hours.mon.0.end", "13:00"),
        ("business_hours.mon.1.start", "14:00"),
        ("business_hours.mon.1.end", "00:00"),
        ("business_hours.tue.0.start", ""),
        ("business_hours.tue.0.end", ""),
        ("business_hours.fri.0.start", "10:00"),
        ("business_hours.fri.0.end", "16:00"),
        ("callback_sla_minutes", "30"),
        ("service_level_seconds", "25"),
    ] {
        form = with(form, k, v);
    }
    form
}

async fn business_hours_and_the_callback_sla_are_set_on_the_telephony_page_issue_13(app: TestApp) {
    let mut b = app.owner_browser().await;
    let html = b.page("/settings/telephony").await;
    // The defaults: Monday to Friday 09:00–18:00, an empty pair to add one, no SLA.
    assert!(html.contains(r#"id="callback-sla""#), "{html}");
    assert!(html.contains(r#"name="business_hours.mon.0.start" value="09:00""#));
    assert!(html.contains(r#"name="business_hours.mon.0.end" value="18:00""#));
    assert!(html.contains(r#"name="business_hours.mon.1.start" value="""#));
    assert!(html.contains(r#"name="business_hours.sat.0.start" value="""#));
    assert!(html.contains(r#"<legend>Saturday</legend>"#));
    assert!(html.contains(r#"name="callback_sla_minutes" value="0""#));
    assert!(html.contains(r#"name="service_level_seconds" value="20""#));

    let r = send(&mut b, "/settings/telephony", &sla_form()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let saved = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(
        saved["business_hours"],
        json!({"mon": [["09:00", "13:00"], ["14:00", "24:00"]], "tue": [], "wed": [], "thu": [],
               "fri": [["10:00", "16:00"]], "sat": [], "sun": []})
    );
    assert_eq!(saved["callback_sla_minutes"], 30);
    assert_eq!(saved["service_level_seconds"], 25);
    let html = b.page("/settings/telephony?m=saved").await;
    assert!(html.contains(r#"name="business_hours.mon.1.end" value="00:00""#));
    assert!(html.contains(r#"name="business_hours.fri.0.start" value="10:00""#));
    assert!(html.contains(r#"name="callback_sla_minutes" value="30""#));
    // A form without issue 13's fields (from before them) keeps them.
    let r = send(&mut b, "/settings/telephony", &automation_form()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let kept = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(kept["business_hours"], saved["business_hours"]);
    assert_eq!(kept["callback_sla_minutes"], 30);
}

async fn a_bad_business_hours_interval_is_noted_beside_its_day_and_nothing_is_saved_issue_13(
    app: TestApp,
) {
    let mut b = app.owner_browser().await;
    b.page("/settings/telephony").await;
    let before = app.get_json("/api/v1/settings/telephony").await;
    // The end before the start: the form's reader refuses it.
    let form = with(sla_form(), "business_hours.fri.0.end", "09:00");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="form-errors""#));
    assert!(
        html.contains(r#"<p class="field-error" id="business_hours-fri-error">Enter each interval as two times"#),
        "{html}"
    );
    assert!(html.contains(r#"aria-describedby="business_hours-fri-error""#));
    assert!(html.contains(r#"name="business_hours.fri.0.end" value="09:00""#));
    // Overlapping intervals: the domain's check, noted beside the day too.
    let form = with(sla_form(), "business_hours.mon.1.start", "12:00");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="business_hours-mon-error""#), "{html}");
    // The SLA out of range, beside its field.
    let form = with(sla_form(), "callback_sla_minutes", "99999");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="callback_sla_minutes-error">Enter a whole number from 0 to 44640."#)
    );
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);
    // In Portuguese, the day and the note are Portuguese.
    let r = send(
        &mut b,
        "/language",
        &fields(&[("locale", "pt"), ("back", "/")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    b.page("/settings/telephony").await;
    let form = with(sla_form(), "business_hours.fri.0.end", "09:00");
    let html = send(&mut b, "/settings/telephony", &form)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<legend>Sexta-feira</legend>"));
    assert!(html.contains(r#"id="business_hours-fri-error">Indique cada intervalo"#));
}

async fn lead_type(app: &TestApp) -> i64 {
    app.get_json("/api/v1/lead-types").await[0]["id"]
        .as_i64()
        .unwrap()
}

async fn settings_pages_give_the_apis_refusal_to_who_lacks_the_right_r_t3(app: TestApp) {
    let (_, plain) = app.add_employee(&["view_clients"], &["201"]).await;
    let mut b = signed_in(&app, &plain, "employee pass 1").await;
    let before = app.get_json("/api/v1/settings/telephony").await;
    for (path, message) in [
        ("/settings", "this needs the manage_settings permission"),
        (
            "/settings/telephony",
            "this needs the manage_settings permission",
        ),
        (
            "/settings/webhook-signing",
            "this needs the manage_settings permission",
        ),
        (
            "/settings/employees",
            "this needs the manage_employees permission",
        ),
        ("/settings/audit", "only the company"),
    ] {
        let r = b.get(path).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"id="refusal""#), "{path}: {html}");
        assert!(html.contains(message), "{path}: {html}");
    }
    // A form sent anyway is refused the same way, and nothing changes.
    b.page("/settings/tokens").await;
    let form = with(automation_form(), "recovery_window_days", "30");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);
    // Their own API tokens are theirs to manage, as the API says.
    let html = b.page("/settings/tokens").await;
    assert!(html.contains(r#"id="token-form""#));

    // `manage_settings` opens the settings, not the employees.
    let (_, admin) = app.add_employee(&["manage_settings"], &[]).await;
    let mut b = signed_in(&app, &admin, "employee pass 1").await;
    let html = b.page("/settings").await;
    assert!(html.contains(r#"href="/settings/telephony""#));
    assert!(html.contains(r#"href="/settings/webhook-signing""#));
    assert!(!html.contains(r#"href="/settings/employees""#));
    assert!(!html.contains(r#"href="/settings/audit""#));
    b.page("/settings/telephony").await;
    assert_eq!(
        b.get("/settings/employees").await.status(),
        StatusCode::FORBIDDEN
    );
    // The owner sees every section.
    let mut b = app.owner_browser().await;
    let html = b.page("/settings").await;
    for href in [
        "/settings/telephony",
        "/settings/employees",
        "/settings/webhook-signing",
        "/settings/tokens",
        "/settings/audit",
    ] {
        assert!(html.contains(&format!(r#"href="{href}""#)), "{href}");
    }
}

async fn the_automation_form_saves_each_rules_options_and_shows_them_r_u5_r_x6(app: TestApp) {
    let type_id = lead_type(&app).await;
    let (taras, _) = app.add_employee(&[], &["202"]).await;
    let mut b = app.owner_browser().await;
    let html = b.page("/settings/telephony").await;
    assert!(html.contains(r#"id="automation""#));
    let owner = app.owner_id.to_string();
    let taras_s = taras.to_string();
    let type_s = type_id.to_string();
    let mut form = automation_form();
    for (k, v) in [
        ("missed_call_task.enabled", "on"),
        ("missed_call_task.assignee_ids", taras_s.as_str()),
        ("missed_call_task.mode", "each"),
        ("missed_call_task.due_in.days", "1"),
        ("missed_call_task.due_in.hours", "2"),
        ("missed_call_task.link_lead", "on"),
        ("answered_call_lead.enabled", "on"),
        ("answered_call_lead.lead_type_id", type_s.as_str()),
        ("answered_call_lead.manager_id", owner.as_str()),
        ("answered_call_lead.even_if_open_order", "on"),
        ("recovery_window_days", "10"),
        ("reuse_unknown_caller_lead", "on"),
        ("settle_seconds", "30"),
    ] {
        form = with(form, k, v);
    }
    // Two assignees: the field repeats, as checkboxes send it.
    form.push(("missed_call_task.assignee_ids".into(), owner.clone()));
    form.push(("answered_call_lead.notify_ids".into(), taras_s.clone()));
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/settings/telephony?m=saved");
    let saved = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(
        saved["missed_call_task"],
        json!({"enabled": true, "assignee_ids": [taras, app.owner_id], "mode": "each",
               "due_in": {"days": 1, "hours": 2, "minutes": 0}, "link_order": false, "link_lead": true})
    );
    assert_eq!(
        saved["answered_call_lead"],
        json!({"enabled": true, "lead_type_id": type_id, "manager_id": app.owner_id,
               "notify_ids": [taras], "even_if_open_order": true, "even_if_open_lead": false})
    );
    assert_eq!(saved["missed_call_lead"]["enabled"], false);
    assert_eq!(saved["recovery_window_days"], 10);
    assert_eq!(saved["reuse_unknown_caller_lead"], true);
    assert_eq!(saved["settle_seconds"], 30);
    assert_eq!(saved["stale_call_hours"], 4);
    // The page shows what was saved.
    let html = b.page("/settings/telephony?m=saved").await;
    assert!(html.contains(r#"id="flash""#));
    assert!(html.contains(
        r#"id="missed_call_task-enabled" name="missed_call_task.enabled" value="on" checked"#
    ));
    assert!(html.contains(&format!(
        r#"id="missed_call_task-assignee_ids-{taras}" name="missed_call_task.assignee_ids" value="{taras}" checked"#
    )));
    assert!(html.contains(r#"<option value="each" selected>"#));
    assert!(html.contains(r#"name="recovery_window_days" value="10""#));
    assert!(html.contains(&format!(r#"<option value="{type_id}" selected>"#)));
    // Switching a rule off through the page saves that too.
    let form = with(automation_form(), "stale_call_hours", "8");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let saved = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(saved["missed_call_task"]["enabled"], false);
    assert_eq!(saved["answered_call_lead"]["enabled"], false);
    assert_eq!(saved["stale_call_hours"], 8);
}

async fn a_bad_automation_value_is_noted_beside_its_field_and_nothing_is_saved_r_u5(app: TestApp) {
    let mut b = app.owner_browser().await;
    b.page("/settings/telephony").await;
    let before = app.get_json("/api/v1/settings/telephony").await;
    // Out of the domain's range (R-X6): 422, the note beside the field, the value kept.
    let form = with(automation_form(), "recovery_window_days", "0");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="form-errors""#), "{html}");
    assert!(
        html.contains(r#"<p class="field-error" id="recovery_window_days-error">Enter a whole number from 1 to 365.</p>"#),
        "{html}"
    );
    assert!(html.contains(r#"name="recovery_window_days" value="0""#));
    assert!(html.contains(r#"aria-describedby="recovery_window_days-error""#));
    // Not a number at all: noted, the text kept as typed.
    let form = with(automation_form(), "settle_seconds", "soon");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="settle_seconds-error">Enter a whole number from 0 to 3600."#));
    assert!(html.contains(r#"name="settle_seconds" value="soon""#));
    // A rule switched on without what it needs: the note by the rule's field.
    let form = with(automation_form(), "missed_call_task.enabled", "on");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(
        r#"id="missed_call_task-assignee_ids-error">Choose at least one employee while the rule is on."#
    ));
    let form = with(automation_form(), "missed_call_lead.enabled", "on");
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="missed_call_lead-lead_type_id-error""#));
    // Checked box kept as sent.
    assert!(html.contains(r#"name="missed_call_lead.enabled" value="on" checked"#));
    // Another company's employee is no employee here (R-T1).
    let other = app.signup("UA", "Europe/Kyiv", "en").await["owner_id"]
        .as_i64()
        .unwrap()
        .to_string();
    let mut form = automation_form();
    form.push(("answered_call_lead.notify_ids".into(), other));
    let r = send(&mut b, "/settings/telephony", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="answered_call_lead-notify_ids-error""#));
    // Nothing of it was saved.
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);
    // In Russian, the note is Russian.
    let r = send(
        &mut b,
        "/language",
        &fields(&[("locale", "ru"), ("back", "/")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    b.page("/settings/telephony").await;
    let form = with(automation_form(), "stale_call_hours", "0");
    let html = send(&mut b, "/settings/telephony", &form)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"id="stale_call_hours-error">Введите целое число от 1 до 720."#));
}

/// Posts a call's events in order, `at` one second apart, `minutes_ago`.
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

async fn the_automation_preview_counts_the_last_weeks_calls_and_writes_nothing(app: TestApp) {
    let type_id = lead_type(&app).await.to_string();
    recent_call(
        &app,
        "pp-missed",
        "0671110001",
        &["ringing", "no_answer"],
        60,
    )
    .await;
    recent_call(
        &app,
        "pp-answered",
        "0671110002",
        &["ringing", "answered", "completed"],
        120,
    )
    .await;
    recent_call(
        &app,
        "pp-old",
        "0671110003",
        &["ringing", "no_answer"],
        10 * 24 * 60,
    )
    .await;
    let before = app.get_json("/api/v1/settings/telephony").await;
    let mut b = app.owner_browser().await;
    b.page("/settings/telephony").await;
    let owner = app.owner_id.to_string();
    let mut form = automation_form();
    for (k, v) in [
        ("missed_call_task.enabled", "on"),
        ("missed_call_task.assignee_ids", owner.as_str()),
        ("missed_call_lead.enabled", "on"),
        ("missed_call_lead.lead_type_id", type_id.as_str()),
        ("answered_call_lead.enabled", "on"),
        ("answered_call_lead.lead_type_id", type_id.as_str()),
        ("recovery_window_days", "12"),
    ] {
        form = with(form, k, v);
    }
    let r = send(&mut b, "/settings/telephony/preview", &form).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="preview-summary" role="status" data-tasks="1" data-leads="2">With these settings, the last 7 days' calls would have made 1 task and 2 leads (2 calls looked at). Nothing was saved."#),
        "{html}"
    );
    let missed = app.call_by_external("pp-missed").await["id"].clone();
    let answered = app.call_by_external("pp-answered").await["id"].clone();
    let old = app.call_by_external("pp-old").await["id"].clone();
    assert!(html.contains(&format!(r#"<tr data-call="{missed}"><td><a href="/calls/{missed}">Call #{missed}</a></td><td>1</td><td>Lead for a missed incoming call</td></tr>"#)), "{html}");
    assert!(html.contains(&format!(r#"<tr data-call="{answered}"><td><a href="/calls/{answered}">Call #{answered}</a></td><td>0</td><td>Lead for an answered incoming call</td></tr>"#)));
    assert!(!html.contains(&format!(r#"data-call="{old}""#)));
    // The form comes back as typed, unsaved.
    assert!(html.contains(r#"name="recovery_window_days" value="12""#));
    // Nothing was written: no task, no lead, the settings as they were.
    app.store.run_due_jobs(Timestamp::now()).await.unwrap();
    assert_eq!(app.get_json("/api/v1/tasks").await, json!([]));
    assert_eq!(app.get_json("/api/v1/leads").await, json!([]));
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);
    // A bad value previews nothing: the note, as for saving.
    let form = with(form, "recovery_window_days", "0");
    let r = send(&mut b, "/settings/telephony/preview", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="recovery_window_days-error""#));
    assert!(!html.contains(r#"id="preview-summary""#));
}

async fn employees_are_added_edited_and_their_password_reset_ends_their_sessions_r_t3_r_t4(
    app: TestApp,
) {
    let mut b = app.owner_browser().await;
    let html = b.page("/settings/employees").await;
    assert!(html.contains("Olena"));
    b.page("/settings/employees/new").await;
    // A bad e-mail: noted beside it, nobody added.
    let count = app
        .get_json("/api/v1/employees")
        .await
        .as_array()
        .unwrap()
        .len();
    let email = format!("maria-{}@example.com", crate::helpers::unique());
    let mut form = fields(&[
        ("name", "Maria"),
        ("email", "not-an-address"),
        ("password", "maria pass 1"),
        ("extensions", "301, 302"),
        ("permissions", "view_clients"),
        ("permissions", "view_all_calls"),
    ]);
    let r = send(&mut b, "/settings/employees", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="email-error">Enter a valid e-mail address."#),
        "{html}"
    );
    assert!(html.contains(r#"value="301, 302""#));
    assert_eq!(
        app.get_json("/api/v1/employees")
            .await
            .as_array()
            .unwrap()
            .len(),
        count
    );
    form = with(form, "email", &email);
    let r = send(&mut b, "/settings/employees", &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/settings/employees?m=added");
    let all = app.get_json("/api/v1/employees").await;
    let maria = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["email"] == email.as_str())
        .unwrap()
        .clone();
    let id = maria["id"].as_i64().unwrap();
    assert_eq!(maria["extensions"], json!(["301", "302"]));
    let mut rights: Vec<&str> = maria["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    rights.sort();
    assert_eq!(rights, ["view_all_calls", "view_clients"]);
    let html = b.page("/settings/employees?m=added").await;
    assert!(html.contains(&format!(r#"id="employee-{id}""#)));
    assert!(html.contains("301, 302"));
    // The same e-mail twice: noted.
    b.page("/settings/employees/new").await;
    let r = send(&mut b, "/settings/employees", &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="email-error">This e-mail address already has an account."#));

    // Maria signs in; her browser keeps a session.
    let mut maria_b = signed_in(&app, &email, "maria pass 1").await;
    assert_eq!(maria_b.get("/").await.status(), StatusCode::OK);

    // Edit: extensions and permissions; a bad extension first.
    let html = b.page(&format!("/settings/employees/{id}")).await;
    assert!(html.contains(r#"id="password-form""#));
    let edit = fields(&[
        ("name", "Maria S."),
        ("email", &email),
        ("extensions", "401 bad extension!"),
        ("permissions", "view_clients"),
        ("active", "on"),
    ]);
    let r = send(&mut b, &format!("/settings/employees/{id}"), &edit).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(r#"id="extensions-error""#));
    assert_eq!(
        app.get_json(&format!("/api/v1/employees/{id}")).await["name"],
        "Maria"
    );
    let edit = with(edit, "extensions", "401");
    let r = send(&mut b, &format!("/settings/employees/{id}"), &edit).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let maria = app.get_json(&format!("/api/v1/employees/{id}")).await;
    assert_eq!(maria["name"], "Maria S.");
    assert_eq!(maria["extensions"], json!(["401"]));
    assert_eq!(maria["permissions"], json!(["view_clients"]));
    assert_eq!(maria["active"], true);

    // The owner resets her password: a short one is noted, then it is set and her session ends.
    b.page(&format!("/settings/employees/{id}")).await;
    let r = send(
        &mut b,
        &format!("/settings/employees/{id}/password"),
        &fields(&[("password", "short")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="new_password-error""#));
    assert_eq!(maria_b.get("/").await.status(), StatusCode::OK);
    let r = send(
        &mut b,
        &format!("/settings/employees/{id}/password"),
        &fields(&[("password", "a new maria pass")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/settings/employees?m=password");
    let r = maria_b.get("/").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/sign-in");
    assert_eq!(
        app.browser().sign_in(&email, "maria pass 1").await.status(),
        StatusCode::UNAUTHORIZED,
        "the old password no longer signs in"
    );
    signed_in(&app, &email, "a new maria pass").await;
    // The owner still is.
    b.page("/settings/employees").await;

    // Deactivate her from the page.
    b.page(&format!("/settings/employees/{id}")).await;
    let edit = fields(&[
        ("name", "Maria S."),
        ("email", &email),
        ("extensions", "401"),
    ]);
    let r = send(&mut b, &format!("/settings/employees/{id}"), &edit).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let maria = app.get_json(&format!("/api/v1/employees/{id}")).await;
    assert_eq!(maria["active"], false);
    assert_eq!(maria["permissions"], json!([]));
    // Another company's employee is not found here (R-T1).
    let other = app.signup("UA", "Europe/Kyiv", "en").await["owner_id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        b.get(&format!("/settings/employees/{other}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn api_tokens_and_signing_secrets_are_shown_once_and_revoked_r_x8_r_t5(app: TestApp) {
    let mut b = app.owner_browser().await;
    // Tokens: a name is needed.
    b.page("/settings/tokens").await;
    let r = send(&mut b, "/settings/tokens", &fields(&[("name", " ")])).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(r#"id="name-error""#));
    let r = send(
        &mut b,
        "/settings/tokens",
        &fields(&[
            ("name", "Main office PBX"),
            ("permissions", "post_call_events"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let token = html
        .split(r#"id="new-token" type="text" readonly value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the new token, shown once")
        .to_owned();
    assert!(token.starts_with("rd_"), "{token}");
    // It works, with the rights it was given.
    let me: Value = app.get_as(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["permissions"], json!(["post_call_events"]));
    // Listed by its prefix, never again in full.
    let html = b.page("/settings/tokens").await;
    assert!(html.contains("Main office PBX"));
    assert!(!html.contains(&token));
    let tokens = app.get_json("/api/v1/api-tokens").await;
    let id = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Main office PBX")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = send(&mut b, &format!("/settings/tokens/{id}/revoke"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as(&token, "/api/v1/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let html = b.page("/settings/tokens?m=revoked").await;
    assert!(html.contains(&format!(r#"id="token-{id}" data-revoked="true""#)));

    // Webhook signing: required needs a secret first (the API's 409, as a page).
    let html = b.page("/settings/webhook-signing").await;
    assert!(html.contains(r#"data-required="false" data-secrets="0""#));
    let r = send(
        &mut b,
        "/settings/webhook-signing",
        &fields(&[("required", "on")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains(
        r#"id="signing-error" role="alert">Create a secret before requiring signatures."#
    ));
    assert_eq!(
        app.get_json("/api/v1/settings/webhook-signing").await["required"],
        false
    );
    let r = send(&mut b, "/settings/webhook-signing/secrets", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let secret = html
        .split(r#"id="new-secret" type="text" readonly value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the new secret, shown once")
        .to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let html = b.page("/settings/webhook-signing").await;
    assert!(!html.contains(&secret), "write-only (R-X8)");
    assert!(html.contains(&secret[..10]));
    assert!(html.contains(r#"data-required="false" data-secrets="1""#));
    let r = send(
        &mut b,
        "/settings/webhook-signing",
        &fields(&[("required", "on")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let signing = app.get_json("/api/v1/settings/webhook-signing").await;
    assert_eq!(signing["required"], true);
    // The last secret while required cannot go.
    let sid = signing["secrets"][0]["id"].as_i64().unwrap();
    b.page("/settings/webhook-signing").await;
    let r = send(
        &mut b,
        &format!("/settings/webhook-signing/secrets/{sid}/revoke"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        app.get_json("/api/v1/settings/webhook-signing").await["secrets"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Off again, then it can.
    let r = send(&mut b, "/settings/webhook-signing", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send(
        &mut b,
        &format!("/settings/webhook-signing/secrets/{sid}/revoke"),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let signing = app.get_json("/api/v1/settings/webhook-signing").await;
    assert_eq!(signing, json!({"required": false, "secrets": []}));
}

async fn the_audit_log_is_the_owners_and_pages_r_t3(app: TestApp) {
    let mut b = app.owner_browser().await;
    b.page("/settings/telephony").await;
    let form = with(automation_form(), "settle_seconds", "9");
    assert_eq!(
        send(&mut b, "/settings/telephony", &form).await.status(),
        StatusCode::SEE_OTHER
    );
    let html = b.page("/settings/audit").await;
    assert!(html.contains(r#"data-action="settings_changed""#), "{html}");
    assert!(html.contains(r#"data-action="sign_in""#));
    // Actions read as words in the employee's language, the code as the title.
    assert!(
        html.contains(r#"<span title="settings_changed">Settings changed</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"<span title="sign_in">Signed in</span>"#));
    // Over 50 entries: the page links to the older ones.
    for n in 10..60 {
        let form = with(automation_form(), "settle_seconds", &n.to_string());
        assert_eq!(
            send(&mut b, "/settings/telephony", &form).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let newest = app.get_json("/api/v1/audit-log?limit=50").await;
    let last = newest.as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let html = b.page("/settings/audit").await;
    assert!(
        html.contains(&format!(r#"href="/settings/audit?before_id={last}""#)),
        "{html}"
    );
    let older = b.page(&format!("/settings/audit?before_id={last}")).await;
    assert!(!older.contains(&format!(r#"id="audit-{last}""#)));
    assert!(older.contains(r#"id="newest""#));
    // Not the owner: the API's refusal.
    let (_, admin) = app.add_employee(&["manage_settings"], &[]).await;
    let mut a = signed_in(&app, &admin, "employee pass 1").await;
    assert_eq!(
        a.get("/settings/audit").await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn numbering_templates_ad_campaigns_and_locations_are_kept_on_their_page_r_m3(app: TestApp) {
    let mut b = app.owner_browser().await;
    let before = app.get_json("/api/v1/settings/numbering").await;
    let html = b.page("/settings/lists").await;
    assert!(html.contains(&format!(
        r#"name="lead" value="{}""#,
        before["lead"].as_str().unwrap()
    )));
    // A template without its sequence: noted beside it, none saved (R-M3).
    let bad = fields(&[
        ("lead", "L-{YYYY}"),
        ("order", "WO-{N:4}"),
        ("quote", "Q-{N}"),
    ]);
    let r = send(&mut b, "/settings/numbering", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="lead-error""#), "{html}");
    assert!(!html.contains(r#"id="order-error""#));
    assert!(html.contains(r#"name="lead" value="L-{YYYY}""#));
    assert_eq!(app.get_json("/api/v1/settings/numbering").await, before);
    let good = with(bad, "lead", "L-{YYYY}-{N:5}");
    let r = send(&mut b, "/settings/numbering", &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json("/api/v1/settings/numbering").await,
        json!({"lead": "L-{YYYY}-{N:5}", "order": "WO-{N:4}", "quote": "Q-{N}"})
    );
    // Ad campaigns and locations: added, a name twice noted, deactivated.
    let r = send(
        &mut b,
        "/settings/ad-campaigns",
        &fields(&[("name", "Spring flyers")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send(
        &mut b,
        "/settings/locations",
        &fields(&[("name", "Main street")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send(
        &mut b,
        "/settings/ad-campaigns",
        &fields(&[("name", "Spring flyers")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="ad-campaigns-name-error">This name is already in the list."#));
    let r = send(&mut b, "/settings/locations", &fields(&[("name", "  ")])).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let campaigns = app.get_json("/api/v1/ad-campaigns").await;
    assert_eq!(campaigns.as_array().unwrap().len(), 1);
    let id = campaigns[0]["id"].as_i64().unwrap();
    let r = send(&mut b, &format!("/settings/ad-campaigns/{id}/active"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json("/api/v1/ad-campaigns").await,
        json!([{"id": id, "name": "Spring flyers", "active": false}])
    );
    let html = b.page("/settings/lists?m=changed").await;
    assert!(html.contains(&format!(r#"id="ad-campaigns-{id}" data-active="false""#)));
    assert!(html.contains("Main street"));
    let r = send(
        &mut b,
        &format!("/settings/ad-campaigns/{id}/active"),
        &fields(&[("active", "on")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json("/api/v1/ad-campaigns").await[0]["active"],
        true
    );
    // Without manage_settings: the API's refusal.
    let (_, plain) = app.add_employee(&["view_clients"], &[]).await;
    let mut p = signed_in(&app, &plain, "employee pass 1").await;
    assert_eq!(
        p.get("/settings/lists").await.status(),
        StatusCode::FORBIDDEN
    );
}

//! Statuses, lead types and Settings > Telephony > Automation (R-X5, R-X6, R-M2).

use crate::helpers::{assert_error, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    a_new_company_starts_with_a_status_per_group_the_system_statuses_and_the_lead_type_r_x5,
    default_names_are_written_in_the_companys_locale_r_t2,
    telephony_settings_start_off_and_are_saved_as_sent_r_x6,
    invalid_telephony_settings_are_refused_naming_the_field_and_nothing_changes_r_x6,
);

async fn a_new_company_starts_with_a_status_per_group_the_system_statuses_and_the_lead_type_r_x5(
    app: TestApp,
) {
    let leads = app.get_json("/api/v1/lead-statuses").await;
    let leads = leads.as_array().unwrap();
    for group in ["new", "in_progress", "won", "lost"] {
        assert!(
            leads.iter().any(|s| s["group"] == group),
            "a lead status in {group}"
        );
    }
    let system: Vec<(&Value, &Value)> = leads
        .iter()
        .filter(|s| !s["key"].is_null())
        .map(|s| (&s["key"], &s["group"]))
        .collect();
    assert_eq!(
        system,
        [
            (&json!("order_successful"), &json!("won")),
            (&json!("cancelled"), &json!("lost"))
        ]
    );
    let orders = app.get_json("/api/v1/order-statuses").await;
    for group in ["new", "in_progress", "closed_success", "closed_failure"] {
        assert!(
            orders
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["group"] == group),
            "an order status in {group}"
        );
    }
    let types = app.get_json("/api/v1/lead-types").await;
    assert_eq!(types[0]["name"], "Lead");
    assert!(leads
        .iter()
        .any(|s| s["id"] == types[0]["initial_status_id"] && s["group"] == "new"));
}

async fn default_names_are_written_in_the_companys_locale_r_t2(app: TestApp) {
    let ru = app.signup("RU", "Europe/Moscow", "ru").await["api_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let statuses: Value = app
        .get_as(&ru, "/api/v1/lead-statuses")
        .await
        .json()
        .await
        .unwrap();
    let cancelled = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "cancelled")
        .unwrap();
    assert!(
        cancelled["name"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())),
        "{cancelled}"
    );
    let en = app.get_json("/api/v1/lead-statuses").await;
    let en_cancelled = en
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "cancelled")
        .unwrap();
    assert_ne!(cancelled["name"], en_cancelled["name"]);
}

async fn telephony_settings_start_off_and_are_saved_as_sent_r_x6(app: TestApp) {
    let s = app.get_json("/api/v1/settings/telephony").await;
    assert_eq!(s["missed_call_task"]["enabled"], false);
    assert_eq!(s["answered_call_lead"]["enabled"], false);
    assert_eq!(s["settle_seconds"], 5);
    assert_eq!(s["stale_call_hours"], 4);
    assert_eq!(s["recovery_window_days"], 7);
    let ann: Value = app
        .post(
            "/api/v1/employees",
            &json!({"name": "Ann", "email": "ann.s@example.com", "password": "password1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let lead_type = app.get_json("/api/v1/lead-types").await[0]["id"].clone();
    let mut wanted = s.clone();
    wanted["missed_call_task"] = json!({"enabled": true, "assignee_ids": [ann["id"], app.owner_id], "mode": "each",
        "due_in": {"days": 0, "hours": 2, "minutes": 0}, "link_order": true, "link_lead": true});
    wanted["answered_call_lead"] = json!({"enabled": true, "lead_type_id": lead_type, "manager_id": ann["id"], "notify_ids": [app.owner_id],
        "even_if_open_order": false, "even_if_open_lead": true});
    wanted["settle_seconds"] = json!(0);
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(&wanted)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, wanted);
}

async fn invalid_telephony_settings_are_refused_naming_the_field_and_nothing_changes_r_x6(
    app: TestApp,
) {
    let put = |body: Value| {
        app.http
            .put(app.url("/api/v1/settings/telephony"))
            .bearer_auth(&app.token)
            .json(&body)
            .send()
    };
    let before = app.get_json("/api/v1/settings/telephony").await;
    let ben: Value = app
        .post(
            "/api/v1/employees",
            &json!({"name": "Ben", "email": "ben.s@example.com", "password": "password1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    app.patch(
        &format!("/api/v1/employees/{}", ben["id"]),
        &json!({"active": false}),
    )
    .await;
    let with = |path: &[&str], v: Value| {
        let mut s = before.clone();
        let mut cur = &mut s;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[path[path.len() - 1]] = v;
        s
    };
    let task_with = |ids: Value| {
        with(
            &["missed_call_task"],
            json!({"enabled": true, "assignee_ids": ids, "mode": "shared",
            "due_in": {"days": 0, "hours": 1, "minutes": 0}, "link_order": false, "link_lead": false}),
        )
    };
    let cases = [
        (
            task_with(json!([999_999])),
            "missed_call_task.assignee_ids[0]",
        ),
        (
            task_with(json!([app.owner_id, ben["id"]])),
            "missed_call_task.assignee_ids[1]",
        ),
        (
            with(&["missed_call_task", "mode"], json!("both")),
            "missed_call_task.mode",
        ),
        (
            with(&["answered_call_lead", "enabled"], json!(true)),
            "answered_call_lead.lead_type_id",
        ),
        (
            with(&["missed_call_lead", "lead_type_id"], json!(999_999)),
            "missed_call_lead.lead_type_id",
        ),
        (with(&["settle_seconds"], json!(-1)), "settle_seconds"),
        (
            with(&["recovery_window_days"], json!(0)),
            "recovery_window_days",
        ),
        (with(&["surprise"], json!(1)), "surprise"),
    ];
    for (body, field) in cases {
        assert_error(
            put(body).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, before);
}

//! Issue 9's defects, each pinned by a test that failed before its fix.

use crate::helpers::{assert_error, ev, TestApp};
use crate::work::{ok, send};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    overdue_filters_are_applied_before_paging_so_pages_are_full_r_m4,
    a_telephony_settings_put_without_a_rule_block_is_refused_naming_it_r_x6,
    a_scalar_telephony_setting_left_out_keeps_its_current_value_r_x6,
    linking_a_client_keeps_the_leads_phone_when_it_is_the_clients_number_r_m5,
    an_order_typed_with_a_clients_number_is_in_the_newest_such_clients_history_r_p4_r_m6,
    an_operator_that_matches_no_one_is_accepted_and_shown_on_the_call_as_unmatched_r_c5,
    a_stored_value_the_code_does_not_understand_is_an_error_never_a_default,
);

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

// ----- defect: `overdue` filtered after LIMIT/OFFSET (R-M4) ----------------------------------

/// Reads every page of `path` (`limit` per page) and checks each one but the
/// last is full; returns the ids in page order.
async fn all_pages(app: &TestApp, path: &str, limit: usize) -> Vec<i64> {
    let mut out = vec![];
    for page in 0.. {
        let got = ids(&app
            .get_json(&format!("{path}&limit={limit}&offset={}", page * limit))
            .await);
        assert!(got.len() <= limit);
        out.extend(&got);
        if got.len() < limit {
            // The last page: the next one is empty.
            let next = app
                .get_json(&format!(
                    "{path}&limit={limit}&offset={}",
                    (page + 1) * limit
                ))
                .await;
            assert!(
                ids(&next).is_empty(),
                "{path}: a short page {page} before the end"
            );
            break;
        }
    }
    out
}

async fn overdue_filters_are_applied_before_paging_so_pages_are_full_r_m4(app: TestApp) {
    let statuses = app.get_json("/api/v1/lead-statuses").await;
    let won = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"] == "won" && s["key"].is_null())
        .unwrap()["id"]
        .clone();
    // Overdue and not overdue, interleaved (newest first is the default order).
    let mut overdue = vec![];
    let mut not_overdue = vec![];
    for i in 0..9 {
        let body = match i % 3 {
            0 | 1 => json!({"client_name": format!("Late {i}"), "due_at": "2020-01-01T00:00:00Z"}),
            _ if i == 5 => json!({"client_name": "No deadline"}),
            _ => json!({"client_name": format!("Later {i}"), "due_at": "2099-01-01T00:00:00Z"}),
        };
        let id = ok(&app, "POST", "/api/v1/leads", body).await["id"]
            .as_i64()
            .unwrap();
        if i % 3 == 2 {
            not_overdue.push(id);
        } else if i == 4 {
            // Past its deadline but won: not open, so not overdue (R-M4).
            ok(
                &app,
                "PATCH",
                &format!("/api/v1/leads/{id}"),
                json!({"status_id": won}),
            )
            .await;
            not_overdue.push(id);
        } else {
            overdue.push(id);
        }
    }
    overdue.reverse();
    not_overdue.reverse();
    assert_eq!(
        all_pages(&app, "/api/v1/leads?overdue=false", 2).await,
        not_overdue
    );
    assert_eq!(
        all_pages(&app, "/api/v1/leads?overdue=true", 2).await,
        overdue
    );
}

// ----- defect: PUT /settings/telephony with blocks left out (R-X6) ----------------------------

async fn put_telephony(app: &TestApp, body: Value) -> reqwest::Response {
    send(app, "PUT", "/api/v1/settings/telephony", body).await
}

/// Settings with every rule block and scalar away from its default.
async fn custom_settings(app: &TestApp) -> Value {
    let lead_type = app.get_json("/api/v1/lead-types").await[0]["id"].clone();
    let settings = json!({
        "missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id], "mode": "each",
                             "due_in": {"days": 1, "hours": 2, "minutes": 3}, "link_order": true, "link_lead": false},
        "answered_call_lead": {"enabled": true, "lead_type_id": lead_type, "manager_id": app.owner_id,
                               "notify_ids": [], "even_if_open_order": true, "even_if_open_lead": false},
        "missed_call_lead": {"enabled": true, "lead_type_id": lead_type, "manager_id": null,
                             "notify_ids": [app.owner_id], "even_if_open_order": false, "even_if_open_lead": true},
        "recovery_window_days": 30,
        "recover_only_answered": true,
        "inbound_answer_recovers": true,
        "reuse_unknown_caller_lead": true,
        "settle_seconds": 0,
        "stale_call_hours": 12,
        "business_hours": {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [], "wed": [],
                           "thu": [], "fri": [], "sat": [["10:00", "24:00"]], "sun": []},
        "callback_sla_minutes": 45,
        "service_level_seconds": 30
    });
    let r = put_telephony(app, settings.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, settings);
    settings
}

async fn a_telephony_settings_put_without_a_rule_block_is_refused_naming_it_r_x6(app: TestApp) {
    let settings = custom_settings(&app).await;
    for block in ["missed_call_task", "answered_call_lead", "missed_call_lead"] {
        let mut body = settings.clone();
        body.as_object_mut().unwrap().remove(block);
        assert_error(
            put_telephony(&app, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            block,
        )
        .await;
        assert_eq!(
            app.get_json("/api/v1/settings/telephony").await,
            settings,
            "without {block}: the rules stay as they were, due_in included"
        );
    }
}

async fn a_scalar_telephony_setting_left_out_keeps_its_current_value_r_x6(app: TestApp) {
    let settings = custom_settings(&app).await;
    // Only the blocks, with one rule switched off.
    let mut blocks = json!({
        "missed_call_task": settings["missed_call_task"],
        "answered_call_lead": {"enabled": false},
        "missed_call_lead": settings["missed_call_lead"],
    });
    let r = put_telephony(&app, blocks.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let mut wanted = settings.clone();
    wanted["answered_call_lead"] = json!({"enabled": false, "lead_type_id": null, "manager_id": null,
        "notify_ids": [], "even_if_open_order": false, "even_if_open_lead": false});
    assert_eq!(r.json::<Value>().await.unwrap(), wanted);
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, wanted);
    // One scalar sent changes that one only.
    blocks["stale_call_hours"] = json!(6);
    let r = put_telephony(&app, blocks).await;
    assert_eq!(r.status(), StatusCode::OK);
    wanted["stale_call_hours"] = json!(6);
    assert_eq!(app.get_json("/api/v1/settings/telephony").await, wanted);
}

// ----- defect: PATCH a lead with only client_id cleared its phone (R-M5) ----------------------

async fn linking_a_client_keeps_the_leads_phone_when_it_is_the_clients_number_r_m5(app: TestApp) {
    let client = ok(
        &app,
        "POST",
        "/api/v1/clients",
        json!({"name": "Halyna", "phones": [{"number": "0671234567", "kind": "mobile"}]}),
    )
    .await["id"]
        .clone();
    let lead = |name: &str, phone: &str| {
        let body = json!({"client_name": name, "phone": phone});
        let app = &app;
        async move { ok(app, "POST", "/api/v1/leads", body).await["id"].clone() }
    };
    // The lead's number is the client's: linking keeps it, the name is the client's.
    let id = lead("Someone", "067 123 45 67").await;
    let linked = ok(
        &app,
        "PATCH",
        &format!("/api/v1/leads/{id}"),
        json!({"client_id": client}),
    )
    .await;
    assert_eq!(linked["client_id"], client);
    assert_eq!(linked["client_name"], "Halyna");
    assert_eq!(linked["phone"], "067 123 45 67");
    let again = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(again["phone"], "067 123 45 67");
    // A later change of something else leaves it too.
    let changed = ok(
        &app,
        "PATCH",
        &format!("/api/v1/leads/{id}"),
        json!({"description": "Boiler"}),
    )
    .await;
    assert_eq!(changed["phone"], "067 123 45 67");
    // A number that is not the client's is replaced by the client profile.
    let other = lead("Someone else", "0501112233").await;
    let linked = ok(
        &app,
        "PATCH",
        &format!("/api/v1/leads/{other}"),
        json!({"client_id": client}),
    )
    .await;
    assert_eq!(linked["client_name"], "Halyna");
    assert_eq!(linked["phone"], Value::Null);
    // Created linked, with the client's number: kept as well.
    let created = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_id": client, "phone": "+380671234567"}),
    )
    .await;
    assert_eq!(created["client_name"], "Halyna");
    assert_eq!(created["phone"], "+380671234567");
}

// ----- defect: an order typed with a client's number was not the client's (R-P4, R-M6) --------

async fn an_order_typed_with_a_clients_number_is_in_the_newest_such_clients_history_r_p4_r_m6(
    app: TestApp,
) {
    let client = |name: &str, number: &str| {
        let body = json!({"name": name, "phones": [{"number": number, "kind": "mobile"}]});
        let app = &app;
        async move { ok(app, "POST", "/api/v1/clients", body).await["id"].clone() }
    };
    let older = client("Older", "0671234567").await;
    let newer = client("Newer", "067 123 45 67").await;
    let history_orders = |c: Value| {
        let app = &app;
        async move {
            app.get_json(&format!("/api/v1/clients/{c}/history"))
                .await
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["kind"] == "order")
                .map(|i| i["id"].clone())
                .collect::<Vec<Value>>()
        }
    };
    let out = ok(
        &app,
        "POST",
        "/api/v1/orders",
        json!({"phone": "+380671234567"}),
    )
    .await;
    let order = &out;
    assert_eq!(
        order["client_id"], newer,
        "R-P4: the newest client on the number"
    );
    assert_eq!(order["phone"], "+380671234567");
    assert_eq!(history_orders(newer.clone()).await, [order["id"].clone()]);
    assert!(history_orders(older.clone()).await.is_empty());
    // A client named in the request stays; a number of no client links none.
    let named = ok(
        &app,
        "POST",
        "/api/v1/orders",
        json!({"phone": "0671234567", "client_id": older}),
    )
    .await;
    assert_eq!(named["client_id"], older);
    assert_eq!(history_orders(older).await, [named["id"].clone()]);
    let nobody = ok(
        &app,
        "POST",
        "/api/v1/orders",
        json!({"phone": "0509990000"}),
    )
    .await;
    assert_eq!(nobody["client_id"], Value::Null);
}

// ----- defect: an `operator` matching no one left the call silently without one (R-C5) -------

async fn an_operator_that_matches_no_one_is_accepted_and_shown_on_the_call_as_unmatched_r_c5(
    app: TestApp,
) {
    let (emp, _) = app.add_employee(&[], &["101"]).await;
    let send_call = |call: &str, operator: &str| {
        let app = &app;
        let (call, operator) = (call.to_owned(), operator.to_owned());
        async move {
            for (i, state) in ["ringing", "answered"].iter().enumerate() {
                let mut e = ev(&format!("{call}-{i}"), &call, state, i as i64, "0671112233");
                e["operator"] = json!(operator);
                let r = app.event(e).await;
                assert_eq!(r.status(), StatusCode::ACCEPTED, "the call is not lost");
            }
            app.call_by_external(&call).await
        }
    };
    let unmatched = send_call("op-1", "205").await;
    assert_eq!(unmatched["operator_id"], Value::Null);
    assert_eq!(unmatched["operator_unmatched"], "205");
    assert_eq!(unmatched["state"], "answered");
    let listed = app.get_json("/api/v1/calls?external_id=op-1").await;
    assert_eq!(listed[0]["operator_unmatched"], "205");
    // An operator that matches is not "unmatched"; nor is a call naming none.
    let matched = send_call("op-2", "101").await;
    assert_eq!(matched["operator_id"], emp);
    assert_eq!(matched["operator_unmatched"], Value::Null);
    let r = app
        .event(ev("op-3-0", "op-3", "ringing", 0, "0671112233"))
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(
        app.call_by_external("op-3").await["operator_unmatched"],
        Value::Null
    );
    // The OpenAPI document describes the field.
    let doc = app.get_json("/api/v1/openapi.json").await;
    assert!(
        doc["components"]["schemas"]["CallOut"]["properties"]["operator_unmatched"].is_object(),
        "documented in OpenAPI"
    );
}

// ----- defect: 19 places fell back silently when a stored value did not decode ----------------

/// Damages one column of one row and reads the record back through the API:
/// before, each came back as a plausible default (a task `open`, a call
/// `failed` at 1970-01-01, a lead with no fields, a permission dropped);
/// now the read fails loudly (500, logged) and other records still read.
async fn a_stored_value_the_code_does_not_understand_is_an_error_never_a_default(app: TestApp) {
    use ringdesk_store::testing::{damage_value, RawValue};
    let damage =
        |place: (&'static str, &'static str, &'static str), id: i64, v: RawValue<'static>| {
            let app = &app;
            async move {
                damage_value(&app.store, app.company_id, place, id, v)
                    .await
                    .unwrap()
            }
        };
    let fails = |path: String| {
        let app = &app;
        async move {
            let r = app.get(&path).await;
            assert_error(r, StatusCode::INTERNAL_SERVER_ERROR, "internal error").await;
        }
    };
    // Each damaged record has an undamaged twin that still reads.
    let call = |name: &'static str| {
        let app = &app;
        async move {
            app.event(ev(&format!("{name}-0"), name, "ringing", 0, "0671112233"))
                .await;
            app.call_by_external(name).await["id"].as_i64().unwrap()
        }
    };
    let (bad_state, bad_time, good_call) =
        (call("dv-1").await, call("dv-2").await, call("dv-3").await);
    damage(
        ("call", "state", "call_id"),
        bad_state,
        RawValue::Text("teleported"),
    )
    .await;
    fails(format!("/api/v1/calls/{bad_state}")).await;
    damage(
        ("call", "first_seen_at", "call_id"),
        bad_time,
        RawValue::Int(i64::MAX),
    )
    .await;
    fails(format!("/api/v1/calls/{bad_time}")).await;
    app.get_json(&format!("/api/v1/calls/{good_call}")).await;

    let lead = |name: &'static str| {
        let app = &app;
        async move {
            ok(app, "POST", "/api/v1/leads", json!({"client_name": name})).await["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (bad_lead, good_lead) = (lead("Damaged").await, lead("Sound").await);
    damage(
        ("lead", "fields", "lead_id"),
        bad_lead,
        RawValue::Text("{oops"),
    )
    .await;
    fails(format!("/api/v1/leads/{bad_lead}")).await;
    app.get_json(&format!("/api/v1/leads/{good_lead}")).await;

    let task = |title: &'static str| {
        let app = &app;
        let owner = app.owner_id;
        async move {
            ok(
                app,
                "POST",
                "/api/v1/tasks",
                json!({"title": title, "assignee_ids": [owner]}),
            )
            .await[0]["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (bad_task, good_task) = (task("Damaged").await, task("Sound").await);
    damage(
        ("task", "status", "task_id"),
        bad_task,
        RawValue::Text("lost"),
    )
    .await;
    fails(format!("/api/v1/tasks/{bad_task}")).await;
    app.get_json(&format!("/api/v1/tasks/{good_task}")).await;

    let client = ok(
        &app,
        "POST",
        "/api/v1/clients",
        json!({"name": "Fax Owner", "phones": [{"number": "0501112233"}]}),
    )
    .await;
    let client = client["id"].as_i64().unwrap();
    damage(
        ("client_phone", "kind", "client_id"),
        client,
        RawValue::Text("fax"),
    )
    .await;
    fails(format!("/api/v1/clients/{client}")).await;

    // Last, as it spoils the whole list: a permission this version does not know.
    let (emp, _) = app.add_employee(&["view_clients"], &[]).await;
    damage(
        ("employee", "permissions", "employee_id"),
        emp,
        RawValue::Text("view_clients,fly"),
    )
    .await;
    fails("/api/v1/employees".to_owned()).await;
}

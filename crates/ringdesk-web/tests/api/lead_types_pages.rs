//! Settings > Lead types, statuses and status transfer rules (issue 11 item
//! 2; R-M2, R-M6) over plain HTTP with the cookie `Browser`: a type made and
//! its form fields edited on its pages, a bad field noted beside its row with
//! nothing saved, statuses added and renamed, transfer rules saved on the
//! matrix taking effect on the lead form, and the refusal for who lacks
//! `manage_settings` (R-T3).

use crate::helpers::TestApp;
use crate::work::ok;
use crate::work_pages::{employee_browser, submit};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    a_lead_type_is_made_and_its_form_fields_edited_on_its_pages_r_m2,
    a_bad_form_field_is_noted_beside_its_row_and_nothing_is_saved_r_m2,
    statuses_are_added_and_renamed_on_their_page_r_m2_r_m6,
    transfer_rules_saved_on_the_matrix_take_effect_on_the_lead_form_r_m2,
    the_lead_type_pages_give_the_apis_refusal_to_who_lacks_manage_settings_r_t3,
);

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn id_of(list: &Value, f: impl Fn(&Value) -> bool) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| f(v))
        .unwrap_or_else(|| panic!("none such in {list}"))["id"]
        .as_i64()
        .unwrap()
}

/// The text of the field note with `id`.
fn note_text<'a>(html: &'a str, id: &str) -> &'a str {
    let start = format!(r#"<p class="field-error" id="{id}">"#);
    let rest = html
        .split(&start)
        .nth(1)
        .unwrap_or_else(|| panic!("no note {id} in {html}"));
    &rest[..rest.find("</p>").unwrap()]
}

async fn a_lead_type_is_made_and_its_form_fields_edited_on_its_pages_r_m2(app: TestApp) {
    let mut b = app.owner_browser().await;
    let index = b.page("/settings").await;
    for href in [
        "/settings/lead-types",
        "/settings/statuses",
        "/settings/lead-transfers",
    ] {
        assert!(index.contains(&format!(r#"href="{href}""#)), "{href}");
    }
    // The new company's type is listed with its initial status and no fields.
    let statuses = app.get_json("/api/v1/lead-statuses").await;
    let types = app.get_json("/api/v1/lead-types").await;
    let first = &types[0];
    let html = b.page("/settings/lead-types").await;
    let row = html
        .split(&format!(r#"<tr id="lead-type-{}">"#, first["id"]))
        .nth(1)
        .expect("the company's type is listed");
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(first["name"].as_str().unwrap()), "{row}");
    assert!(row.contains(r#"data-fields="0""#), "{row}");
    assert!(html.contains(r#"<th scope="col">"#));
    // A new type, starting in the second status.
    let second = statuses[1]["id"].as_i64().unwrap();
    let r = submit(
        &mut b,
        "/settings/lead-types",
        &[
            ("name", "  Repair "),
            ("initial_status_id", &second.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let types = app.get_json("/api/v1/lead-types").await;
    let id = id_of(&types, |t| t["name"] == "Repair");
    assert_eq!(location(&r), format!("/settings/lead-types/{id}?m=added"));
    let t = types
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert_eq!(t["initial_status_id"], second);
    assert_eq!(t["fields"], json!([]));
    // Its page: no fields yet, two empty rows to add some.
    let path = format!("/settings/lead-types/{id}");
    let html = b.page(&format!("{path}?m=added")).await;
    assert!(html.contains(r#"id="flash""#));
    assert!(html.contains(r#"id="key_0""#) && html.contains(r#"id="key_1""#));
    assert!(!html.contains(r#"id="key_2""#));
    assert!(!html.contains(r#"id="remove_0""#), "nothing to remove yet");
    assert!(html.contains(r#"<label for="options_1">"#));
    // Two fields: a required text and a choice, its options separated by commas.
    let st = second.to_string();
    let r = submit(
        &mut b,
        &path,
        &[
            ("name", "Repair job"),
            ("initial_status_id", &st),
            ("key_0", "device"),
            ("label_0", "Device"),
            ("kind_0", "text"),
            ("required_0", "on"),
            ("options_0", ""),
            ("key_1", " brand "),
            ("label_1", "Brand"),
            ("kind_1", "choice"),
            ("options_1", "Apple, Samsung,  ,Xiaomi"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}?m=saved"));
    let t = app.get_json("/api/v1/lead-types").await;
    let t = t
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert_eq!(t["name"], "Repair job");
    assert_eq!(
        t["fields"],
        json!([
            {"key": "device", "label": "Device", "kind": "text", "required": true, "options": []},
            {"key": "brand", "label": "Brand", "kind": "choice", "required": false, "options": ["Apple", "Samsung", "Xiaomi"]},
        ])
    );
    let html = b.page(&format!("{path}?m=saved")).await;
    assert!(html.contains(r#"value="device""#));
    assert!(html.contains("Apple\nSamsung\nXiaomi</textarea>"), "{html}");
    assert!(html.contains(r#"id="remove_1""#) && !html.contains(r#"id="remove_2""#));
    assert!(html.contains(r#"id="key_3""#) && !html.contains(r#"id="key_4""#));
    assert!(html.contains(r#"<option value="choice" selected>"#));
    // The lead API checks leads of the type against its fields (R-M2).
    let r = app
        .post(
            "/api/v1/leads",
            &json!({"client_name": "Ola", "type_id": id, "fields": {"device": "Phone", "brand": "Nokia"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Remove the text field; options one per line may hold commas.
    let r = submit(
        &mut b,
        &path,
        &[
            ("name", "Repair job"),
            ("initial_status_id", &st),
            ("key_0", "device"),
            ("label_0", "Device"),
            ("kind_0", "text"),
            ("required_0", "on"),
            ("remove_0", "on"),
            ("key_1", "brand"),
            ("label_1", "Brand"),
            ("kind_1", "choice"),
            ("options_1", "Big, heavy\r\nSmall\r\n"),
            ("key_2", ""),
            ("label_2", ""),
            ("kind_2", "number"),
            ("options_2", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let t = app.get_json("/api/v1/lead-types").await;
    let t = t
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert_eq!(
        t["fields"],
        json!([{"key": "brand", "label": "Brand", "kind": "choice", "required": false, "options": ["Big, heavy", "Small"]}])
    );
    let lead = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Ola", "type_id": id, "fields": {"brand": "Big, heavy"}}),
    )
    .await;
    assert_eq!(lead["status_id"], second, "the type's initial status");
}

async fn a_bad_form_field_is_noted_beside_its_row_and_nothing_is_saved_r_m2(app: TestApp) {
    let statuses = app.get_json("/api/v1/lead-statuses").await;
    let st = statuses[0]["id"].as_i64().unwrap().to_string();
    let t = ok(
        &app,
        "POST",
        "/api/v1/lead-types",
        json!({"name": "Install", "initial_status_id": statuses[0]["id"],
               "fields": [{"key": "device", "label": "Device", "kind": "text"}]}),
    )
    .await;
    let id = t["id"].as_i64().unwrap();
    let before = app.get_json("/api/v1/lead-types").await;
    let path = format!("/settings/lead-types/{id}");
    let mut b = app.owner_browser().await;
    b.page(&path).await;
    let form = |second: [(&'static str, &'static str); 5]| {
        let mut f: Vec<(&str, &str)> = vec![
            ("name", "Changed"),
            ("initial_status_id", st.as_str()),
            ("key_0", "device"),
            ("label_0", "Device"),
            ("kind_0", "text"),
            ("options_0", ""),
        ];
        f.extend(second);
        f
    };
    // A key used twice: noted beside the second row, the form as typed.
    let r = submit(
        &mut b,
        &path,
        &form([
            ("key_1", "device"),
            ("label_1", "Again"),
            ("kind_1", "text"),
            ("options_1", ""),
            ("required_1", "on"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="form-errors""#));
    assert!(note_text(&html, "key_1-error").contains("each key only once"));
    assert!(html.contains(r#"aria-describedby="key_1-error""#));
    assert!(!html.contains(r#"id="key_0-error""#));
    assert!(html.contains(r#"value="Changed""#) && html.contains(r#"value="Again""#));
    assert!(html.contains(r#"id="required_1" name="required_1" value="on" checked"#));
    // A choice without options.
    let r = submit(
        &mut b,
        &path,
        &form([
            ("key_1", "colour"),
            ("label_1", "Colour"),
            ("kind_1", "choice"),
            ("options_1", " , "),
            ("required_1", "on"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert_eq!(
        note_text(&html, "options_1-error"),
        "A choice field needs its options."
    );
    // Options on a text field.
    let r = submit(
        &mut b,
        &path,
        &form([
            ("key_1", "size"),
            ("label_1", "Size"),
            ("kind_1", "text"),
            ("options_1", "S, M"),
            ("required_1", "on"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(note_text(&html, "options_1-error").starts_with("Only a choice field has options"));
    // A bad key after a removed row is noted beside its own row, not the first.
    let r = submit(
        &mut b,
        &path,
        &[
            ("name", "Changed"),
            ("initial_status_id", &st),
            ("key_0", "device"),
            ("label_0", "Device"),
            ("kind_0", "text"),
            ("remove_0", "on"),
            ("key_1", "Bad Key"),
            ("label_1", "Bad"),
            ("kind_1", "yes_no"),
            ("key_2", ""),
            ("label_2", "No key"),
            ("kind_2", "date"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="key_1-error""#), "{html}");
    assert!(!html.contains(r#"id="key_0-error""#));
    assert!(html.contains(r#"id="remove_0" name="remove_0" value="on" checked"#));
    // An empty name and an unknown kind, each noted; nothing saved.
    let r = submit(
        &mut b,
        &path,
        &[
            ("name", "   "),
            ("initial_status_id", "not a status"),
            ("key_0", "device"),
            ("label_0", "Device"),
            ("kind_0", "colour"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert_eq!(
        note_text(&html, "name-error"),
        "Enter a name of 1 to 100 characters."
    );
    assert!(html.contains(r#"id="initial_status_id-error""#));
    assert!(html.contains(r#"id="kind_0-error""#));
    // Another company's status, or one that does not exist: the store says no.
    let r = submit(
        &mut b,
        &path,
        &[
            ("name", "Changed"),
            ("initial_status_id", "987654321"),
            ("key_0", "device"),
            ("label_0", "Device"),
            ("kind_0", "text"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="initial_status_id-error""#));
    assert_eq!(
        app.get_json("/api/v1/lead-types").await,
        before,
        "nothing saved"
    );
    // A new type without a name: noted, none made.
    let r = submit(
        &mut b,
        "/settings/lead-types",
        &[("name", ""), ("initial_status_id", &st)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(r#"id="type-name-error""#));
    assert_eq!(app.get_json("/api/v1/lead-types").await, before);
    // A type that is not there.
    assert_eq!(
        b.get("/settings/lead-types/987654321").await.status(),
        StatusCode::NOT_FOUND
    );
    let r = submit(&mut b, "/settings/lead-types/987654321", &[("name", "X")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn statuses_are_added_and_renamed_on_their_page_r_m2_r_m6(app: TestApp) {
    let mut b = app.owner_browser().await;
    let leads = app.get_json("/api/v1/lead-statuses").await;
    let orders = app.get_json("/api/v1/order-statuses").await;
    let html = b.page("/settings/statuses").await;
    for s in leads.as_array().unwrap() {
        assert!(html.contains(&format!(r#"id="lead-status-{}""#, s["id"])));
    }
    for s in orders.as_array().unwrap() {
        assert!(html.contains(&format!(r#"id="order-status-{}""#, s["id"])));
    }
    assert!(html.contains("Closed successfully") && html.contains("In progress"));
    assert!(html.contains(r#"<span class="badge system">system</span>"#));
    assert!(html.contains(r#"<label class="sr-only" for="lead-status-"#));
    // A new lead status and a new work-order status.
    let r = submit(
        &mut b,
        "/settings/lead-statuses",
        &[("name", "Waiting for parts"), ("group", "in_progress")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/settings/statuses?m=added");
    let after = app.get_json("/api/v1/lead-statuses").await;
    let waiting = id_of(&after, |s| s["name"] == "Waiting for parts");
    let s = after
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == waiting)
        .unwrap();
    assert_eq!(s["group"], "in_progress");
    assert_eq!(s["key"], Value::Null);
    let r = submit(
        &mut b,
        "/settings/order-statuses",
        &[("name", "Delivered"), ("group", "closed_success")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after_orders = app.get_json("/api/v1/order-statuses").await;
    let delivered = id_of(&after_orders, |s| s["name"] == "Delivered");
    assert!(after_orders
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == delivered && s["group"] == "closed_success"));
    // A lead group is not a work order's; an empty name: noted, none made.
    let r = submit(
        &mut b,
        "/settings/order-statuses",
        &[("name", "Won?"), ("group", "won")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert_eq!(
        note_text(&html, "order-status-group-error"),
        "Choose one of the groups."
    );
    assert!(html.contains(r#"id="order-status-name" type="text" name="name" value="Won?""#));
    let r = submit(
        &mut b,
        "/settings/lead-statuses",
        &[("name", " "), ("group", "new")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="lead-status-name-error""#));
    assert_eq!(app.get_json("/api/v1/order-statuses").await, after_orders);
    assert_eq!(app.get_json("/api/v1/lead-statuses").await, after);
    // Renaming a system status keeps its key (R-M2).
    let cancelled = id_of(&after, |s| s["key"] == "cancelled");
    let r = submit(
        &mut b,
        &format!("/settings/lead-statuses/{cancelled}"),
        &[("name", "Annulled")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/settings/statuses?m=renamed");
    let renamed = app.get_json("/api/v1/lead-statuses").await;
    let s = renamed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == cancelled)
        .unwrap();
    assert_eq!(
        (&s["name"], &s["key"]),
        (&json!("Annulled"), &json!("cancelled"))
    );
    let r = submit(
        &mut b,
        &format!("/settings/order-statuses/{delivered}"),
        &[("name", "Handed over")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_json("/api/v1/order-statuses")
        .await
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == delivered && s["name"] == "Handed over"));
    // An empty name is noted beside that status; a status not there is 404.
    let r = submit(
        &mut b,
        &format!("/settings/lead-statuses/{waiting}"),
        &[("name", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!(r#"id="lead-status-{waiting}-name-error""#)));
    assert!(html.contains(&format!(
        r#"aria-describedby="lead-status-{waiting}-name-error""#
    )));
    let r = submit(
        &mut b,
        &format!("/settings/order-statuses/{waiting}9999"),
        &[("name", "Nope")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get_json("/api/v1/lead-statuses").await, renamed);
    let html = b.page("/settings/statuses?m=renamed").await;
    assert!(html.contains(r#"id="flash""#) && html.contains("Annulled"));
}

async fn transfer_rules_saved_on_the_matrix_take_effect_on_the_lead_form_r_m2(app: TestApp) {
    let st = app.get_json("/api/v1/lead-statuses").await;
    let lead = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Rita"}),
    )
    .await;
    let id = lead["id"].as_i64().unwrap();
    let from = lead["status_id"].as_i64().unwrap();
    let to = id_of(&st, |s| s["group"] == "in_progress" && s["id"] != from);
    let lost = id_of(&st, |s| s["group"] == "lost");
    let name = |id: i64| {
        st.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut b = app.owner_browser().await;
    let html = b.page("/settings/lead-transfers").await;
    assert!(html.contains("No rules are set: a lead may move from any status to any other."));
    assert!(html.contains(r#"data-rules="0""#));
    assert!(html.contains(&format!(
        r#"<label class="sr-only" for="t-{from}-{to}">From “{}” to “{}”</label>"#,
        name(from),
        name(to)
    )));
    assert!(html.contains(&format!(r#"<th scope="row">{}</th>"#, name(from))));
    assert_eq!(html.matches("checked>").count(), 0);
    // Leads in `from` may move only to `to`.
    let r = submit(
        &mut b,
        "/settings/lead-transfers",
        &[("rule", &format!("{from}:{to}"))],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/settings/lead-transfers?m=saved");
    assert_eq!(
        app.get_json("/api/v1/settings/lead-status-transfers").await,
        json!({"rules": [{"from_status_id": from, "to_status_ids": [to]}]})
    );
    let html = b.page("/settings/lead-transfers?m=saved").await;
    assert!(html.contains(r#"id="flash""#));
    assert!(html.contains("Moves out of 1 status are restricted."));
    assert!(html.contains(&format!(
        r#"id="t-{from}-{to}" name="rule" value="{from}:{to}" checked"#
    )));
    assert_eq!(html.matches("checked>").count(), 1);
    // The lead form refuses the forbidden move and makes the allowed one.
    let (_, mut e) = employee_browser(&app, &[]).await;
    e.page(&format!("/leads/{id}/edit")).await;
    let r = submit(
        &mut e,
        &format!("/leads/{id}/edit"),
        &[("status_id", &lost.to_string()), ("client_name", "Rita")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(note_text(&r.text().await.unwrap(), "status_id-error").contains("transfer rules"));
    assert_eq!(
        app.get_json(&format!("/api/v1/leads/{id}")).await["status_id"],
        from
    );
    // A value that is not a pair of ids, or a status not the company's: refused, nothing saved.
    let r = submit(&mut b, "/settings/lead-transfers", &[("rule", "x:y")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = submit(
        &mut b,
        "/settings/lead-transfers",
        &[("rule", &format!("{from}:987654321"))],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get_json("/api/v1/settings/lead-status-transfers").await["rules"][0]["to_status_ids"],
        json!([to])
    );
    let r = submit(
        &mut e,
        &format!("/leads/{id}/edit"),
        &[("status_id", &to.to_string()), ("client_name", "Rita")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // No box ticked: no rules, every move allowed again.
    let r = submit(&mut b, "/settings/lead-transfers", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json("/api/v1/settings/lead-status-transfers").await,
        json!({"rules": []})
    );
    let r = submit(
        &mut e,
        &format!("/leads/{id}/edit"),
        &[("status_id", &lost.to_string()), ("client_name", "Rita")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

async fn the_lead_type_pages_give_the_apis_refusal_to_who_lacks_manage_settings_r_t3(app: TestApp) {
    let types = app.get_json("/api/v1/lead-types").await;
    let type_id = types[0]["id"].as_i64().unwrap();
    let statuses = app.get_json("/api/v1/lead-statuses").await;
    let status_id = statuses[0]["id"].as_i64().unwrap();
    let transfers = app.get_json("/api/v1/settings/lead-status-transfers").await;
    let (_, mut p) = employee_browser(&app, &["view_clients", "manage_employees"]).await;
    p.page("/").await;
    let settings = p.page("/settings").await;
    assert!(!settings.contains(r#"href="/settings/lead-types""#));
    for path in [
        "/settings/lead-types".to_owned(),
        format!("/settings/lead-types/{type_id}"),
        "/settings/statuses".to_owned(),
        "/settings/lead-transfers".to_owned(),
    ] {
        let r = p.get(&path).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(
            r.text().await.unwrap().contains(r#"id="refusal""#),
            "{path}"
        );
    }
    for (path, form) in [
        (
            "/settings/lead-types".to_owned(),
            vec![("name", "Sneaky"), ("initial_status_id", "1")],
        ),
        (
            format!("/settings/lead-types/{type_id}"),
            vec![("name", "Sneaky")],
        ),
        (
            "/settings/lead-statuses".to_owned(),
            vec![("name", "Sneaky"), ("group", "new")],
        ),
        (
            format!("/settings/lead-statuses/{status_id}"),
            vec![("name", "Sneaky")],
        ),
        (
            "/settings/order-statuses".to_owned(),
            vec![("name", "Sneaky"), ("group", "new")],
        ),
        ("/settings/lead-transfers".to_owned(), vec![]),
    ] {
        let r = submit(&mut p, &path, &form).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    assert_eq!(app.get_json("/api/v1/lead-types").await, types);
    assert_eq!(app.get_json("/api/v1/lead-statuses").await, statuses);
    assert_eq!(
        app.get_json("/api/v1/settings/lead-status-transfers").await,
        transfers
    );
    assert!(!app
        .get_json("/api/v1/order-statuses")
        .await
        .to_string()
        .contains("Sneaky"));
    // An employee given manage_settings may use them.
    let (_, mut admin) = employee_browser(&app, &["manage_settings"]).await;
    let html = admin.page("/settings/lead-types").await;
    assert!(html.contains(r#"id="new-lead-type""#));
    admin.page("/settings/lead-transfers").await;
}

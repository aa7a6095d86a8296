//! The work pages of issue 11 over plain HTTP with the cookie `Browser`:
//! leads (R-M1, R-M2, R-M4, R-M5), calls (R-C5, R-A1…) and work orders (R-M6).

use crate::helpers::{ev, Browser, TestApp};
use crate::work::ok;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_leads_page_filters_sorts_and_shows_overdue_and_urgent_r_m1_r_m4,
    a_lead_is_created_and_edited_on_its_form_with_its_types_fields_r_m1_r_m2,
    a_refused_status_change_says_why_and_changes_nothing_r_m2,
    the_client_on_a_leads_number_is_offered_only_to_who_may_see_clients_r_m5,
    the_calls_page_filters_and_shows_only_the_calls_r_c5_allows,
    a_calls_page_shows_its_timeline_client_and_why_each_rule_acted_r_x5,
    a_work_order_is_made_on_its_page_offered_its_open_lead_and_moved_r_m6,
    the_work_orders_list_pages_newest_first_like_the_api,
);

pub(crate) async fn employee_browser(app: &TestApp, permissions: &[&str]) -> (i64, Browser) {
    let (id, email) = app.add_employee(permissions, &[]).await;
    let mut b = app.browser();
    let r = b.sign_in(&email, "employee pass 1").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    (id, b)
}

/// Sends a page's form as a browser does: its CSRF token, our origin.
pub(crate) async fn submit(
    b: &mut Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = b.csrf.clone().expect("a page was opened first");
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    let origin = b.base.clone();
    b.post_form(path, &all, Some(&origin)).await
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn lead_row<'a>(html: &'a str, id: &Value) -> Option<&'a str> {
    let start = html.find(&format!(r#"<tr id="lead-{id}">"#))?;
    Some(&html[start..start + html[start..].find("</tr>")?])
}

async fn statuses(app: &TestApp) -> Value {
    app.get_json("/api/v1/lead-statuses").await
}

fn status_by(list: &Value, f: impl Fn(&Value) -> bool) -> i64 {
    list.as_array().unwrap().iter().find(|s| f(s)).unwrap()["id"]
        .as_i64()
        .unwrap()
}

// ----- leads ------------------------------------------------------------------------------------

async fn the_leads_page_filters_sorts_and_shows_overdue_and_urgent_r_m1_r_m4(app: TestApp) {
    let past = (Timestamp::now() - SignedDuration::from_hours(2)).to_string();
    let future = (Timestamp::now() + SignedDuration::from_hours(48)).to_string();
    let urgent = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Urgent Ulla", "urgent": true, "due_at": future}),
    )
    .await;
    let late = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Late Lars", "due_at": past, "phone": "0671112233"}),
    )
    .await;
    let plain = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Plain Pia"}),
    )
    .await;
    let mut b = app.owner_browser().await;
    let all = b.page("/leads").await;
    for (lead, name) in [
        (&urgent, "Urgent Ulla"),
        (&late, "Late Lars"),
        (&plain, "Plain Pia"),
    ] {
        let row = lead_row(&all, &lead["id"]).unwrap_or_else(|| panic!("{name} listed"));
        assert!(row.contains(name), "{row}");
        assert!(row.contains(&format!(r#"href="/leads/{}/edit""#, lead["id"])));
    }
    // Newest first by default, as the API sorts.
    let at = |id: &Value| all.find(&format!(r#"id="lead-{id}""#)).unwrap();
    assert!(at(&plain["id"]) < at(&late["id"]) && at(&late["id"]) < at(&urgent["id"]));
    // R-M4: the overdue badge on the late one only; the urgent badge on the urgent one.
    let late_row = lead_row(&all, &late["id"]).unwrap();
    assert!(late_row.contains(r#"class="badge overdue""#), "{late_row}");
    assert!(!late_row.contains(r#"class="badge urgent""#));
    let urgent_row = lead_row(&all, &urgent["id"]).unwrap();
    assert!(
        urgent_row.contains(r#"class="badge urgent""#),
        "{urgent_row}"
    );
    assert!(!urgent_row.contains(r#"class="badge overdue""#));
    // The API's filters, as a GET form sends them (unchosen ones empty).
    let only = |html: &str, want: &[&Value]| {
        for lead in [&urgent, &late, &plain] {
            assert_eq!(
                lead_row(html, &lead["id"]).is_some(),
                want.iter().any(|w| w["id"] == lead["id"]),
                "{}",
                lead["client_name"]
            );
        }
    };
    let empty = "status_group=&manager_id=&source=&from=&to=&sort=-created_at";
    only(
        &b.page(&format!("/leads?overdue=true&urgent=&q=&{empty}"))
            .await,
        &[&late],
    );
    only(
        &b.page(&format!("/leads?overdue=&urgent=true&q=&{empty}"))
            .await,
        &[&urgent],
    );
    only(
        &b.page(&format!("/leads?overdue=&urgent=&q=Pia&{empty}"))
            .await,
        &[&plain],
    );
    only(&b.page("/leads?q=0671112233").await, &[&late]);
    only(&b.page("/leads?source=call_missed").await, &[]);
    only(
        &b.page("/leads?status_group=new").await,
        &[&urgent, &late, &plain],
    );
    let today = Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Kyiv").unwrap_or(jiff::tz::TimeZone::UTC))
        .date();
    only(
        &b.page(&format!("/leads?from={today}&to={today}")).await,
        &[&urgent, &late, &plain],
    );
    only(
        &b.page(&format!("/leads?from={}", today.tomorrow().unwrap()))
            .await,
        &[],
    );
    // Sorting by due date: the late one (soonest due) first.
    let due = b.page("/leads?sort=due_at").await;
    assert!(
        due.find(&format!(r#"id="lead-{}""#, late["id"])).unwrap()
            < due.find(&format!(r#"id="lead-{}""#, urgent["id"])).unwrap()
    );
    assert!(
        due.contains(r#"<option value="due_at" selected>"#),
        "the form keeps the choice"
    );
    // A value the API refuses is said, 422, nothing listed.
    let r = b.get("/leads?status_group=someday").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="filter-error""#) && html.contains("someday"),
        "{html}"
    );
    assert!(lead_row(&html, &plain["id"]).is_none());
}

async fn a_lead_is_created_and_edited_on_its_form_with_its_types_fields_r_m1_r_m2(app: TestApp) {
    let st = statuses(&app).await;
    let new = status_by(&st, |s| s["group"] == "new");
    let t = ok(
        &app,
        "POST",
        "/api/v1/lead-types",
        json!({"name": "Repair", "initial_status_id": new, "fields": [
        {"key": "device", "label": "Device", "kind": "text", "required": true},
        {"key": "brand", "label": "Brand", "kind": "choice", "options": ["Apple", "Samsung"]},
        {"key": "budget", "label": "Budget", "kind": "number"},
        {"key": "warranty", "label": "Warranty", "kind": "yes_no"}]}),
    )
    .await;
    let tid = t["id"].to_string();
    let mut b = app.owner_browser().await;
    let form = b.page(&format!("/leads/new?type={tid}")).await;
    assert!(
        form.contains(r#"name="fields.device""#),
        "the type's own fields"
    );
    assert!(form.contains(r#"<option value="Samsung">Samsung</option>"#));
    assert!(form.contains(r#"href="/clients/new""#), "+ Client (R-M5)");
    // Invalid: 422, the errors beside their fields, the input kept.
    let r = submit(
        &mut b,
        "/leads/new",
        &[
            ("type_id", &tid),
            ("status_id", &new.to_string()),
            ("client_name", "Nadia Novak"),
            ("phone", "not a phone"),
            ("fields.device", ""),
            ("fields.budget", "lots"),
            ("description", "Broken screen"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="phone-error""#), "{html}");
    assert!(html.contains(r#"id="fields.budget-error""#), "{html}");
    assert!(html.contains(r#"value="Nadia Novak""#) && html.contains("Broken screen"));
    let before = app.get_json("/api/v1/leads?q=Nadia").await;
    assert_eq!(before, json!([]), "nothing created");
    // The required field of the type, checked by the store (R-M2).
    let r = submit(
        &mut b,
        "/leads/new",
        &[
            ("type_id", &tid),
            ("status_id", &new.to_string()),
            ("client_name", "Nadia Novak"),
            ("phone", "0675550011"),
            ("fields.device", " "),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="fields.device-error""#));
    let r = submit(
        &mut b,
        "/leads/new",
        &[
            ("type_id", &tid),
            ("status_id", &new.to_string()),
            ("client_name", "Nadia Novak"),
            ("phone", "0675550011"),
            ("fields.device", "iPhone"),
            ("fields.brand", "Apple"),
            ("fields.budget", "150"),
            ("fields.warranty", "true"),
            ("due_at", "2030-01-02T10:30"),
            ("urgent", "true"),
            ("description", "Broken screen"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.ends_with("/edit?m=created"), "{to}");
    let id: i64 = to
        .trim_start_matches("/leads/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["client_name"], "Nadia Novak");
    assert_eq!(lead["type_id"], t["id"]);
    assert_eq!(
        lead["fields"],
        json!({"device": "iPhone", "brand": "Apple", "budget": 150, "warranty": true})
    );
    assert_eq!(lead["urgent"], true);
    assert_eq!(lead["manager_id"], Value::Null, "none chosen on the form");
    // The company's time zone (Europe/Kyiv is UTC+2 in January).
    assert_eq!(lead["due_at"], "2030-01-02T08:30:00Z");
    let page = b.page(&to).await;
    assert!(page.contains(r#"id="flash""#));
    assert!(page.contains(r#"value="2030-01-02T10:30""#), "{page}");
    assert!(page.contains(r#"<option value="Apple" selected>"#));
    // Edit: a changed name, a cleared optional field, another manager.
    let r = submit(
        &mut b,
        &format!("/leads/{id}/edit"),
        &[
            ("status_id", &new.to_string()),
            ("client_name", "Nadia Novak-Smith"),
            ("phone", "0675550011"),
            ("fields.device", "iPad"),
            ("fields.brand", ""),
            ("manager_id", &app.owner_id.to_string()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/leads/{id}/edit?m=saved"));
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["client_name"], "Nadia Novak-Smith");
    assert_eq!(lead["fields"], json!({"device": "iPad"}));
    assert_eq!(lead["urgent"], false);
    assert_eq!(lead["due_at"], Value::Null);
    assert_eq!(lead["manager_id"], app.owner_id);

    // The ad campaign and the location (R-M1's lists): chosen on the form,
    // an unknown one noted beside its field with nothing saved, and cleared.
    let campaign = ok(
        &app,
        "POST",
        "/api/v1/ad-campaigns",
        json!({"name": "Billboard"}),
    )
    .await;
    let place = ok(&app, "POST", "/api/v1/locations", json!({"name": "Podil"})).await;
    let form = b.page(&format!("/leads/{id}/edit")).await;
    assert!(
        form.contains(r#"name="ad_campaign_id""#) && form.contains(">Billboard</option>"),
        "{form}"
    );
    assert!(form.contains(r#"name="location_id""#) && form.contains(">Podil</option>"));
    let base = [
        ("status_id", new.to_string()),
        ("client_name", "Nadia Novak-Smith".to_owned()),
        ("phone", "0675550011".to_owned()),
        ("fields.device", "iPad".to_owned()),
    ];
    let mut bad: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    bad.push(("ad_campaign_id", "999999"));
    let r = submit(&mut b, &format!("/leads/{id}/edit"), &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="ad_campaign_id-error""#));
    let (cid, pid) = (campaign["id"].to_string(), place["id"].to_string());
    let mut good: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    good.push(("ad_campaign_id", &cid));
    good.push(("location_id", &pid));
    let r = submit(&mut b, &format!("/leads/{id}/edit"), &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["ad_campaign_id"], campaign["id"]);
    assert_eq!(lead["location_id"], place["id"]);
    let form = b.page(&format!("/leads/{id}/edit")).await;
    assert!(
        form.contains(&format!(
            r#"<option value="{cid}" selected>Billboard</option>"#
        )),
        "{form}"
    );
    let plain: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = submit(&mut b, &format!("/leads/{id}/edit"), &plain).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["ad_campaign_id"], Value::Null);
}

async fn a_refused_status_change_says_why_and_changes_nothing_r_m2(app: TestApp) {
    let st = statuses(&app).await;
    let new = status_by(&st, |s| s["group"] == "new");
    let in_progress = status_by(&st, |s| s["group"] == "in_progress");
    let lost = status_by(&st, |s| s["group"] == "lost");
    ok(
        &app,
        "PUT",
        "/api/v1/settings/lead-status-transfers",
        json!({"rules": [{"from_status_id": new, "to_status_ids": [in_progress]}]}),
    )
    .await;
    let lead = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Rita", "description": "As it was"}),
    )
    .await;
    let id = lead["id"].as_i64().unwrap();
    let (_, mut b) = employee_browser(&app, &[]).await;
    b.page(&format!("/leads/{id}/edit")).await;
    let r = submit(
        &mut b,
        &format!("/leads/{id}/edit"),
        &[
            ("status_id", &lost.to_string()),
            ("client_name", "Rita Changed"),
            ("description", "Changed too"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
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
    let note = html
        .split(r#"<p class="field-error" id="status_id-error">"#)
        .nth(1)
        .expect("the reason beside the status");
    let note = &note[..note.find("</p>").unwrap()];
    assert!(
        note.contains(&name(new)) && note.contains(&name(lost)) && note.contains("transfer rules"),
        "{note}"
    );
    assert!(html.contains(r#"aria-describedby="status_id-error""#));
    assert!(
        html.contains(r#"value="Rita Changed""#),
        "the input is kept"
    );
    let after = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(after["status_id"], new, "nothing changed");
    assert_eq!(after["client_name"], "Rita");
    assert_eq!(after["description"], "As it was");
    // In the employee's language (R-U6).
    let r = b
        .post_form(
            "/language",
            &[
                ("csrf_token", &b.csrf.clone().unwrap()),
                ("locale", "ru"),
                ("back", "/leads"),
            ],
            Some(&b.base.clone()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = submit(
        &mut b,
        &format!("/leads/{id}/edit"),
        &[("status_id", &lost.to_string()), ("client_name", "Rita")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("правила переходов статусов"));
    // An allowed move is made.
    let r = submit(
        &mut b,
        &format!("/leads/{id}/edit"),
        &[
            ("status_id", &in_progress.to_string()),
            ("client_name", "Rita"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json(&format!("/api/v1/leads/{id}")).await["status_id"],
        in_progress
    );
}

async fn the_client_on_a_leads_number_is_offered_only_to_who_may_see_clients_r_m5(app: TestApp) {
    let client = ok(&app, "POST", "/api/v1/clients",
        json!({"name": "Secret Client Name", "phones": [{"number": "0671234567", "kind": "mobile"}]})).await["id"].as_i64().unwrap();
    let (_, mut blind) = employee_browser(&app, &[]).await;
    blind.page("/leads/new").await;
    let r = submit(
        &mut blind,
        "/leads/new",
        &[("client_name", "Someone"), ("phone", "067 123 45 67")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = blind.page(&location(&r)).await;
    assert!(
        !html.contains("Secret Client Name"),
        "no client data without view_clients"
    );
    assert!(!html.contains(r#"id="client-suggestion""#));
    assert!(
        !html.contains(r#"href="/clients/new""#),
        "no + Client without view_clients"
    );
    let (_, mut seer) = employee_browser(&app, &["view_clients"]).await;
    seer.page("/leads/new").await;
    let r = submit(
        &mut seer,
        "/leads/new",
        &[("client_name", "Someone"), ("phone", "+380671234567")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    let id = to
        .trim_start_matches("/leads/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let html = seer.page(&to).await;
    let offer = html
        .split(r#"id="client-suggestion""#)
        .nth(1)
        .expect("offered");
    assert!(
        offer.contains("Secret Client Name")
            && offer.contains(&format!(r#"href="/clients/{client}""#))
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/leads/{id}")).await["client_id"],
        Value::Null,
        "offered, not linked"
    );
    let r = submit(
        &mut seer,
        &format!("/leads/{id}/link-client"),
        &[("client_id", &client.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lead = app.get_json(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["client_id"], client);
    assert_eq!(lead["client_name"], "Secret Client Name");
    let html = seer.page(&format!("/leads/{id}/edit")).await;
    assert!(
        !html.contains(r#"id="client-suggestion""#),
        "linked: no more offer"
    );
    assert!(html.contains(&format!(
        r#"<a href="/clients/{client}">Secret Client Name</a>"#
    )));
}

// ----- calls ------------------------------------------------------------------------------------

/// Posts a call's events in order, one second apart; `operator` on each when given.
pub(crate) async fn call(
    app: &TestApp,
    external: &str,
    from: &str,
    states: &[&str],
    operator: Option<&str>,
) -> Value {
    for (i, state) in states.iter().enumerate() {
        let mut e = ev(&format!("{external}-{i}"), external, state, i as i64, from);
        if let Some(o) = operator {
            e["operator"] = json!(o);
        }
        let r = app.event(e).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED, "{external} {state}");
    }
    app.store
        .run_due_jobs(Timestamp::now() + SignedDuration::from_secs(60))
        .await
        .unwrap();
    app.call_by_external(external).await
}

fn call_row<'a>(html: &'a str, id: &Value) -> Option<&'a str> {
    let start = html.find(&format!(r#"<tr id="call-{id}">"#))?;
    Some(&html[start..start + html[start..].find("</tr>")?])
}

async fn the_calls_page_filters_and_shows_only_the_calls_r_c5_allows(app: TestApp) {
    let (operator, mut b_op) = {
        let (id, email) = app.add_employee(&[], &["201"]).await;
        let mut b = app.browser();
        assert_eq!(
            b.sign_in(&email, "employee pass 1").await.status(),
            StatusCode::SEE_OTHER
        );
        (id, b)
    };
    let answered = call(
        &app,
        "pc-1",
        "0671110001",
        &["ringing", "answered", "completed"],
        Some("201"),
    )
    .await;
    let missed = call(&app, "pc-2", "0671110002", &["ringing", "no_answer"], None).await;
    assert_eq!(answered["operator_id"], operator);
    let mut owner = app.owner_browser().await;
    let all = owner.page("/calls").await;
    let a_row = call_row(&all, &answered["id"]).expect("the answered call");
    assert!(
        a_row.contains("Completed")
            && a_row.contains("Taras")
            && a_row.contains(&format!(r#"href="/calls/{}""#, answered["id"])),
        "{a_row}"
    );
    let m_row = call_row(&all, &missed["id"]).expect("the missed call");
    assert!(m_row.contains(r#"class="badge missed""#), "{m_row}");
    assert!(
        all.find(&format!(r#"id="call-{}""#, missed["id"]))
            < all.find(&format!(r#"id="call-{}""#, answered["id"])),
        "newest first"
    );
    // The API's filters, as the GET form sends them.
    let only = |html: &str, want: &[&Value]| {
        for c in [&answered, &missed] {
            assert_eq!(
                call_row(html, &c["id"]).is_some(),
                want.iter().any(|w| w["id"] == c["id"]),
                "{}",
                c["external_id"]
            );
        }
    };
    only(&owner.page("/calls?state=&direction=&missed=true&recovered=&operator_id=&from=&to=&external_id=").await, &[&missed]);
    only(&owner.page("/calls?missed=false").await, &[&answered]);
    only(
        &owner.page(&format!("/calls?operator_id={operator}")).await,
        &[&answered],
    );
    only(&owner.page("/calls?state=no_answer").await, &[&missed]);
    only(&owner.page("/calls?external_id=pc-1").await, &[&answered]);
    only(&owner.page("/calls?direction=outbound_manual").await, &[]);
    only(
        &owner.page("/calls?from=2026-06-19&to=2026-06-19").await,
        &[&answered, &missed],
    );
    only(&owner.page("/calls?from=2026-06-20").await, &[]);
    let r = owner.get("/calls?state=ringingish").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(r#"id="filter-error""#));
    // Paging by keyset, as the API pages: the calls before one.
    only(
        &owner
            .page(&format!("/calls?before_id={}", missed["id"]))
            .await,
        &[&answered],
    );
    // R-C5: without view_all_calls, only the calls routed to them — even when asking for others.
    let mine = b_op.page("/calls").await;
    only(&mine, &[&answered]);
    assert!(mine.contains(r#"id="calls-scope""#));
    assert!(!mine.contains(r#"name="operator_id""#));
    only(
        &b_op
            .page(&format!("/calls?operator_id={}", app.owner_id))
            .await,
        &[],
    );
    only(&b_op.page("/calls?missed=true").await, &[]);
    let r = b_op.get(&format!("/calls/{}", missed["id"])).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = b_op.get(&format!("/calls/{}", answered["id"])).await;
    assert_eq!(r.status(), StatusCode::OK);
    // With view_all_calls: all of them.
    let (_, mut b_all) = employee_browser(&app, &["view_all_calls"]).await;
    only(&b_all.page("/calls").await, &[&answered, &missed]);
}

async fn a_calls_page_shows_its_timeline_client_and_why_each_rule_acted_r_x5(app: TestApp) {
    let client = ok(
        &app,
        "POST",
        "/api/v1/clients",
        json!({"name": "Known Caller", "phones": [{"number": "0672223344", "kind": "mobile"}]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let c = call(&app, "pd-1", "0672223344", &["ringing", "cancelled"], None).await;
    assert_eq!(c["client_id"], client);
    let id = c["id"].clone();
    let mut b = app.owner_browser().await;
    let html = b.page(&format!("/calls/{id}")).await;
    let timeline = html
        .split(r#"id="call-timeline""#)
        .nth(1)
        .expect("a timeline");
    let ringing = timeline.find("Ringing").expect("ringing");
    let cancelled = timeline.find("Cancelled").expect("cancelled");
    assert!(ringing < cancelled, "earliest first");
    assert!(
        html.contains(&format!(r#"<a href="/clients/{client}">Known Caller</a>"#)),
        "the caller's client"
    );
    // R-X5: each rule, its outcome and why, in the page's language.
    let auto = html
        .split(r#"id="call-automation""#)
        .nth(1)
        .expect("the automation record");
    for (rule, reason) in [
        ("missed_call_task", "the rule is switched off"),
        ("answered_call_lead", "the call was not answered"),
        ("missed_call_lead", "the rule is switched off"),
    ] {
        let item = auto
            .split(&format!(r#"id="rule-{rule}""#))
            .nth(1)
            .unwrap_or_else(|| panic!("{rule}"));
        let item = &item[..item.find("</li>").unwrap()];
        assert!(
            item.contains("not made") && item.contains(reason),
            "{rule}: {item}"
        );
    }
    let r = b
        .post_form(
            "/language",
            &[
                ("csrf_token", &b.csrf.clone().unwrap()),
                ("locale", "ru"),
                ("back", "/calls"),
            ],
            Some(&b.base.clone()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = b.page(&format!("/calls/{id}")).await;
    assert!(
        html.contains("правило выключено") && html.contains("звонок не был принят"),
        "in Russian"
    );
    // Without view_clients the client is not named; with view_all_calls the call is seen.
    let (_, mut blind) = employee_browser(&app, &["view_all_calls"]).await;
    let html = blind.page(&format!("/calls/{id}")).await;
    assert!(!html.contains("Known Caller"));
    assert!(!html.contains(&format!(r#"href="/clients/{client}""#)));
    // Rules on: what they made is linked, and the lead links back to its call.
    let t = app.get_json("/api/v1/lead-types").await[0]["id"].clone();
    ok(
        &app,
        "PUT",
        "/api/v1/settings/telephony",
        json!({
        "missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]},
        "missed_call_lead": {"enabled": true, "lead_type_id": t},
        "answered_call_lead": {"enabled": false}, "settle_seconds": 0}),
    )
    .await;
    let c3 = call(&app, "pd-3", "0672223344", &["ringing", "no_answer"], None).await;
    let html = b.page(&format!("/calls/{}", c3["id"])).await;
    let lead_rule = html
        .split(r#"id="rule-missed_call_lead""#)
        .nth(1)
        .expect("the lead rule");
    let lead_rule = &lead_rule[..lead_rule.find("</li>").unwrap()];
    let lead_id = app
        .get_json(&format!("/api/v1/leads?call_id={}", c3["id"]))
        .await[0]["id"]
        .clone();
    assert!(
        lead_rule.starts_with(r#" data-outcome="created""#),
        "{lead_rule}"
    );
    assert!(
        lead_rule.contains(&format!(r#"href="/leads/{lead_id}/edit""#)),
        "{lead_rule}"
    );
    let task_rule = html.split(r#"id="rule-missed_call_task""#).nth(1).unwrap();
    assert!(task_rule[..task_rule.find("</li>").unwrap()].contains(r#"href="/tasks""#));
    let lead_page = b.page(&format!("/leads/{lead_id}/edit")).await;
    assert!(lead_page
        .split(r#"id="lead-calls""#)
        .nth(1)
        .expect("the lead's calls")
        .contains(&format!(r#"href="/calls/{}""#, c3["id"])));
    // A call still in progress: each rule waits.
    assert_eq!(
        app.event(ev("pd-2-0", "pd-2", "ringing", 0, "0672223344"))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let c = app.call_by_external("pd-2").await;
    let html = b.page(&format!("/calls/{}", c["id"])).await;
    assert!(
        html.contains(r#"data-outcome="pending""#) && html.contains("звонок ещё идёт"),
        "{html}"
    );
}

// ----- work orders ------------------------------------------------------------------------------

async fn a_work_order_is_made_on_its_page_offered_its_open_lead_and_moved_r_m6(app: TestApp) {
    let lead = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Buyer Bo", "phone": "0671119988"}),
    )
    .await;
    let other = ok(
        &app,
        "POST",
        "/api/v1/leads",
        json!({"client_name": "Someone Else", "phone": "0671110000"}),
    )
    .await;
    let order_statuses = app.get_json("/api/v1/order-statuses").await;
    let in_progress = status_by(&order_statuses, |s| s["group"] == "in_progress");
    let (_, mut b) = employee_browser(&app, &[]).await;
    let form = b.page("/orders/new").await;
    assert!(form.contains(r#"id="order-form""#));
    // Invalid: 422, the input kept, nothing made.
    let r = submit(
        &mut b,
        "/orders/new",
        &[("phone", "no phone at all"), ("status_id", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="phone-error""#) && html.contains(r#"value="no phone at all""#),
        "{html}"
    );
    assert_eq!(app.get_json("/api/v1/orders").await, json!([]));
    let r = submit(&mut b, "/orders/new", &[("phone", "067 111 99 88")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.ends_with("?m=created"), "{to}");
    let id: i64 = to
        .trim_start_matches("/orders/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // R-M6: the open lead on its number is offered, not the other one.
    let html = b.page(&to).await;
    let offer = html
        .split(r#"id="lead-suggestion""#)
        .nth(1)
        .expect("an offer");
    assert!(
        offer.contains(&format!(r#"id="offer-{}""#, lead["id"])),
        "{offer}"
    );
    assert!(!offer.contains(&format!(r#"id="offer-{}""#, other["id"])));
    let r = submit(
        &mut b,
        &format!("/orders/{id}/link-lead"),
        &[("lead_id", &lead["id"].to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/orders/{id}?m=linked"));
    let o = app.get_json(&format!("/api/v1/orders/{id}")).await;
    assert_eq!(o["lead_id"], lead["id"]);
    let statuses = statuses(&app).await;
    let won = status_by(&statuses, |s| s["key"] == "order_successful");
    assert_eq!(
        app.get_json(&format!("/api/v1/leads/{}", lead["id"])).await["status_id"],
        won
    );
    let html = b.page(&format!("/orders/{id}")).await;
    assert!(
        !html.contains(r#"id="lead-suggestion""#),
        "linked: no more offer"
    );
    assert!(html
        .split(r#"id="order-lead""#)
        .nth(1)
        .unwrap()
        .contains("Buyer Bo"));
    // The status change, and a refused one said beside the field with nothing changed.
    let r = submit(
        &mut b,
        &format!("/orders/{id}/status"),
        &[("status_id", "999999")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(r#"id="status_id-error""#));
    let before = app.get_json(&format!("/api/v1/orders/{id}")).await["status_id"].clone();
    assert_ne!(before, in_progress);
    let r = submit(
        &mut b,
        &format!("/orders/{id}/status"),
        &[("status_id", &in_progress.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json(&format!("/api/v1/orders/{id}")).await["status_id"],
        in_progress
    );
    // The list.
    let list = b.page("/orders").await;
    let row = list
        .split(&format!(r#"<tr id="order-{id}">"#))
        .nth(1)
        .expect("listed");
    assert!(
        row.contains(&format!(r#"href="/orders/{id}""#))
            && row.contains(&format!(r#"href="/leads/{}/edit""#, lead["id"]))
    );
}

async fn the_work_orders_list_pages_newest_first_like_the_api(app: TestApp) {
    let mut ids = vec![];
    for i in 0..55 {
        let o = ok(
            &app,
            "POST",
            "/api/v1/orders",
            json!({"phone": format!("06711{i:05}")}),
        )
        .await;
        ids.push(o["id"].as_i64().unwrap());
    }
    let mut b = app.owner_browser().await;
    let html = b.page("/orders").await;
    // The newest 50, and a link to the older ones.
    assert!(html.contains(&format!(r#"id="order-{}""#, ids[54])));
    assert!(html.contains(&format!(r#"id="order-{}""#, ids[5])));
    assert!(!html.contains(&format!(r#"id="order-{}""#, ids[4])));
    let older = format!("/orders?before_id={}", ids[5]);
    assert!(html.contains(&format!(r#"href="{older}""#)), "{html}");
    assert!(!html.contains(r#"id="newest""#));
    let html = b.page(&older).await;
    assert!(html.contains(&format!(r#"id="order-{}""#, ids[4])));
    assert!(html.contains(&format!(r#"id="order-{}""#, ids[0])));
    assert!(!html.contains(&format!(r#"id="order-{}""#, ids[5])));
    assert!(html.contains(r#"id="newest""#) && !html.contains(r#"id="older""#));
    // The API pages the same way.
    let page = app
        .get_json(&format!("/api/v1/orders?before_id={}&limit=3", ids[5]))
        .await;
    let got: Vec<i64> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, [ids[4], ids[3], ids[2]]);
}

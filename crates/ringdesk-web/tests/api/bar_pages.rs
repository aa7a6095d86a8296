//! The call bar's fragments (R-U1, R-U7), Edit contact (R-C6), the client
//! pages (R-P1, R-T3) and the quote pages (R-M7, R-U2) over plain HTTP with
//! `Browser` (cookies, CSRF tokens, no redirects).

use crate::helpers::{ev, Browser, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_call_bar_shows_a_ringing_call_to_its_operator_only_and_goes_when_it_ends_r_u1_r_c5,
    an_unassigned_ringing_call_shows_to_view_all_calls_and_an_answered_one_to_its_operator_r_u1,
    edit_contact_lists_the_numbers_clients_and_relinks_the_call_with_an_audit_entry_r_c6,
    client_pages_list_search_create_and_edit_with_errors_beside_fields_r_p1,
    client_pages_need_view_clients_as_the_api_does_r_t3,
    the_client_profile_shows_phones_history_and_the_calls_work_r_p1_r_u5,
    the_incoming_call_button_makes_the_quote_from_the_active_call_r_u2_r_m7,
    a_quote_is_built_by_hand_and_converted_to_a_work_order_r_m7,
    signed_in_pages_load_the_call_bar_script_r_u1,
);

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut b = app.browser();
    let r = b.sign_in(email, password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signing in {email}");
    b
}

async fn client(app: &TestApp, name: &str, number: &str) -> i64 {
    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": name, "phones": [{"number": number}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn event(app: &TestApp, body: Value) {
    let r = app.event(body).await;
    assert_eq!(
        r.status(),
        StatusCode::ACCEPTED,
        "{}",
        r.text().await.unwrap()
    );
}

fn ringing(id: &str, from: &str, operator: Option<&str>) -> Value {
    let mut e = ev(&format!("{id}-ring"), id, "ringing", 0, from);
    if let Some(o) = operator {
        e["operator"] = json!(o);
    }
    e
}

async fn status_of(b: &mut Browser, path: &str) -> StatusCode {
    b.get(path).await.status()
}

async fn the_call_bar_shows_a_ringing_call_to_its_operator_only_and_goes_when_it_ends_r_u1_r_c5(
    app: TestApp,
) {
    client(&app, "Maria Petrenko", "067 123 45 67").await;
    let (_, mine) = app.add_employee(&["view_clients"], &["201"]).await;
    let (_, other) = app.add_employee(&["view_clients"], &["202"]).await;
    event(&app, ringing("bar-1", "0671234567", Some("201"))).await;
    let call = app.call_by_external("bar-1").await;
    let id = call["id"].as_i64().unwrap();

    let mut a = sign_in(&app, &mine, "employee pass 1").await;
    let html = a.page("/call-bar").await;
    assert!(html.contains(&format!(r#"id="call-{id}""#)), "{html}");
    // The client's name, with the raw number as its title (R-U7).
    assert!(
        html.contains(r#"title="0671234567">Maria Petrenko</strong>"#),
        "{html}"
    );
    assert!(html.contains(r#"data-state="ringing""#));
    assert!(html.contains(">Ringing<"));
    assert!(html.contains(">Dismiss</button>"));
    assert!(html.contains(&format!(r#"href="/calls/{id}/contact""#)));
    assert_eq!(
        status_of(&mut a, &format!("/call-bar/{id}")).await,
        StatusCode::OK
    );

    // Another operator without view_all_calls, and the owner (the call is routed to 201): nothing.
    let mut b = sign_in(&app, &other, "employee pass 1").await;
    assert!(!b.page("/call-bar").await.contains("call-item"));
    assert_eq!(
        status_of(&mut b, &format!("/call-bar/{id}")).await,
        StatusCode::NOT_FOUND
    );
    let mut o = app.owner_browser().await;
    assert!(!o.page("/call-bar").await.contains("call-item"));

    // Answered by 201: "In call"; ended: gone.
    let mut ans = ev("bar-1-ans", "bar-1", "answered", 5, "0671234567");
    ans["operator"] = json!("201");
    event(&app, ans).await;
    let html = a.page(&format!("/call-bar/{id}")).await;
    assert!(
        html.contains(r#"data-state="answered""#) && html.contains(">In call<"),
        "{html}"
    );
    event(
        &app,
        ev("bar-1-end", "bar-1", "completed", 60, "0671234567"),
    )
    .await;
    assert_eq!(
        status_of(&mut a, &format!("/call-bar/{id}")).await,
        StatusCode::NOT_FOUND
    );
    assert!(!a.page("/call-bar").await.contains("call-item"));
}

async fn an_unassigned_ringing_call_shows_to_view_all_calls_and_an_answered_one_to_its_operator_r_u1(
    app: TestApp,
) {
    let (_, operator) = app.add_employee(&[], &["201"]).await;
    // An unknown number: the raw number is the name too.
    event(&app, ringing("bar-2", "0509998877", None)).await;
    let id = app.call_by_external("bar-2").await["id"].as_i64().unwrap();
    let mut o = app.owner_browser().await;
    let html = o.page("/call-bar").await;
    assert!(
        html.contains(r#"title="0509998877">0509998877</strong>"#),
        "{html}"
    );
    let mut a = sign_in(&app, &operator, "employee pass 1").await;
    assert!(!a.page("/call-bar").await.contains("call-item"));
    // Answered by 201: now it is theirs alone; without view_clients, no client actions.
    let mut ans = ev("bar-2-ans", "bar-2", "answered", 5, "0509998877");
    ans["operator"] = json!("201");
    event(&app, ans).await;
    let html = a.page("/call-bar").await;
    assert!(html.contains(&format!(r#"id="call-{id}""#)), "{html}");
    assert!(!html.contains("/contact"), "{html}");
    assert_eq!(
        status_of(&mut o, &format!("/call-bar/{id}")).await,
        StatusCode::NOT_FOUND
    );
}

async fn edit_contact_lists_the_numbers_clients_and_relinks_the_call_with_an_audit_entry_r_c6(
    app: TestApp,
) {
    let first = client(&app, "Ivan Shevchenko", "067 555 11 22").await;
    let second = client(&app, "Ivan's Garage", "067 555 11 22").await;
    let other = client(&app, "Oksana Koval", "044 222 33 44").await;
    event(&app, ringing("bar-3", "0675551122", None)).await;
    let call = app.call_by_external("bar-3").await;
    let id = call["id"].as_i64().unwrap();
    assert_eq!(call["client_match"], "many");

    let mut o = app.owner_browser().await;
    // Both clients on the number are offered; the search finds others by name and by number.
    let html = o.page(&format!("/calls/{id}/contact")).await;
    assert!(
        html.contains(&format!(r#"value="{first}""#))
            && html.contains(&format!(r#"value="{second}""#)),
        "{html}"
    );
    assert!(!html.contains(&format!(r#"value="{other}""#)));
    let html = o.page(&format!("/calls/{id}/contact?q=oksana")).await;
    assert!(html.contains(&format!(r#"value="{other}""#)), "{html}");
    let html = o
        .page(&format!("/calls/{id}/contact?q=044+222+33+44"))
        .await;
    assert!(html.contains(&format!(r#"value="{other}""#)), "{html}");

    let csrf = o.csrf.clone().unwrap();
    let origin = o.base.clone();
    let r = o
        .post_form(
            &format!("/calls/{id}/contact"),
            &[("csrf_token", &csrf), ("client_id", &second.to_string())],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/clients/{second}?m=relinked").as_str()
    );
    let call = app.get_json(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(call["client_id"], json!(second));
    assert_eq!(call["client_match"], "one");
    // The bar shows the new client from then on, and the change is recorded.
    let bar = o.page(&format!("/call-bar/{id}")).await;
    assert!(bar.contains(">Ivan's Garage</strong>"), "{bar}");
    let log = app.get_json("/api/v1/audit-log").await;
    assert!(log.to_string().contains("call.contact_changed"), "{log}");
    // A client of no one (or of another company) is not found.
    let r = o
        .post_form(
            &format!("/calls/{id}/contact"),
            &[("csrf_token", &csrf), ("client_id", "999999")],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn client_pages_list_search_create_and_edit_with_errors_beside_fields_r_p1(app: TestApp) {
    client(&app, "Petro Bondar", "050 111 22 33").await;
    let mut o = app.owner_browser().await;
    let html = o.page("/clients/new").await;
    assert!(html.contains(r#"name="name""#) && html.contains(r#"name="phone_0""#));
    let csrf = o.csrf.clone().unwrap();
    let origin = o.base.clone();
    // Errors beside the fields, the typed values kept.
    let r = o
        .post_form(
            "/clients/new",
            &[
                ("csrf_token", &csrf),
                ("name", "  "),
                ("phone_0", "no digits"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="name-error""#), "{html}");
    assert!(html.contains(r#"id="phone_0-error""#), "{html}");
    assert!(html.contains(r#"aria-describedby="phone_0-error""#));
    assert!(html.contains(r#"value="no digits""#));
    // Valid: created, and the profile says so.
    let r = o
        .post_form(
            "/clients/new",
            &[
                ("csrf_token", &csrf),
                ("name", "Nadia Lysenko"),
                ("phone_0", "067 765 43 21"),
                ("phone_kind_0", "mobile"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location
        .trim_start_matches("/clients/")
        .trim_end_matches("?m=created")
        .parse()
        .unwrap();
    let c = app.get_json(&format!("/api/v1/clients/{id}")).await;
    assert_eq!(c["name"], "Nadia Lysenko");
    assert_eq!(c["phones"][0]["e164"], "+380677654321");
    assert_eq!(c["phones"][0]["kind"], "mobile");
    assert!(o.page(&location).await.contains("The client is saved."));
    // The list, and the search by name or by any number.
    let html = o.page("/clients").await;
    assert!(html.contains("Nadia Lysenko") && html.contains("Petro Bondar"));
    let html = o.page("/clients?q=lysenko").await;
    assert!(
        html.contains("Nadia Lysenko") && !html.contains("Petro Bondar"),
        "{html}"
    );
    let html = o.page("/clients?q=%2B380501112233").await;
    assert!(
        html.contains("Petro Bondar") && !html.contains("Nadia Lysenko"),
        "{html}"
    );
    let html = o.page("/clients?q=nobody+at+all").await;
    assert!(html.contains(r#"id="no-clients""#));
    // Edit: the name and the phones replaced.
    let html = o.page(&format!("/clients/{id}/edit")).await;
    assert!(html.contains(r#"value="Nadia Lysenko""#));
    let r = o
        .post_form(
            &format!("/clients/{id}/edit"),
            &[
                ("csrf_token", &csrf),
                ("name", "Nadia Lysenko-Koval"),
                ("phone_0", "044 333 22 11"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = app.get_json(&format!("/api/v1/clients/{id}")).await;
    assert_eq!(c["name"], "Nadia Lysenko-Koval");
    assert_eq!(c["phones"].as_array().unwrap().len(), 1);
    assert_eq!(c["phones"][0]["kind"], "phone");

    // Branches and contacts (R-P1): added on the form, a bad number noted
    // beside its cell with nothing saved, then saved and shown on the profile.
    let html = o.page(&format!("/clients/{id}/edit")).await;
    assert!(
        html.contains(r#"name="branch_0_name""#) && html.contains(r#"name="contact_0_mobile""#),
        "{html}"
    );
    let edit = format!("/clients/{id}/edit");
    let with = |rows: &[(&'static str, &'static str)]| {
        let mut all = vec![
            ("csrf_token", csrf.clone()),
            ("name", "Nadia Lysenko-Koval".to_owned()),
            ("phone_0", "044 333 22 11".to_owned()),
        ];
        all.extend(rows.iter().map(|(k, v)| (*k, (*v).to_owned())));
        all
    };
    let branch = [
        ("branch_0_name", "Podil workshop"),
        ("branch_0_phone", "044 555 66 77"),
    ];
    let contact = |mobile: &'static str| {
        [
            ("contact_0_name", "Andrii (manager)"),
            ("contact_0_mobile", mobile),
        ]
    };
    let mut save = async |fields: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        o.post_form(&edit, &pairs, Some(&origin)).await
    };
    let r = save(with(&[branch, contact("no digits")].concat())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="contact_0_mobile-error""#), "{html}");
    assert!(html.contains(r#"value="Podil workshop""#), "{html}");
    let c = app.get_json(&format!("/api/v1/clients/{id}")).await;
    assert_eq!(c["branches"], json!([]));
    let r = save(with(&[branch, contact("067 000 11 22")].concat())).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = app.get_json(&format!("/api/v1/clients/{id}")).await;
    assert_eq!(c["branches"][0]["name"], "Podil workshop");
    assert_eq!(c["contacts"][0]["name"], "Andrii (manager)");
    assert!(
        c["contacts"][0]["mobile"].as_str().unwrap().contains("067"),
        "{c}"
    );
    // Emptying a row removes it.
    let r = save(with(&contact("067 000 11 22"))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = app.get_json(&format!("/api/v1/clients/{id}")).await;
    assert_eq!(c["branches"], json!([]));
    assert_eq!(c["contacts"].as_array().unwrap().len(), 1);
    let html = o.page(&format!("/clients/{id}")).await;
    assert!(html.contains("Andrii (manager)") && !html.contains("Podil workshop"));
    // The edit form offers the stored rows and one empty row.
    let html = o.page(&edit).await;
    assert!(
        html.contains(r#"name="contact_1_name""#) && !html.contains(r#"name="contact_2_name""#)
    );
    assert!(html.contains(r#"name="branch_0_name""#) && !html.contains(r#"name="branch_1_name""#));
}

async fn client_pages_need_view_clients_as_the_api_does_r_t3(app: TestApp) {
    let id = client(&app, "Petro Bondar", "050 111 22 33").await;
    let (_, email) = app.add_employee(&[], &[]).await;
    let mut b = sign_in(&app, &email, "employee pass 1").await;
    for path in [
        "/clients".to_owned(),
        "/clients/new".to_owned(),
        format!("/clients/{id}"),
        format!("/clients/{id}/edit"),
    ] {
        assert_eq!(
            status_of(&mut b, &path).await,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let r = b.api("GET", "/api/v1/clients", None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A client of another company is not found.
    let mut o = app.owner_browser().await;
    assert_eq!(
        status_of(&mut o, "/clients/999999").await,
        StatusCode::NOT_FOUND
    );
}

async fn the_client_profile_shows_phones_history_and_the_calls_work_r_p1_r_u5(app: TestApp) {
    let id = client(&app, "Maria Petrenko", "067 123 45 67").await;
    let order: Value = app
        .post("/api/v1/orders", &json!({"client_id": id}))
        .await
        .json()
        .await
        .unwrap();
    event(&app, ringing("bar-4", "0671234567", None)).await;
    let call_id = app.call_by_external("bar-4").await["id"].as_i64().unwrap();
    let mut o = app.owner_browser().await;
    let html = o.page(&format!("/clients/{id}")).await;
    assert!(
        html.contains(r#"id="client-name">Maria Petrenko<"#),
        "{html}"
    );
    assert!(html.contains("067 123 45 67"));
    assert!(html.contains(&format!(r#"href="/orders/{}""#, order["id"])));
    assert!(
        html.contains(r#"id="client-history""#) && html.contains(r#"data-kind="call""#),
        "{html}"
    );
    assert!(html.contains(r#"id="quote-builder""#));
    // The bar names the client's open work order and its status (is the repair ready?).
    let bar = o.page(&format!("/call-bar/{call_id}")).await;
    let number = order["number"].as_str().unwrap();
    assert!(bar.contains(&format!("Work order {number}")), "{bar}");
    assert!(bar.contains(&format!(r#"href="/clients/{id}""#)), "{bar}");
}

async fn the_incoming_call_button_makes_the_quote_from_the_active_call_r_u2_r_m7(app: TestApp) {
    let id = client(&app, "Maria Petrenko", "067 123 45 67").await;
    let mut o = app.owner_browser().await;
    // No active call: no button, and the route says so.
    let html = o.page("/quotes/new").await;
    assert!(!html.contains("incoming-call"), "{html}");
    let csrf = o.csrf.clone().unwrap();
    let origin = o.base.clone();
    let r = o
        .post_form("/quotes/from-call", &[("csrf_token", &csrf)], Some(&origin))
        .await;
    assert_eq!(r.headers()["location"], "/quotes/new?m=no-active-call");

    event(&app, ringing("bar-5", "0671234567", None)).await;
    let call_id = app.call_by_external("bar-5").await["id"].as_i64().unwrap();
    for path in ["/quotes/new".to_owned(), format!("/clients/{id}")] {
        let html = o.page(&path).await;
        assert!(
            html.contains(r#"formaction="/quotes/from-call""#)
                && html.contains(">Incoming call</button>"),
            "{path}: {html}"
        );
    }
    let r = o
        .post_form(
            "/quotes/from-call",
            &[
                ("csrf_token", &csrf),
                ("channel", "email"),
                ("contact", "ignored"),
                ("description", "Screen replacement"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let quotes = app
        .get_json(&format!("/api/v1/quotes?call_id={call_id}"))
        .await;
    let q = &quotes[0];
    assert_eq!(q["call_id"], json!(call_id));
    assert_eq!(q["channel"], "phone");
    assert_eq!(q["contact"], "+380671234567");
    assert_eq!(q["client_id"], json!(id));
    assert_eq!(q["description"], "Screen replacement");
    assert_eq!(
        r.headers()["location"],
        format!("/quotes/{}?m=created", q["id"]).as_str()
    );
}

async fn a_quote_is_built_by_hand_and_converted_to_a_work_order_r_m7(app: TestApp) {
    let mut o = app.owner_browser().await;
    o.page("/quotes/new").await;
    let csrf = o.csrf.clone().unwrap();
    let origin = o.base.clone();
    let r = o
        .post_form(
            "/quotes/new",
            &[
                ("csrf_token", &csrf),
                ("channel", "phone"),
                ("contact", "no digits"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="contact-error""#), "{html}");
    let r = o
        .post_form(
            "/quotes/new",
            &[
                ("csrf_token", &csrf),
                ("channel", "email"),
                ("contact", "maria@example.com"),
                ("description", "Two screens"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let id = location
        .trim_start_matches("/quotes/")
        .trim_end_matches("?m=created")
        .to_owned();
    let html = o.page(&location).await;
    assert!(
        html.contains("maria@example.com") && html.contains(">Open<"),
        "{html}"
    );
    assert!(o.page("/quotes").await.contains("maria@example.com"));
    let r = o
        .post_form(
            &format!("/quotes/{id}/convert"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/quotes/{id}?m=converted").as_str()
    );
    let q = app.get_json(&format!("/api/v1/quotes/{id}")).await;
    assert_eq!(q["status"], "converted");
    assert!(q["order_id"].is_i64());
    let html = o.page(&format!("/quotes/{id}?m=converted")).await;
    assert!(html.contains(r#"id="quote-order""#) && !html.contains(r#"id="convert""#));
    let r = o
        .post_form(
            &format!("/quotes/{id}/convert"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(
        r.headers()["location"],
        format!("/quotes/{id}?m=already-converted").as_str()
    );
}

async fn signed_in_pages_load_the_call_bar_script_r_u1(app: TestApp) {
    let mut o = app.owner_browser().await;
    let html = o.page("/clients").await;
    let at = html
        .find(r#"<script src="/assets/app.js?v="#)
        .expect("the script");
    let src = html[at + 13..].split('"').next().unwrap().to_owned();
    let r = o.get(&src).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let js = r.text().await.unwrap();
    assert!(js.contains("new EventSource(\"/api/v1/live\")"));
    // Signed out: no script.
    let mut b = app.browser();
    assert!(!b.page("/sign-in").await.contains("app.js"));
}

//! Click to call from the pages (R-I5, issue 12 item 7): a "Call" button
//! beside a client's numbers, a lead's number, a task made from a missed
//! call and each missed call (home, the calls list, the call's page), over
//! plain HTTP as a browser without JavaScript uses them. Each button posts
//! to `POST /click-to-call`, which asks the phone system exactly as
//! `POST /api/v1/click-to-call` does, and returns to the page it came from
//! with the outcome on top.

use crate::helpers::*;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    every_page_offers_click_to_call_and_the_button_asks_the_phone_system_r_i5,
    a_click_to_call_that_cannot_go_says_why_on_the_page_it_came_from_r_i5,
);

/// The hidden fields of every "Call" button on a page, in order.
fn call_buttons(html: &str) -> Vec<Vec<(String, String)>> {
    html.split(r#"<form class="inline c2c" method="post" action="/click-to-call">"#)
        .skip(1)
        .map(|rest| {
            let form = rest.split("</form>").next().unwrap();
            form.split("<input ")
                .skip(1)
                .filter_map(|input| {
                    let attr = |name: &str| {
                        input
                            .split(&format!(r#"{name}=""#))
                            .nth(1)
                            .and_then(|v| v.split('"').next())
                            .map(|v| v.replace("&amp;", "&"))
                    };
                    Some((attr("name")?, attr("value")?))
                })
                .collect()
        })
        .collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Presses a "Call" button as a browser does: posts its fields, follows the
/// redirect back to the page, and gives that address and the page.
async fn press(b: &mut Browser, form: &[(String, String)]) -> (String, String) {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let origin = b.base.clone();
    let r = b.post_form("/click-to-call", &fields, Some(&origin)).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a button returns to its page"
    );
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(field(form, "back").unwrap()), "{back}");
    let html = b.page(&back).await;
    (back, html)
}

async fn every_page_offers_click_to_call_and_the_button_asks_the_phone_system_r_i5(app: TestApp) {
    // The owner's own phone is extension 201; the phone system answers at a
    // local stand-in and checks the company's webhook signature.
    let r = app
        .patch(
            &format!("/api/v1/employees/{}", app.owner_id),
            &json!({"extensions": ["201"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let (url, mut requests) = stand_in_pbx(200).await;
    let r = app
        .http
        .put(app.url("/api/v1/settings/phone-system"))
        .bearer_auth(&app.token)
        .json(&json!({"inbox_retention_days": 14, "click_to_call_url": url}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // A missed call makes a task for the owner (R-A1).
    let r = app
        .http
        .put(app.url("/api/v1/settings/telephony"))
        .bearer_auth(&app.token)
        .json(&json!({
            "missed_call_task": {"enabled": true, "assignee_ids": [app.owner_id]},
            "answered_call_lead": {"enabled": false},
            "missed_call_lead": {"enabled": false},
            "settle_seconds": 0
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    let client: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Ivan Franko", "phones": [{"number": "067 123 45 67", "kind": "mobile"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let client_id = client["id"].as_i64().unwrap();
    let lead: Value = app
        .post(
            "/api/v1/leads",
            &json!({"client_name": "Lesya", "phone": "050 765 43 21"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let lead_id = lead["id"].as_i64().unwrap();
    let at = Timestamp::now() - SignedDuration::from_mins(5);
    for (i, state) in ["ringing", "no_answer"].iter().enumerate() {
        let r = app
            .event(
                json!({"event_id": format!("m-{i}"), "call_id": "missed-1", "direction": "inbound",
                "state": state, "at": (at + SignedDuration::from_secs(i as i64 * 20)).to_string(),
                "from": "+380671234567", "to": "+380441234567"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    app.store
        .run_due_jobs(Timestamp::now() + SignedDuration::from_secs(60))
        .await
        .unwrap();
    let missed = app.call_by_external("missed-1").await;
    let call_id = missed["id"].as_i64().unwrap();
    assert_eq!(missed["missed"], true);
    assert_eq!(missed["client_id"], client_id);
    let tasks = app
        .get_json(&format!("/api/v1/tasks?call_id={call_id}"))
        .await;
    let task_id = tasks[0]["id"].as_i64().unwrap();

    let mut b = app.owner_browser().await;
    let id = |v: i64| v.to_string();
    // Each page's button carries the number and where it was pressed.
    // (page, the number its button dials, the ids it carries)
    type Case<'a> = (String, &'a str, Vec<(&'a str, String)>);
    let cases: [Case; 6] = [
        (
            format!("/clients/{client_id}"),
            "067 123 45 67",
            vec![("client_id", id(client_id))],
        ),
        (
            format!("/leads/{lead_id}/edit"),
            "050 765 43 21",
            vec![("lead_id", id(lead_id))],
        ),
        (
            "/tasks".into(),
            "+380671234567",
            vec![("task_id", id(task_id)), ("call_id", id(call_id))],
        ),
        (
            "/".into(),
            "+380671234567",
            vec![("call_id", id(call_id)), ("client_id", id(client_id))],
        ),
        (
            "/calls?missed=true".into(),
            "+380671234567",
            vec![("call_id", id(call_id))],
        ),
        (
            format!("/calls/{call_id}"),
            "+380671234567",
            vec![("call_id", id(call_id))],
        ),
    ];
    for (path, number, ids) in &cases {
        let html = b.page(path).await;
        let buttons = call_buttons(&html);
        let form = buttons
            .iter()
            .find(|f| field(f, "number") == Some(number))
            .unwrap_or_else(|| panic!("{path} offers to call {number}: {buttons:?}"));
        for (k, v) in ids {
            assert_eq!(field(form, k), Some(v.as_str()), "{path}: {k}");
        }
        assert_eq!(field(form, "back"), Some(path.as_str()));
        assert!(html.contains(&format!(r#"aria-label="Call {number}""#)));
    }

    // Pressing the missed call's button on home: the phone system is asked
    // to ring 201, then dial the caller; home says so.
    let html = b.page("/").await;
    let form = call_buttons(&html)
        .into_iter()
        .find(|f| field(f, "call_id") == Some(id(call_id).as_str()))
        .unwrap();
    let (back, html) = press(&mut b, &form).await;
    assert!(back.starts_with("/?c2c=ok"), "{back}");
    assert!(
        html.contains(
            "Your extension 201 is ringing: pick it up and the phone system dials +380671234567."
        ),
        "{html}"
    );
    let (_, body) = requests.recv().await.unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(sent["type"], "click_to_call");
    assert_eq!(sent["extension"], "201");
    assert_eq!(sent["number"], "+380671234567");
    assert_eq!(sent["call_id"], call_id);
    assert_eq!(sent["client_id"], client_id);
    // The page's own buttons do not carry the outcome back again.
    assert!(call_buttons(&html)
        .iter()
        .all(|f| field(f, "back") == Some("/")));

    // From the calls list with its filter: back to the same filtered list,
    // in the page's language.
    let csrf = b.csrf.clone().unwrap();
    let r = b
        .post_form(
            "/language",
            &[("csrf_token", &csrf), ("locale", "ru"), ("back", "/")],
            Some(&app.base.clone()),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = b.page("/calls?missed=true").await;
    let form = call_buttons(&html)
        .into_iter()
        .find(|f| field(f, "call_id") == Some(id(call_id).as_str()))
        .unwrap();
    let (back, html) = press(&mut b, &form).await;
    assert!(back.starts_with("/calls?missed=true&c2c=ok"), "{back}");
    assert!(html.contains("Звонит ваш внутренний номер 201"), "{html}");
    let (_, body) = requests.recv().await.unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(sent["call_id"], call_id);
}

async fn a_click_to_call_that_cannot_go_says_why_on_the_page_it_came_from_r_i5(app: TestApp) {
    let client: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Ivan Franko", "phones": [{"number": "067 123 45 67", "kind": "mobile"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/clients/{}", client["id"]);
    let mut b = app.owner_browser().await;
    // The owner has no extension yet.
    let html = b.page(&path).await;
    let form = call_buttons(&html).remove(0);
    let (back, html) = press(&mut b, &form).await;
    assert_eq!(back, format!("{path}?c2c=error&c2c_code=no_extension"));
    assert!(html.contains(r#"id="c2c-flash""#));
    assert!(html.contains("your account has no extension"), "{html}");

    // With an extension but no phone system: where to connect one.
    app.patch(
        &format!("/api/v1/employees/{}", app.owner_id),
        &json!({"extensions": ["201"]}),
    )
    .await;
    let (_, html) = press(&mut b, &form).await;
    assert!(
        html.contains("No phone system is set up for click to call"),
        "{html}"
    );

    // A phone system that refuses.
    let (url, _requests) = stand_in_pbx(503).await;
    app.http
        .put(app.url("/api/v1/settings/phone-system"))
        .bearer_auth(&app.token)
        .json(&json!({"inbox_retention_days": 14, "click_to_call_url": url}))
        .send()
        .await
        .unwrap();
    app.post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await;
    let (back, html) = press(&mut b, &form).await;
    assert!(back.ends_with("c2c_code=phone_system_refused"), "{back}");
    assert!(
        html.contains("The phone system refused the call."),
        "{html}"
    );

    // A number that cannot be dialled, and a way back that leaves the site.
    let mut bad = form.clone();
    for (k, v) in bad.iter_mut() {
        match k.as_str() {
            "number" => *v = "anonymous".into(),
            "back" => *v = "https://evil.example/".into(),
            _ => {}
        }
    }
    let fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = b
        .post_form("/click-to-call", &fields, Some(&app.base.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/?c2c=error&c2c_code=invalid_field"
    );
    // Without the page's CSRF token nothing is asked.
    let fields: Vec<(&str, &str)> = form
        .iter()
        .filter(|(k, _)| k != "csrf_token")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = b
        .post_form("/click-to-call", &fields, Some(&app.base.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

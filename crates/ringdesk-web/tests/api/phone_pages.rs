//! Settings > Phone system (issue 12 item 8) over plain HTTP, as a browser
//! without JavaScript uses it: the webhook's URL and a token, a test call,
//! the ignore list (R-P7), click to call's URL (R-I5), the webhook inbox.

use crate::helpers::*;
use crate::settings_pages::{fields, send, signed_in};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_phone_system_page_hands_out_what_a_phone_system_needs_and_keeps_its_settings,
    a_test_call_goes_through_the_webhook_and_shows_in_the_inbox_as_an_internal_call_r_p7,
);

async fn the_phone_system_page_hands_out_what_a_phone_system_needs_and_keeps_its_settings(
    app: TestApp,
) {
    let mut b = app.owner_browser().await;
    let index = b.page("/settings").await;
    assert!(index.contains(r#"href="/settings/phone-system""#));
    let html = b.page("/settings/phone-system").await;
    assert!(
        html.contains(&format!(r#"value="{}/api/v1/telephony/events""#, app.base)),
        "the webhook URL"
    );
    assert!(html.contains(r#"id="curl-example""#));
    assert!(html.contains(r#"id="no-deliveries""#));
    assert!(html.contains(r#"href="/settings/integrations/twilio""#));
    assert!(html.contains(r#"href="/settings/integrations/ami""#));

    // A token for the phone system, shown once, that can post events only.
    let r = send(&mut b, "/settings/phone-system/token", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    let token = html
        .split(r#"id="phone-token" type="text" readonly value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the token, shown once")
        .to_owned();
    assert!(
        html.contains(&format!("Bearer {token}")),
        "the curl example carries it"
    );
    let me: Value = app.get_as(&token, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["permissions"], json!(["post_call_events"]));
    assert!(!b.page("/settings/phone-system").await.contains(&token));

    // The ignore list: one number a line; a bad line is noted beside the field.
    b.page("/settings/phone-system").await;
    let r = send(
        &mut b,
        "/settings/phone-system/ignored",
        &fields(&[("numbers", "0441234567\nsupplier")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="numbers-error""#), "{html}");
    assert!(html.contains("supplier"), "the form as typed");
    assert_eq!(
        app.get_json("/api/v1/settings/ignored-numbers").await["numbers"],
        json!([])
    );
    let r = send(
        &mut b,
        "/settings/phone-system/ignored",
        &fields(&[("numbers", "0441234567\n\n +380 67 000 11 22 ")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json("/api/v1/settings/ignored-numbers").await["normalised"],
        json!(["+380441234567", "+380670001122"])
    );
    let html = b.page("/settings/phone-system?m=saved").await;
    assert!(html.contains(r#"id="flash""#));
    assert!(html.contains("0441234567\n+380 67 000 11 22"));

    // Click to call's URL and the inbox's retention.
    let r = send(
        &mut b,
        "/settings/phone-system",
        &fields(&[("inbox_retention_days", "0"), ("click_to_call_url", "")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="inbox_retention_days-error""#));
    let r = send(
        &mut b,
        "/settings/phone-system",
        &fields(&[
            ("inbox_retention_days", "30"),
            ("click_to_call_url", "pbx.local/dial"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="click_to_call_url-error""#));
    let r = send(
        &mut b,
        "/settings/phone-system",
        &fields(&[
            ("inbox_retention_days", "30"),
            ("click_to_call_url", "http://pbx.local/dial"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_json("/api/v1/settings/phone-system").await,
        json!({"inbox_retention_days": 30, "click_to_call_url": "http://pbx.local/dial"})
    );

    // Someone without manage_settings gets the API's refusal.
    let (_, email) = app.add_employee(&[], &["230"]).await;
    let mut other = signed_in(&app, &email, "employee pass 1").await;
    let r = other.get("/settings/phone-system").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn a_test_call_goes_through_the_webhook_and_shows_in_the_inbox_as_an_internal_call_r_p7(
    app: TestApp,
) {
    // The owner has no extension: the page says what to do.
    let mut owner = app.owner_browser().await;
    owner.page("/settings/phone-system").await;
    let r = send(&mut owner, "/settings/phone-system/test-call", &[]).await;
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="test-call-result" role="alert""#),
        "{html}"
    );

    let (_, email) = app.add_employee(&["manage_settings"], &["207"]).await;
    let mut b = signed_in(&app, &email, "employee pass 1").await;
    b.page("/settings/phone-system").await;
    let r = send(&mut b, "/settings/phone-system/test-call", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let call_id: i64 = html
        .split(r#"<a href="/calls/"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the test call")
        .parse()
        .unwrap();
    app.store
        .run_due_jobs(jiff::Timestamp::now())
        .await
        .unwrap();
    let call = app.get_json(&format!("/api/v1/calls/{call_id}")).await;
    assert_eq!(call["state"], "completed");
    assert_eq!(call["from"], "207");
    for a in call["automation"].as_array().unwrap() {
        assert_eq!(
            a["reason"], "internal call between the company's extensions",
            "{a}"
        );
    }
    // Kept in the inbox like any delivery, and listed on the inbox page with its body.
    let mut list = Vec::new();
    for _ in 0..100 {
        list = app
            .get_json("/api/v1/integrations/inbox")
            .await
            .as_array()
            .unwrap()
            .clone();
        if !list.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(list[0]["headers"]["user-agent"], "Ringdesk test call");
    assert_eq!(
        list[0]["result"],
        "batch of 3: 3 accepted, 0 duplicate, 0 rejected"
    );
    let inbox = b.page("/settings/phone-system/inbox").await;
    assert!(inbox.contains(&format!(r#"id="delivery-{}""#, list[0]["id"])));
    assert!(inbox.contains("ringdesk-test-"), "the body is shown");
    let page = b.page("/settings/phone-system").await;
    assert!(page.contains(&format!(r#"id="delivery-{}""#, list[0]["id"])));
}

//! Accounts and security (issue 3): sign-in and sessions, CSRF, permissions
//! (R-T3), API tokens (R-T5), signed webhooks (R-I1), throttling and the
//! audit log.

use crate::helpers::{assert_error, csrf_in, ev, unique, Browser, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    an_employee_signs_in_gets_a_new_session_id_and_signs_out_r_t3,
    the_sign_in_page_speaks_the_browsers_language,
    every_state_changing_browser_request_needs_the_csrf_token_and_a_same_site_origin,
    cookies_are_secure_when_served_over_tls,
    a_password_change_ends_every_other_session_of_the_employee,
    a_deactivated_employee_can_neither_sign_in_nor_use_a_token,
    failed_sign_ins_are_throttled_per_account_across_nodes_with_retry_after,
    failed_sign_ins_are_throttled_per_address,
    permissions_are_enforced_on_every_route_r_t3,
    an_employee_without_view_all_calls_sees_only_their_own_calls_r_t3,
    nobody_grants_a_right_they_do_not_have,
    api_tokens_are_shown_once_listed_by_prefix_narrowed_and_revocable_r_t5,
    signed_webhooks_follow_standard_webhooks_r_i1,
    the_audit_log_records_who_did_what_from_where_and_only_the_owner_reads_it,
    pages_have_the_same_body_limit_as_the_api,
    a_browser_still_holding_an_ended_session_can_sign_in_again,
);

async fn a_browser_still_holding_an_ended_session_can_sign_in_again(app: TestApp) {
    let (_, email) = app.add_employee(&[], &[]).await;
    let mut b = app.browser();
    assert_eq!(
        b.sign_in(&email, PASS).await.status(),
        StatusCode::SEE_OTHER
    );
    let stale = b.cookies["rd_session"].clone();
    let csrf = b.csrf.clone().unwrap();
    let origin = app.base.clone();
    b.post_form("/sign-out", &[("csrf_token", &csrf)], Some(&origin))
        .await;
    // The browser kept the old cookie (say, the session ended on the server).
    b.cookies.insert("rd_session".into(), stale.clone());
    let r = b.get("/").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        b.last_set_cookies
            .iter()
            .any(|c| c.starts_with("rd_session=;") && c.contains("Max-Age=0")),
        "{:?}",
        b.last_set_cookies
    );
    b.cookies.insert("rd_session".into(), stale.clone());
    assert_eq!(
        b.sign_in(&email, PASS).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_ne!(b.cookies["rd_session"], stale);
    assert_eq!(b.get("/").await.status(), StatusCode::OK);
}

async fn pages_have_the_same_body_limit_as_the_api(app: TestApp) {
    let mut b = app.browser();
    b.page("/sign-in").await;
    let csrf = b.csrf.clone().unwrap();
    let big = "x".repeat(1024 * 1024 + 1);
    let origin = app.base.clone();
    let r = b
        .post_form(
            "/sign-in",
            &[
                ("email", big.as_str()),
                ("password", "x"),
                ("csrf_token", &csrf),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Nothing was counted against anyone.
    let (_, email) = app.add_employee(&[], &[]).await;
    assert_eq!(
        b.sign_in(&email, PASS).await.status(),
        StatusCode::SEE_OTHER
    );
}

const PASS: &str = "employee pass 1";

async fn an_employee_signs_in_gets_a_new_session_id_and_signs_out_r_t3(app: TestApp) {
    let (id, email) = app.add_employee(&["view_clients"], &[]).await;
    let mut b = app.browser();
    // Signed out, the home page sends the browser to the sign-in page.
    let r = b.get("/").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/sign-in");

    let html = b.page("/sign-in").await;
    assert!(html.contains(r#"action="/sign-in""#));
    let pre = b
        .cookies
        .get("rd_csrf")
        .cloned()
        .expect("a pre-session cookie");
    let r = b.sign_in(&email, PASS).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
    let set = b.last_set_cookies.clone();
    let session = set
        .iter()
        .find(|c| c.starts_with("rd_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain HTTP: no Secure flag");
    let sid = b.cookies["rd_session"].clone();
    assert_ne!(sid, pre, "the session id is new at sign-in");
    assert!(
        !b.cookies.contains_key("rd_csrf"),
        "the pre-session cookie is dropped"
    );

    // A second sign-in gets yet another id.
    let mut b2 = app.browser();
    b2.sign_in(&email, PASS).await;
    assert_ne!(b2.cookies["rd_session"], sid);

    let r = b.get("/").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Taras") && html.contains(r#"data-permission="view_clients""#),
        "{html}"
    );
    let me: Value = b.api("GET", "/api/v1/me", None).await.json().await.unwrap();
    assert_eq!(me["employee"]["id"], id);
    assert_eq!(me["credential"], "session");
    assert_eq!(me["permissions"], json!(["view_clients"]));

    // Sign out with the home page's form.
    let csrf = csrf_in(&html).unwrap();
    let origin = app.base.clone();
    let r = b
        .post_form("/sign-out", &[("csrf_token", &csrf)], Some(&origin))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!b.cookies.contains_key("rd_session"));
    // The old cookie is dead on the server too.
    b.cookies.insert("rd_session".into(), sid);
    assert_error(
        b.api("GET", "/api/v1/me", None).await,
        StatusCode::UNAUTHORIZED,
        "session",
    )
    .await;
    assert_eq!(b.get("/").await.status(), StatusCode::SEE_OTHER);
}

async fn the_sign_in_page_speaks_the_browsers_language(app: TestApp) {
    let mut b = app.browser();
    for (lang, title) in [
        ("ru-RU,ru;q=0.9", "Вход в Ringdesk"),
        ("pt-BR", "Entrar no Ringdesk"),
        ("es", "Iniciar sesión en Ringdesk"),
        ("de", "Sign in to Ringdesk"),
    ] {
        let r = b.get_with("/sign-in", &[("accept-language", lang)]).await;
        let html = r.text().await.unwrap();
        assert!(html.contains(title), "{lang}: {html}");
    }
    // A wrong password is answered in the same language.
    let mut b = app.browser();
    let r = b.get_with("/sign-in", &[("accept-language", "ru")]).await;
    let csrf = csrf_in(&r.text().await.unwrap()).unwrap();
    let r = b
        .http
        .post(format!("{}/sign-in", app.base))
        .header("cookie", format!("rd_csrf={}", b.cookies["rd_csrf"]))
        .header("accept-language", "ru")
        .form(&[
            ("email", "nobody@example.com"),
            ("password", "x"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Неверная эл. почта или пароль."));
}

async fn every_state_changing_browser_request_needs_the_csrf_token_and_a_same_site_origin(
    app: TestApp,
) {
    let (_, email) = app.add_employee(&["view_clients"], &[]).await;
    let origin = app.base.clone();
    // The sign-in form first: no token, a wrong token, a foreign origin.
    let mut b = app.browser();
    b.page("/sign-in").await;
    let good = b.csrf.clone().unwrap();
    for (fields, from, needle) in [
        (
            vec![("email", email.as_str()), ("password", PASS)],
            Some(origin.as_str()),
            "csrf_token",
        ),
        (
            vec![
                ("email", email.as_str()),
                ("password", PASS),
                ("csrf_token", "0000"),
            ],
            Some(origin.as_str()),
            "csrf_token",
        ),
        (
            vec![
                ("email", email.as_str()),
                ("password", PASS),
                ("csrf_token", good.as_str()),
            ],
            Some("https://evil.example"),
            "cross-site",
        ),
    ] {
        let r = b.post_form("/sign-in", &fields, from).await;
        assert_error(r, StatusCode::FORBIDDEN, needle).await;
        assert!(!b.cookies.contains_key("rd_session"));
    }
    // Without the pre-session cookie the token is worth nothing.
    let mut cookieless = Browser::new(&app.base);
    let r = cookieless
        .post_form(
            "/sign-in",
            &[("email", &email), ("password", PASS), ("csrf_token", &good)],
            Some(&origin),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "cookie").await;

    // Signed in: API changes with the session cookie need X-CSRF-Token.
    assert_eq!(
        b.sign_in(&email, PASS).await.status(),
        StatusCode::SEE_OTHER
    );
    let client = json!({"name": "Ivan", "phones": [{"number": "0671234567", "kind": "mobile"}]});
    let token = b.csrf.take();
    let r = b.api("POST", "/api/v1/clients", Some(client.clone())).await;
    assert_error(r, StatusCode::FORBIDDEN, "X-CSRF-Token").await;
    b.csrf = Some("f".repeat(40));
    let r = b.api("POST", "/api/v1/clients", Some(client.clone())).await;
    assert_error(r, StatusCode::FORBIDDEN, "does not match").await;
    b.csrf = token;
    assert_eq!(
        b.api("POST", "/api/v1/clients", Some(client))
            .await
            .status(),
        StatusCode::CREATED
    );
    let clients: Value = app.get_json("/api/v1/clients").await;
    assert_eq!(
        clients.as_array().unwrap().len(),
        1,
        "only the request with the token changed anything"
    );
    // Sign-out is a change too.
    let r = b.post_form("/sign-out", &[], Some(&origin)).await;
    assert_error(r, StatusCode::FORBIDDEN, "csrf_token").await;
    assert_eq!(b.get("/").await.status(), StatusCode::OK, "still signed in");
}

async fn cookies_are_secure_when_served_over_tls(app: TestApp) {
    let (_, email) = app.add_employee(&[], &[]).await;
    let mut b = app.browser();
    let r = b
        .get_with("/sign-in", &[("x-forwarded-proto", "https")])
        .await;
    let csrf = csrf_in(&r.text().await.unwrap()).unwrap();
    assert!(
        b.last_set_cookies[0].contains("; Secure"),
        "{:?}",
        b.last_set_cookies
    );
    let r = b
        .http
        .post(format!("{}/sign-in", app.base))
        .header("cookie", format!("rd_csrf={}", b.cookies["rd_csrf"]))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("email", email.as_str()),
            ("password", PASS),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session: Vec<_> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = session
        .iter()
        .find(|c| c.starts_with("rd_session="))
        .unwrap();
    assert!(
        session.contains("; Secure") && session.contains("HttpOnly"),
        "{session}"
    );
}

async fn a_password_change_ends_every_other_session_of_the_employee(app: TestApp) {
    let (id, email) = app.add_employee(&[], &[]).await;
    let mut one = app.browser();
    let mut two = app.browser();
    one.sign_in(&email, PASS).await;
    two.sign_in(&email, PASS).await;
    assert_eq!(
        app.store
            .live_sessions(app.company_id, id, jiff::Timestamp::now())
            .await
            .unwrap(),
        2
    );
    // The employee changes their own password in session one.
    let r = one
        .api(
            "PATCH",
            &format!("/api/v1/employees/{id}"),
            Some(json!({"password": "a new passphrase"})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        one.api("GET", "/api/v1/me", None).await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_error(
        two.api("GET", "/api/v1/me", None).await,
        StatusCode::UNAUTHORIZED,
        "session",
    )
    .await;
    // The old password no longer works; the new one does.
    assert_eq!(
        app.browser().sign_in(&email, PASS).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let mut three = app.browser();
    assert_eq!(
        three.sign_in(&email, "a new passphrase").await.status(),
        StatusCode::SEE_OTHER
    );
    // When the owner resets it, every session of the employee ends.
    let r = app
        .patch(
            &format!("/api/v1/employees/{id}"),
            &json!({"password": "owner set this"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        app.store
            .live_sessions(app.company_id, id, jiff::Timestamp::now())
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        three.api("GET", "/api/v1/me", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn a_deactivated_employee_can_neither_sign_in_nor_use_a_token(app: TestApp) {
    let (id, email) = app.add_employee(&["view_clients"], &[]).await;
    let token = app.token_of(&email, PASS, &["view_clients"]).await;
    let mut b = app.browser();
    b.sign_in(&email, PASS).await;
    assert_eq!(
        app.get_as(&token, "/api/v1/clients").await.status(),
        StatusCode::OK
    );
    let r = app
        .patch(
            &format!("/api/v1/employees/{id}"),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_error(
        app.get_as(&token, "/api/v1/clients").await,
        StatusCode::UNAUTHORIZED,
        "token",
    )
    .await;
    assert_eq!(
        b.api("GET", "/api/v1/me", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.browser().sign_in(&email, PASS).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // History stays: the employee is still there, deactivated.
    let e = app.get_json(&format!("/api/v1/employees/{id}")).await;
    assert_eq!(e["active"], false);
}

async fn failed_sign_ins_are_throttled_per_account_across_nodes_with_retry_after(app: TestApp) {
    let (_, email) = app.add_employee(&[], &[]).await;
    let mut b = app.browser();
    for _ in 0..5 {
        assert_eq!(
            b.sign_in(&email, "wrong password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // A second node on the same database sees the same count.
    let other_node = ringdesk_web::Application::build(
        ringdesk_store::Store::connect(&app.db_url).await.unwrap(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let other_base = format!("http://{}", other_node.local_addr());
    tokio::spawn(other_node.run_until_stopped(std::future::pending()));
    let mut elsewhere = Browser::new(&other_base);
    let r = elsewhere.sign_in(&email, PASS).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "Retry-After {wait}");
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Too many failed sign-in attempts"));
    assert!(!elsewhere.cookies.contains_key("rd_session"));
    // Another account from the same address is not locked out by this one.
    let (_, other) = app.add_employee(&[], &[]).await;
    assert_eq!(
        b.sign_in(&other, PASS).await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn failed_sign_ins_are_throttled_per_address(app: TestApp) {
    let mut b = app.browser();
    for i in 0..20 {
        let r = b
            .sign_in(&format!("guess-{i}-{}@example.com", unique()), "x")
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let (_, email) = app.add_employee(&[], &[]).await;
    let r = b.sign_in(&email, PASS).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
}

async fn permissions_are_enforced_on_every_route_r_t3(app: TestApp) {
    let (plain_id, plain) = app.add_employee(&[], &["201"]).await;
    let token = app.token_of(&plain, PASS, &[]).await;
    let needs = [
        ("GET", "/api/v1/clients", "view_clients"),
        ("POST", "/api/v1/clients", "view_clients"),
        (
            "GET",
            "/api/v1/clients/lookup?phone=0671234567",
            "view_clients",
        ),
        ("GET", "/api/v1/settings/telephony", "manage_settings"),
        ("PUT", "/api/v1/settings/telephony", "manage_settings"),
        ("GET", "/api/v1/settings/webhook-signing", "manage_settings"),
        (
            "POST",
            "/api/v1/settings/webhook-signing/secrets",
            "manage_settings",
        ),
        ("POST", "/api/v1/employees", "manage_employees"),
        ("POST", "/api/v1/telephony/events", "post_call_events"),
        ("GET", "/api/v1/audit-log", "owner"),
    ];
    for (method, path, right) in needs {
        let r = app
            .http
            .request(method.parse().unwrap(), app.url(path))
            .bearer_auth(&token)
            .json(&json!({"name": "x", "email": "x@example.com", "password": "long enough", "phones": []}))
            .send()
            .await
            .unwrap();
        assert_error(r, StatusCode::FORBIDDEN, right).await;
    }
    // Changing someone else, or one's own permissions, needs manage_employees.
    let r = app
        .http
        .patch(app.url(&format!("/api/v1/employees/{}", app.owner_id)))
        .bearer_auth(&token)
        .json(&json!({"name": "Hacker"}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "manage_employees").await;
    let r = app
        .http
        .patch(app.url(&format!("/api/v1/employees/{plain_id}")))
        .bearer_auth(&token)
        .json(&json!({"permissions": ["view_clients"]}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "manage_employees").await;
    let me = app.get_json(&format!("/api/v1/employees/{plain_id}")).await;
    assert_eq!(me["permissions"], json!([]));
    // Pages are enforced too: signed out, the home page is not shown.
    assert_eq!(
        Browser::new(&app.base).get("/").await.status(),
        StatusCode::SEE_OTHER
    );
    // With the rights, the same employee gets through.
    let (_, full) = app
        .add_employee(
            &[
                "view_clients",
                "manage_settings",
                "manage_employees",
                "post_call_events",
            ],
            &[],
        )
        .await;
    let t = app
        .token_of(
            &full,
            PASS,
            &["view_clients", "manage_settings", "post_call_events"],
        )
        .await;
    assert_eq!(
        app.get_as(&t, "/api/v1/clients").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&t, "/api/v1/settings/telephony").await.status(),
        StatusCode::OK
    );
    let r = app
        .post_as(
            &t,
            "/api/v1/telephony/events",
            &ev("p-1", "c-p", "ringing", 0, "0671234567"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    // The token was not given manage_employees, so it cannot use it.
    let r = app
        .post_as(
            &t,
            "/api/v1/employees",
            &json!({"name": "N", "email": "n@example.com", "password": "long enough"}),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "manage_employees").await;
}

async fn an_employee_without_view_all_calls_sees_only_their_own_calls_r_t3(app: TestApp) {
    let (_, op) = app.add_employee(&[], &["201"]).await;
    let mut e = ev("v-1", "c-mine", "answered", 0, "0671234567");
    e["operator"] = json!("201");
    assert_eq!(app.event(e).await.status(), StatusCode::ACCEPTED);
    let mut e = ev("v-2", "c-other", "answered", 0, "0671234568");
    e["operator"] = json!("999");
    assert_eq!(app.event(e).await.status(), StatusCode::ACCEPTED);
    let mut b = app.browser();
    b.sign_in(&op, PASS).await;
    let list: Value = b
        .api("GET", "/api/v1/calls", None)
        .await
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["external_id"], "c-mine");
    let other = app.call_by_external("c-other").await;
    let r = b
        .api("GET", &format!("/api/v1/calls/{}", other["id"]), None)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn nobody_grants_a_right_they_do_not_have(app: TestApp) {
    let (_, manager) = app
        .add_employee(&["manage_employees", "view_clients"], &[])
        .await;
    let mut b = app.browser();
    b.sign_in(&manager, PASS).await;
    let r = b
        .api("POST", "/api/v1/employees", Some(json!({"name": "N", "email": format!("n-{}@example.com", unique()), "password": "long enough", "permissions": ["manage_settings"]})))
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "manage_settings").await;
    let r = b
        .api("POST", "/api/v1/employees", Some(json!({"name": "N", "email": format!("n-{}@example.com", unique()), "password": "long enough", "permissions": ["view_clients"]})))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = b
        .api(
            "POST",
            "/api/v1/api-tokens",
            Some(json!({"name": "t", "permissions": ["view_all_calls"]})),
        )
        .await;
    assert_error(r, StatusCode::FORBIDDEN, "view_all_calls").await;
}

async fn api_tokens_are_shown_once_listed_by_prefix_narrowed_and_revocable_r_t5(app: TestApp) {
    let (emp_id, email) = app
        .add_employee(&["view_clients", "manage_settings"], &[])
        .await;
    let mut b = app.browser();
    b.sign_in(&email, PASS).await;
    let r = b
        .api(
            "POST",
            "/api/v1/api-tokens",
            Some(json!({"name": "PBX", "permissions": ["view_clients"]})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("rd_") && token.len() == 51);
    assert_eq!(created["prefix"], &token[..9]);
    assert_eq!(created["permissions"], json!(["view_clients"]));
    // Narrowed: it reads clients, but not the settings its employee may read.
    assert_eq!(
        app.get_as(&token, "/api/v1/clients").await.status(),
        StatusCode::OK
    );
    assert_error(
        app.get_as(&token, "/api/v1/settings/telephony").await,
        StatusCode::FORBIDDEN,
        "manage_settings",
    )
    .await;
    // Listed by prefix and last use, never the token.
    let list: Value = b
        .api("GET", "/api/v1/api-tokens", None)
        .await
        .json()
        .await
        .unwrap();
    let text = list.to_string();
    assert!(
        !text.contains(&token) && !text.contains(r#""token""#),
        "{text}"
    );
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "an employee sees their own tokens"
    );
    assert!(list[0]["last_used_at"].is_string());
    let all: Value = app.get_json("/api/v1/api-tokens").await;
    assert_eq!(
        all.as_array().unwrap().len(),
        2,
        "the owner sees the company's tokens"
    );
    // Another employee cannot revoke it; its owner employee can; then it is dead.
    let (_, other) = app.add_employee(&[], &[]).await;
    let mut o = app.browser();
    o.sign_in(&other, PASS).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(
        o.api("DELETE", &format!("/api/v1/api-tokens/{id}"), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(&token, "/api/v1/clients").await.status(),
        StatusCode::OK
    );
    let r = b
        .api("DELETE", &format!("/api/v1/api-tokens/{id}"), None)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let revoked: Value = r.json().await.unwrap();
    assert!(revoked["revoked_at"].is_string());
    assert_error(
        app.get_as(&token, "/api/v1/clients").await,
        StatusCode::UNAUTHORIZED,
        "revoked",
    )
    .await;
    // Taking a right from the employee takes it from their tokens too.
    let t2 = app.token_of(&email, PASS, &["view_clients"]).await;
    app.patch(
        &format!("/api/v1/employees/{emp_id}"),
        &json!({"permissions": ["manage_settings"]}),
    )
    .await;
    assert_error(
        app.get_as(&t2, "/api/v1/clients").await,
        StatusCode::FORBIDDEN,
        "view_clients",
    )
    .await;
    // Bad input names the field.
    let r = b
        .api(
            "POST",
            "/api/v1/api-tokens",
            Some(json!({"name": "", "permissions": []})),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "name").await;
    let r = b
        .api(
            "POST",
            "/api/v1/api-tokens",
            Some(json!({"name": "x", "permissions": ["fly"]})),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "fly").await;
}

/// Posts one event with Standard Webhooks headers.
async fn signed(
    app: &TestApp,
    body: &str,
    id: &str,
    ts: i64,
    sig: Option<String>,
) -> reqwest::Response {
    let mut req = app
        .http
        .post(app.url("/api/v1/telephony/events"))
        .bearer_auth(&app.token)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", ts.to_string());
    if let Some(s) = sig {
        req = req.header("webhook-signature", s);
    }
    req.body(body.to_owned()).send().await.unwrap()
}

async fn signed_webhooks_follow_standard_webhooks_r_i1(app: TestApp) {
    use ringdesk_web::signature::sign;
    // Off by default: an unsigned event is taken.
    assert_eq!(
        app.event(ev("s-0", "c-s", "ringing", 0, "0671234567"))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let r = app
        .http
        .put(app.url("/api/v1/settings/webhook-signing"))
        .bearer_auth(&app.token)
        .json(&json!({"required": true}))
        .send()
        .await
        .unwrap();
    // Well formed, but the company has no secret yet: a state conflict (409).
    assert_error(r, StatusCode::CONFLICT, "create a secret first").await;
    let old: Value = app
        .post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let old_secret = old["secret"].as_str().unwrap().to_owned();
    assert!(old_secret.starts_with("whsec_"));
    let r = app
        .http
        .put(app.url("/api/v1/settings/webhook-signing"))
        .bearer_auth(&app.token)
        .json(&json!({"required": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let shown: Value = r.json().await.unwrap();
    assert!(
        !shown.to_string().contains(&old_secret),
        "secrets are not shown again"
    );

    let now = jiff::Timestamp::now().as_second();
    let mut n = 0;
    let mut body = |state: &str| {
        n += 1;
        ev(&format!("s-{n}"), "c-s", state, n, "0671234567").to_string()
    };
    let mut tried = 0;
    let mut wrong = 0;
    let mut expect = |ok: bool, status: StatusCode, what: &str| {
        tried += 1;
        if ok != (status == StatusCode::ACCEPTED) {
            wrong += 1;
            eprintln!("wrong decision: {what} got {status}");
        }
    };
    let b = body("ringing");
    let good = sign(&old_secret, "msg_1", now, b.as_bytes());
    expect(
        true,
        signed(&app, &b, "msg_1", now, good.clone()).await.status(),
        "a good signature",
    );
    let b = body("ringing");
    let r = signed(&app, &b, "msg_2", now, None).await;
    expect(false, r.status(), "no signature header");
    assert_error(r, StatusCode::UNAUTHORIZED, "webhook-signature").await;
    let b = body("ringing");
    expect(
        false,
        signed(&app, &b, "msg_3", now, Some("v1,".into()))
            .await
            .status(),
        "a bare v1,",
    );
    let full = sign(&old_secret, "msg_4", now, b.as_bytes()).unwrap();
    expect(
        false,
        signed(
            &app,
            &b,
            "msg_4",
            now,
            Some(full[..full.len() - 6].to_owned()),
        )
        .await
        .status(),
        "a truncated signature",
    );
    let mut changed = b.clone().into_bytes();
    let i = changed.iter().position(|c| *c == b'r').unwrap();
    changed[i] = b'R';
    let changed = String::from_utf8(changed).unwrap();
    expect(
        false,
        signed(&app, &changed, "msg_4", now, Some(full.clone()))
            .await
            .status(),
        "a body changed by one byte",
    );
    expect(
        false,
        signed(
            &app,
            &b,
            "msg_5",
            now,
            sign(&old_secret, "msg_4", now, b.as_bytes()),
        )
        .await
        .status(),
        "another message's id",
    );
    // The exact edge (300 s in, 301 s out) is the unit test's; here the
    // clock is read afresh and the margin is wide, so a slow run cannot move
    // the request across the edge.
    for off in [360, -360] {
        let at = jiff::Timestamp::now().as_second() + off;
        let r = signed(
            &app,
            &b,
            "msg_6",
            at,
            sign(&old_secret, "msg_6", at, b.as_bytes()),
        )
        .await;
        expect(false, r.status(), "a timestamp 360 s off");
        assert_error(r, StatusCode::UNAUTHORIZED, "at most 300 s is accepted").await;
    }
    let b = body("ringing");
    expect(
        true,
        signed(
            &app,
            &b,
            "msg_7",
            now - 120,
            sign(&old_secret, "msg_7", now - 120, b.as_bytes()),
        )
        .await
        .status(),
        "two minutes old",
    );
    // Rotation: a second secret; either signs; both signatures in one header too.
    let new: Value = app
        .post("/api/v1/settings/webhook-signing/secrets", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let new_secret = new["secret"].as_str().unwrap().to_owned();
    let b = body("ringing");
    expect(
        true,
        signed(
            &app,
            &b,
            "msg_8",
            now,
            sign(&new_secret, "msg_8", now, b.as_bytes()),
        )
        .await
        .status(),
        "the new secret",
    );
    let b = body("ringing");
    let both = format!(
        "{} {}",
        sign(&old_secret, "msg_9", now, b.as_bytes()).unwrap(),
        sign(&new_secret, "msg_9", now, b.as_bytes()).unwrap()
    );
    expect(
        true,
        signed(&app, &b, "msg_9", now, Some(both)).await.status(),
        "both signatures",
    );
    let r = app
        .http
        .delete(app.url(&format!(
            "/api/v1/settings/webhook-signing/secrets/{}",
            old["id"]
        )))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let b = body("ringing");
    expect(
        false,
        signed(
            &app,
            &b,
            "msg_10",
            now,
            sign(&old_secret, "msg_10", now, b.as_bytes()),
        )
        .await
        .status(),
        "a revoked secret",
    );
    // The last secret cannot go while signing is required.
    let r = app
        .http
        .delete(app.url(&format!(
            "/api/v1/settings/webhook-signing/secrets/{}",
            new["id"]
        )))
        .bearer_auth(&app.token)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::CONFLICT, "last secret").await;
    println!("signature cases tried: {tried}, wrong decisions: {wrong}");
    assert_eq!(wrong, 0);
    assert_eq!(tried, 12);
    // Nothing refused was stored: s-0, s-1 (msg_1), msg_7, msg_8, msg_9.
    assert_eq!(app.events_stored().await, 5);
}

async fn the_audit_log_records_who_did_what_from_where_and_only_the_owner_reads_it(app: TestApp) {
    let (emp, email) = app.add_employee(&["manage_settings"], &[]).await;
    let mut b = app.browser();
    b.sign_in(&email, "wrong").await;
    b.sign_in(&email, PASS).await;
    let t: Value = b
        .api(
            "POST",
            "/api/v1/api-tokens",
            Some(json!({"name": "PBX", "permissions": []})),
        )
        .await
        .json()
        .await
        .unwrap();
    b.api("DELETE", &format!("/api/v1/api-tokens/{}", t["id"]), None)
        .await;
    let off = json!({"enabled": false});
    let r = b
        .api(
            "PUT",
            "/api/v1/settings/telephony",
            Some(json!({"missed_call_task": off, "answered_call_lead": off, "missed_call_lead": off})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    app.patch(
        &format!("/api/v1/employees/{emp}"),
        &json!({"permissions": ["manage_settings", "view_clients"]}),
    )
    .await;
    assert_error(
        b.api("GET", "/api/v1/audit-log", None).await,
        StatusCode::FORBIDDEN,
        "owner",
    )
    .await;
    let log: Value = app.get_json("/api/v1/audit-log").await;
    let log = log.as_array().unwrap();
    let find = |action: &str| {
        log.iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("{action} in {log:?}"))
            .clone()
    };
    let subject = format!("employee:{emp}");
    assert_eq!(find("employee_created")["subject"], subject);
    let failed = find("sign_in_failed");
    assert_eq!(failed["subject"], subject);
    assert_eq!(failed["address"], "127.0.0.1");
    let signed_in = find("sign_in");
    assert_eq!(signed_in["actor_employee_id"], emp);
    assert_eq!(signed_in["address"], "127.0.0.1");
    assert_eq!(find("token_created")["actor_employee_id"], emp);
    assert_eq!(
        find("token_revoked")["subject"],
        format!("api_token:{}", t["id"])
    );
    assert_eq!(find("settings_changed")["subject"], "settings:telephony");
    let perms = find("permissions_changed");
    assert_eq!(perms["actor_employee_id"], app.owner_id);
    assert_eq!(perms["detail"], "manage_settings,view_clients");
    assert!(
        perms["actor_token_id"].is_i64(),
        "done with the owner's token"
    );
    // Newest first, with a time.
    assert!(log[0]["id"].as_i64() > log[log.len() - 1]["id"].as_i64());
    assert!(log[0]["at"].as_str().unwrap().ends_with('Z'));
}

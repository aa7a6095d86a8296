//! The web pages of issue 11 over plain HTTP, with `Browser` (cookies, CSRF
//! tokens, no redirects): sign-in is needed, sign-up (R-U7, R-X3a), the
//! language (R-U6), the password change, my tasks (R-A3).

use crate::helpers::{serve, unique, Browser, TestApp};
use reqwest::StatusCode;
use ringdesk_domain::signup::SignupPolicy;
use serde_json::{json, Value};

both_databases!(
    pages_need_a_session_and_send_strangers_to_sign_in_r_t3,
    a_company_signs_up_on_the_page_and_its_owner_lands_home_r_u7_r_x3,
    sign_up_page_says_so_when_closed_and_shows_errors_beside_fields_r_x3a_r_u6,
    the_language_is_the_employees_choice_else_the_companys_r_u6,
    the_password_page_checks_the_current_one_and_ends_other_sessions,
    my_tasks_page_orders_completes_and_reopens_r_a3,
);

const PAGES: [&str; 4] = ["/", "/tasks", "/notifications", "/account/password"];

async fn pages_need_a_session_and_send_strangers_to_sign_in_r_t3(app: TestApp) {
    let mut b = app.browser();
    for path in PAGES {
        let r = b.get(path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.headers()["location"], "/sign-in", "{path}");
    }
    // An API token is not a page session: refused, pointing to the API.
    let r = app.get("/tasks").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A form post without a session is refused by the CSRF layer or sent to sign-in, never done.
    let origin = b.base.clone();
    let r = b
        .post_form("/tasks/1/complete", &[("csrf_token", "x")], Some(&origin))
        .await;
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::SEE_OTHER),
        "{}",
        r.status()
    );
    // Signed in, each page answers, with the layout and its navigation.
    let mut b = app.owner_browser().await;
    for path in PAGES {
        let html = b.page(path).await;
        assert!(
            html.contains(r#"id="company-name">Acme Repairs<"#),
            "{path}"
        );
        assert!(html.contains(r#"href="/tasks""#), "{path}");
        assert!(html.contains(r#"action="/sign-out""#), "{path}");
        assert!(html.contains(r#"<div id="call-bar" aria-live="polite"></div>"#));
        // The stylesheet is our own file, linked with its content's hash.
        let href = html
            .split(r#"<link rel="stylesheet" href=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{path}: no stylesheet"))
            .to_owned();
        assert!(href.starts_with("/assets/app.css?v="), "{href}");
        let css = b.get(&href).await;
        assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
        assert!(css.text().await.unwrap().contains("main form>button"));
        // R-U7: every page links to the calls, clients, leads, work orders,
        // quotes, tasks and settings pages.
        for href in [
            "/calls",
            "/clients",
            "/leads",
            "/orders",
            "/quotes",
            "/tasks",
            "/settings",
        ] {
            assert!(
                html.contains(&format!(r#"href="{href}""#)),
                "{path}: {href}"
            );
        }
    }
}

async fn a_company_signs_up_on_the_page_and_its_owner_lands_home_r_u7_r_x3(app: TestApp) {
    let mut b = app.browser();
    // Linked from the sign-in page.
    assert!(b.page("/sign-in").await.contains(r#"href="/sign-up""#));
    let html = b.page("/sign-up").await;
    for field in [
        "company_name",
        "country",
        "time_zone",
        "locale",
        "owner_name",
        "email",
        "password",
    ] {
        assert!(html.contains(&format!(r#"name="{field}""#)), "{field}");
        assert!(
            html.contains(&format!(r#"<label for="{field}">"#)),
            "{field}"
        );
    }
    let email = format!("web-{}@example.com", unique());
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    let r = b
        .post_form(
            "/sign-up",
            &[
                ("csrf_token", &csrf),
                ("company_name", "Oficina Lisboa"),
                ("country", "PT"),
                ("time_zone", "Europe/Lisbon"),
                ("locale", "pt"),
                ("owner_name", "Joana"),
                ("email", &email),
                ("password", "a long secret"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/");
    assert!(b.cookies.contains_key("rd_session"));
    let home = b.page("/").await;
    assert!(home.contains(r#"<html lang="pt">"#), "the company's locale");
    assert!(home.contains("Oficina Lisboa"));
    assert!(home.contains(r#"id="employee">Joana<"#));
    // The same account signs in with the password (the use case hashed it).
    let mut again = app.browser();
    assert_eq!(
        again.sign_in(&email, "a long secret").await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn sign_up_page_says_so_when_closed_and_shows_errors_beside_fields_r_x3a_r_u6(app: TestApp) {
    // first_company with a company already: closed, said plainly, no form.
    let base = serve(app.store.clone(), Some(SignupPolicy::FirstCompany)).await;
    let mut b = Browser::new(&base);
    let r = b.get_with("/sign-up", &[("accept-language", "es")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="sign-up-closed""#));
    assert!(html.contains("El registro está cerrado"));
    assert!(!html.contains(r#"name="company_name""#));
    // Posting anyway creates nothing.
    let csrf = crate::helpers::csrf_in(&html).unwrap();
    let r = b
        .post_form(
            "/sign-up",
            &[
                ("csrf_token", &csrf),
                ("company_name", "X"),
                ("country", "PT"),
                ("time_zone", "Europe/Lisbon"),
                ("locale", "en"),
                ("owner_name", "Y"),
                ("email", &format!("closed-{}@example.com", unique())),
                ("password", "a long secret"),
            ],
            Some(&base),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!b.cookies.contains_key("rd_session"));

    // Open: a bad field is named beside it, in the page's language, and the
    // typed values stay.
    let mut b = app.browser();
    b.get_with("/sign-up", &[("accept-language", "ru")]).await;
    b.page("/sign-up").await;
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    let r = b
        .post_form(
            "/sign-up",
            &[
                ("csrf_token", &csrf),
                ("company_name", "Мастерская"),
                ("country", "UA"),
                ("time_zone", "Mars/Olympus"),
                ("locale", "ru"),
                ("owner_name", "Олена"),
                ("email", &format!("tz-{}@example.com", unique())),
                ("password", "a long secret"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<p class="field-error" id="time_zone-error">"#));
    assert!(html.contains(r#"value="Мастерская""#));
    // A taken e-mail, by the existing owner's address.
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    let r = b
        .post_form(
            "/sign-up",
            &[
                ("csrf_token", &csrf),
                ("company_name", "Другая"),
                ("country", "UA"),
                ("time_zone", "Europe/Kyiv"),
                ("locale", "ru"),
                ("owner_name", "Олена"),
                ("email", owner["email"].as_str().unwrap()),
                ("password", "a long secret"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"id="email-error""#), "{html}");
}

async fn the_language_is_the_employees_choice_else_the_companys_r_u6(app: TestApp) {
    let mut b = app.owner_browser().await;
    // The company's locale (en) by default, whatever the browser says.
    let r = b.get_with("/tasks", &[("accept-language", "ru")]).await;
    assert!(r.text().await.unwrap().contains(">My tasks<"));
    // The switch: a CSRF-checked form that keeps the choice and comes back.
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    let r = b
        .post_form(
            "/language",
            &[("csrf_token", &csrf), ("locale", "pt"), ("back", "/tasks")],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/tasks");
    assert_eq!(b.cookies.get("rd_lang").map(String::as_str), Some("pt"));
    let html = b.page("/tasks").await;
    assert!(html.contains(r#"<html lang="pt">"#));
    assert!(html.contains(">As minhas tarefas<"));
    assert!(html.contains(">Tarefas<"));
    // Another site's address is not followed; a forged form is refused.
    let r = b
        .post_form(
            "/language",
            &[
                ("csrf_token", &csrf),
                ("locale", "es"),
                ("back", "//evil.example/"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.headers()["location"], "/");
    let r = b
        .post_form(
            "/language",
            &[("csrf_token", "forged"), ("locale", "ru"), ("back", "/")],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(b.cookies.get("rd_lang").map(String::as_str), Some("es"));
}

async fn the_password_page_checks_the_current_one_and_ends_other_sessions(app: TestApp) {
    let (_, email) = app.add_employee(&[], &[]).await;
    let mut other = app.browser();
    assert_eq!(
        other.sign_in(&email, "employee pass 1").await.status(),
        StatusCode::SEE_OTHER
    );
    let mut b = app.browser();
    b.sign_in(&email, "employee pass 1").await;
    let html = b.page("/account/password").await;
    assert!(html.contains(r#"<label for="current_password">"#));
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    // A wrong current password: said beside the field, nothing changes.
    let r = b
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", "not it at all"),
                ("new_password", "a brand new one"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="current_password-error""#));
    // A new one too short.
    let r = b
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", "employee pass 1"),
                ("new_password", "short"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="new_password-error""#));
    assert_eq!(other.get("/tasks").await.status(), StatusCode::OK);
    // The right one: changed, this session goes on, the other one ends.
    let r = b
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", "employee pass 1"),
                ("new_password", "a brand new one"),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(b
        .page("/account/password?m=changed")
        .await
        .contains(r#"id="password-changed""#));
    assert_eq!(other.get("/tasks").await.status(), StatusCode::SEE_OTHER);
    let mut again = app.browser();
    assert_eq!(
        again.sign_in(&email, "a brand new one").await.status(),
        StatusCode::SEE_OTHER
    );
}

async fn my_tasks_page_orders_completes_and_reopens_r_a3(app: TestApp) {
    let (other_id, _) = app.add_employee(&[], &[]).await;
    let task = |title: &str, due: Option<&str>, assignees: Vec<i64>| {
        let mut body = json!({"title": title, "assignee_ids": assignees, "mode": "each"});
        if let Some(d) = due {
            body["due_at"] = json!(d);
        }
        body
    };
    let later = make_task(
        &app,
        task(
            "Call back later",
            Some("2099-01-01T10:00:00Z"),
            vec![app.owner_id],
        ),
    )
    .await;
    let overdue = make_task(
        &app,
        task(
            "Overdue call back",
            Some("2020-01-01T10:00:00Z"),
            vec![app.owner_id],
        ),
    )
    .await;
    let not_mine = make_task(&app, task("Someone else's", None, vec![other_id])).await;
    let mut b = app.owner_browser().await;
    let html = b.page("/tasks").await;
    let at = |id: i64| html.find(&format!(r#"id="task-{id}""#));
    // Overdue first (R-A3's "my tasks"), marked; another's task is not there.
    assert!(at(overdue).unwrap() < at(later).unwrap());
    assert!(at(not_mine).is_none());
    assert!(html.contains(r#"class="overdue""#));
    // Due times in the company's zone (Europe/Kyiv: 10:00Z is 12:00 in January).
    assert!(html.contains("2020-01-01 12:00"), "{html}");
    // Complete with the row's form; then it shows as done, with a reopen button.
    let csrf = b.csrf.clone().unwrap();
    let origin = b.base.clone();
    let r = b
        .post_form(
            &format!("/tasks/{overdue}/complete"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/tasks?m=completed");
    let t = app.get_json(&format!("/api/v1/tasks/{overdue}")).await;
    assert_eq!(t["status"], "done");
    assert_eq!(t["completed_by"], app.owner_id);
    let html = b.page("/tasks?m=completed").await;
    assert!(html.contains(r#"id="flash""#));
    assert!(html.contains(&format!(r#"action="/tasks/{overdue}/reopen""#)));
    // Completing it again says it is no longer open.
    let r = b
        .post_form(
            &format!("/tasks/{overdue}/complete"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(r.headers()["location"], "/tasks?m=not-open");
    // Not an assignee: refused, the task stays open.
    let r = b
        .post_form(
            &format!("/tasks/{not_mine}/complete"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(r.headers()["location"], "/tasks?m=not-assignee");
    let t = app.get_json(&format!("/api/v1/tasks/{not_mine}")).await;
    assert_eq!(t["status"], "open");
    // Reopen.
    let r = b
        .post_form(
            &format!("/tasks/{overdue}/reopen"),
            &[("csrf_token", &csrf)],
            Some(&origin),
        )
        .await;
    assert_eq!(r.headers()["location"], "/tasks?m=reopened");
    let t = app.get_json(&format!("/api/v1/tasks/{overdue}")).await;
    assert_eq!(t["status"], "open");
    // Without the CSRF token nothing happens.
    let r = b
        .post_form(&format!("/tasks/{later}/complete"), &[], Some(&origin))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn make_task(app: &TestApp, body: Value) -> i64 {
    let r = app.post("/api/v1/tasks", &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v[0]["id"].as_i64().unwrap()
}

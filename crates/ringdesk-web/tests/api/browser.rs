//! The pages in a real browser (`webdriver.rs`: headless Chromium through
//! chromedriver and fantoccini).

use crate::helpers::TestApp;
use crate::webdriver::WebDriver;
use serde_json::{json, Value};

both_databases!(
    an_employee_signs_in_and_out_in_a_real_browser_r_t3,
    a_company_signs_up_on_the_page_and_switches_to_portuguese_r_u7_r_u6,
    an_employee_completes_a_task_from_my_tasks_r_a3,
    the_main_pages_have_no_serious_accessibility_violations_r_u6,
);

async fn an_employee_signs_in_and_out_in_a_real_browser_r_t3(app: TestApp) {
    let Some(b) = WebDriver::start("ru").await else {
        return;
    };
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    let email = owner["email"].as_str().unwrap();
    // Signed out, the home page leads to the sign-in page, in the browser's language.
    b.open(&app.url("/")).await;
    assert!(b.url().await.ends_with("/sign-in"));
    assert_eq!(b.title().await, "Вход в Ringdesk");
    // A wrong password: the page says so and no session starts.
    b.type_into("#email", email).await;
    b.type_into("#password", "not the password").await;
    b.click("button[type=submit]").await;
    b.wait_for(".error").await;
    assert_eq!(b.text_of(".error").await, "Неверная эл. почта или пароль.");
    assert!(b.url().await.ends_with("/sign-in"));
    // The right one: the form's CSRF token and cookie carry it through, and the
    // signed-in page shows who is signed in (in the company's language, en).
    b.type_into("#email", email).await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    assert!(b.url().await.ends_with('/'), "{}", b.url().await);
    assert_eq!(b.text_of("#employee").await, "Olena");
    assert_eq!(b.text_of("#company-name").await, "Acme Repairs");
    assert!(b.text_of("#permissions").await.contains("Manage settings"));
    // Sign out with the page's button: back to the sign-in page, and / is closed again.
    b.click("form[action='/sign-out'] button").await;
    b.wait_for("#password").await;
    assert!(b.url().await.ends_with("/sign-in"));
    b.open(&app.url("/")).await;
    assert!(b.url().await.ends_with("/sign-in"));
    b.close().await;
}

async fn a_company_signs_up_on_the_page_and_switches_to_portuguese_r_u7_r_u6(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    // From the sign-in page's link to the sign-up form (R-U7's fields).
    b.open(&app.url("/sign-in")).await;
    b.click("#sign-up-link").await;
    b.wait_for("#company_name").await;
    b.type_into("#company_name", "Browser Repairs").await;
    b.click("#country option[value='PT']").await;
    b.click("#time_zone option[value='Europe/Lisbon']").await;
    b.click("#locale option[value='en']").await;
    b.type_into("#owner_name", "Rui").await;
    let email = format!("browser-{}@example.com", crate::helpers::unique());
    b.type_into("#email", &email).await;
    b.type_into("#password", "a long secret").await;
    b.click("form[action='/sign-up'] button[type=submit]").await;
    // Signed in at once, on home.
    b.wait_for("#employee").await;
    assert!(b.url().await.ends_with('/'), "{}", b.url().await);
    assert_eq!(b.text_of("#employee").await, "Rui");
    assert_eq!(b.text_of("#company-name").await, "Browser Repairs");
    assert_eq!(b.text_of("nav a[href='/tasks']").await, "Tasks");
    // The language switch: the nav speaks Portuguese, and keeps to it.
    b.click("#language option[value='pt']").await;
    b.click("#language-switch button").await;
    b.wait_for("html[lang='pt'] nav").await;
    assert_eq!(b.text_of("nav a[href='/tasks']").await, "Tarefas");
    assert_eq!(b.text_of("nav a[href='/']").await, "Início");
    b.open(&app.url("/tasks")).await;
    assert_eq!(b.title().await, "As minhas tarefas");
    b.close().await;
}

async fn an_employee_completes_a_task_from_my_tasks_r_a3(app: TestApp) {
    let r = app
        .post(
            "/api/v1/tasks",
            &json!({"title": "Call Maria back", "assignee_ids": [app.owner_id]}),
        )
        .await;
    let task: Value = r.json().await.unwrap();
    let id = task[0]["id"].as_i64().unwrap();
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.open(&app.url("/sign-in")).await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    b.click("nav a[href='/tasks']").await;
    b.wait_for(&format!("#task-{id}")).await;
    b.click(&format!("form[action='/tasks/{id}/complete'] button"))
        .await;
    b.wait_for("#flash").await;
    assert_eq!(b.text_of("#flash").await, "The task is done.");
    b.wait_for(&format!("form[action='/tasks/{id}/reopen']"))
        .await;
    let t = app.get_json(&format!("/api/v1/tasks/{id}")).await;
    assert_eq!(t["status"], "done");
    b.close().await;
}

/// Every main page, signed in, checked by axe-core: no violation of impact
/// serious or critical; each page is also saved as a screenshot artifact.
async fn the_main_pages_have_no_serious_accessibility_violations_r_u6(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let check = |name: &'static str| {
        let b = &b;
        async move {
            b.screenshot(&format!("{name}-{db}")).await;
            if let Some(violations) = b.serious_accessibility_violations().await {
                assert!(violations.is_empty(), "{name}: {violations:#?}");
            }
        }
    };
    b.open(&app.url("/sign-up")).await;
    b.wait_for("main").await;
    check("sign-up").await;
    b.open(&app.url("/sign-in")).await;
    b.wait_for("#password").await;
    check("sign-in").await;
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    check("home").await;
    for (name, path) in [("tasks", "/tasks"), ("password", "/account/password")] {
        b.open(&app.url(path)).await;
        b.wait_for("main").await;
        check(name).await;
    }
    b.close().await;
}

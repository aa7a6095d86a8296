//! The pages in a real browser (`webdriver.rs`: headless Chromium through
//! chromedriver and fantoccini).

use crate::helpers::TestApp;
use crate::webdriver::WebDriver;

both_databases!(
    an_employee_signs_in_and_out_in_a_real_browser_r_t3,
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
    assert_eq!(b.text_of("#company").await, "Acme Repairs");
    assert!(b.text_of("#permissions").await.contains("Manage settings"));
    // Sign out with the page's button: back to the sign-in page, and / is closed again.
    b.click("form[action='/sign-out'] button").await;
    b.wait_for("#password").await;
    assert!(b.url().await.ends_with("/sign-in"));
    b.open(&app.url("/")).await;
    assert!(b.url().await.ends_with("/sign-in"));
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
    b.close().await;
}

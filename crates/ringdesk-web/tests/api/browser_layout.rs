//! Issue 11's "usable on a phone's screen": every main page at 375 px wide
//! in headless Chromium, with no sideways scrolling; a screenshot of each.

use crate::helpers::TestApp;
use crate::webdriver::WebDriver;

both_databases!(every_main_page_fits_a_375_px_phone_screen_without_sideways_scrolling,);

/// The pages R-U7's navigation links, and the password page.
const PAGES: [(&str, &str); 10] = [
    ("home", "/"),
    ("calls", "/calls"),
    ("clients", "/clients"),
    ("leads", "/leads"),
    ("orders", "/orders"),
    ("quotes", "/quotes"),
    ("tasks", "/tasks"),
    ("notifications", "/notifications"),
    ("settings", "/settings"),
    ("password", "/account/password"),
];

async fn every_main_page_fits_a_375_px_phone_screen_without_sideways_scrolling(app: TestApp) {
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let db = if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.set_window_size(375, 812).await;
    b.open(&app.url("/sign-in")).await;
    b.wait_for("#password").await;
    let (width, overflow) = b.sideways_overflow().await;
    assert!(
        width <= 400,
        "the viewport is {width} px wide, not a phone's"
    );
    assert_eq!(overflow, 0, "sign-in scrolls sideways");
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
    for (name, path) in PAGES {
        b.open(&app.url(path)).await;
        b.wait_for("main h1").await;
        let (_, overflow) = b.sideways_overflow().await;
        b.screenshot(&format!("{name}-375px-{db}")).await;
        assert_eq!(
            overflow, 0,
            "{path} scrolls sideways at 375 px by {overflow} px"
        );
    }
    b.close().await;
}

//! The live call bar in a real browser (headless Chromium, `webdriver.rs`):
//! calls pushed by the server appear, stack and go (R-U1), Dismiss needs a
//! double click or two presses of Enter (R-U7), Edit contact re-links the
//! call (R-C6), View client leads to a quote from the call (R-U2, R-M7), the
//! bar speaks the page's language (R-U6); the pages pass axe (R-U6).

use crate::helpers::{ev, TestApp};
use crate::webdriver::WebDriver;
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    the_call_bar_appears_live_stacks_and_dismisses_only_on_a_double_click_or_two_enters_r_u1_r_u7,
    edit_contact_and_view_client_lead_to_a_quote_from_the_call_in_the_pages_language_r_c6_r_u2_r_u6,
    the_bar_areas_pages_have_no_serious_accessibility_violations_r_u6,
);

const ENTER: &str = "\u{e007}";
const TAB: &str = "\u{e004}";

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

async fn call_id(app: &TestApp, external: &str) -> i64 {
    app.call_by_external(external).await["id"].as_i64().unwrap()
}

async fn sign_in_owner(app: &TestApp, b: &WebDriver) {
    let owner = app
        .get_json(&format!("/api/v1/employees/{}", app.owner_id))
        .await;
    b.open(&app.url("/sign-in")).await;
    b.type_into("#email", owner["email"].as_str().unwrap())
        .await;
    b.type_into("#password", "correct horse").await;
    b.click("button[type=submit]").await;
    b.wait_for("#employee").await;
}

async fn the_call_bar_appears_live_stacks_and_dismisses_only_on_a_double_click_or_two_enters_r_u1_r_u7(
    app: TestApp,
) {
    let maria = client(&app, "Maria Petrenko", "067 123 45 67").await;
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    sign_in_owner(&app, &b).await;
    b.open(&app.url("/clients")).await;
    b.wait_for("#client-search").await;
    // A call rings (unassigned; the owner has view_all_calls): the bar appears, pushed.
    event(&app, ev("br-1-ring", "br-1", "ringing", 0, "0671234567")).await;
    let one = call_id(&app, "br-1").await;
    let first = format!("#call-{one}");
    b.wait_for_text(&format!("{first} .call-client"), "Maria Petrenko")
        .await;
    assert_eq!(
        b.attr(&format!("{first} .call-client"), "title")
            .await
            .as_deref(),
        Some("0671234567")
    );
    assert_eq!(b.text_of(&format!("{first} .call-state")).await, "Ringing");
    assert_eq!(
        b.attr(&format!("{first} .call-view-client"), "href").await,
        Some(format!("/clients/{maria}"))
    );
    // A single click does not dismiss it: a second call arrives after it and both stack.
    b.click(&format!("{first} .call-dismiss")).await;
    event(&app, ev("br-2-ring", "br-2", "ringing", 1, "0509998877")).await;
    let two = call_id(&app, "br-2").await;
    let second = format!("#call-{two}");
    b.wait_for(&second).await;
    assert!(b.exists(&first).await, "a single click must not dismiss");
    assert_eq!(b.count(".call-item").await, 2);
    assert_eq!(
        b.text_of(&format!("{second} .call-client")).await,
        "0509998877"
    );
    b.screenshot(&format!("call-bar-{}", db(&app))).await;

    // Every action of the bar is reachable with Tab, after the page's last control.
    b.focus("#language-switch button").await;
    let wanted = [
        format!("{first} .call-view-client"),
        format!("{first} .call-edit-contact"),
        format!("{first} .call-dismiss"),
        format!("{second} .call-edit-contact"),
        format!("{second} .call-dismiss"),
    ];
    for w in &wanted {
        b.press(TAB).await;
        assert!(b.focused_is(w).await, "Tab should reach {w}");
    }
    // From the keyboard: one Enter asks again, a second within two seconds dismisses.
    b.press(ENTER).await;
    b.wait_for(&format!("{second} .call-dismiss-again:not([hidden])"))
        .await;
    assert!(b.exists(&second).await);
    b.press(ENTER).await;
    b.wait_gone(&second).await;

    // The double click dismisses; the call stays dismissed on the next page.
    b.double_click(&format!("{first} .call-dismiss")).await;
    b.wait_gone(&first).await;
    b.open(&app.url("/quotes")).await;
    b.wait_for("#new-quote").await;
    // A third call on the new page shows, the dismissed one does not come back.
    event(&app, ev("br-3-ring", "br-3", "ringing", 2, "0441112233")).await;
    let three = call_id(&app, "br-3").await;
    b.wait_for(&format!("#call-{three}")).await;
    assert!(!b.exists(&first).await);
    // It ends: gone.
    event(&app, ev("br-3-end", "br-3", "cancelled", 20, "0441112233")).await;
    b.wait_gone(&format!("#call-{three}")).await;
    // A page opened mid-call shows the bar at once (GET /call-bar).
    event(&app, ev("br-4-ring", "br-4", "ringing", 3, "0442223344")).await;
    let four = call_id(&app, "br-4").await;
    b.open(&app.url("/clients")).await;
    b.wait_for(&format!("#call-{four}")).await;
    b.close().await;
}

fn db(app: &TestApp) -> &'static str {
    if app.db_url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    }
}

async fn edit_contact_and_view_client_lead_to_a_quote_from_the_call_in_the_pages_language_r_c6_r_u2_r_u6(
    app: TestApp,
) {
    // The owner takes calls on extension 100 (R-C5).
    let r = app
        .patch(
            &format!("/api/v1/employees/{}", app.owner_id),
            &json!({"extensions": ["100"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    client(&app, "Ivan Shevchenko", "067 555 11 22").await;
    let garage = client(&app, "Ivan's Garage", "067 555 11 22").await;
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    sign_in_owner(&app, &b).await;
    event(&app, ev("br-5-ring", "br-5", "ringing", 0, "0675551122")).await;
    let id = call_id(&app, "br-5").await;
    let bar = format!("#call-{id}");
    // Two clients on the number: the bar shows the number until one is chosen.
    b.wait_for_text(&format!("{bar} .call-client"), "0675551122")
        .await;
    b.click(&format!("{bar} .call-edit-contact")).await;
    b.wait_for("#contact-choose").await;
    b.click(&format!("#client-{garage}")).await;
    b.click("#contact-choose button[type=submit]").await;
    b.wait_for("#flash").await;
    assert_eq!(b.text_of("#client-name").await, "Ivan's Garage");
    let call = app.get_json(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(call["client_id"], json!(garage));
    // The bar follows the change live (R-C6: what the call shows from then on).
    b.wait_for_text(&format!("{bar} .call-client"), "Ivan's Garage")
        .await;

    // The caller answers; from the bar to the client, and a quote with the Incoming call button.
    let mut answered = ev("br-5-ans", "br-5", "answered", 5, "0675551122");
    answered["operator"] = json!("100");
    event(&app, answered).await;
    b.wait_for_text(&format!("{bar} .call-state"), "In call")
        .await;
    b.open(&app.url("/quotes")).await;
    b.wait_for(&format!("{bar} .call-view-client")).await;
    b.click(&format!("{bar} .call-view-client")).await;
    b.wait_for("#quote-builder").await;
    b.type_into("#description", "New clutch").await;
    // A line, then Add line (the form comes back with one more row and what
    // was typed), a second line with a comma, and the Incoming call button.
    b.type_into("#item-0-description", "Clutch kit").await;
    b.type_into("#item-0-quantity", "1").await;
    b.type_into("#item-0-unit_price", "149.90").await;
    // From the keyboard: the call bar at the foot of the window may cover
    // the button where WebDriver would click it.
    b.focus("#add-line").await;
    b.press(ENTER).await;
    b.wait_for("#item-3-description").await;
    assert_eq!(b.text_of("#quote-lines-total").await, "149.90");
    b.type_into("#item-3-description", "Labour").await;
    b.type_into("#item-3-quantity", "1,5").await;
    b.type_into("#item-3-unit_price", "40").await;
    b.focus("#incoming-call").await;
    b.press(ENTER).await;
    b.wait_for("#quote-call").await;
    assert_eq!(b.text_of("#quote-total").await, "209.90");
    let quotes = app.get_json(&format!("/api/v1/quotes?call_id={id}")).await;
    assert_eq!(quotes.as_array().unwrap().len(), 1, "{quotes}");
    assert_eq!(quotes[0]["channel"], "phone");
    assert_eq!(quotes[0]["client_id"], json!(garage));
    assert_eq!(quotes[0]["description"], "New clutch");
    assert_eq!(quotes[0]["total"], "209.90");
    assert_eq!(quotes[0]["items"][1]["quantity"], "1.5");

    // In Portuguese (the footer's switch), the bar speaks Portuguese. The
    // quote page with its lines is long: the bar covers the footer where
    // WebDriver would click, so the switch is used from the keyboard.
    b.click("#language option[value='pt']").await;
    b.focus("#language-switch button").await;
    b.press(ENTER).await;
    b.wait_for("html[lang='pt']").await;
    b.wait_for_text(&format!("{bar} .call-state"), "Em chamada")
        .await;
    assert_eq!(
        b.text_of(&format!("{bar} .call-dismiss")).await,
        "Dispensar"
    );
    assert_eq!(
        b.text_of(&format!("{bar} .call-view-client")).await,
        "Ver cliente"
    );
    b.close().await;
}

/// The client list, a profile, the quote builder and a page with the bar,
/// checked by axe-core (no serious or critical violation) and saved as screenshots.
async fn the_bar_areas_pages_have_no_serious_accessibility_violations_r_u6(app: TestApp) {
    let maria = client(&app, "Maria Petrenko", "067 123 45 67").await;
    let Some(b) = WebDriver::start("en").await else {
        return;
    };
    let db = db(&app);
    let check = |name: &'static str| {
        let b = &b;
        async move {
            b.screenshot(&format!("{name}-{db}")).await;
            if let Some(violations) = b.serious_accessibility_violations().await {
                assert!(violations.is_empty(), "{name}: {violations:#?}");
            }
        }
    };
    sign_in_owner(&app, &b).await;
    b.open(&app.url("/clients")).await;
    b.wait_for("#clients").await;
    check("clients").await;
    b.open(&app.url("/clients/new")).await;
    b.wait_for("#client-form").await;
    check("client-new").await;
    event(&app, ev("br-6-ring", "br-6", "ringing", 0, "0671234567")).await;
    let id = call_id(&app, "br-6").await;
    b.open(&app.url(&format!("/clients/{maria}"))).await;
    b.wait_for(&format!("#call-{id}")).await;
    check("client-profile-with-call-bar").await;
    b.open(&app.url("/quotes/new")).await;
    b.wait_for("#incoming-call").await;
    check("quote-new").await;
    b.open(&app.url(&format!("/calls/{id}/contact"))).await;
    b.wait_for("#contact-choose").await;
    check("edit-contact").await;
    // At a phone's 375 px, these pages with the bar showing do not scroll sideways.
    b.set_window_size(375, 812).await;
    for (name, path) in [
        ("clients", "/clients".to_owned()),
        ("client-profile", format!("/clients/{maria}")),
        ("quote-new", "/quotes/new".to_owned()),
        ("edit-contact", format!("/calls/{id}/contact")),
    ] {
        b.open(&app.url(&path)).await;
        b.wait_for(&format!("#call-{id} .call-dismiss")).await;
        let (_, overflow) = b.sideways_overflow().await;
        b.screenshot(&format!("{name}-with-bar-375px-{db}")).await;
        assert_eq!(
            overflow, 0,
            "{path} scrolls sideways at 375 px by {overflow} px"
        );
    }
    b.close().await;
}

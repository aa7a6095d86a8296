//! A quote's line items (issue 11, R-M7): through the API (create with lines,
//! from a call, replace, totals, refused lines named by path, converted
//! quotes refuse, conversion carries the lines) and through the quote pages
//! (the builder's rows, Add line, errors beside cells, editing, the locale's
//! decimal separator).

use crate::helpers::{assert_error, ev, TestApp};
use crate::work::{ok, send};
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    quote_lines_are_stored_with_their_totals_in_minor_units_r_m7,
    a_refused_line_is_named_by_its_path_and_nothing_is_stored_r_m7_r_x2,
    an_open_quotes_lines_are_replaced_and_audited_a_converted_ones_are_not_r_m7,
    a_quote_from_a_call_carries_its_lines_and_the_order_gets_them_r_m7,
    the_quote_builder_takes_lines_adds_rows_and_shows_errors_beside_cells_r_m7,
    the_quote_page_edits_lines_and_writes_money_as_the_language_does_r_m7,
);

fn line(description: &str, quantity: &str, unit_price: &str) -> Value {
    json!({"description": description, "quantity": quantity, "unit_price": unit_price})
}

async fn quote_count(app: &TestApp) -> usize {
    app.get_json("/api/v1/quotes")
        .await
        .as_array()
        .unwrap()
        .len()
}

async fn quote_with_lines(app: &TestApp) -> Value {
    ok(
        app,
        "POST",
        "/api/v1/quotes",
        json!({"channel": "email", "contact": "maria@example.com", "description": "Kitchen",
               "items": [line("Paint the wall", "1.5", "12.50"), line("Brush", "2", "3")]}),
    )
    .await
}

async fn quote_lines_are_stored_with_their_totals_in_minor_units_r_m7(app: TestApp) {
    let q = quote_with_lines(&app).await;
    let expect = json!([
        {"position": 0, "description": "Paint the wall", "quantity": "1.5", "unit_price": "12.50", "total": "18.75"},
        {"position": 1, "description": "Brush", "quantity": "2", "unit_price": "3.00", "total": "6.00"},
    ]);
    assert_eq!(q["items"], expect);
    assert_eq!(q["total"], "24.75");
    // Read back one by one and in the list (one query for all the lines).
    let id = q["id"].as_i64().unwrap();
    let read = app.get_json(&format!("/api/v1/quotes/{id}")).await;
    assert_eq!(read["items"], expect);
    assert_eq!(read["total"], "24.75");
    let plain = ok(
        &app,
        "POST",
        "/api/v1/quotes",
        json!({"channel": "chat", "contact": "@maria"}),
    )
    .await;
    assert_eq!(plain["items"], json!([]));
    assert_eq!(plain["total"], "0.00");
    let list = app.get_json("/api/v1/quotes").await;
    assert_eq!(list[0]["id"], plain["id"]);
    assert_eq!(list[0]["items"], json!([]));
    assert_eq!(list[1]["items"], expect);
    assert_eq!(list[1]["total"], "24.75");
    // A comma is a decimal separator too; thousandths round half up to the cent.
    let q = ok(
        &app,
        "POST",
        "/api/v1/quotes",
        json!({"channel": "other", "contact": "walk-in",
               "items": [line("Cable", "0,005", "1"), line("Screws", "1,25", "0,1"), line("Free check", "1", "0")]}),
    )
    .await;
    assert_eq!(q["items"][0]["quantity"], "0.005");
    assert_eq!(q["items"][0]["total"], "0.01");
    assert_eq!(q["items"][1]["total"], "0.13");
    assert_eq!(q["items"][2]["total"], "0.00");
    assert_eq!(q["total"], "0.14");
    // The largest amounts allowed add up without overflow.
    let max = line("Everything", "999999.999", "99999999.99");
    let q = ok(
        &app,
        "POST",
        "/api/v1/quotes",
        json!({"channel": "other", "contact": "x", "items": vec![max; 100]}),
    )
    .await;
    assert_eq!(q["items"].as_array().unwrap().len(), 100);
    assert_eq!(q["items"][0]["total"], "99999999890000.00");
    assert_eq!(q["total"], "9999999989000000.00");
}

async fn a_refused_line_is_named_by_its_path_and_nothing_is_stored_r_m7_r_x2(app: TestApp) {
    let before = quote_count(&app).await;
    let good = line("Paint", "1", "10");
    for (items, needle) in [
        (
            json!([good, good, line("Brush", "0", "3")]),
            "items[2].quantity: must be more than 0",
        ),
        (
            json!([line("Paint", "1", "12.345")]),
            "items[0].unit_price: must have at most 2 decimals",
        ),
        (json!([good, line("  ", "1", "1")]), "items[1].description"),
        (
            json!([line(&"x".repeat(201), "1", "1")]),
            "items[0].description",
        ),
        (json!([line("Paint", "-1", "1")]), "items[0].quantity"),
        (json!([line("Paint", "1", "1e3")]), "items[0].unit_price"),
        (json!([line("Paint", "1000000", "1")]), "items[0].quantity"),
        // Numbers are refused: money travels as decimal strings.
        (
            json!([{"description": "Paint", "quantity": 1.5, "unit_price": "1"}]),
            "items[0].quantity",
        ),
        (
            json!([{"description": "Paint", "quantity": "1"}]),
            "unit_price",
        ),
        (
            json!([{"description": "Paint", "quantity": "1", "unit_price": "1", "vat": "20"}]),
            "vat",
        ),
        (json!(vec![good.clone(); 101]), "items"),
    ] {
        let r = send(
            &app,
            "POST",
            "/api/v1/quotes",
            json!({"channel": "other", "contact": "x", "items": items}),
        )
        .await;
        assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, needle).await;
    }
    assert_eq!(quote_count(&app).await, before, "nothing stored");
    // The store checks the lines too, whoever calls it.
    let r = send(
        &app,
        "POST",
        "/api/v1/quotes",
        json!({"channel": "pigeon", "contact": "x", "items": [good]}),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "channel").await;
    assert_eq!(quote_count(&app).await, before);
}

async fn an_open_quotes_lines_are_replaced_and_audited_a_converted_ones_are_not_r_m7(app: TestApp) {
    let q = quote_with_lines(&app).await;
    let id = q["id"].as_i64().unwrap();
    let path = format!("/api/v1/quotes/{id}/items");
    let r = send(
        &app,
        "PUT",
        &path,
        json!({"items": [line("Paint", "2", "12.50"), line("Primer", "1", "7.25"), line("Tape", "x", "1")]}),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "items[2].quantity").await;
    let same = app.get_json(&format!("/api/v1/quotes/{id}")).await;
    assert_eq!(
        same["items"], q["items"],
        "a refused replacement changes nothing"
    );
    let changed = ok(
        &app,
        "PUT",
        &path,
        json!({"items": [line("Paint", "2", "12.50"), line("Primer", "1", "7.25")]}),
    )
    .await;
    assert_eq!(changed["total"], "32.25");
    assert_eq!(changed["items"][1]["position"], 1);
    assert_eq!(changed["items"][1]["description"], "Primer");
    let audit = app.get_json("/api/v1/audit-log").await;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "quote.items_changed")
        .unwrap_or_else(|| panic!("an audit entry in {audit}"));
    assert_eq!(entry["actor_employee_id"], app.owner_id);
    let detail = entry["detail"].as_str().unwrap();
    assert!(
        detail.contains("2 lines, total 24.75 -> 2 lines, total 32.25"),
        "{detail}"
    );
    // All lines may go.
    let empty = ok(&app, "PUT", &path, json!({"items": []})).await;
    assert_eq!(empty["items"], json!([]));
    assert_eq!(empty["total"], "0.00");
    ok(
        &app,
        "PUT",
        &path,
        json!({"items": [line("Paint", "1", "10")]}),
    )
    .await;
    // Unknown quote; missing body key.
    let r = send(
        &app,
        "PUT",
        "/api/v1/quotes/999999/items",
        json!({"items": []}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = send(&app, "PUT", &path, json!({})).await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "items").await;
    // Converted: the lines no longer change.
    ok(
        &app,
        "POST",
        &format!("/api/v1/quotes/{id}/convert"),
        json!({}),
    )
    .await;
    let r = send(
        &app,
        "PUT",
        &path,
        json!({"items": [line("More", "1", "1")]}),
    )
    .await;
    assert_error(r, StatusCode::CONFLICT, "converted").await;
    let after = app.get_json(&format!("/api/v1/quotes/{id}")).await;
    assert_eq!(after["items"][0]["description"], "Paint");
    assert_eq!(after["total"], "10.00");
}

async fn a_quote_from_a_call_carries_its_lines_and_the_order_gets_them_r_m7(app: TestApp) {
    assert_eq!(
        app.event(ev("qi-1", "qi-call", "answered", 0, "0671234567"))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let call = app.call_by_external("qi-call").await;
    let path = format!("/api/v1/calls/{}/quote", call["id"]);
    let r = send(
        &app,
        "POST",
        &path,
        json!({"items": [line("Screen", "1", "1.999")]}),
    )
    .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "items[0].unit_price").await;
    let q = ok(
        &app,
        "POST",
        &path,
        json!({"description": "Phone repair", "items": [line("Screen", "1", "89.90"), line("Labour", "1.5", "20")]}),
    )
    .await;
    assert_eq!(q["contact"], "+380671234567");
    assert_eq!(q["total"], "119.90");
    let conv = ok(
        &app,
        "POST",
        &format!("/api/v1/quotes/{}/convert", q["id"]),
        json!({}),
    )
    .await;
    assert_eq!(
        conv["order"]["description"],
        "Phone repair\nScreen: 1 × 89.90 = 89.90\nLabour: 1.5 × 20.00 = 30.00\nTotal: 119.90"
    );
    let order = app
        .get_json(&format!("/api/v1/orders/{}", conv["order"]["id"]))
        .await;
    assert_eq!(order["description"], conv["order"]["description"]);
    assert_eq!(order["quote_id"], q["id"]);
    // An order made otherwise has no description.
    let plain = ok(&app, "POST", "/api/v1/orders", json!({})).await;
    assert_eq!(plain["description"], Value::Null);
}

// ----- pages ----------------------------------------------------------------------------------------

async fn the_quote_builder_takes_lines_adds_rows_and_shows_errors_beside_cells_r_m7(app: TestApp) {
    let mut o = app.owner_browser().await;
    let html = o.page("/quotes/new").await;
    // Three blank rows, named as the API's fields, and Add line.
    for i in 0..3 {
        assert!(
            html.contains(&format!(r#"name="items[{i}].quantity""#)),
            "{html}"
        );
    }
    assert!(!html.contains(r#"name="items[3].quantity""#));
    assert!(html.contains(r#"id="add-line""#) && html.contains(">Add line</button>"));
    let csrf = o.csrf.clone().unwrap();
    let origin = o.base.clone();
    let typed = [
        ("csrf_token", csrf.as_str()),
        ("channel", "email"),
        ("contact", "maria@example.com"),
        ("description", "Kitchen"),
        ("items[0].description", "Paint the wall"),
        ("items[0].quantity", "1,5"),
        ("items[0].unit_price", "12.50"),
        ("items[1].description", ""),
        ("items[1].quantity", ""),
        ("items[1].unit_price", ""),
        ("items[2].description", "Brush"),
        ("items[2].quantity", "2"),
        ("items[2].unit_price", "3"),
    ];
    // Add line: the same form again, what was typed kept, one more row.
    let mut with_add = typed.to_vec();
    with_add.push(("add", "line"));
    let r = o.post_form("/quotes/new", &with_add, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"name="items[3].quantity""#), "{html}");
    assert!(!html.contains(r#"name="items[4].quantity""#));
    assert!(html.contains(r#"value="Paint the wall""#) && html.contains(r#"value="1,5""#));
    assert!(html.contains(r#"id="item-0-total">18.75<"#), "{html}");
    assert!(html.contains(r#"id="quote-lines-total">24.75<"#), "{html}");
    assert_eq!(quote_count(&app).await, 0, "Add line saves nothing");
    // A refused cell: its error beside it, the rest kept, nothing saved.
    let mut bad = typed.to_vec();
    bad[12] = ("items[2].unit_price", "3.999");
    bad[5] = ("items[0].quantity", "");
    let r = o.post_form("/quotes/new", &bad, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="item-2-unit_price-error""#)
            && html.contains("Too many decimals: at most 3 in a quantity, 2 in a price."),
        "{html}"
    );
    assert!(html.contains(r#"aria-describedby="item-2-unit_price-error""#));
    assert!(html.contains(r#"id="item-0-quantity-error""#), "{html}");
    assert!(
        !html.contains("item-1-description-error"),
        "a blank row is no error"
    );
    assert!(html.contains(r#"value="Brush""#));
    assert_eq!(quote_count(&app).await, 0);
    // Saved: the blank row is left out.
    let r = o.post_form("/quotes/new", &typed, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let q = &app.get_json("/api/v1/quotes").await[0];
    assert_eq!(q["items"].as_array().unwrap().len(), 2);
    assert_eq!(q["items"][0]["quantity"], "1.5");
    assert_eq!(q["items"][1]["description"], "Brush");
    assert_eq!(q["total"], "24.75");
    let html = o.page(&location).await;
    assert!(html.contains(r#"id="quote-items""#) && html.contains("Paint the wall"));
    assert!(html.contains(r#"id="quote-total">24.75<"#), "{html}");
    // The Incoming call button carries the typed lines too.
    assert_eq!(
        app.event(ev("qb-1", "qb-call", "ringing", 0, "0671234567"))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let call = app.call_by_external("qb-call").await;
    // The ringing call shows to those who see all calls (the owner).
    let html = o.page("/quotes/new").await;
    assert!(html.contains(r#"formaction="/quotes/from-call""#), "{html}");
    let r = o
        .post_form("/quotes/from-call", &typed, Some(&origin))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let by_call = app
        .get_json(&format!("/api/v1/quotes?call_id={}", call["id"]))
        .await;
    assert_eq!(by_call[0]["total"], "24.75");
    assert_eq!(by_call[0]["items"][0]["description"], "Paint the wall");
    let r = o.post_form("/quotes/from-call", &bad, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains(r#"id="item-2-unit_price-error""#));
}

async fn the_quote_page_edits_lines_and_writes_money_as_the_language_does_r_m7(app: TestApp) {
    let q = quote_with_lines(&app).await;
    let id = q["id"].as_i64().unwrap();
    let mut o = app.owner_browser().await;
    let html = o.page(&format!("/quotes/{id}")).await;
    assert!(html.contains(r#"id="quote-total">24.75<"#), "{html}");
    assert!(html.contains(r#"id="edit-lines""#) && html.contains(">Edit lines<"));
    // The lines as editable rows, and one blank row.
    assert!(
        html.contains(r#"name="items[1].unit_price" value="3.00""#),
        "{html}"
    );
    assert!(
        html.contains(r#"name="items[2].description" value="""#),
        "{html}"
    );
    let csrf = o.csrf.clone().unwrap();
    let origin = o.base.clone();
    let path = format!("/quotes/{id}/items");
    let rows = [
        ("csrf_token", csrf.as_str()),
        ("items[0].description", "Paint the wall"),
        ("items[0].quantity", "2"),
        ("items[0].unit_price", "12.50"),
        ("items[1].description", ""),
        ("items[1].quantity", ""),
        ("items[1].unit_price", ""),
    ];
    let mut add = rows.to_vec();
    add.push(("add", "line"));
    let r = o.post_form(&path, &add, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<details id="edit-lines" open"#), "{html}");
    assert!(html.contains(r#"name="items[2].description""#));
    let mut bad = rows.to_vec();
    bad[3] = ("items[0].unit_price", "abc");
    let r = o.post_form(&path, &bad, Some(&origin)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"id="item-0-unit_price-error""#)
            && html.contains("Enter a number such as 2, 1.5 or 1,5."),
        "{html}"
    );
    let r = o.post_form(&path, &rows, Some(&origin)).await;
    assert_eq!(
        r.headers()["location"],
        format!("/quotes/{id}?m=lines-saved").as_str()
    );
    let saved = app.get_json(&format!("/api/v1/quotes/{id}")).await;
    assert_eq!(saved["total"], "25.00");
    assert_eq!(saved["items"].as_array().unwrap().len(), 1);
    // In Portuguese: a comma before the decimals.
    o.cookies.insert("rd_lang".into(), "pt".into());
    let html = o.page(&format!("/quotes/{id}?m=lines-saved")).await;
    assert!(html.contains("As linhas foram guardadas."), "{html}");
    assert!(html.contains(r#"id="quote-total">25,00<"#), "{html}");
    assert!(html.contains(r#"value="12,50""#), "{html}");
    // Converted: the lines show, no editing; the order carries them.
    o.cookies.insert("rd_lang".into(), "en".into());
    let conv = ok(
        &app,
        "POST",
        &format!("/api/v1/quotes/{id}/convert"),
        json!({}),
    )
    .await;
    let html = o.page(&format!("/quotes/{id}")).await;
    assert!(html.contains(r#"id="quote-total">25.00<"#) && !html.contains(r#"id="edit-lines""#));
    let r = o.post_form(&path, &rows, Some(&origin)).await;
    assert_eq!(
        r.headers()["location"],
        format!("/quotes/{id}?m=already-converted").as_str()
    );
    let html = o.page(&format!("/orders/{}", conv["order"]["id"])).await;
    assert!(
        html.contains("Kitchen\nPaint the wall: 2 × 12.50 = 25.00\nTotal: 25.00"),
        "{html}"
    );
    assert!(html.contains(&format!(r#"href="/quotes/{id}""#)));
}

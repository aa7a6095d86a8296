//! Clients and caller identification by number (R-P1…R-P5).

use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

both_databases!(
    a_ukrainian_client_is_found_from_every_usual_form_of_the_number_r_p2,
    russian_numbers_in_trunk_form_are_found_and_8_800_normalises_r_p2,
    two_clients_sharing_a_number_are_many_newest_first_r_p3,
    a_contacts_and_a_branchs_numbers_are_found_saying_where_r_p3,
    an_unknown_number_is_none_r_p3,
    a_client_is_read_listed_and_updated_and_lookup_follows_the_update_r_p1,
);

async fn lookup_as(app: &TestApp, token: &str, number: &str) -> Value {
    let r = app
        .get_as(
            token,
            &format!("/api/v1/clients/lookup?phone={}", urlencode(number)),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn a_ukrainian_client_is_found_from_every_usual_form_of_the_number_r_p2(app: TestApp) {
    let r = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Taras", "phones": [{"number": "067 123 45 67"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let client: Value = r.json().await.unwrap();
    assert_eq!(client["phones"][0]["e164"], "+380671234567");
    assert_eq!(
        client["phones"][0]["number"], "067 123 45 67",
        "the raw text is kept for display"
    );
    for form in [
        "+380671234567",
        "380671234567",
        "0671234567",
        "80671234567",
        "+38 (067) 123-45-67",
    ] {
        let found = lookup_as(&app, &app.token, form).await;
        assert_eq!(found["match"], "one", "{form}");
        assert_eq!(found["clients"][0]["id"], client["id"]);
        assert_eq!(found["clients"][0]["matched_on"], "phone");
    }
}

async fn russian_numbers_in_trunk_form_are_found_and_8_800_normalises_r_p2(app: TestApp) {
    let ru = app.company_token("RU").await;
    let r = app.post_as(&ru, "/api/v1/clients", &json!({"name": "Иван", "phones": [{"number": "8 (916) 123-45-67", "kind": "mobile"}, {"number": "8 800 555-35-35"}]})).await;
    let client: Value = r.json().await.unwrap();
    assert_eq!(client["phones"][1]["e164"], "+78005553535");
    let found = lookup_as(&app, &ru, "+79161234567").await;
    assert_eq!(found["match"], "one");
    assert_eq!(found["clients"][0]["matched_on"], "mobile");
    assert_eq!(
        lookup_as(&app, &ru, "+78005553535").await["clients"][0]["id"],
        client["id"]
    );
    // The same number in another company is not this company's client (R-T1).
    assert_eq!(
        lookup_as(&app, &app.token, "+79161234567").await["match"],
        "none"
    );
}

async fn two_clients_sharing_a_number_are_many_newest_first_r_p3(app: TestApp) {
    let a: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Older", "phones": [{"number": "0501234567"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let b: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Newer", "phones": [{"number": "+380501234567"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let found = lookup_as(&app, &app.token, "050 123 45 67").await;
    assert_eq!(found["match"], "many");
    let ids: Vec<&Value> = found["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&b["id"], &a["id"]]);
}

async fn a_contacts_and_a_branchs_numbers_are_found_saying_where_r_p3(app: TestApp) {
    let c: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Auto Service LLC",
                    "branches": [{"name": "Podil", "phone": "044 111 22 33", "mobile": null}],
                    "contacts": [{"name": "Maria", "phone": null, "mobile": "063 999 88 77"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let found = lookup_as(&app, &app.token, "+380441112233").await;
    assert_eq!(found["match"], "one");
    assert_eq!(found["clients"][0]["matched_on"], "branch");
    assert_eq!(found["clients"][0]["id"], c["id"]);
    let found = lookup_as(&app, &app.token, "0639998877").await;
    assert_eq!(found["clients"][0]["matched_on"], "contact");
    assert_eq!(found["clients"][0]["name"], "Auto Service LLC");
}

async fn an_unknown_number_is_none_r_p3(app: TestApp) {
    let found = lookup_as(&app, &app.token, "+380991112233").await;
    assert_eq!(found, json!({"match": "none", "clients": []}));
    assert_eq!(
        lookup_as(&app, &app.token, "anonymous").await["match"],
        "none"
    );
}

async fn a_client_is_read_listed_and_updated_and_lookup_follows_the_update_r_p1(app: TestApp) {
    let c: Value = app
        .post(
            "/api/v1/clients",
            &json!({"name": "Old name", "phones": [{"number": "0671234567"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = c["id"].as_i64().unwrap();
    assert_eq!(app.get_json(&format!("/api/v1/clients/{id}")).await, c);
    let r = app
        .patch(
            &format!("/api/v1/clients/{id}"),
            &json!({"name": "New name", "phones": [{"number": "0931112233", "kind": "mobile"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let updated: Value = r.json().await.unwrap();
    assert_eq!(updated["name"], "New name");
    assert_eq!(updated["phones"].as_array().unwrap().len(), 1);
    assert_eq!(
        lookup_as(&app, &app.token, "0671234567").await["match"],
        "none"
    );
    assert_eq!(
        lookup_as(&app, &app.token, "0931112233").await["clients"][0]["matched_on"],
        "mobile"
    );
    let list = app.get_json("/api/v1/clients").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/api/v1/clients/999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

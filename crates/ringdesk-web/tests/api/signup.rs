//! R-X3a: who may sign a company up through `POST /api/v1/signup`.

use crate::helpers::{assert_error, serve, unique, TestApp};
use reqwest::StatusCode;
use ringdesk_domain::signup::SignupPolicy;
use serde_json::{json, Value};

both_databases!(
    open_sign_up_takes_every_company_r_x3a,
    first_company_takes_the_first_company_only_r_x3a,
    the_default_policy_is_first_company_r_x3a,
    closed_sign_up_refuses_even_the_first_company_r_x3a,
    racing_first_sign_ups_make_one_company_r_x3a,
);

async fn sign_up(base: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/signup"))
        .json(&json!({
            "company": {"name": "Acme Repairs", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"},
            "owner": {"name": "Olena", "email": format!("owner-{}@example.com", unique()), "password": "correct horse"}
        }))
        .send()
        .await
        .unwrap()
}

async fn open_sign_up_takes_every_company_r_x3a(app: TestApp) {
    // The installation has its first company already (the TestApp's).
    let base = serve(app.store.clone(), Some(SignupPolicy::Open)).await;
    for _ in 0..2 {
        let r = sign_up(&base).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        assert!(body["api_token"].as_str().unwrap().starts_with("rd_"));
    }
}

async fn first_company_takes_the_first_company_only_r_x3a(app: TestApp) {
    // An installation that has a company refuses another, with R-X2's body.
    let base = serve(app.store.clone(), Some(SignupPolicy::FirstCompany)).await;
    assert_error(
        sign_up(&base).await,
        StatusCode::FORBIDDEN,
        "sign-up is closed",
    )
    .await;

    // A fresh installation takes its first company, then no other.
    let (store, _dir) = app.empty_database().await;
    let base = serve(store.clone(), Some(SignupPolicy::FirstCompany)).await;
    let r = sign_up(&base).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    let body = assert_error(
        sign_up(&base).await,
        StatusCode::FORBIDDEN,
        "company create",
    )
    .await;
    assert_eq!(body["error"]["code"], "forbidden");
    // The refused sign-up created nothing; the first company's token works.
    let r = reqwest::Client::new()
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(first["api_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn the_default_policy_is_first_company_r_x3a(app: TestApp) {
    // `Application::build` (no policy given) on a fresh installation.
    let (store, _dir) = app.empty_database().await;
    let base = serve(store, None).await;
    assert_eq!(sign_up(&base).await.status(), StatusCode::CREATED);
    assert_error(
        sign_up(&base).await,
        StatusCode::FORBIDDEN,
        "sign-up is closed",
    )
    .await;
}

async fn closed_sign_up_refuses_even_the_first_company_r_x3a(app: TestApp) {
    let (store, _dir) = app.empty_database().await;
    let base = serve(store.clone(), Some(SignupPolicy::Closed)).await;
    assert_error(
        sign_up(&base).await,
        StatusCode::FORBIDDEN,
        "sign-up is closed",
    )
    .await;
    assert!(!store.has_company().await.unwrap(), "nothing was created");
    // And on an installation that has companies.
    let base = serve(app.store.clone(), Some(SignupPolicy::Closed)).await;
    assert_error(
        sign_up(&base).await,
        StatusCode::FORBIDDEN,
        "sign-up is closed",
    )
    .await;
}

/// Before, the check ("no company yet") and the creation were two
/// transactions: sign-ups racing on a fresh installation could all pass the
/// check and make several companies. Now exactly one is created.
async fn racing_first_sign_ups_make_one_company_r_x3a(app: TestApp) {
    let (store, _dir) = app.empty_database().await;
    let base = serve(store.clone(), Some(SignupPolicy::FirstCompany)).await;
    let answers = futures::future::join_all((0..8).map(|_| sign_up(&base))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status()).collect();
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::FORBIDDEN),
        "{statuses:?}"
    );
}

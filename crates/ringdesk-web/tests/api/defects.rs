//! Issue 9's defects, each pinned by a test that failed before its fix.

use crate::helpers::TestApp;
use serde_json::{json, Value};

both_databases!(overdue_filters_are_applied_before_paging_so_pages_are_full_r_m4,);

async fn send(app: &TestApp, method: &str, path: &str, body: Value) -> reqwest::Response {
    app.http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(&app.token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ok(app: &TestApp, method: &str, path: &str, body: Value) -> Value {
    let r = send(app, method, path, body).await;
    assert!(
        r.status().is_success(),
        "{method} {path}: {} {}",
        r.status(),
        r.text().await.unwrap()
    );
    r.json().await.unwrap_or(Value::Null)
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

// ----- defect: `overdue` filtered after LIMIT/OFFSET (R-M4) ----------------------------------

/// Reads every page of `path` (`limit` per page) and checks each one but the
/// last is full; returns the ids in page order.
async fn all_pages(app: &TestApp, path: &str, limit: usize) -> Vec<i64> {
    let mut out = vec![];
    for page in 0.. {
        let got = ids(&app
            .get_json(&format!("{path}&limit={limit}&offset={}", page * limit))
            .await);
        assert!(got.len() <= limit);
        out.extend(&got);
        if got.len() < limit {
            // The last page: the next one is empty.
            let next = app
                .get_json(&format!(
                    "{path}&limit={limit}&offset={}",
                    (page + 1) * limit
                ))
                .await;
            assert!(
                ids(&next).is_empty(),
                "{path}: a short page {page} before the end"
            );
            break;
        }
    }
    out
}

async fn overdue_filters_are_applied_before_paging_so_pages_are_full_r_m4(app: TestApp) {
    let statuses = app.get_json("/api/v1/lead-statuses").await;
    let won = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"] == "won" && s["key"].is_null())
        .unwrap()["id"]
        .clone();
    // Overdue and not overdue, interleaved (newest first is the default order).
    let mut overdue = vec![];
    let mut not_overdue = vec![];
    for i in 0..9 {
        let body = match i % 3 {
            0 | 1 => json!({"client_name": format!("Late {i}"), "due_at": "2020-01-01T00:00:00Z"}),
            _ if i == 5 => json!({"client_name": "No deadline"}),
            _ => json!({"client_name": format!("Later {i}"), "due_at": "2099-01-01T00:00:00Z"}),
        };
        let id = ok(&app, "POST", "/api/v1/leads", body).await["id"]
            .as_i64()
            .unwrap();
        if i % 3 == 2 {
            not_overdue.push(id);
        } else if i == 4 {
            // Past its deadline but won: not open, so not overdue (R-M4).
            ok(
                &app,
                "PATCH",
                &format!("/api/v1/leads/{id}"),
                json!({"status_id": won}),
            )
            .await;
            not_overdue.push(id);
        } else {
            overdue.push(id);
        }
    }
    overdue.reverse();
    not_overdue.reverse();
    assert_eq!(
        all_pages(&app, "/api/v1/leads?overdue=false", 2).await,
        not_overdue
    );
    assert_eq!(
        all_pages(&app, "/api/v1/leads?overdue=true", 2).await,
        overdue
    );
}

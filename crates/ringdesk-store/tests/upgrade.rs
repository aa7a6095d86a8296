//! Migrations already released are never edited, and a database made by the
//! released schema keeps its data through an upgrade (issue 9, item 7).
//!
//! The test builds a database with only the migrations of the last release
//! (0001–0005, issue 5), writes into it what that release wrote for a small
//! company — an owner with an extension, a client with a number, a missed call
//! whose missed-call task job is still waiting, a lead whose deadline job is
//! still waiting — then opens it with this build (which applies every newer
//! migration) and checks that everything is there and that the waiting jobs
//! still run once.

use jiff::Timestamp;
use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::{CallFilter, LeadFilter, Store, TaskFilter};
use sqlx::migrate::Migrator;
use std::borrow::Cow;

/// The last released schema version.
const RELEASED: i64 = 5;

/// What the released version wrote, in SQL both dialects read alike.
/// `{ov}` stands where PostgreSQL needs `overriding system value` to take an
/// explicit identity.
const RELEASED_DATA: &[&str] = &[
    "insert into company (company_id, name, country, time_zone, locale, created_at) {ov} \
     values (1, 'Acme Repairs', 'UA', 'Europe/Kyiv', 'en', 1700000000000)",
    "insert into employee (employee_id, company_id, name, email, password_hash, permissions, is_owner, active, created_at) {ov} \
     values (1, 1, 'Olena', 'owner@example.com', 'x', '', true, true, 1700000000000)",
    "insert into employee_extension (company_id, extension, employee_id) values (1, '101', 1)",
    "insert into lead_status (lead_status_id, company_id, name, status_group, status_key, position) {ov} \
     values (1, 1, 'New', 'new', null, 1)",
    "insert into order_status (order_status_id, company_id, name, status_group, position) {ov} \
     values (1, 1, 'New', 'new', 1)",
    "insert into lead_type (lead_type_id, company_id, name, initial_status_id) {ov} values (1, 1, 'Lead', 1)",
    "insert into telephony_settings (company_id, settings, updated_at) \
     values (1, '{\"missed_call_task\":{\"enabled\":true,\"assignee_ids\":[1]}}', 1700000000000)",
    "insert into client (client_id, company_id, name, created_at) {ov} values (1, 1, 'Taras', 1700000000000)",
    "insert into client_phone (client_phone_id, company_id, client_id, raw, phone_key, kind, matched_on, position) {ov} \
     values (1, 1, 1, '067 123 45 67', '+380671234567', 'phone', 'phone', 0)",
    "insert into call (call_id, company_id, external_id, direction, state, missed, from_raw, to_raw, customer_key, client_id, \
     client_match, first_seen_at, ringing_at, ended_at, ring_seconds, total_seconds, created_at, updated_at, last_event_received_at) {ov} \
     values (1, 1, 'pbx-1', 'inbound', 'no_answer', true, '+380671234567', '101', '+380671234567', 1, 'one', \
     1700000000000, 1700000000000, 1700000020000, 20, 20, 1700000000000, 1700000020000, 1700000020000)",
    "insert into call_event (call_event_id, company_id, call_id, event_id, state, at, from_raw, to_raw, fingerprint, received_at) {ov} \
     values (1, 1, 1, 'e1', 'ringing', 1700000000000, '+380671234567', '101', 'f1', 1700000000000)",
    "insert into call_event (call_event_id, company_id, call_id, event_id, state, at, from_raw, to_raw, fingerprint, received_at) {ov} \
     values (2, 1, 1, 'e2', 'no_answer', 1700000020000, '+380671234567', '101', 'f2', 1700000020000)",
    "insert into call_automation (company_id, call_id, rule, outcome, updated_at) \
     values (1, 1, 'missed_call_task', 'pending', 1700000020000)",
    "insert into automation_job (automation_job_id, company_id, call_id, rule, run_at, created_at) {ov} \
     values (1, 1, 1, 'missed_call_task', 1700000025000, 1700000020000)",
    "insert into lead (lead_id, company_id, number, lead_type_id, status_id, client_name, phone, phone_key, manager_id, creator_id, \
     source, due_at, urgent, created_at, updated_at, search_text) {ov} \
     values (1, 1, '1', 1, 1, 'Petro', '067 555 44 33', '+380675554433', 1, 1, 'manual', 1700000100000, false, \
     1700000000000, 1700000000000, 'petro 067 555 44 33 1')",
    "insert into lead_deadline_job (company_id, lead_id, run_at) values (1, 1, 1700000100000)",
];

/// Identity tables written above, whose sequences PostgreSQL must be told about.
const IDENTITIES: &[(&str, &str)] = &[
    ("company", "company_id"),
    ("employee", "employee_id"),
    ("lead_status", "lead_status_id"),
    ("order_status", "order_status_id"),
    ("lead_type", "lead_type_id"),
    ("client", "client_id"),
    ("client_phone", "client_phone_id"),
    ("call", "call_id"),
    ("call_event", "call_event_id"),
    ("automation_job", "automation_job_id"),
    ("lead", "lead_id"),
];

fn released(mut m: Migrator) -> Migrator {
    m.migrations = Cow::Owned(
        m.migrations
            .iter()
            .filter(|m| m.version <= RELEASED)
            .cloned()
            .collect(),
    );
    m
}

async fn check_upgraded(url: &str) {
    let store = Store::connect(url)
        .await
        .expect("upgrading the released database");
    let company = store.company(1).await.unwrap();
    assert_eq!(company.name, "Acme Repairs");
    let owner = store.employee(1, 1).await.unwrap();
    assert_eq!(owner.extensions, vec!["101".to_owned()]);
    let client = store.client(1, 1).await.unwrap();
    assert_eq!(client.phones[0].e164.as_deref(), Some("+380671234567"));
    let calls = store
        .calls(
            1,
            &CallFilter {
                limit: 10,
                ..CallFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert!(calls[0].missed);
    assert_eq!(calls[0].client_id, Some(1));
    assert_eq!(store.call_events(1, 1).await.unwrap().len(), 2);
    let leads = store
        .leads(
            1,
            &LeadFilter {
                limit: 10,
                ..LeadFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(leads.len(), 1);
    assert_eq!(leads[0].client_name, "Petro");

    // The jobs that were waiting when the old version stopped run once now.
    let later = Timestamp::from_second(1_700_001_000).unwrap();
    store.run_due_jobs(later).await.unwrap();
    store.run_due_jobs(later).await.unwrap();
    let tasks = store
        .tasks(
            1,
            &TaskFilter {
                call_id: Some(1),
                limit: 10,
                ..TaskFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(tasks.len(), 1, "one missed-call task from the waiting job");
    assert_eq!(tasks[0].assignee_ids, vec![1]);
    let overdue = store.notifications(1, 1, false, 10).await.unwrap();
    assert_eq!(
        overdue.len(),
        1,
        "the lead's deadline job told its manager once"
    );
    store.close().await;
}

#[tokio::test]
async fn a_database_of_the_released_schema_keeps_its_data_and_jobs_through_the_upgrade() {
    // SQLite.
    let dir = std::env::temp_dir().join(format!("ringdesk-upgrade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("ringdesk.db").display());
    {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        released(sqlx::migrate!("./migrations/sqlite"))
            .run(&pool)
            .await
            .unwrap();
        for sql in RELEASED_DATA {
            sqlx::query(&sql.replace("{ov}", ""))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        pool.close().await;
    }
    check_upgraded(&url).await;
    let _ = std::fs::remove_dir_all(&dir);

    // PostgreSQL.
    let admin = match std::env::var(POSTGRES_URL_VAR) {
        Ok(admin) => admin,
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{POSTGRES_URL_VAR} is not set in CI: the PostgreSQL half must run")
        }
        Err(_) => {
            eprintln!(
                "NOT RUN on PostgreSQL: set {POSTGRES_URL_VAR} to upgrade a PostgreSQL database"
            );
            return;
        }
    };
    let url = fresh_postgres_database(&admin).await.unwrap();
    {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        released(sqlx::migrate!("./migrations/postgres"))
            .run(&pool)
            .await
            .unwrap();
        for sql in RELEASED_DATA {
            sqlx::query(&sql.replace("{ov}", "overriding system value"))
                .execute(&pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        for (table, key) in IDENTITIES {
            sqlx::query(&format!(
                "select setval(pg_get_serial_sequence('{table}', '{key}'), (select max({key}) from {table}))"
            ))
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }
    check_upgraded(&url).await;
}

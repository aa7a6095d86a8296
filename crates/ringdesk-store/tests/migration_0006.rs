//! Migration 0006 (issue 9) carries the jobs of a database made by 0001–0005
//! over into the one `job` table: pending and done call jobs with their
//! attempts and errors, and lead deadlines, on SQLite and on PostgreSQL.

use ringdesk_domain::jobs::JobStatus;
use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::Store;
use sqlx::migrate::Migrator;
use sqlx::Executor;
use std::borrow::Cow;
use std::path::Path;

/// The old shape's rows: one company, a call with a pending missed-call task
/// job that failed twice and a done stale check, a lead with a deadline.
fn old_rows(overriding: &str) -> String {
    format!(
        "insert into company (company_id, name, country, time_zone, locale, created_at) {overriding} values (1, 'Acme', 'UA', 'Europe/Kyiv', 'en', 0);
         insert into call (call_id, company_id, external_id, direction, state, missed, from_raw, to_raw, first_seen_at, created_at, updated_at)
             {overriding} values (1, 1, 'c-1', 'inbound', 'cancelled', true, '0671112233', '+380441234567', 0, 0, 0);
         insert into lead_status (lead_status_id, company_id, name, status_group, position) {overriding} values (1, 1, 'New', 'new', 0);
         insert into lead_type (lead_type_id, company_id, name, initial_status_id) {overriding} values (1, 1, 'Repair', 1);
         insert into lead (lead_id, company_id, number, lead_type_id, status_id, client_name, source, created_at, updated_at)
             {overriding} values (1, 1, '1', 1, 1, 'Olena', 'manual', 50, 60);
         insert into automation_job (company_id, call_id, rule, run_at, created_at, done_at, attempts, last_error)
             values (1, 1, 'missed_call_task', 1000, 10, null, 2, 'boom'),
                    (1, 1, 'stale_check', 500, 10, 400, 1, null);
         insert into lead_deadline_job (company_id, lead_id, run_at, done_at) values (1, 1, 2000, null);"
    )
}

async fn old_migrator(dir: &str) -> Migrator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    let all = Migrator::new(path).await.unwrap();
    let old: Vec<_> = all.iter().filter(|m| m.version < 6).cloned().collect();
    assert_eq!(old.len(), 5);
    Migrator {
        migrations: Cow::Owned(old),
        ..Migrator::DEFAULT
    }
}

async fn check(url: &str) {
    let store = Store::connect(url).await.unwrap();
    let mut jobs = store.jobs(1, None, 10).await.unwrap();
    jobs.sort_by(|a, b| a.kind.cmp(&b.kind));
    let view: Vec<_> = jobs
        .iter()
        .map(|j| {
            (
                j.kind.as_str(),
                j.status,
                j.call_id,
                j.lead_id,
                j.run_at.as_millisecond(),
                j.attempts,
                j.last_error.as_deref(),
                j.finished_at.map(|t| t.as_millisecond()),
            )
        })
        .collect();
    assert_eq!(
        view,
        vec![
            (
                "lead_deadline",
                JobStatus::Pending,
                None,
                Some(1),
                2000,
                0,
                None,
                None
            ),
            (
                "missed_call_task",
                JobStatus::Pending,
                Some(1),
                None,
                1000,
                2,
                Some("boom"),
                None
            ),
            (
                "stale_check",
                JobStatus::Done,
                Some(1),
                None,
                500,
                1,
                None,
                Some(400)
            ),
        ]
    );
    assert_eq!(
        jobs[0].created_at.as_millisecond(),
        50,
        "the lead's creation"
    );
    store.close().await;
}

#[tokio::test]
async fn sqlite_jobs_and_deadlines_of_the_old_tables_are_carried_into_the_job_table() {
    let dir = std::env::temp_dir().join(format!("ringdesk-0006-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("old.db");
    let _ = std::fs::remove_file(&file);
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    old_migrator("sqlite").await.run(&pool).await.unwrap();
    pool.execute(old_rows("").as_str()).await.unwrap();
    pool.close().await;
    check(&url).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn postgres_jobs_and_deadlines_of_the_old_tables_are_carried_into_the_job_table() {
    let Ok(admin) = std::env::var(POSTGRES_URL_VAR) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{POSTGRES_URL_VAR} is not set in CI"
        );
        eprintln!("NOT RUN on PostgreSQL: set {POSTGRES_URL_VAR} to run this test there");
        return;
    };
    let url = fresh_postgres_database(&admin).await.unwrap();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    old_migrator("postgres").await.run(&pool).await.unwrap();
    pool.execute(old_rows("overriding system value").as_str())
        .await
        .unwrap();
    pool.close().await;
    check(&url).await;
}

//! The PostgreSQL backend. Concurrent writers to one call are serialised by a
//! row lock on the call (`FOR UPDATE`); read committed isolation does the rest.
//!
//! Row-level security is the second wall between companies (R-T1): migrations
//! run as the configured user, who owns the tables; the pool then runs every
//! query as `ringdesk_app` (no superuser, no BYPASSRLS, owns nothing), and each
//! transaction names its company (`begin_tenant`) or the one secret it may
//! look up (`begin_lookup`). A query that names neither sees no rows.

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, Executor};
use std::time::Duration;

pub(crate) type Db = sqlx::Postgres;

const FOR_UPDATE: &str = " for update";

/// A job runner's claim: a row another node holds is passed over, not waited for.
const SKIP_LOCKED: &str = " for update skip locked";

/// The channel on which job runners are woken when a job falls due now.
pub(crate) const JOBS_CHANNEL: &str = "ringdesk_jobs";

/// The role every pooled connection runs as (see migrations/postgres/0003_security.sql).
pub const APP_ROLE: &str = "ringdesk_app";

/// A company's id is given by the database's identity sequence, not by the
/// insert, because under row-level security the row can only be written once
/// the transaction already names its company.
const OVERRIDING: &str = " overriding system value";

pub(crate) async fn open(url: &str) -> crate::Result<sqlx::PgPool> {
    let mut owner = sqlx::PgConnection::connect(url).await?;
    sqlx::migrate!("./migrations/postgres")
        .run(&mut owner)
        .await?;
    owner.close().await?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(format!("set role {APP_ROLE}").as_str())
                    .await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok(pool)
}

pub(crate) async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

/// A transaction that acts for `company_id` only.
pub(crate) async fn begin_tenant(
    pool: &sqlx::Pool<Db>,
    company_id: i64,
    _write: bool,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    // One round trip: the company is named in the same simple query as BEGIN
    // (an i64 formatted into the text, so nothing can be injected).
    Ok(pool
        .begin_with(format!(
            "begin; select set_config('ringdesk.company_id', '{company_id}', true)"
        ))
        .await?)
}

/// A transaction that may see the one row whose secret `value` is (`name`:
/// `token_hash`, `session_hash` or `email`), until it names a company.
pub(crate) async fn begin_lookup(
    pool: &sqlx::Pool<Db>,
    name: &str,
    value: &str,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    let mut tx = pool.begin().await?;
    sqlx::query("select set_config($1, $2, true)")
        .bind(format!("ringdesk.{name}"))
        .bind(value)
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The transaction of a first company's sign-up (R-X3a): it may see whether
/// any company exists (policy `company_exists`), and holds a lock that every
/// such sign-up takes, so two on a fresh installation cannot both see none.
pub(crate) async fn begin_first_company(
    pool: &sqlx::Pool<Db>,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    let mut tx = begin_lookup(pool, "company_exists", "any").await?;
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('ringdesk-first-company', 0))")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Names the company the rest of the transaction acts for.
pub(crate) async fn set_company(
    conn: &mut sqlx::PgConnection,
    company_id: i64,
) -> crate::Result<()> {
    sqlx::query("select set_config('ringdesk.company_id', $1, true)")
        .bind(company_id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Wakes every node's job runner when this transaction commits (a job is due
/// now); notifications of one transaction are delivered once, at commit.
pub(crate) async fn wake_job_runners(conn: &mut sqlx::PgConnection) -> crate::Result<()> {
    sqlx::query("select pg_notify($1, '')")
        .bind(JOBS_CHANNEL)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The channel on which live streams are woken: a company's events committed.
pub(crate) const LIVE_CHANNEL: &str = "ringdesk_live";

/// Wakes every node's live streams of `company_id` when this transaction
/// commits (nothing is sent if it rolls back); the outbox is what they read.
pub(crate) async fn notify_live(
    conn: &mut sqlx::PgConnection,
    company_id: i64,
) -> crate::Result<()> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(LIVE_CHANNEL)
        .bind(company_id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Tells every node's store that `change` made cached entries stale: a
/// `NOTIFY` in the caller's transaction, so it is delivered only on commit.
pub(crate) async fn notify_cache(
    conn: &mut sqlx::PgConnection,
    change: crate::CacheChange,
) -> crate::Result<()> {
    sqlx::query("select pg_notify($1, $2)")
        .bind(crate::cache::CACHE_CHANNEL)
        .bind(change.payload())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The next company id, from the identity sequence.
pub(crate) async fn new_company_id(conn: &mut sqlx::PgConnection) -> crate::Result<i64> {
    Ok(
        sqlx::query_scalar("select nextval(pg_get_serial_sequence('company', 'company_id'))")
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// The queries, written once for both backends (see `sql/mod.rs`).
#[path = "sql/mod.rs"]
#[allow(
    clippy::duplicate_mod,
    reason = "mounted once per backend on purpose: the same SQL compiled against each backend's Db"
)]
mod sql;
pub(crate) use sql::*;

/// Holds a lock on one customer number of a company until the transaction
/// ends, so that the lead rules of two calls from that number never decide at
/// the same time on two nodes (or two runner passes) without seeing each other.
pub(crate) async fn lock_number(
    conn: &mut sqlx::PgConnection,
    company_id: i64,
    key: &str,
) -> crate::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("ringdesk-number:{company_id}:{key}"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

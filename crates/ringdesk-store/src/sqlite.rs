//! The SQLite backend: embedded, one file, WAL with `synchronous=FULL` so an
//! acknowledged event survives a power cut; write transactions take the write
//! lock up front (`BEGIN IMMEDIATE`) so concurrent writers wait instead of
//! failing with SQLITE_BUSY. SQLite has no row-level security: the company id
//! in every query's `where` is the only wall, and `set_company` is a no-op.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub(crate) type Db = sqlx::Sqlite;

/// No row locks in SQLite: the write lock taken by `BEGIN IMMEDIATE` already serialises writers.
const FOR_UPDATE: &str = "";

/// Nor skipping: the job runner's claim simply holds the write lock.
const SKIP_LOCKED: &str = "";

/// SQLite takes an explicit `integer primary key` as it is.
const OVERRIDING: &str = "";

pub(crate) async fn open(url: &str) -> crate::Result<sqlx::SqlitePool> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .min_connections(1)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}

pub(crate) async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// Reads get a consistent snapshot (`BEGIN`); writes take the write lock first.
pub(crate) async fn begin_tenant(
    pool: &sqlx::Pool<Db>,
    _company_id: i64,
    write: bool,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    if write {
        begin_write(pool).await
    } else {
        Ok(pool.begin().await?)
    }
}

/// A read transaction; what a lookup then writes (a token's last use) goes
/// in a write transaction of its own.
/// The transaction of a first company's sign-up (R-X3a): the write lock
/// first, so two sign-ups on a fresh installation cannot both see none.
pub(crate) async fn begin_first_company(
    pool: &sqlx::Pool<Db>,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    begin_write(pool).await
}

pub(crate) async fn begin_lookup(
    pool: &sqlx::Pool<Db>,
    _name: &str,
    _value: &str,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

pub(crate) async fn set_company(
    _conn: &mut sqlx::SqliteConnection,
    _company_id: i64,
) -> crate::Result<()> {
    Ok(())
}

/// One node on SQLite: its runner polls, nobody else is to be woken.
pub(crate) async fn wake_job_runners(_conn: &mut sqlx::SqliteConnection) -> crate::Result<()> {
    Ok(())
}

/// No `NOTIFY`: the store wakes this process's live streams after commit,
/// and streams poll the outbox as well.
pub(crate) async fn notify_live(
    _conn: &mut sqlx::SqliteConnection,
    _company_id: i64,
) -> crate::Result<()> {
    Ok(())
}

/// SQLite has no `NOTIFY`: other processes on the same file see a change
/// when their cached entry's time to live runs out.
pub(crate) async fn notify_cache(
    _conn: &mut sqlx::SqliteConnection,
    _change: crate::CacheChange,
) -> crate::Result<()> {
    Ok(())
}

/// Called inside a `BEGIN IMMEDIATE` transaction, so no one else can take the same id.
pub(crate) async fn new_company_id(conn: &mut sqlx::SqliteConnection) -> crate::Result<i64> {
    Ok(
        sqlx::query_scalar("select coalesce(max(company_id), 0) + 1 from company")
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

/// SQLite's write lock (`BEGIN IMMEDIATE`) already runs one job at a time.
pub(crate) async fn lock_number(
    _conn: &mut sqlx::SqliteConnection,
    _company_id: i64,
    _key: &str,
) -> crate::Result<()> {
    Ok(())
}

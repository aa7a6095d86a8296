//! The SQLite backend: embedded, one file, WAL with `synchronous=FULL` so an
//! acknowledged event survives a power cut; write transactions take the write
//! lock up front (`BEGIN IMMEDIATE`) so concurrent writers wait instead of
//! failing with SQLITE_BUSY.

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

pub(crate) type Db = sqlx::Sqlite;

/// No row locks in SQLite: the write lock taken by `BEGIN IMMEDIATE` already serialises writers.
const FOR_UPDATE: &str = "";

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

include!("queries.rs");

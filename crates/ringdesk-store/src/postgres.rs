//! The PostgreSQL backend. Concurrent writers to one call are serialised by a
//! row lock on the call (`FOR UPDATE`); read committed isolation does the rest.

use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

pub(crate) type Db = sqlx::Postgres;

const FOR_UPDATE: &str = " for update";

pub(crate) async fn open(url: &str) -> crate::Result<sqlx::PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(30))
        .connect(url)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

pub(crate) async fn begin_write(
    pool: &sqlx::Pool<Db>,
) -> crate::Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

include!("queries.rs");

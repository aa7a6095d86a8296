//! Ringdesk's storage — the only crate that knows SQL.
//!
//! One [`Store`] over either SQLite (embedded, WAL, `synchronous=FULL`, write
//! transactions `BEGIN IMMEDIATE`) or PostgreSQL, chosen from the database URL.
//! The queries are written once (`sql/`) and compiled twice, once per
//! backend, so the two can never drift apart; each backend keeps its own
//! migrations. Every method takes the company id, except the few named in
//! ARCHITECTURE.md that must work before a company is known.
//!
//! Call events go through [`ingest`]: a group-commit writer that puts many
//! concurrent events into one transaction and answers each only after commit.

pub mod cache;
mod inbox;
pub mod ingest;
pub mod live;
pub mod model;

mod decode;
mod postgres;
mod sqlite;

pub use cache::{CacheChange, CONTEXT_CACHE_TTL, TOKEN_CACHE_TTL};
use jiff::Timestamp;
pub use live::LiveWake;
pub use model::*;
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist in this company.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique value is taken; `field` names it.
    #[error("{field}: {message}")]
    Taken { field: String, message: String },
    /// A value refers to something this company does not have, or breaks a rule; `field` names it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The record is not in a state that allows this (a task already completed).
    #[error("{0}")]
    Conflict(String),
    /// A stored value the code does not know (a rule, an outcome, a task
    /// mode, a status group): an error, never a silent default.
    #[error("stored value not understood: {0}")]
    Corrupt(String),
    /// A value could not be turned into the JSON to store (never stored as `""`).
    #[error("value could not be serialised: {0}")]
    Serialise(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the ingest writer has stopped")]
    WriterStopped,
    /// The URL as [`redacted_url`] shows it: never its password.
    #[error("unsupported database URL {0:?}: expected sqlite://… or postgres://…")]
    BadUrl(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The database, whichever it is. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    ingest: ingest::IngestQueue,
    /// The webhook inbox's writer (raw deliveries, kept in batches).
    inbox: inbox::InboxQueue,
    /// Tokens and ingest contexts (see [`cache`]): bounded, short-lived, and
    /// dropped on every node when what they hold changes.
    caches: cache::Caches,
    /// Wakes this process's live streams (R-X7) when their company's events commit.
    live: live::LiveHub,
    /// PostgreSQL: the task that listens for other nodes' changes (stopped by `close`).
    listener: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

/// Runs the same block against whichever pool the store has; the block is
/// compiled once per backend with `$m` naming that backend's query module.
macro_rules! on_backend {
    ($self:expr, $m:ident, $pool:ident => $body:expr) => {
        match &$self.backend {
            Backend::Sqlite($pool) => {
                use crate::sqlite as $m;
                $body
            }
            Backend::Postgres($pool) => {
                use crate::postgres as $m;
                $body
            }
        }
    };
}

/// Runs `$body` in a read transaction acting for `$company` (on PostgreSQL,
/// the only company row-level security lets it see); `$c` is the connection.
macro_rules! read_tx {
    ($self:expr, $company:expr, $m:ident, $c:ident => $body:expr) => {
        tenant!($self, $company, false, $m, $c => $body)
    };
}

/// As [`read_tx!`], in a write transaction.
macro_rules! write_tx {
    ($self:expr, $company:expr, $m:ident, $c:ident => $body:expr) => {
        tenant!($self, $company, true, $m, $c => $body)
    };
}

macro_rules! tenant {
    ($self:expr, $company:expr, $write:expr, $m:ident, $c:ident => $body:expr) => {
        on_backend!($self, $m, pool => {
            let company: i64 = $company;
            let mut tx = $m::begin_tenant(pool, company, $write).await?;
            let out = {
                let $c = &mut *tx;
                $body
            }?;
            // The live events this transaction published are numbered last
            // (R-X7, `sql/live.rs`), and their streams woken once it committed.
            let published = if $write { $m::seal_live(&mut tx, company).await? } else { false };
            tx.commit().await?;
            if published {
                $self.live.wake(crate::LiveWake::Company(company));
            }
            Ok(out)
        })
    };
}

/// The facade's methods, one file per feature (they use the macros above).
mod facade;

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema
    /// up to date. `sqlite://path` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite(sqlite::open(url).await?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres(postgres::open(url).await?)
        } else {
            return Err(StoreError::BadUrl(redacted_url(url)));
        };
        let writers = match backend {
            Backend::Sqlite(_) => 1,
            Backend::Postgres(_) => 4,
        };
        let caches = cache::Caches::new();
        let live = live::LiveHub::new();
        let listener = match &backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(pool) => {
                Some(cache::listen(pool, caches.clone(), live.clone()).await?)
            }
        };
        let ingest = ingest::IngestQueue::start(backend.clone(), writers, live.clone());
        let inbox = inbox::InboxQueue::start(backend.clone());
        Ok(Store {
            backend,
            ingest,
            inbox,
            caches,
            live,
            listener: Arc::new(Mutex::new(listener)),
        })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Waits until every queued event is written, then closes the pools.
    pub async fn close(&self) {
        self.ingest.close().await;
        self.inbox.close().await;
        let listener = self.listener.lock().expect("cache listener").take();
        if let Some(task) = listener {
            task.abort();
            let _ = task.await;
        }
        match &self.backend {
            Backend::Sqlite(p) => p.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }

    /// Drops what `change` made stale from this node's caches (other nodes
    /// hear of it through the `NOTIFY` sent with the change).
    fn forget(&self, change: CacheChange) {
        self.caches.forget(change);
    }
}

/// The database URL with any password replaced by `***`, for messages and logs.
pub fn redacted_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The company lists a lead may name (R-M1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedList {
    AdCampaigns,
    Locations,
}

impl NamedList {
    fn table(self) -> &'static str {
        match self {
            Self::AdCampaigns => "ad_campaign",
            Self::Locations => "location",
        }
    }
}

/// The running automation loop; `stop` lets the job in hand finish.
pub struct AutomationRunner {
    stop: tokio::sync::watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl AutomationRunner {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

/// A stored time read back: an error, never the epoch, when out of range.
pub(crate) fn ts(ms: i64) -> Result<Timestamp> {
    decode::at(ms)
}

/// Hex SHA-256, for event fingerprints.
pub(crate) fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(s.as_bytes()))
}

/// Support for test suites: fresh, isolated databases, created the way a user would.
pub mod testing {
    use sqlx::Connection;

    /// The variable that switches the PostgreSQL half of the behaviour suite on.
    pub const POSTGRES_URL_VAR: &str = "RINGDESK_TEST_POSTGRES_URL";

    /// Creates a new, empty PostgreSQL database next to the one `admin_url`
    /// names and returns its URL.
    pub async fn fresh_postgres_database(admin_url: &str) -> crate::Result<String> {
        let name = format!("ringdesk_test_{}_{}", std::process::id(), rand_suffix());
        let mut conn = sqlx::PgConnection::connect(admin_url).await?;
        sqlx::query(&format!("create database {name}"))
            .execute(&mut conn)
            .await?;
        conn.close().await?;
        let (base, _) = admin_url
            .rsplit_once('/')
            .ok_or_else(|| crate::StoreError::BadUrl(crate::redacted_url(admin_url)))?;
        Ok(format!("{base}/{name}"))
    }

    /// Test support only, never called by the server: damages a job's row so
    /// that it names neither a call nor a lead, as a corrupted or hand-edited
    /// row would. The runner can then never run it: a poison job.
    pub async fn break_job_row(
        store: &crate::Store,
        company_id: i64,
        job_id: i64,
    ) -> crate::Result<()> {
        use crate::Backend;
        write_tx!(store, company_id, m, c => m::break_job_row(c, company_id, job_id).await)
    }

    /// Test support only, never called by the server: writes a raw value into
    /// one column of one of the company's rows (`table`, `column`, and the
    /// `key` column whose value is `id`), bypassing every check, as a hand
    /// edit or a newer version would. Reading it back must then fail loudly,
    /// never show a default.
    pub async fn damage_value(
        store: &crate::Store,
        company_id: i64,
        (table, column, key): (&str, &str, &str),
        id: i64,
        value: RawValue<'_>,
    ) -> crate::Result<()> {
        use crate::Backend;
        write_tx!(store, company_id, m, c => m::damage_value(c, company_id, (table, column, key), id, value).await)
    }

    /// A value for [`damage_value`].
    pub enum RawValue<'a> {
        Text(&'a str),
        Int(i64),
    }

    fn rand_suffix() -> u64 {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::time::SystemTime::now())
    }
}

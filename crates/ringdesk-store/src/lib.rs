//! Ringdesk's storage — the only crate that knows SQL.
//!
//! One [`Store`] over either SQLite (embedded, WAL, `synchronous=FULL`, write
//! transactions `BEGIN IMMEDIATE`) or PostgreSQL, chosen from the database URL.
//! The queries are written once (`queries.rs`) and compiled twice, once per
//! backend, so the two can never drift apart; each backend keeps its own
//! migrations. Every method takes the company id, except the few named in
//! ARCHITECTURE.md that must work before a company is known.
//!
//! Call events go through [`ingest`]: a group-commit writer that puts many
//! concurrent events into one transaction and answers each only after commit.

pub mod ingest;
pub mod model;

mod postgres;
mod sqlite;

use jiff::Timestamp;
pub use model::*;
use ringdesk_domain::automation::TelephonySettings;
use ringdesk_domain::company::NewCompany;
use ringdesk_domain::event::CallEvent;
use ringdesk_domain::phone::PhoneKey;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist in this company.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A unique value is taken; `field` names it.
    #[error("{field}: {message}")]
    Taken { field: String, message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the ingest writer has stopped")]
    WriterStopped,
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
    contexts: Arc<RwLock<HashMap<CompanyId, Arc<IngestContext>>>>,
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

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its schema
    /// up to date. `sqlite://path` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite(sqlite::open(url).await?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres(postgres::open(url).await?)
        } else {
            return Err(StoreError::BadUrl(url.to_owned()));
        };
        let writers = match backend {
            Backend::Sqlite(_) => 1,
            Backend::Postgres(_) => 4,
        };
        let ingest = ingest::IngestQueue::start(backend.clone(), writers);
        Ok(Store {
            backend,
            ingest,
            contexts: Arc::default(),
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
        match &self.backend {
            Backend::Sqlite(p) => p.close().await,
            Backend::Postgres(p) => p.close().await,
        }
    }

    // ----- companies and tokens -------------------------------------------

    /// R-X3: a company, its owner (every permission) and its first API token, in one transaction.
    pub async fn create_company(
        &self,
        company: &NewCompany,
        owner: &NewEmployee,
        token: &NewApiToken,
        now: Timestamp,
    ) -> Result<(Company, Employee)> {
        on_backend!(self, m, p => m::create_company(p, company, owner, token, now).await)
    }

    pub async fn company(&self, company_id: CompanyId) -> Result<Company> {
        on_backend!(self, m, p => m::company(p, company_id).await)
    }

    /// Named exception to "every query takes the company id": a token is how a
    /// request says which company it is. Marks the token used (at most once a minute).
    pub async fn authenticate_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<TokenIdentity>> {
        on_backend!(self, m, p => m::authenticate_token(p, token_hash, now).await)
    }

    /// What ingesting an event of this company needs, cached in memory.
    pub async fn ingest_context(&self, company_id: CompanyId) -> Result<Arc<IngestContext>> {
        if let Some(c) = self
            .contexts
            .read()
            .expect("context cache")
            .get(&company_id)
        {
            return Ok(c.clone());
        }
        let company = self.company(company_id).await?;
        let ctx = Arc::new(IngestContext {
            company_id,
            country: company.country,
            ignored_numbers: Vec::<PhoneKey>::new(),
        });
        self.contexts
            .write()
            .expect("context cache")
            .insert(company_id, ctx.clone());
        Ok(ctx)
    }

    // ----- statuses, lead types, settings ----------------------------------

    pub async fn lead_statuses(&self, company_id: CompanyId) -> Result<Vec<Status>> {
        on_backend!(self, m, p => m::lead_statuses(p, company_id).await)
    }

    pub async fn order_statuses(&self, company_id: CompanyId) -> Result<Vec<Status>> {
        on_backend!(self, m, p => m::order_statuses(p, company_id).await)
    }

    pub async fn lead_types(&self, company_id: CompanyId) -> Result<Vec<LeadType>> {
        on_backend!(self, m, p => m::lead_types(p, company_id).await)
    }

    /// R-X6: the company's telephony automation settings (defaults until saved).
    pub async fn telephony_settings(&self, company_id: CompanyId) -> Result<TelephonySettings> {
        on_backend!(self, m, p => m::telephony_settings(p, company_id).await)
    }

    /// Saves already validated settings; they are in force from the next rule that acts.
    pub async fn put_telephony_settings(
        &self,
        company_id: CompanyId,
        settings: &TelephonySettings,
        now: Timestamp,
    ) -> Result<()> {
        on_backend!(self, m, p => m::put_telephony_settings(p, company_id, settings, now).await)
    }

    // ----- employees -------------------------------------------------------

    pub async fn create_employee(
        &self,
        company_id: CompanyId,
        e: &NewEmployee,
        now: Timestamp,
    ) -> Result<Employee> {
        on_backend!(self, m, p => m::create_employee(p, company_id, e, now).await)
    }

    pub async fn employee(&self, company_id: CompanyId, id: i64) -> Result<Employee> {
        on_backend!(self, m, p => m::employee(p, company_id, id).await)
    }

    pub async fn employees(&self, company_id: CompanyId) -> Result<Vec<Employee>> {
        on_backend!(self, m, p => m::employees(p, company_id).await)
    }

    pub async fn update_employee(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &EmployeePatch,
    ) -> Result<Employee> {
        on_backend!(self, m, p => m::update_employee(p, company_id, id, patch).await)
    }

    // ----- clients ---------------------------------------------------------

    pub async fn create_client(
        &self,
        company_id: CompanyId,
        c: &NewClient,
        now: Timestamp,
    ) -> Result<Client> {
        on_backend!(self, m, p => m::create_client(p, company_id, c, now).await)
    }

    pub async fn client(&self, company_id: CompanyId, id: i64) -> Result<Client> {
        on_backend!(self, m, p => m::client(p, company_id, id).await)
    }

    /// Clients newest first, `limit` at a time, before `before_id` when given.
    pub async fn clients(
        &self,
        company_id: CompanyId,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Client>> {
        on_backend!(self, m, p => m::clients(p, company_id, before_id, limit).await)
    }

    pub async fn update_client(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &ClientPatch,
    ) -> Result<Client> {
        on_backend!(self, m, p => m::update_client(p, company_id, id, patch).await)
    }

    /// R-P3/R-P5: the clients reachable on a number, newest first, through the index.
    pub async fn lookup(&self, company_id: CompanyId, key: &PhoneKey) -> Result<Vec<LookupMatch>> {
        on_backend!(self, m, p => m::lookup(&mut *p.acquire().await?, company_id, key).await)
    }

    // ----- calls -----------------------------------------------------------

    /// R-X4: stores call events durably, exactly once. Answers after commit.
    /// Events of one request may share a transaction with other requests' (group commit).
    pub async fn ingest(
        &self,
        ctx: Arc<IngestContext>,
        events: Vec<CallEvent>,
    ) -> Result<Vec<Result<IngestOutcome>>> {
        self.ingest.submit(ctx, events).await
    }

    pub async fn call(&self, company_id: CompanyId, id: i64) -> Result<Call> {
        on_backend!(self, m, p => m::call(p, company_id, id).await)
    }

    pub async fn calls(&self, company_id: CompanyId, filter: &CallFilter) -> Result<Vec<Call>> {
        on_backend!(self, m, p => m::calls(p, company_id, filter).await)
    }

    /// A call's events in timeline order (earliest `at` first).
    pub async fn call_events(
        &self,
        company_id: CompanyId,
        call_id: i64,
    ) -> Result<Vec<StoredEvent>> {
        on_backend!(self, m, p => m::call_events(p, company_id, call_id).await)
    }

    /// How many events are stored for a company (tests and the bench use it).
    pub async fn count_events(&self, company_id: CompanyId) -> Result<i64> {
        on_backend!(self, m, p => m::count_events(p, company_id).await)
    }
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
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
            .ok_or_else(|| crate::StoreError::BadUrl(admin_url.to_owned()))?;
        Ok(format!("{base}/{name}"))
    }

    fn rand_suffix() -> u64 {
        use std::hash::{BuildHasher, RandomState};
        RandomState::new().hash_one(std::time::SystemTime::now())
    }
}

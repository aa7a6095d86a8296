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
use tracing::Instrument;

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
    /// Recently authenticated tokens (hash → identity, when checked), so the
    /// webhook's hot path does not read the database on every event. Cleared on
    /// this node by a revocation or an employee change; other nodes see such a
    /// change within [`TOKEN_CACHE_TTL`].
    tokens: Arc<RwLock<HashMap<String, (TokenIdentity, std::time::Instant)>>>,
}

/// How long an authenticated token is trusted without asking the database.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

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
            let mut tx = $m::begin_tenant(pool, $company, $write).await?;
            let out = {
                let $c = &mut *tx;
                $body
            }?;
            tx.commit().await?;
            Ok(out)
        })
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
            tokens: Arc::default(),
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
        on_backend!(self, m, pool => {
            let mut tx = m::begin_write(pool).await?;
            let out = m::create_company(&mut tx, company, owner, token, now).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    pub async fn company(&self, company_id: CompanyId) -> Result<Company> {
        read_tx!(self, company_id, m, c => m::company(c, company_id).await)
    }

    /// Named exception to "every query takes the company id": a token is how a
    /// request says which company it is. Marks the token used (at most once a minute).
    pub async fn authenticate_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<TokenIdentity>> {
        if let Some((identity, at)) = self.tokens.read().expect("token cache").get(token_hash) {
            if at.elapsed() < TOKEN_CACHE_TTL {
                return Ok(Some(identity.clone()));
            }
        }
        let found = self.authenticate_token_in_db(token_hash, now).await?;
        if let Some(identity) = &found {
            let mut cache = self.tokens.write().expect("token cache");
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(
                token_hash.to_owned(),
                (identity.clone(), std::time::Instant::now()),
            );
        }
        Ok(found)
    }

    fn forget_tokens(&self) {
        self.tokens.write().expect("token cache").clear();
    }

    async fn authenticate_token_in_db(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<TokenIdentity>> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "token_hash", token_hash).await?;
            let found = m::find_token(&mut tx, token_hash).await?;
            tx.commit().await?;
            let Some((identity, last_used)) = found else { return Ok(None) };
            // Writing on every request would turn every read into a write; a minute's precision is plenty.
            if last_used.is_none_or(|l| ms(now) - l > 60_000) {
                let mut tx = m::begin_tenant(pool, identity.company_id, true).await?;
                m::touch_token(&mut tx, identity.company_id, identity.token_id, now).await?;
                tx.commit().await?;
            }
            Ok(Some(identity))
        })
    }

    /// Stores a new token of `employee_id` (shown once by the caller, kept hashed here).
    pub async fn create_api_token(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        token: &NewApiToken,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ApiToken> {
        write_tx!(self, company_id, m, c => m::create_api_token(c, company_id, employee_id, token, actor, now).await)
    }

    /// The company's tokens, or only `employee_id`'s; never the tokens themselves.
    pub async fn api_tokens(
        &self,
        company_id: CompanyId,
        employee_id: Option<i64>,
    ) -> Result<Vec<ApiToken>> {
        read_tx!(self, company_id, m, c => m::api_tokens(c, company_id, employee_id).await)
    }

    /// Revokes a token; with `employee_id`, only if it is theirs (else `NotFound`).
    pub async fn revoke_api_token(
        &self,
        company_id: CompanyId,
        id: i64,
        employee_id: Option<i64>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<ApiToken> {
        let out = write_tx!(self, company_id, m, c => m::revoke_api_token(c, company_id, id, employee_id, actor, now).await);
        self.forget_tokens();
        out
    }

    // ----- sign-in and sessions -------------------------------------------

    /// Named exception: the account an e-mail typed at sign-in names.
    pub async fn sign_in_account(&self, email: &str) -> Result<Option<SignInAccount>> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "email", email).await?;
            let out = m::sign_in_account(&mut tx, email).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    /// A new session (its id is new at every sign-in) and its audit line.
    pub async fn create_session(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        token_hash: &str,
        expires_at: Timestamp,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SessionIdentity> {
        write_tx!(self, company_id, m, c => m::create_session(c, company_id, employee_id, token_hash, expires_at, actor, now).await)
    }

    /// Named exception: the live session a browser's cookie names. Slides its
    /// expiry to `now + idle` (written at most once a minute).
    pub async fn authenticate_session(
        &self,
        token_hash: &str,
        idle: std::time::Duration,
        now: Timestamp,
    ) -> Result<Option<SessionIdentity>> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "session_hash", token_hash).await?;
            let found = m::find_session(&mut tx, token_hash, now).await?;
            tx.commit().await?;
            let Some((s, last_seen)) = found else { return Ok(None) };
            if ms(now) - last_seen > 60_000 {
                let expires = ts(ms(now) + idle.as_millis() as i64);
                let mut tx = m::begin_tenant(pool, s.company_id, true).await?;
                m::touch_session(&mut tx, s.company_id, s.session_id, expires, now).await?;
                tx.commit().await?;
            }
            Ok(Some(s))
        })
    }

    pub async fn end_session(
        &self,
        company_id: CompanyId,
        session_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::end_session(c, company_id, session_id, actor, now).await)
    }

    pub async fn live_sessions(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        now: Timestamp,
    ) -> Result<i64> {
        read_tx!(self, company_id, m, c => m::live_sessions(c, company_id, employee_id, now).await)
    }

    /// Named exception (not a company's data): failed sign-ins under `key` since `since`.
    pub async fn throttle_count(
        &self,
        key: &str,
        since: Timestamp,
    ) -> Result<Option<ThrottleCount>> {
        on_backend!(self, m, pool => {
            let mut tx = pool.begin().await?;
            let out = m::throttle_count(&mut tx, key, since).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    /// Counts a failed sign-in under each key, atomically; returns the new counts.
    pub async fn throttle_fail(
        &self,
        keys: &[String],
        since: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<ThrottleCount>> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_write(pool).await?;
            let mut out = Vec::with_capacity(keys.len());
            for k in keys {
                out.push(m::throttle_fail(&mut tx, k, since, now).await?);
            }
            tx.commit().await?;
            Ok(out)
        })
    }

    pub async fn throttle_clear(&self, key: &str) -> Result<()> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_write(pool).await?;
            m::throttle_clear(&mut tx, key).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    // ----- audit log ---------------------------------------------------------

    /// Writes one audit line on its own (most are written by the store method
    /// that makes the change, in its transaction).
    pub async fn audit(
        &self,
        company_id: CompanyId,
        actor: &Actor,
        action: &str,
        subject: Option<&str>,
        detail: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::audit(c, company_id, actor, action, subject, detail, now).await)
    }

    pub async fn audit_entries(
        &self,
        company_id: CompanyId,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        read_tx!(self, company_id, m, c => m::audit_entries(c, company_id, before_id, limit).await)
    }

    // ----- webhook signing ---------------------------------------------------

    pub async fn webhook_signing(&self, company_id: CompanyId) -> Result<WebhookSigning> {
        read_tx!(self, company_id, m, c => m::webhook_signing(c, company_id).await)
    }

    pub async fn set_webhook_signing_required(
        &self,
        company_id: CompanyId,
        required: bool,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let out = write_tx!(self, company_id, m, c => m::set_webhook_signing_required(c, company_id, required, actor, now).await);
        self.forget_context(company_id);
        out
    }

    pub async fn add_webhook_secret(
        &self,
        company_id: CompanyId,
        secret: &str,
        prefix: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<WebhookSecret> {
        let out = write_tx!(self, company_id, m, c => m::add_webhook_secret(c, company_id, secret, prefix, actor, now).await);
        self.forget_context(company_id);
        out
    }

    pub async fn revoke_webhook_secret(
        &self,
        company_id: CompanyId,
        id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let out = write_tx!(self, company_id, m, c => m::revoke_webhook_secret(c, company_id, id, actor, now).await);
        self.forget_context(company_id);
        out
    }

    /// Drops a company's cached ingest context after a change to it (this
    /// process only: another node sees the change when its cache entry is rebuilt).
    fn forget_context(&self, company_id: CompanyId) {
        self.contexts
            .write()
            .expect("context cache")
            .remove(&company_id);
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
        let signing = self.webhook_signing(company_id).await?;
        let ctx = Arc::new(IngestContext {
            company_id,
            country: company.country,
            ignored_numbers: Vec::<PhoneKey>::new(),
            signing,
        });
        self.contexts
            .write()
            .expect("context cache")
            .insert(company_id, ctx.clone());
        Ok(ctx)
    }

    // ----- statuses, lead types, settings ----------------------------------

    pub async fn lead_statuses(&self, company_id: CompanyId) -> Result<Vec<Status>> {
        read_tx!(self, company_id, m, c => m::lead_statuses(c, company_id).await)
    }

    pub async fn order_statuses(&self, company_id: CompanyId) -> Result<Vec<Status>> {
        read_tx!(self, company_id, m, c => m::order_statuses(c, company_id).await)
    }

    pub async fn lead_types(&self, company_id: CompanyId) -> Result<Vec<LeadType>> {
        read_tx!(self, company_id, m, c => m::lead_types(c, company_id).await)
    }

    /// R-X6: the company's telephony automation settings (defaults until saved).
    pub async fn telephony_settings(&self, company_id: CompanyId) -> Result<TelephonySettings> {
        read_tx!(self, company_id, m, c => m::telephony_settings(c, company_id).await)
    }

    /// Saves already validated settings; they are in force from the next rule that acts.
    pub async fn put_telephony_settings(
        &self,
        company_id: CompanyId,
        settings: &TelephonySettings,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::put_telephony_settings(c, company_id, settings, actor, now).await)
    }

    // ----- employees -------------------------------------------------------

    pub async fn create_employee(
        &self,
        company_id: CompanyId,
        e: &NewEmployee,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Employee> {
        write_tx!(self, company_id, m, c => m::create_employee(c, company_id, e, actor, now).await)
    }

    pub async fn employee(&self, company_id: CompanyId, id: i64) -> Result<Employee> {
        read_tx!(self, company_id, m, c => m::employee(c, company_id, id).await)
    }

    pub async fn employees(&self, company_id: CompanyId) -> Result<Vec<Employee>> {
        read_tx!(self, company_id, m, c => m::employees(c, company_id).await)
    }

    /// A password change ends the employee's other sessions; deactivation ends all of them.
    pub async fn update_employee(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &EmployeePatch,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Employee> {
        let out = write_tx!(self, company_id, m, c => m::update_employee(c, company_id, id, patch, actor, now).await);
        self.forget_tokens();
        out
    }

    // ----- clients ---------------------------------------------------------

    pub async fn create_client(
        &self,
        company_id: CompanyId,
        client: &NewClient,
        now: Timestamp,
    ) -> Result<Client> {
        write_tx!(self, company_id, m, c => m::create_client(c, company_id, client, now).await)
    }

    pub async fn client(&self, company_id: CompanyId, id: i64) -> Result<Client> {
        read_tx!(self, company_id, m, c => m::client(c, company_id, id).await)
    }

    /// Clients newest first, `limit` at a time, before `before_id` when given.
    pub async fn clients(
        &self,
        company_id: CompanyId,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Client>> {
        read_tx!(self, company_id, m, c => m::clients(c, company_id, before_id, limit).await)
    }

    pub async fn update_client(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &ClientPatch,
    ) -> Result<Client> {
        write_tx!(self, company_id, m, c => m::update_client(c, company_id, id, patch).await)
    }

    /// R-P3/R-P5: the clients reachable on a number, newest first, through the index.
    pub async fn lookup(&self, company_id: CompanyId, key: &PhoneKey) -> Result<Vec<LookupMatch>> {
        read_tx!(self, company_id, m, c => m::lookup(c, company_id, key).await)
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
        read_tx!(self, company_id, m, c => m::call(c, company_id, id).await)
    }

    pub async fn calls(&self, company_id: CompanyId, filter: &CallFilter) -> Result<Vec<Call>> {
        read_tx!(self, company_id, m, c => m::calls(c, company_id, filter).await)
    }

    /// A call's events in timeline order (earliest `at` first).
    pub async fn call_events(
        &self,
        company_id: CompanyId,
        call_id: i64,
    ) -> Result<Vec<StoredEvent>> {
        read_tx!(self, company_id, m, c => m::call_events(c, company_id, call_id).await)
    }

    /// How many events are stored for a company (tests and the bench use it).
    pub async fn count_events(&self, company_id: CompanyId) -> Result<i64> {
        read_tx!(self, company_id, m, c => m::count_events(c, company_id).await)
    }

    // ----- automation: work orders, leads, tasks, notifications (issue 4) ---------

    pub async fn create_order(
        &self,
        company_id: CompanyId,
        o: &NewWorkOrder,
        now: Timestamp,
    ) -> Result<WorkOrder> {
        write_tx!(self, company_id, m, c => m::create_order(c, company_id, o, now).await)
    }

    pub async fn order(&self, company_id: CompanyId, id: i64) -> Result<WorkOrder> {
        read_tx!(self, company_id, m, c => m::order(c, company_id, id).await)
    }

    pub async fn orders(
        &self,
        company_id: CompanyId,
        client_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<WorkOrder>> {
        read_tx!(self, company_id, m, c => m::orders(c, company_id, client_id, limit).await)
    }

    pub async fn set_order_status(
        &self,
        company_id: CompanyId,
        id: i64,
        status_id: i64,
        now: Timestamp,
    ) -> Result<WorkOrder> {
        write_tx!(self, company_id, m, c => m::set_order_status(c, company_id, id, status_id, now).await)
    }

    pub async fn create_lead(
        &self,
        company_id: CompanyId,
        l: &NewLead,
        now: Timestamp,
    ) -> Result<Lead> {
        write_tx!(self, company_id, m, c => m::create_lead(c, company_id, l, now).await)
    }

    pub async fn lead(&self, company_id: CompanyId, id: i64) -> Result<Lead> {
        read_tx!(self, company_id, m, c => m::lead(c, company_id, id).await)
    }

    /// Leads by R-M1's filters; `call_id`: the leads a call made or was linked to (R-L3).
    pub async fn leads(&self, company_id: CompanyId, filter: &LeadFilter) -> Result<Vec<Lead>> {
        read_tx!(self, company_id, m, c => m::leads(c, company_id, filter).await)
    }

    /// R-M1/R-M2/R-M5: `Invalid` names a refused status change (both statuses), a bad field or reference.
    pub async fn update_lead(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &LeadPatch,
        now: Timestamp,
    ) -> Result<Lead> {
        write_tx!(self, company_id, m, c => m::update_lead(c, company_id, id, patch, now).await)
    }

    /// R-M5 "+ Client": a client made from the lead and linked to it.
    pub async fn client_from_lead(
        &self,
        company_id: CompanyId,
        lead_id: i64,
        client: &NewClient,
        now: Timestamp,
    ) -> Result<(Client, Lead)> {
        write_tx!(self, company_id, m, c => m::client_from_lead(c, company_id, lead_id, client, now).await)
    }

    /// R-M6: the open leads on a number.
    pub async fn open_leads_on(&self, company_id: CompanyId, key: &PhoneKey) -> Result<Vec<Lead>> {
        read_tx!(self, company_id, m, c => m::open_leads_on(c, company_id, key.as_str()).await)
    }

    /// R-M6: links an order and a lead; the lead moves to `order_successful`.
    pub async fn link_order_lead(
        &self,
        company_id: CompanyId,
        order_id: i64,
        lead_id: i64,
        now: Timestamp,
    ) -> Result<(WorkOrder, Lead)> {
        write_tx!(self, company_id, m, c => m::link_order_lead(c, company_id, order_id, lead_id, now).await)
    }

    pub async fn lead_type(&self, company_id: CompanyId, id: i64) -> Result<LeadType> {
        read_tx!(self, company_id, m, c => m::lead_type(c, company_id, id).await)
    }

    pub async fn create_lead_type(
        &self,
        company_id: CompanyId,
        name: &str,
        initial_status_id: i64,
        fields: &[ringdesk_domain::work::FieldDef],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<LeadType> {
        write_tx!(self, company_id, m, c => m::create_lead_type(c, company_id, name, initial_status_id, fields, actor, now).await)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn update_lead_type(
        &self,
        company_id: CompanyId,
        id: i64,
        name: Option<&str>,
        initial_status_id: Option<i64>,
        fields: Option<&[ringdesk_domain::work::FieldDef]>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<LeadType> {
        write_tx!(self, company_id, m, c => m::update_lead_type(c, company_id, id, name, initial_status_id, fields, actor, now).await)
    }

    /// `lead`: a lead status, else a work-order status.
    pub async fn create_status(
        &self,
        company_id: CompanyId,
        lead: bool,
        name: &str,
        group: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Status> {
        let table = if lead { "lead_status" } else { "order_status" };
        write_tx!(self, company_id, m, c => m::create_status(c, company_id, table, name, group, actor, now).await)
    }

    pub async fn rename_status(
        &self,
        company_id: CompanyId,
        lead: bool,
        id: i64,
        name: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let table = if lead { "lead_status" } else { "order_status" };
        write_tx!(self, company_id, m, c => m::rename_status(c, company_id, table, id, name, actor, now).await)
    }

    pub async fn lead_status_transfers(&self, company_id: CompanyId) -> Result<Vec<(i64, i64)>> {
        read_tx!(self, company_id, m, c => m::lead_status_transfers(c, company_id).await)
    }

    pub async fn set_lead_status_transfers(
        &self,
        company_id: CompanyId,
        rules: &[(i64, i64)],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_lead_status_transfers(c, company_id, rules, actor, now).await)
    }

    /// `list`: `ad_campaign` or `location`.
    pub async fn named_items(
        &self,
        company_id: CompanyId,
        list: NamedList,
    ) -> Result<Vec<NamedItem>> {
        read_tx!(self, company_id, m, c => m::named_items(c, company_id, list.table()).await)
    }

    pub async fn create_named_item(
        &self,
        company_id: CompanyId,
        list: NamedList,
        name: &str,
        now: Timestamp,
    ) -> Result<NamedItem> {
        write_tx!(self, company_id, m, c => m::create_named_item(c, company_id, list.table(), name, now).await)
    }

    pub async fn update_named_item(
        &self,
        company_id: CompanyId,
        list: NamedList,
        id: i64,
        name: Option<&str>,
        active: Option<bool>,
    ) -> Result<NamedItem> {
        write_tx!(self, company_id, m, c => m::update_named_item(c, company_id, list.table(), id, name, active).await)
    }

    /// R-M3: the template of `kind` (`lead`, `work_order`, `quote`).
    pub async fn numbering(&self, company_id: CompanyId, kind: &str) -> Result<String> {
        read_tx!(self, company_id, m, c => m::numbering(c, company_id, kind).await)
    }

    pub async fn set_numbering(
        &self,
        company_id: CompanyId,
        kind: &str,
        template: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_numbering(c, company_id, kind, template, actor, now).await)
    }

    pub async fn create_quote(
        &self,
        company_id: CompanyId,
        q: &NewQuote,
        now: Timestamp,
    ) -> Result<Quote> {
        write_tx!(self, company_id, m, c => m::create_quote(c, company_id, q, now).await)
    }

    /// R-M7: a quote from a call.
    pub async fn quote_from_call(
        &self,
        company_id: CompanyId,
        call_id: i64,
        creator_id: Option<i64>,
        description: Option<String>,
        now: Timestamp,
    ) -> Result<Quote> {
        write_tx!(self, company_id, m, c => m::quote_from_call(c, company_id, call_id, creator_id, description.clone(), now).await)
    }

    pub async fn quote(&self, company_id: CompanyId, id: i64) -> Result<Quote> {
        read_tx!(self, company_id, m, c => m::quote(c, company_id, id).await)
    }

    pub async fn quotes(
        &self,
        company_id: CompanyId,
        client_id: Option<i64>,
        call_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Quote>> {
        read_tx!(self, company_id, m, c => m::quotes(c, company_id, client_id, call_id, limit).await)
    }

    /// R-M7: `Conflict` if already converted.
    pub async fn convert_quote(
        &self,
        company_id: CompanyId,
        id: i64,
        creator_id: Option<i64>,
        now: Timestamp,
    ) -> Result<(Quote, WorkOrder)> {
        write_tx!(self, company_id, m, c => m::convert_quote(c, company_id, id, creator_id, now).await)
    }

    pub async fn create_task(
        &self,
        company_id: CompanyId,
        t: &NewTask,
        now: Timestamp,
    ) -> Result<Task> {
        write_tx!(self, company_id, m, c => m::create_task(c, company_id, t, now).await)
    }

    pub async fn reopen_task(&self, company_id: CompanyId, id: i64) -> Result<Task> {
        write_tx!(self, company_id, m, c => m::reopen_task(c, company_id, id).await)
    }

    pub async fn notification_prefs(
        &self,
        company_id: CompanyId,
        employee_id: i64,
    ) -> Result<NotificationPrefs> {
        read_tx!(self, company_id, m, c => m::notification_prefs(c, company_id, employee_id).await)
    }

    pub async fn set_notification_prefs(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        p: &NotificationPrefs,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_notification_prefs(c, company_id, employee_id, p).await)
    }

    pub async fn client_history(
        &self,
        company_id: CompanyId,
        client_id: i64,
    ) -> Result<Vec<HistoryItem>> {
        read_tx!(self, company_id, m, c => m::client_history(c, company_id, client_id).await)
    }

    pub async fn lead_history(
        &self,
        company_id: CompanyId,
        lead_id: i64,
    ) -> Result<Vec<HistoryItem>> {
        read_tx!(self, company_id, m, c => m::lead_history(c, company_id, lead_id).await)
    }

    pub async fn task(&self, company_id: CompanyId, id: i64) -> Result<Task> {
        read_tx!(self, company_id, m, c => m::task(c, company_id, id).await)
    }

    /// Tasks newest first (or "my tasks" order); `assignee_id`: what that employee's list shows (R-A3).
    pub async fn tasks(&self, company_id: CompanyId, filter: &TaskFilter) -> Result<Vec<Task>> {
        read_tx!(self, company_id, m, c => m::tasks(c, company_id, filter).await)
    }

    /// R-A3. `Invalid` if the employee is not an assignee, `Conflict` if the task is not open.
    pub async fn complete_task(
        &self,
        company_id: CompanyId,
        id: i64,
        employee_id: i64,
        now: Timestamp,
    ) -> Result<Task> {
        write_tx!(self, company_id, m, c => m::complete_task(c, company_id, id, employee_id, now).await)
    }

    pub async fn notifications(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<Notification>> {
        read_tx!(self, company_id, m, c => m::notifications(c, company_id, employee_id, unread_only, limit).await)
    }

    pub async fn read_notification(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        id: i64,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::read_notification(c, company_id, employee_id, id, now).await)
    }

    /// R-X5's `automation` of a call: for each rule, what it did or why not.
    pub async fn call_automation(
        &self,
        company_id: CompanyId,
        call_id: i64,
    ) -> Result<Vec<CallAutomation>> {
        read_tx!(self, company_id, m, c => m::call_automation(c, company_id, call_id).await)
    }

    /// Named exception to "every query names its company": runs the automation
    /// jobs due at `now` (R-C3a settle time, R-C3b stale calls), each in its
    /// own transaction acting for its company. A job that fails is retried
    /// 30 s later; its effects were rolled back. Returns how many ran.
    pub async fn run_due_jobs(&self, now: Timestamp) -> Result<usize> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "job_runner", "due").await?;
            let jobs = m::due_jobs(&mut tx, now, 200).await?;
            let deadlines = m::due_deadlines(&mut tx, now, 200).await?;
            tx.commit().await?;
            let mut ran = 0;
            for (company_id, lead_id) in deadlines {
                let mut tx = m::begin_tenant(pool, company_id, true).await?;
                if m::run_deadline(&mut tx, company_id, lead_id, now).await? {
                    ran += 1;
                }
                tx.commit().await?;
            }
            for job in &jobs {
                let span = tracing::info_span!("automation_job", company.id = job.company_id, call.id = job.call_id, rule = %job.rule);
                let attempt = async {
                    let mut tx = m::begin_tenant(pool, job.company_id, true).await?;
                    let r = m::run_job(&mut tx, job, now).await?;
                    tx.commit().await?;
                    Ok::<bool, StoreError>(r)
                }
                .instrument(span)
                .await;
                match attempt {
                    Ok(true) => ran += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(company.id = job.company_id, call.id = job.call_id, rule = %job.rule, error = %e, "automation job failed; retrying in 30 s");
                        let mut tx = m::begin_tenant(pool, job.company_id, true).await?;
                        m::job_failed(&mut tx, job, &e.to_string(), ts(ms(now) + 30_000)).await?;
                        tx.commit().await?;
                    }
                }
            }
            Ok(ran)
        })
    }

    /// Starts the automation runner: every `every`, the due jobs run. Jobs are
    /// rows in the database, so they survive a restart and any node may run them.
    pub fn start_automation(&self, every: std::time::Duration) -> AutomationRunner {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let store = self.clone();
        let handle = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stopped.changed() => break,
                }
                if let Err(e) = store.run_due_jobs(Timestamp::now()).await {
                    tracing::warn!(error = %e, "the automation runner could not read its jobs");
                }
            }
        });
        AutomationRunner { stop, handle }
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

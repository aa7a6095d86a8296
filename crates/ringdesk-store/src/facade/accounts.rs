//! Employees, API tokens, sign-in, sessions and the sign-in throttle.

use crate::model::*;
use crate::{ms, ts, Backend, CacheChange, Result, Store};
use jiff::Timestamp;

impl Store {
    /// Named exception to "every query takes the company id": a token is how a
    /// request says which company it is. Marks the token used (at most once a
    /// minute). A found token is trusted for [`crate::TOKEN_CACHE_TTL`] at most.
    pub async fn authenticate_token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<TokenIdentity>> {
        if let Some(identity) = self.caches.tokens.get(token_hash) {
            return Ok(Some(identity));
        }
        let found = self.authenticate_token_in_db(token_hash, now).await?;
        if let Some(identity) = &found {
            self.caches
                .tokens
                .insert(token_hash.to_owned(), identity.clone());
        }
        Ok(found)
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
        let change = CacheChange::Tokens(company_id);
        let out = write_tx!(self, company_id, m, c => {
            let t = m::revoke_api_token(c, company_id, id, employee_id, actor, now).await?;
            m::notify_cache(c, change).await.map(|()| t)
        });
        self.forget(change);
        out
    }

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
                let expires = ts(ms(now) + idle.as_millis() as i64)?;
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
        let change = CacheChange::Tokens(company_id);
        let out = write_tx!(self, company_id, m, c => {
            let e = m::update_employee(c, company_id, id, patch, actor, now).await?;
            m::notify_cache(c, change).await.map(|()| e)
        });
        self.forget(change);
        out
    }
}

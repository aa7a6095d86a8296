//! Webhook signing and the ingest context.

use crate::model::*;
use crate::{Backend, CacheChange, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::phone::PhoneKey;
use std::sync::Arc;

impl Store {
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
        let change = CacheChange::Context(company_id);
        let out = write_tx!(self, company_id, m, c => {
            m::set_webhook_signing_required(c, company_id, required, actor, now).await?;
            m::notify_cache(c, change).await
        });
        self.forget(change);
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
        let change = CacheChange::Context(company_id);
        let out = write_tx!(self, company_id, m, c => {
            let out = m::add_webhook_secret(c, company_id, secret, prefix, actor, now).await?;
            m::notify_cache(c, change).await.map(|()| out)
        });
        self.forget(change);
        out
    }

    pub async fn revoke_webhook_secret(
        &self,
        company_id: CompanyId,
        id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let change = CacheChange::Context(company_id);
        let out = write_tx!(self, company_id, m, c => {
            m::revoke_webhook_secret(c, company_id, id, actor, now).await?;
            m::notify_cache(c, change).await
        });
        self.forget(change);
        out
    }

    /// What ingesting an event of this company needs, cached in memory for
    /// [`crate::CONTEXT_CACHE_TTL`] at most (and dropped on every node when
    /// the webhook signing changes).
    pub async fn ingest_context(&self, company_id: CompanyId) -> Result<Arc<IngestContext>> {
        if let Some(c) = self.caches.contexts.get(&company_id) {
            return Ok(c);
        }
        let company = self.company(company_id).await?;
        let signing = self.webhook_signing(company_id).await?;
        let ignored_numbers = self
            .ignored_numbers(company_id)
            .await?
            .into_iter()
            .map(|n| PhoneKey::from_stored(n.key))
            .collect();
        let ctx = Arc::new(IngestContext {
            company_id,
            country: company.country,
            ignored_numbers,
            signing,
        });
        self.caches.contexts.insert(company_id, ctx.clone());
        Ok(ctx)
    }
}

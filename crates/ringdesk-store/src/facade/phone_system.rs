//! The ignore list (R-P7), the webhook inbox and the phone-system settings.

use crate::model::*;
use crate::{Backend, CacheChange, Result, Store};
use jiff::Timestamp;

impl Store {
    pub async fn ignored_numbers(&self, company_id: CompanyId) -> Result<Vec<IgnoredNumber>> {
        read_tx!(self, company_id, m, c => m::ignored_numbers(c, company_id).await)
    }

    /// Replaces the company's ignore list (R-P7). Calls already recorded keep
    /// what they were; the next call's first event uses the new list (the
    /// ingest context is dropped on every node).
    pub async fn set_ignored_numbers(
        &self,
        company_id: CompanyId,
        numbers: &[IgnoredNumber],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let change = CacheChange::Context(company_id);
        let out = write_tx!(self, company_id, m, c => {
            m::set_ignored_numbers(c, company_id, numbers, actor, now).await?;
            m::notify_cache(c, change).await
        });
        self.forget(change);
        out
    }

    /// Keeps one raw delivery in the webhook inbox, written soon after in a
    /// batch with others (`inbox.rs`); it does not wait.
    pub fn keep_delivery(&self, company_id: CompanyId, d: NewDelivery) {
        self.inbox.keep(company_id, d);
    }

    /// The company's inbox (at most `f.limit` deliveries).
    pub async fn deliveries(
        &self,
        company_id: CompanyId,
        f: &DeliveryFilter,
    ) -> Result<Vec<Delivery>> {
        read_tx!(self, company_id, m, c => m::deliveries(c, company_id, f).await)
    }

    pub async fn phone_system_settings(
        &self,
        company_id: CompanyId,
    ) -> Result<PhoneSystemSettings> {
        read_tx!(self, company_id, m, c => m::phone_system_settings(c, company_id).await)
    }

    pub async fn set_phone_system_settings(
        &self,
        company_id: CompanyId,
        s: &PhoneSystemSettings,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_phone_system_settings(c, company_id, s, actor, now).await)
    }

    /// Named exception to "every query names its company", as `prune_jobs`:
    /// finds the companies with deliveries older than the shortest retention,
    /// then deletes each one's deliveries past its own. Returns how many.
    pub async fn prune_deliveries(&self, now: Timestamp) -> Result<u64> {
        let before = now - jiff::SignedDuration::from_hours(24 * MIN_INBOX_RETENTION_DAYS);
        let companies = on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "job_runner", "due").await?;
            let companies = m::companies_with_old_deliveries(&mut tx, before, 1000).await?;
            tx.commit().await?;
            companies
        });
        let mut pruned = 0;
        for company_id in companies {
            let n: Result<u64> =
                write_tx!(self, company_id, m, c => m::prune_deliveries(c, company_id, now).await);
            pruned += n?;
        }
        Ok(pruned)
    }
}

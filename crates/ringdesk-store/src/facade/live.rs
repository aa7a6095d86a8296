//! The live stream's outbox (R-X7): what streams read, and its pruning.

use crate::live::RETENTION;
use crate::model::*;
use crate::{Backend, LiveWake, Result, Store};
use jiff::Timestamp;

impl Store {
    /// Wake-ups of this process's live streams: a company's events committed
    /// (here, or on another node of the same PostgreSQL database). They only
    /// wake; the outbox is the truth ([`Store::live_events`]).
    pub fn live_wakes(&self) -> tokio::sync::broadcast::Receiver<LiveWake> {
        self.live.subscribe()
    }

    /// The company's live events numbered after `after`, in order (at most `limit`).
    pub async fn live_events(
        &self,
        company_id: CompanyId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LiveEvent>> {
        read_tx!(self, company_id, m, c => m::live_events(c, company_id, after, limit).await)
    }

    /// The number of the company's last committed live event (0 before the first):
    /// a stream opened without `Last-Event-ID` starts after it.
    pub async fn live_last_id(&self, company_id: CompanyId) -> Result<i64> {
        read_tx!(self, company_id, m, c => m::live_last_seq(c, company_id).await)
    }

    /// One notification of the company, whoever it is for.
    pub async fn notification(&self, company_id: CompanyId, id: i64) -> Result<Notification> {
        read_tx!(self, company_id, m, c => m::notification(c, company_id, id).await)
    }

    /// Named exception to "every query names its company": deletes, company
    /// by company, the live events published more than [`RETENTION`] before
    /// `now` (the job runner's view finds which companies have any). A stream
    /// that reconnects after that long gets what is newer. Returns how many.
    pub async fn prune_live(&self, now: Timestamp) -> Result<u64> {
        let before = now - RETENTION;
        let companies = on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "job_runner", "due").await?;
            let companies = m::companies_with_old_live_events(&mut tx, before, 1000).await?;
            tx.commit().await?;
            companies
        });
        let mut pruned = 0;
        for company_id in companies {
            let n: Result<u64> =
                write_tx!(self, company_id, m, c => m::prune_live(c, company_id, before).await);
            pruned += n?;
        }
        Ok(pruned)
    }
}

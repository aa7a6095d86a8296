//! Asterisk Manager Interface connections (R-I3, R-X8): settings, status,
//! gaps, and the lease by which exactly one node holds a company's connection.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;

/// How many gaps a list shows at most.
pub const AMI_GAPS_LIMIT: i64 = 200;

impl Store {
    pub async fn ami_settings(&self, company_id: CompanyId) -> Result<AmiSettings> {
        read_tx!(self, company_id, m, c => m::ami_settings(c, company_id).await)
    }

    /// Saves the settings (audited, the secret never in the log); the node
    /// holding the connection notices at its next poll and reconnects.
    pub async fn set_ami_settings(
        &self,
        company_id: CompanyId,
        change: &AmiSettingsChange,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_ami_settings(c, company_id, change, actor, now).await)
    }

    /// What the node holding the connection says of it.
    pub async fn set_ami_status(
        &self,
        company_id: CompanyId,
        state: &str,
        detail: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_ami_status(c, company_id, state, detail, now).await)
    }

    /// Named exception to "every query names its company": the companies
    /// that enable AMI, with when their settings changed, for the supervisor
    /// that connects them (it then acts for each company on its own). On
    /// PostgreSQL the `ami_supervisor` policy shows it `ami_settings` rows only.
    pub async fn ami_enabled_companies(&self) -> Result<Vec<(CompanyId, Timestamp)>> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "ami_supervisor", "enabled").await?;
            let out = m::ami_enabled_companies(&mut tx).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    /// Takes or renews `holder`'s lease on the company's AMI connection until
    /// `until`. True when `holder` holds it: it did already, or there was
    /// none, or the last holder's ran out (that node died or lost the database).
    pub async fn take_ami_lease(
        &self,
        company_id: CompanyId,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        write_tx!(self, company_id, m, c => m::take_ami_lease(c, company_id, holder, now, until).await)
    }

    /// Which node holds the company's AMI lease, and until when.
    pub async fn ami_lease_holder(
        &self,
        company_id: CompanyId,
    ) -> Result<Option<(String, Timestamp)>> {
        read_tx!(self, company_id, m, c => m::ami_lease_holder(c, company_id).await)
    }

    pub async fn release_ami_lease(&self, company_id: CompanyId, holder: &str) -> Result<()> {
        write_tx!(self, company_id, m, c => m::release_ami_lease(c, company_id, holder).await)
    }

    /// Records an outage of the connection (R-I3).
    pub async fn add_ami_gap(
        &self,
        company_id: CompanyId,
        from: Timestamp,
        to: Timestamp,
        reason: &str,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::add_ami_gap(c, company_id, from, to, reason).await)
    }

    /// The gaps overlapping [`from`, `to`) (either end open), newest first,
    /// [`AMI_GAPS_LIMIT`] at most.
    pub async fn ami_gaps(
        &self,
        company_id: CompanyId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Vec<AmiGap>> {
        read_tx!(self, company_id, m, c => m::ami_gaps(c, company_id, from, to, AMI_GAPS_LIMIT).await)
    }
}

//! The audit log.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;

impl Store {
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
}

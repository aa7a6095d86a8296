//! Companies and their telephony settings.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::automation::TelephonySettings;
use ringdesk_domain::company::NewCompany;

impl Store {
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

    /// R-X3a's `first_company`: as [`Store::create_company`], but only while
    /// the installation has no company, decided in the same transaction under
    /// a lock (`None`: there is one already). Named exception: no company is
    /// named yet.
    pub async fn create_first_company(
        &self,
        company: &NewCompany,
        owner: &NewEmployee,
        token: &NewApiToken,
        now: Timestamp,
    ) -> Result<Option<(Company, Employee)>> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_first_company(pool).await?;
            if m::has_company(&mut tx).await? {
                return Ok(None);
            }
            let out = m::create_company(&mut tx, company, owner, token, now).await?;
            tx.commit().await?;
            Ok(Some(out))
        })
    }

    /// Named exception (no company is named, none may exist yet): whether the
    /// installation has any company, for the sign-up policy `first_company`
    /// (R-X3a). On PostgreSQL the transaction may see company rows only for
    /// this question (policy `company_exists`, migration 0008).
    pub async fn has_company(&self) -> Result<bool> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "company_exists", "any").await?;
            let out = m::has_company(&mut tx).await?;
            tx.commit().await?;
            Ok(out)
        })
    }

    pub async fn company(&self, company_id: CompanyId) -> Result<Company> {
        read_tx!(self, company_id, m, c => m::company(c, company_id).await)
    }

    /// R-X6: the company's telephony automation settings (defaults until saved).
    pub async fn telephony_settings(&self, company_id: CompanyId) -> Result<TelephonySettings> {
        read_tx!(self, company_id, m, c => m::telephony_settings(c, company_id).await)
    }

    /// Issue 11's automation preview: what `settings` (validated, not saved)
    /// would make of the calls that ended since `since`; nothing is written.
    pub async fn automation_preview(
        &self,
        company_id: CompanyId,
        settings: &TelephonySettings,
        since: Timestamp,
    ) -> Result<AutomationPreview> {
        read_tx!(self, company_id, m, c => m::automation_preview(c, company_id, settings, since).await)
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
}

//! The call-centre dashboard (R-U4, issue 13): its figures for a period, the
//! roll-ups' upkeep for calls not yet in them, and the company's lines.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::dashboard::{split, Figures};

/// Calls a company adds to the roll-ups per transaction, when catching up.
const BACKFILL_BATCH: i64 = 5_000;

impl Store {
    /// The figures of `[from, to)` in the company's local hours: the roll-ups
    /// of its whole hours and the raw calls of the partial ones at its edges.
    pub async fn dashboard(
        &self,
        company_id: CompanyId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<DashboardData> {
        read_tx!(self, company_id, m, c => {
            let tz = m::company_tz(c, company_id).await?;
            let parts = split(from, to, &tz);
            let figures = m::figures(c, company_id, &parts, &tz).await?;
            let extras = m::extras(c, company_id, from, to).await?;
            let lines = m::lines(c, company_id).await?;
            Ok::<_, crate::StoreError>(DashboardData { figures, extras, lines })
        })
    }

    /// Adds calls not yet in the roll-ups (stored before them, or loaded in
    /// bulk), a batch per company per transaction, until none is left or
    /// `max` calls were added. The job runner calls it; so does
    /// `ringdesk bench dashboard`. Returns how many calls it added.
    pub async fn roll_up_pending(&self, max: usize) -> Result<usize> {
        let mut done = 0;
        // Company by company, a batch each in turn, until none is pending.
        let mut after = 0;
        let mut pass_start = 0;
        while done < max {
            let next: Option<i64> = on_backend!(self, m, pool => {
                let mut tx = m::begin_lookup(pool, "rollup", "pending").await?;
                let found = m::company_to_roll_up(&mut tx, after).await?;
                tx.commit().await?;
                Ok::<_, crate::StoreError>(found)
            })?;
            let Some(company_id) = next else {
                // A whole pass over the companies that added nothing: stop.
                if after == 0 || done == pass_start {
                    break;
                }
                after = 0;
                pass_start = done;
                continue;
            };
            done += self.backfill_company(company_id).await?;
            after = company_id;
        }
        Ok(done)
    }

    async fn backfill_company(&self, company_id: CompanyId) -> Result<usize> {
        write_tx!(self, company_id, m, c => m::backfill_rollups(c, company_id, BACKFILL_BATCH).await)
    }

    /// The roll-ups of `[from, to)` (whole local hours) beside what the raw
    /// calls give, for `ringdesk bench dashboard`'s check.
    pub async fn rollups_and_raw(
        &self,
        company_id: CompanyId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<(Figures, Figures)> {
        read_tx!(self, company_id, m, c => m::rollups_and_raw(c, company_id, from, to).await)
    }

    /// Stores call rows in bulk, as their events would leave them but without
    /// the events, not yet in the roll-ups: for `ringdesk bench dashboard`,
    /// whose load then goes through [`Store::roll_up_pending`] like any call
    /// stored before the roll-ups.
    pub async fn load_calls(&self, company_id: CompanyId, calls: &[LoadedCall]) -> Result<()> {
        write_tx!(self, company_id, m, c => m::load_calls(c, company_id, calls, Timestamp::now()).await)
    }

    pub async fn lines(&self, company_id: CompanyId) -> Result<Vec<LineSetting>> {
        read_tx!(self, company_id, m, c => m::lines(c, company_id).await)
    }

    /// Replaces the company's lines (`PUT /api/v1/settings/lines`).
    pub async fn set_lines(
        &self,
        company_id: CompanyId,
        lines: &[LineSetting],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::put_lines(c, company_id, lines, actor, now).await)
    }
}

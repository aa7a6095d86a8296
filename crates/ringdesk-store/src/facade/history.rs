//! Client and lead timelines.

use crate::model::*;
use crate::{Backend, Result, Store};

impl Store {
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
}

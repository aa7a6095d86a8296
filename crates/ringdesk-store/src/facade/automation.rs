//! What each automation rule did for a call.

use crate::model::*;
use crate::{Backend, Result, Store};

impl Store {
    /// R-X5's `automation` of a call: for each rule, what it did or why not.
    pub async fn call_automation(
        &self,
        company_id: CompanyId,
        call_id: i64,
    ) -> Result<Vec<CallAutomation>> {
        read_tx!(self, company_id, m, c => m::call_automation(c, company_id, call_id).await)
    }
}

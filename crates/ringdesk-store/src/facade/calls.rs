//! Call events in (through the group-commit writer) and calls out.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::event::CallEvent;
use std::sync::Arc;

impl Store {
    /// R-X4: stores call events durably, exactly once. Answers after commit.
    /// Events of one request may share a transaction with other requests' (group commit).
    pub async fn ingest(
        &self,
        ctx: Arc<IngestContext>,
        events: Vec<CallEvent>,
    ) -> Result<Vec<Result<IngestOutcome>>> {
        self.ingest.submit(ctx, events).await
    }

    pub async fn call(&self, company_id: CompanyId, id: i64) -> Result<Call> {
        read_tx!(self, company_id, m, c => m::call(c, company_id, id).await)
    }

    pub async fn calls(&self, company_id: CompanyId, filter: &CallFilter) -> Result<Vec<Call>> {
        read_tx!(self, company_id, m, c => m::calls(c, company_id, filter).await)
    }

    /// The callback cases of the numbers of the most recent missed calls
    /// (issue 13 item 3), newest first: at most `limit` numbers; only calls
    /// routed to `operator` when given (R-C5).
    pub async fn missed_cases(
        &self,
        company_id: CompanyId,
        operator: Option<i64>,
        limit: i64,
    ) -> Result<Vec<CallbackCase>> {
        read_tx!(self, company_id, m, c => m::missed_cases(c, company_id, operator, limit).await)
    }

    /// A call's events in timeline order (earliest `at` first).
    pub async fn call_events(
        &self,
        company_id: CompanyId,
        call_id: i64,
    ) -> Result<Vec<StoredEvent>> {
        read_tx!(self, company_id, m, c => m::call_events(c, company_id, call_id).await)
    }

    /// How many events are stored for a company (tests and the bench use it).
    pub async fn count_events(&self, company_id: CompanyId) -> Result<i64> {
        read_tx!(self, company_id, m, c => m::count_events(c, company_id).await)
    }

    /// R-C6 *Edit contact*: the call now shows `client_id`; audited, published live.
    pub async fn relink_call(
        &self,
        company_id: CompanyId,
        call_id: i64,
        client_id: i64,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Call> {
        write_tx!(self, company_id, m, c => m::relink_call(c, company_id, call_id, client_id, actor, now).await)
    }
}

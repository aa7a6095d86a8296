//! Quotes.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::quote::QuoteLine;

impl Store {
    pub async fn create_quote(
        &self,
        company_id: CompanyId,
        q: &NewQuote,
        now: Timestamp,
    ) -> Result<Quote> {
        write_tx!(self, company_id, m, c => m::create_quote(c, company_id, q, now).await)
    }

    /// R-M7: a quote from a call.
    pub async fn quote_from_call(
        &self,
        company_id: CompanyId,
        call_id: i64,
        creator_id: Option<i64>,
        description: Option<String>,
        items: Vec<QuoteLine>,
        now: Timestamp,
    ) -> Result<Quote> {
        write_tx!(self, company_id, m, c => m::quote_from_call(c, company_id, call_id, creator_id, description.clone(), items.clone(), now).await)
    }

    /// Replaces an open quote's lines (audited); `Conflict` once converted,
    /// `Invalid` naming `items[i].field` for a line the domain refuses.
    pub async fn set_quote_items(
        &self,
        company_id: CompanyId,
        id: i64,
        items: &[QuoteLine],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Quote> {
        write_tx!(self, company_id, m, c => m::set_quote_items(c, company_id, id, items, actor, now).await)
    }

    pub async fn quote(&self, company_id: CompanyId, id: i64) -> Result<Quote> {
        read_tx!(self, company_id, m, c => m::quote(c, company_id, id).await)
    }

    pub async fn quotes(
        &self,
        company_id: CompanyId,
        client_id: Option<i64>,
        call_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Quote>> {
        read_tx!(self, company_id, m, c => m::quotes(c, company_id, client_id, call_id, limit).await)
    }

    /// R-M7: `Conflict` if already converted.
    pub async fn convert_quote(
        &self,
        company_id: CompanyId,
        id: i64,
        creator_id: Option<i64>,
        now: Timestamp,
    ) -> Result<(Quote, WorkOrder)> {
        write_tx!(self, company_id, m, c => m::convert_quote(c, company_id, id, creator_id, now).await)
    }
}

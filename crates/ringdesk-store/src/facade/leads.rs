//! Leads.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::phone::PhoneKey;

impl Store {
    pub async fn create_lead(
        &self,
        company_id: CompanyId,
        l: &NewLead,
        now: Timestamp,
    ) -> Result<Lead> {
        write_tx!(self, company_id, m, c => m::create_lead(c, company_id, l, now).await)
    }

    pub async fn lead(&self, company_id: CompanyId, id: i64) -> Result<Lead> {
        read_tx!(self, company_id, m, c => m::lead(c, company_id, id).await)
    }

    /// Leads by R-M1's filters; `call_id`: the leads a call made or was linked to (R-L3).
    pub async fn leads(&self, company_id: CompanyId, filter: &LeadFilter) -> Result<Vec<Lead>> {
        read_tx!(self, company_id, m, c => m::leads(c, company_id, filter).await)
    }

    /// R-M1/R-M2/R-M5: `Invalid` names a refused status change (both statuses), a bad field or reference.
    pub async fn update_lead(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &LeadPatch,
        now: Timestamp,
    ) -> Result<Lead> {
        write_tx!(self, company_id, m, c => m::update_lead(c, company_id, id, patch, now).await)
    }

    /// R-M5 "+ Client": a client made from the lead and linked to it.
    pub async fn client_from_lead(
        &self,
        company_id: CompanyId,
        lead_id: i64,
        client: &NewClient,
        now: Timestamp,
    ) -> Result<(Client, Lead)> {
        write_tx!(self, company_id, m, c => m::client_from_lead(c, company_id, lead_id, client, now).await)
    }

    /// R-M6: the open leads on a number.
    pub async fn open_leads_on(&self, company_id: CompanyId, key: &PhoneKey) -> Result<Vec<Lead>> {
        read_tx!(self, company_id, m, c => m::open_leads_on(c, company_id, key.as_str()).await)
    }

    /// R-M6: links an order and a lead; the lead moves to `order_successful`.
    pub async fn link_order_lead(
        &self,
        company_id: CompanyId,
        order_id: i64,
        lead_id: i64,
        now: Timestamp,
    ) -> Result<(WorkOrder, Lead)> {
        write_tx!(self, company_id, m, c => m::link_order_lead(c, company_id, order_id, lead_id, now).await)
    }
}

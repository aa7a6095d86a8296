//! Clients and caller lookup.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::phone::PhoneKey;

impl Store {
    pub async fn create_client(
        &self,
        company_id: CompanyId,
        client: &NewClient,
        now: Timestamp,
    ) -> Result<Client> {
        write_tx!(self, company_id, m, c => m::create_client(c, company_id, client, now).await)
    }

    pub async fn client(&self, company_id: CompanyId, id: i64) -> Result<Client> {
        read_tx!(self, company_id, m, c => m::client(c, company_id, id).await)
    }

    /// Clients newest first, `limit` at a time, before `before_id` when given.
    pub async fn clients(
        &self,
        company_id: CompanyId,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Client>> {
        read_tx!(self, company_id, m, c => m::clients(c, company_id, before_id, limit).await)
    }

    pub async fn update_client(
        &self,
        company_id: CompanyId,
        id: i64,
        patch: &ClientPatch,
    ) -> Result<Client> {
        write_tx!(self, company_id, m, c => m::update_client(c, company_id, id, patch).await)
    }

    /// R-P3/R-P5: the clients reachable on a number, newest first, through the index.
    pub async fn lookup(&self, company_id: CompanyId, key: &PhoneKey) -> Result<Vec<LookupMatch>> {
        read_tx!(self, company_id, m, c => m::lookup(c, company_id, key).await)
    }

    /// Clients whose name contains `part`, newest first (the clients page's search).
    pub async fn clients_named(
        &self,
        company_id: CompanyId,
        part: &str,
        limit: i64,
    ) -> Result<Vec<Client>> {
        read_tx!(self, company_id, m, c => m::clients_named(c, company_id, part, limit).await)
    }
}

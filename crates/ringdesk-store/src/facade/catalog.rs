//! Statuses, lead types, transfer rules, numbering, ad campaigns and locations.

use crate::model::*;
use crate::{Backend, NamedList, Result, Store};
use jiff::Timestamp;

impl Store {
    pub async fn lead_statuses(&self, company_id: CompanyId) -> Result<Vec<Status>> {
        read_tx!(self, company_id, m, c => m::lead_statuses(c, company_id).await)
    }

    pub async fn order_statuses(&self, company_id: CompanyId) -> Result<Vec<Status>> {
        read_tx!(self, company_id, m, c => m::order_statuses(c, company_id).await)
    }

    pub async fn lead_types(&self, company_id: CompanyId) -> Result<Vec<LeadType>> {
        read_tx!(self, company_id, m, c => m::lead_types(c, company_id).await)
    }

    pub async fn lead_type(&self, company_id: CompanyId, id: i64) -> Result<LeadType> {
        read_tx!(self, company_id, m, c => m::lead_type(c, company_id, id).await)
    }

    pub async fn create_lead_type(
        &self,
        company_id: CompanyId,
        name: &str,
        initial_status_id: i64,
        fields: &[ringdesk_domain::work::FieldDef],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<LeadType> {
        write_tx!(self, company_id, m, c => m::create_lead_type(c, company_id, name, initial_status_id, fields, actor, now).await)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn update_lead_type(
        &self,
        company_id: CompanyId,
        id: i64,
        name: Option<&str>,
        initial_status_id: Option<i64>,
        fields: Option<&[ringdesk_domain::work::FieldDef]>,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<LeadType> {
        write_tx!(self, company_id, m, c => m::update_lead_type(c, company_id, id, name, initial_status_id, fields, actor, now).await)
    }

    /// `lead`: a lead status, else a work-order status.
    pub async fn create_status(
        &self,
        company_id: CompanyId,
        lead: bool,
        name: &str,
        group: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Status> {
        let table = if lead { "lead_status" } else { "order_status" };
        write_tx!(self, company_id, m, c => m::create_status(c, company_id, table, name, group, actor, now).await)
    }

    pub async fn rename_status(
        &self,
        company_id: CompanyId,
        lead: bool,
        id: i64,
        name: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        let table = if lead { "lead_status" } else { "order_status" };
        write_tx!(self, company_id, m, c => m::rename_status(c, company_id, table, id, name, actor, now).await)
    }

    pub async fn lead_status_transfers(&self, company_id: CompanyId) -> Result<Vec<(i64, i64)>> {
        read_tx!(self, company_id, m, c => m::lead_status_transfers(c, company_id).await)
    }

    pub async fn set_lead_status_transfers(
        &self,
        company_id: CompanyId,
        rules: &[(i64, i64)],
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_lead_status_transfers(c, company_id, rules, actor, now).await)
    }

    /// `list`: `ad_campaign` or `location`.
    pub async fn named_items(
        &self,
        company_id: CompanyId,
        list: NamedList,
    ) -> Result<Vec<NamedItem>> {
        read_tx!(self, company_id, m, c => m::named_items(c, company_id, list.table()).await)
    }

    pub async fn create_named_item(
        &self,
        company_id: CompanyId,
        list: NamedList,
        name: &str,
        now: Timestamp,
    ) -> Result<NamedItem> {
        write_tx!(self, company_id, m, c => m::create_named_item(c, company_id, list.table(), name, now).await)
    }

    pub async fn update_named_item(
        &self,
        company_id: CompanyId,
        list: NamedList,
        id: i64,
        name: Option<&str>,
        active: Option<bool>,
    ) -> Result<NamedItem> {
        write_tx!(self, company_id, m, c => m::update_named_item(c, company_id, list.table(), id, name, active).await)
    }

    /// R-M3: the template of `kind` (`lead`, `work_order`, `quote`).
    pub async fn numbering(&self, company_id: CompanyId, kind: &str) -> Result<String> {
        read_tx!(self, company_id, m, c => m::numbering(c, company_id, kind).await)
    }

    pub async fn set_numbering(
        &self,
        company_id: CompanyId,
        kind: &str,
        template: &str,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_numbering(c, company_id, kind, template, actor, now).await)
    }
}

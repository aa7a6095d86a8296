//! Work orders.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;

impl Store {
    pub async fn create_order(
        &self,
        company_id: CompanyId,
        o: &NewWorkOrder,
        now: Timestamp,
    ) -> Result<WorkOrder> {
        write_tx!(self, company_id, m, c => m::create_order(c, company_id, o, now).await)
    }

    pub async fn order(&self, company_id: CompanyId, id: i64) -> Result<WorkOrder> {
        read_tx!(self, company_id, m, c => m::order(c, company_id, id).await)
    }

    pub async fn orders(
        &self,
        company_id: CompanyId,
        client_id: Option<i64>,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<WorkOrder>> {
        read_tx!(self, company_id, m, c => m::orders(c, company_id, client_id, before_id, limit).await)
    }

    pub async fn set_order_status(
        &self,
        company_id: CompanyId,
        id: i64,
        status_id: i64,
        now: Timestamp,
    ) -> Result<WorkOrder> {
        write_tx!(self, company_id, m, c => m::set_order_status(c, company_id, id, status_id, now).await)
    }
}

//! Notifications and their choices.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;

impl Store {
    pub async fn notification_prefs(
        &self,
        company_id: CompanyId,
        employee_id: i64,
    ) -> Result<NotificationPrefs> {
        read_tx!(self, company_id, m, c => m::notification_prefs(c, company_id, employee_id).await)
    }

    pub async fn set_notification_prefs(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        p: &NotificationPrefs,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::set_notification_prefs(c, company_id, employee_id, p).await)
    }

    pub async fn notifications(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        unread_only: bool,
        limit: i64,
    ) -> Result<Vec<Notification>> {
        read_tx!(self, company_id, m, c => m::notifications(c, company_id, employee_id, unread_only, limit).await)
    }

    pub async fn read_notification(
        &self,
        company_id: CompanyId,
        employee_id: i64,
        id: i64,
        now: Timestamp,
    ) -> Result<()> {
        write_tx!(self, company_id, m, c => m::read_notification(c, company_id, employee_id, id, now).await)
    }
}

//! Tasks.

use crate::model::*;
use crate::{Backend, Result, Store};
use jiff::Timestamp;

impl Store {
    /// Tasks by hand (R-M8): one for all assignees, or one each (R-A3), all
    /// in one transaction. `Invalid` naming the field if an assignee or a link
    /// is not of this company; then no task is made.
    pub async fn create_tasks(
        &self,
        company_id: CompanyId,
        t: &NewTask,
        now: Timestamp,
    ) -> Result<Vec<Task>> {
        write_tx!(self, company_id, m, c => m::create_tasks(c, company_id, t, now).await)
    }

    pub async fn reopen_task(
        &self,
        company_id: CompanyId,
        id: i64,
        now: Timestamp,
    ) -> Result<Task> {
        write_tx!(self, company_id, m, c => m::reopen_task(c, company_id, id, now).await)
    }

    pub async fn task(&self, company_id: CompanyId, id: i64) -> Result<Task> {
        read_tx!(self, company_id, m, c => m::task(c, company_id, id).await)
    }

    /// Tasks newest first (or "my tasks" order); `assignee_id`: what that employee's list shows (R-A3).
    pub async fn tasks(&self, company_id: CompanyId, filter: &TaskFilter) -> Result<Vec<Task>> {
        read_tx!(self, company_id, m, c => m::tasks(c, company_id, filter).await)
    }

    /// R-A3. `Invalid` if the employee is not an assignee, `Conflict` if the task is not open.
    pub async fn complete_task(
        &self,
        company_id: CompanyId,
        id: i64,
        employee_id: i64,
        now: Timestamp,
    ) -> Result<Task> {
        write_tx!(self, company_id, m, c => m::complete_task(c, company_id, id, employee_id, now).await)
    }
}

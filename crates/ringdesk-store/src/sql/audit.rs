//! The audit log.

use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result};
use jiff::Timestamp;

pub(crate) async fn audit(
    conn: &mut Conn,
    company_id: i64,
    actor: &Actor,
    action: &str,
    subject: Option<&str>,
    detail: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "insert into audit_entry (company_id, at, action, actor_employee_id, actor_token_id, address, subject, detail) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(company_id)
    .bind(ms(now))
    .bind(action)
    .bind(actor.employee_id)
    .bind(actor.token_id)
    .bind(&actor.address)
    .bind(subject)
    .bind(detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The audit log, newest first.
pub(crate) async fn audit_entries(
    conn: &mut Conn,
    company_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "select audit_entry_id, at, action, actor_employee_id, actor_token_id, address, subject, detail from audit_entry \
         where company_id = $1 and audit_entry_id < $2 order by audit_entry_id desc limit $3",
    )
    .bind(company_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.audit_entry_id,
            at: r.at.0,
            action: r.action,
            actor_employee_id: r.actor_employee_id,
            actor_token_id: r.actor_token_id,
            address: r.address,
            subject: r.subject,
            detail: r.detail,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    audit_entry_id: i64,
    at: At,
    action: String,
    actor_employee_id: Option<i64>,
    actor_token_id: Option<i64>,
    address: Option<String>,
    subject: Option<String>,
    detail: Option<String>,
}

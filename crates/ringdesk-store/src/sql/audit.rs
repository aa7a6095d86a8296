//! The audit log.

use super::Conn;
use crate::model::*;
use crate::{ms, ts, Result};
use jiff::Timestamp;
use sqlx::Row;

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
    let rows = sqlx::query(
        "select audit_entry_id, at, action, actor_employee_id, actor_token_id, address, subject, detail from audit_entry \
         where company_id = $1 and audit_entry_id < $2 order by audit_entry_id desc limit $3",
    )
    .bind(company_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.try_get("audit_entry_id")?,
                at: ts(r.try_get("at")?),
                action: r.try_get("action")?,
                actor_employee_id: r.try_get("actor_employee_id")?,
                actor_token_id: r.try_get("actor_token_id")?,
                address: r.try_get("address")?,
                subject: r.try_get("subject")?,
                detail: r.try_get("detail")?,
            })
        })
        .collect()
}

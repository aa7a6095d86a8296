//! Notifications (R-L6) and each employee's choices.

use super::company::company;
use super::live::publish;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::notify::{lead_notices, LeadEvent};
use ringdesk_domain::texts::text;
use sqlx::Row;

/// R-L6: an active employee's choices; `None` for a deactivated one or for
/// an id that is no employee of this company.
async fn recipient(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
) -> Result<Option<NotificationPrefs>> {
    let r = sqlx::query(
        "select e.active, p.new_lead, p.lead_assigned, p.lead_overdue from employee e \
         left join notification_pref p on p.company_id = e.company_id and p.employee_id = e.employee_id \
         where e.company_id = $1 and e.employee_id = $2",
    )
    .bind(company_id)
    .bind(employee_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = r else { return Ok(None) };
    if !r.try_get::<bool, _>("active")? {
        return Ok(None);
    }
    let all = NotificationPrefs::default();
    Ok(Some(NotificationPrefs {
        new_lead: r
            .try_get::<Option<bool>, _>("new_lead")?
            .unwrap_or(all.new_lead),
        lead_assigned: r
            .try_get::<Option<bool>, _>("lead_assigned")?
            .unwrap_or(all.lead_assigned),
        lead_overdue: r
            .try_get::<Option<bool>, _>("lead_overdue")?
            .unwrap_or(all.lead_overdue),
    }))
}

/// R-L6: gathers the choices of the employees a lead event names, asks the
/// domain who hears of it, and writes those notifications (titles in the
/// company's locale).
pub(super) async fn notify_lead_event(
    conn: &mut Conn,
    company_id: i64,
    event: &LeadEvent<'_>,
    lead_id: i64,
    call_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let mut known: Vec<(i64, Option<NotificationPrefs>)> = Vec::new();
    for id in event.named_employees() {
        if !known.iter().any(|(e, _)| *e == id) {
            let prefs = recipient(conn, company_id, id).await?;
            known.push((id, prefs));
        }
    }
    let notices = lead_notices(event, &|id| {
        known.iter().find(|(e, _)| *e == id).and_then(|(_, p)| *p)
    });
    if notices.is_empty() {
        return Ok(());
    }
    let locale = company(conn, company_id).await?.locale;
    for n in notices {
        notify(
            conn,
            company_id,
            n.employee_id,
            n.kind.as_str(),
            text(n.title, locale),
            Some(lead_id),
            call_id,
            now,
        )
        .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn notify(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    kind: &str,
    title: &str,
    lead_id: Option<i64>,
    call_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let id: i64 = sqlx::query_scalar(
        "insert into notification (company_id, employee_id, kind, title, lead_id, call_id, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning notification_id",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(kind)
    .bind(title)
    .bind(lead_id)
    .bind(call_id)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    publish(
        conn,
        company_id,
        LiveKind::Notification,
        id,
        Some(employee_id),
        now,
    )
    .await
}

pub(crate) async fn notifications(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    unread_only: bool,
    limit: i64,
) -> Result<Vec<Notification>> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "select notification_id, employee_id, kind, title, lead_id, call_id, created_at, read_at from notification \
         where company_id = $1 and employee_id = $2 and ($3 = false or read_at is null) order by notification_id desc limit $4",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(unread_only)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(Notification::from).collect())
}

/// One notification of the company (the live stream sends it to its employee only).
pub(crate) async fn notification(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
) -> Result<Notification> {
    let r: NotificationRow = sqlx::query_as(
        "select notification_id, employee_id, kind, title, lead_id, call_id, created_at, read_at from notification \
         where company_id = $1 and notification_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("notification"))?;
    Ok(r.into())
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    notification_id: i64,
    employee_id: i64,
    kind: String,
    title: String,
    lead_id: Option<i64>,
    call_id: Option<i64>,
    created_at: At,
    read_at: Option<At>,
}

/// Marks a notification of `employee_id` read (reading twice is not an error).
pub(crate) async fn read_notification(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    id: i64,
    now: Timestamp,
) -> Result<()> {
    let n: i64 = sqlx::query_scalar("select count(*) from notification where company_id = $1 and employee_id = $2 and notification_id = $3")
        .bind(company_id)
        .bind(employee_id)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound("notification"));
    }
    sqlx::query("update notification set read_at = $4 where company_id = $1 and employee_id = $2 and notification_id = $3 and read_at is null")
        .bind(company_id)
        .bind(employee_id)
        .bind(id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    // R-X7: the employee's other pages see it read.
    publish(
        conn,
        company_id,
        LiveKind::Notification,
        id,
        Some(employee_id),
        now,
    )
    .await?;
    Ok(())
}

pub(crate) async fn notification_prefs(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
) -> Result<NotificationPrefs> {
    let r = sqlx::query("select new_lead, lead_assigned, lead_overdue from notification_pref where company_id = $1 and employee_id = $2")
        .bind(company_id)
        .bind(employee_id)
        .fetch_optional(&mut *conn)
        .await?;
    match r {
        None => Ok(NotificationPrefs::default()),
        Some(r) => Ok(NotificationPrefs {
            new_lead: r.try_get("new_lead")?,
            lead_assigned: r.try_get("lead_assigned")?,
            lead_overdue: r.try_get("lead_overdue")?,
        }),
    }
}

pub(crate) async fn set_notification_prefs(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    p: &NotificationPrefs,
) -> Result<()> {
    sqlx::query(
        "insert into notification_pref (company_id, employee_id, new_lead, lead_assigned, lead_overdue) values ($1, $2, $3, $4, $5) \
         on conflict (company_id, employee_id) do update set new_lead = excluded.new_lead, lead_assigned = excluded.lead_assigned, \
         lead_overdue = excluded.lead_overdue",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(p.new_lead)
    .bind(p.lead_assigned)
    .bind(p.lead_overdue)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl From<NotificationRow> for Notification {
    fn from(r: NotificationRow) -> Notification {
        Notification {
            id: r.notification_id,
            employee_id: r.employee_id,
            kind: r.kind,
            title: r.title,
            lead_id: r.lead_id,
            call_id: r.call_id,
            created_at: r.created_at.0,
            read_at: r.read_at.map(|At(t)| t),
        }
    }
}

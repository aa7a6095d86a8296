//! What every phone-system connector shares (issue 12): the ignore list
//! (R-P7), the webhook inbox (every raw delivery, for the owner's page and
//! `ringdesk inbox replay`) and the company's phone-system settings (the
//! inbox's retention, the generic click-to-call URL of R-I5).

use super::audit::audit;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use sqlx::QueryBuilder;

pub(crate) async fn ignored_numbers(
    conn: &mut Conn,
    company_id: i64,
) -> Result<Vec<IgnoredNumber>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select number_key, number_raw from ignored_number where company_id = $1 order by number_key",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, number)| IgnoredNumber { key, number })
        .collect())
}

/// Replaces the list (R-P7). Numbers with the same key are one entry.
pub(crate) async fn set_ignored_numbers(
    conn: &mut Conn,
    company_id: i64,
    numbers: &[IgnoredNumber],
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("delete from ignored_number where company_id = $1")
        .bind(company_id)
        .execute(&mut *conn)
        .await?;
    for n in numbers {
        sqlx::query(
            "insert into ignored_number (company_id, number_key, number_raw, created_at) values ($1, $2, $3, $4) \
             on conflict (company_id, number_key) do nothing",
        )
        .bind(company_id)
        .bind(&n.key)
        .bind(&n.number)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    }
    let detail = format!("ignored numbers: {}", numbers.len());
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:ignored_numbers"),
        Some(&detail),
        now,
    )
    .await
}

/// R-P7: which of these texts are extensions of the company's employees.
pub(crate) async fn extensions_among(
    conn: &mut Conn,
    company_id: i64,
    candidates: &[&str],
) -> Result<Vec<String>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let mut q =
        QueryBuilder::new("select distinct extension from employee_extension where company_id = ");
    q.push_bind(company_id).push(" and extension in (");
    let mut sep = q.separated(", ");
    for c in candidates {
        sep.push_bind(c.to_string());
    }
    q.push(")");
    Ok(q.build_query_scalar().fetch_all(&mut *conn).await?)
}

pub(crate) async fn record_delivery(
    conn: &mut Conn,
    company_id: i64,
    d: &NewDelivery,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "insert into inbox_delivery (company_id, connector, received_at, headers, body, authenticated, status, result) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning delivery_id",
    )
    .bind(company_id)
    .bind(&d.connector)
    .bind(ms(d.received_at))
    .bind(&d.headers)
    .bind(&d.body)
    .bind(d.authenticated)
    .bind(i64::from(d.status))
    .bind(&d.result)
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    delivery_id: i64,
    connector: String,
    received_at: At,
    headers: String,
    body: Vec<u8>,
    authenticated: bool,
    status: i64,
    result: String,
}

impl TryFrom<DeliveryRow> for Delivery {
    type Error = StoreError;
    fn try_from(r: DeliveryRow) -> Result<Delivery> {
        Ok(Delivery {
            id: r.delivery_id,
            connector: r.connector,
            received_at: r.received_at.0,
            headers: r.headers,
            body: r.body,
            authenticated: r.authenticated,
            status: u16::try_from(r.status)
                .map_err(|_| StoreError::Corrupt(format!("inbox status {}", r.status)))?,
            result: r.result,
        })
    }
}

/// The company's deliveries, newest first (or oldest first for a replay).
pub(crate) async fn deliveries(
    conn: &mut Conn,
    company_id: i64,
    f: &DeliveryFilter,
) -> Result<Vec<Delivery>> {
    let mut q = QueryBuilder::new(
        "select delivery_id, connector, received_at, headers, body, authenticated, status, result \
         from inbox_delivery where company_id = ",
    );
    q.push_bind(company_id);
    if let Some(from) = f.from {
        q.push(" and received_at >= ").push_bind(ms(from));
    }
    if let Some(to) = f.to {
        q.push(" and received_at < ").push_bind(ms(to));
    }
    if let Some(c) = &f.connector {
        q.push(" and connector = ").push_bind(c.clone());
    }
    if f.oldest_first {
        if let Some(after) = f.cursor {
            q.push(" and delivery_id > ").push_bind(after);
        }
        q.push(" order by delivery_id");
    } else {
        if let Some(before) = f.cursor {
            q.push(" and delivery_id < ").push_bind(before);
        }
        q.push(" order by delivery_id desc");
    }
    q.push(" limit ").push_bind(f.limit);
    let rows: Vec<DeliveryRow> = q.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().map(Delivery::try_from).collect()
}

pub(crate) async fn companies_with_old_deliveries(
    conn: &mut Conn,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "select distinct company_id from inbox_delivery where received_at < $1 order by company_id limit $2",
    )
    .bind(ms(before))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Deletes the company's deliveries older than its retention.
pub(crate) async fn prune_deliveries(
    conn: &mut Conn,
    company_id: i64,
    now: Timestamp,
) -> Result<u64> {
    let days = phone_system_settings(conn, company_id)
        .await?
        .inbox_retention_days;
    let before = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * days))
        .map_err(|e| StoreError::Corrupt(format!("inbox retention: {e}")))?;
    Ok(
        sqlx::query("delete from inbox_delivery where company_id = $1 and received_at < $2")
            .bind(company_id)
            .bind(ms(before))
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

pub(crate) async fn phone_system_settings(
    conn: &mut Conn,
    company_id: i64,
) -> Result<PhoneSystemSettings> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as(
        "select inbox_retention_days, click_to_call_url from company where company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (inbox_retention_days, click_to_call_url) = row.ok_or(StoreError::NotFound("company"))?;
    Ok(PhoneSystemSettings {
        inbox_retention_days,
        click_to_call_url,
    })
}

pub(crate) async fn set_phone_system_settings(
    conn: &mut Conn,
    company_id: i64,
    s: &PhoneSystemSettings,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "update company set inbox_retention_days = $2, click_to_call_url = $3 where company_id = $1",
    )
    .bind(company_id)
    .bind(s.inbox_retention_days)
    .bind(&s.click_to_call_url)
    .execute(&mut *conn)
    .await?;
    let detail = format!(
        "inbox retention: {} days; click-to-call URL {}",
        s.inbox_retention_days,
        if s.click_to_call_url.is_some() {
            "set"
        } else {
            "not set"
        }
    );
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:phone_system"),
        Some(&detail),
        now,
    )
    .await
}

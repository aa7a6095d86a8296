//! Webhook signing settings and secrets (R-I1).

use super::audit::audit;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;

pub(crate) async fn webhook_signing(conn: &mut Conn, company_id: i64) -> Result<WebhookSigning> {
    let required: Option<bool> =
        sqlx::query_scalar("select webhook_signing_required from company where company_id = $1")
            .bind(company_id)
            .fetch_optional(&mut *conn)
            .await?;
    let rows: Vec<(i64, String, String, At)> = sqlx::query_as(
        "select webhook_secret_id, secret, prefix, created_at from webhook_secret where company_id = $1 and revoked_at is null order by webhook_secret_id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    let secrets = rows
        .into_iter()
        .map(|(id, secret, prefix, At(created_at))| WebhookSecret {
            id,
            secret: secret.into(),
            prefix,
            created_at,
        })
        .collect();
    Ok(WebhookSigning {
        required: required.ok_or(StoreError::NotFound("company"))?,
        secrets,
    })
}

pub(crate) async fn set_webhook_signing_required(
    conn: &mut Conn,
    company_id: i64,
    required: bool,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("update company set webhook_signing_required = $2 where company_id = $1")
        .bind(company_id)
        .bind(required)
        .execute(&mut *conn)
        .await?;
    let detail = format!("webhook signatures required: {required}");
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:webhook_signing"),
        Some(&detail),
        now,
    )
    .await
}

pub(crate) async fn add_webhook_secret(
    conn: &mut Conn,
    company_id: i64,
    secret: &str,
    prefix: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<WebhookSecret> {
    let id: i64 = sqlx::query_scalar(
        "insert into webhook_secret (company_id, secret, prefix, created_at) values ($1, $2, $3, $4) returning webhook_secret_id",
    )
    .bind(company_id)
    .bind(secret)
    .bind(prefix)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    audit(
        conn,
        company_id,
        actor,
        "webhook_secret_created",
        Some(&format!("webhook_secret:{id}")),
        Some(prefix),
        now,
    )
    .await?;
    Ok(WebhookSecret {
        id,
        secret: secret.into(),
        prefix: prefix.to_owned(),
        created_at: now,
    })
}

pub(crate) async fn revoke_webhook_secret(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let n = sqlx::query("update webhook_secret set revoked_at = $3 where company_id = $1 and webhook_secret_id = $2 and revoked_at is null")
        .bind(company_id)
        .bind(id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("webhook secret"));
    }
    audit(
        conn,
        company_id,
        actor,
        "webhook_secret_revoked",
        Some(&format!("webhook_secret:{id}")),
        None,
        now,
    )
    .await
}

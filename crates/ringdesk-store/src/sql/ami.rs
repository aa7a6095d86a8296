//! Asterisk Manager Interface connections (R-I3, R-X8): settings, the
//! connection's status, its gaps and the lease that lets one node hold it.

use super::audit::audit;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct AmiRow {
    enabled: bool,
    host: String,
    port: i64,
    username: String,
    secret: Option<String>,
    auth_type: String,
    channel_template: String,
    originate_context: String,
    internal_contexts: String,
    updated_at: At,
    status: String,
    status_detail: Option<String>,
    status_at: Option<At>,
}

impl From<AmiRow> for AmiSettings {
    fn from(r: AmiRow) -> Self {
        AmiSettings {
            enabled: r.enabled,
            host: r.host,
            // Written from a u16 only; anything else reads as the default port.
            port: u16::try_from(r.port).unwrap_or(5038),
            username: r.username,
            secret: r.secret.map(Into::into),
            auth_type: r.auth_type,
            channel_template: r.channel_template,
            originate_context: r.originate_context,
            internal_contexts: split_list(&r.internal_contexts),
            updated_at: Some(r.updated_at.0),
            status: AmiStatus {
                state: r.status,
                detail: r.status_detail,
                at: r.status_at.map(|a| a.0),
            },
        }
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) async fn ami_settings(conn: &mut Conn, company_id: i64) -> Result<AmiSettings> {
    let row: Option<AmiRow> = sqlx::query_as(
        "select enabled, host, port, username, secret, auth_type, channel_template, originate_context, internal_contexts, updated_at, status, status_detail, status_at from ami_settings where company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(Into::into).unwrap_or_default())
}

pub(crate) async fn set_ami_settings(
    conn: &mut Conn,
    company_id: i64,
    change: &AmiSettingsChange,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    use secrecy::ExposeSecret;
    let secret = change.secret.as_ref().map(|s| s.expose_secret().to_owned());
    let status = if change.enabled { "connecting" } else { "off" };
    sqlx::query(
        "insert into ami_settings (company_id, enabled, host, port, username, secret, auth_type, channel_template, originate_context, internal_contexts, updated_at, status) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         on conflict (company_id) do update set enabled = $2, host = $3, port = $4, username = $5, \
         secret = coalesce($6, ami_settings.secret), auth_type = $7, channel_template = $8, \
         originate_context = $9, internal_contexts = $10, updated_at = $11, status = $12, status_detail = null, status_at = null",
    )
    .bind(company_id)
    .bind(change.enabled)
    .bind(&change.host)
    .bind(i64::from(change.port))
    .bind(&change.username)
    .bind(secret)
    .bind(&change.auth_type)
    .bind(&change.channel_template)
    .bind(&change.originate_context)
    .bind(change.internal_contexts.join(","))
    .bind(ms(now))
    .bind(status)
    .execute(&mut *conn)
    .await?;
    // The secret is never written into the audit log.
    let detail = format!(
        "AMI enabled: {}, host: {}:{}, user: {}, secret changed: {}",
        change.enabled,
        change.host,
        change.port,
        change.username,
        change.secret.is_some()
    );
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:ami"),
        Some(&detail),
        now,
    )
    .await
}

pub(crate) async fn set_ami_status(
    conn: &mut Conn,
    company_id: i64,
    state: &str,
    detail: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "update ami_settings set status = $2, status_detail = $3, status_at = $4 where company_id = $1",
    )
    .bind(company_id)
    .bind(state)
    .bind(detail)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The companies that enable AMI and when their settings last changed (the
/// supervisor's view; on PostgreSQL the `ami_supervisor` policy shows it this).
pub(crate) async fn ami_enabled_companies(conn: &mut Conn) -> Result<Vec<(i64, Timestamp)>> {
    let rows: Vec<(i64, At)> = sqlx::query_as(
        "select company_id, updated_at from ami_settings where enabled order by company_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(c, At(t))| (c, t)).collect())
}

/// Takes or renews the company's lease for `holder` until `until`; true if
/// `holder` holds it now (it did, or the last holder's lease ran out).
pub(crate) async fn take_ami_lease(
    conn: &mut Conn,
    company_id: i64,
    holder: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<bool> {
    let got: Option<String> = sqlx::query_scalar(
        "insert into ami_lease (company_id, holder, expires_at) values ($1, $2, $3) \
         on conflict (company_id) do update set holder = $2, expires_at = $3 \
         where ami_lease.holder = $2 or ami_lease.expires_at < $4 returning holder",
    )
    .bind(company_id)
    .bind(holder)
    .bind(ms(until))
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(got.as_deref() == Some(holder))
}

/// Gives the lease up (when the holder stops), so another node may take it at once.
pub(crate) async fn release_ami_lease(
    conn: &mut Conn,
    company_id: i64,
    holder: &str,
) -> Result<()> {
    sqlx::query("delete from ami_lease where company_id = $1 and holder = $2")
        .bind(company_id)
        .bind(holder)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn add_ami_gap(
    conn: &mut Conn,
    company_id: i64,
    from: Timestamp,
    to: Timestamp,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "insert into ami_gap (company_id, gap_from, gap_to, reason) values ($1, $2, $3, $4)",
    )
    .bind(company_id)
    .bind(ms(from))
    .bind(ms(to))
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The gaps that overlap [`from`, `to`) (either end open), newest first.
pub(crate) async fn ami_gaps(
    conn: &mut Conn,
    company_id: i64,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    limit: i64,
) -> Result<Vec<AmiGap>> {
    let rows: Vec<(i64, At, At, String)> = sqlx::query_as(
        "select ami_gap_id, gap_from, gap_to, reason from ami_gap where company_id = $1 \
         and gap_to >= $2 and gap_from < $3 order by gap_from desc, ami_gap_id desc limit $4",
    )
    .bind(company_id)
    .bind(from.map_or(i64::MIN, ms))
    .bind(to.map_or(i64::MAX, ms))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, At(from), At(to), reason)| AmiGap {
            id,
            from,
            to,
            reason,
        })
        .collect())
}

/// Who holds the company's lease, and until when (expired or not).
pub(crate) async fn ami_lease_holder(
    conn: &mut Conn,
    company_id: i64,
) -> Result<Option<(String, Timestamp)>> {
    let row: Option<(String, At)> =
        sqlx::query_as("select holder, expires_at from ami_lease where company_id = $1")
            .bind(company_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(h, At(t))| (h, t)))
}

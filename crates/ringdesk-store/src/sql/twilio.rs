//! A company's Twilio settings (R-I2, R-X8; migration 0013).

use super::audit::audit;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result};
use jiff::Timestamp;
use secrecy::{ExposeSecret, SecretString};

#[derive(sqlx::FromRow)]
struct TwilioRow {
    enabled: bool,
    auth_token: Option<String>,
    public_url: String,
    account_sid: Option<String>,
    caller_id: Option<String>,
    updated_at: At,
}

impl From<TwilioRow> for TwilioSettings {
    fn from(r: TwilioRow) -> Self {
        TwilioSettings {
            enabled: r.enabled,
            auth_token: r.auth_token.map(SecretString::from),
            public_url: r.public_url,
            account_sid: r.account_sid,
            caller_id: r.caller_id,
            updated_at: r.updated_at.0,
        }
    }
}

/// The company's Twilio settings; `None` until they were first saved.
pub(crate) async fn twilio_settings(
    conn: &mut Conn,
    company_id: i64,
) -> Result<Option<TwilioSettings>> {
    let row: Option<TwilioRow> = sqlx::query_as(
        "select enabled, auth_token, public_url, account_sid, caller_id, updated_at \
         from twilio_settings where company_id = $1",
    )
    .bind(company_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(TwilioSettings::from))
}

/// Saves the settings (a missing `auth_token` keeps the stored one) and
/// writes the audit row, which says whether the token changed, never what it is.
pub(crate) async fn put_twilio_settings(
    conn: &mut Conn,
    company_id: i64,
    put: &TwilioSettingsPut,
    actor: &Actor,
    now: Timestamp,
) -> Result<TwilioSettings> {
    sqlx::query(
        "insert into twilio_settings (company_id, enabled, auth_token, public_url, account_sid, caller_id, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (company_id) do update set enabled = excluded.enabled, \
         auth_token = coalesce(excluded.auth_token, twilio_settings.auth_token), \
         public_url = excluded.public_url, account_sid = excluded.account_sid, \
         caller_id = excluded.caller_id, updated_at = excluded.updated_at",
    )
    .bind(company_id)
    .bind(put.enabled)
    .bind(put.auth_token.as_ref().map(|t| t.expose_secret().to_owned()))
    .bind(&put.public_url)
    .bind(&put.account_sid)
    .bind(&put.caller_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    let detail = format!(
        "twilio: enabled {}, public_url {}, auth_token {}",
        put.enabled,
        put.public_url,
        if put.auth_token.is_some() {
            "replaced"
        } else {
            "kept"
        }
    );
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:twilio"),
        Some(&detail),
        now,
    )
    .await?;
    twilio_settings(conn, company_id)
        .await?
        .ok_or(crate::StoreError::NotFound("twilio settings"))
}

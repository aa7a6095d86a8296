//! A company: its creation with defaults (R-X3, R-X5), its record and its telephony settings (R-X6).

use super::accounts::{employee, insert_api_token, insert_employee};
use super::audit::audit;
use super::{new_company_id, set_company, Conn, OVERRIDING};
use crate::decode::{At, Named};
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::TelephonySettings;
use ringdesk_domain::company::{Locale, NewCompany};
use ringdesk_domain::phone::Country;

pub(crate) async fn create_company(
    conn: &mut Conn,
    company: &NewCompany,
    owner: &NewEmployee,
    token: &NewApiToken,
    now: Timestamp,
) -> Result<(Company, Employee)> {
    let company_id = new_company_id(conn).await?;
    set_company(conn, company_id).await?;
    sqlx::query(&format!(
        "insert into company (company_id, name, country, time_zone, locale, created_at){OVERRIDING} values ($1, $2, $3, $4, $5, $6)"
    ))
    .bind(company_id)
    .bind(&company.name)
    .bind(company.country.as_str())
    .bind(company.time_zone.as_str())
    .bind(company.locale.as_str())
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    let owner_id = insert_employee(conn, company_id, owner, true, now).await?;
    insert_default_statuses(conn, company_id, company.locale).await?;
    insert_api_token(conn, company_id, owner_id, token, now).await?;
    Ok((
        self::company(conn, company_id).await?,
        employee(conn, company_id, owner_id).await?,
    ))
}

/// R-X5: a new company starts with a status per group, the system statuses
/// of R-M2 and the lead type "Lead", named in the company's locale.
async fn insert_default_statuses(conn: &mut Conn, company_id: i64, locale: Locale) -> Result<()> {
    use ringdesk_domain::texts::{
        text, DEFAULT_LEAD_STATUSES, DEFAULT_LEAD_TYPE, DEFAULT_ORDER_STATUSES,
    };
    let mut first_lead_status = None;
    for (i, st) in DEFAULT_LEAD_STATUSES.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "insert into lead_status (company_id, name, status_group, status_key, position) values ($1, $2, $3, $4, $5) returning lead_status_id",
        )
        .bind(company_id)
        .bind(text(st.name, locale))
        .bind(st.group)
        .bind(st.key)
        .bind(i as i64)
        .fetch_one(&mut *conn)
        .await?;
        first_lead_status.get_or_insert(id);
    }
    for (i, st) in DEFAULT_ORDER_STATUSES.iter().enumerate() {
        sqlx::query("insert into order_status (company_id, name, status_group, position) values ($1, $2, $3, $4)")
            .bind(company_id)
            .bind(text(st.name, locale))
            .bind(st.group)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("insert into lead_type (company_id, name, initial_status_id) values ($1, $2, $3)")
        .bind(company_id)
        .bind(text(DEFAULT_LEAD_TYPE, locale))
        .bind(first_lead_status.ok_or(StoreError::NotFound("default lead status"))?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// R-X6; the defaults (everything off) until the company saves its own.
pub(crate) async fn telephony_settings(
    conn: &mut Conn,
    company_id: i64,
) -> Result<TelephonySettings> {
    let text: Option<String> =
        sqlx::query_scalar("select settings from telephony_settings where company_id = $1")
            .bind(company_id)
            .fetch_optional(&mut *conn)
            .await?;
    match text {
        None => Ok(TelephonySettings::default()),
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e)))),
    }
}

pub(crate) async fn put_telephony_settings(
    conn: &mut Conn,
    company_id: i64,
    settings: &TelephonySettings,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let text = serde_json::to_string(settings)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    sqlx::query(
        "insert into telephony_settings (company_id, settings, updated_at) values ($1, $2, $3) \
         on conflict (company_id) do update set settings = excluded.settings, updated_at = excluded.updated_at",
    )
    .bind(company_id)
    .bind(text)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:telephony"),
        None,
        now,
    )
    .await
}

/// Whether the installation has any company yet (R-X3a).
pub(crate) async fn has_company(conn: &mut Conn) -> Result<bool> {
    Ok(sqlx::query_scalar("select exists (select 1 from company)")
        .fetch_one(&mut *conn)
        .await?)
}

#[derive(sqlx::FromRow)]
struct CompanyRow {
    company_id: i64,
    name: String,
    country: Named<Country>,
    time_zone: String,
    locale: Named<Locale>,
    created_at: At,
}

pub(crate) async fn company(conn: &mut Conn, company_id: i64) -> Result<Company> {
    let r: CompanyRow = sqlx::query_as("select company_id, name, country, time_zone, locale, created_at from company where company_id = $1")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("company"))?;
    Ok(Company {
        id: r.company_id,
        name: r.name,
        country: r.country.0,
        time_zone: r.time_zone,
        locale: r.locale.0,
        created_at: r.created_at.0,
    })
}

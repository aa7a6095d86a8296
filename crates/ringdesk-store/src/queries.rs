// Every query of the store, written once and compiled once per backend: this
// file is `include!`d by `sqlite.rs` and `postgres.rs`, each of which defines
// `Db`, `FOR_UPDATE` and `begin_write`. Only SQL that both dialects read the
// same way belongs here (numbered `$n` parameters, `returning`, `on conflict`).

#[allow(unused_imports)]
use crate::model::*;
#[allow(unused_imports)]
use crate::{ms, sha256_hex, ts, Result, StoreError};
#[allow(unused_imports)]
use jiff::Timestamp;
#[allow(unused_imports)]
use ringdesk_domain::call::{CallState, CallSummary, Direction, EventFact};
#[allow(unused_imports)]
use ringdesk_domain::event::CallEvent;
#[allow(unused_imports)]
use ringdesk_domain::company::{Locale, NewCompany, Permission};
#[allow(unused_imports)]
use ringdesk_domain::automation::TelephonySettings;
#[allow(unused_imports)]
use ringdesk_domain::phone::{self as phone, Country, PhoneKey};
#[allow(unused_imports)]
use sqlx::Row;

type Conn = <Db as sqlx::Database>::Connection;
type DbRow = <Db as sqlx::Database>::Row;

/// Turns a unique violation into [`StoreError::Taken`] naming `field`.
fn taken(e: sqlx::Error, field_of: impl Fn(&str) -> (&'static str, String)) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            let what = db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned());
            let (field, message) = field_of(&what);
            return StoreError::Taken { field: field.to_owned(), message };
        }
    }
    StoreError::Database(e)
}

// ----- companies and tokens ------------------------------------------------

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
    Ok((self::company(conn, company_id).await?, employee(conn, company_id, owner_id).await?))
}

/// R-X5: a new company starts with a status per group, the system statuses
/// of R-M2 and the lead type "Lead", named in the company's locale.
async fn insert_default_statuses(conn: &mut Conn, company_id: i64, locale: Locale) -> Result<()> {
    use ringdesk_domain::texts::{text, DEFAULT_LEAD_STATUSES, DEFAULT_LEAD_TYPE, DEFAULT_ORDER_STATUSES};
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

pub(crate) async fn lead_statuses(conn: &mut Conn, company_id: i64) -> Result<Vec<Status>> {
    let rows = sqlx::query(
        "select lead_status_id as id, name, status_group, status_key from lead_status where company_id = $1 order by position, lead_status_id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(Status { id: r.try_get("id")?, name: r.try_get("name")?, group: r.try_get("status_group")?, key: r.try_get("status_key")? }))
        .collect()
}

pub(crate) async fn order_statuses(conn: &mut Conn, company_id: i64) -> Result<Vec<Status>> {
    let rows = sqlx::query("select order_status_id as id, name, status_group from order_status where company_id = $1 order by position, order_status_id")
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(Status { id: r.try_get("id")?, name: r.try_get("name")?, group: r.try_get("status_group")?, key: None })).collect()
}

const LEAD_TYPE_COLUMNS: &str = "lead_type_id, name, initial_status_id, fields";

fn lead_type_from_row(r: &DbRow) -> Result<LeadType> {
    Ok(LeadType {
        id: r.try_get("lead_type_id")?,
        name: r.try_get("name")?,
        initial_status_id: r.try_get("initial_status_id")?,
        fields: r
            .try_get::<Option<String>, _>("fields")?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default(),
    })
}

pub(crate) async fn lead_types(conn: &mut Conn, company_id: i64) -> Result<Vec<LeadType>> {
    let rows = sqlx::query(&format!("select {LEAD_TYPE_COLUMNS} from lead_type where company_id = $1 order by lead_type_id"))
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(lead_type_from_row).collect()
}

/// R-X6; the defaults (everything off) until the company saves its own.
pub(crate) async fn telephony_settings(conn: &mut Conn, company_id: i64) -> Result<TelephonySettings> {
    let text: Option<String> = sqlx::query_scalar("select settings from telephony_settings where company_id = $1")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?;
    match text {
        None => Ok(TelephonySettings::default()),
        Some(t) => serde_json::from_str(&t).map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e)))),
    }
}

pub(crate) async fn put_telephony_settings(conn: &mut Conn, company_id: i64, settings: &TelephonySettings, actor: &Actor, now: Timestamp) -> Result<()> {
    let text = serde_json::to_string(settings).map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    sqlx::query(
        "insert into telephony_settings (company_id, settings, updated_at) values ($1, $2, $3) \
         on conflict (company_id) do update set settings = excluded.settings, updated_at = excluded.updated_at",
    )
    .bind(company_id)
    .bind(text)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    audit(conn, company_id, actor, "settings_changed", Some("settings:telephony"), None, now).await
}

pub(crate) async fn company(conn: &mut Conn, company_id: i64) -> Result<Company> {
    let row = sqlx::query("select company_id, name, country, time_zone, locale, created_at from company where company_id = $1")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("company"))?;
    Ok(Company {
        id: row.try_get("company_id")?,
        name: row.try_get("name")?,
        country: Country::parse(row.try_get::<&str, _>("country")?).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        time_zone: row.try_get("time_zone")?,
        locale: Locale::parse(row.try_get::<&str, _>("locale")?).unwrap_or(Locale::En),
        created_at: ts(row.try_get("created_at")?),
    })
}

fn permissions_list(text: Option<&str>) -> Option<Vec<Permission>> {
    text.map(|t| t.split(',').filter_map(Permission::parse).collect())
}

async fn insert_api_token(conn: &mut Conn, company_id: i64, employee_id: i64, token: &NewApiToken, now: Timestamp) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "insert into api_token (company_id, employee_id, name, token_hash, prefix, permissions, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) returning api_token_id",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(&token.name)
    .bind(&token.token_hash)
    .bind(&token.prefix)
    .bind(token.permissions.as_deref().map(permissions_text))
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?)
}

/// Inside a lookup transaction for `token_hash`: the token's identity, if it is
/// live and its employee active, and when it was last used. Names the company.
pub(crate) async fn find_token(conn: &mut Conn, token_hash: &str) -> Result<Option<(TokenIdentity, Option<i64>)>> {
    let row = sqlx::query(
        "select api_token_id, company_id, employee_id, permissions, last_used_at from api_token where token_hash = $1 and revoked_at is null",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let company_id: i64 = row.try_get("company_id")?;
    let employee_id: i64 = row.try_get("employee_id")?;
    set_company(conn, company_id).await?;
    let holder = sqlx::query("select permissions, is_owner from employee where company_id = $1 and employee_id = $2 and active = true")
        .bind(company_id)
        .bind(employee_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(holder) = holder else { return Ok(None) };
    let held: Vec<Permission> = if holder.try_get("is_owner")? {
        Permission::ALL.to_vec()
    } else {
        permissions_list(Some(holder.try_get("permissions")?)).unwrap_or_default()
    };
    let given = permissions_list(row.try_get::<Option<&str>, _>("permissions")?);
    let identity = TokenIdentity {
        token_id: row.try_get("api_token_id")?,
        company_id,
        employee_id,
        permissions: held.into_iter().filter(|p| given.as_ref().is_none_or(|g| g.contains(p))).collect(),
    };
    Ok(Some((identity, row.try_get("last_used_at")?)))
}

async fn employee_active(conn: &mut Conn, company_id: i64, employee_id: i64) -> Result<bool> {
    let active: Option<bool> = sqlx::query_scalar("select active from employee where company_id = $1 and employee_id = $2")
        .bind(company_id)
        .bind(employee_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(active == Some(true))
}

pub(crate) async fn touch_token(conn: &mut Conn, company_id: i64, token_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("update api_token set last_used_at = $3 where company_id = $1 and api_token_id = $2")
        .bind(company_id)
        .bind(token_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const TOKEN_COLUMNS: &str = "api_token_id, employee_id, name, prefix, permissions, created_at, last_used_at, revoked_at";

fn token_from_row(r: &DbRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("api_token_id")?,
        employee_id: r.try_get("employee_id")?,
        name: r.try_get("name")?,
        prefix: r.try_get("prefix")?,
        permissions: permissions_list(r.try_get::<Option<&str>, _>("permissions")?),
        created_at: ts(r.try_get("created_at")?),
        last_used_at: r.try_get::<Option<i64>, _>("last_used_at")?.map(ts),
        revoked_at: r.try_get::<Option<i64>, _>("revoked_at")?.map(ts),
    })
}

pub(crate) async fn create_api_token(conn: &mut Conn, company_id: i64, employee_id: i64, token: &NewApiToken, actor: &Actor, now: Timestamp) -> Result<ApiToken> {
    let id = insert_api_token(conn, company_id, employee_id, token, now).await?;
    let detail = format!(
        "{:?} for employee {employee_id} with {}",
        token.name,
        token.permissions.as_deref().map(permissions_text).unwrap_or_else(|| "all of the employee's rights".into())
    );
    audit(conn, company_id, actor, "token_created", Some(&format!("api_token:{id}")), Some(&detail), now).await?;
    api_token(conn, company_id, id).await
}

pub(crate) async fn api_token(conn: &mut Conn, company_id: i64, id: i64) -> Result<ApiToken> {
    let row = sqlx::query(&format!("select {TOKEN_COLUMNS} from api_token where company_id = $1 and api_token_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("api token"))?;
    token_from_row(&row)
}

/// The company's tokens, or only one employee's, newest first.
pub(crate) async fn api_tokens(conn: &mut Conn, company_id: i64, employee_id: Option<i64>) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query(&format!(
        "select {TOKEN_COLUMNS} from api_token where company_id = $1 and ($2 is null or employee_id = $2) order by api_token_id desc"
    ))
    .bind(company_id)
    .bind(employee_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(token_from_row).collect()
}

/// Revokes a token (of `employee_id` only, when given). Revoking twice is not an error.
pub(crate) async fn revoke_api_token(conn: &mut Conn, company_id: i64, id: i64, employee_id: Option<i64>, actor: &Actor, now: Timestamp) -> Result<ApiToken> {
    let token = api_token(conn, company_id, id).await?;
    if employee_id.is_some_and(|e| e != token.employee_id) {
        return Err(StoreError::NotFound("api token"));
    }
    if token.revoked_at.is_none() {
        sqlx::query("update api_token set revoked_at = $3 where company_id = $1 and api_token_id = $2")
            .bind(company_id)
            .bind(id)
            .bind(ms(now))
            .execute(&mut *conn)
            .await?;
        audit(conn, company_id, actor, "token_revoked", Some(&format!("api_token:{id}")), Some(&format!("{:?}", token.name)), now).await?;
    }
    api_token(conn, company_id, id).await
}

// ----- sign-in, sessions, throttling ---------------------------------------

/// Inside a lookup transaction for `email`: the account it names. Names the company.
pub(crate) async fn sign_in_account(conn: &mut Conn, email: &str) -> Result<Option<SignInAccount>> {
    let row = sqlx::query("select company_id, employee_id, password_hash, active from employee where email = $1")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let account = SignInAccount {
        company_id: row.try_get("company_id")?,
        employee_id: row.try_get("employee_id")?,
        password_hash: row.try_get("password_hash")?,
        active: row.try_get("active")?,
    };
    set_company(conn, account.company_id).await?;
    Ok(Some(account))
}

pub(crate) async fn create_session(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    token_hash: &str,
    expires_at: Timestamp,
    actor: &Actor,
    now: Timestamp,
) -> Result<SessionIdentity> {
    let session_id: i64 = sqlx::query_scalar(
        "insert into session (company_id, employee_id, token_hash, address, created_at, last_seen_at, expires_at) \
         values ($1, $2, $3, $4, $5, $5, $6) returning session_id",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(token_hash)
    .bind(&actor.address)
    .bind(ms(now))
    .bind(ms(expires_at))
    .fetch_one(&mut *conn)
    .await?;
    audit(conn, company_id, actor, "sign_in", Some(&format!("employee:{employee_id}")), None, now).await?;
    Ok(SessionIdentity { session_id, company_id, employee_id })
}

/// Inside a lookup transaction for `token_hash`: the live session it names, if
/// its employee is still active, and when it was last seen. Names the company.
pub(crate) async fn find_session(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<Option<(SessionIdentity, i64)>> {
    let row = sqlx::query(
        "select session_id, company_id, employee_id, last_seen_at from session where token_hash = $1 and ended_at is null and expires_at > $2",
    )
    .bind(token_hash)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let s = SessionIdentity {
        session_id: row.try_get("session_id")?,
        company_id: row.try_get("company_id")?,
        employee_id: row.try_get("employee_id")?,
    };
    set_company(conn, s.company_id).await?;
    if !employee_active(conn, s.company_id, s.employee_id).await? {
        return Ok(None);
    }
    Ok(Some((s, row.try_get("last_seen_at")?)))
}

/// Keeps a session alive: idle sessions expire `idle` after their last use.
pub(crate) async fn touch_session(conn: &mut Conn, company_id: i64, session_id: i64, expires_at: Timestamp, now: Timestamp) -> Result<()> {
    sqlx::query("update session set last_seen_at = $3, expires_at = $4 where company_id = $1 and session_id = $2")
        .bind(company_id)
        .bind(session_id)
        .bind(ms(now))
        .bind(ms(expires_at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn end_session(conn: &mut Conn, company_id: i64, session_id: i64, actor: &Actor, now: Timestamp) -> Result<()> {
    let employee_id: Option<i64> = sqlx::query_scalar(
        "update session set ended_at = $3 where company_id = $1 and session_id = $2 and ended_at is null returning employee_id",
    )
    .bind(company_id)
    .bind(session_id)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(e) = employee_id {
        audit(conn, company_id, actor, "sign_out", Some(&format!("employee:{e}")), None, now).await?;
    }
    Ok(())
}

async fn end_sessions_of(conn: &mut Conn, company_id: i64, employee_id: i64, except: Option<i64>, now: Timestamp) -> Result<u64> {
    Ok(sqlx::query(
        "update session set ended_at = $4 where company_id = $1 and employee_id = $2 and ended_at is null and session_id <> $3",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(except.unwrap_or(-1))
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// How many sessions of an employee are live (tests read it).
pub(crate) async fn live_sessions(conn: &mut Conn, company_id: i64, employee_id: i64, now: Timestamp) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from session where company_id = $1 and employee_id = $2 and ended_at is null and expires_at > $3")
        .bind(company_id)
        .bind(employee_id)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?)
}

/// The failures counted under `key` in the window that began after `since`.
pub(crate) async fn throttle_count(conn: &mut Conn, key: &str, since: Timestamp) -> Result<Option<ThrottleCount>> {
    let row = sqlx::query("select failures, window_started_at from sign_in_throttle where throttle_key = $1 and window_started_at > $2")
        .bind(key)
        .bind(ms(since))
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok(ThrottleCount { failures: r.try_get("failures")?, window_started_at: ts(r.try_get("window_started_at")?) }))
        .transpose()
}

/// Counts one failure under `key`; a window older than `since` starts afresh. Atomic.
pub(crate) async fn throttle_fail(conn: &mut Conn, key: &str, since: Timestamp, now: Timestamp) -> Result<ThrottleCount> {
    let row = sqlx::query(
        "insert into sign_in_throttle (throttle_key, window_started_at, failures) values ($1, $2, 1) \
         on conflict (throttle_key) do update set \
           failures = case when sign_in_throttle.window_started_at > $3 then sign_in_throttle.failures + 1 else 1 end, \
           window_started_at = case when sign_in_throttle.window_started_at > $3 then sign_in_throttle.window_started_at else $2 end \
         returning failures, window_started_at",
    )
    .bind(key)
    .bind(ms(now))
    .bind(ms(since))
    .fetch_one(&mut *conn)
    .await?;
    Ok(ThrottleCount { failures: row.try_get("failures")?, window_started_at: ts(row.try_get("window_started_at")?) })
}

pub(crate) async fn throttle_clear(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query("delete from sign_in_throttle where throttle_key = $1").bind(key).execute(&mut *conn).await?;
    Ok(())
}

// ----- audit log -------------------------------------------------------------

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
pub(crate) async fn audit_entries(conn: &mut Conn, company_id: i64, before_id: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
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

// ----- webhook signing (R-I1) ----------------------------------------------

pub(crate) async fn webhook_signing(conn: &mut Conn, company_id: i64) -> Result<WebhookSigning> {
    let required: Option<bool> = sqlx::query_scalar("select webhook_signing_required from company where company_id = $1")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "select webhook_secret_id, secret, prefix, created_at from webhook_secret where company_id = $1 and revoked_at is null order by webhook_secret_id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    let secrets = rows
        .iter()
        .map(|r| {
            Ok(WebhookSecret {
                id: r.try_get("webhook_secret_id")?,
                secret: r.try_get("secret")?,
                prefix: r.try_get("prefix")?,
                created_at: ts(r.try_get("created_at")?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(WebhookSigning { required: required.ok_or(StoreError::NotFound("company"))?, secrets })
}

pub(crate) async fn set_webhook_signing_required(conn: &mut Conn, company_id: i64, required: bool, actor: &Actor, now: Timestamp) -> Result<()> {
    sqlx::query("update company set webhook_signing_required = $2 where company_id = $1")
        .bind(company_id)
        .bind(required)
        .execute(&mut *conn)
        .await?;
    let detail = format!("webhook signatures required: {required}");
    audit(conn, company_id, actor, "settings_changed", Some("settings:webhook_signing"), Some(&detail), now).await
}

pub(crate) async fn add_webhook_secret(conn: &mut Conn, company_id: i64, secret: &str, prefix: &str, actor: &Actor, now: Timestamp) -> Result<WebhookSecret> {
    let id: i64 = sqlx::query_scalar(
        "insert into webhook_secret (company_id, secret, prefix, created_at) values ($1, $2, $3, $4) returning webhook_secret_id",
    )
    .bind(company_id)
    .bind(secret)
    .bind(prefix)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    audit(conn, company_id, actor, "webhook_secret_created", Some(&format!("webhook_secret:{id}")), Some(prefix), now).await?;
    Ok(WebhookSecret { id, secret: secret.to_owned(), prefix: prefix.to_owned(), created_at: now })
}

pub(crate) async fn revoke_webhook_secret(conn: &mut Conn, company_id: i64, id: i64, actor: &Actor, now: Timestamp) -> Result<()> {
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
    audit(conn, company_id, actor, "webhook_secret_revoked", Some(&format!("webhook_secret:{id}")), None, now).await
}

// ----- employees -----------------------------------------------------------

fn permissions_text(p: &[Permission]) -> String {
    let mut v: Vec<&str> = p.iter().map(|p| p.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v.join(",")
}

fn employee_taken(what: &str) -> (&'static str, String) {
    if what.contains("email") {
        ("email", "this e-mail address is already used by an employee".to_owned())
    } else {
        ("extensions", "an extension is already given to another employee of this company".to_owned())
    }
}

async fn insert_employee(conn: &mut Conn, company_id: i64, e: &NewEmployee, is_owner: bool, now: Timestamp) -> Result<i64> {
    let perms = if is_owner { Permission::ALL.to_vec() } else { e.permissions.clone() };
    let id: i64 = sqlx::query_scalar(
        "insert into employee (company_id, name, email, password_hash, permissions, is_owner, active, created_at) \
         values ($1, $2, $3, $4, $5, $6, true, $7) returning employee_id",
    )
    .bind(company_id)
    .bind(&e.name)
    .bind(&e.email)
    .bind(&e.password_hash)
    .bind(permissions_text(&perms))
    .bind(is_owner)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await
    .map_err(|err| taken(err, employee_taken))?;
    set_extensions(conn, company_id, id, &e.extensions).await?;
    Ok(id)
}

async fn set_extensions(conn: &mut Conn, company_id: i64, employee_id: i64, extensions: &[String]) -> Result<()> {
    sqlx::query("delete from employee_extension where company_id = $1 and employee_id = $2")
        .bind(company_id)
        .bind(employee_id)
        .execute(&mut *conn)
        .await?;
    for x in extensions {
        sqlx::query("insert into employee_extension (company_id, extension, employee_id) values ($1, $2, $3)")
            .bind(company_id)
            .bind(x)
            .bind(employee_id)
            .execute(&mut *conn)
            .await
            .map_err(|err| taken(err, employee_taken))?;
    }
    Ok(())
}

pub(crate) async fn create_employee(conn: &mut Conn, company_id: i64, e: &NewEmployee, actor: &Actor, now: Timestamp) -> Result<Employee> {
    let id = insert_employee(conn, company_id, e, false, now).await?;
    let detail = format!("{} with permissions [{}]", e.email, permissions_text(&e.permissions));
    audit(conn, company_id, actor, "employee_created", Some(&format!("employee:{id}")), Some(&detail), now).await?;
    employee(conn, company_id, id).await
}

const EMPLOYEE_COLUMNS: &str = "employee_id, company_id, name, email, permissions, is_owner, active, created_at";

async fn employee_from_row(conn: &mut Conn, row: &DbRow) -> Result<Employee> {
    let id: i64 = row.try_get("employee_id")?;
    let company_id: i64 = row.try_get("company_id")?;
    let extensions: Vec<String> =
        sqlx::query_scalar("select extension from employee_extension where company_id = $1 and employee_id = $2 order by extension")
            .bind(company_id)
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Employee {
        id,
        company_id,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        permissions: row.try_get::<&str, _>("permissions")?.split(',').filter_map(Permission::parse).collect(),
        is_owner: row.try_get("is_owner")?,
        active: row.try_get("active")?,
        extensions,
        created_at: ts(row.try_get("created_at")?),
    })
}

pub(crate) async fn employee(conn: &mut Conn, company_id: i64, id: i64) -> Result<Employee> {
    let row = sqlx::query(&format!("select {EMPLOYEE_COLUMNS} from employee where company_id = $1 and employee_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("employee"))?;
    employee_from_row(conn, &row).await
}

pub(crate) async fn employees(conn: &mut Conn, company_id: i64) -> Result<Vec<Employee>> {
    let rows = sqlx::query(&format!("select {EMPLOYEE_COLUMNS} from employee where company_id = $1 order by employee_id"))
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(employee_from_row(conn, r).await?);
    }
    Ok(out)
}

pub(crate) async fn update_employee(conn: &mut Conn, company_id: i64, id: i64, patch: &EmployeePatch, actor: &Actor, now: Timestamp) -> Result<Employee> {
        let is_owner: bool = sqlx::query_scalar(&format!("select is_owner from employee where company_id = $1 and employee_id = $2{FOR_UPDATE}"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("employee"))?;
    sqlx::query(
        "update employee set name = coalesce($3, name), email = coalesce($4, email), password_hash = coalesce($5, password_hash), \
         permissions = coalesce($6, permissions), active = coalesce($7, active) where company_id = $1 and employee_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(&patch.name)
    .bind(&patch.email)
    .bind(&patch.password_hash)
    // The owner keeps every permission and cannot be deactivated (R-T3).
    .bind(patch.permissions.as_deref().filter(|_| !is_owner).map(permissions_text))
    .bind(patch.active.filter(|_| !is_owner))
    .execute(&mut *conn)
    .await
    .map_err(|err| taken(err, employee_taken))?;
    if let Some(x) = &patch.extensions {
        set_extensions(conn, company_id, id, x).await?;
    }
    let subject = format!("employee:{id}");
    if let Some(p) = patch.permissions.as_deref().filter(|_| !is_owner) {
        audit(conn, company_id, actor, "permissions_changed", Some(&subject), Some(&permissions_text(p)), now).await?;
    }
    if patch.password_hash.is_some() {
        let ended = end_sessions_of(conn, company_id, id, patch.keep_session_id, now).await?;
        audit(conn, company_id, actor, "password_changed", Some(&subject), Some(&format!("{ended} other sessions ended")), now).await?;
    }
    if patch.active == Some(false) && !is_owner {
        end_sessions_of(conn, company_id, id, None, now).await?;
        audit(conn, company_id, actor, "employee_deactivated", Some(&subject), None, now).await?;
    }
    if patch.active == Some(true) {
        audit(conn, company_id, actor, "employee_activated", Some(&subject), None, now).await?;
    }
    employee(conn, company_id, id).await
}

// ----- clients -------------------------------------------------------------

async fn insert_client_numbers(conn: &mut Conn, company_id: i64, client_id: i64, c: &ClientPatch) -> Result<()> {
    let mut position = 0i64;
    let mut add = async |conn: &mut Conn, raw: &str, key: &PhoneKey, kind: PhoneKind, matched_on: MatchedOn| -> Result<()> {
        position += 1;
        sqlx::query(
            "insert into client_phone (company_id, client_id, raw, phone_key, kind, matched_on, position) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(company_id)
        .bind(client_id)
        .bind(raw)
        .bind(key.as_str())
        .bind(kind.as_str())
        .bind(matched_on.as_str())
        .bind(position)
        .execute(&mut *conn)
        .await?;
        Ok(())
    };
    if let Some(phones) = &c.phones {
        sqlx::query("delete from client_phone where client_id = $1 and matched_on in ('phone', 'mobile')").bind(client_id).execute(&mut *conn).await?;
        for p in phones {
            let on = if p.kind == PhoneKind::Mobile { MatchedOn::Mobile } else { MatchedOn::Phone };
            add(conn, &p.number.raw, &p.number.key, p.kind, on).await?;
        }
    }
    for (list, table, matched_on) in [(&c.branches, "client_branch", MatchedOn::Branch), (&c.contacts, "client_contact", MatchedOn::Contact)] {
        let Some(list) = list else { continue };
        sqlx::query(&format!("delete from {table} where client_id = $1")).bind(client_id).execute(&mut *conn).await?;
        sqlx::query("delete from client_phone where client_id = $1 and matched_on = $2")
            .bind(client_id)
            .bind(matched_on.as_str())
            .execute(&mut *conn)
            .await?;
        for person in list {
            sqlx::query(&format!("insert into {table} (company_id, client_id, name, phone, mobile) values ($1, $2, $3, $4, $5)"))
                .bind(company_id)
                .bind(client_id)
                .bind(&person.name)
                .bind(person.phone.as_ref().map(|p| p.raw.as_str()))
                .bind(person.mobile.as_ref().map(|p| p.raw.as_str()))
                .execute(&mut *conn)
                .await?;
            for (n, kind) in [(&person.phone, PhoneKind::Phone), (&person.mobile, PhoneKind::Mobile)] {
                if let Some(n) = n {
                    add(conn, &n.raw, &n.key, kind, matched_on).await?;
                }
            }
        }
    }
    Ok(())
}

pub(crate) async fn create_client(conn: &mut Conn, company_id: i64, c: &NewClient, now: Timestamp) -> Result<Client> {
        let id: i64 = sqlx::query_scalar("insert into client (company_id, name, created_at) values ($1, $2, $3) returning client_id")
        .bind(company_id)
        .bind(&c.name)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
    let all = ClientPatch {
        name: None,
        phones: Some(c.phones.clone()),
        branches: Some(c.branches.clone()),
        contacts: Some(c.contacts.clone()),
    };
    insert_client_numbers(conn, company_id, id, &all).await?;
    client(conn, company_id, id).await
}

pub(crate) async fn update_client(conn: &mut Conn, company_id: i64, id: i64, patch: &ClientPatch) -> Result<Client> {
        let n = sqlx::query("update client set name = coalesce($3, name) where company_id = $1 and client_id = $2")
        .bind(company_id)
        .bind(id)
        .bind(&patch.name)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("client"));
    }
    insert_client_numbers(conn, company_id, id, patch).await?;
    client(conn, company_id, id).await
}

async fn people_at(conn: &mut Conn, table: &str, key: &str, client_id: i64) -> Result<Vec<PersonAt>> {
    let rows = sqlx::query(&format!("select {key} as id, name, phone, mobile from {table} where client_id = $1 order by {key}"))
        .bind(client_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok(PersonAt { id: r.try_get("id")?, name: r.try_get("name")?, phone: r.try_get("phone")?, mobile: r.try_get("mobile")? }))
        .collect()
}

async fn client_from_row(conn: &mut Conn, row: &DbRow) -> Result<Client> {
    let id: i64 = row.try_get("client_id")?;
    let phones = sqlx::query("select raw, phone_key, kind from client_phone where client_id = $1 and matched_on in ('phone', 'mobile') order by position")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let key: String = r.try_get("phone_key")?;
            Ok(ClientPhone {
                number: r.try_get("raw")?,
                e164: key.starts_with('+').then_some(key),
                kind: PhoneKind::parse(r.try_get("kind")?).unwrap_or(PhoneKind::Phone),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Client {
        id,
        name: row.try_get("name")?,
        created_at: ts(row.try_get("created_at")?),
        phones,
        branches: people_at(conn, "client_branch", "client_branch_id", id).await?,
        contacts: people_at(conn, "client_contact", "client_contact_id", id).await?,
    })
}

pub(crate) async fn client(conn: &mut Conn, company_id: i64, id: i64) -> Result<Client> {
    let row = sqlx::query("select client_id, name, created_at from client where company_id = $1 and client_id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("client"))?;
    client_from_row(conn, &row).await
}

pub(crate) async fn clients(conn: &mut Conn, company_id: i64, before_id: Option<i64>, limit: i64) -> Result<Vec<Client>> {
    let rows = sqlx::query(
        "select client_id, name, created_at from client where company_id = $1 and client_id < $2 order by client_id desc limit $3",
    )
    .bind(company_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(client_from_row(conn, r).await?);
    }
    Ok(out)
}

/// R-P3/R-P5: one indexed probe on (company, key); a client found on several of
/// its numbers appears once, with its own phones ranked before branches and contacts.
pub(crate) async fn lookup(conn: &mut Conn, company_id: i64, key: &PhoneKey) -> Result<Vec<LookupMatch>> {
    let rows = sqlx::query(
        "select c.client_id, c.name, c.created_at, p.matched_on from client_phone p join client c on c.client_id = p.client_id \
         where p.company_id = $1 and p.phone_key = $2 order by c.created_at desc, c.client_id desc, p.position",
    )
    .bind(company_id)
    .bind(key.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<LookupMatch> = Vec::new();
    for r in &rows {
        let m = LookupMatch {
            client_id: r.try_get("client_id")?,
            name: r.try_get("name")?,
            matched_on: MatchedOn::parse(r.try_get("matched_on")?),
            created_at: ts(r.try_get("created_at")?),
        };
        match out.iter_mut().find(|x| x.client_id == m.client_id) {
            Some(prev) if rank(m.matched_on) < rank(prev.matched_on) => prev.matched_on = m.matched_on,
            Some(_) => {}
            None => out.push(m),
        }
    }
    Ok(out)
}

fn rank(m: MatchedOn) -> u8 {
    match m {
        MatchedOn::Phone | MatchedOn::Mobile => 0,
        MatchedOn::Branch => 1,
        MatchedOn::Contact => 2,
    }
}

// ----- call ingestion ------------------------------------------------------

/// Resolves an event's `operator` (an extension or an e-mail) to an employee (R-C5, R-T4).
async fn resolve_operator(conn: &mut Conn, company_id: i64, operator: &str) -> Result<Option<i64>> {
    let id: Option<i64> = if operator.contains('@') {
        sqlx::query_scalar("select employee_id from employee where company_id = $1 and email = $2")
            .bind(company_id)
            .bind(operator.to_lowercase())
            .fetch_optional(&mut *conn)
            .await?
    } else {
        sqlx::query_scalar("select employee_id from employee_extension where company_id = $1 and extension = $2")
            .bind(company_id)
            .bind(operator)
            .fetch_optional(&mut *conn)
            .await?
    };
    Ok(id)
}

/// What an event's existing `event_id` says about a new delivery (R-X4).
async fn seen_event(conn: &mut Conn, company_id: i64, event_id: &str, fingerprint: &str) -> Result<Option<IngestOutcome>> {
    let row = sqlx::query("select call_id, fingerprint from call_event where company_id = $1 and event_id = $2")
        .bind(company_id)
        .bind(event_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let call_id: i64 = row.try_get("call_id")?;
    let stored: &str = row.try_get("fingerprint")?;
    Ok(Some(if stored == fingerprint { IngestOutcome::Duplicate { call_id } } else { IngestOutcome::Conflict { call_id } }))
}

/// Stores one event and brings its call up to date, inside the caller's
/// transaction. Everything an event causes is written here, so that it
/// commits or vanishes together with the event's dedupe row.
pub(crate) async fn ingest_one(conn: &mut Conn, ctx: &IngestContext, ev: &CallEvent, now: Timestamp) -> Result<IngestOutcome> {
    let company_id = ctx.company_id;
    let fingerprint = sha256_hex(&ev.fingerprint_text());
    if let Some(outcome) = seen_event(conn, company_id, &ev.event_id, &fingerprint).await? {
        return Ok(outcome);
    }

    // The call: created by its first event, which identifies the caller (R-P3, R-P6).
    let created: Option<i64> = sqlx::query_scalar(
        "insert into call (company_id, external_id, direction, state, from_raw, to_raw, first_seen_at, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict (company_id, external_id) do nothing returning call_id",
    )
    .bind(company_id)
    .bind(&ev.external_call_id)
    .bind(ev.direction.as_str())
    .bind(ev.state.as_str())
    .bind(&ev.from)
    .bind(&ev.to)
    .bind(ms(ev.at))
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    // Whether the call was answered, and had ended, before this event (automation's triggers).
    let mut before = (false, false);
    let mut closed_stale_at: Option<i64> = None;
    let (call_id, direction) = match created {
        Some(id) => {
            identify_caller(conn, ctx, id, ev).await?;
            (id, ev.direction)
        }
        None => {
            let row = sqlx::query(&format!(
                "select call_id, direction, answered_at, ended_at, closed_stale_at from call where company_id = $1 and external_id = $2{FOR_UPDATE}"
            ))
            .bind(company_id)
            .bind(&ev.external_call_id)
            .fetch_one(&mut *conn)
            .await?;
            before = (row.try_get::<Option<i64>, _>("answered_at")?.is_some(), row.try_get::<Option<i64>, _>("ended_at")?.is_some());
            closed_stale_at = row.try_get("closed_stale_at")?;
            (row.try_get("call_id")?, Direction::parse(row.try_get("direction")?).unwrap_or(ev.direction))
        }
    };

    let operator_id = match &ev.operator {
        Some(op) => resolve_operator(conn, company_id, op).await?,
        None => None,
    };
    let inserted = sqlx::query(
        "insert into call_event (company_id, call_id, event_id, state, at, from_raw, to_raw, operator, operator_id, queue, recording_url, fingerprint, received_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict (company_id, event_id) do nothing",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(&ev.event_id)
    .bind(ev.state.as_str())
    .bind(ms(ev.at))
    .bind(&ev.from)
    .bind(&ev.to)
    .bind(&ev.operator)
    .bind(operator_id)
    .bind(&ev.queue)
    .bind(&ev.recording_url)
    .bind(&fingerprint)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        // A concurrent delivery stored this event_id first (PostgreSQL, another writer).
        if created.is_some() {
            sqlx::query("delete from call where call_id = $1").bind(call_id).execute(&mut *conn).await?;
        }
        return seen_event(conn, company_id, &ev.event_id, &fingerprint).await?.ok_or(StoreError::NotFound("call event"));
    }
    let after = refresh_call(conn, company_id, call_id, direction, closed_stale_at, Some(now), now).await?;
    after_event(conn, company_id, call_id, created.is_some(), before, after, now).await?;
    Ok(IngestOutcome::Accepted { call_id })
}

/// R-P3, R-P6: the customer's number on the call's first event, looked up once.
async fn identify_caller(conn: &mut Conn, ctx: &IngestContext, call_id: i64, ev: &CallEvent) -> Result<()> {
    let raw = ev.customer_number();
    if phone::is_withheld(raw) {
        return Ok(());
    }
    let Ok(number) = phone::normalise(raw, &ctx.country) else { return Ok(()) };
    if ctx.ignored_numbers.contains(&number.key) {
        return Ok(());
    }
    let matches = lookup(conn, ctx.company_id, &number.key).await?;
    let m = ClientMatch::of(matches.len());
    let client_id = (m == ClientMatch::One).then(|| matches[0].client_id);
    sqlx::query("update call set customer_key = $2, client_match = $3, client_id = $4 where call_id = $1")
        .bind(call_id)
        .bind(number.key.as_str())
        .bind(m.as_str())
        .bind(client_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Re-derives the call's state and times from all its events (R-C3), so the
/// result never depends on the order they came in.
/// Returns whether the call is now answered, and whether it has ended.
/// `closed_stale_at`: when R-C3b closed it, if it did; `received`: when the
/// event that prompts this was received (None when a job refreshes it).
async fn refresh_call(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    direction: Direction,
    closed_stale_at: Option<i64>,
    received: Option<Timestamp>,
    now: Timestamp,
) -> Result<(bool, bool)> {
    let rows = sqlx::query("select event_id, state, at, operator_id, queue, recording_url from call_event where call_id = $1")
        .bind(call_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut facts = Vec::with_capacity(rows.len());
    let mut queue: Option<(i64, String)> = None;
    let mut recording: Option<(i64, String)> = None;
    for r in &rows {
        let at: i64 = r.try_get("at")?;
        facts.push(EventFact {
            event_id: r.try_get("event_id")?,
            state: CallState::parse(r.try_get("state")?).unwrap_or(CallState::Failed),
            at: ts(at),
            operator_id: r.try_get("operator_id")?,
        });
        // The first queue named and the latest recording link win, by event time.
        if let Some(q) = r.try_get::<Option<String>, _>("queue")? {
            if queue.as_ref().is_none_or(|(t, v)| (at, &q) < (*t, v)) {
                queue = Some((at, q));
            }
        }
        if let Some(u) = r.try_get::<Option<String>, _>("recording_url")? {
            if recording.as_ref().is_none_or(|(t, v)| (at, &u) > (*t, v)) {
                recording = Some((at, u));
            }
        }
    }
    let Some(mut s) = CallSummary::from_events(direction, &facts) else { return Ok((false, false)) };
    // R-C3b: a call closed for want of an end event stays `failed` until a real one arrives.
    if let (None, Some(at)) = (s.ended, closed_stale_at) {
        s.state = CallState::Failed;
        s.ended = Some(ts(at));
        s.missed = ringdesk_domain::call::is_missed(direction, CallState::Failed, s.answered.is_some());
    }
    sqlx::query(
        "update call set state = $3, missed = $4, operator_id = $5, queue = $6, recording_url = $7, first_seen_at = $8, \
         queued_at = $9, ringing_at = $10, answered_at = $11, ended_at = $12, wait_seconds = $13, ring_seconds = $14, \
         talk_seconds = $15, total_seconds = $16, updated_at = $17, \
         last_event_received_at = coalesce($18, last_event_received_at) \
         where company_id = $1 and call_id = $2",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(s.state.as_str())
    .bind(s.missed)
    .bind(s.operator_id)
    .bind(queue.map(|q| q.1))
    .bind(recording.map(|r| r.1))
    .bind(ms(s.first_seen))
    .bind(s.queued.map(ms))
    .bind(s.ringing.map(ms))
    .bind(s.answered.map(ms))
    .bind(s.ended.map(ms))
    .bind(s.wait_seconds())
    .bind(s.ring_seconds())
    .bind(s.talk_seconds())
    .bind(s.total_seconds())
    .bind(ms(now))
    .bind(received.map(ms))
    .execute(&mut *conn)
    .await?;
    Ok((s.answered.is_some(), s.ended.is_some()))
}

// ----- reading calls -------------------------------------------------------

const CALL_COLUMNS: &str = "call_id, company_id, external_id, direction, state, missed, from_raw, to_raw, customer_key, client_id, \
    client_match, operator_id, queue, recording_url, first_seen_at, queued_at, ringing_at, answered_at, ended_at, wait_seconds, \
    ring_seconds, talk_seconds, total_seconds, recovered, recovered_by_call_id, recovery_seconds, created_at, updated_at";

fn call_from_row(r: &DbRow) -> Result<Call> {
    let opt_ts = |c: &str| -> Result<Option<Timestamp>> { Ok(r.try_get::<Option<i64>, _>(c)?.map(ts)) };
    Ok(Call {
        id: r.try_get("call_id")?,
        company_id: r.try_get("company_id")?,
        external_id: r.try_get("external_id")?,
        direction: Direction::parse(r.try_get("direction")?).unwrap_or(Direction::Inbound),
        state: CallState::parse(r.try_get("state")?).unwrap_or(CallState::Failed),
        missed: r.try_get("missed")?,
        from: r.try_get("from_raw")?,
        to: r.try_get("to_raw")?,
        customer_key: r.try_get("customer_key")?,
        client_id: r.try_get("client_id")?,
        client_match: ClientMatch::parse(r.try_get("client_match")?),
        operator_id: r.try_get("operator_id")?,
        queue: r.try_get("queue")?,
        recording_url: r.try_get("recording_url")?,
        first_seen_at: ts(r.try_get("first_seen_at")?),
        queued_at: opt_ts("queued_at")?,
        ringing_at: opt_ts("ringing_at")?,
        answered_at: opt_ts("answered_at")?,
        ended_at: opt_ts("ended_at")?,
        wait_seconds: r.try_get("wait_seconds")?,
        ring_seconds: r.try_get("ring_seconds")?,
        talk_seconds: r.try_get("talk_seconds")?,
        total_seconds: r.try_get("total_seconds")?,
        recovered: r.try_get("recovered")?,
        recovered_by_call_id: r.try_get("recovered_by_call_id")?,
        recovery_seconds: r.try_get("recovery_seconds")?,
        created_at: ts(r.try_get("created_at")?),
        updated_at: ts(r.try_get("updated_at")?),
    })
}

pub(crate) async fn call(conn: &mut Conn, company_id: i64, id: i64) -> Result<Call> {
    let row = sqlx::query(&format!("select {CALL_COLUMNS} from call where company_id = $1 and call_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("call"))?;
    call_from_row(&row)
}

enum Param {
    Int(i64),
    Text(String),
    Bool(bool),
}

pub(crate) async fn calls(conn: &mut Conn, company_id: i64, f: &CallFilter) -> Result<Vec<Call>> {
    let mut sql = format!("select {CALL_COLUMNS} from call where company_id = $1");
    let mut params = vec![Param::Int(company_id)];
    let cond = |sql: &mut String, params: &mut Vec<Param>, clause: &str, p: Param| {
        params.push(p);
        sql.push_str(&format!(" and {clause} ${}", params.len()));
    };
    if let Some(s) = f.state {
        cond(&mut sql, &mut params, "state =", Param::Text(s.as_str().into()));
    }
    if let Some(d) = f.direction {
        cond(&mut sql, &mut params, "direction =", Param::Text(d.as_str().into()));
    }
    if let Some(m) = f.missed {
        cond(&mut sql, &mut params, "missed =", Param::Bool(m));
    }
    if let Some(r) = f.recovered {
        cond(&mut sql, &mut params, "recovered =", Param::Bool(r));
    }
    if let Some(o) = f.operator_id {
        cond(&mut sql, &mut params, "operator_id =", Param::Int(o));
    }
    if let Some(c) = f.client_id {
        cond(&mut sql, &mut params, "client_id =", Param::Int(c));
    }
    if let Some(t) = f.from {
        cond(&mut sql, &mut params, "first_seen_at >=", Param::Int(ms(t)));
    }
    if let Some(t) = f.to {
        cond(&mut sql, &mut params, "first_seen_at <", Param::Int(ms(t)));
    }
    if let Some(x) = &f.external_id {
        cond(&mut sql, &mut params, "external_id =", Param::Text(x.clone()));
    }
    if let Some(o) = f.visible_to_operator {
        cond(&mut sql, &mut params, "operator_id =", Param::Int(o));
    }
    if let Some(b) = f.before_id {
        cond(&mut sql, &mut params, "call_id <", Param::Int(b));
    }
    params.push(Param::Int(f.limit));
    sql.push_str(&format!(" order by call_id desc limit ${}", params.len()));
    let mut q = sqlx::query(&sql);
    for p in params {
        q = match p {
            Param::Int(v) => q.bind(v),
            Param::Text(v) => q.bind(v),
            Param::Bool(v) => q.bind(v),
        };
    }
    q.fetch_all(&mut *conn).await?.iter().map(call_from_row).collect()
}

pub(crate) async fn call_events(conn: &mut Conn, company_id: i64, call_id: i64) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query(
        "select event_id, state, at, from_raw, to_raw, operator, operator_id, queue, recording_url, received_at from call_event \
         where company_id = $1 and call_id = $2 order by at, event_id",
    )
    .bind(company_id)
    .bind(call_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredEvent {
                event_id: r.try_get("event_id")?,
                state: CallState::parse(r.try_get("state")?).unwrap_or(CallState::Failed),
                at: ts(r.try_get("at")?),
                from: r.try_get("from_raw")?,
                to: r.try_get("to_raw")?,
                operator: r.try_get("operator")?,
                operator_id: r.try_get("operator_id")?,
                queue: r.try_get("queue")?,
                recording_url: r.try_get("recording_url")?,
                received_at: ts(r.try_get("received_at")?),
            })
        })
        .collect()
}

pub(crate) async fn count_events(conn: &mut Conn, company_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from call_event where company_id = $1").bind(company_id).fetch_one(&mut *conn).await?)
}

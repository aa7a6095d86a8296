//! Employees, API tokens, sign-in accounts, sessions and the sign-in throttle.

use super::audit::audit;
use super::{children, set_company, taken, Conn, FOR_UPDATE};
use crate::decode::{At, Listed};
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::access::effective_permissions;
use ringdesk_domain::company::Permission;
use sqlx::Row;

fn permissions_list(text: Option<&str>) -> Result<Option<Vec<Permission>>> {
    text.map(crate::decode::list).transpose()
}

pub(super) async fn insert_api_token(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    token: &NewApiToken,
    now: Timestamp,
) -> Result<i64> {
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
pub(crate) async fn find_token(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<(TokenIdentity, Option<i64>)>> {
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
    let Some(holder) = holder else {
        return Ok(None);
    };
    let granted: Vec<Permission> = crate::decode::list(holder.try_get("permissions")?)?;
    let given = permissions_list(row.try_get::<Option<&str>, _>("permissions")?)?;
    let identity = TokenIdentity {
        token_id: row.try_get("api_token_id")?,
        company_id,
        employee_id,
        permissions: effective_permissions(holder.try_get("is_owner")?, &granted, given.as_deref()),
    };
    Ok(Some((identity, row.try_get("last_used_at")?)))
}

async fn employee_active(conn: &mut Conn, company_id: i64, employee_id: i64) -> Result<bool> {
    let active: Option<bool> = sqlx::query_scalar(
        "select active from employee where company_id = $1 and employee_id = $2",
    )
    .bind(company_id)
    .bind(employee_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(active == Some(true))
}

pub(crate) async fn touch_token(
    conn: &mut Conn,
    company_id: i64,
    token_id: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "update api_token set last_used_at = $3 where company_id = $1 and api_token_id = $2",
    )
    .bind(company_id)
    .bind(token_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const TOKEN_COLUMNS: &str =
    "api_token_id, employee_id, name, prefix, permissions, created_at, last_used_at, revoked_at";

#[derive(sqlx::FromRow)]
struct TokenRow {
    api_token_id: i64,
    employee_id: i64,
    name: String,
    prefix: String,
    permissions: Option<Listed<Permission>>,
    created_at: At,
    last_used_at: Option<At>,
    revoked_at: Option<At>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> ApiToken {
        ApiToken {
            id: r.api_token_id,
            employee_id: r.employee_id,
            name: r.name,
            prefix: r.prefix,
            permissions: r.permissions.map(|Listed(p)| p),
            created_at: r.created_at.0,
            last_used_at: r.last_used_at.map(|At(t)| t),
            revoked_at: r.revoked_at.map(|At(t)| t),
        }
    }
}

pub(crate) async fn create_api_token(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    token: &NewApiToken,
    actor: &Actor,
    now: Timestamp,
) -> Result<ApiToken> {
    let id = insert_api_token(conn, company_id, employee_id, token, now).await?;
    let detail = format!(
        "{:?} for employee {employee_id} with {}",
        token.name,
        token
            .permissions
            .as_deref()
            .map(permissions_text)
            .unwrap_or_else(|| "all of the employee's rights".into())
    );
    audit(
        conn,
        company_id,
        actor,
        "token_created",
        Some(&format!("api_token:{id}")),
        Some(&detail),
        now,
    )
    .await?;
    api_token(conn, company_id, id).await
}

pub(crate) async fn api_token(conn: &mut Conn, company_id: i64, id: i64) -> Result<ApiToken> {
    let row: TokenRow = sqlx::query_as(&format!(
        "select {TOKEN_COLUMNS} from api_token where company_id = $1 and api_token_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("api token"))?;
    Ok(ApiToken::from(row))
}

/// The company's tokens, or only one employee's, newest first.
pub(crate) async fn api_tokens(
    conn: &mut Conn,
    company_id: i64,
    employee_id: Option<i64>,
) -> Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = sqlx::query_as(&format!(
        "select {TOKEN_COLUMNS} from api_token where company_id = $1 and ($2 is null or employee_id = $2) order by api_token_id desc"
    ))
    .bind(company_id)
    .bind(employee_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(ApiToken::from).collect())
}

/// Revokes a token (of `employee_id` only, when given). Revoking twice is not an error.
pub(crate) async fn revoke_api_token(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    employee_id: Option<i64>,
    actor: &Actor,
    now: Timestamp,
) -> Result<ApiToken> {
    let token = api_token(conn, company_id, id).await?;
    if employee_id.is_some_and(|e| e != token.employee_id) {
        return Err(StoreError::NotFound("api token"));
    }
    if token.revoked_at.is_none() {
        sqlx::query(
            "update api_token set revoked_at = $3 where company_id = $1 and api_token_id = $2",
        )
        .bind(company_id)
        .bind(id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
        audit(
            conn,
            company_id,
            actor,
            "token_revoked",
            Some(&format!("api_token:{id}")),
            Some(&format!("{:?}", token.name)),
            now,
        )
        .await?;
    }
    api_token(conn, company_id, id).await
}

/// Inside a lookup transaction for `email`: the account it names. Names the company.
pub(crate) async fn sign_in_account(conn: &mut Conn, email: &str) -> Result<Option<SignInAccount>> {
    let row = sqlx::query(
        "select company_id, employee_id, password_hash, active from employee where email = $1",
    )
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
    audit(
        conn,
        company_id,
        actor,
        "sign_in",
        Some(&format!("employee:{employee_id}")),
        None,
        now,
    )
    .await?;
    Ok(SessionIdentity {
        session_id,
        company_id,
        employee_id,
    })
}

/// Inside a lookup transaction for `token_hash`: the live session it names, if
/// its employee is still active, and when it was last seen. Names the company.
pub(crate) async fn find_session(
    conn: &mut Conn,
    token_hash: &str,
    now: Timestamp,
) -> Result<Option<(SessionIdentity, i64)>> {
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
pub(crate) async fn touch_session(
    conn: &mut Conn,
    company_id: i64,
    session_id: i64,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("update session set last_seen_at = $3, expires_at = $4 where company_id = $1 and session_id = $2")
        .bind(company_id)
        .bind(session_id)
        .bind(ms(now))
        .bind(ms(expires_at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn end_session(
    conn: &mut Conn,
    company_id: i64,
    session_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let employee_id: Option<i64> = sqlx::query_scalar(
        "update session set ended_at = $3 where company_id = $1 and session_id = $2 and ended_at is null returning employee_id",
    )
    .bind(company_id)
    .bind(session_id)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(e) = employee_id {
        audit(
            conn,
            company_id,
            actor,
            "sign_out",
            Some(&format!("employee:{e}")),
            None,
            now,
        )
        .await?;
    }
    Ok(())
}

async fn end_sessions_of(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    except: Option<i64>,
    now: Timestamp,
) -> Result<u64> {
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
pub(crate) async fn live_sessions(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    now: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar("select count(*) from session where company_id = $1 and employee_id = $2 and ended_at is null and expires_at > $3")
        .bind(company_id)
        .bind(employee_id)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?)
}

/// The failures counted under `key` in the window that began after `since`.
pub(crate) async fn throttle_count(
    conn: &mut Conn,
    key: &str,
    since: Timestamp,
) -> Result<Option<ThrottleCount>> {
    let row: Option<(i64, At)> = sqlx::query_as("select failures, window_started_at from sign_in_throttle where throttle_key = $1 and window_started_at > $2")
        .bind(key)
        .bind(ms(since))
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|(failures, At(window_started_at))| ThrottleCount {
        failures,
        window_started_at,
    }))
}

/// Counts one failure under `key`; a window older than `since` starts afresh. Atomic.
pub(crate) async fn throttle_fail(
    conn: &mut Conn,
    key: &str,
    since: Timestamp,
    now: Timestamp,
) -> Result<ThrottleCount> {
    let (failures, At(window_started_at)): (i64, At) = sqlx::query_as(
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
    Ok(ThrottleCount {
        failures,
        window_started_at,
    })
}

pub(crate) async fn throttle_clear(conn: &mut Conn, key: &str) -> Result<()> {
    sqlx::query("delete from sign_in_throttle where throttle_key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn permissions_text(p: &[Permission]) -> String {
    let mut v: Vec<&str> = p.iter().map(|p| p.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v.join(",")
}

fn employee_taken(what: &str) -> (&'static str, String) {
    if what.contains("email") {
        (
            "email",
            "this e-mail address is already used by an employee".to_owned(),
        )
    } else {
        (
            "extensions",
            "an extension is already given to another employee of this company".to_owned(),
        )
    }
}

pub(super) async fn insert_employee(
    conn: &mut Conn,
    company_id: i64,
    e: &NewEmployee,
    is_owner: bool,
    now: Timestamp,
) -> Result<i64> {
    let perms = effective_permissions(is_owner, &e.permissions, None);
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

async fn set_extensions(
    conn: &mut Conn,
    company_id: i64,
    employee_id: i64,
    extensions: &[String],
) -> Result<()> {
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

pub(crate) async fn create_employee(
    conn: &mut Conn,
    company_id: i64,
    e: &NewEmployee,
    actor: &Actor,
    now: Timestamp,
) -> Result<Employee> {
    let id = insert_employee(conn, company_id, e, false, now).await?;
    let detail = format!(
        "{} with permissions [{}]",
        e.email,
        permissions_text(&e.permissions)
    );
    audit(
        conn,
        company_id,
        actor,
        "employee_created",
        Some(&format!("employee:{id}")),
        Some(&detail),
        now,
    )
    .await?;
    employee(conn, company_id, id).await
}

const EMPLOYEE_COLUMNS: &str =
    "employee_id, company_id, name, email, permissions, is_owner, active, created_at";

#[derive(sqlx::FromRow)]
struct EmployeeRow {
    employee_id: i64,
    company_id: i64,
    name: String,
    email: String,
    permissions: Listed<Permission>,
    is_owner: bool,
    active: bool,
    created_at: At,
}

/// Employees from their rows, with the extensions of all of them read in one query.
async fn employees_from_rows(
    conn: &mut Conn,
    company_id: i64,
    rows: Vec<EmployeeRow>,
) -> Result<Vec<Employee>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.employee_id).collect();
    let mut extensions = children(
        conn,
        "employee_extension",
        "employee_id",
        "extension",
        company_id,
        &ids,
        "extension",
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Employee {
            extensions: extensions.remove(&r.employee_id).unwrap_or_default(),
            id: r.employee_id,
            company_id: r.company_id,
            name: r.name,
            email: r.email,
            permissions: r.permissions.0,
            is_owner: r.is_owner,
            active: r.active,
            created_at: r.created_at.0,
        })
        .collect())
}

pub(crate) async fn employee(conn: &mut Conn, company_id: i64, id: i64) -> Result<Employee> {
    let row: EmployeeRow = sqlx::query_as(&format!(
        "select {EMPLOYEE_COLUMNS} from employee where company_id = $1 and employee_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("employee"))?;
    Ok(employees_from_rows(conn, company_id, vec![row])
        .await?
        .remove(0))
}

pub(crate) async fn employees(conn: &mut Conn, company_id: i64) -> Result<Vec<Employee>> {
    let rows: Vec<EmployeeRow> = sqlx::query_as(&format!(
        "select {EMPLOYEE_COLUMNS} from employee where company_id = $1 order by employee_id"
    ))
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    employees_from_rows(conn, company_id, rows).await
}

pub(crate) async fn update_employee(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    patch: &EmployeePatch,
    actor: &Actor,
    now: Timestamp,
) -> Result<Employee> {
    let is_owner: bool = sqlx::query_scalar(&format!(
        "select is_owner from employee where company_id = $1 and employee_id = $2{FOR_UPDATE}"
    ))
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
        audit(
            conn,
            company_id,
            actor,
            "permissions_changed",
            Some(&subject),
            Some(&permissions_text(p)),
            now,
        )
        .await?;
    }
    if patch.password_hash.is_some() {
        let ended = end_sessions_of(conn, company_id, id, patch.keep_session_id, now).await?;
        audit(
            conn,
            company_id,
            actor,
            "password_changed",
            Some(&subject),
            Some(&format!("{ended} other sessions ended")),
            now,
        )
        .await?;
    }
    if patch.active == Some(false) && !is_owner {
        end_sessions_of(conn, company_id, id, None, now).await?;
        audit(
            conn,
            company_id,
            actor,
            "employee_deactivated",
            Some(&subject),
            None,
            now,
        )
        .await?;
    }
    if patch.active == Some(true) {
        audit(
            conn,
            company_id,
            actor,
            "employee_activated",
            Some(&subject),
            None,
            now,
        )
        .await?;
    }
    employee(conn, company_id, id).await
}

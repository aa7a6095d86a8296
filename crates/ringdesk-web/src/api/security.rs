//! API tokens (R-T5), the audit log, webhook signing (R-I1) and `me`.
//!
//! Decisions: an employee may mint tokens for themselves with any subset of
//! their own rights (never more); a token's rights are re-checked against its
//! employee's on every use, so taking a right from an employee takes it from
//! their tokens too. Employees list and revoke their own tokens; the owner
//! sees and revokes all of the company's. The audit log is the owner's.

use crate::auth::{new_api_token, random_bytes, Caller, Credential};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::{Path, Query};
use crate::json::{JsonBody, JsonLater};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use jiff::Timestamp;
use ringdesk_domain::company::Permission;
use ringdesk_domain::event::FieldError;
use ringdesk_store::{ApiToken, AuditEntry, WebhookSigning};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::accounts::EmployeeOut;
use ringdesk_app::accounts::permissions;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeOut {
    pub company_id: i64,
    pub employee: EmployeeOut,
    /// What this request may do (a token's rights narrow its employee's).
    pub permissions: Vec<String>,
    /// `token` or `session`.
    pub credential: String,
    /// For a browser session: send it back as `X-CSRF-Token` on every change.
    pub csrf_token: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = MeOut), (status = 401, body = ErrorBody)))]
pub async fn me(caller: Caller) -> ApiResult<Json<MeOut>> {
    Ok(Json(MeOut {
        company_id: caller.company_id,
        permissions: caller
            .permissions
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
        credential: match caller.credential {
            Credential::Token(_) => "token".into(),
            Credential::Session(_) => "session".into(),
        },
        csrf_token: caller.csrf_token.clone(),
        employee: caller.employee.into(),
    }))
}

// ----- API tokens ------------------------------------------------------------

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenIn {
    /// What it is for, e.g. "Asterisk on the main office PBX".
    #[schema(schema_with = crate::openapi::list_name)]
    pub name: String,
    /// A subset of the caller's own permissions.
    #[schema(schema_with = crate::openapi::permissions)]
    pub permissions: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    /// The first characters, to recognise it by; the token itself is never shown again.
    pub prefix: String,
    pub employee_id: i64,
    /// Null: every right of its employee (the token made at sign-up).
    pub permissions: Option<Vec<String>>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiToken> for TokenOut {
    fn from(t: ApiToken) -> Self {
        TokenOut {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            employee_id: t.employee_id,
            permissions: t
                .permissions
                .map(|p| p.iter().map(|p| p.as_str().to_owned()).collect()),
            created_at: t.created_at.to_string(),
            last_used_at: t.last_used_at.map(|t| t.to_string()),
            revoked_at: t.revoked_at.map(|t| t.to_string()),
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedTokenOut {
    /// Shown once: store it now.
    #[schema(value_type = String)]
    #[serde(serialize_with = "crate::json::expose")]
    pub token: SecretString,
    #[serde(flatten)]
    pub record: TokenOut,
}

pub(crate) fn token_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(FieldError::new("name", "must be 1 to 100 characters"));
    }
    Ok(name.to_owned())
}

#[utoipa::path(post, path = "/api/v1/api-tokens", tag = "accounts", security(("bearer" = [])),
    request_body = TokenIn,
    responses((status = 201, body = CreatedTokenOut), (status = 403, body = ErrorBody, description = "A right the caller does not have"), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<TokenIn>,
) -> ApiResult<(StatusCode, Json<CreatedTokenOut>)> {
    let (token, stored) = mint_token(&state, &caller, &body.name, &body.permissions).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedTokenOut {
            token,
            record: stored.into(),
        }),
    ))
}

/// A new API token of the caller named `name` with `rights` (a subset of the
/// caller's own), stored; the token itself is returned once. Shared with the
/// tokens page.
pub(crate) async fn mint_token(
    state: &AppState,
    caller: &Caller,
    name: &str,
    rights: &[String],
) -> ApiResult<(SecretString, ApiToken)> {
    let name = token_name(name)?;
    let rights = permissions("permissions", rights)?;
    if let Some(p) = rights.iter().find(|p| !caller.may(**p)) {
        return Err(AppError::forbidden(format!(
            "permissions: you cannot give a token {}, which you do not have",
            p.as_str()
        )));
    }
    let (token, record) = new_api_token(&name, Some(rights));
    let stored = state
        .store
        .create_api_token(
            caller.company_id,
            caller.employee.id,
            &record,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok((token, stored))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TokenQuery {
    /// Owner only: one employee's tokens.
    pub employee_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/api-tokens", tag = "accounts", security(("bearer" = [])),
    params(TokenQuery),
    responses((status = 200, body = Vec<TokenOut>), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TokenQuery>,
) -> ApiResult<Json<Vec<TokenOut>>> {
    let whose = if caller.employee.is_owner {
        q.employee_id
    } else {
        Some(caller.employee.id)
    };
    let tokens = state.store.api_tokens(caller.company_id, whose).await?;
    Ok(Json(tokens.into_iter().map(Into::into).collect()))
}

#[utoipa::path(delete, path = "/api/v1/api-tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = TokenOut, description = "Revoked (revoking twice is not an error)"), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TokenOut>> {
    let only = (!caller.employee.is_owner).then_some(caller.employee.id);
    let t = state
        .store
        .revoke_api_token(
            caller.company_id,
            id,
            only,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(Json(t.into()))
}

// ----- audit log -------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: String,
    /// `sign_in`, `sign_in_failed`, `sign_out`, `token_created`, `token_revoked`,
    /// `employee_created`, `permissions_changed`, `password_changed`,
    /// `employee_deactivated`, `employee_activated`, `settings_changed`,
    /// `webhook_secret_created`, `webhook_secret_revoked`.
    pub action: String,
    pub actor_employee_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    /// The network address the request came from.
    pub address: Option<String>,
    pub subject: Option<String>,
    pub detail: Option<String>,
}

impl From<AuditEntry> for AuditOut {
    fn from(a: AuditEntry) -> Self {
        AuditOut {
            id: a.id,
            at: a.at.to_string(),
            action: a.action,
            actor_employee_id: a.actor_employee_id,
            actor_token_id: a.actor_token_id,
            address: a.address,
            subject: a.subject,
            detail: a.detail,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Keyset pagination: entries older than this id.
    pub before_id: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit-log", tag = "accounts", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = Vec<AuditOut>, description = "Newest first"), (status = 403, body = ErrorBody, description = "Not the owner")))]
pub async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditOut>>> {
    caller.require_owner()?;
    let limit = super::page_limit(q.limit)?;
    let entries = state
        .store
        .audit_entries(caller.company_id, q.before_id, limit)
        .await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}

// ----- webhook signing (R-I1) ---------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SecretOut {
    pub id: i64,
    pub prefix: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SigningOut {
    /// When true, `POST /api/v1/telephony/events` needs valid Standard Webhooks headers.
    pub required: bool,
    pub secrets: Vec<SecretOut>,
}

impl From<WebhookSigning> for SigningOut {
    fn from(s: WebhookSigning) -> Self {
        SigningOut {
            required: s.required,
            secrets: s
                .secrets
                .into_iter()
                .map(|x| SecretOut {
                    id: x.id,
                    prefix: x.prefix,
                    created_at: x.created_at.to_string(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SigningIn {
    pub required: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedSecretOut {
    pub id: i64,
    /// `whsec_` + base64 of 32 random bytes. Shown once.
    #[schema(value_type = String)]
    #[serde(serialize_with = "crate::json::expose")]
    pub secret: SecretString,
}

#[utoipa::path(get, path = "/api/v1/settings/webhook-signing", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = SigningOut), (status = 403, body = ErrorBody)))]
pub async fn get_signing(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<SigningOut>> {
    caller.require(Permission::ManageSettings)?;
    Ok(Json(
        state.store.webhook_signing(caller.company_id).await?.into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/settings/webhook-signing", tag = "settings", security(("bearer" = [])),
    request_body = SigningIn,
    responses((status = 200, body = SigningOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody, description = "`conflict`: required while the company has no secret")))]
pub async fn put_signing(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<SigningIn>,
) -> ApiResult<Json<SigningOut>> {
    caller.require(Permission::ManageSettings)?;
    let body = body.parse()?;
    set_signing_required(&state, &caller, body.required).await?;
    Ok(Json(
        state.store.webhook_signing(caller.company_id).await?.into(),
    ))
}

/// Switches required signatures on or off; on needs a secret (409). Shared
/// with the webhook signing page.
pub(crate) async fn set_signing_required(
    state: &AppState,
    caller: &Caller,
    required: bool,
) -> ApiResult<()> {
    caller.require(Permission::ManageSettings)?;
    let now = Timestamp::now();
    if required
        && state
            .store
            .webhook_signing(caller.company_id)
            .await?
            .secrets
            .is_empty()
    {
        // Well formed; the company's state forbids it: 409, as for the last secret.
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "conflict",
            "required: create a secret first (POST /api/v1/settings/webhook-signing/secrets)",
        ));
    }
    state
        .store
        .set_webhook_signing_required(caller.company_id, required, &caller.actor(), now)
        .await?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/settings/webhook-signing/secrets", tag = "settings", security(("bearer" = [])),
    responses((status = 201, body = CreatedSecretOut), (status = 403, body = ErrorBody)))]
pub async fn create_secret(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<CreatedSecretOut>)> {
    let (id, secret) = add_secret(&state, &caller).await?;
    Ok((StatusCode::CREATED, Json(CreatedSecretOut { id, secret })))
}

/// A new signing secret (R-I1), stored; returned once. Shared with the page.
pub(crate) async fn add_secret(
    state: &AppState,
    caller: &Caller,
) -> ApiResult<(i64, SecretString)> {
    caller.require(Permission::ManageSettings)?;
    let raw = random_bytes(32);
    let secret = SecretString::from(format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    ));
    let prefix = secret.expose_secret()[..10].to_owned();
    let s = state
        .store
        .add_webhook_secret(
            caller.company_id,
            secret.expose_secret(),
            &prefix,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok((s.id, secret))
}

#[utoipa::path(delete, path = "/api/v1/settings/webhook-signing/secrets/{id}", tag = "settings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`conflict`: the last secret while signatures are required")))]
pub async fn revoke_secret(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    remove_secret(&state, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a signing secret; not the last one while signatures are required
/// (409). Shared with the page.
pub(crate) async fn remove_secret(state: &AppState, caller: &Caller, id: i64) -> ApiResult<()> {
    caller.require(Permission::ManageSettings)?;
    let signing = state.store.webhook_signing(caller.company_id).await?;
    if signing.required && signing.secrets.len() == 1 && signing.secrets[0].id == id {
        // The request is well formed; the company's state forbids it: 409.
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "conflict",
            "this is the last secret and signatures are required; switch signing off or add a secret first",
        ));
    }
    state
        .store
        .revoke_webhook_secret(caller.company_id, id, &caller.actor(), Timestamp::now())
        .await?;
    Ok(())
}

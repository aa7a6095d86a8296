//! The Asterisk Manager Interface connection's settings and gaps (R-I3, R-X8).
//!
//! `secret` is write-only: a read says `secret_set`, never the value; a PUT
//! without it keeps the one set. Enabling needs a secret (409 otherwise). The
//! node holding the connection notices a change within its poll (5 s) and
//! reconnects. The settings page (`pages/settings/ami.rs`) saves through the
//! same `save`.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::Query;
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::company::Permission;
use ringdesk_store::{AmiGap, AmiSettings, AmiSettingsChange};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Dialplan context names (the OpenAPI document's pattern).
pub(crate) const CONTEXT_PATTERN: &str = r"^[A-Za-z0-9_.-]+$";

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AmiStatusOut {
    /// `off`, `connecting`, `connected`, `down` or `login_refused`.
    pub state: String,
    pub detail: Option<String>,
    pub at: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AmiSettingsOut {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub username: String,
    /// Whether a secret is set; the secret itself is never shown (R-X8).
    pub secret_set: bool,
    /// `md5` (challenge login, the default) or `plain`.
    pub auth_type: String,
    /// The channel click to call rings first, `{extension}` replaced.
    pub channel_template: String,
    /// The context in which click to call dials the number.
    pub originate_context: String,
    /// Dialplan contexts of the company's own phones (calls from them are outbound).
    pub internal_contexts: Vec<String>,
    pub status: AmiStatusOut,
}

impl From<AmiSettings> for AmiSettingsOut {
    fn from(s: AmiSettings) -> Self {
        AmiSettingsOut {
            enabled: s.enabled,
            host: s.host,
            port: s.port,
            username: s.username,
            secret_set: s.secret.is_some(),
            auth_type: s.auth_type,
            channel_template: s.channel_template,
            originate_context: s.originate_context,
            internal_contexts: s.internal_contexts,
            status: AmiStatusOut {
                state: s.status.state,
                detail: s.status.detail,
                at: s.status.at.map(|t| t.to_string()),
            },
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmiSettingsIn {
    pub enabled: bool,
    #[schema(min_length = 1, max_length = 253, pattern = r"^[A-Za-z0-9.:\[\]-]+$")]
    pub host: String,
    #[schema(minimum = 1, maximum = 65535)]
    pub port: i64,
    #[schema(min_length = 1, max_length = 100)]
    pub username: String,
    /// Write-only; left out, the one set is kept.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub secret: Option<SecretString>,
    /// `md5` (default) or `plain`; left out, kept.
    #[schema(value_type = Option<String>, pattern = "^(md5|plain)$")]
    pub auth_type: Option<String>,
    /// Must contain `{extension}`; left out, kept.
    #[schema(
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*\{extension\}[^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub channel_template: Option<String>,
    #[schema(min_length = 1, max_length = 80, pattern = r"^[A-Za-z0-9_.-]+$")]
    pub originate_context: Option<String>,
    #[schema(schema_with = crate::openapi::context_names_or_null)]
    pub internal_contexts: Option<Vec<String>>,
}

fn matches(s: &str, allowed: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(allowed)
}

fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '[' | ']' | '-')
}

fn is_context_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Checks a body against the current settings and makes the change (422
/// naming the field; the rules are those the OpenAPI schema states).
pub(crate) fn change_of(
    body: AmiSettingsIn,
    current: &AmiSettings,
) -> ApiResult<AmiSettingsChange> {
    // As the schema says: the host exactly, no spaces around it (the page
    // trims what was typed).
    let host = body.host;
    if host.chars().count() > 253 || !matches(&host, is_host_char) {
        return Err(AppError::invalid(
            "host",
            "must be a host name or an IP address",
        ));
    }
    let port = u16::try_from(body.port)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| {
            AppError::invalid("port", format!("{} is not between 1 and 65535", body.port))
        })?;
    let username = body.username;
    if username.is_empty() || username.chars().count() > 100 {
        return Err(AppError::invalid("username", "must be 1 to 100 characters"));
    }
    if let Some(s) = &body.secret {
        use secrecy::ExposeSecret;
        let n = s.expose_secret().chars().count();
        if n == 0 || n > 200 {
            return Err(AppError::invalid("secret", "must be 1 to 200 characters"));
        }
    }
    let auth_type = body.auth_type.unwrap_or_else(|| current.auth_type.clone());
    if ringdesk_telephony::ami::client::AuthType::parse(&auth_type).is_none() {
        return Err(AppError::invalid("auth_type", "must be md5 or plain"));
    }
    let channel_template = body
        .channel_template
        .unwrap_or_else(|| current.channel_template.clone());
    if channel_template.chars().count() > 200 || !channel_template.contains("{extension}") {
        return Err(AppError::invalid(
            "channel_template",
            "must contain {extension}, like PJSIP/{extension}",
        ));
    }
    let originate_context = body
        .originate_context
        .unwrap_or_else(|| current.originate_context.clone());
    if originate_context.chars().count() > 80 || !matches(&originate_context, is_context_char) {
        return Err(AppError::invalid(
            "originate_context",
            "must be a dialplan context name (letters, digits, _ . -)",
        ));
    }
    let internal_contexts = body
        .internal_contexts
        .unwrap_or_else(|| current.internal_contexts.clone());
    if internal_contexts.len() > 20 {
        return Err(AppError::invalid("internal_contexts", "at most 20"));
    }
    for (i, c) in internal_contexts.iter().enumerate() {
        if c.chars().count() > 80 || !matches(c, is_context_char) {
            return Err(AppError::invalid(
                &format!("internal_contexts[{i}]"),
                "must be a dialplan context name (letters, digits, _ . -)",
            ));
        }
    }
    Ok(AmiSettingsChange {
        enabled: body.enabled,
        host,
        port,
        username,
        secret: body.secret,
        auth_type,
        channel_template,
        originate_context,
        internal_contexts,
    })
}

/// Saves a change: enabling needs a secret, given now or set before (409).
/// Shared with the settings page.
pub(crate) async fn save(
    state: &AppState,
    caller: &Caller,
    change: AmiSettingsChange,
    current: &AmiSettings,
) -> ApiResult<()> {
    caller.require(Permission::ManageSettings)?;
    if change.enabled && change.secret.is_none() && current.secret.is_none() {
        return Err(AppError::new(
            StatusCode::CONFLICT,
            "conflict",
            "secret: set the AMI user's secret to enable the connection",
        ));
    }
    state
        .store
        .set_ami_settings(
            caller.company_id,
            &change,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/settings/integrations/ami", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = AmiSettingsOut), (status = 403, body = ErrorBody)))]
pub async fn get_ami(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AmiSettingsOut>> {
    caller.require(Permission::ManageSettings)?;
    Ok(Json(
        state.store.ami_settings(caller.company_id).await?.into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/settings/integrations/ami", tag = "settings", security(("bearer" = [])),
    request_body = AmiSettingsIn,
    responses((status = 200, body = AmiSettingsOut), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`conflict`: enabled while no secret is set")))]
pub async fn put_ami(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<AmiSettingsIn>,
) -> ApiResult<Json<AmiSettingsOut>> {
    caller.require(Permission::ManageSettings)?;
    let body = body.parse()?;
    let current = state.store.ami_settings(caller.company_id).await?;
    let change = change_of(body, &current)?;
    save(&state, &caller, change, &current).await?;
    Ok(Json(
        state.store.ami_settings(caller.company_id).await?.into(),
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AmiGapOut {
    pub id: i64,
    pub from: String,
    pub to: String,
    pub reason: String,
}

impl From<AmiGap> for AmiGapOut {
    fn from(g: AmiGap) -> Self {
        AmiGapOut {
            id: g.id,
            from: g.from.to_string(),
            to: g.to.to_string(),
            reason: g.reason,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapsQuery {
    /// Only gaps that end at or after this time (RFC 3339).
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Only gaps that begin before this time (RFC 3339).
    #[param(format = DateTime)]
    pub to: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/integrations/ami/gaps", tag = "settings", security(("bearer" = [])),
    params(GapsQuery),
    responses((status = 200, body = Vec<AmiGapOut>, description = "Outages of the AMI connection, newest first (200 at most): calls wholly inside one are unknown (R-I3)"),
        (status = 403, body = ErrorBody)))]
pub async fn list_gaps(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<GapsQuery>,
) -> ApiResult<Json<Vec<AmiGapOut>>> {
    caller.require(Permission::ManageSettings)?;
    let from = crate::api::calls::time_param("from", q.from)?;
    let to = crate::api::calls::time_param("to", q.to)?;
    let gaps = state.store.ami_gaps(caller.company_id, from, to).await?;
    Ok(Json(gaps.into_iter().map(AmiGapOut::from).collect()))
}

//! What every phone-system connector shares (issue 12): the ignore list
//! (R-P7, R-X8), the company's phone-system settings (the inbox's retention,
//! the generic click-to-call URL) and the webhook inbox.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::Query;
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::company::Permission;
use ringdesk_domain::phone;
use ringdesk_store::{
    DeliveryFilter, IgnoredNumber, PhoneSystemSettings, MAX_INBOX_RETENTION_DAYS,
    MIN_INBOX_RETENTION_DAYS,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The most numbers an ignore list holds.
pub const MAX_IGNORED_NUMBERS: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IgnoredNumbersIn {
    /// The whole list (it replaces the current one): numbers in any form the
    /// company's country reads (R-P2), at most 500.
    #[schema(schema_with = crate::openapi::ignored_numbers)]
    pub numbers: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IgnoredNumbersOut {
    /// As typed.
    pub numbers: Vec<String>,
    /// The same numbers normalised (E.164, or `#digits`), in the same order:
    /// what calls are matched by.
    pub normalised: Vec<String>,
}

fn ignored_out(list: Vec<IgnoredNumber>) -> IgnoredNumbersOut {
    IgnoredNumbersOut {
        normalised: list.iter().map(|n| n.key.clone()).collect(),
        numbers: list.into_iter().map(|n| n.number).collect(),
    }
}

/// R-P7: reads a typed list into stored entries, or names the entry that
/// cannot be a number (422 `numbers[i]`). Shared with the settings page.
pub(crate) fn parse_ignored(
    numbers: &[String],
    country: &phone::Country,
) -> Result<Vec<IgnoredNumber>, AppError> {
    if numbers.len() > MAX_IGNORED_NUMBERS {
        return Err(AppError::invalid(
            "numbers",
            format!(
                "at most {MAX_IGNORED_NUMBERS} numbers; {} given",
                numbers.len()
            ),
        ));
    }
    let mut out: Vec<IgnoredNumber> = Vec::with_capacity(numbers.len());
    for (i, raw) in numbers.iter().enumerate() {
        let field = format!("numbers[{i}]");
        // The limit is on the entry as sent (the schema's maxLength).
        if raw.chars().count() > 64 {
            return Err(AppError::invalid(&field, "at most 64 characters"));
        }
        let t = raw.trim();
        if phone::is_withheld(t) {
            return Err(AppError::invalid(
                &field,
                format!("{raw:?} is not a phone number"),
            ));
        }
        let n = phone::normalise(t, country)
            .map_err(|e| AppError::invalid(&field, format!("{raw:?}: {e}")))?;
        if !out.iter().any(|o| o.key == n.key.as_str()) {
            out.push(IgnoredNumber {
                number: t.to_owned(),
                key: n.key.as_str().to_owned(),
            });
        }
    }
    Ok(out)
}

#[utoipa::path(get, path = "/api/v1/settings/ignored-numbers", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = IgnoredNumbersOut), (status = 403, body = ErrorBody)))]
pub async fn get_ignored_numbers(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<IgnoredNumbersOut>> {
    caller.require(Permission::ManageSettings)?;
    Ok(Json(ignored_out(
        state.store.ignored_numbers(caller.company_id).await?,
    )))
}

#[utoipa::path(put, path = "/api/v1/settings/ignored-numbers", tag = "settings", security(("bearer" = [])),
    request_body = IgnoredNumbersIn,
    responses((status = 200, body = IgnoredNumbersOut), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Names the entry that is not a number, e.g. `numbers[2]`")))]
pub async fn put_ignored_numbers(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<IgnoredNumbersIn>,
) -> ApiResult<Json<IgnoredNumbersOut>> {
    caller.require(Permission::ManageSettings)?;
    let body = body.parse()?;
    let company = state.store.company(caller.company_id).await?;
    let list = parse_ignored(&body.numbers, &company.country)?;
    state
        .store
        .set_ignored_numbers(caller.company_id, &list, &caller.actor(), Timestamp::now())
        .await?;
    Ok(Json(ignored_out(list)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneSystemIo {
    /// How long raw deliveries stay in the webhook inbox, 1–365 days.
    #[schema(minimum = 1, maximum = 365)]
    pub inbox_retention_days: i64,
    /// R-I5 for the generic integration: Ringdesk posts a signed request
    /// (Standard Webhooks, the company's newest webhook secret) to this URL
    /// asking the phone system to dial; null (or `""`) when not used.
    #[schema(schema_with = crate::openapi::http_url_or_null)]
    pub click_to_call_url: Option<String>,
}

/// An absolute http(s) URL with a host, or 422 naming `field`. Whether
/// Ringdesk may connect to it is checked when it does (R-X8).
pub(crate) fn check_url(field: &str, s: &str) -> Result<(), AppError> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| {
            AppError::invalid(field, format!("{s:?} is not an http:// or https:// URL"))
        })?;
    if s.chars().count() > 2000 {
        return Err(AppError::invalid(field, "at most 2,000 characters"));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(AppError::invalid(field, format!("{s:?} has no host")));
    }
    Ok(())
}

fn phone_system_io(s: PhoneSystemSettings) -> PhoneSystemIo {
    PhoneSystemIo {
        inbox_retention_days: s.inbox_retention_days,
        click_to_call_url: s.click_to_call_url,
    }
}

/// Checks what the API and the page send (422 naming the field).
pub(crate) fn phone_system_settings(io: PhoneSystemIo) -> Result<PhoneSystemSettings, AppError> {
    if !(MIN_INBOX_RETENTION_DAYS..=MAX_INBOX_RETENTION_DAYS).contains(&io.inbox_retention_days) {
        return Err(AppError::invalid(
            "inbox_retention_days",
            format!(
                "{} is not between {MIN_INBOX_RETENTION_DAYS} and {MAX_INBOX_RETENTION_DAYS}",
                io.inbox_retention_days
            ),
        ));
    }
    // Exactly as sent (the schema's pattern): "" clears it; the page trims
    // what was typed.
    let url = io.click_to_call_url.filter(|u| !u.is_empty());
    if let Some(u) = &url {
        check_url("click_to_call_url", u)?;
    }
    Ok(PhoneSystemSettings {
        inbox_retention_days: io.inbox_retention_days,
        click_to_call_url: url,
    })
}

#[utoipa::path(get, path = "/api/v1/settings/phone-system", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = PhoneSystemIo), (status = 403, body = ErrorBody)))]
pub async fn get_phone_system(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<PhoneSystemIo>> {
    caller.require(Permission::ManageSettings)?;
    Ok(Json(phone_system_io(
        state.store.phone_system_settings(caller.company_id).await?,
    )))
}

#[utoipa::path(put, path = "/api/v1/settings/phone-system", tag = "settings", security(("bearer" = [])),
    request_body = PhoneSystemIo,
    responses((status = 200, body = PhoneSystemIo), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_phone_system(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<PhoneSystemIo>,
) -> ApiResult<Json<PhoneSystemIo>> {
    caller.require(Permission::ManageSettings)?;
    let settings = phone_system_settings(body.parse()?)?;
    state
        .store
        .set_phone_system_settings(
            caller.company_id,
            &settings,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(Json(phone_system_io(settings)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct InboxQuery {
    #[param(schema_with = crate::openapi::connector)]
    pub connector: Option<String>,
    /// Received at or after this RFC 3339 time.
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Received before this RFC 3339 time.
    #[param(format = DateTime)]
    pub to: Option<String>,
    /// Deliveries older than this one (paging, newest first).
    pub before_id: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryOut {
    pub id: i64,
    pub connector: String,
    pub received_at: String,
    /// The headers that matter (never `Authorization`).
    #[schema(value_type = Object)]
    pub headers: serde_json::Value,
    /// The body as received (bytes that are not UTF-8 shown as U+FFFD).
    pub body: String,
    /// Whether it proved who sent it (token, signature); only those are replayed.
    pub authenticated: bool,
    /// The HTTP status answered.
    pub status: u16,
    /// What came of it.
    pub result: String,
}

impl From<ringdesk_store::Delivery> for DeliveryOut {
    fn from(d: ringdesk_store::Delivery) -> Self {
        DeliveryOut {
            id: d.id,
            connector: d.connector,
            received_at: d.received_at.to_string(),
            headers: serde_json::from_str(&d.headers).unwrap_or(serde_json::Value::Null),
            body: String::from_utf8_lossy(&d.body).into_owned(),
            authenticated: d.authenticated,
            status: d.status,
            result: d.result,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/integrations/inbox", tag = "telephony", security(("bearer" = [])), params(InboxQuery),
    responses((status = 200, body = Vec<DeliveryOut>, description = "The company's raw deliveries, newest first"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_inbox(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<InboxQuery>,
) -> ApiResult<Json<Vec<DeliveryOut>>> {
    caller.require(Permission::ManageSettings)?;
    let filter = inbox_filter(q)?;
    let list = state.store.deliveries(caller.company_id, &filter).await?;
    Ok(Json(list.into_iter().map(DeliveryOut::from).collect()))
}

pub(crate) fn inbox_filter(q: InboxQuery) -> Result<DeliveryFilter, AppError> {
    if let Some(c) = &q.connector {
        if crate::inbox::Connector::parse(c).is_none() {
            let known: Vec<&str> = crate::inbox::Connector::ALL
                .iter()
                .map(|c| c.as_str())
                .collect();
            return Err(AppError::invalid(
                "connector",
                format!("{c:?} is not one of {}", known.join(", ")),
            ));
        }
    }
    Ok(DeliveryFilter {
        from: crate::api::calls::time_param("from", q.from)?,
        to: crate::api::calls::time_param("to", q.to)?,
        connector: q.connector,
        cursor: q.before_id,
        oldest_first: false,
        limit: crate::api::page_limit(q.limit)?,
    })
}

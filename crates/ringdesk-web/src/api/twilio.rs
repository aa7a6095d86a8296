//! Twilio (R-I2, R-X8): the settings (`GET|PUT /settings/integrations/twilio`)
//! and the Voice status callback (`POST /integrations/twilio/{company_id}/status`).
//!
//! The callback carries no token: the company is named by the path and the
//! request is authenticated by `X-Twilio-Signature`, checked against the
//! company's `public_url` and auth token (`ringdesk_telephony::twilio`). The
//! callback's events then take the generic webhook's path exactly
//! (`CallEvent::parse`, `Store::ingest` with the company's ingest context).
//!
//! The answer is what Twilio expects of a status callback: `200` with an
//! empty TwiML document (`<Response/>`, `text/xml`) once the event is durably
//! stored, was a repeat, or changes nothing; Twilio reads nothing in it. The
//! header `Ringdesk-Outcome` says which (`accepted`, `duplicate`, `ignored`),
//! for people reading Twilio's debugger. Refusals are R-X2's JSON errors.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::Path;
use crate::json::{body_bytes, JsonLater};
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use jiff::Timestamp;
use ringdesk_domain::company::Permission;
use ringdesk_domain::event::{CallEvent, FieldError};
use ringdesk_store::{IngestOutcome, TwilioSettings, TwilioSettingsPut};
use ringdesk_telephony::twilio;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The path Twilio posts a company's status callbacks to.
pub fn callback_path(company_id: i64) -> String {
    format!("/api/v1/integrations/twilio/{company_id}/status")
}

// ----- settings ------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TwilioOut {
    pub enabled: bool,
    /// Whether an auth token is stored; the token itself is never shown (R-X8).
    pub auth_token_set: bool,
    /// The whole URL Twilio posts to, as entered in Twilio's console; null until set.
    pub public_url: Option<String>,
    pub account_sid: Option<String>,
    /// The company's Twilio number that click-to-call calls come from.
    pub caller_id: Option<String>,
    /// Where this server receives the company's status callbacks (the path
    /// of `public_url` behind a proxy that does not rewrite it).
    pub callback_path: String,
}

pub(crate) fn settings_out(company_id: i64, s: Option<&TwilioSettings>) -> TwilioOut {
    TwilioOut {
        enabled: s.is_some_and(|s| s.enabled),
        auth_token_set: s.is_some_and(|s| s.auth_token.is_some()),
        public_url: s.map(|s| s.public_url.clone()),
        account_sid: s.and_then(|s| s.account_sid.clone()),
        caller_id: s.and_then(|s| s.caller_id.clone()),
        callback_path: callback_path(company_id),
    }
}

/// `PUT /settings/integrations/twilio` (R-X8).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TwilioIn {
    pub enabled: bool,
    /// The account's auth token (write-only). Left out or null: the stored
    /// one is kept. Needed to enable Twilio.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200, pattern = r"^[^\s\u0000-\u001f\u007f-\u009f]+$")]
    pub auth_token: Option<SecretString>,
    /// The whole URL Twilio posts to, as entered in Twilio's console: an
    /// absolute http or https URL. The signature covers it.
    #[schema(
        max_length = 2000,
        pattern = r"^https?://[^\s/?#\u0000-\u001f\u007f-\u009f]+([/?#][^\s\u0000-\u001f\u007f-\u009f]*)?$"
    )]
    pub public_url: String,
    /// `AC` and 32 hexadecimal digits; needed for click to call.
    #[schema(pattern = "^AC[0-9a-fA-F]{32}$")]
    pub account_sid: Option<String>,
    /// An E.164 number; needed for click to call.
    #[schema(pattern = r"^\+[1-9][0-9]{1,14}$")]
    pub caller_id: Option<String>,
}

/// Checks a PUT body against R-X8's rules; every refusal names its field.
pub(crate) fn validate(
    body: TwilioIn,
    stored: Option<&TwilioSettings>,
) -> Result<TwilioSettingsPut, FieldError> {
    if let Some(t) = &body.auth_token {
        let t = t.expose_secret();
        if t.is_empty() || t.chars().count() > 200 || t.contains(char::is_whitespace) {
            return Err(FieldError::new(
                "auth_token",
                "must be 1 to 200 characters without spaces; leave it out to keep the stored token",
            ));
        }
    }
    if !is_public_url(&body.public_url) {
        return Err(FieldError::new(
            "public_url",
            format!(
                "{:?} is not an absolute http or https URL (like https://crm.example.com/api/v1/integrations/twilio/1/status), at most 2000 characters",
                body.public_url
            ),
        ));
    }
    if let Some(sid) = &body.account_sid {
        let ok = sid.len() == 34
            && sid.starts_with("AC")
            && sid[2..].chars().all(|c| c.is_ascii_hexdigit());
        if !ok {
            return Err(FieldError::new(
                "account_sid",
                format!("{sid:?} is not an account sid (AC and 32 hexadecimal digits)"),
            ));
        }
    }
    if let Some(n) = &body.caller_id {
        let digits = n.strip_prefix('+').unwrap_or("");
        let ok = (2..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0');
        if !ok {
            return Err(FieldError::new(
                "caller_id",
                format!("{n:?} is not an E.164 number like +14155550100"),
            ));
        }
    }
    if body.enabled && body.auth_token.is_none() && stored.is_none_or(|s| s.auth_token.is_none()) {
        return Err(FieldError::new(
            "auth_token",
            "is required to enable Twilio: the signature of every callback is checked with it",
        ));
    }
    Ok(TwilioSettingsPut {
        enabled: body.enabled,
        auth_token: body.auth_token,
        public_url: body.public_url,
        account_sid: body.account_sid,
        caller_id: body.caller_id,
    })
}

/// `^https?://[^\s/?#]+([/?#]\S*)?$`, at most 2000 characters (the OpenAPI pattern).
fn is_public_url(u: &str) -> bool {
    let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
    else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    u.chars().count() <= 2000 && host_end > 0 && !u.contains(char::is_whitespace)
}

#[utoipa::path(get, path = "/api/v1/settings/integrations/twilio", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = TwilioOut), (status = 403, body = ErrorBody)))]
pub async fn get_twilio(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<TwilioOut>> {
    caller.require(Permission::ManageSettings)?;
    let s = state.store.twilio_settings(caller.company_id).await?;
    Ok(Json(settings_out(caller.company_id, s.as_ref())))
}

#[utoipa::path(put, path = "/api/v1/settings/integrations/twilio", tag = "settings", security(("bearer" = [])),
    request_body = TwilioIn,
    responses((status = 200, body = TwilioOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "Names the offending field")))]
pub async fn put_twilio(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<TwilioIn>,
) -> ApiResult<Json<TwilioOut>> {
    caller.require(Permission::ManageSettings)?;
    let body = body.parse()?;
    let saved = save(&state, &caller, body).await??;
    Ok(Json(settings_out(caller.company_id, Some(&saved))))
}

/// Validates and saves (audited); the verdict apart from the store's
/// failures, for the settings page. Shared with `pages::settings::twilio`.
pub(crate) async fn save(
    state: &AppState,
    caller: &Caller,
    body: TwilioIn,
) -> ApiResult<Result<TwilioSettings, FieldError>> {
    caller.require(Permission::ManageSettings)?;
    let stored = state.store.twilio_settings(caller.company_id).await?;
    let put = match validate(body, stored.as_ref()) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let saved = state
        .store
        .put_twilio_settings(caller.company_id, &put, &caller.actor(), Timestamp::now())
        .await?;
    tracing::info!(
        company.id = caller.company_id,
        employee.id = caller.employee.id,
        enabled = saved.enabled,
        "twilio settings changed"
    );
    Ok(Ok(saved))
}

// ----- the status callback ---------------------------------------------------------

/// The parameters of a Voice status callback that Ringdesk reads (Twilio
/// sends more; all of them are covered by the signature).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[allow(non_snake_case)]
pub struct TwilioCallback {
    /// The leg's sid.
    pub CallSid: String,
    /// The parent leg's sid, on a `<Dial>` child leg (`outbound-dial`).
    pub ParentCallSid: Option<String>,
    /// `queued`, `initiated`, `ringing`, `in-progress`, `completed`, `busy`, `no-answer`, `canceled`, `failed`.
    pub CallStatus: String,
    /// `inbound`, `outbound-api`, `outbound-dial`.
    pub Direction: String,
    pub From: Option<String>,
    pub To: Option<String>,
    pub Caller: Option<String>,
    pub Called: Option<String>,
    /// RFC 2822, e.g. `Tue, 24 Nov 2026 10:00:00 +0000`; the receipt time when absent.
    pub Timestamp: Option<String>,
    /// The order of this leg's callbacks, from 0; with `CallSid` it identifies the event.
    pub SequenceNumber: Option<String>,
    pub CallbackSource: Option<String>,
    pub RecordingUrl: Option<String>,
}

/// What one delivery was: the raw body, the headers that matter and the
/// query. The webhook inbox (issue 12, item 4) keeps these with the result.
pub(crate) struct Delivery {
    pub company_id: i64,
    pub body: Bytes,
    pub content_type: Option<String>,
    pub signature: Option<String>,
    pub query: Option<String>,
}

/// What became of a delivery that was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Accepted {
        call_id: i64,
    },
    Duplicate {
        call_id: i64,
    },
    /// Understood, and nothing to record (see `twilio::map_callback`).
    Ignored,
}

const EMPTY_TWIML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

#[utoipa::path(post, path = "/api/v1/integrations/twilio/{company_id}/status", tag = "telephony",
    params(
        ("company_id" = i64, Path, description = "The company whose Twilio account posts here"),
        ("X-Twilio-Signature" = Option<String>, Header, description = "Twilio's signature of public_url and the parameters (required)"),
    ),
    request_body(content = TwilioCallback, content_type = "application/x-www-form-urlencoded",
        description = "A Voice status callback as Twilio posts it (form-encoded; a JSON object is accepted too, signed with `bodySHA256` in the URL). No bearer token: the signature authenticates it."),
    responses(
        (status = 200, content_type = "text/xml", body = String, description = "Empty TwiML: stored, a repeat, or nothing to record; `Ringdesk-Outcome` says which",
            headers(("Ringdesk-Outcome" = String, description = "`accepted`, `duplicate` or `ignored`"))),
        (status = 401, body = ErrorBody, description = "`missing_signature`: no X-Twilio-Signature"),
        (status = 403, body = ErrorBody, description = "`bad_signature`: the signature does not match public_url and the parameters, or bodySHA256 the body"),
        (status = 404, body = ErrorBody, description = "`not_found`: the company has no enabled Twilio connection"),
        (status = 409, body = ErrorBody, description = "`event_conflict`: this CallSid and SequenceNumber were received with different content")))]
pub async fn twilio_status(
    State(state): State<AppState>,
    Path(company_id): Path<i64>,
    req: Request,
) -> Response {
    let received_at = Timestamp::now();
    let header =
        |h: &HeaderMap, name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let content_type = header(req.headers(), "content-type");
    let signature = header(req.headers(), twilio::SIGNATURE_HEADER);
    let query = req.uri().query().map(str::to_owned);
    let mut kept = req.headers().clone();
    // The query is part of what Twilio signs and of what is mapped: kept with
    // the headers, so that a replay reads the delivery as it came.
    if let Some(v) = query
        .as_deref()
        .and_then(|q| axum::http::HeaderValue::from_str(q).ok())
    {
        kept.insert(crate::inbox::QUERY_HEADER, v);
    }
    let body = match body_bytes(req, &state).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let delivery = Delivery {
        company_id,
        body,
        content_type,
        signature,
        query,
    };
    let answer = receive(&state, &delivery).await.map(answer);
    // Every delivery to a company with Twilio enabled is kept (a 404 names no
    // such company: nothing to keep it under).
    let unknown = matches!(&answer, Err(e) if e.status == StatusCode::NOT_FOUND);
    if !unknown {
        let authenticated = !matches!(&answer, Err(e) if e.code == "missing_signature" || e.code == "bad_signature");
        crate::inbox::keep(
            &state.store,
            company_id,
            crate::inbox::Connector::Twilio,
            received_at,
            &kept,
            delivery.body.clone(),
            authenticated,
            &answer,
        );
    }
    match answer {
        Ok((r, _)) => r,
        Err(e) => e.into_response(),
    }
}

/// Twilio's answer to a stored (or ignored) callback, and its line in the inbox.
fn answer(outcome: Outcome) -> (Response, String) {
    let (name, summary) = match outcome {
        Outcome::Accepted { call_id } => ("accepted", format!("accepted: call {call_id}")),
        Outcome::Duplicate { call_id } => ("duplicate", format!("duplicate: call {call_id}")),
        Outcome::Ignored => ("ignored", "ignored: nothing to record".to_owned()),
    };
    (
        (
            StatusCode::OK,
            [("content-type", "text/xml"), ("ringdesk-outcome", name)],
            EMPTY_TWIML,
        )
            .into_response(),
        summary,
    )
}

/// `ringdesk inbox replay` for a kept Twilio delivery: its body, content type
/// and query as they came; the signature was checked then.
pub(crate) async fn apply_kept(
    store: &ringdesk_store::Store,
    company_id: i64,
    headers: &str,
    body: &[u8],
) -> Result<(Response, String), AppError> {
    let headers: Value = serde_json::from_str(headers).unwrap_or(Value::Null);
    let text = |name: &str| headers.get(name).and_then(Value::as_str).map(str::to_owned);
    let d = Delivery {
        company_id,
        body: Bytes::copy_from_slice(body),
        content_type: text("content-type"),
        signature: None,
        query: text(crate::inbox::QUERY_HEADER),
    };
    apply(store, &d).await.map(answer)
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|c| {
        let essence = c.split(';').next().unwrap_or("").trim();
        essence.eq_ignore_ascii_case("application/json")
    })
}

/// A JSON callback's members as parameters: text as it is, numbers and
/// booleans as written; nothing nested.
fn json_params(v: &Value) -> Result<Vec<(String, String)>, AppError> {
    let obj = v
        .as_object()
        .ok_or_else(|| AppError::invalid("body", "must be a JSON object of callback parameters"))?;
    let mut out = Vec::with_capacity(obj.len());
    for (k, v) in obj {
        let text = match v {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(AppError::invalid(k, "must be text, a number or a boolean")),
        };
        out.push((k.clone(), text));
    }
    Ok(out)
}

/// Authenticates, reads, maps and stores one delivery.
pub(crate) async fn receive(state: &AppState, d: &Delivery) -> Result<Outcome, AppError> {
    let settings = state
        .store
        .twilio_settings(d.company_id)
        .await?
        .filter(|s| s.enabled);
    let Some(settings) = settings else {
        return Err(AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("company {} has no enabled Twilio connection", d.company_id),
        ));
    };
    let Some(token) = settings.auth_token.as_ref() else {
        return Err(AppError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("company {} has no Twilio auth token", d.company_id),
        ));
    };
    let url = twilio::signed_url(&settings.public_url, d.query.as_deref());
    let json = is_json(d.content_type.as_deref());
    let form: Vec<(String, String)> = if json {
        Vec::new()
    } else {
        form_urlencoded::parse(&d.body).into_owned().collect()
    };
    let signed = if json {
        twilio::SignedBody::Json(&d.body)
    } else {
        twilio::SignedBody::Form(&form)
    };
    twilio::validate(token.expose_secret(), &url, signed, d.signature.as_deref()).map_err(|e| {
        match e {
            twilio::SignatureError::Missing => {
                AppError::new(StatusCode::UNAUTHORIZED, "missing_signature", e.to_string())
            }
            _ => AppError::new(StatusCode::FORBIDDEN, "bad_signature", e.to_string()),
        }
    })?;
    apply(&state.store, d).await
}

/// A delivery's work once its signature has been checked (or, in a replay of
/// the webhook inbox, was checked when it came): read the parameters, map
/// them onto SPEC §3 and store the event.
pub(crate) async fn apply(
    store: &ringdesk_store::Store,
    d: &Delivery,
) -> Result<Outcome, AppError> {
    let json = is_json(d.content_type.as_deref());
    let params = if json {
        let v = crate::json::read_value(&d.body)?;
        crate::json::check_text(&v, "")?;
        json_params(&v)?
    } else {
        let form: Vec<(String, String)> = form_urlencoded::parse(&d.body).into_owned().collect();
        // No control characters (NUL cannot be stored), as in every JSON body.
        if let Some((k, _)) = form
            .iter()
            .find(|(k, v)| k.contains(char::is_control) || v.contains(char::is_control))
        {
            return Err(AppError::invalid(k, "must not contain control characters"));
        }
        form
    };
    let Some(raw) =
        twilio::map_callback(&params, d.query.as_deref().unwrap_or(""), Timestamp::now())?
    else {
        return Ok(Outcome::Ignored);
    };
    let event = CallEvent::parse(raw)?;
    let event_id = event.event_id.clone();
    let ctx = store.ingest_context(d.company_id).await?;
    let outcome = store
        .ingest(ctx, vec![event])
        .await?
        .pop()
        .ok_or(ringdesk_store::StoreError::WriterStopped)??;
    match outcome {
        IngestOutcome::Accepted { call_id } => Ok(Outcome::Accepted { call_id }),
        IngestOutcome::Duplicate { call_id } => Ok(Outcome::Duplicate { call_id }),
        IngestOutcome::Conflict { .. } => Err(AppError::new(
            StatusCode::CONFLICT,
            "event_conflict",
            format!("event_id {event_id:?} was already received with different content"),
        )),
    }
}

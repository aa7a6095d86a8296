//! R-I5 click to call: an employee asks the company's phone system to ring
//! their extension and then dial a number. The call itself then arrives like
//! any other, as `outbound_manual` (R-C1), and counts for recovery (R-C7).
//!
//! Which way the request goes is decided by what the company connected, in
//! this order: Asterisk (AMI enabled: `Originate` rings the employee's
//! extension, then dials the number, R-I3), Twilio's Calls API (Twilio enabled with an account SID; it
//! rings the employee, then dials the number from `caller_id`), then the
//! generic integration's signed outgoing webhook (`click_to_call_url` in
//! `/api/v1/settings/phone-system`).
//!
//! The employee's phone is their first extension: for Twilio a number
//! (`+…`), a `sip:` address or `client:NAME` is used as it is, anything else
//! is taken as a Twilio Client identity (`client:<extension>`).

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::phone;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClickToCallIn {
    /// The number to dial, in any form the company's country reads (R-P2).
    #[schema(schema_with = crate::openapi::phone_number)]
    pub number: String,
    /// Where the employee clicked (optional, kept in the request to the phone
    /// system and in the log): a client, a lead, a task or a missed call.
    pub client_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub task_id: Option<i64>,
    pub call_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClickToCallOut {
    /// How the request went: `ami`, `twilio` or `webhook`.
    pub via: String,
    /// The number dialled, normalised (E.164 when it could be read).
    pub number: String,
    /// The employee's extension that rings first.
    pub extension: String,
}

/// What the generic integration's phone system receives (signed with the
/// company's newest webhook secret, Standard Webhooks headers).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClickToCallRequest {
    /// Always `click_to_call`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Unique per request (also the `webhook-id` header).
    pub id: String,
    pub company_id: i64,
    pub employee_id: i64,
    pub employee_name: String,
    /// Ring this extension first…
    pub extension: String,
    /// …then dial this number.
    pub number: String,
    pub client_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub task_id: Option<i64>,
    pub call_id: Option<i64>,
    pub requested_at: String,
}

fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(StatusCode::CONFLICT, code, message)
}

#[utoipa::path(post, path = "/api/v1/click-to-call", tag = "telephony", security(("bearer" = [])),
    request_body = ClickToCallIn,
    responses(
        (status = 202, body = ClickToCallOut, description = "The phone system took the request; the employee's extension rings first"),
        (status = 409, body = ErrorBody, description = "`no_phone_system`, `no_extension` or `no_webhook_secret`: what to set up first"),
        (status = 422, body = ErrorBody, description = "The number, or `outbound_refused`: the installation may not connect to that address"),
        (status = 502, body = ErrorBody, description = "`phone_system_refused` / `phone_system_unreachable`")))]
pub async fn click_to_call(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<ClickToCallIn>,
) -> ApiResult<(StatusCode, Json<ClickToCallOut>)> {
    let body = body.parse()?;
    let out = dispatch(&state, &caller, &body).await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Asks the company's phone system to ring the employee's extension and then
/// dial `body.number` (the module's notes say which way). The API above and
/// the pages' "Call" buttons (`pages::click_to_call`) both come here.
pub async fn dispatch(
    state: &AppState,
    caller: &Caller,
    body: &ClickToCallIn,
) -> Result<ClickToCallOut, AppError> {
    let company = state.store.company(caller.company_id).await?;
    let raw = body.number.trim();
    if phone::is_withheld(raw) || raw.chars().count() > 64 {
        return Err(AppError::invalid(
            "number",
            format!("{:?} is not a number that can be dialled", body.number),
        ));
    }
    let number =
        phone::normalise(raw, &company.country).map_err(|e| AppError::invalid("number", e))?;
    let number = match number.key.as_str().strip_prefix('#') {
        Some(digits) => digits.to_owned(),
        None => number.key.as_str().to_owned(),
    };
    let extension = caller.employee.extensions.first().cloned().ok_or_else(|| {
        conflict(
            "no_extension",
            "your account has no extension: an owner adds one under Settings > Employees, so that the phone system knows which phone to ring first",
        )
    })?;

    let ami = state.store.ami_settings(caller.company_id).await?;
    if ami.enabled && ami.secret.is_some() {
        return via_ami(state, caller, &ami.host, number, extension).await;
    }
    let twilio = state
        .store
        .twilio_settings(caller.company_id)
        .await?
        .filter(|t| t.enabled && t.account_sid.is_some() && t.auth_token.is_some());
    if let Some(t) = twilio {
        return via_twilio(state, caller, t, number, extension).await;
    }
    let settings = state.store.phone_system_settings(caller.company_id).await?;
    let Some(url) = settings.click_to_call_url else {
        return Err(conflict(
            "no_phone_system",
            "no phone system is set up for click to call: connect one under Settings > Phone system",
        ));
    };
    let signing = state.store.webhook_signing(caller.company_id).await?;
    let secret = signing.secrets.last().ok_or_else(|| {
        conflict(
            "no_webhook_secret",
            "click to call signs its request to the phone system: add a webhook secret under Settings > Webhook signing first",
        )
    })?;
    let now = Timestamp::now();
    let id = format!("c2c_{}", ringdesk_app::credentials::random_hex(12));
    let request = ClickToCallRequest {
        kind: "click_to_call".into(),
        id: id.clone(),
        company_id: caller.company_id,
        employee_id: caller.employee.id,
        employee_name: caller.employee.name.clone(),
        extension: extension.clone(),
        number: number.clone(),
        client_id: body.client_id,
        lead_id: body.lead_id,
        task_id: body.task_id,
        call_id: body.call_id,
        requested_at: now.to_string(),
    };
    let payload = serde_json::to_vec(&request)
        .map_err(|e| AppError::internal(format!("click to call: {e}")))?;
    let signature = crate::signature::sign(
        secret.secret.expose_secret(),
        &id,
        now.as_second(),
        &payload,
    )
    .ok_or_else(|| AppError::internal("click to call: the webhook secret cannot sign"))?;
    let client = crate::outbound::client_for(&state.outbound, &url).await?;
    let answer = client
        .post(&url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", now.as_second().to_string())
        .header("webhook-signature", signature)
        .body(payload)
        .send()
        .await
        .map_err(|e| {
            AppError::new(
                StatusCode::BAD_GATEWAY,
                "phone_system_unreachable",
                format!("the phone system at click_to_call_url could not be reached: {e}"),
            )
        })?;
    if !answer.status().is_success() {
        return Err(AppError::new(
            StatusCode::BAD_GATEWAY,
            "phone_system_refused",
            format!(
                "the phone system answered {} to the click-to-call request",
                answer.status()
            ),
        ));
    }
    tracing::info!(
        company.id = caller.company_id,
        employee.id = caller.employee.id,
        via = "webhook",
        "click to call requested"
    );
    Ok(ClickToCallOut {
        via: "webhook".into(),
        number,
        extension,
    })
}

/// Where Twilio rings the employee first (see the module's notes).
fn twilio_address(extension: &str) -> String {
    let e = extension.trim();
    if e.starts_with('+') || e.starts_with("sip:") || e.starts_with("client:") {
        e.to_owned()
    } else {
        format!("client:{e}")
    }
}

fn gateway(code: &'static str, message: String) -> AppError {
    AppError::new(StatusCode::BAD_GATEWAY, code, message)
}

async fn via_twilio(
    state: &AppState,
    caller: &Caller,
    t: ringdesk_store::TwilioSettings,
    number: String,
    extension: String,
) -> Result<ClickToCallOut, AppError> {
    use ringdesk_telephony::twilio::{start_call, CallsApi, ClickToCall, StartCallError};
    let caller_id = t.caller_id.clone().ok_or_else(|| {
        conflict(
            "no_caller_id",
            "click to call through Twilio needs caller_id, the Twilio number the call comes from: set it under Settings > Twilio",
        )
    })?;
    let (Some(account_sid), Some(auth_token)) = (t.account_sid, t.auth_token) else {
        return Err(conflict(
            "no_phone_system",
            "Twilio has no account SID or auth token",
        ));
    };
    let api = CallsApi {
        base_url: state.twilio_api.clone(),
        account_sid,
        auth_token,
    };
    let http = crate::outbound::client_for(&state.outbound, &state.twilio_api).await?;
    let call = ClickToCall {
        employee_address: twilio_address(&extension),
        operator: extension.clone(),
        customer: number.clone(),
        caller_id,
        status_callback: t.public_url,
    };
    match start_call(&http, &api, &call).await {
        Ok(started) => {
            tracing::info!(company.id = caller.company_id, employee.id = caller.employee.id, via = "twilio", call_sid = %started.call_sid, "click to call requested");
            Ok(ClickToCallOut {
                via: "twilio".into(),
                number,
                extension,
            })
        }
        Err(e @ StartCallError::Refused { .. }) => {
            Err(gateway("phone_system_refused", e.to_string()))
        }
        Err(e) => Err(gateway(
            "phone_system_unreachable",
            format!("Twilio's API could not be reached: {e}"),
        )),
    }
}

async fn via_ami(
    state: &AppState,
    caller: &Caller,
    host: &str,
    number: String,
    extension: String,
) -> Result<ClickToCallOut, AppError> {
    use ringdesk_telephony::ami::supervisor::{click_to_call, ClickToCallError};
    // R-X8: the host is resolved and checked here (422 naming it); the
    // connection then goes only to that host.
    let authority = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    crate::outbound::checked_addrs(&state.outbound, &format!("http://{authority}/")).await?;
    let checked = host.to_owned();
    let allowed: ringdesk_telephony::ami::supervisor::OutboundCheck =
        std::sync::Arc::new(move |h: &str| h == checked);
    match click_to_call(
        &state.store,
        caller.company_id,
        &extension,
        &number,
        &allowed,
    )
    .await
    {
        Ok(()) => {
            tracing::info!(
                company.id = caller.company_id,
                employee.id = caller.employee.id,
                via = "ami",
                "click to call requested"
            );
            Ok(ClickToCallOut {
                via: "ami".into(),
                number,
                extension,
            })
        }
        Err(ClickToCallError::Store(e)) => Err(e.into()),
        Err(e @ ClickToCallError::HostNotAllowed(_)) => Err(AppError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "outbound_refused",
            e.to_string(),
        )),
        Err(e @ ClickToCallError::NotEnabled) => Err(conflict("no_phone_system", e.to_string())),
        Err(e) => Err(gateway(
            "phone_system_refused",
            format!("the PBX did not take the call: {e}"),
        )),
    }
}

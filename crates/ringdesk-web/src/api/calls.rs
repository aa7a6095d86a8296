//! The generic call-event webhook (R-X4, R-I1) and reading calls (R-X5).

use crate::auth::{Caller, Integration};
use crate::error::{ApiResult, AppError, ErrorBody, ErrorDetail};
use crate::extract::{Path, Query};
use crate::json::body_bytes;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ringdesk_domain::access::CallVisibility;
use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::event::{CallEvent, FieldError, RawCallEvent};
use ringdesk_store::{Call, CallFilter, IngestOutcome, StoredEvent};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

/// The most events one batch may carry (R-X4).
pub const MAX_BATCH_EVENTS: usize = 1000;

/// One call event as a phone system sends it (R-X4). A field it does not
/// know is refused.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventIn {
    /// The provider's id of this event; a repeat is recognised by it. Text; a
    /// JSON number is accepted only as a whole number (kept as written), any
    /// other number is refused with 422: send it as a string.
    #[schema(schema_with = crate::openapi::event_id)]
    pub event_id: String,
    /// The provider's id of the call.
    #[schema(schema_with = crate::openapi::event_id)]
    pub call_id: String,
    #[schema(schema_with = crate::openapi::direction)]
    pub direction: String,
    #[schema(schema_with = crate::openapi::call_state)]
    pub state: String,
    /// RFC 3339 with an offset.
    #[schema(example = "2026-06-19T13:00:00Z", format = DateTime)]
    pub at: String,
    /// The caller's number as the phone system sent it; empty or absent when withheld.
    #[schema(schema_with = crate::openapi::event_text)]
    pub from: Option<String>,
    #[schema(schema_with = crate::openapi::event_text)]
    pub to: Option<String>,
    /// An employee's extension or e-mail.
    #[schema(schema_with = crate::openapi::event_text)]
    pub operator: Option<String>,
    #[schema(max_length = 2000)]
    pub queue: Option<String>,
    #[schema(max_length = 2000)]
    pub recording_url: Option<String>,
}

/// A single event, or a batch of at most 1,000 whose items are judged one by
/// one: each answers `accepted`, `duplicate` or `rejected` (with the error of
/// an item that is not a valid event), in order (R-X4).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum EventsBody {
    One(Box<EventIn>),
    #[schema(value_type = Vec<Value>)]
    Batch(Vec<EventIn>),
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AcceptedOut {
    /// Ringdesk's id of the call.
    pub call_id: i64,
}

/// The 200 answer: a single event's repeat, or a batch's results in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum EventsAnswer {
    Repeat(AcceptedOut),
    Batch(Vec<BatchResult>),
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchResult {
    /// `accepted`, `duplicate` or `rejected`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// Reads one event object field by field, so that a wrong type names its field.
fn raw_event(v: &Value) -> Result<RawCallEvent, FieldError> {
    let obj: &Map<String, Value> = v
        .as_object()
        .ok_or_else(|| FieldError::new("body", "each event must be a JSON object"))?;
    const KNOWN: [&str; 10] = [
        "event_id",
        "call_id",
        "direction",
        "state",
        "at",
        "from",
        "to",
        "operator",
        "queue",
        "recording_url",
    ];
    if let Some(k) = obj.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(FieldError::new(k.clone(), "is not a field of a call event"));
    }
    let text = |name: &str| -> Result<Option<String>, FieldError> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            // Ids and extensions are often numbers in PBX configurations:
            // accept them as text, but only an integer, which is kept exactly
            // as sent. A fraction or an integer past 64 bits was read as a
            // float and would not be kept as sent (`1.10` would become `1.1`),
            // so it is refused, asking for text.
            Some(Value::Number(n))
                if matches!(name, "event_id" | "call_id" | "operator" | "from" | "to") =>
            {
                if n.is_i64() || n.is_u64() {
                    Ok(Some(n.to_string()))
                } else {
                    Err(FieldError::new(
                        name,
                        "a number here must be a whole number from -2^63 to 2^64-1; \
                         send any other id as a string (e.g. \"1718362345.10\"), which is kept exactly",
                    ))
                }
            }
            Some(other) => Err(FieldError::new(
                name,
                format!("must be a string, not {}", json_kind(other)),
            )),
        }
    };
    Ok(RawCallEvent {
        event_id: text("event_id")?,
        call_id: text("call_id")?,
        direction: text("direction")?,
        state: text("state")?,
        at: text("at")?,
        from: text("from")?,
        to: text("to")?,
        operator: text("operator")?,
        queue: text("queue")?,
        recording_url: text("recording_url")?,
    })
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks one event's text (NUL and control characters, `json::check_text`)
/// and reads it; in a batch each event is judged alone (R-X4).
fn parse_event(v: &Value) -> Result<CallEvent, AppError> {
    crate::json::check_text(v, "")?;
    Ok(CallEvent::parse(raw_event(v)?)?)
}

fn conflict(event_id: &str) -> AppError {
    AppError::new(
        StatusCode::CONFLICT,
        "event_conflict",
        format!("event_id {event_id:?} was already received with different content"),
    )
}

/// R-I1: Standard Webhooks headers, when the company requires them.
fn check_signature(
    headers: &axum::http::HeaderMap,
    body: &[u8],
    signing: &ringdesk_store::WebhookSigning,
) -> Result<(), AppError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let secrets: Vec<&str> = signing
        .secrets
        .iter()
        .map(|s| s.secret.expose_secret())
        .collect();
    crate::signature::verify(
        &crate::signature::SignedRequest {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            body,
        },
        &secrets,
        jiff::Timestamp::now().as_second(),
    )
    .map_err(|e| AppError::new(StatusCode::UNAUTHORIZED, "bad_signature", e.to_string()))
}

#[utoipa::path(post, path = "/api/v1/telephony/events", tag = "telephony", security(("bearer" = [])),
    request_body(content = EventsBody, description = "One event, or an array of at most 1,000"),
    responses(
        (status = 202, body = AcceptedOut, description = "The event is durably stored"),
        (status = 200, description = "A repeat of a stored event (same body as 202), or a batch's results", body = EventsAnswer),
        (status = 409, body = ErrorBody, description = "The event_id was seen with different content"),
        (status = 413, body = ErrorBody, description = "Body over 1 MiB or batch over 1,000 events"),
        (status = 422, body = ErrorBody, description = "A field is missing or malformed"),
        (status = 401, body = ErrorBody)))]
pub async fn post_events(
    State(state): State<AppState>,
    Integration(id): Integration,
    req: Request,
) -> ApiResult<Response> {
    let received_at = jiff::Timestamp::now();
    let headers = req.headers().clone();
    let bytes = body_bytes(req, &state).await?;
    let ctx = state.store.ingest_context(id.company_id).await?;
    let authenticated = match ctx.signing.required {
        true => check_signature(&headers, &bytes, &ctx.signing),
        false => Ok(()),
    };
    let answer = match &authenticated {
        Ok(()) => apply_events(&state.store, ctx, &bytes).await,
        Err(e) => Err(AppError::new(e.status, e.code, e.message.clone())),
    };
    crate::inbox::keep(
        &state.store,
        id.company_id,
        crate::inbox::Connector::Generic,
        received_at,
        &headers,
        bytes,
        authenticated.is_ok(),
        &answer,
    );
    answer.map(|(response, _)| response)
}

/// The webhook's work once the request is authenticated: parse the body (one
/// event or a batch) and store it. Also what `ringdesk inbox replay` does with
/// a kept delivery. Returns the answer and a line saying what came of it.
pub(crate) async fn apply_events(
    store: &ringdesk_store::Store,
    ctx: std::sync::Arc<ringdesk_store::IngestContext>,
    bytes: &[u8],
) -> Result<(Response, String), AppError> {
    // One JSON value, no repeated keys; the text is checked per event.
    let body: Value = crate::json::read_value(bytes)?;
    match body {
        Value::Array(items) => {
            if items.len() > MAX_BATCH_EVENTS {
                return Err(AppError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "batch_too_large",
                    format!(
                        "a batch holds at most {MAX_BATCH_EVENTS} events; this one has {}",
                        items.len()
                    ),
                ));
            }
            let parsed: Vec<Result<CallEvent, AppError>> = items.iter().map(parse_event).collect();
            let valid: Vec<CallEvent> = parsed
                .iter()
                .filter_map(|p| p.as_ref().ok().cloned())
                .collect();
            let mut stored = store.ingest(ctx, valid).await?.into_iter();
            let mut results = Vec::with_capacity(parsed.len());
            for p in parsed {
                results.push(match p {
                    Err(e) => BatchResult {
                        status: "rejected".into(),
                        call_id: None,
                        error: Some(e.detail()),
                    },
                    Ok(ev) => match stored.next().ok_or_else(|| {
                        AppError::from(ringdesk_store::StoreError::WriterStopped)
                    })?? {
                        IngestOutcome::Accepted { call_id } => BatchResult {
                            status: "accepted".into(),
                            call_id: Some(call_id),
                            error: None,
                        },
                        IngestOutcome::Duplicate { call_id } => BatchResult {
                            status: "duplicate".into(),
                            call_id: Some(call_id),
                            error: None,
                        },
                        IngestOutcome::Conflict { call_id } => BatchResult {
                            status: "rejected".into(),
                            call_id: Some(call_id),
                            error: Some(conflict(&ev.event_id).detail()),
                        },
                    },
                });
            }
            let count = |s: &str| results.iter().filter(|r| r.status == s).count();
            let summary = format!(
                "batch of {}: {} accepted, {} duplicate, {} rejected",
                results.len(),
                count("accepted"),
                count("duplicate"),
                count("rejected")
            );
            Ok(((StatusCode::OK, Json(results)).into_response(), summary))
        }
        single => {
            let ev = parse_event(&single)?;
            let event_id = ev.event_id.clone();
            let outcome = store
                .ingest(ctx, vec![ev])
                .await?
                .pop()
                .ok_or(ringdesk_store::StoreError::WriterStopped)??;
            Ok(match outcome {
                IngestOutcome::Accepted { call_id } => (
                    (StatusCode::ACCEPTED, Json(AcceptedOut { call_id })).into_response(),
                    format!("accepted: call {call_id}"),
                ),
                IngestOutcome::Duplicate { call_id } => (
                    (StatusCode::OK, Json(AcceptedOut { call_id })).into_response(),
                    format!("duplicate: call {call_id}"),
                ),
                IngestOutcome::Conflict { .. } => {
                    let e = conflict(&event_id);
                    let summary = format!("{}: {}", e.code, e.message);
                    (e.into_response(), summary)
                }
            })
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallTimes {
    pub queued: Option<String>,
    pub ringing: Option<String>,
    pub answered: Option<String>,
    pub ended: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallOut {
    pub id: i64,
    /// The provider's call id.
    pub external_id: String,
    pub direction: String,
    pub state: String,
    pub missed: bool,
    pub from: String,
    pub to: String,
    /// The customer's number normalised (E.164), null when withheld.
    pub customer_number: Option<String>,
    pub client_id: Option<i64>,
    /// R-P3: `none`, `one` or `many` clients matched the customer's number.
    pub client_match: String,
    pub operator_id: Option<i64>,
    /// When the phone system named an operator (`operator`: an extension or an
    /// e-mail) that matches no employee, what it sent, e.g. `"205"`; the call
    /// is kept, with no operator (`operator_id` null). Null otherwise.
    pub operator_unmatched: Option<String>,
    pub queue: Option<String>,
    pub recording_url: Option<String>,
    pub first_seen: String,
    pub times: CallTimes,
    pub wait_seconds: Option<i64>,
    pub ring_seconds: Option<i64>,
    pub talk_seconds: Option<i64>,
    pub total_seconds: Option<i64>,
    pub recovered: bool,
    pub recovered_by_call_id: Option<i64>,
    pub recovery_seconds: Option<i64>,
    /// The callback SLA (issue 13 item 4): when this missed call should be
    /// called back by, counting only the company's business hours from its
    /// end under `callback_sla_minutes`, fixed when it became missed. Null when
    /// no SLA applies (none set, not missed, not a customer's call, a withheld
    /// number, a week without business hours).
    pub sla_deadline_at: Option<String>,
    /// True when the callback that recovered it started at or before
    /// `sla_deadline_at`; false when the deadline passed without one (or it
    /// came late); null while pending or without an SLA.
    pub within_sla: Option<bool>,
}

fn opt_time(t: Option<jiff::Timestamp>) -> Option<String> {
    t.map(|t| t.to_string())
}

impl CallOut {
    /// R-C5: the recording link only for those who may see the call — which
    /// every caller reaching this point may.
    pub(crate) fn from_call(c: Call) -> CallOut {
        CallOut {
            id: c.id,
            external_id: c.external_id,
            direction: c.direction.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            missed: c.missed,
            from: c.from,
            to: c.to,
            customer_number: c.customer_key.filter(|k| k.starts_with('+')),
            client_id: c.client_id,
            client_match: c.client_match.as_str().to_owned(),
            operator_id: c.operator_id,
            operator_unmatched: c.operator_unmatched,
            queue: c.queue,
            recording_url: c.recording_url,
            first_seen: c.first_seen_at.to_string(),
            times: CallTimes {
                queued: opt_time(c.queued_at),
                ringing: opt_time(c.ringing_at),
                answered: opt_time(c.answered_at),
                ended: opt_time(c.ended_at),
            },
            wait_seconds: c.wait_seconds,
            ring_seconds: c.ring_seconds,
            talk_seconds: c.talk_seconds,
            total_seconds: c.total_seconds,
            recovered: c.recovered,
            recovered_by_call_id: c.recovered_by_call_id,
            recovery_seconds: c.recovery_seconds,
            sla_deadline_at: opt_time(c.sla_deadline_at),
            within_sla: c.within_sla,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TimelineEvent {
    pub event_id: String,
    pub state: String,
    pub at: String,
    pub operator: Option<String>,
    pub operator_id: Option<i64>,
    pub queue: Option<String>,
    pub received_at: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CallDetailOut {
    #[serde(flatten)]
    pub call: CallOut,
    /// Every event of the call, earliest first; transfers show each operator (R-C5).
    pub timeline: Vec<TimelineEvent>,
    /// R-X5: for each rule, what it made, or why nothing, or that it waits.
    pub automation: Vec<AutomationOut>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AutomationOut {
    /// `missed_call_task`, `answered_call_lead` or `missed_call_lead`.
    pub rule: String,
    /// `created`, `skipped`, `pending` or `cancelled`.
    pub outcome: String,
    /// Why, in the company's language ("client has an open work order", …); null when created.
    pub reason: Option<String>,
    /// The same reason as a stable key (`client_has_open_order`, …).
    pub reason_key: Option<String>,
    /// Further remarks (R-A2: a deactivated assignee was skipped), in the company's language.
    pub notes: Vec<String>,
    pub task_ids: Vec<i64>,
    pub lead_id: Option<i64>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct CallQuery {
    #[param(schema_with = crate::openapi::call_state)]
    pub state: Option<String>,
    #[param(schema_with = crate::openapi::direction)]
    pub direction: Option<String>,
    pub missed: Option<bool>,
    pub recovered: Option<bool>,
    pub operator_id: Option<i64>,
    pub client_id: Option<i64>,
    /// Calls first seen at or after this RFC 3339 time.
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Calls first seen before this RFC 3339 time.
    #[param(format = DateTime)]
    pub to: Option<String>,
    /// The provider's call id.
    pub external_id: Option<String>,
    pub before_id: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

pub(crate) fn time_param(
    name: &str,
    v: Option<String>,
) -> Result<Option<jiff::Timestamp>, AppError> {
    v.map(|s| {
        ringdesk_domain::time::rfc3339(&s).ok_or_else(|| {
            AppError::invalid(
                name,
                format!("{s:?} is not an RFC 3339 time with an offset, like 2026-06-19T13:00:00Z"),
            )
        })
    })
    .transpose()
}

/// How many calls R-C8's "recent calls" shows.
pub const RECENT_CALLS: i64 = 5;

#[utoipa::path(get, path = "/api/v1/calls/recent", tag = "calls", security(("bearer" = [])),
    responses((status = 200, body = Vec<CallOut>, description = "The caller's last five calls, newest first (R-C8): those they took or made")))]
pub async fn recent_calls(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<CallOut>>> {
    let filter = CallFilter {
        operator_id: Some(caller.employee.id),
        limit: RECENT_CALLS,
        ..CallFilter::default()
    };
    Ok(Json(
        state
            .store
            .calls(caller.company_id, &filter)
            .await?
            .into_iter()
            .map(CallOut::from_call)
            .collect(),
    ))
}

/// How many callers `GET /api/v1/calls/missed-cases` lists at most.
pub const MAX_CASES: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// `true`: only the cases still open (R-U3's "without recovered" for callers).
    pub open: Option<bool>,
    /// How many callers, 1–100 (default 50).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

/// A callback case (issue 13 item 3): one caller's missed calls, from the
/// first until the caller was reached by an answered call either way.
#[derive(Debug, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CaseOut {
    /// The caller's number, normalised (R-P2).
    pub number: String,
    /// As the latest missed call sent it.
    pub raw_number: String,
    pub client_id: Option<i64>,
    /// The latest missed call's operator.
    pub operator_id: Option<i64>,
    /// How many missed calls the case gathered.
    pub missed_count: usize,
    /// Oldest first; the first opened the case.
    pub missed_call_ids: Vec<i64>,
    pub opened_at: String,
    pub last_missed_at: String,
    /// Open until the caller is reached (an unanswered callback leaves it open).
    pub open: bool,
    pub reached_by_call_id: Option<i64>,
    pub reached_at: Option<String>,
    pub seconds_to_reach: Option<i64>,
}

impl From<ringdesk_store::CallbackCase> for CaseOut {
    fn from(c: ringdesk_store::CallbackCase) -> Self {
        CaseOut {
            number: c.number,
            raw_number: c.raw_number,
            client_id: c.client_id,
            operator_id: c.operator_id,
            missed_count: c.missed_call_ids.len(),
            missed_call_ids: c.missed_call_ids,
            opened_at: c.opened_at.to_string(),
            last_missed_at: c.last_missed_at.to_string(),
            open: c.reached_by_call_id.is_none(),
            reached_by_call_id: c.reached_by_call_id,
            reached_at: c.reached_at.map(|t| t.to_string()),
            seconds_to_reach: c.seconds_to_reach,
        }
    }
}

/// The callback cases for the caller (R-C5: without `view_all_calls`, of
/// the calls routed to them); shared with the missed-calls page.
pub(crate) async fn cases_for(
    state: &AppState,
    caller: &Caller,
    open_only: bool,
    limit: i64,
) -> Result<Vec<CaseOut>, AppError> {
    let operator = CallVisibility::of(caller.employee.id, &caller.permissions).only_operator();
    let list = state
        .store
        .missed_cases(caller.company_id, operator, limit)
        .await?;
    Ok(list
        .into_iter()
        .map(CaseOut::from)
        .filter(|c| !open_only || c.open)
        .collect())
}

#[utoipa::path(get, path = "/api/v1/calls/missed-cases", tag = "calls", security(("bearer" = [])),
    params(CasesQuery),
    responses((status = 200, body = Vec<CaseOut>, description = "The callers of the most recent missed calls, one case per caller at a time, newest first (issue 13 item 3)"),
        (status = 422, body = ErrorBody)))]
pub async fn missed_cases(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<CasesQuery>,
) -> ApiResult<Json<Vec<CaseOut>>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=MAX_CASES).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("{limit} is not between 1 and {MAX_CASES}"),
        ));
    }
    Ok(Json(
        cases_for(&state, &caller, q.open.unwrap_or(false), limit).await?,
    ))
}

/// `GET /api/v1/calls`' query read as the store's filter, narrowed by R-C5
/// (without `view_all_calls`, the calls routed to the caller); shared with the `/calls` page.
pub(crate) fn call_filter(q: CallQuery, caller: &Caller) -> Result<CallFilter, AppError> {
    Ok(CallFilter {
        state: q
            .state
            .map(|s| {
                CallState::parse(&s)
                    .ok_or_else(|| AppError::invalid("state", format!("unknown state {s:?}")))
            })
            .transpose()?,
        direction: q
            .direction
            .map(|s| {
                Direction::parse(&s).ok_or_else(|| {
                    AppError::invalid("direction", format!("unknown direction {s:?}"))
                })
            })
            .transpose()?,
        missed: q.missed,
        recovered: q.recovered,
        operator_id: q.operator_id,
        client_id: q.client_id,
        from: time_param("from", q.from)?,
        to: time_param("to", q.to)?,
        external_id: q.external_id,
        ids: None,
        // R-C5: without view_all_calls an employee sees the calls routed to them.
        visible_to_operator: CallVisibility::of(caller.employee.id, &caller.permissions)
            .only_operator(),
        before_id: q.before_id,
        limit: crate::api::page_limit(q.limit)?,
    })
}

#[utoipa::path(get, path = "/api/v1/calls", tag = "calls", security(("bearer" = [])), params(CallQuery),
    responses((status = 200, body = Vec<CallOut>), (status = 422, body = ErrorBody)))]
pub async fn list_calls(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<CallQuery>,
) -> ApiResult<Json<Vec<CallOut>>> {
    let filter = call_filter(q, &caller)?;
    Ok(Json(
        state
            .store
            .calls(caller.company_id, &filter)
            .await?
            .into_iter()
            .map(CallOut::from_call)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/calls/{id}", tag = "calls", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = CallDetailOut), (status = 404, body = ErrorBody)))]
pub async fn get_call(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<CallDetailOut>> {
    let call = state.store.call(caller.company_id, id).await?;
    if !CallVisibility::of(caller.employee.id, &caller.permissions).may_see(call.operator_id) {
        return Err(AppError::not_found("call"));
    }
    let events = state.store.call_events(caller.company_id, id).await?;
    let locale = state.store.company(caller.company_id).await?.locale;
    let say = |key: &str| {
        ringdesk_domain::texts::Text::from_key(key)
            .map(|t| t.in_locale(locale).to_owned())
            .unwrap_or_else(|| key.to_owned())
    };
    let automation = state
        .store
        .call_automation(caller.company_id, id)
        .await?
        .into_iter()
        .map(|a| AutomationOut {
            rule: a.rule.as_str().to_owned(),
            outcome: a.outcome.as_str().to_owned(),
            reason: a.reason.as_deref().map(say),
            reason_key: a.reason,
            notes: a.notes.iter().map(|n| say(n)).collect(),
            task_ids: a.task_ids,
            lead_id: a.lead_id,
        })
        .collect();
    Ok(Json(CallDetailOut {
        automation,
        call: CallOut::from_call(call),
        timeline: events
            .into_iter()
            .map(|e: StoredEvent| TimelineEvent {
                event_id: e.event_id,
                state: e.state.as_str().to_owned(),
                at: e.at.to_string(),
                operator: e.operator,
                operator_id: e.operator_id,
                queue: e.queue,
                received_at: e.received_at.to_string(),
            })
            .collect(),
    }))
}

/// R-C6 *Edit contact*: the client a call is linked to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallClientIn {
    /// A client of the caller's company; the call shows it from then on.
    pub client_id: i64,
}

/// R-C6 *Edit contact*: re-links a call to another client (or to one of
/// several matches of its number). The change is written to the audit log
/// (`call.contact_changed`) and published on the live stream (R-X7), as the
/// call bar's *Edit contact* does. Needs `view_clients` and a call the
/// caller may see (R-C5); another company's client is 404.
#[utoipa::path(put, path = "/api/v1/calls/{id}/client", tag = "calls", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = CallClientIn,
    responses((status = 200, body = CallOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_call_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: crate::json::JsonLater<CallClientIn>,
) -> ApiResult<Json<CallOut>> {
    caller.require(ringdesk_domain::company::Permission::ViewClients)?;
    let call = state.store.call(caller.company_id, id).await?;
    if !CallVisibility::of(caller.employee.id, &caller.permissions).may_see(call.operator_id) {
        return Err(AppError::not_found("call"));
    }
    let b = body.parse()?;
    let call = state
        .store
        .relink_call(
            caller.company_id,
            id,
            b.client_id,
            &caller.actor(),
            jiff::Timestamp::now(),
        )
        .await?;
    Ok(Json(CallOut::from_call(call)))
}

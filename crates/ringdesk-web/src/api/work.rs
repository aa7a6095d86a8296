//! Work orders, leads, tasks and notifications: what the telephony automation
//! makes (SPEC §4, §5) and what people need to see and finish it. The leads,
//! orders and quotes issue adds the rest of R-M1…R-M8 to these resources.

use crate::auth::{Caller, Credential};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::phone;
use ringdesk_store::{Lead, NewLead, NewWorkOrder, Notification, Task, WorkOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn time(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| t.to_string())
}

/// A number as typed, read with the company's country (R-P2).
async fn phone_of(
    state: &AppState,
    company_id: i64,
    field: &str,
    raw: Option<&str>,
) -> Result<Option<phone::PhoneNumber>, AppError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let country = state
        .store
        .ingest_context(company_id)
        .await?
        .country
        .clone();
    phone::normalise(raw, &country)
        .map(Some)
        .map_err(|e| AppError::invalid(field, e))
}

// ----- work orders -----------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderOut {
    pub id: i64,
    pub number: String,
    pub client_id: Option<i64>,
    pub phone: Option<String>,
    pub status_id: i64,
    pub creator_id: Option<i64>,
    pub created_at: String,
}

impl From<WorkOrder> for OrderOut {
    fn from(o: WorkOrder) -> Self {
        OrderOut {
            id: o.id,
            number: o.number,
            client_id: o.client_id,
            phone: o.phone,
            status_id: o.status_id,
            creator_id: o.creator_id,
            created_at: o.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderIn {
    pub client_id: Option<i64>,
    pub phone: Option<String>,
    /// Default: the company's first status of group `new`.
    pub status_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusIn {
    pub status_id: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OrderQuery {
    pub client_id: Option<i64>,
    pub limit: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "work", security(("bearer" = [])), request_body = OrderIn,
    responses((status = 201, body = OrderOut), (status = 422, body = ErrorBody, description = "Names the field, e.g. a client of another company")))]
pub async fn create_order(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<OrderIn>,
) -> ApiResult<(StatusCode, Json<OrderOut>)> {
    let body = body.parse()?;
    let new = NewWorkOrder {
        client_id: body.client_id,
        phone: phone_of(&state, caller.company_id, "phone", body.phone.as_deref()).await?,
        status_id: body.status_id,
        creator_id: Some(caller.employee.id),
    };
    let o = state
        .store
        .create_order(caller.company_id, &new, Timestamp::now())
        .await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "work", security(("bearer" = [])), params(OrderQuery),
    responses((status = 200, body = Vec<OrderOut>)))]
pub async fn list_orders(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrderQuery>,
) -> ApiResult<Json<Vec<OrderOut>>> {
    let limit = super::page_limit(q.limit)?;
    let list = state
        .store
        .orders(caller.company_id, q.client_id, limit)
        .await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody)))]
pub async fn get_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<OrderOut>> {
    Ok(Json(state.store.order(caller.company_id, id).await?.into()))
}

#[utoipa::path(patch, path = "/api/v1/orders/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)), request_body = StatusIn,
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<StatusIn>,
) -> ApiResult<Json<OrderOut>> {
    state.store.order(caller.company_id, id).await?;
    let body = body.parse()?;
    Ok(Json(
        state
            .store
            .set_order_status(caller.company_id, id, body.status_id, Timestamp::now())
            .await?
            .into(),
    ))
}

// ----- leads ---------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadOut {
    pub id: i64,
    pub number: String,
    pub type_id: i64,
    pub status_id: i64,
    pub client_id: Option<i64>,
    /// The client's name, or "Unknown client" in the company's language (R-L4).
    pub client_name: String,
    pub phone: Option<String>,
    /// R-M1's comment ("Missed call" for a lead from a missed call).
    pub description: Option<String>,
    pub ad_campaign_id: Option<i64>,
    pub location_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub creator_id: Option<i64>,
    /// `call_answered`, `call_missed` or `manual`.
    pub source: String,
    pub call_id: Option<i64>,
    /// The calls its history shows: its own, and later calls linked to it (R-L3).
    pub call_ids: Vec<i64>,
    pub due_at: Option<String>,
    pub urgent: bool,
    pub overdue: bool,
    pub overdue_seconds: i64,
    /// The lead type's own form fields (the leads issue adds them).
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
}

impl LeadOut {
    fn at(l: Lead, now: Timestamp) -> LeadOut {
        let overdue_seconds = l
            .due_at
            .map(|d| (now.as_second() - d.as_second()).max(0))
            .unwrap_or(0);
        LeadOut {
            id: l.id,
            number: l.number,
            type_id: l.type_id,
            status_id: l.status_id,
            client_id: l.client_id,
            client_name: l.client_name,
            phone: l.phone,
            description: l.description,
            ad_campaign_id: None,
            location_id: None,
            manager_id: l.manager_id,
            creator_id: l.creator_id,
            source: l.source,
            call_id: l.call_id,
            call_ids: l.call_ids,
            due_at: time(l.due_at),
            urgent: l.urgent,
            overdue: overdue_seconds > 0,
            overdue_seconds,
            fields: Default::default(),
            created_at: l.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadIn {
    /// Default: the company's first lead type; the status defaults to the type's initial one.
    pub type_id: Option<i64>,
    pub status_id: Option<i64>,
    pub client_id: Option<i64>,
    pub client_name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    /// Default: the creator.
    pub manager_id: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LeadQuery {
    /// The leads this call made or was linked to.
    pub call_id: Option<i64>,
    pub client_id: Option<i64>,
    pub limit: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/leads", tag = "work", security(("bearer" = [])), request_body = LeadIn,
    responses((status = 201, body = LeadOut), (status = 422, body = ErrorBody)))]
pub async fn create_lead(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<LeadIn>,
) -> ApiResult<(StatusCode, Json<LeadOut>)> {
    let body = body.parse()?;
    if body.client_id.is_none()
        && body
            .client_name
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        return Err(AppError::invalid(
            "client_name",
            "give a client_id or the caller's name",
        ));
    }
    let new = NewLead {
        type_id: body.type_id,
        status_id: body.status_id,
        client_id: body.client_id,
        client_name: body.client_name.map(|n| n.trim().to_owned()),
        phone: phone_of(&state, caller.company_id, "phone", body.phone.as_deref()).await?,
        description: body.description,
        manager_id: Some(body.manager_id.unwrap_or(caller.employee.id)),
        creator_id: Some(caller.employee.id),
    };
    let now = Timestamp::now();
    let l = state
        .store
        .create_lead(caller.company_id, &new, now)
        .await?;
    Ok((StatusCode::CREATED, Json(LeadOut::at(l, now))))
}

#[utoipa::path(get, path = "/api/v1/leads", tag = "work", security(("bearer" = [])), params(LeadQuery),
    responses((status = 200, body = Vec<LeadOut>)))]
pub async fn list_leads(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<LeadQuery>,
) -> ApiResult<Json<Vec<LeadOut>>> {
    let limit = super::page_limit(q.limit)?;
    let now = Timestamp::now();
    let list = state
        .store
        .leads(caller.company_id, q.call_id, q.client_id, limit)
        .await?;
    Ok(Json(
        list.into_iter().map(|l| LeadOut::at(l, now)).collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/leads/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = LeadOut), (status = 404, body = ErrorBody)))]
pub async fn get_lead(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<LeadOut>> {
    Ok(Json(LeadOut::at(
        state.store.lead(caller.company_id, id).await?,
        Timestamp::now(),
    )))
}

#[utoipa::path(patch, path = "/api/v1/leads/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)), request_body = StatusIn,
    responses((status = 200, body = LeadOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_lead(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<StatusIn>,
) -> ApiResult<Json<LeadOut>> {
    state.store.lead(caller.company_id, id).await?;
    let body = body.parse()?;
    let now = Timestamp::now();
    Ok(Json(LeadOut::at(
        state
            .store
            .set_lead_status(caller.company_id, id, body.status_id, now)
            .await?,
        now,
    )))
}

// ----- tasks ------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskOut {
    pub id: i64,
    pub title: String,
    pub author_id: Option<i64>,
    pub assignee_ids: Vec<i64>,
    /// `shared` or `each` (R-A3).
    pub mode: String,
    pub due_at: Option<String>,
    /// `open`, `done` or `cancelled` (R-M8).
    pub status: String,
    pub completed_by: Option<i64>,
    pub completed_at: Option<String>,
    /// Why it was cancelled, in the company's language (R-C3a: "call was answered").
    pub cancel_reason: Option<String>,
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub call_id: Option<i64>,
    pub created_at: String,
}

impl TaskOut {
    fn new(t: Task, locale: ringdesk_domain::company::Locale) -> TaskOut {
        TaskOut {
            id: t.id,
            title: t.title,
            author_id: t.author_id,
            assignee_ids: t.assignee_ids,
            mode: t.mode,
            due_at: time(t.due_at),
            status: t.status.as_str().to_owned(),
            completed_by: t.completed_by,
            completed_at: time(t.completed_at),
            cancel_reason: t.cancel_reason.map(|k| {
                ringdesk_domain::texts::Text::from_key(&k)
                    .map(|x| x.in_locale(locale).to_owned())
                    .unwrap_or(k)
            }),
            order_id: t.order_id,
            lead_id: t.lead_id,
            call_id: t.call_id,
            created_at: t.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TaskQuery {
    pub call_id: Option<i64>,
    /// What this employee's task list shows (R-A3).
    pub assignee_id: Option<i64>,
    pub limit: Option<i64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteIn {
    /// With an API token: who completes it. A signed-in employee completes it as themselves.
    pub employee_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/tasks", tag = "work", security(("bearer" = [])), params(TaskQuery),
    responses((status = 200, body = Vec<TaskOut>)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<TaskQuery>,
) -> ApiResult<Json<Vec<TaskOut>>> {
    let limit = super::page_limit(q.limit)?;
    let locale = state.store.company(caller.company_id).await?.locale;
    let list = state
        .store
        .tasks(caller.company_id, q.call_id, q.assignee_id, limit)
        .await?;
    Ok(Json(
        list.into_iter().map(|t| TaskOut::new(t, locale)).collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TaskOut), (status = 404, body = ErrorBody)))]
pub async fn get_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskOut>> {
    let locale = state.store.company(caller.company_id).await?.locale;
    Ok(Json(TaskOut::new(
        state.store.task(caller.company_id, id).await?,
        locale,
    )))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/complete", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = CompleteIn, description = "Optional; `employee_id` with an API token"),
    responses((status = 200, body = TaskOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Already completed or cancelled"),
              (status = 422, body = ErrorBody, description = "Not an assignee")))]
pub async fn complete_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<CompleteIn>,
) -> ApiResult<Json<TaskOut>> {
    state.store.task(caller.company_id, id).await?;
    let body: CompleteIn = if body.is_empty() {
        CompleteIn::default()
    } else {
        body.parse()?
    };
    let employee_id = match (caller.credential, body.employee_id) {
        (Credential::Token(_), Some(e)) => e,
        (Credential::Session(_), Some(e)) if e != caller.employee.id => {
            return Err(AppError::forbidden(
                "employee_id: a signed-in employee completes tasks as themselves",
            ))
        }
        _ => caller.employee.id,
    };
    let locale = state.store.company(caller.company_id).await?.locale;
    let t = state
        .store
        .complete_task(caller.company_id, id, employee_id, Timestamp::now())
        .await?;
    Ok(Json(TaskOut::new(t, locale)))
}

// ----- notifications (R-L6) -------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationOut {
    pub id: i64,
    pub employee_id: i64,
    /// `new_lead` or `lead_assigned`.
    pub kind: String,
    pub title: String,
    pub lead_id: Option<i64>,
    pub call_id: Option<i64>,
    pub created_at: String,
    pub read_at: Option<String>,
}

impl From<Notification> for NotificationOut {
    fn from(n: Notification) -> Self {
        NotificationOut {
            id: n.id,
            employee_id: n.employee_id,
            kind: n.kind,
            title: n.title,
            lead_id: n.lead_id,
            call_id: n.call_id,
            created_at: n.created_at.to_string(),
            read_at: time(n.read_at),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NotificationQuery {
    /// With an API token: whose notifications (default: the token's employee).
    pub employee_id: Option<i64>,
    pub unread: Option<bool>,
    pub limit: Option<i64>,
}

/// Whose notifications: a session's own; a token may name an employee of its company.
async fn whose(
    state: &AppState,
    caller: &Caller,
    employee_id: Option<i64>,
) -> Result<i64, AppError> {
    match (caller.credential, employee_id) {
        (Credential::Token(_), Some(e)) => {
            state
                .store
                .employee(caller.company_id, e)
                .await
                .map_err(|_| {
                    AppError::invalid("employee_id", format!("no employee {e} in this company"))
                })?;
            Ok(e)
        }
        (Credential::Session(_), Some(e)) if e != caller.employee.id => Err(AppError::forbidden(
            "employee_id: a signed-in employee sees their own notifications",
        )),
        _ => Ok(caller.employee.id),
    }
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "work", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = Vec<NotificationOut>, description = "Newest first")))]
pub async fn list_notifications(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<Vec<NotificationOut>>> {
    let employee_id = whose(&state, &caller, q.employee_id).await?;
    let limit = super::page_limit(q.limit)?;
    let list = state
        .store
        .notifications(
            caller.company_id,
            employee_id,
            q.unread.unwrap_or(false),
            limit,
        )
        .await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = CompleteIn, description = "Optional; `employee_id` with an API token"),
    responses((status = 204, description = "Read"), (status = 404, body = ErrorBody)))]
pub async fn read_notification(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<CompleteIn>,
) -> ApiResult<StatusCode> {
    let body: CompleteIn = if body.is_empty() {
        CompleteIn::default()
    } else {
        body.parse()?
    };
    let employee_id = whose(&state, &caller, body.employee_id).await?;
    state
        .store
        .read_notification(caller.company_id, employee_id, id, Timestamp::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

//! Work orders, leads, tasks and notifications: what the telephony automation
//! makes (SPEC §4, §5) and what people need to see and finish it. The leads,
//! orders and quotes issue adds the rest of R-M1…R-M8 to these resources.

use crate::auth::{Caller, Credential};
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::{Path, Query};
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::company::Permission;
use ringdesk_domain::phone;
use ringdesk_domain::quote;
use ringdesk_domain::work::{offers_clients, LeadStatusGroup};
use ringdesk_store::{
    Lead, LeadFilter, LeadPatch, LeadSort, NewLead, NewWorkOrder, Notification, Task, TaskFilter,
    WorkOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn time(t: Option<Timestamp>) -> Option<String> {
    t.map(|t| t.to_string())
}

/// A number as typed, read with the company's country (R-P2).
pub(crate) async fn phone_of(
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
    /// The lead it is linked to (R-M6).
    pub lead_id: Option<i64>,
    /// The quote it was converted from (R-M7).
    pub quote_id: Option<i64>,
    /// For an order converted from a quote: the quote's description, one
    /// line per item (`Paint: 1.5 × 12.50 = 18.75`) and the total, in the
    /// company's language.
    pub description: Option<String>,
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
            lead_id: o.lead_id,
            quote_id: o.quote_id,
            description: o.description,
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
pub struct OrderPatchIn {
    pub status_id: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OrderQuery {
    pub client_id: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Keyset pagination: orders with an id below this one (newest first).
    pub before_id: Option<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderWithSuggestions {
    #[serde(flatten)]
    pub order: OrderOut,
    /// R-M6: open leads on the order's phone, offered for linking
    /// (`POST /api/v1/orders/{id}/link-lead`).
    pub suggested_leads: Vec<LeadOut>,
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "work", security(("bearer" = [])), request_body = OrderIn,
    responses((status = 201, body = OrderWithSuggestions), (status = 422, body = ErrorBody, description = "Names the field, e.g. a client of another company")))]
pub async fn create_order(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<OrderIn>,
) -> ApiResult<(StatusCode, Json<OrderWithSuggestions>)> {
    let body = body.parse()?;
    let phone = phone_of(&state, caller.company_id, "phone", body.phone.as_deref()).await?;
    let new = NewWorkOrder {
        client_id: body.client_id,
        phone: phone.clone(),
        status_id: body.status_id,
        creator_id: Some(caller.employee.id),
        quote_id: None,
        description: None,
    };
    let now = Timestamp::now();
    let o = state
        .store
        .create_order(caller.company_id, &new, now)
        .await?;
    let suggested_leads = match &phone {
        Some(p) => state
            .store
            .open_leads_on(caller.company_id, &p.key)
            .await?
            .into_iter()
            .map(|l| LeadOut::at(l, now))
            .collect(),
        None => vec![],
    };
    Ok((
        StatusCode::CREATED,
        Json(OrderWithSuggestions {
            order: o.into(),
            suggested_leads,
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkLeadIn {
    pub lead_id: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OrderLeadOut {
    pub order: OrderOut,
    pub lead: LeadOut,
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/link-lead", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LinkLeadIn,
    responses((status = 200, body = OrderLeadOut, description = "The lead moves to the system status order_successful, whatever the transfer rules"),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn link_order_lead(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<LinkLeadIn>,
) -> ApiResult<Json<OrderLeadOut>> {
    state.store.order(caller.company_id, id).await?;
    let body = body.parse()?;
    let now = Timestamp::now();
    let (o, l) = state
        .store
        .link_order_lead(caller.company_id, id, body.lead_id, now)
        .await?;
    Ok(Json(OrderLeadOut {
        order: o.into(),
        lead: LeadOut::at(l, now),
    }))
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
        .orders(caller.company_id, q.client_id, q.before_id, limit)
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

#[utoipa::path(patch, path = "/api/v1/orders/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)), request_body = OrderPatchIn,
    responses((status = 200, body = OrderOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_order(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<OrderPatchIn>,
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

// ----- leads (R-M1, R-M2, R-M4, R-M5) ---------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadOut {
    pub id: i64,
    /// From the company's numbering template (R-M3).
    pub number: String,
    pub type_id: i64,
    pub status_id: i64,
    pub client_id: Option<i64>,
    /// The client's name, or the free name typed ("Unknown client" from a call, R-L4).
    pub client_name: String,
    pub phone: Option<String>,
    /// R-M1's comment ("Missed call" for a lead from a missed call).
    pub description: Option<String>,
    pub ad_campaign_id: Option<i64>,
    /// Null: "not specified".
    pub location_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub creator_id: Option<i64>,
    /// `call_answered`, `call_missed` or `manual`.
    pub source: String,
    pub call_id: Option<i64>,
    /// The calls its history shows: its own, and later calls linked to it (R-L3).
    pub call_ids: Vec<i64>,
    /// "To be done by".
    pub due_at: Option<String>,
    pub urgent: bool,
    /// R-M4: open and past its deadline.
    pub overdue: bool,
    /// How long it has been overdue (0 when it is not).
    pub overdue_seconds: i64,
    /// The values of its type's own form fields.
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
}

impl LeadOut {
    pub fn at(l: Lead, now: Timestamp) -> LeadOut {
        let overdue = ringdesk_domain::work::overdue_seconds(l.due_at, l.open, now);
        LeadOut {
            id: l.id,
            number: l.number,
            type_id: l.type_id,
            status_id: l.status_id,
            client_id: l.client_id,
            client_name: l.client_name,
            phone: l.phone,
            description: l.description,
            ad_campaign_id: l.ad_campaign_id,
            location_id: l.location_id,
            manager_id: l.manager_id,
            creator_id: l.creator_id,
            source: l.source,
            call_id: l.call_id,
            call_ids: l.call_ids,
            due_at: time(l.due_at),
            urgent: l.urgent,
            overdue: overdue.is_some(),
            overdue_seconds: overdue.unwrap_or(0),
            fields: l.fields,
            created_at: l.created_at.to_string(),
        }
    }
}

/// A client whose phone is exactly the lead's (R-M5).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SuggestedClient {
    pub id: i64,
    pub name: String,
    /// `phone`, `mobile`, `branch` or `contact`.
    pub matched_on: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadWithSuggestions {
    #[serde(flatten)]
    pub lead: LeadOut,
    /// R-M5: clients on the lead's number, offered for linking, while the lead
    /// has no client. Only for employees with `view_clients`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_clients: Option<Vec<SuggestedClient>>,
}

async fn with_suggestions(
    state: &AppState,
    caller: &Caller,
    l: Lead,
    key: Option<&phone::PhoneNumber>,
) -> Result<LeadWithSuggestions, AppError> {
    let suggested_clients = match key {
        Some(n) if offers_clients(l.client_id.is_some(), &caller.permissions) => Some(
            state
                .store
                .lookup(caller.company_id, &n.key)
                .await?
                .into_iter()
                .map(|m| SuggestedClient {
                    id: m.client_id,
                    name: m.name,
                    matched_on: m.matched_on.as_str().to_owned(),
                })
                .collect(),
        ),
        _ => None,
    };
    Ok(LeadWithSuggestions {
        lead: LeadOut::at(l, Timestamp::now()),
        suggested_clients,
    })
}

pub(crate) fn parse_time(field: &str, s: &str) -> Result<Timestamp, AppError> {
    ringdesk_domain::time::rfc3339(s).ok_or_else(|| {
        AppError::invalid(
            field,
            format!("{s:?} is not an RFC 3339 time such as 2026-06-19T13:00:00Z"),
        )
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadIn {
    /// Default: the company's first lead type; the status defaults to the type's initial one.
    pub type_id: Option<i64>,
    pub status_id: Option<i64>,
    pub client_id: Option<i64>,
    /// The free name, when no client is linked.
    pub client_name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    /// Default: the creator.
    pub manager_id: Option<i64>,
    pub ad_campaign_id: Option<i64>,
    pub location_id: Option<i64>,
    /// RFC 3339.
    pub due_at: Option<String>,
    #[serde(default)]
    pub urgent: bool,
    #[serde(default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadPatchIn {
    pub status_id: Option<i64>,
    /// A client to link (its profile replaces the free name and phone), or null to unlink.
    #[serde(default, deserialize_with = "some")]
    pub client_id: Option<Option<i64>>,
    pub client_name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    pub manager_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    pub ad_campaign_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    pub location_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    pub due_at: Option<Option<String>>,
    pub urgent: Option<bool>,
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Tells a field sent as null (`Some(None)`) from one not sent (`None`).
fn some<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LeadQuery {
    /// The leads this call made or was linked to.
    pub call_id: Option<i64>,
    pub client_id: Option<i64>,
    #[param(schema_with = crate::openapi::lead_status_group)]
    pub status_group: Option<String>,
    pub manager_id: Option<i64>,
    pub overdue: Option<bool>,
    pub urgent: Option<bool>,
    #[param(schema_with = crate::openapi::lead_source)]
    pub source: Option<String>,
    /// Created at or after (RFC 3339).
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// Created before (RFC 3339).
    #[param(format = DateTime)]
    pub to: Option<String>,
    /// Searches the client's name, the phone and the number.
    pub q: Option<String>,
    /// `-created_at` (the default): newest first.
    #[param(schema_with = crate::openapi::lead_sort)]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/leads", tag = "work", security(("bearer" = [])), request_body = LeadIn,
    responses((status = 201, body = LeadWithSuggestions), (status = 422, body = ErrorBody)))]
pub async fn create_lead(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<LeadIn>,
) -> ApiResult<(StatusCode, Json<LeadWithSuggestions>)> {
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
    let phone = phone_of(&state, caller.company_id, "phone", body.phone.as_deref()).await?;
    let new = NewLead {
        type_id: body.type_id,
        status_id: body.status_id,
        client_id: body.client_id,
        client_name: body.client_name.map(|n| n.trim().to_owned()),
        phone: phone.clone(),
        description: body.description,
        manager_id: Some(body.manager_id.unwrap_or(caller.employee.id)),
        creator_id: Some(caller.employee.id),
        ad_campaign_id: body.ad_campaign_id,
        location_id: body.location_id,
        due_at: body
            .due_at
            .as_deref()
            .map(|d| parse_time("due_at", d))
            .transpose()?,
        urgent: body.urgent,
        fields: body.fields,
    };
    let l = state
        .store
        .create_lead(caller.company_id, &new, Timestamp::now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(with_suggestions(&state, &caller, l, phone.as_ref()).await?),
    ))
}

/// `GET /api/v1/leads`' query read as the store's filter (R-M1), shared with
/// the `/leads` page; `now` decides `overdue` (R-M4).
pub(crate) fn lead_filter(q: LeadQuery, now: Timestamp) -> Result<LeadFilter, AppError> {
    if let Some(g) = q.status_group.as_deref() {
        if LeadStatusGroup::parse(g).is_none() {
            return Err(AppError::invalid(
                "status_group",
                format!("{g:?} is not new, in_progress, won or lost"),
            ));
        }
    }
    if let Some(s) = q.source.as_deref() {
        if !["manual", "call_answered", "call_missed"].contains(&s) {
            return Err(AppError::invalid(
                "source",
                format!("{s:?} is not manual, call_answered or call_missed"),
            ));
        }
    }
    let sort = match q.sort.as_deref() {
        None | Some("-created_at") => LeadSort::Newest,
        Some("created_at") => LeadSort::Oldest,
        Some("due_at") => LeadSort::DueSoonest,
        Some("number") => LeadSort::Number,
        Some(other) => {
            return Err(AppError::invalid(
                "sort",
                format!("{other:?} is not -created_at, created_at, due_at or number"),
            ))
        }
    };
    let offset = q.offset.unwrap_or(0);
    if offset < 0 {
        return Err(AppError::invalid("offset", "must not be negative"));
    }
    Ok(LeadFilter {
        call_id: q.call_id,
        client_id: q.client_id,
        status_group: q.status_group,
        manager_id: q.manager_id,
        overdue: q.overdue.map(|o| (o, now)),
        urgent: q.urgent,
        source: q.source,
        created_from: q
            .from
            .as_deref()
            .map(|t| parse_time("from", t))
            .transpose()?,
        created_to: q.to.as_deref().map(|t| parse_time("to", t)).transpose()?,
        q: q.q,
        sort,
        limit: super::page_limit(q.limit)?,
        offset,
    })
}

#[utoipa::path(get, path = "/api/v1/leads", tag = "work", security(("bearer" = [])), params(LeadQuery),
    responses((status = 200, body = Vec<LeadOut>), (status = 422, body = ErrorBody)))]
pub async fn list_leads(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<LeadQuery>,
) -> ApiResult<Json<Vec<LeadOut>>> {
    // Whole milliseconds, as the store keeps times, so the `overdue` filter
    // and each lead's `overdue` flag agree to the millisecond.
    let now = Timestamp::from_millisecond(Timestamp::now().as_millisecond()).expect("now");
    let filter = lead_filter(q, now)?;
    let list = state.store.leads(caller.company_id, &filter).await?;
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

#[utoipa::path(patch, path = "/api/v1/leads/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LeadPatchIn,
    responses((status = 200, body = LeadWithSuggestions), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "A forbidden status change names both statuses")))]
pub async fn patch_lead(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<LeadPatchIn>,
) -> ApiResult<Json<LeadWithSuggestions>> {
    state.store.lead(caller.company_id, id).await?;
    let body = body.parse()?;
    let phone = match &body.phone {
        Some(Some(p)) => Some(phone_of(&state, caller.company_id, "phone", Some(p)).await?),
        Some(None) => Some(None),
        None => None,
    };
    let patch = LeadPatch {
        status_id: body.status_id,
        client_id: body.client_id,
        client_name: body.client_name.map(|n| n.trim().to_owned()),
        phone: phone.clone(),
        description: body.description,
        manager_id: body.manager_id,
        ad_campaign_id: body.ad_campaign_id,
        location_id: body.location_id,
        due_at: body
            .due_at
            .map(|d| d.as_deref().map(|d| parse_time("due_at", d)).transpose())
            .transpose()?,
        urgent: body.urgent,
        fields: body.fields,
    };
    let l = state
        .store
        .update_lead(caller.company_id, id, &patch, Timestamp::now())
        .await?;
    Ok(Json(
        with_suggestions(&state, &caller, l, phone.flatten().as_ref()).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadClientIn {
    /// Default: the lead's free name.
    pub name: Option<String>,
    /// One or more numbers; default: the lead's phone.
    #[serde(default)]
    pub phones: Vec<super::clients::PhoneIn>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadClientOut {
    pub client: super::clients::ClientOut,
    pub lead: LeadOut,
}

#[utoipa::path(post, path = "/api/v1/leads/{id}/client", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LeadClientIn,
    responses((status = 201, body = LeadClientOut, description = "R-M5 \"+ Client\": a new client, linked"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn client_from_lead(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<LeadClientIn>,
) -> ApiResult<(StatusCode, Json<LeadClientOut>)> {
    caller.require(Permission::ViewClients)?;
    let lead = state.store.lead(caller.company_id, id).await?;
    let body = body.parse()?;
    let country = state
        .store
        .ingest_context(caller.company_id)
        .await?
        .country
        .clone();
    let name = body.name.unwrap_or(lead.client_name.clone());
    let name = ringdesk_domain::company::person_or_company_name("name", &name)?;
    let mut phones = super::clients::phones(&body.phones, &country)?;
    if phones.is_empty() {
        if let Some(p) = lead.phone.as_deref() {
            let number =
                phone::normalise(p, &country).map_err(|e| AppError::invalid("phones", e))?;
            phones.push(ringdesk_store::NewClientPhone {
                number,
                kind: ringdesk_store::PhoneKind::Phone,
            });
        }
    }
    let new = ringdesk_store::NewClient {
        name,
        phones,
        branches: vec![],
        contacts: vec![],
    };
    let now = Timestamp::now();
    let (client, lead) = state
        .store
        .client_from_lead(caller.company_id, id, &new, now)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LeadClientOut {
            client: client.into(),
            lead: LeadOut::at(lead, now),
        }),
    ))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HistoryOut {
    /// `call`, `lead`, `order`, `quote` or `task`.
    pub kind: String,
    pub id: i64,
    pub at: String,
    /// A call's direction, a task's title, a lead's, order's or quote's number.
    pub title: String,
    pub status: Option<String>,
}

fn history_out(items: Vec<ringdesk_store::HistoryItem>) -> Vec<HistoryOut> {
    items
        .into_iter()
        .map(|h| HistoryOut {
            kind: h.kind,
            id: h.id,
            at: h.at.to_string(),
            title: h.title,
            status: h.status,
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/leads/{id}/history", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<HistoryOut>, description = "Newest first"), (status = 404, body = ErrorBody)))]
pub async fn lead_history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<HistoryOut>>> {
    Ok(Json(history_out(
        state.store.lead_history(caller.company_id, id).await?,
    )))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/history", tag = "clients", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<HistoryOut>, description = "Calls, leads, orders, quotes and tasks, newest first"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn client_history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<HistoryOut>>> {
    caller.require(Permission::ViewClients)?;
    Ok(Json(history_out(
        state.store.client_history(caller.company_id, id).await?,
    )))
}

// ----- tasks ------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TaskOut {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
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
    pub(crate) fn new(t: Task, locale: ringdesk_domain::company::Locale) -> TaskOut {
        TaskOut {
            id: t.id,
            title: t.title,
            description: t.description,
            author_id: t.author_id,
            assignee_ids: t.assignee_ids,
            mode: t.mode.as_str().to_owned(),
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
    /// "My tasks": the caller's, open ones first and overdue before the rest.
    pub mine: Option<bool>,
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
    #[param(schema_with = crate::openapi::task_status)]
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskIn {
    #[schema(schema_with = crate::openapi::person_name)]
    pub title: String,
    pub description: Option<String>,
    /// Default: the creator alone.
    #[serde(default)]
    pub assignee_ids: Vec<i64>,
    /// `shared` (the default: one task for all the assignees) or `each` (one task per assignee).
    #[schema(schema_with = crate::openapi::task_mode_or_null)]
    pub mode: Option<String>,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub due_at: Option<String>,
    /// At most one of `order_id` and `lead_id`.
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/tasks", tag = "work", security(("bearer" = [])), request_body = TaskIn,
    responses((status = 201, body = Vec<TaskOut>, description = "One task, or one per assignee with mode each"), (status = 422, body = ErrorBody)))]
pub async fn create_task(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<TaskIn>,
) -> ApiResult<(StatusCode, Json<Vec<TaskOut>>)> {
    let body = body.parse()?;
    let title = body.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid("title", "must be 1 to 200 characters"));
    }
    if body.order_id.is_some() && body.lead_id.is_some() {
        return Err(AppError::invalid(
            "lead_id",
            "a task links to one work order or one lead, not both",
        ));
    }
    let mode = match body.mode.as_deref() {
        None => ringdesk_domain::automation::TaskMode::Shared,
        Some(m) => ringdesk_domain::automation::TaskMode::parse(m)
            .ok_or_else(|| AppError::invalid("mode", format!("{m:?} is not shared or each")))?,
    };
    let assignees = if body.assignee_ids.is_empty() {
        vec![caller.employee.id]
    } else {
        body.assignee_ids
    };
    let due_at = body
        .due_at
        .as_deref()
        .map(|d| parse_time("due_at", d))
        .transpose()?;
    let locale = state.store.company(caller.company_id).await?.locale;
    let t = ringdesk_store::NewTask {
        title: title.to_owned(),
        description: body.description,
        author_id: caller.employee.id,
        assignee_ids: assignees,
        mode,
        due_at,
        order_id: body.order_id,
        lead_id: body.lead_id,
    };
    let out = state
        .store
        .create_tasks(caller.company_id, &t, Timestamp::now())
        .await?
        .into_iter()
        .map(|t| TaskOut::new(t, locale))
        .collect();
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/reopen", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TaskOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Already open")))]
pub async fn reopen_task(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<TaskOut>> {
    let locale = state.store.company(caller.company_id).await?.locale;
    Ok(Json(TaskOut::new(
        state
            .store
            .reopen_task(caller.company_id, id, Timestamp::now())
            .await?,
        locale,
    )))
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
    let mine = q.mine.unwrap_or(false);
    let status = match q.status.as_deref() {
        None => None,
        Some(s @ ("open" | "done" | "cancelled")) => ringdesk_store::TaskStatus::parse(s),
        Some(other) => {
            return Err(AppError::invalid(
                "status",
                format!("{other:?} is not open, done or cancelled"),
            ))
        }
    };
    let filter = TaskFilter {
        call_id: q.call_id,
        assignee_id: if mine {
            Some(caller.employee.id)
        } else {
            q.assignee_id
        },
        order_id: q.order_id,
        lead_id: q.lead_id,
        status,
        overdue_first_at: mine.then(Timestamp::now),
        limit,
    };
    let list = state.store.tasks(caller.company_id, &filter).await?;
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
    /// `new_lead`, `lead_assigned`, `lead_overdue` or `callback_sla_breached`
    /// (a missed call not called back within the SLA; `call_id` names it).
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
    #[param(minimum = 1, maximum = 200)]
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

// ----- the employee's choice of lead notifications (R-L6) --------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPrefsIO {
    /// A new lead for me (I am among the notified employees).
    pub new_lead: bool,
    /// A lead assigned to me (I am its manager).
    pub lead_assigned: bool,
    /// My lead is overdue.
    pub lead_overdue: bool,
}

#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "work", security(("bearer" = [])),
    responses((status = 200, body = NotificationPrefsIO)))]
pub async fn get_notification_prefs(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<NotificationPrefsIO>> {
    let p = state
        .store
        .notification_prefs(caller.company_id, caller.employee.id)
        .await?;
    Ok(Json(NotificationPrefsIO {
        new_lead: p.new_lead,
        lead_assigned: p.lead_assigned,
        lead_overdue: p.lead_overdue,
    }))
}

#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "work", security(("bearer" = [])), request_body = NotificationPrefsIO,
    responses((status = 200, body = NotificationPrefsIO), (status = 422, body = ErrorBody)))]
pub async fn put_notification_prefs(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<NotificationPrefsIO>,
) -> ApiResult<Json<NotificationPrefsIO>> {
    let b = body.parse()?;
    let p = ringdesk_store::NotificationPrefs {
        new_lead: b.new_lead,
        lead_assigned: b.lead_assigned,
        lead_overdue: b.lead_overdue,
    };
    state
        .store
        .set_notification_prefs(caller.company_id, caller.employee.id, &p)
        .await?;
    Ok(Json(b))
}

// ----- quotes (R-M7) ----------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuoteOut {
    pub id: i64,
    pub number: String,
    /// `phone`, `email`, `chat`, `visit` or `other`.
    pub channel: String,
    /// The contact: the caller's number for a quote from a call.
    pub contact: String,
    pub client_id: Option<i64>,
    pub call_id: Option<i64>,
    pub description: Option<String>,
    /// `open` or `converted`.
    pub status: String,
    /// The work order it became.
    pub order_id: Option<i64>,
    pub creator_id: Option<i64>,
    pub created_at: String,
    pub converted_at: Option<String>,
    /// Its lines, in order.
    pub items: Vec<QuoteItemOut>,
    /// The sum of the lines' totals, a decimal string with two decimals
    /// (`"24.75"`; `"0.00"` with no lines).
    #[schema(pattern = r"^[0-9]+\.[0-9]{2}$")]
    pub total: String,
}

/// One line of a quote, amounts as decimal strings with `.` (never floats).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QuoteItemOut {
    /// From 0, in the order given.
    pub position: i64,
    pub description: String,
    /// With the decimals it needs (`"1.5"`, `"2"`), at most 3.
    #[schema(pattern = r"^[0-9]+(\.[0-9]{1,3})?$")]
    pub quantity: String,
    /// Two decimals (`"12.50"`).
    #[schema(pattern = r"^[0-9]+\.[0-9]{2}$")]
    pub unit_price: String,
    /// Quantity × unit price, rounded half up to the cent (`"18.75"`).
    #[schema(pattern = r"^[0-9]+\.[0-9]{2}$")]
    pub total: String,
}

impl From<ringdesk_store::QuoteItem> for QuoteItemOut {
    fn from(i: ringdesk_store::QuoteItem) -> Self {
        QuoteItemOut {
            position: i.position,
            description: i.description,
            quantity: quote::format_quantity(i.quantity_milli, '.'),
            unit_price: quote::format_money(i.unit_price_cents, '.'),
            total: quote::format_money(i.total_cents, '.'),
        }
    }
}

impl From<ringdesk_store::Quote> for QuoteOut {
    fn from(q: ringdesk_store::Quote) -> Self {
        QuoteOut {
            id: q.id,
            number: q.number,
            channel: q.channel,
            contact: q.contact,
            client_id: q.client_id,
            call_id: q.call_id,
            description: q.description,
            status: q.status,
            order_id: q.order_id,
            creator_id: q.creator_id,
            created_at: q.created_at.to_string(),
            converted_at: time(q.converted_at),
            total: quote::format_money(q.total_cents, '.'),
            items: q.items.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteIn {
    #[schema(schema_with = crate::openapi::quote_channel)]
    pub channel: String,
    /// With channel `phone`, a phone number the company's country reads.
    #[schema(min_length = 1, pattern = r"\S")]
    pub contact: String,
    pub client_id: Option<i64>,
    pub description: Option<String>,
    /// The quote's lines (none if absent), at most 100.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub items: Vec<QuoteItemIn>,
}

/// One line of a quote as sent. Quantity and unit price are **decimal
/// strings**, never JSON numbers (no float money): digits, then `.` or `,`
/// and the decimals, no sign, exponent, thousands separator or leading zero.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteItemIn {
    /// 1–200 characters, not only spaces (trimmed).
    #[schema(schema_with = crate::openapi::quote_line_description)]
    pub description: String,
    /// More than 0, at most 999999.999, at most 3 decimals: `"1"`, `"1.5"`, `"0,25"`.
    #[schema(schema_with = crate::openapi::quote_quantity)]
    pub quantity: String,
    /// 0 or more, at most 99999999.99, at most 2 decimals: `"12.50"`, `"12,5"`, `"0"`.
    #[schema(schema_with = crate::openapi::quote_price)]
    pub unit_price: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallQuoteIn {
    pub description: Option<String>,
    /// The quote's lines (none if absent), at most 100.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub items: Vec<QuoteItemIn>,
}

/// `PUT /api/v1/quotes/{id}/items`: the quote's new lines (all of them).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteItemsIn {
    /// At most 100; `[]` removes every line.
    #[schema(max_items = 100)]
    pub items: Vec<QuoteItemIn>,
}

/// Reads the lines as the domain does (`ringdesk_domain::quote::parse_lines`):
/// every refused cell, each named as in the API (`items[2].quantity`).
pub(crate) fn quote_lines(
    items: &[QuoteItemIn],
) -> Result<Vec<quote::QuoteLine>, Vec<quote::LineError>> {
    let inputs: Vec<quote::LineInput> = items
        .iter()
        .map(|i| quote::LineInput {
            description: i.description.clone(),
            quantity: i.quantity.clone(),
            unit_price: i.unit_price.clone(),
        })
        .collect();
    quote::parse_lines(&inputs)
}

/// The first refused line as R-X2's 422.
fn lines_or_422(items: &[QuoteItemIn]) -> Result<Vec<quote::QuoteLine>, AppError> {
    quote_lines(items).map_err(|errors| {
        let f = errors[0].to_field_error("items");
        AppError::invalid(&f.field, f.problem)
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct QuoteQuery {
    pub client_id: Option<i64>,
    pub call_id: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

pub(crate) const CHANNELS: [&str; 5] = ["phone", "email", "chat", "visit", "other"];

/// Why a quote made by hand was refused: the field and the problem.
pub(crate) struct QuoteInputError {
    pub field: &'static str,
    pub problem: String,
}

impl QuoteInputError {
    pub(crate) fn into_error(self) -> AppError {
        AppError::invalid(self.field, self.problem)
    }
}

/// R-M7: a quote made by hand, as the API and the quote page take it.
pub(crate) fn new_quote(
    country: &phone::Country,
    creator_id: i64,
    b: QuoteIn,
    items: Vec<quote::QuoteLine>,
) -> Result<ringdesk_store::NewQuote, QuoteInputError> {
    if !CHANNELS.contains(&b.channel.as_str()) {
        return Err(QuoteInputError {
            field: "channel",
            problem: format!("{:?} is not one of {}", b.channel, CHANNELS.join(", ")),
        });
    }
    let contact = b.contact.trim();
    if contact.is_empty() {
        return Err(QuoteInputError {
            field: "contact",
            problem: "must not be empty".into(),
        });
    }
    let key = if b.channel == "phone" {
        let n = phone::normalise(contact, country).map_err(|e| QuoteInputError {
            field: "contact",
            problem: e.to_string(),
        })?;
        Some(n.key.as_str().to_owned())
    } else {
        None
    };
    Ok(ringdesk_store::NewQuote {
        channel: b.channel,
        contact: contact.to_owned(),
        contact_key: key,
        client_id: b.client_id,
        call_id: None,
        description: b.description,
        creator_id: Some(creator_id),
        items,
    })
}

#[utoipa::path(post, path = "/api/v1/quotes", tag = "work", security(("bearer" = [])), request_body = QuoteIn,
    responses((status = 201, body = QuoteOut), (status = 422, body = ErrorBody)))]
pub async fn create_quote(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<QuoteIn>,
) -> ApiResult<(StatusCode, Json<QuoteOut>)> {
    let b: QuoteIn = body.parse()?;
    let ctx = state.store.ingest_context(caller.company_id).await?;
    let items = lines_or_422(&b.items)?;
    let q = new_quote(&ctx.country, caller.employee.id, b, items).map_err(|e| e.into_error())?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .create_quote(caller.company_id, &q, Timestamp::now())
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(post, path = "/api/v1/calls/{id}/quote", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content = CallQuoteIn, description = "Optional"),
    responses((status = 201, body = QuoteOut, description = "The call's number as contact, channel phone, the call linked"), (status = 404, body = ErrorBody)))]
pub async fn quote_from_call(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<CallQuoteIn>,
) -> ApiResult<(StatusCode, Json<QuoteOut>)> {
    let call = state.store.call(caller.company_id, id).await?;
    if !ringdesk_domain::access::CallVisibility::of(caller.employee.id, &caller.permissions)
        .may_see(call.operator_id)
    {
        return Err(AppError::not_found("call"));
    }
    let b: CallQuoteIn = if body.is_empty() {
        CallQuoteIn::default()
    } else {
        body.parse()?
    };
    let items = lines_or_422(&b.items)?;
    let q = state
        .store
        .quote_from_call(
            caller.company_id,
            id,
            Some(caller.employee.id),
            b.description,
            items,
            Timestamp::now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(q.into())))
}

#[utoipa::path(put, path = "/api/v1/quotes/{id}/items", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = QuoteItemsIn,
    responses((status = 200, body = QuoteOut, description = "The quote with its new lines and total"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The quote is converted: its lines no longer change"),
        (status = 422, body = ErrorBody, description = "A line refused, named as `items[2].quantity`; nothing is changed")))]
pub async fn put_quote_items(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<QuoteItemsIn>,
) -> ApiResult<Json<QuoteOut>> {
    let b = body.parse()?;
    let items = lines_or_422(&b.items)?;
    let q = state
        .store
        .set_quote_items(
            caller.company_id,
            id,
            &items,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(Json(q.into()))
}

#[utoipa::path(get, path = "/api/v1/quotes", tag = "work", security(("bearer" = [])), params(QuoteQuery),
    responses((status = 200, body = Vec<QuoteOut>)))]
pub async fn list_quotes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<QuoteQuery>,
) -> ApiResult<Json<Vec<QuoteOut>>> {
    let limit = super::page_limit(q.limit)?;
    Ok(Json(
        state
            .store
            .quotes(caller.company_id, q.client_id, q.call_id, limit)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/quotes/{id}", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = QuoteOut), (status = 404, body = ErrorBody)))]
pub async fn get_quote(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<QuoteOut>> {
    Ok(Json(state.store.quote(caller.company_id, id).await?.into()))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConvertedOut {
    pub quote: QuoteOut,
    pub order: OrderOut,
}

#[utoipa::path(post, path = "/api/v1/quotes/{id}/convert", tag = "work", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = ConvertedOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "Already converted")))]
pub async fn convert_quote(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, Json<ConvertedOut>)> {
    let (q, o) = state
        .store
        .convert_quote(
            caller.company_id,
            id,
            Some(caller.employee.id),
            Timestamp::now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ConvertedOut {
            quote: q.into(),
            order: o.into(),
        }),
    ))
}

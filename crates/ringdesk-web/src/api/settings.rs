//! Statuses, lead types (R-M2, R-M6, R-X5) and Settings > Telephony >
//! Automation (R-X6), validated by the domain before anything is saved.

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::automation::{EmployeeStatus, TelephonySettings, TelephonySettingsPut};
use ringdesk_domain::company::Permission;
use ringdesk_domain::event::FieldError;
use ringdesk_store::Status;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatusOut {
    pub id: i64,
    pub name: String,
    /// Leads: `new`, `in_progress`, `won`, `lost`; orders: `new`, `in_progress`, `closed_success`, `closed_failure`.
    pub group: String,
    /// `order_successful` or `cancelled` for the system lead statuses, otherwise null.
    pub key: Option<String>,
}

fn status_out(s: Status) -> StatusOut {
    StatusOut {
        id: s.id,
        name: s.name,
        group: s.group,
        key: s.key,
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LeadTypeOut {
    pub id: i64,
    pub name: String,
    pub initial_status_id: i64,
    /// The type's own form fields (R-M2).
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<ringdesk_domain::work::FieldDef>,
}

impl From<ringdesk_store::LeadType> for LeadTypeOut {
    fn from(t: ringdesk_store::LeadType) -> Self {
        LeadTypeOut {
            id: t.id,
            name: t.name,
            initial_status_id: t.initial_status_id,
            fields: t.fields,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/lead-statuses", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<StatusOut>), (status = 401, body = ErrorBody)))]
pub async fn lead_statuses(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<StatusOut>>> {
    Ok(Json(
        state
            .store
            .lead_statuses(caller.company_id)
            .await?
            .into_iter()
            .map(status_out)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/order-statuses", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<StatusOut>), (status = 401, body = ErrorBody)))]
pub async fn order_statuses(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<StatusOut>>> {
    Ok(Json(
        state
            .store
            .order_statuses(caller.company_id)
            .await?
            .into_iter()
            .map(status_out)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/lead-types", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Vec<LeadTypeOut>), (status = 401, body = ErrorBody)))]
pub async fn lead_types(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<LeadTypeOut>>> {
    let types = state.store.lead_types(caller.company_id).await?;
    Ok(Json(types.into_iter().map(LeadTypeOut::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/settings/telephony", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = Object, description = "The R-X6 document"), (status = 403, body = ErrorBody)))]
pub async fn get_telephony(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<TelephonySettings>> {
    caller.require(Permission::ManageSettings)?;
    Ok(Json(
        state.store.telephony_settings(caller.company_id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/settings/telephony", tag = "settings", security(("bearer" = [])),
    request_body(content = Object, description = "The R-X6 document. The three rule blocks (`missed_call_task`, `answered_call_lead`, `missed_call_lead`) are required (422 names a missing one); inside a block a missing field takes its default; a scalar setting left out or null keeps its current value, and so does `business_hours` as a whole; inside `business_hours` a weekday left out is closed (the object is the whole week); unknown fields are refused"),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "Names the offending field")))]
pub async fn put_telephony(
    State(state): State<AppState>,
    caller: Caller,
    settings: JsonLater<TelephonySettingsPut>,
) -> ApiResult<Json<TelephonySettings>> {
    caller.require(Permission::ManageSettings)?;
    let settings = checked(&state, caller.company_id, settings.parse()?).await?;
    state
        .store
        .put_telephony_settings(
            caller.company_id,
            &settings,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    tracing::info!(
        company.id = caller.company_id,
        employee.id = caller.employee.id,
        "telephony settings changed"
    );
    Ok(Json(settings))
}

/// The settings a PUT body makes of the company's current ones, validated
/// against its employees and lead types (R-X6); nothing is saved.
async fn checked(
    state: &AppState,
    company_id: i64,
    put: TelephonySettingsPut,
) -> ApiResult<TelephonySettings> {
    Ok(validated(state, company_id, put).await??)
}

/// As [`checked`], with the domain's verdict apart from the store's
/// failures: the settings page shows the verdict beside its field
/// (`pages::settings::telephony`).
pub(crate) async fn validated(
    state: &AppState,
    company_id: i64,
    put: TelephonySettingsPut,
) -> ApiResult<Result<TelephonySettings, FieldError>> {
    let settings = put.over(&state.store.telephony_settings(company_id).await?);
    let employees = state.store.employees(company_id).await?;
    let types = state.store.lead_types(company_id).await?;
    let known = |id: i64| match employees.iter().find(|e| e.id == id) {
        Some(e) if e.active => EmployeeStatus::Active,
        Some(_) => EmployeeStatus::Inactive,
        None => EmployeeStatus::Unknown,
    };
    Ok(settings
        .validate(&known, &|id| types.iter().any(|t| t.id == id))
        .map(|()| settings))
}

/// How far back the automation preview looks.
pub const PREVIEW_DAYS: i64 = 7;

/// Item 8 of issue 11: what `settings` would have made of the calls that
/// ended in the last [`PREVIEW_DAYS`] days; the domain's decisions over stored
/// calls, nothing written. Shared with the settings page.
pub(crate) async fn preview(
    state: &AppState,
    company_id: i64,
    settings: &TelephonySettings,
) -> ApiResult<ringdesk_store::AutomationPreview> {
    let since = Timestamp::now() - jiff::SignedDuration::from_hours(24 * PREVIEW_DAYS);
    Ok(state
        .store
        .automation_preview(company_id, settings, since)
        .await?)
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PreviewCallOut {
    pub call_id: i64,
    /// Tasks the missed-call rule would make for it.
    pub tasks: usize,
    /// The lead rules that would make a lead of it.
    pub lead_rules: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PreviewOut {
    /// The period looked at: the calls that ended in the last `days` days.
    pub days: i64,
    pub calls_seen: usize,
    pub tasks: usize,
    pub leads: usize,
    /// The calls for which a rule would make something.
    pub calls: Vec<PreviewCallOut>,
}

#[utoipa::path(post, path = "/api/v1/settings/telephony/preview", tag = "settings", security(("bearer" = [])),
    request_body(content = Object, description = "A PUT /settings/telephony body, not saved"),
    responses((status = 200, body = PreviewOut, description = "What these settings would have made of the last 7 days' calls; nothing is written"), (status = 403, body = ErrorBody)))]
pub async fn preview_telephony(
    State(state): State<AppState>,
    caller: Caller,
    settings: JsonLater<TelephonySettingsPut>,
) -> ApiResult<Json<PreviewOut>> {
    caller.require(Permission::ManageSettings)?;
    let settings = checked(&state, caller.company_id, settings.parse()?).await?;
    let p = preview(&state, caller.company_id, &settings).await?;
    Ok(Json(PreviewOut {
        days: PREVIEW_DAYS,
        calls_seen: p.calls_seen,
        tasks: p.tasks,
        leads: p.leads,
        calls: p
            .calls
            .into_iter()
            .map(|c| PreviewCallOut {
                call_id: c.call_id,
                tasks: c.tasks,
                lead_rules: c.lead_rules.iter().map(|r| r.as_str().to_owned()).collect(),
            })
            .collect(),
    }))
}

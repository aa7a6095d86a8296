//! What a company sets up for its leads and orders (R-M2, R-M3, R-M1's lists):
//! lead types with their form fields, statuses, status transfer rules,
//! numbering templates, ad campaigns and locations. Changes need
//! `manage_settings`; reading the lists does not.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::Path;
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::company::Permission;
use ringdesk_domain::work::{
    group_names, validate_field_defs, FieldDef, LeadStatusGroup, NumberTemplate, OrderStatusGroup,
};
use ringdesk_store::{NamedItem, NamedList};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::settings::{LeadTypeOut, StatusOut};

pub(crate) fn name_of(field: &str, s: &str) -> Result<String, AppError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 100 {
        return Err(AppError::invalid(field, "must be 1 to 100 characters"));
    }
    Ok(s.to_owned())
}

/// R-M2, R-M6: the group a new status is put in, one of the groups of its
/// kind (`lead`: a lead status, else a work-order status). The API and the
/// statuses page (`pages::settings::lead_types`) both ask this.
pub(crate) fn status_group(lead: bool, group: &str) -> Result<&'static str, AppError> {
    let found = if lead {
        LeadStatusGroup::parse(group).map(LeadStatusGroup::as_str)
    } else {
        OrderStatusGroup::parse(group).map(OrderStatusGroup::as_str)
    };
    found.ok_or_else(|| {
        let groups = if lead {
            group_names(&LeadStatusGroup::ALL, LeadStatusGroup::as_str)
        } else {
            group_names(&OrderStatusGroup::ALL, OrderStatusGroup::as_str)
        };
        AppError::invalid("group", format!("{group:?} is not one of {groups}"))
    })
}

// ----- lead types ---------------------------------------------------------------

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadTypeIn {
    #[schema(schema_with = crate::openapi::list_name)]
    pub name: String,
    pub initial_status_id: i64,
    /// The type's own form fields: `{"key", "label", "kind": "text"|"number"|"date"|"choice"|"yes_no", "required", "options"}`.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::field_defs)]
    pub fields: Vec<FieldDef>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadTypePatchIn {
    #[schema(schema_with = crate::openapi::list_name_or_null)]
    pub name: Option<String>,
    pub initial_status_id: Option<i64>,
    #[schema(schema_with = crate::openapi::field_defs_or_null)]
    pub fields: Option<Vec<FieldDef>>,
}

#[utoipa::path(post, path = "/api/v1/lead-types", tag = "settings", security(("bearer" = [])), request_body = LeadTypeIn,
    responses((status = 201, body = LeadTypeOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_lead_type(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<LeadTypeIn>,
) -> ApiResult<(StatusCode, Json<LeadTypeOut>)> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    validate_field_defs(&b.fields)?;
    let t = state
        .store
        .create_lead_type(
            caller.company_id,
            &name_of("name", &b.name)?,
            b.initial_status_id,
            &b.fields,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[utoipa::path(patch, path = "/api/v1/lead-types/{id}", tag = "settings", security(("bearer" = [])), params(("id" = i64, Path)), request_body = LeadTypePatchIn,
    responses((status = 200, body = LeadTypeOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_lead_type(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<LeadTypePatchIn>,
) -> ApiResult<Json<LeadTypeOut>> {
    caller.require(Permission::ManageSettings)?;
    state.store.lead_type(caller.company_id, id).await?;
    let b = body.parse()?;
    if let Some(f) = &b.fields {
        validate_field_defs(f)?;
    }
    let name = b.name.as_deref().map(|n| name_of("name", n)).transpose()?;
    let t = state
        .store
        .update_lead_type(
            caller.company_id,
            id,
            name.as_deref(),
            b.initial_status_id,
            b.fields.as_deref(),
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(Json(t.into()))
}

// ----- statuses -------------------------------------------------------------------------

/// A new lead status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadStatusIn {
    #[schema(schema_with = crate::openapi::list_name)]
    pub name: String,
    #[schema(schema_with = crate::openapi::lead_status_group)]
    pub group: String,
}

/// A new work-order status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStatusIn {
    #[schema(schema_with = crate::openapi::list_name)]
    pub name: String,
    #[schema(schema_with = crate::openapi::order_status_group)]
    pub group: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameIn {
    #[schema(schema_with = crate::openapi::list_name)]
    pub name: String,
}

async fn create_status(
    state: &AppState,
    caller: &Caller,
    lead: bool,
    (name, group): (String, String),
) -> ApiResult<(StatusCode, Json<StatusOut>)> {
    let group = status_group(lead, &group)?;
    let s = state
        .store
        .create_status(
            caller.company_id,
            lead,
            &name_of("name", &name)?,
            group,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(StatusOut {
            id: s.id,
            name: s.name,
            group: s.group,
            key: s.key,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/lead-statuses", tag = "settings", security(("bearer" = [])), request_body = LeadStatusIn,
    responses((status = 201, body = StatusOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_lead_status(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<LeadStatusIn>,
) -> ApiResult<(StatusCode, Json<StatusOut>)> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    create_status(&state, &caller, true, (b.name, b.group)).await
}

#[utoipa::path(post, path = "/api/v1/order-statuses", tag = "settings", security(("bearer" = [])), request_body = OrderStatusIn,
    responses((status = 201, body = StatusOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_order_status(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<OrderStatusIn>,
) -> ApiResult<(StatusCode, Json<StatusOut>)> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    create_status(&state, &caller, false, (b.name, b.group)).await
}

#[utoipa::path(patch, path = "/api/v1/lead-statuses/{id}", tag = "settings", security(("bearer" = [])), params(("id" = i64, Path)), request_body = RenameIn,
    responses((status = 204, description = "Renamed; a system status keeps its key"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rename_lead_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<RenameIn>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    state
        .store
        .rename_status(
            caller.company_id,
            true,
            id,
            &name_of("name", &b.name)?,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(patch, path = "/api/v1/order-statuses/{id}", tag = "settings", security(("bearer" = [])), params(("id" = i64, Path)), request_body = RenameIn,
    responses((status = 204, description = "Renamed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn rename_order_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<RenameIn>,
) -> ApiResult<StatusCode> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    state
        .store
        .rename_status(
            caller.company_id,
            false,
            id,
            &name_of("name", &b.name)?,
            &caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- status transfer rules ------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRule {
    pub from_status_id: i64,
    /// The statuses a lead in `from_status_id` may move to. A status with no rule may move anywhere.
    pub to_status_ids: Vec<i64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransfersIO {
    pub rules: Vec<TransferRule>,
}

fn transfers_out(pairs: Vec<(i64, i64)>) -> TransfersIO {
    let mut rules: Vec<TransferRule> = Vec::new();
    for (f, t) in pairs {
        match rules.iter_mut().find(|r| r.from_status_id == f) {
            Some(r) => r.to_status_ids.push(t),
            None => rules.push(TransferRule {
                from_status_id: f,
                to_status_ids: vec![t],
            }),
        }
    }
    TransfersIO { rules }
}

#[utoipa::path(get, path = "/api/v1/settings/lead-status-transfers", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = TransfersIO)))]
pub async fn get_transfers(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<TransfersIO>> {
    Ok(Json(transfers_out(
        state.store.lead_status_transfers(caller.company_id).await?,
    )))
}

#[utoipa::path(put, path = "/api/v1/settings/lead-status-transfers", tag = "settings", security(("bearer" = [])), request_body = TransfersIO,
    responses((status = 200, body = TransfersIO), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_transfers(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<TransfersIO>,
) -> ApiResult<Json<TransfersIO>> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    let pairs: Vec<(i64, i64)> = b
        .rules
        .iter()
        .flat_map(|r| r.to_status_ids.iter().map(move |t| (r.from_status_id, *t)))
        .collect();
    state
        .store
        .set_lead_status_transfers(caller.company_id, &pairs, &caller.actor(), Timestamp::now())
        .await?;
    Ok(Json(transfers_out(
        state.store.lead_status_transfers(caller.company_id).await?,
    )))
}

// ----- numbering templates (R-M3) -----------------------------------------------------------------

/// R-M3's template grammar: text, date placeholders, and the sequence exactly once.
// R-M3's template grammar: text, date placeholders, and the sequence exactly once
// (`NumberTemplate::parse` is the rule; the pattern describes it).

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NumberingIO {
    /// E.g. `L-{YYYY}-{N:5}`: `{N}` or `{N:width}` exactly once, `{YYYY}`, `{YY}`, `{MM}`, `{DD}` and text.
    #[schema(
        pattern = r"^(?:[^{}\u0000-\u001f\u007f-\u009f]|\{(?:YYYY|YY|MM|DD)\})*\{N(?::(?:1[0-2]|[1-9]))?\}(?:[^{}\u0000-\u001f\u007f-\u009f]|\{(?:YYYY|YY|MM|DD)\})*$",
        max_length = 60
    )]
    pub lead: String,
    #[schema(
        pattern = r"^(?:[^{}\u0000-\u001f\u007f-\u009f]|\{(?:YYYY|YY|MM|DD)\})*\{N(?::(?:1[0-2]|[1-9]))?\}(?:[^{}\u0000-\u001f\u007f-\u009f]|\{(?:YYYY|YY|MM|DD)\})*$",
        max_length = 60
    )]
    pub order: String,
    #[schema(
        pattern = r"^(?:[^{}\u0000-\u001f\u007f-\u009f]|\{(?:YYYY|YY|MM|DD)\})*\{N(?::(?:1[0-2]|[1-9]))?\}(?:[^{}\u0000-\u001f\u007f-\u009f]|\{(?:YYYY|YY|MM|DD)\})*$",
        max_length = 60
    )]
    pub quote: String,
}

async fn numbering_out(state: &AppState, company_id: i64) -> ApiResult<NumberingIO> {
    Ok(NumberingIO {
        lead: state.store.numbering(company_id, "lead").await?,
        order: state.store.numbering(company_id, "work_order").await?,
        quote: state.store.numbering(company_id, "quote").await?,
    })
}

#[utoipa::path(get, path = "/api/v1/settings/numbering", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = NumberingIO)))]
pub async fn get_numbering(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<NumberingIO>> {
    Ok(Json(numbering_out(&state, caller.company_id).await?))
}

#[utoipa::path(put, path = "/api/v1/settings/numbering", tag = "settings", security(("bearer" = [])), request_body = NumberingIO,
    responses((status = 200, body = NumberingIO), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "Names the template at fault")))]
pub async fn put_numbering(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<NumberingIO>,
) -> ApiResult<Json<NumberingIO>> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    let lead = NumberTemplate::parse("lead", &b.lead)?;
    let order = NumberTemplate::parse("order", &b.order)?;
    let quote = NumberTemplate::parse("quote", &b.quote)?;
    let now = Timestamp::now();
    for (kind, t) in [("lead", lead), ("work_order", order), ("quote", quote)] {
        state
            .store
            .set_numbering(caller.company_id, kind, t.as_str(), &caller.actor(), now)
            .await?;
    }
    Ok(Json(numbering_out(&state, caller.company_id).await?))
}

// ----- ad campaigns and locations ----------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NamedItemOut {
    pub id: i64,
    pub name: String,
    /// Inactive items stay on old leads but are not offered for new ones.
    pub active: bool,
}

impl From<NamedItem> for NamedItemOut {
    fn from(i: NamedItem) -> Self {
        NamedItemOut {
            id: i.id,
            name: i.name,
            active: i.active,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedItemIn {
    #[schema(schema_with = crate::openapi::list_name)]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedItemPatchIn {
    #[schema(schema_with = crate::openapi::list_name_or_null)]
    pub name: Option<String>,
    pub active: Option<bool>,
}

async fn list_items(
    state: &AppState,
    caller: &Caller,
    list: NamedList,
) -> ApiResult<Json<Vec<NamedItemOut>>> {
    Ok(Json(
        state
            .store
            .named_items(caller.company_id, list)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

async fn create_item(
    state: &AppState,
    caller: &Caller,
    list: NamedList,
    body: JsonLater<NamedItemIn>,
) -> ApiResult<(StatusCode, Json<NamedItemOut>)> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    let item = state
        .store
        .create_named_item(
            caller.company_id,
            list,
            &name_of("name", &b.name)?,
            Timestamp::now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

async fn patch_item(
    state: &AppState,
    caller: &Caller,
    list: NamedList,
    id: i64,
    body: JsonLater<NamedItemPatchIn>,
) -> ApiResult<Json<NamedItemOut>> {
    caller.require(Permission::ManageSettings)?;
    let b = body.parse()?;
    let name = b.name.as_deref().map(|n| name_of("name", n)).transpose()?;
    Ok(Json(
        state
            .store
            .update_named_item(caller.company_id, list, id, name.as_deref(), b.active)
            .await?
            .into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/ad-campaigns", tag = "settings", security(("bearer" = [])), responses((status = 200, body = Vec<NamedItemOut>)))]
pub async fn list_ad_campaigns(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<NamedItemOut>>> {
    list_items(&state, &caller, NamedList::AdCampaigns).await
}

#[utoipa::path(post, path = "/api/v1/ad-campaigns", tag = "settings", security(("bearer" = [])), request_body = NamedItemIn,
    responses((status = 201, body = NamedItemOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_ad_campaign(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<NamedItemIn>,
) -> ApiResult<(StatusCode, Json<NamedItemOut>)> {
    create_item(&state, &caller, NamedList::AdCampaigns, body).await
}

#[utoipa::path(patch, path = "/api/v1/ad-campaigns/{id}", tag = "settings", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NamedItemPatchIn,
    responses((status = 200, body = NamedItemOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`already_taken`: the name is already in the list")))]
pub async fn patch_ad_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<NamedItemPatchIn>,
) -> ApiResult<Json<NamedItemOut>> {
    patch_item(&state, &caller, NamedList::AdCampaigns, id, body).await
}

#[utoipa::path(get, path = "/api/v1/locations", tag = "settings", security(("bearer" = [])), responses((status = 200, body = Vec<NamedItemOut>)))]
pub async fn list_locations(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<NamedItemOut>>> {
    list_items(&state, &caller, NamedList::Locations).await
}

#[utoipa::path(post, path = "/api/v1/locations", tag = "settings", security(("bearer" = [])), request_body = NamedItemIn,
    responses((status = 201, body = NamedItemOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_location(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<NamedItemIn>,
) -> ApiResult<(StatusCode, Json<NamedItemOut>)> {
    create_item(&state, &caller, NamedList::Locations, body).await
}

#[utoipa::path(patch, path = "/api/v1/locations/{id}", tag = "settings", security(("bearer" = [])), params(("id" = i64, Path)), request_body = NamedItemPatchIn,
    responses((status = 200, body = NamedItemOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`already_taken`: the name is already in the list")))]
pub async fn patch_location(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<NamedItemPatchIn>,
) -> ApiResult<Json<NamedItemOut>> {
    patch_item(&state, &caller, NamedList::Locations, id, body).await
}

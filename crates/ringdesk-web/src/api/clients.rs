//! Clients with phones, branches and contacts (R-P1), and caller
//! identification by number (R-P3, `GET /api/v1/clients/lookup`).

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::{Path, Query};
use crate::json::JsonLater;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::company::{self, Permission};
use ringdesk_domain::event::FieldError;
use ringdesk_domain::phone::{self, Country, PhoneNumber};
use ringdesk_store::{
    Client, ClientMatch, ClientPatch, NewClient, NewClientPhone, NewPersonAt, PersonAt, PhoneKind,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PhoneOut {
    /// As typed, for display.
    pub number: String,
    /// Normalised E.164, or null when the number could not be read.
    pub e164: Option<String>,
    /// `phone` or `mobile`.
    pub kind: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PersonOut {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub mobile: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientOut {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub phones: Vec<PhoneOut>,
    pub branches: Vec<PersonOut>,
    pub contacts: Vec<PersonOut>,
}

fn person_out(p: PersonAt) -> PersonOut {
    PersonOut {
        id: p.id,
        name: p.name,
        phone: p.phone,
        mobile: p.mobile,
    }
}

impl From<Client> for ClientOut {
    fn from(c: Client) -> Self {
        ClientOut {
            id: c.id,
            name: c.name,
            created_at: c.created_at.to_string(),
            phones: c
                .phones
                .into_iter()
                .map(|p| PhoneOut {
                    number: p.number,
                    e164: p.e164,
                    kind: p.kind.as_str().to_owned(),
                })
                .collect(),
            branches: c.branches.into_iter().map(person_out).collect(),
            contacts: c.contacts.into_iter().map(person_out).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneIn {
    #[schema(schema_with = crate::openapi::phone_number)]
    pub number: String,
    /// `phone` (the default) or `mobile`.
    #[schema(schema_with = crate::openapi::phone_kind_or_null)]
    pub kind: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonIn {
    #[schema(schema_with = crate::openapi::person_name)]
    pub name: String,
    #[schema(schema_with = crate::openapi::phone_number_or_null)]
    pub phone: Option<String>,
    #[schema(schema_with = crate::openapi::phone_number_or_null)]
    pub mobile: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientIn {
    #[schema(schema_with = crate::openapi::person_name)]
    pub name: String,
    #[serde(default)]
    pub phones: Vec<PhoneIn>,
    #[serde(default)]
    pub branches: Vec<PersonIn>,
    #[serde(default)]
    pub contacts: Vec<PersonIn>,
}

/// Lists given replace the stored ones; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientPatchIn {
    #[schema(schema_with = crate::openapi::person_name_or_null)]
    pub name: Option<String>,
    pub phones: Option<Vec<PhoneIn>>,
    pub branches: Option<Vec<PersonIn>>,
    pub contacts: Option<Vec<PersonIn>>,
}

/// A number a person typed: must contain digits (R-P2 keeps unreadable ones raw).
fn number(field: &str, raw: &str, country: &Country) -> Result<PhoneNumber, FieldError> {
    if raw.chars().count() > 64 {
        return Err(FieldError::new(field, "is longer than 64 characters"));
    }
    phone::normalise(raw, country).map_err(|_| {
        FieldError::new(
            field,
            format!("{raw:?} is not a phone number (it has no digits)"),
        )
    })
}

fn optional_number(
    field: &str,
    raw: &Option<String>,
    country: &Country,
) -> Result<Option<PhoneNumber>, FieldError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) => number(field, r, country).map(Some),
    }
}

pub fn phones(list: &[PhoneIn], country: &Country) -> Result<Vec<NewClientPhone>, FieldError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let kind = match p.kind.as_deref() {
                None => PhoneKind::Phone,
                Some(k) => PhoneKind::parse(k).ok_or_else(|| {
                    FieldError::new(
                        format!("phones[{i}].kind"),
                        format!("{k:?} is not phone or mobile"),
                    )
                })?,
            };
            Ok(NewClientPhone {
                number: number(&format!("phones[{i}].number"), &p.number, country)?,
                kind,
            })
        })
        .collect()
}

pub fn people(
    what: &str,
    list: &[PersonIn],
    country: &Country,
) -> Result<Vec<NewPersonAt>, FieldError> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(NewPersonAt {
                name: company::person_or_company_name(&format!("{what}[{i}].name"), &p.name)?,
                phone: optional_number(&format!("{what}[{i}].phone"), &p.phone, country)?,
                mobile: optional_number(&format!("{what}[{i}].mobile"), &p.mobile, country)?,
            })
        })
        .collect()
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// Keyset pagination: clients with an id below this one.
    pub before_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Vec<ClientOut>), (status = 403, body = ErrorBody)))]
pub async fn list_clients(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Vec<ClientOut>>> {
    caller.require(Permission::ViewClients)?;
    let limit = crate::api::page_limit(q.limit)?;
    Ok(Json(
        state
            .store
            .clients(caller.company_id, q.before_id, limit)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", security(("bearer" = [])), request_body = ClientIn,
    responses((status = 201, body = ClientOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_client(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<ClientIn>,
) -> ApiResult<(StatusCode, Json<ClientOut>)> {
    caller.require(Permission::ViewClients)?;
    let body = body.parse()?;
    let country = state
        .store
        .ingest_context(caller.company_id)
        .await?
        .country
        .clone();
    let new = NewClient {
        name: company::person_or_company_name("name", &body.name)?,
        phones: phones(&body.phones, &country)?,
        branches: people("branches", &body.branches, &country)?,
        contacts: people("contacts", &body.contacts, &country)?,
    };
    let c = state
        .store
        .create_client(caller.company_id, &new, Timestamp::now())
        .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ClientOut), (status = 404, body = ErrorBody)))]
pub async fn get_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<ClientOut>> {
    caller.require(Permission::ViewClients)?;
    Ok(Json(
        state.store.client(caller.company_id, id).await?.into(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/clients/{id}", tag = "clients", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ClientPatchIn,
    responses((status = 200, body = ClientOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_client(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<ClientPatchIn>,
) -> ApiResult<Json<ClientOut>> {
    caller.require(Permission::ViewClients)?;
    let body = body.parse()?;
    let country = state
        .store
        .ingest_context(caller.company_id)
        .await?
        .country
        .clone();
    let patch = ClientPatch {
        name: body
            .name
            .as_deref()
            .map(|n| company::person_or_company_name("name", n))
            .transpose()?,
        phones: body
            .phones
            .as_deref()
            .map(|p| phones(p, &country))
            .transpose()?,
        branches: body
            .branches
            .as_deref()
            .map(|p| people("branches", p, &country))
            .transpose()?,
        contacts: body
            .contacts
            .as_deref()
            .map(|p| people("contacts", p, &country))
            .transpose()?,
    };
    Ok(Json(
        state
            .store
            .update_client(caller.company_id, id, &patch)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LookupQuery {
    /// The number to identify, in any form the company's country reads.
    #[param(required = true)]
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LookupClient {
    pub id: i64,
    pub name: String,
    /// `phone`, `mobile`, `branch` or `contact`.
    pub matched_on: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LookupOut {
    /// `none`, `one` or `many`.
    #[serde(rename = "match")]
    pub match_: String,
    /// Newest client first.
    pub clients: Vec<LookupClient>,
}

#[utoipa::path(get, path = "/api/v1/clients/lookup", tag = "clients", security(("bearer" = [])), params(LookupQuery),
    responses((status = 200, body = LookupOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn lookup(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<LookupQuery>,
) -> ApiResult<Json<LookupOut>> {
    caller.require(Permission::ViewClients)?;
    let raw = q
        .phone
        .ok_or_else(|| AppError::invalid("phone", "is required"))?;
    let ctx = state.store.ingest_context(caller.company_id).await?;
    // R-P6: a withheld number identifies nobody.
    let matches = if phone::is_withheld(&raw) {
        vec![]
    } else {
        let n = number("phone", &raw, &ctx.country)?;
        state.store.lookup(caller.company_id, &n.key).await?
    };
    Ok(Json(LookupOut {
        match_: ClientMatch::of(matches.len()).as_str().to_owned(),
        clients: matches
            .into_iter()
            .map(|m| LookupClient {
                id: m.client_id,
                name: m.name,
                matched_on: m.matched_on.as_str().to_owned(),
            })
            .collect(),
    }))
}

//! Sign-up (R-X3) and employees (R-T3, R-T4, R-X5).

use crate::auth::{hash_password, new_api_token, Caller};
use crate::error::{ApiResult, ErrorBody};
use crate::json::{JsonBody, JsonLater};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_domain::company::{self, NewCompany, Permission};
use ringdesk_domain::event::FieldError;
use ringdesk_store::{Employee, EmployeePatch, NewEmployee, Store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    pub company: SignupCompany,
    pub owner: SignupOwner,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupCompany {
    pub name: String,
    /// ISO 3166-1 alpha-2, used to read numbers written without a country code.
    #[schema(example = "UA")]
    pub country: String,
    /// IANA time zone name.
    #[schema(example = "Europe/Kyiv")]
    pub time_zone: String,
    /// `en`, `pt`, `es` or `ru`.
    pub locale: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupOwner {
    pub name: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SignupResponse {
    pub company_id: i64,
    pub owner_id: i64,
    /// Shown once; acts for the company with the owner's rights.
    pub api_token: String,
}

/// Creates a company with its owner and first API token. Shared by
/// `POST /api/v1/signup` and `ringdesk company create`.
pub async fn signup(store: &Store, req: SignupRequest) -> ApiResult<SignupResponse> {
    let c = &req.company;
    let new_company = NewCompany::parse(&c.name, &c.country, &c.time_zone, &c.locale)?;
    let name = company::person_or_company_name("owner.name", &req.owner.name)?;
    let email = company::email("owner.email", &req.owner.email)?;
    let password = company::password("owner.password", &req.owner.password)?;
    let owner = NewEmployee {
        name,
        email,
        password_hash: hash_password(password).await?,
        permissions: Permission::ALL.to_vec(),
        extensions: vec![],
    };
    let (token, token_record) = new_api_token("signup", None);
    let (company, owner) = store
        .create_company(&new_company, &owner, &token_record, Timestamp::now())
        .await?;
    tracing::info!(company.id = company.id, "company signed up");
    Ok(SignupResponse {
        company_id: company.id,
        owner_id: owner.id,
        api_token: token,
    })
}

#[utoipa::path(post, path = "/api/v1/signup", tag = "accounts",
    request_body = SignupRequest,
    responses((status = 201, body = SignupResponse), (status = 409, body = ErrorBody, description = "e-mail taken"), (status = 422, body = ErrorBody)))]
pub async fn post_signup(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SignupRequest>,
) -> ApiResult<(StatusCode, Json<SignupResponse>)> {
    Ok((StatusCode::CREATED, Json(signup(&state.store, req).await?)))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmployeeOut {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// `view_clients`, `manage_settings`, `view_all_calls`.
    pub permissions: Vec<String>,
    pub extensions: Vec<String>,
    pub is_owner: bool,
    pub active: bool,
    pub created_at: String,
}

impl From<Employee> for EmployeeOut {
    fn from(e: Employee) -> Self {
        let permissions =
            ringdesk_domain::access::effective_permissions(e.is_owner, &e.permissions, None);
        EmployeeOut {
            id: e.id,
            name: e.name,
            email: e.email,
            permissions: permissions.iter().map(|p| p.as_str().to_owned()).collect(),
            extensions: e.extensions,
            is_owner: e.is_owner,
            active: e.active,
            created_at: e.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployeeIn {
    pub name: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub extensions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployeePatchIn {
    pub name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub extensions: Option<Vec<String>>,
    /// `false` deactivates the employee; their history stays.
    pub active: Option<bool>,
}

pub fn permissions(field: &str, names: &[String]) -> Result<Vec<Permission>, FieldError> {
    names
        .iter()
        .map(|n| {
            Permission::parse(n).ok_or_else(|| {
                FieldError::new(
                    field,
                    format!(
                        "unknown permission {n:?}; expected one of {}",
                        Permission::names()
                    ),
                )
            })
        })
        .collect()
}

fn extensions(names: &[String]) -> Result<Vec<String>, FieldError> {
    let mut v = names
        .iter()
        .enumerate()
        .map(|(i, x)| company::extension(&format!("extensions[{i}]"), x))
        .collect::<Result<Vec<_>, _>>()?;
    v.sort();
    v.dedup();
    Ok(v)
}

/// Validates an employee to add (shared by the API and `ringdesk employee add`).
pub async fn new_employee(body: &EmployeeIn) -> Result<NewEmployee, crate::error::AppError> {
    Ok(NewEmployee {
        name: company::person_or_company_name("name", &body.name)?,
        email: company::email("email", &body.email)?,
        permissions: permissions("permissions", &body.permissions)?,
        extensions: extensions(&body.extensions)?,
        password_hash: hash_password(company::password("password", &body.password)?).await?,
    })
}

#[utoipa::path(get, path = "/api/v1/employees", tag = "employees", security(("bearer" = [])),
    responses((status = 200, body = Vec<EmployeeOut>), (status = 401, body = ErrorBody)))]
pub async fn list_employees(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<EmployeeOut>>> {
    Ok(Json(
        state
            .store
            .employees(caller.company_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/employees", tag = "employees", security(("bearer" = [])),
    request_body = EmployeeIn,
    responses((status = 201, body = EmployeeOut), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_employee(
    State(state): State<AppState>,
    caller: Caller,
    body: JsonLater<EmployeeIn>,
) -> ApiResult<(StatusCode, Json<EmployeeOut>)> {
    caller.require(Permission::ManageEmployees)?;
    let body = body.parse()?;
    let new = new_employee(&body).await?;
    grantable(&caller, &new.permissions)?;
    let e = state
        .store
        .create_employee(caller.company_id, &new, &caller.actor(), Timestamp::now())
        .await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "employees", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = EmployeeOut), (status = 404, body = ErrorBody)))]
pub async fn get_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<EmployeeOut>> {
    Ok(Json(
        state.store.employee(caller.company_id, id).await?.into(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/employees/{id}", tag = "employees", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = EmployeePatchIn,
    responses((status = 200, body = EmployeeOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    body: JsonLater<EmployeePatchIn>,
) -> ApiResult<Json<EmployeeOut>> {
    // Employees may change their own name and password; everything else, and
    // anyone else, needs manage_employees.
    if id != caller.employee.id {
        caller.require(Permission::ManageEmployees)?;
    }
    let body = body.parse()?;
    let self_service = id == caller.employee.id
        && body.email.is_none()
        && body.permissions.is_none()
        && body.extensions.is_none()
        && body.active.is_none();
    if !self_service {
        caller.require(Permission::ManageEmployees)?;
    }
    if let Some(p) = body.permissions.as_deref() {
        grantable(&caller, &permissions("permissions", p)?)?;
    }
    let password_hash = match body.password {
        Some(p) => Some(hash_password(company::password("password", &p)?).await?),
        None => None,
    };
    let patch = EmployeePatch {
        name: body
            .name
            .as_deref()
            .map(|n| company::person_or_company_name("name", n))
            .transpose()?,
        email: body
            .email
            .as_deref()
            .map(|e| company::email("email", e))
            .transpose()?,
        password_hash,
        permissions: body
            .permissions
            .as_deref()
            .map(|p| permissions("permissions", p))
            .transpose()?,
        extensions: body.extensions.as_deref().map(extensions).transpose()?,
        active: body.active,
        keep_session_id: (id == caller.employee.id)
            .then(|| caller.session_id())
            .flatten(),
    };
    Ok(Json(
        state
            .store
            .update_employee(
                caller.company_id,
                id,
                &patch,
                &caller.actor(),
                Timestamp::now(),
            )
            .await?
            .into(),
    ))
}

/// Nobody grants a right they do not hold themselves (the owner holds all).
fn grantable(caller: &Caller, rights: &[Permission]) -> Result<(), crate::error::AppError> {
    match rights.iter().find(|p| !caller.may(**p)) {
        Some(p) => Err(crate::error::AppError::forbidden(format!(
            "permissions: you cannot grant {}, which you do not have",
            p.as_str()
        ))),
        None => Ok(()),
    }
}

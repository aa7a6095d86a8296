//! Sign-up (R-X3, R-X3a) and employees (R-T3, R-T4, R-X5). The use cases
//! themselves are `ringdesk_app::accounts`, shared with the command line;
//! these handlers only translate HTTP to them and back.

use crate::auth::Caller;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Path;
use crate::json::{JsonBody, JsonLater};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use jiff::Timestamp;
use ringdesk_app::accounts::{
    self as use_case, extensions, grantable, new_password_hash, permissions, CompanyInput,
    EmployeeInput, OwnerInput,
};
use ringdesk_domain::company::{self, Permission};
use ringdesk_store::{Employee, EmployeePatch};
use secrecy::SecretString;
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
    #[schema(schema_with = crate::openapi::person_name)]
    pub name: String,
    /// ISO 3166-1 alpha-2, used to read numbers written without a country code.
    #[schema(schema_with = crate::openapi::country)]
    pub country: String,
    /// IANA time zone name.
    #[schema(schema_with = crate::openapi::time_zone)]
    pub time_zone: String,
    #[schema(schema_with = crate::openapi::locale)]
    pub locale: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupOwner {
    #[schema(schema_with = crate::openapi::person_name)]
    pub name: String,
    #[schema(schema_with = crate::openapi::email)]
    pub email: String,
    #[schema(schema_with = crate::openapi::password)]
    pub password: SecretString,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SignupResponse {
    pub company_id: i64,
    pub owner_id: i64,
    /// Shown once; acts for the company with the owner's rights.
    #[schema(value_type = String)]
    #[serde(serialize_with = "crate::json::expose")]
    pub api_token: SecretString,
}

#[utoipa::path(post, path = "/api/v1/signup", tag = "accounts",
    request_body = SignupRequest,
    responses((status = 201, body = SignupResponse),
        (status = 403, body = ErrorBody, description = "Sign-up is closed on this installation (R-X3a: the `signup` setting is `closed`, or `first_company` and the installation has its company)"),
        (status = 409, body = ErrorBody, description = "e-mail taken"), (status = 422, body = ErrorBody)))]
pub async fn post_signup(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<SignupRequest>,
) -> ApiResult<(StatusCode, Json<SignupResponse>)> {
    let c = req.company;
    let company = CompanyInput {
        name: c.name,
        country: c.country,
        time_zone: c.time_zone,
        locale: c.locale,
    };
    let owner = OwnerInput {
        name: req.owner.name,
        email: req.owner.email,
        password: req.owner.password,
    };
    let out = use_case::signup(&state.store, state.signup, &company, &owner).await?;
    Ok((
        StatusCode::CREATED,
        Json(SignupResponse {
            company_id: out.company_id,
            owner_id: out.owner_id,
            api_token: out.api_token,
        }),
    ))
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
    #[schema(schema_with = crate::openapi::person_name)]
    pub name: String,
    #[schema(schema_with = crate::openapi::email)]
    pub email: String,
    #[schema(schema_with = crate::openapi::password)]
    pub password: SecretString,
    #[serde(default)]
    #[schema(schema_with = crate::openapi::permissions)]
    pub permissions: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = crate::openapi::extensions)]
    pub extensions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployeePatchIn {
    #[schema(schema_with = crate::openapi::person_name_or_null)]
    pub name: Option<String>,
    #[schema(schema_with = crate::openapi::email_or_null)]
    pub email: Option<String>,
    #[schema(schema_with = crate::openapi::password_or_null)]
    pub password: Option<SecretString>,
    #[schema(schema_with = crate::openapi::permissions_or_null)]
    pub permissions: Option<Vec<String>>,
    #[schema(schema_with = crate::openapi::extensions_or_null)]
    pub extensions: Option<Vec<String>>,
    /// `false` deactivates the employee; their history stays.
    pub active: Option<bool>,
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
    let input = EmployeeInput {
        name: body.name,
        email: body.email,
        password: body.password,
        permissions: body.permissions,
        extensions: body.extensions,
    };
    let e = use_case::add_employee(
        &state.store,
        caller.company_id,
        &input,
        Some(&caller.permissions),
        &caller.actor(),
        Timestamp::now(),
    )
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
    responses((status = 200, body = EmployeeOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`already_taken`: the e-mail address is another employee's"), (status = 422, body = ErrorBody)))]
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
        grantable(&caller.permissions, &permissions("permissions", p)?)?;
    }
    let password_hash = match &body.password {
        Some(p) => Some(new_password_hash("password", p).await?),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_up_requests_password_and_its_answers_token_never_show_in_debug() {
        let req: SignupRequest = serde_json::from_value(serde_json::json!({
            "company": {"name": "Acme", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"},
            "owner": {"name": "Olena", "email": "olena@example.com", "password": "correct horse battery"}
        }))
        .unwrap();
        assert!(!format!("{req:?}").contains("correct horse battery"));
        let employee: EmployeeIn = serde_json::from_value(serde_json::json!({
            "name": "Taras", "email": "t@example.com", "password": "employee pass 1"
        }))
        .unwrap();
        assert!(!format!("{employee:?}").contains("employee pass 1"));
        let out = SignupResponse {
            company_id: 1,
            owner_id: 1,
            api_token: "rd_0123456789abcdef".into(),
        };
        assert!(!format!("{out:?}").contains("rd_0123456789abcdef"));
        // The answer itself shows it, once.
        assert!(serde_json::to_string(&out)
            .unwrap()
            .contains("\"api_token\":\"rd_0123456789abcdef\""));
    }
}

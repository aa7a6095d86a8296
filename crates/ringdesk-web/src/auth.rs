//! Who is calling. An API token (`Authorization: Bearer …`) names a company,
//! the employee it acts as and the rights it was given (R-T5); a browser sends
//! the session cookie set at sign-in instead (R-X3). Tokens and session ids are
//! random, shown once, and stored only as their SHA-256; passwords are hashed
//! with argon2id off the async runtime (both in `ringdesk_app::credentials`).

use crate::error::AppError;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use jiff::Timestamp;
pub use ringdesk_app::credentials::{
    hash_password, new_api_token, random_bytes, random_hex, token_hash, verify_password,
};
use ringdesk_domain::company::Permission;
use ringdesk_store::{Actor, Employee, TokenIdentity};
use std::net::SocketAddr;
use std::time::Duration;

/// The browser session's cookie: HttpOnly, SameSite=Lax, Secure over TLS.
pub const SESSION_COOKIE: &str = "rd_session";
/// Before sign-in, the cookie that the sign-in form's CSRF token is bound to.
pub const PRE_SESSION_COOKIE: &str = "rd_csrf";
/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::from_secs(12 * 60 * 60);

/// How the caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Token(i64),
    Session(i64),
}

/// The authenticated caller of an API route or page.
#[derive(Debug, Clone)]
pub struct Caller {
    pub company_id: i64,
    pub employee: Employee,
    /// What this request may do: the employee's rights, narrowed to the
    /// token's when a token is used (R-T3, R-T5).
    pub permissions: Vec<Permission>,
    pub credential: Credential,
    pub address: Option<String>,
    /// For a session: the token its pages and scripts send back (see `csrf`).
    pub csrf_token: Option<String>,
}

impl Caller {
    pub fn may(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }

    /// R-T3, enforced on the server.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.may(p) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "this needs the {} permission",
                p.as_str()
            )))
        }
    }

    /// The owner alone (the audit log).
    pub fn require_owner(&self) -> Result<(), AppError> {
        if self.employee.is_owner {
            Ok(())
        } else {
            Err(AppError::forbidden("only the company's owner may do this"))
        }
    }

    pub fn session_id(&self) -> Option<i64> {
        match self.credential {
            Credential::Session(id) => Some(id),
            Credential::Token(_) => None,
        }
    }

    /// Who and from where, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            employee_id: Some(self.employee.id),
            token_id: match self.credential {
                Credential::Token(id) => Some(id),
                Credential::Session(_) => None,
            },
            address: self.address.clone(),
        }
    }
}

/// The client's network address, when the server knows it.
pub fn client_address(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// An integration's identity: the token's company and rights, with no
/// employee lookup (the call-event webhook is the hottest route).
#[derive(Debug, Clone)]
pub struct Integration(pub TokenIdentity);

fn bearer(parts: &Parts) -> Option<Result<&str, AppError>> {
    let header = parts.headers.get(header::AUTHORIZATION)?;
    Some(
        header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                AppError::unauthorized("the Authorization header must be 'Bearer <api_token>'")
            }),
    )
}

async fn token_identity(token: &str, state: &AppState) -> Result<TokenIdentity, AppError> {
    let identity = state
        .store
        .authenticate_token(&token_hash(token), Timestamp::now())
        .await?
        .ok_or_else(|| AppError::unauthorized("the API token is not valid or has been revoked"))?;
    tracing::Span::current().record("company.id", identity.company_id);
    Ok(identity)
}

impl FromRequestParts<AppState> for Integration {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or_else(|| {
            AppError::unauthorized(
                "the Authorization header is missing; send 'Authorization: Bearer <api_token>'",
            )
        })??;
        let identity = token_identity(token, state).await?;
        if !identity.permissions.contains(&Permission::PostCallEvents) {
            return Err(AppError::forbidden(
                "this needs the post_call_events permission",
            ));
        }
        Ok(Integration(identity))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let address = client_address(parts);
        if let Some(token) = bearer(parts) {
            let identity = token_identity(token?, state).await?;
            let employee = state
                .store
                .employee(identity.company_id, identity.employee_id)
                .await?;
            return Ok(Caller {
                company_id: identity.company_id,
                employee,
                permissions: identity.permissions,
                credential: Credential::Token(identity.token_id),
                address,
                csrf_token: None,
            });
        }
        let Some(session) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(AppError::unauthorized(
                "sign in first, or send 'Authorization: Bearer <api_token>'",
            ));
        };
        let s = state
            .store
            .authenticate_session(&token_hash(session), SESSION_IDLE, Timestamp::now())
            .await?
            .ok_or_else(|| AppError::unauthorized("the session has ended; sign in again"))?;
        tracing::Span::current().record("company.id", s.company_id);
        let employee = state.store.employee(s.company_id, s.employee_id).await?;
        let permissions = ringdesk_domain::access::effective_permissions(
            employee.is_owner,
            &employee.permissions,
            None,
        );
        Ok(Caller {
            company_id: s.company_id,
            employee,
            permissions,
            credential: Credential::Session(s.session_id),
            address,
            csrf_token: Some(crate::csrf::csrf_token_for(session)),
        })
    }
}

//! Who is calling: an API token (`Authorization: Bearer …`) names a company
//! and the employee it acts as (the owner for the signup token, R-X3).
//! Tokens are random, shown once, and stored only as their SHA-256 (R-T5);
//! passwords are hashed with argon2id off the async runtime.

use crate::error::AppError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jiff::Timestamp;
use rand::RngCore;
use ringdesk_domain::company::Permission;
use ringdesk_store::{Employee, NewApiToken, TokenIdentity};
use sha2::{Digest, Sha256};

/// The authenticated caller of an API route.
#[derive(Debug, Clone)]
pub struct Caller {
    pub company_id: i64,
    pub employee: Employee,
}

impl Caller {
    /// R-T3, enforced on the server.
    pub fn require(&self, p: Permission) -> Result<(), AppError> {
        if self.employee.may(p) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "this needs the {} permission",
                p.as_str()
            )))
        }
    }
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random API token and what the store keeps of it.
pub fn new_api_token(name: &str) -> (String, NewApiToken) {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = format!("rd_{}", hex::encode(bytes));
    let record = NewApiToken {
        name: name.to_owned(),
        token_hash: token_hash(&token),
        prefix: token[..9].to_owned(),
    };
    (token, record)
}

/// argon2id with the crate's default (OWASP-recommended) parameters, on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        AppError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("hashing task failed: {e}"),
        )
    })?
    .map_err(|e| {
        AppError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("hashing failed: {e}"),
        )
    })
}

/// An integration's identity: just the token's company, no employee lookup
/// (the call-event webhook is the hottest route).
#[derive(Debug, Clone, Copy)]
pub struct Integration(pub TokenIdentity);

async fn authenticate(parts: &Parts, state: &AppState) -> Result<TokenIdentity, AppError> {
    let header = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
        AppError::unauthorized(
            "the Authorization header is missing; send 'Authorization: Bearer <api_token>'",
        )
    })?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            AppError::unauthorized("the Authorization header must be 'Bearer <api_token>'")
        })?;
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
        Ok(Integration(authenticate(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let identity = authenticate(parts, state).await?;
        let employee = state
            .store
            .employee(identity.company_id, identity.employee_id)
            .await?;
        Ok(Caller {
            company_id: identity.company_id,
            employee,
        })
    }
}

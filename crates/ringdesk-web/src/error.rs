//! The one error type at the HTTP edge. Every failure becomes R-X2's body
//! `{"error": {"code", "message"}}`. A 5xx hides its details from the caller
//! and leaves them (its [`ErrorCause`]) in the response's extensions, where the
//! request's trace layer (`lib.rs`, `LogResponse`) logs them: every 5xx is
//! logged once, there, and nowhere else.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ringdesk_domain::event::FieldError;
use ringdesk_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code, e.g. `invalid_field`.
    pub code: String,
    /// What is wrong, naming the offending field or value.
    pub message: String,
}

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// What went wrong inside (a 5xx's details): logged, never shown.
    pub cause: Option<String>,
}

/// The hidden details of a 5xx, carried in the response's extensions to the
/// one place that logs it.
#[derive(Debug, Clone)]
pub struct ErrorCause(pub String);

/// What a caller reads on any 500.
const INTERNAL_MESSAGE: &str = "internal error; it has been logged";

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError {
            status,
            code,
            message: message.into(),
            cause: None,
        }
    }
    /// A 500: `cause` is logged, the caller reads only that it was.
    pub fn internal(cause: impl Into<String>) -> Self {
        AppError {
            cause: Some(cause.into()),
            ..AppError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                INTERNAL_MESSAGE,
            )
        }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn invalid(field: &str, problem: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!("{field}: {problem}"),
        )
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.code.to_owned(),
            message: self.message.clone(),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::invalid(&e.field, &e.problem)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::not_found(what),
            StoreError::Taken { field, message } => AppError::new(
                StatusCode::CONFLICT,
                "already_taken",
                format!("{field}: {message}"),
            ),
            StoreError::Invalid { field, message } => AppError::invalid(&field, message),
            StoreError::Conflict(message) => {
                AppError::new(StatusCode::CONFLICT, "conflict", message)
            }
            other => AppError::internal(format!("store failure: {other}")),
        }
    }
}

impl From<ringdesk_app::Error> for AppError {
    fn from(e: ringdesk_app::Error) -> Self {
        match e {
            ringdesk_app::Error::Invalid(f) => f.into(),
            ringdesk_app::Error::Forbidden(why) => AppError::forbidden(why),
            ringdesk_app::Error::Store(s) => s.into(),
            ringdesk_app::Error::Internal(why) => AppError::internal(why),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                error: self.detail(),
            }),
        )
            .into_response();
        if self.status.is_server_error() {
            let cause = self.cause.unwrap_or(self.message);
            response.extensions_mut().insert(ErrorCause(cause));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, AppError>;

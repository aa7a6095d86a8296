//! A JSON body extractor whose every rejection is an R-X2 error naming the
//! problem: the field path for a wrong or missing field, 413 for a body that
//! is too large.

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use bytes::Bytes;
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

/// `serialize_with` for a secret a response shows once (a new API token, a
/// new webhook secret): the field stays a `SecretString`, so `Debug` and logs
/// of the response never show it.
pub fn expose<S: serde::Serializer>(
    secret: &secrecy::SecretString,
    s: S,
) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    s.serialize_str(secret.expose_secret())
}

/// Reads the raw body, answering 413 past the route's limit. The Content-Type
/// is not checked: phone systems often send JSON labelled as something else,
/// and the body is parsed as JSON whatever it says.
pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the request body is larger than 1 MiB",
            )
        } else {
            AppError::bad_request(
                "unreadable_body",
                format!("the request body could not be read: {e}"),
            )
        }
    })
}

/// Parses JSON, naming the path of the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            AppError::bad_request(
                "invalid_json",
                format!("the body is not valid JSON: {inner}"),
            )
        } else if path == "." || path.is_empty() {
            AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                format!("body: {inner}"),
            )
        } else {
            AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_field",
                format!("{path}: {inner}"),
            )
        }
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        Ok(JsonBody(parse_json(&bytes)?))
    }
}

/// A JSON body read now but parsed only when the handler asks, so that a
/// caller without the right permission gets 403 before any 422 about the body.
pub struct JsonLater<T>(Bytes, std::marker::PhantomData<T>);

impl<T: DeserializeOwned> JsonLater<T> {
    pub fn parse(&self) -> Result<T, AppError> {
        parse_json(&self.0)
    }

    /// No body at all (optional bodies).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(u8::is_ascii_whitespace)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonLater<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(JsonLater(
            body_bytes(req, state).await?,
            std::marker::PhantomData,
        ))
    }
}

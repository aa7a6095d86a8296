//! `Path` and `Query` extractors whose every rejection is R-X2's JSON body
//! (axum's own answer `text/plain`). They keep axum's names so that handler
//! signatures, and utoipa's reading of them, stay as they were: a handler
//! imports `crate::extract::{Path, Query}` instead of axum's.
//!
//! - A path id that is not an integer from `i64`'s range (`/clients/abc`,
//!   `/clients/9223372036854775808`) is **404** `not_found`: the address names
//!   no resource, exactly as an unknown number does, so a client has one case
//!   to handle, not two.
//! - A query string that cannot be decoded (a `%` not followed by two hex
//!   digits, bytes that are not UTF-8 once decoded) is **400** `invalid_query`.
//! - A query parameter holding a control character (NUL included: PostgreSQL
//!   cannot store or compare it), or a value of the wrong type
//!   (`?recovered=null`, `?limit=9223372036854775808`), or given twice, is
//!   **422** `invalid_field` naming the parameter.

use crate::error::AppError;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// A path parameter (always an id here), or 404 naming the value.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let what = match e.kind() {
                    ErrorKind::ParseErrorAtKey { value, .. }
                    | ErrorKind::ParseErrorAtIndex { value, .. }
                    | ErrorKind::ParseError { value, .. } => format!("{value:?}"),
                    ErrorKind::InvalidUtf8InPathParam { .. } => "a value that is not UTF-8".into(),
                    _ => "the value".into(),
                };
                Err(AppError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!(
                        "not found: {what} in the path is not an id (ids are whole numbers \
                         from 1 to {})",
                        i64::MAX
                    ),
                ))
            }
            // The route and its extractor disagree: a bug here, not the caller's.
            Err(other) => Err(AppError::internal(format!("path parameters: {other}"))),
        }
    }
}

/// The query string, read as `T`, with every problem named.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parse_query(parts.uri.query().unwrap_or("")).map(Query)
    }
}

/// Reads a raw query string (without the `?`) as `T`.
pub fn parse_query<T: DeserializeOwned>(raw: &str) -> Result<T, AppError> {
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(name, None)?;
        let value = decode(value, Some(&name))?;
        for (text, what) in [(&name, "its name"), (&value, "its value")] {
            if let Some(c) = text.chars().find(|c| c.is_control()) {
                let which = if c == '\0' {
                    "the NUL character (U+0000)".to_owned()
                } else {
                    format!("the control character U+{:04X}", u32::from(c))
                };
                return Err(AppError::invalid(
                    &printable(&name),
                    format!("{what} contains {which}, which a query parameter may not hold"),
                ));
            }
        }
    }
    // Every part decodes exactly, so the lenient decoding below reads what was sent.
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            "query"
        } else {
            path.as_str()
        };
        AppError::invalid(field, e.into_inner())
    })
}

/// A parameter name fit for a message.
fn printable(name: &str) -> String {
    if name.chars().any(char::is_control) {
        format!("{name:?}")
    } else {
        name.to_owned()
    }
}

/// Decodes one `application/x-www-form-urlencoded` part strictly: `+` is a
/// space, `%XX` a byte; a bad escape or bytes that are not UTF-8 are 400.
fn decode(part: &str, name: Option<&str>) -> Result<String, AppError> {
    let bad = |why: &str| {
        let whose = match name {
            Some(n) => format!("the value of the query parameter {}", printable(n)),
            None => "a query parameter's name".to_owned(),
        };
        AppError::bad_request("invalid_query", format!("{whose} {why}"))
    };
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => return Err(bad("has a % not followed by two hex digits")),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad("is not UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Q {
        limit: Option<i64>,
        recovered: Option<bool>,
        external_id: Option<String>,
    }

    fn refused(raw: &str) -> (u16, String) {
        let e = parse_query::<Q>(raw).unwrap_err();
        (e.status.as_u16(), e.message)
    }

    #[test]
    fn a_query_is_read_exactly_or_refused_naming_the_parameter_r_x2() {
        let q: Q = parse_query("limit=5&external_id=a+b%2Bc%C3%A9").unwrap();
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.external_id.as_deref(), Some("a b+cé"));
        assert!(q.recovered.is_none());
        let (status, message) = refused("external_id=x%00y");
        assert_eq!(status, 422);
        assert!(
            message.starts_with("external_id: its value contains the NUL"),
            "{message}"
        );
        let (status, message) = refused("recovered=null");
        assert_eq!(status, 422);
        assert!(message.starts_with("recovered: "), "{message}");
        let (status, message) = refused("limit=9223372036854775808");
        assert_eq!(status, 422);
        assert!(message.starts_with("limit: "), "{message}");
        let (status, message) = refused("limit=1&limit=2");
        assert_eq!(status, 422, "{message}");
        assert_eq!(refused("external_id=%zz").0, 400);
        assert_eq!(refused("external_id=%FF").0, 400);
    }
}

//! CSRF protection for every state-changing request a browser can be tricked
//! into sending: a layer over the whole router, so every page and form gets it
//! by default.
//!
//! The token is bound to a secret the attacker cannot read: the session cookie
//! (HttpOnly) once signed in, or a pre-session cookie for the sign-in form. The
//! page embeds `csrf_token_for(that secret)`; a request must send it back as
//! the form field `csrf_token` or the header `X-CSRF-Token`. On top of that, a
//! request whose `Origin` (or, without one, `Referer`) names another site is
//! refused. Requests with `Authorization: Bearer` carry no ambient credential
//! and are not checked; neither are cookie-less API calls (sign-up).

use crate::auth::{cookie, PRE_SESSION_COOKIE, SESSION_COOKIE};
use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The form field and header that carry the token.
pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// The cookie secret a request's CSRF token is bound to: the session cookie,
/// else the pre-session cookie. Pages and the guard both use this.
pub fn seed(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE).or_else(|| cookie(headers, PRE_SESSION_COOKIE))
}

/// The token a page embeds for the cookie secret `seed`.
pub fn csrf_token_for(seed: &str) -> String {
    let digest = Sha256::digest(format!("ringdesk csrf v1:{seed}").as_bytes());
    hex::encode(&digest[..20])
}

fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The host (and port) an `Origin` or `Referer` names.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split('/').next().unwrap_or(rest))
}

fn cross_site(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))?
        .to_str()
        .ok()?;
    if claimed == "null" || host_of(claimed) != Some(host) {
        Some(claimed.to_owned())
    } else {
        None
    }
}

fn refused(message: impl Into<String>) -> Response {
    AppError::new(axum::http::StatusCode::FORBIDDEN, "csrf", message).into_response()
}

/// The layer (`axum::middleware::from_fn(csrf::guard)`).
pub async fn guard(req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let headers = req.headers();
    let session = cookie(headers, SESSION_COOKIE).map(str::to_owned);
    let is_page = !req.uri().path().starts_with("/api/");
    if !unsafe_method
        || headers.contains_key(header::AUTHORIZATION)
        || (session.is_none() && !is_page)
    {
        return next.run(req).await;
    }
    if let Some(origin) = cross_site(headers) {
        return refused(format!(
            "cross-site request refused: it comes from {origin:?}, not from this site"
        ));
    }
    let Some(seed) = seed(headers).map(str::to_owned) else {
        return refused("the CSRF cookie is missing; open the page again and resend the form");
    };
    let expected = csrf_token_for(&seed);
    if let Some(sent) = headers.get(HEADER) {
        return if same_bytes(sent.as_bytes(), expected.as_bytes()) {
            next.run(req).await
        } else {
            refused("the X-CSRF-Token header does not match this session")
        };
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refused("send the csrf_token form field or the X-CSRF-Token header");
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await else {
        return AppError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the form is larger than 1 MiB",
        )
        .into_response();
    };
    let sent = form_urlencoded_field(&bytes, FIELD);
    if !sent.is_some_and(|s| same_bytes(s.as_bytes(), expected.as_bytes())) {
        return refused("the form's csrf_token is missing or does not match; open the page again");
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// One field of an `application/x-www-form-urlencoded` body.
pub fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

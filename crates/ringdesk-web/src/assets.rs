//! The pages' own stylesheet (and, as the call bar needs one, script):
//! hand-written files under `assets/`, compiled into the binary and served
//! under `/assets/`. The URL the pages link carries a hash of the content, so
//! a browser keeps a file until a new build changes it. No framework, nothing
//! copied in.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One served file, made of parts (one per area of pages) joined in order.
pub struct Asset {
    name: &'static str,
    content_type: &'static str,
    parts: &'static [&'static str],
    built: OnceLock<(String, String)>,
}

impl Asset {
    const fn new(
        name: &'static str,
        content_type: &'static str,
        parts: &'static [&'static str],
    ) -> Asset {
        Asset {
            name,
            content_type,
            parts,
            built: OnceLock::new(),
        }
    }

    /// The joined content and its short hash.
    fn built(&self) -> &(String, String) {
        self.built.get_or_init(|| {
            let body = self.parts.concat();
            let hash = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
            (body, hash)
        })
    }

    /// The URL a page links: `/assets/<name>?v=<hash>`.
    pub fn href(&self) -> String {
        format!("/assets/{}?v={}", self.name, self.built().1)
    }
}

/// Every page's stylesheet: the base, then each area's own.
pub static STYLESHEET: Asset = Asset::new(
    "app.css",
    "text/css; charset=utf-8",
    &[
        include_str!("../assets/base.css"),
        include_str!("../assets/bar.css"),
        include_str!("../assets/work.css"),
        include_str!("../assets/settings.css"),
        include_str!("../assets/dashboard.css"),
    ],
);

/// The signed-in pages' script: the live call bar and notices (R-U1).
pub static SCRIPT: Asset = Asset::new(
    "app.js",
    "text/javascript; charset=utf-8",
    &[include_str!("../assets/bar.js")],
);

/// Every asset there is.
pub static ALL: [&Asset; 2] = [&STYLESHEET, &SCRIPT];

/// `GET /assets/{name}`: the file, cached for a year (the link's hash changes with it).
pub async fn asset(Path(name): Path<String>) -> Response {
    let Some(a) = ALL.iter().find(|a| a.name == name) else {
        return crate::error::AppError::not_found("no such asset").into_response();
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        a.built().0.clone(),
    )
        .into_response()
}

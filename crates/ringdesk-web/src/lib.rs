//! Ringdesk's HTTP face — the only crate that knows HTTP.
//!
//! A guided tour:
//! - [`error`]: the one error type, rendered as R-X2's JSON body.
//! - [`json`]: the body extractor whose rejections name the field at fault.
//! - [`auth`]: API tokens and password hashing.
//! - [`api`]: the handlers, one module per resource; their `#[utoipa::path]`
//!   annotations *are* the OpenAPI document, so it cannot drift from the router.
//! - [`Application`]: binds, serves, and shuts down gracefully.

pub mod api;
pub mod auth;
pub mod error;
pub mod json;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use ringdesk_store::Store;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest request body accepted on any route (R-X4: 1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The longest a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Ringdesk API", description = "Telephony and call-centre core of a CRM. Errors are `{\"error\": {\"code\", \"message\"}}`."),
    modifiers(&BearerAuth),
    tags((name = "accounts"), (name = "employees"), (name = "clients"), (name = "telephony"), (name = "calls"), (name = "settings"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and the OpenAPI document generated from the same list.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use api::{accounts, calls, clients, settings};
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::post_signup))
        .routes(routes!(accounts::list_employees, accounts::create_employee))
        .routes(routes!(accounts::get_employee, accounts::patch_employee))
        .routes(routes!(clients::list_clients, clients::create_client))
        .routes(routes!(clients::lookup))
        .routes(routes!(clients::get_client, clients::patch_client))
        .routes(routes!(calls::post_events))
        .routes(routes!(calls::list_calls))
        .routes(routes!(calls::get_call))
        .routes(routes!(settings::lead_statuses))
        .routes(routes!(settings::order_statuses))
        .routes(routes!(settings::lead_types))
        .routes(routes!(settings::get_telephony, settings::put_telephony))
        .split_for_parts()
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api_router();
    let doc = std::sync::Arc::new(doc);
    api.route("/api/v1/openapi.json", get(move || {
        let doc = doc.clone();
        async move { Json(doc.as_ref().clone()) }
    }))
    .route("/healthz", get(|| async { "ok" }))
    .fallback(|| async { error::AppError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
    .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
    .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
    .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
        let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
        tracing::info_span!("request", method = %req.method(), route, company.id = tracing::field::Empty)
    }))
    .with_state(state)
}

/// A bound, not yet serving, Ringdesk server.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Application {
    /// Binds `listen` (port 0 picks a free one, as tests do).
    pub async fn build(store: Store, listen: SocketAddr) -> std::io::Result<Application> {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        Ok(Application {
            listener,
            router: router(AppState { store }),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

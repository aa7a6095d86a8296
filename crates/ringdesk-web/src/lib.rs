//! Ringdesk's HTTP face — the only crate that knows HTTP.
//!
//! A guided tour:
//! - [`error`]: the one error type, rendered as R-X2's JSON body.
//! - [`json`]: the one JSON reader of every body (one value, no repeated keys,
//!   objects where objects are expected, no NUL or stray control characters),
//!   whose rejections name the field at fault.
//! - [`extract`]: `Path` and `Query` whose rejections are R-X2 errors too.
//! - [`auth`]: who is calling: API tokens, browser sessions, password hashing.
//! - [`csrf`]: the layer that checks every state-changing browser request.
//! - [`signature`]: Standard Webhooks signatures on the call-event webhook.
//! - [`api`]: the handlers, one module per resource; their `#[utoipa::path]`
//!   annotations *are* the OpenAPI document, so it cannot drift from the router.
//! - [`pages`] and [`i18n`]: the HTML pages (maud, plain forms) and their
//!   texts in en/pt/es/ru (Fluent catalogues in `locales/`).
//! - [`Routes`]: the one place routes are added; it keeps the router's own
//!   route table, which tests compare with the OpenAPI document and walk.
//! - [`Application`]: binds, serves, and shuts down gracefully.

pub mod api;
pub mod assets;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod i18n;
pub mod inbox;
pub mod json;
pub mod openapi;
pub mod outbound;
pub mod pages;
pub mod signature;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::StatusCode;
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use ringdesk_domain::outbound::OutboundPolicy;
use ringdesk_domain::signup::SignupPolicy;
use ringdesk_store::Store;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

/// The largest request body accepted on any route (R-X4: 1 MiB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The longest a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` (set when Ringdesk is served over TLS; a request
    /// with `X-Forwarded-Proto: https` gets them too).
    pub secure_cookies: bool,
    /// Who may sign a company up through `POST /api/v1/signup` (R-X3a).
    pub signup: SignupPolicy,
    /// R-X8: where Ringdesk may connect out to (click to call's outgoing
    /// webhook, Twilio's API, AMI hosts).
    pub outbound: OutboundPolicy,
    /// Twilio's REST API for click to call (R-I5): `https://api.twilio.com`,
    /// or a test's stand-in.
    pub twilio_api: String,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Ringdesk API", description = "Telephony and call-centre core of a CRM. Errors are `{\"error\": {\"code\", \"message\"}}`."),
    modifiers(&BearerAuth),
    tags((name = "accounts"), (name = "employees"), (name = "clients"), (name = "telephony"), (name = "calls"), (name = "settings"), (name = "work"))
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

/// Every route of the server as `(METHOD, path)`: the router's own table.
pub type RouteTable = Vec<(String, String)>;

/// The one place routes are added. API routes come with their OpenAPI
/// operation (utoipa-axum); the few others (pages, the document itself,
/// `/healthz`) are named with their methods. Both are recorded in the table.
pub(crate) struct Routes {
    api: OpenApiRouter<AppState>,
    other: Router<AppState>,
    table: RouteTable,
}

impl Routes {
    fn new() -> Routes {
        Routes {
            api: OpenApiRouter::with_openapi(ApiDoc::openapi()),
            other: Router::new(),
            table: Vec::new(),
        }
    }

    fn api(mut self, r: UtoipaMethodRouter<AppState>) -> Routes {
        for (path, item) in r.1.paths.iter() {
            let ops = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
                ("HEAD", &item.head),
                ("OPTIONS", &item.options),
                ("TRACE", &item.trace),
            ];
            for (method, op) in ops {
                if op.is_some() {
                    self.table.push((method.to_owned(), path.clone()));
                }
            }
        }
        self.api = self.api.routes(r);
        self
    }

    pub(crate) fn other(
        mut self,
        path: &str,
        methods: &[&str],
        r: MethodRouter<AppState>,
    ) -> Routes {
        for m in methods {
            self.table.push(((*m).to_owned(), path.to_owned()));
        }
        self.other = self.other.route(path, r);
        self
    }
}

/// All routes: the router (without state), the OpenAPI document and the route table.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi, RouteTable) {
    use api::{
        accounts, ami, calls, catalog, click_to_call, clients, dashboard, jobs, live, phone_system,
        security, settings, twilio, work,
    };
    let r = Routes::new()
        .api(routes!(accounts::post_signup))
        .api(routes!(accounts::list_employees, accounts::create_employee))
        .api(routes!(accounts::get_employee, accounts::patch_employee))
        .api(routes!(security::me))
        .api(routes!(security::list_tokens, security::create_token))
        .api(routes!(security::revoke_token))
        .api(routes!(security::audit_log))
        .api(routes!(clients::list_clients, clients::create_client))
        .api(routes!(clients::lookup))
        .api(routes!(clients::get_client, clients::patch_client))
        .api(routes!(calls::post_events))
        .api(routes!(calls::list_calls))
        .api(routes!(calls::recent_calls))
        .api(routes!(calls::missed_cases))
        .api(routes!(calls::get_call))
        .api(routes!(calls::put_call_client))
        .api(routes!(dashboard::dashboard))
        .api(routes!(dashboard::get_lines, dashboard::put_lines))
        .api(routes!(
            settings::lead_statuses,
            catalog::create_lead_status
        ))
        .api(routes!(catalog::rename_lead_status))
        .api(routes!(
            settings::order_statuses,
            catalog::create_order_status
        ))
        .api(routes!(catalog::rename_order_status))
        .api(routes!(settings::lead_types, catalog::create_lead_type))
        .api(routes!(catalog::patch_lead_type))
        .api(routes!(catalog::get_transfers, catalog::put_transfers))
        .api(routes!(catalog::get_numbering, catalog::put_numbering))
        .api(routes!(
            catalog::list_ad_campaigns,
            catalog::create_ad_campaign
        ))
        .api(routes!(catalog::patch_ad_campaign))
        .api(routes!(catalog::list_locations, catalog::create_location))
        .api(routes!(catalog::patch_location))
        .api(routes!(settings::get_telephony, settings::put_telephony))
        .api(routes!(settings::preview_telephony))
        .api(routes!(twilio::get_twilio, twilio::put_twilio))
        .api(routes!(twilio::twilio_status))
        .api(routes!(ami::get_ami, ami::put_ami))
        .api(routes!(ami::list_gaps))
        .api(routes!(security::get_signing, security::put_signing))
        .api(routes!(security::create_secret))
        .api(routes!(security::revoke_secret))
        .api(routes!(
            phone_system::get_ignored_numbers,
            phone_system::put_ignored_numbers
        ))
        .api(routes!(
            phone_system::get_phone_system,
            phone_system::put_phone_system
        ))
        .api(routes!(phone_system::list_inbox))
        .api(routes!(click_to_call::click_to_call))
        .api(routes!(work::list_orders, work::create_order))
        .api(routes!(work::get_order, work::patch_order))
        .api(routes!(work::link_order_lead))
        .api(routes!(work::list_leads, work::create_lead))
        .api(routes!(work::get_lead, work::patch_lead))
        .api(routes!(work::client_from_lead))
        .api(routes!(work::lead_history))
        .api(routes!(work::client_history))
        .api(routes!(work::list_quotes, work::create_quote))
        .api(routes!(work::get_quote))
        .api(routes!(work::convert_quote))
        .api(routes!(work::put_quote_items))
        .api(routes!(work::quote_from_call))
        .api(routes!(work::list_tasks, work::create_task))
        .api(routes!(work::get_task))
        .api(routes!(work::complete_task))
        .api(routes!(work::reopen_task))
        .api(routes!(
            work::get_notification_prefs,
            work::put_notification_prefs
        ))
        .api(routes!(work::list_notifications))
        .api(routes!(work::read_notification))
        .api(routes!(jobs::list_jobs))
        .api(routes!(live::live_events));
    let r = pages::routes(r)
        .other("/assets/{name}", &["GET"], get(assets::asset))
        .other("/healthz", &["GET"], get(|| async { "ok" }));
    let (api, mut doc) = r.api.split_for_parts();
    openapi::add_shared_errors(&mut doc);
    openapi::add_telephony(&mut doc);
    openapi::add_character_rules(&mut doc);
    openapi::add_readme_examples(&mut doc);
    let doc_for_route = std::sync::Arc::new(doc.clone());
    let mut table = r.table;
    table.push(("GET".into(), "/api/v1/openapi.json".into()));
    // The document is served from a route added here, not through `other`,
    // only because it needs the document built above; it is in the table.
    let router = api.merge(r.other).route(
        "/api/v1/openapi.json",
        get(move || {
            let doc = doc_for_route.clone();
            async move { Json(doc.as_ref().clone()) }
        }),
    );
    (router, doc, table)
}

/// The API routes and the OpenAPI document generated from the same list.
pub fn api_router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc, _) = routes();
    (router, doc)
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let (router, _, _) = routes();
    traced(
        router
            // R-X2: a path or a method the server does not have answers the
            // JSON error body too (axum keeps the 405's `Allow` header).
            .fallback(|uri: axum::http::Uri| async move {
                error::AppError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("no such route: {}", uri.path()),
                )
            })
            .method_not_allowed_fallback(|method: axum::http::Method, uri: axum::http::Uri| async move {
                error::AppError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                    format!("{} does not accept {method}; the Allow header lists the methods it does", uri.path()),
                )
            })
            .layer(axum::middleware::from_fn(csrf::guard))
            // One outbox reader per company for this router's live streams (R-X7).
            .layer(axum::Extension(api::live::feed::LiveFeeds::default()))
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                REQUEST_TIMEOUT,
            )),
    )
    .with_state(state)
}

/// A span per request (with `company.id`, filled in by the auth extractors),
/// and one log line per response (see [`LogResponse`]).
fn traced<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    fn span(req: &Request) -> tracing::Span {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default();
        tracing::info_span!("request", method = %req.method(), route, company.id = tracing::field::Empty)
    }
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(span)
            .on_response(LogResponse)
            // A 5xx is logged by `LogResponse`, with its cause; not a second time here.
            .on_failure(()),
    )
}

/// Logs each response once, in its request's span: a 5xx at ERROR with the
/// [`error::ErrorCause`] its [`error::AppError`] left, any other at DEBUG.
#[derive(Debug, Clone, Copy)]
pub struct LogResponse;

impl<B> tower_http::trace::OnResponse<B> for LogResponse {
    fn on_response(self, res: &axum::http::Response<B>, latency: Duration, _: &tracing::Span) {
        let status = res.status().as_u16();
        let latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        if res.status().is_server_error() {
            let cause = res
                .extensions()
                .get::<error::ErrorCause>()
                .map_or("no cause given", |c| c.0.as_str());
            tracing::error!(status, latency_ms, error = cause, "request failed");
        } else {
            tracing::debug!(status, latency_ms, "request finished");
        }
    }
}

/// A bound, not yet serving, Ringdesk server.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    /// Ends the open live streams (R-X7) when the server shuts down.
    live_shutdown: tokio::sync::watch::Sender<bool>,
}

impl Application {
    /// Binds `listen` (port 0 picks a free one, as tests do), with the
    /// default settings (no `Secure` cookies, sign-up `first_company`).
    pub async fn build(store: Store, listen: SocketAddr) -> std::io::Result<Application> {
        Self::build_with(
            AppState {
                store,
                secure_cookies: false,
                signup: SignupPolicy::default(),
                outbound: OutboundPolicy::default(),
                twilio_api: ringdesk_telephony::twilio::API_BASE.to_owned(),
            },
            listen,
        )
        .await
    }

    pub async fn build_with(state: AppState, listen: SocketAddr) -> std::io::Result<Application> {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let (live_shutdown, stopping) = tokio::sync::watch::channel(false);
        Ok(Application {
            listener,
            router: router(state).layer(axum::Extension(api::live::LiveShutdown(stopping))),
            live_shutdown,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests;
    /// open live streams (R-X7) end then, so that it stops promptly.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let live_shutdown = self.live_shutdown;
        let shutdown = async move {
            shutdown.await;
            let _ = live_shutdown.send(true);
        };
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;
    use tracing_subscriber::layer::SubscriberExt;

    /// Every ERROR event, as `field=value` text.
    #[derive(Clone, Default)]
    struct Errors(Arc<Mutex<Vec<String>>>);

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Errors {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            if *event.metadata().level() == tracing::Level::ERROR {
                let mut fields = Fields(String::new());
                event.record(&mut fields);
                self.0.lock().unwrap().push(fields.0);
            }
        }
    }

    struct Fields(String);

    impl tracing::field::Visit for Fields {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0.push_str(&format!("{}={value:?} ", field.name()));
        }
    }

    /// Sends `path` through a router with the server's request tracing, and
    /// returns the status, the body and the ERROR events logged meanwhile.
    fn request(path: &str) -> (StatusCode, String, Vec<String>) {
        let errors = Errors::default();
        let subscriber = tracing_subscriber::registry().with(errors.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (status, body) = tracing::subscriber::with_default(subscriber, || {
            runtime.block_on(async {
                // One handler for every path (a test router, not an API route).
                let app = traced(Router::new().fallback(|uri: axum::http::Uri| async move {
                    Err::<(), _>(match uri.path() {
                        "/store-failure" => {
                            error::AppError::from(ringdesk_store::StoreError::WriterStopped)
                        }
                        "/hashing-failure" => error::AppError::internal("argon2 broke"),
                        _ => error::AppError::not_found("lead"),
                    })
                }));
                let req = Request::get(path).body(axum::body::Body::empty()).unwrap();
                let res = app.oneshot(req).await.unwrap();
                let status = res.status();
                let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (status, String::from_utf8(body.to_vec()).unwrap())
            })
        });
        let logged = errors.0.lock().unwrap().clone();
        (status, body, logged)
    }

    #[test]
    fn a_5xx_is_logged_once_with_its_cause_which_the_caller_does_not_see() {
        for (path, cause) in [
            ("/store-failure", "the ingest writer has stopped"),
            ("/hashing-failure", "argon2 broke"),
        ] {
            let (status, body, logged) = request(path);
            assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(logged.len(), 1, "{path}: logged once, got {logged:?}");
            assert!(logged[0].contains(cause), "{path}: {logged:?}");
            assert!(logged[0].contains("status=500"), "{path}: {logged:?}");
            assert!(!body.contains(cause), "{path}: {body}");
            assert!(
                body.contains("internal error; it has been logged"),
                "{body}"
            );
        }
    }

    #[test]
    fn a_4xx_is_not_logged_as_an_error() {
        let (status, _, logged) = request("/not-found");
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(logged.is_empty(), "{logged:?}");
    }
}

//! `GET /api/v1/live` (R-X7): Server-Sent Events for the signed-in employee.
//!
//! The stream reads the company's outbox (`live_event`, written in the same
//! transaction as each change, see `ringdesk-store/src/sql/live.rs`): every
//! event it sends comes from a committed row, in the order the rows were
//! numbered (commit order), with the row's number as the SSE `id`. The data is
//! rendered when sent, from the current state, exactly as the API shows it
//! (a `call` as `GET /api/v1/calls/{id}`'s call, a `lead` as `GET
//! /api/v1/leads/{id}`, a `task` as `GET /api/v1/tasks/{id}`, a
//! `notification` as in `GET /api/v1/notifications`), and only what this
//! employee may see then: a call by R-C5's `CallVisibility`, a notification
//! only to its employee; leads and tasks as the API shows them, to every
//! employee of the company.
//!
//! A reconnect with `Last-Event-ID` gets every event numbered after it that
//! is still kept (`ringdesk_store::live::RETENTION`, 24 h), then the live
//! ones. One reader per company on this node ([`feed`]) reads the outbox
//! when woken (a commit on this node, or PostgreSQL's `NOTIFY` from any node)
//! and every [`POLL`] in any case, and prepares each row once; each stream
//! takes the rows after the last one it sent from it (or, when it is further
//! behind than the feed keeps, from the outbox itself) and keeps what its
//! employee may see. Wake-ups carry nothing but "look now". It sends a keep-alive comment
//! every [`KEEP_ALIVE`], checks the caller's credential again every
//! [`RECHECK`] (a revoked token, an ended session or a deactivated employee
//! ends it; changed rights apply from then on), and ends when the server
//! shuts down ([`LiveShutdown`]).

pub mod feed;

use crate::api::calls::CallOut;
use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use feed::{Feed, LiveFeeds, Prepared};
use futures_util::stream::{self, Stream};
use ringdesk_store::StoreError;
use serde::Serialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use utoipa::ToSchema;

/// The stream reads the outbox at least this often, woken or not.
pub const POLL: Duration = Duration::from_secs(1);
/// A comment line this often keeps proxies and browsers from closing an idle stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often an open stream checks that its caller may still see it.
pub const RECHECK: Duration = Duration::from_secs(60);

/// Set when the server shuts down: open streams end, so that it stops promptly.
/// `Application` adds it to every request.
#[derive(Clone)]
pub struct LiveShutdown(pub watch::Receiver<bool>);

/// A `call` event's data: the call as `GET /api/v1/calls/{id}` shows it, and
/// the client's name when the employee may see clients (R-T3 `view_clients`),
/// for the call bar (R-U1).
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveCall {
    #[serde(flatten)]
    pub call: CallOut,
    pub client_name: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/live", tag = "calls", security(("bearer" = [])),
    params(("Last-Event-ID" = Option<i64>, Header, description = "The last event id received: the events after it are sent first")),
    responses((status = 200, content_type = "text/event-stream",
        description = "Server-Sent Events (R-X7): `id` (increasing per company), `event` (`call`, `lead`, `task`, `notification`) and JSON `data` as the API shows that record (a `call` as `LiveCall`). Without `Last-Event-ID` the stream starts with the next change."),
        (status = 422, body = ErrorBody, description = "Last-Event-ID is not an event id")))]
pub async fn live_events(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Extension(feeds): Extension<LiveFeeds>,
    shutdown: Option<Extension<LiveShutdown>>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last_id = match headers.get("last-event-id") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .map(str::trim)
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    AppError::invalid(
                        "Last-Event-ID",
                        "must be the id of an event this stream sent (a whole number)",
                    )
                })?,
        ),
    };
    let feed = feeds.feed(&state.store, caller.company_id).await?;
    let after = match last_id {
        Some(id) => id,
        None => state.store.live_last_id(caller.company_id).await?,
    };
    let shutdown = match shutdown {
        Some(Extension(LiveShutdown(rx))) => rx,
        // A router without `Application` (never served): nothing shuts it down.
        None => watch::channel(false).1,
    };
    let live = Live {
        head: feed.subscribe(),
        feed,
        state,
        caller,
        headers,
        after,
        ready: VecDeque::new(),
        shutdown,
        checked: tokio::time::Instant::now(),
        first: true,
    };
    let events = stream::unfold(live, |mut live| async move {
        live.next().await.map(|event| (Ok(event), live))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// One open stream.
struct Live {
    state: AppState,
    caller: Caller,
    /// The request's headers, to check its credential again.
    headers: HeaderMap,
    /// The number of the last outbox row sent or skipped.
    after: i64,
    /// Rendered events not yet sent.
    ready: VecDeque<Event>,
    /// The company's shared reader, and its "read further" signal.
    feed: Arc<Feed>,
    head: watch::Receiver<i64>,
    shutdown: watch::Receiver<bool>,
    checked: tokio::time::Instant,
    /// Read at once on the first call (a reconnect's missed events).
    first: bool,
}

impl Live {
    /// The next event to send; `None` ends the stream.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if *self.shutdown.borrow() {
                return None;
            }
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            if !std::mem::take(&mut self.first) && !self.wait().await {
                return None;
            }
            if self.checked.elapsed() >= RECHECK && !self.recheck().await {
                return None;
            }
            if let Err(e) = self.read().await {
                // The client reconnects with the last id it got, and misses nothing.
                tracing::warn!(error = %e, company.id = self.caller.company_id, "live stream ended: the outbox could not be read");
                return None;
            }
        }
    }

    /// Waits until the feed has read further, or it is time to check the
    /// credential again; false when the server shuts down.
    async fn wait(&mut self) -> bool {
        tokio::select! {
            changed = self.head.changed() => {
                if changed.is_err() {
                    // The feed is gone (it never is while this stream holds it).
                    tokio::time::sleep(POLL).await;
                }
                true
            }
            _ = tokio::time::sleep(RECHECK) => true,
            changed = self.shutdown.changed() => changed.is_ok() && !*self.shutdown.borrow(),
        }
    }

    /// Authenticates the request's credential again; false when it no longer
    /// holds (the stream ends, and the browser's reconnect gets a 401).
    async fn recheck(&mut self) -> bool {
        self.checked = tokio::time::Instant::now();
        let mut request = axum::http::Request::new(());
        *request.headers_mut() = self.headers.clone();
        let (mut parts, ()) = request.into_parts();
        match Caller::from_request_parts(&mut parts, &self.state).await {
            Ok(c)
                if c.company_id == self.caller.company_id
                    && c.employee.id == self.caller.employee.id
                    && c.employee.active =>
            {
                self.caller = Caller {
                    address: self.caller.address.take(),
                    ..c
                };
                true
            }
            _ => false,
        }
    }

    /// Takes the rows after `after` from the feed, or, when the feed no
    /// longer holds them all, from the outbox itself; keeps what this caller
    /// may see.
    async fn read(&mut self) -> Result<(), StoreError> {
        loop {
            if let Some(rows) = self.feed.since(self.after) {
                self.take(rows.iter().map(Arc::as_ref));
                return Ok(());
            }
            let rows = feed::read(&self.state.store, self.caller.company_id, self.after).await?;
            if rows.is_empty() {
                return Ok(());
            }
            self.take(rows.iter());
        }
    }

    fn take<'a>(&mut self, rows: impl Iterator<Item = &'a Prepared>) {
        for row in rows {
            self.after = row.seq;
            if let Some(e) = row.event_for(&self.caller) {
                self.ready.push_back(e);
            }
        }
    }
}

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
//! ones. The stream reads the outbox when woken (a commit on this node, or
//! PostgreSQL's `NOTIFY` from any node) and every [`POLL`] in any case;
//! wake-ups carry nothing but "look now". It sends a keep-alive comment
//! every [`KEEP_ALIVE`], checks the caller's credential again every
//! [`RECHECK`] (a revoked token, an ended session or a deactivated employee
//! ends it; changed rights apply from then on), and ends when the server
//! shuts down ([`LiveShutdown`]).

use crate::api::calls::CallOut;
use crate::api::work::{LeadOut, NotificationOut, TaskOut};
use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Extension;
use futures_util::stream::{self, Stream};
use jiff::Timestamp;
use ringdesk_domain::access::CallVisibility;
use ringdesk_domain::company::{Locale, Permission};
use ringdesk_store::{LiveEvent, LiveKind, LiveWake, StoreError};
use serde::Serialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use utoipa::ToSchema;

/// The stream reads the outbox at least this often, woken or not.
pub const POLL: Duration = Duration::from_secs(1);
/// A comment line this often keeps proxies and browsers from closing an idle stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often an open stream checks that its caller may still see it.
pub const RECHECK: Duration = Duration::from_secs(60);
/// How many outbox rows one read takes.
const BATCH: i64 = 100;

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
    // Subscribed before the first read, so no commit after it goes unnoticed.
    let wakes = state.store.live_wakes();
    let after = match last_id {
        Some(id) => id,
        None => state.store.live_last_id(caller.company_id).await?,
    };
    let locale = state.store.company(caller.company_id).await?.locale;
    let shutdown = match shutdown {
        Some(Extension(LiveShutdown(rx))) => rx,
        // A router without `Application` (never served): nothing shuts it down.
        None => watch::channel(false).1,
    };
    let live = Live {
        state,
        caller,
        headers,
        locale,
        after,
        ready: VecDeque::new(),
        wakes,
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
    locale: Locale,
    /// The number of the last outbox row read.
    after: i64,
    /// Rendered events not yet sent.
    ready: VecDeque<Event>,
    wakes: broadcast::Receiver<LiveWake>,
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

    /// Waits until the company's events may have committed, or the poll
    /// interval passed; false when the server shuts down.
    async fn wait(&mut self) -> bool {
        let company = self.caller.company_id;
        let poll = tokio::time::sleep(POLL);
        tokio::pin!(poll);
        loop {
            tokio::select! {
                _ = &mut poll => return true,
                w = self.wakes.recv() => match w {
                    Ok(w) if w.concerns(company) => return true,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => return true,
                    // The store is gone: polling goes on until the server stops.
                    Err(broadcast::error::RecvError::Closed) => (&mut poll).await,
                },
                changed = self.shutdown.changed() => {
                    if changed.is_err() || *self.shutdown.borrow() {
                        return false;
                    }
                }
            }
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

    /// Reads the outbox after `after` and renders what this caller may see.
    async fn read(&mut self) -> Result<(), StoreError> {
        loop {
            let rows = self
                .state
                .store
                .live_events(self.caller.company_id, self.after, BATCH)
                .await?;
            let full = rows.len() as i64 == BATCH;
            for row in rows {
                self.after = row.id;
                if let Some(e) = self.render(&row).await? {
                    self.ready.push_back(e);
                }
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// The event for `row`, if this caller may see what it names.
    async fn render(&self, row: &LiveEvent) -> Result<Option<Event>, StoreError> {
        let data = match self.data(row).await {
            Err(StoreError::NotFound(_)) => return Ok(None),
            other => other?,
        };
        Ok(data.map(|data| {
            Event::default()
                .id(row.id.to_string())
                .event(row.kind.as_str())
                .data(data)
        }))
    }

    /// The JSON `row` names, as the API shows it, if this caller may see it.
    async fn data(&self, row: &LiveEvent) -> Result<Option<String>, StoreError> {
        let store = &self.state.store;
        let company = self.caller.company_id;
        let data = match row.kind {
            LiveKind::Call => {
                let call = store.call(company, row.subject_id).await?;
                // R-C5: one definition of who sees a call.
                if !CallVisibility::of(self.caller.employee.id, &self.caller.permissions)
                    .may_see(call.operator_id)
                {
                    return Ok(None);
                }
                let client_name = match call.client_id {
                    Some(id) if self.caller.may(Permission::ViewClients) => {
                        Some(store.client(company, id).await?.name)
                    }
                    _ => None,
                };
                to_json(&LiveCall {
                    call: CallOut::from_call(call),
                    client_name,
                })
            }
            LiveKind::Lead => to_json(&LeadOut::at(
                store.lead(company, row.subject_id).await?,
                Timestamp::now(),
            )),
            LiveKind::Task => to_json(&TaskOut::new(
                store.task(company, row.subject_id).await?,
                self.locale,
            )),
            LiveKind::Notification => {
                if row.employee_id != Some(self.caller.employee.id) {
                    return Ok(None);
                }
                let n = store.notification(company, row.subject_id).await?;
                if n.employee_id != self.caller.employee.id {
                    return Ok(None);
                }
                to_json(&NotificationOut::from(n))
            }
        }?;
        Ok(Some(data))
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Serialise(e.to_string()))
}

//! The webhook inbox at the HTTP edge: every delivery that reached a
//! company's connector is kept as it came (body, the headers that matter,
//! whether it authenticated, what was answered), and `ringdesk inbox replay`
//! re-applies the authenticated ones in a range — the tool for "our PBX sent
//! garbage for an hour": fix the cause, then replay. A replay goes through the
//! same code as the live webhook, so event ids make it idempotent.

use crate::error::AppError;
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use jiff::Timestamp;
use ringdesk_store::{CompanyId, DeliveryFilter, NewDelivery, Store};
use serde_json::{Map, Value};

/// Which connector a delivery came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connector {
    /// `POST /api/v1/telephony/events` (R-X4).
    Generic,
    /// `POST /api/v1/integrations/twilio/{company_id}/status` (R-I2).
    Twilio,
}

impl Connector {
    pub const ALL: [Connector; 2] = [Connector::Generic, Connector::Twilio];

    pub fn as_str(self) -> &'static str {
        match self {
            Connector::Generic => "generic",
            Connector::Twilio => "twilio",
        }
    }

    pub fn parse(s: &str) -> Option<Connector> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The request's query string, kept as a header where a connector needs it
/// (Twilio signs it and names the legs of a click-to-call call in it).
pub const QUERY_HEADER: &str = "x-ringdesk-query";

/// The headers kept with a delivery: what tells who sent it and how. Never
/// `Authorization` or cookies.
pub const KEPT_HEADERS: [&str; 10] = [
    "content-type",
    "content-length",
    "user-agent",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "x-twilio-signature",
    "i-twilio-idempotency-token",
    "x-forwarded-for",
    QUERY_HEADER,
];

fn kept_headers(headers: &HeaderMap) -> String {
    let mut m = Map::new();
    for name in KEPT_HEADERS {
        if let Some(v) = headers.get(name) {
            m.insert(
                name.to_owned(),
                Value::String(String::from_utf8_lossy(v.as_bytes()).into_owned()),
            );
        }
    }
    Value::Object(m).to_string()
}

/// Keeps a delivery (it does not wait for the write). `answer` is what the
/// connector answered: a response and its summary, or an error.
#[allow(clippy::too_many_arguments)]
pub(crate) fn keep(
    store: &Store,
    company_id: CompanyId,
    connector: Connector,
    received_at: Timestamp,
    headers: &HeaderMap,
    body: Bytes,
    authenticated: bool,
    answer: &Result<(Response, String), AppError>,
) {
    let (status, result) = match answer {
        Ok((r, summary)) => (r.status().as_u16(), summary.clone()),
        Err(e) => (e.status.as_u16(), format!("{}: {}", e.code, e.message)),
    };
    store.keep_delivery(
        company_id,
        NewDelivery {
            connector: connector.as_str().to_owned(),
            received_at,
            headers: kept_headers(headers),
            body: body.to_vec(),
            authenticated,
            status,
            result,
        },
    );
}

/// What a replay did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReplaySummary {
    /// Deliveries re-applied.
    pub replayed: usize,
    /// Deliveries in the range that had not authenticated, left alone.
    pub skipped_unauthenticated: usize,
    /// Deliveries whose re-application was refused again (e.g. still unreadable).
    pub refused: usize,
    /// One line per delivery: `id status summary`.
    pub lines: Vec<String>,
}

/// Re-applies the company's authenticated deliveries received in `[from, to)`,
/// oldest first, through the connector's own parsing and the same ingest as
/// the live webhook. Events already stored answer "duplicate", so a replay
/// changes only what was missing. Signatures are not checked again: they
/// were when the delivery came.
pub async fn replay(
    store: &Store,
    company_id: CompanyId,
    from: Timestamp,
    to: Timestamp,
) -> Result<ReplaySummary, AppError> {
    let mut out = ReplaySummary::default();
    let mut cursor = None;
    loop {
        let page = store
            .deliveries(
                company_id,
                &DeliveryFilter {
                    from: Some(from),
                    to: Some(to),
                    connector: None,
                    cursor,
                    oldest_first: true,
                    limit: 500,
                },
            )
            .await?;
        let Some(last) = page.last() else { break };
        cursor = Some(last.id);
        for d in page {
            if !d.authenticated {
                out.skipped_unauthenticated += 1;
                continue;
            }
            let ctx = store.ingest_context(company_id).await?;
            let answer = match Connector::parse(&d.connector) {
                Some(Connector::Generic) => {
                    crate::api::calls::apply_events(store, ctx, &d.body).await
                }
                Some(Connector::Twilio) => {
                    crate::api::twilio::apply_kept(store, company_id, &d.headers, &d.body).await
                }
                None => Err(AppError::bad_request(
                    "unknown_connector",
                    format!(
                        "delivery {} names an unknown connector {:?}",
                        d.id, d.connector
                    ),
                )),
            };
            match answer {
                Ok((r, summary)) => {
                    out.replayed += 1;
                    out.lines
                        .push(format!("{} {} {}", d.id, r.status().as_u16(), summary));
                }
                Err(e) if e.status.is_server_error() => return Err(e),
                Err(e) => {
                    out.refused += 1;
                    out.lines.push(format!(
                        "{} {} {}: {}",
                        d.id,
                        e.status.as_u16(),
                        e.code,
                        e.message
                    ));
                }
            }
        }
    }
    Ok(out)
}

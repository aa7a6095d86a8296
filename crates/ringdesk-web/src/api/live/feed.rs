//! One reader of the outbox per company on this node (R-X7), shared by all of
//! that company's open streams.
//!
//! Without it every stream read the outbox on every wake-up and every poll,
//! and fetched the call (and its client) of each row itself: with 1,000
//! streams that is 1,000 outbox reads a second while idle and 3,000 queries
//! per call event. A [`Feed`] reads each row once, fetches what it names
//! once and prepares the JSON ([`Prepared`]); each stream then only decides
//! what its employee may see ([`Prepared::event_for`]) — cheap, no I/O.
//!
//! The feed keeps the last [`KEPT`] rows it read. It holds every row numbered
//! in `(floor, head]`; a stream behind `floor` (a reconnect with an old
//! `Last-Event-ID`, or one that fell far behind) reads the outbox itself until
//! it catches up, preparing rows with the same function. So the order and
//! completeness guarantees stay those of the outbox: a stream sends rows in
//! number order and skips none.

use crate::api::calls::CallOut;
use crate::api::work::{LeadOut, NotificationOut, TaskOut};
use crate::auth::Caller;
use axum::response::sse::Event;
use jiff::Timestamp;
use ringdesk_domain::access::CallVisibility;
use ringdesk_domain::company::{Locale, Permission};
use ringdesk_store::{LiveEvent, LiveKind, Store, StoreError};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock, Weak};
use tokio::sync::{broadcast, watch};

use super::{LiveCall, POLL};

/// How many prepared rows a feed keeps for its streams.
pub const KEPT: usize = 1024;
/// How many outbox rows one read takes.
pub const BATCH: i64 = 100;

/// A row, read once and prepared for whoever may see it.
#[derive(Debug)]
pub struct Prepared {
    /// The row's number: the SSE `id`.
    pub seq: i64,
    kind: LiveKind,
    data: Data,
}

#[derive(Debug)]
enum Data {
    /// The record is gone: nothing to send.
    Gone,
    /// A call, for those who may see it (R-C5), with or without the client's
    /// name (`view_clients`, R-T3).
    Call {
        operator_id: Option<i64>,
        with_name: String,
        without_name: String,
    },
    /// A lead or a task, as the API shows it to every employee of the company.
    Everyone(String),
    /// A notification, for its one employee.
    Employee { employee_id: i64, json: String },
}

fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Serialise(e.to_string()))
}

impl Prepared {
    /// Fetches what `row` names, as the API shows it now (tasks in the
    /// company's `locale`).
    pub async fn of(
        store: &Store,
        company: i64,
        row: &LiveEvent,
        locale: Locale,
    ) -> Result<Prepared, StoreError> {
        let data = match Self::data(store, company, row, locale).await {
            Err(StoreError::NotFound(_)) => Data::Gone,
            other => other?,
        };
        Ok(Prepared {
            seq: row.id,
            kind: row.kind,
            data,
        })
    }

    async fn data(
        store: &Store,
        company: i64,
        row: &LiveEvent,
        locale: Locale,
    ) -> Result<Data, StoreError> {
        Ok(match row.kind {
            LiveKind::Call => {
                let call = store.call(company, row.subject_id).await?;
                let client_name = match call.client_id {
                    Some(id) => Some(store.client(company, id).await?.name),
                    None => None,
                };
                let operator_id = call.operator_id;
                let mut live = LiveCall {
                    call: CallOut::from_call(call),
                    client_name,
                };
                let with_name = to_json(&live)?;
                live.client_name = None;
                Data::Call {
                    operator_id,
                    with_name,
                    without_name: to_json(&live)?,
                }
            }
            LiveKind::Lead => Data::Everyone(to_json(&LeadOut::at(
                store.lead(company, row.subject_id).await?,
                Timestamp::now(),
            ))?),
            LiveKind::Task => Data::Everyone(to_json(&TaskOut::new(
                store.task(company, row.subject_id).await?,
                locale,
            ))?),
            LiveKind::Notification => {
                let n = store.notification(company, row.subject_id).await?;
                if row.employee_id != Some(n.employee_id) {
                    return Ok(Data::Gone);
                }
                Data::Employee {
                    employee_id: n.employee_id,
                    json: to_json(&NotificationOut::from(n))?,
                }
            }
        })
    }

    /// The event `caller` gets for this row, if they may see what it names.
    pub fn event_for(&self, caller: &Caller) -> Option<Event> {
        let json = match &self.data {
            Data::Gone => return None,
            Data::Call {
                operator_id,
                with_name,
                without_name,
            } => {
                // R-C5: one definition of who sees a call.
                if !CallVisibility::of(caller.employee.id, &caller.permissions)
                    .may_see(*operator_id)
                {
                    return None;
                }
                if caller.may(Permission::ViewClients) {
                    with_name
                } else {
                    without_name
                }
            }
            Data::Everyone(json) => json,
            Data::Employee { employee_id, json } => {
                if *employee_id != caller.employee.id {
                    return None;
                }
                json
            }
        };
        Some(
            Event::default()
                .id(self.seq.to_string())
                .event(self.kind.as_str())
                .data(json),
        )
    }
}

/// The rows a feed holds: every row numbered in `(floor, head]`.
struct Kept {
    floor: i64,
    rows: VecDeque<Arc<Prepared>>,
}

/// One company's shared reader.
pub struct Feed {
    kept: RwLock<Kept>,
    /// The number of the last row read; streams wait on its changes.
    head: watch::Sender<i64>,
}

impl Feed {
    /// Wakes when the feed has read further.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.head.subscribe()
    }

    /// The prepared rows numbered after `after`, or `None` when the feed no
    /// longer holds (or never held) all of them: then the stream reads the
    /// outbox itself.
    pub fn since(&self, after: i64) -> Option<Vec<Arc<Prepared>>> {
        let kept = self.kept.read().expect("feed lock");
        if after < kept.floor {
            return None;
        }
        let start = kept.rows.partition_point(|r| r.seq <= after);
        Some(kept.rows.iter().skip(start).cloned().collect())
    }

    fn push(&self, rows: Vec<Prepared>) {
        let Some(last) = rows.last().map(|r| r.seq) else {
            return;
        };
        {
            let mut kept = self.kept.write().expect("feed lock");
            for r in rows {
                kept.rows.push_back(Arc::new(r));
            }
            while kept.rows.len() > KEPT {
                if let Some(old) = kept.rows.pop_front() {
                    kept.floor = old.seq;
                }
            }
        }
        self.head.send_replace(last);
    }
}

/// This node's feeds, one per company with open streams. Cheap to clone.
#[derive(Clone, Default)]
pub struct LiveFeeds {
    feeds: Arc<Mutex<HashMap<i64, Weak<Feed>>>>,
}

impl LiveFeeds {
    /// The company's feed, started when its first stream opens; it stops
    /// when the last one closes (or the store's wake-ups end and no stream is left).
    pub async fn feed(&self, store: &Store, company: i64) -> Result<Arc<Feed>, StoreError> {
        if let Some(f) = self.existing(company) {
            return Ok(f);
        }
        // Subscribed before the first read, so no commit after it goes unnoticed.
        let wakes = store.live_wakes();
        let head = store.live_last_id(company).await?;
        let mut feeds = self.feeds.lock().expect("feeds lock");
        if let Some(f) = feeds.get(&company).and_then(Weak::upgrade) {
            return Ok(f);
        }
        let feed = Arc::new(Feed {
            kept: RwLock::new(Kept {
                floor: head,
                rows: VecDeque::new(),
            }),
            head: watch::channel(head).0,
        });
        feeds.insert(company, Arc::downgrade(&feed));
        tokio::spawn(run(
            self.clone(),
            Arc::downgrade(&feed),
            store.clone(),
            company,
            wakes,
            head,
        ));
        Ok(feed)
    }

    fn existing(&self, company: i64) -> Option<Arc<Feed>> {
        self.feeds
            .lock()
            .expect("feeds lock")
            .get(&company)
            .and_then(Weak::upgrade)
    }

    /// Forgets a company's feed once no stream holds it.
    fn forget(&self, company: i64) {
        let mut feeds = self.feeds.lock().expect("feeds lock");
        if feeds.get(&company).is_some_and(|w| w.strong_count() == 0) {
            feeds.remove(&company);
        }
    }
}

/// The feed's reader: after each wake-up for the company (or [`POLL`]), reads
/// the outbox after `head` and prepares the rows once for every stream.
async fn run(
    feeds: LiveFeeds,
    feed: Weak<Feed>,
    store: Store,
    company: i64,
    mut wakes: broadcast::Receiver<ringdesk_store::LiveWake>,
    mut head: i64,
) {
    loop {
        let poll = tokio::time::sleep(POLL);
        tokio::pin!(poll);
        loop {
            tokio::select! {
                _ = &mut poll => break,
                w = wakes.recv() => match w {
                    Ok(w) if w.concerns(company) => break,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => break,
                    // The store is gone: polling goes on while streams are open.
                    Err(broadcast::error::RecvError::Closed) => { (&mut poll).await; break }
                },
            }
        }
        let Some(f) = feed.upgrade() else { break };
        match read(&store, company, head).await {
            Ok(rows) => {
                if let Some(last) = rows.last() {
                    head = last.seq;
                }
                f.push(rows);
            }
            // Streams keep what they have; the next wake-up or poll tries again.
            Err(e) => {
                tracing::warn!(error = %e, company.id = company, "live feed: the outbox could not be read")
            }
        }
    }
    feeds.forget(company);
}

/// Every row after `after`, prepared.
pub async fn read(store: &Store, company: i64, after: i64) -> Result<Vec<Prepared>, StoreError> {
    let mut out = vec![];
    let mut after = after;
    let mut locale = None;
    loop {
        let rows = store.live_events(company, after, BATCH).await?;
        let full = rows.len() as i64 == BATCH;
        if !rows.is_empty() && locale.is_none() {
            locale = Some(store.company(company).await?.locale);
        }
        for row in rows {
            after = row.id;
            let locale = locale.unwrap_or(Locale::En);
            out.push(Prepared::of(store, company, &row, locale).await?);
        }
        if !full {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(head: i64) -> Feed {
        Feed {
            kept: RwLock::new(Kept {
                floor: head,
                rows: VecDeque::new(),
            }),
            head: watch::channel(head).0,
        }
    }

    fn rows(seqs: impl Iterator<Item = i64>) -> Vec<Prepared> {
        seqs.map(|seq| Prepared {
            seq,
            kind: LiveKind::Lead,
            data: Data::Everyone(format!("{{\"n\":{seq}}}")),
        })
        .collect()
    }

    fn seqs(rows: Option<Vec<Arc<Prepared>>>) -> Option<Vec<i64>> {
        rows.map(|r| r.iter().map(|p| p.seq).collect())
    }

    #[test]
    fn a_stream_gets_the_rows_after_its_last_one_in_order_with_gaps_kept() {
        let f = feed(10);
        let mut head = f.subscribe();
        f.push(rows([11, 12, 15, 16].into_iter()));
        assert!(head.has_changed().unwrap());
        assert_eq!(*head.borrow_and_update(), 16);
        assert_eq!(seqs(f.since(10)), Some(vec![11, 12, 15, 16]));
        assert_eq!(seqs(f.since(12)), Some(vec![15, 16]));
        assert_eq!(seqs(f.since(13)), Some(vec![15, 16]));
        assert_eq!(seqs(f.since(16)), Some(vec![]));
        // Ahead of the feed (it read its first id before the feed started): nothing yet.
        assert_eq!(seqs(f.since(40)), Some(vec![]));
        // Behind what the feed ever held: the stream reads the outbox itself.
        assert_eq!(seqs(f.since(9)), None);
    }

    #[test]
    fn rows_beyond_what_the_feed_keeps_send_a_stream_that_far_behind_to_the_outbox() {
        let f = feed(0);
        f.push(rows(1..=(KEPT as i64 + 10)));
        assert_eq!(seqs(f.since(0)), None);
        assert_eq!(seqs(f.since(9)), None);
        let from_ten = seqs(f.since(10)).unwrap();
        assert_eq!(from_ten.len(), KEPT);
        assert_eq!(from_ten[0], 11);
    }

    #[test]
    fn an_empty_read_changes_nothing() {
        let f = feed(5);
        let head = f.subscribe();
        f.push(vec![]);
        assert!(!head.has_changed().unwrap());
        assert_eq!(seqs(f.since(5)), Some(vec![]));
    }
}

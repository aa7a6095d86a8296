//! The webhook inbox's writer: raw deliveries are kept in batches, off the
//! webhook's answer path. A delivery is handed over after its events are
//! stored and answered; one task writes whatever is queued in one
//! transaction, so the inbox costs the ingest path one channel send, not a
//! second commit per request (SQLite has one write lock). The inbox is a
//! record for diagnosis and replay, not the events' truth: a crash may lose
//! the last moment's deliveries, never an acknowledged event.

use crate::model::NewDelivery;
use crate::Backend;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// The most deliveries one transaction writes.
const BATCH: usize = 256;
/// Deliveries waiting beyond this are not kept (and a warning says so).
const QUEUE: usize = 10_000;

/// A delivery of a company, on its way to the writer.
type Queued = (i64, NewDelivery);

#[derive(Clone)]
pub(crate) struct InboxQueue {
    sender: Arc<Mutex<Option<mpsc::Sender<Queued>>>>,
    handle: Arc<tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl InboxQueue {
    pub(crate) fn start(backend: Backend) -> InboxQueue {
        let (tx, rx) = mpsc::channel(QUEUE);
        let handle = tokio::spawn(run(backend, rx));
        InboxQueue {
            sender: Arc::new(Mutex::new(Some(tx))),
            handle: Arc::new(tokio::sync::Mutex::new(Some(handle))),
        }
    }

    pub(crate) fn keep(&self, company_id: i64, d: NewDelivery) {
        let sender = self.sender.lock().expect("inbox sender").clone();
        let Some(sender) = sender else { return };
        if let Err(e) = sender.try_send((company_id, d)) {
            tracing::warn!(company.id = company_id, error = %e, "webhook inbox: a delivery was not kept");
        }
    }

    /// Stops taking deliveries and waits until the queued ones are written.
    pub(crate) async fn close(&self) {
        self.sender.lock().expect("inbox sender").take();
        if let Some(h) = self.handle.lock().await.take() {
            let _ = h.await;
        }
    }
}

async fn run(backend: Backend, mut rx: mpsc::Receiver<Queued>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(d) => batch.push(d),
                Err(_) => break,
            }
        }
        if write(&backend, &batch).await.is_err() {
            // One bad row (a company deleted meanwhile) must not cost the
            // others theirs: each alone.
            for one in batch.chunks(1) {
                if let Err(e) = write(&backend, one).await {
                    tracing::warn!(company.id = one[0].0, error = %e, "webhook inbox: a delivery was not kept");
                }
            }
        }
    }
}

async fn write(backend: &Backend, batch: &[Queued]) -> crate::Result<()> {
    macro_rules! write_all {
        ($m:ident, $pool:ident) => {{
            let mut tx = crate::$m::begin_write($pool).await?;
            let mut acting_for = None;
            for (company_id, d) in batch {
                if acting_for != Some(*company_id) {
                    crate::$m::set_company(&mut tx, *company_id).await?;
                    acting_for = Some(*company_id);
                }
                crate::$m::record_delivery(&mut tx, *company_id, d).await?;
            }
            tx.commit().await?;
            Ok(())
        }};
    }
    match backend {
        Backend::Sqlite(pool) => write_all!(sqlite, pool),
        Backend::Postgres(pool) => write_all!(postgres, pool),
    }
}

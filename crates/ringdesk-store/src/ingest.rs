//! Group commit for call events (R-X4, "durable and exactly-once").
//!
//! Requests hand their events to a writer task and wait. A writer takes
//! everything that is queued (up to [`MAX_BATCH`] events), writes it in one
//! transaction and answers every request only after that transaction has
//! committed — so a 202 always means "on disk", while one fsync is shared by
//! many concurrent events. If a shared transaction fails, each request is
//! retried in a transaction of its own, so one bad request cannot sink others.
//!
//! Events are routed to writers by (company, provider call id): all events of
//! one call go through one writer, so writers never contend for the same call.
//! SQLite has one writer (it has one write lock anyway); PostgreSQL several.

use crate::live::{LiveHub, LiveWake};
use crate::model::{IngestContext, IngestOutcome};
use crate::{Backend, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::event::CallEvent;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Mutex};
use tracing::Instrument;

/// The most events one shared transaction takes.
pub const MAX_BATCH: usize = 512;

struct Job {
    ctx: Arc<IngestContext>,
    events: Vec<CallEvent>,
    reply: oneshot::Sender<Result<Vec<Result<IngestOutcome>>>>,
}

#[derive(Clone)]
pub(crate) struct IngestQueue {
    senders: Arc<Mutex<Vec<mpsc::Sender<Job>>>>,
    handles: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    writers: usize,
}

impl IngestQueue {
    pub(crate) fn start(backend: Backend, writers: usize, live: LiveHub) -> IngestQueue {
        let mut senders = Vec::with_capacity(writers);
        let mut handles = Vec::with_capacity(writers);
        for _ in 0..writers {
            let (tx, rx) = mpsc::channel(4096);
            senders.push(tx);
            handles.push(tokio::spawn(run_writer(backend.clone(), rx, live.clone())));
        }
        IngestQueue {
            senders: Arc::new(Mutex::new(senders)),
            handles: Arc::new(Mutex::new(handles)),
            writers,
        }
    }

    /// Stores `events` (already validated) and answers one outcome per event, in order.
    pub(crate) async fn submit(
        &self,
        ctx: Arc<IngestContext>,
        events: Vec<CallEvent>,
    ) -> Result<Vec<Result<IngestOutcome>>> {
        if self.writers == 1 || events.len() <= 1 {
            let shard = events.first().map_or(0, |e| self.shard(ctx.company_id, e));
            return self.send(shard, ctx, events).await;
        }
        // Split by writer, keeping each event's position for the answer.
        let mut per_shard: Vec<(Vec<usize>, Vec<CallEvent>)> = (0..self.writers)
            .map(|_| (Vec::new(), Vec::new()))
            .collect();
        let n = events.len();
        for (i, e) in events.into_iter().enumerate() {
            let s = self.shard(ctx.company_id, &e);
            per_shard[s].0.push(i);
            per_shard[s].1.push(e);
        }
        let mut waits = Vec::new();
        for (shard, (positions, evs)) in per_shard.into_iter().enumerate() {
            if !evs.is_empty() {
                let q = self.clone();
                let ctx = ctx.clone();
                waits.push((
                    positions,
                    tokio::spawn(async move { q.send(shard, ctx, evs).await }),
                ));
            }
        }
        let mut out: Vec<Option<Result<IngestOutcome>>> = (0..n).map(|_| None).collect();
        for (positions, handle) in waits {
            let results = handle.await.map_err(|_| StoreError::WriterStopped)??;
            for (p, r) in positions.into_iter().zip(results) {
                out[p] = Some(r);
            }
        }
        Ok(out
            .into_iter()
            .map(|r| r.unwrap_or(Err(StoreError::WriterStopped)))
            .collect())
    }

    fn shard(&self, company_id: i64, e: &CallEvent) -> usize {
        let mut h = DefaultHasher::new();
        (company_id, &e.external_call_id).hash(&mut h);
        (h.finish() % self.writers as u64) as usize
    }

    async fn send(
        &self,
        shard: usize,
        ctx: Arc<IngestContext>,
        events: Vec<CallEvent>,
    ) -> Result<Vec<Result<IngestOutcome>>> {
        let (reply, rx) = oneshot::channel();
        let sender = self
            .senders
            .lock()
            .await
            .get(shard)
            .cloned()
            .ok_or(StoreError::WriterStopped)?;
        sender
            .send(Job { ctx, events, reply })
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        rx.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Stops taking events and waits for the writers to finish what is queued.
    pub(crate) async fn close(&self) {
        self.senders.lock().await.clear();
        for h in self.handles.lock().await.drain(..) {
            let _ = h.await;
        }
    }
}

async fn run_writer(backend: Backend, mut rx: mpsc::Receiver<Job>, live: LiveHub) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        let mut n = jobs[0].events.len();
        while n < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => {
                    n += j.events.len();
                    jobs.push(j);
                }
                Err(_) => break,
            }
        }
        match write_jobs(&backend, &jobs, &live).await {
            Ok(results) => {
                for (job, r) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(Ok(r));
                }
            }
            Err(e) if jobs.len() == 1 => {
                let job = jobs.pop().expect("one job");
                let _ = job.reply.send(Err(e));
            }
            Err(e) => {
                tracing::warn!(error = %e, jobs = jobs.len(), "shared ingest transaction failed; retrying each request alone");
                for job in jobs {
                    let r = write_jobs(&backend, std::slice::from_ref(&job), &live)
                        .await
                        .map(|mut v| v.pop().unwrap_or_default());
                    let _ = job.reply.send(r);
                }
            }
        }
    }
}

/// One transaction for all `jobs`; per-event logical outcomes inside, or the
/// transaction's own failure for all.
async fn write_jobs(
    backend: &Backend,
    jobs: &[Job],
    live: &LiveHub,
) -> Result<Vec<Vec<Result<IngestOutcome>>>> {
    let now = Timestamp::now();
    macro_rules! write_all {
        ($m:ident, $pool:ident) => {{
            let mut tx = crate::$m::begin_write($pool).await?;
            let mut out = Vec::with_capacity(jobs.len());
            // One transaction may carry several companies' events: each is
            // written acting for its own company (row-level security).
            let mut acting_for = None;
            for job in jobs {
                if acting_for != Some(job.ctx.company_id) {
                    crate::$m::set_company(&mut tx, job.ctx.company_id).await?;
                    acting_for = Some(job.ctx.company_id);
                }
                let mut results = Vec::with_capacity(job.events.len());
                for ev in &job.events {
                    let span = tracing::debug_span!("ingest", company.id = job.ctx.company_id, call.external_id = %ev.external_call_id);
                    // A database error aborts the whole transaction (and, on
                    // PostgreSQL, poisons it): give up and let the caller retry alone.
                    results.push(Ok(crate::$m::ingest_one(&mut tx, &job.ctx, ev, now).instrument(span).await?));
                }
                out.push(results);
            }
            // R-X7: number each company's live events last, companies in
            // ascending order (every other transaction seals one company),
            // so two writers never wait on each other's `live_seq` rows.
            let mut companies: Vec<i64> = jobs.iter().map(|j| j.ctx.company_id).collect();
            companies.sort_unstable();
            companies.dedup();
            let mut published = Vec::new();
            for company in companies {
                crate::$m::set_company(&mut tx, company).await?;
                if crate::$m::seal_live(&mut tx, company).await? {
                    published.push(company);
                }
            }
            tx.commit().await?;
            for company in published {
                live.wake(LiveWake::Company(company));
            }
            Ok(out)
        }};
    }
    match backend {
        Backend::Sqlite(pool) => write_all!(sqlite, pool),
        Backend::Postgres(pool) => write_all!(postgres, pool),
    }
}

//! The job runner: one runner for every kind of durable job.

use crate::{AutomationRunner, Backend, JobRecord, Result, Store};
use jiff::Timestamp;
use ringdesk_domain::jobs::{AfterFailure, JobStatus, RETRY};
use tracing::Instrument;

/// How many due jobs one pass reads; a full batch is followed by another pass.
pub const JOB_BATCH: i64 = 200;

/// How often the runner prunes finished jobs past their retention
/// (`ringdesk_domain::jobs::DONE_RETENTION`, `FAILED_RETENTION`).
pub const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

impl Store {
    /// Named exception to "every query names its company": runs the jobs due
    /// at `now`, of every kind and company (R-C3a settle time, R-C3b stale
    /// calls, R-L5, R-M4 deadlines). Each job runs in its own transaction
    /// acting for its company, after claiming its row (on PostgreSQL a row
    /// another node holds is skipped). A job that fails has its effects
    /// rolled back, its error and attempt kept on its row, and is retried
    /// with back-off until `RETRY.max_attempts`, then failed; it never stops
    /// the other jobs. Returns how many jobs ran. Only failing to read which
    /// jobs are due is an error.
    pub async fn run_due_jobs(&self, now: Timestamp) -> Result<usize> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "job_runner", "due").await?;
            let jobs = m::due_jobs(&mut tx, now, JOB_BATCH).await?;
            tx.commit().await?;
            let mut ran = 0;
            // First the jobs nobody else holds; then, waiting for them, those
            // another node (or an event of the same call) held: when this
            // returns, every job that was due has been run by some node, or
            // has failed an attempt.
            let mut held = Vec::new();
            for (mode, batch) in [(m::ClaimMode::Skip, jobs), (m::ClaimMode::Wait, Vec::new())] {
                let batch = if mode == m::ClaimMode::Wait { std::mem::take(&mut held) } else { batch };
                for job in batch {
                    let span = tracing::info_span!(
                        "job", company.id = job.company_id, job.id = job.job_id, job.kind = %job.kind,
                        call.id = job.call_id, lead.id = job.lead_id
                    );
                    let one = async {
                        let mut tx = m::begin_tenant(pool, job.company_id, true).await?;
                        let Some(failures) = m::claim_job(&mut tx, &job, mode, now).await? else {
                            return Ok(None);
                        };
                        // The job's work in a savepoint: a failure undoes it
                        // alone, and the claim holds while the failure is written.
                        let mut work = sqlx::Connection::begin(&mut *tx).await?;
                        let outcome = m::run_job(&mut work, &job, now).await;
                        let n = match outcome {
                            Ok(m::JobRun::Busy) => return Ok(None),
                            Ok(m::JobRun::Done { ran }) => {
                                work.commit().await?;
                                m::job_ran(&mut tx, job.company_id, job.job_id, None, now).await?;
                                ran
                            }
                            Ok(m::JobRun::Again { at }) => {
                                work.commit().await?;
                                m::job_ran(&mut tx, job.company_id, job.job_id, Some(at), now).await?;
                                1
                            }
                            Err(e) => {
                                work.rollback().await?;
                                let failures = u32::try_from(failures + 1).unwrap_or(u32::MAX);
                                let next = RETRY.after_failure(failures, now);
                                match next {
                                    AfterFailure::RetryAt(at) => tracing::warn!(
                                        error = %e, attempt = failures, retry_at = %at,
                                        "job failed; its effects were rolled back and it will be retried"
                                    ),
                                    AfterFailure::GiveUp => tracing::error!(
                                        error = %e, attempt = failures,
                                        "job failed for the last time; it is marked failed"
                                    ),
                                }
                                m::job_failed(&mut tx, job.company_id, job.job_id, &e.to_string(), next, now).await?;
                                0
                            }
                        };
                        // R-X7: the job's live events, numbered last (`sql/live.rs`).
                        let published = m::seal_live(&mut tx, job.company_id).await?;
                        tx.commit().await?;
                        if published {
                            self.live.wake(crate::LiveWake::Company(job.company_id));
                        }
                        Ok::<Option<usize>, crate::StoreError>(Some(n))
                    }
                    .instrument(span.clone())
                    .await;
                    match one {
                        Ok(Some(n)) => ran += n,
                        Ok(None) if mode == m::ClaimMode::Skip => held.push(job),
                        Ok(None) => {}
                        Err(e) => {
                            // The database failed around the job (begin, claim,
                            // commit): it stays pending and is tried again.
                            let _g = span.enter();
                            tracing::warn!(error = %e, "job could not be run; it stays due");
                        }
                    }
                }
            }
            Ok(ran)
        })
    }

    /// Named exception to "every query names its company": deletes, company
    /// by company, done jobs older than `DONE_RETENTION` and failed jobs older
    /// than `FAILED_RETENTION` (by when they finished). Pending jobs are never
    /// pruned. Returns how many were deleted.
    pub async fn prune_jobs(&self, now: Timestamp) -> Result<u64> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "job_runner", "due").await?;
            let companies = m::companies_to_prune(&mut tx, now, 1000).await?;
            tx.commit().await?;
            let mut pruned = 0;
            for company_id in companies {
                let mut tx = m::begin_tenant(pool, company_id, true).await?;
                pruned += m::prune_jobs(&mut tx, company_id, now).await?;
                tx.commit().await?;
            }
            Ok(pruned)
        })
    }

    /// A company's jobs, newest first, of one status when given (at most `limit`).
    pub async fn jobs(
        &self,
        company_id: i64,
        status: Option<JobStatus>,
        limit: i64,
    ) -> Result<Vec<JobRecord>> {
        read_tx!(self, company_id, m, c => m::jobs(c, company_id, status, limit).await)
    }

    /// Starts the job runner: it runs the due jobs every `every`, at once when
    /// PostgreSQL tells it a job fell due now (`LISTEN`; polling stays as the
    /// fallback), again at once while batches come back full, and prunes
    /// finished jobs and live events (R-X7) every `PRUNE_EVERY`. Jobs are rows in the database, so
    /// they survive a restart and any node may run them.
    pub fn start_automation(&self, every: std::time::Duration) -> AutomationRunner {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let store = self.clone();
        let handle = tokio::spawn(async move {
            let mut listener = store.job_listener().await;
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut last_prune: Option<std::time::Instant> = None;
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    woken = next_wake(&mut listener) => {
                        if let Err(e) = woken {
                            tracing::warn!(error = %e, "the job runner stopped listening for due jobs; it polls");
                            listener = None;
                        }
                    }
                    _ = stopped.changed() => break,
                }
                loop {
                    match store.run_due_jobs(Timestamp::now()).await {
                        Ok(n) if n as i64 >= JOB_BATCH => continue,
                        Ok(_) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "the job runner could not read its jobs");
                            break;
                        }
                    }
                }
                // Calls not yet in the dashboard's roll-ups (R-U4): stored
                // before them, or loaded in bulk. A bounded batch a tick.
                match store.roll_up_pending(20_000).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(calls = n, "calls added to the dashboard's roll-ups"),
                    Err(e) => {
                        tracing::warn!(error = %e, "the job runner could not add calls to the roll-ups")
                    }
                }
                if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                    last_prune = Some(std::time::Instant::now());
                    match store.prune_jobs(Timestamp::now()).await {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(pruned = n, "finished jobs past their retention pruned")
                        }
                        Err(e) => tracing::warn!(error = %e, "the job runner could not prune jobs"),
                    }
                    match store.prune_live(Timestamp::now()).await {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(pruned = n, "live events past their retention pruned")
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "the job runner could not prune live events")
                        }
                    }
                    match store.prune_deliveries(Timestamp::now()).await {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::info!(
                                pruned = n,
                                "inbox deliveries past their retention pruned"
                            )
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "the job runner could not prune the webhook inbox")
                        }
                    }
                }
            }
        });
        AutomationRunner { stop, handle }
    }

    /// On PostgreSQL, a connection listening for "a job is due now".
    async fn job_listener(&self) -> Option<sqlx::postgres::PgListener> {
        let Backend::Postgres(pool) = &self.backend else {
            return None;
        };
        let listen = async {
            let mut l = sqlx::postgres::PgListener::connect_with(pool).await?;
            l.listen(crate::postgres::JOBS_CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        match listen.await {
            Ok(l) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "the job runner cannot listen for due jobs; it polls");
                None
            }
        }
    }
}

/// The next "a job is due now"; never, without a listener.
async fn next_wake(listener: &mut Option<sqlx::postgres::PgListener>) -> Result<(), sqlx::Error> {
    match listener {
        Some(l) => l.recv().await.map(|_| ()),
        None => std::future::pending().await,
    }
}

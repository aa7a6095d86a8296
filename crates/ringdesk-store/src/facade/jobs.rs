//! The durable job runner.

use crate::{ms, ts, AutomationRunner, Backend, Result, Store, StoreError};
use jiff::Timestamp;
use tracing::Instrument;

impl Store {
    /// Named exception to "every query names its company": runs the automation
    /// jobs due at `now` (R-C3a settle time, R-C3b stale calls), each in its
    /// own transaction acting for its company. A job that fails is retried
    /// 30 s later; its effects were rolled back. Returns how many ran.
    pub async fn run_due_jobs(&self, now: Timestamp) -> Result<usize> {
        on_backend!(self, m, pool => {
            let mut tx = m::begin_lookup(pool, "job_runner", "due").await?;
            let jobs = m::due_jobs(&mut tx, now, 200).await?;
            let deadlines = m::due_deadlines(&mut tx, now, 200).await?;
            tx.commit().await?;
            let mut ran = 0;
            for (company_id, lead_id) in deadlines {
                let mut tx = m::begin_tenant(pool, company_id, true).await?;
                if m::run_deadline(&mut tx, company_id, lead_id, now).await? {
                    ran += 1;
                }
                tx.commit().await?;
            }
            for job in &jobs {
                let span = tracing::info_span!("automation_job", company.id = job.company_id, call.id = job.call_id, rule = %job.rule);
                let attempt = async {
                    let mut tx = m::begin_tenant(pool, job.company_id, true).await?;
                    let r = m::run_job(&mut tx, job, now).await?;
                    tx.commit().await?;
                    Ok::<bool, StoreError>(r)
                }
                .instrument(span)
                .await;
                match attempt {
                    Ok(true) => ran += 1,
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(company.id = job.company_id, call.id = job.call_id, rule = %job.rule, error = %e, "automation job failed; retrying in 30 s");
                        let mut tx = m::begin_tenant(pool, job.company_id, true).await?;
                        m::job_failed(&mut tx, job, &e.to_string(), ts(ms(now) + 30_000)).await?;
                        tx.commit().await?;
                    }
                }
            }
            Ok(ran)
        })
    }

    /// Starts the automation runner: every `every`, the due jobs run. Jobs are
    /// rows in the database, so they survive a restart and any node may run them.
    pub fn start_automation(&self, every: std::time::Duration) -> AutomationRunner {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let store = self.clone();
        let handle = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stopped.changed() => break,
                }
                if let Err(e) = store.run_due_jobs(Timestamp::now()).await {
                    tracing::warn!(error = %e, "the automation runner could not read its jobs");
                }
            }
        });
        AutomationRunner { stop, handle }
    }
}

//! Durable jobs, every kind in one table (`job`): enqueueing, the runner's
//! view of due jobs, claiming one (`FOR UPDATE SKIP LOCKED` on PostgreSQL),
//! running it by its kind, recording how it went, listing and pruning.
//! Kinds and states are the domain's enums; they are text only here.

use super::automation::{apply_lead_rule, apply_missed_call_task, call_row, on_call_ended};
use super::calls::refresh_call;
use super::company::telephony_settings;
use super::leads::run_deadline;
use super::{wake_job_runners, Conn, FOR_UPDATE, SKIP_LOCKED};
use crate::decode::{At, Named};
use crate::model::JobRecord;
use crate::{ms, ts, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::Rule;
use ringdesk_domain::call::Direction;
use ringdesk_domain::jobs::{prune_before, AfterFailure, JobKind, JobStatus, JobSubject};
use sqlx::Row;

/// The longest error text kept on a job's row.
const MAX_ERROR_CHARS: usize = 2000;

/// Enqueues a call's job once: a job of this kind for this call that exists
/// already (waiting, done or failed) is left as it is. A job due now wakes
/// the runners.
pub(super) async fn enqueue(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    kind: JobKind,
    run_at: i64,
    now: Timestamp,
) -> Result<()> {
    debug_assert_eq!(kind.subject(), JobSubject::Call);
    sqlx::query(
        "insert into job (company_id, kind, call_id, run_at, status, attempts, created_at, updated_at) \
         values ($1, $2, $3, $4, 'pending', 0, $5, $5) \
         on conflict (company_id, kind, call_id) where call_id is not null do nothing",
    )
    .bind(company_id)
    .bind(kind.as_str())
    .bind(call_id)
    .bind(run_at)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    if run_at <= ms(now) {
        wake_job_runners(conn).await?;
    }
    Ok(())
}

/// R-M4: (re)schedules a lead's deadline job for `due`: a new deadline is a
/// new job, whatever became of the one before.
pub(super) async fn schedule_lead_deadline(
    conn: &mut Conn,
    company_id: i64,
    lead_id: i64,
    due: Timestamp,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "insert into job (company_id, kind, lead_id, run_at, status, attempts, created_at, updated_at) \
         values ($1, $2, $3, $4, 'pending', 0, $5, $5) \
         on conflict (company_id, kind, lead_id) where lead_id is not null do update set \
         run_at = excluded.run_at, status = 'pending', attempts = 0, last_error = null, \
         finished_at = null, updated_at = excluded.updated_at",
    )
    .bind(company_id)
    .bind(JobKind::LeadDeadline.as_str())
    .bind(lead_id)
    .bind(ms(due))
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    if due <= now {
        wake_job_runners(conn).await?;
    }
    Ok(())
}

/// A call's waiting jobs of these kinds have nothing left to do (R-C3a: the
/// call was answered; R-C3b: it ended): they are done without running.
pub(super) async fn finish_waiting_call_jobs(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    kinds: &[JobKind],
    now: Timestamp,
) -> Result<()> {
    for kind in kinds {
        sqlx::query(
            "update job set status = 'done', finished_at = $4, updated_at = $4 \
             where company_id = $1 and call_id = $2 and kind = $3 and status = 'pending'",
        )
        .bind(company_id)
        .bind(call_id)
        .bind(kind.as_str())
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A due job as the runner's view lists it: its kind still as stored.
#[derive(Debug, Clone)]
pub(crate) struct DueJob {
    pub job_id: i64,
    pub company_id: i64,
    pub kind: String,
    pub call_id: Option<i64>,
    pub lead_id: Option<i64>,
}

/// Named exception to "every query names its company": the job runner's view
/// of which jobs are due, across companies, oldest first. On PostgreSQL it
/// runs in a lookup transaction whose policy shows `job` rows only.
pub(crate) async fn due_jobs(conn: &mut Conn, now: Timestamp, limit: i64) -> Result<Vec<DueJob>> {
    let rows = sqlx::query(
        "select job_id, company_id, kind, call_id, lead_id from job \
         where status = 'pending' and run_at <= $1 order by run_at, job_id limit $2",
    )
    .bind(ms(now))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueJob {
                job_id: r.try_get("job_id")?,
                company_id: r.try_get("company_id")?,
                kind: r.try_get("kind")?,
                call_id: r.try_get("call_id")?,
                lead_id: r.try_get("lead_id")?,
            })
        })
        .collect()
}

/// How the runner claims a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimMode {
    /// Pass over a job another transaction holds (PostgreSQL `SKIP LOCKED`):
    /// the nodes share the due jobs.
    Skip,
    /// Wait for it: lock the job's call or lead, then the job, in the order
    /// every other writer uses (so no deadlock); a job another node was
    /// running is then found done.
    Wait,
}

/// Claims a due job for this transaction: its row stays locked until the
/// transaction ends (SQLite's write lock serialises the runner anyway).
/// Returns the failed attempts so far, or `None` when the job is not there
/// to claim (held by another node, in [`ClaimMode::Skip`]; or run meanwhile).
pub(crate) async fn claim_job(
    conn: &mut Conn,
    job: &DueJob,
    mode: ClaimMode,
    now: Timestamp,
) -> Result<Option<i64>> {
    let lock = match mode {
        ClaimMode::Skip => SKIP_LOCKED,
        ClaimMode::Wait => {
            let kind = JobKind::parse(&job.kind).map(JobKind::subject);
            let subject = match (kind, job.call_id, job.lead_id) {
                (Some(JobSubject::Call), Some(id), None) => Some(("call", "call_id", id)),
                (Some(JobSubject::Lead), None, Some(id)) => Some(("lead", "lead_id", id)),
                // A row that does not decode is claimed alone, to fail in `run_job`.
                _ => None,
            };
            if let Some((table, key, id)) = subject {
                sqlx::query(&format!(
                    "select {key} from {table} where company_id = $1 and {key} = $2{FOR_UPDATE}"
                ))
                .bind(job.company_id)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            }
            FOR_UPDATE
        }
    };
    Ok(sqlx::query_scalar(&format!(
        "select attempts from job where company_id = $1 and job_id = $2 and status = 'pending' and run_at <= $3{lock}"
    ))
    .bind(job.company_id)
    .bind(job.job_id)
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?)
}

/// How a claimed job went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobRun {
    /// It ran; `ran` counts it and any job it ran along with it.
    Done { ran: usize },
    /// It ran and wants to run again at this time (a stale-call check).
    Again { at: i64 },
    /// Its call or lead is held by another transaction (an event of that call
    /// being written, another node): not an attempt; claimed again with
    /// [`ClaimMode::Wait`].
    Busy,
}

/// Runs a claimed job by its kind, in the caller's transaction (acting for
/// its company; the caller makes it a savepoint, so a failure undoes only
/// what the job did). A row that cannot be decoded is an error of this job.
pub(crate) async fn run_job(conn: &mut Conn, job: &DueJob, now: Timestamp) -> Result<JobRun> {
    let kind = JobKind::parse(&job.kind).ok_or_else(|| {
        StoreError::Corrupt(format!("job {}: unknown kind {:?}", job.job_id, job.kind))
    })?;
    let company_id = job.company_id;
    let subject = match (kind.subject(), job.call_id, job.lead_id) {
        (JobSubject::Call, Some(call_id), None) => call_id,
        (JobSubject::Lead, None, Some(lead_id)) => lead_id,
        _ => {
            return Err(StoreError::Corrupt(format!(
                "job {}: a {} job must name its {} alone (call {:?}, lead {:?})",
                job.job_id,
                kind.as_str(),
                match kind.subject() {
                    JobSubject::Call => "call",
                    JobSubject::Lead => "lead",
                },
                job.call_id,
                job.lead_id
            )))
        }
    };
    if !lock_subject(conn, company_id, kind.subject(), subject).await? {
        return Ok(JobRun::Busy);
    }
    let mut ran = 1;
    match kind {
        JobKind::StaleCheck => {
            if let Some(at) = stale_check(conn, company_id, subject, now).await? {
                return Ok(JobRun::Again { at });
            }
        }
        JobKind::MissedCallLead | JobKind::AnsweredCallLead => {
            let rule = kind.rule().expect("a lead rule's job");
            apply_lead_rule(conn, company_id, subject, rule, now).await?;
        }
        JobKind::MissedCallTask => {
            // R-A5 (our decision): the task links to the lead made from this
            // call, so that job runs first if it is still waiting.
            if claim_along(conn, company_id, subject, JobKind::MissedCallLead, now).await? {
                apply_lead_rule(conn, company_id, subject, Rule::MissedCallLead, now).await?;
                ran += 1;
            }
            apply_missed_call_task(conn, company_id, subject, now).await?;
        }
        JobKind::LeadDeadline => run_deadline(conn, company_id, subject, now).await?,
        JobKind::CallbackSla => {
            if let Some(at) = super::sla::run_breach_check(conn, company_id, subject, now).await? {
                return Ok(JobRun::Again { at });
            }
        }
    }
    Ok(JobRun::Done { ran })
}

/// Locks the job's call or lead row first, as every writer of it does (an
/// event of the call and a job never interleave), without waiting: false
/// when another transaction holds it. A row that is not there is an error.
async fn lock_subject(
    conn: &mut Conn,
    company_id: i64,
    subject: JobSubject,
    id: i64,
) -> Result<bool> {
    let (table, key, what) = match subject {
        JobSubject::Call => ("call", "call_id", "call"),
        JobSubject::Lead => ("lead", "lead_id", "lead"),
    };
    let locked: Option<i64> = sqlx::query_scalar(&format!(
        "select {key} from {table} where company_id = $1 and {key} = $2{SKIP_LOCKED}"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if locked.is_some() {
        return Ok(true);
    }
    let exists: bool = sqlx::query_scalar(&format!(
        "select exists(select 1 from {table} where company_id = $1 and {key} = $2)"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if exists {
        Ok(false)
    } else {
        Err(StoreError::NotFound(what))
    }
}

/// Claims and finishes a waiting job of the same call, run inside this one.
async fn claim_along(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    kind: JobKind,
    now: Timestamp,
) -> Result<bool> {
    let n = sqlx::query(
        "update job set status = 'done', attempts = attempts + 1, finished_at = $4, updated_at = $4 \
         where company_id = $1 and call_id = $2 and kind = $3 and status = 'pending'",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(kind.as_str())
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records a claimed job's successful run: done, or due again at `again`.
pub(crate) async fn job_ran(
    conn: &mut Conn,
    company_id: i64,
    job_id: i64,
    again: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let q = match again {
        Some(at) => sqlx::query(
            "update job set run_at = $3, attempts = 0, last_error = null, updated_at = $4 \
             where company_id = $1 and job_id = $2",
        )
        .bind(company_id)
        .bind(job_id)
        .bind(at),
        None => sqlx::query(
            "update job set status = 'done', attempts = attempts + 1, finished_at = $3, updated_at = $3 \
             where company_id = $1 and job_id = $2",
        )
        .bind(company_id)
        .bind(job_id),
    };
    q.bind(ms(now)).execute(&mut *conn).await?;
    Ok(())
}

/// Records a claimed job's failed attempt (its effects already rolled back):
/// the error, the attempt, and either its next try or that it failed.
pub(crate) async fn job_failed(
    conn: &mut Conn,
    company_id: i64,
    job_id: i64,
    error: &str,
    next: AfterFailure,
    now: Timestamp,
) -> Result<()> {
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    let (status, run_at, finished_at) = match next {
        AfterFailure::RetryAt(at) => (JobStatus::Pending, Some(ms(at)), None),
        AfterFailure::GiveUp => (JobStatus::Failed, None, Some(ms(now))),
    };
    sqlx::query(
        "update job set attempts = attempts + 1, last_error = $3, status = $4, run_at = coalesce($5, run_at), \
         finished_at = $6, updated_at = $7 where company_id = $1 and job_id = $2",
    )
    .bind(company_id)
    .bind(job_id)
    .bind(error)
    .bind(status.as_str())
    .bind(run_at)
    .bind(finished_at)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// R-C3b: a call silent for `stale_call_hours` is closed `failed`. Returns
/// when to look again if it is not stale yet.
async fn stale_check(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    now: Timestamp,
) -> Result<Option<i64>> {
    let settings = telephony_settings(conn, company_id).await?;
    let r = sqlx::query("select direction, ended_at, last_event_received_at, created_at from call where company_id = $1 and call_id = $2")
        .bind(company_id)
        .bind(call_id)
        .fetch_one(&mut *conn)
        .await?;
    if r.try_get::<Option<i64>, _>("ended_at")?.is_some() {
        return Ok(None);
    }
    let last = ts(r
        .try_get::<Option<i64>, _>("last_event_received_at")?
        .unwrap_or(r.try_get("created_at")?))?;
    if !ringdesk_domain::automation::is_stale(last, now, &settings) {
        // Not yet: check again when it would be.
        let due = ms(last) + i64::from(settings.stale_call_hours) * 3_600_000;
        return Ok(Some(due.max(ms(now) + 1000)));
    }
    let before = call_row(conn, company_id, call_id, false).await?;
    sqlx::query("update call set closed_stale_at = $3 where company_id = $1 and call_id = $2")
        .bind(company_id)
        .bind(call_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    let direction: Direction = crate::decode::name(r.try_get("direction")?)?;
    refresh_call(
        conn,
        company_id,
        call_id,
        direction,
        Some(ms(now)),
        None,
        now,
    )
    .await?;
    let recovered = super::calls::recover_missed_calls(conn, company_id, call_id).await?;
    let after = call_row(conn, company_id, call_id, false).await?;
    let newly_ended = after.ended_at.is_some() && before.ended_at.is_none();
    if newly_ended {
        on_call_ended(conn, company_id, call_id, &after, now).await?;
    }
    super::sla::after_call_change(conn, company_id, call_id, newly_ended, &recovered, now).await?;
    Ok(None)
}

const JOB_COLUMNS: &str = "job_id, kind, status, call_id, lead_id, run_at, attempts, last_error, created_at, updated_at, finished_at";

#[derive(sqlx::FromRow)]
struct JobRow {
    job_id: i64,
    kind: String,
    status: Named<JobStatus>,
    call_id: Option<i64>,
    lead_id: Option<i64>,
    run_at: At,
    attempts: i64,
    last_error: Option<String>,
    created_at: At,
    updated_at: At,
    finished_at: Option<At>,
}

impl From<JobRow> for JobRecord {
    fn from(r: JobRow) -> JobRecord {
        JobRecord {
            id: r.job_id,
            kind: r.kind,
            status: r.status.0,
            call_id: r.call_id,
            lead_id: r.lead_id,
            run_at: r.run_at.0,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at: r.created_at.0,
            updated_at: r.updated_at.0,
            finished_at: r.finished_at.map(|At(t)| t),
        }
    }
}

/// A company's jobs, newest first; of one status when given.
pub(crate) async fn jobs(
    conn: &mut Conn,
    company_id: i64,
    status: Option<JobStatus>,
    limit: i64,
) -> Result<Vec<JobRecord>> {
    let rows: Vec<JobRow> = sqlx::query_as(&format!(
        "select {JOB_COLUMNS} from job where company_id = $1 and ($2 is null or status = $2) \
         order by job_id desc limit $3"
    ))
    .bind(company_id)
    .bind(status.map(JobStatus::as_str))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(JobRecord::from).collect())
}

/// Named exception, as `due_jobs`: the companies that have done or failed
/// jobs past their retention.
pub(crate) async fn companies_to_prune(
    conn: &mut Conn,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<i64>> {
    let (done, failed) = retention_bounds(now);
    Ok(sqlx::query_scalar(
        "select distinct company_id from job where status <> 'pending' and \
         ((status = 'done' and finished_at < $1) or (status = 'failed' and finished_at < $2)) \
         order by company_id limit $3",
    )
    .bind(done)
    .bind(failed)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Deletes a company's done and failed jobs past their retention.
pub(crate) async fn prune_jobs(conn: &mut Conn, company_id: i64, now: Timestamp) -> Result<u64> {
    let (done, failed) = retention_bounds(now);
    Ok(sqlx::query(
        "delete from job where company_id = $1 and status <> 'pending' and \
         ((status = 'done' and finished_at < $2) or (status = 'failed' and finished_at < $3))",
    )
    .bind(company_id)
    .bind(done)
    .bind(failed)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

fn retention_bounds(now: Timestamp) -> (i64, i64) {
    let bound = |s| prune_before(s, now).map(ms).unwrap_or(i64::MIN);
    (bound(JobStatus::Done), bound(JobStatus::Failed))
}

/// Test support (`ringdesk_store::testing::break_job_row`): makes a job's row
/// name neither a call nor a lead, as a damaged row would.
pub(crate) async fn break_job_row(conn: &mut Conn, company_id: i64, job_id: i64) -> Result<()> {
    let n = sqlx::query(
        "update job set call_id = null, lead_id = null where company_id = $1 and job_id = $2",
    )
    .bind(company_id)
    .bind(job_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("job"));
    }
    Ok(())
}

//! Durable jobs: enqueueing, the runner's view of due jobs, claiming and running them, the stale-call check (R-C3b).

use super::automation::{apply_lead_rule, apply_missed_call_task, call_row, on_call_ended};
use super::calls::refresh_call;
use super::company::telephony_settings;
use super::Conn;
use crate::{ms, ts, Result};
use jiff::Timestamp;
use ringdesk_domain::automation::Rule;
use ringdesk_domain::call::Direction;
use sqlx::Row;

/// The job that closes a call nobody ended (R-C3b); not a rule of R-X5.
pub(crate) const STALE_CHECK: &str = "stale_check";

pub(super) async fn enqueue(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: &str,
    run_at: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "insert into automation_job (company_id, call_id, rule, run_at, created_at) values ($1, $2, $3, $4, $5) \
         on conflict (company_id, call_id, rule) do nothing",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(rule)
    .bind(run_at)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A job that is due.
#[derive(Debug, Clone)]
pub(crate) struct DueJob {
    pub company_id: i64,
    pub call_id: i64,
    pub rule: String,
}

/// Named exception to "every query names its company": the job runner's view
/// of which jobs are due, across companies. On PostgreSQL it runs in a lookup
/// transaction whose policy shows `automation_job` rows only.
pub(crate) async fn due_jobs(conn: &mut Conn, now: Timestamp, limit: i64) -> Result<Vec<DueJob>> {
    let rows = sqlx::query(
        "select company_id, call_id, rule from automation_job where done_at is null and run_at <= $1 order by run_at, call_id, rule limit $2",
    )
    .bind(ms(now))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DueJob {
                company_id: r.try_get("company_id")?,
                call_id: r.try_get("call_id")?,
                rule: r.try_get("rule")?,
            })
        })
        .collect()
}

/// Runs one job in the caller's transaction (acting for its company): locks
/// the call, then the job; a job already done (by another node) does nothing.
/// Returns whether it ran.
pub(crate) async fn run_job(conn: &mut Conn, job: &DueJob, now: Timestamp) -> Result<bool> {
    let company_id = job.company_id;
    call_row(conn, company_id, job.call_id, true).await?;
    if !claim_job(conn, company_id, job.call_id, &job.rule, now).await? {
        return Ok(false);
    }
    match job.rule.as_str() {
        STALE_CHECK => stale_check(conn, company_id, job.call_id, now).await?,
        "missed_call_lead" => {
            apply_lead_rule(conn, company_id, job.call_id, Rule::MissedCallLead, now).await?;
        }
        "answered_call_lead" => {
            apply_lead_rule(conn, company_id, job.call_id, Rule::AnsweredCallLead, now).await?;
        }
        "missed_call_task" => {
            // R-A5 (our decision): the task links to the lead made from this
            // call, so that job runs first if it is still waiting.
            if claim_job(
                conn,
                company_id,
                job.call_id,
                Rule::MissedCallLead.as_str(),
                now,
            )
            .await?
            {
                apply_lead_rule(conn, company_id, job.call_id, Rule::MissedCallLead, now).await?;
            }
            apply_missed_call_task(conn, company_id, job.call_id, now).await?;
        }
        other => tracing::warn!(rule = other, "unknown automation job; marked done"),
    }
    Ok(true)
}

/// Marks a waiting job done; false if it was done already (or does not exist).
async fn claim_job(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = sqlx::query(
        "update automation_job set done_at = $4, attempts = attempts + 1 where company_id = $1 and call_id = $2 and rule = $3 and done_at is null",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(rule)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records a job's failure and when to try again (its effects rolled back).
pub(crate) async fn job_failed(
    conn: &mut Conn,
    job: &DueJob,
    error: &str,
    retry_at: Timestamp,
) -> Result<()> {
    sqlx::query("update automation_job set attempts = attempts + 1, last_error = $4, run_at = $5 where company_id = $1 and call_id = $2 and rule = $3")
        .bind(job.company_id)
        .bind(job.call_id)
        .bind(&job.rule)
        .bind(error)
        .bind(ms(retry_at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// R-C3b: a call silent for `stale_call_hours` is closed `failed`.
async fn stale_check(conn: &mut Conn, company_id: i64, call_id: i64, now: Timestamp) -> Result<()> {
    let settings = telephony_settings(conn, company_id).await?;
    let r = sqlx::query("select direction, ended_at, last_event_received_at, created_at from call where company_id = $1 and call_id = $2")
        .bind(company_id)
        .bind(call_id)
        .fetch_one(&mut *conn)
        .await?;
    if r.try_get::<Option<i64>, _>("ended_at")?.is_some() {
        return Ok(());
    }
    let last = ts(r
        .try_get::<Option<i64>, _>("last_event_received_at")?
        .unwrap_or(r.try_get("created_at")?));
    if !ringdesk_domain::automation::is_stale(last, now, &settings) {
        // Not yet: check again when it would be.
        let due = ms(last) + i64::from(settings.stale_call_hours) * 3_600_000;
        sqlx::query("update automation_job set done_at = null, run_at = $4 where company_id = $1 and call_id = $2 and rule = $3")
            .bind(company_id)
            .bind(call_id)
            .bind(STALE_CHECK)
            .bind(due.max(ms(now) + 1000))
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    let before = call_row(conn, company_id, call_id, false).await?;
    sqlx::query("update call set closed_stale_at = $3 where company_id = $1 and call_id = $2")
        .bind(company_id)
        .bind(call_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    let direction = Direction::parse(r.try_get("direction")?).unwrap_or(Direction::Inbound);
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
    let after = call_row(conn, company_id, call_id, false).await?;
    if after.ended_at.is_some() && before.ended_at.is_none() {
        on_call_ended(conn, company_id, call_id, &after, now).await?;
    }
    Ok(())
}

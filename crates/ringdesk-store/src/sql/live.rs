//! The live stream's outbox (R-X7, issue 11; migration 0009). A change worth
//! a live event writes a row with [`publish`] in its own transaction; just
//! before that transaction commits, [`seal_live`] numbers the company's new
//! rows (`seq`) under the lock of its `live_seq` row, so numbers follow commit
//! order, and (PostgreSQL) wakes every node's streams at commit. Streams read
//! what follows the last number they sent ([`live_events`]).

use super::{notify_live, Conn};
use crate::decode::Named;
use crate::model::{LiveEvent, LiveKind};
use crate::{ms, Result};
use jiff::Timestamp;

/// Records that `subject_id` (of `kind`) changed, in the caller's
/// transaction; `employee_id` names the one employee a notification is for.
pub(crate) async fn publish(
    conn: &mut Conn,
    company_id: i64,
    kind: LiveKind,
    subject_id: i64,
    employee_id: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "insert into live_event (company_id, kind, subject_id, employee_id, created_at) values ($1, $2, $3, $4, $5)",
    )
    .bind(company_id)
    .bind(kind.as_str())
    .bind(subject_id)
    .bind(employee_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Numbers the rows this transaction published for `company_id`, to be
/// called last before commit. The company's `live_seq` row stays locked
/// until commit, so a later number never commits before an earlier one (a
/// stream that read up to n never finds a new row below n). Other
/// transactions' rows are invisible until they commit, and every committed row
/// is numbered. Returns whether there was anything (then the streams are
/// woken at commit: `NOTIFY` on PostgreSQL; the caller wakes this process's).
pub(crate) async fn seal_live(conn: &mut Conn, company_id: i64) -> Result<bool> {
    let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "select min(live_event_id), max(live_event_id) from live_event where company_id = $1 and seq is null",
    )
    .bind(company_id)
    .fetch_one(&mut *conn)
    .await?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(false);
    };
    let span = last - first + 1;
    let top: i64 = sqlx::query_scalar(
        "insert into live_seq (company_id, last_seq) values ($1, $2) \
         on conflict (company_id) do update set last_seq = live_seq.last_seq + excluded.last_seq returning last_seq",
    )
    .bind(company_id)
    .bind(span)
    .fetch_one(&mut *conn)
    .await?;
    // Numbers keep the rows' order; a gap (another transaction's id) is harmless.
    sqlx::query(
        "update live_event set seq = $2 + (live_event_id - $3) where company_id = $1 and seq is null",
    )
    .bind(company_id)
    .bind(top - span + 1)
    .bind(first)
    .execute(&mut *conn)
    .await?;
    notify_live(conn, company_id).await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct LiveRow {
    seq: i64,
    kind: Named<LiveKind>,
    subject_id: i64,
    employee_id: Option<i64>,
}

/// The company's events numbered after `after`, in order (at most `limit`).
pub(crate) async fn live_events(
    conn: &mut Conn,
    company_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<LiveEvent>> {
    let rows: Vec<LiveRow> = sqlx::query_as(
        "select seq, kind, subject_id, employee_id from live_event \
         where company_id = $1 and seq > $2 order by seq limit $3",
    )
    .bind(company_id)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LiveEvent {
            id: r.seq,
            kind: r.kind.0,
            subject_id: r.subject_id,
            employee_id: r.employee_id,
        })
        .collect())
}

/// The company's last committed event number (0 before the first).
pub(crate) async fn live_last_seq(conn: &mut Conn, company_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("select last_seq from live_seq where company_id = $1")
            .bind(company_id)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0),
    )
}

/// The job runner's view (across companies): which companies have events
/// published before `before`.
pub(crate) async fn companies_with_old_live_events(
    conn: &mut Conn,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "select distinct company_id from live_event where created_at < $1 order by company_id limit $2",
    )
    .bind(ms(before))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Deletes the company's events published before `before`.
pub(crate) async fn prune_live(conn: &mut Conn, company_id: i64, before: Timestamp) -> Result<u64> {
    Ok(
        sqlx::query("delete from live_event where company_id = $1 and created_at < $2")
            .bind(company_id)
            .bind(ms(before))
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

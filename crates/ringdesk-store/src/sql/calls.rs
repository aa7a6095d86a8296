//! Call ingestion (one event in the writer's transaction, R-C3) and reading calls.

use super::automation::after_event;
use super::clients::lookup;
use super::live::publish;
use super::phone_system::extensions_among;
use super::{Conn, Db, FOR_UPDATE};
use crate::decode::{At, Named};
use crate::model::*;
use crate::{ms, sha256_hex, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::not_customer;
use ringdesk_domain::call::{CallState, CallSummary, Direction, EventFact};
use ringdesk_domain::event::CallEvent;
use ringdesk_domain::phone;
use sqlx::QueryBuilder;
use sqlx::Row;

/// Resolves an event's `operator` (an extension or an e-mail) to an employee (R-C5, R-T4).
async fn resolve_operator(conn: &mut Conn, company_id: i64, operator: &str) -> Result<Option<i64>> {
    let id: Option<i64> = if operator.contains('@') {
        sqlx::query_scalar("select employee_id from employee where company_id = $1 and email = $2")
            .bind(company_id)
            .bind(operator.to_lowercase())
            .fetch_optional(&mut *conn)
            .await?
    } else {
        sqlx::query_scalar(
            "select employee_id from employee_extension where company_id = $1 and extension = $2",
        )
        .bind(company_id)
        .bind(operator)
        .fetch_optional(&mut *conn)
        .await?
    };
    Ok(id)
}

/// What an event's existing `event_id` says about a new delivery (R-X4).
async fn seen_event(
    conn: &mut Conn,
    company_id: i64,
    event_id: &str,
    fingerprint: &str,
) -> Result<Option<IngestOutcome>> {
    let row = sqlx::query(
        "select call_id, fingerprint from call_event where company_id = $1 and event_id = $2",
    )
    .bind(company_id)
    .bind(event_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let call_id: i64 = row.try_get("call_id")?;
    let stored: &str = row.try_get("fingerprint")?;
    Ok(Some(if stored == fingerprint {
        IngestOutcome::Duplicate { call_id }
    } else {
        IngestOutcome::Conflict { call_id }
    }))
}

/// Stores one event and brings its call up to date, inside the caller's
/// transaction. Everything an event causes is written here, so that it
/// commits or vanishes together with the event's dedupe row.
pub(crate) async fn ingest_one(
    conn: &mut Conn,
    ctx: &IngestContext,
    ev: &CallEvent,
    now: Timestamp,
) -> Result<IngestOutcome> {
    let company_id = ctx.company_id;
    let fingerprint = sha256_hex(&ev.fingerprint_text());
    if let Some(outcome) = seen_event(conn, company_id, &ev.event_id, &fingerprint).await? {
        return Ok(outcome);
    }

    // The call: created by its first event, which identifies the caller (R-P3, R-P6).
    let created: Option<i64> = sqlx::query_scalar(
        "insert into call (company_id, external_id, direction, state, from_raw, to_raw, first_seen_at, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8) on conflict (company_id, external_id) do nothing returning call_id",
    )
    .bind(company_id)
    .bind(&ev.external_call_id)
    .bind(ev.direction.as_str())
    .bind(ev.state.as_str())
    .bind(&ev.from)
    .bind(&ev.to)
    .bind(ms(ev.at))
    .bind(ms(now))
    .fetch_optional(&mut *conn)
    .await?;
    // Whether the call was answered, and had ended, before this event (automation's triggers).
    let mut before = (false, false);
    let mut closed_stale_at: Option<i64> = None;
    let (call_id, direction) = match created {
        Some(id) => {
            identify_caller(conn, ctx, id, ev).await?;
            (id, ev.direction)
        }
        None => {
            let row = sqlx::query(&format!(
                "select call_id, direction, answered_at, ended_at, closed_stale_at from call where company_id = $1 and external_id = $2{FOR_UPDATE}"
            ))
            .bind(company_id)
            .bind(&ev.external_call_id)
            .fetch_one(&mut *conn)
            .await?;
            before = (
                row.try_get::<Option<i64>, _>("answered_at")?.is_some(),
                row.try_get::<Option<i64>, _>("ended_at")?.is_some(),
            );
            closed_stale_at = row.try_get("closed_stale_at")?;
            (
                row.try_get("call_id")?,
                crate::decode::name::<Direction>(row.try_get("direction")?)?,
            )
        }
    };

    let operator_id = match &ev.operator {
        Some(op) => resolve_operator(conn, company_id, op).await?,
        None => None,
    };
    let inserted = sqlx::query(
        "insert into call_event (company_id, call_id, event_id, state, at, from_raw, to_raw, operator, operator_id, queue, recording_url, fingerprint, received_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict (company_id, event_id) do nothing",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(&ev.event_id)
    .bind(ev.state.as_str())
    .bind(ms(ev.at))
    .bind(&ev.from)
    .bind(&ev.to)
    .bind(&ev.operator)
    .bind(operator_id)
    .bind(&ev.queue)
    .bind(&ev.recording_url)
    .bind(&fingerprint)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        // A concurrent delivery stored this event_id first (PostgreSQL, another writer).
        if created.is_some() {
            sqlx::query("delete from call where call_id = $1")
                .bind(call_id)
                .execute(&mut *conn)
                .await?;
        }
        return seen_event(conn, company_id, &ev.event_id, &fingerprint)
            .await?
            .ok_or(StoreError::NotFound("call event"));
    }
    let after = refresh_call(
        conn,
        company_id,
        call_id,
        direction,
        closed_stale_at,
        Some(now),
        now,
    )
    .await?;
    after_event(
        conn,
        company_id,
        call_id,
        created.is_some(),
        before,
        after,
        now,
    )
    .await?;
    let recovered = recover_missed_calls(conn, company_id, call_id).await?;
    let newly_ended = after.1 && !before.1;
    super::sla::after_call_change(conn, company_id, call_id, newly_ended, &recovered, now).await?;
    Ok(IngestOutcome::Accepted { call_id })
}

/// R-C7, after any change to a call: the missed calls from its number that a
/// later call to or from that number now recovers (the domain's
/// `recoveries`), in the event's transaction. Run on every event of every
/// call with that number, so the order events arrive in does not matter; a
/// recovered call stays recovered by its first callback. Returns the missed
/// calls it recovered now (their callback SLA is settled next).
pub(super) async fn recover_missed_calls(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
) -> Result<Vec<i64>> {
    use ringdesk_domain::recovery::{recoveries, LaterCall, MissedCall};
    let key: Option<String> =
        sqlx::query_scalar("select customer_key from call where company_id = $1 and call_id = $2")
            .bind(company_id)
            .bind(call_id)
            .fetch_one(&mut *conn)
            .await?;
    let Some(key) = key else {
        return Ok(vec![]);
    };
    let missed: Vec<(i64, At)> = sqlx::query_as(
        "select call_id, ended_at from call where company_id = $1 and customer_key = $2 \
         and missed and not recovered and ended_at is not null",
    )
    .bind(company_id)
    .bind(&key)
    .fetch_all(&mut *conn)
    .await?;
    let Some(earliest) = missed.iter().map(|(_, At(t))| *t).min() else {
        return Ok(vec![]);
    };
    let settings = super::company::telephony_settings(conn, company_id).await?;
    let later: Vec<(i64, At, Named<Direction>, Option<i64>)> = sqlx::query_as(
        "select call_id, first_seen_at, direction, answered_at from call \
         where company_id = $1 and customer_key = $2 and first_seen_at > $3",
    )
    .bind(company_id)
    .bind(&key)
    .bind(ms(earliest))
    .fetch_all(&mut *conn)
    .await?;
    let missed: Vec<MissedCall> = missed
        .into_iter()
        .map(|(call_id, At(ended))| MissedCall { call_id, ended })
        .collect();
    let later: Vec<LaterCall> = later
        .into_iter()
        .map(
            |(call_id, At(started), Named(direction), answered_at)| LaterCall {
                call_id,
                started,
                outbound: direction.is_outbound(),
                answered: answered_at.is_some(),
            },
        )
        .collect();
    let found = recoveries(&missed, &later, &settings);
    let mut recovered = Vec::new();
    if found.is_empty() {
        return Ok(recovered);
    }
    // R-U4: both calls' contributions move (the missed call is recovered;
    // the callback made one more recovery).
    let tz = super::dashboard::company_tz(conn, company_id).await?;
    for r in found {
        recovered.push(r.missed_call_id);
        let before =
            super::dashboard::rollup_before(conn, company_id, r.missed_call_id, &tz).await?;
        let changed = sqlx::query(
            "update call set recovered = true, recovered_by_call_id = $3, recovery_seconds = $4 \
             where company_id = $1 and call_id = $2 and not recovered",
        )
        .bind(company_id)
        .bind(r.missed_call_id)
        .bind(r.by_call_id)
        .bind(r.seconds)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 0 {
            continue;
        }
        super::dashboard::rollup_after(conn, company_id, r.missed_call_id, before, &tz).await?;
        let before = super::dashboard::rollup_before(conn, company_id, r.by_call_id, &tz).await?;
        sqlx::query(
            "update call set recoveries = recoveries + 1, recoveries_seconds = recoveries_seconds + $3 \
             where company_id = $1 and call_id = $2",
        )
        .bind(company_id)
        .bind(r.by_call_id)
        .bind(r.seconds)
        .execute(&mut *conn)
        .await?;
        super::dashboard::rollup_after(conn, company_id, r.by_call_id, before, &tz).await?;
    }
    Ok(recovered)
}

/// R-P3, R-P6: the customer's number on the call's first event, looked up once.
async fn identify_caller(
    conn: &mut Conn,
    ctx: &IngestContext,
    call_id: i64,
    ev: &CallEvent,
) -> Result<()> {
    // R-P7: an internal call or an ignored number is recorded, identifies
    // nobody and groups nothing; the rules read `not_customer` and say why.
    let (from, to) = (ev.from.trim(), ev.to.trim());
    let extensions = if from.is_empty() || to.is_empty() {
        Vec::new()
    } else {
        extensions_among(conn, ctx.company_id, &[from, to]).await?
    };
    let is_extension = |e: &str| extensions.iter().any(|x| x == e);
    if let Some(n) = not_customer(from, to, &is_extension, &ctx.ignored_numbers, &ctx.country) {
        sqlx::query("update call set not_customer = $2 where call_id = $1")
            .bind(call_id)
            .bind(n.as_str())
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    // R-U4: the company's line an inbound call dialled, for the figures per line.
    if ev.direction == Direction::Inbound && !to.is_empty() {
        let line = phone::normalise(to, &ctx.country)
            .map(|n| n.key.as_str().to_owned())
            .unwrap_or_else(|_| to.to_owned());
        sqlx::query("update call set line_key = $2 where call_id = $1")
            .bind(call_id)
            .bind(line)
            .execute(&mut *conn)
            .await?;
    }
    let raw = ev.customer_number();
    if phone::is_withheld(raw) {
        return Ok(());
    }
    let Ok(number) = phone::normalise(raw, &ctx.country) else {
        return Ok(());
    };
    let matches = lookup(conn, ctx.company_id, &number.key).await?;
    let m = ClientMatch::of(matches.len());
    let client_id = (m == ClientMatch::One).then(|| matches[0].client_id);
    sqlx::query(
        "update call set customer_key = $2, client_match = $3, client_id = $4 where call_id = $1",
    )
    .bind(call_id)
    .bind(number.key.as_str())
    .bind(m.as_str())
    .bind(client_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct FactRow {
    event_id: String,
    state: Named<CallState>,
    at: At,
    operator: Option<String>,
    operator_id: Option<i64>,
    queue: Option<String>,
    recording_url: Option<String>,
}

/// Re-derives the call's state and times from all its events (R-C3), so the
/// result never depends on the order they came in.
/// Returns whether the call is now answered, and whether it has ended.
/// `closed_stale_at`: when R-C3b closed it, if it did; `received`: when the
/// event that prompts this was received (None when a job refreshes it).
pub(super) async fn refresh_call(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    direction: Direction,
    closed_stale_at: Option<i64>,
    received: Option<Timestamp>,
    now: Timestamp,
) -> Result<(bool, bool)> {
    let rows: Vec<FactRow> = sqlx::query_as(
        "select event_id, state, at, operator, operator_id, queue, recording_url from call_event where call_id = $1",
    )
    .bind(call_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut facts = Vec::with_capacity(rows.len());
    let mut queue: Option<(Timestamp, String)> = None;
    let mut recording: Option<(Timestamp, String)> = None;
    for r in rows {
        let at = r.at.0;
        // The first queue named and the latest recording link win, by event time.
        if let Some(q) = r.queue {
            if queue.as_ref().is_none_or(|(t, v)| (at, &q) < (*t, v)) {
                queue = Some((at, q));
            }
        }
        if let Some(u) = r.recording_url {
            if recording.as_ref().is_none_or(|(t, v)| (at, &u) > (*t, v)) {
                recording = Some((at, u));
            }
        }
        facts.push(EventFact {
            event_id: r.event_id,
            state: r.state.0,
            at,
            operator_id: r.operator_id,
            operator_sent: r.operator,
        });
    }
    let Some(mut s) = CallSummary::from_events(direction, &facts) else {
        return Ok((false, false));
    };
    // R-C3b: a call closed for want of an end event stays `failed` until a real one arrives.
    if let (None, Some(at)) = (s.ended, closed_stale_at) {
        s.state = CallState::Failed;
        s.ended = Some(crate::decode::at(at)?);
        s.missed =
            ringdesk_domain::call::is_missed(direction, CallState::Failed, s.answered.is_some());
    }
    // R-U4: the call's contribution to the roll-ups moves with it.
    let tz = super::dashboard::company_tz(conn, company_id).await?;
    let rolled = super::dashboard::rollup_before(conn, company_id, call_id, &tz).await?;
    sqlx::query(
        "update call set state = $3, missed = $4, operator_id = $5, queue = $6, recording_url = $7, first_seen_at = $8, \
         queued_at = $9, ringing_at = $10, answered_at = $11, ended_at = $12, wait_seconds = $13, ring_seconds = $14, \
         talk_seconds = $15, total_seconds = $16, updated_at = $17, \
         last_event_received_at = coalesce($18, last_event_received_at), operator_unmatched = $19 \
         where company_id = $1 and call_id = $2",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(s.state.as_str())
    .bind(s.missed)
    .bind(s.operator_id)
    .bind(queue.map(|q| q.1))
    .bind(recording.map(|r| r.1))
    .bind(ms(s.first_seen))
    .bind(s.queued.map(ms))
    .bind(s.ringing.map(ms))
    .bind(s.answered.map(ms))
    .bind(s.ended.map(ms))
    .bind(s.wait_seconds())
    .bind(s.ring_seconds())
    .bind(s.talk_seconds())
    .bind(s.total_seconds())
    .bind(ms(now))
    .bind(received.map(ms))
    .bind(&s.operator_unmatched)
    .execute(&mut *conn)
    .await?;
    super::dashboard::rollup_after(conn, company_id, call_id, rolled, &tz).await?;
    // R-X7: every change of a call reaches the live streams, with the call.
    publish(conn, company_id, LiveKind::Call, call_id, None, now).await?;
    Ok((s.answered.is_some(), s.ended.is_some()))
}

/// R-C6 *Edit contact*: links a call to `client_id` (a client of the same
/// company), records who did it in the audit log and publishes the call (R-X7).
pub(crate) async fn relink_call(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    client_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<Call> {
    let before = call(conn, company_id, call_id).await?;
    super::clients::client(conn, company_id, client_id).await?;
    sqlx::query(
        "update call set client_id = $3, client_match = $4 where company_id = $1 and call_id = $2",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(client_id)
    .bind(ClientMatch::One.as_str())
    .execute(&mut *conn)
    .await?;
    let detail = format!(
        "client {} -> {client_id}",
        before
            .client_id
            .map_or_else(|| "none".to_owned(), |c| c.to_string())
    );
    super::audit::audit(
        conn,
        company_id,
        actor,
        "call.contact_changed",
        Some(&format!("call {call_id}")),
        Some(&detail),
        now,
    )
    .await?;
    publish(conn, company_id, LiveKind::Call, call_id, None, now).await?;
    call(conn, company_id, call_id).await
}

const CALL_COLUMNS: &str = "call_id, company_id, external_id, direction, state, missed, from_raw, to_raw, customer_key, client_id, \
    client_match, operator_id, operator_unmatched, queue, recording_url, first_seen_at, queued_at, ringing_at, answered_at, ended_at, wait_seconds, \
    ring_seconds, talk_seconds, total_seconds, recovered, recovered_by_call_id, recovery_seconds, sla_deadline_at, within_sla, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct CallRow {
    call_id: i64,
    company_id: i64,
    external_id: String,
    direction: Named<Direction>,
    state: Named<CallState>,
    missed: bool,
    from_raw: String,
    to_raw: String,
    customer_key: Option<String>,
    client_id: Option<i64>,
    client_match: Named<ClientMatch>,
    operator_id: Option<i64>,
    operator_unmatched: Option<String>,
    queue: Option<String>,
    recording_url: Option<String>,
    first_seen_at: At,
    queued_at: Option<At>,
    ringing_at: Option<At>,
    answered_at: Option<At>,
    ended_at: Option<At>,
    wait_seconds: Option<i64>,
    ring_seconds: Option<i64>,
    talk_seconds: Option<i64>,
    total_seconds: Option<i64>,
    recovered: bool,
    recovered_by_call_id: Option<i64>,
    recovery_seconds: Option<i64>,
    sla_deadline_at: Option<At>,
    within_sla: Option<bool>,
    created_at: At,
    updated_at: At,
}

impl From<CallRow> for Call {
    fn from(r: CallRow) -> Call {
        let time = |t: Option<At>| t.map(|At(t)| t);
        Call {
            id: r.call_id,
            company_id: r.company_id,
            external_id: r.external_id,
            direction: r.direction.0,
            state: r.state.0,
            missed: r.missed,
            from: r.from_raw,
            to: r.to_raw,
            customer_key: r.customer_key,
            client_id: r.client_id,
            client_match: r.client_match.0,
            operator_id: r.operator_id,
            operator_unmatched: r.operator_unmatched,
            queue: r.queue,
            recording_url: r.recording_url,
            first_seen_at: r.first_seen_at.0,
            queued_at: time(r.queued_at),
            ringing_at: time(r.ringing_at),
            answered_at: time(r.answered_at),
            ended_at: time(r.ended_at),
            wait_seconds: r.wait_seconds,
            ring_seconds: r.ring_seconds,
            talk_seconds: r.talk_seconds,
            total_seconds: r.total_seconds,
            recovered: r.recovered,
            recovered_by_call_id: r.recovered_by_call_id,
            recovery_seconds: r.recovery_seconds,
            sla_deadline_at: time(r.sla_deadline_at),
            within_sla: r.within_sla,
            created_at: r.created_at.0,
            updated_at: r.updated_at.0,
        }
    }
}

pub(crate) async fn call(conn: &mut Conn, company_id: i64, id: i64) -> Result<Call> {
    let row: CallRow = sqlx::query_as(&format!(
        "select {CALL_COLUMNS} from call where company_id = $1 and call_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("call"))?;
    Ok(row.into())
}

pub(crate) async fn calls(conn: &mut Conn, company_id: i64, f: &CallFilter) -> Result<Vec<Call>> {
    let mut q = QueryBuilder::<Db>::new(format!(
        "select {CALL_COLUMNS} from call where company_id = "
    ));
    q.push_bind(company_id);
    if let Some(s) = f.state {
        q.push(" and state = ").push_bind(s.as_str());
    }
    if let Some(d) = f.direction {
        q.push(" and direction = ").push_bind(d.as_str());
    }
    // Written out rather than bound, so that the planner can use the partial
    // index of the missed calls still waiting (`where missed and not recovered`).
    if let Some(m) = f.missed {
        q.push(if m { " and missed" } else { " and not missed" });
    }
    if let Some(r) = f.recovered {
        q.push(if r {
            " and recovered"
        } else {
            " and not recovered"
        });
    }
    if let Some(o) = f.operator_id {
        q.push(" and operator_id = ").push_bind(o);
    }
    if let Some(c) = f.client_id {
        q.push(" and client_id = ").push_bind(c);
    }
    if let Some(t) = f.from {
        q.push(" and first_seen_at >= ").push_bind(ms(t));
    }
    if let Some(t) = f.to {
        q.push(" and first_seen_at < ").push_bind(ms(t));
    }
    if let Some(x) = &f.external_id {
        q.push(" and external_id = ").push_bind(x.as_str());
    }
    if let Some(ids) = &f.ids {
        if ids.is_empty() {
            q.push(" and false");
        } else {
            q.push(" and call_id in (");
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            q.push(")");
        }
    }
    if let Some(o) = f.visible_to_operator {
        q.push(" and operator_id = ").push_bind(o);
    }
    if let Some(b) = f.before_id {
        q.push(" and call_id < ").push_bind(b);
    }
    q.push(" order by call_id desc limit ").push_bind(f.limit);
    Ok(q.build_query_as::<CallRow>()
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(Call::from)
        .collect())
}

pub(crate) async fn call_events(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
) -> Result<Vec<StoredEvent>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "select event_id, state, at, from_raw, to_raw, operator, operator_id, queue, recording_url, received_at from call_event \
         where company_id = $1 and call_id = $2 order by at, event_id",
    )
    .bind(company_id)
    .bind(call_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredEvent {
            event_id: r.event_id,
            state: r.state.0,
            at: r.at.0,
            from: r.from_raw,
            to: r.to_raw,
            operator: r.operator,
            operator_id: r.operator_id,
            queue: r.queue,
            recording_url: r.recording_url,
            received_at: r.received_at.0,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    event_id: String,
    state: Named<CallState>,
    at: At,
    from_raw: String,
    to_raw: String,
    operator: Option<String>,
    operator_id: Option<i64>,
    queue: Option<String>,
    recording_url: Option<String>,
    received_at: At,
}

pub(crate) async fn count_events(conn: &mut Conn, company_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("select count(*) from call_event where company_id = $1")
            .bind(company_id)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// A missed call of one number: id, end, number as sent, client, operator.
type MissedRow = (i64, At, String, Option<i64>, Option<i64>);

/// Callback cases (issue 13 item 3): the numbers of the `limit` most recent
/// missed calls (routed to `operator`, if given: R-C5), each number's missed
/// and answered calls, and the domain's `cases` of them, newest first.
pub(crate) async fn missed_cases(
    conn: &mut Conn,
    company_id: i64,
    operator: Option<i64>,
    limit: i64,
) -> Result<Vec<CallbackCase>> {
    use ringdesk_domain::cases::{cases, MissedCall, Reached};
    let mut q = QueryBuilder::<Db>::new("select customer_key from call where company_id = ");
    q.push_bind(company_id);
    q.push(" and missed and customer_key is not null and ended_at is not null");
    if let Some(o) = operator {
        q.push(" and operator_id = ").push_bind(o);
    }
    q.push(" order by call_id desc limit ")
        .push_bind(limit.saturating_mul(4));
    let recent: Vec<String> = q.build_query_scalar().fetch_all(&mut *conn).await?;
    let mut keys: Vec<String> = Vec::new();
    for k in recent {
        if !keys.contains(&k) {
            keys.push(k);
        }
        if keys.len() as i64 >= limit {
            break;
        }
    }
    let mut out = Vec::new();
    for key in keys {
        let missed: Vec<MissedRow> = sqlx::query_as(
            "select call_id, ended_at, from_raw, client_id, operator_id from call \
             where company_id = $1 and customer_key = $2 and missed and ended_at is not null order by first_seen_at",
        )
        .bind(company_id)
        .bind(&key)
        .fetch_all(&mut *conn)
        .await?;
        let Some(earliest) = missed.iter().map(|m| m.1 .0).min() else {
            continue;
        };
        let reached: Vec<(i64, At)> = sqlx::query_as(
            "select call_id, first_seen_at from call where company_id = $1 and customer_key = $2 \
             and first_seen_at > $3 and answered_at is not null",
        )
        .bind(company_id)
        .bind(&key)
        .bind(ms(earliest))
        .fetch_all(&mut *conn)
        .await?;
        let list: Vec<MissedCall> = missed
            .iter()
            .map(|(id, At(ended), ..)| MissedCall {
                call_id: *id,
                ended: *ended,
            })
            .collect();
        let reached: Vec<Reached> = reached
            .into_iter()
            .map(|(call_id, At(started))| Reached { call_id, started })
            .collect();
        for c in cases(&list, &reached) {
            let last = c.missed[c.missed.len() - 1].call_id;
            let (raw, client_id, operator_id) = missed
                .iter()
                .find(|m| m.0 == last)
                .map(|m| (m.2.clone(), m.3, m.4))
                .unwrap_or_default();
            out.push(CallbackCase {
                number: key.clone(),
                raw_number: raw,
                client_id,
                operator_id,
                missed_call_ids: c.missed.iter().map(|m| m.call_id).collect(),
                opened_at: c.opened(),
                last_missed_at: c.last_missed(),
                reached_by_call_id: c.closed_by.map(|r| r.call_id),
                reached_at: c.closed_by.map(|r| r.started),
                seconds_to_reach: c.seconds_to_reach(),
            });
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.last_missed_at));
    Ok(out)
}

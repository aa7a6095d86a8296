//! R-U4's roll-ups and the dashboard's reads (issue 13). The store gathers a
//! call's facts and applies what `ringdesk_domain::dashboard` decides: every
//! change to a call replaces its contribution in the same transaction
//! ([`rollup_before`] then [`rollup_after`] around the change), calls not yet
//! rolled up are added in batches by [`backfill_rollups`] (the same
//! `contribution`/`delta` functions, the same upserts), and a period is read
//! as its whole local hours' roll-ups plus the raw calls of its partial edges.

use super::{Conn, Db};
use crate::decode::{At, Named};
use crate::model::{CampaignFigures, DashboardExtras, LineFigures, LineSetting};
use crate::{ms, Result, StoreError};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::dashboard::{
    contribution, delta, CallFacts, Contribution, Dim, Figures, Metrics, Split,
};
use sqlx::QueryBuilder;

/// The company's time zone, by which its hours are bucketed.
pub(crate) async fn company_tz(conn: &mut Conn, company_id: i64) -> Result<TimeZone> {
    let name: String = sqlx::query_scalar("select time_zone from company where company_id = $1")
        .bind(company_id)
        .fetch_one(&mut *conn)
        .await?;
    // Checked when stored (`TimeZoneName`).
    TimeZone::get(&name).map_err(|e| StoreError::Corrupt(format!("time zone {name:?}: {e}")))
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    call_id: i64,
    direction: Named<Direction>,
    state: Named<CallState>,
    missed: bool,
    first_seen_at: At,
    answered_at: Option<i64>,
    ended_at: Option<i64>,
    operator_id: Option<i64>,
    queue: Option<String>,
    line_key: Option<String>,
    recovered: bool,
    within_sla: Option<bool>,
    recoveries: i64,
    recoveries_seconds: i64,
    not_customer: Option<String>,
    rolled_up: bool,
}

const FACTS: &str =
    "call_id, direction, state, missed, first_seen_at, answered_at, ended_at, operator_id, queue, \
    line_key, recovered, within_sla, recoveries, recoveries_seconds, not_customer, rolled_up";

impl FactsRow {
    /// What the call adds to the dashboard now: nothing for a call that is
    /// not a customer's (R-P7: internal calls and ignored numbers are left
    /// out of the figures).
    fn contribution(&self, tz: &TimeZone) -> Result<Option<Contribution>> {
        if self.not_customer.is_some() {
            return Ok(None);
        }
        let facts = CallFacts {
            direction: self.direction.0,
            state: self.state.0,
            missed: self.missed,
            first_seen: self.first_seen_at.0,
            answered: self.answered_at.map(crate::decode::at).transpose()?,
            ended: self.ended_at.map(crate::decode::at).transpose()?,
            operator_id: self.operator_id,
            queue: self.queue.clone(),
            line: self.line_key.clone(),
            recovered: self.recovered,
            within_sla: self.within_sla,
            recoveries: self.recoveries,
            recovery_seconds: self.recoveries_seconds,
        };
        Ok(Some(contribution(&facts, tz)))
    }
}

async fn facts(conn: &mut Conn, company_id: i64, call_id: i64) -> Result<FactsRow> {
    Ok(sqlx::query_as(&format!(
        "select {FACTS} from call where company_id = $1 and call_id = $2"
    ))
    .bind(company_id)
    .bind(call_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// The call's contribution as the roll-ups hold it, before a change.
pub(crate) async fn rollup_before(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    tz: &TimeZone,
) -> Result<Option<Contribution>> {
    let row = facts(conn, company_id, call_id).await?;
    if !row.rolled_up {
        return Ok(None);
    }
    row.contribution(tz)
}

/// After a change: the call's contribution replaces `before` in the roll-ups.
pub(crate) async fn rollup_after(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    before: Option<Contribution>,
    tz: &TimeZone,
) -> Result<()> {
    let row = facts(conn, company_id, call_id).await?;
    let now = row.contribution(tz)?;
    let (rows, hist) = delta(before.as_ref(), now.as_ref());
    apply(conn, company_id, &rows, &hist).await?;
    if !row.rolled_up {
        sqlx::query("update call set rolled_up = true where company_id = $1 and call_id = $2")
            .bind(company_id)
            .bind(call_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Adds the deltas to the roll-ups (rows made as needed).
async fn apply(
    conn: &mut Conn,
    company_id: i64,
    rows: &[(Timestamp, Dim, String, Metrics)],
    hist: &[(Timestamp, i64, i64)],
) -> Result<()> {
    // A few hundred rows a statement keeps within SQLite's bound parameters.
    for chunk in rows.chunks(200) {
        let mut q =
            QueryBuilder::<Db>::new("insert into call_rollup (company_id, bucket_at, dim, key, ");
        q.push(Metrics::FIELDS.join(", "));
        q.push(") ");
        q.push_values(chunk, |mut b, (bucket, dim, key, m)| {
            b.push_bind(company_id)
                .push_bind(ms(*bucket))
                .push_bind(dim.as_str())
                .push_bind(key.as_str());
            for v in m.values() {
                b.push_bind(v);
            }
        });
        q.push(" on conflict (company_id, bucket_at, dim, key) do update set ");
        for (i, f) in Metrics::FIELDS.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push(format!("{f} = call_rollup.{f} + excluded.{f}"));
        }
        q.build().execute(&mut *conn).await?;
    }
    for chunk in hist.chunks(300) {
        let mut q = QueryBuilder::<Db>::new(
            "insert into call_answer_histogram (company_id, bucket_at, second, n) ",
        );
        q.push_values(chunk, |mut b, (bucket, second, n)| {
            b.push_bind(company_id)
                .push_bind(ms(*bucket))
                .push_bind(*second)
                .push_bind(*n);
        });
        q.push(" on conflict (company_id, bucket_at, second) do update set n = call_answer_histogram.n + excluded.n");
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// A company with calls not yet in the roll-ups (stored before the roll-ups
/// existed, or loaded in bulk), after `after`, for the job runner; read in a
/// `rollup = pending` lookup. One step into the partial index
/// `call_not_rolled_up_idx` (a `distinct` would walk every pending call).
pub(crate) async fn company_to_roll_up(conn: &mut Conn, after: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "select company_id from call where not rolled_up and company_id > $1 order by company_id limit 1",
    )
    .bind(after)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Adds up to `limit` of the company's calls not yet in the roll-ups (the
/// oldest first), through the same `contribution` and `delta` as every
/// event, their deltas summed before they are written. Returns how many.
pub(crate) async fn backfill_rollups(
    conn: &mut Conn,
    company_id: i64,
    limit: i64,
) -> Result<usize> {
    let tz = company_tz(conn, company_id).await?;
    let rows: Vec<FactsRow> = sqlx::query_as(&format!(
        "select {FACTS} from call where company_id = $1 and not rolled_up order by call_id limit $2"
    ))
    .bind(company_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut sum: std::collections::BTreeMap<(Timestamp, Dim, String), Metrics> = Default::default();
    let mut hist: std::collections::BTreeMap<(Timestamp, i64), i64> = Default::default();
    for r in &rows {
        let (d, h) = delta(None, r.contribution(&tz)?.as_ref());
        for (b, dim, key, m) in d {
            sum.entry((b, dim, key)).or_default().add(&m, 1);
        }
        for (b, s, n) in h {
            *hist.entry((b, s)).or_default() += n;
        }
    }
    let sum: Vec<_> = sum.into_iter().map(|((b, d, k), m)| (b, d, k, m)).collect();
    let hist: Vec<_> = hist.into_iter().map(|((b, s), n)| (b, s, n)).collect();
    apply(conn, company_id, &sum, &hist).await?;
    let first = rows.first().map(|r| r.call_id).unwrap_or_default();
    let last = rows.last().map(|r| r.call_id).unwrap_or_default();
    sqlx::query(
        "update call set rolled_up = true where company_id = $1 and call_id >= $2 and call_id <= $3 and not rolled_up",
    )
    .bind(company_id)
    .bind(first)
    .bind(last)
    .execute(&mut *conn)
    .await?;
    Ok(rows.len())
}

#[derive(sqlx::FromRow)]
struct RollupRow {
    bucket_at: i64,
    dim: String,
    key: String,
    calls: i64,
    answered: i64,
    abandoned: i64,
    missed: i64,
    answer_seconds: i64,
    abandon_seconds: i64,
    talked: i64,
    talk_seconds: i64,
    recovered: i64,
    callbacks: i64,
    callback_recoveries: i64,
    callback_recovery_seconds: i64,
    sla_breaches: i64,
}

impl RollupRow {
    fn metrics(&self) -> Metrics {
        Metrics::from_values([
            self.calls,
            self.answered,
            self.abandoned,
            self.missed,
            self.answer_seconds,
            self.abandon_seconds,
            self.talked,
            self.talk_seconds,
            self.recovered,
            self.callbacks,
            self.callback_recoveries,
            self.callback_recovery_seconds,
            self.sla_breaches,
        ])
    }
}

/// A period's figures: the whole hours from the roll-ups (the direction rows
/// per hour; the other dimensions summed over the period, under the period's
/// first hour), the partial edges from the raw calls.
pub(crate) async fn figures(
    conn: &mut Conn,
    company_id: i64,
    split: &Split,
    tz: &TimeZone,
) -> Result<Figures> {
    let mut f = Figures::default();
    if let Some((from, to)) = split.whole {
        let sums = Metrics::FIELDS
            .iter()
            .map(|c| format!("cast(sum({c}) as bigint) as {c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let per_hour: Vec<RollupRow> = sqlx::query_as(&format!(
            "select bucket_at, dim, key, {} from call_rollup \
             where company_id = $1 and bucket_at >= $2 and bucket_at < $3 and dim = 'direction'",
            Metrics::FIELDS.join(", ")
        ))
        .bind(company_id)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(&mut *conn)
        .await?;
        let summed: Vec<RollupRow> = sqlx::query_as(&format!(
            "select cast({} as bigint) as bucket_at, dim, key, {sums} from call_rollup \
             where company_id = $1 and bucket_at >= $2 and bucket_at < $3 and dim <> 'direction' group by dim, key",
            ms(from)
        ))
        .bind(company_id)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(&mut *conn)
        .await?;
        for r in per_hour.iter().chain(summed.iter()) {
            let dim = Dim::parse(&r.dim)
                .ok_or_else(|| StoreError::Corrupt(format!("roll-up dimension {:?}", r.dim)))?;
            f.add_row(
                crate::decode::at(r.bucket_at)?,
                dim,
                r.key.clone(),
                &r.metrics(),
            );
        }
        let hist: Vec<(i64, i64)> = sqlx::query_as(
            "select second, cast(sum(n) as bigint) from call_answer_histogram \
             where company_id = $1 and bucket_at >= $2 and bucket_at < $3 group by second",
        )
        .bind(company_id)
        .bind(ms(from))
        .bind(ms(to))
        .fetch_all(&mut *conn)
        .await?;
        for (second, n) in hist {
            f.add_histogram(second, n);
        }
    }
    for (from, to) in &split.edges {
        let rows: Vec<FactsRow> = sqlx::query_as(&format!(
            "select {FACTS} from call where company_id = $1 and first_seen_at >= $2 and first_seen_at < $3"
        ))
        .bind(company_id)
        .bind(ms(*from))
        .bind(ms(*to))
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            if let Some(c) = r.contribution(tz)? {
                f.add_contribution(&c);
            }
        }
    }
    Ok(f)
}

/// The roll-ups of a range of buckets as the raw calls give them, for
/// `ringdesk bench dashboard`'s check: (roll-ups, raw) sums per dimension key.
pub(crate) async fn rollups_and_raw(
    conn: &mut Conn,
    company_id: i64,
    from: Timestamp,
    to: Timestamp,
) -> Result<(Figures, Figures)> {
    let tz = company_tz(conn, company_id).await?;
    let whole = Split {
        whole: Some((from, to)),
        edges: vec![],
    };
    let rolled = figures(conn, company_id, &whole, &tz).await?;
    let raw_split = Split {
        whole: None,
        edges: vec![(from, to)],
    };
    let raw = figures(conn, company_id, &raw_split, &tz).await?;
    Ok((rolled, raw))
}

/// The lead, quote and order figures of a period (R-U4): per dialled line,
/// per ad campaign, and quote conversion.
pub(crate) async fn extras(
    conn: &mut Conn,
    company_id: i64,
    from: Timestamp,
    to: Timestamp,
) -> Result<DashboardExtras> {
    let lines: Vec<(String, i64, i64)> = sqlx::query_as(
        "select c.line_key, count(distinct l.lead_id), count(distinct o.work_order_id) \
         from lead l join call c on c.call_id = l.call_id and c.company_id = l.company_id \
         left join work_order o on o.company_id = l.company_id and o.lead_id = l.lead_id \
         where l.company_id = $1 and l.created_at >= $2 and l.created_at < $3 and c.line_key is not null \
         group by c.line_key",
    )
    .bind(company_id)
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(&mut *conn)
    .await?;
    let campaigns: Vec<(Option<i64>, i64, i64, i64)> = sqlx::query_as(
        "select l.ad_campaign_id, count(distinct l.lead_id), \
         count(distinct case when s.status_group = 'won' then l.lead_id end), count(distinct o.work_order_id) \
         from lead l join lead_status s on s.lead_status_id = l.status_id \
         left join work_order o on o.company_id = l.company_id and o.lead_id = l.lead_id \
         where l.company_id = $1 and l.created_at >= $2 and l.created_at < $3 \
         group by l.ad_campaign_id",
    )
    .bind(company_id)
    .bind(ms(from))
    .bind(ms(to))
    .fetch_all(&mut *conn)
    .await?;
    let (quotes, quote_orders): (i64, i64) = sqlx::query_as(
        "select count(*), count(q.order_id) from quote q join call c on c.call_id = q.call_id and c.company_id = q.company_id \
         where q.company_id = $1 and q.created_at >= $2 and q.created_at < $3 and c.direction = 'inbound' and c.answered_at is not null",
    )
    .bind(company_id)
    .bind(ms(from))
    .bind(ms(to))
    .fetch_one(&mut *conn)
    .await?;
    Ok(DashboardExtras {
        lines: lines
            .into_iter()
            .map(|(line, leads, orders)| LineFigures {
                line,
                leads,
                orders,
            })
            .collect(),
        campaigns: campaigns
            .into_iter()
            .map(|(ad_campaign_id, leads, won, orders)| CampaignFigures {
                ad_campaign_id,
                leads,
                won,
                orders,
            })
            .collect(),
        quotes_from_answered_calls: quotes,
        orders_from_those_quotes: quote_orders,
    })
}

/// The company's lines (`GET /api/v1/settings/lines`).
pub(crate) async fn lines(conn: &mut Conn, company_id: i64) -> Result<Vec<LineSetting>> {
    let rows: Vec<(String, String, String, Option<i64>)> = sqlx::query_as(
        "select number_key, number, name, ad_campaign_id from company_line where company_id = $1 order by name, number_key",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(number_key, number, name, ad_campaign_id)| LineSetting {
            number_key,
            number,
            name,
            ad_campaign_id,
        })
        .collect())
}

/// Replaces the company's lines (`PUT /api/v1/settings/lines`); an ad
/// campaign must be the company's.
pub(crate) async fn put_lines(
    conn: &mut Conn,
    company_id: i64,
    lines: &[LineSetting],
    actor: &crate::model::Actor,
    now: Timestamp,
) -> Result<()> {
    for (i, l) in lines.iter().enumerate() {
        if let Some(id) = l.ad_campaign_id {
            let found: Option<i64> = sqlx::query_scalar(
                "select ad_campaign_id from ad_campaign where company_id = $1 and ad_campaign_id = $2",
            )
            .bind(company_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            if found.is_none() {
                return Err(StoreError::Invalid {
                    field: format!("lines[{i}].ad_campaign_id"),
                    message: format!("{id} is not one of the company's ad campaigns"),
                });
            }
        }
    }
    sqlx::query("delete from company_line where company_id = $1")
        .bind(company_id)
        .execute(&mut *conn)
        .await?;
    for l in lines {
        sqlx::query(
            "insert into company_line (company_id, number_key, number, name, ad_campaign_id) values ($1, $2, $3, $4, $5)",
        )
        .bind(company_id)
        .bind(&l.number_key)
        .bind(&l.number)
        .bind(&l.name)
        .bind(l.ad_campaign_id)
        .execute(&mut *conn)
        .await?;
    }
    let detail = lines
        .iter()
        .map(|l| format!("{} {}", l.number_key, l.name))
        .collect::<Vec<_>>()
        .join(", ");
    super::audit::audit(
        conn,
        company_id,
        actor,
        "settings.lines",
        None,
        Some(&detail),
        now,
    )
    .await
}

/// Inserts call rows in bulk (`ringdesk bench dashboard`), not rolled up.
pub(crate) async fn load_calls(
    conn: &mut Conn,
    company_id: i64,
    calls: &[crate::model::LoadedCall],
    now: Timestamp,
) -> Result<()> {
    for chunk in calls.chunks(500) {
        let mut q = QueryBuilder::<Db>::new(
            "insert into call (company_id, external_id, direction, state, missed, from_raw, to_raw, first_seen_at, \
             answered_at, ended_at, operator_id, queue, line_key, recovered, recoveries, recoveries_seconds, \
             talk_seconds, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, c| {
            let talk = c
                .answered
                .zip(c.ended)
                .map(|(a, e)| ringdesk_domain::call::seconds_between(a, e));
            b.push_bind(company_id)
                .push_bind(&c.external_id)
                .push_bind(c.direction.as_str())
                .push_bind(c.state.as_str())
                .push_bind(c.missed)
                .push_bind(&c.from)
                .push_bind(&c.to)
                .push_bind(ms(c.first_seen))
                .push_bind(c.answered.map(ms))
                .push_bind(c.ended.map(ms))
                .push_bind(c.operator_id)
                .push_bind(&c.queue)
                .push_bind(&c.line_key)
                .push_bind(c.recovered)
                .push_bind(c.recoveries)
                .push_bind(c.recoveries_seconds)
                .push_bind(talk)
                .push_bind(ms(now))
                .push_bind(ms(now));
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

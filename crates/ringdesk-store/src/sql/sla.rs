//! The callback SLA of missed calls (issue 13 item 4; migration 0015): the
//! store gathers a call's facts, asks `ringdesk_domain::sla`, and writes what
//! it says, in the transaction of the event (or job) that changed the call.
//! The breach is told by the call's one `callback_sla` job, due at the
//! deadline (unique per call and kind: exactly once).

use super::automation::call_row;
use super::company::{company, telephony_settings};
use super::jobs::{enqueue, finish_waiting_call_jobs};
use super::live::publish;
use super::notifications::notify;
use super::Conn;
use crate::decode::{At, Listed};
use crate::model::LiveKind;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::access::effective_permissions;
use ringdesk_domain::company::Permission;
use ringdesk_domain::jobs::JobKind;
use ringdesk_domain::notify::NotificationKind;
use ringdesk_domain::sla::{
    breach_check, breach_recipients, deadline_of_missed_call, sla_change, BreachCheck, SlaChange,
    SlaFacts,
};
use ringdesk_domain::texts::{text, Text};

#[derive(sqlx::FromRow)]
struct SlaRow {
    missed: bool,
    sla_deadline_at: Option<At>,
    within_sla: Option<bool>,
    callback_started: Option<At>,
    operator_id: Option<i64>,
    customer_key: Option<String>,
    from_raw: String,
}

/// A call's SLA facts: its deadline and outcome, and the start of the
/// callback that recovered it (R-C7).
async fn sla_row(conn: &mut Conn, company_id: i64, call_id: i64) -> Result<SlaRow> {
    sqlx::query_as(
        "select c.missed, c.sla_deadline_at, c.within_sla, b.first_seen_at as callback_started, \
         c.operator_id, c.customer_key, c.from_raw from call c \
         left join call b on b.company_id = c.company_id and b.call_id = c.recovered_by_call_id \
         where c.company_id = $1 and c.call_id = $2",
    )
    .bind(company_id)
    .bind(call_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("call"))
}

fn facts_of(r: &SlaRow) -> SlaFacts {
    SlaFacts {
        missed: r.missed,
        deadline: r.sla_deadline_at.as_ref().map(|At(t)| *t),
        within: r.within_sla,
        callback_started: r.callback_started.as_ref().map(|At(t)| *t),
    }
}

/// After an event of `call_id` (or its stale close) and R-C7's recovery of
/// `recovered`: a call that has just become missed (`newly_ended`) gets its
/// deadline and its breach job under the settings in force; then the call
/// and each missed call just recovered get what the domain's `sla_change`
/// says (their outcome, or no SLA after a late answer).
pub(super) async fn after_call_change(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    newly_ended: bool,
    recovered: &[i64],
    now: Timestamp,
) -> Result<()> {
    if newly_ended {
        start_sla(conn, company_id, call_id, now).await?;
    }
    let mut touched = vec![call_id];
    touched.extend(recovered.iter().copied().filter(|&id| id != call_id));
    for id in touched {
        let row = sla_row(conn, company_id, id).await?;
        match sla_change(&facts_of(&row)) {
            None => {}
            Some(SlaChange::Drop) => {
                let tz = super::dashboard::company_tz(conn, company_id).await?;
                let rolled = super::dashboard::rollup_before(conn, company_id, id, &tz).await?;
                sqlx::query(
                    "update call set sla_deadline_at = null, within_sla = null \
                     where company_id = $1 and call_id = $2",
                )
                .bind(company_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                super::dashboard::rollup_after(conn, company_id, id, rolled, &tz).await?;
                finish_waiting_call_jobs(conn, company_id, id, &[JobKind::CallbackSla], now)
                    .await?;
                publish(conn, company_id, LiveKind::Call, id, None, now).await?;
            }
            Some(SlaChange::Outcome { within }) => {
                set_outcome(conn, company_id, id, within, now).await?;
            }
        }
    }
    Ok(())
}

/// The call has just ended missed: its deadline from its end, in the
/// company's business hours and time zone, and the breach job due then.
async fn start_sla(conn: &mut Conn, company_id: i64, call_id: i64, now: Timestamp) -> Result<()> {
    let call = call_row(conn, company_id, call_id, false).await?;
    if !call.facts.missed {
        return Ok(());
    }
    let settings = telephony_settings(conn, company_id).await?;
    let tz = crate::decode::time_zone(&company(conn, company_id).await?.time_zone)?;
    let Some(deadline) = deadline_of_missed_call(&call.facts, &settings, &tz) else {
        return Ok(());
    };
    sqlx::query(
        "update call set sla_deadline_at = $3 where company_id = $1 and call_id = $2 \
         and sla_deadline_at is null",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(ms(deadline))
    .execute(&mut *conn)
    .await?;
    enqueue(
        conn,
        company_id,
        call_id,
        JobKind::CallbackSla,
        ms(deadline),
        now,
    )
    .await
}

async fn set_outcome(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    within: bool,
    now: Timestamp,
) -> Result<()> {
    // R-U4: a breach counts in the dashboard's roll-ups.
    let tz = super::dashboard::company_tz(conn, company_id).await?;
    let rolled = super::dashboard::rollup_before(conn, company_id, call_id, &tz).await?;
    sqlx::query("update call set within_sla = $3 where company_id = $1 and call_id = $2")
        .bind(company_id)
        .bind(call_id)
        .bind(within)
        .execute(&mut *conn)
        .await?;
    super::dashboard::rollup_after(conn, company_id, call_id, rolled, &tz).await?;
    publish(conn, company_id, LiveKind::Call, call_id, None, now).await
}

/// The `callback_sla` job, at the deadline: if the call was not called back
/// in time it is breached (`within_sla` false) and its operator and the
/// managers are told once. Returns when to run again if run early.
pub(super) async fn run_breach_check(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    now: Timestamp,
) -> Result<Option<i64>> {
    let row = sla_row(conn, company_id, call_id).await?;
    match breach_check(&facts_of(&row), now) {
        BreachCheck::Nothing => Ok(None),
        BreachCheck::Again { at } => Ok(Some(ms(at))),
        BreachCheck::Breached => {
            if row.within_sla != Some(false) {
                set_outcome(conn, company_id, call_id, false, now).await?;
            }
            let staff: Vec<(i64, bool, bool, Listed<Permission>)> = sqlx::query_as(
                "select employee_id, is_owner, active, permissions from employee where company_id = $1 \
                 order by employee_id",
            )
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?;
            let managers: Vec<i64> = staff
                .iter()
                .filter(|(_, owner, _, Listed(granted))| {
                    effective_permissions(*owner, granted, None).contains(&Permission::ViewAllCalls)
                })
                .map(|(id, ..)| *id)
                .collect();
            let active = |id: i64| staff.iter().any(|(e, _, on, _)| *e == id && *on);
            let recipients = breach_recipients(row.operator_id, &managers, &active);
            let locale = company(conn, company_id).await?.locale;
            let number = match &row.customer_key {
                Some(k) if k.starts_with('+') => k.clone(),
                _ => row.from_raw.clone(),
            };
            let title = format!(
                "{}: {number}",
                text(Text::NotificationCallbackSlaBreached, locale)
            );
            for employee_id in recipients {
                notify(
                    conn,
                    company_id,
                    employee_id,
                    NotificationKind::CallbackSlaBreached.as_str(),
                    &title,
                    None,
                    Some(call_id),
                    now,
                )
                .await?;
            }
            Ok(None)
        }
    }
}

//! The telephony automation (SPEC §4, §5, R-C3a): gathering a rule's facts, writing its effects and what each rule did for a call.

use super::clients::lookup;
use super::company::{company, telephony_settings};
use super::jobs::{enqueue, finish_waiting_call_jobs, FIRST_STALE_CHECK_MS};
use super::leads::{
    insert_lead, link_call_to_lead, open_lead_groups, open_order_groups, resolve_lead_type,
    LeadInsert,
};
use super::notifications::notify_lead_event;
use super::tasks::insert_task;
use super::{Conn, FOR_UPDATE};
use crate::model::*;
use crate::{ms, ts, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::{
    decide_lead, decide_missed_call_task, pick_client, CallFacts, ClientFacts, LeadDecision,
    NewLeadPlan, OpenWork, Outcome, Rule, TaskDecision, TelephonySettings,
};
use ringdesk_domain::call::Direction;
use ringdesk_domain::company::Locale;
use ringdesk_domain::jobs::JobKind;
use ringdesk_domain::notify::LeadEvent;
use ringdesk_domain::phone::PhoneKey;
use ringdesk_domain::texts::Text;
use sqlx::Row;

async fn automation_row(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: &str,
) -> Result<Option<(String, Option<String>)>> {
    let row = sqlx::query("select outcome, reason from call_automation where company_id = $1 and call_id = $2 and rule = $3")
        .bind(company_id)
        .bind(call_id)
        .bind(rule)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get("outcome")?, r.try_get("reason")?)))
        .transpose()
}

/// Writes what a rule did. `only_if_absent`: keep an existing record (used for
/// `pending` and for the reasons written when a call ends).
#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: Rule,
    outcome: Outcome,
    reason: Option<Text>,
    notes: &[Text],
    lead_id: Option<i64>,
    only_if_absent: bool,
    now: Timestamp,
) -> Result<()> {
    let on_conflict = if only_if_absent {
        "do nothing"
    } else {
        "do update set outcome = excluded.outcome, reason = excluded.reason, notes = excluded.notes, lead_id = excluded.lead_id, updated_at = excluded.updated_at"
    };
    let notes: Vec<&str> = notes.iter().map(|t| t.key()).collect();
    sqlx::query(&format!(
        "insert into call_automation (company_id, call_id, rule, outcome, reason, notes, lead_id, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (company_id, call_id, rule) {on_conflict}"
    ))
    .bind(company_id)
    .bind(call_id)
    .bind(rule.as_str())
    .bind(outcome.as_str())
    .bind(reason.map(|r| r.key()))
    .bind((!notes.is_empty()).then(|| notes.join(",")))
    .bind(lead_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// For every rule: what it did for this call, or why not, or that it waits.
pub(crate) async fn call_automation(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
) -> Result<Vec<CallAutomation>> {
    let rows = sqlx::query("select rule, outcome, reason, notes, lead_id from call_automation where company_id = $1 and call_id = $2")
        .bind(company_id)
        .bind(call_id)
        .fetch_all(&mut *conn)
        .await?;
    let task_ids: Vec<i64> = sqlx::query_scalar("select task_id from task where company_id = $1 and call_id = $2 and rule = 'missed_call_task' order by task_id")
        .bind(company_id)
        .bind(call_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for rule in Rule::ALL {
        let found = rows
            .iter()
            .find(|r| r.try_get::<&str, _>("rule").ok() == Some(rule.as_str()));
        let entry = match found {
            Some(r) => CallAutomation {
                rule: rule.as_str().to_owned(),
                outcome: r.try_get("outcome")?,
                reason: r.try_get("reason")?,
                notes: r
                    .try_get::<Option<String>, _>("notes")?
                    .map(|n| n.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
                task_ids: if rule == Rule::MissedCallTask {
                    task_ids.clone()
                } else {
                    vec![]
                },
                lead_id: r.try_get("lead_id")?,
            },
            None => CallAutomation {
                rule: rule.as_str().to_owned(),
                outcome: Outcome::Pending.as_str().to_owned(),
                reason: Some(Text::CallInProgress.key().to_owned()),
                notes: vec![],
                task_ids: vec![],
                lead_id: None,
            },
        };
        out.push(entry);
    }
    Ok(out)
}

pub(super) struct CallRow {
    pub(super) facts: CallFacts,
    pub(super) customer_key: Option<String>,
    pub(super) ended_at: Option<Timestamp>,
}

pub(super) async fn call_row(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    lock: bool,
) -> Result<CallRow> {
    let lock = if lock { FOR_UPDATE } else { "" };
    let r = sqlx::query(&format!(
        "select direction, missed, answered_at, ended_at, customer_key, from_raw, to_raw from call where company_id = $1 and call_id = $2{lock}"
    ))
    .bind(company_id)
    .bind(call_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("call"))?;
    let direction = Direction::parse(r.try_get("direction")?).unwrap_or(Direction::Inbound);
    let key: Option<String> = r.try_get("customer_key")?;
    let raw: String = if direction == Direction::Inbound {
        r.try_get("from_raw")?
    } else {
        r.try_get("to_raw")?
    };
    let ended_at = r.try_get::<Option<i64>, _>("ended_at")?.map(ts);
    Ok(CallRow {
        facts: CallFacts {
            call_id,
            inbound: direction == Direction::Inbound,
            missed: r.try_get("missed")?,
            answered: r.try_get::<Option<i64>, _>("answered_at")?.is_some(),
            ended_at,
            customer_number: match &key {
                Some(k) if k.starts_with('+') => k.clone(),
                _ => raw,
            },
            customer_withheld: key.is_none(),
        },
        customer_key: key,
        ended_at,
    })
}

/// R-P4 and R-A5: the newest client on the number, and that client's open work.
async fn client_and_work(
    conn: &mut Conn,
    company_id: i64,
    key: Option<&str>,
    want_unknown_lead: bool,
) -> Result<(Option<ClientFacts>, OpenWork, Option<i64>)> {
    let Some(key) = key else {
        return Ok((None, OpenWork::default(), None));
    };
    let matches = lookup(conn, company_id, &PhoneKey::from_stored(key.to_owned())).await?;
    let clients: Vec<ClientFacts> = matches
        .iter()
        .map(|m| ClientFacts {
            client_id: m.client_id,
            name: m.name.clone(),
            created_at: m.created_at,
        })
        .collect();
    let client = pick_client(&clients).cloned();
    let mut work = OpenWork::default();
    if let Some(c) = &client {
        work.newest_open_order_id = sqlx::query_scalar(&format!(
            "select w.work_order_id from work_order w join order_status s on s.order_status_id = w.status_id \
             where w.company_id = $1 and w.client_id = $2 and s.status_group in ({}) \
             order by w.created_at desc, w.work_order_id desc limit 1",
            open_order_groups()
        ))
        .bind(company_id)
        .bind(c.client_id)
        .fetch_optional(&mut *conn)
        .await?;
        work.newest_open_lead_id = sqlx::query_scalar(&format!(
            "select l.lead_id from lead l join lead_status s on s.lead_status_id = l.status_id \
             where l.company_id = $1 and l.client_id = $2 and s.status_group in ({}) \
             order by l.created_at desc, l.lead_id desc limit 1",
            open_lead_groups()
        ))
        .bind(company_id)
        .bind(c.client_id)
        .fetch_optional(&mut *conn)
        .await?;
    }
    // R-L3's option: an unknown caller's newest open lead on the same number.
    let unknown_lead: Option<i64> = if client.is_none() && want_unknown_lead {
        sqlx::query_scalar(&format!(
            "select l.lead_id from lead l join lead_status s on s.lead_status_id = l.status_id \
             where l.company_id = $1 and l.client_id is null and l.phone_key = $2 and s.status_group in ({}) \
             order by l.created_at desc, l.lead_id desc limit 1",
            open_lead_groups()
        ))
        .bind(company_id)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?
    } else {
        None
    };
    Ok((client, work, unknown_lead))
}

struct CompanyFacts {
    locale: Locale,
    tz: jiff::tz::TimeZone,
    owner_id: i64,
    active: Vec<i64>,
}

async fn company_facts(conn: &mut Conn, company_id: i64) -> Result<CompanyFacts> {
    let c = company(conn, company_id).await?;
    let rows =
        sqlx::query("select employee_id, is_owner, active from employee where company_id = $1")
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut owner_id = 0;
    let mut active = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("employee_id")?;
        if r.try_get("is_owner")? {
            owner_id = id;
        }
        if r.try_get("active")? {
            active.push(id);
        }
    }
    Ok(CompanyFacts {
        locale: c.locale,
        tz: jiff::tz::TimeZone::get(&c.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
        owner_id,
        active,
    })
}

/// R-L2…R-L6: one lead rule for a call, effects and record in the caller's transaction.
pub(super) async fn apply_lead_rule(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: Rule,
    now: Timestamp,
) -> Result<Option<i64>> {
    let settings = telephony_settings(conn, company_id).await?;
    apply_lead_rule_with(conn, company_id, call_id, rule, &settings, now).await
}

async fn apply_lead_rule_with(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: Rule,
    settings: &TelephonySettings,
    now: Timestamp,
) -> Result<Option<i64>> {
    let call = call_row(conn, company_id, call_id, false).await?;
    let (client, work, unknown_lead) = client_and_work(
        conn,
        company_id,
        call.customer_key.as_deref(),
        settings.reuse_unknown_caller_lead,
    )
    .await?;
    let locale = company(conn, company_id).await?.locale;
    let decision = decide_lead(
        rule,
        settings,
        &call.facts,
        client.as_ref(),
        &work,
        unknown_lead,
        locale,
    );
    match decision {
        LeadDecision::Create(plan) => {
            let lead_id =
                create_lead_from_plan(conn, company_id, &plan, call.customer_key.as_deref(), now)
                    .await?;
            record(
                conn,
                company_id,
                call_id,
                rule,
                Outcome::Created,
                None,
                &[],
                Some(lead_id),
                false,
                now,
            )
            .await?;
            Ok(Some(lead_id))
        }
        LeadDecision::Reuse { lead_id } => {
            link_call_to_lead(conn, company_id, lead_id, call_id, now).await?;
            record(
                conn,
                company_id,
                call_id,
                rule,
                Outcome::Skipped,
                Some(Text::ReusedCallersOpenLead),
                &[],
                Some(lead_id),
                false,
                now,
            )
            .await?;
            Ok(None)
        }
        LeadDecision::Skip {
            reason,
            link_call_to_lead: link,
        } => {
            if let Some(lead_id) = link {
                link_call_to_lead(conn, company_id, lead_id, call_id, now).await?;
            }
            record(
                conn,
                company_id,
                call_id,
                rule,
                Outcome::Skipped,
                Some(reason),
                &[],
                link,
                false,
                now,
            )
            .await?;
            Ok(None)
        }
    }
}

async fn create_lead_from_plan(
    conn: &mut Conn,
    company_id: i64,
    plan: &NewLeadPlan,
    phone_key: Option<&str>,
    now: Timestamp,
) -> Result<i64> {
    let phone = plan.phone.as_deref().map(|p| (p, phone_key.unwrap_or(p)));
    let lead_type = resolve_lead_type(conn, company_id, plan.lead_type_id).await?;
    let lead_id = insert_lead(
        conn,
        company_id,
        &LeadInsert {
            type_id: lead_type.id,
            status_id: lead_type.initial_status_id,
            client_id: plan.client_id,
            client_name: &plan.client_name,
            phone,
            description: plan.description,
            manager_id: plan.manager_id,
            source: plan.source,
            call_id: Some(plan.call_id),
            ..LeadInsert::default()
        },
        now,
    )
    .await?;
    notify_lead_event(
        conn,
        company_id,
        &LeadEvent::MadeByRule {
            manager_id: plan.manager_id,
            notify_ids: &plan.notify_ids,
        },
        lead_id,
        Some(plan.call_id),
        now,
    )
    .await?;
    Ok(lead_id)
}

/// R-A1…R-A5 for a call, effects and record in the caller's transaction.
pub(super) async fn apply_missed_call_task(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    now: Timestamp,
) -> Result<()> {
    let settings = telephony_settings(conn, company_id).await?;
    let call = call_row(conn, company_id, call_id, false).await?;
    let (client, work, _) =
        client_and_work(conn, company_id, call.customer_key.as_deref(), false).await?;
    let company = company_facts(conn, company_id).await?;
    let own_lead: Option<i64> = sqlx::query_scalar(
        "select lead_id from call_automation where company_id = $1 and call_id = $2 and rule = 'missed_call_lead' and outcome = 'created'",
    )
    .bind(company_id)
    .bind(call_id)
    .fetch_optional(&mut *conn)
    .await?
    .flatten();
    let active = company.active.clone();
    let decision = decide_missed_call_task(
        &settings,
        &call.facts,
        client.as_ref(),
        &work,
        own_lead,
        &|id| active.contains(&id),
        company.owner_id,
        company.locale,
        &company.tz,
    );
    match decision {
        TaskDecision::Create { tasks, notes, .. } => {
            for t in &tasks {
                insert_task(conn, company_id, t, now).await?;
            }
            record(
                conn,
                company_id,
                call_id,
                Rule::MissedCallTask,
                Outcome::Created,
                None,
                &notes,
                None,
                false,
                now,
            )
            .await
        }
        TaskDecision::Skip { reason } => {
            record(
                conn,
                company_id,
                call_id,
                Rule::MissedCallTask,
                Outcome::Skipped,
                Some(reason),
                &[],
                None,
                false,
                now,
            )
            .await
        }
    }
}

/// R-C3a: the call proved answered; undo what the missed-call rules made.
async fn cancel_missed_call_effects(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    now: Timestamp,
) -> Result<()> {
    // Most calls are answered before they end: then the missed-call rules have
    // no record yet (their jobs are enqueued with a record), and nothing to undo.
    let any: i64 = sqlx::query_scalar(
        "select count(*) from call_automation where company_id = $1 and call_id = $2 and rule in ('missed_call_task', 'missed_call_lead')",
    )
    .bind(company_id)
    .bind(call_id)
    .fetch_one(&mut *conn)
    .await?;
    if any == 0 {
        return Ok(());
    }
    if let Some((outcome, _)) =
        automation_row(conn, company_id, call_id, Rule::MissedCallTask.as_str()).await?
    {
        if outcome == Outcome::Created.as_str() {
            sqlx::query(
                "update task set status = 'cancelled', cancel_reason = $3 where company_id = $1 and call_id = $2 and rule = 'missed_call_task' and status = 'open'",
            )
            .bind(company_id)
            .bind(call_id)
            .bind(Text::CallWasAnswered.key())
            .execute(&mut *conn)
            .await?;
        }
        if outcome == Outcome::Created.as_str() || outcome == Outcome::Pending.as_str() {
            let o = if outcome == Outcome::Created.as_str() {
                Outcome::Cancelled
            } else {
                Outcome::Skipped
            };
            record(
                conn,
                company_id,
                call_id,
                Rule::MissedCallTask,
                o,
                Some(Text::CallWasAnswered),
                &[],
                None,
                false,
                now,
            )
            .await?;
        }
    }
    let row = sqlx::query("select outcome, lead_id from call_automation where company_id = $1 and call_id = $2 and rule = 'missed_call_lead'")
        .bind(company_id)
        .bind(call_id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(r) = row {
        let outcome: String = r.try_get("outcome")?;
        let lead_id: Option<i64> = r.try_get("lead_id")?;
        if outcome == Outcome::Created.as_str() {
            if let Some(lead_id) = lead_id {
                let cancelled: Option<i64> =
                    sqlx::query_scalar("select lead_status_id from lead_status where company_id = $1 and status_key = 'cancelled'")
                        .bind(company_id)
                        .fetch_optional(&mut *conn)
                        .await?;
                if let Some(s) = cancelled {
                    sqlx::query("update lead set status_id = $3, updated_at = $4 where company_id = $1 and lead_id = $2")
                        .bind(company_id)
                        .bind(lead_id)
                        .bind(s)
                        .bind(ms(now))
                        .execute(&mut *conn)
                        .await?;
                }
            }
            record(
                conn,
                company_id,
                call_id,
                Rule::MissedCallLead,
                Outcome::Cancelled,
                Some(Text::CallWasAnswered),
                &[],
                lead_id,
                false,
                now,
            )
            .await?;
        } else if outcome == Outcome::Pending.as_str() {
            record(
                conn,
                company_id,
                call_id,
                Rule::MissedCallLead,
                Outcome::Skipped,
                Some(Text::CallWasAnswered),
                &[],
                None,
                false,
                now,
            )
            .await?;
        }
    }
    // Their jobs, if still waiting, have nothing left to do.
    finish_waiting_call_jobs(
        conn,
        company_id,
        call_id,
        &[JobKind::MissedCallTask, JobKind::MissedCallLead],
        now,
    )
    .await
}

/// What an event changed for the automation, inside the event's transaction
/// (`before`: whether the call was answered and had ended before it).
pub(crate) async fn after_event(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    created: bool,
    before: (bool, bool),
    after: (bool, bool),
    now: Timestamp,
) -> Result<()> {
    let (was_answered, had_ended) = before;
    if created {
        enqueue(
            conn,
            company_id,
            call_id,
            JobKind::StaleCheck,
            ms(now) + FIRST_STALE_CHECK_MS,
            now,
        )
        .await?;
    }
    if after == before {
        return Ok(());
    }
    let call = call_row(conn, company_id, call_id, false).await?;
    if call.facts.answered && !was_answered {
        // R-C3a: a late answer undoes the missed-call rules. R-L5: the
        // answered-call lead is made now, while the operator talks: by a job due
        // at once (the runner picks it up within its tick), so that numbering a
        // lead never holds the company's counter inside a batch of events,
        // where two writers could then wait on each other.
        cancel_missed_call_effects(conn, company_id, call_id, now).await?;
        let settings = telephony_settings(conn, company_id).await?;
        if settings.answered_call_lead.enabled && call.facts.inbound {
            enqueue(
                conn,
                company_id,
                call_id,
                JobKind::for_rule(Rule::AnsweredCallLead),
                ms(now),
                now,
            )
            .await?;
            record(
                conn,
                company_id,
                call_id,
                Rule::AnsweredCallLead,
                Outcome::Pending,
                Some(Text::CallInProgress),
                &[],
                None,
                false,
                now,
            )
            .await?;
        } else {
            // No lead can come of it, so no number is drawn: the rule says why
            // here and now, and a known client's call joins their open lead (R-L3).
            apply_lead_rule_with(
                conn,
                company_id,
                call_id,
                Rule::AnsweredCallLead,
                &settings,
                now,
            )
            .await?;
        }
    }
    if call.ended_at.is_some() && !had_ended {
        on_call_ended(conn, company_id, call_id, &call, now).await?;
    }
    Ok(())
}

/// The call has ended (or was closed as stale): missed-call rules wait for the
/// settle time in durable jobs; rules that cannot apply say why at once.
pub(super) async fn on_call_ended(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    call: &CallRow,
    now: Timestamp,
) -> Result<()> {
    let f = &call.facts;
    if f.missed {
        let settings = telephony_settings(conn, company_id).await?;
        let run_at = ms(ringdesk_domain::automation::settle_deadline(now, &settings));
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            enqueue(
                conn,
                company_id,
                call_id,
                JobKind::for_rule(rule),
                run_at,
                now,
            )
            .await?;
            record(
                conn,
                company_id,
                call_id,
                rule,
                Outcome::Pending,
                Some(Text::WaitingForSettleTime),
                &[],
                None,
                true,
                now,
            )
            .await?;
        }
    } else {
        let why = if f.answered {
            Text::CallWasAnswered
        } else {
            Text::CallWasNotMissed
        };
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            record(
                conn,
                company_id,
                call_id,
                rule,
                Outcome::Skipped,
                Some(why),
                &[],
                None,
                true,
                now,
            )
            .await?;
        }
    }
    if !f.answered {
        let why = if f.inbound {
            Text::CallWasNotAnswered
        } else {
            Text::OutboundCall
        };
        record(
            conn,
            company_id,
            call_id,
            Rule::AnsweredCallLead,
            Outcome::Skipped,
            Some(why),
            &[],
            None,
            true,
            now,
        )
        .await?;
    }
    finish_waiting_call_jobs(conn, company_id, call_id, &[JobKind::StaleCheck], now).await
}

//! The telephony automation (SPEC §4, §5, R-C3a): gathering a rule's facts, writing its effects and what each rule did for a call.

use super::clients::lookup;
use super::company::{company, telephony_settings};
use super::jobs::{enqueue, finish_waiting_call_jobs};
use super::leads::{
    insert_lead, link_call_to_lead, open_lead_groups, open_order_groups, resolve_lead_type,
    LeadInsert,
};
use super::live::publish;
use super::notifications::notify_lead_event;
use super::tasks::insert_task;
use super::{lock_number, Conn, FOR_UPDATE};
use crate::decode::{At, Named};
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::{
    self as rules, decide_lead, decide_missed_call_task, pick_client, CallFacts, CallStage,
    ClientFacts, Effect, LeadDecision, MissedCallRecords, NewLeadPlan, NotCustomer, OpenWork,
    Outcome, Rule, TelephonySettings,
};
use ringdesk_domain::call::Direction;
use ringdesk_domain::company::Locale;
use ringdesk_domain::jobs::JobKind;
use ringdesk_domain::notify::LeadEvent;
use ringdesk_domain::phone::PhoneKey;
use ringdesk_domain::texts::Text;
use std::collections::VecDeque;

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

#[derive(sqlx::FromRow)]
struct RecordRow {
    rule: Named<Rule>,
    outcome: Named<Outcome>,
    reason: Option<String>,
    notes: Option<String>,
    lead_id: Option<i64>,
}

/// For every rule: what it did for this call, or why not, or that it waits.
pub(crate) async fn call_automation(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
) -> Result<Vec<CallAutomation>> {
    let rows: Vec<RecordRow> = sqlx::query_as("select rule, outcome, reason, notes, lead_id from call_automation where company_id = $1 and call_id = $2")
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
        let entry = match rows.iter().find(|r| r.rule.0 == rule) {
            Some(r) => CallAutomation {
                rule,
                outcome: r.outcome.0,
                reason: r.reason.clone(),
                notes: r
                    .notes
                    .as_deref()
                    .map(|n| n.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
                task_ids: if rule == Rule::MissedCallTask {
                    task_ids.clone()
                } else {
                    vec![]
                },
                lead_id: r.lead_id,
            },
            None => CallAutomation {
                rule,
                outcome: Outcome::Pending,
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

#[derive(sqlx::FromRow)]
struct CallFactsRow {
    direction: Named<Direction>,
    missed: bool,
    answered_at: Option<i64>,
    ended_at: Option<At>,
    customer_key: Option<String>,
    from_raw: String,
    to_raw: String,
    not_customer: Option<Named<NotCustomer>>,
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
    let r: CallFactsRow = sqlx::query_as(&format!(
        "select direction, missed, answered_at, ended_at, customer_key, from_raw, to_raw, not_customer from call where company_id = $1 and call_id = $2{lock}"
    ))
    .bind(company_id)
    .bind(call_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("call"))?;
    let inbound = r.direction.0 == Direction::Inbound;
    let not_customer = r.not_customer.map(|Named(n)| n);
    let key = r.customer_key;
    let ended_at = r.ended_at.map(|At(t)| t);
    Ok(CallRow {
        facts: CallFacts {
            call_id,
            inbound,
            missed: r.missed,
            answered: r.answered_at.is_some(),
            ended_at,
            customer_number: match &key {
                Some(k) if k.starts_with('+') => k.clone(),
                _ if inbound => r.from_raw,
                _ => r.to_raw,
            },
            customer_withheld: key.is_none(),
            not_customer,
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
    let rows: Vec<(i64, bool, bool)> =
        sqlx::query_as("select employee_id, is_owner, active from employee where company_id = $1")
            .bind(company_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut owner_id = 0;
    let mut active = Vec::new();
    for (id, is_owner, is_active) in rows {
        if is_owner {
            owner_id = id;
        }
        if is_active {
            active.push(id);
        }
    }
    Ok(CompanyFacts {
        locale: c.locale,
        tz: crate::decode::time_zone(&c.time_zone)?,
        owner_id,
        active,
    })
}

/// R-C3a's facts: what the missed-call rules have recorded for the call.
async fn missed_call_records(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
) -> Result<MissedCallRecords> {
    let rows: Vec<(Named<Rule>, Named<Outcome>, Option<i64>)> = sqlx::query_as(
        "select rule, outcome, lead_id from call_automation where company_id = $1 and call_id = $2 and rule in ($3, $4)",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(Rule::MissedCallTask.as_str())
    .bind(Rule::MissedCallLead.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut records = MissedCallRecords::default();
    for (Named(rule), Named(outcome), lead_id) in rows {
        match rule {
            Rule::MissedCallTask => records.task = Some(outcome),
            Rule::MissedCallLead => records.lead = Some((outcome, lead_id)),
            Rule::AnsweredCallLead => {}
        }
    }
    Ok(records)
}

/// R-L2…R-L6: one lead rule for a call (its job), effects and record in the
/// caller's transaction. Returns the lead it made, if any.
pub(super) async fn apply_lead_rule(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: Rule,
    now: Timestamp,
) -> Result<Option<i64>> {
    let settings = telephony_settings(conn, company_id).await?;
    let decision = decide_lead_rule(conn, company_id, call_id, rule, &settings).await?;
    apply(
        conn,
        company_id,
        call_id,
        decision.effects(rule),
        Some(&settings),
        now,
    )
    .await
}

/// Gathers a lead rule's facts (the call, R-P4's client and its open work,
/// R-L3's unknown caller's lead) and asks the domain.
async fn decide_lead_rule(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    rule: Rule,
    settings: &TelephonySettings,
) -> Result<LeadDecision> {
    let call = call_row(conn, company_id, call_id, false).await?;
    // Two calls from one number decided at once (two runners) must see each
    // other's lead (R-L3, R-L4): one number's lead rules run one at a time.
    if let Some(key) = call.customer_key.as_deref() {
        lock_number(conn, company_id, key).await?;
    }
    let (client, work, unknown_lead) = client_and_work(
        conn,
        company_id,
        call.customer_key.as_deref(),
        settings.reuse_unknown_caller_lead,
    )
    .await?;
    let locale = company(conn, company_id).await?.locale;
    Ok(decide_lead(
        rule,
        settings,
        &call.facts,
        client.as_ref(),
        &work,
        unknown_lead,
        locale,
    ))
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

/// R-A1…R-A5 for a call (its job), effects and record in the caller's transaction.
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
        "select lead_id from call_automation where company_id = $1 and call_id = $2 and rule = $3 and outcome = $4",
    )
    .bind(company_id)
    .bind(call_id)
    .bind(Rule::MissedCallLead.as_str())
    .bind(Outcome::Created.as_str())
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
    apply(
        conn,
        company_id,
        call_id,
        decision.effects(),
        Some(&settings),
        now,
    )
    .await?;
    Ok(())
}

/// Writes the effects the domain decided, in order, in the caller's
/// transaction. [`Effect::DecideLeadNow`] gathers that rule's facts and puts
/// its decision's effects next. Returns the lead made, if any.
async fn apply(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    effects: Vec<Effect>,
    settings: Option<&TelephonySettings>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let mut made = None;
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::EnqueueRule { rule, run_at } => {
                let kind = JobKind::for_rule(rule);
                enqueue(conn, company_id, call_id, kind, ms(run_at), now).await?;
            }
            Effect::EnqueueStaleCheck { run_at } => {
                let kind = JobKind::StaleCheck;
                enqueue(conn, company_id, call_id, kind, ms(run_at), now).await?;
            }
            Effect::DropStaleCheck => {
                let kinds = [JobKind::StaleCheck];
                finish_waiting_call_jobs(conn, company_id, call_id, &kinds, now).await?;
            }
            Effect::DropMissedCallJobs => {
                let kinds = [JobKind::MissedCallTask, JobKind::MissedCallLead];
                finish_waiting_call_jobs(conn, company_id, call_id, &kinds, now).await?;
            }
            Effect::DecideLeadNow { rule } => {
                let decision = match settings {
                    Some(s) => decide_lead_rule(conn, company_id, call_id, rule, s).await?,
                    None => {
                        let s = telephony_settings(conn, company_id).await?;
                        decide_lead_rule(conn, company_id, call_id, rule, &s).await?
                    }
                };
                for (i, e) in decision.effects(rule).into_iter().enumerate() {
                    queue.insert(i, e);
                }
            }
            Effect::Record {
                rule,
                outcome,
                reason,
                notes,
                lead_id,
                keep_existing,
            } => {
                record(
                    conn,
                    company_id,
                    call_id,
                    rule,
                    outcome,
                    reason,
                    &notes,
                    lead_id,
                    keep_existing,
                    now,
                )
                .await?;
            }
            Effect::CancelMissedCallTasks { reason } => {
                let cancelled: Vec<i64> = sqlx::query_scalar(
                    "update task set status = 'cancelled', cancel_reason = $3 where company_id = $1 and call_id = $2 and rule = $4 and status = 'open' returning task_id",
                )
                .bind(company_id)
                .bind(call_id)
                .bind(reason.key())
                .bind(Rule::MissedCallTask.as_str())
                .fetch_all(&mut *conn)
                .await?;
                for task_id in cancelled {
                    publish(conn, company_id, LiveKind::Task, task_id, None, now).await?;
                }
            }
            Effect::CancelLead { lead_id } => {
                let cancelled: Option<i64> = sqlx::query_scalar(
                    "select lead_status_id from lead_status where company_id = $1 and status_key = 'cancelled'",
                )
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
                    publish(conn, company_id, LiveKind::Lead, lead_id, None, now).await?;
                }
            }
            Effect::CreateLead { rule, plan } => {
                let key = call_row(conn, company_id, call_id, false)
                    .await?
                    .customer_key;
                let lead_id =
                    create_lead_from_plan(conn, company_id, &plan, key.as_deref(), now).await?;
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
                made = Some(lead_id);
            }
            Effect::LinkCallToLead { lead_id } => {
                link_call_to_lead(conn, company_id, lead_id, call_id, now).await?;
            }
            Effect::CreateTask(plan) => {
                insert_task(conn, company_id, &plan, now).await?;
            }
        }
    }
    Ok(made)
}

/// What an event changed for the automation, inside the event's transaction
/// (`before`/`after`: whether the call was answered and had ended before and
/// after it). Gathers the facts, asks the domain, applies its effects.
pub(crate) async fn after_event(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    created: bool,
    before: (bool, bool),
    after: (bool, bool),
    now: Timestamp,
) -> Result<()> {
    let mut effects = if created {
        rules::on_first_event(now)
    } else {
        vec![]
    };
    // An event that moves the call nowhere (most of them) needs no facts.
    let settings = if after != before {
        let call = call_row(conn, company_id, call_id, false).await?;
        let records = missed_call_records(conn, company_id, call_id).await?;
        let settings = telephony_settings(conn, company_id).await?;
        let (answered, ended) = before;
        effects.extend(rules::on_stage_change(
            CallStage { answered, ended },
            &call.facts,
            &records,
            &settings,
            now,
        ));
        Some(settings)
    } else {
        None
    };
    apply(conn, company_id, call_id, effects, settings.as_ref(), now).await?;
    Ok(())
}

/// The call has ended (or was closed as stale, R-C3b): the domain's
/// [`rules::on_call_ended`], applied.
pub(super) async fn on_call_ended(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    call: &CallRow,
    now: Timestamp,
) -> Result<()> {
    let settings = telephony_settings(conn, company_id).await?;
    let effects = rules::on_call_ended(&call.facts, &settings, now);
    apply(conn, company_id, call_id, effects, Some(&settings), now).await?;
    Ok(())
}

/// Issue 11's automation preview: what `settings` would make of the calls that
/// ended since `since`, by the same domain decisions the rules run, over the
/// same facts gathered now (today's clients and their open work); nothing is
/// written. A lead the preview would make is not seen by later calls of the
/// preview (R-L3's reuse counts only stored leads).
pub(crate) async fn automation_preview(
    conn: &mut Conn,
    company_id: i64,
    settings: &TelephonySettings,
    since: Timestamp,
) -> Result<AutomationPreview> {
    use ringdesk_domain::automation::{decide_lead, decide_missed_call_task, TaskDecision};
    let ids: Vec<i64> = sqlx::query_scalar(
        "select call_id from call where company_id = $1 and ended_at >= $2 order by call_id",
    )
    .bind(company_id)
    .bind(ms(since))
    .fetch_all(&mut *conn)
    .await?;
    let company = company_facts(conn, company_id).await?;
    let mut out = AutomationPreview {
        calls_seen: ids.len(),
        ..AutomationPreview::default()
    };
    for call_id in ids {
        let call = call_row(conn, company_id, call_id, false).await?;
        let (client, work, unknown_lead) = client_and_work(
            conn,
            company_id,
            call.customer_key.as_deref(),
            settings.reuse_unknown_caller_lead,
        )
        .await?;
        let tasks = match decide_missed_call_task(
            settings,
            &call.facts,
            client.as_ref(),
            &work,
            None,
            &|id| company.active.contains(&id),
            company.owner_id,
            company.locale,
            &company.tz,
        ) {
            TaskDecision::Create { tasks, .. } => tasks.len(),
            TaskDecision::Skip { .. } => 0,
        };
        let lead_rules: Vec<Rule> = [Rule::AnsweredCallLead, Rule::MissedCallLead]
            .into_iter()
            .filter(|rule| {
                decide_lead(
                    *rule,
                    settings,
                    &call.facts,
                    client.as_ref(),
                    &work,
                    unknown_lead,
                    company.locale,
                )
                .outcome()
                    == Outcome::Created
            })
            .collect();
        if tasks > 0 || !lead_rules.is_empty() {
            out.tasks += tasks;
            out.leads += lead_rules.len();
            out.calls.push(PreviewCall {
                call_id,
                tasks,
                lead_rules,
            });
        }
    }
    Ok(out)
}

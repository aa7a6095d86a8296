// The telephony automation's queries (SPEC §4, §5, R-C3a, R-C3b), written once
// and `include!`d after `queries.rs` by both backends. The decisions are the
// domain's (`ringdesk_domain::automation`); this file gathers their facts and
// writes their effects, in the transaction of the event that triggers them or
// of the durable job that event enqueued.

#[allow(unused_imports)]
use ringdesk_domain::automation::{
    decide_lead, decide_missed_call_task, pick_client, CallFacts, ClientFacts, LeadDecision, NewLeadPlan, OpenWork,
    Outcome, Rule, TaskDecision,
};
#[allow(unused_imports)]
use ringdesk_domain::texts::{text, Text};

/// The job that closes a call nobody ended (R-C3b); not a rule of R-X5.
pub(crate) const STALE_CHECK: &str = "stale_check";

/// How long after its first event a call is first checked for staleness;
/// the check then reschedules itself by the company's `stale_call_hours`.
const FIRST_STALE_CHECK_MS: i64 = 60 * 60 * 1000;

// ----- counters, orders, leads ---------------------------------------------

/// The next value of a per-company counter: atomic, never reused.
pub(crate) async fn next_number(conn: &mut Conn, company_id: i64, name: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "insert into company_counter (company_id, counter_name, value) values ($1, $2, 1) \
         on conflict (company_id, counter_name) do update set value = company_counter.value + 1 returning value",
    )
    .bind(company_id)
    .bind(name)
    .fetch_one(&mut *conn)
    .await?)
}

async fn first_order_status(conn: &mut Conn, company_id: i64) -> Result<i64> {
    sqlx::query_scalar("select order_status_id from order_status where company_id = $1 and status_group = 'new' order by position, order_status_id limit 1")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("order status of group new"))
}

async fn check_exists(conn: &mut Conn, company_id: i64, table: &str, key: &str, id: i64, what: &str) -> Result<()> {
    let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table} where company_id = $1 and {key} = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        let noun = table.replace('_', " ");
        return Err(StoreError::Invalid { field: what.to_owned(), message: format!("no {noun} {id} in this company") });
    }
    Ok(())
}

pub(crate) async fn create_order(conn: &mut Conn, company_id: i64, o: &NewWorkOrder, now: Timestamp) -> Result<WorkOrder> {
    if let Some(c) = o.client_id {
        check_exists(conn, company_id, "client", "client_id", c, "client_id").await?;
    }
    let status_id = match o.status_id {
        Some(s) => {
            check_exists(conn, company_id, "order_status", "order_status_id", s, "status_id").await?;
            s
        }
        None => first_order_status(conn, company_id).await?,
    };
    let number = next_document_number(conn, company_id, "work_order", now).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into work_order (company_id, number, client_id, phone, phone_key, status_id, creator_id, quote_id, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $9, $8, $8) returning work_order_id",
    )
    .bind(company_id)
    .bind(&number)
    .bind(o.client_id)
    .bind(o.phone.as_ref().map(|p| p.raw.as_str()))
    .bind(o.phone.as_ref().map(|p| p.key.as_str()))
    .bind(status_id)
    .bind(o.creator_id)
    .bind(ms(now))
    .bind(o.quote_id)
    .fetch_one(&mut *conn)
    .await?;
    order(conn, company_id, id).await
}

const ORDER_COLUMNS: &str = "work_order_id, number, client_id, phone, status_id, creator_id, lead_id, quote_id, created_at";

fn order_from_row(r: &DbRow) -> Result<WorkOrder> {
    Ok(WorkOrder {
        id: r.try_get("work_order_id")?,
        number: r.try_get("number")?,
        client_id: r.try_get("client_id")?,
        phone: r.try_get("phone")?,
        status_id: r.try_get("status_id")?,
        creator_id: r.try_get("creator_id")?,
        lead_id: r.try_get("lead_id")?,
        quote_id: r.try_get("quote_id")?,
        created_at: ts(r.try_get("created_at")?),
    })
}

pub(crate) async fn order(conn: &mut Conn, company_id: i64, id: i64) -> Result<WorkOrder> {
    let row = sqlx::query(&format!("select {ORDER_COLUMNS} from work_order where company_id = $1 and work_order_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("work order"))?;
    order_from_row(&row)
}

pub(crate) async fn orders(conn: &mut Conn, company_id: i64, client_id: Option<i64>, limit: i64) -> Result<Vec<WorkOrder>> {
    let rows = sqlx::query(&format!(
        "select {ORDER_COLUMNS} from work_order where company_id = $1 and ($2 is null or client_id = $2) order by work_order_id desc limit $3"
    ))
    .bind(company_id)
    .bind(client_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(order_from_row).collect()
}

pub(crate) async fn set_order_status(conn: &mut Conn, company_id: i64, id: i64, status_id: i64, now: Timestamp) -> Result<WorkOrder> {
    check_exists(conn, company_id, "order_status", "order_status_id", status_id, "status_id").await?;
    let n = sqlx::query("update work_order set status_id = $3, updated_at = $4 where company_id = $1 and work_order_id = $2")
        .bind(company_id)
        .bind(id)
        .bind(status_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("work order"));
    }
    order(conn, company_id, id).await
}

/// The lead type to use: `type_id`, or the company's first when `None`;
/// `Invalid` naming `type_id` when the company has no such type.
async fn resolve_lead_type(conn: &mut Conn, company_id: i64, type_id: Option<i64>) -> Result<LeadType> {
    let row = sqlx::query(&format!(
        "select {LEAD_TYPE_COLUMNS} from lead_type where company_id = $1 and ($2 is null or lead_type_id = $2) order by lead_type_id limit 1"
    ))
    .bind(company_id)
    .bind(type_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => lead_type_from_row(&r),
        None => Err(StoreError::Invalid { field: "type_id".into(), message: format!("no lead type {} in this company", type_id.unwrap_or_default()) }),
    }
}

async fn link_call_to_lead(conn: &mut Conn, company_id: i64, lead_id: i64, call_id: i64, now: Timestamp) -> Result<()> {
    sqlx::query("insert into lead_call (company_id, lead_id, call_id, linked_at) values ($1, $2, $3, $4) on conflict do nothing")
        .bind(company_id)
        .bind(lead_id)
        .bind(call_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ----- tasks -----------------------------------------------------------------

const TASK_COLUMNS: &str = "task_id, title, description, author_id, mode, due_at, status, completed_by, completed_at, cancel_reason, order_id, lead_id, call_id, created_at";

async fn task_from_row(conn: &mut Conn, company_id: i64, r: &DbRow) -> Result<Task> {
    let id: i64 = r.try_get("task_id")?;
    let assignee_ids: Vec<i64> =
        sqlx::query_scalar("select employee_id from task_assignee where company_id = $1 and task_id = $2 order by position, employee_id")
            .bind(company_id)
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Task {
        id,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        author_id: r.try_get("author_id")?,
        assignee_ids,
        mode: r.try_get("mode")?,
        due_at: r.try_get::<Option<i64>, _>("due_at")?.map(ts),
        status: TaskStatus::parse(r.try_get("status")?),
        completed_by: r.try_get("completed_by")?,
        completed_at: r.try_get::<Option<i64>, _>("completed_at")?.map(ts),
        cancel_reason: r.try_get("cancel_reason")?,
        order_id: r.try_get("order_id")?,
        lead_id: r.try_get("lead_id")?,
        call_id: r.try_get("call_id")?,
        created_at: ts(r.try_get("created_at")?),
    })
}

pub(crate) async fn task(conn: &mut Conn, company_id: i64, id: i64) -> Result<Task> {
    let row = sqlx::query(&format!("select {TASK_COLUMNS} from task where company_id = $1 and task_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("task"))?;
    task_from_row(conn, company_id, &row).await
}

/// Tasks by filter. `assignee_id`: what that employee's list shows (R-A3).
/// With `overdue_first_at` ("my tasks"): open ones first, overdue ones first
/// among them, then by due date; otherwise newest first.
pub(crate) async fn tasks(conn: &mut Conn, company_id: i64, f: &TaskFilter) -> Result<Vec<Task>> {
    let order = match f.overdue_first_at {
        Some(_) => "case when status = 'open' then 0 else 1 end, case when status = 'open' and due_at < $8 then 0 else 1 end, \
             case when due_at is null then 1 else 0 end, due_at, task_id desc",
        None => "task_id desc",
    };
    let rows = sqlx::query(&format!(
        "select {TASK_COLUMNS} from task t where company_id = $1 and ($2 is null or call_id = $2) \
         and ($3 is null or exists (select 1 from task_assignee a where a.company_id = t.company_id and a.task_id = t.task_id and a.employee_id = $3)) \
         and ($4 is null or order_id = $4) and ($5 is null or lead_id = $5) and ($6 is null or status = $6) \
         order by {order} limit $7"
    ))
    .bind(company_id)
    .bind(f.call_id)
    .bind(f.assignee_id)
    .bind(f.order_id)
    .bind(f.lead_id)
    .bind(f.status.map(|s| s.as_str()))
    .bind(f.limit)
    // Bound even when unused, so both orders share one statement shape.
    .bind(f.overdue_first_at.map(ms).unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(task_from_row(conn, company_id, r).await?);
    }
    Ok(out)
}

/// R-A3: completes a task as `employee_id`, who must be one of its assignees.
/// A shared task then belongs to that employee alone. Atomic: of two
/// assignees completing at once, one wins and the other is told.
pub(crate) async fn complete_task(conn: &mut Conn, company_id: i64, id: i64, employee_id: i64, now: Timestamp) -> Result<Task> {
    let t = task(conn, company_id, id).await?;
    if !t.assignee_ids.contains(&employee_id) {
        return Err(StoreError::Invalid { field: "employee_id".into(), message: format!("employee {employee_id} is not an assignee of task {id}") });
    }
    let n = sqlx::query(
        "update task set status = 'done', completed_by = $3, completed_at = $4 where company_id = $1 and task_id = $2 and status = 'open'",
    )
    .bind(company_id)
    .bind(id)
    .bind(employee_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict(format!("task {id} is already {}", t.status.as_str())));
    }
    sqlx::query("delete from task_assignee where company_id = $1 and task_id = $2 and employee_id <> $3")
        .bind(company_id)
        .bind(id)
        .bind(employee_id)
        .execute(&mut *conn)
        .await?;
    task(conn, company_id, id).await
}

async fn insert_task(conn: &mut Conn, company_id: i64, p: &ringdesk_domain::automation::NewTaskPlan, now: Timestamp) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "insert into task (company_id, title, author_id, mode, due_at, status, order_id, lead_id, call_id, rule, created_at) \
         values ($1, $2, $3, $4, $5, 'open', $6, $7, $8, 'missed_call_task', $9) returning task_id",
    )
    .bind(company_id)
    .bind(p.title)
    .bind(p.author_id)
    .bind(p.mode.as_str())
    .bind(ms(p.due_at))
    .bind(p.order_id)
    .bind(p.lead_id)
    .bind(p.call_id)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    for (i, e) in p.assignee_ids.iter().enumerate() {
        sqlx::query("insert into task_assignee (company_id, task_id, employee_id, position) values ($1, $2, $3, $4)")
            .bind(company_id)
            .bind(id)
            .bind(e)
            .bind(i as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

// ----- notifications (R-L6) --------------------------------------------------------

#[allow(clippy::too_many_arguments)]
async fn notify(conn: &mut Conn, company_id: i64, employee_id: i64, kind: &str, title: &str, lead_id: Option<i64>, call_id: Option<i64>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "insert into notification (company_id, employee_id, kind, title, lead_id, call_id, created_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(kind)
    .bind(title)
    .bind(lead_id)
    .bind(call_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn notifications(conn: &mut Conn, company_id: i64, employee_id: i64, unread_only: bool, limit: i64) -> Result<Vec<Notification>> {
    let rows = sqlx::query(
        "select notification_id, employee_id, kind, title, lead_id, call_id, created_at, read_at from notification \
         where company_id = $1 and employee_id = $2 and ($3 = false or read_at is null) order by notification_id desc limit $4",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(unread_only)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get("notification_id")?,
                employee_id: r.try_get("employee_id")?,
                kind: r.try_get("kind")?,
                title: r.try_get("title")?,
                lead_id: r.try_get("lead_id")?,
                call_id: r.try_get("call_id")?,
                created_at: ts(r.try_get("created_at")?),
                read_at: r.try_get::<Option<i64>, _>("read_at")?.map(ts),
            })
        })
        .collect()
}

/// Marks a notification of `employee_id` read (reading twice is not an error).
pub(crate) async fn read_notification(conn: &mut Conn, company_id: i64, employee_id: i64, id: i64, now: Timestamp) -> Result<()> {
    let n: i64 = sqlx::query_scalar("select count(*) from notification where company_id = $1 and employee_id = $2 and notification_id = $3")
        .bind(company_id)
        .bind(employee_id)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if n == 0 {
        return Err(StoreError::NotFound("notification"));
    }
    sqlx::query("update notification set read_at = $4 where company_id = $1 and employee_id = $2 and notification_id = $3 and read_at is null")
        .bind(company_id)
        .bind(employee_id)
        .bind(id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ----- what each rule did for a call (R-X5 `automation`) ---------------------

async fn automation_row(conn: &mut Conn, company_id: i64, call_id: i64, rule: &str) -> Result<Option<(String, Option<String>)>> {
    let row = sqlx::query("select outcome, reason from call_automation where company_id = $1 and call_id = $2 and rule = $3")
        .bind(company_id)
        .bind(call_id)
        .bind(rule)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get("outcome")?, r.try_get("reason")?))).transpose()
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
pub(crate) async fn call_automation(conn: &mut Conn, company_id: i64, call_id: i64) -> Result<Vec<CallAutomation>> {
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
        let found = rows.iter().find(|r| r.try_get::<&str, _>("rule").ok() == Some(rule.as_str()));
        let entry = match found {
            Some(r) => CallAutomation {
                rule: rule.as_str().to_owned(),
                outcome: r.try_get("outcome")?,
                reason: r.try_get("reason")?,
                notes: r
                    .try_get::<Option<String>, _>("notes")?
                    .map(|n| n.split(',').map(str::to_owned).collect())
                    .unwrap_or_default(),
                task_ids: if rule == Rule::MissedCallTask { task_ids.clone() } else { vec![] },
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

// ----- gathering a rule's facts ------------------------------------------------------

struct CallRow {
    facts: CallFacts,
    customer_key: Option<String>,
    ended_at: Option<Timestamp>,
}

async fn call_row(conn: &mut Conn, company_id: i64, call_id: i64, lock: bool) -> Result<CallRow> {
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
    let raw: String = if direction == Direction::Inbound { r.try_get("from_raw")? } else { r.try_get("to_raw")? };
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
    let Some(key) = key else { return Ok((None, OpenWork::default(), None)) };
    let matches = lookup(conn, company_id, &PhoneKey::from_stored(key.to_owned())).await?;
    let clients: Vec<ClientFacts> = matches
        .iter()
        .map(|m| ClientFacts { client_id: m.client_id, name: m.name.clone(), created_at: m.created_at })
        .collect();
    let client = pick_client(&clients).cloned();
    let mut work = OpenWork::default();
    if let Some(c) = &client {
        work.newest_open_order_id = sqlx::query_scalar(
            "select w.work_order_id from work_order w join order_status s on s.order_status_id = w.status_id \
             where w.company_id = $1 and w.client_id = $2 and s.status_group not in ('closed_success', 'closed_failure') \
             order by w.created_at desc, w.work_order_id desc limit 1",
        )
        .bind(company_id)
        .bind(c.client_id)
        .fetch_optional(&mut *conn)
        .await?;
        work.newest_open_lead_id = sqlx::query_scalar(
            "select l.lead_id from lead l join lead_status s on s.lead_status_id = l.status_id \
             where l.company_id = $1 and l.client_id = $2 and s.status_group not in ('won', 'lost') \
             order by l.created_at desc, l.lead_id desc limit 1",
        )
        .bind(company_id)
        .bind(c.client_id)
        .fetch_optional(&mut *conn)
        .await?;
    }
    // R-L3's option: an unknown caller's newest open lead on the same number.
    let unknown_lead: Option<i64> = if client.is_none() && want_unknown_lead {
        sqlx::query_scalar(
            "select l.lead_id from lead l join lead_status s on s.lead_status_id = l.status_id \
             where l.company_id = $1 and l.client_id is null and l.phone_key = $2 and s.status_group not in ('won', 'lost') \
             order by l.created_at desc, l.lead_id desc limit 1",
        )
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
    let rows = sqlx::query("select employee_id, is_owner, active from employee where company_id = $1")
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

// ----- applying the rules ---------------------------------------------------------------

/// R-L2…R-L6: one lead rule for a call, effects and record in the caller's transaction.
async fn apply_lead_rule(conn: &mut Conn, company_id: i64, call_id: i64, rule: Rule, now: Timestamp) -> Result<Option<i64>> {
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
    let (client, work, unknown_lead) =
        client_and_work(conn, company_id, call.customer_key.as_deref(), settings.reuse_unknown_caller_lead).await?;
    let locale = company(conn, company_id).await?.locale;
    let decision = decide_lead(rule, settings, &call.facts, client.as_ref(), &work, unknown_lead, locale);
    match decision {
        LeadDecision::Create(plan) => {
            let company = company_facts(conn, company_id).await?;
            let lead_id = create_lead_from_plan(conn, company_id, &plan, call.customer_key.as_deref(), &company, now).await?;
            record(conn, company_id, call_id, rule, Outcome::Created, None, &[], Some(lead_id), false, now).await?;
            Ok(Some(lead_id))
        }
        LeadDecision::Reuse { lead_id } => {
            link_call_to_lead(conn, company_id, lead_id, call_id, now).await?;
            record(conn, company_id, call_id, rule, Outcome::Skipped, Some(Text::ReusedCallersOpenLead), &[], Some(lead_id), false, now).await?;
            Ok(None)
        }
        LeadDecision::Skip { reason, link_call_to_lead: link } => {
            if let Some(lead_id) = link {
                link_call_to_lead(conn, company_id, lead_id, call_id, now).await?;
            }
            record(conn, company_id, call_id, rule, Outcome::Skipped, Some(reason), &[], link, false, now).await?;
            Ok(None)
        }
    }
}

async fn create_lead_from_plan(
    conn: &mut Conn,
    company_id: i64,
    plan: &NewLeadPlan,
    phone_key: Option<&str>,
    company: &CompanyFacts,
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
    // R-L6: the manager and each notified employee, once each, if active.
    let mut told = Vec::new();
    if let Some(m) = plan.manager_id.filter(|m| company.active.contains(m)) {
        if notification_prefs(conn, company_id, m).await?.lead_assigned {
            notify(conn, company_id, m, "lead_assigned", text(Text::NotificationLeadAssigned, company.locale), Some(lead_id), Some(plan.call_id), now).await?;
        }
        told.push(m);
    }
    for &e in &plan.notify_ids {
        if !told.contains(&e) && company.active.contains(&e) {
            if notification_prefs(conn, company_id, e).await?.new_lead {
                notify(conn, company_id, e, "new_lead", text(Text::NotificationNewLead, company.locale), Some(lead_id), Some(plan.call_id), now).await?;
            }
            told.push(e);
        }
    }
    Ok(lead_id)
}

/// R-A1…R-A5 for a call, effects and record in the caller's transaction.
async fn apply_missed_call_task(conn: &mut Conn, company_id: i64, call_id: i64, now: Timestamp) -> Result<()> {
    let settings = telephony_settings(conn, company_id).await?;
    let call = call_row(conn, company_id, call_id, false).await?;
    let (client, work, _) = client_and_work(conn, company_id, call.customer_key.as_deref(), false).await?;
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
            record(conn, company_id, call_id, Rule::MissedCallTask, Outcome::Created, None, &notes, None, false, now).await
        }
        TaskDecision::Skip { reason } => {
            record(conn, company_id, call_id, Rule::MissedCallTask, Outcome::Skipped, Some(reason), &[], None, false, now).await
        }
    }
}

/// R-C3a: the call proved answered; undo what the missed-call rules made.
async fn cancel_missed_call_effects(conn: &mut Conn, company_id: i64, call_id: i64, now: Timestamp) -> Result<()> {
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
    if let Some((outcome, _)) = automation_row(conn, company_id, call_id, Rule::MissedCallTask.as_str()).await? {
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
            let o = if outcome == Outcome::Created.as_str() { Outcome::Cancelled } else { Outcome::Skipped };
            record(conn, company_id, call_id, Rule::MissedCallTask, o, Some(Text::CallWasAnswered), &[], None, false, now).await?;
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
            record(conn, company_id, call_id, Rule::MissedCallLead, Outcome::Cancelled, Some(Text::CallWasAnswered), &[], lead_id, false, now).await?;
        } else if outcome == Outcome::Pending.as_str() {
            record(conn, company_id, call_id, Rule::MissedCallLead, Outcome::Skipped, Some(Text::CallWasAnswered), &[], None, false, now).await?;
        }
    }
    // Their jobs, if still waiting, have nothing left to do.
    sqlx::query("update automation_job set done_at = $3 where company_id = $1 and call_id = $2 and rule in ('missed_call_task', 'missed_call_lead') and done_at is null")
        .bind(company_id)
        .bind(call_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn enqueue(conn: &mut Conn, company_id: i64, call_id: i64, rule: &str, run_at: i64, now: Timestamp) -> Result<()> {
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
        enqueue(conn, company_id, call_id, STALE_CHECK, ms(now) + FIRST_STALE_CHECK_MS, now).await?;
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
            enqueue(conn, company_id, call_id, Rule::AnsweredCallLead.as_str(), ms(now), now).await?;
            record(conn, company_id, call_id, Rule::AnsweredCallLead, Outcome::Pending, Some(Text::CallInProgress), &[], None, false, now).await?;
        } else {
            // No lead can come of it, so no number is drawn: the rule says why
            // here and now, and a known client's call joins their open lead (R-L3).
            apply_lead_rule_with(conn, company_id, call_id, Rule::AnsweredCallLead, &settings, now).await?;
        }
    }
    if call.ended_at.is_some() && !had_ended {
        on_call_ended(conn, company_id, call_id, &call, now).await?;
    }
    Ok(())
}

/// The call has ended (or was closed as stale): missed-call rules wait for the
/// settle time in durable jobs; rules that cannot apply say why at once.
async fn on_call_ended(conn: &mut Conn, company_id: i64, call_id: i64, call: &CallRow, now: Timestamp) -> Result<()> {
    let f = &call.facts;
    if f.missed {
        let settings = telephony_settings(conn, company_id).await?;
        let run_at = ms(ringdesk_domain::automation::settle_deadline(now, &settings));
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            enqueue(conn, company_id, call_id, rule.as_str(), run_at, now).await?;
            record(conn, company_id, call_id, rule, Outcome::Pending, Some(Text::WaitingForSettleTime), &[], None, true, now).await?;
        }
    } else {
        let why = if f.answered { Text::CallWasAnswered } else { Text::CallWasNotMissed };
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            record(conn, company_id, call_id, rule, Outcome::Skipped, Some(why), &[], None, true, now).await?;
        }
    }
    if !f.answered {
        let why = if f.inbound { Text::CallWasNotAnswered } else { Text::OutboundCall };
        record(conn, company_id, call_id, Rule::AnsweredCallLead, Outcome::Skipped, Some(why), &[], None, true, now).await?;
    }
    sqlx::query("update automation_job set done_at = $4 where company_id = $1 and call_id = $2 and rule = $3 and done_at is null")
        .bind(company_id)
        .bind(call_id)
        .bind(STALE_CHECK)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ----- durable jobs ---------------------------------------------------------------------

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
        .map(|r| Ok(DueJob { company_id: r.try_get("company_id")?, call_id: r.try_get("call_id")?, rule: r.try_get("rule")? }))
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
            if claim_job(conn, company_id, job.call_id, Rule::MissedCallLead.as_str(), now).await? {
                apply_lead_rule(conn, company_id, job.call_id, Rule::MissedCallLead, now).await?;
            }
            apply_missed_call_task(conn, company_id, job.call_id, now).await?;
        }
        other => tracing::warn!(rule = other, "unknown automation job; marked done"),
    }
    Ok(true)
}

/// Marks a waiting job done; false if it was done already (or does not exist).
async fn claim_job(conn: &mut Conn, company_id: i64, call_id: i64, rule: &str, now: Timestamp) -> Result<bool> {
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
pub(crate) async fn job_failed(conn: &mut Conn, job: &DueJob, error: &str, retry_at: Timestamp) -> Result<()> {
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
    let last = ts(r.try_get::<Option<i64>, _>("last_event_received_at")?.unwrap_or(r.try_get("created_at")?));
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
    refresh_call(conn, company_id, call_id, direction, Some(ms(now)), None, now).await?;
    let after = call_row(conn, company_id, call_id, false).await?;
    if after.ended_at.is_some() && before.ended_at.is_none() {
        on_call_ended(conn, company_id, call_id, &after, now).await?;
    }
    Ok(())
}

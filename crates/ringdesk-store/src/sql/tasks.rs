//! Tasks (R-A3, R-M8).

use super::leads::check_refs;
use super::live::publish;
use super::orders::check_exists;
use super::{children, Conn};
use crate::decode::{At, Named};
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::TaskMode;

const TASK_COLUMNS: &str = "task_id, title, description, author_id, mode, due_at, status, completed_by, completed_at, cancel_reason, order_id, lead_id, call_id, created_at";

#[derive(sqlx::FromRow)]
struct TaskRow {
    task_id: i64,
    title: String,
    description: Option<String>,
    author_id: Option<i64>,
    mode: Named<TaskMode>,
    due_at: Option<At>,
    status: Named<TaskStatus>,
    completed_by: Option<i64>,
    completed_at: Option<At>,
    cancel_reason: Option<String>,
    order_id: Option<i64>,
    lead_id: Option<i64>,
    call_id: Option<i64>,
    created_at: At,
}

/// Tasks from their rows, with the assignees of all of them read in one query.
async fn tasks_from_rows(
    conn: &mut Conn,
    company_id: i64,
    rows: Vec<TaskRow>,
) -> Result<Vec<Task>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.task_id).collect();
    let mut assignees = children(
        conn,
        "task_assignee",
        "task_id",
        "employee_id",
        company_id,
        &ids,
        "task_id, position, employee_id",
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Task {
            assignee_ids: assignees.remove(&r.task_id).unwrap_or_default(),
            id: r.task_id,
            title: r.title,
            description: r.description,
            author_id: r.author_id,
            mode: r.mode.0,
            due_at: r.due_at.map(|At(t)| t),
            status: r.status.0,
            completed_by: r.completed_by,
            completed_at: r.completed_at.map(|At(t)| t),
            cancel_reason: r.cancel_reason,
            order_id: r.order_id,
            lead_id: r.lead_id,
            call_id: r.call_id,
            created_at: r.created_at.0,
        })
        .collect())
}

pub(crate) async fn task(conn: &mut Conn, company_id: i64, id: i64) -> Result<Task> {
    let row: TaskRow = sqlx::query_as(&format!(
        "select {TASK_COLUMNS} from task where company_id = $1 and task_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("task"))?;
    Ok(tasks_from_rows(conn, company_id, vec![row])
        .await?
        .remove(0))
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
    let rows: Vec<TaskRow> = sqlx::query_as(&format!(
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
    tasks_from_rows(conn, company_id, rows).await
}

/// R-A3: completes a task as `employee_id`, who must be one of its assignees.
/// A shared task then belongs to that employee alone. Atomic: of two
/// assignees completing at once, one wins and the other is told.
pub(crate) async fn complete_task(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    employee_id: i64,
    now: Timestamp,
) -> Result<Task> {
    let t = task(conn, company_id, id).await?;
    if !t.assignee_ids.contains(&employee_id) {
        return Err(StoreError::Invalid {
            field: "employee_id".into(),
            message: format!("employee {employee_id} is not an assignee of task {id}"),
        });
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
        return Err(StoreError::Conflict(format!(
            "task {id} is already {}",
            t.status.as_str()
        )));
    }
    sqlx::query(
        "delete from task_assignee where company_id = $1 and task_id = $2 and employee_id <> $3",
    )
    .bind(company_id)
    .bind(id)
    .bind(employee_id)
    .execute(&mut *conn)
    .await?;
    publish(conn, company_id, LiveKind::Task, id, None, now).await?;
    task(conn, company_id, id).await
}

pub(super) async fn insert_task(
    conn: &mut Conn,
    company_id: i64,
    p: &ringdesk_domain::automation::NewTaskPlan,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "insert into task (company_id, title, author_id, mode, due_at, status, order_id, lead_id, call_id, rule, created_at, description) \
         values ($1, $2, $3, $4, $5, 'open', $6, $7, $8, 'missed_call_task', $9, $10) returning task_id",
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
    .bind(&p.description)
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
    publish(conn, company_id, LiveKind::Task, id, None, now).await?;
    Ok(id)
}

/// Tasks made by hand (R-M8): the assignees and links checked in this
/// company, then one task for all assignees (`shared`) or one each (`each`,
/// R-A3), all in the caller's one transaction: an invalid assignee makes none.
pub(crate) async fn create_tasks(
    conn: &mut Conn,
    company_id: i64,
    t: &NewTask,
    now: Timestamp,
) -> Result<Vec<Task>> {
    for (i, e) in t.assignee_ids.iter().enumerate() {
        check_exists(
            conn,
            company_id,
            "employee",
            "employee_id",
            *e,
            &format!("assignee_ids[{i}]"),
        )
        .await?;
    }
    check_refs(
        conn,
        company_id,
        &[
            (t.order_id, "work_order", "work_order_id", "order_id"),
            (t.lead_id, "lead", "lead_id", "lead_id"),
        ],
    )
    .await?;
    let mut out = Vec::new();
    for assignee_ids in t.mode.split(&t.assignee_ids) {
        let id: i64 = sqlx::query_scalar(
            "insert into task (company_id, title, description, author_id, mode, due_at, status, order_id, lead_id, created_at) \
             values ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) returning task_id",
        )
        .bind(company_id)
        .bind(&t.title)
        .bind(&t.description)
        .bind(t.author_id)
        .bind(t.mode.as_str())
        .bind(t.due_at.map(ms))
        .bind(t.order_id)
        .bind(t.lead_id)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await?;
        for (position, e) in assignee_ids.iter().enumerate() {
            sqlx::query("insert into task_assignee (company_id, task_id, employee_id, position) values ($1, $2, $3, $4)")
                .bind(company_id)
                .bind(id)
                .bind(e)
                .bind(position as i64 + 1)
                .execute(&mut *conn)
                .await?;
        }
        publish(conn, company_id, LiveKind::Task, id, None, now).await?;
        out.push(task(conn, company_id, id).await?);
    }
    Ok(out)
}

/// Reopens a done or cancelled task; its assignees stay as they are.
pub(crate) async fn reopen_task(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    now: Timestamp,
) -> Result<Task> {
    let t = task(conn, company_id, id).await?;
    if t.status == TaskStatus::Open {
        return Err(StoreError::Conflict(format!("task {id} is already open")));
    }
    sqlx::query("update task set status = 'open', completed_by = null, completed_at = null, cancel_reason = null where company_id = $1 and task_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    publish(conn, company_id, LiveKind::Task, id, None, now).await?;
    task(conn, company_id, id).await
}

//! "My tasks" (R-A3): list, complete, reopen.

use super::click_to_call::{call_button, Dial};
use super::*;
use crate::extract::{Path, Query};
use axum::extract::State;
use ringdesk_store::{CallFilter, StoreError, TaskFilter, TaskStatus};
// ----- my tasks (R-A3) -------------------------------------------------------------------------

fn flash_text(l: Locale, m: Option<&str>) -> Option<(bool, String)> {
    let (ok, id) = match m? {
        "completed" => (true, "task-completed"),
        "reopened" => (true, "task-reopened"),
        "not-assignee" => (false, "task-not-assignee"),
        "not-open" => (false, "task-not-open"),
        "already-open" => (false, "task-already-open"),
        _ => return None,
    };
    Some((ok, tr(l, id)))
}

/// `GET /tasks`: "my tasks" as R-A3 says: the employee's tasks, open ones
/// first, overdue before the rest, soonest due first (the store's order for
/// `GET /api/v1/tasks?mine=true`).
pub async fn tasks_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let now = Timestamp::now();
    let filter = TaskFilter {
        call_id: None,
        assignee_id: Some(s.caller.employee.id),
        order_id: None,
        lead_id: None,
        status: None,
        overdue_first_at: Some(now),
        limit: 200,
    };
    let tasks = state.store.tasks(s.caller.company_id, &filter).await?;
    // The numbers of the calls open tasks were made from, for their "Call"
    // buttons (R-I5): one query for the page.
    let mut call_ids: Vec<i64> = tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Open)
        .filter_map(|t| t.call_id)
        .collect();
    call_ids.sort_unstable();
    call_ids.dedup();
    let calls = if call_ids.is_empty() {
        Vec::new()
    } else {
        let limit = call_ids.len() as i64;
        state
            .store
            .calls(
                s.caller.company_id,
                &CallFilter {
                    ids: Some(call_ids),
                    limit,
                    ..CallFilter::default()
                },
            )
            .await?
    };
    let call_of = |id: Option<i64>| id.and_then(|id| calls.iter().find(|c| c.id == id));
    let title = tr(l, "tasks-title");
    let markup = s.page(&title, "/tasks", html! {
        h1 { (title) }
        @if let Some((ok, text)) = flash_text(l, q.m.as_deref()) {
            @if ok { p.notice #flash role="status" { (text) } } @else { p.error #flash role="alert" { (text) } }
        }
        @if tasks.is_empty() {
            p #no-tasks { (tr(l, "tasks-empty")) }
        } @else {
            table #tasks {
                thead { tr { th scope="col" { (tr(l, "task-title")) } th scope="col" { (tr(l, "task-due")) } th scope="col" { (tr(l, "task-status")) } th scope="col" { (tr(l, "task-actions")) } } }
                tbody {
                    @for t in &tasks {
                        @let overdue = t.status == TaskStatus::Open && t.due_at.is_some_and(|d| d < now);
                        tr id=(format!("task-{}", t.id)) data-status=(t.status.as_str()) {
                            td {
                                strong { (t.title) }
                                @if let Some(d) = &t.description { br; span { (d) } }
                                @if let (TaskStatus::Open, Some(c)) = (t.status, call_of(t.call_id)) {
                                    @let number = if c.direction.is_outbound() { &c.to } else { &c.from };
                                    br; span.phone { (number) } " "
                                    (call_button(&s, &Dial { number, client_id: c.client_id, task_id: Some(t.id), call_id: Some(c.id), ..Dial::default() }))
                                }
                            }
                            td {
                                @match t.due_at {
                                    Some(d) => { time datetime=(d.to_string()) { (local_time(d, &s.tz)) } }
                                    None => { (tr(l, "task-no-due")) }
                                }
                                @if overdue { " " span.overdue { (tr(l, "task-overdue")) } }
                            }
                            td { (tr(l, match t.status { TaskStatus::Open => "task-status-open", TaskStatus::Done => "task-status-done", TaskStatus::Cancelled => "task-status-cancelled" })) }
                            td {
                                @match t.status {
                                    TaskStatus::Open => {
                                        form.inline method="post" action=(format!("/tasks/{}/complete", t.id)) {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            button type="submit" { (tr(l, "task-complete")) }
                                        }
                                    }
                                    TaskStatus::Done => {
                                        form.inline method="post" action=(format!("/tasks/{}/reopen", t.id)) {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            button type="submit" { (tr(l, "task-reopen")) }
                                        }
                                    }
                                    TaskStatus::Cancelled => {}
                                }
                            }
                        }
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /tasks/{id}/complete`: as `POST /api/v1/tasks/{id}/complete` for a
/// signed-in employee (they complete it as themselves; R-A3's `shared` mode
/// leaves it assigned to them alone).
pub async fn complete_task(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.task(s.caller.company_id, id).await?;
    let m = match state
        .store
        .complete_task(
            s.caller.company_id,
            id,
            s.caller.employee.id,
            Timestamp::now(),
        )
        .await
    {
        Ok(_) => "completed",
        Err(StoreError::Invalid { .. }) => "not-assignee",
        Err(StoreError::Conflict(_)) => "not-open",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/tasks?m={m}")).into_response())
}

/// `POST /tasks/{id}/reopen`: as `POST /api/v1/tasks/{id}/reopen`.
pub async fn reopen_task(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = match state
        .store
        .reopen_task(s.caller.company_id, id, Timestamp::now())
        .await
    {
        Ok(_) => "reopened",
        Err(StoreError::Conflict(_)) => "already-open",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/tasks?m={m}")).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other("/tasks", &["GET"], get(tasks_page))
        .other("/tasks/{id}/complete", &["POST"], post(complete_task))
        .other("/tasks/{id}/reopen", &["POST"], post(reopen_task))
}

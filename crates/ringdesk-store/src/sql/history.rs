//! The client and lead timelines.

use super::clients::client;
use super::leads::lead;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::Result;

async fn history_rows(
    conn: &mut Conn,
    company_id: i64,
    sql: &str,
    id: i64,
    kind: &str,
) -> Result<Vec<HistoryItem>> {
    let rows: Vec<(i64, At, String, Option<String>)> = sqlx::query_as(sql)
        .bind(company_id)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, At(at), title, status)| HistoryItem {
            kind: kind.to_owned(),
            id,
            at,
            title,
            status,
        })
        .collect())
}

fn newest_first(mut items: Vec<HistoryItem>) -> Vec<HistoryItem> {
    items.sort_by(|a, b| {
        b.at.cmp(&a.at)
            .then(b.kind.cmp(&a.kind))
            .then(b.id.cmp(&a.id))
    });
    items.dedup_by(|a, b| a.kind == b.kind && a.id == b.id);
    items
}

/// Everything about a client, newest first: calls, leads, orders, quotes, and
/// the tasks linked to them — what an operator reads before calling back.
pub(crate) async fn client_history(
    conn: &mut Conn,
    company_id: i64,
    client_id: i64,
) -> Result<Vec<HistoryItem>> {
    client(conn, company_id, client_id).await?;
    let mut items = Vec::new();
    items.extend(history_rows(conn, company_id, "select call_id as id, first_seen_at as at, direction as title, state as status from call where company_id = $1 and client_id = $2", client_id, "call").await?);
    items.extend(history_rows(conn, company_id, "select l.lead_id as id, l.created_at as at, l.number as title, s.name as status from lead l join lead_status s on s.lead_status_id = l.status_id where l.company_id = $1 and l.client_id = $2", client_id, "lead").await?);
    items.extend(history_rows(conn, company_id, "select w.work_order_id as id, w.created_at as at, w.number as title, s.name as status from work_order w join order_status s on s.order_status_id = w.status_id where w.company_id = $1 and w.client_id = $2", client_id, "order").await?);
    items.extend(history_rows(conn, company_id, "select quote_id as id, created_at as at, number as title, status from quote where company_id = $1 and client_id = $2", client_id, "quote").await?);
    items.extend(history_rows(conn, company_id,
        "select t.task_id as id, t.created_at as at, t.title as title, t.status as status from task t where t.company_id = $1 and (\
           t.lead_id in (select lead_id from lead where company_id = $1 and client_id = $2) or \
           t.order_id in (select work_order_id from work_order where company_id = $1 and client_id = $2) or \
           t.call_id in (select call_id from call where company_id = $1 and client_id = $2))", client_id, "task").await?);
    Ok(newest_first(items))
}

/// A lead's history, newest first: the lead, its calls, its tasks and orders, and the quotes made during its calls.
pub(crate) async fn lead_history(
    conn: &mut Conn,
    company_id: i64,
    lead_id: i64,
) -> Result<Vec<HistoryItem>> {
    lead(conn, company_id, lead_id).await?;
    let mut items = Vec::new();
    items.extend(history_rows(conn, company_id, "select l.lead_id as id, l.created_at as at, l.number as title, s.name as status from lead l join lead_status s on s.lead_status_id = l.status_id where l.company_id = $1 and l.lead_id = $2", lead_id, "lead").await?);
    items.extend(history_rows(conn, company_id, "select c.call_id as id, c.first_seen_at as at, c.direction as title, c.state as status from call c join lead_call lc on lc.call_id = c.call_id and lc.company_id = c.company_id where c.company_id = $1 and lc.lead_id = $2", lead_id, "call").await?);
    items.extend(history_rows(conn, company_id, "select task_id as id, created_at as at, title, status from task where company_id = $1 and lead_id = $2", lead_id, "task").await?);
    items.extend(history_rows(conn, company_id, "select w.work_order_id as id, w.created_at as at, w.number as title, s.name as status from work_order w join order_status s on s.order_status_id = w.status_id where w.company_id = $1 and w.lead_id = $2", lead_id, "order").await?);
    // Quotes made during the lead's calls.
    items.extend(history_rows(conn, company_id, "select q.quote_id as id, q.created_at as at, q.number as title, q.status as status from quote q join lead_call lc on lc.call_id = q.call_id and lc.company_id = q.company_id where q.company_id = $1 and lc.lead_id = $2", lead_id, "quote").await?);
    Ok(newest_first(items))
}

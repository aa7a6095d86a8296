//! Work orders.

use super::catalog::next_document_number;
use super::clients::lookup;
use super::Conn;
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::automation::{pick_client, ClientFacts};

async fn first_order_status(conn: &mut Conn, company_id: i64) -> Result<i64> {
    sqlx::query_scalar("select order_status_id from order_status where company_id = $1 and status_group = 'new' order by position, order_status_id limit 1")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("order status of group new"))
}

pub(super) async fn check_exists(
    conn: &mut Conn,
    company_id: i64,
    table: &str,
    key: &str,
    id: i64,
    what: &str,
) -> Result<()> {
    let n: i64 = sqlx::query_scalar(&format!(
        "select count(*) from {table} where company_id = $1 and {key} = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if n == 0 {
        let noun = table.replace('_', " ");
        return Err(StoreError::Invalid {
            field: what.to_owned(),
            message: format!("no {noun} {id} in this company"),
        });
    }
    Ok(())
}

pub(crate) async fn create_order(
    conn: &mut Conn,
    company_id: i64,
    o: &NewWorkOrder,
    now: Timestamp,
) -> Result<WorkOrder> {
    if let Some(c) = o.client_id {
        check_exists(conn, company_id, "client", "client_id", c, "client_id").await?;
    }
    let status_id = match o.status_id {
        Some(s) => {
            check_exists(
                conn,
                company_id,
                "order_status",
                "order_status_id",
                s,
                "status_id",
            )
            .await?;
            s
        }
        None => first_order_status(conn, company_id).await?,
    };
    // R-P4, as for a call: an order typed with a number of a client's (and
    // no client) belongs to the newest client on that number, so it is in
    // that client's history.
    let client_id = match (o.client_id, &o.phone) {
        (None, Some(p)) => {
            let clients: Vec<ClientFacts> = lookup(conn, company_id, &p.key)
                .await?
                .into_iter()
                .map(|m| ClientFacts {
                    client_id: m.client_id,
                    name: m.name,
                    created_at: m.created_at,
                })
                .collect();
            pick_client(&clients).map(|c| c.client_id)
        }
        (given, _) => given,
    };
    let number = next_document_number(conn, company_id, "work_order", now).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into work_order (company_id, number, client_id, phone, phone_key, status_id, creator_id, quote_id, description, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $9, $10, $8, $8) returning work_order_id",
    )
    .bind(company_id)
    .bind(&number)
    .bind(client_id)
    .bind(o.phone.as_ref().map(|p| p.raw.as_str()))
    .bind(o.phone.as_ref().map(|p| p.key.as_str()))
    .bind(status_id)
    .bind(o.creator_id)
    .bind(ms(now))
    .bind(o.quote_id)
    .bind(&o.description)
    .fetch_one(&mut *conn)
    .await?;
    order(conn, company_id, id).await
}

const ORDER_COLUMNS: &str =
    "work_order_id, number, client_id, phone, status_id, creator_id, lead_id, quote_id, description, created_at";

#[derive(sqlx::FromRow)]
struct OrderRow {
    work_order_id: i64,
    number: String,
    client_id: Option<i64>,
    phone: Option<String>,
    status_id: i64,
    creator_id: Option<i64>,
    lead_id: Option<i64>,
    quote_id: Option<i64>,
    description: Option<String>,
    created_at: At,
}

impl From<OrderRow> for WorkOrder {
    fn from(r: OrderRow) -> WorkOrder {
        WorkOrder {
            id: r.work_order_id,
            number: r.number,
            client_id: r.client_id,
            phone: r.phone,
            status_id: r.status_id,
            creator_id: r.creator_id,
            lead_id: r.lead_id,
            quote_id: r.quote_id,
            description: r.description,
            created_at: r.created_at.0,
        }
    }
}

pub(crate) async fn order(conn: &mut Conn, company_id: i64, id: i64) -> Result<WorkOrder> {
    let row: OrderRow = sqlx::query_as(&format!(
        "select {ORDER_COLUMNS} from work_order where company_id = $1 and work_order_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("work order"))?;
    Ok(WorkOrder::from(row))
}

pub(crate) async fn orders(
    conn: &mut Conn,
    company_id: i64,
    client_id: Option<i64>,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<WorkOrder>> {
    let rows: Vec<OrderRow> = sqlx::query_as(&format!(
        "select {ORDER_COLUMNS} from work_order where company_id = $1 and ($2 is null or client_id = $2) \
         and ($3 is null or work_order_id < $3) order by work_order_id desc limit $4"
    ))
    .bind(company_id)
    .bind(client_id)
    .bind(before_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(WorkOrder::from).collect())
}

pub(crate) async fn set_order_status(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    status_id: i64,
    now: Timestamp,
) -> Result<WorkOrder> {
    check_exists(
        conn,
        company_id,
        "order_status",
        "order_status_id",
        status_id,
        "status_id",
    )
    .await?;
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

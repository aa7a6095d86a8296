//! Quotes (R-M7).

use super::calls::call;
use super::catalog::next_document_number;
use super::leads::check_refs;
use super::orders::create_order;
use super::{Conn, FOR_UPDATE};
use crate::decode::At;
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::call::Direction;
use ringdesk_domain::phone::PhoneKey;
use sqlx::Row;

const QUOTE_COLUMNS: &str =
    "quote_id, number, channel, contact, contact_key, client_id, call_id, description, status, order_id, creator_id, created_at, converted_at";

#[derive(sqlx::FromRow)]
struct QuoteRow {
    quote_id: i64,
    number: String,
    channel: String,
    contact: String,
    contact_key: Option<String>,
    client_id: Option<i64>,
    call_id: Option<i64>,
    description: Option<String>,
    status: String,
    order_id: Option<i64>,
    creator_id: Option<i64>,
    created_at: At,
    converted_at: Option<At>,
}

impl From<QuoteRow> for Quote {
    fn from(r: QuoteRow) -> Quote {
        Quote {
            id: r.quote_id,
            number: r.number,
            channel: r.channel,
            contact: r.contact,
            contact_key: r.contact_key,
            client_id: r.client_id,
            call_id: r.call_id,
            description: r.description,
            status: r.status,
            order_id: r.order_id,
            creator_id: r.creator_id,
            created_at: r.created_at.0,
            converted_at: r.converted_at.map(|At(t)| t),
        }
    }
}

pub(crate) async fn create_quote(
    conn: &mut Conn,
    company_id: i64,
    q: &NewQuote,
    now: Timestamp,
) -> Result<Quote> {
    check_refs(
        conn,
        company_id,
        &[
            (q.client_id, "client", "client_id", "client_id"),
            (q.call_id, "call", "call_id", "call_id"),
        ],
    )
    .await?;
    let number = next_document_number(conn, company_id, "quote", now).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into quote (company_id, number, channel, contact, contact_key, client_id, call_id, description, status, creator_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) returning quote_id",
    )
    .bind(company_id)
    .bind(&number)
    .bind(&q.channel)
    .bind(&q.contact)
    .bind(&q.contact_key)
    .bind(q.client_id)
    .bind(q.call_id)
    .bind(&q.description)
    .bind(q.creator_id)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    quote(conn, company_id, id).await
}

/// R-M7: a quote from a call: the call's number as contact, channel `phone`,
/// the call's client (if one) and the call linked.
pub(crate) async fn quote_from_call(
    conn: &mut Conn,
    company_id: i64,
    call_id: i64,
    creator_id: Option<i64>,
    description: Option<String>,
    now: Timestamp,
) -> Result<Quote> {
    let c = call(conn, company_id, call_id).await?;
    let raw = if c.direction == Direction::Inbound {
        c.from.clone()
    } else {
        c.to.clone()
    };
    let contact = match &c.customer_key {
        Some(k) if k.starts_with('+') => k.clone(),
        _ => raw,
    };
    create_quote(
        conn,
        company_id,
        &NewQuote {
            channel: "phone".into(),
            contact,
            contact_key: c.customer_key.clone(),
            client_id: c.client_id,
            call_id: Some(call_id),
            description,
            creator_id,
        },
        now,
    )
    .await
}

pub(crate) async fn quote(conn: &mut Conn, company_id: i64, id: i64) -> Result<Quote> {
    let r: QuoteRow = sqlx::query_as(&format!(
        "select {QUOTE_COLUMNS} from quote where company_id = $1 and quote_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("quote"))?;
    Ok(Quote::from(r))
}

pub(crate) async fn quotes(
    conn: &mut Conn,
    company_id: i64,
    client_id: Option<i64>,
    call_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Quote>> {
    let rows: Vec<QuoteRow> = sqlx::query_as(&format!(
        "select {QUOTE_COLUMNS} from quote where company_id = $1 and ($2 is null or client_id = $2) and ($3 is null or call_id = $3) \
         order by quote_id desc limit $4"
    ))
    .bind(company_id)
    .bind(client_id)
    .bind(call_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(Quote::from).collect())
}

/// R-M7: the quote becomes a work order (once); the link is kept both ways.
pub(crate) async fn convert_quote(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    creator_id: Option<i64>,
    now: Timestamp,
) -> Result<(Quote, WorkOrder)> {
    let q = quote(conn, company_id, id).await?;
    let locked = sqlx::query(&format!(
        "select status from quote where company_id = $1 and quote_id = $2{FOR_UPDATE}"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    if locked.try_get::<&str, _>("status")? != "open" {
        return Err(StoreError::Conflict(format!(
            "quote {} is already converted into work order {}",
            q.number,
            q.order_id.unwrap_or_default()
        )));
    }
    let phone = q.contact_key.clone();
    let key_number = phone
        .as_deref()
        .map(|k| ringdesk_domain::phone::PhoneNumber {
            raw: q.contact.clone(),
            key: PhoneKey::from_stored(k.to_owned()),
        });
    let o = create_order(
        conn,
        company_id,
        &NewWorkOrder {
            client_id: q.client_id,
            phone: key_number,
            status_id: None,
            creator_id,
            quote_id: Some(id),
        },
        now,
    )
    .await?;
    sqlx::query("update quote set status = 'converted', order_id = $3, converted_at = $4 where company_id = $1 and quote_id = $2")
        .bind(company_id)
        .bind(id)
        .bind(o.id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok((quote(conn, company_id, id).await?, o))
}

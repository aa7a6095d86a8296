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
use ringdesk_domain::quote::{line_total, order_text, quote_total, validate_lines, QuoteLine};
use ringdesk_domain::texts::{text, Text};
use sqlx::Row;
use std::collections::HashMap;

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
            items: Vec::new(),
            total_cents: 0,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    quote_id: i64,
    position: i64,
    description: String,
    quantity_milli: i64,
    unit_price_cents: i64,
}

/// Gives each quote its lines and total: one query for all of them (a list
/// page costs two queries, whatever its length). A stored amount whose total
/// does not fit fails the read (`Corrupt`), as any value the code cannot use.
async fn with_items(conn: &mut Conn, company_id: i64, quotes: &mut [Quote]) -> Result<()> {
    if quotes.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = quotes.iter().map(|q| q.id).collect();
    let mut b = sqlx::QueryBuilder::<super::Db>::new(
        "select quote_id, position, description, quantity_milli, unit_price_cents from quote_item where company_id = ",
    );
    b.push_bind(company_id);
    b.push(" and quote_id");
    super::push_in(&mut b, &ids);
    b.push(" order by quote_id, position");
    let rows: Vec<ItemRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    let mut by_quote: HashMap<i64, Vec<QuoteItem>> = HashMap::new();
    for r in rows {
        let total_cents = line_total(r.quantity_milli, r.unit_price_cents).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "quote {} line {}: total too large",
                r.quote_id, r.position
            ))
        })?;
        by_quote.entry(r.quote_id).or_default().push(QuoteItem {
            position: r.position,
            description: r.description,
            quantity_milli: r.quantity_milli,
            unit_price_cents: r.unit_price_cents,
            total_cents,
        });
    }
    for q in quotes.iter_mut() {
        q.items = by_quote.remove(&q.id).unwrap_or_default();
        q.total_cents = q
            .items
            .iter()
            .try_fold(0i64, |sum, i| sum.checked_add(i.total_cents))
            .ok_or_else(|| StoreError::Corrupt(format!("quote {}: total too large", q.id)))?;
    }
    Ok(())
}

/// The domain's check of lines, as the store's error (`items[2].quantity: …`).
fn check_lines(items: &[QuoteLine]) -> Result<()> {
    validate_lines(items).map(|_| ()).map_err(|e| {
        let f = e.to_field_error("items");
        StoreError::Invalid {
            field: f.field,
            message: f.problem,
        }
    })
}

async fn insert_items(
    conn: &mut Conn,
    company_id: i64,
    quote_id: i64,
    items: &[QuoteLine],
) -> Result<()> {
    for (position, l) in items.iter().enumerate() {
        sqlx::query(
            "insert into quote_item (company_id, quote_id, position, description, quantity_milli, unit_price_cents) \
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(company_id)
        .bind(quote_id)
        .bind(position as i64)
        .bind(&l.description)
        .bind(l.quantity_milli)
        .bind(l.unit_price_cents)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Replaces an open quote's lines (issue 11), recorded in the audit log;
/// `Conflict` once it is converted (its order was made from these lines).
pub(crate) async fn set_quote_items(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    items: &[QuoteLine],
    actor: &Actor,
    now: Timestamp,
) -> Result<Quote> {
    check_lines(items)?;
    let locked = sqlx::query(&format!(
        "select number, status, order_id from quote where company_id = $1 and quote_id = $2{FOR_UPDATE}"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("quote"))?;
    let number: String = locked.try_get("number")?;
    if locked.try_get::<&str, _>("status")? != "open" {
        return Err(StoreError::Conflict(format!(
            "quote {number} is converted into work order {}: its lines can no longer change",
            locked
                .try_get::<Option<i64>, _>("order_id")?
                .unwrap_or_default()
        )));
    }
    let before = quote(conn, company_id, id).await?;
    sqlx::query("delete from quote_item where company_id = $1 and quote_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    insert_items(conn, company_id, id, items).await?;
    let total = quote_total(items).unwrap_or_default();
    let detail = format!(
        "{} lines, total {} -> {} lines, total {}",
        before.items.len(),
        ringdesk_domain::quote::format_money(before.total_cents, '.'),
        items.len(),
        ringdesk_domain::quote::format_money(total, '.'),
    );
    super::audit::audit(
        conn,
        company_id,
        actor,
        "quote.items_changed",
        Some(&format!("quote {number}")),
        Some(&detail),
        now,
    )
    .await?;
    quote(conn, company_id, id).await
}

pub(crate) async fn create_quote(
    conn: &mut Conn,
    company_id: i64,
    q: &NewQuote,
    now: Timestamp,
) -> Result<Quote> {
    check_lines(&q.items)?;
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
    insert_items(conn, company_id, id, &q.items).await?;
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
    items: Vec<QuoteLine>,
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
            items,
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
    let mut q = [Quote::from(r)];
    with_items(conn, company_id, &mut q).await?;
    let [q] = q;
    Ok(q)
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
    let mut quotes: Vec<Quote> = rows.into_iter().map(Quote::from).collect();
    with_items(conn, company_id, &mut quotes).await?;
    Ok(quotes)
}

/// R-M7: the quote becomes a work order (once); the link is kept both ways.
/// The order's description carries the quote's description, its lines and
/// the total, amounts written as the company's language writes them (its
/// decimal separator, "Total" in its words): the lines stay on the quote,
/// which no longer changes, and the order's text is what a technician reads.
pub(crate) async fn convert_quote(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    creator_id: Option<i64>,
    now: Timestamp,
) -> Result<(Quote, WorkOrder)> {
    // The lock first, then the quote as it is now: its lines cannot change
    // under us (`set_quote_items` takes the same lock).
    sqlx::query(&format!(
        "select status from quote where company_id = $1 and quote_id = $2{FOR_UPDATE}"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("quote"))?;
    let q = quote(conn, company_id, id).await?;
    if q.status != "open" {
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
    let locale = super::company::company(conn, company_id).await?.locale;
    let lines: Vec<QuoteLine> = q
        .items
        .iter()
        .map(|i| QuoteLine {
            description: i.description.clone(),
            quantity_milli: i.quantity_milli,
            unit_price_cents: i.unit_price_cents,
        })
        .collect();
    let description = order_text(
        q.description.as_deref(),
        &lines,
        text(Text::QuoteTotal, locale),
        ringdesk_domain::quote::decimal_separator(locale),
    );
    let o = create_order(
        conn,
        company_id,
        &NewWorkOrder {
            client_id: q.client_id,
            phone: key_number,
            status_id: None,
            creator_id,
            quote_id: Some(id),
            description,
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

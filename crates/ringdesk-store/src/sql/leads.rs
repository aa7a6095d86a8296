//! Leads (R-M1, R-M2, R-M4, R-M5), order↔lead linking (R-M6) and lead deadlines.

use super::catalog::{
    lead_status_transfers, lead_type, next_document_number, LeadTypeRow, LEAD_TYPE_COLUMNS,
};
use super::clients::{client, create_client};
use super::jobs::schedule_lead_deadline;
use super::live::publish;
use super::notifications::notify_lead_event;
use super::orders::{check_exists, order};
use super::{children, Conn, Db};
use crate::decode::{At, Json, Named};
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::notify::LeadEvent;
use ringdesk_domain::work::{
    lead_contact, transfer_allowed, validate_field_values, LeadStatusGroup, OrderStatusGroup,
};
use sqlx::QueryBuilder;

/// The lead type to use: `type_id`, or the company's first when `None`;
/// `Invalid` naming `type_id` when the company has no such type.
pub(super) async fn resolve_lead_type(
    conn: &mut Conn,
    company_id: i64,
    type_id: Option<i64>,
) -> Result<LeadType> {
    let row: Option<LeadTypeRow> = sqlx::query_as(&format!(
        "select {LEAD_TYPE_COLUMNS} from lead_type where company_id = $1 and ($2 is null or lead_type_id = $2) order by lead_type_id limit 1"
    ))
    .bind(company_id)
    .bind(type_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => Ok(r.into()),
        None => Err(StoreError::Invalid {
            field: "type_id".into(),
            message: format!(
                "no lead type {} in this company",
                type_id.unwrap_or_default()
            ),
        }),
    }
}

pub(super) async fn link_call_to_lead(
    conn: &mut Conn,
    company_id: i64,
    lead_id: i64,
    call_id: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("insert into lead_call (company_id, lead_id, call_id, linked_at) values ($1, $2, $3, $4) on conflict do nothing")
        .bind(company_id)
        .bind(lead_id)
        .bind(call_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What a new lead row holds (hand-made or from a call).
#[derive(Default)]
pub(super) struct LeadInsert<'a> {
    pub(super) type_id: i64,
    pub(super) status_id: i64,
    pub(super) client_id: Option<i64>,
    pub(super) client_name: &'a str,
    /// (as typed, key)
    pub(super) phone: Option<(&'a str, &'a str)>,
    pub(super) description: Option<&'a str>,
    pub(super) manager_id: Option<i64>,
    pub(super) creator_id: Option<i64>,
    pub(super) source: &'a str,
    pub(super) call_id: Option<i64>,
    pub(super) ad_campaign_id: Option<i64>,
    pub(super) location_id: Option<i64>,
    pub(super) due_at: Option<Timestamp>,
    pub(super) urgent: bool,
    pub(super) fields: Option<String>,
}

fn search_text(client_name: &str, phone: Option<&str>, number: &str) -> String {
    format!(
        "{} {} {}",
        client_name.to_lowercase(),
        phone.unwrap_or(""),
        number.to_lowercase()
    )
}

pub(super) async fn insert_lead(
    conn: &mut Conn,
    company_id: i64,
    l: &LeadInsert<'_>,
    now: Timestamp,
) -> Result<i64> {
    let number = next_document_number(conn, company_id, "lead", now).await?;
    let id: i64 = sqlx::query_scalar(
        "insert into lead (company_id, number, lead_type_id, status_id, client_id, client_name, phone, phone_key, description, \
         manager_id, creator_id, source, call_id, ad_campaign_id, location_id, due_at, urgent, fields, search_text, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) returning lead_id",
    )
    .bind(company_id)
    .bind(&number)
    .bind(l.type_id)
    .bind(l.status_id)
    .bind(l.client_id)
    .bind(l.client_name)
    .bind(l.phone.map(|p| p.0))
    .bind(l.phone.map(|p| p.1))
    .bind(l.description)
    .bind(l.manager_id)
    .bind(l.creator_id)
    .bind(l.source)
    .bind(l.call_id)
    .bind(l.ad_campaign_id)
    .bind(l.location_id)
    .bind(l.due_at.map(ms))
    .bind(l.urgent)
    .bind(&l.fields)
    .bind(search_text(l.client_name, l.phone.map(|p| p.1), &number))
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    publish(conn, company_id, LiveKind::Lead, id, None, now).await?;
    if let Some(call_id) = l.call_id {
        link_call_to_lead(conn, company_id, id, call_id, now).await?;
    }
    if let Some(due) = l.due_at {
        schedule_lead_deadline(conn, company_id, id, due, now).await?;
    }
    Ok(id)
}

pub(super) async fn check_refs(
    conn: &mut Conn,
    company_id: i64,
    refs: &[(Option<i64>, &str, &str, &'static str)],
) -> Result<()> {
    for (id, table, key, field) in refs {
        if let Some(id) = id {
            check_exists(conn, company_id, table, key, *id, field).await?;
        }
    }
    Ok(())
}

/// The groups of open leads (the domain's definition, R-M2) as a SQL list:
/// `'new', 'in_progress'`.
pub(super) fn open_lead_groups() -> String {
    sql_list(LeadStatusGroup::open().map(LeadStatusGroup::as_str))
}

/// The groups of open work orders (R-M6) as a SQL list.
pub(super) fn open_order_groups() -> String {
    sql_list(OrderStatusGroup::open().map(OrderStatusGroup::as_str))
}

/// Constant names (never input) as a quoted SQL list.
fn sql_list(names: impl Iterator<Item = &'static str>) -> String {
    names
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name of a client to link to a lead; `Invalid` naming `client_id` when
/// the company has no such client.
async fn linked_client_name(conn: &mut Conn, company_id: i64, client_id: i64) -> Result<String> {
    Ok(client(conn, company_id, client_id)
        .await
        .map_err(|_| StoreError::Invalid {
            field: "client_id".into(),
            message: format!("no client {client_id} in this company"),
        })?
        .name)
}

/// A lead made by hand (R-M1): references checked in this company, the type's
/// fields validated, numbered from the template. Tells the manager (R-L6)
/// when someone else assigned it to them.
pub(crate) async fn create_lead(
    conn: &mut Conn,
    company_id: i64,
    l: &NewLead,
    now: Timestamp,
) -> Result<Lead> {
    check_refs(
        conn,
        company_id,
        &[
            (l.status_id, "lead_status", "lead_status_id", "status_id"),
            (l.manager_id, "employee", "employee_id", "manager_id"),
            (
                l.ad_campaign_id,
                "ad_campaign",
                "ad_campaign_id",
                "ad_campaign_id",
            ),
            (l.location_id, "location", "location_id", "location_id"),
        ],
    )
    .await?;
    let lead_type = resolve_lead_type(conn, company_id, l.type_id).await?;
    let fields =
        validate_field_values(&lead_type.fields, &l.fields).map_err(|e| StoreError::Invalid {
            field: e.field,
            message: e.problem,
        })?;
    let linked = match l.client_id {
        Some(c) => Some((c, linked_client_name(conn, company_id, c).await?)),
        None => None,
    };
    // R-M5: a linked client replaces the free name and phone; a number of
    // the client's own is kept.
    let phone_is_clients = match (&l.phone, l.client_id) {
        (Some(p), Some(c)) => client_has_number(conn, company_id, c, p.key.as_str()).await?,
        _ => false,
    };
    let contact = lead_contact(
        linked,
        l.client_name.clone().unwrap_or_default(),
        l.phone.as_ref(),
        phone_is_clients,
    );
    let phone = contact.phone.map(|p| (p.raw.as_str(), p.key.as_str()));
    let id = insert_lead(
        conn,
        company_id,
        &LeadInsert {
            type_id: lead_type.id,
            status_id: l.status_id.unwrap_or(lead_type.initial_status_id),
            client_id: contact.client_id,
            client_name: &contact.client_name,
            phone,
            description: l.description.as_deref(),
            manager_id: l.manager_id,
            creator_id: l.creator_id,
            source: "manual",
            call_id: None,
            ad_campaign_id: l.ad_campaign_id,
            location_id: l.location_id,
            due_at: l.due_at,
            urgent: l.urgent,
            fields: Some(serde_json::Value::Object(fields).to_string()),
        },
        now,
    )
    .await?;
    if let Some(manager_id) = l.manager_id {
        let event = LeadEvent::ManagerSetByHand {
            manager_id,
            previous_manager_id: None,
            by: l.creator_id,
        };
        notify_lead_event(conn, company_id, &event, id, None, now).await?;
    }
    lead(conn, company_id, id).await
}

const LEAD_COLUMNS: &str = "l.lead_id, l.number, l.lead_type_id, l.status_id, l.client_id, l.client_name, l.phone, l.phone_key, l.description, l.manager_id, \
    l.creator_id, l.source, l.call_id, l.due_at, l.urgent, l.ad_campaign_id, l.location_id, l.fields, l.created_at, s.status_group";

const LEAD_FROM: &str = "lead l join lead_status s on s.lead_status_id = l.status_id";

#[derive(sqlx::FromRow)]
struct LeadRow {
    lead_id: i64,
    number: String,
    lead_type_id: i64,
    status_id: i64,
    client_id: Option<i64>,
    client_name: String,
    phone: Option<String>,
    phone_key: Option<String>,
    description: Option<String>,
    manager_id: Option<i64>,
    creator_id: Option<i64>,
    source: String,
    call_id: Option<i64>,
    due_at: Option<At>,
    urgent: bool,
    ad_campaign_id: Option<i64>,
    location_id: Option<i64>,
    /// No values when `null` (leads made before R-M2's fields).
    fields: Option<Json<serde_json::Map<String, serde_json::Value>>>,
    created_at: At,
    status_group: Named<LeadStatusGroup>,
}

/// Leads from their rows, with the calls of all of them read in one query.
async fn leads_from_rows(
    conn: &mut Conn,
    company_id: i64,
    rows: Vec<LeadRow>,
) -> Result<Vec<Lead>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.lead_id).collect();
    let mut calls = children(
        conn,
        "lead_call",
        "lead_id",
        "call_id",
        company_id,
        &ids,
        "call_id",
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Lead {
            call_ids: calls.remove(&r.lead_id).unwrap_or_default(),
            id: r.lead_id,
            number: r.number,
            type_id: r.lead_type_id,
            status_id: r.status_id,
            client_id: r.client_id,
            client_name: r.client_name,
            phone: r.phone,
            phone_key: r.phone_key,
            description: r.description,
            manager_id: r.manager_id,
            creator_id: r.creator_id,
            source: r.source,
            call_id: r.call_id,
            due_at: r.due_at.map(|At(t)| t),
            urgent: r.urgent,
            ad_campaign_id: r.ad_campaign_id,
            location_id: r.location_id,
            fields: r.fields.map(|Json(f)| f).unwrap_or_default(),
            open: r.status_group.0.is_open(),
            created_at: r.created_at.0,
        })
        .collect())
}

pub(crate) async fn lead(conn: &mut Conn, company_id: i64, id: i64) -> Result<Lead> {
    let row: LeadRow = sqlx::query_as(&format!(
        "select {LEAD_COLUMNS} from {LEAD_FROM} where l.company_id = $1 and l.lead_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("lead"))?;
    Ok(leads_from_rows(conn, company_id, vec![row])
        .await?
        .remove(0))
}

/// Leads by R-M1's filters, sorted and paginated.
pub(crate) async fn leads(conn: &mut Conn, company_id: i64, f: &LeadFilter) -> Result<Vec<Lead>> {
    let mut q = QueryBuilder::<Db>::new(format!(
        "select {LEAD_COLUMNS} from {LEAD_FROM} where l.company_id = "
    ));
    q.push_bind(company_id);
    if let Some(c) = f.call_id {
        q.push(
            " and exists (select 1 from lead_call lc where lc.company_id = l.company_id \
             and lc.lead_id = l.lead_id and lc.call_id = ",
        )
        .push_bind(c)
        .push(")");
    }
    if let Some(c) = f.client_id {
        q.push(" and l.client_id = ").push_bind(c);
    }
    if let Some(g) = &f.status_group {
        q.push(" and s.status_group = ").push_bind(g.as_str());
    }
    if let Some(m) = f.manager_id {
        q.push(" and l.manager_id = ").push_bind(m);
    }
    // R-M4 as `ringdesk_domain::work::overdue_seconds` reads it: open (group
    // `new` or `in_progress`) with a deadline before now. Filtered here, before
    // LIMIT/OFFSET, so every page but the last is full.
    if let Some((overdue, at)) = f.overdue {
        let open = open_lead_groups();
        if overdue {
            q.push(" and l.due_at < ").push_bind(ms(at));
            q.push(format!(" and s.status_group in ({open})"));
        } else {
            q.push(" and not (coalesce(l.due_at < ").push_bind(ms(at));
            q.push(format!(", false) and s.status_group in ({open}))"));
        }
    }
    if let Some(u) = f.urgent {
        q.push(" and l.urgent = ").push_bind(u);
    }
    if let Some(src) = &f.source {
        q.push(" and l.source = ").push_bind(src.as_str());
    }
    if let Some(t) = f.created_from {
        q.push(" and l.created_at >= ").push_bind(ms(t));
    }
    if let Some(t) = f.created_to {
        q.push(" and l.created_at < ").push_bind(ms(t));
    }
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let text = text.to_lowercase().replace(['\\', '%', '_'], "");
        // A query typed as a phone number (digits and phone punctuation only)
        // searches by its digits, which the stored E.164 key contains.
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "-+()".contains(c));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let needle = if phone_like && digits.len() >= 5 {
            digits
        } else {
            text
        };
        q.push(" and l.search_text like ")
            .push_bind(format!("%{needle}%"));
    }
    let order = match f.sort {
        LeadSort::Newest => "l.created_at desc, l.lead_id desc",
        LeadSort::Oldest => "l.created_at, l.lead_id",
        LeadSort::DueSoonest => "case when l.due_at is null then 1 else 0 end, l.due_at, l.lead_id",
        LeadSort::Number => "l.number, l.lead_id",
    };
    q.push(format!(" order by {order} limit "))
        .push_bind(f.limit)
        .push(" offset ")
        .push_bind(f.offset);
    let rows = q.build_query_as::<LeadRow>().fetch_all(&mut *conn).await?;
    leads_from_rows(conn, company_id, rows).await
}

async fn status_name(conn: &mut Conn, company_id: i64, id: i64) -> Result<String> {
    Ok(sqlx::query_scalar(
        "select name from lead_status where company_id = $1 and lead_status_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_else(|| id.to_string()))
}

/// Whether `phone_key` is one of the client's numbers (R-P5's lookup keys).
async fn client_has_number(
    conn: &mut Conn,
    company_id: i64,
    client_id: i64,
    phone_key: &str,
) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "select exists (select 1 from client_phone where company_id = $1 and client_id = $2 and phone_key = $3)",
    )
    .bind(company_id)
    .bind(client_id)
    .bind(phone_key)
    .fetch_one(&mut *conn)
    .await?)
}

pub(crate) async fn update_lead(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    p: &LeadPatch,
    now: Timestamp,
) -> Result<Lead> {
    let current = lead(conn, company_id, id).await?;
    check_refs(
        conn,
        company_id,
        &[
            (p.status_id, "lead_status", "lead_status_id", "status_id"),
            (
                p.manager_id.flatten(),
                "employee",
                "employee_id",
                "manager_id",
            ),
            (
                p.ad_campaign_id.flatten(),
                "ad_campaign",
                "ad_campaign_id",
                "ad_campaign_id",
            ),
            (
                p.location_id.flatten(),
                "location",
                "location_id",
                "location_id",
            ),
        ],
    )
    .await?;
    if let Some(to) = p.status_id {
        let rules = lead_status_transfers(conn, company_id).await?;
        if !transfer_allowed(&rules, current.status_id, to) {
            let (a, b) = (
                status_name(conn, company_id, current.status_id).await?,
                status_name(conn, company_id, to).await?,
            );
            return Err(StoreError::Invalid {
                field: "status_id".into(),
                message: format!(
                    "a lead in status {a:?} cannot move to {b:?} (status transfer rules)"
                ),
            });
        }
    }
    let fields = match &p.fields {
        Some(values) => {
            let defs = lead_type(conn, company_id, current.type_id).await?.fields;
            let v = validate_field_values(&defs, values).map_err(|e| StoreError::Invalid {
                field: e.field,
                message: e.problem,
            })?;
            Some(serde_json::Value::Object(v).to_string())
        }
        None => None,
    };
    let mut client_id = current.client_id;
    let mut client_name = p.client_name.clone().unwrap_or(current.client_name.clone());
    let mut phone: Option<(String, String)> = match &p.phone {
        Some(Some(n)) => Some((n.raw.clone(), n.key.as_str().to_owned())),
        Some(None) => None,
        None => current.phone.clone().zip(current.phone_key.clone()),
    };
    if let Some(c) = p.client_id {
        let linked = match c {
            Some(c) => Some((c, linked_client_name(conn, company_id, c).await?)),
            None => None,
        };
        // R-M5: a linked client replaces the free name and phone; a number of
        // the client's own is kept.
        let phone_is_clients = match (&phone, c) {
            (Some((_, key)), Some(c)) => client_has_number(conn, company_id, c, key).await?,
            _ => false,
        };
        let contact = lead_contact(linked, client_name, phone, phone_is_clients);
        (client_id, client_name, phone) = (contact.client_id, contact.client_name, contact.phone);
    }
    let opt = |o: Option<Option<i64>>, cur: Option<i64>| o.unwrap_or(cur);
    let due_at = p.due_at.unwrap_or(current.due_at);
    sqlx::query(
        "update lead set status_id = $3, client_id = $4, client_name = $5, phone = $6, phone_key = $7, description = $8, manager_id = $9, \
         ad_campaign_id = $10, location_id = $11, due_at = $12, urgent = $13, fields = coalesce($14, fields), search_text = $15, updated_at = $16, \
         overdue_notified_at = case when $17 then null else overdue_notified_at end \
         where company_id = $1 and lead_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(p.status_id.unwrap_or(current.status_id))
    .bind(client_id)
    .bind(&client_name)
    .bind(phone.as_ref().map(|p| p.0.clone()))
    .bind(phone.as_ref().map(|p| p.1.clone()))
    .bind(p.description.clone().unwrap_or(current.description.clone()))
    .bind(opt(p.manager_id, current.manager_id))
    .bind(opt(p.ad_campaign_id, current.ad_campaign_id))
    .bind(opt(p.location_id, current.location_id))
    .bind(due_at.map(ms))
    .bind(p.urgent.unwrap_or(current.urgent))
    .bind(fields)
    .bind(search_text(&client_name, phone.as_ref().map(|p| p.1.as_str()), &current.number))
    .bind(ms(now))
    .bind(p.due_at.is_some())
    .execute(&mut *conn)
    .await?;
    publish(conn, company_id, LiveKind::Lead, id, None, now).await?;
    if let Some(Some(due)) = p.due_at {
        schedule_lead_deadline(conn, company_id, id, due, now).await?;
    }
    if let Some(Some(manager_id)) = p.manager_id {
        let event = LeadEvent::ManagerSetByHand {
            manager_id,
            previous_manager_id: current.manager_id,
            by: None,
        };
        notify_lead_event(conn, company_id, &event, id, None, now).await?;
    }
    lead(conn, company_id, id).await
}

/// R-M5 "+ Client": a new client from the lead's name and the numbers given,
/// linked to the lead, in one transaction.
pub(crate) async fn client_from_lead(
    conn: &mut Conn,
    company_id: i64,
    lead_id: i64,
    c: &NewClient,
    now: Timestamp,
) -> Result<(Client, Lead)> {
    lead(conn, company_id, lead_id).await?;
    let new = create_client(conn, company_id, c, now).await?;
    let l = update_lead(
        conn,
        company_id,
        lead_id,
        &LeadPatch {
            client_id: Some(Some(new.id)),
            ..LeadPatch::default()
        },
        now,
    )
    .await?;
    Ok((new, l))
}

/// R-M6: open leads whose phone is this number, newest first.
pub(crate) async fn open_leads_on(
    conn: &mut Conn,
    company_id: i64,
    key: &str,
) -> Result<Vec<Lead>> {
    let rows: Vec<LeadRow> = sqlx::query_as(&format!(
        "select {LEAD_COLUMNS} from {LEAD_FROM} where l.company_id = $1 and s.status_group in ({}) \
         and (l.phone_key = $2 or l.client_id in (select client_id from client_phone where company_id = $1 and phone_key = $2)) \
         order by l.created_at desc, l.lead_id desc limit 20",
        open_lead_groups()
    ))
    .bind(company_id)
    .bind(key)
    .fetch_all(&mut *conn)
    .await?;
    leads_from_rows(conn, company_id, rows).await
}

/// R-M6: links a work order and a lead; the lead moves to the system status
/// `order_successful` (found by its key), bypassing the transfer rules.
pub(crate) async fn link_order_lead(
    conn: &mut Conn,
    company_id: i64,
    order_id: i64,
    lead_id: i64,
    now: Timestamp,
) -> Result<(WorkOrder, Lead)> {
    order(conn, company_id, order_id).await?;
    lead(conn, company_id, lead_id)
        .await
        .map_err(|_| StoreError::Invalid {
            field: "lead_id".into(),
            message: format!("no lead {lead_id} in this company"),
        })?;
    let won: i64 = sqlx::query_scalar("select lead_status_id from lead_status where company_id = $1 and status_key = 'order_successful'")
        .bind(company_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("system lead status order_successful"))?;
    sqlx::query("update work_order set lead_id = $3, updated_at = $4 where company_id = $1 and work_order_id = $2")
        .bind(company_id)
        .bind(order_id)
        .bind(lead_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "update lead set status_id = $3, updated_at = $4 where company_id = $1 and lead_id = $2",
    )
    .bind(company_id)
    .bind(lead_id)
    .bind(won)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?;
    publish(conn, company_id, LiveKind::Lead, lead_id, None, now).await?;
    Ok((
        order(conn, company_id, order_id).await?,
        lead(conn, company_id, lead_id).await?,
    ))
}

/// R-M4/R-L6: an open lead's deadline has passed: its manager hears of it,
/// once per deadline, if they chose to. Run by the job runner (`jobs.rs`),
/// which has claimed the lead's deadline job and locked the lead.
pub(super) async fn run_deadline(
    conn: &mut Conn,
    company_id: i64,
    lead_id: i64,
    now: Timestamp,
) -> Result<()> {
    let l = lead(conn, company_id, lead_id).await?;
    let notified: Option<i64> = sqlx::query_scalar(
        "select overdue_notified_at from lead where company_id = $1 and lead_id = $2",
    )
    .bind(company_id)
    .bind(lead_id)
    .fetch_one(&mut *conn)
    .await?;
    let overdue = ringdesk_domain::work::overdue_seconds(l.due_at, l.open, now).is_some()
        || l.due_at == Some(now);
    if overdue && notified.is_none() {
        let event = LeadEvent::Overdue {
            manager_id: l.manager_id,
        };
        notify_lead_event(conn, company_id, &event, lead_id, l.call_id, now).await?;
        sqlx::query(
            "update lead set overdue_notified_at = $3 where company_id = $1 and lead_id = $2",
        )
        .bind(company_id)
        .bind(lead_id)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

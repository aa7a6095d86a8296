//! Clients, their numbers, branches and contacts, and caller lookup (R-P3, R-P5).

use super::{push_in, Conn};
use crate::decode::{At, Named};
use crate::model::*;
use crate::{ms, ts, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::phone::PhoneKey;
use sqlx::QueryBuilder;
use sqlx::Row;
use std::collections::HashMap;

async fn insert_client_numbers(
    conn: &mut Conn,
    company_id: i64,
    client_id: i64,
    c: &ClientPatch,
) -> Result<()> {
    let mut position = 0i64;
    let mut add = async |conn: &mut Conn,
                         raw: &str,
                         key: &PhoneKey,
                         kind: PhoneKind,
                         matched_on: MatchedOn|
           -> Result<()> {
        position += 1;
        sqlx::query(
            "insert into client_phone (company_id, client_id, raw, phone_key, kind, matched_on, position) values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(company_id)
        .bind(client_id)
        .bind(raw)
        .bind(key.as_str())
        .bind(kind.as_str())
        .bind(matched_on.as_str())
        .bind(position)
        .execute(&mut *conn)
        .await?;
        Ok(())
    };
    if let Some(phones) = &c.phones {
        sqlx::query(
            "delete from client_phone where client_id = $1 and matched_on in ('phone', 'mobile')",
        )
        .bind(client_id)
        .execute(&mut *conn)
        .await?;
        for p in phones {
            let on = if p.kind == PhoneKind::Mobile {
                MatchedOn::Mobile
            } else {
                MatchedOn::Phone
            };
            add(conn, &p.number.raw, &p.number.key, p.kind, on).await?;
        }
    }
    for (list, table, matched_on) in [
        (&c.branches, "client_branch", MatchedOn::Branch),
        (&c.contacts, "client_contact", MatchedOn::Contact),
    ] {
        let Some(list) = list else { continue };
        sqlx::query(&format!("delete from {table} where client_id = $1"))
            .bind(client_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("delete from client_phone where client_id = $1 and matched_on = $2")
            .bind(client_id)
            .bind(matched_on.as_str())
            .execute(&mut *conn)
            .await?;
        for person in list {
            sqlx::query(&format!("insert into {table} (company_id, client_id, name, phone, mobile) values ($1, $2, $3, $4, $5)"))
                .bind(company_id)
                .bind(client_id)
                .bind(&person.name)
                .bind(person.phone.as_ref().map(|p| p.raw.as_str()))
                .bind(person.mobile.as_ref().map(|p| p.raw.as_str()))
                .execute(&mut *conn)
                .await?;
            for (n, kind) in [
                (&person.phone, PhoneKind::Phone),
                (&person.mobile, PhoneKind::Mobile),
            ] {
                if let Some(n) = n {
                    add(conn, &n.raw, &n.key, kind, matched_on).await?;
                }
            }
        }
    }
    Ok(())
}

pub(crate) async fn create_client(
    conn: &mut Conn,
    company_id: i64,
    c: &NewClient,
    now: Timestamp,
) -> Result<Client> {
    let id: i64 = sqlx::query_scalar(
        "insert into client (company_id, name, created_at) values ($1, $2, $3) returning client_id",
    )
    .bind(company_id)
    .bind(&c.name)
    .bind(ms(now))
    .fetch_one(&mut *conn)
    .await?;
    let all = ClientPatch {
        name: None,
        phones: Some(c.phones.clone()),
        branches: Some(c.branches.clone()),
        contacts: Some(c.contacts.clone()),
    };
    insert_client_numbers(conn, company_id, id, &all).await?;
    client(conn, company_id, id).await
}

pub(crate) async fn update_client(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    patch: &ClientPatch,
) -> Result<Client> {
    let n = sqlx::query(
        "update client set name = coalesce($3, name) where company_id = $1 and client_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(&patch.name)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("client"));
    }
    insert_client_numbers(conn, company_id, id, patch).await?;
    client(conn, company_id, id).await
}

#[derive(sqlx::FromRow)]
struct PhoneRow {
    client_id: i64,
    raw: String,
    phone_key: String,
    kind: Named<PhoneKind>,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    client_id: i64,
    id: i64,
    name: String,
    phone: Option<String>,
    mobile: Option<String>,
}

/// The branches or contacts (`table`, keyed by `key`) of every client in `ids`,
/// in one query.
async fn people_of(
    conn: &mut Conn,
    table: &str,
    key: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<PersonAt>>> {
    let mut q = QueryBuilder::new(format!(
        "select client_id, {key} as id, name, phone, mobile from {table} where client_id"
    ));
    push_in(&mut q, ids);
    q.push(format!(" order by {key}"));
    let mut out: HashMap<i64, Vec<PersonAt>> = HashMap::new();
    for r in q
        .build_query_as::<PersonRow>()
        .fetch_all(&mut *conn)
        .await?
    {
        out.entry(r.client_id).or_default().push(PersonAt {
            id: r.id,
            name: r.name,
            phone: r.phone,
            mobile: r.mobile,
        });
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct ClientRow {
    client_id: i64,
    name: String,
    created_at: At,
}

/// Clients with their phones, branches and contacts: four queries for any
/// number of clients.
async fn with_children(conn: &mut Conn, rows: Vec<ClientRow>) -> Result<Vec<Client>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.client_id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::new(
        "select client_id, raw, phone_key, kind from client_phone \
         where matched_on in ('phone', 'mobile') and client_id",
    );
    push_in(&mut q, &ids);
    q.push(" order by client_id, position");
    let mut phones: HashMap<i64, Vec<ClientPhone>> = HashMap::new();
    for r in q.build_query_as::<PhoneRow>().fetch_all(&mut *conn).await? {
        phones.entry(r.client_id).or_default().push(ClientPhone {
            number: r.raw,
            kind: r.kind.0,
            e164: r.phone_key.starts_with('+').then_some(r.phone_key),
        });
    }
    let mut branches = people_of(conn, "client_branch", "client_branch_id", &ids).await?;
    let mut contacts = people_of(conn, "client_contact", "client_contact_id", &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Client {
            id: r.client_id,
            name: r.name,
            created_at: r.created_at.0,
            phones: phones.remove(&r.client_id).unwrap_or_default(),
            branches: branches.remove(&r.client_id).unwrap_or_default(),
            contacts: contacts.remove(&r.client_id).unwrap_or_default(),
        })
        .collect())
}

pub(crate) async fn client(conn: &mut Conn, company_id: i64, id: i64) -> Result<Client> {
    let row: ClientRow = sqlx::query_as(
        "select client_id, name, created_at from client where company_id = $1 and client_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("client"))?;
    let mut found = with_children(conn, vec![row]).await?;
    Ok(found.remove(0))
}

pub(crate) async fn clients(
    conn: &mut Conn,
    company_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Client>> {
    let rows: Vec<ClientRow> = sqlx::query_as(
        "select client_id, name, created_at from client where company_id = $1 and client_id < $2 order by client_id desc limit $3",
    )
    .bind(company_id)
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    with_children(conn, rows).await
}

/// Clients whose name contains `part` (case-insensitively for ASCII), newest first.
pub(crate) async fn clients_named(
    conn: &mut Conn,
    company_id: i64,
    part: &str,
    limit: i64,
) -> Result<Vec<Client>> {
    let escaped: String = part
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let rows: Vec<ClientRow> = sqlx::query_as(
        "select client_id, name, created_at from client where company_id = $1 and lower(name) like $2 escape '\\' \
         order by client_id desc limit $3",
    )
    .bind(company_id)
    .bind(format!("%{escaped}%"))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    with_children(conn, rows).await
}

/// R-P3/R-P5: one indexed probe on (company, key); a client found on several of
/// its numbers appears once, with its own phones ranked before branches and contacts.
pub(crate) async fn lookup(
    conn: &mut Conn,
    company_id: i64,
    key: &PhoneKey,
) -> Result<Vec<LookupMatch>> {
    let rows = sqlx::query(
        "select c.client_id, c.name, c.created_at, p.matched_on from client_phone p join client c on c.client_id = p.client_id \
         where p.company_id = $1 and p.phone_key = $2 order by c.created_at desc, c.client_id desc, p.position",
    )
    .bind(company_id)
    .bind(key.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<LookupMatch> = Vec::new();
    for r in &rows {
        let m = LookupMatch {
            client_id: r.try_get("client_id")?,
            name: r.try_get("name")?,
            matched_on: MatchedOn::parse(r.try_get("matched_on")?),
            created_at: ts(r.try_get("created_at")?)?,
        };
        match out.iter_mut().find(|x| x.client_id == m.client_id) {
            Some(prev) if rank(m.matched_on) < rank(prev.matched_on) => {
                prev.matched_on = m.matched_on
            }
            Some(_) => {}
            None => out.push(m),
        }
    }
    Ok(out)
}

fn rank(m: MatchedOn) -> u8 {
    match m {
        MatchedOn::Phone | MatchedOn::Mobile => 0,
        MatchedOn::Branch => 1,
        MatchedOn::Contact => 2,
    }
}

//! What a company sets up for leads and documents: statuses, lead types, transfer rules (R-M2), numbering (R-M3), ad campaigns and locations.

use super::audit::audit;
use super::company::company;
use super::orders::check_exists;
use super::{taken, Conn};
use crate::decode::{to_json, Json};
use crate::model::*;
use crate::{ms, Result, StoreError};
use jiff::Timestamp;
use ringdesk_domain::work::{FieldDef, NumberTemplate};

pub(crate) async fn lead_statuses(conn: &mut Conn, company_id: i64) -> Result<Vec<Status>> {
    let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
        "select lead_status_id, name, status_group, status_key from lead_status where company_id = $1 order by position, lead_status_id",
    )
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, group, key)| Status {
            id,
            name,
            group,
            key,
        })
        .collect())
}

pub(crate) async fn order_statuses(conn: &mut Conn, company_id: i64) -> Result<Vec<Status>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as("select order_status_id, name, status_group from order_status where company_id = $1 order by position, order_status_id")
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, group)| Status {
            id,
            name,
            group,
            key: None,
        })
        .collect())
}

pub(super) const LEAD_TYPE_COLUMNS: &str = "lead_type_id, name, initial_status_id, fields";

#[derive(sqlx::FromRow)]
pub(super) struct LeadTypeRow {
    lead_type_id: i64,
    name: String,
    initial_status_id: i64,
    /// No fields when `null` (types made before R-M2's fields).
    fields: Option<Json<Vec<FieldDef>>>,
}

impl From<LeadTypeRow> for LeadType {
    fn from(r: LeadTypeRow) -> LeadType {
        LeadType {
            id: r.lead_type_id,
            name: r.name,
            initial_status_id: r.initial_status_id,
            fields: r.fields.map(|Json(f)| f).unwrap_or_default(),
        }
    }
}

pub(crate) async fn lead_types(conn: &mut Conn, company_id: i64) -> Result<Vec<LeadType>> {
    let rows: Vec<LeadTypeRow> = sqlx::query_as(&format!(
        "select {LEAD_TYPE_COLUMNS} from lead_type where company_id = $1 order by lead_type_id"
    ))
    .bind(company_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(LeadType::from).collect())
}

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

/// The company's template for `kind` (`lead`, `work_order`, `quote`); `{N}` until set.
pub(crate) async fn numbering(conn: &mut Conn, company_id: i64, kind: &str) -> Result<String> {
    let t: Option<String> =
        sqlx::query_scalar("select template from numbering where company_id = $1 and kind = $2")
            .bind(company_id)
            .bind(kind)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(t.unwrap_or_else(|| "{N}".to_owned()))
}

pub(crate) async fn set_numbering(
    conn: &mut Conn,
    company_id: i64,
    kind: &str,
    template: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "insert into numbering (company_id, kind, template) values ($1, $2, $3) on conflict (company_id, kind) do update set template = excluded.template",
    )
    .bind(company_id)
    .bind(kind)
    .bind(template)
    .execute(&mut *conn)
    .await?;
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:numbering"),
        Some(&format!("{kind}: {template}")),
        now,
    )
    .await
}

/// The next number for a new document of `kind`: the template's own sequence
/// (one per template, never restarting) rendered on the company's local date.
/// The counter row stays locked until the transaction ends, so concurrent
/// creations take consecutive numbers; a number that some other template
/// already produced is skipped, so numbers stay unique.
pub(crate) async fn next_document_number(
    conn: &mut Conn,
    company_id: i64,
    kind: &str,
    now: Timestamp,
) -> Result<String> {
    let template_text = numbering(conn, company_id, kind).await?;
    let template =
        NumberTemplate::parse("template", &template_text).map_err(|e| StoreError::Invalid {
            field: "numbering".into(),
            message: e.problem,
        })?;
    let company = company(conn, company_id).await?;
    let tz = crate::decode::time_zone(&company.time_zone)?;
    let today = now.to_zoned(tz).date();
    let table = match kind {
        "lead" => "lead",
        "quote" => "quote",
        _ => "work_order",
    };
    loop {
        let n = next_number(conn, company_id, &format!("{kind}:{template_text}")).await?;
        let number = template.render(n, today);
        let taken: i64 = sqlx::query_scalar(&format!(
            "select count(*) from {table} where company_id = $1 and number = $2"
        ))
        .bind(company_id)
        .bind(&number)
        .fetch_one(&mut *conn)
        .await?;
        if taken == 0 {
            return Ok(number);
        }
    }
}

pub(crate) async fn lead_type(conn: &mut Conn, company_id: i64, id: i64) -> Result<LeadType> {
    let r: LeadTypeRow = sqlx::query_as(&format!(
        "select {LEAD_TYPE_COLUMNS} from lead_type where company_id = $1 and lead_type_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("lead type"))?;
    Ok(LeadType::from(r))
}

pub(crate) async fn create_lead_type(
    conn: &mut Conn,
    company_id: i64,
    name: &str,
    initial_status_id: i64,
    fields: &[FieldDef],
    actor: &Actor,
    now: Timestamp,
) -> Result<LeadType> {
    check_exists(
        conn,
        company_id,
        "lead_status",
        "lead_status_id",
        initial_status_id,
        "initial_status_id",
    )
    .await?;
    let id: i64 = sqlx::query_scalar("insert into lead_type (company_id, name, initial_status_id, fields) values ($1, $2, $3, $4) returning lead_type_id")
        .bind(company_id)
        .bind(name)
        .bind(initial_status_id)
        .bind(to_json(fields)?)
        .fetch_one(&mut *conn)
        .await?;
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some(&format!("lead_type:{id}")),
        Some(name),
        now,
    )
    .await?;
    lead_type(conn, company_id, id).await
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn update_lead_type(
    conn: &mut Conn,
    company_id: i64,
    id: i64,
    name: Option<&str>,
    initial_status_id: Option<i64>,
    fields: Option<&[FieldDef]>,
    actor: &Actor,
    now: Timestamp,
) -> Result<LeadType> {
    lead_type(conn, company_id, id).await?;
    if let Some(s) = initial_status_id {
        check_exists(
            conn,
            company_id,
            "lead_status",
            "lead_status_id",
            s,
            "initial_status_id",
        )
        .await?;
    }
    sqlx::query(
        "update lead_type set name = coalesce($3, name), initial_status_id = coalesce($4, initial_status_id), fields = coalesce($5, fields) \
         where company_id = $1 and lead_type_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(name)
    .bind(initial_status_id)
    .bind(fields.map(to_json).transpose()?)
    .execute(&mut *conn)
    .await?;
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some(&format!("lead_type:{id}")),
        None,
        now,
    )
    .await?;
    lead_type(conn, company_id, id).await
}

/// A new status of a group (`table`: `lead_status` or `order_status`); never a system one.
pub(crate) async fn create_status(
    conn: &mut Conn,
    company_id: i64,
    table: &str,
    name: &str,
    group: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<Status> {
    let key = format!("{table}_id");
    let position: i64 = sqlx::query_scalar(&format!(
        "select coalesce(max(position), 0) + 1 from {table} where company_id = $1"
    ))
    .bind(company_id)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = sqlx::query_scalar(&format!(
        "insert into {table} (company_id, name, status_group, position) values ($1, $2, $3, $4) returning {key}"
    ))
    .bind(company_id)
    .bind(name)
    .bind(group)
    .bind(position)
    .fetch_one(&mut *conn)
    .await?;
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some(&format!("{table}:{id}")),
        Some(name),
        now,
    )
    .await?;
    Ok(Status {
        id,
        name: name.to_owned(),
        group: group.to_owned(),
        key: None,
    })
}

/// Renames a status (its group and system key stay).
pub(crate) async fn rename_status(
    conn: &mut Conn,
    company_id: i64,
    table: &str,
    id: i64,
    name: &str,
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    let n = sqlx::query(&format!(
        "update {table} set name = $3 where company_id = $1 and {table}_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .bind(name)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("status"));
    }
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some(&format!("{table}:{id}")),
        Some(name),
        now,
    )
    .await
}

pub(crate) async fn lead_status_transfers(
    conn: &mut Conn,
    company_id: i64,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as("select from_status_id, to_status_id from lead_status_transfer where company_id = $1 order by 1, 2")
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?)
}

pub(crate) async fn set_lead_status_transfers(
    conn: &mut Conn,
    company_id: i64,
    rules: &[(i64, i64)],
    actor: &Actor,
    now: Timestamp,
) -> Result<()> {
    for (i, (f, t)) in rules.iter().enumerate() {
        check_exists(
            conn,
            company_id,
            "lead_status",
            "lead_status_id",
            *f,
            &format!("rules[{i}].from_status_id"),
        )
        .await?;
        check_exists(
            conn,
            company_id,
            "lead_status",
            "lead_status_id",
            *t,
            &format!("rules[{i}].to_status_ids"),
        )
        .await?;
    }
    sqlx::query("delete from lead_status_transfer where company_id = $1")
        .bind(company_id)
        .execute(&mut *conn)
        .await?;
    for (f, t) in rules {
        sqlx::query("insert into lead_status_transfer (company_id, from_status_id, to_status_id) values ($1, $2, $3) on conflict do nothing")
            .bind(company_id)
            .bind(f)
            .bind(t)
            .execute(&mut *conn)
            .await?;
    }
    audit(
        conn,
        company_id,
        actor,
        "settings_changed",
        Some("settings:lead_status_transfers"),
        Some(&format!("{} rules", rules.len())),
        now,
    )
    .await
}

pub(crate) async fn named_items(
    conn: &mut Conn,
    company_id: i64,
    table: &str,
) -> Result<Vec<NamedItem>> {
    let rows: Vec<(i64, String, bool)> = sqlx::query_as(&format!("select {table}_id, name, active from {table} where company_id = $1 order by name, {table}_id"))
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, active)| NamedItem { id, name, active })
        .collect())
}

pub(crate) async fn create_named_item(
    conn: &mut Conn,
    company_id: i64,
    table: &str,
    name: &str,
    now: Timestamp,
) -> Result<NamedItem> {
    let id: i64 = sqlx::query_scalar(&format!("insert into {table} (company_id, name, created_at) values ($1, $2, $3) returning {table}_id"))
        .bind(company_id)
        .bind(name)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| taken(e, |_| ("name", "this name is already in the list".to_owned())))?;
    Ok(NamedItem {
        id,
        name: name.to_owned(),
        active: true,
    })
}

pub(crate) async fn update_named_item(
    conn: &mut Conn,
    company_id: i64,
    table: &str,
    id: i64,
    name: Option<&str>,
    active: Option<bool>,
) -> Result<NamedItem> {
    let n = sqlx::query(&format!(
        "update {table} set name = coalesce($3, name), active = coalesce($4, active) where company_id = $1 and {table}_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .bind(name)
    .bind(active)
    .execute(&mut *conn)
    .await
    .map_err(|e| taken(e, |_| ("name", "this name is already in the list".to_owned())))?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("list item"));
    }
    let (name, active): (String, bool) = sqlx::query_as(&format!(
        "select name, active from {table} where company_id = $1 and {table}_id = $2"
    ))
    .bind(company_id)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(NamedItem { id, name, active })
}

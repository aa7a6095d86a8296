// Leads, work orders, quotes and tasks as complete features (SPEC §6), written
// once and `include!`d after `automation_queries.rs` by both backends.

#[allow(unused_imports)]
use ringdesk_domain::work::{transfer_allowed, validate_field_values, FieldDef, NumberTemplate};

// ----- numbering (R-M3) -------------------------------------------------------------

/// The company's template for `kind` (`lead`, `work_order`, `quote`); `{N}` until set.
pub(crate) async fn numbering(conn: &mut Conn, company_id: i64, kind: &str) -> Result<String> {
    let t: Option<String> = sqlx::query_scalar("select template from numbering where company_id = $1 and kind = $2")
        .bind(company_id)
        .bind(kind)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(t.unwrap_or_else(|| "{N}".to_owned()))
}

pub(crate) async fn set_numbering(conn: &mut Conn, company_id: i64, kind: &str, template: &str, actor: &Actor, now: Timestamp) -> Result<()> {
    sqlx::query(
        "insert into numbering (company_id, kind, template) values ($1, $2, $3) on conflict (company_id, kind) do update set template = excluded.template",
    )
    .bind(company_id)
    .bind(kind)
    .bind(template)
    .execute(&mut *conn)
    .await?;
    audit(conn, company_id, actor, "settings_changed", Some("settings:numbering"), Some(&format!("{kind}: {template}")), now).await
}

/// The next number for a new document of `kind`: the template's own sequence
/// (one per template, never restarting) rendered on the company's local date.
/// The counter row stays locked until the transaction ends, so concurrent
/// creations take consecutive numbers; a number that some other template
/// already produced is skipped, so numbers stay unique.
pub(crate) async fn next_document_number(conn: &mut Conn, company_id: i64, kind: &str, now: Timestamp) -> Result<String> {
    let template_text = numbering(conn, company_id, kind).await?;
    let template = NumberTemplate::parse("template", &template_text)
        .map_err(|e| StoreError::Invalid { field: "numbering".into(), message: e.problem })?;
    let company = company(conn, company_id).await?;
    let tz = jiff::tz::TimeZone::get(&company.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = now.to_zoned(tz).date();
    let table = match kind {
        "lead" => "lead",
        "quote" => "quote",
        _ => "work_order",
    };
    loop {
        let n = next_number(conn, company_id, &format!("{kind}:{template_text}")).await?;
        let number = template.render(n, today);
        let taken: i64 = sqlx::query_scalar(&format!("select count(*) from {table} where company_id = $1 and number = $2"))
            .bind(company_id)
            .bind(&number)
            .fetch_one(&mut *conn)
            .await?;
        if taken == 0 {
            return Ok(number);
        }
    }
}

// ----- lead types, statuses, transfer rules (R-M2) --------------------------------------

pub(crate) async fn lead_type(conn: &mut Conn, company_id: i64, id: i64) -> Result<LeadType> {
    let r = sqlx::query(&format!("select {LEAD_TYPE_COLUMNS} from lead_type where company_id = $1 and lead_type_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("lead type"))?;
    lead_type_from_row(&r)
}

pub(crate) async fn create_lead_type(conn: &mut Conn, company_id: i64, name: &str, initial_status_id: i64, fields: &[FieldDef], actor: &Actor, now: Timestamp) -> Result<LeadType> {
    check_exists(conn, company_id, "lead_status", "lead_status_id", initial_status_id, "initial_status_id").await?;
    let id: i64 = sqlx::query_scalar("insert into lead_type (company_id, name, initial_status_id, fields) values ($1, $2, $3, $4) returning lead_type_id")
        .bind(company_id)
        .bind(name)
        .bind(initial_status_id)
        .bind(serde_json::to_string(fields).unwrap_or_default())
        .fetch_one(&mut *conn)
        .await?;
    audit(conn, company_id, actor, "settings_changed", Some(&format!("lead_type:{id}")), Some(name), now).await?;
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
        check_exists(conn, company_id, "lead_status", "lead_status_id", s, "initial_status_id").await?;
    }
    sqlx::query(
        "update lead_type set name = coalesce($3, name), initial_status_id = coalesce($4, initial_status_id), fields = coalesce($5, fields) \
         where company_id = $1 and lead_type_id = $2",
    )
    .bind(company_id)
    .bind(id)
    .bind(name)
    .bind(initial_status_id)
    .bind(fields.map(|f| serde_json::to_string(f).unwrap_or_default()))
    .execute(&mut *conn)
    .await?;
    audit(conn, company_id, actor, "settings_changed", Some(&format!("lead_type:{id}")), None, now).await?;
    lead_type(conn, company_id, id).await
}

/// A new status of a group (`table`: `lead_status` or `order_status`); never a system one.
pub(crate) async fn create_status(conn: &mut Conn, company_id: i64, table: &str, name: &str, group: &str, actor: &Actor, now: Timestamp) -> Result<Status> {
    let key = format!("{table}_id");
    let position: i64 = sqlx::query_scalar(&format!("select coalesce(max(position), 0) + 1 from {table} where company_id = $1"))
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
    audit(conn, company_id, actor, "settings_changed", Some(&format!("{table}:{id}")), Some(name), now).await?;
    Ok(Status { id, name: name.to_owned(), group: group.to_owned(), key: None })
}

/// Renames a status (its group and system key stay).
pub(crate) async fn rename_status(conn: &mut Conn, company_id: i64, table: &str, id: i64, name: &str, actor: &Actor, now: Timestamp) -> Result<()> {
    let n = sqlx::query(&format!("update {table} set name = $3 where company_id = $1 and {table}_id = $2"))
        .bind(company_id)
        .bind(id)
        .bind(name)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound("status"));
    }
    audit(conn, company_id, actor, "settings_changed", Some(&format!("{table}:{id}")), Some(name), now).await
}

pub(crate) async fn lead_status_transfers(conn: &mut Conn, company_id: i64) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query("select from_status_id, to_status_id from lead_status_transfer where company_id = $1 order by 1, 2")
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("from_status_id")?, r.try_get("to_status_id")?))).collect()
}

pub(crate) async fn set_lead_status_transfers(conn: &mut Conn, company_id: i64, rules: &[(i64, i64)], actor: &Actor, now: Timestamp) -> Result<()> {
    for (i, (f, t)) in rules.iter().enumerate() {
        check_exists(conn, company_id, "lead_status", "lead_status_id", *f, &format!("rules[{i}].from_status_id")).await?;
        check_exists(conn, company_id, "lead_status", "lead_status_id", *t, &format!("rules[{i}].to_status_ids")).await?;
    }
    sqlx::query("delete from lead_status_transfer where company_id = $1").bind(company_id).execute(&mut *conn).await?;
    for (f, t) in rules {
        sqlx::query("insert into lead_status_transfer (company_id, from_status_id, to_status_id) values ($1, $2, $3) on conflict do nothing")
            .bind(company_id)
            .bind(f)
            .bind(t)
            .execute(&mut *conn)
            .await?;
    }
    audit(conn, company_id, actor, "settings_changed", Some("settings:lead_status_transfers"), Some(&format!("{} rules", rules.len())), now).await
}

// ----- company lists: ad campaigns, locations ---------------------------------------------

pub(crate) async fn named_items(conn: &mut Conn, company_id: i64, table: &str) -> Result<Vec<NamedItem>> {
    let rows = sqlx::query(&format!("select {table}_id as id, name, active from {table} where company_id = $1 order by name, {table}_id"))
        .bind(company_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(NamedItem { id: r.try_get("id")?, name: r.try_get("name")?, active: r.try_get("active")? })).collect()
}

pub(crate) async fn create_named_item(conn: &mut Conn, company_id: i64, table: &str, name: &str, now: Timestamp) -> Result<NamedItem> {
    let id: i64 = sqlx::query_scalar(&format!("insert into {table} (company_id, name, created_at) values ($1, $2, $3) returning {table}_id"))
        .bind(company_id)
        .bind(name)
        .bind(ms(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| taken(e, |_| ("name", "this name is already in the list".to_owned())))?;
    Ok(NamedItem { id, name: name.to_owned(), active: true })
}

pub(crate) async fn update_named_item(conn: &mut Conn, company_id: i64, table: &str, id: i64, name: Option<&str>, active: Option<bool>) -> Result<NamedItem> {
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
    let r = sqlx::query(&format!("select name, active from {table} where company_id = $1 and {table}_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(NamedItem { id, name: r.try_get("name")?, active: r.try_get("active")? })
}

// ----- leads (R-M1, R-M2, R-M4, R-M5) ----------------------------------------------------------

/// What a new lead row holds (hand-made or from a call).
#[derive(Default)]
struct LeadInsert<'a> {
    type_id: i64,
    status_id: i64,
    client_id: Option<i64>,
    client_name: &'a str,
    /// (as typed, key)
    phone: Option<(&'a str, &'a str)>,
    description: Option<&'a str>,
    manager_id: Option<i64>,
    creator_id: Option<i64>,
    source: &'a str,
    call_id: Option<i64>,
    ad_campaign_id: Option<i64>,
    location_id: Option<i64>,
    due_at: Option<Timestamp>,
    urgent: bool,
    fields: Option<String>,
}

fn search_text(client_name: &str, phone: Option<&str>, number: &str) -> String {
    format!("{} {} {}", client_name.to_lowercase(), phone.unwrap_or(""), number.to_lowercase())
}

async fn insert_lead(conn: &mut Conn, company_id: i64, l: &LeadInsert<'_>, now: Timestamp) -> Result<i64> {
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
    if let Some(call_id) = l.call_id {
        link_call_to_lead(conn, company_id, id, call_id, now).await?;
    }
    if let Some(due) = l.due_at {
        schedule_deadline(conn, company_id, id, due).await?;
    }
    Ok(id)
}

async fn schedule_deadline(conn: &mut Conn, company_id: i64, lead_id: i64, due: Timestamp) -> Result<()> {
    sqlx::query(
        "insert into lead_deadline_job (company_id, lead_id, run_at) values ($1, $2, $3) \
         on conflict (company_id, lead_id) do update set run_at = excluded.run_at, done_at = null",
    )
    .bind(company_id)
    .bind(lead_id)
    .bind(ms(due))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn check_refs(conn: &mut Conn, company_id: i64, refs: &[(Option<i64>, &str, &str, &'static str)]) -> Result<()> {
    for (id, table, key, field) in refs {
        if let Some(id) = id {
            check_exists(conn, company_id, table, key, *id, field).await?;
        }
    }
    Ok(())
}

/// A lead made by hand (R-M1): references checked in this company, the type's
/// fields validated, numbered from the template. Tells the manager (R-L6)
/// when someone else assigned it to them.
pub(crate) async fn create_lead(conn: &mut Conn, company_id: i64, l: &NewLead, now: Timestamp) -> Result<Lead> {
    check_refs(
        conn,
        company_id,
        &[
            (l.status_id, "lead_status", "lead_status_id", "status_id"),
            (l.manager_id, "employee", "employee_id", "manager_id"),
            (l.ad_campaign_id, "ad_campaign", "ad_campaign_id", "ad_campaign_id"),
            (l.location_id, "location", "location_id", "location_id"),
        ],
    )
    .await?;
    let lead_type = resolve_lead_type(conn, company_id, l.type_id).await?;
    let fields = validate_field_values(&lead_type.fields, &l.fields).map_err(|e| StoreError::Invalid { field: e.field, message: e.problem })?;
    let client_name = match l.client_id {
        Some(c) => client(conn, company_id, c)
            .await
            .map_err(|_| StoreError::Invalid { field: "client_id".into(), message: format!("no client {c} in this company") })?
            .name,
        None => l.client_name.clone().unwrap_or_default(),
    };
    // R-M5: a linked client replaces the free name and phone.
    let phone = l.phone.as_ref().filter(|_| l.client_id.is_none()).map(|p| (p.raw.as_str(), p.key.as_str()));
    let id = insert_lead(
        conn,
        company_id,
        &LeadInsert {
            type_id: lead_type.id,
            status_id: l.status_id.unwrap_or(lead_type.initial_status_id),
            client_id: l.client_id,
            client_name: &client_name,
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
    if let (Some(m), creator) = (l.manager_id, l.creator_id) {
        if Some(m) != creator && notification_prefs(conn, company_id, m).await?.lead_assigned {
            let locale = company(conn, company_id).await?.locale;
            notify(conn, company_id, m, "lead_assigned", text(Text::NotificationLeadAssignedByHand, locale), Some(id), None, now).await?;
        }
    }
    lead(conn, company_id, id).await
}

const LEAD_COLUMNS: &str = "l.lead_id, l.number, l.lead_type_id, l.status_id, l.client_id, l.client_name, l.phone, l.phone_key, l.description, l.manager_id, \
    l.creator_id, l.source, l.call_id, l.due_at, l.urgent, l.ad_campaign_id, l.location_id, l.fields, l.created_at, s.status_group";

const LEAD_FROM: &str = "lead l join lead_status s on s.lead_status_id = l.status_id";

async fn lead_from_row(conn: &mut Conn, company_id: i64, r: &DbRow) -> Result<Lead> {
    let id: i64 = r.try_get("lead_id")?;
    let call_ids: Vec<i64> = sqlx::query_scalar("select call_id from lead_call where company_id = $1 and lead_id = $2 order by call_id")
        .bind(company_id)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let group: String = r.try_get("status_group")?;
    Ok(Lead {
        id,
        number: r.try_get("number")?,
        type_id: r.try_get("lead_type_id")?,
        status_id: r.try_get("status_id")?,
        client_id: r.try_get("client_id")?,
        client_name: r.try_get("client_name")?,
        phone: r.try_get("phone")?,
        phone_key: r.try_get("phone_key")?,
        description: r.try_get("description")?,
        manager_id: r.try_get("manager_id")?,
        creator_id: r.try_get("creator_id")?,
        source: r.try_get("source")?,
        call_id: r.try_get("call_id")?,
        due_at: r.try_get::<Option<i64>, _>("due_at")?.map(ts),
        urgent: r.try_get("urgent")?,
        ad_campaign_id: r.try_get("ad_campaign_id")?,
        location_id: r.try_get("location_id")?,
        fields: r
            .try_get::<Option<String>, _>("fields")?
            .and_then(|f| serde_json::from_str(&f).ok())
            .unwrap_or_default(),
        open: group == "new" || group == "in_progress",
        call_ids,
        created_at: ts(r.try_get("created_at")?),
    })
}

pub(crate) async fn lead(conn: &mut Conn, company_id: i64, id: i64) -> Result<Lead> {
    let row = sqlx::query(&format!("select {LEAD_COLUMNS} from {LEAD_FROM} where l.company_id = $1 and l.lead_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("lead"))?;
    lead_from_row(conn, company_id, &row).await
}

/// Leads by R-M1's filters, sorted and paginated.
pub(crate) async fn leads(conn: &mut Conn, company_id: i64, f: &LeadFilter) -> Result<Vec<Lead>> {
    let mut sql = format!("select {LEAD_COLUMNS} from {LEAD_FROM} where l.company_id = $1");
    let mut params = vec![Param::Int(company_id)];
    let cond = |sql: &mut String, params: &mut Vec<Param>, clause: &str, p: Param| {
        params.push(p);
        sql.push_str(&format!(" and {}", clause.replace("$?", &format!("${}", params.len()))));
    };
    if let Some(c) = f.call_id {
        cond(&mut sql, &mut params, "exists (select 1 from lead_call lc where lc.company_id = l.company_id and lc.lead_id = l.lead_id and lc.call_id = $?)", Param::Int(c));
    }
    if let Some(c) = f.client_id {
        cond(&mut sql, &mut params, "l.client_id = $?", Param::Int(c));
    }
    if let Some(g) = &f.status_group {
        cond(&mut sql, &mut params, "s.status_group = $?", Param::Text(g.clone()));
    }
    if let Some(m) = f.manager_id {
        cond(&mut sql, &mut params, "l.manager_id = $?", Param::Int(m));
    }
    if let Some(at) = f.overdue_at {
        cond(&mut sql, &mut params, "l.due_at < $? and s.status_group in ('new', 'in_progress')", Param::Int(ms(at)));
    }
    if let Some(u) = f.urgent {
        cond(&mut sql, &mut params, "l.urgent = $?", Param::Bool(u));
    }
    if let Some(src) = &f.source {
        cond(&mut sql, &mut params, "l.source = $?", Param::Text(src.clone()));
    }
    if let Some(t) = f.created_from {
        cond(&mut sql, &mut params, "l.created_at >= $?", Param::Int(ms(t)));
    }
    if let Some(t) = f.created_to {
        cond(&mut sql, &mut params, "l.created_at < $?", Param::Int(ms(t)));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let q = q.to_lowercase().replace(['\\', '%', '_'], "");
        // A query typed as a phone number (digits and phone punctuation only)
        // searches by its digits, which the stored E.164 key contains.
        let phone_like = q.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "-+()".contains(c));
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        let needle = if phone_like && digits.len() >= 5 { digits } else { q };
        cond(&mut sql, &mut params, "l.search_text like $?", Param::Text(format!("%{needle}%")));
    }
    let order = match f.sort {
        LeadSort::Newest => "l.created_at desc, l.lead_id desc",
        LeadSort::Oldest => "l.created_at, l.lead_id",
        LeadSort::DueSoonest => "case when l.due_at is null then 1 else 0 end, l.due_at, l.lead_id",
        LeadSort::Number => "l.number, l.lead_id",
    };
    params.push(Param::Int(f.limit));
    params.push(Param::Int(f.offset));
    sql.push_str(&format!(" order by {order} limit ${} offset ${}", params.len() - 1, params.len()));
    let mut q = sqlx::query(&sql);
    for p in params {
        q = match p {
            Param::Int(v) => q.bind(v),
            Param::Text(v) => q.bind(v),
            Param::Bool(v) => q.bind(v),
        };
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(lead_from_row(conn, company_id, r).await?);
    }
    Ok(out)
}

async fn status_name(conn: &mut Conn, company_id: i64, id: i64) -> Result<String> {
    Ok(sqlx::query_scalar("select name from lead_status where company_id = $1 and lead_status_id = $2")
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_else(|| id.to_string()))
}

/// Changes a lead (R-M1). A status change obeys the transfer rules (R-M2); a
/// linked client replaces the free name and phone (R-M5).
pub(crate) async fn update_lead(conn: &mut Conn, company_id: i64, id: i64, p: &LeadPatch, now: Timestamp) -> Result<Lead> {
    let current = lead(conn, company_id, id).await?;
    check_refs(
        conn,
        company_id,
        &[
            (p.status_id, "lead_status", "lead_status_id", "status_id"),
            (p.manager_id.flatten(), "employee", "employee_id", "manager_id"),
            (p.ad_campaign_id.flatten(), "ad_campaign", "ad_campaign_id", "ad_campaign_id"),
            (p.location_id.flatten(), "location", "location_id", "location_id"),
        ],
    )
    .await?;
    if let Some(to) = p.status_id {
        let rules = lead_status_transfers(conn, company_id).await?;
        if !transfer_allowed(&rules, current.status_id, to) {
            let (a, b) = (status_name(conn, company_id, current.status_id).await?, status_name(conn, company_id, to).await?);
            return Err(StoreError::Invalid {
                field: "status_id".into(),
                message: format!("a lead in status {a:?} cannot move to {b:?} (status transfer rules)"),
            });
        }
    }
    let fields = match &p.fields {
        Some(values) => {
            let defs = lead_type(conn, company_id, current.type_id).await?.fields;
            let v = validate_field_values(&defs, values).map_err(|e| StoreError::Invalid { field: e.field, message: e.problem })?;
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
        client_id = c;
        if let Some(c) = c {
            client_name = client(conn, company_id, c)
                .await
                .map_err(|_| StoreError::Invalid { field: "client_id".into(), message: format!("no client {c} in this company") })?
                .name;
            phone = None;
        }
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
    if let Some(Some(due)) = p.due_at {
        schedule_deadline(conn, company_id, id, due).await?;
    }
    if let Some(Some(m)) = p.manager_id {
        if Some(m) != current.manager_id && notification_prefs(conn, company_id, m).await?.lead_assigned {
            let locale = company(conn, company_id).await?.locale;
            notify(conn, company_id, m, "lead_assigned", text(Text::NotificationLeadAssignedByHand, locale), Some(id), None, now).await?;
        }
    }
    lead(conn, company_id, id).await
}

/// R-M5 "+ Client": a new client from the lead's name and the numbers given,
/// linked to the lead, in one transaction.
pub(crate) async fn client_from_lead(conn: &mut Conn, company_id: i64, lead_id: i64, c: &NewClient, now: Timestamp) -> Result<(Client, Lead)> {
    lead(conn, company_id, lead_id).await?;
    let new = create_client(conn, company_id, c, now).await?;
    let l = update_lead(conn, company_id, lead_id, &LeadPatch { client_id: Some(Some(new.id)), ..LeadPatch::default() }, now).await?;
    Ok((new, l))
}

/// R-M6: open leads whose phone is this number, newest first.
pub(crate) async fn open_leads_on(conn: &mut Conn, company_id: i64, key: &str) -> Result<Vec<Lead>> {
    let rows = sqlx::query(&format!(
        "select {LEAD_COLUMNS} from {LEAD_FROM} where l.company_id = $1 and s.status_group in ('new', 'in_progress') \
         and (l.phone_key = $2 or l.client_id in (select client_id from client_phone where company_id = $1 and phone_key = $2)) \
         order by l.created_at desc, l.lead_id desc limit 20"
    ))
    .bind(company_id)
    .bind(key)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(lead_from_row(conn, company_id, r).await?);
    }
    Ok(out)
}

/// R-M6: links a work order and a lead; the lead moves to the system status
/// `order_successful` (found by its key), bypassing the transfer rules.
pub(crate) async fn link_order_lead(conn: &mut Conn, company_id: i64, order_id: i64, lead_id: i64, now: Timestamp) -> Result<(WorkOrder, Lead)> {
    order(conn, company_id, order_id).await?;
    lead(conn, company_id, lead_id).await.map_err(|_| StoreError::Invalid {
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
    sqlx::query("update lead set status_id = $3, updated_at = $4 where company_id = $1 and lead_id = $2")
        .bind(company_id)
        .bind(lead_id)
        .bind(won)
        .bind(ms(now))
        .execute(&mut *conn)
        .await?;
    Ok((order(conn, company_id, order_id).await?, lead(conn, company_id, lead_id).await?))
}

// ----- quotes (R-M7) ------------------------------------------------------------------------------

const QUOTE_COLUMNS: &str =
    "quote_id, number, channel, contact, contact_key, client_id, call_id, description, status, order_id, creator_id, created_at, converted_at";

fn quote_from_row(r: &DbRow) -> Result<Quote> {
    Ok(Quote {
        id: r.try_get("quote_id")?,
        number: r.try_get("number")?,
        channel: r.try_get("channel")?,
        contact: r.try_get("contact")?,
        contact_key: r.try_get("contact_key")?,
        client_id: r.try_get("client_id")?,
        call_id: r.try_get("call_id")?,
        description: r.try_get("description")?,
        status: r.try_get("status")?,
        order_id: r.try_get("order_id")?,
        creator_id: r.try_get("creator_id")?,
        created_at: ts(r.try_get("created_at")?),
        converted_at: r.try_get::<Option<i64>, _>("converted_at")?.map(ts),
    })
}

pub(crate) async fn create_quote(conn: &mut Conn, company_id: i64, q: &NewQuote, now: Timestamp) -> Result<Quote> {
    check_refs(conn, company_id, &[(q.client_id, "client", "client_id", "client_id"), (q.call_id, "call", "call_id", "call_id")]).await?;
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
pub(crate) async fn quote_from_call(conn: &mut Conn, company_id: i64, call_id: i64, creator_id: Option<i64>, description: Option<String>, now: Timestamp) -> Result<Quote> {
    let c = call(conn, company_id, call_id).await?;
    let raw = if c.direction == Direction::Inbound { c.from.clone() } else { c.to.clone() };
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
    let r = sqlx::query(&format!("select {QUOTE_COLUMNS} from quote where company_id = $1 and quote_id = $2"))
        .bind(company_id)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound("quote"))?;
    quote_from_row(&r)
}

pub(crate) async fn quotes(conn: &mut Conn, company_id: i64, client_id: Option<i64>, call_id: Option<i64>, limit: i64) -> Result<Vec<Quote>> {
    let rows = sqlx::query(&format!(
        "select {QUOTE_COLUMNS} from quote where company_id = $1 and ($2 is null or client_id = $2) and ($3 is null or call_id = $3) \
         order by quote_id desc limit $4"
    ))
    .bind(company_id)
    .bind(client_id)
    .bind(call_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(quote_from_row).collect()
}

/// R-M7: the quote becomes a work order (once); the link is kept both ways.
pub(crate) async fn convert_quote(conn: &mut Conn, company_id: i64, id: i64, creator_id: Option<i64>, now: Timestamp) -> Result<(Quote, WorkOrder)> {
    let q = quote(conn, company_id, id).await?;
    let locked = sqlx::query(&format!("select status from quote where company_id = $1 and quote_id = $2{FOR_UPDATE}"))
        .bind(company_id)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if locked.try_get::<&str, _>("status")? != "open" {
        return Err(StoreError::Conflict(format!("quote {} is already converted into work order {}", q.number, q.order_id.unwrap_or_default())));
    }
    let phone = q.contact_key.clone();
    let key_number = phone.as_deref().map(|k| ringdesk_domain::phone::PhoneNumber { raw: q.contact.clone(), key: PhoneKey::from_stored(k.to_owned()) });
    let o = create_order(
        conn,
        company_id,
        &NewWorkOrder { client_id: q.client_id, phone: key_number, status_id: None, creator_id, quote_id: Some(id) },
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

// ----- tasks (R-M8) ----------------------------------------------------------------------------------

pub(crate) async fn create_task(conn: &mut Conn, company_id: i64, t: &NewTask, now: Timestamp) -> Result<Task> {
    for (i, e) in t.assignee_ids.iter().enumerate() {
        check_exists(conn, company_id, "employee", "employee_id", *e, &format!("assignee_ids[{i}]")).await?;
    }
    check_refs(
        conn,
        company_id,
        &[(t.order_id, "work_order", "work_order_id", "order_id"), (t.lead_id, "lead", "lead_id", "lead_id")],
    )
    .await?;
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
    let mut seen = Vec::new();
    for e in &t.assignee_ids {
        if seen.contains(e) {
            continue;
        }
        seen.push(*e);
        sqlx::query("insert into task_assignee (company_id, task_id, employee_id, position) values ($1, $2, $3, $4)")
            .bind(company_id)
            .bind(id)
            .bind(e)
            .bind(seen.len() as i64)
            .execute(&mut *conn)
            .await?;
    }
    task(conn, company_id, id).await
}

/// Reopens a done or cancelled task; its assignees stay as they are.
pub(crate) async fn reopen_task(conn: &mut Conn, company_id: i64, id: i64) -> Result<Task> {
    let t = task(conn, company_id, id).await?;
    if t.status == TaskStatus::Open {
        return Err(StoreError::Conflict(format!("task {id} is already open")));
    }
    sqlx::query("update task set status = 'open', completed_by = null, completed_at = null, cancel_reason = null where company_id = $1 and task_id = $2")
        .bind(company_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    task(conn, company_id, id).await
}

// ----- notification choices (R-L6) and lead deadlines (R-M4) -------------------------------------

pub(crate) async fn notification_prefs(conn: &mut Conn, company_id: i64, employee_id: i64) -> Result<NotificationPrefs> {
    let r = sqlx::query("select new_lead, lead_assigned, lead_overdue from notification_pref where company_id = $1 and employee_id = $2")
        .bind(company_id)
        .bind(employee_id)
        .fetch_optional(&mut *conn)
        .await?;
    match r {
        None => Ok(NotificationPrefs::default()),
        Some(r) => Ok(NotificationPrefs {
            new_lead: r.try_get("new_lead")?,
            lead_assigned: r.try_get("lead_assigned")?,
            lead_overdue: r.try_get("lead_overdue")?,
        }),
    }
}

pub(crate) async fn set_notification_prefs(conn: &mut Conn, company_id: i64, employee_id: i64, p: &NotificationPrefs) -> Result<()> {
    sqlx::query(
        "insert into notification_pref (company_id, employee_id, new_lead, lead_assigned, lead_overdue) values ($1, $2, $3, $4, $5) \
         on conflict (company_id, employee_id) do update set new_lead = excluded.new_lead, lead_assigned = excluded.lead_assigned, \
         lead_overdue = excluded.lead_overdue",
    )
    .bind(company_id)
    .bind(employee_id)
    .bind(p.new_lead)
    .bind(p.lead_assigned)
    .bind(p.lead_overdue)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Named exception, as `due_jobs`: the lead deadlines that have passed, across companies.
pub(crate) async fn due_deadlines(conn: &mut Conn, now: Timestamp, limit: i64) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query("select company_id, lead_id from lead_deadline_job where done_at is null and run_at <= $1 order by run_at limit $2")
        .bind(ms(now))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("company_id")?, r.try_get("lead_id")?))).collect()
}

/// R-M4/R-L6: an open lead's deadline has passed: its manager hears of it,
/// once per deadline, if they chose to.
pub(crate) async fn run_deadline(conn: &mut Conn, company_id: i64, lead_id: i64, now: Timestamp) -> Result<bool> {
    let claimed = sqlx::query(
        "update lead_deadline_job set done_at = $3 where company_id = $1 and lead_id = $2 and done_at is null and run_at <= $3",
    )
    .bind(company_id)
    .bind(lead_id)
    .bind(ms(now))
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    let l = lead(conn, company_id, lead_id).await?;
    let notified: Option<i64> = sqlx::query_scalar("select overdue_notified_at from lead where company_id = $1 and lead_id = $2")
        .bind(company_id)
        .bind(lead_id)
        .fetch_one(&mut *conn)
        .await?;
    let overdue = ringdesk_domain::work::overdue_seconds(l.due_at, l.open, now).is_some() || l.due_at == Some(now);
    if overdue && notified.is_none() {
        if let Some(m) = l.manager_id {
            if notification_prefs(conn, company_id, m).await?.lead_overdue {
                let locale = company(conn, company_id).await?.locale;
                notify(conn, company_id, m, "lead_overdue", text(Text::NotificationLeadOverdue, locale), Some(lead_id), l.call_id, now).await?;
            }
        }
        sqlx::query("update lead set overdue_notified_at = $3 where company_id = $1 and lead_id = $2")
            .bind(company_id)
            .bind(lead_id)
            .bind(ms(now))
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

// ----- history -----------------------------------------------------------------------------------------

async fn history_rows(conn: &mut Conn, company_id: i64, sql: &str, id: i64, kind: &str) -> Result<Vec<HistoryItem>> {
    let rows = sqlx::query(sql).bind(company_id).bind(id).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryItem {
                kind: kind.to_owned(),
                id: r.try_get("id")?,
                at: ts(r.try_get("at")?),
                title: r.try_get("title")?,
                status: r.try_get("status")?,
            })
        })
        .collect()
}

fn newest_first(mut items: Vec<HistoryItem>) -> Vec<HistoryItem> {
    items.sort_by(|a, b| b.at.cmp(&a.at).then(b.kind.cmp(&a.kind)).then(b.id.cmp(&a.id)));
    items.dedup_by(|a, b| a.kind == b.kind && a.id == b.id);
    items
}

/// Everything about a client, newest first: calls, leads, orders, quotes, and
/// the tasks linked to them — what an operator reads before calling back.
pub(crate) async fn client_history(conn: &mut Conn, company_id: i64, client_id: i64) -> Result<Vec<HistoryItem>> {
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
pub(crate) async fn lead_history(conn: &mut Conn, company_id: i64, lead_id: i64) -> Result<Vec<HistoryItem>> {
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


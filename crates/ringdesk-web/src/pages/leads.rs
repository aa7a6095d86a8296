//! Leads (SPEC §6; R-M1, R-M2, R-M4, R-M5): the list with the filters and
//! sorting of `GET /api/v1/leads`, overdue and urgent badges; the new and
//! edit forms with the lead type's own fields, the client suggestion of R-M5
//! and status changes under the transfer rules of R-M2 (a refused change is
//! shown beside the status, 422, and nothing is changed).

use super::click_to_call::{call_button, Dial};
use super::*;
use crate::api::work::{lead_filter, phone_of, LeadQuery};
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::body::Bytes;
use axum::extract::State;
use fluent_bundle::FluentValue;
use ringdesk_domain::company::Permission;
use ringdesk_domain::work::{
    offers_clients, overdue_seconds, transfer_allowed, FieldDef, FieldKind,
};
use ringdesk_store::{
    Employee, Lead, LeadPatch, LeadType, NamedItem, NamedList, NewLead, Status, StoreError,
};
use serde_json::{Map, Value};

/// Leads shown per page of the list.
const PAGE: i64 = 50;

/// A submitted form: its fields in order, as sent.
pub(super) struct Form(pub Vec<(String, String)>);

impl Form {
    pub(super) fn parse(body: &[u8]) -> Form {
        Form(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }
    pub(super) fn get(&self, k: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    /// A trimmed value, `None` when empty.
    pub(super) fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).trim().to_owned()).filter(|v| !v.is_empty())
    }
}

pub(super) type Errors = Vec<(&'static str, String)>;

/// The field a store or API error names (`field: problem`), if it is one of `known`.
pub(super) fn error_field(e: &AppError, known: &[&'static str]) -> Option<&'static str> {
    let field = e.message.split(": ").next()?;
    known.iter().copied().find(|k| *k == field)
}

/// A `datetime-local` value in the company's time zone.
pub(super) fn local_input(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Reads a `datetime-local` value (the company's time zone).
pub(super) fn parse_local(s: &str, tz: &TimeZone) -> Option<Timestamp> {
    let dt: jiff::civil::DateTime = s.trim().parse().ok()?;
    dt.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

pub(super) fn flash(l: Locale, m: Option<&str>, known: &[(&str, &str)]) -> Markup {
    html! {
        @if let Some((_, id)) = known.iter().find(|(w, _)| Some(*w) == m) {
            p.notice #flash role="status" { (tr(l, id)) }
        }
    }
}

fn status_name(statuses: &[Status], id: i64) -> String {
    statuses
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

fn employee_name(employees: &[Employee], id: Option<i64>) -> String {
    id.and_then(|id| employees.iter().find(|e| e.id == id))
        .map(|e| e.name.clone())
        .unwrap_or_default()
}

// ----- the list (R-M1, R-M4) ------------------------------------------------------------------

/// The list's filter form: the query fields of `GET /api/v1/leads`, as a
/// plain GET form sends them (empty when not chosen); dates are the company's days.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct LeadsPageQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status_group: String,
    #[serde(default)]
    pub manager_id: String,
    #[serde(default)]
    pub overdue: String,
    #[serde(default)]
    pub urgent: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub offset: String,
    #[serde(default, skip_serializing)]
    pub m: Option<String>,
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl LeadsPageQuery {
    /// The API's query: the same fields, each checked by the API's own reading.
    fn api_query(&self, tz: &TimeZone) -> Result<LeadQuery, (&'static str, String)> {
        let bool_of = |field: &'static str, v: &str| match v {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err((field, v.to_owned())),
        };
        let day = |field: &'static str,
                   v: &str,
                   next: bool|
         -> Result<Option<String>, (&'static str, String)> {
            match none_if_empty(v) {
                None => Ok(None),
                Some(v) => {
                    let d: jiff::civil::Date = v.parse().map_err(|_| (field, v.clone()))?;
                    let d = if next {
                        d.tomorrow().map_err(|_| (field, v.clone()))?
                    } else {
                        d
                    };
                    let t = d.to_zoned(tz.clone()).map_err(|_| (field, v.clone()))?;
                    Ok(Some(t.timestamp().to_string()))
                }
            }
        };
        let int = |field: &'static str, v: &str| -> Result<Option<i64>, (&'static str, String)> {
            none_if_empty(v)
                .map(|v| v.parse::<i64>().map_err(|_| (field, v)))
                .transpose()
        };
        Ok(LeadQuery {
            call_id: None,
            client_id: None,
            status_group: none_if_empty(&self.status_group),
            manager_id: int("manager_id", &self.manager_id)?,
            overdue: bool_of("overdue", &self.overdue)?,
            urgent: bool_of("urgent", &self.urgent)?,
            source: none_if_empty(&self.source),
            from: day("from", &self.from, false)?,
            to: day("to", &self.to, true)?,
            q: none_if_empty(&self.q),
            sort: none_if_empty(&self.sort),
            // One more than a page: whether there is a next one.
            limit: Some(PAGE + 1),
            offset: int("offset", &self.offset)?,
        })
    }

    fn at_offset(&self, offset: i64) -> String {
        let mut q = serde_urlencoded::to_string(LeadsPageQuery {
            offset: String::new(),
            m: None,
            ..self.clone_fields()
        })
        .unwrap_or_default();
        if offset > 0 {
            q.push_str(&format!("&offset={offset}"));
        }
        format!("/leads?{q}")
    }

    fn clone_fields(&self) -> LeadsPageQuery {
        LeadsPageQuery {
            q: self.q.clone(),
            status_group: self.status_group.clone(),
            manager_id: self.manager_id.clone(),
            overdue: self.overdue.clone(),
            urgent: self.urgent.clone(),
            source: self.source.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            sort: self.sort.clone(),
            offset: self.offset.clone(),
            m: None,
        }
    }
}

fn select(
    l: Locale,
    id: &'static str,
    label: &str,
    current: &str,
    options: &[(String, String)],
) -> Markup {
    html! {
        div.filter {
            label for=(id) { (label) }
            select #(id) name=(id) {
                option value="" selected[current.is_empty()] { (tr(l, "leads-any")) }
                @for (v, text) in options {
                    option value=(v) selected[current == v] { (text) }
                }
            }
        }
    }
}

/// `GET /leads`: the company's leads with `GET /api/v1/leads`' filters and
/// sorting (R-M1), overdue (R-M4) and urgent badges, paged.
pub async fn leads_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<LeadsPageQuery>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let now = Timestamp::from_millisecond(Timestamp::now().as_millisecond()).expect("now");
    let (statuses, employees) = (
        state.store.lead_statuses(cid).await?,
        state.store.employees(cid).await?,
    );
    // The API's own reading of the filters; what it refuses, the page says beside the form.
    let filter = q
        .api_query(&s.tz)
        .map_err(|(f, v)| AppError::invalid(f, format!("{v:?}")))
        .and_then(|aq| lead_filter(aq, now));
    let (leads, error) = match filter {
        Ok(f) => (state.store.leads(cid, &f).await?, None),
        Err(e) => (vec![], Some(e)),
    };
    let offset: i64 = q.offset.parse().unwrap_or(0).max(0);
    let more = leads.len() as i64 > PAGE;
    let may_see_clients = s.caller.may(Permission::ViewClients);
    let title = tr(l, "leads-title");
    let groups: Vec<(String, String)> = ["new", "in_progress", "won", "lost"]
        .iter()
        .map(|g| {
            (
                g.to_string(),
                tr(l, &format!("lead-group-{}", g.replace('_', "-"))),
            )
        })
        .collect();
    let sources: Vec<(String, String)> = ["manual", "call_answered", "call_missed"]
        .iter()
        .map(|g| {
            (
                g.to_string(),
                tr(l, &format!("lead-source-{}", g.replace('_', "-"))),
            )
        })
        .collect();
    let yes_no = vec![
        ("true".to_owned(), tr(l, "leads-yes")),
        ("false".to_owned(), tr(l, "leads-no")),
    ];
    let managers: Vec<(String, String)> = employees
        .iter()
        .map(|e| (e.id.to_string(), e.name.clone()))
        .collect();
    let markup = s.page(&title, "/leads", html! {
        div.page-head {
            h1 { (title) }
            a.button #new-lead href="/leads/new" { (tr(l, "lead-new")) }
        }
        (flash(l, q.m.as_deref(), &[]))
        form #lead-filters .filters method="get" action="/leads" role="search" aria-label=(tr(l, "leads-filters")) {
            div.filter {
                label for="q" { (tr(l, "leads-search")) }
                input #q type="search" name="q" value=(q.q);
            }
            (select(l, "status_group", &tr(l, "leads-status-group"), &q.status_group, &groups))
            (select(l, "manager_id", &tr(l, "lead-manager"), &q.manager_id, &managers))
            (select(l, "overdue", &tr(l, "leads-overdue"), &q.overdue, &yes_no))
            (select(l, "urgent", &tr(l, "lead-urgent"), &q.urgent, &yes_no))
            (select(l, "source", &tr(l, "leads-source"), &q.source, &sources))
            (date_filter(l, "from", "leads-from", &q.from))
            (date_filter(l, "to", "leads-to", &q.to))
            div.filter {
                label for="sort" { (tr(l, "leads-sort")) }
                select #sort name="sort" {
                    @for (v, id) in [("-created_at", "leads-sort-newest"), ("created_at", "leads-sort-oldest"), ("due_at", "leads-sort-due"), ("number", "leads-sort-number")] {
                        option value=(v) selected[q.sort == v] { (tr(l, id)) }
                    }
                }
            }
            (filter_actions(l, "/leads"))
        }
        (filter_error(l, error.as_ref()))
        @if leads.is_empty() {
            p #no-leads { (tr(l, "leads-empty")) }
        } @else {
            (list_table(l, "leads", &title, &["lead-number", "lead-client", "lead-status", "lead-due", "lead-manager", "lead-created"], html! {
                        @for lead in leads.iter().take(PAGE as usize) {
                            @let overdue = overdue_seconds(lead.due_at, lead.open, now).is_some();
                            tr id=(format!("lead-{}", lead.id)) {
                                td { a href=(format!("/leads/{}/edit", lead.id)) { (lead.number) } }
                                td {
                                    @match (lead.client_id, may_see_clients) {
                                        (Some(c), true) => { a href=(format!("/clients/{c}")) { (lead.client_name) } }
                                        _ => { (lead.client_name) }
                                    }
                                    @if let Some(p) = &lead.phone { br; span.phone { (p) } }
                                }
                                td { (status_name(&statuses, lead.status_id)) }
                                td {
                                    @if let Some(d) = lead.due_at { time datetime=(d.to_string()) { (local_time(d, &s.tz)) } }
                                    @if overdue { " " span.badge.overdue { (tr(l, "lead-badge-overdue")) } }
                                    @if lead.urgent { " " span.badge.urgent { (tr(l, "lead-badge-urgent")) } }
                                }
                                td { (employee_name(&employees, lead.manager_id)) }
                                td { time datetime=(lead.created_at.to_string()) { (local_time(lead.created_at, &s.tz)) } }
                            }
                        }
            }))
            nav.pager aria-label=(tr(l, "work-pager-label")) {
                @if offset > 0 { a rel="prev" href=(q.at_offset((offset - PAGE).max(0))) { (tr(l, "work-pager-previous")) } }
                @if more { a rel="next" href=(q.at_offset(offset + PAGE)) { (tr(l, "work-pager-next")) } }
            }
        }
    });
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Html(markup.into_string())).into_response())
}

// ----- the form (R-M1, R-M2, R-M5) --------------------------------------------------------------

/// What the form shows: a lead's values, or what was typed.
struct Shown {
    type_id: i64,
    status_id: i64,
    client_id: Option<i64>,
    client_name: String,
    phone: String,
    description: String,
    manager_id: String,
    due_at: String,
    urgent: bool,
    ad_campaign_id: String,
    location_id: String,
    fields: Vec<(String, String)>,
}

fn field_value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Shown {
    fn of_lead(lead: &Lead, tz: &TimeZone) -> Shown {
        Shown {
            type_id: lead.type_id,
            status_id: lead.status_id,
            client_id: lead.client_id,
            client_name: lead.client_name.clone(),
            phone: lead.phone.clone().unwrap_or_default(),
            description: lead.description.clone().unwrap_or_default(),
            manager_id: lead.manager_id.map(|m| m.to_string()).unwrap_or_default(),
            due_at: lead.due_at.map(|d| local_input(d, tz)).unwrap_or_default(),
            urgent: lead.urgent,
            ad_campaign_id: lead
                .ad_campaign_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            location_id: lead.location_id.map(|i| i.to_string()).unwrap_or_default(),
            fields: lead
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), field_value_text(v)))
                .collect(),
        }
    }

    fn of_form(f: &Form, type_id: i64, status_id: i64, client_id: Option<i64>) -> Shown {
        Shown {
            type_id,
            status_id: f.get("status_id").parse().unwrap_or(status_id),
            client_id,
            client_name: f.get("client_name").to_owned(),
            phone: f.get("phone").to_owned(),
            description: f.get("description").to_owned(),
            manager_id: f.get("manager_id").to_owned(),
            due_at: f.get("due_at").to_owned(),
            urgent: f.get("urgent") == "true",
            ad_campaign_id: f.get("ad_campaign_id").to_owned(),
            location_id: f.get("location_id").to_owned(),
            fields: f
                .0
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("fields.")?.to_owned(), v.clone())))
                .collect(),
        }
    }

    fn field(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// The form's id of a type's field (`fields.<key>`; a static name for errors).
fn field_id(key: &str) -> String {
    format!("fields.{key}")
}

/// Everything the form needs from the company.
struct Context {
    statuses: Vec<Status>,
    types: Vec<LeadType>,
    employees: Vec<Employee>,
    /// R-M1's lists, which a lead may name (the inactive ones only when it already does).
    campaigns: Vec<NamedItem>,
    locations: Vec<NamedItem>,
}

/// The company lists a lead names: (form field, label id, "none" id).
const LISTS: [(&str, &str, &str); 2] = [
    ("ad_campaign_id", "lead-ad-campaign", "lead-no-ad-campaign"),
    ("location_id", "lead-location", "lead-no-location"),
];

/// A list's id as typed: empty is none; anything else not a number is noted.
fn list_id(f: &Form, field: &'static str, l: Locale, errors: &mut Errors) -> Option<i64> {
    let v = f.get(field).trim();
    if v.is_empty() {
        return None;
    }
    v.parse()
        .map_err(|_| errors.push((field, tr(l, "lead-value-invalid"))))
        .ok()
}

async fn context(state: &AppState, cid: i64) -> Result<Context, AppError> {
    Ok(Context {
        statuses: state.store.lead_statuses(cid).await?,
        types: state.store.lead_types(cid).await?,
        employees: state.store.employees(cid).await?,
        campaigns: state.store.named_items(cid, NamedList::AdCampaigns).await?,
        locations: state.store.named_items(cid, NamedList::Locations).await?,
    })
}

/// Errors beside a type's own field: their names are not static, so kept apart.
type FieldErrors = Vec<(String, String)>;

fn custom_field(l: Locale, d: &FieldDef, value: &str, errors: &FieldErrors) -> Markup {
    let id = field_id(&d.key);
    let error = errors.iter().find(|(k, _)| *k == d.key).map(|(_, e)| e);
    let err_id = format!("{id}-error");
    html! {
        div.field {
            label for=(id) { (d.label) @if d.required { " " span.required { (tr(l, "work-required")) } } }
            @match d.kind {
                FieldKind::Choice => {
                    select #(id) name=(id) required[d.required] aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| err_id.clone())] {
                        option value="" { "—" }
                        @for o in &d.options { option value=(o) selected[value == o] { (o) } }
                    }
                }
                FieldKind::YesNo => {
                    select #(id) name=(id) required[d.required] aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| err_id.clone())] {
                        option value="" { "—" }
                        option value="true" selected[value == "true"] { (tr(l, "leads-yes")) }
                        option value="false" selected[value == "false"] { (tr(l, "leads-no")) }
                    }
                }
                _ => {
                    input #(id) name=(id) value=(value) required[d.required]
                        type=(match d.kind { FieldKind::Number => "number", FieldKind::Date => "date", _ => "text" })
                        step=[(d.kind == FieldKind::Number).then_some("any")]
                        aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| err_id.clone())];
                }
            }
            @if let Some(e) = error { p.field-error id=(err_id) { (e) } }
        }
    }
}

/// Reads the type's own fields from the form as the JSON values the store
/// checks (R-M2): empty is null; a number must read as one.
fn field_values(
    l: Locale,
    defs: &[FieldDef],
    f: &Form,
    errors: &mut FieldErrors,
) -> Map<String, Value> {
    let mut out = Map::new();
    for d in defs {
        let raw = f.get(&field_id(&d.key)).trim();
        let v = if raw.is_empty() {
            Value::Null
        } else {
            match d.kind {
                FieldKind::Number => match raw.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => match raw
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                    {
                        Some(n) => Value::Number(n),
                        None => {
                            errors.push((d.key.clone(), tr(l, "lead-field-number")));
                            continue;
                        }
                    },
                },
                FieldKind::YesNo => Value::Bool(raw == "true"),
                _ => Value::String(raw.to_owned()),
            }
        };
        out.insert(d.key.clone(), v);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn lead_form(
    s: &Signed,
    ctx: &Context,
    lead: Option<&Lead>,
    shown: &Shown,
    errors: &[(&str, String)],
    field_errors: &FieldErrors,
    suggestions: &[ringdesk_store::LookupMatch],
    flash_m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let (title, path, action) = match lead {
        Some(x) => (
            tr_args(
                l,
                "lead-edit-title",
                &[("number", FluentValue::from(x.number.clone()))],
            ),
            format!("/leads/{}/edit", x.id),
            format!("/leads/{}/edit", x.id),
        ),
        None => (
            tr(l, "lead-new-title"),
            "/leads/new".to_owned(),
            "/leads/new".to_owned(),
        ),
    };
    let lead_type = ctx.types.iter().find(|t| t.id == shown.type_id);
    let may_see_clients = s.caller.may(Permission::ViewClients);
    let has_errors = !errors.is_empty() || !field_errors.is_empty();
    s.page(&title, &path, html! {
        p.back { a href="/leads" { (tr(l, "leads-back")) } }
        h1 { (title) }
        (flash(l, flash_m, &[("created", "lead-created-flash"), ("saved", "lead-saved-flash"), ("linked", "lead-linked-flash")]))
        @if let Some(x) = lead {
            @if let Some(number) = &x.phone {
                p #lead-dial { span.phone { (number) } " " (call_button(s, &Dial { number, client_id: x.client_id, lead_id: Some(x.id), ..Dial::default() })) }
            }
        }
        @if has_errors {
            p.error #form-error role="alert" { (tr(l, "form-has-errors")) }
        }
        @if lead.is_none() && ctx.types.len() > 1 {
            // The type decides the form's own fields: choosing it reloads the form (no script needed).
            form #lead-type-choice .inline-form method="get" action="/leads/new" {
                label for="type" { (tr(l, "lead-type")) }
                select #type name="type" {
                    @for t in &ctx.types { option value=(t.id) selected[t.id == shown.type_id] { (t.name) } }
                }
                button type="submit" { (tr(l, "lead-type-choose")) }
            }
        }
        @if !suggestions.is_empty() {
            section #client-suggestion aria-labelledby="client-suggestion-title" {
                h2 #client-suggestion-title { (tr(l, "lead-suggestion-title")) }
                ul {
                    @for m in suggestions {
                        li {
                            a href=(format!("/clients/{}", m.client_id)) { (m.name) }
                            " "
                            @if let Some(x) = lead {
                                form.inline method="post" action=(format!("/leads/{}/link-client", x.id)) {
                                    input type="hidden" name=(FIELD) value=(s.csrf);
                                    input type="hidden" name="client_id" value=(m.client_id);
                                    button type="submit" { (tr_args(l, "lead-suggestion-link", &[("name", FluentValue::from(m.name.clone()))])) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(x) = lead {
            @if !x.call_ids.is_empty() {
                p #lead-calls {
                    (tr(l, "lead-calls")) ": "
                    @for (i, c) in x.call_ids.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(format!("/calls/{c}")) { (tr_args(l, "lead-call-link", &[("id", FluentValue::from(*c))])) }
                    }
                }
            }
        }
        form #lead-form method="post" action=(action) novalidate {
            input type="hidden" name=(FIELD) value=(s.csrf);
            input type="hidden" name="type_id" value=(shown.type_id);
            @if let Some(t) = lead_type {
                p #lead-type-name { (tr(l, "lead-type")) ": " strong { (t.name) } }
            }
            div.field {
                label for="status_id" { (tr(l, "lead-status")) }
                select #status_id name="status_id" aria-invalid=[described_by(errors, "status_id").map(|_| "true")] aria-describedby=[described_by(errors, "status_id")] {
                    @for st in &ctx.statuses {
                        option value=(st.id) selected[st.id == shown.status_id] { (st.name) }
                    }
                }
                (field_note(errors, "status_id"))
            }
            fieldset {
                legend { (tr(l, "lead-client")) }
                @match (shown.client_id, lead) {
                    (Some(c), _) => {
                        p #lead-linked-client {
                            @if may_see_clients { a href=(format!("/clients/{c}")) { (shown.client_name) } } @else { (shown.client_name) }
                            @if !shown.phone.is_empty() { " · " (shown.phone) }
                        }
                    }
                    _ => {
                        div.field {
                            label for="client_name" { (tr(l, "lead-client-name")) " " span.required { (tr(l, "work-required")) } }
                            input #client_name name="client_name" value=(shown.client_name) required autocomplete="off"
                                aria-invalid=[described_by(errors, "client_name").map(|_| "true")] aria-describedby=[described_by(errors, "client_name")];
                            (field_note(errors, "client_name"))
                        }
                        div.field {
                            label for="phone" { (tr(l, "lead-phone")) }
                            input #phone name="phone" type="tel" value=(shown.phone) autocomplete="off"
                                aria-invalid=[described_by(errors, "phone").map(|_| "true")] aria-describedby=[described_by(errors, "phone")];
                            (field_note(errors, "phone"))
                        }
                        @if may_see_clients {
                            p { a #add-client .button.secondary href="/clients/new" { (tr(l, "lead-add-client")) } }
                        }
                    }
                }
            }
            div.field {
                label for="description" { (tr(l, "lead-description")) }
                textarea #description name="description" rows="3" { (shown.description) }
            }
            div.field {
                label for="manager_id" { (tr(l, "lead-manager")) }
                select #manager_id name="manager_id" aria-invalid=[described_by(errors, "manager_id").map(|_| "true")] aria-describedby=[described_by(errors, "manager_id")] {
                    option value="" { (tr(l, "lead-no-manager")) }
                    @for e in ctx.employees.iter().filter(|e| e.active) {
                        option value=(e.id) selected[shown.manager_id == e.id.to_string()] { (e.name) }
                    }
                }
                (field_note(errors, "manager_id"))
            }
            div.field {
                label for="due_at" { (tr(l, "lead-due")) }
                input #due_at name="due_at" type="datetime-local" value=(shown.due_at)
                    aria-invalid=[described_by(errors, "due_at").map(|_| "true")] aria-describedby=[described_by(errors, "due_at")];
                (field_note(errors, "due_at"))
            }
            @for (field, label, none) in LISTS {
                @let (items, chosen) = if field == "location_id" { (&ctx.locations, &shown.location_id) } else { (&ctx.campaigns, &shown.ad_campaign_id) };
                @if !items.is_empty() {
                    div.field {
                        label for=(field) { (tr(l, label)) }
                        select id=(field) name=(field) aria-invalid=[described_by(errors, field).map(|_| "true")] aria-describedby=[described_by(errors, field)] {
                            option value="" { (tr(l, none)) }
                            @for i in items.iter().filter(|i| i.active || *chosen == i.id.to_string()) {
                                option value=(i.id) selected[*chosen == i.id.to_string()] { (i.name) }
                            }
                        }
                        (field_note(errors, field))
                    }
                }
            }
            div.field.check {
                input #urgent name="urgent" type="checkbox" value="true" checked[shown.urgent];
                label for="urgent" { (tr(l, "lead-urgent")) }
            }
            @if let Some(t) = lead_type {
                @if !t.fields.is_empty() {
                    fieldset #lead-type-fields {
                        legend { (tr(l, "lead-type-fields")) }
                        @for d in &t.fields { (custom_field(l, d, shown.field(&d.key), field_errors)) }
                    }
                }
            }
            button type="submit" { (tr(l, if lead.is_some() { "lead-save" } else { "lead-create" })) }
        }
    })
}

/// Re-renders the form with the errors: 422 (nothing was saved).
fn invalid(markup: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Html(markup.into_string())).into_response()
}

/// An error of the store or the API's reading as the page says it, beside its field.
#[allow(clippy::too_many_arguments)]
async fn explain(
    state: &AppState,
    s: &Signed,
    ctx: &Context,
    lead: Option<&Lead>,
    e: AppError,
    requested_status: Option<i64>,
    errors: &mut Errors,
    field_errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let l = s.locale;
    if e.status != StatusCode::UNPROCESSABLE_ENTITY {
        return Err(e);
    }
    if let Some(key) = e
        .message
        .strip_prefix("fields.")
        .and_then(|r| r.split(": ").next())
    {
        field_errors.push((key.to_owned(), tr(l, "lead-field-invalid")));
        return Ok(());
    }
    match error_field(
        &e,
        &[
            "status_id",
            "client_name",
            "phone",
            "manager_id",
            "due_at",
            "type_id",
            "ad_campaign_id",
            "location_id",
        ],
    ) {
        Some("status_id") => {
            // R-M2: a refused change says which move the transfer rules forbid.
            let text = match (lead, requested_status) {
                (Some(x), Some(to)) => {
                    let rules = state
                        .store
                        .lead_status_transfers(s.caller.company_id)
                        .await?;
                    if transfer_allowed(&rules, x.status_id, to) {
                        tr(l, "lead-status-invalid")
                    } else {
                        tr_args(
                            l,
                            "lead-status-refused",
                            &[
                                (
                                    "from",
                                    FluentValue::from(status_name(&ctx.statuses, x.status_id)),
                                ),
                                ("to", FluentValue::from(status_name(&ctx.statuses, to))),
                            ],
                        )
                    }
                }
                _ => tr(l, "lead-status-invalid"),
            };
            errors.push(("status_id", text));
        }
        Some("client_name") => errors.push(("client_name", tr(l, "lead-client-name-required"))),
        Some("phone") => errors.push(("phone", tr(l, "lead-phone-invalid"))),
        Some("due_at") => errors.push(("due_at", tr(l, "lead-due-invalid"))),
        Some(f) => errors.push((f, tr(l, "lead-value-invalid"))),
        None => return Err(e),
    }
    Ok(())
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(rename = "type")]
    pub type_id: Option<i64>,
}

/// `GET /leads/new`: the form, with the chosen type's own fields (R-M2).
pub async fn new_lead_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let ctx = context(&state, s.caller.company_id).await?;
    let t = q
        .type_id
        .and_then(|id| ctx.types.iter().find(|t| t.id == id))
        .or(ctx.types.first())
        .ok_or_else(|| AppError::not_found("lead type"))?;
    let shown = Shown {
        type_id: t.id,
        status_id: t.initial_status_id,
        client_id: None,
        client_name: String::new(),
        phone: String::new(),
        description: String::new(),
        manager_id: s.caller.employee.id.to_string(),
        due_at: String::new(),
        urgent: false,
        ad_campaign_id: String::new(),
        location_id: String::new(),
        fields: vec![],
    };
    let markup = lead_form(&s, &ctx, None, &shown, &[], &vec![], &[], None);
    Ok(Html(markup.into_string()).into_response())
}

/// The typed values both forms share; errors beside their fields.
struct Typed {
    phone: Option<ringdesk_domain::phone::PhoneNumber>,
    manager_id: Option<i64>,
    due_at: Option<Timestamp>,
    fields: Map<String, Value>,
}

async fn read_typed(
    state: &AppState,
    s: &Signed,
    defs: &[FieldDef],
    f: &Form,
    with_phone: bool,
    errors: &mut Errors,
    field_errors: &mut FieldErrors,
) -> Result<Typed, AppError> {
    let l = s.locale;
    let phone = if with_phone {
        match phone_of(
            state,
            s.caller.company_id,
            "phone",
            f.opt("phone").as_deref(),
        )
        .await
        {
            Ok(p) => p,
            Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
                errors.push(("phone", tr(l, "lead-phone-invalid")));
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let manager_id = match f.opt("manager_id") {
        None => None,
        Some(m) => match m.parse() {
            Ok(m) => Some(m),
            Err(_) => {
                errors.push(("manager_id", tr(l, "lead-value-invalid")));
                None
            }
        },
    };
    let due_at = match f.opt("due_at") {
        None => None,
        Some(d) => match parse_local(&d, &s.tz) {
            Some(t) => Some(t),
            None => {
                errors.push(("due_at", tr(l, "lead-due-invalid")));
                None
            }
        },
    };
    let fields = field_values(l, defs, f, field_errors);
    Ok(Typed {
        phone,
        manager_id,
        due_at,
        fields,
    })
}

/// `POST /leads/new`: creates the lead as `POST /api/v1/leads` does (R-M1);
/// then its page, where R-M5's client suggestion shows.
pub async fn create_lead(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let ctx = context(&state, cid).await?;
    let f = Form::parse(&body);
    let t = f
        .get("type_id")
        .parse::<i64>()
        .ok()
        .and_then(|id| ctx.types.iter().find(|t| t.id == id))
        .or(ctx.types.first())
        .ok_or_else(|| AppError::not_found("lead type"))?;
    let mut errors: Errors = vec![];
    let mut field_errors: FieldErrors = vec![];
    let client_name = f.opt("client_name");
    if client_name.is_none() {
        errors.push(("client_name", tr(l, "lead-client-name-required")));
    }
    let typed = read_typed(
        &state,
        &s,
        &t.fields,
        &f,
        true,
        &mut errors,
        &mut field_errors,
    )
    .await?;
    let status_id = f.get("status_id").parse::<i64>().ok();
    let ad_campaign_id = list_id(&f, "ad_campaign_id", l, &mut errors);
    let location_id = list_id(&f, "location_id", l, &mut errors);
    let shown = Shown::of_form(&f, t.id, t.initial_status_id, None);
    if errors.is_empty() && field_errors.is_empty() {
        let new = NewLead {
            type_id: Some(t.id),
            status_id,
            client_id: None,
            client_name,
            phone: typed.phone,
            description: f.opt("description"),
            manager_id: typed.manager_id,
            creator_id: Some(s.caller.employee.id),
            ad_campaign_id,
            location_id,
            due_at: typed.due_at,
            urgent: f.get("urgent") == "true",
            fields: typed.fields,
        };
        match state.store.create_lead(cid, &new, Timestamp::now()).await {
            Ok(lead) => {
                return Ok(
                    Redirect::to(&format!("/leads/{}/edit?m=created", lead.id)).into_response()
                )
            }
            Err(e) => {
                explain(
                    &state,
                    &s,
                    &ctx,
                    None,
                    AppError::from(e),
                    status_id,
                    &mut errors,
                    &mut field_errors,
                )
                .await?
            }
        }
    }
    Ok(invalid(lead_form(
        &s,
        &ctx,
        None,
        &shown,
        &errors,
        &field_errors,
        &[],
        None,
    )))
}

/// R-M5: the clients on the lead's number, while it has none and the
/// employee may see clients (as `PATCH /api/v1/leads/{id}` offers them).
async fn suggestions(
    state: &AppState,
    s: &Signed,
    lead: &Lead,
) -> Result<Vec<ringdesk_store::LookupMatch>, AppError> {
    if !offers_clients(lead.client_id.is_some(), &s.caller.permissions) {
        return Ok(vec![]);
    }
    match &lead.phone_key {
        Some(k) => Ok(state
            .store
            .lookup(
                s.caller.company_id,
                &ringdesk_domain::phone::PhoneKey::from_stored(k.clone()),
            )
            .await?),
        None => Ok(vec![]),
    }
}

/// `GET /leads/{id}/edit`: the lead's form.
pub async fn edit_lead_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let lead = state.store.lead(s.caller.company_id, id).await?;
    let ctx = context(&state, s.caller.company_id).await?;
    let sugg = suggestions(&state, &s, &lead).await?;
    let shown = Shown::of_lead(&lead, &s.tz);
    let markup = lead_form(
        &s,
        &ctx,
        Some(&lead),
        &shown,
        &[],
        &vec![],
        &sugg,
        q.m.as_deref(),
    );
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /leads/{id}/edit`: the changes as `PATCH /api/v1/leads/{id}`, in one
/// transaction: a status change the transfer rules refuse (R-M2) changes
/// nothing and comes back 422 with the reason beside the status.
pub async fn update_lead(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let lead = state.store.lead(cid, id).await?;
    let ctx = context(&state, cid).await?;
    let f = Form::parse(&body);
    let defs = ctx
        .types
        .iter()
        .find(|t| t.id == lead.type_id)
        .map(|t| t.fields.clone())
        .unwrap_or_default();
    let mut errors: Errors = vec![];
    let mut field_errors: FieldErrors = vec![];
    let free = lead.client_id.is_none();
    let client_name = f.opt("client_name");
    if free && client_name.is_none() {
        errors.push(("client_name", tr(l, "lead-client-name-required")));
    }
    let typed = read_typed(&state, &s, &defs, &f, free, &mut errors, &mut field_errors).await?;
    let status_id = f.get("status_id").parse::<i64>().ok();
    let ad_campaign_id = list_id(&f, "ad_campaign_id", l, &mut errors);
    let location_id = list_id(&f, "location_id", l, &mut errors);
    let mut shown = Shown::of_form(&f, lead.type_id, lead.status_id, lead.client_id);
    if !free {
        shown.client_name = lead.client_name.clone();
        shown.phone = lead.phone.clone().unwrap_or_default();
    }
    if errors.is_empty() && field_errors.is_empty() {
        let patch = LeadPatch {
            status_id,
            client_id: None,
            client_name: if free { client_name } else { None },
            phone: free.then_some(typed.phone),
            description: Some(f.opt("description")),
            manager_id: Some(typed.manager_id),
            ad_campaign_id: Some(ad_campaign_id),
            location_id: Some(location_id),
            due_at: Some(typed.due_at),
            urgent: Some(f.get("urgent") == "true"),
            fields: Some(typed.fields),
        };
        match state
            .store
            .update_lead(cid, id, &patch, Timestamp::now())
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/leads/{id}/edit?m=saved")).into_response()),
            Err(StoreError::NotFound(w)) => return Err(StoreError::NotFound(w).into()),
            Err(e) => {
                explain(
                    &state,
                    &s,
                    &ctx,
                    Some(&lead),
                    AppError::from(e),
                    status_id,
                    &mut errors,
                    &mut field_errors,
                )
                .await?
            }
        }
    }
    let sugg = suggestions(&state, &s, &lead).await?;
    Ok(invalid(lead_form(
        &s,
        &ctx,
        Some(&lead),
        &shown,
        &errors,
        &field_errors,
        &sugg,
        None,
    )))
}

/// `POST /leads/{id}/link-client`: takes R-M5's offer: the client is linked
/// (its profile replaces the free name and phone), as `PATCH /api/v1/leads/{id}`
/// with `client_id` does.
pub async fn link_client(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let cid = s.caller.company_id;
    state.store.lead(cid, id).await?;
    let Some(client_id) = Form::parse(&body).get("client_id").parse::<i64>().ok() else {
        return Err(AppError::invalid("client_id", "not a client"));
    };
    let patch = LeadPatch {
        client_id: Some(Some(client_id)),
        ..Default::default()
    };
    state
        .store
        .update_lead(cid, id, &patch, Timestamp::now())
        .await?;
    Ok(Redirect::to(&format!("/leads/{id}/edit?m=linked")).into_response())
}

/// `GET /leads/{id}`: a lead's page is its form; links elsewhere (home, notices,
/// a client's page) name the lead, and land there. Another company's lead is 404.
pub async fn lead_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.lead(s.caller.company_id, id).await?;
    Ok(Redirect::to(&format!("/leads/{id}/edit")).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other("/leads", &["GET"], get(leads_page))
        .other("/leads/{id}", &["GET"], get(lead_page))
        .other(
            "/leads/new",
            &["GET", "POST"],
            get(new_lead_page).post(create_lead),
        )
        .other(
            "/leads/{id}/edit",
            &["GET", "POST"],
            get(edit_lead_page).post(update_lead),
        )
        .other("/leads/{id}/link-client", &["POST"], post(link_client))
}

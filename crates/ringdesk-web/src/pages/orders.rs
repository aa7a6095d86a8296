//! Work orders (SPEC §6; R-M6): the list, a new order, an order's page with
//! its status change and R-M6's offer: an open lead on the order's number or
//! of its client, to link (the lead then moves to `order_successful`).

use super::leads::{error_field, flash, Form};
use super::*;
use crate::api::work::phone_of;
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::body::Bytes;
use axum::extract::State;
use fluent_bundle::FluentValue;
use ringdesk_domain::company::Permission;
use ringdesk_store::{Lead, LeadFilter, NewWorkOrder, Status, WorkOrder};

/// Orders per page of the list; older ones are a link away (`?before_id=`).
const PAGE: i64 = 50;

fn status_name(statuses: &[Status], id: i64) -> String {
    statuses
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

#[derive(Debug, Default, Deserialize)]
pub struct OrdersQuery {
    #[serde(default)]
    pub client_id: Option<i64>,
    /// Keyset paging, as the API's: orders older than this one.
    pub before_id: Option<i64>,
    pub m: Option<String>,
}

impl OrdersQuery {
    /// This list from `before_id` on (none: the newest), with its client filter.
    fn href(&self, before_id: Option<i64>) -> String {
        let mut q = vec![];
        if let Some(c) = self.client_id {
            q.push(format!("client_id={c}"));
        }
        if let Some(b) = before_id {
            q.push(format!("before_id={b}"));
        }
        if q.is_empty() {
            "/orders".to_owned()
        } else {
            format!("/orders?{}", q.join("&"))
        }
    }
}

/// `GET /orders`: the company's work orders, newest first, as `GET /api/v1/orders`
/// (optionally one client's).
pub async fn orders_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<OrdersQuery>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let mut orders = state
        .store
        .orders(cid, q.client_id, q.before_id, PAGE + 1)
        .await?;
    let more = orders.len() as i64 > PAGE;
    orders.truncate(PAGE as usize);
    let statuses = state.store.order_statuses(cid).await?;
    let may_see_clients = s.caller.may(Permission::ViewClients);
    let title = tr(l, "orders-title");
    let markup = s.page(&title, "/orders", html! {
        div.page-head {
            h1 { (title) }
            a.button #new-order href="/orders/new" { (tr(l, "order-new")) }
        }
        (flash(l, q.m.as_deref(), &[]))
        @if orders.is_empty() {
            p #no-orders { (tr(l, "orders-empty")) }
        } @else {
            (list_table(l, "orders", &title, &["order-number", "order-client", "order-status", "order-lead", "order-created"], html! {
                        @for o in &orders {
                            tr id=(format!("order-{}", o.id)) {
                                td { a href=(format!("/orders/{}", o.id)) { (o.number) } }
                                td {
                                    @if let (Some(c), true) = (o.client_id, may_see_clients) { a href=(format!("/clients/{c}")) { (tr(l, "order-client-link")) } br; }
                                    @if let Some(p) = &o.phone { span.phone { (p) } }
                                }
                                td { (status_name(&statuses, o.status_id)) }
                                td { @if let Some(lead) = o.lead_id { a href=(format!("/leads/{lead}/edit")) { (tr(l, "order-lead-link")) } } }
                                td { time datetime=(o.created_at.to_string()) { (local_time(o.created_at, &s.tz)) } }
                            }
                        }
            }))
        }
        nav.pager aria-label=(tr(l, "orders-pages")) {
            @if q.before_id.is_some() { a #newest href=(q.href(None)) { (tr(l, "orders-newest")) } " " }
            @if more { @if let Some(last) = orders.last() { a #older rel="next" href=(q.href(Some(last.id))) { (tr(l, "orders-older")) } } }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

fn new_form(
    s: &Signed,
    statuses: &[Status],
    phone: &str,
    status_id: Option<i64>,
    client_id: Option<i64>,
    errors: &[(&str, String)],
) -> Markup {
    let l = s.locale;
    let title = tr(l, "order-new-title");
    s.page(&title, "/orders/new", html! {
        p.back { a href="/orders" { (tr(l, "orders-back")) } }
        h1 { (title) }
        @if !errors.is_empty() { p.error #form-error role="alert" { (tr(l, "form-has-errors")) } }
        form #order-form method="post" action="/orders/new" novalidate {
            input type="hidden" name=(FIELD) value=(s.csrf);
            @if let Some(c) = client_id { input type="hidden" name="client_id" value=(c); }
            label for="phone" { (tr(l, "lead-phone")) }
            input #phone name="phone" type="tel" value=(phone) autocomplete="off"
                aria-invalid=[described_by(errors, "phone").map(|_| "true")] aria-describedby=[described_by(errors, "phone")];
            (field_note(errors, "phone"))
            label for="status_id" { (tr(l, "order-status")) }
            select #status_id name="status_id" aria-describedby=[described_by(errors, "status_id")] {
                @for st in statuses { option value=(st.id) selected[Some(st.id) == status_id] { (st.name) } }
            }
            (field_note(errors, "status_id"))
            @if described_by(errors, "client_id").is_some() { (field_note(errors, "client_id")) }
            button type="submit" { (tr(l, "order-create")) }
        }
    })
}

/// `GET /orders/new`: a new work order (`?client_id=` from a client's page).
pub async fn new_order_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<OrdersQuery>,
) -> Result<Response, AppError> {
    let statuses = state.store.order_statuses(s.caller.company_id).await?;
    let first_new = statuses.iter().find(|st| st.group == "new").map(|st| st.id);
    Ok(
        Html(new_form(&s, &statuses, "", first_new, q.client_id, &[]).into_string())
            .into_response(),
    )
}

/// `POST /orders/new`: as `POST /api/v1/orders`; then the order's page, where
/// R-M6's offer shows.
pub async fn create_order(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let f = Form::parse(&body);
    let statuses = state.store.order_statuses(cid).await?;
    let status_id = f.get("status_id").parse::<i64>().ok();
    let client_id = f.get("client_id").parse::<i64>().ok();
    let mut errors: Vec<(&str, String)> = vec![];
    let phone = match phone_of(&state, cid, "phone", f.opt("phone").as_deref()).await {
        Ok(p) => p,
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            errors.push(("phone", tr(l, "lead-phone-invalid")));
            None
        }
        Err(e) => return Err(e),
    };
    if errors.is_empty() {
        let new = NewWorkOrder {
            client_id,
            phone,
            status_id,
            creator_id: Some(s.caller.employee.id),
            quote_id: None,
            description: None,
        };
        match state.store.create_order(cid, &new, Timestamp::now()).await {
            Ok(o) => {
                return Ok(Redirect::to(&format!("/orders/{}?m=created", o.id)).into_response())
            }
            Err(e) => {
                let e = AppError::from(e);
                match error_field(&e, &["status_id", "client_id", "phone"]) {
                    Some(field) => errors.push((field, tr(l, "lead-value-invalid"))),
                    None => return Err(e),
                }
            }
        }
    }
    let markup = new_form(&s, &statuses, f.get("phone"), status_id, client_id, &errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(markup.into_string())).into_response())
}

/// R-M6: the open leads to offer for linking: those on the order's number
/// (as `POST /api/v1/orders` suggests) and those of its client.
async fn offered_leads(state: &AppState, cid: i64, o: &WorkOrder) -> Result<Vec<Lead>, AppError> {
    if o.lead_id.is_some() {
        return Ok(vec![]);
    }
    let mut out: Vec<Lead> = vec![];
    if let Ok(Some(p)) = phone_of(state, cid, "phone", o.phone.as_deref()).await {
        out.extend(state.store.open_leads_on(cid, &p.key).await?);
    }
    if let Some(client) = o.client_id {
        let filter = LeadFilter {
            client_id: Some(client),
            limit: 200,
            ..LeadFilter::default()
        };
        for lead in state.store.leads(cid, &filter).await? {
            if lead.open && !out.iter().any(|x| x.id == lead.id) {
                out.push(lead);
            }
        }
    }
    Ok(out)
}

fn order_markup(
    s: &Signed,
    o: &WorkOrder,
    statuses: &[Status],
    offered: &[Lead],
    linked: Option<&Lead>,
    errors: &[(&str, String)],
    m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let may_see_clients = s.caller.may(Permission::ViewClients);
    let title = tr_args(
        l,
        "order-title",
        &[("number", FluentValue::from(o.number.clone()))],
    );
    s.page(&title, "/orders", html! {
        p.back { a href="/orders" { (tr(l, "orders-back")) } }
        h1 { (title) }
        (flash(l, m, &[("created", "order-created-flash"), ("saved", "order-saved-flash"), ("linked", "order-linked-flash")]))
        dl.facts #order-facts {
            dt { (tr(l, "order-client")) } dd {
                @match (o.client_id, may_see_clients) {
                    (Some(c), true) => { a href=(format!("/clients/{c}")) { (tr(l, "order-client-link")) } }
                    (Some(_), false) => { (tr(l, "call-client-hidden")) }
                    _ => { "—" }
                }
            }
            dt { (tr(l, "lead-phone")) } dd.phone { (o.phone.as_deref().unwrap_or("—")) }
            dt { (tr(l, "order-lead")) } dd #order-lead {
                @match linked {
                    Some(lead) => { a href=(format!("/leads/{}/edit", lead.id)) { (lead.number) " · " (lead.client_name) } }
                    None => { "—" }
                }
            }
            dt { (tr(l, "order-created")) } dd { time datetime=(o.created_at.to_string()) { (local_time(o.created_at, &s.tz)) } }
            @if let Some(q) = o.quote_id {
                dt { (tr(l, "order-quote")) } dd { a #order-quote href=(format!("/quotes/{q}")) { (tr(l, "order-quote-link")) } }
            }
            @if let Some(d) = &o.description {
                dt { (tr(l, "order-description")) } dd #order-description .pre-line { (d) }
            }
        }
        form #order-status-form method="post" action=(format!("/orders/{}/status", o.id)) {
            input type="hidden" name=(FIELD) value=(s.csrf);
            label for="status_id" { (tr(l, "order-status")) }
            select #status_id name="status_id" aria-invalid=[described_by(errors, "status_id").map(|_| "true")] aria-describedby=[described_by(errors, "status_id")] {
                @for st in statuses { option value=(st.id) selected[st.id == o.status_id] { (st.name) } }
            }
            (field_note(errors, "status_id"))
            button type="submit" { (tr(l, "order-status-change")) }
        }
        @if !offered.is_empty() {
            section #lead-suggestion aria-labelledby="lead-suggestion-title" {
                h2 #lead-suggestion-title { (tr(l, "order-suggestion-title")) }
                p { (tr(l, "order-suggestion-hint")) }
                ul {
                    @for lead in offered {
                        li id=(format!("offer-{}", lead.id)) {
                            a href=(format!("/leads/{}/edit", lead.id)) { (lead.number) " · " (lead.client_name) }
                            " "
                            form.inline method="post" action=(format!("/orders/{}/link-lead", o.id)) {
                                input type="hidden" name=(FIELD) value=(s.csrf);
                                input type="hidden" name="lead_id" value=(lead.id);
                                button type="submit" { (tr_args(l, "order-suggestion-link", &[("number", FluentValue::from(lead.number.clone()))])) }
                            }
                        }
                    }
                }
            }
        }
    })
}

async fn show(
    state: &AppState,
    s: &Signed,
    o: &WorkOrder,
    errors: &[(&str, String)],
    m: Option<&str>,
) -> Result<Markup, AppError> {
    let cid = s.caller.company_id;
    let statuses = state.store.order_statuses(cid).await?;
    let offered = offered_leads(state, cid, o).await?;
    let linked = match o.lead_id {
        Some(id) => state.store.lead(cid, id).await.ok(),
        None => None,
    };
    Ok(order_markup(
        s,
        o,
        &statuses,
        &offered,
        linked.as_ref(),
        errors,
        m,
    ))
}

/// `GET /orders/{id}`: the order, its status change and R-M6's offer.
pub async fn order_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let o = state.store.order(s.caller.company_id, id).await?;
    Ok(Html(
        show(&state, &s, &o, &[], q.m.as_deref())
            .await?
            .into_string(),
    )
    .into_response())
}

/// `POST /orders/{id}/status`: as `PATCH /api/v1/orders/{id}`; a status the
/// store refuses is said beside the field (422, nothing changed).
pub async fn set_status(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let o = state.store.order(cid, id).await?;
    let f = Form::parse(&body);
    let result = match f.get("status_id").parse::<i64>() {
        Ok(st) => state
            .store
            .set_order_status(cid, id, st, Timestamp::now())
            .await
            .map_err(AppError::from),
        Err(_) => Err(AppError::invalid("status_id", "not a status")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/orders/{id}?m=saved")).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let errors = [("status_id", tr(l, "lead-status-invalid"))];
            let markup = show(&state, &s, &o, &errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(markup.into_string())).into_response())
        }
        Err(e) => Err(e),
    }
}

/// `POST /orders/{id}/link-lead`: takes R-M6's offer, as
/// `POST /api/v1/orders/{id}/link-lead`.
pub async fn link_lead(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let cid = s.caller.company_id;
    state.store.order(cid, id).await?;
    let Ok(lead_id) = Form::parse(&body).get("lead_id").parse::<i64>() else {
        return Err(AppError::invalid("lead_id", "not a lead"));
    };
    state
        .store
        .link_order_lead(cid, id, lead_id, Timestamp::now())
        .await?;
    Ok(Redirect::to(&format!("/orders/{id}?m=linked")).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other("/orders", &["GET"], get(orders_page))
        .other(
            "/orders/new",
            &["GET", "POST"],
            get(new_order_page).post(create_order),
        )
        .other("/orders/{id}", &["GET"], get(order_page))
        .other("/orders/{id}/status", &["POST"], post(set_status))
        .other("/orders/{id}/link-lead", &["POST"], post(link_lead))
}

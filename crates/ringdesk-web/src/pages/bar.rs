//! The live call bar (R-U1, R-U7) and the live notices: server-rendered
//! fragments that `assets/bar.js` fetches when the stream (`GET
//! /api/v1/live`, R-X7) says a call, lead, task or notification changed, so
//! every text stays in the page's language on the server. Also R-C6's *Edit
//! contact* chooser, a page that works without JavaScript.

use super::*;
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_domain::access::{on_call_bar, CallVisibility};
use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::company::Permission;
use ringdesk_domain::phone::PhoneKey;
use ringdesk_domain::work::OrderStatusGroup;
use ringdesk_store::{Call, CallFilter, Client, StoreError};

/// The number the call came from (inbound) or went to (outbound), as received.
pub(super) fn raw_number(c: &Call) -> &str {
    if c.direction == Direction::Inbound {
        &c.from
    } else {
        &c.to
    }
}

fn state_text_id(state: CallState) -> &'static str {
    match state {
        CallState::Queued => "bar-state-queued",
        CallState::Ringing => "bar-state-ringing",
        CallState::Answered => "bar-state-answered",
        _ => "bar-state-ended",
    }
}

/// Whether the call belongs on this employee's bar now (R-U1).
fn is_mine(s: &Signed, c: &Call) -> bool {
    on_call_bar(
        s.caller.employee.id,
        &s.caller.permissions,
        c.direction,
        c.state,
        c.operator_id,
    )
}

/// The calls on this employee's bar now, oldest first (R-U1), the same
/// decision as each fragment's.
pub(super) async fn active_calls(state: &AppState, s: &Signed) -> Result<Vec<Call>, AppError> {
    let mut out = Vec::new();
    for st in [CallState::Queued, CallState::Ringing, CallState::Answered] {
        let filter = CallFilter {
            state: Some(st),
            visible_to_operator: CallVisibility::of(s.caller.employee.id, &s.caller.permissions)
                .only_operator(),
            limit: 20,
            ..CallFilter::default()
        };
        let calls = state.store.calls(s.caller.company_id, &filter).await?;
        out.extend(calls.into_iter().filter(|c| is_mine(s, c)));
    }
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// One call's bar: the client's name (the raw number as its title, R-U7),
/// the client's open work order or lead, the state with its indicator, and
/// the actions.
async fn call_item(state: &AppState, s: &Signed, c: &Call) -> Result<Markup, AppError> {
    let l = s.locale;
    let company = s.caller.company_id;
    let raw = raw_number(c);
    let may_clients = s.caller.may(Permission::ViewClients);
    let client: Option<Client> = match c.client_id {
        Some(id) if may_clients => match state.store.client(company, id).await {
            Ok(cl) => Some(cl),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        },
        _ => None,
    };
    // What the caller is probably calling about: the client's newest open
    // work order (is the repair ready?), else an open lead on the number.
    let mut work: Option<(String, String, String)> = None;
    if let Some(cl) = &client {
        let statuses = state.store.order_statuses(company).await?;
        for o in state.store.orders(company, Some(cl.id), None, 20).await? {
            if let Some(st) = statuses.iter().find(|st| st.id == o.status_id) {
                if OrderStatusGroup::parse(&st.group).is_some_and(|g| g.is_open()) {
                    work = Some((
                        tr_args(l, "bar-order", &[("number", o.number.clone().into())]),
                        st.name.clone(),
                        format!("/orders/{}", o.id),
                    ));
                    break;
                }
            }
        }
    }
    if work.is_none() {
        if let Some(key) = &c.customer_key {
            let leads = state
                .store
                .open_leads_on(company, &PhoneKey::from_stored(key.clone()))
                .await?;
            if let Some(lead) = leads.first() {
                let statuses = state.store.lead_statuses(company).await?;
                let name = statuses
                    .iter()
                    .find(|st| st.id == lead.status_id)
                    .map(|st| st.name.clone())
                    .unwrap_or_default();
                work = Some((
                    tr_args(l, "bar-lead", &[("number", lead.number.clone().into())]),
                    name,
                    format!("/leads/{}", lead.id),
                ));
            }
        }
    }
    let name = client.as_ref().map_or(raw, |cl| cl.name.as_str());
    let id = c.id;
    let label = tr_args(l, "bar-call-label", &[("name", name.to_owned().into())]);
    let hint_id = format!("call-{id}-dismiss-hint");
    Ok(html! {
        section.call-item id=(format!("call-{id}")) data-call=(id) data-state=(c.state.as_str()) aria-label=(label) {
            span.call-indicator data-state=(c.state.as_str()) aria-hidden="true" {}
            span.call-state { (tr(l, state_text_id(c.state))) }
            strong.call-client title=(raw) { (name) }
            @if let Some((what, status, href)) = &work {
                span.call-work { a href=(href) { (what) } ": " span.call-work-status { (status) } }
            }
            span.call-actions {
                @if let Some(cl) = &client {
                    a.call-view-client href=(format!("/clients/{}", cl.id)) { (tr(l, "bar-view-client")) }
                }
                @if may_clients {
                    a.call-edit-contact href=(format!("/calls/{id}/contact")) { (tr(l, "bar-edit-contact")) }
                }
                button.call-dismiss type="button" aria-describedby=(hint_id) { (tr(l, "bar-dismiss")) }
                span.call-dismiss-hint id=(hint_id) { (tr(l, "bar-dismiss-hint")) }
                span.call-dismiss-again hidden { (tr(l, "bar-dismiss-again")) }
            }
        }
    })
}

fn fragment(markup: Markup) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(markup.into_string()),
    )
        .into_response()
}

/// `GET /call-bar`: every call on this employee's bar now, for a page opened mid-call.
pub async fn call_bar(State(state): State<AppState>, s: Signed) -> Result<Response, AppError> {
    let calls = active_calls(&state, &s).await?;
    let mut items = Vec::new();
    for c in &calls {
        items.push(call_item(&state, &s, c).await?);
    }
    Ok(fragment(html! { @for i in items { (i) } }))
}

/// `GET /call-bar/{id}`: one call's bar, or 404 when it is not (or no longer) on this employee's bar.
pub async fn call_bar_one(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let c = state.store.call(s.caller.company_id, id).await?;
    if !is_mine(&s, &c) {
        return Err(AppError::not_found("call"));
    }
    Ok(fragment(call_item(&state, &s, &c).await?))
}

/// `GET /live-notice/{kind}/{id}`: a short notice of a new or changed lead, a
/// task, or one of my notifications, with a link; 404 when there is nothing
/// for me.
pub async fn live_notice(
    State(state): State<AppState>,
    s: Signed,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let company = s.caller.company_id;
    let (text, href) = match kind.as_str() {
        "lead" => {
            let lead = state.store.lead(company, id).await?;
            (
                tr_args(
                    l,
                    "notice-lead",
                    &[
                        ("number", lead.number.clone().into()),
                        ("name", lead.client_name.clone().into()),
                    ],
                ),
                format!("/leads/{id}"),
            )
        }
        "task" => {
            let task = state.store.task(company, id).await?;
            if !task.assignee_ids.contains(&s.caller.employee.id) {
                return Err(AppError::not_found("task"));
            }
            (
                tr_args(l, "notice-task", &[("title", task.title.clone().into())]),
                "/tasks".to_owned(),
            )
        }
        "notification" => {
            let n = state.store.notification(company, id).await?;
            if n.employee_id != s.caller.employee.id {
                return Err(AppError::not_found("notification"));
            }
            let href = n.lead_id.map_or_else(
                || "/notifications".to_owned(),
                |lead| format!("/leads/{lead}"),
            );
            (
                tr_args(l, "notice-notification", &[("title", n.title.into())]),
                href,
            )
        }
        _ => return Err(AppError::not_found("notice")),
    };
    Ok(fragment(html! {
        li.live-notice data-kind=(kind) data-id=(id) {
            a href=(href) { (text) }
            " "
            button.notice-close type="button" { (tr(l, "notice-close")) }
        }
    }))
}

// ----- Edit contact (R-C6) ---------------------------------------------------------------------

#[derive(Deserialize)]
pub struct ContactQuery {
    pub q: Option<String>,
}

/// The clients to choose from: those on the call's number, and those the search finds.
async fn candidates(
    state: &AppState,
    s: &Signed,
    c: &Call,
    q: Option<&str>,
) -> Result<(Vec<(i64, String)>, Vec<Client>), AppError> {
    let company = s.caller.company_id;
    let on_number = match &c.customer_key {
        Some(key) => state
            .store
            .lookup(company, &PhoneKey::from_stored(key.clone()))
            .await?
            .into_iter()
            .map(|m| (m.client_id, m.name))
            .collect(),
        None => vec![],
    };
    let found = match q.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => super::clients::search(state, company, q).await?,
        None => vec![],
    };
    Ok((on_number, found))
}

async fn visible_call(state: &AppState, s: &Signed, id: i64) -> Result<Call, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let c = state.store.call(s.caller.company_id, id).await?;
    if !CallVisibility::of(s.caller.employee.id, &s.caller.permissions).may_see(c.operator_id) {
        return Err(AppError::not_found("call"));
    }
    Ok(c)
}

/// `GET /calls/{id}/contact`: R-C6's chooser: the clients matching the call's
/// number, a search, and a radio choice that re-links the call.
pub async fn contact_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<ContactQuery>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let c = visible_call(&state, &s, id).await?;
    let (on_number, found) = candidates(&state, &s, &c, q.q.as_deref()).await?;
    let title = tr(l, "contact-title");
    let path = format!("/calls/{id}/contact");
    let mut choices: Vec<(i64, String)> = on_number.clone();
    for f in &found {
        if !choices.iter().any(|(cid, _)| *cid == f.id) {
            choices.push((f.id, f.name.clone()));
        }
    }
    let markup = s.page(&title, &path, html! {
        h1 { (title) }
        p { (tr(l, "contact-number")) " " strong #contact-number { (raw_number(&c)) } }
        form #contact-search method="get" action=(path) role="search" {
            label for="q" { (tr(l, "contact-search")) }
            input #q type="search" name="q" value=(q.q.clone().unwrap_or_default());
            button type="submit" { (tr(l, "contact-search-button")) }
        }
        @if choices.is_empty() {
            p #no-candidates { (tr(l, "contact-none")) }
        } @else {
            form #contact-choose method="post" action=(path) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                fieldset {
                    legend { (tr(l, "contact-choose")) }
                    @for (cid, name) in &choices {
                        @let input_id = format!("client-{cid}");
                        div.choice {
                            input type="radio" name="client_id" id=(input_id) value=(cid) checked[c.client_id == Some(*cid)];
                            label for=(input_id) {
                                (name)
                                @if on_number.iter().any(|(o, _)| o == cid) { " " span.tag { (tr(l, "contact-on-number")) } }
                            }
                        }
                    }
                }
                button type="submit" { (tr(l, "contact-save")) }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

#[derive(Deserialize)]
pub struct ContactForm {
    pub client_id: Option<i64>,
}

/// `POST /calls/{id}/contact`: re-links the call (R-C6) and opens the client.
pub async fn contact_save(
    State(state): State<AppState>,
    s: Signed,
    ClientAddress(address): ClientAddress,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    visible_call(&state, &s, id).await?;
    let f: ContactForm =
        serde_urlencoded::from_bytes(&body).unwrap_or(ContactForm { client_id: None });
    let Some(client_id) = f.client_id else {
        return Ok(Redirect::to(&format!("/calls/{id}/contact")).into_response());
    };
    let mut actor = s.caller.actor();
    if actor.address.is_none() {
        actor.address = address;
    }
    state
        .store
        .relink_call(s.caller.company_id, id, client_id, &actor, Timestamp::now())
        .await?;
    Ok(Redirect::to(&format!("/clients/{client_id}?m=relinked")).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other("/call-bar", &["GET"], get(call_bar))
        .other("/call-bar/{id}", &["GET"], get(call_bar_one))
        .other("/live-notice/{kind}/{id}", &["GET"], get(live_notice))
        .other(
            "/calls/{id}/contact",
            &["GET", "POST"],
            get(contact_page).post(contact_save),
        )
}

//! Calls (SPEC §3; R-C5, R-X5, R-A1…R-A5): the list with the filters of
//! `GET /api/v1/calls`, paged; a call's page with the timeline of its events,
//! its client, and the automation record: for each rule what it made, or why
//! it did not act, in the page's language.

use super::click_to_call::{call_button, Dial};
use super::leads::flash;
use super::*;
use crate::api::calls::{call_filter, CallQuery};
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::extract::State;
use fluent_bundle::FluentValue;
use ringdesk_domain::access::CallVisibility;
use ringdesk_domain::automation::{Outcome, Rule};
use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::company::Permission;
use ringdesk_store::{Call, Employee};

/// Calls shown per page.
const PAGE: i64 = 50;

/// The list's filter form: `GET /api/v1/calls`' fields as a plain GET form
/// sends them (empty when not chosen); dates are the company's days.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
pub struct CallsPageQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub direction: String,
    #[serde(default)]
    pub missed: String,
    #[serde(default)]
    pub recovered: String,
    #[serde(default)]
    pub operator_id: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub external_id: String,
    #[serde(default)]
    pub before_id: String,
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl CallsPageQuery {
    /// The API's query; what the form sends that it cannot read is the API's 422.
    fn api_query(&self, tz: &TimeZone) -> Result<CallQuery, AppError> {
        let bool_of = |field: &str, v: &str| match v {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(AppError::invalid(
                field,
                format!("{v:?} is not true or false"),
            )),
        };
        let int = |field: &str, v: &str| -> Result<Option<i64>, AppError> {
            none_if_empty(v)
                .map(|v| {
                    v.parse::<i64>()
                        .map_err(|_| AppError::invalid(field, format!("{v:?} is not a number")))
                })
                .transpose()
        };
        let day = |field: &str, v: &str, next: bool| -> Result<Option<String>, AppError> {
            let Some(v) = none_if_empty(v) else {
                return Ok(None);
            };
            let bad = || AppError::invalid(field, format!("{v:?} is not a date"));
            let d: jiff::civil::Date = v.parse().map_err(|_| bad())?;
            let d = if next {
                d.tomorrow().map_err(|_| bad())?
            } else {
                d
            };
            Ok(Some(
                d.to_zoned(tz.clone())
                    .map_err(|_| bad())?
                    .timestamp()
                    .to_string(),
            ))
        };
        Ok(CallQuery {
            state: none_if_empty(&self.state),
            direction: none_if_empty(&self.direction),
            missed: bool_of("missed", &self.missed)?,
            recovered: bool_of("recovered", &self.recovered)?,
            operator_id: int("operator_id", &self.operator_id)?,
            client_id: int("client_id", &self.client_id)?,
            from: day("from", &self.from, false)?,
            to: day("to", &self.to, true)?,
            external_id: none_if_empty(&self.external_id),
            before_id: int("before_id", &self.before_id)?,
            limit: Some(PAGE + 1),
        })
    }

    fn before(&self, before_id: Option<i64>) -> String {
        let q = CallsPageQuery {
            before_id: before_id.map(|b| b.to_string()).unwrap_or_default(),
            ..self.clone()
        };
        format!(
            "/calls?{}",
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    }
}

pub(super) fn state_text(l: Locale, s: CallState) -> String {
    tr(l, &format!("call-state-{}", s.as_str().replace('_', "-")))
}

pub(super) fn direction_text(l: Locale, d: Direction) -> String {
    tr(
        l,
        &format!("call-direction-{}", d.as_str().replace('_', "-")),
    )
}

fn employee_name(employees: &[Employee], id: Option<i64>) -> Option<String> {
    id.and_then(|id| employees.iter().find(|e| e.id == id))
        .map(|e| e.name.clone())
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

fn duration(secs: Option<i64>) -> String {
    match secs {
        Some(s) => format!("{}:{:02}", s / 60, s % 60),
        None => "—".to_owned(),
    }
}

/// `GET /calls`: the calls the employee may see (R-C5: without
/// `view_all_calls`, those routed to them), by `GET /api/v1/calls`' filters, newest first.
pub async fn calls_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<CallsPageQuery>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let employees = state.store.employees(cid).await?;
    let filter = q.api_query(&s.tz).and_then(|aq| call_filter(aq, &s.caller));
    let period = filter.as_ref().ok().map(|f| (f.from, f.to));
    let (calls, error): (Vec<Call>, Option<AppError>) = match filter {
        Ok(f) => (state.store.calls(cid, &f).await?, None),
        Err(e) => (vec![], Some(e)),
    };
    let more = calls.len() as i64 > PAGE;
    let shown: Vec<&Call> = calls.iter().take(PAGE as usize).collect();
    let may_see_clients = s.caller.may(Permission::ViewClients);
    // R-I3: the AMI connection's gaps that overlap the listed period.
    let gaps = match period {
        Some((from, to)) => {
            let from = from.or(shown.last().map(|c| c.first_seen_at));
            state.store.ami_gaps(cid, from, to).await?
        }
        None => Vec::new(),
    };
    let sees_all = s.caller.may(Permission::ViewAllCalls);
    let title = tr(l, "calls-title");
    let states: Vec<(String, String)> = CallState::ALL
        .iter()
        .map(|st| (st.as_str().to_owned(), state_text(l, *st)))
        .collect();
    let directions: Vec<(String, String)> = Direction::ALL
        .iter()
        .map(|d| (d.as_str().to_owned(), direction_text(l, *d)))
        .collect();
    let yes_no = vec![
        ("true".to_owned(), tr(l, "leads-yes")),
        ("false".to_owned(), tr(l, "leads-no")),
    ];
    let operators: Vec<(String, String)> = employees
        .iter()
        .map(|e| (e.id.to_string(), e.name.clone()))
        .collect();
    let markup = s.page(&title, "/calls", html! {
        h1 { (title) }
        @if !sees_all { p #calls-scope { (tr(l, "calls-only-mine")) } }
        form #call-filters .filters method="get" action="/calls" role="search" aria-label=(tr(l, "calls-filters")) {
            (select(l, "state", &tr(l, "call-state"), &q.state, &states))
            (select(l, "direction", &tr(l, "call-direction"), &q.direction, &directions))
            (select(l, "missed", &tr(l, "calls-missed"), &q.missed, &yes_no))
            (select(l, "recovered", &tr(l, "calls-recovered"), &q.recovered, &yes_no))
            @if sees_all { (select(l, "operator_id", &tr(l, "call-operator"), &q.operator_id, &operators)) }
            (date_filter(l, "from", "calls-from", &q.from))
            (date_filter(l, "to", "calls-to", &q.to))
            div.filter {
                label for="external_id" { (tr(l, "call-external-id")) }
                input #external_id type="search" name="external_id" value=(q.external_id);
            }
            @if !q.client_id.is_empty() { input type="hidden" name="client_id" value=(q.client_id); }
            (filter_actions(l, "/calls"))
        }
        (filter_error(l, error.as_ref()))
        @for g in gaps.iter().take(5) {
            p.notice.ami-gap { (tr_args(l, "calls-ami-gap", &[("from", FluentValue::from(local_time(g.from, &s.tz))), ("to", FluentValue::from(local_time(g.to, &s.tz)))])) }
        }
        @if shown.is_empty() {
            p #no-calls { (tr(l, "calls-empty")) }
        } @else {
            (list_table(l, "calls", &title, &["call-started", "call-direction", "call-number", "call-client", "call-state", "call-operator", "call-talk"], html! {
                        @for c in &shown {
                            @let number = if c.direction.is_outbound() { &c.to } else { &c.from };
                            tr id=(format!("call-{}", c.id)) {
                                td { a href=(format!("/calls/{}", c.id)) { time datetime=(c.first_seen_at.to_string()) { (local_time(c.first_seen_at, &s.tz)) } } }
                                td { (direction_text(l, c.direction)) }
                                td.phone {
                                    @if number.is_empty() { (tr(l, "call-withheld")) } @else { (number) }
                                    @if c.missed && !c.recovered { " " (call_button(&s, &Dial { number, client_id: c.client_id, call_id: Some(c.id), ..Dial::default() })) }
                                }
                                td {
                                    @match (c.client_id, may_see_clients) {
                                        (Some(id), true) => { a href=(format!("/clients/{id}")) { (tr(l, "call-client-link")) } }
                                        _ => {}
                                    }
                                }
                                td {
                                    (state_text(l, c.state))
                                    @if c.missed { " " span.badge.missed { (tr(l, "call-badge-missed")) } }
                                    @if c.recovered { " " span.badge.recovered { (tr(l, "call-badge-recovered")) } }
                                    (recovery_note(l, c))
                                }
                                td { (employee_name(&employees, c.operator_id).unwrap_or_default()) }
                                td { (duration(c.talk_seconds)) }
                            }
                        }
            }))
            nav.pager aria-label=(tr(l, "work-pager-label")) {
                @if !q.before_id.is_empty() { a href=(q.before(None)) { (tr(l, "calls-newest")) } }
                @if more { @if let Some(last) = shown.last() { a rel="next" href=(q.before(Some(last.id))) { (tr(l, "calls-older")) } } }
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

/// How long a missed call waited for its callback (R-C7), and whether that
/// broke the callback SLA (issue 13 item 4).
fn recovery_note(l: Locale, c: &Call) -> Markup {
    html! {
        @if let (true, Some(secs)) = (c.recovered, c.recovery_seconds) {
            " " span.recovery { (tr_args(l, "call-recovered-after", &[("took", FluentValue::from(super::cases::took(l, secs)))])) }
        }
        @if c.within_sla == Some(false) { " " span.badge.overdue { (tr(l, "call-sla-breached")) } }
    }
}

/// An automation reason or note (a domain text key) in the page's language.
fn why(l: Locale, key: &str) -> String {
    const KNOWN: [&str; 13] = [
        "rule_off",
        "client_has_open_order",
        "client_has_open_lead",
        "reused_callers_open_lead",
        "call_was_answered",
        "no_end_event",
        "assignee_deactivated_skipped",
        "no_active_assignee_given_to_owner",
        "call_was_not_missed",
        "call_was_not_answered",
        "outbound_call",
        "waiting_for_settle_time",
        "call_in_progress",
    ];
    if KNOWN.contains(&key) {
        tr(l, &format!("call-why-{}", key.replace('_', "-")))
    } else {
        // A key this page does not know yet: the domain's own text.
        ringdesk_domain::texts::Text::from_key(key)
            .map(|t| t.in_locale(l).to_owned())
            .unwrap_or_else(|| key.to_owned())
    }
}

fn rule_text(l: Locale, r: Rule) -> String {
    tr(l, &format!("call-rule-{}", r.as_str().replace('_', "-")))
}

fn outcome_text(l: Locale, o: Outcome) -> String {
    tr(l, &format!("call-outcome-{}", o.as_str()))
}

/// `GET /calls/{id}`: as `GET /api/v1/calls/{id}` (a call the employee may
/// not see is not found, R-C5): the call, its events, its client, and the
/// automation record (R-X5).
pub async fn call_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let call = state.store.call(cid, id).await?;
    if !CallVisibility::of(s.caller.employee.id, &s.caller.permissions).may_see(call.operator_id) {
        return Err(AppError::not_found("call"));
    }
    let events = state.store.call_events(cid, id).await?;
    let automation = state.store.call_automation(cid, id).await?;
    let employees = state.store.employees(cid).await?;
    let may_see_clients = s.caller.may(Permission::ViewClients);
    let client = match (call.client_id, may_see_clients) {
        (Some(c), true) => state.store.client(cid, c).await.ok(),
        _ => None,
    };
    let number = if call.direction.is_outbound() {
        &call.to
    } else {
        &call.from
    };
    let title = tr_args(
        l,
        "call-title",
        &[(
            "when",
            FluentValue::from(local_time(call.first_seen_at, &s.tz)),
        )],
    );
    let markup = s.page(&title, "/calls", html! {
        p.back { a href="/calls" { (tr(l, "calls-back")) } }
        h1 { (title) }
        (flash(l, q.m.as_deref(), &[]))
        dl #call-facts .facts {
            dt { (tr(l, "call-direction")) } dd { (direction_text(l, call.direction)) }
            dt { (tr(l, "call-number")) } dd.phone {
                @if number.is_empty() { (tr(l, "call-withheld")) } @else { (number) }
                " " (call_button(&s, &Dial { number, client_id: call.client_id, call_id: Some(call.id), ..Dial::default() }))
            }
            dt { (tr(l, "call-state")) } dd {
                (state_text(l, call.state))
                @if call.missed { " " span.badge.missed { (tr(l, "call-badge-missed")) } }
                @if call.recovered { " " span.badge.recovered { (tr(l, "call-badge-recovered")) } }
                (recovery_note(l, &call))
            }
            dt { (tr(l, "call-client")) } dd #call-client {
                @match (&client, call.client_id) {
                    (Some(c), _) => { a href=(format!("/clients/{}", c.id)) { (c.name) } }
                    (None, Some(_)) if !may_see_clients => { (tr(l, "call-client-hidden")) }
                    _ => { (tr(l, "call-client-none")) }
                }
            }
            dt { (tr(l, "call-operator")) } dd {
                @if let Some(n) = employee_name(&employees, call.operator_id) { (n) }
                @else if let Some(u) = &call.operator_unmatched { (tr_args(l, "call-operator-unmatched", &[("operator", FluentValue::from(u.clone()))])) }
                @else { "—" }
            }
            @if let Some(qu) = &call.queue { dt { (tr(l, "call-queue")) } dd { (qu) } }
            dt { (tr(l, "call-wait")) } dd { (duration(call.wait_seconds)) }
            dt { (tr(l, "call-talk")) } dd { (duration(call.talk_seconds)) }
            @if let Some(r) = &call.recording_url { dt { (tr(l, "call-recording")) } dd { a href=(r) rel="noopener noreferrer" { (tr(l, "call-recording-listen")) } } }
            dt { (tr(l, "call-external-id")) } dd { code { (call.external_id) } }
        }
        section #call-timeline aria-labelledby="timeline-title" {
            h2 #timeline-title { (tr(l, "call-timeline")) }
            ol.timeline {
                @for e in &events {
                    li data-state=(e.state.as_str()) {
                        time datetime=(e.at.to_string()) { (local_time(e.at, &s.tz)) }
                        " — " strong { (state_text(l, e.state)) }
                        @if let Some(n) = employee_name(&employees, e.operator_id) { " · " (n) }
                        @else if let Some(o) = &e.operator { " · " (o) }
                        @if let Some(qu) = &e.queue { " · " (qu) }
                    }
                }
            }
        }
        section #call-automation aria-labelledby="automation-title" {
            h2 #automation-title { (tr(l, "call-automation")) }
            @if automation.is_empty() {
                p { (tr(l, "call-automation-none")) }
            } @else {
                ul.automation {
                    @for a in &automation {
                        li id=(format!("rule-{}", a.rule.as_str())) data-outcome=(a.outcome.as_str()) {
                            strong { (rule_text(l, a.rule)) } ": "
                            span.outcome { (outcome_text(l, a.outcome)) }
                            @if let Some(r) = &a.reason { " — " span.reason { (why(l, r)) } }
                            @if let Some(lead) = a.lead_id { " " a href=(format!("/leads/{lead}/edit")) { (tr(l, "call-automation-lead")) } }
                            @if !a.task_ids.is_empty() { " " a href="/tasks" { (tr_args(l, "call-automation-tasks", &[("count", FluentValue::from(a.task_ids.len()))])) } }
                            @for n in &a.notes { br; span.note { (why(l, n)) } }
                        }
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other("/calls", &["GET"], get(calls_page))
        .other("/calls/{id}", &["GET"], get(call_page))
}

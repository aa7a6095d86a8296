//! The home page: "what needs me now" (issue 11) — my open tasks (overdue
//! first, R-A3), missed calls still waiting for a callback (R-C4, R-C7; only
//! the calls the employee may see, R-C5), my new leads (R-M4's overdue and the
//! urgent flag as badges) and my unread notifications (R-L6). For whoever sets
//! the company up (`manage_settings`), the first-run checklist
//! ([`ringdesk_domain::onboarding`]) until every step is done, with the phone
//! system's webhook URL and, on request, a token ready to copy.

use super::click_to_call::{call_button, Dial};
use super::*;
use crate::i18n::{permission_label, tr_args};
use axum::extract::State;
use ringdesk_app::credentials::new_api_token;
use ringdesk_domain::access::CallVisibility;
use ringdesk_domain::call::Direction;
use ringdesk_domain::company::Permission;
use ringdesk_domain::onboarding::{checklist, SetupFacts, Step};
use ringdesk_domain::texts::{text, Text};
use ringdesk_domain::work::overdue_seconds;
use ringdesk_store::{
    Call, CallFilter, Lead, LeadFilter, LeadSort, Notification, Task, TaskFilter, TaskStatus,
};
use secrecy::ExposeSecret;

/// How many items each list on the home page shows; each links to its full page.
const SHOWN: i64 = 10;

/// What the home page shows, gathered from the store.
struct Needs {
    tasks: Vec<Task>,
    /// R-U3: the latest missed calls (with the recovered ones unless
    /// `waiting_only`), their clients' names and the operators' names.
    missed: Vec<Call>,
    waiting_only: bool,
    client_names: Vec<(i64, String)>,
    employees: Vec<ringdesk_store::Employee>,
    /// R-C8: my last five calls.
    recent: Vec<Call>,
    leads: Vec<Lead>,
    notifications: Vec<Notification>,
    setup: Option<Vec<(Step, bool)>>,
}

async fn gather(
    state: &AppState,
    s: &Signed,
    now: Timestamp,
    waiting_only: bool,
) -> Result<Needs, AppError> {
    let company = s.caller.company_id;
    let me = s.caller.employee.id;
    let tasks = TaskFilter {
        call_id: None,
        assignee_id: Some(me),
        order_id: None,
        lead_id: None,
        status: Some(TaskStatus::Open),
        overdue_first_at: Some(now),
        limit: SHOWN,
    };
    let missed = CallFilter {
        missed: Some(true),
        recovered: waiting_only.then_some(false),
        // R-C5: without view_all_calls, only the calls routed to me.
        visible_to_operator: CallVisibility::of(me, &s.caller.permissions).only_operator(),
        limit: SHOWN,
        ..CallFilter::default()
    };
    let leads = LeadFilter {
        manager_id: Some(me),
        status_group: Some("new".into()),
        sort: LeadSort::DueSoonest,
        limit: SHOWN,
        ..LeadFilter::default()
    };
    let recent = CallFilter {
        operator_id: Some(me),
        limit: crate::api::calls::RECENT_CALLS,
        ..CallFilter::default()
    };
    let (tasks, missed, leads, notifications, recent, employees) = tokio::try_join!(
        state.store.tasks(company, &tasks),
        state.store.calls(company, &missed),
        state.store.leads(company, &leads),
        state.store.notifications(company, me, true, SHOWN),
        state.store.calls(company, &recent),
        state.store.employees(company),
    )?;
    // The clients' names, for those who may see clients (R-T3).
    let mut client_names = Vec::new();
    if s.caller.may(Permission::ViewClients) {
        let mut ids: Vec<i64> = missed
            .iter()
            .chain(recent.iter())
            .filter_map(|c| c.client_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if let Ok(c) = state.store.client(company, id).await {
                client_names.push((id, c.name));
            }
        }
    }
    let setup = if s.caller.may(Permission::ManageSettings) {
        checklist(&setup_facts(state, company).await?)
    } else {
        None
    };
    Ok(Needs {
        tasks,
        missed,
        waiting_only,
        client_names,
        employees,
        recent,
        leads,
        notifications,
        setup,
    })
}

/// The facts the first-run checklist decides on.
async fn setup_facts(
    state: &AppState,
    company: ringdesk_store::CompanyId,
) -> Result<SetupFacts, AppError> {
    let any_call = CallFilter {
        limit: 1,
        ..CallFilter::default()
    };
    let (employees, calls, settings, clients) = tokio::try_join!(
        state.store.employees(company),
        state.store.calls(company, &any_call),
        state.store.telephony_settings(company),
        state.store.clients(company, None, 1),
    )?;
    Ok(SetupFacts {
        employees_with_extensions: employees
            .iter()
            .filter(|e| e.active && !e.extensions.is_empty())
            .count(),
        has_calls: !calls.is_empty(),
        automation_on: settings.any_rule_on(),
        has_clients: !clients.is_empty(),
    })
}

fn markup(s: &Signed, needs: &Needs, now: Timestamp, hook: &str, token: Option<&str>) -> Markup {
    let l = s.locale;
    let title = tr(l, "app-name");
    let badge = |overdue: bool, urgent: bool| {
        html! {
            @if overdue { " " span.badge.overdue { (tr(l, "badge-overdue")) } }
            @if urgent { " " span.badge.urgent { (tr(l, "badge-urgent")) } }
        }
    };
    s.page(&title, "/", html! {
        h1 { (s.company.name) }
        p { (tr(l, "signed-in-as")) " " strong #employee { (s.caller.employee.name) } }
        @if let Some(steps) = &needs.setup {
            section #first-run aria-labelledby="first-run-title" {
                h2 #first-run-title { (tr(l, "first-run-title")) }
                ol.checklist {
                    @for (step, done) in steps {
                        li id=(format!("step-{}", step.as_str())) data-done=(done) {
                            span.tick aria-hidden="true" { @if *done { "✓" } @else { "○" } }
                            " "
                            @let (href, label) = match step {
                                Step::Employees => ("/settings/employees", "first-run-employees"),
                                Step::PhoneSystem => ("#phone-system", "first-run-phone-system"),
                                Step::Automation => ("/settings/telephony", "first-run-automation"),
                                Step::Clients => ("/clients/new", "first-run-clients"),
                            };
                            a href=(href) { (tr(l, label)) }
                            " "
                            span.step-state { (tr(l, if *done { "first-run-done" } else { "first-run-todo" })) }
                            @if *step == Step::PhoneSystem && !done {
                                div #phone-system {
                                    p { (tr(l, "first-run-webhook")) }
                                    label for="webhook-url" { (tr(l, "first-run-webhook-url")) }
                                    input #webhook-url type="text" readonly value=(hook);
                                    @if let Some(t) = token {
                                        p.notice role="status" { (tr(l, "first-run-token-once")) }
                                        label for="phone-token" { (tr(l, "first-run-token")) }
                                        input #phone-token type="text" readonly value=(t);
                                        label for="curl-example" { (tr(l, "first-run-curl")) }
                                        textarea #curl-example readonly rows="6" {
                                            (format!("curl -X POST {hook} \\\n  -H 'Authorization: Bearer {t}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{{\"event_id\": \"e1\", \"call_id\": \"c1\", \"state\": \"ringing\", \"at\": \"{}\", \"from\": \"+380671234567\", \"to\": \"100\", \"direction\": \"inbound\"}}'", now.strftime("%Y-%m-%dT%H:%M:%SZ")))
                                        }
                                    } @else {
                                        form.inline method="post" action="/home/phone-token" {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            button #make-phone-token type="submit" { (tr(l, "first-run-make-token")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div.needs {
            section #my-tasks aria-labelledby="my-tasks-title" {
                h2 #my-tasks-title { a href="/tasks" { (tr(l, "home-tasks")) } }
                @if needs.tasks.is_empty() { p.empty { (tr(l, "home-tasks-none")) } }
                ul {
                    @for t in &needs.tasks {
                        li id=(format!("home-task-{}", t.id)) {
                            a href="/tasks" { (t.title) }
                            @if let Some(d) = t.due_at {
                                " · " time datetime=(d.to_string()) { (local_time(d, &s.tz)) }
                            }
                            (badge(t.due_at.is_some_and(|d| d < now), false))
                        }
                    }
                }
            }
            // R-U3: the missed calls widget: a green dot for a recovered call, a
            // red one for a call still waiting; "without recovered" keeps only those.
            section #missed-calls aria-labelledby="missed-calls-title" {
                h2 #missed-calls-title { a href=(if needs.waiting_only { "/calls?missed=true&recovered=false" } else { "/calls?missed=true" }) { (tr(l, "home-missed")) } }
                p.toggle {
                    a #missed-by-caller href="/calls/missed" { (tr(l, "cases-title")) } " · "
                    @if needs.waiting_only {
                        a #missed-toggle href="/" aria-pressed="true" role="button" { (tr(l, "home-missed-without-recovered")) }
                    } @else {
                        a #missed-toggle href="/?missed=waiting" aria-pressed="false" role="button" { (tr(l, "home-missed-without-recovered")) }
                    }
                }
                @if needs.missed.is_empty() { p.empty { (tr(l, if needs.waiting_only { "home-missed-none" } else { "home-missed-none-at-all" })) } }
                ul {
                    @for c in &needs.missed {
                        li id=(format!("home-call-{}", c.id)) data-recovered=(c.recovered) {
                            @let number = if c.direction == Direction::Inbound { &c.from } else { &c.to };
                            @if c.recovered {
                                span.dot.recovered title=(tr(l, "home-missed-recovered")) {} span.sr-only { (tr(l, "home-missed-recovered")) }
                            } @else {
                                span.dot.waiting title=(tr(l, "home-missed-waiting")) {} span.sr-only { (tr(l, "home-missed-waiting")) }
                            }
                            " " a href=(format!("/calls/{}", c.id)) { (number) }
                            @if let Some((id, name)) = c.client_id.and_then(|id| needs.client_names.iter().find(|(i, _)| *i == id)) {
                                " · " a href=(format!("/clients/{id}")) { (name) }
                            }
                            @if let Some(e) = c.operator_id.and_then(|id| needs.employees.iter().find(|e| e.id == id)) {
                                " · " span.operator { (e.name) }
                            }
                            " · " time datetime=(c.first_seen_at.to_string()) { (local_time(c.first_seen_at, &s.tz)) }
                            @if !c.recovered { " " (call_button(s, &Dial { number, client_id: c.client_id, call_id: Some(c.id), ..Dial::default() })) }
                        }
                    }
                }
            }
            // R-C8: my last five calls; a client's opens their card with the quote form.
            section #recent-calls aria-labelledby="recent-calls-title" {
                h2 #recent-calls-title { (tr(l, "home-recent")) }
                @if needs.recent.is_empty() { p.empty { (tr(l, "home-recent-none")) } }
                ul {
                    @for c in &needs.recent {
                        li id=(format!("recent-call-{}", c.id)) {
                            time datetime=(c.first_seen_at.to_string()) { (local_time(c.first_seen_at, &s.tz)) }
                            " · " (super::calls::direction_text(l, c.direction))
                            " · " span.state { (tr(l, if c.missed { "call-badge-missed" } else if c.answered_at.is_some() { "home-recent-talked" } else { "home-recent-not-reached" })) }
                            @match c.client_id.and_then(|id| needs.client_names.iter().find(|(i, _)| *i == id)) {
                                Some((id, name)) => { " · " a href=(format!("/clients/{id}#quote-form")) { (name) } }
                                None => { " · " a href=(format!("/calls/{}", c.id)) { (if c.direction == Direction::Inbound { &c.from } else { &c.to }) } }
                            }
                        }
                    }
                }
            }
            section #my-leads aria-labelledby="my-leads-title" {
                h2 #my-leads-title { a href=(format!("/leads?manager_id={}&status_group=new", s.caller.employee.id)) { (tr(l, "home-leads")) } }
                @if needs.leads.is_empty() { p.empty { (tr(l, "home-leads-none")) } }
                ul {
                    @for lead in &needs.leads {
                        li id=(format!("home-lead-{}", lead.id)) {
                            a href=(format!("/leads/{}", lead.id)) { (lead.number) " · " (lead.client_name) }
                            (badge(overdue_seconds(lead.due_at, lead.open, now).is_some(), lead.urgent))
                        }
                    }
                }
            }
            section #unread-notifications aria-labelledby="notifications-title" {
                h2 #notifications-title { a href="/notifications" { (tr(l, "home-notifications")) } }
                @if needs.notifications.is_empty() { p.empty { (tr(l, "home-notifications-none")) } }
                ul {
                    @for n in &needs.notifications {
                        li id=(format!("home-notification-{}", n.id)) {
                            @match n.lead_id {
                                Some(id) => { a href=(format!("/leads/{id}")) { (n.title) } }
                                None => { (n.title) }
                            }
                            " · " time datetime=(n.created_at.to_string()) { (local_time(n.created_at, &s.tz)) }
                            " "
                            form.inline method="post" action=(format!("/notifications/{}/read", n.id)) {
                                input type="hidden" name=(FIELD) value=(s.csrf);
                                input type="hidden" name="back" value="/";
                                button.small type="submit" aria-label=(tr_args(l, "notification-mark-read-of", &[("title", n.title.as_str().into())])) { (tr(l, "notification-mark-read")) }
                            }
                        }
                    }
                }
            }
        }
        section #my-rights aria-labelledby="my-rights-title" {
            h2 #my-rights-title { (tr(l, "your-permissions")) }
            ul #permissions { @for p in &s.caller.permissions { li data-permission=(p.as_str()) { (permission_label(*p, l)) } } }
        }
    })
}

#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    /// `waiting`: R-U3's "without recovered".
    missed: Option<String>,
}

/// `GET /`: what needs me now.
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
    crate::extract::Query(q): crate::extract::Query<HomeQuery>,
) -> Result<Response, AppError> {
    let now = Timestamp::now();
    let needs = gather(&state, &s, now, q.missed.as_deref() == Some("waiting")).await?;
    let hook = webhook_url(&state, &headers);
    Ok(Html(markup(&s, &needs, now, &hook, None).into_string()).into_response())
}

/// `POST /home/phone-token`: a new API token for the phone system, with only
/// `post_call_events` (R-T3), named in the company's language; shown once, on
/// the page this answers with (never in a URL), with a curl example.
pub async fn make_phone_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
) -> Result<Response, AppError> {
    let now = Timestamp::now();
    let token = mint_phone_token(&state, &s, now).await?;
    let needs = gather(&state, &s, now, false).await?;
    let hook = webhook_url(&state, &headers);
    let page = markup(&s, &needs, now, &hook, Some(token.expose_secret()));
    let mut resp = Html(page.into_string()).into_response();
    // The token is in this page only: not to be kept by any cache.
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// A new API token for the phone system: only `post_call_events` (R-T3),
/// named in the company's language. Shared with Settings > Phone system.
pub(crate) async fn mint_phone_token(
    state: &AppState,
    s: &Signed,
    now: Timestamp,
) -> Result<secrecy::SecretString, AppError> {
    s.caller.require(Permission::ManageSettings)?;
    s.caller.require(Permission::PostCallEvents)?;
    let name = text(Text::PhoneSystemTokenName, s.company.locale);
    let (token, record) = new_api_token(name, Some(vec![Permission::PostCallEvents]));
    state
        .store
        .create_api_token(
            s.caller.company_id,
            s.caller.employee.id,
            &record,
            &s.caller.actor(),
            now,
        )
        .await?;
    Ok(token)
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other("/", &["GET"], get(home))
        .other("/home/phone-token", &["POST"], post(make_phone_token))
}

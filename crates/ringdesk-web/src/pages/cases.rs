//! Missed calls by caller (issue 13 item 3, R-U3): one line per callback
//! case, with how many times the caller tried, a green dot once they were
//! reached (and how long that took) or a red one and a "Call" button while
//! the case is open; "open only" leaves the reached ones out. The same cases
//! as `GET /api/v1/calls/missed-cases` (`api::calls::cases_for`).

use super::click_to_call::{call_button, Dial};
use super::*;
use crate::api::calls::cases_for;
use crate::extract::Query;
use crate::i18n::tr_args;
use axum::extract::State;
use fluent_bundle::FluentValue;

const PATH: &str = "/calls/missed";

#[derive(Debug, Deserialize)]
pub struct CasesPage {
    open: Option<String>,
}

/// "1 h 5 min", "3 min", "40 s".
pub(super) fn took(l: Locale, seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    let n = |v: i64| FluentValue::from(v);
    if h > 0 {
        tr_args(l, "cases-took-hours", &[("h", n(h)), ("m", n(m))])
    } else if m > 0 {
        tr_args(l, "cases-took-minutes", &[("m", n(m))])
    } else {
        tr_args(l, "cases-took-seconds", &[("s", n(s))])
    }
}

/// `GET /calls/missed[?open=1]`.
pub async fn page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<CasesPage>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let open_only = q.open.as_deref() == Some("1");
    let cases = cases_for(&state, &s.caller, open_only, 50).await?;
    let employees = state.store.employees(s.caller.company_id).await?;
    let may_see_clients = s
        .caller
        .may(ringdesk_domain::company::Permission::ViewClients);
    let title = tr(l, "cases-title");
    let markup = s.page(&title, "/calls", html! {
        p.back { a href="/calls" { (tr(l, "calls-back")) } }
        h1 { (title) }
        p { (tr(l, "cases-about")) }
        p.toggle {
            @if open_only {
                a #cases-toggle href=(PATH) aria-pressed="true" role="button" { (tr(l, "cases-open-only")) }
            } @else {
                a #cases-toggle href=(format!("{PATH}?open=1")) aria-pressed="false" role="button" { (tr(l, "cases-open-only")) }
            }
        }
        @if cases.is_empty() {
            p #no-cases { (tr(l, "cases-none")) }
        } @else {
            (list_table(l, "cases", &title, &["cases-state", "call-number", "call-client", "call-operator", "cases-count", "cases-opened", "cases-reached"], html! {
                @for c in &cases {
                    @let first = c.missed_call_ids[0];
                    @let last = c.missed_call_ids[c.missed_call_ids.len() - 1];
                    tr id=(format!("case-{first}")) data-open=(c.open) data-count=(c.missed_count) {
                        td {
                            @if c.open {
                                span.dot.waiting {} " " (tr(l, "cases-open"))
                            } @else {
                                span.dot.recovered {} " " (tr(l, "cases-reached-state"))
                            }
                        }
                        td.phone { a href=(format!("/calls/{last}")) { (c.raw_number) } }
                        td {
                            @if let (Some(id), true) = (c.client_id, may_see_clients) {
                                a href=(format!("/clients/{id}")) { (tr(l, "call-client-link")) }
                            }
                        }
                        td { @if let Some(e) = c.operator_id.and_then(|id| employees.iter().find(|e| e.id == id)) { (e.name) } }
                        td { (tr_args(l, "cases-times", &[("n", FluentValue::from(c.missed_count as i64))])) }
                        td { (c.opened_at.parse::<jiff::Timestamp>().map(|t| local_time(t, &s.tz)).unwrap_or_default()) }
                        td {
                            @match c.seconds_to_reach {
                                Some(secs) => { (took(l, secs)) }
                                None => { (call_button(&s, &Dial { number: &c.raw_number, client_id: c.client_id, call_id: Some(last), ..Dial::default() })) }
                            }
                        }
                    }
                }
            }))
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other(PATH, &["GET"], get(page))
}

//! Settings > Audit log: as `GET /api/v1/audit-log`, the owner's, newest
//! first, paged by id (`?before_id=`).

use super::*;
use crate::extract::Query;
use axum::extract::State;

/// Entries per page.
const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct AuditQuery {
    pub before_id: Option<i64>,
}

/// The text id of an action the store records; an action this page does not
/// know yet shows as its code.
fn action_text(action: &str) -> Option<&'static str> {
    Some(match action {
        "sign_in" => "audit-action-sign-in",
        "sign_out" => "audit-action-sign-out",
        "password_changed" => "audit-action-password-changed",
        "permissions_changed" => "audit-action-permissions-changed",
        "employee_created" => "audit-action-employee-created",
        "employee_activated" => "audit-action-employee-activated",
        "employee_deactivated" => "audit-action-employee-deactivated",
        "settings_changed" => "audit-action-settings-changed",
        "token_created" => "audit-action-token-created",
        "token_revoked" => "audit-action-token-revoked",
        "webhook_secret_created" => "audit-action-webhook-secret-created",
        "webhook_secret_revoked" => "audit-action-webhook-secret-revoked",
        "call.contact_changed" => "audit-action-contact-changed",
        _ => return None,
    })
}

/// `GET /settings/audit`.
pub async fn audit_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require_owner() {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let entries = state
        .store
        .audit_entries(s.caller.company_id, q.before_id, PAGE)
        .await?;
    let names: Vec<(i64, String)> = state
        .store
        .employees(s.caller.company_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let who = |id: Option<i64>| match id {
        Some(id) => names
            .iter()
            .find(|(e, _)| *e == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone()),
        None => tr(l, "settings-audit-system"),
    };
    let older = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let title = tr(l, "settings-audit-title");
    let markup = s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        @if entries.is_empty() {
            p #no-entries { (tr(l, "settings-audit-empty")) }
        } @else {
            table #audit {
                thead { tr {
                    th scope="col" { (tr(l, "settings-audit-at")) }
                    th scope="col" { (tr(l, "settings-audit-action")) }
                    th scope="col" { (tr(l, "settings-audit-who")) }
                    th scope="col" { (tr(l, "settings-audit-subject")) }
                    th scope="col" { (tr(l, "settings-audit-address")) }
                } }
                tbody {
                    @for e in &entries {
                        tr id=(format!("audit-{}", e.id)) data-action=(e.action) {
                            td { time datetime=(e.at.to_string()) { (local_time(e.at, &s.tz)) } }
                            td {
                                @match action_text(&e.action) {
                                    Some(id) => span title=(e.action) { (tr(l, id)) },
                                    None => code { (e.action) },
                                }
                                @if let Some(d) = &e.detail { br; span.muted { (d) } }
                            }
                            td {
                                (who(e.actor_employee_id))
                                @if let Some(t) = e.actor_token_id { " " (tr_args(l, "settings-audit-token", &[("id", t.into())])) }
                            }
                            td { (e.subject.as_deref().unwrap_or("—")) }
                            td { (e.address.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
        nav.pager aria-label=(tr(l, "settings-audit-pages")) {
            @if q.before_id.is_some() { a #newest href="/settings/audit" { (tr(l, "settings-audit-newest")) } " " }
            @if let Some(id) = older { a #older href=(format!("/settings/audit?before_id={id}")) { (tr(l, "settings-audit-older")) } }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    r.other("/settings/audit", &["GET"], axum::routing::get(audit_page))
}

//! My notifications (R-L6): the list, newest first, unread ones marked, each
//! one marked read with a button; and which kinds of notification I get (the
//! per-employee choices of `PUT /api/v1/me/notification-settings`).

use super::*;
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_store::NotificationPrefs;

/// The choices, in the order they show: (form field, text id).
const CHOICES: [(&str, &str); 3] = [
    ("new_lead", "notify-new-lead"),
    ("lead_assigned", "notify-lead-assigned"),
    ("lead_overdue", "notify-lead-overdue"),
];

fn chosen(p: &NotificationPrefs, field: &str) -> bool {
    match field {
        "new_lead" => p.new_lead,
        "lead_assigned" => p.lead_assigned,
        _ => p.lead_overdue,
    }
}

fn flash(l: Locale, m: Option<&str>) -> Option<String> {
    match m? {
        "saved" => Some(tr(l, "notifications-saved")),
        "read" => Some(tr(l, "notification-was-read")),
        _ => None,
    }
}

/// `GET /notifications`.
pub async fn notifications_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let company = s.caller.company_id;
    let me = s.caller.employee.id;
    let (list, prefs) = tokio::try_join!(
        state.store.notifications(company, me, false, 200),
        state.store.notification_prefs(company, me),
    )?;
    let title = tr(l, "notifications-title");
    let page = s.page(&title, "/notifications", html! {
        h1 { (title) }
        @if let Some(text) = flash(l, q.m.as_deref()) { p.notice #flash role="status" { (text) } }
        @if list.is_empty() {
            p #no-notifications { (tr(l, "notifications-empty")) }
        } @else {
            table #notifications {
                thead { tr {
                    th scope="col" { (tr(l, "notifications-what")) }
                    th scope="col" { (tr(l, "notifications-when")) }
                    th scope="col" { (tr(l, "notifications-state")) }
                } }
                tbody {
                    @for n in &list {
                        tr id=(format!("notification-{}", n.id)) data-read=(n.read_at.is_some()) {
                            td {
                                @match (n.lead_id, n.call_id) {
                                    (Some(id), _) => { a href=(format!("/leads/{id}")) { (n.title) } }
                                    // A callback SLA breach names its missed call (issue 13).
                                    (None, Some(id)) => { a href=(format!("/calls/{id}")) { (n.title) } }
                                    (None, None) => { (n.title) }
                                }
                            }
                            td { time datetime=(n.created_at.to_string()) { (local_time(n.created_at, &s.tz)) } }
                            td {
                                @if n.read_at.is_some() {
                                    (tr(l, "notifications-read"))
                                } @else {
                                    strong { (tr(l, "notifications-unread")) } " "
                                    form.inline method="post" action=(format!("/notifications/{}/read", n.id)) {
                                        input type="hidden" name=(FIELD) value=(s.csrf);
                                        input type="hidden" name="back" value="/notifications";
                                        button type="submit" aria-label=(tr_args(l, "notification-mark-read-of", &[("title", n.title.as_str().into())])) { (tr(l, "notification-mark-read")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 #choices-title { (tr(l, "notifications-choices")) }
        form #notification-choices method="post" action="/notifications/settings" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            fieldset aria-labelledby="choices-title" {
                @for (field, label) in CHOICES {
                    div.check {
                        input type="checkbox" id=(field) name=(field) value="on" checked[chosen(&prefs, field)];
                        label for=(field) { (tr(l, label)) }
                    }
                }
            }
            button type="submit" { (tr(l, "notifications-save")) }
        }
    });
    Ok(Html(page.into_string()).into_response())
}

/// `POST /notifications/settings`: a checkbox not sent is a choice switched off.
pub async fn save_choices(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let on = |name: &str| fields.iter().any(|(k, v)| k == name && v == "on");
    let prefs = NotificationPrefs {
        new_lead: on("new_lead"),
        lead_assigned: on("lead_assigned"),
        lead_overdue: on("lead_overdue"),
    };
    state
        .store
        .set_notification_prefs(s.caller.company_id, s.caller.employee.id, &prefs)
        .await?;
    Ok(Redirect::to("/notifications?m=saved").into_response())
}

/// `POST /notifications/{id}/read`: as `POST /api/v1/notifications/{id}/read`
/// for oneself; back to the page it came from (home or this list only).
pub async fn mark_read(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    state
        .store
        .read_notification(
            s.caller.company_id,
            s.caller.employee.id,
            id,
            Timestamp::now(),
        )
        .await?;
    let back = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "back")
        .map(|(_, v)| v.into_owned());
    let to = match back.as_deref() {
        Some("/") => "/",
        _ => "/notifications?m=read",
    };
    Ok(Redirect::to(to).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other("/notifications", &["GET"], get(notifications_page))
        .other("/notifications/settings", &["POST"], post(save_choices))
        .other("/notifications/{id}/read", &["POST"], post(mark_read))
}

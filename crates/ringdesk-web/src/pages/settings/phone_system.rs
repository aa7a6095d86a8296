//! Settings > Phone system (issue 12 item 8): how to connect the phone system
//! the company already has. For each connector what to fill in and a URL and
//! token ready to copy; a "send a test call" button; the ignore list (R-P7);
//! click to call's outgoing webhook (R-I5); and the last deliveries with what
//! came of them (the webhook inbox), each through the same functions as the
//! API (`api::phone_system`).

use super::*;
use crate::api::phone_system::{parse_ignored, phone_system_settings, PhoneSystemIo};
use crate::extract::Query;
use crate::pages::home::mint_phone_token;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_store::{Delivery, DeliveryFilter};
use secrecy::{ExposeSecret, SecretString};

const PATH: &str = "/settings/phone-system";
const INBOX: &str = "/settings/phone-system/inbox";
/// Deliveries on the connect page; the inbox page pages through the rest.
const RECENT: i64 = 10;
const INBOX_PAGE: i64 = 50;

struct View<'a> {
    hook: String,
    settings: ringdesk_store::PhoneSystemSettings,
    ignored: Vec<String>,
    recent: Vec<Delivery>,
    token: Option<&'a SecretString>,
    errors: Errors,
    /// The values as typed when the form came back with notes.
    typed: Option<(String, String)>,
    typed_ignored: Option<String>,
    test_call: Option<Result<i64, String>>,
    /// `?m=` after a redirect.
    m: Option<String>,
    /// Whether Twilio and Asterisk (AMI) are connected.
    twilio_on: bool,
    ami_on: bool,
}

fn deliveries_table(s: &Signed, list: &[Delivery], with_body: bool) -> Markup {
    let l = s.locale;
    html! {
        @if list.is_empty() {
            p #no-deliveries { (tr(l, "phone-no-deliveries")) }
        } @else {
            table #deliveries {
                thead { tr {
                    th scope="col" { (tr(l, "phone-received")) }
                    th scope="col" { (tr(l, "phone-connector")) }
                    th scope="col" { (tr(l, "phone-status")) }
                    th scope="col" { (tr(l, "phone-result")) }
                } }
                tbody {
                    @for d in list {
                        tr id=(format!("delivery-{}", d.id)) data-status=(d.status) {
                            td { time datetime=(d.received_at.to_string()) { (local_time(d.received_at, &s.tz)) } }
                            td { (d.connector) }
                            td {
                                span class=(if d.status < 300 { "badge ok" } else { "badge overdue" }) { (d.status) }
                                @if !d.authenticated { " " (tr(l, "phone-unauthenticated")) }
                            }
                            td {
                                (d.result)
                                @if with_body {
                                    details {
                                        summary { (tr(l, "phone-body")) }
                                        pre { (d.headers) }
                                        pre { (String::from_utf8_lossy(&d.body)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn markup(s: &Signed, v: &View) -> Markup {
    let l = s.locale;
    let title = tr(l, "phone-title");
    let (retention, c2c) = v.typed.clone().unwrap_or_else(|| {
        (
            v.settings.inbox_retention_days.to_string(),
            v.settings.click_to_call_url.clone().unwrap_or_default(),
        )
    });
    let ignored = v
        .typed_ignored
        .clone()
        .unwrap_or_else(|| v.ignored.join("\n"));
    let curl = format!(
        "curl -X POST {} -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' -d '{{\"event_id\":\"e1\",\"call_id\":\"c1\",\"direction\":\"inbound\",\"state\":\"ringing\",\"at\":\"{}\",\"from\":\"+380671234567\",\"to\":\"+380441234567\",\"operator\":\"201\"}}'",
        v.hook,
        v.token.map_or("TOKEN".to_owned(), |t| t.expose_secret().to_owned()),
        jiff::Timestamp::now().round(jiff::Unit::Second).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    );
    s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, v.m.as_deref(), &[("saved", "settings-saved")]))
        p { (tr(l, "phone-intro")) }
        @if let Some(r) = &v.test_call {
            @match r {
                Ok(id) => p.notice #test-call-result role="status" {
                    (tr(l, "phone-test-call-sent")) " " a href=(format!("/calls/{id}")) { (tr(l, "phone-test-call-open")) }
                },
                Err(e) => p.error #test-call-result role="alert" { (e) },
            }
        }

        section #generic aria-labelledby="generic-title" {
            h2 #generic-title { (tr(l, "phone-generic-title")) }
            p { (tr(l, "phone-generic-about")) }
            label for="webhook-url" { (tr(l, "first-run-webhook-url")) }
            input #webhook-url type="text" readonly value=(v.hook);
            @if let Some(t) = v.token {
                div.once role="status" {
                    label for="phone-token" { (tr(l, "first-run-token")) }
                    input #phone-token type="text" readonly value=(t.expose_secret()) autocomplete="off" spellcheck="false";
                    p.hint { (tr(l, "settings-shown-once")) }
                }
            } @else {
                form.inline method="post" action=(format!("{PATH}/token")) {
                    input type="hidden" name=(FIELD) value=(s.csrf);
                    button #make-phone-token type="submit" { (tr(l, "first-run-make-token")) }
                }
            }
            p { (tr(l, "phone-generic-fields")) }
            label for="curl-example" { (tr(l, "phone-curl")) }
            textarea #curl-example readonly rows="4" spellcheck="false" { (curl) }
            p.hint { (tr(l, "phone-generic-signing")) " " a href="/settings/webhook-signing" { (tr(l, "settings-signing-title")) } }
            form.inline method="post" action=(format!("{PATH}/test-call")) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                button #send-test-call type="submit" { (tr(l, "phone-test-call")) }
            }
            p.hint { (tr(l, "phone-test-call-about")) }
        }

        section #connectors aria-labelledby="connectors-title" {
            h2 #connectors-title { (tr(l, "phone-connectors-title")) }
            ul {
                li #twilio-link data-on=(v.twilio_on) {
                    a href="/settings/integrations/twilio" { "Twilio" } " — "
                    (tr(l, if v.twilio_on { "phone-connected" } else { "phone-not-connected" }))
                    br; span.hint { (tr(l, "phone-twilio-about")) }
                }
                li #ami-link data-on=(v.ami_on) {
                    a href="/settings/integrations/ami" { "Asterisk (AMI)" } " — "
                    (tr(l, if v.ami_on { "phone-connected" } else { "phone-not-connected" }))
                    br; span.hint { (tr(l, "phone-ami-about")) }
                }
            }
        }

        section #ignored aria-labelledby="ignored-title" {
            h2 #ignored-title { (tr(l, "phone-ignored-title")) }
            p { (tr(l, "phone-ignored-about")) }
            form #ignored-form .settings method="post" action=(format!("{PATH}/ignored")) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                label for="numbers" { (tr(l, "phone-ignored-label")) }
                textarea #numbers name="numbers" rows="5" aria-describedby=[described_by(&v.errors, "numbers")] { (ignored) }
                (field_note(&v.errors, "numbers"))
                button type="submit" { (tr(l, "settings-save")) }
            }
        }

        section #options aria-labelledby="options-title" {
            h2 #options-title { (tr(l, "phone-options-title")) }
            form #phone-options .settings method="post" action=(PATH) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                label for="click_to_call_url" { (tr(l, "phone-c2c-url")) }
                input #click_to_call_url type="url" name="click_to_call_url" value=(c2c)
                    aria-describedby=[described_by(&v.errors, "click_to_call_url")];
                p.hint { (tr(l, "phone-c2c-about")) }
                (field_note(&v.errors, "click_to_call_url"))
                label for="inbox_retention_days" { (tr(l, "phone-retention")) }
                input #inbox_retention_days type="number" min="1" max="365" name="inbox_retention_days" value=(retention)
                    aria-describedby=[described_by(&v.errors, "inbox_retention_days")];
                (field_note(&v.errors, "inbox_retention_days"))
                button type="submit" { (tr(l, "settings-save")) }
            }
        }

        section #recent aria-labelledby="recent-title" {
            h2 #recent-title { (tr(l, "phone-recent-title")) }
            (deliveries_table(s, &v.recent, false))
            p { a href=(INBOX) { (tr(l, "phone-inbox-link")) } }
        }
    })
}

async fn view<'a>(
    state: &AppState,
    s: &Signed,
    headers: &HeaderMap,
    token: Option<&'a SecretString>,
) -> Result<View<'a>, AppError> {
    let company_id = s.caller.company_id;
    Ok(View {
        hook: webhook_url(state, headers),
        settings: state.store.phone_system_settings(company_id).await?,
        ignored: state
            .store
            .ignored_numbers(company_id)
            .await?
            .into_iter()
            .map(|n| n.number)
            .collect(),
        recent: state
            .store
            .deliveries(
                company_id,
                &DeliveryFilter {
                    limit: RECENT,
                    ..DeliveryFilter::default()
                },
            )
            .await?,
        token,
        errors: Vec::new(),
        typed: None,
        typed_ignored: None,
        test_call: None,
        m: None,
        twilio_on: state
            .store
            .twilio_settings(company_id)
            .await?
            .is_some_and(|t| t.enabled),
        ami_on: state.store.ami_settings(company_id).await?.enabled,
    })
}

fn respond(s: &Signed, v: &View, status: StatusCode) -> Response {
    let mut resp = with_cookie(markup(s, v), status, None);
    if v.token.is_some() {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// `GET /settings/phone-system`.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let mut v = view(&state, &s, &headers, None).await?;
    v.m = q.m;
    Ok(respond(&s, &v, StatusCode::OK))
}

/// `POST /settings/phone-system`: as `PUT /api/v1/settings/phone-system`.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let retention = f.text("inbox_retention_days");
    let url = f.text("click_to_call_url").trim().to_owned();
    let checked = match retention.trim().parse::<i64>() {
        Ok(days) => phone_system_settings(PhoneSystemIo {
            inbox_retention_days: days,
            click_to_call_url: Some(url.clone()),
        }),
        Err(_) => Err(AppError::invalid(
            "inbox_retention_days",
            tr(s.locale, "phone-retention-invalid"),
        )),
    };
    match checked {
        Ok(settings) => {
            state
                .store
                .set_phone_system_settings(
                    s.caller.company_id,
                    &settings,
                    &s.caller.actor(),
                    jiff::Timestamp::now(),
                )
                .await?;
            Ok(Redirect::to(&format!("{PATH}?m=saved")).into_response())
        }
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let mut v = view(&state, &s, &headers, None).await?;
            let field = e.message.split(':').next().unwrap_or("").to_owned();
            v.errors.push((field, e.message.clone()));
            v.typed = Some((retention, url));
            Ok(respond(&s, &v, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Ok(refused(&s, e)),
    }
}

/// `POST /settings/phone-system/ignored`: as `PUT /api/v1/settings/ignored-numbers`,
/// one number a line.
pub async fn save_ignored(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let typed = FormFields::parse(&body).text("numbers");
    let numbers: Vec<String> = typed
        .lines()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    match parse_ignored(&numbers, &s.company.country) {
        Ok(list) => {
            state
                .store
                .set_ignored_numbers(
                    s.caller.company_id,
                    &list,
                    &s.caller.actor(),
                    jiff::Timestamp::now(),
                )
                .await?;
            Ok(Redirect::to(&format!("{PATH}?m=saved")).into_response())
        }
        Err(e) => {
            let mut v = view(&state, &s, &headers, None).await?;
            v.errors.push(("numbers".into(), e.message.clone()));
            v.typed_ignored = Some(typed);
            Ok(respond(&s, &v, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

/// `POST /settings/phone-system/token`: a token for the phone system, shown once.
pub async fn make_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let token = match mint_phone_token(&state, &s, jiff::Timestamp::now()).await {
        Ok(t) => t,
        Err(e) => return Ok(refused(&s, e)),
    };
    let v = view(&state, &s, &headers, Some(&token)).await?;
    Ok(respond(&s, &v, StatusCode::OK))
}

/// `POST /settings/phone-system/test-call`: a short call from the signed-in
/// employee's extension to itself, through the generic webhook's own code
/// and kept in the inbox like any delivery. Both ends are the company's
/// extensions, so it is an internal call (R-P7): it shows in the call bar and
/// the calls list, and makes no lead and no task.
pub async fn test_call(
    State(state): State<AppState>,
    headers: HeaderMap,
    s: Signed,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let outcome = match s.caller.employee.extensions.first() {
        None => Err(tr(s.locale, "phone-test-call-no-extension")),
        Some(ext) => {
            let now = jiff::Timestamp::now();
            let call = format!("ringdesk-test-{}", ringdesk_app::credentials::random_hex(6));
            let event = |n: i64, state: &str| {
                serde_json::json!({
                    "event_id": format!("{call}-{n}"),
                    "call_id": call,
                    "direction": "inbound",
                    "state": state,
                    "at": (now - jiff::SignedDuration::from_secs(3 - n)).to_string(),
                    "from": ext,
                    "to": ext,
                    "operator": ext,
                })
            };
            let body = serde_json::Value::Array(vec![
                event(1, "ringing"),
                event(2, "answered"),
                event(3, "completed"),
            ])
            .to_string();
            let ctx = state.store.ingest_context(s.caller.company_id).await?;
            let bytes = Bytes::from(body);
            let answer = crate::api::calls::apply_events(&state.store, ctx, &bytes).await;
            let mut kept = HeaderMap::new();
            kept.insert(
                header::USER_AGENT,
                HeaderValue::from_static("Ringdesk test call"),
            );
            kept.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            crate::inbox::keep(
                &state.store,
                s.caller.company_id,
                crate::inbox::Connector::Generic,
                now,
                &kept,
                bytes,
                true,
                &answer,
            );
            let answer = answer?;
            let stored = state
                .store
                .calls(
                    s.caller.company_id,
                    &ringdesk_store::CallFilter {
                        external_id: Some(call.clone()),
                        limit: 1,
                        ..Default::default()
                    },
                )
                .await?;
            drop(answer);
            stored
                .first()
                .map(|c| c.id)
                .ok_or_else(|| tr(s.locale, "phone-test-call-failed"))
        }
    };
    let mut v = view(&state, &s, &headers, None).await?;
    v.test_call = Some(outcome);
    Ok(respond(&s, &v, StatusCode::OK))
}

#[derive(Debug, Deserialize)]
pub struct InboxPage {
    before_id: Option<i64>,
}

/// `GET /settings/phone-system/inbox`: every kept delivery, newest first,
/// with its headers and body, 50 a page.
pub async fn inbox(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<InboxPage>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let list = state
        .store
        .deliveries(
            s.caller.company_id,
            &DeliveryFilter {
                cursor: q.before_id,
                limit: INBOX_PAGE,
                ..DeliveryFilter::default()
            },
        )
        .await?;
    let settings = state
        .store
        .phone_system_settings(s.caller.company_id)
        .await?;
    let title = tr(l, "phone-inbox-title");
    let next = (list.len() as i64 == INBOX_PAGE)
        .then(|| list.last().map(|d| d.id))
        .flatten();
    let markup = s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } " › " a href=(PATH) { (tr(l, "phone-title")) } }
        h1 { (title) }
        p { (tr_args(l, "phone-inbox-about", &[("days", settings.inbox_retention_days.into())])) }
        (deliveries_table(&s, &list, true))
        @if let Some(id) = next {
            p { a #older href=(format!("{INBOX}?before_id={id}")) { (tr(l, "phone-older")) } }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(PATH, &["GET", "POST"], get(page).post(save))
        .other(&format!("{PATH}/ignored"), &["POST"], post(save_ignored))
        .other(&format!("{PATH}/token"), &["POST"], post(make_token))
        .other(&format!("{PATH}/test-call"), &["POST"], post(test_call))
        .other(INBOX, &["GET"], get(inbox))
}

//! Quote pages (R-M7, R-U2, R-U5): the list, the builder, a quote from the
//! active call (the **Incoming call** button), a quote's page and its
//! conversion into a work order.

use super::*;
use crate::api::work::{new_quote, QuoteIn, CHANNELS};
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_store::{Call, StoreError};

/// The builder's values.
#[derive(Default)]
pub(super) struct QuoteForm {
    pub client_id: Option<i64>,
    pub channel: String,
    pub contact: String,
    pub description: String,
}

/// `open` or `converted`, for the status texts' ids.
pub(super) fn status_word(s: &str) -> &'static str {
    if s == "converted" {
        "converted"
    } else {
        "open"
    }
}

/// The quote builder, on `/quotes/new` and on a client's profile. While a
/// call is active for this employee (`active`), it shows R-U2's **Incoming
/// call** button: it posts the form to `/quotes/from-call`, which makes the
/// quote from the call the server finds active then (R-M7).
pub(super) fn quote_form(
    s: &Signed,
    f: &QuoteForm,
    errors: &[(&str, String)],
    active: Option<&Call>,
) -> Markup {
    let l = s.locale;
    html! {
        @if !errors.is_empty() { p.error role="alert" { (tr(l, "form-has-errors")) } }
        form #quote-form method="post" action="/quotes/new" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            @if let Some(c) = f.client_id { input type="hidden" name="client_id" value=(c); }
            label for="channel" { (tr(l, "quote-channel")) }
            select #channel name="channel" {
                @for ch in CHANNELS {
                    option value=(ch) selected[f.channel == ch] { (tr(l, &format!("quote-channel-{ch}"))) }
                }
            }
            label for="contact" { (tr(l, "quote-contact")) }
            input #contact name="contact" value=(f.contact) aria-invalid=[described_by(errors, "contact").map(|_| "true")] aria-describedby=[described_by(errors, "contact")];
            (field_note(errors, "contact"))
            label for="description" { (tr(l, "quote-description")) }
            textarea #description name="description" rows="4" { (f.description) }
            div.form-actions {
                button #create-quote type="submit" { (tr(l, "quote-create")) }
                @if let Some(c) = active {
                    button #incoming-call .incoming-call type="submit" formaction="/quotes/from-call" aria-describedby="incoming-call-note" { (tr(l, "quote-incoming-call")) }
                    span #incoming-call-note .muted { (tr_args(l, "quote-incoming-call-note", &[("number", super::bar::raw_number(c).to_owned().into())])) }
                }
            }
        }
    }
}

fn flash_text(l: Locale, m: Option<&str>) -> Option<(bool, String)> {
    let (ok, id) = match m? {
        "created" => (true, "quote-created"),
        "converted" => (true, "quote-converted"),
        "already-converted" => (false, "quote-already-converted"),
        "no-active-call" => (false, "quote-no-active-call"),
        _ => return None,
    };
    Some((ok, tr(l, id)))
}

fn flash(l: Locale, m: Option<&str>) -> Markup {
    html! {
        @if let Some((ok, text)) = flash_text(l, m) {
            @if ok { p.notice #flash role="status" { (text) } } @else { p.error #flash role="alert" { (text) } }
        }
    }
}

/// `GET /quotes`: the company's quotes, newest first (as `GET /api/v1/quotes`).
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let quotes = state
        .store
        .quotes(s.caller.company_id, None, None, 100)
        .await?;
    let title = tr(l, "quotes-title");
    let markup = s.page(&title, "/quotes", html! {
        h1 { (title) }
        (flash(l, q.m.as_deref()))
        p { a.button #new-quote href="/quotes/new" { (tr(l, "quote-new")) } }
        @if quotes.is_empty() {
            p #no-quotes { (tr(l, "quotes-empty")) }
        } @else {
            table #quotes {
                thead { tr {
                    th scope="col" { (tr(l, "quote-number")) }
                    th scope="col" { (tr(l, "quote-contact")) }
                    th scope="col" { (tr(l, "quote-status")) }
                    th scope="col" { (tr(l, "quote-created-at")) }
                } }
                tbody {
                    @for qt in &quotes {
                        tr id=(format!("quote-row-{}", qt.id)) {
                            td { a href=(format!("/quotes/{}", qt.id)) { (qt.number) } }
                            td { (qt.contact) }
                            td { (tr(l, &format!("quote-status-{}", status_word(&qt.status)))) }
                            td { time datetime=(qt.created_at.to_string()) { (local_time(qt.created_at, &s.tz)) } }
                        }
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

#[derive(Deserialize)]
pub struct NewQuery {
    pub client_id: Option<i64>,
    pub m: Option<String>,
}

fn new_markup(
    s: &Signed,
    f: &QuoteForm,
    errors: &[(&str, String)],
    active: Option<&Call>,
    m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let title = tr(l, "quote-new");
    s.page(
        &title,
        "/quotes/new",
        html! {
            h1 { (title) }
            (flash(l, m))
            (quote_form(s, f, errors, active))
        },
    )
}

/// `GET /quotes/new`: the builder (for a client with `?client_id=`).
pub async fn new_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let active = super::bar::active_calls(&state, &s).await?;
    let f = QuoteForm {
        client_id: q.client_id,
        channel: "phone".into(),
        ..QuoteForm::default()
    };
    Ok(Html(new_markup(&s, &f, &[], active.first(), q.m.as_deref()).into_string()).into_response())
}

fn read_form(body: &[u8]) -> QuoteForm {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    QuoteForm {
        client_id: get("client_id").parse().ok(),
        channel: get("channel"),
        contact: get("contact"),
        description: get("description"),
    }
}

fn description(f: &QuoteForm) -> Option<String> {
    Some(f.description.trim().to_owned()).filter(|d| !d.is_empty())
}

/// `POST /quotes/new`: as `POST /api/v1/quotes`.
pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let f = read_form(&body);
    let ctx = state.store.ingest_context(s.caller.company_id).await?;
    let input = QuoteIn {
        channel: f.channel.clone(),
        contact: f.contact.clone(),
        client_id: f.client_id,
        description: description(&f),
    };
    match new_quote(&ctx.country, s.caller.employee.id, input) {
        Ok(q) => {
            let q = state
                .store
                .create_quote(s.caller.company_id, &q, Timestamp::now())
                .await?;
            Ok(Redirect::to(&format!("/quotes/{}?m=created", q.id)).into_response())
        }
        Err(e) => {
            let errors = [(
                "contact",
                tr(
                    l,
                    if e.field == "contact" {
                        "quote-contact-invalid"
                    } else {
                        "form-has-errors"
                    },
                ),
            )];
            let active = super::bar::active_calls(&state, &s).await?;
            Ok(with_cookie(
                new_markup(&s, &f, &errors, active.first(), None),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ))
        }
    }
}

/// `POST /quotes/from-call`: R-U2's **Incoming call**: R-M7's quote from the
/// call active for this employee now (the call's number as contact, channel
/// phone, the call linked), with the form's description.
pub async fn from_call(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = read_form(&body);
    let active = super::bar::active_calls(&state, &s).await?;
    let Some(call) = active.first() else {
        return Ok(Redirect::to("/quotes/new?m=no-active-call").into_response());
    };
    let q = state
        .store
        .quote_from_call(
            s.caller.company_id,
            call.id,
            Some(s.caller.employee.id),
            description(&f),
            Timestamp::now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/quotes/{}?m=created", q.id)).into_response())
}

/// `GET /quotes/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let qt = state.store.quote(s.caller.company_id, id).await?;
    let title = tr_args(l, "quote-title", &[("number", qt.number.clone().into())]);
    let path = format!("/quotes/{id}");
    let markup = s.page(&title, &path, html! {
        h1 { (title) }
        (flash(l, q.m.as_deref()))
        dl #quote {
            dt { (tr(l, "quote-status")) } dd #quote-status { (tr(l, &format!("quote-status-{}", status_word(&qt.status)))) }
            dt { (tr(l, "quote-channel")) } dd #quote-channel { (tr(l, &format!("quote-channel-{}", if CHANNELS.contains(&qt.channel.as_str()) { qt.channel.as_str() } else { "other" }))) }
            dt { (tr(l, "quote-contact")) } dd #quote-contact { (qt.contact) }
            @if let Some(c) = qt.client_id {
                dt { (tr(l, "quote-client")) } dd { a href=(format!("/clients/{c}")) { (tr(l, "quote-view-client")) } }
            }
            @if qt.call_id.is_some() {
                dt { (tr(l, "quote-call")) } dd #quote-call { (tr(l, "quote-from-call")) }
            }
            @if let Some(d) = &qt.description { dt { (tr(l, "quote-description")) } dd { (d) } }
            dt { (tr(l, "quote-created-at")) } dd { time datetime=(qt.created_at.to_string()) { (local_time(qt.created_at, &s.tz)) } }
            @if let Some(o) = qt.order_id {
                dt { (tr(l, "quote-order")) } dd { a #quote-order href=(format!("/orders/{o}")) { (tr(l, "quote-view-order")) } }
            }
        }
        @if qt.status != "converted" {
            form #convert method="post" action=(format!("/quotes/{id}/convert")) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                button type="submit" { (tr(l, "quote-convert")) }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /quotes/{id}/convert`: as `POST /api/v1/quotes/{id}/convert`.
pub async fn convert(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = match state
        .store
        .convert_quote(
            s.caller.company_id,
            id,
            Some(s.caller.employee.id),
            Timestamp::now(),
        )
        .await
    {
        Ok(_) => "converted",
        Err(StoreError::Conflict(_)) => "already-converted",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/quotes/{id}?m={m}")).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other("/quotes", &["GET"], get(list))
        .other("/quotes/new", &["GET", "POST"], get(new_page).post(create))
        .other("/quotes/from-call", &["POST"], post(from_call))
        .other("/quotes/{id}", &["GET"], get(detail))
        .other("/quotes/{id}/convert", &["POST"], post(convert))
}

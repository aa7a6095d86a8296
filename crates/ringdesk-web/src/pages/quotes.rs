//! Quote pages (R-M7, R-U2, R-U5): the list, the builder, a quote from the
//! active call (the **Incoming call** button), a quote's page and its
//! conversion into a work order.

use super::*;
use crate::api::work::{new_quote, QuoteIn, CHANNELS};
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_domain::quote::{
    decimal_separator, format_money, format_quantity, line_total, parse_lines, parse_price,
    parse_quantity, LineError, LineField, LineInput, QuoteLine, MAX_LINES,
};
use ringdesk_store::{Call, StoreError};

/// The builder's values.
#[derive(Default)]
pub(super) struct QuoteForm {
    pub client_id: Option<i64>,
    pub channel: String,
    pub contact: String,
    pub description: String,
    /// The line rows as typed (blank rows included); empty: [`BLANK_ROWS`] blank rows.
    pub lines: Vec<LineInput>,
}

/// Blank line rows a new builder shows.
const BLANK_ROWS: usize = 3;

/// An amount in cents as the page's language writes it: two decimals, its
/// decimal separator (`12.50`, `12,50`).
pub(super) fn money(l: Locale, cents: i64) -> String {
    format_money(cents, decimal_separator(l))
}

/// The rows to show: those typed, or [`BLANK_ROWS`] blank ones.
fn rows(lines: &[LineInput]) -> Vec<LineInput> {
    if lines.is_empty() {
        vec![LineInput::default(); BLANK_ROWS]
    } else {
        lines.to_vec()
    }
}

fn is_blank(r: &LineInput) -> bool {
    r.description.trim().is_empty()
        && r.quantity.trim().is_empty()
        && r.unit_price.trim().is_empty()
}

/// The key of a cell's error (`item-2-quantity`), and its input's id.
fn cell_id(row: usize, field: LineField) -> String {
    format!("item-{row}-{}", field.as_str())
}

/// The typed lines (blank rows dropped) as the domain reads them, or each
/// refused cell with its text, keyed by [`cell_id`] (or `items`).
fn read_lines(l: Locale, rows: &[LineInput]) -> Result<Vec<QuoteLine>, Vec<(String, String)>> {
    let (index, typed): (Vec<usize>, Vec<LineInput>) = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !is_blank(r))
        .map(|(i, r)| {
            (
                i,
                LineInput {
                    description: r.description.clone(),
                    quantity: r.quantity.trim().to_owned(),
                    unit_price: r.unit_price.trim().to_owned(),
                },
            )
        })
        .unzip();
    parse_lines(&typed).map_err(|errors| {
        errors
            .iter()
            .map(|e: &LineError| {
                let key = match (e.index, e.field) {
                    (Some(i), Some(f)) => cell_id(index[i], f),
                    _ => "items".to_owned(),
                };
                (key, tr(l, &format!("quote-line-{}", e.problem.key())))
            })
            .collect()
    })
}

/// The line rows: a table of inputs (names as the API's, `items[2].quantity`),
/// each row's total when it reads, the total of those, and **Add line**,
/// which posts the form back to `add_action` to show one more row (no
/// JavaScript needed). Errors beside their cells.
fn line_rows(
    l: Locale,
    lines: &[LineInput],
    errors: &[(&str, String)],
    add_action: &str,
) -> Markup {
    let rows = rows(lines);
    let totals: Vec<Option<i64>> = rows
        .iter()
        .map(|r| {
            match (
                parse_quantity(r.quantity.trim()),
                parse_price(r.unit_price.trim()),
            ) {
                (Ok(q), Ok(p)) => line_total(q, p),
                _ => None,
            }
        })
        .collect();
    let total = totals
        .iter()
        .flatten()
        .try_fold(0i64, |sum, t| sum.checked_add(*t));
    html! {
        fieldset #quote-lines-fieldset {
            legend { (tr(l, "quote-lines")) }
            (field_note(errors, "items"))
            div.table-wrap {
                table.quote-lines #quote-lines {
                    thead { tr {
                        th scope="col" { (tr(l, "quote-line-description")) }
                        th scope="col" .num { (tr(l, "quote-line-quantity")) }
                        th scope="col" .num { (tr(l, "quote-line-unit-price")) }
                        th scope="col" .num { (tr(l, "quote-line-total")) }
                    } }
                    tbody {
                        @for (i, r) in rows.iter().enumerate() {
                            @let n = (i + 1).to_string();
                            @let row_total = totals[i];
                            tr id=(format!("item-{i}")) {
                                @for (field, value, class, decimal) in [
                                    (LineField::Description, &r.description, "desc", false),
                                    (LineField::Quantity, &r.quantity, "qty", true),
                                    (LineField::UnitPrice, &r.unit_price, "price", true),
                                ] {
                                    @let id = cell_id(i, field);
                                    @let label = tr_args(l, &format!("quote-line-{}-of", field.as_str().replace('_', "-")), &[("n", n.clone().into())]);
                                    td class=(class) {
                                        input id=(id) name=(format!("items[{i}].{}", field.as_str())) value=(value)
                                            aria-label=(label)
                                            inputmode=[decimal.then_some("decimal")]
                                            maxlength=[(!decimal).then_some("200")]
                                            aria-invalid=[described_by(errors, &id).map(|_| "true")]
                                            aria-describedby=[described_by(errors, &id)];
                                        (field_note(errors, &id))
                                    }
                                }
                                td.num id=(format!("item-{i}-total")) { @if let Some(t) = row_total { (money(l, t)) } }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" colspan="3" { (tr(l, "quote-total")) }
                        td.num #quote-lines-total { @if let Some(t) = total { (money(l, t)) } }
                    } }
                }
            }
            @if rows.len() < MAX_LINES {
                button #add-line .secondary type="submit" name="add" value="line" formaction=(add_action) formnovalidate { (tr(l, "quote-add-line")) }
            }
            p.muted { (tr(l, "quote-lines-hint")) }
        }
    }
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
            (line_rows(l, &f.lines, errors, "/quotes/new"))
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
        "lines-saved" => (true, "quote-lines-saved"),
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

/// The line rows of a posted form (`items[2].quantity`…), in order; rows
/// past [`MAX_LINES`] + 1 are ignored (the domain refuses more than
/// [`MAX_LINES`] lines anyway).
fn read_rows(pairs: &[(String, String)]) -> Vec<LineInput> {
    let mut rows: Vec<LineInput> = Vec::new();
    for (name, value) in pairs {
        let Some((i, field)) = name
            .strip_prefix("items[")
            .and_then(|r| r.split_once("]."))
            .and_then(|(i, f)| Some((i.parse::<usize>().ok()?, f)))
        else {
            continue;
        };
        if i > MAX_LINES {
            continue;
        }
        if rows.len() <= i {
            rows.resize(i + 1, LineInput::default());
        }
        let cell = match field {
            "description" => &mut rows[i].description,
            "quantity" => &mut rows[i].quantity,
            "unit_price" => &mut rows[i].unit_price,
            _ => continue,
        };
        value.clone_into(cell);
    }
    rows
}

/// Whether the form was posted by **Add line**.
fn adds_line(pairs: &[(String, String)]) -> bool {
    pairs.iter().any(|(n, v)| n == "add" && v == "line")
}

/// The rows with one more blank row (keeping what was typed).
fn with_new_row(mut rows: Vec<LineInput>) -> Vec<LineInput> {
    if rows.is_empty() {
        rows = vec![LineInput::default(); BLANK_ROWS];
    }
    if rows.len() < MAX_LINES {
        rows.push(LineInput::default());
    }
    rows
}

fn pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

fn read_form(pairs: &[(String, String)]) -> QuoteForm {
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
        lines: read_rows(pairs),
    }
}

/// Borrowed error keys, as the shared helpers take them.
fn borrowed(errors: &[(String, String)]) -> Vec<(&str, String)> {
    errors
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect()
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
    let pairs = pairs(&body);
    let mut f = read_form(&pairs);
    if adds_line(&pairs) {
        f.lines = with_new_row(std::mem::take(&mut f.lines));
        let active = super::bar::active_calls(&state, &s).await?;
        return Ok(
            Html(new_markup(&s, &f, &[], active.first(), None).into_string()).into_response(),
        );
    }
    let items = match read_lines(l, &f.lines) {
        Ok(items) => items,
        Err(errors) => {
            let active = super::bar::active_calls(&state, &s).await?;
            return Ok(with_cookie(
                new_markup(&s, &f, &borrowed(&errors), active.first(), None),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ));
        }
    };
    let ctx = state.store.ingest_context(s.caller.company_id).await?;
    let input = QuoteIn {
        channel: f.channel.clone(),
        contact: f.contact.clone(),
        client_id: f.client_id,
        description: description(&f),
        items: Vec::new(),
    };
    match new_quote(&ctx.country, s.caller.employee.id, input, items) {
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
    let f = read_form(&pairs(&body));
    let active = super::bar::active_calls(&state, &s).await?;
    let Some(call) = active.first() else {
        return Ok(Redirect::to("/quotes/new?m=no-active-call").into_response());
    };
    let items = match read_lines(s.locale, &f.lines) {
        Ok(items) => items,
        Err(errors) => {
            return Ok(with_cookie(
                new_markup(&s, &f, &borrowed(&errors), active.first(), None),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ));
        }
    };
    let q = state
        .store
        .quote_from_call(
            s.caller.company_id,
            call.id,
            Some(s.caller.employee.id),
            description(&f),
            items,
            Timestamp::now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/quotes/{}?m=created", q.id)).into_response())
}

/// The quote's lines as they are, as a read-only table with the total.
fn items_table(l: Locale, qt: &ringdesk_store::Quote) -> Markup {
    html! {
        @if qt.items.is_empty() {
            p #quote-no-items { (tr(l, "quote-no-lines")) }
        } @else {
            div.table-wrap {
                table.quote-lines #quote-items {
                    caption.sr-only { (tr(l, "quote-lines")) }
                    thead { tr {
                        th scope="col" { (tr(l, "quote-line-description")) }
                        th scope="col" .num { (tr(l, "quote-line-quantity")) }
                        th scope="col" .num { (tr(l, "quote-line-unit-price")) }
                        th scope="col" .num { (tr(l, "quote-line-total")) }
                    } }
                    tbody {
                        @for it in &qt.items {
                            tr {
                                td { (it.description) }
                                td.num { (format_quantity(it.quantity_milli, decimal_separator(l))) }
                                td.num { (money(l, it.unit_price_cents)) }
                                td.num { (money(l, it.total_cents)) }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" colspan="3" { (tr(l, "quote-total")) }
                        td.num #quote-total { (money(l, qt.total_cents)) }
                    } }
                }
            }
        }
    }
}

/// The edit rows of an open quote: its lines as the page's language writes
/// them, and one blank row (none typed: the builder's blank rows).
fn edit_rows(l: Locale, qt: &ringdesk_store::Quote) -> Vec<LineInput> {
    let sep = decimal_separator(l);
    let mut rows: Vec<LineInput> = qt
        .items
        .iter()
        .map(|it| LineInput {
            description: it.description.clone(),
            quantity: format_quantity(it.quantity_milli, sep),
            unit_price: format_money(it.unit_price_cents, sep),
        })
        .collect();
    if !rows.is_empty() && rows.len() < MAX_LINES {
        rows.push(LineInput::default());
    }
    rows
}

/// A quote's page. `editing`: the line rows being edited (after **Add line**
/// or refused lines), shown open, with `errors` beside their cells.
fn detail_markup(
    s: &Signed,
    qt: &ringdesk_store::Quote,
    m: Option<&str>,
    editing: Option<&[LineInput]>,
    errors: &[(&str, String)],
) -> Markup {
    let l = s.locale;
    let id = qt.id;
    let title = tr_args(l, "quote-title", &[("number", qt.number.clone().into())]);
    let path = format!("/quotes/{id}");
    let rows = editing.map_or_else(|| edit_rows(l, qt), <[LineInput]>::to_vec);
    s.page(&title, &path, html! {
        h1 { (title) }
        (flash(l, m))
        @if !errors.is_empty() { p.error role="alert" { (tr(l, "form-has-errors")) } }
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
        h2 { (tr(l, "quote-lines")) }
        (items_table(l, qt))
        @if qt.status != "converted" {
            details #edit-lines open[editing.is_some()] {
                summary { (tr(l, "quote-edit-lines")) }
                form #quote-items-form method="post" action=(format!("/quotes/{id}/items")) {
                    input type="hidden" name=(FIELD) value=(s.csrf);
                    (line_rows(l, &rows, errors, &format!("/quotes/{id}/items")))
                    div.form-actions {
                        button #save-lines type="submit" { (tr(l, "quote-save-lines")) }
                    }
                }
            }
            form #convert method="post" action=(format!("/quotes/{id}/convert")) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                button type="submit" { (tr(l, "quote-convert")) }
            }
        }
    })
}

/// `GET /quotes/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let qt = state.store.quote(s.caller.company_id, id).await?;
    let markup = detail_markup(&s, &qt, q.m.as_deref(), None, &[]);
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /quotes/{id}/items`: as `PUT /api/v1/quotes/{id}/items` (blank rows
/// dropped); **Add line** shows one more row; refused cells are shown beside
/// themselves (422) and nothing is saved; a converted quote says so.
pub async fn set_items(
    State(state): State<AppState>,
    s: Signed,
    ClientAddress(address): ClientAddress,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let pairs = pairs(&body);
    let rows = read_rows(&pairs);
    if adds_line(&pairs) {
        let qt = state.store.quote(s.caller.company_id, id).await?;
        let rows = with_new_row(rows);
        let markup = detail_markup(&s, &qt, None, Some(&rows), &[]);
        return Ok(Html(markup.into_string()).into_response());
    }
    let items = match read_lines(l, &rows) {
        Ok(items) => items,
        Err(errors) => {
            let qt = state.store.quote(s.caller.company_id, id).await?;
            return Ok(with_cookie(
                detail_markup(&s, &qt, None, Some(&rows), &borrowed(&errors)),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ));
        }
    };
    let mut actor = s.caller.actor();
    if actor.address.is_none() {
        actor.address = address;
    }
    let m = match state
        .store
        .set_quote_items(s.caller.company_id, id, &items, &actor, Timestamp::now())
        .await
    {
        Ok(_) => "lines-saved",
        Err(StoreError::Conflict(_)) => "already-converted",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/quotes/{id}?m={m}")).into_response())
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
        .other("/quotes/{id}/items", &["POST"], post(set_items))
}

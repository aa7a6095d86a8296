//! Client pages (R-U5, R-P1): the list with a search by name or any number,
//! the profile (phones, branches, contacts, the history timeline, work
//! orders, leads, quotes, calls and the quote builder), and the create and
//! edit forms. Everything needs `view_clients`, as `/api/v1/clients` does
//! (R-T3); calls show as R-C5 lets this employee see them.

use super::click_to_call::{call_button, Dial};
use super::*;
use crate::api::clients::{people, phones, PersonIn, PhoneIn};
use crate::extract::{Path, Query};
use crate::i18n::tr_args;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_domain::access::CallVisibility;
use ringdesk_domain::company::{self, Permission};
use ringdesk_domain::phone;
use ringdesk_store::{
    CallFilter, Client, ClientPatch, LeadFilter, NewClient, NewPersonAt, PersonAt,
};
use std::sync::LazyLock;

/// How many phone rows the forms offer (an empty row adds nothing).
const PHONE_ROWS: usize = 4;
const PHONE_FIELDS: [&str; PHONE_ROWS] = ["phone_0", "phone_1", "phone_2", "phone_3"];
/// At most this many branches and as many contacts per client through the
/// form; it offers the stored ones and one empty row (a row without a name
/// is left out).
const PEOPLE_ROWS: usize = 20;
/// The two lists of people at a client (R-P1): (form prefix, heading id).
const PEOPLE: [(&str, &str); 2] = [
    ("branch", "client-branches"),
    ("contact", "client-contacts"),
];
const PERSON_PARTS: [&str; 3] = ["name", "phone", "mobile"];

/// `branch_3_phone` and the like, made once, so that errors can name them.
static PERSON_FIELDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut v = vec![];
    for (prefix, _) in PEOPLE {
        for i in 0..PEOPLE_ROWS {
            for part in PERSON_PARTS {
                v.push(format!("{prefix}_{i}_{part}"));
            }
        }
    }
    v
});

fn person_field(list: usize, i: usize, part: usize) -> &'static str {
    &PERSON_FIELDS[(list * PEOPLE_ROWS + i) * PERSON_PARTS.len() + part]
}

/// The clients a search finds: by any number (R-P3's lookup, through the
/// index) when the text reads as one, and by name.
pub(super) async fn search(
    state: &AppState,
    company_id: i64,
    q: &str,
) -> Result<Vec<Client>, AppError> {
    let mut out: Vec<Client> = Vec::new();
    if q.chars().any(|c| c.is_ascii_digit()) {
        let country = state
            .store
            .ingest_context(company_id)
            .await?
            .country
            .clone();
        if let Ok(n) = phone::normalise(q, &country) {
            for m in state.store.lookup(company_id, &n.key).await? {
                out.push(state.store.client(company_id, m.client_id).await?);
            }
        }
    }
    for c in state.store.clients_named(company_id, q, 50).await? {
        if !out.iter().any(|o| o.id == c.id) {
            out.push(c);
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct ListQuery {
    pub q: Option<String>,
}

/// `GET /clients`: newest first, or what the search finds.
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let l = s.locale;
    let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let clients = match text {
        Some(t) => search(&state, s.caller.company_id, t).await?,
        None => state.store.clients(s.caller.company_id, None, 100).await?,
    };
    let title = tr(l, "clients-title");
    let markup = s.page(&title, "/clients", html! {
        h1 { (title) }
        p { a.button #new-client href="/clients/new" { (tr(l, "client-new")) } }
        form #client-search method="get" action="/clients" role="search" {
            label for="q" { (tr(l, "clients-search")) }
            input #q type="search" name="q" value=(text.unwrap_or_default());
            button type="submit" { (tr(l, "clients-search-button")) }
        }
        @if clients.is_empty() {
            p #no-clients { (tr(l, "clients-empty")) }
        } @else {
            ul #clients .cards {
                @for c in &clients {
                    li id=(format!("client-row-{}", c.id)) {
                        a href=(format!("/clients/{}", c.id)) { (c.name) }
                        @if !c.phones.is_empty() {
                            " " span.muted { @for (i, p) in c.phones.iter().enumerate() { @if i > 0 { ", " } (p.number) } }
                        }
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

fn flash_text(l: Locale, m: Option<&str>) -> Option<String> {
    let id = match m? {
        "created" => "client-created",
        "saved" => "client-saved",
        "relinked" => "client-relinked",
        _ => return None,
    };
    Some(tr(l, id))
}

/// `GET /clients/{id}`: the profile with its history and the quote builder.
pub async fn profile(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let l = s.locale;
    let company = s.caller.company_id;
    let c = state.store.client(company, id).await?;
    let history = state.store.client_history(company, id).await?;
    let orders = state.store.orders(company, Some(id), None, 50).await?;
    let order_statuses = state.store.order_statuses(company).await?;
    let leads = state
        .store
        .leads(
            company,
            &LeadFilter {
                client_id: Some(id),
                limit: 50,
                ..LeadFilter::default()
            },
        )
        .await?;
    let lead_statuses = state.store.lead_statuses(company).await?;
    let quotes = state.store.quotes(company, Some(id), None, 50).await?;
    let calls = state
        .store
        .calls(
            company,
            &CallFilter {
                client_id: Some(id),
                visible_to_operator: CallVisibility::of(
                    s.caller.employee.id,
                    &s.caller.permissions,
                )
                .only_operator(),
                limit: 50,
                ..CallFilter::default()
            },
        )
        .await?;
    let active = super::bar::active_calls(&state, &s).await?;
    let status_name = |list: &[ringdesk_store::Status], sid: i64| {
        list.iter()
            .find(|st| st.id == sid)
            .map(|st| st.name.clone())
            .unwrap_or_default()
    };
    let path = format!("/clients/{id}");
    let markup = s.page(&c.name, &path, html! {
        h1 #client-name { (c.name) }
        @if let Some(text) = flash_text(l, q.m.as_deref()) { p.notice #flash role="status" { (text) } }
        p { a #edit-client href=(format!("/clients/{id}/edit")) { (tr(l, "client-edit")) } }
        section aria-labelledby="phones-h" {
            h2 #phones-h { (tr(l, "client-phones")) }
            @if c.phones.is_empty() { p { (tr(l, "client-no-phones")) } }
            ul #client-phones {
                @for p in &c.phones {
                    li {
                        a href=(format!("tel:{}", p.e164.clone().unwrap_or_else(|| p.number.clone()))) { (p.number) } " " span.muted { (tr(l, if p.kind.as_str() == "mobile" { "phone-kind-mobile" } else { "phone-kind-phone" })) }
                        " " (call_button(&s, &Dial { number: &p.number, client_id: Some(id), ..Dial::default() }))
                    }
                }
            }
            @for (heading, list) in [("client-branches", &c.branches), ("client-contacts", &c.contacts)] {
                @if !list.is_empty() {
                    h3 { (tr(l, heading)) }
                    ul { @for p in list { li { (p.name) @if let Some(ph) = &p.phone { " · " (ph) } @if let Some(m) = &p.mobile { " · " (m) } } } }
                }
            }
        }
        section #quote-builder aria-labelledby="quote-h" {
            h2 #quote-h { (tr(l, "quote-new")) }
            (super::quotes::quote_form(&s, &super::quotes::QuoteForm { client_id: Some(id), channel: "phone".into(), contact: c.phones.first().map(|p| p.number.clone()).unwrap_or_default(), ..Default::default() }, &[], active.first()))
        }
        section aria-labelledby="history-h" {
            h2 #history-h { (tr(l, "client-history")) }
            @if history.is_empty() { p { (tr(l, "client-history-empty")) } }
            ol #client-history .timeline {
                @for h in &history {
                    li data-kind=(h.kind) {
                        time datetime=(h.at.to_string()) { (local_time(h.at, &s.tz)) }
                        " " span.tag { (tr(l, &format!("history-{}", history_kind(&h.kind)))) }
                        " " (h.title)
                        @if let Some(st) = &h.status { " · " (st) }
                    }
                }
            }
        }
        section aria-labelledby="orders-h" {
            h2 #orders-h { (tr(l, "client-orders")) }
            @if orders.is_empty() { p { (tr(l, "client-none")) } }
            ul #client-orders { @for o in &orders { li { a href=(format!("/orders/{}", o.id)) { (o.number) } " · " (status_name(&order_statuses, o.status_id)) } } }
        }
        section aria-labelledby="leads-h" {
            h2 #leads-h { (tr(l, "client-leads")) }
            @if leads.is_empty() { p { (tr(l, "client-none")) } }
            ul #client-leads { @for ld in &leads { li { a href=(format!("/leads/{}", ld.id)) { (ld.number) } " · " (status_name(&lead_statuses, ld.status_id)) } } }
        }
        section aria-labelledby="quotes-h" {
            h2 #quotes-h { (tr(l, "client-quotes")) }
            @if quotes.is_empty() { p { (tr(l, "client-none")) } }
            ul #client-quotes { @for qt in &quotes { li { a href=(format!("/quotes/{}", qt.id)) { (qt.number) } " · " (tr(l, &format!("quote-status-{}", super::quotes::status_word(&qt.status)))) } } }
        }
        section aria-labelledby="calls-h" {
            h2 #calls-h { (tr(l, "client-calls")) }
            @if calls.is_empty() { p { (tr(l, "client-none")) } }
            ul #client-calls {
                @for call in &calls {
                    li {
                        time datetime=(call.first_seen_at.to_string()) { (local_time(call.first_seen_at, &s.tz)) }
                        " · " span title=(super::bar::raw_number(call)) { (tr(l, if call.direction.as_str() == "inbound" { "call-inbound" } else { "call-outbound" })) }
                        " · " (call.state.as_str())
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

fn history_kind(k: &str) -> &'static str {
    match k {
        "call" => "call",
        "lead" => "lead",
        "order" => "order",
        "quote" => "quote",
        _ => "task",
    }
}

// ----- the form ----------------------------------------------------------------------------------

/// A branch or contact row as typed: name, phone, mobile.
type PersonRow = [String; 3];

#[derive(Default)]
struct ClientForm {
    name: String,
    phones: Vec<(String, String)>,
    /// Branches, then contacts.
    people: [Vec<PersonRow>; 2],
}

fn person_rows(list: &[PersonAt]) -> Vec<PersonRow> {
    list.iter()
        .map(|p| {
            [
                p.name.clone(),
                p.phone.clone().unwrap_or_default(),
                p.mobile.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

fn read_form(body: &[u8]) -> ClientForm {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    ClientForm {
        name: get("name"),
        phones: (0..PHONE_ROWS)
            .map(|i| (get(&format!("phone_{i}")), get(&format!("phone_kind_{i}"))))
            .collect(),
        // Empty rows are dropped, so the rows shown again keep the errors' numbering.
        people: [0, 1].map(|list| {
            (0..PEOPLE_ROWS)
                .map(|i| [0, 1, 2].map(|part| get(person_field(list, i, part))))
                .filter(|row| row.iter().any(|v| !v.trim().is_empty()))
                .collect()
        }),
    }
}

/// Errors beside the fields: (field, text in the page's language).
type FieldErrors = Vec<(&'static str, String)>;

/// The form's values as the API's, with the errors beside the fields.
/// The form's values as the API's (R-P1): the name, the phones, the branches and the contacts.
struct Valid {
    name: String,
    phones: Vec<ringdesk_store::NewClientPhone>,
    people: [Vec<NewPersonAt>; 2],
}

fn validate(l: Locale, f: &ClientForm, country: &phone::Country) -> Result<Valid, FieldErrors> {
    let mut errors = Vec::new();
    let name = company::person_or_company_name("name", &f.name)
        .map_err(|_| errors.push(("name", tr(l, "client-name-invalid"))))
        .ok();
    let mut list = Vec::new();
    for (i, (number, kind)) in f.phones.iter().enumerate() {
        if number.trim().is_empty() {
            continue;
        }
        let one = PhoneIn {
            number: number.trim().to_owned(),
            kind: Some(if kind == "mobile" { "mobile" } else { "phone" }.to_owned()),
        };
        match phones(std::slice::from_ref(&one), country) {
            Ok(mut p) => list.append(&mut p),
            Err(_) => errors.push((PHONE_FIELDS[i], tr(l, "client-phone-invalid"))),
        }
    }
    let mut lists: [Vec<NewPersonAt>; 2] = [vec![], vec![]];
    for (k, rows) in f.people.iter().enumerate() {
        for (i, row) in rows.iter().enumerate() {
            let one = PersonIn {
                name: row[0].trim().to_owned(),
                phone: Some(row[1].clone()),
                mobile: Some(row[2].clone()),
            };
            // The API's own check; its error names the part at fault.
            match people("row", std::slice::from_ref(&one), country) {
                Ok(mut p) => lists[k].append(&mut p),
                Err(e) => {
                    let part = PERSON_PARTS
                        .iter()
                        .position(|p| e.field.ends_with(&format!(".{p}")))
                        .unwrap_or(0);
                    let text = if part == 0 {
                        "client-name-invalid"
                    } else {
                        "client-phone-invalid"
                    };
                    errors.push((person_field(k, i, part), tr(l, text)));
                }
            }
        }
    }
    match name {
        Some(name) if errors.is_empty() => Ok(Valid {
            name,
            phones: list,
            people: lists,
        }),
        _ => Err(errors),
    }
}

fn form_markup(
    s: &Signed,
    title: &str,
    action: &str,
    f: &ClientForm,
    errors: &[(&str, String)],
) -> Markup {
    let l = s.locale;
    s.page(title, action, html! {
        h1 { (title) }
        @if !errors.is_empty() { p.error role="alert" { (tr(l, "form-has-errors")) } }
        form #client-form method="post" action=(action) {
            input type="hidden" name=(FIELD) value=(s.csrf);
            label for="name" { (tr(l, "client-name")) }
            input #name name="name" value=(f.name) required maxlength="200" autocomplete="off" aria-invalid=[described_by(errors, "name").map(|_| "true")] aria-describedby=[described_by(errors, "name")];
            (field_note(errors, "name"))
            fieldset {
                legend { (tr(l, "client-phones")) }
                @for i in 0..PHONE_ROWS {
                    @let field = PHONE_FIELDS[i];
                    @let (number, kind) = f.phones.get(i).cloned().unwrap_or_default();
                    div.phone-row {
                        label for=(field) { (tr_args(l, "client-phone-n", &[("n", (i + 1).into())])) }
                        input id=(field) name=(field) type="tel" value=(number) aria-invalid=[described_by(errors, field).map(|_| "true")] aria-describedby=[described_by(errors, field)];
                        label for=(format!("phone_kind_{i}")) .bar-hidden-label { (tr(l, "client-phone-kind")) }
                        select id=(format!("phone_kind_{i}")) name=(format!("phone_kind_{i}")) {
                            option value="phone" selected[kind != "mobile"] { (tr(l, "phone-kind-phone")) }
                            option value="mobile" selected[kind == "mobile"] { (tr(l, "phone-kind-mobile")) }
                        }
                        (field_note(errors, field))
                    }
                }
            }
            @for (k, (_, heading)) in PEOPLE.iter().enumerate() {
                fieldset.people {
                    legend { (tr(l, heading)) }
                    @for i in 0..(f.people[k].len() + 1).min(PEOPLE_ROWS) {
                        @let row = f.people[k].get(i).cloned().unwrap_or_default();
                        div.person-row {
                            @for (part, value) in row.iter().enumerate() {
                                @let field = person_field(k, i, part);
                                div {
                                    label for=(field) { (tr_args(l, &format!("client-person-{}", PERSON_PARTS[part]), &[("n", (i + 1).into())])) }
                                    input id=(field) name=(field) type=(if part == 0 { "text" } else { "tel" }) value=(value) maxlength=(if part == 0 { "200" } else { "64" }) autocomplete="off"
                                        aria-invalid=[described_by(errors, field).map(|_| "true")] aria-describedby=[described_by(errors, field)];
                                    (field_note(errors, field))
                                }
                            }
                        }
                    }
                }
            }
            button type="submit" { (tr(l, "client-save")) }
        }
    })
}

async fn country(state: &AppState, s: &Signed) -> Result<phone::Country, AppError> {
    Ok(state
        .store
        .ingest_context(s.caller.company_id)
        .await?
        .country
        .clone())
}

/// `GET /clients/new`.
pub async fn new_page(s: Signed) -> Result<Response, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let title = tr(s.locale, "client-new");
    Ok(
        Html(form_markup(&s, &title, "/clients/new", &ClientForm::default(), &[]).into_string())
            .into_response(),
    )
}

/// `POST /clients/new`: as `POST /api/v1/clients`.
pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let f = read_form(&body);
    match validate(s.locale, &f, &country(&state, &s).await?) {
        Ok(v) => {
            let [branches, contacts] = v.people;
            let new = NewClient {
                name: v.name,
                phones: v.phones,
                branches,
                contacts,
            };
            let c = state
                .store
                .create_client(s.caller.company_id, &new, Timestamp::now())
                .await?;
            Ok(Redirect::to(&format!("/clients/{}?m=created", c.id)).into_response())
        }
        Err(errors) => {
            let title = tr(s.locale, "client-new");
            Ok(with_cookie(
                form_markup(&s, &title, "/clients/new", &f, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ))
        }
    }
}

/// `GET /clients/{id}/edit`.
pub async fn edit_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let c = state.store.client(s.caller.company_id, id).await?;
    let f = ClientForm {
        name: c.name.clone(),
        phones: c
            .phones
            .iter()
            .map(|p| (p.number.clone(), p.kind.as_str().to_owned()))
            .collect(),
        people: [person_rows(&c.branches), person_rows(&c.contacts)],
    };
    let title = tr_args(s.locale, "client-edit-title", &[("name", c.name.into())]);
    Ok(
        Html(form_markup(&s, &title, &format!("/clients/{id}/edit"), &f, &[]).into_string())
            .into_response(),
    )
}

/// `POST /clients/{id}/edit`: as `PATCH /api/v1/clients/{id}` with the name,
/// the phones, the branches and the contacts (the form holds them all).
pub async fn update(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    s.caller.require(Permission::ViewClients)?;
    let c = state.store.client(s.caller.company_id, id).await?;
    let f = read_form(&body);
    match validate(s.locale, &f, &country(&state, &s).await?) {
        Ok(v) => {
            let [branches, contacts] = v.people;
            let patch = ClientPatch {
                name: Some(v.name),
                phones: Some(v.phones),
                branches: Some(branches),
                contacts: Some(contacts),
            };
            state
                .store
                .update_client(s.caller.company_id, id, &patch)
                .await?;
            Ok(Redirect::to(&format!("/clients/{id}?m=saved")).into_response())
        }
        Err(errors) => {
            let title = tr_args(s.locale, "client-edit-title", &[("name", c.name.into())]);
            Ok(with_cookie(
                form_markup(&s, &title, &format!("/clients/{id}/edit"), &f, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ))
        }
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other("/clients", &["GET"], get(list))
        .other("/clients/new", &["GET", "POST"], get(new_page).post(create))
        .other("/clients/{id}", &["GET"], get(profile))
        .other(
            "/clients/{id}/edit",
            &["GET", "POST"],
            get(edit_page).post(update),
        )
}

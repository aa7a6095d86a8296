//! Settings > Lead types, statuses and status transfer rules (R-M2, R-M6;
//! issue 11 item 2), for `manage_settings`. Each page does what its JSON API
//! does (`api::catalog`: `POST /api/v1/lead-types`, `PATCH
//! /api/v1/lead-types/{id}`, `POST /api/v1/lead-statuses` and
//! `/order-statuses`, their renames, `PUT
//! /api/v1/settings/lead-status-transfers`) through the same store calls and
//! the same rules: `name_of`, `status_group` and the domain's
//! `validate_field_defs`; the store checks that the statuses named are the
//! company's. A form at fault comes back as typed with a note beside the
//! field at fault, and nothing is saved.
//!
//! - `/settings/lead-types`: the types, and a form for a new one;
//! - `/settings/lead-types/{id}`: its name, initial status and form fields,
//!   one row of inputs per field, two empty rows to add fields, a "remove"
//!   box per row; a choice's options one per line or separated by commas;
//! - `/settings/statuses`: lead and work-order statuses, new ones, renames;
//! - `/settings/lead-transfers`: the transfer rules as a matrix of boxes,
//!   saved all at once.

use super::*;
use crate::api::catalog::{name_of, status_group};
use crate::extract::{Path, Query};
use axum::extract::State;
use bytes::Bytes;
use ringdesk_domain::event::FieldError;
use ringdesk_domain::work::{
    validate_field_defs, FieldDef, FieldKind, LeadStatusGroup, OrderStatusGroup,
};
use ringdesk_store::{LeadType, Status, StoreError};

const TYPES: &str = "/settings/lead-types";
const STATUSES: &str = "/settings/statuses";
const TRANSFERS: &str = "/settings/lead-transfers";

/// Empty rows shown under a type's fields, to add new ones.
const NEW_ROWS: usize = 2;
/// The most field rows a form is read for.
const MAX_ROWS: usize = 200;

/// The links between the three pages, under each one's title.
fn related(l: Locale, here: &str) -> Markup {
    let pages = [
        (TYPES, tr(l, "settings-lead-types-title")),
        (STATUSES, tr(l, "settings-statuses-title")),
        (TRANSFERS, tr(l, "settings-transfers-title")),
    ];
    html! {
        p.crumbs {
            a href="/settings" { (tr(l, "settings-title")) }
            @for (href, name) in pages.iter().filter(|(href, _)| *href != here) {
                " · " a href=(href) { (name) }
            }
        }
    }
}

/// A status group in the page's language.
fn group_name(l: Locale, lead: bool, group: &str) -> String {
    if lead {
        match LeadStatusGroup::parse(group) {
            Some(LeadStatusGroup::New) => tr(l, "lead-group-new"),
            Some(LeadStatusGroup::InProgress) => tr(l, "lead-group-in-progress"),
            Some(LeadStatusGroup::Won) => tr(l, "lead-group-won"),
            Some(LeadStatusGroup::Lost) => tr(l, "lead-group-lost"),
            None => group.to_owned(),
        }
    } else {
        match OrderStatusGroup::parse(group) {
            Some(OrderStatusGroup::New) => tr(l, "settings-order-group-new"),
            Some(OrderStatusGroup::InProgress) => tr(l, "settings-order-group-in-progress"),
            Some(OrderStatusGroup::ClosedSuccess) => tr(l, "settings-order-group-closed-success"),
            Some(OrderStatusGroup::ClosedFailure) => tr(l, "settings-order-group-closed-failure"),
            None => group.to_owned(),
        }
    }
}

/// A field kind in the page's language.
fn kind_name(l: Locale, kind: FieldKind) -> String {
    match kind {
        FieldKind::Text => tr(l, "settings-field-kind-text"),
        FieldKind::Number => tr(l, "settings-field-kind-number"),
        FieldKind::Date => tr(l, "settings-field-kind-date"),
        FieldKind::Choice => tr(l, "settings-field-kind-choice"),
        FieldKind::YesNo => tr(l, "settings-field-kind-yes-no"),
    }
}

fn status_name(statuses: &[Status], id: i64) -> String {
    statuses
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

/// A select of the lead statuses, `chosen` (as typed or stored) selected.
fn status_select(
    l: Locale,
    id: &str,
    statuses: &[Status],
    chosen: &str,
    errors: &Errors,
) -> Markup {
    html! {
        label for=(id) { (tr(l, "settings-lead-type-initial-status")) }
        select id=(id) name="initial_status_id"
            aria-invalid=[described_by(errors, id).map(|_| "true")]
            aria-describedby=[described_by(errors, id)] {
            @for st in statuses {
                @let value = st.id.to_string();
                option value=(value) selected[value == chosen] { (st.name) }
            }
        }
        (field_note(errors, id))
    }
}

fn text_input(id: &str, name: &str, value: &str, max: usize, errors: &Errors) -> Markup {
    html! {
        input id=(id) type="text" name=(name) value=(value) maxlength=(max) autocomplete="off"
            aria-invalid=[described_by(errors, id).map(|_| "true")]
            aria-describedby=[described_by(errors, id)];
        (field_note(errors, id))
    }
}

// ----- the lead types -----------------------------------------------------------------------

async fn types_page(
    state: &AppState,
    s: &Signed,
    typed: Option<&FormFields>,
    errors: &Errors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let types = state.store.lead_types(cid).await?;
    let statuses = state.store.lead_statuses(cid).await?;
    let title = tr(l, "settings-lead-types-title");
    let name = typed.map(|f| f.text("name")).unwrap_or_default();
    let chosen = typed
        .map(|f| f.text("initial_status_id"))
        .or_else(|| statuses.first().map(|st| st.id.to_string()))
        .unwrap_or_default();
    let markup = s.page(&title, "/settings", html! {
        (related(l, TYPES))
        h1 { (title) }
        @if !errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        p.hint { (tr(l, "settings-lead-types-hint")) }
        @if types.is_empty() {
            p.empty #no-lead-types { (tr(l, "settings-lead-types-empty")) }
        } @else {
            div.table-wrap {
                table #lead-types {
                    thead { tr {
                        th scope="col" { (tr(l, "settings-item-name")) }
                        th scope="col" { (tr(l, "settings-lead-type-initial-status")) }
                        th scope="col" { (tr(l, "settings-lead-type-fields")) }
                    } }
                    tbody {
                        @for t in &types {
                            tr id=(format!("lead-type-{}", t.id)) {
                                td { a href=(format!("{TYPES}/{}", t.id)) { (t.name) } }
                                td { (status_name(&statuses, t.initial_status_id)) }
                                td data-fields=(t.fields.len()) { (t.fields.len()) }
                            }
                        }
                    }
                }
            }
        }
        h2 #new-lead-type-heading { (tr(l, "settings-lead-type-new")) }
        form #new-lead-type .settings method="post" action=(TYPES) novalidate aria-labelledby="new-lead-type-heading" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            label for="type-name" { (tr(l, "settings-item-name")) }
            (text_input("type-name", "name", &name, 100, errors))
            (status_select(l, "type-initial-status", &statuses, &chosen, errors))
            button type="submit" { (tr(l, "settings-lead-type-add")) }
        }
    });
    Ok(with_cookie(markup, status, None))
}

/// `GET /settings/lead-types`: as `GET /api/v1/lead-types`.
pub async fn lead_types_page(
    State(state): State<AppState>,
    s: Signed,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    types_page(&state, &s, None, &vec![], StatusCode::OK).await
}

/// `POST /settings/lead-types`: as `POST /api/v1/lead-types` (without form
/// fields: they are added on the type's own page, where it leads).
pub async fn add_lead_type(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let f = FormFields::parse(&body);
    let mut errors = Errors::new();
    let name = name_of("name", &f.text("name"))
        .map_err(|_| errors.push(("type-name".into(), tr(l, "settings-err-item-name"))))
        .ok();
    let initial = f.text("initial_status_id").parse::<i64>().ok();
    if initial.is_none() {
        errors.push((
            "type-initial-status".into(),
            tr(l, "settings-err-initial-status"),
        ));
    }
    if let (Some(name), Some(initial), true) = (name, initial, errors.is_empty()) {
        let fields: [FieldDef; 0] = [];
        match state
            .store
            .create_lead_type(
                s.caller.company_id,
                &name,
                initial,
                &fields,
                &s.caller.actor(),
                Timestamp::now(),
            )
            .await
        {
            Ok(t) => return Ok(Redirect::to(&format!("{TYPES}/{}?m=added", t.id)).into_response()),
            Err(StoreError::Invalid { field, .. }) if field == "initial_status_id" => {
                errors.push((
                    "type-initial-status".into(),
                    tr(l, "settings-err-initial-status"),
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    types_page(
        &state,
        &s,
        Some(&f),
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// One row of a type's form fields, as shown (stored, or as typed).
struct Row {
    key: String,
    label: String,
    kind: String,
    required: bool,
    /// One per line.
    options: String,
    remove: bool,
}

impl Row {
    fn of(d: &FieldDef) -> Row {
        Row {
            key: d.key.clone(),
            label: d.label.clone(),
            kind: d.kind.as_str().to_owned(),
            required: d.required,
            options: d.options.join("\n"),
            remove: false,
        }
    }

    fn blank() -> Row {
        Row {
            key: String::new(),
            label: String::new(),
            kind: FieldKind::Text.as_str().to_owned(),
            required: false,
            options: String::new(),
            remove: false,
        }
    }

    /// A row with nothing typed adds nothing.
    fn is_blank(&self) -> bool {
        [&self.key, &self.label, &self.options]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    /// The rows of a posted form: `key_0`, `label_0`, `kind_0`, … while
    /// `kind_N` is sent (a select always is).
    fn read(f: &FormFields) -> Vec<Row> {
        (0..MAX_ROWS)
            .map_while(|i| {
                let kind = f.get(&format!("kind_{i}"))?;
                Some(Row {
                    key: f.text(&format!("key_{i}")),
                    label: f.text(&format!("label_{i}")),
                    kind: kind.to_owned(),
                    required: f.checked(&format!("required_{i}")),
                    options: f.text(&format!("options_{i}")),
                    remove: f.checked(&format!("remove_{i}")),
                })
            })
            .collect()
    }
}

/// A choice's options as typed: one per line, or, on one line, separated by
/// commas; blanks dropped.
fn options_of(text: &str) -> Vec<String> {
    let parts: Vec<&str> = if text.contains('\n') {
        text.lines().collect()
    } else {
        text.split(',').collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The domain's verdict on the definitions (`fields[2].options`) as the note
/// beside that row's input (`at[2]` is the row of definition 2).
fn definition_note(l: Locale, e: &FieldError, defs: &[FieldDef], at: &[usize]) -> (String, String) {
    let place = e
        .field
        .strip_prefix("fields[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(i, part)| Some((i.parse::<usize>().ok()?, part)));
    match place {
        Some((i, part)) if i < at.len() && i < defs.len() => {
            let text = match part {
                "key" => tr(l, "settings-err-field-key"),
                "label" => tr(l, "settings-err-field-label"),
                "options" if defs[i].kind == FieldKind::Choice => {
                    tr(l, "settings-err-field-options-needed")
                }
                "options" => tr(l, "settings-err-field-options-only-choice"),
                _ => e.problem.clone(),
            };
            (format!("{part}_{}", at[i]), text)
        }
        _ => ("fields".to_owned(), e.problem.clone()),
    }
}

/// A type's page: as stored, or as typed (`typed`, with its rows).
struct TypeView<'a> {
    t: &'a LeadType,
    typed: Option<(&'a FormFields, Vec<Row>)>,
    errors: &'a Errors,
    status: StatusCode,
    m: Option<&'a str>,
}

async fn type_page(state: &AppState, s: &Signed, v: TypeView<'_>) -> Result<Response, AppError> {
    let l = s.locale;
    let statuses = state.store.lead_statuses(s.caller.company_id).await?;
    let t = v.t;
    let errors = v.errors;
    let (name, chosen, rows) = match v.typed {
        Some((f, rows)) => (f.text("name"), f.text("initial_status_id"), rows),
        None => (
            t.name.clone(),
            t.initial_status_id.to_string(),
            t.fields
                .iter()
                .map(Row::of)
                .chain((0..NEW_ROWS).map(|_| Row::blank()))
                .collect(),
        ),
    };
    let existing = t.fields.len();
    let title = tr_args(
        l,
        "settings-lead-type-title",
        &[("name", t.name.clone().into())],
    );
    let action = format!("{TYPES}/{}", t.id);
    let markup = s.page(&title, "/settings", html! {
        (related(l, ""))
        h1 { (title) }
        (flash(l, v.m, &[("saved", "settings-saved"), ("added", "settings-lead-type-added")]))
        @if !errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        form #lead-type-form .settings method="post" action=(action) novalidate {
            input type="hidden" name=(FIELD) value=(s.csrf);
            label for="name" { (tr(l, "settings-item-name")) }
            (text_input("name", "name", &name, 100, errors))
            (status_select(l, "initial_status_id", &statuses, &chosen, errors))
            fieldset #fields aria-describedby="fields-hint" {
                legend { (tr(l, "settings-lead-type-fields")) }
                p.hint #fields-hint { (tr(l, "settings-lead-type-fields-hint")) }
                (field_note(errors, "fields"))
                @for (i, r) in rows.iter().enumerate() {
                    @let id = |what: &str| format!("{what}_{i}");
                    fieldset.field-row id=(id("row")) {
                        legend {
                            @if i < existing {
                                (tr_args(l, "settings-field-row", &[("n", (i as u64 + 1).into())]))
                            } @else {
                                (tr(l, "settings-field-new"))
                            }
                        }
                        label for=(id("key")) { (tr(l, "settings-field-key")) }
                        input id=(id("key")) type="text" name=(id("key")) value=(r.key) maxlength="40"
                            autocomplete="off" autocapitalize="none" spellcheck="false"
                            aria-invalid=[described_by(errors, &id("key")).map(|_| "true")]
                            aria-describedby=(described_by(errors, &id("key")).unwrap_or_else(|| "key-hint".into()));
                        (field_note(errors, &id("key")))
                        label for=(id("label")) { (tr(l, "settings-field-label")) }
                        (text_input(&id("label"), &id("label"), &r.label, 100, errors))
                        label for=(id("kind")) { (tr(l, "settings-field-kind")) }
                        select id=(id("kind")) name=(id("kind"))
                            aria-invalid=[described_by(errors, &id("kind")).map(|_| "true")]
                            aria-describedby=[described_by(errors, &id("kind"))] {
                            @for k in FieldKind::ALL {
                                option value=(k.as_str()) selected[r.kind == k.as_str()] { (kind_name(l, k)) }
                            }
                        }
                        (field_note(errors, &id("kind")))
                        div.check {
                            input type="checkbox" id=(id("required")) name=(id("required")) value="on" checked[r.required];
                            label for=(id("required")) { (tr(l, "settings-field-required")) }
                        }
                        label for=(id("options")) { (tr(l, "settings-field-options")) }
                        textarea id=(id("options")) name=(id("options")) rows="3"
                            aria-invalid=[described_by(errors, &id("options")).map(|_| "true")]
                            aria-describedby=(described_by(errors, &id("options")).unwrap_or_else(|| "options-hint".into())) { (r.options) }
                        (field_note(errors, &id("options")))
                        @if !r.is_blank() || r.remove {
                            div.check.remove {
                                input type="checkbox" id=(id("remove")) name=(id("remove")) value="on" checked[r.remove];
                                label for=(id("remove")) { (tr(l, "settings-field-remove")) }
                            }
                        }
                    }
                }
                p.hint #key-hint { (tr(l, "settings-field-key-hint")) }
                p.hint #options-hint { (tr(l, "settings-field-options-hint")) }
            }
            div.actions { button #save type="submit" { (tr(l, "settings-save")) } }
        }
    });
    Ok(with_cookie(markup, v.status, None))
}

/// `GET /settings/lead-types/{id}`: as `GET /api/v1/lead-types`, one type.
pub async fn lead_type_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let t = match state.store.lead_type(s.caller.company_id, id).await {
        Ok(t) => t,
        Err(e) => return Ok(refused(&s, e.into())),
    };
    let v = TypeView {
        t: &t,
        typed: None,
        errors: &vec![],
        status: StatusCode::OK,
        m: q.m.as_deref(),
    };
    type_page(&state, &s, v).await
}

/// `POST /settings/lead-types/{id}`: as `PATCH /api/v1/lead-types/{id}` with
/// the name, the initial status and every field (R-M2); the domain's
/// `validate_field_defs` decides, and a field at fault is noted beside its
/// row with nothing saved.
pub async fn save_lead_type(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let t = match state.store.lead_type(s.caller.company_id, id).await {
        Ok(t) => t,
        Err(e) => return Ok(refused(&s, e.into())),
    };
    let f = FormFields::parse(&body);
    let rows = Row::read(&f);
    let mut errors = Errors::new();
    let name = name_of("name", &f.text("name"))
        .map_err(|_| errors.push(("name".into(), tr(l, "settings-err-item-name"))))
        .ok();
    let initial = f.text("initial_status_id").parse::<i64>().ok();
    if initial.is_none() {
        errors.push((
            "initial_status_id".into(),
            tr(l, "settings-err-initial-status"),
        ));
    }
    // The definitions the rows make, and the row each came from.
    let mut defs = vec![];
    let mut at = vec![];
    for (i, r) in rows.iter().enumerate() {
        if r.remove || r.is_blank() {
            continue;
        }
        let Some(kind) = FieldKind::parse(&r.kind) else {
            errors.push((format!("kind_{i}"), tr(l, "settings-err-field-kind")));
            continue;
        };
        defs.push(FieldDef {
            key: r.key.trim().to_owned(),
            label: r.label.trim().to_owned(),
            kind,
            required: r.required,
            options: options_of(&r.options),
        });
        at.push(i);
    }
    if let Err(e) = validate_field_defs(&defs) {
        errors.push(definition_note(l, &e, &defs, &at));
    }
    if errors.is_empty() {
        match state
            .store
            .update_lead_type(
                s.caller.company_id,
                id,
                name.as_deref(),
                initial,
                Some(&defs),
                &s.caller.actor(),
                Timestamp::now(),
            )
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("{TYPES}/{id}?m=saved")).into_response()),
            Err(StoreError::Invalid { field, .. }) if field == "initial_status_id" => {
                errors.push((
                    "initial_status_id".into(),
                    tr(l, "settings-err-initial-status"),
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let v = TypeView {
        t: &t,
        typed: Some((&f, rows)),
        errors: &errors,
        status: StatusCode::UNPROCESSABLE_ENTITY,
        m: None,
    };
    type_page(&state, &s, v).await
}

// ----- the statuses -------------------------------------------------------------------------

/// `lead` or `order`: the ids and paths of a kind of status.
fn kind(lead: bool) -> &'static str {
    if lead {
        "lead"
    } else {
        "order"
    }
}

/// The statuses page: both lists, the add forms and the renames, with
/// `typed` (element id, value) put back into their inputs.
async fn statuses_page(
    state: &AppState,
    s: &Signed,
    typed: &[(String, String)],
    errors: &Errors,
    status: StatusCode,
    m: Option<&str>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let cid = s.caller.company_id;
    let lead_statuses = state.store.lead_statuses(cid).await?;
    let order_statuses = state.store.order_statuses(cid).await?;
    let typed_or = |id: &str, stored: &str| -> String {
        typed
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| stored.to_owned())
    };
    let title = tr(l, "settings-statuses-title");
    let markup = s.page(&title, "/settings", html! {
        (related(l, STATUSES))
        h1 { (title) }
        (flash(l, m, &[("added", "settings-status-added"), ("renamed", "settings-status-renamed")]))
        @if !errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        p.hint { (tr(l, "settings-statuses-hint")) }
        @for (lead, list, heading) in [(true, &lead_statuses, tr(l, "settings-lead-statuses")), (false, &order_statuses, tr(l, "settings-order-statuses"))] {
            @let k = kind(lead);
            @let groups: Vec<&str> = if lead {
                LeadStatusGroup::ALL.iter().map(|g| g.as_str()).collect()
            } else {
                OrderStatusGroup::ALL.iter().map(|g| g.as_str()).collect()
            };
            section aria-labelledby=(format!("{k}-statuses-heading")) {
                h2 id=(format!("{k}-statuses-heading")) { (heading) }
                div.table-wrap {
                    table.statuses id=(format!("{k}-statuses")) {
                        thead { tr {
                            th scope="col" { (tr(l, "settings-item-name")) }
                            th scope="col" { (tr(l, "settings-status-group")) }
                            th scope="col" { (tr(l, "settings-status-rename")) }
                        } }
                        tbody {
                            @for st in list.iter() {
                                @let field = format!("{k}-status-{}-name", st.id);
                                tr id=(format!("{k}-status-{}", st.id)) data-group=(st.group) {
                                    th scope="row" {
                                        (st.name)
                                        @if st.key.is_some() { " " span.badge.system { (tr(l, "settings-status-system")) } }
                                    }
                                    td {
                                        // On a narrow screen the table's head is hidden: the cell says what it is.
                                        span.narrow-only { (tr(l, "settings-status-group")) ": " }
                                        (group_name(l, lead, &st.group))
                                    }
                                    td {
                                        form.rename method="post" action=(format!("/settings/{k}-statuses/{}", st.id)) novalidate {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            label.sr-only for=(field) { (tr_args(l, "settings-status-rename-label", &[("name", st.name.clone().into())])) }
                                            input id=(field) type="text" name="name" value=(typed_or(&field, &st.name)) maxlength="100" autocomplete="off"
                                                aria-invalid=[described_by(errors, &field).map(|_| "true")]
                                                aria-describedby=[described_by(errors, &field)];
                                            button.secondary type="submit" { (tr(l, "settings-status-rename")) }
                                            (field_note(errors, &field))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @let name_id = format!("{k}-status-name");
                @let group_id = format!("{k}-status-group");
                @let chosen = typed_or(&group_id, "");
                form.settings id=(format!("{k}-status-form")) method="post" action=(format!("/settings/{k}-statuses")) novalidate {
                    input type="hidden" name=(FIELD) value=(s.csrf);
                    label for=(name_id) { (tr(l, "settings-status-new-name")) }
                    (text_input(&name_id, "name", &typed_or(&name_id, ""), 100, errors))
                    label for=(group_id) { (tr(l, "settings-status-group")) }
                    select id=(group_id) name="group"
                        aria-invalid=[described_by(errors, &group_id).map(|_| "true")]
                        aria-describedby=[described_by(errors, &group_id)] {
                        @for g in &groups {
                            option value=(g) selected[chosen == *g] { (group_name(l, lead, g)) }
                        }
                    }
                    (field_note(errors, &group_id))
                    button type="submit" { (tr(l, "settings-status-add")) }
                }
            }
        }
    });
    Ok(with_cookie(markup, status, None))
}

/// `GET /settings/statuses`: as `GET /api/v1/lead-statuses` and `/order-statuses`.
pub async fn statuses(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    statuses_page(&state, &s, &[], &vec![], StatusCode::OK, q.m.as_deref()).await
}

/// As `POST /api/v1/lead-statuses` (`lead`) or `/order-statuses`.
async fn add_status(
    state: &AppState,
    s: &Signed,
    lead: bool,
    body: &[u8],
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(s, e));
    }
    let l = s.locale;
    let k = kind(lead);
    let (name_id, group_id) = (format!("{k}-status-name"), format!("{k}-status-group"));
    let f = FormFields::parse(body);
    let mut errors = Errors::new();
    let group = status_group(lead, &f.text("group"))
        .map_err(|_| errors.push((group_id.clone(), tr(l, "settings-err-status-group"))))
        .ok();
    let name = name_of("name", &f.text("name"))
        .map_err(|_| errors.push((name_id.clone(), tr(l, "settings-err-item-name"))))
        .ok();
    if let (Some(name), Some(group)) = (name, group) {
        state
            .store
            .create_status(
                s.caller.company_id,
                lead,
                &name,
                group,
                &s.caller.actor(),
                Timestamp::now(),
            )
            .await?;
        return Ok(Redirect::to(&format!("{STATUSES}?m=added")).into_response());
    }
    let typed = [(name_id, f.text("name")), (group_id, f.text("group"))];
    statuses_page(
        state,
        s,
        &typed,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    )
    .await
}

/// As `PATCH /api/v1/lead-statuses/{id}` (`lead`) or `/order-statuses/{id}`:
/// a system status keeps its key.
async fn rename_status(
    state: &AppState,
    s: &Signed,
    lead: bool,
    id: i64,
    body: &[u8],
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(s, e));
    }
    let cid = s.caller.company_id;
    let list = if lead {
        state.store.lead_statuses(cid).await?
    } else {
        state.store.order_statuses(cid).await?
    };
    if !list.iter().any(|st| st.id == id) {
        return Ok(refused(s, AppError::not_found("status")));
    }
    let f = FormFields::parse(body);
    let field = format!("{}-status-{id}-name", kind(lead));
    match name_of("name", &f.text("name")) {
        Ok(name) => match state
            .store
            .rename_status(cid, lead, id, &name, &s.caller.actor(), Timestamp::now())
            .await
        {
            Ok(()) => Ok(Redirect::to(&format!("{STATUSES}?m=renamed")).into_response()),
            Err(e @ StoreError::NotFound(_)) => Ok(refused(s, e.into())),
            Err(e) => Err(e.into()),
        },
        Err(_) => {
            let errors = vec![(field.clone(), tr(s.locale, "settings-err-item-name"))];
            statuses_page(
                state,
                s,
                &[(field, f.text("name"))],
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
    }
}

/// `POST /settings/lead-statuses`.
pub async fn add_lead_status(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    add_status(&state, &s, true, &body).await
}

/// `POST /settings/order-statuses`.
pub async fn add_order_status(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    add_status(&state, &s, false, &body).await
}

/// `POST /settings/lead-statuses/{id}`.
pub async fn rename_lead_status(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    rename_status(&state, &s, true, id, &body).await
}

/// `POST /settings/order-statuses/{id}`.
pub async fn rename_order_status(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    rename_status(&state, &s, false, id, &body).await
}

// ----- the status transfer rules ------------------------------------------------------------

/// `GET /settings/lead-transfers`: as `GET /api/v1/settings/lead-status-transfers`,
/// a row per status a lead moves from, a column per status it moves to.
pub async fn transfers(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let cid = s.caller.company_id;
    let statuses = state.store.lead_statuses(cid).await?;
    let rules = state.store.lead_status_transfers(cid).await?;
    let restricted = {
        let mut from: Vec<i64> = rules.iter().map(|(f, _)| *f).collect();
        from.dedup();
        from.len()
    };
    let title = tr(l, "settings-transfers-title");
    let markup = s.page(&title, "/settings", html! {
        (related(l, TRANSFERS))
        h1 { (title) }
        (flash(l, q.m.as_deref(), &[("saved", "settings-saved")]))
        p #transfers-state data-rules=(rules.len()) {
            @if rules.is_empty() {
                (tr(l, "settings-transfers-none"))
            } @else {
                (tr_args(l, "settings-transfers-some", &[("statuses", (restricted as u64).into())]))
            }
        }
        div #transfers-hint {
            p.hint { (tr(l, "settings-transfers-hint-free")) }
            p.hint { (tr(l, "settings-transfers-hint-restrict")) }
            p.hint { (tr(l, "settings-transfers-hint-system")) }
        }
        form #transfers-form method="post" action=(TRANSFERS) aria-describedby="transfers-hint" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            div.table-wrap {
                table.matrix #transfers {
                    caption { (tr(l, "settings-transfers-caption")) }
                    thead { tr {
                        th scope="col" { (tr(l, "settings-transfers-from-to")) }
                        @for to in &statuses { th scope="col" { (to.name) } }
                    } }
                    tbody {
                        @for from in &statuses {
                            tr id=(format!("from-{}", from.id)) {
                                th scope="row" { (from.name) }
                                @for to in &statuses {
                                    @let id = format!("t-{}-{}", from.id, to.id);
                                    td {
                                        input type="checkbox" id=(id) name="rule" value=(format!("{}:{}", from.id, to.id))
                                            checked[rules.contains(&(from.id, to.id))];
                                        label.sr-only for=(id) {
                                            (tr_args(l, "settings-transfer-label", &[("from", from.name.clone().into()), ("to", to.name.clone().into())]))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.actions { button #save-transfers type="submit" { (tr(l, "settings-transfers-save")) } }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /settings/lead-transfers`: as `PUT /api/v1/settings/lead-status-transfers`,
/// every ticked box a rule, the rest none (R-M2).
pub async fn save_transfers(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let mut pairs = vec![];
    for v in f.all("rule") {
        let pair = v
            .split_once(':')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)));
        match pair {
            Some(p) => pairs.push(p),
            None => {
                return Ok(refused(
                    &s,
                    AppError::invalid("rule", format!("{v:?} is not from_id:to_id")),
                ))
            }
        }
    }
    match state
        .store
        .set_lead_status_transfers(
            s.caller.company_id,
            &pairs,
            &s.caller.actor(),
            Timestamp::now(),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{TRANSFERS}?m=saved")).into_response()),
        Err(e @ StoreError::Invalid { .. }) => Ok(refused(&s, e.into())),
        Err(e) => Err(e.into()),
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(
        TYPES,
        &["GET", "POST"],
        get(lead_types_page).post(add_lead_type),
    )
    .other(
        "/settings/lead-types/{id}",
        &["GET", "POST"],
        get(lead_type_page).post(save_lead_type),
    )
    .other(STATUSES, &["GET"], get(statuses))
    .other("/settings/lead-statuses", &["POST"], post(add_lead_status))
    .other(
        "/settings/order-statuses",
        &["POST"],
        post(add_order_status),
    )
    .other(
        "/settings/lead-statuses/{id}",
        &["POST"],
        post(rename_lead_status),
    )
    .other(
        "/settings/order-statuses/{id}",
        &["POST"],
        post(rename_order_status),
    )
    .other(
        TRANSFERS,
        &["GET", "POST"],
        get(transfers).post(save_transfers),
    )
}

//! Settings > Numbering templates (R-M3), ad campaigns and locations: as
//! `PUT /api/v1/settings/numbering` and the ad-campaign and location lists of
//! the API (`manage_settings`; the domain's `NumberTemplate::parse` decides
//! what a template may be).

use super::*;
use crate::api::catalog::name_of;
use crate::extract::{Path, Query};
use axum::extract::State;
use bytes::Bytes;
use ringdesk_domain::work::NumberTemplate;
use ringdesk_store::{NamedList, StoreError};

const PATH: &str = "/settings/lists";

/// The numbering kinds: (form field, store kind).
const KINDS: [(&str, &str); 3] = [
    ("lead", "lead"),
    ("order", "work_order"),
    ("quote", "quote"),
];

fn list_path(list: NamedList) -> &'static str {
    match list {
        NamedList::AdCampaigns => "/settings/ad-campaigns",
        NamedList::Locations => "/settings/locations",
    }
}

/// The page: the numbering form (`typed` when it comes back) and both lists.
async fn page(
    state: &AppState,
    s: &Signed,
    typed: Option<&FormFields>,
    errors: &Errors,
    status: StatusCode,
    m: Option<&str>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let mut numbering = vec![];
    for (field, kind) in KINDS {
        let v = match typed {
            Some(f) => f.text(field),
            None => state.store.numbering(s.caller.company_id, kind).await?,
        };
        numbering.push((field, v));
    }
    let campaigns = state
        .store
        .named_items(s.caller.company_id, NamedList::AdCampaigns)
        .await?;
    let locations = state
        .store
        .named_items(s.caller.company_id, NamedList::Locations)
        .await?;
    let title = tr(l, "settings-lists-title");
    let label = |field: &str| match field {
        "lead" => tr(l, "settings-numbering-lead"),
        "order" => tr(l, "settings-numbering-order"),
        _ => tr(l, "settings-numbering-quote"),
    };
    let markup = s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, m, &[("saved", "settings-saved"), ("added", "settings-item-added"), ("changed", "settings-item-changed")]))
        @if !errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        h2 #numbering-heading { (tr(l, "settings-numbering-title")) }
        form #numbering-form .settings method="post" action="/settings/numbering" novalidate aria-labelledby="numbering-heading" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            p.hint #numbering-hint { (tr(l, "settings-numbering-hint")) }
            @for (field, value) in &numbering {
                label for=(format!("numbering-{field}")) { (label(field)) }
                input id=(format!("numbering-{field}")) type="text" name=(field) value=(value) maxlength="60" autocomplete="off"
                    aria-describedby=(described_by(errors, field).unwrap_or_else(|| "numbering-hint".into()));
                (field_note(errors, field))
            }
            button type="submit" { (tr(l, "settings-save")) }
        }
        @for (list, items, heading) in [(NamedList::AdCampaigns, &campaigns, tr(l, "settings-campaigns-title")), (NamedList::Locations, &locations, tr(l, "settings-locations-title"))] {
            @let base = list_path(list);
            @let key = &base["/settings/".len()..];
            section aria-labelledby=(format!("{key}-heading")) {
                h2 id=(format!("{key}-heading")) { (heading) }
                @if !items.is_empty() {
                    ul.items id=(key) {
                        @for i in items.iter() {
                            li id=(format!("{key}-{}", i.id)) data-active=(i.active) {
                                (i.name)
                                @if !i.active { " (" (tr(l, "settings-item-inactive")) ")" }
                                " "
                                form.inline method="post" action=(format!("{base}/{}/active", i.id)) {
                                    input type="hidden" name=(FIELD) value=(s.csrf);
                                    @if !i.active { input type="hidden" name="active" value="on"; }
                                    button.secondary type="submit" {
                                        @if i.active { (tr(l, "settings-item-deactivate")) } @else { (tr(l, "settings-item-activate")) }
                                    }
                                }
                            }
                        }
                    }
                }
                @let field = format!("{key}-name");
                form.settings method="post" action=(base) novalidate {
                    input type="hidden" name=(FIELD) value=(s.csrf);
                    label for=(field) { (tr(l, "settings-item-name")) }
                    input id=(field) type="text" name="name" maxlength="100" required autocomplete="off"
                        aria-describedby=[described_by(errors, &field)];
                    (field_note(errors, &field))
                    button type="submit" { (tr(l, "settings-item-add")) }
                }
            }
        }
    });
    Ok(with_cookie(markup, status, None))
}

/// `GET /settings/lists`.
pub async fn lists_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    page(&state, &s, None, &vec![], StatusCode::OK, q.m.as_deref()).await
}

/// `POST /settings/numbering`: as `PUT /api/v1/settings/numbering` (R-M3);
/// every template at fault is noted, none is saved.
pub async fn save_numbering(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let mut parsed = vec![];
    let mut errors = Errors::new();
    for (field, kind) in KINDS {
        match NumberTemplate::parse(field, &f.text(field)) {
            Ok(t) => parsed.push((kind, t)),
            Err(_) => errors.push((field.to_owned(), tr(s.locale, "settings-err-numbering"))),
        }
    }
    if !errors.is_empty() {
        return page(
            &state,
            &s,
            Some(&f),
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )
        .await;
    }
    let now = Timestamp::now();
    for (kind, t) in parsed {
        state
            .store
            .set_numbering(
                s.caller.company_id,
                kind,
                t.as_str(),
                &s.caller.actor(),
                now,
            )
            .await?;
    }
    Ok(Redirect::to(&format!("{PATH}?m=saved")).into_response())
}

async fn add(
    state: &AppState,
    s: &Signed,
    list: NamedList,
    body: &[u8],
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(s, e));
    }
    let field = format!("{}-name", &list_path(list)["/settings/".len()..]);
    let f = FormFields::parse(body);
    let note_of = |id: &str| vec![(field.clone(), tr(s.locale, id))];
    let errors = match name_of("name", &f.text("name")) {
        Err(_) => note_of("settings-err-item-name"),
        Ok(name) => match state
            .store
            .create_named_item(s.caller.company_id, list, &name, Timestamp::now())
            .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("{PATH}?m=added")).into_response()),
            Err(StoreError::Taken { .. }) => note_of("settings-err-item-taken"),
            Err(e) => return Err(e.into()),
        },
    };
    page(
        state,
        s,
        None,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    )
    .await
}

async fn set_active(
    state: &AppState,
    s: &Signed,
    list: NamedList,
    id: i64,
    body: &[u8],
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(s, e));
    }
    let active = FormFields::parse(body).checked("active");
    match state
        .store
        .update_named_item(s.caller.company_id, list, id, None, Some(active))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?m=changed")).into_response()),
        Err(e) => Ok(refused(s, e.into())),
    }
}

/// `POST /settings/ad-campaigns`: as `POST /api/v1/ad-campaigns`.
pub async fn add_campaign(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    add(&state, &s, NamedList::AdCampaigns, &body).await
}

/// `POST /settings/locations`: as `POST /api/v1/locations`.
pub async fn add_location(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    add(&state, &s, NamedList::Locations, &body).await
}

/// `POST /settings/ad-campaigns/{id}/active`: as `PATCH /api/v1/ad-campaigns/{id}` with `active`.
pub async fn campaign_active(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    set_active(&state, &s, NamedList::AdCampaigns, id, &body).await
}

/// `POST /settings/locations/{id}/active`: as `PATCH /api/v1/locations/{id}` with `active`.
pub async fn location_active(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    set_active(&state, &s, NamedList::Locations, id, &body).await
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(PATH, &["GET"], get(lists_page))
        .other("/settings/numbering", &["POST"], post(save_numbering))
        .other("/settings/ad-campaigns", &["POST"], post(add_campaign))
        .other("/settings/locations", &["POST"], post(add_location))
        .other(
            "/settings/ad-campaigns/{id}/active",
            &["POST"],
            post(campaign_active),
        )
        .other(
            "/settings/locations/{id}/active",
            &["POST"],
            post(location_active),
        )
}

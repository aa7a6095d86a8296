//! Settings > Webhook signing (R-I1, R-X8) and API tokens (R-T5), each
//! through its API's shared functions (`api::security`). Secrets and tokens
//! are write-only (R-X8): a new one is shown once, ready to copy; afterwards
//! only its prefix.

use super::*;
use crate::api::security::{
    add_secret, mint_token, remove_secret, set_signing_required, token_name,
};
use crate::extract::{Path, Query};
use crate::i18n::permission_label;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_store::ApiToken;
use secrecy::{ExposeSecret, SecretString};

const SIGNING: &str = "/settings/webhook-signing";
const TOKENS: &str = "/settings/tokens";

/// A value shown once, in a read-only field ready to copy.
fn shown_once(l: Locale, id: &str, label: String, value: &SecretString) -> Markup {
    html! {
        div.once role="status" {
            label for=(id) { (label) }
            input id=(id) type="text" readonly value=(value.expose_secret()) autocomplete="off" spellcheck="false"
                aria-describedby=(format!("{id}-hint"));
            p.hint id=(format!("{id}-hint")) { (tr(l, "settings-shown-once")) }
        }
    }
}

// ----- webhook signing --------------------------------------------------------------------------

fn signing_markup(
    s: &Signed,
    signing: &ringdesk_store::WebhookSigning,
    new_secret: Option<&SecretString>,
    error: Option<&str>,
    m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let title = tr(l, "settings-signing-title");
    s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, m, &[("saved", "settings-saved"), ("revoked", "settings-secret-revoked")]))
        @if let Some(e) = error { p.error #signing-error role="alert" { (e) } }
        @if let Some(secret) = new_secret { (shown_once(l, "new-secret", tr(l, "settings-secret-new"), secret)) }
        p #signing-state data-required=(signing.required) data-secrets=(signing.secrets.len()) {
            @if signing.secrets.is_empty() { (tr(l, "settings-signing-no-secret")) }
            @else { (tr(l, "settings-signing-has-secret")) }
            " "
            @if signing.required { (tr(l, "settings-signing-required")) } @else { (tr(l, "settings-signing-optional")) }
        }
        form #signing-form .settings method="post" action=(SIGNING) {
            input type="hidden" name=(FIELD) value=(s.csrf);
            div.check {
                input #required type="checkbox" name="required" value="on" checked[signing.required];
                label for="required" { (tr(l, "settings-signing-require")) }
            }
            button type="submit" { (tr(l, "settings-save")) }
        }
        h2 { (tr(l, "settings-secrets")) }
        @if !signing.secrets.is_empty() {
            table #secrets {
                thead { tr {
                    th scope="col" { (tr(l, "settings-prefix")) }
                    th scope="col" { (tr(l, "settings-created")) }
                    th scope="col" { (tr(l, "settings-actions")) }
                } }
                tbody {
                    @for x in &signing.secrets {
                        tr id=(format!("secret-{}", x.id)) {
                            td { code { (x.prefix) "…" } }
                            td { time datetime=(x.created_at.to_string()) { (local_time(x.created_at, &s.tz)) } }
                            td {
                                form.inline method="post" action=(format!("{SIGNING}/secrets/{}/revoke", x.id)) {
                                    input type="hidden" name=(FIELD) value=(s.csrf);
                                    button.secondary type="submit" aria-label=(tr_args(l, "settings-secret-revoke-label", &[("prefix", x.prefix.clone().into())])) { (tr(l, "settings-revoke")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.hint { (tr(l, "settings-secret-rotate-hint")) }
        form #new-secret-form method="post" action=(format!("{SIGNING}/secrets")) {
            input type="hidden" name=(FIELD) value=(s.csrf);
            button type="submit" { (tr(l, "settings-secret-create")) }
        }
    })
}

async fn signing_page_with(
    state: &AppState,
    s: &Signed,
    new_secret: Option<&SecretString>,
    error: Option<(StatusCode, &str)>,
    m: Option<&str>,
) -> Result<Response, AppError> {
    let signing = state.store.webhook_signing(s.caller.company_id).await?;
    let markup = signing_markup(s, &signing, new_secret, error.map(|e| e.1), m);
    Ok(with_cookie(
        markup,
        error.map_or(StatusCode::OK, |e| e.0),
        None,
    ))
}

/// `GET /settings/webhook-signing`: as `GET /api/v1/settings/webhook-signing`.
pub async fn signing_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    signing_page_with(&state, &s, None, None, q.m.as_deref()).await
}

/// `POST /settings/webhook-signing`: as `PUT /api/v1/settings/webhook-signing`.
pub async fn save_signing(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let required = FormFields::parse(&body).checked("required");
    match set_signing_required(&state, &s.caller, required).await {
        Ok(()) => Ok(Redirect::to(&format!("{SIGNING}?m=saved")).into_response()),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let text = tr(s.locale, "settings-signing-needs-secret");
            signing_page_with(&state, &s, None, Some((e.status, &text)), None).await
        }
        Err(e) => Ok(refused(&s, e)),
    }
}

/// `POST /settings/webhook-signing/secrets`: as the API's POST; the new
/// secret is shown once.
pub async fn create_secret(State(state): State<AppState>, s: Signed) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let (_, secret) = add_secret(&state, &s.caller).await?;
    signing_page_with(&state, &s, Some(&secret), None, None).await
}

/// `POST /settings/webhook-signing/secrets/{id}/revoke`: as the API's DELETE.
pub async fn revoke_secret(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    match remove_secret(&state, &s.caller, id).await {
        Ok(()) => Ok(Redirect::to(&format!("{SIGNING}?m=revoked")).into_response()),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let text = tr(s.locale, "settings-secret-last");
            signing_page_with(&state, &s, None, Some((e.status, &text)), None).await
        }
        Err(e) => Ok(refused(&s, e)),
    }
}

// ----- API tokens (R-T5) ------------------------------------------------------------------------

struct TokenForm<'a> {
    name: &'a str,
    permissions: &'a [String],
    errors: &'a Errors,
}

fn tokens_markup(
    s: &Signed,
    tokens: &[ApiToken],
    names: &[(i64, String)],
    new_token: Option<&SecretString>,
    form: &TokenForm,
    m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let title = tr(l, "settings-tokens-title");
    let owner_of = |id: i64| {
        names
            .iter()
            .find(|(e, _)| *e == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    };
    s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, m, &[("revoked", "settings-token-revoked")]))
        @if let Some(token) = new_token { (shown_once(l, "new-token", tr(l, "settings-token-new"), token)) }
        p { (tr(l, "settings-tokens-about")) }
        @if tokens.is_empty() {
            p #no-tokens { (tr(l, "settings-tokens-empty")) }
        } @else {
            table #tokens {
                thead { tr {
                    th scope="col" { (tr(l, "settings-token-name")) }
                    th scope="col" { (tr(l, "settings-prefix")) }
                    th scope="col" { (tr(l, "settings-token-employee")) }
                    th scope="col" { (tr(l, "settings-employee-permissions")) }
                    th scope="col" { (tr(l, "settings-token-used")) }
                    th scope="col" { (tr(l, "settings-actions")) }
                } }
                tbody {
                    @for t in tokens {
                        tr id=(format!("token-{}", t.id)) data-revoked=(t.revoked_at.is_some()) {
                            td { (t.name) }
                            td { code { (t.prefix) "…" } }
                            td { (owner_of(t.employee_id)) }
                            td {
                                @match &t.permissions {
                                    None => { (tr(l, "settings-token-all-rights")) }
                                    Some(p) => { (p.iter().map(|p| permission_label(*p, l)).collect::<Vec<_>>().join(", ")) }
                                }
                            }
                            td {
                                @match t.last_used_at {
                                    Some(at) => { time datetime=(at.to_string()) { (local_time(at, &s.tz)) } }
                                    None => { (tr(l, "settings-token-never-used")) }
                                }
                            }
                            td {
                                @match t.revoked_at {
                                    Some(at) => { (tr(l, "settings-token-revoked-at")) " " time datetime=(at.to_string()) { (local_time(at, &s.tz)) } }
                                    None => {
                                        form.inline method="post" action=(format!("{TOKENS}/{}/revoke", t.id)) {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            button.secondary type="submit" aria-label=(tr_args(l, "settings-token-revoke-label", &[("name", t.name.clone().into())])) { (tr(l, "settings-revoke")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 #new-token-heading { (tr(l, "settings-token-create")) }
        @if !form.errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        form #token-form .settings method="post" action=(TOKENS) novalidate aria-labelledby="new-token-heading" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            label for="token-name" { (tr(l, "settings-token-name")) }
            input #token-name type="text" name="name" value=(form.name) required maxlength="100" autocomplete="off"
                aria-describedby=[described_by(form.errors, "name")];
            (field_note(form.errors, "name"))
            fieldset #token-permissions {
                legend { (tr(l, "settings-employee-permissions")) }
                @for p in Permission::ALL.into_iter().filter(|p| s.caller.may(*p)) {
                    @let id = format!("token-permission-{}", p.as_str());
                    div.check {
                        input type="checkbox" id=(id) name="permissions" value=(p.as_str())
                            checked[form.permissions.iter().any(|x| x == p.as_str())];
                        label for=(id) { (permission_label(p, l)) }
                    }
                }
            }
            button type="submit" { (tr(l, "settings-token-create-button")) }
        }
    })
}

/// The tokens the caller sees, as `GET /api/v1/api-tokens`: the owner all
/// of the company's, anyone else their own.
async fn tokens_page_with(
    state: &AppState,
    s: &Signed,
    new_token: Option<&SecretString>,
    form: &TokenForm<'_>,
    status: StatusCode,
    m: Option<&str>,
) -> Result<Response, AppError> {
    let whose = (!s.caller.employee.is_owner).then_some(s.caller.employee.id);
    let tokens = state.store.api_tokens(s.caller.company_id, whose).await?;
    let names: Vec<(i64, String)> = state
        .store
        .employees(s.caller.company_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    let markup = tokens_markup(s, &tokens, &names, new_token, form, m);
    Ok(with_cookie(markup, status, None))
}

/// `GET /settings/tokens`.
pub async fn tokens_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let form = TokenForm {
        name: "",
        permissions: &[],
        errors: &vec![],
    };
    tokens_page_with(&state, &s, None, &form, StatusCode::OK, q.m.as_deref()).await
}

/// `POST /settings/tokens`: as `POST /api/v1/api-tokens`; the token is shown once.
pub async fn create_token(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = FormFields::parse(&body);
    let name = f.text("name");
    let rights = f.all("permissions");
    if token_name(&name).is_err() {
        let errors = vec![("name".to_owned(), tr(s.locale, "settings-err-token-name"))];
        let form = TokenForm {
            name: &name,
            permissions: &rights,
            errors: &errors,
        };
        return tokens_page_with(
            &state,
            &s,
            None,
            &form,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )
        .await;
    }
    match mint_token(&state, &s.caller, &name, &rights).await {
        Ok((token, _)) => {
            let form = TokenForm {
                name: "",
                permissions: &[],
                errors: &vec![],
            };
            tokens_page_with(&state, &s, Some(&token), &form, StatusCode::OK, None).await
        }
        Err(e) => Ok(refused(&s, e)),
    }
}

/// `POST /settings/tokens/{id}/revoke`: as `DELETE /api/v1/api-tokens/{id}`
/// (the owner any of the company's, others their own).
pub async fn revoke_token(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let only = (!s.caller.employee.is_owner).then_some(s.caller.employee.id);
    match state
        .store
        .revoke_api_token(
            s.caller.company_id,
            id,
            only,
            &s.caller.actor(),
            Timestamp::now(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{TOKENS}?m=revoked")).into_response()),
        Err(e) => Ok(refused(&s, e.into())),
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(
        SIGNING,
        &["GET", "POST"],
        get(signing_page).post(save_signing),
    )
    .other(
        "/settings/webhook-signing/secrets",
        &["POST"],
        post(create_secret),
    )
    .other(
        "/settings/webhook-signing/secrets/{id}/revoke",
        &["POST"],
        post(revoke_secret),
    )
    .other(
        TOKENS,
        &["GET", "POST"],
        get(tokens_page).post(create_token),
    )
    .other(
        "/settings/tokens/{id}/revoke",
        &["POST"],
        post(revoke_token),
    )
}

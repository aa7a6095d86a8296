//! Settings > Twilio (R-I2, R-X8): the settings of
//! `GET|PUT /api/v1/settings/integrations/twilio` as a plain form, through
//! the API's own validation and saving (`api::twilio::save`), and what to
//! paste into Twilio's console: the status callback URL of this company,
//! ready to copy. The auth token is write-only: the page says whether one is
//! set, and an empty field keeps it.

use super::*;
use crate::api::twilio::{callback_path, save, settings_out, TwilioIn, TwilioOut};
use crate::extract::Query;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use bytes::Bytes;
use secrecy::SecretString;

const PAGE: &str = "/settings/integrations/twilio";

/// The callback URL as this browser reached the server (the suggestion for
/// `public_url` when none is set).
fn callback_url(state: &AppState, headers: &HeaderMap, company_id: i64) -> String {
    let scheme = if secure(state, headers) {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:8080");
    format!("{scheme}://{host}{}", callback_path(company_id))
}

/// What the form shows: the stored settings, or what was posted and refused.
struct Form {
    enabled: bool,
    public_url: String,
    account_sid: String,
    caller_id: String,
}

fn markup(
    s: &Signed,
    out: &TwilioOut,
    form: &Form,
    suggested: &str,
    errors: &Errors,
    m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let title = tr(l, "settings-twilio-title");
    let shown_url = out.public_url.as_deref().unwrap_or(suggested);
    s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, m, &[("saved", "settings-saved")]))
        p { (tr(l, "settings-twilio-about")) }
        h2 { (tr(l, "settings-twilio-console")) }
        label for="twilio-callback-url" { (tr(l, "settings-twilio-callback")) }
        input #twilio-callback-url type="text" readonly value=(shown_url) spellcheck="false"
            aria-describedby="twilio-callback-hint";
        p.hint #twilio-callback-hint { (tr(l, "settings-twilio-callback-hint")) }
        p #twilio-state data-enabled=(out.enabled) data-token-set=(out.auth_token_set) {
            @if out.auth_token_set { (tr(l, "settings-twilio-token-set")) }
            @else { (tr(l, "settings-twilio-token-unset")) }
        }
        form #twilio-form .settings method="post" action=(PAGE) {
            input type="hidden" name=(FIELD) value=(s.csrf);
            div.check {
                input #enabled type="checkbox" name="enabled" value="on" checked[form.enabled];
                label for="enabled" { (tr(l, "settings-twilio-enabled")) }
            }
            label for="auth_token" { (tr(l, "settings-twilio-token")) }
            input #auth_token type="password" name="auth_token" value="" autocomplete="off"
                aria-describedby=[described_by(errors, "auth_token")];
            (field_note(errors, "auth_token"))
            label for="public_url" { (tr(l, "settings-twilio-public-url")) }
            input #public_url type="url" name="public_url" value=(form.public_url) required
                spellcheck="false" aria-describedby=(described_by(errors, "public_url").unwrap_or_else(|| "public-url-hint".into()));
            p.hint #public-url-hint { (tr(l, "settings-twilio-public-url-hint")) }
            (field_note(errors, "public_url"))
            label for="account_sid" { (tr(l, "settings-twilio-account-sid")) }
            input #account_sid type="text" name="account_sid" value=(form.account_sid) spellcheck="false"
                aria-describedby=[described_by(errors, "account_sid")];
            (field_note(errors, "account_sid"))
            label for="caller_id" { (tr(l, "settings-twilio-caller-id")) }
            input #caller_id type="tel" name="caller_id" value=(form.caller_id)
                aria-describedby=[described_by(errors, "caller_id")];
            (field_note(errors, "caller_id"))
            button type="submit" { (tr(l, "settings-save")) }
        }
    })
}

/// `GET /settings/integrations/twilio`: as the API's GET.
pub async fn page(
    State(state): State<AppState>,
    s: Signed,
    headers: HeaderMap,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let company_id = s.caller.company_id;
    let stored = state.store.twilio_settings(company_id).await?;
    let out = settings_out(company_id, stored.as_ref());
    let suggested = callback_url(&state, &headers, company_id);
    let form = Form {
        enabled: out.enabled,
        public_url: out.public_url.clone().unwrap_or_else(|| suggested.clone()),
        account_sid: out.account_sid.clone().unwrap_or_default(),
        caller_id: out.caller_id.clone().unwrap_or_default(),
    };
    let markup = markup(&s, &out, &form, &suggested, &Vec::new(), q.m.as_deref());
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /settings/integrations/twilio`: as the API's PUT. An empty token
/// field keeps the stored token; empty optional fields clear them.
pub async fn save_page(
    State(state): State<AppState>,
    s: Signed,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let optional = |name: &str| Some(f.text(name).trim().to_owned()).filter(|v| !v.is_empty());
    let form = Form {
        enabled: f.checked("enabled"),
        public_url: f.text("public_url").trim().to_owned(),
        account_sid: f.text("account_sid").trim().to_owned(),
        caller_id: f.text("caller_id").trim().to_owned(),
    };
    let input = TwilioIn {
        enabled: form.enabled,
        auth_token: Some(f.text("auth_token"))
            .filter(|t| !t.is_empty())
            .map(SecretString::from),
        public_url: form.public_url.clone(),
        account_sid: optional("account_sid"),
        caller_id: optional("caller_id"),
    };
    match save(&state, &s.caller, input).await {
        Ok(Ok(_)) => Ok(Redirect::to(&format!("{PAGE}?m=saved")).into_response()),
        Ok(Err(e)) => {
            let company_id = s.caller.company_id;
            let stored = state.store.twilio_settings(company_id).await?;
            let out = settings_out(company_id, stored.as_ref());
            let suggested = callback_url(&state, &headers, company_id);
            let errors: Errors = vec![(e.field.clone(), e.to_string())];
            let markup = markup(&s, &out, &form, &suggested, &errors, None);
            Ok(with_cookie(markup, StatusCode::UNPROCESSABLE_ENTITY, None))
        }
        Err(e) => Ok(refused(&s, e)),
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other(PAGE, &["GET", "POST"], get(page).post(save_page))
}

//! Settings > Asterisk (AMI) (R-I3, R-X8): the connection's fields, its
//! status as the node holding it last wrote it, and its gaps (outages during
//! which calls may be missing). Saving goes through `api::ami`'s `change_of`
//! and `save`, as `PUT /api/v1/settings/integrations/ami` does; the secret is
//! write-only (an empty field keeps the one set).

use super::*;
use crate::api::ami::{change_of, save, AmiSettingsIn};
use crate::extract::Query;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_store::{AmiGap, AmiSettings};
use secrecy::SecretString;

pub(crate) const PATH: &str = "/settings/integrations/ami";

/// The form's fields, in order, with their label ids.
const FIELDS: [(&str, &str); 7] = [
    ("host", "ami-host"),
    ("port", "ami-port"),
    ("username", "ami-username"),
    ("secret", "ami-secret"),
    ("channel_template", "ami-channel-template"),
    ("originate_context", "ami-originate-context"),
    ("internal_contexts", "ami-internal-contexts"),
];

struct Typed {
    enabled: bool,
    values: Vec<(String, String)>,
    auth_type: String,
}

fn typed_of(s: &AmiSettings) -> Typed {
    Typed {
        enabled: s.enabled,
        values: vec![
            ("host".into(), s.host.clone()),
            ("port".into(), s.port.to_string()),
            ("username".into(), s.username.clone()),
            ("secret".into(), String::new()),
            ("channel_template".into(), s.channel_template.clone()),
            ("originate_context".into(), s.originate_context.clone()),
            ("internal_contexts".into(), s.internal_contexts.join(", ")),
        ],
        auth_type: s.auth_type.clone(),
    }
}

fn markup(
    s: &Signed,
    current: &AmiSettings,
    gaps: &[AmiGap],
    typed: &Typed,
    errors: &Errors,
    m: Option<&str>,
) -> Markup {
    let l = s.locale;
    let title = tr(l, "ami-title");
    let value = |f: &str| {
        typed
            .values
            .iter()
            .find(|(k, _)| k == f)
            .map_or("", |(_, v)| v.as_str())
            .to_owned()
    };
    let state_text = match current.status.state.as_str() {
        "connected" => tr(l, "ami-status-connected"),
        "connecting" => tr(l, "ami-status-connecting"),
        "down" => tr(l, "ami-status-down"),
        "login_refused" => tr(l, "ami-status-login-refused"),
        _ => tr(l, "ami-status-off"),
    };
    s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, m, &[("saved", "settings-saved")]))
        p #ami-status data-state=(current.status.state) role="status" {
            (state_text)
            @if let Some(d) = &current.status.detail { " (" (d) ")" }
            @if let Some(at) = current.status.at { " · " time datetime=(at.to_string()) { (local_time(at, &s.tz)) } }
        }
        @if let Some((_, e)) = errors.iter().find(|(f, _)| f == "form") { p.error #ami-error role="alert" { (e) } }
        form #ami-form .settings method="post" action=(PATH) {
            input type="hidden" name=(FIELD) value=(s.csrf);
            div.check {
                input #enabled type="checkbox" name="enabled" value="on" checked[typed.enabled];
                label for="enabled" { (tr(l, "ami-enabled")) }
            }
            @for (field, label) in FIELDS {
                label for=(field) { (tr(l, label)) }
                @if field == "secret" {
                    input id=(field) name=(field) type="password" autocomplete="new-password" value=""
                        placeholder=(if current.secret.is_some() { tr(l, "ami-secret-set") } else { tr(l, "ami-secret-unset") })
                        aria-describedby=[described_by(errors, field)];
                } @else {
                    input id=(field) name=(field) type="text" value=(value(field)) aria-describedby=[described_by(errors, field)];
                }
                (field_note(errors, field))
            }
            label for="auth_type" { (tr(l, "ami-auth-type")) }
            select #auth_type name="auth_type" {
                option value="md5" selected[typed.auth_type == "md5"] { (tr(l, "ami-auth-md5")) }
                option value="plain" selected[typed.auth_type == "plain"] { (tr(l, "ami-auth-plain")) }
            }
            button type="submit" { (tr(l, "settings-save")) }
        }
        h2 { (tr(l, "ami-gaps")) }
        p.hint { (tr(l, "ami-gaps-about")) }
        @if gaps.is_empty() {
            p #ami-no-gaps { (tr(l, "ami-no-gaps")) }
        } @else {
            table #ami-gaps {
                thead { tr {
                    th scope="col" { (tr(l, "ami-gap-from")) }
                    th scope="col" { (tr(l, "ami-gap-to")) }
                } }
                tbody {
                    @for g in gaps {
                        tr id=(format!("gap-{}", g.id)) {
                            td { time datetime=(g.from.to_string()) { (local_time(g.from, &s.tz)) } }
                            td { time datetime=(g.to.to_string()) { (local_time(g.to, &s.tz)) } }
                        }
                    }
                }
            }
        }
    })
}

async fn render(
    state: &AppState,
    s: &Signed,
    typed: Option<Typed>,
    errors: Errors,
    status: StatusCode,
    m: Option<&str>,
) -> Result<Response, AppError> {
    let current = state.store.ami_settings(s.caller.company_id).await?;
    let gaps = state
        .store
        .ami_gaps(s.caller.company_id, None, None)
        .await?;
    let typed = typed.unwrap_or_else(|| typed_of(&current));
    Ok(with_cookie(
        markup(s, &current, &gaps, &typed, &errors, m),
        status,
        None,
    ))
}

/// `GET /settings/integrations/ami`: as `GET /api/v1/settings/integrations/ami` and its gaps.
pub async fn page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    render(&state, &s, None, Vec::new(), StatusCode::OK, q.m.as_deref()).await
}

/// `POST /settings/integrations/ami`: as the API's PUT; a refused value
/// comes back (422) with the form as typed and a note beside its field.
pub async fn save_page(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let form = FormFields::parse(&body);
    let typed = Typed {
        enabled: form.checked("enabled"),
        values: FIELDS
            .iter()
            .map(|(f, _)| ((*f).to_owned(), form.text(f)))
            .collect(),
        auth_type: form.text("auth_type"),
    };
    let current = state.store.ami_settings(s.caller.company_id).await?;
    let invalid = |field: &str| vec![(field.to_owned(), tr(l, "ami-field-invalid"))];
    let Ok(port) = form.text("port").trim().parse::<i64>() else {
        return render(
            &state,
            &s,
            Some(typed),
            invalid("port"),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )
        .await;
    };
    let secret = form.text("secret");
    let body = AmiSettingsIn {
        enabled: typed.enabled,
        host: form.text("host").trim().to_owned(),
        port,
        username: form.text("username"),
        secret: (!secret.is_empty()).then(|| SecretString::from(secret)),
        auth_type: Some(typed.auth_type.clone()),
        channel_template: Some(form.text("channel_template")),
        originate_context: Some(form.text("originate_context")),
        internal_contexts: Some(
            form.text("internal_contexts")
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
    };
    let outcome = match change_of(body, &current) {
        Ok(change) => save(&state, &s.caller, change, &current).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?m=saved")).into_response()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            // The API's message starts with the field it names.
            let field = e
                .message
                .split([':', '['])
                .next()
                .unwrap_or("form")
                .to_owned();
            let field = if FIELDS.iter().any(|(f, _)| *f == field) {
                field
            } else {
                "form".to_owned()
            };
            render(&state, &s, Some(typed), invalid(&field), e.status, None).await
        }
        Err(e) if e.status == StatusCode::CONFLICT => {
            let errors = vec![("secret".to_owned(), tr(l, "ami-needs-secret"))];
            render(&state, &s, Some(typed), errors, e.status, None).await
        }
        Err(e) => Ok(refused(&s, e)),
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::get;
    r.other(PATH, &["GET", "POST"], get(page).post(save_page))
}

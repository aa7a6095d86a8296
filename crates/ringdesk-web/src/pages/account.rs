//! Getting in: sign-in, sign-up (R-X3, R-X3a, R-U7), sign-out, the language
//! switch and the password change.

use super::*;
use crate::auth::{token_hash, verify_password, SESSION_IDLE};
use crate::extract::Query;
use crate::i18n::tr_args;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_app::accounts::{CompanyInput, OwnerInput};
use ringdesk_domain::access::{
    sign_in_refused_for, sign_in_throttle_keys, sign_in_window_start, ThrottleKey,
};
use ringdesk_store::{Actor, EmployeePatch, StoreError};
use secrecy::SecretString;
// ----- sign-in ---------------------------------------------------------------------------------

fn sign_in_form(l: Locale, csrf: &str, email: &str, error: Option<String>) -> Markup {
    let title = tr(l, "sign-in-title");
    layout(
        l,
        &title,
        None,
        csrf,
        "/sign-in",
        html! {
            h1 { (title) }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/sign-in" {
                input type="hidden" name=(FIELD) value=(csrf);
                label for="email" { (tr(l, "email")) }
                input #email type="email" name="email" value=(email) autocomplete="username" required autofocus;
                label for="password" { (tr(l, "password")) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { (tr(l, "sign-in-button")) }
            }
            p { (tr(l, "no-account-yet")) " " a #sign-up-link href="/sign-up" { (tr(l, "sign-up-link")) } }
        },
    )
}

/// `GET /sign-in`: the form, bound to a pre-session cookie for its CSRF token.
pub async fn sign_in_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let l = signed_out_locale(&headers);
    let (csrf, set) = pre_session(&state, &headers);
    with_cookie(sign_in_form(l, &csrf, "", None), StatusCode::OK, set)
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: SecretString,
}

/// Starts a new session (a new random id) for the employee and sends them home.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    company_id: i64,
    employee_id: i64,
    actor: &Actor,
    now: Timestamp,
) -> Result<Response, AppError> {
    let token = random_hex(32);
    let expires =
        Timestamp::from_millisecond(now.as_millisecond() + SESSION_IDLE.as_millis() as i64)
            .unwrap_or(now);
    state
        .store
        .create_session(
            company_id,
            employee_id,
            &token_hash(&token),
            expires,
            actor,
            now,
        )
        .await?;
    tracing::info!(
        company.id = company_id,
        employee.id = employee_id,
        "employee signed in"
    );
    let secure = secure(state, headers);
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &token, None, "Lax", secure),
    );
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PRE_SESSION_COOKIE, "", Some(0), "Strict", secure),
    );
    Ok(resp)
}

/// `POST /sign-in`: checks the password (throttled per account and per address,
/// counted in the database), then starts a new session with a new id.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = signed_out_locale(&headers);
    let csrf = crate::csrf::seed(&headers)
        .map(csrf_token_for)
        .unwrap_or_default();
    // An e-mail with a control character (NUL: PostgreSQL cannot even compare
    // it) names no account: the form is unreadable, as a malformed one is (R-I4).
    let form = serde_urlencoded::from_bytes::<SignInForm>(&body)
        .ok()
        .filter(|f| !f.email.chars().any(char::is_control));
    let Some(form) = form else {
        let html = sign_in_form(l, &csrf, "", Some(tr(l, "form-unreadable")));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html.into_string())).into_response());
    };
    let email = form.email.trim().to_lowercase();
    let now = Timestamp::now();
    // The policy (how many failures, per what, for how long) is the domain's.
    let since = sign_in_window_start(now);
    let [account_count, address_count] = sign_in_throttle_keys(&email, address.as_deref());
    for ThrottleKey { key, limit } in [&account_count, &address_count] {
        if let Some(count) = state.store.throttle_count(key, since).await? {
            if let Some(wait) =
                sign_in_refused_for(count.failures, *limit, count.window_started_at, now)
            {
                let message = tr_args(
                    l,
                    "too-many-attempts",
                    &[("minutes", wait.div_ceil(60).into())],
                );
                let mut resp = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Html(sign_in_form(l, &csrf, &email, Some(message)).into_string()),
                )
                    .into_response();
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                return Ok(resp);
            }
        }
    }
    let account = state.store.sign_in_account(&email).await?;
    let password_ok = verify_password(
        form.password,
        account.as_ref().map(|a| a.password_hash.clone()),
    )
    .await?;
    let actor = |employee_id| Actor {
        employee_id,
        token_id: None,
        address: address.clone(),
    };
    match account {
        Some(a) if password_ok && a.active => {
            state.store.throttle_clear(&account_count.key).await?;
            start_session(
                &state,
                &headers,
                a.company_id,
                a.employee_id,
                &actor(Some(a.employee_id)),
                now,
            )
            .await
        }
        account => {
            state
                .store
                .throttle_fail(&[account_count.key, address_count.key], since, now)
                .await?;
            if let Some(a) = account {
                let reason = if a.active {
                    "wrong password"
                } else {
                    "employee deactivated"
                };
                state
                    .store
                    .audit(
                        a.company_id,
                        &actor(None),
                        "sign_in_failed",
                        Some(&format!("employee:{}", a.employee_id)),
                        Some(reason),
                        now,
                    )
                    .await?;
            }
            tracing::info!("a sign-in failed");
            let html = sign_in_form(l, &csrf, &email, Some(tr(l, "wrong-email-or-password")));
            Ok((StatusCode::UNAUTHORIZED, Html(html.into_string())).into_response())
        }
    }
}

/// `POST /sign-out`: ends this session and forgets the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Result<Caller, AppError>,
) -> Result<Response, AppError> {
    if let Ok(caller) = caller {
        if let Some(id) = caller.session_id() {
            state
                .store
                .end_session(caller.company_id, id, &caller.actor(), Timestamp::now())
                .await?;
        }
    }
    let mut resp = Redirect::to("/sign-in").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), "Lax", secure(&state, &headers)),
    );
    Ok(resp)
}

// ----- the language switch ---------------------------------------------------------------------

#[derive(Deserialize)]
struct LanguageForm {
    #[serde(default)]
    locale: String,
    #[serde(default)]
    back: String,
}

/// `POST /language`: keeps the employee's choice in `rd_lang` (a year) and
/// returns to the page they were on (a path of this site only).
pub async fn set_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = serde_urlencoded::from_bytes::<LanguageForm>(&body).ok();
    let back = form
        .as_ref()
        .map(|f| f.back.as_str())
        .filter(|b| b.starts_with('/') && !b.starts_with("//") && !b.contains('\\'))
        .filter(|b| b.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("/")
        .to_owned();
    let mut resp = Redirect::to(&back).into_response();
    if let Some(l) = form.and_then(|f| Locale::parse(&f.locale)) {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                LANG_COOKIE,
                l.as_str(),
                Some(365 * 24 * 3600),
                "Lax",
                secure(&state, &headers),
            ),
        );
    }
    resp
}

// ----- sign-up (R-X3, R-X3a, R-U7) -------------------------------------------------------------

#[derive(Deserialize, Default)]
struct SignUpForm {
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: SecretString,
}

/// The form field a use-case error names (`company.name` → `company_name`).
fn sign_up_field(field: &str) -> &'static str {
    match field {
        "company.name" => "company_name",
        "company.country" | "country" => "country",
        "company.time_zone" | "time_zone" => "time_zone",
        "company.locale" | "locale" => "locale",
        "owner.name" => "owner_name",
        "owner.password" | "password" => "password",
        _ => "email",
    }
}

fn sign_up_page_markup(
    l: Locale,
    csrf: &str,
    open: bool,
    form: &SignUpForm,
    errors: &[(&str, String)],
) -> Markup {
    let title = tr(l, "sign-up-title");
    let countries = ringdesk_domain::phone::Country::all();
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .collect();
    zones.sort();
    let text = |name: &str, id: &str, kind: &str, value: &str, auto: &str| {
        html! {
            label for=(name) { (tr(l, id)) }
            input id=(name) type=(kind) name=(name) value=(value) autocomplete=(auto) required
                aria-invalid=[described_by(errors, name).map(|_| "true")]
                aria-describedby=[described_by(errors, name)];
            (field_note(errors, name))
        }
    };
    layout(
        l,
        &title,
        None,
        csrf,
        "/sign-up",
        html! {
            h1 { (title) }
            @if !open {
                p.error #sign-up-closed role="alert" { (tr(l, "sign-up-closed")) }
            } @else {
                @if !errors.is_empty() { p.error role="alert" { (tr(l, "form-has-errors")) } }
                form method="post" action="/sign-up" novalidate {
                    input type="hidden" name=(FIELD) value=(csrf);
                    (text("company_name", "company-name", "text", &form.company_name, "organization"))
                    label for="country" { (tr(l, "country")) }
                    select #country name="country" required aria-describedby=[described_by(errors, "country")] {
                        option value="" { (tr(l, "choose")) }
                        @for c in &countries {
                            option value=(c.as_str()) selected[c.as_str() == form.country] { (c.as_str()) }
                        }
                    }
                    (field_note(errors, "country"))
                    label for="time_zone" { (tr(l, "time-zone")) }
                    select #time_zone name="time_zone" required aria-describedby=[described_by(errors, "time_zone")] {
                        option value="" { (tr(l, "choose")) }
                        @for z in &zones {
                            option value=(z) selected[*z == form.time_zone] { (z) }
                        }
                    }
                    (field_note(errors, "time_zone"))
                    label for="locale" { (tr(l, "locale")) }
                    select #locale name="locale" required {
                        @for option in Locale::ALL {
                            @let chosen = if form.locale.is_empty() { option == l } else { option.as_str() == form.locale };
                            option value=(option.as_str()) selected[chosen] { (language_name(option)) }
                        }
                    }
                    (field_note(errors, "locale"))
                    (text("owner_name", "owner-name", "text", &form.owner_name, "name"))
                    (text("email", "email", "email", &form.email, "username"))
                    (text("password", "password", "password", "", "new-password"))
                    button type="submit" { (tr(l, "sign-up-button")) }
                }
            }
            p { (tr(l, "have-account")) " " a href="/sign-in" { (tr(l, "sign-in-link")) } }
        },
    )
}

async fn sign_up_open(state: &AppState) -> Result<bool, AppError> {
    let has_company = match state.signup {
        ringdesk_domain::signup::SignupPolicy::FirstCompany => state.store.has_company().await?,
        _ => false,
    };
    Ok(state.signup.allows(has_company).is_ok())
}

/// `GET /sign-up`: the form, or why sign-up is closed (R-X3a).
pub async fn sign_up_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let l = signed_out_locale(&headers);
    let (csrf, set) = pre_session(&state, &headers);
    let open = sign_up_open(&state).await?;
    let markup = sign_up_page_markup(l, &csrf, open, &SignUpForm::default(), &[]);
    Ok(with_cookie(
        markup,
        if open {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        },
        set,
    ))
}

/// `POST /sign-up`: `ringdesk_app::accounts::signup` (the API's use case,
/// under the same policy), then the owner is signed in and lands on home.
pub async fn sign_up(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = signed_out_locale(&headers);
    let csrf = crate::csrf::seed(&headers)
        .map(csrf_token_for)
        .unwrap_or_default();
    let Ok(form) = serde_urlencoded::from_bytes::<SignUpForm>(&body) else {
        let errors = [("email", tr(l, "form-unreadable"))];
        let markup = sign_up_page_markup(l, &csrf, true, &SignUpForm::default(), &errors);
        return Ok(with_cookie(markup, StatusCode::UNPROCESSABLE_ENTITY, None));
    };
    let company = CompanyInput {
        name: form.company_name.clone(),
        country: form.country.trim().to_owned(),
        time_zone: form.time_zone.trim().to_owned(),
        locale: form.locale.trim().to_owned(),
    };
    let owner = OwnerInput {
        name: form.owner_name.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
    };
    let (status, errors) =
        match ringdesk_app::accounts::signup(&state.store, state.signup, &company, &owner).await {
            Ok(out) => {
                let now = Timestamp::now();
                let actor = Actor {
                    employee_id: Some(out.owner_id),
                    token_id: None,
                    address,
                };
                // The sign-up's API token is not shown here: the owner signs in
                // with the password and mints tokens when an integration needs one.
                return start_session(&state, &headers, out.company_id, out.owner_id, &actor, now)
                    .await;
            }
            Err(ringdesk_app::Error::Forbidden(_)) => {
                let markup = sign_up_page_markup(l, &csrf, false, &form, &[]);
                return Ok(with_cookie(markup, StatusCode::FORBIDDEN, None));
            }
            Err(ringdesk_app::Error::Invalid(f)) => {
                let field = sign_up_field(&f.field);
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    vec![(field, tr(l, &format!("field-{field}")))],
                )
            }
            Err(ringdesk_app::Error::Store(StoreError::Taken { .. })) => (
                StatusCode::CONFLICT,
                vec![("email", tr(l, "field-email-taken"))],
            ),
            Err(e) => return Err(e.into()),
        };
    let markup = sign_up_page_markup(l, &csrf, true, &form, &errors);
    Ok(with_cookie(markup, status, None))
}

// ----- password change -------------------------------------------------------------------------

fn password_markup(s: &Signed, errors: &[(&str, String)], done: bool) -> Markup {
    let l = s.locale;
    let title = tr(l, "password-title");
    s.page(&title, "/account/password", html! {
        h1 { (title) }
        @if done { p.notice #password-changed role="status" { (tr(l, "password-changed")) } }
        @if !errors.is_empty() { p.error role="alert" { (tr(l, "form-has-errors")) } }
        form method="post" action="/account/password" {
            input type="hidden" name=(FIELD) value=(s.csrf);
            // For password managers: whose password this is.
            input type="email" name="email" value=(s.caller.employee.email) autocomplete="username" hidden readonly;
            label for="current_password" { (tr(l, "current-password")) }
            input #current_password type="password" name="current_password" autocomplete="current-password" required
                aria-describedby=[described_by(errors, "current_password")];
            (field_note(errors, "current_password"))
            label for="new_password" { (tr(l, "new-password")) }
            input #new_password type="password" name="new_password" autocomplete="new-password" required minlength="8"
                aria-describedby=[described_by(errors, "new_password")];
            (field_note(errors, "new_password"))
            button type="submit" { (tr(l, "password-button")) }
        }
    })
}

/// `GET /account/password`.
pub async fn password_page(s: Signed, Query(q): Query<Flash>) -> Response {
    Html(password_markup(&s, &[], q.m.as_deref() == Some("changed")).into_string()).into_response()
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: SecretString,
    #[serde(default)]
    new_password: SecretString,
}

/// `POST /account/password`: the current password, then the new one; as
/// `PATCH /api/v1/employees/{me}` does, every other session of the employee ends.
pub async fn change_password(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let l = s.locale;
    let Ok(form) = serde_urlencoded::from_bytes::<PasswordForm>(&body) else {
        let errors = [("current_password", tr(l, "form-unreadable"))];
        return Ok(with_cookie(
            password_markup(&s, &errors, false),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ));
    };
    let account = state
        .store
        .sign_in_account(&s.caller.employee.email)
        .await?;
    let current_ok =
        verify_password(form.current_password, account.map(|a| a.password_hash)).await?;
    if !current_ok {
        let errors = [("current_password", tr(l, "field-current_password"))];
        return Ok(with_cookie(
            password_markup(&s, &errors, false),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ));
    }
    let hash =
        match ringdesk_app::accounts::new_password_hash("new_password", &form.new_password).await {
            Ok(h) => h,
            Err(ringdesk_app::Error::Invalid(_)) => {
                let errors = [("new_password", tr(l, "field-new_password"))];
                return Ok(with_cookie(
                    password_markup(&s, &errors, false),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                ));
            }
            Err(e) => return Err(e.into()),
        };
    let patch = EmployeePatch {
        password_hash: Some(hash),
        keep_session_id: s.caller.session_id(),
        ..Default::default()
    };
    state
        .store
        .update_employee(
            s.caller.company_id,
            s.caller.employee.id,
            &patch,
            &s.caller.actor(),
            Timestamp::now(),
        )
        .await?;
    Ok(Redirect::to("/account/password?m=changed").into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(
        "/sign-in",
        &["GET", "POST"],
        get(sign_in_page).post(sign_in),
    )
    .other("/sign-out", &["POST"], post(sign_out))
    .other(
        "/sign-up",
        &["GET", "POST"],
        get(sign_up_page).post(sign_up),
    )
    .other("/language", &["POST"], post(set_language))
    .other(
        "/account/password",
        &["GET", "POST"],
        get(password_page).post(change_password),
    )
}

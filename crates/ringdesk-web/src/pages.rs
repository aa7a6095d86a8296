//! The HTML pages (issue 11), server-rendered with maud. They work as plain
//! HTML forms, without JavaScript. Every state-changing form is checked by
//! [`crate::csrf::guard`] before its handler runs; every text comes from the
//! Fluent catalogues ([`crate::i18n`]) in the page's language.
//!
//! - [`layout`]: the page every signed-in page shares: the header with the
//!   company's name, the navigation (only to pages that exist) and sign-out,
//!   the language switch in the footer. The call bar (R-U1, built
//!   separately) mounts in its empty `#call-bar` region.
//! - sign-in, sign-up (R-X3, R-X3a, R-U7), sign-out, the language switch;
//! - the home page, the password change, "my tasks" (R-A3).
//!
//! Signed-in pages take a [`Signed`]: without a session they redirect to
//! `/sign-in`.

use crate::auth::{
    client_address, cookie, random_hex, token_hash, verify_password, Caller, Credential,
    PRE_SESSION_COOKIE, SESSION_COOKIE, SESSION_IDLE,
};
use crate::csrf::{csrf_token_for, FIELD};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::i18n::{page_locale, permission_label, tr, tr_args, LANG_COOKIE};
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bytes::Bytes;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use ringdesk_app::accounts::{CompanyInput, OwnerInput};
use ringdesk_domain::access::{
    sign_in_refused_for, sign_in_throttle_keys, sign_in_window_start, ThrottleKey,
};
use ringdesk_domain::company::Locale;
use ringdesk_store::{Actor, Company, EmployeePatch, StoreError, TaskFilter, TaskStatus};
use secrecy::SecretString;
use serde::Deserialize;

/// The caller's network address, if known.
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

// ----- the layout ------------------------------------------------------------------------------

/// Small, hand-written: readable at 375 px, visible focus, no framework.
const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d1f23;margin:0;line-height:1.4}\
a{color:#0b57d0}\
header{background:#1d2a3a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}\
header a,header .company{color:#fff}.company{font-weight:600;margin-right:auto}\
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem}\
nav a[aria-current=page]{font-weight:700;text-decoration:underline}\
header form,footer form{display:flex;gap:.3rem;align-items:center;margin:0}\
header button,footer button,footer select{padding:.3rem .6rem;margin:0}\
footer{max-width:56rem;margin:0 auto 1rem;padding:0 1rem}\
main{max-width:56rem;margin:1rem auto;background:#fff;padding:1rem 1.25rem;border-radius:8px;box-shadow:0 1px 4px #0002}\
main.narrow{max-width:26rem}\
label{display:block;margin:.8rem 0 .2rem;font-weight:500}\
input,select{width:100%;padding:.5rem;font:inherit;border:1px solid #8a8f98;border-radius:4px}\
button{padding:.55rem 1.1rem;font:inherit;border:1px solid #0b57d0;background:#0b57d0;color:#fff;border-radius:4px;cursor:pointer}\
form.inline{display:inline;margin:0}form.inline button{padding:.3rem .7rem}\
main form>button{margin-top:1.2rem}\
:focus-visible{outline:3px solid #f0a400;outline-offset:2px}\
.error{color:#b00020}.field-error{color:#b00020;margin:.2rem 0 0;font-size:.95em}\
.notice{background:#e7f3e8;padding:.5rem .75rem;border-radius:4px}\
.overdue{color:#b00020;font-weight:600}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .35rem;border-bottom:1px solid #e2e4e8;vertical-align:top}\
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;color:#000;padding:.3rem;z-index:9}\
#call-bar:empty{display:none}\
@media (max-width:40rem){main{margin:0;border-radius:0}thead{display:none}tr{display:block;border-bottom:1px solid #e2e4e8;padding:.4rem 0}td{display:block;border:0;padding:.15rem .35rem}}";

/// The language switch: a plain form (CSRF-checked) that sets `rd_lang` and
/// comes back to `back`.
fn language_switch(l: Locale, csrf: &str, back: &str) -> Markup {
    html! {
        form #language-switch method="post" action="/language" {
            input type="hidden" name=(FIELD) value=(csrf);
            input type="hidden" name="back" value=(back);
            label for="language" .skip-label style="margin:0;font-weight:400" { (tr(l, "language")) }
            select #language name="locale" style="width:auto" {
                @for option in Locale::ALL {
                    option value=(option.as_str()) selected[option == l] lang=(option.as_str()) { (language_name(option)) }
                }
            }
            button type="submit" { (tr(l, "language-change")) }
        }
    }
}

/// Each language in its own name.
fn language_name(l: Locale) -> &'static str {
    match l {
        Locale::En => "English",
        Locale::Pt => "Português",
        Locale::Es => "Español",
        Locale::Ru => "Русский",
    }
}

/// A whole page. `signed` adds the header of the signed-in pages; `path` is
/// the page's own path (the current nav link, where the language switch returns).
fn layout(
    l: Locale,
    title: &str,
    signed: Option<&Signed>,
    csrf: &str,
    path: &str,
    body: Markup,
) -> Markup {
    let nav = [
        ("/", "nav-home"),
        ("/tasks", "nav-tasks"),
        ("/account/password", "nav-password"),
    ];
    html! {
        (DOCTYPE)
        html lang=(l.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#content" { (tr(l, "skip-to-content")) }
                header {
                    @if let Some(s) = signed {
                        span.company #company-name { (s.company.name) }
                        nav aria-label=(tr(l, "nav-label")) {
                            ul {
                                @for (href, id) in nav {
                                    li { a href=(href) aria-current=[(href == path).then_some("page")] { (tr(l, id)) } }
                                }
                            }
                        }
                    } @else {
                        span.company { (tr(l, "app-name")) }
                    }
                    @if signed.is_some() {
                        form #sign-out method="post" action="/sign-out" {
                            input type="hidden" name=(FIELD) value=(csrf);
                            button type="submit" { (tr(l, "sign-out")) }
                        }
                    }
                }
                main #content class=[signed.is_none().then_some("narrow")] { (body) }
                // After the page's own form, so its button stays the first one (R-U7's stable forms).
                footer { (language_switch(l, csrf, path)) }
                @if signed.is_some() {
                    // Where the live call bar (R-U1) mounts; empty until it is built.
                    div #call-bar aria-live="polite" {}
                }
            }
        }
    }
}

fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<u64>,
    same_site: &str,
    secure: bool,
) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are hex or a locale")
}

/// The language of a page before sign-in: the choice, else the browser's.
fn signed_out_locale(headers: &HeaderMap) -> Locale {
    page_locale(
        cookie(headers, LANG_COOKIE),
        None,
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// A form's CSRF token before sign-in, and the pre-session cookie to set if
/// the browser has none yet.
fn pre_session(state: &AppState, headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    // Bound to whatever cookie the browser will send with the form: a session
    // cookie it still holds (even one that has ended), else the pre-session one.
    match crate::csrf::seed(headers) {
        Some(seed) => (csrf_token_for(seed), None),
        None => {
            let seed = random_hex(32);
            let c = set_cookie(
                PRE_SESSION_COOKIE,
                &seed,
                None,
                "Strict",
                secure(state, headers),
            );
            (csrf_token_for(&seed), Some(c))
        }
    }
}

fn with_cookie(markup: Markup, status: StatusCode, cookie: Option<HeaderValue>) -> Response {
    let mut resp = (status, Html(markup.into_string())).into_response();
    if let Some(c) = cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    resp
}

/// A time in the company's time zone, as `YYYY-MM-DD HH:MM`.
fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

// ----- who is signed in ------------------------------------------------------------------------

/// A signed-in employee on a page: the session's caller, the company, the
/// page's language and time zone. Without a live session the page redirects
/// to `/sign-in` (and drops a session cookie that no longer works).
pub struct Signed {
    pub caller: Caller,
    pub company: Company,
    pub locale: Locale,
    pub tz: TimeZone,
    pub csrf: String,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await;
        let to_sign_in = || {
            let mut resp = Redirect::to("/sign-in").into_response();
            if cookie(&parts.headers, SESSION_COOKIE).is_some() {
                resp.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(
                        SESSION_COOKIE,
                        "",
                        Some(0),
                        "Lax",
                        secure(state, &parts.headers),
                    ),
                );
            }
            resp
        };
        // Pages are for browsers: a session. An API token acts through /api/v1.
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Err(AppError::forbidden(
                "pages need a signed-in browser session; an API token acts through /api/v1",
            )
            .into_response());
        }
        let caller = match caller {
            Ok(c) if matches!(c.credential, Credential::Session(_)) => c,
            _ => return Err(to_sign_in()),
        };
        let company = state
            .store
            .company(caller.company_id)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        let locale = page_locale(
            cookie(&parts.headers, LANG_COOKIE),
            Some(company.locale),
            None,
        );
        // The name was checked when stored (`TimeZoneName`); UTC only if jiff lost it.
        let tz = TimeZone::get(&company.time_zone).unwrap_or(TimeZone::UTC);
        let csrf = caller.csrf_token.clone().unwrap_or_default();
        Ok(Signed {
            caller,
            company,
            locale,
            tz,
            csrf,
        })
    }
}

impl Signed {
    fn page(&self, title: &str, path: &str, body: Markup) -> Markup {
        layout(self.locale, title, Some(self), &self.csrf, path, body)
    }
}

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

fn field_note(errors: &[(&str, String)], field: &str) -> Markup {
    html! {
        @for (_, e) in errors.iter().filter(|(f, _)| *f == field) {
            p.field-error id=(format!("{field}-error")) { (e) }
        }
    }
}

fn described_by(errors: &[(&str, String)], field: &str) -> Option<String> {
    errors
        .iter()
        .any(|(f, _)| *f == field)
        .then(|| format!("{field}-error"))
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

// ----- home ------------------------------------------------------------------------------------

/// `GET /`: who is signed in, in which company, with which rights. Issue 11's
/// later slice grows it into "what needs me now".
pub async fn home(s: Signed) -> Response {
    let l = s.locale;
    let title = tr(l, "app-name");
    Html(
        s.page(&title, "/", html! {
            h1 { (s.company.name) }
            p { (tr(l, "signed-in-as")) " " strong #employee { (s.caller.employee.name) } }
            p { (tr(l, "company")) ": " span #company { (s.company.name) } }
            h2 { (tr(l, "your-permissions")) }
            ul #permissions { @for p in &s.caller.permissions { li data-permission=(p.as_str()) { (permission_label(*p, l)) } } }
        })
        .into_string(),
    )
    .into_response()
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

// ----- my tasks (R-A3) -------------------------------------------------------------------------

/// A one-word outcome carried across a redirect (`?m=`); only known words show anything.
#[derive(Deserialize)]
pub struct Flash {
    m: Option<String>,
}

fn flash_text(l: Locale, m: Option<&str>) -> Option<(bool, String)> {
    let (ok, id) = match m? {
        "completed" => (true, "task-completed"),
        "reopened" => (true, "task-reopened"),
        "not-assignee" => (false, "task-not-assignee"),
        "not-open" => (false, "task-not-open"),
        "already-open" => (false, "task-already-open"),
        _ => return None,
    };
    Some((ok, tr(l, id)))
}

/// `GET /tasks`: "my tasks" as R-A3 says: the employee's tasks, open ones
/// first, overdue before the rest, soonest due first (the store's order for
/// `GET /api/v1/tasks?mine=true`).
pub async fn tasks_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    let l = s.locale;
    let now = Timestamp::now();
    let filter = TaskFilter {
        call_id: None,
        assignee_id: Some(s.caller.employee.id),
        order_id: None,
        lead_id: None,
        status: None,
        overdue_first_at: Some(now),
        limit: 200,
    };
    let tasks = state.store.tasks(s.caller.company_id, &filter).await?;
    let title = tr(l, "tasks-title");
    let markup = s.page(&title, "/tasks", html! {
        h1 { (title) }
        @if let Some((ok, text)) = flash_text(l, q.m.as_deref()) {
            @if ok { p.notice #flash role="status" { (text) } } @else { p.error #flash role="alert" { (text) } }
        }
        @if tasks.is_empty() {
            p #no-tasks { (tr(l, "tasks-empty")) }
        } @else {
            table #tasks {
                thead { tr { th scope="col" { (tr(l, "task-title")) } th scope="col" { (tr(l, "task-due")) } th scope="col" { (tr(l, "task-status")) } th scope="col" { (tr(l, "task-actions")) } } }
                tbody {
                    @for t in &tasks {
                        @let overdue = t.status == TaskStatus::Open && t.due_at.is_some_and(|d| d < now);
                        tr id=(format!("task-{}", t.id)) data-status=(t.status.as_str()) {
                            td {
                                strong { (t.title) }
                                @if let Some(d) = &t.description { br; span { (d) } }
                            }
                            td {
                                @match t.due_at {
                                    Some(d) => { time datetime=(d.to_string()) { (local_time(d, &s.tz)) } }
                                    None => { (tr(l, "task-no-due")) }
                                }
                                @if overdue { " " span.overdue { (tr(l, "task-overdue")) } }
                            }
                            td { (tr(l, match t.status { TaskStatus::Open => "task-status-open", TaskStatus::Done => "task-status-done", TaskStatus::Cancelled => "task-status-cancelled" })) }
                            td {
                                @match t.status {
                                    TaskStatus::Open => {
                                        form.inline method="post" action=(format!("/tasks/{}/complete", t.id)) {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            button type="submit" { (tr(l, "task-complete")) }
                                        }
                                    }
                                    TaskStatus::Done => {
                                        form.inline method="post" action=(format!("/tasks/{}/reopen", t.id)) {
                                            input type="hidden" name=(FIELD) value=(s.csrf);
                                            button type="submit" { (tr(l, "task-reopen")) }
                                        }
                                    }
                                    TaskStatus::Cancelled => {}
                                }
                            }
                        }
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

/// `POST /tasks/{id}/complete`: as `POST /api/v1/tasks/{id}/complete` for a
/// signed-in employee (they complete it as themselves; R-A3's `shared` mode
/// leaves it assigned to them alone).
pub async fn complete_task(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    state.store.task(s.caller.company_id, id).await?;
    let m = match state
        .store
        .complete_task(
            s.caller.company_id,
            id,
            s.caller.employee.id,
            Timestamp::now(),
        )
        .await
    {
        Ok(_) => "completed",
        Err(StoreError::Invalid { .. }) => "not-assignee",
        Err(StoreError::Conflict(_)) => "not-open",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/tasks?m={m}")).into_response())
}

/// `POST /tasks/{id}/reopen`: as `POST /api/v1/tasks/{id}/reopen`.
pub async fn reopen_task(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let m = match state
        .store
        .reopen_task(s.caller.company_id, id, Timestamp::now())
        .await
    {
        Ok(_) => "reopened",
        Err(StoreError::Conflict(_)) => "already-open",
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/tasks?m={m}")).into_response())
}

//! The HTML pages. This issue brings the first of them: sign-in, the signed-in
//! home page and sign-out; the web interface builds the rest on the same
//! session, CSRF layer and texts. Every state-changing form is checked by
//! [`crate::csrf::guard`] before its handler runs.

use crate::auth::{
    client_address, cookie, random_hex, token_hash, verify_password, Caller, PRE_SESSION_COOKIE,
    SESSION_COOKIE, SESSION_IDLE,
};
use crate::csrf::{csrf_token_for, FIELD};
use crate::error::AppError;
use crate::ui_text::{locale_from_accept_language, permission_label, ui, Ui};
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bytes::Bytes;
use jiff::Timestamp;
use maud::{html, Markup, DOCTYPE};
use ringdesk_domain::access::{
    sign_in_refused_for, sign_in_throttle_keys, sign_in_window_start, ThrottleKey,
};
use ringdesk_domain::company::Locale;
use ringdesk_store::Actor;
use serde::Deserialize;

/// The caller's network address, if known.
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

fn page(locale: Locale, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(locale.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (STYLE) }
            }
            body { main { (body) } }
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}\
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}\
label{display:block;margin:.8rem 0 .2rem}input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}\
button{margin-top:1.2rem;padding:.6rem 1.2rem}.error{color:#b00020}";

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
    HeaderValue::from_str(&c).expect("cookie values are hex")
}

fn page_locale(headers: &HeaderMap) -> Locale {
    locale_from_accept_language(
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn sign_in_form(locale: Locale, csrf: &str, email: &str, error: Option<String>) -> Markup {
    page(
        locale,
        ui(Ui::SignInTitle, locale),
        html! {
            h1 { (ui(Ui::SignInTitle, locale)) }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            form method="post" action="/sign-in" {
                input type="hidden" name=(FIELD) value=(csrf);
                label for="email" { (ui(Ui::Email, locale)) }
                input #email type="email" name="email" value=(email) autocomplete="username" required autofocus;
                label for="password" { (ui(Ui::Password, locale)) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { (ui(Ui::SignInButton, locale)) }
            }
        },
    )
}

/// `GET /sign-in`: the form, bound to a pre-session cookie for its CSRF token.
pub async fn sign_in_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let locale = page_locale(&headers);
    // Bound to whatever cookie the browser will send with the form: a session
    // cookie it still holds (even one that has ended), else the pre-session one.
    let existing = crate::csrf::seed(&headers).map(str::to_owned);
    let seed = existing.clone().unwrap_or_else(|| random_hex(32));
    let mut resp =
        Html(sign_in_form(locale, &csrf_token_for(&seed), "", None).into_string()).into_response();
    if existing.is_none() {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(
                PRE_SESSION_COOKIE,
                &seed,
                None,
                "Strict",
                secure(&state, &headers),
            ),
        );
    }
    resp
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: secrecy::SecretString,
}

/// `POST /sign-in`: checks the password (throttled per account and per address,
/// counted in the database), then starts a new session with a new id.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let locale = page_locale(&headers);
    let csrf = crate::csrf::seed(&headers)
        .map(csrf_token_for)
        .unwrap_or_default();
    // An e-mail with a control character (NUL: PostgreSQL cannot even compare
    // it) names no account: the form is unreadable, as a malformed one is (R-I4).
    let form = serde_urlencoded::from_bytes::<SignInForm>(&body)
        .ok()
        .filter(|f| !f.email.chars().any(char::is_control));
    let Some(form) = form else {
        let html = sign_in_form(
            locale,
            &csrf,
            "",
            Some(ui(Ui::FormUnreadable, locale).to_owned()),
        );
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
                let message = format!(
                    "{} {} {}.",
                    ui(Ui::TooManyAttempts, locale),
                    wait.div_ceil(60),
                    ui(Ui::Minutes, locale)
                );
                let mut resp = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Html(sign_in_form(locale, &csrf, &email, Some(message)).into_string()),
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
            let token = random_hex(32);
            let expires =
                Timestamp::from_millisecond(now.as_millisecond() + SESSION_IDLE.as_millis() as i64)
                    .unwrap_or(now);
            state
                .store
                .create_session(
                    a.company_id,
                    a.employee_id,
                    &token_hash(&token),
                    expires,
                    &actor(Some(a.employee_id)),
                    now,
                )
                .await?;
            tracing::info!(
                company.id = a.company_id,
                employee.id = a.employee_id,
                "employee signed in"
            );
            let secure = secure(&state, &headers);
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
            let html = sign_in_form(
                locale,
                &csrf,
                &email,
                Some(ui(Ui::WrongEmailOrPassword, locale).to_owned()),
            );
            Ok((StatusCode::UNAUTHORIZED, Html(html.into_string())).into_response())
        }
    }
}

/// `GET /`: who is signed in; the web interface issue grows it into the workspace.
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Result<Caller, AppError>,
) -> Result<Response, AppError> {
    let Ok(caller) = caller else {
        // A session cookie that no longer works is dropped on the way.
        let mut resp = Redirect::to("/sign-in").into_response();
        if cookie(&headers, SESSION_COOKIE).is_some() {
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", Some(0), "Lax", secure(&state, &headers)),
            );
        }
        return Ok(resp);
    };
    let company = state.store.company(caller.company_id).await?;
    let locale = company.locale;
    let csrf = caller.csrf_token.clone();
    Ok(Html(
        page(locale, "Ringdesk", html! {
            h1 { "Ringdesk" }
            p { (ui(Ui::SignedInAs, locale)) " " strong #employee { (caller.employee.name) } }
            p { (ui(Ui::Company, locale)) ": " span #company { (company.name) } }
            h2 { (ui(Ui::YourPermissions, locale)) }
            ul #permissions { @for p in &caller.permissions { li data-permission=(p.as_str()) { (permission_label(*p, locale)) } } }
            @if let Some(csrf) = csrf {
                form method="post" action="/sign-out" {
                    input type="hidden" name=(FIELD) value=(csrf);
                    button type="submit" { (ui(Ui::SignOut, locale)) }
                }
            }
        })
        .into_string(),
    )
    .into_response())
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

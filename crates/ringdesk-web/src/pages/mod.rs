//! The HTML pages (issue 11), server-rendered with maud. They work as plain
//! HTML forms, without JavaScript. Every state-changing form is checked by
//! [`crate::csrf::guard`] before its handler runs; every text comes from the
//! Fluent catalogues ([`crate::i18n`]) in the page's language.
//!
//! This module holds what every page shares: [`layout`] (the header with the
//! company's name, the navigation and sign-out, the language switch in the
//! footer, the `#call-bar` region of R-U1), [`Signed`] (who is signed in, the
//! page's language and time zone), cookies and the small form helpers. Each
//! area of pages is a module of its own with a `routes` function:
//!
//! - [`account`]: sign-in, sign-up (R-X3, R-X3a, R-U7), sign-out, the
//!   language switch, the password change;
//! - [`home`]: "what needs me now" and the first-run checklist;
//! - [`tasks`]: "my tasks" (R-A3);
//! - [`notifications`]: my notifications and which ones I get (R-L6);
//! - [`bar`]: the live call bar's fragments (R-U1) and Edit contact (R-C6);
//! - [`clients`], [`quotes`] (R-M7, R-U2's Incoming call);
//! - [`calls`] (R-C5, the automation record of R-X5), [`leads`] (R-M1, R-M2,
//!   R-M5), [`orders`] (R-M6);
//! - [`settings`]: Telephony > Automation (R-U5) with its preview, employees,
//!   numbering and lists, webhook signing and tokens, the audit log.
//!
//! Signed-in pages take a [`Signed`]: without a session they redirect to
//! `/sign-in`.

mod account;
mod bar;
mod calls;
mod cases;
mod click_to_call;
mod clients;
mod dashboard;
pub(crate) mod home;
mod leads;
mod notifications;
mod orders;
mod quotes;
mod settings;
mod tasks;

use crate::auth::{
    client_address, cookie, random_hex, Caller, Credential, PRE_SESSION_COOKIE, SESSION_COOKIE,
};
use crate::csrf::{csrf_token_for, FIELD};
use crate::error::AppError;
use crate::i18n::{page_locale, tr, LANG_COOKIE};
use crate::{AppState, Routes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use maud::{html, Markup, DOCTYPE};
use ringdesk_domain::company::Locale;
use ringdesk_store::Company;
use serde::Deserialize;

/// Every page route, area by area.
pub(crate) fn routes(r: Routes) -> Routes {
    let r = account::routes(r);
    let r = calls::routes(r);
    let r = cases::routes(r);
    let r = click_to_call::routes(r);
    let r = dashboard::routes(r);
    let r = home::routes(r);
    let r = notifications::routes(r);
    let r = leads::routes(r);
    let r = orders::routes(r);
    let r = settings::routes(r);
    let r = bar::routes(r);
    let r = clients::routes(r);
    let r = quotes::routes(r);
    tasks::routes(r)
}

/// The caller's network address, if known.
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

// ----- the layout ------------------------------------------------------------------------------

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
    // R-U7: after sign-in every page links to the calls, clients, leads, work
    // orders, quotes, tasks and settings pages.
    let nav = [
        ("/", "nav-home"),
        ("/calls", "nav-calls"),
        ("/dashboard", "nav-dashboard"),
        ("/clients", "nav-clients"),
        ("/leads", "nav-leads"),
        ("/orders", "nav-orders"),
        ("/quotes", "nav-quotes"),
        ("/tasks", "nav-tasks"),
        ("/notifications", "nav-notifications"),
        ("/settings", "nav-settings"),
        ("/account/password", "nav-password"),
    ];
    html! {
        (DOCTYPE)
        html lang=(l.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href=(crate::assets::STYLESHEET.href());
                @if signed.is_some() {
                    // The live call bar and notices (R-U1); the pages work without it.
                    script src=(crate::assets::SCRIPT.href()) defer {}
                }
            }
            body {
                a.skip href="#content" { (tr(l, "skip-to-content")) }
                header {
                    @if let Some(s) = signed {
                        span.company #company-name { (s.company.name) }
                        nav aria-label=(tr(l, "nav-label")) {
                            ul {
                                @for (href, id) in nav {
                                    li { a href=(href) aria-current=[current(href, path).then_some("page")] { (tr(l, id)) } }
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
                main #content class=[signed.is_none().then_some("narrow")] {
                    @if let Some(d) = signed.and_then(|s| s.dialled.as_ref()) { (click_to_call::notice(l, d)) }
                    (body)
                }
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

/// Whether the nav link `href` is the page at `path` or one under it.
fn current(href: &str, path: &str) -> bool {
    href == path
        || (href != "/"
            && path
                .strip_prefix(href)
                .is_some_and(|rest| rest.starts_with('/')))
}

fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// This server's address as the browser reached it (`http(s)://host`), for
/// the URLs a phone system is told to post to.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let scheme = if secure(state, headers) {
        "https"
    } else {
        "http"
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost:8080");
    format!("{scheme}://{host}")
}

/// Where the generic webhook's phone system sends its events (R-X4).
pub(crate) fn webhook_url(state: &AppState, headers: &HeaderMap) -> String {
    format!("{}/api/v1/telephony/events", base_url(state, headers))
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
    /// This page's address (path and query, without click to call's outcome):
    /// where its "Call" buttons send the employee back to.
    pub here: String,
    /// What came of the click to call that led here (R-I5), shown on top.
    pub dialled: Option<click_to_call::Dialled>,
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
        let (dialled, here) = click_to_call::read(parts.uri.path(), parts.uri.query());
        Ok(Signed {
            caller,
            company,
            locale,
            tz,
            csrf,
            here,
            dialled,
        })
    }
}

impl Signed {
    fn page(&self, title: &str, path: &str, body: Markup) -> Markup {
        layout(self.locale, title, Some(self), &self.csrf, path, body)
    }
}

// ----- small shared helpers ---------------------------------------------------------------

/// A list page's filter form ends the same way everywhere: apply, and reset to `base`.
fn filter_actions(l: Locale, base: &str) -> Markup {
    html! {
        div.filter-actions {
            button type="submit" { (tr(l, "leads-apply")) }
            a href=(base) { (tr(l, "leads-reset")) }
        }
    }
}

/// A date filter (`from`, `to`): the company's calendar days.
fn date_filter(l: Locale, name: &str, label: &str, value: &str) -> Markup {
    html! {
        div.filter {
            label for=(name) { (tr(l, label)) }
            input id=(name) type="date" name=(name) value=(value);
        }
    }
}

/// Why a list's filters were refused (the API's 422 message), above the list.
fn filter_error(l: Locale, error: Option<&AppError>) -> Markup {
    html! {
        @if let Some(e) = error {
            p.error #filter-error role="alert" { (crate::i18n::tr_args(l, "leads-filter-invalid", &[("problem", fluent_bundle::FluentValue::from(e.message.clone()))])) }
        }
    }
}

/// A list page's table: scrolls sideways on its own on a narrow screen,
/// captioned for screen readers, with a header cell per column text id.
fn list_table(l: Locale, id: &str, caption: &str, columns: &[&str], rows: Markup) -> Markup {
    html! {
        div.table-wrap {
            table id=(id) {
                caption.sr-only { (caption) }
                thead { tr { @for c in columns { th scope="col" { (tr(l, c)) } } } }
                tbody { (rows) }
            }
        }
    }
}

/// The `id` of a field's note (a dot, as in `missed_call_task.due_in`, becomes a dash).
fn note_id(field: &str) -> String {
    format!("{}-error", field.replace('.', "-"))
}

/// The notes beside `field`: every page's errors-beside-fields, whatever
/// holds the field names (`&'static str` or `String`).
fn field_note<F: AsRef<str>>(errors: &[(F, String)], field: &str) -> Markup {
    html! {
        @for (_, e) in errors.iter().filter(|(f, _)| f.as_ref() == field) {
            p.field-error id=(note_id(field)) { (e) }
        }
    }
}

/// `aria-describedby` for a field with a note.
fn described_by<F: AsRef<str>>(errors: &[(F, String)], field: &str) -> Option<String> {
    errors
        .iter()
        .any(|(f, _)| f.as_ref() == field)
        .then(|| note_id(field))
}

/// A one-word outcome carried across a redirect (`?m=`); only known words show anything.
#[derive(Deserialize)]
pub struct Flash {
    pub m: Option<String>,
}

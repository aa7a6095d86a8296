//! Settings (issue 11 item 2 "settings", SPEC §4, §5, R-U5, R-T1…R-T3,
//! R-X8): for the owner and the employees with `manage_settings` (employees
//! with `manage_employees` for the employees' pages), each page doing what
//! its JSON API does, through the same store calls and domain validation.
//!
//! - [`index`]: `/settings`, a link to each section the caller may use;
//! - [`telephony`]: Telephony > Automation (R-U5, R-X6) and its preview;
//! - [`employees`]: employees, their extensions and permissions, the owner's
//!   password reset;
//! - [`catalog`]: numbering templates (R-M3), ad campaigns and locations;
//! - [`lead_types`]: lead types with their form fields, lead and work-order
//!   statuses, the status transfer rules (R-M2, R-M6);
//! - [`phone_system`]: connecting the phone system (issue 12): the generic
//!   webhook's URL, a token and a test call, the ignore list (R-P7), click
//!   to call's outgoing webhook (R-I5) and the webhook inbox;
//! - [`twilio`]: the Twilio connection (R-I2, R-X8) and the callback URL to paste;
//! - [`ami`]: the Asterisk (AMI) connection, its status and gaps (R-I3, R-X8);
//! - [`security`]: webhook signing (R-I1, R-X8) and API tokens (R-T5);
//! - [`audit`]: the owner's audit log, paged.
//!
//! A caller without the right gets the API's refusal (403 and its message)
//! as a page.

mod ami;
mod audit;
mod catalog;
mod employees;
mod lead_types;
mod phone_system;
mod security;
mod telephony;
mod twilio;

use super::*;
use crate::i18n::tr_args;
use ringdesk_domain::company::Permission;

pub(crate) fn routes(r: Routes) -> Routes {
    let r = r.other("/settings", &["GET"], axum::routing::get(index));
    let r = telephony::routes(r);
    let r = employees::routes(r);
    let r = security::routes(r);
    let r = ami::routes(r);
    let r = catalog::routes(r);
    let r = lead_types::routes(r);
    let r = phone_system::routes(r);
    let r = twilio::routes(r);
    audit::routes(r)
}

/// An [`AppError`] as a page: the refusal (or "not found") the API would give,
/// with its status and its message, inside the layout.
fn refused(s: &Signed, e: AppError) -> Response {
    if e.status.is_server_error() || e.status == StatusCode::UNAUTHORIZED {
        return e.into_response();
    }
    let l = s.locale;
    let title = if e.status == StatusCode::NOT_FOUND {
        tr(l, "settings-not-found")
    } else {
        tr(l, "settings-refused")
    };
    let markup = s.page(
        &title,
        "/settings",
        html! {
            h1 { (title) }
            p.error #refusal role="alert" data-code=(e.code) { (e.message) }
            p { a href="/settings" { (tr(l, "settings-back")) } }
        },
    );
    with_cookie(markup, e.status, None)
}

/// The fields of a posted form, in order; a field may repeat (checkboxes).
struct FormFields(Vec<(String, String)>);

impl FormFields {
    fn parse(body: &[u8]) -> FormFields {
        FormFields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, if sent.
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, "" when not sent.
    fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_owned()
    }

    /// A checkbox: sent means ticked.
    fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every value of `name`.
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Field errors of a form: (the form field, the text shown beside it).
type Errors = Vec<(String, String)>;

/// The outcome line of a page after a redirect (`?m=`), from the page's known words.
fn flash(l: Locale, m: Option<&str>, known: &[(&str, &str)]) -> Markup {
    let found = m.and_then(|m| known.iter().find(|(w, _)| *w == m));
    html! {
        @if let Some((_, id)) = found {
            p.notice #flash role="status" { (tr(l, id)) }
        }
    }
}

/// Who may open the settings index: `manage_settings` or `manage_employees`
/// (the owner has both); anyone else gets the API's refusal for settings.
fn may_open_settings(s: &Signed) -> Result<(), AppError> {
    if s.caller.may(Permission::ManageEmployees) {
        return Ok(());
    }
    s.caller.require(Permission::ManageSettings)
}

/// `GET /settings`: a link to each section the caller may use.
pub async fn index(s: Signed) -> Response {
    if let Err(e) = may_open_settings(&s) {
        return refused(&s, e);
    }
    let l = s.locale;
    let title = tr(l, "settings-title");
    let settings = s.caller.may(Permission::ManageSettings);
    let employees = s.caller.may(Permission::ManageEmployees);
    let owner = s.caller.employee.is_owner;
    let sections: Vec<(&str, String, String)> = [
        (
            settings,
            "/settings/telephony",
            tr(l, "settings-telephony-title"),
            tr(l, "settings-telephony-about"),
        ),
        (
            employees,
            "/settings/employees",
            tr(l, "settings-employees-title"),
            tr(l, "settings-employees-about"),
        ),
        (
            settings,
            "/settings/lists",
            tr(l, "settings-lists-title"),
            tr(l, "settings-lists-about"),
        ),
        (
            settings,
            "/settings/lead-types",
            tr(l, "settings-lead-types-title"),
            tr(l, "settings-lead-types-about"),
        ),
        (
            settings,
            "/settings/statuses",
            tr(l, "settings-statuses-title"),
            tr(l, "settings-statuses-about"),
        ),
        (
            settings,
            "/settings/lead-transfers",
            tr(l, "settings-transfers-title"),
            tr(l, "settings-transfers-about"),
        ),
        (
            settings,
            "/settings/phone-system",
            tr(l, "phone-title"),
            tr(l, "phone-about"),
        ),
        (
            settings,
            "/settings/integrations/twilio",
            tr(l, "settings-twilio-title"),
            tr(l, "settings-twilio-about"),
        ),
        (
            settings,
            "/settings/webhook-signing",
            tr(l, "settings-signing-title"),
            tr(l, "settings-signing-about"),
        ),
        (settings, ami::PATH, tr(l, "ami-title"), tr(l, "ami-about")),
        (
            true,
            "/settings/tokens",
            tr(l, "settings-tokens-title"),
            tr(l, "settings-tokens-about"),
        ),
        (
            owner,
            "/settings/audit",
            tr(l, "settings-audit-title"),
            tr(l, "settings-audit-about"),
        ),
    ]
    .into_iter()
    .filter(|(may, ..)| *may)
    .map(|(_, href, name, about)| (href, name, about))
    .collect();
    let markup = s.page(
        &title,
        "/settings",
        html! {
            h1 { (title) }
            ul #settings-sections .sections {
                @for (href, name, about) in &sections {
                    li { a href=(href) { (name) } br; span { (about) } }
                }
            }
        },
    );
    Html(markup.into_string()).into_response()
}

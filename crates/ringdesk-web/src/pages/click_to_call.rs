//! R-I5 click to call from the pages: a "Call" button beside a client's
//! numbers, a lead's number, a task made from a call, and each missed call
//! (home's widget, the calls list, a call's page). The button is a small
//! form posting to `POST /click-to-call`, which goes through the same
//! [`dispatch`] as `POST /api/v1/click-to-call` and sends the employee back
//! to the page they clicked on, with the outcome shown at the top of it
//! (`?c2c=ok&c2c_number=…&c2c_ext=…` or `?c2c=error&c2c_code=…`, read by
//! [`Signed`] and drawn by the layout, so every page shows it the same way).

use super::leads::Form;
use super::Signed;
use crate::api::click_to_call::{dispatch, ClickToCallIn};
use crate::csrf::FIELD;
use crate::error::AppError;
use crate::i18n::{tr, tr_args};
use crate::{AppState, Routes};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use fluent_bundle::FluentValue;
use maud::{html, Markup};
use ringdesk_domain::company::Locale;

const PATH: &str = "/click-to-call";

/// What a "Call" button dials and where the employee clicked.
#[derive(Debug, Default, Clone)]
pub(super) struct Dial<'a> {
    pub number: &'a str,
    pub client_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub task_id: Option<i64>,
    pub call_id: Option<i64>,
}

/// The "Call" button: nothing for a withheld or empty number.
pub(super) fn call_button(s: &Signed, d: &Dial<'_>) -> Markup {
    let l = s.locale;
    let ids = [
        ("client_id", d.client_id),
        ("lead_id", d.lead_id),
        ("task_id", d.task_id),
        ("call_id", d.call_id),
    ];
    html! {
        @if !d.number.trim().is_empty() && !ringdesk_domain::phone::is_withheld(d.number) {
            form.inline.c2c method="post" action=(PATH) {
                input type="hidden" name=(FIELD) value=(s.csrf);
                input type="hidden" name="number" value=(d.number);
                @for (name, id) in ids {
                    @if let Some(id) = id { input type="hidden" name=(name) value=(id); }
                }
                input type="hidden" name="back" value=(s.here);
                button type="submit" data-c2c=(d.number)
                    aria-label=(tr_args(l, "c2c-button-label", &[("number", FluentValue::from(d.number.to_owned()))])) {
                    (tr(l, "c2c-button"))
                }
            }
        }
    }
}

/// The outcome of a click, carried back to the page in its query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialled {
    Ringing { number: String, extension: String },
    Failed { code: String },
}

/// The query parameters that carry [`Dialled`].
const PARAMS: [&str; 4] = ["c2c", "c2c_number", "c2c_ext", "c2c_code"];

/// Reads the outcome from a page's query, and gives the page's own address
/// without it (where the page's buttons send the employee back to).
pub(super) fn read(path: &str, query: Option<&str>) -> (Option<Dialled>, String) {
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let dialled = match get("c2c").as_deref() {
        Some("ok") => Some(Dialled::Ringing {
            number: get("c2c_number").unwrap_or_default(),
            extension: get("c2c_ext").unwrap_or_default(),
        }),
        Some("error") => Some(Dialled::Failed {
            code: get("c2c_code").unwrap_or_default(),
        }),
        _ => None,
    };
    let rest: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| !PARAMS.contains(&k.as_str()))
        .collect();
    let here = if rest.is_empty() {
        path.to_owned()
    } else {
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(rest).unwrap_or_default()
        )
    };
    (dialled, here)
}

/// The outcome at the top of the page.
pub(super) fn notice(l: Locale, d: &Dialled) -> Markup {
    html! {
        @match d {
            Dialled::Ringing { number, extension } => {
                p.notice #c2c-flash role="status" {
                    (tr_args(l, "c2c-ringing", &[("number", FluentValue::from(number.clone())), ("extension", FluentValue::from(extension.clone()))]))
                }
            }
            Dialled::Failed { code } => {
                p.error #c2c-flash role="alert" data-code=(code) { (failure_text(l, code)) }
            }
        }
    }
}

/// Every way click to call can fail (the API's error codes), in the page's language.
fn failure_text(l: Locale, code: &str) -> String {
    const KNOWN: [&str; 8] = [
        "no_extension",
        "no_phone_system",
        "no_webhook_secret",
        "no_caller_id",
        "outbound_refused",
        "phone_system_refused",
        "phone_system_unreachable",
        "invalid_field",
    ];
    match KNOWN.iter().find(|k| **k == code) {
        Some(k) => tr(l, &format!("c2c-error-{}", k.replace('_', "-"))),
        None => tr(l, "c2c-error-other"),
    }
}

/// Only an address on this server (a path) is a place to send the employee
/// back to; anything else goes home.
fn local_path(back: &str) -> &str {
    let ok = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(|c| c.is_control());
    if ok {
        back
    } else {
        "/"
    }
}

/// `POST /click-to-call` (form: `number`, optional `client_id`, `lead_id`,
/// `task_id`, `call_id`, and `back`, the page to return to).
pub async fn click(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = Form::parse(&body);
    let id = |k: &str| f.get(k).trim().parse::<i64>().ok();
    let input = ClickToCallIn {
        number: f.get("number").to_owned(),
        client_id: id("client_id"),
        lead_id: id("lead_id"),
        task_id: id("task_id"),
        call_id: id("call_id"),
    };
    let outcome: Vec<(&str, String)> = match dispatch(&state, &s.caller, &input).await {
        Ok(out) => vec![
            ("c2c", "ok".into()),
            ("c2c_number", out.number),
            ("c2c_ext", out.extension),
        ],
        // The phone system's refusal (502) is an outcome to show; our own
        // failure is not.
        Err(e) if e.status.is_server_error() && e.status != axum::http::StatusCode::BAD_GATEWAY => {
            return Err(e)
        }
        Err(e) => {
            tracing::info!(
                company.id = s.caller.company_id,
                employee.id = s.caller.employee.id,
                code = e.code,
                "click to call not placed: {}",
                e.message
            );
            vec![("c2c", "error".into()), ("c2c_code", e.code.into())]
        }
    };
    let back = local_path(f.get("back"));
    let sep = if back.contains('?') { '&' } else { '?' };
    let to = format!(
        "{back}{sep}{}",
        serde_urlencoded::to_string(outcome).unwrap_or_default()
    );
    Ok(Redirect::to(&to).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::post;
    r.other(PATH, &["POST"], post(click))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_is_read_from_the_query_and_left_out_of_the_address() {
        let (d, here) = read(
            "/calls",
            Some("missed=true&c2c=ok&c2c_number=%2B380501234567&c2c_ext=201"),
        );
        assert_eq!(
            d,
            Some(Dialled::Ringing {
                number: "+380501234567".into(),
                extension: "201".into()
            })
        );
        assert_eq!(here, "/calls?missed=true");
        let (d, here) = read("/clients/7", Some("c2c=error&c2c_code=no_extension"));
        assert_eq!(
            d,
            Some(Dialled::Failed {
                code: "no_extension".into()
            })
        );
        assert_eq!(here, "/clients/7");
        assert_eq!(read("/", None), (None, "/".to_owned()));
    }

    #[test]
    fn only_a_path_on_this_server_is_a_way_back() {
        assert_eq!(local_path("/leads/3/edit"), "/leads/3/edit");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example/"), "/");
        assert_eq!(local_path(""), "/");
    }

    #[test]
    fn every_failure_has_a_text_in_every_language() {
        for l in [Locale::En, Locale::Pt, Locale::Es, Locale::Ru] {
            for code in [
                "no_extension",
                "no_phone_system",
                "no_webhook_secret",
                "no_caller_id",
                "outbound_refused",
                "phone_system_refused",
                "phone_system_unreachable",
                "invalid_field",
                "something_else",
            ] {
                let text = failure_text(l, code);
                assert!(
                    !text.starts_with("c2c-"),
                    "{l:?} has no text for {code}: {text}"
                );
            }
        }
    }
}

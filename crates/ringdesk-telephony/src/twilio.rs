//! Twilio Voice status callbacks (R-I2, R-X8) and Twilio's Calls API for
//! click to call (R-I5).
//!
//! Three parts, each pure except the last:
//!
//! - **Signatures** ([`validate`]): `X-Twilio-Signature` checked exactly as
//!   Twilio's helper libraries do it (twilio-python's `RequestValidator`):
//!   base64 of HMAC-SHA1, keyed with the account's auth token, over the URL
//!   Twilio posted to followed by every POST parameter as name + value, the
//!   names sorted, each name's distinct values sorted. A JSON body is signed
//!   over the URL alone, which carries `bodySHA256` (the hex SHA-256 of the
//!   body). The URL is tried without its port and with the scheme's default
//!   port (`:443`, `:80`) added when absent, because Twilio's own signing is
//!   not consistent about the port. The comparison is constant-time.
//! - **Mapping** ([`map_callback`]): one status callback becomes at most one
//!   [`RawCallEvent`] of SPEC §3, which then takes the generic webhook's path
//!   (`CallEvent::parse`, `Store::ingest`). See the function for the table.
//! - **Click to call** ([`start_call`]): one request to Twilio's Calls API
//!   that rings the employee first and then dials the customer.

use hmac::{Hmac, Mac};
use jiff::Timestamp;
use ringdesk_domain::event::{FieldError, RawCallEvent};
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The header Twilio signs its requests with.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// The query parameter of a JSON-body request that carries the body's hex SHA-256.
pub const BODY_HASH_PARAM: &str = "bodySHA256";

/// Query parameters Ringdesk adds to the status callback URL of the calls it
/// starts itself (click to call, [`start_call`]): the customer's number and
/// the employee, as the status callbacks of those calls do not say which leg
/// is which. The signature covers them like the rest of the URL.
pub const CUSTOMER_PARAM: &str = "rd_customer";
/// See [`CUSTOMER_PARAM`].
pub const OPERATOR_PARAM: &str = "rd_operator";

// ----- signatures -----------------------------------------------------------

/// What Twilio posted: form parameters, or a JSON body (the `bodySHA256` variant).
#[derive(Debug, Clone, Copy)]
pub enum SignedBody<'a> {
    /// `application/x-www-form-urlencoded` parameters in the order received.
    Form(&'a [(String, String)]),
    /// The raw bytes of a JSON body.
    Json(&'a [u8]),
}

/// Why a request is not Twilio's. The messages name the problem (R-X2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("X-Twilio-Signature is missing: only requests signed by Twilio are accepted")]
    Missing,
    #[error(
        "bodySHA256 is missing from the URL: a JSON body must be signed with its SHA-256 \
         in the bodySHA256 query parameter"
    )]
    BodyHashMissing,
    #[error("bodySHA256 does not match the SHA-256 of the body: the body was changed")]
    BodyHashMismatch,
    #[error(
        "X-Twilio-Signature does not match public_url {url} (tried with and without the port) \
         and the posted parameters: check that public_url is exactly the URL set in Twilio's \
         console and that auth_token is the account's current auth token"
    )]
    Mismatch { url: String },
}

type HmacSha1 = Hmac<Sha1>;

/// The text Twilio signs: the URL, then each parameter name followed by its
/// value, names sorted, a name's distinct values sorted (as twilio-python's
/// `compute_signature` does with `sorted(set(values))`).
pub fn signed_text(url: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    // Sorting by (name, value) sorts names, and each name's values; strings
    // compare by code point, as Python's do.
    pairs.sort_unstable();
    pairs.dedup();
    let mut s = String::from(url);
    for (k, v) in pairs {
        s.push_str(k);
        s.push_str(v);
    }
    s
}

fn mac(auth_token: &str, text: &str) -> HmacSha1 {
    let mut m =
        HmacSha1::new_from_slice(auth_token.as_bytes()).expect("HMAC takes a key of any length");
    m.update(text.as_bytes());
    m
}

/// The signature Twilio sends for `url` and `params` (base64 of HMAC-SHA1).
pub fn compute_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(
        mac(auth_token, &signed_text(url, params))
            .finalize()
            .into_bytes(),
    )
}

/// The hex SHA-256 of a body, as `bodySHA256` carries it.
pub fn body_hash(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// `(scheme, authority, rest)` of an absolute URL; `rest` starts at the path.
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, after) = url.split_once("://")?;
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    Some((scheme, &after[..end], &after[end..]))
}

/// The position of the port's `:` in an authority (`user@host:port`, `[::1]:port`).
fn port_colon(authority: &str) -> Option<usize> {
    let host_start = authority.rfind('@').map_or(0, |i| i + 1);
    let host = &authority[host_start..];
    let search_from = host.rfind(']').map_or(0, |i| i + 1);
    host[search_from..]
        .rfind(':')
        .map(|i| host_start + search_from + i)
}

/// The URL with the scheme's default port added when it names none
/// (twilio-python's `add_port`: 443 for https, 80 otherwise).
pub fn with_port(url: &str) -> String {
    match split_url(url) {
        Some((scheme, authority, rest)) if port_colon(authority).is_none() => {
            let port = if scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            format!("{scheme}://{authority}:{port}{rest}")
        }
        _ => url.to_owned(),
    }
}

/// The URL without its port, if it names one (twilio-python's `remove_port`).
pub fn without_port(url: &str) -> String {
    match split_url(url) {
        Some((scheme, authority, rest)) => match port_colon(authority) {
            Some(i) => format!("{scheme}://{}{rest}", &authority[..i]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The query string of a URL (after `?`, before `#`), empty when none.
pub fn query_of(url: &str) -> &str {
    match url.split_once('?') {
        Some((_, q)) => q.split('#').next().unwrap_or(""),
        None => "",
    }
}

/// The URL Twilio signed: the configured `public_url` (as entered in Twilio's
/// console) with the query string the request actually came with. Twilio
/// signs the URL it posts to, query included; Ringdesk adds a query of its
/// own for the calls it starts ([`CUSTOMER_PARAM`]), and the JSON variant
/// adds `bodySHA256`. With no query on the request, `public_url` as it is.
pub fn signed_url(public_url: &str, request_query: Option<&str>) -> String {
    match request_query.filter(|q| !q.is_empty()) {
        Some(q) => {
            let base = public_url.split(['?', '#']).next().unwrap_or(public_url);
            format!("{base}?{q}")
        }
        None => public_url.to_owned(),
    }
}

/// Constant-time equality of two byte strings (the length is not secret).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks `X-Twilio-Signature` as twilio-python's `RequestValidator.validate`
/// does. `url` is the whole URL Twilio posted to ([`signed_url`]).
pub fn validate(
    auth_token: &str,
    url: &str,
    body: SignedBody<'_>,
    signature: Option<&str>,
) -> Result<(), SignatureError> {
    let signature = signature
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(SignatureError::Missing)?;
    let no_params: [(String, String); 0] = [];
    let params: &[(String, String)] = match body {
        SignedBody::Form(p) => p,
        SignedBody::Json(bytes) => {
            let query = query_of(url);
            let expected = form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == BODY_HASH_PARAM)
                .map(|(_, v)| v.into_owned())
                .ok_or(SignatureError::BodyHashMissing)?;
            if !same_bytes(body_hash(bytes).as_bytes(), expected.trim().as_bytes()) {
                return Err(SignatureError::BodyHashMismatch);
            }
            &no_params
        }
    };
    use base64::Engine;
    let given = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .ok();
    let ok = |candidate: &str| {
        given.as_deref().is_some_and(|g| {
            mac(auth_token, &signed_text(candidate, params))
                .verify_slice(g)
                .is_ok()
        })
    };
    // Both are computed, whichever matches, as the libraries do.
    let without = ok(&without_port(url));
    let with = ok(&with_port(url));
    if without | with {
        Ok(())
    } else {
        Err(SignatureError::Mismatch {
            url: url.to_owned(),
        })
    }
}

// ----- mapping --------------------------------------------------------------

/// The parameters of one callback: the first value of each name.
fn first<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Twilio's `CallStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Queued,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Busy,
    NoAnswer,
    Canceled,
    Failed,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Queued,
        Status::Initiated,
        Status::Ringing,
        Status::InProgress,
        Status::Completed,
        Status::Busy,
        Status::NoAnswer,
        Status::Canceled,
        Status::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Initiated => "initiated",
            Status::Ringing => "ringing",
            Status::InProgress => "in-progress",
            Status::Completed => "completed",
            Status::Busy => "busy",
            Status::NoAnswer => "no-answer",
            Status::Canceled => "canceled",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// SPEC §3's state for a leg whose own status is this one.
    fn state(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Initiated | Status::Ringing => "ringing",
            Status::InProgress => "answered",
            Status::Completed => "completed",
            Status::Busy => "busy",
            Status::NoAnswer => "no_answer",
            Status::Canceled => "cancelled",
            Status::Failed => "failed",
        }
    }
}

/// The operator named by the address a `<Dial>` leg rang, in the form the
/// generic webhook's `operator` takes (an extension, or an e-mail when it
/// contains `@`):
///
/// - `client:NAME` (a Twilio Client/Voice SDK identity) → `NAME`;
/// - `sip:EXT@host` (or `sips:`, with any `;params`) → `EXT`, the user part;
/// - a phone number (`+14155550100`) → the number as Twilio writes it, so an
///   employee reached on a mobile is found by listing that number, in E.164,
///   among their extensions.
pub fn operator_of(address: &str) -> Option<String> {
    let a = address.trim();
    let lower = a.to_ascii_lowercase();
    let out = if lower.starts_with("client:") {
        a["client:".len()..].trim()
    } else if lower.starts_with("sip:") || lower.starts_with("sips:") {
        let rest = &a[a.find(':').map_or(0, |i| i + 1)..];
        let user = rest.split(['@', ';', '?']).next().unwrap_or("");
        user.trim()
    } else {
        a
    };
    (!out.is_empty()).then(|| out.to_owned())
}

fn time_of(params: &[(String, String)], received_at: Timestamp) -> Result<String, FieldError> {
    match first(params, "Timestamp") {
        None => Ok(received_at.to_string()),
        Some(t) => jiff::fmt::rfc2822::parse(t)
            .map(|z| z.timestamp().to_string())
            .map_err(|_| {
                FieldError::new(
                    "Timestamp",
                    format!(
                        "{t:?} is not an RFC 2822 time, like \"Tue, 24 Nov 2026 10:00:00 +0000\""
                    ),
                )
            }),
    }
}

/// Maps one status callback onto at most one event of SPEC §3.
///
/// `params` are the callback's parameters, `query` the query string of the
/// URL it was posted to (its [`CUSTOMER_PARAM`]/[`OPERATOR_PARAM`] mark a
/// call Ringdesk started), `received_at` the time used when the callback has
/// no `Timestamp`. `None`: the callback is understood and changes nothing.
///
/// | leg (`Direction`) | call (`call_id`) | `direction` | states |
/// |---|---|---|---|
/// | `inbound` | `CallSid` | `inbound` | queued→queued, initiated/ringing→ringing, **in-progress→nothing** (Twilio answered to run the TwiML; no person did), completed→completed, busy→busy, no-answer→no_answer, canceled→cancelled, failed→failed |
/// | `outbound-api` | `CallSid` | `outbound_manual` | as `inbound`, but in-progress→answered |
/// | `outbound-dial` (a `<Dial>` child leg) | its `ParentCallSid` | `inbound` | initiated/ringing→ringing and in-progress→answered, naming the operator the leg rang ([`operator_of`] its `To`); **every other status→nothing**: one operator not answering, or hanging up, does not end the caller's call |
///
/// Calls Ringdesk started ([`start_call`]; the URL carries [`CUSTOMER_PARAM`]):
/// the parent leg rings the employee and the `<Dial>` child leg the customer.
/// Every event is `outbound_manual`, `to` is the customer, `operator` the
/// employee; the parent leg's in-progress (the employee picked up) is nothing,
/// the child leg's statuses map as an `outbound-api` leg's do (its
/// in-progress is the customer answering; its busy or no-answer ends the call).
///
/// So an inbound call that completes with no child leg ever answered ends
/// `no_answer` (R-C3's fold), a missed call (R-C4), and the answering child
/// leg names the operator (R-C5). `event_id` is `twilio:{CallSid}:{SequenceNumber}`
/// (the leg's own `CallSid`; the status when there is no `SequenceNumber`),
/// so a re-delivered callback is a repeat. `from` is `From` (`Caller`); `to`
/// is `To` (`Called`) on a parent leg and empty on an inbound call's child
/// leg, which does not know the number the customer dialled.
pub fn map_callback(
    params: &[(String, String)],
    query: &str,
    received_at: Timestamp,
) -> Result<Option<RawCallEvent>, FieldError> {
    let sid = first(params, "CallSid").ok_or_else(|| FieldError::new("CallSid", "is required"))?;
    let status_text =
        first(params, "CallStatus").ok_or_else(|| FieldError::new("CallStatus", "is required"))?;
    let status = Status::parse(status_text).ok_or_else(|| {
        FieldError::new(
            "CallStatus",
            format!(
                "unknown status {status_text:?}; expected queued, initiated, ringing, in-progress, \
                 completed, busy, no-answer, canceled or failed"
            ),
        )
    })?;
    let direction_text =
        first(params, "Direction").ok_or_else(|| FieldError::new("Direction", "is required"))?;
    let marks: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let customer = first(&marks, CUSTOMER_PARAM);
    let ours = customer.is_some();
    let from = first(params, "From").or_else(|| first(params, "Caller"));
    let to = first(params, "To").or_else(|| first(params, "Called"));
    let child = match direction_text {
        "inbound" | "outbound-api" => false,
        "outbound-dial" => true,
        other => {
            return Err(FieldError::new(
                "Direction",
                format!(
                    "unknown direction {other:?}; expected inbound, outbound-api or outbound-dial"
                ),
            ))
        }
    };
    let call_id = if child {
        first(params, "ParentCallSid").ok_or_else(|| {
            FieldError::new("ParentCallSid", "is required on an outbound-dial leg")
        })?
    } else {
        sid
    };
    let (direction, to, operator, state) = if ours {
        let operator = first(&marks, OPERATOR_PARAM).map(str::to_owned);
        let state = match status {
            Status::InProgress if !child => None,
            s => Some(s.state()),
        };
        ("outbound_manual", customer, operator, state)
    } else if child {
        let state = match status {
            Status::Initiated | Status::Ringing | Status::InProgress => Some(status.state()),
            _ => None,
        };
        ("inbound", None, to.and_then(operator_of), state)
    } else if direction_text == "inbound" {
        let state = match status {
            Status::InProgress => None,
            s => Some(s.state()),
        };
        ("inbound", to, None, state)
    } else {
        ("outbound_manual", to, None, Some(status.state()))
    };
    let Some(state) = state else {
        return Ok(None);
    };
    let seq = first(params, "SequenceNumber").unwrap_or(status.as_str());
    Ok(Some(RawCallEvent {
        event_id: Some(format!("twilio:{sid}:{seq}")),
        call_id: Some(call_id.to_owned()),
        direction: Some(direction.to_owned()),
        state: Some(state.to_owned()),
        at: Some(time_of(params, received_at)?),
        from: from.map(str::to_owned),
        to: to.map(str::to_owned),
        operator,
        queue: None,
        recording_url: first(params, "RecordingUrl").map(str::to_owned),
    }))
}

// ----- the Calls API (click to call) ------------------------------------------

/// Twilio's REST API, unless a test points elsewhere.
pub const API_BASE: &str = "https://api.twilio.com";

/// An account on Twilio's REST API.
pub struct CallsApi {
    /// `https://api.twilio.com` ([`API_BASE`]); a test's stand-in server otherwise.
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: SecretString,
}

impl std::fmt::Debug for CallsApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallsApi")
            .field("base_url", &self.base_url)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"[REDACTED]")
            .finish()
    }
}

/// One click to call (R-I5).
#[derive(Debug, Clone)]
pub struct ClickToCall {
    /// Where Twilio rings the employee first: a number, `client:NAME` or `sip:EXT@host`.
    pub employee_address: String,
    /// The employee as an extension or e-mail (the generic webhook's `operator`).
    pub operator: String,
    /// The customer's number, dialled once the employee answers.
    pub customer: String,
    /// The company's Twilio number the call comes from (the setting `caller_id`).
    pub caller_id: String,
    /// The company's `public_url`, where the status callbacks go.
    pub status_callback: String,
}

/// Twilio's answer: the new call's sid (its status callbacks' parent `CallSid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedCall {
    pub call_sid: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StartCallError {
    #[error("Twilio refused the call ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("Twilio could not be reached: {0}")]
    Transport(String),
    #[error("Twilio's answer had no call sid: {0}")]
    BadAnswer(String),
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The status callback URL of a call Ringdesk starts: `public_url` with the
/// customer and the operator in the query ([`CUSTOMER_PARAM`], [`OPERATOR_PARAM`]).
pub fn click_callback_url(public_url: &str, customer: &str, operator: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair(CUSTOMER_PARAM, customer)
        .append_pair(OPERATOR_PARAM, operator)
        .finish();
    let sep = if public_url.contains('?') { '&' } else { '?' };
    format!("{public_url}{sep}{query}")
}

/// The TwiML the employee's leg runs once they answer: dial the customer from
/// the company's number, with status callbacks for that leg too.
pub fn click_twiml(call: &ClickToCall) -> String {
    let cb = click_callback_url(&call.status_callback, &call.customer, &call.operator);
    format!(
        "<Response><Dial callerId=\"{}\"><Number statusCallback=\"{}\" statusCallbackMethod=\"POST\" \
         statusCallbackEvent=\"initiated ringing answered completed\">{}</Number></Dial></Response>",
        xml_escape(&call.caller_id),
        xml_escape(&cb),
        xml_escape(&call.customer),
    )
}

/// The form posted to `POST /2010-04-01/Accounts/{AccountSid}/Calls.json`:
/// `To` the employee, `From` the company's number, `Twiml` [`click_twiml`]
/// (dial the customer once the employee answers), `StatusCallback`
/// [`click_callback_url`] for the employee's leg, with
/// `StatusCallbackEvent` initiated, ringing, answered and completed.
pub fn click_form(call: &ClickToCall) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("To", call.employee_address.clone()),
        ("From", call.caller_id.clone()),
        ("Twiml", click_twiml(call)),
        (
            "StatusCallback",
            click_callback_url(&call.status_callback, &call.customer, &call.operator),
        ),
        ("StatusCallbackMethod", "POST".to_owned()),
    ];
    for e in ["initiated", "ringing", "answered", "completed"] {
        form.push(("StatusCallbackEvent", e.to_owned()));
    }
    form
}

/// Starts a click-to-call call through Twilio's Calls API (R-I5), with HTTP
/// Basic authentication `account_sid:auth_token`. The call then arrives
/// through the status callbacks as `outbound_manual` ([`map_callback`]).
pub async fn start_call(
    http: &reqwest::Client,
    api: &CallsApi,
    call: &ClickToCall,
) -> Result<StartedCall, StartCallError> {
    let url = format!(
        "{}/2010-04-01/Accounts/{}/Calls.json",
        api.base_url.trim_end_matches('/'),
        api.account_sid
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(click_form(call))
        .finish();
    let res = http
        .post(url)
        .basic_auth(&api.account_sid, Some(api.auth_token.expose_secret()))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| StartCallError::Transport(e.without_url().to_string()))?;
    let status = res.status();
    let text = res
        .text()
        .await
        .map_err(|e| StartCallError::Transport(e.without_url().to_string()))?;
    let json: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    if !status.is_success() {
        let message = json
            .as_ref()
            .and_then(|j| j.get("message"))
            .and_then(|m| m.as_str())
            .map_or_else(|| text.chars().take(200).collect(), str::to_owned);
        return Err(StartCallError::Refused {
            status: status.as_u16(),
            message,
        });
    }
    json.as_ref()
        .and_then(|j| j.get("sid"))
        .and_then(|s| s.as_str())
        .map(|sid| StartedCall {
            call_sid: sid.to_owned(),
        })
        .ok_or_else(|| StartCallError::BadAnswer(text.chars().take(200).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // The vectors of Twilio's documentation and of twilio-python's
    // tests/unit/test_request_validator.py: auth token 12345.
    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    fn doc_params() -> Vec<(String, String)> {
        p(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    #[test]
    fn twilios_documented_example_verifies_r_i2() {
        assert_eq!(
            compute_signature(TOKEN, URL, &doc_params()),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert_eq!(
            validate(
                TOKEN,
                URL,
                SignedBody::Form(&doc_params()),
                Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
            ),
            Ok(())
        );
    }

    #[test]
    fn parameter_order_does_not_matter_and_repeated_names_sort_their_values_r_i2() {
        let mut reversed = doc_params();
        reversed.reverse();
        assert_eq!(
            compute_signature(TOKEN, URL, &reversed),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        let dup = p(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            compute_signature(TOKEN, URL, &dup),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }

    #[test]
    fn a_tampered_parameter_or_a_wrong_url_or_token_is_refused_r_i2() {
        let mut tampered = doc_params();
        tampered[2].1 = "9999".into();
        let sig = Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(matches!(
            validate(TOKEN, URL, SignedBody::Form(&tampered), sig),
            Err(SignatureError::Mismatch { .. })
        ));
        let mut added = doc_params();
        added.push(("CallStatus".into(), "completed".into()));
        assert!(validate(TOKEN, URL, SignedBody::Form(&added), sig).is_err());
        for url in [
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            "http://mycompany.com/myapp.php?foo=1&bar=2",
            "https://evil.com/myapp.php?foo=1&bar=2",
            "https://mycompany.com/myapp.php",
        ] {
            assert!(
                validate(TOKEN, url, SignedBody::Form(&doc_params()), sig).is_err(),
                "{url}"
            );
        }
        assert!(validate("54321", URL, SignedBody::Form(&doc_params()), sig).is_err());
        assert_eq!(
            validate(TOKEN, URL, SignedBody::Form(&doc_params()), None),
            Err(SignatureError::Missing)
        );
        assert!(validate(
            TOKEN,
            URL,
            SignedBody::Form(&doc_params()),
            Some("not base64!")
        )
        .is_err());
    }

    #[test]
    fn the_url_is_tried_with_and_without_its_port_r_i2() {
        // twilio-python's port vectors.
        let https_port = URL.replace(".com", ".com:1234");
        assert!(validate(
            TOKEN,
            &https_port,
            SignedBody::Form(&doc_params()),
            Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        )
        .is_ok());
        let http_port = https_port.replace("https", "http");
        assert!(validate(
            TOKEN,
            &http_port,
            SignedBody::Form(&doc_params()),
            Some("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")
        )
        .is_ok());
        assert!(validate(
            TOKEN,
            URL,
            SignedBody::Form(&doc_params()),
            Some("kvajT1Ptam85bY51eRf/AJRuM3w=")
        )
        .is_ok());
        let http = URL.replace("https", "http");
        assert!(validate(
            TOKEN,
            &http,
            SignedBody::Form(&doc_params()),
            Some("0ZXoZLH/DfblKGATFgpif+LLRf4=")
        )
        .is_ok());
        // The signature over the https URL with :443 is not one over :80.
        assert!(validate(
            TOKEN,
            &http,
            SignedBody::Form(&doc_params()),
            Some("kvajT1Ptam85bY51eRf/AJRuM3w=")
        )
        .is_err());
        assert_eq!(
            with_port("https://a.example/x?y=1"),
            "https://a.example:443/x?y=1"
        );
        assert_eq!(with_port("http://u:p@a.example"), "http://u:p@a.example:80");
        assert_eq!(
            without_port("https://a.example:443/x"),
            "https://a.example/x"
        );
        assert_eq!(without_port("http://[::1]:8080/x"), "http://[::1]/x");
        assert_eq!(with_port("http://[::1]/x"), "http://[::1]:80/x");
    }

    #[test]
    fn a_json_body_is_signed_over_the_url_with_its_sha256_r_i2() {
        let body = br#"{"property": "value", "boolean": true}"#;
        assert_eq!(
            body_hash(body),
            "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        );
        let url = format!("{URL}&bodySHA256={}", body_hash(body));
        assert_eq!(
            validate(
                TOKEN,
                &url,
                SignedBody::Json(body),
                Some("a9nBmqA0ju/hNViExpshrM61xv4=")
            ),
            Ok(())
        );
        let tampered = br#"{"property": "value", "boolean": false}"#;
        assert_eq!(
            validate(
                TOKEN,
                &url,
                SignedBody::Json(tampered),
                Some("a9nBmqA0ju/hNViExpshrM61xv4=")
            ),
            Err(SignatureError::BodyHashMismatch)
        );
        assert_eq!(
            validate(
                TOKEN,
                URL,
                SignedBody::Json(body),
                Some("a9nBmqA0ju/hNViExpshrM61xv4=")
            ),
            Err(SignatureError::BodyHashMissing)
        );
    }

    proptest::proptest! {
        /// Any parameters, in any order, sign alike; changing one value, or
        /// the URL, breaks the signature (R-I2).
        #[test]
        fn the_signature_ignores_order_and_catches_any_change(
            params in proptest::collection::vec(("[A-Za-z]{1,8}", "[ -~]{0,12}"), 1..8),
            rotate in 0usize..8,
            which in 0usize..8,
        ) {
            let params: Vec<(String, String)> = params;
            let sig = compute_signature(TOKEN, URL, &params);
            let mut shuffled = params.clone();
            let n = shuffled.len();
            shuffled.rotate_left(rotate % n);
            shuffled.reverse();
            proptest::prop_assert_eq!(
                validate(TOKEN, URL, SignedBody::Form(&shuffled), Some(&sig)),
                Ok(())
            );
            let mut changed = params.clone();
            let i = which % n;
            changed[i].1.push('x');
            // Unless repeated values fold the change away (`sorted(set(values))`).
            if signed_text(URL, &changed) != signed_text(URL, &params) {
                proptest::prop_assert!(validate(TOKEN, URL, SignedBody::Form(&changed), Some(&sig)).is_err());
            }
            let other_url = format!("{URL}&baz=3");
            proptest::prop_assert!(validate(TOKEN, &other_url, SignedBody::Form(&params), Some(&sig)).is_err());
        }
    }

    #[test]
    fn the_signed_url_is_public_url_with_the_requests_query() {
        let public = "https://crm.example.com/api/v1/integrations/twilio/7/status";
        assert_eq!(signed_url(public, None), public);
        assert_eq!(signed_url(public, Some("")), public);
        assert_eq!(
            signed_url(public, Some("bodySHA256=ab")),
            format!("{public}?bodySHA256=ab")
        );
        assert_eq!(
            signed_url(&format!("{public}?x=1"), Some("x=1&y=2")),
            format!("{public}?x=1&y=2")
        );
    }

    fn callback(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v = p(&[
            ("AccountSid", "AC1"),
            ("CallSid", "CA1"),
            ("From", "+14155550100"),
            ("To", "+14155550199"),
            ("Direction", "inbound"),
            ("Timestamp", "Tue, 24 Nov 2026 10:00:00 +0000"),
            ("SequenceNumber", "0"),
            ("CallbackSource", "call-progress-events"),
        ]);
        for (k, val) in pairs {
            v.retain(|(x, _)| x != k);
            v.push(((*k).to_owned(), (*val).to_owned()));
        }
        v
    }

    fn now() -> Timestamp {
        "2026-11-24T10:05:00Z".parse().unwrap()
    }

    fn state_of(pairs: &[(&str, &str)]) -> Option<String> {
        map_callback(&callback(pairs), "", now())
            .unwrap()
            .map(|e| e.state.unwrap())
    }

    #[test]
    fn every_status_of_a_parent_leg_maps_onto_spec_section_3_r_i2() {
        let outbound = [
            ("queued", "queued"),
            ("initiated", "ringing"),
            ("ringing", "ringing"),
            ("in-progress", "answered"),
            ("completed", "completed"),
            ("busy", "busy"),
            ("no-answer", "no_answer"),
            ("canceled", "cancelled"),
            ("failed", "failed"),
        ];
        for (status, state) in outbound {
            assert_eq!(
                state_of(&[("Direction", "outbound-api"), ("CallStatus", status)]).as_deref(),
                Some(state),
                "{status}"
            );
            let inbound = state_of(&[("CallStatus", status)]);
            if status == "in-progress" {
                assert_eq!(inbound, None, "Twilio answering is no operator answering");
            } else {
                assert_eq!(inbound.as_deref(), Some(state), "{status}");
            }
        }
    }

    #[test]
    fn a_parent_legs_event_carries_the_callbacks_fields() {
        let e = map_callback(
            &callback(&[
                ("CallStatus", "completed"),
                ("SequenceNumber", "3"),
                ("RecordingUrl", "https://api.twilio.com/rec/RE1"),
            ]),
            "",
            now(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.event_id.as_deref(), Some("twilio:CA1:3"));
        assert_eq!(e.call_id.as_deref(), Some("CA1"));
        assert_eq!(e.direction.as_deref(), Some("inbound"));
        assert_eq!(e.at.as_deref(), Some("2026-11-24T10:00:00Z"));
        assert_eq!(e.from.as_deref(), Some("+14155550100"));
        assert_eq!(e.to.as_deref(), Some("+14155550199"));
        assert_eq!(e.operator, None);
        assert_eq!(
            e.recording_url.as_deref(),
            Some("https://api.twilio.com/rec/RE1")
        );
        ringdesk_domain::event::CallEvent::parse(e).unwrap();
    }

    #[test]
    fn without_a_sequence_number_or_timestamp_the_status_and_the_receipt_time_stand_in() {
        let mut params = callback(&[("CallStatus", "busy")]);
        params.retain(|(k, _)| k != "SequenceNumber" && k != "Timestamp");
        let e = map_callback(&params, "", now()).unwrap().unwrap();
        assert_eq!(e.event_id.as_deref(), Some("twilio:CA1:busy"));
        assert_eq!(e.at.as_deref(), Some("2026-11-24T10:05:00Z"));
    }

    #[test]
    fn a_child_leg_belongs_to_its_parent_and_names_the_operator_it_rang_r_c5() {
        let child = |status: &str, to: &str| {
            map_callback(
                &callback(&[
                    ("CallSid", "CA2"),
                    ("ParentCallSid", "CA1"),
                    ("Direction", "outbound-dial"),
                    ("CallStatus", status),
                    ("To", to),
                ]),
                "",
                now(),
            )
            .unwrap()
        };
        let e = child("in-progress", "client:anna").unwrap();
        assert_eq!(e.call_id.as_deref(), Some("CA1"));
        assert_eq!(e.event_id.as_deref(), Some("twilio:CA2:0"));
        assert_eq!(e.direction.as_deref(), Some("inbound"));
        assert_eq!(e.state.as_deref(), Some("answered"));
        assert_eq!(e.operator.as_deref(), Some("anna"));
        assert_eq!(e.to, None);
        let e = child("ringing", "sip:201@acme.sip.twilio.com;transport=tls").unwrap();
        assert_eq!(
            (e.state.as_deref(), e.operator.as_deref()),
            (Some("ringing"), Some("201"))
        );
        for status in [
            "completed",
            "busy",
            "no-answer",
            "canceled",
            "failed",
            "queued",
        ] {
            assert_eq!(
                child(status, "client:anna"),
                None,
                "{status} must not end the parent's call"
            );
        }
        let missing = map_callback(
            &callback(&[("Direction", "outbound-dial"), ("CallStatus", "ringing")]),
            "",
            now(),
        )
        .unwrap_err();
        assert_eq!(missing.field, "ParentCallSid");
    }

    #[test]
    fn operators_are_read_from_client_sip_and_number_addresses() {
        assert_eq!(operator_of("client:anna").as_deref(), Some("anna"));
        assert_eq!(
            operator_of("client:anna@acme.test").as_deref(),
            Some("anna@acme.test")
        );
        assert_eq!(
            operator_of("sip:201@acme.sip.twilio.com").as_deref(),
            Some("201")
        );
        assert_eq!(operator_of("SIPS:202@host;x=y").as_deref(), Some("202"));
        assert_eq!(operator_of("+14155550123").as_deref(), Some("+14155550123"));
        assert_eq!(operator_of("client:"), None);
        assert_eq!(operator_of(""), None);
    }

    #[test]
    fn a_call_ringdesk_started_is_outbound_manual_to_the_customer_r_i5() {
        let q = click_callback_url(
            "https://crm.example/api/v1/integrations/twilio/7/status",
            "+14155550111",
            "201",
        );
        let query = query_of(&q);
        let leg = |pairs: &[(&str, &str)]| map_callback(&callback(pairs), query, now()).unwrap();
        let parent = |status| {
            leg(&[
                ("Direction", "outbound-api"),
                ("CallStatus", status),
                ("To", "client:anna"),
            ])
        };
        let e = parent("ringing").unwrap();
        assert_eq!(e.direction.as_deref(), Some("outbound_manual"));
        assert_eq!(e.to.as_deref(), Some("+14155550111"));
        assert_eq!(e.operator.as_deref(), Some("201"));
        assert_eq!(
            parent("in-progress"),
            None,
            "the employee picking up is not the customer answering"
        );
        assert_eq!(
            parent("completed").unwrap().state.as_deref(),
            Some("completed")
        );
        let child = |status| {
            leg(&[
                ("Direction", "outbound-dial"),
                ("ParentCallSid", "CA1"),
                ("CallSid", "CA9"),
                ("CallStatus", status),
                ("To", "+14155550111"),
            ])
        };
        let e = child("in-progress").unwrap();
        assert_eq!(
            (e.call_id.as_deref(), e.state.as_deref()),
            (Some("CA1"), Some("answered"))
        );
        assert_eq!(e.operator.as_deref(), Some("201"));
        assert_eq!(child("busy").unwrap().state.as_deref(), Some("busy"));
    }

    #[test]
    fn unreadable_callbacks_name_the_parameter_r_x2() {
        let err =
            |pairs: &[(&str, &str)]| map_callback(&callback(pairs), "", now()).unwrap_err().field;
        assert_eq!(err(&[("CallStatus", "exploded")]), "CallStatus");
        assert_eq!(
            err(&[("CallStatus", "ringing"), ("Direction", "sideways")]),
            "Direction"
        );
        assert_eq!(
            err(&[("CallStatus", "ringing"), ("Timestamp", "yesterday")]),
            "Timestamp"
        );
        assert_eq!(err(&[("CallSid", " ")]), "CallSid");
    }

    #[test]
    fn the_click_to_call_request_dials_the_employee_then_the_customer_r_i5() {
        let call = ClickToCall {
            employee_address: "client:anna".into(),
            operator: "201".into(),
            customer: "+14155550111".into(),
            caller_id: "+14155550199".into(),
            status_callback: "https://crm.example/s".into(),
        };
        let form = click_form(&call);
        assert_eq!(form[0], ("To", "client:anna".to_owned()));
        assert_eq!(form[1], ("From", "+14155550199".to_owned()));
        assert_eq!(
            form[2].1,
            "<Response><Dial callerId=\"+14155550199\"><Number statusCallback=\"https://crm.example/s?rd_customer=%2B14155550111&amp;rd_operator=201\" statusCallbackMethod=\"POST\" statusCallbackEvent=\"initiated ringing answered completed\">+14155550111</Number></Dial></Response>"
        );
        assert_eq!(
            form[3].1,
            "https://crm.example/s?rd_customer=%2B14155550111&rd_operator=201"
        );
        let api = CallsApi {
            base_url: API_BASE.into(),
            account_sid: "AC1".into(),
            auth_token: "secret-token".to_owned().into(),
        };
        assert!(!format!("{api:?}").contains("secret-token"));
    }
}

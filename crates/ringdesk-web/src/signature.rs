//! Standard Webhooks signatures (R-I1): `webhook-id`, `webhook-timestamp` and
//! `webhook-signature` headers; the signature is HMAC-SHA256 over
//! `id.timestamp.body` with the company's secret (`whsec_` + base64), sent as
//! one or more space-separated `v1,<base64>` entries so that secrets can be
//! rotated. Comparison is constant-time (`Mac::verify_slice`); a timestamp
//! more than five minutes from now is refused, so a captured request cannot be
//! replayed later.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far a webhook's timestamp may be from the server's clock, either way.
pub const TOLERANCE_SECONDS: i64 = 5 * 60;

/// Why a signed webhook was refused; the message names the header at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the {0} header is missing")]
    Missing(&'static str),
    #[error("webhook-timestamp must be whole seconds since 1970-01-01T00:00:00Z")]
    BadTimestamp,
    #[error("webhook-timestamp is {0} s away from the server's clock; at most 300 s is accepted")]
    OutsideWindow(i64),
    #[error("webhook-signature has no valid v1 signature for this body with any of the company's secrets")]
    NoMatch,
    #[error("the company has no webhook secret; create one under settings/webhook-signing")]
    NoSecret,
}

/// The three headers, as received.
pub struct SignedRequest<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// The key bytes of a `whsec_…` secret (the prefix is optional, as in the spec).
fn key_of(secret: &str) -> Option<Vec<u8>> {
    STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()
}

fn mac(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `v1,<base64>` signature of a message (used to sign outgoing webhooks and in tests).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = key_of(secret)?;
    let tag = mac(&key, id, &timestamp.to_string(), body)
        .finalize()
        .into_bytes();
    Some(format!("v1,{}", STANDARD.encode(tag)))
}

/// Accepts the request if any `v1` signature matches any of `secrets` and the
/// timestamp is within [`TOLERANCE_SECONDS`] of `now_seconds`.
pub fn verify(
    req: &SignedRequest<'_>,
    secrets: &[&str],
    now_seconds: i64,
) -> Result<(), SignatureError> {
    let id = req.id.ok_or(SignatureError::Missing("webhook-id"))?;
    let timestamp = req
        .timestamp
        .ok_or(SignatureError::Missing("webhook-timestamp"))?;
    let signatures = req
        .signature
        .ok_or(SignatureError::Missing("webhook-signature"))?;
    let at: i64 = timestamp
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    let off = now_seconds.saturating_sub(at);
    if off.abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::OutsideWindow(off.abs()));
    }
    if secrets.is_empty() {
        return Err(SignatureError::NoSecret);
    }
    let keys: Vec<Vec<u8>> = secrets.iter().filter_map(|s| key_of(s)).collect();
    for entry in signatures.split(' ').filter(|e| !e.is_empty()) {
        let Some(("v1", encoded)) = entry.split_once(',') else {
            continue;
        };
        let Ok(tag) = STANDARD.decode(encoded) else {
            continue;
        };
        // A bare "v1," or a shortened signature decodes to fewer than 32 bytes:
        // verify_slice compares the whole tag, so it can never match.
        for key in &keys {
            if mac(key, id, timestamp, req.body).verify_slice(&tag).is_ok() {
                return Ok(());
            }
        }
    }
    Err(SignatureError::NoMatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The Standard Webhooks specification's published example.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn check(sig: &str, body: &[u8], now: i64, secrets: &[&str]) -> Result<(), SignatureError> {
        let ts = TS.to_string();
        verify(
            &SignedRequest {
                id: Some(ID),
                timestamp: Some(&ts),
                signature: Some(sig),
                body,
            },
            secrets,
            now,
        )
    }

    #[test]
    fn the_published_test_vector_is_accepted_r_i1() {
        assert_eq!(sign(SECRET, ID, TS, BODY).as_deref(), Some(SIGNATURE));
        assert_eq!(check(SIGNATURE, BODY, TS, &[SECRET]), Ok(()));
    }

    #[test]
    fn one_of_several_signatures_and_one_of_several_secrets_suffices_r_i1() {
        let other = "whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkh";
        let several = format!("v1,AAAA v1a,xyz {SIGNATURE}");
        assert_eq!(check(&several, BODY, TS, &[other, SECRET]), Ok(()));
        assert_eq!(
            check(SIGNATURE, BODY, TS, &[other]),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn bare_truncated_or_altered_signatures_are_refused_r_i1() {
        let truncated = &SIGNATURE[..SIGNATURE.len() - 4];
        for sig in [
            "v1,",
            "v1",
            "",
            truncated,
            "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ] {
            assert_eq!(
                check(sig, BODY, TS, &[SECRET]),
                Err(SignatureError::NoMatch),
                "{sig:?}"
            );
        }
        let mut changed = BODY.to_vec();
        changed[3] ^= 1;
        assert_eq!(
            check(SIGNATURE, &changed, TS, &[SECRET]),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn a_timestamp_301_seconds_off_is_refused_and_300_is_not_r_i1() {
        assert_eq!(
            check(SIGNATURE, BODY, TS + 301, &[SECRET]),
            Err(SignatureError::OutsideWindow(301))
        );
        assert_eq!(
            check(SIGNATURE, BODY, TS - 301, &[SECRET]),
            Err(SignatureError::OutsideWindow(301))
        );
        assert_eq!(check(SIGNATURE, BODY, TS + 300, &[SECRET]), Ok(()));
        assert_eq!(check(SIGNATURE, BODY, TS - 300, &[SECRET]), Ok(()));
    }

    #[test]
    fn missing_headers_are_named() {
        let r = verify(
            &SignedRequest {
                id: None,
                timestamp: Some("1"),
                signature: Some(SIGNATURE),
                body: BODY,
            },
            &[SECRET],
            1,
        );
        assert_eq!(r, Err(SignatureError::Missing("webhook-id")));
        let r = verify(
            &SignedRequest {
                id: Some(ID),
                timestamp: Some("soon"),
                signature: Some(SIGNATURE),
                body: BODY,
            },
            &[SECRET],
            1,
        );
        assert_eq!(r, Err(SignatureError::BadTimestamp));
    }
}

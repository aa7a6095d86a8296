//! The generic call event of R-X4, parsed at the edge into domain types.
//! A [`CallEvent`] is always valid: a parse failure names the offending field.

use crate::call::{CallState, Direction};
use jiff::Timestamp;

/// The event exactly as a phone system sent it, every field still text.
/// The web crate fills this from JSON; [`CallEvent::parse`] validates it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawCallEvent {
    pub event_id: Option<String>,
    pub call_id: Option<String>,
    pub direction: Option<String>,
    pub state: Option<String>,
    pub at: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub operator: Option<String>,
    pub queue: Option<String>,
    pub recording_url: Option<String>,
}

/// A valid call event (R-X4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub event_id: String,
    pub external_call_id: String,
    pub direction: Direction,
    pub state: CallState,
    pub at: Timestamp,
    pub from: String,
    pub to: String,
    pub operator: Option<String>,
    pub queue: Option<String>,
    pub recording_url: Option<String>,
}

/// A field that is missing or malformed; the message names it (R-X2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Longest identifier we store (event and call ids from phone systems).
pub const MAX_ID_LEN: usize = 200;
/// Longest free text field we store (numbers, queue names, URLs).
pub const MAX_TEXT_LEN: usize = 2000;

fn required_id(field: &str, v: Option<String>) -> Result<String, FieldError> {
    let v = v.ok_or_else(|| FieldError::new(field, "is required"))?;
    let v = v.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if v.chars().count() > MAX_ID_LEN {
        return Err(FieldError::new(
            field,
            format!("is longer than {MAX_ID_LEN} characters"),
        ));
    }
    Ok(v.to_owned())
}

fn optional_text(field: &str, v: Option<String>) -> Result<Option<String>, FieldError> {
    match v {
        Some(s) if s.chars().count() > MAX_TEXT_LEN => Err(FieldError::new(
            field,
            format!("is longer than {MAX_TEXT_LEN} characters"),
        )),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => Ok(Some(s.trim().to_owned())),
        None => Ok(None),
    }
}

impl CallEvent {
    /// Parses and validates a raw event. `from`/`to` may be empty or absent
    /// (a withheld caller id, R-P6); everything else listed in R-X4 as required is.
    pub fn parse(raw: RawCallEvent) -> Result<CallEvent, FieldError> {
        let event_id = required_id("event_id", raw.event_id)?;
        let external_call_id = required_id("call_id", raw.call_id)?;
        let direction_text = raw
            .direction
            .ok_or_else(|| FieldError::new("direction", "is required"))?;
        let direction = Direction::parse(&direction_text).ok_or_else(|| {
            FieldError::new("direction", format!("unknown direction {direction_text:?}; expected inbound, outbound_manual or outbound_auto"))
        })?;
        let state_text = raw
            .state
            .ok_or_else(|| FieldError::new("state", "is required"))?;
        let state = CallState::parse(&state_text).ok_or_else(|| {
            FieldError::new(
                "state",
                format!("unknown state {state_text:?}; expected one of queued, ringing, answered, completed, cancelled, no_answer, busy, failed"),
            )
        })?;
        let at_text = raw.at.ok_or_else(|| FieldError::new("at", "is required"))?;
        let at: Timestamp = crate::time::rfc3339(&at_text).ok_or_else(|| {
            FieldError::new(
                "at",
                format!(
                    "{at_text:?} is not an RFC 3339 time with an offset, like 2026-06-19T13:00:00Z"
                ),
            )
        })?;
        Ok(CallEvent {
            event_id,
            external_call_id,
            direction,
            state,
            at,
            from: optional_text("from", raw.from)?.unwrap_or_default(),
            to: optional_text("to", raw.to)?.unwrap_or_default(),
            operator: optional_text("operator", raw.operator)?,
            queue: optional_text("queue", raw.queue)?,
            recording_url: optional_text("recording_url", raw.recording_url)?,
        })
    }

    /// The customer's number: `from` on an inbound call, `to` on an outbound one (R-P3).
    pub fn customer_number(&self) -> &str {
        if self.direction.is_outbound() {
            &self.to
        } else {
            &self.from
        }
    }

    /// A stable text of everything the event says, to tell a true repeat of an
    /// `event_id` (200) from a different event under the same id (409), R-X4.
    pub fn fingerprint_text(&self) -> String {
        let parts = [
            self.event_id.as_str(),
            self.external_call_id.as_str(),
            self.direction.as_str(),
            self.state.as_str(),
            &self.at.as_millisecond().to_string(),
            &self.from,
            &self.to,
            self.operator.as_deref().unwrap_or(""),
            self.queue.as_deref().unwrap_or(""),
            self.recording_url.as_deref().unwrap_or(""),
        ];
        let mut out = String::new();
        for p in parts {
            out.push_str(&p.len().to_string());
            out.push(':');
            out.push_str(p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawCallEvent {
        RawCallEvent {
            event_id: Some("evt-1".into()),
            call_id: Some("pbx-1".into()),
            direction: Some("inbound".into()),
            state: Some("ringing".into()),
            at: Some("2026-06-19T13:00:00Z".into()),
            from: Some("+380671234567".into()),
            to: Some("+380441234567".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_event_parses_r_x4() {
        let e = CallEvent::parse(raw()).unwrap();
        assert_eq!(e.state, CallState::Ringing);
        assert_eq!(e.customer_number(), "+380671234567");
    }

    #[test]
    fn an_unknown_state_is_refused_naming_the_field_r_x2() {
        let err = CallEvent::parse(RawCallEvent {
            state: Some("exploded".into()),
            ..raw()
        })
        .unwrap_err();
        assert_eq!(err.field, "state");
        assert!(err.to_string().contains("exploded"));
    }

    #[test]
    fn a_missing_event_id_and_a_bad_time_are_refused_naming_the_field_r_x2() {
        assert_eq!(
            CallEvent::parse(RawCallEvent {
                event_id: None,
                ..raw()
            })
            .unwrap_err()
            .field,
            "event_id"
        );
        assert_eq!(
            CallEvent::parse(RawCallEvent {
                at: Some("yesterday".into()),
                ..raw()
            })
            .unwrap_err()
            .field,
            "at"
        );
        assert_eq!(
            CallEvent::parse(RawCallEvent {
                direction: Some("sideways".into()),
                ..raw()
            })
            .unwrap_err()
            .field,
            "direction"
        );
    }

    #[test]
    fn the_same_content_has_the_same_fingerprint_and_a_change_differs() {
        let a = CallEvent::parse(raw()).unwrap();
        let b = CallEvent::parse(raw()).unwrap();
        assert_eq!(a.fingerprint_text(), b.fingerprint_text());
        let c = CallEvent::parse(RawCallEvent {
            state: Some("answered".into()),
            ..raw()
        })
        .unwrap();
        assert_ne!(a.fingerprint_text(), c.fingerprint_text());
    }
}

//! R-C7: recovery of missed calls. A missed call is recovered by the first
//! callback to its number that starts after it ended, within the company's
//! recovery window: an outbound call (answered or not, or only answered ones
//! with `recover_only_answered`), or, with `inbound_answer_recovers`, an
//! answered inbound call from that number ("the caller got through").
//!
//! Pure: the store gathers one number's unrecovered missed calls and its
//! calls that could recover them, and applies what [`recoveries`] decides, on
//! every event of a call with that number, so the result does not depend on
//! the order events arrive in.

use crate::automation::TelephonySettings;
use jiff::{SignedDuration, Timestamp};

/// A missed call not yet recovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissedCall {
    pub call_id: i64,
    pub ended: Timestamp,
}

/// A call to or from the same number that might recover a missed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaterCall {
    pub call_id: i64,
    /// When it started (first seen).
    pub started: Timestamp,
    pub outbound: bool,
    pub answered: bool,
}

/// One missed call recovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
    pub missed_call_id: i64,
    pub by_call_id: i64,
    /// The callback's start − the missed call's end, in whole seconds.
    pub seconds: i64,
}

/// Whether `call` counts as a callback under the company's options.
fn recovers(call: &LaterCall, settings: &TelephonySettings) -> bool {
    if call.outbound {
        call.answered || !settings.recover_only_answered
    } else {
        call.answered && settings.inbound_answer_recovers
    }
}

/// The recoveries of `missed` by `later` (R-C7): each missed call is
/// recovered by the first qualifying call that starts after it ended, within
/// the window; a missed call with none stays unrecovered.
pub fn recoveries(
    missed: &[MissedCall],
    later: &[LaterCall],
    settings: &TelephonySettings,
) -> Vec<Recovery> {
    let window = SignedDuration::from_hours(24 * i64::from(settings.recovery_window_days));
    let mut callbacks: Vec<&LaterCall> = later.iter().filter(|c| recovers(c, settings)).collect();
    callbacks.sort_by_key(|c| (c.started, c.call_id));
    missed
        .iter()
        .filter_map(|m| {
            let by = callbacks
                .iter()
                .find(|c| c.started > m.ended && c.started.duration_since(m.ended) <= window)?;
            Some(Recovery {
                missed_call_id: m.call_id,
                by_call_id: by.call_id,
                seconds: by.started.duration_since(m.ended).as_secs(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_781_874_000 + s).unwrap()
    }
    fn missed(call_id: i64, ended: i64) -> MissedCall {
        MissedCall {
            call_id,
            ended: at(ended),
        }
    }
    fn call(call_id: i64, started: i64, outbound: bool, answered: bool) -> LaterCall {
        LaterCall {
            call_id,
            started: at(started),
            outbound,
            answered,
        }
    }
    fn settings() -> TelephonySettings {
        TelephonySettings::default()
    }

    #[test]
    fn the_first_outbound_call_after_the_miss_recovers_every_missed_call_in_the_window_r_c7() {
        let got = recoveries(
            &[missed(1, 0), missed(2, 100)],
            &[call(9, 700, true, false), call(8, 400, true, false)],
            &settings(),
        );
        assert_eq!(
            got,
            vec![
                Recovery {
                    missed_call_id: 1,
                    by_call_id: 8,
                    seconds: 400
                },
                Recovery {
                    missed_call_id: 2,
                    by_call_id: 8,
                    seconds: 300
                },
            ]
        );
    }

    #[test]
    fn a_call_before_the_miss_ended_or_past_the_window_recovers_nothing_r_c7() {
        let days = |d: i64| d * 24 * 3600;
        let s = settings();
        assert!(recoveries(&[missed(1, 100)], &[call(9, 50, true, true)], &s).is_empty());
        // The window's edge: exactly 7 days recovers, a second more does not.
        assert_eq!(
            recoveries(&[missed(1, 0)], &[call(9, days(7), true, false)], &s)[0].seconds,
            days(7)
        );
        assert!(recoveries(&[missed(1, 0)], &[call(9, days(7) + 1, true, false)], &s).is_empty());
    }

    #[test]
    fn the_company_options_decide_which_calls_count_r_c7() {
        let mut s = settings();
        let unanswered_callback = [call(9, 60, true, false)];
        let caller_got_through = [call(9, 60, false, true)];
        assert_eq!(
            recoveries(&[missed(1, 0)], &unanswered_callback, &s).len(),
            1
        );
        assert!(recoveries(&[missed(1, 0)], &caller_got_through, &s).is_empty());
        s.recover_only_answered = true;
        assert!(recoveries(&[missed(1, 0)], &unanswered_callback, &s).is_empty());
        s.inbound_answer_recovers = true;
        assert_eq!(
            recoveries(&[missed(1, 0)], &caller_got_through, &s)[0].by_call_id,
            9
        );
        // An inbound call that was not answered never recovers.
        assert!(recoveries(&[missed(1, 0)], &[call(9, 60, false, false)], &s).is_empty());
    }
}

//! Calls: directions, states, the incoming event, and the order-independent
//! fold of a call's events into its state and times (SPEC §3, R-C1…R-C5).
//!
//! Invariant: [`CallSummary::from_events`] is a function of the *set* of events.
//! Any permutation of the same events, with any duplicates, gives the same summary.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// R-C1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    OutboundManual,
    OutboundAuto,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Self::Inbound, Self::OutboundManual, Self::OutboundAuto];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::OutboundManual => "outbound_manual",
            Self::OutboundAuto => "outbound_auto",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn is_outbound(self) -> bool {
        !matches!(self, Self::Inbound)
    }
}

/// R-C2: the states a call moves through; the last five are ending states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    Queued,
    Ringing,
    Answered,
    Completed,
    Cancelled,
    NoAnswer,
    Busy,
    Failed,
}

impl CallState {
    pub const ALL: [CallState; 8] = [
        Self::Queued,
        Self::Ringing,
        Self::Answered,
        Self::Completed,
        Self::Cancelled,
        Self::NoAnswer,
        Self::Busy,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Ringing => "ringing",
            Self::Answered => "answered",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::NoAnswer => "no_answer",
            Self::Busy => "busy",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<CallState> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// `completed`, `cancelled`, `no_answer`, `busy`, `failed`.
    pub fn is_ending(self) -> bool {
        self >= Self::Completed
    }
}

/// What the fold needs of one stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFact {
    pub event_id: String,
    pub state: CallState,
    pub at: Timestamp,
    /// The employee the event's `operator` resolved to (R-C5), if any.
    pub operator_id: Option<i64>,
    /// The event's `operator` as the phone system sent it, matched or not.
    pub operator_sent: Option<String>,
}

/// The state and times of a call, derived from all its events (R-C2, R-C3, R-C4, R-C5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSummary {
    pub state: CallState,
    pub first_seen: Timestamp,
    pub queued: Option<Timestamp>,
    pub ringing: Option<Timestamp>,
    pub answered: Option<Timestamp>,
    pub ended: Option<Timestamp>,
    pub missed: bool,
    pub operator_id: Option<i64>,
    /// A call whose events name an operator that matches no employee has no
    /// operator; this is what the phone system sent (the event R-C5 would
    /// take it from), so the call says so. `None` when there is an operator.
    pub operator_unmatched: Option<String>,
}

impl CallSummary {
    /// Folds a call's events. Returns `None` for an empty slice.
    ///
    /// R-C3, precisely: each state's time is the earliest `at` seen for it; a call
    /// with an `answered` event ends `completed` whatever its ending event says;
    /// otherwise the end state is that of the earliest ending event (ties broken
    /// by `event_id`), and a `completed` with no answer becomes `no_answer`.
    /// R-C5: the operator is the one named by the latest `answered` event that
    /// names one (a transfer), else by the latest event that names one.
    pub fn from_events(direction: Direction, events: &[EventFact]) -> Option<CallSummary> {
        let first_seen = events.iter().map(|e| e.at).min()?;
        let earliest = |state: CallState| {
            events
                .iter()
                .filter(|e| e.state == state)
                .map(|e| e.at)
                .min()
        };
        let queued = earliest(CallState::Queued);
        let ringing = earliest(CallState::Ringing);
        let answered = earliest(CallState::Answered);
        let first_ending = events
            .iter()
            .filter(|e| e.state.is_ending())
            .min_by(|a, b| (a.at, &a.event_id).cmp(&(b.at, &b.event_id)));
        let ended = first_ending.map(|e| e.at);
        let state = match (answered, first_ending) {
            (Some(_), Some(_)) => CallState::Completed,
            (Some(_), None) => CallState::Answered,
            (None, Some(end)) if end.state == CallState::Completed => CallState::NoAnswer,
            (None, Some(end)) => end.state,
            (None, None) => events
                .iter()
                .map(|e| e.state)
                .max()
                .unwrap_or(CallState::Queued),
        };
        // R-C5's choice among the events for which `names` holds.
        let latest_naming = |names: &dyn Fn(&EventFact) -> bool| {
            let latest = |only_answered: bool| {
                events
                    .iter()
                    .filter(|e| names(e) && (!only_answered || e.state == CallState::Answered))
                    .max_by(|a, b| (a.at, &a.event_id).cmp(&(b.at, &b.event_id)))
            };
            latest(true).or_else(|| latest(false))
        };
        let operator_id = latest_naming(&|e| e.operator_id.is_some()).and_then(|e| e.operator_id);
        let operator_unmatched = match operator_id {
            Some(_) => None,
            None => {
                latest_naming(&|e| e.operator_sent.is_some()).and_then(|e| e.operator_sent.clone())
            }
        };
        Some(CallSummary {
            state,
            first_seen,
            queued,
            ringing,
            answered,
            ended,
            missed: is_missed(direction, state, answered.is_some()),
            operator_id,
            operator_unmatched,
        })
    }

    /// Wait time: first seen → answered (R-C2).
    pub fn wait_seconds(&self) -> Option<i64> {
        self.answered.map(|a| seconds_between(self.first_seen, a))
    }

    /// Ring time: ringing → answered, or ringing → end for an unanswered call.
    pub fn ring_seconds(&self) -> Option<i64> {
        let ringing = self.ringing?;
        self.answered
            .or(self.ended)
            .map(|t| seconds_between(ringing, t))
    }

    /// Talk time: answered → ended.
    pub fn talk_seconds(&self) -> Option<i64> {
        Some(seconds_between(self.answered?, self.ended?))
    }

    /// Total time: first seen → ended.
    pub fn total_seconds(&self) -> Option<i64> {
        self.ended.map(|e| seconds_between(self.first_seen, e))
    }

    pub fn is_ended(&self) -> bool {
        self.state.is_ending()
    }
}

/// R-C4: inbound and ended without having been answered.
pub fn is_missed(direction: Direction, state: CallState, answered: bool) -> bool {
    direction == Direction::Inbound && state.is_ending() && !answered
}

/// Whole seconds from `a` to `b`, never negative (clocks of phone systems drift).
pub fn seconds_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_millisecond() - a.as_millisecond()).max(0) / 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_781_874_000 + s).unwrap()
    }

    fn ev(id: &str, state: CallState, at: i64, op: Option<i64>) -> EventFact {
        EventFact {
            event_id: id.into(),
            state,
            at: t(at),
            operator_id: op,
            operator_sent: op.map(|o| format!("10{o}")),
        }
    }

    /// An event whose `operator` was `sent` and matched no employee.
    fn unmatched(id: &str, state: CallState, at: i64, sent: &str) -> EventFact {
        EventFact {
            operator_sent: Some(sent.into()),
            ..ev(id, state, at, None)
        }
    }

    fn fold(dir: Direction, evs: &[EventFact]) -> CallSummary {
        CallSummary::from_events(dir, evs).unwrap()
    }

    #[test]
    fn ringing_then_cancelled_inbound_is_missed_r_c4() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("a", CallState::Ringing, 0, None),
                ev("b", CallState::Cancelled, 9, None),
            ],
        );
        assert_eq!(s.state, CallState::Cancelled);
        assert!(s.missed);
        assert_eq!(s.total_seconds(), Some(9));
        assert_eq!(s.ring_seconds(), Some(9));
    }

    #[test]
    fn ringing_answered_completed_is_not_missed_and_has_times_r_c2() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("a", CallState::Ringing, 0, None),
                ev("b", CallState::Answered, 12, Some(1)),
                ev("c", CallState::Completed, 72, None),
            ],
        );
        assert_eq!(s.state, CallState::Completed);
        assert!(!s.missed);
        assert_eq!(s.wait_seconds(), Some(12));
        assert_eq!(s.talk_seconds(), Some(60));
        assert_eq!(s.total_seconds(), Some(72));
        assert_eq!(s.operator_id, Some(1));
    }

    #[test]
    fn a_completed_that_was_never_answered_ends_no_answer_and_is_missed_r_c3() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("a", CallState::Ringing, 0, None),
                ev("b", CallState::Completed, 30, None),
            ],
        );
        assert_eq!(s.state, CallState::NoAnswer);
        assert!(s.missed);
    }

    #[test]
    fn a_late_answered_corrects_an_unanswered_end_to_completed_r_c3() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("c", CallState::NoAnswer, 40, None),
                ev("b", CallState::Answered, 5, Some(2)),
                ev("a", CallState::Ringing, 0, None),
            ],
        );
        assert_eq!(s.state, CallState::Completed);
        assert!(!s.missed);
    }

    #[test]
    fn the_earliest_ending_event_names_the_end_ties_broken_by_event_id_r_c3() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("z", CallState::Busy, 10, None),
                ev("y", CallState::Failed, 10, None),
            ],
        );
        assert_eq!(s.state, CallState::Failed);
        let s = fold(
            Direction::Inbound,
            &[
                ev("z", CallState::Busy, 9, None),
                ev("y", CallState::Failed, 10, None),
            ],
        );
        assert_eq!(s.state, CallState::Busy);
    }

    #[test]
    fn an_ended_call_never_rings_again_r_c3() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("a", CallState::Cancelled, 10, None),
                ev("b", CallState::Ringing, 20, None),
            ],
        );
        assert_eq!(s.state, CallState::Cancelled);
    }

    #[test]
    fn outbound_calls_are_never_missed_r_c4() {
        let s = fold(
            Direction::OutboundManual,
            &[
                ev("a", CallState::Ringing, 0, None),
                ev("b", CallState::NoAnswer, 30, None),
            ],
        );
        assert!(!s.missed);
    }

    #[test]
    fn a_transfer_makes_the_last_answering_employee_the_operator_r_c5() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("a", CallState::Ringing, 0, Some(1)),
                ev("b", CallState::Answered, 3, Some(1)),
                ev("c", CallState::Answered, 50, Some(2)),
                ev("d", CallState::Completed, 90, None),
            ],
        );
        assert_eq!(s.operator_id, Some(2));
        assert_eq!(s.answered, Some(t(3)));
    }

    #[test]
    fn an_operator_that_matches_no_employee_leaves_the_call_without_one_and_says_what_was_sent_r_c5(
    ) {
        let s = fold(
            Direction::Inbound,
            &[
                unmatched("a", CallState::Ringing, 0, "204"),
                unmatched("b", CallState::Answered, 3, "205"),
                unmatched("c", CallState::Ringing, 4, "206"),
                ev("d", CallState::Completed, 90, None),
            ],
        );
        assert_eq!(s.operator_id, None);
        assert_eq!(
            s.operator_unmatched.as_deref(),
            Some("205"),
            "as R-C5 picks: the latest answered event naming one"
        );
        let s = fold(
            Direction::Inbound,
            &[
                unmatched("a", CallState::Ringing, 0, "204"),
                ev("d", CallState::Cancelled, 9, None),
            ],
        );
        assert_eq!(s.operator_unmatched.as_deref(), Some("204"));
    }

    #[test]
    fn a_call_with_a_matched_operator_or_none_named_is_not_unmatched_r_c5() {
        let s = fold(
            Direction::Inbound,
            &[
                ev("a", CallState::Ringing, 0, Some(1)),
                unmatched("b", CallState::Answered, 3, "205"),
            ],
        );
        assert_eq!(s.operator_id, Some(1));
        assert_eq!(s.operator_unmatched, None);
        let s = fold(Direction::Inbound, &[ev("a", CallState::Ringing, 0, None)]);
        assert_eq!((s.operator_id, s.operator_unmatched), (None, None));
    }

    fn arb_state() -> impl Strategy<Value = CallState> {
        proptest::sample::select(CallState::ALL.to_vec())
    }

    prop_compose! {
        fn arb_events()(raw in proptest::collection::vec((arb_state(), 0i64..120, proptest::option::of(1i64..4)), 1..7))
            -> Vec<EventFact> {
            raw.into_iter().enumerate().map(|(i, (st, at, op))| ev(&format!("e{i}"), st, at, op)).collect()
        }
    }

    proptest! {
        /// R-C3: any permutation, with duplicates, of a call's events ends in the
        /// same state and times as the in-order sequence — including calls with two
        /// ending events and a late `answered`.
        #[test]
        fn any_permutation_with_duplicates_gives_the_same_summary_r_c3(
            events in arb_events(),
            shuffle_seed in any::<u64>(),
            dupes in proptest::collection::vec(any::<prop::sample::Index>(), 0..5),
        ) {
            let mut in_order = events.clone();
            in_order.sort_by(|a, b| (a.at, &a.event_id).cmp(&(b.at, &b.event_id)));
            let expected = fold(Direction::Inbound, &in_order);

            let mut shuffled = events.clone();
            for d in &dupes { shuffled.push(events[d.index(events.len())].clone()); }
            // Deterministic Fisher–Yates from the seed.
            let mut x = shuffle_seed | 1;
            for i in (1..shuffled.len()).rev() {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                shuffled.swap(i, (x % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(fold(Direction::Inbound, &shuffled), expected);
        }

        #[test]
        fn two_ending_events_and_a_late_answer_end_completed_r_c3(first_end in 10i64..60, second_end in 10i64..60, answer in 0i64..200) {
            let evs = vec![
                ev("r", CallState::Ringing, 0, None),
                ev("x", CallState::Cancelled, first_end, None),
                ev("y", CallState::NoAnswer, second_end, None),
                ev("z", CallState::Answered, answer, Some(1)),
            ];
            let s = fold(Direction::Inbound, &evs);
            prop_assert_eq!(s.state, CallState::Completed);
            prop_assert!(!s.missed);
            prop_assert_eq!(s.ended, Some(t(first_end.min(second_end))));
        }
    }
}

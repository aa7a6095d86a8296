//! Callback cases (issue 13 item 3, R-U3): one case per caller number at a
//! time. The first missed call from a number opens a case; every later
//! missed call from that number joins it; the case closes when the caller is
//! reached: an answered call with that number (a callback, or the caller
//! getting through) that starts after the case opened. A callback that goes
//! unanswered recovers the missed calls (R-C7) but leaves the case open. A
//! missed call after the case closed opens the next one.
//!
//! Pure: the store gathers one number's missed calls and its answered calls
//! and this decides, so the order events arrive in does not matter.

use jiff::Timestamp;

/// A missed call from the number (R-C4), by when it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissedCall {
    pub call_id: i64,
    pub ended: Timestamp,
}

/// An answered call to or from the number: the caller reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub call_id: i64,
    pub started: Timestamp,
}

/// One callback case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Its missed calls, oldest first; the first opened it.
    pub missed: Vec<MissedCall>,
    /// The call that reached the caller, and when it started; `None` while open.
    pub closed_by: Option<Reached>,
}

impl Case {
    pub fn opened(&self) -> Timestamp {
        self.missed[0].ended
    }
    pub fn last_missed(&self) -> Timestamp {
        self.missed[self.missed.len() - 1].ended
    }
    pub fn is_open(&self) -> bool {
        self.closed_by.is_none()
    }
    /// Whole seconds from the case's opening to the call that reached the caller.
    pub fn seconds_to_reach(&self) -> Option<i64> {
        self.closed_by
            .map(|r| crate::call::seconds_between(self.opened(), r.started))
    }
}

/// The number's cases, oldest first.
pub fn cases(missed: &[MissedCall], reached: &[Reached]) -> Vec<Case> {
    let mut missed = missed.to_vec();
    missed.sort_by_key(|m| (m.ended, m.call_id));
    let mut reached = reached.to_vec();
    reached.sort_by_key(|r| (r.started, r.call_id));
    // The first answered call that starts after `t` (and before `until`, if given).
    let first_after = |t: Timestamp, until: Option<Timestamp>| {
        reached
            .iter()
            .find(|r| r.started > t && until.is_none_or(|u| r.started < u))
            .copied()
    };
    let mut out: Vec<Case> = Vec::new();
    for m in missed {
        match out.last_mut() {
            Some(case) if case.closed_by.is_none() => {
                // Reached between the case's opening and this miss: the case
                // closed there, and this miss opens the next one.
                if let Some(r) = first_after(case.opened(), Some(m.ended)) {
                    case.closed_by = Some(r);
                    out.push(Case {
                        missed: vec![m],
                        closed_by: None,
                    });
                } else {
                    case.missed.push(m);
                }
            }
            _ => out.push(Case {
                missed: vec![m],
                closed_by: None,
            }),
        }
    }
    if let Some(case) = out.last_mut() {
        if case.closed_by.is_none() {
            case.closed_by = first_after(case.opened(), None);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(min: i64) -> Timestamp {
        Timestamp::from_second(1_781_874_000 + min * 60).unwrap()
    }
    fn m(id: i64, min: i64) -> MissedCall {
        MissedCall {
            call_id: id,
            ended: t(min),
        }
    }
    fn r(id: i64, min: i64) -> Reached {
        Reached {
            call_id: id,
            started: t(min),
        }
    }

    #[test]
    fn repeat_misses_gather_in_one_case_until_the_caller_is_reached() {
        let c = cases(&[m(1, 0), m(2, 10), m(3, 20)], &[]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].missed.len(), 3);
        assert!(c[0].is_open());
        // Reached at 30: closed; a miss at 40 opens the next case.
        let c = cases(&[m(1, 0), m(2, 10), m(4, 40)], &[r(3, 30)]);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].missed.len(), 2);
        assert_eq!(c[0].closed_by, Some(r(3, 30)));
        assert_eq!(c[0].seconds_to_reach(), Some(30 * 60));
        assert!(c[1].is_open());
        assert_eq!(c[1].missed, vec![m(4, 40)]);
    }

    #[test]
    fn the_order_calls_arrive_in_does_not_matter_and_earlier_contacts_do_not_close() {
        let a = cases(&[m(4, 40), m(1, 0), m(2, 10)], &[r(3, 30), r(9, -5)]);
        let b = cases(&[m(1, 0), m(2, 10), m(4, 40)], &[r(9, -5), r(3, 30)]);
        assert_eq!(a, b);
        assert_eq!(
            a[0].closed_by,
            Some(r(3, 30)),
            "a call before the miss does not reach"
        );
    }

    #[test]
    fn no_misses_no_cases() {
        assert!(cases(&[], &[r(1, 0)]).is_empty());
    }
}

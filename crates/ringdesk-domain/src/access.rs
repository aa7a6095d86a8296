//! Who may do and see what (R-T3, R-C5), and how often a sign-in may fail
//! before it is refused for a while.

use crate::company::Permission;
use jiff::{SignedDuration, Timestamp};

// ----- R-T3: effective permissions ---------------------------------------------------------

/// R-T3: the permissions an employee acts with. The owner has every one,
/// whatever is stored; another employee has those granted (each once, in the
/// order given). An API token's `scope`, when it names some, narrows them to
/// those it names that the employee still holds, computed at every use.
pub fn effective_permissions(
    is_owner: bool,
    granted: &[Permission],
    scope: Option<&[Permission]>,
) -> Vec<Permission> {
    let held: &[Permission] = if is_owner { &Permission::ALL } else { granted };
    let mut out: Vec<Permission> = Vec::with_capacity(held.len());
    for &p in held {
        if !out.contains(&p) && scope.is_none_or(|s| s.contains(&p)) {
            out.push(p);
        }
    }
    out
}

// ----- R-C5, R-T3: which calls an employee may see -----------------------------------------

/// R-C5/R-T3: the calls an employee may see. With `view_all_calls`, every
/// call of the company (those without an operator too); without it, only the
/// calls routed to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallVisibility {
    All,
    RoutedTo(i64),
}

impl CallVisibility {
    /// What an employee acting with `permissions` (see [`effective_permissions`]) may see.
    pub fn of(employee_id: i64, permissions: &[Permission]) -> CallVisibility {
        if permissions.contains(&Permission::ViewAllCalls) {
            CallVisibility::All
        } else {
            CallVisibility::RoutedTo(employee_id)
        }
    }

    /// Whether a call with this operator may be seen.
    pub fn may_see(self, operator_id: Option<i64>) -> bool {
        match self {
            CallVisibility::All => true,
            CallVisibility::RoutedTo(me) => operator_id == Some(me),
        }
    }

    /// The operator a list of calls must be narrowed to, if any.
    pub fn only_operator(self) -> Option<i64> {
        match self {
            CallVisibility::All => None,
            CallVisibility::RoutedTo(me) => Some(me),
        }
    }
}

/// R-U1: whether a call shows on this employee's call bar. An inbound call
/// that is waiting or ringing shows for its operator, or, while it has none,
/// for everyone with `view_all_calls`; a call in progress (answered, or an
/// outbound call not yet ended) shows for its operator alone; an ended call
/// for nobody.
pub fn on_call_bar(
    employee_id: i64,
    permissions: &[Permission],
    direction: crate::call::Direction,
    state: crate::call::CallState,
    operator_id: Option<i64>,
) -> bool {
    use crate::call::{CallState, Direction};
    if state.is_ending() {
        return false;
    }
    let mine = operator_id == Some(employee_id);
    match (direction, state) {
        (Direction::Inbound, CallState::Queued | CallState::Ringing) => {
            mine || (operator_id.is_none() && permissions.contains(&Permission::ViewAllCalls))
        }
        _ => mine,
    }
}

#[cfg(test)]
mod call_bar_tests {
    use super::*;
    use crate::call::{CallState, Direction};

    #[test]
    fn a_ringing_call_shows_for_its_operator_or_unassigned_for_view_all_calls_r_u1() {
        let all = [Permission::ViewAllCalls];
        let ring = CallState::Ringing;
        assert!(on_call_bar(1, &[], Direction::Inbound, ring, Some(1)));
        assert!(!on_call_bar(1, &[], Direction::Inbound, ring, Some(2)));
        assert!(!on_call_bar(1, &[], Direction::Inbound, ring, None));
        assert!(on_call_bar(1, &all, Direction::Inbound, ring, None));
        assert!(!on_call_bar(1, &all, Direction::Inbound, ring, Some(2)));
    }

    #[test]
    fn a_call_in_progress_shows_for_its_operator_alone_and_an_ended_one_for_nobody_r_u1() {
        let all = [Permission::ViewAllCalls];
        assert!(on_call_bar(
            1,
            &[],
            Direction::Inbound,
            CallState::Answered,
            Some(1)
        ));
        assert!(!on_call_bar(
            1,
            &all,
            Direction::Inbound,
            CallState::Answered,
            None
        ));
        assert!(on_call_bar(
            1,
            &[],
            Direction::OutboundManual,
            CallState::Ringing,
            Some(1)
        ));
        assert!(!on_call_bar(
            1,
            &all,
            Direction::OutboundManual,
            CallState::Ringing,
            None
        ));
        for ended in [
            CallState::Completed,
            CallState::Cancelled,
            CallState::NoAnswer,
            CallState::Busy,
            CallState::Failed,
        ] {
            assert!(!on_call_bar(1, &all, Direction::Inbound, ended, Some(1)));
        }
    }
}

// ----- sign-in throttling ------------------------------------------------------------------

/// Failed sign-ins allowed per account in one window.
pub const SIGN_IN_ACCOUNT_LIMIT: i64 = 5;
/// Failed sign-ins allowed per network address in one window.
pub const SIGN_IN_ADDRESS_LIMIT: i64 = 20;
/// The window, counted from its first failure.
pub const SIGN_IN_WINDOW: SignedDuration = SignedDuration::from_mins(15);

/// One count of failed sign-ins: its key and how many failures it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    pub key: String,
    pub limit: i64,
}

/// The two counts a sign-in is judged by: the account (the e-mail as typed,
/// trimmed and lower-cased; a success clears it) first, then the address.
pub fn sign_in_throttle_keys(email: &str, address: Option<&str>) -> [ThrottleKey; 2] {
    [
        ThrottleKey {
            key: format!("account:{}", email.trim().to_lowercase()),
            limit: SIGN_IN_ACCOUNT_LIMIT,
        },
        ThrottleKey {
            key: format!("address:{}", address.unwrap_or("unknown")),
            limit: SIGN_IN_ADDRESS_LIMIT,
        },
    ]
}

/// Failures counted at `now` are those of windows started after this instant.
pub fn sign_in_window_start(now: Timestamp) -> Timestamp {
    now.checked_sub(SIGN_IN_WINDOW)
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Whether a count of `failures` in a window started at `window_started_at`
/// refuses a sign-in at `now`, even with the right password: then the seconds
/// until the window ends (at least 1), for `Retry-After`.
pub fn sign_in_refused_for(
    failures: i64,
    limit: i64,
    window_started_at: Timestamp,
    now: Timestamp,
) -> Option<u64> {
    if failures < limit {
        return None;
    }
    let ends = window_started_at
        .checked_add(SIGN_IN_WINDOW)
        .unwrap_or(Timestamp::MAX);
    let ms = ends.duration_since(now).as_millis().max(1000);
    Some((ms as u64).div_ceil(1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn the_owner_has_every_permission_whatever_is_stored_r_t3() {
        assert_eq!(effective_permissions(true, &[], None), Permission::ALL);
        assert_eq!(
            effective_permissions(true, &[ViewClients], None),
            Permission::ALL
        );
    }

    #[test]
    fn an_employee_has_the_permissions_granted_each_once_r_t3() {
        assert_eq!(
            effective_permissions(false, &[ViewAllCalls, ViewClients, ViewAllCalls], None),
            [ViewAllCalls, ViewClients]
        );
        assert!(effective_permissions(false, &[], None).is_empty());
    }

    #[test]
    fn a_token_acts_with_what_it_names_that_its_employee_still_holds_r_t3() {
        let scope = [PostCallEvents, ManageSettings];
        assert_eq!(
            effective_permissions(false, &[ViewClients, PostCallEvents], Some(&scope)),
            [PostCallEvents]
        );
        assert_eq!(
            effective_permissions(true, &[], Some(&scope)),
            [ManageSettings, PostCallEvents]
        );
    }

    #[test]
    fn with_view_all_calls_every_call_is_visible_even_without_an_operator_r_c5() {
        let v = CallVisibility::of(7, &[ViewAllCalls]);
        assert_eq!(v, CallVisibility::All);
        assert!(v.may_see(None) && v.may_see(Some(7)) && v.may_see(Some(8)));
        assert_eq!(v.only_operator(), None);
    }

    #[test]
    fn without_view_all_calls_only_the_calls_routed_to_the_employee_are_visible_r_c5_r_t3() {
        let v = CallVisibility::of(7, &[ViewClients]);
        assert!(v.may_see(Some(7)));
        assert!(!v.may_see(Some(8)));
        assert!(!v.may_see(None), "a call without an operator is not theirs");
        assert_eq!(v.only_operator(), Some(7));
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn an_account_is_judged_by_five_failures_and_an_address_by_twenty() {
        let [account, address] = sign_in_throttle_keys(" Olena@Example.com ", Some("10.0.0.1"));
        assert_eq!(account.key, "account:olena@example.com");
        assert_eq!(account.limit, 5);
        assert_eq!(address.key, "address:10.0.0.1");
        assert_eq!(address.limit, 20);
        let [_, unknown] = sign_in_throttle_keys("a@b.c", None);
        assert_eq!(unknown.key, "address:unknown");
    }

    #[test]
    fn the_fifth_failure_refuses_until_fifteen_minutes_after_the_first() {
        let first = ts("2026-01-01T10:00:00Z");
        let now = ts("2026-01-01T10:05:00Z");
        assert_eq!(sign_in_refused_for(4, 5, first, now), None);
        assert_eq!(sign_in_refused_for(5, 5, first, now), Some(600));
        assert_eq!(sign_in_window_start(now), ts("2026-01-01T09:50:00Z"));
    }

    #[test]
    fn a_refusal_at_the_windows_very_end_still_asks_to_wait_a_second() {
        let first = ts("2026-01-01T10:00:00Z");
        let now = ts("2026-01-01T10:14:59.500Z");
        assert_eq!(sign_in_refused_for(20, 20, first, now), Some(1));
    }
}

//! The callback SLA (issue 13 item 4): a missed call (R-C4) should be called
//! back (R-C7) within the company's `callback_sla_minutes` of business time
//! ([`crate::business_hours`]), counted from the missed call's end.
//!
//! Keep true: the outcome depends only on the facts — the deadline fixed when
//! the call became missed and the start of the callback that recovered it —
//! never on the order events arrived in or on when the breach job ran. A
//! breach is told (notifications) exactly once, by the call's one breach job.

use crate::automation::{CallFacts, TelephonySettings};
use crate::business_hours::deadline;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The deadline of a call that has just become missed, or `None` when no SLA
/// applies to it: the company has none (`callback_sla_minutes` 0), the call
/// is not a customer's (R-P7), the caller withheld the number (nobody can
/// call back, R-P6), or the week has no business hours.
pub fn deadline_of_missed_call(
    call: &CallFacts,
    settings: &TelephonySettings,
    tz: &TimeZone,
) -> Option<Timestamp> {
    if !call.missed
        || settings.callback_sla_minutes == 0
        || call.not_customer.is_some()
        || call.customer_withheld
    {
        return None;
    }
    deadline(
        call.ended_at?,
        settings.callback_sla_minutes,
        &settings.business_hours,
        tz,
    )
}

/// What the store knows of a call's SLA.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaFacts {
    /// R-C4, as the call stands now (a late answer makes it not missed).
    pub missed: bool,
    /// Fixed when the call became missed; `None`: no SLA for this call.
    pub deadline: Option<Timestamp>,
    /// The outcome stored so far: `None` while pending.
    pub within: Option<bool>,
    /// The start of the callback that recovered it (R-C7), if any.
    pub callback_started: Option<Timestamp>,
}

/// A change to a call's SLA to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaChange {
    /// R-C3a: the call proved answered; it has no SLA (deadline and outcome
    /// cleared, the breach job, if waiting, has nothing to do).
    Drop,
    /// The outcome is now known, or corrected by a late-arriving callback:
    /// within iff the callback started at or before the deadline.
    Outcome { within: bool },
}

/// What the call's facts say about its SLA now, after any event or recovery:
/// nothing, dropping it, or its outcome.
pub fn sla_change(facts: &SlaFacts) -> Option<SlaChange> {
    let deadline = facts.deadline?;
    if !facts.missed {
        return Some(SlaChange::Drop);
    }
    let within = facts.callback_started? <= deadline;
    (facts.within != Some(within)).then_some(SlaChange::Outcome { within })
}

/// What the breach job decides when it runs at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreachCheck {
    /// No SLA any more, or the call was called back in time.
    Nothing,
    /// Run too early (not reachable through the runner): again at the deadline.
    Again { at: Timestamp },
    /// The deadline passed without a callback in time: the outcome is
    /// `within = false`, and the operator and managers are told.
    Breached,
}

/// The breach job's decision: breached iff the deadline has passed and no
/// callback started at or before it (none yet, or one that came late).
pub fn breach_check(facts: &SlaFacts, now: Timestamp) -> BreachCheck {
    let Some(deadline) = facts.deadline.filter(|_| facts.missed) else {
        return BreachCheck::Nothing;
    };
    if facts.callback_started.is_some_and(|s| s <= deadline) {
        return BreachCheck::Nothing;
    }
    if now < deadline {
        return BreachCheck::Again { at: deadline };
    }
    BreachCheck::Breached
}

/// Who hears of a breach: the missed call's operator, then the managers
/// (`managers`: the employees who see every call, R-C5's `view_all_calls`,
/// the owner among them), each once, active ones only.
pub fn breach_recipients(
    operator_id: Option<i64>,
    managers: &[i64],
    active: &dyn Fn(i64) -> bool,
) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for id in operator_id.into_iter().chain(managers.iter().copied()) {
        if active(id) && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::NotCustomer;
    use crate::business_hours::BusinessHours;

    fn kyiv() -> TimeZone {
        TimeZone::get("Europe/Kyiv").unwrap()
    }
    fn at(s: &str) -> Timestamp {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(kyiv())
            .unwrap()
            .timestamp()
    }
    fn missed_at(end: &str) -> CallFacts {
        CallFacts {
            call_id: 1,
            inbound: true,
            missed: true,
            answered: false,
            ended_at: Some(at(end)),
            customer_number: "+380671234567".into(),
            customer_withheld: false,
            not_customer: None,
        }
    }
    fn sla(minutes: u32) -> TelephonySettings {
        TelephonySettings {
            callback_sla_minutes: minutes,
            business_hours: BusinessHours::default(),
            ..TelephonySettings::default()
        }
    }

    #[test]
    fn a_missed_call_on_friday_evening_is_due_on_monday_morning_in_business_minutes() {
        assert_eq!(
            deadline_of_missed_call(&missed_at("2027-01-15T17:50"), &sla(30), &kyiv()),
            Some(at("2027-01-18T09:20"))
        );
    }

    #[test]
    fn no_sla_without_a_target_a_customer_a_number_or_business_hours() {
        let call = missed_at("2027-01-15T17:50");
        assert_eq!(deadline_of_missed_call(&call, &sla(0), &kyiv()), None);
        let mut internal = call.clone();
        internal.not_customer = Some(NotCustomer::Internal);
        assert_eq!(deadline_of_missed_call(&internal, &sla(30), &kyiv()), None);
        let mut withheld = call.clone();
        withheld.customer_withheld = true;
        assert_eq!(deadline_of_missed_call(&withheld, &sla(30), &kyiv()), None);
        let mut answered = call.clone();
        answered.missed = false;
        assert_eq!(deadline_of_missed_call(&answered, &sla(30), &kyiv()), None);
        let closed = TelephonySettings {
            business_hours: BusinessHours::closed(),
            ..sla(30)
        };
        assert_eq!(deadline_of_missed_call(&call, &closed, &kyiv()), None);
    }

    fn facts(callback: Option<&str>, within: Option<bool>) -> SlaFacts {
        SlaFacts {
            missed: true,
            deadline: Some(at("2027-01-18T09:20")),
            within,
            callback_started: callback.map(at),
        }
    }

    #[test]
    fn a_callback_at_or_before_the_deadline_is_within_and_after_it_is_a_breach() {
        assert_eq!(
            sla_change(&facts(Some("2027-01-18T09:15"), None)),
            Some(SlaChange::Outcome { within: true })
        );
        assert_eq!(
            sla_change(&facts(Some("2027-01-18T09:20"), None)),
            Some(SlaChange::Outcome { within: true })
        );
        assert_eq!(
            sla_change(&facts(Some("2027-01-18T09:25"), None)),
            Some(SlaChange::Outcome { within: false })
        );
        // Pending, and already settled: nothing to write.
        assert_eq!(sla_change(&facts(None, None)), None);
        assert_eq!(
            sla_change(&facts(Some("2027-01-18T09:25"), Some(false))),
            None
        );
    }

    #[test]
    fn a_callback_that_started_in_time_but_arrived_after_the_breach_corrects_the_outcome() {
        assert_eq!(
            sla_change(&facts(Some("2027-01-18T09:15"), Some(false))),
            Some(SlaChange::Outcome { within: true })
        );
    }

    #[test]
    fn a_late_answer_drops_the_sla_r_c3a() {
        let mut f = facts(None, None);
        f.missed = false;
        assert_eq!(sla_change(&f), Some(SlaChange::Drop));
        assert_eq!(
            breach_check(&f, at("2027-01-18T10:00")),
            BreachCheck::Nothing
        );
        assert_eq!(sla_change(&SlaFacts::default()), None);
    }

    #[test]
    fn the_breach_job_breaches_only_past_the_deadline_without_a_callback_in_time() {
        let due = at("2027-01-18T09:20");
        assert_eq!(breach_check(&facts(None, None), due), BreachCheck::Breached);
        assert_eq!(
            breach_check(&facts(Some("2027-01-18T09:25"), Some(false)), due),
            BreachCheck::Breached
        );
        assert_eq!(
            breach_check(&facts(Some("2027-01-18T09:15"), Some(true)), due),
            BreachCheck::Nothing
        );
        assert_eq!(
            breach_check(&facts(None, None), at("2027-01-18T09:00")),
            BreachCheck::Again { at: due }
        );
        let none = SlaFacts {
            missed: true,
            ..SlaFacts::default()
        };
        assert_eq!(breach_check(&none, due), BreachCheck::Nothing);
    }

    #[test]
    fn a_breach_tells_the_operator_then_each_active_manager_once() {
        let active = |id: i64| id != 4;
        assert_eq!(
            breach_recipients(Some(2), &[1, 2, 3, 4], &active),
            vec![2, 1, 3]
        );
        assert_eq!(breach_recipients(None, &[1], &active), vec![1]);
        assert_eq!(breach_recipients(Some(4), &[], &active), Vec::<i64>::new());
    }
}

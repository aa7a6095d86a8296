//! Durable jobs: what kinds there are, what a job's state can be, and what
//! happens after a job fails (retry with exponential back-off, then give up).
//! The store keeps the jobs and runs them; the decisions are here, pure.

use crate::automation::Rule;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Every kind of durable job, stored as text only at the store's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// R-A1…R-A5, after the settle time (R-C3a).
    MissedCallTask,
    /// R-L2…R-L4 for a missed call, after the settle time.
    MissedCallLead,
    /// R-L5: due at once, while the operator talks.
    AnsweredCallLead,
    /// R-C3b: closes a call nobody ended.
    StaleCheck,
    /// R-M4/R-L6: a lead's deadline has passed.
    LeadDeadline,
    /// Issue 13 item 4: a missed call's callback deadline has passed.
    CallbackSla,
}

/// What a job acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobSubject {
    Call,
    Lead,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        Self::MissedCallTask,
        Self::MissedCallLead,
        Self::AnsweredCallLead,
        Self::StaleCheck,
        Self::LeadDeadline,
        Self::CallbackSla,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissedCallTask => "missed_call_task",
            Self::MissedCallLead => "missed_call_lead",
            Self::AnsweredCallLead => "answered_call_lead",
            Self::StaleCheck => "stale_check",
            Self::LeadDeadline => "lead_deadline",
            Self::CallbackSla => "callback_sla",
        }
    }

    /// `None` for text that names no kind (a row written by a newer version,
    /// or damaged): the store turns that into an error on that one job.
    pub fn parse(s: &str) -> Option<JobKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The job that carries out a rule of §4/§5.
    pub fn for_rule(rule: Rule) -> JobKind {
        match rule {
            Rule::MissedCallTask => Self::MissedCallTask,
            Rule::MissedCallLead => Self::MissedCallLead,
            Rule::AnsweredCallLead => Self::AnsweredCallLead,
        }
    }

    /// The rule this job carries out, if it is one.
    pub fn rule(self) -> Option<Rule> {
        match self {
            Self::MissedCallTask => Some(Rule::MissedCallTask),
            Self::MissedCallLead => Some(Rule::MissedCallLead),
            Self::AnsweredCallLead => Some(Rule::AnsweredCallLead),
            Self::StaleCheck | Self::LeadDeadline | Self::CallbackSla => None,
        }
    }

    pub fn subject(self) -> JobSubject {
        match self {
            Self::LeadDeadline => JobSubject::Lead,
            _ => JobSubject::Call,
        }
    }
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Waiting for its time (a failed attempt waits for its retry here too).
    Pending,
    /// Finished, or made pointless (a missed-call job of a call that was answered).
    Done,
    /// Gave up after [`RetryPolicy::max_attempts`] failed attempts.
    Failed,
}

impl JobStatus {
    pub const ALL: [JobStatus; 3] = [Self::Pending, Self::Done, Self::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How failed jobs are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; it doubles after each further one.
    pub first_delay: SignedDuration,
    /// The longest wait between two attempts.
    pub max_delay: SignedDuration,
    /// After this many failed attempts in a row the job is failed for good.
    pub max_attempts: u32,
}

/// Ringdesk's policy: 30 s, 1 min, 2 min, … at most 30 min apart; the 8th
/// failure in a row (about an hour after the first) fails the job.
pub const RETRY: RetryPolicy = RetryPolicy {
    first_delay: SignedDuration::from_secs(30),
    max_delay: SignedDuration::from_secs(30 * 60),
    max_attempts: 8,
};

/// What becomes of a job that has just failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again at this time.
    RetryAt(Timestamp),
    /// No more attempts: the job is failed.
    GiveUp,
}

impl RetryPolicy {
    /// `failures`: how many attempts in a row have failed, counting the one
    /// that just did (so at least 1); `now`: when it failed.
    pub fn after_failure(&self, failures: u32, now: Timestamp) -> AfterFailure {
        if failures >= self.max_attempts {
            return AfterFailure::GiveUp;
        }
        AfterFailure::RetryAt(now.saturating_add(self.delay(failures)).unwrap_or(now))
    }

    /// The wait after the `failures`-th failure in a row: doubling, capped.
    pub fn delay(&self, failures: u32) -> SignedDuration {
        let doublings = failures.saturating_sub(1).min(62);
        let first = self.first_delay.as_secs().max(1);
        let secs = first.saturating_mul(1_i64 << doublings);
        SignedDuration::from_secs(secs.min(self.max_delay.as_secs()))
    }
}

/// How long a done job is kept (for `GET /api/v1/jobs?status=done`) before it
/// is pruned.
pub const DONE_RETENTION: SignedDuration = SignedDuration::from_hours(7 * 24);

/// How long a failed job is kept for its company to see before it is pruned.
pub const FAILED_RETENTION: SignedDuration = SignedDuration::from_hours(30 * 24);

/// Jobs of `status` that finished before this time are pruned; pending jobs
/// never are.
pub fn prune_before(status: JobStatus, now: Timestamp) -> Option<Timestamp> {
    let keep = match status {
        JobStatus::Pending => return None,
        JobStatus::Done => DONE_RETENTION,
        JobStatus::Failed => FAILED_RETENTION,
    };
    Some(now.saturating_sub(keep).unwrap_or(Timestamp::UNIX_EPOCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> Timestamp {
        "2026-06-19T13:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_first_failure_is_retried_thirty_seconds_later() {
        assert_eq!(
            RETRY.after_failure(1, t0()),
            AfterFailure::RetryAt(t0() + SignedDuration::from_secs(30))
        );
    }

    #[test]
    fn each_further_failure_doubles_the_wait() {
        let waits: Vec<i64> = (1..=6).map(|n| RETRY.delay(n).as_secs()).collect();
        assert_eq!(waits, vec![30, 60, 120, 240, 480, 960]);
    }

    #[test]
    fn the_wait_never_exceeds_the_cap_however_many_failures() {
        assert_eq!(RETRY.delay(7).as_secs(), 30 * 60);
        let lenient = RetryPolicy {
            max_attempts: u32::MAX,
            ..RETRY
        };
        for n in [8, 20, 63, 64, 1000, u32::MAX - 1] {
            assert_eq!(lenient.delay(n), RETRY.max_delay, "after {n} failures");
            assert!(matches!(
                lenient.after_failure(n, t0()),
                AfterFailure::RetryAt(_)
            ));
        }
    }

    #[test]
    fn the_job_is_given_up_at_the_last_allowed_attempt_and_not_before() {
        assert!(matches!(
            RETRY.after_failure(RETRY.max_attempts - 1, t0()),
            AfterFailure::RetryAt(_)
        ));
        assert_eq!(
            RETRY.after_failure(RETRY.max_attempts, t0()),
            AfterFailure::GiveUp
        );
        assert_eq!(
            RETRY.after_failure(RETRY.max_attempts + 5, t0()),
            AfterFailure::GiveUp
        );
    }

    #[test]
    fn a_failing_job_is_given_up_about_an_hour_after_its_first_failure() {
        let total: i64 = (1..RETRY.max_attempts)
            .map(|n| RETRY.delay(n).as_secs())
            .sum();
        assert_eq!(total, 30 + 60 + 120 + 240 + 480 + 960 + 1800);
    }

    #[test]
    fn every_job_kind_reads_back_from_its_stored_text() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn an_unknown_kind_reads_as_none_not_as_some_default() {
        assert_eq!(JobKind::parse("send_fax"), None);
        assert_eq!(JobKind::parse(""), None);
        assert_eq!(JobStatus::parse("running"), None);
    }

    #[test]
    fn each_rule_has_its_job_kind_and_back() {
        for r in Rule::ALL {
            assert_eq!(JobKind::for_rule(r).rule(), Some(r));
            assert_eq!(JobKind::for_rule(r).as_str(), r.as_str());
            assert_eq!(JobKind::for_rule(r).subject(), JobSubject::Call);
        }
        assert_eq!(JobKind::StaleCheck.rule(), None);
        assert_eq!(JobKind::LeadDeadline.subject(), JobSubject::Lead);
    }

    #[test]
    fn done_jobs_are_kept_a_week_and_failed_ones_a_month_pending_ones_always() {
        assert_eq!(
            prune_before(JobStatus::Done, t0()),
            Some(t0() - SignedDuration::from_hours(7 * 24))
        );
        assert_eq!(
            prune_before(JobStatus::Failed, t0()),
            Some(t0() - SignedDuration::from_hours(30 * 24))
        );
        assert_eq!(prune_before(JobStatus::Pending, t0()), None);
    }
}

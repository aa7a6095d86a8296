//! R-U4: the call-centre dashboard's figures, and what one call adds to them.
//!
//! The store keeps roll-ups: for each local hour of the company (its
//! *bucket*) and each dimension (direction, operator, queue, dialled line)
//! the sums in [`Metrics`], and for answered inbound calls a histogram of the
//! speed of answer in whole seconds. Every change to a call replaces its
//! [`Contribution`] (the old one subtracted, the new one added, in the same
//! transaction), so the roll-ups always equal what the raw calls give; a
//! period's figures are the roll-ups of its whole hours plus the raw calls of
//! the partial hours at its edges, put together here ([`Figures`]). Because
//! durations are whole seconds, the histogram makes R-U4's nearest-rank
//! percentile exact.
//!
//! Definitions (R-U4): *offered* = inbound calls that started in the period;
//! *answered* = those with an `answered` state; *abandoned* = those that ended
//! `cancelled`; *missed* per R-C4; *speed of answer* = answered − first seen;
//! *time to abandon* = end − first seen; *talk time* = end − answered;
//! *service level (T)* = answered within T seconds ÷ offered. A callback and
//! its recovery time (R-C7) count in the period, and for the operator, of the
//! call that recovered the missed call.

use crate::call::{seconds_between, CallState, Direction};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;

/// Sums kept per bucket and dimension key. Averages are sums ÷ counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Metrics {
    /// Calls that started (inbound: *offered*).
    pub calls: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub missed: i64,
    /// Σ speed of answer over answered calls.
    pub answer_seconds: i64,
    /// Σ time to abandon over abandoned calls.
    pub abandon_seconds: i64,
    /// Answered calls that have ended (their talk time is known), and Σ talk time.
    pub talked: i64,
    pub talk_seconds: i64,
    /// Missed calls among `calls` that have been recovered (R-C7).
    pub recovered: i64,
    /// Calls that recovered at least one missed call (callbacks made).
    pub callbacks: i64,
    /// The missed calls those callbacks recovered, and Σ their recovery times.
    pub callback_recoveries: i64,
    pub callback_recovery_seconds: i64,
    /// Missed calls recovered too late, or not at all by their deadline
    /// (the callback SLA, issue 13 item 4).
    pub sla_breaches: i64,
}

impl Metrics {
    /// Every field, in a fixed order (the store's columns follow it).
    pub const FIELDS: [&'static str; 13] = [
        "calls",
        "answered",
        "abandoned",
        "missed",
        "answer_seconds",
        "abandon_seconds",
        "talked",
        "talk_seconds",
        "recovered",
        "callbacks",
        "callback_recoveries",
        "callback_recovery_seconds",
        "sla_breaches",
    ];

    pub fn values(&self) -> [i64; 13] {
        [
            self.calls,
            self.answered,
            self.abandoned,
            self.missed,
            self.answer_seconds,
            self.abandon_seconds,
            self.talked,
            self.talk_seconds,
            self.recovered,
            self.callbacks,
            self.callback_recoveries,
            self.callback_recovery_seconds,
            self.sla_breaches,
        ]
    }

    pub fn from_values(v: [i64; 13]) -> Metrics {
        Metrics {
            calls: v[0],
            answered: v[1],
            abandoned: v[2],
            missed: v[3],
            answer_seconds: v[4],
            abandon_seconds: v[5],
            talked: v[6],
            talk_seconds: v[7],
            recovered: v[8],
            callbacks: v[9],
            callback_recoveries: v[10],
            callback_recovery_seconds: v[11],
            sla_breaches: v[12],
        }
    }

    /// `self + sign × other`, field by field.
    pub fn add(&mut self, other: &Metrics, sign: i64) {
        let a = self.values();
        let b = other.values();
        let mut out = [0; 13];
        for i in 0..13 {
            out[i] = a[i] + sign * b[i];
        }
        *self = Metrics::from_values(out);
    }

    pub fn is_zero(&self) -> bool {
        self.values().iter().all(|v| *v == 0)
    }
}

/// A dimension the roll-ups are kept by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dim {
    /// Key: the direction (`inbound`, `outbound_manual`, `outbound_auto`).
    Direction,
    /// Key: the operator's employee id; inbound calls.
    OperatorIn,
    /// Key: the operator's employee id; outbound calls (manual and automatic).
    OperatorOut,
    /// Key: the queue's name; inbound calls.
    Queue,
    /// Key: the company's number that was dialled (E.164 or the number as
    /// sent); inbound calls.
    Line,
}

impl Dim {
    pub const ALL: [Dim; 5] = [
        Dim::Direction,
        Dim::OperatorIn,
        Dim::OperatorOut,
        Dim::Queue,
        Dim::Line,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dim::Direction => "direction",
            Dim::OperatorIn => "operator_in",
            Dim::OperatorOut => "operator_out",
            Dim::Queue => "queue",
            Dim::Line => "line",
        }
    }

    pub fn parse(s: &str) -> Option<Dim> {
        Dim::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// What the dashboard needs to know of one call (the store reads it off the
/// call's row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFacts {
    pub direction: Direction,
    pub state: CallState,
    pub missed: bool,
    pub first_seen: Timestamp,
    pub answered: Option<Timestamp>,
    pub ended: Option<Timestamp>,
    pub operator_id: Option<i64>,
    pub queue: Option<String>,
    /// The company's number that was dialled (inbound calls).
    pub line: Option<String>,
    pub recovered: bool,
    /// The callback SLA's outcome for a missed call: `Some(false)` a breach.
    pub within_sla: Option<bool>,
    /// How many missed calls this call recovered, and Σ their recovery times.
    pub recoveries: i64,
    pub recovery_seconds: i64,
}

/// What one call adds to the roll-ups: one row per dimension key in its
/// bucket, and a histogram entry for an answered inbound call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub bucket: Timestamp,
    pub rows: Vec<(Dim, String, Metrics)>,
    /// Speed of answer in whole seconds, for an answered inbound call.
    pub answer_second: Option<i64>,
}

/// The start of the company's local hour that `at` falls in, as an instant:
/// `at` less the local minutes and seconds (so an hour repeated when clocks
/// go back is two buckets, and zones with half-hour offsets work alike).
pub fn bucket(at: Timestamp, tz: &TimeZone) -> Timestamp {
    let local = tz.to_datetime(at);
    let into_hour =
        SignedDuration::from_secs(i64::from(local.minute()) * 60 + i64::from(local.second()))
            + SignedDuration::from_nanos(i64::from(local.subsec_nanosecond()));
    at.checked_sub(into_hour).unwrap_or(at)
}

/// The call's contribution (R-U4's definitions; see the module's notes).
pub fn contribution(c: &CallFacts, tz: &TimeZone) -> Contribution {
    let inbound = c.direction == Direction::Inbound;
    let mut m = Metrics {
        calls: 1,
        ..Metrics::default()
    };
    let mut answer_second = None;
    if let Some(a) = c.answered {
        m.answered = 1;
        if inbound {
            let s = seconds_between(c.first_seen, a);
            m.answer_seconds = s;
            answer_second = Some(s);
        }
        if let Some(e) = c.ended {
            m.talked = 1;
            m.talk_seconds = seconds_between(a, e);
        }
    }
    if inbound && c.state == CallState::Cancelled && c.answered.is_none() {
        m.abandoned = 1;
        if let Some(e) = c.ended {
            m.abandon_seconds = seconds_between(c.first_seen, e);
        }
    }
    if c.missed {
        m.missed = 1;
        m.recovered = i64::from(c.recovered);
        m.sla_breaches = i64::from(c.within_sla == Some(false));
    }
    if c.recoveries > 0 {
        m.callbacks = 1;
        m.callback_recoveries = c.recoveries;
        m.callback_recovery_seconds = c.recovery_seconds;
    }
    let mut rows = vec![(Dim::Direction, c.direction.as_str().to_owned(), m)];
    if let Some(op) = c.operator_id {
        let dim = if inbound {
            Dim::OperatorIn
        } else {
            Dim::OperatorOut
        };
        rows.push((dim, op.to_string(), m));
    }
    if inbound {
        if let Some(q) = c.queue.as_ref().filter(|q| !q.is_empty()) {
            rows.push((Dim::Queue, q.clone(), m));
        }
        if let Some(l) = c.line.as_ref().filter(|l| !l.is_empty()) {
            rows.push((Dim::Line, l.clone(), m));
        }
    }
    Contribution {
        bucket: bucket(c.first_seen, tz),
        rows,
        answer_second,
    }
}

/// The roll-up rows and histogram entries that turn `old` into `new`:
/// `(bucket, dim, key, delta)` with zero deltas left out, and
/// `(bucket, second, delta)`.
#[allow(clippy::type_complexity)]
pub fn delta(
    old: Option<&Contribution>,
    new: Option<&Contribution>,
) -> (
    Vec<(Timestamp, Dim, String, Metrics)>,
    Vec<(Timestamp, i64, i64)>,
) {
    let mut rows: BTreeMap<(Timestamp, Dim, String), Metrics> = BTreeMap::new();
    let mut hist: BTreeMap<(Timestamp, i64), i64> = BTreeMap::new();
    for (c, sign) in [(old, -1), (new, 1)] {
        let Some(c) = c else { continue };
        for (dim, key, m) in &c.rows {
            rows.entry((c.bucket, *dim, key.clone()))
                .or_default()
                .add(m, sign);
        }
        if let Some(s) = c.answer_second {
            *hist.entry((c.bucket, s)).or_default() += sign;
        }
    }
    (
        rows.into_iter()
            .filter(|(_, m)| !m.is_zero())
            .map(|((b, d, k), m)| (b, d, k, m))
            .collect(),
        hist.into_iter()
            .filter(|(_, n)| *n != 0)
            .map(|((b, s), n)| (b, s, n))
            .collect(),
    )
}

/// The whole local hours of a period, and its partial edges: the roll-ups
/// answer for buckets in `whole` (`from <= bucket < to`, bucket starts), the raw
/// calls for the instants in `edges`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub whole: Option<(Timestamp, Timestamp)>,
    pub edges: Vec<(Timestamp, Timestamp)>,
}

/// Splits `[from, to)` at the company's local hours.
pub fn split(from: Timestamp, to: Timestamp, tz: &TimeZone) -> Split {
    if to <= from {
        return Split {
            whole: None,
            edges: vec![],
        };
    }
    let first = bucket(from, tz);
    let first_whole = if first == from {
        from
    } else {
        next_hour(from, tz)
    };
    let last_start = bucket(to, tz);
    // Buckets starting in [first_whole, last_start) lie wholly inside.
    if first_whole >= last_start {
        return Split {
            whole: None,
            edges: vec![(from, to)],
        };
    }
    let mut edges = vec![];
    if from < first_whole {
        edges.push((from, first_whole));
    }
    if last_start < to {
        edges.push((last_start, to));
    }
    Split {
        whole: Some((first_whole, last_start)),
        edges,
    }
}

/// The start of the local hour after the one `at` falls in.
fn next_hour(at: Timestamp, tz: &TimeZone) -> Timestamp {
    let b = bucket(at, tz);
    let n = bucket(b + SignedDuration::from_hours(1), tz);
    if n > b {
        n
    } else {
        b + SignedDuration::from_hours(1)
    }
}

/// What the store hands over for a period: roll-up sums by bucket and
/// dimension key (whole hours and the edges' raw calls alike, the edges'
/// already folded in by [`Figures::add_contribution`]) and the histogram.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// (bucket, dim, key) → sums.
    pub rows: BTreeMap<(Timestamp, Dim, String), Metrics>,
    /// Speed of answer in seconds → answered inbound calls.
    pub histogram: BTreeMap<i64, i64>,
}

impl Figures {
    pub fn add_row(&mut self, bucket: Timestamp, dim: Dim, key: String, m: &Metrics) {
        self.rows.entry((bucket, dim, key)).or_default().add(m, 1);
    }

    pub fn add_histogram(&mut self, second: i64, n: i64) {
        *self.histogram.entry(second).or_default() += n;
    }

    /// A raw call of a partial edge hour, counted exactly as the roll-ups count it.
    pub fn add_contribution(&mut self, c: &Contribution) {
        for (dim, key, m) in &c.rows {
            self.add_row(c.bucket, *dim, key.clone(), m);
        }
        if let Some(s) = c.answer_second {
            self.add_histogram(s, 1);
        }
    }

    /// Σ over every bucket of one dimension, by key.
    pub fn by_key(&self, dim: Dim) -> BTreeMap<String, Metrics> {
        let mut out: BTreeMap<String, Metrics> = BTreeMap::new();
        for ((_, d, k), m) in &self.rows {
            if *d == dim {
                out.entry(k.clone()).or_default().add(m, 1);
            }
        }
        out
    }

    /// Σ of one dimension key per bucket.
    pub fn by_bucket(&self, dim: Dim, key: &str) -> BTreeMap<Timestamp, Metrics> {
        let mut out: BTreeMap<Timestamp, Metrics> = BTreeMap::new();
        for ((b, d, k), m) in &self.rows {
            if *d == dim && k == key {
                out.entry(*b).or_default().add(m, 1);
            }
        }
        out
    }
}

/// R-U4's nearest-rank percentile (the value at rank ⌈p·n⌉ of the sorted
/// list) of a histogram of whole seconds; `None` when it is empty.
pub fn percentile(histogram: &BTreeMap<i64, i64>, p_percent: i64) -> Option<i64> {
    let n: i64 = histogram.values().sum();
    if n <= 0 {
        return None;
    }
    // ⌈p·n / 100⌉, at least 1.
    let rank = ((p_percent * n + 99) / 100).max(1);
    let mut seen = 0;
    for (second, count) in histogram {
        seen += count;
        if seen >= rank {
            return Some(*second);
        }
    }
    histogram.keys().next_back().copied()
}

/// Answered within `t` seconds, from the histogram.
pub fn answered_within(histogram: &BTreeMap<i64, i64>, t: i64) -> i64 {
    histogram.range(..=t).map(|(_, n)| n).sum()
}

/// `a ÷ b` as a fraction, `None` when `b` is 0.
pub fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// An average in seconds (one decimal), `None` over nothing.
pub fn average(sum: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| ((sum as f64 / n as f64) * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn kyiv() -> TimeZone {
        TimeZone::get("Europe/Kyiv").unwrap()
    }

    fn inbound(first: &str) -> CallFacts {
        CallFacts {
            direction: Direction::Inbound,
            state: CallState::Ringing,
            missed: false,
            first_seen: t(first),
            answered: None,
            ended: None,
            operator_id: None,
            queue: None,
            line: None,
            recovered: false,
            within_sla: None,
            recoveries: 0,
            recovery_seconds: 0,
        }
    }

    #[test]
    fn a_bucket_is_the_local_hour_even_with_half_hour_offsets_and_repeated_hours() {
        assert_eq!(
            bucket(t("2026-06-19T13:42:10.5Z"), &kyiv()),
            t("2026-06-19T13:00:00Z")
        );
        let india = TimeZone::get("Asia/Kolkata").unwrap();
        // 13:42 UTC is 19:12 in India: the local hour began at 13:30 UTC.
        assert_eq!(
            bucket(t("2026-06-19T13:42:00Z"), &india),
            t("2026-06-19T13:30:00Z")
        );
        // Kyiv's clocks go back at 04:00 local on 2026-10-25 (01:00 UTC):
        // 03:30 local happens twice, in two buckets.
        let first = bucket(t("2026-10-25T00:30:00Z"), &kyiv());
        let second = bucket(t("2026-10-25T01:30:00Z"), &kyiv());
        assert_eq!(first, t("2026-10-25T00:00:00Z"));
        assert_eq!(second, t("2026-10-25T01:00:00Z"));
    }

    #[test]
    fn a_period_splits_into_whole_local_hours_and_raw_edges() {
        let s = split(
            t("2026-06-19T10:15:00Z"),
            t("2026-06-19T14:20:00Z"),
            &kyiv(),
        );
        assert_eq!(
            s.whole,
            Some((t("2026-06-19T11:00:00Z"), t("2026-06-19T14:00:00Z")))
        );
        assert_eq!(
            s.edges,
            vec![
                (t("2026-06-19T10:15:00Z"), t("2026-06-19T11:00:00Z")),
                (t("2026-06-19T14:00:00Z"), t("2026-06-19T14:20:00Z"))
            ]
        );
        let s = split(
            t("2026-06-19T10:00:00Z"),
            t("2026-06-20T10:00:00Z"),
            &kyiv(),
        );
        assert_eq!(
            s.whole,
            Some((t("2026-06-19T10:00:00Z"), t("2026-06-20T10:00:00Z")))
        );
        assert!(s.edges.is_empty());
        let s = split(
            t("2026-06-19T10:10:00Z"),
            t("2026-06-19T10:50:00Z"),
            &kyiv(),
        );
        assert_eq!(s.whole, None);
        assert_eq!(s.edges.len(), 1);
    }

    #[test]
    fn a_call_counts_by_r_u4s_definitions() {
        // Answered after 12 s, talked 100 s, by operator 7 in queue "repairs" on line +380441234567.
        let mut c = inbound("2026-06-19T10:00:00Z");
        c.state = CallState::Completed;
        c.answered = Some(t("2026-06-19T10:00:12Z"));
        c.ended = Some(t("2026-06-19T10:01:52Z"));
        c.operator_id = Some(7);
        c.queue = Some("repairs".into());
        c.line = Some("+380441234567".into());
        let k = contribution(&c, &kyiv());
        assert_eq!(k.answer_second, Some(12));
        assert_eq!(k.rows.len(), 4);
        let m = k.rows[0].2;
        assert_eq!(
            (
                m.calls,
                m.answered,
                m.answer_seconds,
                m.talked,
                m.talk_seconds
            ),
            (1, 1, 12, 1, 100)
        );
        assert_eq!((m.abandoned, m.missed), (0, 0));
        // Abandoned: the caller hung up after 40 s: abandoned and missed (R-C4).
        let mut a = inbound("2026-06-19T10:05:00Z");
        a.state = CallState::Cancelled;
        a.missed = true;
        a.ended = Some(t("2026-06-19T10:05:40Z"));
        let k = contribution(&a, &kyiv());
        let m = k.rows[0].2;
        assert_eq!(
            (m.calls, m.abandoned, m.abandon_seconds, m.missed),
            (1, 1, 40, 1)
        );
        assert_eq!(k.answer_second, None);
        // An outbound callback that recovered two missed calls.
        let mut o = inbound("2026-06-19T11:00:00Z");
        o.direction = Direction::OutboundManual;
        o.operator_id = Some(7);
        o.recoveries = 2;
        o.recovery_seconds = 3_000;
        o.queue = Some("ignored for outbound".into());
        let k = contribution(&o, &kyiv());
        assert_eq!(k.rows.len(), 2);
        assert_eq!(k.rows[1].0, Dim::OperatorOut);
        let m = k.rows[1].2;
        assert_eq!(
            (
                m.callbacks,
                m.callback_recoveries,
                m.callback_recovery_seconds
            ),
            (1, 2, 3_000)
        );
    }

    #[test]
    fn a_change_moves_only_the_difference() {
        let tz = kyiv();
        let ringing = inbound("2026-06-19T10:00:00Z");
        let mut answered = ringing.clone();
        answered.state = CallState::Answered;
        answered.answered = Some(t("2026-06-19T10:00:05Z"));
        answered.operator_id = Some(3);
        let (rows, hist) = delta(
            Some(&contribution(&ringing, &tz)),
            Some(&contribution(&answered, &tz)),
        );
        // The direction row gains the answer; the operator row is new (calls 1).
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, Dim::Direction);
        assert_eq!(rows[0].3.calls, 0);
        assert_eq!(rows[0].3.answered, 1);
        assert_eq!(rows[1].1, Dim::OperatorIn);
        assert_eq!(rows[1].3.calls, 1);
        assert_eq!(hist, vec![(t("2026-06-19T10:00:00Z"), 5, 1)]);
        // Nothing changed: nothing to write.
        let same = contribution(&answered, &tz);
        assert_eq!(delta(Some(&same), Some(&same)), (vec![], vec![]));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        // 10 answers: 1..=10 s. ⌈0.9·10⌉ = 9 → 9 s.
        let h: BTreeMap<i64, i64> = (1..=10).map(|s| (s, 1)).collect();
        assert_eq!(percentile(&h, 90), Some(9));
        // 11 answers: ⌈9.9⌉ = 10 → 10 s.
        let mut h2 = h.clone();
        h2.insert(11, 1);
        assert_eq!(percentile(&h2, 90), Some(10));
        // One answer.
        assert_eq!(percentile(&BTreeMap::from([(42, 1)]), 90), Some(42));
        assert_eq!(percentile(&BTreeMap::new(), 90), None);
        // Repeats: 3×2 s, 1×30 s: rank ⌈3.6⌉ = 4 → 30 s.
        assert_eq!(percentile(&BTreeMap::from([(2, 3), (30, 1)]), 90), Some(30));
        assert_eq!(answered_within(&BTreeMap::from([(2, 3), (30, 1)]), 20), 3);
        assert_eq!(answered_within(&BTreeMap::from([(2, 3), (20, 1)]), 20), 4);
    }
}

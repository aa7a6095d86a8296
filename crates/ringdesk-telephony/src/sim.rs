//! Made-up phone traffic for `ringdesk simulate` and `ringdesk demo` (R-X1,
//! issue 12): realistic calls as sequences of generic events (R-X4's
//! [`RawCallEvent`]), with what real phone systems do to them — duplicate
//! deliveries, events sent after later ones, withheld numbers, queues,
//! transfers, callbacks to earlier missed callers.
//!
//! Pure: a seeded random generator, and every time passed in. The same seed,
//! company, run id and start times give the same traffic; the binary reads the
//! clock and sends the events at their `send_at`.

use jiff::{SignedDuration, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ringdesk_domain::event::RawCallEvent;
use ringdesk_domain::phone::{self, Country, NumberKind};
use std::collections::VecDeque;

/// The company as its phone system knows it: what the traffic is made of.
#[derive(Debug, Clone)]
pub struct SimCompany {
    /// Made-up numbers (unknown callers, the company's own line) are of this country.
    pub country: Country,
    /// The operators' extensions (R-X4's `operator`); calls name no operator when empty.
    pub extensions: Vec<String>,
    /// The numbers of the company's clients: the known callers.
    pub client_numbers: Vec<String>,
    /// Queue names for queued calls; `support` when empty.
    pub queues: Vec<String>,
}

/// What happens in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// Rings an operator, who answers; completed.
    InboundAnswered,
    /// Rings; the caller hangs up first (missed, `cancelled`).
    InboundCancelled,
    /// Rings until the phone system gives up (missed, `no_answer`).
    InboundNoAnswer,
    /// Every line busy (missed, `busy`).
    InboundBusy,
    /// Waits in a queue, then rings an operator, who answers.
    QueuedAnswered,
    /// Waits in a queue and hangs up (missed, `cancelled`).
    QueuedAbandoned,
    /// Answered, then transferred: a second `answered` names another operator (R-C5).
    Transferred,
    /// An operator calls a client or a number out; answered.
    OutboundAnswered,
    /// An operator calls out; nobody answers, or the line is busy.
    OutboundUnanswered,
    /// An operator calls back an earlier missed caller (R-C7).
    Callback,
}

impl Scenario {
    pub const ALL: [Scenario; 10] = [
        Scenario::InboundAnswered,
        Scenario::InboundCancelled,
        Scenario::InboundNoAnswer,
        Scenario::InboundBusy,
        Scenario::QueuedAnswered,
        Scenario::QueuedAbandoned,
        Scenario::Transferred,
        Scenario::OutboundAnswered,
        Scenario::OutboundUnanswered,
        Scenario::Callback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::InboundAnswered => "inbound answered",
            Scenario::InboundCancelled => "inbound cancelled",
            Scenario::InboundNoAnswer => "inbound not answered",
            Scenario::InboundBusy => "inbound busy",
            Scenario::QueuedAnswered => "queued answered",
            Scenario::QueuedAbandoned => "queued abandoned",
            Scenario::Transferred => "transferred",
            Scenario::OutboundAnswered => "outbound answered",
            Scenario::OutboundUnanswered => "outbound not answered",
            Scenario::Callback => "callback",
        }
    }

    /// How often each scenario is drawn, in percent (they add up to 100).
    fn weight(self) -> u32 {
        match self {
            Scenario::InboundAnswered => 32,
            Scenario::InboundCancelled => 8,
            Scenario::InboundNoAnswer => 7,
            Scenario::InboundBusy => 3,
            Scenario::QueuedAnswered => 12,
            Scenario::QueuedAbandoned => 6,
            Scenario::Transferred => 6,
            Scenario::OutboundAnswered => 12,
            Scenario::OutboundUnanswered => 5,
            Scenario::Callback => 9,
        }
    }
}

/// One delivery: an event and when the phone system sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub send_at: Timestamp,
    pub event: RawCallEvent,
}

/// A call: its events in the order they are sent (a repeat, or an event sent
/// after a later one, included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimCall {
    pub scenario: Scenario,
    pub call_id: String,
    pub start: Timestamp,
    pub deliveries: Vec<Delivery>,
}

impl SimCall {
    /// When the last event of the call is sent.
    pub fn last_send_at(&self) -> Timestamp {
        self.deliveries
            .iter()
            .map(|d| d.send_at)
            .max()
            .unwrap_or(self.start)
    }
}

/// Chance that an event is delivered twice, as PBXs retry a callback whose
/// answer they did not see.
const DUPLICATE: f64 = 0.05;
/// Chance that an event is sent only after the call's next one.
const LATE: f64 = 0.05;
/// Chance that an inbound caller withholds the number (R-P6).
const WITHHELD: f64 = 0.04;
/// Chance that a caller is one of the company's clients, when it has any.
const KNOWN: f64 = 0.6;
/// Missed callers kept for callbacks.
const MISSED_KEPT: usize = 20;

/// Makes calls. Not `Clone`: each generator is one stream of traffic.
pub struct Generator {
    rng: StdRng,
    company: SimCompany,
    run: String,
    line: String,
    speed: f64,
    calls: u64,
    /// Missed callers' numbers and when their call ended, oldest first.
    missed: VecDeque<(String, Timestamp)>,
}

/// The parts of an event that change within a call.
struct Step {
    state: &'static str,
    at: Timestamp,
    operator: Option<String>,
}

impl Generator {
    /// `run` makes the event and call ids unique to this run (`{run}-{n}`,
    /// `{run}-{n}-{k}`), so that two runs against one server never collide.
    pub fn new(seed: u64, company: SimCompany, run: impl Into<String>) -> Generator {
        let mut rng = StdRng::seed_from_u64(seed);
        let line = made_up_number(&mut rng, &company.country, NumberKind::FixedLine);
        Generator {
            rng,
            company,
            run: run.into(),
            line,
            speed: 1.0,
            calls: 0,
            missed: VecDeque::new(),
        }
    }

    /// Runs every call `speed` times faster (ringing, talking, waiting); 1 is real time.
    pub fn with_speed(mut self, speed: f64) -> Generator {
        assert!(speed > 0.0 && speed.is_finite(), "speed must be positive");
        self.speed = speed;
        self
    }

    /// The company's own number: the `to` of inbound calls, the `from` of outbound ones.
    pub fn line(&self) -> &str {
        &self.line
    }

    /// When the call after one that started at `after` starts, for `per_minute`
    /// calls a minute on average (arrivals at random, as a Poisson process).
    pub fn next_start(&mut self, after: Timestamp, per_minute: f64) -> Timestamp {
        let u: f64 = self.rng.gen_range(0.0..1.0);
        let gap_ms = -(1.0 - u).ln() * 60_000.0 / per_minute.max(0.001);
        after + SignedDuration::from_millis(gap_ms.min(86_400_000.0) as i64)
    }

    /// A call drawn at random, starting at `start`.
    pub fn call(&mut self, start: Timestamp) -> SimCall {
        let mut pick = self.rng.gen_range(0..100);
        let mut scenario = Scenario::InboundAnswered;
        for s in Scenario::ALL {
            if pick < s.weight() {
                scenario = s;
                break;
            }
            pick -= s.weight();
        }
        self.call_of(scenario, start)
    }

    /// The first call of a demo: a client (when the company has any) calls
    /// the first extension, which rings for a few seconds and answers, and
    /// they talk for two to three minutes. No repeats, nothing late.
    pub fn opening_call(&mut self, start: Timestamp) -> SimCall {
        let from = match self.company.client_numbers.first() {
            Some(n) => n.clone(),
            None => self.caller(),
        };
        let op = self.company.extensions.first().cloned();
        let answered = start + self.secs(6);
        let talk = self.rng.gen_range(120..=180);
        let steps = vec![
            self.step("ringing", start, op.clone()),
            self.step("answered", answered, op.clone()),
            self.step("completed", answered + self.secs(talk), op),
        ];
        let to = self.line.clone();
        self.build(
            Scenario::InboundAnswered,
            "inbound",
            from,
            to,
            None,
            steps,
            false,
        )
    }

    /// A call of the given scenario, starting at `start`. A callback with no
    /// missed caller to call back is an outbound call like any other.
    pub fn call_of(&mut self, scenario: Scenario, start: Timestamp) -> SimCall {
        let line = self.line.clone();
        match scenario {
            Scenario::InboundAnswered => {
                let from = self.caller();
                let op = self.operator();
                let answered = start + self.between(3, 20);
                let ended = answered + self.between(20, 240);
                let steps = vec![
                    self.step("ringing", start, op.clone()),
                    self.step("answered", answered, op.clone()),
                    self.step("completed", ended, op),
                ];
                self.build(scenario, "inbound", from, line, None, steps, true)
            }
            Scenario::InboundCancelled | Scenario::InboundNoAnswer | Scenario::InboundBusy => {
                let from = self.caller();
                // A direct line names the extension it rings; a ring group does not.
                let op = if self.rng.gen_bool(0.5) {
                    self.operator()
                } else {
                    None
                };
                let (state, ring) = match scenario {
                    Scenario::InboundCancelled => ("cancelled", self.between(4, 25)),
                    Scenario::InboundNoAnswer => ("no_answer", self.between(25, 45)),
                    _ => ("busy", self.between(1, 3)),
                };
                let steps = vec![
                    self.step("ringing", start, op.clone()),
                    self.step(state, start + ring, op),
                ];
                self.missed_by(&from, start + ring);
                self.build(scenario, "inbound", from, line, None, steps, true)
            }
            Scenario::QueuedAnswered => {
                let from = self.caller();
                let queue = self.queue();
                let op = self.operator();
                let ringing = start + self.between(5, 60);
                let answered = ringing + self.between(2, 10);
                let ended = answered + self.between(20, 240);
                let steps = vec![
                    self.step("queued", start, None),
                    self.step("ringing", ringing, op.clone()),
                    self.step("answered", answered, op.clone()),
                    self.step("completed", ended, op),
                ];
                self.build(scenario, "inbound", from, line, Some(queue), steps, true)
            }
            Scenario::QueuedAbandoned => {
                let from = self.caller();
                let queue = self.queue();
                let gave_up = start + self.between(10, 90);
                let steps = vec![
                    self.step("queued", start, None),
                    self.step("cancelled", gave_up, None),
                ];
                self.missed_by(&from, gave_up);
                self.build(scenario, "inbound", from, line, Some(queue), steps, true)
            }
            Scenario::Transferred => {
                let from = self.caller();
                let first = self.operator();
                let second = self.other_operator(first.as_deref());
                let answered = start + self.between(3, 15);
                let transferred = answered + self.between(15, 60);
                let ended = transferred + self.between(20, 180);
                let steps = vec![
                    self.step("ringing", start, first.clone()),
                    self.step("answered", answered, first),
                    self.step("answered", transferred, second.clone()),
                    self.step("completed", ended, second),
                ];
                self.build(scenario, "inbound", from, line, None, steps, true)
            }
            Scenario::OutboundAnswered | Scenario::OutboundUnanswered => {
                let to = self.callee();
                self.outbound(scenario, start, to)
            }
            Scenario::Callback => {
                // The oldest missed caller whose call has ended by now (R-C7 counts
                // only a callback that starts after the miss).
                match self.missed.iter().position(|(_, ended)| *ended < start) {
                    Some(i) => {
                        let (to, _) = self.missed.remove(i).expect("the position found");
                        self.outbound(Scenario::Callback, start, to)
                    }
                    None => {
                        let to = self.callee();
                        self.outbound(Scenario::OutboundAnswered, start, to)
                    }
                }
            }
        }
    }

    fn outbound(&mut self, scenario: Scenario, start: Timestamp, to: String) -> SimCall {
        let op = self.operator();
        let answers = match scenario {
            Scenario::OutboundUnanswered => false,
            Scenario::Callback => self.rng.gen_bool(0.8),
            _ => true,
        };
        let mut steps = vec![self.step("ringing", start, op.clone())];
        if answers {
            let answered = start + self.between(3, 15);
            steps.push(self.step("answered", answered, op.clone()));
            let ended = answered + self.between(20, 200);
            steps.push(self.step("completed", ended, op));
        } else if self.rng.gen_bool(0.7) {
            let ended = start + self.between(20, 40);
            steps.push(self.step("no_answer", ended, op));
        } else {
            let ended = start + self.between(1, 4);
            steps.push(self.step("busy", ended, op));
        }
        let from = self.line.clone();
        self.build(scenario, "outbound_manual", from, to, None, steps, true)
    }

    /// Turns the steps into events and their deliveries, with the quirks.
    #[expect(clippy::too_many_arguments, reason = "one call's fixed parts")]
    fn build(
        &mut self,
        scenario: Scenario,
        direction: &str,
        from: String,
        to: String,
        queue: Option<String>,
        steps: Vec<Step>,
        quirks: bool,
    ) -> SimCall {
        let n = self.calls;
        self.calls += 1;
        let call_id = format!("{}-{n}", self.run);
        let start = steps.first().map(|s| s.at).expect("a call has events");
        let events: Vec<RawCallEvent> = steps
            .iter()
            .enumerate()
            .map(|(k, s)| RawCallEvent {
                event_id: Some(format!("{call_id}-{k}")),
                call_id: Some(call_id.clone()),
                direction: Some(direction.to_owned()),
                state: Some(s.state.to_owned()),
                at: Some(s.at.to_string()),
                from: Some(from.clone()),
                to: Some(to.clone()),
                operator: s.operator.clone(),
                queue: queue.clone(),
                recording_url: None,
            })
            .collect();
        let mut deliveries = Vec::with_capacity(events.len() + 1);
        for (k, event) in events.iter().enumerate() {
            let mut send_at = steps[k].at;
            if quirks {
                if let Some(next) = steps.get(k + 1) {
                    if self.rng.gen_bool(LATE) {
                        // Sent only after the next event: out of order.
                        send_at = next.at + self.between(1, 3);
                    }
                }
                if self.rng.gen_bool(DUPLICATE) {
                    let again = send_at + self.between(1, 8);
                    deliveries.push(Delivery {
                        send_at: again,
                        event: event.clone(),
                    });
                }
            }
            deliveries.push(Delivery {
                send_at,
                event: event.clone(),
            });
        }
        deliveries.sort_by_key(|d| d.send_at);
        SimCall {
            scenario,
            call_id,
            start,
            deliveries,
        }
    }

    fn step(&self, state: &'static str, at: Timestamp, operator: Option<String>) -> Step {
        Step {
            state,
            at,
            operator,
        }
    }

    /// `s` seconds at this generator's speed.
    fn secs(&self, s: u32) -> SignedDuration {
        SignedDuration::from_millis((f64::from(s) * 1000.0 / self.speed) as i64)
    }

    /// A random duration from `lo` to `hi` seconds (at this generator's speed).
    fn between(&mut self, lo: u32, hi: u32) -> SignedDuration {
        let s = self.rng.gen_range(lo..=hi);
        self.secs(s)
    }

    /// An inbound caller: now and then withheld, often a client, else a
    /// stranger with a number of the company's country.
    fn caller(&mut self) -> String {
        if self.rng.gen_bool(WITHHELD) {
            return "anonymous".into();
        }
        self.callee()
    }

    /// Someone an operator calls: a client, or a number of the country.
    fn callee(&mut self) -> String {
        let known = &self.company.client_numbers;
        if !known.is_empty() && self.rng.gen_bool(KNOWN) {
            let i = self.rng.gen_range(0..known.len());
            return known[i].clone();
        }
        made_up_number(&mut self.rng, &self.company.country, NumberKind::Mobile)
    }

    fn operator(&mut self) -> Option<String> {
        let ext = &self.company.extensions;
        if ext.is_empty() {
            return None;
        }
        Some(ext[self.rng.gen_range(0..ext.len())].clone())
    }

    /// Another extension than `first`, when there is one.
    fn other_operator(&mut self, first: Option<&str>) -> Option<String> {
        let others: Vec<&String> = self
            .company
            .extensions
            .iter()
            .filter(|e| Some(e.as_str()) != first)
            .collect();
        if others.is_empty() {
            return first.map(str::to_owned);
        }
        Some(others[self.rng.gen_range(0..others.len())].clone())
    }

    fn queue(&mut self) -> String {
        let q = &self.company.queues;
        if q.is_empty() {
            return "support".into();
        }
        q[self.rng.gen_range(0..q.len())].clone()
    }

    /// Remembers a missed caller for a callback (not a withheld one: there is no number).
    fn missed_by(&mut self, number: &str, ended: Timestamp) {
        if phone::is_withheld(number) {
            return;
        }
        if self.missed.len() == MISSED_KEPT {
            self.missed.pop_front();
        }
        self.missed.push_back((number.to_owned(), ended));
    }
}

/// `count` different valid mobile numbers of `country` (E.164), the same for
/// the same seed: the demo's clients.
pub fn made_up_numbers(seed: u64, country: &Country, count: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out: Vec<String> = Vec::with_capacity(count);
    // A country's numbering plan may have fewer numbers than asked for; stop trying then.
    for _ in 0..count.saturating_mul(20) {
        if out.len() == count {
            break;
        }
        let n = made_up_number(&mut rng, country, NumberKind::Mobile);
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// A valid number of `country`: the library's example with its last digits
/// drawn at random (the example itself when no variant is valid).
fn made_up_number(rng: &mut StdRng, country: &Country, kind: NumberKind) -> String {
    let Some(example) = phone::example_number(country, kind)
        .or_else(|| phone::example_number(country, NumberKind::FixedLine))
    else {
        // Every country libphonenumber knows has a fixed-line example; this
        // is a number the server keys by its digits (R-P2 step 4).
        return format!("{}", rng.gen_range(1_000_000..10_000_000));
    };
    let digits = example.len() - 1;
    let keep = example.len() - digits.saturating_sub(4).min(6);
    for _ in 0..50 {
        let mut candidate = example[..keep].to_owned();
        while candidate.len() < example.len() {
            candidate.push(char::from(b'0' + rng.gen_range(0..10u8)));
        }
        if phone::is_valid_in(&candidate, country) {
            return candidate;
        }
    }
    example
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringdesk_domain::call::{CallState, CallSummary, Direction, EventFact};
    use ringdesk_domain::event::CallEvent;
    use std::collections::{BTreeMap, HashSet};

    fn company() -> SimCompany {
        let country = Country::parse("GB").unwrap();
        SimCompany {
            client_numbers: made_up_numbers(1, &country, 10),
            country,
            extensions: vec!["201".into(), "202".into(), "203".into()],
            queues: vec!["repairs".into(), "sales".into()],
        }
    }

    fn start() -> Timestamp {
        "2026-11-23T09:00:00Z".parse().unwrap()
    }

    /// `count` calls at 6 a minute from `start()`.
    fn traffic(seed: u64, count: usize) -> Vec<SimCall> {
        let mut g = Generator::new(seed, company(), "sim-test");
        let mut at = start();
        let mut calls = vec![g.opening_call(at)];
        for _ in 1..count {
            at = g.next_start(at, 6.0);
            calls.push(g.call(at));
        }
        calls
    }

    fn parsed(call: &SimCall) -> Vec<CallEvent> {
        call.deliveries
            .iter()
            .map(|d| {
                CallEvent::parse(d.event.clone()).unwrap_or_else(|e| panic!("{e} in {:?}", d.event))
            })
            .collect()
    }

    /// The call's state and times as the server derives them (R-C3).
    fn summary(call: &SimCall) -> CallSummary {
        let events = parsed(call);
        let facts: Vec<EventFact> = events
            .iter()
            .map(|e| EventFact {
                event_id: e.event_id.clone(),
                state: e.state,
                at: e.at,
                operator_id: None,
                operator_sent: e.operator.clone(),
            })
            .collect();
        CallSummary::from_events(events[0].direction, &facts).unwrap()
    }

    #[test]
    fn the_same_seed_makes_the_same_traffic_and_another_seed_other_traffic() {
        assert_eq!(traffic(7, 200), traffic(7, 200));
        assert_ne!(traffic(7, 200), traffic(8, 200));
        assert_eq!(
            made_up_numbers(3, &Country::parse("UA").unwrap(), 5),
            made_up_numbers(3, &Country::parse("UA").unwrap(), 5)
        );
    }

    #[test]
    fn every_delivery_is_a_valid_generic_event_r_x4() {
        for call in traffic(11, 500) {
            let events = parsed(&call);
            assert!(events.iter().all(|e| e.external_call_id == call.call_id));
            assert!(
                call.deliveries
                    .windows(2)
                    .all(|w| w[0].send_at <= w[1].send_at),
                "deliveries are in sending order"
            );
        }
    }

    #[test]
    fn each_scenario_ends_as_it_should_r_c2_r_c3() {
        let mut seen = HashSet::new();
        for call in traffic(5, 1500) {
            seen.insert(call.scenario);
            let s = summary(&call);
            let direction = parsed(&call)[0].direction;
            match call.scenario {
                Scenario::InboundAnswered | Scenario::QueuedAnswered | Scenario::Transferred => {
                    assert_eq!(direction, Direction::Inbound);
                    assert_eq!(s.state, CallState::Completed, "{call:?}");
                    assert!(!s.missed);
                }
                Scenario::InboundCancelled | Scenario::QueuedAbandoned => {
                    assert_eq!(s.state, CallState::Cancelled, "{call:?}");
                    assert!(s.missed);
                }
                Scenario::InboundNoAnswer => assert!(s.state == CallState::NoAnswer && s.missed),
                Scenario::InboundBusy => assert!(s.state == CallState::Busy && s.missed),
                Scenario::OutboundAnswered => {
                    assert_eq!(direction, Direction::OutboundManual);
                    assert_eq!(s.state, CallState::Completed);
                }
                Scenario::OutboundUnanswered => {
                    assert_eq!(direction, Direction::OutboundManual);
                    assert!(matches!(s.state, CallState::NoAnswer | CallState::Busy));
                    assert!(!s.missed, "an unanswered outbound call is not missed");
                }
                Scenario::Callback => assert_eq!(direction, Direction::OutboundManual),
            }
            if matches!(
                call.scenario,
                Scenario::QueuedAnswered | Scenario::QueuedAbandoned
            ) {
                assert!(s.queued.is_some());
                assert!(parsed(&call).iter().all(|e| e.queue.is_some()));
            }
        }
        assert_eq!(seen.len(), Scenario::ALL.len(), "every scenario occurs");
    }

    #[test]
    fn a_transfer_names_another_operator_in_its_second_answered_event_r_c5() {
        let mut g = Generator::new(1, company(), "t");
        let call = g.call_of(Scenario::Transferred, start());
        let mut answered: Vec<CallEvent> = parsed(&call)
            .into_iter()
            .filter(|e| e.state == CallState::Answered)
            .collect();
        answered.sort_by_key(|e| e.at);
        answered.dedup_by(|a, b| a.event_id == b.event_id);
        assert_eq!(answered.len(), 2);
        assert_ne!(answered[0].operator, answered[1].operator);
    }

    #[test]
    fn callers_are_clients_strangers_or_withheld_and_numbers_are_of_the_companys_country_r_p2_r_p6()
    {
        let c = company();
        let (mut known, mut strangers, mut withheld) = (0, 0, 0);
        for call in traffic(9, 1000) {
            let e = &parsed(&call)[0];
            let customer = e.customer_number();
            if phone::is_withheld(customer) {
                withheld += 1;
            } else if c.client_numbers.iter().any(|n| n == customer) {
                known += 1;
            } else {
                strangers += 1;
                assert!(phone::is_valid_in(customer, &c.country), "{customer}");
            }
            let line = if e.direction.is_outbound() {
                &e.from
            } else {
                &e.to
            };
            assert!(phone::is_valid_in(line, &c.country), "{line}");
            for e in parsed(&call) {
                if let Some(op) = &e.operator {
                    assert!(c.extensions.contains(op), "{op}");
                }
            }
        }
        assert!(known > 0 && strangers > 0 && withheld > 0);
        for country in ["UA", "PT", "ES", "RU", "US", "GB", "BR"] {
            let country = Country::parse(country).unwrap();
            let numbers = made_up_numbers(2, &country, 50);
            assert_eq!(numbers.len(), 50, "{country}");
            assert!(numbers.iter().all(|n| phone::is_valid_in(n, &country)));
        }
    }

    #[test]
    fn callbacks_call_earlier_missed_callers_after_their_call_ended_r_c7() {
        let calls = traffic(4, 800);
        let mut missed: BTreeMap<String, Timestamp> = BTreeMap::new();
        let mut callbacks = 0;
        for call in &calls {
            let s = summary(call);
            let e = &parsed(call)[0];
            if call.scenario == Scenario::Callback {
                callbacks += 1;
                let ended = missed
                    .get(e.customer_number())
                    .unwrap_or_else(|| panic!("{} was not missed", e.customer_number()));
                assert!(*ended < call.start);
            }
            if s.missed {
                missed
                    .entry(e.customer_number().to_owned())
                    .or_insert(s.ended.unwrap());
            }
        }
        assert!(callbacks > 10, "{callbacks}");
    }

    #[test]
    fn some_events_are_delivered_twice_and_some_after_later_ones_as_pbxs_do() {
        let (mut repeats, mut late) = (0, 0);
        for call in traffic(3, 500) {
            let mut sent = HashSet::new();
            let mut latest: Option<Timestamp> = None;
            for d in &call.deliveries {
                let e = CallEvent::parse(d.event.clone()).unwrap();
                if !sent.insert(e.event_id.clone()) {
                    repeats += 1;
                }
                if latest.is_some_and(|l| e.at < l) {
                    late += 1;
                }
                latest = latest.max(Some(e.at));
            }
        }
        assert!(repeats > 10 && late > 10, "{repeats} repeats, {late} late");
    }

    #[test]
    fn the_opening_call_rings_the_first_extension_at_once_from_a_client() {
        let c = company();
        let mut g = Generator::new(1, c.clone(), "demo");
        let call = g.opening_call(start());
        let events = parsed(&call);
        assert_eq!(call.deliveries[0].send_at, start());
        assert_eq!(events[0].state, CallState::Ringing);
        assert_eq!(events[0].operator.as_deref(), Some("201"));
        assert_eq!(events[0].from, c.client_numbers[0]);
        assert_eq!(events.len(), 3, "no repeats in the opening call");
    }

    #[test]
    fn speed_shortens_every_call_and_rate_sets_how_often_calls_start() {
        let mut slow = Generator::new(1, company(), "a");
        let mut fast = Generator::new(1, company(), "a").with_speed(10.0);
        let (s, f) = (slow.opening_call(start()), fast.opening_call(start()));
        let length = |c: &SimCall| c.last_send_at().duration_since(c.start).as_millis();
        assert_eq!(length(&s), length(&f) * 10);
        let mut g = Generator::new(2, company(), "b");
        let mut at = start();
        for _ in 0..600 {
            at = g.next_start(at, 60.0);
        }
        let minutes = at.duration_since(start()).as_secs_f64() / 60.0;
        assert!(
            (8.0..12.0).contains(&minutes),
            "600 calls at 60 a minute took {minutes}"
        );
    }
}

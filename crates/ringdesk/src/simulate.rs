//! `ringdesk simulate` (R-X1, R-X9, issue 12): sends the simulator's traffic
//! (`ringdesk_telephony::sim`) through the public webhook
//! (`POST /api/v1/telephony/events`, R-X4) in real time, as a phone system
//! would: each event at its time, one request per event. It first asks the
//! server, with the same token, for the company's extensions and some of its
//! clients' numbers, so that operators and known callers are real. `ringdesk
//! demo` runs the same sender in-process against its own server. Like `bench`,
//! this is an outside client of the public API.

use anyhow::{bail, Context};
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use ringdesk_domain::event::RawCallEvent;
use ringdesk_domain::phone::{self, Country};
use ringdesk_telephony::sim::{Generator, Scenario, SimCompany};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;
use tokio::task::JoinSet;

/// No `Debug`: it holds an API token.
#[derive(Args)]
pub struct SimulateArgs {
    /// The server's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// An API token of the company with `post_call_events` (and `view_clients`, so that
    /// known clients call); or RINGDESK_SIMULATE_TOKEN.
    #[arg(long, env = "RINGDESK_SIMULATE_TOKEN", hide_env_values = true)]
    token: String,
    /// Calls started per minute, on average (at random moments); the first starts at once.
    #[arg(long, default_value_t = 6.0)]
    rate: f64,
    /// For how long new calls start, e.g. 90s, 10m, 1h (or seconds); the calls in
    /// progress then finish before the summary.
    #[arg(long, value_parser = parse_duration)]
    duration: SignedDuration,
    /// The seed of the random traffic: the same seed gives the same calls [default: random].
    #[arg(long)]
    seed: Option<u64>,
    /// The company's country (ISO 3166 alpha-2) for made-up numbers [default: that of
    /// its clients' numbers].
    #[arg(long)]
    country: Option<String>,
    /// Run every call this many times faster than real time (ringing, waiting, talking).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
}

/// `90`, `90s`, `10m`, `1h 30m` (jiff's friendly format) or ISO 8601 (`PT10M`).
fn parse_duration(s: &str) -> Result<SignedDuration, String> {
    let d = match s.trim().parse::<i64>() {
        Ok(secs) => SignedDuration::from_secs(secs),
        Err(_) => s
            .trim()
            .parse::<SignedDuration>()
            .map_err(|_| format!("{s:?} is not a duration like 90s, 10m or 1h"))?,
    };
    if !d.is_positive() {
        return Err(format!("{s:?}: the duration must be more than zero"));
    }
    Ok(d)
}

pub async fn simulate(args: SimulateArgs) -> anyhow::Result<()> {
    if !(args.rate > 0.0 && args.rate.is_finite()) {
        bail!(
            "--rate {}: calls per minute must be more than zero",
            args.rate
        );
    }
    if !(args.speed > 0.0 && args.speed.is_finite()) {
        bail!("--speed {}: must be more than zero", args.speed);
    }
    let target = Target::new(&args.url, args.token)?;
    let company = target.company(args.country.as_deref()).await?;
    let seed = args
        .seed
        .unwrap_or_else(|| Timestamp::now().as_nanosecond() as u64);
    let start = Timestamp::now();
    println!(
        "simulating about {} calls a minute for {:#} against {} (seed {seed}; extensions: {}, client numbers: {}, country {})",
        args.rate,
        args.duration,
        target.base,
        company.extensions.len(),
        company.client_numbers.len(),
        company.country
    );
    let generator = Generator::new(seed, company, run_id(start)).with_speed(args.speed);
    let plan = Plan {
        rate: args.rate,
        until: Some(start + args.duration),
        opening_call: false,
    };
    let summary = send_traffic(&target, generator, plan, crate::shutdown_signal()).await?;
    summary.print();
    Ok(())
}

/// Ids unique to this run: two runs against one server never share an event id.
pub fn run_id(start: Timestamp) -> String {
    format!("sim-{}", start.as_millisecond())
}

/// A server's webhook and the token to post with.
#[derive(Clone)]
pub struct Target {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Target {
    pub fn new(url: &str, token: String) -> anyhow::Result<Target> {
        let parsed = reqwest::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if parsed.is_none() {
            bail!("--url {url:?} is not an http(s) address like http://127.0.0.1:8080");
        }
        Ok(Target {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
            base: url.trim_end_matches('/').to_owned(),
            token,
        })
    }

    async fn get(&self, path: &str) -> anyhow::Result<reqwest::Response> {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .with_context(|| format!("cannot reach {}: is Ringdesk running there?", self.base))?;
        if resp.status() == reqwest::StatusCode::UNAUTHORIZED {
            bail!(
                "{} refused the token (401 unauthorized): check --token",
                self.base
            );
        }
        Ok(resp)
    }

    /// The company as the token sees it: its active employees' extensions
    /// and up to 200 of its clients' numbers, and the country for made-up numbers.
    pub async fn company(&self, country: Option<&str>) -> anyhow::Result<SimCompany> {
        let mut extensions = Vec::new();
        let resp = self.get("/api/v1/employees").await?;
        if resp.status().is_success() {
            let employees: Vec<Value> = resp.json().await.context("reading the employees")?;
            for e in employees.iter().filter(|e| e["active"] == true) {
                for x in e["extensions"].as_array().into_iter().flatten() {
                    extensions.extend(x.as_str().map(str::to_owned));
                }
            }
        } else {
            eprintln!(
                "note: the token may not list employees ({}): calls name no operator",
                resp.status()
            );
        }
        let mut client_numbers = Vec::new();
        let resp = self.get("/api/v1/clients?limit=200").await?;
        if resp.status().is_success() {
            let clients: Vec<Value> = resp.json().await.context("reading the clients")?;
            for p in clients
                .iter()
                .flat_map(|c| c["phones"].as_array().into_iter().flatten())
            {
                if let Some(n) = p["e164"].as_str().or(p["number"].as_str()) {
                    client_numbers.push(n.to_owned());
                }
            }
        } else {
            eprintln!(
                "note: the token may not list clients ({}; it needs view_clients): every caller is a stranger",
                resp.status()
            );
        }
        let country = match country {
            Some(c) => Country::parse(c).map_err(|e| anyhow::anyhow!("--country: {e}"))?,
            None => client_numbers
                .iter()
                .find_map(|n| phone::country_of(n))
                .context("the company has no client numbers to tell its country by: give --country, e.g. --country UA")?,
        };
        Ok(SimCompany {
            country,
            extensions,
            client_numbers,
            queues: vec!["repairs".into(), "sales".into()],
        })
    }
}

/// When calls start and until when.
pub struct Plan {
    /// Calls per minute, on average.
    pub rate: f64,
    /// No call starts at or after this; `None`: until stopped.
    pub until: Option<Timestamp>,
    /// The first call is the generator's `opening_call` (the demo's).
    pub opening_call: bool,
}

/// What a run sent and how the server answered (R-X4: 202 accepted, 200 a
/// repeat, anything else rejected).
#[derive(Debug, Default)]
pub struct Summary {
    pub calls: usize,
    pub scenarios: BTreeMap<Scenario, usize>,
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Requests that got no answer (the server went away).
    pub undelivered: usize,
}

impl Summary {
    pub fn events(&self) -> usize {
        self.accepted + self.duplicate + self.rejected + self.undelivered
    }

    pub fn print(&self) {
        println!("calls: {}", self.calls);
        let kinds: Vec<String> = self
            .scenarios
            .iter()
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        println!("  {}", kinds.join(", "));
        println!(
            "events: {} sent: {} accepted, {} duplicate, {} rejected",
            self.events(),
            self.accepted,
            self.duplicate,
            self.rejected
        );
        if self.undelivered > 0 {
            println!(
                "not delivered: {} (no answer from the server)",
                self.undelivered
            );
        }
    }
}

enum Answer {
    Accepted,
    Duplicate,
    Rejected(String),
    Unauthorized,
    Undelivered(String),
}

/// Sends the generator's calls at their times until the plan ends (then
/// the calls in progress finish) or `stop` completes.
pub async fn send_traffic(
    target: &Target,
    mut generator: Generator,
    plan: Plan,
    stop: impl Future<Output = ()>,
) -> anyhow::Result<Summary> {
    let mut summary = Summary::default();
    // Deliveries waiting for their time, by (send time, order of making).
    let mut pending: BTreeMap<(Timestamp, u64), RawCallEvent> = BTreeMap::new();
    let mut made = 0u64;
    let mut next_start = Some(Timestamp::now());
    let mut opening = plan.opening_call;
    let mut in_flight: JoinSet<Answer> = JoinSet::new();
    let mut complained = 0;
    tokio::pin!(stop);
    loop {
        let now = Timestamp::now();
        while let Some(start) = next_start.filter(|s| *s <= now) {
            let call = if std::mem::take(&mut opening) {
                generator.opening_call(start)
            } else {
                generator.call(start)
            };
            summary.calls += 1;
            *summary.scenarios.entry(call.scenario).or_default() += 1;
            for d in call.deliveries {
                pending.insert((d.send_at, made), d.event);
                made += 1;
            }
            let next = generator.next_start(start, plan.rate);
            next_start = match plan.until {
                Some(until) if next >= until => None,
                _ => Some(next),
            };
        }
        while let Some(entry) = pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let event = entry.remove();
            let target = target.clone();
            in_flight.spawn(async move { target.post(&event).await });
        }
        let wake = match (pending.keys().next().map(|k| k.0), next_start) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        let wait = Duration::try_from(wake.duration_since(now)).unwrap_or(Duration::ZERO);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = &mut stop => break,
            Some(done) = in_flight.join_next() => {
                tally(&mut summary, done, &mut complained)?;
            }
        }
    }
    while let Some(done) = in_flight.join_next().await {
        tally(&mut summary, done, &mut complained)?;
    }
    Ok(summary)
}

fn tally(
    summary: &mut Summary,
    done: Result<Answer, tokio::task::JoinError>,
    complained: &mut usize,
) -> anyhow::Result<()> {
    // A few examples of what went wrong are enough; the summary counts them all.
    let mut complain = |what: String| {
        if *complained < 5 {
            eprintln!("{what}");
        }
        *complained += 1;
    };
    match done.context("a sender failed")? {
        Answer::Accepted => summary.accepted += 1,
        Answer::Duplicate => summary.duplicate += 1,
        Answer::Rejected(why) => {
            summary.rejected += 1;
            complain(format!("rejected: {why}"));
        }
        Answer::Undelivered(why) => {
            summary.undelivered += 1;
            complain(format!("not delivered: {why}"));
        }
        Answer::Unauthorized => {
            bail!("the server refused the token (401 unauthorized): check --token")
        }
    }
    Ok(())
}

impl Target {
    async fn post(&self, event: &RawCallEvent) -> Answer {
        let resp = self
            .http
            .post(format!("{}/api/v1/telephony/events", self.base))
            .bearer_auth(&self.token)
            .json(&event_json(event))
            .send()
            .await;
        match resp {
            Err(e) => Answer::Undelivered(e.to_string()),
            Ok(r) => match r.status().as_u16() {
                202 => Answer::Accepted,
                200 => Answer::Duplicate,
                401 => Answer::Unauthorized,
                status => {
                    Answer::Rejected(format!("{status} {}", r.text().await.unwrap_or_default()))
                }
            },
        }
    }
}

/// R-X4's JSON object: the fields the event has.
fn event_json(e: &RawCallEvent) -> Value {
    let mut m = Map::new();
    let fields = [
        ("event_id", &e.event_id),
        ("call_id", &e.call_id),
        ("direction", &e.direction),
        ("state", &e.state),
        ("at", &e.at),
        ("from", &e.from),
        ("to", &e.to),
        ("operator", &e.operator),
        ("queue", &e.queue),
        ("recording_url", &e.recording_url),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            m.insert(name.to_owned(), json!(v));
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_as_seconds_or_friendly_text_and_must_be_positive() {
        assert_eq!(parse_duration("90"), Ok(SignedDuration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(SignedDuration::from_mins(10)));
        assert_eq!(parse_duration("1h 30m"), Ok(SignedDuration::from_mins(90)));
        assert!(parse_duration("0").unwrap_err().contains("more than zero"));
        assert!(parse_duration("soon").unwrap_err().contains("soon"));
    }

    #[test]
    fn an_event_is_sent_with_the_fields_it_has_r_x4() {
        let e = RawCallEvent {
            event_id: Some("e".into()),
            call_id: Some("c".into()),
            state: Some("ringing".into()),
            ..Default::default()
        };
        assert_eq!(
            event_json(&e),
            json!({"event_id": "e", "call_id": "c", "state": "ringing"})
        );
    }

    #[test]
    fn a_url_that_is_not_http_is_refused_naming_it() {
        for bad in ["localhost:8080", "ftp://x", "not a url"] {
            let err = Target::new(bad, "t".into()).err().unwrap().to_string();
            assert!(err.contains("--url") && err.contains(bad), "{err}");
        }
        assert!(Target::new("http://127.0.0.1:8080/", "t".into()).is_ok());
    }
}

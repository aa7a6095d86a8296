//! `ringdesk bench dashboard` (issue 13 item 7): how long the dashboard of
//! R-U4 takes for 30 days as the calls stored grow, and whether its roll-ups
//! equal what the raw calls give.
//!
//! On a fresh database (a temporary SQLite file, or `--database-url`, which
//! must hold no company; a PostgreSQL database is best made for the run and
//! dropped after it) the bench signs up one company with 20 operators, then
//! for each step of `--steps` (default 1,000,000 and 10,000,000 calls in all)
//! loads call rows in bulk spread over the year before `--until`
//! (`Store::load_calls`: rows as their events would leave them, not through
//! HTTP) and brings the roll-ups up to date through the job runner's own path
//! (`Store::roll_up_pending`: the same `contribution`/`delta` as every
//! event). It then times `--samples` reads of the last 30 days' dashboard
//! (`Store::dashboard` and the report the API sends) and prints p50/p95/max,
//! and checks, for `--check-days` whole days, that every roll-up figure (all
//! dimensions, the speed-of-answer histogram) equals the one computed from
//! that day's raw calls.

use anyhow::{bail, Context};
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use ringdesk_app::accounts::{CompanyInput, EmployeeInput, OwnerInput};
use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::company::Permission;
use ringdesk_store::{LoadedCall, Store};
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct DashboardArgs {
    /// A database to fill (it must hold no company yet); default: a temporary SQLite file.
    #[arg(long)]
    database_url: Option<String>,
    /// The total calls stored at each measurement, in ascending order.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000_000usize, 10_000_000])]
    steps: Vec<usize>,
    /// Dashboard reads per measurement.
    #[arg(long, default_value_t = 30)]
    samples: usize,
    /// Whole days whose roll-ups are checked against the raw calls.
    #[arg(long, default_value_t = 3)]
    check_days: usize,
    /// The end of the year the calls are spread over (RFC 3339).
    #[arg(long, default_value = "2026-11-01T00:00:00Z")]
    until: String,
}

const OPERATORS: usize = 20;
const QUEUES: [&str; 3] = ["repairs", "parts", "billing"];
const LINES: [&str; 5] = [
    "+380441234567",
    "+380441234568",
    "+380441234569",
    "+380442000000",
    "+380443000000",
];

/// A small deterministic generator (xorshift64*): the same calls every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Call number `i`, placed in the year before `until` by a Weyl sequence
/// (i × the golden ratio, modulo 1), so that the first N calls, for any N,
/// are spread evenly over the whole year.
fn call(i: usize, until: Timestamp, operators: &[i64], rng: &mut Rng) -> LoadedCall {
    let year = 365 * 86_400_000i64;
    let frac = ((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) as f64 / (1u64 << 53) as f64;
    let offset = (frac * year as f64) as i64;
    let first_seen = until - SignedDuration::from_millis(year - offset);
    let operator = operators[rng.below(operators.len() as u64) as usize];
    let outbound = rng.below(10) < 2;
    let roll = rng.below(100);
    let secs = |s: u64| SignedDuration::from_secs(s as i64);
    let mut c = LoadedCall {
        external_id: format!("bench-{i}"),
        direction: if outbound {
            Direction::OutboundManual
        } else {
            Direction::Inbound
        },
        state: CallState::Completed,
        missed: false,
        from: format!("+38067{:07}", rng.below(10_000_000)),
        to: LINES[rng.below(LINES.len() as u64) as usize].to_owned(),
        first_seen,
        answered: None,
        ended: None,
        operator_id: None,
        queue: None,
        line_key: None,
        recovered: false,
        recoveries: 0,
        recoveries_seconds: 0,
    };
    if outbound {
        std::mem::swap(&mut c.from, &mut c.to);
        c.operator_id = Some(operator);
        if roll < 70 {
            let a = first_seen + secs(3 + rng.below(25));
            c.answered = Some(a);
            c.ended = Some(a + secs(10 + rng.below(600)));
        } else {
            c.state = CallState::NoAnswer;
            c.ended = Some(first_seen + secs(30));
        }
        if rng.below(3) == 0 {
            c.recoveries = 1;
            c.recoveries_seconds = 60 + rng.below(20_000) as i64;
        }
        return c;
    }
    c.line_key = Some(c.to.clone());
    if rng.below(2) == 0 {
        c.queue = Some(QUEUES[rng.below(QUEUES.len() as u64) as usize].to_owned());
    }
    if roll < 75 {
        let a = first_seen + secs(rng.below(90));
        c.operator_id = Some(operator);
        c.answered = Some(a);
        c.ended = Some(a + secs(10 + rng.below(900)));
    } else {
        c.missed = true;
        c.recovered = rng.below(10) < 6;
        if roll < 88 {
            c.state = CallState::Cancelled;
            c.ended = Some(first_seen + secs(2 + rng.below(120)));
        } else {
            c.state = CallState::NoAnswer;
            c.operator_id = Some(operator);
            c.ended = Some(first_seen + secs(30));
        }
    }
    c
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

pub async fn dashboard(args: DashboardArgs) -> anyhow::Result<()> {
    if args.steps.is_empty() || args.steps.windows(2).any(|w| w[0] >= w[1]) {
        bail!("--steps must be one or more totals in ascending order, like 1000000,10000000");
    }
    if args.samples == 0 {
        bail!("--samples must be at least 1");
    }
    let until = ringdesk_domain::time::rfc3339(&args.until)
        .with_context(|| format!("--until {:?} is not an RFC 3339 time", args.until))?;
    let (url, _temp) = super::bench_database(args.database_url.clone(), "dashboard");
    crate::config::init_logging("warn");
    ringdesk_domain::phone::warm_up();
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("opening the bench database {url}"))?;
    if store.has_company().await? {
        bail!("the bench database already holds a company: give it an empty one");
    }
    let fail = |e: ringdesk_app::Error| anyhow::anyhow!("{e}");
    let signed = ringdesk_app::accounts::create_company(
        &store,
        &CompanyInput {
            name: "Bench Repairs".into(),
            country: "UA".into(),
            time_zone: "Europe/Kyiv".into(),
            locale: "en".into(),
        },
        &OwnerInput {
            name: "Bench Owner".into(),
            email: "owner@bench.example".into(),
            password: "bench password 1".to_owned().into(),
        },
    )
    .await
    .map_err(fail)?;
    let company_id = signed.company_id;
    let actor = crate::cli_actor();
    let mut operators = Vec::new();
    for i in 0..OPERATORS {
        let e = ringdesk_app::accounts::add_employee(
            &store,
            company_id,
            &EmployeeInput {
                name: format!("Operator {i}"),
                email: format!("op{i}@bench.example"),
                password: "bench password 1".to_owned().into(),
                permissions: vec![Permission::ViewAllCalls.as_str().to_owned()],
                extensions: vec![format!("{}", 200 + i)],
            },
            None,
            &actor,
            Timestamp::now(),
        )
        .await
        .map_err(fail)?;
        operators.push(e.id);
    }
    let company = store.company(company_id).await?;
    let tz = jiff::tz::TimeZone::get(&company.time_zone)?;
    println!(
        "ringdesk bench dashboard: {} ({}), one company, {OPERATORS} operators, calls spread over the year before {until}",
        if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        ringdesk_store::redacted_url(&url),
    );
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut stored = 0usize;
    for &step in &args.steps {
        // Load up to `step` calls, in batches through the same roll-up path as production.
        let t = Instant::now();
        let batch = 50_000;
        while stored < step {
            let n = batch.min(step - stored);
            let calls: Vec<LoadedCall> = (stored..stored + n)
                .map(|i| call(i, until, &operators, &mut rng))
                .collect();
            store.load_calls(company_id, &calls).await?;
            stored += n;
        }
        let loaded = t.elapsed();
        let t = Instant::now();
        let mut rolled = 0;
        loop {
            let n = store.roll_up_pending(1_000_000).await?;
            rolled += n;
            if n == 0 {
                break;
            }
        }
        let rolled_in = t.elapsed();
        println!(
            "{stored} calls stored: loaded in {:.1} s, {rolled} added to the roll-ups in {:.1} s ({:.0} calls/s)",
            loaded.as_secs_f64(),
            rolled_in.as_secs_f64(),
            rolled as f64 / rolled_in.as_secs_f64().max(1e-9)
        );
        // The last 30 days' dashboard, as the API reads and reports it.
        let to = until;
        let from = to - SignedDuration::from_hours(24 * 30);
        let mut times = Vec::with_capacity(args.samples);
        let mut offered = 0;
        for _ in 0..args.samples + 2 {
            let t = Instant::now();
            let data = store.dashboard(company_id, from, to).await?;
            let inbound = data
                .figures
                .by_key(ringdesk_domain::dashboard::Dim::Direction)
                .get("inbound")
                .copied()
                .unwrap_or_default();
            let p90 = ringdesk_domain::dashboard::percentile(&data.figures.histogram, 90);
            offered = inbound.calls;
            std::hint::black_box(p90);
            times.push(t.elapsed());
        }
        times.drain(..2); // warm-up
        times.sort();
        let pick = |q: f64| {
            let i = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1;
            ms(times[i])
        };
        println!(
            "  dashboard, 30 days ({offered} calls offered): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} reads",
            pick(0.5),
            pick(0.95),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            times.len()
        );
        // Whole days: the roll-ups against the raw calls, every figure.
        for k in 0..args.check_days {
            let day = (until - SignedDuration::from_hours(24 * (5 + 37 * k as i64)))
                .to_zoned(tz.clone())
                .date();
            let start = day.to_zoned(tz.clone())?.timestamp();
            let end = day.tomorrow()?.to_zoned(tz.clone())?.timestamp();
            let (rolled, raw) = store.rollups_and_raw(company_id, start, end).await?;
            for dim in ringdesk_domain::dashboard::Dim::ALL {
                if rolled.by_key(dim) != raw.by_key(dim) {
                    bail!(
                        "the roll-ups of {day} ({}) differ from the raw calls",
                        dim.as_str()
                    );
                }
            }
            if rolled.histogram != raw.histogram {
                bail!("the speed-of-answer histogram of {day} differs from the raw calls");
            }
            let calls: i64 = raw
                .by_key(ringdesk_domain::dashboard::Dim::Direction)
                .values()
                .map(|m| m.calls)
                .sum();
            println!("  {day}: roll-ups equal the raw calls ({calls} calls, every dimension and the histogram)");
        }
    }
    store.close().await;
    Ok(())
}

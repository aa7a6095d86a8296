//! `ringdesk bench ingest`: drives a running server through its public
//! webhook, as a phone system would, and reports durable events per second
//! and the acknowledgement latency (p50/p99). Numbers come from here, never
//! from timed assertions in tests. [`pages`]: `ringdesk bench pages`;
//! [`dashboard`]: `ringdesk bench dashboard`.

pub mod dashboard;
pub mod pages;

/// A bench's temporary SQLite file, removed (with its WAL) when the bench ends.
pub(crate) struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The database a bench fills: the one named, else a temporary SQLite file
/// `ringdesk-bench-<name>-<pid>.db` removed afterwards.
pub(crate) fn bench_database(url: Option<String>, name: &str) -> (String, Option<TempFile>) {
    match url {
        Some(u) => (u, None),
        None => {
            let path = std::env::temp_dir()
                .join(format!("ringdesk-bench-{name}-{}.db", std::process::id()));
            (format!("sqlite://{}", path.display()), Some(TempFile(path)))
        }
    }
}

use anyhow::{bail, Context};
use clap::Args;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// No `Debug`: it holds an API token.
#[derive(Args)]
pub struct IngestArgs {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// How many calls to send (each is 4 events: queued, ringing, answered, completed).
    #[arg(long, short = 'n', default_value_t = 2000)]
    calls: usize,
    /// How many senders post at once.
    #[arg(long, short = 'c', default_value_t = 32)]
    concurrency: usize,
    /// An API token; without one the bench signs up a company of its own.
    #[arg(long, env = "RINGDESK_BENCH_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

pub async fn ingest(args: IngestArgs) -> anyhow::Result<()> {
    if args.calls == 0 || args.concurrency == 0 {
        bail!("--calls and --concurrency must be at least 1");
    }
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let base = args.url.trim_end_matches('/').to_owned();
    let token = match args.token {
        Some(t) => t,
        None => sign_up(&http, &base).await?,
    };
    let run_id = jiff::Timestamp::now().as_millisecond();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut senders = Vec::new();
    for _ in 0..args.concurrency {
        let (http, base, token, next) = (http.clone(), base.clone(), token.clone(), next.clone());
        let calls = args.calls;
        senders.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= calls {
                    break;
                }
                let t0 = jiff::Timestamp::from_second(1_781_874_000 + (i as i64 % 86_400))
                    .expect("valid time");
                for (k, state) in ["queued", "ringing", "answered", "completed"]
                    .into_iter()
                    .enumerate()
                {
                    let at = t0 + jiff::SignedDuration::from_secs(k as i64 * 10);
                    let body = json!({
                        "event_id": format!("bench-{run_id}-{i}-{k}"),
                        "call_id": format!("bench-{run_id}-{i}"),
                        "direction": "inbound",
                        "state": state,
                        "at": at.to_string(),
                        "from": format!("+38067{:07}", i % 10_000_000),
                        "to": "+380441234567",
                    });
                    let t = Instant::now();
                    let resp = http
                        .post(format!("{base}/api/v1/telephony/events"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await?;
                    let status = resp.status();
                    if status.as_u16() != 202 {
                        bail!(
                            "event {i}/{k} answered {status}: {}",
                            resp.text().await.unwrap_or_default()
                        );
                    }
                    latencies.push(t.elapsed());
                }
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut all: Vec<Duration> = Vec::with_capacity(args.calls * 4);
    for s in senders {
        all.extend(s.await.context("a sender panicked")??);
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    let pick = |q: f64| all[((q * all.len() as f64).ceil() as usize).clamp(1, all.len()) - 1];
    println!(
        "workload: {} calls x 4 events = {} events, {} concurrent senders, one event per request",
        args.calls,
        all.len(),
        args.concurrency
    );
    println!("elapsed:  {:.2} s", elapsed.as_secs_f64());
    println!("events/s: {:.0}", all.len() as f64 / elapsed.as_secs_f64());
    println!("ack p50:  {:.2} ms", pick(0.50).as_secs_f64() * 1e3);
    println!("ack p99:  {:.2} ms", pick(0.99).as_secs_f64() * 1e3);
    Ok(())
}

async fn sign_up(http: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let stamp = jiff::Timestamp::now().as_microsecond();
    let resp = http
        .post(format!("{base}/api/v1/signup"))
        .json(&json!({
            "company": {"name": "Bench", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"},
            "owner": {"name": "Bench", "email": format!("bench-{stamp}@example.com"), "password": "bench-password"}
        }))
        .send()
        .await
        .with_context(|| format!("signing up a bench company at {base}: is the server running?"))?;
    if !resp.status().is_success() {
        bail!(
            "signing up a bench company answered {}: {}",
            resp.status(),
            resp.text().await.unwrap_or_default()
        );
    }
    let v: serde_json::Value = resp.json().await?;
    v["api_token"]
        .as_str()
        .map(str::to_owned)
        .context("the signup answer has no api_token")
}

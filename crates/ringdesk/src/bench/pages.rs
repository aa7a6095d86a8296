//! `ringdesk bench pages` (issue 11, item 9): the server time of every main
//! page on a full company, and the time from posting a call event to its
//! event reaching many connected live streams (R-X7).
//!
//! The bench starts Ringdesk in this process on a fresh database (a temporary
//! SQLite file unless `--database-url` names one, which must be empty), signs
//! a company up and fills it through the public API, as a shop would: clients
//! (`POST /api/v1/clients`), leads (`POST /api/v1/leads`) and calls (batches of
//! `POST /api/v1/telephony/events`, a ringing and an end event each; one call
//! in four is missed). Browser sessions are made directly in the store (not
//! through a password check per session). Each page is then fetched
//! `--samples` times in a row with the owner's session, after a warm-up, and
//! its p50/p95/max printed; then `--streams` live streams are opened and
//! `--rounds` calls posted one after another, each timed from the POST to
//! its `call` event arriving on every stream (p50/p99/max over all of them).
//! The client runs in the same process as the server: its work is in the
//! figures.

use anyhow::{bail, Context};
use clap::Args;
use jiff::Timestamp;
use ringdesk_app::credentials::{random_hex, token_hash};
use ringdesk_store::{Actor, Store};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct PagesArgs {
    /// A database to fill (it must hold no company yet); default: a temporary SQLite file.
    #[arg(long)]
    database_url: Option<String>,
    /// Calls to store (each: ringing, then completed or, one in four, cancelled).
    #[arg(long, default_value_t = 100_000)]
    calls: usize,
    /// Clients to store.
    #[arg(long, default_value_t = 20_000)]
    clients: usize,
    /// Leads to store.
    #[arg(long, default_value_t = 10_000)]
    leads: usize,
    /// Requests per page.
    #[arg(long, default_value_t = 50)]
    samples: usize,
    /// Live streams connected at once.
    #[arg(long, default_value_t = 1_000)]
    streams: usize,
    /// Call events posted while the streams listen.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
}

/// A percentile by the nearest-rank method, of sorted durations, in ms.
fn pick(sorted: &[Duration], q: f64) -> f64 {
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

struct Server {
    base: String,
    store: Store,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _temp: Option<super::TempFile>,
}

async fn start(database_url: Option<String>) -> anyhow::Result<Server> {
    let (url, temp) = super::bench_database(database_url, "pages");
    crate::config::init_logging("warn");
    ringdesk_domain::phone::warm_up();
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("opening the bench database {url}"))?;
    if store.has_company().await? {
        bail!("the bench database already holds a company: give it an empty one");
    }
    let state = ringdesk_web::AppState {
        store: store.clone(),
        secure_cookies: false,
        signup: ringdesk_domain::signup::SignupPolicy::FirstCompany,
        outbound: Default::default(),
        twilio_api: ringdesk_telephony::twilio::API_BASE.to_owned(),
    };
    let app = ringdesk_web::Application::build_with(state, "127.0.0.1:0".parse()?).await?;
    let base = format!("http://{}", app.local_addr());
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    Ok(Server {
        base,
        store,
        stop,
        task,
        _temp: temp,
    })
}

/// Sends `bodies` to `path` from 8 senders; every answer must be a success.
async fn post_all(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    bodies: Vec<Value>,
) -> anyhow::Result<Vec<Value>> {
    let bodies = Arc::new(bodies);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let retried = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut senders = vec![];
    for _ in 0..8 {
        let (http, bodies, next, retried) =
            (http.clone(), bodies.clone(), next.clone(), retried.clone());
        let url = format!("{base}{path}");
        let token = token.to_owned();
        senders.push(tokio::spawn(async move {
            let mut out = vec![];
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = bodies.get(i) else { break };
                // A request the server timed out (408) is sent again, as a
                // phone system would: events are recognised by their ids, so a
                // repeat stores nothing twice. The count is reported.
                let mut tries = 0;
                let r = loop {
                    let r = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(body)
                        .send()
                        .await?;
                    if r.status() == reqwest::StatusCode::REQUEST_TIMEOUT && tries < 5 {
                        tries += 1;
                        retried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        continue;
                    }
                    break r;
                };
                if !r.status().is_success() {
                    bail!("POST {url} answered {}: {}", r.status(), r.text().await?);
                }
                out.push((i, r.json::<Value>().await?));
            }
            anyhow::Ok(out)
        }));
    }
    let mut all = vec![];
    for s in senders {
        all.extend(s.await??);
    }
    all.sort_by_key(|(i, _)| *i);
    let retried = retried.load(std::sync::atomic::Ordering::Relaxed);
    if retried > 0 {
        println!("{path}: {retried} requests timed out (408) and were sent again");
    }
    Ok(all.into_iter().map(|(_, v)| v).collect())
}

fn phone(i: usize) -> String {
    format!("+38067{:07}", i % 10_000_000)
}

pub async fn pages(args: PagesArgs) -> anyhow::Result<()> {
    if args.samples == 0 || args.rounds == 0 {
        bail!("--samples and --rounds must be at least 1");
    }
    let server = start(args.database_url.clone()).await?;
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let t = Instant::now();
    let signup: Value = http
        .post(format!("{base}/api/v1/signup"))
        .json(&json!({
            "company": {"name": "Bench Repairs", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"},
            "owner": {"name": "Bench Owner", "email": "bench@example.com", "password": "bench-password"}
        }))
        .send()
        .await?
        .json()
        .await?;
    let token = signup["api_token"]
        .as_str()
        .context("the sign-up answer has no api_token")?
        .to_owned();
    let company_id = signup["company_id"].as_i64().context("company id")?;
    let owner_id = signup["owner_id"].as_i64().context("owner id")?;

    let clients: Vec<Value> = (0..args.clients)
        .map(|i| json!({"name": format!("Client {i}"), "phones": [{"number": phone(i)}]}))
        .collect();
    let clients = post_all(&http, &base, &token, "/api/v1/clients", clients).await?;
    let leads: Vec<Value> = (0..args.leads)
        .map(|i| {
            json!({"client_name": format!("Lead client {i}"), "phone": phone(i + 5_000_000),
                   "manager_id": owner_id, "urgent": i % 7 == 0})
        })
        .collect();
    let leads = post_all(&http, &base, &token, "/api/v1/leads", leads).await?;
    let start_at = Timestamp::now() - jiff::SignedDuration::from_hours(24 * 30);
    let batches: Vec<Value> = (0..args.calls)
        .collect::<Vec<_>>()
        .chunks(50)
        .map(|chunk| {
            let events: Vec<Value> = chunk
                .iter()
                .flat_map(|&i| {
                    let at = start_at + jiff::SignedDuration::from_secs(i as i64 * 20);
                    let end = if i % 4 == 0 { "cancelled" } else { "completed" };
                    // Half of the callers are clients, so calls link to them.
                    let from = phone(if i % 2 == 0 { i % args.clients.max(1) } else { 7_000_000 + i });
                    [("ringing", 0), (end, 60)].map(|(state, secs)| {
                        json!({"event_id": format!("bench-{i}-{state}"), "call_id": format!("bench-{i}"),
                               "direction": "inbound", "state": state,
                               "at": (at + jiff::SignedDuration::from_secs(secs)).to_string(),
                               "from": from, "to": "+380441234567"})
                    })
                })
                .collect();
            Value::Array(events)
        })
        .collect();
    post_all(&http, &base, &token, "/api/v1/telephony/events", batches).await?;
    println!(
        "filled: {} clients, {} leads, {} calls ({} events) in {:.1} s through the API ({})",
        clients.len(),
        leads.len(),
        args.calls,
        args.calls * 2,
        t.elapsed().as_secs_f64(),
        server.store.backend_name()
    );

    // Sessions made directly: the cookie a browser would hold after signing in.
    let session = |store: Store| async move {
        let cookie = random_hex(32);
        let now = Timestamp::now();
        store
            .create_session(
                company_id,
                owner_id,
                &token_hash(&cookie),
                now + jiff::SignedDuration::from_hours(8),
                &Actor {
                    employee_id: Some(owner_id),
                    token_id: None,
                    address: None,
                },
                now,
            )
            .await?;
        anyhow::Ok(format!("{}={cookie}", ringdesk_web::auth::SESSION_COOKIE))
    };
    let cookie = session(server.store.clone()).await?;

    let client_id = clients[clients.len() / 2]["id"].as_i64().unwrap_or(1);
    let lead_id = leads[leads.len() / 2]["id"].as_i64().unwrap_or(1);
    let call: Value = http
        .get(format!("{base}/api/v1/calls?limit=1"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    let call_id = call[0]["id"].as_i64().unwrap_or(1);
    let pages = [
        ("home", "/".to_owned()),
        ("calls", "/calls".to_owned()),
        (
            "missed calls",
            "/calls?missed=true&recovered=false".to_owned(),
        ),
        ("call", format!("/calls/{call_id}")),
        ("clients", "/clients".to_owned()),
        ("client search", "/clients?q=Client%2012345".to_owned()),
        ("client", format!("/clients/{client_id}")),
        ("leads", "/leads".to_owned()),
        ("lead", format!("/leads/{lead_id}/edit")),
        ("new lead", "/leads/new".to_owned()),
        ("orders", "/orders".to_owned()),
        ("quotes", "/quotes".to_owned()),
        ("tasks", "/tasks".to_owned()),
        ("notifications", "/notifications".to_owned()),
        ("settings", "/settings".to_owned()),
        ("automation", "/settings/telephony".to_owned()),
    ];
    println!(
        "\npage server time, {} requests each after 3 to warm up, one at a time:",
        args.samples
    );
    println!(
        "{:<15} {:<40} {:>6} {:>9} {:>9} {:>9}",
        "page", "path", "status", "p50 ms", "p95 ms", "max ms"
    );
    for (name, path) in &pages {
        let url = format!("{base}{path}");
        let get = || http.get(&url).header("cookie", &cookie).send();
        let mut status = 0;
        for _ in 0..3 {
            let r = get().await?;
            status = r.status().as_u16();
            r.bytes().await?;
        }
        if status != 200 {
            println!(
                "{name:<15} {path:<40} {status:>6}   (not measured: the page did not answer 200)"
            );
            continue;
        }
        let mut times = Vec::with_capacity(args.samples);
        for _ in 0..args.samples {
            let t = Instant::now();
            let r = get().await?;
            let ok = r.status().is_success();
            r.bytes().await?;
            times.push(t.elapsed());
            if !ok {
                bail!("{path} stopped answering 200");
            }
        }
        times.sort_unstable();
        println!(
            "{name:<15} {path:<40} {status:>6} {:>9.2} {:>9.2} {:>9.2}",
            pick(&times, 0.5),
            pick(&times, 0.95),
            pick(&times, 1.0)
        );
    }

    live(&args, &server, &http, &token, session).await?;

    let _ = server.stop.send(());
    server.task.await??;
    server.store.close().await;
    Ok(())
}

/// Opens `--streams` live streams of the owner (each its own session), posts
/// `--rounds` calls and times each one's arrival on every stream.
async fn live<F, Fut>(
    args: &PagesArgs,
    server: &Server,
    http: &reqwest::Client,
    token: &str,
    session: F,
) -> anyhow::Result<()>
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<String>>,
{
    // Each stream is two sockets in this process (client and server end).
    let want = (args.streams as u64) * 2 + 1_024;
    let limit = rlimit::increase_nofile_limit(want).context("raising the open-file limit")?;
    if limit < want {
        bail!(
            "the open-file limit is {limit}; {} streams need {want}",
            args.streams
        );
    }
    let base = &server.base;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Instant)>();
    let mut readers = vec![];
    let stream_http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    for _ in 0..args.streams {
        let cookie = session(server.store.clone()).await?;
        let (http, tx, ready) = (stream_http.clone(), tx.clone(), ready_tx.clone());
        let url = format!("{base}/api/v1/live");
        readers.push(tokio::spawn(async move {
            let mut r = http
                .get(url)
                .header("cookie", cookie)
                .header("accept", "text/event-stream")
                .send()
                .await?;
            if !r.status().is_success() {
                bail!("GET /api/v1/live answered {}", r.status());
            }
            let _ = ready.send(());
            let mut buf = String::new();
            while let Some(chunk) = r.chunk().await? {
                let at = Instant::now();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let event: String = buf.drain(..end + 2).collect();
                    if let Some(i) = event
                        .split("\"external_id\":\"live-bench-")
                        .nth(1)
                        .and_then(|rest| rest.split('"').next())
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        let _ = tx.send((i, at));
                    }
                }
            }
            anyhow::Ok(())
        }));
    }
    drop(ready_tx);
    for _ in 0..args.streams {
        ready_rx
            .recv()
            .await
            .context("a live stream did not open")?;
    }
    println!(
        "\nlive streams: {} connected (one session each); {} calls posted one after another",
        args.streams, args.rounds
    );
    let mut all = Vec::with_capacity(args.streams * args.rounds);
    for round in 0..args.rounds {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let body = json!({"event_id": format!("live-bench-{round}"), "call_id": format!("live-bench-{round}"),
            "direction": "inbound", "state": "ringing", "at": Timestamp::now().to_string(),
            "from": "+380671234567", "to": "+380441234567"});
        let t0 = Instant::now();
        let r = http
            .post(format!("{base}/api/v1/telephony/events"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await?;
        if r.status().as_u16() != 202 {
            bail!("posting a live bench call answered {}", r.status());
        }
        let mut got = 0;
        let deadline = t0 + Duration::from_secs(30);
        while got < args.streams {
            let Ok(Some((i, at))) = tokio::time::timeout_at(deadline.into(), rx.recv()).await
            else {
                bail!(
                    "round {round}: only {got} of {} streams saw the call within 30 s",
                    args.streams
                );
            };
            if i == round {
                all.push(at.duration_since(t0));
                got += 1;
            }
        }
    }
    for r in readers {
        r.abort();
    }
    all.sort_unstable();
    println!(
        "post → event on every stream: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} deliveries)",
        pick(&all, 0.5),
        pick(&all, 0.99),
        pick(&all, 1.0),
        all.len()
    );
    Ok(())
}

//! `ringdesk agent` (issue 12 item 6, R-I3): runs at the shop, holds the AMI
//! connection to the PBX on the shop's network and forwards the tracker's
//! call events to a hosted Ringdesk's public webhook
//! (`POST /api/v1/telephony/events`, the batch form), so the hosted service
//! never reaches into the shop's network.
//!
//! Keeps true: an event read from the PBX is kept until the server has
//! answered for it (stored, a repeat, or refused for good); a failed upload is
//! retried with a doubling back-off (1 s … 30 s), across server restarts and
//! network drops. Repeats are harmless: event ids are stable (`ami:{linkedid}:…`)
//! and the server stores each once. With `--signing-secret` each batch carries
//! Standard Webhooks headers (R-I1). At most [`MAX_PENDING`] events wait; past
//! that the oldest are dropped with an error in the log.

use anyhow::{bail, Context};
use clap::Args;
use ringdesk_domain::event::RawCallEvent;
use ringdesk_telephony::ami::client::{follow, AmiLogin, AmiSink, AuthType, Status};
use ringdesk_telephony::ami::tracker::TrackerConfig;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Events kept while the server cannot be reached.
pub const MAX_PENDING: usize = 100_000;
/// Events per upload (the webhook takes 1,000 at most).
pub const BATCH: usize = 200;

/// No `Debug`: it holds secrets.
#[derive(Args)]
pub struct AgentArgs {
    /// The PBX's manager interface, HOST:PORT.
    #[arg(long)]
    ami: String,
    /// The AMI user (manager.conf).
    #[arg(long)]
    user: String,
    /// The AMI user's secret (or RINGDESK_AMI_SECRET).
    #[arg(long, env = "RINGDESK_AMI_SECRET", hide_env_values = true)]
    secret: String,
    /// md5 (the challenge login) or plain.
    #[arg(long, default_value = "md5")]
    auth: String,
    /// The hosted Ringdesk's base URL, e.g. https://ringdesk.example.com.
    #[arg(long)]
    url: String,
    /// An API token of the company with `post_call_events` (or RINGDESK_AGENT_TOKEN).
    #[arg(long, env = "RINGDESK_AGENT_TOKEN", hide_env_values = true)]
    token: String,
    /// The company's webhook signing secret (`whsec_…`), to sign each batch.
    #[arg(long, env = "RINGDESK_SIGNING_SECRET", hide_env_values = true)]
    signing_secret: Option<String>,
    /// The company's extensions (repeat), for the direction of calls.
    #[arg(long = "extension")]
    extensions: Vec<String>,
    /// Dialplan contexts of the shop's own phones (repeat) [default: from-internal].
    #[arg(long = "internal-context")]
    internal_contexts: Vec<String>,
}

pub async fn run(args: AgentArgs) -> anyhow::Result<()> {
    let (host, port) = args
        .ami
        .rsplit_once(':')
        .context("--ami must be HOST:PORT")?;
    let port: u16 = port
        .parse()
        .context("--ami's port must be a number 1-65535")?;
    let Some(auth) = AuthType::parse(&args.auth) else {
        bail!("--auth must be md5 or plain");
    };
    if let Some(s) = &args.signing_secret {
        if ringdesk_web::signature::sign(s, "check", 0, b"").is_none() {
            bail!("--signing-secret is not a webhook secret (whsec_ followed by base64)");
        }
    }
    let login = AmiLogin {
        host: host.trim_matches(['[', ']']).to_owned(),
        port,
        username: args.user,
        secret: SecretString::from(args.secret),
        auth,
    };
    let mut config = TrackerConfig {
        extensions: args.extensions.into_iter().collect(),
        ..TrackerConfig::default()
    };
    if !args.internal_contexts.is_empty() {
        config.internal_contexts = args.internal_contexts;
    }
    let uploader = Uploader {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?,
        endpoint: format!("{}/api/v1/telephony/events", args.url.trim_end_matches('/')),
        token: SecretString::from(args.token),
        signing_secret: args.signing_secret.map(SecretString::from),
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let (stop_tx, stop) = watch::channel(false);
    let upload = tokio::spawn(uploader.run(rx, stop.clone()));
    let mut sink = Forward { tx };
    tracing::info!(ami.host = %login.host, ami.port = login.port, "agent: following the PBX");
    tokio::select! {
        _ = follow(login, config, &mut sink, stop) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    let _ = stop_tx.send(true);
    drop(sink);
    let _ = upload.await;
    Ok(())
}

/// Hands what the connection reads to the uploader.
struct Forward {
    tx: mpsc::UnboundedSender<RawCallEvent>,
}

impl AmiSink for Forward {
    async fn events(&mut self, events: Vec<RawCallEvent>) {
        for e in events {
            let _ = self.tx.send(e);
        }
    }

    async fn gap(&mut self, from: jiff::Timestamp, to: jiff::Timestamp) {
        tracing::warn!(%from, %to, "agent: the PBX connection was down; calls wholly inside this gap are unknown");
    }

    async fn status(&mut self, status: Status) {
        match status {
            Status::LoginRefused(why) => tracing::error!("agent: the PBX refused the login: {why}"),
            Status::Down(why) => tracing::warn!("agent: PBX connection down: {why}"),
            Status::Connected => tracing::info!("agent: connected to the PBX"),
            Status::Connecting => {}
        }
    }
}

struct Uploader {
    http: reqwest::Client,
    endpoint: String,
    token: SecretString,
    signing_secret: Option<SecretString>,
}

fn event_json(e: &RawCallEvent) -> Value {
    let mut v = json!({
        "event_id": e.event_id, "call_id": e.call_id, "direction": e.direction,
        "state": e.state, "at": e.at, "from": e.from, "to": e.to,
    });
    for (k, f) in [
        ("operator", &e.operator),
        ("queue", &e.queue),
        ("recording_url", &e.recording_url),
    ] {
        if let Some(x) = f {
            v[k] = json!(x);
        }
    }
    v
}

/// What the server said of one upload.
enum Answer {
    /// Every item answered (stored, a repeat, or refused for good): drop them.
    Done,
    /// Try again later (network, 5xx, 429, or a credential problem that a
    /// person may fix on the server).
    Later(String),
}

impl Uploader {
    async fn run(self, mut rx: mpsc::UnboundedReceiver<RawCallEvent>, stop: watch::Receiver<bool>) {
        let mut pending: VecDeque<RawCallEvent> = VecDeque::new();
        let mut backoff = Duration::from_secs(1);
        let mut open = true;
        loop {
            // Take what has arrived; wait for more only when nothing waits.
            if pending.is_empty() {
                if !open || *stop.borrow() {
                    return;
                }
                match rx.recv().await {
                    Some(e) => pending.push_back(e),
                    None => open = false,
                }
            }
            while let Ok(e) = rx.try_recv() {
                pending.push_back(e);
            }
            if pending.len() > MAX_PENDING {
                let over = pending.len() - MAX_PENDING;
                pending.drain(..over);
                tracing::error!(
                    dropped = over,
                    "agent: too many events waiting; the oldest were dropped"
                );
            }
            if pending.is_empty() {
                continue;
            }
            let n = pending.len().min(BATCH);
            let batch: Vec<Value> = pending.iter().take(n).map(event_json).collect();
            match self.upload(&batch).await {
                Answer::Done => {
                    pending.drain(..n);
                    backoff = Duration::from_secs(1);
                }
                Answer::Later(why) => {
                    tracing::warn!(
                        waiting = pending.len(),
                        "agent: upload failed, retrying in {}s: {why}",
                        backoff.as_secs()
                    );
                    if *stop.borrow() && !open {
                        return;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
    }

    async fn upload(&self, batch: &[Value]) -> Answer {
        let body = match serde_json::to_vec(batch) {
            Ok(b) => b,
            Err(e) => return Answer::Later(e.to_string()),
        };
        let mut req = self
            .http
            .post(&self.endpoint)
            .bearer_auth(self.token.expose_secret())
            .header("content-type", "application/json");
        if let Some(secret) = &self.signing_secret {
            let id = format!("msg_{:x}", jiff::Timestamp::now().as_nanosecond());
            let ts = jiff::Timestamp::now().as_second();
            if let Some(sig) = ringdesk_web::signature::sign(secret.expose_secret(), &id, ts, &body)
            {
                req = req
                    .header("webhook-id", id)
                    .header("webhook-timestamp", ts.to_string())
                    .header("webhook-signature", sig);
            }
        }
        let r = match req.body(body).send().await {
            Ok(r) => r,
            Err(e) => return Answer::Later(e.to_string()),
        };
        let status = r.status();
        if status.is_success() {
            if let Ok(v) = r.json::<Value>().await {
                for item in v.as_array().into_iter().flatten() {
                    if item["status"] == "rejected" {
                        tracing::error!(item = %item, "agent: the server refused an event");
                    }
                }
            }
            return Answer::Done;
        }
        if status.is_client_error()
            && status.as_u16() != 429
            && status.as_u16() != 401
            && status.as_u16() != 403
        {
            // The whole batch is unreadable to the server: sending it again
            // would not help.
            let text = r.text().await.unwrap_or_default();
            tracing::error!(%status, "agent: the server refused a batch: {text}");
            return Answer::Done;
        }
        Answer::Later(format!("HTTP {status}"))
    }
}

//! Holds the AMI connections of every company that enables AMI (R-I3), on
//! one node at a time: each company's connection is run by the node holding
//! its lease (`ami_lease`, renewed every [`SupervisorConfig::poll`], valid for
//! [`SupervisorConfig::lease`]). A node that dies stops renewing and another
//! takes over when the lease runs out; a node that cannot renew stops its
//! connection before its lease can run out. Settings are polled: a change
//! (or disabling) restarts (or stops) the connection. Events go through
//! `Store::ingest` exactly as the generic webhook's do.

use super::client::{follow, AmiLogin, AmiSink, AuthType, Status};
use super::tracker::TrackerConfig;
use jiff::{SignedDuration, Timestamp};
use ringdesk_domain::event::{CallEvent, RawCallEvent};
use ringdesk_store::{CompanyId, Store};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Whether the installation lets Ringdesk connect to `host` (R-X8's
/// `outbound_allow`; `serve` resolves the host and checks every address with
/// `ringdesk_domain::outbound::OutboundPolicy::check`).
pub type OutboundCheck = Arc<dyn Fn(&str) -> bool + Send + Sync>;

#[derive(Clone)]
pub struct SupervisorConfig {
    /// This node's name in the lease (unique per process).
    pub node: String,
    /// How often settings are read and leases renewed.
    pub poll: Duration,
    /// How long a lease lasts unless renewed (several polls).
    pub lease: Duration,
    pub outbound_allowed: OutboundCheck,
}

impl SupervisorConfig {
    /// A 5 s poll and a 20 s lease, under a random node name.
    pub fn new(outbound_allowed: OutboundCheck) -> Self {
        SupervisorConfig {
            node: format!("node-{:016x}", rand_u64()),
            poll: Duration::from_secs(5),
            lease: Duration::from_secs(20),
            outbound_allowed,
        }
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Timestamp::now().as_nanosecond().unsigned_abs());
    h.write_u32(std::process::id());
    h.finish()
}

/// The running supervisor; [`stop`](Supervisor::stop) ends its connections
/// and gives their leases up.
pub struct Supervisor {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Supervisor {
    pub fn start(store: Store, config: SupervisorConfig) -> Supervisor {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(supervise(store, config, stopped));
        Supervisor { stop, task }
    }

    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Ends at once without giving the leases up: what a node that dies does
    /// (for tests of the takeover).
    pub fn abort(self) {
        self.task.abort();
    }
}

struct Running {
    updated_at: Timestamp,
    held_until: Timestamp,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

async fn supervise(store: Store, config: SupervisorConfig, mut stopped: watch::Receiver<bool>) {
    let mut running: BTreeMap<CompanyId, Running> = BTreeMap::new();
    let lease = SignedDuration::try_from(config.lease).unwrap_or(SignedDuration::from_secs(20));
    let mut tick = tokio::time::interval(config.poll);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stopped.changed() => break,
        }
        let now = Timestamp::now();
        let enabled = match store.ami_enabled_companies().await {
            Ok(list) => list.into_iter().collect::<BTreeMap<_, _>>(),
            Err(e) => {
                tracing::warn!("AMI supervisor cannot read the enabled companies: {e}");
                // Without the database no lease is renewed: stop what would
                // outlive its lease.
                stop_expiring(&mut running, now, config.poll).await;
                continue;
            }
        };
        // Disabled, or settings changed: stop (and restart below).
        let ids: Vec<CompanyId> = running.keys().copied().collect();
        for company in ids {
            let changed = enabled
                .get(&company)
                .is_none_or(|u| *u != running[&company].updated_at);
            if changed {
                if let Some(r) = running.remove(&company) {
                    halt(r).await;
                }
                if !enabled.contains_key(&company) {
                    let _ = store.release_ami_lease(company, &config.node).await;
                }
            }
        }
        for (&company, &updated_at) in &enabled {
            let until = now.checked_add(lease).unwrap_or(now);
            match store
                .take_ami_lease(company, &config.node, now, until)
                .await
            {
                Ok(true) => {
                    if let Some(r) = running.get_mut(&company) {
                        r.held_until = until;
                    } else {
                        let (stop, stop_rx) = watch::channel(false);
                        let task = tokio::spawn(connect_company(
                            store.clone(),
                            company,
                            config.outbound_allowed.clone(),
                            stop_rx,
                        ));
                        tracing::info!(company.id = company, "AMI connection taken by this node");
                        running.insert(
                            company,
                            Running {
                                updated_at,
                                held_until: until,
                                stop,
                                task,
                            },
                        );
                    }
                }
                Ok(false) => {
                    if let Some(r) = running.remove(&company) {
                        tracing::warn!(
                            company.id = company,
                            "AMI lease held by another node: stopping here"
                        );
                        halt(r).await;
                    }
                }
                Err(e) => tracing::warn!(company.id = company, "AMI lease not renewed: {e}"),
            }
        }
        stop_expiring(&mut running, now, config.poll).await;
    }
    for (company, r) in std::mem::take(&mut running) {
        halt(r).await;
        let _ = store.release_ami_lease(company, &config.node).await;
    }
}

/// Stops the connections whose lease would run out before the next renewal.
async fn stop_expiring(running: &mut BTreeMap<CompanyId, Running>, now: Timestamp, poll: Duration) {
    let margin = SignedDuration::try_from(poll).unwrap_or(SignedDuration::from_secs(5));
    let late: Vec<CompanyId> = running
        .iter()
        .filter(|(_, r)| now.checked_add(margin).is_ok_and(|t| t >= r.held_until))
        .map(|(c, _)| *c)
        .collect();
    for company in late {
        if let Some(r) = running.remove(&company) {
            tracing::warn!(
                company.id = company,
                "AMI lease about to run out: stopping the connection"
            );
            halt(r).await;
        }
    }
}

async fn halt(r: Running) {
    let _ = r.stop.send(true);
    if tokio::time::timeout(Duration::from_secs(5), r.task)
        .await
        .is_err()
    {
        tracing::warn!("an AMI connection did not stop in 5 s");
    }
}

/// Runs one company's connection until told to stop.
async fn connect_company(
    store: Store,
    company: CompanyId,
    outbound_allowed: OutboundCheck,
    stop: watch::Receiver<bool>,
) {
    let settings = match store.ami_settings(company).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(company.id = company, "AMI settings unreadable: {e}");
            return;
        }
    };
    let mut sink = StoreSink {
        store: store.clone(),
        company,
        stop: stop.clone(),
    };
    // R-X8 `outbound_allow`: the one place an AMI connection's host is checked
    // (the installation's list of allowed hosts or networks).
    if !outbound_allowed(&settings.host) {
        sink.status(Status::Down(format!(
            "{} is not among the hosts this installation allows (outbound_allow)",
            settings.host
        )))
        .await;
        return;
    }
    let Some(secret) = settings.secret.clone() else {
        sink.status(Status::Down("no secret set".to_owned())).await;
        return;
    };
    let extensions = match store.employees(company).await {
        Ok(list) => list
            .into_iter()
            .filter(|e| e.active)
            .flat_map(|e| e.extensions)
            .collect(),
        Err(e) => {
            tracing::warn!(company.id = company, "employees unreadable: {e}");
            Default::default()
        }
    };
    let login = AmiLogin {
        host: settings.host.clone(),
        port: settings.port,
        username: settings.username.clone(),
        secret,
        auth: AuthType::parse(&settings.auth_type).unwrap_or_default(),
    };
    let config = TrackerConfig {
        extensions,
        internal_contexts: settings.internal_contexts.clone(),
    };
    follow(login, config, &mut sink, stop).await;
}

/// Stores what a connection reads, as the generic webhook would.
struct StoreSink {
    store: Store,
    company: CompanyId,
    stop: watch::Receiver<bool>,
}

impl AmiSink for StoreSink {
    async fn events(&mut self, events: Vec<RawCallEvent>) {
        let parsed: Vec<CallEvent> = events
            .into_iter()
            .filter_map(|raw| match CallEvent::parse(raw) {
                Ok(e) => Some(e),
                Err(e) => {
                    tracing::warn!(
                        company.id = self.company,
                        "an AMI event was not a valid call event: {e}"
                    );
                    None
                }
            })
            .collect();
        if parsed.is_empty() {
            return;
        }
        // Kept and retried until stored (a repeat is harmless: ids are stable).
        loop {
            let stored = match self.store.ingest_context(self.company).await {
                Ok(ctx) => self.store.ingest(ctx, parsed.clone()).await,
                Err(e) => Err(e),
            };
            match stored {
                Ok(_) => return,
                Err(e) => {
                    tracing::warn!(company.id = self.company, "AMI events not stored yet: {e}");
                    if *self.stop.borrow() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    async fn gap(&mut self, from: Timestamp, to: Timestamp) {
        if let Err(e) = self
            .store
            .add_ami_gap(self.company, from, to, "connection lost")
            .await
        {
            tracing::warn!(company.id = self.company, "AMI gap not recorded: {e}");
        }
    }

    async fn status(&mut self, status: Status) {
        let (state, detail) = match status {
            Status::Connecting => ("connecting", None),
            Status::Connected => ("connected", None),
            Status::Down(why) => ("down", Some(why)),
            Status::LoginRefused(why) => ("login_refused", Some(why)),
        };
        if let Err(e) = self
            .store
            .set_ami_status(self.company, state, detail.as_deref(), Timestamp::now())
            .await
        {
            tracing::warn!(company.id = self.company, "AMI status not recorded: {e}");
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClickToCallError {
    #[error("AMI is not enabled for this company")]
    NotEnabled,
    #[error("{0} is not among the hosts this installation allows (outbound_allow)")]
    HostNotAllowed(String),
    #[error(transparent)]
    Store(#[from] ringdesk_store::StoreError),
    #[error(transparent)]
    Ami(#[from] super::client::AmiError),
}

/// Click to call through the company's PBX (R-I5): rings `extension` (the
/// employee's) on the channel the settings name, then dials `number` in the
/// settings' context. The call then arrives through the AMI connection like
/// any other, as `outbound_manual` (its first channel is the extension's).
pub async fn click_to_call(
    store: &Store,
    company: CompanyId,
    extension: &str,
    number: &str,
    outbound_allowed: &OutboundCheck,
) -> Result<(), ClickToCallError> {
    let s = store.ami_settings(company).await?;
    let Some(secret) = s.secret.clone().filter(|_| s.enabled) else {
        return Err(ClickToCallError::NotEnabled);
    };
    // R-X8 `outbound_allow`, as for the connection itself.
    if !outbound_allowed(&s.host) {
        return Err(ClickToCallError::HostNotAllowed(s.host));
    }
    let login = AmiLogin {
        host: s.host.clone(),
        port: s.port,
        username: s.username.clone(),
        secret,
        auth: AuthType::parse(&s.auth_type).unwrap_or_default(),
    };
    let request = super::client::OriginateRequest {
        extension: extension.to_owned(),
        number: number.to_owned(),
        channel_template: s.channel_template.clone(),
        context: s.originate_context.clone(),
    };
    super::client::originate(&login, &request).await?;
    Ok(())
}

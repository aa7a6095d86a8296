//! The in-memory caches of security-relevant data, and how every node learns
//! that an entry is stale.
//!
//! Two caches, both bounded (`moka`) with a short time to live:
//! - `tokens`: an API token's hash → who it acts for and with which rights
//!   ([`TOKEN_CACHE_TTL`]), so the webhook's hot path does not read the
//!   database on every event;
//! - `contexts`: a company → its [`IngestContext`] (country, whether webhooks
//!   must be signed, the live webhook secrets) ([`CONTEXT_CACHE_TTL`]).
//!
//! A change that makes an entry stale drops it on the node that made it at
//! once, and on PostgreSQL sends `NOTIFY ringdesk_cache` in the transaction of
//! the change (delivered only if it commits); every store listens on that
//! channel and drops what the payload names. A listener that loses its
//! connection may have missed notifications, so it drops everything. On SQLite
//! (one file, normally one node) the time to live is the bound.

use crate::live::{LiveHub, LiveWake};
use crate::model::{CompanyId, IngestContext, TokenIdentity};
use moka::sync::Cache;
use std::sync::Arc;
use std::time::Duration;

/// How long an authenticated token is trusted without asking the database.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(5);
/// How long a company's ingest context (webhook secrets, signing required) is kept.
pub const CONTEXT_CACHE_TTL: Duration = Duration::from_secs(10);
/// At most this many entries per cache; the least used go first.
pub const CACHE_CAPACITY: u64 = 10_000;
/// The PostgreSQL channel on which changes to cached data are announced.
pub const CACHE_CHANNEL: &str = "ringdesk_cache";

/// What changed, as named in a notification's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheChange {
    /// The company's webhook signing or secrets: payload `context:<company id>`.
    Context(CompanyId),
    /// A token or an employee (rights, deactivation) of the company:
    /// payload `tokens:<company id>`.
    Tokens(CompanyId),
}

impl CacheChange {
    pub fn payload(self) -> String {
        match self {
            Self::Context(c) => format!("context:{c}"),
            Self::Tokens(c) => format!("tokens:{c}"),
        }
    }

    /// `None` for a payload this version does not know (then drop everything).
    pub fn parse(payload: &str) -> Option<CacheChange> {
        let (kind, id) = payload.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "context" => Some(Self::Context(id)),
            "tokens" => Some(Self::Tokens(id)),
            _ => None,
        }
    }
}

/// The store's caches. Cheap to clone (shared).
#[derive(Clone)]
pub(crate) struct Caches {
    pub(crate) contexts: Cache<CompanyId, Arc<IngestContext>>,
    pub(crate) tokens: Cache<String, TokenIdentity>,
}

impl Caches {
    pub(crate) fn new() -> Caches {
        Caches {
            contexts: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .time_to_live(CONTEXT_CACHE_TTL)
                .build(),
            tokens: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .time_to_live(TOKEN_CACHE_TTL)
                .support_invalidation_closures()
                .build(),
        }
    }

    /// Drops what `change` made stale.
    pub(crate) fn forget(&self, change: CacheChange) {
        match change {
            CacheChange::Context(company) => self.contexts.invalidate(&company),
            CacheChange::Tokens(company) => {
                if self
                    .tokens
                    .invalidate_entries_if(move |_, t| t.company_id == company)
                    .is_err()
                {
                    self.tokens.invalidate_all();
                }
            }
        }
    }

    pub(crate) fn forget_all(&self) {
        self.contexts.invalidate_all();
        self.tokens.invalidate_all();
    }
}

/// PostgreSQL: listens on [`CACHE_CHANNEL`] (subscribed before this returns)
/// and drops what each notification names, until the pool closes.
pub(crate) async fn listen(
    pool: &sqlx::PgPool,
    caches: Caches,
    live: LiveHub,
) -> crate::Result<tokio::task::JoinHandle<()>> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener
        .listen_all([CACHE_CHANNEL, crate::postgres::LIVE_CHANNEL])
        .await?;
    Ok(tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                // R-X7: a company's live events committed (on any node).
                Ok(Some(n)) if n.channel() == crate::postgres::LIVE_CHANNEL => {
                    live.wake(match n.payload().parse() {
                        Ok(company) => LiveWake::Company(company),
                        Err(_) => LiveWake::All,
                    });
                }
                Ok(Some(n)) => match CacheChange::parse(n.payload()) {
                    Some(change) => caches.forget(change),
                    None => caches.forget_all(),
                },
                Ok(None) => {
                    tracing::warn!(
                        "cache listener lost its connection; dropping every cached entry"
                    );
                    caches.forget_all();
                    live.wake(LiveWake::All);
                }
                Err(sqlx::Error::PoolClosed) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "cache listener failed; dropping every cached entry and retrying");
                    caches.forget_all();
                    live.wake(LiveWake::All);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_names_what_changed_and_reads_back() {
        for c in [CacheChange::Context(7), CacheChange::Tokens(12)] {
            assert_eq!(CacheChange::parse(&c.payload()), Some(c));
        }
        assert_eq!(CacheChange::parse("context:x"), None);
        assert_eq!(CacheChange::parse("sessions:1"), None);
    }

    #[test]
    fn forgetting_a_companys_tokens_keeps_other_companies_tokens() {
        let caches = Caches::new();
        let id = |company_id| TokenIdentity {
            token_id: 1,
            company_id,
            employee_id: 1,
            permissions: vec![],
        };
        caches.tokens.insert("a".into(), id(1));
        caches.tokens.insert("b".into(), id(2));
        caches.forget(CacheChange::Tokens(1));
        assert!(caches.tokens.get("a").is_none());
        assert!(caches.tokens.get("b").is_some());
    }
}

//! Waking live streams (R-X7). The outbox (`live_event`, `sql/live.rs`) is
//! the truth; a wake-up only tells the streams of a company to read it now
//! instead of at their next poll.
//!
//! A transaction that published events wakes this process's streams after it
//! commits ([`LiveHub::wake`]); on PostgreSQL it also sends
//! `NOTIFY ringdesk_live, '<company id>'` at commit, which every node's store
//! listener (`cache::listen`) turns into a wake of its own streams. A listener
//! that lost its connection wakes every stream, since it may have missed some.

use crate::model::CompanyId;
use tokio::sync::broadcast;

/// How many wake-ups may wait for a slow stream; one that falls further
/// behind is told it lagged, and reads the outbox anyway.
const CAPACITY: usize = 1024;

/// A wake-up: the company whose events committed, or every company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveWake {
    Company(CompanyId),
    All,
}

impl LiveWake {
    /// Whether a stream of `company_id` should read its outbox.
    pub fn concerns(self, company_id: CompanyId) -> bool {
        match self {
            Self::Company(c) => c == company_id,
            Self::All => true,
        }
    }
}

/// This process's wake-ups. Cheap to clone (shared).
#[derive(Clone)]
pub(crate) struct LiveHub {
    tx: broadcast::Sender<LiveWake>,
}

impl LiveHub {
    pub(crate) fn new() -> LiveHub {
        LiveHub {
            tx: broadcast::channel(CAPACITY).0,
        }
    }

    pub(crate) fn wake(&self, wake: LiveWake) {
        // No receiver means no stream is open: nothing to wake.
        let _ = self.tx.send(wake);
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<LiveWake> {
        self.tx.subscribe()
    }
}

/// How long live events are kept (pruned by the job runner): a stream that
/// reconnects within it misses nothing.
pub const RETENTION: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

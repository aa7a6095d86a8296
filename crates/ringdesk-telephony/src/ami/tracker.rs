//! Follows calls on an Asterisk PBX by their `Linkedid` and turns AMI events
//! into the domain's `RawCallEvent`s (R-I3). Pure: no I/O, the time of an event
//! comes from its `Timestamp:` line (`timestampevents=yes`) or is passed in.
//!
//! The heuristics, written down in ARCHITECTURE.md too:
//! - **Direction.** The first channel of a linked id decides. If its dialplan
//!   context is one of the internal contexts (default `from-internal`) or its
//!   endpoint/caller number is one of the company's extensions, an extension
//!   is dialling out: `outbound_manual`, `from` the extension, `to` the dialled
//!   `Exten`, operator the extension. Otherwise the call came in from a trunk:
//!   `inbound`, `from` the caller id, `to` the dialled `Exten` (the DID).
//! - **Outcomes** come from what the PBX says happened to the dialling, never
//!   from hang-up causes: `DialEnd` with `ANSWER`, `AgentConnect` and an
//!   extension entering a bridge answer the call (the answering extension, the
//!   endpoint of its channel, is the operator; a later answer by another
//!   extension is a transfer). When the last channel of an unanswered call
//!   hangs up, `QueueCallerAbandon` makes it `cancelled`, else the last
//!   `DialEnd` status decides (`BUSY` busy, `NOANSWER` no_answer, `CANCEL`
//!   cancelled, `CHANUNAVAIL`/`CONGESTION` failed); a caller who left a queue
//!   without abandoning it timed out (`no_answer`); with no dialling at all the
//!   caller hung up (`cancelled`).
//! - **Queue wait** is `QueueCallerJoin` (a `queued` event naming the queue)
//!   to `AgentConnect` (answered).
//! - **Stable event ids**: `ami:{linkedid}:ringing`, `…:queued`,
//!   `…:answered:{extension}`, `…:end`. The tracker emits each id once; after a
//!   reconnect the same id may come again (from `CoreShowChannels`), which the
//!   store recognises as a repeat, so a call is never doubled.

use super::frame::Message;
use ringdesk_domain::event::RawCallEvent;
use std::collections::{BTreeMap, BTreeSet};

/// What the tracker needs to know of the company's PBX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerConfig {
    /// The company's extensions (employees' extensions); may be empty.
    pub extensions: BTreeSet<String>,
    /// Dialplan contexts whose channels are the company's own phones.
    pub internal_contexts: Vec<String>,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            extensions: BTreeSet::new(),
            internal_contexts: vec!["from-internal".to_owned()],
        }
    }
}

/// At most this many calls are followed at once; past it the oldest is
/// forgotten (a PBX that never sends `Hangup` cannot grow us without end).
pub const MAX_OPEN_CALLS: usize = 10_000;

#[derive(Debug, Clone)]
struct OpenCall {
    direction: &'static str,
    from: String,
    to: String,
    /// The extension dialling out (outbound calls).
    caller_extension: Option<String>,
    channels: BTreeSet<String>,
    answered: bool,
    queue: Option<String>,
    joined_queue: bool,
    abandoned: bool,
    last_dial_status: Option<String>,
    emitted: BTreeSet<String>,
    order: u64,
}

/// Follows the open calls of one PBX connection.
#[derive(Debug, Default)]
pub struct Tracker {
    config: TrackerConfig,
    calls: BTreeMap<String, OpenCall>,
    next_order: u64,
    /// During a resync: the linked ids and channels `CoreShowChannels` listed.
    resync: Option<BTreeMap<String, BTreeSet<String>>>,
    lost_at: Option<jiff::Timestamp>,
}

impl Tracker {
    pub fn new(config: TrackerConfig) -> Self {
        Tracker {
            config,
            ..Tracker::default()
        }
    }

    pub fn set_config(&mut self, config: TrackerConfig) {
        self.config = config;
    }

    /// How many calls are open (seen, not yet ended).
    pub fn open_calls(&self) -> usize {
        self.calls.len()
    }

    /// The connection dropped at `at`: events may be lost from now until the
    /// resync. Calls that vanish meanwhile are closed at this time.
    pub fn connection_lost(&mut self, at: jiff::Timestamp) {
        if self.lost_at.is_none() {
            self.lost_at = Some(at);
        }
    }

    /// A `CoreShowChannels` action is about to be sent: its events list the
    /// live channels, and `CoreShowChannelsComplete` closes the calls that are
    /// no longer among them.
    pub fn begin_resync(&mut self) {
        self.resync = Some(BTreeMap::new());
    }

    /// The domain events one AMI message gives (often none).
    pub fn on_message(&mut self, m: &Message, now: jiff::Timestamp) -> Vec<RawCallEvent> {
        let Some(event) = m.event() else {
            return Vec::new();
        };
        let at = event_time(m).unwrap_or(now);
        let Some(lid) = m.get("Linkedid").or(m.get("Uniqueid")).map(str::to_owned) else {
            if event.eq_ignore_ascii_case("CoreShowChannelsComplete") {
                return self.finish_resync(now);
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        match event.to_ascii_lowercase().as_str() {
            "newchannel" => {
                self.see_channel(&lid, m, at, &mut out);
            }
            "coreshowchannel" => {
                if let Some(seen) = &mut self.resync {
                    seen.entry(lid.clone())
                        .or_default()
                        .insert(m.get("Uniqueid").unwrap_or_default().to_owned());
                }
                // A call first met here started at its linked id's time.
                let start = linkedid_time(&lid).unwrap_or(at);
                self.see_channel(&lid, m, start, &mut out);
                let up = m.get("ChannelState") == Some("6");
                let bridged = m.get("BridgeId").is_some_and(|b| !b.is_empty());
                let first = m.get("Uniqueid") == Some(lid.as_str());
                if up && bridged && !first {
                    let since = m
                        .get("Duration")
                        .and_then(duration_seconds)
                        .and_then(|d| at.checked_sub(jiff::SignedDuration::from_secs(d)).ok())
                        .unwrap_or(at);
                    let ext = m.get("Channel").map(endpoint).unwrap_or_default();
                    self.answer(&lid, Some(ext), since, &mut out);
                }
            }
            "queuecallerjoin" => {
                if let Some(call) = self.calls.get_mut(&lid) {
                    call.joined_queue = true;
                    if call.queue.is_none() {
                        call.queue = m.get("Queue").map(str::to_owned);
                    }
                }
                self.emit(&lid, "queued", "queued", at, None, &mut out);
            }
            "queuecallerabandon" => {
                if let Some(call) = self.calls.get_mut(&lid) {
                    call.abandoned = true;
                }
            }
            "dialend" => match m.get("DialStatus") {
                Some("ANSWER") => {
                    let ext = m.get("DestChannel").map(endpoint);
                    self.answer(&lid, ext, at, &mut out);
                }
                Some(status) => {
                    if let Some(call) = self.calls.get_mut(&lid) {
                        call.last_dial_status = Some(status.to_owned());
                    }
                }
                None => {}
            },
            "agentconnect" | "agentcomplete" => {
                let ext = m
                    .get("Interface")
                    .or(m.get("DestChannel"))
                    .map(endpoint)
                    .or(m.get("MemberName"));
                let ext = ext.map(str::to_owned);
                self.answer(&lid, ext.as_deref(), at, &mut out);
            }
            "bridgeenter" => {
                let first = m.get("Uniqueid") == Some(lid.as_str());
                let ext = m.get("Channel").map(endpoint);
                if !first && ext.is_some_and(|e| self.is_extension(e)) {
                    self.answer(&lid, ext, at, &mut out);
                } else if !first
                    && self
                        .calls
                        .get(&lid)
                        .is_some_and(|c| c.caller_extension.is_some())
                {
                    // The far end of an outbound call joined the extension.
                    self.answer(&lid, None, at, &mut out);
                }
            }
            "hangup" => {
                let uid = m.get("Uniqueid").unwrap_or_default();
                let done = match self.calls.get_mut(&lid) {
                    Some(call) => {
                        call.channels.remove(uid);
                        call.channels.is_empty()
                    }
                    None => false,
                };
                if done {
                    self.end(&lid, at, &mut out);
                }
            }
            _ => {}
        }
        out
    }

    fn is_extension(&self, e: &str) -> bool {
        if self.config.extensions.is_empty() {
            (2..=6).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_digit())
        } else {
            self.config.extensions.contains(e)
        }
    }

    fn see_channel(
        &mut self,
        lid: &str,
        m: &Message,
        at: jiff::Timestamp,
        out: &mut Vec<RawCallEvent>,
    ) {
        let uid = m.get("Uniqueid").unwrap_or_default().to_owned();
        if let Some(call) = self.calls.get_mut(lid) {
            call.channels.insert(uid);
            return;
        }
        let context = m.get("Context").unwrap_or_default();
        let channel_ext = m.get("Channel").map(endpoint).unwrap_or_default();
        let caller_num = clean_number(m.get("CallerIDNum"));
        let internal = self.config.internal_contexts.iter().any(|c| c == context)
            || (!self.config.extensions.is_empty()
                && (self.config.extensions.contains(channel_ext)
                    || self.config.extensions.contains(&caller_num)));
        let exten = clean_number(m.get("Exten"));
        let call = if internal {
            OpenCall::new(
                "outbound_manual",
                channel_ext.to_owned(),
                exten,
                Some(channel_ext.to_owned()),
            )
        } else {
            OpenCall::new("inbound", caller_num, exten, None)
        };
        self.next_order += 1;
        let mut call = OpenCall {
            order: self.next_order,
            ..call
        };
        call.channels.insert(uid);
        if self.calls.len() >= MAX_OPEN_CALLS {
            if let Some(oldest) = self
                .calls
                .iter()
                .min_by_key(|(_, c)| c.order)
                .map(|(k, _)| k.clone())
            {
                self.calls.remove(&oldest);
            }
        }
        let operator = call.caller_extension.clone();
        self.calls.insert(lid.to_owned(), call);
        self.emit(lid, "ringing", "ringing", at, operator, out);
    }

    fn answer(
        &mut self,
        lid: &str,
        ext: Option<&str>,
        at: jiff::Timestamp,
        out: &mut Vec<RawCallEvent>,
    ) {
        let Some(call) = self.calls.get_mut(lid) else {
            return;
        };
        call.answered = true;
        // On an outbound call the operator is the extension that dialled.
        let operator = match &call.caller_extension {
            Some(e) => Some(e.clone()),
            None => ext.filter(|e| !e.is_empty()).map(str::to_owned),
        };
        let id = format!("answered:{}", operator.as_deref().unwrap_or(""));
        self.emit(lid, &id, "answered", at, operator, out);
    }

    fn end(&mut self, lid: &str, at: jiff::Timestamp, out: &mut Vec<RawCallEvent>) {
        let Some(call) = self.calls.get(lid) else {
            return;
        };
        let state = if call.answered {
            "completed"
        } else if call.abandoned {
            "cancelled"
        } else {
            match call.last_dial_status.as_deref() {
                Some("BUSY") => "busy",
                Some("NOANSWER") => "no_answer",
                Some("CANCEL") => "cancelled",
                Some(_) => "failed",
                None if call.joined_queue => "no_answer",
                None => "cancelled",
            }
        };
        self.emit(lid, "end", state, at, None, out);
        self.calls.remove(lid);
    }

    fn finish_resync(&mut self, now: jiff::Timestamp) -> Vec<RawCallEvent> {
        let mut out = Vec::new();
        let Some(seen) = self.resync.take() else {
            return out;
        };
        let closed_at = self.lost_at.take().unwrap_or(now);
        let open: Vec<String> = self.calls.keys().cloned().collect();
        for lid in open {
            match seen.get(&lid) {
                Some(channels) => {
                    if let Some(call) = self.calls.get_mut(&lid) {
                        call.channels = channels.clone();
                    }
                }
                None => self.end(&lid, closed_at, &mut out),
            }
        }
        out
    }

    fn emit(
        &mut self,
        lid: &str,
        id: &str,
        state: &str,
        at: jiff::Timestamp,
        operator: Option<String>,
        out: &mut Vec<RawCallEvent>,
    ) {
        let Some(call) = self.calls.get_mut(lid) else {
            return;
        };
        if !call.emitted.insert(id.to_owned()) {
            return;
        }
        out.push(RawCallEvent {
            event_id: Some(format!("ami:{lid}:{id}")),
            call_id: Some(lid.to_owned()),
            direction: Some(call.direction.to_owned()),
            state: Some(state.to_owned()),
            at: Some(at.to_string()),
            from: Some(call.from.clone()),
            to: Some(call.to.clone()),
            operator,
            queue: call.queue.clone().filter(|_| state == "queued"),
            recording_url: None,
        });
    }
}

impl OpenCall {
    fn new(
        direction: &'static str,
        from: String,
        to: String,
        caller_extension: Option<String>,
    ) -> Self {
        OpenCall {
            direction,
            from,
            to,
            caller_extension,
            channels: BTreeSet::new(),
            answered: false,
            queue: None,
            joined_queue: false,
            abandoned: false,
            last_dial_status: None,
            emitted: BTreeSet::new(),
            order: 0,
        }
    }
}

/// The endpoint of a channel name: `PJSIP/201-0000002a` → `201`,
/// `Local/201@from-queue-00000001;1` → `201`, `SIP/trunk-00000003` → `trunk`.
pub fn endpoint(channel: &str) -> &str {
    let rest = channel.split_once('/').map_or(channel, |(_, r)| r);
    let rest = rest.split(['@', ';']).next().unwrap_or(rest);
    match rest.rsplit_once('-') {
        Some((name, suffix))
            if !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            name
        }
        _ => rest,
    }
}

/// A caller id number as the PBX gives it, `<unknown>` and `s` read as empty.
fn clean_number(v: Option<&str>) -> String {
    match v.map(str::trim) {
        None | Some("<unknown>") | Some("s") => String::new(),
        Some(v) => v.to_owned(),
    }
}

/// `Timestamp: 1718362345.123456` (seconds since the epoch, as Asterisk writes it).
fn event_time(m: &Message) -> Option<jiff::Timestamp> {
    epoch_text(m.get("Timestamp")?)
}

/// A linked id is the unique id of the call's first channel, `epoch.sequence`.
fn linkedid_time(lid: &str) -> Option<jiff::Timestamp> {
    let secs: i64 = lid.split('.').next()?.parse().ok()?;
    jiff::Timestamp::from_second(secs).ok()
}

fn epoch_text(v: &str) -> Option<jiff::Timestamp> {
    let (secs, frac) = v.trim().split_once('.').unwrap_or((v.trim(), ""));
    let secs: i64 = secs.parse().ok()?;
    let micros: i64 = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(6).collect();
        let n: i64 = digits.parse().ok()?;
        n * 10_i64.pow(6 - digits.len() as u32)
    };
    jiff::Timestamp::from_microsecond(secs.checked_mul(1_000_000)?.checked_add(micros)?).ok()
}

/// `HH:MM:SS` (CoreShowChannel's `Duration`) in seconds.
fn duration_seconds(v: &str) -> Option<i64> {
    let mut total = 0i64;
    for part in v.split(':') {
        total = total
            .checked_mul(60)?
            .checked_add(part.parse::<i64>().ok()?)?;
    }
    Some(total)
}

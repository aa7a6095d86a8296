//! What the store hands out and takes in: plain records, no SQL types.

use jiff::Timestamp;
use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::company::{Locale, Permission};
use ringdesk_domain::phone::{Country, PhoneKey, PhoneNumber};
use secrecy::SecretString;

pub type CompanyId = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub country: Country,
    pub time_zone: String,
    pub locale: Locale,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub id: i64,
    pub company_id: CompanyId,
    pub name: String,
    pub email: String,
    pub permissions: Vec<Permission>,
    pub is_owner: bool,
    pub active: bool,
    pub extensions: Vec<String>,
    pub created_at: Timestamp,
}

impl Employee {
    /// R-T3: the owner has every permission.
    pub fn may(&self, p: Permission) -> bool {
        ringdesk_domain::access::effective_permissions(self.is_owner, &self.permissions, None)
            .contains(&p)
    }
}

/// An employee to create; the password is already hashed by the caller.
#[derive(Clone)]
pub struct NewEmployee {
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub permissions: Vec<Permission>,
    pub extensions: Vec<String>,
}

/// Changes to an employee; `None` leaves a field as it is.
#[derive(Clone, Default)]
pub struct EmployeePatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub permissions: Option<Vec<Permission>>,
    pub extensions: Option<Vec<String>>,
    pub active: Option<bool>,
    /// A password change ends every session of the employee but this one
    /// (the one that made the change, when they changed their own).
    pub keep_session_id: Option<i64>,
}

/// An API token to store: only its hash and a display prefix (R-T5).
#[derive(Clone)]
pub struct NewApiToken {
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    /// The rights it was given; `None`: all of its employee's (the signup token).
    pub permissions: Option<Vec<Permission>>,
}

/// A stored API token, as listed: never the token itself.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub employee_id: i64,
    pub name: String,
    pub prefix: String,
    pub permissions: Option<Vec<Permission>>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Who an API token acts for, and with which rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenIdentity {
    pub token_id: i64,
    pub company_id: CompanyId,
    pub employee_id: i64,
    /// What the token may do: the rights it was given that its employee still has.
    pub permissions: Vec<Permission>,
}

/// A signed-in browser session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionIdentity {
    pub session_id: i64,
    pub company_id: CompanyId,
    pub employee_id: i64,
}

/// What sign-in needs to know about the account an e-mail names.
#[derive(Clone)]
pub struct SignInAccount {
    pub company_id: CompanyId,
    pub employee_id: i64,
    pub password_hash: String,
    pub active: bool,
}

/// Who did something and from where, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub employee_id: Option<i64>,
    pub token_id: Option<i64>,
    /// The client's network address.
    pub address: Option<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    /// `sign_in`, `sign_in_failed`, `sign_out`, `token_created`, `token_revoked`,
    /// `employee_created`, `employee_changed`, `password_changed`, `settings_changed`, …
    pub action: String,
    pub actor_employee_id: Option<i64>,
    pub actor_token_id: Option<i64>,
    pub address: Option<String>,
    /// What it was done to: `employee:12`, `api_token:3`, `settings:telephony`.
    pub subject: Option<String>,
    pub detail: Option<String>,
}

/// A secret for signing webhooks (Standard Webhooks, R-I1): kept as it is,
/// since checking a signature needs it; `Debug` never shows it.
#[derive(Debug, Clone)]
pub struct WebhookSecret {
    pub id: i64,
    pub secret: SecretString,
    pub prefix: String,
    pub created_at: Timestamp,
}

/// A company's webhook signing: whether signatures are required, and the live secrets.
#[derive(Debug, Clone, Default)]
pub struct WebhookSigning {
    pub required: bool,
    pub secrets: Vec<WebhookSecret>,
}

/// A company's Twilio connection (R-I2, R-X8). `auth_token` is the HMAC key
/// of `X-Twilio-Signature` and the password of the Calls API: never shown.
#[derive(Debug, Clone)]
pub struct TwilioSettings {
    pub enabled: bool,
    pub auth_token: Option<SecretString>,
    /// The whole URL Twilio posts status callbacks to, as entered in its console.
    pub public_url: String,
    pub account_sid: Option<String>,
    /// The company's Twilio number that click-to-call calls come from.
    pub caller_id: Option<String>,
    pub updated_at: Timestamp,
}

/// What `PUT /settings/integrations/twilio` writes; `auth_token: None` keeps
/// the stored token (R-X8: write-only).
#[derive(Debug, Clone)]
pub struct TwilioSettingsPut {
    pub enabled: bool,
    pub auth_token: Option<SecretString>,
    pub public_url: String,
    pub account_sid: Option<String>,
    pub caller_id: Option<String>,
}

/// Failed sign-ins counted under one key (an account or an address).
#[derive(Debug, Clone, Copy)]
pub struct ThrottleCount {
    pub failures: i64,
    pub window_started_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    Phone,
    Mobile,
}

impl PhoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Mobile => "mobile",
        }
    }
    pub fn parse(s: &str) -> Option<PhoneKind> {
        match s {
            "phone" => Some(Self::Phone),
            "mobile" => Some(Self::Mobile),
            _ => None,
        }
    }
}

/// Where a looked-up number was found (R-X5 `matched_on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedOn {
    Phone,
    Mobile,
    Branch,
    Contact,
}

impl MatchedOn {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Mobile => "mobile",
            Self::Branch => "branch",
            Self::Contact => "contact",
        }
    }
    pub fn parse(s: &str) -> MatchedOn {
        match s {
            "mobile" => Self::Mobile,
            "branch" => Self::Branch,
            "contact" => Self::Contact,
            _ => Self::Phone,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClientPhone {
    pub number: PhoneNumber,
    pub kind: PhoneKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPersonAt {
    pub name: String,
    pub phone: Option<PhoneNumber>,
    pub mobile: Option<PhoneNumber>,
}

/// A client to create, or the full new content of one (R-P1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewClient {
    pub name: String,
    pub phones: Vec<NewClientPhone>,
    pub branches: Vec<NewPersonAt>,
    pub contacts: Vec<NewPersonAt>,
}

/// Changes to a client; a list given replaces the stored list.
#[derive(Debug, Clone, Default)]
pub struct ClientPatch {
    pub name: Option<String>,
    pub phones: Option<Vec<NewClientPhone>>,
    pub branches: Option<Vec<NewPersonAt>>,
    pub contacts: Option<Vec<NewPersonAt>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPhone {
    pub number: String,
    pub e164: Option<String>,
    pub kind: PhoneKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonAt {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub mobile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub created_at: Timestamp,
    pub phones: Vec<ClientPhone>,
    pub branches: Vec<PersonAt>,
    pub contacts: Vec<PersonAt>,
}

/// One client found by a number (R-P3), newest client first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupMatch {
    pub client_id: i64,
    pub name: String,
    pub matched_on: MatchedOn,
    pub created_at: Timestamp,
}

/// R-P3: none / one / many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientMatch {
    None,
    One,
    Many,
}

impl ClientMatch {
    pub fn of(n: usize) -> ClientMatch {
        match n {
            0 => Self::None,
            1 => Self::One,
            _ => Self::Many,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::One => "one",
            Self::Many => "many",
        }
    }
    pub fn parse(s: &str) -> Option<ClientMatch> {
        match s {
            "none" => Some(Self::None),
            "one" => Some(Self::One),
            "many" => Some(Self::Many),
            _ => None,
        }
    }
}

/// What a company's ingestion needs to know, cached per company.
#[derive(Debug, Clone)]
pub struct IngestContext {
    pub company_id: CompanyId,
    pub country: Country,
    /// R-P7: the company's ignore list; a call from or to one of these is
    /// not a customer call.
    pub ignored_numbers: Vec<PhoneKey>,
    /// R-I1: whether events must be signed, and with which secrets.
    pub signing: WebhookSigning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: i64,
    pub company_id: CompanyId,
    pub external_id: String,
    pub direction: Direction,
    pub state: CallState,
    pub missed: bool,
    pub from: String,
    pub to: String,
    pub customer_key: Option<String>,
    pub client_id: Option<i64>,
    pub client_match: ClientMatch,
    pub operator_id: Option<i64>,
    /// What the events sent as `operator` when it matched no employee (and so
    /// the call has no operator); see `CallSummary::operator_unmatched`.
    pub operator_unmatched: Option<String>,
    pub queue: Option<String>,
    pub recording_url: Option<String>,
    pub first_seen_at: Timestamp,
    pub queued_at: Option<Timestamp>,
    pub ringing_at: Option<Timestamp>,
    pub answered_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub wait_seconds: Option<i64>,
    pub ring_seconds: Option<i64>,
    pub talk_seconds: Option<i64>,
    pub total_seconds: Option<i64>,
    pub recovered: bool,
    pub recovered_by_call_id: Option<i64>,
    pub recovery_seconds: Option<i64>,
    /// Issue 13 item 4: when a missed call should be called back by (business
    /// time under the company's SLA); `None` without an SLA.
    pub sla_deadline_at: Option<Timestamp>,
    /// Called back in time (`Some(true)`), not (`Some(false)`), or pending /
    /// no SLA (`None`).
    pub within_sla: Option<bool>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One stored event of a call's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub event_id: String,
    pub state: CallState,
    pub at: Timestamp,
    pub from: String,
    pub to: String,
    pub operator: Option<String>,
    pub operator_id: Option<i64>,
    pub queue: Option<String>,
    pub recording_url: Option<String>,
    pub received_at: Timestamp,
}

/// Filters of `GET /api/v1/calls`; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub state: Option<CallState>,
    pub direction: Option<Direction>,
    pub missed: Option<bool>,
    pub recovered: Option<bool>,
    pub operator_id: Option<i64>,
    pub client_id: Option<i64>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub external_id: Option<String>,
    /// Only these calls (a page's tasks' calls, for their numbers).
    pub ids: Option<Vec<i64>>,
    /// Only calls routed to this employee (R-C5, without `view_all_calls`).
    pub visible_to_operator: Option<i64>,
    /// Keyset pagination: calls with an id below this one.
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// What happened to one delivered event (R-X4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Stored now: 202.
    Accepted { call_id: i64 },
    /// Seen before with the same content: 200, nothing changed.
    Duplicate { call_id: i64 },
    /// Seen before with different content: 409, nothing changed.
    Conflict { call_id: i64 },
}

/// A lead or work-order status (R-M2, R-M6); `key` names system statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: i64,
    pub name: String,
    pub group: String,
    pub key: Option<String>,
}

/// A lead type with its initial status (R-M2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadType {
    pub id: i64,
    pub name: String,
    pub initial_status_id: i64,
    /// The type's own form fields (R-M2).
    pub fields: Vec<ringdesk_domain::work::FieldDef>,
}

// ----- automation (issue 4): work orders, leads, tasks, notifications --------

/// A work order (R-M6), as far as the automation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrder {
    pub id: i64,
    pub number: String,
    pub client_id: Option<i64>,
    pub phone: Option<String>,
    pub status_id: i64,
    pub creator_id: Option<i64>,
    /// The lead it was linked to (R-M6).
    pub lead_id: Option<i64>,
    /// The quote it was converted from (R-M7).
    pub quote_id: Option<i64>,
    /// For an order converted from a quote: the quote's description, lines and total.
    pub description: Option<String>,
    pub created_at: Timestamp,
}

/// A work order to create; `phone` already normalised by the caller.
#[derive(Debug, Clone, Default)]
pub struct NewWorkOrder {
    pub client_id: Option<i64>,
    pub phone: Option<PhoneNumber>,
    pub status_id: Option<i64>,
    pub creator_id: Option<i64>,
    pub quote_id: Option<i64>,
    pub description: Option<String>,
}

/// A lead (R-M1, R-X5 names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: i64,
    pub number: String,
    pub type_id: i64,
    pub status_id: i64,
    pub client_id: Option<i64>,
    pub client_name: String,
    pub phone: Option<String>,
    /// The phone's normalised key (R-P2), for matching.
    pub phone_key: Option<String>,
    pub description: Option<String>,
    pub manager_id: Option<i64>,
    pub creator_id: Option<i64>,
    pub source: String,
    pub call_id: Option<i64>,
    pub due_at: Option<Timestamp>,
    pub urgent: bool,
    pub ad_campaign_id: Option<i64>,
    pub location_id: Option<i64>,
    /// The values of its type's form fields.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Whether its status is open (group `new` or `in_progress`).
    pub open: bool,
    /// The calls its history shows (R-L3): its own and those linked later.
    pub call_ids: Vec<i64>,
    pub created_at: Timestamp,
}

/// A lead to create by hand (R-M1).
#[derive(Debug, Clone, Default)]
pub struct NewLead {
    pub type_id: Option<i64>,
    pub status_id: Option<i64>,
    pub client_id: Option<i64>,
    pub client_name: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub description: Option<String>,
    pub manager_id: Option<i64>,
    pub creator_id: Option<i64>,
    pub ad_campaign_id: Option<i64>,
    pub location_id: Option<i64>,
    pub due_at: Option<Timestamp>,
    pub urgent: bool,
    /// Raw values, validated by the store against the type's fields.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// Changes to a lead; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct LeadPatch {
    pub status_id: Option<i64>,
    pub client_id: Option<Option<i64>>,
    pub client_name: Option<String>,
    pub phone: Option<Option<PhoneNumber>>,
    pub description: Option<Option<String>>,
    pub manager_id: Option<Option<i64>>,
    pub ad_campaign_id: Option<Option<i64>>,
    pub location_id: Option<Option<i64>>,
    pub due_at: Option<Option<Timestamp>>,
    pub urgent: Option<bool>,
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// How to list leads (R-M1's filters).
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub call_id: Option<i64>,
    pub client_id: Option<i64>,
    /// `new`, `in_progress`, `won`, `lost`.
    pub status_group: Option<String>,
    pub manager_id: Option<i64>,
    /// Only the leads that are (`true`) or are not (`false`) overdue (R-M4) at that time.
    pub overdue: Option<(bool, Timestamp)>,
    pub urgent: Option<bool>,
    pub source: Option<String>,
    pub created_from: Option<Timestamp>,
    pub created_to: Option<Timestamp>,
    /// Text search over the client's name, the phone and the number.
    pub q: Option<String>,
    /// `created_at` (newest first, the default), `due_at` (soonest first), `number`.
    pub sort: LeadSort,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LeadSort {
    #[default]
    Newest,
    Oldest,
    DueSoonest,
    Number,
}

/// An item of a company list (ad campaigns, locations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedItem {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

/// A quote (R-M7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub id: i64,
    pub number: String,
    /// `phone`, `email`, `chat`, `visit`, `other`.
    pub channel: String,
    pub contact: String,
    /// The contact's phone key, when the contact is a phone number.
    pub contact_key: Option<String>,
    pub client_id: Option<i64>,
    pub call_id: Option<i64>,
    pub description: Option<String>,
    /// `open` or `converted`.
    pub status: String,
    pub order_id: Option<i64>,
    pub creator_id: Option<i64>,
    pub created_at: Timestamp,
    pub converted_at: Option<Timestamp>,
    /// Its lines, in order (issue 11).
    pub items: Vec<QuoteItem>,
    /// The sum of the lines' totals, in cents (`ringdesk_domain::quote::quote_total`).
    pub total_cents: i64,
}

/// One line of a quote (issue 11, R-M7). Amounts in minor units: see
/// `ringdesk_domain::quote` and migration 0010.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteItem {
    /// From 0, in the order given.
    pub position: i64,
    pub description: String,
    /// Thousandths: 1.5 is 1500.
    pub quantity_milli: i64,
    /// Cents: 12.50 is 1250.
    pub unit_price_cents: i64,
    /// Quantity × unit price, rounded half up to the cent.
    pub total_cents: i64,
}

#[derive(Debug, Clone)]
pub struct NewQuote {
    pub channel: String,
    pub contact: String,
    pub contact_key: Option<String>,
    pub client_id: Option<i64>,
    pub call_id: Option<i64>,
    pub description: Option<String>,
    pub creator_id: Option<i64>,
    /// Its lines, already validated by `ringdesk_domain::quote` (the store checks them again).
    pub items: Vec<ringdesk_domain::quote::QuoteLine>,
}

/// A task made by hand (R-M8).
#[derive(Debug, Clone)]
pub struct NewTask {
    pub title: String,
    pub description: Option<String>,
    pub author_id: i64,
    pub assignee_ids: Vec<i64>,
    pub mode: ringdesk_domain::automation::TaskMode,
    pub due_at: Option<Timestamp>,
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub call_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub status: Option<TaskStatus>,
    /// "My tasks": open ones first, overdue before the rest, soonest due first.
    pub overdue_first_at: Option<Timestamp>,
    pub limit: i64,
}

/// Which lead events notify an employee (R-L6); all on by default.
pub use ringdesk_domain::notify::NotificationPrefs;

/// One entry of a client's or a lead's history (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryItem {
    /// `call`, `lead`, `order`, `quote`, `task`.
    pub kind: String,
    pub id: i64,
    pub at: Timestamp,
    /// A call's state, a task's title, a lead's, order's or quote's number.
    pub title: String,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    Open,
    /// R-M8's `done`: completed by `completed_by`.
    Done,
    Cancelled,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        match s {
            "open" => Some(Self::Open),
            "done" => Some(Self::Done),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// A task (R-M8, R-X5 names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub author_id: Option<i64>,
    pub assignee_ids: Vec<i64>,
    pub mode: ringdesk_domain::automation::TaskMode,
    pub due_at: Option<Timestamp>,
    pub status: TaskStatus,
    pub completed_by: Option<i64>,
    pub completed_at: Option<Timestamp>,
    /// Why it was cancelled (a text key, shown in the company's locale).
    pub cancel_reason: Option<String>,
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
    pub call_id: Option<i64>,
    pub created_at: Timestamp,
}

/// What the automation rules would make of one stored call under proposed
/// settings (the settings page's preview, issue 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewCall {
    pub call_id: i64,
    /// Tasks the missed-call rule would make (R-A1…R-A4).
    pub tasks: usize,
    /// The lead rules that would make a lead (R-L1…R-L4).
    pub lead_rules: Vec<ringdesk_domain::automation::Rule>,
}

/// The preview of proposed settings over the calls that ended in a period:
/// only calls for which a rule would make something are listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AutomationPreview {
    /// How many ended calls were looked at.
    pub calls_seen: usize,
    pub tasks: usize,
    pub leads: usize,
    pub calls: Vec<PreviewCall>,
}

/// What one rule did for one call (R-X5 `automation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallAutomation {
    pub rule: ringdesk_domain::automation::Rule,
    pub outcome: ringdesk_domain::automation::Outcome,
    /// A text key (`ringdesk_domain::texts::Text::key`), shown in the company's locale.
    pub reason: Option<String>,
    /// Further text keys (R-A2's notes), comma-separated.
    pub notes: Vec<String>,
    pub task_ids: Vec<i64>,
    pub lead_id: Option<i64>,
}

/// An in-app notification (R-L6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub employee_id: i64,
    /// `new_lead`, `lead_assigned`.
    pub kind: String,
    pub title: String,
    pub lead_id: Option<i64>,
    pub call_id: Option<i64>,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// A durable job as its company may see it (`GET /api/v1/jobs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: i64,
    /// The kind as stored: one of `JobKind`'s names, or, for a damaged row or
    /// one written by a newer version, the text that could not be read.
    pub kind: String,
    pub status: ringdesk_domain::jobs::JobStatus,
    pub call_id: Option<i64>,
    pub lead_id: Option<i64>,
    /// When it is (or was last) due: the next attempt's time while pending.
    pub run_at: Timestamp,
    /// Attempts made: failed ones, plus the one that finished it.
    pub attempts: i64,
    /// The error of the latest failed attempt.
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When it was done or failed.
    pub finished_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_secret_never_shows_in_debug() {
        let signing = WebhookSigning {
            required: true,
            secrets: vec![WebhookSecret {
                id: 1,
                secret: "whsec_c2VjcmV0IHNlY3JldCBzZWNyZXQ=".into(),
                prefix: "whsec_c2Vj".into(),
                created_at: Timestamp::UNIX_EPOCH,
            }],
        };
        let shown = format!("{signing:?}");
        assert!(!shown.contains("c2VjcmV0IHNlY3JldCBzZWNyZXQ="), "{shown}");
        assert!(shown.contains("whsec_c2Vj"), "the prefix is shown: {shown}");
    }
}

/// What a live event (R-X7) is about; its stream's `event` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveKind {
    Call,
    Lead,
    Task,
    Notification,
}

impl LiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Lead => "lead",
            Self::Task => "task",
            Self::Notification => "notification",
        }
    }

    pub fn parse(s: &str) -> Option<LiveKind> {
        [Self::Call, Self::Lead, Self::Task, Self::Notification]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One row of the live outbox: its number in the company's stream, and what
/// changed. The data is read from the current state when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    /// Increasing per company, in commit order (the stream's `id`).
    pub id: i64,
    pub kind: LiveKind,
    pub subject_id: i64,
    /// A notification's employee (the only one it is sent to).
    pub employee_id: Option<i64>,
}

/// R-P7: one number of the company's ignore list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredNumber {
    /// As typed, for display.
    pub number: String,
    /// The normalised form (`PhoneKey`), what calls are matched by.
    pub key: String,
}

/// One raw delivery from a connector, for the webhook inbox.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// `generic`, `twilio`, `ami`.
    pub connector: String,
    pub received_at: Timestamp,
    /// The headers that matter, as a JSON object's text.
    pub headers: String,
    pub body: Vec<u8>,
    /// Whether it proved who sent it (token, signature); only those are replayed.
    pub authenticated: bool,
    /// The HTTP status answered.
    pub status: u16,
    /// What came of it, in a line.
    pub result: String,
}

/// A stored delivery.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub connector: String,
    pub received_at: Timestamp,
    pub headers: String,
    pub body: Vec<u8>,
    pub authenticated: bool,
    pub status: u16,
    pub result: String,
}

/// Which deliveries to read: received in `[from, to)`, of one connector,
/// newest first after `cursor` (a delivery id), or oldest first (replay).
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub connector: Option<String>,
    pub cursor: Option<i64>,
    pub oldest_first: bool,
    pub limit: i64,
}

/// The company's phone-system settings shared by the connectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneSystemSettings {
    /// How long raw deliveries are kept (1…365 days).
    pub inbox_retention_days: i64,
    /// R-I5, generic integration: where a signed request asks the PBX to dial.
    pub click_to_call_url: Option<String>,
}

/// The shortest inbox retention a company may set: pruning looks for companies
/// with deliveries older than this, then applies each one's own.
pub const MIN_INBOX_RETENTION_DAYS: i64 = 1;
/// The longest.
pub const MAX_INBOX_RETENTION_DAYS: i64 = 365;
/// A company's Asterisk Manager Interface connection (R-I3, R-X8). The secret
/// is only for logging in; the API shows whether one is set, never its value.
#[derive(Debug, Clone)]
pub struct AmiSettings {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub username: String,
    pub secret: Option<SecretString>,
    /// `plain` or `md5` (the challenge login).
    pub auth_type: String,
    /// The click-to-call channel, `{extension}` replaced (`PJSIP/{extension}`).
    pub channel_template: String,
    /// The context in which click to call dials the number (`from-internal`).
    pub originate_context: String,
    /// Dialplan contexts of the company's own phones (the direction heuristic).
    pub internal_contexts: Vec<String>,
    pub updated_at: Option<Timestamp>,
    pub status: AmiStatus,
}

impl Default for AmiSettings {
    fn default() -> Self {
        AmiSettings {
            enabled: false,
            host: String::new(),
            port: 5038,
            username: String::new(),
            secret: None,
            auth_type: "md5".to_owned(),
            channel_template: "PJSIP/{extension}".to_owned(),
            originate_context: "from-internal".to_owned(),
            internal_contexts: vec!["from-internal".to_owned()],
            updated_at: None,
            status: AmiStatus::default(),
        }
    }
}

/// What the node holding the connection last said of it: `off`,
/// `connecting`, `connected`, `down` or `login_refused`, why, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmiStatus {
    pub state: String,
    pub detail: Option<String>,
    pub at: Option<Timestamp>,
}

impl Default for AmiStatus {
    fn default() -> Self {
        AmiStatus {
            state: "off".to_owned(),
            detail: None,
            at: None,
        }
    }
}

/// A change of the AMI settings; `secret: None` keeps the one set.
#[derive(Debug, Clone)]
pub struct AmiSettingsChange {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub username: String,
    pub secret: Option<SecretString>,
    pub auth_type: String,
    pub channel_template: String,
    pub originate_context: String,
    pub internal_contexts: Vec<String>,
}

/// An outage of the AMI connection (R-I3): calls wholly inside it are unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmiGap {
    pub id: i64,
    pub from: Timestamp,
    pub to: Timestamp,
    pub reason: String,
}

/// One of the company's lines (`PUT /api/v1/settings/lines`): its number
/// (as typed and normalised), a name and the ad campaign it advertises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSetting {
    pub number_key: String,
    pub number: String,
    pub name: String,
    pub ad_campaign_id: Option<i64>,
}

/// Leads (and the work orders made from them) that came from calls to one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFigures {
    pub line: String,
    pub leads: i64,
    pub orders: i64,
}

/// Leads by ad campaign (R-U4): leads, won, work orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignFigures {
    pub ad_campaign_id: Option<i64>,
    pub leads: i64,
    pub won: i64,
    pub orders: i64,
}

/// The dashboard's figures that come from leads, quotes and orders.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DashboardExtras {
    pub lines: Vec<LineFigures>,
    pub campaigns: Vec<CampaignFigures>,
    /// Quotes made from answered inbound calls, and how many became work orders.
    pub quotes_from_answered_calls: i64,
    pub orders_from_those_quotes: i64,
}

/// A period's figures as the store reads them (`Store::dashboard`).
#[derive(Debug, Clone)]
pub struct DashboardData {
    pub figures: ringdesk_domain::dashboard::Figures,
    pub extras: DashboardExtras,
    pub lines: Vec<LineSetting>,
}

/// A call row as its events would leave it, for `ringdesk bench dashboard`'s
/// bulk load ([`crate::Store::load_calls`]): no events, not yet rolled up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedCall {
    pub external_id: String,
    pub direction: Direction,
    pub state: CallState,
    pub missed: bool,
    pub from: String,
    pub to: String,
    pub first_seen: Timestamp,
    pub answered: Option<Timestamp>,
    pub ended: Option<Timestamp>,
    pub operator_id: Option<i64>,
    pub queue: Option<String>,
    pub line_key: Option<String>,
    pub recovered: bool,
    pub recoveries: i64,
    pub recoveries_seconds: i64,
}

/// A callback case (issue 13 item 3): a caller's missed calls from the first
/// until they were reached (`ringdesk_domain::cases`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackCase {
    /// The caller's number, normalised (R-P2).
    pub number: String,
    /// As the latest missed call sent it.
    pub raw_number: String,
    pub client_id: Option<i64>,
    /// The latest missed call's operator.
    pub operator_id: Option<i64>,
    /// Oldest first; the first opened the case.
    pub missed_call_ids: Vec<i64>,
    pub opened_at: Timestamp,
    pub last_missed_at: Timestamp,
    /// The answered call that reached the caller; none while the case is open.
    pub reached_by_call_id: Option<i64>,
    pub reached_at: Option<Timestamp>,
    pub seconds_to_reach: Option<i64>,
}

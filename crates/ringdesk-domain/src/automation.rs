//! The telephony automation of SPEC §4 and §5 as decisions over plain facts:
//! a task for every missed call (R-A1…R-A5) and a lead for every answered or
//! missed call (R-L2…R-L4), with the settings of R-X6 and the timing of
//! R-C3a/R-C3b.
//!
//! Keep true: nothing here reads a clock, a database or the network. The
//! caller gathers the facts (in the transaction that will write the effects),
//! asks for a decision, and writes exactly what the decision says. The same
//! facts always give the same decision, which is what makes a re-run of a
//! job harmless (R-A6, R-L6).

use crate::business_hours::BusinessHours;
use crate::company::Locale;
use crate::event::FieldError;
use crate::texts::{text, Text};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------
// Settings (R-X6)
// ---------------------------------------------------------------------------

/// R-A3: one task shared by all assignees, or one task each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskMode {
    #[default]
    Shared,
    Each,
}

impl TaskMode {
    pub const ALL: [TaskMode; 2] = [Self::Shared, Self::Each];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shared => "shared",
            Self::Each => "each",
        }
    }

    pub fn parse(s: &str) -> Option<TaskMode> {
        match s {
            "shared" => Some(Self::Shared),
            "each" => Some(Self::Each),
            _ => None,
        }
    }

    /// R-A3: the assignees of each task to make, for the rule's tasks and for
    /// tasks made by hand alike. Each assignee once, in the order given:
    /// `shared` makes one task for all of them, `each` one task per assignee.
    /// No assignee, no task.
    pub fn split(self, assignee_ids: &[i64]) -> Vec<Vec<i64>> {
        let mut once: Vec<i64> = Vec::with_capacity(assignee_ids.len());
        for &id in assignee_ids {
            if !once.contains(&id) {
                once.push(id);
            }
        }
        match self {
            _ if once.is_empty() => vec![],
            Self::Shared => vec![once],
            Self::Each => once.into_iter().map(|id| vec![id]).collect(),
        }
    }
}

/// R-A4: the offset from the miss to the task's due date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DueIn {
    pub days: u32,
    pub hours: u32,
    pub minutes: u32,
}

/// §4: "create a task for a missed incoming call".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MissedCallTaskRule {
    pub enabled: bool,
    /// In order; the first active one is the author (R-A2).
    pub assignee_ids: Vec<i64>,
    pub mode: TaskMode,
    pub due_in: DueIn,
    pub link_order: bool,
    pub link_lead: bool,
}

/// §5: one of "create a lead for an answered / a missed incoming call".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeadRule {
    pub enabled: bool,
    pub lead_type_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub notify_ids: Vec<i64>,
    pub even_if_open_order: bool,
    pub even_if_open_lead: bool,
}

/// `GET|PUT /api/v1/settings/telephony` (R-X6). Missing fields take their
/// defaults; unknown fields are refused, so a typo is not silently ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelephonySettings {
    pub missed_call_task: MissedCallTaskRule,
    pub answered_call_lead: LeadRule,
    pub missed_call_lead: LeadRule,
    /// R-C7.
    pub recovery_window_days: u32,
    /// R-C7: only answered callbacks recover.
    pub recover_only_answered: bool,
    /// R-C7: an answered inbound call from the same number also recovers.
    pub inbound_answer_recovers: bool,
    /// R-L3: an unknown caller's open lead is reused instead of a new one.
    pub reuse_unknown_caller_lead: bool,
    /// R-C3a.
    pub settle_seconds: u32,
    /// R-C3b.
    pub stale_call_hours: u32,
    /// Issue 13 item 4: the company's open hours per weekday, in its time
    /// zone; the callback SLA counts only this time.
    pub business_hours: BusinessHours,
    /// Issue 13 item 4: a missed call should be called back within this many
    /// business minutes of its end; 0: no SLA.
    pub callback_sla_minutes: u32,
    /// R-U4: T of the service level (calls answered within T seconds).
    pub service_level_seconds: u32,
}

impl Default for TelephonySettings {
    /// Every rule off (§4), window 7 days, settle 5 s, stale after 4 hours;
    /// business hours Monday to Friday 09:00–18:00, no callback SLA (a
    /// company that wants one sets it: none starts unannounced on upgrade),
    /// service level T = 20 s (R-U4).
    fn default() -> Self {
        TelephonySettings {
            missed_call_task: MissedCallTaskRule::default(),
            answered_call_lead: LeadRule::default(),
            missed_call_lead: LeadRule::default(),
            recovery_window_days: 7,
            recover_only_answered: false,
            inbound_answer_recovers: false,
            reuse_unknown_caller_lead: false,
            settle_seconds: 5,
            stale_call_hours: 4,
            business_hours: BusinessHours::default(),
            callback_sla_minutes: 0,
            service_level_seconds: 20,
        }
    }
}

/// The body of `PUT /api/v1/settings/telephony` (R-X6). The three rule blocks
/// are required, so a block left out cannot switch its rule off unseen; a
/// scalar setting left out (or null) keeps its current value ([`Self::over`]).
/// Inside a block a field left out takes its default, as in
/// [`TelephonySettings`]. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelephonySettingsPut {
    pub missed_call_task: MissedCallTaskRule,
    pub answered_call_lead: LeadRule,
    pub missed_call_lead: LeadRule,
    pub recovery_window_days: Option<u32>,
    pub recover_only_answered: Option<bool>,
    pub inbound_answer_recovers: Option<bool>,
    pub reuse_unknown_caller_lead: Option<bool>,
    pub settle_seconds: Option<u32>,
    pub stale_call_hours: Option<u32>,
    /// The whole week: a day left out of the object is closed.
    pub business_hours: Option<BusinessHours>,
    pub callback_sla_minutes: Option<u32>,
    pub service_level_seconds: Option<u32>,
}

impl TelephonySettingsPut {
    /// The settings this body makes of the `current` ones.
    pub fn over(self, current: &TelephonySettings) -> TelephonySettings {
        TelephonySettings {
            missed_call_task: self.missed_call_task,
            answered_call_lead: self.answered_call_lead,
            missed_call_lead: self.missed_call_lead,
            recovery_window_days: self
                .recovery_window_days
                .unwrap_or(current.recovery_window_days),
            recover_only_answered: self
                .recover_only_answered
                .unwrap_or(current.recover_only_answered),
            inbound_answer_recovers: self
                .inbound_answer_recovers
                .unwrap_or(current.inbound_answer_recovers),
            reuse_unknown_caller_lead: self
                .reuse_unknown_caller_lead
                .unwrap_or(current.reuse_unknown_caller_lead),
            settle_seconds: self.settle_seconds.unwrap_or(current.settle_seconds),
            stale_call_hours: self.stale_call_hours.unwrap_or(current.stale_call_hours),
            business_hours: self
                .business_hours
                .unwrap_or_else(|| current.business_hours.clone()),
            callback_sla_minutes: self
                .callback_sla_minutes
                .unwrap_or(current.callback_sla_minutes),
            service_level_seconds: self
                .service_level_seconds
                .unwrap_or(current.service_level_seconds),
        }
    }
}

/// What the company knows of an employee id, for [`TelephonySettings::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmployeeStatus {
    Active,
    Inactive,
    /// Not an employee of this company (R-T1).
    Unknown,
}

/// Upper bounds on what the settings page accepts.
pub const MAX_SETTLE_SECONDS: u32 = 3600;
pub const MAX_STALE_CALL_HOURS: u32 = 720;
pub const MAX_RECOVERY_WINDOW_DAYS: u32 = 365;
pub const MAX_DUE_IN_DAYS: u32 = 365;
pub const MAX_DUE_IN_HOURS: u32 = 24 * 365;
pub const MAX_DUE_IN_MINUTES: u32 = 60 * 24 * 365;
/// A callback SLA of at most a month of round-the-clock business minutes.
pub const MAX_CALLBACK_SLA_MINUTES: u32 = 60 * 24 * 31;
/// R-U4's T: 1 s to an hour.
pub const MAX_SERVICE_LEVEL_SECONDS: u32 = 3600;

impl TelephonySettings {
    /// Whether any automation rule (§4, §5) is switched on.
    pub fn any_rule_on(&self) -> bool {
        self.missed_call_task.enabled
            || self.answered_call_lead.enabled
            || self.missed_call_lead.enabled
    }

    /// Checks the settings before they are stored; the error names the first
    /// offending field as a path (`missed_call_task.assignee_ids[1]`).
    ///
    /// Employee ids must be active employees of the company, wherever they
    /// appear; no assignee twice. A lead rule that is enabled must name a lead
    /// type; a named lead type must exist. An enabled task rule must name at
    /// least one assignee (R-A2).
    ///
    /// # Errors
    /// A [`FieldError`] for the first problem, in the order of R-X6's fields.
    pub fn validate(
        &self,
        known: &dyn Fn(i64) -> EmployeeStatus,
        lead_type_exists: &dyn Fn(i64) -> bool,
    ) -> Result<(), FieldError> {
        let employee = |field: String, id: i64| -> Result<(), FieldError> {
            match known(id) {
                EmployeeStatus::Active => Ok(()),
                EmployeeStatus::Inactive => Err(FieldError::new(
                    field,
                    format!("employee {id} is deactivated"),
                )),
                EmployeeStatus::Unknown => Err(FieldError::new(
                    field,
                    format!("{id} is not an employee of this company"),
                )),
            }
        };

        let task = &self.missed_call_task;
        if task.enabled && task.assignee_ids.is_empty() {
            return Err(FieldError::new(
                "missed_call_task.assignee_ids",
                "must name at least one employee when the rule is enabled",
            ));
        }
        for (i, &id) in task.assignee_ids.iter().enumerate() {
            let field = format!("missed_call_task.assignee_ids[{i}]");
            if task.assignee_ids[..i].contains(&id) {
                return Err(FieldError::new(
                    field,
                    format!("employee {id} is named twice"),
                ));
            }
            employee(field, id)?;
        }
        for (name, value, max) in [
            ("days", task.due_in.days, MAX_DUE_IN_DAYS),
            ("hours", task.due_in.hours, MAX_DUE_IN_HOURS),
            ("minutes", task.due_in.minutes, MAX_DUE_IN_MINUTES),
        ] {
            if value > max {
                return Err(FieldError::new(
                    format!("missed_call_task.due_in.{name}"),
                    format!("must be at most {max}"),
                ));
            }
        }

        for (block, rule) in [
            ("answered_call_lead", &self.answered_call_lead),
            ("missed_call_lead", &self.missed_call_lead),
        ] {
            match rule.lead_type_id {
                None if rule.enabled => {
                    return Err(FieldError::new(
                        format!("{block}.lead_type_id"),
                        "is required when the rule is enabled",
                    ))
                }
                Some(id) if !lead_type_exists(id) => {
                    return Err(FieldError::new(
                        format!("{block}.lead_type_id"),
                        format!("{id} is not a lead type of this company"),
                    ))
                }
                _ => {}
            }
            if let Some(id) = rule.manager_id {
                employee(format!("{block}.manager_id"), id)?;
            }
            for (i, &id) in rule.notify_ids.iter().enumerate() {
                employee(format!("{block}.notify_ids[{i}]"), id)?;
            }
        }

        if self.recovery_window_days == 0 || self.recovery_window_days > MAX_RECOVERY_WINDOW_DAYS {
            return Err(FieldError::new(
                "recovery_window_days",
                format!("must be between 1 and {MAX_RECOVERY_WINDOW_DAYS}"),
            ));
        }
        if self.settle_seconds > MAX_SETTLE_SECONDS {
            return Err(FieldError::new(
                "settle_seconds",
                format!("must be between 0 and {MAX_SETTLE_SECONDS}"),
            ));
        }
        if self.stale_call_hours == 0 || self.stale_call_hours > MAX_STALE_CALL_HOURS {
            return Err(FieldError::new(
                "stale_call_hours",
                format!("must be between 1 and {MAX_STALE_CALL_HOURS}"),
            ));
        }
        self.business_hours.check("business_hours")?;
        if self.callback_sla_minutes > MAX_CALLBACK_SLA_MINUTES {
            return Err(FieldError::new(
                "callback_sla_minutes",
                format!("must be between 0 (no SLA) and {MAX_CALLBACK_SLA_MINUTES}"),
            ));
        }
        if self.service_level_seconds == 0 || self.service_level_seconds > MAX_SERVICE_LEVEL_SECONDS
        {
            return Err(FieldError::new(
                "service_level_seconds",
                format!("must be between 1 and {MAX_SERVICE_LEVEL_SECONDS}"),
            ));
        }
        Ok(())
    }

    /// The block of a lead rule; `None` for [`Rule::MissedCallTask`].
    pub fn lead_rule(&self, rule: Rule) -> Option<&LeadRule> {
        match rule {
            Rule::MissedCallTask => None,
            Rule::AnsweredCallLead => Some(&self.answered_call_lead),
            Rule::MissedCallLead => Some(&self.missed_call_lead),
        }
    }
}

// ---------------------------------------------------------------------------
// Timing (R-A4, R-C3a, R-C3b)
// ---------------------------------------------------------------------------

/// R-A4: the due date of a missed-call task. The days are calendar days in the
/// company's time zone (the same wall-clock time, across daylight-saving
/// changes); then the hours and minutes are added as elapsed time. A wall
/// time that falls into a gap is moved forward, as jiff's "compatible" rule
/// does. Offsets beyond jiff's range (not reachable through
/// [`TelephonySettings::validate`]) give the latest representable instant.
pub fn due_at(missed_at: Timestamp, due_in: &DueIn, tz: &TimeZone) -> Timestamp {
    let after_days = missed_at
        .to_zoned(tz.clone())
        .checked_add(Span::new().days(i64::from(due_in.days)))
        .map(|z| z.timestamp());
    let elapsed = SignedDuration::from_hours(i64::from(due_in.hours))
        + SignedDuration::from_mins(i64::from(due_in.minutes));
    after_days
        .and_then(|t| t.checked_add(elapsed))
        .unwrap_or(Timestamp::MAX)
}

/// R-C3a: when the missed-call rules may act on a call whose ending event was
/// received at `ending_received_at`.
pub fn settle_deadline(ending_received_at: Timestamp, settings: &TelephonySettings) -> Timestamp {
    ending_received_at
        .checked_add(SignedDuration::from_secs(i64::from(
            settings.settle_seconds,
        )))
        .unwrap_or(Timestamp::MAX)
}

/// R-C3b: whether a call that has not ended and last received an event at
/// `last_event_received_at` is, at `now`, to be closed as `failed` with the
/// reason [`Text::NoEndEvent`].
pub fn is_stale(
    last_event_received_at: Timestamp,
    now: Timestamp,
    settings: &TelephonySettings,
) -> bool {
    let limit = SignedDuration::from_hours(i64::from(settings.stale_call_hours));
    now.duration_since(last_event_received_at) >= limit
}

// ---------------------------------------------------------------------------
// Facts the caller gathers
// ---------------------------------------------------------------------------

/// What a rule needs to know about the call, as it stands when the rule acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFacts {
    pub call_id: i64,
    /// R-C1: `inbound`; §5's rules are for incoming calls only.
    pub inbound: bool,
    /// R-C4.
    pub missed: bool,
    /// The call has an `answered` state (R-C3).
    pub answered: bool,
    /// The `at` of the ending event (R-A4); a missed call has one.
    pub ended_at: Option<Timestamp>,
    /// The customer's number as it is to be shown on a lead (R-P2's E.164
    /// form, or the raw text when it could not be parsed).
    pub customer_number: String,
    /// R-P6: the number identifies nobody.
    pub customer_withheld: bool,
    /// R-P7: the call is not a customer call (internal, or an ignored number);
    /// no rule makes a lead or a task for it.
    pub not_customer: Option<NotCustomer>,
}

/// R-P7: why a call is not a customer call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotCustomer {
    /// Both ends are the company's extensions.
    Internal,
    /// One end is on the company's ignore list.
    Ignored,
}

impl NotCustomer {
    pub const ALL: [NotCustomer; 2] = [Self::Internal, Self::Ignored];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::Ignored => "ignored",
        }
    }

    pub fn parse(s: &str) -> Option<NotCustomer> {
        Self::ALL.into_iter().find(|n| n.as_str() == s)
    }

    /// What the call's automation record says for every rule (R-P7).
    pub fn reason(self) -> Text {
        match self {
            Self::Internal => Text::InternalCall,
            Self::Ignored => Text::IgnoredNumber,
        }
    }
}

/// R-P7: whether a call with these two ends is not a customer call.
///
/// Internal: both ends, as sent (trimmed), are extensions of the company's
/// employees. Ignored: either end, normalised with the company's country
/// (R-P2), is on the ignore list. Decided once, on the call's first event;
/// a later change to the list or to the extensions does not reclassify
/// calls already recorded.
pub fn not_customer(
    from: &str,
    to: &str,
    is_extension: &dyn Fn(&str) -> bool,
    ignored: &[crate::phone::PhoneKey],
    country: &crate::phone::Country,
) -> Option<NotCustomer> {
    let (from, to) = (from.trim(), to.trim());
    if !from.is_empty() && !to.is_empty() && is_extension(from) && is_extension(to) {
        return Some(NotCustomer::Internal);
    }
    let on_list = |raw: &str| {
        !crate::phone::is_withheld(raw)
            && crate::phone::normalise(raw, country).is_ok_and(|n| ignored.contains(&n.key))
    };
    (on_list(from) || on_list(to)).then_some(NotCustomer::Ignored)
}

/// A client whose phone matches the caller's number (R-P3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFacts {
    pub client_id: i64,
    pub name: String,
    pub created_at: Timestamp,
}

/// R-P4: of the clients matching one number, the most recently created
/// (ties: the highest id, so the choice never depends on the slice's order).
pub fn pick_client(clients: &[ClientFacts]) -> Option<&ClientFacts> {
    clients.iter().max_by_key(|c| (c.created_at, c.client_id))
}

/// The chosen client's open work (R-A5): the most recently created open work
/// order (status not in `closed_success`/`closed_failure`) and open lead
/// (status not in `won`/`lost`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenWork {
    pub newest_open_order_id: Option<i64>,
    pub newest_open_lead_id: Option<i64>,
}

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

/// The rules of §4 and §5, named as in R-X5's `automation[].rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    MissedCallTask,
    AnsweredCallLead,
    MissedCallLead,
}

impl Rule {
    pub const ALL: [Rule; 3] = [
        Self::MissedCallTask,
        Self::AnsweredCallLead,
        Self::MissedCallLead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissedCallTask => "missed_call_task",
            Self::AnsweredCallLead => "answered_call_lead",
            Self::MissedCallLead => "missed_call_lead",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The rules whose effects R-C3a cancels when the call proves answered.
    pub fn is_missed_call_rule(self) -> bool {
        matches!(self, Self::MissedCallTask | Self::MissedCallLead)
    }
}

/// R-X5's `automation[].outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Skipped,
    /// Waiting for the settle time (R-C3a).
    Pending,
    /// Undone because the call proved answered (R-C3a).
    Cancelled,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Self::Created, Self::Skipped, Self::Pending, Self::Cancelled];

    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Skipped => "skipped",
            Self::Pending => "pending",
            Self::Cancelled => "cancelled",
        }
    }
}

/// One task to write (R-M8). The call it came from is `call_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTaskPlan {
    pub call_id: i64,
    /// R-A1, in the company's locale.
    pub title: &'static str,
    /// "Call back: +380… · Client's name" in the company's locale (issue 13
    /// item 3); none for a withheld number.
    pub description: Option<String>,
    pub author_id: i64,
    pub assignee_ids: Vec<i64>,
    pub mode: TaskMode,
    pub due_at: Timestamp,
    /// R-A5: at most one of `order_id` and `lead_id` is set.
    pub order_id: Option<i64>,
    pub lead_id: Option<i64>,
}

/// What the missed-call task rule does for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskDecision {
    /// Write these tasks, all in one transaction; `notes` go into the call's
    /// automation record (R-A2), `skipped_assignee_ids` are the deactivated
    /// assignees that were passed over.
    Create {
        tasks: Vec<NewTaskPlan>,
        notes: Vec<Text>,
        skipped_assignee_ids: Vec<i64>,
    },
    Skip {
        reason: Text,
    },
}

impl TaskDecision {
    /// The automation record's `outcome` (R-X5).
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Create { .. } => Outcome::Created,
            Self::Skip { .. } => Outcome::Skipped,
        }
    }
}

/// R-A1…R-A5: the tasks for one call.
///
/// * `client`: the client chosen with [`pick_client`], if any; ignored for a
///   withheld number (R-P6). `open_work` is that client's.
/// * `lead_made_for_this_call`: the lead the missed-call lead rule made from
///   this same call, if any (R-A5, our decision).
/// * `is_active`: whether an employee is active (R-A2).
/// * `owner_id`: the company owner, who gets the task when no assignee is
///   active.
#[expect(
    clippy::too_many_arguments,
    reason = "each is one of R-A1…R-A5's facts"
)]
pub fn decide_missed_call_task(
    settings: &TelephonySettings,
    call: &CallFacts,
    client: Option<&ClientFacts>,
    open_work: &OpenWork,
    lead_made_for_this_call: Option<i64>,
    is_active: &dyn Fn(i64) -> bool,
    owner_id: i64,
    locale: Locale,
    tz: &TimeZone,
) -> TaskDecision {
    let rule = &settings.missed_call_task;
    if !rule.enabled {
        return TaskDecision::Skip {
            reason: Text::RuleOff,
        };
    }
    if let Some(n) = call.not_customer {
        return TaskDecision::Skip { reason: n.reason() };
    }
    if call.answered {
        return TaskDecision::Skip {
            reason: Text::CallWasAnswered,
        };
    }
    let missed_at = match call.ended_at {
        Some(at) if call.missed => at,
        _ => {
            return TaskDecision::Skip {
                reason: Text::CallWasNotMissed,
            }
        }
    };

    // R-A2: in order, each once, deactivated ones skipped, else the owner.
    let mut active: Vec<i64> = Vec::new();
    let mut skipped: Vec<i64> = Vec::new();
    for &id in &rule.assignee_ids {
        if active.contains(&id) || skipped.contains(&id) {
            continue;
        }
        if is_active(id) {
            active.push(id);
        } else {
            skipped.push(id);
        }
    }
    let mut notes = Vec::new();
    if !skipped.is_empty() {
        notes.push(Text::AssigneeDeactivatedSkipped);
    }
    if active.is_empty() {
        active.push(owner_id);
        notes.push(Text::NoActiveAssigneeGivenToOwner);
    }
    let author_id = active[0];

    // R-A5: the work order wins; then the lead made from this call, then the
    // client's newest open lead.
    let client_work = match client {
        Some(_) if !call.customer_withheld => *open_work,
        _ => OpenWork::default(),
    };
    let order_id = if rule.link_order {
        client_work.newest_open_order_id
    } else {
        None
    };
    let lead_id = if rule.link_lead && order_id.is_none() {
        lead_made_for_this_call.or(client_work.newest_open_lead_id)
    } else {
        None
    };

    let description = (!call.customer_withheld && !call.customer_number.is_empty()).then(|| {
        let mut d = format!(
            "{}: {}",
            text(Text::MissedCallTaskCallBack, locale),
            call.customer_number
        );
        if let Some(c) = client {
            d.push_str(" · ");
            d.push_str(&c.name);
        }
        d
    });
    let plan = |assignee_ids: Vec<i64>| NewTaskPlan {
        call_id: call.call_id,
        title: text(Text::MissedCallTaskTitle, locale),
        description: description.clone(),
        author_id,
        assignee_ids,
        mode: rule.mode,
        due_at: due_at(missed_at, &rule.due_in, tz),
        order_id,
        lead_id,
    };
    let tasks = rule.mode.split(&active).into_iter().map(plan).collect();
    TaskDecision::Create {
        tasks,
        notes,
        skipped_assignee_ids: skipped,
    }
}

/// Where a lead came from (R-M1's `source`).
pub const SOURCE_CALL_ANSWERED: &str = "call_answered";
pub const SOURCE_CALL_MISSED: &str = "call_missed";

/// One lead to write (R-L4). Its status is the lead type's initial status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLeadPlan {
    pub call_id: i64,
    /// The block's lead type; `None` only if the block names none, when the
    /// company's default type is meant.
    pub lead_type_id: Option<i64>,
    pub manager_id: Option<i64>,
    pub client_id: Option<i64>,
    /// The client's name, or "Unknown client" in the company's locale.
    pub client_name: String,
    /// The caller's number; `None` when withheld (R-P6).
    pub phone: Option<String>,
    /// Missed calls only: "Missed call" in the company's locale.
    pub description: Option<&'static str>,
    /// [`SOURCE_CALL_ANSWERED`] or [`SOURCE_CALL_MISSED`].
    pub source: &'static str,
    /// Who is notified (R-L1, R-L6), besides the manager.
    pub notify_ids: Vec<i64>,
}

/// What a lead rule does for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadDecision {
    Create(NewLeadPlan),
    /// R-L3's option: link the call to the unknown caller's open lead instead
    /// of making a new one. Recorded as `skipped` with
    /// [`Text::ReusedCallersOpenLead`] and this `lead_id`.
    Reuse {
        lead_id: i64,
    },
    /// No lead. `link_call_to_lead`: the known client's most recent open lead,
    /// to which the call is linked (R-L3, second half).
    Skip {
        reason: Text,
        link_call_to_lead: Option<i64>,
    },
}

impl LeadDecision {
    /// The automation record's `outcome` (R-X5).
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Create(_) => Outcome::Created,
            Self::Reuse { .. } | Self::Skip { .. } => Outcome::Skipped,
        }
    }

    /// The automation record's `reason` (R-X5); `None` when a lead is made.
    pub fn reason(&self) -> Option<Text> {
        match self {
            Self::Create(_) => None,
            Self::Reuse { .. } => Some(Text::ReusedCallersOpenLead),
            Self::Skip { reason, .. } => Some(*reason),
        }
    }
}

/// R-L2…R-L4: the lead for one call under `rule` (one of the two lead rules;
/// [`Rule::MissedCallTask`] is not one and gives `Skip { RuleOff }`).
///
/// * `client`: the client chosen with [`pick_client`], if any; ignored for a
///   withheld number (R-P6). `open_work` is that client's.
/// * `reusable_unknown_lead`: for a caller who matches no client, the newest
///   open lead with the same number (used only with
///   `reuse_unknown_caller_lead`, R-L3).
///
/// The answered-call rule applies to an answered inbound call, the missed-call
/// rule to a missed one not since proved answered (R-C3a).
pub fn decide_lead(
    rule: Rule,
    settings: &TelephonySettings,
    call: &CallFacts,
    client: Option<&ClientFacts>,
    open_work: &OpenWork,
    reusable_unknown_lead: Option<i64>,
    locale: Locale,
) -> LeadDecision {
    let skip = |reason, link_call_to_lead| LeadDecision::Skip {
        reason,
        link_call_to_lead,
    };
    let Some(block) = settings.lead_rule(rule) else {
        return skip(Text::RuleOff, None);
    };
    // R-P7: not a customer call; no lead, and nothing is linked.
    if let Some(n) = call.not_customer {
        return skip(n.reason(), None);
    }

    // Whether the rule is about this call at all.
    let not_for_this_call = match rule {
        Rule::AnsweredCallLead if !call.inbound => Some(Text::OutboundCall),
        Rule::AnsweredCallLead if !call.answered => Some(Text::CallWasNotAnswered),
        Rule::MissedCallLead if call.answered => Some(Text::CallWasAnswered),
        Rule::MissedCallLead if !call.missed => Some(Text::CallWasNotMissed),
        _ => None,
    };
    if let Some(reason) = not_for_this_call {
        return skip(reason, None);
    }

    let client = client.filter(|_| !call.customer_withheld);
    // R-L3, second half: a known client's call joins their newest open lead
    // whenever no lead is made for it.
    let client_lead = client.and(open_work.newest_open_lead_id);

    if !block.enabled {
        return skip(Text::RuleOff, client_lead);
    }
    match client {
        Some(_) => {
            if open_work.newest_open_order_id.is_some() && !block.even_if_open_order {
                return skip(Text::ClientHasOpenOrder, client_lead);
            }
            if open_work.newest_open_lead_id.is_some() && !block.even_if_open_lead {
                return skip(Text::ClientHasOpenLead, client_lead);
            }
        }
        None => {
            // R-L3: an unknown caller gets a lead on every call, unless the
            // company reuses their open lead. A withheld number groups nothing.
            if settings.reuse_unknown_caller_lead && !call.customer_withheld {
                if let Some(lead_id) = reusable_unknown_lead {
                    return LeadDecision::Reuse { lead_id };
                }
            }
        }
    }

    let missed = rule == Rule::MissedCallLead;
    let number = call.customer_number.trim();
    LeadDecision::Create(NewLeadPlan {
        call_id: call.call_id,
        lead_type_id: block.lead_type_id,
        manager_id: block.manager_id,
        client_id: client.map(|c| c.client_id),
        client_name: client.map_or_else(
            || text(Text::UnknownClient, locale).to_owned(),
            |c| c.name.clone(),
        ),
        phone: (!call.customer_withheld && !number.is_empty()).then(|| number.to_owned()),
        description: missed.then(|| text(Text::MissedCallLeadDescription, locale)),
        source: if missed {
            SOURCE_CALL_MISSED
        } else {
            SOURCE_CALL_ANSWERED
        },
        notify_ids: block.notify_ids.clone(),
    })
}

// ---------------------------------------------------------------------------
// Effects: what a call event, a decision or a stale call changes
// ---------------------------------------------------------------------------

/// One change for the store to write, in the transaction that gathered the
/// facts. The store applies effects in order and decides nothing itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The rule's durable job, due at `run_at` (once per call and rule, R-A6).
    EnqueueRule { rule: Rule, run_at: Timestamp },
    /// The stale-call check (R-C3b), due at `run_at`.
    EnqueueStaleCheck { run_at: Timestamp },
    /// The call has ended: its stale-call check, if waiting, has nothing to do.
    DropStaleCheck,
    /// R-C3a: the missed-call rules' jobs, if still waiting, have nothing to do.
    DropMissedCallJobs,
    /// Decide the lead rule now, in this transaction, with [`decide_lead`]
    /// (its facts gathered then), and apply [`LeadDecision::effects`]. Used
    /// when no lead can come of it, so that no number is drawn in a batch of
    /// call events.
    DecideLeadNow { rule: Rule },
    /// Write what a rule did for the call (R-X5's `automation` entry).
    /// `keep_existing`: keep a record already there (a rule that has acted).
    Record {
        rule: Rule,
        outcome: Outcome,
        reason: Option<Text>,
        notes: Vec<Text>,
        lead_id: Option<i64>,
        keep_existing: bool,
    },
    /// R-C3a: the open tasks the missed-call task rule made for this call
    /// become `cancelled`, with this reason.
    CancelMissedCallTasks { reason: Text },
    /// R-C3a: the lead moves to the system status `cancelled` (R-M2).
    CancelLead { lead_id: i64 },
    /// R-L4: make the lead, send the notifications R-L6 says
    /// ([`crate::notify::LeadEvent::MadeByRule`]) and record the rule
    /// `created` with the new lead.
    CreateLead { rule: Rule, plan: NewLeadPlan },
    /// R-L3: link the call to an existing lead.
    LinkCallToLead { lead_id: i64 },
    /// R-A1: one task to write.
    CreateTask(NewTaskPlan),
}

/// How far a call had got: answered (R-C3) and ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallStage {
    pub answered: bool,
    pub ended: bool,
}

/// What the missed-call rules have recorded for a call so far (R-C3a).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MissedCallRecords {
    pub task: Option<Outcome>,
    /// The lead rule's outcome and the lead it names.
    pub lead: Option<(Outcome, Option<i64>)>,
}

/// How long after a call's first event it is first checked for staleness
/// (R-C3b); the check then reschedules itself by `stale_call_hours`.
pub const FIRST_STALE_CHECK: SignedDuration = SignedDuration::from_hours(1);

/// R-C3b: the call's first event starts its stale-call check.
pub fn on_first_event(now: Timestamp) -> Vec<Effect> {
    vec![Effect::EnqueueStaleCheck {
        run_at: now.checked_add(FIRST_STALE_CHECK).unwrap_or(Timestamp::MAX),
    }]
}

/// What an event that moved the call from `before` to where `call` now
/// stands changes, decided at `now` (when the event was received):
///
/// * newly answered: R-C3a undoes what the missed-call rules made; R-L5's
///   answered-call lead is made by a job due at once when its rule is on for
///   an inbound call (the lead exists while the operator talks), otherwise
///   the rule says why not at once;
/// * newly ended: see [`on_call_ended`].
pub fn on_stage_change(
    before: CallStage,
    call: &CallFacts,
    records: &MissedCallRecords,
    settings: &TelephonySettings,
    now: Timestamp,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    if call.answered && !before.answered {
        effects.extend(on_late_answer(records));
        if settings.answered_call_lead.enabled && call.inbound {
            effects.push(Effect::EnqueueRule {
                rule: Rule::AnsweredCallLead,
                run_at: now,
            });
            effects.push(Effect::Record {
                rule: Rule::AnsweredCallLead,
                outcome: Outcome::Pending,
                reason: Some(Text::CallInProgress),
                notes: vec![],
                lead_id: None,
                keep_existing: false,
            });
        } else {
            effects.push(Effect::DecideLeadNow {
                rule: Rule::AnsweredCallLead,
            });
        }
    }
    if call.ended_at.is_some() && !before.ended {
        effects.extend(on_call_ended(call, settings, now));
    }
    effects
}

/// R-C3a: the call proved answered. A task the missed-call rule made is
/// cancelled and a lead moves to `cancelled`; a rule still waiting for the
/// settle time is skipped ("call was answered") and its job dropped. A call
/// the missed-call rules never looked at (most calls are answered before they
/// end) has nothing to undo.
pub fn on_late_answer(records: &MissedCallRecords) -> Vec<Effect> {
    if records.task.is_none() && records.lead.is_none() {
        return vec![];
    }
    let answered = |rule, outcome, lead_id| Effect::Record {
        rule,
        outcome,
        reason: Some(Text::CallWasAnswered),
        notes: vec![],
        lead_id,
        keep_existing: false,
    };
    let mut effects = Vec::new();
    match records.task {
        Some(Outcome::Created) => {
            effects.push(Effect::CancelMissedCallTasks {
                reason: Text::CallWasAnswered,
            });
            effects.push(answered(Rule::MissedCallTask, Outcome::Cancelled, None));
        }
        Some(Outcome::Pending) => {
            effects.push(answered(Rule::MissedCallTask, Outcome::Skipped, None));
        }
        _ => {}
    }
    match records.lead {
        Some((Outcome::Created, lead_id)) => {
            if let Some(lead_id) = lead_id {
                effects.push(Effect::CancelLead { lead_id });
            }
            effects.push(answered(Rule::MissedCallLead, Outcome::Cancelled, lead_id));
        }
        Some((Outcome::Pending, _)) => {
            effects.push(answered(Rule::MissedCallLead, Outcome::Skipped, None));
        }
        _ => {}
    }
    effects.push(Effect::DropMissedCallJobs);
    effects
}

/// The call has ended (or was closed as stale, R-C3b) at `now`: a missed
/// call's rules wait for the settle time in durable jobs (R-C3a); rules that
/// cannot apply say why at once, unless they have already acted. The
/// stale-call check is no longer needed.
pub fn on_call_ended(
    call: &CallFacts,
    settings: &TelephonySettings,
    now: Timestamp,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    let said = |rule, outcome, reason| Effect::Record {
        rule,
        outcome,
        reason: Some(reason),
        notes: vec![],
        lead_id: None,
        keep_existing: true,
    };
    // R-P7: not a customer call; no rule waits for anything, each says why.
    if let Some(n) = call.not_customer {
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            effects.push(said(rule, Outcome::Skipped, n.reason()));
        }
        if !call.answered {
            effects.push(said(Rule::AnsweredCallLead, Outcome::Skipped, n.reason()));
        }
        effects.push(Effect::DropStaleCheck);
        return effects;
    }
    if call.missed {
        let run_at = settle_deadline(now, settings);
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            effects.push(Effect::EnqueueRule { rule, run_at });
            effects.push(said(rule, Outcome::Pending, Text::WaitingForSettleTime));
        }
    } else {
        let why = if call.answered {
            Text::CallWasAnswered
        } else {
            Text::CallWasNotMissed
        };
        for rule in [Rule::MissedCallLead, Rule::MissedCallTask] {
            effects.push(said(rule, Outcome::Skipped, why));
        }
    }
    if !call.answered {
        let why = if call.inbound {
            Text::CallWasNotAnswered
        } else {
            Text::OutboundCall
        };
        effects.push(said(Rule::AnsweredCallLead, Outcome::Skipped, why));
    }
    effects.push(Effect::DropStaleCheck);
    effects
}

impl TaskDecision {
    /// The effects of this decision: its tasks, and the rule's record (with
    /// R-A2's notes), or only the record saying why not.
    pub fn effects(self) -> Vec<Effect> {
        let record = |outcome, reason, notes| Effect::Record {
            rule: Rule::MissedCallTask,
            outcome,
            reason,
            notes,
            lead_id: None,
            keep_existing: false,
        };
        match self {
            TaskDecision::Create { tasks, notes, .. } => {
                let mut effects: Vec<Effect> = tasks.into_iter().map(Effect::CreateTask).collect();
                effects.push(record(Outcome::Created, None, notes));
                effects
            }
            TaskDecision::Skip { reason } => vec![record(Outcome::Skipped, Some(reason), vec![])],
        }
    }
}

impl LeadDecision {
    /// The effects of this decision under `rule`: the lead to make, or the
    /// lead the call joins (R-L3) and the record saying why no lead was made.
    pub fn effects(self, rule: Rule) -> Vec<Effect> {
        let skipped = |reason, lead_id| Effect::Record {
            rule,
            outcome: Outcome::Skipped,
            reason: Some(reason),
            notes: vec![],
            lead_id,
            keep_existing: false,
        };
        match self {
            LeadDecision::Create(plan) => vec![Effect::CreateLead { rule, plan }],
            LeadDecision::Reuse { lead_id } => vec![
                Effect::LinkCallToLead { lead_id },
                skipped(Text::ReusedCallersOpenLead, Some(lead_id)),
            ],
            LeadDecision::Skip {
                reason,
                link_call_to_lead,
            } => link_call_to_lead
                .map(|lead_id| Effect::LinkCallToLead { lead_id })
                .into_iter()
                .chain([skipped(reason, link_call_to_lead)])
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_put_without_one_of_the_three_rule_blocks_is_refused_naming_it_r_x6() {
        let full = serde_json::json!({"missed_call_task": {}, "answered_call_lead": {},
                                      "missed_call_lead": {}});
        assert!(serde_json::from_value::<TelephonySettingsPut>(full.clone()).is_ok());
        for block in ["missed_call_task", "answered_call_lead", "missed_call_lead"] {
            let mut body = full.clone();
            body.as_object_mut().unwrap().remove(block);
            let err = serde_json::from_value::<TelephonySettingsPut>(body)
                .unwrap_err()
                .to_string();
            assert!(err.contains(block), "{err}");
        }
    }

    #[test]
    fn a_scalar_setting_left_out_of_a_settings_put_keeps_its_current_value_r_x6() {
        let current = TelephonySettings {
            recovery_window_days: 30,
            recover_only_answered: true,
            inbound_answer_recovers: true,
            reuse_unknown_caller_lead: true,
            settle_seconds: 0,
            stale_call_hours: 12,
            ..TelephonySettings::default()
        };
        let put: TelephonySettingsPut = serde_json::from_value(serde_json::json!({
            "missed_call_task": {"enabled": true, "assignee_ids": [1]},
            "answered_call_lead": {}, "missed_call_lead": {}, "settle_seconds": 9
        }))
        .unwrap();
        let new = put.over(&current);
        assert_eq!(
            new,
            TelephonySettings {
                missed_call_task: MissedCallTaskRule {
                    enabled: true,
                    assignee_ids: vec![1],
                    ..MissedCallTaskRule::default()
                },
                settle_seconds: 9,
                ..current
            }
        );
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn kyiv() -> TimeZone {
        TimeZone::get("Europe/Kyiv").unwrap()
    }

    /// A local wall time in Kyiv as an instant.
    fn kyiv_at(civil: &str) -> Timestamp {
        civil
            .parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(kyiv())
            .unwrap()
            .timestamp()
    }

    const OWNER: i64 = 1;

    fn missed_call() -> CallFacts {
        CallFacts {
            call_id: 500,
            inbound: true,
            missed: true,
            answered: false,
            ended_at: Some(kyiv_at("2023-06-19T13:00")),
            customer_number: "+380671234567".into(),
            customer_withheld: false,
            not_customer: None,
        }
    }

    fn answered_call() -> CallFacts {
        CallFacts {
            missed: false,
            answered: true,
            ..missed_call()
        }
    }

    fn client(id: i64, name: &str, created: &str) -> ClientFacts {
        ClientFacts {
            client_id: id,
            name: name.into(),
            created_at: ts(created),
        }
    }

    fn task_settings(assignees: &[i64], mode: TaskMode) -> TelephonySettings {
        let missed_call_task = MissedCallTaskRule {
            enabled: true,
            assignee_ids: assignees.to_vec(),
            mode,
            due_in: DueIn {
                days: 0,
                hours: 2,
                minutes: 0,
            },
            link_order: true,
            link_lead: true,
        };
        TelephonySettings {
            missed_call_task,
            ..TelephonySettings::default()
        }
    }

    fn lead_rule(even_if_open_order: bool, even_if_open_lead: bool) -> LeadRule {
        LeadRule {
            enabled: true,
            lead_type_id: Some(30),
            manager_id: Some(7),
            notify_ids: vec![8, 9],
            even_if_open_order,
            even_if_open_lead,
        }
    }

    fn lead_settings(even_if_open_order: bool, even_if_open_lead: bool) -> TelephonySettings {
        TelephonySettings {
            answered_call_lead: lead_rule(even_if_open_order, even_if_open_lead),
            missed_call_lead: lead_rule(even_if_open_order, even_if_open_lead),
            ..TelephonySettings::default()
        }
    }

    fn all_active(_: i64) -> bool {
        true
    }

    fn decide_task(
        s: &TelephonySettings,
        call: &CallFacts,
        client: Option<&ClientFacts>,
        work: OpenWork,
        lead_for_call: Option<i64>,
        is_active: &dyn Fn(i64) -> bool,
    ) -> TaskDecision {
        decide_missed_call_task(
            s,
            call,
            client,
            &work,
            lead_for_call,
            is_active,
            OWNER,
            Locale::En,
            &kyiv(),
        )
    }

    fn created_tasks(d: TaskDecision) -> (Vec<NewTaskPlan>, Vec<Text>) {
        match d {
            TaskDecision::Create { tasks, notes, .. } => (tasks, notes),
            other => panic!("expected tasks, got {other:?}"),
        }
    }

    fn created_lead(d: LeadDecision) -> NewLeadPlan {
        match d {
            LeadDecision::Create(plan) => plan,
            other => panic!("expected a lead, got {other:?}"),
        }
    }

    // --- task splitting (R-A3) -------------------------------------------

    #[test]
    fn shared_mode_gives_one_group_of_all_assignees_each_once_in_order_r_a3() {
        assert_eq!(TaskMode::Shared.split(&[3, 1, 3, 2]), vec![vec![3, 1, 2]]);
    }

    #[test]
    fn each_mode_gives_one_group_per_assignee_each_once_in_order_r_a3() {
        assert_eq!(
            TaskMode::Each.split(&[3, 1, 3, 2]),
            vec![vec![3], vec![1], vec![2]]
        );
    }

    #[test]
    fn no_assignee_gives_no_task_in_either_mode_r_a3() {
        assert!(TaskMode::Shared.split(&[]).is_empty());
        assert!(TaskMode::Each.split(&[]).is_empty());
    }

    // --- settings (R-X6) -------------------------------------------------

    #[test]
    fn default_settings_have_every_rule_off_and_the_spec_defaults_r_x6() {
        let s = TelephonySettings::default();
        assert!(!s.missed_call_task.enabled);
        assert!(!s.answered_call_lead.enabled);
        assert!(!s.missed_call_lead.enabled);
        assert_eq!(s.recovery_window_days, 7);
        assert_eq!(s.settle_seconds, 5);
        assert_eq!(s.stale_call_hours, 4);
        assert_eq!(s.missed_call_task.mode, TaskMode::Shared);
        assert_eq!(s.missed_call_task.due_in, DueIn::default());
        assert!(!s.reuse_unknown_caller_lead);
        assert!(!s.recover_only_answered && !s.inbound_answer_recovers);
    }

    #[test]
    fn settings_read_and_write_the_json_of_r_x6() {
        let json = r#"{
            "missed_call_task": {"enabled": true, "assignee_ids": [3, 4], "mode": "each",
                                 "due_in": {"days": 0, "hours": 2, "minutes": 0},
                                 "link_order": true, "link_lead": true},
            "answered_call_lead": {"enabled": true, "lead_type_id": 30, "manager_id": null,
                                   "notify_ids": [], "even_if_open_order": false,
                                   "even_if_open_lead": false},
            "missed_call_lead": {"enabled": false, "lead_type_id": 30, "manager_id": null,
                                 "notify_ids": [], "even_if_open_order": false,
                                 "even_if_open_lead": false},
            "recovery_window_days": 7,
            "recover_only_answered": false,
            "inbound_answer_recovers": false,
            "reuse_unknown_caller_lead": false,
            "settle_seconds": 5,
            "stale_call_hours": 4,
            "business_hours": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "tue": [],
                               "wed": [], "thu": [], "fri": [["08:00", "24:00"]], "sat": [],
                               "sun": []},
            "callback_sla_minutes": 30,
            "service_level_seconds": 20
        }"#;
        let s: TelephonySettings = serde_json::from_str(json).unwrap();
        assert_eq!(s.missed_call_task.mode, TaskMode::Each);
        assert_eq!(s.missed_call_task.assignee_ids, [3, 4]);
        assert_eq!(s.missed_call_task.due_in.hours, 2);
        assert_eq!(s.answered_call_lead.lead_type_id, Some(30));
        let back: serde_json::Value = serde_json::to_value(&s).unwrap();
        let want: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, want);

        let partial: TelephonySettings = serde_json::from_str("{}").unwrap();
        assert_eq!(partial, TelephonySettings::default());
        assert!(serde_json::from_str::<TelephonySettings>(r#"{"settle_secs": 1}"#).is_err());
    }

    #[test]
    fn the_sla_settings_default_to_office_hours_no_sla_and_twenty_seconds_issue_13() {
        let s: TelephonySettings = serde_json::from_str(r#"{"settle_seconds": 5}"#).unwrap();
        assert_eq!(s.business_hours, BusinessHours::default());
        assert_eq!(s.callback_sla_minutes, 0);
        assert_eq!(s.service_level_seconds, 20);
    }

    #[test]
    fn a_put_without_the_sla_settings_keeps_them_and_one_with_them_replaces_the_week() {
        let current = TelephonySettings {
            callback_sla_minutes: 45,
            service_level_seconds: 30,
            ..TelephonySettings::default()
        };
        let blocks = serde_json::json!({"missed_call_task": {}, "answered_call_lead": {},
            "missed_call_lead": {}});
        let kept: TelephonySettingsPut = serde_json::from_value(blocks.clone()).unwrap();
        assert_eq!(kept.over(&current), current);
        let mut body = blocks;
        body["business_hours"] = serde_json::json!({"sat": [["10:00", "14:00"]]});
        body["callback_sla_minutes"] = serde_json::json!(0);
        let put: TelephonySettingsPut = serde_json::from_value(body).unwrap();
        let new = put.over(&current);
        assert!(
            new.business_hours.mon.is_empty(),
            "a day left out is closed"
        );
        assert_eq!(new.business_hours.sat.len(), 1);
        assert_eq!(new.callback_sla_minutes, 0);
        assert_eq!(new.service_level_seconds, 30);
    }

    #[test]
    fn sla_settings_out_of_bounds_are_refused_naming_the_field() {
        let mut s = TelephonySettings {
            callback_sla_minutes: MAX_CALLBACK_SLA_MINUTES + 1,
            ..TelephonySettings::default()
        };
        assert_eq!(field_of(&s), "callback_sla_minutes");
        s.callback_sla_minutes = MAX_CALLBACK_SLA_MINUTES;
        assert!(s.validate(&staff, &type_30).is_ok());
        for bad in [0, MAX_SERVICE_LEVEL_SECONDS + 1] {
            s.service_level_seconds = bad;
            assert_eq!(field_of(&s), "service_level_seconds");
        }
        s.service_level_seconds = 1;
        s.business_hours.wed = vec![
            crate::business_hours::OpenInterval::parse("09:00", "18:00").unwrap(),
            crate::business_hours::OpenInterval::parse("17:00", "19:00").unwrap(),
        ];
        assert_eq!(field_of(&s), "business_hours.wed[1]");
    }

    #[test]
    fn rules_and_outcomes_have_the_names_of_r_x5() {
        for r in Rule::ALL {
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.as_str())
            );
            assert_eq!(Rule::parse(r.as_str()), Some(r));
        }
        assert_eq!(Rule::MissedCallTask.as_str(), "missed_call_task");
        assert_eq!(Rule::AnsweredCallLead.as_str(), "answered_call_lead");
        assert_eq!(Rule::MissedCallLead.as_str(), "missed_call_lead");
        for o in Outcome::ALL {
            assert_eq!(
                serde_json::to_string(&o).unwrap(),
                format!("\"{}\"", o.as_str())
            );
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(
            Outcome::parse("done"),
            None,
            "an unknown outcome is no outcome"
        );
        assert_eq!(Rule::parse("missed_call"), None);
    }

    fn staff(id: i64) -> EmployeeStatus {
        match id {
            1..=9 => EmployeeStatus::Active,
            10 => EmployeeStatus::Inactive,
            _ => EmployeeStatus::Unknown,
        }
    }

    fn type_30(id: i64) -> bool {
        id == 30
    }

    fn field_of(s: &TelephonySettings) -> String {
        s.validate(&staff, &type_30).unwrap_err().field
    }

    #[test]
    fn valid_settings_pass_and_defaults_pass_r_x6() {
        assert!(TelephonySettings::default()
            .validate(&staff, &type_30)
            .is_ok());
        let mut s = lead_settings(true, false);
        s.missed_call_task = task_settings(&[2, 3], TaskMode::Each).missed_call_task;
        s.settle_seconds = 0;
        assert!(s.validate(&staff, &type_30).is_ok());
    }

    #[test]
    fn an_inactive_or_unknown_employee_is_refused_naming_its_place_r_x2() {
        let s = task_settings(&[2, 10], TaskMode::Shared);
        let e = s.validate(&staff, &type_30).unwrap_err();
        assert_eq!(e.field, "missed_call_task.assignee_ids[1]");
        assert!(e.problem.contains("deactivated"));
        assert_eq!(
            field_of(&task_settings(&[99], TaskMode::Shared)),
            "missed_call_task.assignee_ids[0]"
        );
        assert_eq!(
            field_of(&task_settings(&[2, 3, 2], TaskMode::Each)),
            "missed_call_task.assignee_ids[2]"
        );
        assert_eq!(
            field_of(&task_settings(&[], TaskMode::Shared)),
            "missed_call_task.assignee_ids"
        );

        let mut s = lead_settings(false, false);
        s.missed_call_lead.manager_id = Some(10);
        assert_eq!(field_of(&s), "missed_call_lead.manager_id");
        let mut s = lead_settings(false, false);
        s.answered_call_lead.notify_ids = vec![2, 77];
        assert_eq!(field_of(&s), "answered_call_lead.notify_ids[1]");
    }

    #[test]
    fn an_enabled_lead_rule_needs_an_existing_lead_type_r_l1() {
        let mut s = lead_settings(false, false);
        s.answered_call_lead.lead_type_id = None;
        assert_eq!(field_of(&s), "answered_call_lead.lead_type_id");
        let mut s = lead_settings(false, false);
        s.missed_call_lead.lead_type_id = Some(31);
        assert_eq!(field_of(&s), "missed_call_lead.lead_type_id");
        let mut s = TelephonySettings::default();
        s.missed_call_lead.lead_type_id = None;
        assert!(s.validate(&staff, &type_30).is_ok());
    }

    #[test]
    fn times_out_of_range_are_refused_r_c3a_r_c3b_r_c7() {
        type Change = fn(&mut TelephonySettings);
        let cases: [(Change, &str); 7] = [
            (|s| s.settle_seconds = 3601, "settle_seconds"),
            (|s| s.stale_call_hours = 0, "stale_call_hours"),
            (|s| s.stale_call_hours = 721, "stale_call_hours"),
            (|s| s.recovery_window_days = 0, "recovery_window_days"),
            (|s| s.recovery_window_days = 366, "recovery_window_days"),
            (
                |s| s.missed_call_task.due_in.days = 366,
                "missed_call_task.due_in.days",
            ),
            (
                |s| s.missed_call_task.due_in.minutes = u32::MAX,
                "missed_call_task.due_in.minutes",
            ),
        ];
        for (change, field) in cases {
            let mut s = TelephonySettings::default();
            change(&mut s);
            assert_eq!(field_of(&s), field);
        }
        let s = TelephonySettings {
            settle_seconds: 3600,
            stale_call_hours: 720,
            recovery_window_days: 365,
            ..TelephonySettings::default()
        };
        assert!(s.validate(&staff, &type_30).is_ok());
    }

    // --- timing (R-A4, R-C3a, R-C3b) ------------------------------------

    #[test]
    fn two_hours_after_a_call_missed_at_13_00_is_15_00_r_a4() {
        let due = due_at(
            kyiv_at("2023-06-19T13:00"),
            &DueIn {
                days: 0,
                hours: 2,
                minutes: 0,
            },
            &kyiv(),
        );
        assert_eq!(due, kyiv_at("2023-06-19T15:00"));
    }

    #[test]
    fn one_day_across_the_spring_change_keeps_the_wall_clock_time_r_a4() {
        let missed = kyiv_at("2024-03-30T12:00");
        let due = due_at(
            missed,
            &DueIn {
                days: 1,
                hours: 0,
                minutes: 0,
            },
            &kyiv(),
        );
        assert_eq!(due, kyiv_at("2024-03-31T12:00"));
        assert_eq!(due.duration_since(missed), SignedDuration::from_hours(23));
    }

    #[test]
    fn hours_and_minutes_are_elapsed_time_across_the_change_r_a4() {
        // 02:30 + 1 h on the night the clocks skip 03:00 → 04:00 is 04:30.
        let due = due_at(
            kyiv_at("2024-03-31T02:30"),
            &DueIn {
                days: 0,
                hours: 1,
                minutes: 0,
            },
            &kyiv(),
        );
        assert_eq!(due, kyiv_at("2024-03-31T04:30"));
        let due = due_at(
            ts("2024-01-01T00:00:00Z"),
            &DueIn {
                days: 0,
                hours: 0,
                minutes: 90,
            },
            &TimeZone::UTC,
        );
        assert_eq!(due, ts("2024-01-01T01:30:00Z"));
    }

    #[test]
    fn the_settle_time_and_the_stale_limit_come_from_the_settings_r_c3a_r_c3b() {
        let s = TelephonySettings::default();
        let t = ts("2026-06-19T13:00:00Z");
        assert_eq!(settle_deadline(t, &s), ts("2026-06-19T13:00:05Z"));
        assert!(!is_stale(t, ts("2026-06-19T16:59:59Z"), &s));
        assert!(is_stale(t, ts("2026-06-19T17:00:00Z"), &s));
    }

    // --- clients (R-P4) ---------------------------------------------------

    #[test]
    fn of_several_clients_on_one_number_the_newest_is_used_r_p4() {
        let clients = [
            client(5, "Old", "2020-01-01T00:00:00Z"),
            client(6, "Newest", "2024-05-01T00:00:00Z"),
            client(7, "Middle", "2022-01-01T00:00:00Z"),
        ];
        let picked = pick_client(&clients).unwrap();
        assert_eq!(picked.client_id, 6);
        assert_eq!(pick_client(&[]), None);

        let s = lead_settings(false, false);
        let lead = created_lead(decide_lead(
            Rule::AnsweredCallLead,
            &s,
            &answered_call(),
            Some(picked),
            &OpenWork::default(),
            None,
            Locale::En,
        ));
        assert_eq!(lead.client_id, Some(6));
        assert_eq!(lead.client_name, "Newest");
    }

    // --- the missed-call task (§4) --------------------------------------

    #[test]
    fn a_missed_call_makes_a_task_titled_missed_call_due_two_hours_later_r_a1_r_a4() {
        let s = task_settings(&[2], TaskMode::Shared);
        let (tasks, notes) = created_tasks(decide_task(
            &s,
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        ));
        assert_eq!(tasks.len(), 1);
        let t = &tasks[0];
        assert_eq!(t.title, "Missed call");
        assert_eq!(t.call_id, 500);
        assert_eq!(t.author_id, 2);
        assert_eq!(t.assignee_ids, [2]);
        assert_eq!(t.due_at, kyiv_at("2023-06-19T15:00"));
        assert_eq!((t.order_id, t.lead_id), (None, None));
        assert!(notes.is_empty());
    }

    #[test]
    fn the_task_rule_off_or_an_answered_call_makes_no_task_r_a1_r_c3a() {
        let off = TelephonySettings::default();
        let d = decide_task(
            &off,
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        );
        assert_eq!(
            d,
            TaskDecision::Skip {
                reason: Text::RuleOff
            }
        );
        assert_eq!(d.outcome(), Outcome::Skipped);

        let s = task_settings(&[2], TaskMode::Shared);
        let d = decide_task(
            &s,
            &answered_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        );
        assert_eq!(
            d,
            TaskDecision::Skip {
                reason: Text::CallWasAnswered
            }
        );

        let outbound = CallFacts {
            inbound: false,
            missed: false,
            ..missed_call()
        };
        let d = decide_task(&s, &outbound, None, OpenWork::default(), None, &all_active);
        assert_eq!(
            d,
            TaskDecision::Skip {
                reason: Text::CallWasNotMissed
            }
        );
    }

    #[test]
    fn shared_mode_with_three_assignees_makes_one_task_for_all_r_a3() {
        let s = task_settings(&[4, 2, 3], TaskMode::Shared);
        let (tasks, _) = created_tasks(decide_task(
            &s,
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        ));
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].assignee_ids, [4, 2, 3]);
        assert_eq!(tasks[0].author_id, 4);
        assert_eq!(tasks[0].mode, TaskMode::Shared);
    }

    #[test]
    fn each_mode_with_three_assignees_makes_three_tasks_authored_by_the_first_r_a3() {
        let s = task_settings(&[4, 2, 3], TaskMode::Each);
        let d = decide_task(
            &s,
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        );
        assert_eq!(d.outcome(), Outcome::Created);
        let (tasks, _) = created_tasks(d);
        assert_eq!(tasks.len(), 3);
        let assignees: Vec<_> = tasks.iter().map(|t| t.assignee_ids.clone()).collect();
        assert_eq!(assignees, [vec![4], vec![2], vec![3]]);
        assert!(tasks
            .iter()
            .all(|t| t.author_id == 4 && t.mode == TaskMode::Each));
    }

    #[test]
    fn a_deactivated_assignee_is_skipped_and_the_record_says_so_r_a2() {
        let s = task_settings(&[10, 2, 3], TaskMode::Each);
        let active = |id: i64| id != 10;
        let d = decide_task(&s, &missed_call(), None, OpenWork::default(), None, &active);
        let TaskDecision::Create {
            tasks,
            notes,
            skipped_assignee_ids,
        } = d
        else {
            panic!("expected tasks");
        };
        assert_eq!(tasks.len(), 2);
        assert!(tasks.iter().all(|t| t.author_id == 2));
        assert!(tasks.iter().all(|t| !t.assignee_ids.contains(&10)));
        assert_eq!(notes, [Text::AssigneeDeactivatedSkipped]);
        assert_eq!(skipped_assignee_ids, [10]);
    }

    #[test]
    fn with_no_active_assignee_the_task_goes_to_the_owner_r_a2() {
        let s = task_settings(&[10, 11], TaskMode::Each);
        let nobody = |_: i64| false;
        let (tasks, notes) = created_tasks(decide_task(
            &s,
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &nobody,
        ));
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].assignee_ids, [OWNER]);
        assert_eq!(tasks[0].author_id, OWNER);
        assert_eq!(
            notes,
            [
                Text::AssigneeDeactivatedSkipped,
                Text::NoActiveAssigneeGivenToOwner
            ]
        );
    }

    #[test]
    fn an_assignee_named_twice_gets_one_task_r_a3() {
        let s = task_settings(&[2, 3, 2], TaskMode::Each);
        let (tasks, _) = created_tasks(decide_task(
            &s,
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        ));
        assert_eq!(tasks.len(), 2);
    }

    #[test]
    fn with_both_links_on_and_both_open_the_task_links_to_the_work_order_r_a5() {
        let s = task_settings(&[2], TaskMode::Shared);
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let work = OpenWork {
            newest_open_order_id: Some(70),
            newest_open_lead_id: Some(80),
        };
        let (tasks, _) = created_tasks(decide_task(
            &s,
            &missed_call(),
            Some(&c),
            work,
            Some(81),
            &all_active,
        ));
        assert_eq!((tasks[0].order_id, tasks[0].lead_id), (Some(70), None));
    }

    #[test]
    fn without_an_open_order_the_task_links_to_the_lead_from_this_call_first_r_a5() {
        let s = task_settings(&[2], TaskMode::Shared);
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let work = OpenWork {
            newest_open_order_id: None,
            newest_open_lead_id: Some(80),
        };
        let decide = |lead_for_call| {
            created_tasks(decide_task(
                &s,
                &missed_call(),
                Some(&c),
                work,
                lead_for_call,
                &all_active,
            ))
            .0[0]
                .lead_id
        };
        assert_eq!(decide(Some(81)), Some(81));
        assert_eq!(decide(None), Some(80));

        // An unknown caller's lead from this call is linked too.
        let (tasks, _) = created_tasks(decide_task(
            &s,
            &missed_call(),
            None,
            OpenWork::default(),
            Some(81),
            &all_active,
        ));
        assert_eq!(tasks[0].lead_id, Some(81));
    }

    #[test]
    fn with_linking_off_the_task_has_no_link_r_a5() {
        let mut s = task_settings(&[2], TaskMode::Shared);
        s.missed_call_task.link_order = false;
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let work = OpenWork {
            newest_open_order_id: Some(70),
            newest_open_lead_id: Some(80),
        };
        let (tasks, _) = created_tasks(decide_task(
            &s,
            &missed_call(),
            Some(&c),
            work,
            None,
            &all_active,
        ));
        assert_eq!((tasks[0].order_id, tasks[0].lead_id), (None, Some(80)));

        s.missed_call_task.link_lead = false;
        let (tasks, _) = created_tasks(decide_task(
            &s,
            &missed_call(),
            Some(&c),
            work,
            Some(81),
            &all_active,
        ));
        assert_eq!((tasks[0].order_id, tasks[0].lead_id), (None, None));
    }

    #[test]
    fn the_task_title_is_in_the_company_locale_r_a1_r_t2() {
        let s = task_settings(&[2], TaskMode::Shared);
        for (locale, title) in [
            (Locale::Pt, "Chamada perdida"),
            (Locale::Es, "Llamada perdida"),
            (Locale::Ru, "Пропущенный звонок"),
        ] {
            let d = decide_missed_call_task(
                &s,
                &missed_call(),
                None,
                &OpenWork::default(),
                None,
                &all_active,
                OWNER,
                locale,
                &kyiv(),
            );
            assert_eq!(created_tasks(d).0[0].title, title);
        }
    }

    // --- the leads (§5) -----------------------------------------------------

    #[test]
    fn an_unknown_caller_gets_an_unknown_client_lead_on_every_call_r_l3_r_l4() {
        let s = lead_settings(false, false);
        for _ in 0..3 {
            let lead = created_lead(decide_lead(
                Rule::MissedCallLead,
                &s,
                &missed_call(),
                None,
                &OpenWork::default(),
                Some(90),
                Locale::En,
            ));
            assert_eq!(lead.client_id, None);
            assert_eq!(lead.client_name, "Unknown client");
            assert_eq!(lead.phone.as_deref(), Some("+380671234567"));
            assert_eq!(lead.description, Some("Missed call"));
            assert_eq!(lead.source, "call_missed");
            assert_eq!(lead.lead_type_id, Some(30));
            assert_eq!(lead.manager_id, Some(7));
            assert_eq!(lead.notify_ids, [8, 9]);
            assert_eq!(lead.call_id, 500);
        }
    }

    #[test]
    fn with_reuse_on_an_unknown_caller_rejoins_their_open_lead_r_l3() {
        let mut s = lead_settings(false, false);
        s.reuse_unknown_caller_lead = true;
        let d = decide_lead(
            Rule::AnsweredCallLead,
            &s,
            &answered_call(),
            None,
            &OpenWork::default(),
            Some(90),
            Locale::En,
        );
        assert_eq!(d, LeadDecision::Reuse { lead_id: 90 });
        assert_eq!(d.outcome(), Outcome::Skipped);
        assert_eq!(d.reason(), Some(Text::ReusedCallersOpenLead));

        // No open lead for the number yet: a new one.
        let d = decide_lead(
            Rule::AnsweredCallLead,
            &s,
            &answered_call(),
            None,
            &OpenWork::default(),
            None,
            Locale::En,
        );
        assert_eq!(created_lead(d).source, "call_answered");
    }

    #[test]
    fn a_missed_internal_call_enqueues_nothing_and_every_rule_says_why_r_p7() {
        let call = CallFacts {
            not_customer: Some(NotCustomer::Internal),
            ..missed_call()
        };
        let effects = on_call_ended(
            &call,
            &TelephonySettings::default(),
            kyiv_at("2023-06-19T13:00"),
        );
        assert!(!effects
            .iter()
            .any(|e| matches!(e, Effect::EnqueueRule { .. })));
        let records: Vec<_> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Record {
                    rule,
                    outcome,
                    reason,
                    ..
                } => Some((*rule, *outcome, *reason)),
                _ => None,
            })
            .collect();
        assert_eq!(records.len(), 3);
        assert!(records
            .iter()
            .all(|(_, o, r)| *o == Outcome::Skipped && *r == Some(Text::InternalCall)));
    }

    #[test]
    fn internal_calls_and_ignored_numbers_are_not_customer_calls_r_p7() {
        use crate::phone::{normalise, Country};
        let ua = Country::parse("UA").unwrap();
        let ext = |e: &str| ["201", "202"].contains(&e);
        let ignored = vec![normalise("+380441234567", &ua).unwrap().key];
        let nc = |from: &str, to: &str| not_customer(from, to, &ext, &ignored, &ua);
        assert_eq!(nc("201", "202"), Some(NotCustomer::Internal));
        assert_eq!(nc(" 201 ", "202"), Some(NotCustomer::Internal));
        // One end outside the company: a customer call, unless listed.
        assert_eq!(nc("+380671234567", "201"), None);
        assert_eq!(nc("201", "+380671234567"), None);
        // The list matches whatever form the number arrives in (R-P2).
        assert_eq!(nc("044 123 4567", "201"), Some(NotCustomer::Ignored));
        assert_eq!(nc("201", "+380441234567"), Some(NotCustomer::Ignored));
        assert_eq!(
            nc("+380671234567", "0441234567"),
            Some(NotCustomer::Ignored)
        );
        // A withheld caller is not on any list (R-P6).
        assert_eq!(nc("anonymous", "201"), None);
        assert_eq!(nc("", ""), None);
    }

    #[test]
    fn no_rule_acts_on_a_call_that_is_not_a_customer_call_and_the_record_says_why_r_p7() {
        for (n, reason) in [
            (NotCustomer::Internal, Text::InternalCall),
            (NotCustomer::Ignored, Text::IgnoredNumber),
        ] {
            let missed = CallFacts {
                not_customer: Some(n),
                ..missed_call()
            };
            let answered = CallFacts {
                not_customer: Some(n),
                ..answered_call()
            };
            let task = decide_task(
                &task_settings(&[OWNER], TaskMode::Shared),
                &missed,
                None,
                OpenWork::default(),
                None,
                &|_| true,
            );
            assert_eq!(task, TaskDecision::Skip { reason });
            let mut s = lead_settings(true, true);
            s.reuse_unknown_caller_lead = true;
            let work = OpenWork {
                newest_open_order_id: None,
                newest_open_lead_id: Some(40),
            };
            let c = client(6, "Ann", "2024-01-01T00:00:00Z");
            for (rule, call) in [
                (Rule::MissedCallLead, &missed),
                (Rule::AnsweredCallLead, &answered),
            ] {
                let d = decide_lead(rule, &s, call, Some(&c), &work, Some(90), Locale::En);
                assert_eq!(
                    d,
                    LeadDecision::Skip {
                        reason,
                        link_call_to_lead: None
                    }
                );
                assert_eq!(
                    d.reason().map(|t| text(t, Locale::Ru)),
                    Some(text(reason, Locale::Ru))
                );
            }
            assert_eq!(NotCustomer::parse(n.as_str()), Some(n));
        }
    }

    #[test]
    fn a_withheld_number_gets_an_unknown_client_lead_with_no_number_r_p6() {
        let mut s = lead_settings(false, false);
        s.reuse_unknown_caller_lead = true;
        let withheld = CallFacts {
            customer_number: "anonymous".into(),
            customer_withheld: true,
            ..missed_call()
        };
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let lead = created_lead(decide_lead(
            Rule::MissedCallLead,
            &s,
            &withheld,
            Some(&c),
            &OpenWork {
                newest_open_order_id: Some(70),
                newest_open_lead_id: None,
            },
            Some(90),
            Locale::En,
        ));
        assert_eq!(lead.client_id, None);
        assert_eq!(lead.client_name, "Unknown client");
        assert_eq!(lead.phone, None);
    }

    #[test]
    fn a_known_client_with_an_open_order_gets_no_lead_unless_allowed_r_l2() {
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let work = OpenWork {
            newest_open_order_id: Some(70),
            newest_open_lead_id: None,
        };
        let d = decide_lead(
            Rule::AnsweredCallLead,
            &lead_settings(false, false),
            &answered_call(),
            Some(&c),
            &work,
            None,
            Locale::En,
        );
        assert_eq!(
            d,
            LeadDecision::Skip {
                reason: Text::ClientHasOpenOrder,
                link_call_to_lead: None
            }
        );

        let d = decide_lead(
            Rule::AnsweredCallLead,
            &lead_settings(true, false),
            &answered_call(),
            Some(&c),
            &work,
            None,
            Locale::En,
        );
        let lead = created_lead(d);
        assert_eq!(lead.client_id, Some(6));
        assert_eq!(lead.client_name, "Ann");
        assert_eq!(lead.description, None);
    }

    #[test]
    fn a_known_client_with_an_open_lead_gets_no_lead_and_the_call_joins_it_r_l2_r_l3() {
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let work = OpenWork {
            newest_open_order_id: None,
            newest_open_lead_id: Some(80),
        };
        let d = decide_lead(
            Rule::MissedCallLead,
            &lead_settings(true, false),
            &missed_call(),
            Some(&c),
            &work,
            None,
            Locale::En,
        );
        assert_eq!(
            d,
            LeadDecision::Skip {
                reason: Text::ClientHasOpenLead,
                link_call_to_lead: Some(80)
            }
        );
        assert_eq!(d.reason(), Some(Text::ClientHasOpenLead));
    }

    #[test]
    fn with_both_options_on_and_both_open_exactly_one_lead_is_made_r_l2() {
        let c = client(6, "Ann", "2024-01-01T00:00:00Z");
        let work = OpenWork {
            newest_open_order_id: Some(70),
            newest_open_lead_id: Some(80),
        };
        for (rule, call) in [
            (Rule::AnsweredCallLead, answered_call()),
            (Rule::MissedCallLead, missed_call()),
        ] {
            let d = decide_lead(
                rule,
                &lead_settings(true, true),
                &call,
                Some(&c),
                &work,
                None,
                Locale::En,
            );
            assert_eq!(d.outcome(), Outcome::Created);
            assert_eq!(created_lead(d).client_id, Some(6));
        }
    }

    #[test]
    fn a_lead_rule_that_is_off_or_not_for_this_call_makes_no_lead_r_l5() {
        let off = TelephonySettings::default();
        let d = decide_lead(
            Rule::MissedCallLead,
            &off,
            &missed_call(),
            None,
            &OpenWork::default(),
            None,
            Locale::En,
        );
        assert_eq!(d.reason(), Some(Text::RuleOff));

        let s = lead_settings(true, true);
        let case = |rule, call: CallFacts| {
            decide_lead(
                rule,
                &s,
                &call,
                None,
                &OpenWork::default(),
                None,
                Locale::En,
            )
            .reason()
        };
        assert_eq!(
            case(Rule::MissedCallLead, answered_call()),
            Some(Text::CallWasAnswered)
        );
        assert_eq!(
            case(Rule::AnsweredCallLead, missed_call()),
            Some(Text::CallWasNotAnswered)
        );
        let outbound_answered = CallFacts {
            inbound: false,
            ..answered_call()
        };
        assert_eq!(
            case(Rule::AnsweredCallLead, outbound_answered),
            Some(Text::OutboundCall)
        );
        assert_eq!(
            case(Rule::MissedCallTask, missed_call()),
            Some(Text::RuleOff)
        );
    }

    #[test]
    fn lead_texts_are_in_the_company_locale_r_l4_r_t2() {
        let s = lead_settings(false, false);
        for (locale, name, description) in [
            (Locale::Pt, "Cliente desconhecido", "Não atendida"),
            (Locale::Es, "Cliente desconocido", "Llamada perdida"),
            (Locale::Ru, "Неизвестный клиент", "Пропущенный"),
        ] {
            let lead = created_lead(decide_lead(
                Rule::MissedCallLead,
                &s,
                &missed_call(),
                None,
                &OpenWork::default(),
                None,
                locale,
            ));
            assert_eq!(lead.client_name, name);
            assert_eq!(lead.description, Some(description));
            let answered = created_lead(decide_lead(
                Rule::AnsweredCallLead,
                &s,
                &answered_call(),
                None,
                &OpenWork::default(),
                None,
                locale,
            ));
            assert_eq!(answered.client_name, name);
            assert_eq!(answered.description, None);
        }
    }

    // --- effects of a call event (R-C3a, R-C3b, R-L5) ----------------------

    fn received() -> Timestamp {
        ts("2026-03-02T10:00:00Z")
    }

    fn pending(rule: Rule, reason: Text) -> Effect {
        Effect::Record {
            rule,
            outcome: Outcome::Pending,
            reason: Some(reason),
            notes: vec![],
            lead_id: None,
            keep_existing: rule != Rule::AnsweredCallLead,
        }
    }

    fn said(
        rule: Rule,
        outcome: Outcome,
        reason: Text,
        lead_id: Option<i64>,
        keep: bool,
    ) -> Effect {
        Effect::Record {
            rule,
            outcome,
            reason: Some(reason),
            notes: vec![],
            lead_id,
            keep_existing: keep,
        }
    }

    const RINGING: CallStage = CallStage {
        answered: false,
        ended: false,
    };

    #[test]
    fn a_calls_first_event_enqueues_its_stale_check_an_hour_later_r_c3b() {
        assert_eq!(
            on_first_event(received()),
            [Effect::EnqueueStaleCheck {
                run_at: ts("2026-03-02T11:00:00Z")
            }]
        );
    }

    #[test]
    fn an_event_that_moves_the_call_nowhere_has_no_effect() {
        let call = CallFacts {
            ended_at: None,
            missed: false,
            ..missed_call()
        };
        let s = lead_settings(false, false);
        assert!(on_stage_change(
            RINGING,
            &call,
            &MissedCallRecords::default(),
            &s,
            received()
        )
        .is_empty());
    }

    #[test]
    fn a_call_ending_missed_enqueues_both_missed_call_jobs_after_the_settle_time_r_c3a() {
        let s = TelephonySettings {
            settle_seconds: 5,
            ..task_settings(&[2], TaskMode::Shared)
        };
        let effects = on_stage_change(
            RINGING,
            &missed_call(),
            &MissedCallRecords::default(),
            &s,
            received(),
        );
        let run_at = ts("2026-03-02T10:00:05Z");
        assert_eq!(
            effects,
            [
                Effect::EnqueueRule {
                    rule: Rule::MissedCallLead,
                    run_at
                },
                pending(Rule::MissedCallLead, Text::WaitingForSettleTime),
                Effect::EnqueueRule {
                    rule: Rule::MissedCallTask,
                    run_at
                },
                pending(Rule::MissedCallTask, Text::WaitingForSettleTime),
                said(
                    Rule::AnsweredCallLead,
                    Outcome::Skipped,
                    Text::CallWasNotAnswered,
                    None,
                    true
                ),
                Effect::DropStaleCheck,
            ]
        );
    }

    #[test]
    fn a_call_ending_answered_says_why_the_missed_call_rules_do_not_apply_r_a1_r_l5() {
        let call = answered_call();
        let before = CallStage {
            answered: true,
            ended: false,
        };
        let effects = on_stage_change(
            before,
            &call,
            &MissedCallRecords::default(),
            &TelephonySettings::default(),
            received(),
        );
        assert_eq!(
            effects,
            [
                said(
                    Rule::MissedCallLead,
                    Outcome::Skipped,
                    Text::CallWasAnswered,
                    None,
                    true
                ),
                said(
                    Rule::MissedCallTask,
                    Outcome::Skipped,
                    Text::CallWasAnswered,
                    None,
                    true
                ),
                Effect::DropStaleCheck,
            ]
        );
    }

    #[test]
    fn an_unanswered_outbound_call_is_not_missed_and_no_lead_is_for_it_r_c4_r_l5() {
        let call = CallFacts {
            inbound: false,
            missed: false,
            ..missed_call()
        };
        let effects = on_call_ended(&call, &TelephonySettings::default(), received());
        assert_eq!(
            effects,
            [
                said(
                    Rule::MissedCallLead,
                    Outcome::Skipped,
                    Text::CallWasNotMissed,
                    None,
                    true
                ),
                said(
                    Rule::MissedCallTask,
                    Outcome::Skipped,
                    Text::CallWasNotMissed,
                    None,
                    true
                ),
                said(
                    Rule::AnsweredCallLead,
                    Outcome::Skipped,
                    Text::OutboundCall,
                    None,
                    true
                ),
                Effect::DropStaleCheck,
            ]
        );
    }

    #[test]
    fn an_answer_with_the_lead_rule_on_enqueues_the_lead_job_due_at_once_r_l5() {
        let call = CallFacts {
            ended_at: None,
            ..answered_call()
        };
        let effects = on_stage_change(
            RINGING,
            &call,
            &MissedCallRecords::default(),
            &lead_settings(false, false),
            received(),
        );
        assert_eq!(
            effects,
            [
                Effect::EnqueueRule {
                    rule: Rule::AnsweredCallLead,
                    run_at: received()
                },
                pending(Rule::AnsweredCallLead, Text::CallInProgress),
            ]
        );
    }

    #[test]
    fn an_answer_with_the_lead_rule_off_decides_now_and_records_why_not_r_l5() {
        let call = CallFacts {
            ended_at: None,
            ..answered_call()
        };
        let s = TelephonySettings::default();
        let effects = on_stage_change(
            RINGING,
            &call,
            &MissedCallRecords::default(),
            &s,
            received(),
        );
        assert_eq!(
            effects,
            [Effect::DecideLeadNow {
                rule: Rule::AnsweredCallLead
            }]
        );
        let decided = decide_lead(
            Rule::AnsweredCallLead,
            &s,
            &call,
            None,
            &OpenWork::default(),
            None,
            Locale::En,
        );
        assert_eq!(
            decided.effects(Rule::AnsweredCallLead),
            [said(
                Rule::AnsweredCallLead,
                Outcome::Skipped,
                Text::RuleOff,
                None,
                false
            )]
        );
    }

    #[test]
    fn an_answer_after_the_missed_call_rules_acted_cancels_their_task_and_lead_r_c3a() {
        let records = MissedCallRecords {
            task: Some(Outcome::Created),
            lead: Some((Outcome::Created, Some(40))),
        };
        let ended_missed = CallStage {
            answered: false,
            ended: true,
        };
        let effects = on_stage_change(
            ended_missed,
            &answered_call(),
            &records,
            &TelephonySettings::default(),
            received(),
        );
        assert_eq!(
            effects,
            [
                Effect::CancelMissedCallTasks {
                    reason: Text::CallWasAnswered
                },
                said(
                    Rule::MissedCallTask,
                    Outcome::Cancelled,
                    Text::CallWasAnswered,
                    None,
                    false
                ),
                Effect::CancelLead { lead_id: 40 },
                said(
                    Rule::MissedCallLead,
                    Outcome::Cancelled,
                    Text::CallWasAnswered,
                    Some(40),
                    false
                ),
                Effect::DropMissedCallJobs,
                Effect::DecideLeadNow {
                    rule: Rule::AnsweredCallLead
                },
            ]
        );
    }

    #[test]
    fn an_answer_during_the_settle_time_skips_the_waiting_rules_and_drops_their_jobs_r_c3a() {
        let records = MissedCallRecords {
            task: Some(Outcome::Pending),
            lead: Some((Outcome::Pending, None)),
        };
        assert_eq!(
            on_late_answer(&records),
            [
                said(
                    Rule::MissedCallTask,
                    Outcome::Skipped,
                    Text::CallWasAnswered,
                    None,
                    false
                ),
                said(
                    Rule::MissedCallLead,
                    Outcome::Skipped,
                    Text::CallWasAnswered,
                    None,
                    false
                ),
                Effect::DropMissedCallJobs,
            ]
        );
    }

    #[test]
    fn an_answer_the_missed_call_rules_never_saw_has_nothing_to_undo_r_c3a() {
        assert!(on_late_answer(&MissedCallRecords::default()).is_empty());
        let skipped = MissedCallRecords {
            task: Some(Outcome::Skipped),
            lead: Some((Outcome::Skipped, None)),
        };
        assert_eq!(on_late_answer(&skipped), [Effect::DropMissedCallJobs]);
    }

    #[test]
    fn a_call_gone_stale_without_an_answer_is_missed_and_waits_for_the_settle_time_r_c3b() {
        // The stale check closes the call `failed` at `now`; never answered, it is missed.
        let stale = CallFacts {
            ended_at: Some(received()),
            ..missed_call()
        };
        let effects = on_call_ended(&stale, &TelephonySettings::default(), received());
        assert!(effects.contains(&Effect::EnqueueRule {
            rule: Rule::MissedCallTask,
            run_at: ts("2026-03-02T10:00:05Z")
        }));
        assert_eq!(effects.last(), Some(&Effect::DropStaleCheck));
    }

    #[test]
    fn a_task_decision_becomes_its_tasks_then_the_record_with_its_notes_r_a1_r_a2() {
        let s = task_settings(&[2, 3], TaskMode::Each);
        let d = decide_task(&s, &missed_call(), None, OpenWork::default(), None, &|id| {
            id != 3
        });
        let effects = d.effects();
        assert_eq!(
            effects.len(),
            2,
            "one task for the active assignee, then the record"
        );
        assert!(matches!(&effects[0], Effect::CreateTask(t) if t.assignee_ids == [2]));
        assert_eq!(
            effects[1],
            Effect::Record {
                rule: Rule::MissedCallTask,
                outcome: Outcome::Created,
                reason: None,
                notes: vec![Text::AssigneeDeactivatedSkipped],
                lead_id: None,
                keep_existing: false,
            }
        );
    }

    #[test]
    fn a_task_rule_that_is_off_records_why_not_r_a1() {
        let d = decide_task(
            &TelephonySettings::default(),
            &missed_call(),
            None,
            OpenWork::default(),
            None,
            &all_active,
        );
        assert_eq!(
            d.effects(),
            [said(
                Rule::MissedCallTask,
                Outcome::Skipped,
                Text::RuleOff,
                None,
                false
            )]
        );
    }

    #[test]
    fn a_lead_decision_makes_the_lead_or_links_the_call_and_says_why_r_l3_r_l4() {
        let s = lead_settings(false, false);
        let made = decide_lead(
            Rule::MissedCallLead,
            &s,
            &missed_call(),
            None,
            &OpenWork::default(),
            None,
            Locale::En,
        );
        assert!(matches!(
            made.effects(Rule::MissedCallLead).as_slice(),
            [Effect::CreateLead { rule: Rule::MissedCallLead, plan }] if plan.call_id == 500
        ));
        let reuse = LeadDecision::Reuse { lead_id: 9 };
        assert_eq!(
            reuse.effects(Rule::MissedCallLead),
            [
                Effect::LinkCallToLead { lead_id: 9 },
                said(
                    Rule::MissedCallLead,
                    Outcome::Skipped,
                    Text::ReusedCallersOpenLead,
                    Some(9),
                    false
                ),
            ]
        );
        let joins = LeadDecision::Skip {
            reason: Text::ClientHasOpenLead,
            link_call_to_lead: Some(7),
        };
        assert_eq!(
            joins.effects(Rule::AnsweredCallLead),
            [
                Effect::LinkCallToLead { lead_id: 7 },
                said(
                    Rule::AnsweredCallLead,
                    Outcome::Skipped,
                    Text::ClientHasOpenLead,
                    Some(7),
                    false
                ),
            ]
        );
    }
}

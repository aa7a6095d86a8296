//! Settings > Telephony > Automation (R-U5, R-X6; SPEC §4, §5): each rule
//! with its options as a plain form. Saving goes through the same validation
//! as `PUT /api/v1/settings/telephony` (`api::settings::validated`, the domain's
//! `TelephonySettings::validate`); a bad value comes back as 422 with the
//! form as typed and the note beside its field, nothing saved. "Preview"
//! (issue 11 item 8) runs `POST /api/v1/settings/telephony/preview`'s logic
//! over the unsaved values: what the last 7 days' calls would have made,
//! nothing written.
//!
//! Issue 13 item 4: the company's business hours (per weekday, up to four
//! intervals of two time inputs each; an end of `00:00` is the end of the day,
//! `24:00`, which a time input cannot show), the callback SLA in business
//! minutes (0: none) and R-U4's service-level T, with their notes beside them.

use super::*;
use crate::api::settings::{preview, validated as domain_checked, PREVIEW_DAYS};
use crate::extract::Query;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_domain::automation::{
    DueIn, LeadRule, MissedCallTaskRule, Rule, TaskMode, TelephonySettings, TelephonySettingsPut,
    MAX_CALLBACK_SLA_MINUTES, MAX_DUE_IN_DAYS, MAX_DUE_IN_HOURS, MAX_DUE_IN_MINUTES,
    MAX_RECOVERY_WINDOW_DAYS, MAX_SERVICE_LEVEL_SECONDS, MAX_SETTLE_SECONDS, MAX_STALE_CALL_HOURS,
};
use ringdesk_domain::business_hours::{
    BusinessHours, OpenInterval, MAX_INTERVALS_PER_DAY, WEEKDAYS,
};
use ringdesk_domain::event::FieldError;
use ringdesk_store::{AutomationPreview, Employee, LeadType};

const PATH: &str = "/settings/telephony";

/// The number fields of the form, each with its (lowest, highest) value.
const NUMBERS: [(&str, u32, u32); 8] = [
    ("missed_call_task.due_in.days", 0, MAX_DUE_IN_DAYS),
    ("missed_call_task.due_in.hours", 0, MAX_DUE_IN_HOURS),
    ("missed_call_task.due_in.minutes", 0, MAX_DUE_IN_MINUTES),
    ("recovery_window_days", 1, MAX_RECOVERY_WINDOW_DAYS),
    ("settle_seconds", 0, MAX_SETTLE_SECONDS),
    ("stale_call_hours", 1, MAX_STALE_CALL_HOURS),
    ("callback_sla_minutes", 0, MAX_CALLBACK_SLA_MINUTES),
    ("service_level_seconds", 1, MAX_SERVICE_LEVEL_SECONDS),
];

/// A slot's form field: `business_hours.mon.0.start`.
fn slot_field(day: &str, i: usize, end: &str) -> String {
    format!("business_hours.{day}.{i}.{end}")
}

/// The business hours as the form sent them: each weekday's filled slots in
/// order; an end of `00:00` is the end of the day. A slot that does not make
/// an interval is noted beside its day (`business_hours.mon`).
fn read_hours(l: Locale, f: &FormFields, errors: &mut Errors) -> BusinessHours {
    let mut hours = BusinessHours::closed();
    for day in WEEKDAYS {
        let list = hours.day_mut(day).expect("a weekday");
        for i in 0..MAX_INTERVALS_PER_DAY {
            let start = f.text(&slot_field(day, i, "start"));
            let end = f.text(&slot_field(day, i, "end"));
            if start.is_empty() && end.is_empty() {
                continue;
            }
            let end = if end == "00:00" {
                "24:00".to_owned()
            } else {
                end
            };
            match OpenInterval::parse(&start, &end) {
                Ok(iv) => list.push(iv),
                Err(_) => {
                    errors.push((format!("business_hours.{day}"), tr(l, "settings-err-hours")));
                    break;
                }
            }
        }
    }
    hours
}

fn bounds(field: &str) -> Option<(u32, u32)> {
    NUMBERS
        .iter()
        .find(|(f, ..)| *f == field)
        .map(|(_, lo, hi)| (*lo, *hi))
}

/// What the page shows: the company's employees and lead types to choose from.
struct Choices {
    employees: Vec<Employee>,
    lead_types: Vec<LeadType>,
}

async fn choices(state: &AppState, company_id: i64) -> Result<Choices, AppError> {
    Ok(Choices {
        employees: state.store.employees(company_id).await?,
        lead_types: state.store.lead_types(company_id).await?,
    })
}

/// The form as sent, read into settings. A number that is not one is noted
/// (and read as 0, never saved: the form comes back with the note).
fn read_form(l: Locale, f: &FormFields, errors: &mut Errors) -> TelephonySettingsPut {
    let mut number = |name: &str| -> u32 {
        match f.text(name).trim().parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                let (lo, hi) = bounds(name).unwrap_or((0, u32::MAX));
                errors.push((
                    name.to_owned(),
                    tr_args(
                        l,
                        "settings-err-number",
                        &[("min", lo.into()), ("max", hi.into())],
                    ),
                ));
                0
            }
        }
    };
    let due_in = DueIn {
        days: number("missed_call_task.due_in.days"),
        hours: number("missed_call_task.due_in.hours"),
        minutes: number("missed_call_task.due_in.minutes"),
    };
    let recovery_window_days = number("recovery_window_days");
    let settle_seconds = number("settle_seconds");
    let stale_call_hours = number("stale_call_hours");
    // Issue 13's fields: a form (or script) from before them keeps what is
    // stored, as the API does for a setting left out.
    let callback_sla_minutes = f
        .get("callback_sla_minutes")
        .is_some()
        .then(|| number("callback_sla_minutes"));
    let service_level_seconds = f
        .get("service_level_seconds")
        .is_some()
        .then(|| number("service_level_seconds"));
    let sent_hours = f.0.iter().any(|(k, _)| k.starts_with("business_hours."));
    let business_hours = sent_hours.then(|| read_hours(l, f, errors));
    let mut ids_errors: Errors = vec![];
    let mut ids = |name: &str| -> Vec<i64> {
        let mut out = vec![];
        for v in f.all(name) {
            match v.parse::<i64>() {
                Ok(id) => out.push(id),
                Err(_) => ids_errors.push((name.to_owned(), tr(l, "settings-err-employee"))),
            }
        }
        out
    };
    let assignee_ids = ids("missed_call_task.assignee_ids");
    let answered_notify = ids("answered_call_lead.notify_ids");
    let missed_notify = ids("missed_call_lead.notify_ids");
    let mut one = |name: &str, err: &str| -> Option<i64> {
        let v = f.text(name);
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                ids_errors.push((name.to_owned(), tr(l, err)));
                None
            }
        }
    };
    let lead_rule =
        |block: &str, one: &mut dyn FnMut(&str, &str) -> Option<i64>, notify_ids| LeadRule {
            enabled: f.checked(&format!("{block}.enabled")),
            lead_type_id: one(&format!("{block}.lead_type_id"), "settings-err-lead-type"),
            manager_id: one(&format!("{block}.manager_id"), "settings-err-employee"),
            notify_ids,
            even_if_open_order: f.checked(&format!("{block}.even_if_open_order")),
            even_if_open_lead: f.checked(&format!("{block}.even_if_open_lead")),
        };
    let answered_call_lead = lead_rule("answered_call_lead", &mut one, answered_notify);
    let missed_call_lead = lead_rule("missed_call_lead", &mut one, missed_notify);
    errors.extend(ids_errors);
    TelephonySettingsPut {
        missed_call_task: MissedCallTaskRule {
            enabled: f.checked("missed_call_task.enabled"),
            assignee_ids,
            mode: TaskMode::parse(&f.text("missed_call_task.mode")).unwrap_or_default(),
            due_in,
            link_order: f.checked("missed_call_task.link_order"),
            link_lead: f.checked("missed_call_task.link_lead"),
        },
        answered_call_lead,
        missed_call_lead,
        recovery_window_days: Some(recovery_window_days),
        recover_only_answered: Some(f.checked("recover_only_answered")),
        inbound_answer_recovers: Some(f.checked("inbound_answer_recovers")),
        reuse_unknown_caller_lead: Some(f.checked("reuse_unknown_caller_lead")),
        settle_seconds: Some(settle_seconds),
        stale_call_hours: Some(stale_call_hours),
        business_hours,
        callback_sla_minutes,
        service_level_seconds,
    }
}

/// The domain's verdict on a field (`missed_call_task.assignee_ids[1]`) as
/// the note beside the form's field, in the page's language.
fn domain_note(l: Locale, e: &FieldError) -> (String, String) {
    let field = e.field.split('[').next().unwrap_or(&e.field).to_owned();
    let text = if let Some((lo, hi)) = bounds(&field) {
        tr_args(
            l,
            "settings-err-number",
            &[("min", lo.into()), ("max", hi.into())],
        )
    } else if field.starts_with("business_hours.") {
        tr(l, "settings-err-hours")
    } else if field == "missed_call_task.assignee_ids" && !e.field.contains('[') {
        tr(l, "settings-err-assignees-required")
    } else if field.ends_with("lead_type_id") {
        tr(l, "settings-err-lead-type")
    } else if field.ends_with("assignee_ids")
        || field.ends_with("notify_ids")
        || field.ends_with("manager_id")
    {
        tr(l, "settings-err-employee")
    } else {
        e.problem.clone()
    };
    (field, text)
}

/// The settings as the form shows them: ticked boxes, chosen options and
/// the number fields as typed (`typed`) when the form comes back.
struct View<'a> {
    settings: &'a TelephonySettings,
    typed: Option<&'a FormFields>,
    errors: &'a Errors,
    preview: Option<&'a AutomationPreview>,
    saved: bool,
}

fn rule_name(l: Locale, rule: Rule) -> String {
    match rule {
        Rule::MissedCallTask => tr(l, "settings-rule-missed_call_task"),
        Rule::AnsweredCallLead => tr(l, "settings-rule-answered_call_lead"),
        Rule::MissedCallLead => tr(l, "settings-rule-missed_call_lead"),
    }
}

fn checkbox(name: &str, label: String, on: bool) -> Markup {
    let id = name.replace('.', "-");
    html! {
        div.check {
            input type="checkbox" id=(id) name=(name) value="on" checked[on];
            label for=(id) { (label) }
        }
    }
}

fn employee_boxes(name: &str, legend: String, ids: &[i64], c: &Choices, errors: &Errors) -> Markup {
    let base = name.replace('.', "-");
    html! {
        fieldset.employees id=(base) aria-describedby=[described_by(errors, name)] {
            legend { (legend) }
            @for e in c.employees.iter().filter(|e| e.active || ids.contains(&e.id)) {
                @let id = format!("{base}-{}", e.id);
                div.check {
                    input type="checkbox" id=(id) name=(name) value=(e.id) checked[ids.contains(&e.id)];
                    label for=(id) { (e.name) }
                }
            }
            (field_note(errors, name))
        }
    }
}

fn number_input(v: &View, name: &str, label: String, value: u32) -> Markup {
    let id = name.replace('.', "-");
    let (lo, hi) = bounds(name).unwrap_or((0, u32::MAX));
    let shown = match v.typed {
        Some(f) => f.text(name),
        None => value.to_string(),
    };
    html! {
        div.number {
            label for=(id) { (label) }
            input type="number" id=(id) name=(name) value=(shown) min=(lo) max=(hi) inputmode="numeric"
                aria-invalid=[described_by(v.errors, name).map(|_| "true")]
                aria-describedby=[described_by(v.errors, name)];
            (field_note(v.errors, name))
        }
    }
}

fn select_one(
    l: Locale,
    name: &str,
    label: String,
    chosen: Option<i64>,
    options: &[(i64, String)],
    errors: &Errors,
) -> Markup {
    let id = name.replace('.', "-");
    html! {
        label for=(id) { (label) }
        select id=(id) name=(name) aria-describedby=[described_by(errors, name)] {
            option value="" selected[chosen.is_none()] { (tr(l, "settings-none")) }
            @for (value, text) in options {
                option value=(value) selected[chosen == Some(*value)] { (text) }
            }
        }
        (field_note(errors, name))
    }
}

/// One weekday's row: its intervals as pairs of time inputs (one empty pair
/// to add another, up to four), the note beside the day.
fn day_hours(l: Locale, v: &View, day: &str) -> Markup {
    let field = format!("business_hours.{day}");
    let stored = v
        .settings
        .business_hours
        .days()
        .into_iter()
        .find(|(d, _)| *d == day)
        .map(|(_, list)| list.clone())
        .unwrap_or_default();
    // (start, end) as the inputs show them: typed, or stored with 24:00 as 00:00.
    let shown: Vec<(String, String)> = match v.typed {
        Some(f) => (0..MAX_INTERVALS_PER_DAY)
            .map(|i| {
                (
                    f.text(&slot_field(day, i, "start")),
                    f.text(&slot_field(day, i, "end")),
                )
            })
            .collect(),
        None => stored
            .iter()
            .map(|iv| {
                let end = iv.end_text();
                (
                    iv.start_text(),
                    if end == "24:00" {
                        "00:00".to_owned()
                    } else {
                        end
                    },
                )
            })
            .collect(),
    };
    let used = shown
        .iter()
        .rposition(|(a, b)| !a.is_empty() || !b.is_empty())
        .map_or(0, |i| i + 1);
    let slots = (used + 1).min(MAX_INTERVALS_PER_DAY);
    let described = described_by(v.errors, &field);
    html! {
        fieldset.day id=(format!("business_hours-{day}")) aria-describedby=[described.clone()] {
            legend { (tr(l, &format!("settings-day-{day}"))) }
            @for i in 0..slots {
                @let (start, end) = shown.get(i).cloned().unwrap_or_default();
                @let start_name = slot_field(day, i, "start");
                @let end_name = slot_field(day, i, "end");
                span.interval {
                    label for=(start_name.replace('.', "-")) { (tr(l, "settings-hours-from")) }
                    input type="time" id=(start_name.replace('.', "-")) name=(start_name) value=(start)
                        aria-invalid=[described.as_ref().map(|_| "true")];
                    label for=(end_name.replace('.', "-")) { (tr(l, "settings-hours-to")) }
                    input type="time" id=(end_name.replace('.', "-")) name=(end_name) value=(end)
                        aria-invalid=[described.as_ref().map(|_| "true")];
                }
            }
            (field_note(v.errors, &field))
        }
    }
}

fn lead_rule_fields(l: Locale, v: &View, c: &Choices, block: &str, rule: &LeadRule) -> Markup {
    let types: Vec<(i64, String)> = c
        .lead_types
        .iter()
        .map(|t| (t.id, t.name.clone()))
        .collect();
    let people: Vec<(i64, String)> = c
        .employees
        .iter()
        .filter(|e| e.active || rule.manager_id == Some(e.id))
        .map(|e| (e.id, e.name.clone()))
        .collect();
    html! {
        (checkbox(&format!("{block}.enabled"), tr(l, "settings-rule-enabled"), rule.enabled))
        (select_one(l, &format!("{block}.lead_type_id"), tr(l, "settings-lead-type"), rule.lead_type_id, &types, v.errors))
        (select_one(l, &format!("{block}.manager_id"), tr(l, "settings-manager"), rule.manager_id, &people, v.errors))
        (employee_boxes(&format!("{block}.notify_ids"), tr(l, "settings-notify"), &rule.notify_ids, c, v.errors))
        (checkbox(&format!("{block}.even_if_open_order"), tr(l, "settings-even-if-open-order"), rule.even_if_open_order))
        (checkbox(&format!("{block}.even_if_open_lead"), tr(l, "settings-even-if-open-lead"), rule.even_if_open_lead))
    }
}

fn page_markup(s: &Signed, c: &Choices, v: &View) -> Markup {
    let l = s.locale;
    let t = v.settings;
    let title = tr(l, "settings-telephony-title");
    let task = &t.missed_call_task;
    s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        @if v.saved { p.notice #flash role="status" { (tr(l, "settings-saved")) } }
        @if !v.errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        @if let Some(p) = v.preview { (preview_markup(l, p)) }
        form #automation .settings method="post" action=(PATH) novalidate {
            input type="hidden" name=(FIELD) value=(s.csrf);
            fieldset #rule-missed_call_task {
                legend { (rule_name(l, Rule::MissedCallTask)) }
                (checkbox("missed_call_task.enabled", tr(l, "settings-rule-enabled"), task.enabled))
                (employee_boxes("missed_call_task.assignee_ids", tr(l, "settings-assignees"), &task.assignee_ids, c, v.errors))
                label for="missed_call_task-mode" { (tr(l, "settings-task-mode")) }
                select #missed_call_task-mode name="missed_call_task.mode" {
                    @for mode in TaskMode::ALL {
                        option value=(mode.as_str()) selected[mode == task.mode] {
                            (match mode { TaskMode::Shared => tr(l, "settings-task-mode-shared"), TaskMode::Each => tr(l, "settings-task-mode-each") })
                        }
                    }
                }
                fieldset.due-in {
                    legend { (tr(l, "settings-due-in")) }
                    (number_input(v, "missed_call_task.due_in.days", tr(l, "settings-days"), task.due_in.days))
                    (number_input(v, "missed_call_task.due_in.hours", tr(l, "settings-hours"), task.due_in.hours))
                    (number_input(v, "missed_call_task.due_in.minutes", tr(l, "settings-minutes"), task.due_in.minutes))
                }
                (checkbox("missed_call_task.link_order", tr(l, "settings-link-order"), task.link_order))
                (checkbox("missed_call_task.link_lead", tr(l, "settings-link-lead"), task.link_lead))
            }
            fieldset #rule-answered_call_lead {
                legend { (rule_name(l, Rule::AnsweredCallLead)) }
                (lead_rule_fields(l, v, c, "answered_call_lead", &t.answered_call_lead))
            }
            fieldset #rule-missed_call_lead {
                legend { (rule_name(l, Rule::MissedCallLead)) }
                (lead_rule_fields(l, v, c, "missed_call_lead", &t.missed_call_lead))
            }
            fieldset #calls-and-recovery {
                legend { (tr(l, "settings-recovery")) }
                (number_input(v, "recovery_window_days", tr(l, "settings-recovery-window-days"), t.recovery_window_days))
                (checkbox("recover_only_answered", tr(l, "settings-recover-only-answered"), t.recover_only_answered))
                (checkbox("inbound_answer_recovers", tr(l, "settings-inbound-answer-recovers"), t.inbound_answer_recovers))
                (checkbox("reuse_unknown_caller_lead", tr(l, "settings-reuse-unknown-caller-lead"), t.reuse_unknown_caller_lead))
                (number_input(v, "settle_seconds", tr(l, "settings-settle-seconds"), t.settle_seconds))
                (number_input(v, "stale_call_hours", tr(l, "settings-stale-call-hours"), t.stale_call_hours))
            }
            fieldset #callback-sla {
                legend { (tr(l, "settings-sla")) }
                p.hint { (tr(l, "settings-business-hours-hint")) }
                @for day in WEEKDAYS { (day_hours(l, v, day)) }
                (number_input(v, "callback_sla_minutes", tr(l, "settings-callback-sla-minutes"), t.callback_sla_minutes))
                (number_input(v, "service_level_seconds", tr(l, "settings-service-level-seconds"), t.service_level_seconds))
            }
            // Save first: Enter in a field saves (R-U7's stable forms).
            div.actions {
                button #save type="submit" { (tr(l, "settings-save")) }
                button #preview .secondary type="submit" formaction="/settings/telephony/preview" { (tr(l, "settings-preview")) }
            }
            p.hint { (tr_args(l, "settings-preview-hint", &[("days", PREVIEW_DAYS.into())])) }
        }
    })
}

fn preview_markup(l: Locale, p: &AutomationPreview) -> Markup {
    html! {
        section #preview-result aria-labelledby="preview-heading" {
            h2 #preview-heading { (tr(l, "settings-preview-title")) }
            p #preview-summary role="status" data-tasks=(p.tasks) data-leads=(p.leads) {
                (tr_args(l, "settings-preview-summary", &[
                    ("days", PREVIEW_DAYS.into()),
                    ("tasks", (p.tasks as u64).into()),
                    ("leads", (p.leads as u64).into()),
                    ("calls", (p.calls_seen as u64).into()),
                ]))
            }
            @if !p.calls.is_empty() {
                table #preview-calls {
                    thead { tr {
                        th scope="col" { (tr(l, "settings-preview-call")) }
                        th scope="col" { (tr(l, "settings-preview-tasks")) }
                        th scope="col" { (tr(l, "settings-preview-leads")) }
                    } }
                    tbody {
                        @for c in &p.calls {
                            tr data-call=(c.call_id) {
                                td { a href=(format!("/calls/{}", c.call_id)) { (tr_args(l, "settings-preview-call-link", &[("id", c.call_id.into())])) } }
                                td { (c.tasks) }
                                td {
                                    @if c.lead_rules.is_empty() { "—" }
                                    @for (i, r) in c.lead_rules.iter().enumerate() {
                                        @if i > 0 { ", " }
                                        (rule_name(l, *r))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /settings/telephony`: as `GET /api/v1/settings/telephony`.
pub async fn telephony_page(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let settings = state.store.telephony_settings(s.caller.company_id).await?;
    let c = choices(&state, s.caller.company_id).await?;
    let v = View {
        settings: &settings,
        typed: None,
        errors: &vec![],
        preview: None,
        saved: q.m.as_deref() == Some("saved"),
    };
    Ok(Html(page_markup(&s, &c, &v).into_string()).into_response())
}

/// Reads and validates the form as `PUT /api/v1/settings/telephony` does:
/// the settings, or the form to show again with its notes.
async fn validated(
    state: &AppState,
    s: &Signed,
    f: &FormFields,
) -> Result<Result<TelephonySettings, (TelephonySettings, Errors)>, AppError> {
    let l = s.locale;
    let mut errors = Errors::new();
    let put = read_form(l, f, &mut errors);
    let current = state.store.telephony_settings(s.caller.company_id).await?;
    let shown = put.clone().over(&current);
    if !errors.is_empty() {
        return Ok(Err((shown, errors)));
    }
    match domain_checked(state, s.caller.company_id, put).await? {
        Ok(settings) => Ok(Ok(settings)),
        Err(e) => {
            errors.push(domain_note(l, &e));
            Ok(Err((shown, errors)))
        }
    }
}

fn again(
    s: &Signed,
    c: &Choices,
    settings: &TelephonySettings,
    f: &FormFields,
    errors: &Errors,
) -> Response {
    let v = View {
        settings,
        typed: Some(f),
        errors,
        preview: None,
        saved: false,
    };
    with_cookie(
        page_markup(s, c, &v),
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    )
}

/// `POST /settings/telephony`: saves, as `PUT /api/v1/settings/telephony`
/// (R-X6: validated by the domain; audited by the store).
pub async fn save_telephony(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let c = choices(&state, s.caller.company_id).await?;
    let settings = match validated(&state, &s, &f).await? {
        Ok(settings) => settings,
        Err((shown, errors)) => return Ok(again(&s, &c, &shown, &f, &errors)),
    };
    state
        .store
        .put_telephony_settings(
            s.caller.company_id,
            &settings,
            &s.caller.actor(),
            Timestamp::now(),
        )
        .await?;
    tracing::info!(
        company.id = s.caller.company_id,
        employee.id = s.caller.employee.id,
        "telephony settings changed"
    );
    Ok(Redirect::to(&format!("{PATH}?m=saved")).into_response())
}

/// `POST /settings/telephony/preview` (issue 11 item 8): the form's unsaved
/// values over the last 7 days' calls, as `POST /api/v1/settings/telephony/preview`;
/// the form comes back as typed, nothing is written.
pub async fn preview_telephony(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageSettings) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let c = choices(&state, s.caller.company_id).await?;
    let settings = match validated(&state, &s, &f).await? {
        Ok(settings) => settings,
        Err((shown, errors)) => return Ok(again(&s, &c, &shown, &f, &errors)),
    };
    let p = preview(&state, s.caller.company_id, &settings).await?;
    let v = View {
        settings: &settings,
        typed: Some(&f),
        errors: &vec![],
        preview: Some(&p),
        saved: false,
    };
    Ok(Html(page_markup(&s, &c, &v).into_string()).into_response())
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(
        PATH,
        &["GET", "POST"],
        get(telephony_page).post(save_telephony),
    )
    .other(
        "/settings/telephony/preview",
        &["POST"],
        post(preview_telephony),
    )
}

//! Ringdesk's domain: the rules of SPEC.md as plain functions of their inputs.
//! Nothing here does I/O or is async; the clock is always an argument.

/// Who may do and see what (R-T3, R-C5) and the sign-in throttle policy.
pub mod access;
/// Telephony automation (§4, §5): settings (R-X6), due dates (R-A4), task and lead decisions.
pub mod automation;
/// A company's business hours per weekday and the business time between instants (issue 13).
pub mod business_hours;
/// Calls: states, the order-independent fold of events (R-C1…R-C5).
pub mod call;
/// Callback cases: a caller's missed calls until they are reached (issue 13 item 3).
pub mod cases;
/// Companies, employees, permissions and the validation of what people type (R-T*).
pub mod company;
/// R-U4: the dashboard's figures and what one call adds to them.
pub mod dashboard;
/// The generic call event of R-X4 and its validation.
pub mod event;
/// Durable jobs: their kinds and states, the retry policy and the retention.
pub mod jobs;
/// Who hears of a lead event (R-L6).
pub mod notify;
/// The first-run checklist of a new company (issue 11).
pub mod onboarding;
/// R-X8: which addresses Ringdesk may connect out to (`outbound_allow`).
pub mod outbound;
/// Phone numbers: E.164 normalisation and withheld caller ids (R-P2, R-P6).
pub mod phone;
/// A quote's line items (R-M7): validation, typed decimals, totals.
pub mod quote;
/// R-C7: which callback recovers which missed call.
pub mod recovery;
/// Who may sign a company up through the API (R-X3a).
pub mod signup;
/// The callback SLA of missed calls: deadlines, outcomes, breaches (issue 13).
pub mod sla;
/// Every text Ringdesk writes into records, in en, pt, es and ru (R-T2, R-U6).
pub mod texts;
/// Instants as the API takes them: RFC 3339 exactly.
pub mod time;
/// Leads, work orders and tasks (§6): numbering templates (R-M3), lead type
/// form fields and status transfer rules (R-M2), overdue (R-M4).
pub mod work;

//! Ringdesk's domain: the rules of SPEC.md as plain functions of their inputs.
//! Nothing here does I/O or is async; the clock is always an argument.

/// Calls: states, the order-independent fold of events (R-C1…R-C5).
pub mod call;
/// Companies, employees, permissions and the validation of what people type (R-T*).
pub mod company;
/// The generic call event of R-X4 and its validation.
pub mod event;
/// Phone numbers: E.164 normalisation and withheld caller ids (R-P2, R-P6).
pub mod phone;

//! Phone-system connectors (SPEC §7): each turns what a provider sends into
//! the domain's `RawCallEvent`s, which then take the same path as the generic
//! webhook's (R-X4). Nothing here knows SQL or HTTP routing; the web crate
//! receives Twilio's callbacks, the binary holds AMI connections.

pub mod ami;
pub mod sim;
pub mod twilio;

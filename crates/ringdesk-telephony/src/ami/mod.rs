//! Asterisk Manager Interface (R-I3, R-X8): the wire framing (`frame`), the
//! pure call tracker that turns AMI events into the domain's `RawCallEvent`s
//! (`tracker`), and the TCP client that logs in, reconnects and originates
//! calls (`client`).

pub mod client;
pub mod frame;
#[cfg(feature = "supervisor")]
pub mod supervisor;
pub mod testing;
pub mod tracker;

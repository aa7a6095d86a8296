//! Ringdesk's use cases that more than one face shares: the web API and the
//! command line both call these, so neither owns them. No HTTP here, no SQL:
//! the rules come from `ringdesk-domain`, the data from `ringdesk-store`.
//!
//! - [`accounts`]: sign-up (R-X3, with the policy of R-X3a), creating a
//!   company from the command line, adding an employee (R-T3, R-T4).
//! - [`credentials`]: API tokens (random, kept only as their SHA-256) and
//!   argon2id password hashing off the async runtime.
//! - [`Error`]: what a use case can fail with; each face renders it its way.

pub mod accounts;
pub mod credentials;

use ringdesk_domain::event::FieldError;
use ringdesk_store::StoreError;

/// Why a use case did not go ahead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input, naming the field.
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// Not allowed: a closed sign-up, a right the granter lacks.
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something that should not fail did (a hashing task).
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

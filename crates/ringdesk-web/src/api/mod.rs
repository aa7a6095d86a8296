//! The JSON API under `/api/v1` (R-X2): one module per resource.

pub mod accounts;
pub mod ami;
pub mod calls;
pub mod catalog;
pub mod click_to_call;
pub mod clients;
pub mod dashboard;
pub mod jobs;
pub mod live;
pub mod phone_system;
pub mod security;
pub mod settings;
pub mod twilio;
pub mod work;

use crate::error::AppError;

/// Page size of list endpoints: 1–200, default 50.
pub fn page_limit(limit: Option<i64>) -> Result<i64, AppError> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=200).contains(&n) => Ok(n),
        Some(n) => Err(AppError::invalid(
            "limit",
            format!("{n} is not between 1 and 200"),
        )),
    }
}

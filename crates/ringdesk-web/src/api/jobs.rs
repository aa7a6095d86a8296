//! The company's durable jobs (the automation's rules, stale-call checks,
//! lead deadlines): what waits, what ran, and what failed and why.

use crate::auth::Caller;
use crate::error::{ApiResult, AppError, ErrorBody};
use crate::extract::Query;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use ringdesk_domain::company::Permission;
use ringdesk_domain::jobs::JobStatus;
use ringdesk_store::JobRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobOut {
    pub id: i64,
    /// `missed_call_task`, `missed_call_lead`, `answered_call_lead`,
    /// `stale_check` or `lead_deadline` (a damaged row shows what it holds).
    pub kind: String,
    /// `pending` (waiting for `run_at`, also between retries), `done`, or
    /// `failed` (it gave up after its last attempt; see `last_error`).
    pub status: String,
    pub call_id: Option<i64>,
    pub lead_id: Option<i64>,
    /// When it is due; for a pending job that failed before, its next attempt.
    pub run_at: String,
    /// Attempts made: the failed ones and the one that finished it.
    pub attempts: i64,
    /// The error of its latest failed attempt.
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// When it was done or failed.
    pub finished_at: Option<String>,
}

impl From<JobRecord> for JobOut {
    fn from(j: JobRecord) -> Self {
        JobOut {
            id: j.id,
            kind: j.kind,
            status: j.status.as_str().to_owned(),
            call_id: j.call_id,
            lead_id: j.lead_id,
            run_at: j.run_at.to_string(),
            attempts: j.attempts,
            last_error: j.last_error,
            created_at: j.created_at.to_string(),
            updated_at: j.updated_at.to_string(),
            finished_at: j.finished_at.map(|t| t.to_string()),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct JobQuery {
    /// All when left out.
    #[param(schema_with = crate::openapi::job_status)]
    pub status: Option<String>,
    /// 1–200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/jobs", tag = "settings", security(("bearer" = [])), params(JobQuery),
    responses((status = 200, body = Vec<JobOut>, description = "Newest first. Done jobs are kept 7 days, failed ones 30 days."),
        (status = 403, body = ErrorBody, description = "Needs manage_settings (the owner has it)"),
        (status = 422, body = ErrorBody, description = "Names the offending parameter")))]
pub async fn list_jobs(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<JobQuery>,
) -> ApiResult<Json<Vec<JobOut>>> {
    caller.require(Permission::ManageSettings)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(JobStatus::parse(s).ok_or_else(|| {
            AppError::invalid(
                "status",
                format!("{s:?} is not one of pending, done, failed"),
            )
        })?),
    };
    let limit = super::page_limit(q.limit)?;
    let jobs = state.store.jobs(caller.company_id, status, limit).await?;
    Ok(Json(jobs.into_iter().map(JobOut::from).collect()))
}

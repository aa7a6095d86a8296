//! Every query of the store, written once and compiled once per backend:
//! `sqlite.rs` and `postgres.rs` each mount this module tree (`#[path]`) after
//! defining `Db`, `FOR_UPDATE`, `OVERRIDING`, `set_company` and
//! `new_company_id`. Only SQL that both dialects read the same way belongs
//! here (numbered `$n` parameters, `returning`, `on conflict`).

mod accounts;
mod audit;
mod automation;
mod calls;
mod catalog;
mod clients;
mod company;
mod history;
mod jobs;
mod leads;
mod notifications;
mod orders;
mod quotes;
mod tasks;
mod webhooks;

pub(crate) use accounts::*;
pub(crate) use audit::*;
pub(crate) use automation::*;
pub(crate) use calls::*;
pub(crate) use catalog::*;
pub(crate) use clients::*;
pub(crate) use company::*;
pub(crate) use history::*;
pub(crate) use jobs::*;
pub(crate) use leads::*;
pub(crate) use notifications::*;
pub(crate) use orders::*;
pub(crate) use quotes::*;
pub(crate) use tasks::*;
pub(crate) use webhooks::*;

use super::{new_company_id, set_company, Db, FOR_UPDATE, OVERRIDING};
use crate::StoreError;

type Conn = <Db as sqlx::Database>::Connection;

type DbRow = <Db as sqlx::Database>::Row;

/// Turns a unique violation into [`StoreError::Taken`] naming `field`.
fn taken(e: sqlx::Error, field_of: impl Fn(&str) -> (&'static str, String)) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            let what = db
                .constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| db.message().to_owned());
            let (field, message) = field_of(&what);
            return StoreError::Taken {
                field: field.to_owned(),
                message,
            };
        }
    }
    StoreError::Database(e)
}

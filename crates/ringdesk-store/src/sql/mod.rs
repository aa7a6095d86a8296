//! Every query of the store, written once and compiled once per backend:
//! `sqlite.rs` and `postgres.rs` each mount this module tree (`#[path]`) after
//! defining `Db`, `FOR_UPDATE`, `SKIP_LOCKED`, `OVERRIDING`, `set_company`,
//! `wake_job_runners`, `notify_live` and `new_company_id`. Only SQL that both dialects read the same way belongs
//! here (numbered `$n` parameters, `returning`, `on conflict`).

mod accounts;
mod ami;
mod audit;
mod automation;
mod calls;
mod catalog;
mod clients;
mod company;
mod dashboard;
mod history;
mod jobs;
mod leads;
mod live;
mod notifications;
mod orders;
mod phone_system;
mod quotes;
mod sla;
mod tasks;
mod twilio;
mod webhooks;

pub(crate) use accounts::*;
pub(crate) use ami::*;
pub(crate) use audit::*;
pub(crate) use automation::*;
pub(crate) use calls::*;
pub(crate) use catalog::*;
pub(crate) use clients::*;
pub(crate) use company::*;
pub(crate) use dashboard::*;
pub(crate) use history::*;
pub(crate) use jobs::*;
pub(crate) use leads::*;
pub(crate) use live::*;
pub(crate) use notifications::*;
pub(crate) use orders::*;
pub(crate) use phone_system::*;
pub(crate) use quotes::*;
pub(crate) use tasks::*;
pub(crate) use twilio::*;
pub(crate) use webhooks::*;

use super::{
    lock_number, new_company_id, notify_live, set_company, wake_job_runners, Db, FOR_UPDATE,
    OVERRIDING, SKIP_LOCKED,
};
use crate::StoreError;

type Conn = <Db as sqlx::Database>::Connection;

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

/// Appends ` in ($1, $2, …)` binding `ids`, so that the children of a whole page
/// of rows are read in one query. `ids` must not be empty.
fn push_in(q: &mut sqlx::QueryBuilder<'_, Db>, ids: &[i64]) {
    q.push(" in (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(")");
}

/// The children of a page of rows in one query: `(parent, child)` pairs of
/// `table` whose `parent` column is in `ids`, grouped by parent, in `order`.
async fn children<T>(
    conn: &mut Conn,
    table: &str,
    parent: &str,
    child: &str,
    company_id: i64,
    ids: &[i64],
    order: &str,
) -> crate::Result<std::collections::HashMap<i64, Vec<T>>>
where
    T: for<'r> sqlx::Decode<'r, Db> + sqlx::Type<Db> + Send + Unpin,
{
    let mut out: std::collections::HashMap<i64, Vec<T>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = sqlx::QueryBuilder::<Db>::new(format!(
        "select {parent}, {child} from {table} where company_id = "
    ));
    q.push_bind(company_id);
    q.push(format!(" and {parent}"));
    push_in(&mut q, ids);
    q.push(format!(" order by {order}"));
    for (id, value) in q.build_query_as::<(i64, T)>().fetch_all(&mut *conn).await? {
        out.entry(id).or_default().push(value);
    }
    Ok(out)
}

/// Test support (`ringdesk_store::testing::damage_value`): writes `value`
/// into `table.column` of the company's row whose `key` is `id`, bypassing
/// every check, as a hand edit or a damaged disk would. The names come from
/// tests, never from a request.
pub(crate) async fn damage_value(
    conn: &mut Conn,
    company_id: i64,
    (table, column, key): (&str, &str, &str),
    id: i64,
    value: crate::testing::RawValue<'_>,
) -> crate::Result<()> {
    use crate::testing::RawValue;
    for name in [table, column, key] {
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "damage_value: {name:?} is not a plain SQL name"
        );
    }
    let sql = format!("update {table} set {column} = $3 where company_id = $1 and {key} = $2");
    let q = sqlx::query(&sql).bind(company_id).bind(id);
    let q = match value {
        RawValue::Text(t) => q.bind(t.to_owned()),
        RawValue::Int(i) => q.bind(i),
    };
    if q.execute(&mut *conn).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound("row to damage"));
    }
    Ok(())
}

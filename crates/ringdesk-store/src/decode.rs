//! Strict decoding of stored values, for the row structs that
//! `#[derive(sqlx::FromRow)]`.
//!
//! A stored value the code does not understand (a state it has no variant
//! for, a time out of range, JSON that no longer parses) is an error naming
//! the column, never a silent default: a default would show a corrupt row as
//! a plausible one and, written back, make the corruption permanent.
//!
//! The wrappers decode through the column's plain type (`i64`, text), so they
//! work on both backends, and fail the row with `sqlx::Error::ColumnDecode`.

use crate::StoreError;
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Type};

/// A time stored as milliseconds since the epoch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At(pub Timestamp);

impl<DB: Database> Type<DB> for At
where
    i64: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <i64 as Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <i64 as Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: Database> Decode<'r, DB> for At
where
    i64: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let ms = <i64 as Decode<DB>>::decode(value)?;
        Ok(At(at(ms).map_err(Box::new)?))
    }
}

/// The time `ms` milliseconds after the epoch; an error past jiff's range.
pub(crate) fn at(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(ms)
        .map_err(|_| StoreError::Corrupt(format!("time {ms} ms is out of range")))
}

/// A value stored as text that the code knows by name (a state, a
/// direction, a kind): the stored names are the `as_str` of the type.
pub(crate) trait StoredName: Sized {
    /// What the value is, for the error ("call state").
    const WHAT: &'static str;
    fn from_stored(s: &str) -> Option<Self>;
}

/// The wrappers over a text column are typed as text on both backends.
macro_rules! stored_as_text {
    ($($wrapper:ident),*) => {$(
        impl<T, DB: Database> Type<DB> for $wrapper<T>
        where
            String: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as Type<DB>>::compatible(ty)
            }
        }
    )*};
}

stored_as_text!(Named, Listed, Json);

/// A [`StoredName`] read from a text column.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named<T>(pub T);

impl StoredName for ringdesk_domain::phone::Country {
    const WHAT: &'static str = "country";
    fn from_stored(s: &str) -> Option<Self> {
        Self::parse(s).ok()
    }
}

impl<'r, T: StoredName, DB: Database> Decode<'r, DB> for Named<T>
where
    &'r str: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <&'r str as Decode<DB>>::decode(value)?;
        Ok(Named(name::<T>(s).map_err(Box::new)?))
    }
}

/// `s` as a `T`; an error naming what it should have been.
pub(crate) fn name<T: StoredName>(s: &str) -> Result<T, StoreError> {
    T::from_stored(s).ok_or_else(|| StoreError::Corrupt(format!("{} {s:?}", T::WHAT)))
}

macro_rules! stored_names {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl StoredName for $ty {
            const WHAT: &'static str = $what;
            fn from_stored(s: &str) -> Option<Self> {
                <$ty>::parse(s)
            }
        }
    )*};
}

stored_names! {
    ringdesk_domain::call::Direction => "call direction",
    ringdesk_domain::call::CallState => "call state",
    ringdesk_domain::company::Locale => "locale",
    ringdesk_domain::company::Permission => "permission",
    ringdesk_domain::automation::TaskMode => "task mode",
    ringdesk_domain::automation::Rule => "automation rule",
    ringdesk_domain::automation::Outcome => "automation outcome",
    ringdesk_domain::automation::NotCustomer => "not-customer reason",
    ringdesk_domain::work::LeadStatusGroup => "lead status group",
    ringdesk_domain::work::OrderStatusGroup => "order status group",
    ringdesk_domain::jobs::JobKind => "job kind",
    ringdesk_domain::jobs::JobStatus => "job status",
    ringdesk_domain::notify::NotificationKind => "notification kind",
    crate::model::ClientMatch => "client match",
    crate::model::PhoneKind => "phone kind",
    crate::model::TaskStatus => "task status",
    crate::model::LiveKind => "live event kind",
}

/// A comma-separated list of [`StoredName`]s in a text column (permissions).
#[derive(Debug, Clone)]
pub(crate) struct Listed<T>(pub Vec<T>);

impl<'r, T: StoredName, DB: Database> Decode<'r, DB> for Listed<T>
where
    &'r str: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <&'r str as Decode<DB>>::decode(value)?;
        Ok(Listed(list::<T>(s).map_err(Box::new)?))
    }
}

/// A comma-separated list of names, each one known; `""` is the empty list.
pub(crate) fn list<T: StoredName>(text: &str) -> Result<Vec<T>, StoreError> {
    text.split(',')
        .filter(|p| !p.is_empty())
        .map(name)
        .collect()
}

/// A value stored as JSON text.
#[derive(Debug, Clone)]
pub(crate) struct Json<T>(pub T);

impl<'r, T: DeserializeOwned, DB: Database> Decode<'r, DB> for Json<T>
where
    &'r str: Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <&'r str as Decode<DB>>::decode(value)?;
        Ok(Json(from_json(s).map_err(Box::new)?))
    }
}

/// Stored JSON read back; an error if it no longer parses as a `T`.
pub(crate) fn from_json<T: DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("stored JSON {s:?}: {e}")))
}

/// A value as the JSON text to store; an error, never `""`, if it cannot be.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Serialise(e.to_string()))
}

/// A stored IANA time zone name, as jiff knows it.
pub(crate) fn time_zone(name: &str) -> Result<jiff::tz::TimeZone, StoreError> {
    jiff::tz::TimeZone::get(name)
        .map_err(|e| StoreError::Corrupt(format!("time zone {name:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ringdesk_domain::call::CallState;

    #[test]
    fn an_unknown_name_is_an_error_naming_what_it_should_be() {
        let e = name::<CallState>("teleported").unwrap_err();
        assert_eq!(
            e.to_string(),
            "stored value not understood: call state \"teleported\""
        );
        assert!(matches!(
            name::<CallState>("answered"),
            Ok(CallState::Answered)
        ));
    }

    #[test]
    fn a_time_out_of_range_is_an_error_not_the_epoch() {
        assert!(at(i64::MAX).is_err());
        assert_eq!(at(1_000).unwrap().as_millisecond(), 1_000);
    }

    #[test]
    fn json_that_does_not_parse_is_an_error_not_empty() {
        assert!(from_json::<Vec<String>>("{oops").is_err());
        assert_eq!(from_json::<Vec<String>>("[\"a\"]").unwrap(), vec!["a"]);
    }

    #[test]
    fn an_empty_permission_list_is_empty_and_an_unknown_one_is_an_error() {
        use ringdesk_domain::company::Permission;
        assert!(list::<Permission>("").unwrap().is_empty());
        assert!(list::<Permission>("view_clients,fly").is_err());
        assert_eq!(
            list::<Permission>("view_clients").unwrap(),
            vec![Permission::ViewClients]
        );
    }
}

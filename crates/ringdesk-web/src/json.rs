//! The one JSON reader of every request body, and its extractors. Every
//! rejection is an R-X2 error naming the problem (R-I4):
//!
//! - the whole body is exactly one JSON value: bytes after it (`{…} xyz`, or
//!   two events back to back) are refused with 400, never ignored;
//! - a key repeated in one object is refused with 422, never "last one wins";
//! - where an object is expected, only an object is read: serde's derive would
//!   otherwise read an array by position (`["Arr"]` as `{"name": "Arr"}`);
//! - numbers are never rewritten through floating point: a field that takes an
//!   integer refuses a fraction or an integer past `i64`, and the call-event
//!   reader keeps a number only when it is an integer, spelled as sent
//!   (`calls.rs`); a whole number written with a zero fraction (`1.0`) is
//!   that integer, as JSON Schema reads it, up to 2^53 where it is exact;
//! - text is checked before it reaches a handler ([`check_text`]): NUL anywhere
//!   (PostgreSQL cannot store it), and any other control character in names,
//!   ids, numbers, e-mails and keys; free text (`description`, the values of a
//!   lead's `fields`) keeps its line breaks and tabs; a `password` may hold
//!   anything but NUL (it is hashed, never shown).
//!
//! How: [`read_value`] reads the bytes into a `serde_json::Value` through a
//! visitor that refuses repeated keys, then checks for the end of input; the
//! typed value is then read from that tree through [`Strict`], a deserializer
//! that answers like `serde_json::Value`'s except that a struct is read only
//! from an object.

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use bytes::Bytes;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

pub struct JsonBody<T>(pub T);

/// `serialize_with` for a secret a response shows once (a new API token, a
/// new webhook secret): the field stays a `SecretString`, so `Debug` and logs
/// of the response never show it.
pub fn expose<S: serde::Serializer>(
    secret: &secrecy::SecretString,
    s: S,
) -> Result<S::Ok, S::Error> {
    use secrecy::ExposeSecret;
    s.serialize_str(secret.expose_secret())
}

/// Reads the raw body, answering 413 past the route's limit. The Content-Type
/// is not checked: phone systems often send JSON labelled as something else,
/// and the body is parsed as JSON whatever it says.
pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                "the request body is larger than 1 MiB",
            )
        } else {
            AppError::bad_request(
                "unreadable_body",
                format!("the request body could not be read: {e}"),
            )
        }
    })
}

/// `"a.b[0]"`, or `"body"` for the whole body.
fn field_name(path: &str) -> &str {
    if path == "." || path.is_empty() {
        "body"
    } else {
        path
    }
}

/// Reads the body as exactly one JSON value whose objects repeat no key.
/// Syntax errors and bytes after the value are 400 `invalid_json`; a repeated
/// key is 422 `invalid_field` naming the object it is in. The text in it is
/// not checked yet: see [`check_text`].
pub fn read_value(bytes: &[u8]) -> Result<Value, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, Checked>(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            AppError::bad_request(
                "invalid_json",
                format!("the body is not valid JSON: {inner}"),
            )
        } else {
            AppError::invalid(field_name(&path), inner)
        }
    })?;
    de.end().map_err(|e| {
        AppError::bad_request(
            "invalid_json",
            format!(
                "the body must be exactly one JSON value, but more follows it at line {} column {} \
                 (several call events are sent as one array)",
                e.line(),
                e.column()
            ),
        )
    })?;
    Ok(value.0)
}

/// Parses a whole body into `T` (always a struct here, so the body must be an
/// object): [`read_value`], then [`check_text`], then `T` read through
/// [`Strict`], naming the path of the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value = read_value(bytes)?;
    check_text(&value, "")?;
    serde_path_to_error::deserialize(Strict(&value))
        .map_err(|e| AppError::invalid(field_name(&e.path().to_string()), e.into_inner()))
}

/// A JSON value read with every object checked for repeated keys.
struct Checked(Value);

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor).map(Checked)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // JSON has one number type: `1.0` is the integer 1 (as JSON Schema
        // reads it), so a whole number written with a zero fraction is read
        // as that integer, where the float holds it exactly (|v| <= 2^53).
        // Anything else stays a float, which integer fields refuse.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if v.fract() == 0.0 && v.abs() <= EXACT {
            return Ok(Value::from(v as i64));
        }
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number must be finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Checked::deserialize(d).map(|c| c.0)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Checked(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the key {key:?} appears more than once in this object"
                )));
            }
            let Checked(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// What text a string may hold, by the field it is in.
#[derive(Clone, Copy, PartialEq)]
enum TextKind {
    /// Names, ids, numbers, e-mails, keys: no control character at all.
    Name,
    /// `description`, a lead's field values: line breaks and tabs allowed.
    FreeText,
    /// `password`: anything but NUL; it is hashed, never shown or stored as sent.
    Secret,
}

/// Refuses NUL in every string and key (PostgreSQL cannot store it), and other
/// control characters where they do not belong (see [`TextKind`]), naming the
/// field (`prefix` is the path of `value` in the body, `""` for the body).
pub fn check_text(value: &Value, prefix: &str) -> Result<(), AppError> {
    let kind = if prefix.is_empty() {
        TextKind::Name
    } else {
        kind_of(prefix, TextKind::Name)
    };
    walk(value, prefix, kind)
}

/// The kind of text at `path`, a member of an object at a path of `parent_kind`.
fn kind_of(path: &str, parent_kind: TextKind) -> TextKind {
    let last = path.rsplit('.').next().unwrap_or(path);
    if parent_kind != TextKind::Name {
        parent_kind
    } else if last == "description" {
        TextKind::FreeText
    } else if last == "password" {
        TextKind::Secret
    } else {
        TextKind::Name
    }
}

fn walk(value: &Value, path: &str, kind: TextKind) -> Result<(), AppError> {
    match value {
        Value::String(s) => check_str(s, path, kind),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{path}[{i}]"), kind)?;
            }
            Ok(())
        }
        Value::Object(members) => {
            for (k, v) in members {
                let at = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                // A key is a name, wherever it is.
                check_str(k, &at, TextKind::Name)?;
                // The values of a lead's `fields` (an object, at the top) are
                // free text; a lead type's `fields` (an array of definitions) are not.
                let member_kind = if path == "fields" {
                    TextKind::FreeText
                } else {
                    kind_of(&at, kind)
                };
                walk(v, &at, member_kind)?;
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn check_str(s: &str, path: &str, kind: TextKind) -> Result<(), AppError> {
    let field = field_name(path);
    for c in s.chars() {
        if c == '\0' {
            return Err(AppError::invalid(
                field,
                "contains the NUL character (U+0000), which cannot be stored",
            ));
        }
        let allowed = match kind {
            TextKind::Secret => true,
            TextKind::FreeText => matches!(c, '\n' | '\r' | '\t'),
            TextKind::Name => false,
        };
        if c.is_control() && !allowed {
            let hint = if kind == TextKind::FreeText {
                "only line breaks and tabs are allowed in free text"
            } else {
                "names, ids and numbers may not hold control characters"
            };
            return Err(AppError::invalid(
                field,
                format!(
                    "contains the control character U+{:04X}; {hint}",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

/// Reads a type from a checked JSON tree as `serde_json::Value` would, except
/// that a struct is read only from an object, never from an array by position.
struct Strict<'a>(&'a Value);

fn not_an_object<E: de::Error>(v: &Value) -> E {
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    E::custom(format!("must be a JSON object, not {kind}"))
}

impl<'de> de::Deserializer<'de> for Strict<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(StrictSeq(items.iter())),
            Value::Object(members) => visitor.visit_map(StrictMap {
                iter: members.iter(),
                value: None,
            }),
            other => de::Deserializer::deserialize_any(other, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(_) => self.deserialize_any(visitor),
            other => Err(not_an_object(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        de::Deserializer::deserialize_enum(self.0, name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct StrictSeq<'a>(std::slice::Iter<'a, Value>);

impl<'de> de::SeqAccess<'de> for StrictSeq<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Strict(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct StrictMap<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de> MapAccess<'de> for StrictMap<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(de::value::BorrowedStrDeserializer::<serde_json::Error>::new(k))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let v = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        seed.deserialize(Strict(v))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = body_bytes(req, state).await?;
        Ok(JsonBody(parse_json(&bytes)?))
    }
}

/// A JSON body read now but parsed only when the handler asks, so that a
/// caller without the right permission gets 403 before any 422 about the body.
pub struct JsonLater<T>(Bytes, std::marker::PhantomData<T>);

impl<T: DeserializeOwned> JsonLater<T> {
    pub fn parse(&self) -> Result<T, AppError> {
        parse_json(&self.0)
    }

    /// No body at all (optional bodies).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(u8::is_ascii_whitespace)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonLater<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(JsonLater(
            body_bytes(req, state).await?,
            std::marker::PhantomData,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Named {
        name: String,
        id: Option<i64>,
        description: Option<String>,
        #[serde(default)]
        phones: Vec<Phone>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Phone {
        number: String,
    }

    fn err<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> (u16, String) {
        let e = parse_json::<T>(body.as_bytes()).unwrap_err();
        (e.status.as_u16(), e.message)
    }

    #[test]
    fn a_body_is_exactly_one_json_value_r_i4() {
        let (status, message) = err::<Named>(r#"{"name":"a"} xyz"#);
        assert_eq!(status, 400, "{message}");
        assert!(message.contains("exactly one JSON value"), "{message}");
        assert_eq!(err::<Named>(r#"{"name":"a"}{"name":"b"}"#).0, 400);
        assert!(parse_json::<Named>(b" {\"name\":\"a\"} \n").is_ok());
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth_r_i4() {
        let (status, message) = err::<Named>(r#"{"name":"a","name":"b"}"#);
        assert_eq!(status, 422);
        assert!(
            message.contains(r#"the key "name" appears more than once"#),
            "{message}"
        );
        let (status, message) =
            err::<Named>(r#"{"name":"a","phones":[{"number":"1","number":"2"}]}"#);
        assert_eq!(status, 422);
        assert!(message.starts_with("phones[0]: "), "{message}");
    }

    #[test]
    fn a_struct_is_read_only_from_an_object_r_i4() {
        let (status, message) = err::<Named>(r#"["Arr"]"#);
        assert_eq!(
            (status, message.as_str()),
            (422, "body: must be a JSON object, not an array")
        );
        let (_, message) = err::<Named>(r#"{"name":"a","phones":[["1"]]}"#);
        assert_eq!(message, "phones[0]: must be a JSON object, not an array");
    }

    #[test]
    fn a_whole_number_written_with_a_zero_fraction_is_that_integer_r_i4() {
        let v = read_value(br#"{"id": 1.0, "big": 1e3, "neg": -690002.0}"#).unwrap();
        assert_eq!(v["id"], serde_json::json!(1));
        assert!(v["id"].is_i64());
        assert_eq!(v["big"], serde_json::json!(1000));
        assert_eq!(v["neg"], serde_json::json!(-690002));
        // Past 2^53 a float is not exact: it stays a float, and is refused where
        // an integer is wanted.
        assert!(read_value(b"1e20").unwrap().is_f64());
        assert!(read_value(b"1.5").unwrap().is_f64());
    }

    #[test]
    fn an_integer_field_refuses_fractions_and_numbers_past_i64_r_i4() {
        let (status, message) = err::<Named>(r#"{"name":"a","id":1.5}"#);
        assert_eq!(status, 422);
        assert!(message.starts_with("id: "), "{message}");
        assert!(err::<Named>(r#"{"name":"a","id":9223372036854775808}"#)
            .1
            .starts_with("id: "));
        assert!(
            err::<Named>(r#"{"name":"a","id":123456789012345678901234567890}"#)
                .1
                .starts_with("id: ")
        );
    }

    #[test]
    fn nul_is_refused_everywhere_and_control_characters_outside_free_text_r_i4() {
        let (status, message) = err::<Named>(r#"{"name":"a\u0000b"}"#);
        assert_eq!(status, 422);
        assert!(message.starts_with("name: contains the NUL"), "{message}");
        let (_, message) = err::<Named>(r#"{"name":"a","description":"x\u0000"}"#);
        assert!(
            message.starts_with("description: contains the NUL"),
            "{message}"
        );
        let (_, message) = err::<Named>(r#"{"name":"\u0002}b\u0007"}"#);
        assert!(
            message.starts_with("name: contains the control character U+0002"),
            "{message}"
        );
        let (_, message) = err::<Named>(r#"{"name":"a\nb"}"#);
        assert!(message.contains("U+000A"), "{message}");
        let (_, message) = err::<Named>(r#"{"name":"a","phones":[{"number":"1\t2"}]}"#);
        assert!(message.starts_with("phones[0].number: "), "{message}");
        let ok = parse_json::<Named>(br#"{"name":"a","description":"line 1\r\nline\t2"}"#).unwrap();
        assert_eq!(ok.description.as_deref(), Some("line 1\r\nline\t2"));
        assert!(err::<Named>(r#"{"name":"a","description":"bell\u0007"}"#)
            .1
            .contains("only line breaks and tabs"));
    }

    #[test]
    fn keys_and_lead_field_values_are_checked_too_r_i4() {
        assert!(check_text(&serde_json::json!({"a\u{0}": 1}), "").is_err());
        assert!(check_text(&serde_json::json!({"fields": {"note": "a\nb"}}), "").is_ok());
        assert!(check_text(&serde_json::json!({"fields": {"note": "a\u{7}"}}), "").is_err());
        assert!(check_text(&serde_json::json!({"fields": [{"label": "a\nb"}]}), "").is_err());
        assert!(check_text(&serde_json::json!({"password": "a\u{7}\tb"}), "").is_ok());
        assert!(check_text(&serde_json::json!({"password": "a\u{0}"}), "").is_err());
    }
}

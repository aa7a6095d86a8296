//! The OpenAPI document's error answers, added from what every route shares
//! (R-X2), so that the document cannot forget one.
//!
//! The handlers' own `#[utoipa::path]` annotations declare what is theirs:
//! the success, and the errors only that operation has (404 for a record,
//! 403 for a permission, 409 for a taken value). What follows from an
//! operation's shape is added here, once, from the extractors every route
//! uses: a secured operation answers 401 without valid credentials; one with
//! a body answers 400 (`invalid_json`: not one JSON value), 413 (over 1 MiB)
//! and 422 (`invalid_field`, naming the field); one with path or query
//! parameters answers 400 or 422 for a parameter that is malformed or
//! invalid, and 404 for a path whose record does not exist.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// The answers every operation of `doc` can give because of its shape; an
/// answer an annotation already declares keeps its own description.
pub fn add_shared_errors(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops.into_iter().flatten() {
            add_to(op);
        }
    }
}

fn add_to(op: &mut Operation) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let params = op.parameters.as_deref().unwrap_or_default();
    let in_path = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let in_query = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let body = op.request_body.is_some();

    let mut shared: Vec<(&str, &str)> = Vec::new();
    if body {
        shared.push((
            "400",
            "`invalid_json`: the body is not one JSON value (trailing bytes, a syntax error, a \
             duplicated key), or a parameter is malformed",
        ));
        shared.push(("413", "`body_too_large`: the body is larger than 1 MiB"));
    } else if in_path || in_query {
        shared.push((
            "400",
            "`invalid_query`: the query string cannot be read (a bad `%` escape, not UTF-8)",
        ));
    }
    if body || in_path || in_query {
        shared.push((
            "422",
            "`invalid_field`: a field or parameter is missing or invalid; the message names it",
        ));
    }
    if in_path {
        shared.push((
            "404",
            "`not_found`: no such record in this company (an id that is not a number names none)",
        ));
    }
    if secured {
        shared.push((
            "401",
            "`unauthorized`: no session or API token, or one that is unknown, expired or revoked",
        ));
    }
    for (status, description) in shared {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error(description));
    }
}

/// An R-X2 error answer.
fn error(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}

// ----- schemas the server enforces, for `#[schema(schema_with = …)]` -------------------

use ringdesk_domain::call::{CallState, Direction};
use ringdesk_domain::company::{Locale, Permission};
use utoipa::openapi::schema::{
    ArrayBuilder, ArrayItems, Object, ObjectBuilder, Schema, SchemaType, Type,
};

/// A country code as the company's `country` (ISO 3166-1 alpha-2, one that
/// phone numbers are known for).
pub fn country() -> Object {
    let codes: Vec<String> = ringdesk_domain::phone::Country::all()
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    one_of(codes, false)
}

/// An IANA time zone name, as the bundled database knows them.
pub fn time_zone() -> Object {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_owned())
        .collect();
    names.sort();
    one_of(names, false)
}

/// A string that is one of `names`; `nullable` also admits `null`.
fn one_of<S: Into<String>>(names: impl IntoIterator<Item = S>, nullable: bool) -> Object {
    let mut values: Vec<serde_json::Value> = names
        .into_iter()
        .map(|n| serde_json::Value::String(n.into()))
        .collect();
    let ty = if nullable {
        values.push(serde_json::Value::Null);
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .enum_values(Some(values))
        .build()
}

pub fn direction() -> Object {
    one_of(Direction::ALL.map(Direction::as_str), false)
}
pub fn call_state() -> Object {
    one_of(CallState::ALL.map(CallState::as_str), false)
}
pub fn locale() -> Object {
    one_of(Locale::ALL.map(Locale::as_str), false)
}
pub fn permission() -> Object {
    one_of(Permission::ALL.map(Permission::as_str), false)
}
/// A list of permissions (each known).
pub fn permissions() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new().items(permission()).build()
}
/// A list of permissions, or `null`.
pub fn permissions_or_null() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(permission())
        .build()
}
/// AMI's dialplan context names (`internal_contexts`): at most 20, or `null` (kept).
pub fn context_names_or_null() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(string(false, Some(1), 80, crate::api::ami::CONTEXT_PATTERN))
        .max_items(Some(20))
        .build()
}
pub fn lead_status_group() -> Object {
    use ringdesk_domain::work::LeadStatusGroup as G;
    one_of(G::ALL.map(G::as_str), false)
}
pub fn order_status_group() -> Object {
    use ringdesk_domain::work::OrderStatusGroup as G;
    one_of(G::ALL.map(G::as_str), false)
}

/// A name as the lists keep it: 1–100 characters, not only spaces.
pub fn list_name() -> Object {
    text(1, 100, false)
}
/// `list_name`, or absent/`null` (unchanged).
pub fn list_name_or_null() -> Object {
    text(1, 100, true)
}
/// A person's or company's name: 1–200 characters, not only spaces.
pub fn person_name() -> Object {
    text(1, 200, false)
}
pub fn person_name_or_null() -> Object {
    text(1, 200, true)
}

fn text(min: usize, max: usize, nullable: bool) -> Object {
    string(nullable, Some(min), max, NAME_PATTERN)
}

/// A string of `min`..=`max` characters matching `pattern`; `nullable`
/// also admits `null`.
fn string(nullable: bool, min: Option<usize>, max: usize, pattern: &str) -> Object {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .min_length(min)
        .max_length(Some(max))
        .pattern(Some(pattern))
        .build()
}
pub fn lead_source() -> Object {
    one_of(["manual", "call_answered", "call_missed"], false)
}
pub fn lead_sort() -> Object {
    one_of(["-created_at", "created_at", "due_at", "number"], false)
}
pub fn job_status() -> Object {
    use ringdesk_domain::jobs::JobStatus as S;
    one_of(S::ALL.map(S::as_str), false)
}
pub fn task_status() -> Object {
    one_of(["open", "done", "cancelled"], false)
}
/// `shared` (one task for all the assignees) or `each` (one task each).
pub fn task_mode_or_null() -> Object {
    use ringdesk_domain::automation::TaskMode as M;
    one_of(M::ALL.map(M::as_str), true)
}
pub fn phone_kind_or_null() -> Object {
    one_of(["phone", "mobile"], true)
}
pub fn quote_channel() -> Object {
    one_of(["phone", "email", "chat", "visit", "other"], false)
}

/// A quote line's description (issue 11): free text (line breaks and tabs
/// allowed, as in every `description`), at most 200 characters
/// (`ringdesk_domain::quote::MAX_LINE_DESCRIPTION`), not only spaces.
pub fn quote_line_description() -> Object {
    use ringdesk_domain::quote::MAX_LINE_DESCRIPTION;
    const PATTERN: &str = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";
    string(false, Some(1), MAX_LINE_DESCRIPTION, PATTERN)
}
/// A quote line's quantity: a decimal string more than 0
/// (`ringdesk_domain::quote::QUANTITY_PATTERN`, which `parse_quantity` reads).
pub fn quote_quantity() -> Object {
    use ringdesk_domain::quote::{QUANTITY_DECIMALS, QUANTITY_DIGITS, QUANTITY_PATTERN};
    // The longest: all digits, a separator and all decimals.
    string(
        false,
        Some(1),
        QUANTITY_DIGITS + 1 + QUANTITY_DECIMALS as usize,
        QUANTITY_PATTERN,
    )
}
/// A quote line's unit price: a decimal string, 0 or more
/// (`ringdesk_domain::quote::PRICE_PATTERN`, which `parse_price` reads).
pub fn quote_price() -> Object {
    use ringdesk_domain::quote::{PRICE_DECIMALS, PRICE_DIGITS, PRICE_PATTERN};
    string(
        false,
        Some(1),
        PRICE_DIGITS + 1 + PRICE_DECIMALS as usize,
        PRICE_PATTERN,
    )
}

/// A phone number as a person typed it: at most 64 characters, with at least
/// one digit (R-P2).
pub fn phone_number() -> Object {
    phone(false)
}
pub fn phone_number_or_null() -> Object {
    phone(true)
}

/// `nullable`: also `null` or `""` (no number).
fn phone(nullable: bool) -> Object {
    const DIGIT: &str = r"^[^\u0000-\u001f\u007f-\u009f]*[0-9][^\u0000-\u001f\u007f-\u009f]*$";
    const DIGIT_OR_EMPTY: &str =
        r"^$|^[^\u0000-\u001f\u007f-\u009f]*[0-9][^\u0000-\u001f\u007f-\u009f]*$";
    string(
        nullable,
        None,
        64,
        if nullable { DIGIT_OR_EMPTY } else { DIGIT },
    )
}

/// An e-mail address as the server reads it: one `@`, no spaces, a dot
/// inside the domain.
pub fn email() -> Object {
    email_schema(false)
}
pub fn email_or_null() -> Object {
    email_schema(true)
}

fn email_schema(nullable: bool) -> Object {
    const EMAIL: &str = r"^[^@\s\u0000-\u001f\u007f-\u009f]+@[^@\s.\u0000-\u001f\u007f-\u009f][^@\s\u0000-\u001f\u007f-\u009f]*\.[^@\s\u0000-\u001f\u007f-\u009f]*[^@\s.\u0000-\u001f\u007f-\u009f]$";
    string(nullable, None, 254, EMAIL)
}

/// A password: 8 to 1,000 characters.
pub fn password() -> Object {
    password_schema(false)
}
pub fn password_or_null() -> Object {
    password_schema(true)
}

fn password_schema(nullable: bool) -> Object {
    string(nullable, Some(8), 1000, SECRET)
}

/// An extension or SIP login: 1–64 characters, no spaces (R-T4).
pub fn extensions() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new().items(extension()).build()
}
pub fn extensions_or_null() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(extension())
        .build()
}

fn extension() -> Object {
    string(false, Some(1), 64, r"^[^\s\u0000-\u001f\u007f-\u009f]+$")
}

// ----- R-X6's telephony settings ------------------------------------------------------

/// The telephony settings (R-X6) as JSON Schema: the domain's
/// `TelephonySettings` and `TelephonySettingsPut` are plain serde types, so
/// their schemas are written here from their fields and the domain's bounds
/// (`MAX_*`), and `add_telephony` puts them on `GET|PUT /settings/telephony`.
fn telephony_schemas() -> (serde_json::Value, serde_json::Value) {
    use ringdesk_domain::automation as a;
    use serde_json::json;
    let uint = |max: u32| json!({"type": "integer", "minimum": 0, "maximum": max});
    let ids = json!({"type": "array", "items": {"type": "integer", "format": "int64"}});
    let due_in = json!({"type": "object", "additionalProperties": false, "properties": {
        "days": uint(a::MAX_DUE_IN_DAYS),
        "hours": uint(a::MAX_DUE_IN_HOURS),
        "minutes": uint(a::MAX_DUE_IN_MINUTES),
    }});
    let task = json!({"type": "object", "additionalProperties": false,
    "description": "R-A1..R-A4. A field left out takes its default.",
    "properties": {
        "enabled": {"type": "boolean"},
        "assignee_ids": ids,
        "mode": {"type": "string", "enum": a::TaskMode::ALL.map(a::TaskMode::as_str)},
        "due_in": due_in,
        "link_order": {"type": "boolean"},
        "link_lead": {"type": "boolean"},
    }});
    let lead = json!({"type": "object", "additionalProperties": false,
    "description": "R-L1..R-L6. A field left out takes its default.",
    "properties": {
        "enabled": {"type": "boolean"},
        "lead_type_id": {"type": ["integer", "null"], "format": "int64"},
        "manager_id": {"type": ["integer", "null"], "format": "int64"},
        "notify_ids": ids,
        "even_if_open_order": {"type": "boolean"},
        "even_if_open_lead": {"type": "boolean"},
    }});
    // Issue 13 item 4: each weekday a list of [start, end) pairs of local
    // times; the reader (`business_hours::OpenInterval`) refuses exactly
    // what TIME_PATTERN refuses, and the domain then checks order and overlap.
    use ringdesk_domain::business_hours as bh;
    let time =
        json!({"type": "string", "pattern": bh::TIME_PATTERN, "minLength": 5, "maxLength": 5});
    let day = json!({"type": "array", "maxItems": bh::MAX_INTERVALS_PER_DAY,
        "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": time}});
    let week: serde_json::Map<String, serde_json::Value> = bh::WEEKDAYS
        .iter()
        .map(|d| ((*d).to_owned(), day.clone()))
        .collect();
    let business_hours = json!({"type": "object", "additionalProperties": false, "properties": week,
        "description": "Open hours per weekday (`mon`…`sun`) in the company's time zone: each day a list of [start, end) intervals \"HH:MM\" (end `24:00` allowed), sorted, not overlapping, at most 4. A weekday left out of the object is closed: the object is the whole week. Default: Monday to Friday 09:00–18:00, the weekend closed. A refusal names the interval (`business_hours.mon[1]`)."});
    let scalars = [
        ("recovery_window_days", uint(a::MAX_RECOVERY_WINDOW_DAYS)),
        ("recover_only_answered", json!({"type": "boolean"})),
        ("inbound_answer_recovers", json!({"type": "boolean"})),
        ("reuse_unknown_caller_lead", json!({"type": "boolean"})),
        ("settle_seconds", uint(a::MAX_SETTLE_SECONDS)),
        ("stale_call_hours", uint(a::MAX_STALE_CALL_HOURS)),
        ("business_hours", business_hours),
        ("callback_sla_minutes", {
            let mut s = uint(a::MAX_CALLBACK_SLA_MINUTES);
            s["description"] = json!("A missed call should be called back within this many business minutes of its end (counted in `business_hours` only); 0 = no SLA (the default). Each call then shows `sla_deadline_at` and `within_sla`, and a breach notifies the call's operator and the employees with `view_all_calls`.");
            s
        }),
        (
            "service_level_seconds",
            json!({"type": "integer", "minimum": 1,
            "maximum": a::MAX_SERVICE_LEVEL_SECONDS,
            "description": "T of R-U4's service level: calls answered within T seconds. Default 20."}),
        ),
    ];
    let blocks = [
        ("missed_call_task", task),
        ("answered_call_lead", lead.clone()),
        ("missed_call_lead", lead),
    ];
    let mut whole = serde_json::Map::new();
    let mut put = serde_json::Map::new();
    for (name, schema) in blocks.iter() {
        whole.insert((*name).to_owned(), schema.clone());
        put.insert((*name).to_owned(), schema.clone());
    }
    for (name, schema) in scalars {
        whole.insert(name.to_owned(), schema.clone());
        let mut nullable = schema;
        let ty = nullable["type"].as_str().unwrap_or("integer").to_owned();
        nullable["type"] = json!([ty, "null"]);
        put.insert(name.to_owned(), nullable);
    }
    let required: Vec<&str> = blocks.iter().map(|(n, _)| *n).collect();
    (
        json!({"type": "object", "additionalProperties": false, "properties": whole,
               "required": required.iter().chain(["recovery_window_days", "recover_only_answered",
                   "inbound_answer_recovers", "reuse_unknown_caller_lead", "settle_seconds",
                   "stale_call_hours", "business_hours", "callback_sla_minutes",
                   "service_level_seconds"].iter()).collect::<Vec<_>>()}),
        json!({"type": "object", "additionalProperties": false, "properties": put,
               "required": required,
               "description": "The three rule blocks are required (422 names a missing one); a scalar setting (and `business_hours` as a whole) left out or null keeps its current value; inside `business_hours` a weekday left out is closed."}),
    )
}

/// Puts the telephony schemas on `GET|PUT /api/v1/settings/telephony`.
pub fn add_telephony(doc: &mut OpenApi) {
    let (whole, put) = telephony_schemas();
    let parse = |v: serde_json::Value| -> RefOr<utoipa::openapi::schema::Schema> {
        serde_json::from_value(v).expect("the telephony schema is valid OpenAPI")
    };
    let components = doc.components.get_or_insert_with(Default::default);
    components
        .schemas
        .insert("TelephonySettings".into(), parse(whole));
    components
        .schemas
        .insert("TelephonySettingsPut".into(), parse(put));
    if let Some(body) = doc
        .paths
        .paths
        .get_mut("/api/v1/settings/telephony/preview")
        .and_then(|item| item.post.as_mut())
        .and_then(|op| op.request_body.as_mut())
    {
        body.content.insert(
            "application/json".into(),
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("TelephonySettingsPut")))
                .build(),
        );
    }
    let Some(item) = doc.paths.paths.get_mut("/api/v1/settings/telephony") else {
        return;
    };
    let json_of = |name: &str| {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(name)))
            .build()
    };
    for op in [&mut item.get, &mut item.put].into_iter().flatten() {
        if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
            ok.content
                .insert("application/json".into(), json_of("TelephonySettings"));
        }
        if let Some(body) = op.request_body.as_mut() {
            body.content
                .insert("application/json".into(), json_of("TelephonySettingsPut"));
        }
    }
}

/// A lead type's form fields (R-M2; `validate_field_defs` is the rule): a
/// key of 1–40 lowercase letters, digits or `_` (each key once), a label,
/// a kind, and options exactly when the kind is `choice`.
pub fn field_defs() -> RefOr<utoipa::openapi::schema::Schema> {
    field_defs_schema(false)
}
pub fn field_defs_or_null() -> RefOr<utoipa::openapi::schema::Schema> {
    field_defs_schema(true)
}

fn field_defs_schema(nullable: bool) -> RefOr<utoipa::openapi::schema::Schema> {
    use serde_json::json;
    let def = |kinds: serde_json::Value, options: serde_json::Value, required: &[&str]| {
        json!({"type": "object", "additionalProperties": false, "required": required,
        "properties": {
            "key": {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"},
            "label": {"type": "string", "minLength": 1, "pattern": NAME_PATTERN},
            "kind": kinds,
            "required": {"type": "boolean"},
            "options": options,
        }})
    };
    let plain = def(
        json!({"type": "string", "enum": ["text", "number", "date", "yes_no"]}),
        json!({"type": "array", "maxItems": 0}),
        &["key", "label", "kind"],
    );
    let choice = def(
        json!({"type": "string", "enum": ["choice"]}),
        json!({"type": "array", "minItems": 1, "items": {"type": "string"}}),
        &["key", "label", "kind", "options"],
    );
    let ty = if nullable {
        json!(["array", "null"])
    } else {
        json!("array")
    };
    serde_json::from_value(json!({"type": ty, "items": {"oneOf": [plain, choice]}}))
        .expect("the field definitions' schema is valid OpenAPI")
}

/// An id a phone system sends (`event_id`, `call_id`): text of 1–200
/// characters without control characters, or a whole JSON number that fits in
/// 64 bits (kept exactly as written).
pub fn event_id() -> RefOr<utoipa::openapi::schema::Schema> {
    serde_json::from_value(serde_json::json!({"oneOf": [
        {"type": "string", "minLength": 1, "maxLength": 200, "pattern": NAME_PATTERN},
        {"type": "integer", "minimum": i64::MIN, "maximum": u64::MAX},
    ]}))
    .expect("the id schema is valid OpenAPI")
}

/// Text with no control character (`json.rs` refuses them outside free text)
/// and not only spaces.
pub const NAME_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$";

/// `from`, `to`, `operator` of an event: text of at most 2,000 characters
/// without control characters, a whole JSON number (kept as written), or
/// `null`; empty or absent means none (a withheld number).
pub fn event_text() -> RefOr<utoipa::openapi::schema::Schema> {
    serde_json::from_value(serde_json::json!({"oneOf": [
        {"type": "string", "maxLength": 2000, "pattern": r"^[^\u0000-\u001f\u007f-\u009f]*$"},
        {"type": "integer", "minimum": i64::MIN, "maximum": u64::MAX},
        {"type": "null"},
    ]}))
    .expect("the event text schema is valid OpenAPI")
}

// ----- control characters (json.rs's rule, stated in the document) ---------------------

/// No control character at all: names, ids, numbers, keys.
const NO_CONTROL: &str = r"^[^\u0000-\u001f\u007f-\u009f]*$";
/// Free text (`description`): line breaks and tabs only.
const FREE_TEXT: &str = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";
/// A password: anything but NUL.
const SECRET: &str = r"^[^\u0000]*$";

/// Gives every request string that has no pattern, enum or format of its own
/// the pattern of the characters `json.rs` lets through, by the same rule
/// (`description` is free text, `password` a secret, anything else a name):
/// in the components' schemas and in every operation's parameters.
pub fn add_character_rules(doc: &mut OpenApi) {
    // Only what requests carry: answers (an error message quoting what was
    // sent) are not held to it.
    let mut request_types = std::collections::BTreeSet::new();
    let mut queue: Vec<String> = Vec::new();
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops.into_iter().flatten() {
            for p in op.parameters.iter_mut().flatten() {
                if let Some(s) = p.schema.as_mut() {
                    walk_schema(s, NO_CONTROL);
                }
            }
            for content in op
                .request_body
                .iter_mut()
                .flat_map(|b| b.content.values_mut())
            {
                if let Some(s) = content.schema.as_mut() {
                    refs_in(s, &mut queue);
                    walk_schema(s, NO_CONTROL);
                }
            }
        }
    }
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    while let Some(name) = queue.pop() {
        if request_types.insert(name.clone()) {
            if let Some(s) = components.schemas.get(&name) {
                refs_in(s, &mut queue);
            }
        }
    }
    for name in request_types {
        if let Some(s) = components.schemas.get_mut(&name) {
            walk_schema(s, NO_CONTROL);
        }
    }
}

/// The names of the component schemas `schema` refers to.
fn refs_in(schema: &RefOr<Schema>, out: &mut Vec<String>) {
    fn find(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                    if let Some(name) = r.strip_prefix("#/components/schemas/") {
                        out.push(name.to_owned());
                    }
                }
                m.values().for_each(|v| find(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| find(v, out)),
            _ => {}
        }
    }
    if let Ok(v) = serde_json::to_value(schema) {
        find(&v, out);
    }
}

fn walk_schema(schema: &mut RefOr<Schema>, pattern: &str) {
    let RefOr::T(s) = schema else {
        return;
    };
    match s {
        Schema::Object(o) => {
            let is_string = match &o.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(ts) => ts.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            if is_string && o.pattern.is_none() && o.enum_values.is_none() && o.format.is_none() {
                o.pattern = Some(pattern.to_owned());
            }
            for (name, prop) in o.properties.iter_mut() {
                let rule = match name.as_str() {
                    "description" => FREE_TEXT,
                    "password" => SECRET,
                    _ => NO_CONTROL,
                };
                walk_schema(prop, rule);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                walk_schema(items, pattern);
            }
        }
        Schema::OneOf(o) => o.items.iter_mut().for_each(|i| walk_schema(i, pattern)),
        Schema::AllOf(o) => o.items.iter_mut().for_each(|i| walk_schema(i, pattern)),
        Schema::AnyOf(o) => o.items.iter_mut().for_each(|i| walk_schema(i, pattern)),
        _ => {}
    }
}

// ----- examples: the README's walk-through ------------------------------------------------

/// The README, whose walk-through (`tests/readme.rs` runs it) gives the
/// document its request examples, so that they are what the server was seen
/// to accept.
const README: &str = include_str!("../../../README.md");

/// One `curl … -d '…'` of the walk-through: method, path (query left out) and body.
#[derive(Debug, PartialEq)]
pub struct ReadmeRequest {
    pub method: String,
    pub path: String,
    pub body: serde_json::Value,
}

/// The requests with a JSON body in the README's "A walk through the API"
/// and the sections after it, in their order.
pub fn readme_requests(readme: &str) -> Vec<ReadmeRequest> {
    let start = readme.find("## A walk through the API").unwrap_or(0);
    let mut out = Vec::new();
    let mut rest = &readme[start..];
    while let Some(at) = rest.find("\ncurl ") {
        rest = &rest[at + 1..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..line_end];
        let Some(api) = line.find("$API/") else {
            continue;
        };
        let path: String = line[api + 4..]
            .chars()
            .take_while(|c| !matches!(c, ' ' | '"' | '?' | '\''))
            .collect();
        let method = match line.find("-X ") {
            Some(x) => line[x + 3..].split(' ').next().unwrap_or("").to_owned(),
            None => "POST".to_owned(),
        };
        let Some(d) = line.find("-d '") else {
            continue;
        };
        let body_start = d + 4;
        let Some(len) = rest[body_start..].find('\'') else {
            break;
        };
        if let Ok(body) = serde_json::from_str(&rest[body_start..body_start + len]) {
            out.push(ReadmeRequest {
                method: method.to_lowercase(),
                path: format!("/api/v1{path}"),
                body,
            });
        }
    }
    out
}

/// Whether the README's `path` (`/api/v1/leads/1`) is the document's
/// `template` (`/api/v1/leads/{id}`).
fn path_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && p.parse::<i64>().is_ok()))
}

/// Gives each operation the README's first request body for it as its example.
pub fn add_readme_examples(doc: &mut OpenApi) {
    for r in readme_requests(README) {
        for (template, item) in doc.paths.paths.iter_mut() {
            if !path_matches(template, &r.path) {
                continue;
            }
            let op = match r.method.as_str() {
                "post" => item.post.as_mut(),
                "put" => item.put.as_mut(),
                "patch" => item.patch.as_mut(),
                _ => None,
            };
            let Some(content) = op
                .and_then(|op| op.request_body.as_mut())
                .and_then(|b| b.content.get_mut("application/json"))
            else {
                continue;
            };
            if content.example.is_none() {
                content.example = Some(r.body.clone());
            }
        }
    }
}

/// R-P7's ignore list: at most 500 phone numbers (`api::phone_system`).
pub fn ignored_numbers() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(phone_number())
        .max_items(Some(crate::api::phone_system::MAX_IGNORED_NUMBERS))
        .build()
}
/// The connectors whose deliveries the webhook inbox keeps.
pub fn connector() -> Object {
    use crate::inbox::Connector as C;
    one_of(C::ALL.map(C::as_str), false)
}
/// An absolute http(s) URL with a host (`api::phone_system::check_url`), `""`
/// or `null` for none.
pub fn http_url_or_null() -> Object {
    const URL: &str =
        r"^$|^https?://[^/?#\s\u0000-\u001f\u007f-\u009f]+([/?#][^\u0000-\u001f\u007f-\u009f]*)?$";
    string(true, None, 2000, URL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_gives_request_examples_with_their_method_and_path() {
        let found = readme_requests(README);
        let signup = &found[0];
        assert_eq!(
            (signup.method.as_str(), signup.path.as_str()),
            ("post", "/api/v1/signup")
        );
        assert_eq!(signup.body["company"]["name"], "Acme Repairs");
        assert!(found
            .iter()
            .any(|r| r.method == "put" && r.path == "/api/v1/settings/telephony"));
        assert!(found
            .iter()
            .any(|r| r.method == "patch" && r.path == "/api/v1/leads/1"));
    }

    #[test]
    fn a_readme_path_matches_its_template_by_numeric_ids_only() {
        assert!(path_matches("/api/v1/leads/{id}", "/api/v1/leads/1"));
        assert!(!path_matches("/api/v1/leads/{id}", "/api/v1/leads/x"));
        assert!(!path_matches("/api/v1/leads/{id}", "/api/v1/leads"));
        assert!(path_matches("/api/v1/clients", "/api/v1/clients"));
    }
}

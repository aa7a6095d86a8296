//! §6's rules as plain functions: numbering templates (R-M3), the form fields
//! a lead type adds and their validation, status transfer rules (R-M2), and
//! overdue leads (R-M4).

use crate::event::FieldError;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

// ----- R-M3: numbering templates -------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    /// `{N}` or `{N:width}`.
    Seq(usize),
    Year4,
    Year2,
    Month,
    Day,
}

/// A numbering template such as `L-{YYYY}-{N:5}`: literal text and the
/// placeholders `{N}`, `{N:width}` (zero-padded, width 1–12), `{YYYY}`,
/// `{YY}`, `{MM}`, `{DD}`. `{N}` must appear exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberTemplate {
    text: String,
    parts: Vec<Part>,
}

impl NumberTemplate {
    pub fn parse(field: &str, s: &str) -> Result<NumberTemplate, FieldError> {
        let err = |p: String| FieldError::new(field, p);
        if s.chars().count() > 60 {
            return Err(err("a template has at most 60 characters".into()));
        }
        let mut parts = Vec::new();
        let mut rest = s;
        let mut seqs = 0;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = rest
                        .find('}')
                        .ok_or_else(|| err(format!("{s:?}: a '{{' is not closed")))?;
                    let name = &rest[1..end];
                    let part = match name {
                        "N" => Part::Seq(0),
                        "YYYY" => Part::Year4,
                        "YY" => Part::Year2,
                        "MM" => Part::Month,
                        "DD" => Part::Day,
                        n if n.starts_with("N:") => {
                            let w: usize = n[2..].parse().map_err(|_| err(format!("{{{n}}}: the width must be a number")))?;
                            if !(1..=12).contains(&w) {
                                return Err(err(format!("{{{n}}}: the width must be 1 to 12")));
                            }
                            Part::Seq(w)
                        }
                        other => {
                            return Err(err(format!(
                                "unknown placeholder {{{other}}}; use {{N}}, {{N:5}}, {{YYYY}}, {{YY}}, {{MM}} or {{DD}}"
                            )))
                        }
                    };
                    if matches!(part, Part::Seq(_)) {
                        seqs += 1;
                    }
                    parts.push(part);
                    rest = &rest[end + 1..];
                }
                Some(i) => {
                    parts.push(Part::Text(rest[..i].to_owned()));
                    rest = &rest[i..];
                }
                None => {
                    if rest.contains('}') {
                        return Err(err(format!("{s:?}: a '}}' without its '{{'")));
                    }
                    parts.push(Part::Text(rest.to_owned()));
                    rest = "";
                }
            }
        }
        if let Some(Part::Text(t)) = parts
            .iter()
            .find(|p| matches!(p, Part::Text(t) if t.contains('}')))
        {
            return Err(err(format!("{t:?}: a '}}' without its '{{'")));
        }
        if seqs != 1 {
            return Err(err(format!(
                "{s:?}: the template must contain {{N}} (or {{N:width}}) exactly once"
            )));
        }
        Ok(NumberTemplate {
            text: s.to_owned(),
            parts,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number for sequence value `n`, on `date` (the company's local date).
    pub fn render(&self, n: i64, date: Date) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Seq(0) => out.push_str(&n.to_string()),
                Part::Seq(w) => out.push_str(&format!("{n:0w$}", w = *w)),
                Part::Year4 => out.push_str(&format!("{:04}", date.year())),
                Part::Year2 => out.push_str(&format!("{:02}", date.year().rem_euclid(100))),
                Part::Month => out.push_str(&format!("{:02}", date.month())),
                Part::Day => out.push_str(&format!("{:02}", date.day())),
            }
        }
        out
    }
}

// ----- R-M2: a lead type's own form fields ---------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    Date,
    Choice,
    YesNo,
}

impl FieldKind {
    pub const ALL: [FieldKind; 5] = [
        Self::Text,
        Self::Number,
        Self::Date,
        Self::Choice,
        Self::YesNo,
    ];

    /// The kind's name, as the JSON API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Choice => "choice",
            Self::YesNo => "yes_no",
        }
    }

    pub fn parse(s: &str) -> Option<FieldKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One field a lead type adds to its leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The key the value is stored under: lowercase letters, digits and `_`.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// For `choice`: the allowed values.
    #[serde(default)]
    pub options: Vec<String>,
}

/// Checks a lead type's field definitions.
pub fn validate_field_defs(defs: &[FieldDef]) -> Result<(), FieldError> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, d) in defs.iter().enumerate() {
        let at = |p: &str| FieldError::new(format!("fields[{i}].{p}"), "");
        let key_ok = !d.key.is_empty()
            && d.key.len() <= 40
            && d.key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            let mut e = at("key");
            e.problem = format!("{:?} must be 1–40 lowercase letters, digits or _", d.key);
            return Err(e);
        }
        if seen.contains(&d.key.as_str()) {
            let mut e = at("key");
            e.problem = format!("{:?} is used twice", d.key);
            return Err(e);
        }
        seen.push(&d.key);
        if d.label.trim().is_empty() {
            let mut e = at("label");
            e.problem = "must not be empty".into();
            return Err(e);
        }
        if (d.kind == FieldKind::Choice) == d.options.is_empty() {
            let mut e = at("options");
            e.problem = if d.kind == FieldKind::Choice {
                "a choice field needs its options".into()
            } else {
                "only a choice field has options".into()
            };
            return Err(e);
        }
    }
    Ok(())
}

/// Validates a lead's field values against its type's definitions: unknown
/// keys are refused, required ones must be present (and not empty), and each
/// value must be of its kind. `null` clears an optional field. Returns the
/// values to store (without nulls).
pub fn validate_field_values(
    defs: &[FieldDef],
    values: &Map<String, Value>,
) -> Result<Map<String, Value>, FieldError> {
    let mut out = Map::new();
    for (k, v) in values {
        let Some(d) = defs.iter().find(|d| &d.key == k) else {
            return Err(FieldError::new(
                format!("fields.{k}"),
                "this lead type has no such field",
            ));
        };
        let field = format!("fields.{k}");
        let ok = match (d.kind, v) {
            (_, Value::Null) => true,
            (FieldKind::Text, Value::String(_)) => true,
            (FieldKind::Number, Value::Number(_)) => true,
            (FieldKind::YesNo, Value::Bool(_)) => true,
            (FieldKind::Date, Value::String(s)) => s.parse::<Date>().is_ok(),
            (FieldKind::Choice, Value::String(s)) => d.options.contains(s),
            _ => false,
        };
        if !ok {
            let expected = match d.kind {
                FieldKind::Text => "text".to_owned(),
                FieldKind::Number => "a number".to_owned(),
                FieldKind::YesNo => "true or false".to_owned(),
                FieldKind::Date => "a date such as 2026-06-19".to_owned(),
                FieldKind::Choice => format!("one of {}", d.options.join(", ")),
            };
            return Err(FieldError::new(field, format!("{v} is not {expected}")));
        }
        if !v.is_null() {
            out.insert(k.clone(), v.clone());
        }
    }
    for d in defs.iter().filter(|d| d.required) {
        let empty = match out.get(&d.key) {
            None => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        if empty {
            return Err(FieldError::new(
                format!("fields.{}", d.key),
                format!("{:?} is required for this lead type", d.label),
            ));
        }
    }
    Ok(out)
}

// ----- R-M2: status transfer rules -------------------------------------------------------

/// Whether a lead may move from status `from` to `to`, given the company's
/// transfer rules as `(from, to)` pairs: a status named as a `from` in any
/// rule may move only to the statuses its rules name; a status with no rule
/// may move anywhere. Staying is always allowed.
pub fn transfer_allowed(rules: &[(i64, i64)], from: i64, to: i64) -> bool {
    from == to || {
        let mut from_rules = rules.iter().filter(|(f, _)| *f == from).peekable();
        from_rules.peek().is_none() || rules.iter().any(|&(f, t)| f == from && t == to)
    }
}

// ----- R-M2, R-M6: status groups and "open" -------------------------------------------

/// R-M2: the group of a lead status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeadStatusGroup {
    New,
    InProgress,
    Won,
    Lost,
}

impl LeadStatusGroup {
    pub const ALL: [LeadStatusGroup; 4] = [Self::New, Self::InProgress, Self::Won, Self::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<LeadStatusGroup> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// R-A5, R-M4, R-M6: a lead is open while its status is in any group
    /// except won and lost.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Won | Self::Lost)
    }

    /// The groups of open leads.
    pub fn open() -> impl Iterator<Item = LeadStatusGroup> {
        Self::ALL.into_iter().filter(|g| g.is_open())
    }
}

/// R-M6: the group of a work-order status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatusGroup {
    New,
    InProgress,
    ClosedSuccess,
    ClosedFailure,
}

impl OrderStatusGroup {
    pub const ALL: [OrderStatusGroup; 4] = [
        Self::New,
        Self::InProgress,
        Self::ClosedSuccess,
        Self::ClosedFailure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::ClosedSuccess => "closed_success",
            Self::ClosedFailure => "closed_failure",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatusGroup> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// R-A5: a work order is open while its status is in any group except
    /// closed successfully and closed unsuccessfully.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::ClosedSuccess | Self::ClosedFailure)
    }

    /// The groups of open work orders.
    pub fn open() -> impl Iterator<Item = OrderStatusGroup> {
        Self::ALL.into_iter().filter(|g| g.is_open())
    }
}

/// The names of the groups, for error messages: "new, in_progress, won, lost".
pub fn group_names<G: Copy>(all: &[G], name: fn(G) -> &'static str) -> String {
    all.iter().map(|&g| name(g)).collect::<Vec<_>>().join(", ")
}

// ----- R-M5: a lead's client ------------------------------------------------------------

/// Who a lead is about: a linked client, or a free name and phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadContact<P> {
    pub client_id: Option<i64>,
    pub client_name: String,
    pub phone: Option<P>,
}

/// R-M5: once a client is linked, the client profile replaces the free name
/// and phone: the lead shows the client's name, and keeps its number only when
/// that number is one of the client's own (`phone_is_clients`: it is the
/// client's phone already, and it is what order matching and search use); any
/// other number goes. Without a client, the free name and phone stay as given.
pub fn lead_contact<P>(
    client: Option<(i64, String)>,
    free_name: String,
    free_phone: Option<P>,
    phone_is_clients: bool,
) -> LeadContact<P> {
    match client {
        Some((client_id, name)) => LeadContact {
            client_id: Some(client_id),
            client_name: name,
            phone: free_phone.filter(|_| phone_is_clients),
        },
        None => LeadContact {
            client_id: None,
            client_name: free_name,
            phone: free_phone,
        },
    }
}

/// R-M5: whether the clients on a lead's number are offered for linking:
/// only while the lead has no client, and only to employees with
/// `view_clients` (whose effective permissions are given).
pub fn offers_clients(lead_has_client: bool, permissions: &[crate::company::Permission]) -> bool {
    !lead_has_client && permissions.contains(&crate::company::Permission::ViewClients)
}

// ----- R-M4: overdue ----------------------------------------------------------------------------

/// How long an open lead has been overdue at `now`, if it is.
pub fn overdue_seconds(due_at: Option<Timestamp>, open: bool, now: Timestamp) -> Option<i64> {
    let due = due_at?;
    (open && now > due).then(|| now.as_second() - due.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leads_in_new_or_in_progress_are_open_and_won_or_lost_are_not_r_m2_r_a5() {
        let open: Vec<&str> = LeadStatusGroup::open().map(|g| g.as_str()).collect();
        assert_eq!(open, ["new", "in_progress"]);
        assert!(!LeadStatusGroup::Won.is_open() && !LeadStatusGroup::Lost.is_open());
    }

    #[test]
    fn orders_are_open_until_closed_either_way_r_m6_r_a5() {
        let open: Vec<&str> = OrderStatusGroup::open().map(|g| g.as_str()).collect();
        assert_eq!(open, ["new", "in_progress"]);
        assert!(!OrderStatusGroup::ClosedSuccess.is_open());
        assert!(!OrderStatusGroup::ClosedFailure.is_open());
    }

    #[test]
    fn status_groups_read_back_their_names_and_refuse_others_r_m2_r_m6() {
        for g in LeadStatusGroup::ALL {
            assert_eq!(LeadStatusGroup::parse(g.as_str()), Some(g));
        }
        for g in OrderStatusGroup::ALL {
            assert_eq!(OrderStatusGroup::parse(g.as_str()), Some(g));
        }
        assert_eq!(LeadStatusGroup::parse("closed_success"), None);
        assert_eq!(OrderStatusGroup::parse("won"), None);
        assert_eq!(
            group_names(&LeadStatusGroup::ALL, LeadStatusGroup::as_str),
            "new, in_progress, won, lost"
        );
    }

    #[test]
    fn a_linked_client_replaces_the_free_name_and_phone_r_m5() {
        let c = lead_contact(
            Some((4, "Olena".into())),
            "Someone".into(),
            Some("+380671234567"),
            false,
        );
        assert_eq!(
            c,
            LeadContact {
                client_id: Some(4),
                client_name: "Olena".into(),
                phone: None
            }
        );
    }

    #[test]
    fn a_linked_client_keeps_the_leads_number_when_it_is_one_of_the_clients_r_m5() {
        let c = lead_contact(
            Some((4, "Olena".into())),
            "Someone".into(),
            Some("+380671234567"),
            true,
        );
        assert_eq!(c.client_name, "Olena");
        assert_eq!(c.phone, Some("+380671234567"));
    }

    #[test]
    fn without_a_client_the_free_name_and_phone_stay_r_m5() {
        let c = lead_contact(None, "Someone".into(), Some("+380671234567"), false);
        assert_eq!(c.client_id, None);
        assert_eq!(c.client_name, "Someone");
        assert_eq!(c.phone, Some("+380671234567"));
    }

    #[test]
    fn clients_are_offered_only_to_those_who_may_see_them_while_the_lead_has_none_r_m5() {
        use crate::company::Permission::*;
        assert!(offers_clients(false, &[ViewClients]));
        assert!(!offers_clients(true, &[ViewClients]));
        assert!(!offers_clients(false, &[ViewAllCalls]));
    }
    use jiff::civil::date;

    #[test]
    fn templates_render_as_the_spec_shows_r_m3() {
        let t = NumberTemplate::parse("lead", "L-{YYYY}-{N:5}").unwrap();
        assert_eq!(t.render(42, date(2026, 6, 19)), "L-2026-00042");
        let t = NumberTemplate::parse("lead", "{YY}{MM}{DD}/{N}").unwrap();
        assert_eq!(t.render(7, date(2026, 1, 5)), "260105/7");
        assert_eq!(
            NumberTemplate::parse("x", "{N:3}")
                .unwrap()
                .render(12345, date(2026, 1, 1)),
            "12345"
        );
    }

    #[test]
    fn bad_templates_are_refused_naming_the_problem_r_m3() {
        for (t, needle) in [
            ("L-{YYYY}", "exactly once"),
            ("{N}-{N}", "exactly once"),
            ("{N:0}", "1 to 12"),
            ("{N:x}", "number"),
            ("{Q}{N}", "unknown placeholder {Q}"),
            ("{N", "not closed"),
            ("N}{N}", "without its"),
        ] {
            let e = NumberTemplate::parse("lead", t).unwrap_err();
            assert_eq!(e.field, "lead");
            assert!(e.problem.contains(needle), "{t}: {}", e.problem);
        }
    }

    fn defs() -> Vec<FieldDef> {
        serde_json::from_value(serde_json::json!([
            {"key": "device", "label": "Device", "kind": "text", "required": true},
            {"key": "budget", "label": "Budget", "kind": "number"},
            {"key": "visit", "label": "Visit", "kind": "date"},
            {"key": "brand", "label": "Brand", "kind": "choice", "options": ["Apple", "Samsung"]},
            {"key": "warranty", "label": "Warranty", "kind": "yes_no"}
        ]))
        .unwrap()
    }

    #[test]
    fn field_values_are_checked_against_their_kinds_r_m2() {
        let ok: Map<String, Value> = serde_json::from_value(serde_json::json!(
            {"device": "iPhone 12", "budget": 120.5, "visit": "2026-07-01", "brand": "Apple", "warranty": false, "budget_note": null}
        ))
        .unwrap();
        let e = validate_field_values(&defs(), &ok).unwrap_err();
        assert_eq!(e.field, "fields.budget_note");
        let mut ok = ok;
        ok.remove("budget_note");
        assert_eq!(validate_field_values(&defs(), &ok).unwrap().len(), 5);
        for (k, v, needle) in [
            ("budget", serde_json::json!("cheap"), "a number"),
            ("visit", serde_json::json!("tomorrow"), "a date"),
            ("brand", serde_json::json!("Nokia"), "one of Apple, Samsung"),
            ("warranty", serde_json::json!("yes"), "true or false"),
            ("device", serde_json::json!(""), "required"),
        ] {
            let mut m = ok.clone();
            m.insert(k.into(), v);
            let e = validate_field_values(&defs(), &m).unwrap_err();
            assert_eq!(e.field, format!("fields.{k}"));
            assert!(e.problem.contains(needle), "{k}: {}", e.problem);
        }
        let e = validate_field_values(&defs(), &Map::new()).unwrap_err();
        assert!(e.problem.contains("required"));
    }

    #[test]
    fn field_definitions_are_checked() {
        assert!(validate_field_defs(&defs()).is_ok());
        let mut d = defs();
        d[1].key = "device".into();
        assert!(validate_field_defs(&d)
            .unwrap_err()
            .problem
            .contains("twice"));
        let mut d = defs();
        d[3].options.clear();
        assert_eq!(
            validate_field_defs(&d).unwrap_err().field,
            "fields[3].options"
        );
        let mut d = defs();
        d[0].key = "Device Name".into();
        assert_eq!(validate_field_defs(&d).unwrap_err().field, "fields[0].key");
    }

    #[test]
    fn field_kinds_are_named_as_the_json_api_names_them_r_m2() {
        for k in FieldKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.as_str().into())
            );
            assert_eq!(FieldKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FieldKind::parse("yes-no"), None);
    }

    #[test]
    fn transfer_rules_restrict_only_the_statuses_they_name_r_m2() {
        let rules = [(1, 2), (1, 3), (2, 4)];
        assert!(transfer_allowed(&rules, 1, 2));
        assert!(!transfer_allowed(&rules, 1, 4));
        assert!(transfer_allowed(&rules, 3, 1), "no rule for 3: free");
        assert!(transfer_allowed(&rules, 2, 2), "staying is allowed");
        assert!(transfer_allowed(&[], 5, 6));
    }

    #[test]
    fn an_open_lead_past_its_deadline_is_overdue_by_the_difference_r_m4() {
        let due: Timestamp = "2026-06-19T13:00:00Z".parse().unwrap();
        let now: Timestamp = "2026-06-19T15:30:00Z".parse().unwrap();
        assert_eq!(overdue_seconds(Some(due), true, now), Some(9000));
        assert_eq!(overdue_seconds(Some(due), false, now), None);
        assert_eq!(overdue_seconds(Some(now), true, due), None);
        assert_eq!(overdue_seconds(None, true, now), None);
    }
}

//! Companies (tenants), employees and permissions (SPEC §1, R-T1…R-T4),
//! parsed from what people type into validated values.

use crate::event::FieldError;
use crate::phone::Country;
use serde::{Deserialize, Serialize};

/// R-T2: the languages Ringdesk writes records in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    En,
    Pt,
    Es,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Self::En, Self::Pt, Self::Es, Self::Ru];

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            "pt" => Some(Self::Pt),
            "es" => Some(Self::Es),
            "ru" => Some(Self::Ru),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Pt => "pt",
            Self::Es => "es",
            Self::Ru => "ru",
        }
    }
}

/// R-T3: what an employee may do. The owner has every permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ViewClients,
    ManageSettings,
    ViewAllCalls,
    /// Add, change and deactivate employees (and so grant permissions).
    ManageEmployees,
    /// Push call events into `POST /api/v1/telephony/events`: the right a
    /// phone system's API token needs, and usually the only one it gets.
    PostCallEvents,
}

impl Permission {
    pub const ALL: [Permission; 5] = [
        Self::ViewClients,
        Self::ManageSettings,
        Self::ViewAllCalls,
        Self::ManageEmployees,
        Self::PostCallEvents,
    ];

    /// The names, for error messages: "view_clients, manage_settings, …".
    pub fn names() -> String {
        Self::ALL.map(|p| p.as_str()).join(", ")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ViewClients => "view_clients",
            Self::ManageSettings => "manage_settings",
            Self::ViewAllCalls => "view_all_calls",
            Self::ManageEmployees => "manage_employees",
            Self::PostCallEvents => "post_call_events",
        }
    }

    pub fn parse(s: &str) -> Option<Permission> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A validated IANA time zone name (R-T2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub fn parse(s: &str) -> Result<TimeZoneName, FieldError> {
        let s = s.trim();
        jiff::tz::TimeZone::get(s).map_err(|_| {
            FieldError::new(
                "time_zone",
                format!("{s:?} is not an IANA time zone name such as Europe/Kyiv"),
            )
        })?;
        Ok(TimeZoneName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.0).expect("validated at parse")
    }
}

/// A new company as signed up (R-X3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCompany {
    pub name: String,
    pub country: Country,
    pub time_zone: TimeZoneName,
    pub locale: Locale,
}

impl NewCompany {
    pub fn parse(
        name: &str,
        country: &str,
        time_zone: &str,
        locale: &str,
    ) -> Result<NewCompany, FieldError> {
        Ok(NewCompany {
            name: person_or_company_name("company.name", name)?,
            country: Country::parse(country).map_err(|_| {
                FieldError::new(
                    "company.country",
                    format!("{country:?} is not an ISO 3166 alpha-2 country code such as UA"),
                )
            })?,
            time_zone: TimeZoneName::parse(time_zone)
                .map_err(|e| FieldError::new("company.time_zone", e.problem))?,
            locale: Locale::parse(locale).ok_or_else(|| {
                FieldError::new(
                    "company.locale",
                    format!("{locale:?} is not one of en, pt, es, ru"),
                )
            })?,
        })
    }
}

/// A name of a person, company or client: trimmed, 1–200 characters.
pub fn person_or_company_name(field: &str, s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    if s.chars().count() > 200 {
        return Err(FieldError::new(field, "is longer than 200 characters"));
    }
    Ok(s.to_owned())
}

/// An e-mail address, lower-cased. Deliberately simple: one `@`, something on
/// each side, a dot in the domain, no spaces.
pub fn email(field: &str, s: &str) -> Result<String, FieldError> {
    let s = s.trim().to_lowercase();
    let ok = s.len() <= 254
        && !s.contains(char::is_whitespace)
        && matches!(s.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@'));
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new(
            field,
            format!("{s:?} is not an e-mail address"),
        ))
    }
}

/// Passwords: at least 8 characters, at most 1,000 (hashing cost is bounded).
pub fn password(field: &str, s: &str) -> Result<String, FieldError> {
    let n = s.chars().count();
    if n < 8 {
        return Err(FieldError::new(field, "must be at least 8 characters"));
    }
    if n > 1000 {
        return Err(FieldError::new(field, "must be at most 1000 characters"));
    }
    Ok(s.to_owned())
}

/// A phone extension / SIP login (R-T4): 1–64 visible characters, no spaces.
pub fn extension(field: &str, s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 || s.contains(char::is_whitespace) {
        return Err(FieldError::new(
            field,
            format!("{s:?} is not an extension (1-64 characters, no spaces)"),
        ));
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_with_an_unknown_time_zone_is_refused_naming_it_r_t2() {
        let e = NewCompany::parse("Acme", "UA", "Mars/Olympus", "en").unwrap_err();
        assert_eq!(e.field, "company.time_zone");
    }

    #[test]
    fn a_company_with_an_unknown_locale_or_country_is_refused_r_t2() {
        assert_eq!(
            NewCompany::parse("Acme", "UA", "Europe/Kyiv", "de")
                .unwrap_err()
                .field,
            "company.locale"
        );
        assert_eq!(
            NewCompany::parse("Acme", "XX", "Europe/Kyiv", "en")
                .unwrap_err()
                .field,
            "company.country"
        );
        assert!(NewCompany::parse("Acme", "ua", "Europe/Kyiv", "RU").is_ok());
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            email("email", " Ann@Example.COM ").unwrap(),
            "ann@example.com"
        );
        assert!(email("email", "ann@example").is_err());
        assert!(email("email", "a b@example.com").is_err());
    }
}

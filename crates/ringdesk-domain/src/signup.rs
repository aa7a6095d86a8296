//! Who may sign a company up through the API (R-X3a).

use crate::event::FieldError;

/// The installation's sign-up policy (`signup` setting, `RINGDESK_SIGNUP`, `--signup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignupPolicy {
    /// Anyone may sign a company up: a hosted service.
    Open,
    /// Only while the installation has no company yet; later companies come
    /// from `ringdesk company create`.
    #[default]
    FirstCompany,
    /// Nobody signs up through the API.
    Closed,
}

impl SignupPolicy {
    pub const ALL: [SignupPolicy; 3] = [Self::Open, Self::FirstCompany, Self::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::FirstCompany => "first_company",
            Self::Closed => "closed",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<SignupPolicy, FieldError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    format!("unknown sign-up policy {s:?}; expected open, first_company or closed"),
                )
            })
    }

    /// Why `first_company` refuses once the installation has its company.
    pub const FIRST_COMPANY_TAKEN: &'static str = "sign-up is closed: this installation already has its company; ask its administrator to add yours with `ringdesk company create`";

    /// Whether a sign-up may go ahead, given whether any company exists yet;
    /// `Err` says why not (for the 403's message).
    pub fn allows(self, has_company: bool) -> Result<(), &'static str> {
        match (self, has_company) {
            (Self::Open, _) | (Self::FirstCompany, false) => Ok(()),
            (Self::FirstCompany, true) => Err(Self::FIRST_COMPANY_TAKEN),
            (Self::Closed, _) => Err(
                "sign-up is closed on this installation; ask its administrator to add your company with `ringdesk company create`",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_first_company() {
        assert_eq!(SignupPolicy::default(), SignupPolicy::FirstCompany);
    }

    #[test]
    fn open_sign_up_takes_every_company() {
        assert!(SignupPolicy::Open.allows(false).is_ok());
        assert!(SignupPolicy::Open.allows(true).is_ok());
    }

    #[test]
    fn first_company_takes_only_the_first() {
        assert!(SignupPolicy::FirstCompany.allows(false).is_ok());
        assert!(SignupPolicy::FirstCompany.allows(true).is_err());
    }

    #[test]
    fn closed_sign_up_takes_nobody_not_even_the_first() {
        assert!(SignupPolicy::Closed.allows(false).is_err());
        assert!(SignupPolicy::Closed.allows(true).is_err());
    }

    #[test]
    fn a_policy_reads_back_from_its_name_and_an_unknown_one_is_named() {
        for p in SignupPolicy::ALL {
            assert_eq!(SignupPolicy::parse("signup", p.as_str()), Ok(p));
        }
        let e = SignupPolicy::parse("signup", "sometimes").unwrap_err();
        assert_eq!(e.field, "signup");
        assert!(e.problem.contains("sometimes"));
    }
}

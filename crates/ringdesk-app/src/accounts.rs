//! Sign-up (R-X3, R-X3a) and adding employees (R-T3, R-T4): what
//! `POST /api/v1/signup`, `POST /api/v1/employees`, `ringdesk company create`
//! and `ringdesk employee add` all do.

use crate::credentials::{hash_password, new_api_token};
use crate::{Error, Result};
use jiff::Timestamp;
use ringdesk_domain::company::{self, NewCompany, Permission};
use ringdesk_domain::event::FieldError;
use ringdesk_domain::signup::SignupPolicy;
use ringdesk_store::{Actor, Employee, NewEmployee, Store};
use secrecy::{ExposeSecret, SecretString};

/// A company to create with its owner, as typed (validated here).
#[derive(Debug, Clone)]
pub struct CompanyInput {
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// IANA time zone name.
    pub time_zone: String,
    /// `en`, `pt`, `es` or `ru`.
    pub locale: String,
}

/// The owner of a new company, as typed.
#[derive(Debug, Clone)]
pub struct OwnerInput {
    pub name: String,
    pub email: String,
    pub password: SecretString,
}

/// The new company, its owner, and the owner's API token (shown once).
#[derive(Debug)]
pub struct SignedUp {
    pub company_id: i64,
    pub owner_id: i64,
    pub api_token: SecretString,
}

/// R-X3 through the API: refused (`Forbidden`) unless `policy` lets a company
/// sign up now (R-X3a), then as [`create_company`]. Under `first_company` the
/// check and the creation are one transaction under a lock, so two sign-ups
/// racing on a fresh installation make one company, never two.
pub async fn signup(
    store: &Store,
    policy: SignupPolicy,
    company: &CompanyInput,
    owner: &OwnerInput,
) -> Result<SignedUp> {
    let refused = |has_company| {
        policy
            .allows(has_company)
            .map_err(|why| Error::Forbidden(why.to_owned()))
    };
    match policy {
        SignupPolicy::FirstCompany => {
            // A quick refusal without hashing a password once a company exists.
            refused(store.has_company().await?)?;
            let (new_company, owner, token, token_record) = prepare(company, owner).await?;
            match store
                .create_first_company(&new_company, &owner, &token_record, Timestamp::now())
                .await?
            {
                Some((company, owner)) => Ok(created(company, owner, token)),
                None => Err(Error::Forbidden(
                    SignupPolicy::FIRST_COMPANY_TAKEN.to_owned(),
                )),
            }
        }
        SignupPolicy::Open | SignupPolicy::Closed => {
            refused(false)?;
            create_company(store, company, owner).await
        }
    }
}

/// Creates a company with its owner (every permission) and first API token,
/// whatever the sign-up policy: `ringdesk company create` is the
/// administrator's way in.
pub async fn create_company(
    store: &Store,
    company: &CompanyInput,
    owner: &OwnerInput,
) -> Result<SignedUp> {
    let (new_company, owner, token, token_record) = prepare(company, owner).await?;
    let (company, owner) = store
        .create_company(&new_company, &owner, &token_record, Timestamp::now())
        .await?;
    Ok(created(company, owner, token))
}

/// The company, owner and first token to store, validated and hashed.
async fn prepare(
    company: &CompanyInput,
    owner: &OwnerInput,
) -> Result<(
    NewCompany,
    NewEmployee,
    SecretString,
    ringdesk_store::NewApiToken,
)> {
    let c = company;
    let new_company = NewCompany::parse(&c.name, &c.country, &c.time_zone, &c.locale)?;
    let name = company::person_or_company_name("owner.name", &owner.name)?;
    let email = company::email("owner.email", &owner.email)?;
    let password = company::password("owner.password", owner.password.expose_secret())?;
    let owner = NewEmployee {
        name,
        email,
        password_hash: hash_password(password.into()).await?,
        permissions: Permission::ALL.to_vec(),
        extensions: vec![],
    };
    let (token, token_record) = new_api_token("signup", None);
    Ok((new_company, owner, token, token_record))
}

fn created(
    company: ringdesk_store::Company,
    owner: ringdesk_store::Employee,
    api_token: SecretString,
) -> SignedUp {
    tracing::info!(company.id = company.id, "company created");
    SignedUp {
        company_id: company.id,
        owner_id: owner.id,
        api_token,
    }
}

/// Sets an employee's password, as their owner or the administrator does for
/// one who is locked out (`ringdesk employee set-password`): validated,
/// hashed, and every session of the employee ends (R-T3); their API tokens
/// stay. Returns the employee.
pub async fn set_password(
    store: &Store,
    company_id: i64,
    employee_id: i64,
    password: &SecretString,
    actor: &Actor,
    now: Timestamp,
) -> Result<Employee> {
    let patch = ringdesk_store::EmployeePatch {
        password_hash: Some(new_password_hash("password", password).await?),
        ..Default::default()
    };
    Ok(store
        .update_employee(company_id, employee_id, &patch, actor, now)
        .await?)
}

/// An employee to add, as typed.
#[derive(Debug, Clone)]
pub struct EmployeeInput {
    pub name: String,
    pub email: String,
    pub password: SecretString,
    /// Permission names (`view_clients`, …).
    pub permissions: Vec<String>,
    /// Phone extensions or SIP logins.
    pub extensions: Vec<String>,
}

/// Permission names → permissions, naming `field` and the unknown one.
pub fn permissions(field: &str, names: &[String]) -> Result<Vec<Permission>, FieldError> {
    names
        .iter()
        .map(|n| {
            Permission::parse(n).ok_or_else(|| {
                FieldError::new(
                    field,
                    format!(
                        "unknown permission {n:?}; expected one of {}",
                        Permission::names()
                    ),
                )
            })
        })
        .collect()
}

/// Extensions (R-T4), validated, sorted, each once.
pub fn extensions(names: &[String]) -> Result<Vec<String>, FieldError> {
    let mut v = names
        .iter()
        .enumerate()
        .map(|(i, x)| company::extension(&format!("extensions[{i}]"), x))
        .collect::<Result<Vec<_>, _>>()?;
    v.sort();
    v.dedup();
    Ok(v)
}

/// A new password, validated then hashed.
pub async fn new_password_hash(field: &str, password: &SecretString) -> Result<String> {
    let p = company::password(field, password.expose_secret())?;
    hash_password(p.into()).await
}

/// Adds an employee to `company_id`. `granter`: the rights of whoever adds
/// them, who cannot grant a right they lack (R-T3); `None` when the command
/// line (the system) adds them.
pub async fn add_employee(
    store: &Store,
    company_id: i64,
    input: &EmployeeInput,
    granter: Option<&[Permission]>,
    actor: &Actor,
    now: Timestamp,
) -> Result<Employee> {
    let name = company::person_or_company_name("name", &input.name)?;
    let email = company::email("email", &input.email)?;
    let rights = permissions("permissions", &input.permissions)?;
    let extensions = extensions(&input.extensions)?;
    let password = company::password("password", input.password.expose_secret())?;
    if let Some(granter) = granter {
        grantable(granter, &rights)?;
    }
    let new = NewEmployee {
        name,
        email,
        permissions: rights,
        extensions,
        password_hash: hash_password(password.into()).await?,
    };
    Ok(store.create_employee(company_id, &new, actor, now).await?)
}

/// Nobody grants a right they do not hold themselves (the owner holds all).
pub fn grantable(granter: &[Permission], rights: &[Permission]) -> Result<()> {
    match rights.iter().find(|p| !granter.contains(p)) {
        Some(p) => Err(Error::Forbidden(format!(
            "permissions: you cannot grant {}, which you do not have",
            p.as_str()
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_of_an_owner_or_employee_never_shows_in_debug() {
        let owner = OwnerInput {
            name: "Olena".into(),
            email: "olena@example.com".into(),
            password: "correct horse battery".into(),
        };
        assert!(!format!("{owner:?}").contains("correct horse battery"));
        let e = EmployeeInput {
            name: "Taras".into(),
            email: "taras@example.com".into(),
            password: "employee pass 1".into(),
            permissions: vec![],
            extensions: vec![],
        };
        assert!(!format!("{e:?}").contains("employee pass 1"));
        let out = SignedUp {
            company_id: 1,
            owner_id: 1,
            api_token: "rd_0123456789abcdef".into(),
        };
        assert!(!format!("{out:?}").contains("rd_0123456789abcdef"));
    }

    #[test]
    fn nobody_grants_a_right_they_lack() {
        let granter = [Permission::ViewClients];
        assert!(grantable(&granter, &[Permission::ViewClients]).is_ok());
        let Err(Error::Forbidden(why)) = grantable(&granter, &[Permission::ManageSettings]) else {
            panic!("granting a right one lacks must be refused")
        };
        assert!(why.contains("manage_settings"));
    }
}

//! Settings > Employees (R-T3, R-T4, R-X5): the list, adding one, changing
//! one's name, e-mail, extensions, permissions and whether they are active,
//! and resetting their password. Each as its API does: `manage_employees`
//! is needed, nobody grants a right they lack (`ringdesk_app::accounts::grantable`),
//! and a reset password ends every session of that employee
//! (`ringdesk_app::accounts::set_password`, as `ringdesk employee set-password`).

use super::*;
use crate::extract::{Path, Query};
use crate::i18n::permission_label;
use axum::extract::State;
use bytes::Bytes;
use ringdesk_app::accounts::{
    self as use_case, extensions, grantable, permissions, set_password, EmployeeInput,
};
use ringdesk_domain::company;
use ringdesk_domain::event::FieldError;
use ringdesk_store::{Employee, EmployeePatch, StoreError};
use secrecy::SecretString;

const PATH: &str = "/settings/employees";

/// The form's values, as typed.
#[derive(Default)]
struct EmployeeForm {
    name: String,
    email: String,
    extensions: String,
    permissions: Vec<String>,
    active: bool,
}

impl EmployeeForm {
    fn of(e: &Employee) -> EmployeeForm {
        EmployeeForm {
            name: e.name.clone(),
            email: e.email.clone(),
            extensions: e.extensions.join(", "),
            permissions: e
                .permissions
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            active: e.active,
        }
    }

    fn read(f: &FormFields) -> EmployeeForm {
        EmployeeForm {
            name: f.text("name"),
            email: f.text("email"),
            extensions: f.text("extensions"),
            permissions: f.all("permissions"),
            active: f.checked("active"),
        }
    }

    /// "101, 102, sip:anna" → each extension (the domain refuses one with a space, R-T4).
    fn extension_list(&self) -> Vec<String> {
        self.extensions
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// A use case's refusal of a field as the note beside it, in the page's language.
fn field_error(l: Locale, e: &FieldError) -> (String, String) {
    let field = e.field.split('[').next().unwrap_or(&e.field).to_owned();
    let text = match field.as_str() {
        "name" => tr(l, "settings-err-name"),
        "email" => tr(l, "field-email"),
        "password" => tr(l, "field-password"),
        "extensions" => tr_args(
            l,
            "settings-err-extension",
            &[("problem", e.problem.clone().into())],
        ),
        _ => e.problem.clone(),
    };
    (field, text)
}

/// The store's and the use case's answers: a note beside a field, or an error page.
fn as_errors(l: Locale, e: ringdesk_app::Error) -> Result<Errors, AppError> {
    match e {
        ringdesk_app::Error::Invalid(f) => Ok(vec![field_error(l, &f)]),
        ringdesk_app::Error::Store(StoreError::Taken { .. }) => {
            Ok(vec![("email".to_owned(), tr(l, "field-email-taken"))])
        }
        ringdesk_app::Error::Store(StoreError::Invalid { field, message }) => {
            Ok(vec![field_error(l, &FieldError::new(field, message))])
        }
        other => Err(other.into()),
    }
}

fn employee_fields(s: &Signed, form: &EmployeeForm, errors: &Errors, owner: bool) -> Markup {
    let l = s.locale;
    html! {
        label for="name" { (tr(l, "settings-employee-name")) }
        input #name type="text" name="name" value=(form.name) required maxlength="200" autocomplete="off"
            aria-describedby=[described_by(errors, "name")];
        (field_note(errors, "name"))
        label for="email" { (tr(l, "settings-employee-email")) }
        input #email type="email" name="email" value=(form.email) required autocomplete="off"
            aria-describedby=[described_by(errors, "email")];
        (field_note(errors, "email"))
        label for="extensions" { (tr(l, "settings-employee-extensions")) }
        input #extensions type="text" name="extensions" value=(form.extensions) autocomplete="off"
            aria-describedby=(described_by(errors, "extensions").unwrap_or_else(|| "extensions-hint".into()));
        p.hint #extensions-hint { (tr(l, "settings-employee-extensions-hint")) }
        (field_note(errors, "extensions"))
        @if !owner {
            fieldset #permissions aria-describedby=[described_by(errors, "permissions")] {
                legend { (tr(l, "settings-employee-permissions")) }
                @for p in Permission::ALL {
                    @let id = format!("permission-{}", p.as_str());
                    div.check {
                        input type="checkbox" id=(id) name="permissions" value=(p.as_str())
                            checked[form.permissions.iter().any(|x| x == p.as_str())];
                        label for=(id) { (permission_label(p, l)) }
                    }
                }
                (field_note(errors, "permissions"))
            }
        }
    }
}

/// `GET /settings/employees`: as `GET /api/v1/employees`, for `manage_employees`.
pub async fn list(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<Flash>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageEmployees) {
        return Ok(refused(&s, e));
    }
    let l = s.locale;
    let employees = state.store.employees(s.caller.company_id).await?;
    let title = tr(l, "settings-employees-title");
    let markup = s.page(&title, "/settings", html! {
        p.crumbs { a href="/settings" { (tr(l, "settings-title")) } }
        h1 { (title) }
        (flash(l, q.m.as_deref(), &[("added", "settings-employee-added"), ("saved", "settings-employee-saved"), ("password", "settings-employee-password-reset")]))
        p { a #add-employee href="/settings/employees/new" { (tr(l, "settings-employee-add")) } }
        table #employees {
            thead { tr {
                th scope="col" { (tr(l, "settings-employee-name")) }
                th scope="col" { (tr(l, "settings-employee-email")) }
                th scope="col" { (tr(l, "settings-employee-extensions")) }
                th scope="col" { (tr(l, "settings-employee-permissions")) }
                th scope="col" { (tr(l, "settings-employee-state")) }
            } }
            tbody {
                @for e in &employees {
                    tr id=(format!("employee-{}", e.id)) {
                        td { a href=(format!("{PATH}/{}", e.id)) { (e.name) } }
                        td { (e.email) }
                        td { (e.extensions.join(", ")) }
                        td {
                            @if e.is_owner { (tr(l, "settings-employee-owner")) }
                            @else { (e.permissions.iter().map(|p| permission_label(*p, l)).collect::<Vec<_>>().join(", ")) }
                        }
                        td { @if e.active { (tr(l, "settings-employee-active")) } @else { (tr(l, "settings-employee-inactive")) } }
                    }
                }
            }
        }
    });
    Ok(Html(markup.into_string()).into_response())
}

fn new_markup(s: &Signed, form: &EmployeeForm, errors: &Errors) -> Markup {
    let l = s.locale;
    let title = tr(l, "settings-employee-add");
    s.page(&title, "/settings", html! {
        p.crumbs { a href=(PATH) { (tr(l, "settings-employees-title")) } }
        h1 { (title) }
        @if !errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        form #employee-form .settings method="post" action=(PATH) novalidate {
            input type="hidden" name=(FIELD) value=(s.csrf);
            (employee_fields(s, form, errors, false))
            label for="password" { (tr(l, "settings-employee-password")) }
            input #password type="password" name="password" required minlength="8" autocomplete="new-password"
                aria-describedby=[described_by(errors, "password")];
            (field_note(errors, "password"))
            button type="submit" { (tr(l, "settings-employee-add-button")) }
        }
    })
}

/// `GET /settings/employees/new`.
pub async fn new_page(s: Signed) -> Response {
    if let Err(e) = s.caller.require(Permission::ManageEmployees) {
        return refused(&s, e);
    }
    let form = EmployeeForm {
        active: true,
        ..Default::default()
    };
    Html(new_markup(&s, &form, &vec![]).into_string()).into_response()
}

/// `POST /settings/employees`: as `POST /api/v1/employees` (`add_employee`).
pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageEmployees) {
        return Ok(refused(&s, e));
    }
    let f = FormFields::parse(&body);
    let form = EmployeeForm::read(&f);
    let input = EmployeeInput {
        name: form.name.clone(),
        email: form.email.clone(),
        password: SecretString::from(f.text("password")),
        permissions: form.permissions.clone(),
        extensions: form.extension_list(),
    };
    match use_case::add_employee(
        &state.store,
        s.caller.company_id,
        &input,
        Some(&s.caller.permissions),
        &s.caller.actor(),
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?m=added")).into_response()),
        Err(ringdesk_app::Error::Forbidden(why)) => Ok(refused(&s, AppError::forbidden(why))),
        Err(e) => {
            let errors = as_errors(s.locale, e)?;
            Ok(with_cookie(
                new_markup(&s, &form, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ))
        }
    }
}

fn edit_markup(
    s: &Signed,
    e: &Employee,
    form: &EmployeeForm,
    errors: &Errors,
    password_errors: &Errors,
) -> Markup {
    let l = s.locale;
    let title = tr_args(
        l,
        "settings-employee-edit",
        &[("name", e.name.clone().into())],
    );
    let action = format!("{PATH}/{}", e.id);
    let myself = e.id == s.caller.employee.id;
    s.page(&title, "/settings", html! {
        p.crumbs { a href=(PATH) { (tr(l, "settings-employees-title")) } }
        h1 { (title) }
        @if !errors.is_empty() || !password_errors.is_empty() { p.error #form-errors role="alert" { (tr(l, "form-has-errors")) } }
        form #employee-form .settings method="post" action=(action) novalidate {
            input type="hidden" name=(FIELD) value=(s.csrf);
            (employee_fields(s, form, errors, e.is_owner))
            @if !e.is_owner && !myself {
                div.check {
                    input #active type="checkbox" name="active" value="on" checked[form.active];
                    label for="active" { (tr(l, "settings-employee-active")) }
                }
            }
            button type="submit" { (tr(l, "settings-save")) }
        }
        h2 #reset-heading { (tr(l, "settings-employee-reset-title")) }
        @if myself {
            p { a href="/account/password" { (tr(l, "settings-employee-own-password")) } }
        } @else {
            p { (tr(l, "settings-employee-reset-about")) }
            form #password-form .settings method="post" action=(format!("{action}/password")) novalidate aria-labelledby="reset-heading" {
                input type="hidden" name=(FIELD) value=(s.csrf);
                // For password managers: whose password this is.
                input type="email" name="username" value=(e.email) autocomplete="username" hidden readonly;
                label for="new_password" { (tr(l, "settings-employee-new-password")) }
                input #new_password type="password" name="password" required minlength="8" autocomplete="new-password"
                    aria-describedby=[described_by(password_errors, "password").map(|_| note_id("new_password"))];
                @for (_, text) in password_errors {
                    p.field-error id=(note_id("new_password")) { (text) }
                }
                button type="submit" { (tr(l, "settings-employee-reset-button")) }
            }
        }
    })
}

/// `GET /settings/employees/{id}`.
pub async fn edit_page(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageEmployees) {
        return Ok(refused(&s, e));
    }
    let e = match state.store.employee(s.caller.company_id, id).await {
        Ok(e) => e,
        Err(err) => return Ok(refused(&s, err.into())),
    };
    let markup = edit_markup(&s, &e, &EmployeeForm::of(&e), &vec![], &vec![]);
    Ok(Html(markup.into_string()).into_response())
}

/// The patch the form asks for, checked as `PATCH /api/v1/employees/{id}` checks it.
fn patch_of(
    s: &Signed,
    e: &Employee,
    form: &EmployeeForm,
) -> Result<EmployeePatch, ringdesk_app::Error> {
    // The owner holds every right and stays active; nobody deactivates themselves.
    let rights = if e.is_owner {
        None
    } else {
        let rights = permissions("permissions", &form.permissions)?;
        grantable(&s.caller.permissions, &rights)?;
        Some(rights)
    };
    let active = (!e.is_owner && e.id != s.caller.employee.id).then_some(form.active);
    Ok(EmployeePatch {
        name: Some(company::person_or_company_name("name", &form.name)?),
        email: Some(company::email("email", &form.email)?),
        password_hash: None,
        permissions: rights,
        extensions: Some(extensions(&form.extension_list())?),
        active,
        keep_session_id: None,
    })
}

/// `POST /settings/employees/{id}`: as `PATCH /api/v1/employees/{id}`.
pub async fn update(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageEmployees) {
        return Ok(refused(&s, e));
    }
    let e = match state.store.employee(s.caller.company_id, id).await {
        Ok(e) => e,
        Err(err) => return Ok(refused(&s, err.into())),
    };
    let f = FormFields::parse(&body);
    let form = EmployeeForm::read(&f);
    let result = match patch_of(&s, &e, &form) {
        Ok(patch) => state
            .store
            .update_employee(
                s.caller.company_id,
                id,
                &patch,
                &s.caller.actor(),
                Timestamp::now(),
            )
            .await
            .map_err(ringdesk_app::Error::from),
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?m=saved")).into_response()),
        Err(ringdesk_app::Error::Forbidden(why)) => Ok(refused(&s, AppError::forbidden(why))),
        Err(err) => {
            let errors = as_errors(s.locale, err)?;
            Ok(with_cookie(
                edit_markup(&s, &e, &form, &errors, &vec![]),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ))
        }
    }
}

/// `POST /settings/employees/{id}/password`: the owner (or `manage_employees`,
/// as the API allows) sets another employee's password; every session of
/// that employee ends (`ringdesk_app::accounts::set_password`, R-T3).
pub async fn reset_password(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(e) = s.caller.require(Permission::ManageEmployees) {
        return Ok(refused(&s, e));
    }
    let e = match state.store.employee(s.caller.company_id, id).await {
        Ok(e) => e,
        Err(err) => return Ok(refused(&s, err.into())),
    };
    if id == s.caller.employee.id {
        // Their own goes through the current password (and keeps this session).
        return Ok(Redirect::to("/account/password").into_response());
    }
    let f = FormFields::parse(&body);
    let password = SecretString::from(f.text("password"));
    match set_password(
        &state.store,
        s.caller.company_id,
        id,
        &password,
        &s.caller.actor(),
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PATH}?m=password")).into_response()),
        Err(err) => {
            let errors = as_errors(s.locale, err)?;
            Ok(with_cookie(
                edit_markup(&s, &e, &EmployeeForm::of(&e), &vec![], &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            ))
        }
    }
}

pub(crate) fn routes(r: Routes) -> Routes {
    use axum::routing::{get, post};
    r.other(PATH, &["GET", "POST"], get(list).post(create))
        .other("/settings/employees/new", &["GET"], get(new_page))
        .other(
            "/settings/employees/{id}",
            &["GET", "POST"],
            get(edit_page).post(update),
        )
        .other(
            "/settings/employees/{id}/password",
            &["POST"],
            post(reset_password),
        )
}

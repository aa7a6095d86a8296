//! The home page.

use super::*;
use crate::i18n::permission_label;
// ----- home ------------------------------------------------------------------------------------

/// `GET /`: who is signed in, in which company, with which rights. Issue 11's
/// later slice grows it into "what needs me now".
pub async fn home(s: Signed) -> Response {
    let l = s.locale;
    let title = tr(l, "app-name");
    Html(
        s.page(&title, "/", html! {
            h1 { (s.company.name) }
            p { (tr(l, "signed-in-as")) " " strong #employee { (s.caller.employee.name) } }
            p { (tr(l, "company")) ": " span #company { (s.company.name) } }
            h2 { (tr(l, "your-permissions")) }
            ul #permissions { @for p in &s.caller.permissions { li data-permission=(p.as_str()) { (permission_label(*p, l)) } } }
        })
        .into_string(),
    )
    .into_response()
}

pub(crate) fn routes(r: Routes) -> Routes {
    r.other("/", &["GET"], axum::routing::get(home))
}

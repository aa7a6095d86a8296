//! Every text the web pages show, in the four interface languages (R-U6): en,
//! pt, es and ru. The texts are Fluent message catalogues,
//! `locales/<lang>/<area>.ftl`, compiled into the binary with `include_str!`
//! and read once (`fluent-bundle`). Texts written into records live in the
//! domain crate (`texts.rs`); these are only shown.
//!
//! Which language a page speaks: the employee's choice (the `rd_lang` cookie,
//! set by the language switch), else the company's locale when signed in,
//! else the browser's `Accept-Language`, else English ([`page_locale`]).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use ringdesk_domain::company::{Locale, Permission};
use std::sync::LazyLock;

/// The cookie that keeps an employee's choice of language.
pub const LANG_COOKIE: &str = "rd_lang";

/// Each language's catalogue is a few files, one per area of pages, so that
/// areas grow without stepping on each other: `main` (getting in, the
/// layout, home, tasks), `bar` (the call bar, clients, quotes), `work` (calls,
/// leads, work orders, notifications), `settings` and `phone` (connecting the
/// phone system, issue 12).
macro_rules! catalogue {
    ($lang:literal) => {
        [
            (
                "main",
                include_str!(concat!("../locales/", $lang, "/main.ftl")),
            ),
            (
                "bar",
                include_str!(concat!("../locales/", $lang, "/bar.ftl")),
            ),
            (
                "work",
                include_str!(concat!("../locales/", $lang, "/work.ftl")),
            ),
            (
                "settings",
                include_str!(concat!("../locales/", $lang, "/settings.ftl")),
            ),
            (
                "phone",
                include_str!(concat!("../locales/", $lang, "/phone.ftl")),
            ),
            (
                "dashboard",
                include_str!(concat!("../locales/", $lang, "/dashboard.ftl")),
            ),
        ]
    };
}

/// The catalogues, in [`Locale::ALL`]'s order: (file name, source) per area.
const SOURCES: [(Locale, [(&str, &str); 6]); 4] = [
    (Locale::En, catalogue!("en")),
    (Locale::Pt, catalogue!("pt")),
    (Locale::Es, catalogue!("es")),
    (Locale::Ru, catalogue!("ru")),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(locale, files)| {
            let lang = locale
                .as_str()
                .parse()
                .expect("the four locales are language ids");
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // The texts go into HTML, where Unicode isolation marks would only show up as noise.
            bundle.set_use_isolating(false);
            for (file, source) in files {
                let at = || format!("locales/{}/{file}.ftl", locale.as_str());
                let resource = FluentResource::try_new((*source).to_owned())
                    .unwrap_or_else(|(_, e)| panic!("{}: {e:?}", at()));
                // An id defined twice (in two files) is an error, not a silent override.
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", at()));
            }
            bundle
        })
        .collect()
});

fn bundle(locale: Locale) -> &'static Bundle {
    let i = Locale::ALL
        .iter()
        .position(|l| *l == locale)
        .expect("Locale::ALL lists every locale");
    &BUNDLES[i]
}

fn format(locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
    let Some(pattern) = bundle(locale).get_message(id).and_then(|m| m.value()) else {
        // Tests check that every id the pages use exists; never show nothing.
        tracing::error!(id, locale = locale.as_str(), "missing interface text");
        return id.to_owned();
    };
    let mut errors = vec![];
    let text = bundle(locale).format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::error!(id, ?errors, "interface text did not format");
    }
    text.into_owned()
}

/// The text `id` in `locale`.
pub fn tr(locale: Locale, id: &str) -> String {
    format(locale, id, None)
}

/// The text `id` in `locale`, with its `{ $name }` arguments.
pub fn tr_args(locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut a = FluentArgs::new();
    for (k, v) in args {
        a.set(*k, v.clone());
    }
    format(locale, id, Some(&a))
}

/// A permission's name as the interface shows it.
pub fn permission_label(p: Permission, locale: Locale) -> String {
    tr(locale, &format!("permission-{}", p.as_str()))
}

/// The interface language a browser asks for (`Accept-Language`), if it is one of ours.
pub fn locale_from_accept_language(header: Option<&str>) -> Option<Locale> {
    header
        .unwrap_or("")
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(|tag| {
            tag.trim()
                .split('-')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        })
        .find_map(|lang| Locale::parse(&lang))
}

/// The language of a page: the employee's choice (cookie), else `default`
/// (the company's locale once signed in), else the browser's, else English.
pub fn page_locale(
    chosen: Option<&str>,
    default: Option<Locale>,
    accept_language: Option<&str>,
) -> Locale {
    chosen
        .and_then(Locale::parse)
        .or(default)
        .or_else(|| locale_from_accept_language(accept_language))
        .unwrap_or(Locale::En)
}

/// The message ids a catalogue defines (`id = …` at the start of a line).
pub fn ids_in(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter_map(|line| line.split_once(" ="))
        .map(|(id, _)| id)
        .filter(|id| {
            id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_all_four_catalogues_r_u6() {
        for (locale, files) in SOURCES {
            let ids: Vec<&str> = files.iter().flat_map(|(_, s)| ids_in(s)).collect();
            assert!(ids.len() > 50, "{}: {} ids", locale.as_str(), ids.len());
            for id in ids {
                for other in Locale::ALL {
                    assert!(
                        bundle(other).has_message(id),
                        "{id} (in {}) is missing from locales/{}/",
                        locale.as_str(),
                        other.as_str()
                    );
                    assert!(!tr(other, id).trim().is_empty(), "{id} in {other:?}");
                }
            }
        }
        // Translated, not copied: the Russian texts differ from the English ones.
        for id in [
            "sign-in-title",
            "nav-tasks",
            "sign-up-title",
            "task-complete",
        ] {
            assert_ne!(tr(Locale::En, id), tr(Locale::Ru, id), "{id}");
        }
        for p in Permission::ALL {
            assert_ne!(
                permission_label(p, Locale::En),
                permission_label(p, Locale::Ru)
            );
        }
    }

    /// Every `tr(…, "id")` / `tr_args(…, "id", …)` in the pages names a message
    /// the catalogues have (they all have the same ids, tested above).
    #[test]
    fn every_text_the_pages_use_is_in_the_catalogues_r_u6() {
        let en: Vec<&str> = SOURCES[0].1.iter().flat_map(|(_, s)| ids_in(s)).collect();
        let mut used = 0;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages");
        let mut sources = vec![];
        for entry in walk(&dir) {
            sources.push(std::fs::read_to_string(entry).unwrap());
        }
        assert!(sources.len() >= 4, "{} page modules", sources.len());
        for source in &sources {
            for call in ["tr(l, \"", "tr_args(l, \"", "tr(locale, \""] {
                for piece in source.split(call).skip(1) {
                    let id = piece.split('"').next().unwrap();
                    assert!(
                        en.contains(&id),
                        "{id} is used by the pages but not defined"
                    );
                    used += 1;
                }
            }
        }
        assert!(used > 40, "{used}");
    }

    /// Every `.rs` file under `dir`, in subfolders too.
    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn arguments_are_formatted_without_isolation_marks() {
        assert_eq!(
            tr_args(Locale::Ru, "too-many-attempts", &[("minutes", 15.into())]),
            "Слишком много неудачных попыток входа. Повторите через 15 мин."
        );
    }

    #[test]
    fn the_choice_then_the_company_then_the_browser_pick_the_page_language() {
        assert_eq!(
            locale_from_accept_language(Some("pt-BR,pt;q=0.9,en;q=0.8")),
            Some(Locale::Pt)
        );
        assert_eq!(
            locale_from_accept_language(Some("de-DE, ru;q=0.5")),
            Some(Locale::Ru)
        );
        assert_eq!(locale_from_accept_language(Some("de")), None);
        assert_eq!(page_locale(None, None, None), Locale::En);
        assert_eq!(page_locale(None, None, Some("es")), Locale::Es);
        assert_eq!(page_locale(None, Some(Locale::Ru), Some("es")), Locale::Ru);
        assert_eq!(page_locale(Some("pt"), Some(Locale::Ru), None), Locale::Pt);
        assert_eq!(page_locale(Some("xx"), Some(Locale::Ru), None), Locale::Ru);
    }
}

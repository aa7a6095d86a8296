//! Every text the web pages show, in the four interface languages (en, pt,
//! es, ru). Texts written into records live in the domain crate (`texts.rs`);
//! these are only shown.

use ringdesk_domain::company::{Locale, Permission};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    SignInTitle,
    Email,
    Password,
    SignInButton,
    WrongEmailOrPassword,
    /// Followed by a number of minutes.
    TooManyAttempts,
    Minutes,
    SignedInAs,
    Company,
    YourPermissions,
    SignOut,
    SignedOut,
    FormUnreadable,
}

pub const ALL: [Ui; 13] = [
    Ui::SignInTitle,
    Ui::Email,
    Ui::Password,
    Ui::SignInButton,
    Ui::WrongEmailOrPassword,
    Ui::TooManyAttempts,
    Ui::Minutes,
    Ui::SignedInAs,
    Ui::Company,
    Ui::YourPermissions,
    Ui::SignOut,
    Ui::SignedOut,
    Ui::FormUnreadable,
];

/// `[en, pt, es, ru]`.
fn table(t: Ui) -> [&'static str; 4] {
    match t {
        Ui::SignInTitle => [
            "Sign in to Ringdesk",
            "Entrar no Ringdesk",
            "Iniciar sesión en Ringdesk",
            "Вход в Ringdesk",
        ],
        Ui::Email => ["E-mail", "E-mail", "Correo electrónico", "Эл. почта"],
        Ui::Password => ["Password", "Senha", "Contraseña", "Пароль"],
        Ui::SignInButton => ["Sign in", "Entrar", "Iniciar sesión", "Войти"],
        Ui::WrongEmailOrPassword => [
            "Wrong e-mail or password.",
            "E-mail ou senha incorretos.",
            "Correo electrónico o contraseña incorrectos.",
            "Неверная эл. почта или пароль.",
        ],
        Ui::TooManyAttempts => [
            "Too many failed sign-in attempts. Try again in",
            "Demasiadas tentativas sem sucesso. Tente novamente dentro de",
            "Demasiados intentos fallidos. Vuelva a intentarlo dentro de",
            "Слишком много неудачных попыток входа. Повторите через",
        ],
        Ui::Minutes => ["min", "min", "min", "мин"],
        Ui::SignedInAs => [
            "Signed in as",
            "Sessão iniciada como",
            "Sesión iniciada como",
            "Вы вошли как",
        ],
        Ui::Company => ["Company", "Empresa", "Empresa", "Компания"],
        Ui::YourPermissions => [
            "Your permissions",
            "As suas permissões",
            "Sus permisos",
            "Ваши права",
        ],
        Ui::SignOut => ["Sign out", "Sair", "Cerrar sesión", "Выйти"],
        Ui::SignedOut => [
            "You have signed out.",
            "Terminou a sessão.",
            "Ha cerrado la sesión.",
            "Вы вышли из системы.",
        ],
        Ui::FormUnreadable => [
            "The form could not be read; please send it again.",
            "Não foi possível ler o formulário; envie-o novamente.",
            "No se pudo leer el formulario; envíelo de nuevo.",
            "Не удалось прочитать форму; отправьте её ещё раз.",
        ],
    }
}

fn index(locale: Locale) -> usize {
    match locale {
        Locale::En => 0,
        Locale::Pt => 1,
        Locale::Es => 2,
        Locale::Ru => 3,
    }
}

pub fn ui(t: Ui, locale: Locale) -> &'static str {
    table(t)[index(locale)]
}

/// A permission's name as the interface shows it.
pub fn permission_label(p: Permission, locale: Locale) -> &'static str {
    let names = match p {
        Permission::ViewClients => [
            "See clients",
            "Ver clientes",
            "Ver clientes",
            "Просмотр клиентов",
        ],
        Permission::ManageSettings => [
            "Manage settings",
            "Gerir definições",
            "Gestionar la configuración",
            "Управление настройками",
        ],
        Permission::ViewAllCalls => [
            "See all calls",
            "Ver todas as chamadas",
            "Ver todas las llamadas",
            "Просмотр всех звонков",
        ],
        Permission::ManageEmployees => [
            "Manage employees",
            "Gerir funcionários",
            "Gestionar empleados",
            "Управление сотрудниками",
        ],
        Permission::PostCallEvents => [
            "Send call events",
            "Enviar eventos de chamadas",
            "Enviar eventos de llamadas",
            "Передача событий звонков",
        ],
    };
    names[index(locale)]
}

/// The interface language a browser asks for (`Accept-Language`), English by default.
pub fn locale_from_accept_language(header: Option<&str>) -> Locale {
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
        .unwrap_or(Locale::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_all_four_languages_and_differs_where_it_should() {
        for t in ALL {
            for l in [Locale::En, Locale::Pt, Locale::Es, Locale::Ru] {
                assert!(!ui(t, l).trim().is_empty(), "{t:?} in {l:?}");
            }
            assert_ne!(
                ui(t, Locale::En),
                ui(t, Locale::Ru),
                "{t:?} is not translated to Russian"
            );
        }
        for p in Permission::ALL {
            assert_ne!(
                permission_label(p, Locale::En),
                permission_label(p, Locale::Ru)
            );
        }
    }

    #[test]
    fn the_browser_language_picks_the_page_language() {
        assert_eq!(
            locale_from_accept_language(Some("pt-BR,pt;q=0.9,en;q=0.8")),
            Locale::Pt
        );
        assert_eq!(
            locale_from_accept_language(Some("de-DE, ru;q=0.5")),
            Locale::Ru
        );
        assert_eq!(locale_from_accept_language(Some("de")), Locale::En);
        assert_eq!(locale_from_accept_language(None), Locale::En);
    }
}

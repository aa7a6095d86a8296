//! Configuration in layers: defaults → a TOML file → `RINGDESK_…` variables →
//! command-line flags (clap reads the variables and the flags). Secrets in the
//! database URL are never printed.

use crate::ConfigArgs;
use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub listen: String,
    pub database_url: String,
    /// A tracing filter, e.g. `info` or `ringdesk_web=debug` (RUST_LOG wins).
    pub log: String,
    /// Mark cookies `Secure`: set it when Ringdesk is served over TLS
    /// (`secure_cookies = true` in the file, or `RINGDESK_SECURE_COOKIES=true`).
    #[serde(default)]
    pub secure_cookies: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://./ringdesk.db".into(),
            log: "info".into(),
            secure_cookies: false,
        }
    }
}

impl Config {
    pub fn load(args: &ConfigArgs) -> anyhow::Result<Config> {
        let mut cfg = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the config file {}", path.display()))?;
                toml::from_str(&text)
                    .with_context(|| format!("reading the config file {}", path.display()))?
            }
            None => Config::default(),
        };
        if let Some(l) = &args.listen {
            cfg.listen = l.clone();
        }
        if let Some(u) = &args.database_url {
            cfg.database_url = u.clone();
        }
        if let Ok(v) = std::env::var("RINGDESK_SECURE_COOKIES") {
            cfg.secure_cookies = matches!(v.trim(), "1" | "true" | "yes");
        }
        Ok(cfg)
    }

    /// The database URL with any password replaced by `***`.
    pub fn redacted_url(&self) -> String {
        redact(&self.database_url)
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_database_url_is_never_printed() {
        assert_eq!(
            redact("postgres://ann:s3cret@db:5432/x"),
            "postgres://ann:***@db:5432/x"
        );
        assert_eq!(redact("sqlite://./ringdesk.db"), "sqlite://./ringdesk.db");
    }
}

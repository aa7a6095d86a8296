//! Configuration in layers: defaults → a TOML file → `RINGDESK_…` variables →
//! command-line flags (clap reads the variables and the flags). Secrets in the
//! database URL are never printed.

use crate::ConfigArgs;
use anyhow::Context;
use ringdesk_domain::outbound::OutboundPolicy;
use ringdesk_domain::signup::SignupPolicy;
use serde::Deserialize;

/// `Debug` shows the database URL without its password.
#[derive(Clone, Deserialize)]
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
    /// Who may sign a company up through the API (R-X3a): `open`,
    /// `first_company` (the default) or `closed`.
    pub signup: SignupPolicy,
    /// R-X8: the hosts and networks Ringdesk may connect out to (AMI, Twilio's
    /// API, outgoing webhooks), e.g. `["pbx.example.com", "10.0.0.0/8"]`, or
    /// `RINGDESK_OUTBOUND_ALLOW` (comma-separated). Empty: everything, except
    /// that an installation with `signup = "open"` (a hosted service) refuses
    /// private and loopback addresses unless listed.
    pub outbound_allow: Vec<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("database_url", &self.redacted_url())
            .field("log", &self.log)
            .field("secure_cookies", &self.secure_cookies)
            .field("signup", &self.signup)
            .field("outbound_allow", &self.outbound_allow)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://./ringdesk.db".into(),
            log: "info".into(),
            secure_cookies: false,
            signup: SignupPolicy::default(),
            outbound_allow: Vec::new(),
        }
    }
}

impl Config {
    /// `signup`: the `--signup` flag or `RINGDESK_SIGNUP` (clap reads both), given to `serve` only.
    pub fn load(args: &ConfigArgs, signup: Option<SignupPolicy>) -> anyhow::Result<Config> {
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
        if let Some(p) = signup {
            cfg.signup = p;
        }
        if let Ok(v) = std::env::var("RINGDESK_OUTBOUND_ALLOW") {
            cfg.outbound_allow = v
                .split(',')
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty())
                .collect();
        }
        cfg.outbound_policy()?;
        Ok(cfg)
    }

    /// R-X8's rule for outbound connections; an entry that is neither a host
    /// name nor a network is refused at start-up.
    pub fn outbound_policy(&self) -> anyhow::Result<OutboundPolicy> {
        OutboundPolicy::parse(&self.outbound_allow, self.signup == SignupPolicy::Open)
            .map_err(|e| anyhow::anyhow!("outbound_allow: {e}"))
    }

    /// The database URL with any password replaced by `***`.
    pub fn redacted_url(&self) -> String {
        ringdesk_store::redacted_url(&self.database_url)
    }
}

/// Reads `--signup` / `RINGDESK_SIGNUP`.
pub fn parse_signup(s: &str) -> Result<SignupPolicy, String> {
    SignupPolicy::parse("--signup", s).map_err(|e| e.to_string())
}

pub fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    use ringdesk_store::redacted_url as redact;

    #[test]
    fn a_password_in_the_database_url_is_never_printed() {
        assert_eq!(
            redact("postgres://ann:s3cret@db:5432/x"),
            "postgres://ann:***@db:5432/x"
        );
        assert_eq!(redact("sqlite://./ringdesk.db"), "sqlite://./ringdesk.db");
    }

    #[test]
    fn the_configs_debug_never_shows_the_database_password() {
        let cfg = Config {
            database_url: "postgres://ann:s3cret@db:5432/x".into(),
            ..Config::default()
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://ann:***@db:5432/x"), "{shown}");
    }

    #[test]
    fn the_sign_up_policy_defaults_to_first_company_and_reads_from_the_file_r_x3a() {
        assert_eq!(Config::default().signup, SignupPolicy::FirstCompany);
        let cfg: Config = toml::from_str("signup = \"open\"").unwrap();
        assert_eq!(cfg.signup, SignupPolicy::Open);
        let cfg: Config = toml::from_str("signup = \"closed\"").unwrap();
        assert_eq!(cfg.signup, SignupPolicy::Closed);
        assert!(toml::from_str::<Config>("signup = \"sometimes\"").is_err());
        assert_eq!(parse_signup("open"), Ok(SignupPolicy::Open));
        assert!(parse_signup("sometimes").unwrap_err().contains("--signup"));
    }

    #[test]
    fn outbound_allow_is_read_from_the_file_and_a_hosted_service_refuses_private_addresses_r_x8() {
        let cfg: Config =
            toml::from_str("outbound_allow = [\"10.0.0.0/8\", \"pbx.example.com\"]").unwrap();
        let p = cfg.outbound_policy().unwrap();
        assert_eq!(p.allow.len(), 2);
        assert!(!p.refuse_private);
        let hosted: Config = toml::from_str("signup = \"open\"").unwrap();
        assert!(hosted.outbound_policy().unwrap().refuse_private);
        let bad: Config = toml::from_str("outbound_allow = [\"10.0.0.0/99\"]").unwrap();
        assert!(bad
            .outbound_policy()
            .unwrap_err()
            .to_string()
            .contains("outbound_allow"));
    }
}

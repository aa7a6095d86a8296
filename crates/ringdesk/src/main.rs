//! The `ringdesk` binary: it only parses the command line, reads the
//! configuration and wires the crates together (R-X1).

mod bench;
mod config;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use config::Config;
use ringdesk_store::Store;
use ringdesk_web::api::accounts::{signup, SignupCompany, SignupOwner, SignupRequest};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "ringdesk",
    version,
    about = "Ringdesk: the telephony and call-centre core of a CRM"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone, Debug)]
struct ConfigArgs {
    /// A TOML file with `listen`, `database_url` and `log` (optional).
    #[arg(long, env = "RINGDESK_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "RINGDESK_LISTEN", global = true)]
    listen: Option<String>,
    /// sqlite://FILE or postgres://… [default: sqlite://./ringdesk.db].
    #[arg(long, env = "RINGDESK_DATABASE_URL", global = true)]
    database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Start Ringdesk: the API, webhooks and everything else.
    Serve(#[command(flatten)] ConfigArgs),
    /// Manage companies.
    Company {
        #[command(subcommand)]
        command: CompanyCommand,
    },
    /// Manage a company's employees (R-T3).
    Employee {
        #[command(subcommand)]
        command: EmployeeCommand,
    },
    /// Measure Ringdesk against a running server.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum CompanyCommand {
    /// Create a company with its owner and print its API token (R-X3).
    Create {
        #[command(flatten)]
        cfg: ConfigArgs,
        #[arg(long)]
        name: String,
        /// ISO 3166 alpha-2 country, e.g. UA.
        #[arg(long)]
        country: String,
        /// IANA time zone, e.g. Europe/Kyiv.
        #[arg(long)]
        time_zone: String,
        /// en, pt, es or ru.
        #[arg(long, default_value = "en")]
        locale: String,
        #[arg(long)]
        owner_name: String,
        #[arg(long)]
        owner_email: String,
        /// The owner's password (or RINGDESK_OWNER_PASSWORD).
        #[arg(long, env = "RINGDESK_OWNER_PASSWORD", hide_env_values = true)]
        owner_password: String,
    },
}

#[derive(Subcommand)]
enum EmployeeCommand {
    /// Add an employee who signs in with e-mail and password.
    Add {
        #[command(flatten)]
        cfg: ConfigArgs,
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// The password (or RINGDESK_EMPLOYEE_PASSWORD).
        #[arg(long, env = "RINGDESK_EMPLOYEE_PASSWORD", hide_env_values = true)]
        password: String,
        /// view_clients, manage_settings, view_all_calls, manage_employees or post_call_events; repeat for several.
        #[arg(long = "permission")]
        permissions: Vec<String>,
        /// A phone extension or SIP login; repeat for several.
        #[arg(long = "extension")]
        extensions: Vec<String>,
    },
    /// List a company's employees.
    List {
        #[command(flatten)]
        cfg: ConfigArgs,
        #[arg(long)]
        company_id: i64,
    },
    /// Deactivate an employee: they can no longer sign in or use tokens; their history stays.
    Deactivate {
        #[command(flatten)]
        cfg: ConfigArgs,
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Drive a running server's public webhook: N calls × 4 events from C concurrent senders.
    Ingest(bench::IngestArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let cfg = Config::load(&args)?;
            config::init_logging(&cfg.log);
            serve(cfg).await
        }
        Command::Company {
            command:
                CompanyCommand::Create {
                    cfg,
                    name,
                    country,
                    time_zone,
                    locale,
                    owner_name,
                    owner_email,
                    owner_password,
                },
        } => {
            let cfg = Config::load(&cfg)?;
            config::init_logging("warn");
            let store = Store::connect(&cfg.database_url)
                .await
                .with_context(|| format!("opening the database {}", cfg.redacted_url()))?;
            let req = SignupRequest {
                company: SignupCompany {
                    name,
                    country,
                    time_zone,
                    locale,
                },
                owner: SignupOwner {
                    name: owner_name,
                    email: owner_email,
                    password: owner_password,
                },
            };
            let out = signup(&store, req)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!(
                "company_id: {}\nowner_id: {}\napi_token: {}",
                out.company_id, out.owner_id, out.api_token
            );
            println!("Keep the token: it is shown only once.");
            store.close().await;
            Ok(())
        }
        Command::Employee { command } => employee(command).await,
        Command::Bench {
            command: BenchCommand::Ingest(args),
        } => bench::ingest(args).await,
    }
}

async fn open_store(cfg: &ConfigArgs) -> anyhow::Result<Store> {
    let cfg = Config::load(cfg)?;
    config::init_logging("warn");
    Store::connect(&cfg.database_url)
        .await
        .with_context(|| format!("opening the database {}", cfg.redacted_url()))
}

/// The command line acts as the system: audit lines name no employee, and the address "command line".
fn cli_actor() -> ringdesk_store::Actor {
    ringdesk_store::Actor {
        employee_id: None,
        token_id: None,
        address: Some("command line".into()),
    }
}

async fn employee(command: EmployeeCommand) -> anyhow::Result<()> {
    use ringdesk_web::api::accounts::{new_employee, EmployeeIn};
    let now = jiff::Timestamp::now();
    let fail = |e: ringdesk_web::error::AppError| anyhow::anyhow!("{}", e.message);
    match command {
        EmployeeCommand::Add {
            cfg,
            company_id,
            name,
            email,
            password,
            permissions,
            extensions,
        } => {
            let store = open_store(&cfg).await?;
            store
                .company(company_id)
                .await
                .map_err(|_| anyhow::anyhow!("--company-id {company_id}: no such company"))?;
            let new = new_employee(&EmployeeIn {
                name,
                email,
                password,
                permissions,
                extensions,
            })
            .await
            .map_err(fail)?;
            let e = store
                .create_employee(company_id, &new, &cli_actor(), now)
                .await
                .map_err(|e| fail(e.into()))?;
            println!("employee_id: {}", e.id);
            store.close().await;
        }
        EmployeeCommand::List { cfg, company_id } => {
            let store = open_store(&cfg).await?;
            for e in store.employees(company_id).await? {
                let rights: Vec<&str> = e.permissions.iter().map(|p| p.as_str()).collect();
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    e.id,
                    e.email,
                    e.name,
                    if e.is_owner {
                        "owner".to_owned()
                    } else {
                        rights.join(",")
                    },
                    if e.active { "active" } else { "deactivated" }
                );
            }
            store.close().await;
        }
        EmployeeCommand::Deactivate {
            cfg,
            company_id,
            id,
        } => {
            let store = open_store(&cfg).await?;
            let patch = ringdesk_store::EmployeePatch {
                active: Some(false),
                ..Default::default()
            };
            let e = store
                .update_employee(company_id, id, &patch, &cli_actor(), now)
                .await
                .map_err(|e| fail(e.into()))?;
            if e.is_owner {
                anyhow::bail!("employee {id} is the company's owner, who cannot be deactivated");
            }
            println!(
                "employee {} ({}) is deactivated; their history stays",
                e.id, e.email
            );
            store.close().await;
        }
    }
    Ok(())
}

async fn serve(cfg: Config) -> anyhow::Result<()> {
    // Build the phone-number tables now rather than on the first call event.
    ringdesk_domain::phone::warm_up();
    let store = Store::connect(&cfg.database_url)
        .await
        .with_context(|| format!("opening the database {}", cfg.redacted_url()))?;
    let listen = cfg
        .listen
        .parse()
        .with_context(|| format!("--listen {:?} is not ADDR:PORT", cfg.listen))?;
    let state = ringdesk_web::AppState {
        store: store.clone(),
        secure_cookies: cfg.secure_cookies,
    };
    let app = ringdesk_web::Application::build_with(state, listen)
        .await
        .with_context(|| format!("listening on {}", cfg.listen))?;
    // Telephony automation: the durable jobs of R-C3a (settle time) and R-C3b (stale calls).
    let automation = store.start_automation(std::time::Duration::from_millis(500));
    tracing::info!(address = %app.local_addr(), database = store.backend_name(), "Ringdesk is listening on http://{}", app.local_addr());
    app.run_until_stopped(shutdown_signal()).await?;
    automation.stop().await;
    tracing::info!("in-flight requests finished; closing the database");
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

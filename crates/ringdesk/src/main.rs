//! The `ringdesk` binary: it only parses the command line, reads the
//! configuration and wires the crates together (R-X1).

mod agent;
mod bench;
mod config;
mod demo;
mod inbox;
mod simulate;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use config::Config;
use ringdesk_app::accounts::{CompanyInput, EmployeeInput, OwnerInput};
use ringdesk_domain::signup::SignupPolicy;
use ringdesk_store::Store;
use secrecy::ExposeSecret;
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

#[derive(Args, Clone)]
struct ConfigArgs {
    /// A TOML file with `listen`, `database_url`, `log`, `secure_cookies` and `signup` (optional).
    #[arg(long, env = "RINGDESK_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "RINGDESK_LISTEN", global = true)]
    listen: Option<String>,
    /// sqlite://FILE or postgres://… [default: sqlite://./ringdesk.db].
    #[arg(
        long,
        env = "RINGDESK_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    database_url: Option<String>,
}

#[derive(Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    cfg: ConfigArgs,
    /// Who may sign a company up through POST /api/v1/signup: open, first_company
    /// (only while there is no company yet) or closed [default: first_company].
    #[arg(long, env = "RINGDESK_SIGNUP", value_parser = config::parse_signup)]
    signup: Option<SignupPolicy>,
}

#[derive(Subcommand)]
enum Command {
    /// Start Ringdesk: the API, webhooks and everything else.
    Serve(#[command(flatten)] ServeArgs),
    /// Start Ringdesk with a demo company and a stream of simulated calls, and print how to
    /// sign in (on ./ringdesk-demo.db unless a database is configured; never on one that
    /// already holds a company).
    Demo(demo::DemoArgs),
    /// Send simulated phone traffic to a running server's webhook, in real time, and print
    /// what it answered.
    Simulate(simulate::SimulateArgs),
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
    /// The webhook inbox: every raw delivery from the phone system, kept for a while.
    Inbox {
        #[command(subcommand)]
        command: inbox::InboxCommand,
    },
    /// Run at a shop: hold the PBX's AMI connection and forward its calls
    /// to a hosted Ringdesk (signed, batched, resumable after a drop).
    Agent(agent::AgentArgs),
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
    /// Set an employee's password (for an owner who is locked out): their sessions end.
    SetPassword {
        #[command(flatten)]
        cfg: ConfigArgs,
        #[arg(long)]
        company_id: i64,
        #[arg(long)]
        id: i64,
        /// The new password, at least 8 characters (or RINGDESK_EMPLOYEE_PASSWORD).
        #[arg(long, env = "RINGDESK_EMPLOYEE_PASSWORD", hide_env_values = true)]
        password: String,
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
    /// Fill a fresh company (100,000 calls, 20,000 clients, 10,000 leads) in a server of
    /// its own and time every main page and the live stream's delivery to 1,000 streams.
    Pages(bench::pages::PagesArgs),
    /// R-U4's dashboard for 30 days at 1,000,000 and 10,000,000 stored calls (loaded in bulk
    /// and rolled up through the job runner's path), and the roll-ups checked against the raw calls.
    Dashboard(bench::dashboard::DashboardArgs),
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
            let cfg = Config::load(&args.cfg, args.signup)?;
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
            let store = open_store(&cfg).await?;
            // The administrator's way in: whatever the sign-up policy (R-X3a).
            let company = CompanyInput {
                name,
                country,
                time_zone,
                locale,
            };
            let owner = OwnerInput {
                name: owner_name,
                email: owner_email,
                password: owner_password.into(),
            };
            let out = ringdesk_app::accounts::create_company(&store, &company, &owner)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "company_id: {}\nowner_id: {}\napi_token: {}",
                out.company_id,
                out.owner_id,
                out.api_token.expose_secret()
            );
            println!("Keep the token: it is shown only once.");
            store.close().await;
            Ok(())
        }
        Command::Demo(args) => demo::demo(args).await,
        Command::Simulate(args) => {
            config::init_logging("warn");
            simulate::simulate(args).await
        }
        Command::Employee { command } => employee(command).await,
        Command::Inbox { command } => inbox::run(command).await,
        Command::Agent(args) => {
            config::init_logging("info");
            agent::run(args).await
        }
        Command::Bench {
            command: BenchCommand::Ingest(args),
        } => bench::ingest(args).await,
        Command::Bench {
            command: BenchCommand::Pages(args),
        } => bench::pages::pages(args).await,
        Command::Bench {
            command: BenchCommand::Dashboard(args),
        } => bench::dashboard::dashboard(args).await,
    }
}

async fn open_store(cfg: &ConfigArgs) -> anyhow::Result<Store> {
    let cfg = Config::load(cfg, None)?;
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
    let now = jiff::Timestamp::now();
    let fail = |e: ringdesk_app::Error| anyhow::anyhow!("{e}");
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
            let input = EmployeeInput {
                name,
                email,
                password: password.into(),
                permissions,
                extensions,
            };
            let e = ringdesk_app::accounts::add_employee(
                &store,
                company_id,
                &input,
                None,
                &cli_actor(),
                now,
            )
            .await
            .map_err(fail)?;
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
        EmployeeCommand::SetPassword {
            cfg,
            company_id,
            id,
            password,
        } => {
            let store = open_store(&cfg).await?;
            let e = ringdesk_app::accounts::set_password(
                &store,
                company_id,
                id,
                &password.into(),
                &cli_actor(),
                now,
            )
            .await
            .map_err(fail)?;
            println!(
                "employee {} ({}) has a new password; their sessions have ended",
                e.id, e.email
            );
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
    run_server(&cfg, store, |_| {}, shutdown_signal()).await
}

/// What `serve` and `demo` share (R-X1): the web application on `store`, the
/// automation's job runner, a graceful stop when `stop` completes, then the
/// store closed. `listening` is told the address once the server listens.
async fn run_server(
    cfg: &Config,
    store: Store,
    listening: impl FnOnce(std::net::SocketAddr),
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listen = cfg
        .listen
        .parse()
        .with_context(|| format!("--listen {:?} is not ADDR:PORT", cfg.listen))?;
    let state = ringdesk_web::AppState {
        store: store.clone(),
        secure_cookies: cfg.secure_cookies,
        signup: cfg.signup,
        outbound: cfg.outbound_policy()?,
        twilio_api: ringdesk_telephony::twilio::API_BASE.to_owned(),
    };
    let app = ringdesk_web::Application::build_with(state, listen)
        .await
        .with_context(|| format!("listening on {}", cfg.listen))?;
    // Telephony automation: the durable jobs of R-C3a (settle time) and R-C3b (stale calls).
    let automation = store.start_automation(std::time::Duration::from_millis(500));
    // R-I3: each company's AMI connection, held by one node at a time (lease),
    // only to hosts R-X8's `outbound_allow` admits (every address the host
    // resolves to is checked, as for outgoing webhooks).
    let policy = cfg.outbound_policy()?;
    let ami = ringdesk_telephony::ami::supervisor::Supervisor::start(
        store.clone(),
        ringdesk_telephony::ami::supervisor::SupervisorConfig::new(std::sync::Arc::new(
            move |host: &str| {
                use std::net::ToSocketAddrs;
                let addrs: Vec<std::net::IpAddr> = match (host, 0).to_socket_addrs() {
                    Ok(a) => a.map(|a| a.ip()).collect(),
                    Err(_) => return false,
                };
                !addrs.is_empty() && policy.check(host, &addrs).is_ok()
            },
        )),
    );
    tracing::info!(address = %app.local_addr(), database = store.backend_name(), signup = cfg.signup.as_str(), "Ringdesk is listening on http://{}", app.local_addr());
    listening(app.local_addr());
    app.run_until_stopped(stop).await?;
    ami.stop().await;
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

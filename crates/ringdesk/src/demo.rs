//! `ringdesk demo` (R-X1, issue 12 item 9): a living system at once. On an
//! empty database (`./ringdesk-demo.db` unless one is configured) it creates
//! a demo company through `ringdesk_app` and the store — an appliance repair
//! shop in London with its owner, three operators with extensions, 50
//! clients, a few work orders and leads, and the telephony automation on —
//! then starts the server exactly as `serve` does (`crate::run_server`) and
//! runs the simulator (`crate::simulate`) in-process against its own webhook,
//! with a token it made, the first call ringing the first operator at once.
//! It refuses a database that already holds a company: it never mixes made-up
//! data into real data.

use anyhow::Context;
use clap::Args;
use jiff::Timestamp;
use ringdesk_app::accounts::{CompanyInput, EmployeeInput, OwnerInput};
use ringdesk_domain::automation::{DueIn, EmployeeStatus, LeadRule, MissedCallTaskRule};
use ringdesk_domain::company::Permission;
use ringdesk_domain::phone::{self, Country};
use ringdesk_store::{NewClient, NewClientPhone, NewLead, NewWorkOrder, PhoneKind, Store};
use secrecy::{ExposeSecret, SecretString};

use crate::config::{self, Config};
use crate::simulate::{self, Plan, Target};
use crate::ConfigArgs;

/// The database the demo makes when none is configured.
pub const DEMO_DATABASE: &str = "sqlite://./ringdesk-demo.db";
/// Every demo account's password, printed at start.
pub const DEMO_PASSWORD: &str = "ringdesk-demo";

/// `serve`'s `--config`, `--listen` and `--database-url`, with the demo's own default database.
#[derive(Args)]
pub struct DemoArgs {
    /// A TOML file as for `serve`; the database it names is used (it must hold no company).
    #[arg(long, env = "RINGDESK_CONFIG")]
    config: Option<std::path::PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "RINGDESK_LISTEN")]
    listen: Option<String>,
    /// sqlite://FILE or postgres://… of a database without companies
    /// [default: sqlite://./ringdesk-demo.db].
    #[arg(long, env = "RINGDESK_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Simulated calls started per minute, on average; the first rings at once.
    #[arg(long, default_value_t = 4.0)]
    rate: f64,
    /// The seed of the simulated traffic: the same seed gives the same calls [default: random].
    #[arg(long)]
    seed: Option<u64>,
}

const COMPANY: &str = "Riverside Appliance Repair";
const COUNTRY: &str = "GB";
const TIME_ZONE: &str = "Europe/London";
const OWNER: (&str, &str) = ("Olivia Hart", "olivia@example.com");
/// Name, e-mail, extension.
const OPERATORS: [(&str, &str, &str); 3] = [
    ("Amy Clarke", "amy@example.com", "201"),
    ("Ben Walker", "ben@example.com", "202"),
    ("Chloe Evans", "chloe@example.com", "203"),
];
const FIRST_NAMES: [&str; 10] = [
    "James", "Sophie", "Harry", "Grace", "Oliver", "Emily", "Jack", "Lucy", "George", "Hannah",
];
const SURNAMES: [&str; 10] = [
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Davies", "Robinson", "Wright", "Thompson",
    "Hughes",
];
const JOBS: [&str; 6] = [
    "Washing machine: drum bearing noise",
    "Fridge freezer not cooling",
    "Dishwasher leaking at the door",
    "Oven fan element replacement",
    "Tumble dryer belt snapped",
    "Boiler annual service",
];

/// What the demo made and prints.
struct Demo {
    country: Country,
    token: SecretString,
}

pub async fn demo(args: DemoArgs) -> anyhow::Result<()> {
    if !(args.rate > 0.0 && args.rate.is_finite()) {
        anyhow::bail!(
            "--rate {}: calls per minute must be more than zero",
            args.rate
        );
    }
    let cfg_args = ConfigArgs {
        config: args.config,
        listen: args.listen,
        database_url: args.database_url,
    };
    let mut cfg = Config::load(&cfg_args, None)?;
    if cfg_args.database_url.is_none() && cfg_args.config.is_none() {
        cfg.database_url = DEMO_DATABASE.into();
    }
    // The demo's own lines are what a new user reads; the server's go to warn.
    config::init_logging("warn");
    ringdesk_domain::phone::warm_up();
    let store = Store::connect(&cfg.database_url)
        .await
        .with_context(|| format!("opening the database {}", cfg.redacted_url()))?;
    if store.has_company().await? {
        store.close().await;
        anyhow::bail!(
            "the database {} already holds a company: `ringdesk demo` loads its demo company only into an empty database. \
             Give another --database-url, or delete the demo's file (./ringdesk-demo.db) to start the demo afresh.",
            cfg.redacted_url()
        );
    }
    let made = create(&store).await.context("creating the demo company")?;
    let database = cfg.redacted_url();
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let rate = args.rate;
    let seed = args
        .seed
        .unwrap_or_else(|| Timestamp::now().as_nanosecond() as u64);
    let listening = move |addr: std::net::SocketAddr| {
        let (amy, amy_email, ext) = OPERATORS[0];
        println!("Ringdesk demo: {COMPANY}, an appliance repair shop in London ({COUNTRY}).");
        println!("Open http://{addr}/sign-in and sign in as");
        println!("  operator: {amy_email}  password: {DEMO_PASSWORD}  ({amy}, extension {ext}: the first call rings here now)");
        println!(
            "  owner: {}  password: {DEMO_PASSWORD}  ({})",
            OWNER.1, OWNER.0
        );
        println!(
            "Simulated calls: about {rate} a minute through POST /api/v1/telephony/events (seed {seed}). \
             Data: {database}. Ctrl-C stops."
        );
        let base = format!("http://{addr}");
        tokio::spawn(async move {
            let run = async {
                let target = Target::new(&base, made.token.expose_secret().to_owned())?;
                let company = target.company(Some(made.country.as_str())).await?;
                let start = Timestamp::now();
                let generator =
                    ringdesk_telephony::sim::Generator::new(seed, company, simulate::run_id(start));
                let plan = Plan {
                    rate,
                    until: None,
                    opening_call: true,
                };
                let stop = async move {
                    let _ = stop_rx.wait_for(|stopped| *stopped).await;
                };
                simulate::send_traffic(&target, generator, plan, stop).await
            };
            if let Err(e) = run.await {
                eprintln!("the simulated calls stopped: {e:#}");
            }
        });
    };
    let stop = async move {
        crate::shutdown_signal().await;
        let _ = stop_tx.send(true);
    };
    crate::run_server(&cfg, store, listening, stop).await
}

/// The demo company and everything in it; the simulator's token.
async fn create(store: &Store) -> anyhow::Result<Demo> {
    let fail = |e: ringdesk_app::Error| anyhow::anyhow!("{e}");
    let now = Timestamp::now();
    let country = Country::parse(COUNTRY).expect("a known country");
    let company = CompanyInput {
        name: COMPANY.into(),
        country: COUNTRY.into(),
        time_zone: TIME_ZONE.into(),
        locale: "en".into(),
    };
    let owner = OwnerInput {
        name: OWNER.0.into(),
        email: OWNER.1.into(),
        password: DEMO_PASSWORD.to_owned().into(),
    };
    let signed = ringdesk_app::accounts::create_company(store, &company, &owner)
        .await
        .map_err(fail)?;
    let company_id = signed.company_id;
    let actor = crate::cli_actor();
    let mut operators = Vec::new();
    for (name, email, ext) in OPERATORS {
        let input = EmployeeInput {
            name: name.into(),
            email: email.into(),
            password: DEMO_PASSWORD.to_owned().into(),
            permissions: vec![Permission::ViewClients.as_str().to_owned()],
            extensions: vec![ext.into()],
        };
        let e = ringdesk_app::accounts::add_employee(store, company_id, &input, None, &actor, now)
            .await
            .map_err(fail)?;
        operators.push(e.id);
    }

    let numbers = ringdesk_telephony::sim::made_up_numbers(2026, &country, 50);
    let mut clients = Vec::new();
    for (i, number) in numbers.iter().enumerate() {
        let name = format!(
            "{} {}",
            FIRST_NAMES[i % FIRST_NAMES.len()],
            SURNAMES[(i / FIRST_NAMES.len() + i) % SURNAMES.len()]
        );
        let client = NewClient {
            name,
            phones: vec![NewClientPhone {
                number: phone::normalise(number, &country)?,
                kind: PhoneKind::Mobile,
            }],
            ..Default::default()
        };
        clients.push(store.create_client(company_id, &client, now).await?);
    }

    let order_statuses = store.order_statuses(company_id).await?;
    for (i, job) in JOBS.iter().enumerate() {
        let status = &order_statuses[i % order_statuses.len()];
        let order = NewWorkOrder {
            client_id: Some(clients[i * 3].id),
            phone: None,
            status_id: Some(status.id),
            creator_id: Some(signed.owner_id),
            quote_id: None,
            description: Some((*job).to_owned()),
        };
        store.create_order(company_id, &order, now).await?;
    }
    for (i, job) in JOBS.iter().take(4).enumerate() {
        let lead = NewLead {
            type_id: None,
            status_id: None,
            client_id: Some(clients[i * 5 + 1].id),
            client_name: None,
            phone: None,
            description: Some(format!("Asked for a quote: {}", job.to_lowercase())),
            manager_id: Some(operators[i % operators.len()]),
            creator_id: Some(signed.owner_id),
            ad_campaign_id: None,
            location_id: None,
            due_at: Some(now + jiff::SignedDuration::from_hours(24 * (i as i64 + 1))),
            urgent: i == 0,
            fields: Default::default(),
        };
        store.create_lead(company_id, &lead, now).await?;
    }

    // The automation on (§4, §5): a task for every missed call, shared by the
    // operators; a lead for every answered call.
    let lead_type = store
        .lead_types(company_id)
        .await?
        .first()
        .map(|t| t.id)
        .context("a new company has a lead type")?;
    let mut settings = store.telephony_settings(company_id).await?;
    settings.missed_call_task = MissedCallTaskRule {
        enabled: true,
        assignee_ids: operators.clone(),
        due_in: DueIn {
            days: 0,
            hours: 2,
            minutes: 0,
        },
        link_order: true,
        link_lead: true,
        ..Default::default()
    };
    settings.answered_call_lead = LeadRule {
        enabled: true,
        lead_type_id: Some(lead_type),
        ..Default::default()
    };
    settings
        .validate(
            &|id| {
                if id == signed.owner_id || operators.contains(&id) {
                    EmployeeStatus::Active
                } else {
                    EmployeeStatus::Unknown
                }
            },
            &|id| id == lead_type,
        )
        .map_err(|e| anyhow::anyhow!("the demo's telephony settings: {e}"))?;
    store
        .put_telephony_settings(company_id, &settings, &actor, now)
        .await?;

    // The simulator's token: it posts call events and reads the clients it calls from.
    let (token, record) = ringdesk_app::credentials::new_api_token(
        "demo simulator",
        Some(vec![Permission::PostCallEvents, Permission::ViewClients]),
    );
    store
        .create_api_token(company_id, signed.owner_id, &record, &actor, now)
        .await?;
    Ok(Demo { country, token })
}

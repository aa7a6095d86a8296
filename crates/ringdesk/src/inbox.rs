//! `ringdesk inbox replay`: re-applies a company's kept webhook deliveries
//! (`ringdesk_web::inbox::replay`), e.g. after fixing what made a phone
//! system's deliveries fail for an hour. Idempotent: events already stored
//! are duplicates and change nothing.

use crate::ConfigArgs;
use anyhow::Context;
use clap::{Args, Subcommand};
use jiff::Timestamp;

#[derive(Subcommand)]
pub enum InboxCommand {
    /// Re-apply the company's authenticated deliveries received in [--from, --to), oldest
    /// first, through the same parsing and storing as the live webhook. Events already
    /// stored count as duplicates; nothing is doubled.
    Replay(ReplayArgs),
}

#[derive(Args)]
pub struct ReplayArgs {
    #[command(flatten)]
    cfg: ConfigArgs,
    /// The company whose deliveries to replay.
    #[arg(long = "company", visible_alias = "company-id")]
    company_id: i64,
    /// The first instant (RFC 3339, e.g. 2026-11-23T13:00:00Z), inclusive.
    #[arg(long)]
    from: String,
    /// The last instant (RFC 3339), exclusive.
    #[arg(long)]
    to: String,
    /// Print one line per delivery (id, status, what came of it).
    #[arg(long)]
    verbose: bool,
}

fn instant(flag: &str, s: &str) -> anyhow::Result<Timestamp> {
    s.parse().map_err(|_| {
        anyhow::anyhow!("--{flag} {s:?} is not an RFC 3339 time such as 2026-11-23T13:00:00Z")
    })
}

pub async fn run(command: InboxCommand) -> anyhow::Result<()> {
    let InboxCommand::Replay(a) = command;
    let from = instant("from", &a.from)?;
    let to = instant("to", &a.to)?;
    if to <= from {
        anyhow::bail!("--to {} is not after --from {}", a.to, a.from);
    }
    let store = crate::open_store(&a.cfg).await?;
    store
        .company(a.company_id)
        .await
        .map_err(|_| anyhow::anyhow!("--company {}: no such company", a.company_id))?;
    let out = ringdesk_web::inbox::replay(&store, a.company_id, from, to)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {}", e.code, e.message))
        .context("replaying the webhook inbox")?;
    if a.verbose {
        for line in &out.lines {
            println!("{line}");
        }
    }
    println!(
        "replayed: {}, refused again: {}, not authenticated (skipped): {}",
        out.replayed, out.refused, out.skipped_unauthenticated
    );
    store.close().await;
    Ok(())
}

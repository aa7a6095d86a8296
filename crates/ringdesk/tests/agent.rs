//! `ringdesk agent` as a shop runs it (issue 12 item 6, R-I3): the built
//! binary follows a fake AMI server (transcripts written from AMI's
//! documentation) and forwards the calls, signed and batched, to a real
//! Ringdesk server, which it can reach only after the PBX has spoken: the
//! events wait in the agent and arrive once the server is up.

use ringdesk_domain::signup::SignupPolicy;
use ringdesk_store::Store;
use ringdesk_telephony::ami::testing::{transcript, FakeAmi};
use ringdesk_web::{AppState, Application};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_server(store: Store, addr: std::net::SocketAddr) -> String {
    let app = Application::build_with(
        AppState {
            store,
            secure_cookies: false,
            signup: SignupPolicy::Open,
            outbound: Default::default(),
            twilio_api: ringdesk_telephony::twilio::API_BASE.to_owned(),
        },
        addr,
    )
    .await
    .expect("server");
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_forwards_a_pbx_call_signed_and_delivers_it_after_the_server_comes_back_r_i3() {
    let dir = std::env::temp_dir().join(format!("ringdesk-agent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("ringdesk.db").display());
    let store = Store::connect(&db).await.unwrap();
    let http = reqwest::Client::new();

    // A first server, to sign the company up and require signed webhooks.
    let setup = start_server(store.clone(), "127.0.0.1:0".parse().unwrap()).await;
    let signup: Value = http
        .post(format!("{setup}/api/v1/signup"))
        .json(&json!({"company": {"name": "Shop", "country": "UA", "time_zone": "Europe/Kyiv", "locale": "en"},
                       "owner": {"name": "Olena", "email": "agent-owner@example.com", "password": "correct horse"}}))
        .send().await.unwrap().json().await.unwrap();
    let token = signup["api_token"].as_str().unwrap().to_owned();
    let secret: Value = http
        .post(format!("{setup}/api/v1/settings/webhook-signing/secrets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = secret["secret"].as_str().unwrap().to_owned();
    let r = http
        .put(format!("{setup}/api/v1/settings/webhook-signing"))
        .bearer_auth(&token)
        .json(&json!({"required": true}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());

    // The hosted server the agent talks to is not up yet.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);

    let fake = FakeAmi::start("shop", "pbx-secret", transcript("drop_still_up")).await;
    let _agent = Killed(
        Command::new(env!("CARGO_BIN_EXE_ringdesk"))
            .args([
                "agent",
                "--ami",
                &format!("127.0.0.1:{}", fake.port()),
                "--user",
                "shop",
                "--url",
                &format!("http://{addr}"),
                "--extension",
                "201",
            ])
            .env("RINGDESK_AMI_SECRET", "pbx-secret")
            .env("RINGDESK_AGENT_TOKEN", &token)
            .env("RINGDESK_SIGNING_SECRET", &secret)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("running ringdesk agent"),
    );
    // The PBX has told the whole call (across a drop) before the server is up.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while fake.segments_sent() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the agent never followed the PBX"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let base = start_server(store.clone(), addr).await;
    let call = loop {
        let list: Value = http
            .get(format!("{base}/api/v1/calls?external_id=1781874000.1"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some(c) = list
            .as_array()
            .and_then(|l| l.first())
            .filter(|c| c["state"] == "completed")
        {
            break c.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline + Duration::from_secs(60),
            "the call never arrived: {list}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(call["direction"], "inbound");
    assert_eq!(call["talk_seconds"], 80);
    let all: Value = http
        .get(format!("{base}/api/v1/calls"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1, "one call, never doubled");
    let _ = std::fs::remove_dir_all(&dir);
}

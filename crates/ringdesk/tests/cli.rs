//! The command line as a user runs it: `ringdesk company create`, then
//! `ringdesk employee add | list | deactivate` (R-T3, R-X1), on a fresh SQLite file.

use std::process::Command;

fn ringdesk(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ringdesk"))
        .args(args)
        .env("RINGDESK_DATABASE_URL", db)
        .env_remove("RINGDESK_CONFIG")
        .output()
        .expect("running ringdesk");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn field(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("{name} in {text}"))
        .trim()
        .to_owned()
}

/// `ringdesk company create` of Acme with owner olena@example.com / "correct
/// horse" on `db`; the printed fields (`company_id`, `owner_id`, …).
fn create_acme(db: &str) -> String {
    let (ok, out, err) = ringdesk(
        db,
        &[
            "company",
            "create",
            "--name",
            "Acme",
            "--country",
            "UA",
            "--time-zone",
            "Europe/Kyiv",
            "--owner-name",
            "Olena",
            "--owner-email",
            "olena@example.com",
            "--owner-password",
            "correct horse",
        ],
    );
    assert!(ok, "{err}");
    out
}

#[test]
fn employees_are_added_listed_and_deactivated_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("ringdesk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let out = create_acme(&db);
    let company = field(&out, "company_id");

    let (ok, out, err) = ringdesk(
        &db,
        &[
            "employee",
            "add",
            "--company-id",
            &company,
            "--name",
            "Taras",
            "--email",
            "Taras@Example.com",
            "--password",
            "employee pass 1",
            "--permission",
            "view_clients",
            "--extension",
            "201",
        ],
    );
    assert!(ok, "{err}");
    let id = field(&out, "employee_id");

    // Bad input is named and changes nothing.
    let (ok, _, err) = ringdesk(
        &db,
        &[
            "employee",
            "add",
            "--company-id",
            &company,
            "--name",
            "X",
            "--email",
            "x@example.com",
            "--password",
            "employee pass 1",
            "--permission",
            "fly",
        ],
    );
    assert!(!ok && err.contains("fly"), "{err}");
    let (ok, _, err) = ringdesk(
        &db,
        &[
            "employee",
            "add",
            "--company-id",
            "999",
            "--name",
            "X",
            "--email",
            "y@example.com",
            "--password",
            "employee pass 1",
        ],
    );
    assert!(!ok && err.contains("--company-id 999"), "{err}");

    let (ok, out, _) = ringdesk(&db, &["employee", "list", "--company-id", &company]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("olena@example.com") && lines[0].contains("owner"));
    assert!(
        lines[1].contains("taras@example.com")
            && lines[1].contains("view_clients")
            && lines[1].ends_with("active")
    );

    let (ok, out, err) = ringdesk(
        &db,
        &[
            "employee",
            "deactivate",
            "--company-id",
            &company,
            "--id",
            &id,
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("deactivated"));
    let (_, out, _) = ringdesk(&db, &["employee", "list", "--company-id", &company]);
    assert!(
        out.lines().nth(1).unwrap().ends_with("deactivated"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// R-X3a: whatever the sign-up policy, the administrator adds companies from
/// the command line; `serve` takes the policy as a flag.
#[test]
fn company_create_works_whatever_the_sign_up_policy_r_x3a() {
    let dir = std::env::temp_dir().join(format!("ringdesk-cli-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let config = dir.join("ringdesk.toml");
    for policy in ["closed", "first_company", "open"] {
        std::fs::write(&config, format!("signup = \"{policy}\"\n")).unwrap();
        let email = format!("owner-{policy}@example.com");
        let (ok, out, err) = ringdesk(
            &db,
            &[
                "company",
                "create",
                "--config",
                config.to_str().unwrap(),
                "--name",
                "Acme",
                "--country",
                "UA",
                "--time-zone",
                "Europe/Kyiv",
                "--owner-name",
                "Olena",
                "--owner-email",
                &email,
                "--owner-password",
                "correct horse",
            ],
        );
        assert!(ok, "{policy}: {err}");
        assert!(field(&out, "api_token").starts_with("rd_"));
    }
    // A policy that does not exist is named.
    let (ok, _, err) = ringdesk(&db, &["serve", "--signup", "sometimes"]);
    assert!(!ok && err.contains("sometimes"), "{err}");
    let (ok, out, _) = ringdesk(&db, &["serve", "--help"]);
    assert!(ok && out.contains("--signup"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The password a stored account has now: whether `password` signs it in.
fn signs_in(db: &str, email: &str, password: &str) -> bool {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = ringdesk_store::Store::connect(db).await.unwrap();
        let account = store.sign_in_account(email).await.unwrap().unwrap();
        let ok = ringdesk_app::credentials::verify_password(
            password.to_owned().into(),
            Some(account.password_hash),
        )
        .await
        .unwrap();
        store.close().await;
        ok
    })
}

/// Issue 11: an owner who is locked out gets a new password from the
/// administrator; a password too short is refused, naming the rule.
#[test]
fn employee_set_password_gives_a_locked_out_owner_a_new_password() {
    let dir = std::env::temp_dir().join(format!("ringdesk-cli-pw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let out = create_acme(&db);
    let company = field(&out, "company_id");
    let owner = field(&out, "owner_id");
    assert!(signs_in(&db, "olena@example.com", "correct horse"));

    let set = |password: &str| {
        ringdesk(
            &db,
            &[
                "employee",
                "set-password",
                "--company-id",
                &company,
                "--id",
                &owner,
                "--password",
                password,
            ],
        )
    };
    let (ok, _, err) = set("short");
    assert!(!ok && err.contains("at least 8"), "{err}");
    assert!(
        signs_in(&db, "olena@example.com", "correct horse"),
        "unchanged"
    );

    let (ok, out, err) = set("battery staple 9");
    assert!(ok, "{err}");
    assert!(out.contains("new password"), "{out}");
    assert!(signs_in(&db, "olena@example.com", "battery staple 9"));
    assert!(!signs_in(&db, "olena@example.com", "correct horse"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 12: `ringdesk inbox replay` re-applies the deliveries a phone
/// system sent in a range (e.g. after what made them fail is fixed): what was
/// not stored is stored once, a second replay changes nothing, deliveries
/// that never authenticated are left alone.
#[test]
fn inbox_replay_applies_a_range_of_kept_deliveries_once() {
    let dir = std::env::temp_dir().join(format!("ringdesk-cli-inbox-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let company: i64 = field(&create_acme(&db), "company_id").parse().unwrap();
    let now = jiff::Timestamp::now();
    let event = |id: &str, state: &str| {
        serde_json::json!({"event_id": id, "call_id": "pbx-7", "direction": "inbound", "state": state,
            "at": now.to_string(), "from": "+380671234567", "to": "+380441234567"})
        .to_string()
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let count = |db: &str| {
        rt.block_on(async {
            let store = ringdesk_store::Store::connect(db).await.unwrap();
            let n = store.count_events(company).await.unwrap();
            store.close().await;
            n
        })
    };
    rt.block_on(async {
        let store = ringdesk_store::Store::connect(&db).await.unwrap();
        for (body, authenticated) in [
            (event("e1", "ringing"), true),
            (format!("[{}]", event("e2", "answered")), true),
            (event("e3", "completed"), false),
        ] {
            store.keep_delivery(
                company,
                ringdesk_store::NewDelivery {
                    connector: "generic".into(),
                    received_at: now,
                    headers: "{}".into(),
                    body: body.into_bytes(),
                    authenticated,
                    status: 500,
                    result: "internal: the database was unreachable".into(),
                },
            );
        }
        store.close().await;
    });
    assert_eq!(count(&db), 0);
    let from = (now - jiff::SignedDuration::from_hours(1)).to_string();
    let to = (now + jiff::SignedDuration::from_hours(1)).to_string();
    let company_s = company.to_string();
    let args = [
        "inbox",
        "replay",
        "--company",
        &company_s,
        "--from",
        &from,
        "--to",
        &to,
    ];
    let (ok, out, err) = ringdesk(&db, &args);
    assert!(ok, "{err}");
    assert!(
        out.contains("replayed: 2, refused again: 0, not authenticated (skipped): 1"),
        "{out}"
    );
    assert_eq!(count(&db), 2);
    // Again: the same events are duplicates; nothing is doubled.
    let (ok, out, err) = ringdesk(&db, &[&args[..], &["--verbose"]].concat());
    assert!(ok, "{err}");
    assert!(out.contains("duplicate"), "{out}");
    assert_eq!(count(&db), 2);
    // Mistakes are named.
    let (ok, _, err) = ringdesk(
        &db,
        &[
            "inbox",
            "replay",
            "--company",
            &company_s,
            "--from",
            "yesterday",
            "--to",
            &to,
        ],
    );
    assert!(!ok && err.contains("--from \"yesterday\""), "{err}");
    let (ok, _, err) = ringdesk(
        &db,
        &[
            "inbox",
            "replay",
            "--company",
            "999",
            "--from",
            &from,
            "--to",
            &to,
        ],
    );
    assert!(
        !ok && err.contains("--company 999: no such company"),
        "{err}"
    );
    let (ok, _, err) = ringdesk(
        &db,
        &[
            "inbox",
            "replay",
            "--company",
            &company_s,
            "--from",
            &to,
            "--to",
            &from,
        ],
    );
    assert!(!ok && err.contains("is not after"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

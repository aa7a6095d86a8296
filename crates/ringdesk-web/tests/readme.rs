//! The README's walk-through, run as written (from "A walk through the API" to
//! "The command line"), in its written order, against a real server on a fresh
//! database, so the README cannot drift from what the server does.
//!
//! Every `sh` block of those sections runs in one bash process with the real
//! `curl`, wrapped so that each call's status and body are reported. A call
//! followed by a comment `# NNN …` must answer NNN; any other call must answer
//! 2xx. Every `"key":value` pair written in the comment (a number, `true`,
//! `false`, `null` or a string without `…`) must appear in the answer. The
//! token pasted by hand in the README is taken from the sign-up answer.

use ringdesk_store::testing::{fresh_postgres_database, POSTGRES_URL_VAR};
use ringdesk_store::Store;
use ringdesk_web::Application;
use std::process::Command;

/// One `curl` of the walk-through and what its comment says it answers.
#[derive(Debug)]
struct Step {
    command: String,
    status: Option<u16>,
    expected: String,
}

fn walk_through() -> (String, Vec<Step>) {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
        .expect("README.md");
    let start = readme
        .find("\n## A walk through the API")
        .expect("the walk-through section");
    let end = readme
        .find("\n## The command line")
        .expect("the section after it");
    let mut script = String::new();
    let mut steps: Vec<Step> = Vec::new();
    let mut in_sh = false;
    // Comments right after a command (and its continuation lines) say what it answers.
    let mut awaiting = false;
    // The command's single-quoted body is still open.
    let mut continuing = false;
    for line in readme[start..end].lines() {
        if !in_sh {
            in_sh = line.trim() == "```sh";
            continue;
        }
        if line.trim() == "```" {
            in_sh = false;
            awaiting = false;
            continue;
        }
        if continuing {
            let step = steps.last_mut().expect("a command continues");
            step.command.push('\n');
            step.command.push_str(line);
            script.push_str(line);
            script.push('\n');
            continuing = line.matches('\'').count() % 2 == 0;
            continue;
        }
        if line.starts_with("export TOKEN=") {
            script.push_str(
                "export TOKEN=$(sed -E 's/.*\"api_token\":\"([^\"]+)\".*/\\1/' \"$LAST\")\n",
            );
            awaiting = false;
            continue;
        }
        if let Some(api) = line.strip_prefix("API=") {
            assert!(api.starts_with("http://127.0.0.1:8080/"), "{line}");
            script.push_str("API=$BASE/api/v1\n");
            continue;
        }
        if line.starts_with("curl ") {
            let (command, comment) = split_comment(line);
            let inline = comment.filter(|c| c.starts_with(['[', '{']) || status_of(c).is_some());
            steps.push(Step {
                command: command.to_owned(),
                status: inline.and_then(status_of),
                expected: inline.unwrap_or_default().to_owned(),
            });
            script.push_str(command);
            script.push('\n');
            continuing = command.matches('\'').count() % 2 == 1;
            awaiting = inline.is_none();
            continue;
        }
        if let Some(comment) = line.trim_start().strip_prefix('#') {
            if awaiting {
                let step = steps.last_mut().expect("an expectation follows a curl");
                let comment = comment.trim();
                if step.expected.is_empty() {
                    step.status = status_of(comment);
                }
                step.expected.push_str(comment);
            }
            continue;
        }
        awaiting = false;
        script.push_str(line);
        script.push('\n');
    }
    (script, steps)
}

/// `command  # comment` → (command, comment), outside single quotes.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '#' if !quoted && line[..i].ends_with(' ') => {
                return (line[..i].trim_end(), Some(line[i + 1..].trim()));
            }
            _ => {}
        }
    }
    (line, None)
}

fn status_of(comment: &str) -> Option<u16> {
    let code = comment.get(..3)?;
    (code.bytes().all(|b| b.is_ascii_digit()) && comment[3..].starts_with([' ', '\0']))
        .then(|| code.parse().ok())
        .flatten()
        .or_else(|| (comment.len() == 3).then(|| code.parse().ok()).flatten())
}

/// The `"key":value` pairs written in full in an expectation.
fn pairs(expected: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = expected.as_bytes();
    let mut i = 0;
    while let Some(q) = expected[i..].find("\":") {
        let colon = i + q + 1;
        let key_start = expected[..colon - 1].rfind('"').map(|s| s + 1).unwrap_or(0);
        let key = &expected[key_start..colon - 1];
        let rest = &expected[colon + 1..];
        let value = if let Some(text) = rest.strip_prefix('"') {
            text.find('"').map(|e| &rest[..e + 2])
        } else {
            let e = rest.find([',', '}', ']']).unwrap_or(rest.len());
            Some(rest[..e].trim())
        };
        if let Some(v) = value {
            let full = !v.contains('…') && !v.is_empty() && !v.starts_with(['[', '{']);
            if full && !key.contains(['{', '[', ' ']) {
                out.push(format!("\"{key}\":{v}"));
            }
        }
        i = colon;
        if i >= bytes.len() {
            break;
        }
    }
    out
}

const WRAPPER: &str = r#"
set -u
BODY=$(mktemp); LAST=$(mktemp)
curl() {
  local args=() a
  for a in "$@"; do
    case "$a" in -si) args+=(-s) ;; -i) ;; *) args+=("$a") ;; esac
  done
  local status
  status=$(command curl "${args[@]}" -o "$BODY" -w '%{http_code}')
  cp "$BODY" "$LAST"
  printf '@@ %s %s\n' "$status" "$(tr -d '\n' < "$BODY")"
}
"#;

async fn run(url: &str) {
    let store = Store::connect(url).await.expect("opening the database");
    let app = Application::build(store.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let runner = store.start_automation(std::time::Duration::from_millis(100));

    let (script, steps) = walk_through();
    assert!(
        steps.len() > 20,
        "the walk-through has its steps: {steps:?}"
    );
    let out = tokio::task::spawn_blocking(move || {
        Command::new("bash")
            .arg("-c")
            .arg(format!("{WRAPPER}\nBASE={base}\n{script}"))
            .output()
            .expect("bash")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let answers: Vec<(u16, &str)> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("@@ "))
        .map(|l| {
            let (status, body) = l.split_once(' ').unwrap_or((l, ""));
            (status.parse().unwrap_or(0), body)
        })
        .collect();
    assert_eq!(
        answers.len(),
        steps.len(),
        "every curl of the README ran; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (step, (status, body)) in steps.iter().zip(&answers) {
        eprintln!(
            "{status} {}",
            step.command.lines().next().unwrap_or_default()
        );
        match step.status {
            Some(s) => assert_eq!(
                *status, s,
                "README step:\n{}\nanswered {body}",
                step.command
            ),
            None => assert!(
                (200..300).contains(status),
                "README step:\n{}\nanswered {status} {body}",
                step.command
            ),
        }
        for pair in pairs(&step.expected) {
            assert!(
                body.contains(&pair),
                "README step:\n{}\nsays {pair} but the server answered {body}",
                step.command
            );
        }
    }
    runner.stop().await;
}

#[tokio::test]
async fn the_readme_walk_through_runs_as_written() {
    let dir = std::env::temp_dir().join(format!("ringdesk-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(&format!("sqlite://{}", dir.join("ringdesk.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(admin) => run(&fresh_postgres_database(&admin).await.unwrap()).await,
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{POSTGRES_URL_VAR} is not set in CI: the PostgreSQL half must run")
        }
        Err(_) => eprintln!("NOT RUN on PostgreSQL: set {POSTGRES_URL_VAR} to run it there"),
    }
}

#[test]
fn the_expectation_reader_takes_whole_pairs_only() {
    assert_eq!(
        pairs(r#"201 {"company_id":1,"owner_id":1,"api_token":"rd_3f9c…"}"#),
        vec!["\"company_id\":1", "\"owner_id\":1"]
    );
    assert_eq!(status_of("409 {\"error\"}"), Some(409));
    assert_eq!(status_of("[{\"id\":1}]"), None);
    assert_eq!(
        split_comment("curl -d '{\"a\": \"#1\"}'   # 200"),
        ("curl -d '{\"a\": \"#1\"}'", Some("200"))
    );
}

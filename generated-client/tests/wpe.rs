//! `wpe`, the built binary, against a loopback server: help, a paged list with `--all` (which
//! stops quietly when its reader goes away), a body from a file, and an exit status per kind of
//! failure, with nothing sent on a usage error and
//! no credential in what is printed.

use std::process::{Command, Output};
use wiremock::matchers::{body_json, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTALL: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";
const PASSWORD: &str = "s3cret-pa55";

/// Runs `wpe` with credentials for `server` in its environment (and nothing of ours).
async fn wpe(server: &MockServer, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wpe"));
    command
        .args(args)
        .env_clear()
        .env("WPENGINE_API_USERNAME", "user")
        .env("WPENGINE_API_PASSWORD", PASSWORD)
        .env("WPENGINE_API_URL", server.uri());
    tokio::task::spawn_blocking(move || command.output().expect("wpe runs"))
        .await
        .expect("joins")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn install(n: usize) -> serde_json::Value {
    serde_json::json!({ "id": format!("00000000-0000-4000-8000-{n:012}"), "name": format!("site{n}"), "account": {}, "php_version": "8.2" })
}

#[tokio::test(flavor = "multi_thread")]
async fn help_lists_the_groups_and_the_environment() {
    let server = MockServer::start().await;
    let out = wpe(&server, &["--help"]).await;
    assert!(out.status.success());
    let help = text(&out.stdout);
    for expected in ["install", "backup", "domain", "WPENGINE_API_USERNAME", "Exit status"] {
        assert!(help.contains(expected), "{help}");
    }
    // Each flag with its type, and the default the document gives.
    let out = wpe(&server, &["install", "list", "--help"]).await;
    let help = text(&out.stdout);
    for expected in [
        "--all",
        "--account-id <UUID>",
        "--limit <INTEGER>",
        "[server default: 100]",
    ] {
        assert!(help.contains(expected), "{help}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn install_list_all_prints_every_install_of_every_page_as_json_lines() {
    let server = MockServer::start().await;
    for (offset, ids, next) in [("0", 0..2, true), ("2", 2..4, true), ("4", 4..5, false)] {
        let results: Vec<_> = ids.map(install).collect();
        let next = next.then(|| format!("{}/installs?offset=later", server.uri()));
        Mock::given(method("GET"))
            .and(path("/installs"))
            .and(query_param("offset", offset))
            .and(query_param("limit", "2"))
            .and(header_exists("authorization"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({ "results": results, "next": next, "count": 5 })),
            )
            .mount(&server)
            .await;
    }
    let out = wpe(&server, &["install", "list", "--limit", "2", "--all"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let names: Vec<String> = stdout
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            value["name"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(names, ["site0", "site1", "site2", "site3", "site4"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_comes_from_a_file_and_the_answer_is_printed() {
    let server = MockServer::start().await;
    let body = serde_json::json!({ "description": "before the upgrade", "notification_emails": ["ops@example.com"] });
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/backups")))
        .and(body_json(&body))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(
                serde_json::json!({ "id": "28c7d4ba-5d8f-4b22-9a4b-8f4e1e6b2e22", "status": "requested" }),
            ),
        )
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("wpe-backup-{}.json", std::process::id()));
    std::fs::write(&file, body.to_string()).expect("writes");
    let file_arg = file.display().to_string();
    let out = wpe(&server, &["backup", "create", INSTALL, "--body", &file_arg]).await;
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(answer["status"], "requested");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_kind_of_failure_has_its_exit_status_and_no_credential_is_printed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/installs/{INSTALL}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({ "message": "Install not found" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/installs"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // 4xx: 3, with the API's error body on stderr.
    let out = wpe(&server, &["install", "get", INSTALL]).await;
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Install not found") && !stderr.contains(PASSWORD),
        "{stderr}"
    );
    // 5xx: 4.
    let out = wpe(&server, &["--retries", "0", "install", "list"]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let sent = server.received_requests().await.expect("recorded").len();
    // Usage: 2, naming the argument, and nothing sent.
    let out = wpe(&server, &["install", "get", "not-a-uuid"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("<install-id>"), "{}", text(&out.stderr));
    let out = wpe(&server, &["install", "list", "--no-such-flag"]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = wpe(&server, &["backup", "create", INSTALL, "--body", "/no/such/body.json"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/no/such/body.json"));
    let not_json = std::env::temp_dir().join(format!("wpe-not-json-{}.txt", std::process::id()));
    std::fs::write(&not_json, "description: nightly").expect("writes");
    let not_json_arg = not_json.display().to_string();
    let out = wpe(&server, &["backup", "create", INSTALL, "--body", &not_json_arg]).await;
    let _ = std::fs::remove_file(&not_json);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!("--body {not_json_arg}: not a request body")),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(server.received_requests().await.expect("recorded").len(), sent);
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_create_wait_polls_until_the_backup_is_done() {
    let server = MockServer::start().await;
    let backup = "28c7d4ba-5d8f-4b22-9a4b-8f4e1e6b2e22";
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/backups")))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(serde_json::json!({ "id": backup, "status": "requested" })),
        )
        .mount(&server)
        .await;
    let show = format!("/installs/{INSTALL}/backups/{backup}");
    Mock::given(method("GET"))
        .and(path(show.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": backup, "status": "initiated" })),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(show.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": backup, "status": "completed" })),
        )
        .mount(&server)
        .await;
    let body = serde_json::json!({ "description": "nightly", "notification_emails": [] });
    let out = wpe(&server, &["backup", "create", INSTALL, "--body", "-", "--wait"]).await;
    // No body on stdin: a usage error, nothing sent.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(server.received_requests().await.expect("recorded").is_empty());
    let file = std::env::temp_dir().join(format!("wpe-wait-{}.json", std::process::id()));
    std::fs::write(&file, body.to_string()).expect("writes");
    let file_arg = file.display().to_string();
    let out = wpe(&server, &["backup", "create", INSTALL, "--body", &file_arg, "--wait"]).await;
    let _ = std::fs::remove_file(&file);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(answer["status"], "completed");
    // The backup was made once and polled twice.
    assert_eq!(server.received_requests().await.expect("recorded").len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_are_printed_for_a_shell() {
    let server = MockServer::start().await;
    let out = wpe(&server, &["completions", "bash"]).await;
    assert!(out.status.success());
    let script = text(&out.stdout);
    assert!(script.contains("_wpe()") && script.contains("install"), "{script}");
    let out = wpe(&server, &["completions", "tcsh"]).await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flat_body_comes_from_its_field_flags() {
    let server = MockServer::start().await;
    let body =
        serde_json::json!({ "description": "nightly", "notification_emails": ["a@example.com", "b@example.com"] });
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/backups")))
        .and(body_json(&body))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(
                serde_json::json!({ "id": "28c7d4ba-5d8f-4b22-9a4b-8f4e1e6b2e22", "status": "requested" }),
            ),
        )
        .mount(&server)
        .await;
    let out = wpe(
        &server,
        &[
            "backup",
            "create",
            INSTALL,
            "--description",
            "nightly",
            "--notification-emails",
            "a@example.com",
            "--notification-emails",
            "b@example.com",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
    // A required field left out: a usage error naming it, nothing sent.
    let out = wpe(&server, &["backup", "create", INSTALL, "--description", "nightly"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("notification_emails"),
        "{}",
        text(&out.stderr)
    );
    // Neither the flags nor --body.
    let out = wpe(&server, &["backup", "create", INSTALL]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--body"), "{}", text(&out.stderr));
    // Both: clap refuses.
    let out = wpe(
        &server,
        &["backup", "create", INSTALL, "--description", "x", "--body", "-"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

/// A wiremock answer given only once the test says so: here, once the reader of `wpe`'s output
/// has gone away.
struct WhenTold {
    told: std::sync::Mutex<std::sync::mpsc::Receiver<()>>,
    answer: ResponseTemplate,
}

impl wiremock::Respond for WhenTold {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        if let Ok(told) = self.told.lock() {
            // Bounded, so a broken test ends rather than hangs.
            let _ = told.recv_timeout(std::time::Duration::from_secs(30));
        }
        self.answer.clone()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_that_goes_away_ends_the_output_quietly_and_the_paging() {
    use std::io::BufRead;
    let server = MockServer::start().await;
    let page = |ids: std::ops::Range<usize>, next: bool| {
        let results: Vec<_> = ids.map(install).collect();
        let next = next.then(|| format!("{}/installs?offset=later", server.uri()));
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "results": results, "next": next, "count": 6 }))
    };
    let (tell, told) = std::sync::mpsc::channel();
    Mock::given(method("GET"))
        .and(path("/installs"))
        .and(query_param("offset", "0"))
        .respond_with(page(0..2, true))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/installs"))
        .and(query_param("offset", "2"))
        .respond_with(WhenTold {
            told: std::sync::Mutex::new(told),
            answer: page(2..4, true),
        })
        .mount(&server)
        .await;
    // The third page is never asked for: the tool stops when nobody reads.
    Mock::given(method("GET"))
        .and(path("/installs"))
        .and(query_param("offset", "4"))
        .respond_with(page(4..6, false))
        .expect(0)
        .mount(&server)
        .await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_wpe"));
    command
        .args(["install", "list", "--limit", "2", "--all"])
        .env_clear()
        .env("WPENGINE_API_USERNAME", "user")
        .env("WPENGINE_API_PASSWORD", PASSWORD)
        .env("WPENGINE_API_URL", server.uri())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("wpe runs");
        let mut reader = std::io::BufReader::new(child.stdout.take().expect("piped"));
        let mut first = String::new();
        reader.read_line(&mut first).expect("the first line");
        // As `head -1` does: read one line, then go away; only then does the second page come.
        drop(reader);
        tell.send(()).expect("the server waits");
        let out = child.wait_with_output().expect("wpe ends");
        (first, out)
    })
    .await
    .expect("joins");
    let (first, out) = out;
    assert!(first.contains("site0"), "{first}");
    assert!(out.status.success(), "{:?}: {}", out.status, text(&out.stderr));
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
}

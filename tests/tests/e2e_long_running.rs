//! Waiting for backups and domain status reports: polls until the work is final, with
//! growing intervals, and stops at the deadline.

mod support;

use serde_json::json;
use std::time::Duration;
use support::{client, INSTALL};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::runtime::Error;
use wpengine_api::{types, PollPolicy};

const BACKUP: &str = "28c78b6d-c2da-4f09-85f5-1ad588089b2d";
const DOMAIN: &str = "e41fa98f-ffb5-4a1e-b8f5-6f1f3ed8ab27";
const REPORT: &str = "0b7f0ae6-6fb6-4c64-9a4e-0dbe5bdd8f2c";

fn fast(deadline: Duration) -> PollPolicy {
    PollPolicy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
        deadline,
    }
}

fn uuid(s: &str) -> uuid::Uuid {
    s.parse().expect("uuid")
}

/// Answers GET `at` with each body once, in order, then the last one for ever.
async fn sequence(server: &MockServer, at: &str, bodies: &[serde_json::Value]) {
    for (i, body) in bodies.iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path(at))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .with_priority(i as u8 + 1);
        let mock = if i + 1 < bodies.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

async fn gets(server: &MockServer) -> usize {
    let all = server.received_requests().await.expect("recorded");
    all.iter().filter(|r| r.method.as_str() == "GET").count()
}

#[tokio::test]
async fn backup_and_wait_polls_until_the_backup_completes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/backups")))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": BACKUP, "status": "requested" })))
        .expect(1)
        .mount(&server)
        .await;
    let at = format!("/installs/{INSTALL}/backups/{BACKUP}");
    sequence(
        &server,
        &at,
        &[
            json!({ "id": BACKUP, "status": "requested" }),
            json!({ "id": BACKUP, "status": "initiated" }),
            json!({ "id": BACKUP, "status": "completed" }),
        ],
    )
    .await;
    let request = types::CreateBackupRequest::new("nightly", vec!["ops@example.com".into()]);
    let done = client(&server)
        .backup_and_wait(uuid(INSTALL), request, &fast(Duration::from_secs(10)))
        .await
        .expect("completes");
    assert_eq!(done.status, Some(types::BackupStatus::Completed));
    assert_eq!(gets(&server).await, 3, "stopped at the first final state");
}

#[tokio::test]
async fn an_aborted_backup_ends_the_wait_too() {
    let server = MockServer::start().await;
    let at = format!("/installs/{INSTALL}/backups/{BACKUP}");
    sequence(&server, &at, &[json!({ "id": BACKUP, "status": "aborted" })]).await;
    let done = client(&server)
        .wait_for_backup(uuid(INSTALL), uuid(BACKUP), &fast(Duration::from_secs(10)))
        .await
        .expect("final");
    assert_eq!(done.status, Some(types::BackupStatus::Aborted));
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_the_last_state() {
    let server = MockServer::start().await;
    let at = format!("/installs/{INSTALL}/backups/{BACKUP}");
    sequence(&server, &at, &[json!({ "id": BACKUP, "status": "initiated" })]).await;
    let err = client(&server)
        .wait_for_backup(uuid(INSTALL), uuid(BACKUP), &fast(Duration::from_millis(100)))
        .await
        .expect_err("never finishes");
    match &err {
        Error::PollDeadline { last_state, .. } => assert!(last_state.contains("Initiated"), "{last_state}"),
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert!(err.to_string().contains("still not finished"), "{err}");
    assert!(gets(&server).await >= 1);
}

#[tokio::test]
async fn an_error_while_polling_ends_the_wait_with_that_error() {
    let server = MockServer::start().await;
    let err = client(&server)
        .wait_for_backup(uuid(INSTALL), uuid(BACKUP), &fast(Duration::from_secs(10)))
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn check_domain_and_wait_returns_the_complete_report() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/domains/{DOMAIN}/check_status")))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "report_id": REPORT })))
        .expect(1)
        .mount(&server)
        .await;
    let at = format!("/installs/{INSTALL}/domains/check_status/{REPORT}");
    sequence(
        &server,
        &at,
        &[
            json!({ "report": { "complete": false } }),
            json!({ "report": { "complete": true, "install_name": "torquemag", "domains": [] } }),
        ],
    )
    .await;
    let report = client(&server)
        .check_domain_and_wait(uuid(INSTALL), uuid(DOMAIN), &fast(Duration::from_secs(10)))
        .await
        .expect("completes");
    assert_eq!(report.complete, Some(true));
    assert_eq!(report.install_name.as_deref(), Some("torquemag"));
}

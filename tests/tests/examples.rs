//! The examples in generated-client/examples, run against a loopback server the way a user runs
//! them against `WPENGINE_API_URL`.

#![allow(dead_code)] // each example's `main` is not called here

#[path = "../../generated-client/examples/add_domain.rs"]
mod add_domain;
#[path = "../../generated-client/examples/backup_and_wait.rs"]
mod backup_and_wait;
#[path = "../../generated-client/examples/list_installs.rs"]
mod list_installs;
#[path = "../../generated-client/examples/purge_cache.rs"]
mod purge_cache;
#[path = "../../generated-client/examples/quickstart.rs"]
mod quickstart;

mod support;

use serde_json::json;
use std::time::Duration;
use support::{client, install_json as install, INSTALL};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::PollPolicy;

const DOMAIN: &str = "e41fa98f-ffb5-4a1e-b8f5-6f1f3ed8ab27";
const REPORT: &str = "0b7f0ae6-6fb6-4c64-9a4e-0dbe5bdd8f2c";

fn fast() -> PollPolicy {
    PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(10),
        deadline: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn list_installs_follows_every_page() {
    let server = MockServer::start().await;
    for (offset, names, next) in [("0", ["a", "b"], true), ("2", ["c", "d"], false)] {
        let next = next.then(|| format!("{}/installs?limit=100&offset=2", server.uri()));
        Mock::given(method("GET"))
            .and(path("/installs"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "results": names.iter().map(|n| install(n)).collect::<Vec<_>>(),
                "count": 4,
                "next": next,
            })))
            .mount(&server)
            .await;
    }
    let names = list_installs::run(&client(&server)).await.expect("lists");
    assert_eq!(names, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn backup_and_wait_ends_with_the_finished_backup() {
    let server = MockServer::start().await;
    let backup = "28c78b6d-c2da-4f09-85f5-1ad588089b2d";
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/backups")))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": backup, "status": "requested" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/installs/{INSTALL}/backups/{backup}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": backup, "status": "completed" })))
        .mount(&server)
        .await;
    let done = backup_and_wait::run(
        &client(&server),
        INSTALL.parse().expect("uuid"),
        "ops@example.com".into(),
        fast(),
    )
    .await
    .expect("finishes");
    assert_eq!(done.status, Some(wpengine_api::types::BackupStatus::Completed));
}

#[tokio::test]
async fn purge_cache_sends_type_all() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/purge_cache")))
        .and(body_json(json!({ "type": "all" })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    purge_cache::run(&client(&server), INSTALL.parse().expect("uuid"))
        .await
        .expect("purged");
}

#[tokio::test]
async fn add_domain_adds_then_reports() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/domains")))
        .and(body_json(json!({ "name": "example.com" })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": DOMAIN, "name": "example.com", "duplicate": false, "primary": false, "secure_all_urls": false
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/domains/{DOMAIN}/check_status")))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "report_id": REPORT })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/installs/{INSTALL}/domains/check_status/{REPORT}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "report": { "complete": true, "domains": [] } })),
        )
        .mount(&server)
        .await;
    let report = add_domain::run(
        &client(&server),
        INSTALL.parse().expect("uuid"),
        "example.com".into(),
        fast(),
    )
    .await
    .expect("reports");
    assert_eq!(report.complete, Some(true));
}

#[tokio::test]
async fn quickstart_runs() {
    let server = MockServer::start().await;
    Mock::given(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true })))
        .mount(&server)
        .await;
    Mock::given(path("/installs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": [install("a")], "next": null })))
        .mount(&server)
        .await;
    Mock::given(path(format!("/installs/{INSTALL}")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "message": "Not Found" })))
        .mount(&server)
        .await;
    quickstart::run(&client(&server)).await.expect("handles the 404");
}

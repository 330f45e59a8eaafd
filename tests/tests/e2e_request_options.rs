//! Timeouts, per-request overrides (timeout, retries, idempotency key, headers), the request
//! hook and the User-Agent, against a loopback server.

mod support;

use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{install, requests, INSTALL};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::runtime::reqwest::header::HeaderValue;
use wpengine_api::runtime::Error;
use wpengine_api::{types, Client, RequestOptions, RetryPolicy};

fn install_json() -> serde_json::Value {
    support::install_json("torquemag")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(20),
        max_total_delay: Duration::from_secs(5),
    }
}

/// A client of `server` that retries by [`fast_retries`].
fn retrying_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry(fast_retries())
        .build()
        .expect("builds")
}

async fn slow_server(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(install_json())
                .set_delay(delay),
        )
        .mount(&server)
        .await;
    server
}

fn assert_timed_out<T: std::fmt::Debug>(result: Result<T, wpengine_api::Error>) {
    match result {
        Err(Error::Transport(e)) if e.is_timeout() => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn the_client_timeout_fires_and_is_not_retried() {
    let server = slow_server(Duration::from_secs(3)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Some(Duration::from_millis(200)))
        .retry(fast_retries())
        .build()
        .expect("builds");
    let started = Instant::now();
    let result = client.get_install(install()).send().await;
    let elapsed = started.elapsed();
    assert_timed_out(result);
    assert!(elapsed < Duration::from_secs(2), "gave up after {elapsed:?}");
    // A timed-out request may have been processed; it is not replayed.
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_per_request_timeout_overrides_the_client_one() {
    let server = slow_server(Duration::from_millis(600)).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let short = RequestOptions::new().timeout(Duration::from_millis(100));
    assert_timed_out(client.get_install(install()).with_options(short).send().await);
    // Without the override the client's 30 s default lets the same request finish.
    let done = client.get_install(install()).send().await;
    assert!(done.is_ok(), "{done:?}");
}

#[tokio::test]
async fn a_per_request_retry_policy_overrides_the_client_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = retrying_client(&server);
    let once = RequestOptions::new().retry(RetryPolicy::disabled());
    let result = client.get_install(install()).with_options(once).send().await;
    assert_eq!(result.err().and_then(|e| e.status()), Some(503));
    assert_eq!(requests(&server).await.len(), 1);
    let result = client.get_install(install()).send().await;
    assert_eq!(result.err().and_then(|e| e.status()), Some(503));
    assert_eq!(requests(&server).await.len(), 1 + 3);
}

#[tokio::test]
async fn a_generated_idempotency_key_lets_a_post_be_retried_with_the_same_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "id": INSTALL, "status": "requested" })))
        .mount(&server)
        .await;
    let client = retrying_client(&server);
    let body = types::CreateBackupRequest::new("before upgrade", vec!["ops@example.com".into()]);
    let backup = client
        .create_backup(install(), body)
        .with_options(RequestOptions::new().generated_idempotency_key())
        .send()
        .await
        .expect("retried after the 503");
    assert_eq!(backup.status, Some(types::BackupStatus::Requested));
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    let keys: Vec<&str> = seen
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        })
        .collect();
    assert!(uuid::Uuid::parse_str(keys[0]).is_ok(), "a UUID key: {keys:?}");
    assert_eq!(keys[0], keys[1], "the same key on the replay");
}

#[tokio::test]
async fn option_headers_the_hook_and_the_user_agent_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-trace", "abc"))
        .and(header("x-from-hook", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json()))
        .mount(&server)
        .await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = Arc::clone(&seen);
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("hook-user", "hook-secret-pw")
        .on_request(move |request| {
            request
                .headers_mut()
                .insert("x-from-hook", HeaderValue::from_static("1"));
            let line = format!("{} {} {:?}", request.method(), request.url().path(), request.headers());
            log.lock().expect("lock").push(line);
        })
        .build()
        .expect("builds");
    let result = client
        .get_install(install())
        .with_options(RequestOptions::new().header("x-trace", "abc"))
        .send()
        .await;
    assert!(result.is_ok(), "{result:?}");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].starts_with(&format!("GET /installs/{INSTALL}")), "{seen:?}");
    // The hook sees the request with its credentials marked sensitive.
    assert!(!seen[0].contains("aG9vay11c2VyOmhvb2stc2VjcmV0LXB3"), "{seen:?}");
    assert!(seen[0].contains("Sensitive"), "{seen:?}");
    let request = &requests(&server).await[0];
    let agent = request.headers.get("user-agent").and_then(|v| v.to_str().ok());
    assert!(agent.is_some_and(|a| a.starts_with("wpengine-api/")), "{agent:?}");
}

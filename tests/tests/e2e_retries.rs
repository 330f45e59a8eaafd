//! Retries against a loopback server: backoff, `Retry-After`, giving up, which methods are
//! replayed, and dropped connections.

use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::{Client, Error, RetryPolicy};

const INSTALL: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";

fn fast(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
        max_total_delay: Duration::from_secs(5),
    }
}

fn client(uri: String, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(uri)
        .basic_auth("u", "p")
        .retry(policy)
        .build()
        .expect("builds")
}

fn install_json() -> serde_json::Value {
    json!({ "id": INSTALL, "name": "torquemag", "account": {}, "php_version": "8.2" })
}

/// GET /installs/{id} through a client with `policy`.
async fn get_install(uri: String, policy: RetryPolicy) -> Result<wpengine_api::types::Installation, Error> {
    client(uri, policy)
        .get_install(INSTALL.parse().expect("uuid"))
        .send()
        .await
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recorded").len()
}

#[tokio::test]
async fn waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json()))
        .mount(&server)
        .await;
    let started = Instant::now();
    let install = get_install(server.uri(), fast(3)).await.expect("retried");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "honoured Retry-After: {:?}",
        started.elapsed()
    );
    assert_eq!(install.name, "torquemag");
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let server = MockServer::start().await;
    let at = (chrono::Utc::now() + chrono::Duration::seconds(2))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", at.as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json()))
        .mount(&server)
        .await;
    let started = Instant::now();
    get_install(server.uri(), fast(2)).await.expect("retried");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for the date: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn gives_up_after_the_configured_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = get_install(server.uri(), fast(3)).await.expect_err("gives up");
    assert!(matches!(&err, Error::Api(e) if e.status() == 503), "{err:?}");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn persistent_429_is_rate_limited_with_the_last_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let err = get_install(server.uri(), fast(2)).await.expect_err("limited");
    match &err {
        Error::RateLimited {
            error,
            retry_after,
            attempts,
        } => {
            assert_eq!(
                (error.status(), *retry_after, *attempts),
                (429, Some(Duration::ZERO), 2)
            );
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.to_string().contains("after 2 attempt"), "{err}");
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = get_install(server.uri(), fast(5)).await.expect_err("limited");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(matches!(err, Error::RateLimited { attempts: 1, retry_after: Some(d), .. } if d.as_secs() == 3600));
}

#[tokio::test]
async fn post_is_not_replayed_on_503_without_an_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/purge_cache")))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let body = wpengine_api::types::PurgeCacheRequest::new(wpengine_api::types::PurgeCacheRequestType::All);
    let err = client(server.uri(), fast(4))
        .purge_cache(INSTALL.parse().expect("uuid"), body)
        .send()
        .await
        .expect_err("fails");
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        requests(&server).await,
        1,
        "a POST without an Idempotency-Key is sent once"
    );
}

#[tokio::test]
async fn post_with_an_idempotency_key_is_replayed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": 1, "kind": "cat" })))
        .mount(&server)
        .await;
    let client = features_client::Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .retry(features_client::runtime::RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(40),
            max_total_delay: Duration::from_secs(5),
        })
        .build()
        .expect("builds");
    let body = features_client::types::CreatePetRequest::new("Tom");
    let pet = client
        .create_pet(body)
        .idempotency_key("key-1")
        .send()
        .await
        .expect("replayed");
    assert_eq!(pet.id, 1);
    let sent = server.received_requests().await.expect("recorded");
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|r| r.headers.get("idempotency-key").map(|v| v.as_bytes()) == Some(&b"key-1"[..])));
    assert!(sent.iter().all(|r| r.body == sent[0].body), "the same body every time");
}

/// A server that accepts connections and closes them without answering.
async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (format!("http://{addr}"), accepted)
}

#[tokio::test]
async fn dropped_connections_are_retried_then_reported_as_transport_errors() {
    let (uri, accepted) = dropping_server().await;
    let err = get_install(uri, fast(3)).await.expect_err("dropped");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        3,
        "an idempotent request is retried on a dropped connection"
    );
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let err = get_install(server.uri(), RetryPolicy::disabled())
        .await
        .expect_err("fails");
    assert_eq!(err.status(), Some(502));
    assert_eq!(requests(&server).await, 1);
}

//! Retries the document declares for an operation, in other generators' vocabulary: they are
//! the operation's policy unless the application chose one, for the client or the request.

use features_client::runtime::{RequestOptions, RetryPolicy};
use features_client::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `route` with 503 `failures` times, then 200.
async fn flaky(route: &str, failures: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true })))
        .mount(&server)
        .await;
    server
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

fn status_of<T: std::fmt::Debug>(result: Result<T, Error>) -> Option<u16> {
    match result {
        Err(Error::Api(e)) => Some(e.status()),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_operation_declared_never_retried_is_sent_once() {
    let server = flaky("/flaky/never", 1).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    assert_eq!(status_of(client.flaky_never().send().await), Some(503));
    assert_eq!(attempts(&server).await, 1);
}

#[tokio::test]
async fn declared_waits_retry_the_operation_but_the_applications_choice_wins() {
    let server = flaky("/flaky/declared", 2).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let ok = client.flaky_declared().send().await.expect("retried to success");
    assert_eq!((ok.ok, attempts(&server).await), (Some(true), 3));

    // The application switched retries off for the client: the document's do not apply.
    let server = flaky("/flaky/declared", 2).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("builds");
    assert_eq!(status_of(client.flaky_declared().send().await), Some(503));
    assert_eq!(attempts(&server).await, 1);

    // Nor for one request.
    let server = flaky("/flaky/never", 1).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let policy = RetryPolicy {
        initial_backoff: std::time::Duration::from_millis(1),
        ..RetryPolicy::default()
    };
    let ok = client
        .flaky_never()
        .with_options(RequestOptions::new().retry(policy))
        .send()
        .await
        .expect("the request's policy retries it");
    assert_eq!((ok.ok, attempts(&server).await), (Some(true), 2));
}

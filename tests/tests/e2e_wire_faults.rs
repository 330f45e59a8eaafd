//! What the client does when the server does something a careful client must not take at face
//! value: redirects (to other origins, of requests that change things), compressed bodies,
//! bodies cut off mid-way, front ends that want a length on every POST.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::{client, headers_of, install, install_json, requests, INSTALL};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::types::CreateBackupRequest;
use wpengine_api::{Client, Error, RedirectPolicy, RetryPolicy};

fn backup_request() -> CreateBackupRequest {
    CreateBackupRequest::new("pre-deploy", vec!["me@example.com".into()])
}

/// A server that answers every request with `status` and a `Location` of `to`.
async fn redirecting(status: u16, to: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).insert_header("location", to))
        .mount(&server)
        .await;
    server
}

/// A server that records what reaches it and answers 202 with a backup.
async fn elsewhere() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(202).set_body_json(serde_json::json!({"id": INSTALL, "status": "requested"})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_post_redirected_elsewhere_is_neither_resent_nor_turned_into_a_get() {
    let other = elsewhere().await;
    for status in [307, 302, 303, 308, 301] {
        let target = format!("{}/backups?token=signed-secret", other.uri());
        let server = redirecting(status, &target).await;
        let err = client(&server)
            .create_backup(install(), backup_request())
            .send()
            .await
            .expect_err("a redirect is not success");
        let Error::Redirected { error, location } = &err else {
            panic!("HTTP {status}: expected Error::Redirected, got {err:?}");
        };
        assert_eq!(error.status(), status);
        assert_eq!(location.as_deref(), Some(target.as_str()));
        let text = err.to_string();
        assert!(
            text.contains("was redirected") && text.contains(&format!("{}/backups", other.uri())),
            "{text}"
        );
        assert!(
            !text.contains("signed-secret"),
            "the location's query is not printed: {text}"
        );
        assert!(
            !format!("{err:?}").contains("signed-secret"),
            "nor by Debug (`.unwrap()`, `{{:?}}` logging): {err:?}"
        );
        assert_eq!(requests(&server).await.len(), 1, "HTTP {status}: sent once");
    }
    assert!(requests(&other).await.is_empty(), "nothing reached the other origin");
}

#[tokio::test]
async fn a_get_follows_a_redirect_within_its_origin_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/installs/{INSTALL}")))
        .respond_with(ResponseTemplate::new(301).insert_header("location", format!("/v2/installs/{INSTALL}")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/installs/{INSTALL}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json("moved")))
        .mount(&server)
        .await;
    let moved = client(&server).get_install(install()).send().await.expect("followed");
    assert_eq!(moved.name, "moved");
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(
        headers_of(&seen[1], "authorization").len(),
        1,
        "same origin: credentials go along"
    );
    assert!(headers_of(&seen[1], "referer").is_empty());

    // The request hook sees every request sent, the redirected one too.
    let hooked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&hooked);
    let watched = Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "p")
        .on_request(move |request| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            request.headers_mut().insert(
                "x-hooked",
                wpengine_api::runtime::reqwest::header::HeaderValue::from_static("yes"),
            );
        })
        .build()
        .expect("builds");
    watched.get_install(install()).send().await.expect("followed");
    assert_eq!(hooked.load(std::sync::atomic::Ordering::SeqCst), 2, "both requests");
    let seen = requests(&server).await;
    assert_eq!(
        headers_of(&seen[3], "x-hooked"),
        ["yes"],
        "what the hook added went along"
    );

    // The same redirect is not followed when the client is told to follow none.
    let strict = Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "p")
        .redirects(RedirectPolicy::None)
        .build()
        .expect("builds");
    let err = strict.get_install(install()).send().await.expect_err("not followed");
    assert!(
        matches!(&err, Error::Redirected { error, .. } if error.status() == 301),
        "{err:?}"
    );

    // Nor one to another origin, and nothing is sent there.
    let other = elsewhere().await;
    let away = redirecting(302, &format!("{}/installs/{INSTALL}", other.uri())).await;
    let err = client(&away)
        .get_install(install())
        .send()
        .await
        .expect_err("not followed");
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    assert!(requests(&other).await.is_empty());
}

#[tokio::test]
async fn a_redirect_loop_ends_after_the_allowed_hops() {
    let server = redirecting(302, &format!("/installs/{INSTALL}")).await;
    let err = client(&server).get_install(install()).send().await.expect_err("loops");
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    assert_eq!(requests(&server).await.len(), 6, "the request and 5 redirects followed");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

#[tokio::test]
async fn compressed_answers_are_asked_for_and_decoded() {
    let server = MockServer::start().await;
    let body = serde_json::to_vec(&install_json("zipped")).expect("json");
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .insert_header("content-type", "application/json")
                .set_body_bytes(gzip(&body)),
        )
        .mount(&server)
        .await;
    let got = client(&server).get_install(install()).send().await.expect("decoded");
    assert_eq!(got.name, "zipped");
    let seen = requests(&server).await;
    let accepted = headers_of(&seen[0], "accept-encoding").join(", ");
    for coding in ["gzip", "deflate", "br"] {
        assert!(
            accepted.contains(coding),
            "{coding} missing from Accept-Encoding: {accepted}"
        );
    }
}

#[tokio::test]
async fn a_post_without_a_body_says_its_length_is_zero() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let _ = client(&server)
        .post_accounts_usage_refresh_disk_usage(install())
        .send()
        .await;
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(headers_of(&seen[0], "content-length"), ["0"]);
}

/// Serves `first` to the first connection and `then` to every later one, closing each.
async fn changing_server(first: Vec<u8>, then: Vec<u8>) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("address");
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let answer = if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                first.clone()
            } else {
                then.clone()
            };
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (format!("http://{addr}"), accepted)
}

fn http_200(body: &[u8], length: usize) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[tokio::test]
async fn a_get_whose_body_is_cut_off_is_retried() {
    let full = serde_json::to_vec(&install_json("whole")).expect("json");
    // The first answer announces the whole body, sends part of it and closes.
    let (uri, accepted) = changing_server(http_200(&full[..10], full.len()), http_200(&full, full.len())).await;
    let client = Client::builder()
        .base_url(uri)
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .expect("builds");
    let got = client
        .get_install(install())
        .send()
        .await
        .expect("the retry reads it whole");
    assert_eq!(got.name, "whole");
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn errors_say_how_many_attempts_were_made() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "p")
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .expect("builds");
    let err = client.get_install(install()).send().await.expect_err("503");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.attempts(), 3);
    assert!(err.to_string().contains("HTTP 503 after 3 attempts"), "{err}");
    assert!(format!("{err:?}").contains("attempts: 3"), "{err:?}");
}

/// An error's chain (its `Display`, then each `source()`) says each cause once, so a reporter
/// that prints them all (anyhow's `{:#}`) does not repeat itself; the refused connection is
/// still in the chain.
#[tokio::test]
async fn a_reporter_prints_each_cause_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let closed = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);
    let client = Client::builder()
        .base_url(closed)
        .basic_auth("u", "p")
        .retry(wpengine_api::RetryPolicy::disabled())
        .build()
        .expect("builds");
    let err = client.get_install(install()).send().await.expect_err("refused");
    let mut chain = vec![err.to_string()];
    let mut cause = std::error::Error::source(&err);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    for pair in chain.windows(2) {
        assert!(!pair[0].contains(&pair[1]), "a cause said twice: {chain:#?}");
    }
    assert!(chain[0].contains("could not connect"), "{chain:#?}");
    assert!(
        chain.iter().any(|c| c.to_lowercase().contains("connection refused")),
        "{chain:#?}"
    );
}

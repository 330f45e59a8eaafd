//! No credential appears in an error's `Display` or `Debug` or in tracing output, wherever the
//! document puts it: basic auth, a bearer token, an API key in a header, the query or a cookie;
//! and the tracing span of a request records what it should.
//!
//! Every test of this file logs into one global subscriber, installed once. A subscriber set
//! per test with `set_default` is only seen by its own thread, and tracing caches per call site
//! whether anyone listens: a call site first reached by another test at the same moment could
//! be cached as unheard, and this test would miss events by chance under load.

mod support;

use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use support::install;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::{Client, RetryPolicy};

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything logged so far by any test of this file.
fn log() -> String {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    let captured = CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        captured
    });
    String::from_utf8_lossy(&captured.0.lock().expect("lock")).into_owned()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn requests_are_traced_with_their_facts() {
    log();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "message": "Not Found" })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("trace-user", "pw-trace")
        .retry(fast_retries())
        .build()
        .expect("builds");
    client.get_install(install()).send().await.expect_err("404");
    // The span's closing line of this request: its install id is in no other test.
    let log = log();
    let line = log
        .lines()
        .find(|l| l.contains("close") && l.contains("status=404") && l.contains("operation_id=\"getInstall\""))
        .unwrap_or_else(|| panic!("no closed span for the request in:\n{log}"));
    for expected in [
        "method=\"GET\"",
        "path=\"/installs/{install_id}\"",
        "attempts=2",
        "duration_ms=",
    ] {
        assert!(line.contains(expected), "{expected} missing from:\n{line}");
    }
    assert!(log.contains("retrying"), "{log}");
}

/// A server that answers every request with a body cut short, then closes.
async fn cutting_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 99\r\n\r\n{\"a\":",
                    )
                    .await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

/// An address where nothing listens.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{addr}")
}

/// A server that answers 401 to everything.
async fn refusing_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "no"})))
        .mount(&server)
        .await;
    server
}

/// Asserts that `secret` is in no error text and nowhere in the log.
fn assert_hidden<E: std::fmt::Debug + std::fmt::Display>(placement: &str, secret: &str, err: &E) {
    for (what, text) in [("Display", err.to_string()), ("Debug", format!("{err:?}"))] {
        assert!(
            !text.contains(secret),
            "{placement}: the secret is in the error's {what}: {text}"
        );
    }
    assert!(!log().contains(secret), "{placement}: the secret is in the log");
}

#[tokio::test]
async fn no_credential_reaches_errors_or_logs_wherever_it_is_placed() {
    log();
    let refusing = refusing_server().await;
    for base in [closed_port().await, cutting_server().await, refusing.uri()] {
        // Basic and bearer, on the WP Engine client.
        let basic = Client::builder()
            .base_url(&base)
            .basic_auth("secret-user-1f", "secret-password-2c")
            .retry(fast_retries())
            .build()
            .expect("builds");
        let err = basic.get_install(install()).send().await.expect_err("fails");
        assert_hidden("basic", "secret-password-2c", &err);
        // base64("secret-user-1f:secret-password-2c")
        assert_hidden("basic", "c2VjcmV0LXVzZXItMWY6c2VjcmV0LXBhc3N3b3JkLTJj", &err);
        let bearer = Client::builder()
            .base_url(&base)
            .bearer_token("secret-token-3d")
            .retry(fast_retries())
            .build()
            .expect("builds");
        let err = bearer.get_install(install()).send().await.expect_err("fails");
        assert_hidden("bearer", "secret-token-3d", &err);

        // API keys in a header, the query string and a cookie, on the feature fixture's client.
        let keys = features_client::Client::builder()
            .base_url(&base)
            .api_key("secret-header-key-4e")
            .query_key("secret-query-key-5f")
            .session_api_key("secret-cookie-key-6a")
            .retry(features_client::runtime::RetryPolicy {
                max_attempts: 2,
                initial_backoff: Duration::from_millis(1),
                ..Default::default()
            })
            .build()
            .expect("builds");
        let err = keys.key_and_query_key().send().await.expect_err("fails");
        assert_hidden("header key", "secret-header-key-4e", &err);
        assert_hidden("query key", "secret-query-key-5f", &err);
        let err = keys.session_ping().send().await.expect_err("fails");
        assert_hidden("cookie key", "secret-cookie-key-6a", &err);
    }
}

/// An OAuth token endpoint that issues `access`/`refresh` to a client-credentials request,
/// refuses refresh tokens, and answers `broken` (a status and body) at `/broken`.
async fn token_endpoint() -> MockServer {
    use wiremock::matchers::{body_string_contains, path};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant", "error_description": "expired"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "oauth-access-secret-5e",
            "refresh_token": "oauth-refresh-secret-6f",
            "token_type": "bearer",
            "expires_in": 0
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>oauth-access-secret-5e</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/empty"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn oauth_secrets_and_tokens_stay_out_of_errors_and_logs_and_bad_answers_are_named() {
    log();
    let tokens = token_endpoint().await;
    let api = refusing_server().await;
    let oauth = features_client::Client::oauth()
        .client_id("oauth-client-7a")
        .client_secret("oauth-client-secret-8b")
        .token_url(format!("{}/token", tokens.uri()));
    let client = features_client::Client::builder()
        .base_url(api.uri())
        .oauth(oauth.clone().session())
        .retry(features_client::RetryPolicy::disabled())
        .build()
        .expect("builds");
    // The API refuses every token (401): renewed once, then the caller's to see.
    let err = client.list_scoped_pets().send().await.expect_err("401");
    for secret in [
        "oauth-client-secret-8b",
        "oauth-access-secret-5e",
        "oauth-refresh-secret-6f",
    ] {
        assert_hidden("oauth", secret, &err);
    }
    // base64("oauth-client-7a:oauth-client-secret-8b"), as the token requests sent it.
    assert_hidden("oauth", "b2F1dGgtY2xpZW50LTdhOm9hdXRoLWNsaWVudC1zZWNyZXQtOGI=", &err);

    // A refused refresh names the endpoint and the OAuth code, nothing secret.
    let refused = oauth
        .refresh("oauth-refresh-secret-6f")
        .await
        .expect_err("invalid_grant");
    assert_eq!(refused.code(), Some("invalid_grant"));
    assert!(
        refused.to_string().contains(&format!("{}/token", tokens.uri())),
        "{refused}"
    );
    assert_hidden("refresh", "oauth-refresh-secret-6f", &refused);

    // Answers that are not token responses, and no answer at all, are typed errors naming the
    // endpoint; the body (which may hold a token) is not quoted.
    for (place, reason) in [("/html", "not a JSON object"), ("/empty", "not a JSON object")] {
        let url = format!("{}{place}", tokens.uri());
        let e = oauth
            .clone()
            .token_url(&url)
            .client_credentials()
            .await
            .expect_err("malformed");
        assert!(matches!(e, features_client::OAuthError::Malformed { .. }), "{e:?}");
        assert!(e.to_string().contains(&url) && e.to_string().contains(reason), "{e}");
        assert_hidden(place, "oauth-access-secret-5e", &e);
    }
    let nowhere = format!("{}/token", closed_port().await);
    let e = oauth
        .clone()
        .token_url(&nowhere)
        .client_credentials()
        .await
        .expect_err("no answer");
    assert!(matches!(e, features_client::OAuthError::Transport { .. }), "{e:?}");
    assert!(
        e.to_string().contains("could not be reached") && e.to_string().contains(&nowhere),
        "{e}"
    );
    assert_hidden("transport", "oauth-client-secret-8b", &e);
}

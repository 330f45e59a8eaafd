//! Authentication kinds against a loopback server, and secrets kept out of builders' and
//! clients' `Debug` (errors and tracing output: `e2e_secrets.rs`).

mod support;

use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::{install, requests};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::runtime::{BoxError, Error};
use wpengine_api::{Client, TokenProvider};

const PASSWORD: &str = "pw-7f3a9c-very-secret";
const TOKEN: &str = "tok-51be0d-very-secret";

fn install_json() -> serde_json::Value {
    support::install_json("torquemag")
}

/// Hands out `token-0`, `token-1`, ...: a new one after each invalidation.
#[derive(Default)]
struct Rotating {
    generation: AtomicUsize,
    asked: AtomicUsize,
}

impl TokenProvider for Rotating {
    fn token(&self) -> futures::future::BoxFuture<'_, Result<String, BoxError>> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let generation = self.generation.load(Ordering::SeqCst);
        Box::pin(async move { Ok(format!("token-{generation}")) })
    }

    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }
}

struct Failing;

impl TokenProvider for Failing {
    fn token(&self) -> futures::future::BoxFuture<'_, Result<String, BoxError>> {
        Box::pin(async { Err(BoxError::from("the identity provider is down")) })
    }
}

#[tokio::test]
async fn a_token_provider_is_asked_per_request_and_refreshed_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "message": "expired" })))
        .mount(&server)
        .await;
    let provider = Arc::new(Rotating::default());
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(Shared(Arc::clone(&provider)))
        .build()
        .expect("builds");
    let found = client
        .get_install(install())
        .send()
        .await
        .expect("refreshed and retried");
    assert_eq!(found.name, "torquemag");
    let seen = requests(&server).await;
    let auth: Vec<_> = seen.iter().map(|r| r.headers.get("authorization").cloned()).collect();
    assert_eq!(auth.len(), 2, "{auth:?}");
    assert_eq!(provider.generation.load(Ordering::SeqCst), 1);

    // A second 401 after the refresh is the caller's to see, not a loop.
    provider.generation.store(5, Ordering::SeqCst);
    let err = client.get_install(install()).send().await.expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(requests(&server).await.len(), 2 + 2);
}

/// Lets the test keep a handle on the provider it gave away.
struct Shared(Arc<Rotating>);

impl TokenProvider for Shared {
    fn token(&self) -> futures::future::BoxFuture<'_, Result<String, BoxError>> {
        self.0.token()
    }
    fn invalidate(&self) {
        self.0.invalidate();
    }
}

#[tokio::test]
async fn a_failing_token_provider_sends_nothing() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(Failing)
        .build()
        .expect("builds");
    let err = client.get_install(install()).send().await.expect_err("no token");
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("the identity provider is down"), "{err}");
    assert!(requests(&server).await.is_empty());
    // Operations that need no credentials do not ask for a token.
    Mock::given(path("/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "success": true })))
        .mount(&server)
        .await;
    assert!(client.status().send().await.is_ok());
}

#[tokio::test]
async fn a_bearer_token_is_sent_where_the_document_declares_basic_auth() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(install_json()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .build()
        .expect("builds");
    assert!(client.get_install(install()).send().await.is_ok());
    let seen = requests(&server).await;
    assert_eq!(seen[0].headers.get_all("authorization").iter().count(), 1);
}

#[test]
fn builders_and_clients_do_not_show_secrets() {
    let builder = Client::builder()
        .basic_auth("someone", PASSWORD)
        .bearer_token(TOKEN)
        .api_key_for("ApiKeyAuth", "key-2b7e-very-secret");
    let client = builder.clone().build().expect("builds");
    let with_provider = builder.clone().token_provider(Failing);
    for text in [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{with_provider:?}"),
    ] {
        assert!(text.contains("someone"), "{text}");
        for secret in [PASSWORD, TOKEN, "key-2b7e-very-secret"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

//! Credentials sent as the document declares them, and only there (the feature fixture): a key
//! declared in the `Authorization` header goes as it is given, a scheme an API gateway signs
//! is signed with SigV4 (again on each retry), and a credential the operation does not declare
//! is not sent unless the application asks for the fallback.

mod support;

use features_client::{AwsCredentials, Client, Error, RetryPolicy};
use std::time::Duration;
use support::{headers_of, requests};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        max_total_delay: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn a_key_declared_in_the_authorization_header_is_sent_verbatim() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/keys/raw"))
        .and(header("authorization", "Key abc-123"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .raw_key("Key abc-123")
        .bearer_token("not-this")
        .build()
        .expect("builds");
    client.raw_key_ping().send().await.expect("sent with the key as it is");
}

#[tokio::test]
async fn a_gateway_scheme_is_signed_with_sigv4_and_signed_again_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signed"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/signed"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let credentials = AwsCredentials::new("AKIDEXAMPLE", "sigv4-secret-key")
        .session_token("sigv4-session")
        .region("eu-west-1");
    let client = Client::builder()
        .base_url(server.uri())
        .aws_credentials(credentials)
        .retry(quick_retries())
        .build()
        .expect("builds");
    let entry = features_client::types::Entry::new("e1");
    // POST is replayed on 503 only with an idempotency key.
    client
        .signed_post(entry)
        .with_options(features_client::RequestOptions::new().idempotency_key("k1"))
        .send()
        .await
        .expect("signed, retried, answered");
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    for request in &seen {
        let authorization = headers_of(request, "authorization").join("");
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                && authorization.contains("/eu-west-1/execute-api/aws4_request")
                && authorization.contains("SignedHeaders=")
                && authorization.contains("x-amz-date")
                && authorization.contains("Signature="),
            "{authorization}"
        );
        assert_eq!(headers_of(request, "x-amz-date").len(), 1);
        assert_eq!(headers_of(request, "x-amz-security-token"), ["sigv4-session"]);
        assert!(!authorization.contains("sigv4-secret-key"));
    }
}

#[tokio::test]
async fn a_credential_goes_only_where_declared_unless_the_fallback_is_asked_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    // `keyAndQueryKey` takes two API keys together; the client holds a bearer token.
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("bearer-elsewhere")
        .build()
        .expect("builds");
    let refused = client.key_and_query_key().send().await.expect_err("401");
    assert!(matches!(&refused, Error::Api(e) if e.status() == 401));
    assert!(
        refused.to_string().contains("requires `apiKey` and `queryKey`"),
        "{refused}"
    );
    assert_eq!(
        headers_of(&requests(&server).await[0], "authorization"),
        Vec::<String>::new()
    );

    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("bearer-elsewhere")
        .fallback_credentials(true)
        .build()
        .expect("builds");
    let _ = client.key_and_query_key().send().await;
    assert_eq!(
        headers_of(&requests(&server).await[1], "authorization"),
        ["Bearer bearer-elsewhere"]
    );
}

/// The feature fixture's OAuth client from the environment: the client id and secret make a
/// client-credentials session, whose token URL (`/oauth/token` in the document) is taken from
/// the base URL the environment gives.
#[tokio::test]
async fn client_credentials_come_from_the_environment_and_a_relative_token_url_from_the_base_url() {
    use wiremock::matchers::body_string_contains;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        // HTTP basic of `env-client:env-secret`.
        .and(header("authorization", "Basic ZW52LWNsaWVudDplbnYtc2VjcmV0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "env-access", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/scoped/pets"))
        .and(header("authorization", "Bearer env-access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(2)
        .mount(&server)
        .await;
    std::env::set_var("FEATURES_CLIENT_ID", "env-client");
    std::env::set_var("FEATURES_CLIENT_SECRET", "env-secret");
    std::env::set_var("FEATURES_URL", server.uri());
    let client = Client::from_env().expect("configured from the environment");
    for _ in 0..2 {
        client.list_scoped_pets().send().await.expect("the pets");
    }
    // A secret without its client id names the variable to add.
    std::env::remove_var("FEATURES_CLIENT_ID");
    let error = Client::from_env().expect_err("no client id").to_string();
    assert!(
        error.contains("FEATURES_CLIENT_SECRET is set, so set FEATURES_CLIENT_ID too"),
        "{error}"
    );
    // So does an AWS access key without its secret.
    std::env::remove_var("FEATURES_CLIENT_SECRET");
    std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    let error = Client::from_env().expect_err("no secret key").to_string();
    assert!(
        error.contains("AWS_ACCESS_KEY_ID is set, so set AWS_SECRET_ACCESS_KEY too"),
        "{error}"
    );
    for var in ["AWS_ACCESS_KEY_ID", "FEATURES_URL"] {
        std::env::remove_var(var);
    }
}

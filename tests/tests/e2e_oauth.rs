//! OAuth 2.0 from the document, end to end against a real OAuth 2.0 server on loopback
//! (`oauth_support`): the client-credentials token fetched once for many concurrent calls and
//! renewed when it is due, the authorization-code flow with PKCE and `state`, refresh with
//! rotated refresh tokens kept in a store, the password grant, revocation, a rejected token
//! renewed once, and a refused refresh reported with its OAuth error and no secret.

mod oauth_support;
mod support;

use oauth_support::{agree, param, OAuthServer};
use serde_json::json;
use support::{headers_of, requests};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An API that answers the features fixture's scoped list to any bearer token.
async fn pets_api() -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/scoped/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "p1"}])))
        .mount(&api)
        .await;
    api
}

/// A client of the features fixture at `api` whose tokens come from `oauth` by the client
/// credentials grant.
fn pets_client(api: &MockServer, oauth: &OAuthServer) -> features_client::Client {
    let session = features_client::Client::oauth()
        .client_id("pets-app")
        .client_secret("pets-secret")
        .token_url(oauth.at("/token"))
        .session();
    features_client::Client::builder()
        .base_url(api.uri())
        .no_rate_limits()
        .oauth(session)
        .build()
        .expect("builds")
}

fn bearer_tokens(seen: &[wiremock::Request]) -> Vec<String> {
    seen.iter().flat_map(|r| headers_of(r, "authorization")).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_credentials_token_is_fetched_once_for_all_clones_and_concurrent_calls() {
    let oauth = OAuthServer::start(&[]);
    let api = pets_api().await;
    let client = pets_client(&api, &oauth);
    let calls = (0..12).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_scoped_pets().send().await.map(|pets| pets.len()) })
    });
    for call in futures::future::join_all(calls).await {
        assert_eq!(call.expect("joins").expect("the pets"), 1);
    }
    // One fetch, with HTTP basic client authentication and the scopes the operations require.
    assert_eq!(
        oauth.events(),
        ["token client_credentials basic pets:read pets:write"],
        "one token for every call"
    );
    let tokens = bearer_tokens(&requests(&api).await);
    assert_eq!(tokens.len(), 12);
    assert!(
        tokens.iter().all(|t| t.starts_with("Bearer ey") && *t == tokens[0]),
        "{tokens:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_that_is_due_is_renewed_before_the_call_and_a_rejected_one_once() {
    // Tokens that expire at once are renewed before every call.
    let oauth = OAuthServer::start(&[("OAUTH_TEST_EXPIRES_IN", "0")]);
    let api = pets_api().await;
    let client = pets_client(&api, &oauth);
    client.list_scoped_pets().send().await.expect("first");
    client.list_scoped_pets().send().await.expect("second");
    assert_eq!(oauth.count("token client_credentials"), 2);

    // The API rejects the first token: it is renewed, and the call sent once more; a second
    // rejection is the caller's to see.
    let oauth = OAuthServer::start(&[]);
    let api = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&api)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .mount(&api)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    let client = pets_client(&api, &oauth);
    client
        .delete_scoped_pets()
        .send()
        .await
        .expect("renewed and sent again");
    assert_eq!(bearer_tokens(&requests(&api).await).len(), 2);
    // (The server may sign the same token twice within a second: count its requests.)
    assert_eq!(oauth.count("token client_credentials"), 2, "renewed once");
    let refused = client
        .delete_scoped_pets()
        .send()
        .await
        .expect_err("401 twice")
        .to_string();
    assert!(
        refused.contains("requires `oauth` with scope `pets:write`, or `apiKey`")
            && refused.contains("The token is missing or expired"),
        "{refused}"
    );
    assert_eq!(requests(&api).await.len(), 4, "one renewal per call, no loop");
    assert_eq!(oauth.count("token client_credentials"), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_authorization_code_flow_with_pkce_signs_in_refreshes_with_rotation_and_revokes() {
    let oauth_server = OAuthServer::start(&[]);
    let oauth = seed_bearer_idempotency::Client::oauth()
        .client_id("wp-admin-app")
        .redirect_uri("http://127.0.0.1:9/callback")
        .authorization_url(oauth_server.at("/authorize"))
        .token_url(oauth_server.at("/token"))
        .revocation_url(oauth_server.at("/revoke"));
    let started = oauth.authorize().expect("an authorization URL");
    let url = reqwest::Url::parse(started.url()).expect("a URL");
    assert_eq!(param(&url, "code_challenge_method"), "S256");
    assert_eq!(param(&url, "state"), started.state());
    let back = agree(started.url()).await;
    let (code, state) = (param(&back, "code"), param(&back, "state"));

    // A state that is not the one sent is refused before anything is sent.
    let forged = oauth.exchange(&started, &code, "forged").await.expect_err("refused");
    assert!(
        matches!(forged, seed_bearer_idempotency::OAuthError::StateMismatch),
        "{forged}"
    );
    assert_eq!(oauth_server.count("token"), 0);

    // The server checks the PKCE verifier against the S256 challenge, then issues tokens.
    let tokens = oauth.exchange(&started, &code, &state).await.expect("tokens");
    let first_refresh = tokens.refresh_token().expect("a refresh token").to_owned();
    assert!(!format!("{tokens:?}").contains(&first_refresh));
    // The code was used: the server refuses it again, and the error says so without secrets.
    let again = oauth.exchange(&started, &code, &state).await.expect_err("a used code");
    let text = again.to_string();
    assert!(text.contains("/token") && text.contains("invalid_request"), "{text}");
    assert!(!text.contains(&code));

    // A session keeps the tokens in a file; the API's 401 makes it refresh, and the rotated
    // refresh token is what the file holds then.
    let file = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-oauth-tokens.json");
    let _ = std::fs::remove_file(&file);
    let store = seed_bearer_idempotency::FileTokenStore::new(&file);
    let session = oauth.clone().session_with(tokens).store(store.clone());
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(header("x-wp-version", "6.4"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s1"})))
        .mount(&api)
        .await;
    let client = seed_bearer_idempotency::Client::builder()
        .base_url(api.uri())
        .oauth(session.clone())
        .build()
        .expect("builds");
    client
        .get_site("s1")
        .x_wp_version("6.4")
        .send()
        .await
        .expect("refreshed");
    assert_eq!(
        oauth_server.count("token refresh_token none"),
        1,
        "{:?}",
        oauth_server.events()
    );
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("saved")).expect("JSON");
    let rotated = kept["refresh_token"].as_str().expect("a refresh token");
    assert_ne!(rotated, first_refresh, "the rotated refresh token is kept");

    // Signing out revokes the refresh token, then the access token, and empties the store.
    session.revoke().await.expect("revoked");
    let revoked = oauth_server.wait_for("revoke", 2);
    assert_eq!(revoked, ["revoke refresh_token none", "revoke access_token none"]);
    assert!(!file.exists(), "the store is cleared");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_password_grant_and_a_refused_refresh_report_the_oauth_error_without_secrets() {
    let oauth_server = OAuthServer::start(&[("OAUTH_TEST_REFUSE", "refresh_token")]);
    let oauth = features_client::Client::oauth()
        .client_id("pets-app")
        .client_secret("pets-secret")
        .client_auth(features_client::runtime::ClientAuth::RequestBody)
        .token_url(oauth_server.at("/token"));
    let tokens = oauth.password("joe", "joe-password-123").await.expect("tokens");
    assert_eq!(oauth_server.events(), ["token password body pets:read pets:write"]);
    let refresh = tokens.refresh_token().expect("a refresh token").to_owned();
    let refused = oauth.refresh(&refresh).await.expect_err("refused");
    assert_eq!(refused.code(), Some("invalid_grant"));
    let text = refused.to_string();
    assert!(
        text.contains(&oauth_server.at("/token")) && text.contains("`invalid_grant`"),
        "{text}"
    );
    for secret in [refresh.as_str(), "pets-secret", "joe-password-123"] {
        assert!(!text.contains(secret) && !format!("{refused:?}").contains(secret));
    }

    // Through a client of a public OAuth client (no secret, so nothing to fall back on): the
    // call fails with `Error::Auth` and nothing is sent to the API; the next call asks the
    // server again, once (no endless retry).
    let public = features_client::Client::oauth()
        .client_id("pets-app")
        .token_url(oauth_server.at("/token"));
    let api = pets_api().await;
    let client = features_client::Client::builder()
        .base_url(api.uri())
        .oauth(public.session_from_refresh_token(refresh))
        .build()
        .expect("builds");
    for _ in 0..2 {
        let error = client.list_scoped_pets().send().await.expect_err("no token");
        assert!(matches!(error, features_client::Error::Auth(_)), "{error}");
        assert!(error.to_string().contains("invalid_grant"), "{error}");
    }
    assert!(requests(&api).await.is_empty());
    assert_eq!(oauth_server.count("token refresh_token"), 3);
}

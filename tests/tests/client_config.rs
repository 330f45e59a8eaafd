//! Client configuration from the environment. Each test uses its own variable prefix, so the
//! tests do not race on shared variables.

use wpengine_api::ClientBuilder;

#[test]
fn missing_variables_are_named() {
    let err = ClientBuilder::new("https://example.com")
        .credentials_from_env("WPAPI_TEST_NONE")
        .expect_err("nothing set");
    assert!(err.to_string().contains("WPAPI_TEST_NONE_USERNAME"), "{err}");

    std::env::set_var("WPAPI_TEST_HALF_USERNAME", "joe");
    let err = ClientBuilder::new("https://example.com")
        .credentials_from_env("WPAPI_TEST_HALF")
        .expect_err("no password");
    assert!(err.to_string().contains("WPAPI_TEST_HALF_PASSWORD"), "{err}");
}

#[test]
fn basic_auth_and_url_come_from_the_environment_without_leaking() {
    std::env::set_var("WPAPI_TEST_BASIC_USERNAME", "joe");
    std::env::set_var("WPAPI_TEST_BASIC_PASSWORD", "env-secret-pw");
    std::env::set_var("WPAPI_TEST_BASIC_URL", "http://127.0.0.1:9/v1/");
    let client = ClientBuilder::new("https://example.com")
        .credentials_from_env("WPAPI_TEST_BASIC")
        .expect("configured")
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");
    let shown = format!("{client:?}");
    assert!(shown.contains("joe") && !shown.contains("env-secret-pw"), "{shown}");
}

#[test]
fn a_token_wins_over_basic_auth() {
    std::env::set_var("WPAPI_TEST_TOKEN_TOKEN", "tok-secret");
    let builder = ClientBuilder::new("https://example.com")
        .credentials_from_env("WPAPI_TEST_TOKEN")
        .expect("configured");
    let shown = format!("{builder:?}");
    assert!(shown.contains("bearer") && !shown.contains("tok-secret"), "{shown}");
}

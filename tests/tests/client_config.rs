//! WP Engine's client configured from the environment (`Client::from_env`, generated from the
//! document's schemes), with the variables it has always read. The variables are the process's
//! own, so one test goes through every case in turn.

use wpengine_api::{Client, ClientBuilder};

const VARS: [&str; 4] = [
    "WPENGINE_API_USERNAME",
    "WPENGINE_API_PASSWORD",
    "WPENGINE_API_TOKEN",
    "WPENGINE_API_URL",
];

fn only(set: &[(&str, &str)]) {
    for var in VARS {
        std::env::remove_var(var);
    }
    for (var, value) in set {
        std::env::set_var(var, value);
    }
}

#[test]
fn wpengine_reads_its_variables_names_the_missing_ones_and_shows_no_secret() {
    only(&[]);
    let err = Client::from_env().expect_err("nothing set");
    let message = err.to_string();
    for var in ["WPENGINE_API_USERNAME", "WPENGINE_API_PASSWORD", "WPENGINE_API_TOKEN"] {
        assert!(message.contains(var), "{message}");
    }

    only(&[("WPENGINE_API_USERNAME", "joe")]);
    let err = Client::from_env().expect_err("no password");
    assert!(err.to_string().contains("WPENGINE_API_PASSWORD"), "{err}");

    only(&[
        ("WPENGINE_API_USERNAME", "joe"),
        ("WPENGINE_API_PASSWORD", "env-secret-pw"),
        ("WPENGINE_API_URL", "http://127.0.0.1:9/v1/"),
    ]);
    let client = Client::from_env().expect("configured");
    assert_eq!(client.base_url(), "http://127.0.0.1:9/v1");
    let shown = format!("{client:?}");
    assert!(shown.contains("joe") && !shown.contains("env-secret-pw"), "{shown}");

    only(&[("WPENGINE_API_TOKEN", "tok-secret")]);
    let builder: ClientBuilder = Client::builder().from_env().expect("configured");
    let shown = format!("{builder:?}");
    assert!(shown.contains("bearer") && !shown.contains("tok-secret"), "{shown}");
    only(&[]);
}

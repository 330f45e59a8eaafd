//! The three seed APIs signed in as a new user would: with only the environment variables the
//! generated README names, from Rust (`Client::from_env`) and from each generated tool, against
//! a loopback server that checks the credential arrives as the API's guide says, and nothing
//! else does.

mod support;

use serde_json::json;
use std::process::{Command, Output};
use support::{headers_of, requests};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The variables a seed's generated README lists, from its document and env prefix.
fn readme_variables(fixture: &str, prefix: &str) -> String {
    let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/seeds")
        .join(fixture);
    let bytes = std::fs::read(&spec).expect("the fixture");
    let model = openapi_crate_gen_core::Document::read(fixture, &bytes)
        .and_then(openapi_crate_gen_core::Document::model)
        .and_then(|m| {
            m.with_settings(openapi_crate_gen_core::ClientSettings {
                env_prefix: Some(prefix.to_owned()),
                ..openapi_crate_gen_core::ClientSettings::default()
            })
        })
        .expect("models");
    let files = model
        .crate_files(&openapi_crate_gen_core::CrateOptions::default())
        .expect("generates");
    files
        .into_iter()
        .find(|f| f.path == "README.md")
        .expect("a README")
        .contents
}

/// Runs a generated tool with nothing in its environment but `vars`.
async fn tool(bin: &str, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(bin);
    command.args(args).env_clear().envs(vars.iter().copied());
    tokio::task::spawn_blocking(move || command.output().expect("runs"))
        .await
        .expect("joins")
}

/// A file holding `{}`, the empty body of the RPC calls.
fn empty_body() -> String {
    let path = std::env::temp_dir().join(format!("seed-empty-body-{}.json", std::process::id()));
    std::fs::write(&path, "{}").expect("writes");
    path.display().to_string()
}

/// `wp-engine-rpc server-ping` with `vars` and the empty body.
async fn ping_with_tool(vars: &[(&str, &str)]) -> Output {
    let body = empty_body();
    tool(
        env!("CARGO_BIN_EXE_wp-engine-rpc"),
        vars,
        &["server-ping", "--body", &body],
    )
    .await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// No request carried an `Authorization` header.
async fn no_authorization(server: &MockServer) {
    for request in requests(server).await {
        assert_eq!(
            headers_of(&request, "authorization"),
            Vec::<String>::new(),
            "{request:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rpc_api_keys_reach_x_api_key_from_the_environment_in_rust_and_in_the_tool() {
    let readme = readme_variables("rpc-api-keys.yaml", "WP_ENGINE");
    assert!(
        readme.contains("`WP_ENGINE_API_KEY`") && readme.contains("`WP_ENGINE_URL`"),
        "{readme}"
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/server/ping"))
        .and(header("x-api-key", "wpe-key-env"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(2)
        .mount(&server)
        .await;
    std::env::set_var("WP_ENGINE_API_KEY", "wpe-key-env");
    std::env::set_var("WP_ENGINE_URL", server.uri());
    let client = seed_rpc_api_keys::Client::from_env().expect("configured from the environment");
    let pong = client.server_ping(json!({})).send().await.expect("pings");
    assert_eq!(pong.ok, Some(true));
    assert!(!format!("{client:?}").contains("wpe-key-env"));

    let out = ping_with_tool(&[("WP_ENGINE_API_KEY", "wpe-key-env"), ("WP_ENGINE_URL", &server.uri())]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "{\"ok\":true}\n");
    no_authorization(&server).await;
    let help = tool(env!("CARGO_BIN_EXE_wp-engine-rpc"), &[], &["--help"]).await;
    assert!(
        text(&help.stdout).contains("WP_ENGINE_API_KEY"),
        "{}",
        text(&help.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_its_key_or_with_a_token_instead_the_rpc_api_refuses_and_says_what_it_needs() {
    // The tool without the key: the 401 says which credential the operation needs.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "no key"})))
        .mount(&server)
        .await;
    let out = ping_with_tool(&[("WP_ENGINE_URL", &server.uri())]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("this operation requires `apiKey`"), "{stderr}");
    no_authorization(&server).await;

    // A bearer token is not sent where the document declares an API key.
    let client = seed_rpc_api_keys::Client::builder()
        .base_url(server.uri())
        .bearer_token("not-for-this-api")
        .build()
        .expect("builds");
    let refused = client.server_ping(json!({})).send().await.expect_err("401");
    assert_eq!(refused.status(), Some(401));
    no_authorization(&server).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wpadmin_bearer_keys_come_from_the_environment_in_rust_and_in_the_tool() {
    let readme = readme_variables("bearer-idempotency.yaml", "WPADMIN");
    for var in ["WPADMIN_TOKEN", "WPADMIN_CLIENT_ID", "WPADMIN_URL"] {
        assert!(readme.contains(&format!("`{var}`")), "{var}: {readme}");
    }
    // Nothing set: the error says every way to give the client its credentials.
    let none = seed_bearer_idempotency::Client::from_env()
        .expect_err("no credentials")
        .to_string();
    assert!(
        none.contains("set WPADMIN_TOKEN, or WPADMIN_CLIENT_ID and WPADMIN_REFRESH_TOKEN"),
        "{none}"
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sites/s1"))
        .and(header("authorization", "Bearer wp_live_sk_env"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s1", "name": "blog"})))
        .expect(2)
        .mount(&server)
        .await;
    std::env::set_var("WPADMIN_TOKEN", "wp_live_sk_env");
    std::env::set_var("WPADMIN_URL", server.uri());
    let client = seed_bearer_idempotency::Client::from_env().expect("configured");
    let site = client.get_site("s1").send().await.expect("the site");
    assert_eq!(site.name.as_deref(), Some("blog"));

    let vars = [("WPADMIN_TOKEN", "wp_live_sk_env"), ("WPADMIN_URL", &server.uri())];
    let out = tool(env!("CARGO_BIN_EXE_wpadmin"), &vars, &["get-site", "s1"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("wp_live_sk_env"));
    let help = text(&tool(env!("CARGO_BIN_EXE_wpadmin"), &[], &["--help"]).await.stdout);
    for var in ["WPADMIN_TOKEN", "WPADMIN_CLIENT_ID", "WPADMIN_REFRESH_TOKEN"] {
        assert!(help.contains(var), "{var}: {help}");
    }
    assert!(help.contains("auth"), "the API lets a user sign in: {help}");
}

#[tokio::test(flavor = "multi_thread")]
async fn mainwp_keys_come_from_the_environment_and_a_403_says_what_the_document_says_it_means() {
    let readme = readme_variables("read-write-delete.yaml", "MAINWP");
    assert!(readme.contains("`MAINWP_TOKEN`"), "{readme}");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sites"))
        .and(header("authorization", "Bearer mainwp-read-only"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "url": "https://a.example"}])))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/sites/1"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    std::env::set_var("MAINWP_TOKEN", "mainwp-read-only");
    std::env::set_var("MAINWP_URL", server.uri());
    let client = seed_read_write_delete::Client::from_env().expect("configured");
    assert_eq!(client.list_sites().send().await.expect("sites").len(), 1);
    let refused = client.delete_site(1).send().await.expect_err("403").to_string();
    assert!(
        refused.contains("The key lacks the Delete permission") && refused.contains("`bearer`"),
        "{refused}"
    );
    assert!(!refused.contains("mainwp-read-only"));

    let vars = [("MAINWP_TOKEN", "mainwp-read-only"), ("MAINWP_URL", &server.uri())];
    let out = tool(env!("CARGO_BIN_EXE_mainwp"), &vars, &["delete-site", "1"]).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("The key lacks the Delete permission"),
        "{}",
        text(&out.stderr)
    );
    let out = tool(env!("CARGO_BIN_EXE_mainwp"), &vars, &["list-sites"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
}

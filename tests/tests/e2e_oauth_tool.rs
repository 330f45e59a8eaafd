//! The generated tool signs a user in as the issue's user would: `wpadmin auth login` prints the
//! authorization URL and waits on a loopback port; a browser (here, a client that follows the
//! real OAuth server's redirect) comes back with the code; the tokens land in a file only the
//! user can read; calls use and refresh them; `auth status` says what is held without a token;
//! `auth logout` revokes them. Only the variables the README names are set.

mod oauth_support;

use oauth_support::{agree, OAuthServer};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOOL: &str = env!("CARGO_BIN_EXE_wpadmin");

/// The variables of a user of the tool: the OAuth client id, the endpoints (the document's are
/// on api.wpadmin.com), the API's URL, and a config folder of their own.
fn user(oauth: &OAuthServer, api: &MockServer, config: &Path) -> Vec<(String, String)> {
    [
        ("WPADMIN_CLIENT_ID", "wpadmin-cli".to_owned()),
        ("WPADMIN_AUTHORIZATION_URL", oauth.at("/authorize")),
        ("WPADMIN_TOKEN_URL", oauth.at("/token")),
        ("WPADMIN_REVOCATION_URL", oauth.at("/revoke")),
        ("WPADMIN_URL", api.uri()),
        ("XDG_CONFIG_HOME", config.display().to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn run(vars: &[(String, String)], args: &[&str]) -> Output {
    let mut command = Command::new(TOOL);
    command.args(args).env_clear().envs(vars.iter().map(|(k, v)| (k, v)));
    tokio::task::spawn_blocking(move || command.output().expect("runs"))
        .await
        .expect("joins")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `auth login`, with the browser's part played by following the server's redirect.
async fn login(vars: &[(String, String)]) -> String {
    let mut child = Command::new(TOOL)
        .args(["auth", "login"])
        .env_clear()
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let stderr = child.stderr.take().expect("piped");
    let (url, rest) = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stderr).lines().map_while(Result::ok);
        let url = lines
            .by_ref()
            .find_map(|l| l.trim().strip_prefix("http").map(|rest| format!("http{rest}")))
            .expect("the tool prints the URL to open");
        (url, lines)
    })
    .await
    .expect("joins");
    let back = agree(&url).await;
    assert_eq!(back.host_str(), Some("127.0.0.1"), "a loopback redirect: {back}");
    let page = reqwest::get(back).await.expect("the tool answers the browser");
    assert!(page.text().await.expect("a page").contains("Signed in"));
    let status = tokio::task::spawn_blocking(move || child.wait().expect("ends"))
        .await
        .expect("joins");
    let said = rest.collect::<Vec<_>>().join("\n");
    assert!(status.success(), "{said}");
    said
}

#[cfg(unix)]
fn mode(file: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(file).expect("exists").permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn mode(_: &Path) -> u32 {
    0o600
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_signs_in_calls_sees_their_status_and_signs_out_with_the_tool() {
    let oauth = OAuthServer::start(&[]);
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/sites/s1"))
        .and(header_regex("authorization", "^Bearer ey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "s1", "name": "blog"})))
        .mount(&api)
        .await;
    let config = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-oauth-tool");
    let _ = std::fs::remove_dir_all(&config);
    let vars = user(&oauth, &api, &config);

    let said = login(&vars).await;
    let file = config.join("wpadmin/tokens.json");
    assert!(said.contains(&file.display().to_string()), "{said}");
    assert_eq!(mode(&file), 0o600, "only the user can read the tokens");
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("saved")).expect("JSON");
    let access = stored["access_token"].as_str().expect("an access token").to_owned();
    let refresh = stored["refresh_token"].as_str().expect("a refresh token").to_owned();
    assert!(!said.contains(&access) && !said.contains(&refresh), "no token printed");

    let out = run(&vars, &["get-site", "s1"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "{\"id\":\"s1\",\"name\":\"blog\"}\n");

    let out = run(&vars, &["auth", "status"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(status["signed_in"], true);
    assert_eq!(status["refresh_token"], true);
    assert!(
        status["expires_in_seconds"].as_u64().is_some_and(|s| s > 3000),
        "{status}"
    );
    let shown = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(!shown.contains(&access) && !shown.contains(&refresh), "{shown}");

    let out = run(&vars, &["auth", "logout"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        oauth.wait_for("revoke", 2),
        ["revoke refresh_token none", "revoke access_token none"]
    );
    assert!(!file.exists(), "signed out: the file is gone");
    let out = run(&vars, &["auth", "status"]).await;
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(status["signed_in"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_file_others_can_read_is_refused_and_login_needs_the_client_id() {
    let oauth = OAuthServer::start(&[]);
    let api = MockServer::start().await;
    let config = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-oauth-tool-open");
    let _ = std::fs::remove_dir_all(&config);
    let mut vars = user(&oauth, &api, &config);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let file = config.join("wpadmin/tokens.json");
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("made");
        std::fs::write(&file, r#"{"access_token":"open-for-all"}"#).expect("written");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = run(&vars, &["get-site", "s1"]).await;
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("can be read or written by other users") && stderr.contains("chmod 600"),
            "{stderr}"
        );
        assert!(!stderr.contains("open-for-all"));
        assert!(
            api.received_requests().await.unwrap_or_default().is_empty(),
            "nothing sent"
        );
    }

    vars.retain(|(k, _)| k != "WPADMIN_CLIENT_ID");
    let out = run(&vars, &["auth", "login"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("set WPADMIN_CLIENT_ID"),
        "{}",
        text(&out.stderr)
    );
}

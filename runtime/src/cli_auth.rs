//! The tool's credentials: the API's environment variables, the tokens of a user who signed in
//! with `auth login` (the authorization-code flow with PKCE, through a loopback redirect), and
//! the `auth` subcommands (`login`, `status`, `logout`). No token is ever printed.

use super::cli::Failure;
use super::environment::{EnvRole, Environment, Found};
use super::{Client, ClientBuilder, FileTokenStore, OAuth, OAuthError, OAuthSession, RetryPolicy, TokenStore};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// How long `auth login` waits for the browser to come back.
const LOGIN_WAIT: Duration = Duration::from_secs(300);

fn setup(e: impl std::fmt::Display) -> Failure {
    Failure::setup(format!("error: {e}"))
}

/// What the tool's help says about its environment variables.
pub(crate) fn environment_help(env: &Environment) -> String {
    let width = env.vars.iter().map(|v| v.name.len()).max().unwrap_or(0);
    let lines: Vec<String> = env
        .vars
        .iter()
        .map(|v| format!("  {:width$}  {}", v.name, v.help))
        .collect();
    format!(
        "Environment variables (credentials and the server):\n{}",
        lines.join("\n")
    )
}

/// Whether the API lets a user sign in (an authorization-code flow), so the tool has `auth`.
pub(crate) fn can_sign_in(env: &Environment) -> bool {
    env.oauth.is_some_and(|o| o.authorization_code.is_some())
}

/// The file a signed-in user's tokens are kept in: `<config>/<bin>/tokens.json`, where
/// `<config>` is `$XDG_CONFIG_HOME`, else `~/.config` (`%APPDATA%` on Windows).
fn token_file(bin: &str) -> Result<PathBuf, Failure> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let config = var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|home| home.join(".config")))
        .or_else(|| var("APPDATA"))
        .ok_or_else(|| setup("no folder for the tokens: set HOME or XDG_CONFIG_HOME"))?;
    Ok(config.join(bin).join("tokens.json"))
}

/// The OAuth client the variables describe (its id is required), its relative endpoints taken
/// from `base_url`.
fn oauth_config(env: &'static Environment, found: &Found, base_url: Option<&str>) -> Result<OAuth, Failure> {
    let oauth = env.oauth_config(found).map_err(setup)?.ok_or_else(|| {
        setup(format!(
            "set {} to sign in",
            env.var(EnvRole::ClientId).unwrap_or("the client id")
        ))
    })?;
    Ok(match base_url {
        Some(url) => oauth.base_url(url),
        None => oauth,
    })
}

/// The base URL the tool talks to: `--base-url`, else the environment's, else the document's.
fn base_url<'a>(m: &'a clap::ArgMatches, found: &'a Found) -> Option<&'a str> {
    m.get_one::<String>("cli:base-url")
        .map(String::as_str)
        .or_else(|| found.value(EnvRole::Url))
}

/// The session of a user who signed in, if the token file exists.
fn signed_in(
    bin: &str,
    env: &'static Environment,
    found: &Found,
    base: Option<&str>,
) -> Result<Option<OAuthSession>, Failure> {
    if !can_sign_in(env) {
        return Ok(None);
    }
    let path = token_file(bin)?;
    if !path.exists() {
        return Ok(None);
    }
    let oauth = oauth_config(env, found, base)?;
    Ok(Some(oauth.session().store(FileTokenStore::new(path))))
}

/// The client the tool calls the API with: the environment's credentials, or a signed-in
/// user's tokens (unless a token is given directly), and the global flags.
pub(crate) fn client(
    bin: &str,
    m: &clap::ArgMatches,
    env: &'static Environment,
    builder: fn() -> ClientBuilder,
) -> Result<Client, Failure> {
    let found = env.read().map_err(setup)?;
    let base = base_url(m, &found);
    let (mut builder, _) = builder().with_found(env, &found).map_err(setup)?;
    if found.value(EnvRole::Token).is_none() {
        if let Some(session) = signed_in(bin, env, &found, base)? {
            builder = builder.oauth(session);
        }
    }
    if let Some(url) = m.get_one::<String>("cli:base-url") {
        builder = builder.base_url(url.clone());
    }
    if let Some(seconds) = m.get_one::<u64>("cli:timeout") {
        builder = builder.timeout(Some(Duration::from_secs(*seconds)));
    }
    if let Some(retries) = m.get_one::<u32>("cli:retries") {
        builder = builder.retry(RetryPolicy {
            max_attempts: retries.saturating_add(1),
            ..RetryPolicy::default()
        });
    }
    builder.build().map_err(setup)
}

/// The `auth` subcommand, named `name`.
pub(crate) fn command(name: &'static str) -> clap::Command {
    clap::Command::new(name)
        .about("Sign in (OAuth 2.0), see who is signed in, sign out")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            clap::Command::new("login")
                .about("Sign in through the browser: prints a URL to open, then waits for the redirect")
                .arg(
                    clap::Arg::new("cli:port")
                        .long("port")
                        .value_name("PORT")
                        .value_parser(clap::value_parser!(u16))
                        .help("The loopback port the browser is sent back to (default: any free one)"),
                ),
        )
        .subcommand(clap::Command::new("status").about("Whether a user is signed in, with which scopes, until when"))
        .subcommand(clap::Command::new("logout").about("Revoke the tokens and forget them"))
}

/// Runs `auth login`, `auth status` or `auth logout`.
pub(crate) fn run(
    bin: &str,
    m: &clap::ArgMatches,
    sub: &clap::ArgMatches,
    env: &'static Environment,
) -> Result<(), Failure> {
    let found = env.read().map_err(setup)?;
    let base = base_url(m, &found);
    let path = token_file(bin)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| setup(format!("no async runtime: {e}")))?;
    match sub.subcommand() {
        Some(("login", args)) => {
            let oauth = oauth_config(env, &found, base)?;
            let port = args.get_one::<u16>("cli:port").copied().unwrap_or(0);
            runtime.block_on(login(oauth, port, FileTokenStore::new(path)))
        }
        Some(("status", _)) => runtime.block_on(status(env, &found, base, path)),
        Some(("logout", _)) => runtime.block_on(logout(env, &found, base, path)),
        _ => Err(Failure::usage("error: auth takes login, status or logout")),
    }
}

async fn login(oauth: OAuth, port: u16, store: FileTokenStore) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| setup(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let port = listener.local_addr().map_err(setup)?.port();
    let oauth = oauth.redirect_uri(format!("http://127.0.0.1:{port}/callback"));
    let started = oauth.authorize().map_err(setup)?;
    eprintln!(
        "Open this address in a browser to sign in:\n\n  {}\n\nWaiting for the browser to come back to 127.0.0.1:{port} ...",
        started.url()
    );
    let waited = tokio::time::timeout(LOGIN_WAIT, async {
        loop {
            let (mut socket, _) = listener.accept().await.map_err(setup)?;
            let Some((code, state)) = callback(&mut socket).await? else {
                continue;
            };
            let exchanged = oauth.exchange(&started, &code, &state).await;
            let page = match &exchanged {
                Ok(_) => "Signed in. You can close this window.",
                Err(_) => "Sign-in failed; see the terminal.",
            };
            answer(&mut socket, "200 OK", page).await;
            return exchanged.map_err(setup);
        }
    })
    .await
    .map_err(|_| setup(format!("no sign-in within {} minutes", LOGIN_WAIT.as_secs() / 60)))?;
    let tokens = waited?;
    store.save(&tokens).await.map_err(setup)?;
    eprintln!(
        "Signed in{}; the tokens are kept in {} (readable by you only).",
        describe_scopes(tokens.scopes()),
        store.path().display()
    );
    Ok(())
}

fn describe_scopes(scopes: &[String]) -> String {
    match scopes {
        [] => String::new(),
        scopes => format!(" with the scopes {}", scopes.join(" ")),
    }
}

/// Reads one request to the loopback listener: the code and state of a redirect to
/// `/callback`, `None` for anything else (a browser asking for a favicon), answered with 404.
///
/// # Errors
/// When the redirect carries an error (the user declined).
async fn callback(socket: &mut tokio::net::TcpStream) -> Result<Option<(String, String)>, Failure> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or("");
    let url = reqwest::Url::parse("http://127.0.0.1").and_then(|base| base.join(target));
    let Some(url) = url.ok().filter(|u| u.path() == "/callback") else {
        answer(socket, "404 Not Found", "Not found.").await;
        return Ok(None);
    };
    let param = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    if let Some(error) = param("error") {
        answer(socket, "200 OK", "Sign-in declined; see the terminal.").await;
        let declined = OAuthError::Denied {
            error,
            description: param("error_description"),
        };
        return Err(setup(declined));
    }
    match (param("code"), param("state")) {
        (Some(code), Some(state)) => Ok(Some((code, state))),
        _ => {
            answer(socket, "400 Bad Request", "The redirect carries no code.").await;
            Ok(None)
        }
    }
}

/// Answers the browser with a short page.
async fn answer(socket: &mut tokio::net::TcpStream, status: &str, text: &str) {
    let body = format!("<!doctype html><meta charset=utf-8><title>Sign-in</title><p>{text}</p>\n");
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = socket.write_all(response.as_bytes()).await;
    let _ = socket.shutdown().await;
}

/// Prints, as JSON, whether a user is signed in and with what; never a token.
async fn status(env: &'static Environment, found: &Found, base: Option<&str>, path: PathBuf) -> Result<(), Failure> {
    let store = FileTokenStore::new(&path);
    let stored = store.load().await.map_err(setup)?;
    let mut report = serde_json::json!({
        "signed_in": stored.is_some(),
        "token_file": path.display().to_string(),
        "environment": found.names(),
    });
    if let Some(tokens) = stored {
        // Renewed first when due, so the report says what the next call would send.
        let current = match oauth_config(env, found, base) {
            Ok(oauth) => oauth
                .session_with(tokens.clone())
                .store(store)
                .tokens()
                .await
                .map_err(setup)?,
            Err(_) => Some(tokens),
        };
        if let Some(tokens) = current {
            let expires_in = tokens.expires_at().map(|at| {
                at.duration_since(std::time::SystemTime::now())
                    .map_or(0, |d| d.as_secs())
            });
            report["scopes"] = serde_json::json!(tokens.scopes());
            report["expires_in_seconds"] = serde_json::json!(expires_in);
            report["refresh_token"] = serde_json::json!(tokens.refresh_token().is_some());
        }
    }
    let text = serde_json::to_string_pretty(&report).map_err(setup)?;
    println!("{text}");
    Ok(())
}

/// Revokes the stored tokens (where an endpoint is known) and removes the file.
async fn logout(env: &'static Environment, found: &Found, base: Option<&str>, path: PathBuf) -> Result<(), Failure> {
    let store = FileTokenStore::new(&path);
    if store.load().await.map_err(setup)?.is_none() {
        eprintln!("Not signed in.");
        return Ok(());
    }
    let oauth = match oauth_config(env, found, base) {
        Ok(oauth) => oauth,
        Err(e) => {
            store.clear().await.map_err(setup)?;
            return Err(setup(format!("{e}; the tokens were forgotten here but not revoked",)));
        }
    };
    let revocable = oauth.revocation_endpoint().is_some();
    let revoked = oauth.session().store(store).revoke().await;
    match (revoked, revocable) {
        (Ok(()), _) => {
            eprintln!("Signed out: the tokens were revoked and forgotten.");
            Ok(())
        }
        (Err(OAuthError::Config(_)), false) => {
            eprintln!(
                "Signed out here: the tokens were forgotten. The API names no revocation endpoint ({} sets one), so they stay valid until they expire.",
                env.var(EnvRole::RevocationUrl).unwrap_or("the revocation URL")
            );
            Ok(())
        }
        (Err(e), _) => Err(setup(format!("{e}; the tokens were forgotten here"))),
    }
}

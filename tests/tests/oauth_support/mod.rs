//! A real OAuth 2.0 server for the OAuth tests: `oauth2-mock-server` from the npm registry,
//! installed from `tests/oauth-server/package-lock.json` into the target directory on first use
//! (one install per machine, whichever test gets there first), and started on a free loopback
//! port by `tests/oauth-server/server.mjs`. Needs Node.js and npm, and the registry once.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the server may take to start, and a logged request to show up.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running server; stopped when dropped.
pub struct OAuthServer {
    /// Its base URL, `http://127.0.0.1:<port>`.
    pub url: String,
    child: Child,
    /// What it logged: one line per token or revocation request (see `server.mjs`).
    events: Arc<Mutex<Vec<String>>>,
}

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("oauth-server")
}

/// The folder the server is installed in, installing it first if needed.
fn installed() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("oauth-server");
    std::fs::create_dir_all(&dir).expect("the install folder");
    let lock = std::fs::File::create(dir.join(".lock")).expect("the install lock");
    lock.lock().expect("holds the install lock");
    for file in ["package.json", "package-lock.json", "server.mjs"] {
        std::fs::copy(source().join(file), dir.join(file)).expect("copies the server's files");
    }
    if !dir.join("node_modules/oauth2-mock-server/package.json").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm runs (the OAuth tests need Node.js and npm)");
        assert!(status.success(), "npm ci of the OAuth test server failed");
    }
    dir
}

impl OAuthServer {
    /// Starts a server with `settings` (`OAUTH_TEST_EXPIRES_IN`, `OAUTH_TEST_REFUSE`).
    pub fn start(settings: &[(&str, &str)]) -> OAuthServer {
        let dir = installed();
        let mut child = Command::new("node")
            .arg("server.mjs")
            .current_dir(&dir)
            .envs(settings.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs");
        let stdout = child.stdout.take().expect("piped");
        let (url_tx, url_rx) = std::sync::mpsc::channel();
        let events = Arc::new(Mutex::new(Vec::new()));
        let logged = Arc::clone(&events);
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(url)) = lines.next() {
                let _ = url_tx.send(url);
            }
            for line in lines.map_while(Result::ok) {
                logged.lock().expect("not poisoned").push(line);
            }
        });
        let url = url_rx
            .recv_timeout(PATIENCE)
            .expect("the OAuth server starts and prints its URL");
        OAuthServer { url, child, events }
    }

    /// `path` on the server (`/token`).
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The requests logged before this call. The server writes each line before it answers,
    /// but the thread that reads them may lag: a request to `/userinfo`, which the server logs
    /// as `sync`, marks the point up to which every line has been read.
    pub fn events(&self) -> Vec<String> {
        let synced = |events: &[String]| events.iter().filter(|e| *e == "sync").count();
        let before = synced(&self.events.lock().expect("not poisoned"));
        let address = self.url.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(address).expect("the OAuth server listens");
        stream
            .write_all(format!("GET /userinfo HTTP/1.0\r\nHost: {address}\r\n\r\n").as_bytes())
            .expect("asks");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("answered");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let events = self.events.lock().expect("not poisoned").clone();
            if synced(&events) > before {
                return events.into_iter().filter(|e| e != "sync").collect();
            }
            assert!(
                Instant::now() < deadline,
                "the OAuth server's log does not come: {events:?}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The logged requests that start with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.events().iter().filter(|e| e.starts_with(prefix)).count()
    }

    /// Waits until `n` requests starting with `prefix` are logged (the server logs a revocation
    /// once it has read its body, just after answering it).
    pub fn wait_for(&self, prefix: &str, n: usize) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        while self.count(prefix) < n {
            assert!(
                Instant::now() < deadline,
                "no {n} `{prefix}` requests: {:?}",
                self.events()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.events().into_iter().filter(|e| e.starts_with(prefix)).collect()
    }
}

impl Drop for OAuthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Follows the authorization URL as a browser whose user agrees would: the server redirects
/// at once to the redirect URI with a code and the state; returns where it redirected.
pub async fn agree(authorize_url: &str) -> reqwest::Url {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let answer = browser
        .get(authorize_url)
        .send()
        .await
        .expect("the authorization endpoint answers");
    assert_eq!(answer.status().as_u16(), 302, "a redirect back");
    let location = answer
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a Location");
    reqwest::Url::parse(location).expect("an absolute URL")
}

/// A query parameter of `url`.
pub fn param(url: &reqwest::Url, key: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no {key} in {url}"))
}

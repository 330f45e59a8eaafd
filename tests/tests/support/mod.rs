//! What the end-to-end tests of the WP Engine client share: an install to talk about, a client
//! of a loopback server, and the requests that server saw. Each test file uses part of it.
#![allow(dead_code)]

use wiremock::MockServer;
use wpengine_api::Client;

pub const INSTALL: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";

pub fn install() -> uuid::Uuid {
    INSTALL.parse().expect("uuid")
}

/// An install as the API returns it, named `name`.
pub fn install_json(name: &str) -> serde_json::Value {
    serde_json::json!({ "id": INSTALL, "name": name, "account": {}, "php_version": "8.2" })
}

/// A client of `server` with basic-auth credentials.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "p")
        .build()
        .expect("builds")
}

/// Every request `server` has received.
pub async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recorded")
}

/// Every value of the header `name` in a request the server saw, in order.
pub fn headers_of(request: &wiremock::Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or("<binary>").to_owned())
        .collect()
}

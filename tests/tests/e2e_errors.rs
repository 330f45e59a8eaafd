//! Non-2xx answers become `Error::Api` with the body typed by the schema declared for that
//! status; bad 2xx bodies become `Error::Decode`; secrets stay out of Debug output.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::types::ErrorBody;
use wpengine_api::{Client, Error};

const INSTALL: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";

async fn setup(status: u16, body: Option<serde_json::Value>, raw: Option<&str>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let mut t = ResponseTemplate::new(status).insert_header("x-request-id", "req-123");
    if let Some(b) = body {
        t = t.set_body_json(b);
    }
    if let Some(r) = raw {
        t = t.set_body_raw(r.as_bytes().to_vec(), "application/json");
    }
    Mock::given(method("GET"))
        .and(path(format!("/installs/{INSTALL}")))
        .respond_with(t)
        .mount(&server)
        .await;
    let client = client_for(&server);
    (server, client)
}

/// A client of `server` with basic-auth credentials whose password tests look for in output.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "hunter2-secret")
        .build()
        .expect("builds")
}

fn install_id() -> uuid::Uuid {
    INSTALL.parse().expect("uuid")
}

#[tokio::test]
async fn error_bodies_are_decoded_by_the_schema_declared_for_the_status() {
    // 404 and 401 share a JSON shape; the declared schema decides the type.
    for (status, message) in [(404u16, "Not Found"), (401, "Bad Credentials")] {
        let (_s, client) = setup(status, Some(json!({ "message": message })), None).await;
        let err = client.get_install(install_id()).send().await.expect_err("fails");
        let Error::Api(e) = &err else {
            panic!("expected an API error, got {err:?}")
        };
        assert_eq!(e.status(), status);
        assert_eq!(e.request_id(), Some("req-123"));
        assert_eq!(e.operation_id(), "getInstall");
        match (status, e.body()) {
            (404, Some(ErrorBody::NotFoundErrorResponse(b))) => assert_eq!(b.message, message),
            (401, Some(ErrorBody::AuthenticationErrorResponse(b))) => assert_eq!(b.message, message),
            other => panic!("wrong typed body for {status}: {other:?}"),
        }
        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string()) && shown.contains("getInstall"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn bodyless_statuses_keep_status_and_raw_body() {
    let (server, _) = setup(503, None, Some("maintenance")).await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(wpengine_api::RetryPolicy::disabled())
        .build()
        .expect("builds");
    let err = client.get_install(install_id()).send().await.expect_err("fails");
    let Error::Api(e) = err else {
        panic!("expected an API error")
    };
    assert_eq!(e.status(), 503);
    assert!(e.body().is_none(), "503 declares no schema");
    assert_eq!(e.raw_body(), b"maintenance");
}

#[tokio::test]
async fn bad_request_keeps_its_errors_list() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sites"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "message": "Invalid Site: Name cannot be empty.",
            "errors": [{ "resource": "Site", "field": "name", "type": "invalid_value", "code": "blank", "message": "Name cannot be empty" }]
        })))
        .mount(&server)
        .await;
    let client = client_for(&server);
    let body = wpengine_api::types::CreateSiteRequest::new(String::new(), uuid::Uuid::nil());
    let err = client.create_site(body).send().await.expect_err("fails");
    let Error::Api(e) = err else {
        panic!("expected an API error")
    };
    let Some(ErrorBody::BadRequestErrorResponse(b)) = e.body() else {
        panic!("expected a bad request body")
    };
    let errors = b.errors.as_ref().expect("errors");
    assert_eq!(
        (errors[0].field.as_str(), errors[0].type_.as_str()),
        ("name", "invalid_value")
    );
}

#[tokio::test]
async fn malformed_success_bodies_are_decode_errors_with_the_body() {
    let (_s, client) = setup(200, None, Some("{\"id\": \"not-a-uuid\"")).await;
    let err = client.get_install(install_id()).send().await.expect_err("fails");
    let Error::Decode(d) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(d.status, 200);
    assert!(d.body.contains("not-a-uuid"));

    let (_s, client) = setup(
        200,
        Some(json!({ "id": "not-a-uuid", "name": "x", "account": {}, "php_version": null })),
        None,
    )
    .await;
    let err = client.get_install(install_id()).send().await.expect_err("fails");
    let Error::Decode(d) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(d.path.as_deref(), Some("id"));
    assert!(err.to_string().contains("at `id`"), "{err}");
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let (_s, client) = setup(401, Some(json!({ "message": "Bad Credentials" })), None).await;
    assert!(!format!("{client:?}").contains("hunter2-secret"));
    let err = client.get_install(install_id()).send().await.expect_err("fails");
    assert!(!format!("{err:?}").contains("hunter2-secret"));
    assert!(!err.to_string().contains("hunter2-secret"));
    let builder = Client::builder().basic_auth("u", "hunter2-secret");
    assert!(!format!("{builder:?}").contains("hunter2-secret"));
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // A port that was just free: nothing listens on it once the listener is dropped.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("builds");
    let err = client.status().send().await.expect_err("nothing listens");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[test]
fn bad_base_url_is_rejected_at_build() {
    let err = Client::builder()
        .base_url("ftp://example.com")
        .build()
        .expect_err("rejected");
    assert!(err.to_string().contains("http"));
}

#[tokio::test]
async fn string_path_parameters_stay_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/installs/a%2Fb%20c/domains/check_status/r%3F1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "report": null })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server);
    let r = client
        .get_domain_report_status("a/b c", "r?1")
        .send()
        .await
        .expect("encoded and matched");
    assert!(r.report.is_none());
}

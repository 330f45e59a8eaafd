//! Values that break a constraint the document declares are rejected before any request is
//! sent; values within it go out.

mod support;

use serde_json::json;
use support::{client, install, INSTALL};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::runtime::Error;
use wpengine_api::types;

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": [], "next": null })))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    support::requests(server).await.len()
}

fn invalid_message<T: std::fmt::Debug>(result: Result<T, wpengine_api::Error>) -> String {
    match result {
        Err(Error::InvalidRequest(message)) => message,
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn a_limit_over_the_declared_maximum_is_not_sent() {
    let server = server().await;
    let result = client(&server).list_installs().limit(101).send().await;
    let message = invalid_message(result);
    assert_eq!(message, "`limit` must be at most 100, got 101");
    assert_eq!(requests(&server).await, 0, "nothing reached the server");
}

#[tokio::test]
async fn a_negative_offset_is_not_sent() {
    let server = server().await;
    let result = client(&server).list_sites().offset(-1).send().await;
    assert_eq!(invalid_message(result), "`offset` must be at least 0, got -1");
    assert_eq!(requests(&server).await, 0);
}

#[tokio::test]
async fn values_at_the_bounds_are_sent() {
    let server = server().await;
    let page = client(&server).list_installs().limit(100).offset(0).send().await;
    assert!(page.is_ok(), "{page:?}");
    // The usage endpoints declare their own, larger maximum.
    let usage = client(&server)
        .get_account_usage_metrics(install())
        .limit(1000)
        .send()
        .await;
    assert!(!matches!(usage, Err(Error::InvalidRequest(_))), "{usage:?}");
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_body_array_outside_its_item_counts_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/installs/{INSTALL}/domains/bulk")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    let domains = |n: usize| {
        types::CreateBulkDomainsRequest::new(
            (0..n)
                .map(|i| types::CreateBulkDomainsRequestDomainsItem::new(format!("site{i}.example.com")))
                .collect(),
        )
    };
    let install = install();
    let none = client.create_bulk_domains(install, domains(0)).send().await;
    assert_eq!(invalid_message(none), "`body.domains` must hold 1 to 20 items, got 0");
    let many = client.create_bulk_domains(install, domains(21)).send().await;
    assert_eq!(invalid_message(many), "`body.domains` must hold 1 to 20 items, got 21");
    assert_eq!(requests(&server).await, 0);
    let ok = client.create_bulk_domains(install, domains(20)).send().await;
    assert!(!matches!(ok, Err(Error::InvalidRequest(_))), "{ok:?}");
    assert_eq!(requests(&server).await, 1);
}

#[test]
fn patterns_and_lengths_are_checked_and_explained() {
    use wpengine_api::runtime::{check, Constraints};
    let name = Constraints::NONE.pattern("^[a-z][a-z0-9]{2,13}$");
    let ok: Result<(), wpengine_api::Error> = check("name", "mysite1", &name);
    assert!(ok.is_ok());
    let bad: Result<(), wpengine_api::Error> = check("name", "My Site", &name);
    assert_eq!(
        invalid_message(bad),
        "`name` must match the pattern `^[a-z][a-z0-9]{2,13}$`, got \"My Site\""
    );
    let short = Constraints::NONE.min_length(3).max_length(5);
    let bad: Result<(), wpengine_api::Error> = check("code", "toolong", &short);
    assert_eq!(invalid_message(bad), "`code` must be 3 to 5 characters long, got 7");
    // Patterns are ECMA-262, as JSON Schema says: a look-ahead is enforced.
    let lookahead = Constraints::NONE.pattern("^(?=a)a$");
    let bad: Result<(), wpengine_api::Error> = check("x", "b", &lookahead);
    assert_eq!(invalid_message(bad), "`x` must match the pattern `^(?=a)a$`, got \"b\"");
    // One that is not ECMA-262 (a Python-style named group) is not enforced rather than
    // rejecting every value; the generator warned of it.
    let python = Constraints::NONE.pattern("^(?P<n>a)$");
    let unchecked: Result<(), wpengine_api::Error> = check("x", "b", &python);
    assert!(unchecked.is_ok());
    let exclusive = Constraints::NONE.min_exclusive(0.0);
    let bad: Result<(), wpengine_api::Error> = check("ratio", &0.0f64, &exclusive);
    assert_eq!(invalid_message(bad), "`ratio` must be more than 0, got 0");
}

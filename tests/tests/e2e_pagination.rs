//! `.pages()` and `.items()` follow `next` across every page, lazily, and stop at the end.

use futures::{StreamExt, TryStreamExt};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::{Client, Error, RetryPolicy};

fn account(n: usize) -> serde_json::Value {
    json!({ "id": format!("00000000-0000-4000-8000-{n:012}"), "name": format!("account{n}"), "nickname": "n" })
}

/// Serves 5 accounts two at a time: offsets 0, 2 and 4.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    for (offset, ids, next) in [("0", vec![0, 1], true), ("2", vec![2, 3], true), ("4", vec![4], false)] {
        let results: Vec<_> = ids.into_iter().map(account).collect();
        let next = next.then(|| {
            format!(
                "{}/accounts?limit=2&offset={}",
                server.uri(),
                offset.parse::<usize>().unwrap_or(0) + 2
            )
        });
        Mock::given(method("GET"))
            .and(path("/accounts"))
            .and(query_param("offset", offset))
            .and(query_param("limit", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "previous": null, "next": next, "count": 5, "results": results })),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "p")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("builds")
}

#[tokio::test]
async fn items_yield_every_item_once_and_stop_on_null_next() {
    let server = three_pages().await;
    let accounts: Vec<_> = client(&server)
        .list_accounts()
        .limit(2)
        .items()
        .try_collect()
        .await
        .expect("all pages");
    let names: Vec<_> = accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["account0", "account1", "account2", "account3", "account4"]);
    // `expect(1)` on each page's mock is verified when the server drops: no page fetched twice.
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = three_pages().await;
    let first: Vec<_> = client(&server)
        .list_accounts()
        .limit(2)
        .items()
        .take(3)
        .try_collect()
        .await
        .expect("ok");
    assert_eq!(first.len(), 3);
    assert_eq!(
        server.received_requests().await.expect("recorded").len(),
        2,
        "only the pages needed"
    );
    server.reset().await;
}

#[tokio::test]
async fn pages_expose_each_page() {
    let server = three_pages().await;
    let pages: Vec<_> = client(&server)
        .list_accounts()
        .limit(2)
        .pages()
        .try_collect()
        .await
        .expect("ok");
    assert_eq!(pages.len(), 3);
    assert!(pages[2].next.is_none());
}

#[tokio::test]
async fn an_error_mid_stream_ends_it_with_that_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "next": "more", "results": [account(0)] })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("offset", "1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "message": "Bad Credentials" })))
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> = client(&server).list_accounts().items().collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(&results[1], Err(e) if e.status() == Some(401)));
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_even_if_it_links_onwards() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "next": "again", "results": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let n = client(&server).list_ssh_keys().items().count().await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn usage_metrics_send_each_pages_token_back_as_the_offset() {
    let server = MockServer::start().await;
    let account = "00000000-0000-4000-8000-000000000001";
    let usage = format!("/accounts/{account}/usage");
    Mock::given(method("GET"))
        .and(path(usage.as_str()))
        .and(wiremock::matchers::query_param_is_missing("offset"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "environment_metrics": [{ "environment_name": "prod" }, { "environment_name": "staging" }],
            "next_page_token": "tok-2"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(usage.as_str()))
        .and(query_param("offset", "tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "environment_metrics": [{ "environment_name": "dev" }],
            "next_page_token": null
        })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("u", "p")
        .build()
        .expect("builds");
    let names: Vec<Option<String>> = client
        .get_account_usage_metrics(account.parse().expect("uuid"))
        .items()
        .map_ok(|m| m.environment_name)
        .try_collect()
        .await
        .expect("every page");
    let names: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
    assert_eq!(names, ["prod", "staging", "dev"]);
}

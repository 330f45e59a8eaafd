//! Lists paged through the `Link` header (RFC 8288), detected from the document's declared
//! response header: every page is followed through `rel="next"`, a link back to a page already
//! fetched ends the stream, and a link to another origin is refused.

use features_client::runtime::Error;
use features_client::Client;
use futures::TryStreamExt;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().expect("builds")
}

async fn page(server: &MockServer, page: Option<&str>, items: &[&str], link: Option<String>) {
    let mut answer = ResponseTemplate::new(200).set_body_json(items);
    if let Some(link) = link {
        answer = answer.insert_header("link", link.as_str());
    }
    let mock = Mock::given(method("GET")).and(path("/events"));
    let mock = match page {
        Some(p) => mock.and(query_param("page", p)),
        None => mock.and(query_param_is_missing("page")),
    };
    mock.respond_with(answer).expect(1).mount(server).await;
}

#[tokio::test]
async fn every_page_is_followed_through_the_next_link() {
    let server = MockServer::start().await;
    let uri = server.uri();
    page(
        &server,
        None,
        &["a", "b"],
        Some(format!(r#"<{uri}/events?page=2&per_page=2>; rel="next""#)),
    )
    .await;
    // A relative link, beside another relation.
    page(
        &server,
        Some("2"),
        &["c", "d"],
        Some(r#"</events?page=1>; rel="prev", </events?page=3>; rel="next""#.to_owned()),
    )
    .await;
    page(&server, Some("3"), &["e"], None).await;
    let items: Vec<String> = client(&server)
        .list_events()
        .per_page(2)
        .items()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_link_back_to_a_fetched_page_ends_the_stream() {
    let server = MockServer::start().await;
    let uri = server.uri();
    page(&server, None, &["a"], Some(format!("<{uri}/events?page=2>; rel=next"))).await;
    page(
        &server,
        Some("2"),
        &["b"],
        Some(format!("<{uri}/events?page=2>; rel=next")),
    )
    .await;
    let items: Vec<String> = client(&server)
        .list_events()
        .items()
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(items, ["a", "b"], "the page linking to itself is not fetched again");
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused() {
    let server = MockServer::start().await;
    page(
        &server,
        None,
        &["a"],
        Some("<https://elsewhere.example.com/events?page=2>; rel=next".to_owned()),
    )
    .await;
    let client = client(&server);
    let mut pages = Box::pin(client.list_events().pages());
    assert_eq!(
        pages.try_next().await.expect("the first page"),
        Some(vec!["a".to_owned()])
    );
    match pages.try_next().await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("another origin"), "{message}"),
        other => panic!("expected the foreign link to be refused, got {other:?}"),
    }
}

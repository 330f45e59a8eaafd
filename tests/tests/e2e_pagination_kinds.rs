//! Pagination by cursor and by page number, each detected from the document's shape
//! (`tests/fixtures/features.yaml`), against a loopback server: `.items()` walks every page in
//! order, carries the builder's other parameters along, and ends on a server that points
//! onwards forever (the same cursor again, a page number that does not grow, or empty pages).

use features_client::types::Entry;
use features_client::Client;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().expect("builds")
}

fn ids(entries: &[Entry]) -> Vec<&str> {
    entries.iter().map(|e| e.id.as_str()).collect()
}

fn entries(ids: &[&str]) -> serde_json::Value {
    ids.iter().map(|id| json!({ "id": id })).collect()
}

async fn answer(server: &MockServer, route: &str, when: Vec<(&str, Option<&str>)>, body: serde_json::Value) {
    let mut mock = Mock::given(method("GET")).and(path(route));
    for (name, value) in when {
        mock = match value {
            Some(value) => mock.and(query_param(name, value)),
            None => mock.and(query_param_is_missing(name)),
        };
    }
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn query_of(request: &wiremock::Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn a_cursor_in_the_answers_metadata_is_sent_back_until_none_is_given() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/feed",
        vec![("cursor", None)],
        json!({ "entries": entries(&["a", "b"]), "meta": { "next_cursor": "c2" } }),
    )
    .await;
    answer(
        &server,
        "/feed",
        vec![("cursor", Some("c2"))],
        json!({ "entries": entries(&["c"]), "meta": { "next_cursor": null } }),
    )
    .await;
    let all: Vec<Entry> = client(&server)
        .list_feed()
        .topic("rust")
        .items()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids(&all), ["a", "b", "c"]);
    let seen = server.received_requests().await.expect("recorded");
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|r| query_of(r, "topic").as_deref() == Some("rust")));
}

#[tokio::test]
async fn a_cursor_already_sent_ends_the_list() {
    let server = MockServer::start().await;
    // Every page names the same next cursor.
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "entries": entries(&["x"]), "meta": { "next_cursor": "again" } })),
        )
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server).list_feed().pages().try_collect().await.expect("pages");
    assert_eq!(
        pages.len(),
        2,
        "the first page, then the one `again` names; not that one again"
    );
}

#[tokio::test]
async fn the_last_items_id_is_the_next_cursor_while_there_is_more() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/charges",
        vec![("starting_after", None)],
        json!({ "data": entries(&["ch_1", "ch_2"]), "has_more": true }),
    )
    .await;
    answer(
        &server,
        "/charges",
        vec![("starting_after", Some("ch_2"))],
        json!({ "data": entries(&["ch_3"]), "has_more": false }),
    )
    .await;
    let all: Vec<Entry> = client(&server).list_charges().items().try_collect().await.expect("all");
    assert_eq!(ids(&all), ["ch_1", "ch_2", "ch_3"]);
    let seen = server.received_requests().await.expect("recorded");
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|r| query_of(r, "ending_before").is_none()));
}

#[tokio::test]
async fn page_numbers_count_from_the_declared_minimum_to_the_page_count() {
    let server = MockServer::start().await;
    for (page, id) in [("1", "p1"), ("2", "p2"), ("3", "p3")] {
        answer(
            &server,
            "/articles",
            vec![("page", Some(page))],
            json!({ "articles": entries(&[id]), "total_pages": 3 }),
        )
        .await;
    }
    let all: Vec<Entry> = client(&server)
        .list_articles()
        .items()
        .try_collect()
        .await
        .expect("all");
    assert_eq!(ids(&all), ["p1", "p2", "p3"]);
    // A builder that starts later starts there.
    let rest: Vec<Entry> = client(&server)
        .list_articles()
        .page(2)
        .items()
        .try_collect()
        .await
        .expect("the rest");
    assert_eq!(ids(&rest), ["p2", "p3"]);
}

#[tokio::test]
async fn an_empty_page_ends_the_list_whatever_the_page_count_says() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/articles",
        vec![("page", Some("1"))],
        json!({ "articles": entries(&["only"]), "total_pages": 1_000_000 }),
    )
    .await;
    answer(
        &server,
        "/articles",
        vec![("page", Some("2"))],
        json!({ "articles": [], "total_pages": 1_000_000 }),
    )
    .await;
    let pages: Vec<_> = client(&server)
        .list_articles()
        .pages()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn a_next_page_number_is_followed_while_it_grows() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/comments",
        vec![("page", Some("0"))],
        json!({ "comments": entries(&["c0"]), "next_page": 1 }),
    )
    .await;
    answer(
        &server,
        "/comments",
        vec![("page", Some("1"))],
        json!({ "comments": entries(&["c1"]), "next_page": 1 }),
    )
    .await;
    // Page 1 names itself as next: the list ends there instead of asking for it forever.
    let all: Vec<Entry> = client(&server)
        .list_comments()
        .items()
        .try_collect()
        .await
        .expect("all");
    assert_eq!(ids(&all), ["c0", "c1"]);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

/// Paging declared with Speakeasy's extension, which no shape would give (an offset named
/// `at`, a second list beside the items): the offset grows by each page's count until a page
/// is empty, and the method has the name the extension gives.
#[tokio::test]
async fn speakeasy_offset_paging_follows_the_extension_until_an_empty_page() {
    let server = MockServer::start().await;
    let pinned = entries(&["p"]);
    answer(
        &server,
        "/ledger",
        vec![("at", Some("0"))],
        json!({ "lines": entries(&["a", "b"]), "pinned": pinned }),
    )
    .await;
    answer(
        &server,
        "/ledger",
        vec![("at", Some("2"))],
        json!({ "lines": entries(&["c"]), "pinned": pinned }),
    )
    .await;
    answer(
        &server,
        "/ledger",
        vec![("at", Some("3"))],
        json!({ "lines": [], "pinned": pinned }),
    )
    .await;
    let all: Vec<Entry> = client(&server)
        .list_ledger()
        .items()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&all), ["a", "b", "c"]);
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(3));
}

/// Speakeasy's page numbers without a page count: one more each time, until a page is empty.
#[tokio::test]
async fn speakeasy_page_numbers_end_at_an_empty_page() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/volumes",
        vec![("p", Some("1"))],
        json!({ "data": entries(&["a"]) }),
    )
    .await;
    answer(
        &server,
        "/volumes",
        vec![("p", Some("2"))],
        json!({ "data": entries(&["b"]) }),
    )
    .await;
    answer(&server, "/volumes", vec![("p", Some("3"))], json!({ "data": [] })).await;
    let all: Vec<Entry> = client(&server)
        .list_volumes()
        .items()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&all), ["a", "b"]);
}

/// Fern's cursor paging, the next cursor two fields deep, under the method name Fern's
/// extension gives.
#[tokio::test]
async fn fern_cursor_paging_sends_back_the_cursor_the_extension_names() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/journal",
        vec![("mark", None)],
        json!({ "entries": entries(&["a"]), "meta": { "following": "m2" } }),
    )
    .await;
    answer(
        &server,
        "/journal",
        vec![("mark", Some("m2"))],
        json!({ "entries": entries(&["b"]), "meta": { "following": null } }),
    )
    .await;
    let all: Vec<Entry> = client(&server)
        .read_journal()
        .items()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids(&all), ["a", "b"]);
    let sent = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        sent.iter().map(|r| query_of(r, "mark")).collect::<Vec<_>>(),
        [None, Some("m2".to_owned())]
    );
}

/// Stainless's paging roles: the parameter, the list and the next cursor each marked.
#[tokio::test]
async fn stainless_roles_page_by_the_marked_cursor() {
    let server = MockServer::start().await;
    answer(
        &server,
        "/rows",
        vec![("from", None)],
        json!({ "rows": entries(&["a"]), "extra": [], "position": { "upcoming": "r2" } }),
    )
    .await;
    answer(
        &server,
        "/rows",
        vec![("from", Some("r2"))],
        json!({ "rows": entries(&["b"]), "extra": [], "position": { "upcoming": null } }),
    )
    .await;
    let all: Vec<Entry> = client(&server).list_rows().items().try_collect().await.expect("pages");
    assert_eq!(ids(&all), ["a", "b"]);
}

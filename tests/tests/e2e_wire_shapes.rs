//! Wire shapes that published API descriptions use and a validating server reads (issue 25,
//! item 4), through the client generated from tests/fixtures/features.yaml against a loopback
//! server: a binary answer declared as JSON comes back as its bytes, and a nested
//! `deepObject` filter is written in bracket form at every depth.

mod support;

use features_client::types::{
    IncidentFilter, IncidentFilterService, IncidentFilterServiceTeam, IncidentFilterWindowsItem,
};
use features_client::Client;
use support::requests;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Bytes that are neither UTF-8 nor JSON.
const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xff";

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().expect("builds")
}

/// `path` answers 200 with `body`, labelled `application/json` as the document declares.
async fn json_labelled(server: &MockServer, at: &str, body: &[u8]) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json"))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_binary_answer_declared_as_json_is_its_raw_bytes() {
    let server = MockServer::start().await;
    json_labelled(&server, "/reports/r1", PNG_HEAD).await;
    // A JSON list of numbers is bytes too: not decoded into the numbers it lists.
    json_labelled(&server, "/reports/r2", b"[1,2,3]").await;
    let client = client(&server);
    let png = client.get_report("r1").send().await.expect("the bytes as they came");
    assert_eq!(&png[..], PNG_HEAD);
    let list = client.get_report("r2").send().await.expect("the bytes as they came");
    assert_eq!(&list[..], b"[1,2,3]");
}

#[tokio::test]
async fn a_nested_deep_object_is_written_in_brackets_at_every_depth() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/incidents"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let team = IncidentFilterServiceTeam::new().with_name("ops");
    let service = IncidentFilterService::new().with_id("svc 1").with_team(team);
    let windows = vec![
        IncidentFilterWindowsItem::new().with_from(1).with_to(2),
        IncidentFilterWindowsItem::new().with_from(3),
    ];
    let filter = IncidentFilter::new()
        .with_service(service)
        .with_tags(vec!["a".into(), "b".into()])
        .with_windows(windows)
        .with_open(true);
    client(&server)
        .list_incidents()
        .filter(filter)
        .send()
        .await
        .expect("sends");
    let sent = requests(&server).await;
    let mut query: Vec<(String, String)> = sent[0].url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    query.sort();
    let want: Vec<(String, String)> = [
        ("filter[open]", "true"),
        ("filter[service][id]", "svc 1"),
        ("filter[service][team][name]", "ops"),
        ("filter[tags][]", "a"),
        ("filter[tags][]", "b"),
        ("filter[windows][0][from]", "1"),
        ("filter[windows][0][to]", "2"),
        ("filter[windows][1][from]", "3"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(query, want, "sent {:?}", sent[0].url.query());
}

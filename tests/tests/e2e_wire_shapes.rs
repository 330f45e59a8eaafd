//! Wire shapes that published API descriptions use and a validating server reads (issue 25,
//! item 4), through the client generated from tests/fixtures/features.yaml against a loopback
//! server: a binary answer declared as JSON comes back as its bytes, a nested `deepObject`
//! filter is written in bracket form at every depth, and a `multipart/form-data` body that is
//! one file or a list of files (not an object) is sent as one file part per file.

mod support;

use features_client::runtime::Upload;
use features_client::types::{
    IncidentFilter, IncidentFilterService, IncidentFilterServiceTeam, IncidentFilterWindowsItem,
};
use features_client::Client;
use support::{headers_of, requests};
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

#[tokio::test]
async fn a_multipart_body_that_is_one_file_is_sent_as_one_file_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads/single"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server)
        .upload_single(PNG_HEAD.to_vec())
        .send()
        .await
        .expect("a multipart body of one file is sendable");
    let sent = requests(&server).await;
    let boundary = boundary(&sent[0]);
    let mut want = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    want.extend_from_slice(PNG_HEAD);
    want.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(sent[0].body, want, "sent {}", String::from_utf8_lossy(&sent[0].body));
}

/// The boundary of a multipart request, from its `Content-Type`.
fn boundary(request: &wiremock::Request) -> String {
    let content_type = headers_of(request, "content-type").concat();
    match content_type.strip_prefix("multipart/form-data; boundary=") {
        Some(boundary) => boundary.to_owned(),
        None => panic!("not multipart: {content_type}"),
    }
}

#[tokio::test]
async fn a_multipart_body_that_is_a_list_of_files_is_a_part_per_file_named_by_its_encoding() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads/many"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let files = vec![
        Upload::from(PNG_HEAD.to_vec()),
        Upload::from(b"second".to_vec()).with_file_name("b.png"),
    ];
    client(&server)
        .upload_many(files)
        .send()
        .await
        .expect("a multipart body of files is sendable");
    let sent = requests(&server).await;
    let boundary = boundary(&sent[0]);
    let part = |file_name: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"{file_name}\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .into_bytes()
    };
    let mut want = part("attachments");
    want.extend_from_slice(PNG_HEAD);
    want.extend_from_slice(b"\r\n");
    want.extend(part("b.png"));
    want.extend_from_slice(b"second\r\n");
    want.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(sent[0].body, want, "sent {}", String::from_utf8_lossy(&sent[0].body));
}

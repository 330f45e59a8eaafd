//! XML bodies on the wire: a typed body written as the document's `xml` objects name it (the
//! root element, an attribute, a wrapped list), a typed XML answer read back, and a body of a
//! media type the client does not write (YAML) sent as the caller's bytes, never JSON.

use features_client::mocks::MockServer as TypedMocks;
use features_client::runtime::Upload;
use features_client::types::{PostNoteRequest, PostNoteResponse};
use features_client::Client;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn note() -> PostNoteRequest {
    let mut note = PostNoteRequest::new("ops");
    note.body = Some("disk <full> & hot".into());
    note.tags = Some(vec!["disk".into(), "urgent".into()]);
    note
}

#[tokio::test]
async fn an_xml_body_is_written_and_an_xml_answer_read_as_the_document_names_them() {
    let server = MockServer::start().await;
    let sent = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><note to=\"ops\"><body>disk &lt;full&gt; &amp; hot</body>\
                <tags><tag>disk</tag><tag>urgent</tag></tags></note>";
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "application/xml"))
        .and(body_string(sent))
        .respond_with(ResponseTemplate::new(201).set_body_raw(
            "<stored id=\"n1\">\n  <urgent>true</urgent>\n  <extra/>\n</stored>",
            "application/xml",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let stored: PostNoteResponse = client.post_note(note()).send().await.expect("sent");
    assert_eq!((stored.id.as_deref(), stored.urgent), (Some("n1"), Some(true)));
}

#[tokio::test]
async fn the_typed_mock_of_an_operation_that_answers_xml_answers_xml() {
    let mocks = TypedMocks::start().await;
    let mut stored = PostNoteResponse::default();
    stored.id = Some("n2".into());
    mocks.expect().post_note().answers_with_status(201, &stored).await;
    let client = Client::builder().base_url(mocks.uri()).build().expect("builds");
    let answer = client.post_note(note()).send().await.expect("answered");
    assert_eq!(answer.id.as_deref(), Some("n2"));
}

#[tokio::test]
async fn a_body_the_client_does_not_write_is_the_callers_bytes_with_its_media_type() {
    let server = MockServer::start().await;
    let yaml = "theme: dark\n";
    Mock::given(method("PUT"))
        .and(path("/settings"))
        .and(header("content-type", "application/yaml"))
        .and(body_string(yaml))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    client.put_settings(Upload::bytes(yaml)).send().await.expect("sent");
}

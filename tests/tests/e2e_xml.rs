//! A body in a media type the client does not write (XML): the caller's bytes go out with the
//! declared media type, never JSON, and an XML answer comes back as its bytes.

use features_client::runtime::Upload;
use features_client::Client;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn an_xml_body_is_sent_as_the_callers_bytes_with_its_media_type() {
    let server = MockServer::start().await;
    let note = "<note><to>ops</to><body>disk full</body></note>";
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(header("content-type", "application/xml"))
        .and(body_string(note))
        .respond_with(ResponseTemplate::new(201).set_body_raw("<stored><id>n1</id></stored>", "application/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let stored = client.post_note(Upload::bytes(note)).send().await.expect("sent");
    assert_eq!(&stored[..], b"<stored><id>n1</id></stored>");
}

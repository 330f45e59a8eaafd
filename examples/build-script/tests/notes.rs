//! The module generated at build time works end to end: requests reach a loopback server as the
//! document describes them, and answers decode into the generated types.

use example_build_script::{all_texts, notes};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> notes::Client {
    notes::Client::builder()
        .base_url(server.uri())
        .bearer_token("secret-token")
        .build()
        .expect("a client with a loopback base URL builds")
}

fn note(id: u32, text: &str) -> serde_json::Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{id:012}"),
        "text": text,
        "created_at": "2026-11-23T10:00:00Z",
    })
}

#[tokio::test]
async fn every_page_is_fetched_in_order() {
    let server = MockServer::start().await;
    // `next` is set on every page but the last, as the document says.
    for (offset, texts, next) in [
        ("0", vec!["a", "b"], json!("/notes?offset=2")),
        ("2", vec!["c"], json!(null)),
    ] {
        let results: Vec<_> = texts.iter().enumerate().map(|(i, t)| note(i as u32, t)).collect();
        Mock::given(method("GET"))
            .and(path("/notes"))
            .and(query_param("limit", "2"))
            .and(query_param("offset", offset))
            .and(header("authorization", "Bearer secret-token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": results, "next": next })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let texts = all_texts(&client(&server), 2).await.expect("both pages decode");
    assert_eq!(texts, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_new_note_is_sent_as_json_and_comes_back_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(body_json(json!({ "text": "buy milk", "colour": "blue" })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "00000000-0000-4000-8000-000000000001",
            "text": "buy milk",
            "colour": "blue",
            "created_at": "2026-11-23T10:00:00Z",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let body = notes::types::NewNote::new("buy milk").with_colour(notes::types::Colour::Blue);
    let kept = client(&server)
        .create_note(body)
        .send()
        .await
        .expect("201 decodes as a Note");
    assert_eq!(kept.colour, Some(notes::types::Colour::Blue));
    assert_eq!(kept.text, "buy milk");
}

#[tokio::test]
async fn a_refusal_is_the_declared_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/notes/00000000-0000-4000-8000-000000000009"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "message": "no such note" })))
        .mount(&server)
        .await;
    let id = "00000000-0000-4000-8000-000000000009".parse().expect("a UUID");
    match client(&server).get_note(id).send().await {
        Err(notes::runtime::Error::Api(e)) => {
            assert_eq!(e.status(), 404);
            assert!(format!("{:?}", e.body()).contains("no such note"), "{:?}", e.body());
        }
        other => panic!("expected the API's 404, got {other:?}"),
    }
}

#[test]
fn a_constraint_of_the_document_is_checked_before_sending() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let client = notes::Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("a client builds without credentials");
    let result = runtime.block_on(client.create_note(notes::types::NewNote::new("")).send());
    assert!(
        matches!(result, Err(notes::runtime::Error::InvalidRequest(_))),
        "an empty text breaks minLength 1: {result:?}"
    );
}

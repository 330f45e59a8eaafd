//! The client generated from tests/fixtures/features.yaml, against a loopback server: bearer
//! auth, operations without security, header and repeated query parameters, form bodies, status
//! ranges and `default` errors, allOf merging and recursive types.

mod support;

use features_client::types::{ErrorBody, PetKind};
use features_client::{Client, Error};
use serde_json::json;
use support::{headers_of, requests};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("tok-123")
        .build()
        .expect("builds");
    (server, client)
}

#[tokio::test]
async fn get_sends_bearer_header_and_repeated_query() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/pets/rex"))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("x-trace", "t-1"))
        .and(query_param("fields", "id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 7, "kind": "dog", "type": "good", "fooBar": 3, "foo_bar": "x", "tags": { "a": "b" },
            "parent": { "id": 1, "kind": "hamster" }, "born": "2020-02-29", "nickname": "Rexy"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let pet = client
        .get_pet("rex")
        .x_trace("t-1")
        .fields(vec!["id".into(), "kind".into()])
        .send()
        .await
        .expect("ok");
    assert_eq!(
        (pet.id, pet.nickname.as_deref(), pet.foo_bar2),
        (7, Some("Rexy"), Some(3))
    );
    assert_eq!(pet.type_.as_deref(), Some("good"));
    let parent = pet.parent.expect("parent");
    assert_eq!(parent.kind, PetKind::Unknown("hamster".into()));
    assert_eq!(pet.born.map(|d| d.to_string()).as_deref(), Some("2020-02-29"));
    let sent = requests(&server).await;
    let fields: Vec<String> = sent[0]
        .url
        .query_pairs()
        .filter(|(k, _)| k == "fields")
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(fields, ["id", "kind"], "array query parameters repeat, in order");
}

#[tokio::test]
async fn errors_match_ranges_then_default() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/pets/a"))
        .respond_with(ResponseTemplate::new(418).set_body_json(json!({ "code": 418, "message": "teapot" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/b"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({ "code": 1 })))
        .mount(&server)
        .await;
    for (id, status, code) in [("a", 418, 418), ("b", 500, 1)] {
        let err = client.get_pet(id).send().await.expect_err("fails");
        let Error::Api(e) = err else {
            panic!("expected an API error")
        };
        assert_eq!(e.status(), status);
        match e.body() {
            Some(ErrorBody::ErrorModel(m)) => assert_eq!(m.code, code),
            other => panic!("untyped body for {status}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn operations_without_security_send_no_credentials() {
    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path("/pets/rex"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client.delete_pet("rex").send().await.expect("deleted");
    let sent = requests(&server).await;
    assert!(sent[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn form_bodies_are_url_encoded() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "name=Rex%20Jr%26Co&kind=guinea-pig&toys=ball&toys=rope&colors=brown%7Cwhite",
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": 8, "kind": "guinea-pig" })))
        .expect(1)
        .mount(&server)
        .await;
    let body = features_client::types::CreatePetRequest::new("Rex Jr&Co")
        .with_kind(PetKind::GuineaPig)
        .with_toys(vec!["ball".into(), "rope".into()])
        .with_colors(vec!["brown".into(), "white".into()]);
    let pet = client.create_pet(body).send().await.expect("created");
    assert_eq!(pet.kind, PetKind::GuineaPig);
}

#[tokio::test]
async fn recursive_types_decode() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/graph"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "edge": { "to": { "edge": { "to": {} } } } })))
        .mount(&server)
        .await;
    let node = client.get_graph().send().await.expect("ok");
    let inner = node
        .edge
        .and_then(|e| e.to)
        .and_then(|n| n.edge)
        .and_then(|e| e.to)
        .expect("depth 2");
    assert!(inner.edge.is_none());
}

#[test]
fn server_variables_take_their_defaults() {
    assert_eq!(features_client::DEFAULT_BASE_URL, "https://eu.pets.example.com/api");
}

async fn key_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_first_alternative_the_client_can_meet_is_sent() {
    let server = key_server().await;
    // Only a bearer token: the API-key alternative cannot be met, the bearer one can.
    let bearer = Client::builder()
        .base_url(server.uri())
        .bearer_token("tok-9")
        .build()
        .expect("builds");
    bearer.key_or_bearer().send().await.expect("204");
    // Both: the API key comes first in the document's list, so it wins, alone.
    let both = Client::builder()
        .base_url(server.uri())
        .bearer_token("tok-9")
        .api_key("k-1")
        .build()
        .expect("builds");
    both.key_or_bearer().send().await.expect("204");
    let sent = requests(&server).await;
    assert_eq!(headers_of(&sent[0], "authorization"), ["Bearer tok-9"]);
    assert!(headers_of(&sent[0], "x-api-key").is_empty());
    assert_eq!(headers_of(&sent[1], "x-api-key"), ["k-1"]);
    assert!(headers_of(&sent[1], "authorization").is_empty());
}

#[tokio::test]
async fn schemes_required_together_are_all_sent() {
    let server = key_server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k-1")
        .query_key("q-2")
        .build()
        .expect("builds");
    client.key_and_query_key().send().await.expect("204");
    let sent = requests(&server).await;
    assert_eq!(headers_of(&sent[0], "x-api-key"), ["k-1"]);
    assert_eq!(sent[0].url.query(), Some("api_key=q-2"));
}

#[tokio::test]
async fn a_cookie_key_and_cookie_parameters_share_one_cookie_header() {
    let server = key_server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .session_api_key("s-3")
        .build()
        .expect("builds");
    client.session_ping().theme("dark").send().await.expect("204");
    let sent = requests(&server).await;
    assert_eq!(headers_of(&sent[0], "cookie"), ["theme=dark; sid=s-3"]);
    assert!(!format!("{client:?}").contains("s-3"));

    // A value that would end the cookie is encoded, so it cannot add one; a key that would
    // is refused, with nothing sent.
    client
        .session_ping()
        .theme("dark; sid=forged")
        .send()
        .await
        .expect("204");
    let sent = requests(&server).await;
    assert_eq!(
        headers_of(&sent[1], "cookie"),
        ["theme=dark%3B%20sid%3Dforged; sid=s-3"]
    );
    let odd = Client::builder()
        .base_url(server.uri())
        .session_api_key("s-3; admin=1")
        .build()
        .expect("builds");
    let refused = odd.session_ping().send().await.expect_err("refused");
    assert!(refused.to_string().contains("cannot hold"), "{refused}");
    assert_eq!(requests(&server).await.len(), 2, "nothing sent");
}

#[tokio::test]
async fn declared_parameter_constraints_are_checked_before_sending() {
    let server = key_server().await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key("k")
        .build()
        .expect("builds");
    let message = |r: Result<(), Error>| match r {
        Err(features_client::runtime::Error::InvalidRequest(m)) => m,
        other => panic!("expected an invalid request, got {other:?}"),
    };
    let bad_name = client.key_or_bearer().name("Rex").send().await;
    assert_eq!(
        message(bad_name),
        "`name` must match the pattern `^[a-z]+$`, got \"Rex\""
    );
    let long_name = client.key_or_bearer().name("abcdefghijk").send().await;
    assert_eq!(message(long_name), "`name` must be at most 10 characters long, got 11");
    let too_many = client.key_or_bearer().count(50).send().await;
    assert_eq!(message(too_many), "`count` must be less than 50, got 50");
    assert!(requests(&server).await.is_empty());
    client.key_or_bearer().name("rex").count(49).send().await.expect("204");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn arrays_and_objects_are_written_in_their_declared_styles() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    client
        .styled_params(vec![3, 4, 5])
        .filter(
            features_client::types::StyledParamsFilter::new()
                .with_kind("cat")
                .with_min_age(2),
        )
        .colors(vec!["blue".into(), "black".into()])
        .sizes(vec![1, 2])
        .x_ids(vec!["a".into(), "b".into()])
        .send()
        .await
        .expect("sends");
    let sent = requests(&server).await;
    let request = &sent[0];
    // label + explode: `.3.4.5` in the segment.
    assert_eq!(request.url.path(), "/styled/.3.4.5");
    let query: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        query,
        pairs(&[
            ("filter[kind]", "cat"),
            ("filter[min_age]", "2"),
            ("colors", "blue,black"),
            ("sizes", "1|2"),
        ])
    );
    assert_eq!(headers_of(request, "x-ids"), ["a,b"]);
}

#[test]
fn unions_decode_by_discriminator_or_by_shape() {
    use features_client::types::{Anything, Circle, Expr, Shape, Square, Sum};
    let circle: Shape = serde_json::from_value(json!({"kind": "circle", "radius": 2.0})).expect("circle");
    assert_eq!(circle, Shape::Circle(Circle::new("circle", 2.0)));
    // The mapping's value, not the schema name, picks the variant.
    let square: Shape = serde_json::from_value(json!({"kind": "sq", "side": 1.5})).expect("square");
    assert!(matches!(square, Shape::Square(Square { side, .. }) if side == 1.5));
    // A kind the document does not list is kept as it came, and encodes back unchanged.
    let hexagon = json!({"kind": "hexagon", "sides": 6});
    let unknown = serde_json::from_value::<Shape>(hexagon.clone()).expect("unknown kinds are kept");
    assert_eq!(unknown, Shape::Unknown(hexagon.clone()));
    assert_eq!(serde_json::to_value(&unknown).expect("encodes"), hexagon);
    let page: Vec<Shape> =
        serde_json::from_value(json!([{"kind": "circle", "radius": 1.0}, {"kind": "star"}])).expect("a page decodes");
    assert!(matches!(page.as_slice(), [Shape::Circle(_), Shape::Unknown(_)]));
    let missing = serde_json::from_value::<Shape>(json!({"radius": 1.0})).expect_err("no kind");
    assert!(
        missing
            .to_string()
            .contains("`kind` is missing or not a string, expected one of `circle`, `sq`"),
        "{missing}"
    );
    let wrong = serde_json::from_value::<Shape>(json!({"kind": "circle"})).expect_err("radius missing");
    assert!(wrong.to_string().contains("radius"), "{wrong}");
    // Encoding writes the variant's own fields, the discriminator among them.
    assert_eq!(
        serde_json::to_value(&circle).expect("encodes"),
        json!({"kind": "circle", "radius": 2.0})
    );

    // Untagged: the first shape that fits.
    assert_eq!(
        serde_json::from_value::<Anything>(json!(7)).expect("int"),
        Anything::Integer(7)
    );
    assert_eq!(
        serde_json::from_value::<Anything>(json!("x")).expect("str"),
        Anything::String("x".into())
    );
    assert!(serde_json::from_value::<Anything>(json!([1])).is_err());

    // Recursive: `Expr` holds `Sum`, which holds `Expr`, boxed.
    let expr: Expr = serde_json::from_value(json!({"left": 1, "right": {"left": 2, "right": 3}})).expect("expr");
    let Expr::Sum(sum) = &expr else { panic!("a sum") };
    let Sum { left, right, .. } = sum.as_ref();
    assert_eq!(**left, Expr::Integer(1));
    assert!(matches!(right.as_ref(), Expr::Sum(_)));
    assert_eq!(
        serde_json::to_value(&expr).expect("encodes"),
        json!({"left": 1, "right": {"left": 2, "right": 3}})
    );
}

#[tokio::test]
async fn several_success_statuses_text_and_binary_answers() {
    use features_client::types::{Circle, GetExportOutcome};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/exports/ready"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"kind": "circle", "radius": 1.0})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports/running"))
        .respond_with(ResponseTemplate::new(202).set_body_string("40% done"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports/none"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/exports/ready/file"))
        .and(header("accept", "application/zip"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0x50, 0x4b, 0x03, 0x04, 0xff]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .and(header("accept", "text/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_string("all good"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    assert_eq!(
        client.get_export("ready").send().await.expect("200"),
        GetExportOutcome::Ok(Circle::new("circle", 1.0))
    );
    assert_eq!(
        client.get_export("running").send().await.expect("202"),
        GetExportOutcome::Accepted("40% done".into())
    );
    assert_eq!(
        client.get_export("none").send().await.expect("204"),
        GetExportOutcome::NoContent
    );
    let zip = client.download_export("ready").send().await.expect("bytes");
    assert_eq!(zip.as_ref(), &[0x50, 0x4b, 0x03, 0x04, 0xff]);
    assert_eq!(client.health().send().await.expect("text"), "all good");
    let accepts: Vec<String> = requests(&server)
        .await
        .iter()
        .flat_map(|r| headers_of(r, "accept"))
        .collect();
    assert_eq!(accepts[0], "application/json, text/plain");
}

#[tokio::test]
async fn a_path_segment_no_parameter_declares_is_an_argument() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/shelves/top%20shelf/books/7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    client
        .get_shelved_book(7, "top shelf")
        .send()
        .await
        .expect("sent to the filled-in path");
}

#[tokio::test]
async fn multipart_and_raw_bodies() {
    use features_client::types::UploadRequest;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_string("\u{1}\u{2}raw"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    client
        .upload(
            UploadRequest::new(b"PK\x03\x04".to_vec())
                .with_caption("a \"zip\"")
                .with_tags(vec!["x".into(), "y".into()]),
        )
        .send()
        .await
        .expect("uploads");
    client.upload_raw(b"\x01\x02raw".to_vec()).send().await.expect("puts");
    let sent = requests(&server).await;
    let upload = &sent[0];
    let content_type = headers_of(upload, "content-type").remove(0);
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart type with its boundary");
    let body = String::from_utf8_lossy(&upload.body).into_owned();
    let parts: Vec<&str> = body.split(&format!("--{boundary}")).collect();
    // Preamble, file, caption, two tags, closing.
    assert_eq!(parts.len(), 6, "{body}");
    assert!(
        parts[1].contains("name=\"file\"; filename=\"file\"\r\nContent-Type: image/png\r\n\r\nPK\u{3}\u{4}\r\n"),
        "{body}"
    );
    // The media types the document's `encoding` names for the parts.
    assert!(
        parts[2].contains("name=\"caption\"\r\nContent-Type: text/markdown\r\n\r\na \"zip\"\r\n"),
        "{body}"
    );
    assert!(
        parts[3].ends_with("name=\"tags\"\r\n\r\nx\r\n") && parts[4].ends_with("\r\n\r\ny\r\n"),
        "{body}"
    );
    assert_eq!(parts[5], "--\r\n");
    assert_eq!(sent.len(), 2, "the raw body matched its mock");
}

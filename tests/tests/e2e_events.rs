//! Event streams against loopback servers: server-sent events typed as the document declares,
//! with names, ids and retry hints, comments skipped; a `GET` stream resumed with
//! `Last-Event-ID` after the connection drops halfway, no event lost or repeated; an endless
//! line refused at the bound; a malformed event reported by name while the stream goes on;
//! `[DONE]` ending a stream offered beside a JSON answer; JSON lines; text data; silence.

use features_client::runtime::{Error, RequestOptions, RetryPolicy};
use features_client::types::{CompletionRequest, ErrorBody, ExportRow};
use features_client::{Client, EventStream};
use futures::TryStreamExt;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: String) -> Client {
    Client::builder()
        .base_url(uri)
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .max_response_body(64 * 1024)
        .build()
        .expect("builds")
}

/// The data of every event of a stream that ends without an error.
async fn data_of<T: Send + 'static>(events: EventStream<T, ErrorBody>) -> Vec<T> {
    events.map_ok(|e| e.data).try_collect().await.expect("every event")
}

/// Reads one request's head and gives it as text.
async fn request_head(socket: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).to_ascii_lowercase()
}

/// Writes the head of a chunked event-stream answer.
async fn stream_head(socket: &mut TcpStream) {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
    socket.write_all(head.as_bytes()).await.expect("writes");
}

/// Writes `text` as one chunk of a chunked body.
async fn chunk(socket: &mut TcpStream, text: &str) -> std::io::Result<()> {
    socket
        .write_all(format!("{:x}\r\n{text}\r\n", text.len()).as_bytes())
        .await?;
    socket.flush().await
}

#[tokio::test]
async fn a_dropped_stream_resumes_from_the_last_id_without_losing_or_repeating_an_event() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("an address");
    let server = tokio::spawn(async move {
        // The first connection: a comment, two events, half of a third, then it drops.
        let (mut first, _) = listener.accept().await.expect("accepts");
        let head = request_head(&mut first).await;
        stream_head(&mut first).await;
        for part in [
            ": keep-alive\n\n",
            "retry: 5\nid: 1\nevent: tick\ndata: {\"seq\":1}\n\n",
            "id: 2\ndata: {\"seq\":2,\n",
            "data: \"label\":\"two\"}\n\n",
            "id: 3\ndata: {\"se",
        ] {
            chunk(&mut first, part).await.expect("writes");
        }
        drop(first);
        // The second: the client says where it was, and the stream goes on from there.
        let (mut second, _) = listener.accept().await.expect("accepts again");
        let resumed = request_head(&mut second).await;
        stream_head(&mut second).await;
        for part in ["id: 3\ndata: {\"seq\":3}\n\n", ":\n", "id: 4\ndata: {\"seq\":4}\n\n"] {
            chunk(&mut second, part).await.expect("writes");
        }
        second.write_all(b"0\r\n\r\n").await.expect("ends");
        (head, resumed)
    });
    let answer = client(format!("http://{address}"))
        .watch_ticks()
        .from(1)
        .send_with_response()
        .await
        .expect("the stream opens");
    assert_eq!(answer.status(), 200);
    let events: Vec<_> = answer.into_inner().try_collect().await.expect("every event");
    let seen: Vec<(Option<&str>, i64, Option<&str>)> = events
        .iter()
        .map(|e| (e.id.as_deref(), e.data.seq, e.event.as_deref()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (Some("1"), 1, Some("tick")),
            (Some("2"), 2, None),
            (Some("3"), 3, None),
            (Some("4"), 4, None)
        ]
    );
    assert_eq!(events[0].retry, Some(Duration::from_millis(5)));
    assert_eq!(events[1].data.label.as_deref(), Some("two"));
    let (head, resumed) = server.await.expect("the server ran");
    assert!(head.contains("accept: text/event-stream"), "{head}");
    assert!(!head.contains("last-event-id"), "{head}");
    assert!(resumed.starts_with("get /ticks?from=1 "), "{resumed}");
    assert!(resumed.contains("last-event-id: 2\r\n"), "{resumed}");
}

#[tokio::test]
async fn an_endless_line_ends_the_stream_at_the_bound() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("an address");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepts");
        request_head(&mut socket).await;
        stream_head(&mut socket).await;
        let mut sent = 0usize;
        let line = "x".repeat(4096);
        // A line that never ends, until the client hangs up (or 64 MiB, a failure).
        while sent < 64 * 1024 * 1024 && chunk(&mut socket, &line).await.is_ok() {
            sent += line.len();
        }
        sent
    });
    let mut events = client(format!("http://{address}"))
        .watch_ticks()
        .send()
        .await
        .expect("the stream opens")
        .max_event_size(16 * 1024);
    match events.try_next().await {
        Err(Error::EventTooLarge { limit }) => assert_eq!(limit, 16 * 1024),
        other => panic!("expected the bound, got {other:?}"),
    }
    assert!(events.try_next().await.expect("ended").is_none());
    drop(events);
    let sent = server.await.expect("the server ran");
    assert!(sent < 64 * 1024 * 1024, "the client kept reading: {sent} bytes");
}

#[tokio::test]
async fn a_malformed_event_is_an_error_naming_it_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    let body =
        "id: 1\ndata: {\"seq\":1}\n\nevent: tick\nid: 2\ndata: {\"seq\":\"two\"}\n\nid: 3\ndata: {\"seq\":3}\n\n";
    Mock::given(method("GET"))
        .and(path("/ticks"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let mut events = client(server.uri()).watch_ticks().send().await.expect("opens");
    assert_eq!(events.try_next().await.expect("first").map(|e| e.data.seq), Some(1));
    match events.try_next().await {
        Err(Error::Decode(e)) => {
            assert!(e.message.contains("event `tick` (id 2)"), "{e}");
            assert_eq!(e.path.as_deref(), Some("seq"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(events.try_next().await.expect("third").map(|e| e.data.seq), Some(3));
    assert!(events.try_next().await.expect("ended").is_none());
}

#[tokio::test]
async fn a_stream_beside_a_json_answer_is_asked_for_and_ends_at_done() {
    let server = MockServer::start().await;
    let body =
        "data: {\"delta\":\"Hel\"}\n\ndata: {\"delta\":\"lo\"}\n\ndata: [DONE]\n\ndata: {\"delta\":\"after\"}\n\n";
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(header("accept", "text/event-stream"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/completions"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"text": "Hello"})))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let whole = client
        .complete(CompletionRequest::new("Hi"))
        .send()
        .await
        .expect("answers");
    assert_eq!(whole.text, "Hello");
    let mut events = client
        .complete(CompletionRequest::new("Hi"))
        .send_events()
        .await
        .expect("opens")
        .into_inner();
    let mut text = String::new();
    while let Some(event) = events.try_next().await.expect("an event") {
        text.push_str(&event.data.delta);
    }
    assert_eq!(text, "Hello");
}

#[tokio::test]
async fn json_lines_and_text_events_arrive_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/export"))
        .and(header("accept", "application/x-ndjson"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("{\"row\":1}\r\n\n{\"row\":2,\"value\":\"b\"}", "application/x-ndjson"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/log"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "event: line\ndata: started\ndata: twice\n\n: ping\n\ndata: stopped\n\n",
            "text/event-stream",
        ))
        .mount(&server)
        .await;
    let client = client(server.uri());
    let rows: Vec<ExportRow> = data_of(client.export_rows().send().await.expect("opens")).await;
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(rows[1].value.as_deref(), Some("b"));
    let lines = data_of(client.tail_log().send().await.expect("opens")).await;
    assert_eq!(lines, ["started\ntwice", "stopped"]);
}

#[tokio::test]
async fn a_silent_stream_ends_with_an_error_after_the_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accepts");
        request_head(&mut socket).await;
        stream_head(&mut socket).await;
        chunk(&mut socket, "data: {\"seq\":1}\n\n").await.expect("writes");
        // Then nothing, with the connection open, until the client hangs up.
        let mut rest = [0u8; 64];
        let _ = socket.read(&mut rest).await;
    });
    let mut events = client(format!("http://{address}"))
        .watch_ticks()
        .with_options(RequestOptions::new().timeout(Duration::from_millis(200)))
        .send()
        .await
        .expect("opens");
    assert_eq!(events.try_next().await.expect("first").map(|e| e.data.seq), Some(1));
    match events.try_next().await {
        Err(Error::Silent { after }) => assert_eq!(after, Duration::from_millis(200)),
        other => panic!("expected silence, got {other:?}"),
    }
}

#[tokio::test]
async fn the_typed_mocks_answer_a_stream_of_events() {
    use features_client::mocks::MockServer;
    use features_client::types::Tick;
    use features_client::Event;
    let server = MockServer::start().await;
    let tick = |seq: i64, id: &str| Event {
        event: Some("tick".to_owned()),
        id: Some(id.to_owned()),
        retry: None,
        data: Tick::new(seq),
    };
    server
        .expect()
        .watch_ticks()
        .answers_events(&[tick(1, "a"), tick(2, "b")])
        .await;
    server.expect().tail_log().answers(&"one\ntwo".to_owned()).await;
    let client = client(server.uri());
    let events: Vec<_> = client
        .watch_ticks()
        .send()
        .await
        .expect("opens")
        .try_collect()
        .await
        .expect("events");
    assert_eq!(events, vec![tick(1, "a"), tick(2, "b")]);
    let lines = data_of(client.tail_log().send().await.expect("opens")).await;
    assert_eq!(lines, ["one\ntwo"]);
}

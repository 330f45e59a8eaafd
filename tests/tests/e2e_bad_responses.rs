//! Whatever a server sends back (wrong content type, truncated or huge bodies, wrong JSON
//! shapes, connections cut mid-response), the client answers with an `Error` saying what came
//! back, never a panic. Uses a raw TCP server to send what no well-behaved server would.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wpengine_api::runtime::Error;
use wpengine_api::{Client, RetryPolicy};

const INSTALL: &str = "294deacc-d8b8-4005-82c4-0727ba8ddde0";

/// Serves `response` verbatim to every connection, then closes it; returns the base URL.
async fn raw_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&response).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

async fn get_install(
    base: String,
    max_body: Option<usize>,
) -> Result<wpengine_api::types::Installation, wpengine_api::Error> {
    let mut builder = Client::builder()
        .base_url(base)
        .retry(RetryPolicy::disabled())
        .timeout(Some(Duration::from_secs(5)));
    if let Some(limit) = max_body {
        builder = builder.max_response_body(limit);
    }
    builder
        .build()
        .expect("builds")
        .get_install(INSTALL.parse().expect("uuid"))
        .send()
        .await
}

#[tokio::test]
async fn an_html_page_instead_of_json_is_a_decode_error_quoting_it() {
    let page = b"<html><body>502 Bad Gateway</body></html>";
    let len = page.len().to_string();
    let base = raw_server(http(
        "200 OK",
        &[("content-type", "text/html"), ("content-length", &len)],
        page,
    ))
    .await;
    match get_install(base, None).await {
        Err(Error::Decode(e)) => {
            assert_eq!(e.content_type.as_deref(), Some("text/html"));
            assert!(e.body.contains("502 Bad Gateway"), "{e}");
            assert!(e.to_string().contains("did not match the expected type"), "{e}");
            // A maintenance page is obvious from the message alone.
            assert!(e.to_string().contains("(Content-Type text/html)"), "{e}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error() {
    // Announces 500 bytes, sends 20, closes.
    let base = raw_server(http(
        "200 OK",
        &[("content-type", "application/json"), ("content-length", "500")],
        br#"{"id": "294deacc-d8"#,
    ))
    .await;
    match get_install(base, None).await {
        Err(Error::Transport(e)) => assert!(!e.is_timeout(), "{e}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_connection_closed_before_any_answer_is_a_transport_error() {
    let base = raw_server(Vec::new()).await;
    let err = get_install(base, None).await.expect_err("no answer");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.to_string().starts_with("the request failed in transport"), "{err}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_declared_or_streamed() {
    let huge = vec![b' '; 64 * 1024];
    let len = huge.len().to_string();
    let declared = raw_server(http("200 OK", &[("content-length", &len)], &huge)).await;
    let err = get_install(declared, Some(1024)).await.expect_err("too large");
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 200,
                limit: 1024
            }
        ),
        "{err:?}"
    );
    // Without a content-length the limit holds while streaming.
    let mut chunked = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_vec();
    chunked.extend_from_slice(&huge);
    let streamed = raw_server(chunked).await;
    let err = get_install(streamed, Some(1024)).await.expect_err("too large");
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("max_response_body"), "{err}");
}

#[tokio::test]
async fn wrong_shapes_and_empty_bodies_are_decode_errors() {
    for body in [&b"[1, 2, 3]"[..], b"", b"null", b"{\"id\": 42}", b"\xff\xfe not utf-8"] {
        let len = body.len().to_string();
        let base = raw_server(http(
            "200 OK",
            &[("content-type", "application/json"), ("content-length", &len)],
            body,
        ))
        .await;
        let err = get_install(base, None).await.expect_err("bad body");
        assert!(matches!(err, Error::Decode(_)), "{body:?}: {err:?}");
    }
}

#[tokio::test]
async fn an_error_status_with_a_garbage_body_keeps_the_raw_body() {
    let body = b"upstream connect error";
    let len = body.len().to_string();
    let base = raw_server(http("404 Not Found", &[("content-length", &len)], body)).await;
    match get_install(base, None).await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 404);
            assert!(e.body().is_none(), "not the declared schema");
            assert_eq!(e.raw_body(), body);
            assert!(e.to_string().ends_with("check the IDs in the request"), "{e}");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

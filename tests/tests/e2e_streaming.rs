//! Binary downloads as a stream of chunks: larger than the body-size limit that holds for
//! `send`, with the status and headers, and a transfer that breaks off is an error item.

use features_client::runtime::Error;
use features_client::Client;
use futures::TryStreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: String, max_body: usize) -> Client {
    Client::builder()
        .base_url(uri)
        .bearer_token("t")
        .max_response_body(max_body)
        .build()
        .expect("builds")
}

#[tokio::test]
async fn a_download_larger_than_the_body_limit_streams_in_full() {
    let server = MockServer::start().await;
    let archive: Vec<u8> = (0..3 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/exports/big/file"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(archive.clone(), "application/zip")
                .insert_header("x-request-id", "dl-1"),
        )
        .mount(&server)
        .await;
    let client = client(server.uri(), 64 * 1024);
    // Read whole, the 3 MiB body breaks the 64 KiB limit.
    match client.download_export("big").send().await {
        Err(Error::ResponseTooLarge { limit, .. }) => assert_eq!(limit, 64 * 1024),
        other => panic!("expected the body limit, got {:?}", other.map(|b| b.len())),
    }
    // Streamed, it arrives in full, in chunks.
    let answer = client.download_export("big").send_streaming().await.expect("answers");
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.request_id(), Some("dl-1"));
    let chunks: Vec<_> = answer.into_inner().try_collect().await.expect("every chunk");
    assert!(chunks.len() > 1, "more than one chunk");
    assert_eq!(chunks.concat(), archive);
}

#[tokio::test]
async fn a_transfer_that_breaks_off_ends_the_stream_with_an_error() {
    // A server that promises 1 MiB and closes after 1 KiB.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        if let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/zip\r\ncontent-length: 1048576\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&[7u8; 1024]).await;
            let _ = socket.shutdown().await;
        }
    });
    let answer = client(format!("http://{address}"), 64 * 1024)
        .download_export("cut")
        .send_streaming()
        .await
        .expect("the status and headers arrive");
    let mut received = 0;
    let mut body = answer.into_inner();
    let outcome = loop {
        match body.try_next().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => break None,
            Err(e) => break Some(e),
        }
    };
    match outcome {
        Some(Error::Transport(_)) => assert_eq!(received, 1024),
        other => panic!("expected a transport error after 1 KiB, got {other:?} after {received} bytes"),
    }
}

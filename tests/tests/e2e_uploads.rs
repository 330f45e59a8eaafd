//! Uploads from bytes, a file or a stream, as a raw body or a multipart file part: the part's
//! file name and media type can be set, a retry sends the bytes or the file again, a stream is
//! sent once, and a body that cannot be read or breaks off is an error, never a success.

use std::path::PathBuf;
use std::time::Duration;

use features_client::runtime::{Error, RetryPolicy, Upload};
use features_client::types::UploadRequest;
use features_client::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: String) -> Client {
    Client::builder()
        .base_url(uri)
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            max_total_delay: Duration::from_secs(5),
        })
        .build()
        .expect("builds")
}

/// A file of `len` patterned bytes under the test target's scratch directory.
fn scratch_file(name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let data: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
    let file = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("e2e-uploads-{name}"));
    std::fs::write(&file, &data).expect("the scratch file is written");
    (file, data)
}

/// `PUT /uploads/raw` answers 503 once, then 204.
async fn flaky_raw_upload() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/uploads/raw"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/uploads/raw"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn content_length(request: &wiremock::Request) -> Option<String> {
    request
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_file_upload_is_read_again_by_the_retry() {
    let (file, data) = scratch_file("retried.bin", 300 * 1024);
    let server = flaky_raw_upload().await;
    client(server.uri())
        .upload_raw(Upload::file(&file).expect("a file"))
        .send()
        .await
        .expect("the retry succeeds");
    let seen = server.received_requests().await.expect("recorded");
    assert_eq!(seen.len(), 2, "the 503 was retried");
    for request in &seen {
        assert!(request.body == data, "each attempt sent the whole file");
        assert_eq!(content_length(request), Some(data.len().to_string()));
    }
}

#[tokio::test]
async fn a_stream_upload_is_sent_once_and_not_again() {
    let server = flaky_raw_upload().await;
    let chunks = vec![
        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"first,")),
        Ok(bytes::Bytes::from_static(b"second")),
    ];
    let upload = Upload::stream(futures::stream::iter(chunks), None);
    let client = client(server.uri());
    // The 503 is not retried: the stream is spent.
    match client.upload_raw(upload.clone()).send().await {
        Err(e @ Error::Api(_)) => assert_eq!(e.status(), Some(503)),
        other => panic!("expected the 503, got {other:?}"),
    }
    let seen = server.received_requests().await.expect("recorded");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].body, b"first,second");
    // The same stream, sent again, is refused before anything goes out.
    match client.upload_raw(upload).send().await {
        Err(Error::Upload(e)) => assert!(e.to_string().contains("already sent"), "{e}"),
        other => panic!("expected the spent stream to be refused, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);
}

#[tokio::test]
async fn a_stream_that_breaks_off_is_an_error_not_a_success() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/uploads/raw"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let chunks = vec![
        Ok(bytes::Bytes::from_static(b"half")),
        Err(std::io::Error::other("the disk went away")),
    ];
    let upload = Upload::stream(futures::stream::iter(chunks), Some(1000));
    match client(server.uri()).upload_raw(upload).send().await {
        Err(Error::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_multipart_file_part_carries_the_file_name_and_media_type_set() {
    let (file, data) = scratch_file("photo.raw", 70 * 1024);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(server.uri());
    // From disk: the file's own name, and the first media type the document lists.
    let from_disk = Upload::file(&file).expect("a file");
    client
        .upload(UploadRequest::new(from_disk))
        .send()
        .await
        .expect("uploads");
    // Named and typed by the caller.
    let named = Upload::from(b"GIF89a".to_vec())
        .with_file_name("cat \"1\".gif")
        .with_content_type("image/gif");
    client.upload(UploadRequest::new(named)).send().await.expect("uploads");

    let seen = server.received_requests().await.expect("recorded");
    let first = &seen[0].body;
    let head = b"name=\"file\"; filename=\"e2e-uploads-photo.raw\"\r\nContent-Type: image/png\r\n\r\n";
    let at = first
        .windows(head.len())
        .position(|w| w == head)
        .unwrap_or_else(|| panic!("the file part's header: {}", String::from_utf8_lossy(first)));
    let start = at + head.len();
    assert!(
        first[start..start + data.len()] == data[..],
        "the file's bytes, as they are"
    );
    assert_eq!(content_length(&seen[0]), Some(first.len().to_string()));
    let second = String::from_utf8_lossy(&seen[1].body);
    assert!(
        second.contains("name=\"file\"; filename=\"cat %221%22.gif\"\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n"),
        "{second}"
    );
}

#[tokio::test]
async fn a_file_that_cannot_be_read_sends_nothing() {
    assert_eq!(
        Upload::file("/no/such/file").map(|_| ()).map_err(|e| e.kind()),
        Err(std::io::ErrorKind::NotFound)
    );
    let (file, _) = scratch_file("vanishing.bin", 10);
    let upload = Upload::file(&file).expect("a file");
    std::fs::remove_file(&file).expect("removed");
    let server = flaky_raw_upload().await;
    match client(server.uri()).upload_raw(upload).send().await {
        Err(Error::Upload(e)) => assert!(e.to_string().contains("e2e-uploads-vanishing.bin"), "{e}"),
        other => panic!("expected the unreadable file, got {other:?}"),
    }
    assert!(server.received_requests().await.expect("recorded").is_empty());
}

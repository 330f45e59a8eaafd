//! `cargo xtask bench upload`: the peak memory of a 20 MiB multipart upload, from a file on
//! disk and from memory, measured as the growth of the process's peak resident set (`VmHWM` in
//! `/proc/self/status`, Linux) over its level before the upload (for memory: before the bytes
//! are made), divided by the file's size. The server is a loopback socket that reads the whole
//! request and answers 204.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAYLOAD: usize = 20 * 1024 * 1024;

/// The process's peak resident set so far, in bytes.
fn peak_rss() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or("no VmHWM line (this measurement needs Linux)")?;
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or("VmHWM is not a number")?;
    Ok(kib * 1024)
}

/// Accepts one connection, reads the request to the end of its body, and answers 204.
async fn drain_one(listener: tokio::net::TcpListener) -> std::io::Result<usize> {
    let (mut socket, _) = listener.accept().await?;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let (mut received, length) = loop {
        let n = socket.read(&mut buffer).await?;
        head.extend_from_slice(&buffer[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
            let length = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (head.len() - end - 4, length);
        }
    };
    while received < length {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        received += n;
    }
    socket
        .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
        .await?;
    Ok(received)
}

/// Uploads `body` to a fresh loopback server; the bytes the server received.
async fn upload(body: features_client::types::UploadRequest) -> Result<usize, Box<dyn std::error::Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(drain_one(listener));
    let client = features_client::Client::builder()
        .base_url(format!("http://{address}"))
        .bearer_token("t")
        .build()?;
    client.upload(body).send().await?;
    Ok(server.await??)
}

fn row(source: &str, received: usize, before: u64, peak: u64) {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!(
        "| {source} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2}x |",
        mib(PAYLOAD as u64),
        mib(received as u64),
        mib(before),
        mib(peak),
        peak.saturating_sub(before) as f64 / PAYLOAD as f64
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use features_client::runtime::Upload;
    use features_client::types::UploadRequest;
    println!("| file part from | payload (MiB) | body received (MiB) | RSS before (MiB) | peak RSS (MiB) | peak growth / payload |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    // First the file on disk (written in pieces, so it never is in memory whole), as the peak
    // only grows: the upload in memory comes second.
    let path = std::env::temp_dir().join(format!("upload-memory-{}.bin", std::process::id()));
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for i in 0..PAYLOAD {
            out.write_all(&[(i % 251) as u8])?;
        }
        out.flush()?;
    }
    let before = peak_rss()?;
    let received = upload(UploadRequest::new(Upload::file(&path)?).with_caption("a large file")).await;
    let _ = std::fs::remove_file(&path);
    row("a file (`Upload::file`)", received?, before, peak_rss()?);

    let before = peak_rss()?;
    let file: Vec<u8> = (0..PAYLOAD).map(|i| (i % 251) as u8).collect();
    let received = upload(UploadRequest::new(file).with_caption("a large file")).await?;
    row("memory (a `Vec<u8>`)", received, before, peak_rss()?);
    Ok(())
}

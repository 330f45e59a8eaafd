//! A loopback HTTP server that answers every request at once with a site, over keep-alive
//! connections, and records when each request arrived (on tokio's clock, so a test on the
//! paused clock and a benchmark on the real one both read it): what the rate-limit test and
//! benchmark count windows over.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::time::Instant;

/// When each request arrived, on the test's clock.
pub type Arrivals = Arc<Mutex<Vec<Instant>>>;

/// A server that answers every request with a site (and `extra_headers`, each ending in
/// `\r\n`) and records when it arrived.
pub async fn counting_server(extra_headers: &'static str) -> (String, Arrivals) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let arrivals: Arrivals = Arc::default();
    let seen = Arc::clone(&arrivals);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        seen.lock().expect("not poisoned").push(Instant::now());
                        let body = r#"{"id":"s1"}"#;
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{extra_headers}content-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if socket.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    (url, arrivals)
}

/// The most requests of `times` (in order) in any window `[t, t + period)`.
pub fn most_in_any_window(times: &[Instant], period: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for (end, t) in times.iter().enumerate() {
        while *t >= times[start] + period {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

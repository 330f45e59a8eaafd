//! The rate limits kept before requests are sent, against a loopback server that records when
//! each request arrives and counts them per window: the document's 1,000 per 15 minutes
//! (`x-rate-limits` of the seed API) together with the builder's 10 per second, a limit shared
//! by the clones of a client, an operation's own limit, and the server's headers pausing it.
//!
//! Time is tokio's paused clock, so 15 minutes pass at once and the same times come out on
//! every run; the requests really cross loopback. The server runs in the test's runtime and no
//! other timer is pending while a request is in flight (no client timeout, no idle-connection
//! timer), so the clock cannot move between sending and arriving.

mod counting_server;

use counting_server::{counting_server, most_in_any_window};
use seed_bearer_idempotency::{Client, RateLimit};
use std::time::Duration;
use tokio::time::Instant;

/// An HTTP client without an idle-connection timer, which would move the paused clock while a
/// request is in flight.
fn without_timers() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .expect("an HTTP client")
}

/// A client of the seed API at `url`: its own rate limit (the document's) plus `limits`, no
/// timers of its own (see the module's docs), no retries.
fn client(url: &str, limits: &[RateLimit]) -> Client {
    limits
        .iter()
        .fold(Client::builder(), |b, l| b.rate_limit(*l))
        .base_url(url)
        .bearer_token("k")
        .timeout(None)
        .retry(seed_bearer_idempotency::RetryPolicy::disabled())
        .http_client(without_timers())
        .build()
        .expect("builds")
}

#[tokio::test(start_paused = true)]
async fn ten_a_second_and_the_documents_thousand_per_fifteen_minutes_hold_together() {
    let (url, arrivals) = counting_server("").await;
    let client = client(&url, &[RateLimit::per_second(10)]);
    let start = Instant::now();
    for _ in 0..1010 {
        client.get_site("s1").send().await.expect("answered");
    }
    let times = arrivals.lock().expect("not poisoned").clone();
    assert_eq!(times.len(), 1010);
    assert_eq!(most_in_any_window(&times, Duration::from_secs(1)), 10);
    assert_eq!(most_in_any_window(&times, Duration::from_secs(900)), 1000);
    // No slower than the limits with their guards (a twentieth of the period, at most a
    // second) make it: ten every 1.05 s, so the 1,000th request goes at 103.95 s; the 1,001st
    // when the first has left the 15-minute window and its guard, at 901 s.
    assert_eq!(times[999] - start, Duration::from_millis(103_950));
    assert_eq!(times[1000] - start, Duration::from_secs(901));
    assert_eq!(times[1009] - start, Duration::from_secs(901));
    // Even a request a whole guard late would not make 11 in a second.
    assert_eq!(most_in_any_window(&times, Duration::from_millis(1049)), 10);
}

#[tokio::test(start_paused = true)]
async fn the_clones_of_a_client_share_its_limit() {
    let (url, arrivals) = counting_server("").await;
    let client = client(&url, &[RateLimit::per_second(10)]);
    let calls = (0..30).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get_site("s1").send().await.map(|_| ()) })
    });
    let start = Instant::now();
    for call in futures::future::join_all(calls).await {
        call.expect("joins").expect("answered");
    }
    let times = arrivals.lock().expect("not poisoned").clone();
    assert_eq!(times.len(), 30);
    assert_eq!(most_in_any_window(&times, Duration::from_secs(1)), 10);
    assert!(
        Instant::now() - start >= Duration::from_secs(2),
        "30 requests at 10 a second"
    );
}

#[tokio::test(start_paused = true)]
async fn a_server_that_says_its_quota_is_spent_pauses_the_next_request_until_the_reset() {
    let (url, arrivals) = counting_server("x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 30\r\n").await;
    let client = client(&url, &[]);
    let start = Instant::now();
    client.get_site("s1").send().await.expect("first");
    client.get_site("s1").send().await.expect("second");
    let times = arrivals.lock().expect("not poisoned").clone();
    assert_eq!(times[0] - start, Duration::ZERO);
    assert_eq!(times[1] - start, Duration::from_secs(30));

    // Off, the headers are only read.
    let (url, arrivals) = counting_server("x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 30\r\n").await;
    let client = Client::builder()
        .base_url(url)
        .bearer_token("k")
        .timeout(None)
        .rate_limit_headers(false)
        .http_client(without_timers())
        .build()
        .expect("builds");
    let start = Instant::now();
    client.get_site("s1").send().await.expect("first");
    client.get_site("s1").send().await.expect("second");
    let times = arrivals.lock().expect("not poisoned").clone();
    assert_eq!(times[1] - start, Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn an_operations_own_limit_holds_beside_the_clients() {
    let (url, arrivals) = counting_server("").await;
    let client = features_client::Client::builder()
        .base_url(url)
        .bearer_token("k")
        .timeout(None)
        .http_client(without_timers())
        .build()
        .expect("builds");
    let start = Instant::now();
    // `listScopedPets` declares 2 a second; the answer is not a list, which does not matter here.
    for _ in 0..5 {
        let _ = client.list_scoped_pets().send().await;
    }
    let times: Vec<Duration> = arrivals
        .lock()
        .expect("not poisoned")
        .iter()
        .map(|t| *t - start)
        .collect();
    let ms = Duration::from_millis;
    assert_eq!(times, [ms(0), ms(0), ms(1050), ms(1050), ms(2100)]);
    assert!(
        Client::builder()
            .rate_limit(RateLimit::new(0, Duration::from_secs(1)))
            .build()
            .is_err(),
        "a limit of no requests is refused"
    );
}

//! The rate limiter in real time, against a loopback server that records when each request
//! arrives: what it lets through (the most in any window, the rate), what it costs a request
//! when it does not hold it back (interleaved with a client without limits), and what a token
//! bucket of the same limit would have let through. Figures go to BENCHMARKS.md.
//!
//! `cargo bench -p tests --bench rate_limits` (release build; about 40 seconds).

#[path = "../tests/counting_server/mod.rs"]
mod counting_server;

use counting_server::{counting_server, most_in_any_window};
use seed_bearer_idempotency::{Client, RateLimit, RetryPolicy};
use std::time::Duration;
use tokio::time::Instant;

const PAIRS: usize = 2000;
const PACED: usize = 200;
const CONCURRENT: usize = 8;

fn client(url: &str, limits: &[RateLimit]) -> Client {
    limits
        .iter()
        .fold(Client::builder().no_rate_limits(), |b, l| b.rate_limit(*l))
        .base_url(url)
        .bearer_token("k")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("builds")
}

fn median_us(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e6
}

/// How many requests a token bucket (GCRA, `governor`'s algorithm) of `limit` requests per
/// `period`, with a burst of `limit`, admits in the first `period` to a sender that always has
/// one ready, on simulated time.
fn token_bucket_admits(limit: u32, period: Duration) -> u32 {
    let emission = period / limit;
    let tolerance = emission * (limit - 1);
    let (mut tat, mut now, mut admitted) = (Duration::ZERO, Duration::ZERO, 0);
    while now < period {
        if now + tolerance >= tat {
            admitted += 1;
            tat = tat.max(now) + emission;
        } else {
            now = tat - tolerance;
        }
    }
    admitted
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (url, arrivals) = counting_server("").await;

    // Cost when the limiter does not hold a request back: two windows far above the rate.
    let unlimited = client(&url, &[]);
    let generous = client(&url, &[RateLimit::per_second(1_000_000), RateLimit::per_hour(u32::MAX)]);
    for _ in 0..100 {
        unlimited.get_site("s1").send().await.expect("answered");
        generous.get_site("s1").send().await.expect("answered");
    }
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for i in 0..PAIRS {
        for limited in [i % 2 == 0, i % 2 != 0] {
            let start = Instant::now();
            if limited {
                generous.get_site("s1").send().await.expect("answered");
                with.push(start.elapsed());
            } else {
                unlimited.get_site("s1").send().await.expect("answered");
                without.push(start.elapsed());
            }
        }
    }
    let (without, with) = (median_us(without), median_us(with));
    println!("get_site on loopback, {PAIRS} interleaved pairs:");
    println!("  without limits:                 median {without:.1} us");
    println!(
        "  with 2 windows it never reaches: median {with:.1} us ({:+.1} us)",
        with - without
    );

    // What 10 a second lets through, from one caller and from several clones at once.
    for callers in [1, CONCURRENT] {
        arrivals.lock().expect("not poisoned").clear();
        let paced = client(&url, &[RateLimit::per_second(10)]);
        let start = Instant::now();
        let tasks = (0..callers).map(|_| {
            let client = paced.clone();
            tokio::spawn(async move {
                for _ in 0..PACED / callers {
                    client.get_site("s1").send().await.expect("answered");
                }
            })
        });
        futures::future::join_all(tasks).await;
        let elapsed = start.elapsed();
        let mut times = arrivals.lock().expect("not poisoned").clone();
        times.sort();
        println!(
            "{PACED} requests at 10 a second, {callers} caller(s): {:.2} s, {:.2} a second, at most {} in any second (server's clock)",
            elapsed.as_secs_f64(),
            times.len() as f64 / elapsed.as_secs_f64(),
            most_in_any_window(&times, Duration::from_secs(1))
        );
    }

    let fifteen = Duration::from_secs(900);
    println!(
        "1,000 per 15 minutes: this limiter lets 1000 through in any 15 minutes; a token bucket of that limit (burst 1,000) admits {} in the first 15 minutes",
        token_bucket_admits(1000, fifteen)
    );
}

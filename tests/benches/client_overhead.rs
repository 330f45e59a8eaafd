//! Client overhead: the same `list_installs` call (a 100-item page) through the generated client
//! and through raw `reqwest` plus `serde_json`, interleaved against one loopback server, and the
//! decode throughput of that page. Figures go to BENCHMARKS.md.
//!
//! `cargo bench -p tests --bench client_overhead` (release build; takes about a minute).

use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wpengine_api::runtime::reqwest;
use wpengine_api::{types, Client, RetryPolicy};

const PAIRS: usize = 2000;
const WARMUP: usize = 100;
const DECODES: usize = 5000;

fn page() -> Vec<u8> {
    let results: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({
                "id": format!("294deacc-d8b8-4005-82c4-{i:012}"),
                "name": format!("install{i}"),
                "account": { "id": "eeda3227-9a39-46ae-9e14-20958bb4e6c9" },
                "php_version": "8.2",
                "status": "active",
                "site": { "id": "28c78b6d-c2da-4f09-85f5-1ad588089b2d" },
                "cname": format!("install{i}.wpengine.com"),
                "stable_ips": ["1.2.3.4"],
                "environment": "production",
                "primary_domain": format!("install{i}.example.com"),
                "is_multisite": false
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "previous": null, "next": null, "count": 100, "results": results }))
        .expect("encodes")
}

fn summary(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let median = times[times.len() / 2];
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    (median, mean)
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let body = page();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/installs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic_auth("user", "password")
        .retry(RetryPolicy::disabled())
        .build()?;
    let raw = reqwest::Client::new();
    let url = format!("{}/installs", server.uri());

    let generated = || async {
        client
            .list_installs()
            .limit(100)
            .send()
            .await
            .map(|p| p.results.map_or(0, |r| r.len()))
    };
    let by_hand = || async {
        let response = raw
            .get(&url)
            .basic_auth("user", Some("password"))
            .header("accept", "application/json")
            .query(&[("limit", "100")])
            .send()
            .await?;
        let bytes = response.error_for_status()?.bytes().await?;
        let page: types::ListInstallsResponse = serde_json::from_slice(&bytes)?;
        Ok::<usize, Box<dyn std::error::Error>>(page.results.map_or(0, |r| r.len()))
    };

    for _ in 0..WARMUP {
        assert_eq!(generated().await?, 100);
        assert_eq!(by_hand().await?, 100);
    }
    let (mut ours, mut theirs) = (Vec::with_capacity(PAIRS), Vec::with_capacity(PAIRS));
    for i in 0..PAIRS {
        // Alternate which goes first, so neither always meets a warm or cold connection.
        let order = i % 2 == 0;
        for first in [order, !order] {
            let start = Instant::now();
            if first {
                generated().await?;
                ours.push(start.elapsed());
            } else {
                by_hand().await?;
                theirs.push(start.elapsed());
            }
        }
    }
    let (ours_median, ours_mean) = summary(ours);
    let (theirs_median, theirs_mean) = summary(theirs);
    println!(
        "list_installs, 100 items, {} bytes, {PAIRS} interleaved pairs:",
        body.len()
    );
    println!(
        "  generated client: median {:.1} us, mean {:.1} us",
        us(ours_median),
        us(ours_mean)
    );
    println!(
        "  raw reqwest:      median {:.1} us, mean {:.1} us",
        us(theirs_median),
        us(theirs_mean)
    );
    println!(
        "  ratio (median): {:.3}x, (mean): {:.3}x",
        us(ours_median) / us(theirs_median),
        us(ours_mean) / us(theirs_mean)
    );

    let start = Instant::now();
    for _ in 0..DECODES {
        let page: types::ListInstallsResponse = serde_json::from_slice(&body)?;
        std::hint::black_box(page);
    }
    let per = start.elapsed() / DECODES as u32;
    println!(
        "decode of the page: {:.1} us, {:.0} MB/s, {:.0} items/ms",
        us(per),
        body.len() as f64 / per.as_secs_f64() / 1e6,
        100.0 / (per.as_secs_f64() * 1e3)
    );
    Ok(())
}

//! Adds a domain to an install, then checks its status (DNS, SSL) and prints the report.
//!
//! `cargo run -p wpengine-api --example add_domain -- <install-id> <domain>`, with
//! `WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD` set (and `WPENGINE_API_URL` to use
//! another server).

use std::time::Duration;
use wpengine_api::{types, Client, PollPolicy};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: add_domain <install-id> <domain>";
    let install: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let name = args.next().ok_or(usage)?;
    let client = Client::from_env()?;
    let report = run(
        &client,
        install,
        name,
        PollPolicy::with_deadline(Duration::from_secs(300)),
    )
    .await?;
    for domain in report.domains.unwrap_or_default() {
        println!("{domain:?}");
    }
    Ok(())
}

pub async fn run(
    client: &Client,
    install: uuid::Uuid,
    name: String,
    policy: PollPolicy,
) -> Result<types::DomainStatusReport, Box<dyn std::error::Error>> {
    let request = types::CreateDomainRequest::new(name);
    let domain = client.create_domain(install, request).send().await?;
    println!("added {} ({})", domain.name, domain.id);
    // The document types domain ids as plain strings; status checks take them as UUIDs.
    let id: uuid::Uuid = domain.id.parse()?;
    Ok(client.check_domain_and_wait(install, id, &policy).await?)
}

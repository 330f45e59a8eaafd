//! Purges every cache layer of an install.
//!
//! `cargo run -p wpengine-api --example purge_cache -- <install-id>`, with
//! `WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD` set (and `WPENGINE_API_URL` to use
//! another server).

use wpengine_api::{types, Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let install: uuid::Uuid = std::env::args()
        .nth(1)
        .ok_or("usage: purge_cache <install-id>")?
        .parse()?;
    let client = Client::from_env()?;
    run(&client, install).await?;
    println!("cache purge requested");
    Ok(())
}

pub async fn run(client: &Client, install: uuid::Uuid) -> Result<(), Error> {
    let request = types::PurgeCacheRequest::new(types::PurgeCacheRequestType::All);
    match client.purge_cache(install, request).send().await {
        // The API limits purges; the client already retried with backoff before giving up.
        Err(Error::RateLimited { retry_after, .. }) => {
            eprintln!("purged too often; try again in {retry_after:?}");
            Ok(())
        }
        other => other.map(drop),
    }
}

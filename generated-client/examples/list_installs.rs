//! Lists every install of every account, following every page.
//!
//! `cargo run -p wpengine-api --example list_installs`, with `WPENGINE_API_USERNAME` and
//! `WPENGINE_API_PASSWORD` set (and `WPENGINE_API_URL` to use another server).

use futures::TryStreamExt;
use wpengine_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let names = run(&client).await?;
    println!("{} installs", names.len());
    Ok(())
}

/// The name of every install, in the API's order.
pub async fn run(client: &Client) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    // `items()` fetches pages of 100 as the loop asks for more, and stops after the last one.
    let mut installs = std::pin::pin!(client.list_installs().limit(100).items());
    while let Some(install) = installs.try_next().await? {
        println!("{}\t{}\t{:?}", install.id, install.name, install.environment);
        names.push(install.name);
    }
    Ok(names)
}

//! The README's example: check the API is up, list a page of installs, handle a typed 404.
//!
//! `cargo run -p wpengine-api --example quickstart`, with `WPENGINE_API_USERNAME` and
//! `WPENGINE_API_PASSWORD` set (and `WPENGINE_API_URL` to use another server).

use wpengine_api::{types::ErrorBody, Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    run(&client).await?;
    Ok(())
}

pub async fn run(client: &Client) -> Result<(), Error> {
    let status = client.status().send().await?; // GET /status, no credentials needed
    println!("API up: {:?}", status.success);

    let page = client.list_installs().limit(50).send().await?; // one page: results, count, next
    let installs = page.results.unwrap_or_default();
    let Some(install) = installs.first() else {
        println!("no installs");
        return Ok(());
    };

    match client.get_install(install.id).send().await {
        Ok(found) => println!("{} runs PHP {:?}", found.name, found.php_version),
        Err(Error::Api(e)) if e.status() == 404 => {
            // The body is typed by the schema the API declares for 404.
            if let Some(ErrorBody::NotFoundErrorResponse(body)) = e.body() {
                eprintln!("gone: {} (request id {:?})", body.message, e.request_id());
            }
        }
        Err(other) => return Err(other),
    }
    Ok(())
}

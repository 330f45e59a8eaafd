//! The README's example: list installs, start a backup, handle a typed 404.
//!
//! Run against any server with `WPENGINE_API_URL`, `WPENGINE_API_USERNAME` and
//! `WPENGINE_API_PASSWORD` set: `cargo run -p wpengine-api --example quickstart`.

use wpengine_api::{types::*, Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let mut builder = Client::builder().basic_auth(env("WPENGINE_API_USERNAME")?, env("WPENGINE_API_PASSWORD")?);
    if let Ok(url) = std::env::var("WPENGINE_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    run(&client).await?;
    Ok(())
}

async fn run(client: &Client) -> Result<(), Error> {
    let status = client.status().send().await?; // GET /status, no auth needed
    println!("API up: {:?}", status.success);

    let page = client.list_installs().limit(50).send().await?; // one page: results, count, next
    let installs = page.results.unwrap_or_default();
    let Some(install) = installs.first() else {
        println!("no installs");
        return Ok(());
    };

    let backup = client
        .create_backup(
            install.id,
            CreateBackupRequest {
                description: "pre-deploy".into(),
                notification_emails: vec!["me@example.com".into()],
            },
        )
        .send()
        .await?;
    println!("backup {:?} is {:?}", backup.id, backup.status);

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

//! Backs up an install and waits until the backup is finished.
//!
//! `cargo run -p wpengine-api --example backup_and_wait -- <install-id> <email>`, with
//! `WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD` set (and `WPENGINE_API_URL` to use
//! another server).

use std::time::Duration;
use wpengine_api::{types, Client, Error, PollPolicy};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: backup_and_wait <install-id> <notification-email>";
    let install: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let email = args.next().ok_or(usage)?;
    let client = Client::from_env()?;
    let backup = run(
        &client,
        install,
        email,
        PollPolicy::with_deadline(Duration::from_secs(3600)),
    )
    .await?;
    println!("backup {:?} ended {:?}", backup.id, backup.status);
    Ok(())
}

pub async fn run(
    client: &Client,
    install: uuid::Uuid,
    email: String,
    policy: PollPolicy,
) -> Result<types::Backup, Error> {
    let request = types::CreateBackupRequest::new("before deploying", vec![email]);
    // Starts the backup (202), then polls its status with growing intervals.
    client.backup_and_wait(install, request, &policy).await
}

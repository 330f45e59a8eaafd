//! `wpe`: the WP Engine API from the command line. Credentials come from the same environment
//! variables as `Client::from_env` (`WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD`, or
//! `WPENGINE_API_TOKEN`; `WPENGINE_API_URL` sets the server). `wpe --help` lists the commands.
//!
//! Besides the generated subcommands, `--wait` on the two long-running operations polls until
//! the work is done (the crate's `backup_and_wait` and `check_domain_and_wait`).

use std::future::Future;
use std::pin::Pin;
use wpengine_api::cli::COMMANDS;
use wpengine_api::runtime::cli::{self, Extra, Failure, Output};
use wpengine_api::{types, Client, PollPolicy};

type Answer<'a> = Pin<Box<dyn Future<Output = Result<Output<'a>, Failure>> + 'a>>;

static EXTRAS: &[Extra] = &[
    Extra {
        id: "wpe:wait",
        group: "backup",
        name: "create",
        flag: "wait",
        help: "Wait until the backup is completed or aborted, and print it",
        run: backup_and_wait,
    },
    Extra {
        id: "wpe:wait",
        group: "domain",
        name: "check-status",
        flag: "wait",
        help: "Wait until the status report is complete, and print it",
        run: check_domain_and_wait,
    },
];

fn backup_and_wait<'a>(client: &'a Client, index: usize, m: &'a cli::clap::ArgMatches) -> Answer<'a> {
    Box::pin(async move {
        let command = &COMMANDS[index];
        let install = cli::required::<uuid::Uuid>(m, command.arg("install_id")?)?;
        let request = cli::body::<types::CreateBackupRequest>(m, command.fields)?
            .ok_or_else(|| Failure::usage("error: --body is required"))?;
        let backup = client.backup_and_wait(install, request, &PollPolicy::default()).await?;
        cli::json(&backup)
    })
}

fn check_domain_and_wait<'a>(client: &'a Client, index: usize, m: &'a cli::clap::ArgMatches) -> Answer<'a> {
    Box::pin(async move {
        let command = &COMMANDS[index];
        let install = cli::required::<uuid::Uuid>(m, command.arg("install_id")?)?;
        let domain = cli::required::<uuid::Uuid>(m, command.arg("domain_id")?)?;
        let report = client
            .check_domain_and_wait(install, domain, &PollPolicy::default())
            .await?;
        cli::json(&report)
    })
}

fn main() -> std::process::ExitCode {
    wpengine_api::cli::main_with("wpe", "WPENGINE_API", EXTRAS)
}

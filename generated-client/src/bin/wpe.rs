//! `wpe`: the WP Engine API from the command line. Credentials come from the same environment
//! variables as `Client::from_env` (`WPENGINE_API_USERNAME` and `WPENGINE_API_PASSWORD`, or
//! `WPENGINE_API_TOKEN`; `WPENGINE_API_URL` sets the server). `wpe --help` lists the commands.
//!
//! Besides the generated subcommands, `--wait` on the two long-running operations polls until
//! the work is done (the crate's `backup_and_wait` and `check_domain_and_wait`).

use wpengine_api::runtime::cli::Extra;

static EXTRAS: &[Extra<wpengine_api::Client>] = &[
    #[cfg(feature = "backup")]
    Extra {
        id: "wpe:wait",
        group: "backup",
        name: "create",
        flag: "wait",
        help: "Wait until the backup is completed or aborted, and print it",
        run: wait::backup_and_wait,
    },
    #[cfg(feature = "domain")]
    Extra {
        id: "wpe:wait",
        group: "domain",
        name: "check-status",
        flag: "wait",
        help: "Wait until the status report is complete, and print it",
        run: wait::check_domain_and_wait,
    },
];

/// What `--wait` runs, with the features of the operations it uses.
#[cfg(any(feature = "backup", feature = "domain"))]
mod wait {
    use std::future::Future;
    use std::pin::Pin;
    use wpengine_api::runtime::cli::{self, clap::ArgMatches, Command, Failure, Output};
    use wpengine_api::runtime::uuid;
    use wpengine_api::{Client, PollPolicy};

    type Answer<'a> = Pin<Box<dyn Future<Output = Result<Output<'a>, Failure>> + 'a>>;

    #[cfg(feature = "backup")]
    pub fn backup_and_wait<'a>(client: &'a Client, command: &'static Command, m: &'a ArgMatches) -> Answer<'a> {
        Box::pin(async move {
            let install = cli::required::<uuid::Uuid>(m, command.arg("install_id")?)?;
            let request =
                cli::body::<wpengine_api::types::CreateBackupRequest>(m, command.fields)?.ok_or_else(|| {
                    Failure::usage("error: give the request body: --body FILE, or the body's field flags")
                })?;
            let backup = client.backup_and_wait(install, request, &PollPolicy::default()).await?;
            cli::json(&backup)
        })
    }

    #[cfg(feature = "domain")]
    pub fn check_domain_and_wait<'a>(client: &'a Client, command: &'static Command, m: &'a ArgMatches) -> Answer<'a> {
        Box::pin(async move {
            let install = cli::required::<uuid::Uuid>(m, command.arg("install_id")?)?;
            let domain = cli::required::<uuid::Uuid>(m, command.arg("domain_id")?)?;
            let report = client
                .check_domain_and_wait(install, domain, &PollPolicy::default())
                .await?;
            cli::json(&report)
        })
    }
}

fn main() -> std::process::ExitCode {
    wpengine_api::cli::main_with("wpe", EXTRAS)
}

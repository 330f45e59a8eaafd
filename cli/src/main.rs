//! `openapi-crate-gen`: a typed Rust client crate from an OpenAPI document.

mod command;

use clap::ArgMatches;
use openapi_crate_gen::{changelog, spec, ChangelogFormat, Failure, SpecJob};
use openapi_crate_gen_core::{Disk, Selection};
use std::path::PathBuf;
use std::process::ExitCode;

// Generation allocates and frees millions of small values (token streams, syntax trees, strings);
// mimalloc serves them with less CPU and memory than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The exit status of a command line that makes no sense (`EX_USAGE`), as the help says.
const USAGE: u8 = 64;

fn main() -> ExitCode {
    let matches = match command::command().try_get_matches_from(std::env::args_os()) {
        Ok(matches) => matches,
        Err(e) => {
            // Help and the version go to stdout with status 0; a mistake (with clap's
            // suggestion of the flag meant) to stderr with the usage status.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(&matches) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(matches: &ArgMatches) -> Result<(), Failure> {
    match matches.subcommand() {
        Some(("changelog", sub)) => run_changelog(sub),
        Some(("completions", sub)) => {
            if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
                let mut command = command::command();
                clap_complete::generate(*shell, &mut command, "openapi-crate-gen", &mut std::io::stdout());
            }
            Ok(())
        }
        _ => spec(&job(matches)),
    }
}

/// `changelog OLD NEW [--json] [selection]`.
fn run_changelog(matches: &ArgMatches) -> Result<(), Failure> {
    let format = if matches.get_flag("json") {
        ChangelogFormat::Json
    } else {
        ChangelogFormat::Markdown
    };
    let path = |id: &str| matches.get_one::<PathBuf>(id).cloned().unwrap_or_default();
    let (old, new) = (path("old"), path("new"));
    let read =
        |path: &PathBuf| std::fs::read(path).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", path.display())));
    let (old_bytes, new_bytes) = (read(&old)?, read(&new)?);
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    let (old_files, new_files) = (Disk::beside(&old), Disk::beside(&new));
    let (_, text) = changelog(
        (&old_name, &old_bytes, &old_files),
        (&new_name, &new_bytes, &new_files),
        &selection(matches),
        format,
    )?;
    print!("{text}");
    Ok(())
}

/// The selection options' patterns.
fn selection(matches: &ArgMatches) -> Selection {
    let patterns = |id: &str| -> Vec<String> {
        matches
            .get_many::<String>(id)
            .into_iter()
            .flatten()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()
    };
    Selection {
        tags: patterns("tags"),
        exclude_tags: patterns("exclude-tags"),
        operations: patterns("operations"),
        exclude_operations: patterns("exclude-operations"),
    }
}

/// The job the options describe.
fn job(matches: &ArgMatches) -> SpecJob {
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    let texts = |id: &str| -> Vec<String> { matches.get_many::<String>(id).into_iter().flatten().cloned().collect() };
    let pairs = |id: &str| -> Vec<(String, String)> {
        matches
            .get_many::<(String, String)>(id)
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    };
    let mut job = SpecJob {
        program: "openapi-crate-gen".to_owned(),
        spec: matches.get_one::<PathBuf>("document").cloned().unwrap_or_default(),
        out: matches.get_one::<PathBuf>("out").cloned(),
        emit_openapi: matches.get_one::<PathBuf>("emit-openapi").cloned(),
        check: matches.get_flag("check"),
        deny_warnings: matches.get_flag("deny-warnings"),
        verbose: matches.get_flag("verbose"),
        force: matches.get_flag("force"),
        selection: selection(matches),
        ..SpecJob::default()
    };
    let package = &mut job.package;
    package.name = text("crate-name");
    package.version = text("crate-version");
    package.description = text("description");
    package.license = text("license");
    package.repository = text("repository");
    package.publish = matches.get_flag("publish");
    package.workspace_member = matches.get_flag("workspace-member");
    if let Some(runtime) = matches.get_one::<openapi_crate_gen_core::RuntimeSource>("runtime") {
        package.runtime = runtime.clone();
    }
    let client = &mut job.client;
    client.env_prefix = text("env-prefix");
    client.fallback_credentials = matches.get_flag("fallback-credentials");
    client.sigv4_schemes = texts("sigv4");
    client.replacements = pairs("replace");
    client.derives = pairs("derive")
        .into_iter()
        .map(|(schema, derives)| (schema, derives.split(',').map(|d| d.trim().to_owned()).collect()))
        .collect();
    client.rust_type_crates = texts("rust-type-crate");
    client.without_tool = matches.get_flag("no-tool");
    client.without_mocks = matches.get_flag("no-mocks");
    job
}

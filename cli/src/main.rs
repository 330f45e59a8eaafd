//! `openapi-crate-gen`: a typed Rust client crate from an OpenAPI document.

use openapi_crate_gen::{changelog, spec, ChangelogFormat, Failure, SpecJob};
use openapi_crate_gen_core::Disk;
use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "openapi-crate-gen: a typed Rust client crate from an OpenAPI document

Usage:
  openapi-crate-gen DOCUMENT --out DIR [options]
  openapi-crate-gen DOCUMENT --emit-openapi FILE [options]
  openapi-crate-gen changelog OLD NEW [--json]

DOCUMENT is a Swagger 2.0, OpenAPI 3.0 or OpenAPI 3.1 document, JSON or YAML.

Options:
  --out DIR            write a complete crate into DIR: Cargo.toml, src/lib.rs, the runtime
                       (src/runtime/) and the generated modules (src/generated/). Only changed
                       files are written; files an earlier run wrote and this one does not are
                       removed; nothing is written when the document has an error.
  --crate-name NAME    the crate's package name (default: DIR's name)
  --crate-version V    the package version (default: 0.1.0)
  --description TEXT   the package description (default: \"Typed client for\" the API's title)
  --license SPDX       the package license, e.g. \"MIT OR Apache-2.0\" (default: none)
  --repository URL     the package repository (default: none)
  --publish            let the crate be published (default: publish = false)
  --runtime SOURCE     where the crate gets its runtime: vendored (a copy in src/runtime/, the
                       default while openapi-crate-gen-runtime is not on crates.io), registry
                       (openapi-crate-gen-runtime from crates.io), path:DIR (the runtime
                       crate's folder, relative to the crate's) or git:URL (this project's
                       repository)
  --env-prefix PREFIX  the prefix of the environment variables the client and its tool read
                       (PREFIX_TOKEN, PREFIX_API_KEY, PREFIX_URL...; default: the crate's
                       name, upper case: my-api reads MY_API_TOKEN)
  --sigv4 SCHEME       sign the requests of the security scheme SCHEME with AWS Signature
                       Version 4, as if it were marked x-amazon-apigateway-authtype: awsSigv4
                       (repeatable)
  --replace SCHEMA=PATH
                       use the Rust type PATH (my_crate::Money) for the schema SCHEMA instead of
                       generating one; types::SCHEMA is an alias of it (repeatable)
  --derive SCHEMA=TRAIT[,TRAIT...]
                       add derives to the type of SCHEMA (Eq,Hash; repeatable)
  --rust-type-crate CRATE
                       let the document's x-rust-type use types of CRATE in place of schemas
                       (the crate then depends on it; chrono, uuid, serde_json and bytes are
                       always allowed; repeatable)
  --fallback-credentials
                       also send the bearer token, or else the basic credentials, to operations
                       whose declared security the client holds nothing for (for an API that
                       takes credentials its document does not declare; off by default)
  --emit-openapi FILE  write the OpenAPI 3.0 document the generator works from (after
                       upgrading 2.0 or down-converting 3.1, and hoisting deep references)
  --check              change nothing; fail with a diff when the files on disk are stale
  --workspace-member   leave out the crate's own [workspace] table, for a crate you list in
                       an enclosing workspace (by default it builds wherever DIR is)
  --force              overwrite files in DIR that the generator did not write (without it, a
                       file without the @generated header, such as your own Cargo.toml, is
                       never overwritten, and nothing is written)
  --deny-warnings      fail, writing nothing, when the generator warns of a lossy or surprising
                       choice (warnings are printed on stderr in any case, with a count)
  --verbose            list every warning (by default each kind of warning is printed once,
                       with its count and its first three places)
  -h, --help           this text
  -V, --version        the version

changelog OLD NEW: what changed in the generated Rust API from document OLD to NEW
(operations, parameters, request and response types, fields, enum values, error bodies,
credentials), each change breaking or not for code that uses the client, and the version
bump they call for (major, minor or patch), as Markdown, or JSON with --json. Exit status 0
whatever changed. (A document named `changelog` is given as `./changelog`.)

Examples:
  openapi-crate-gen petstore.yaml --out petstore-client
  cd petstore-client && cargo build
  openapi-crate-gen changelog petstore-v1.yaml petstore-v2.yaml

Exit status: 0 done (or fresh, with --check); 1 the document or an option is wrong (the
message names the file and the JSON pointer); 2 a file could not be read or written, or would
be overwritten; 3 stale, with --check; 64 the command line makes no sense.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// `NAME=VALUE` of an option's value, both non-empty.
fn pair(flag: &str, text: &str) -> Result<(String, String), Failure> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(usage(format!("{flag} takes NAME=VALUE, got `{text}`"))),
    }
}

fn usage(message: String) -> Failure {
    Failure::Usage(format!("{message}\n\n{HELP}"))
}

/// `changelog OLD NEW [--json]`.
fn run_changelog(args: &[String]) -> Result<(), Failure> {
    let mut format = ChangelogFormat::Markdown;
    let mut documents = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--json" => format = ChangelogFormat::Json,
            "-h" | "--help" => {
                println!("{HELP}");
                return Ok(());
            }
            flag if flag.starts_with('-') => return Err(usage(format!("unknown option `{flag}` of changelog"))),
            path => documents.push(PathBuf::from(path)),
        }
    }
    let [old, new] = documents.as_slice() else {
        return Err(usage("changelog takes two documents: OLD NEW".to_owned()));
    };
    let read =
        |path: &PathBuf| std::fs::read(path).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", path.display())));
    let (old_bytes, new_bytes) = (read(old)?, read(new)?);
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    let (old_files, new_files) = (Disk::beside(old), Disk::beside(new));
    let (_, text) = changelog(
        (&old_name, &old_bytes, &old_files),
        (&new_name, &new_bytes, &new_files),
        format,
    )?;
    print!("{text}");
    Ok(())
}

fn run(args: &[String]) -> Result<(), Failure> {
    if args.first().map(String::as_str) == Some("changelog") {
        return run_changelog(&args[1..]);
    }
    let mut job = SpecJob {
        program: "openapi-crate-gen".to_owned(),
        ..SpecJob::default()
    };
    let mut document = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| usage(format!("{flag} needs a value")))
        };
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                return Ok(());
            }
            "-V" | "--version" => {
                println!("openapi-crate-gen {}", env!("CARGO_PKG_VERSION"));
                return Ok(());
            }
            "--out" => job.out = Some(PathBuf::from(value(arg)?)),
            "--crate-name" => job.package.name = Some(value(arg)?),
            "--crate-version" => job.package.version = Some(value(arg)?),
            "--description" => job.package.description = Some(value(arg)?),
            "--license" => job.package.license = Some(value(arg)?),
            "--repository" => job.package.repository = Some(value(arg)?),
            "--publish" => job.package.publish = true,
            "--runtime" => {
                job.package.runtime = openapi_crate_gen_core::RuntimeSource::parse(&value(arg)?).map_err(usage)?;
            }
            "--env-prefix" => job.client.env_prefix = Some(value(arg)?),
            "--fallback-credentials" => job.client.fallback_credentials = true,
            "--sigv4" => job.client.sigv4_schemes.push(value(arg)?),
            "--replace" => job.client.replacements.push(pair(arg, &value(arg)?)?),
            "--derive" => {
                let (schema, derives) = pair(arg, &value(arg)?)?;
                job.client
                    .derives
                    .push((schema, derives.split(',').map(|d| d.trim().to_owned()).collect()));
            }
            "--rust-type-crate" => job.client.rust_type_crates.push(value(arg)?),
            "--emit-openapi" => job.emit_openapi = Some(PathBuf::from(value(arg)?)),
            "--check" => job.check = true,
            "--workspace-member" => job.package.workspace_member = true,
            "--force" => job.force = true,
            "--deny-warnings" => job.deny_warnings = true,
            "--verbose" => job.verbose = true,
            flag if flag.starts_with('-') => return Err(usage(format!("unknown option `{flag}`"))),
            path if document.is_none() => document = Some(PathBuf::from(path)),
            extra => return Err(usage(format!("one document at a time; `{extra}` is a second"))),
        }
    }
    job.spec = document.ok_or_else(|| usage("which document? give its path".to_owned()))?;
    spec(&job)
}

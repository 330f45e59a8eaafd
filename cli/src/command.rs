//! The command line, as clap reads it: the options, their help, and the subcommands
//! (`changelog`, `completions`). Built with clap's builder API (the workspace does not enable
//! clap's `derive` feature, and the generated tools use the builder too).

use clap::{Arg, ArgAction, Command};

/// What `--help` says after the options.
const AFTER_HELP: &str = "\
Subcommands:
  changelog OLD NEW    what changed in the generated Rust API from document OLD to NEW
                       (operations, parameters, request and response types, fields, enum
                       values, error bodies, credentials), each change breaking or not for code
                       that uses the client, and the version bump they call for (major, minor
                       or patch), as Markdown, or JSON with --json. With --tags and the other
                       selection options, both documents are read with the same selection.
                       Exit status 0 whatever changed. (A document named `changelog` is given
                       as `./changelog`.)
  completions SHELL    the command's completions for SHELL (bash, zsh, fish, elvish,
                       powershell), on stdout: `openapi-crate-gen completions bash >
                       ~/.local/share/bash-completion/completions/openapi-crate-gen`

Examples:
  openapi-crate-gen petstore.yaml --out petstore-client
  cd petstore-client && cargo build
  openapi-crate-gen github.json --out=github-client --tags repos,issues --no-tool
  openapi-crate-gen changelog petstore-v1.yaml petstore-v2.yaml

Exit status: 0 done (or fresh, with --check); 1 the document or an option is wrong (the
message names the file and the JSON pointer), or a selection matches nothing; 2 a file could
not be read or written, or would be overwritten; 3 stale, with --check; 64 the command line
makes no sense.";

/// The whole command.
pub fn command() -> Command {
    let generate = Command::new("openapi-crate-gen")
        .version(env!("CARGO_PKG_VERSION"))
        .about("A typed Rust client crate from an OpenAPI document")
        .long_about(
            "openapi-crate-gen: a typed Rust client crate from an OpenAPI document.\n\n\
             DOCUMENT is a Swagger 2.0, OpenAPI 3.0 or OpenAPI 3.1 document, JSON or YAML.",
        )
        .override_usage(
            "openapi-crate-gen DOCUMENT --out DIR [OPTIONS]\n       \
             openapi-crate-gen DOCUMENT --emit-openapi FILE [OPTIONS]\n       \
             openapi-crate-gen changelog OLD NEW [--json] [SELECTION]\n       \
             openapi-crate-gen completions SHELL",
        )
        .after_help(AFTER_HELP)
        .next_line_help(true)
        .disable_help_subcommand(true)
        .args_conflicts_with_subcommands(true)
        .subcommand_negates_reqs(true)
        .arg(
            Arg::new("document")
                .value_name("DOCUMENT")
                .required(true)
                .value_parser(clap::value_parser!(std::path::PathBuf))
                .help("the OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1; JSON or YAML)"),
        )
        .args(output_args())
        .args(package_args())
        .args(client_args())
        .args(selection_args())
        .args(module_args());
    generate
        .subcommand(
            Command::new("changelog")
                .about("What changed in the generated Rust API from document OLD to NEW")
                .next_line_help(true)
                .arg(path_arg("old", "OLD", "the earlier document"))
                .arg(path_arg("new", "NEW", "the later document"))
                .arg(flag("json", "JSON instead of Markdown"))
                .args(selection_args()),
        )
        .subcommand(
            Command::new("completions")
                .about("The command's completions for a shell, on stdout")
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell))
                        .help("bash, zsh, fish, elvish or powershell"),
                ),
        )
}

fn path_arg(id: &'static str, name: &'static str, help: &'static str) -> Arg {
    Arg::new(id)
        .value_name(name)
        .required(true)
        .value_parser(clap::value_parser!(std::path::PathBuf))
        .help(help)
}

/// An option that takes one value.
fn value(id: &'static str, name: &'static str, help: &'static str) -> Arg {
    Arg::new(id).long(id).value_name(name).help(help)
}

/// An option that may be given several times.
fn repeated(id: &'static str, name: &'static str, help: &'static str) -> Arg {
    value(id, name, help).action(ArgAction::Append)
}

/// An option without a value.
fn flag(id: &'static str, help: &'static str) -> Arg {
    Arg::new(id).long(id).action(ArgAction::SetTrue).help(help)
}

fn output_args() -> Vec<Arg> {
    vec![
        value(
            "out",
            "DIR",
            "write a complete crate into DIR: Cargo.toml, src/lib.rs, the runtime (src/runtime/)\n\
             and the generated modules (src/generated/). Only changed files are written; files\n\
             an earlier run wrote and this one does not are removed; nothing is written when the\n\
             document has an error",
        )
        .value_parser(clap::value_parser!(std::path::PathBuf)),
        value(
            "emit-openapi",
            "FILE",
            "write the OpenAPI 3.0 document the generator works from (after upgrading 2.0 or\n\
             down-converting 3.1, and hoisting deep references); the whole document, whatever\n\
             the selection",
        )
        .value_parser(clap::value_parser!(std::path::PathBuf)),
        flag(
            "check",
            "change nothing; fail with a diff when the files on disk are stale (give the same\n\
             options, the selection included, as the run that wrote them)",
        ),
        flag(
            "force",
            "overwrite files in DIR that the generator did not write (without it, a file without\n\
             the @generated header, such as your own Cargo.toml, is never overwritten, and\n\
             nothing is written)",
        ),
        flag(
            "deny-warnings",
            "fail, writing nothing, when the generator warns of a lossy or surprising choice\n\
             (warnings are printed on stderr in any case, with a count)",
        ),
        flag(
            "verbose",
            "list every warning (by default each kind of warning is printed once, with its count\n\
             and its first three places)",
        ),
    ]
}

fn package_args() -> Vec<Arg> {
    vec![
        value("crate-name", "NAME", "the crate's package name (default: DIR's name)"),
        value("crate-version", "V", "the package version (default: 0.1.0)"),
        value(
            "description",
            "TEXT",
            "the package description (default: \"Typed client for\" the API's title)",
        ),
        value(
            "license",
            "SPDX",
            "the package license, e.g. \"MIT OR Apache-2.0\" (default: none)",
        ),
        value("repository", "URL", "the package repository (default: none)"),
        flag("publish", "let the crate be published (default: publish = false)"),
        value(
            "runtime",
            "SOURCE",
            "where the crate gets its runtime: vendored (a copy in src/runtime/, the default\n\
             while openapi-crate-gen-runtime is not on crates.io), registry\n\
             (openapi-crate-gen-runtime from crates.io), path:DIR (the runtime crate's folder,\n\
             relative to the crate's) or git:URL (this project's repository)",
        )
        .value_parser(openapi_crate_gen_core::RuntimeSource::parse),
        flag(
            "workspace-member",
            "leave out the crate's own [workspace] table, for a crate you list in an enclosing\n\
             workspace (by default it builds wherever DIR is)",
        ),
    ]
}

fn client_args() -> Vec<Arg> {
    vec![
        value(
            "env-prefix",
            "PREFIX",
            "the prefix of the environment variables the client and its tool read\n\
             (PREFIX_TOKEN, PREFIX_API_KEY, PREFIX_URL...; default: the crate's name, upper\n\
             case: my-api reads MY_API_TOKEN)",
        ),
        repeated(
            "sigv4",
            "SCHEME",
            "sign the requests of the security scheme SCHEME with AWS Signature Version 4, as if\n\
             it were marked x-amazon-apigateway-authtype: awsSigv4 (repeatable)",
        ),
        repeated(
            "replace",
            "SCHEMA=PATH",
            "use the Rust type PATH (my_crate::Money) for the schema SCHEMA instead of\n\
             generating one; types::SCHEMA is an alias of it (repeatable)",
        )
        .value_parser(pair),
        repeated(
            "derive",
            "SCHEMA=TRAIT[,TRAIT...]",
            "add derives to the type of SCHEMA (Eq,Hash; repeatable)",
        )
        .value_parser(pair),
        repeated(
            "rust-type-crate",
            "CRATE",
            "let the document's x-rust-type use types of CRATE in place of schemas (the crate\n\
             then depends on it; chrono, uuid, serde_json and bytes are always allowed;\n\
             repeatable)",
        ),
        flag(
            "fallback-credentials",
            "also send the bearer token, or else the basic credentials, to operations whose\n\
             declared security the client holds nothing for (for an API that takes credentials\n\
             its document does not declare; off by default)",
        ),
    ]
}

/// The options that choose operations; `changelog` takes them too.
pub fn selection_args() -> Vec<Arg> {
    let patterns = |id: &'static str, help: &'static str| {
        repeated(id, "PATTERN,...", help)
            .value_delimiter(',')
            .help_heading("Selection")
    };
    vec![
        patterns(
            "tags",
            "generate only the operations with one of these tags (globs: `*` any run of\n\
             characters, `?` one; a tag as the document writes it, `Pull Requests`, or as its\n\
             cargo feature, `pull-requests`; `untagged` for the operations without one), and the\n\
             types they reach; repeatable",
        ),
        patterns(
            "exclude-tags",
            "leave out the operations with one of these tags (globs), and the types only they\n\
             reach",
        ),
        patterns(
            "operations",
            "generate only the operations whose operationId (`repos/get`) or method name\n\
             (`repos_get`) matches one of these globs; with --tags, the operations of either",
        ),
        patterns(
            "exclude-operations",
            "leave out the operations whose operationId or method name matches one of these\n\
             globs",
        ),
    ]
}

fn module_args() -> Vec<Arg> {
    vec![
        flag(
            "no-tool",
            "leave out the command-line tool (the cli module, the crate's binary and its `cli`\n\
             feature); by default it is generated behind that feature",
        )
        .help_heading("Selection"),
        flag(
            "no-mocks",
            "leave out the typed mocks (the mocks module and the `mock` feature); by default they\n\
             are generated behind that feature",
        )
        .help_heading("Selection"),
    ]
}

/// `NAME=VALUE`, both non-empty and trimmed.
fn pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("takes NAME=VALUE, got `{text}`")),
    }
}

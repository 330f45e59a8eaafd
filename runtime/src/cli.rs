//! The command-line tool a generated crate offers with its `cli` feature: one subcommand per
//! operation, grouped by tag, built with clap from the tables the generated `cli` module
//! writes ([`Tool`]). This module is the tool's mechanics: the command line, completions, and
//! the dispatch of a subcommand to its operation. Its policy lives beside it: credentials
//! (`cli_auth`), what is printed and the exit statuses (`cli_output`).
//!
//! Exit statuses: 0 done; 1 the client could not be set up (credentials, base URL); 2 usage
//! (an unknown flag, a value of the wrong type, a body file that is not JSON, a value that
//! breaks a declared constraint: nothing was sent); 3 the API answered 4xx; 4 the API answered
//! 5xx, or the request failed in transport; 5 the answer could not be decoded.

pub use super::cli_args::{all, body, events, items, json, required, upload, value, values};
use super::cli_output::{exit, print, written, HELP};
pub use super::cli_output::{Failure, Output};
use super::environment::Environment;
pub use super::events::Framing;
use super::{Client, ClientBuilder};
/// The clap the tool is built with, for the [`Extra`] functions an application writes.
pub use clap;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::process::ExitCode;

/// One argument of a subcommand.
#[derive(Debug)]
pub struct Arg {
    /// The builder's name of the parameter, also the argument's id (the tool's own arguments'
    /// ids start with `cli:`, which no Rust name can).
    pub id: &'static str,
    /// The long flag, kebab-case.
    pub flag: &'static str,
    pub help: &'static str,
    /// What the value is, as help shows it: `UUID`, `INTEGER`, `TEXT`, `JSON`...
    pub value_name: &'static str,
    /// How the text given is read.
    pub kind: Kind,
    /// Given on the command line by position (a path parameter) rather than as a flag.
    pub positional: bool,
    pub required: bool,
    /// The values the parameter allows (an enum), if it lists them.
    pub values: &'static [&'static str],
    /// The flag may be repeated (an array parameter).
    pub multiple: bool,
}

/// How an argument's text becomes the parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// As it is: strings, identifiers, dates, enum values.
    Text,
    /// As JSON: numbers, booleans, objects.
    Json,
}

/// Whether a subcommand takes a request body, as `--body FILE` (JSON; `-` for stdin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    Optional,
    Required,
}

/// One subcommand: an operation.
#[derive(Debug)]
pub struct Command {
    /// The operation's method name, which the generated `run` dispatches on.
    pub id: &'static str,
    /// The group (the operation's first tag, kebab-case; empty when the document tags no
    /// operation, which puts the subcommand at the top) and the name within it.
    pub group: &'static str,
    pub name: &'static str,
    pub about: &'static str,
    pub args: &'static [Arg],
    pub body: Body,
    /// Flags for the fields of a flat request body (ids `body:<field's wire name>`), an
    /// alternative to `--body`.
    pub fields: &'static [Arg],
    /// The operation pages: `--all` prints every item of every page.
    pub pages: bool,
}

impl Command {
    /// The argument whose id (the builder's name of the parameter) is `id`.
    ///
    /// # Errors
    /// When the subcommand has no such argument.
    pub fn arg(&self, id: &str) -> Result<&Arg, Failure> {
        self.args
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| Failure::usage(format!("error: {} {} has no argument {id}", self.group, self.name)))
    }
}

/// A flag an application adds to one subcommand, and what the subcommand does instead when it
/// is given: `wpe backup create --wait` starts a backup and waits for it to finish.
pub struct Extra<C: 'static> {
    /// The argument's id; it must not be a Rust name (`wpe:wait`, say).
    pub id: &'static str,
    pub group: &'static str,
    pub name: &'static str,
    pub flag: &'static str,
    pub help: &'static str,
    /// Runs the subcommand when the flag is given, with the subcommand and its arguments.
    pub run: Run<C>,
}

/// Runs `command` with the arguments given, on the generated crate's client `C`.
pub type Run<C> = for<'a> fn(
    &'a C,
    &'static Command,
    &'a clap::ArgMatches,
) -> Pin<Box<dyn Future<Output = Result<Output<'a>, Failure>> + 'a>>;

/// What the generated `cli` module says of its API's tool: the mechanics here do the rest.
pub struct Tool<C: 'static> {
    /// The program's name, in help and completions.
    pub bin: &'static str,
    /// One line on what the tool is for.
    pub about: &'static str,
    /// The environment variables it reads its server and credentials from.
    pub env: &'static Environment,
    /// The builder of the API's client (the document's server and rate limits), which the
    /// environment and the global flags then configure.
    pub builder: fn() -> ClientBuilder,
    pub commands: &'static [Command],
    pub run: Run<C>,
    /// Flags the application adds to some subcommands.
    pub extras: &'static [Extra<C>],
}

/// The tool: parses the command line, sets up the client from the environment (`{env}_TOKEN`,
/// or `{env}_USERNAME` and `{env}_PASSWORD`, and `{env}_URL`) and the global flags, runs the
/// subcommand and prints its answer (pretty JSON on a terminal, compact when piped).
pub fn main<C: From<Client>>(tool: &Tool<C>) -> ExitCode {
    let Tool { bin, env, commands, .. } = *tool;
    let auth = auth_name(commands, env);
    let mut clap_tool = command(tool, auth);
    let matches = clap_tool.clone().get_matches();
    if let Some(("completions", sub)) = matches.subcommand() {
        let shell = sub.get_one::<clap_complete::Shell>("shell").copied();
        return match shell {
            Some(shell) => {
                let mut script = Vec::new();
                clap_complete::generate(shell, &mut clap_tool, bin, &mut script);
                exit(written(std::io::stdout().write_all(&script)))
            }
            None => ExitCode::from(2),
        };
    }
    let Some((first, sub)) = matches.subcommand() else {
        return ExitCode::from(2);
    };
    if Some(first) == auth {
        return exit(super::cli_auth::run(bin, &matches, sub, env));
    }
    // An operation without a group is a subcommand of the tool itself.
    let (group, name, args) = match commands.iter().any(|c| c.group.is_empty() && c.name == first) {
        true => ("", first, sub),
        false => match sub.subcommand() {
            Some((name, args)) => (first, name, args),
            None => return ExitCode::from(2),
        },
    };
    let Some(command) = commands.iter().find(|c| c.group == group && c.name == name) else {
        return ExitCode::from(2);
    };
    let run = tool
        .extras
        .iter()
        .find(|e| e.group == group && e.name == name && args.get_flag(e.id))
        .map_or(tool.run, |e| e.run);
    let outcome = super::cli_auth::client(bin, &matches, env, tool.builder).and_then(|client| {
        let client = C::from(client);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::setup(format!("error: no async runtime: {e}")))?;
        runtime.block_on(async {
            let output = run(&client, command, args).await?;
            print(output).await
        })
    });
    exit(outcome)
}

/// The name of the tool's `auth` subcommand (`signin` where a tag of the API is called
/// `auth`), when the API lets a user sign in.
fn auth_name(commands: &[Command], env: &Environment) -> Option<&'static str> {
    let taken = |name: &str| {
        commands
            .iter()
            .any(|c| c.group == name || (c.group.is_empty() && c.name == name))
    };
    super::cli_auth::can_sign_in(env).then(|| if taken("auth") { "signin" } else { "auth" })
}

/// The tool without its subcommands: its help and the global options.
fn root(bin: &'static str, about: &'static str, env: &'static Environment) -> clap::Command {
    let after = format!("{}\n\n{HELP}", super::cli_auth::environment_help(env));
    clap::Command::new(bin)
        .about(about)
        .after_help(after)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            clap::Arg::new("cli:base-url")
                .long("base-url")
                .global(true)
                .value_name("URL")
                .help("The server to talk to (default: the API's, or the environment's)")
                .help_heading("Global options"),
        )
        .arg(
            clap::Arg::new("cli:timeout")
                .long("timeout")
                .global(true)
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64))
                .help("Give up on a request after this long")
                .help_heading("Global options"),
        )
        .arg(
            clap::Arg::new("cli:retries")
                .long("retries")
                .global(true)
                .value_name("N")
                .value_parser(clap::value_parser!(u32))
                .help("Retry a failed request up to N times (default: the client's policy)")
                .help_heading("Global options"),
        )
}

fn command<C>(tool: &Tool<C>, auth: Option<&'static str>) -> clap::Command {
    let Tool { commands, extras, .. } = *tool;
    let mut tool = root(tool.bin, tool.about, tool.env);
    let with_extras = |c: &'static Command| {
        extras
            .iter()
            .filter(|e| e.group == c.group && e.name == c.name)
            .fold(operation(c), |sub, e| {
                sub.arg(
                    clap::Arg::new(e.id)
                        .long(e.flag)
                        .action(clap::ArgAction::SetTrue)
                        .help(e.help),
                )
            })
    };
    tool = tool.subcommand(
        clap::Command::new("completions")
            .about("Print a shell's completion script for this tool")
            .arg(
                clap::Arg::new("shell")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell))
                    .help("bash, elvish, fish, powershell or zsh"),
            ),
    );
    if let Some(name) = auth {
        tool = tool.subcommand(super::cli_auth::command(name));
    }
    for c in commands.iter().filter(|c| c.group.is_empty()) {
        tool = tool.subcommand(with_extras(c));
    }
    let mut groups: Vec<&str> = commands.iter().map(|c| c.group).filter(|g| !g.is_empty()).collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let mut sub = clap::Command::new(group)
            .about(format!("Operations on {group}"))
            .subcommand_required(true)
            .arg_required_else_help(true);
        for c in commands.iter().filter(|c| c.group == group) {
            sub = sub.subcommand(with_extras(c));
        }
        tool = tool.subcommand(sub);
    }
    tool
}

fn operation(c: &'static Command) -> clap::Command {
    let mut out = clap::Command::new(c.name).about(c.about);
    let mut position = 1;
    for a in c.args {
        let mut arg = clap::Arg::new(a.id).help(a.help).required(a.required);
        if a.positional {
            arg = arg.index(position).value_name(a.flag);
            position += 1;
        } else {
            arg = arg.long(a.flag).value_name(a.value_name);
        }
        if a.multiple {
            arg = arg.action(clap::ArgAction::Append);
        }
        if !a.values.is_empty() {
            arg = arg.value_parser(clap::builder::PossibleValuesParser::new(a.values));
        }
        out = out.arg(arg);
    }
    if c.body != Body::None {
        // With field flags, either they or `--body` give a required body.
        out = out.arg(
            clap::Arg::new("cli:body")
                .long("body")
                .value_name("FILE")
                .required(c.body == Body::Required && c.fields.is_empty())
                .help("The request body: a JSON file, or - for stdin"),
        );
    }
    for a in c.fields {
        let mut arg = clap::Arg::new(a.id)
            .long(a.flag)
            .value_name(a.value_name)
            .help(a.help)
            .conflicts_with("cli:body")
            .help_heading("Request body fields (instead of --body)");
        if a.multiple {
            arg = arg.action(clap::ArgAction::Append);
        }
        if !a.values.is_empty() {
            arg = arg.value_parser(clap::builder::PossibleValuesParser::new(a.values));
        }
        out = out.arg(arg);
    }
    if c.pages {
        out = out.arg(
            clap::Arg::new("cli:all")
                .long("all")
                .action(clap::ArgAction::SetTrue)
                .help("Every item of every page, one JSON value per line"),
        );
    }
    out
}

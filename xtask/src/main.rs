//! Maintenance commands: `cargo xtask codegen [--check]` and `cargo xtask bench`.

mod bench;
mod compile_cost;
mod progenitor_peer;
mod split_layout;
mod two_clients;
mod whole_process;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xtask::{codegen, corpus};

const USAGE: &str =
    "usage: cargo xtask codegen [--check] [--spec PATH [--out DIR] [--crate-name NAME] [--emit-openapi FILE] [--deny-warnings] [--workspace-member] [--force] [SELECTION]]
       cargo xtask changelog [REV] [--json]
       cargo xtask corpus [--large]
       cargo xtask bench [generation|compile|compile-wpengine|compile-github|two-clients|client|upload|rate-limits] [RUNS]
       cargo xtask bench processes [RUNS] [DOCUMENT...]
       cargo xtask bench split DOCUMENT...

  codegen          regenerate every checked-in client (see TARGETS in xtask/src/codegen.rs)
  codegen --check  change nothing; exit 1 with a diff if any generated file is stale
  codegen --spec PATH --out DIR
                   generate a complete crate (Cargo.toml, src/) for any OpenAPI 2.0, 3.0 or 3.1
                   document, JSON or YAML; the crate is named after DIR unless --crate-name says
  codegen --spec PATH --out DIR --workspace-member
                   the crate is a member of the workspace DIR is in (list it there); by default
                   it is a workspace of its own, so it builds wherever DIR is
  codegen --spec PATH --out DIR --force
                   overwrite files in DIR the generator did not write (without it, a file
                   without the @generated header, such as your own Cargo.toml, is never
                   overwritten, and nothing is written)
  codegen --spec PATH --out DIR --deny-warnings
                   fail, writing nothing, when the generator warns of a lossy or surprising
                   choice (each warning names the JSON pointer and what was done; all are
                   printed on stderr, with a count, in every mode)
  codegen --spec PATH --out DIR --tags T,.. --exclude-tags T,.. --operations ID,..
          --exclude-operations ID,.. --no-tool --no-mocks
                   generate only the operations of those tags or ids (globs: `*`, `?`) and the
                   types they reach, without the command-line tool or the mocks (SELECTION;
                   as openapi-crate-gen's options of the same names)
  codegen --spec PATH --emit-openapi FILE
                   write the OpenAPI 3.0 document the generator works from (after upgrading 2.0
                   or down-converting 3.1); combine with --out to do both
  changelog [REV]  what the WP Engine description in spec/ changes in the generated Rust API
                   since git revision REV (default HEAD: the last commit), each change breaking
                   or not, and the version bump they call for; Markdown, or JSON with --json
  corpus           generate and `cargo check` a crate for every small document under
                   ../shared/specs (the test suite runs this too)
  corpus --large   the same for ../shared/specs/real; writes tests/corpus/RESULTS.md
  bench [RUNS]     every benchmark below, one after the other (medians of RUNS, default 10);
                   for real figures run it built in release: cargo run --release -p xtask -- bench
  bench generation time and peak memory of generation, per document and as a whole process
  bench processes  generation as a whole process of the release command, writing a crate: CPU
                   time and wall time, WP Engine interleaved with progenitor's (`cargo install
                   cargo-progenitor`), GitHub whole and one tag, then each DOCUMENT named
  bench split DOCUMENT...
                   what a crate per tag plus one of shared types would hold, from the model:
                   how many types (and their fields and variants) two or more tags share
  bench compile    compile time of wpengine-api (build, check, release; after a touch and from
                   scratch), interleaved with progenitor's crate for the same description when
                   `cargo progenitor` is installed; then `cargo check` of the crate generated
                   from github.json, one tag and all, with rustc's peak memory (minutes, GiB)
  bench compile-wpengine
                   the same without the GitHub crate
  bench compile-github
                   the GitHub crate alone
  bench two-clients
                   an application with two generated clients, each with a copy of the
                   runtime and both on the runtime crate: runtime builds, build time
  bench client     the generated client against raw reqwest (cargo bench, client_overhead)
  bench rate-limits
                   the rate limiter in real time against a counting loopback server: what it
                   lets through, what it costs (cargo bench, rate_limits)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["codegen", rest @ ..] => codegen(rest),
        ["changelog", rest @ ..] => changelog(rest),
        ["corpus"] => corpus(corpus::Scope::Small),
        ["corpus", "--large"] => corpus(corpus::Scope::Large),
        // The corpus runs each document's generation through this, in a process of its own.
        ["corpus-generate", ..] => return corpus::generate_child(&args[1..]),
        ["bench", rest @ ..] => bench(rest),
        ["bench-one", path, runs] => match runs.parse() {
            Ok(runs) => bench::one(path, runs),
            Err(_) => Err(USAGE.to_owned()),
        },
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `changelog [REV] [--json]`: the WP Engine description as committed at REV against the one
/// in the working tree.
fn changelog(args: &[&str]) -> Result<(), String> {
    use openapi_crate_gen::ChangelogFormat;
    let format = if args.contains(&"--json") {
        ChangelogFormat::Json
    } else {
        ChangelogFormat::Markdown
    };
    let revs: Vec<&str> = args.iter().copied().filter(|a| *a != "--json").collect();
    let rev = match revs.as_slice() {
        [] => "HEAD",
        [rev] if !rev.starts_with('-') => rev,
        _ => return Err(USAGE.to_owned()),
    };
    let root = workspace_root();
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    };
    // The description may have had another file name then: the one YAML file in spec/.
    let listed = String::from_utf8_lossy(&git(&["ls-tree", "--name-only", rev, "spec/"])?).into_owned();
    let then = listed
        .lines()
        .find(|l| l.ends_with(".yaml") || l.ends_with(".json"))
        .ok_or_else(|| format!("{rev} has no description in spec/"))?
        .to_owned();
    let old = git(&["show", &format!("{rev}:{then}")])?;
    let now = codegen::WPENGINE_SPEC;
    let new = std::fs::read(root.join(now)).map_err(|e| format!("{now}: {e}"))?;
    // The description in spec/ is one file, at any revision.
    let files = openapi_crate_gen_core::NoFiles;
    let (_, text) = openapi_crate_gen::changelog(
        (&format!("{then} at {rev}"), &old, &files),
        (now, &new, &files),
        &openapi_crate_gen_core::Selection::default(),
        format,
    )
    .map_err(|f| f.to_string())?;
    print!("{text}");
    Ok(())
}

fn codegen(args: &[&str]) -> Result<(), String> {
    let mut job = codegen::SpecJob {
        program: "cargo xtask codegen --spec".to_owned(),
        ..codegen::SpecJob::default()
    };
    let mut spec = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .map(|v| v.to_string())
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match *arg {
            "--check" => job.check = true,
            "--deny-warnings" => job.deny_warnings = true,
            "--verbose" => job.verbose = true,
            "--workspace-member" => job.package.workspace_member = true,
            "--force" => job.force = true,
            "--spec" => spec = Some(PathBuf::from(value(arg)?)),
            "--out" => job.out = Some(PathBuf::from(value(arg)?)),
            "--crate-name" => job.package.name = Some(value(arg)?),
            "--emit-openapi" => job.emit_openapi = Some(PathBuf::from(value(arg)?)),
            "--tags" => job.selection.tags.extend(patterns(&value(arg)?)),
            "--exclude-tags" => job.selection.exclude_tags.extend(patterns(&value(arg)?)),
            "--operations" => job.selection.operations.extend(patterns(&value(arg)?)),
            "--exclude-operations" => job.selection.exclude_operations.extend(patterns(&value(arg)?)),
            "--no-tool" => job.client.without_tool = true,
            "--no-mocks" => job.client.without_mocks = true,
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    match spec {
        Some(spec) => {
            job.spec = spec;
            codegen::spec(&job)
        }
        None if job.out.is_some()
            || job.package.name.is_some()
            || job.emit_openapi.is_some()
            || !job.selection.is_everything() =>
        {
            Err(format!(
                "--out, --crate-name, --emit-openapi and the selection need --spec PATH\n\n{USAGE}"
            ))
        }
        None => codegen::checked_in(&workspace_root(), job.check),
    }
}

/// The comma-separated patterns of a selection option.
fn patterns(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `bench [SECTION] [RUNS]`: one section, or all of them in order.
fn bench(args: &[&str]) -> Result<(), String> {
    if let ["split", documents @ ..] = args {
        return split_layout::run(documents);
    }
    if let ["processes", rest @ ..] = args {
        let (runs, documents) = match rest
            .split_first()
            .map(|(first, others)| (first.parse::<usize>(), others))
        {
            Some((Ok(runs), documents)) => (runs, documents),
            _ => (10, rest),
        };
        return whole_process::run(&workspace_root(), runs, documents);
    }
    let (section, runs) = match args {
        [] => ("all", None),
        [one] if one.parse::<usize>().is_ok() => ("all", Some(*one)),
        [section] => (*section, None),
        [section, runs] => (*section, Some(*runs)),
        _ => return Err(USAGE.to_owned()),
    };
    let runs = match runs {
        Some(runs) => runs.parse().map_err(|_| USAGE.to_owned())?,
        None => 10,
    };
    let root = workspace_root();
    let cargo_bench = |name: &str| -> Result<(), String> {
        let status = std::process::Command::new(xtask::cargo())
            .current_dir(&root)
            .args(["bench", "-p", "tests", "--bench", name])
            .status()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("cargo bench -p tests --bench {name} failed"))
        }
    };
    let client = || cargo_bench("client_overhead");
    let upload = || cargo_bench("upload_memory");
    let rate_limits = || cargo_bench("rate_limits");
    match section {
        "generation" => bench::run(&root, runs),
        "compile" => compile_cost::run(&root, runs, true),
        "compile-wpengine" => compile_cost::run(&root, runs, false),
        "compile-github" => compile_cost::github(&root),
        "two-clients" => two_clients::run(&root, runs.clamp(1, 3)),
        "client" => client(),
        "upload" => upload(),
        "rate-limits" => rate_limits(),
        "all" => {
            bench::run(&root, runs)?;
            println!();
            whole_process::run(&root, runs, &[])?;
            println!();
            compile_cost::run(&root, runs, true)?;
            println!();
            two_clients::run(&root, runs.clamp(1, 3))?;
            println!();
            client()?;
            println!();
            upload()?;
            println!();
            rate_limits()
        }
        _ => Err(USAGE.to_owned()),
    }
}

/// Generates and checks the corpus; for the large documents, also writes the results down.
fn corpus(scope: corpus::Scope) -> Result<(), String> {
    let root = workspace_root();
    let program = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    let generator = corpus::Generator {
        program,
        args: vec!["corpus-generate".to_owned()],
    };
    let outcomes = corpus::run(&root, scope, &generator)?;
    let table = corpus::report(&outcomes);
    println!("{table}");
    if scope == corpus::Scope::Large {
        let path = root.join("tests/corpus/RESULTS.md");
        let text = format!(
            "# Corpus results: the large documents\n\n\
             Written by `cargo run --release -p xtask -- corpus --large`, which generates a crate for each \
             document under `../shared/specs/real` and runs `cargo check` on it. The small documents run \
             in the test suite (`tests/tests/corpus.rs`). Generation times are from the xtask's build \
             profile.\n\n{table}"
        );
        std::fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        eprintln!("corpus: results written to {}", path.display());
    }
    corpus::verdict(&outcomes)
}

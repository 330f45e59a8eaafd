//! The corpus check: every OpenAPI document under `../shared/specs`, and every regression
//! fixture under `tests/fixtures/regressions`, must generate a crate that passes `cargo check`
//! without a warning, or fail with the error its line in `tests/corpus/expectations.txt` names.
//!
//! The crates depend on the runtime crate; two small documents ([`VENDORED_TOO`]) are also
//! generated with a copy of the runtime, and one is generated again claiming an interface the
//! runtime does not serve, which must fail with the one message that says what to do.
//!
//! The small documents (everything outside `real/`, and the fixtures) run in the test suite
//! (`tests/tests/corpus.rs`); the large real-world ones run with `cargo xtask corpus --large`,
//! which also writes its results to `tests/corpus/RESULTS.md`.
//!
//! Each document is generated in a process of its own ([`Generator`]), so a generator that
//! crashes (a stack overflow aborts, it does not unwind) is reported for that document instead
//! of ending the run. The crates are written under `target/corpus/<scope>/` as members of one
//! workspace, with the repository's `Cargo.lock`, and checked in one
//! `cargo check --keep-going` with warnings denied and a target directory of their own, so the
//! dependencies build once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Which documents to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything outside `real/`: seconds to generate, about two minutes to check.
    Small,
    /// `real/`: GitHub, Stripe, Kubernetes, DigitalOcean, OpenAI.
    Large,
}

impl Scope {
    fn dir_name(self) -> &'static str {
        match self {
            Scope::Small => "small",
            Scope::Large => "large",
        }
    }
}

/// What a document is expected to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Generate a crate that passes `cargo check`.
    Compiles,
    /// Be refused with an error containing this text.
    Refused(String),
}

/// What happened to one document.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The path relative to the corpus root, with `/` separators.
    pub document: String,
    /// The crate it was generated as (a document in [`VENDORED_TOO`] has two).
    pub crate_name: String,
    pub expected: Expected,
    /// The generator's error, if it refused the document.
    pub refused: Option<String>,
    /// The first compiler errors, when the generated crate did not pass `cargo check`.
    pub check_errors: Vec<String>,
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub generate_time: Duration,
}

impl Outcome {
    /// The document, and which runtime its crate had when it is one of [`VENDORED_TOO`]'s copies.
    pub fn label(&self) -> String {
        match self.crate_name.ends_with(VENDORED_SUFFIX) {
            true => format!("{} (vendored runtime)", self.document),
            false => self.document.clone(),
        }
    }

    /// Whether the document did what its expectation says.
    pub fn as_expected(&self) -> bool {
        match (&self.expected, &self.refused) {
            (Expected::Compiles, None) => self.check_errors.is_empty(),
            (Expected::Refused(text), Some(error)) => error.contains(text.as_str()),
            _ => false,
        }
    }

    fn verdict(&self) -> String {
        match (&self.refused, self.check_errors.first()) {
            (Some(e), _) => format!("refused: {e}"),
            (None, Some(e)) => format!("does not compile: {e}"),
            (None, None) => "compiles".to_owned(),
        }
    }
}

/// The corpus root: `../shared/specs` beside the repository.
pub fn corpus_root(workspace: &Path) -> PathBuf {
    workspace.join("../shared/specs")
}

/// The regression fixtures: the smallest documents that showed a defect, checked with the
/// small corpus under the name `fixtures/<file>`.
pub fn fixtures_root(workspace: &Path) -> PathBuf {
    workspace.join("tests/fixtures/regressions")
}

/// The prefix of a fixture's document name.
const FIXTURES: &str = "fixtures/";

/// Where a document of the corpus (a name [`documents`] gave) is on disk.
fn document_path(workspace: &Path, document: &str) -> PathBuf {
    match document.strip_prefix(FIXTURES) {
        Some(rest) => fixtures_root(workspace).join(rest),
        None => corpus_root(workspace).join(document),
    }
}

/// How to generate one document in a process of its own: `program`, then `args`, then the
/// document's path, its name, the crate name and the output directory. The process writes the
/// crate and prints [`Generated`] on stdout, or prints the generator's error on stderr and
/// exits with status 2; anything else is a crash.
#[derive(Debug, Clone)]
pub struct Generator {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// What the generating process reports: `operations types lines microseconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub micros: u64,
}

/// The exit status of a generating process whose generator refused the document.
const REFUSED: i32 = 2;

/// The documents whose crates are also checked with a copy of the runtime (`--runtime
/// vendored`), as `<crate>-vendored`: the others depend on the runtime crate. One has every
/// kind of generated code the runtime's macros expand into; one is a plain petstore.
const VENDORED_TOO: &[&str] = &["fixtures/reserved-names.yaml", "oas-examples/3.0/petstore.json"];

/// What the crate names of [`VENDORED_TOO`]'s copies end with.
const VENDORED_SUFFIX: &str = "-vendored";

/// The body of the generating process (see [`Generator`]): `args` are the document's path, its
/// name, the crate name, the output directory and the runtime (`vendored`, or `path:DIR`).
pub fn generate_child(args: &[String]) -> std::process::ExitCode {
    let [path, document, name, out, runtime] = args else {
        eprintln!("expected: DOCUMENT-PATH DOCUMENT-NAME CRATE-NAME OUT-DIR RUNTIME");
        return std::process::ExitCode::FAILURE;
    };
    let runtime = match openapi_crate_gen_core::RuntimeSource::parse(runtime) {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match generate_one(Path::new(path), document, (name, runtime), Path::new(out)) {
        Ok(g) => {
            println!("{} {} {} {}", g.operations, g.types, g.lines, g.micros);
            std::process::ExitCode::SUCCESS
        }
        Err(Failure::Refused(e)) => {
            eprintln!("{e}");
            std::process::ExitCode::from(REFUSED as u8)
        }
        Err(Failure::Io(e)) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Why [`generate_one`] made no crate.
enum Failure {
    /// The generator refused the document with this error.
    Refused(String),
    /// The crate could not be written.
    Io(String),
}

/// Generates the crate called `name` for one document into `out`, on `runtime`.
fn generate_one(
    path: &Path,
    document: &str,
    (name, runtime): (&str, openapi_crate_gen_core::RuntimeSource),
    out: &Path,
) -> Result<Generated, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", path.display())))?;
    let started = Instant::now();
    let refused = |e: openapi_crate_gen_core::Error| Failure::Refused(e.to_string());
    let model =
        openapi_crate_gen_core::Document::read_from(document, &bytes, &openapi_crate_gen_core::Disk::beside(path))
            .and_then(openapi_crate_gen_core::Document::model)
            .map_err(refused)?;
    // The crates are members of the corpus workspace, which builds their dependencies once.
    let options = openapi_crate_gen_core::CrateOptions {
        name: Some(name.to_owned()),
        workspace_member: true,
        runtime,
        ..openapi_crate_gen_core::CrateOptions::default()
    };
    let files = model.crate_files(&options).map_err(refused)?;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut lines = 0;
    for f in &files {
        if f.path.starts_with("src/generated/") {
            lines += f.contents.lines().count();
        }
        let target = out.join(&f.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Failure::Io(format!("{}: {e}", parent.display())))?;
        }
        std::fs::write(&target, &f.contents).map_err(|e| Failure::Io(format!("{}: {e}", target.display())))?;
    }
    Ok(Generated {
        operations: model.api().operations.len(),
        types: model.api().types().len(),
        lines,
        micros,
    })
}

/// Runs the generator on one document in a process of its own.
fn generate_out_of_process(
    generator: &Generator,
    path: &Path,
    document: &str,
    (name, runtime): (&str, &str),
    out: &Path,
) -> Result<Generated, String> {
    let output = Command::new(&generator.program)
        .args(&generator.args)
        .arg(path)
        .arg(document)
        .arg(name)
        .arg(out)
        .arg(runtime)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", generator.program.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<u64> = stdout.split_whitespace().filter_map(|n| n.parse().ok()).collect();
        return match numbers.as_slice() {
            [operations, types, lines, micros] => Ok(Generated {
                operations: usize::try_from(*operations).unwrap_or(usize::MAX),
                types: usize::try_from(*types).unwrap_or(usize::MAX),
                lines: usize::try_from(*lines).unwrap_or(usize::MAX),
                micros: *micros,
            }),
            _ => Err(format!("the generating process printed `{}`", stdout.trim())),
        };
    }
    if output.status.code() == Some(REFUSED) {
        return Err(stderr.trim().to_owned());
    }
    let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("no message");
    Err(format!("the generator crashed ({}): {last}", output.status))
}

/// Reads `tests/corpus/expectations.txt`: `DOCUMENT<TAB>refused<TAB>TEXT` per line; `#` starts a
/// comment. Documents not listed are expected to compile.
pub fn expectations(workspace: &Path) -> Result<BTreeMap<String, Expected>, String> {
    let path = workspace.join("tests/corpus/expectations.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '\t').collect();
        match parts.as_slice() {
            [doc, "refused", why] if !why.trim().is_empty() => {
                out.insert((*doc).to_owned(), Expected::Refused(why.trim().to_owned()));
            }
            _ => {
                return Err(format!(
                    "{}:{}: expected `DOCUMENT<TAB>refused<TAB>ERROR TEXT`",
                    path.display(),
                    n + 1
                ))
            }
        }
    }
    Ok(out)
}

/// The documents of a scope, sorted: paths relative to the corpus root, and for the small
/// scope also the regression fixtures as `fixtures/<file>`.
pub fn documents(workspace: &Path, scope: Scope) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut roots = vec![(corpus_root(workspace), "")];
    if scope == Scope::Small {
        roots.push((fixtures_root(workspace), FIXTURES));
    }
    for (root, prefix) in roots {
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: cannot list: {e}", dir.display()))?;
            for entry in entries.flatten() {
                let mut path = entry.path();
                if path.is_dir() {
                    match split_document(&path).filter(|_| !prefix.is_empty()) {
                        Some(root_file) => path = root_file,
                        None => {
                            stack.push(path);
                            continue;
                        }
                    }
                }
                let is_doc = matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml"));
                let Ok(rel) = path.strip_prefix(&root) else { continue };
                let rel = format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/"));
                let large = rel.starts_with("real/");
                if is_doc && large == (scope == Scope::Large) {
                    found.push(rel);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The document a fixture folder holds when it is one document split across files: its
/// `openapi.yaml` or `openapi.json` (the other files are parts of it, not documents).
fn split_document(dir: &Path) -> Option<PathBuf> {
    ["openapi.yaml", "openapi.json"]
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// A crate name for a document path: `oas-examples/3.0/petstore.json` gives
/// `corpus-oas-examples-3-0-petstore`.
fn crate_name(document: &str) -> String {
    let stem = document.rsplit_once('.').map_or(document, |(s, _)| s);
    format!("corpus-{}", openapi_crate_gen_core::crate_name_from(stem))
}

/// Generates (each document in a process of its own, run by `generator`) and checks every
/// document of `scope`; returns each document's outcome.
pub fn run(workspace: &Path, scope: Scope, generator: &Generator) -> Result<Vec<Outcome>, String> {
    let root = corpus_root(workspace);
    if !root.is_dir() {
        return Err(format!("{}: the corpus is missing", root.display()));
    }
    let expected = expectations(workspace)?;
    let out = workspace.join("target/corpus").join(scope.dir_name());
    let crates = out.join("crates");
    if crates.exists() {
        std::fs::remove_dir_all(&crates).map_err(|e| format!("{}: cannot clear: {e}", crates.display()))?;
    }
    let runtime_crate = format!("path:{}", workspace.join("runtime").display());
    let mut outcomes = Vec::new();
    let mut members = Vec::new();
    for document in documents(workspace, scope)? {
        let path = document_path(workspace, &document);
        let mut runs = vec![(crate_name(&document), runtime_crate.as_str())];
        if VENDORED_TOO.contains(&document.as_str()) {
            runs.push((format!("{}{VENDORED_SUFFIX}", crate_name(&document)), "vendored"));
        }
        for (name, runtime) in runs {
            let generated = generate_out_of_process(generator, &path, &document, (&name, runtime), &crates.join(&name));
            let mut outcome = Outcome {
                expected: expected.get(&document).cloned().unwrap_or(Expected::Compiles),
                document: document.clone(),
                crate_name: name.clone(),
                refused: None,
                check_errors: Vec::new(),
                operations: 0,
                types: 0,
                lines: 0,
                generate_time: Duration::ZERO,
            };
            match generated {
                Err(e) => outcome.refused = Some(e),
                Ok(g) => {
                    outcome.operations = g.operations;
                    outcome.types = g.types;
                    outcome.lines = g.lines;
                    outcome.generate_time = Duration::from_micros(g.micros);
                    members.push(name);
                }
            }
            outcomes.push(outcome);
        }
    }
    if let Some(document) = VENDORED_TOO
        .iter()
        .find(|d| outcomes.iter().any(|o| o.document == **d && o.refused.is_none()))
    {
        let path = document_path(workspace, document);
        let dir = crates.join(MISMATCH);
        generate_out_of_process(generator, &path, document, (MISMATCH, runtime_crate.as_str()), &dir)?;
        claim_another_interface(&dir)?;
        members.push(MISMATCH.to_owned());
    }
    let failures = check(workspace, &out, &members)?;
    if members.iter().any(|m| m == MISMATCH) {
        mismatch_verdict(failures.get(MISMATCH))?;
    }
    for outcome in &mut outcomes {
        if let Some(errors) = failures.get(&outcome.crate_name) {
            outcome.check_errors = errors.clone();
        }
    }
    Ok(outcomes)
}

/// A crate generated on the runtime crate, then changed to claim an interface the runtime does
/// not serve: it must fail to compile with the one message that says what to do.
const MISMATCH: &str = "corpus-interface-mismatch";

/// What the generated check says when the runtime does not serve the crate's interface.
const MISMATCH_MESSAGE: &str = "this client was generated for another version of openapi-crate-gen-runtime";

/// Makes the crate in `dir` claim the interface after the one this generator writes.
fn claim_another_interface(dir: &Path) -> Result<(), String> {
    let file = dir.join("src/generated/mod.rs");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let served = openapi_crate_gen_core::runtime::GENERATED_CODE_INTERFACE;
    let claim = |n: u32| format!("runtime::serves_generated_code({n})");
    if !text.contains(&claim(served)) {
        return Err(format!("{}: no `{}` to change", file.display(), claim(served)));
    }
    std::fs::write(&file, text.replace(&claim(served), &claim(served + 1)))
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// The mismatched crate failed, and only with the message saying what to do.
fn mismatch_verdict(errors: Option<&Vec<String>>) -> Result<(), String> {
    match errors {
        None => Err(format!(
            "{MISMATCH} compiled, though it claims an interface the runtime does not serve"
        )),
        Some(errors) if errors.is_empty() || errors.iter().any(|e| !e.contains(MISMATCH_MESSAGE)) => Err(format!(
            "{MISMATCH} must fail with `{MISMATCH_MESSAGE}` alone, and failed with: {errors:?}"
        )),
        Some(_) => Ok(()),
    }
}

/// Runs `cargo check` over the generated crates; returns the compiler errors of each crate that
/// failed.
fn check(workspace: &Path, out: &Path, members: &[String]) -> Result<BTreeMap<String, Vec<String>>, String> {
    if members.is_empty() {
        return Ok(BTreeMap::new());
    }
    let list: Vec<String> = members.iter().map(|m| format!("    \"crates/{m}\",\n")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`; the crates are generated from ../shared/specs.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n{}]\n\n[profile.dev]\ndebug = false\n",
        list.concat()
    );
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| format!("{}: {e}", out.display()))?;
    // The repository's lock file pins the same dependency versions the WP Engine client builds with.
    let lock = workspace.join("Cargo.lock");
    if lock.exists() {
        std::fs::copy(&lock, out.join("Cargo.lock")).map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    // Every feature on (blocking, middleware, mock, cli), then none (not one tag's operations),
    // then one tag's with the tool and the mocks, so no combination of the tags fails.
    let one_tag: Vec<String> = members
        .iter()
        .filter_map(|m| {
            let manifest = std::fs::read_to_string(out.join("crates").join(m).join("Cargo.toml")).ok()?;
            let first = manifest
                .lines()
                .find_map(|l| l.strip_prefix("default = [\""))?
                .split('"')
                .next()?
                .to_owned();
            Some(format!("{m}/{first},{m}/cli,{m}/mock"))
        })
        .collect();
    let mut passes: Vec<(&str, Vec<String>)> = vec![
        ("all features", vec!["--all-features".to_owned()]),
        ("no default features", vec!["--no-default-features".to_owned()]),
    ];
    if !one_tag.is_empty() {
        passes.push((
            "one tag's feature",
            vec![
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                one_tag.join(","),
            ],
        ));
    }
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (pass, flags) in passes {
        let output = Command::new(crate::cargo())
            .current_dir(out)
            .args(["check", "--workspace", "--keep-going", "--message-format", "short"])
            .args(&flags)
            .env("CARGO_TARGET_DIR", out.join("target"))
            // Generated code must not warn; dependencies' lints are capped by cargo.
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .map_err(|e| format!("cannot run cargo check: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let named_a_crate = collect_failures(&stderr, pass, &mut failures);
        if !output.status.success() && !named_a_crate {
            return Err(format!(
                "cargo check ({pass}) failed before checking any crate:\n{stderr}"
            ));
        }
    }
    for errors in failures.values_mut() {
        if errors.is_empty() {
            errors.push("see `cargo check` in target/corpus".to_owned());
        }
    }
    Ok(failures)
}

/// The errors of each crate in `cargo check`'s short output, each marked with the pass; whether
/// the output named any failing crate (a crate that failed an earlier pass too counts).
fn collect_failures(stderr: &str, pass: &str, failures: &mut BTreeMap<String, Vec<String>>) -> bool {
    let mut named = false;
    for line in stderr.lines() {
        // `crates/NAME/src/...: error[E0277]: ...` and `error: could not compile `NAME` ...`.
        if let Some(rest) = line.strip_prefix("crates/") {
            if let Some((name, _)) = rest.split_once('/') {
                if rest.contains(": error") {
                    named = true;
                    let errors = failures.entry(name.to_owned()).or_default();
                    if errors.len() < 5 {
                        errors.push(format!("({pass}) {}", &rest[name.len() + 1..]));
                    }
                }
            }
        } else if let Some(rest) = line.strip_prefix("error: could not compile `") {
            if let Some((name, _)) = rest.split_once('`') {
                named = true;
                failures.entry(name.to_owned()).or_default();
            }
        }
    }
    named
}

/// A Markdown table of the outcomes.
pub fn report(outcomes: &[Outcome]) -> String {
    let mut out = String::from(
        "| document | operations | types | generated lines | generation | result | as expected |\n\
         |---|---:|---:|---:|---:|---|---|\n",
    );
    for o in outcomes {
        let verdict = o.verdict().replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} ms | {} | {} |",
            o.label(),
            o.operations,
            o.types,
            o.lines,
            o.generate_time.as_millis(),
            verdict,
            if o.as_expected() { "yes" } else { "**no**" }
        );
    }
    out
}

/// Fails, listing them, when any document did not do what its expectation says.
pub fn verdict(outcomes: &[Outcome]) -> Result<(), String> {
    let wrong: Vec<&Outcome> = outcomes.iter().filter(|o| !o.as_expected()).collect();
    if wrong.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "{} document(s) did not do what tests/corpus/expectations.txt says:\n",
        wrong.len()
    );
    for o in wrong {
        let want = match &o.expected {
            Expected::Compiles => "compile".to_owned(),
            Expected::Refused(text) => format!("be refused with `{text}`"),
        };
        let _ = writeln!(message, "- {}: expected to {want}, but {}", o.label(), o.verdict());
        for e in o.check_errors.iter().skip(1) {
            let _ = writeln!(message, "    {e}");
        }
    }
    Err(message)
}

//! The corpus check: every OpenAPI document under `../shared/specs`, and every regression
//! fixture under `tests/fixtures/regressions`, must generate a crate that passes `cargo check`
//! without a warning, or fail with the error its line in `tests/corpus/expectations.txt` names.
//!
//! Every document that should compile and tags its operations with two tags or more is also
//! generated with one tag selected at generation (`--tags`, its first operation's tag), as
//! `<crate>-one-tag`, so a selection is proved to keep every type its operations name; the
//! small corpus also generates GitHub's `meta` tag ([`LARGE_TAGS`]), a few operations of a
//! large document, without the tool and the mocks (`--no-tool`, `--no-mocks`).
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

mod generate;

pub use generate::{generate_child, Generated, Generator, Part};

use generate::generate_out_of_process;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

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
    /// The crate it was generated as (a document in [`VENDORED_TOO`] has two, and one with
    /// tags another of one tag).
    pub crate_name: String,
    /// The tag selected at generation, when the crate is of one tag of the document.
    pub tag: Option<String>,
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
        match (&self.tag, self.crate_name.ends_with(VENDORED_SUFFIX)) {
            (Some(tag), _) => format!("{} (tag `{tag}` alone)", self.document),
            (None, true) => format!("{} (vendored runtime)", self.document),
            (None, false) => self.document.clone(),
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

/// The documents whose crates are also checked with a copy of the runtime (`--runtime
/// vendored`), as `<crate>-vendored`: the others depend on the runtime crate. One has every
/// kind of generated code the runtime's macros expand into; one is a plain petstore.
const VENDORED_TOO: &[&str] = &["fixtures/reserved-names.yaml", "oas-examples/3.0/petstore.json"];

/// What the crate names of [`VENDORED_TOO`]'s copies end with.
const VENDORED_SUFFIX: &str = "-vendored";

/// What the crate names of the documents generated with one tag selected end with.
const ONE_TAG_SUFFIX: &str = "-one-tag";

/// Large documents of which the small corpus generates and checks one tag, selected at
/// generation without the tool and the mocks: a few operations of a large document, with the
/// types they reach.
const LARGE_TAGS: &[(&str, &str)] = &[("real/github.json", "meta")];

/// One crate to generate: a document, or part of one.
struct Run {
    document: String,
    crate_name: String,
    runtime: String,
    part: Part,
    expected: Expected,
}

impl Run {
    fn new(document: &str, crate_name: &str, runtime: &str, part: Part, expected: Expected) -> Run {
        Run {
            document: document.to_owned(),
            crate_name: crate_name.to_owned(),
            runtime: runtime.to_owned(),
            part,
            expected,
        }
    }

    /// What generating it did, before the check; `None` when one tag was asked of a document
    /// with fewer than two.
    fn outcome(self, generated: Result<Option<Generated>, String>) -> Option<Outcome> {
        let mut outcome = Outcome {
            expected: self.expected,
            document: self.document,
            crate_name: self.crate_name,
            tag: None,
            refused: None,
            check_errors: Vec::new(),
            operations: 0,
            types: 0,
            lines: 0,
            generate_time: Duration::ZERO,
        };
        match generated {
            Err(e) => outcome.refused = Some(e),
            Ok(None) => return None,
            Ok(Some(g)) => {
                outcome.operations = g.operations;
                outcome.types = g.types;
                outcome.lines = g.lines;
                outcome.generate_time = Duration::from_micros(g.micros);
                outcome.tag = g.tag;
            }
        }
        Some(outcome)
    }
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
/// document of `scope`; returns each document's outcome. Each document that should compile
/// and has two tags or more is also generated with its first tag alone selected (`--tags`), as
/// `<crate>-one-tag`; the small scope adds one tag of a large document ([`LARGE_TAGS`]).
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
    let mut runs = Vec::new();
    for document in documents(workspace, scope)? {
        let expected = expected.get(&document).cloned().unwrap_or(Expected::Compiles);
        let name = crate_name(&document);
        runs.push(Run::new(&document, &name, &runtime_crate, Part::All, expected.clone()));
        if VENDORED_TOO.contains(&document.as_str()) {
            let vendored = format!("{name}{VENDORED_SUFFIX}");
            runs.push(Run::new(&document, &vendored, "vendored", Part::All, expected.clone()));
        }
        if expected == Expected::Compiles {
            let one_tag = format!("{name}{ONE_TAG_SUFFIX}");
            runs.push(Run::new(&document, &one_tag, &runtime_crate, Part::FirstTag, expected));
        }
    }
    if scope == Scope::Small {
        for (document, tag) in LARGE_TAGS {
            if document_path(workspace, document).is_file() {
                let name = format!("{}-{tag}", crate_name(document));
                let part = Part::Tag((*tag).to_owned());
                runs.push(Run::new(document, &name, &runtime_crate, part, Expected::Compiles));
            }
        }
    }
    let mut outcomes = Vec::new();
    let mut members = Vec::new();
    for run in runs {
        let path = document_path(workspace, &run.document);
        let at = crates.join(&run.crate_name);
        let generated = generate_out_of_process(
            generator,
            &path,
            &run.document,
            (&run.crate_name, &run.runtime, &run.part),
            &at,
        );
        if let Some(outcome) = run.outcome(generated) {
            if outcome.refused.is_none() {
                members.push(outcome.crate_name.clone());
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
        generate_out_of_process(generator, &path, document, (MISMATCH, &runtime_crate, &Part::All), &dir)?;
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
    // then one tag's with the tool and the mocks, so no combination of the tags fails. A crate
    // of one tag selected at generation is part of a document whose whole crate goes through
    // all three: it is checked in the first alone, which is what it adds.
    let selected: Vec<&String> = members.iter().filter(|m| m.ends_with(ONE_TAG_SUFFIX)).collect();
    let one_tag: Vec<String> = members
        .iter()
        .filter(|m| !m.ends_with(ONE_TAG_SUFFIX))
        .filter_map(|m| {
            let manifest = std::fs::read_to_string(out.join("crates").join(m).join("Cargo.toml")).ok()?;
            let first = manifest
                .lines()
                .find_map(|l| l.strip_prefix("default = [\""))?
                .split('"')
                .next()?
                .to_owned();
            // The tool and the mocks, where they were not left out at generation.
            let mut features = format!("{m}/{first}");
            for optional in ["cli", "mock"] {
                if manifest.contains(&format!("\n{optional} = ")) {
                    features.push_str(&format!(",{m}/{optional}"));
                }
            }
            Some(features)
        })
        .collect();
    let excluded: Vec<String> = selected
        .iter()
        .flat_map(|m| ["--exclude".to_owned(), (*m).clone()])
        .collect();
    let mut passes: Vec<(&str, Vec<String>)> = vec![("all features", vec!["--all-features".to_owned()])];
    if selected.len() < members.len() {
        passes.push((
            "no default features",
            [vec!["--no-default-features".to_owned()], excluded.clone()].concat(),
        ));
    }
    if !one_tag.is_empty() {
        passes.push((
            "one tag's feature",
            [
                vec![
                    "--no-default-features".to_owned(),
                    "--features".to_owned(),
                    one_tag.join(","),
                ],
                excluded,
            ]
            .concat(),
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

//! The corpus check: every OpenAPI document under `../shared/specs` must generate a crate that
//! passes `cargo check`, or fail with the error its line in `tests/corpus/expectations.txt`
//! names.
//!
//! The small documents (everything outside `real/`) run in the test suite
//! (`tests/tests/corpus.rs`); the large real-world ones run with `cargo xtask corpus --large`,
//! which also writes its results to `tests/corpus/RESULTS.md`.
//!
//! The crates are written under `target/corpus/<scope>/` as members of one workspace, with the
//! repository's `Cargo.lock`, and checked in one `cargo check --keep-going` with a target
//! directory of their own, so the dependencies build once.

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

/// The documents of a scope, relative to the corpus root, sorted.
pub fn documents(root: &Path, scope: Scope) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: cannot list: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_doc = matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml"));
            let Ok(rel) = path.strip_prefix(root) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let large = rel.starts_with("real/");
            if is_doc && large == (scope == Scope::Large) {
                found.push(rel);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A crate name for a document path: `oas-examples/3.0/petstore.json` gives
/// `corpus-oas-examples-3-0-petstore`.
fn crate_name(document: &str) -> String {
    let stem = document.rsplit_once('.').map_or(document, |(s, _)| s);
    format!("corpus-{}", generator::crate_name_from(stem))
}

/// Generates and checks every document of `scope`; returns each document's outcome.
pub fn run(workspace: &Path, scope: Scope) -> Result<Vec<Outcome>, String> {
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
    let mut outcomes = Vec::new();
    let mut members = Vec::new();
    for document in documents(&root, scope)? {
        let bytes = std::fs::read(root.join(&document)).map_err(|e| format!("{document}: cannot read: {e}"))?;
        let name = crate_name(&document);
        let started = Instant::now();
        // A panic is a bug, but it must not stop the other documents from being reported.
        let generated = std::panic::catch_unwind(|| {
            let model = generator::build_model(&document, &bytes)?;
            let files = generator::crate_from_model(&document, &bytes, &model, Some(&name))?;
            Ok::<_, generator::Error>((files, model.operations.len(), model.types.len()))
        });
        let generate_time = started.elapsed();
        let mut outcome = Outcome {
            expected: expected.get(&document).cloned().unwrap_or(Expected::Compiles),
            document: document.clone(),
            refused: None,
            check_errors: Vec::new(),
            operations: 0,
            types: 0,
            lines: 0,
            generate_time,
        };
        match generated {
            Err(_) => outcome.refused = Some("the generator panicked".to_owned()),
            Ok(Err(e)) => outcome.refused = Some(e.to_string()),
            Ok(Ok((files, operations, types))) => {
                outcome.operations = operations;
                outcome.types = types;
                let dir = crates.join(&name);
                for f in &files {
                    if f.path.starts_with("src/generated/") {
                        outcome.lines += f.contents.lines().count();
                    }
                    let path = dir.join(&f.path);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
                    }
                    std::fs::write(&path, &f.contents).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                members.push(name);
            }
        }
        outcomes.push(outcome);
    }
    let failures = check(workspace, &out, &members)?;
    for outcome in &mut outcomes {
        if let Some(errors) = failures.get(&crate_name(&outcome.document)) {
            outcome.check_errors = errors.clone();
        }
    }
    Ok(outcomes)
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
    let output = Command::new(crate::cargo())
        .current_dir(out)
        .args(["check", "--workspace", "--keep-going", "--message-format", "short"])
        .env("CARGO_TARGET_DIR", out.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in stderr.lines() {
        // `crates/NAME/src/...: error[E0277]: ...` and `error: could not compile `NAME` ...`.
        if let Some(rest) = line.strip_prefix("crates/") {
            if let Some((name, _)) = rest.split_once('/') {
                if rest.contains(": error") {
                    let errors = failures.entry(name.to_owned()).or_default();
                    if errors.len() < 5 {
                        errors.push(rest[name.len() + 1..].to_owned());
                    }
                }
            }
        } else if let Some(rest) = line.strip_prefix("error: could not compile `") {
            if let Some((name, _)) = rest.split_once('`') {
                failures.entry(name.to_owned()).or_default();
            }
        }
    }
    if !output.status.success() && failures.is_empty() {
        return Err(format!("cargo check failed before checking any crate:\n{stderr}"));
    }
    for errors in failures.values_mut() {
        if errors.is_empty() {
            errors.push("see `cargo check` in target/corpus".to_owned());
        }
    }
    Ok(failures)
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
            o.document,
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
        let _ = writeln!(message, "- {}: expected to {want}, but {}", o.document, o.verdict());
        for e in o.check_errors.iter().skip(1) {
            let _ = writeln!(message, "    {e}");
        }
    }
    Err(message)
}

//! `cargo xtask codegen`: regenerate the checked-in clients, or generate a crate for any
//! document with `--spec PATH --out DIR`.
//!
//! Everything is generated in memory first, so bad input never leaves a half-written tree.

use std::path::{Path, PathBuf};

/// Each document the repository generates a client from, and where the generated modules go
/// (paths relative to the workspace root).
pub const TARGETS: &[(&str, &str)] = &[
    ("spec/wpengine-v1.10.0.yaml", "generated-client/src/generated"),
    ("tests/fixtures/features.yaml", "tests/features-client/src/generated"),
    (
        "tests/fixtures/seeds/rpc-api-keys.yaml",
        "tests/seed-clients/rpc-api-keys/src/generated",
    ),
    (
        "tests/fixtures/seeds/bearer-idempotency.yaml",
        "tests/seed-clients/bearer-idempotency/src/generated",
    ),
    (
        "tests/fixtures/seeds/read-write-delete.yaml",
        "tests/seed-clients/read-write-delete/src/generated",
    ),
];

/// What `codegen --spec` was asked to do.
#[derive(Debug, Default)]
pub struct SpecJob {
    pub spec: PathBuf,
    pub out: Option<PathBuf>,
    pub crate_name: Option<String>,
    pub emit_openapi: Option<PathBuf>,
    pub check: bool,
    /// Fail, writing nothing, when the generator warns of a lossy or surprising choice.
    pub deny_warnings: bool,
    /// Write the crate as a member of an enclosing workspace, not as a workspace of its own.
    pub workspace_member: bool,
    /// Overwrite files that the generator did not write (they lack the `@generated` header).
    pub force: bool,
}

/// Whether a file's text says the generator wrote it: the `@generated` header in its first
/// lines.
fn written_by_us(text: &str) -> bool {
    text.lines().take(3).any(|l| l.contains("@generated"))
}

/// Prints the generator's warnings for one document on stderr; returns how many there were.
fn report_warnings(model: &generator::Model) -> usize {
    for w in model.warnings() {
        eprintln!("warning: {}: at {}: {}", model.file_name(), w.pointer, w.message);
    }
    model.warnings().len()
}

/// Says how many warnings there were, and fails if they are denied.
fn conclude_warnings(count: usize, deny: bool) -> Result<(), String> {
    if count == 0 {
        return Ok(());
    }
    eprintln!("codegen: {count} warning(s)");
    if deny {
        return Err(format!(
            "codegen: {count} warning(s) denied by --deny-warnings; nothing was written"
        ));
    }
    Ok(())
}

/// One file the run wants on disk, with what is there now.
struct Pending {
    path: PathBuf,
    current: String,
    wanted: String,
}

fn pending(path: PathBuf, wanted: String) -> Option<Pending> {
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    (current != wanted).then_some(Pending { path, current, wanted })
}

/// Regenerates every checked-in client (see [`TARGETS`]).
pub fn checked_in(root: &Path, check: bool) -> Result<(), String> {
    let mut stale = Vec::new();
    let mut total = 0;
    let mut warnings = 0;
    for (spec_rel, out_rel) in TARGETS {
        let spec = root.join(spec_rel);
        let bytes = std::fs::read(&spec).map_err(|e| format!("{}: cannot read: {e}", spec.display()))?;
        let model = generator::Document::read(spec_rel, &bytes)
            .map(|d| d.regenerated_by("`cargo xtask codegen`"))
            .and_then(generator::Document::model)
            .map_err(|e| format!("error: {e}"))?;
        warnings += report_warnings(&model);
        let files = model.files().map_err(|e| format!("error: {e}"))?;
        let out_dir = root.join(out_rel);
        total += files.len();
        stale.extend(
            files
                .into_iter()
                .filter_map(|f| pending(out_dir.join(&f.path), f.contents)),
        );
    }
    conclude_warnings(warnings, false)?;
    finish(stale, Vec::new(), total, check)
}

/// The command that regenerates a crate made by `job`, in words that hold on any machine: the
/// document's and the crate directory's names, not their paths.
fn regenerate_command(job: &SpecJob) -> String {
    let base = |p: &Path| {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
    };
    let mut command = format!("`cargo xtask codegen --spec {}", base(&job.spec));
    if let Some(out) = &job.out {
        command.push_str(&format!(" --out {}", base(out)));
    }
    if let Some(name) = &job.crate_name {
        command.push_str(&format!(" --crate-name {name}"));
    }
    if job.workspace_member {
        command.push_str(" --workspace-member");
    }
    command.push('`');
    command
}

/// Generates a crate (and/or the normalised document) for any document.
pub fn spec(job: &SpecJob) -> Result<(), String> {
    if job.out.is_none() && job.emit_openapi.is_none() {
        return Err("codegen --spec needs --out DIR, --emit-openapi FILE or both".to_owned());
    }
    let bytes = std::fs::read(&job.spec).map_err(|e| format!("{}: cannot read: {e}", job.spec.display()))?;
    let file_name = job.spec.display().to_string();
    let document = generator::Document::read(&file_name, &bytes)
        .map(|d| d.regenerated_by(&regenerate_command(job)))
        .map_err(|e| format!("error: {e}"))?;
    let mut stale = Vec::new();
    let mut remove = Vec::new();
    let mut total = 0;
    if let Some(path) = &job.emit_openapi {
        let text = document.normalized();
        total += 1;
        stale.extend(pending(path.clone(), text + "\n"));
    }
    if let Some(out) = &job.out {
        let name = match &job.crate_name {
            Some(name) => Some(name.clone()),
            None => out
                .canonicalize()
                .unwrap_or_else(|_| out.clone())
                .file_name()
                .map(|n| generator::crate_name_from(&n.to_string_lossy())),
        };
        let model = document.model().map_err(|e| format!("error: {e}"))?;
        conclude_warnings(report_warnings(&model), job.deny_warnings)?;
        let options = generator::CrateOptions {
            name,
            workspace_member: job.workspace_member,
        };
        let files = model.crate_files(&options).map_err(|e| format!("error: {e}"))?;
        total += files.len();
        remove = leftovers(out, &files);
        stale.extend(files.into_iter().filter_map(|f| pending(out.join(&f.path), f.contents)));
    }
    if !job.force && !job.check {
        let foreign: Vec<String> = stale
            .iter()
            .filter(|p| !p.current.is_empty() && !written_by_us(&p.current))
            .map(|p| p.path.display().to_string())
            .collect();
        if !foreign.is_empty() {
            return Err(format!(
                "codegen: refusing to overwrite files the generator did not write (no @generated header); nothing was written. Move them, or pass --force:\n  {}",
                foreign.join("\n  ")
            ));
        }
    }
    finish(stale, remove, total, job.check)
}

/// Generated files from an earlier run that this run no longer produces: `.rs` files under
/// `src/generated/` and `src/runtime/` that carry the `@generated` header.
fn leftovers(out: &Path, files: &[generator::GeneratedFile]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in ["src/generated", "src/runtime"] {
        let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
            // Only files the generator wrote: never a file of the user's.
            let ours = std::fs::read_to_string(entry.path()).is_ok_and(|text| written_by_us(&text));
            if rel.ends_with(".rs") && ours && !files.iter().any(|f| f.path == rel) {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    found
}

fn finish(stale: Vec<Pending>, remove: Vec<PathBuf>, total: usize, check: bool) -> Result<(), String> {
    if check {
        if stale.is_empty() && remove.is_empty() {
            return Ok(());
        }
        let mut report = String::from("generated code is stale; run `cargo xtask codegen`\n");
        for p in &stale {
            let diff = similar::TextDiff::from_lines(p.current.as_str(), p.wanted.as_str());
            let name = p.path.display().to_string();
            report.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&name, &format!("{name} (generated)"))
                    .to_string(),
            );
        }
        for path in &remove {
            report.push_str(&format!("{} is no longer generated\n", path.display()));
        }
        return Err(report);
    }
    for p in &stale {
        if let Some(dir) = p.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&p.path, &p.wanted).map_err(|e| format!("{}: cannot write: {e}", p.path.display()))?;
    }
    for path in &remove {
        std::fs::remove_file(path).map_err(|e| format!("{}: cannot remove: {e}", path.display()))?;
    }
    eprintln!(
        "codegen: {} file(s) written, {} unchanged, {} removed",
        stale.len(),
        total - stale.len(),
        remove.len()
    );
    Ok(())
}

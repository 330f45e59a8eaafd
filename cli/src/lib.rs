//! Writes what the generator makes: a crate for any OpenAPI document (`--out`), the
//! normalized document (`--emit-openapi`), or a check that files on disk are current
//! (`--check`). Everything is generated in memory first, so bad input never leaves a
//! half-written tree; only changed files are written; files the generator wrote earlier and no
//! longer makes are removed; a file without the `@generated` header is the user's and is never
//! overwritten (unless `force`) or removed. The command-line tool and `cargo xtask codegen`
//! both run this; the `openapi-crate-gen-core` library (the `generator/` folder) itself does no I/O.

pub mod build_script;

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a run failed, which decides the command's exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The document or an option is wrong: exit status 1.
    Input(String),
    /// A file could not be read, written or overwritten: exit status 2.
    Io(String),
    /// With `--check`: files on disk are not what the generator makes now: exit status 3.
    Stale(String),
    /// The command line makes no sense: exit status 64.
    Usage(String),
}

impl Failure {
    /// The process exit status for this failure.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => 1,
            Failure::Io(_) => 2,
            Failure::Stale(_) => 3,
            Failure::Usage(_) => 64,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Input(m) | Failure::Io(m) | Failure::Usage(m) => write!(f, "error: {m}"),
            Failure::Stale(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Failure {}

/// What `codegen --spec` was asked to do.
#[derive(Debug, Default)]
pub struct SpecJob {
    pub spec: PathBuf,
    pub out: Option<PathBuf>,
    pub emit_openapi: Option<PathBuf>,
    pub check: bool,
    /// Fail, writing nothing, when the generator warns of a lossy or surprising choice.
    pub deny_warnings: bool,
    /// List every warning, not a count and the first few places of each kind.
    pub verbose: bool,
    /// Overwrite files that the generator did not write (they lack the `@generated` header).
    pub force: bool,
    /// The crate's name (by default `out`'s), version, description, license, repository,
    /// whether it may be published, and whether it is a member of an enclosing workspace.
    pub package: openapi_crate_gen_core::CrateOptions,
    /// The prefix of the client's environment variables (by default the crate's name), and
    /// whether its credentials also go where the document does not declare them.
    pub client: openapi_crate_gen_core::ClientSettings,
    /// How the generated files' header tells readers to run this again, before the document's
    /// name (`openapi-crate-gen`, or `cargo xtask codegen --spec`).
    pub program: String,
    /// The operations to generate (by default all of them), with the types they reach.
    pub selection: openapi_crate_gen_core::Selection,
}

/// Whether a file's text says the generator wrote it: the `@generated` header in its first
/// lines.
pub fn written_by_us(text: &str) -> bool {
    text.lines().take(3).any(|l| l.contains("@generated"))
}

/// Prints the generator's warnings for one document on stderr, grouped by kind with the first
/// few places of each (every place when `verbose`); returns how many there were.
pub fn report_warnings(model: &openapi_crate_gen_core::Model, verbose: bool) -> usize {
    for line in model.warning_report(verbose) {
        if line.starts_with(' ') {
            eprintln!("{line}");
        } else {
            eprintln!("warning: {line}");
        }
    }
    model.warnings().len()
}

/// Says how many warnings there were, and fails if they are denied.
pub fn conclude_warnings(count: usize, deny: bool) -> Result<(), Failure> {
    if count == 0 {
        return Ok(());
    }
    eprintln!("{count} warning(s)");
    if deny {
        return Err(Failure::Input(format!(
            "{count} warning(s) denied by --deny-warnings; nothing was written"
        )));
    }
    Ok(())
}

/// One file the run wants on disk, with what is there now.
pub struct Pending {
    path: PathBuf,
    current: String,
    wanted: String,
}

impl Pending {
    /// Writes the wanted text, making the file's folder if need be.
    pub fn write(&self) -> Result<(), Failure> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Failure::Io(format!("{}: {e}", dir.display())))?;
        }
        std::fs::write(&self.path, &self.wanted)
            .map_err(|e| Failure::Io(format!("{}: cannot write: {e}", self.path.display())))
    }
}

/// The file at `path`, if what is there is not `wanted`.
pub fn pending(path: PathBuf, wanted: String) -> Option<Pending> {
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    (current != wanted).then_some(Pending { path, current, wanted })
}

/// The command that regenerates a crate made by `job`, in words that hold on any machine: the
/// document's and the crate directory's names, not their paths.
fn regenerate_command(job: &SpecJob) -> String {
    let base = |p: &Path| {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
    };
    let program = if job.program.is_empty() {
        "openapi-crate-gen"
    } else {
        &job.program
    };
    let mut command = format!("`{program} {}", base(&job.spec));
    if let Some(out) = &job.out {
        command.push_str(&format!(" --out {}", base(out)));
    }
    // Every option that shapes the files, so the command makes the same ones again.
    let package = &job.package;
    for (flag, value) in [
        ("--crate-name", &package.name),
        ("--crate-version", &package.version),
        ("--description", &package.description),
        ("--license", &package.license),
        ("--repository", &package.repository),
    ] {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {}", shell_word(value)));
        }
    }
    if package.runtime != openapi_crate_gen_core::RuntimeSource::DEFAULT {
        command.push_str(&format!(" --runtime {}", shell_word(&package.runtime.to_string())));
    }
    for (flag, patterns) in job.selection.flags() {
        command.push_str(&format!(" {flag} {}", shell_word(&patterns)));
    }
    for (flag, set) in [
        ("--publish", package.publish),
        ("--workspace-member", package.workspace_member),
        ("--no-tool", job.client.without_tool),
        ("--no-mocks", job.client.without_mocks),
    ] {
        if set {
            command.push_str(&format!(" {flag}"));
        }
    }
    command.push('`');
    command
}

/// `text` as one word of a shell command: quoted when it holds anything but plain characters.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@' | '+' | ','));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// How a changelog is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangelogFormat {
    Markdown,
    Json,
}

/// One version of a document for [`changelog`]: its name in errors, its bytes, and the files
/// it refers to.
pub type Version<'a> = (&'a str, &'a [u8], &'a dyn openapi_crate_gen_core::Files);

/// The changes of the generated Rust API from the document `old` (named `old_name` in errors)
/// to `new`, as Markdown or JSON, with the version bump they call for; both documents are read
/// with `selection`, so the changes are those of a client generated with it.
///
/// # Errors
/// [`Failure::Input`] when either document does not load, naming which and the JSON pointer,
/// or the selection matches nothing in it.
pub fn changelog(
    (old_name, old, old_files): Version<'_>,
    (new_name, new, new_files): Version<'_>,
    selection: &openapi_crate_gen_core::Selection,
    format: ChangelogFormat,
) -> Result<(openapi_crate_gen_core::changelog::Changelog, String), Failure> {
    let model = |name: &str, bytes: &[u8], files: &dyn openapi_crate_gen_core::Files, which: &str| {
        openapi_crate_gen_core::Document::read_from(name, bytes, files)
            .map(|d| d.select(selection.clone()))
            .and_then(openapi_crate_gen_core::Document::model)
            .map(openapi_crate_gen_core::Model::into_api)
            .map_err(|e| Failure::Input(format!("the {which} document does not load: {e}")))
    };
    let before = model(old_name, old, old_files, "old")?;
    let after = model(new_name, new, new_files, "new")?;
    let log = openapi_crate_gen_core::changelog::Changelog::between(&before, &after);
    let text = match format {
        ChangelogFormat::Markdown => log.markdown(),
        ChangelogFormat::Json => log.json(),
    };
    Ok((log, text))
}

/// Generates a crate (and/or the normalised document) for any document.
pub fn spec(job: &SpecJob) -> Result<(), Failure> {
    if job.out.is_none() && job.emit_openapi.is_none() {
        return Err(Failure::Usage(
            "--spec needs --out DIR, --emit-openapi FILE or both".to_owned(),
        ));
    }
    let bytes =
        std::fs::read(&job.spec).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", job.spec.display())))?;
    let file_name = job.spec.display().to_string();
    let document = openapi_crate_gen_core::Document::read_from(
        &file_name,
        &bytes,
        &openapi_crate_gen_core::Disk::beside(&job.spec),
    )
    .map(|d| d.regenerated_by(&regenerate_command(job)).select(job.selection.clone()))
    .map_err(|e| Failure::Input(e.to_string()))?;
    let mut stale = Vec::new();
    let mut remove = Vec::new();
    let mut total = 0;
    if let Some(path) = &job.emit_openapi {
        let text = document.normalized();
        total += 1;
        stale.extend(pending(path.clone(), text + "\n"));
    }
    if let Some(out) = &job.out {
        let mut options = job.package.clone();
        if options.name.is_none() {
            options.name = out
                .canonicalize()
                .unwrap_or_else(|_| out.clone())
                .file_name()
                .map(|n| openapi_crate_gen_core::crate_name_from(&n.to_string_lossy()));
        }
        let model = document
            .model()
            .and_then(|m| m.with_settings(job.client.clone()))
            .map_err(|e| Failure::Input(e.to_string()))?;
        conclude_warnings(report_warnings(&model, job.verbose), job.deny_warnings)?;
        let files = model.crate_files(&options).map_err(|e| Failure::Input(e.to_string()))?;
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
            return Err(Failure::Io(format!(
                "refusing to overwrite files the generator did not write (no @generated header); nothing was written. Move them, or pass --force:\n  {}",
                foreign.join("\n  ")
            )));
        }
    }
    let note = job.check.then(|| selection_changed(&stale)).flatten();
    finish(stale, remove, total, job.check).map_err(|failure| match (failure, note) {
        (Failure::Stale(report), Some(note)) => Failure::Stale(format!("{note}\n{report}")),
        (failure, _) => failure,
    })
}

/// The selection a generated file's header records (`the operations tagged repos`), or
/// `None` for every operation.
fn recorded_selection(text: &str) -> Option<&str> {
    text.lines().take(8).find_map(|line| {
        let words = line.trim_start_matches(['/', '#', '<', '!', '-', ' ']);
        words
            .strip_prefix("for ")
            .filter(|w| w.starts_with("the operations ") || w.starts_with("every operation"))
            .map(|w| w.trim_end_matches([',', '.']))
    })
}

/// When a stale file on disk was generated for another selection than this run's, says so:
/// `--check` compares with what the options given make, and the header's command names the
/// ones that made the files.
fn selection_changed(stale: &[Pending]) -> Option<String> {
    let file = stale
        .iter()
        .find(|p| !p.current.is_empty() && recorded_selection(&p.current) != recorded_selection(&p.wanted))?;
    let describe = |s: Option<&str>| s.map_or_else(|| "every operation".to_owned(), str::to_owned);
    Some(format!(
        "{} was generated for {}, and this run selects {}: give the options its header's command names",
        file.path.display(),
        describe(recorded_selection(&file.current)),
        describe(recorded_selection(&file.wanted)),
    ))
}

/// Generated files from an earlier run that this run no longer produces: `.rs` files under
/// `src/generated/` and `src/runtime/` that carry the `@generated` header.
fn leftovers(out: &Path, files: &[openapi_crate_gen_core::GeneratedFile]) -> Vec<PathBuf> {
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

/// Writes the stale files and removes the leftovers; with `check`, changes nothing and fails
/// with a unified diff when anything is stale.
pub fn finish(stale: Vec<Pending>, remove: Vec<PathBuf>, total: usize, check: bool) -> Result<(), Failure> {
    if check {
        if stale.is_empty() && remove.is_empty() {
            return Ok(());
        }
        let mut report = String::from("generated code is stale; run the generator again\n");
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
        return Err(Failure::Stale(report));
    }
    for p in &stale {
        p.write()?;
    }
    for path in &remove {
        std::fs::remove_file(path).map_err(|e| Failure::Io(format!("{}: cannot remove: {e}", path.display())))?;
    }
    eprintln!(
        "{} file(s) written, {} unchanged, {} removed",
        stale.len(),
        total - stale.len(),
        remove.len()
    );
    Ok(())
}

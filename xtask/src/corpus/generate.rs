//! Generating one corpus document in a process of its own ([`Generator`]), the whole document
//! or one tag of it ([`Part`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// How to generate one document in a process of its own: `program`, then `args`, then the
/// document's path, its name, the crate name, the output directory, the runtime and the part
/// ([`Part`]). The process writes the crate and prints [`Generated`] on stdout, or prints the
/// generator's error on stderr and exits with status 2, or (for one tag of a document with
/// fewer than two) writes nothing and exits with status 3; anything else is a crash.
#[derive(Debug, Clone)]
pub struct Generator {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// What the generating process reports: `operations types lines microseconds`, and on a
/// second line the tag selected, if one was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub operations: usize,
    pub types: usize,
    pub lines: usize,
    pub micros: u64,
    pub tag: Option<String>,
}

/// Which part of a document to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Every operation.
    All,
    /// The operations of one tag, selected at generation (`--tags`): the tag of the document's
    /// first tagged operation, for a document with two tags or more.
    FirstTag,
    /// The operations of this tag, without the tool and the mocks (`--no-tool`, `--no-mocks`).
    Tag(String),
}

impl Part {
    fn arg(&self) -> String {
        match self {
            Part::All => "all".to_owned(),
            Part::FirstTag => "first-tag".to_owned(),
            Part::Tag(tag) => format!("tag:{tag}"),
        }
    }

    fn parse(arg: &str) -> Option<Part> {
        match arg {
            "all" => Some(Part::All),
            "first-tag" => Some(Part::FirstTag),
            _ => arg.strip_prefix("tag:").map(|t| Part::Tag(t.to_owned())),
        }
    }
}

/// The exit status of a generating process whose generator refused the document.
const REFUSED: i32 = 2;

/// The exit status of a generating process asked for one tag of a document with fewer than
/// two: there is nothing to select.
const NO_TAGS: i32 = 3;

/// The body of the generating process (see [`Generator`]): `args` are the document's path, its
/// name, the crate name, the output directory, the runtime (`vendored`, or `path:DIR`) and the
/// part (`all`, `first-tag`, `tag:NAME`; `all` when left out).
pub fn generate_child(args: &[String]) -> std::process::ExitCode {
    let (path, document, name, out, runtime, part) = match args {
        [path, document, name, out, runtime] => (path, document, name, out, runtime, Some(Part::All)),
        [path, document, name, out, runtime, part] => (path, document, name, out, runtime, Part::parse(part)),
        _ => {
            eprintln!("expected: DOCUMENT-PATH DOCUMENT-NAME CRATE-NAME OUT-DIR RUNTIME [PART]");
            return std::process::ExitCode::FAILURE;
        }
    };
    let Some(part) = part else {
        eprintln!("the part is all, first-tag or tag:NAME");
        return std::process::ExitCode::FAILURE;
    };
    let runtime = match openapi_crate_gen_core::RuntimeSource::parse(runtime) {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match generate_one(Path::new(path), document, (name, runtime, &part), Path::new(out)) {
        Ok(g) => {
            println!("{} {} {} {}", g.operations, g.types, g.lines, g.micros);
            if let Some(tag) = g.tag {
                println!("{tag}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(Failure::Refused(e)) => {
            eprintln!("{e}");
            std::process::ExitCode::from(REFUSED as u8)
        }
        Err(Failure::NoTags) => std::process::ExitCode::from(NO_TAGS as u8),
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
    /// One tag was asked for, and the document has fewer than two.
    NoTags,
    /// The crate could not be written.
    Io(String),
}

/// The selection of `part` for the document at `path`, and the tag it selects: for the first
/// tag, the document's model tells which tag that is.
fn selection(
    path: &Path,
    document: &str,
    bytes: &[u8],
    part: &Part,
) -> Result<(openapi_crate_gen_core::Selection, Option<String>), Failure> {
    let tag = match part {
        Part::All => return Ok((openapi_crate_gen_core::Selection::default(), None)),
        Part::Tag(tag) => tag.clone(),
        Part::FirstTag => {
            let model = openapi_crate_gen_core::Document::read_from(
                document,
                bytes,
                &openapi_crate_gen_core::Disk::beside(path),
            )
            .and_then(openapi_crate_gen_core::Document::model)
            .map_err(|e| Failure::Refused(e.to_string()))?;
            let mut tags: Vec<&String> = model.api().operations.iter().flat_map(|op| &op.tags).collect();
            let first = tags.first().map(|t| (*t).clone());
            tags.sort();
            tags.dedup();
            match first {
                Some(first) if tags.len() >= 2 => first,
                _ => return Err(Failure::NoTags),
            }
        }
    };
    let selection = openapi_crate_gen_core::Selection {
        tags: vec![tag.clone()],
        ..openapi_crate_gen_core::Selection::default()
    };
    Ok((selection, Some(tag)))
}

/// Generates the crate called `name` for `part` of one document into `out`, on `runtime`.
fn generate_one(
    path: &Path,
    document: &str,
    (name, runtime, part): (&str, openapi_crate_gen_core::RuntimeSource, &Part),
    out: &Path,
) -> Result<Generated, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::Io(format!("{}: cannot read: {e}", path.display())))?;
    let (selection, tag) = selection(path, document, &bytes, part)?;
    let started = Instant::now();
    let refused = |e: openapi_crate_gen_core::Error| Failure::Refused(e.to_string());
    // A named tag is generated as a large API's user would: without the tool and the mocks.
    let settings = openapi_crate_gen_core::ClientSettings {
        without_tool: matches!(part, Part::Tag(_)),
        without_mocks: matches!(part, Part::Tag(_)),
        ..openapi_crate_gen_core::ClientSettings::default()
    };
    let model =
        openapi_crate_gen_core::Document::read_from(document, &bytes, &openapi_crate_gen_core::Disk::beside(path))
            .map(|d| d.select(selection))
            .and_then(openapi_crate_gen_core::Document::model)
            .and_then(|m| m.with_settings(settings))
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
        tag,
    })
}

/// Runs the generator on `part` of one document in a process of its own; `None` when one tag
/// was asked for and the document has fewer than two.
pub(super) fn generate_out_of_process(
    generator: &Generator,
    path: &Path,
    document: &str,
    (name, runtime, part): (&str, &str, &Part),
    out: &Path,
) -> Result<Option<Generated>, String> {
    let output = Command::new(&generator.program)
        .args(&generator.args)
        .arg(path)
        .arg(document)
        .arg(name)
        .arg(out)
        .arg(runtime)
        .arg(part.arg())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", generator.program.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        let stdout = String::from_utf8_lossy(&output.stdout);
        let mut lines = stdout.lines();
        let numbers: Vec<u64> = lines
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        return match numbers.as_slice() {
            [operations, types, lines_written, micros] => Ok(Some(Generated {
                operations: count(*operations),
                types: count(*types),
                lines: count(*lines_written),
                micros: *micros,
                tag: lines.next().map(str::to_owned),
            })),
            _ => Err(format!("the generating process printed `{}`", stdout.trim())),
        };
    }
    match output.status.code() {
        Some(REFUSED) => Err(stderr.trim().to_owned()),
        Some(NO_TAGS) if *part != Part::All => Ok(None),
        _ => {
            let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("no message");
            Err(format!("the generator crashed ({}): {last}", output.status))
        }
    }
}

//! Maintenance commands: `cargo xtask codegen [--check]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen          regenerate generated-client/src/generated/ from spec/wpengine-v1.10.0.yaml
  codegen --check  change nothing; exit 1 with a diff if the checked-in files are stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
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

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let spec_rel = xtask_paths::SPEC;
    let spec = root.join(spec_rel);
    let bytes = std::fs::read(&spec).map_err(|e| format!("{}: cannot read: {e}", spec.display()))?;
    // Everything is generated in memory first, so a failure never leaves a half-written tree.
    let files = generator::generate(spec_rel, &bytes).map_err(|e| format!("error: {e}"))?;
    let out_dir = root.join(xtask_paths::OUT_DIR);
    let mut stale = Vec::new();
    for f in &files {
        let path = out_dir.join(&f.path);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != f.contents {
            stale.push((path, current, &f.contents));
        }
    }
    if check {
        if stale.is_empty() {
            return Ok(());
        }
        let mut report = String::from("generated code is stale; run `cargo xtask codegen`\n");
        for (path, current, wanted) in &stale {
            let diff = similar::TextDiff::from_lines(current.as_str(), wanted.as_str());
            let name = path.display().to_string();
            report.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&name, &format!("{name} (generated)"))
                    .to_string(),
            );
        }
        return Err(report);
    }
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    for (path, _, wanted) in &stale {
        std::fs::write(path, wanted).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    eprintln!(
        "codegen: {} file(s) written, {} unchanged",
        stale.len(),
        files.len() - stale.len()
    );
    Ok(())
}

mod xtask_paths {
    /// The API description, relative to the workspace root.
    pub const SPEC: &str = "spec/wpengine-v1.10.0.yaml";
    /// Where the generated modules go, relative to the workspace root.
    pub const OUT_DIR: &str = "generated-client/src/generated";
}

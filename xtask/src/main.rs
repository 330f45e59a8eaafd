//! Maintenance commands: `cargo xtask codegen [--check]` and `cargo xtask bench`.

mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] | bench [RUNS]

  codegen          regenerate every checked-in client (see TARGETS in xtask/src/main.rs)
  codegen --check  change nothing; exit 1 with a diff if any checked-in file is stale
  bench [RUNS]     time and measure generation (median of RUNS, default 10); for real figures
                   run it built in release: cargo run --release -p xtask -- bench";

/// Each document the repository generates a client from, and where the generated modules go
/// (paths relative to the workspace root).
const TARGETS: &[(&str, &str)] = &[
    ("spec/wpengine-v1.10.0.yaml", "generated-client/src/generated"),
    ("tests/fixtures/features.yaml", "tests/features-client/src/generated"),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench"] => bench::run(&workspace_root(), 10),
        ["bench", runs] => match runs.parse() {
            Ok(runs) => bench::run(&workspace_root(), runs),
            Err(_) => Err(USAGE.to_owned()),
        },
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

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    // Everything is generated in memory first, so a failure never leaves a half-written tree.
    let mut stale = Vec::new();
    let mut total = 0;
    for (spec_rel, out_rel) in TARGETS {
        let spec = root.join(spec_rel);
        let bytes = std::fs::read(&spec).map_err(|e| format!("{}: cannot read: {e}", spec.display()))?;
        let files = generator::generate(spec_rel, &bytes).map_err(|e| format!("error: {e}"))?;
        let out_dir = root.join(out_rel);
        total += files.len();
        for f in files {
            let path = out_dir.join(&f.path);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != f.contents {
                stale.push((path, current, f.contents));
            }
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
    for (path, _, wanted) in &stale {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(path, wanted).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    eprintln!(
        "codegen: {} file(s) written, {} unchanged",
        stale.len(),
        total - stale.len()
    );
    Ok(())
}

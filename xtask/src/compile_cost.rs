//! `cargo xtask bench compile`: what the generated code costs its users to compile.
//!
//! For the WP Engine client (`wpengine-api`), with its dependencies already built:
//! - a rebuild after `src/lib.rs` is touched (what a maintainer waits for; incremental
//!   compilation reuses the type checking of unchanged code),
//! - a build of the crate from scratch (`cargo clean -p wpengine-api` first: what a downstream
//!   crate pays once, when the client is first compiled as one of its dependencies),
//!
//! each for `cargo build`, `cargo check` and `cargo build --release`. Then, unless told not
//! to, `cargo check` of the crate generated from `../shared/specs/real/github.json`, from scratch
//! and after a touch: with one tag's feature (`repos`, its largest), then with all of them.
//! Each figure is the median of several runs (one for GitHub, which takes minutes and several
//! GiB of memory with all features).

use crate::bench::median_of;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};
use xtask::codegen::SpecJob;

/// The document of the large crate whose `cargo check` is measured.
const LARGE_DOCUMENT: &str = "../shared/specs/real/github.json";

/// Runs cargo with `args` in `dir`; fails with its output if it fails.
fn run_cargo(dir: &Path, args: &[&str], target_dir: Option<&Path>) -> Result<Duration, String> {
    let mut command = Command::new(xtask::cargo());
    command
        .current_dir(dir)
        .args(args)
        .arg("--quiet")
        .env_remove("RUSTFLAGS");
    if let Some(target) = target_dir {
        command.env("CARGO_TARGET_DIR", target);
    }
    let start = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    let elapsed = start.elapsed();
    if output.status.success() {
        Ok(elapsed)
    } else {
        Err(format!(
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Sets the file's modification time to now, as `touch` does, so cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("{}: cannot touch: {e}", path.display()))
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// A crate and the cargo command measured on it.
struct Job<'a> {
    /// The workspace directory cargo runs in.
    dir: &'a Path,
    package: &'a str,
    /// The file touched to make cargo rebuild the crate.
    lib_rs: &'a Path,
    command: &'a str,
    release: bool,
    /// Feature flags for cargo (`--no-default-features --features repos`), if any.
    features: &'a [&'a str],
    target_dir: Option<&'a Path>,
}

impl Job<'_> {
    /// The command after a touch (median of `runs`) and from scratch (median of
    /// `scratch_runs`).
    fn measure(&self, runs: usize, scratch_runs: usize) -> Result<(Duration, Duration), String> {
        let mut args = vec![self.command, "-p", self.package];
        let mut clean = vec!["clean", "-p", self.package];
        if self.release {
            args.push("--release");
            clean.push("--release");
        }
        args.extend_from_slice(self.features);
        // Dependencies first, so that neither figure includes them.
        run_cargo(self.dir, &args, self.target_dir)?;
        let mut touched = Vec::new();
        for _ in 0..runs.max(1) {
            touch(self.lib_rs)?;
            touched.push(run_cargo(self.dir, &args, self.target_dir)?);
        }
        let mut scratch = Vec::new();
        for _ in 0..scratch_runs.max(1) {
            run_cargo(self.dir, &clean, self.target_dir)?;
            scratch.push(run_cargo(self.dir, &args, self.target_dir)?);
        }
        Ok((median_of(touched), median_of(scratch)))
    }
}

/// Writes the crate generated from the large document under `target/bench/` as the one member
/// of a workspace that shares the repository's `Cargo.lock`; returns the workspace directory.
fn large_crate(root: &Path) -> Result<Option<PathBuf>, String> {
    let document = root.join(LARGE_DOCUMENT);
    if !document.exists() {
        return Ok(None);
    }
    let workspace = root.join("target/bench/compile");
    xtask::codegen::spec(&SpecJob {
        spec: document,
        out: Some(workspace.join("github-api")),
        emit_openapi: None,
        check: false,
        deny_warnings: false,
        force: false,
        program: String::new(),
        package: openapi_crate_gen_core::CrateOptions {
            name: Some("github-api".to_owned()),
            workspace_member: true,
            ..openapi_crate_gen_core::CrateOptions::default()
        },
    })?;
    std::fs::write(
        workspace.join("Cargo.toml"),
        "# Written by `cargo xtask bench compile`.\n[workspace]\nresolver = \"2\"\nmembers = [\"github-api\"]\n",
    )
    .map_err(|e| format!("{}: {e}", workspace.display()))?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(Some(workspace))
}

/// Measures and prints the compile-cost table.
pub fn run(root: &Path, runs: usize, large: bool) -> Result<(), String> {
    let lib_rs = root.join("generated-client/src/lib.rs");
    let scratch_runs = runs.clamp(1, 3);
    println!(
        "| `wpengine-api` | after touching src/lib.rs (median of {runs}) | from scratch (median of {scratch_runs}) |"
    );
    println!("| --- | ---: | ---: |");
    for (label, command, release) in [
        ("`cargo build` (debug)", "build", false),
        ("`cargo check`", "check", false),
        ("`cargo build --release`", "build", true),
    ] {
        let job = Job {
            dir: root,
            package: "wpengine-api",
            lib_rs: &lib_rs,
            command,
            release,
            features: &[],
            target_dir: None,
        };
        let (touched, scratch) = job.measure(runs, scratch_runs)?;
        println!("| {label} | {} | {} |", secs(touched), secs(scratch));
    }
    if !large {
        return Ok(());
    }
    let Some(workspace) = large_crate(root)? else {
        println!("\n{LARGE_DOCUMENT} not found: the large crate is skipped.");
        return Ok(());
    };
    let target = workspace.join("target");
    let lib_rs = workspace.join("github-api/src/lib.rs");
    println!();
    println!("| crate generated from github.json, `cargo check` | after touching src/lib.rs | from scratch |");
    println!("| --- | ---: | ---: |");
    // One tag first (its largest, `repos`), then every feature: the default.
    for (label, features) in [
        (
            "`--no-default-features --features repos`",
            &["--no-default-features", "--features", "repos"][..],
        ),
        ("all features (the default)", &[][..]),
    ] {
        let job = Job {
            dir: &workspace,
            package: "github-api",
            lib_rs: &lib_rs,
            command: "check",
            release: false,
            features,
            target_dir: Some(&target),
        };
        let (touched, scratch) = job.measure(1, 1)?;
        println!("| {label} | {} | {} |", secs(touched), secs(scratch));
    }
    Ok(())
}

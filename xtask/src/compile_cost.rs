//! `cargo xtask bench compile`: what the generated code costs its users to compile.
//!
//! For the WP Engine client (`wpengine-api`) and, beside it when `cargo progenitor` is
//! installed, progenitor's crate for the same description (see `progenitor_peer`), with their
//! dependencies already built, runs interleaved between the two:
//! - a rebuild after `src/lib.rs` is touched (what a maintainer waits for; incremental
//!   compilation reuses the type checking of unchanged code),
//! - a build of the crate from scratch (`cargo clean -p` first: what a downstream crate pays
//!   once, when the client is first compiled as one of its dependencies),
//!
//! each for `cargo build`, `cargo check` and `cargo build --release`. Then, unless told not
//! to, `cargo check` of the crate generated from `../shared/specs/real/github.json`, from scratch
//! and after a touch, with rustc's peak memory: with one tag's feature (`repos`, its largest),
//! then with all of them; and of a crate of that tag alone, selected at generation. Each
//! figure is the median of several runs (one for GitHub, which takes a minute and GiBs of
//! memory with all features).

use crate::bench::median_of;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};
use xtask::codegen::SpecJob;

/// The document of the large crate whose `cargo check` is measured.
const LARGE_DOCUMENT: &str = "../shared/specs/real/github.json";
/// Its largest tag, measured alone: by feature, and selected at generation.
const LARGE_TAG: &str = "repos";
/// The crate of the whole document.
const WHOLE: &str = "github-api";
/// The crate of [`LARGE_TAG`] alone, without the tool or the mocks.
const SELECTED: &str = "github-repos";
/// The same on the runtime crate (`--runtime path:`), which is then a dependency built once,
/// as it is for a user with several clients, instead of a copy compiled with the crate.
const ON_RUNTIME: &str = "github-repos-on-runtime";

/// One cargo run: its wall time, and the peak resident memory of any rustc process seen
/// while it ran (Linux; `None` elsewhere).
pub(crate) struct Run {
    pub(crate) time: Duration,
    peak_kib: Option<u64>,
}

/// Runs cargo with `args` in `dir`; fails with its output if it fails.
pub(crate) fn run_cargo(dir: &Path, args: &[&str], target_dir: Option<&Path>) -> Result<Run, String> {
    let mut command = Command::new(xtask::cargo());
    command
        .current_dir(dir)
        .args(args)
        .arg("--quiet")
        .env_remove("RUSTFLAGS");
    if let Some(target) = target_dir {
        command.env("CARGO_TARGET_DIR", target);
    }
    let stop = AtomicBool::new(false);
    let (output, elapsed, peak_kib) = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| peak_rustc_kib(&stop));
        let start = Instant::now();
        let output = command.output();
        let elapsed = start.elapsed();
        stop.store(true, Ordering::Relaxed);
        (output, elapsed, watcher.join().ok().flatten())
    });
    let output = output.map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    if output.status.success() {
        Ok(Run {
            time: elapsed,
            peak_kib,
        })
    } else {
        Err(format!(
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The highest `VmHWM` (peak resident set) of any process named `rustc`, sampled from `/proc`
/// every 50 ms until `stop` is set. A rustc that ends between two samples loses at most its
/// last 50 ms of growth. Other builds running at the same time would be counted too: run the
/// benchmark alone.
fn peak_rustc_kib(stop: &AtomicBool) -> Option<u64> {
    let mut peak = None;
    while !stop.load(Ordering::Relaxed) {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return None;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
                continue;
            };
            if status.lines().next() != Some("Name:\trustc") {
                continue;
            }
            peak = peak.max(crate::bench::high_water_kib(&status));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    peak
}

/// Sets the file's modification time to now, as `touch` does, so cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("{}: cannot touch: {e}", path.display()))
}

pub(crate) fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn gib(kib: Option<u64>) -> String {
    #[allow(clippy::cast_precision_loss)] // a memory figure to two decimals
    kib.map_or_else(
        || "n/a".to_owned(),
        |k| format!("{:.2} GiB", k as f64 / 1024.0 / 1024.0),
    )
}

/// `ours / theirs`, to two decimals.
fn ratio(ours: Duration, theirs: Duration) -> String {
    format!("{:.2}x", ours.as_secs_f64() / theirs.as_secs_f64().max(f64::EPSILON))
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

/// What one job measured: medians after a touch and from scratch, and rustc's peak memory
/// over all its runs.
struct Figures {
    touched: Duration,
    scratch: Duration,
    peak_kib: Option<u64>,
}

impl Job<'_> {
    fn args(&self) -> Vec<&str> {
        let mut args = vec![self.command, "-p", self.package];
        if self.release {
            args.push("--release");
        }
        args.extend_from_slice(self.features);
        args
    }

    fn clean(&self) -> Result<Run, String> {
        let mut clean = vec!["clean", "-p", self.package];
        if self.release {
            clean.push("--release");
        }
        run_cargo(self.dir, &clean, self.target_dir)
    }

    fn run(&self) -> Result<Run, String> {
        run_cargo(self.dir, &self.args(), self.target_dir)
    }
}

/// Measures the jobs interleaved, so that drift in the machine's speed falls on all of them
/// alike: their dependencies first (not measured), then `runs` rounds of touching and
/// rebuilding each in turn, then `scratch_runs` rounds of cleaning and building each in turn.
fn measure(jobs: &[Job], runs: usize, scratch_runs: usize) -> Result<Vec<Figures>, String> {
    for job in jobs {
        job.run()?;
    }
    let mut touched = vec![Vec::new(); jobs.len()];
    let mut scratch = vec![Vec::new(); jobs.len()];
    let mut peaks: Vec<Option<u64>> = vec![None; jobs.len()];
    for _ in 0..runs.max(1) {
        for (i, job) in jobs.iter().enumerate() {
            touch(job.lib_rs)?;
            let run = job.run()?;
            touched[i].push(run.time);
            peaks[i] = peaks[i].max(run.peak_kib);
        }
    }
    for _ in 0..scratch_runs.max(1) {
        for (i, job) in jobs.iter().enumerate() {
            job.clean()?;
            let run = job.run()?;
            scratch[i].push(run.time);
            peaks[i] = peaks[i].max(run.peak_kib);
        }
    }
    Ok(touched
        .into_iter()
        .zip(scratch)
        .zip(peaks)
        .map(|((touched, scratch), peak_kib)| Figures {
            touched: median_of(touched),
            scratch: median_of(scratch),
            peak_kib,
        })
        .collect())
}

/// The crates generated from the large document under `target/bench/compile`, members of one
/// workspace that shares the repository's `Cargo.lock`: the whole API ([`WHOLE`]), one tag
/// selected at generation ([`SELECTED`]), and the same on the runtime crate ([`ON_RUNTIME`]).
/// Returns the workspace directory and how long generating the selected crate took.
fn large_crates(root: &Path) -> Result<Option<(PathBuf, Duration)>, String> {
    let document = root.join(LARGE_DOCUMENT);
    if !document.exists() {
        return Ok(None);
    }
    let workspace = root.join("target/bench/compile");
    use openapi_crate_gen_core::RuntimeSource;
    let job = |name: &str, selection: openapi_crate_gen_core::Selection, lean: bool, runtime: RuntimeSource| SpecJob {
        spec: document.clone(),
        out: Some(workspace.join(name)),
        package: openapi_crate_gen_core::CrateOptions {
            name: Some(name.to_owned()),
            workspace_member: true,
            runtime,
            ..openapi_crate_gen_core::CrateOptions::default()
        },
        client: openapi_crate_gen_core::ClientSettings {
            without_tool: lean,
            without_mocks: lean,
            ..openapi_crate_gen_core::ClientSettings::default()
        },
        selection,
        ..SpecJob::default()
    };
    xtask::codegen::spec(&job(
        WHOLE,
        openapi_crate_gen_core::Selection::default(),
        false,
        RuntimeSource::Vendored,
    ))?;
    let selection = openapi_crate_gen_core::Selection {
        tags: vec![LARGE_TAG.to_owned()],
        ..openapi_crate_gen_core::Selection::default()
    };
    let start = Instant::now();
    xtask::codegen::spec(&job(SELECTED, selection.clone(), true, RuntimeSource::Vendored))?;
    let generation = start.elapsed();
    let runtime_crate = RuntimeSource::Path(root.join("runtime").display().to_string());
    xtask::codegen::spec(&job(ON_RUNTIME, selection, true, runtime_crate))?;
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "# Written by `cargo xtask bench compile`.\n[workspace]\nresolver = \"2\"\nmembers = [\"{WHOLE}\", \"{SELECTED}\", \"{ON_RUNTIME}\"]\n"
        ),
    )
    .map_err(|e| format!("{}: {e}", workspace.display()))?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(Some((workspace, generation)))
}

/// Measures and prints the compile-cost tables.
pub fn run(root: &Path, runs: usize, large: bool) -> Result<(), String> {
    let scratch_runs = runs.clamp(1, 3);
    wpengine(root, runs, scratch_runs)?;
    if large {
        github(root)?;
    }
    Ok(())
}

/// `wpengine-api` beside progenitor's crate for the same description, interleaved.
fn wpengine(root: &Path, runs: usize, scratch_runs: usize) -> Result<(), String> {
    let lib_rs = root.join("generated-client/src/lib.rs");
    let peer = crate::progenitor_peer::generate(root)?;
    let peer_target = root.join("target/bench/progenitor/target");
    let peer_lib_rs = peer.as_ref().map(|dir| dir.join("src/lib.rs")).ok();
    match &peer {
        Ok(dir) => println!("progenitor's crate for the same description: {}\n", dir.display()),
        Err(why) => println!("{why}\n"),
    }
    println!(
        "| crate, command | after touching src/lib.rs (median of {runs}) | vs progenitor | from scratch (median of {scratch_runs}) | vs progenitor |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (label, command, release) in [
        ("`cargo build` (debug)", "build", false),
        ("`cargo check`", "check", false),
        ("`cargo build --release`", "build", true),
    ] {
        let mut jobs = vec![Job {
            dir: root,
            package: "wpengine-api",
            lib_rs: &lib_rs,
            command,
            release,
            features: &[],
            target_dir: None,
        }];
        if let (Ok(dir), Some(peer_lib_rs)) = (&peer, &peer_lib_rs) {
            jobs.push(Job {
                dir,
                package: crate::progenitor_peer::PACKAGE,
                lib_rs: peer_lib_rs,
                command,
                release,
                features: &[],
                target_dir: Some(&peer_target),
            });
        }
        let figures = measure(&jobs, runs, scratch_runs)?;
        let ours = &figures[0];
        match figures.get(1) {
            Some(theirs) => {
                println!(
                    "| wpengine-api, {label} | {} | {} | {} | {} |",
                    secs(ours.touched),
                    ratio(ours.touched, theirs.touched),
                    secs(ours.scratch),
                    ratio(ours.scratch, theirs.scratch)
                );
                println!(
                    "| progenitor (positional), {label} | {} | | {} | |",
                    secs(theirs.touched),
                    secs(theirs.scratch)
                );
            }
            None => println!(
                "| wpengine-api, {label} | {} | | {} | |",
                secs(ours.touched),
                secs(ours.scratch)
            ),
        }
    }
    Ok(())
}

/// `cargo check` of the crates generated from GitHub's document: one tag by feature, all of
/// them, and one tag selected at generation.
pub fn github(root: &Path) -> Result<(), String> {
    let Some((workspace, generation)) = large_crates(root)? else {
        println!("\n{LARGE_DOCUMENT} not found: the large crate is skipped.");
        return Ok(());
    };
    let target = workspace.join("target");
    let lib_rs = workspace.join(format!("{WHOLE}/src/lib.rs"));
    let selected_lib_rs = workspace.join(format!("{SELECTED}/src/lib.rs"));
    let on_runtime_lib_rs = workspace.join(format!("{ON_RUNTIME}/src/lib.rs"));
    println!();
    println!("| crate generated from github.json, `cargo check` | after touching src/lib.rs | from scratch | rustc's peak memory |");
    println!("| --- | ---: | ---: | ---: |");
    let one_tag = ["--no-default-features", "--features", LARGE_TAG];
    let rows = [
        (
            format!("`--no-default-features --features {LARGE_TAG}`"),
            WHOLE,
            &lib_rs,
            &one_tag[..],
        ),
        ("all features (the default)".to_owned(), WHOLE, &lib_rs, &[][..]),
        (
            format!(
                "`--tags {LARGE_TAG} --no-tool --no-mocks` at generation ({})",
                secs(generation)
            ),
            SELECTED,
            &selected_lib_rs,
            &[][..],
        ),
        (
            "the same on the runtime crate (`--runtime path:`), built as a dependency".to_owned(),
            ON_RUNTIME,
            &on_runtime_lib_rs,
            &[][..],
        ),
    ];
    for (label, package, lib_rs, features) in rows {
        let job = Job {
            dir: &workspace,
            package,
            lib_rs,
            command: "check",
            release: false,
            features,
            target_dir: Some(&target),
        };
        let figures = measure(std::slice::from_ref(&job), 1, 1)?;
        let f = &figures[0];
        println!(
            "| {label} | {} | {} | {} |",
            secs(f.touched),
            secs(f.scratch),
            gib(f.peak_kib)
        );
    }
    Ok(())
}

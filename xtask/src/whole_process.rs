//! `cargo xtask bench processes [RUNS] [DOCUMENT...]`: generation as users run it, one whole
//! process of the installed command writing a crate, measured from outside: CPU time (user and
//! system, every thread, from the kernel's accounts of this process's children), wall time, and
//! the child's peak resident set size.
//!
//! The WP Engine description is generated in rounds that alternate this generator and
//! progenitor (`cargo-progenitor`, given the document `progenitor_peer` prepares), so both see
//! the same machine. Then GitHub's description whole and with one tag selected, and any
//! documents named on the command line (Microsoft Graph, which the project does not ship).
//!
//! Each run writes into an empty directory, as a first generation does. The kernel keeps the
//! children's CPU time in clock ticks (1/100 s): a single run is read to a tick, but the
//! rounds' total is exact to one tick, so the figures are means over the rounds.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// GitHub's description, when `../shared` is beside the repository.
const GITHUB: &str = "../shared/specs/real/github.json";
/// The tag of GitHub's description measured alone: its largest.
const GITHUB_TAG: &str = "repos";

/// One command measured over the rounds.
struct Measured {
    label: String,
    cpu_ticks: u64,
    walls: Vec<Duration>,
    peak_kib: Option<u64>,
}

impl Measured {
    fn new(label: String) -> Self {
        Measured {
            label,
            cpu_ticks: 0,
            walls: Vec::new(),
            peak_kib: None,
        }
    }

    /// Mean CPU time of a run, in milliseconds.
    fn cpu_ms(&self) -> f64 {
        self.cpu_ticks as f64 * 10.0 / self.walls.len().max(1) as f64
    }
}

/// A command and the directory it writes, emptied before each run.
struct Job {
    program: OsString,
    args: Vec<OsString>,
    out: PathBuf,
}

/// Measures and prints the table.
pub fn run(root: &Path, runs: usize, extra: &[&str]) -> Result<(), String> {
    let ours = build_command(root)?;
    let scratch = root.join("target/bench/processes");
    let ours_job = |document: &Path, name: &str, selection: &[&str]| {
        let out = scratch.join(name);
        let mut args: Vec<OsString> = vec![document.into(), "--out".into(), out.clone().into()];
        args.extend(selection.iter().map(OsString::from));
        Job {
            program: ours.clone().into(),
            args,
            out,
        }
    };
    let wpengine = root.join(crate::progenitor_peer::DOCUMENT);
    let mut jobs = vec![(
        "openapi-crate-gen, WP Engine".to_owned(),
        ours_job(&wpengine, "wpengine", &[]),
    )];
    match progenitor() {
        Some(program) => {
            let input = crate::progenitor_peer::input(root)?;
            let out = scratch.join("progenitor");
            jobs.push((
                "progenitor (positional), WP Engine".to_owned(),
                Job {
                    program,
                    args: [OsString::from("progenitor")]
                        .into_iter()
                        .chain(crate::progenitor_peer::arguments(&input, &out))
                        .collect(),
                    out,
                },
            ));
        }
        None => {
            println!("`cargo-progenitor` is not installed (`cargo install cargo-progenitor`): the peer is skipped.\n")
        }
    }
    let mut results = measure(&jobs, runs)?;
    let mut large = Vec::new();
    let github = root.join(GITHUB);
    if github.exists() {
        large.push(("openapi-crate-gen, GitHub".to_owned(), ours_job(&github, "github", &[])));
        let selection = ["--tags", GITHUB_TAG, "--no-tool", "--no-mocks"];
        let label = format!("openapi-crate-gen, GitHub, `{}`", selection.join(" "));
        large.push((label, ours_job(&github, "github-tag", &selection)));
    } else {
        println!("{GITHUB} not found: GitHub is skipped.\n");
    }
    for (i, document) in extra.iter().enumerate() {
        let path = PathBuf::from(document);
        let name = path
            .file_name()
            .map_or_else(|| document.to_string(), |n| n.to_string_lossy().into_owned());
        large.push((
            format!("openapi-crate-gen, {name}"),
            ours_job(&path, &format!("extra-{i}"), &[]),
        ));
    }
    // The large documents one at a time: a few runs say enough, and they take seconds each.
    for job in large {
        results.extend(measure(std::slice::from_ref(&job), runs.clamp(1, 3))?);
    }
    print_table(&results, runs);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// Builds the command in release and returns its path.
fn build_command(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(xtask::cargo())
        .current_dir(root)
        .args(["build", "--quiet", "--release", "-p", "openapi-crate-gen"])
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p openapi-crate-gen failed".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release/openapi-crate-gen"))
}

/// `cargo-progenitor` itself, called without cargo in front so that cargo's own start-up is
/// not counted against it; none when it is not installed.
fn progenitor() -> Option<OsString> {
    let program = OsString::from("cargo-progenitor");
    let works = Command::new(&program)
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    works.then_some(program)
}

/// Runs the jobs `runs` times each, in rounds whose order alternates.
fn measure(jobs: &[(String, Job)], runs: usize) -> Result<Vec<Measured>, String> {
    let mut measured: Vec<Measured> = jobs.iter().map(|(label, _)| Measured::new(label.clone())).collect();
    for round in 0..runs.max(1) {
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let (label, job) = &jobs[i];
            let _ = std::fs::remove_dir_all(&job.out);
            let before = children_cpu_ticks()?;
            let (wall, peak_kib) = run_once(job).map_err(|e| format!("{label}: {e}"))?;
            let m = &mut measured[i];
            m.cpu_ticks += children_cpu_ticks()?.saturating_sub(before);
            m.walls.push(wall);
            m.peak_kib = m.peak_kib.max(peak_kib);
        }
    }
    Ok(measured)
}

/// One run: its wall time and the peak resident set size seen while it ran.
fn run_once(job: &Job) -> Result<(Duration, Option<u64>), String> {
    let start = Instant::now();
    let child = Command::new(&job.program)
        .args(&job.args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", job.program.to_string_lossy()))?;
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let done = AtomicBool::new(false);
    let (output, peak_kib) = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let mut peak = None;
            while !done.load(Ordering::Relaxed) {
                let status = std::fs::read_to_string(&status_file).ok();
                peak = peak.max(status.as_deref().and_then(crate::bench::high_water_kib));
                std::thread::sleep(Duration::from_millis(5));
            }
            peak
        });
        let output = child.wait_with_output();
        done.store(true, Ordering::Relaxed);
        (output, watcher.join().ok().flatten())
    });
    let wall = start.elapsed();
    let output = output.map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok((wall, peak_kib))
}

/// The CPU time of this process's waited-for children, user and system, in clock ticks
/// (`cutime` and `cstime` of `/proc/self/stat`).
fn children_cpu_ticks() -> Result<u64, String> {
    let stat = std::fs::read_to_string("/proc/self/stat").map_err(|e| format!("/proc/self/stat: {e}"))?;
    // The fields after the command name, which is in parentheses and may hold spaces: the
    // first of them is field 3 (the state), so cutime (16) and cstime (17) are 13 and 14.
    let rest = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| -> Result<u64, String> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| "/proc/self/stat: no children's CPU time".to_owned())
    };
    Ok(field(13)? + field(14)?)
}

fn print_table(results: &[Measured], runs: usize) {
    println!("| whole process, writing the crate | runs | CPU, user + system (mean) | wall (median) | peak RSS |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for m in results {
        println!(
            "| {} | {} | {:.0} ms | {:.0} ms | {} |",
            m.label,
            m.walls.len(),
            m.cpu_ms(),
            crate::bench::median_of(m.walls.clone()).as_secs_f64() * 1000.0,
            m.peak_kib
                .map_or("-".to_owned(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
        );
    }
    if let (Some(ours), Some(theirs)) = (results.first(), results.get(1)) {
        if theirs.label.starts_with("progenitor") && theirs.cpu_ticks > 0 {
            println!(
                "\nWP Engine, CPU: {:.2}x progenitor's (mean of {runs} interleaved rounds)",
                ours.cpu_ms() / theirs.cpu_ms()
            );
        }
    }
}

//! `cargo xtask bench`: how fast the generator is, and how much memory it takes, on the WP
//! Engine document and on large real-world documents.
//!
//! Each document is measured in a child process of its own (`xtask bench-one PATH N`), so the
//! peak resident set size it reports (`VmHWM`) is that document's alone. The child times the
//! whole pipeline in-process `N` times (load, upgrade, model, emit, render) and the model stages
//! alone, and prints one tab-separated line; the parent prints a Markdown table of them. Then
//! it times `xtask codegen --check` as a whole process, the way maintainers run it.
//!
//! Build it in release for figures worth writing down: `cargo xtask bench` runs the xtask in
//! the dev profile, so use `cargo run --release -p xtask -- bench`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The documents measured, relative to the workspace root; those under `../shared` are skipped
/// with a note when absent.
const DOCUMENTS: &[&str] = &[
    "spec/wpengine-v1.10.0.yaml",
    "../shared/specs/real/openai.json",
    "../shared/specs/real/digitalocean.json",
    "../shared/specs/real/stripe.json",
    "../shared/specs/real/kubernetes.json",
    "../shared/specs/real/github.json",
];

/// One document's figures, as the child reports them.
struct Figures {
    bytes: usize,
    operations: usize,
    types: usize,
    lines: usize,
    total: Duration,
    model: Duration,
    peak_rss_kib: Option<u64>,
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    Ok(median_of(times))
}

/// The median of some timings (zero for none).
pub(crate) fn median_of(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Peak resident set size of this process, from `/proc/self/status` (Linux only).
fn peak_rss_kib() -> Option<u64> {
    high_water_kib(&std::fs::read_to_string("/proc/self/status").ok()?)
}

/// The peak resident set size (`VmHWM`, KiB) a process's `/proc/PID/status` text gives.
pub(crate) fn high_water_kib(status: &str) -> Option<u64> {
    let value = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    value.split_whitespace().next()?.parse().ok()
}

/// The child: measure one document and print its figures on one line.
pub fn one(path: &str, runs: usize) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned());
    let api = openapi_crate_gen_core::build_model(&name, &bytes).map_err(|e| e.to_string())?;
    let files = openapi_crate_gen_core::generate(&name, &bytes).map_err(|e| e.to_string())?;
    let lines = files.iter().map(|f| f.contents.lines().count()).sum::<usize>();
    let model = median(runs, || {
        openapi_crate_gen_core::build_model(&name, &bytes)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let total = median(runs, || {
        openapi_crate_gen_core::generate(&name, &bytes)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    println!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
        bytes.len(),
        api.operations.len(),
        api.types().len(),
        lines,
        total.as_nanos(),
        model.as_nanos(),
        peak_rss_kib().map_or("-".to_owned(), |k| k.to_string()),
    );
    Ok(())
}

fn parse(line: &str) -> Option<Figures> {
    let f: Vec<&str> = line.trim().split('\t').collect();
    let n = |i: usize| f.get(i)?.parse::<u128>().ok();
    Some(Figures {
        bytes: n(0)? as usize,
        operations: n(1)? as usize,
        types: n(2)? as usize,
        lines: n(3)? as usize,
        total: Duration::from_nanos(n(4)? as u64),
        model: Duration::from_nanos(n(5)? as u64),
        peak_rss_kib: f.get(6).and_then(|v| v.parse().ok()),
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// The parent: every document in a child, then the whole `codegen --check` process.
pub fn run(root: &Path, runs: usize) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    println!(
        "| document | size (KB) | operations | types | output lines | in-process total (ms) | of which load+upgrade+model (ms) | ms per MB | peak RSS (MiB) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for doc in DOCUMENTS {
        let path: PathBuf = root.join(doc);
        if !path.exists() {
            println!("| {doc} | not found, skipped | | | | | | | |");
            continue;
        }
        let output = Command::new(&exe)
            .arg("bench-one")
            .arg(&path)
            .arg(runs.to_string())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let name = Path::new(doc)
            .file_name()
            .map_or(doc.to_string(), |n| n.to_string_lossy().into());
        match (output.status.success(), parse(&stdout)) {
            (true, Some(f)) => {
                let mb = f.bytes as f64 / 1_000_000.0;
                println!(
                    "| {name} | {} | {} | {} | {} | {} | {} | {:.0} | {} |",
                    f.bytes / 1000,
                    f.operations,
                    f.types,
                    f.lines,
                    ms(f.total),
                    ms(f.model),
                    f.total.as_secs_f64() * 1000.0 / mb,
                    f.peak_rss_kib
                        .map_or("-".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
                );
            }
            _ => {
                let err = String::from_utf8_lossy(&output.stderr);
                let first = err.lines().next().unwrap_or("failed").replace('|', "\\|");
                println!("| {name} | generation failed: {first} | | | | | | | |");
            }
        }
    }
    let whole = median(runs, || {
        let status = Command::new(&exe)
            .args(["codegen", "--check"])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if status.status.success() {
            Ok(())
        } else {
            Err("`codegen --check` failed; regenerate first".to_owned())
        }
    })?;
    println!();
    println!(
        "`xtask codegen --check` as a whole process (both checked-in documents, median of {runs}): {} ms",
        ms(whole)
    );
    Ok(())
}

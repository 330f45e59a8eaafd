//! `cargo xtask bench two-clients`: an application that uses two generated clients, built with
//! each client carrying its own copy of the runtime (`--runtime vendored`, as every generated
//! crate did before the runtime crate) and with both on the runtime crate. Prints how many times
//! the runtime is compiled (from cargo's JSON messages) and the application's build time from
//! scratch with the registry's dependencies built, the two layouts interleaved.

use crate::bench::median_of;
use crate::compile_cost::{run_cargo, secs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The two clients: the seed documents' (API-key RPC, and bearer with idempotency keys).
const CLIENTS: [(&str, &str); 2] = [
    ("client-a", "tests/fixtures/seeds/rpc-api-keys.yaml"),
    ("client-b", "tests/fixtures/seeds/bearer-idempotency.yaml"),
];

const APP_MAIN: &str = "//! Written by `cargo xtask bench two-clients`.\n\n\
    fn main() -> Result<(), Box<dyn std::error::Error>> {\n    \
    let a = client_a::Client::builder().api_key(\"k\").build()?;\n    \
    let b = client_b::Client::builder().bearer_token(\"t\").build()?;\n    \
    println!(\"{} {}\", a.base_url(), b.base_url());\n    Ok(())\n}\n";

/// Writes the workspace of one layout (the two clients and the application) under `dir`.
fn workspace(root: &Path, dir: &Path, runtime: &openapi_crate_gen_core::RuntimeSource) -> Result<(), String> {
    for (name, spec) in CLIENTS {
        let bytes = std::fs::read(root.join(spec)).map_err(|e| format!("{spec}: {e}"))?;
        let options = openapi_crate_gen_core::CrateOptions {
            name: Some(name.to_owned()),
            workspace_member: true,
            runtime: runtime.clone(),
            ..openapi_crate_gen_core::CrateOptions::default()
        };
        let files = openapi_crate_gen_core::Document::read(spec, &bytes)
            .and_then(openapi_crate_gen_core::Document::model)
            .and_then(|m| m.crate_files(&options))
            .map_err(|e| e.to_string())?;
        let crate_dir = dir.join(name);
        if crate_dir.exists() {
            std::fs::remove_dir_all(&crate_dir).map_err(|e| format!("{}: {e}", crate_dir.display()))?;
        }
        for f in files {
            write(&crate_dir.join(&f.path), &f.contents)?;
        }
    }
    write(
        &dir.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclient-a = { path = \"../client-a\" }\nclient-b = { path = \"../client-b\" }\n",
    )?;
    write(&dir.join("app/src/main.rs"), APP_MAIN)?;
    write(
        &dir.join("Cargo.toml"),
        "# Written by `cargo xtask bench two-clients`.\n[workspace]\nresolver = \"2\"\n\
         members = [\"client-a\", \"client-b\", \"app\"]\n",
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The crates of the layout cargo compiles again from scratch: the clients, the application,
/// and the runtime crate when there is one.
fn own_crates(on_crate: bool) -> Vec<&'static str> {
    let mut crates = vec!["client-a", "client-b", "app"];
    if on_crate {
        crates.push("openapi-crate-gen-runtime");
    }
    crates
}

/// How many crates cargo compiled whose sources hold the runtime: the runtime crate, or each
/// client that carries a copy. Run after a clean, so every one of them is compiled.
fn runtime_builds(dir: &Path, on_crate: bool) -> Result<usize, String> {
    let output = Command::new(xtask::cargo())
        .current_dir(dir)
        .args(["build", "-p", "app", "--message-format", "json"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let compiled = |package: &str| {
        stdout
            .lines()
            .filter(|l| l.contains("\"reason\":\"compiler-artifact\"") && l.contains("\"fresh\":false"))
            .filter(|l| l.contains(&format!("\"name\":\"{package}\"")))
            .count()
    };
    Ok(if on_crate {
        compiled("openapi_crate_gen_runtime")
    } else {
        CLIENTS
            .iter()
            .filter(|(name, _)| dir.join(name).join("src/runtime/mod.rs").exists())
            .filter(|(name, _)| compiled(&name.replace('-', "_")) > 0)
            .count()
    })
}

/// Cleans the layout's own crates and builds the application; the build's time.
fn scratch_build(dir: &Path, on_crate: bool) -> Result<Duration, String> {
    let target = dir.join("target");
    let mut clean = vec!["clean"];
    for package in own_crates(on_crate) {
        clean.extend(["-p", package]);
    }
    run_cargo(dir, &clean, Some(&target))?;
    Ok(run_cargo(dir, &["build", "-p", "app"], Some(&target))?.time)
}

/// Measures and prints the table.
pub fn run(root: &Path, runs: usize) -> Result<(), String> {
    let base = root.join("target/bench/two-clients");
    let layouts: [(&str, PathBuf, openapi_crate_gen_core::RuntimeSource); 2] = [
        (
            "a copy of the runtime in each client (`--runtime vendored`)",
            base.join("vendored"),
            openapi_crate_gen_core::RuntimeSource::Vendored,
        ),
        (
            "both on `openapi-crate-gen-runtime`",
            base.join("crate"),
            openapi_crate_gen_core::RuntimeSource::Path(root.join("runtime").display().to_string()),
        ),
    ];
    let mut counts = Vec::new();
    for (_, dir, runtime) in &layouts {
        workspace(root, dir, runtime)?;
        let on_crate = *runtime != openapi_crate_gen_core::RuntimeSource::Vendored;
        // The registry's dependencies, built once and not measured.
        run_cargo(dir, &["build", "-p", "app"], Some(&dir.join("target")))?;
        scratch_build(dir, on_crate)?;
        let mut clean = vec!["clean"];
        for package in own_crates(on_crate) {
            clean.extend(["-p", package]);
        }
        run_cargo(dir, &clean, Some(&dir.join("target")))?;
        counts.push(runtime_builds(dir, on_crate)?);
    }
    let mut times = vec![Vec::new(); layouts.len()];
    for _ in 0..runs.max(1) {
        for (i, (_, dir, runtime)) in layouts.iter().enumerate() {
            times[i].push(scratch_build(
                dir,
                *runtime != openapi_crate_gen_core::RuntimeSource::Vendored,
            )?);
        }
    }
    println!("| an application with two generated clients | runtime compiled | `cargo build` from scratch (median of {runs}) |");
    println!("| --- | ---: | ---: |");
    for (((label, _, _), count), times) in layouts.iter().zip(counts).zip(times) {
        println!("| {label} | {count} time(s) | {} |", secs(median_of(times)));
    }
    Ok(())
}

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
use xtask::codegen::SpecJob;

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
        xtask::codegen::spec(&SpecJob {
            spec: root.join(spec),
            out: Some(dir.join(name)),
            emit_openapi: None,
            check: false,
            deny_warnings: false,
            verbose: false,
            force: false,
            program: String::new(),
            package: openapi_crate_gen_core::CrateOptions {
                name: Some(name.to_owned()),
                workspace_member: true,
                runtime: runtime.clone(),
                ..openapi_crate_gen_core::CrateOptions::default()
            },
            client: openapi_crate_gen_core::ClientSettings::default(),
            selection: openapi_crate_gen_core::Selection::default(),
        })?;
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

/// Cleans the layout's own crates, so cargo compiles them again: the clients, the application,
/// and the runtime crate when there is one.
fn clean(dir: &Path, on_crate: bool) -> Result<(), String> {
    let mut args = vec!["clean", "-p", "client-a", "-p", "client-b", "-p", "app"];
    if on_crate {
        args.extend(["-p", "openapi-crate-gen-runtime"]);
    }
    run_cargo(dir, &args, Some(&dir.join("target"))).map(drop)
}

/// Builds the application and counts the crates cargo compiled whose sources hold the runtime:
/// the runtime crate, or each client that carries a copy. Run after [`clean`], so every one of
/// them is compiled.
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
    clean(dir, on_crate)?;
    Ok(run_cargo(dir, &["build", "-p", "app"], Some(&dir.join("target")))?.time)
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
    let on_crate =
        |runtime: &openapi_crate_gen_core::RuntimeSource| *runtime != openapi_crate_gen_core::RuntimeSource::Vendored;
    let mut counts = Vec::new();
    for (_, dir, runtime) in &layouts {
        workspace(root, dir, runtime)?;
        // The registry's dependencies, built once and not measured; then the layout's own
        // crates again, counted.
        run_cargo(dir, &["build", "-p", "app"], Some(&dir.join("target")))?;
        clean(dir, on_crate(runtime))?;
        counts.push(runtime_builds(dir, on_crate(runtime))?);
    }
    let mut times = vec![Vec::new(); layouts.len()];
    for _ in 0..runs.max(1) {
        for (i, (_, dir, runtime)) in layouts.iter().enumerate() {
            times[i].push(scratch_build(dir, on_crate(runtime))?);
        }
    }
    println!("| an application with two generated clients | runtime compiled | `cargo build` from scratch (median of {runs}) |");
    println!("| --- | ---: | ---: |");
    for (((label, _, _), count), times) in layouts.iter().zip(counts).zip(times) {
        println!("| {label} | {count} time(s) | {} |", secs(median_of(times)));
    }
    Ok(())
}

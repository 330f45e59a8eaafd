//! The declared minimum Rust version is true: no locked dependency asks for a newer one, and
//! generated crates declare the same version as the workspace.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A `1.89` or `1.89.0` version as numbers.
fn version(text: &str) -> Vec<u32> {
    let mut parts: Vec<u32> = text.split('.').filter_map(|p| p.parse().ok()).collect();
    parts.resize(3, 0);
    parts
}

/// The workspace's `rust-version`.
fn declared() -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("readable");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .expect("the workspace declares a rust-version")
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_declared() {
    let host = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned()))
        .arg("-vV")
        .output()
        .expect("rustc runs");
    let host = String::from_utf8_lossy(&host.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    // The lock file's packages for this platform, without the network; on a machine that has
    // not downloaded every locked package yet, `cargo fetch --locked` brings them first.
    let run_metadata = || {
        Command::new(env!("CARGO"))
            .current_dir(root())
            .args([
                "metadata",
                "--format-version",
                "1",
                "--offline",
                "--locked",
                "--filter-platform",
            ])
            .arg(&host)
            .output()
            .expect("cargo metadata runs")
    };
    let mut output = run_metadata();
    if !output.status.success() {
        let fetched = Command::new(env!("CARGO"))
            .current_dir(root())
            .args(["fetch", "--locked"])
            .status()
            .expect("cargo fetch runs");
        assert!(fetched.success(), "cargo fetch --locked failed");
        output = run_metadata();
    }
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let declared_version = declared();
    let too_new: Vec<String> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > version(&declared_version))
                .then(|| format!("{} {} needs {needs}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "rust-version {declared_version} is lower than the dependencies need: {too_new:#?}"
    );
}

#[test]
fn generated_crates_declare_the_workspace_rust_version() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let files = openapi_crate_gen_core::generate_crate("t.yaml", doc.as_bytes(), None).expect("generates");
    let manifest = files.iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml");
    assert!(
        manifest
            .contents
            .contains(&format!("rust-version = \"{}\"", declared())),
        "{}",
        manifest.contents
    );
}

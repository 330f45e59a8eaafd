//! The peer of `cargo xtask bench compile`: progenitor's crate for the WP Engine API, made
//! from the same description (`spec/`), so both crates are compiled side by side in one run.
//!
//! progenitor (`cargo install cargo-progenitor`) reads OpenAPI 3.0 only, so it is given the
//! document the generator works from (the normalised 3.0 form of `spec/`), with four changes
//! without which progenitor 0.15 refuses it:
//! - an `operationId` where the document has none;
//! - one success response per operation (the first 2xx);
//! - no body on error responses, since progenitor requires all of an operation's error
//!   responses to share one type;
//! - no `default` responses.
//!
//! The progenitor crate is therefore smaller than ours: no typed error bodies, and no retries,
//! pagination or validation in any case.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The WP Engine description, as `cargo xtask codegen` reads it.
pub const DOCUMENT: &str = "spec/wpengine-v1.10.0.yaml";
/// The name of progenitor's crate, and of the directory it is written to.
pub const PACKAGE: &str = "wpengine-progenitor";

/// The HTTP methods an OpenAPI path item may hold operations under.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Writes progenitor's crate (positional interface) under `target/bench/progenitor/`, with its
/// own workspace and lockfile; returns the crate's directory, or `None` with the reason when
/// `cargo progenitor` is not installed.
pub fn generate(root: &Path) -> Result<Result<PathBuf, String>, String> {
    let dir = root.join("target/bench/progenitor");
    let available = Command::new(xtask::cargo())
        .args(["progenitor", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        return Ok(Err(
            "`cargo progenitor` is not installed (`cargo install cargo-progenitor`): the peer is skipped".to_owned(),
        ));
    }
    let input = input(root)?;
    let out = dir.join(PACKAGE);
    let _ = std::fs::remove_dir_all(&out);
    // Its output (a listing of the types it made) is kept for when it fails.
    let output = Command::new(xtask::cargo())
        .arg("progenitor")
        .args(arguments(&input, &out))
        .output()
        .map_err(|e| format!("cannot run cargo progenitor: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo progenitor failed on {}:\n{}{}",
            input.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    // Its own workspace, so the repository's does not claim it.
    let manifest = out.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    }
    Ok(Ok(out))
}

/// Writes the document progenitor is given (see the module docs) under
/// `target/bench/progenitor/`; returns its path.
pub fn input(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/bench/progenitor");
    let bytes = std::fs::read(root.join(DOCUMENT)).map_err(|e| format!("{DOCUMENT}: {e}"))?;
    let normalized = openapi_crate_gen_core::normalized_openapi(DOCUMENT, &bytes).map_err(|e| e.to_string())?;
    let mut document: Value = serde_json::from_str(&normalized).map_err(|e| format!("{DOCUMENT}: {e}"))?;
    for_progenitor(&mut document);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let input = dir.join("wpengine-progenitor.json");
    let text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
    std::fs::write(&input, text).map_err(|e| format!("{}: {e}", input.display()))?;
    Ok(input)
}

/// The arguments of `cargo progenitor` (after its subcommand's name) that write the crate for
/// `input` into `out`, with the positional interface.
pub fn arguments(input: &Path, out: &Path) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = ["--interface", "positional", "-n", PACKAGE, "-v", "0.1.0", "-i"]
        .into_iter()
        .map(Into::into)
        .collect();
    args.push(input.into());
    args.push("-o".into());
    args.push(out.into());
    args
}

/// The four changes progenitor needs (see the module docs).
fn for_progenitor(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            if !operation.contains_key("operationId") {
                operation.insert("operationId".to_owned(), Value::String(operation_id(method, path)));
            }
            if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
                *responses = one_success_and_bare_errors(responses);
            }
        }
    }
}

/// `get` and `/installs/{install_id}` give `get_installs_install_id`.
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    format!("{method}_{}", words.join("_"))
}

fn one_success_and_bare_errors(responses: &Map<String, Value>) -> Map<String, Value> {
    let mut kept = Map::new();
    let mut codes: Vec<&String> = responses.keys().filter(|code| code.as_str() != "default").collect();
    codes.sort();
    let mut success = false;
    for code in codes {
        let response = &responses[code.as_str()];
        if code.starts_with('2') {
            if !success {
                success = true;
                kept.insert(code.clone(), response.clone());
            }
        } else {
            let mut bare = Map::new();
            let description = response
                .get("description")
                .cloned()
                .unwrap_or_else(|| Value::String(String::new()));
            bare.insert("description".to_owned(), description);
            kept.insert(code.clone(), Value::Object(bare));
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_get_an_id_one_success_and_bare_errors() {
        let mut document = serde_json::json!({
            "paths": {"/installs/{install_id}": {"get": {"responses": {
                "default": {"description": "d"},
                "404": {"description": "gone", "content": {"application/json": {}}},
                "202": {"description": "later"},
                "200": {"description": "ok", "content": {"application/json": {}}}
            }}}}
        });
        for_progenitor(&mut document);
        let operation = &document["paths"]["/installs/{install_id}"]["get"];
        assert_eq!(operation["operationId"], "get_installs_install_id");
        let responses = operation["responses"].as_object().expect("responses");
        let codes: Vec<&str> = responses.keys().map(String::as_str).collect();
        assert_eq!(codes, ["200", "404"]);
        assert_eq!(responses["404"], serde_json::json!({"description": "gone"}));
        assert!(responses["200"].get("content").is_some());
    }
}

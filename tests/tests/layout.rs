//! The generator's source and the runtime stay in files a reader can hold in mind: none over
//! 600 lines. (Functions over 80 lines are caught by clippy's `too_many_lines`: set in
//! `generator/clippy.toml` for the generator, and in the root `clippy.toml` with the
//! runtime crate's `#![warn(clippy::too_many_lines)]` for the runtime.) A file that grows past the limit is split by concern, as
//! `model/`, `emit/`, `changelog/compare/` and the runtime's request, body and attempt are.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The files of `dir` (relative to the workspace) over the limit; there must be more than
/// `expected` files, so a moved folder does not pass unseen.
fn over_the_limit(dir: &str, expected: usize) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > expected, "the sources are found under {}", src.display());
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).expect("readable source");
            let lines = text.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    long.sort();
    long
}

#[test]
fn no_generator_source_file_is_over_600_lines() {
    let long = over_the_limit("generator/src", 20);
    assert!(long.is_empty(), "split these by concern: {long:?}");
}

#[test]
fn no_runtime_file_is_over_600_lines() {
    let long = over_the_limit("runtime/src", 30);
    assert!(long.is_empty(), "split these by concern: {long:?}");
}

//! The generated client is what the generator makes from spec/ now (freshness), and every
//! generated file is pinned by a snapshot so that changes are reviewed.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const SPEC: &str = "spec/wpengine-v1.10.0.yaml";

fn generate() -> Vec<generator::GeneratedFile> {
    let bytes = std::fs::read(root().join(SPEC)).expect("spec is readable");
    generator::generate(SPEC, &bytes).expect("spec generates")
}

#[test]
fn checked_in_code_is_fresh() {
    let files = generate();
    assert_eq!(files.len(), 3);
    for f in &files {
        let path = root().join("generated-client/src/generated").join(&f.path);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        if on_disk != f.contents {
            let diff = similar_diff(&on_disk, &f.contents);
            panic!("{} is stale; run `cargo xtask codegen`:\n{diff}", path.display());
        }
    }
}

fn similar_diff(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    format!(
        "first difference at line {}:\n- {}\n+ {}",
        first + 1,
        a.get(first).unwrap_or(&"<end of file>"),
        b.get(first).unwrap_or(&"<end of file>")
    )
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate(), generate());
}

#[test]
fn every_file_has_the_generated_header() {
    for f in generate() {
        assert!(f.contents.starts_with("// @generated"), "{} lacks the header", f.path);
        assert!(
            f.contents.contains("spec/wpengine-v1.10.0.yaml (sha256 "),
            "{} names the input",
            f.path
        );
    }
}

#[test]
fn snapshots_of_generated_files() {
    for f in generate() {
        insta::assert_snapshot!(format!("wpengine__{}", f.path.replace('/', "__")), f.contents);
    }
}

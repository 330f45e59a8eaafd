//! The generated client is what the generator makes from spec/ now (freshness), and every
//! generated file is pinned by a snapshot so that changes are reviewed.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const SPEC: &str = "spec/wpengine-v1.10.0.yaml";
const FEATURES: &str = "tests/fixtures/features.yaml";

/// The documents the repository generates clients from, and where the output is checked in.
const TARGETS: &[(&str, &str, &str)] = &[
    ("wpengine", SPEC, "generated-client/src/generated"),
    ("features", FEATURES, "tests/features-client/src/generated"),
];

fn generate_from(spec: &str) -> Vec<generator::GeneratedFile> {
    let bytes = std::fs::read(root().join(spec)).expect("spec is readable");
    generator::generate(spec, &bytes).expect("spec generates")
}

fn generate() -> Vec<generator::GeneratedFile> {
    generate_from(SPEC)
}

#[test]
fn checked_in_code_is_fresh() {
    for (_, spec, out) in TARGETS {
        check_fresh(spec, out);
    }
}

fn check_fresh(spec: &str, out: &str) {
    let files = generate_from(spec);
    assert_eq!(files.len(), 3);
    for f in &files {
        let path = root().join(out).join(&f.path);
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
    for (name, spec, _) in TARGETS {
        for f in generate_from(spec) {
            insta::assert_snapshot!(format!("{name}__{}", f.path.replace('/', "__")), f.contents);
        }
    }
}

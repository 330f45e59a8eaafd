//! The generated client is what the generator makes from spec/ now (freshness), and every
//! generated file is pinned by a snapshot so that changes are reviewed.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const SPEC: &str = "spec/wpengine-v1.10.0.yaml";
const FEATURES: &str = "tests/fixtures/features.yaml";

fn generate_from(spec: &str) -> Vec<generator::GeneratedFile> {
    let bytes = std::fs::read(root().join(spec)).expect("spec is readable");
    generator::generate(spec, &bytes).expect("spec generates")
}

fn generate() -> Vec<generator::GeneratedFile> {
    generate_from(SPEC)
}

#[test]
fn checked_in_code_is_fresh() {
    // The same list `cargo xtask codegen` writes.
    for (spec, out) in xtask::codegen::TARGETS {
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

/// The documents whose every generated file is pinned by a snapshot.
const SNAPSHOTS: &[(&str, &str)] = &[("wpengine", SPEC), ("features", FEATURES)];

#[test]
fn snapshots_of_generated_files() {
    for (name, spec) in SNAPSHOTS {
        for f in generate_from(spec) {
            insta::assert_snapshot!(format!("{name}__{}", f.path.replace('/', "__")), f.contents);
        }
    }
}

/// `cargo xtask codegen --spec PATH --out DIR --emit-openapi FILE`: a whole crate and the
/// normalised document; `--check` reports staleness without writing; files a later run no
/// longer generates are removed; bad input writes nothing.
#[test]
fn any_document_becomes_a_crate_directory() {
    let dir = std::env::temp_dir().join(format!("codegen-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("petstore-client");
    let emitted = dir.join("normalized.json");
    let job = |spec: PathBuf, check: bool| xtask::codegen::SpecJob {
        spec,
        out: Some(out.clone()),
        crate_name: None,
        emit_openapi: Some(emitted.clone()),
        check,
    };
    let spec = root().join(FEATURES);
    xtask::codegen::spec(&job(spec.clone(), true)).expect_err("nothing there yet: stale");
    assert!(!out.exists(), "--check writes nothing");
    xtask::codegen::spec(&job(spec.clone(), false)).expect("writes");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("name = \"petstore-client\""),
        "named after the directory:\n{manifest}"
    );
    for file in [
        "src/lib.rs",
        "src/runtime/mod.rs",
        "src/runtime/request.rs",
        "src/generated/builders.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    let normalized = std::fs::read_to_string(&emitted).expect("emitted");
    assert!(normalized.contains("\"openapi\": \"3.0.3\""));
    xtask::codegen::spec(&job(spec.clone(), true)).expect("fresh after writing");

    // A file the generator does not make any more is reported, then removed.
    std::fs::write(out.join("src/generated/old.rs"), "// old").expect("writes");
    let stale = xtask::codegen::spec(&job(spec.clone(), true)).expect_err("stale");
    assert!(stale.contains("old.rs is no longer generated"), "{stale}");
    xtask::codegen::spec(&job(spec, false)).expect("writes");
    assert!(!out.join("src/generated/old.rs").exists());

    // Bad input: an error naming the file and pointer, and the tree is left as it was.
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
    )
    .expect("writes");
    let before = std::fs::read_to_string(out.join("src/generated/builders.rs")).expect("reads");
    let error = xtask::codegen::spec(&job(bad, false)).expect_err("refused");
    assert!(error.contains("bad.yaml: at #/paths/~1a/get"), "{error}");
    assert_eq!(
        std::fs::read_to_string(out.join("src/generated/builders.rs")).expect("reads"),
        before
    );
    let _ = std::fs::remove_dir_all(&dir);
}

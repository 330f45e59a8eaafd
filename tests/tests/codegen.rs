//! The checked-in clients are what the generator makes now (freshness, by the code of
//! `cargo xtask codegen --check`), generation is deterministic, and the output for each
//! regression fixture is pinned by a snapshot so that changes are reviewed.

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

/// The same check as `cargo xtask codegen --check`, by the same code: every checked-in
/// client is what the generator makes now.
#[test]
fn checked_in_code_is_fresh() {
    if let Err(report) = xtask::codegen::checked_in(&root(), true) {
        panic!("{report}");
    }
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

/// Every generated module of every regression fixture (one construct each; see
/// `tests/fixtures/regressions/README.md`) is pinned by a snapshot, small enough to review.
/// The corpus test compiles the same fixtures' crates, so a snapshot cannot silently stop
/// compiling; the checked-in clients are guarded by `checked_in_code_is_fresh` and by review
/// of their diffs.
#[test]
fn snapshots_of_the_regression_fixtures() {
    let dir = root().join("tests/fixtures/regressions");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures are listed")
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    fixtures.sort();
    let mut pinned = 0;
    for path in fixtures {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name")
            .to_owned();
        let bytes = std::fs::read(&path).expect("readable");
        // A fixture refused on purpose is pinned by its expectation in tests/corpus.
        let Ok(files) = generator::generate(&format!("{name}.yaml"), &bytes) else {
            continue;
        };
        for f in files {
            insta::assert_snapshot!(format!("{name}__{}", f.path), f.contents);
            pinned += 1;
        }
    }
    assert!(pinned >= 20, "only {pinned} files pinned");
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
        deny_warnings: false,
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

/// A `[section]` of a Cargo.toml as `name -> (version, features)`; members that say
/// `name.workspace = true` have no version of their own.
fn dependencies(manifest: &str, section: &str) -> std::collections::BTreeMap<String, (String, Vec<String>)> {
    let mut out = std::collections::BTreeMap::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == format!("[{section}]");
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, spec)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim().trim_end_matches(".workspace").to_owned();
        let quoted = |s: &str| s.split('"').skip(1).step_by(2).map(str::to_owned).collect::<Vec<_>>();
        let version = match spec.split_once("version") {
            Some((_, rest)) => quoted(rest).into_iter().next().unwrap_or_default(),
            None if spec.trim().starts_with('"') => quoted(spec).into_iter().next().unwrap_or_default(),
            None => String::new(),
        };
        let features = spec
            .split_once("features = [")
            .map(|(_, rest)| quoted(rest.split(']').next().unwrap_or("")))
            .unwrap_or_default();
        out.insert(name, (version, features));
    }
    out
}

/// The dependencies a generated crate declares are the ones the in-repo clients build with,
/// at the workspace's versions and features, so the two cannot drift apart.
#[test]
fn generated_crates_depend_on_what_the_in_repo_clients_use() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let files = generator::generate_crate("t.yaml", doc.as_bytes(), None).expect("generates");
    let manifest = files.iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml");
    let generated = dependencies(&manifest.contents, "dependencies");
    let workspace_manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("readable");
    let workspace = dependencies(&workspace_manifest, "workspace.dependencies");
    for (name, (version, features)) in &generated {
        let (ws_version, ws_features) = workspace
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a workspace dependency"));
        assert_eq!(version, ws_version, "{name}: generated crates and the workspace differ");
        // serde_json's preserve_order serves the generator (documents keep their order).
        let ws_features: Vec<&String> = ws_features.iter().filter(|f| *f != "preserve_order").collect();
        assert_eq!(
            features.iter().collect::<Vec<_>>(),
            ws_features,
            "{name}: features differ"
        );
    }
    for client in [
        "generated-client",
        "tests/features-client",
        "tests/seed-clients/rpc-api-keys",
        "tests/seed-clients/bearer-idempotency",
        "tests/seed-clients/read-write-delete",
    ] {
        let text = std::fs::read_to_string(root().join(client).join("Cargo.toml")).expect("readable");
        let declared = dependencies(&text, "dependencies");
        assert_eq!(
            declared.keys().collect::<Vec<_>>(),
            generated.keys().collect::<Vec<_>>(),
            "{client} depends on other crates than a generated crate"
        );
    }
}

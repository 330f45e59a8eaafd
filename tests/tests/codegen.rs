//! The checked-in clients are what the generator makes now (freshness, by the code of
//! `cargo xtask codegen --check`), generation is deterministic, and the output for each
//! regression fixture is pinned by a snapshot so that changes are reviewed.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const SPEC: &str = "spec/wpengine-v1.10.0.yaml";
const FEATURES: &str = "tests/fixtures/features.yaml";

fn generate_from(spec: &str) -> Vec<openapi_crate_gen_core::GeneratedFile> {
    let bytes = std::fs::read(root().join(spec)).expect("spec is readable");
    openapi_crate_gen_core::generate(spec, &bytes).expect("spec generates")
}

fn generate() -> Vec<openapi_crate_gen_core::GeneratedFile> {
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
            f.contents.contains(" from wpengine-v1.10.0.yaml (sha256 "),
            "{} names the input by its file name",
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
        // A folder with an `openapi.yaml` is one document split across files.
        .map(|p| {
            if p.join("openapi.yaml").is_file() {
                p.join("openapi.yaml")
            } else {
                p
            }
        })
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    fixtures.sort();
    let mut pinned = 0;
    for path in fixtures {
        let split = path.ends_with("openapi.yaml") && path.parent() != Some(dir.as_path());
        let named = if split { path.parent().unwrap_or(&path) } else { &path };
        let name = named
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name")
            .to_owned();
        let bytes = std::fs::read(&path).expect("readable");
        let files = openapi_crate_gen_core::Document::read_from(
            &format!("{name}.yaml"),
            &bytes,
            &openapi_crate_gen_core::Disk::beside(&path),
        )
        .and_then(openapi_crate_gen_core::Document::model)
        .and_then(|m| m.files());
        // A fixture refused on purpose is pinned by its expectation in tests/corpus.
        let Ok(files) = files else {
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
        emit_openapi: Some(emitted.clone()),
        check,
        deny_warnings: false,
        verbose: false,
        force: false,
        program: String::new(),
        package: openapi_crate_gen_core::CrateOptions::default(),
        client: openapi_crate_gen_core::ClientSettings::default(),
        selection: openapi_crate_gen_core::Selection::default(),
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
        "src/runtime/api_client.rs",
        "src/generated/builders.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    let normalized = std::fs::read_to_string(&emitted).expect("emitted");
    assert!(normalized.contains("\"openapi\": \"3.0.3\""));
    xtask::codegen::spec(&job(spec.clone(), true)).expect("fresh after writing");

    // A file the generator does not make any more is reported, then removed; a file of the
    // user's (no @generated header) is left alone.
    std::fs::write(out.join("src/generated/old.rs"), "// @generated by an earlier run\n").expect("writes");
    std::fs::write(out.join("src/generated/mine.rs"), "// written by hand\n").expect("writes");
    let stale = xtask::codegen::spec(&job(spec.clone(), true)).expect_err("stale");
    assert!(stale.contains("old.rs is no longer generated"), "{stale}");
    xtask::codegen::spec(&job(spec, false)).expect("writes");
    assert!(!out.join("src/generated/old.rs").exists());
    assert!(out.join("src/generated/mine.rs").exists(), "the user's file is kept");

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

/// A crate's manifest for an empty document, on `runtime`.
fn manifest_on(runtime: openapi_crate_gen_core::RuntimeSource) -> String {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let options = openapi_crate_gen_core::CrateOptions {
        runtime,
        ..openapi_crate_gen_core::CrateOptions::default()
    };
    let files = openapi_crate_gen_core::Document::read("t.yaml", doc.as_bytes())
        .and_then(openapi_crate_gen_core::Document::model)
        .and_then(|m| m.crate_files(&options))
        .expect("generates");
    files
        .into_iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml")
        .contents
}

/// The dependencies a generated crate declares are the ones the in-repo clients and the runtime
/// crate build with, at the workspace's versions and features, so they cannot drift apart: a
/// crate on the runtime crate declares what the in-repo clients do, and a vendored one the
/// runtime's dependencies besides.
#[test]
fn generated_crates_depend_on_what_the_in_repo_clients_use() {
    let on_crate = dependencies(
        &manifest_on(openapi_crate_gen_core::RuntimeSource::Path("../runtime".into())),
        "dependencies",
    );
    let vendored_manifest = manifest_on(openapi_crate_gen_core::RuntimeSource::Vendored);
    let vendored = dependencies(&vendored_manifest, "dependencies");
    let workspace_manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("readable");
    let workspace = dependencies(&workspace_manifest, "workspace.dependencies");
    for (name, (version, features)) in vendored.iter().chain(&on_crate) {
        let (ws_version, ws_features) = workspace
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a workspace dependency"));
        assert_eq!(version, ws_version, "{name}: generated crates and the workspace differ");
        // serde_json's preserve_order serves the generator (documents keep their order).
        let ws_features: Vec<&String> = ws_features.iter().filter(|f| *f != "preserve_order").collect();
        if name != "openapi-crate-gen-runtime" {
            assert_eq!(
                features.iter().collect::<Vec<_>>(),
                ws_features,
                "{name}: features differ"
            );
        }
    }
    let runtime_manifest = std::fs::read_to_string(root().join("runtime/Cargo.toml")).expect("readable");
    let mut runtime_and_code: Vec<&String> = dependencies(&runtime_manifest, "dependencies")
        .into_keys()
        .collect::<Vec<_>>()
        .into_iter()
        .map(|k| {
            vendored
                .get_key_value(&k)
                .map(|(k, _)| k)
                .unwrap_or_else(|| panic!("a vendored crate lacks the runtime's {k}"))
        })
        .collect();
    runtime_and_code.extend(on_crate.keys().filter(|k| *k != "openapi-crate-gen-runtime"));
    runtime_and_code.sort();
    runtime_and_code.dedup();
    assert_eq!(
        runtime_and_code,
        vendored.keys().collect::<Vec<_>>(),
        "a vendored crate depends on more"
    );
    // The README's build.rs instructions list the same lines a generated crate's manifest has.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("readable");
    for line in vendored_manifest.lines().skip_while(|l| *l != "[dependencies]").skip(1) {
        if line.is_empty() {
            break;
        }
        if !line.contains("optional = true") {
            assert!(readme.contains(line), "README.md's dependency list lacks `{line}`");
        }
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
            on_crate.keys().collect::<Vec<_>>(),
            "{client} depends on other crates than a generated crate"
        );
    }
}

fn crate_job(spec: PathBuf, out: PathBuf, force: bool) -> xtask::codegen::SpecJob {
    xtask::codegen::SpecJob {
        spec,
        out: Some(out),
        emit_openapi: None,
        check: false,
        deny_warnings: false,
        verbose: false,
        force,
        program: String::new(),
        package: openapi_crate_gen_core::CrateOptions::default(),
        client: openapi_crate_gen_core::ClientSettings::default(),
        selection: openapi_crate_gen_core::Selection::default(),
    }
}

/// A crate generated inside another workspace that does not list it still loads: it is a
/// workspace of its own (cargo refuses a package that believes it is in a workspace it is
/// not a member of).
#[test]
fn a_crate_generated_inside_another_workspace_is_its_own() {
    let dir = std::env::temp_dir().join(format!("codegen-nested-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creates");
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").expect("writes");
    let out = dir.join("client");
    xtask::codegen::spec(&crate_job(root().join(FEATURES), out.clone(), false)).expect("writes");
    let metadata = std::process::Command::new(env!("CARGO"))
        .current_dir(&out)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(
        metadata.status.success(),
        "{}",
        String::from_utf8_lossy(&metadata.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--out` into an existing crate never overwrites a file the generator did not write, and
/// writes nothing then, unless told to.
#[test]
fn files_the_generator_did_not_write_are_not_overwritten() {
    let dir = std::env::temp_dir().join(format!("codegen-foreign-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("creates");
    let mine = "[package]\nname = \"mine\"\nversion = \"1.0.0\"\n";
    std::fs::write(dir.join("Cargo.toml"), mine).expect("writes");
    let error = xtask::codegen::spec(&crate_job(root().join(FEATURES), dir.clone(), false)).expect_err("refused");
    assert!(
        error.contains("refusing to overwrite") && error.contains("Cargo.toml"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("Cargo.toml")).expect("reads"), mine);
    assert!(!dir.join("src/lib.rs").exists(), "nothing written");
    xtask::codegen::spec(&crate_job(root().join(FEATURES), dir.clone(), true)).expect("--force writes");
    assert!(std::fs::read_to_string(dir.join("Cargo.toml"))
        .expect("reads")
        .contains("@generated"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The header names the document by its file name, not its path: the same document at two
/// paths gives the same bytes.
#[test]
fn output_does_not_depend_on_where_the_document_is() {
    let bytes = std::fs::read(root().join(FEATURES)).expect("readable");
    let here = openapi_crate_gen_core::generate_crate("tests/fixtures/features.yaml", &bytes, Some("features"))
        .expect("generates");
    let there = openapi_crate_gen_core::generate_crate("/home/someone/apis/features.yaml", &bytes, Some("features"))
        .expect("generates");
    assert_eq!(here, there);
    assert!(
        here[0].contents.contains("from features.yaml (sha256 "),
        "{}",
        here[0].contents
    );
    let windows =
        openapi_crate_gen_core::generate_crate("C:\\apis\\features.yaml", &bytes, Some("features")).expect("generates");
    assert_eq!(here, windows);
}

/// The WP Engine client's manifest (kept by hand around the generated modules) declares the
/// features the generator gives the description's tags, all of them on by default, as a
/// generated crate's manifest does.
#[test]
fn the_wp_engine_manifest_has_a_feature_per_tag() {
    let spec = std::fs::read(root().join("spec/wpengine-v1.10.0.yaml")).expect("the description");
    let api = openapi_crate_gen_core::build_model("wpengine-v1.10.0.yaml", &spec).expect("models");
    assert!(api.features.len() > 10, "{:?}", api.features);
    let manifest = std::fs::read_to_string(root().join("generated-client/Cargo.toml")).expect("readable");
    let quoted: Vec<String> = api.features.iter().map(|f| format!("\"{f}\"")).collect();
    let default = format!("default = [{}]", quoted.join(", "));
    assert!(
        manifest.contains(&default),
        "generated-client/Cargo.toml lacks `{default}`"
    );
    for feature in &api.features {
        assert!(manifest.contains(&format!("\n{feature} = []\n")), "no `{feature} = []`");
    }
    let files = openapi_crate_gen_core::generate_crate("wpengine-v1.10.0.yaml", &spec, None).expect("generates");
    let generated = files.iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml");
    assert!(generated.contents.contains(&default), "{}", generated.contents);
    // A generated crate's README tells its users how to build fewer tags.
    let readme = files.iter().find(|f| f.path == "README.md").expect("README.md");
    assert!(
        readme.contents.contains("One feature per tag") && readme.contents.contains("default-features = false"),
        "{}",
        readme.contents
    );
}

/// A scheme named with `--sigv4` (an API gateway's export without its extension) is signed,
/// its crate has the `sigv4` feature on by default and reads the AWS variables; a name the
/// document does not declare is an error that lists those it does.
#[test]
fn a_scheme_chosen_by_option_is_signed_with_sigv4() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{gateway: []}]\npaths: {}\ncomponents:\n  securitySchemes:\n    gateway: {type: apiKey, in: header, name: Authorization}\n";
    let model = |schemes: &[&str]| {
        openapi_crate_gen_core::Document::read("t.yaml", doc.as_bytes())
            .and_then(openapi_crate_gen_core::Document::model)
            .and_then(|m| {
                m.with_settings(openapi_crate_gen_core::ClientSettings {
                    sigv4_schemes: schemes.iter().map(|s| (*s).to_owned()).collect(),
                    ..openapi_crate_gen_core::ClientSettings::default()
                })
            })
    };
    let signed = model(&["gateway"]).expect("models");
    assert_eq!(
        signed.api().security_schemes[0].kind,
        openapi_crate_gen_core::model::SchemeKind::SigV4
    );
    let files = signed
        .crate_files(&openapi_crate_gen_core::CrateOptions::default())
        .expect("generates");
    let manifest = files.iter().find(|f| f.path == "Cargo.toml").expect("a manifest");
    assert!(
        manifest.contents.contains("default = [\"sigv4\"]"),
        "{}",
        manifest.contents
    );
    let readme = files.iter().find(|f| f.path == "README.md").expect("a README");
    assert!(readme.contents.contains("`AWS_ACCESS_KEY_ID`"), "{}", readme.contents);
    let error = model(&["gatewy"]).err().expect("no such scheme").to_string();
    assert!(
        error.contains("no security scheme `gatewy`") && error.contains("declares gateway"),
        "{error}"
    );
}

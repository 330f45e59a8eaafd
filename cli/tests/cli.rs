//! The command as a user runs it: help, a crate from a document, and an exit status per kind
//! of failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-crate-gen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the command runs")
}

/// The minor version of the cargo running the tests (`90` for 1.90).
fn cargo_minor_version() -> u32 {
    let out = Command::new(env!("CARGO"))
        .arg("--version")
        .output()
        .expect("cargo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("a version in `{text}`"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openapi-crate-gen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creates");
    dir
}

fn features() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/features.yaml")
}

#[test]
fn help_explains_every_option_with_an_example() {
    let out = run(&["--help"], &std::env::temp_dir());
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--out <DIR>",
        "--crate-name",
        "--crate-version",
        "--license",
        "--repository",
        "--publish",
        "--runtime <SOURCE>",
        "--emit-openapi",
        "--check",
        "--workspace-member",
        "--force",
        "--deny-warnings",
        "--tags <PATTERN,...>",
        "--exclude-operations",
        "--no-tool",
        "--no-mocks",
        "completions SHELL",
        "Examples:",
        "changelog OLD NEW",
        "Exit status",
    ] {
        assert!(help.contains(option), "--help lacks {option}");
    }
}

#[test]
fn a_document_becomes_a_crate_and_check_then_passes() {
    let dir = scratch("crate");
    std::fs::copy(features(), dir.join("features.yaml")).expect("copies");
    let out = run(&["features.yaml", "--out", "client"], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"client\""), "{manifest}");
    let builders = std::fs::read_to_string(dir.join("client/src/generated/builders.rs")).expect("builders.rs");
    assert!(
        builders.contains("(`openapi-crate-gen features.yaml --out client`)"),
        "the header says how to regenerate: {}",
        builders.lines().take(2).collect::<Vec<_>>().join("\n")
    );
    let check = run(&["features.yaml", "--out", "client", "--check"], &dir);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));

    // Stale: exit status 3, with a diff.
    std::fs::write(dir.join("client/src/generated/types.rs"), "// @generated, edited\n").expect("writes");
    let stale = run(&["features.yaml", "--out", "client", "--check"], &dir);
    assert_eq!(stale.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("types.rs"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_runtime_option_chooses_the_runtime_crate_or_a_copy() {
    let dir = scratch("runtime-option");
    std::fs::copy(features(), dir.join("features.yaml")).expect("copies");
    let out = run(&["features.yaml", "--out", "client", "--runtime", "path:../rt"], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("\nopenapi-crate-gen-runtime = { version = \"0.1.0\", path = \"../rt\" }\n"),
        "{manifest}"
    );
    assert!(
        manifest.contains("cli = [\"openapi-crate-gen-runtime/cli\"]"),
        "{manifest}"
    );
    assert!(
        !dir.join("client/src/runtime").exists(),
        "no copy beside the dependency"
    );
    let lib = std::fs::read_to_string(dir.join("client/src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub use openapi_crate_gen_runtime as runtime;"), "{lib}");
    let types = std::fs::read_to_string(dir.join("client/src/generated/types.rs")).expect("types.rs");
    assert!(
        types.contains("--runtime path:../rt`"),
        "the header says how to regenerate"
    );

    // Vendored, then back: the copy comes, then goes.
    let out = run(&["features.yaml", "--out", "client", "--runtime", "vendored"], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("client/src/runtime/mod.rs").is_file());
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("Cargo.toml");
    assert!(!manifest.contains("openapi-crate-gen-runtime"), "{manifest}");
    let out = run(&["features.yaml", "--out", "client", "--runtime", "path:../rt"], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!dir.join("client/src/runtime/mod.rs").exists(), "the copy is removed");

    let bad = run(&["features.yaml", "--out", "client", "--runtime", "crate"], &dir);
    assert_eq!(bad.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("vendored, registry, path:DIR or git:URL"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn each_kind_of_failure_has_its_exit_status() {
    let dir = scratch("failures");
    std::fs::write(
        dir.join("bad.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
    )
    .expect("writes");
    let bad = run(&["bad.yaml", "--out", "client"], &dir);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad.yaml: at #/paths/~1a/get"));
    assert!(!dir.join("client").exists(), "nothing written");

    let missing = run(&["nowhere.yaml", "--out", "client"], &dir);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nowhere.yaml: cannot read"));

    let usage = run(&["--frobnicate"], &dir);
    assert_eq!(usage.status.code(), Some(64));
    let none = run(&["bad.yaml"], &dir);
    assert_eq!(none.status.code(), Some(64), "neither --out nor --emit-openapi");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_package_options_reach_the_manifest_and_the_crate_has_a_readme() {
    let dir = scratch("package");
    std::fs::copy(features(), dir.join("features.yaml")).expect("copies");
    let out = run(
        &[
            "features.yaml",
            "--out",
            "pets",
            "--crate-version",
            "2.1.0",
            "--license",
            "MIT OR Apache-2.0",
            "--repository",
            "https://example.com/pets",
            "--description",
            "Pets, typed",
            "--publish",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest = std::fs::read_to_string(dir.join("pets/Cargo.toml")).expect("Cargo.toml");
    for line in [
        "version = \"2.1.0\"",
        "license = \"MIT OR Apache-2.0\"",
        "repository = \"https://example.com/pets\"",
        "description = \"Pets, typed\"",
        "readme = \"README.md\"",
    ] {
        assert!(manifest.contains(line), "{line} missing from:\n{manifest}");
    }
    assert!(!manifest.contains("publish = false"), "{manifest}");
    // The header's command makes the same files again: it carries every option.
    assert!(
        manifest.contains(
            "(`openapi-crate-gen features.yaml --out pets --crate-version 2.1.0 --description 'Pets, typed' --license 'MIT OR Apache-2.0' --repository https://example.com/pets --publish`)"
        ),
        "{manifest}"
    );
    let readme = std::fs::read_to_string(dir.join("pets/README.md")).expect("README.md");
    for words in [
        "# pets",
        "Feature fixture",
        ".bearer_token(",
        "## Errors",
        "## Regenerate",
        "@generated",
    ] {
        assert!(readme.contains(words), "{words} missing from:\n{readme}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cargo package` accepts a generated crate, `wpengine-api` with the runtime crate it depends on,
/// and the generator library: manifests and file lists a registry takes. `--no-verify` leaves out building the packaged copy (the corpus test
/// compiles generated crates) and `--offline` keeps the check off the network.
#[test]
fn generated_crates_and_the_wp_engine_client_package() {
    let dir = scratch("cargo-package");
    std::fs::copy(features(), dir.join("features.yaml")).expect("copies");
    let out = run(
        &[
            "features.yaml",
            "--out",
            "pets",
            "--license",
            "MIT",
            "--description",
            "Pets, typed",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let package = |args: &[&str], cwd: &Path| {
        Command::new(env!("CARGO"))
            .args(["package", "--no-verify", "--offline", "--allow-dirty"])
            .args(args)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .current_dir(cwd)
            .output()
            .expect("cargo runs")
    };
    let generated = package(&[], &dir.join("pets"));
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    // Together, as they would be published: the client's dependency resolves to the runtime
    // packaged beside it. Cargo does that from 1.90; the workspace's oldest toolchain (1.89)
    // resolves a package's dependencies on the registry only, so there the client's files are
    // listed (manifest checks included) and the runtime is packaged alone.
    let together = cargo_minor_version() >= 90;
    let wpengine = if together {
        package(&["-p", "openapi-crate-gen-runtime", "-p", "wpengine-api"], &workspace)
    } else {
        let runtime = package(&["-p", "openapi-crate-gen-runtime"], &workspace);
        assert!(runtime.status.success(), "{}", String::from_utf8_lossy(&runtime.stderr));
        package(&["-p", "wpengine-api", "--list"], &workspace)
    };
    assert!(
        wpengine.status.success(),
        "{}",
        String::from_utf8_lossy(&wpengine.stderr)
    );
    // The generator library packages too, and carries the runtime it embeds with include_str!
    // (through `generator/runtime`, a link to the runtime crate's sources).
    let core = package(&["-p", "openapi-crate-gen-core"], &workspace);
    assert!(core.status.success(), "{}", String::from_utf8_lossy(&core.stderr));
    let listed = Command::new(env!("CARGO"))
        .args([
            "package",
            "--list",
            "--offline",
            "--allow-dirty",
            "-p",
            "openapi-crate-gen-core",
        ])
        .current_dir(&workspace)
        .output()
        .expect("cargo runs");
    let files = String::from_utf8_lossy(&listed.stdout);
    for runtime_file in ["runtime/lib.rs", "runtime/client.rs", "runtime/request.rs"] {
        assert!(files.lines().any(|l| l == runtime_file), "{runtime_file} in:\n{files}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn changelog_compares_two_documents_as_markdown_or_json() {
    let dir = scratch("changelog");
    let old = features();
    let text = std::fs::read_to_string(&old).expect("the fixture");
    let new = dir.join("features-next.yaml");
    std::fs::write(&new, text.replacen("enum: [dog, cat", "enum: [dog, cat, ferret", 1)).expect("writes");
    let (old, new) = (old.display().to_string(), new.display().to_string());

    let out = run(&["changelog", &old, &new], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let markdown = String::from_utf8_lossy(&out.stdout);
    assert!(
        markdown.contains("Verdict: **minor** (0 breaking, 1 other)."),
        "{markdown}"
    );
    assert!(
        markdown.contains("- `types::PetKind::Ferret`: new value `ferret`"),
        "{markdown}"
    );

    let out = run(&["changelog", &new, &old, "--json"], &dir);
    assert!(out.status.success());
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("\"bump\": \"major\""), "{json}");
    assert!(json.contains("\"item\": \"types::PetKind::Ferret\""), "{json}");

    // A document that does not load is named, with the pointer.
    let broken = dir.join("broken.yaml");
    let dangling = text.replacen(
        "$ref: '#/components/schemas/PetKind'",
        "$ref: '#/components/schemas/Nope'",
        1,
    );
    std::fs::write(&broken, dangling).expect("writes");
    let out = run(&["changelog", &old, &broken.display().to_string()], &dir);
    assert_eq!(out.status.code(), Some(1));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("the new document does not load") && error.contains("broken.yaml"),
        "{error}"
    );
    assert!(error.contains("#/components/schemas/Pet/properties/kind"), "{error}");

    // One document is a usage error.
    let out = run(&["changelog", &old], &dir);
    assert_eq!(out.status.code(), Some(64));
}

/// A document split across files: the crate is made from all of them, the header lists each
/// with its sha256, and `--check` notices a change in any.
#[test]
fn a_document_split_across_files_generates_and_check_follows_every_file() {
    let dir = scratch("split");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/regressions/multi-file");
    for file in [
        "openapi.yaml",
        "common.yaml",
        "paths/pets.yaml",
        "paths/pet.yaml",
        "schemas/pet.yaml",
        "schemas/owner.yaml",
    ] {
        let to = dir.join("api").join(file);
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("creates");
        std::fs::copy(fixture.join(file), to).expect("copies");
    }
    let out = run(&["api/openapi.yaml", "--out", "client"], &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let types = std::fs::read_to_string(dir.join("client/src/generated/types.rs")).expect("types.rs");
    let header: Vec<&str> = types.lines().take_while(|l| l.starts_with("//")).collect();
    for file in [
        "from openapi.yaml (sha256 ",
        "and schemas/owner.yaml (sha256 ",
        "and paths/pet.yaml (sha256 ",
    ] {
        assert!(
            header.iter().any(|l| l.contains(file)),
            "the header lists {file}: {header:#?}"
        );
    }
    assert!(types.contains("pub struct Owner {") && types.contains("pub struct Pet {"));
    let check = run(&["api/openapi.yaml", "--out", "client", "--check"], &dir);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));

    // A change in a file the document refers to makes the crate stale.
    let owner = dir.join("api/schemas/owner.yaml");
    let text = std::fs::read_to_string(&owner).expect("reads");
    std::fs::write(
        &owner,
        text.replace("type: string", "type: string\n    description: Changed."),
    )
    .expect("writes");
    let stale = run(&["api/openapi.yaml", "--out", "client", "--check"], &dir);
    assert_eq!(
        stale.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&stale.stderr)
    );

    // An error in a referred file names that file.
    std::fs::remove_file(dir.join("api/common.yaml")).expect("removes");
    let broken = run(&["api/openapi.yaml", "--out", "client"], &dir);
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("common.yaml") && stderr.contains("cannot be read"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The caller's choices about types: a schema replaced by an existing type, derives added, and
/// a crate the document's `x-rust-type` may use, which the crate then depends on.
#[test]
fn schemas_can_be_replaced_patched_and_typed_as_the_document_says() {
    let dir = scratch("types");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/regressions/other-generators.yaml");
    std::fs::copy(fixture, dir.join("api.yaml")).expect("copies");
    let out = run(
        &[
            "api.yaml",
            "--out",
            "client",
            "--replace",
            "Order=serde_json::Value",
            "--derive",
            "State=PartialOrd,Ord",
            "--rust-type-crate",
            "rust_decimal",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let types = std::fs::read_to_string(dir.join("client/src/generated/types.rs")).expect("types.rs");
    for expected in [
        "pub type Order = serde_json::Value;",
        "pub type Money = rust_decimal::Decimal;",
        "pub type Day = chrono::NaiveDate;",
        "#[derive(PartialOrd, Ord)]\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum State {",
    ] {
        assert!(types.contains(expected), "types.rs lacks {expected}");
    }
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("\nrust_decimal = \"1\"\n"), "{manifest}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("rust_decimal"),
        "allowed, so not warned of"
    );

    let unknown = run(&["api.yaml", "--out", "client", "--replace", "Nope=x::Y"], &dir);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        !unknown.status.success() && stderr.contains("no schema `Nope`"),
        "{stderr}"
    );
    let bad = run(&["api.yaml", "--out", "client", "--derive", "State=not a path"], &dir);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        !bad.status.success() && stderr.contains("`not a path` is not a Rust path"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
